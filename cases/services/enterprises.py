"""Registering and correcting enterprises (the collecting side of a mechanism)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liaison import audit
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User

from ..models import Enterprise
from ..permissions import may_edit_enterprise, may_register_enterprises
from ..signals import enterprise_publicity_changed
from ..validators import normalize_credit_code, normalize_phone
from ._common import require_party

ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "size",
    "industry",
    "address",
    "legal_representative",
    "contact_person",
    "contact_phone",
)


@dataclass
class EnterpriseData:
    name: str
    credit_code: str
    size: str
    industry: str
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    chambers: Sequence[Organization] = ()


def enterprise_register(*, actor: User, mechanism: Mechanism, data: EnterpriseData) -> Enterprise:
    """Register an enterprise in a mechanism (federation side)."""
    require_party(actor, mechanism)
    if not may_register_enterprises(actor):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": _("登记企业")}, ActionRefused.PERMISSION)
    code = normalize_credit_code(data.credit_code)
    existing = Enterprise.objects.filter(mechanism=mechanism, credit_code=code).first()
    if existing is not None:
        raise ActionRefused(
            _("统一社会信用代码 %(code)s 已登记为“%(name)s”。") % {"code": code, "name": existing.name},
            ActionRefused.INVALID,
            field="credit_code",
        )
    enterprise = Enterprise(
        mechanism=mechanism, registered_by=actor.organization, **{f: getattr(data, f) for f in ENTERPRISE_FIELDS}
    )
    enterprise.credit_code = code
    enterprise.contact_phone = normalize_phone(data.contact_phone) if data.contact_phone else ""
    enterprise.full_clean(exclude=["mechanism", "registered_by"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            enterprise.save()
            enterprise.chambers.set(data.chambers)
            audit.record(actor=actor, target=enterprise, action="enterprise_register", summary=enterprise.name)
    except IntegrityError:
        raise ActionRefused(
            _("统一社会信用代码 %(code)s 已登记。") % {"code": code}, ActionRefused.INVALID, field="credit_code"
        ) from None
    return enterprise


def enterprise_update(*, actor: User, enterprise: Enterprise, data: EnterpriseData) -> Enterprise:
    """Correct an enterprise's record (its registering organization only)."""
    require_party(actor, enterprise.mechanism)
    if actor.organization_id != enterprise.registered_by_id:
        raise ActionRefused(_("只有登记该企业的单位才能修改企业信息。"), ActionRefused.PERMISSION)
    if not may_edit_enterprise(actor, enterprise):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": _("修改企业信息")}, ActionRefused.PERMISSION)
    before = {f: getattr(enterprise, f) for f in ENTERPRISE_FIELDS}
    for field in ENTERPRISE_FIELDS:
        setattr(enterprise, field, getattr(data, field))
    enterprise.credit_code = normalize_credit_code(data.credit_code)
    enterprise.contact_phone = normalize_phone(data.contact_phone) if data.contact_phone else ""
    enterprise.full_clean(exclude=["mechanism", "registered_by"], validate_unique=False, validate_constraints=False)
    after = {f: getattr(enterprise, f) for f in ENTERPRISE_FIELDS}
    labels = audit.field_labels(Enterprise, ENTERPRISE_FIELDS)
    try:
        with transaction.atomic():
            enterprise.save()
            enterprise.chambers.set(data.chambers)
            # Phone numbers stay out of the audit summary (personal data).
            audit.record(
                actor=actor,
                target=enterprise,
                action="enterprise_update",
                summary=audit.changed_fields_summary(
                    {k: v for k, v in before.items() if k != "contact_phone"},
                    {k: v for k, v in after.items() if k != "contact_phone"},
                    labels,
                ),
            )
    except IntegrityError:
        raise ActionRefused(
            _("统一社会信用代码 %(code)s 已登记。") % {"code": enterprise.credit_code},
            ActionRefused.INVALID,
            field="credit_code",
        ) from None
    return enterprise


def enterprise_set_public(*, actor: User, enterprise: Enterprise, public: bool) -> Enterprise:
    """The registering organization's staff mark whether the enterprise may be named in the public
    column (the enterprise agreed), or withdraw the mark; audited. Reports naming an enterprise not
    marked public never appear in the column."""
    require_party(actor, enterprise.mechanism)
    if not may_edit_enterprise(actor, enterprise):
        raise ActionRefused(_("只有登记该企业的单位工作人员才能设置是否公开企业名称。"), ActionRefused.PERMISSION)
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if current.is_public == public:
            raise ActionRefused(
                _("该企业名称已可公开。") if public else _("该企业名称本就不公开。"), ActionRefused.STATE
            )
        current.is_public = public
        current.save(update_fields=["is_public"])
        audit.record(
            actor=actor,
            target=current,
            action="enterprise_public" if public else "enterprise_unpublic",
            summary=_("可在营商环境专栏公开企业名称") if public else _("不再公开企业名称"),
        )
        mechanism_id = current.mechanism_id
        transaction.on_commit(lambda: enterprise_publicity_changed.send(sender=Enterprise, mechanism_id=mechanism_id))
    enterprise.is_public = public
    return enterprise
