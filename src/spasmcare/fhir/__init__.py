"""FHIR R4 interoperability: the intake Questionnaire, assessments as RiskAssessment +
Observations + CarePlan, a person's records as a Bundle, and the CapabilityStatement.

Resources are built and checked with fhir.resources' R4B models (FHIR 4.3), which serve R4
clients for every resource used here. Functions return validated, JSON-ready dicts.
"""

from spasmcare.fhir.assessment import assessment_bundle, findings_from_response
from spasmcare.fhir.bundle import (
    ImportedRecords,
    SavedAssessment,
    patient_bundle,
    read_patient_bundle,
)
from spasmcare.fhir.capability import capability_statement
from spasmcare.fhir.questionnaire import (
    QUESTIONNAIRE_URL,
    intake_questionnaire,
    unexpressed_conditions,
)

__all__ = [
    "QUESTIONNAIRE_URL",
    "ImportedRecords",
    "SavedAssessment",
    "assessment_bundle",
    "capability_statement",
    "findings_from_response",
    "intake_questionnaire",
    "patient_bundle",
    "read_patient_bundle",
    "unexpressed_conditions",
]
