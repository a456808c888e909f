"""Reading a dual list from Excel: every row is checked, and every problem is reported by its row.

Parsing only turns cells into `TaskRow`s (names into organizations and departments, texts into
dates); the service checks the rows again and saves all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from calendar import monthrange
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from liaison.errors import ActionRefused
from liaison.models import Department, Mechanism, Organization

from .choices import ComputedMetric, Direction, IndicatorSource
from .exports import DUAL_LIST_HEADERS, OWNER_SEPARATORS
from .services import IndicatorData, ItemData, OwnerData, TaskRow

MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024

# Accepted header names for each column (the first row of the sheet).
COLUMNS = {
    "order": ("序号", "编号"),
    "title": ("任务", "事项", "任务内容", "工作任务"),
    "organization": ("牵头单位", "牵头单位（可多个）"),
    "department": ("牵头部门", "牵头部门（可多个）"),
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


_SEPARATORS = re.compile(r"[、，,；;\n]+")
_NOTE = re.compile(r"[（(][^）)]*[）)]")
_INDICATOR_HEADER = re.compile(r"^指标\s*(\d)\s*(名称|单位|计量单位|方向|目标|目标值|口径)$")
MAX_INDICATORS = 5
DIRECTIONS = {
    "不高于": Direction.AT_MOST,
    "不超过": Direction.AT_MOST,
    "以内": Direction.AT_MOST,
    "at_most": Direction.AT_MOST,
    "不低于": Direction.AT_LEAST,
    "不少于": Direction.AT_LEAST,
    "以上": Direction.AT_LEAST,
    "at_least": Direction.AT_LEAST,
}
METRICS = {str(label): value for value, label in ComputedMetric.choices} | {v: v for v in ComputedMetric.values}


def split_names(text: str) -> list[str]:
    """ "诉讼服务中心、执行局（首执天数）" → ["诉讼服务中心", "执行局"]: notes in brackets are dropped."""
    names = []
    for part in _SEPARATORS.split(_NOTE.sub("", text or "")):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


def _indicator_columns(header: list[object]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {}
    for index, cell in enumerate(header):
        match = _INDICATOR_HEADER.match(_text(cell))
        if match:
            key = {"计量单位": "单位", "目标值": "目标"}.get(match[2], match[2])
            found.setdefault(int(match[1]), {})[key] = index
    return dict(sorted(found.items())[:MAX_INDICATORS])


class _Units:
    """Names in a row to parties and their departments; a department not found is kept unsaved, to be
    created by the import service once the user has confirmed it."""

    def __init__(self, mechanism: Mechanism) -> None:
        self.parties = list(Organization.objects.filter(mechanism_parties__mechanism=mechanism).order_by("name"))
        self.by_name = {name: org for org in self.parties for name in (org.name, org.short_name) if name}
        self.departments = {
            (d.organization_id, d.name): d for d in Department.objects.filter(organization__in=self.parties)
        }
        self.missing: dict[tuple[int, str], Department] = {}

    def department(self, organization: Organization, name: str) -> Department:
        key = (organization.pk, name)
        found = self.departments.get(key) or self.missing.get(key)
        if found is None:
            found = self.missing[key] = Department(organization=organization, name=name)
        return found

    def owner(self, name: str, lead: Organization) -> OwnerData:
        """A party ("洛阳市工商联"), a party's department ("洛阳市工商联·经济联络部"), or a department of the lead unit."""
        for separator in OWNER_SEPARATORS:
            if separator in name:
                org_name, dept_name = (part.strip() for part in name.split(separator, 1))
                organization = self.by_name.get(org_name)
                if organization is None:
                    raise ValueError(_("“%(name)s”不是本机制的参与单位") % {"name": org_name})
                if len(dept_name) > 60:
                    raise ValueError(_("部门名称“%(name)s”超过 60 字") % {"name": dept_name})
                return OwnerData(organization, self.department(organization, dept_name))
        if name in self.by_name:
            return OwnerData(self.by_name[name])
        if len(name) > 60:
            raise ValueError(_("部门名称“%(name)s”超过 60 字") % {"name": name})
        return OwnerData(lead, self.department(lead, name))


def _indicators(cells: list[object], columns: dict[int, dict[str, int]]) -> tuple[list[IndicatorData], list[str]]:
    found, problems = [], []
    for number, keys in columns.items():
        values = {key: cells[index] for key, index in keys.items()}
        name = _text(values.get("名称"))
        if not any(_text(v) for v in values.values()):
            continue
        label = _("指标%(n)s") % {"n": number}
        if not name:
            problems.append(_("%(label)s缺少名称") % {"label": label})
            continue
        direction = DIRECTIONS.get(_text(values.get("方向")))
        if direction is None:
            problems.append(_("%(label)s的方向应为“不高于”或“不低于”") % {"label": label})
            continue
        try:
            target = Decimal(_text(values.get("目标")).rstrip("%％天日件人"))
        except InvalidOperation:
            problems.append(
                _("%(label)s的目标值“%(value)s”不是数字") % {"label": label, "value": _text(values.get("目标"))}
            )
            continue
        metric_text = _text(values.get("口径"))
        metric = METRICS.get(metric_text, "") if metric_text else ""
        if metric_text and not metric:
            problems.append(_("%(label)s的计算口径“%(value)s”无法识别") % {"label": label, "value": metric_text})
            continue
        found.append(
            IndicatorData(
                name=name,
                unit=_text(values.get("单位")) or "—",
                direction=direction,
                target=target,
                source=IndicatorSource.COMPUTED if metric else IndicatorSource.ENTERED,
                metric=metric,
            )
        )
    return found, problems


class ParsedDualList(list[TaskRow]):
    """The task rows, with the departments they name that the portal does not have yet (unsaved)."""

    def __init__(self, rows: list[TaskRow], missing_departments: list[Department]) -> None:
        super().__init__(rows)
        self.missing_departments = missing_departments

    @property
    def rows(self) -> list[TaskRow]:
        return list(self)


def parse_dual_list(upload: UploadedFile, mechanism: Mechanism) -> ParsedDualList:
    """The rows of the first sheet as tasks; refuses (ActionRefused) with one line per bad row.

    牵头单位 and 牵头部门 may name several units (、 or ， between them): the first is the lead, the
    others co-lead; 责任单位 names parties, "单位·部门", or departments of the lead unit. Departments
    not yet in the portal are returned in `missing_departments` (unsaved) for the user to confirm.
    Columns 指标1名称 / 指标1单位 / 指标1方向 / 指标1目标 (/ 指标1口径 for one the portal computes) carry indicators.
    """
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
    indicator_columns = _indicator_columns(list(header))
    units = _Units(mechanism)
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
        org_names = split_names(_text(cell.get("organization")))
        leads = []
        if not org_names:
            problems.append(_("牵头单位为空"))
        for org_name in org_names:
            organization = units.by_name.get(org_name)
            if organization is None:
                problems.append(
                    _("牵头单位“%(name)s”不是本机制的参与单位（可填：%(names)s）")
                    % {"name": org_name, "names": "、".join(p.name for p in units.parties)}
                )
            else:
                leads.append(organization)
        lead = leads[0] if leads else None
        department, co_leads, responsible = None, [OwnerData(org) for org in leads[1:]], []
        if lead is not None:
            try:
                dept_owners = [units.owner(name, lead) for name in split_names(_text(cell.get("department")))]
                responsible = [units.owner(name, lead) for name in split_names(_text(cell.get("responsible")))]
            except ValueError as error:
                problems.append(str(error))
                dept_owners = []
            if dept_owners and dept_owners[0].organization == lead:
                department = dept_owners.pop(0).department
            co_leads += dept_owners
        raw_due = cell.get("due")
        due = parse_due(raw_due)
        if due is None:
            problems.append(
                _("完成时限“%(value)s”无法识别（如 2026-12-31 或 2026年6月底）") % {"value": _text(raw_due)}
                if _text(raw_due)
                else _("完成时限为空")
            )
        responsible_text = _text(cell.get("responsible"))
        if len(responsible_text) > 300:
            problems.append(_("责任单位超过 300 字"))
        indicators, indicator_problems = _indicators(values, indicator_columns)
        problems += indicator_problems
        if problems:
            errors.append(_("第 %(n)s 行：%(problems)s。") % {"n": number, "problems": "；".join(problems)})
            continue
        tasks.append(
            TaskRow(
                number,
                ItemData(
                    title=title,
                    owner_organization=lead,
                    owner_department=department,
                    due_date=due,
                    target=_text(cell.get("target")),
                    responsible_units=responsible_text,
                    co_leads=co_leads,
                    responsible=responsible,
                    indicators=indicators,
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
    return ParsedDualList(tasks, list(units.missing.values()))
