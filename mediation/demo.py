"""Demo mediation for Luoyang: two chamber mediation organisations admitted by the intermediate
court, twenty invited mediators (varied specialties and terms: some ending soon, one expired, one
suspended), and cases in every state, assigned through the ranking as a manager would.

Everything goes through the services, so the audit log, deadlines and notifications are the
real ones; some dates are then moved back so that durations, monthly figures, due-soon and
overdue show. Idempotent: organisations are found by name, mediators by court and name, cases by
title.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases.models import Enterprise
from liaison import deadlines
from liaison.choices import DeadlineState
from liaison.demo import history
from liaison.demo.institutions import PASSWORD
from liaison.models import Deadline, Mechanism, Organization, RoleAssignment, User
from liaison.workdays import WorkingCalendar

from . import services
from .choices import TIME_LIMIT_KIND
from .models import Admission, MediationCase, MediationOrganisation, Mediator
from .ranking import rank_candidates

COURT = "洛阳市中级人民法院"
CHAMBER = "洛阳市民营企业商会"
FEDERATION = "洛阳市工商业联合会"
MECHANISM = "洛阳法院·工商联"

# key: (name, short name, runner, admission number, admission date, address)
ORGANISATIONS = {
    "A": (
        "洛阳市民营企业商会调解委员会",
        "民企商会调委会",
        CHAMBER,
        "洛中法〔2021〕88号",
        dt.date(2021, 10, 15),
        "洛阳市洛龙区开元大道218号",
    ),
    "B": (
        "洛阳市工商联商会调解中心",
        "工商联调解中心",
        FEDERATION,
        "洛中法〔2022〕17号",
        dt.date(2022, 3, 1),
        "洛阳市西工区凯旋东路66号",
    ),
}

# (name, organisation, profession, specialties, languages, fee standard or "", term ends in N days, username)
# Only 吴海涛 (the demo user `mediator`) mediates foreign-related disputes.
MEDIATORS = [
    ("吴海涛", "A", "lawyer", ["international", "contracts", "finance"], "普通话、英语", "", 640, "mediator"),
    ("王建华", "A", "retired_judge", ["contracts", "construction"], "普通话", "", 420, None),
    ("李淑芬", "A", "accountant", ["finance", "bankruptcy"], "普通话", "按标的额0.5%收取，最低500元", 25, None),
    ("张卫国", "A", "industry_expert", ["construction"], "普通话", "", 510, None),
    ("刘晓明", "A", "lawyer", ["intellectual_property", "corporate"], "普通话、英语", "每件2000元", 380, None),
    ("陈丽", "A", "lawyer", ["labour", "contracts"], "普通话", "", 58, None),
    ("杨志刚", "A", "chamber_staff", ["contracts", "other"], "普通话", "", 700, None),
    ("赵红梅", "A", "accountant", ["finance", "corporate"], "普通话", "", 12, None),
    ("孙建军", "A", "retired_judge", ["bankruptcy", "corporate"], "普通话", "", -20, None),
    ("周涛", "A", "industry_expert", ["intellectual_property"], "普通话", "", 300, None),
    ("郑国强", "B", "retired_judge", ["contracts", "construction"], "普通话", "", 560, None),
    ("马丽娟", "B", "lawyer", ["finance", "contracts"], "普通话", "按标的额1%收取，最高2万元", 45, None),
    ("胡斌", "B", "lawyer", ["corporate", "bankruptcy"], "普通话", "", 610, None),
    ("郭静", "B", "accountant", ["finance"], "普通话", "", 470, None),
    ("何志远", "B", "industry_expert", ["construction"], "普通话", "", 820, None),
    ("高翔", "B", "lawyer", ["intellectual_property"], "普通话、英语", "", 390, None),
    ("林芳", "B", "lawyer", ["labour", "contracts"], "普通话、粤语", "", 680, None),
    ("罗建平", "B", "scholar", ["corporate", "contracts"], "普通话", "", 530, None),
    ("梁晓东", "B", "arbitrator", ["contracts", "finance"], "普通话", "每小时800元", 250, None),
    ("宋雅琴", "B", "lawyer", ["labour", "other"], "普通话", "", 440, None),
]
SUSPENDED = ("周涛", "因个人原因申请暂停接案三个月")

# (title, source, dispute type, applicant, respondent, target, days back, case number)
# A party in 【】 is a demo enterprise (a member of 洛阳市民营企业商会), others are plain names.
CASES = [
    (
        "设备买卖合同尾款纠纷",
        "delegated",
        "contracts",
        "【洛阳中重机械制造有限公司】",
        "郑州恒达贸易有限公司",
        "referred",
        0,
        "",
    ),
    (
        "工程分包款结算纠纷",
        "delegated",
        "construction",
        "信阳宏基劳务有限公司",
        "【洛阳瀍河建筑工程有限公司】",
        "referred",
        26,
        "",
    ),
    ("门面转让合同纠纷", "delegated", "contracts", "李某某", "洛阳某餐饮管理有限公司", "declined", 3, ""),
    (
        "原材料供货货款纠纷",
        "delegated",
        "contracts",
        "洛阳某钢材贸易有限公司",
        "洛阳某机电设备有限公司",
        "assigned",
        2,
        "",
    ),
    (
        "商标许可使用费纠纷",
        "entrusted",
        "intellectual_property",
        "【洛阳牡丹生物科技有限公司】",
        "上海某商贸有限公司",
        "accepted",
        4,
        "（2026）豫03知民初45号",
    ),
    ("民间借贷纠纷", "delegated", "finance", "王某某", "【洛阳洛龙商贸有限公司】", "in_progress", 8, ""),
    (
        "厂房租赁合同纠纷",
        "chamber",
        "contracts",
        "【洛阳伊滨新材料科技有限公司】",
        "洛阳某物业管理有限公司",
        "extended",
        25,
        "",
    ),
    ("运输合同运费纠纷", "delegated", "contracts", "洛阳某物流有限公司", "洛阳某建材有限公司", "overdue", 36, ""),
    ("股东出资纠纷", "delegated", "corporate", "赵某某", "洛阳某科技发展有限公司", "agreement", 75, ""),
    (
        "买卖合同质量异议纠纷",
        "delegated",
        "contracts",
        "【洛阳中重机械制造有限公司】",
        "山西某煤业有限公司",
        "requested",
        20,
        "",
    ),
    (
        "建设工程施工合同纠纷",
        "entrusted",
        "construction",
        "洛阳某建设集团有限公司",
        "【洛阳瀍河建筑工程有限公司】",
        "confirmed",
        62,
        "（2026）豫03民初210号",
    ),
    ("劳务派遣费用纠纷", "delegated", "labour", "洛阳某人力资源有限公司", "洛阳某食品有限公司", "refused", 48, ""),
    ("融资租赁合同纠纷", "delegated", "finance", "洛阳某融资租赁有限公司", "洛阳某运输有限公司", "failed", 95, ""),
    (
        "技术服务合同纠纷",
        "delegated",
        "intellectual_property",
        "洛阳某软件有限公司",
        "洛阳某医药有限公司",
        "withdrawn",
        33,
        "",
    ),
    ("加盟合同返还加盟费纠纷", "chamber", "contracts", "孙某某", "洛阳某餐饮连锁有限公司", "failed_late", 130, ""),
    ("仓储合同纠纷", "delegated", "contracts", "洛阳某仓储有限公司", "洛阳某农产品有限公司", "agreement", 160, ""),
]


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    mechanism = mechanisms[MECHANISM]
    court = organizations[COURT]
    clerk, handler, manager = users["court_clerk"], users["court_handler"], users["mediation_manager"]
    actors = {CHAMBER: manager, FEDERATION: users["fed_staff"]}
    organisations = {}
    for key, (name, short, runner, number, admitted_on, address) in ORGANISATIONS.items():
        organisation = MediationOrganisation.objects.filter(organization__name=name).first()
        if organisation is None:
            organisation = services.organisation_register(
                actor=actors[runner],
                data=services.OrganisationData(
                    name=name,
                    short_name=short,
                    run_by=organizations[runner],
                    address=address,
                    phone="0379-63901234",
                    description="吸纳商会会员企业中的法律、财会和行业专业人士，为民营企业提供诉前调解服务。",
                ),
            )
        if not Admission.objects.filter(organisation=organisation, court=court).exists():
            services.organisation_admit(
                actor=clerk,
                organisation=organisation,
                mechanism=mechanism,
                document_number=number,
                admitted_on=admitted_on,
            )
        organisations[key] = organisation
    mediators = _mediators(court, organisations, clerk, users)
    _cases(court, mechanism, organisations["A"], mediators, clerk=clerk, handler=handler, manager=manager)


def _account(username: str, full_name: str, organization: Organization) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "organization": organization,
            "title": "特邀调解员",
            "email": f"{username}@demo.liaison.local",
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role="mediator")
    return user


def _mediators(
    court: Organization, organisations: dict[str, MediationOrganisation], clerk: User, users: dict[str, User]
) -> dict[str, Mediator]:
    today = deadlines.today()
    result = {}
    for index, (name, key, profession, specialties, languages, fee, ends_in, username) in enumerate(MEDIATORS, 1):
        mediator = Mediator.objects.filter(court=court, name=name).first()
        if mediator is None:
            organisation = organisations[key]
            account = (
                users[username] if username else _account(f"ly_mediator{index:02d}", name, organisation.organization)
            )
            expired = ends_in < 0
            mediator = services.mediator_appoint(
                actor=clerk,
                organisation=organisation,
                court=court,
                data=services.MediatorData(
                    name=name,
                    profession=profession,
                    phone=f"1390379{index:04d}",
                    languages=languages,
                    specialties=specialties,
                    term_start=today - dt.timedelta(days=3 * 365 - max(ends_in, 0)),
                    term_end=today + dt.timedelta(days=ends_in if not expired else 1),
                    appointment_number=f"洛中法〔{today.year - 2}〕{30 + index}号",
                    training_record=f"{today.year - 1}年参加全市法院特邀调解员业务培训（16学时）；"
                    f"{today.year}年参加商事调解实务研讨。",
                    takes_paid=bool(fee),
                    fee_standard=fee,
                    user=account,
                ),
            )
            if expired:
                # A term that has ended: the daily sweep moves the mediator to expired by itself.
                Mediator.objects.filter(pk=mediator.pk).update(term_end=today + dt.timedelta(days=ends_in))
                mediator.refresh_from_db()
                services.mediator_expire(mediator=mediator, on=today)
            if name == SUSPENDED[0]:
                services.mediator_suspend(actor=clerk, mediator=mediator, reason=SUSPENDED[1])
            if name == "王建华":
                enterprise = Enterprise.objects.filter(
                    mechanism_id=mediator.mechanism_id, name="洛阳瀍河建筑工程有限公司"
                ).first()
                services.mediator_link_add(
                    actor=clerk,
                    mediator=mediator,
                    enterprise=enterprise,
                    party_name="" if enterprise else "洛阳瀍河建筑工程有限公司",
                    relation="曾担任该企业常年法律顾问（2019—2022年）",
                )
        result[name] = mediator
    return result


def _party(role: str, text: str, mechanism: Mechanism) -> services.PartyData:
    if text.startswith("【"):
        name = text.strip("【】")
        enterprise = Enterprise.objects.filter(mechanism=mechanism, name=name).first()
        return services.PartyData(
            role=role, name=name, enterprise=enterprise, contact_person="经办人", phone="13703791234"
        )
    return services.PartyData(role=role, name=text, phone="13803795678")


def _cases(court, mechanism, organisation, mediators, *, clerk, handler, manager) -> None:
    """Each case referred `days back` and taken through its steps on the demo's timeline on the days
    they happened (`liaison.demo.history`); without a moved clock its dates are moved back after."""
    past = history.timeline()
    for title, source, dispute, applicant, respondent, target, days_back, number in CASES:
        if MediationCase.objects.filter(mechanism=mechanism, title=title).exists():
            continue
        actor = manager if source == "chamber" else (handler if source == "entrusted" else clerk)
        data = services.CaseData(
            source=source,
            organisation=organisation,
            court=court,
            dispute_type=dispute,
            title=title,
            description=f"{title}：双方就履行情况存在争议，经法院引导同意先行调解。",
            amount=Decimal(50000 + 37000 * len(title)),
            case_number=number,
            parties=[_party("applicant", applicant, mechanism), _party("respondent", respondent, mechanism)],
        )
        _advance(past, past.today - dt.timedelta(days=days_back), actor, data, target, manager=manager, clerk=clerk)
        if days_back and not past.travel:

            def backdate(title=title, days_back=days_back, target=target) -> None:
                _backdate(MediationCase.objects.get(mechanism=mechanism, title=title), days_back, target)

            past.add(past.now, backdate, clamp=True)


def _mediator_user(case: MediationCase) -> User:
    case.refresh_from_db()
    return case.mediator.user


def _advance(
    past: history.Timeline,
    referred: dt.date,
    actor: User,
    data: services.CaseData,
    target: str,
    *,
    manager: User,
    clerk: User,
) -> None:
    """The case's steps, each on its day: referred, assigned the same afternoon, accepted the next
    morning, mediated three days later, concluded after about two weeks (longer for the late one),
    confirmation asked the day after and decided within a week."""
    box: dict[str, MediationCase] = {}
    days_back = (past.today - referred).days

    def on(days: int, hour: int, run) -> None:
        past.add(history.at(referred + dt.timedelta(days=days), hour), run, clamp=True)

    def case() -> MediationCase:
        box["case"].refresh_from_db()
        return box["case"]

    def refer() -> None:
        box["case"] = services.case_refer(actor=actor, data=data)

    def assign() -> None:
        top = rank_candidates(case()).top
        services.case_assign(actor=manager, case=case(), mediator=top.mediator)

    def decline() -> None:
        services.case_decline(
            actor=_mediator_user(case()), case=case(), reason="本人近期在外地出差，无法按时组织调解。"
        )

    def accept() -> None:
        services.case_accept(actor=_mediator_user(case()), case=case())

    def withdraw() -> None:
        services.case_withdraw(actor=manager, case=case(), reason="申请人已与对方自行和解，申请撤回调解。")

    def first_session() -> None:
        services.session_add(
            actor=_mediator_user(case()),
            case=case(),
            scheduled_at=(timezone.now() - dt.timedelta(hours=6)).replace(second=0, microsecond=0),
            place="商会调解室（洛龙区开元大道218号）",
            notes="双方到场陈述争议焦点，调解员释明相关法律规定。",
        )

    def next_session() -> None:
        services.session_add(
            actor=_mediator_user(case()),
            case=case(),
            scheduled_at=(past.now + dt.timedelta(days=1)).replace(hour=9, minute=30, second=0, microsecond=0),
            place="",
            online_link="https://tiaojie.court.gov.cn/room/ly-demo",
            notes="",
        )

    def extend() -> None:
        services.case_extend(
            actor=_mediator_user(case()),
            case=case(),
            days=15,
            reason="双方正在核对往来账目，需要更多时间。",
            applicant_consent=True,
            respondent_consent=True,
            consent_note="双方当事人签署延长调解期限同意书",
        )

    def fail() -> None:
        services.case_record_failure(
            actor=_mediator_user(case()), case=case(), reason="双方对违约金数额分歧较大，经两次调解未能达成一致。"
        )

    def agree() -> None:
        services.case_record_agreement(
            actor=_mediator_user(case()),
            case=case(),
            agreement_text="被申请人于本协议签订之日起三十日内向申请人支付款项，分两期履行；"
            "逾期未付的，申请人可申请强制执行。",
            agreement_amount=Decimal(80000),
        )

    def request() -> None:
        services.confirmation_request(actor=manager, case=case(), note="双方当事人共同申请司法确认。")

    def decide(confirmed: bool) -> None:
        note = "经审查，调解协议合法有效，予以确认。" if confirmed else "协议约定的部分内容涉及案外人权益，不予确认。"
        services.confirmation_decide(actor=clerk, case=case(), confirmed=confirmed, note=note)

    on(0, 9, refer)
    if target == "referred":
        return
    on(0, 14, assign)
    if target == "declined":
        on(1, 10, decline)
        return
    if target == "assigned":
        return
    on(1, 10, accept)
    if target == "accepted":
        return
    if target == "withdrawn":
        on(3, 10, withdraw)
        return
    on(3, 15, first_session)
    if target in ("in_progress", "overdue", "extended"):
        on(3, 16, next_session)
        if target == "extended":
            on(days_back - 2, 10, extend)
        return
    took = min(days_back - 1, 45 if target == "failed_late" else 12 + days_back % 15)
    if target in ("failed", "failed_late"):
        on(took, 16, fail)
        return
    on(took, 16, agree)
    if target in ("requested", "confirmed", "refused"):
        on(took + 1, 10, request)
    if target in ("confirmed", "refused"):
        on(took + 7, 15, lambda: decide(target == "confirmed"))


def _backdate(case: MediationCase, days: int, target: str) -> None:
    """Move the case's clock back `days` days; a finished case ended some days after it started."""
    case.refresh_from_db()
    shift = dt.timedelta(days=days)
    referred_at = case.referred_at - shift
    due = timezone.localdate(referred_at) + dt.timedelta(days=case.time_limit_days + case.extended_days)
    updates = {"referred_at": referred_at, "due_date": due}
    for field in ("assigned_at", "accepted_at", "started_at"):
        if getattr(case, field):
            updates[field] = getattr(case, field) - shift + dt.timedelta(days=1)
    if case.closed_at is not None:
        # Took about three weeks, or longer than the limit for the late one.
        took = dt.timedelta(days=min(days - 1, 45 if target == "failed_late" else 12 + days % 15))
        closed_at = referred_at + took
        closed_on = timezone.localdate(closed_at)
        updates.update(closed_at=closed_at, closed_on=closed_on, duration_days=took.days, in_time=closed_on <= due)
        if case.confirmation_requested_at:
            updates["confirmation_requested_at"] = closed_at + dt.timedelta(days=1)
        if case.confirmation_decided_at:
            updates["confirmation_decided_at"] = closed_at + dt.timedelta(days=6)
    MediationCase.objects.filter(pk=case.pk).update(**updates)
    calendar = WorkingCalendar()
    for deadline in Deadline.objects.filter(
        object_id=str(case.pk), content_type__model="mediationcase", kind=TIME_LIMIT_KIND, state=DeadlineState.RUNNING
    ):
        start = deadline.start_date - shift
        working_days = max(calendar.working_days_between(start, due), 1)
        extra = max(working_days - deadline.working_days, 0)
        Deadline.objects.filter(pk=deadline.pk).update(
            start_date=start,
            extra_working_days=extra,
            due_date=calendar.add_working_days(start, deadline.working_days + extra),
        )
    for session in case.sessions.filter(scheduled_at__lt=timezone.now()):
        type(session).objects.filter(pk=session.pk).update(
            scheduled_at=session.scheduled_at - shift + dt.timedelta(days=3)
        )
