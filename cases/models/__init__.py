from .complaints import CaseReview, Complaint, ComplaintCaseNumber, ComplaintMessage
from .enterprises import Enterprise
from .portal import EnterpriseInvitation, EnterpriseMembership, OneTimeCode, Satisfaction
from .transfers import Transfer

__all__ = [
    "CaseReview",
    "Complaint",
    "ComplaintCaseNumber",
    "ComplaintMessage",
    "Enterprise",
    "EnterpriseInvitation",
    "EnterpriseMembership",
    "OneTimeCode",
    "Satisfaction",
    "Transfer",
]
