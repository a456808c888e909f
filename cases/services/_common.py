"""What the complaint services share: the deadlines of a complaint and the people to tell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def portal_url(complaint: Complaint) -> str:
    """Where an enterprise user reads its own matter."""
    return f"/portal/matters/{complaint.pk}/"


def tell(users: Iterable[User], complaint: Complaint, title: str) -> None:
    """Tell the people of the organizations; an enterprise user (who belongs to none) reads its own page."""
    users = list(users)
    staff = [u for u in users if u.organization_id is not None]
    enterprise = [u for u in users if u.organization_id is None and complaint.filed_online]
    notify(staff, kind=NotificationKind.WORK, title=f"{title}：{complaint.title}", url=complaint_url(complaint))
    if enterprise:
        notify(enterprise, kind=NotificationKind.WORK, title=f"{title}：{complaint.title}", url=portal_url(complaint))


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


# What the enterprise that filed online is told of the steps that do not tell it already.
ENTERPRISE_NEWS = {
    "start_review": gettext_lazy("工商联已开始审核您的诉求"),
    "queue": gettext_lazy("您的诉求已审核通过，将移送法院"),
    "transfer_now": gettext_lazy("您的诉求已移送法院"),
    "transfer_batch": gettext_lazy("您的诉求已移送法院"),
    "reroute": gettext_lazy("您的诉求已改送其他法院"),
    "register": gettext_lazy("法院已登记您的诉求"),
    "close": gettext_lazy("您的诉求已办结"),
    "reopen": gettext_lazy("您的诉求已要求法院重新办理"),
}

# A step that sets one of these recomputes the complaint's stage durations (`cases.durations`).
STAGE_TIMES = frozenset({"submitted_at", "transferred_at", "registered_at", "answered_at"})


def step(
    complaint: Complaint, name: str, actor: User, *, summary: str = "", checked: bool = False, **updates: Any
) -> Complaint:
    """Perform one declared step of the complaint (inside the service's transaction)."""
    COMPLAINT.perform(actor, complaint, name, summary=summary, checked=checked, **updates)
    if complaint.filed_online and name in ENTERPRISE_NEWS:
        notify(
            [complaint.created_by],
            kind=NotificationKind.WORK,
            title=f"{ENTERPRISE_NEWS[name]}：{complaint.title}",
            url=portal_url(complaint),
        )
    if STAGE_TIMES.intersection(updates):
        refresh_durations(Complaint.objects.filter(pk=complaint.pk))
    return complaint
