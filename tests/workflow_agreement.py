"""The agreement of a workflow's offer with its services: offered ⇔ the service succeeds.

For one object in one state, every user × every step: ask the declaration (`Workflow.may`), then
call the step's service with sample input inside a savepoint that is rolled back, and compare.
A step that is offered but refused, or refused on the page but performed by the service, fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction

from liaison.errors import ActionRefused
from liaison.models import User
from liaison.workflow import Transition, Workflow

Call = Callable[[User, Any], object]


def service_call(workflow: Workflow, rule: Transition, inputs: Mapping[str, Any]) -> Call:
    """Call the step's declared service with the sample input of the step."""
    service = rule.resolve("service")

    def call(user: User, obj: Any) -> object:
        return service(actor=user, **{workflow.object_name: obj}, **inputs.get(rule.name, {}))

    return call


def disagreements(
    workflow: Workflow,
    load: Callable[[], Any],
    users: Iterable[User],
    inputs: Mapping[str, Any],
    calls: Mapping[str, Call] | None = None,
) -> list[str]:
    """Every (user, step) where the offer and the service disagree, described; empty when they agree."""
    calls = dict(calls or {})
    found = []
    for user in users:
        for rule in workflow:
            call = calls.get(rule.name) or service_call(workflow, rule, inputs)
            obj = load()
            offered = workflow.may(user, obj, rule.name)
            savepoint = transaction.savepoint()
            try:
                call(user, obj)
                performed, why = True, ""
            except ActionRefused as refusal:
                performed, why = False, refusal.message
            finally:
                transaction.savepoint_rollback(savepoint)
            if offered != performed:
                state = getattr(load(), rule.state_field or workflow.state_field)
                found.append(
                    f"{user.username} · {rule.name} in {state}: offered={offered}, service "
                    f"{'succeeded' if performed else 'refused: ' + why}"
                )
    return found
