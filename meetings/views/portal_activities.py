"""The activities an enterprise may join, on the enterprise portal: the list, the detail,
registering and withdrawing (the same service as the parties' staff, with its waiting list), and
the .ics. Anything else, and any activity not open to its enterprise, answers 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liaison.downloads import download

from .. import ics, selectors
from ..activity_workflow import ACTIVITY
from ._common import page_of
from .activities import ACTIVITY_CSS, register_and_tell, withdraw_and_tell


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    from ..activity_workflow import enterprise_mechanism_id

    if request.user.organization_id is not None or enterprise_mechanism_id(request.user) is None:
        raise Http404
    page = page_of(request, selectors.enterprise_activity_list(user=request.user))
    return render(request, "portal/activity_list.html", {"page": page, "css": ACTIVITY_CSS})


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.enterprise_activity_get(user=request.user, pk=pk)
    mine = next(iter(activity.own_registrations), None)
    return render(
        request,
        "portal/activity_detail.html",
        {
            "activity": activity,
            "mine": mine,
            "css": ACTIVITY_CSS,
            "may_register": mine is None and ACTIVITY.may(request.user, activity, "register"),
            "may_withdraw": mine is not None
            and mine.signed_in_at is None
            and ACTIVITY.may(request.user, activity, "withdraw"),
        },
    )


@login_required
@require_POST
def activity_register(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.enterprise_activity_get(user=request.user, pk=pk)
    register_and_tell(request, activity)
    return redirect("portal_activities:enterprise_activity_detail", pk=pk)


@login_required
@require_POST
def activity_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.enterprise_activity_get(user=request.user, pk=pk)
    mine = next(iter(activity.own_registrations), None)
    if mine is None:
        raise Http404
    withdraw_and_tell(request, mine)
    return redirect("portal_activities:enterprise_activity_detail", pk=pk)


@login_required
@require_GET
def activity_ics(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.enterprise_activity_get(user=request.user, pk=pk)
    mine = next(iter(activity.own_registrations), None)
    attendee = (request.user.display_name, request.user.email) if mine else None
    return download(ics.activity_invitation(activity, attendee), f"activity-{activity.pk}.ics")
