"""Every resource in or out goes through its fhir.resources R4B model.

R4B (FHIR 4.3) serves R4 clients for the resources used here: their R4 and R4B
definitions are the same for every element SpasmCare reads or writes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fhir.resources.R4B import get_fhir_model_class
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Location = tuple[str | int, ...]


def checked(model: type[M], data: dict[str, Any]) -> M:
    """The resource built through its model. Raises if it is not valid: for our own
    output that is a bug, never a user error."""
    return model.model_validate(data)


def to_json(resource: BaseModel) -> dict[str, Any]:
    return resource.model_dump(mode="json", exclude_none=True)


def validated(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The resource as its model serialises it (JSON-ready)."""
    return to_json(checked(model, data))


def shape_problems(model: type[BaseModel], data: object) -> list[tuple[Location, str]]:
    """Why ``data`` is not a valid ``model`` resource (empty when it is), by location."""
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [(tuple(item["loc"]), item["msg"]) for item in error.errors()]
    except (KeyError, TypeError, ValueError) as error:
        # fhir.resources raises these for a nested resource of an unknown or non-string
        # resourceType instead of a ValidationError.
        return [((), f"not a valid FHIR resource ({type(error).__name__}: {error})")]
    return []


def is_resource_type(name: object) -> bool:
    """Whether ``name`` is a resource type fhir.resources knows (in R4B)."""
    if not isinstance(name, str):
        return False
    try:
        get_fhir_model_class(name)
    except (KeyError, ValueError):
        return False
    return True


def where(location: Location) -> str:
    """A location as a path, e.g. item[0].answer[1].valueDecimal."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path or "resource"
