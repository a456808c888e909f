from .cases import MediationCase, MediationDecline, MediationExtension, MediationParty, MediationSession
from .legal import Checkup, CheckupVisit, Lawyer, Pairing
from .recommendations import Recommendation, ServiceRules
from .roster import Admission, MediationOrganisation, Mediator, MediatorLink, MediatorSpecialty

__all__ = [
    "Checkup",
    "CheckupVisit",
    "Lawyer",
    "Pairing",
    "Admission",
    "MediationCase",
    "MediationDecline",
    "MediationExtension",
    "MediationOrganisation",
    "MediationParty",
    "MediationSession",
    "Mediator",
    "MediatorLink",
    "MediatorSpecialty",
    "Recommendation",
    "ServiceRules",
]
