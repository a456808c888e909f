"""Demo enterprises and complaints in every state for the Luoyang and Tianhe mechanisms.

Everything goes through the services, so the audit log, deadlines and notifications are the
real ones; a few deadlines are then moved back in time so that due-soon and overdue show.
Idempotent: an enterprise is found by its credit code, a complaint by its title.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from liaison import deadlines as deadline_service
from liaison.choices import DeadlineState
from liaison.models import Deadline, Department, Mechanism, Organization, User
from liaison.workdays import WorkingCalendar

from . import services
from .models import Complaint, Enterprise
from .validators import credit_code_check_char, parse_case_numbers


def _code(division: str, serial: str) -> str:
    first17 = f"91{division}{serial}"
    return first17 + credit_code_check_char(first17)


# (name, division code, organization code, size, industry, legal representative, contact, phone)
LUOYANG_ENTERPRISES = [
    ("洛阳中重机械制造有限公司", "410300", "MA3X5K2L1", "medium", "C", "刘志远", "刘经理", "13903791234"),
    ("洛阳龙门文旅发展有限公司", "410304", "MA44C8D9X", "small", "R", "陈晓燕", "陈女士", "0379-63215678"),
    ("洛阳瀍河建筑工程有限公司", "410303", "MA3YQ7N25", "medium", "E", "王建设", "王工", "13783791122"),
    ("洛阳伊滨新材料科技有限公司", "410307", "MA47H2U8K", "small", "M", "赵新", "赵经理", "15837901234"),
    ("洛阳洛龙商贸有限公司", "410311", "MA3N6P4R7", "micro", "F", "孙丽华", "孙女士", "18637912345"),
    ("洛阳牡丹生物科技有限公司", "410322", "MA40W3T6A", "small", "C", "周牡丹", "周经理", "13598761234"),
]
TIANHE_ENTERPRISES = [
    ("广州天河云数科技有限公司", "440106", "MA5C7L2H9", "small", "I", "李云", "李先生", "13800138000"),
    ("广州珠江新城餐饮管理有限公司", "440106", "MA59R4K6B", "micro", "H", "黄珠江", "黄女士", "020-38881234"),
    ("广州天河跨境电商有限公司", "440106", "MA5D2N8P3", "medium", "F", "吴跨境", "吴经理", "13922223333"),
]

# (enterprise index, kind, title, target state, major, amount, case numbers)
LUOYANG_COMPLAINTS = [
    (0, "case_handling", "买卖合同纠纷一审超审限未结", "draft", False, "1280000", "（2024）豫03民初215号"),
    (1, "judicial_demand", "希望法院对文旅企业开展合规经营讲座", "submitted", False, None, ""),
    (2, "enforcement", "工程款胜诉判决执行两年未到位", "under_review", False, "3560000", "（2023）豫0303执1187号"),
    (3, "credit_repair", "已履行完毕仍被列为失信被执行人", "needs_material", False, None, "（2022）豫0307执564号"),
    (4, "consultation", "咨询个体户转企业后诉讼主体问题", "declined", False, None, ""),
    (5, "case_handling", "专利侵权案件鉴定周期过长", "queued", False, "860000", "（2024）豫03知民初77号"),
    (0, "enforcement", "设备被错误查封影响正常生产", "queued", False, "2100000", "（2024）豫03执保45号"),
    (
        2,
        "wrongful_case_clue",
        "涉产权刑事案件财产处置存在错误线索",
        "transferred",
        True,
        "9800000",
        "（2019）豫03刑初31号",
    ),
    (1, "case_handling", "租赁合同纠纷二审久拖不判", "registered", False, "450000", "（2024）豫03民终1024号"),
    (3, "enforcement", "执行款已到账未及时发放", "assigned", False, "730000", "（2023）豫03执恢88号"),
    (4, "judicial_demand", "申请诉前调解以尽快回笼货款", "answered", False, "96000", ""),
    (5, "case_handling", "商标权纠纷判决书送达延误", "closed", False, None, "（2023）豫03知民初15号"),
    (0, "case_handling", "管辖异议处理不当", "returned", False, None, "（2024）豫0311民初4521号"),
    (2, "consultation", "咨询工程价款优先受偿权行使期限", "withdrawn", False, None, ""),
    (3, "case_handling", "买卖合同纠纷发回重审后仍未开庭", "reopened", False, "380000", "（2022）豫03民初998号"),
]
TIANHE_COMPLAINTS = [
    (0, "judicial_demand", "数据合规案件审理标准不统一", "under_review", False, None, ""),
    (1, "enforcement", "餐饮企业账户被冻结超出执行标的", "transferred", True, "120000", "（2024）粤0106执2231号"),
    (2, "case_handling", "跨境电商货款纠纷一审久拖未结", "assigned", False, "640000", "（2024）粤0106民初8810号"),
    (0, "credit_repair", "履行完毕后申请屏蔽失信信息", "closed", False, None, "（2023）粤0106执5521号"),
]


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    _mechanism(
        mechanisms["洛阳法院·工商联"],
        organizations["洛阳市中级人民法院"],
        LUOYANG_ENTERPRISES,
        LUOYANG_COMPLAINTS,
        users,
        prefix="",
        chamber=organizations["洛阳市民营企业商会"],
    )
    _mechanism(
        mechanisms["天河法院·工商联"],
        organizations["广州市天河区人民法院"],
        TIANHE_ENTERPRISES,
        TIANHE_COMPLAINTS,
        users,
        prefix="tianhe_",
        chamber=None,
    )


def _mechanism(mechanism, court, enterprise_rows, complaint_rows, users, *, prefix: str, chamber) -> None:
    staff, reviewer = users[f"{prefix}fed_staff"], users[f"{prefix}fed_reviewer"]
    clerk, handler = users[f"{prefix}court_clerk"], users[f"{prefix}court_handler"]
    enterprises = []
    for name, division, org_code, size, industry, legal, contact, phone in enterprise_rows:
        code = _code(division, org_code)
        enterprise = Enterprise.objects.filter(mechanism=mechanism, credit_code=code).first()
        if enterprise is None:
            enterprise = services.enterprise_register(
                actor=staff,
                mechanism=mechanism,
                data=services.EnterpriseData(
                    name=name,
                    credit_code=code,
                    size=size,
                    industry=industry,
                    address=f"{court.region}{name[2:6]}路88号",
                    legal_representative=legal,
                    contact_person=contact,
                    contact_phone=phone,
                    chambers=[chamber] if chamber else [],
                ),
            )
        enterprises.append(enterprise)
    department = (
        Department.objects.filter(organization=court, pk=handler.department_id).first()
        or Department.objects.filter(organization=court).first()
    )
    for index, (e, kind, title, state, major, amount, numbers) in enumerate(complaint_rows):
        if Complaint.objects.filter(mechanism=mechanism, title=title).exists():
            continue
        complaint = services.complaint_create(
            actor=staff,
            mechanism=mechanism,
            data=services.ComplaintData(
                enterprise=enterprises[e],
                court=court,
                kind=kind,
                title=title,
                facts=f"{enterprises[e].name}反映：{title}，已多次与相关部门沟通未果。",
                demands="请求依法依规予以协调处理，并书面反馈办理结果。",
                case_numbers=parse_case_numbers(numbers) if numbers else [],
                amount_involved=Decimal(amount) if amount else None,
                is_major=major,
                major_reason="涉案金额大、影响企业正常经营" if major else "",
            ),
        )
        _advance(complaint, state, staff=staff, reviewer=reviewer, clerk=clerk, handler=handler, department=department)
        # Move some clocks back so that the queues show due-soon and overdue items.
        if index % 3 == 2:
            _backdate(complaint, days=12 + index)


def _advance(complaint, state, *, staff, reviewer, clerk, handler, department) -> None:
    steps = {
        "draft": [],
        "submitted": ["submit"],
        "under_review": ["submit", "review"],
        "needs_material": ["submit", "review", "material"],
        "declined": ["submit", "review", "decline"],
        "queued": ["submit", "review", "queue"],
        "transferred": ["submit", "review", "transfer"],
        "registered": ["submit", "review", "transfer", "register"],
        "assigned": ["submit", "review", "transfer", "register", "assign"],
        "answered": ["submit", "review", "transfer", "register", "assign", "answer"],
        "closed": ["submit", "review", "transfer", "register", "assign", "answer", "close"],
        "returned": ["submit", "review", "transfer", "return"],
        "withdrawn": ["submit", "withdraw"],
        "reopened": ["submit", "review", "transfer", "register", "assign", "answer", "reopen"],
    }[state]
    for step in steps:
        complaint.refresh_from_db()
        if step == "submit":
            services.complaint_submit(actor=staff, complaint=complaint)
        elif step == "review":
            services.complaint_start_review(actor=reviewer, complaint=complaint)
        elif step == "material":
            services.complaint_request_material(
                actor=reviewer, complaint=complaint, reason="请补充履行完毕的银行回单。"
            )
        elif step == "decline":
            services.complaint_decline(
                actor=reviewer, complaint=complaint, reason="属法律咨询，已由商会法律顾问解答，不属于法院受理范围。"
            )
        elif step == "queue":
            services.complaint_queue(actor=reviewer, complaint=complaint)
        elif step == "transfer":
            if not complaint.is_major:
                services.complaint_queue(actor=reviewer, complaint=complaint)
                services.complaints_transfer_batch(
                    actor=reviewer, complaints=[complaint], meeting_reference="第三季度联席会议"
                )
            else:
                services.complaint_transfer_now(actor=reviewer, complaint=complaint)
        elif step == "register":
            services.complaint_register(
                actor=clerk,
                complaint=complaint,
                registration_number=f"DJ{complaint.pk:05d}",
                under_supervision=complaint.is_major,
            )
        elif step == "assign":
            services.complaint_assign(actor=clerk, complaint=complaint, department=department, handler=handler)
        elif step == "answer":
            services.complaint_answer(
                actor=handler,
                complaint=complaint,
                answer="经核查，本院已于近期开庭审理并督促承办部门加快进度，将依法及时作出裁判。",
            )
        elif step == "close":
            services.complaint_close(actor=staff, complaint=complaint)
        elif step == "return":
            services.complaint_court_return(
                actor=clerk, complaint=complaint, reason="该案由基层法院审理，不属于本院管辖。"
            )
        elif step == "withdraw":
            services.complaint_withdraw(actor=staff, complaint=complaint, reason="企业已与对方自行和解。")
        elif step == "reopen":
            services.complaint_reopen(actor=staff, complaint=complaint, reason="反馈未说明具体开庭时间，企业不满意。")


def _backdate(complaint: Complaint, *, days: int) -> None:
    calendar = WorkingCalendar()
    for deadline in deadline_service.Deadline.objects.filter(
        object_id=str(complaint.pk), content_type__model="complaint", state=DeadlineState.RUNNING
    ):
        deadline.start_date = deadline.start_date - dt.timedelta(days=days)
        deadline_service._apply(deadline, calendar)
        Deadline.objects.filter(pk=deadline.pk).update(
            start_date=deadline.start_date, due_date=deadline.due_date, skipped_days=deadline.skipped_days
        )
        deadline_service.deadlines_changed(deadline.content_type_id, [deadline.object_id])
