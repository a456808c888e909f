"""Supervision pages: every live action item and task overdue first, one item with its progress
reports, and the dual lists (import, export, approval at a plenary)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from liaison import attachments, audit
from liaison.deadlines import today
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.membership import is_member_unit
from liaison.permissions import page_requires
from liaison.replica import use_replica
from liaison.workflow_views import act_view, action_forms

from .. import documents, exports, imports, selectors, services
from ..choices import LIVE_ITEM_STATUSES, ItemState
from ..filters import ActionItemFilter
from ..forms import DualListForm, DualListImportForm, apply_refusal, style_filter_form
from ..indicators import indicator_rows, item_indicator_state
from ..models import ActionItem, DualList
from ..permissions import may_plan
from ..workflow import DUAL_LIST, ITEM
from ._common import ITEM_CSS, page_of, query_without_page

SUPERVISION_REFUSED = gettext_lazy("督办事项供会议各方的经办人员和领导使用，您的角色不能查看。")


def _filtered(request: HttpRequest) -> ActionItemFilter:
    user = request.user
    data = request.GET or None
    if "mine" not in request.GET and is_member_unit(user):
        # A member unit's list opens on its own tasks; "?mine=false" (全部) shows all it may see.
        data = request.GET.copy()
        data["mine"] = "true"
    return ActionItemFilter(data, queryset=selectors.supervision_list(user=user), user=user)


@login_required
@page_requires("meetings.view_supervision", SUPERVISION_REFUSED)
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    style_filter_form(filterset.form)
    del filterset.form.fields["minutes"], filterset.form.fields["dual_list"]
    # This page lists the live items only: offer just their states.
    filterset.form.fields["state"].choices = [
        (value, label)
        for value, label in ItemState.choices
        if value in (ItemState.OPEN, ItemState.IN_PROGRESS, ItemState.OVERDUE)
    ]
    rows = filterset.qs
    return render(
        request,
        "meetings/supervision.html",
        {
            "filter": filterset,
            "page": page_of(request, rows),
            "css": ITEM_CSS,
            "summary": selectors.owner_summary(rows),
            "query": query_without_page(request),
        },
    )


@login_required
@page_requires("meetings.view_supervision", SUPERVISION_REFUSED)
@require_GET
@use_replica()
def supervision_export(request: HttpRequest) -> HttpResponse:
    content = exports.supervision_ledger(_filtered(request).qs)
    return download(content, _("督办台账-%(date)s.xlsx") % {"date": today().strftime("%Y%m%d")})


@login_required
@page_requires("meetings.view_supervision", SUPERVISION_REFUSED)
@require_GET
def supervision_pdf(request: HttpRequest) -> HttpResponse:
    rows = _filtered(request).qs
    content = documents.supervision_pdf(rows, selectors.owner_summary(rows), request.user.organization)
    return download(content, _("督办事项报告-%(date)s.pdf") % {"date": today().strftime("%Y%m%d")}, inline=True)


# --- one item -------------------------------------------------------------------------------------


def _item_context(request: HttpRequest, item: ActionItem, bound: dict | None = None) -> dict:
    reports = list(selectors.progress_reports(item))
    rows = indicator_rows(item)
    return {
        "item": item,
        "owners": list(item.owners.select_related("organization", "department")),
        "indicator_rows": rows,
        "indicator_months": rows[0].months if rows else [],
        "indicator_state": item_indicator_state(rows),
        "css": ITEM_CSS,
        "reports": [(r, list(attachments.attachments_of(r))) for r in reports],
        "action_forms": action_forms(ITEM, request, item, bound or {}),
        "events": audit.history(item),
    }


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    return render(request, "meetings/item_detail.html", _item_context(request, item))


def _item_again(request: HttpRequest, item: ActionItem, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "meetings/item_detail.html", _item_context(request, item, {name: form}))


# `items/<pk>/act/<step>/`, and the steps' own addresses `items/<pk>/progress/` and `items/<pk>/close/`.
item_act = login_required(
    act_view(
        ITEM,
        load=lambda request, pk: selectors.item_get(user=request.user, pk=pk),
        detail="meetings:item_detail",
        show_again=_item_again,
    )
)


# --- dual lists ---------------------------------------------------------------------------------------


@login_required
@require_GET
def dual_list_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "meetings/dual_list_list.html",
        {
            "page": page_of(request, selectors.dual_list_list(user=user)),
            "may_create": may_plan(user),
        },
    )


@login_required
def dual_list_create(request: HttpRequest) -> HttpResponse:
    form = DualListForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            dual_list = services.dual_list_create(actor=request.user, **form.cleaned_data)
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("双清单已创建，请导入任务。"))
            return redirect("meetings:dual_list_detail", pk=dual_list.pk)
    return render(request, "meetings/dual_list_form.html", {"form": form})


def _dual_list_context(request: HttpRequest, dual_list: DualList, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    tasks = list(selectors.dual_list_tasks(user=user, dual_list=dual_list))
    return {
        "dual_list": dual_list,
        "tasks": tasks,
        "css": ITEM_CSS,
        "live": sum(1 for t in tasks if t.status in LIVE_ITEM_STATUSES),
        "import_form": bound.get("import")
        or (DualListImportForm(prefix="import") if DUAL_LIST.may(user, dual_list, "import") else None),
        "action_forms": action_forms(DUAL_LIST, request, dual_list, bound),
        "events": audit.history(dual_list),
    }


@login_required
@require_GET
def dual_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dual_list = selectors.dual_list_get(user=request.user, pk=pk)
    return render(request, "meetings/dual_list_detail.html", _dual_list_context(request, dual_list))


@login_required
@require_POST
def dual_list_import(request: HttpRequest, pk: int) -> HttpResponse:
    dual_list = selectors.dual_list_get(user=request.user, pk=pk)
    form = DualListImportForm(request.POST, request.FILES, prefix="import")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = imports.parse_dual_list(upload, dual_list.mechanism)
            tasks = services.dual_list_replace_tasks(
                actor=request.user,
                dual_list=dual_list,
                rows=parsed.rows,
                source=upload.name,
                create_departments=form.cleaned_data["create_departments"],
            )
        except ActionRefused as error:
            form.add_error("create_departments" if error.field == "create_departments" else "file", error.message)
        else:
            messages.success(request, _("已导入任务 %(n)s 项。") % {"n": len(tasks)})
            return redirect("meetings:dual_list_detail", pk=pk)
    return render(request, "meetings/dual_list_detail.html", _dual_list_context(request, dual_list, {"import": form}))


def _dual_list_again(request: HttpRequest, dual_list: DualList, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "meetings/dual_list_detail.html", _dual_list_context(request, dual_list, {name: form}))


# `dual-lists/<pk>/act/<step>/`, and the approval's own address `dual-lists/<pk>/approve/`.
dual_list_act = login_required(
    act_view(
        DUAL_LIST,
        load=lambda request, pk: selectors.dual_list_get(user=request.user, pk=pk),
        detail="meetings:dual_list_detail",
        show_again=_dual_list_again,
    )
)


@login_required
@require_GET
@use_replica()
def dual_list_export(request: HttpRequest, pk: int) -> HttpResponse:
    dual_list = selectors.dual_list_get(user=request.user, pk=pk)
    tasks = selectors.dual_list_tasks(user=request.user, dual_list=dual_list)
    return download(exports.dual_list_workbook(dual_list, tasks), f"{dual_list.title}.xlsx")


@login_required
@require_GET
def dual_list_template(request: HttpRequest) -> HttpResponse:
    return download(exports.dual_list_workbook(None), _("双清单导入模板.xlsx"))
