"""Every write on recommendations of people (推荐): filing a candidate, the receiving party's
decision within the mechanism's working-day limit, recall and withdrawal, and the daily sweep of
terms (expiry; reminders 60 and 30 days before the end, once each).

An invited mediator appointed here is put on the court's roster through `mediator_appoint`, in the
same transaction, and the roster keeps the term from then on (its own reminders and renewals):
the sweep below leaves mediator recommendations to the roster, so nobody is reminded twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison import attachments, audit, deadlines, scoping
from liaison.choices import COLLECTING_SIDES, HANDLING_SIDES, NotificationKind
from liaison.errors import ActionRefused
from liaison.models import Mechanism, MechanismParty, Organization, RoleAssignment, User
from liaison.notifications import Draft, create_notifications, notify
from liaison.validators import normalize_phone, validate_phone
from liaison.workdays import WorkingCalendar
from liaison.workflow import required, users_with_roles

from ..choices import (
    DEFAULT_DECISION_WORKING_DAYS,
    RECOMMENDATION_DECISION_KIND,
    TERM_REMINDER_DAYS,
    MediatorStatus,
    Profession,
    RecommendationKind,
    RecommendationStatus,
    Specialty,
)
from ..models import MediationOrganisation, Recommendation, ServiceRules
from ..workflow import RECEIVING_ROLES, RECOMMENDATION, RECOMMENDING_ROLES, ROSTER
from .roster import MediatorData, active_admission, mediator_appoint

R = RecommendationStatus
K = RecommendationKind


def recommendation_url(recommendation: Recommendation) -> str:
    return f"/mediation/recommendations/{recommendation.pk}/"


def decision_working_days(mechanism: Mechanism | int) -> int:
    """The mechanism's limit for the receiving party's decision, in working days."""
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    rules = ServiceRules.objects.filter(mechanism_id=mechanism_id).values_list("decision_working_days", flat=True)
    return next(iter(rules), DEFAULT_DECISION_WORKING_DAYS)


def recommending_mechanisms(actor: User) -> QuerySet[Mechanism]:
    """The mechanisms in which the actor may recommend people: their organization collects for the
    mechanism (the federation's side), and they hold a recommending role."""
    if not actor.is_authenticated or not actor.organization_id or not actor.has_role(*RECOMMENDING_ROLES):
        return Mechanism.objects.none()
    return Mechanism.objects.filter(
        is_active=True,
        pk__in=MechanismParty.objects.filter(organization_id=actor.organization_id, side__in=COLLECTING_SIDES).values(
            "mechanism"
        ),
    ).order_by("name")


def receiving_parties(mechanism: Mechanism, recommender_id: int) -> QuerySet[Organization]:
    """The parties of the mechanism that may receive a recommendation: its handling side (courts,
    bureaus, governments), never the recommender itself."""
    return (
        Organization.objects.filter(mechanism_parties__mechanism=mechanism, mechanism_parties__side__in=HANDLING_SIDES)
        .exclude(pk=recommender_id)
        .order_by("name")
    )


def specialty_codes(text: str) -> list[str]:
    """The mediator specialties named in a recommendation's text (stored in Chinese)."""
    with translation.override("zh-hans"):
        by_label = {str(label): code for code, label in Specialty.choices}
    return [by_label[part] for part in text.split("、") if part in by_label]


def specialty_text(codes: Sequence[str]) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(Specialty(code).label) for code in codes)


@dataclass
class CandidateData:
    kind: str
    receiver: Organization | None
    name: str
    phone: str
    employer: str
    reasons: str
    position: str = ""
    specialties: str = ""
    mediator_specialties: Sequence[str] = ()
    profession: str = ""
    mediation_organisation: MediationOrganisation | None = None
    files: Sequence[UploadedFile] = field(default_factory=tuple)


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(_("请填写联系电话。"), field="phone")
    try:
        validate_phone(value)
    except ValidationError as error:
        raise ActionRefused("；".join(error.messages), field="phone") from None
    return normalize_phone(value)


def _clean(mechanism: Mechanism, recommender_id: int, data: CandidateData) -> dict:
    if data.kind not in K.values:
        raise ActionRefused(_("请选择推荐类别。"), field="kind")
    receiver = data.receiver
    if receiver is None:
        raise ActionRefused(_("请选择接收单位。"), field="receiver")
    if not receiving_parties(mechanism, recommender_id).filter(pk=receiver.pk).exists():
        raise ActionRefused(_("接收单位须是本机制中的法院、司法局或政府部门（不能是推荐单位自己）。"), field="receiver")
    values = {
        "kind": data.kind,
        "receiver": receiver,
        "name": required(data.name, _("姓名"), "name"),
        "phone": _phone(data.phone),
        "employer": required(data.employer, _("工作单位"), "employer"),
        "position": (data.position or "").strip(),
        "reasons": required(data.reasons, _("推荐理由"), "reasons"),
        "profession": "",
        "mediation_organisation": None,
    }
    if data.kind == K.MEDIATOR:
        organisation = data.mediation_organisation
        if organisation is None:
            raise ActionRefused(_("推荐特邀调解员，请选择其所在的调解组织。"), field="mediation_organisation")
        if active_admission(organisation, receiver) is None:
            raise ActionRefused(
                _("%(org)s尚未被%(court)s吸纳为特邀调解组织，不能向其推荐特邀调解员。")
                % {"org": organisation.name, "court": receiver.name},
                field="mediation_organisation",
            )
        if data.profession not in Profession.values:
            raise ActionRefused(_("请选择职业。"), field="profession")
        codes = list(dict.fromkeys(data.mediator_specialties or ()))
        if not codes:
            raise ActionRefused(_("请至少选择一个专长领域。"), field="mediator_specialties")
        unknown = [c for c in codes if c not in Specialty.values]
        if unknown:
            raise ActionRefused(
                _("专长领域不正确：%(values)s") % {"values": "、".join(unknown)}, field="mediator_specialties"
            )
        values.update(
            mediation_organisation=organisation, profession=data.profession, specialties=specialty_text(codes)
        )
    else:
        values["specialties"] = required(data.specialties, _("专长"), "specialties")[:200]
        if data.profession and data.profession not in Profession.values:
            raise ActionRefused(_("请选择职业。"), field="profession")
        values["profession"] = data.profession or ""
    return values


def recommendation_file(*, actor: User, mechanism: Mechanism, data: CandidateData) -> Recommendation:
    """The recommending party files a candidate; the receiving party's decision limit starts today."""
    if not actor.has_role(*RECOMMENDING_ROLES):
        raise ActionRefused(_("您没有“推荐人选”的权限。"), ActionRefused.PERMISSION)
    if not actor.organization_id or not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，不能推荐人选。"), ActionRefused.PERMISSION)
    if not recommending_mechanisms(actor).filter(pk=mechanism.pk).exists():
        raise ActionRefused(_("只有机制中的工商联（商会）一方才能推荐人选。"), ActionRefused.PERMISSION)
    values = _clean(mechanism, actor.organization_id, data)
    if Recommendation.objects.filter(
        mechanism=mechanism,
        kind=values["kind"],
        receiver=values["receiver"],
        name=values["name"],
        phone=values["phone"],
        status__in=[R.PENDING, R.APPOINTED],
    ).exists():
        raise ActionRefused(
            _("%(name)s已被推荐为%(kind)s，尚在办理或任期内。")
            % {"name": values["name"], "kind": K(values["kind"]).label},
            field="name",
        )
    try:
        accepted = attachments.validate_files(data.files or ())
    except ValidationError as error:
        raise ActionRefused("；".join(error.messages), field="files") from None
    today = deadlines.today()
    days = decision_working_days(mechanism)
    with attachments.stored_uploads(accepted, actor=actor, purpose="recommendation") as stored:
        with transaction.atomic():
            recommendation = Recommendation.objects.create(
                mechanism=mechanism,
                recommender_id=actor.organization_id,
                filed_by=actor,
                filed_at=timezone.now(),
                decision_due=WorkingCalendar().add_working_days(today, days),
                status=R.PENDING,
                **values,
            )
            attachments.attachments_record(target=recommendation, stored=stored, actor=actor)
            deadline = deadlines.deadline_start(
                target=recommendation,
                kind=RECOMMENDATION_DECISION_KIND,
                label=_("推荐%(kind)s%(name)s的决定")
                % {"kind": recommendation.get_kind_display(), "name": values["name"]},
                mechanism=mechanism,
                owner_organization=values["receiver"],
                start=today,
                working_days=days,
                url=recommendation_url(recommendation),
                actor=actor,
            )
            if deadline.due_date != recommendation.decision_due:
                Recommendation.objects.filter(pk=recommendation.pk).update(decision_due=deadline.due_date)
                recommendation.decision_due = deadline.due_date
            audit.record(
                actor=actor,
                target=recommendation,
                action="recommendation_file",
                to_state=f"recommendation:{R.PENDING}",
                summary=_("推荐%(name)s为%(kind)s，请%(receiver)s于 %(due)s 前决定")
                % {
                    "name": values["name"],
                    "kind": recommendation.get_kind_display(),
                    "receiver": values["receiver"].name,
                    "due": recommendation.decision_due,
                },
            )
            notify(
                users_with_roles(values["receiver"].pk, *RECEIVING_ROLES),
                kind=NotificationKind.WORK,
                title=_("%(org)s推荐%(name)s为%(kind)s，请于 %(due)s 前决定")
                % {
                    "org": recommendation.recommender.name,
                    "name": values["name"],
                    "kind": recommendation.get_kind_display(),
                    "due": recommendation.decision_due,
                },
                url=recommendation_url(recommendation),
            )
    return recommendation


def _close_deadline(recommendation: Recommendation, actor: User | None, *, cancelled: bool = False) -> None:
    deadline = deadlines.open_deadline(recommendation, RECOMMENDATION_DECISION_KIND)
    if deadline is not None:
        deadlines.deadline_close(deadline=deadline, actor=actor, cancelled=cancelled)


def _tell_recommender(recommendation: Recommendation, title: str) -> None:
    notify(
        users_with_roles(recommendation.recommender_id, *RECOMMENDING_ROLES),
        kind=NotificationKind.WORK,
        title=title,
        url=recommendation_url(recommendation),
    )


def recommendation_appoint(
    *,
    actor: User,
    recommendation: Recommendation,
    term_start: dt.date | None,
    term_end: dt.date | None,
    appointment_number: str,
) -> Recommendation:
    """The receiving party appoints the candidate for a term; an invited mediator joins the roster."""
    RECOMMENDATION.check(actor, recommendation, "appoint")
    number = required(appointment_number, _("任命文号"), "appointment_number")
    if term_start is None or term_end is None:
        raise ActionRefused(_("请填写任期的开始和届满日期。"), field="term_end")
    if term_end <= term_start:
        raise ActionRefused(_("任期届满日期须晚于开始日期。"), field="term_end")
    if term_end < deadlines.today():
        raise ActionRefused(_("任期届满日期已过，不能任命。"), field="term_end")
    with transaction.atomic():
        mediator = None
        if recommendation.kind == K.MEDIATOR:
            organisation = recommendation.mediation_organisation
            assert organisation is not None  # a DB constraint for this kind
            mediator = mediator_appoint(
                actor=actor,
                organisation=organisation,
                court=recommendation.receiver,
                data=MediatorData(
                    name=recommendation.name,
                    profession=recommendation.profession,
                    phone=recommendation.phone,
                    term_start=term_start,
                    term_end=term_end,
                    specialties=specialty_codes(recommendation.specialties),
                    appointment_number=number,
                ),
            )
        RECOMMENDATION.perform(
            actor,
            recommendation,
            "appoint",
            checked=True,
            summary=_("%(number)s，任期 %(start)s 至 %(end)s")
            % {"number": number, "start": term_start, "end": term_end},
            term_start=term_start,
            term_end=term_end,
            appointment_number=number,
            decided_at=timezone.now(),
            mediator=mediator,
        )
        _close_deadline(recommendation, actor)
        _tell_recommender(
            recommendation,
            _("%(receiver)s已任命%(name)s为%(kind)s（%(number)s）")
            % {
                "receiver": recommendation.receiver.name,
                "name": recommendation.name,
                "kind": recommendation.get_kind_display(),
                "number": number,
            },
        )
    return recommendation


def recommendation_decline(*, actor: User, recommendation: Recommendation, reason: str) -> Recommendation:
    reason = required(reason, _("不予采纳的理由"), "reason")
    with transaction.atomic():
        RECOMMENDATION.perform(
            actor, recommendation, "decline", summary=reason, decline_reason=reason, decided_at=timezone.now()
        )
        _close_deadline(recommendation, actor)
        _tell_recommender(
            recommendation,
            _("%(receiver)s未采纳推荐的%(kind)s%(name)s：%(reason)s")
            % {
                "receiver": recommendation.receiver.name,
                "kind": recommendation.get_kind_display(),
                "name": recommendation.name,
                "reason": reason,
            },
        )
    return recommendation


def recommendation_recall(*, actor: User, recommendation: Recommendation, reason: str) -> Recommendation:
    """The recommending party withdraws a candidate not yet decided on."""
    reason = required(reason, _("撤回理由"), "reason")
    with transaction.atomic():
        RECOMMENDATION.perform(
            actor, recommendation, "recall", summary=reason, end_reason=reason, ended_at=timezone.now()
        )
        _close_deadline(recommendation, actor, cancelled=True)
        notify(
            users_with_roles(recommendation.receiver_id, *RECEIVING_ROLES),
            kind=NotificationKind.WORK,
            title=_("%(org)s已撤回对%(name)s的推荐")
            % {"org": recommendation.recommender.name, "name": recommendation.name},
            url=recommendation_url(recommendation),
        )
    return recommendation


def recommendation_withdraw(*, actor: User, recommendation: Recommendation, reason: str) -> Recommendation:
    """An appointed person is withdrawn (by either party), with the reason; a mediator leaves the roster."""
    reason = required(reason, _("免除理由"), "reason")
    with transaction.atomic():
        RECOMMENDATION.perform(
            actor, recommendation, "withdraw", summary=reason, end_reason=reason, ended_at=timezone.now()
        )
        mediator = recommendation.mediator
        if mediator is not None and mediator.status != MediatorStatus.REMOVED:
            # The withdrawal is the authorised step; the roster follows it.
            ROSTER.perform(actor, mediator, "remove", checked=True, summary=reason, status_reason=reason)
        other = (
            recommendation.recommender_id
            if actor.organization_id == recommendation.receiver_id
            else recommendation.receiver_id
        )
        notify(
            users_with_roles(other, *RECOMMENDING_ROLES, *RECEIVING_ROLES),
            kind=NotificationKind.WORK,
            title=_("%(kind)s%(name)s已被免除：%(reason)s")
            % {"kind": recommendation.get_kind_display(), "name": recommendation.name, "reason": reason},
            url=recommendation_url(recommendation),
        )
    return recommendation


@dataclass(frozen=True)
class RecommendationSweep:
    expired: int
    reminded: int


def recommendation_terms_sweep(on: dt.date | None = None) -> RecommendationSweep:
    """Expire ended terms; remind both parties 60 and 30 days before a term ends (once each).

    Invited mediators are left to the roster's own sweep (their term lives there)."""
    on = on or deadlines.today()
    expired = 0
    appointed = Recommendation.objects.filter(status=R.APPOINTED).exclude(kind=K.MEDIATOR)
    for recommendation in appointed.filter(term_end__lt=on):
        with transaction.atomic():
            try:
                RECOMMENDATION.perform(
                    None,
                    recommendation,
                    "expire",
                    checked=True,
                    summary=_("任期于 %(end)s 届满") % {"end": recommendation.term_end},
                )
            except ActionRefused:
                continue
        expired += 1
    horizon = on + dt.timedelta(days=max(TERM_REMINDER_DAYS))
    ending = list(appointed.filter(term_end__gte=on, term_end__lte=horizon).select_related("receiver"))
    if not ending:
        return RecommendationSweep(expired, 0)
    people: dict[int, set[int]] = {}
    for user_id, organization_id in RoleAssignment.objects.filter(
        role__in=[*RECOMMENDING_ROLES, *RECEIVING_ROLES],
        user__organization_id__in={o for r in ending for o in (r.recommender_id, r.receiver_id)},
        user__is_active=True,
    ).values_list("user_id", "user__organization_id"):
        people.setdefault(organization_id, set()).add(user_id)
    drafts = []
    for recommendation in ending:
        assert recommendation.term_end is not None
        left = (recommendation.term_end - on).days
        stage = min(days for days in TERM_REMINDER_DAYS if left <= days)
        title = _("%(kind)s%(name)s的任期将于 %(end)s 届满（还有 %(n)s 天）") % {
            "kind": recommendation.get_kind_display(),
            "name": recommendation.name,
            "end": recommendation.term_end,
            "n": left,
        }
        body = _("%(receiver)s · %(number)s。如需继续任职，请重新推荐。") % {
            "receiver": recommendation.receiver.name,
            "number": recommendation.appointment_number,
        }
        recipients = people.get(recommendation.recommender_id, set()) | people.get(recommendation.receiver_id, set())
        for user_id in recipients:
            key = f"mediation.recommendation_term:{recommendation.pk}:{recommendation.term_end}:{stage}:{user_id}"
            drafts.append(
                Draft(user_id, NotificationKind.DUE_SOON, title, body, recommendation_url(recommendation), key)
            )
    with transaction.atomic():
        return RecommendationSweep(expired, create_notifications(drafts))


__all__ = [
    "CandidateData",
    "RecommendationSweep",
    "decision_working_days",
    "receiving_parties",
    "recommendation_appoint",
    "recommendation_decline",
    "recommendation_file",
    "recommendation_recall",
    "recommendation_terms_sweep",
    "recommendation_url",
    "recommendation_withdraw",
    "recommending_mechanisms",
    "specialty_codes",
]
