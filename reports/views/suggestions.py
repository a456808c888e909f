"""Judicial suggestions and risk reports with replies: the list with each one's state, one
suggestion with its consultation, issue and reply, and the POST endpoint of its steps."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison import attachments, audit, deadlines
from liaison.downloads import download
from liaison.workflow_views import act_view, action_forms

from ..choices import SUGGESTION_KINDS, SuggestionState
from ..models import Suggestion
from ..suggestions import suggestion_get, suggestion_list, suggestion_workbook
from ..workflow import SUGGESTION

STATE_CSS = {
    SuggestionState.DRAFT: "secondary",
    SuggestionState.CONSULTATION: "info",
    SuggestionState.ISSUED: "primary",
    SuggestionState.REPLIED: "success",
    SuggestionState.OVERDUE: "danger",
}


def _rows(request: HttpRequest) -> tuple[QuerySet[Suggestion], str]:
    rows = suggestion_list(user=request.user).order_by("-report__published_at", "-pk")
    state = request.GET.get("state", "")
    if state in SuggestionState.values:
        rows = rows.filter(state=state)
    return rows, state


@login_required
@require_GET
def suggestion_export(request: HttpRequest) -> HttpResponse:
    """The list as an Excel workbook, with the same state filter."""
    rows, _state = _rows(request)
    today = deadlines.today()
    name = _("司法建议-%(date)s.xlsx") % {"date": today.strftime("%Y%m%d")}
    return download(suggestion_workbook(rows, today), name)


@login_required
@require_GET
def suggestion_list_page(request: HttpRequest) -> HttpResponse:
    """Every judicial suggestion and risk report the user sees, with where it stands."""
    rows, state = _rows(request)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    today = deadlines.today()
    return render(
        request,
        "reports/suggestion_list.html",
        {
            "page": page,
            "rows": [
                {
                    "s": s,
                    "css": STATE_CSS.get(s.state, "secondary"),
                    "late": s.state == SuggestionState.ISSUED and s.reply_due is not None and s.reply_due < today,
                }
                for s in page.object_list
            ],
            "states": SuggestionState.choices,
            "state": state,
            "kinds": SUGGESTION_KINDS,
        },
    )


def _context(request: HttpRequest, suggestion: Suggestion, bound: dict | None = None) -> dict:
    return {
        "suggestion": suggestion,
        "report": suggestion.report,
        "css": STATE_CSS.get(suggestion.state, "secondary"),
        "files": attachments.attachments_of(suggestion),
        "action_forms": action_forms(SUGGESTION, request, suggestion, bound or {}),
        "events": audit.history(suggestion),
    }


@login_required
@require_GET
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get(user=request.user, report_pk=pk)
    return render(request, "reports/suggestion_detail.html", _context(request, suggestion))


def _show_again(request: HttpRequest, suggestion: Suggestion, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "reports/suggestion_detail.html", _context(request, suggestion, {name: form}), status=400)


suggestion_act = login_required(
    act_view(
        SUGGESTION,
        load=lambda request, pk: suggestion_get(user=request.user, report_pk=pk),
        detail="reports:suggestion_detail",
        show_again=_show_again,
        invalid_again=True,
    )
)
