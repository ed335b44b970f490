"""Tests of the FHIR layer; helpers shared by its test modules."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class


def revalidate(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource checked again with its own R4B model, serialised the same way."""
    model = get_fhir_model_class(resource["resourceType"])
    return model.model_validate(resource).model_dump(mode="json", exclude_none=True)


def leaf_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every non-group item of a Questionnaire, depth first."""
    found: list[dict[str, Any]] = []
    for item in items:
        if item["type"] == "group":
            found += leaf_items(item.get("item", []))
        else:
            found.append(item)
    return found


def entries_of(bundle: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [e for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]
