"""Action items and dual-list tasks: they go live with their deadline, get progress reports, and are
closed by the secretary side; the dual list itself is drafted, imported and approved at a plenary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import attachments, audit, deadlines
from liaison.acting import organization_of
from liaison.choices import NotificationKind
from liaison.errors import ActionRefused
from liaison.files import FileKind
from liaison.models import Department, Mechanism, MechanismParty, Organization, User
from liaison.notifications import notify
from liaison.workdays import WorkingCalendar
from liaison.workflow import required

from ..choices import HELD_STATES, DualListStatus, ItemSource, ItemStatus, MeetingKind
from ..models import ActionItem, DualList, Meeting, ProgressReport
from ..workflow import DUAL_LIST, ITEM, ITEM_ACTIONS, dual_list_state, names
from ._common import (
    check,
    item_url,
    party_organization_ids,
    require_secretary,
    secretaries,
)

ITEM_DEADLINE, TASK_DEADLINE = "meetings.action_item", "meetings.task"
Uploads = Sequence[tuple[UploadedFile, FileKind]]


@dataclass
class ItemData:
    """An action item of minutes, or a task of a dual list, as written before it goes live."""

    title: str
    owner_organization: Organization
    due_date: dt.date
    owner_department: Department | None = None
    target: str = ""
    responsible_units: str = ""


def check_item(mechanism: Mechanism, data: ItemData, *, label: str, not_before: dt.date | None = None) -> None:
    """The checks every action item and task passes, with the row or position in `label`."""
    if not (data.title or "").strip():
        raise ActionRefused(_("%(label)s：请填写事项内容。") % {"label": label}, field="action_items")
    if data.owner_organization is None or data.owner_organization.pk not in party_organization_ids(mechanism):
        raise ActionRefused(_("%(label)s：责任单位须是本机制的参与单位。") % {"label": label}, field="action_items")
    if data.owner_department is not None and data.owner_department.organization_id != data.owner_organization.pk:
        raise ActionRefused(
            _("%(label)s：责任部门“%(dept)s”不属于%(org)s。")
            % {"label": label, "dept": data.owner_department.name, "org": data.owner_organization.name},
            field="action_items",
        )
    if data.due_date is None:
        raise ActionRefused(_("%(label)s：请填写完成时限。") % {"label": label}, field="action_items")
    if not_before is not None and data.due_date <= not_before:
        raise ActionRefused(
            _("%(label)s：完成时限须晚于 %(day)s。") % {"label": label, "day": not_before}, field="action_items"
        )
    if len(data.title.strip()) > 300:
        raise ActionRefused(_("%(label)s：事项内容不超过 300 字。") % {"label": label}, field="action_items")


def _owner_people(item: ActionItem) -> list[User]:
    """Who answers for an item: the owner organization's liaison officer, and the owner department's staff."""
    people = {}
    officer = MechanismParty.objects.filter(
        mechanism_id=item.mechanism_id, organization_id=item.owner_organization_id, liaison_officer__isnull=False
    ).values_list("liaison_officer", flat=True)
    for user in User.objects.filter(pk__in=list(officer), is_active=True):
        people[user.pk] = user
    if item.owner_department_id:
        for user in User.objects.filter(
            department_id=item.owner_department_id, is_active=True, role_assignments__isnull=False
        ).distinct():
            people[user.pk] = user
    return list(people.values())


def _start_deadline(item: ActionItem, actor: User | None, start: dt.date, calendar: WorkingCalendar) -> None:
    """A liaison deadline on the item's date, so the reminder engine reminds before, on the day and after.

    Deadlines count working days; a date that is not a working day moves to the next working day.
    """
    start = min(start, item.due_date)
    days = calendar.working_days_between(start, item.due_date)
    if not calendar.is_working_day(item.due_date):
        days += 1
    prefix = _("双清单任务") if item.is_task else _("督办事项")
    deadlines.deadline_start(
        target=item,
        kind=TASK_DEADLINE if item.is_task else ITEM_DEADLINE,
        label=f"{prefix}：{item.title}"[:200],
        mechanism=item.mechanism,
        owner_organization=item.owner_organization,
        start=start,
        working_days=days,
        actor=actor,
        url=item_url(item.pk),
        calendar=calendar,
    )


def open_items(items: Iterable[ActionItem], *, actor: User | None) -> int:
    """Drafted items go live: status open, a running deadline, their owners told. Inside the caller's transaction."""
    items = [i for i in items if i.status == ItemStatus.DRAFT]
    if not items:
        return 0
    calendar, today = WorkingCalendar(), deadlines.today()
    for item in items:
        # The caller (issuing the minutes, approving the dual list) has checked its own step.
        ITEM.perform(actor, item, "open", checked=True, summary=f"{item.owner_display}；{item.due_date}")
        _start_deadline(item, actor, today, calendar)
        kind = _("双清单任务") if item.is_task else _("督办事项")
        notify(
            _owner_people(item),
            kind=NotificationKind.WORK,
            url=item_url(item.pk),
            title=_("新%(kind)s（%(due)s 前完成）：%(title)s")
            % {"kind": kind, "due": item.due_date, "title": item.title},
        )
    return len(items)


# --- progress and closing ----------------------------------------------------------------------------


def item_report_progress(
    *, actor: User, item: ActionItem, text: str, completed: bool = False, files: Uploads = ()
) -> ProgressReport:
    """The owner organization reports progress (with files); `completed` asks the secretary to close it."""
    ITEM.check(actor, item, "progress")
    text = required(text, _("进展情况"), "text")
    now = timezone.now()
    with transaction.atomic():
        updates: dict[str, Any] = {"completion_reported_at": now} if completed else {}
        ITEM.perform(
            actor,
            item,
            "progress",
            checked=True,
            summary=(_("报告已完成：") if completed else "") + text[:200],
            **updates,
        )
        report = ProgressReport.objects.create(
            item=item, author=actor, organization=organization_of(actor), text=text, reports_completion=completed
        )
        for upload, kind in files:
            attachments.attachment_add(target=report, upload=upload, kind=kind, actor=actor, purpose="progress")
        if completed:
            notify(
                secretaries(item.mechanism_id),
                kind=NotificationKind.WORK,
                url=item_url(item.pk),
                title=_("督办事项报告已完成，请核实办结：%(title)s") % {"title": item.title},
            )
    item.refresh_from_db()
    return report


def item_close(*, actor: User, item: ActionItem, note: str = "") -> ActionItem:
    """The secretary side closes an item (办结销号); only they may, whoever did the work."""
    ITEM.check(actor, item, "close")
    with transaction.atomic():
        ITEM.perform(
            actor,
            item,
            "close",
            checked=True,
            closed_at=timezone.now(),
            closed_by=actor,
            closing_note=note.strip()[:500],
            summary=note.strip()[:200],
        )
        deadline = deadlines.open_deadline(item, TASK_DEADLINE if item.is_task else ITEM_DEADLINE)
        if deadline is not None:
            deadlines.deadline_close(deadline=deadline, actor=actor)
        notify(
            _owner_people(item),
            kind=NotificationKind.WORK,
            url=item_url(item.pk),
            title=_("督办事项已办结：%(title)s") % {"title": item.title},
        )
    item.refresh_from_db()
    return item


def item_allowed_actions(actor: User, item: ActionItem) -> list[str]:
    """The steps this user may take now on the item (from `ITEM`)."""
    return names(ITEM, actor, item, ITEM_ACTIONS)


# --- the dual list ------------------------------------------------------------------------------------


def dual_list_create(*, actor: User, mechanism: Mechanism, year: int, title: str = "") -> DualList:
    require_secretary(actor, mechanism, _("编制双清单"))
    if not 2000 <= int(year) <= 2100:
        raise ActionRefused(_("请填写正确的年度。"), field="year")
    title = (title or "").strip() or _("%(mechanism)s %(year)s年“双清单”") % {
        "mechanism": mechanism.short_name,
        "year": year,
    }
    try:
        with transaction.atomic():
            dual_list = DualList.objects.create(mechanism=mechanism, year=year, title=title[:200], created_by=actor)
            audit.record(
                actor=actor,
                target=dual_list,
                action="dual_list_create",
                to_state=dual_list_state(DualListStatus.DRAFT),
                summary=dual_list.title,
            )
    except IntegrityError:
        raise ActionRefused(_("该机制 %(year)s 年已有双清单。") % {"year": year}, field="year") from None
    return dual_list


@dataclass
class TaskRow:
    """One row of a dual list as imported: its position (for messages) and the task."""

    row: int
    data: ItemData


def dual_list_replace_tasks(
    *, actor: User, dual_list: DualList, rows: Sequence[TaskRow], source: str = ""
) -> list[ActionItem]:
    """Set the tasks of a draft dual list (an Excel import): all rows are checked first, nothing is saved if one fails."""
    check(DUAL_LIST, actor, dual_list, "import", _("双清单已审定，任务不能再导入或修改。"))
    if not rows:
        raise ActionRefused(_("没有可导入的任务。"), field="file")
    errors = []
    for row in rows:
        try:
            check_item(dual_list.mechanism, row.data, label=_("第 %(n)s 行") % {"n": row.row})
        except ActionRefused as error:
            errors.append(error.message)
    if errors:
        raise ActionRefused("\n".join(errors), field="file")
    with transaction.atomic():
        updated = DualList.objects.filter(pk=dual_list.pk, status=DualListStatus.DRAFT).update(title=F("title"))
        if updated != 1:
            raise ActionRefused(_("双清单已审定，任务不能再导入或修改。"), ActionRefused.STATE)
        ActionItem.objects.filter(dual_list=dual_list, status=ItemStatus.DRAFT).delete()
        tasks = ActionItem.objects.bulk_create(
            [
                ActionItem(
                    mechanism=dual_list.mechanism,
                    source=ItemSource.DUAL_LIST,
                    dual_list=dual_list,
                    order=index,
                    title=row.data.title.strip(),
                    target=(row.data.target or "").strip(),
                    owner_organization=row.data.owner_organization,
                    owner_department=row.data.owner_department,
                    responsible_units=(row.data.responsible_units or "").strip()[:300],
                    due_date=row.data.due_date,
                    status=ItemStatus.DRAFT,
                )
                for index, row in enumerate(rows, start=1)
            ]
        )
        DUAL_LIST.perform(
            actor,
            dual_list,
            "import",
            checked=True,
            summary=_("导入任务 %(n)s 项%(source)s") % {"n": len(tasks), "source": f"（{source}）" if source else ""},
        )
    return tasks


def dual_list_approve(*, actor: User, dual_list: DualList, meeting: Meeting) -> DualList:
    """Record that a plenary approved the dual list: its tasks go live with their deadlines."""
    check(DUAL_LIST, actor, dual_list, "approve", _("双清单已审定。"))
    if meeting.mechanism_id != dual_list.mechanism_id or meeting.kind != MeetingKind.PLENARY:
        raise ActionRefused(_("双清单须经本机制的全体会议审定，请选择全体会议。"), field="meeting")
    if meeting.status not in HELD_STATES:
        raise ActionRefused(_("请选择已召开的全体会议。"), field="meeting")
    tasks = list(dual_list.tasks.select_related("owner_organization", "owner_department", "mechanism"))
    with transaction.atomic():
        DUAL_LIST.perform(
            actor,
            dual_list,
            "approve",
            checked=True,
            approved_at_meeting=meeting,
            approved_at=timezone.now(),
            approved_by=actor,
            summary=meeting.title,
        )
        open_items(tasks, actor=actor)
    dual_list.refresh_from_db()
    return dual_list


__all__ = [
    "ITEM_DEADLINE",
    "TASK_DEADLINE",
    "ItemData",
    "TaskRow",
    "check_item",
    "dual_list_approve",
    "dual_list_create",
    "dual_list_replace_tasks",
    "item_allowed_actions",
    "item_close",
    "item_report_progress",
    "open_items",
]
