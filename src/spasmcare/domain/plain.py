"""Domain records as plain JSON data (dicts, lists, strings, numbers)."""

from __future__ import annotations

from typing import Any

import orjson


def plain(record: object) -> dict[str, Any]:
    """A frozen dataclass record as JSON-ready data: tuples become lists and enums their
    codes. orjson reads dataclasses natively, about ten times faster than
    dataclasses.asdict, which matters on every API response."""
    data: dict[str, Any] = orjson.loads(orjson.dumps(record))
    return data
