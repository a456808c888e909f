"""Activity pages: the list, planning and changing, the detail with its steps, registration,
sign-in, the report, and the documents (.ics, sign-in sheet, attendance list)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison import attachments, audit
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.forms import apply_refusal, style_filter_form
from liaison.workflow_views import act_view, action_forms

from .. import documents, exports, ics, selectors
from ..activity_choices import ActivityStatus
from ..activity_workflow import ACTIVITY
from ..filters import ActivityFilter
from ..forms_activities import ActivityForm, ActivityReportForm, SignInForm
from ..models import Activity, Registration
from ..services import activities as services
from ._common import page_of, query_without_page

ACTIVITY_CSS = {
    ActivityStatus.DRAFT: "secondary",
    ActivityStatus.PUBLISHED: "primary",
    ActivityStatus.CLOSED: "info",
    ActivityStatus.HELD: "success",
    ActivityStatus.CANCELLED: "dark",
}


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = ActivityFilter(request.GET or None, queryset=selectors.activity_list(user=user), user=user)
    style_filter_form(filterset.form)
    page = page_of(request, filterset.qs)
    return render(
        request,
        "meetings/activity_list.html",
        {
            "filter": filterset,
            "page": page,
            "css": ACTIVITY_CSS,
            "query": query_without_page(request),
            "may_plan": user.has_perm("meetings.add_activity"),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("meetings.add_activity"):
        raise PermissionDenied(_("只有参与单位的会议秘书、工商联工作人员或法院联络员可以安排活动。"))
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, mechanism=form.cleaned_data["mechanism"], data=form.data_for_service()
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("活动已保存为草稿。核对后请发布，发布后开放报名。"))
            return redirect("meetings:activity_detail", pk=activity.pk)
    return render(request, "meetings/activity_form.html", {"form": form, "activity": None})


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    if not ACTIVITY.may(request.user, activity, "edit"):
        messages.error(
            request, _("当前状态为“%(state)s”，您不能修改该活动。") % {"state": activity.get_status_display()}
        )
        return redirect("meetings:activity_detail", pk=pk)
    form = ActivityForm(request.POST or None, user=request.user, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=form.data_for_service())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("活动已修改。"))
            return redirect("meetings:activity_detail", pk=pk)
    return render(request, "meetings/activity_form.html", {"form": form, "activity": activity})


def detail_context(request: HttpRequest, activity: Activity, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    registrations = list(activity.registrations.all())
    allowed = services.allowed_actions(user, activity)
    return {
        "activity": activity,
        "status_css": ACTIVITY_CSS.get(activity.status, "secondary"),
        "action_forms": action_forms(ACTIVITY, request, activity, bound),
        "allowed": allowed,
        "confirmed": [r for r in registrations if r.status == "confirmed"],
        "waitlisted": [r for r in registrations if r.status == "waitlisted"],
        "signed_in_count": sum(1 for r in registrations if r.signed_in_at),
        "mine": selectors.my_registration(user, activity),
        "may_register": ACTIVITY.may(user, activity, "register"),
        "may_withdraw": ACTIVITY.may(user, activity, "withdraw"),
        "organizing": ACTIVITY.may(user, activity, "sign_in") or ACTIVITY.may(user, activity, "report"),
        "sign_in_form": bound.get("sign_in")
        or (SignInForm(activity=activity) if ACTIVITY.may(user, activity, "sign_in") else None),
        "report_form": bound.get("report")
        or (
            ActivityReportForm(initial={"report": activity.report, "enterprises_reached": activity.enterprises_reached})
            if ACTIVITY.may(user, activity, "report")
            else None
        ),
        "photos": attachments.attachments_of(activity),
        "co_organizers": list(activity.co_organizers.all()),
        "events": audit.history(activity),
    }


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    return render(request, "meetings/activity_detail.html", detail_context(request, activity))


def _render_with(request: HttpRequest, activity: Activity, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "meetings/activity_detail.html", detail_context(request, activity, {name: form}))


activity_act = login_required(
    act_view(
        ACTIVITY,
        load=lambda request, pk: selectors.activity_get(user=request.user, pk=pk),
        detail="meetings:activity_detail",
        show_again=_render_with,
    )
)


def register_and_tell(request: HttpRequest, activity: Activity) -> None:
    """Register the user (staff or enterprise) and say how it went: a place, the waiting list, or why not."""
    try:
        registration = services.registration_create(actor=request.user, activity=activity)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        if registration.status == "confirmed":
            messages.success(request, _("报名成功。可下载日历邀请（.ics），活动前一天会提醒您。"))
        else:
            messages.warning(request, _("名额已满，您已进入候补名单；有人取消报名时按顺序递补并通知您。"))


def withdraw_and_tell(request: HttpRequest, registration: Registration) -> None:
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已取消报名。"))


@login_required
@require_POST
def activity_register(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    register_and_tell(request, activity)
    return redirect("meetings:activity_detail", pk=pk)


@login_required
@require_POST
def activity_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    registration_id = request.POST.get("registration") or ""
    registration = next(
        (r for r in activity.registrations.all() if str(r.pk) == registration_id.strip()), None
    ) or selectors.my_registration(request.user, activity)
    if registration is None:
        raise Http404
    withdraw_and_tell(request, registration)
    return redirect("meetings:activity_detail", pk=pk)


@login_required
@require_POST
def activity_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    form = SignInForm(request.POST, activity=activity)
    if not form.is_valid():
        messages.error(request, _("请检查签到名单。"))
        return _render_with(request, activity, "sign_in", form)
    try:
        count = services.sign_in_record(
            actor=request.user, activity=activity, present=[r.pk for r in form.cleaned_data["present"]]
        )
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("签到已登记，共 %(n)s 人。") % {"n": count})
    return redirect("meetings:activity_detail", pk=pk)


@login_required
@require_POST
def activity_report(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    form = ActivityReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请检查活动简报中的内容。"))
        return _render_with(request, activity, "report", form)
    try:
        services.activity_report_record(
            actor=request.user,
            activity=activity,
            report=form.cleaned_data["report"],
            enterprises_reached=form.cleaned_data["enterprises_reached"] or 0,
            photos=form.cleaned_data["photos"] or [],
        )
    except ActionRefused as error:
        apply_refusal(form, error)
        return _render_with(request, activity, "report", form)
    messages.success(request, _("活动简报已保存。"))
    return redirect("meetings:activity_detail", pk=pk)


@login_required
@require_GET
def activity_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The .ics of the user's own registration (or of the activity, for the organizing side)."""
    activity = selectors.activity_get(user=request.user, pk=pk)
    mine = selectors.my_registration(request.user, activity)
    attendee = (request.user.display_name, request.user.email) if mine else None
    return download(ics.activity_invitation(activity, attendee), f"activity-{activity.pk}.ics")


@login_required
@require_GET
def activity_sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    return download(
        documents.activity_sign_in_sheet_pdf(activity),
        _("签到表-%(title)s.pdf") % {"title": activity.title},
        inline=True,
    )


@login_required
@require_GET
def activity_attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    return download(
        exports.activity_attendance_xlsx(activity), _("出席名单-%(title)s.xlsx") % {"title": activity.title}
    )
