"""Complaint pages: the list with its work queues and Excel export, filing and editing, the detail."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from liaison import attachments, audit, scoping
from liaison.deadlines import due_status, today
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.paging import capped_page_of
from liaison.replica import use_replica
from liaison.workdays import WorkingCalendar
from liaison.workflow_views import action_forms as step_forms

from .. import exports, selectors, services
from ..filters import QUEUES, ComplaintFilter
from ..forms import ComplaintForm, apply_refusal, style_filter_form
from ..models import CaseReview, Complaint
from ..permissions import may_file, queue_names
from ..portal_forms import FollowUpForm
from ..search import search_planning
from ..validators import mask_phone
from ..workflow import COMPLAINT, FILER, SATISFACTION, STAFF
from ._common import LIST_COLUMNS, STATUS_CSS, list_rows, query_without_page, timeline
from ._detail_row import attached, calendar_overrides, complaint_of, detail_rows
from .actions import action_forms


def queues_for(user: User) -> list[tuple[str, str]]:
    """The work-queue tabs of the user's sides and roles (which tabs to show, not what they hold)."""
    return [(name, str(QUEUES[name])) for name in queue_names(user)]


def _filtered(request: HttpRequest, calendar: WorkingCalendar | None = None) -> ComplaintFilter:
    user = request.user
    return ComplaintFilter(
        request.GET or None, queryset=selectors.complaint_list(user=user), user=user, calendar=calendar
    )


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    calendar = WorkingCalendar()  # one for the due-soon queue and the rows' deadlines
    filterset = _filtered(request, calendar)
    style_filter_form(filterset.form)
    # Only what the rows show; the page's ids are read first, its rows then by id.
    rows = (
        filterset.qs.select_related(None)
        .select_related("enterprise", "court")
        .prefetch_related(None)
        .only(*LIST_COLUMNS)
    )
    # Counted exactly up to COUNT_CAP rows; a larger list's total comes from `complaint_count`.
    # A search is counted without parallel workers (`search_planning`); its page, ids first, is
    # planned as usual (in the written order the semi-join on the page's ids would come last).
    with search_planning(rows.db, written_joins=False) if request.GET.get("q", "").strip() else nullcontext():
        page = capped_page_of(request, rows)
        shown = list_rows(page.object_list, calendar, today())
    return render(
        request,
        "cases/complaint_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": shown,
            "queues": queues_for(request.user),
            "current_queue": request.GET.get("queue", ""),
            "query": query_without_page(request),
            "may_file": may_file(request.user),
        },
    )


@login_required
@require_GET
def complaint_count(request: HttpRequest) -> JsonResponse:
    """The exact number of complaints the list's filters find, which a large list (more than its
    counting cap) shows once the page has loaded."""
    found = _filtered(request).qs.count()
    return JsonResponse({"count": found, "text": ngettext("共 %(n)s 件", "共 %(n)s 件", found) % {"n": found}})


@login_required
@require_GET
@use_replica()
def complaint_export(request: HttpRequest) -> HttpResponse:
    """The same filtered list as the page, as an Excel ledger."""
    content = exports.complaint_ledger(_filtered(request).qs, user=request.user)
    filename = _("诉求台账-%(date)s.xlsx") % {"date": today().strftime("%Y%m%d")}
    return download(content, filename)


# --- filing and editing -------------------------------------------------------------------------


def _duplicates_shown(user: User, found: list[Complaint]) -> dict:
    """The likely duplicates: those the user may open as links, the others only counted."""
    visible = set(selectors.complaint_scope(user).filter(pk__in=[c.pk for c in found]).values_list("pk", flat=True))
    return {"visible": [c for c in found if c.pk in visible], "hidden": sum(1 for c in found if c.pk not in visible)}


def _save(request: HttpRequest, form: ComplaintForm) -> tuple[Complaint | None, dict | None]:
    """Warn of likely duplicates unless confirmed, then call the service; refusals go on the form."""
    data = form.data_for_service()
    found = services.likely_duplicates(
        enterprise=data.enterprise, case_numbers=data.case_numbers, exclude=form.complaint
    )
    if found and not form.cleaned_data.get("confirm_duplicate"):
        return None, _duplicates_shown(request.user, found)
    try:
        if form.complaint is None:
            return services.complaint_create(
                actor=request.user,
                mechanism=form.cleaned_data["mechanism"],
                data=data,
                files=form.cleaned_data["files"],
            ), None
        return services.complaint_update(
            actor=request.user, complaint=form.complaint, data=data, files=form.cleaned_data["files"]
        ), None
    except ActionRefused as error:
        apply_refusal(form, error)
        return None, None


@login_required
def complaint_create(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None, request.FILES or None, user=request.user)
    duplicates = None
    if not may_file(request.user):
        # Asked of the same predicate the service enforces; the page says so instead of a bare 403.
        messages.error(request, _("您没有“%(what)s”的权限。") % {"what": _("填报诉求")})
        return render(
            request,
            "cases/complaint_form.html",
            {"form": ComplaintForm(user=request.user), "complaint": None},
            status=403,
        )
    if request.method == "POST" and form.is_valid():
        complaint, duplicates = _save(request, form)
        if complaint is not None:
            messages.success(
                request, _("诉求已保存为草稿（编号 %(serial)s）。核对无误后请提交审核。") % {"serial": complaint.serial}
            )
            return redirect("cases:complaint_detail", pk=complaint.pk)
    return render(request, "cases/complaint_form.html", {"form": form, "complaint": None, "duplicates": duplicates})


def _editable(user: User, complaint: Complaint) -> bool:
    """Drafts and complaints returned for material are edited by whoever may submit or supply them."""
    return COMPLAINT.may(user, complaint, "submit") or COMPLAINT.may(user, complaint, "supply_material")


@login_required
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    if not _editable(request.user, complaint):
        messages.error(
            request, _("当前状态为“%(state)s”，您不能修改该诉求。") % {"state": complaint.get_status_display()}
        )
        return redirect("cases:complaint_detail", pk=complaint.pk)
    form = ComplaintForm(request.POST or None, request.FILES or None, user=request.user, complaint=complaint)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        saved, duplicates = _save(request, form)
        if saved is not None:
            messages.success(request, _("诉求已保存。"))
            return redirect("cases:complaint_detail", pk=complaint.pk)
    return render(
        request,
        "cases/complaint_form.html",
        {
            "form": form,
            "complaint": complaint,
            "duplicates": duplicates,
            "attachments": attachments.attachments_of(complaint),
        },
    )


# --- the detail ---------------------------------------------------------------------------------


def detail_context(request: HttpRequest, complaint: Complaint, bound: dict | None = None) -> dict:
    """Everything the detail page shows; `bound` holds a submitted form to show again with its errors."""
    user = request.user
    enterprise = complaint.enterprise
    # The calendar's overrides are read only when a deadline is running (to count its working days):
    # with the complaint on the page itself, by a query of their own when it is shown again.
    overrides = calendar_overrides(complaint)
    calendar = (
        WorkingCalendar(overrides)
        if overrides is not None
        else cast(WorkingCalendar, SimpleLazyObject(WorkingCalendar))
    )
    # Read with the complaint on the page itself (_detail_row); by their own queries when shown again.
    deadline_rows = _or(attached(complaint, "deadlines"), lambda: selectors.complaint_deadlines(complaint=complaint))
    forms = action_forms(request, complaint, bound or {})
    return {
        "complaint": complaint,
        "status_css": STATUS_CSS.get(complaint.status, "secondary"),
        "enterprise": enterprise,
        "contact_phone": enterprise.contact_phone
        if selectors.can_see_contact(user, enterprise)
        else mask_phone(enterprise.contact_phone),
        "case_numbers": list(complaint.case_numbers.all()),
        "attachments": _or(attached(complaint, "attachments"), lambda: attachments.attachments_of(complaint)),
        "deadlines": [(d, due_status(d, calendar)) for d in deadline_rows],
        "review": _review(complaint),
        "thread": _or(
            attached(complaint, "thread"), lambda: selectors.complaint_messages(user=user, complaint=complaint)
        ),
        "events": timeline(_or(attached(complaint, "events"), lambda: audit.history(complaint)), user),
        "editable": _editable(user, complaint),
        # Ratings are given once the court has answered (and kept through a reopening, which counts).
        "satisfactions": [
            (s, step_forms(SATISFACTION, request, s, {}))
            for s in complaint.satisfactions.select_related("rated_by", "decided_by").order_by("answer_round")
        ]
        if complaint.answered_at is not None or complaint.reopen_count
        else [],
        "followup_form": FollowUpForm()
        if not complaint.filed_online
        and complaint.status in ("answered", "closed")
        and FILER in COMPLAINT.sides(user, complaint)
        and user.has_role(*STAFF)
        and not complaint.satisfactions.filter(answer_round=complaint.reopen_count).exists()
        else None,
        "enterprise_message_allowed": complaint.filed_online
        and complaint.status != "draft"
        and FILER in COMPLAINT.sides(user, complaint)
        and user.has_role(*STAFF),
        **forms,
    }


def _or(read: list | None, query: Callable[[], Iterable]) -> Iterable:
    return query() if read is None else read


def _review(complaint: Complaint) -> CaseReview | None:
    """The complaint's case review, joined when the detail read the complaint (a query otherwise)."""
    try:
        return complaint.case_review
    except CaseReview.DoesNotExist:
        return None


@login_required
@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # With what the page shows of its related rows in the same statement (see _detail_row).
    complaint = complaint_of(
        scoping.get_or_404(detail_rows(selectors.complaint_scope(request.user), request.user), pk=pk)
    )
    return render(request, "cases/complaint_detail.html", detail_context(request, complaint))
