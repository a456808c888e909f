"""The menu is shaped by role: every demo user × every menu entry, shown ⇔ the page opens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.context_processors import ENTERPRISE_NAVIGATION, NAVIGATION
from liaison.demo import loader
from liaison.models import User


def _entries(navigation: list) -> list[tuple[object, str]]:
    return [
        (label, name)
        for label, target, *rest in navigation
        for label, name, _who in (target if isinstance(target, list) else [(label, target, rest[0])])
    ]


ENTRIES = _entries(NAVIGATION)
# An enterprise user has its own menu (its pages are under /portal/; the authorization matrix
# checks that nothing of the organizations' pages reaches it).
ENTERPRISE_ENTRIES = _entries(ENTERPRISE_NAVIGATION)


@pytest.fixture
def demo(db):
    loader.load()


def _shown(client, start: str = "home") -> set[str]:
    response = client.get(reverse(start))
    assert response.status_code == 200
    shown = set()
    for item in response.context["nav_items"]:
        for entry in item.get("children") or [item]:
            shown.add(entry["url"])
    return shown


def test_every_role_sees_exactly_the_pages_it_may_open(demo, client):
    users = list(User.objects.filter(is_active=True).exclude(username="admin").order_by("username")) + [
        User.objects.get(username="admin")
    ]
    mismatches = []
    for user in users:
        client.force_login(user)
        enterprise = user.has_role("enterprise")
        shown = _shown(client, "portal:enterprise_home" if enterprise else "home")
        for label, name in ENTERPRISE_ENTRIES if enterprise else ENTRIES:
            url = reverse(name)
            status = client.get(url).status_code
            if (url in shown) != (status == 200):
                mismatches.append(f"{user.username}: {label} {url} shown={url in shown} status={status}")
    assert mismatches == []


@pytest.mark.parametrize(
    ("username", "url", "words"),
    [
        ("tianhe_fed_staff", "/cases/dashboard/", "统计看板供领导和系统管理员使用"),
        ("mediator", "/cases/ledgers/overdue/", "您的角色不能查看"),
        ("mediator", "/cases/ledgers/evaluation/", "您的角色不能查看"),
        ("mediator", "/meetings/supervision/", "您的角色不能查看"),
        ("fed_staff", "/audit/", "审计日志供领导和系统管理员查阅"),
    ],
)
def test_a_page_the_role_cannot_use_answers_403_in_words(demo, client, username, url, words):
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 403
    assert words in response.content.decode()
