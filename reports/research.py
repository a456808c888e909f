"""Every write of the research programme (调研课题), its reminders and its cadence; and the activity
report shared as a work bulletin.

Steps are declared in `reports.research_workflow.RESEARCH`: each service checks there, moves the
status with `RESEARCH.perform` (conditional update, audit event) and tells the people concerned,
in one transaction. Approvals by the parties' leaders are counted under a row lock of the topic,
so two leaders approving at once agree the topic exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import audit, deadlines, membership, scoping
from liaison.acting import organization_of
from liaison.choices import NotificationKind, Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User
from liaison.notifications import Draft, create_notifications, notify
from liaison.workflow import require_role, required, users_with_roles
from meetings.activity_workflow import ACTIVITY
from meetings.choices import HELD_STATES
from meetings.models import Activity, Meeting

from .choices import ReportKind, ReportState
from .models import ActivityReport, Report, ResearchMilestone, ResearchTopic, ResearchUse, TopicApproval
from .research_choices import COUNTED_STATES, EXPECTED_MAX, EXPECTED_MIN, AgreedHow, TopicStatus, UseKind
from .research_workflow import RESEARCH, WORKING_ROLES

T = TopicStatus
# Days before a milestone when the lead party and the participants are reminded.
MILESTONE_NOTICE_DAYS = 7


@dataclass
class MilestoneData:
    title: str
    due_date: dt.date


@dataclass
class TopicData:
    year: int
    title: str
    lead_organization: Organization
    due_date: dt.date
    description: str = ""
    participants: Sequence[User] = ()
    milestones: Sequence[MilestoneData] = field(default_factory=list)


def topic_url(topic_id: int) -> str:
    return reverse("reports:research_detail", args=[topic_id])


def _agreeing(mechanism_id: int) -> list[int]:
    """The parties whose leaders agree a topic: those whose place approves minutes (by default the
    convenor and the core parties), so a member unit without a leader account never blocks a topic."""
    return membership.approving_organization_ids(mechanism_id)


def _check_data(mechanism: Mechanism, data: TopicData) -> None:
    required(data.title, _("课题名称"), "title")
    if not data.year or not 2000 <= data.year <= 2100:
        raise ActionRefused(_("请填写年度。"), field="year")
    parties = set(membership.party_organization_ids(mechanism.pk))
    if data.lead_organization is None or data.lead_organization.pk not in parties:
        raise ActionRefused(_("牵头单位须是本机制的参与单位。"), field="lead_organization")
    if data.due_date is None:
        raise ActionRefused(_("请填写结题时间。"), field="due_date")
    if data.due_date.year < data.year:
        raise ActionRefused(_("结题时间不能早于课题年度。"), field="due_date")
    if any(person.organization_id not in parties for person in data.participants):
        raise ActionRefused(_("课题组成员须是本机制参与单位的人员。"), field="participants")
    if set(_agreeing(mechanism.pk)) - {person.organization_id for person in data.participants}:
        raise ActionRefused(_("课题组须有各参与单位的成员。"), field="participants")
    for milestone in data.milestones:
        required(milestone.title, _("节点名称"), "milestones")
        if milestone.due_date is None or milestone.due_date > data.due_date:
            raise ActionRefused(_("节点“%(t)s”的时间须在结题时间之前。") % {"t": milestone.title}, field="milestones")


def topic_propose(*, actor: User, mechanism: Mechanism, data: TopicData) -> ResearchTopic:
    """Either party proposes a topic for the year, with its lead party, participants and milestones."""
    if not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)
    require_role(actor, WORKING_ROLES, _("提出调研课题"))
    _check_data(mechanism, data)
    try:
        with transaction.atomic():
            topic = ResearchTopic.objects.create(
                mechanism=mechanism,
                year=data.year,
                title=data.title.strip(),
                description=data.description.strip(),
                proposed_by=actor,
                proposed_by_organization=organization_of(actor),
                lead_organization=data.lead_organization,
                due_date=data.due_date,
            )
            topic.participants.set(list(data.participants))
            ResearchMilestone.objects.bulk_create(
                [
                    ResearchMilestone(topic=topic, order=n, title=m.title.strip(), due_date=m.due_date)
                    for n, m in enumerate(data.milestones, start=1)
                ]
            )
            audit.record(
                actor=actor,
                target=topic,
                action="research_propose",
                to_state=f"research.{T.PROPOSED}",
                summary=f"{data.year}：{topic.title}",
            )
            leaders = users_with_roles(_agreeing(mechanism.pk), Role.LEADER)
            notify(
                [u for u in leaders if u.pk != actor.pk],
                kind=NotificationKind.WORK,
                title=_("调研课题待商定：%(title)s") % {"title": topic.title},
                body=_("%(org)s提出了 %(year)s 年度调研课题，请商定。")
                % {"org": topic.proposed_by_organization.name, "year": data.year},
                url=topic_url(topic.pk),
            )
    except IntegrityError:
        raise ActionRefused(_("本机制该年度已有同名课题。"), field="title") from None
    return topic


def _locked(topic: ResearchTopic) -> ResearchTopic:
    return ResearchTopic.objects.select_for_update().get(pk=topic.pk)


def topic_approve(*, actor: User, topic: ResearchTopic) -> ResearchTopic:
    """A party's leader agrees; the last party's agreement makes the topic agreed."""
    RESEARCH.check(actor, topic, "approve")
    with transaction.atomic():
        locked = _locked(topic)
        RESEARCH.check(actor, locked, "approve")
        TopicApproval.objects.create(topic=locked, organization_id=actor.organization_id, approved_by=actor)
        approved = set(TopicApproval.objects.filter(topic=locked).values_list("organization_id", flat=True))
        if set(_agreeing(locked.mechanism_id)) <= approved:
            RESEARCH.perform(
                actor,
                locked,
                "approve",
                checked=True,
                target=T.AGREED,
                agreed_how=AgreedHow.LEADERS,
                agreed_at=timezone.now(),
                summary=_("各参与单位领导均已同意，课题商定"),
            )
            _tell_agreed(locked)
        else:
            RESEARCH.perform(
                actor, locked, "approve", checked=True, summary=_("%(org)s同意") % {"org": actor.organization}
            )
    topic.refresh_from_db()
    return topic


def topic_agree_at_meeting(*, actor: User, topic: ResearchTopic, meeting: Meeting) -> ResearchTopic:
    """Record that a joint meeting of the mechanism agreed the topic."""
    RESEARCH.check(actor, topic, "agree_at_meeting")
    if meeting is None or meeting.mechanism_id != topic.mechanism_id or meeting.status not in HELD_STATES:
        raise ActionRefused(_("请选择本机制已召开的会议。"), field="meeting")
    with transaction.atomic():
        RESEARCH.perform(
            actor,
            topic,
            "agree_at_meeting",
            checked=True,
            agreed_how=AgreedHow.MEETING,
            agreed_meeting=meeting,
            agreed_at=timezone.now(),
            summary=_("经 %(meeting)s 商定") % {"meeting": meeting.title},
        )
        _tell_agreed(topic)
    return topic


def _tell_agreed(topic: ResearchTopic) -> None:
    people = {*topic.participants.all(), *users_with_roles([topic.lead_organization_id], *WORKING_ROLES)}
    notify(
        people,
        kind=NotificationKind.WORK,
        title=_("调研课题已商定：%(title)s") % {"title": topic.title},
        body=_("牵头单位：%(org)s；结题时间：%(due)s")
        % {"org": topic.lead_organization.name, "due": topic.due_date.isoformat()},
        url=topic_url(topic.pk),
    )


def milestone_done(*, actor: User, milestone: ResearchMilestone) -> ResearchMilestone:
    """Record a milestone reached (once)."""
    topic = milestone.topic
    RESEARCH.check(actor, topic, "milestone")
    with transaction.atomic():
        updated = ResearchMilestone.objects.filter(pk=milestone.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_by=actor
        )
        if updated != 1:
            raise ActionRefused(_("该节点已登记完成。"), ActionRefused.STATE)
        RESEARCH.perform(actor, topic, "milestone", checked=True, summary=milestone.title)
    milestone.refresh_from_db()
    return milestone


def topic_finish(*, actor: User, topic: ResearchTopic, report: Report) -> ResearchTopic:
    """Link the published research report of the mechanism as the topic's result."""
    RESEARCH.check(actor, topic, "finish")
    if (
        report is None
        or report.mechanism_id != topic.mechanism_id
        or report.kind != ReportKind.RESEARCH_REPORT
        or report.state != ReportState.PUBLISHED
    ):
        raise ActionRefused(_("请选择本机制已发布的调研报告。"), field="report")
    if ResearchTopic.objects.filter(result=report).exclude(pk=topic.pk).exists():
        raise ActionRefused(_("该调研报告已是另一课题的成果。"), field="report")
    with transaction.atomic():
        RESEARCH.perform(
            actor, topic, "finish", checked=True, result=report, finished_at=timezone.now(), summary=report.title
        )
    return topic


def topic_drop(*, actor: User, topic: ResearchTopic, reason: str) -> ResearchTopic:
    RESEARCH.check(actor, topic, "drop")
    reason = required(reason, _("撤销理由"), "reason")
    with transaction.atomic():
        RESEARCH.perform(actor, topic, "drop", checked=True, reason=reason[:300], summary=reason)
    return topic


def use_record(
    *, actor: User, topic: ResearchTopic, kind: str, title: str, used_on: dt.date, link: str = ""
) -> ResearchUse:
    """Record a use made of the result: a judicial suggestion, a policy, a typical case, a training."""
    RESEARCH.check(actor, topic, "record_use")
    if kind not in UseKind.values:
        raise ActionRefused(_("请选择运用方式。"), field="kind")
    title = required(title, _("名称"), "title")
    if used_on is None:
        raise ActionRefused(_("请填写日期。"), field="used_on")
    if used_on > deadlines.today():
        raise ActionRefused(_("日期不能晚于今天。"), field="used_on")
    with transaction.atomic():
        use = ResearchUse.objects.create(
            topic=topic, kind=kind, title=title[:200], used_on=used_on, link=(link or "").strip(), recorded_by=actor
        )
        RESEARCH.perform(actor, topic, "record_use", checked=True, summary=f"{use.get_kind_display()}：{use.title}")
    return use


# --- reminders -----------------------------------------------------------------------------------


def research_remind(on: dt.date | None = None) -> int:
    """Daily: in January, each mechanism without an agreed topic for the year (once per person and
    year); and before each milestone, the lead party and the participants (once per milestone date)."""
    on = on or deadlines.today()
    drafts: list[Draft] = []
    if on.month == 1:
        agreed = ResearchTopic.objects.filter(year=on.year, status__in=COUNTED_STATES).values("mechanism")
        for mechanism in Mechanism.objects.exclude(pk__in=agreed):
            told = membership.told(mechanism, membership.Notice.CADENCE_DUE, on).organization_ids
            people = users_with_roles(told, Role.LEADER, Role.MEETING_SECRETARY)
            for person in people:
                drafts.append(
                    Draft(
                        person.pk,
                        NotificationKind.DUE_SOON,
                        _("%(year)s 年度调研课题尚未商定：%(mechanism)s") % {"year": on.year, "mechanism": mechanism},
                        _("按机制约定，每年年初商定 1 至 2 个调研课题。请尽快提出并商定。"),
                        reverse("reports:research_list") + f"?year={on.year}",
                        f"research.january:{mechanism.pk}:{on.year}:{person.pk}",
                    )
                )
    horizon = on + dt.timedelta(days=MILESTONE_NOTICE_DAYS)
    milestones = (
        ResearchMilestone.objects.filter(
            done_at__isnull=True, due_date__gte=on, due_date__lte=horizon, topic__status=T.AGREED
        )
        .select_related("topic")
        .prefetch_related("topic__participants")
    )
    for milestone in milestones:
        topic = milestone.topic
        people = {u.pk for u in topic.participants.all()}
        people |= {u.pk for u in users_with_roles([topic.lead_organization_id], Role.MEETING_SECRETARY, Role.LEADER)}
        for user_id in people:
            drafts.append(
                Draft(
                    user_id,
                    NotificationKind.DUE_SOON,
                    _("调研课题节点将到期：%(title)s · %(milestone)s（%(due)s）")
                    % {"title": topic.title, "milestone": milestone.title, "due": milestone.due_date.isoformat()},
                    "",
                    topic_url(topic.pk),
                    f"research.milestone:{milestone.pk}:{milestone.due_date.isoformat()}:{user_id}",
                )
            )
    with transaction.atomic():
        return create_notifications(drafts)


# --- the cadence -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    mechanism: Mechanism
    year: int
    agreed: int
    proposed: int
    finished: int

    @property
    def state(self) -> str:
        if self.agreed < EXPECTED_MIN:
            return "missing"
        return "above" if self.agreed > EXPECTED_MAX else "met"


def programme_cadence(*, user: User, year: int) -> list[ProgrammeRow]:
    """Per mechanism the user sees: topics agreed for the year against the 1–2 expected (one query)."""
    mechanisms = scoping.visible_mechanisms(user).annotate(
        agreed=Count(
            "research_topics", filter=Q(research_topics__year=year, research_topics__status__in=COUNTED_STATES)
        ),
        proposed=Count("research_topics", filter=Q(research_topics__year=year, research_topics__status=T.PROPOSED)),
        finished=Count("research_topics", filter=Q(research_topics__year=year, research_topics__status=T.FINISHED)),
    )
    return [ProgrammeRow(m, year, m.agreed, m.proposed, m.finished) for m in mechanisms.order_by("name")]


# --- the activity report as a shared report -------------------------------------------------------


def activity_report_share(*, actor: User, activity: Activity) -> Report:
    """Publish a held activity's short report as a work bulletin shared with the parties, and link it."""
    from .services import report_create, report_publish

    ACTIVITY.check(actor, activity, "report")
    if not activity.report.strip():
        raise ActionRefused(_("请先填写活动简报。"), field="report")
    if ActivityReport.objects.filter(activity=activity).exists():
        raise ActionRefused(_("该活动的简报已作为共享报告发布。"), ActionRefused.STATE)
    signed_in = activity.registrations.filter(signed_in_at__isnull=False).count()
    body = "\n".join(
        [
            activity.report,
            "",
            _("活动类型：%(kind)s") % {"kind": activity.get_kind_display()},
            _("时间：%(when)s") % {"when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")},
            _("签到 %(n)s 人，覆盖企业 %(e)s 家。") % {"n": signed_in, "e": activity.enterprises_reached},
        ]
    )
    with transaction.atomic():
        report = report_create(
            mechanism=activity.mechanism,
            kind=ReportKind.WORK_BULLETIN,
            title=_("活动简报：%(title)s") % {"title": activity.title},
            summary=activity.report[:200],
            body=body,
            actor=actor,
        )
        report = report_publish(report=report, actor=actor)
        ActivityReport.objects.create(activity=activity, report=report)
        audit.record(actor=actor, target=activity, action="activity_share_report", summary=report.title)
    return report
