"""Pages of the research programme: the list by year, the cadence, proposing, the detail with its steps."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison import audit, deadlines, scoping
from liaison.errors import ActionRefused
from liaison.forms import apply_refusal
from liaison.paging import page_of, query_without_page
from liaison.workflow_views import act_view, action_forms

from .. import research, selectors
from ..models import ResearchMilestone, ResearchTopic
from ..research_choices import EXPECTED_MAX, EXPECTED_MIN, TopicStatus
from ..research_forms import TopicForm
from ..research_workflow import RESEARCH

TOPIC_CSS = {
    TopicStatus.PROPOSED: "secondary",
    TopicStatus.AGREED: "primary",
    TopicStatus.FINISHED: "success",
    TopicStatus.DROPPED: "dark",
}


def _year(request: HttpRequest) -> int:
    raw = (request.GET.get("year") or "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else deadlines.today().year


@login_required
@require_GET
def research_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    page = page_of(request, selectors.research_list(user=request.user, year=year))
    return render(
        request,
        "reports/research_list.html",
        {
            "page": page,
            "year": year,
            "years": range(deadlines.today().year + 1, deadlines.today().year - 5, -1),
            "cadence": research.programme_cadence(user=request.user, year=year),
            "expected": (EXPECTED_MIN, EXPECTED_MAX),
            "css": TOPIC_CSS,
            "query": query_without_page(request),
            "may_propose": request.user.has_perm("reports.add_research_topic")
            and scoping.actionable_mechanisms(request.user).exists(),
        },
    )


@login_required
def research_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.add_research_topic"):
        raise PermissionDenied(_("您的角色不能提出调研课题。"))
    form = TopicForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            topic = research.topic_propose(
                actor=request.user, mechanism=form.cleaned_data["mechanism"], data=form.data_for_service()
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("课题已提出，等待双方领导同意或联席会议商定。"))
            return redirect("reports:research_detail", pk=topic.pk)
    return render(request, "reports/research_form.html", {"form": form})


def detail_context(request: HttpRequest, topic: ResearchTopic, bound: dict | None = None) -> dict:
    return {
        "topic": topic,
        "status_css": TOPIC_CSS.get(topic.status, "secondary"),
        "action_forms": action_forms(RESEARCH, request, topic, bound or {}),
        "may_mark_milestones": RESEARCH.may(request.user, topic, "milestone"),
        "today": deadlines.today(),
        "events": audit.history(topic),
    }


@login_required
@require_GET
def research_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.research_get(user=request.user, pk=pk)
    return render(request, "reports/research_detail.html", detail_context(request, topic))


def _render_with(request: HttpRequest, topic: ResearchTopic, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "reports/research_detail.html", detail_context(request, topic, {name: form}))


research_act = login_required(
    act_view(
        RESEARCH,
        load=lambda request, pk: selectors.research_get(user=request.user, pk=pk),
        detail="reports:research_detail",
        show_again=_render_with,
    )
)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = scoping.get_or_404(
        ResearchMilestone.objects.filter(topic__in=selectors.research_scope(request.user)).select_related("topic"),
        pk=pk,
    )
    try:
        research.milestone_done(actor=request.user, milestone=milestone)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("节点已登记完成。"))
    return redirect("reports:research_detail", pk=milestone.topic_id)


@login_required
@require_POST
def activity_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a held activity's report as a work bulletin shared with the parties."""
    from meetings.selectors import activity_get

    activity = activity_get(user=request.user, pk=pk)
    try:
        report = research.activity_report_share(actor=request.user, activity=activity)
    except ActionRefused as error:
        messages.error(request, error.message)
        return redirect("meetings:activity_detail", pk=pk)
    messages.success(request, _("活动简报已作为共享报告发布。"))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_GET
def research_export(request: HttpRequest) -> HttpResponse:
    """The year's programme as .xlsx: one row per topic in scope, with its milestones and uses."""
    from liaison.downloads import download
    from liaison.xlsx import SafeWorkbook, workbook_bytes

    year = _year(request)
    topics = selectors.research_list(user=request.user, year=year).prefetch_related("milestones", "uses")
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("调研课题"))
    sheet.append(
        [
            _("机制"),
            _("年度"),
            _("课题名称"),
            _("牵头单位"),
            _("状态"),
            _("商定方式"),
            _("结题时间"),
            _("节点"),
            _("调研报告"),
            _("成果转化运用"),
        ]
    )
    for topic in topics:
        sheet.append(
            [
                topic.mechanism.name,
                topic.year,
                topic.title,
                topic.lead_organization.name,
                topic.get_status_display(),
                topic.get_agreed_how_display() if topic.agreed_how else "",
                topic.due_date,
                "；".join(
                    f"{m.title} {m.due_date.isoformat()}{'（已完成）' if m.done_at else ''}"
                    for m in topic.milestones.all()
                ),
                topic.result.title if topic.result_id else "",
                "；".join(f"{u.get_kind_display()}：{u.title} {u.used_on.isoformat()}" for u in topic.uses.all()),
            ]
        )
    return download(workbook_bytes(workbook), _("调研课题-%(year)s.xlsx") % {"year": year})


@login_required
@require_GET
def research_programme_pdf(request: HttpRequest) -> HttpResponse:
    """The year's programme for print (PDF), by mechanism: each topic's lead party, group, milestones,
    state and uses; `mechanism` narrows it to one mechanism in scope (another answers 404)."""
    from liaison.downloads import download
    from liaison.pdf import render_pdf

    year = _year(request)
    topics = selectors.research_list(user=request.user, year=year).prefetch_related(
        "milestones", "uses", "participants__organization"
    )
    raw = (request.GET.get("mechanism") or "").strip()
    mechanism = None
    if raw:
        mechanism = scoping.get_or_404(scoping.visible_mechanisms(request.user), pk=raw)
        topics = topics.filter(mechanism=mechanism)
    groups: dict[int, dict] = {}
    for topic in topics.order_by("mechanism__name", "mechanism", "id"):
        groups.setdefault(topic.mechanism_id, {"mechanism": topic.mechanism, "topics": []})["topics"].append(topic)
    pdf = render_pdf(
        "reports/print/research_programme.html",
        {"year": year, "mechanism": mechanism, "groups": list(groups.values())},
    )
    return download(pdf, _("调研课题计划-%(year)s.pdf") % {"year": year}, inline=True)
