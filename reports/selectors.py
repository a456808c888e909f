"""Reads of case reports, already scoped to the user.

The scoping rule of liaison.scoping decides which mechanisms a user sees; on top of it a draft
or a withdrawn report is seen only by its author organization: the other parties and the
higher-level readers see published reports only.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison import audit, scoping
from liaison.choices import DeadlineState
from liaison.models import Attachment, Deadline, Mechanism, User

from .choices import COMMENT_DEADLINE_KIND, ReportState
from .models import CommentRequest, MonthlyReport, Opinion, Report, Tag


def _readable(queryset: QuerySet[Report], user: User) -> QuerySet[Report]:
    rows = scoping.visible(queryset, user)
    return rows.filter(Q(state=ReportState.PUBLISHED) | Q(author_organization_id=user.organization_id))


def report_visible(user: User) -> QuerySet[Report]:
    """Every report the user may read (also the scope of their attachments)."""
    if not user.is_authenticated:
        return Report.objects.none()
    return _readable(Report.objects.all(), user)


def report_list(*, user: User) -> QuerySet[Report]:
    """The list rows with what a list shows, in a fixed number of queries."""
    return (
        report_visible(user)
        .select_related("mechanism", "author_organization", "author", "suggestion")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )


def report_get(*, user: User, pk: int) -> Report:
    """One readable report, else 404."""
    return scoping.get_visible_or_404(report_list(user=user), user, pk=pk)


def report_mechanisms(user: User) -> QuerySet[Mechanism]:
    """Mechanisms the user may write reports in: those their organization is party to."""
    return scoping.actionable_mechanisms(user).order_by("name")


def filter_mechanisms(user: User) -> QuerySet[Mechanism]:
    """Mechanisms offered in the list filter: every mechanism the user may read."""
    return scoping.visible_mechanisms(user).order_by("name")


def opinion_visible(user: User) -> QuerySet[Opinion]:
    """Opinions are read by the report's author organization and by the organization that wrote them."""
    if not user.is_authenticated:
        return Opinion.objects.none()
    reports = report_visible(user).values("pk")
    return Opinion.objects.filter(report__in=reports).filter(
        Q(report__author_organization_id=user.organization_id) | Q(organization_id=user.organization_id)
    )


def opinion_list(*, user: User, report: Report) -> list[Opinion]:
    """The report's opinions the user may read, each with `.files` (its attachments), in three queries."""
    opinions = list(
        opinion_visible(user)
        .filter(report=report)
        .select_related("organization", "author")
        .order_by("submitted_at", "id")
    )
    by_id: dict[str, list[Attachment]] = defaultdict(list)
    if opinions:
        content_type = ContentType.objects.get_for_model(Opinion)
        for attachment in Attachment.objects.filter(
            content_type=content_type, object_id__in=[str(o.pk) for o in opinions]
        ).order_by("uploaded_at", "id"):
            by_id[attachment.object_id].append(attachment)
    for opinion in opinions:
        opinion.files = by_id.get(str(opinion.pk), [])  # type: ignore[attr-defined] # for the page, not a field
    return opinions


def comment_request_visible(user: User) -> QuerySet[CommentRequest]:
    """A consultation (and its comment deadline) is visible with its report."""
    return CommentRequest.objects.filter(report__in=report_visible(user).values("pk"))


def comment_requests(*, user: User, report: Report) -> list[CommentRequest]:
    """For the author organization: each consulted party with its deadline; others see none."""
    if report.author_organization_id != user.organization_id or not report.is_draft_regulation:
        return []
    requests = list(report.comment_requests.select_related("organization").order_by("organization__name"))
    content_type = ContentType.objects.get_for_model(CommentRequest)
    deadlines = {
        d.object_id: d
        for d in Deadline.objects.filter(
            content_type=content_type,
            object_id__in=[str(r.pk) for r in requests],
            kind=COMMENT_DEADLINE_KIND,
        ).order_by("id")
    }  # the latest deadline of each request wins (a re-published report has a new one)
    for request in requests:
        request.deadline = deadlines.get(str(request.pk))  # type: ignore[attr-defined] # for the page, not a field
    return requests


def open_comment_deadline(request: CommentRequest) -> Deadline | None:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(CommentRequest),
        object_id=str(request.pk),
        kind=COMMENT_DEADLINE_KIND,
        state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED],
    ).first()


ACTION_LABELS = {
    "report_create": _("创建草稿"),
    "report_update": _("修改草稿"),
    "report_publish": _("发布"),
    "report_withdraw": _("撤回"),
    "report_reopen": _("退回草稿"),
    "opinion_submit": _("提交反馈意见"),
    "attachment_add": _("上传附件"),
    "monthly_generate": _("生成月度通报"),
    "monthly_regenerate": _("重新生成月度通报"),
    "report_public": _("在营商环境专栏公开"),
    "report_unpublic": _("撤出营商环境专栏"),
    "public_page_open": _("开设营商环境专栏"),
    "public_page_close": _("关闭营商环境专栏"),
}


def report_timeline(report: Report) -> list[dict]:
    """The report's audit events, with actions and states named in words for the timeline."""
    states = dict(ReportState.choices)
    return [
        {
            "created_at": event.created_at,
            "actor_name": event.actor_name,
            "actor_organization_name": event.actor_organization_name,
            "action": str(ACTION_LABELS.get(event.action, event.action)),
            "from_state": states.get(event.from_state, event.from_state),
            "to_state": states.get(event.to_state, event.to_state),
            "summary": event.summary,
        }
        for event in audit.history(report)
    ]


def monthly_list(*, user: User) -> QuerySet[MonthlyReport]:
    """The monthly reports the user may read (both sides and higher levels see every one)."""
    return (
        scoping.visible(MonthlyReport.objects.all(), user)
        .select_related("mechanism", "report", "report__author_organization", "generated_by")
        .order_by("-year", "-month", "mechanism__name")
    )


# --- the research programme ----------------------------------------------------------------------


def research_scope(user: User) -> QuerySet:
    from .models import ResearchTopic

    return scoping.visible(ResearchTopic.objects.all(), user)


def research_list(*, user: User, year: int | None = None) -> QuerySet:
    """The topics in scope with their counts, in a fixed number of queries."""
    from django.db.models import Count, Q

    rows = (
        research_scope(user)
        .select_related("mechanism", "lead_organization", "result")
        .annotate(
            milestone_count=Count("milestones", distinct=True),
            milestones_done=Count("milestones", filter=Q(milestones__done_at__isnull=False), distinct=True),
            use_count=Count("uses", distinct=True),
        )
        .order_by("-year", "mechanism__name", "id")
    )
    return rows.filter(year=year) if year else rows


def research_get(*, user: User, pk: int):  # noqa: ANN201 - a ResearchTopic
    from django.db.models import Prefetch

    from .models import ResearchMilestone, TopicApproval

    rows = (
        research_scope(user)
        .select_related("mechanism", "lead_organization", "proposed_by_organization", "agreed_meeting", "result")
        .prefetch_related(
            "participants",
            "uses",
            Prefetch("milestones", queryset=ResearchMilestone.objects.order_by("due_date", "order", "id")),
            Prefetch("approvals", queryset=TopicApproval.objects.select_related("organization", "approved_by")),
        )
    )
    return scoping.get_or_404(rows, pk=pk)
