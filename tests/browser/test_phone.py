"""Every list and the complaint page on a phone (390×844): no horizontal scroll, the first row on
the first screen, the filters beyond the search box folded behind one button.

Screenshots go to tests/artifacts/phone-<name>.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")

PHONE = {"width": 390, "height": 844}

# (name, user, path or a callable giving it, the selector of the list's rows)
LISTS = [
    ("complaints", "court_clerk", "/cases/complaints/", "#complaints tbody tr"),
    ("transfers", "fed_reviewer", "/cases/transfers/", "#transfers tbody tr"),
    ("meetings", "secretary", "/meetings/", "#meetings tbody tr"),
    ("action-items", "secretary", "/meetings/supervision/", "#items tbody tr"),
    ("tasks", "weidong_secretary", "dual_list", "#tasks tbody tr"),
    ("mediation-cases", "mediation_manager", "/mediation/cases/", "#case-table tbody tr"),
    ("roster", "mediation_manager", "/mediation/roster/", "#roster-table tbody tr"),
    ("reports", "fed_staff", "/reports/", "table.table-cards tbody tr"),
]


def _phone_page(browser: Browser, browser_context_args: dict, live_server, username: str) -> Page:
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    )
    page = context.new_page()
    log_in(page, live_server, username)
    return page


def _assert_fits(page: Page) -> None:
    """Nothing wider than the screen: the document does not scroll sideways."""
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= widths[2], f"page is {max(widths[:2])} px wide on a {widths[2]} px screen"


def _path(path: str) -> str:
    if path == "dual_list":
        from meetings.models import DualList

        return f"/meetings/dual-lists/{DualList.objects.filter(mechanism__short_name__contains='卫东').first().pk}/"
    return path


@pytest.mark.parametrize(("name", "username", "path", "rows"), LISTS, ids=[row[0] for row in LISTS])
def test_it_shows_each_list_as_cards_on_a_phone(
    browser: Browser,
    browser_context_args: dict,
    live_server,
    artifacts_dir,
    name: str,
    username: str,
    path: str,
    rows: str,
) -> None:
    page = _phone_page(browser, browser_context_args, live_server, username)
    page.goto(f"{live_server.url}{_path(path)}")
    first = page.locator(rows).first
    expect(first).to_be_visible()
    assert first.locator("td").count() > 1, "the list is empty: nothing to show as a card"
    _assert_fits(page)
    box = first.bounding_box()
    assert box["y"] + min(box["height"], 60) <= PHONE["height"], f"first row starts at {box['y']:.0f} px"
    assert box["width"] <= PHONE["width"]
    # A card: the table's heading row is hidden and the cells carry their column's name.
    expect(page.locator(f"{rows.split()[0]} thead")).to_be_hidden()
    filters = page.locator("form.list-filters")
    if filters.count():
        folded = filters.locator(".filters-more")
        expect(folded).to_be_hidden()
        filters.locator(".filter-toggle button[data-bs-toggle]").click()
        expect(folded).to_be_visible()
        _assert_fits(page)
    page.screenshot(path=str(artifacts_dir / f"phone-{name}.png"))
    page.context.close()


def test_it_fits_the_complaint_page_on_a_phone(
    browser: Browser, browser_context_args: dict, live_server, artifacts_dir
) -> None:
    from cases.models import Complaint

    complaint = Complaint.objects.filter(status="transferred").order_by("pk").first()
    page = _phone_page(browser, browser_context_args, live_server, "court_clerk")
    page.goto(f"{live_server.url}/cases/complaints/{complaint.pk}/")
    expect(page.locator("h1")).to_contain_text(complaint.title)
    _assert_fits(page)
    assert page.locator("h1").bounding_box()["y"] < PHONE["height"] / 2
    page.screenshot(path=str(artifacts_dir / "phone-complaint.png"), full_page=True)
    page.context.close()
