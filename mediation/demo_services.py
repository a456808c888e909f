"""Demo recommendations and legal services.

Luoyang: the federation recommends two people's assessors to the intermediate court, one
appointed and one awaiting the court's decision. Tianjin: two chambers and two law firms join the
justice bureau's mechanism, each firm paired with a chamber; three legal check-ups, one reported
on and confirmed, one past its report limit, one waiting to be assigned.

Everything goes through the services (audit, deadlines, notifications are real); the overdue
check-up's dates are then moved back. Idempotent: found by name.
"""

from __future__ import annotations

import datetime as dt

from liaison import deadlines
from liaison.choices import default_side
from liaison.demo.institutions import PASSWORD
from liaison.models import Deadline, Mechanism, MechanismParty, Organization, RoleAssignment, User

from . import services
from .choices import CHECKUP_REPORT_KIND, RecommendationKind
from .models import Checkup, Lawyer, Pairing, Recommendation

LUOYANG = "洛阳法院·工商联"
TIANJIN = "天津司法局·工商联"
TIANJIN_FEDERATION = "天津市工商业联合会"

ASSESSORS = [
    ("陈立新", "13903791001", "洛阳中信重工配套机械有限公司", "董事长", "企业管理、财税", True),
    ("周文静", "13903791002", "洛阳市民营企业商会", "副秘书长", "劳动用工、商会事务", False),
]
# (name, short name, kind)
TIANJIN_UNITS = [
    ("天津市民营经济商会", "民营经济商会", "chamber"),
    ("天津市科技企业商会", "科技企业商会", "chamber"),
    ("天津正平律师事务所", "正平律所", "law_firm"),
    ("天津海河律师事务所", "海河律所", "law_firm"),
]
LAWYERS = {
    "天津正平律师事务所": [("孙正平", "13902201001", "公司治理、合同"), ("马丽", "13902201002", "劳动用工")],
    "天津海河律师事务所": [("刘海", "13902202001", "知识产权"), ("高洁", "13902202002", "税务合规")],
}
PAIRS = [("天津正平律师事务所", "天津市民营经济商会"), ("天津海河律师事务所", "天津市科技企业商会")]


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    _recommendations(users, organizations, mechanisms[LUOYANG])
    _legal_services(users, organizations, mechanisms[TIANJIN])


def _recommendations(users: dict[str, User], organizations: dict[str, Organization], mechanism: Mechanism) -> None:
    court = organizations["洛阳市中级人民法院"]
    today = deadlines.today()
    for name, phone, employer, position, specialties, appointed in ASSESSORS:
        if Recommendation.objects.filter(mechanism=mechanism, name=name).exists():
            continue
        recommendation = services.recommendation_file(
            actor=users["fed_staff"],
            mechanism=mechanism,
            data=services.CandidateData(
                kind=RecommendationKind.ASSESSOR,
                receiver=court,
                name=name,
                phone=phone,
                employer=employer,
                position=position,
                specialties=specialties,
                reasons="熟悉民营企业经营管理，热心公益，本人同意被推荐为人民陪审员。",
            ),
        )
        if appointed:
            services.recommendation_appoint(
                actor=users["court_clerk"],
                recommendation=recommendation,
                term_start=today,
                term_end=today.replace(year=today.year + 5) - dt.timedelta(days=1),
                appointment_number="洛中法〔2026〕21号",
            )


def _account(username: str, full_name: str, organization: Organization, role: str, title: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "organization": organization,
            "title": title,
            "email": f"{username}@demo.liaison.local",
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=role)
    return user


def _legal_services(users: dict[str, User], organizations: dict[str, Organization], mechanism: Mechanism) -> None:
    federation = organizations[TIANJIN_FEDERATION]
    units = {}
    for name, short, kind in TIANJIN_UNITS:
        unit, _created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "level": "city",
                "parent": federation if kind == "chamber" else None,
                "region": "天津市",
            },
        )
        MechanismParty.objects.get_or_create(
            mechanism=mechanism, organization=unit, defaults={"side": default_side(kind, True)}
        )
        units[name] = unit
    clerk = users["tianjin_bureau_clerk"]
    staff = _account("tianjin_chamber_staff", "周强", units["天津市民营经济商会"], "federation_staff", "秘书长")
    lawyer_user = _account("tianjin_lawyer", "孙正平", units["天津正平律师事务所"], "lawyer", "主任律师")
    _account("tianjin_lawyer_b", "刘海", units["天津海河律师事务所"], "lawyer", "合伙人")
    for firm, people in LAWYERS.items():
        for name, phone, specialties in people:
            if not Lawyer.objects.filter(firm=units[firm], name=name).exists():
                services.lawyer_add(
                    actor=clerk, mechanism=mechanism, firm=units[firm], name=name, phone=phone, specialties=specialties
                )
    today = deadlines.today()
    pairings = {}
    for firm, chamber in PAIRS:
        pairing = Pairing.objects.filter(firm=units[firm], chamber=units[chamber]).first()
        if pairing is None:
            pairing = services.pairing_create(
                actor=clerk,
                mechanism=mechanism,
                data=services.PairingData(
                    firm=units[firm],
                    chamber=units[chamber],
                    term_start=today - dt.timedelta(days=200),
                    term_end=today + dt.timedelta(days=530),
                    firm_contact=LAWYERS[firm][0][0],
                    firm_phone=LAWYERS[firm][0][1],
                    chamber_contact="周强" if chamber == "天津市民营经济商会" else "吴敏",
                    chamber_phone="13902203001",
                    services="每季度为会员企业开展一次法治体检；日常法律咨询；合同、用工风险提示。",
                ),
            )
        pairings[chamber] = pairing
    _checkups(mechanism, staff, lawyer_user, pairings["天津市民营经济商会"])


def _checkups(mechanism: Mechanism, staff: User, lawyer: User, pairing: Pairing) -> None:
    def filed(name: str, subject: str) -> Checkup | None:
        if Checkup.objects.filter(mechanism=mechanism, enterprise_name=name).exists():
            return None
        return services.checkup_file(
            actor=staff,
            mechanism=mechanism,
            data=services.CheckupData(
                enterprise_name=name,
                contact_person="王经理",
                contact_phone="13902204001",
                subject=subject,
                description="企业希望结对律所上门，对合同、用工和知识产权管理做一次全面体检。",
            ),
        )

    today = deadlines.today()
    done = filed("天津华信精密机械有限公司", "合同管理与劳动用工法治体检")
    if done is not None:
        services.checkup_assign(actor=staff, checkup=done, pairing=pairing, lawyer=pairing.firm.lawyers.first())
        services.checkup_visit(
            actor=lawyer,
            checkup=done,
            visited_on=today,
            lawyers="孙正平、马丽",
            notes="查阅合同 42 份、劳动合同 60 份，访谈人事负责人。",
        )
        services.checkup_report(
            actor=lawyer,
            checkup=done,
            findings="1. 部分采购合同未约定违约责任；2. 劳动合同缺少保密条款；3. 合同审批无书面流程。",
            advice="1. 采用修订后的采购合同范本；2. 与关键岗位签订保密协议；3. 建立合同审批台账。",
        )
        services.checkup_confirm(actor=staff, checkup=done, note="企业对体检报告满意。")
    late = filed("天津瑞丰食品有限公司", "食品安全合规与商标保护体检")
    if late is not None:
        services.checkup_assign(actor=staff, checkup=late, pairing=pairing)
        # Assigned a month ago: the report is now past its limit.
        past = today - dt.timedelta(days=5)
        Checkup.objects.filter(pk=late.pk).update(report_due=past, assign_due=today - dt.timedelta(days=30))
        Deadline.objects.filter(kind=CHECKUP_REPORT_KIND, object_id=str(late.pk)).update(
            due_date=past, start_date=today - dt.timedelta(days=35)
        )
    filed("天津启明软件科技有限公司", "股权激励方案法律咨询")
