"""Meeting pages: the list, planning and changing, the detail with its steps, RSVP, attendance,
the agenda, the sign-in sheet and the .ics of one meeting."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.models import Complaint
from cases.selectors import complaint_scope
from liaison import audit, scoping
from liaison.downloads import download
from liaison.errors import ActionRefused
from liaison.workflow_views import act_view, action_forms

from .. import documents, ics, selectors, services
from ..choices import AgendaKind, Attendance
from ..filters import MeetingFilter
from ..forms import (
    AgendaItemForm,
    AgendaTransferForm,
    AgendaTrimForm,
    AttendanceForm,
    MeetingForm,
    RsvpForm,
    apply_refusal,
    style_filter_form,
)
from ..models import AgendaItem, Meeting
from ..permissions import may_plan
from ..workflow import MEETING
from ._common import MEETING_CSS, MINUTES_CSS, page_of, query_without_page


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = MeetingFilter(request.GET or None, queryset=selectors.meeting_list(user=user), user=user)
    style_filter_form(filterset.form)
    page = page_of(request, filterset.qs)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "page": page,
            "css": MEETING_CSS,
            "query": query_without_page(request),
            "may_plan": may_plan(user),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        mechanism = form.cleaned_data["mechanism"]
        items, complaints = form.agenda_choices(mechanism)
        try:
            meeting = services.meeting_create(
                actor=request.user,
                mechanism=mechanism,
                data=form.data_for_service(),
                action_items=items,
                complaints=complaints,
            )
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("会议已安排。核对议题和参会人员后，请发出会议通知。"))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if "edit" not in services.allowed_actions(request.user, meeting):
        messages.error(
            request, _("当前状态为“%(state)s”，您不能修改该会议。") % {"state": meeting.get_status_display()}
        )
        return redirect("meetings:meeting_detail", pk=pk)
    form = MeetingForm(request.POST or None, user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, data=form.data_for_service())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            notified = meeting.notice_sent_at is not None
            messages.success(request, _("会议已修改，已向参会人员发出变更通知。") if notified else _("会议已修改。"))
            return redirect("meetings:meeting_detail", pk=pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


# --- the detail and its steps -------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    complaints: list[Complaint]
    hidden_complaints: int
    transferable: list[Complaint]
    trim_form: AgendaTrimForm | None
    transfer_form: AgendaTransferForm | None


def _agenda_rows(request: HttpRequest, meeting: Meeting, allowed: list[str]) -> list[AgendaRow]:
    user = request.user
    visible = selectors.visible_complaint_ids(user, meeting)
    may_trim = MEETING.may(user, meeting, "agenda")
    may_transfer = MEETING.may(user, meeting, "transfer")
    rows = []
    for item in meeting.agenda_items.all():
        complaints = list(item.complaints.all())
        shown = [c for c in complaints if c.pk in visible]
        transferable = [c for c in shown if c.status == "queued"]
        visible_qs = complaint_scope(user).filter(pk__in=[c.pk for c in shown])
        rows.append(
            AgendaRow(
                item,
                shown,
                len(complaints) - len(shown),
                transferable,
                AgendaTrimForm(item=item, visible_complaints=visible_qs, prefix=f"trim-{item.pk}")
                if may_trim
                else None,
                AgendaTransferForm(
                    queued=complaint_scope(user).filter(pk__in=[c.pk for c in transferable]),
                    prefix=f"transfer-{item.pk}",
                )
                if may_transfer and transferable and item.kind == AgendaKind.COMPLAINTS
                else None,
            )
        )
    return rows


def detail_context(request: HttpRequest, meeting: Meeting, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    allowed = services.allowed_actions(user, meeting)
    mine = selectors.my_invitation(user, meeting)
    invitees = list(meeting.invitees.all())
    return {
        "meeting": meeting,
        "status_css": MEETING_CSS.get(meeting.status, "secondary"),
        "action_forms": action_forms(MEETING, request, meeting, bound),
        "allowed": allowed,
        "invitees": invitees,
        "present_count": sum(1 for i in invitees if i.attendance in (Attendance.PRESENT, Attendance.REPRESENTED)),
        "mine": mine,
        "rsvp_form": bound.get("rsvp")
        or (
            RsvpForm(initial={"answer": mine.rsvp, "note": mine.rsvp_note})
            if mine and MEETING.may(user, meeting, "rsvp")
            else None
        ),
        "agenda": _agenda_rows(request, meeting, allowed),
        "agenda_form": bound.get("agenda")
        or (AgendaItemForm(prefix="agenda") if MEETING.may(user, meeting, "agenda") else None),
        "minutes": selectors.issued_minutes_of(meeting),
        "minutes_css": MINUTES_CSS,
        "events": audit.history(meeting),
    }


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return render(request, "meetings/meeting_detail.html", detail_context(request, meeting))


def _render_with(request: HttpRequest, meeting: Meeting, name: str, form: forms.Form) -> HttpResponse:
    return render(request, "meetings/meeting_detail.html", detail_context(request, meeting, {name: form}))


def _show_again(request: HttpRequest, meeting: Meeting, name: str, form: forms.Form) -> HttpResponse:
    messages.error(request, _("请检查表单中的内容。"))
    return _render_with(request, meeting, name, form)


meeting_act = login_required(
    act_view(
        MEETING,
        load=lambda request, pk: selectors.meeting_get(user=request.user, pk=pk),
        detail="meetings:meeting_detail",
        show_again=_render_with,
    )
)


@login_required
@require_POST
def meeting_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    mine = selectors.my_invitation(request.user, meeting)
    if mine is None:
        raise Http404
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return _show_again(request, meeting, "rsvp", form)
    try:
        services.invitee_rsvp(
            actor=request.user, invitee=mine, answer=form.cleaned_data["answer"], note=form.cleaned_data["note"]
        )
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已回复。"))
    return redirect("meetings:meeting_detail", pk=pk)


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if "attendance" not in services.allowed_actions(request.user, meeting):
        messages.error(request, _("当前不能登记出席情况（会议召开当天起、纪要送审前由会议秘书登记）。"))
        return redirect("meetings:meeting_detail", pk=pk)
    form = AttendanceForm(request.POST or None, invitees=list(meeting.invitees.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=request.user, meeting=meeting, entries=form.entries())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            messages.success(request, _("出席情况已登记。"))
            return redirect("meetings:meeting_detail", pk=pk)
    return render(request, "meetings/attendance_form.html", {"meeting": meeting, "form": form})


@login_required
@require_GET
def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return download(
        documents.sign_in_sheet_pdf(meeting), _("签到表-%(title)s.pdf") % {"title": meeting.title}, inline=True
    )


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    content = ics.invitation(meeting, "PUBLISH", meeting.invitees.all())
    return download(content, f"meeting-{meeting.pk}.ics")


# --- the agenda ---------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = AgendaItemForm(request.POST, prefix="agenda")
    if not form.is_valid():
        return _show_again(request, meeting, "agenda", form)
    try:
        services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("议题已增加。"))
    return redirect(reverse("meetings:meeting_detail", args=[pk]) + "#agenda")


def _agenda_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = scoping.get_or_404(
        AgendaItem.objects.filter(meeting__in=selectors.meeting_scope(request.user)).select_related(
            "meeting", "meeting__mechanism"
        ),
        pk=pk,
    )
    return item


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item(request, pk)
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("议题已删除。"))
    return redirect(reverse("meetings:meeting_detail", args=[item.meeting_id]) + "#agenda")


@login_required
@require_POST
def agenda_trim(request: HttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item(request, pk)
    visible = complaint_scope(request.user).filter(pk__in=item.complaints.values("pk"))
    form = AgendaTrimForm(request.POST, item=item, visible_complaints=visible, prefix=f"trim-{item.pk}")
    if form.is_valid():
        try:
            services.agenda_item_trim(
                actor=request.user,
                item=item,
                action_items=list(form.cleaned_data["action_items"]),
                complaints=list(form.cleaned_data["complaints"]),
            )
        except ActionRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已从议题中移除。"))
    else:
        messages.error(request, _("请选择要移除的事项。"))
    return redirect(reverse("meetings:meeting_detail", args=[item.meeting_id]) + "#agenda")


@login_required
@require_POST
def agenda_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item(request, pk)
    queued = complaint_scope(request.user).filter(pk__in=item.complaints.values("pk"), status="queued")
    form = AgendaTransferForm(request.POST, queued=queued, prefix=f"transfer-{item.pk}")
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("meetings:meeting_detail", args=[item.meeting_id]) + "#agenda")
    try:
        transfers = services.agenda_transfer(
            actor=request.user, item=item, complaints=list(form.cleaned_data["complaints"])
        )
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已在会上移送，移送函文号：%(numbers)s。") % {"numbers": "、".join(t.number for t in transfers)}
        )
    return redirect(reverse("meetings:meeting_detail", args=[item.meeting_id]) + "#agenda")
