"""The mediation case lifecycle through the service layer: every step, every refusal, the database's guards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison import deadlines
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Notification
from mediation import services
from mediation.choices import TIME_LIMIT_KIND
from mediation.choices import CaseStatus as S
from mediation.choices import Confirmation as C
from mediation.models import MediationCase, MediationDecline

from ..factories import UserFactory


def status(case: MediationCase) -> str:
    case.refresh_from_db()
    return case.status


def actions(case: MediationCase) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(case.pk), content_type__model="mediationcase").values_list(
            "action", flat=True
        )
    )


def test_the_full_lifecycle_from_referral_to_judicial_confirmation(roster):
    case = roster.refer()
    assert case.status == S.REFERRED and case.serial.startswith(f"调{timezone.localdate().year}-")
    assert case.time_limit_days == 30 and case.due_date == timezone.localdate() + dt.timedelta(days=30)
    assert Notification.objects.filter(recipient=roster.manager, title__startswith="新调解案件待指派").exists()
    mediator = roster.mediators["王调解"]
    services.case_assign(actor=roster.manager, case=case, mediator=mediator)
    assert status(case) == S.ASSIGNED and case.mediator == mediator
    assert Notification.objects.filter(recipient=mediator.user, title__startswith="调解案件已指派给您").exists()
    assert deadlines.open_deadline(case, TIME_LIMIT_KIND).owner_user == mediator.user
    services.case_accept(actor=mediator.user, case=case)
    services.session_add(
        actor=mediator.user,
        case=case,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        online_link="https://tiaojie.court.gov.cn/room/1",
    )
    assert status(case) == S.IN_PROGRESS and case.started_at
    assert Notification.objects.filter(
        recipient=roster.manager, kind="meeting", body__contains="https://tiaojie.court.gov.cn/room/1"
    ).exists()
    services.case_record_agreement(
        actor=mediator.user, case=case, agreement_text="分期支付货款。", agreement_amount=Decimal("120000")
    )
    assert status(case) == S.AGREEMENT and case.closed_on == timezone.localdate()
    assert case.duration_days == 0 and case.in_time is True
    assert deadlines.open_deadline(case, TIME_LIMIT_KIND) is None
    services.confirmation_request(actor=roster.manager, case=case)
    assert Notification.objects.filter(recipient=roster.clerk, title__startswith="司法确认申请待审查").exists()
    services.confirmation_decide(actor=roster.clerk, case=case, confirmed=True)
    case.refresh_from_db()
    assert case.confirmation == C.CONFIRMED and case.confirmation_decided_at
    assert actions(case) == [
        "refer",
        "assign",
        "accept",
        "start",
        "session",
        "agree",
        "request_confirmation",
        "confirm",
    ]


def test_a_decline_sends_the_case_back_for_reassignment_and_the_decliner_is_left_out(roster):
    roster.appoint("李调解", specialties=("contracts",))
    case = roster.assigned("王调解")
    services.case_decline(actor=roster.user_for("王调解"), case=case, reason="与申请人代理律师系同事")
    case.refresh_from_db()
    assert case.status == S.REFERRED and case.mediator is None and case.assigned_at is None
    assert MediationDecline.objects.get(case=case).reason == "与申请人代理律师系同事"
    assert Notification.objects.filter(recipient=roster.manager, title__startswith="调解员拒绝指派").exists()
    assert deadlines.open_deadline(case, TIME_LIMIT_KIND).owner_user == roster.manager
    with pytest.raises(ActionRefused, match="已于 .* 拒绝本案：与申请人代理律师系同事"):
        services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators["王调解"])
    services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators["李调解"])
    assert status(case) == S.ASSIGNED


def test_failure_goes_back_to_the_court_for_filing_and_the_court_is_told(roster):
    case = roster.in_progress()
    services.case_record_failure(actor=roster.user_for("王调解"), case=case, reason="双方对金额分歧较大")
    assert status(case) == S.FAILED and case.failure_reason == "双方对金额分歧较大"
    told = Notification.objects.filter(recipient=roster.clerk, title__startswith="调解不成，请依法转立案")
    assert told.exists() and told.first().body == "双方对金额分歧较大"


def test_the_court_or_the_manager_can_withdraw_an_open_case(roster):
    first = roster.assigned()
    services.case_withdraw(actor=roster.clerk, case=first, reason="当事人撤回申请")
    assert status(first) == S.WITHDRAWN and first.in_time is True
    assert deadlines.open_deadline(first, TIME_LIMIT_KIND) is None
    second = roster.refer()
    services.case_withdraw(actor=roster.manager, case=second, reason="已自行和解")
    assert status(second) == S.WITHDRAWN


def test_the_court_may_refuse_confirmation_with_a_reason(roster):
    case = roster.agreed()
    services.confirmation_request(actor=roster.user_for("王调解"), case=case)
    with pytest.raises(ActionRefused, match="请填写不予确认的理由"):
        services.confirmation_decide(actor=roster.clerk, case=case, confirmed=False)
    services.confirmation_decide(actor=roster.handler, case=case, confirmed=False, note="协议内容损害案外人利益")
    case.refresh_from_db()
    assert case.confirmation == C.REFUSED and case.confirmation_note == "协议内容损害案外人利益"


def test_a_chamber_takes_an_application_itself(roster):
    case = roster.refer(source="chamber")
    assert case.source == "chamber" and case.referred_by == roster.manager and case.time_limit_days == 30


def test_an_entrusted_case_has_a_case_number_and_fifteen_days(roster):
    case = roster.refer(source="entrusted", case_number="(2026)豫03民初123号", actor=roster.handler)
    assert case.case_number == "（2026）豫03民初123号" and case.time_limit_days == 15
    assert case.due_date == timezone.localdate() + dt.timedelta(days=15)


# --- refusals ------------------------------------------------------------------------------------


def test_referral_refusals(roster):
    with pytest.raises(ActionRefused, match="委派、委托调解由人民法院") as error:
        roster.refer(actor=roster.manager)
    assert error.value.code == ActionRefused.PERMISSION
    with pytest.raises(ActionRefused, match="商会受理的调解申请由该调解组织的调解管理员登记"):
        roster.refer(source="chamber", actor=roster.clerk)
    with pytest.raises(ActionRefused, match="商会受理的调解申请由该调解组织的调解管理员登记"):
        roster.refer(source="chamber", actor=roster.other_manager)
    with pytest.raises(ActionRefused, match="请填写案号") as error:
        roster.refer(source="entrusted")
    assert error.value.field == "case_number"
    with pytest.raises(ActionRefused, match="案号格式不正确"):
        roster.refer(source="entrusted", case_number="2026民初1号")
    with pytest.raises(ActionRefused, match="只有委托调解（立案后）才填写案号"):
        roster.refer(case_number="（2026）豫03民初123号")
    with pytest.raises(ActionRefused, match="请至少填写一位申请人和一位被申请人"):
        roster.refer(respondent="")
    other_outsider = UserFactory(organization=roster.world.other_court, roles=["court_clerk"])
    with pytest.raises(ActionRefused, match="委派、委托调解由人民法院"):
        roster.refer(actor=other_outsider)
    assert MediationCase.objects.count() == 0


def test_referral_refuses_an_organisation_the_court_has_not_admitted(roster, world):
    from mediation.models import Admission

    Admission.objects.filter(organisation=roster.other_organisation).update(is_active=False)
    with pytest.raises(ActionRefused, match="不是甲市中级人民法院的特邀调解组织"):
        roster.refer(organisation=roster.other_organisation)


def test_referral_refuses_an_enterprise_of_another_mechanism(roster, world):
    from cases import services as case_services

    from .conftest import credit_code

    stranger = case_services.enterprise_register(
        actor=world.charlie,
        mechanism=world.other_mechanism,
        data=case_services.EnterpriseData(name="乙区某公司", credit_code=credit_code(999), size="small", industry="C"),
    )
    with pytest.raises(ActionRefused, match="关联的企业不属于本机制"):
        roster.refer(applicant=stranger)


@pytest.mark.parametrize(
    "who, message",
    [
        ("mediator", "您没有“指派调解员”的权限"),  # on the organisation's side, without the manager role
        ("other_manager", "只有承办调解组织的调解管理员才能“指派调解员”"),
        ("clerk", "只有承办调解组织的调解管理员才能“指派调解员”"),
    ],
)
def test_only_the_organisations_manager_assigns(roster, who, message):
    case = roster.refer()
    actor = roster.user_for("王调解") if who == "mediator" else getattr(roster, who)
    with pytest.raises(ActionRefused, match=message) as error:
        services.case_assign(actor=actor, case=case, mediator=roster.mediators["王调解"])
    assert error.value.code == ActionRefused.PERMISSION
    assert status(case) == S.REFERRED


def test_a_chamber_colleague_without_the_manager_role_cannot_assign(roster):
    colleague = UserFactory(organization=roster.chamber, roles=["mediator"])
    case = roster.refer()
    with pytest.raises(ActionRefused, match="您没有“指派调解员”的权限"):
        services.case_assign(actor=colleague, case=case, mediator=roster.mediators["王调解"])


def test_assignment_refuses_mediators_outside_the_roster_or_not_active(roster, world):
    case = roster.refer()
    other = roster.appoint("赵调解")
    services.mediator_suspend(actor=roster.manager, mediator=other, reason="请假")
    with pytest.raises(ActionRefused, match="调解员赵调解当前为“暂停”，不能指派"):
        services.case_assign(actor=roster.manager, case=case, mediator=other)
    future = roster.appoint("钱调解", term_start=deadlines.today() + dt.timedelta(days=10))
    with pytest.raises(ActionRefused, match="钱调解不在任期内"):
        services.case_assign(actor=roster.manager, case=case, mediator=future)


def test_only_the_assigned_mediator_accepts_or_declines(roster):
    roster.appoint("李调解")
    case = roster.assigned("王调解")
    for actor in (roster.user_for("李调解"), roster.manager, roster.clerk):
        with pytest.raises(ActionRefused, match="只有被指派的调解员才能“接受指派”"):
            services.case_accept(actor=actor, case=case)
        with pytest.raises(ActionRefused, match="只有被指派的调解员才能“拒绝指派”"):
            services.case_decline(actor=actor, case=case, reason="忙")
    with pytest.raises(ActionRefused, match="请填写拒绝理由"):
        services.case_decline(actor=roster.user_for("王调解"), case=case, reason="  ")
    assert status(case) == S.ASSIGNED


def test_a_refusal_from_the_wrong_state_names_who_moved_it(roster):
    case = roster.accepted()
    stale = MediationCase.objects.get(pk=case.pk)
    stale.status = S.ASSIGNED  # what a second browser tab still shows
    with pytest.raises(
        ActionRefused, match=r"该调解案件已由 .*（.*）于 .* 接受指派，当前状态为“已接受”，不能再“接受指派”"
    ) as error:
        services.case_accept(actor=roster.user_for("王调解"), case=stale)
    assert error.value.code == ActionRefused.STATE


def test_a_late_decline_does_not_undo_a_later_assignment(roster):
    roster.appoint("李调解")
    case = roster.assigned("王调解")
    seen_by_wang = MediationCase.objects.select_related("mediator").get(pk=case.pk)
    services.case_decline(actor=roster.user_for("王调解"), case=case, reason="出差")
    services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators["李调解"])
    seen_by_wang.mediator = roster.mediators["王调解"]
    with pytest.raises(ActionRefused):
        services.case_decline(actor=roster.user_for("王调解"), case=seen_by_wang, reason="再次拒绝")
    case.refresh_from_db()
    assert case.status == S.ASSIGNED and case.mediator.name == "李调解"


def test_outcomes_need_the_right_state_and_text(roster):
    case = roster.accepted()
    with pytest.raises(ActionRefused, match="于 .* 接受指派，当前状态为“已接受”，不能再“达成调解协议”"):
        services.case_record_agreement(actor=roster.user_for("王调解"), case=case, agreement_text="协议")
    services.session_add(actor=roster.user_for("王调解"), case=case, scheduled_at=timezone.now(), place="调解室")
    with pytest.raises(ActionRefused, match="请填写调解协议内容"):
        services.case_record_agreement(actor=roster.user_for("王调解"), case=case, agreement_text="")
    with pytest.raises(ActionRefused, match="协议金额不能为负数"):
        services.case_record_agreement(
            actor=roster.user_for("王调解"), case=case, agreement_text="协议", agreement_amount=Decimal("-1")
        )
    with pytest.raises(ActionRefused, match="请填写调解不成的原因"):
        services.case_record_failure(actor=roster.user_for("王调解"), case=case, reason="")
    with pytest.raises(ActionRefused, match="只有承办调解组织的调解管理员或被指派的调解员才能“达成调解协议”"):
        services.case_record_agreement(actor=roster.clerk, case=case, agreement_text="协议")
    assert status(case) == S.IN_PROGRESS


def test_sessions_need_a_place_or_a_link_and_an_accepted_case(roster):
    case = roster.assigned()
    mediator = roster.user_for("王调解")
    with pytest.raises(ActionRefused, match="调解员接受指派后、结案前才能安排调解"):
        services.session_add(actor=mediator, case=case, scheduled_at=timezone.now(), place="调解室")
    services.case_accept(actor=mediator, case=case)
    with pytest.raises(ActionRefused, match="请填写调解地点或在线调解链接"):
        services.session_add(actor=mediator, case=case, scheduled_at=timezone.now())
    with pytest.raises(ActionRefused, match="在线调解链接须是以 https:// 或 http:// 开头的网址"):
        services.session_add(actor=mediator, case=case, scheduled_at=timezone.now(), online_link="javascript:alert(1)")
    with pytest.raises(ActionRefused, match="只有承办调解组织的调解管理员或被指派的调解员才能“安排或记录调解”"):
        services.session_add(actor=roster.clerk, case=case, scheduled_at=timezone.now(), place="调解室")
    assert status(case) == S.ACCEPTED and not case.sessions.exists()


def test_confirmation_refusals(roster):
    case = roster.in_progress()
    with pytest.raises(ActionRefused, match="只有达成调解协议的案件才能申请或审查司法确认"):
        services.confirmation_request(actor=roster.manager, case=case)
    services.case_record_agreement(actor=roster.user_for("王调解"), case=case, agreement_text="协议")
    with pytest.raises(ActionRefused, match="只有承办调解组织的调解管理员或被指派的调解员才能“申请司法确认”"):
        services.confirmation_request(actor=roster.clerk, case=case)
    with pytest.raises(ActionRefused, match="^当前状态为“未申请司法确认”，不能“司法确认”。$"):
        services.confirmation_decide(actor=roster.clerk, case=case, confirmed=True)
    services.confirmation_request(actor=roster.manager, case=case)
    with pytest.raises(ActionRefused, match="只有受理法院才能“司法确认”"):
        services.confirmation_decide(actor=roster.manager, case=case, confirmed=True)
    with pytest.raises(ActionRefused, match="不能再“申请司法确认”"):
        services.confirmation_request(actor=roster.manager, case=case)


def test_allowed_actions_follow_the_side_and_the_state(roster):
    case = roster.refer()
    assert services.allowed_actions(roster.manager, case) == ["assign", "withdraw"]
    assert services.allowed_actions(roster.clerk, case) == ["withdraw"]
    assert services.allowed_actions(roster.world.alice, case) == []
    services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators["王调解"])
    assert services.allowed_actions(roster.user_for("王调解"), case) == ["accept", "decline", "extend"]
    services.case_accept(actor=roster.user_for("王调解"), case=case)
    assert services.allowed_actions(roster.user_for("王调解"), case) == ["fail", "session", "extend"]


# --- the time limit ------------------------------------------------------------------------------


def test_the_time_limit_is_in_calendar_days_and_its_deadline_falls_on_the_last_working_day(roster, time_machine):
    time_machine.move_to("2026-09-10 09:00 +08:00", tick=False)  # 30 days later is Saturday 10 October...
    case = roster.refer()
    assert case.due_date == dt.date(2026, 10, 10)  # ...a make-up working day in 2026
    deadline = deadlines.open_deadline(case, TIME_LIMIT_KIND)
    assert deadline.due_date == dt.date(2026, 10, 10)
    time_machine.move_to("2026-09-05 09:00 +08:00", tick=False)  # 30 days later: Monday 5 October, a holiday
    other = roster.refer(title="另一件纠纷")
    assert other.due_date == dt.date(2026, 10, 5)
    assert deadlines.open_deadline(other, TIME_LIMIT_KIND).due_date == dt.date(2026, 9, 30)  # last working day before


def test_an_extension_needs_both_parties_consent_and_moves_the_limit(roster):
    case = roster.accepted()
    mediator = roster.user_for("王调解")
    due = case.due_date
    for applicant, respondent in [(True, False), (False, True), (False, False)]:
        with pytest.raises(ActionRefused, match="延长调解期限须经双方当事人同意") as error:
            services.case_extend(
                actor=mediator,
                case=case,
                days=10,
                reason="核对账目",
                applicant_consent=applicant,
                respondent_consent=respondent,
                consent_note="书面同意",
            )
        assert error.value.field == "consent"
    with pytest.raises(ActionRefused, match="延长天数须在 1 至 90 天之间"):
        services.case_extend(
            actor=mediator,
            case=case,
            days=0,
            reason="核对账目",
            applicant_consent=True,
            respondent_consent=True,
            consent_note="书面同意",
        )
    with pytest.raises(ActionRefused, match="请填写双方同意的方式"):
        services.case_extend(
            actor=mediator,
            case=case,
            days=10,
            reason="核对账目",
            applicant_consent=True,
            respondent_consent=True,
            consent_note="",
        )
    deadline_due = deadlines.open_deadline(case, TIME_LIMIT_KIND).due_date
    extension = services.case_extend(
        actor=mediator,
        case=case,
        days=10,
        reason="核对账目",
        applicant_consent=True,
        respondent_consent=True,
        consent_note="双方签署书面同意书",
    )
    case.refresh_from_db()
    assert case.due_date == due + dt.timedelta(days=10) and case.extended_days == 10
    assert extension.old_due == due and extension.new_due == case.due_date
    assert deadlines.open_deadline(case, TIME_LIMIT_KIND).due_date > deadline_due
    assert deadlines.open_deadline(case, TIME_LIMIT_KIND).due_date <= case.due_date
    assert "extend" in actions(case)


def test_an_extension_from_a_stale_page_is_refused(roster):
    case = roster.accepted()
    stale = MediationCase.objects.get(pk=case.pk)
    mediator = roster.user_for("王调解")
    services.case_extend(
        actor=mediator,
        case=case,
        days=5,
        reason="a",
        applicant_consent=True,
        respondent_consent=True,
        consent_note="书面",
    )
    with pytest.raises(ActionRefused, match="调解期限刚被他人修改"):
        services.case_extend(
            actor=mediator,
            case=stale,
            days=5,
            reason="b",
            applicant_consent=True,
            respondent_consent=True,
            consent_note="书面",
        )
    case.refresh_from_db()
    assert case.extended_days == 5


def test_reminders_come_before_and_at_the_limit(roster, time_machine):
    from liaison import reminders

    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    case = roster.assigned()  # due 2026-12-02 (Wednesday), reminded to the mediator
    user = roster.user_for("王调解")
    reminders.sweep(on=dt.date(2026, 11, 27))  # Friday: 3 working days before
    reminders.sweep(on=dt.date(2026, 12, 2))
    reminders.sweep(on=dt.date(2026, 12, 3))
    titles = list(
        Notification.objects.filter(recipient=user, kind__in=["due_soon", "due_today", "overdue"])
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles == [
        f"调解期限还剩 3 个工作日（2026-12-02 到期）：{case.serial} {case.title}",
        f"调解期限今日到期：{case.serial} {case.title}",
        f"调解期限已逾期（2026-12-02 到期）：{case.serial} {case.title}",
    ]


# --- the database's own guards -------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"status": S.AGREEMENT, "agreement_text": "", "closed_on": dt.date(2026, 1, 1)},
        {"status": S.FAILED, "failure_reason": "", "closed_on": dt.date(2026, 1, 1)},
        {"confirmation": C.REQUESTED},
        {"status": S.ASSIGNED, "mediator": None},
        {"case_number": "（2026）豫03民初1号"},
        {"source": "entrusted"},
        {"amount": Decimal("-1")},
        {"status": "lost"},
        {"status": S.WITHDRAWN},  # no closing date
    ],
)
def test_the_database_refuses_inconsistent_cases(roster, changes):
    case = roster.refer()
    with pytest.raises(IntegrityError), transaction.atomic():
        MediationCase.objects.filter(pk=case.pk).update(**changes)


def test_the_database_refuses_an_extension_without_both_consents(roster):
    from mediation.models import MediationExtension

    case = roster.accepted()
    with pytest.raises(IntegrityError), transaction.atomic():
        MediationExtension.objects.create(
            case=case,
            days=5,
            reason="r",
            applicant_consent=True,
            respondent_consent=False,
            consent_note="口头",
            old_due=case.due_date,
            new_due=case.due_date + dt.timedelta(days=5),
            recorded_by=roster.manager,
        )


def test_withdrawal_and_extension_refusals(roster):
    case = roster.accepted()
    # The mediator stands on the organisation's side but without the manager role.
    with pytest.raises(ActionRefused, match="您没有“撤回调解”的权限"):
        services.case_withdraw(actor=roster.user_for("王调解"), case=case, reason="当事人撤回")
    with pytest.raises(ActionRefused, match="只有受理法院或承办调解组织的调解管理员才能“撤回调解”"):
        services.case_withdraw(actor=roster.world.alice, case=case, reason="当事人撤回")
    with pytest.raises(ActionRefused, match="请填写撤回理由"):
        services.case_withdraw(actor=roster.manager, case=case, reason="")
    services.session_add(actor=roster.user_for("王调解"), case=case, scheduled_at=timezone.now(), place="调解室")
    services.case_record_agreement(actor=roster.user_for("王调解"), case=case, agreement_text="和解")
    with pytest.raises(ActionRefused, match="当前状态为“达成协议”，不能延长调解期限") as error:
        services.case_extend(
            actor=roster.manager,
            case=case,
            days=5,
            reason="r",
            applicant_consent=True,
            respondent_consent=True,
            consent_note="书面",
        )
    assert error.value.code == ActionRefused.STATE
    with pytest.raises(ActionRefused, match="不能再“撤回调解”"):
        services.case_withdraw(actor=roster.manager, case=case, reason="撤回")
    with pytest.raises(ActionRefused, match="只有承办调解组织的调解管理员或被指派的调解员才能“延长调解期限”"):
        services.case_extend(
            actor=roster.clerk,
            case=case,
            days=5,
            reason="r",
            applicant_consent=True,
            respondent_consent=True,
            consent_note="书面",
        )
