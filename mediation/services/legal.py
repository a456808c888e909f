"""Every write on law firms paired with chambers and on legal check-ups (法治体检) and consultations.

The justice bureau (the handling party of its mechanism) registers lawyers and pairings, renews and
ends them. A chamber that is a party files an enterprise's request; the chamber or the bureau
assigns it to a firm paired with that chamber within the mechanism's working-day limit; the firm
records visits and delivers a report with findings and advice within its own limit; the chamber
confirms it. Both limits are liaison deadlines, reminded by the reminder engine and listed in the
overdue ledger when passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import audit, deadlines, scoping
from liaison.choices import NotificationKind, OrganizationKind
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User
from liaison.notifications import notify
from liaison.workdays import WorkingCalendar
from liaison.workflow import required, users_with_roles

from ..choices import (
    CHECKUP_ASSIGN_KIND,
    CHECKUP_REPORT_KIND,
    DEFAULT_ASSIGN_WORKING_DAYS,
    DEFAULT_REPORT_WORKING_DAYS,
    CheckupKind,
    CheckupStatus,
    PairingStatus,
)
from ..models import Checkup, CheckupVisit, Lawyer, Pairing, ServiceRules
from ..workflow import BUREAU_ROLES, CHAMBER_ROLES, CHECKUP, FIRM_ROLES, PAIRING, handles
from .recommendations import _phone

CU, PS = CheckupStatus, PairingStatus


def checkup_url(checkup: Checkup) -> str:
    return f"/mediation/checkups/{checkup.pk}/"


def _limits(mechanism_id: int) -> tuple[int, int]:
    row = ServiceRules.objects.filter(mechanism_id=mechanism_id).values_list(
        "assign_working_days", "report_working_days"
    )
    return next(iter(row), (DEFAULT_ASSIGN_WORKING_DAYS, DEFAULT_REPORT_WORKING_DAYS))


def _party(organization: Organization, mechanism: Mechanism | int) -> bool:
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    return organization.mechanism_parties.filter(mechanism_id=mechanism_id).exists()


def _require_bureau(actor: User, mechanism: Mechanism, what: str) -> None:
    if not actor.organization_id or not scoping.can_act(actor, mechanism) or not handles(actor, mechanism.pk):
        raise ActionRefused(_("只有机制中的司法局才能%(what)s。") % {"what": what}, ActionRefused.PERMISSION)
    if not actor.has_role(*BUREAU_ROLES):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": what}, ActionRefused.PERMISSION)


# --- lawyers and pairings -------------------------------------------------------------------------


def _require_firm_or_bureau(actor: User, mechanism: Mechanism, firm: Organization, what: str) -> None:
    """The firm's own staff, while the firm is a party, or the mechanism's justice bureau."""
    if actor.organization_id == firm.pk and scoping.can_act(actor, mechanism):
        return
    _require_bureau(actor, mechanism, what)


def may_manage_lawyers(actor: User, mechanism: Mechanism, firm: Organization) -> bool:
    """Whether the actor may list and deactivate the firm's lawyers (the checks of `lawyer_add`)."""
    if not actor.is_authenticated:
        return False
    try:
        _require_firm_or_bureau(actor, mechanism, firm, "")
    except ActionRefused:
        return False
    return True


def lawyer_deactivate(*, actor: User, mechanism: Mechanism, lawyer: Lawyer) -> Lawyer:
    """The bureau, or the firm itself, takes a lawyer off the firm's list (kept for past check-ups)."""
    if not _party(lawyer.firm, mechanism):
        raise ActionRefused(_("律师事务所须是本机制的参与单位。"), field="firm")
    _require_firm_or_bureau(actor, mechanism, lawyer.firm, _("注销律师"))
    with transaction.atomic():
        locked = Lawyer.objects.select_for_update().get(pk=lawyer.pk)
        if not locked.is_active:
            raise ActionRefused(_("该律师已不在册。"), ActionRefused.STATE)
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit.record(
            actor=actor, target=locked, action="lawyer_deactivate", summary=f"{locked.firm.name} · {locked.name}"
        )
    return locked


def lawyer_add(
    *,
    actor: User,
    mechanism: Mechanism,
    firm: Organization,
    name: str,
    phone: str,
    license_number: str = "",
    specialties: str = "",
) -> Lawyer:
    """The bureau, or the firm itself, lists a lawyer of a firm that is a party of the mechanism."""
    if firm.kind != OrganizationKind.LAW_FIRM or not _party(firm, mechanism):
        raise ActionRefused(_("律师事务所须是本机制的参与单位。"), field="firm")
    _require_firm_or_bureau(actor, mechanism, firm, _("登记律师"))
    try:
        with transaction.atomic():
            lawyer = Lawyer.objects.create(
                firm=firm,
                name=required(name, _("姓名"), "name"),
                phone=_phone(phone),
                license_number=(license_number or "").strip(),
                specialties=(specialties or "").strip(),
            )
            audit.record(actor=actor, target=lawyer, action="lawyer_add", summary=f"{firm.name} · {lawyer.name}")
    except IntegrityError:
        raise ActionRefused(_("该律师已在本所名单中。"), field="name") from None
    return lawyer


@dataclass
class PairingData:
    firm: Organization | None
    chamber: Organization | None
    term_start: dt.date | None
    term_end: dt.date | None
    firm_contact: str
    firm_phone: str
    chamber_contact: str
    chamber_phone: str
    services: str


def pairing_mechanisms(actor: User) -> QuerySet[Mechanism]:
    """The mechanisms in which the actor's organization is the handling side (the bureau) and the
    actor may register pairings."""
    if not actor.is_authenticated or not actor.organization_id or not actor.has_role(*BUREAU_ROLES):
        return Mechanism.objects.none()
    from liaison.choices import HANDLING_SIDES
    from liaison.models import MechanismParty

    return (
        Mechanism.objects.filter(
            pk__in=MechanismParty.objects.filter(organization_id=actor.organization_id, side__in=HANDLING_SIDES).values(
                "mechanism"
            ),
            parties__organization__kind=OrganizationKind.LAW_FIRM,
        )
        .distinct()
        .order_by("name")
    )


def pairing_create(*, actor: User, mechanism: Mechanism, data: PairingData) -> Pairing:
    """The bureau pairs a law firm with a chamber, both parties of its mechanism."""
    _require_bureau(actor, mechanism, _("登记结对"))
    firm, chamber = data.firm, data.chamber
    if firm is None or firm.kind != OrganizationKind.LAW_FIRM or not _party(firm, mechanism):
        raise ActionRefused(_("请选择本机制中的律师事务所。"), field="firm")
    if (
        chamber is None
        or chamber.kind not in (OrganizationKind.CHAMBER, OrganizationKind.FEDERATION)
        or not _party(chamber, mechanism)
    ):
        raise ActionRefused(_("请选择本机制中的商会。"), field="chamber")
    if data.term_start is None or data.term_end is None or data.term_end <= data.term_start:
        raise ActionRefused(_("结对届满日期须晚于开始日期。"), field="term_end")
    values = {
        "firm_contact": required(data.firm_contact, _("律所联系人"), "firm_contact"),
        "firm_phone": _phone(data.firm_phone),
        "chamber_contact": required(data.chamber_contact, _("商会联系人"), "chamber_contact"),
        "chamber_phone": _phone(data.chamber_phone),
        "services": required(data.services, _("约定服务"), "services"),
    }
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(
                mechanism=mechanism,
                firm=firm,
                chamber=chamber,
                term_start=data.term_start,
                term_end=data.term_end,
                **values,
            )
            audit.record(
                actor=actor,
                target=pairing,
                action="pairing_create",
                to_state=f"pairing:{PS.ACTIVE}",
                summary=_("%(firm)s与%(chamber)s结对，%(start)s 至 %(end)s")
                % {"firm": firm.name, "chamber": chamber.name, "start": data.term_start, "end": data.term_end},
            )
    except IntegrityError:
        raise ActionRefused(_("该律所与该商会已在结对中。"), field="chamber") from None
    return pairing


def pairing_renew(*, actor: User, pairing: Pairing, term_end: dt.date | None) -> Pairing:
    PAIRING.check(actor, pairing, "renew")
    if term_end is None or term_end <= pairing.term_end:
        raise ActionRefused(
            _("新的届满日期须晚于原届满日期（%(end)s）。") % {"end": pairing.term_end}, field="term_end"
        )
    with transaction.atomic():
        return PAIRING.perform(
            actor, pairing, "renew", checked=True, summary=_("续签至 %(end)s") % {"end": term_end}, term_end=term_end
        )


def pairing_end(*, actor: User, pairing: Pairing, reason: str) -> Pairing:
    reason = required(reason, _("结束原因"), "reason")
    with transaction.atomic():
        return PAIRING.perform(actor, pairing, "end", summary=reason, end_reason=reason)


# --- check-ups ------------------------------------------------------------------------------------


@dataclass
class CheckupData:
    enterprise_name: str
    contact_person: str
    contact_phone: str
    subject: str
    description: str = ""
    kind: str = CheckupKind.CHECKUP


def filing_chambers(actor: User) -> QuerySet[Mechanism]:
    """The mechanisms in which the actor's chamber has pairings (so may file requests)."""
    if not actor.is_authenticated or not actor.organization_id or not actor.has_role(*CHAMBER_ROLES):
        return Mechanism.objects.none()
    return scoping.actionable_mechanisms(actor).filter(
        pk__in=Pairing.objects.filter(chamber_id=actor.organization_id).values("mechanism")
    )


def checkup_file(*, actor: User, mechanism: Mechanism, data: CheckupData) -> Checkup:
    """A chamber's staff file an enterprise's request; the assignment limit starts today."""
    if not actor.has_role(*CHAMBER_ROLES):
        raise ActionRefused(_("您没有“登记法治体检申请”的权限。"), ActionRefused.PERMISSION)
    if not actor.organization_id or not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位。"), ActionRefused.PERMISSION)
    if not Pairing.objects.filter(mechanism=mechanism, chamber_id=actor.organization_id, status=PS.ACTIVE).exists():
        raise ActionRefused(_("本商会在该机制中没有结对律所，不能申请法治体检。"), ActionRefused.PERMISSION)
    if data.kind not in CheckupKind.values:
        raise ActionRefused(_("请选择服务类型。"), field="kind")
    values = {
        "kind": data.kind,
        "enterprise_name": required(data.enterprise_name, _("企业名称"), "enterprise_name"),
        "contact_person": required(data.contact_person, _("企业联系人"), "contact_person"),
        "contact_phone": _phone(data.contact_phone),
        "subject": required(data.subject, _("需求事项"), "subject"),
        "description": (data.description or "").strip(),
    }
    assign_days, _report_days = _limits(mechanism.pk)
    today = deadlines.today()
    with transaction.atomic():
        checkup = Checkup.objects.create(
            mechanism=mechanism,
            chamber_id=actor.organization_id,
            filed_by=actor,
            filed_at=timezone.now(),
            assign_due=WorkingCalendar().add_working_days(today, assign_days),
            **values,
        )
        deadline = deadlines.deadline_start(
            target=checkup,
            kind=CHECKUP_ASSIGN_KIND,
            label=_("分派%(name)s的%(kind)s") % {"name": values["enterprise_name"], "kind": checkup.get_kind_display()},
            mechanism=mechanism,
            owner_organization=checkup.chamber,
            start=today,
            working_days=assign_days,
            url=checkup_url(checkup),
            actor=actor,
        )
        Checkup.objects.filter(pk=checkup.pk).update(assign_due=deadline.due_date)
        checkup.assign_due = deadline.due_date
        audit.record(
            actor=actor,
            target=checkup,
            action="checkup_file",
            to_state=f"checkup:{CU.REQUESTED}",
            summary=f"{values['enterprise_name']}：{values['subject']}",
        )
    return checkup


def checkup_assign(*, actor: User, checkup: Checkup, pairing: Pairing | None, lawyer: Lawyer | None = None) -> Checkup:
    """Give the request to a firm paired with the chamber; the firm's report limit starts today."""
    CHECKUP.check(actor, checkup, "assign")
    if pairing is None or pairing.chamber_id != checkup.chamber_id or pairing.mechanism_id != checkup.mechanism_id:
        raise ActionRefused(_("请选择与该商会结对的律师事务所。"), field="pairing")
    if pairing.status != PS.ACTIVE or pairing.term_end < deadlines.today():
        raise ActionRefused(_("该结对已结束或已届满，请先续签。"), field="pairing")
    if lawyer is not None and (lawyer.firm_id != pairing.firm_id or not lawyer.is_active):
        raise ActionRefused(_("承办律师须是该律所在册的律师。"), field="lawyer")
    _assign_days, report_days = _limits(checkup.mechanism_id)
    today = deadlines.today()
    with transaction.atomic():
        CHECKUP.perform(
            actor,
            checkup,
            "assign",
            checked=True,
            summary=f"{pairing.firm.name}" + (f" · {lawyer.name}" if lawyer else ""),
            pairing=pairing,
            lawyer=lawyer,
            assigned_at=timezone.now(),
            report_due=WorkingCalendar().add_working_days(today, report_days),
        )
        old = deadlines.open_deadline(checkup, CHECKUP_ASSIGN_KIND)
        if old is not None:
            deadlines.deadline_close(deadline=old, actor=actor)
        deadline = deadlines.deadline_start(
            target=checkup,
            kind=CHECKUP_REPORT_KIND,
            label=_("%(firm)s为%(name)s出具%(kind)s报告")
            % {"firm": pairing.firm.name, "name": checkup.enterprise_name, "kind": checkup.get_kind_display()},
            mechanism=checkup.mechanism,
            owner_organization=pairing.firm,
            start=today,
            working_days=report_days,
            url=checkup_url(checkup),
            actor=actor,
        )
        Checkup.objects.filter(pk=checkup.pk).update(report_due=deadline.due_date)
        checkup.report_due = deadline.due_date
        notify(
            users_with_roles(pairing.firm_id, *FIRM_ROLES),
            kind=NotificationKind.WORK,
            title=_("%(chamber)s的%(name)s申请%(kind)s，请于 %(due)s 前出具报告")
            % {
                "chamber": checkup.chamber.name,
                "name": checkup.enterprise_name,
                "kind": checkup.get_kind_display(),
                "due": checkup.report_due,
            },
            url=checkup_url(checkup),
        )
    return checkup


def checkup_visit(
    *, actor: User, checkup: Checkup, visited_on: dt.date | None, lawyers: str, notes: str
) -> CheckupVisit:
    CHECKUP.check(actor, checkup, "visit")
    if visited_on is None or visited_on > deadlines.today():
        raise ActionRefused(_("走访日期不能晚于今天。"), field="visited_on")
    with transaction.atomic():
        visit = CheckupVisit.objects.create(
            checkup=checkup,
            visited_on=visited_on,
            lawyers=required(lawyers, _("走访律师"), "lawyers")[:200],
            notes=required(notes, _("走访记录"), "notes"),
            recorded_by=actor,
        )
        CHECKUP.perform(actor, checkup, "visit", checked=True, summary=f"{visited_on} · {visit.lawyers}")
    return visit


def checkup_report(*, actor: User, checkup: Checkup, findings: str, advice: str) -> Checkup:
    """The firm delivers its report: the problems found and its advice."""
    CHECKUP.check(actor, checkup, "report")
    findings = required(findings, _("发现的问题"), "findings")
    advice = required(advice, _("法律建议"), "advice")
    today = deadlines.today()
    with transaction.atomic():
        CHECKUP.perform(
            actor,
            checkup,
            "report",
            checked=True,
            summary=advice[:200],
            findings=findings,
            advice=advice,
            reported_at=timezone.now(),
            in_time=checkup.report_due is not None and today <= checkup.report_due,
        )
        deadline = deadlines.open_deadline(checkup, CHECKUP_REPORT_KIND)
        if deadline is not None:
            deadlines.deadline_close(deadline=deadline, actor=actor)
        notify(
            users_with_roles(checkup.chamber_id, *CHAMBER_ROLES),
            kind=NotificationKind.WORK,
            title=_("%(firm)s已出具%(name)s的%(kind)s报告，请确认")
            % {
                "firm": actor.organization.name if actor.organization else "",
                "name": checkup.enterprise_name,
                "kind": checkup.get_kind_display(),
            },
            url=checkup_url(checkup),
        )
    return checkup


def checkup_confirm(*, actor: User, checkup: Checkup, note: str = "") -> Checkup:
    with transaction.atomic():
        return CHECKUP.perform(
            actor,
            checkup,
            "confirm",
            summary=(note or "").strip()[:200],
            confirmed_at=timezone.now(),
            confirmation_note=(note or "").strip()[:300],
        )


def checkup_cancel(*, actor: User, checkup: Checkup, reason: str) -> Checkup:
    reason = required(reason, _("撤销原因"), "reason")
    with transaction.atomic():
        CHECKUP.perform(actor, checkup, "cancel", summary=reason, cancel_reason=reason[:300])
        for kind in (CHECKUP_ASSIGN_KIND, CHECKUP_REPORT_KIND):
            deadline = deadlines.open_deadline(checkup, kind)
            if deadline is not None:
                deadlines.deadline_close(deadline=deadline, actor=actor, cancelled=True)
    return checkup


def overdue_checkups(queryset: QuerySet[Checkup], on: dt.date) -> QuerySet[Checkup]:
    """Not assigned by the assignment limit, or no report by the report limit."""
    return queryset.filter(Q(status=CU.REQUESTED, assign_due__lt=on) | Q(status=CU.ASSIGNED, report_due__lt=on))


def service_figures(queryset: QuerySet[Checkup], by: str) -> list[dict]:
    """Per pairing (`pairing`) or per firm (`pairing__firm`): requests assigned, reports, on time,
    enterprises served (distinct names of those reported on) — one query."""
    done = Q(status__in=[CU.REPORTED, CU.CONFIRMED])
    return list(
        queryset.exclude(pairing__isnull=True)
        .order_by()
        .values(by)
        .annotate(
            requests=Count("pk"),
            reported=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(in_time=True)),
            enterprises=Count("enterprise_name", filter=done, distinct=True),
        )
        .order_by(by)
    )


__all__ = [
    "CheckupData",
    "PairingData",
    "checkup_assign",
    "checkup_cancel",
    "checkup_confirm",
    "checkup_file",
    "checkup_report",
    "checkup_url",
    "checkup_visit",
    "filing_chambers",
    "lawyer_add",
    "lawyer_deactivate",
    "may_manage_lawyers",
    "overdue_checkups",
    "pairing_create",
    "pairing_mechanisms",
    "pairing_end",
    "pairing_renew",
    "service_figures",
]
