"""Every write on mediation cases: referral, assignment, the mediator's answer, sessions, outcome.

Each step is declared in `mediation.workflow.CASE` and performed through it: it checks the actor's
side and role, moves the status with a conditional update (of two concurrent managers exactly one
assigns), writes the audit event; the service adjusts the time limit, all in one transaction;
notifications are rows in the same transaction, emails go after commit.

The time limit is in calendar days (30 for a delegated case, 15 for an entrusted one, from the
mechanism). The case keeps the calendar `due_date`; a liaison Deadline counting the working days
up to the last working day on or before it drives the reminders (before, on and after the limit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Enterprise
from liaison import audit, deadlines
from liaison.channels import events as channel_events
from liaison.choices import NotificationKind, Role
from liaison.errors import ActionRefused
from liaison.models import Deadline, Organization, User
from liaison.notifications import notify
from liaison.numbering import next_number
from liaison.validators import normalize_phone, parse_case_number, validate_phone
from liaison.workdays import WorkingCalendar
from liaison.workflow import required

from ..choices import (
    MAX_EXTENSION_DAYS,
    TIME_LIMIT_KIND,
    CaseSource,
    CaseStatus,
    MediatorStatus,
    PartyRole,
    Specialty,
)
from ..models import (
    MediationCase,
    MediationDecline,
    MediationExtension,
    MediationOrganisation,
    MediationParty,
    MediationSession,
    Mediator,
)
from ..workflow import CASE, COURT_DESK, EXTENDABLE, on_court_side, on_organisation_side
from ._common import case_url, court_clerks, managers_of, tell
from .roster import active_admission

S = CaseStatus


def allowed_actions(actor: User, case: MediationCase) -> list[str]:
    """The steps this user may take on the case now, for the API's detail (from the declaration)."""
    return [rule.name for rule in CASE.allowed(actor, case) if rule.per_object]


def _locked(case: MediationCase) -> MediationCase:
    """Read the case again under a row lock, so that a step of "the assigned mediator" sees who
    that is now (a late answer must not act on someone else's later assignment)."""
    list(MediationCase.objects.select_for_update().filter(pk=case.pk).values_list("pk"))
    case.refresh_from_db()
    return case


# --- the time limit -----------------------------------------------------------------------------


def _deadline_days(start: dt.date, due: dt.date, calendar: WorkingCalendar) -> int:
    """Working days from `start` to the last working day on or before the calendar `due`."""
    return max(calendar.working_days_between(start, due), 1)


def _start_time_limit(case: MediationCase, actor: User, owner: User | None) -> None:
    start = timezone.localdate(case.referred_at)
    deadlines.deadline_start(
        target=case,
        kind=TIME_LIMIT_KIND,
        label=f"{case.serial} {case.title}",
        mechanism=case.mechanism,
        owner_organization=case.organisation.organization,
        owner_user=owner,
        start=start,
        working_days=_deadline_days(start, case.due_date, WorkingCalendar()),
        actor=actor,
        url=case_url(case),
    )


def _time_limit_owner(case: MediationCase, owner: User | None) -> None:
    """Reminders go to whoever holds the case now: a manager until a mediator with an account has it."""
    deadline = deadlines.open_deadline(case, TIME_LIMIT_KIND)
    if deadline is not None and owner is not None:
        Deadline.objects.filter(pk=deadline.pk).update(owner_user=owner, computed_at=timezone.now())  # reminded anew


def _end_time_limit(case: MediationCase, actor: User, *, cancelled: bool = False) -> None:
    deadline = deadlines.open_deadline(case, TIME_LIMIT_KIND)
    if deadline is not None:
        deadlines.deadline_close(deadline=deadline, actor=actor, cancelled=cancelled)


def _closing(case: MediationCase) -> dict:
    """What a case stores when it ends, so that the figures are plain aggregates."""
    now = timezone.now()
    on = timezone.localdate(now)
    referred_on = timezone.localdate(case.referred_at)
    return {
        "closed_at": now,
        "closed_on": on,
        "duration_days": max((on - referred_on).days, 0),
        "in_time": on <= case.due_date,
    }


# --- referral -----------------------------------------------------------------------------------


@dataclass
class PartyData:
    role: str
    name: str
    enterprise: Enterprise | None = None
    contact_person: str = ""
    phone: str = ""


@dataclass
class CaseData:
    source: str
    organisation: MediationOrganisation
    court: Organization
    dispute_type: str
    title: str
    description: str
    parties: Sequence[PartyData] = ()
    amount: Decimal | None = None
    case_number: str = ""


def _clean_parties(parties: Sequence[PartyData], mechanism_id: int) -> list[PartyData]:
    cleaned = []
    for index, party in enumerate(parties, start=1):
        name = (party.name or "").strip()
        if party.enterprise is not None and not name:
            name = party.enterprise.name
        if not name:
            continue
        if party.role not in PartyRole.values:
            raise ActionRefused(_("第 %(n)s 位当事人的地位不正确。") % {"n": index}, field="parties")
        if party.enterprise is not None and party.enterprise.mechanism_id != mechanism_id:
            raise ActionRefused(_("当事人“%(name)s”关联的企业不属于本机制。") % {"name": name}, field="parties")
        phone = (party.phone or "").strip()
        if phone:
            try:
                validate_phone(phone)
            except ValidationError as error:
                raise ActionRefused(
                    _("当事人“%(name)s”的联系电话：%(error)s") % {"name": name, "error": "；".join(error.messages)},
                    field="parties",
                ) from None
            phone = normalize_phone(phone)
        cleaned.append(PartyData(party.role, name, party.enterprise, (party.contact_person or "").strip(), phone))
    roles = {p.role for p in cleaned}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        raise ActionRefused(_("请至少填写一位申请人和一位被申请人。"), field="parties")
    return cleaned


def case_refer(*, actor: User, data: CaseData) -> MediationCase:
    """Register a case: the court delegates or entrusts it, or a chamber's organisation takes an application."""
    organisation, court = data.organisation, data.court
    if data.source not in CaseSource.values:
        raise ActionRefused(_("请选择案件来源。"), field="source")
    admission = active_admission(organisation, court)
    if admission is None:
        raise ActionRefused(
            _("%(org)s不是%(court)s的特邀调解组织。") % {"org": organisation.name, "court": court.name},
            field="organisation",
        )
    mechanism = admission.mechanism
    if data.source == CaseSource.CHAMBER:
        if not on_organisation_side(actor, organisation) or not actor.has_role(Role.MEDIATION_MANAGER):
            raise ActionRefused(_("商会受理的调解申请由该调解组织的调解管理员登记。"), ActionRefused.PERMISSION)
    elif not on_court_side(actor, court.pk, mechanism) or not actor.has_role(*COURT_DESK):
        raise ActionRefused(_("委派、委托调解由人民法院的立案或承办人员登记。"), ActionRefused.PERMISSION)
    case_number = ""
    if data.source == CaseSource.ENTRUSTED:
        try:
            case_number = parse_case_number(required(data.case_number, _("案号"), "case_number")).canonical
        except ValidationError as error:
            raise ActionRefused("；".join(error.messages), field="case_number") from None
    elif (data.case_number or "").strip():
        raise ActionRefused(_("只有委托调解（立案后）才填写案号。"), field="case_number")
    if data.dispute_type not in Specialty.values:
        raise ActionRefused(_("请选择纠纷类型。"), field="dispute_type")
    title = required(data.title, _("案由"), "title")
    description = required(data.description, _("纠纷概况"), "description")
    if data.amount is not None and data.amount < 0:
        raise ActionRefused(_("标的额不能为负数。"), field="amount")
    parties = _clean_parties(data.parties, mechanism.pk)
    days = (
        mechanism.entrusted_mediation_days
        if data.source == CaseSource.ENTRUSTED
        else mechanism.delegated_mediation_days
    )
    now = timezone.now()
    managers = managers_of(organisation)
    with transaction.atomic():
        year = timezone.localdate(now).year
        sequence = next_number(mechanism=mechanism, series="mediation", year=year)
        case = MediationCase.objects.create(
            mechanism=mechanism,
            court=court,
            organisation=organisation,
            serial=f"调{year}-{mechanism.pk:02d}-{sequence:04d}",
            source=data.source,
            case_number=case_number,
            dispute_type=data.dispute_type,
            title=title,
            description=description,
            amount=data.amount,
            referred_by=actor,
            referred_at=now,
            time_limit_days=days,
            due_date=timezone.localdate(now) + dt.timedelta(days=days),
        )
        MediationParty.objects.bulk_create(
            [
                MediationParty(
                    case=case,
                    role=p.role,
                    name=p.name,
                    enterprise=p.enterprise,
                    contact_person=p.contact_person,
                    phone=p.phone,
                )
                for p in parties
            ]
        )
        referred = audit.record(
            actor=actor,
            target=case,
            action="refer",
            to_state=S.REFERRED,
            summary=f"{case.get_source_display()} · {title}",
        )
        channel_events.emit("mediation.referred", case, key=f"audit:{referred.pk}")
        _start_time_limit(case, actor, managers[0] if managers else None)
        tell(managers, case, _("新调解案件待指派"))
    return case


# --- assignment and the mediator's answer --------------------------------------------------------


def case_assign(*, actor: User, case: MediationCase, mediator: Mediator) -> MediationCase:
    """The manager gives the case to a mediator the ranking has not excluded."""
    from ..ranking import rank_candidates

    CASE.check(actor, case, "assign")
    if mediator.court_id != case.court_id:
        raise ActionRefused(
            _("请从%(court)s的特邀调解员名册中选择调解员。") % {"court": case.court.name}, field="mediator"
        )
    if mediator.status != MediatorStatus.ACTIVE:
        raise ActionRefused(
            _("调解员%(name)s当前为“%(state)s”，不能指派。")
            % {"name": mediator.name, "state": mediator.get_status_display()},
            field="mediator",
        )
    ranking = rank_candidates(case)
    excluded = ranking.excluded_by_id.get(mediator.pk)
    if excluded is not None:
        raise ActionRefused(
            _("不能指派%(name)s：%(reasons)s") % {"name": mediator.name, "reasons": "；".join(excluded.reasons)},
            field="mediator",
        )
    if mediator.pk not in ranking.candidate_ids:
        raise ActionRefused(_("调解员%(name)s不在任期内，不能指派。") % {"name": mediator.name}, field="mediator")
    with transaction.atomic():
        CASE.perform(actor, case, "assign", summary=mediator.name, mediator=mediator, assigned_at=timezone.now())
        _time_limit_owner(case, mediator.user)
        tell([mediator.user], case, _("调解案件已指派给您"))
    return case


def case_accept(*, actor: User, case: MediationCase) -> MediationCase:
    with transaction.atomic():
        CASE.perform(actor, _locked(case), "accept", accepted_at=timezone.now())
        tell(managers_of(case.organisation), case, _("调解员已接受指派"))
    return case


def case_decline(*, actor: User, case: MediationCase, reason: str) -> MediationCase:
    """The mediator declines with a reason; the case goes back to the manager to assign again."""
    reason = required(reason, _("拒绝理由"), "reason")
    with transaction.atomic():
        mediator = cast(Mediator, _locked(case).mediator)  # perform() refuses an unassigned case
        CASE.perform(actor, case, "decline", summary=reason, mediator=None, assigned_at=None)
        MediationDecline.objects.create(case=case, mediator=mediator, reason=reason)
        managers = managers_of(case.organisation)
        _time_limit_owner(case, managers[0] if managers else None)
        tell(managers, case, _("调解员拒绝指派，请重新指派"), body=reason)
    return case


# --- sessions -----------------------------------------------------------------------------------


def _online_link(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ActionRefused(_("在线调解链接须是以 https:// 或 http:// 开头的网址。"), field="online_link")
    return value


def session_add(
    *,
    actor: User,
    case: MediationCase,
    scheduled_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    notes: str = "",
) -> MediationSession:
    """Schedule (or record) a session; the first one moves an accepted case to in progress."""
    CASE.check(actor, case, "session")
    if scheduled_at is None:
        raise ActionRefused(_("请填写调解时间。"), field="scheduled_at")
    place, link = (place or "").strip(), _online_link(online_link)
    if not place and not link:
        raise ActionRefused(_("请填写调解地点或在线调解链接。"), field="place")
    with transaction.atomic():
        if case.status == S.ACCEPTED:
            CASE.perform(actor, case, "start", started_at=timezone.now())
        session = MediationSession.objects.create(
            case=case,
            scheduled_at=scheduled_at,
            place=place,
            online_link=link,
            notes=(notes or "").strip(),
            created_by=actor,
        )
        when = timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M")
        CASE.perform(actor, case, "session", checked=True, summary=f"{when} {place or link}")
        if scheduled_at > timezone.now():
            body = _("时间：%(when)s；地点：%(place)s") % {"when": when, "place": place or "—"}
            if link:
                body += _("；在线调解链接：%(link)s") % {"link": link}
            recipients = [case.mediator.user if case.mediator else None, *managers_of(case.organisation)]
            notify(
                [u for u in recipients if u is not None and u.pk != actor.pk],
                kind=NotificationKind.MEETING,
                title=_("已安排调解：%(serial)s %(title)s（%(when)s）")
                % {"serial": case.serial, "title": case.title, "when": when},
                body=body,
                url=case_url(case),
            )
    return session


# --- outcomes -----------------------------------------------------------------------------------


def case_record_agreement(
    *, actor: User, case: MediationCase, agreement_text: str, agreement_amount: Decimal | None = None
) -> MediationCase:
    text = required(agreement_text, _("调解协议内容"), "agreement_text")
    if agreement_amount is not None and agreement_amount < 0:
        raise ActionRefused(_("协议金额不能为负数。"), field="agreement_amount")
    with transaction.atomic():
        CASE.perform(
            actor,
            case,
            "agree",
            summary=text[:200],
            agreement_text=text,
            agreement_amount=agreement_amount,
            **_closing(case),
        )
        _end_time_limit(case, actor)
        tell([*court_clerks(case.court_id), *managers_of(case.organisation)], case, _("调解达成协议"))
    return case


def case_record_failure(*, actor: User, case: MediationCase, reason: str) -> MediationCase:
    """Mediation failed: the case goes back to the court for filing (转立案), and the court is told."""
    reason = required(reason, _("调解不成的原因"), "reason")
    with transaction.atomic():
        CASE.perform(actor, case, "fail", summary=reason, failure_reason=reason, **_closing(case))
        _end_time_limit(case, actor)
        referrer = [case.referred_by] if case.referred_by.organization_id == case.court_id else []
        tell([*court_clerks(case.court_id), *referrer], case, _("调解不成，请依法转立案"), body=reason)
    return case


def case_withdraw(*, actor: User, case: MediationCase, reason: str) -> MediationCase:
    reason = required(reason, _("撤回理由"), "reason")
    with transaction.atomic():
        CASE.perform(actor, case, "withdraw", summary=reason, withdrawal_reason=reason, **_closing(case))
        _end_time_limit(case, actor, cancelled=True)
        mediator_user = case.mediator.user if case.mediator else None
        tell(
            [mediator_user, *managers_of(case.organisation), *court_clerks(case.court_id)],
            case,
            _("调解已撤回"),
            body=reason,
        )
    return case


def case_extend(
    *,
    actor: User,
    case: MediationCase,
    days: int,
    reason: str,
    applicant_consent: bool,
    respondent_consent: bool,
    consent_note: str,
) -> MediationExtension:
    """Extend the time limit; both parties' consent is required and recorded."""
    CASE.check(actor, case, "extend")
    if not (applicant_consent and respondent_consent):
        raise ActionRefused(_("延长调解期限须经双方当事人同意：请记录申请人和被申请人均已同意。"), field="consent")
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ActionRefused(_("延长天数须在 1 至 %(max)s 天之间。") % {"max": MAX_EXTENSION_DAYS}, field="days")
    reason = required(reason, _("延长理由"), "reason")
    note = required(consent_note, _("双方同意的方式"), "consent_note")
    old_due = case.due_date
    new_due = old_due + dt.timedelta(days=days)
    with transaction.atomic():
        # The guard on the old due date keeps two concurrent extensions from both counting from it.
        updated = MediationCase.objects.filter(pk=case.pk, status__in=EXTENDABLE, due_date=old_due).update(
            due_date=new_due, extended_days=F("extended_days") + days
        )
        if updated != 1:
            raise ActionRefused(_("调解期限刚被他人修改，请刷新后重试。"), ActionRefused.STATE)
        extension = MediationExtension.objects.create(
            case=case,
            days=days,
            reason=reason,
            applicant_consent=True,
            respondent_consent=True,
            consent_note=note,
            old_due=old_due,
            new_due=new_due,
            recorded_by=actor,
        )
        CASE.perform(
            actor,
            case,
            "extend",
            checked=True,
            summary=_("延长 %(days)s 日：%(old)s → %(new)s；%(reason)s（%(note)s）")
            % {"days": days, "old": old_due, "new": new_due, "reason": reason, "note": note},
        )
        deadline = deadlines.open_deadline(case, TIME_LIMIT_KIND)
        if deadline is not None:
            more = _deadline_days(deadline.start_date, new_due, WorkingCalendar()) - deadline.total_working_days
            if more > 0:
                deadlines.deadline_extend(deadline=deadline, working_days=more, reason=reason, actor=actor)
    case.refresh_from_db()
    return extension


# --- judicial confirmation ----------------------------------------------------------------------


def confirmation_request(*, actor: User, case: MediationCase, note: str = "") -> MediationCase:
    with transaction.atomic():
        CASE.perform(
            actor, case, "request_confirmation", summary=(note or "").strip(), confirmation_requested_at=timezone.now()
        )
        tell(court_clerks(case.court_id), case, _("司法确认申请待审查"))
    return case


def confirmation_decide(*, actor: User, case: MediationCase, confirmed: bool, note: str = "") -> MediationCase:
    """The court confirms the agreement, or refuses with the reason."""
    note = (note or "").strip()
    if not confirmed:
        note = required(note, _("不予确认的理由"), "note")
    action = "confirm" if confirmed else "refuse_confirmation"
    with transaction.atomic():
        CASE.perform(actor, case, action, summary=note, confirmation_note=note, confirmation_decided_at=timezone.now())
        mediator_user = case.mediator.user if case.mediator else None
        tell(
            [mediator_user, *managers_of(case.organisation)],
            case,
            _("调解协议已司法确认") if confirmed else _("调解协议不予司法确认"),
            body=note,
        )
    return case


__all__ = [
    "CaseData",
    "PartyData",
    "allowed_actions",
    "case_accept",
    "case_assign",
    "case_decline",
    "case_extend",
    "case_record_agreement",
    "case_record_failure",
    "case_refer",
    "case_withdraw",
    "confirmation_decide",
    "confirmation_request",
    "session_add",
]
