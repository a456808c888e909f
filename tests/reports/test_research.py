"""The research programme: proposing, agreement by both leaders or at a joint meeting, milestones,
the result as a research report, uses, reminders exactly once, the overdue ledger, the cadence, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Notification
from reports import research, selectors
from reports import services as report_services
from reports.choices import ReportKind
from reports.ledgers import LedgerKind, overdue_ledger
from reports.models import ResearchTopic, TopicApproval
from reports.research_choices import AgreedHow, TopicStatus
from reports.research_workflow import RESEARCH
from tests.workflow_agreement import disagreements

from ..conftest import login
from ..factories import UserFactory
from ..meetings.conftest import cast  # noqa: F401 - the meetings' cast (a held joint meeting)

T = TopicStatus


class Lab:
    def __init__(self, world):
        self.world = world
        self.secretary = UserFactory(username="r_secretary", organization=world.court, roles=["meeting_secretary"])
        self.court_leader = world.leader
        self.fed_leader = UserFactory(username="r_fed_boss", organization=world.federation, roles=["leader"])
        self.fed_staff = UserFactory(username="r_fed_staff", organization=world.federation, roles=["federation_staff"])

    def data(self, **overrides) -> research.TopicData:
        values = dict(
            year=2026,
            title="民营企业产权司法保护调研",
            lead_organization=self.world.court,
            due_date=dt.date(2026, 11, 30),
            participants=[self.secretary, self.fed_staff],
            milestones=[
                research.MilestoneData("形成调研提纲", dt.date(2026, 3, 31)),
                research.MilestoneData("走访企业", dt.date(2026, 6, 30)),
            ],
        )
        values.update(overrides)
        return research.TopicData(**values)

    def proposed(self, **overrides) -> ResearchTopic:
        return research.topic_propose(actor=self.fed_staff, mechanism=self.world.mechanism, data=self.data(**overrides))

    def agreed(self, **overrides) -> ResearchTopic:
        topic = self.proposed(**overrides)
        research.topic_approve(actor=self.court_leader, topic=topic)
        return research.topic_approve(actor=self.fed_leader, topic=topic)

    def report(self, title="产权保护调研报告", mechanism=None):
        draft = report_services.report_create(
            actor=self.secretary,
            mechanism=mechanism or self.world.mechanism,
            kind=ReportKind.RESEARCH_REPORT,
            title=title,
            summary="摘要",
            body="正文",
        )
        return report_services.report_publish(report=draft, actor=self.secretary)

    def finished(self) -> ResearchTopic:
        return research.topic_finish(actor=self.secretary, topic=self.agreed(), report=self.report())


@pytest.fixture
def lab(world, time_machine) -> Lab:
    time_machine.move_to("2026-02-20 10:00 +08:00", tick=False)
    return Lab(world)


def test_both_leaders_agree_a_topic_and_it_is_audited(lab: Lab):
    topic = lab.proposed()
    assert topic.status == T.PROPOSED and topic.milestones.count() == 2
    research.topic_approve(actor=lab.court_leader, topic=topic)
    assert ResearchTopic.objects.get(pk=topic.pk).status == T.PROPOSED
    with pytest.raises(ActionRefused) as refused:
        research.topic_approve(actor=lab.court_leader, topic=topic)
    assert "本单位已同意" in refused.value.message
    research.topic_approve(actor=lab.fed_leader, topic=topic)
    topic.refresh_from_db()
    assert topic.status == T.AGREED and topic.agreed_how == AgreedHow.LEADERS
    assert TopicApproval.objects.filter(topic=topic).count() == 2
    actions = list(AuditEvent.objects.filter(action__startswith="research_").values_list("action", "to_state"))
    assert actions == [
        ("research_propose", "research.proposed"),
        ("research_approve", ""),
        ("research_approve", "research.agreed"),
    ]


def test_a_topic_is_agreed_at_a_held_joint_meeting(lab: Lab, cast):
    topic = lab.proposed()
    planned = cast.meeting(starts_at=cast_at("2026-03-27"), ends_at=cast_at("2026-03-27", 11))
    with pytest.raises(ActionRefused) as refused:
        research.topic_agree_at_meeting(actor=lab.secretary, topic=topic, meeting=planned)
    assert refused.value.field == "meeting"
    held = cast.held()
    with pytest.raises(ActionRefused):
        research.topic_agree_at_meeting(actor=lab.fed_staff, topic=topic, meeting=held)
    research.topic_agree_at_meeting(actor=lab.secretary, topic=topic, meeting=held)
    topic.refresh_from_db()
    assert topic.status == T.AGREED and topic.agreed_meeting == held and topic.agreed_how == AgreedHow.MEETING


def cast_at(day: str, hour: int = 9):
    from tests.meetings.conftest import at

    return at(day, hour)


def test_refusals_of_proposing(lab: Lab):
    with pytest.raises(ActionRefused) as refused:
        research.topic_propose(actor=lab.world.charlie, mechanism=lab.world.mechanism, data=lab.data())
    assert "不是该机制的参与单位" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        lab.proposed(lead_organization=lab.world.other_court)
    assert refused.value.field == "lead_organization"
    with pytest.raises(ActionRefused) as refused:
        lab.proposed(participants=[lab.secretary])
    assert refused.value.field == "participants" and "各参与单位" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        lab.proposed(milestones=[research.MilestoneData("晚于结题", dt.date(2026, 12, 31))])
    assert refused.value.field == "milestones"
    lab.proposed()
    with pytest.raises(ActionRefused) as refused:
        lab.proposed()
    assert refused.value.field == "title"
    assert ResearchTopic.objects.count() == 1


def test_the_result_is_a_published_research_report_of_the_mechanism_and_uses_follow(lab: Lab):
    topic = lab.agreed()
    with pytest.raises(ActionRefused):
        research.use_record(actor=lab.secretary, topic=topic, kind="policy", title="x", used_on=dt.date(2026, 2, 1))
    bulletin = report_services.report_publish(
        report=report_services.report_create(
            actor=lab.secretary,
            mechanism=lab.world.mechanism,
            kind=ReportKind.WORK_BULLETIN,
            title="工作简报",
            summary="",
            body="正文",
        ),
        actor=lab.secretary,
    )
    with pytest.raises(ActionRefused) as refused:
        research.topic_finish(actor=lab.secretary, topic=topic, report=bulletin)
    assert refused.value.field == "report"
    with pytest.raises(ActionRefused):  # the federation is not the lead party
        research.topic_finish(actor=lab.fed_staff, topic=topic, report=lab.report())
    research.topic_finish(actor=lab.secretary, topic=topic, report=lab.report("另一份调研报告"))
    topic.refresh_from_db()
    assert topic.status == T.FINISHED and topic.result.kind == ReportKind.RESEARCH_REPORT
    with pytest.raises(ActionRefused) as refused:
        research.use_record(
            actor=lab.fed_staff, topic=topic, kind="judicial_suggestion", title="建议", used_on=dt.date(2026, 3, 1)
        )
    assert refused.value.field == "used_on"
    use = research.use_record(
        actor=lab.fed_staff,
        topic=topic,
        kind="judicial_suggestion",
        title="关于规范涉企财产保全的司法建议",
        used_on=dt.date(2026, 2, 18),
        link="https://example.test/s/1",
    )
    assert use.get_kind_display() == "司法建议"


def test_drop_needs_a_reason(lab: Lab):
    topic = lab.proposed()
    with pytest.raises(ActionRefused) as refused:
        research.topic_drop(actor=lab.court_leader, topic=topic, reason="")
    assert refused.value.field == "reason"
    research.topic_drop(actor=lab.court_leader, topic=topic, reason="与另一课题合并")
    assert ResearchTopic.objects.get(pk=topic.pk).status == T.DROPPED


def test_the_january_reminder_goes_once_and_not_when_a_topic_is_agreed(lab: Lab, time_machine):
    time_machine.move_to("2026-01-05 09:00 +08:00", tick=False)
    first = research.research_remind()
    # Two mechanisms, each with a leader and (here) a secretary among its parties' people.
    reminded = set(
        Notification.objects.filter(title__contains="调研课题尚未商定").values_list("recipient__username", flat=True)
    )
    assert {"court_boss", "r_fed_boss", "r_secretary"} <= reminded and first >= 3
    assert research.research_remind() == 0
    time_machine.move_to("2026-01-06 09:00 +08:00", tick=False)
    assert research.research_remind() == 0
    time_machine.move_to("2027-01-05 09:00 +08:00", tick=False)
    lab.agreed(year=2027, due_date=dt.date(2027, 11, 30), milestones=[])
    research.research_remind()
    mine = Notification.objects.filter(title__contains="2027 年度调研课题尚未商定", recipient__username="court_boss")
    assert mine.count() == 0


def test_milestone_reminders_go_once_within_a_week(lab: Lab, time_machine):
    lab.agreed()
    time_machine.move_to("2026-03-25 09:00 +08:00", tick=False)
    assert research.research_remind() >= 2  # the participants and the lead party's secretary and leader
    assert research.research_remind() == 0
    assert Notification.objects.filter(title__contains="形成调研提纲", recipient__username="r_fed_staff").count() == 1


def test_overdue_milestones_appear_in_the_overdue_ledger_of_the_lead_party(lab: Lab, time_machine):
    topic = lab.agreed()
    time_machine.move_to("2026-04-08 09:00 +08:00", tick=False)
    rows = overdue_ledger(user=lab.secretary, kind=LedgerKind.RESEARCH_MILESTONE).rows
    assert [(r.title, r.owner_organization_id) for r in rows] == [
        ("民营企业产权司法保护调研 · 形成调研提纲", lab.world.court.pk)
    ]
    assert rows[0].days_overdue >= 1
    research.milestone_done(actor=lab.secretary, milestone=topic.milestones.get(title="形成调研提纲"))
    assert overdue_ledger(user=lab.secretary, kind=LedgerKind.RESEARCH_MILESTONE).rows == []
    assert overdue_ledger(user=lab.world.charlie, kind=LedgerKind.RESEARCH_MILESTONE).rows == []


def test_the_cadence_counts_agreed_topics_against_the_expected(lab: Lab):
    lab.agreed()
    lab.proposed(title="第二个课题")
    rows = {row.mechanism.pk: row for row in research.programme_cadence(user=lab.secretary, year=2026)}
    mine = rows[lab.world.mechanism.pk]
    assert (mine.agreed, mine.proposed, mine.state) == (1, 1, "met")
    assert lab.world.other_mechanism.pk not in rows


def test_scoping_between_mechanisms(lab: Lab, client):
    topic = lab.proposed()
    with pytest.raises(Http404):
        selectors.research_get(user=lab.world.charlie, pk=topic.pk)
    login(client, lab.world.charlie)
    assert client.get(reverse("reports:research_detail", args=[topic.pk])).status_code == 404
    login(client, lab.world.alice)
    assert client.get(reverse("reports:research_detail", args=[topic.pk])).status_code == 200
    page = client.get(reverse("reports:research_list"), {"year": 2026}).content.decode()
    assert "民营企业产权司法保护调研" in page and "table-cards" in page
    export = client.get(reverse("reports:research_export"), {"year": 2026})
    assert export.status_code == 200 and b"".join(export.streaming_content).startswith(b"PK")
    login(client, lab.world.charlie)
    other = client.get(reverse("reports:research_export"), {"year": 2026})
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(other.streaming_content))).active.values)
    assert len(rows) == 1  # the header only: another mechanism's topics are not exported


STATES = {
    "proposed": lambda lab: lab.proposed(title="课题一"),
    "half_approved": lambda lab: research.topic_approve(actor=lab.court_leader, topic=lab.proposed(title="课题二")),
    "agreed": lambda lab: lab.agreed(title="课题三"),
    "finished": lambda lab: lab.finished(),
    "dropped": lambda lab: research.topic_drop(
        actor=lab.court_leader, topic=lab.proposed(title="课题五"), reason="合并"
    ),
}


@pytest.mark.parametrize("state", list(STATES))
def test_a_topic_offers_exactly_the_steps_the_services_perform(lab: Lab, cast, state):
    topic = STATES[state](lab)
    held = cast.held()
    spare = lab.report("备用调研报告")
    users = [lab.secretary, lab.court_leader, lab.fed_leader, lab.fed_staff, lab.world.alice, lab.world.charlie]
    inputs = {
        "agree_at_meeting": {"meeting": held},
        "finish": {"report": spare},
        "drop": {"reason": "合并"},
        "record_use": {"kind": "training", "title": "培训", "used_on": dt.date(2026, 2, 1)},
    }

    def milestone(user, topic):
        return research.milestone_done(actor=user, milestone=topic.milestones.order_by("pk").first())

    found = disagreements(
        RESEARCH, lambda: ResearchTopic.objects.get(pk=topic.pk), users, inputs, {"milestone": milestone}
    )
    assert found == []


def test_it_builds_a_topic_in_every_status(lab: Lab):
    assert {STATES[state](lab).status for state in STATES} == set(TopicStatus.values)


def test_the_api_proposes_agrees_and_keeps_outsiders_out(lab: Lab, api_client):
    api_client.force_authenticate(lab.fed_staff)
    payload = {
        "mechanism": lab.world.mechanism.pk,
        "year": 2026,
        "title": "接口提出的课题",
        "lead_organization": lab.world.federation.pk,
        "due_date": "2026-11-30",
        "participants": [lab.secretary.pk, lab.fed_staff.pk],
        "milestones": [{"title": "提纲", "due_date": "2026-03-31"}],
    }
    created = api_client.post("/api/v1/research-topics/", payload, format="json")
    assert created.status_code == 201 and created.data["status"] == "proposed"
    pk = created.data["id"]
    assert api_client.post(f"/api/v1/research-topics/{pk}/approve/").status_code == 403  # not a leader
    for leader in (lab.court_leader, lab.fed_leader):
        api_client.force_authenticate(leader)
        assert api_client.post(f"/api/v1/research-topics/{pk}/approve/").status_code == 200
    api_client.force_authenticate(lab.fed_staff)
    detail = api_client.get(f"/api/v1/research-topics/{pk}/").data
    assert detail["status"] == "agreed" and detail["agreed_how"] == "leaders"
    milestone = detail["milestones"][0]["id"]
    done = api_client.post(f"/api/v1/research-topics/{pk}/milestones/{milestone}/done/")
    assert done.status_code == 200 and done.data["milestones"][0]["done_at"]
    api_client.force_authenticate(lab.world.charlie)
    assert api_client.get(f"/api/v1/research-topics/{pk}/").status_code == 404
    assert api_client.get("/api/v1/research-topics/").data["count"] == 0
    bad = dict(payload, title="", lead_organization=lab.world.court.pk)
    api_client.force_authenticate(lab.fed_staff)
    assert api_client.post("/api/v1/research-topics/", bad, format="json").status_code == 400


@pytest.mark.postgres
def test_two_leaders_approving_at_once_agree_the_topic_exactly_once(postgres, world):
    from ..concurrency import run_together

    lab = Lab(world)
    topic = lab.proposed(milestones=[])
    results = run_together(
        lambda: research.topic_approve(actor=lab.court_leader, topic=ResearchTopic.objects.get(pk=topic.pk)),
        lambda: research.topic_approve(actor=lab.fed_leader, topic=ResearchTopic.objects.get(pk=topic.pk)),
    )
    assert all(isinstance(r, ResearchTopic) for r in results), results
    assert ResearchTopic.objects.get(pk=topic.pk).status == T.AGREED
    assert TopicApproval.objects.filter(topic=topic).count() == 2
    assert AuditEvent.objects.filter(action="research_approve", to_state="research.agreed").count() == 1


def test_the_detail_page_offers_the_steps_as_forms(lab: Lab, client):
    topic = lab.proposed()
    login(client, lab.secretary)
    page = client.get(reverse("reports:research_detail", args=[topic.pk])).content.decode()
    assert 'id="action-agree_at_meeting"' in page and 'id="action-approve"' not in page
    research.topic_approve(actor=lab.court_leader, topic=topic)
    research.topic_approve(actor=lab.fed_leader, topic=topic)
    page = client.get(reverse("reports:research_detail", args=[topic.pk])).content.decode()
    assert 'id="action-finish"' in page and "登记完成" in page
    report = lab.report()
    response = client.post(reverse("reports:research_act", args=[topic.pk, "finish"]), {"finish-report": report.pk})
    assert response.status_code == 302
    assert ResearchTopic.objects.get(pk=topic.pk).status == T.FINISHED


def test_the_programme_prints_as_pdf_by_mechanism_and_keeps_outsiders_out(lab: Lab, client):
    from .test_monthly_report import pdf_text

    topic = lab.finished()
    login(client, lab.world.alice)
    response = client.get(
        reverse("reports:research_programme_pdf"), {"year": 2026, "mechanism": lab.world.mechanism.pk}
    )
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and content.startswith(b"%PDF")
    text = pdf_text(content).replace("\n", "")
    assert topic.title in text and topic.lead_organization.name in text
    assert all(m.title in text for m in topic.milestones.all()) and topic.get_status_display() in text
    assert all(u.title in text for u in topic.uses.all())
    login(client, lab.world.charlie)
    denied = client.get(reverse("reports:research_programme_pdf"), {"year": 2026, "mechanism": lab.world.mechanism.pk})
    assert denied.status_code == 404
    own = client.get(reverse("reports:research_programme_pdf"), {"year": 2026})
    assert topic.title not in pdf_text(b"".join(own.streaming_content))


def test_a_member_unit_takes_part_but_does_not_agree_and_a_party_that_left_leads_nothing(lab: Lab):
    """Topics are agreed by the parties whose place approves minutes (the convenor and core parties): a
    member unit without a leader account never blocks a topic, and its leader is not asked."""
    from liaison.choices import PartyPlace
    from liaison.models import MechanismParty

    from ..factories import OrganizationFactory

    mechanism = lab.world.mechanism
    member = OrganizationFactory(name="甲市市场监督管理局", kind="government")
    m_boss = UserFactory(username="m_boss", organization=member, roles=["leader"])
    m_staff = UserFactory(username="m_staff", organization=member, roles=["federation_staff"])
    MechanismParty.objects.create(mechanism=mechanism, organization=member, place=PartyPlace.MEMBER, side="handler")
    gone = OrganizationFactory(name="甲市税务局", kind="government")
    MechanismParty.objects.create(
        mechanism=mechanism, organization=gone, place=PartyPlace.CORE, side="handler", left_on=dt.date(2026, 1, 31)
    )

    with pytest.raises(ActionRefused) as refused:
        lab.proposed(lead_organization=gone)
    assert refused.value.field == "lead_organization"

    topic = lab.proposed(participants=[lab.secretary, lab.fed_staff, m_staff])
    asked = set(
        Notification.objects.filter(title__startswith="调研课题待商定").values_list("recipient__username", flat=True)
    )
    assert "m_boss" not in asked and {"r_fed_boss"} <= asked

    with pytest.raises(ActionRefused) as refused:
        research.topic_approve(actor=m_boss, topic=topic)
    assert refused.value.message == "本单位在该机制中不参与商定课题。"
    assert "approve" not in {t.name for t in RESEARCH.allowed(m_boss, topic)}

    research.topic_approve(actor=lab.court_leader, topic=topic)
    topic = research.topic_approve(actor=lab.fed_leader, topic=topic)
    assert topic.status == T.AGREED
    assert set(TopicApproval.objects.filter(topic=topic).values_list("organization__name", flat=True)) == {
        lab.world.court.name,
        lab.world.federation.name,
    }
