"""The complaint list's total: exact up to a cap, `count_capped` above it, the exact total on request
(`?count=exact`, `/api/v1/complaints/count/`), pages and links whole either way, scoped, and a fixed
number of queries on every path."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.api.pagination import CappedCountPagination

from ..conftest import login

URL = "/api/v1/complaints/"


@pytest.fixture
def client(api_client):
    return api_client


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 complaints, counted exactly up to 3."""
    monkeypatch.setattr(CappedCountPagination, "page_size", 2)
    monkeypatch.setattr(CappedCountPagination, "cap", 3)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def walk(client, url: str) -> list[dict]:
    """Every page from `url` on, following `next`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


def test_a_list_within_the_cap_is_counted_exactly(cast, client, small_pages):
    cast.file(), cast.file(), cast.file()
    login(client, cast.staff)
    data = client.get(URL).json()
    assert (data["count"], data["count_capped"], len(data["results"])) == (3, False, 2)
    assert data["next"].endswith("?page=2") and data["previous"] is None
    assert client.get(URL, {"page": 3}).status_code == 404  # past the end, as always


def test_above_the_cap_the_count_is_the_cap_and_the_pages_run_on(cast, client, small_pages):
    made = [cast.file(title=f"诉求{n}").pk for n in range(5)]
    login(client, cast.staff)
    first = client.get(URL).json()
    assert (first["count"], first["count_capped"]) == (3, True)
    assert first["previous"] is None and first["next"].endswith("?page=2")
    pages = walk(client, f"http://testserver{URL}")
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert all(page["count_capped"] for page in pages)
    listed = [row["id"] for page in pages for row in page["results"]]
    assert listed == sorted(made, reverse=True)  # the newest first, each once
    assert pages[2]["next"] is None and pages[2]["previous"].endswith("?page=2")
    assert pages[1]["previous"] == "http://testserver/api/v1/complaints/"
    assert client.get(URL, {"page": 4}).status_code == 404  # beyond the last row
    assert client.get(URL, {"page": 0}).status_code == 404
    assert client.get(URL, {"page": "x"}).status_code == 404
    browsable = client.get(URL, {"page": 2}, HTTP_ACCEPT="text/html")  # previous and next, no page numbers
    assert browsable.status_code == 200 and "page=3" in browsable.content.decode()


def test_the_exact_total_on_request(cast, client, small_pages):
    made = [cast.file().pk for _ in range(5)]
    login(client, cast.staff)
    exact = client.get(URL, {"count": "exact", "page": 2}).json()
    assert (exact["count"], exact["count_capped"]) == (5, False)
    assert [row["id"] for row in exact["results"]] == sorted(made, reverse=True)[2:4]
    assert exact["next"].endswith("count=exact&page=3")  # the links keep asking for it
    last = client.get(URL, {"page": "last"}).json()
    assert (last["count"], last["count_capped"], len(last["results"])) == (5, False, 1)
    assert client.get(f"{URL}count/").json() == {"count": 5}
    response = client.get(URL, {"count": "all"})
    assert response.status_code == 400 and response.json() == {"count": ["count 只能为 exact（精确总数）。"]}


def test_the_count_endpoint_takes_the_lists_filters_and_search(cast, client, small_pages):
    cast.file(title="拖欠货款一件"), cast.file(title="拖欠货款二件"), cast.file(), cast.to_review()
    login(client, cast.staff)
    assert client.get(f"{URL}count/").json() == {"count": 4}
    assert client.get(f"{URL}count/", {"q": "货款"}).json() == {"count": 2}
    assert client.get(f"{URL}count/", {"status": "under_review"}).json() == {"count": 1}
    response = client.get(f"{URL}count/", {"status": "nonsense"})
    assert response.status_code == 400 and "status" in response.json()


def test_counts_are_scoped(cast, client, small_pages):
    drafts = [cast.file() for _ in range(3)]
    transferred = [cast.transferred(), cast.transferred()]
    login(client, cast.clerk)  # the court sees the transferred ones only
    assert client.get(URL).json()["count"] == 2 and client.get(URL).json()["count_capped"] is False
    assert client.get(f"{URL}count/").json() == {"count": 2}
    assert set(ids(client.get(URL, {"count": "exact"}))) == {c.pk for c in transferred}
    login(client, cast.staff)
    data = client.get(URL).json()
    assert (data["count"], data["count_capped"]) == (3, True)
    assert client.get(f"{URL}count/").json() == {"count": len(drafts) + len(transferred)}
    login(client, cast.world.charlie)  # another mechanism's organization
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}count/").json() == {"count": 0}


def test_anonymous_callers_get_no_count(cast, client):
    cast.file()
    assert client.get(f"{URL}count/").status_code in (401, 403)


@pytest.mark.parametrize(
    "user, query",
    [
        ("staff", ""),  # capped
        ("staff", "?count=exact"),
        ("staff", "?page=2"),
        ("staff", "?q=久拖"),
        ("clerk", ""),
        ("staff", "count/"),
        ("staff", "count/?q=久拖&overdue=false"),
        ("clerk", "count/"),
    ],
)
def test_every_path_costs_a_fixed_number_of_queries(
    cast, client, small_pages, django_assert_max_num_queries, user, query
):
    for _ in range(2):
        cast.file(), cast.transferred()
    login(client, getattr(cast, user))
    url = f"{URL}{query}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        cast.file(), cast.transferred()
    cast.assigned()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
        assert response.status_code == 200
    data = response.json()
    if "count/" not in query:
        assert data["count_capped"] is ("exact" not in query)  # above the cap once the rows grew
