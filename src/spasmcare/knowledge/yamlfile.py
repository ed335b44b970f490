"""YAML text to plain data: one place that picks the parser.

libyaml's C parser, when PyYAML was built with it, reads the knowledge base several times
faster than the pure-Python one, and every cold `spasmcare` command reads it. Both are the
safe loader: plain data only, the same YAMLError on bad input.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)
