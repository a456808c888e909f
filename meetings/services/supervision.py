"""Action items and dual-list tasks: they go live with their deadline, get progress reports, and are
closed by the secretary side; the dual list itself is drafted, imported and approved at a plenary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
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

from ..choices import (
    HELD_STATES,
    ComputedMetric,
    Direction,
    DualListStatus,
    IndicatorSource,
    ItemSource,
    ItemStatus,
    MeetingKind,
    OwnerRole,
)
from ..models import ActionItem, DualList, Indicator, IndicatorValue, Meeting, ProgressReport, TaskOwner
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
class OwnerData:
    """A co-lead unit or a responsible department of a task (a department of any party)."""

    organization: Organization
    department: Department | None = None


@dataclass
class IndicatorData:
    """A measured target of a task, as imported or written."""

    name: str
    unit: str
    direction: str
    target: Decimal
    source: str = IndicatorSource.ENTERED
    metric: str = ""


@dataclass
class ItemData:
    """An action item of minutes, or a task of a dual list, as written before it goes live.

    `owner_organization`/`owner_department` is the one lead unit; `co_leads` and `responsible`
    answer for the task with it, each seeing and reporting on it."""

    title: str
    owner_organization: Organization
    due_date: dt.date
    owner_department: Department | None = None
    target: str = ""
    responsible_units: str = ""
    co_leads: list[OwnerData] = field(default_factory=list)
    responsible: list[OwnerData] = field(default_factory=list)
    indicators: list[IndicatorData] = field(default_factory=list)


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
    parties = set(party_organization_ids(mechanism)) if data.co_leads or data.responsible else set()
    for owner in [*data.co_leads, *data.responsible]:
        if owner.organization.pk not in parties:
            raise ActionRefused(
                _("%(label)s：%(org)s不是本机制的参与单位。") % {"label": label, "org": owner.organization.name},
                field="action_items",
            )
        if owner.department is not None and owner.department.organization_id != owner.organization.pk:
            raise ActionRefused(
                _("%(label)s：部门“%(dept)s”不属于%(org)s。")
                % {"label": label, "dept": owner.department.name, "org": owner.organization.name},
                field="action_items",
            )
    for indicator in data.indicators:
        check_indicator(indicator, label=label)


def check_indicator(data: IndicatorData, *, label: str) -> None:
    """An indicator needs a name, a unit, a direction and a target of zero or more."""
    problem = None
    if not data.name.strip() or len(data.name.strip()) > 100:
        problem = _("指标名称须为 1–100 字")
    elif not data.unit.strip() or len(data.unit.strip()) > 10:
        problem = _("指标“%(name)s”的计量单位须为 1–10 字") % {"name": data.name}
    elif data.direction not in Direction.values:
        problem = _("指标“%(name)s”的方向须为“不高于”或“不低于”") % {"name": data.name}
    elif data.target is None or data.target < 0:
        problem = _("指标“%(name)s”的目标值须为不小于 0 的数") % {"name": data.name}
    elif data.source == IndicatorSource.COMPUTED and data.metric not in ComputedMetric.values:
        problem = _("指标“%(name)s”由系统计算，须选择计算口径") % {"name": data.name}
    if problem:
        raise ActionRefused(f"{label}：{problem}。", field="action_items")


def save_owners_and_indicators(items: Sequence[tuple[ActionItem, ItemData]]) -> None:
    """The owners (lead first) and indicators of newly created items, in the caller's transaction."""
    owners, indicators = [], []
    for item, data in items:
        seen = set()
        listed = [(OwnerRole.LEAD, OwnerData(data.owner_organization, data.owner_department))]
        listed += [(OwnerRole.CO_LEAD, o) for o in data.co_leads] + [
            (OwnerRole.RESPONSIBLE, o) for o in data.responsible
        ]
        for role, owner in listed:
            key = (role, owner.organization.pk, owner.department.pk if owner.department else None)
            if key in seen:
                continue
            seen.add(key)
            owners.append(TaskOwner(item=item, role=role, organization=owner.organization, department=owner.department))
        indicators += [
            Indicator(
                item=item,
                order=n,
                name=i.name.strip(),
                unit=i.unit.strip(),
                direction=i.direction,
                target=i.target,
                source=i.source,
                metric=i.metric if i.source == IndicatorSource.COMPUTED else "",
            )
            for n, i in enumerate(data.indicators, start=1)
        ]
    TaskOwner.objects.bulk_create(owners)
    Indicator.objects.bulk_create(indicators)


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


def item_report_indicator(
    *, actor: User, item: ActionItem, indicator: Indicator, month: dt.date, value: Decimal
) -> IndicatorValue:
    """A unit answering for the task reports an indicator's value for a month (a later report of the
    same month replaces the earlier one; both are in the audit trail)."""
    ITEM.check(actor, item, "indicator")
    if indicator.item_id != item.pk:
        raise ActionRefused(_("该指标不属于本任务。"), field="indicator")
    if indicator.source != IndicatorSource.ENTERED:
        raise ActionRefused(_("指标“%(name)s”由系统按月计算，无需填报。") % {"name": indicator.name}, field="indicator")
    from ..indicators import item_months, month_start

    month = month_start(month)
    months = item_months(item)
    if month not in months:
        if month > month_start(deadlines.today()):
            raise ActionRefused(_("不能报送未来月份的数值。"), field="month")
        raise ActionRefused(
            _("月份须在任务期间内（%(first)s 至 %(last)s）。")
            % {"first": f"{months[0]:%Y-%m}" if months else "—", "last": f"{months[-1]:%Y-%m}" if months else "—"},
            field="month",
        )
    if value is None or value < 0:
        raise ActionRefused(_("数值须为不小于 0 的数。"), field="value")
    if indicator.unit.strip() == "%" and value > 100:
        raise ActionRefused(_("百分比不能超过 100。"), field="value")
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        ITEM.check(actor, locked, "indicator")
        entry, _created = IndicatorValue.objects.update_or_create(
            indicator=indicator,
            month=month,
            defaults={
                "value": value,
                "organization": organization_of(actor),
                "entered_by": actor,
                "entered_at": timezone.now(),
            },
        )
        met = indicator.is_met(value)
        ITEM.perform(
            actor,
            locked,
            "indicator",
            checked=True,
            summary=_("%(name)s %(month)s：%(value)s%(unit)s（目标%(target)s，%(state)s）")
            % {
                "name": indicator.name,
                "month": f"{month:%Y-%m}",
                "value": f"{value.normalize():f}",
                "unit": indicator.unit,
                "target": indicator.target_display,
                "state": _("达标") if met else _("未达标"),
            },
        )
    return entry


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


def _new_departments(rows: Sequence[TaskRow]) -> list[Department]:
    """The departments named in the rows that are not in the portal yet (unsaved), once each."""
    found: dict[tuple[int, str], Department] = {}
    for row in rows:
        named = [row.data.owner_department] + [o.department for o in [*row.data.co_leads, *row.data.responsible]]
        for department in named:
            if department is not None and department.pk is None:
                found.setdefault((department.organization_id, department.name), department)
    return list(found.values())


def missing_departments_message(departments: Sequence[Department]) -> str:
    return _("以下部门尚未建立：%(names)s。请确认无误后勾选“创建缺少的部门”，再次导入。") % {
        "names": "、".join(f"{d.organization.short_name or d.organization.name}·{d.name}" for d in departments)
    }


def dual_list_replace_tasks(
    *,
    actor: User,
    dual_list: DualList,
    rows: Sequence[TaskRow],
    source: str = "",
    create_departments: bool = False,
) -> list[ActionItem]:
    """Set the tasks of a draft dual list (an Excel import): all rows are checked first, nothing is saved if one fails.

    Departments the rows name that do not exist yet are created only when the user confirmed it
    (`create_departments`); otherwise the import is refused with their names.
    """
    check(DUAL_LIST, actor, dual_list, "import", _("双清单已审定，任务不能再导入或修改。"))
    if not rows:
        raise ActionRefused(_("没有可导入的任务。"), field="file")
    new_departments = _new_departments(rows)
    if new_departments and not create_departments:
        raise ActionRefused(missing_departments_message(new_departments), field="create_departments")
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
        for department in new_departments:
            saved, created = Department.objects.get_or_create(
                organization_id=department.organization_id, name=department.name
            )
            department.pk = saved.pk
            if created:
                audit.record(actor=actor, target=saved, action="department_create", summary=_("双清单导入时创建"))
        ActionItem.objects.filter(dual_list=dual_list, status=ItemStatus.DRAFT).delete()
        tasks: list[ActionItem] = ActionItem.objects.bulk_create(
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
        save_owners_and_indicators([(task, row.data) for task, row in zip(tasks, rows, strict=True)])
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
    "IndicatorData",
    "ItemData",
    "OwnerData",
    "TaskRow",
    "check_indicator",
    "check_item",
    "dual_list_approve",
    "dual_list_create",
    "dual_list_replace_tasks",
    "missing_departments_message",
    "item_allowed_actions",
    "item_close",
    "item_report_indicator",
    "item_report_progress",
    "open_items",
    "save_owners_and_indicators",
]
