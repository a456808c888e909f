"""Every write on mediation organisations, their admissions and the courts' rosters of mediators.

The roster is kept by both sides: the appointing court's clerks and the organisation's mediation
managers. Status changes are the steps of `mediation.workflow.ROSTER` (conditional update + audit);
the daily task moves a mediator whose term has ended to expired by itself (`mediator_expire`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import Enterprise
from liaison import audit, deadlines
from liaison.choices import NotificationKind, OrganizationKind, Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User
from liaison.notifications import notify
from liaison.validators import normalize_phone, validate_phone
from liaison.workflow import require_role, required

from ..choices import MediatorStatus, Profession, Specialty
from ..models import Admission, MediationOrganisation, Mediator, MediatorLink, MediatorSpecialty
from ..workflow import ROSTER, keeps_roster, on_court_side
from ._common import managers_of, mediator_url

M = MediatorStatus
RUNNER_KINDS = (OrganizationKind.CHAMBER, OrganizationKind.FEDERATION)


# --- organisations and admissions ---------------------------------------------------------------


@dataclass
class OrganisationData:
    name: str
    run_by: Organization
    short_name: str = ""
    address: str = ""
    phone: str = ""
    description: str = ""


def organisation_register(*, actor: User, data: OrganisationData) -> MediationOrganisation:
    """A chamber (or its federation) registers the mediation body it runs."""
    run_by = data.run_by
    if run_by.kind not in RUNNER_KINDS:
        raise ActionRefused(_("调解组织须由商会或工商联设立。"), field="run_by")
    if actor.organization_id not in (run_by.pk, run_by.parent_id):
        raise ActionRefused(_("只有设立单位（或其上级工商联）才能登记调解组织。"), ActionRefused.PERMISSION)
    require_role(actor, {Role.MEDIATION_MANAGER, Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER}, _("登记调解组织"))
    name = required(data.name, _("调解组织名称"), "name")
    phone = _phone(data.phone, required_=False)
    if Organization.objects.filter(name=name).exists():
        raise ActionRefused(_("已有名为“%(name)s”的单位。") % {"name": name}, field="name")
    with transaction.atomic():
        organization = Organization.objects.create(
            name=name,
            short_name=(data.short_name or "").strip()[:30],
            kind=OrganizationKind.MEDIATION,
            level=run_by.level,
            parent=run_by,
            region=run_by.region,
        )
        organisation = MediationOrganisation.objects.create(
            organization=organization,
            run_by=run_by,
            address=data.address.strip(),
            phone=phone,
            description=data.description.strip(),
        )
        audit.record(
            actor=actor, target=organisation, action="organisation_register", summary=f"{name} · {run_by.name}"
        )
    return organisation


def organisation_admit(
    *,
    actor: User,
    organisation: MediationOrganisation,
    mechanism: Mechanism,
    document_number: str,
    admitted_on: dt.date,
) -> Admission:
    """A court admits the organisation as an invited mediation organisation, through one of its mechanisms."""
    court = actor.organization
    # Invited mediation organisations are a court's institution (特邀调解组织), so the kind is the rule here.
    if court is None or court.kind != OrganizationKind.COURT or not on_court_side(actor, court.pk, mechanism):
        raise ActionRefused(_("只有机制中的人民法院才能吸纳特邀调解组织。"), ActionRefused.PERMISSION)
    require_role(actor, {Role.COURT_CLERK, Role.LEADER}, _("吸纳特邀调解组织"))
    number = required(document_number, _("吸纳文号"), "document_number")
    if admitted_on is None:
        raise ActionRefused(_("请填写吸纳日期。"), field="admitted_on")
    if admitted_on > deadlines.today():
        raise ActionRefused(_("吸纳日期不能晚于今天。"), field="admitted_on")
    try:
        with transaction.atomic():
            admission = Admission.objects.create(
                organisation=organisation,
                court=court,
                mechanism=mechanism,
                document_number=number,
                admitted_on=admitted_on,
            )
            audit.record(
                actor=actor, target=organisation, action="organisation_admit", summary=f"{court.name} · {number}"
            )
    except IntegrityError:
        raise ActionRefused(_("本院已吸纳该调解组织。"), ActionRefused.STATE) from None
    notify(
        managers_of(organisation),
        kind=NotificationKind.WORK,
        title=_("%(court)s已吸纳%(org)s为特邀调解组织") % {"court": court.name, "org": organisation.name},
        url=f"/mediation/organisations/{organisation.pk}/",
    )
    return admission


def active_admission(organisation: MediationOrganisation, court: Organization | int) -> Admission | None:
    court_id = court if isinstance(court, int) else court.pk
    return (
        Admission.objects.filter(organisation=organisation, court_id=court_id, is_active=True)
        .select_related("mechanism")
        .first()
    )


# --- the roster ---------------------------------------------------------------------------------


@dataclass
class MediatorData:
    name: str
    profession: str
    phone: str
    term_start: dt.date
    term_end: dt.date
    specialties: Sequence[str] = ()
    languages: str = "普通话"
    appointment_number: str = ""
    training_record: str = ""
    takes_paid: bool = False
    fee_standard: str = ""
    user: User | None = None


FIELDS = (
    "name",
    "profession",
    "languages",
    "phone",
    "appointment_number",
    "term_start",
    "term_end",
    "training_record",
    "takes_paid",
    "fee_standard",
)


def _phone(value: str, *, required_: bool = True) -> str:
    value = (value or "").strip()
    if not value:
        if required_:
            raise ActionRefused(_("请填写联系电话。"), field="phone")
        return ""
    try:
        validate_phone(value)
    except ValidationError as error:
        raise ActionRefused("；".join(error.messages), field="phone") from None
    return normalize_phone(value)


def _clean(data: MediatorData, organisation: MediationOrganisation, court_id: int, *, pk: int | None = None) -> dict:
    """The roster entry's fields, checked as a whole; refusals name the field."""
    name = required(data.name, _("姓名"), "name")
    if data.profession not in Profession.values:
        raise ActionRefused(_("请选择职业。"), field="profession")
    specialties = list(dict.fromkeys(data.specialties or ()))
    if not specialties:
        raise ActionRefused(_("请至少选择一个专长领域。"), field="specialties")
    unknown = [s for s in specialties if s not in Specialty.values]
    if unknown:
        raise ActionRefused(_("专长领域不正确：%(values)s") % {"values": "、".join(unknown)}, field="specialties")
    if data.term_start is None or data.term_end is None:
        raise ActionRefused(_("请填写任期的开始和届满日期。"), field="term_end")
    if data.term_end <= data.term_start:
        raise ActionRefused(_("任期届满日期须晚于开始日期。"), field="term_end")
    fee = (data.fee_standard or "").strip()
    if data.takes_paid and not fee:
        raise ActionRefused(_("承接有偿调解的，请填写收费标准。"), field="fee_standard")
    if not data.takes_paid and fee:
        raise ActionRefused(
            _("未承接有偿调解的，不填写收费标准（请清空收费标准，或勾选“承接有偿调解”）。"), field="fee_standard"
        )
    if data.user is not None:
        if data.user.organization_id not in (
            organisation.organization_id,
            organisation.run_by_id,
        ) or not data.user.has_role(Role.MEDIATOR):
            raise ActionRefused(_("登录账号须是该调解组织（或其设立单位）具有调解员角色的用户。"), field="user")
        if Mediator.objects.filter(court_id=court_id, user=data.user).exclude(pk=pk).exists():  # type: ignore[misc] # pk=None (a new row) excludes nothing, as Django allows
            raise ActionRefused(_("该登录账号已对应本院名册中的另一位调解员。"), field="user")
    return {
        "name": name,
        "profession": data.profession,
        "languages": (data.languages or "").strip() or "普通话",
        "phone": _phone(data.phone),
        "appointment_number": (data.appointment_number or "").strip(),
        "term_start": data.term_start,
        "term_end": data.term_end,
        "training_record": (data.training_record or "").strip(),
        "takes_paid": bool(data.takes_paid),
        "fee_standard": fee if data.takes_paid else "",
        "user": data.user,
        "specialties": specialties,
    }


def _require_keeper(
    actor: User, organisation: MediationOrganisation, court_id: int, mechanism: Mechanism | int
) -> None:
    """Appointing (before there is a roster entry): the same keepers as the roster's steps."""
    if not keeps_roster(actor, organisation, court_id, mechanism):
        raise ActionRefused(
            _("只有聘任法院的联络员或调解组织的调解管理员才能维护调解员名册。"), ActionRefused.PERMISSION
        )


def _set_specialties(mediator: Mediator, specialties: Sequence[str]) -> None:
    mediator.specialties.exclude(specialty__in=specialties).delete()
    have = set(mediator.specialties.values_list("specialty", flat=True))
    MediatorSpecialty.objects.bulk_create(
        [MediatorSpecialty(mediator=mediator, specialty=s) for s in specialties if s not in have]
    )


def mediator_appoint(
    *, actor: User, organisation: MediationOrganisation, court: Organization, data: MediatorData
) -> Mediator:
    """Put a mediator of an admitted organisation on the court's roster for a term."""
    admission = active_admission(organisation, court)
    if admission is None:
        raise ActionRefused(
            _("该调解组织尚未被%(court)s吸纳为特邀调解组织。") % {"court": court.name}, field="organisation"
        )
    _require_keeper(actor, organisation, court.pk, admission.mechanism)
    values = _clean(data, organisation, court.pk)
    if values["term_end"] < deadlines.today():
        raise ActionRefused(_("任期届满日期已过，不能聘任。"), field="term_end")
    specialties = values.pop("specialties")
    try:
        with transaction.atomic():
            mediator = Mediator.objects.create(
                mechanism=admission.mechanism, court=court, organisation=organisation, status=M.ACTIVE, **values
            )
            _set_specialties(mediator, specialties)
            audit.record(
                actor=actor,
                target=mediator,
                action="mediator_appoint",
                to_state=M.ACTIVE,
                summary=_("%(court)s聘任，任期 %(start)s 至 %(end)s")
                % {"court": court.name, "start": values["term_start"], "end": values["term_end"]},
            )
    except IntegrityError:
        raise ActionRefused(
            _("%(name)s（该电话号码）已在本院特邀调解员名册中。") % {"name": values["name"]}, field="name"
        ) from None
    return mediator


def mediator_update(*, actor: User, mediator: Mediator, data: MediatorData) -> Mediator:
    """Correct a roster entry: details, specialties, training, fees; the term moves by renewal only."""
    ROSTER.check(actor, mediator, "update")
    data.term_start, data.term_end = mediator.term_start, mediator.term_end
    values = _clean(data, mediator.organisation, mediator.court_id, pk=mediator.pk)
    specialties = values.pop("specialties")
    labels = audit.field_labels(Mediator, FIELDS)
    # Phone numbers stay out of the audit summary (personal data).
    before = {f: getattr(mediator, f) for f in FIELDS if f != "phone"}
    before["specialties"] = "、".join(sorted(mediator.specialties.values_list("specialty", flat=True)))
    after = {f: values[f] for f in FIELDS if f != "phone"}
    after["specialties"] = "、".join(sorted(specialties))
    labels["specialties"] = str(_("专长领域"))
    try:
        with transaction.atomic():
            Mediator.objects.filter(pk=mediator.pk).update(**values)
            _set_specialties(mediator, specialties)
            ROSTER.perform(
                actor, mediator, "update", checked=True, summary=audit.changed_fields_summary(before, after, labels)
            )
    except IntegrityError:
        raise ActionRefused(
            _("%(name)s（该电话号码）已在本院特邀调解员名册中。") % {"name": values["name"]}, field="name"
        ) from None
    mediator.refresh_from_db()
    return mediator


def mediator_suspend(*, actor: User, mediator: Mediator, reason: str) -> Mediator:
    reason = required(reason, _("暂停理由"), "reason")
    with transaction.atomic():
        return ROSTER.perform(actor, mediator, "suspend", summary=reason, status_reason=reason)


def mediator_reinstate(*, actor: User, mediator: Mediator) -> Mediator:
    with transaction.atomic():
        return ROSTER.perform(actor, mediator, "reinstate", status_reason="")


def mediator_remove(*, actor: User, mediator: Mediator, reason: str) -> Mediator:
    reason = required(reason, _("解聘理由"), "reason")
    with transaction.atomic():
        return ROSTER.perform(actor, mediator, "remove", summary=reason, status_reason=reason)


def _locked(mediator: Mediator) -> Mediator:
    """Read the entry again under a row lock: renewals and the expiry count from the term as it is now."""
    list(Mediator.objects.select_for_update().filter(pk=mediator.pk).values_list("pk"))
    mediator.refresh_from_db()
    return mediator


def mediator_renew(*, actor: User, mediator: Mediator, term_end: dt.date, appointment_number: str = "") -> Mediator:
    """Reappoint for a new term: it starts the day after the old one ends (or today if later)."""
    ROSTER.check(actor, mediator, "renew")
    with transaction.atomic():
        _locked(mediator)
        if term_end is None or term_end <= deadlines.today():
            raise ActionRefused(_("新任期届满日期须晚于今天。"), field="term_end")
        if term_end <= mediator.term_end:
            raise ActionRefused(
                _("新任期届满日期须晚于原任期届满日期（%(end)s）。") % {"end": mediator.term_end}, field="term_end"
            )
        start = (
            max(mediator.term_end + dt.timedelta(days=1), deadlines.today())
            if mediator.status == M.EXPIRED
            else mediator.term_start
        )
        return ROSTER.perform(
            actor,
            mediator,
            "renew",
            summary=_("续聘至 %(end)s") % {"end": term_end},
            term_start=start,
            term_end=term_end,
            appointment_number=(appointment_number or "").strip() or mediator.appointment_number,
            status_reason="",
        )


def mediator_expire(*, mediator: Mediator, on: dt.date) -> bool:
    """The term has ended: the system moves the mediator to expired (False if someone got there first)."""
    try:
        with transaction.atomic():
            if _locked(mediator).term_end >= on:
                return False
            # No person takes this step: the conditional update is the only check.
            ROSTER.perform(
                None,
                mediator,
                "expire",
                checked=True,
                summary=_("任期于 %(end)s 届满") % {"end": mediator.term_end},
                status_reason=str(_("任期届满")),
            )
    except ActionRefused:
        return False
    notify(
        managers_of(mediator.organisation),
        kind=NotificationKind.SYSTEM,
        title=_("特邀调解员%(name)s任期已届满（%(end)s），已自动转为任期届满")
        % {"name": mediator.name, "end": mediator.term_end},
        url=mediator_url(mediator),
    )
    return True


def mediator_link_add(
    *, actor: User, mediator: Mediator, relation: str, enterprise: Enterprise | None = None, party_name: str = ""
) -> MediatorLink:
    """Record a tie to a possible party; cases with that party will leave the mediator out."""
    ROSTER.check(actor, mediator, "link")
    relation = required(relation, _("关联关系"), "relation")
    party_name = (party_name or "").strip()
    if enterprise is None and not party_name:
        raise ActionRefused(_("请选择企业或填写当事人名称。"), field="party_name")
    if enterprise is not None and enterprise.mechanism_id != mediator.mechanism_id:
        raise ActionRefused(_("企业须是本机制登记的企业。"), field="enterprise")
    with transaction.atomic():
        link = MediatorLink.objects.create(
            mediator=mediator, enterprise=enterprise, party_name=party_name, relation=relation
        )
        ROSTER.perform(
            actor,
            mediator,
            "link",
            checked=True,
            summary=f"{party_name or (enterprise.name if enterprise else '')}：{relation}",
        )
    return link


def appointable(actor: User) -> list[Admission]:
    """The admissions (organisation × court) under which the actor may appoint mediators."""
    rows = Admission.objects.filter(is_active=True).select_related("organisation__organization", "court", "mechanism")
    result = []
    own_organisations = rows.filter(organisation__organization_id=actor.organization_id)  # type: ignore[misc] # None: Django allows it
    for admission in (
        rows.filter(court_id=actor.organization_id)
        | own_organisations
        | rows.filter(organisation__run_by_id=actor.organization_id)
    ):
        if keeps_roster(actor, admission.organisation, admission.court_id, admission.mechanism_id):
            result.append(admission)
    return result


__all__ = [
    "MediatorData",
    "OrganisationData",
    "active_admission",
    "appointable",
    "mediator_appoint",
    "mediator_expire",
    "mediator_link_add",
    "mediator_remove",
    "mediator_renew",
    "mediator_reinstate",
    "mediator_suspend",
    "mediator_update",
    "organisation_admit",
    "organisation_register",
]
