"""Hot queries compiled once per process and key (`liaison.compiled`): the user's units and
mechanisms follow the parties' dates from one day to the next, and SQL compiled while the day
turned is not kept."""

from __future__ import annotations

import datetime as dt

from liaison import compiled, scoping
from liaison.models import MechanismParty, User


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # each request loads its own user


def test_what_a_user_may_act_in_follows_the_day(world, time_machine):
    time_machine.move_to("2026-06-30 10:00 +08:00", tick=False)
    MechanismParty.objects.filter(mechanism=world.mechanism, organization=world.federation).update(
        left_on=dt.date(2026, 7, 1)
    )
    assert scoping.can_act(fresh(world.alice), world.mechanism)
    time_machine.move_to("2026-07-01 10:00 +08:00", tick=False)
    user = fresh(world.alice)
    assert not scoping.can_act(user, world.mechanism)
    # A party that left still reads its history.
    assert world.mechanism.pk in scoping.visible_mechanism_ids(user)
    assert user.organization == world.federation  # the header's organization comes with the rows


def test_sql_compiled_while_the_day_turned_is_not_kept(db):
    day = dt.date(2026, 7, 1)
    built: list[int] = []

    def build():
        built.append(1)
        return MechanismParty.objects.filter(joined_on__lte=dt.date(2026, 7, 2))

    compiled.sql_of(("test", 1), build, "default", day=day)
    compiled.sql_of(("test", 1), build, "default", day=day)
    assert len(built) == 2  # its parameters hold another day: compiled each time

    def build_today():
        built.append(1)
        return MechanismParty.objects.filter(joined_on__lte=day)

    built.clear()
    first = compiled.sql_of(("test", 2), build_today, "default", day=day)
    assert compiled.sql_of(("test", 2), build_today, "default", day=day) == first
    assert len(built) == 1


def test_rows_are_converted_as_the_orm_converts_them_and_compiled_once(world):
    """`rows_of` gives what `values_list` gives (dates as dates, booleans as booleans on every
    database), building the query once per key and day, and not keeping SQL of another day."""
    day = dt.date(2026, 7, 1)
    MechanismParty.objects.filter(mechanism=world.mechanism).update(joined_on=dt.date(2026, 1, 5))
    built: list[int] = []

    def build():
        built.append(1)
        return (
            MechanismParty.objects.filter(mechanism=world.mechanism, joined_on__lte=day)
            .order_by("pk")
            .values_list("pk", "joined_on", "is_convenor")
        )

    expected = list(build())
    built.clear()
    rows = compiled.rows_of(("test rows", world.mechanism.pk), build, "default", day=day)
    assert rows == expected and rows
    assert all(isinstance(joined, dt.date) and isinstance(convenor, bool) for _pk, joined, convenor in rows)
    assert compiled.rows_of(("test rows", world.mechanism.pk), build, "default", day=day) == expected
    assert len(built) == 1
    # Compiled for one day, its parameters holding another: built again each time.
    compiled.rows_of(("test rows", "other"), build, "default", day=dt.date(2026, 7, 2))
    compiled.rows_of(("test rows", "other"), build, "default", day=dt.date(2026, 7, 2))
    assert len(built) == 3


def test_the_users_roles_come_with_the_units_and_mechanisms(world, django_assert_num_queries):
    """One query answers the user's units, mechanisms and roles (after the scope's token); a role
    given or taken away shows on the next request (each loads its own user)."""
    from liaison.models import RoleAssignment

    RoleAssignment.objects.create(user=world.alice, role="federation_reviewer")
    user = fresh(world.alice)
    with django_assert_num_queries(2):
        assert world.mechanism.pk in scoping.visible_mechanism_ids(user)
        assert user.role_codes == {"federation_staff", "federation_reviewer"}
        assert user.organization == world.federation
    RoleAssignment.objects.filter(user=world.alice, role="federation_staff").delete()
    user = fresh(world.alice)
    scoping.visible_mechanism_ids(user)
    assert user.role_codes == {"federation_reviewer"}
    RoleAssignment.objects.filter(user=world.alice).delete()
    user = fresh(world.alice)
    with django_assert_num_queries(2):
        assert scoping.own_unit_ids(user) == [world.federation.pk]
        assert user.role_codes == frozenset()
    # Roles asked first are read on their own and kept: the units' query does not replace them.
    user = fresh(world.bob)
    assert user.role_codes == {"court_clerk"}
    scoping.visible_mechanism_ids(user)
    assert user.role_codes == {"court_clerk"}
