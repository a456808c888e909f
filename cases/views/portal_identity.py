"""Pages of enterprise identity: self-registration with a one-time code, invitation links, and the
federation's list of people waiting for their link to an enterprise to be confirmed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from liaison import audit, scoping
from liaison.errors import ActionRefused
from liaison.lockout import client_ip
from liaison.paging import page_of
from liaison.permissions import page_requires
from liaison.workflow_views import act_view, action_forms

from .. import selectors, services
from ..choices import MembershipState
from ..forms import apply_refusal
from ..models import EnterpriseMembership, Satisfaction
from ..portal_forms import (
    AccountForm,
    FollowUpForm,
    InvitationForm,
    RegistrationForm,
    VerifyForm,
    registration_from_session,
)
from ..services import portal as portal_services
from ..workflow import MEMBERSHIP, SATISFACTION
from ._common import timeline
from .enterprises import _enterprise_get

SESSION_KEY = "portal_registration"
BACKEND = "liaison.backends.UserWithScopeTokenBackend"


def _send_code(request: HttpRequest, stored: dict) -> bool:
    """Ask for a code; the same message whether the person, number or enterprise is known or not."""
    try:
        services.code_request(
            purpose=portal_services.REGISTER,
            mobile=stored["mobile"],
            email=stored["email"],
            client_ip=client_ip(request),
        )
    except ActionRefused as error:
        messages.error(request, error.message)
        return False
    messages.success(request, _("验证码已以短信发送至您的手机，并发送至您填写的电子邮箱，10 分钟内有效。"))
    return True


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    """Step one: the enterprise, the person and where to send the code."""
    if request.user.is_authenticated:
        return redirect("portal:enterprise_home")
    form = RegistrationForm(request.POST or None, initial=request.session.get(SESSION_KEY))
    if request.method == "POST" and form.is_valid():
        stored = form.as_session()
        request.session[SESSION_KEY] = stored
        if _send_code(request, stored):
            return redirect("portal:enterprise_register_verify")
    return render(request, "portal/register.html", {"form": form})


@login_not_required
def register_verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code, and the account the person chooses."""
    stored = request.session.get(SESSION_KEY)
    data = registration_from_session(stored) if stored else None
    if data is None:
        return redirect("portal:enterprise_register")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.enterprise_self_register(data=data, code=form.cleaned_data["code"], account=form.account())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            login(request, user, backend=BACKEND)
            messages.success(request, _("注册成功。工商联确认您与企业的关联后，即可在线提交诉求。"))
            return redirect("portal:enterprise_home")
    return render(request, "portal/register_verify.html", {"form": form, "data": data})


@login_not_required
@require_POST
def register_resend(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return redirect("portal:enterprise_register")
    _send_code(request, stored)
    return redirect("portal:enterprise_register_verify")


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """An invited contact person chooses an account (the link works once, until it expires)."""
    try:
        invitation = services.invitation_for(token)
    except ActionRefused as error:
        return render(request, "portal/invitation_invalid.html", {"message": error.message}, status=404)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, account=form.account())
        except ActionRefused as error:
            apply_refusal(form, error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("注册成功。工商联确认您与企业的关联后，即可在线提交诉求。"))
            return redirect("portal:enterprise_home")
    return render(request, "portal/invitation_accept.html", {"form": form, "invitation": invitation})


# --- the federation's side ------------------------------------------------------------------------


@login_required
def enterprise_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Federation staff send a contact person of the enterprise a one-time registration link."""
    enterprise = _enterprise_get(request.user, pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_invite(
                actor=request.user,
                enterprise=enterprise,
                link_for=lambda token: request.build_absolute_uri(reverse("portal:invitation_accept", args=[token])),
                **form.cleaned_data,
            )
        except ActionRefused as error:
            if error.code == ActionRefused.PERMISSION:
                messages.error(request, error.message)
                return redirect("cases:enterprise_detail", pk=enterprise.pk)
            apply_refusal(form, error)
        else:
            messages.success(request, _("邀请链接已发送至 %(email)s，7 天内有效。") % form.cleaned_data)
            return redirect("cases:enterprise_detail", pk=enterprise.pk)
    return render(request, "portal/enterprise_invite.html", {"form": form, "enterprise": enterprise})


@login_required
@page_requires("cases.view_memberships", gettext_lazy("企业用户由收集移送诉求的工商联工作人员确认，您的角色不能查看。"))
@require_GET
def membership_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", MembershipState.PENDING)
    rows = selectors.membership_list(user=request.user)
    if state in MembershipState.values:
        rows = rows.filter(state=state)
    page = page_of(request, rows)
    return render(
        request,
        "portal/membership_list.html",
        {
            "page": page,
            "state": state,
            "states": MembershipState.choices,
            "pending": selectors.membership_scope(request.user).filter(state=MembershipState.PENDING).count(),
        },
    )


def _membership_context(request: HttpRequest, membership: EnterpriseMembership, bound: dict) -> dict:
    enterprise = membership.enterprise
    return {
        "membership": membership,
        "enterprise": enterprise,
        "name_differs": membership.claimed_name.strip() != enterprise.name.strip(),
        "action_forms": action_forms(MEMBERSHIP, request, membership, bound),
        "events": timeline(audit.history(membership), request.user),
    }


@login_required
@require_GET
def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, pk=pk)
    return render(request, "portal/membership_detail.html", _membership_context(request, membership, {}))


def _show_membership_again(request: HttpRequest, membership: EnterpriseMembership, action: str, form: forms.Form):
    return render(
        request, "portal/membership_detail.html", _membership_context(request, membership, {action: form}), status=400
    )


membership_act = login_required(
    act_view(
        MEMBERSHIP,
        load=lambda request, pk: selectors.membership_get(user=request.user, pk=pk),
        detail="portal:membership_detail",
        show_again=_show_membership_again,
    )
)


@login_required
@require_POST
def complaint_enterprise_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Federation staff answer the enterprise that filed online (the court does not read it)."""
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    try:
        services.enterprise_message_post(actor=request.user, complaint=complaint, body=request.POST.get("body", ""))
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("留言已发送给企业。"))
    return redirect("cases:complaint_detail", pk=complaint.pk)


# --- satisfaction on the federation's side ---------------------------------------------------------


def satisfaction_get(request: HttpRequest, pk: int) -> Satisfaction:
    """A rating of a complaint the user sees (404 otherwise)."""
    visible = selectors.complaint_scope(request.user).values("pk")
    return scoping.get_or_404(Satisfaction.objects.filter(complaint__in=visible).select_related("complaint"), pk=pk)


def _satisfaction_again(request: HttpRequest, satisfaction: Satisfaction, action: str, form: forms.Form):
    messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cases:complaint_detail", pk=satisfaction.complaint_id)


satisfaction_act = login_required(
    act_view(
        SATISFACTION,
        load=satisfaction_get,
        detail="cases:complaint_detail",
        show_again=_satisfaction_again,
        then=lambda rule, result: reverse("cases:complaint_detail", args=[result.complaint_id]),
    )
)


@login_required
@require_POST
def complaint_followup(request: HttpRequest, pk: int) -> HttpResponse:
    """Federation staff record a follow-up call on an answered paper matter."""
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("cases:complaint_detail", pk=complaint.pk)
    try:
        services.followup_record(actor=request.user, complaint=complaint, **form.cleaned_data)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("回访已登记。"))
    return redirect("cases:complaint_detail", pk=complaint.pk)
