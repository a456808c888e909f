"""Satisfaction: the enterprise's rating and reopen request, the reviewer's decision, follow-up calls, figures."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import services
from cases.choices import REOPEN_DECISION, ComplaintStatus, ReopenDecision
from cases.figures import SATISFACTION_MIN_SAMPLE, complaint_figures
from cases.models import Complaint, EnterpriseMembership, Satisfaction
from cases.validators import parse_case_numbers
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Deadline

from ..conftest import login
from ..factories import UserFactory


@pytest.fixture
def ent(cast):
    user = UserFactory(username="ent", organization=None, roles=["enterprise"])
    membership = EnterpriseMembership.objects.create(
        user=user, enterprise=cast.enterprise, source="invited", claimed_name=cast.enterprise.name, mobile="13912345678"
    )
    services.membership_confirm(actor=cast.reviewer, membership=membership)
    user.refresh_from_db()
    return user


def answered_online(cast, ent, n: int = 0) -> Complaint:
    matter = services.matter_save_draft(
        actor=ent,
        data=services.MatterData(
            kind="enforcement",
            facts="执行款迟迟未到账。",
            demands="请求督促执行。",
            is_major=True,
            major_reason="涉及企业生存",
            case_numbers=parse_case_numbers(f"（2022）豫03执{45 + n}号"),
        ),
    )
    services.complaint_submit(actor=ent, complaint=matter)
    services.complaint_start_review(actor=cast.reviewer, complaint=matter)
    services.complaint_transfer_now(actor=cast.reviewer, complaint=matter)
    matter.refresh_from_db()
    services.complaint_register(actor=cast.clerk, complaint=matter, registration_number=f"DJ-{n}")
    services.complaint_assign(actor=cast.clerk, complaint=matter, department=cast.department, handler=cast.handler)
    services.complaint_answer(
        actor=cast.handler, complaint=matter, answer="内部结果", enterprise_answer="已发放执行款。"
    )
    matter.refresh_from_db()
    return matter


def test_it_rates_once_per_answer(cast, ent):
    matter = answered_online(cast, ent)
    services.matter_rate(actor=ent, complaint=matter, rating="satisfied", comment="很及时")
    with pytest.raises(ActionRefused):
        services.matter_rate(actor=ent, complaint=matter, rating="dissatisfied")
    assert Satisfaction.objects.get().comment == "很及时"


def test_it_refuses_a_rating_before_the_answer_and_from_others(cast, ent):
    matter = answered_online(cast, ent)
    for actor in (cast.staff, cast.world.charlie, cast.clerk):
        with pytest.raises(ActionRefused):
            services.matter_rate(actor=actor, complaint=matter, rating="satisfied")
    with pytest.raises(ActionRefused):  # a reopen needs 不满意
        services.matter_rate(actor=ent, complaint=matter, rating="basically", reopen_reason="再查")
    assert not Satisfaction.objects.exists()


def test_a_dissatisfied_enterprise_asks_for_a_reopen_which_the_reviewer_grants(cast, ent, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    matter = answered_online(cast, ent)
    rating = services.matter_rate(
        actor=ent, complaint=matter, rating="dissatisfied", comment="款项不足", reopen_reason="只发放了一半"
    )
    assert rating.decision == ReopenDecision.PENDING
    deadline = Deadline.objects.get(kind=REOPEN_DECISION)
    assert deadline.state == "running" and deadline.working_days == cast.world.mechanism.review_working_days
    with pytest.raises(ActionRefused):
        services.satisfaction_grant_reopen(actor=cast.staff, satisfaction=rating)  # staff, not a reviewer
    services.satisfaction_grant_reopen(actor=cast.reviewer, satisfaction=rating)
    matter.refresh_from_db()
    rating.refresh_from_db()
    assert matter.status == ComplaintStatus.ASSIGNED and matter.reopen_count == 1
    assert rating.decision == ReopenDecision.REOPENED
    assert Deadline.objects.get(kind=REOPEN_DECISION).state == "met"
    assert AuditEvent.objects.filter(action="satisfaction_grant_reopen").exists()
    # the new answer may be rated again
    services.complaint_answer(actor=cast.handler, complaint=matter, answer="补发", enterprise_answer="已补发。")
    matter.refresh_from_db()
    services.matter_rate(actor=ent, complaint=matter, rating="satisfied")
    assert Satisfaction.objects.count() == 2


def test_the_reviewer_may_explain_instead(cast, ent):
    matter = answered_online(cast, ent)
    rating = services.matter_rate(actor=ent, complaint=matter, rating="dissatisfied", reopen_reason="不服")
    with pytest.raises(ActionRefused):
        services.satisfaction_explain(actor=cast.reviewer, satisfaction=rating, reason=" ")
    services.satisfaction_explain(actor=cast.reviewer, satisfaction=rating, reason="已依法执行完毕")
    rating.refresh_from_db()
    matter.refresh_from_db()
    assert rating.decision == ReopenDecision.EXPLAINED and matter.status == ComplaintStatus.ANSWERED
    with pytest.raises(ActionRefused):
        services.satisfaction_grant_reopen(actor=cast.reviewer, satisfaction=rating)


def test_staff_record_a_follow_up_call_for_a_paper_matter(cast, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    complaint = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已审结")
    complaint.refresh_from_db()
    with pytest.raises(ActionRefused):
        services.followup_record(
            actor=cast.staff,
            complaint=complaint,
            called_on=dt.date(2026, 3, 21),
            person_reached="王经理",
            rating="satisfied",
        )
    services.followup_record(
        actor=cast.staff,
        complaint=complaint,
        called_on=dt.date(2026, 3, 20),
        person_reached="王经理",
        rating="basically",
    )
    with pytest.raises(ActionRefused):
        services.followup_record(
            actor=cast.clerk,
            complaint=complaint,
            called_on=dt.date(2026, 3, 20),
            person_reached="王",
            rating="satisfied",
        )
    assert Satisfaction.objects.get().source == "call"


def test_the_figures_withhold_the_rate_below_the_minimum_sample(cast, ent, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    matters = [answered_online(cast, ent, n) for n in range(SATISFACTION_MIN_SAMPLE)]
    for matter in matters[:-1]:
        services.matter_rate(actor=ent, complaint=matter, rating="satisfied")
    span = {"user": cast.reviewer, "start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}
    figures = complaint_figures(**span)["satisfaction"]
    assert figures["sample"] == SATISFACTION_MIN_SAMPLE - 1 and figures["satisfaction_rate"] is None
    assert "样本不足" in figures["satisfaction_note"]
    assert figures["followup_coverage"] == round((SATISFACTION_MIN_SAMPLE - 1) / SATISFACTION_MIN_SAMPLE, 4)
    services.matter_rate(actor=ent, complaint=matters[-1], rating="dissatisfied")
    figures = complaint_figures(**span)["satisfaction"]
    assert figures["satisfaction_rate"] == round((SATISFACTION_MIN_SAMPLE - 1) / SATISFACTION_MIN_SAMPLE, 4)
    assert figures["satisfaction_note"] == "" and figures["followup_coverage"] == 1.0


def test_the_dashboard_shows_the_sample_and_says_why_no_rate(cast, ent, client, time_machine):
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    matter = answered_online(cast, ent)
    services.matter_rate(actor=ent, complaint=matter, rating="satisfied")
    login(client, cast.court_leader)
    page = client.get("/cases/dashboard/").content.decode()
    assert "企业满意率" in page and "样本不足" in page and "回访覆盖率" in page


def test_the_rating_pages(cast, ent, client):
    matter = answered_online(cast, ent)
    login(client, ent)
    response = client.post(
        f"/portal/matters/{matter.pk}/rating/",
        {"rating": "dissatisfied", "comment": "不满意", "ask_reopen": "on", "reopen_reason": ""},
    )
    assert response.status_code == 400 and "请填写申请重新办理的理由" in response.content.decode()
    client.post(
        f"/portal/matters/{matter.pk}/rating/",
        {"rating": "dissatisfied", "comment": "不满意", "ask_reopen": "on", "reopen_reason": "只发放了一半"},
    )
    rating = Satisfaction.objects.get()
    login(client, cast.reviewer)
    page = client.get(f"/cases/complaints/{matter.pk}/").content.decode()
    assert "只发放了一半" in page and "同意重新办理" in page
    assert client.post(f"/cases/satisfactions/{rating.pk}/act/grant_reopen/").status_code == 302
    login(client, ent)
    assert "已要求法院重新办理" in client.get(f"/portal/matters/{matter.pk}/").content.decode()


def test_the_evaluation_table_gives_each_courts_satisfaction_with_its_sample(cast, ent, client, time_machine):
    from reports.ledgers import evaluation_table

    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    matters = [answered_online(cast, ent, n) for n in range(SATISFACTION_MIN_SAMPLE)]
    services.matter_rate(actor=ent, complaint=matters[0], rating="dissatisfied")
    [unit] = evaluation_table(user=cast.court_leader, year=2026).satisfaction
    assert (unit.organization_id, unit.sample, unit.satisfied, unit.rate) == (cast.world.court.pk, 1, 0, None)
    login(client, cast.court_leader)
    page = client.get("/cases/ledgers/evaluation/", {"year": 2026}).content.decode()
    assert "样本不足，不计算" in page
    for matter in matters[1:]:
        services.matter_rate(actor=ent, complaint=matter, rating="basically")
    [unit] = evaluation_table(user=cast.court_leader, year=2026).satisfaction
    assert unit.rate == 0.8
    api = client.get("/api/v1/ledgers/evaluation/", {"year": 2026}).json()
    assert api["satisfaction"][0]["rate"] == 0.8 and api["satisfaction"][0]["sample"] == 5
