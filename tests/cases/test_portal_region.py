"""The mechanism of a self-registering enterprise comes from its credit code's division digits."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from cases import services
from cases.demo import _code
from cases.regions import division_of, regions_of
from cases.services import portal
from liaison.errors import ActionRefused

from .conftest import VALID_CODES
from .test_portal_identity import _registration

TIANHE = _code("440106", "MA5C7L2H9")
YUEXIU = _code("440104", "MA5C7L2H8")  # a Guangzhou district no federation is written for


def _regions(world, mine: str, other: str) -> None:
    world.federation.region, world.other_federation.region = mine, other
    world.federation.save(update_fields=["region"])
    world.other_federation.save(update_fields=["region"])


def _party(world, mechanism):
    return mechanism.parties.get(organization__kind="federation")


def test_the_division_names_district_city_and_province():
    assert division_of(TIANHE) == "440106"
    assert regions_of("440106") == ["广东省广州市天河区", "广东省广州市", "广东省"]
    assert regions_of("120103") == ["天津市河西区", "天津市"]
    assert regions_of("410322") == ["河南省洛阳市", "河南省"]
    assert regions_of("990000") == []


def test_the_most_specific_federation_wins(world):
    _regions(world, "广东省广州市", "广东省广州市天河区")
    assert portal.party_for_credit_code(TIANHE) == _party(world, world.other_mechanism)
    assert portal.party_for_credit_code(YUEXIU) == _party(world, world.mechanism)
    _regions(world, "广东省", "福建省福州市")
    assert portal.party_for_credit_code(VALID_CODES[1]) == _party(world, world.mechanism)  # Shenzhen → province
    assert portal.party_for_credit_code(VALID_CODES[0]) == _party(world, world.other_mechanism)


def test_enterprises_already_known_place_a_division_no_region_names(cast):
    # cast registers an enterprise with VALID_CODES[0] (division 350100) in the first mechanism.
    other = _code("350100", "MA5C7L2H7")
    assert portal.party_for_credit_code(other) == _party(cast.world, cast.world.mechanism)


def test_no_match_and_a_tie_leave_the_choice_to_the_person(world):
    assert portal.party_for_credit_code(TIANHE) is None
    _regions(world, "广东省广州市", "广东省广州市")
    assert portal.party_for_credit_code(TIANHE) is None


def test_the_service_uses_the_derived_mechanism_over_a_choice(cast):
    _regions(cast.world, "北京市", "广东省广州市天河区")
    chosen = _party(cast.world, cast.world.mechanism)
    data = portal.check_self_registration(_registration(chosen, credit_code=TIANHE))
    assert data.party == _party(cast.world, cast.world.other_mechanism)


def test_the_service_refuses_without_a_match_or_a_choice(cast):
    with pytest.raises(ActionRefused) as refused:
        portal.check_self_registration(_registration(None, credit_code=TIANHE))
    assert refused.value.message == "请选择企业所在地区。"


def _form(**overrides) -> dict:
    data = {
        "credit_code": TIANHE,
        "enterprise_name": "广州天河某科技有限公司",
        "size": "small",
        "industry": "I",
        "full_name": "李先生",
        "mobile": "13800138000",
        "email": "li@example.test",
    }
    data.update(overrides)
    return data


def test_the_page_derives_the_region_without_asking(cast, client, django_capture_on_commit_callbacks):
    _regions(cast.world, "北京市", "广东省广州市天河区")
    page = client.get("/portal/register/").content.decode()
    assert 'name="party"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/register/", _form())
    assert response.status_code == 302
    assert client.session["portal_registration"]["party"] == _party(cast.world, cast.world.other_mechanism).pk


def test_the_page_falls_back_to_the_list_when_nothing_matches(cast, client, django_capture_on_commit_callbacks):
    response = client.post("/portal/register/", _form())
    page = response.content.decode()
    assert response.status_code == 200 and 'name="party"' in page and "请选择企业所在地区。" in page
    assert "未能根据统一社会信用代码确定企业所在地区" in page
    assert 'value="广州天河某科技有限公司"' in page  # nothing typed is lost
    chosen = _party(cast.world, cast.world.mechanism)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/register/", _form(party=chosen.pk))
    assert response.status_code == 302
    assert client.session["portal_registration"]["party"] == chosen.pk
    user = services.enterprise_self_register(
        data=portal.SelfRegistration(**{**_form(), "party": chosen}),
        code=re.search(r"\d{6}", mail.outbox[-1].body).group(0),
        account=services.Account("li", "Qiye-2026-pass"),
    )
    assert user.enterprise_membership.enterprise.mechanism == cast.world.mechanism
