"""Fixtures for meetings: a court secretary, a leader on each side, and helpers along the lifecycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from liaison.models import Department, User
from meetings import services
from meetings.models import Meeting, Minutes

from ..factories import DepartmentFactory, UserFactory


def at(day: str, hour: int = 9) -> dt.datetime:
    """A moment in Beijing time."""
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=timezone.get_current_timezone())


@dataclass
class Cast:
    world: object
    secretary: User  # meeting secretary of the court
    court_leader: User
    fed_leader: User
    reviewer: User  # federation reviewer (transfers complaints)
    department: Department  # of the court

    def data(self, **overrides) -> services.MeetingData:
        values = dict(
            kind="joint",
            title="2026年第一季度联席会议",
            starts_at=at("2026-03-20"),
            ends_at=at("2026-03-20", 11),
            place="市法院三楼会议室",
            chair="陈院长",
            invitees=[self.court_leader, self.fed_leader, self.world.alice, self.world.bob],
            outside=[
                services.OutsideAttendee(
                    name="王会长", organization_name="甲市民营企业商会", title="会长", email="wang@chamber.test"
                )
            ],
        )
        values.update(overrides)
        return services.MeetingData(**values)

    def meeting(self, **overrides) -> Meeting:
        return services.meeting_create(
            actor=self.secretary, mechanism=self.world.mechanism, data=self.data(**overrides)
        )

    def noticed(self, **overrides) -> Meeting:
        return services.meeting_send_notice(actor=self.secretary, meeting=self.meeting(**overrides))

    def held(self, **overrides) -> Meeting:
        meeting = self.noticed(**overrides)
        return services.meeting_hold(actor=self.secretary, meeting=meeting)

    def minutes_data(self, meeting: Meeting, **overrides) -> services.MinutesData:
        values = dict(
            title=f"{meeting.title}纪要",
            summary="会议通报了上季度工作，研究了涉企诉求移送事项。",
            sections=[services.SectionData(heading="通报工作情况", discussion="双方通报了本季度沟通协作情况。")],
            decisions=["建立月度信息通报制度。"],
            action_items=[
                services.ItemData(
                    title="梳理长期未结涉企案件清单",
                    owner_organization=self.world.court,
                    owner_department=self.department,
                    due_date=dt.date(2026, 4, 30),
                )
            ],
        )
        values.update(overrides)
        return services.MinutesData(**values)

    def minutes(self, **overrides) -> Minutes:
        meeting = self.held(**overrides)
        return services.minutes_create(actor=self.secretary, meeting=meeting, data=self.minutes_data(meeting))

    def approved(self, **overrides) -> Minutes:
        minutes = services.minutes_submit(actor=self.secretary, minutes=self.minutes(**overrides))
        services.minutes_decide(actor=self.court_leader, minutes=minutes, approve=True)
        return services.minutes_decide(actor=self.fed_leader, minutes=minutes, approve=True)

    def issued(self, **overrides) -> Minutes:
        return services.minutes_issue(actor=self.secretary, minutes=self.approved(**overrides))


@pytest.fixture
def cast(world, time_machine) -> Cast:
    time_machine.move_to("2026-03-20 08:00 +08:00", tick=False)
    department = DepartmentFactory(organization=world.court, name="审务督查局")
    secretary = UserFactory(
        username="secretary",
        full_name="孙丽",
        organization=world.court,
        department=department,
        roles=["meeting_secretary"],
    )
    fed_leader = UserFactory(username="fed_boss", full_name="张志强", organization=world.federation, roles=["leader"])
    reviewer = UserFactory(username="reviewer", organization=world.federation, roles=["federation_reviewer"])
    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    return Cast(
        world=world,
        secretary=secretary,
        court_leader=world.leader,
        fed_leader=fed_leader,
        reviewer=reviewer,
        department=department,
    )


def queued_complaint(cast: Cast, title: str = "设备被错误查封影响生产"):
    """A complaint the federation has queued for transfer at the next joint meeting."""
    from cases import services as cases
    from cases.models import Enterprise

    world = cast.world
    enterprise = Enterprise.objects.filter(mechanism=world.mechanism).first() or cases.enterprise_register(
        actor=world.alice,
        mechanism=world.mechanism,
        data=cases.EnterpriseData(
            name="甲市某机械制造有限公司", credit_code="91350100M000100Y43", size="small", industry="C"
        ),
    )
    complaint = cases.complaint_create(
        actor=world.alice,
        mechanism=world.mechanism,
        data=cases.ComplaintData(
            enterprise=enterprise,
            court=world.court,
            kind="enforcement",
            title=title,
            facts="查封超标的。",
            demands="请求依法解除查封。",
        ),
    )
    cases.complaint_submit(actor=world.alice, complaint=complaint)
    cases.complaint_start_review(actor=cast.reviewer, complaint=complaint)
    return cases.complaint_queue(actor=cast.reviewer, complaint=complaint)
