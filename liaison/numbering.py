"""Gapless document numbers per mechanism, series and year.

The counter row is locked for the rest of the caller's transaction, so two concurrent callers
get consecutive numbers, and a rolled-back caller gives its number back: no gaps, no duplicates.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import Mechanism, NumberSequence


def next_number(*, mechanism: Mechanism, series: str, year: int) -> int:
    """The next number of the series; call inside the transaction that stores the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    try:
        with transaction.atomic():  # savepoint: a concurrent creator of the row wins, we retry
            NumberSequence.objects.get_or_create(mechanism=mechanism, series=series, year=year)
    except IntegrityError:
        pass
    sequence = NumberSequence.objects.select_for_update().get(mechanism=mechanism, series=series, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def peek_number(*, mechanism: Mechanism, series: str, year: int) -> int:
    """The number `next_number` would give now, without taking it (a proposal shown on a form)."""
    last = NumberSequence.objects.filter(mechanism=mechanism, series=series, year=year).values_list(
        "last", flat=True).first()
    return (last or 0) + 1
