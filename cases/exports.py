"""The Excel ledger (台账) of a filtered complaint list, with Chinese headers and deadlines."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.deadlines import due_status_of, today
from liaison.models import User
from liaison.workdays import WorkingCalendar
from liaison.xlsx import SafeWorkbook, workbook_bytes

from .choices import ComplaintKind, ComplaintStatus, EnterpriseSize, Industry
from .models import Complaint
from .selectors import can_see_contact
from .validators import mask_phone


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def complaint_ledger(complaints: Iterable[Complaint], *, user: User) -> bytes:
    """An .xlsx of the rows as given (already scoped and filtered), written in streaming mode."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("诉求台账"))
    headers = [
        _("编号"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("企业规模"),
        _("所属行业"),
        _("联系人"),
        _("联系电话"),
        _("诉求类型"),
        _("标题"),
        _("关联案号"),
        _("重大事项"),
        _("状态"),
        _("受理单位"),
        _("法院"),
        _("提交时间"),
        _("移送时间"),
        _("移送函文号"),
        _("登记号"),
        _("承办部门"),
        _("承办人"),
        _("当前时限"),
        _("截止日"),
        _("时限状态"),
        _("反馈时间"),
        _("办结时间"),
        _("重新办理次数"),
    ]
    sheet.column_dimensions["A"].width = 16
    sheet.append(headers)
    calendar, on = WorkingCalendar(), today()
    # Labels are looked up once: get_FOO_display() on lazy choices costs a lot over 10,000 rows.
    deadline_kinds = {
        "complaint.review": _("审核"),
        "complaint.registration": _("登记"),
        "complaint.feedback": _("反馈"),
    }
    sizes, industries = _labels(EnterpriseSize), _labels(Industry)
    kinds, states = _labels(ComplaintKind), _labels(ComplaintStatus)
    yes, no = _("是"), _("否")
    for c in complaints:
        e = c.enterprise
        phone = e.contact_phone if can_see_contact(user, e) or not e.contact_phone else mask_phone(e.contact_phone)
        due = getattr(c, "current_due", None)
        status = due_status_of(due, calendar, on, getattr(c, "current_due_state", "running") or "running")
        sheet.append(
            [
                c.serial,
                e.name,
                e.credit_code,
                sizes.get(e.size, e.size),
                industries.get(e.industry, e.industry),
                e.contact_person,
                phone,
                kinds.get(c.kind, c.kind),
                c.title,
                "、".join(n.number for n in c.case_numbers.all()),
                yes if c.is_major else no,
                states.get(c.status, c.status),
                c.filing_organization.name,
                c.court.name,
                _when(c.submitted_at),
                _when(c.transferred_at),
                c.transfer.number if c.transfer else "",
                c.registration_number,
                c.department.name if c.department else "",
                c.handler.display_name if c.handler else "",
                deadline_kinds.get(getattr(c, "current_due_kind", None) or "", ""),
                due.isoformat() if due else "",
                status.text if status else "",
                _when(c.answered_at),
                _when(c.closed_at),
                c.reopen_count,
            ]
        )
    return workbook_bytes(workbook)
