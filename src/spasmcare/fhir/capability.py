"""What SpasmCare's FHIR endpoint offers, as a CapabilityStatement."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from spasmcare import __version__
from spasmcare.fhir.codes import BASE
from spasmcare.fhir.validation import validated

# fhirVersion 4.3.0 (R4B): the models used are R4B, and for every resource offered here
# R4B is the same as R4, so R4 clients can use the endpoint as it is.
FHIR_VERSION = "4.3.0"
_STATEMENT_DATE = "2026-11-21"  # when what is offered last changed

ASSESS_OPERATION = f"{BASE}/OperationDefinition/QuestionnaireResponse-assess"
EXPORT_OPERATION = f"{BASE}/OperationDefinition/Bundle-export"
IMPORT_OPERATION = f"{BASE}/OperationDefinition/Bundle-import"


def capability_statement(base_url: str) -> dict[str, Any]:
    """The CapabilityStatement of the server at ``base_url`` (validated, JSON-ready)."""
    statement = {
        "resourceType": "CapabilityStatement",
        "url": f"{base_url.rstrip('/')}/metadata",
        "version": __version__,
        "name": "SpasmCareFhirServer",
        "title": "SpasmCare FHIR API",
        "status": "active",
        "date": _STATEMENT_DATE,
        "publisher": "SpasmCare",
        "description": (
            "Back-spasm triage over FHIR: fetch the intake Questionnaire, post a "
            "QuestionnaireResponse to $assess for a Bundle with the RiskAssessment, the "
            "finding Observations and the CarePlan, and export or import a person's records "
            "as a Bundle."
        ),
        "kind": "instance",
        "software": {"name": "SpasmCare", "version": __version__},
        "implementation": {"description": "SpasmCare FHIR API", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {
                        "type": "Questionnaire",
                        "interaction": [{"code": "read"}],
                        "documentation": "The intake Questionnaire (id spasmcare-intake).",
                    },
                    {
                        "type": "QuestionnaireResponse",
                        "operation": [
                            {
                                "name": "assess",
                                "definition": ASSESS_OPERATION,
                                "documentation": (
                                    "POST a QuestionnaireResponse to the intake Questionnaire; "
                                    "returns a collection Bundle with the RiskAssessment, "
                                    "Observations and CarePlan."
                                ),
                            }
                        ],
                    },
                    {
                        "type": "Bundle",
                        "operation": [
                            {
                                "name": "export",
                                "definition": EXPORT_OPERATION,
                                "documentation": (
                                    "The signed-in person's records (Patient, assessments, "
                                    "diary) as a collection Bundle. Not Bulk Data $export."
                                ),
                            },
                            {
                                "name": "import",
                                "definition": IMPORT_OPERATION,
                                "documentation": (
                                    "POST a Bundle made by export; every entry is checked "
                                    "and nothing is imported if any entry is not acceptable."
                                ),
                            },
                        ],
                    },
                ],
            }
        ],
    }
    return validated(CapabilityStatement, statement)
