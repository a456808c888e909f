"""/api/v1/portal/: the enterprise's own matters in its words, its actions, and the federation's registrations."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import EnterpriseMembership

from ..factories import UserFactory
from .conftest import VALID_CODES
from .test_portal_satisfaction import answered_online


@pytest.fixture
def ent(cast):
    user = UserFactory(username="ent", organization=None, roles=["enterprise"])
    membership = EnterpriseMembership.objects.create(
        user=user, enterprise=cast.enterprise, source="invited", claimed_name=cast.enterprise.name, mobile="13912345678"
    )
    services.membership_confirm(actor=cast.reviewer, membership=membership)
    user.refresh_from_db()
    return user


def test_it_lists_the_enterprises_matters_in_its_words_and_nothing_internal(cast, ent, api_client):
    matter = answered_online(cast, ent)
    paper = cast.transferred()  # filed by the federation for the same enterprise: visible once submitted
    api_client.force_authenticate(ent)
    rows = api_client.get("/api/v1/portal/matters/").json()
    rows = rows.get("results", rows)
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {matter.pk, paper.pk}
    mine = by_id[matter.pk]
    assert mine["stage"] == "已答复" and mine["court_answer"] == "已发放执行款。"
    assert mine["transfer_number"] == matter.transfer.number
    assert "内部结果" not in str(rows) and "answer" not in mine


def test_it_rates_and_writes_through_the_api(cast, ent, api_client):
    matter = answered_online(cast, ent)
    api_client.force_authenticate(ent)
    response = api_client.post(
        f"/api/v1/portal/matters/{matter.pk}/rating/",
        {"rating": "dissatisfied", "comment": "太慢", "reopen_reason": "请再查"},
        format="json",
    )
    assert response.status_code == 200
    assert api_client.post(f"/api/v1/portal/matters/{matter.pk}/rating/", {"rating": "satisfied"}).status_code == 409
    bad = api_client.post(f"/api/v1/portal/matters/{matter.pk}/messages/", {"body": ""}, format="json")
    assert bad.status_code == 400


def test_another_enterprise_and_the_federation_get_404_on_a_matter(cast, ent, api_client):
    matter = answered_online(cast, ent)
    other_enterprise = services.enterprise_register(
        actor=cast.staff,
        mechanism=cast.world.mechanism,
        data=services.EnterpriseData(name="另一家企业", credit_code=VALID_CODES[1], size="micro", industry="F"),
    )
    other = UserFactory(username="other", organization=None, roles=["enterprise"])
    services.membership_confirm(
        actor=cast.reviewer,
        membership=EnterpriseMembership.objects.create(
            user=other, enterprise=other_enterprise, source="invited", claimed_name="x", mobile="13700000000"
        ),
    )
    for user in (other, cast.staff, cast.world.charlie):
        api_client.force_authenticate(user)
        assert api_client.get(f"/api/v1/portal/matters/{matter.pk}/").status_code == 404
        assert (
            api_client.post(f"/api/v1/portal/matters/{matter.pk}/rating/", {"rating": "satisfied"}).status_code == 404
        )
    api_client.force_authenticate(ent)
    assert api_client.get(f"/api/v1/complaints/{matter.pk}/").status_code == 404


def test_the_federation_lists_registrations_awaiting_confirmation(cast, api_client):
    pending = UserFactory(username="p1", organization=None, roles=["enterprise"])
    EnterpriseMembership.objects.create(
        user=pending, enterprise=cast.enterprise, source="registered", claimed_name="某公司", mobile="13700000001"
    )
    api_client.force_authenticate(cast.reviewer)
    rows = api_client.get("/api/v1/portal/registrations/").json()
    rows = rows.get("results", rows)
    assert [row["claimed_name"] for row in rows] == ["某公司"]
    api_client.force_authenticate(cast.world.charlie)
    rows = api_client.get("/api/v1/portal/registrations/").json()
    assert not rows.get("results", rows)
