"""Satisfaction with the answers: the enterprise's online rating (and its request to have the matter
handled again), the federation's decision on that request, and follow-up calls for paper matters."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import audit, deadlines
from liaison.choices import NotificationKind, Role
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.notifications import notify
from liaison.workflow import required, users_with_roles

from ..choices import REOPEN_DECISION, ComplaintStatus, Rating, RatingSource, ReopenDecision
from ..models import Complaint, Satisfaction
from ..workflow import COMPLAINT, ENTERPRISE, FILER, SATISFACTION, STAFF
from ._common import complaint_url, portal_url, tell
from .complaints import complaint_reopen

S = ComplaintStatus
RATED_STATES = (S.ANSWERED, S.CLOSED)


def _create(**fields: object) -> Satisfaction:
    try:
        with transaction.atomic():
            return Satisfaction.objects.create(**fields)
    except IntegrityError:
        raise ActionRefused(_("该答复已评价过。"), ActionRefused.STATE) from None


def matter_rate(
    *, actor: User, complaint: Complaint, rating: str, comment: str = "", reopen_reason: str = ""
) -> Satisfaction:
    """The enterprise rates the court's answer; 不满意 may ask, with a reason, for it to be handled again."""
    if ENTERPRISE not in COMPLAINT.sides(actor, complaint):
        raise ActionRefused(_("只有提出诉求的企业才能评价。"), ActionRefused.PERMISSION)
    if complaint.status not in RATED_STATES:
        raise ActionRefused(_("法院答复后才能评价。"), ActionRefused.STATE)
    if rating not in Rating.values:
        raise ActionRefused(_("请选择评价。"), field="rating")
    reopen_reason = (reopen_reason or "").strip()
    if reopen_reason and rating != Rating.DISSATISFIED:
        raise ActionRefused(_("只有“不满意”时才能申请重新办理。"), field="reopen_reason")
    if reopen_reason and complaint.status != S.ANSWERED:
        raise ActionRefused(_("诉求已办结，不能再申请重新办理。"), ActionRefused.STATE, "reopen_reason")
    with transaction.atomic():
        satisfaction = _create(
            complaint=complaint,
            answer_round=complaint.reopen_count,
            source=RatingSource.ONLINE,
            rating=rating,
            comment=(comment or "").strip(),
            rated_by=actor,
            rated_at=timezone.now(),
            reopen_reason=reopen_reason,
            decision=ReopenDecision.PENDING if reopen_reason else ReopenDecision.NONE,
        )
        audit.record(
            actor=actor,
            target=complaint,
            action="rate",
            summary=f"{satisfaction.get_rating_display()} {satisfaction.comment}"[:200],
        )
        if reopen_reason:
            deadlines.deadline_start(
                target=satisfaction,
                kind=REOPEN_DECISION,
                label=_("重新办理申请：%(title)s") % {"title": complaint.title},
                mechanism=complaint.mechanism,
                owner_organization=complaint.filing_organization,
                start=deadlines.today(),
                working_days=complaint.mechanism.review_working_days,
                url=complaint_url(complaint),
                actor=actor,
            )
            tell(
                users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER),
                complaint,
                _("企业不满意并申请重新办理"),
            )
    return satisfaction


def _decided(actor: User, satisfaction: Satisfaction) -> None:
    deadline = deadlines.open_deadline(satisfaction, REOPEN_DECISION)
    if deadline is not None:
        deadlines.deadline_close(deadline=deadline, actor=actor)


def satisfaction_grant_reopen(*, actor: User, satisfaction: Satisfaction) -> Satisfaction:
    """The reviewer grants the request: the court handles the matter again (with a new deadline)."""
    complaint = satisfaction.complaint
    with transaction.atomic():
        SATISFACTION.perform(
            actor, satisfaction, "grant_reopen", decided_by=actor, decided_at=timezone.now(), summary=""
        )
        complaint_reopen(actor=actor, complaint=complaint, reason=satisfaction.reopen_reason)
        _decided(actor, satisfaction)
    return satisfaction


def satisfaction_explain(*, actor: User, satisfaction: Satisfaction, reason: str) -> Satisfaction:
    """The reviewer declines the request and explains why to the enterprise."""
    note = required(reason, _("解释说明"), "reason")
    with transaction.atomic():
        SATISFACTION.perform(
            actor,
            satisfaction,
            "explain",
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=note,
            summary=note[:200],
        )
        _decided(actor, satisfaction)
        notify(
            [satisfaction.rated_by],
            kind=NotificationKind.WORK,
            title=_("工商联对您的重新办理申请作了解释说明：%(title)s") % {"title": satisfaction.complaint.title},
            body=note,
            url=portal_url(satisfaction.complaint),
        )
    return satisfaction


def followup_record(
    *,
    actor: User,
    complaint: Complaint,
    called_on: dt.date,
    person_reached: str,
    rating: str,
    comment: str = "",
) -> Satisfaction:
    """Federation staff record a follow-up call (回访) on an answered matter filed on paper."""
    if FILER not in COMPLAINT.sides(actor, complaint) or not actor.has_role(*STAFF):
        raise ActionRefused(_("只有受理的工商联工作人员才能登记回访。"), ActionRefused.PERMISSION)
    if complaint.filed_online:
        raise ActionRefused(_("在线提交的诉求由企业在线评价。"), ActionRefused.STATE)
    if complaint.status not in RATED_STATES:
        raise ActionRefused(_("法院答复后才能回访。"), ActionRefused.STATE)
    person_reached = required(person_reached, _("回访对象"), "person_reached")
    if rating not in Rating.values:
        raise ActionRefused(_("请选择评价。"), field="rating")
    if called_on > deadlines.today():
        raise ActionRefused(_("回访日期不能晚于今天。"), field="called_on")
    with transaction.atomic():
        satisfaction = _create(
            complaint=complaint,
            answer_round=complaint.reopen_count,
            source=RatingSource.CALL,
            rating=rating,
            comment=(comment or "").strip(),
            rated_by=actor,
            rated_at=timezone.now(),
            called_on=called_on,
            person_reached=person_reached,
        )
        audit.record(
            actor=actor,
            target=complaint,
            action="followup",
            summary=f"{person_reached} {satisfaction.get_rating_display()}",
        )
    return satisfaction
