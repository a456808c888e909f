"""The security baseline: who reaches what anonymously, lockout, headers, sessions, log masking."""

import logging

import pytest
from django.conf import settings

from liaison.logmasking import MaskPersonalDataFilter, mask

from ..conftest import login
from ..factories import PASSWORD, UserFactory


@pytest.mark.parametrize("url", ["/", "/mechanisms/", "/notifications/", "/calendar/", "/deadlines/1/", "/audit/"])
def test_it_sends_anonymous_visitors_to_the_login_page(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url", ["/api/v1/me/", "/api/v1/mechanisms/", "/api/v1/organizations/", "/api/v1/notifications/", "/api/schema/"]
)
def test_it_refuses_the_api_to_anonymous_callers(db, client, url):
    assert client.get(url).status_code in (401, 403)


def test_it_lets_anonymous_visitors_reach_login_static_and_health(db, client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/health/").json() == {"status": "ok"}
    assert client.get("/static/vendor/bootstrap/bootstrap.min.css").status_code == 200


def test_it_accepts_token_authentication_on_the_api(world, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.alice)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["organization"]["name"] == "甲市工商业联合会"


def test_it_sends_a_content_security_policy_without_inline_script(db, client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_no_page_template_contains_inline_script():
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and " onclick=" not in text and " onchange=" not in text, path


def login_attempt(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_locks_out_after_repeated_failures_and_says_so_in_chinese(db, client, caplog):
    victim = UserFactory(username="victim")
    other = UserFactory(username="bystander")
    caplog.set_level(logging.WARNING, logger="axes")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "用户名或密码不正确" in login_attempt(client, "victim", "wrong").content.decode()
    assert login_attempt(client, "victim", "wrong").status_code == 429
    response = login_attempt(client, "victim", PASSWORD)
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert any("locking out" in r.getMessage().lower() for r in caplog.records)
    # Another account from the same address is unaffected.
    assert login_attempt(client, "bystander", PASSWORD).status_code == 302
    # The locked account from another address is unaffected too (per username *and* address).
    client.logout()
    assert login_attempt(client, "victim", PASSWORD, ip="10.0.0.2").status_code == 302
    assert victim.pk and other.pk


def test_it_expires_idle_sessions_after_the_configured_minutes(world, client):
    import datetime as dt

    import time_machine

    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login(client, world.alice)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200  # activity restarts the idle clock
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("联系人手机 13812345678 已登记", "联系人手机 138****5678 已登记"),
        ("身份证 41030219800101123X 提交", "身份证 410302********123X 提交"),
        ("电话 0379-63211234", "电话 0379-****1234"),
        ("案号（2021）豫03民初123号", "案号（2021）豫03民初123号"),
    ],
)
def test_it_masks_personal_data_in_logs(text, expected):
    assert mask(text) == expected


def test_the_log_filter_rewrites_the_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13912345678",), None)
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "phone 139****5678"


def test_every_configured_handler_masks_personal_data():
    for handler in settings.LOGGING["handlers"].values():
        assert "mask_personal_data" in handler["filters"]


def _views(patterns, prefix=""):
    """(route, view) for every URL pattern, nested includes flattened."""
    from django.urls import URLPattern, URLResolver

    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_it_opens_to_anonymous_visitors_only_the_marked_pages():
    """Django's LoginRequiredMiddleware guards every page not marked `login_not_required`; the API
    (DRF views, exempt by DRF) checks its own permissions."""
    from django.urls import get_resolver

    public = sorted(
        route
        for route, view in _views(get_resolver().url_patterns)
        if not getattr(view, "login_required", True) and not hasattr(view, "cls")
    )
    assert public == [
        "accounts/login/",
        "admin/login/",
        "api/v1/calendar/<str:token>.ics",
        "health/",
        "health/ready/",
        "i18n/setlang/",
        "metrics",
        "portal/invitations/<str:token>/",
        "portal/register/",
        "portal/register/resend/",
        "portal/register/verify/",
        "public/mechanisms/<int:pk>/",
        "public/mechanisms/<int:pk>/feed.atom",
    ]


def test_it_lets_anonymous_visitors_switch_the_language_and_read_a_calendar_feed(db, client):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}).status_code == 302
    assert client.get("/api/v1/calendar/not-a-token.ics").status_code == 404  # not a redirect to login


def test_it_writes_the_session_only_when_a_tenth_of_the_idle_timeout_has_passed(world, client):
    import datetime as dt

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return sum(
            1
            for q in ctx.captured_queries
            if q["sql"].startswith(('UPDATE "django_session"', 'INSERT INTO "django_session"'))
        )

    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login(client, world.alice)
        session_writes()
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        assert session_writes() == 0  # a GET soon after leaves the session row alone
    with time_machine.travel(start + dt.timedelta(minutes=4), tick=False):
        assert session_writes() == 1  # a tenth of the 30 minutes has passed: the idle clock restarts
