"""What the mediation services share: the people to tell and the pages to point them to.

Who stands on which side of a case or a roster entry is the workflow's question
(`mediation.workflow`); refusals and required input come from `liaison.workflow`.
"""

from __future__ import annotations

from collections.abc import Iterable

from liaison.choices import NotificationKind, Role
from liaison.models import Organization, User
from liaison.notifications import notify
from liaison.workflow import users_with_roles

from ..models import MediationCase, MediationOrganisation, Mediator


def managers_of(organisation: MediationOrganisation) -> list[User]:
    """The mediation managers of the organisation and of the chamber that runs it, oldest account first."""
    people = users_with_roles([organisation.organization_id, organisation.run_by_id], Role.MEDIATION_MANAGER)
    return sorted(people, key=lambda user: user.pk)


def court_clerks(court: Organization | int) -> list[User]:
    court_id = court if isinstance(court, int) else court.pk
    return sorted(users_with_roles(court_id, Role.COURT_CLERK), key=lambda user: user.pk)


def case_url(case: MediationCase) -> str:
    return f"/mediation/cases/{case.pk}/"


def mediator_url(mediator: Mediator) -> str:
    return f"/mediation/mediators/{mediator.pk}/"


def tell(users: Iterable[User | None], case: MediationCase, title: str, body: str = "") -> None:
    notify(
        [u for u in users if u is not None],
        kind=NotificationKind.WORK,
        title=f"{title}：{case.serial} {case.title}",
        body=body,
        url=case_url(case),
    )
