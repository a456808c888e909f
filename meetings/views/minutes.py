"""Minutes pages: the list, drafting and editing (with action items), approval, issuing, the PDF and
a print-friendly page."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison import audit
from liaison.errors import ActionRefused
from liaison.pdf import pdf_response

from .. import documents, selectors, services
from ..choices import MinutesStatus
from ..filters import MinutesFilter
from ..forms import (
    ActionItemFormSet,
    DecisionForm,
    EmptyActionForm,
    MinutesForm,
    action_item_initial,
    action_items_of,
    apply_refusal,
    style_filter_form,
)
from ..models import Meeting, Minutes
from ._common import ITEM_CSS, MINUTES_CSS, page_of, query_without_page


@login_required
@require_GET
def minutes_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = MinutesFilter(request.GET or None, queryset=selectors.minutes_list(user=user), user=user)
    style_filter_form(filterset.form)
    return render(request, "meetings/minutes_list.html", {
        "filter": filterset, "page": page_of(request, filterset.qs), "css": MINUTES_CSS,
        "query": query_without_page(request),
    })


def _edit(request: HttpRequest, meeting: Meeting, minutes: Minutes | None) -> HttpResponse:
    form = MinutesForm(request.POST or None, meeting=meeting, minutes=minutes)
    formset = ActionItemFormSet(request.POST or None, prefix="items", mechanism=meeting.mechanism,
                                initial=action_item_initial(minutes) if minutes and request.method != "POST" else None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.data_for_service(action_items_of(formset))
        try:
            if minutes is None:
                minutes = services.minutes_create(actor=request.user, meeting=meeting, data=data)
            else:
                services.minutes_update(actor=request.user, minutes=minutes, data=data)
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("纪要已保存。核对无误后请送各方审定。"))
            return redirect("meetings:minutes_detail", pk=minutes.pk)
    return render(request, "meetings/minutes_form.html", {
        "form": form, "formset": formset, "meeting": meeting, "minutes": minutes,
    })


@login_required
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if "draft_minutes" not in services.allowed_actions(request.user, meeting):
        messages.error(request, _("会议确认召开后，由会议秘书起草纪要。"))
        return redirect("meetings:meeting_detail", pk=pk)
    return _edit(request, meeting, None)


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    if "edit" not in services.minutes_allowed_actions(request.user, minutes):
        if minutes.is_issued:
            messages.error(request, _("已印发的纪要不能修改；如需更正，请起草更正纪要。"))
        else:
            messages.error(request, _("纪要当前为“%(state)s”，您不能修改。") % {"state": minutes.get_status_display()})
        return redirect("meetings:minutes_detail", pk=pk)
    meeting = selectors.meeting_get(user=request.user, pk=minutes.meeting_id)
    return _edit(request, meeting, minutes)


def detail_context(request: HttpRequest, minutes: Minutes, bound: dict | None = None) -> dict:
    allowed = services.minutes_allowed_actions(request.user, minutes)
    approvals = list(minutes.approvals.all())
    return {
        "minutes": minutes,
        "status_css": MINUTES_CSS.get(minutes.status, "secondary"),
        "allowed": allowed,
        "decision_form": (bound or {}).get("decide") or (DecisionForm(prefix="decide") if "decide" in allowed else None),
        "current_approvals": [a for a in approvals if a.round == minutes.approval_round],
        "earlier_approvals": [a for a in approvals if a.round != minutes.approval_round],
        "item_css": ITEM_CSS,
        "events": audit.history(minutes),
        **documents.minutes_context(minutes),
    }


@login_required
@require_GET
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    return render(request, "meetings/minutes_detail.html", detail_context(request, minutes))


ACTIONS = {
    "submit": (lambda u, m, d: services.minutes_submit(actor=u, minutes=m), _("纪要已送各方领导审定。")),
    "issue": (lambda u, m, d: services.minutes_issue(actor=u, minutes=m), None),
    "correct": (lambda u, m, d: services.minutes_correct(actor=u, minutes=m), None),
}


@login_required
@require_POST
def minutes_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    if action == "decide":
        form = DecisionForm(request.POST, prefix="decide")
        if not form.is_valid():
            messages.error(request, _("请检查审定意见。"))
            return render(request, "meetings/minutes_detail.html", detail_context(request, minutes, {"decide": form}))
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.minutes_decide(actor=request.user, minutes=minutes, approve=approve,
                                    comment=form.cleaned_data["comment"])
        except ActionRefused as error:
            messages.error(request, error.message)
            if error.field == "comment":
                form.add_error("comment", error.message)
                return render(request, "meetings/minutes_detail.html",
                              detail_context(request, minutes, {"decide": form}))
        else:
            messages.success(request, _("已同意。") if approve else _("已退回修改。"))
        return redirect("meetings:minutes_detail", pk=pk)
    if action not in ACTIONS or not EmptyActionForm(request.POST).is_valid():
        raise Http404
    call, done = ACTIONS[action]
    try:
        result = call(request.user, minutes, {})
    except ActionRefused as error:
        messages.error(request, error.message)
        return redirect("meetings:minutes_detail", pk=pk)
    if action == "issue":
        messages.success(request, _("纪要已印发，编号 %(number)s，已分送各参与单位。") % {"number": result.number})
    elif action == "correct":
        messages.success(request, _("已起草更正纪要，请修改后送审。"))
        return redirect("meetings:minutes_edit", pk=result.pk)
    else:
        messages.success(request, done)
    return redirect("meetings:minutes_detail", pk=pk)


def _filename(minutes: Minutes) -> str:
    return f"{minutes.number} {minutes.title}.pdf" if minutes.number else f"{minutes.title}（{_('未印发')}）.pdf"


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    return pdf_response(documents.minutes_file(minutes), _filename(minutes),
                        inline=request.GET.get("download") != "1")


@login_required
@require_GET
def minutes_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The same document as the PDF, as a page to print from the browser."""
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    return render(request, "meetings/print/minutes_page.html", {
        **documents.minutes_context(minutes), "is_draft": minutes.status != MinutesStatus.ISSUED})
