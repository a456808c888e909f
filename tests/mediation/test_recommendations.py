"""Recommendations of people: filing, the receiving party's decision within the mechanism's
working-day limit, refusals, recall and withdrawal, a mediator entering the roster, term
reminders exactly once, scoping between mechanisms, and the agreement of offer and services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison import audit, deadlines
from liaison.choices import DeadlineState
from liaison.errors import ActionRefused
from liaison.models import Deadline, Notification
from liaison.workdays import WorkingCalendar
from mediation import services
from mediation.choices import RECOMMENDATION_DECISION_KIND, MediatorStatus, RecommendationStatus
from mediation.models import Mediator, Recommendation, ServiceRules
from mediation.workflow import RECOMMENDATION
from tests.workflow_agreement import disagreements

from ..factories import UserFactory

R = RecommendationStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def candidate(world, **extra) -> services.CandidateData:
    values = {
        "kind": "assessor",
        "receiver": world.court,
        "name": "陈立新",
        "phone": "13903791234",
        "employer": "洛阳某机械有限公司",
        "position": "董事长",
        "specialties": "企业管理、财税",
        "reasons": "熟悉民营企业经营，热心公益，本人同意被推荐。",
    }
    values.update(extra)
    return services.CandidateData(**values)


def file(world, **extra) -> Recommendation:
    return services.recommendation_file(actor=world.alice, mechanism=world.mechanism, data=candidate(world, **extra))


def appoint(world, recommendation, **extra) -> Recommendation:
    today = deadlines.today()
    values = {
        "term_start": today,
        "term_end": today + dt.timedelta(days=5 * 365),
        "appointment_number": "甲中法〔2026〕8号",
    }
    values.update(extra)
    return services.recommendation_appoint(actor=world.bob, recommendation=recommendation, **values)


def test_filing_starts_the_decision_limit_set_by_the_mechanism(world):
    ServiceRules.objects.create(mechanism=world.mechanism, decision_working_days=7)
    consent = SimpleUploadedFile("同意书.pdf", PDF, content_type="application/pdf")
    recommendation = file(world, files=[consent])
    assert recommendation.status == R.PENDING
    assert recommendation.recommender == world.federation
    expected = WorkingCalendar().add_working_days(deadlines.today(), 7)
    assert recommendation.decision_due == expected
    deadline = Deadline.objects.get(kind=RECOMMENDATION_DECISION_KIND, object_id=str(recommendation.pk))
    assert deadline.due_date == expected and deadline.owner_organization == world.court
    from liaison.attachments import attachments_of

    assert [a.original_name for a in attachments_of(recommendation)] == ["同意书.pdf"]
    assert Notification.objects.filter(
        recipient=world.bob, url__endswith=f"/recommendations/{recommendation.pk}/"
    ).exists()
    assert audit.history(recommendation).filter(action="recommendation_file").exists()


def test_the_default_limit_applies_without_rules(world):
    recommendation = file(world)
    assert recommendation.decision_due == WorkingCalendar().add_working_days(deadlines.today(), 20)


def test_appointing_records_term_and_number_and_closes_the_deadline(world):
    recommendation = appoint(world, file(world))
    assert recommendation.status == R.APPOINTED
    assert recommendation.appointment_number == "甲中法〔2026〕8号"
    assert recommendation.decided_at is not None
    deadline = Deadline.objects.get(kind=RECOMMENDATION_DECISION_KIND, object_id=str(recommendation.pk))
    assert deadline.state == DeadlineState.MET
    event = audit.history(recommendation).get(action="recommendation_appoint")
    assert (event.from_state, event.to_state) == ("recommendation:pending", "recommendation:appointed")
    assert Notification.objects.filter(recipient=world.alice, title__contains="已任命").exists()


def test_declining_needs_a_reason_and_tells_the_recommender(world):
    recommendation = file(world)
    with pytest.raises(ActionRefused, match="不予采纳的理由"):
        services.recommendation_decline(actor=world.bob, recommendation=recommendation, reason="  ")
    services.recommendation_decline(actor=world.bob, recommendation=recommendation, reason="名额已满")
    recommendation.refresh_from_db()
    assert recommendation.status == R.DECLINED and recommendation.decline_reason == "名额已满"
    assert Notification.objects.filter(recipient=world.alice, title__contains="名额已满").exists()


def test_refusals(world):
    recommendation = file(world)
    # Only the receiving party decides; the recommender cannot appoint its own candidate.
    with pytest.raises(ActionRefused, match="接收单位"):
        services.recommendation_appoint(
            actor=world.alice,
            recommendation=recommendation,
            term_start=deadlines.today(),
            term_end=deadlines.today() + dt.timedelta(days=30),
            appointment_number="X",
        )
    # Only the recommender recalls.
    with pytest.raises(ActionRefused, match="推荐单位"):
        services.recommendation_recall(actor=world.bob, recommendation=recommendation, reason="x")
    # An outsider's organization is not party to the mechanism.
    with pytest.raises(ActionRefused):
        services.recommendation_decline(actor=world.charlie, recommendation=recommendation, reason="x")
    # Bad input keeps the candidate pending.
    with pytest.raises(ActionRefused, match="任命文号"):
        appoint(world, recommendation, appointment_number="")
    with pytest.raises(ActionRefused, match="晚于开始日期"):
        appoint(world, recommendation, term_end=deadlines.today())
    recommendation.refresh_from_db()
    assert recommendation.status == R.PENDING
    # Once decided, no second decision.
    appoint(world, recommendation)
    with pytest.raises(ActionRefused, match="已任命"):
        services.recommendation_decline(actor=world.bob, recommendation=recommendation, reason="x")


def test_filing_refusals(world):
    with pytest.raises(ActionRefused, match="推荐人选"):
        services.recommendation_file(actor=world.bob, mechanism=world.mechanism, data=candidate(world))
    with pytest.raises(ActionRefused, match="参与单位"):
        services.recommendation_file(actor=world.charlie, mechanism=world.mechanism, data=candidate(world))
    with pytest.raises(ActionRefused, match="接收单位"):
        file(world, receiver=world.other_court)
    with pytest.raises(ActionRefused, match="接收单位"):
        file(world, receiver=world.federation)
    with pytest.raises(ActionRefused, match="推荐理由"):
        file(world, reasons=" ")
    with pytest.raises(ActionRefused) as refused:
        file(world, phone="123")
    assert refused.value.field == "phone"
    with pytest.raises(ActionRefused, match="调解组织"):
        file(world, kind="mediator", profession="lawyer", mediator_specialties=["contracts"])
    file(world)
    with pytest.raises(ActionRefused, match="已被推荐"):
        file(world)
    assert Recommendation.objects.count() == 1


def test_recall_and_withdrawal_need_reasons(world):
    pending = file(world)
    services.recommendation_recall(actor=world.alice, recommendation=pending, reason="本人工作调动")
    pending.refresh_from_db()
    assert pending.status == R.RECALLED and pending.end_reason == "本人工作调动"
    deadline = Deadline.objects.get(kind=RECOMMENDATION_DECISION_KIND, object_id=str(pending.pk))
    assert deadline.state == DeadlineState.CANCELLED
    appointed = appoint(world, file(world, name="李华", phone="13903795678"))
    with pytest.raises(ActionRefused, match="免除理由"):
        services.recommendation_withdraw(actor=world.alice, recommendation=appointed, reason="")
    services.recommendation_withdraw(actor=world.alice, recommendation=appointed, reason="本人申请辞去")
    appointed.refresh_from_db()
    assert appointed.status == R.WITHDRAWN and appointed.ended_at is not None


def test_an_appointed_mediator_enters_the_roster_without_retyping(roster):
    world = roster.world
    recommendation = file(
        world,
        kind="mediator",
        name="郑和平",
        phone="13903790001",
        profession="lawyer",
        mediator_specialties=["contracts", "labour"],
        mediation_organisation=roster.organisation,
    )
    assert recommendation.specialties == "合同纠纷、劳动争议"
    recommendation = appoint(world, recommendation)
    mediator = recommendation.mediator
    assert mediator is not None
    assert mediator.court == world.court and mediator.organisation == roster.organisation
    assert (mediator.name, mediator.phone, mediator.status) == ("郑和平", "13903790001", MediatorStatus.ACTIVE)
    assert mediator.appointment_number == "甲中法〔2026〕8号"
    assert sorted(mediator.specialties.values_list("specialty", flat=True)) == ["contracts", "labour"]
    assert mediator.term_end == recommendation.term_end
    # Withdrawal takes the mediator off the roster too.
    services.recommendation_withdraw(actor=world.bob, recommendation=recommendation, reason="不再担任")
    assert Mediator.objects.get(pk=mediator.pk).status == MediatorStatus.REMOVED


def test_a_mediator_needs_an_admitted_organisation(roster):
    world = roster.world
    with pytest.raises(ActionRefused, match="尚未被"):
        services.recommendation_file(
            actor=world.charlie,
            mechanism=world.other_mechanism,
            data=candidate(
                world,
                receiver=world.other_court,
                kind="mediator",
                profession="lawyer",
                mediator_specialties=["contracts"],
                mediation_organisation=roster.organisation,
            ),
        )


def test_term_reminders_come_60_and_30_days_before_exactly_once(world):
    today = deadlines.today()
    recommendation = appoint(
        world, file(world), term_start=today - dt.timedelta(days=300), term_end=today + dt.timedelta(days=90)
    )

    def sweep(days_before_end: int) -> int:
        return services.recommendation_terms_sweep(
            on=recommendation.term_end - dt.timedelta(days=days_before_end)
        ).reminded

    assert sweep(61) == 0
    assert sweep(60) == 3  # alice, the court clerk bob and the court leader
    assert sweep(59) == 0
    assert sweep(45) == 0
    assert sweep(30) == 3
    assert sweep(29) == 0
    assert sweep(1) == 0
    titles = list(Notification.objects.filter(recipient=world.alice, kind="due_soon").values_list("title", flat=True))
    assert len(titles) == 2 and all("人民陪审员陈立新" in t for t in titles)
    result = services.recommendation_terms_sweep(on=recommendation.term_end + dt.timedelta(days=1))
    assert result.expired == 1
    recommendation.refresh_from_db()
    assert recommendation.status == R.EXPIRED
    assert services.recommendation_terms_sweep(on=recommendation.term_end + dt.timedelta(days=2)).expired == 0


def test_mediators_are_reminded_by_the_roster_only(roster):
    world = roster.world
    today = deadlines.today()
    recommendation = file(
        world,
        kind="mediator",
        name="郑和平",
        phone="13903790001",
        profession="lawyer",
        mediator_specialties=["contracts"],
        mediation_organisation=roster.organisation,
    )
    appoint(world, recommendation, term_start=today, term_end=today + dt.timedelta(days=60))
    assert services.recommendation_terms_sweep(on=today).reminded == 0
    assert services.terms_sweep(on=today).reminded > 0


def test_the_task_sweeps(world):
    from mediation import tasks

    assert tasks.sweep_recommendation_terms.delay().get() == {"expired": 0, "reminded": 0}


def test_scoping_between_mechanisms(world, client):
    recommendation = file(world)
    from mediation import selectors

    assert list(selectors.recommendation_scope(world.alice)) == [recommendation]
    assert list(selectors.recommendation_scope(world.bob)) == [recommendation]
    assert list(selectors.recommendation_scope(world.charlie)) == []
    assert RECOMMENDATION.allowed(world.charlie, recommendation) == []


def test_offer_and_services_agree(roster):
    world = roster.world
    today = deadlines.today()
    states = {
        "pending": lambda: file(world),
        "appointed": lambda: appoint(world, file(world)),
        "declined": lambda: services.recommendation_decline(actor=world.bob, recommendation=file(world), reason="x"),
        "recalled": lambda: services.recommendation_recall(actor=world.alice, recommendation=file(world), reason="x"),
        "withdrawn": lambda: services.recommendation_withdraw(
            actor=world.bob, recommendation=appoint(world, file(world)), reason="x"
        ),
    }
    users = [
        world.alice,
        world.bob,
        world.leader,
        world.charlie,
        roster.manager,
        UserFactory(username="fed_boss", organization=world.federation, roles=["leader"]),
        UserFactory(username="fed_review", organization=world.federation, roles=["federation_reviewer"]),
        UserFactory(username="other_clerk", organization=world.other_court, roles=["court_clerk"]),
    ]
    inputs = {
        "appoint": {"term_start": today, "term_end": today + dt.timedelta(days=365), "appointment_number": "文号1"},
        "decline": {"reason": "名额已满"},
        "recall": {"reason": "本人不愿"},
        "withdraw": {"reason": "辞去"},
    }
    for state, build in states.items():
        pk = build().pk
        calls = {"expire": lambda user, obj: (_ for _ in ()).throw(ActionRefused("nobody"))}
        found = disagreements(RECOMMENDATION, lambda pk=pk: Recommendation.objects.get(pk=pk), users, inputs, calls)
        assert found == [], state
        # The next state's candidate is a different person.
        Recommendation.objects.filter(pk=pk).update(name=f"已办{pk}")
