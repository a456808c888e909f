"""Mediation organisations: the list, one organisation with its admissions and mediators, registering
one (its chamber or federation), and the court admitting it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison import audit
from liaison.errors import ActionRefused

from .. import selectors, services
from ..forms import AdmitForm, OrganisationForm, apply_refusal
from ..models import MediationOrganisation
from ..permissions import may_admit, may_register_organisation
from .roster import roster_rows


@login_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mediation/organisation_list.html",
        {
            "organisations": selectors.organisation_list(user=request.user),
            "may_register": may_register_organisation(request.user),
        },
    )


def _detail_context(
    request: HttpRequest, organisation: MediationOrganisation, admit_form: AdmitForm | None = None
) -> dict:
    user = request.user
    mediators = selectors.mediator_list(user=user).filter(organisation=organisation)
    return {
        "organisation": organisation,
        "admit_form": admit_form or (AdmitForm(user=user) if may_admit(user, organisation) else None),
        "rows": roster_rows(user, mediators),
        "events": audit.history(organisation),
    }


@login_required
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    return render(request, "mediation/organisation_detail.html", _detail_context(request, organisation))


@login_required
@require_POST
def organisation_admit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    form = AdmitForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.organisation_admit(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("已吸纳为本院特邀调解组织。"))
            return redirect("mediation:organisation_detail", pk=pk)
    messages.error(request, _("请检查吸纳表单中的内容。"))
    return render(
        request, "mediation/organisation_detail.html", _detail_context(request, organisation, form), status=400
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(actor=request.user, data=form.data_for_service())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(
                request, _("调解组织“%(name)s”已登记，请联系人民法院办理吸纳。") % {"name": organisation.name}
            )
            return redirect("mediation:organisation_detail", pk=organisation.pk)
    return render(request, "mediation/organisation_form.html", {"form": form})
