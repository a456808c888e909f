"""Filing online: the enterprise's drafts, their submission to the federation's review queue, its
answers to material requests and its messages with the federation's staff.

The matter is a complaint like any other (`filed_online` marks it): the federation that serves the
enterprise collects it, in the enterprise's mechanism, and reviews it as it reviews paper ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from liaison import attachments, audit
from liaison.choices import COLLECTING_SIDES, HANDLING_SIDES, Role
from liaison.errors import ActionRefused
from liaison.models import MechanismParty, Organization, User
from liaison.workflow import required, users_with_roles

from ..choices import ComplaintKind, ComplaintStatus, MembershipState, MessageVisibility
from ..models import Complaint, ComplaintMessage, Enterprise, EnterpriseMembership
from ..validators import CaseNumber
from ..workflow import COMPLAINT, ENTERPRISE, FILER, STAFF
from ._common import Uploads, tell
from .complaints import _set_case_numbers, insert_draft

S = ComplaintStatus


@dataclass
class MatterData:
    kind: str
    facts: str
    demands: str
    title: str = ""
    case_numbers: Sequence[CaseNumber] = ()
    amount_involved: Decimal | None = None
    is_major: bool = False
    major_reason: str = ""


def confirmed_enterprise(actor: User) -> Enterprise:
    """The enterprise the actor files for; refused until the federation has confirmed the link."""
    membership = (
        EnterpriseMembership.objects.select_related("enterprise", "enterprise__mechanism")
        .filter(user_id=actor.pk)
        .first()
    )
    if membership is None or not actor.has_role(Role.ENTERPRISE):
        raise ActionRefused(_("只有企业用户才能在线提交诉求。"), ActionRefused.PERMISSION)
    if membership.state != MembershipState.CONFIRMED:
        raise ActionRefused(_("工商联确认您与企业的关联后，才能在线提交诉求。"), ActionRefused.PERMISSION)
    return membership.enterprise


def routing(enterprise: Enterprise) -> tuple[Organization, Organization]:
    """The federation that collects the enterprise's matters and the court they are addressed to.

    The federation that registered the enterprise when it collects in the mechanism, else the
    mechanism's first collecting party; the court is the mechanism's handling party (the federation
    may send the matter elsewhere when it transfers it).
    """
    parties = list(
        MechanismParty.objects.filter(mechanism_id=enterprise.mechanism_id)
        .select_related("organization")
        .order_by("pk")
    )
    collectors = [p.organization for p in parties if p.side in COLLECTING_SIDES]
    handlers = [p.organization for p in parties if p.side in HANDLING_SIDES]
    filer = next((o for o in collectors if o.pk == enterprise.registered_by_id), collectors[0] if collectors else None)
    court = next((o for o in handlers if filer is None or o.pk != filer.pk), None)
    if filer is None or court is None:
        raise ActionRefused(_("本地区的沟通联系机制暂未开通在线提交，请联系工商联。"), ActionRefused.STATE)
    return filer, court


def _check(data: MatterData) -> MatterData:
    if data.kind not in ComplaintKind.values:
        raise ActionRefused(_("请选择诉求类型。"), field="kind")
    data.facts = required(data.facts, _("基本事实"), "facts")
    data.demands = required(data.demands, _("具体诉求"), "demands")
    if data.is_major and not data.major_reason.strip():
        raise ActionRefused(_("重大事项须说明理由。"), field="major_reason")
    if data.amount_involved is not None and data.amount_involved < 0:
        raise ActionRefused(_("涉案金额不能为负数。"), field="amount_involved")
    title = (data.title or "").strip()
    if not title:
        first_line = data.facts.splitlines()[0].strip()
        title = f"{ComplaintKind(data.kind).label}：{first_line[:40]}"
    data.title = title[:200]
    return data


def _fields(data: MatterData) -> dict:
    return {
        "kind": data.kind,
        "title": data.title,
        "facts": data.facts,
        "demands": data.demands.strip(),
        "amount_involved": data.amount_involved,
        "is_major": data.is_major,
        "major_reason": data.major_reason.strip() if data.is_major else "",
    }


def matter_save_draft(
    *, actor: User, data: MatterData, files: Uploads = (), matter: Complaint | None = None
) -> Complaint:
    """Create or change the enterprise's draft (it reaches nobody until submitted)."""
    enterprise = confirmed_enterprise(actor)
    data = _check(data)
    if matter is not None and (matter.enterprise_id != enterprise.pk or not matter.filed_online):
        raise ActionRefused(_("只能修改本企业的诉求。"), ActionRefused.PERMISSION)
    filer, court = routing(enterprise)
    with attachments.stored_uploads(files, actor=actor, purpose="filing") as stored, transaction.atomic():
        if matter is None:
            matter = Complaint(
                mechanism=enterprise.mechanism,
                filing_organization=filer,
                court=court,
                enterprise=enterprise,
                created_by=actor,
                filed_online=True,
                **_fields(data),
            )
            insert_draft(matter, actor=actor, case_numbers=data.case_numbers)
        else:
            if Complaint.objects.filter(pk=matter.pk, status=S.DRAFT).update(**_fields(data)) != 1:
                raise ActionRefused(_("诉求已提交，不能再修改；如需补充请等待工商联的补充材料通知或留言。"), "state")
            matter.refresh_from_db()
            _set_case_numbers(matter, data.case_numbers)
            audit.record(actor=actor, target=matter, action="edit", summary=_("修改诉求内容"))
        attachments.attachments_record(target=matter, stored=stored, actor=actor)
    return matter


def enterprise_message_post(*, actor: User, complaint: Complaint, body: str) -> ComplaintMessage:
    """A message between the enterprise and the federation's staff on a matter filed online.

    Filed under the federation's organization with its own visibility: the court never reads it,
    and the enterprise reads nothing else of the thread.
    """
    sides = COMPLAINT.sides(actor, complaint)
    from_enterprise = ENTERPRISE in sides
    from_federation = FILER in sides and actor.has_role(*STAFF)
    if not complaint.filed_online or not (from_enterprise or from_federation):
        raise ActionRefused(_("只有在线提交诉求的企业和受理的工商联可以在此留言。"), ActionRefused.PERMISSION)
    if complaint.status == S.DRAFT:
        raise ActionRefused(_("诉求提交后才能留言。"), ActionRefused.STATE)
    body = required(body, _("留言内容"), "body")
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint,
            author=actor,
            organization_id=complaint.filing_organization_id,
            body=body,
            visibility=MessageVisibility.ENTERPRISE,
        )
        # The court reads the timeline: it learns a message was exchanged, not what it said.
        audit.record(actor=actor, target=complaint, action="enterprise_message")
        if from_enterprise:
            recipients = users_with_roles(complaint.filing_organization_id, Role.FEDERATION_REVIEWER)
            tell(recipients, complaint, _("企业新留言"))
        else:
            tell([complaint.created_by], complaint, _("工商联给您留言"))
    return message
