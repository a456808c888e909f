"""Demo enterprise users: three confirmed accounts with matters filed online, and one registration
waiting for the federation's confirmation. Idempotent: a user is found by its username, a matter by its title."""

from __future__ import annotations

from liaison.demo.institutions import PASSWORD
from liaison.models import Department, Mechanism, Organization, RoleAssignment, User

from . import services
from .choices import MembershipSource, MembershipState
from .models import Complaint, Enterprise, EnterpriseMembership
from .validators import parse_case_numbers

# (username, full name, mobile, enterprise name, mechanism, matter title, the state to bring it to)
ACCOUNTS = [
    (
        "ent_zhongzhong",
        "刘志远",
        "13903791234",
        "洛阳中重机械制造有限公司",
        "洛阳法院·工商联",
        "货款执行案件执行款迟迟未发放",
        "answered",
    ),
    (
        "ent_longmen",
        "陈晓燕",
        "13703796321",
        "洛阳龙门文旅发展有限公司",
        "洛阳法院·工商联",
        "景区租赁合同纠纷诉前保全未及时处理",
        "needs_material",
    ),
    (
        "ent_tianhe",
        "李云",
        "13800138000",
        "广州天河云数科技有限公司",
        "天河法院·工商联",
        "软件开发合同纠纷一审久拖未结",
        "submitted",
    ),
]
PENDING = ("ent_pending", "吴跨境", "13922223333", "广州天河跨境电商有限公司", "天河法院·工商联")


def _user(username: str, full_name: str, mobile: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "phone": mobile, "email": f"{username}@example.test"}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role="enterprise")
    return user


def _membership(user: User, enterprise: Enterprise, mobile: str) -> EnterpriseMembership:
    membership = EnterpriseMembership.objects.filter(user=user).first()
    return membership or EnterpriseMembership.objects.create(
        user=user, enterprise=enterprise, source=MembershipSource.INVITED, claimed_name=enterprise.name, mobile=mobile
    )


def load(*, users: dict[str, User], organizations: dict[str, Organization], mechanisms: dict[str, Mechanism]) -> None:
    for username, full_name, mobile, name, mechanism_key, title, state in ACCOUNTS:
        mechanism = mechanisms[mechanism_key]
        prefix = "tianhe_" if mechanism_key.startswith("天河") else ""
        enterprise = Enterprise.objects.get(mechanism=mechanism, name=name)
        user = _user(username, full_name, mobile)
        membership = _membership(user, enterprise, mobile)
        if membership.state == MembershipState.PENDING:
            services.membership_confirm(actor=users[f"{prefix}fed_reviewer"], membership=membership)
        user = User.objects.get(pk=user.pk)  # forget what the user object cached before the confirmation
        if Complaint.objects.filter(mechanism=mechanism, title=title).exists():
            continue
        _matter(user, title, state, users, prefix, mechanism)
    username, full_name, mobile, name, mechanism_key = PENDING
    enterprise = Enterprise.objects.get(mechanism=mechanisms[mechanism_key], name=name)
    _membership(_user(username, full_name, mobile), enterprise, mobile)


def _matter(user: User, title: str, state: str, users: dict[str, User], prefix: str, mechanism: Mechanism) -> None:
    matter = services.matter_save_draft(
        actor=user,
        data=services.MatterData(
            kind="enforcement" if "执行" in title else "case_handling",
            title=title,
            facts=f"{title}。本企业已多次向承办法官反映，至今未有明确答复，影响企业资金周转。",
            demands="请求协调法院依法及时处理，并告知办理进度。",
            case_numbers=parse_case_numbers("（2024）豫03执312号" if "执行" in title else ""),
            is_major=state == "answered",
            major_reason="涉案金额大、影响企业正常经营" if state == "answered" else "",
        ),
    )
    services.complaint_submit(actor=user, complaint=matter)
    if state == "submitted":
        return
    reviewer = users[f"{prefix}fed_reviewer"]
    services.complaint_start_review(actor=reviewer, complaint=matter)
    if state == "needs_material":
        services.complaint_request_material(
            actor=reviewer, complaint=matter, reason="请补充租赁合同及保全申请书的照片。"
        )
        return
    services.complaint_transfer_now(actor=reviewer, complaint=matter)
    matter.refresh_from_db()
    clerk, handler = users[f"{prefix}court_clerk"], users[f"{prefix}court_handler"]
    services.complaint_register(actor=clerk, complaint=matter, registration_number=f"DJ{matter.pk:05d}")
    department = (
        Department.objects.filter(organization_id=matter.court_id, pk=handler.department_id).first()
        or Department.objects.filter(organization_id=matter.court_id).first()
    )
    services.complaint_assign(actor=clerk, complaint=matter, department=department, handler=handler)
    services.complaint_answer(
        actor=handler,
        complaint=matter,
        answer="经核查，执行款已于本月到账，执行局已启动发放程序，承办人已作说明。",
        enterprise_answer="您反映的执行款问题，执行款已到账，执行局将在10个工作日内发放至贵公司账户。",
    )
