"""HTML pages of the cases app: thin, they parse input, call one selector or service, and render."""

from .actions import complaint_act, complaint_message
from .complaints import (
    complaint_count,
    complaint_create,
    complaint_detail,
    complaint_edit,
    complaint_export,
    complaint_list,
)
from .enterprises import (
    enterprise_create,
    enterprise_detail,
    enterprise_edit,
    enterprise_list,
    enterprise_lookup,
    enterprise_public,
)
from .transfers import transfer_batch, transfer_detail, transfer_list, transfer_pdf

__all__ = [
    "complaint_act",
    "complaint_count",
    "complaint_create",
    "complaint_detail",
    "complaint_edit",
    "complaint_export",
    "complaint_list",
    "complaint_message",
    "enterprise_create",
    "enterprise_detail",
    "enterprise_edit",
    "enterprise_public",
    "enterprise_list",
    "enterprise_lookup",
    "transfer_batch",
    "transfer_detail",
    "transfer_list",
    "transfer_pdf",
]
