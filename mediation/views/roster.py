"""The roster pages: the list per court with filters and figures, its Excel and PDF, one mediator,
appointing and correcting, and the status actions."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _, gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from cases.validators import mask_phone
from liaison import audit, deadlines
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.pdf import pdf_response
from liaison.replica import use_replica

from .. import documents, exports, selectors, services
from ..choices import MEDIATOR_TRANSITIONS
from ..filters import MediatorFilter
from ..forms import EmptyActionForm, LinkForm, MediatorForm, ReasonForm, RenewForm, apply_refusal, style_filter_form
from ..models import Mediator
from ._common import MEDIATOR_CSS, case_rows, page_of, query_without_page, term_left, xlsx_response


def _filtered(request: HttpRequest) -> MediatorFilter:
    filterset = MediatorFilter(request.GET or None, queryset=selectors.mediator_list(user=request.user),
                               user=request.user)
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
        rows.append(RosterRow(m, _phone(user, m), MEDIATOR_CSS.get(m.status, "secondary"), term_left(m, on),
                              m.successes / m.finished if m.finished else None,
                              m.finished_in_time / m.finished if m.finished else None))
    return rows


@login_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    """The courts' rosters of invited mediators, with their figures."""
    filterset = _filtered(request)
    page = page_of(request, filterset.qs)
    court = filterset.form.cleaned_data.get("court") if filterset.is_bound and filterset.form.is_valid() else None
    return render(request, "mediation/roster.html", {
        "filter": filterset, "page": page, "rows": roster_rows(request.user, page.object_list),
        "query": query_without_page(request), "court": court,
        "may_appoint": bool(services.appointable(request.user)),
    })


@login_required
@require_GET
@use_replica()
def roster_export(request: HttpRequest) -> HttpResponse:
    """The same filtered roster as the page, as an Excel workbook."""
    content = exports.roster_workbook(_filtered(request).qs, user=request.user)
    day = deadlines.today().strftime("%Y%m%d")
    return xlsx_response(content, f"mediators-{day}.xlsx", _("特邀调解员名册-%(date)s.xlsx") % {"date": day})


@login_required
@require_GET
def roster_pdf(request: HttpRequest) -> HttpResponse:
    """The filtered roster printed, one section per court."""
    mediators = list(_filtered(request).qs.order_by("court__name", "organisation__organization__name", "name", "pk"))
    day = deadlines.today().strftime("%Y%m%d")
    return pdf_response(documents.roster_pdf(mediators), _("特邀调解员名册-%(date)s.pdf") % {"date": day})


# --- one mediator --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    form: Callable[..., forms.Form]
    call: Callable[[User, Mediator, dict], object]
    done: object
    label: object
    button: str = "btn-outline-primary"


def _reason(label: object) -> Callable[..., forms.Form]:
    def build(*args: object, **kwargs: object) -> forms.Form:
        kwargs.pop("mediator", None)
        form = ReasonForm(*args, **kwargs)
        form.fields["reason"].label = label
        return form
    return build


def _plain(form_class: type[forms.Form]) -> Callable[..., forms.Form]:
    def build(*args: object, **kwargs: object) -> forms.Form:
        kwargs.pop("mediator", None)
        return form_class(*args, **kwargs)
    return build


ACTIONS: dict[str, Action] = {
    "suspend": Action(_reason(_l("暂停理由")),
                      lambda u, m, d: services.mediator_suspend(actor=u, mediator=m, reason=d["reason"]),
                      _l("已暂停该调解员。"), MEDIATOR_TRANSITIONS["suspend"].label, "btn-outline-warning"),
    "reinstate": Action(_plain(EmptyActionForm), lambda u, m, d: services.mediator_reinstate(actor=u, mediator=m),
                        _l("已恢复该调解员。"), MEDIATOR_TRANSITIONS["reinstate"].label, "btn-outline-success"),
    "remove": Action(_reason(_l("解聘理由")),
                     lambda u, m, d: services.mediator_remove(actor=u, mediator=m, reason=d["reason"]),
                     _l("已解聘该调解员。"), MEDIATOR_TRANSITIONS["remove"].label, "btn-outline-danger"),
    "renew": Action(_plain(RenewForm),
                    lambda u, m, d: services.mediator_renew(actor=u, mediator=m, term_end=d["term_end"],
                                                            appointment_number=d["appointment_number"]),
                    _l("已续聘。"), MEDIATOR_TRANSITIONS["renew"].label),
    "link": Action(LinkForm,
                   lambda u, m, d: services.mediator_link_add(actor=u, mediator=m, relation=d["relation"],
                                                              enterprise=d["enterprise"], party_name=d["party_name"]),
                   _l("利害关系已登记，涉及该当事人的案件将不再推荐该调解员。"), _l("登记利害关系")),
}


def _build(name: str, mediator: Mediator, data: object = None) -> forms.Form:
    return ACTIONS[name].form(data, prefix=name, mediator=mediator)


def _detail_context(request: HttpRequest, mediator: Mediator, bound: dict | None = None) -> dict:
    user = request.user
    allowed = services.mediator_transition_allowed(user, mediator)
    if allowed:
        allowed.append("link")
    bound = bound or {}
    cases = selectors.case_list(user=user).filter(mediator=mediator).order_by("-referred_at")[:20]
    [row] = roster_rows(user, [mediator])
    return {
        "mediator": mediator, "row": row,
        "links": selectors.mediator_links(mediator),
        "action_forms": [(name, ACTIONS[name].label, bound.get(name) or _build(name, mediator), ACTIONS[name].button)
                         for name in allowed],
        "may_edit": services.may_keep_roster(user, mediator),
        "cases": case_rows(cases, deadlines.today()),
        "events": audit.history(mediator),
    }


@login_required
@require_GET
def mediator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = selectors.mediator_get(user=request.user, pk=pk)
    return render(request, "mediation/mediator_detail.html", _detail_context(request, mediator))


@login_required
@require_POST
def mediator_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    mediator = selectors.mediator_get(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    form = _build(action, mediator, request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查“%(action)s”表单中的内容。") % {"action": ACTIONS[action].label})
        return render(request, "mediation/mediator_detail.html",
                      _detail_context(request, mediator, {action: form}), status=400)
    try:
        ACTIONS[action].call(request.user, mediator, form.cleaned_data)
    except ActionRefused as error:
        if error.code == ActionRefused.INVALID:
            apply_refusal(form, error)
            messages.error(request, error.message)
            return render(request, "mediation/mediator_detail.html",
                          _detail_context(request, mediator, {action: form}), status=400)
        messages.error(request, error.message)
    else:
        messages.success(request, str(ACTIONS[action].done))
    return redirect("mediation:mediator_detail", pk=pk)


@login_required
def mediator_create(request: HttpRequest) -> HttpResponse:
    form = MediatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        admission = form.cleaned_data["admission"]
        try:
            mediator = services.mediator_appoint(actor=request.user, organisation=admission.organisation,
                                                 court=admission.court, data=form.data_for_service())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("已将%(name)s列入特邀调解员名册。") % {"name": mediator.name})
            return redirect("mediation:mediator_detail", pk=mediator.pk)
    return render(request, "mediation/mediator_form.html", {"form": form, "mediator": None})


@login_required
def mediator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = selectors.mediator_get(user=request.user, pk=pk)
    if not services.may_keep_roster(request.user, mediator):
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
