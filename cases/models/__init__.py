from .complaints import CaseReview, Complaint, ComplaintCaseNumber, ComplaintMessage
from .enterprises import Enterprise
from .transfers import Transfer

__all__ = ["CaseReview", "Complaint", "ComplaintCaseNumber", "ComplaintMessage", "Enterprise", "Transfer"]
