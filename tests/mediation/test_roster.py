"""The roster through the services: organisations, admission, appointment, status, terms that end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison import deadlines
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Notification, Organization
from mediation import services, tasks
from mediation.choices import MediatorStatus as M
from mediation.models import Admission, MediationOrganisation, Mediator

from ..factories import UserFactory

TODAY = dt.date(2026, 11, 23)


def data(**overrides) -> services.MediatorData:
    values = {
        "name": "孙律师",
        "profession": "lawyer",
        "phone": "139 0379 8888",
        "specialties": ["contracts"],
        "term_start": deadlines.today() - dt.timedelta(days=10),
        "term_end": deadlines.today() + dt.timedelta(days=720),
    }
    values.update(overrides)
    return services.MediatorData(**values)


# --- organisations and admission ---------------------------------------------------------------


def test_a_chamber_registers_its_organisation_as_a_child_unit(roster):
    organisation = roster.organisation
    assert organisation.organization.kind == "mediation" and organisation.organization.parent == roster.chamber
    assert organisation.run_by == roster.chamber
    admission = Admission.objects.get(organisation=organisation)
    assert admission.court == roster.world.court and admission.document_number == "甲中法〔2025〕12号"


def test_registering_an_organisation_is_refused_to_others(roster, world):
    with pytest.raises(ActionRefused, match="只有设立单位（或其上级工商联）才能登记调解组织"):
        services.organisation_register(
            actor=roster.other_manager, data=services.OrganisationData(name="另一个调解组织", run_by=roster.chamber)
        )
    with pytest.raises(ActionRefused, match="调解组织须由商会或工商联设立"):
        services.organisation_register(
            actor=roster.clerk, data=services.OrganisationData(name="法院的调解组织", run_by=world.court)
        )
    with pytest.raises(ActionRefused, match="已有名为“甲市民营企业商会调解委员会”的单位"):
        services.organisation_register(
            actor=roster.manager,
            data=services.OrganisationData(name="甲市民营企业商会调解委员会", run_by=roster.chamber),
        )
    # The federation may register one for its chamber.
    organisation = services.organisation_register(
        actor=world.alice,
        data=services.OrganisationData(name="甲市民营企业商会第二调解室", run_by=roster.chamber, phone="0379-63211234"),
    )
    assert organisation.phone == "0379-63211234"


def test_only_a_court_of_the_mechanism_admits(roster, world):
    organisation = services.organisation_register(
        actor=roster.manager, data=services.OrganisationData(name="新调解室", run_by=roster.chamber)
    )
    for actor in (roster.manager, world.alice, UserFactory(organization=world.other_court, roles=["court_clerk"])):
        with pytest.raises(ActionRefused, match="只有机制中的人民法院才能吸纳特邀调解组织"):
            services.organisation_admit(
                actor=actor,
                organisation=organisation,
                mechanism=world.mechanism,
                document_number="X",
                admitted_on=dt.date(2026, 1, 1),
            )
    with pytest.raises(ActionRefused, match="请填写吸纳文号"):
        services.organisation_admit(
            actor=roster.clerk,
            organisation=organisation,
            mechanism=world.mechanism,
            document_number=" ",
            admitted_on=dt.date(2026, 1, 1),
        )
    services.organisation_admit(
        actor=roster.clerk,
        organisation=organisation,
        mechanism=world.mechanism,
        document_number="甲中法〔2026〕3号",
        admitted_on=dt.date(2026, 1, 1),
    )
    with pytest.raises(ActionRefused, match="本院已吸纳该调解组织") as error:
        services.organisation_admit(
            actor=roster.clerk,
            organisation=organisation,
            mechanism=world.mechanism,
            document_number="甲中法〔2026〕4号",
            admitted_on=dt.date(2026, 1, 2),
        )
    assert error.value.code == ActionRefused.STATE
    assert Notification.objects.filter(recipient=roster.manager, title__contains="已吸纳新调解室").exists()


# --- appointment -------------------------------------------------------------------------------


def test_the_court_or_the_organisation_appoints(roster):
    by_court = services.mediator_appoint(
        actor=roster.clerk,
        organisation=roster.organisation,
        court=roster.world.court,
        data=data(takes_paid=True, fee_standard="每件1000元", specialties=["finance", "contracts"]),
    )
    assert (
        by_court.phone == "13903798888" and by_court.status == M.ACTIVE and by_court.mechanism == roster.world.mechanism
    )
    assert sorted(by_court.specialties.values_list("specialty", flat=True)) == ["contracts", "finance"]
    event = AuditEvent.objects.filter(action="mediator_appoint", object_id=str(by_court.pk)).get()
    assert "13903798888" not in event.summary
    assert roster.mediators["王调解"].organisation == roster.organisation  # appointed by the manager in the fixture


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"term_end": deadlines.today() - dt.timedelta(days=20)}, "term_end", "任期届满日期须晚于开始日期"),
        (
            {
                "term_start": deadlines.today() - dt.timedelta(days=400),
                "term_end": deadlines.today() - dt.timedelta(days=1),
            },
            "term_end",
            "任期届满日期已过，不能聘任",
        ),
        ({"takes_paid": True}, "fee_standard", "承接有偿调解的，请填写收费标准"),
        ({"fee_standard": "每件500元"}, "fee_standard", "未承接有偿调解的，不填写收费标准"),
        ({"specialties": []}, "specialties", "请至少选择一个专长领域"),
        ({"specialties": ["cooking"]}, "specialties", "专长领域不正确：cooking"),
        ({"phone": "12345"}, "phone", "手机号码应为11位数字"),
        ({"name": " "}, "name", "请填写姓名"),
        ({"profession": "astronaut"}, "profession", "请选择职业"),
    ],
)
def test_appointment_refusals_name_the_field(roster, overrides, field, message):
    with pytest.raises(ActionRefused, match=message) as error:
        services.mediator_appoint(
            actor=roster.manager, organisation=roster.organisation, court=roster.world.court, data=data(**overrides)
        )
    assert error.value.field == field and error.value.code == ActionRefused.INVALID
    assert not Mediator.objects.filter(name="孙律师").exists()


def test_appointment_refusals_of_people_and_places(roster, world):
    services.mediator_appoint(actor=roster.manager, organisation=roster.organisation, court=world.court, data=data())
    with pytest.raises(ActionRefused, match="孙律师（该电话号码）已在本院特邀调解员名册中"):
        services.mediator_appoint(
            actor=roster.manager, organisation=roster.organisation, court=world.court, data=data()
        )
    for actor in (world.alice, roster.other_manager, world.leader):
        with pytest.raises(ActionRefused) as error:
            services.mediator_appoint(
                actor=actor, organisation=roster.organisation, court=world.court, data=data(name="钱律师")
            )
        assert error.value.code == ActionRefused.PERMISSION
    with pytest.raises(ActionRefused, match="尚未被乙区人民法院吸纳"):
        services.mediator_appoint(
            actor=roster.manager, organisation=roster.organisation, court=world.other_court, data=data(name="钱律师")
        )
    stranger = UserFactory(organization=roster.other_chamber, roles=["mediator"])
    with pytest.raises(ActionRefused, match="登录账号须是该调解组织"):
        services.mediator_appoint(
            actor=roster.manager,
            organisation=roster.organisation,
            court=world.court,
            data=data(name="钱律师", user=stranger),
        )
    with pytest.raises(ActionRefused, match="该登录账号已对应本院名册中的另一位调解员"):
        services.mediator_appoint(
            actor=roster.manager,
            organisation=roster.organisation,
            court=world.court,
            data=data(name="钱律师", user=roster.user_for("王调解")),
        )


@pytest.mark.parametrize(
    "changes",
    [
        {"term_end": dt.date(2020, 1, 1)},
        {"takes_paid": False, "fee_standard": "每件500元"},
        {"takes_paid": True, "fee_standard": ""},
        {"status": "retired"},
        {"profession": "astronaut"},
    ],
)
def test_the_database_refuses_an_inconsistent_roster_entry(roster, changes):
    mediator = roster.mediators["王调解"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Mediator.objects.filter(pk=mediator.pk).update(**changes)


def test_update_keeps_the_term_and_leaves_the_phone_out_of_the_log(roster):
    mediator = roster.mediators["王调解"]
    updated = services.mediator_update(
        actor=roster.clerk,
        mediator=mediator,
        data=data(
            name="王调解",
            phone="13903790000",
            specialties=["labour"],
            term_end=dt.date(2099, 1, 1),
            training_record="2026年培训",
            user=mediator.user,
        ),
    )
    assert updated.term_end == mediator.term_end and updated.phone == "13903790000"
    assert list(updated.specialties.values_list("specialty", flat=True)) == ["labour"]
    event = AuditEvent.objects.filter(action="mediator_update", object_id=str(mediator.pk)).get()
    assert "培训记录" in event.summary and "专长领域" in event.summary and "13903790000" not in event.summary


# --- status ------------------------------------------------------------------------------------


def test_suspend_reinstate_remove(roster):
    mediator = roster.mediators["王调解"]
    with pytest.raises(ActionRefused, match="请填写暂停理由"):
        services.mediator_suspend(actor=roster.manager, mediator=mediator, reason="")
    services.mediator_suspend(actor=roster.manager, mediator=mediator, reason="病假")
    assert mediator.status == M.SUSPENDED and mediator.status_reason == "病假"
    with pytest.raises(ActionRefused, match="该调解员当前为“暂停”，不能“暂停”") as error:
        services.mediator_suspend(actor=roster.manager, mediator=mediator, reason="再次")
    assert error.value.code == ActionRefused.STATE
    services.mediator_reinstate(actor=roster.clerk, mediator=mediator)
    assert mediator.status == M.ACTIVE
    services.mediator_remove(actor=roster.clerk, mediator=mediator, reason="违反调解纪律")
    assert mediator.status == M.REMOVED
    with pytest.raises(ActionRefused, match="当前为“已解聘”，不能“续聘”"):
        services.mediator_renew(actor=roster.clerk, mediator=mediator, term_end=dt.date(2099, 1, 1))
    with pytest.raises(ActionRefused) as error:
        services.mediator_suspend(actor=roster.world.alice, mediator=mediator, reason="x")
    assert error.value.code == ActionRefused.PERMISSION


def test_an_expired_mediator_is_renewed_from_the_day_after_the_old_term(roster, time_machine):
    mediator = roster.mediators["王调解"]
    old_end = mediator.term_end
    time_machine.move_to(old_end + dt.timedelta(days=3))
    assert services.terms_sweep().expired == 1
    mediator.refresh_from_db()
    assert mediator.status == M.EXPIRED and mediator.status_reason == "任期届满"
    with pytest.raises(ActionRefused, match="新任期届满日期须晚于今天"):
        services.mediator_renew(actor=roster.clerk, mediator=mediator, term_end=old_end)
    services.mediator_renew(
        actor=roster.clerk,
        mediator=mediator,
        term_end=old_end + dt.timedelta(days=1000),
        appointment_number="甲中法〔2028〕9号",
    )
    assert mediator.status == M.ACTIVE and mediator.term_start == old_end + dt.timedelta(days=3)
    assert mediator.appointment_number == "甲中法〔2028〕9号"


# --- terms that end ----------------------------------------------------------------------------


def test_terms_are_reminded_60_and_30_days_before_once_each_and_then_expire(roster, time_machine):
    mediator = roster.mediators["王调解"]
    end = mediator.term_end
    recipients = {roster.manager.pk, roster.clerk.pk, mediator.user_id}

    def reminded() -> list[tuple[int, str]]:
        return sorted(
            Notification.objects.filter(dedup_key__startswith=f"mediation.term:{mediator.pk}:").values_list(
                "recipient_id", "dedup_key"
            )
        )

    assert services.terms_sweep(on=end - dt.timedelta(days=61)).reminded == 0
    assert services.terms_sweep(on=end - dt.timedelta(days=60)).reminded == 3
    assert services.terms_sweep(on=end - dt.timedelta(days=59)).reminded == 0
    assert {r for r, _ in reminded()} == recipients
    assert services.terms_sweep(on=end - dt.timedelta(days=30)).reminded == 3
    assert services.terms_sweep(on=end - dt.timedelta(days=12)).reminded == 0
    assert len(reminded()) == 6
    title = (
        Notification.objects.filter(recipient=roster.manager, dedup_key__endswith=f":30:{roster.manager.pk}")
        .get()
        .title
    )
    assert title == f"特邀调解员王调解的任期将于 {end} 届满（还有 30 天）"
    assert services.terms_sweep(on=end).expired == 0
    result = services.terms_sweep(on=end + dt.timedelta(days=1))
    assert result.expired == 1
    assert services.terms_sweep(on=end + dt.timedelta(days=2)).expired == 0
    mediator.refresh_from_db()
    assert mediator.status == M.EXPIRED
    event = AuditEvent.objects.filter(action="mediator_expire", object_id=str(mediator.pk)).get()
    assert event.actor is None and event.to_state == M.EXPIRED
    assert Notification.objects.filter(recipient=roster.manager, title__contains="已自动转为任期届满").exists()


def test_a_missed_day_still_reminds_within_the_window(roster):
    mediator = roster.mediators["王调解"]
    assert services.terms_sweep(on=mediator.term_end - dt.timedelta(days=40)).reminded == 3


def test_the_sweep_is_a_celery_task(roster, time_machine):
    time_machine.move_to(roster.mediators["王调解"].term_end + dt.timedelta(days=1))
    assert tasks.sweep_terms.delay().get() == {"expired": 1, "reminded": 0}
    assert tasks.sweep_terms.name == "mediation.tasks.sweep_terms"


def test_sessions_tomorrow_are_reminded_once(roster):
    case = roster.accepted()
    when = timezone.now() + dt.timedelta(hours=20)
    services.session_add(
        actor=roster.user_for("王调解"), case=case, scheduled_at=when, online_link="https://tiaojie.court.gov.cn/room/9"
    )
    assert services.sessions_remind(now=when - dt.timedelta(hours=30)) == 0
    assert services.sessions_remind(now=when - dt.timedelta(hours=20)) == 2  # the mediator and the manager
    assert tasks.remind_sessions.delay().get() == 0
    note = Notification.objects.get(recipient=roster.user_for("王调解"), dedup_key__startswith="mediation.session:")
    assert note.kind == "meeting" and "https://tiaojie.court.gov.cn/room/9" in note.body


def test_organisation_kind_is_mediation(roster):
    assert set(MediationOrganisation.objects.values_list("organization__kind", flat=True)) == {"mediation"}
    assert Organization.objects.filter(kind="mediation").count() == 2


def test_keeping_the_roster_is_refused_to_readers(roster, world):
    mediator = roster.mediators["王调解"]
    for actor in (world.alice, roster.other_manager, mediator.user):
        with pytest.raises(ActionRefused) as error:
            services.mediator_update(actor=actor, mediator=mediator, data=data(name="王调解"))
        assert error.value.code == ActionRefused.PERMISSION
        with pytest.raises(ActionRefused):
            services.mediator_link_add(actor=actor, mediator=mediator, party_name="某公司", relation="亲属")
    assert not mediator.links.exists()


def test_recording_a_link_needs_a_party_and_a_relation(roster, world):
    from cases import services as case_services

    from .conftest import credit_code

    mediator = roster.mediators["王调解"]
    with pytest.raises(ActionRefused, match="请填写关联关系"):
        services.mediator_link_add(actor=roster.manager, mediator=mediator, party_name="某公司", relation="")
    with pytest.raises(ActionRefused, match="请选择企业或填写当事人名称"):
        services.mediator_link_add(actor=roster.manager, mediator=mediator, relation="顾问")
    stranger = case_services.enterprise_register(
        actor=world.charlie,
        mechanism=world.other_mechanism,
        data=case_services.EnterpriseData(name="乙区某公司", credit_code=credit_code(998), size="small", industry="C"),
    )
    with pytest.raises(ActionRefused, match="企业须是本机制登记的企业"):
        services.mediator_link_add(actor=roster.manager, mediator=mediator, enterprise=stranger, relation="顾问")
    assert not mediator.links.exists()


def test_a_suspended_mediator_whose_term_ended_must_be_renewed(roster, time_machine):
    mediator = roster.mediators["王调解"]
    services.mediator_suspend(actor=roster.manager, mediator=mediator, reason="请假")
    time_machine.move_to(mediator.term_end + dt.timedelta(days=1))
    with pytest.raises(ActionRefused, match="任期已届满，请续聘"):
        services.mediator_reinstate(actor=roster.manager, mediator=mediator)
    assert services.terms_sweep().expired == 1
