"""Excel files: the supervision ledger (督办台账) and a dual list, in the columns the import reads back."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from liaison.deadlines import due_status_of, today
from liaison.models import Organization
from liaison.workdays import WorkingCalendar
from liaison.xlsx import SafeWorkbook, workbook_bytes

from .choices import ComputedMetric, Direction, ItemState, OwnerRole
from .models import ActionItem, DualList, Indicator, TaskOwner

# The dual list's columns, as the import reads them (the first row of the sheet); then, per indicator,
# 指标1名称 / 指标1单位 / 指标1方向 / 指标1目标 / 指标1口径 (the portal's own measure, blank when entered).
DUAL_LIST_HEADERS = ["序号", "任务", "牵头单位", "牵头部门", "责任单位", "目标要求", "完成时限"]
INDICATOR_PARTS = ("名称", "单位", "方向", "目标", "口径")
INDICATOR_DIRECTIONS = {Direction.AT_MOST: "不高于", Direction.AT_LEAST: "不低于"}
# How the import writes "单位·部门" (the first is what the export writes).
OWNER_SEPARATORS = ("·", "/", "：", ":")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _state_label(item: ActionItem) -> str:
    return str(ItemState(getattr(item, "state", item.status)).label)


def supervision_ledger(items: Iterable[ActionItem]) -> bytes:
    """An .xlsx of the rows as given (already scoped and filtered), written in streaming mode."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("督办台账"))
    sheet.append(
        [
            _("序号"),
            _("来源"),
            _("会议纪要或双清单"),
            _("事项"),
            _("目标要求"),
            _("责任（牵头）单位"),
            _("责任（牵头）部门"),
            _("责任单位"),
            _("完成时限"),
            _("状态"),
            _("时限状态"),
            _("进展报告数"),
            _("报告完成时间"),
            _("办结时间"),
            _("办结意见"),
            _("机制"),
        ]
    )
    calendar, on = WorkingCalendar(), today()
    for n, item in enumerate(items, start=1):
        origin = (
            (item.minutes.number or item.minutes.title)
            if item.minutes_id
            else (item.dual_list.title if item.dual_list_id else "")
        )
        due = due_status_of(item.due_date, calendar, on) if item.status in ("open", "in_progress") else None
        sheet.append(
            [
                n,
                item.get_source_display(),
                origin,
                item.title,
                item.target,
                item.owner_organization.name,
                item.owner_department.name if item.owner_department_id else "",
                item.responsible_units,
                item.due_date.isoformat(),
                _state_label(item),
                due.text if due else "",
                getattr(item, "report_count", ""),
                _when(item.completion_reported_at),
                _when(item.closed_at),
                item.closing_note,
                item.mechanism.short_name,
            ]
        )
    return workbook_bytes(workbook)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _qualified(owner: TaskOwner) -> str:
    """ "单位·部门", as the import reads a department of any party."""
    return f"{owner.organization.name}·{owner.department.name}" if owner.department_id else owner.organization.name


def _spellings(owner: TaskOwner, lead_id: int) -> set[str]:
    """The names the import resolves to this owner (to keep a responsible-units text that still says it)."""
    names = {n for n in (owner.organization.name, owner.organization.short_name) if n}
    if not owner.department_id:
        return names
    spelled = {f"{n}{sep}{owner.department.name}" for n in names for sep in OWNER_SEPARATORS}
    return spelled | ({owner.department.name} if owner.organization_id == lead_id else set())


def _owner_cells(task: ActionItem, party_names: set[str]) -> tuple[str, str, str]:
    """牵头单位, 牵头部门 and 责任单位 as the import reads them back into the same owners: the lead unit
    first, then co-lead units; the lead department first, then co-lead departments ("单位·部门");
    responsible units and departments (a department of the lead unit by its name alone)."""
    owners = [o for o in task.owners.all() if o.role != OwnerRole.LEAD]
    co_leads = [o for o in owners if o.role == OwnerRole.CO_LEAD]
    responsible = [o for o in owners if o.role == OwnerRole.RESPONSIBLE]
    units = [task.owner_organization.name] + [o.organization.name for o in co_leads if not o.department_id]
    departments = [task.owner_department.name] if task.owner_department_id else []
    departments += [_qualified(o) for o in co_leads if o.department_id]
    written = [
        o.department.name
        if o.department_id and o.organization_id == task.owner_organization_id and o.department.name not in party_names
        else _qualified(o)
        for o in responsible
    ]
    # The text as it was imported (with its notes in brackets) when it still names the same owners.
    from .imports import split_names  # the import reads this module's headers

    said = split_names(task.responsible_units)
    keep = len(said) == len(responsible) and all(
        name in _spellings(o, task.owner_organization_id) for name, o in zip(said, responsible, strict=True)
    )
    return "、".join(units), "、".join(departments), task.responsible_units if keep else "、".join(written)


def _indicator_cells(indicator: Indicator) -> list:
    with translation.override("zh-hans"):
        metric = str(ComputedMetric(indicator.metric).label) if indicator.metric else ""
    return [
        indicator.name,
        indicator.unit,
        INDICATOR_DIRECTIONS[indicator.direction],
        _number(indicator.target),
        metric,
    ]


def dual_list_workbook(dual_list: DualList | None, tasks: Iterable[ActionItem] = ()) -> bytes:
    """The dual list in the import's columns (plus status when it has been approved); without tasks, a template.

    Every owner and indicator is written as the import reads it, so exporting a list and importing the
    file gives the same tasks, lead, co-lead and responsible units, and indicators."""
    tasks = list(tasks)
    prefetch_related_objects(
        tasks, Prefetch("owners", queryset=TaskOwner.objects.select_related("organization", "department")), "indicators"
    )
    party_names = set()
    if dual_list is not None:
        for name, short in Organization.objects.filter(
            mechanism_parties__mechanism_id=dual_list.mechanism_id
        ).values_list("name", "short_name"):
            party_names |= {name, short}
    workbook = SafeWorkbook()
    sheet = workbook.active
    sheet.title = _("双清单")
    headers = list(DUAL_LIST_HEADERS)
    indicator_count = max([len(t.indicators.all()) for t in tasks] + [1])
    for n in range(1, indicator_count + 1):
        headers += [f"指标{n}{part}" for part in INDICATOR_PARTS]
    approved = dual_list is not None and dual_list.status == "approved"
    if approved:
        headers += [_("状态"), _("办结时间")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for task in tasks:
        units, departments, responsible = _owner_cells(task, party_names)
        row = [task.order, task.title, units, departments, responsible, task.target, task.due_date]
        indicators = list(task.indicators.all())
        for n in range(indicator_count):
            row += _indicator_cells(indicators[n]) if n < len(indicators) else [None] * len(INDICATOR_PARTS)
        if approved:
            row += [_state_label(task), _when(task.closed_at)]
        sheet.append(row)
    for column, width in zip("ABCDEFG", (6, 48, 20, 20, 28, 36, 12)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        row[6].number_format = "yyyy-mm-dd"
    return workbook_bytes(workbook)


def activity_attendance_xlsx(activity) -> bytes:
    """The attendance list of an activity: everyone registered, their place or waiting, and sign-in."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("出席名单"))
    sheet.append([activity.title])
    sheet.append([_("序号"), _("姓名"), _("单位"), _("职务"), _("报名状态"), _("报名时间"), _("签到"), _("签到时间")])
    for n, registration in enumerate(activity.registrations.all(), start=1):
        user = registration.user
        sheet.append(
            [
                n,
                user.display_name,
                user.organization.name if user.organization_id else "",
                user.title,
                registration.get_status_display(),
                _when(registration.registered_at),
                _("是") if registration.signed_in_at else _("否"),
                _when(registration.signed_in_at),
            ]
        )
    return workbook_bytes(workbook)
