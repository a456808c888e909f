"""Excel files: the supervision ledger (督办台账) and a dual list, in the columns the import reads back."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from liaison.deadlines import due_status_of, today
from liaison.workdays import WorkingCalendar
from liaison.xlsx import SafeWorkbook, workbook_bytes

from .choices import ItemState
from .models import ActionItem, DualList

# The dual list's columns, as the import reads them (the first row of the sheet).
DUAL_LIST_HEADERS = ["序号", "任务", "牵头单位", "牵头部门", "责任单位", "目标要求", "完成时限"]


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


def dual_list_workbook(dual_list: DualList | None, tasks: Iterable[ActionItem] = ()) -> bytes:
    """The dual list in the import's columns (plus status when it has been approved); without tasks, a template."""
    workbook = SafeWorkbook()
    sheet = workbook.active
    sheet.title = _("双清单")
    headers = list(DUAL_LIST_HEADERS)
    approved = dual_list is not None and dual_list.status == "approved"
    if approved:
        headers += [_("状态"), _("办结时间")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for task in tasks:
        row = [
            task.order,
            task.title,
            task.owner_organization.name,
            task.owner_department.name if task.owner_department_id else "",
            task.responsible_units,
            task.target,
            task.due_date,
        ]
        if approved:
            row += [_state_label(task), _when(task.closed_at)]
        sheet.append(row)
    for column, width in zip("ABCDEFGHI", (6, 48, 20, 20, 28, 36, 12, 10, 18)):
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
