"""Enterprise pages: the registry with search, registering and correcting, the detail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison import audit, scoping
from liaison.deadlines import today
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.workdays import WorkingCalendar

from .. import selectors, services
from ..filters import EnterpriseFilter
from ..forms import EnterpriseForm, apply_refusal, style_filter_form
from ..models import Enterprise
from ..permissions import may_edit_enterprise, may_register_enterprises
from ..validators import mask_phone
from ._common import page_of, query_without_page, rows_of, timeline


def _phone(user: User, enterprise: Enterprise) -> str:
    """The contact phone in full for the registering organization, masked for everyone else."""
    if selectors.can_see_contact(user, enterprise):
        return enterprise.contact_phone
    return mask_phone(enterprise.contact_phone)


def _enterprise_get(user: User, pk: int) -> Enterprise:
    return scoping.get_or_404(selectors.enterprise_list(user=user), pk=pk)


@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = EnterpriseFilter(request.GET or None, queryset=selectors.enterprise_list(user=user))
    style_filter_form(filterset.form)
    page = page_of(request, filterset.qs)
    return render(
        request,
        "cases/enterprise_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(e, _phone(user, e)) for e in page.object_list],
            "query": query_without_page(request),
            "may_register": may_register_enterprises(user),
        },
    )


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_register(
                actor=request.user, mechanism=form.cleaned_data["mechanism"], data=form.data_for_service()
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("企业“%(name)s”已登记。") % {"name": enterprise.name})
            return redirect("cases:enterprise_detail", pk=enterprise.pk)
    return render(request, "cases/enterprise_form.html", {"form": form, "enterprise": None})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_get(request.user, pk)
    # The form holds the full phone number: only the registering organization sees it (and may edit).
    if not selectors.can_see_contact(request.user, enterprise):
        messages.error(request, _("只有登记该企业的单位才能修改企业信息。"))
        return redirect("cases:enterprise_detail", pk=enterprise.pk)
    form = EnterpriseForm(request.POST or None, user=request.user, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(actor=request.user, enterprise=enterprise, data=form.data_for_service())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("企业信息已保存。"))
            return redirect("cases:enterprise_detail", pk=enterprise.pk)
    return render(request, "cases/enterprise_form.html", {"form": form, "enterprise": enterprise})


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    enterprise = _enterprise_get(user, pk)
    complaints = selectors.complaint_list(user=user).filter(enterprise=enterprise)
    return render(
        request,
        "cases/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "contact_phone": _phone(user, enterprise),
            "may_edit": selectors.can_see_contact(user, enterprise),
            "may_mark_public": may_edit_enterprise(user, enterprise),
            "rows": rows_of(complaints, WorkingCalendar(), today()),
            "events": timeline(audit.history(enterprise), user),
        },
    )


@login_required
@require_POST
def enterprise_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark whether the enterprise may be named in the public column (its registering federation)."""
    enterprise = _enterprise_get(request.user, pk)
    public_now = request.POST.get("public") == "1"
    try:
        services.enterprise_set_public(actor=request.user, enterprise=enterprise, public=public_now)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("企业名称可在营商环境专栏公开。") if public_now else _("企业名称不再在营商环境专栏公开。")
        )
    return redirect("cases:enterprise_detail", pk=enterprise.pk)


@login_required
@require_GET
def enterprise_lookup(request: HttpRequest) -> JsonResponse:
    """Search-as-you-type for the complaint filter: the first enterprises in scope whose name or
    credit code contains the text (one query)."""
    rows = selectors.enterprise_lookup(user=request.user, term=request.GET.get("q", ""))
    return JsonResponse({"results": [{"id": pk, "name": name, "credit_code": code} for pk, name, code in rows]})
