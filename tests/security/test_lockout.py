"""Login limits behind the documented proxy: per (username, address), and slower per username."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import RequestFactory

from liaison import lockout
from liaison.models import Notification

from ..factories import PASSWORD, UserFactory

PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]


def attempt(client, username: str, password: str, address: str):
    """A login through the proxy: the proxy connects from 127.0.0.1 and writes the client's address."""
    client.logout()
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.parametrize(
    ("remote", "forwarded", "behind", "expected"),
    [
        ("127.0.0.1", "203.0.113.7", True, "203.0.113.7"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.7", True, "203.0.113.7"),  # a client-written entry stays unread
        ("127.0.0.1", "203.0.113.7, 127.0.0.1", True, "203.0.113.7"),
        ("127.0.0.1", "not-an-address", True, "127.0.0.1"),
        ("198.51.100.9", "203.0.113.7", True, "198.51.100.9"),  # not from the proxy: the header is ignored
        ("127.0.0.1", "203.0.113.7", False, "127.0.0.1"),  # no proxy configured: never read
    ],
)
def test_it_reads_the_client_address_past_the_trusted_proxy(settings, remote, forwarded, behind, expected):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXIES = behind, ["127.0.0.1", "::1"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert lockout.client_ip(request) == expected


def test_failures_from_thirty_addresses_do_not_lock_the_user_out_of_their_own(db, client, behind_proxy):
    victim = UserFactory(username="victim")
    assert attempt(client, "victim", PASSWORD, "198.51.100.20").status_code == 302  # their usual address
    for n in range(30):
        response = attempt(client, "victim", "guess", f"203.0.113.{n + 1}")
        assert response.status_code == 200  # refused, never locked: one failure per address
    assert attempt(client, "victim", PASSWORD, "198.51.100.20").status_code == 302
    assert client.get("/").context["user"] == victim


def test_five_failures_from_one_address_lock_that_address_only(db, client, behind_proxy):
    UserFactory(username="victim")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "victim", "guess", "203.0.113.50")
    assert response.status_code == 429 and "账号已暂时锁定" in response.content.decode()
    assert attempt(client, "victim", PASSWORD, "203.0.113.50").status_code == 429
    assert attempt(client, "victim", PASSWORD, "198.51.100.20").status_code == 302


def test_rotating_addresses_are_throttled_per_user_and_the_administrators_told(db, client, behind_proxy, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    victim = UserFactory(username="victim")
    admin = UserFactory(username="root", roles=["administrator"])
    for n in range(settings.LOGIN_USER_FAILURE_LIMIT):
        assert "用户名或密码不正确" in attempt(client, "victim", "guess", f"203.0.113.{n + 1}").content.decode()
    # Even the right password from yet another address must now wait.
    response = attempt(client, "victim", PASSWORD, "203.0.113.200")
    assert response.status_code == 200
    assert f"请 {settings.LOGIN_USER_THROTTLE_SECONDS} 秒后再试" in response.content.decode()
    time_machine.shift(dt.timedelta(seconds=settings.LOGIN_USER_THROTTLE_SECONDS - 1))
    assert "秒后再试" in attempt(client, "victim", "guess", "203.0.113.201").content.decode()
    time_machine.shift(dt.timedelta(seconds=1))
    assert attempt(client, "victim", "guess", "203.0.113.202").status_code == 200  # one try allowed
    assert "秒后再试" in attempt(client, "victim", "guess", "203.0.113.203").content.decode()
    for person in (admin, victim):
        told = Notification.objects.filter(recipient=person, title__contains="登录失败次数过多")
        assert told.count() == 1, person


def test_a_lockout_is_reported_to_the_administrators(db, client, behind_proxy):
    UserFactory(username="victim")
    admin = UserFactory(username="root", roles=["administrator"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "victim", "guess", "203.0.113.50")
    assert Notification.objects.filter(recipient=admin, title__contains="203.0.113.50").count() == 1
