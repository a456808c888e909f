"""Every write on enterprises, complaints and transfers, split by concept.

Each status change is a declared step of `cases.workflow.COMPLAINT`, performed by
`liaison.workflow.Workflow.perform`: the actor's side and role, the current state (a conditional
update, so of two concurrent clerks exactly one wins), the audit event and the deadlines, all in
one transaction; notifications are rows in the same transaction, emails go after commit.
"""

from __future__ import annotations

from ..choices import FEEDBACK, REGISTRATION, REVIEW
from ..workflow import COMPLAINT, COURT_SIDE_FILE_STATES, FILING_SIDE_FILE_STATES
from ._common import Uploads
from .complaints import (
    ComplaintData,
    Routing,
    RoutingParty,
    complaint_close,
    complaint_create,
    complaint_decline,
    complaint_queue,
    complaint_reopen,
    complaint_request_material,
    complaint_start_review,
    complaint_submit,
    complaint_supply_material,
    complaint_update,
    complaint_withdraw,
    filed_case_numbers,
    handling_organization_ids,
    likely_duplicates,
    routing_in_scope,
)
from .court import (
    case_review_record,
    complaint_answer,
    complaint_assign,
    complaint_court_return,
    complaint_decide_extension,
    complaint_register,
    complaint_request_extension,
)
from .enterprises import (
    ENTERPRISE_FIELDS,
    EnterpriseData,
    enterprise_register,
    enterprise_set_public,
    enterprise_update,
)
from .portal import (
    Account,
    SelfRegistration,
    code_consume,
    code_request,
    enterprise_invite,
    enterprise_self_register,
    invitation_accept,
    invitation_for,
    membership_confirm,
    membership_refuse,
)
from .portal_filing import MatterData, enterprise_message_post, matter_save_draft
from .satisfaction import followup_record, matter_rate, satisfaction_explain, satisfaction_grant_reopen
from .thread import complaint_add_files, message_post, visible_message_filter
from .transfers import complaint_reroute, complaint_transfer_now, complaints_transfer_batch


def allowed_actions(actor, complaint) -> list[str]:  # noqa: ANN001 - kept for the API's field and callers
    """The names of the steps this user may take on the complaint now."""
    return [rule.name for rule in COMPLAINT.allowed(actor, complaint)]


__all__ = [
    "followup_record",
    "matter_rate",
    "satisfaction_explain",
    "satisfaction_grant_reopen",
    "MatterData",
    "enterprise_message_post",
    "matter_save_draft",
    "Account",
    "SelfRegistration",
    "code_consume",
    "code_request",
    "enterprise_invite",
    "enterprise_self_register",
    "invitation_accept",
    "invitation_for",
    "membership_confirm",
    "membership_refuse",
    "COMPLAINT",
    "COURT_SIDE_FILE_STATES",
    "ENTERPRISE_FIELDS",
    "FEEDBACK",
    "FILING_SIDE_FILE_STATES",
    "REGISTRATION",
    "REVIEW",
    "ComplaintData",
    "Routing",
    "RoutingParty",
    "EnterpriseData",
    "Uploads",
    "allowed_actions",
    "case_review_record",
    "complaint_add_files",
    "complaint_answer",
    "complaint_assign",
    "complaint_close",
    "complaint_court_return",
    "complaint_create",
    "complaint_decide_extension",
    "complaint_decline",
    "complaint_queue",
    "complaint_register",
    "complaint_reopen",
    "complaint_request_extension",
    "complaint_request_material",
    "complaint_reroute",
    "complaint_start_review",
    "complaint_submit",
    "complaint_supply_material",
    "complaint_transfer_now",
    "complaint_update",
    "complaint_withdraw",
    "complaints_transfer_batch",
    "enterprise_register",
    "enterprise_set_public",
    "enterprise_update",
    "filed_case_numbers",
    "handling_organization_ids",
    "likely_duplicates",
    "message_post",
    "routing_in_scope",
    "visible_message_filter",
]
