"""The monthly report of a mechanism (月度运行情况通报): the figures of the month and of the year to
date, with the change against the previous month, published as a shared report for every party.

- `monthly_figures` computes the snapshot: the complaint, meeting and mediation figures of the
  dashboards (`cases.figures`, `meetings.figures`, `mediation.figures`) over the whole mechanism, for
  three periods (the month, the previous month, 1 January to the end of the month); 24 queries
  whatever the number of rows.
- `generate_monthly_report` is the one service that writes it: first time it publishes a report of
  kind "月度运行情况通报" in the convenor's name; later it takes a new snapshot (regenerate on demand).
- `due_months` tells the daily beat task which months to generate: from the first working day of a
  month, the previous month of every active mechanism that has no report yet (so a server that was
  down on that day catches up the next day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font

from cases.figures import complaint_figures
from liaison import audit, deadlines, membership, scoping
from liaison.channels import events as channel_events
from liaison.choices import NotificationKind
from liaison.errors import ActionRefused
from liaison.models import Mechanism, MechanismParty, User
from liaison.notifications import notify
from liaison.workdays import WorkingCalendar
from liaison.xlsx import SafeWorkbook, workbook_bytes
from mediation.figures import mediation_figures
from meetings.activity_figures import activity_figures
from meetings.figures import meeting_figures

from .choices import GENERATOR_ROLES, ReportKind, ReportState
from .models import MonthlyReport, Report

COUNT, SHARE, WORKDAYS, DAYS = "count", "share", "workdays", "days"


@dataclass(frozen=True)
class Line:
    key: str
    section: str
    label: object
    unit: str
    path: tuple[str, ...]


SECTIONS = {
    "complaints": gettext_lazy("企业诉求办理"),
    "meetings": gettext_lazy("联席会议与督办落实"),
    "mediation": gettext_lazy("诉前调解"),
    "activities": gettext_lazy("联合活动"),
}
LINES = (
    Line("submitted", "complaints", gettext_lazy("受理企业诉求（件）"), COUNT, ("complaints", "total")),
    Line("open", "complaints", gettext_lazy("其中尚未办结（件）"), COUNT, ("complaints", "open_total")),
    Line("overdue", "complaints", gettext_lazy("其中截至统计时逾期（件）"), COUNT, ("complaints", "overdue")),
    Line(
        "submission_to_transfer",
        "complaints",
        gettext_lazy("提交至移送平均用时（工作日）"),
        WORKDAYS,
        ("complaints", "average_working_days", "submission_to_transfer"),
    ),
    Line(
        "transfer_to_registration",
        "complaints",
        gettext_lazy("移送至登记平均用时（工作日）"),
        WORKDAYS,
        ("complaints", "average_working_days", "transfer_to_registration"),
    ),
    Line(
        "registration_to_answer",
        "complaints",
        gettext_lazy("登记至反馈平均用时（工作日）"),
        WORKDAYS,
        ("complaints", "average_working_days", "registration_to_answer"),
    ),
    Line("answered", "complaints", gettext_lazy("已反馈（件）"), COUNT, ("complaints", "answered")),
    Line("on_time_share", "complaints", gettext_lazy("按期反馈率"), SHARE, ("complaints", "on_time_share")),
    Line("reopen_rate", "complaints", gettext_lazy("重新办理率"), SHARE, ("complaints", "reopen_rate")),
    Line(
        "satisfaction_sample",
        "complaints",
        gettext_lazy("企业满意度评价（件，含在线评价和回访）"),
        COUNT,
        ("complaints", "satisfaction", "sample"),
    ),
    Line(
        "satisfaction_rate",
        "complaints",
        gettext_lazy("企业满意率（满意和基本满意；评价少于5件时样本不足，不计算）"),
        SHARE,
        ("complaints", "satisfaction", "satisfaction_rate"),
    ),
    Line(
        "followup_coverage",
        "complaints",
        gettext_lazy("回访覆盖率（已评价的已答复诉求）"),
        SHARE,
        ("complaints", "satisfaction", "followup_coverage"),
    ),
    Line(
        "joint_meetings_held",
        "meetings",
        gettext_lazy("召开联席会议（次）"),
        COUNT,
        ("meetings", "joint_meetings_held"),
    ),
    Line(
        "joint_meetings_required",
        "meetings",
        gettext_lazy("应召开联席会议（次）"),
        COUNT,
        ("meetings", "joint_meetings_required"),
    ),
    Line("plenaries_held", "meetings", gettext_lazy("召开全体会议（次）"), COUNT, ("meetings", "plenaries_held")),
    Line(
        "action_items_due", "meetings", gettext_lazy("到期督办事项（项）"), COUNT, ("meetings", "action_items", "total")
    ),
    Line(
        "action_items_on_time",
        "meetings",
        gettext_lazy("督办事项按期完成率"),
        SHARE,
        ("meetings", "action_items", "on_time_share"),
    ),
    Line("tasks_due", "meetings", gettext_lazy("到期双清单任务（项）"), COUNT, ("meetings", "tasks", "total")),
    Line(
        "tasks_on_time", "meetings", gettext_lazy("双清单任务按期完成率"), SHARE, ("meetings", "tasks", "on_time_share")
    ),
    Line("mediation_referred", "mediation", gettext_lazy("委派、委托调解（件）"), COUNT, ("mediation", "referred")),
    Line("mediation_finished", "mediation", gettext_lazy("调解结案（件）"), COUNT, ("mediation", "finished")),
    Line("mediation_success_rate", "mediation", gettext_lazy("调解成功率"), SHARE, ("mediation", "success_rate")),
    Line(
        "mediation_average_days", "mediation", gettext_lazy("平均调解用时（日）"), DAYS, ("mediation", "average_days")
    ),
    Line("mediation_in_time_share", "mediation", gettext_lazy("期限内结案率"), SHARE, ("mediation", "in_time_share")),
    Line("activities_held", "activities", gettext_lazy("举办联合活动（次）"), COUNT, ("activities", "held")),
    Line(
        "activity_participants", "activities", gettext_lazy("活动签到（人次）"), COUNT, ("activities", "participants")
    ),
    Line(
        "activity_enterprises",
        "activities",
        gettext_lazy("活动覆盖企业（家）"),
        COUNT,
        ("activities", "enterprises_reached"),
    ),
)
BREAKDOWNS = (
    ("by_kind", gettext_lazy("按诉求类型")),
    ("by_industry", gettext_lazy("按企业所属行业")),
    ("by_size", gettext_lazy("按企业规模")),
)


# --- periods -------------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def first_working_day(year: int, month: int, calendar: WorkingCalendar | None = None) -> dt.date:
    calendar = calendar or WorkingCalendar()
    day = dt.date(year, month, 1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


# --- figures -------------------------------------------------------------------------------------


def _period(mechanism: Mechanism, start: dt.date, end: dt.date) -> dict:
    return {
        "complaints": complaint_figures(user=None, mechanism=mechanism, start=start, end=end),
        "meetings": meeting_figures(user=None, mechanism=mechanism, start=start, end=end),
        "mediation": mediation_figures(user=None, mechanism=mechanism, start=start, end=end),
        "activities": activity_figures(user=None, mechanism=mechanism, start=start, end=end),
    }


def _value(figures: dict, path: tuple[str, ...]) -> int | float | None:
    for key in path:
        figures = figures[key]
    return figures


def change(unit: str, now: int | float | None, before: int | float | None) -> int | float | None:
    """Against the previous month: a difference of counts or days, of percentage points for shares."""
    if now is None or before is None:
        return None
    if unit == SHARE:
        return round((now - before) * 100, 1)
    return round(now - before, 2) if isinstance(now, float) or isinstance(before, float) else now - before


def monthly_figures(mechanism: Mechanism, year: int, month: int) -> dict:
    """The snapshot stored with the report (JSON): the period, one row per figure, the breakdowns."""
    start, end = month_bounds(year, month)
    previous_start, previous_end = month_bounds(*previous_month(year, month))
    year_start = dt.date(year, 1, 1)
    with translation.override("zh-hans"):
        now, before, to_date = (
            _period(mechanism, start, end),
            _period(mechanism, previous_start, previous_end),
            _period(mechanism, year_start, end),
        )
        rows = []
        for line in LINES:
            value, previous = _value(now, line.path), _value(before, line.path)
            rows.append(
                {
                    "key": line.key,
                    "section": line.section,
                    "section_label": str(SECTIONS[line.section]),
                    "label": str(line.label),
                    "unit": line.unit,
                    "month": value,
                    "previous": previous,
                    "change": change(line.unit, value, previous),
                    "year_to_date": _value(to_date, line.path),
                }
            )
        breakdowns = [
            {
                "key": key,
                "title": str(title),
                "rows": [
                    {
                        "key": row["key"],
                        "label": row["label"],
                        "month": row["count"],
                        "previous": previous_row["count"],
                        "year_to_date": ytd_row["count"],
                    }
                    for row, previous_row, ytd_row in zip(
                        now["complaints"][key], before["complaints"][key], to_date["complaints"][key], strict=True
                    )
                ],
            }
            for key, title in BREAKDOWNS
        ]
    return {
        "year": year,
        "month": month,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "previous_start": previous_start.isoformat(),
        "previous_end": previous_end.isoformat(),
        "year_start": year_start.isoformat(),
        "rows": rows,
        "breakdowns": breakdowns,
    }


def display(unit: str, value: int | float | None, *, signed: bool = False) -> str:
    """A figure as printed: counts as integers, days with one decimal, shares as percentages."""
    if value is None:
        return "—"
    sign = "+" if signed and value > 0 else ""
    if unit == SHARE:
        return f"{sign}{value:.1f}" + _("个百分点") if signed else f"{value * 100:.1f}%"
    if unit in (WORKDAYS, DAYS):
        return f"{sign}{value:,.1f}"
    return f"{sign}{value:,}"


def table(figures: dict) -> list[dict]:
    """The rows grouped by section, with the printed values: what the page and the PDF show."""
    sections: list[dict] = []
    for row in figures["rows"]:
        if not sections or sections[-1]["key"] != row["section"]:
            sections.append({"key": row["section"], "label": row["section_label"], "rows": []})
        sections[-1]["rows"].append(
            {
                **row,
                "month_text": display(row["unit"], row["month"]),
                "previous_text": display(row["unit"], row["previous"]),
                "change_text": display(row["unit"], row["change"], signed=True),
                "year_to_date_text": display(row["unit"], row["year_to_date"]),
            }
        )
    return sections


def summary_text(mechanism: Mechanism, figures: dict) -> str:
    """The opening paragraph of the report, written from the snapshot."""
    rows = {row["key"]: row for row in figures["rows"]}

    def shown(key: str) -> str:
        return display(rows[key]["unit"], rows[key]["month"])

    return _(
        "%(year)d年%(month)d月，%(mechanism)s受理企业诉求%(submitted)s件（上月%(previous)s件，本年累计%(ytd)s件），"
        "按期反馈率%(on_time)s；召开联席会议%(meetings)s次；到期督办事项%(items)s项，按期完成率%(items_share)s；"
        "委派、委托调解%(mediation)s件，调解成功率%(success)s。"
    ) % {
        "year": figures["year"],
        "month": figures["month"],
        "mechanism": mechanism.name,
        "submitted": shown("submitted"),
        "previous": display(COUNT, rows["submitted"]["previous"]),
        "ytd": display(COUNT, rows["submitted"]["year_to_date"]),
        "on_time": shown("on_time_share"),
        "meetings": shown("joint_meetings_held"),
        "items": shown("action_items_due"),
        "items_share": shown("action_items_on_time"),
        "mediation": shown("mediation_referred"),
        "success": shown("mediation_success_rate"),
    }


def report_title(mechanism: Mechanism, year: int, month: int) -> str:
    return _("%(mechanism)s%(year)d年%(month)d月运行情况通报") % {
        "mechanism": mechanism.name,
        "year": year,
        "month": month,
    }


# --- the service ---------------------------------------------------------------------------------


def _check_generator(actor: User, mechanism: Mechanism) -> None:
    if not actor.has_role(*GENERATOR_ROLES):
        raise ActionRefused(_("只有领导或会议秘书可以生成月度运行情况通报。"), code="permission")
    if not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，只能查看。"), code="permission")


def _check_month(mechanism: Mechanism, year: int, month: int) -> None:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ActionRefused(_("请选择有效的年份和月份。"), code="invalid", field="month")
    start, end = month_bounds(year, month)
    if end >= deadlines.today():
        raise ActionRefused(
            _("%(year)d年%(month)d月尚未结束，月度通报须在次月生成。") % {"year": year, "month": month},
            code="invalid",
            field="month",
        )
    if mechanism.founded_on and end < mechanism.founded_on:
        raise ActionRefused(
            _("该月早于机制成立日期（%(date)s），没有可统计的数据。") % {"date": mechanism.founded_on.isoformat()},
            code="invalid",
            field="month",
        )


def _author_organization_id(mechanism: Mechanism) -> int:
    party = MechanismParty.objects.filter(mechanism=mechanism).order_by("-is_convenor", "organization__name").first()
    if party is None:
        raise ActionRefused(_("该机制没有参与单位。"), code="state")
    return party.organization_id


def _readers(mechanism: Mechanism) -> list[User]:
    """The leaders and meeting secretaries of the parties told in the mechanism (`liaison.membership.told`)."""
    return membership.told(mechanism, membership.Notice.MONTHLY_REPORT).users


def generate_monthly_report(*, mechanism: Mechanism, year: int, month: int, actor: User | None = None) -> MonthlyReport:
    """Publish the month's report, or take a new snapshot of an existing one (regenerate).

    `actor=None` is the beat task. With an actor: a leader or meeting secretary of a party. The
    month must have ended. Runs in one transaction under a lock on the mechanism, so requests at
    once give one report and one generation, never two.
    """
    requested_at = timezone.now()
    if actor is not None:
        _check_generator(actor, mechanism)
    _check_month(mechanism, year, month)
    figures = monthly_figures(mechanism, year, month)
    with transaction.atomic(), translation.override("zh-hans"):
        Mechanism.objects.select_for_update().filter(pk=mechanism.pk).first()
        existing = (
            MonthlyReport.objects.select_for_update()
            .select_related("report")
            .filter(mechanism=mechanism, year=year, month=month)
            .first()
        )
        # Under the lock: a beat run that finds the month published does nothing, and a request
        # that arrived while another generation held the lock takes that one's result (ten clicks
        # at once make one revision and one notice per reader).
        if existing is not None and (actor is None or existing.generated_at > requested_at):
            return existing
        now = timezone.now()
        body = summary_text(mechanism, figures)
        title = report_title(mechanism, year, month)
        if existing is None:
            report = Report.objects.create(
                mechanism=mechanism,
                author_organization_id=_author_organization_id(mechanism),
                author=actor,
                kind=ReportKind.MONTHLY_FIGURES,
                title=title,
                summary=body,
                body=body,
                state=ReportState.PUBLISHED,
                published_at=now,
            )
            monthly = MonthlyReport.objects.create(
                report=report,
                mechanism=mechanism,
                year=year,
                month=month,
                figures=figures,
                generated_at=now,
                generated_by=actor,
            )
            generated = audit.record(
                actor=actor, target=report, action="monthly_generate", to_state=ReportState.PUBLISHED, summary=title
            )
            channel_events.emit("report.published", report, key=f"audit:{generated.pk}")
            notice = _("%(title)s已生成") % {"title": title}
        else:
            monthly = existing
            monthly.figures, monthly.generated_at, monthly.generated_by = figures, now, actor
            monthly.revision += 1
            monthly.save(update_fields=["figures", "generated_at", "generated_by", "revision"])
            Report.objects.filter(pk=monthly.report_id).update(summary=body, body=body, updated_at=now)
            audit.record(
                actor=actor,
                target=monthly.report,
                action="monthly_regenerate",
                summary=_("第%(n)d次生成") % {"n": monthly.revision},
            )
            notice = _("%(title)s已重新生成") % {"title": title}
        notify(
            _readers(mechanism),
            kind=NotificationKind.WORK,
            title=notice,
            body=body,
            url=reverse("reports:detail", args=[monthly.report_id]),
        )
    return monthly


def due_months(on: dt.date, calendar: WorkingCalendar | None = None) -> list[tuple[Mechanism, int, int]]:
    """The (mechanism, year, month) the beat task should generate on `on`: none before the month's
    first working day, then last month for each active mechanism that has no report for it."""
    calendar = calendar or WorkingCalendar()
    if on < first_working_day(on.year, on.month, calendar):
        return []
    year, month = previous_month(on.year, on.month)
    _first, end = month_bounds(year, month)
    mechanisms = (
        Mechanism.objects.filter(is_active=True)
        .exclude(founded_on__gt=end)
        .exclude(monthly_reports__year=year, monthly_reports__month=month)
        .order_by("pk")
    )
    return [(mechanism, year, month) for mechanism in mechanisms]


# --- Excel ---------------------------------------------------------------------------------------

PERCENT = "0.0%"


def workbook(monthly: MonthlyReport) -> bytes:
    """The snapshot as .xlsx: the main figures, then one sheet per breakdown; numbers stay numbers."""
    figures = monthly.figures
    book = SafeWorkbook()
    sheet = book.active
    sheet.title = _("主要指标")
    sheet.append([monthly.report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _("统计期间：%(start)s 至 %(end)s；本年累计自 %(year_start)s 起；生成时间 %(at)s（第%(n)d次生成）")
            % {
                "start": figures["start"],
                "end": figures["end"],
                "year_start": figures["year_start"],
                "at": timezone.localtime(monthly.generated_at).strftime("%Y-%m-%d %H:%M"),
                "n": monthly.revision,
            }
        ]
    )
    sheet.append([])
    headers = [_("类别"), _("指标"), _("本月"), _("上月"), _("较上月增减"), _("本年累计")]
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in figures["rows"]:
        sheet.append(
            [row["section_label"], row["label"], row["month"], row["previous"], row["change"], row["year_to_date"]]
        )
        if row["unit"] == SHARE:
            for column in ("C", "D", "F"):
                sheet[f"{column}{sheet.max_row}"].number_format = PERCENT
            sheet[f"E{sheet.max_row}"].number_format = '+0.0"pp";-0.0"pp";0.0"pp"'
    for column, width in zip("ABCDEF", (20, 34, 12, 12, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for breakdown in figures["breakdowns"]:
        part = book.create_sheet(breakdown["title"][:31])
        part.append([_("分类"), _("本月"), _("上月"), _("本年累计")])
        for cell in part[1]:
            cell.font = Font(bold=True)
        for row in breakdown["rows"]:
            part.append([row["label"], row["month"], row["previous"], row["year_to_date"]])
        part.column_dimensions["A"].width = 28
    return workbook_bytes(book)


def workbook_filename(monthly: MonthlyReport) -> str:
    return f"{monthly.report.title[:60]}.xlsx"
