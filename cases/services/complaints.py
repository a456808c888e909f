"""Filing complaints and the collecting side's review: submit, review, material, decline, queue,
withdraw, close and reopen. Every status change is a declared step of `cases.workflow`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import router, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import attachments, audit, compiled, deadlines, membership, scope_token, scoping
from liaison.acting import organization_id_of, organization_of
from liaison.choices import COLLECTING_SIDES, HANDLING_SIDES, Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, MechanismParty, Organization, User
from liaison.numbering import insert_numbered
from liaison.workflow import required, users_with_roles

from ..choices import FEEDBACK, OPEN_STATES, REVIEW, ComplaintStatus, MessageVisibility
from ..models import Complaint, ComplaintCaseNumber, ComplaintMessage, Enterprise
from ..permissions import may_file
from ..validators import CaseNumber
from ..workflow import COMPLAINT, EDITABLE_STATES, FILER
from ._common import Uploads, close_deadline, require_party, start_deadline, step, tell

S = ComplaintStatus


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


def likely_duplicates(
    *, enterprise: Enterprise, case_numbers: Sequence[CaseNumber], exclude: Complaint | None = None
) -> list[Complaint]:
    """Open complaints of the same enterprise about one of the same case numbers."""
    numbers = [n.canonical for n in case_numbers]
    if not numbers:
        return []
    rows = Complaint.objects.filter(
        enterprise=enterprise, status__in=OPEN_STATES, case_numbers__number__in=numbers
    ).distinct()
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows.order_by("created_at"))


def handling_organization_ids(mechanism: Mechanism, filer_id: int) -> set[int]:
    """Where a party of the mechanism may send matters: its handling parties other than itself."""
    return mechanism.party_ids(HANDLING_SIDES) - {filer_id}


# A party that routes matters: (mechanism id, organization id, side).
RoutingParty = tuple[int, int, str]


@dataclass(frozen=True)
class Routing:
    """The parties that route matters in the mechanisms a user sees, with their organizations."""

    parties: list[RoutingParty]
    organizations: dict[int, Organization]


def routing_in_scope(user: User) -> Routing:
    """The parties whose place lets them route matters (file, transfer, handle) in every mechanism
    the user sees, and their organizations, in one query: where a filing may go (the API's court
    choices, the court itself taken from here) and, for the filing's own mechanism, who may file it
    (`complaint_create`)."""
    mechanism_ids = tuple(sorted(scoping.visible_mechanism_ids(user)))
    if not mechanism_ids:
        return Routing([], {})
    alias = router.db_for_read(MechanismParty)

    def build() -> QuerySet:
        parties = MechanismParty.objects.filter(mechanism_id__in=mechanism_ids)
        return (
            membership.routing_parties(parties)
            .order_by()
            .values_list("mechanism_id", "side", *(f"organization__{name}" for name in scoping.ORGANIZATION_COLUMNS))
        )

    # Compiling the place rules and the current-party conditions cost more than running them: the
    # SQL is kept per set of mechanisms and day (`liaison.compiled`), and the rows while the scope
    # tables do not change (`liaison.scope_token`).
    day = timezone.localdate()
    rows = scope_token.kept(
        scoping.token_of(user, alias),
        ("routing", alias, mechanism_ids, day),
        lambda: tuple(tuple(row) for row in compiled.rows_of(("routing", mechanism_ids), build, alias, day=day)),
    )
    parties: list[RoutingParty] = []
    organizations: dict[int, Organization] = {}
    for mechanism_id, side, organization_id, *columns in rows:
        if organization_id not in organizations:
            organizations[organization_id] = Organization.from_db(
                alias, scoping.ORGANIZATION_COLUMNS, [organization_id, *columns]
            )
        parties.append((mechanism_id, organization_id, side))
    return Routing(parties, organizations)


def _check_complaint_data(
    actor: User, mechanism: Mechanism, data: ComplaintData, courts: set[int] | None = None
) -> None:
    """`courts`: the handling organizations the actor may address, when the caller has read them."""
    if data.enterprise.mechanism_id != mechanism.pk:
        raise ActionRefused(_("该企业不属于本机制。"), field="enterprise")
    if courts is None:
        courts = handling_organization_ids(mechanism, organization_id_of(actor))
    if data.court.pk not in courts:
        raise ActionRefused(_("所选法院不是本机制的参与法院。"), field="court")
    if data.is_major and not data.major_reason.strip():
        raise ActionRefused(_("重大事项须说明理由。"), field="major_reason")
    required(data.title, _("标题"))
    required(data.facts, _("基本事实"))
    required(data.demands, _("具体诉求"))
    if data.amount_involved is not None and data.amount_involved < 0:
        raise ActionRefused(_("涉案金额不能为负数。"), field="amount_involved")


def complaint_create(
    *,
    actor: User,
    mechanism: Mechanism,
    data: ComplaintData,
    files: Uploads = (),
    routing_parties: Sequence[RoutingParty] | None = None,
) -> Complaint:
    """File a complaint as a draft of the actor's organization, a collecting party of the mechanism.

    `routing_parties`: `routing_in_scope(actor).parties`, when the caller has read them (the API validates
    the court with it); otherwise the mechanism's are read here.
    """
    require_party(actor, mechanism)
    if not may_file(actor):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": _("填报诉求")}, ActionRefused.PERMISSION)
    # The parties whose place lets them route matters (a member unit's does not, unless the mechanism
    # says so), read once: the filer must be a collecting one of them, the court a handling one.
    filer_id = organization_id_of(actor)
    if routing_parties is None:
        routing = list(membership.routing_parties(mechanism.parties.all()).values_list("organization_id", "side"))
    else:  # the actor is a party of the mechanism (above), so it is among the mechanisms they see
        routing = [(org, side) for mechanism_id, org, side in routing_parties if mechanism_id == mechanism.pk]
    if not any(org == filer_id and side in COLLECTING_SIDES for org, side in routing):
        raise ActionRefused(_("诉求由本机制的收集移送方（工商联、商会等）填报。"), ActionRefused.PERMISSION)
    courts = {org for org, side in routing if side in HANDLING_SIDES} - {filer_id}
    _check_complaint_data(actor, mechanism, data, courts)
    filer = organization_of(actor)  # loaded here, not while the number is locked (the audit reads it too)
    complaint = Complaint(
        mechanism=mechanism,
        filing_organization=filer,
        created_by=actor,
        **_content_fields(data),
    )
    with attachments.stored_uploads(files, actor=actor, purpose="filing") as stored, transaction.atomic():
        insert_draft(complaint, actor=actor, case_numbers=data.case_numbers)
        attachments.attachments_record(target=complaint, stored=stored, actor=actor)
    return complaint


def insert_draft(complaint: Complaint, *, actor: User, case_numbers: Sequence[CaseNumber]) -> None:
    """Insert a new draft with the mechanism's next number, its case numbers and its create event,
    inside the caller's transaction: staff filing and the enterprise's online filing alike.

    The gapless number locks its counter row, and the audit event the head of the mechanism's
    chain (in this order, as every numbered step takes them), both until the commit: the complaint
    is inserted with its number (no placeholder serial to update), and everything that can be done
    before (the checks, the complaint's fields) is done by the caller before. On PostgreSQL one
    statement takes the number, inserts the complaint and then locks the chain head (`held`), and
    one more appends the event.
    """
    mechanism, year = complaint.mechanism, timezone.localdate().year
    _number, held = insert_numbered(
        complaint,
        mechanism=mechanism,
        series="complaint",
        year=year,
        field="serial",
        prefix=f"{year}-{mechanism.pk:02d}-",
        then=audit.held_head_query(complaint, after="inserted.pk"),
    )
    _add_case_numbers(complaint, case_numbers)
    audit.record(actor=actor, target=complaint, action="create", to_state=S.DRAFT, summary=complaint.title, held=held)


def filed_case_numbers(numbers: Sequence[CaseNumber]) -> list[str]:
    """The case numbers a complaint is filed with, as stored: canonical, each once, in the given order."""
    return list(dict.fromkeys(n.canonical for n in numbers))


def _add_case_numbers(complaint: Complaint, numbers: Sequence[CaseNumber]) -> None:
    canonical = filed_case_numbers(numbers)
    if canonical:
        ComplaintCaseNumber.objects.bulk_create([ComplaintCaseNumber(complaint=complaint, number=n) for n in canonical])


def _set_case_numbers(complaint: Complaint, numbers: Sequence[CaseNumber]) -> None:
    complaint.case_numbers.all().delete()
    _add_case_numbers(complaint, numbers)


def _content_fields(data: ComplaintData) -> dict:
    """The complaint's fields that filing and editing take from the form, cleaned alike."""
    return {
        "enterprise": data.enterprise,
        "court": data.court,
        "kind": data.kind,
        "title": data.title.strip(),
        "facts": data.facts.strip(),
        "demands": data.demands.strip(),
        "amount_involved": data.amount_involved,
        "is_major": data.is_major,
        "major_reason": data.major_reason.strip() if data.is_major else "",
    }


def complaint_update(*, actor: User, complaint: Complaint, data: ComplaintData, files: Uploads = ()) -> Complaint:
    """Edit a draft, or a complaint returned to the federation for more material."""
    require_party(actor, complaint.mechanism)
    if FILER not in COMPLAINT.sides(actor, complaint):
        raise ActionRefused(_("只有受理的工商联才能修改诉求。"), ActionRefused.PERMISSION)
    if not may_file(actor):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": _("修改诉求")}, ActionRefused.PERMISSION)
    _check_complaint_data(actor, complaint.mechanism, data)
    with attachments.stored_uploads(files, actor=actor, purpose="filing") as stored, transaction.atomic():
        updated = Complaint.objects.filter(pk=complaint.pk, status__in=EDITABLE_STATES).update(**_content_fields(data))
        if updated != 1:
            raise ActionRefused(_("诉求已移送或办结，不能再修改。"), ActionRefused.STATE)
        _set_case_numbers(complaint, data.case_numbers)
        audit.record(actor=actor, target=complaint, action="edit", summary=_("修改诉求内容"))
        attachments.attachments_record(target=complaint, stored=stored, actor=actor)
    complaint.refresh_from_db()
    return complaint


# --- the collecting side's review -------------------------------------------------------------


def complaint_submit(*, actor: User, complaint: Complaint) -> Complaint:
    with transaction.atomic():
        step(complaint, "submit", actor, submitted_at=timezone.now())
        start_deadline(
            complaint, REVIEW, complaint.filing_organization_id, complaint.mechanism.review_working_days, actor
        )
        tell(users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER), complaint, _("待审核诉求"))
    return complaint


def complaint_start_review(*, actor: User, complaint: Complaint) -> Complaint:
    with transaction.atomic():
        return step(complaint, "start_review", actor)


def complaint_request_material(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """Send back to the enterprise for more material; the review clock stops meanwhile."""
    reason = required(reason, _("需补充的材料"))
    with transaction.atomic():
        step(complaint, "request_material", actor, reason=reason, summary=reason)
        deadline = deadlines.open_deadline(complaint, REVIEW)
        if deadline is not None:
            deadlines.deadline_pause(deadline=deadline, actor=actor)
        tell([complaint.created_by], complaint, _("诉求需补充材料"))
    return complaint


def complaint_supply_material(*, actor: User, complaint: Complaint, note: str = "", files: Uploads = ()) -> Complaint:
    with transaction.atomic():
        step(complaint, "supply_material", actor, summary=note)
        if note.strip() and complaint.filed_online:
            # The enterprise's explanation stays in its conversation with the federation.
            ComplaintMessage.objects.create(
                complaint=complaint,
                author=actor,
                organization_id=complaint.filing_organization_id,
                body=note.strip(),
                visibility=MessageVisibility.ENTERPRISE,
            )
        for upload, kind in files:
            attachments.attachment_add(target=complaint, upload=upload, kind=kind, actor=actor, purpose="material")
        deadline = deadlines.open_deadline(complaint, REVIEW)
        if deadline is not None:
            deadlines.deadline_resume(deadline=deadline, actor=actor)
    return complaint


def complaint_decline(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """Not within the court's remit: the reason is required and goes back to the filer."""
    reason = required(reason, _("不予移送的理由"))
    with transaction.atomic():
        step(complaint, "decline", actor, reason=reason, closed_at=timezone.now(), summary=reason)
        close_deadline(complaint, REVIEW, actor)
        tell([complaint.created_by], complaint, _("诉求不予移送"))
    return complaint


def complaint_queue(*, actor: User, complaint: Complaint) -> Complaint:
    with transaction.atomic():
        step(complaint, "queue", actor)
        close_deadline(complaint, REVIEW, actor)
    return complaint


def complaint_withdraw(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    reason = required(reason, _("撤回理由"))
    with transaction.atomic():
        step(complaint, "withdraw", actor, reason=reason, closed_at=timezone.now(), summary=reason)
        close_deadline(complaint, REVIEW, actor, cancelled=True)
    return complaint


def complaint_close(*, actor: User, complaint: Complaint) -> Complaint:
    """The federation accepts the answer (or closes a returned transfer)."""
    with transaction.atomic():
        return step(complaint, "close", actor, closed_at=timezone.now())


def complaint_reopen(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """Ask the court again: back to the handler with a new feedback deadline."""
    reason = required(reason, _("重新办理的理由"))
    with transaction.atomic():
        step(
            complaint,
            "reopen",
            actor,
            reason=reason,
            reopen_count=complaint.reopen_count + 1,
            answered_at=None,
            summary=reason,
        )
        start_deadline(
            complaint,
            FEEDBACK,
            complaint.court_id,
            complaint.mechanism.feedback_working_days,
            actor,
            owner=complaint.handler,
        )
        tell(
            [u for u in [complaint.handler] if u] + users_with_roles(complaint.court_id, Role.COURT_CLERK),
            complaint,
            _("诉求需重新办理"),
        )
    return complaint
