"""Reading a dual list from Excel: every row is checked, and every problem is reported by its row.

Parsing only turns cells into `TaskRow`s (names into organizations and departments, texts into
dates); the service checks the rows again and saves all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from calendar import monthrange

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from liaison.errors import ActionRefused
from liaison.models import Department, Mechanism, Organization

from .exports import DUAL_LIST_HEADERS
from .services import ItemData, TaskRow

MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024

# Accepted header names for each column (the first row of the sheet).
COLUMNS = {
    "order": ("序号", "编号"),
    "title": ("任务", "事项", "任务内容", "工作任务"),
    "organization": ("牵头单位",),
    "department": ("牵头部门",),
    "responsible": ("责任单位", "责任部门", "配合单位"),
    "target": ("目标要求", "目标", "工作目标"),
    "due": ("完成时限", "时限", "完成时间"),
}
REQUIRED = ("title", "organization", "due")

_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_END = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(底|末)?$")
_YEAR_END = re.compile(r"^(\d{4})\s*年\s*(底|末)$")


def parse_due(value: object) -> dt.date | None:
    """A date cell, or text: 2026-12-31, 2026/12/31, 2026年12月31日, 2026年6月底 (end of month), 2026年底."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().removesuffix("前").removesuffix("以前").strip()
    if not text:
        return None
    try:
        if match := _FULL_DATE.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MONTH_END.match(text):
            year, month = int(match[1]), int(match[2])
            return dt.date(year, month, monthrange(year, month)[1])
        if match := _YEAR_END.match(text):
            return dt.date(int(match[1]), 12, 31)
    except ValueError:
        return None
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_map(header: list[object]) -> dict[str, int]:
    names = [_text(cell) for cell in header]
    found = {}
    for key, accepted in COLUMNS.items():
        for index, name in enumerate(names):
            if name in accepted:
                found[key] = index
                break
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise ActionRefused(
            _("第 1 行应为表头，缺少列：%(columns)s。请使用导出的模板（列：%(all)s）。")
            % {"columns": "、".join(missing), "all": "、".join(DUAL_LIST_HEADERS)},
            field="file",
        )
    return found


def parse_dual_list(upload: UploadedFile, mechanism: Mechanism) -> list[TaskRow]:
    """The rows of the first sheet as tasks; refuses (ActionRefused) with one line per bad row."""
    if upload.size and upload.size > MAX_BYTES:
        raise ActionRefused(_("文件过大（不超过 5 MB）。"), field="file")
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ActionRefused(_("文件不是有效的 Excel（.xlsx）文件。"), field="file") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ActionRefused(_("表格是空的。"), field="file")
    columns = _header_map(list(header))
    parties = list(Organization.objects.filter(mechanism_parties__mechanism=mechanism).order_by("name"))
    by_name = {name: org for org in parties for name in (org.name, org.short_name) if name}
    departments = {(d.organization_id, d.name): d for d in Department.objects.filter(organization__in=parties)}
    tasks, errors = [], []
    for number, values in enumerate(rows, start=2):
        values = list(values) + [None] * (len(header) - len(values))
        cell = {key: values[index] for key, index in columns.items()}
        if not any(_text(v) for v in values):
            continue  # blank lines are skipped
        if len(tasks) + len(errors) >= MAX_ROWS:
            errors.append(_("最多导入 %(n)s 行。") % {"n": MAX_ROWS})
            break
        problems = []
        title = _text(cell.get("title"))
        if not title:
            problems.append(_("任务内容为空"))
        elif len(title) > 300:
            problems.append(_("任务内容超过 300 字"))
        org_name = _text(cell.get("organization"))
        organization = by_name.get(org_name)
        if not org_name:
            problems.append(_("牵头单位为空"))
        elif organization is None:
            problems.append(
                _("牵头单位“%(name)s”不是本机制的参与单位（可填：%(names)s）")
                % {"name": org_name, "names": "、".join(p.name for p in parties)}
            )
        department = None
        dept_name = _text(cell.get("department"))
        if dept_name and organization is not None:
            department = departments.get((organization.pk, dept_name))
            if department is None:
                problems.append(
                    _("牵头部门“%(name)s”不是%(org)s的部门") % {"name": dept_name, "org": organization.name}
                )
        raw_due = cell.get("due")
        due = parse_due(raw_due)
        if due is None:
            problems.append(
                _("完成时限“%(value)s”无法识别（如 2026-12-31 或 2026年6月底）") % {"value": _text(raw_due)}
                if _text(raw_due)
                else _("完成时限为空")
            )
        responsible = _text(cell.get("responsible"))
        if len(responsible) > 300:
            problems.append(_("责任单位超过 300 字"))
        if problems:
            errors.append(_("第 %(n)s 行：%(problems)s。") % {"n": number, "problems": "；".join(problems)})
            continue
        tasks.append(
            TaskRow(
                number,
                ItemData(
                    title=title,
                    owner_organization=organization,
                    owner_department=department,
                    due_date=due,
                    target=_text(cell.get("target")),
                    responsible_units=responsible,
                ),
            )
        )
    workbook.close()
    if errors:
        raise ActionRefused(
            "\n".join([_("导入未完成，没有保存任何任务。请修改以下各行后重新导入：")] + errors), field="file"
        )
    if not tasks:
        raise ActionRefused(_("表格中没有任务。"), field="file")
    return tasks
