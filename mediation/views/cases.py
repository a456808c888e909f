"""Mediation case pages: the list with work queues and the ledger, registering a case, the detail
with the ranking of mediators, and one POST endpoint dispatching the actions to the services."""
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
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.replica import use_replica

from .. import exports, selectors, services
from ..choices import CONFIRMATION_TRANSITIONS, TRANSITIONS, CaseStatus
from ..filters import CaseFilter, queues_for
from ..forms import (
    AgreementForm,
    AssignForm,
    CaseForm,
    EmptyActionForm,
    ExtensionForm,
    NoteForm,
    ReasonForm,
    RequiredNoteForm,
    SessionForm,
    apply_refusal,
    party_formset,
    style_filter_form,
)
from ..models import MediationCase
from ..ranking import rank_candidates
from ._common import CASE_CSS, CONFIRMATION_CSS, case_rows, limit_status, page_of, query_without_page, xlsx_response


def filtered_cases(request: HttpRequest) -> CaseFilter:
    """The case list's filters over the user's cases (also the figures' scope)."""
    filterset = CaseFilter(request.GET or None, queryset=selectors.case_list(user=request.user), user=request.user)
    style_filter_form(filterset.form)
    return filterset


def _may_refer(user: User) -> bool:
    return user.has_role(Role.COURT_CLERK, Role.COURT_HANDLER, Role.MEDIATION_MANAGER) and \
        selectors.referable(user).exists()


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = filtered_cases(request)
    page = page_of(request, filterset.qs)
    return render(request, "mediation/case_list.html", {
        "filter": filterset, "page": page, "rows": case_rows(page.object_list, deadlines.today()),
        "queues": queues_for(request.user), "current_queue": request.GET.get("queue", ""),
        "query": query_without_page(request), "may_refer": _may_refer(request.user),
    })


@login_required
@require_GET
@use_replica()
def case_export(request: HttpRequest) -> HttpResponse:
    content = exports.case_ledger(filtered_cases(request).qs, user=request.user)
    day = deadlines.today().strftime("%Y%m%d")
    return xlsx_response(content, f"mediation-cases-{day}.xlsx", _("调解案件台账-%(date)s.xlsx") % {"date": day})


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CaseForm(request.POST or None, user=user)
    parties = party_formset(request.POST or None, user, form.admissions)
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        d = form.cleaned_data
        admission = d["admission"]
        data = services.CaseData(
            source=d["source"], organisation=admission.organisation, court=admission.court,
            dispute_type=d["dispute_type"], title=d["title"], description=d["description"], amount=d["amount"],
            case_number=d["case_number"], parties=[p for p in (f.as_party() for f in parties.forms) if p],
        )
        try:
            case = services.case_refer(actor=user, data=data)
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("调解案件已登记（编号 %(serial)s），调解期限至 %(due)s。") % {
                "serial": case.serial, "due": case.due_date.isoformat()})
            return redirect("mediation:case_detail", pk=case.pk)
    return render(request, "mediation/case_form.html", {"form": form, "parties": parties})


# --- the actions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    """An action's form, its service call, and the message on success."""

    form: Callable[..., forms.Form]
    call: Callable[[User, MediationCase, dict], object]
    done: object
    label: object
    button: str = "btn-primary"
    needs_case: bool = False


def _reason(label: object) -> Callable[..., forms.Form]:
    def build(*args: object, **kwargs: object) -> forms.Form:
        form = ReasonForm(*args, **kwargs)
        form.fields["reason"].label = label
        return form
    return build


ACTIONS: dict[str, Action] = {
    "assign": Action(AssignForm, lambda u, c, d: services.case_assign(actor=u, case=c, mediator=d["mediator"]),
                     _l("已指派调解员，等待其接受。"), TRANSITIONS["assign"].label, needs_case=True),
    "accept": Action(EmptyActionForm, lambda u, c, d: services.case_accept(actor=u, case=c),
                     _l("已接受指派，请安排调解。"), TRANSITIONS["accept"].label, "btn-success"),
    "decline": Action(_reason(_l("拒绝理由")),
                      lambda u, c, d: services.case_decline(actor=u, case=c, reason=d["reason"]),
                      _l("已拒绝指派，案件退回调解组织重新指派。"), TRANSITIONS["decline"].label, "btn-outline-danger"),
    "session": Action(SessionForm,
                      lambda u, c, d: services.session_add(actor=u, case=c, scheduled_at=d["scheduled_at"],
                                                           place=d["place"], online_link=d["online_link"],
                                                           notes=d["notes"]),
                      _l("调解安排已保存。"), _l("安排或记录调解")),
    "agree": Action(AgreementForm,
                    lambda u, c, d: services.case_record_agreement(actor=u, case=c,
                                                                   agreement_text=d["agreement_text"],
                                                                   agreement_amount=d["agreement_amount"]),
                    _l("已记录调解协议。"), TRANSITIONS["agree"].label, "btn-success"),
    "fail": Action(_reason(_l("调解不成的原因")),
                   lambda u, c, d: services.case_record_failure(actor=u, case=c, reason=d["reason"]),
                   _l("已记录调解不成，已通知法院依法转立案。"), TRANSITIONS["fail"].label, "btn-outline-danger"),
    "withdraw": Action(_reason(_l("撤回理由")),
                       lambda u, c, d: services.case_withdraw(actor=u, case=c, reason=d["reason"]),
                       _l("调解已撤回。"), TRANSITIONS["withdraw"].label, "btn-outline-secondary"),
    "extend": Action(ExtensionForm,
                     lambda u, c, d: services.case_extend(actor=u, case=c, days=d["days"], reason=d["reason"],
                                                          applicant_consent=d["applicant_consent"],
                                                          respondent_consent=d["respondent_consent"],
                                                          consent_note=d["consent_note"]),
                     _l("调解期限已延长。"), _l("延长调解期限"), "btn-outline-primary"),
    "request_confirmation": Action(
        NoteForm, lambda u, c, d: services.confirmation_request(actor=u, case=c, note=d["note"]),
        _l("已向法院申请司法确认。"), CONFIRMATION_TRANSITIONS["request_confirmation"].label),
    "confirm": Action(NoteForm,
                      lambda u, c, d: services.confirmation_decide(actor=u, case=c, confirmed=True, note=d["note"]),
                      _l("已司法确认。"), CONFIRMATION_TRANSITIONS["confirm"].label, "btn-success"),
    "refuse_confirmation": Action(
        RequiredNoteForm,
        lambda u, c, d: services.confirmation_decide(actor=u, case=c, confirmed=False, note=d["note"]),
        _l("已决定不予确认。"), CONFIRMATION_TRANSITIONS["refuse_confirmation"].label, "btn-outline-danger"),
}


def _build(name: str, case: MediationCase, data: object = None) -> forms.Form:
    action = ACTIONS[name]
    kwargs = {"case": case} if action.needs_case else {}
    return action.form(data, prefix=name, **kwargs)


@dataclass(frozen=True)
class ActionForm:
    name: str
    label: str
    form: forms.Form
    button: str


def detail_context(request: HttpRequest, case: MediationCase, bound: dict | None = None) -> dict:
    """Everything the detail page shows; `bound` holds a submitted form to show again with its errors."""
    user = request.user
    bound = bound or {}
    allowed = services.allowed_actions(user, case)
    shown = [ActionForm(name, str(ACTIONS[name].label), bound.get(name) or _build(name, case), ACTIONS[name].button)
             for name in allowed if name in ACTIONS and name != "assign"]
    show_contacts = selectors.can_see_party_contacts(user, case)
    parties = [(p, p.phone if show_contacts else mask_phone(p.phone)) for p in case.parties.all()]
    ranking = rank_candidates(case) if "assign" in allowed else None
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
        "assign_form": bound.get("assign") or (_build("assign", case) if ranking is not None else None),
        "action_forms": shown,
        "events": audit.history(case),
        "open": case.status in (CaseStatus.REFERRED, CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    return render(request, "mediation/case_detail.html", detail_context(request, case))


def _show_again(request: HttpRequest, case: MediationCase, name: str, form: forms.Form) -> HttpResponse:
    messages.error(request, _("请检查“%(action)s”表单中的内容。") % {"action": ACTIONS[name].label})
    return render(request, "mediation/case_detail.html", detail_context(request, case, {name: form}), status=400)


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    form = _build(action, case, request.POST)
    if not form.is_valid():
        return _show_again(request, case, action, form)
    try:
        ACTIONS[action].call(request.user, case, form.cleaned_data)
    except ActionRefused as error:
        if error.code == ActionRefused.INVALID:
            apply_refusal(form, error)
            messages.error(request, error.message)
            return render(request, "mediation/case_detail.html", detail_context(request, case, {action: form}),
                          status=400)
        messages.error(request, error.message)
    else:
        messages.success(request, str(ACTIONS[action].done))
    return redirect("mediation:case_detail", pk=pk)
