"""Logging in through a real browser: the home page in Chinese, a wrong password, the language switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")


def test_federation_staff_logs_in_to_a_chinese_home_page(page, live_server, artifacts_dir):
    console_errors: list[str] = []
    failed_responses: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on(
        "response",
        lambda response: response.status >= 400 and failed_responses.append(f"{response.status} {response.url}"),
    )

    log_in(page, live_server, "fed_staff")

    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    navbar = page.locator("nav.navbar")
    expect(navbar.locator(".navbar-brand")).to_have_text("沟通联系机制平台")
    expect(navbar.get_by_role("link", name="工作台")).to_be_visible()
    expect(navbar).to_contain_text("王晓红 · 洛阳市工商联")
    expect(page.locator("h1")).to_have_text("王晓红，您好")

    badge = page.locator("#unread-count")
    expect(badge).to_have_text(re.compile(r"^\s*\d+\s*$"))
    assert int(badge.inner_text()) >= 1  # at least the demo loader's welcome notification
    expect(page.get_by_text("欢迎使用沟通联系机制平台")).to_be_visible()

    page.screenshot(path=str(artifacts_dir / "home-fed_staff.png"), full_page=True)
    # Every stylesheet and script loaded; Chromium asks for /favicon.ico on its own, and there is none.
    failed = [line for line in failed_responses if not line.endswith("/favicon.ico")]
    assert failed == []
    # A Content-Security-Policy violation (an inline script or style) shows as a console error;
    # a failed load does too ("Failed to load resource"), and those were checked just above.
    assert [text for text in console_errors if not text.startswith("Failed to load resource")] == []


def test_wrong_password_shows_a_chinese_error_and_stays_on_the_login_page(page, live_server):
    login_url = f"{live_server.url}/accounts/login/"
    page.goto(login_url)
    page.fill("#id_username", "fed_staff")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")

    expect(page.locator(".alert-danger")).to_contain_text("用户名或密码不正确")
    assert page.url == login_url
    expect(page.locator("#id_username")).to_have_value("fed_staff")
    expect(page.locator("#unread-count")).to_have_count(0)


def test_choosing_english_switches_the_page_language(page, live_server):
    log_in(page, live_server, "fed_staff")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.select_option("#language-select", "en")  # app.js submits the form on change

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language-select")).to_have_value("en")
    assert page.url == f"{live_server.url}/"
