"""Demo research programme of Luoyang for the current year: two topics agreed by both leaders, one
finished with its research report and one use recorded, one with a milestone past its date; and the
report of the demo's held open day shared as a work bulletin. Through the services; idempotent
(a topic is found by its mechanism, year and title)."""

from __future__ import annotations

import datetime as dt

from liaison import deadlines
from liaison.models import Mechanism, Organization, User
from meetings.models import Activity

from . import research, services
from .choices import ReportKind
from .models import ActivityReport, ResearchTopic


def load_research(
    *, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]
) -> None:
    mechanism = mechanisms.get("洛阳法院·工商联")
    needed = ("secretary", "court_leader", "fed_leader", "fed_staff", "court_clerk")
    if mechanism is None or any(name not in users for name in needed):
        return
    today = deadlines.today()
    year = today.year
    court, federation = organizations["洛阳市中级人民法院"], organizations["洛阳市工商业联合会"]
    first_title = "涉民营企业产权司法保护情况调研"
    if not ResearchTopic.objects.filter(mechanism=mechanism, year=year, title=first_title).exists():
        topic = research.topic_propose(
            actor=users["fed_staff"],
            mechanism=mechanism,
            data=research.TopicData(
                year=year,
                title=first_title,
                description="梳理近三年涉民营企业产权案件的审理和执行情况，走访企业了解司法需求。",
                lead_organization=court,
                due_date=min(dt.date(year, 11, 30), today),
                participants=[users["court_clerk"], users["fed_staff"]],
                milestones=[research.MilestoneData("形成调研提纲", min(dt.date(year, 3, 31), today))],
            ),
        )
        research.topic_approve(actor=users["court_leader"], topic=topic)
        research.topic_approve(actor=users["fed_leader"], topic=topic)
        report = services.report_publish(
            report=services.report_create(
                mechanism=mechanism,
                kind=ReportKind.RESEARCH_REPORT,
                title=f"{year}年涉民营企业产权司法保护情况调研报告",
                summary="调研发现财产保全超标的、执行中“一刀切”查封等问题，提出五条建议。",
                body="一、基本情况\n二、存在的问题\n三、对策建议",
                actor=users["court_clerk"],
            ),
            actor=users["court_clerk"],
        )
        research.milestone_done(actor=users["court_clerk"], milestone=topic.milestones.get())
        research.topic_finish(actor=users["court_clerk"], topic=topic, report=report)
        research.use_record(
            actor=users["court_clerk"],
            topic=topic,
            kind="judicial_suggestion",
            title="关于规范涉企财产保全工作的司法建议",
            used_on=today,
            link="",
        )
    second_title = "优化营商环境中的商事纠纷多元化解调研"
    if not ResearchTopic.objects.filter(mechanism=mechanism, year=year, title=second_title).exists():
        overdue = today - dt.timedelta(days=20)
        topic = research.topic_propose(
            actor=users["secretary"],
            mechanism=mechanism,
            data=research.TopicData(
                year=year,
                title=second_title,
                description="调研商会调解组织参与诉前调解的成效和困难。",
                lead_organization=federation,
                due_date=max(dt.date(year, 12, 31), today),
                participants=[users["fed_staff"], users["secretary"]],
                milestones=[
                    research.MilestoneData("完成商会调解组织走访", overdue),
                    research.MilestoneData("形成调研报告初稿", max(dt.date(year, 12, 31), today)),
                ],
            ),
        )
        research.topic_approve(actor=users["court_leader"], topic=topic)
        research.topic_approve(actor=users["fed_leader"], topic=topic)
    open_day = Activity.objects.filter(mechanism=mechanism, title__contains="法院公众开放日", status="held").first()
    if open_day is not None and not ActivityReport.objects.filter(activity=open_day).exists() and open_day.report:
        research.activity_report_share(actor=users["secretary"], activity=open_day)
