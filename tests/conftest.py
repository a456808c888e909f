"""Shared fixtures: two mechanisms that must never see each other, and their people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from liaison.models import Mechanism, Organization, User

from .concurrency import postgres  # noqa: F401  (a fixture for the race tests)
from .factories import OrganizationFactory, UserFactory, mechanism_between


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Tasks run in-process (CELERY_TASK_ALWAYS_EAGER in pytest.ini); hashing is fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _scopes_read_afresh():
    """Each test starts with nothing kept (`liaison.scope_token`): its first request reads the
    user's scope, so that query counts do not depend on the tests run before it."""
    from liaison import scope_token

    scope_token.forget_all()


@pytest.fixture(autouse=True)
def _sms_files_in_tmp(settings, tmp_path):
    """SMS written by the file backend land in the test's own folder, not in var/sms/."""
    settings.SMS_FILE_PATH = str(tmp_path / "sms")


@dataclass
class World:
    court: Organization
    federation: Organization
    mechanism: Mechanism
    other_court: Organization
    other_federation: Organization
    other_mechanism: Mechanism
    alice: User  # federation staff in the mechanism
    bob: User  # court clerk in the mechanism
    leader: User  # leader of the court
    charlie: User  # federation staff of the other mechanism: an outsider


@pytest.fixture
def world(db) -> World:
    court = OrganizationFactory(name="甲市中级人民法院", kind="court")
    federation = OrganizationFactory(name="甲市工商业联合会", kind="federation")
    mechanism = mechanism_between(court, federation, name="甲市法院·工商联机制")
    other_court = OrganizationFactory(name="乙区人民法院", kind="court", level="district")
    other_federation = OrganizationFactory(name="乙区工商业联合会", kind="federation", level="district")
    other_mechanism = mechanism_between(other_court, other_federation, name="乙区法院·工商联机制")
    return World(
        court=court,
        federation=federation,
        mechanism=mechanism,
        other_court=other_court,
        other_federation=other_federation,
        other_mechanism=other_mechanism,
        alice=UserFactory(username="alice", organization=federation, roles=["federation_staff"]),
        bob=UserFactory(username="bob", organization=court, roles=["court_clerk"]),
        leader=UserFactory(username="court_boss", organization=court, roles=["leader"]),
        charlie=UserFactory(username="charlie", organization=other_federation, roles=["federation_staff"]),
    )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def login(client, user: User):
    client.force_login(user)
    return client
