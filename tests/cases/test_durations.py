"""The stage durations each complaint keeps (`cases.durations`), through the services and after a
change of the working-day calendar.

Monday 2026-11-02 09:00 the complaint is submitted and transferred at once (major); Wednesday
11-04 it is registered; Monday 11-09 answered. Working days (d with earlier < d <= later):
submitted→transferred 0, transferred 11-02 → registered 11-04: 11-03, 11-04 = 2,
registered 11-04 → answered 11-09: 11-05, 11-06, 11-09 = 3 (the weekend does not count).
The feedback deadline (15 working days from 11-02) falls due on 11-23: answered on time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cases import services
from cases.durations import refresh_durations
from cases.models import Complaint
from liaison import deadlines
from liaison.workday_index import rebuild_working_day_index

D = dt.date


def columns(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (
        complaint.transfer_working_days,
        complaint.registration_working_days,
        complaint.answer_working_days,
        complaint.answered_on_time,
    )


@pytest.fixture
def answered(cast, time_machine) -> Complaint:
    rebuild_working_day_index(2026, 2027)
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    complaint = cast.transferred()
    assert columns(complaint) == (0, None, None, None)
    time_machine.move_to("2026-11-04 10:00 +08:00", tick=False)
    services.complaint_register(actor=cast.clerk, complaint=complaint, registration_number="DJ-1")
    assert columns(complaint) == (0, 2, None, None)
    services.complaint_assign(actor=cast.clerk, complaint=complaint, department=cast.department, handler=cast.handler)
    time_machine.move_to("2026-11-09 16:00 +08:00", tick=False)
    return services.complaint_answer(
        actor=cast.handler, complaint=Complaint.objects.get(pk=complaint.pk), answer="已依法处理"
    )


def test_the_services_keep_the_stage_durations(answered):
    assert columns(answered) == (0, 2, 3, True)


def test_a_reopen_clears_the_answer_and_a_late_answer_is_not_on_time(cast, answered, time_machine):
    services.complaint_reopen(actor=cast.staff, complaint=answered, reason="答复未回应核心诉求")
    assert columns(answered) == (0, 2, None, None)
    # The new feedback deadline runs 15 working days from 11-09: due 11-30. Answered 12-02: late.
    time_machine.move_to("2026-12-02 10:00 +08:00", tick=False)
    services.complaint_answer(actor=cast.handler, complaint=Complaint.objects.get(pk=answered.pk), answer="再次答复")
    # registered 11-04 → answered 12-02: 11-05 … 12-02 = 20 working days.
    assert columns(answered) == (0, 2, 20, False)


def test_a_calendar_change_moves_the_durations(answered):
    # 11-05 (Thursday) becomes a day off: registration → answer now counts 11-06 and 11-09 only.
    deadlines.calendar_override_save(date=D(2026, 11, 5), is_working_day=False, note="临时放假", actor=None)
    assert columns(answered)[2] == 2


def test_refresh_leaves_out_days_outside_the_index(cast, answered):
    Complaint.objects.filter(pk=answered.pk).update(submitted_at=dt.datetime(1999, 12, 30, 9, tzinfo=dt.UTC))
    assert refresh_durations(Complaint.objects.filter(pk=answered.pk)) == 1
    assert columns(answered) == (None, 2, 3, True)
