"""Reading command-line inputs (files or inline JSON) into Python objects."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from spasmcare.errors import InvalidFindingError
from spasmcare.knowledge.yamlfile import load_yaml


def read_findings(argument: str) -> dict[str, object]:
    """`--findings` takes a JSON or YAML file, '-' for standard input, or an inline JSON object."""
    import yaml

    if argument == "-":
        text, origin = sys.stdin.read(), "standard input"
    elif argument.lstrip().startswith("{"):
        text, origin = argument, "the inline JSON"
    else:
        path = Path(argument)
        if not path.is_file():
            raise InvalidFindingError(
                "--findings",
                f"no such file: {argument}",
                "a JSON/YAML file, '-' or an inline JSON object",
            )
        text, origin = path.read_text(encoding="utf-8"), str(path)
    try:
        data = json.loads(text) if origin == "the inline JSON" else load_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidFindingError(
            "--findings", f"cannot parse {origin}: {error}", "valid JSON or YAML"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("findings"), dict):
        data = data["findings"]  # accept a vignette-shaped file too
    if not isinstance(data, dict):
        raise InvalidFindingError(
            "--findings", f"{origin} is not a mapping of codes to answers", "an object"
        )
    return data
