"""The complaint lifecycle through the service layer: every step, and every refusal."""

import datetime as dt

import pytest

from cases import services
from cases.choices import ComplaintStatus as S
from cases.validators import parse_case_numbers
from liaison import deadlines
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Deadline, Notification

from ..factories import OrganizationFactory, UserFactory, mechanism_between


def status(complaint):
    complaint.refresh_from_db()
    return complaint.status


def test_the_full_lifecycle_from_filing_to_closing(cast):
    complaint = cast.file()
    assert complaint.status == S.DRAFT and complaint.serial.startswith(str(dt.date.today().year))
    services.complaint_submit(actor=cast.staff, complaint=complaint)
    review = deadlines.open_deadline(complaint, services.REVIEW)
    assert review.working_days == 5 and review.owner_organization == cast.world.federation
    services.complaint_start_review(actor=cast.reviewer, complaint=complaint)
    services.complaint_queue(actor=cast.reviewer, complaint=complaint)
    assert deadlines.open_deadline(complaint, services.REVIEW) is None
    [transfer] = services.complaints_transfer_batch(
        actor=cast.reviewer, complaints=[complaint], meeting_reference="2026年第四季度联席会议"
    )
    assert status(complaint) == S.TRANSFERRED
    assert transfer.number == f"{cast.world.mechanism.short_name}移〔{transfer.year}〕1号"
    assert deadlines.open_deadline(complaint, services.REGISTRATION).working_days == 3
    assert deadlines.open_deadline(complaint, services.FEEDBACK).working_days == 15
    assert Notification.objects.filter(recipient=cast.clerk, title__startswith="新移送诉求待登记").exists()
    services.complaint_register(
        actor=cast.clerk,
        complaint=complaint,
        registration_number="DJ-1",
        court_case_numbers=parse_case_numbers("(2021)豫03民初123号"),
        under_supervision=True,
    )
    assert complaint.court_case_numbers == "（2021）豫03民初123号" and complaint.under_supervision
    services.complaint_assign(actor=cast.clerk, complaint=complaint, department=cast.department, handler=cast.handler)
    assert deadlines.open_deadline(complaint, services.FEEDBACK).owner_user == cast.handler
    services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已于2026年11月开庭审理。")
    assert status(complaint) == S.ANSWERED and deadlines.open_deadline(complaint, services.FEEDBACK) is None
    services.complaint_close(actor=cast.staff, complaint=complaint)
    assert status(complaint) == S.CLOSED and complaint.closed_at
    actions = list(
        AuditEvent.objects.filter(object_id=str(complaint.pk), content_type__model="complaint").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "create",
        "submit",
        "start_review",
        "queue",
        "transfer_batch",
        "register",
        "assign",
        "answer",
        "close",
    ]


def test_reopen_sends_it_back_to_the_handler_with_a_new_deadline(cast):
    complaint = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已处理。")
    services.complaint_reopen(actor=cast.staff, complaint=complaint, reason="企业认为未解决实际问题")
    assert status(complaint) == S.ASSIGNED and complaint.reopen_count == 1
    assert deadlines.open_deadline(complaint, services.FEEDBACK).owner_user == cast.handler


def test_material_requests_pause_the_review_clock(cast, monkeypatch):
    complaint = cast.to_review()
    monkeypatch.setattr(deadlines, "today", lambda: dt.date(2026, 11, 23))
    review = deadlines.open_deadline(complaint, services.REVIEW)
    due = review.due_date
    services.complaint_request_material(actor=cast.reviewer, complaint=complaint, reason="请补充判决书")
    assert Deadline.objects.get(pk=review.pk).state == "paused"
    monkeypatch.setattr(deadlines, "today", lambda: dt.date(2026, 11, 26))  # 3 working days later
    services.complaint_supply_material(actor=cast.staff, complaint=complaint, note="已补充")
    review.refresh_from_db()
    assert review.state == "running" and review.extra_working_days == 3
    assert review.due_date > due


def test_the_court_can_return_and_the_federation_reroutes(cast):
    complaint = cast.transferred()
    services.complaint_court_return(actor=cast.clerk, complaint=complaint, reason="不属于本院管辖")
    assert status(complaint) == S.RETURNED
    other_court = OrganizationFactory(name="丁区人民法院", kind="court")
    mechanism_between(other_court, cast.world.federation)
    transfer = services.complaint_reroute(actor=cast.reviewer, complaint=complaint, court=other_court)
    complaint.refresh_from_db()
    assert complaint.court == other_court and complaint.status == S.TRANSFERRED
    assert transfer.court == other_court and cast.world.court in complaint.former_courts.all()
    # The first court still reads it (read-only), the new one can act.
    from cases.selectors import complaint_scope

    assert complaint_scope(cast.clerk).filter(pk=complaint.pk).exists()
    with pytest.raises(ActionRefused):
        services.complaint_register(actor=cast.clerk, complaint=complaint, registration_number="X")


def test_extension_once_approved_by_the_court_leader(cast):
    complaint = cast.assigned()
    due = deadlines.open_deadline(complaint, services.FEEDBACK).due_date
    services.complaint_request_extension(actor=cast.handler, complaint=complaint, reason="需调取外地证据")
    with pytest.raises(ActionRefused, match="审批延期"):
        services.complaint_decide_extension(actor=cast.clerk, complaint=complaint, approve=True)
    services.complaint_decide_extension(actor=cast.court_leader, complaint=complaint, approve=True)
    assert deadlines.open_deadline(complaint, services.FEEDBACK).due_date > due
    with pytest.raises(ActionRefused, match="只能申请一次"):
        services.complaint_request_extension(actor=cast.handler, complaint=complaint, reason="再延一次")


def test_case_review_no_error_needs_an_explanation(cast):
    complaint = cast.assigned()
    with pytest.raises(ActionRefused, match="释法析理"):
        services.case_review_record(actor=cast.handler, complaint=complaint, outcome="no_error")
    review = services.case_review_record(
        actor=cast.handler, complaint=complaint, outcome="no_error", explanation="原判认定事实清楚，已向企业释明。"
    )
    assert review.get_outcome_display() == "无错误，已释法析理"


def test_the_database_refuses_a_no_error_review_without_explanation(cast):
    from django.db import IntegrityError, transaction

    from cases.models import CaseReview

    complaint = cast.assigned()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseReview.objects.create(
            complaint=complaint,
            outcome="no_error",
            explanation="",
            reviewed_by=cast.handler,
            reviewed_at="2026-11-23T10:00:00+08:00",
        )


def test_withdraw_only_before_transfer(cast):
    complaint = cast.to_review()
    services.complaint_withdraw(actor=cast.staff, complaint=complaint, reason="企业已自行和解")
    assert status(complaint) == S.WITHDRAWN
    transferred = cast.transferred()
    with pytest.raises(ActionRefused):
        services.complaint_withdraw(actor=cast.staff, complaint=transferred, reason="x")


def test_it_warns_of_a_likely_duplicate(cast):
    first = cast.file()
    numbers = parse_case_numbers("(2021)豫03民初123号")
    assert services.likely_duplicates(enterprise=cast.enterprise, case_numbers=numbers) == [first]
    assert services.likely_duplicates(enterprise=cast.enterprise, case_numbers=numbers, exclude=first) == []
    services.complaint_withdraw(actor=cast.staff, complaint=first, reason="重复")
    assert services.likely_duplicates(enterprise=cast.enterprise, case_numbers=numbers) == []


@pytest.mark.parametrize(
    ("step", "who", "message"),
    [
        ("submit", "clerk", "只有受理的工商联"),
        ("submit", "outsider", "不是该机制的参与单位"),
        ("start_review", "staff", "权限"),
        ("register_draft", "clerk", "不能"),
        ("transfer_now_not_major", "reviewer", "只有重大事项"),
        ("decline_without_reason", "reviewer", "请填写"),
        ("answer_by_other_handler", "other_handler", "只有承办人本人"),
        ("close_by_court", "clerk", "只有受理的工商联"),
    ],
)
def test_it_refuses(cast, step, who, message):
    outsider = cast.world.charlie
    other_handler = UserFactory(organization=cast.world.court, roles=["court_handler"])
    actors = {
        "clerk": cast.clerk,
        "outsider": outsider,
        "staff": cast.staff,
        "reviewer": cast.reviewer,
        "other_handler": other_handler,
    }
    actor = actors[who]
    with pytest.raises(ActionRefused, match=message):
        if step == "submit":
            services.complaint_submit(actor=actor, complaint=cast.file())
        elif step == "start_review":
            complaint = cast.file()
            services.complaint_submit(actor=cast.staff, complaint=complaint)
            services.complaint_start_review(actor=actor, complaint=complaint)
        elif step == "register_draft":
            services.complaint_register(actor=actor, complaint=cast.file(), registration_number="X")
        elif step == "transfer_now_not_major":
            services.complaint_transfer_now(actor=actor, complaint=cast.to_review())
        elif step == "decline_without_reason":
            services.complaint_decline(actor=actor, complaint=cast.to_review(), reason="  ")
        elif step == "answer_by_other_handler":
            services.complaint_answer(actor=actor, complaint=cast.assigned(), answer="结果")
        elif step == "close_by_court":
            complaint = cast.assigned()
            services.complaint_answer(actor=cast.handler, complaint=complaint, answer="结果")
            services.complaint_close(actor=actor, complaint=complaint)


def test_a_higher_level_court_reads_but_cannot_act(cast):
    district = OrganizationFactory(name="下级法院", parent=cast.world.court)
    district_fed = OrganizationFactory(name="下级工商联", kind="federation", parent=cast.world.federation)
    mechanism = mechanism_between(district, district_fed)
    staff = UserFactory(organization=district_fed, roles=["federation_staff"])
    enterprise = services.enterprise_register(
        actor=staff,
        mechanism=mechanism,
        data=services.EnterpriseData(name="下级企业", credit_code="91350100M000100Y43", size="micro", industry="F"),
    )
    complaint = services.complaint_create(
        actor=staff,
        mechanism=mechanism,
        data=services.ComplaintData(
            enterprise=enterprise, court=district, kind="consultation", title="咨询", facts="事实", demands="诉求"
        ),
    )
    from cases.selectors import complaint_scope

    assert complaint_scope(cast.reviewer).filter(pk=complaint.pk).exists()  # the city federation reads it
    with pytest.raises(ActionRefused, match="不是该机制的参与单位"):
        services.complaint_submit(actor=cast.reviewer, complaint=complaint)


def test_the_court_does_not_see_complaints_before_transfer(cast):
    from cases.selectors import complaint_scope

    draft = cast.file()
    assert not complaint_scope(cast.clerk).filter(pk=draft.pk).exists()
    assert complaint_scope(cast.staff).filter(pk=draft.pk).exists()


def test_enterprise_codes_are_unique_within_a_mechanism(cast):
    with pytest.raises(ActionRefused, match="已登记"):
        services.enterprise_register(
            actor=cast.staff,
            mechanism=cast.world.mechanism,
            data=services.EnterpriseData(name="另一家", credit_code="91350100m000100y43", size="small", industry="C"),
        )


def test_transfer_numbers_run_per_mechanism_and_year_without_gaps(cast):
    numbers = []
    for _ in range(3):
        transfer = services.complaint_transfer_now(
            actor=cast.reviewer, complaint=cast.to_review(is_major=True, major_reason="重大")
        )
        numbers.append(transfer.sequence)
    assert numbers == [1, 2, 3]
