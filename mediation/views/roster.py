"""The roster pages: the list per court with filters and figures, its Excel and PDF, one mediator,
appointing and correcting, and the one POST endpoint of the entry's steps (generated from
`mediation.workflow.ROSTER`)."""

from __future__ import annotations

from dataclasses import dataclass

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
from liaison.models import User
from liaison.replica import use_replica
from liaison.validators import mask_phone
from liaison.workflow_views import act_view, action_forms

from .. import documents, exports, selectors, services
from ..filters import MediatorFilter
from ..forms import MediatorForm, apply_refusal, style_filter_form
from ..models import Mediator
from ..permissions import may_appoint, may_keep_roster
from ..workflow import ROSTER
from ._common import MEDIATOR_CSS, case_rows, page_of, query_without_page, term_left


def _filtered(request: HttpRequest) -> MediatorFilter:
    filterset = MediatorFilter(
        request.GET or None, queryset=selectors.mediator_list(user=request.user), user=request.user
    )
    style_filter_form(filterset.form)
    return filterset


def _phone(user: User, mediator: Mediator) -> str:
    return mediator.phone if selectors.can_see_phone(user, mediator) else mask_phone(mediator.phone)


@dataclass(frozen=True)
class RosterRow:
    mediator: Mediator
    phone: str
    status_css: str
    term_left: int | None
    success_rate: float | None
    in_time_rate: float | None


def roster_rows(user: User, mediators: object) -> list[RosterRow]:
    on = deadlines.today()
    rows = []
    for m in mediators:
        rows.append(
            RosterRow(
                m,
                _phone(user, m),
                MEDIATOR_CSS.get(m.status, "secondary"),
                term_left(m, on),
                m.successes / m.finished if m.finished else None,
                m.finished_in_time / m.finished if m.finished else None,
            )
        )
    return rows


@login_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    """The courts' rosters of invited mediators, with their figures."""
    filterset = _filtered(request)
    page = page_of(request, filterset.qs)
    court = filterset.form.cleaned_data.get("court") if filterset.is_bound and filterset.form.is_valid() else None
    return render(
        request,
        "mediation/roster.html",
        {
            "filter": filterset,
            "page": page,
            "rows": roster_rows(request.user, page.object_list),
            "query": query_without_page(request),
            "court": court,
            "may_appoint": may_appoint(request.user),
        },
    )


@login_required
@require_GET
@use_replica()
def roster_export(request: HttpRequest) -> HttpResponse:
    """The same filtered roster as the page, as an Excel workbook."""
    content = exports.roster_workbook(_filtered(request).qs, user=request.user)
    day = deadlines.today().strftime("%Y%m%d")
    return download(content, _("特邀调解员名册-%(date)s.xlsx") % {"date": day})


@login_required
@require_GET
def roster_pdf(request: HttpRequest) -> HttpResponse:
    """The filtered roster printed, one section per court."""
    mediators = list(_filtered(request).qs.order_by("court__name", "organisation__organization__name", "name", "pk"))
    day = deadlines.today().strftime("%Y%m%d")
    return download(documents.roster_pdf(mediators), _("特邀调解员名册-%(date)s.pdf") % {"date": day}, inline=True)


# --- one mediator --------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, mediator: Mediator, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    cases = selectors.case_list(user=user).filter(mediator=mediator).order_by("-referred_at")[:20]
    [row] = roster_rows(user, [mediator])
    return {
        "mediator": mediator,
        "row": row,
        "links": selectors.mediator_links(mediator),
        "action_forms": action_forms(ROSTER, request, mediator, bound),
        "may_edit": may_keep_roster(user, mediator),
        "cases": case_rows(cases, deadlines.today()),
        "events": audit.history(mediator),
    }


@login_required
@require_GET
def mediator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = selectors.mediator_get(user=request.user, pk=pk)
    return render(request, "mediation/mediator_detail.html", _detail_context(request, mediator))


def _show_again(request: HttpRequest, mediator: Mediator, name: str, form: forms.Form) -> HttpResponse:
    return render(
        request, "mediation/mediator_detail.html", _detail_context(request, mediator, {name: form}), status=400
    )


mediator_act = login_required(
    act_view(
        ROSTER,
        load=lambda request, pk: selectors.mediator_get(user=request.user, pk=pk),
        detail="mediation:mediator_detail",
        show_again=_show_again,
        invalid_again=True,
    )
)


@login_required
def mediator_create(request: HttpRequest) -> HttpResponse:
    form = MediatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        admission = form.cleaned_data["admission"]
        try:
            mediator = services.mediator_appoint(
                actor=request.user,
                organisation=admission.organisation,
                court=admission.court,
                data=form.data_for_service(),
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("已将%(name)s列入特邀调解员名册。") % {"name": mediator.name})
            return redirect("mediation:mediator_detail", pk=mediator.pk)
    return render(request, "mediation/mediator_form.html", {"form": form, "mediator": None})


@login_required
def mediator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = selectors.mediator_get(user=request.user, pk=pk)
    if not may_keep_roster(request.user, mediator):
        messages.error(request, _("只有聘任法院和调解组织的名册维护人员才能修改调解员信息。"))
        return redirect("mediation:mediator_detail", pk=mediator.pk)
    form = MediatorForm(request.POST or None, user=request.user, mediator=mediator)
    if request.method == "POST" and form.is_valid():
        try:
            services.mediator_update(actor=request.user, mediator=mediator, data=form.data_for_service())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("调解员信息已保存。"))
            return redirect("mediation:mediator_detail", pk=mediator.pk)
    return render(request, "mediation/mediator_form.html", {"form": form, "mediator": mediator})
