"""factory_boy factories for the shared core."""

from __future__ import annotations

import factory

from liaison.choices import default_side
from liaison.models import Department, Mechanism, MechanismParty, Organization, RoleAssignment, User

PASSWORD = "test-pass-2026"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:10])
    kind = "court"
    level = "city"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for role in extracted:
                RoleAssignment.objects.create(user=self, role=role)
        if create:
            self.save()


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism

    name = factory.Sequence(lambda n: f"测试机制{n}")
    short_name = factory.Sequence(lambda n: f"机制{n}")


class MechanismPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MechanismParty

    mechanism = factory.SubFactory(MechanismFactory)
    organization = factory.SubFactory(OrganizationFactory)
    # A party added to a federation's mechanism: the federation's chambers collect, the others handle.
    side = factory.LazyAttribute(lambda party: default_side(party.organization.kind, True))


def mechanism_between(*organizations: Organization, **fields: object) -> Mechanism:
    """A mechanism whose parties are the given organizations."""
    mechanism = MechanismFactory(**fields)
    for index, organization in enumerate(organizations):
        MechanismPartyFactory(mechanism=mechanism, organization=organization, is_convenor=index == 0)
    mechanism.assign_default_sides()
    return mechanism
