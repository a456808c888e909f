"""The demo's address, links and error pages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from liaison.management.commands.run_demo import site_url_for

from ..conftest import login
from ..factories import UserFactory


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("8001", "http://127.0.0.1:8001"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("[::1]:8002", "http://[::1]:8002"),
        ("localhost:8003", "http://localhost:8003"),
    ],
)
def test_it_points_the_demo_links_at_the_address_it_listens_on(addrport: str, url: str) -> None:
    assert site_url_for(addrport) == url


def test_the_server_error_page_speaks_chinese_without_any_context() -> None:
    html = render_to_string("500.html")
    assert "服务器出错" in html and "返回工作台" in html and "Server Error" not in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_missing_page_is_the_friendly_chinese_one(client) -> None:
    response = login(client, UserFactory()).get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
