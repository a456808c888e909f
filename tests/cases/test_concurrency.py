"""Races on PostgreSQL: two clerks register the same transfer; numbering under concurrency."""

from __future__ import annotations

import pytest
from django.db import transaction

from cases import services
from cases.models import Complaint, Transfer
from liaison.errors import ActionRefused

from ..concurrency import run_together

pytestmark = pytest.mark.postgres


def test_two_clerks_registering_at_once_exactly_one_wins(postgres, cast):
    from ..factories import UserFactory

    second_clerk = UserFactory(
        username="clerk2", full_name="第二联络员", organization=cast.world.court, roles=["court_clerk"]
    )
    complaint = cast.transferred()
    first_view, second_view = Complaint.objects.get(pk=complaint.pk), Complaint.objects.get(pk=complaint.pk)

    results = run_together(
        lambda: services.complaint_register(actor=cast.clerk, complaint=first_view, registration_number="A-1"),
        lambda: services.complaint_register(actor=second_clerk, complaint=second_view, registration_number="B-2"),
    )
    winners = [r for r in results if isinstance(r, Complaint)]
    losers = [r for r in results if isinstance(r, ActionRefused)]
    assert len(winners) == 1 and len(losers) == 1, results
    complaint.refresh_from_db()
    assert complaint.status == "registered"
    winner_name = cast.clerk.display_name if complaint.registration_number == "A-1" else second_clerk.display_name
    assert losers[0].code == ActionRefused.STATE
    assert f"已由 {winner_name}" in losers[0].message and "登记" in losers[0].message


def test_transfer_numbers_have_no_gaps_or_duplicates_under_concurrency(postgres, cast):
    complaints = [cast.to_review(is_major=True, major_reason="重大") for _ in range(6)]
    results = run_together(
        *[
            (lambda c=c: services.complaint_transfer_now(actor=cast.reviewer, complaint=Complaint.objects.get(pk=c.pk)))
            for c in complaints
        ]
    )
    assert all(isinstance(r, Transfer) for r in results), results
    assert sorted(t.sequence for t in results) == [1, 2, 3, 4, 5, 6]
    assert len({t.number for t in results}) == 6


def test_a_rolled_back_transfer_gives_its_number_back(postgres, cast):
    first = cast.to_review(is_major=True, major_reason="重大")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.complaint_transfer_now(actor=cast.reviewer, complaint=first)
        raise RuntimeError("the letter could not be stored")
    first.refresh_from_db()
    transfer = services.complaint_transfer_now(actor=cast.reviewer, complaint=first)
    assert transfer.sequence == 1


def test_concurrent_filings_get_consecutive_serials_and_a_verifiable_chain(postgres, cast):
    # The number is taken and the event appended as the last statements of each filing.
    from liaison import audit

    results = run_together(*[(lambda n=n: cast.file(title=f"同时填报{n}")) for n in range(6)])
    assert all(isinstance(r, Complaint) for r in results), results
    serials = sorted(Complaint.objects.filter(pk__in=[r.pk for r in results]).values_list("serial", flat=True))
    assert [int(s.rsplit("-", 1)[1]) for s in serials] == [1, 2, 3, 4, 5, 6]
    assert sorted(r.serial for r in results) == serials  # the object returned carries its serial
    assert not Complaint.objects.filter(serial__startswith="~").exists()
    report = audit.verify_chain()
    assert report.ok, report.problems


def test_a_rolled_back_filing_gives_its_number_back(postgres, cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        cast.file(title="未保存")
        raise RuntimeError("the files could not be stored")
    assert not Complaint.objects.exists()
    assert cast.file(title="保存").serial.endswith("-0001")


def test_filings_and_transfers_at_once_in_one_mechanism_neither_wait_forever_nor_break_the_chain(postgres, cast):
    # A filing takes its number, then the chain head, in one statement; a transfer takes its own
    # number and then the same head: both in the same order, so neither deadlocks.
    from liaison import audit

    queued = [cast.to_review(is_major=True, major_reason="重大") for _ in range(3)]
    results = run_together(
        *[(lambda n=n: cast.file(title=f"同时填报{n}")) for n in range(3)],
        *[
            (lambda c=c: services.complaint_transfer_now(actor=cast.reviewer, complaint=Complaint.objects.get(pk=c.pk)))
            for c in queued
        ],
    )
    assert [type(r) for r in results] == [Complaint] * 3 + [Transfer] * 3, results
    report = audit.verify_chain()
    assert report.ok, report.problems
