"""Every write on activities: planning, publishing, closing, holding, cancelling; registration with a
waiting list; sign-in; the short report; the reminder the day before.

Each step is declared in `meetings.activity_workflow.ACTIVITY`: the service checks it there,
`ACTIVITY.perform` moves the status with a conditional update and writes the audit event, and the
service writes the notifications in the same transaction (emails go after commit).

Registration takes a row lock on the activity (`select_for_update`) before it counts the places:
two people registering at once are served one after the other, so the confirmed registrations
never exceed the capacity; a withdrawal promotes the first on the waiting list under the same lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import MembershipState
from liaison import attachments, audit, deadlines, membership
from liaison.acting import organization_of
from liaison.choices import NotificationKind, OrganizationKind
from liaison.errors import ActionRefused
from liaison.files import FileKind
from liaison.models import Mechanism, Organization, User
from liaison.notifications import Draft, create_notifications
from liaison.workflow import required, users_with_roles

from ..activity_choices import ACTIVITY_EDITABLE, ActivityKind, ActivityStatus, RegistrationStatus
from ..activity_workflow import ACTIVITY, ACTIVITY_ACTIONS, ORGANIZER, ORGANIZING_ROLES, activity_sides
from ..models import Activity, Registration
from ..workflow import names
from ._common import check, party_organization_ids

A, R = ActivityStatus, RegistrationStatus


@dataclass
class ActivityData:
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    place: str = ""
    online_link: str = ""
    organizer: Organization | None = None
    co_organizers: Sequence[Organization] = field(default_factory=list)
    for_party_staff: bool = True
    for_chamber_members: bool = False
    for_enterprises: bool = False
    registration_deadline: dt.datetime | None = None
    description: str = ""


FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "capacity",
    "place",
    "online_link",
    "for_party_staff",
    "for_chamber_members",
    "for_enterprises",
    "registration_deadline",
    "description",
)


def activity_url(activity_id: int) -> str:
    return reverse("meetings:activity_detail", args=[activity_id])


# --- checks ----------------------------------------------------------------------------------


def _check_data(mechanism: Mechanism, data: ActivityData) -> None:
    if data.kind not in ActivityKind.values:
        raise ActionRefused(_("请选择活动类型。"), field="kind")
    required(data.title, _("活动名称"), "title")
    if data.starts_at is None or data.ends_at is None:
        raise ActionRefused(_("请填写活动的开始和结束时间。"), field="starts_at")
    if data.ends_at <= data.starts_at:
        raise ActionRefused(_("结束时间须晚于开始时间。"), field="ends_at")
    if not (data.place or "").strip() and not (data.online_link or "").strip():
        raise ActionRefused(_("请填写活动地点或线上链接。"), field="place")
    if data.capacity is None or data.capacity < 1:
        raise ActionRefused(_("名额至少为 1。"), field="capacity")
    if data.registration_deadline is not None and data.registration_deadline > data.starts_at:
        raise ActionRefused(_("报名截止时间不能晚于活动开始时间。"), field="registration_deadline")
    if not (data.for_party_staff or data.for_chamber_members or data.for_enterprises):
        raise ActionRefused(_("请至少选择一类面向对象。"), field="for_party_staff")
    parties = set(party_organization_ids(mechanism))
    if data.organizer is not None and data.organizer.pk not in parties:
        raise ActionRefused(_("主办单位须是本机制的参与单位。"), field="organizer")
    if any(org.pk not in parties for org in data.co_organizers):
        raise ActionRefused(_("协办单位须是本机制的参与单位。"), field="co_organizers")


def require_organizer(actor: User, mechanism: Mechanism) -> None:
    """Planning an activity (no object yet to ask the workflow): an organizing role of a party."""
    from liaison import scoping
    from liaison.workflow import require_role

    if not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)
    require_role(actor, ORGANIZING_ROLES, _("安排活动"))


def _values(data: ActivityData) -> dict:
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in ((name, getattr(data, name)) for name in FIELDS)
    }


# --- planning ------------------------------------------------------------------------------------


def activity_create(*, actor: User, mechanism: Mechanism, data: ActivityData) -> Activity:
    """Plan an activity as a draft; the organizer defaults to the actor's organization."""
    require_organizer(actor, mechanism)
    _check_data(mechanism, data)
    with transaction.atomic():
        activity = Activity.objects.create(
            mechanism=mechanism, created_by=actor, organizer=data.organizer or organization_of(actor), **_values(data)
        )
        activity.co_organizers.set([o for o in data.co_organizers if o.pk != activity.organizer_id])
        audit.record(
            actor=actor,
            target=activity,
            action="activity_create",
            to_state=f"activity.{A.DRAFT}",
            summary=f"{activity.get_kind_display()}：{activity.title}",
        )
    return activity


def activity_update(*, actor: User, activity: Activity, data: ActivityData) -> Activity:
    """Change an activity before it is held; once published, the registered people are told."""
    check(ACTIVITY, actor, activity, "edit", _("活动已举办或已取消，不能再修改。"))
    _check_data(activity.mechanism, data)
    if data.capacity < _confirmed(activity).count():
        raise ActionRefused(
            _("名额不能少于已报名的人数（%(n)s 人）。") % {"n": _confirmed(activity).count()}, field="capacity"
        )
    values = _values(data)
    values["organizer"] = data.organizer or activity.organizer
    published = activity.published_at is not None
    with transaction.atomic():
        before = {name: getattr(activity, name) for name in FIELDS}
        updated = Activity.objects.filter(pk=activity.pk, status__in=ACTIVITY_EDITABLE).update(
            **values, sequence=F("sequence") + (1 if published else 0), updated_at=timezone.now()
        )
        if updated != 1:
            raise ActionRefused(_("活动已举办或已取消，不能再修改。"), ActionRefused.STATE)
        activity.refresh_from_db()
        activity.co_organizers.set([o for o in data.co_organizers if o.pk != activity.organizer_id])
        after = {name: getattr(activity, name) for name in FIELDS}
        summary = audit.changed_fields_summary(
            _readable(before), _readable(after), audit.field_labels(Activity, FIELDS)
        )
        ACTIVITY.perform(actor, activity, "edit", checked=True, summary=summary)
        if published:
            _promote(activity)
            _tell(
                _registered_users(activity),
                activity,
                _("活动变更：%(title)s") % {"title": activity.title},
                _("活动安排有变更，请以本通知为准。"),
            )
    return activity


def _readable(values: dict) -> dict:
    return {
        name: timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value
        for name, value in values.items()
        if name != "description"
    }


# --- who is told ---------------------------------------------------------------------------------


def audience(activity: Activity) -> list[User]:
    """The people told when the activity is published: the organizing staff and liaison officers of the
    parties told in the mechanism (`membership.told`: not those that left or whose place is not told), and the audience chosen (all staff of the parties; users of the chambers under them).

    Enterprises are told apart (`enterprise_audience`): their link leads to the portal.
    """
    told = membership.told(activity.mechanism_id, membership.Notice.ACTIVITY)
    parties = told.organization_ids
    people = {u.pk: u for u in users_with_roles(parties, *ORGANIZING_ROLES)}
    officers = told.parties.filter(liaison_officer__isnull=False)
    people.update({u.pk: u for u in User.objects.filter(pk__in=officers.values("liaison_officer"), is_active=True)})
    if activity.for_party_staff:
        people.update({u.pk: u for u in User.objects.filter(organization_id__in=parties, is_active=True)})
    if activity.for_chamber_members:
        chambers = Organization.objects.filter(kind=OrganizationKind.CHAMBER, parent_id__in=parties)
        people.update({u.pk: u for u in User.objects.filter(organization__in=chambers, is_active=True)})
    return list(people.values())


def enterprise_audience(activity: Activity) -> list[User]:
    """The confirmed users of the mechanism's enterprises, when the activity is open to enterprises."""
    if not activity.for_enterprises:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            enterprise_membership__state=MembershipState.CONFIRMED,
            enterprise_membership__enterprise__mechanism_id=activity.mechanism_id,
        )
    )


def portal_activity_url(activity_id: int) -> str:
    return reverse("portal_activities:enterprise_activity_detail", args=[activity_id])


def _when(activity: Activity) -> str:
    start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}—{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}—{end:%Y-%m-%d %H:%M}"


def _body(activity: Activity, lead: str) -> str:
    lines = [
        lead,
        "",
        _("活动：%(title)s（%(kind)s）") % {"title": activity.title, "kind": activity.get_kind_display()},
        _("时间：%(when)s") % {"when": _when(activity)},
    ]
    if activity.place:
        lines.append(_("地点：%(place)s") % {"place": activity.place})
    if activity.online_link:
        lines.append(_("线上链接：%(link)s") % {"link": activity.online_link})
    lines.append(_("主办单位：%(org)s") % {"org": activity.organizer.name})
    if activity.registration_deadline:
        lines.append(
            _("报名截止：%(when)s")
            % {"when": timezone.localtime(activity.registration_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    if activity.reason:
        lines += ["", _("理由：%(reason)s") % {"reason": activity.reason}]
    return "\n".join(lines)


def _tell(recipients: Iterable[User], activity: Activity, title: str, lead: str, key: str | None = None) -> int:
    """Notifications to these people (email as each chose for meeting notices), in the caller's transaction.

    Enterprise users (no organization) are sent to the activity's portal page."""
    body, url, portal = _body(activity, lead), activity_url(activity.pk), portal_activity_url(activity.pk)
    drafts = [
        Draft(
            user.pk,
            NotificationKind.MEETING,
            title,
            body,
            portal if user.organization_id is None else url,
            f"{key}:{user.pk}"[:200] if key else None,
        )
        for user in {u.pk: u for u in recipients}.values()
    ]
    return create_notifications(drafts)


def _registered_users(activity: Activity) -> list[User]:
    return [
        r.user for r in activity.registrations.filter(status__in=[R.CONFIRMED, R.WAITLISTED]).select_related("user")
    ]


# --- the steps -----------------------------------------------------------------------------------


def activity_publish(*, actor: User, activity: Activity) -> Activity:
    """Open registration and tell the parties and the chosen audience."""
    ACTIVITY.check(actor, activity, "publish")
    with transaction.atomic():
        people = audience(activity)
        enterprises = enterprise_audience(activity)
        ACTIVITY.perform(
            actor,
            activity,
            "publish",
            checked=True,
            published_at=timezone.now(),
            summary=_("通知 %(n)s 人") % {"n": len(people) + len(enterprises)},
        )
        title = _("活动通知：%(title)s") % {"title": activity.title}
        _tell(people, activity, title, _("欢迎报名参加以下活动。"), key=f"activity.publish:{activity.pk}")
        _tell(
            enterprises,
            activity,
            title,
            _("欢迎贵企业报名参加以下活动，请在企业服务页面报名。"),
            key=f"activity.publish:{activity.pk}",
        )
    return activity


def activity_close_registration(*, actor: User, activity: Activity) -> Activity:
    with transaction.atomic():
        return ACTIVITY.perform(actor, activity, "close_registration", closed_at=timezone.now())


def activity_hold(*, actor: User, activity: Activity) -> Activity:
    """Record that the activity took place (on or after its day); sign-ins and the report follow."""
    with transaction.atomic():
        return ACTIVITY.perform(actor, activity, "hold", held_at=timezone.now())


def activity_cancel(*, actor: User, activity: Activity, reason: str) -> Activity:
    """Call the activity off with a reason; everyone registered is told."""
    ACTIVITY.check(actor, activity, "cancel")
    reason = required(reason, _("取消理由"), "reason")
    with transaction.atomic():
        ACTIVITY.perform(
            actor,
            activity,
            "cancel",
            checked=True,
            reason=reason[:300],
            sequence=F("sequence") + (1 if activity.published_at else 0),
            summary=reason,
        )
        _tell(
            _registered_users(activity),
            activity,
            _("活动取消：%(title)s") % {"title": activity.title},
            _("以下活动取消。"),
        )
    return activity


def allowed_actions(actor: User, activity: Activity) -> list[str]:
    return names(ACTIVITY, actor, activity, ACTIVITY_ACTIONS)


# --- registration --------------------------------------------------------------------------------


def _confirmed(activity: Activity):
    return Registration.objects.filter(activity_id=activity.pk, status=R.CONFIRMED)


def _promote(activity: Activity) -> list[Registration]:
    """Give free places to the waiting list, first come first served; call with the activity locked."""
    free = activity.capacity - _confirmed(activity).count()
    if free <= 0:
        return []
    waiting = list(
        Registration.objects.filter(activity_id=activity.pk, status=R.WAITLISTED)
        .select_related("user")
        .order_by("registered_at", "id")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        Registration.objects.filter(pk=registration.pk, status=R.WAITLISTED).update(status=R.CONFIRMED, promoted_at=now)
        registration.status = R.CONFIRMED
        audit.record(
            actor=None,
            target=activity,
            action="activity_promote",
            summary=_("%(name)s 由候补转为正式报名") % {"name": registration.user.display_name},
        )
    if waiting:
        _tell(
            [r.user for r in waiting],
            activity,
            _("候补转正：%(title)s") % {"title": activity.title},
            _("有人取消报名，您已由候补转为正式报名。"),
        )
    return waiting


def _locked(activity: Activity) -> Activity:
    """The activity row locked until the transaction ends: registrations are counted under it."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def registration_create(*, actor: User, activity: Activity) -> Registration:
    """Register the actor: a place while there is one, else the waiting list."""
    check(ACTIVITY, actor, activity, "register", _("活动不在报名期间。"))
    with transaction.atomic():
        locked = _locked(activity)
        if locked.status != A.PUBLISHED:
            raise ActionRefused(_("活动不在报名期间。"), ActionRefused.STATE)
        if Registration.objects.filter(activity=locked, user=actor).exclude(status=R.CANCELLED).exists():
            raise ActionRefused(_("您已报名该活动。"), ActionRefused.STATE)
        status = R.CONFIRMED if _confirmed(locked).count() < locked.capacity else R.WAITLISTED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(activity=locked, user=actor, status=status)
        except IntegrityError:
            raise ActionRefused(_("您已报名该活动。"), ActionRefused.STATE) from None
        audit.record(
            actor=actor,
            target=locked,
            action="activity_register",
            summary=registration.get_status_display(),
        )
    return registration


def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    """Withdraw a registration (the registrant, or the organizing side); the first waiting takes the place."""
    activity = registration.activity
    check(ACTIVITY, actor, activity, "withdraw", _("活动已举办或已取消，不能再取消报名。"))
    organizing = ORGANIZER in activity_sides(actor, activity) and actor.has_role(*ORGANIZING_ROLES)
    if registration.user_id != actor.pk and not organizing:
        raise ActionRefused(_("只能取消本人的报名。"), ActionRefused.PERMISSION)
    with transaction.atomic():
        locked = _locked(activity)
        updated = Registration.objects.filter(
            pk=registration.pk, status__in=[R.CONFIRMED, R.WAITLISTED], signed_in_at__isnull=True
        ).update(status=R.CANCELLED, cancelled_at=timezone.now())
        if updated != 1:
            raise ActionRefused(_("该报名已取消或已签到。"), ActionRefused.STATE)
        audit.record(
            actor=actor,
            target=locked,
            action="activity_withdraw",
            summary=_("%(name)s 取消报名") % {"name": registration.user.display_name},
        )
        _promote(locked)
    registration.refresh_from_db()
    return registration


# --- on the day and after ------------------------------------------------------------------------


def sign_in_record(*, actor: User, activity: Activity, present: Iterable[int]) -> int:
    """Record who signed in (registration ids); the others are cleared, so the sheet can be corrected."""
    check(ACTIVITY, actor, activity, "sign_in", _("活动未发布、已取消，或尚未到举办日期。"))
    present = set(present)
    confirmed = set(_confirmed(activity).values_list("pk", flat=True))
    if present - confirmed:
        raise ActionRefused(_("只能为已报名（非候补）的人员登记签到。"), field="present")
    now = timezone.now()
    with transaction.atomic():
        _locked(activity)
        Registration.objects.filter(pk__in=present, signed_in_at__isnull=True).update(
            signed_in_at=now, signed_in_by=actor
        )
        Registration.objects.filter(activity_id=activity.pk).exclude(pk__in=present).update(
            signed_in_at=None, signed_in_by=None
        )
        ACTIVITY.perform(actor, activity, "sign_in", checked=True, summary=_("签到 %(n)s 人") % {"n": len(present)})
    return len(present)


def activity_report_record(
    *,
    actor: User,
    activity: Activity,
    report: str,
    enterprises_reached: int = 0,
    photos: Sequence[tuple[UploadedFile, FileKind]] = (),
) -> Activity:
    """The short report of a held activity, the enterprises it reached, and its photos (checked uploads,
    as `liaison.forms.MultipleFileField` gives them)."""
    ACTIVITY.check(actor, activity, "report")
    report = required(report, _("活动简报"), "report")
    if enterprises_reached is None or enterprises_reached < 0:
        raise ActionRefused(_("覆盖企业数不能为负数。"), field="enterprises_reached")
    with attachments.stored_uploads(list(photos), actor=actor, purpose="activity_photo") as stored:
        with transaction.atomic():
            ACTIVITY.perform(
                actor,
                activity,
                "report",
                checked=True,
                report=report,
                enterprises_reached=enterprises_reached,
                summary=_("活动简报；覆盖企业 %(n)s 家；照片 %(p)s 张") % {"n": enterprises_reached, "p": len(stored)},
            )
            attachments.attachments_record(target=activity, stored=stored, actor=actor)
    return activity


# --- the reminder the day before -----------------------------------------------------------------


def activities_remind(on: dt.date | None = None) -> int:
    """Remind everyone registered (and on the waiting list) of the activities of tomorrow, once each.

    Safe to run hourly and concurrently: each reminder carries a dedup key (activity, its time, person).
    """
    on = on or deadlines.today()
    tomorrow = on + dt.timedelta(days=1)
    registrations = list(
        Registration.objects.filter(
            status__in=[R.CONFIRMED, R.WAITLISTED],
            activity__status__in=[A.PUBLISHED, A.CLOSED],
            activity__starts_at__date=tomorrow,
        ).select_related("activity", "activity__organizer", "user")
    )
    drafts = []
    for registration in registrations:
        activity = registration.activity
        title = _("活动提醒：%(title)s 将于明天 %(when)s 举办") % {
            "title": activity.title,
            "when": timezone.localtime(activity.starts_at).strftime("%H:%M"),
        }
        lead = (
            _("您报名的活动明天举办。")
            if registration.status == R.CONFIRMED
            else _("您在以下活动的候补名单中，如有名额将另行通知。")
        )
        key = f"activity.reminder:{activity.pk}:{activity.starts_at.isoformat()}:{registration.user_id}"
        drafts.append(
            Draft(
                registration.user_id,
                NotificationKind.MEETING,
                title,
                _body(activity, lead),
                portal_activity_url(activity.pk)
                if registration.user.organization_id is None
                else activity_url(activity.pk),
                key[:200],
            )
        )
    with transaction.atomic():
        return create_notifications(drafts)


__all__ = [
    "ActivityData",
    "activities_remind",
    "activity_cancel",
    "activity_close_registration",
    "activity_create",
    "activity_hold",
    "activity_publish",
    "activity_report_record",
    "activity_update",
    "allowed_actions",
    "audience",
    "enterprise_audience",
    "registration_cancel",
    "registration_create",
    "sign_in_record",
]
