"""The enterprise's own pages: its home, its matters in its own words, filing online, answering a
material request, messages with the federation, and the files it may read.

Every read goes through `selectors.own_matters`: another enterprise's matter, and anything of a
matter the enterprise may not read (internal notes, the court's internal handling and files),
answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison import attachments, scoping
from liaison.deadlines import DueStatus, due_status_of, today
from liaison.errors import ActionRefused
from liaison.files import FileKind
from liaison.models import Attachment
from liaison.paging import page_of
from liaison.storage import StoredFileGone, file_download, gone_response
from liaison.workdays import WorkingCalendar

from .. import selectors, services
from ..choices import ENTERPRISE_UPLOADS, FOR_ENTERPRISE, ComplaintStatus, MembershipState, MessageVisibility
from ..forms import apply_refusal
from ..models import Complaint
from ..portal_forms import EnterpriseMessageForm, MaterialForm, MatterForm, RatingForm
from ..portal_words import DUE_WORDS, STAGE
from ..workflow import COMPLAINT

S = ComplaintStatus


@dataclass(frozen=True)
class MatterRow:
    matter: Complaint
    stage: str
    css: str
    due_words: str
    due: DueStatus | None


def matter_row(matter: Complaint, calendar: WorkingCalendar) -> MatterRow:
    stage, css = STAGE.get(matter.status, (matter.get_status_display(), "secondary"))
    due = due_status_of(matter.current_due, calendar, today(), matter.current_due_state or "running")
    return MatterRow(matter, str(stage), css, str(DUE_WORDS.get(matter.current_due_kind, "")), due)


def milestones(matter: Complaint) -> list[tuple[str, object, str]]:
    """(what, when, detail) of the stages reached, in the enterprise's words."""
    rows: list[tuple[str, object, str]] = []
    if matter.submitted_at:
        rows.append((_("已收到"), matter.submitted_at, _("受理编号 %(serial)s") % {"serial": matter.serial}))
    if matter.transferred_at:
        letter = matter.transfer.number if matter.transfer_id else ""
        detail = _("移送函文号 %(number)s") % {"number": letter} if letter else ""
        rows.append((_("已移送法院"), matter.transferred_at, detail))
    if matter.registered_at:
        rows.append((_("法院已登记"), matter.registered_at, ""))
    if matter.answered_at:
        rows.append((_("已答复"), matter.answered_at, ""))
    if matter.closed_at:
        rows.append((str(STAGE.get(matter.status, ("", ""))[0]), matter.closed_at, ""))
    return rows


def _membership_or_home(request: HttpRequest):  # noqa: ANN202
    membership = selectors.own_membership(request.user)
    if membership is None:
        raise Http404
    return membership


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The enterprise user's start page: the state of its link to the enterprise, and its matters."""
    membership = selectors.own_membership(request.user)
    if membership is None:
        return redirect("home")
    page = page_of(request, selectors.own_matter_list(user=request.user))
    calendar = WorkingCalendar()
    return render(
        request,
        "portal/home.html",
        {
            "membership": membership,
            "confirmed": membership.state == MembershipState.CONFIRMED,
            "page": page,
            "rows": [matter_row(m, calendar) for m in page.object_list],
        },
    )


def readable_files(matter: Complaint) -> QuerySet[Attachment]:
    """The answer files marked for the enterprise, and what enterprise users themselves uploaded
    (never the federation's or the court's own files, whatever their purpose)."""
    own = Q(purpose__in=ENTERPRISE_UPLOADS, uploaded_by__organization__isnull=True)
    return attachments.attachments_of(matter).filter(own | Q(purpose=FOR_ENTERPRISE))


def _files(matter: Complaint) -> list[Attachment]:
    """What the enterprise may open: its own uploads and the answer files marked for it."""
    return list(readable_files(matter))


def _detail_context(request: HttpRequest, matter: Complaint, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    files = _files(matter)
    return {
        "matter": matter,
        "row": matter_row(matter, WorkingCalendar()),
        "milestones": milestones(matter),
        "case_numbers": list(matter.case_numbers.all()),
        "own_files": [f for f in files if f.purpose in ENTERPRISE_UPLOADS],
        "answer_files": [f for f in files if f.purpose == FOR_ENTERPRISE],
        "thread": matter.messages.filter(visibility=MessageVisibility.ENTERPRISE).select_related("author"),
        "may_edit": COMPLAINT.may(user, matter, "submit"),
        "may_supply": COMPLAINT.may(user, matter, "supply_material"),
        "may_withdraw": COMPLAINT.may(user, matter, "withdraw"),
        "material_form": bound.get("material") or MaterialForm(),
        "message_form": bound.get("message") or EnterpriseMessageForm(),
        "may_message": matter.status != S.DRAFT,
        "ratings": list(matter.satisfactions.order_by("answer_round")),
        "may_rate": matter.status in (S.ANSWERED, S.CLOSED)
        and not matter.satisfactions.filter(answer_round=matter.reopen_count).exists(),
        "rating_form": bound.get("rating") or RatingForm(),
    }


@login_required
@require_GET
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    return render(request, "portal/matter_detail.html", _detail_context(request, matter))


def _duplicates(request: HttpRequest, form: MatterForm, matter: Complaint | None) -> list[Complaint]:
    """The enterprise's own open matters about one of the same case numbers."""
    membership = _membership_or_home(request)
    found = services.likely_duplicates(
        enterprise=membership.enterprise, case_numbers=form.cleaned_data["case_numbers"], exclude=matter
    )
    own = set(selectors.own_matters(request.user).filter(pk__in=[c.pk for c in found]).values_list("pk", flat=True))
    return [c for c in found if c.pk in own]


def _file_form(request: HttpRequest, matter: Complaint | None) -> HttpResponse:
    form = MatterForm(request.POST or None, request.FILES or None, matter=matter)
    duplicates: list[Complaint] = []
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        duplicates = _duplicates(request, form, matter) if submit else []
        if not duplicates or form.cleaned_data.get("confirm_duplicate"):
            try:
                saved = services.matter_save_draft(
                    actor=request.user, data=form.data_for_service(), files=form.cleaned_data["files"], matter=matter
                )
                if submit:
                    services.complaint_submit(actor=request.user, complaint=saved)
            except ActionRefused as error:
                apply_refusal(form, error)
            else:
                if submit:
                    return redirect("portal:matter_acknowledgement", pk=saved.pk)
                messages.success(
                    request, _("草稿已保存（编号 %(serial)s），提交前工商联看不到。") % {"serial": saved.serial}
                )
                return redirect("portal:matter_edit", pk=saved.pk)
    return render(request, "portal/matter_form.html", {"form": form, "matter": matter, "duplicates": duplicates})


@login_required
def matter_create(request: HttpRequest) -> HttpResponse:
    membership = _membership_or_home(request)
    if membership.state != MembershipState.CONFIRMED:
        messages.error(request, _("工商联确认您与企业的关联后，才能在线提交诉求。"))
        return redirect("portal:enterprise_home")
    return _file_form(request, None)


@login_required
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    if not COMPLAINT.may(request.user, matter, "submit"):
        messages.error(request, _("诉求已提交，不能再修改。"))
        return redirect("portal:matter_detail", pk=matter.pk)
    return _file_form(request, matter)


@login_required
@require_GET
def matter_acknowledgement(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of a submitted matter: its tracking number, when and until when it is reviewed."""
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    if matter.submitted_at is None:
        raise Http404
    return render(
        request, "portal/matter_acknowledgement.html", {"matter": matter, "row": matter_row(matter, WorkingCalendar())}
    )


@login_required
@require_POST
def matter_supply(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the federation's material request: text and files; the review clock resumes."""
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "portal/matter_detail.html", _detail_context(request, matter, {"material": form}), status=400
        )
    try:
        services.complaint_supply_material(
            actor=request.user, complaint=matter, note=form.cleaned_data["note"], files=form.cleaned_data["files"]
        )
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("补充材料已提交，工商联将继续审核。"))
    return redirect("portal:matter_detail", pk=matter.pk)


@login_required
@require_POST
def matter_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    try:
        services.complaint_withdraw(actor=request.user, complaint=matter, reason=request.POST.get("reason", ""))
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("诉求已撤回。"))
    return redirect("portal:matter_detail", pk=matter.pk)


@login_required
@require_POST
def matter_message(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    form = EnterpriseMessageForm(request.POST)
    if not form.is_valid():
        return render(
            request, "portal/matter_detail.html", _detail_context(request, matter, {"message": form}), status=400
        )
    try:
        services.enterprise_message_post(actor=request.user, complaint=matter, body=form.cleaned_data["body"])
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("留言已发送给工商联。"))
    return redirect("portal:matter_detail", pk=matter.pk)


@login_required
@require_GET
def matter_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """One file of the matter the enterprise may read (404 for the court's internal files)."""
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    attachment = scoping.get_or_404(readable_files(matter), pk=file_pk)
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
@require_POST
def matter_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate the court's answer; 不满意 may ask for the matter to be handled again."""
    matter = selectors.own_matter_get(user=request.user, pk=pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return render(
            request, "portal/matter_detail.html", _detail_context(request, matter, {"rating": form}), status=400
        )
    try:
        services.matter_rate(
            actor=request.user,
            complaint=matter,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
            reopen_reason=form.cleaned_data["reopen_reason"],
        )
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已收到您的申请，工商联将在规定期限内决定是否要求法院重新办理。")
            if form.cleaned_data["reopen_reason"]
            else _("感谢您的评价。"),
        )
    return redirect("portal:matter_detail", pk=matter.pk)
