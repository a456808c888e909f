"""Who is logging in from where, and how hard guessing a password is made.

Two limits work together. django-axes locks one (username, address) pair after a few failures,
so an attacker elsewhere cannot lock the real user out of their own address. Above it, a slower
limit per username counts failures from every address: once it is reached, each further attempt
on that account from an address it has never logged in from waits between tries, so rotating
addresses gains little. Both tell the administrators and the account's owner.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import NotificationKind, Role
from .models import User


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind the documented proxy the nearest address in
    X-Forwarded-For that is not one of the trusted proxies (entries a client wrote itself lie
    further left and are never reached)."""
    remote = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    if not settings.BEHIND_PROXY or not _trusted(remote):
        return str(remote)
    forwarded = [_parse(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address is None:
            break  # a garbled entry: trust nothing to its left
        if not _trusted(address):
            return str(address)
    return str(remote)


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)


def _failures(username: str) -> tuple[int, dt.datetime | None, int]:
    from axes.models import AccessAttempt

    row = AccessAttempt.objects.filter(username=username, attempt_time__gte=_window_start()).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time"), addresses=Count("pk")
    )
    return row["failures"] or 0, row["last"], row["addresses"] or 0


def _known_address(username: str, address: str | None) -> bool:
    from axes.models import AccessLog

    return bool(address) and AccessLog.objects.filter(username=username, ip_address=address).exists()


def throttle_wait(username: str, address: str | None) -> int:
    """Seconds this attempt must wait under the per-user limit (0: go ahead)."""
    if not username or _known_address(username, address):
        return 0
    failures, last, _addresses = _failures(username)
    if failures < settings.LOGIN_USER_FAILURE_LIMIT or last is None:
        return 0
    ready_at = last + dt.timedelta(seconds=settings.LOGIN_USER_THROTTLE_SECONDS)
    return max(math.ceil((ready_at - timezone.now()).total_seconds()), 0)


def _tell(username: str, title: str, body: str) -> None:
    from .notifications import notify

    recipients = list(
        User.objects.filter(
            Q(is_superuser=True) | Q(role_assignments__role=Role.ADMINISTRATOR) | Q(username=username),
            is_active=True,
        ).distinct()
    )
    notify(recipients, kind=NotificationKind.SYSTEM, title=title, body=body)


def failure_recorded(username: str) -> None:
    """After a failed login: when the account reaches the per-user limit, say so once."""
    if not username:
        return
    failures, _last, addresses = _failures(username)
    if failures == settings.LOGIN_USER_FAILURE_LIMIT:
        _tell(
            username,
            _("账号“%(username)s”登录失败次数过多") % {"username": username},
            _(
                "%(minutes)s 分钟内登录失败 %(failures)s 次，来自 %(addresses)s 个地址。此后从未登录过的地址尝试该账号"
                "须每 %(seconds)s 秒一次；本人常用地址不受影响。如非本人操作，请提醒其修改密码。"
            )
            % {
                "minutes": round(settings.AXES_COOLOFF_TIME * 60),
                "failures": failures,
                "addresses": addresses,
                "seconds": settings.LOGIN_USER_THROTTLE_SECONDS,
            },
        )


def locked_out(username: str | None, address: str | None) -> None:
    """axes locked one (username, address) pair: tell the administrators and the owner."""
    if not username:
        return
    _tell(
        username,
        _("账号“%(username)s”在地址 %(address)s 已被暂时锁定") % {"username": username, "address": address},
        _("该地址连续登录失败 %(limit)s 次，锁定 %(minutes)s 分钟；其他地址不受影响。")
        % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": round(settings.AXES_COOLOFF_TIME * 60)},
    )
