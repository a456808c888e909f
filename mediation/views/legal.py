"""Legal check-ups and the pairings of law firms with chambers: the list with figures per pairing
and firm, filing a request, one check-up with its visits and report, one pairing, and the POST
endpoints of their steps (generated from `mediation.workflow.CHECKUP` and `PAIRING`)."""

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
from liaison.workflow_views import act_view, action_forms

from .. import documents, exports, selectors, services
from ..choices import CheckupStatus
from ..forms import CheckupForm, PairingForm, apply_refusal
from ..models import Checkup, Lawyer, Pairing
from ..workflow import CHECKUP, PAIRING
from ._common import page_of

CU = CheckupStatus
STATUS_CSS = {
    CU.REQUESTED: "warning",
    CU.ASSIGNED: "primary",
    CU.REPORTED: "info",
    CU.CONFIRMED: "success",
    CU.CANCELLED: "secondary",
}


def _late(checkup: Checkup, today: object) -> bool:
    if checkup.status == CU.REQUESTED:
        return checkup.assign_due < today  # type: ignore[operator]
    return checkup.status == CU.ASSIGNED and checkup.report_due is not None and checkup.report_due < today  # type: ignore[operator]


@login_required
@require_GET
def checkup_list(request: HttpRequest) -> HttpResponse:
    """Check-ups and consultations, with the figures per pairing and per firm."""
    rows = selectors.checkup_list(user=request.user)
    status = request.GET.get("status", "")
    if status in CU.values:
        rows = rows.filter(status=status)
    page = page_of(request, rows)
    today = deadlines.today()
    scope = selectors.checkup_scope(request.user)
    pairings = list(selectors.pairing_list(user=request.user).order_by("firm__name", "chamber__name"))
    per_pairing = {row["pairing"]: row for row in services.service_figures(scope, "pairing")}
    per_firm = services.service_figures(scope, "pairing__firm")
    firm_names = {p.firm_id: p.firm.name for p in pairings}
    return render(
        request,
        "mediation/checkup_list.html",
        {
            "page": page,
            "rows": [
                {"c": c, "css": STATUS_CSS.get(c.status, "secondary"), "late": _late(c, today)}
                for c in page.object_list
            ],
            "states": CU.choices,
            "status": status,
            "pairings": [{"p": p, "f": per_pairing.get(p.pk, {})} for p in pairings],
            "firms": [{"name": firm_names.get(row["pairing__firm"], ""), **row} for row in per_firm],
            "may_file": services.filing_chambers(request.user).exists(),
            "may_pair": services.pairing_mechanisms(request.user).exists(),
        },
    )


@login_required
@require_GET
def checkup_export(request: HttpRequest) -> HttpResponse:
    rows = selectors.checkup_list(user=request.user)
    status = request.GET.get("status", "")
    if status in CU.values:
        rows = rows.filter(status=status)
    day = deadlines.today().strftime("%Y%m%d")
    return download(exports.checkup_workbook(rows), _("法治体检-%(date)s.xlsx") % {"date": day})


@login_required
def checkup_create(request: HttpRequest) -> HttpResponse:
    if not services.filing_chambers(request.user).exists():
        messages.error(request, _("只有与律所结对的商会工作人员才能登记法治体检申请。"))
        return redirect("mediation:checkup_list")
    form = CheckupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            checkup = services.checkup_file(
                actor=request.user, mechanism=form.cleaned_data["mechanism"], data=form.data_for_service()
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("申请已登记，请于 %(due)s 前分派律所。") % {"due": checkup.assign_due})
            return redirect("mediation:checkup_detail", pk=checkup.pk)
    return render(
        request, "mediation/checkup_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


def _checkup_context(request: HttpRequest, checkup: Checkup, bound: dict | None = None) -> dict:
    return {
        "checkup": checkup,
        "css": STATUS_CSS.get(checkup.status, "secondary"),
        "late": _late(checkup, deadlines.today()),
        "visits": checkup.visits.select_related("recorded_by").all(),
        "action_forms": action_forms(CHECKUP, request, checkup, bound or {}),
        "events": audit.history(checkup),
    }


@login_required
@require_GET
def checkup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkup = selectors.checkup_get(user=request.user, pk=pk)
    return render(request, "mediation/checkup_detail.html", _checkup_context(request, checkup))


@login_required
@require_GET
def checkup_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The delivered report printed; before it is delivered there is nothing to print."""
    checkup = selectors.checkup_get(user=request.user, pk=pk)
    if checkup.status not in (CU.REPORTED, CU.CONFIRMED):
        messages.error(request, _("律所出具报告后才能打印体检报告。"))
        return redirect("mediation:checkup_detail", pk=pk)
    name = _("%(enterprise)s法治体检报告.pdf") % {"enterprise": checkup.enterprise_name}
    return download(documents.checkup_report_pdf(checkup), name, inline=True)


def _checkup_again(request: HttpRequest, checkup: Checkup, name: str, form: forms.Form) -> HttpResponse:
    return render(
        request, "mediation/checkup_detail.html", _checkup_context(request, checkup, {name: form}), status=400
    )


checkup_act = login_required(
    act_view(
        CHECKUP,
        load=lambda request, pk: selectors.checkup_get(user=request.user, pk=pk),
        detail="mediation:checkup_detail",
        show_again=_checkup_again,
        invalid_again=True,
    )
)


def _pairing_context(request: HttpRequest, pairing: Pairing, bound: dict | None = None) -> dict:
    return {
        "pairing": pairing,
        "lawyers": Lawyer.objects.filter(firm_id=pairing.firm_id, is_active=True).order_by("name"),
        "firm_place": selectors.firm_place(pairing),
        "checkups": selectors.checkup_list(user=request.user).filter(pairing=pairing)[:50],
        "action_forms": action_forms(PAIRING, request, pairing, bound or {}),
        "events": audit.history(pairing),
    }


@login_required
@require_GET
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    return render(request, "mediation/pairing_detail.html", _pairing_context(request, pairing))


def _pairing_again(request: HttpRequest, pairing: Pairing, name: str, form: forms.Form) -> HttpResponse:
    return render(
        request, "mediation/pairing_detail.html", _pairing_context(request, pairing, {name: form}), status=400
    )


pairing_act = login_required(
    act_view(
        PAIRING,
        load=lambda request, pk: selectors.pairing_get(user=request.user, pk=pk),
        detail="mediation:pairing_detail",
        show_again=_pairing_again,
        invalid_again=True,
    )
)


@login_required
def pairing_create(request: HttpRequest) -> HttpResponse:
    if not services.pairing_mechanisms(request.user).exists():
        messages.error(request, _("只有机制中司法局的联络员或领导才能登记结对。"))
        return redirect("mediation:checkup_list")
    form = PairingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pairing = services.pairing_create(
                actor=request.user, mechanism=form.cleaned_data["mechanism"], data=form.data_for_service()
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("结对已登记。"))
            return redirect("mediation:pairing_detail", pk=pairing.pk)
    return render(
        request, "mediation/pairing_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )
