"""Demo meetings: a year of Luoyang joint meetings (one quarter missed, so the cadence warning shows),
issued minutes with action items in every state, minutes awaiting a leader, an upcoming meeting with
the queued complaints on its agenda, the Luoyang court's 2021 plan of 70 tasks imported from its
workbook (seed 002) and carried through 2021–2022 as a real past plan (adopted, reported, closed), and
the Weidong plenary with its dual list (seed 004).

Everything goes through the services, so audit, deadlines and notifications are the real ones. The
Luoyang meetings are a past: each step goes on the demo's timeline (`liaison.demo.history`) at the
day it happened, planned three weeks ahead, minuted, approved and issued in the following working
days, items reported and closed weeks later. Idempotent: a meeting is found by its mechanism and
title, a dual list by its mechanism and year; whatever exists already is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from liaison import deadlines
from liaison.demo import history
from liaison.models import Department, Mechanism, Organization, User
from liaison.workdays import WorkingCalendar

from . import imports, services
from .choices import Attendance, Direction
from .models import DualList, Meeting


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _dept(organization: Organization, name: str) -> Department | None:
    return Department.objects.filter(organization=organization, name=name).first()


def _exists(mechanism: Mechanism, title: str) -> bool:
    return Meeting.objects.filter(mechanism=mechanism, title=title).exists()


def _held(
    secretary: User,
    mechanism: Mechanism,
    data: services.MeetingData,
    *,
    absent: tuple[str, ...] = (),
    deputies: dict[str, str] | None = None,
) -> Meeting:
    """Plan, notify, hold and record attendance (the queued complaints are left for the upcoming meeting)."""
    meeting = services.meeting_create(actor=secretary, mechanism=mechanism, data=data, complaints=[])
    services.meeting_send_notice(actor=secretary, meeting=meeting)
    return _hold(secretary, meeting, absent=absent, deputies=deputies)


def _approve_all(minutes, leaders: list[User]):
    for leader in leaders:
        minutes = services.minutes_decide(actor=leader, minutes=minutes, approve=True, comment="同意印发。")
    return minutes


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    _luoyang(users, organizations, mechanisms["洛阳法院·工商联"])
    _luoyang_plan(users, mechanisms["洛阳法院·工商联"])
    _weidong(users, organizations, mechanisms["卫东府院联动"])


LUOYANG_PLAN = Path(__file__).resolve().parent / "demo_data" / "luoyang_2021_plan.xlsx"
PLAN_YEAR = 2021
PLAN_TITLE = "洛阳市中级人民法院2021年优化营商环境工作要点"
PLENARY_TITLE = "2021年全体会议（机制成立会议）"
# The 2021 plan's tasks done late: two whose indicators were still not met in December, and five
# others; the other 63 were done on time.
LATE_WITH_INDICATORS = (20, 38)
LATE_OTHERS = (12, 27, 46, 58, 67)


def _working_from(calendar: WorkingCalendar, day: dt.date) -> dt.date:
    """The day itself when it is a working day, else the next working day."""
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _indicator_value(indicator, month: int, *, met_by_december: bool) -> Decimal:
    """The month's value on a straight line from a January that misses the target to a December that
    meets it (or, for a task done late, still misses it)."""
    target = indicator.target
    percent = indicator.unit.strip() == "%"
    if indicator.direction == Direction.AT_MOST:
        start, end = target * Decimal("1.3"), target * (Decimal("0.8") if met_by_december else Decimal("1.1"))
    else:
        top = (target + (Decimal(100) - target) / 2) if percent else target * Decimal("1.1")
        start, end = target * Decimal("0.7"), top if met_by_december else target * Decimal("0.95")
    value = start + (end - start) * (month - 1) / 11
    if percent:
        value = min(value, Decimal(100))
    places = Decimal("1") if indicator.unit.strip() in ("件", "人") else Decimal("0.01")
    return value.quantize(places)


def _luoyang_plan(users: dict[str, User], mechanism: Mechanism) -> None:
    """The court's 2021 work plan (seed 002, 70 tasks) as a real past plan, each step on its day of the
    demo's timeline: imported from its workbook through the Excel import (the departments it names are
    created on confirmation), adopted at the mechanism's founding plenary, its indicators reported
    month by month, its tasks reported done and closed — 63 on time in 2021, 7 late in early 2022 (two
    of them because their indicators were still not met in December). Nothing of it stays open."""
    if DualList.objects.filter(mechanism=mechanism, year=PLAN_YEAR).exists():
        return
    secretary, clerk = users["secretary"], users["court_clerk"]
    past, calendar = history.timeline(), WorkingCalendar()
    workday = calendar.add_working_days
    box: dict = {}

    def add(day: dt.date, hour: int, run) -> None:
        past.add(history.at(day, hour), run, clamp=True)

    plenary_day = _working_from(calendar, mechanism.founded_on or dt.date(PLAN_YEAR, 8, 17))
    adopted_on = workday(plenary_day, 1)

    def draft() -> None:
        box["list"] = services.dual_list_create(actor=secretary, mechanism=mechanism, year=PLAN_YEAR, title=PLAN_TITLE)
        with LUOYANG_PLAN.open("rb") as handle:
            parsed = imports.parse_dual_list(File(handle, name=LUOYANG_PLAN.name), mechanism)
        services.dual_list_replace_tasks(
            actor=secretary,
            dual_list=box["list"],
            rows=parsed,
            source="洛中法〔2021〕42号（种子文件 002）",
            create_departments=True,
        )

    def plan() -> None:
        data = services.MeetingData(
            kind="plenary",
            title=PLENARY_TITLE,
            starts_at=_at(plenary_day, 9, 30),
            ends_at=_at(plenary_day, 11, 30),
            place="洛阳市中级人民法院一楼报告厅",
            chair="陈卫东（洛阳市中级人民法院副院长）",
            invitees=[
                users[name] for name in ("court_leader", "fed_leader", "court_clerk", "fed_reviewer", "secretary")
            ],
        )
        box["plenary"] = services.meeting_create(actor=secretary, mechanism=mechanism, data=data, complaints=[])
        services.meeting_send_notice(actor=secretary, meeting=box["plenary"])

    def hold() -> None:
        box["plenary"] = _hold(secretary, box["plenary"])

    def adopt() -> None:
        services.dual_list_approve(actor=secretary, dual_list=box["list"], meeting=box["plenary"])

    add(_working_from(calendar, plenary_day - dt.timedelta(days=24)), 10, draft)
    add(plenary_day - dt.timedelta(days=21), 10, plan)
    add(plenary_day, 9, hold)
    add(adopted_on, 10, adopt)

    def task(order: int):
        return lambda: box["list"].tasks.get(order=order)

    def report(order: int, text: str):
        return lambda: services.item_report_progress(actor=clerk, item=task(order)(), completed=True, text=text)

    def close(order: int, note: str):
        return lambda: services.item_close(actor=secretary, item=task(order)(), note=note)

    def enter(order: int, number: int, month: int, on_time: bool):
        def run() -> None:
            item = task(order)()
            indicator = item.indicators.get(order=number)
            services.item_report_indicator(
                actor=clerk,
                item=item,
                indicator=indicator,
                month=dt.date(PLAN_YEAR, month, 1),
                value=_indicator_value(indicator, month, met_by_december=on_time),
            )

        return run

    with LUOYANG_PLAN.open("rb") as handle:
        sheet = load_workbook(handle, read_only=True).worksheets[0]
        header = list(next(sheet.iter_rows(max_row=1, values_only=True)))
        indicator_columns = [i for i, name in enumerate(header) if str(name or "").endswith("名称")]
        counts = {
            row[0]: sum(1 for i in indicator_columns if row[i]) for row in sheet.iter_rows(min_row=2, values_only=True)
        }
    others_on_time = [n for n in sorted(counts) if not counts[n] and n not in LATE_OTHERS]
    for n, order in enumerate(others_on_time):
        day = _working_from(calendar, dt.date(PLAN_YEAR, 9 + n % 4, 6 + (n * 7) % 18))
        add(day, 15, report(order, "已按工作要点完成，相关制度文件和工作台账已报审务督查局。"))
        add(workday(day, 2), 11, close(order, "经核实已按期完成，同意销号。"))
    for n, order in enumerate(LATE_OTHERS):
        day = _working_from(calendar, dt.date(PLAN_YEAR + 1, 1 + n % 3, 10 + 3 * n))
        add(day, 15, report(order, "已完成，因年底案件集中、配套制度会签延后，未能在2021年底前完成。"))
        add(workday(day, 3), 11, close(order, "逾期完成，已约谈督促，同意销号。"))
    for order in sorted(n for n in counts if counts[n]):
        on_time = order not in LATE_WITH_INDICATORS
        for month in range(1, 13):
            # Months before the plan was adopted are reported once it was; later ones at the month's end.
            day = max(_working_from(calendar, dt.date(PLAN_YEAR, month, 25)), workday(adopted_on, 2))
            for number in range(1, counts[order] + 1):
                add(day, 14, enter(order, number, month, on_time))
        if on_time:
            day = _working_from(calendar, dt.date(PLAN_YEAR, 12, 28))
            add(day, 15, report(order, "12月指标已达到目标值，工作任务已完成。"))
            add(workday(day, 1), 11, close(order, "经核实指标达标，同意销号。"))
        else:
            day = _working_from(calendar, dt.date(PLAN_YEAR + 1, 2, 21))
            add(day, 15, report(order, "12月指标仍未达到目标值，经整改已于2022年2月完成工作任务。"))
            add(workday(day, 2), 11, close(order, "逾期完成，指标未按期达标，同意销号。"))


# --- Luoyang ---------------------------------------------------------------------------------------


class _Past:
    """One past Luoyang joint meeting as dated steps on the demo's timeline (`liaison.demo.history`):
    planned and notified three weeks before, held, minuted the next working day, submitted, approved
    by each leader on the following days and issued; then `after(minutes)` steps for its items."""

    def __init__(self, past: history.Timeline, calendar: WorkingCalendar, secretary: User) -> None:
        self.past, self.calendar, self.secretary = past, calendar, secretary

    def add(self, day: dt.date, hour: int, run) -> None:
        self.past.add(history.at(day, hour), run, clamp=True)

    def meeting(
        self,
        mechanism: Mechanism,
        data: services.MeetingData,
        minutes: services.MinutesData,
        *,
        approvers: list[User],
        issue: bool = True,
        absent: tuple[str, ...] = (),
        deputies: dict[str, str] | None = None,
        after=None,
    ) -> None:
        day = timezone.localtime(data.starts_at).date()
        box: dict = {}
        secretary, workday = self.secretary, self.calendar.add_working_days

        def plan() -> None:
            box["meeting"] = services.meeting_create(actor=secretary, mechanism=mechanism, data=data, complaints=[])
            services.meeting_send_notice(actor=secretary, meeting=box["meeting"])

        def hold() -> None:
            box["meeting"] = _hold(secretary, box["meeting"], absent=absent, deputies=deputies)

        def write() -> None:
            box["minutes"] = services.minutes_create(actor=secretary, meeting=box["meeting"], data=minutes)

        def submit() -> None:
            box["minutes"] = services.minutes_submit(actor=secretary, minutes=box["minutes"])

        self.add(day - dt.timedelta(days=21), 10, plan)
        self.add(day, 9, hold)
        self.add(workday(day, 1), 15, write)
        self.add(workday(day, 2), 10, submit)
        for n, leader in enumerate(approvers, start=3):

            def approve(leader=leader) -> None:
                box["minutes"] = services.minutes_decide(
                    actor=leader, minutes=box["minutes"], approve=True, comment="同意印发。"
                )

            self.add(workday(day, n), 9, approve)
        if issue:

            def publish() -> None:
                box["minutes"] = services.minutes_issue(actor=secretary, minutes=box["minutes"])

            self.add(workday(day, 3 + len(approvers)), 16, publish)
        if after is not None:
            after(day, lambda: box["minutes"].action_items.order_by("order"))


def _hold(
    secretary: User, meeting: Meeting, *, absent: tuple[str, ...] = (), deputies: dict[str, str] | None = None
) -> Meeting:
    """Hold and record attendance: everyone present but the absent, deputies named."""
    services.meeting_hold(actor=secretary, meeting=meeting)
    deputies = deputies or {}
    entries = []
    for invitee in meeting.invitees.select_related("user"):
        key = invitee.user.username if invitee.user_id else invitee.name
        if key in deputies:
            entries.append(services.AttendanceEntry(invitee, Attendance.REPRESENTED, deputies[key]))
        else:
            entries.append(
                services.AttendanceEntry(invitee, Attendance.ABSENT if key in absent else Attendance.PRESENT)
            )
    return services.attendance_record(actor=secretary, meeting=meeting, entries=entries)


def _luoyang(users: dict[str, User], organizations: dict[str, Organization], mechanism: Mechanism) -> None:
    """A year of quarterly joint meetings on the days `liaison.demo.history` gives (the quarter just gone
    missed), each with minutes and action items taken through their steps on their dates, then the
    upcoming meeting with the queued complaints on its agenda."""
    secretary = users["secretary"]
    court, federation = organizations["洛阳市中级人民法院"], organizations["洛阳市工商业联合会"]
    leaders = [users["court_leader"], users["fed_leader"]]
    clerk, reviewer = users["court_clerk"], users["fed_reviewer"]
    invitees = [
        users[name]
        for name in (
            "court_leader",
            "fed_leader",
            "court_clerk",
            "fed_reviewer",
            "fed_staff",
            "court_handler",
            "secretary",
        )
    ]
    chamber = [services.OutsideAttendee("周敏", "洛阳市民营企业商会", "调解委员会主任", "")]
    past = history.timeline()
    today = past.today
    year, quarter = history.quarter_of(today)
    steps = _Past(past, WorkingCalendar(), secretary)

    def title(back: int) -> str:
        return history.joint_meeting_title(*history.shift_quarter(year, quarter, back))

    def day_of(back: int) -> dt.date:
        day = history.joint_meeting_day(today, *history.shift_quarter(year, quarter, back))
        assert day is not None
        return day

    def data(back: int, **extra) -> services.MeetingData:
        day = day_of(back)
        return services.MeetingData(
            kind="joint",
            title=title(back),
            starts_at=_at(day, 9, 30),
            ends_at=_at(day, 11, 30),
            place="洛阳市中级人民法院三楼第一会议室",
            chair="陈卫东（洛阳市中级人民法院副院长）",
            invitees=invitees,
            outside=chamber,
            **extra,
        )

    def report(item, text: str, *, completed: bool = False, actor: User = clerk):
        return lambda: services.item_report_progress(actor=actor, item=item(), completed=completed, text=text)

    def close(item, note: str = ""):
        return lambda: services.item_close(actor=secretary, item=item(), note=note)

    # Four quarters back: held, minutes issued; both items closed, one on time and one late.
    if not _exists(mechanism, title(4)):
        day = day_of(4)

        def after4(day: dt.date, items) -> None:
            first, second = (lambda n=n: items()[n] for n in range(2))
            steps.add(
                day + dt.timedelta(days=20), 16, report(first, "已印发诉讼服务“绿色通道”工作指引。", completed=True)
            )
            steps.add(day + dt.timedelta(days=22), 10, close(first))
            steps.add(
                day + dt.timedelta(days=60),
                16,
                report(second, "已建立会员企业涉诉信息定期通报机制，首期通报已发出。", completed=True, actor=reviewer),
            )
            steps.add(day + dt.timedelta(days=62), 10, close(second, "逾期办结，已在下次会议通报。"))

        steps.meeting(
            mechanism,
            data(4),
            services.MinutesData(
                title=f"{title(4)}纪要",
                summary="会议总结了本年度沟通联系机制运行情况，研究了涉企诉讼服务“绿色通道”和会员企业涉诉信息通报。",
                sections=[
                    services.SectionData(
                        "年度工作总结", "双方通报了本年度涉企诉求移送、反馈和商会调解工作情况，分析了存在的问题。"
                    )
                ],
                decisions=["开通涉企诉讼服务“绿色通道”。", "建立会员企业涉诉信息定期通报机制。"],
                action_items=[
                    services.ItemData(
                        "制定涉企诉讼服务“绿色通道”工作指引",
                        court,
                        day + dt.timedelta(days=30),
                        _dept(court, "诉讼服务中心"),
                    ),
                    services.ItemData(
                        "建立会员企业涉诉信息定期通报机制",
                        federation,
                        day + dt.timedelta(days=45),
                        _dept(federation, "经济联络部"),
                    ),
                ],
            ),
            approvers=leaders,
            after=after4,
        )

    # Three quarters back: held, minutes issued; one item done, one overdue, one in progress.
    if not _exists(mechanism, title(3)):
        day = day_of(3)

        def after3(day: dt.date, items) -> None:
            done, _overdue, progressing = (lambda n=n: items()[n] for n in range(3))
            steps.add(
                day + dt.timedelta(days=30),
                16,
                report(done, "已梳理长期未结涉企案件 37 件，清单已报院党组。", completed=True),
            )
            steps.add(day + dt.timedelta(days=33), 10, close(done, "经核实，清单已形成并逐案落实责任。"))
            steps.add(
                day + dt.timedelta(days=70), 16, report(progressing, "已在高新区商会、民营企业商会各举办讲座 1 场。")
            )
            # the second is left open: its date has passed, so it shows as overdue

        steps.meeting(
            mechanism,
            data(3),
            services.MinutesData(
                title=f"{title(3)}纪要",
                summary="会议通报了上一季度涉企诉求移送、登记和反馈情况，研究了长期未结涉企案件的清理，"
                "商定了下一阶段沟通协作重点。",
                sections=[
                    services.SectionData(
                        "通报上季度沟通协作情况",
                        "市工商联经济联络部通报了收集、审核和移送涉企诉求的情况；"
                        "市法院审务督查局通报了随案登记和“四类案件”监管情况。",
                    )
                ],
                decisions=[
                    "建立长期未结涉企案件清单，逐案明确责任部门和办结时限。",
                    "市工商联每月向市法院通报商会调解组织受理纠纷情况。",
                ],
                action_items=[
                    services.ItemData(
                        "梳理全市法院长期未结涉企案件并形成清单",
                        court,
                        day + dt.timedelta(days=40),
                        _dept(court, "审务督查局"),
                        "逐案明确责任部门和办结时限",
                    ),
                    services.ItemData(
                        "组织商会调解组织申报特邀调解组织",
                        federation,
                        day + dt.timedelta(days=55),
                        _dept(federation, "经济联络部"),
                        "至少推荐 3 家商会调解组织",
                    ),
                    services.ItemData(
                        "开展“法律服务进商会”专题讲座",
                        court,
                        today + dt.timedelta(days=40),
                        _dept(court, "诉讼服务中心"),
                        "全年不少于 4 场",
                    ),
                ],
            ),
            approvers=leaders,
            absent=("court_handler",),
            after=after3,
        )

    # Two quarters back: held, minutes issued; one item open, one reported done, one closed.
    if not _exists(mechanism, title(2)):
        day = day_of(2)

        def after2(day: dt.date, items) -> None:
            _open, reported, closed = (lambda n=n: items()[n] for n in range(3))
            steps.add(
                day + dt.timedelta(days=20),
                16,
                report(reported, "已收集 26 家会员企业的意见建议 41 条，已分类整理。", completed=True, actor=reviewer),
            )
            steps.add(
                day + dt.timedelta(days=25),
                16,
                report(closed, "已在共享案例栏目发布 2 个涉企典型案例。", completed=True),
            )
            steps.add(day + dt.timedelta(days=27), 10, close(closed))

        steps.meeting(
            mechanism,
            data(2),
            services.MinutesData(
                title=f"{title(2)}纪要",
                summary="会议听取了上次会议督办事项落实情况，研究了涉企执行案件中财产保全措施的规范，"
                "部署了典型案例共享工作。",
                sections=[
                    services.SectionData("督办事项落实情况", "长期未结涉企案件清单已形成，其余事项正在推进。"),
                    services.SectionData(
                        "规范涉企财产保全", "与会各方认为应慎用查封、扣押、冻结措施，尽量为企业保留基本账户。"
                    ),
                ],
                decisions=["对涉企查封、冻结措施开展专项评查。"],
                action_items=[
                    services.ItemData(
                        "开展涉企查封冻结措施专项评查",
                        court,
                        today + dt.timedelta(days=50),
                        _dept(court, "执行局"),
                        "形成评查报告",
                    ),
                    services.ItemData(
                        "收集会员企业对审判执行工作的意见建议",
                        federation,
                        today + dt.timedelta(days=20),
                        _dept(federation, "会员部"),
                    ),
                    services.ItemData(
                        "共享 2 个涉企典型案例", court, day + dt.timedelta(days=30), _dept(court, "民一庭")
                    ),
                ],
            ),
            approvers=leaders,
            deputies={"fed_leader": "刘建国"},
            after=after2,
        )

    # Last quarter: no meeting at all (the cadence page and the leaders' reminder show it).

    # This quarter: held, minutes awaiting the federation's leader.
    if not _exists(mechanism, title(0)):
        steps.meeting(
            mechanism,
            data(0),
            services.MinutesData(
                title=f"{title(0)}纪要",
                summary="会议研究了上季度未召开联席会议的补救措施，听取了督办事项进展，"
                "研究了提请本次会议移送的涉企诉求。",
                sections=[services.SectionData("通报督办事项落实情况", "逾期事项责任单位说明了原因和整改时限。")],
                decisions=["联席会议原则上于每季度第二个月召开，由市法院审务督查局提前一个月发出通知。"],
                action_items=[
                    services.ItemData(
                        "制定联席会议年度计划", court, today + dt.timedelta(days=25), _dept(court, "审务督查局")
                    )
                ],
            ),
            approvers=[users["court_leader"]],
            issue=False,
        )

    # Upcoming: notice sent; its agenda starts with the open items and the queued complaints (so it is
    # planned last, at the present moment, after the past has run).
    upcoming = today + dt.timedelta(days=7)
    upcoming_title = f"{upcoming.year}年{upcoming.month}月联席会议（诉求移送专题）"
    if not _exists(mechanism, upcoming_title):

        def plan_upcoming() -> None:
            meeting = services.meeting_create(
                actor=secretary,
                mechanism=mechanism,
                data=services.MeetingData(
                    kind="joint",
                    title=upcoming_title,
                    starts_at=_at(upcoming, 15),
                    ends_at=_at(upcoming, 17),
                    place="洛阳市工商业联合会二楼会议室",
                    online_link="https://meeting.example.cn/luoyang",
                    chair="张志强（洛阳市工商联副主席）",
                    convenor=federation,
                    invitees=invitees,
                    outside=chamber,
                ),
            )
            services.meeting_send_notice(actor=secretary, meeting=meeting)
            services.invitee_rsvp(
                actor=users["fed_leader"], invitee=meeting.invitees.get(user=users["fed_leader"]), answer="accepted"
            )

        past.add(past.now, plan_upcoming, clamp=True)


# --- Weidong ----------------------------------------------------------------------------------------

# Seed 004, 二、工作任务: (task, lead organization, lead department, responsible units, target, due month offset)
# The due date is the end of the month `offset` months into the year (so some have passed).
WEIDONG_TASKS = [
    (
        "全面落实行政执法责任制，解决行政机关负责人出庭应诉率不高、“出庭不出声”等问题",
        "卫东区人民政府",
        "联席会议办公室（区司法局）",
        "区政府各部门",
        "行政机关负责人出庭应诉率逐季提高",
        6,
    ),
    (
        "发挥行政争议协调化解委员会作用，加大诉调对接力度，推动行政争议实质性化解",
        "卫东区人民法院",
        "行政审判庭",
        "区司法局",
        "聚焦重大案件、重大矛盾、重大项目",
        12,
    ),
    (
        "明确信息公开、举报投诉等类案件滥用诉权的识别标准，规制滥诉行为",
        "卫东区人民法院",
        "行政审判庭",
        "区信访局",
        "",
        9,
    ),
    (
        "推行行政审判定期通报、司法建议通报反馈，发布行政审判白皮书",
        "卫东区人民法院",
        "行政审判庭",
        "区司法局、区政府办公室",
        "每半年通报一次",
        12,
    ),
    ("坚持善意文明执行，尽量为企业保留基本账户及必要的生产经营账户", "卫东区人民法院", "办公室", "区金融工作局", "", 5),
    (
        "常态化开展“万人助万企”，做好企业、律师意见征求和后续反馈",
        "卫东区人民政府",
        "区政府办公室",
        "区商务局、区工业和信息化局",
        "提升市场主体满意度",
        12,
    ),
    ("依法惩治恶意拖欠账款和逃废债行为", "卫东区人民法院", "办公室", "卫东公安分局", "", 10),
    (
        "健全企业破产预警机制，分类列明市场风险、管理风险、法律风险及风险等级",
        "卫东区人民政府",
        "区政府办公室",
        "区发展改革委、区金融工作局、区人力资源和社会保障局",
        "",
        8,
    ),
    ("配合做好破产企业不动产登记容缺受理工作", "卫东区人民政府", "区政府办公室", "卫东自然资源和规划分局", "", 4),
    (
        "建立法院移送、公安立案侦查、检察院公诉联合打击拒执犯罪工作机制",
        "卫东区人民法院",
        "办公室",
        "卫东公安分局",
        "",
        7,
    ),
    (
        "规范信用信息归集、共享、披露、查询和使用，完善社会信用档案制度",
        "卫东区人民政府",
        "区政府办公室",
        "区发展改革委",
        "",
        11,
    ),
    (
        "支持农信社不良贷款清收，加大金融债权案件被执行人财产查控力度",
        "卫东区人民法院",
        "办公室",
        "区金融工作局",
        "",
        12,
    ),
    (
        "压实问题楼盘化解责任，在确保资金安全前提下支持项目复工复建",
        "卫东区人民政府",
        "区政府办公室",
        "区住房和城乡建设局",
        "最大限度保障购房人合法权益",
        12,
    ),
]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


# Task index in WEIDONG_TASKS → its measured targets (seed 004 states them in words; the demo gives numbers).
WEIDONG_INDICATORS = {
    0: [services.IndicatorData("行政机关负责人出庭应诉率", "%", "at_least", Decimal("90"))],
    1: [services.IndicatorData("行政争议诉前化解率", "%", "at_least", Decimal("30"))],
    5: [services.IndicatorData("企业对意见反馈的满意率", "%", "at_least", Decimal("90"))],
    9: [services.IndicatorData("拒执犯罪线索移送办理用时", "日", "at_most", Decimal("15"))],
    11: [
        services.IndicatorData(
            "涉企诉求登记至反馈平均用时", "工作日", "at_most", Decimal("15"), "computed", "feedback_days"
        )
    ],
}


def _weidong_members(organizations: dict[str, Organization]) -> list[services.OwnerData]:
    """The member units of the Weidong joint meeting with their department (liaison.demo)."""
    from liaison.demo.institutions import WEIDONG_MEMBERS

    return [
        services.OwnerData(organizations[name], _dept(organizations[name], department))
        for name, _short, department, _username, _full_name in WEIDONG_MEMBERS
    ]


def _weidong(users: dict[str, User], organizations: dict[str, Organization], mechanism: Mechanism) -> None:
    secretary = users["weidong_secretary"]
    government, court = organizations["卫东区人民政府"], organizations["卫东区人民法院"]
    parties = {"卫东区人民政府": government, "卫东区人民法院": court}
    today = deadlines.today()
    year = today.year
    title = f"{year}年卫东区府院联动联席会议全体会议"
    if not _exists(mechanism, title):
        day = min(dt.date(year, 1, 20), today)
        with transaction.atomic():
            meeting = _held(
                secretary,
                mechanism,
                services.MeetingData(
                    kind="plenary",
                    title=title,
                    starts_at=_at(day, 9),
                    ends_at=_at(day, 11, 30),
                    place="卫东区人民政府第一会议室",
                    chair="宋建立（区长、联席会议召集人）",
                    invitees=[
                        users[n]
                        for n in (
                            "weidong_gov_leader",
                            "weidong_court_leader",
                            "weidong_gov_staff",
                            "weidong_court_clerk",
                            "weidong_secretary",
                        )
                    ],
                    outside=[services.OutsideAttendee("李海强", "卫东公安分局", "副区长、局长")],
                ),
            )
            minutes = services.minutes_create(
                actor=secretary,
                meeting=meeting,
                data=services.MinutesData(
                    title=f"{title}纪要",
                    summary="会议通报了府院联动工作开展情况，安排部署本年度府院联动工作，研究审定府院“双清单”。",
                    sections=[
                        services.SectionData(
                            "研究审定府院“双清单”", "与会单位对“双清单”所列任务、牵头单位和完成时限逐项研究。"
                        )
                    ],
                    decisions=[f"审定通过《{year}年府院联动“双清单”》，由联席会议办公室督促落实。"],
                ),
            )
            services.minutes_submit(actor=secretary, minutes=minutes)
            services.minutes_issue(
                actor=secretary,
                minutes=_approve_all(minutes, [users["weidong_gov_leader"], users["weidong_court_leader"]]),
            )
    if DualList.objects.filter(mechanism=mechanism, year=year).exists():
        return
    with transaction.atomic():
        dual_list = services.dual_list_create(
            actor=secretary, mechanism=mechanism, year=year, title=f"卫东区{year}年府院联动“双清单”"
        )
        members = _weidong_members(organizations)
        rows = [
            services.TaskRow(
                n,
                services.ItemData(
                    title=task,
                    owner_organization=parties[org],
                    owner_department=_dept(parties[org], dept),
                    responsible_units=units,
                    target=target,
                    due_date=_month_end(year, month),
                    # Tasks spread across the member units: each answers for one or two of them.
                    responsible=[members[n % len(members)]] + ([members[(n + 4) % len(members)]] if n % 3 == 0 else []),
                    indicators=WEIDONG_INDICATORS.get(n - 2, []),
                ),
            )
            for n, (task, org, dept, units, target, month) in enumerate(WEIDONG_TASKS, start=2)
        ]
        services.dual_list_replace_tasks(actor=secretary, dual_list=dual_list, rows=rows, source="种子文件 004")
        plenary = Meeting.objects.get(mechanism=mechanism, title=title)
        services.dual_list_approve(actor=secretary, dual_list=dual_list, meeting=plenary)
        tasks = list(dual_list.tasks.order_by("order"))
        reporters = {government.pk: users["weidong_gov_staff"], court.pk: users["weidong_court_clerk"]}
        for index, task in enumerate(tasks):
            reporter = reporters[task.owner_organization_id]
            if index % 4 == 0:
                services.item_report_progress(actor=reporter, item=task, completed=True, text="已按清单要求完成。")
                services.item_close(actor=secretary, item=task, note="经联席会议办公室核实，予以销号。")
            elif index % 4 == 1:
                services.item_report_progress(actor=reporter, item=task, text="正在推进，已制定工作方案。")
            # the others stay open (overdue where their month has passed)
        # A member unit's liaison officer has reported the months gone by of one indicator.
        officer, task = users["weidong_rsj"], tasks[1]
        indicator = task.indicators.get()
        for month in range(1, today.month):
            services.item_report_indicator(
                actor=officer,
                item=task,
                indicator=indicator,
                month=dt.date(year, month, 1),
                value=Decimal(25 + 5 * (month % 3)),
            )
