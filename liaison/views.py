"""HTML pages of the shared core: thin, they call one selector or service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import attachments, audit, notifications, scoping, selectors
from .acting import acting_user
from .choices import Role
from .deadlines import due_status, today
from .files import FileKind
from .forms import ChannelPreferencesForm, WorkingDayForm
from .home import panels_for
from .paging import page_of
from .permissions import may_maintain_calendar, page_requires
from .readiness import readiness_checks
from .storage import StoredFileGone, file_download, gone_response
from .workdays import WorkingCalendar, unknown_years


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and docker-compose."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: the database (and replica), Redis and the file storage all answer (503 if not)."""
    results = readiness_checks()
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.has_role(Role.ENTERPRISE):
        return redirect("portal:enterprise_home")  # an enterprise user has its own start page
    calendar = WorkingCalendar()
    mine = list(selectors.deadline_list(user=user, mine=True)[:10])
    unit = list(selectors.deadline_list(user=user, unit=True)[:10])
    context = {
        "panels": panels_for(user),
        "my_figures": selectors.my_deadline_figures(user=user),
        "my_deadlines": [(d, due_status(d, calendar)) for d in mine],
        "unit_figures": selectors.my_deadline_figures(user=user, unit=True),
        "unit_deadlines": [(d, due_status(d, calendar)) for d in unit],
        "recent_notifications": selectors.notification_list(user=user)[:5],
        "mechanisms": selectors.mechanism_list(user=user),
        "calendar_warning_years": unknown_years([today().year, today().year + 1])
        if may_maintain_calendar(user)
        else [],
    }
    return render(request, "liaison/home.html", context)


@login_required
def mechanism_list(request: HttpRequest) -> HttpResponse:
    mechanisms = selectors.mechanism_list(user=acting_user(request))
    actionable = set(scoping.actionable_mechanisms(acting_user(request)).values_list("pk", flat=True))
    return render(request, "liaison/mechanism_list.html", {"mechanisms": mechanisms, "actionable": actionable})


@login_required
def mechanism_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mechanism = selectors.mechanism_get(user=acting_user(request), pk=pk)
    return render(
        request,
        "liaison/mechanism_detail.html",
        {
            "mechanism": mechanism,
            "read_only": not scoping.can_act(acting_user(request), mechanism),
            "events": audit.history(mechanism),
        },
    )


@login_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    """Open deadlines in the user's scope; `mine=1` keeps the user's own, `unit=1` the unit's with
    nobody named, `due=overdue|week` the late ones or those falling due this week (the home page's
    figures link here)."""
    calendar = WorkingCalendar()
    mine = request.GET.get("mine") == "1"
    unit = request.GET.get("unit") == "1" and not mine
    due = request.GET.get("due") if request.GET.get("due") in selectors.DUE_FILTERS else ""
    rows = selectors.deadline_list(user=acting_user(request), mine=mine, unit=unit)
    if due:
        rows = selectors.due_filter(rows, due, today())
    page = page_of(request, rows)
    return render(
        request,
        "liaison/deadline_list.html",
        {
            "page": page,
            "rows": [(d, due_status(d, calendar)) for d in page.object_list],
            "mine": mine,
            "unit": unit,
            "due": due,
        },
    )


@login_required
def deadline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = selectors.deadline_get(user=acting_user(request), pk=pk)
    return render(
        request,
        "liaison/deadline_detail.html",
        {
            "deadline": deadline,
            "status": due_status(deadline, WorkingCalendar()),
            "events": audit.history(deadline),
        },
    )


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Check a date and add working days: the same service the deadlines use."""
    form = WorkingDayForm(request.GET or None)
    result = None
    if form.is_valid():
        calendar = WorkingCalendar()
        start, count = form.cleaned_data["start"], form.cleaned_data["working_days"]
        computation = calendar.explain_add(start, count)
        result = {"computation": computation, "start_is_working_day": calendar.is_working_day(start)}
    year = today().year
    return render(
        request,
        "liaison/calendar.html",
        {
            "form": form,
            "result": result,
            "unknown_years": unknown_years([year, year + 1]) if may_maintain_calendar(acting_user(request)) else [],
        },
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.notification_list(user=acting_user(request)))
    return render(request, "liaison/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    ids = request.POST.getlist("id")
    notifications.mark_read(acting_user(request), [int(i) for i in ids if i.isdigit()] if ids else None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notification_list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ChannelPreferencesForm(
        request.POST or None, initial=ChannelPreferencesForm.initial_from(notifications.preferences(user))
    )
    if request.method == "POST" and form.is_valid():
        notifications.set_preferences(user, form.choices())
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification_preferences")
    return render(
        request,
        "liaison/notification_preferences.html",
        {
            "form": form,
            "has_email": bool(user.email),
            "has_phone": bool(user.phone),
            "channels": [label for _suffix, label in ChannelPreferencesForm.CHANNELS],
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Serve an attachment to users who may see the object it belongs to (404 for anyone else,
    410 when its file is missing from the storage)."""
    attachment = attachments.attachment_get_for_download(user=acting_user(request), pk=pk)
    try:
        content_type = FileKind(attachment.kind).mime_type
    except ValueError:
        content_type = "application/octet-stream"
    try:
        response = file_download(attachment.file, filename=attachment.original_name, content_type=content_type)
    except StoredFileGone:
        return gone_response(request, attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@page_requires("liaison.view_audit_log", gettext_lazy("审计日志供领导和系统管理员查阅，您的角色不能查看。"))
def audit_log(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.audit_log(user=acting_user(request)), per_page=50)
    return render(request, "liaison/audit_log.html", {"page": page})


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One search box over complaints, meetings and minutes, mediation cases and shared reports."""
    from .search import MAX_TERM_LENGTH, search_everything

    term = request.GET.get("q", "").strip()
    results = search_everything(user=acting_user(request), term=term)
    return render(request, "liaison/search.html", {"term": term, "results": results, "max_length": MAX_TERM_LENGTH})
