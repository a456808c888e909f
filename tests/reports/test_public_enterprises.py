"""Enterprise names in the public column: only of enterprises their federation marked public (the
enterprise agreed), set on the enterprise page through one audited service; everything else a login
would show about the enterprise or its complaints stays off the page, field by field."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from cases import services as case_services
from liaison.errors import ActionRefused
from liaison.models import AuditEvent
from reports import monthly, public, services

from ..conftest import login
from ..factories import UserFactory
from .conftest import published


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def named(cast, monday):
    """The column is open; a published typical case names the enterprise (not yet public)."""
    world = cast.world
    cast.transferred()
    monthly.generate_monthly_report(mechanism=world.mechanism, year=2026, month=10)
    services.mechanism_set_public_page(mechanism=world.mechanism, actor=world.leader, enabled=True)
    return published(
        world, title="依法保护企业合同权益典型案例", body=f"{cast.enterprise.name}与某建设公司买卖合同纠纷，依法判决。"
    )


def _page(client, world) -> str:
    response = client.get(f"/public/mechanisms/{world.mechanism.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_only_the_registering_federation_marks_an_enterprise_public(cast, django_capture_on_commit_callbacks):
    world, enterprise = cast.world, cast.enterprise
    for outsider in (world.bob, world.charlie):  # the court's clerk; a user of another mechanism
        with pytest.raises(ActionRefused):
            case_services.enterprise_set_public(actor=outsider, enterprise=enterprise, public=True)
    with pytest.raises(ActionRefused) as refused:
        case_services.enterprise_set_public(actor=world.alice, enterprise=enterprise, public=False)
    assert "本就不公开" in refused.value.message
    enterprise.refresh_from_db()
    assert not enterprise.is_public and not AuditEvent.objects.filter(action="enterprise_public").exists()

    with django_capture_on_commit_callbacks(execute=True):
        case_services.enterprise_set_public(actor=world.alice, enterprise=enterprise, public=True)
    enterprise.refresh_from_db()
    assert enterprise.is_public
    event = AuditEvent.objects.get(action="enterprise_public")
    assert event.actor == world.alice and event.summary == "可在营商环境专栏公开企业名称"
    with pytest.raises(ActionRefused) as refused:
        case_services.enterprise_set_public(actor=world.alice, enterprise=enterprise, public=True)
    assert "已可公开" in refused.value.message


def test_the_federation_sets_it_on_the_enterprise_page(cast, client, django_capture_on_commit_callbacks):
    world, enterprise = cast.world, cast.enterprise
    url = reverse("cases:enterprise_detail", args=[enterprise.pk])
    public_url = reverse("cases:enterprise_public", args=[enterprise.pk])
    page = login(client, world.alice).get(url).content.decode()
    assert "不公开企业名称" in page and public_url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(public_url, {"public": "1"}, follow=True)
    assert "企业名称可在营商环境专栏公开。" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.is_public
    # A federation leader (not staff) sees the mark but no button, and its POST is refused without a change.
    leader = UserFactory(username="fed_leader", organization=world.federation, roles=["leader"])
    page = login(client, leader).get(url).content.decode()
    assert "可公开企业名称（企业已同意）" in page and public_url not in page
    response = client.post(public_url, {"public": "0"}, follow=True)
    assert "只有登记该企业的单位工作人员" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.is_public
    # Another mechanism's user gets 404.
    assert login(client, world.charlie).post(public_url, {"public": "0"}).status_code == 404


def test_a_report_naming_a_public_enterprise_appears_and_nothing_else_shows(
    cast, named, client, django_capture_on_commit_callbacks
):
    world, enterprise = cast.world, cast.enterprise
    with pytest.raises(ActionRefused):
        services.report_set_public(report=named, actor=world.bob, public=True)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.enterprise_set_public(actor=world.alice, enterprise=enterprise, public=True)
    services.report_set_public(report=named, actor=world.bob, public=True)
    data = public.public_column(world.mechanism.pk)
    assert [report["title"] for report in data["reports"]] == [named.title]
    assert set(data["reports"][0]) == {"pk", "title", "kind", "published_at", "author_organization", "summary", "body"}

    page = _page(client, world)
    assert enterprise.name in page and named.title in page
    complaint = world.mechanism.complaints.get()
    # Field by field, what a login shows about the enterprise and its complaint stays off the page.
    hidden = {
        "credit_code": enterprise.credit_code,
        "contact_person": enterprise.contact_person,
        "contact_phone": enterprise.contact_phone,
        "masked phone": enterprise.contact_phone[-4:],
        "size": enterprise.get_size_display(),
        "industry": enterprise.get_industry_display(),
        "registered_by": "（登记单位）" + enterprise.registered_by.name,
        "complaint title": complaint.title,
        "complaint serial": complaint.serial,
        "complaint facts": complaint.facts,
        "complaint demands": complaint.demands,
        "case numbers": "（2021）豫03民初123号",
        "report case numbers": "（2022）豫03民初456号",
        "report writer": world.bob.username,
        "federation staff": world.alice.username,
    }
    if enterprise.legal_representative:
        hidden["legal_representative"] = enterprise.legal_representative
    if enterprise.address:
        hidden["address"] = enterprise.address
    for field, word in hidden.items():
        assert word not in page, field


def test_withdrawing_the_mark_takes_the_report_out_at_once(cast, named, client, django_capture_on_commit_callbacks):
    world, enterprise = cast.world, cast.enterprise
    with django_capture_on_commit_callbacks(execute=True):
        case_services.enterprise_set_public(actor=world.alice, enterprise=enterprise, public=True)
    services.report_set_public(report=named, actor=world.bob, public=True)
    assert named.title in _page(client, world)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        case_services.enterprise_set_public(actor=world.alice, enterprise=enterprise, public=False)
    page = _page(client, world)
    assert named.title not in page and enterprise.name not in page
    assert AuditEvent.objects.filter(action="enterprise_unpublic", actor=world.alice).exists()
    feed = client.get(f"/public/mechanisms/{world.mechanism.pk}/feed.atom").content.decode()
    assert enterprise.name not in feed
