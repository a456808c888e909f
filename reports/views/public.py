"""The public column of a mechanism (营商环境专栏): an anonymous page and its Atom feed, and the
convenor's switch and the author's "show in the column" mark for a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison import scoping
from liaison.errors import ActionRefused
from liaison.lockout import client_ip
from liaison.models import Mechanism

from .. import public, selectors, services


def _too_many() -> HttpResponse:
    response = HttpResponse(_("访问过于频繁，请稍后再试。"), status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "60"
    return response


def _column(request: HttpRequest, pk: int) -> dict:
    column = public.public_column(pk)
    if column is None:
        raise Http404
    return column


@login_not_required
@require_GET
def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    if public.over_rate_limit(client_ip(request)):
        return _too_many()
    # The column's content is cached on the server (`reports.public`); the page itself carries the
    # language form's CSRF token, so shared caches must not keep it.
    return render(request, "reports/public/page.html", {"column": _column(request, pk)})


@login_not_required
@require_GET
def public_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """An Atom feed of the column's public reports, newest first."""
    if public.over_rate_limit(client_ip(request)):
        return _too_many()
    column = _column(request, pk)
    page = request.build_absolute_uri(reverse("reports:public_page", args=[pk]))
    feed = Atom1Feed(
        title=_("%(name)s · 营商环境专栏") % {"name": column["name"]},
        link=page,
        description=_("已公开的典型案例、工作简报等"),
        language="zh-CN",
        feed_url=request.build_absolute_uri(),
    )
    for report in column["reports"]:
        feed.add_item(
            title=report["title"],
            link=f"{page}#report-{report['pk']}",
            description=report["summary"] or report["body"][:200],
            unique_id=f"{page}#report-{report['pk']}",
            pubdate=report["published_at"],
            author_name=report["author_organization"],
            categories=[report["kind"]],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@login_required
@require_GET
def public_settings(request: HttpRequest) -> HttpResponse:
    """The mechanisms the user's organization convenes, with their column's switch."""
    mechanisms = [
        m for m in scoping.visible_mechanisms(request.user).order_by("name") if services.convenes(request.user, m)
    ]
    return render(request, "reports/public/settings.html", {"mechanisms": mechanisms})


@login_required
@require_POST
def public_page_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    mechanism = scoping.get_visible_or_404(Mechanism.objects.all(), request.user, "", pk=pk)
    enabled = request.POST.get("enabled") == "1"
    try:
        services.mechanism_set_public_page(mechanism=mechanism, actor=request.user, enabled=enabled)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("营商环境专栏已开设。") if enabled else _("营商环境专栏已关闭。"))
    return redirect("reports:public_settings")


@login_required
@require_POST
def report_public(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    public_now = request.POST.get("public") == "1"
    try:
        services.report_set_public(report=report, actor=request.user, public=public_now)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已在营商环境专栏公开。") if public_now else _("已撤出营商环境专栏。"))
    return redirect("reports:detail", pk=pk)
