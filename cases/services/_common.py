"""What the complaint services share: the deadlines of a complaint and the people to tell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from liaison import deadlines, scoping
from liaison.choices import NotificationKind
from liaison.errors import ActionRefused
from liaison.files import FileKind
from liaison.models import Deadline, Mechanism, Organization, User
from liaison.notifications import notify

from ..choices import FEEDBACK, REGISTRATION, REVIEW
from ..durations import refresh_durations
from ..models import Complaint
from ..workflow import COMPLAINT

Uploads = Sequence[tuple[UploadedFile, FileKind]]


def require_party(actor: User, mechanism: Mechanism | int) -> None:
    """Steps that are not transitions of a complaint (enterprises, filing) ask this first."""
    if not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)


def complaint_url(complaint: Complaint) -> str:
    return f"/cases/complaints/{complaint.pk}/"


def tell(users: Iterable[User], complaint: Complaint, title: str) -> None:
    notify(users, kind=NotificationKind.WORK, title=f"{title}：{complaint.title}", url=complaint_url(complaint))


def start_deadline(
    complaint: Complaint,
    kind: str,
    organization_id: int,
    days: int,
    actor: User,
    owner: User | None = None,
    start: dt.date | None = None,
) -> Deadline:
    labels = {REVIEW: _("审核"), REGISTRATION: _("登记"), FEEDBACK: _("反馈")}
    return deadlines.deadline_start(
        target=complaint,
        kind=kind,
        label=f"{labels[kind]}：{complaint.title}",
        mechanism=complaint.mechanism,
        owner_organization=Organization.objects.get(pk=organization_id),
        owner_user=owner,
        start=start or deadlines.today(),
        working_days=days,
        url=complaint_url(complaint),
        actor=actor,
    )


def close_deadline(complaint: Complaint, kind: str, actor: User, *, cancelled: bool = False) -> None:
    deadline = deadlines.open_deadline(complaint, kind)
    if deadline is not None:
        deadlines.deadline_close(deadline=deadline, actor=actor, cancelled=cancelled)


# A step that sets one of these recomputes the complaint's stage durations (`cases.durations`).
STAGE_TIMES = frozenset({"submitted_at", "transferred_at", "registered_at", "answered_at"})


def step(
    complaint: Complaint, name: str, actor: User, *, summary: str = "", checked: bool = False, **updates: Any
) -> Complaint:
    """Perform one declared step of the complaint (inside the service's transaction)."""
    COMPLAINT.perform(actor, complaint, name, summary=summary, checked=checked, **updates)
    if STAGE_TIMES.intersection(updates):
        refresh_durations(Complaint.objects.filter(pk=complaint.pk))
    return complaint
