"""Transfer letters: the list, one letter with its complaints and deadlines, its PDF, and the batch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison import audit, scoping
from liaison.deadlines import due_status_of, today
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.workdays import WorkingCalendar

from .. import documents, selectors, services
from ..filters import queue_filter
from ..forms import TransferBatchForm, apply_refusal
from ..models import Transfer
from ..permissions import may_batch_transfer
from ._common import page_of, rows_of


def _transfer_get(user: User, pk: int) -> Transfer:
    return scoping.get_or_404(selectors.transfer_list(user=user), pk=pk)


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.transfer_list(user=request.user))
    return render(
        request,
        "cases/transfer_list.html",
        {
            "page": page,
            "may_batch": may_batch_transfer(request.user),
        },
    )


@login_required
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    transfer = _transfer_get(user, pk)
    calendar, on = WorkingCalendar(), today()
    complaints = selectors.complaint_list(user=user).filter(transfer=transfer).order_by("serial")
    return render(
        request,
        "cases/transfer_detail.html",
        {
            "transfer": transfer,
            "registration_status": due_status_of(transfer.registration_due, calendar, on),
            "answer_status": due_status_of(transfer.answer_due, calendar, on),
            "rows": rows_of(complaints, calendar, on),
            "events": audit.history(transfer),
        },
    )


@login_required
@require_GET
def transfer_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer_get(request.user, pk)
    return download(documents.transfer_letter_file(transfer), f"{transfer.number}.pdf", inline=True)


@login_required
def transfer_batch(request: HttpRequest) -> HttpResponse:
    """At a joint meeting: the queued complaints chosen go to the courts, one letter per court."""
    user = request.user
    queued = queue_filter(selectors.complaint_list(user=user), "queued", user).order_by("court__name", "serial")
    form = TransferBatchForm(request.POST or None, queued=queued, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            transfers = services.complaints_transfer_batch(
                actor=user, complaints=list(form.cleaned_data["complaints"]), meeting_reference=form.reference()
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            numbers = "、".join(t.number for t in transfers)
            messages.success(request, _("已移送，移送函文号：%(numbers)s。") % {"numbers": numbers})
            if len(transfers) == 1:
                return redirect("cases:transfer_detail", pk=transfers[0].pk)
            return redirect("cases:transfer_list")
    checked = {int(v) for v in (form["complaints"].value() or []) if str(v).isdigit()}
    return render(
        request,
        "cases/transfer_batch.html",
        {
            "form": form,
            "rows": rows_of(queued, WorkingCalendar(), today()),
            "checked": checked,
        },
    )
