"""A deadline is visible exactly when its object is: pages, home figures and lists."""

from __future__ import annotations

from liaison import selectors
from liaison.models import Deadline

from ..conftest import login


def _review_deadline(complaint) -> Deadline:
    return Deadline.objects.get(object_id=str(complaint.pk), content_type__model="complaint", kind="complaint.review")


def test_it_hides_the_review_deadline_of_an_untransferred_complaint_from_the_court(cast, client):
    complaint = cast.to_review(title="尚未移送的诉求")
    deadline = _review_deadline(complaint)
    court = login(client, cast.clerk)
    assert court.get(f"/cases/complaints/{complaint.pk}/").status_code == 404
    assert court.get(f"/deadlines/{deadline.pk}/").status_code == 404
    assert "尚未移送的诉求" not in court.get("/deadlines/").content.decode()
    assert not selectors.deadline_list(user=cast.clerk, open_only=False).filter(pk=deadline.pk).exists()
    federation = login(client, cast.reviewer)
    assert federation.get(f"/deadlines/{deadline.pk}/").status_code == 200
    assert "尚未移送的诉求" in federation.get("/deadlines/").content.decode()


def test_it_shows_the_court_the_deadlines_once_the_complaint_is_transferred(cast, client):
    complaint = cast.transferred(title="已移送的诉求")
    registration = Deadline.objects.get(object_id=str(complaint.pk), kind="complaint.registration")
    assert login(client, cast.clerk).get(f"/deadlines/{registration.pk}/").status_code == 200
    assert "已移送的诉求" in client.get("/deadlines/").content.decode()
    assert login(client, cast.world.charlie).get(f"/deadlines/{registration.pk}/").status_code == 404


def test_home_figures_count_only_visible_deadlines(cast):
    complaint = cast.to_review()
    Deadline.objects.filter(pk=_review_deadline(complaint).pk).update(
        owner_organization=cast.world.court, owner_user=None
    )
    assert selectors.my_deadline_figures(user=cast.clerk)["open"] == 0
