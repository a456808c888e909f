"""The public column (营商环境专栏): opened by the convenor, anonymous, only what was published and
marked public (asserted field by field), no personal data or enterprise names, cached, rate-limited,
with an Atom feed."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from liaison.errors import ActionRefused
from reports import monthly, public, services

from ..conftest import login
from .conftest import published


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def column(cast, monday):
    """The court (the convenor) opened the column; October's figures are published; two reports are
    published, one of them marked public."""
    world = cast.world
    cast.transferred()  # a complaint with an enterprise and people behind it
    monthly.generate_monthly_report(mechanism=world.mechanism, year=2026, month=10)
    services.mechanism_set_public_page(mechanism=world.mechanism, actor=world.leader, enabled=True)
    shown = published(world, title="依法保护民营企业产权典型案例", case_numbers="（2022）豫03民初456号")
    services.report_set_public(report=shown, actor=world.bob, public=True)
    hidden = published(world, title="内部工作简报第3期", kind="work_bulletin", summary="仅供参与单位")
    return shown, hidden


def test_it_is_closed_until_the_convenor_opens_it(cast, client):
    world = cast.world
    assert client.get(f"/public/mechanisms/{world.mechanism.pk}/").status_code == 404
    with pytest.raises(ActionRefused):
        services.mechanism_set_public_page(mechanism=world.mechanism, actor=world.alice, enabled=True)
    services.mechanism_set_public_page(mechanism=world.mechanism, actor=world.leader, enabled=True)
    assert client.get(f"/public/mechanisms/{world.mechanism.pk}/").status_code == 200
    assert client.get(f"/public/mechanisms/{world.other_mechanism.pk}/").status_code == 404


def test_it_shows_only_what_was_published_and_marked_public(cast, column, client):
    shown, hidden = column
    world = cast.world
    data = public.public_column(world.mechanism.pk)
    # Field by field: what a report and a figure carry on the public page, and nothing else.
    assert [set(report) for report in data["reports"]] == [
        {"pk", "title", "kind", "published_at", "author_organization", "summary", "body"}
    ]
    assert (
        data["reports"][0]["title"] == shown.title and data["reports"][0]["author_organization"] == "甲市中级人民法院"
    )
    rows = [row for month in data["figures"] for section in month["sections"] for row in section["rows"]]
    assert rows and all(set(row) == {"label", "month_text", "previous_text", "year_to_date_text"} for row in rows)
    assert set(data) == {"pk", "name", "document_number", "parties", "figures", "reports", "built_at"}
    page = client.get(f"/public/mechanisms/{world.mechanism.pk}/").content.decode()
    assert shown.title in page and shown.body.split("。")[0] in page and "2026年10月" in page
    complaint = world.mechanism.complaints.get()
    hidden_words = [
        hidden.title,  # published but not marked public
        "（2022）豫03民初456号",  # case numbers
        "民营企业</",  # tags are not shown
        cast.enterprise.name,
        cast.enterprise.credit_code,
        "王经理",
        "13812345678",
        complaint.title,
        complaint.serial,
        world.bob.username,
        world.leader.username,
    ]
    for word in hidden_words:
        assert word not in page, word


def test_marking_public_is_refused_with_reasons(cast, monday):
    world = cast.world
    named = published(world, title="涉企案件通报", body=f"{cast.enterprise.name}与某建设公司买卖合同纠纷。")
    with pytest.raises(ActionRefused) as refused:
        services.report_set_public(report=named, actor=world.bob, public=True)
    assert f"文中含有企业名称（{cast.enterprise.name}）" in refused.value.message
    from .conftest import draft

    with pytest.raises(ActionRefused) as refused:
        services.report_set_public(report=draft(world, title="草稿"), actor=world.bob, public=True)
    assert "发布后才能" in refused.value.message
    other = published(world, title="典型案例二")
    with pytest.raises(ActionRefused) as refused:
        services.report_set_public(report=other, actor=world.alice, public=True)
    assert "只有发布单位" in refused.value.message
    with pytest.raises(ActionRefused):
        services.report_set_public(report=other, actor=world.charlie, public=True)
    other.refresh_from_db()
    assert not other.is_public


def test_a_withdrawn_report_leaves_the_column(cast, column, client):
    shown, _hidden = column
    services.report_withdraw(report=shown, actor=cast.world.bob, reason="需修改")
    shown.refresh_from_db()
    assert not shown.is_public
    assert shown.title not in client.get(f"/public/mechanisms/{cast.world.mechanism.pk}/").content.decode()


def test_the_feed_lists_the_public_reports(cast, column, client):
    shown, hidden = column
    response = client.get(f"/public/mechanisms/{cast.world.mechanism.pk}/feed.atom")
    text = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<feed" in text and shown.title in text and hidden.title not in text


def test_it_is_cached_and_rate_limited(cast, column, client, settings, django_assert_max_num_queries):
    shown, _hidden = column
    url = f"/public/mechanisms/{cast.world.mechanism.pk}/"
    assert client.get(url).status_code == 200
    type(shown).objects.filter(pk=shown.pk).update(title="改过的标题")
    with django_assert_max_num_queries(0):
        page = client.get(url).content.decode()
    assert shown.title in page and "改过的标题" not in page  # served from the cache
    settings.PUBLIC_PAGE_RATE_LIMIT = 3
    cache.clear()
    codes = [client.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_convenor_opens_the_column_from_its_settings_page(cast, client):
    world = cast.world
    login(client, world.leader)
    page = client.get("/reports/public-column/").content.decode()
    assert world.mechanism.name in page and world.other_mechanism.name not in page
    client.post(f"/reports/public-column/{world.mechanism.pk}/toggle/", {"enabled": "1"})
    world.mechanism.refresh_from_db()
    assert world.mechanism.public_page
    login(client, world.alice)  # the federation is not the convenor
    assert world.mechanism.name not in client.get("/reports/public-column/").content.decode()
    client.post(f"/reports/public-column/{world.mechanism.pk}/toggle/", {"enabled": "0"})
    world.mechanism.refresh_from_db()
    assert world.mechanism.public_page
    login(client, world.charlie)
    assert client.post(f"/reports/public-column/{world.mechanism.pk}/toggle/", {"enabled": "0"}).status_code == 404


def _set_satisfaction(mechanism, *, sample: int, rate: float | None) -> None:
    """Put a measured satisfaction into the published October snapshot (month column only)."""
    from reports.models import MonthlyReport

    snapshot = MonthlyReport.objects.get(mechanism=mechanism, year=2026, month=10)
    for row in snapshot.figures["rows"]:
        if row["key"] == "satisfaction_sample":
            row["month"] = sample
        elif row["key"] == "satisfaction_rate":
            row["month"] = rate
    snapshot.save(update_fields=["figures"])
    cache.clear()


def _satisfaction_row(mechanism) -> dict:
    data = public.public_column(mechanism.pk)
    rows = [row for section in data["figures"][0]["sections"] for row in section["rows"]]
    (row,) = [row for row in rows if row["label"].startswith("企业满意率")]
    assert set(row) == {"label", "month_text", "previous_text", "year_to_date_text"}
    return row


def test_satisfaction_is_shown_with_its_sample_or_in_words_below_the_minimum(cast, column, client):
    world = cast.world
    _set_satisfaction(world.mechanism, sample=3, rate=None)
    row = _satisfaction_row(world.mechanism)
    assert row["month_text"] == "样本不足（3件评价，少于5件，不计算满意率）"
    assert row["previous_text"] == "样本不足（0件评价，少于5件，不计算满意率）"
    page = client.get(f"/public/mechanisms/{world.mechanism.pk}/").content.decode()
    assert "样本不足（3件评价，少于5件，不计算满意率）" in page

    _set_satisfaction(world.mechanism, sample=12, rate=0.8333)
    row = _satisfaction_row(world.mechanism)
    assert row["month_text"] == "83.3%（12件评价）"
    page = client.get(f"/public/mechanisms/{world.mechanism.pk}/").content.decode()
    assert "83.3%（12件评价）" in page and "样本不足（3件" not in page


def test_satisfaction_text_reads_in_english(settings):
    from django.utils import translation

    with translation.override("en"):
        assert "5" in public.satisfaction_text(None, 2) and "样本" not in public.satisfaction_text(None, 2)
    assert public.satisfaction_text(None, None) == "—"
