"""Every write on meetings: planning, notices, postponing, cancelling, holding, RSVP, attendance, agenda.

Each step is declared in `meetings.workflow.MEETING`: the service checks it there (a meeting
secretary of a party organization, the right state), `MEETING.perform` moves the status with a
conditional update and writes the audit event, and the service tells the invitees, in one
transaction; emails go after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import ComplaintStatus
from cases.models import Complaint, Transfer
from cases.services import complaints_transfer_batch
from liaison import audit
from liaison.acting import organization_of
from liaison.errors import ActionRefused
from liaison.models import Mechanism, MechanismParty, Organization, User
from liaison.workflow import required

from ..choices import (
    EDITABLE_STATES,
    LIVE_ITEM_STATUSES,
    AgendaKind,
    Attendance,
    MeetingKind,
    MeetingStatus,
    Rsvp,
)
from ..models import ActionItem, AgendaItem, Invitee, Meeting
from ..workflow import MEETING, MEETING_ACTIONS, names
from . import invitations
from ._common import SECRETARY_ROLES, check, party_organization_ids, require_secretary

M = MeetingStatus


@dataclass
class OutsideAttendee:
    """An invited person without an account: name, organization and title (email optional)."""

    name: str
    organization_name: str = ""
    title: str = ""
    email: str = ""


@dataclass
class MeetingData:
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    online_link: str = ""
    convenor: Organization | None = None
    chair: str = ""
    notes: str = ""
    invitees: Sequence[User] = ()
    outside: Sequence[OutsideAttendee] = field(default_factory=list)


FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "online_link", "chair", "notes")


# --- checks ----------------------------------------------------------------------------------


def _check_data(mechanism: Mechanism, data: MeetingData) -> None:
    if data.kind not in MeetingKind.values:
        raise ActionRefused(_("请选择会议类型。"), field="kind")
    required(data.title, _("会议名称"), "title")
    if data.starts_at is None or data.ends_at is None:
        raise ActionRefused(_("请填写会议的开始和结束时间。"), field="starts_at")
    if data.ends_at <= data.starts_at:
        raise ActionRefused(_("结束时间须晚于开始时间。"), field="ends_at")
    if not (data.place or "").strip() and not (data.online_link or "").strip():
        raise ActionRefused(_("请填写会议地点或线上会议链接。"), field="place")
    parties = set(party_organization_ids(mechanism))
    if data.convenor is not None and data.convenor.pk not in parties:
        raise ActionRefused(_("召集单位须是本机制的参与单位。"), field="convenor")
    outsiders = [u for u in data.invitees if u.organization_id not in parties]
    if outsiders:
        raise ActionRefused(
            _("参会人员“%(name)s”不属于本机制的参与单位；外单位人员请作为列席人员填写。")
            % {"name": outsiders[0].display_name},
            field="invitees",
        )
    for person in data.outside:
        if not person.name.strip():
            raise ActionRefused(_("请填写列席人员的姓名。"), field="outside")


def _default_convenor(mechanism: Mechanism, actor: User) -> Organization:
    party = MechanismParty.objects.filter(mechanism=mechanism, is_convenor=True).select_related("organization").first()
    return party.organization if party else organization_of(actor)


def _set_invitees(meeting: Meeting, data: MeetingData) -> tuple[list[Invitee], list[Invitee]]:
    """Make the invitee list match the data; returns (added, removed). RSVPs of those who stay are kept."""
    current = list(meeting.invitees.select_related("user"))
    wanted_users = {u.pk: u for u in data.invitees}
    wanted_outside = {(p.name.strip(), p.organization_name.strip()): p for p in data.outside}
    removed = [
        i
        for i in current
        if (i.user_id and i.user_id not in wanted_users)
        or (not i.user_id and (i.name, i.organization_name) not in wanted_outside)
    ]
    kept_users = {i.user_id for i in current if i.user_id and i not in removed}
    kept_outside = {(i.name, i.organization_name): i for i in current if not i.user_id and i not in removed}
    for invitee in removed:
        invitee.delete()
    added = []
    order = 0
    for user in wanted_users.values():
        order += 1
        if user.pk in kept_users:
            Invitee.objects.filter(meeting=meeting, user=user).update(order=order)
            continue
        added.append(
            Invitee.objects.create(meeting=meeting, user=user, organization_id=user.organization_id, order=order)
        )
    for key, person in wanted_outside.items():
        order += 1
        if key in kept_outside:
            Invitee.objects.filter(pk=kept_outside[key].pk).update(
                title=person.title.strip(), email=person.email.strip(), order=order
            )
            continue
        added.append(
            Invitee.objects.create(
                meeting=meeting,
                name=key[0],
                organization_name=key[1],
                title=person.title.strip(),
                email=person.email.strip(),
                order=order,
            )
        )
    return added, removed


def _invitees(meeting: Meeting) -> list[Invitee]:
    return list(meeting.invitees.select_related("user", "user__organization", "organization"))


# --- the default agenda -------------------------------------------------------------------------


def open_action_items(mechanism: Mechanism) -> list[ActionItem]:
    """The mechanism's action items and tasks not yet done, oldest deadline first."""
    return list(
        ActionItem.objects.filter(mechanism=mechanism, status__in=LIVE_ITEM_STATUSES)
        .select_related("owner_organization", "owner_department")
        .order_by("due_date", "pk")
    )


def queued_complaints(mechanism: Mechanism) -> list[Complaint]:
    """Complaints the federation has queued for transfer at the next joint meeting."""
    return list(
        Complaint.objects.filter(mechanism=mechanism, status=ComplaintStatus.QUEUED)
        .select_related("enterprise", "court")
        .order_by("serial")
    )


def _default_agenda(
    meeting: Meeting, action_items: Sequence[ActionItem] | None, complaints: Sequence[Complaint] | None
) -> None:
    """A joint meeting starts with the open action items and the queued complaints (as chosen)."""
    mechanism = meeting.mechanism
    items = open_action_items(mechanism) if action_items is None else list(action_items)
    queued = queued_complaints(mechanism) if complaints is None else list(complaints)
    if any(i.mechanism_id != mechanism.pk or i.status not in LIVE_ITEM_STATUSES for i in items):
        raise ActionRefused(_("只能选择本机制尚未办结的督办事项。"), field="action_items")
    if any(c.mechanism_id != mechanism.pk or c.status != ComplaintStatus.QUEUED for c in queued):
        raise ActionRefused(_("只能选择本机制待联席会议移送的诉求。"), field="complaints")
    order = 0
    if items:
        order += 1
        agenda = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            kind=AgendaKind.ACTION_ITEMS,
            title=_("通报督办事项落实情况"),
            description=_("共 %(n)s 项尚未办结的督办事项和双清单任务。") % {"n": len(items)},
        )
        agenda.action_items.set(items)
    if queued:
        order += 1
        agenda = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            kind=AgendaKind.COMPLAINTS,
            title=_("研究移送涉企诉求"),
            description=_("工商联提请本次会议移送的涉企诉求 %(n)s 件。") % {"n": len(queued)},
        )
        agenda.complaints.set(queued)


# --- planning ------------------------------------------------------------------------------------


def _values(data: MeetingData) -> dict:
    """The meeting's own fields from the data, texts stripped."""
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in ((name, getattr(data, name)) for name in FIELDS)
    }


def _readable(values: dict) -> dict:
    """Field values as the audit summary shows them (local times; the long notes left out)."""
    return {
        name: timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value
        for name, value in values.items()
        if name != "notes"
    }


def meeting_create(
    *,
    actor: User,
    mechanism: Mechanism,
    data: MeetingData,
    action_items: Sequence[ActionItem] | None = None,
    complaints: Sequence[Complaint] | None = None,
) -> Meeting:
    """Plan a meeting. A joint meeting's agenda starts with the open action items and queued complaints.

    `action_items` and `complaints` are what the secretary kept of those (None: all of them).
    """
    require_secretary(actor, mechanism, _("安排会议"))
    _check_data(mechanism, data)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            mechanism=mechanism,
            created_by=actor,
            convenor=data.convenor or _default_convenor(mechanism, actor),
            **_values(data),
        )
        _set_invitees(meeting, data)
        if meeting.kind == MeetingKind.JOINT:
            _default_agenda(meeting, action_items, complaints)
        audit.record(
            actor=actor,
            target=meeting,
            action="meeting_create",
            to_state=M.PLANNED,
            summary=f"{meeting.get_kind_display()}：{meeting.title}",
        )
    return meeting


def meeting_update(*, actor: User, meeting: Meeting, data: MeetingData) -> Meeting:
    """Change a meeting before it takes place; once notified, invitees get an updated .ics."""
    check(MEETING, actor, meeting, "edit", _("会议已召开或已取消，不能再修改。"))
    _check_data(meeting.mechanism, data)
    values = _values(data)
    values["convenor"] = data.convenor or meeting.convenor
    notified = meeting.notice_sent_at is not None
    with transaction.atomic():
        updated = Meeting.objects.filter(pk=meeting.pk, status__in=EDITABLE_STATES).update(
            **values, sequence=F("sequence") + (1 if notified else 0), updated_at=timezone.now()
        )
        if updated != 1:
            raise ActionRefused(_("会议已召开或已取消，不能再修改。"), ActionRefused.STATE)
        before = {name: getattr(meeting, name) for name in FIELDS}
        meeting.refresh_from_db()
        added, removed = _set_invitees(meeting, data)
        labels = audit.field_labels(Meeting, FIELDS)
        after = {name: getattr(meeting, name) for name in FIELDS}
        summary = audit.changed_fields_summary(_readable(before), _readable(after), labels)
        MEETING.perform(actor, meeting, "edit", checked=True, summary=summary)
        if notified:
            stay = [i for i in _invitees(meeting) if i not in added]
            invitations.tell_invitees(
                meeting,
                stay,
                method=invitations.REQUEST,
                title=_("会议变更：%(title)s") % {"title": meeting.title},
                lead=_("会议安排有变更，请以本通知为准。"),
            )
            invitations.tell_invitees(
                meeting,
                [i for i in _invitees(meeting) if i in added],
                method=invitations.REQUEST,
                title=_("会议通知：%(title)s") % {"title": meeting.title},
                lead=_("请您参加以下会议。"),
            )
            if removed:
                invitations.tell_invitees(
                    meeting,
                    removed,
                    method=invitations.CANCEL,
                    title=_("不再邀请您参加：%(title)s") % {"title": meeting.title},
                    lead=_("参会人员有调整，您无需参加以下会议。"),
                )
    return meeting


def meeting_send_notice(*, actor: User, meeting: Meeting) -> Meeting:
    """Send the notice: in the app and by email with an .ics invitation."""
    MEETING.check(actor, meeting, "send_notice")
    invitees = invitations.told_invitees(meeting, _invitees(meeting))
    if not invitees:
        raise ActionRefused(_("请先添加参会人员，再发出会议通知。"), field="invitees")
    with transaction.atomic():
        first = meeting.notice_sent_at is None
        MEETING.perform(
            actor,
            meeting,
            "send_notice",
            checked=True,
            notice_sent_at=meeting.notice_sent_at or timezone.now(),
            sequence=F("sequence") + (0 if first else 1),
            summary=_("通知 %(n)s 人") % {"n": len(invitees)},
        )
        invitations.tell_invitees(
            meeting,
            invitees,
            method=invitations.REQUEST,
            title=_("会议通知：%(title)s") % {"title": meeting.title},
            lead=_("请您参加以下会议，并在平台上回复是否参加。"),
        )
    return meeting


def meeting_postpone(
    *, actor: User, meeting: Meeting, reason: str, starts_at: dt.datetime, ends_at: dt.datetime
) -> Meeting:
    """Move the meeting to a new time with a reason; notified invitees get the updated .ics."""
    MEETING.check(actor, meeting, "postpone")
    reason = required(reason, _("延期理由"), "reason")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ActionRefused(_("请填写延期后的开始和结束时间，结束时间须晚于开始时间。"), field="starts_at")
    notified = meeting.notice_sent_at is not None
    with transaction.atomic():
        MEETING.perform(
            actor,
            meeting,
            "postpone",
            checked=True,
            reason=reason[:300],
            starts_at=starts_at,
            ends_at=ends_at,
            sequence=F("sequence") + (1 if notified else 0),
            summary=_("延期至 %(when)s；%(reason)s")
            % {"when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "reason": reason},
        )
        if notified:
            invitations.tell_invitees(
                meeting,
                _invitees(meeting),
                method=invitations.REQUEST,
                title=_("会议延期：%(title)s") % {"title": meeting.title},
                lead=_("会议延期举行，时间调整如下。"),
            )
    return meeting


def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Call the meeting off with a reason; notified invitees get a cancellation (.ics METHOD:CANCEL)."""
    MEETING.check(actor, meeting, "cancel")
    reason = required(reason, _("取消理由"), "reason")
    notified = meeting.notice_sent_at is not None
    with transaction.atomic():
        MEETING.perform(
            actor,
            meeting,
            "cancel",
            checked=True,
            reason=reason[:300],
            sequence=F("sequence") + (1 if notified else 0),
            summary=reason,
        )
        if notified:
            invitations.tell_invitees(
                meeting,
                _invitees(meeting),
                method=invitations.CANCEL,
                title=_("会议取消：%(title)s") % {"title": meeting.title},
                lead=_("以下会议取消。"),
            )
    return meeting


def meeting_hold(*, actor: User, meeting: Meeting) -> Meeting:
    """Record that the meeting took place (on or after its day)."""
    with transaction.atomic():
        return MEETING.perform(actor, meeting, "hold", held_at=timezone.now())


# --- RSVP and attendance -----------------------------------------------------------------------


def invitee_rsvp(*, actor: User, invitee: Invitee, answer: str, note: str = "") -> Invitee:
    """An invitee answers the notice (the secretary may record an answer given by phone)."""
    meeting = invitee.meeting
    check(MEETING, actor, meeting, "rsvp", _("会议通知发出后、会议召开前才能回复。"))
    if invitee.user_id != actor.pk and not actor.has_role(*SECRETARY_ROLES):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": _("代为回复")}, ActionRefused.PERMISSION)
    if answer not in (Rsvp.ACCEPTED, Rsvp.TENTATIVE, Rsvp.DECLINED):
        raise ActionRefused(_("请选择参加、待定或不参加。"), field="answer")
    if answer == Rsvp.DECLINED and not note.strip():
        raise ActionRefused(_("不参加的，请说明理由或委托参会人员。"), field="note")
    with transaction.atomic():
        updated = Invitee.objects.filter(pk=invitee.pk, meeting__status__in=[M.NOTICE_SENT, M.POSTPONED]).update(
            rsvp=answer, rsvp_note=note.strip()[:200], rsvp_at=timezone.now()
        )
        if updated != 1:
            raise ActionRefused(_("会议通知发出后、会议召开前才能回复。"), ActionRefused.STATE)
        note_text = f"；{note.strip()}" if note.strip() else ""
        MEETING.perform(
            actor, meeting, "rsvp", checked=True, summary=f"{invitee.display_name}：{Rsvp(answer).label}{note_text}"
        )
    invitee.refresh_from_db()
    return invitee


@dataclass
class AttendanceEntry:
    invitee: Invitee
    attendance: str
    represented_by: str = ""


def attendance_record(*, actor: User, meeting: Meeting, entries: Sequence[AttendanceEntry]) -> Meeting:
    """Record who was present, absent or represented (and by whom), on the day or after."""
    check(
        MEETING,
        actor,
        meeting,
        "attendance",
        lambda m: (
            _("会议当前状态为“%(state)s”，不能登记出席情况（纪要送审后不再修改）。") % {"state": m.get_status_display()}
        ),
    )
    for entry in entries:
        if entry.invitee.meeting_id != meeting.pk:
            raise ActionRefused(_("参会人员不属于本次会议。"), field="attendance")
        if entry.attendance not in Attendance.values:
            raise ActionRefused(_("请选择出席情况。"), field="attendance")
        if entry.attendance == Attendance.REPRESENTED and not entry.represented_by.strip():
            raise ActionRefused(
                _("“%(name)s”委托出席的，请填写出席人姓名。") % {"name": entry.invitee.display_name}, field="attendance"
            )
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        check(MEETING, actor, locked, "attendance", _("纪要已送审，出席情况不能再修改。"))
        for entry in entries:
            Invitee.objects.filter(pk=entry.invitee.pk).update(
                attendance=entry.attendance,
                represented_by=entry.represented_by.strip()[:60] if entry.attendance == Attendance.REPRESENTED else "",
            )
        counts = {value: sum(1 for e in entries if e.attendance == value) for value in Attendance.values}
        MEETING.perform(
            actor,
            meeting,
            "attendance",
            checked=True,
            summary=_("出席 %(present)s 人，委托出席 %(represented)s 人，缺席 %(absent)s 人")
            % {
                "present": counts[Attendance.PRESENT],
                "represented": counts[Attendance.REPRESENTED],
                "absent": counts[Attendance.ABSENT],
            },
        )
    return meeting


# --- the agenda ---------------------------------------------------------------------------------


def _require_agenda_open(actor: User, meeting: Meeting) -> None:
    check(MEETING, actor, meeting, "agenda", _("会议已召开或已取消，议题不能再调整。"))


def agenda_item_add(
    *, actor: User, meeting: Meeting, title: str, description: str = "", presenter: str = ""
) -> AgendaItem:
    _require_agenda_open(actor, meeting)
    title = required(title, _("议题"), "title")
    with transaction.atomic():
        last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=last + 1,
            title=title[:200],
            description=description.strip(),
            presenter=presenter.strip()[:60],
        )
        audit.record(actor=actor, target=meeting, action="meeting_agenda_add", summary=item.title)
    return item


def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    meeting = item.meeting
    _require_agenda_open(actor, meeting)
    with transaction.atomic():
        audit.record(actor=actor, target=meeting, action="meeting_agenda_remove", summary=item.title)
        item.delete()


def agenda_item_trim(
    *, actor: User, item: AgendaItem, action_items: Sequence[ActionItem] = (), complaints: Sequence[Complaint] = ()
) -> AgendaItem:
    """Take some action items or complaints off an agenda item (the secretary trims the default agenda)."""
    meeting = item.meeting
    _require_agenda_open(actor, meeting)
    if not set(a.pk for a in action_items) <= set(item.action_items.values_list("pk", flat=True)) or not set(
        c.pk for c in complaints
    ) <= set(item.complaints.values_list("pk", flat=True)):
        raise ActionRefused(_("只能移除该议题下的事项。"), field="items")
    with transaction.atomic():
        item.action_items.remove(*action_items)
        item.complaints.remove(*complaints)
        audit.record(
            actor=actor,
            target=meeting,
            action="meeting_agenda_edit",
            summary=_("“%(title)s”移除督办事项 %(a)s 项、诉求 %(c)s 件")
            % {"title": item.title, "a": len(action_items), "c": len(complaints)},
        )
    return item


def agenda_transfer(*, actor: User, item: AgendaItem, complaints: Sequence[Complaint]) -> list[Transfer]:
    """ "Transfer at this meeting": the chosen queued complaints of the item go to the court.

    The cases service makes one transfer letter per court and checks the actor (the federation);
    the letters are linked to the agenda item.
    """
    meeting = item.meeting
    if not complaints:
        raise ActionRefused(_("请选择要移送的诉求。"), field="complaints")
    check(MEETING, actor, meeting, "transfer", _("会议召开时才能在会上移送诉求。"))
    linked = set(item.complaints.values_list("pk", flat=True))
    if any(c.pk not in linked for c in complaints):
        raise ActionRefused(_("只能移送列入该议题的诉求。"), field="complaints")
    with transaction.atomic():
        transfers = complaints_transfer_batch(
            actor=actor, complaints=list(complaints), meeting_reference=meeting.title[:120]
        )
        item.transfers.add(*transfers)
        MEETING.perform(actor, meeting, "transfer", checked=True, summary="、".join(t.number for t in transfers))
    return transfers


# --- what the user may do now ------------------------------------------------------------------


def allowed_actions(actor: User, meeting: Meeting) -> list[str]:
    """The steps this user may take now, for the buttons on the page and the API (from `MEETING`)."""
    return names(MEETING, actor, meeting, MEETING_ACTIONS)
