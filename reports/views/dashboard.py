"""The leaders' dashboard of complaints: the figures of a month, quarter, year or custom range, drawn as SVG.

Thin like the other pages: parse the range and the mechanism, call `complaint_figures`, and shape the
rows for the tables and bar charts. A fixed number of queries: the mechanisms the user sees, then the
figures' own queries.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases.figures import STAGES, complaint_figures
from cases.forms import RangeForm, month_of
from liaison import scoping
from liaison.deadlines import today
from liaison.permissions import page_requires
from liaison.replica import use_replica
from mediation.figures import mediation_figures
from meetings.activity_figures import activity_figures
from meetings.figures import meeting_figures

from ..figures import mechanism_comparison

STAGE_LABELS = {
    "submission_to_transfer": gettext_lazy("提交→移送"),
    "transfer_to_registration": gettext_lazy("移送→登记"),
    "registration_to_answer": gettext_lazy("登记→反馈"),
}
BAR_WIDTH = 240  # the longest bar, in SVG user units
BAR_STEP = 26  # the height of one row of a chart


def _list_url(range_query: str, **filters: str) -> str:
    query = urlencode(filters)
    return f"{reverse('cases:complaint_list')}?{query + '&' if query else ''}{range_query}"


def _other_list(name: str, **filters: object) -> str:
    """Another app's list, filtered to what a figure counts."""
    return f"{reverse(name)}?{urlencode(filters)}"


def _comparison(request: HttpRequest, start, end, period_query: str) -> list[dict]:
    """The comparison rows of `mechanism_comparison` with their links and percentages."""
    range_query = urlencode({"submitted_from": start.isoformat(), "submitted_to": end.isoformat()})
    rows = []
    for row in mechanism_comparison(user=request.user, start=start, end=end):
        mechanism, figures, meeting, cases = row["mechanism"], row["complaints"], row["meetings"], row["mediation"]
        rows.append(
            {
                "mechanism": mechanism,
                "dashboard_url": f"{reverse('reports:dashboard')}?{period_query}&mechanism={mechanism.pk}",
                "list_url": _list_url(range_query, mechanism=mechanism.pk),
                "overdue_url": _list_url(range_query, mechanism=mechanism.pk, overdue="true"),
                "total": figures["total"],
                "open_total": figures["open_total"],
                "overdue": figures["overdue"],
                "on_time_percent": _percent(figures["on_time_share"]),
                "meetings_held": meeting["joint_meetings_held"],
                "meetings_required": meeting["joint_meetings_required"],
                "items_percent": _percent(meeting["action_items"]["on_time_share"]),
                "mediation_referred": cases["referred"],
                "mediation_success_percent": _percent(cases["success_rate"]),
            }
        )
    return rows


def _chart(rows: list[dict], param: str, range_query: str) -> dict:
    """Rows of counts with the link to each row's list and the geometry of its bar."""
    largest = max((row["count"] for row in rows), default=0)
    bars = [
        {
            **row,
            "url": _list_url(range_query, **{param: row["key"]}),
            "y": index * BAR_STEP,
            "text_y": index * BAR_STEP + 15,
            "width": round(BAR_WIDTH * row["count"] / largest) if largest else 0,
        }
        for index, row in enumerate(rows)
    ]
    for bar in bars:
        bar["count_x"] = 132 + bar["width"]
    return {"rows": bars, "height": max(len(bars), 1) * BAR_STEP, "width": 132 + BAR_WIDTH + 48}


def _percent(share: float | None) -> str | None:
    return None if share is None else f"{share * 100:.1f}%"


@login_required
@page_requires("reports.view_dashboard", _("统计看板供领导和系统管理员使用，您的角色不能查看。"))
@require_GET
@use_replica()
def dashboard(request: HttpRequest) -> HttpResponse:
    mechanisms = list(scoping.visible_mechanisms(request.user).order_by("name"))
    mechanism = scoping.chosen_mechanism(request.GET.get("mechanism"), mechanisms)
    form = RangeForm(request.GET or None)
    range_error = None
    start, end = month_of(today())
    if form.is_bound:
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        else:
            range_error = _("所选统计期间无效，已显示本月数据。")
    figures = complaint_figures(user=request.user, mechanism=mechanism, start=start, end=end)
    meetings = meeting_figures(user=request.user, mechanism=mechanism, start=start, end=end)
    mediation = mediation_figures(user=request.user, mechanism=mechanism, start=start, end=end)
    activities = activity_figures(user=request.user, mechanism=mechanism, start=start, end=end)

    period = {"period": "custom", "start": start.isoformat(), "end": end.isoformat()}
    scope = {"mechanism": mechanism.pk} if mechanism else {}
    range_query = urlencode({"submitted_from": start.isoformat(), "submitted_to": end.isoformat(), **scope})
    comparison = (
        _comparison(request, start, end, urlencode(period)) if mechanism is None and len(mechanisms) > 1 else None
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "range_error": range_error,
            "mechanisms": mechanisms,
            "mechanism": mechanism,
            "figures": figures,
            "start": start,
            "end": end,
            "comparison": comparison,
            "range_url": _list_url(range_query),
            "open_url": _list_url(range_query, open="true"),
            "overdue_url": _list_url(range_query, overdue="true"),
            "due_soon_url": _list_url(range_query, queue="due_soon"),
            "answered_url": _list_url(range_query, answered="true"),
            "reopened_url": _list_url(range_query, reopened="true"),
            "supervised_url": _list_url(range_query, under_supervision="true"),
            "averages": [
                {"label": STAGE_LABELS[name], "value": figures["average_working_days"][name]} for name in STAGES
            ],
            "on_time_percent": _percent(figures["on_time_share"]),
            "meetings": meetings,
            "meeting_items": [
                {
                    "label": label,
                    **meetings[key],
                    "percent": _percent(meetings[key]["on_time_share"]),
                    "overdue_url": _other_list(
                        "meetings:supervision",
                        source=source,
                        state="overdue",
                        due_after=start.isoformat(),
                        due_before=end.isoformat(),
                        **scope,
                    ),
                }
                for key, label, source in (
                    ("action_items", _("督办事项"), "minutes"),
                    ("tasks", _("双清单任务"), "dual_list"),
                )
            ],
            "mediation_url": _other_list(
                "mediation:case_list", referred_from=start.isoformat(), referred_to=end.isoformat(), **scope
            ),
            "mediation": mediation,
            "activities": activities,
            "mediation_success_percent": _percent(mediation["success_rate"]),
            "mediation_in_time_percent": _percent(mediation["in_time_share"]),
            "reopen_percent": _percent(figures["reopen_rate"]),
            "satisfaction_percent": _percent(figures["satisfaction"]["satisfaction_rate"]),
            "followup_percent": _percent(figures["satisfaction"]["followup_coverage"]),
            "charts": [
                {
                    "id": "by-state",
                    "title": _("未办结诉求（按状态）"),
                    "column": _("状态"),
                    **_chart(figures["open_by_state"], "status", range_query),
                },
                {
                    "id": "by-kind",
                    "title": _("按诉求类型"),
                    "column": _("诉求类型"),
                    **_chart(figures["by_kind"], "kind", range_query),
                },
                {
                    "id": "by-industry",
                    "title": _("按行业"),
                    "column": _("行业"),
                    **_chart(figures["by_industry"], "industry", range_query),
                },
                {
                    "id": "by-size",
                    "title": _("按企业规模"),
                    "column": _("企业规模"),
                    **_chart(figures["by_size"], "size", range_query),
                },
            ],
        },
    )
