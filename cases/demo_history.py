"""Twelve months of complaint history for the demo, so that every figure, chart and monthly report
shows real numbers on the day the demo is loaded.

Each complaint is filed on a working day of one of the last twelve months and then taken through
the services step by step, each step on the day the deadlines imply (review the next working day,
registration within three, feedback within fifteen; some late, some reopened). The ordinary ones
wait for the next quarterly joint meeting (`liaison.demo.history`: the quarter just gone had none,
so its complaints waited for this quarter's) and go in its batch letter; the major ones go at once.
The steps go on the demo's timeline with the other apps' past and run in time order under a moved
clock, so the audit chain is written in order and verifies. Steps that would fall after now are
left for the people using the demo. A second load finds the first history complaint and does
nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from liaison.demo import history
from liaison.models import Department, Mechanism, User
from liaison.workdays import WorkingCalendar

from . import services
from .models import Complaint, Enterprise

MONTHS = 12
PER_MONTH = 4
MECHANISM = "洛阳法院·工商联"
PREFIX = ""  # Luoyang's demo accounts: fed_staff, fed_reviewer, court_clerk, court_handler
TOPICS = [
    ("case_handling", "买卖合同纠纷案件审理周期过长"),
    ("enforcement", "胜诉判决执行款长期未到位"),
    ("judicial_demand", "请求对涉企案件财产保全措施予以调整"),
    ("credit_repair", "履行完毕后仍被列入失信被执行人名单"),
    ("case_handling", "建设工程款纠纷一审久拖未判"),
    ("wrongful_case_clue", "涉产权案件财产处置存在错误线索"),
    ("enforcement", "企业账户冻结金额超出执行标的"),
    ("consultation", "咨询涉外合同纠纷管辖问题"),
]


def history_title(year: int, month: int, n: int) -> str:
    kind, topic = TOPICS[(month * PER_MONTH + n) % len(TOPICS)]
    return f"{topic}（{year}年{month}月第{n + 1}件）"


def _months_back(today: dt.date) -> list[tuple[int, int]]:
    result = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append((year, month))
    return list(reversed(result))


def load(*, users: dict[str, User], organizations: dict, mechanisms: dict[str, Mechanism], **_: object) -> None:
    if not history.history_enabled():
        return
    past = history.timeline()
    mechanism = mechanisms[MECHANISM]
    today = past.today
    months = _months_back(today)
    if Complaint.objects.filter(mechanism=mechanism, title=history_title(*months[0], 0)).exists():
        return
    staff, reviewer = users[f"{PREFIX}fed_staff"], users[f"{PREFIX}fed_reviewer"]
    clerk, handler = users[f"{PREFIX}court_clerk"], users[f"{PREFIX}court_handler"]
    court = clerk.organization
    department = (
        Department.objects.filter(pk=handler.department_id).first()
        or Department.objects.filter(organization=court).first()
    )
    enterprises = list(Enterprise.objects.filter(mechanism=mechanism).order_by("pk"))
    calendar = WorkingCalendar()
    queued: list[Complaint] = []
    state: dict[str, Complaint] = {}
    add, _at = past.add, history.at

    def fresh(title: str) -> Complaint:
        complaint = state[title]
        complaint.refresh_from_db()
        return complaint

    for index, (year, month) in enumerate(months):
        for n in range(PER_MONTH):
            number = index * PER_MONTH + n
            filed = calendar.add_working_days(dt.date(year, month, 1), 1 + n * 4)
            title = history_title(year, month, n)
            kind = TOPICS[(month * PER_MONTH + n) % len(TOPICS)][0]
            major = number % 5 == 1
            late_registration, late_answer, reopened = number % 7 == 3, number % 6 == 4, number % 9 == 5
            enterprise = enterprises[number % len(enterprises)]

            def create(title=title, kind=kind, major=major, enterprise=enterprise, number=number) -> None:
                state[title] = services.complaint_create(
                    actor=staff,
                    mechanism=mechanism,
                    data=services.ComplaintData(
                        enterprise=enterprise,
                        court=court,
                        kind=kind,
                        title=title,
                        facts=f"{enterprise.name}反映：{title}，已多次与相关部门沟通未果。",
                        demands="请求依法依规予以协调处理，并书面反馈办理结果。",
                        amount_involved=Decimal(50000 + number * 37500),
                        is_major=major,
                        major_reason="涉案金额大、影响企业正常经营" if major else "",
                    ),
                )
                services.complaint_submit(actor=staff, complaint=state[title])

            add(_at(filed, 9, 30), create)
            reviewed = calendar.add_working_days(filed, 1)
            add(_at(reviewed, 10), lambda t=title: services.complaint_start_review(actor=reviewer, complaint=fresh(t)))
            if major:
                transferred = calendar.add_working_days(reviewed, 1)
                add(
                    _at(transferred, 11),
                    lambda t=title: services.complaint_transfer_now(actor=reviewer, complaint=fresh(t)),
                )
            else:
                add(
                    _at(reviewed, 15),
                    lambda t=title: queued.append(services.complaint_queue(actor=reviewer, complaint=fresh(t))),
                )
                transferred = _next_meeting(today, reviewed)
            registered = calendar.add_working_days(transferred, 5 if late_registration else 1 + number % 3)
            add(
                _at(registered, 9),
                lambda t=title, number=number: services.complaint_register(
                    actor=clerk, complaint=fresh(t), registration_number=f"DJ-H{number:04d}", under_supervision=False
                ),
            )
            assigned = calendar.add_working_days(registered, 1)
            add(
                _at(assigned, 9),
                lambda t=title: services.complaint_assign(
                    actor=clerk, complaint=fresh(t), department=department, handler=handler
                ),
            )
            answered = calendar.add_working_days(transferred, 19 if late_answer else 8 + number % 7)
            add(
                _at(answered, 16),
                lambda t=title: services.complaint_answer(
                    actor=handler, complaint=fresh(t), answer="经核查，承办部门已依法处理并书面说明进展，请企业知悉。"
                ),
            )
            if reopened:
                again = calendar.add_working_days(answered, 3)
                add(
                    _at(again, 10),
                    lambda t=title: services.complaint_reopen(
                        actor=staff, complaint=fresh(t), reason="反馈未说明具体时间安排，企业不满意。"
                    ),
                )
                answered = calendar.add_working_days(again, 6)
                add(
                    _at(answered, 16),
                    lambda t=title: services.complaint_answer(
                        actor=handler, complaint=fresh(t), answer="已补充说明开庭及执行时间安排。"
                    ),
                )
            add(
                _at(calendar.add_working_days(answered, 2), 11),
                lambda t=title: services.complaint_close(actor=staff, complaint=fresh(t)),
            )

    # The batch letters of the quarterly joint meetings, after the day's reviews.
    for year, quarter in sorted(
        {history.quarter_of(dt.date(y, m, 1)) for y, m in months} | {history.quarter_of(today)}
    ):
        day = history.joint_meeting_day(today, year, quarter)
        if day is None:
            continue

        def batch(year=year, quarter=quarter) -> None:
            waiting = [c for c in queued if Complaint.objects.filter(pk=c.pk, status="queued").exists()]
            if waiting:
                services.complaints_transfer_batch(
                    actor=reviewer, complaints=waiting, meeting_reference=history.joint_meeting_title(year, quarter)
                )
                queued.clear()

        add(_at(day, 10, 30), batch)


def _next_meeting(today: dt.date, reviewed: dt.date) -> dt.date:
    """The first joint meeting after the day a complaint was queued (the missed quarter has none)."""
    year, quarter = history.quarter_of(reviewed)
    for back in range(0, -3, -1):
        day = history.joint_meeting_day(today, *history.shift_quarter(year, quarter, back))
        if day is not None and day > reviewed:
            return day
    return today + dt.timedelta(days=30)  # not held yet: the later steps fall after now and wait
