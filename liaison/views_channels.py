"""Pages of the docked systems: the list with delivery figures, each system's delivery log,
manual redelivery and key rotation (thin: parse, call a service or selector, render).

The list is refused in words to those who may not see it; a system or delivery the user does not
see answers 404 (`systems.system_get`, `systems.delivery_get`), like every other object."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .acting import acting_user
from .channels import systems
from .errors import ActionRefused
from .models import OutboxState
from .paging import page_of, query_without_page
from .permissions import page_requires

_REFUSED = gettext_lazy("系统对接页面供系统管理员和对接单位使用，您的账号不能查看。")


@page_requires("liaison.view_systems", _REFUSED)
def system_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "liaison/system_list.html",
        {
            "systems": systems.systems_with_figures(user),
            "channels": systems.channel_figures() if user.is_administrator else [],
        },
    )


def system_deliveries(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    system = systems.system_get(user=user, pk=pk)
    status = request.GET.get("status", "")
    page = page_of(request, systems.deliveries(system=system, status=status), per_page=50)
    return render(
        request,
        "liaison/system_deliveries.html",
        {
            "system": system,
            "page": page,
            "status": status,
            "statuses": OutboxState.choices,
            "query": query_without_page(request),
            "figures": systems.delivery_figures(system.deliveries.all()),
            "keys": system.keys.order_by("-id")[:5],
            "may_manage": user.is_administrator,
        },
    )


@require_POST
def system_key_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    system = systems.system_get(user=user, pk=pk)
    try:
        try:
            grace_hours = int(request.POST.get("grace_hours") or 0)
        except ValueError:
            raise ActionRefused(_("宽限期须为整数小时。"), ActionRefused.INVALID, field="grace_hours") from None
        raw = systems.system_key_rotate(actor=user, system=system, grace_hours=grace_hours)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("system_deliveries", pk=system.pk)
    return render(request, "liaison/system_key.html", {"system": system, "key": raw, "grace_hours": grace_hours})


@require_POST
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    message = systems.delivery_get(user=user, pk=pk)
    try:
        systems.delivery_redeliver(actor=user, message=message)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已重新加入发送队列。"))
    return redirect("system_deliveries", pk=message.system_id)
