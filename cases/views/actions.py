"""The actions on a complaint: one POST endpoint dispatching to the services, and the thread.

Each action names its form and the service call; the page shows the forms of the actions the user
may take (services.allowed_actions, plus the court's extension, review and file forms). A service
refusal is shown as an error message; a form that cannot be parsed is shown again with its errors.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _, gettext_lazy as _l
from django.views.decorators.http import require_POST

from liaison.errors import ActionRefused
from liaison.models import User

from .. import selectors, services
from ..choices import TRANSITIONS
from ..forms import (
    AnswerForm,
    AssignForm,
    CaseReviewForm,
    EmptyActionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    FilesForm,
    MessageForm,
    ReasonForm,
    RegisterForm,
    RerouteForm,
    SupplyMaterialForm,
)
from ..models import Complaint

FormFactory = Callable[..., forms.Form]


def _reason(label: str) -> FormFactory:
    def build(*args: object, **kwargs: object) -> forms.Form:
        form = ReasonForm(*args, **kwargs)
        form.fields["reason"].label = label
        return form
    return build


def _transfer_message(transfer: object) -> str:
    link = reverse("cases:transfer_detail", args=[transfer.pk])
    return format_html(_("已移送{court}，移送函文号 <a href=\"{url}\">{number}</a>。"),
                       court=transfer.court.name, url=link, number=transfer.number)


@dataclass(frozen=True)
class Action:
    """An action's form, its service call, and the message on success (text, or built from the result)."""

    form: FormFactory
    call: Callable[[User, Complaint, dict], object]
    done: object  # a lazy string, or a callable (result, cleaned data) → str
    button: str = "btn-primary"
    needs: tuple[str, ...] = ()  # extra form constructor arguments: "user", "complaint"

    def run(self, user: User, complaint: Complaint, data: dict) -> str:
        result = self.call(user, complaint, data)
        return self.done(result, data) if callable(self.done) else str(self.done)


def _files(d: dict) -> list:
    return d.get("files") or []


ACTIONS: dict[str, Action] = {
    "submit": Action(
        EmptyActionForm, lambda u, c, d: services.complaint_submit(actor=u, complaint=c), _l("已提交审核。")),
    "start_review": Action(
        EmptyActionForm, lambda u, c, d: services.complaint_start_review(actor=u, complaint=c), _l("已开始审核。")),
    "request_material": Action(
        _reason(_l("需补充的材料")),
        lambda u, c, d: services.complaint_request_material(actor=u, complaint=c, reason=d["reason"]),
        _l("已退回补充材料，审核时限暂停计算。"), "btn-warning"),
    "supply_material": Action(
        SupplyMaterialForm,
        lambda u, c, d: services.complaint_supply_material(actor=u, complaint=c, note=d["note"], files=_files(d)),
        _l("材料已补充，诉求重新进入审核。")),
    "decline": Action(
        _reason(_l("不予移送的理由")),
        lambda u, c, d: services.complaint_decline(actor=u, complaint=c, reason=d["reason"]),
        _l("已决定不予移送。"), "btn-outline-danger"),
    "queue": Action(
        EmptyActionForm, lambda u, c, d: services.complaint_queue(actor=u, complaint=c), _l("已列入联席会议移送。")),
    "transfer_now": Action(
        EmptyActionForm, lambda u, c, d: services.complaint_transfer_now(actor=u, complaint=c),
        lambda transfer, d: _transfer_message(transfer), "btn-danger"),
    "register": Action(
        RegisterForm,
        lambda u, c, d: services.complaint_register(
            actor=u, complaint=c, registration_number=d["registration_number"],
            court_case_numbers=d["court_case_numbers"], under_supervision=d["under_supervision"]),
        _l("已登记。")),
    "court_return": Action(
        _reason(_l("退回理由")),
        lambda u, c, d: services.complaint_court_return(actor=u, complaint=c, reason=d["reason"]),
        _l("已退回移送。"), "btn-outline-danger"),
    "assign": Action(
        AssignForm,
        lambda u, c, d: services.complaint_assign(actor=u, complaint=c, department=d["department"],
                                                  handler=d["handler"]),
        lambda result, d: _("已交办 %(handler)s。") % {"handler": d["handler"].display_name},
        needs=("complaint",)),
    "answer": Action(
        AnswerForm,
        lambda u, c, d: services.complaint_answer(actor=u, complaint=c, answer=d["answer"], files=_files(d)),
        _l("办理结果已反馈。")),
    "close": Action(
        EmptyActionForm, lambda u, c, d: services.complaint_close(actor=u, complaint=c), _l("诉求已办结。"),
        "btn-success"),
    "reopen": Action(
        _reason(_l("重新办理的理由")),
        lambda u, c, d: services.complaint_reopen(actor=u, complaint=c, reason=d["reason"]),
        _l("已要求法院重新办理。"), "btn-warning"),
    "reroute": Action(
        RerouteForm, lambda u, c, d: services.complaint_reroute(actor=u, complaint=c, court=d["court"]),
        lambda transfer, d: _transfer_message(transfer), needs=("user", "complaint")),
    "withdraw": Action(
        _reason(_l("撤回理由")),
        lambda u, c, d: services.complaint_withdraw(actor=u, complaint=c, reason=d["reason"]),
        _l("诉求已撤回。"), "btn-outline-secondary"),
    # Not transitions of the status: the court's extension and case review, and more files.
    "request_extension": Action(
        ExtensionRequestForm,
        lambda u, c, d: services.complaint_request_extension(actor=u, complaint=c, reason=d["reason"]),
        _l("延期申请已提交，等待法院领导审批。")),
    "decide_extension": Action(
        ExtensionDecisionForm,
        lambda u, c, d: services.complaint_decide_extension(actor=u, complaint=c, approve=d["decision"] == "approve"),
        lambda result, d: _("已批准延期，反馈期限已顺延。") if d["decision"] == "approve" else _("已不批准延期。")),
    "case_review": Action(
        CaseReviewForm,
        lambda u, c, d: services.case_review_record(actor=u, complaint=c, outcome=d["outcome"],
                                                    explanation=d["explanation"]),
        _l("评查结果已登记。")),
    "add_files": Action(
        FilesForm, lambda u, c, d: services.complaint_add_files(actor=u, complaint=c, files=_files(d)),
        _l("附件已上传。")),
}
LABELS = {name: rule.label for name, rule in TRANSITIONS.items()} | {
    "request_extension": _l("申请延期"),
    "decide_extension": _l("审批延期"),
    "case_review": _l("登记评查结果"),
    "add_files": _l("上传附件"),
    "message": _l("留言"),
}


def _build(name: str, request: HttpRequest, complaint: Complaint, data: object = None,
           files: object = None) -> forms.Form:
    action = ACTIONS[name]
    extra = {"user": request.user, "complaint": complaint}
    kwargs = {key: extra[key] for key in action.needs}
    return action.form(data, files, prefix=name, **kwargs)


@dataclass(frozen=True)
class ActionForm:
    name: str
    label: str
    form: forms.Form
    button: str
    multipart: bool


def action_forms(request: HttpRequest, complaint: Complaint, bound: dict[str, forms.Form]) -> dict:
    """The forms of the actions the user may take now, and the thread's form."""
    user = request.user
    allowed = services.allowed_actions(user, complaint)
    shown = []
    for name in [n for n in allowed if n in ACTIONS]:
        form = bound.get(name) or _build(name, request, complaint)
        shown.append(ActionForm(name, str(LABELS[name]), form, ACTIONS[name].button, form.is_multipart()))
    may_post = user.organization_id in (complaint.filing_organization_id, complaint.court_id) and (
        user.organization_id != complaint.court_id or complaint.transferred_at is not None)
    message_form = bound.get("message") or (
        MessageForm(initial={"internal": complaint.transferred_at is None}) if may_post else None)
    return {"action_forms": shown, "batch_transfer": "transfer_batch" in allowed, "message_form": message_form}


def _show_again(request: HttpRequest, complaint: Complaint, name: str, form: forms.Form) -> HttpResponse:
    from .complaints import detail_context

    messages.error(request, _("请检查“%(action)s”表单中的内容。") % {"action": LABELS.get(name, name)})
    return render(request, "cases/complaint_detail.html", detail_context(request, complaint, {name: form}))


@login_required
@require_POST
def complaint_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    form = _build(action, request, complaint, request.POST, request.FILES)
    if not form.is_valid():
        return _show_again(request, complaint, action, form)
    try:
        done = ACTIONS[action].run(request.user, complaint, form.cleaned_data)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("cases:complaint_detail", pk=pk)


@login_required
@require_POST
def complaint_message(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _show_again(request, complaint, "message", form)
    try:
        services.message_post(actor=request.user, complaint=complaint, body=form.cleaned_data["body"],
                              internal=form.cleaned_data["internal"])
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("内部备注已保存。") if form.cleaned_data["internal"] else _("留言已发送。"))
    return redirect(reverse("cases:complaint_detail", args=[pk]) + "#thread")
