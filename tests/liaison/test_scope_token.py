"""Kept scopes (`liaison.scope_token`): every write to the tables a scope is read from draws a new
token in the writing transaction; what was read under a token is taken again only under it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import services
from liaison import scope_token, scoping
from liaison.models import (
    Mechanism,
    MechanismParty,
    MechanismPlaceRule,
    Organization,
    RoleAssignment,
    ScopeGeneration,
    User,
)
from liaison.models.scope import SCOPE_TABLES
from tests.factories import MechanismFactory, OrganizationFactory, mechanism_between


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # each request loads its own user


def token() -> int | None:
    return scope_token.read_token("default")


def statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries]


def test_the_triggers_cover_exactly_the_scope_tables():
    assert {
        model._meta.db_table for model in (Organization, MechanismParty, MechanismPlaceRule, RoleAssignment)
    } == set(SCOPE_TABLES)


def test_every_kind_of_write_to_a_scope_table_draws_a_new_token(world):
    seen = [token()]

    def changed() -> None:
        now = token()
        assert now is not None and now not in seen
        seen.append(now)

    unit = OrganizationFactory(name="甲市工商联下属商会", parent=world.federation)
    changed()
    Organization.objects.filter(pk=unit.pk).update(short_name="商会")
    changed()
    party = MechanismParty.objects.create(mechanism=world.mechanism, organization=unit, side="collector")
    changed()
    MechanismParty.objects.filter(pk=party.pk).update(left_on=dt.date(2026, 1, 1))
    changed()
    party.delete()
    changed()
    rule = MechanismPlaceRule.objects.create(mechanism=world.mechanism, place="member", routes_matters=True)
    changed()
    rule.delete()
    changed()
    RoleAssignment.objects.create(user=world.alice, role="federation_reviewer")
    changed()
    RoleAssignment.objects.filter(user=world.alice, role="federation_reviewer").delete()
    changed()
    with connection.cursor() as cursor:  # raw SQL too
        cursor.execute(
            f"UPDATE {connection.ops.quote_name('liaison_organization')} SET region = 'x' WHERE id = %s", [unit.pk]
        )
    changed()
    unit.delete()
    changed()


def test_other_writes_keep_the_token(world):
    before = token()
    Mechanism.objects.filter(pk=world.mechanism.pk).update(name="改名后的机制")
    User.objects.filter(pk=world.alice.pk).update(full_name="改名")
    MechanismFactory(name="新机制，尚无参与方")
    assert token() == before


def test_the_scope_is_read_once_per_token(world):
    with CaptureQueriesContext(connection) as first:
        assert scoping.visible_mechanism_ids(fresh(world.alice)) == [world.mechanism.pk]
    assert len(first.captured_queries) == 3  # the user, the token, the scope
    user = fresh(world.alice)
    with CaptureQueriesContext(connection) as kept:
        assert scoping.visible_mechanism_ids(user) == [world.mechanism.pk]
        assert user.role_codes == {"federation_staff"}
        assert user.organization == world.federation
        assert scoping.can_act(user, world.mechanism)
    assert len(kept.captured_queries) == 1 and "liaison_scopegeneration" in kept.captured_queries[0]["sql"]
    # Another user of the same organization reads their own roles.
    colleague = fresh(world.alice)
    colleague.pk = world.bob.pk  # as if bob belonged to the federation: roles are the user's
    colleague.organization_id = world.federation.pk
    assert scoping.visible_mechanism_ids(colleague) == [world.mechanism.pk]
    assert colleague.role_codes == {"court_clerk"}


def test_a_change_shows_on_the_next_request(world):
    assert scoping.visible_mechanism_ids(fresh(world.alice)) == [world.mechanism.pk]
    MechanismParty.objects.create(mechanism=world.other_mechanism, organization=world.federation, side="collector")
    assert set(scoping.visible_mechanism_ids(fresh(world.alice))) == {world.mechanism.pk, world.other_mechanism.pk}
    RoleAssignment.objects.create(user=world.alice, role="federation_reviewer")
    assert fresh(world.alice).role_codes == {"federation_staff", "federation_reviewer"}
    user = fresh(world.alice)
    scoping.visible_mechanism_ids(user)
    assert user.role_codes == {"federation_staff", "federation_reviewer"}
    # A new subordinate unit (the tree) and its party.
    unit = OrganizationFactory(name="甲市工商联下属商会", parent=world.federation)
    assert unit.pk in scoping.own_unit_ids(fresh(world.alice))


def test_what_was_read_in_a_rolled_back_transaction_is_not_taken_for_what_stays(world):
    """A token drawn by a write that rolled back is never drawn again: the scope read under it
    (with the write) is not taken once the rollback restored the token before it."""
    assert scoping.visible_mechanism_ids(fresh(world.alice)) == [world.mechanism.pk]
    before = token()
    with pytest.raises(RuntimeError), transaction.atomic():
        MechanismParty.objects.create(mechanism=world.other_mechanism, organization=world.federation, side="collector")
        assert set(scoping.visible_mechanism_ids(fresh(world.alice))) == {world.mechanism.pk, world.other_mechanism.pk}
        raise RuntimeError("rolled back")
    assert token() == before
    assert scoping.visible_mechanism_ids(fresh(world.alice)) == [world.mechanism.pk]
    # The same write again draws another token, and is read again.
    MechanismParty.objects.create(mechanism=world.other_mechanism, organization=world.federation, side="collector")
    assert token() != before
    assert set(scoping.visible_mechanism_ids(fresh(world.alice))) == {world.mechanism.pk, world.other_mechanism.pk}


def test_the_scope_is_kept_per_day(world, time_machine):
    time_machine.move_to("2026-06-30 10:00 +08:00", tick=False)
    MechanismParty.objects.filter(mechanism=world.mechanism, organization=world.federation).update(
        left_on=dt.date(2026, 7, 1)
    )
    assert scoping.can_act(fresh(world.alice), world.mechanism)
    assert scoping.can_act(fresh(world.alice), world.mechanism)  # kept
    time_machine.move_to("2026-07-01 10:00 +08:00", tick=False)
    assert not scoping.can_act(fresh(world.alice), world.mechanism)


def test_the_routing_parties_are_kept_with_the_scope(world):
    user = fresh(world.alice)
    first = services.routing_in_scope(user)
    user = fresh(world.alice)
    scoping.visible_mechanism_ids(user)
    with CaptureQueriesContext(connection) as kept:
        again = services.routing_in_scope(user)
    assert kept.captured_queries == []
    assert again.parties == first.parties
    # Each request gets organizations of its own (nothing kept is shared to be changed).
    assert again.organizations == first.organizations
    assert all(again.organizations[pk] is not first.organizations[pk] for pk in first.organizations)
    assert (world.mechanism.pk, world.federation.pk, "collector") in first.parties
    MechanismPlaceRule.objects.create(mechanism=world.mechanism, place="core", routes_matters=False)
    assert services.routing_in_scope(fresh(world.alice)).parties == [(world.mechanism.pk, world.court.pk, "handler")]


def test_without_the_token_nothing_is_kept(world):
    ScopeGeneration.objects.all().delete()
    assert token() is None
    scoping.visible_mechanism_ids(fresh(world.alice))
    with CaptureQueriesContext(connection) as again:
        assert scoping.visible_mechanism_ids(fresh(world.alice)) == [world.mechanism.pk]
    assert len(again.captured_queries) == 3  # the user, the token (none), the scope
    # The next write makes the row again.
    OrganizationFactory(name="新单位")
    assert token() is not None


def test_install_is_idempotent_and_keeps_the_token(db):
    before = token()
    scope_token.install(connection)
    scope_token.install(connection)
    assert token() == before
    assert ScopeGeneration.objects.count() == 1
    OrganizationFactory(name="新单位")
    assert token() != before


def test_the_token_has_one_row(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeGeneration.objects.create(id=2, token=1)


def test_a_mechanism_with_its_parties_is_seen_by_both(world):
    court = OrganizationFactory(name="丙区人民法院", kind="court")
    mechanism = mechanism_between(court, world.federation, name="丙区机制")
    assert mechanism.pk in scoping.visible_mechanism_ids(fresh(world.alice))


def test_a_sessions_user_comes_with_the_token(world, client):
    """The backend reads the token with the user of the session: no statement of its own, and a
    change of the scope shows on the next request."""
    from ..conftest import login

    login(client, world.alice)

    url = "/api/v1/complaints/"
    with CaptureQueriesContext(connection) as read:
        assert client.get(url).status_code == 200
    assert sum('"_acts"' in s for s in statements(read)) == 1  # the user's scope, read
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).status_code == 200
    sql = statements(kept)
    assert "liaison_scopegeneration" in sql[1] and '"liaison_user"' in sql[1]  # with the user
    assert not any(s.startswith("SELECT token") for s in sql)
    assert not any('"_acts"' in s for s in sql)  # the scope was kept
    assert len(sql) == len(statements(read)) - 1
    MechanismParty.objects.create(mechanism=world.other_mechanism, organization=world.federation, side="collector")
    with CaptureQueriesContext(connection) as changed:
        assert client.get(url).status_code == 200
    assert sum('"_acts"' in s for s in statements(changed)) == 1  # read again on the next request


def test_the_backend_refuses_an_inactive_or_unknown_user(world):
    from liaison.backends import UserWithScopeTokenBackend

    backend = UserWithScopeTokenBackend()
    user = backend.get_user(world.alice.pk)
    assert user == world.alice and user.__dict__[scoping.LOADED_TOKEN] == ("default", token())
    User.objects.filter(pk=world.alice.pk).update(is_active=False)
    assert backend.get_user(world.alice.pk) is None
    assert backend.get_user(999_999) is None


def test_forgetting_the_scope_forgets_the_token_read_with_the_user(world):
    from liaison.backends import UserWithScopeTokenBackend

    user = UserWithScopeTokenBackend().get_user(world.alice.pk)
    assert scoping.visible_mechanism_ids(user) == [world.mechanism.pk]
    MechanismParty.objects.create(mechanism=world.other_mechanism, organization=world.federation, side="collector")
    scoping.forget_visible_mechanisms(user)
    assert set(scoping.visible_mechanism_ids(user)) == {world.mechanism.pk, world.other_mechanism.pk}
