"""Serializers of the cases API, one module per resource: they shape output and validate input;
the views call the services. Everything is importable from here, as before the split."""

from ._common import (
    CaseNumbersField,
    ComplaintAttachmentSerializer,
    DeadlineSerializer,
    EnterpriseBriefSerializer,
)
from .actions import (
    CaseReviewWriteSerializer,
    ComplaintAnswerSerializer,
    ComplaintAssignSerializer,
    ComplaintFilesSerializer,
    ComplaintMessageSerializer,
    ComplaintMessageWriteSerializer,
    ComplaintNoteSerializer,
    ComplaintReasonSerializer,
    ComplaintRegisterSerializer,
    ComplaintRerouteSerializer,
    ExtensionDecisionSerializer,
)
from .complaints import (
    CaseReviewSerializer,
    ComplaintDetailSerializer,
    ComplaintSerializer,
    ComplaintWriteSerializer,
)
from .enterprises import EnterpriseSerializer, EnterpriseWriteSerializer
from .transfers import TransferBatchSerializer, TransferComplaintSerializer, TransferSerializer

__all__ = [
    "CaseNumbersField",
    "CaseReviewSerializer",
    "CaseReviewWriteSerializer",
    "ComplaintAnswerSerializer",
    "ComplaintAssignSerializer",
    "ComplaintAttachmentSerializer",
    "ComplaintDetailSerializer",
    "ComplaintFilesSerializer",
    "ComplaintMessageSerializer",
    "ComplaintMessageWriteSerializer",
    "ComplaintNoteSerializer",
    "ComplaintReasonSerializer",
    "ComplaintRegisterSerializer",
    "ComplaintRerouteSerializer",
    "ComplaintSerializer",
    "ComplaintWriteSerializer",
    "DeadlineSerializer",
    "EnterpriseBriefSerializer",
    "EnterpriseSerializer",
    "EnterpriseWriteSerializer",
    "ExtensionDecisionSerializer",
    "TransferBatchSerializer",
    "TransferComplaintSerializer",
    "TransferSerializer",
]
