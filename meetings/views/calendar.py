"""The personal calendar feed: the page with its secret address, and the feed itself.

The feed is read by calendar programs that cannot log in, so it lives under /api/ (which the
login-required middleware lets through) and is found by its secret token alone; a wrong token is
a 404. Resetting the token revokes the old address.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison import audit
from liaison.models import User

from .. import ics, selectors
from ..models import CalendarFeed


def feed_for(user: User, *, reset: bool = False) -> CalendarFeed:
    """The user's feed, created on first use; `reset` gives it a new token (the old address stops working)."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
        if reset and not created:
            feed.token = secrets.token_urlsafe(32)
            feed.save(update_fields=["token"])
            audit.record(actor=user, target=feed, action="calendar_feed_reset")
    return feed


@login_required
def calendar_feed_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        feed_for(request.user, reset=True)
        messages.success(request, _("已生成新的订阅地址，原地址已失效。"))
        return redirect("meetings:calendar_feed")
    feed = feed_for(request.user)
    url = request.build_absolute_uri(reverse("meetings_calendar_feed", args=[feed.token]))
    return render(
        request, "meetings/calendar_feed.html", {"feed_url": url, "meetings": selectors.meetings_of(request.user)[:20]}
    )


@login_not_required  # found by its secret token, for calendar programs that cannot log in
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics of the token's user: their meetings, including cancelled ones (marked cancelled)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    content = ics.feed(
        selectors.meetings_of(feed.user),
        name=_("联席会议 · %(name)s") % {"name": feed.user.display_name},
        activities=selectors.activities_of(feed.user),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
