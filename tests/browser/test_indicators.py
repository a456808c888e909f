"""A member unit's liaison officer reports an indicator value and sees the task turn "met".

On the demo's Weidong dual list, 区信访局 answers for the task "常态化开展‘万人助万企’…" whose
indicator is 企业对意见反馈的满意率 at least 90 %; its officer reports 95 for this month.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")


def test_a_member_units_officer_reports_an_indicator_and_the_task_turns_met(page, live_server):
    from meetings.models import ActionItem

    task = ActionItem.objects.get(title__startswith="常态化开展“万人助万企”")
    log_in(page, live_server, "weidong_xfj")
    page.goto(f"{live_server.url}/meetings/items/{task.pk}/")
    expect(page.locator("h1")).to_contain_text("万人助万企")
    expect(page.locator(".owner-responsible")).to_contain_text("办信科")
    expect(page.locator("#indicator-state")).to_have_attribute("data-state", "not_reported")
    form = page.locator("form[action$='/act/indicator/']")
    form.locator("select[name='indicator-indicator']").select_option(label="企业对意见反馈的满意率（不低于 90%）")
    form.locator("input[name='indicator-value']").fill("95")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("指标数值已报送")
    expect(page.locator("#indicator-state")).to_have_attribute("data-state", "met")
    expect(page.locator("#indicator-state")).to_have_text("达标")
    assert task.indicators.get().values.get().value == 95
