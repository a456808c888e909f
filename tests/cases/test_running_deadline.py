"""The nearest open deadline kept on the complaint (`Complaint.current_due`, `_kind`, `_paused`)
agrees with looking it up in the deadline table, through the services and the calendar recompute."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import services
from cases.durations import refresh_running_deadline
from cases.figures import complaint_figures
from cases.filters import ComplaintFilter
from cases.models import Complaint
from cases.selectors import complaint_list, current_deadline
from liaison import deadlines
from liaison.choices import DeadlineState
from liaison.workday_index import rebuild_working_day_index

D = dt.date


def looked_up() -> dict[int, tuple]:
    """The old computation: the nearest running or paused deadline, per row, from the deadline table."""
    rows = Complaint.objects.annotate(
        due=current_deadline("due_date"), kind_=current_deadline("kind"), state_=current_deadline("state")
    )
    return {c.pk: (c.due, c.kind_ or "", c.state_ == DeadlineState.PAUSED) for c in rows}


def kept() -> dict[int, tuple]:
    return {
        pk: (due, kind, paused)
        for pk, due, kind, paused in Complaint.objects.values_list(
            "pk", "current_due", "current_due_kind", "current_due_paused"
        )
    }


@pytest.fixture
def varied(cast, time_machine) -> dict[str, Complaint]:
    """Complaints in many situations: a draft, a review clock running and one paused, transferred,
    registered, answered, reopened, extended, closed, withdrawn."""
    rebuild_working_day_index(2026, 2027)
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    c = {"draft": cast.file(), "review": cast.to_review()}
    c["paused"] = cast.to_review()
    services.complaint_request_material(actor=cast.reviewer, complaint=c["paused"], reason="请补充判决书")
    c["resumed"] = cast.to_review()
    services.complaint_request_material(actor=cast.reviewer, complaint=c["resumed"], reason="请补充判决书")
    time_machine.move_to("2026-11-05 09:00 +08:00", tick=False)
    services.complaint_supply_material(actor=cast.staff, complaint=c["resumed"], note="已补充")
    c["transferred"] = cast.transferred()
    c["assigned"] = cast.assigned()
    c["answered"] = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=c["answered"], answer="已处理")
    c["reopened"] = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=c["reopened"], answer="已处理")
    services.complaint_reopen(actor=cast.staff, complaint=Complaint.objects.get(pk=c["reopened"].pk), reason="未答复")
    c["extended"] = cast.assigned()
    services.complaint_request_extension(actor=cast.handler, complaint=c["extended"], reason="需调查取证")
    services.complaint_decide_extension(actor=cast.court_leader, complaint=c["extended"], approve=True)
    c["closed"] = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=c["closed"], answer="已处理")
    services.complaint_close(actor=cast.staff, complaint=Complaint.objects.get(pk=c["closed"].pk))
    c["withdrawn"] = cast.to_review()
    services.complaint_withdraw(actor=cast.staff, complaint=c["withdrawn"], reason="已和解")
    return c


def test_it_agrees_with_the_deadline_table_through_the_services(varied):
    assert kept() == looked_up()
    states = {name: kept()[c.pk] for name, c in varied.items()}
    assert states["draft"] == (None, "", False)
    assert states["paused"][2] is True and states["paused"][0] is not None
    assert states["resumed"][2] is False
    assert states["closed"][0] is None and states["withdrawn"][0] is None
    assert states["reopened"][0] is not None
    assert states["extended"][0] > states["assigned"][0]


def test_it_follows_a_calendar_override(varied):
    before = kept()
    deadlines.calendar_override_save(date=D(2026, 11, 10), is_working_day=False, note="临时放假", actor=None)
    after = kept()
    assert after == looked_up()
    moved = [pk for pk in after if after[pk] != before[pk]]
    assert varied["transferred"].pk in moved and varied["draft"].pk not in moved


def test_the_data_migration_refresh_fills_every_row(varied):
    Complaint.objects.update(current_due=None, current_due_kind="", current_due_paused=False)
    assert refresh_running_deadline(Complaint.objects.all()) == Complaint.objects.count()
    assert kept() == looked_up()


def test_overdue_and_due_soon_use_the_column_and_agree_with_the_dashboard(cast, varied, time_machine):
    time_machine.move_to("2026-11-20 09:00 +08:00", tick=False)
    user = cast.staff
    today = deadlines.today()
    overdue = ComplaintFilter({"overdue": "true"}, queryset=complaint_list(user=user), user=user).qs
    expected = Complaint.objects.filter(
        current_due__lt=today,
        current_due_paused=False,
        status__in=["submitted", "under_review", "queued", "transferred", "registered", "assigned"],
    )
    assert set(overdue.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True))
    assert varied["paused"].pk not in set(overdue.values_list("pk", flat=True))
    figures = complaint_figures(user=user, mechanism=cast.world.mechanism, start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert figures["overdue"] == overdue.count() > 0
    by_due = list(
        ComplaintFilter({"ordering": "due"}, queryset=complaint_list(user=user), user=user)
        .qs.exclude(current_due=None)
        .values_list("current_due", flat=True)
    )
    assert by_due == sorted(by_due)
