"""A major complaint goes at once from submission; the convenor's secretary runs the batch at a meeting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import services
from cases.choices import REGISTRATION, REVIEW, ComplaintStatus
from cases.models import Complaint, Transfer
from liaison import deadlines
from liaison.choices import DeadlineState
from liaison.errors import ActionRefused
from meetings.models import Meeting

from ..conftest import login
from ..factories import UserFactory


def _queued(cast, title: str) -> Complaint:
    return services.complaint_queue(actor=cast.reviewer, complaint=cast.to_review(title=title))


def _meeting(cast) -> Meeting:
    start = timezone.make_aware(dt.datetime(2026, 12, 1, 9, 0))
    return Meeting.objects.create(
        mechanism=cast.world.mechanism,
        kind="joint",
        title="2026年第四季度联席会议",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        convenor=cast.world.court,
        created_by=cast.clerk,
        place="第一会议室",
    )


def test_a_major_complaint_goes_at_once_from_submission_and_its_review_deadline_is_met(cast):
    complaint = services.complaint_submit(actor=cast.staff, complaint=cast.file(is_major=True, major_reason="重大"))
    review = deadlines.open_deadline(complaint, REVIEW)
    transfer = services.complaint_transfer_now(actor=cast.reviewer, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.TRANSFERRED and complaint.transfer == transfer
    review.refresh_from_db()
    assert review.state == DeadlineState.MET
    assert deadlines.open_deadline(complaint, REGISTRATION) is not None


def test_an_ordinary_submitted_complaint_still_waits_for_the_meeting(cast):
    complaint = services.complaint_submit(actor=cast.staff, complaint=cast.file())
    try:
        services.complaint_transfer_now(actor=cast.reviewer, complaint=complaint)
    except ActionRefused as refusal:
        assert "只有重大事项" in refusal.message
    else:
        raise AssertionError("an ordinary complaint was transferred at once")
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.SUBMITTED


def test_the_convenors_secretary_sees_the_queue_and_transfers_it_at_a_chosen_meeting(cast, client):
    # The court convenes the mechanism: its meeting secretary runs the joint meeting.
    secretary = UserFactory(username="court_secretary", organization=cast.world.court, roles=["meeting_secretary"])
    first, second = _queued(cast, "第一件"), _queued(cast, "第二件")
    meeting = _meeting(cast)
    login(client, secretary)
    page = client.get("/cases/transfers/new/").content.decode()
    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' in page
    assert f'<option value="{meeting.pk}">' in page and 'name="meeting_reference"' not in page
    response = client.post("/cases/transfers/new/", {"complaints": [first.pk, second.pk], "meeting": meeting.pk})
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.meeting_reference == "2026-12-01 2026年第四季度联席会议"
    assert set(transfer.complaints.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_the_api_takes_a_meeting_id_and_refuses_one_of_another_mechanism(cast, api_client):
    secretary = UserFactory(username="court_secretary", organization=cast.world.court, roles=["meeting_secretary"])
    complaint = _queued(cast, "一件")
    meeting = _meeting(cast)
    login(api_client, secretary)
    refused = api_client.post(
        "/api/v1/transfers/batch/", {"complaints": [complaint.pk], "meeting": 999999}, format="json"
    )
    assert refused.status_code == 400 and "meeting" in refused.json()
    response = api_client.post(
        "/api/v1/transfers/batch/", {"complaints": [complaint.pk], "meeting": meeting.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["meeting_reference"] == "2026-12-01 2026年第四季度联席会议"


def test_a_secretary_of_a_party_that_does_not_convene_does_not_see_the_queue(cast, client):
    secretary = UserFactory(
        username="other_secretary", organization=cast.world.other_court, roles=["meeting_secretary"]
    )
    complaint = _queued(cast, "一件")
    login(client, secretary)
    assert f'value="{complaint.pk}"' not in client.get("/cases/transfers/new/").content.decode()
