"""The register of recommended people: the list per kind with counts, its Excel and PDF, filing a
candidate, one recommendation, and the one POST endpoint of its steps (generated from
`mediation.workflow.RECOMMENDATION`)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison import attachments, audit, deadlines
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.validators import mask_phone
from liaison.workflow_views import act_view, action_forms

from .. import documents, exports, selectors, services
from ..choices import RecommendationKind, RecommendationStatus
from ..filters import RecommendationFilter
from ..forms import RecommendationForm, apply_refusal, style_filter_form
from ..models import Recommendation
from ..permissions import may_recommend
from ..workflow import RECOMMENDATION
from ._common import page_of, query_without_page

R = RecommendationStatus
STATUS_CSS = {
    R.PENDING: "warning",
    R.APPOINTED: "success",
    R.DECLINED: "secondary",
    R.RECALLED: "secondary",
    R.WITHDRAWN: "dark",
    R.EXPIRED: "light",
}


def _filtered(request: HttpRequest) -> RecommendationFilter:
    filterset = RecommendationFilter(
        request.GET or None, queryset=selectors.recommendation_list(user=request.user), user=request.user
    )
    style_filter_form(filterset.form)
    return filterset


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: Recommendation
    phone: str
    status_css: str
    overdue: bool


def recommendation_rows(user: User, recommendations: object) -> list[RecommendationRow]:
    today = deadlines.today()
    return [
        RecommendationRow(
            r,
            r.phone if selectors.can_see_candidate_phone(user, r) else mask_phone(r.phone),
            STATUS_CSS.get(r.status, "secondary"),
            r.status == R.PENDING and r.decision_due < today,
        )
        for r in recommendations  # type: ignore[attr-defined]
    ]


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """The register per kind (tabs), with the counts of each kind."""
    filterset = _filtered(request)
    page = page_of(request, filterset.qs)
    counts = selectors.recommendation_counts(request.user)
    kind = request.GET.get("kind", "")
    tabs = [
        {"code": code, "label": label, "count": counts.get(code, {}).get("total", 0), "active": kind == code}
        for code, label in RecommendationKind.choices
    ]
    return render(
        request,
        "mediation/recommendation_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": recommendation_rows(request.user, page.object_list),
            "query": query_without_page(request),
            "tabs": tabs,
            "kind": kind,
            "counts": [
                {"label": label, **counts.get(code, {"total": 0, "appointed": 0, "serving": 0, "pending": 0})}
                for code, label in RecommendationKind.choices
            ],
            "may_recommend": may_recommend(request.user),
        },
    )


@login_required
@require_GET
def recommendation_export(request: HttpRequest) -> HttpResponse:
    content = exports.recommendation_workbook(_filtered(request).qs, user=request.user)
    day = deadlines.today().strftime("%Y%m%d")
    return download(content, _("推荐人选-%(date)s.xlsx") % {"date": day})


@login_required
@require_GET
def recommendation_pdf(request: HttpRequest) -> HttpResponse:
    day = deadlines.today().strftime("%Y%m%d")
    return download(
        documents.recommendations_pdf(_filtered(request).qs), _("推荐人选-%(date)s.pdf") % {"date": day}, inline=True
    )


def _detail_context(request: HttpRequest, recommendation: Recommendation, bound: dict | None = None) -> dict:
    [row] = recommendation_rows(request.user, [recommendation])
    return {
        "recommendation": recommendation,
        "row": row,
        "attachments": attachments.attachments_of(recommendation),
        "action_forms": action_forms(RECOMMENDATION, request, recommendation, bound or {}),
        "events": audit.history(recommendation),
    }


@login_required
@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(user=request.user, pk=pk)
    return render(request, "mediation/recommendation_detail.html", _detail_context(request, recommendation))


def _show_again(request: HttpRequest, recommendation: Recommendation, name: str, form: forms.Form) -> HttpResponse:
    return render(
        request,
        "mediation/recommendation_detail.html",
        _detail_context(request, recommendation, {name: form}),
        status=400,
    )


recommendation_act = login_required(
    act_view(
        RECOMMENDATION,
        load=lambda request, pk: selectors.recommendation_get(user=request.user, pk=pk),
        detail="mediation:recommendation_detail",
        show_again=_show_again,
        invalid_again=True,
    )
)


@login_required
def recommendation_create(request: HttpRequest) -> HttpResponse:
    if not may_recommend(request.user):
        messages.error(request, _("只有机制中推荐单位（工商联）的工作人员才能推荐人选。"))
        return redirect("mediation:recommendation_list")
    form = RecommendationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_file(
                actor=request.user, mechanism=form.cleaned_data["mechanism"], data=form.data_for_service()
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(
                request,
                _("已推荐%(name)s，请接收单位于 %(due)s 前决定。")
                % {"name": recommendation.name, "due": recommendation.decision_due},
            )
            return redirect("mediation:recommendation_detail", pk=recommendation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/recommendation_form.html", {"form": form}, status=status)
