"""A world for activity tests: the organizing secretary of the court, people to register, a planned activity."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from liaison.models import User
from meetings.models import Activity
from meetings.services import activities as services

from ..factories import UserFactory
from .conftest import at


@dataclass
class Fair:
    world: object
    organizer: User  # meeting secretary of the court
    fed_staff: User  # federation staff (an organizing role, not the organizer's side)
    people: list[User]  # staff of both parties who register

    def data(self, **overrides) -> services.ActivityData:
        values = dict(
            kind="open_day",
            title="法院公众开放日",
            starts_at=at("2026-03-25", 9),
            ends_at=at("2026-03-25", 11),
            capacity=2,
            place="市法院诉讼服务中心",
            registration_deadline=at("2026-03-24", 17),
            description="参观诉讼服务中心，旁听庭审。",
        )
        values.update(overrides)
        return services.ActivityData(**values)

    def draft(self, **overrides) -> Activity:
        return services.activity_create(
            actor=self.organizer, mechanism=self.world.mechanism, data=self.data(**overrides)
        )

    def published(self, **overrides) -> Activity:
        return services.activity_publish(actor=self.organizer, activity=self.draft(**overrides))


@pytest.fixture
def fair(world, time_machine) -> Fair:
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    organizer = UserFactory(
        username="act_secretary", full_name="孙丽", organization=world.court, roles=["meeting_secretary"]
    )
    fed_staff = UserFactory(username="act_fed", organization=world.federation, roles=["federation_staff"])
    people = [
        UserFactory(username=f"person{n}", full_name=f"参加人{n}", organization=org, roles=["court_handler"])
        for n, org in enumerate([world.court, world.federation, world.court, world.federation], start=1)
    ]
    return Fair(world=world, organizer=organizer, fed_staff=fed_staff, people=people)
