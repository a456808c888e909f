"""A law firm of a justice bureau's mechanism: its lawyers, listed and taken off the list by the
bureau or by the firm itself. The firm is reached by its place as a party of the mechanism, so
another mechanism's firm (or the same firm seen through another mechanism) is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.errors import ActionRefused
from liaison.models import MechanismParty

from .. import selectors, services
from ..forms import LawyerForm, apply_refusal


def _context(request: HttpRequest, firm: MechanismParty, form: LawyerForm | None = None) -> dict:
    may_manage = services.may_manage_lawyers(request.user, firm.mechanism, firm.organization)
    return {
        "firm": firm,
        "lawyers": selectors.firm_lawyers(firm),
        "pairings": selectors.pairing_list(user=request.user).filter(
            mechanism_id=firm.mechanism_id, firm_id=firm.organization_id
        ),
        "may_manage": may_manage,
        "form": form or (LawyerForm() if may_manage else None),
    }


@login_required
def firm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the firm and its lawyers; POST: list a new lawyer."""
    firm = selectors.firm_get(user=request.user, pk=pk)
    if request.method != "POST":
        return render(request, "mediation/firm_detail.html", _context(request, firm))
    form = LawyerForm(request.POST)
    if form.is_valid():
        try:
            lawyer = services.lawyer_add(
                actor=request.user, mechanism=firm.mechanism, firm=firm.organization, **form.cleaned_data
            )
        except ActionRefused as error:
            if error.code == ActionRefused.PERMISSION:
                messages.error(request, str(error))
                return redirect("mediation:firm_detail", pk=pk)
            apply_refusal(form, error)
        else:
            messages.success(request, _("律师“%(name)s”已登记。") % {"name": lawyer.name})
            return redirect("mediation:firm_detail", pk=pk)
    return render(request, "mediation/firm_detail.html", _context(request, firm, form), status=400)


@login_required
@require_POST
def lawyer_deactivate(request: HttpRequest, pk: int, lawyer: int) -> HttpResponse:
    firm = selectors.firm_get(user=request.user, pk=pk)
    chosen = selectors.firm_lawyer_get(firm, lawyer)
    try:
        services.lawyer_deactivate(actor=request.user, mechanism=firm.mechanism, lawyer=chosen)
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("律师“%(name)s”已不在册。") % {"name": chosen.name})
    return redirect("mediation:firm_detail", pk=pk)
