"""Mediation case pages: the list with work queues and the ledger, registering a case, the detail
with the ranking of mediators, and the one POST endpoint of the case's steps (generated from
`mediation.workflow.CASE`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison import audit, deadlines
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.replica import use_replica
from liaison.validators import mask_phone
from liaison.workflow_views import act_view, action_forms, build_form

from .. import exports, selectors, services
from ..choices import OPEN_STATES
from ..filters import CaseFilter, queues_for
from ..forms import CaseForm, apply_refusal, party_formset, style_filter_form
from ..models import MediationCase
from ..permissions import may_refer
from ..ranking import rank_candidates
from ..workflow import CASE
from ._common import CASE_CSS, CONFIRMATION_CSS, case_rows, limit_status, page_of, query_without_page


def filtered_cases(request: HttpRequest) -> CaseFilter:
    """The case list's filters over the user's cases (also the figures' scope)."""
    filterset = CaseFilter(request.GET or None, queryset=selectors.case_list(user=request.user), user=request.user)
    style_filter_form(filterset.form)
    return filterset


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = filtered_cases(request)
    page = page_of(request, filterset.qs)
    return render(
        request,
        "mediation/case_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": case_rows(page.object_list, deadlines.today()),
            "queues": queues_for(request.user),
            "current_queue": request.GET.get("queue", ""),
            "query": query_without_page(request),
            "may_refer": may_refer(request.user),
        },
    )


@login_required
@require_GET
@use_replica()
def case_export(request: HttpRequest) -> HttpResponse:
    content = exports.case_ledger(filtered_cases(request).qs, user=request.user)
    day = deadlines.today().strftime("%Y%m%d")
    return download(content, _("调解案件台账-%(date)s.xlsx") % {"date": day})


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CaseForm(request.POST or None, user=user)
    parties = party_formset(request.POST or None, user, form.admissions)
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        d = form.cleaned_data
        admission = d["admission"]
        data = services.CaseData(
            source=d["source"],
            organisation=admission.organisation,
            court=admission.court,
            dispute_type=d["dispute_type"],
            title=d["title"],
            description=d["description"],
            amount=d["amount"],
            case_number=d["case_number"],
            parties=[p for p in (f.as_party() for f in parties.forms) if p],
        )
        try:
            case = services.case_refer(actor=user, data=data)
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(
                request,
                _("调解案件已登记（编号 %(serial)s），调解期限至 %(due)s。")
                % {"serial": case.serial, "due": case.due_date.isoformat()},
            )
            return redirect("mediation:case_detail", pk=case.pk)
    return render(request, "mediation/case_form.html", {"form": form, "parties": parties})


# --- one case ------------------------------------------------------------------------------------


def detail_context(request: HttpRequest, case: MediationCase, bound: dict | None = None) -> dict:
    """Everything the detail page shows; `bound` holds a submitted form to show again with its errors."""
    user = request.user
    bound = bound or {}
    # Assigning is done from the ranking of candidates, not from a form of its own.
    shown = [form for form in action_forms(CASE, request, case, bound) if form.name != "assign"]
    may_assign = CASE.may(user, case, "assign")
    show_contacts = selectors.can_see_party_contacts(user, case)
    parties = [(p, p.phone if show_contacts else mask_phone(p.phone)) for p in case.parties.all()]
    ranking = rank_candidates(case) if may_assign else None
    return {
        "case": case,
        "status_css": CASE_CSS.get(case.status, "secondary"),
        "confirmation_css": CONFIRMATION_CSS.get(case.confirmation, "secondary"),
        "limit": limit_status(case, deadlines.today()),
        "parties": parties,
        "sessions": selectors.case_sessions(case),
        "extensions": selectors.case_extensions(case),
        "declines": selectors.case_declines(case),
        "ranking": ranking,
        "assign_form": bound.get("assign") or (build_form(CASE, CASE["assign"], request, case) if may_assign else None),
        "action_forms": shown,
        "events": audit.history(case),
        "open": case.status in OPEN_STATES,
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    return render(request, "mediation/case_detail.html", detail_context(request, case))


def _show_again(request: HttpRequest, case: MediationCase, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "mediation/case_detail.html", detail_context(request, case, {name: form}), status=400)


case_act = login_required(
    act_view(
        CASE,
        load=lambda request, pk: selectors.case_get(user=request.user, pk=pk),
        detail="mediation:case_detail",
        show_again=_show_again,
        invalid_again=True,
    )
)
