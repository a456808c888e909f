"""Gapless document numbers per mechanism, series and year.

One upsert takes the next number: it creates the counter row or increments it, and the row stays
locked for the rest of the caller's transaction, so two concurrent callers get consecutive numbers
(the second waits for the first to commit or roll back), and a rolled-back caller gives its number
back: no gaps, no duplicates.
"""

from __future__ import annotations

from django.db import transaction

from .models import Mechanism, NumberSequence


def next_number(*, mechanism: Mechanism, series: str, year: int) -> int:
    """The next number of the series; call inside the transaction that stores the document."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    # INSERT … ON CONFLICT … RETURNING: PostgreSQL, and SQLite from 3.35.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (mechanism_id, series, year, last) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (mechanism_id, series, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [mechanism.pk if isinstance(mechanism, Mechanism) else mechanism, series, year],
        )
        return cursor.fetchone()[0]


def peek_number(*, mechanism: Mechanism, series: str, year: int) -> int:
    """The number `next_number` would give now, without taking it (a proposal shown on a form)."""
    last = (
        NumberSequence.objects.filter(mechanism=mechanism, series=series, year=year)
        .values_list("last", flat=True)
        .first()
    )
    return (last or 0) + 1
