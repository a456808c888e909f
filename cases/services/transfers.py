"""Transfers: a major complaint at once, queued ones in a batch at a joint meeting, a returned
one to another handling party. Each transfer is a numbered letter."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import audit, deadlines, membership
from liaison.acting import organization_of
from liaison.choices import HANDLING_SIDES, Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, MechanismParty, Organization, User
from liaison.numbering import next_number
from liaison.workflow import users_with_roles

from ..choices import FEEDBACK, REGISTRATION, REVIEW
from ..documents import issue_transfer_letter
from ..models import Complaint, Transfer
from ..workflow import COMPLAINT
from ._common import close_deadline, start_deadline, step, tell


def _new_transfer(
    *, mechanism: Mechanism, court: Organization, actor: User, immediate: bool, meeting_reference: str = ""
) -> Transfer:
    now = timezone.now()
    today = timezone.localdate(now)
    sequence = next_number(mechanism=mechanism, series="transfer", year=today.year)
    prefix = mechanism.transfer_number_prefix or f"{mechanism.short_name}移"
    calendar = deadlines.WorkingCalendar()
    transfer = Transfer.objects.create(
        mechanism=mechanism,
        year=today.year,
        sequence=sequence,
        number=f"{prefix}〔{today.year}〕{sequence}号",
        court=court,
        sender=organization_of(actor),
        made_by=actor,
        made_at=now,
        is_immediate=immediate,
        meeting_reference=meeting_reference,
        registration_due=calendar.add_working_days(today, mechanism.registration_working_days),
        answer_due=calendar.add_working_days(today, mechanism.feedback_working_days),
    )
    audit.record(
        actor=actor,
        target=transfer,
        action="transfer_create",
        summary=f"{court.name}；{meeting_reference or _('重大事项立即移送')}",
    )
    return transfer


def _issue_letter(transfer: Transfer, actor: User) -> None:
    """The letter is frozen as issued, its SHA-256 in the audit record."""
    audit.record(
        actor=actor,
        target=transfer,
        action="letter_issue",
        summary=f"sha256 {issue_transfer_letter(transfer, actor=actor)}",
    )


def _hand_over(complaint: Complaint, transfer: Transfer, name: str, actor: User, **updates: object) -> None:
    step(
        complaint,
        name,
        actor,
        summary=transfer.number,
        checked=True,
        transfer=transfer,
        court=transfer.court,
        transferred_at=transfer.made_at,
        **updates,
    )
    close_deadline(complaint, REVIEW, actor)
    start_deadline(complaint, REGISTRATION, transfer.court_id, complaint.mechanism.registration_working_days, actor)
    start_deadline(complaint, FEEDBACK, transfer.court_id, complaint.mechanism.feedback_working_days, actor)
    tell(users_with_roles(transfer.court_id, Role.COURT_CLERK), complaint, _("新移送诉求待登记"))


def complaint_transfer_now(*, actor: User, complaint: Complaint) -> Transfer:
    """A major complaint goes to the court at once, on its own transfer letter."""
    COMPLAINT.check(actor, complaint, "transfer_now")
    with transaction.atomic():
        transfer = _new_transfer(mechanism=complaint.mechanism, court=complaint.court, actor=actor, immediate=True)
        _hand_over(complaint, transfer, "transfer_now", actor)
        _issue_letter(transfer, actor)
    return transfer


def complaints_transfer_batch(
    *, actor: User, complaints: Sequence[Complaint], meeting_reference: str = ""
) -> list[Transfer]:
    """Transfer the queued complaints chosen at a joint meeting: one letter per court."""
    if not complaints:
        raise ActionRefused(_("请选择要移送的诉求。"))
    if len({c.mechanism_id for c in complaints}) != 1:
        raise ActionRefused(_("一份移送函只能包含同一机制的诉求。"))
    for complaint in complaints:
        COMPLAINT.check(actor, complaint, "transfer_batch")
    by_court: dict[int, list[Complaint]] = {}
    for complaint in complaints:
        by_court.setdefault(complaint.court_id, []).append(complaint)
    transfers = []
    with transaction.atomic():
        for _court_id, group in sorted(by_court.items()):
            transfer = _new_transfer(
                mechanism=group[0].mechanism,
                court=group[0].court,
                actor=actor,
                immediate=False,
                meeting_reference=meeting_reference,
            )
            for complaint in group:
                _hand_over(complaint, transfer, "transfer_batch", actor)
            _issue_letter(transfer, actor)
            transfers.append(transfer)
    return transfers


def complaint_reroute(*, actor: User, complaint: Complaint, court: Organization) -> Transfer:
    """Send a returned complaint to another court; the first court keeps read-only access."""
    if court.pk == complaint.court_id:
        raise ActionRefused(_("请选择另一家法院。"), field="court")
    mechanism = (
        Mechanism.objects.filter(
            pk__in=membership.routing_parties(
                MechanismParty.objects.filter(organization=court, side__in=HANDLING_SIDES)
            ).values("mechanism_id")
        )
        .filter(parties__organization=complaint.filing_organization)
        .first()
    )
    if mechanism is None or court.pk == complaint.filing_organization_id:
        raise ActionRefused(_("本单位与该法院之间没有沟通联系机制。"), field="court")
    COMPLAINT.check(actor, complaint, "reroute")
    with transaction.atomic():
        complaint.former_courts.add(complaint.court)
        Complaint.objects.filter(pk=complaint.pk).update(mechanism=mechanism)
        complaint.mechanism = mechanism
        transfer = _new_transfer(mechanism=mechanism, court=court, actor=actor, immediate=complaint.is_major)
        _hand_over(
            complaint, transfer, "reroute", actor, mechanism=mechanism, registration_number="", registered_at=None
        )
        _issue_letter(transfer, actor)
    return transfer
