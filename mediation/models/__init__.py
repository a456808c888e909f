from .cases import MediationCase, MediationDecline, MediationExtension, MediationParty, MediationSession
from .recommendations import Recommendation, ServiceRules
from .roster import Admission, MediationOrganisation, Mediator, MediatorLink, MediatorSpecialty

__all__ = [
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
