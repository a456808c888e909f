"""The steps on a complaint: one POST endpoint generated from `cases.workflow`, and the thread.

The page shows the forms of the steps the user may take now (`liaison.workflow_views`); a
refusal of the service is shown as an error message, a form that cannot be parsed is shown again
with its errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.errors import ActionRefused
from liaison.workflow import Transition
from liaison.workflow_views import act_view, done_message
from liaison.workflow_views import action_forms as step_forms

from .. import selectors, services
from ..forms import MessageForm
from ..models import Complaint, Transfer
from ..permissions import may_batch_transfer, may_post_message
from ..workflow import COMPLAINT


def _transfer_message(transfer: Transfer) -> str:
    link = reverse("cases:transfer_detail", args=[transfer.pk])
    return format_html(
        _('已移送{court}，移送函文号 <a href="{url}">{number}</a>。'),
        court=transfer.court.name,
        url=link,
        number=transfer.number,
    )


def _message(rule: Transition, result: Any, data: dict) -> str:
    if isinstance(result, Transfer):
        return _transfer_message(result)
    return done_message(rule, result, data)


def action_forms(request: HttpRequest, complaint: Complaint, bound: dict[str, forms.Form]) -> dict:
    """The forms of the steps the user may take now, and the thread's form."""
    user = request.user
    message_form = bound.get("message") or (
        MessageForm(initial={"internal": complaint.transferred_at is None})
        if may_post_message(user, complaint)
        else None
    )
    return {
        "action_forms": step_forms(COMPLAINT, request, complaint, bound),
        "batch_transfer": may_batch_transfer(user) and COMPLAINT.may(user, complaint, "transfer_batch"),
        "message_form": message_form,
    }


def _show_again(request: HttpRequest, complaint: Complaint, name: str, form: forms.Form) -> HttpResponse:
    from .complaints import detail_context

    return render(request, "cases/complaint_detail.html", detail_context(request, complaint, {name: form}))


complaint_act = login_required(
    act_view(
        COMPLAINT,
        load=lambda request, pk: selectors.complaint_get(user=request.user, pk=pk),
        detail="cases:complaint_detail",
        show_again=_show_again,
        message=_message,
    )
)


@login_required
@require_POST
def complaint_message(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查“%(action)s”表单中的内容。") % {"action": _("留言")})
        return _show_again(request, complaint, "message", form)
    try:
        services.message_post(
            actor=request.user,
            complaint=complaint,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data["internal"],
        )
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("内部备注已保存。") if form.cleaned_data["internal"] else _("留言已发送。"))
    return redirect(reverse("cases:complaint_detail", args=[pk]) + "#thread")
