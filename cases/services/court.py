"""The handling side: register, return, assign, answer, the one extension, the case review."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import attachments, deadlines
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import Deadline, Department, User
from liaison.workflow import required, users_with_roles

from .. import registration
from ..choices import FEEDBACK, FOR_ENTERPRISE, REGISTRATION, ExtensionState, ReviewOutcome
from ..durations import refresh_durations
from ..models import CaseReview, Complaint
from ..validators import CaseNumber
from ..workflow import COMPLAINT
from ._common import Uploads, close_deadline, step, tell


def complaint_register(
    *,
    actor: User,
    complaint: Complaint,
    registration_number: str,
    court_case_numbers: Sequence[CaseNumber] = (),
    under_supervision: bool = False,
) -> Complaint:
    """The court acknowledges the transfer and records it against the case (随案登记)."""
    number = required(registration_number, _("登记号"))
    with transaction.atomic():
        step(
            complaint,
            "register",
            actor,
            registration_number=number,
            registered_at=timezone.now(),
            court_case_numbers="、".join(n.canonical for n in court_case_numbers),
            under_supervision=under_supervision,
            summary=number,
        )
        registration.consume(complaint, number)
        close_deadline(complaint, REGISTRATION, actor)
    return complaint


def complaint_court_return(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """The court sends the transfer back (e.g. not its jurisdiction); the federation decides next."""
    reason = required(reason, _("退回理由"))
    with transaction.atomic():
        step(complaint, "court_return", actor, reason=reason, summary=reason)
        close_deadline(complaint, REGISTRATION, actor, cancelled=True)
        close_deadline(complaint, FEEDBACK, actor, cancelled=True)
        tell(users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER), complaint, _("法院退回移送"))
    return complaint


def complaint_assign(*, actor: User, complaint: Complaint, department: Department, handler: User) -> Complaint:
    """Give the complaint to a department and a handler of the court."""
    if department.organization_id != complaint.court_id:
        raise ActionRefused(_("承办部门须是本院的部门。"), field="department")
    if handler.organization_id != complaint.court_id or not handler.has_role(Role.COURT_HANDLER):
        raise ActionRefused(_("承办人须是本院的承办人。"), field="handler")
    if handler.department_id and handler.department_id != department.pk:
        raise ActionRefused(_("承办人不属于所选的承办部门。"), field="handler")
    with transaction.atomic():
        step(
            complaint,
            "assign",
            actor,
            department=department,
            handler=handler,
            summary=f"{department.name} · {handler.display_name}",
        )
        deadline = deadlines.open_deadline(complaint, FEEDBACK)
        if deadline is not None:
            Deadline.objects.filter(pk=deadline.pk).update(
                owner_user=handler, computed_at=timezone.now()
            )  # reminded anew
        tell([handler], complaint, _("交办诉求"))
    return complaint


def complaint_answer(
    *,
    actor: User,
    complaint: Complaint,
    answer: str,
    files: Uploads = (),
    enterprise_answer: str = "",
    enterprise_files: Uploads = (),
) -> Complaint:
    """The court's written result back to the federation, and what of it the enterprise reads.

    `answer` and `files` stay between the court and the federation; `enterprise_answer` is written
    for the enterprise and `enterprise_files` are marked for it (required for a matter filed online).
    """
    COMPLAINT.check(actor, complaint, "answer")
    answer = required(answer, _("办理结果"))
    enterprise_answer = (enterprise_answer or "").strip()
    if complaint.filed_online and not enterprise_answer:
        raise ActionRefused(
            _("该诉求由企业在线提交，请填写答复企业的内容（企业可见）。"), ActionRefused.INVALID, "enterprise_answer"
        )
    with transaction.atomic():
        step(
            complaint,
            "answer",
            actor,
            answer=answer,
            enterprise_answer=enterprise_answer,
            answered_at=timezone.now(),
            summary=answer[:200],
        )
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor, purpose="answer")
        for upload, kind in enterprise_files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor, purpose=FOR_ENTERPRISE)
        close_deadline(complaint, FEEDBACK, actor)
        refresh_durations(Complaint.objects.filter(pk=complaint.pk))  # on time against the deadline just met
        tell(
            [complaint.created_by, *users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER)],
            complaint,
            _("法院已反馈"),
        )
    return complaint


def complaint_request_extension(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """One extension per complaint, asked for with a reason and approved by a court leader."""
    COMPLAINT.check(actor, complaint, "request_extension")
    reason = required(reason, _("延期理由"))
    with transaction.atomic():
        step(complaint, "request_extension", actor, checked=True, extension_reason=reason, summary=reason)
        tell(users_with_roles(complaint.court_id, Role.LEADER), complaint, _("延期申请待审批"))
    return complaint


def complaint_decide_extension(*, actor: User, complaint: Complaint, approve: bool) -> Complaint:
    with transaction.atomic():
        COMPLAINT.perform(
            actor, complaint, "decide_extension", target=ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        )
        if approve:
            deadline = deadlines.open_deadline(complaint, FEEDBACK)
            if deadline is not None:
                deadlines.deadline_extend(
                    deadline=deadline,
                    working_days=complaint.mechanism.extension_working_days,
                    reason=complaint.extension_reason,
                    actor=actor,
                )
    complaint.refresh_from_db()
    return complaint


def case_review_record(*, actor: User, complaint: Complaint, outcome: str, explanation: str = "") -> CaseReview:
    """Record the review of the effective judgment the complaint is about."""
    COMPLAINT.check(actor, complaint, "case_review")
    if outcome not in ReviewOutcome.values:
        raise ActionRefused(_("请选择评查结果。"), field="outcome")
    if outcome == ReviewOutcome.NO_ERROR and not explanation.strip():
        raise ActionRefused(_("评查无错误的，须写明向企业释法析理的说明。"), field="explanation")
    with transaction.atomic():
        review, _created = CaseReview.objects.update_or_create(
            complaint=complaint,
            defaults={
                "outcome": outcome,
                "explanation": explanation.strip(),
                "reviewed_by": actor,
                "reviewed_at": timezone.now(),
            },
        )
        COMPLAINT.perform(actor, complaint, "case_review", checked=True, summary=f"{review.get_outcome_display()}")
    return review
