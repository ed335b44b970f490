"""The CapabilityStatement names what the FHIR endpoint offers."""

from __future__ import annotations

from spasmcare.fhir import capability_statement
from spasmcare.fhir.codes import BASE
from tests.fhir import revalidate


def test_a_valid_instance_statement() -> None:
    statement = capability_statement("https://api.example.org/fhir/")
    assert revalidate(statement) == statement
    assert statement["status"] == "active"
    assert statement["kind"] == "instance"
    assert statement["fhirVersion"] == "4.3.0"
    assert statement["format"] == ["json"]
    assert statement["implementation"]["url"] == "https://api.example.org/fhir/"
    assert statement["url"] == "https://api.example.org/fhir/metadata"


def test_resources_and_operations() -> None:
    (rest,) = capability_statement("https://api.example.org/fhir")["rest"]
    assert rest["mode"] == "server"
    resources = {resource["type"]: resource for resource in rest["resource"]}
    assert set(resources) == {"Questionnaire", "QuestionnaireResponse", "Bundle"}
    assert resources["Questionnaire"]["interaction"] == [{"code": "read"}]
    operations = {
        operation["name"]: operation["definition"]
        for resource in rest["resource"]
        for operation in resource.get("operation", [])
    }
    assert set(operations) == {"assess", "export", "import"}
    assert all(url.startswith(f"{BASE}/OperationDefinition/") for url in operations.values())
