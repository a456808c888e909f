"""The state machine of activities, declared once: draft → published → registration closed → held,
or cancelled with a reason.

The parties of the mechanism read and register; the organizing side (the organizer and its
co-organizers, by one of the organizing roles) publishes, closes, records sign-ins and the
report. Registration, withdrawal and sign-in are steps beside the status (target None): they are
taken on their own forms but asked of the same declaration.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import deadlines, scoping
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.workflow import PARTY, Transition, Workflow, by

from .activity_choices import ACTIVITY_EDITABLE, ACTIVITY_LIVE, SIGN_IN_STATES, ActivityStatus

A = ActivityStatus
# The organizer of the activity and its co-organizers.
ORGANIZER = "organizer"
# A confirmed enterprise of the mechanism, for an activity whose audience includes enterprises.
ENTERPRISE = "enterprise"
ORGANIZING_ROLES = (Role.MEETING_SECRETARY, Role.FEDERATION_STAFF, Role.COURT_CLERK)
ANY_ROLE = tuple(Role.values)

SERVICES = "meetings.services.activities"
FORMS = "meetings.forms_activities"
SERIALIZERS = "meetings.api.activities"


def enterprise_mechanism_id(user: User) -> int | None:
    """The mechanism of the enterprise a confirmed enterprise user acts for (read once per user object)."""
    from cases.models import Enterprise
    from cases.workflow import confirmed_enterprise_id

    enterprise_id = confirmed_enterprise_id(user)
    if enterprise_id is None:
        return None
    if "_enterprise_mechanism_id" not in user.__dict__:
        user.__dict__["_enterprise_mechanism_id"] = (
            Enterprise.objects.filter(pk=enterprise_id).values_list("mechanism_id", flat=True).first()
        )
    return user.__dict__["_enterprise_mechanism_id"]


def activity_sides(actor: User, activity: Any) -> set[str]:
    """Every party of the mechanism; the organizing organizations also hold the organizer side. A
    confirmed enterprise of the mechanism holds the enterprise side of an activity open to enterprises."""
    if not actor.is_authenticated:
        return set()
    if actor.has_role(Role.ENTERPRISE) and actor.organization_id is None:
        if activity.for_enterprises and enterprise_mechanism_id(actor) == activity.mechanism_id:
            return {ENTERPRISE}
        return set()
    if not scoping.can_act(actor, activity.mechanism_id):
        return set()
    held = {PARTY}
    if actor.organization_id == activity.organizer_id or (
        activity.pk and activity.co_organizers.filter(pk=actor.organization_id).exists()
    ):
        held.add(ORGANIZER)
    return held


def side_labels() -> dict[str, Any]:
    return {PARTY: _("机制参与单位"), ORGANIZER: _("主办或协办单位"), ENTERPRISE: _("本机制的企业（面向企业的活动）")}


def activity_state(code: str) -> str:
    """Audit states are namespaced: "draft", "held"... are already labelled by other workflows."""
    return f"activity.{code}" if code else ""


def _day(moment: Any) -> Any:
    return timezone.localtime(moment).date()


def _still_ahead(actor: User, activity: Any) -> str | None:
    if activity.starts_at <= timezone.now():
        return _("活动开始时间已过，请先修改时间再发布。")
    return None


def _day_reached(actor: User, activity: Any) -> str | None:
    if _day(activity.starts_at) > deadlines.today():
        return _("活动定于 %(day)s 举办，举办当天或之后才能办理。") % {"day": _day(activity.starts_at).isoformat()}
    return None


def _registration_open(actor: User, activity: Any) -> str | ActionRefused | None:
    from .models import Registration

    if Registration.objects.filter(activity_id=activity.pk, user_id=actor.pk).exclude(status="cancelled").exists():
        return ActionRefused(_("您已报名该活动。"), ActionRefused.STATE)
    now = timezone.now()
    if activity.registration_deadline and now > activity.registration_deadline:
        return _("报名已于 %(when)s 截止。") % {
            "when": timezone.localtime(activity.registration_deadline).strftime("%Y-%m-%d %H:%M")
        }
    if activity.starts_at <= now:
        return _("活动已开始，不能再报名。")
    return None


def _has_report(actor: User, activity: Any) -> str | None:
    return None if activity.report.strip() else _("请先填写活动简报。")


ACTIVITY = Workflow(
    app="meetings",
    object_name="activity",
    sides=activity_sides,
    side_labels=side_labels,
    audit_prefix="activity_",
    audit_state=activity_state,
    stale_message=_("该活动已由 %(who)s 于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。"),
    transitions=[
        Transition(
            "publish",
            _("发布活动"),
            (A.DRAFT,),
            A.PUBLISHED,
            (by(ORGANIZER, *ORGANIZING_ROLES),),
            guard=_still_ahead,
            service=f"{SERVICES}.activity_publish",
            done=_("活动已发布，已通知各参与单位和面向的人员。"),
            button="btn-success",
            summary=_("发布（通知各参与单位和所选对象，开放报名）"),
        ),
        Transition(
            "close_registration",
            _("截止报名"),
            (A.PUBLISHED,),
            A.CLOSED,
            (by(ORGANIZER, *ORGANIZING_ROLES),),
            service=f"{SERVICES}.activity_close_registration",
            done=_("报名已截止。"),
            summary=_("截止报名（不再接受新的报名）"),
        ),
        Transition(
            "hold",
            _("确认已举办"),
            ACTIVITY_LIVE,
            A.HELD,
            (by(ORGANIZER, *ORGANIZING_ROLES),),
            guard=_day_reached,
            service=f"{SERVICES}.activity_hold",
            done=_("已确认活动举办。请补充签到、照片和活动简报。"),
            button="btn-success",
            summary=_("确认已举办（举办当天或之后）"),
        ),
        Transition(
            "cancel",
            _("取消活动"),
            (A.DRAFT, *ACTIVITY_LIVE),
            A.CANCELLED,
            (by(ORGANIZER, *ORGANIZING_ROLES),),
            service=f"{SERVICES}.activity_cancel",
            form=f"{FORMS}.ActivityReasonForm",
            serializer=f"{SERIALIZERS}.ActivityReasonSerializer",
            fields={"reason": _("取消理由")},
            confirm=_("取消后活动不能恢复，已报名的人员将收到取消通知。"),
            done=_("活动已取消。"),
            button="btn-outline-danger",
            summary=_("取消活动（须说明理由；通知已报名人员）"),
        ),
        # Steps on their own forms.
        Transition(
            "edit",
            _("修改活动"),
            ACTIVITY_EDITABLE,
            None,
            (by(ORGANIZER, *ORGANIZING_ROLES),),
            per_object=False,
            api=False,
        ),
        Transition(
            "register",
            _("报名"),
            (A.PUBLISHED,),
            None,
            (by(PARTY, *ANY_ROLE), by(ENTERPRISE, Role.ENTERPRISE)),
            guard=_registration_open,
            per_object=False,
            api=False,
        ),
        Transition(
            "withdraw",
            _("取消报名"),
            ACTIVITY_LIVE,
            None,
            (by(PARTY, *ANY_ROLE), by(ENTERPRISE, Role.ENTERPRISE)),
            per_object=False,
            api=False,
        ),
        Transition(
            "sign_in",
            _("登记签到"),
            SIGN_IN_STATES,
            None,
            (by(ORGANIZER, *ORGANIZING_ROLES),),
            guard=_day_reached,
            per_object=False,
            api=False,
        ),
        Transition(
            "report",
            _("填写活动简报"),
            (A.HELD,),
            None,
            (by(ORGANIZER, *ORGANIZING_ROLES),),
            per_object=False,
            api=False,
        ),
    ],
)
# The steps named in an activity's `allowed_actions`.
ACTIVITY_ACTIONS = ("publish", "close_registration", "hold", "cancel", "edit", "register", "sign_in", "report")
