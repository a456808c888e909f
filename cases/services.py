"""Every write on enterprises, complaints and transfers.

Each transition goes through `_transition()`: it checks the actor's side (filing federation or
addressed court), role and mechanism, moves the status with a conditional update (so of two
concurrent clerks exactly one wins), writes the audit event, and adjusts the deadlines, all in
one transaction; notifications are rows in the same transaction, emails go after commit.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import attachments, audit, deadlines, scoping
from liaison.choices import NotificationKind, Role
from liaison.errors import ActionRefused
from liaison.files import FileKind
from liaison.models import Deadline, Department, Mechanism, Organization, User
from liaison.notifications import notify
from liaison.numbering import next_number

from .choices import (  # noqa: F401 - REVIEW, REGISTRATION, FEEDBACK are imported from here too
    FEDERATION,
    FEEDBACK,
    OPEN_STATES,
    REGISTRATION,
    REVIEW,
    TRANSITIONS,
    ComplaintStatus,
    ExtensionState,
    MessageVisibility,
    ReviewOutcome,
    Transition,
)
from .documents import issue_transfer_letter
from .durations import refresh_durations
from .models import CaseReview, Complaint, ComplaintCaseNumber, ComplaintMessage, Enterprise, Transfer
from .validators import CaseNumber, normalize_credit_code, normalize_phone

S = ComplaintStatus
# A transition that sets one of these recomputes the complaint's stage durations (`cases.durations`).
STAGE_TIMES = frozenset({"submitted_at", "transferred_at", "registered_at", "answered_at"})
FEDERATION_KINDS = {"federation", "chamber"}
Uploads = Sequence[tuple[UploadedFile, FileKind]]


# --- who may act ---------------------------------------------------------------------------

def _require_party(actor: User, mechanism: Mechanism) -> None:
    if not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)


def _require_role(actor: User, roles: Iterable[str], what: str) -> None:
    if not actor.has_role(*roles):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": what}, ActionRefused.PERMISSION)


def _side_organization(complaint: Complaint, side: str) -> int:
    return complaint.filing_organization_id if side == FEDERATION else complaint.court_id


def _authorize(actor: User, complaint: Complaint, rule: Transition) -> None:
    _require_party(actor, complaint.mechanism)
    if actor.organization_id != _side_organization(complaint, rule.side):
        side = _("受理的工商联") if rule.side == FEDERATION else _("受移送的法院")
        raise ActionRefused(_("只有%(side)s才能“%(what)s”。") % {"side": side, "what": rule.label},
                            ActionRefused.PERMISSION)
    _require_role(actor, rule.roles, str(rule.label))


def _other_actions(actor: User, complaint: Complaint) -> list[str]:
    """Actions besides the status transitions (extension, case review, files) open to the user now."""
    if not scoping.can_act(actor, complaint.mechanism):
        return []
    court_side = actor.organization_id == complaint.court_id and complaint.transferred_at is not None
    filing_side = actor.organization_id == complaint.filing_organization_id
    court_desk = court_side and actor.has_role(Role.COURT_CLERK, Role.COURT_HANDLER)
    names = []
    if court_desk and complaint.status in (S.REGISTERED, S.ASSIGNED) and complaint.extension_state == ExtensionState.NONE:
        names.append("request_extension")
    if court_side and actor.has_role(Role.LEADER) and complaint.extension_state == ExtensionState.REQUESTED:
        names.append("decide_extension")
    if court_desk and complaint.status in (S.REGISTERED, S.ASSIGNED, S.ANSWERED):
        names.append("case_review")
    if (filing_side and complaint.status in FILING_SIDE_FILE_STATES) or (
            court_side and complaint.status in COURT_SIDE_FILE_STATES):
        names.append("add_files")
    return names


FILING_SIDE_FILE_STATES = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.NEEDS_MATERIAL, S.QUEUED)
COURT_SIDE_FILE_STATES = (S.REGISTERED, S.ASSIGNED)


def allowed_actions(actor: User, complaint: Complaint) -> list[str]:
    """The transitions and other actions this user may take now, for the buttons on the page."""
    result = []
    for name, rule in TRANSITIONS.items():
        if complaint.status not in rule.sources:
            continue
        try:
            _authorize(actor, complaint, rule)
        except ActionRefused:
            continue
        if name == "transfer_now" and not complaint.is_major:
            continue
        result.append(name)
    return result + _other_actions(actor, complaint)


def _stale(complaint: Complaint, rule: Transition) -> ActionRefused:
    """Refuse a transition from the wrong state, saying who moved the complaint there and when.

    This is also what the loser of two concurrent transitions reads ("已由 … 登记").
    """
    current = Complaint.objects.get(pk=complaint.pk)
    last = audit.history(current).exclude(to_state="").order_by("-id").first()
    if last is None:
        return ActionRefused(_("当前状态为“%(state)s”，不能“%(what)s”。") % {
            "state": current.get_status_display(), "what": rule.label}, ActionRefused.STATE)
    return ActionRefused(_("该诉求已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。") % {
        "who": last.actor_name, "org": last.actor_organization_name,
        "when": timezone.localtime(last.created_at).strftime("%Y-%m-%d %H:%M"),
        "action": audit.action_label(last.action, "cases"), "state": current.get_status_display(), "what": rule.label,
    }, ActionRefused.STATE)


def _transition(complaint: Complaint, action: str, actor: User, *, summary: str = "", **updates: object) -> Complaint:
    """Check, move the status conditionally, audit. Call inside transaction.atomic()."""
    rule = TRANSITIONS[action]
    _authorize(actor, complaint, rule)
    if complaint.status not in rule.sources:
        raise _stale(complaint, rule)
    old = complaint.status
    updated = Complaint.objects.filter(pk=complaint.pk, status__in=rule.sources).update(status=rule.target, **updates)
    if updated != 1:
        raise _stale(complaint, rule)
    if STAGE_TIMES.intersection(updates):
        refresh_durations(Complaint.objects.filter(pk=complaint.pk))
    complaint.refresh_from_db()
    audit.record(actor=actor, target=complaint, action=action, from_state=old, to_state=rule.target,
                 summary=summary)
    return complaint


def _required(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(_("请填写%(label)s。") % {"label": label}, ActionRefused.INVALID, field=label)
    return value


def _users_with_roles(organization_id: int, *roles: str) -> list[User]:
    return list(User.objects.filter(organization_id=organization_id, is_active=True,
                                    role_assignments__role__in=roles).distinct())


def _url(complaint: Complaint) -> str:
    return f"/cases/complaints/{complaint.pk}/"


def _tell(users: Iterable[User], complaint: Complaint, title: str) -> None:
    notify(users, kind=NotificationKind.WORK, title=f"{title}：{complaint.title}", url=_url(complaint))


# --- enterprises ---------------------------------------------------------------------------

ENTERPRISE_FIELDS = ("name", "credit_code", "size", "industry", "address", "legal_representative",
                     "contact_person", "contact_phone")


@dataclass
class EnterpriseData:
    name: str
    credit_code: str
    size: str
    industry: str
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    chambers: Sequence[Organization] = ()


def enterprise_register(*, actor: User, mechanism: Mechanism, data: EnterpriseData) -> Enterprise:
    """Register an enterprise in a mechanism (federation side)."""
    _require_party(actor, mechanism)
    _require_role(actor, {Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER}, _("登记企业"))
    code = normalize_credit_code(data.credit_code)
    existing = Enterprise.objects.filter(mechanism=mechanism, credit_code=code).first()
    if existing is not None:
        raise ActionRefused(_("统一社会信用代码 %(code)s 已登记为“%(name)s”。") % {"code": code, "name": existing.name},
                            ActionRefused.INVALID, field="credit_code")
    enterprise = Enterprise(mechanism=mechanism, registered_by=actor.organization,
                            **{f: getattr(data, f) for f in ENTERPRISE_FIELDS})
    enterprise.credit_code = code
    enterprise.contact_phone = normalize_phone(data.contact_phone) if data.contact_phone else ""
    enterprise.full_clean(exclude=["mechanism", "registered_by"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            enterprise.save()
            enterprise.chambers.set(data.chambers)
            audit.record(actor=actor, target=enterprise, action="enterprise_register", summary=enterprise.name)
    except IntegrityError:
        raise ActionRefused(_("统一社会信用代码 %(code)s 已登记。") % {"code": code}, ActionRefused.INVALID,
                            field="credit_code") from None
    return enterprise


def enterprise_update(*, actor: User, enterprise: Enterprise, data: EnterpriseData) -> Enterprise:
    """Correct an enterprise's record (its registering organization only)."""
    _require_party(actor, enterprise.mechanism)
    if actor.organization_id != enterprise.registered_by_id:
        raise ActionRefused(_("只有登记该企业的单位才能修改企业信息。"), ActionRefused.PERMISSION)
    before = {f: getattr(enterprise, f) for f in ENTERPRISE_FIELDS}
    for field in ENTERPRISE_FIELDS:
        setattr(enterprise, field, getattr(data, field))
    enterprise.credit_code = normalize_credit_code(data.credit_code)
    enterprise.contact_phone = normalize_phone(data.contact_phone) if data.contact_phone else ""
    enterprise.full_clean(exclude=["mechanism", "registered_by"], validate_unique=False, validate_constraints=False)
    after = {f: getattr(enterprise, f) for f in ENTERPRISE_FIELDS}
    labels = {f: str(Enterprise._meta.get_field(f).verbose_name) for f in ENTERPRISE_FIELDS}
    try:
        with transaction.atomic():
            enterprise.save()
            enterprise.chambers.set(data.chambers)
            # Phone numbers stay out of the audit summary (personal data).
            audit.record(actor=actor, target=enterprise, action="enterprise_update", summary=audit.changed_fields_summary(
                {k: v for k, v in before.items() if k != "contact_phone"},
                {k: v for k, v in after.items() if k != "contact_phone"}, labels))
    except IntegrityError:
        raise ActionRefused(_("统一社会信用代码 %(code)s 已登记。") % {"code": enterprise.credit_code},
                            ActionRefused.INVALID, field="credit_code") from None
    return enterprise


# --- filing ----------------------------------------------------------------------------------

@dataclass
class ComplaintData:
    enterprise: Enterprise
    court: Organization
    kind: str
    title: str
    facts: str
    demands: str
    case_numbers: Sequence[CaseNumber] = ()
    amount_involved: Decimal | None = None
    is_major: bool = False
    major_reason: str = ""


def likely_duplicates(*, enterprise: Enterprise, case_numbers: Sequence[CaseNumber],
                      exclude: Complaint | None = None) -> list[Complaint]:
    """Open complaints of the same enterprise about one of the same case numbers."""
    numbers = [n.canonical for n in case_numbers]
    if not numbers:
        return []
    rows = Complaint.objects.filter(enterprise=enterprise, status__in=OPEN_STATES,
                                    case_numbers__number__in=numbers).distinct()
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows.order_by("created_at"))


def _check_complaint_data(actor: User, mechanism: Mechanism, data: ComplaintData) -> None:
    if data.enterprise.mechanism_id != mechanism.pk:
        raise ActionRefused(_("该企业不属于本机制。"), field="enterprise")
    if not mechanism.parties.filter(organization=data.court).exists() or data.court.kind in FEDERATION_KINDS:
        raise ActionRefused(_("所选法院不是本机制的参与法院。"), field="court")
    if data.is_major and not data.major_reason.strip():
        raise ActionRefused(_("重大事项须说明理由。"), field="major_reason")
    _required(data.title, _("标题"))
    _required(data.facts, _("基本事实"))
    _required(data.demands, _("具体诉求"))
    if data.amount_involved is not None and data.amount_involved < 0:
        raise ActionRefused(_("涉案金额不能为负数。"), field="amount_involved")


def complaint_create(*, actor: User, mechanism: Mechanism, data: ComplaintData, files: Uploads = ()) -> Complaint:
    """File a complaint as a draft of the actor's federation."""
    _require_party(actor, mechanism)
    _require_role(actor, {Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER}, _("填报诉求"))
    if actor.organization.kind not in FEDERATION_KINDS:
        raise ActionRefused(_("诉求由工商联或商会填报。"), ActionRefused.PERMISSION)
    _check_complaint_data(actor, mechanism, data)
    with transaction.atomic():
        year = timezone.localdate().year
        sequence = next_number(mechanism=mechanism, series="complaint", year=year)
        complaint = Complaint.objects.create(
            mechanism=mechanism, serial=f"{year}-{mechanism.pk:02d}-{sequence:04d}",
            filing_organization=actor.organization, created_by=actor, court=data.court,
            enterprise=data.enterprise, kind=data.kind, title=data.title.strip(), facts=data.facts.strip(),
            demands=data.demands.strip(), amount_involved=data.amount_involved, is_major=data.is_major,
            major_reason=data.major_reason.strip() if data.is_major else "",
        )
        _set_case_numbers(complaint, data.case_numbers)
        audit.record(actor=actor, target=complaint, action="create", to_state=S.DRAFT, summary=complaint.title)
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor, purpose="filing")
    return complaint


def _set_case_numbers(complaint: Complaint, numbers: Sequence[CaseNumber]) -> None:
    complaint.case_numbers.all().delete()
    ComplaintCaseNumber.objects.bulk_create(
        [ComplaintCaseNumber(complaint=complaint, number=n) for n in dict.fromkeys(x.canonical for x in numbers)]
    )


def complaint_update(*, actor: User, complaint: Complaint, data: ComplaintData, files: Uploads = ()) -> Complaint:
    """Edit a draft, or a complaint returned to the federation for more material."""
    _require_party(actor, complaint.mechanism)
    if actor.organization_id != complaint.filing_organization_id:
        raise ActionRefused(_("只有受理的工商联才能修改诉求。"), ActionRefused.PERMISSION)
    _require_role(actor, {Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER}, _("修改诉求"))
    _check_complaint_data(actor, complaint.mechanism, data)
    editable = (S.DRAFT, S.NEEDS_MATERIAL, S.SUBMITTED, S.UNDER_REVIEW)
    with transaction.atomic():
        updated = Complaint.objects.filter(pk=complaint.pk, status__in=editable).update(
            enterprise=data.enterprise, court=data.court, kind=data.kind, title=data.title.strip(),
            facts=data.facts.strip(), demands=data.demands.strip(), amount_involved=data.amount_involved,
            is_major=data.is_major, major_reason=data.major_reason.strip() if data.is_major else "",
        )
        if updated != 1:
            raise ActionRefused(_("诉求已移送或办结，不能再修改。"), ActionRefused.STATE)
        _set_case_numbers(complaint, data.case_numbers)
        audit.record(actor=actor, target=complaint, action="edit", summary=_("修改诉求内容"))
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor, purpose="filing")
    complaint.refresh_from_db()
    return complaint


# --- the federation's review ---------------------------------------------------------------

def _start(complaint: Complaint, kind: str, organization_id: int, days: int, actor: User,
           owner: User | None = None, start: dt.date | None = None) -> Deadline:
    labels = {REVIEW: _("审核"), REGISTRATION: _("登记"), FEEDBACK: _("反馈")}
    return deadlines.deadline_start(
        target=complaint, kind=kind, label=f"{labels[kind]}：{complaint.title}", mechanism=complaint.mechanism,
        owner_organization=Organization.objects.get(pk=organization_id), owner_user=owner,
        start=start or deadlines.today(), working_days=days, url=_url(complaint), actor=actor,
    )


def _close(complaint: Complaint, kind: str, actor: User, *, cancelled: bool = False) -> None:
    deadline = deadlines.open_deadline(complaint, kind)
    if deadline is not None:
        deadlines.deadline_close(deadline=deadline, actor=actor, cancelled=cancelled)


def complaint_submit(*, actor: User, complaint: Complaint) -> Complaint:
    with transaction.atomic():
        _transition(complaint, "submit", actor, submitted_at=timezone.now())
        _start(complaint, REVIEW, complaint.filing_organization_id, complaint.mechanism.review_working_days, actor)
        _tell(_users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER), complaint,
              _("待审核诉求"))
    return complaint


def complaint_start_review(*, actor: User, complaint: Complaint) -> Complaint:
    with transaction.atomic():
        return _transition(complaint, "start_review", actor)


def complaint_request_material(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """Send back to the enterprise for more material; the review clock stops meanwhile."""
    reason = _required(reason, _("需补充的材料"))
    with transaction.atomic():
        _transition(complaint, "request_material", actor, reason=reason, summary=reason)
        deadline = deadlines.open_deadline(complaint, REVIEW)
        if deadline is not None:
            deadlines.deadline_pause(deadline=deadline, actor=actor)
        _tell([complaint.created_by], complaint, _("诉求需补充材料"))
    return complaint


def complaint_supply_material(*, actor: User, complaint: Complaint, note: str = "", files: Uploads = ()) -> Complaint:
    with transaction.atomic():
        _transition(complaint, "supply_material", actor, summary=note)
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor, purpose="material")
        deadline = deadlines.open_deadline(complaint, REVIEW)
        if deadline is not None:
            deadlines.deadline_resume(deadline=deadline, actor=actor)
    return complaint


def complaint_decline(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """Not within the court's remit: the reason is required and goes back to the filer."""
    reason = _required(reason, _("不予移送的理由"))
    with transaction.atomic():
        _transition(complaint, "decline", actor, reason=reason, closed_at=timezone.now(), summary=reason)
        _close(complaint, REVIEW, actor)
        _tell([complaint.created_by], complaint, _("诉求不予移送"))
    return complaint


def complaint_queue(*, actor: User, complaint: Complaint) -> Complaint:
    with transaction.atomic():
        _transition(complaint, "queue", actor)
        _close(complaint, REVIEW, actor)
    return complaint


def complaint_withdraw(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    reason = _required(reason, _("撤回理由"))
    with transaction.atomic():
        _transition(complaint, "withdraw", actor, reason=reason, closed_at=timezone.now(), summary=reason)
        _close(complaint, REVIEW, actor, cancelled=True)
    return complaint


# --- transfers -------------------------------------------------------------------------------

def _new_transfer(*, mechanism: Mechanism, court: Organization, actor: User, immediate: bool,
                  meeting_reference: str = "") -> Transfer:
    now = timezone.now()
    today = timezone.localdate(now)
    sequence = next_number(mechanism=mechanism, series="transfer", year=today.year)
    prefix = mechanism.transfer_number_prefix or f"{mechanism.short_name}移"
    calendar = deadlines.WorkingCalendar()
    transfer = Transfer.objects.create(
        mechanism=mechanism, year=today.year, sequence=sequence, number=f"{prefix}〔{today.year}〕{sequence}号",
        court=court, sender=actor.organization, made_by=actor, made_at=now, is_immediate=immediate,
        meeting_reference=meeting_reference,
        registration_due=calendar.add_working_days(today, mechanism.registration_working_days),
        answer_due=calendar.add_working_days(today, mechanism.feedback_working_days),
    )
    audit.record(actor=actor, target=transfer, action="transfer_create",
                 summary=f"{court.name}；{meeting_reference or _('重大事项立即移送')}")
    return transfer


def _issue_letter(transfer: Transfer, actor: User) -> None:
    """The letter is frozen as issued, its SHA-256 in the audit record."""
    audit.record(actor=actor, target=transfer, action="letter_issue", summary=f"sha256 {issue_transfer_letter(transfer, actor=actor)}")


def _hand_over(complaint: Complaint, transfer: Transfer, action: str, actor: User, **updates: object) -> None:
    _transition(complaint, action, actor, summary=transfer.number, transfer=transfer, court=transfer.court,
                transferred_at=transfer.made_at, **updates)
    _close(complaint, REVIEW, actor)
    _start(complaint, REGISTRATION, transfer.court_id, complaint.mechanism.registration_working_days, actor)
    _start(complaint, FEEDBACK, transfer.court_id, complaint.mechanism.feedback_working_days, actor)
    _tell(_users_with_roles(transfer.court_id, Role.COURT_CLERK), complaint, _("新移送诉求待登记"))


def complaint_transfer_now(*, actor: User, complaint: Complaint) -> Transfer:
    """A major complaint goes to the court at once, on its own transfer letter."""
    if not complaint.is_major:
        raise ActionRefused(_("只有重大事项才能立即单独移送；其他诉求在联席会议上批量移送。"), ActionRefused.STATE)
    _authorize(actor, complaint, TRANSITIONS["transfer_now"])
    with transaction.atomic():
        transfer = _new_transfer(mechanism=complaint.mechanism, court=complaint.court, actor=actor, immediate=True)
        _hand_over(complaint, transfer, "transfer_now", actor)
        _issue_letter(transfer, actor)
    return transfer


def complaints_transfer_batch(*, actor: User, complaints: Sequence[Complaint], meeting_reference: str = "") -> list[Transfer]:
    """Transfer the queued complaints chosen at a joint meeting: one letter per court."""
    if not complaints:
        raise ActionRefused(_("请选择要移送的诉求。"))
    mechanisms = {c.mechanism_id for c in complaints}
    if len(mechanisms) != 1:
        raise ActionRefused(_("一份移送函只能包含同一机制的诉求。"))
    for complaint in complaints:
        _authorize(actor, complaint, TRANSITIONS["transfer_batch"])
    by_court: dict[int, list[Complaint]] = {}
    for complaint in complaints:
        by_court.setdefault(complaint.court_id, []).append(complaint)
    transfers = []
    with transaction.atomic():
        for court_id, group in sorted(by_court.items()):
            transfer = _new_transfer(mechanism=group[0].mechanism, court=group[0].court, actor=actor,
                                     immediate=False, meeting_reference=meeting_reference)
            for complaint in group:
                _hand_over(complaint, transfer, "transfer_batch", actor)
            _issue_letter(transfer, actor)
            transfers.append(transfer)
    return transfers


# --- the court -------------------------------------------------------------------------------

def complaint_register(*, actor: User, complaint: Complaint, registration_number: str,
                       court_case_numbers: Sequence[CaseNumber] = (), under_supervision: bool = False) -> Complaint:
    """The court acknowledges the transfer and records it against the case (随案登记)."""
    number = _required(registration_number, _("登记号"))
    with transaction.atomic():
        _transition(complaint, "register", actor, registration_number=number, registered_at=timezone.now(),
                    court_case_numbers="、".join(n.canonical for n in court_case_numbers),
                    under_supervision=under_supervision, summary=number)
        _close(complaint, REGISTRATION, actor)
    return complaint


def complaint_court_return(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """The court sends the transfer back (e.g. not its jurisdiction); the federation decides next."""
    reason = _required(reason, _("退回理由"))
    with transaction.atomic():
        _transition(complaint, "court_return", actor, reason=reason, summary=reason)
        _close(complaint, REGISTRATION, actor, cancelled=True)
        _close(complaint, FEEDBACK, actor, cancelled=True)
        _tell(_users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER), complaint,
              _("法院退回移送"))
    return complaint


def complaint_assign(*, actor: User, complaint: Complaint, department: Department, handler: User) -> Complaint:
    """Give the complaint to a department and a handler of the court."""
    if department.organization_id != complaint.court_id:
        raise ActionRefused(_("承办部门须是本院的部门。"), field="department")
    if handler.organization_id != complaint.court_id or not handler.has_role(Role.COURT_HANDLER):
        raise ActionRefused(_("承办人须是本院的承办人。"), field="handler")
    with transaction.atomic():
        _transition(complaint, "assign", actor, department=department, handler=handler,
                    summary=f"{department.name} · {handler.display_name}")
        deadline = deadlines.open_deadline(complaint, FEEDBACK)
        if deadline is not None:
            Deadline.objects.filter(pk=deadline.pk).update(owner_user=handler)
        _tell([handler], complaint, _("交办诉求"))
    return complaint


def complaint_answer(*, actor: User, complaint: Complaint, answer: str, files: Uploads = ()) -> Complaint:
    """The court's written result back to the federation."""
    if actor.has_role(Role.COURT_HANDLER) and not actor.has_role(Role.COURT_CLERK) and complaint.handler_id != actor.pk:
        raise ActionRefused(_("只有承办人本人才能反馈办理结果。"), ActionRefused.PERMISSION)
    answer = _required(answer, _("办理结果"))
    with transaction.atomic():
        _transition(complaint, "answer", actor, answer=answer, answered_at=timezone.now(), summary=answer[:200])
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor, purpose="answer")
        _close(complaint, FEEDBACK, actor)
        refresh_durations(Complaint.objects.filter(pk=complaint.pk))  # on time against the deadline just met
        _tell([complaint.created_by, *_users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER)],
              complaint, _("法院已反馈"))
    return complaint


def complaint_close(*, actor: User, complaint: Complaint) -> Complaint:
    """The federation accepts the answer (or closes a returned transfer)."""
    with transaction.atomic():
        return _transition(complaint, "close", actor, closed_at=timezone.now())


def complaint_reopen(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """Ask the court again: back to the handler with a new feedback deadline."""
    reason = _required(reason, _("重新办理的理由"))
    with transaction.atomic():
        _transition(complaint, "reopen", actor, reason=reason, reopen_count=complaint.reopen_count + 1,
                    answered_at=None, summary=reason)
        _start(complaint, FEEDBACK, complaint.court_id, complaint.mechanism.feedback_working_days, actor,
               owner=complaint.handler)
        _tell([u for u in [complaint.handler] if u] + _users_with_roles(complaint.court_id, Role.COURT_CLERK),
              complaint, _("诉求需重新办理"))
    return complaint


def complaint_reroute(*, actor: User, complaint: Complaint, court: Organization) -> Transfer:
    """Send a returned complaint to another court; the first court keeps read-only access."""
    if court.pk == complaint.court_id:
        raise ActionRefused(_("请选择另一家法院。"), field="court")
    mechanism = Mechanism.objects.filter(parties__organization=court).filter(
        parties__organization=complaint.filing_organization).first()
    if mechanism is None or court.kind in FEDERATION_KINDS:
        raise ActionRefused(_("本单位与该法院之间没有沟通联系机制。"), field="court")
    _authorize(actor, complaint, TRANSITIONS["reroute"])
    with transaction.atomic():
        complaint.former_courts.add(complaint.court)
        Complaint.objects.filter(pk=complaint.pk).update(mechanism=mechanism)
        complaint.mechanism = mechanism
        transfer = _new_transfer(mechanism=mechanism, court=court, actor=actor, immediate=complaint.is_major)
        _hand_over(complaint, transfer, "reroute", actor, mechanism=mechanism, registration_number="",
                   registered_at=None)
    return transfer


def complaint_request_extension(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """One extension per complaint, asked for with a reason and approved by a court leader."""
    _require_party(actor, complaint.mechanism)
    if actor.organization_id != complaint.court_id:
        raise ActionRefused(_("只有受移送的法院才能申请延期。"), ActionRefused.PERMISSION)
    _require_role(actor, {Role.COURT_CLERK, Role.COURT_HANDLER}, _("申请延期"))
    reason = _required(reason, _("延期理由"))
    with transaction.atomic():
        updated = Complaint.objects.filter(
            pk=complaint.pk, status__in=[S.REGISTERED, S.ASSIGNED], extension_state=ExtensionState.NONE,
        ).update(extension_state=ExtensionState.REQUESTED, extension_reason=reason)
        if updated != 1:
            raise ActionRefused(_("每件诉求只能申请一次延期，且须在法院办理期间申请。"), ActionRefused.STATE)
        audit.record(actor=actor, target=complaint, action="extension_request", from_state=ExtensionState.NONE,
                     to_state=ExtensionState.REQUESTED, summary=reason)
        _tell(_users_with_roles(complaint.court_id, Role.LEADER), complaint, _("延期申请待审批"))
    complaint.refresh_from_db()
    return complaint


def complaint_decide_extension(*, actor: User, complaint: Complaint, approve: bool) -> Complaint:
    _require_party(actor, complaint.mechanism)
    if actor.organization_id != complaint.court_id:
        raise ActionRefused(_("只有受移送法院的领导才能审批延期。"), ActionRefused.PERMISSION)
    _require_role(actor, {Role.LEADER}, _("审批延期"))
    new_state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    with transaction.atomic():
        updated = Complaint.objects.filter(pk=complaint.pk, extension_state=ExtensionState.REQUESTED).update(
            extension_state=new_state)
        if updated != 1:
            raise ActionRefused(_("没有待审批的延期申请。"), ActionRefused.STATE)
        audit.record(actor=actor, target=complaint, action="extension_decide", from_state=ExtensionState.REQUESTED,
                     to_state=new_state)
        if approve:
            deadline = deadlines.open_deadline(complaint, FEEDBACK)
            if deadline is not None:
                deadlines.deadline_extend(deadline=deadline, working_days=complaint.mechanism.extension_working_days,
                                          reason=complaint.extension_reason, actor=actor)
    complaint.refresh_from_db()
    return complaint


def case_review_record(*, actor: User, complaint: Complaint, outcome: str, explanation: str = "") -> CaseReview:
    """Record the review of the effective judgment the complaint is about."""
    _require_party(actor, complaint.mechanism)
    if actor.organization_id != complaint.court_id:
        raise ActionRefused(_("只有受移送的法院才能登记评查结果。"), ActionRefused.PERMISSION)
    _require_role(actor, {Role.COURT_HANDLER, Role.COURT_CLERK}, _("登记评查结果"))
    if complaint.status not in (S.REGISTERED, S.ASSIGNED, S.ANSWERED):
        raise ActionRefused(_("诉求登记后、办结前才能登记评查结果。"), ActionRefused.STATE)
    if outcome not in ReviewOutcome.values:
        raise ActionRefused(_("请选择评查结果。"), field="outcome")
    if outcome == ReviewOutcome.NO_ERROR and not explanation.strip():
        raise ActionRefused(_("评查无错误的，须写明向企业释法析理的说明。"), field="explanation")
    with transaction.atomic():
        review, created = CaseReview.objects.update_or_create(
            complaint=complaint,
            defaults={"outcome": outcome, "explanation": explanation.strip(), "reviewed_by": actor,
                      "reviewed_at": timezone.now()},
        )
        audit.record(actor=actor, target=complaint, action="case_review", to_state="",
                     summary=f"{review.get_outcome_display()}")
    return review


# --- the thread ------------------------------------------------------------------------------

def message_post(*, actor: User, complaint: Complaint, body: str, internal: bool) -> ComplaintMessage:
    """A message to the other side, or an internal note only the author's organization sees."""
    _require_party(actor, complaint.mechanism)
    if actor.organization_id not in (complaint.filing_organization_id, complaint.court_id):
        raise ActionRefused(_("只有受理单位和受移送法院可以留言。"), ActionRefused.PERMISSION)
    body = _required(body, _("留言内容"))
    if not internal and complaint.transferred_at is None:
        raise ActionRefused(_("移送法院之前只能写本单位内部备注。"), ActionRefused.STATE)
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint, author=actor, organization=actor.organization, body=body,
            visibility=MessageVisibility.INTERNAL if internal else MessageVisibility.SHARED,
        )
        # An internal note stays inside its organization: the shared audit trail only says one was written.
        audit.record(actor=actor, target=complaint, action="note" if internal else "message",
                     summary="" if internal else body[:100])
        if not internal:
            other = complaint.court_id if actor.organization_id == complaint.filing_organization_id \
                else complaint.filing_organization_id
            recipients = [complaint.handler] if other == complaint.court_id and complaint.handler else \
                _users_with_roles(other, Role.COURT_CLERK, Role.FEDERATION_REVIEWER)
            _tell(recipients, complaint, _("新留言"))
    return message


def complaint_add_files(*, actor: User, complaint: Complaint, files: Uploads) -> None:
    """Add attachments: the filing side before transfer, the court while handling."""
    _require_party(actor, complaint.mechanism)
    filing_side = actor.organization_id == complaint.filing_organization_id and \
        complaint.status in FILING_SIDE_FILE_STATES
    court_side = actor.organization_id == complaint.court_id and complaint.status in COURT_SIDE_FILE_STATES
    if not (filing_side or court_side):
        raise ActionRefused(_("当前状态下您不能上传附件。"), ActionRefused.STATE)
    with transaction.atomic():
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor)


def visible_message_filter(user: User) -> Q:
    return Q(visibility=MessageVisibility.SHARED) | Q(organization_id=user.organization_id)
