"""Minutes pages: the list, drafting and editing (with action items), approval, issuing, the PDF and
a print-friendly page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison import audit
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.workflow import Transition
from liaison.workflow_views import act_view, action_forms

from .. import documents, selectors, services
from ..choices import MinutesStatus
from ..filters import MinutesFilter
from ..forms import (
    ActionItemFormSet,
    MinutesForm,
    action_item_initial,
    action_items_of,
    apply_refusal,
    style_filter_form,
)
from ..models import Meeting, Minutes
from ..workflow import MEETING, MINUTES
from ._common import ITEM_CSS, MINUTES_CSS, page_of, query_without_page


@login_required
@require_GET
def minutes_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = MinutesFilter(request.GET or None, queryset=selectors.minutes_list(user=user), user=user)
    style_filter_form(filterset.form)
    return render(
        request,
        "meetings/minutes_list.html",
        {
            "filter": filterset,
            "page": page_of(request, filterset.qs),
            "css": MINUTES_CSS,
            "query": query_without_page(request),
        },
    )


def _edit(request: HttpRequest, meeting: Meeting, minutes: Minutes | None) -> HttpResponse:
    form = MinutesForm(request.POST or None, meeting=meeting, minutes=minutes)
    formset = ActionItemFormSet(
        request.POST or None,
        prefix="items",
        mechanism=meeting.mechanism,
        initial=action_item_initial(minutes) if minutes and request.method != "POST" else None,
    )
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
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "form": form,
            "formset": formset,
            "meeting": meeting,
            "minutes": minutes,
        },
    )


@login_required
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if not MEETING.may(request.user, meeting, "draft_minutes"):
        messages.error(request, _("会议确认召开后，由会议秘书起草纪要。"))
        return redirect("meetings:meeting_detail", pk=pk)
    return _edit(request, meeting, None)


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    if not MINUTES.may(request.user, minutes, "edit"):
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
        "action_forms": action_forms(MINUTES, request, minutes, bound or {}),
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


def _show_again(request: HttpRequest, minutes: Minutes, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "meetings/minutes_detail.html", detail_context(request, minutes, {name: form}))


def _then(rule: Transition, result: Any) -> str | None:
    """A correction is drafted: go on to edit it."""
    return reverse("meetings:minutes_edit", args=[result.pk]) if rule.creates else None


minutes_act = login_required(
    act_view(
        MINUTES,
        load=lambda request, pk: selectors.minutes_get(user=request.user, pk=pk),
        detail="meetings:minutes_detail",
        show_again=_show_again,
        then=_then,
    )
)


def _filename(minutes: Minutes) -> str:
    return f"{minutes.number} {minutes.title}.pdf" if minutes.number else f"{minutes.title}（{_('未印发')}）.pdf"


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    return download(documents.minutes_file(minutes), _filename(minutes), inline=request.GET.get("download") != "1")


@login_required
@require_GET
def minutes_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The same document as the PDF, as a page to print from the browser."""
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    return render(
        request,
        "meetings/print/minutes_page.html",
        {**documents.minutes_context(minutes), "is_draft": minutes.status != MinutesStatus.ISSUED},
    )
