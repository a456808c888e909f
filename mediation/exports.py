"""Excel workbooks: the roster with its figures, the case ledger, and the figures tables."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.formatting import amount_cell
from liaison.models import User
from liaison.validators import mask_phone
from liaison.xlsx import SafeWorkbook, workbook_bytes

from .figures import Figures, Row
from .models import Checkup, MediationCase, Mediator, Recommendation
from .selectors import can_see_candidate_phone, can_see_party_contacts, can_see_phone


def _percent(value: float | None) -> str:
    return f"{round(100 * value)}%" if value is not None else ""


def _days(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else ""


def roster_workbook(mediators: Iterable[Mediator], *, user: User) -> bytes:
    """The roster rows as given (scoped, filtered, annotated by selectors.mediator_list)."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("特邀调解员名册"))
    sheet.append(
        [
            _("姓名"),
            _("聘任法院"),
            _("调解组织"),
            _("设立单位"),
            _("职业"),
            _("专长领域"),
            _("工作语言"),
            _("联系电话"),
            _("聘任文号"),
            _("任期开始"),
            _("任期届满"),
            _("状态"),
            _("承接有偿调解"),
            _("收费标准"),
            _("培训记录"),
            _("案件数"),
            _("在办"),
            _("办结"),
            _("调解成功"),
            _("成功率"),
            _("平均用时（日）"),
            _("期限内办结率"),
        ]
    )
    for m in mediators:
        phone = m.phone if can_see_phone(user, m) else mask_phone(m.phone)
        finished = m.finished
        sheet.append(
            [
                m.name,
                m.court.name,
                m.organisation.name,
                m.organisation.run_by.name,
                m.get_profession_display(),
                "、".join(s.get_specialty_display() for s in m.specialties.all()),
                m.languages,
                phone,
                m.appointment_number,
                m.term_start.isoformat(),
                m.term_end.isoformat(),
                m.get_status_display(),
                _("是") if m.takes_paid else _("否"),
                m.fee_standard,
                m.training_record,
                m.case_count,
                m.open_cases,
                finished,
                m.successes,
                _percent(m.successes / finished if finished else None),
                _days(m.average_days),
                _percent(m.finished_in_time / finished if finished else None),
            ]
        )
    return workbook_bytes(workbook)


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def case_ledger(cases: Iterable[MediationCase], *, user: User) -> bytes:
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("调解案件台账"))
    sheet.append(
        [
            _("编号"),
            _("来源"),
            _("案号"),
            _("纠纷类型"),
            _("案由"),
            _("申请人"),
            _("被申请人"),
            _("标的额（元）"),
            _("法院"),
            _("调解组织"),
            _("调解员"),
            _("状态"),
            _("司法确认"),
            _("委派（受理）时间"),
            _("期限届满日"),
            _("已延长（日）"),
            _("结案日期"),
            _("用时（日）"),
            _("期限内办结"),
            _("协议金额（元）"),
        ]
    )
    for c in cases:
        parties = list(c.parties.all())
        show = can_see_party_contacts(user, c)

        sheet.append(
            [
                c.serial,
                c.get_source_display(),
                c.case_number,
                c.get_dispute_type_display(),
                c.title,
                _party_names(parties, "applicant", show),
                _party_names(parties, "respondent", show),
                amount_cell(sheet, c.amount),
                c.court.name,
                c.organisation.name,
                c.mediator.name if c.mediator else "",
                c.get_status_display(),
                c.get_confirmation_display(),
                _when(c.referred_at),
                c.due_date.isoformat(),
                c.extended_days,
                c.closed_on.isoformat() if c.closed_on else "",
                c.duration_days if c.duration_days is not None else "",
                "" if c.in_time is None else (_("是") if c.in_time else _("否")),
                amount_cell(sheet, c.agreement_amount),
            ]
        )
    return workbook_bytes(workbook)


def _party_names(parties: list, role: str, show: bool) -> str:
    """The parties of one role, each with the phone in full or masked for whoever may not see it."""
    return "、".join(
        p.name + (f"（{p.phone if show else mask_phone(p.phone)}）" if p.phone else "")
        for p in parties
        if p.role == role
    )


def _table(workbook: SafeWorkbook, title: str, first: list[str], rows: list[Row], group: bool = True) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(
        [
            *first,
            _("案件数"),
            _("在办"),
            _("办结"),
            _("调解成功"),
            _("成功率"),
            _("平均用时（日）"),
            _("期限内办结"),
            _("期限内办结率"),
        ]
    )
    for r in rows:
        head = [r.label, r.group] if group else [r.label]
        sheet.append(
            [
                *head,
                r.cases,
                r.open_cases,
                r.finished,
                r.successes,
                _percent(r.success_rate),
                _days(r.average_days),
                r.in_time,
                _percent(r.in_time_rate),
            ]
        )


def figures_workbook(figures: Figures) -> bytes:
    workbook = SafeWorkbook(write_only=True)
    _table(workbook, _("按调解员"), [_("调解员"), _("法院 · 调解组织")], figures.mediators)
    _table(workbook, _("按调解组织"), [_("调解组织")], figures.organisations, group=False)
    _table(workbook, _("按法院和月份"), [_("月份"), _("法院")], figures.months)
    return workbook_bytes(workbook)


def recommendation_workbook(recommendations: Iterable[Recommendation], *, user: User) -> bytes:
    """The register of recommended people as given (scoped and filtered by the list)."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("推荐人选"))
    sheet.append(
        [
            _("推荐类别"),
            _("姓名"),
            _("工作单位"),
            _("职务"),
            _("专长"),
            _("联系电话"),
            _("推荐单位"),
            _("接收单位"),
            _("推荐日期"),
            _("决定期限"),
            _("状态"),
            _("任命文号"),
            _("任期开始"),
            _("任期届满"),
            _("未采纳、撤回或免除理由"),
        ]
    )
    for r in recommendations:
        phone = r.phone if can_see_candidate_phone(user, r) else mask_phone(r.phone)
        sheet.append(
            [
                r.get_kind_display(),
                r.name,
                r.employer,
                r.position,
                r.specialties,
                phone,
                r.recommender.name,
                r.receiver.name,
                timezone.localdate(r.filed_at).isoformat(),
                r.decision_due.isoformat(),
                r.get_status_display(),
                r.appointment_number,
                r.term_start.isoformat() if r.term_start else "",
                r.term_end.isoformat() if r.term_end else "",
                r.decline_reason or r.end_reason,
            ]
        )
    return workbook_bytes(workbook)


def checkup_workbook(checkups: Iterable[Checkup]) -> bytes:
    """Legal check-ups and consultations as listed (scoped), with their firm, limits and outcome."""
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("法治体检"))
    sheet.append(
        [
            _("服务类型"),
            _("企业名称"),
            _("需求事项"),
            _("商会"),
            _("结对律所"),
            _("承办律师"),
            _("状态"),
            _("申请时间"),
            _("分派期限"),
            _("报告期限"),
            _("出具报告时间"),
            _("按期出具报告"),
            _("发现的问题"),
            _("法律建议"),
        ]
    )
    for c in checkups:
        sheet.append(
            [
                c.get_kind_display(),
                c.enterprise_name,
                c.subject,
                c.chamber.name,
                c.pairing.firm.name if c.pairing_id else "",
                c.lawyer.name if c.lawyer_id else "",
                c.get_status_display(),
                _when(c.filed_at),
                c.assign_due.isoformat(),
                c.report_due.isoformat() if c.report_due else "",
                _when(c.reported_at),
                "" if c.in_time is None else (_("是") if c.in_time else _("否")),
                c.findings,
                c.advice,
            ]
        )
    return workbook_bytes(workbook)
