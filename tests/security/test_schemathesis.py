"""The API against its own OpenAPI schema, for four roles: no server error, every answer as declared.

Schemathesis generates requests from the schema (drf-spectacular's, built in-process) and sends
them to the WSGI application with a token of one of the roles. The number of examples per operation
role is bounded (SCHEMATHESIS_EXAMPLES per operation, default 6, each sent as a drawn role) so the run
takes a few minutes on two cores;
failures are collected over all operations and reported together.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mediation import services as mediation_services

from ..factories import OrganizationFactory, UserFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def role_tokens(transactional_db, cast) -> dict[str, str]:
    """Four roles around one mechanism with a transferred complaint and a mediation organisation."""
    world = cast.world
    chamber = OrganizationFactory(name="甲市民营企业商会", kind="chamber", parent=world.federation)
    manager = UserFactory(username="manager", organization=chamber, roles=["mediation_manager"])
    secretary = UserFactory(username="secretary", organization=world.court, roles=["meeting_secretary"])
    organisation = mediation_services.organisation_register(
        actor=manager, data=mediation_services.OrganisationData(name="甲市民营企业商会调解委员会", run_by=chamber)
    )
    mediation_services.organisation_admit(
        actor=world.bob,
        organisation=organisation,
        mechanism=world.mechanism,
        document_number="甲中法〔2025〕12号",
        admitted_on=world.mechanism.founded_on or __import__("datetime").date(2025, 3, 1),
    )
    cast.transferred()
    cast.file(title="草稿")
    users = {"federation": cast.staff, "court": cast.clerk, "secretary": secretary, "mediation_manager": manager}
    return {role: Token.objects.create(user=user).key for role, user in users.items()}


def _exchanges(strategy, tokens: dict[str, str], seen: set[str]):
    """A Hypothesis test sending a few generated requests of one operation, each as a drawn role."""

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, role=st.sampled_from(sorted(tokens)))
    def exchange(case, role: str) -> None:
        seen.add(role)
        response = case.call(headers={"Authorization": f"Token {tokens[role]}"})
        case.validate_response(response, checks=CHECKS)

    return exchange


def test_the_api_answers_as_its_schema_says_for_four_roles(role_tokens):
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    for operation in operations:
        seen: set[str] = set()
        try:
            _exchanges(operation.as_strategy(), role_tokens, seen)()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - all failures are reported at the end
            failures.append(f"{operation.label} ({', '.join(sorted(seen))}): {str(error)[:1500]}")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
