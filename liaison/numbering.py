"""Gapless document numbers per mechanism, series and year.

One upsert takes the next number: it creates the counter row or increments it, and the row stays
locked for the rest of the caller's transaction, so two concurrent callers get consecutive numbers
(the second waits for the first to commit or roll back), and a rolled-back caller gives its number
back: no gaps, no duplicates.
"""

from __future__ import annotations

from typing import cast

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.options import Options

from .models import Mechanism, NumberSequence

_UPSERT = (
    "INSERT INTO {table} (mechanism_id, series, year, last) VALUES (%s, %s, %s, 1) "
    "ON CONFLICT (mechanism_id, series, year) DO UPDATE SET last = {table}.last + 1 RETURNING last"
)


def next_number(*, mechanism: Mechanism, series: str, year: int) -> int:
    """The next number of the series; call inside the transaction that stores the document."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    # INSERT … ON CONFLICT … RETURNING: PostgreSQL, and SQLite from 3.35.
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [_mechanism_id(mechanism), series, year])
        return cursor.fetchone()[0]


def insert_numbered(
    obj: models.Model,
    *,
    mechanism: Mechanism,
    series: str,
    year: int,
    field: str,
    prefix: str,
    width: int = 4,
    then: tuple[str, list] | None = None,
) -> tuple[int, tuple | None]:
    """Take the next number and insert `obj` with `field` = prefix + the number (at least `width`
    digits, zero-padded). Same guarantees as `next_number`, same transaction.

    On PostgreSQL the number and the row are one statement (the upsert in a WITH, the row's field
    made from what it returns), so the counter row, locked until commit, waits for one round trip
    less (no save signals are sent there); elsewhere `next_number` and then the ORM's insert.
    `then` (PostgreSQL only): the SQL and parameters of one row to read in the same statement once
    the row is inserted (where it must wait for the insert it names `inserted.pk`), e.g. a lock
    that must be taken after the number's (`audit.held_head_query`). Returns the number and that
    row (None without `then`, or when it found none).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("insert_numbered must run inside the transaction that uses the number")
    meta = obj._meta
    if connection.vendor != "postgresql" or meta.parents or obj.pk is not None:
        number = next_number(mechanism=mechanism, series=series, year=year)
        setattr(obj, field, f"{prefix}{number:0{width}d}")
        obj.save(force_insert=True)
        return number, None
    fields, numbered, pk_field, sql = _insert_sql(connection, meta, field, then[0] if then is not None else None)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    params = [_mechanism_id(mechanism), series, year, *values, prefix, width]
    if then is not None:
        params += then[1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk, value, *rest = cursor.fetchone()
    setattr(obj, pk_field.attname, pk)
    setattr(obj, numbered.attname, value)
    obj._state.adding, obj._state.db = False, connection.alias
    return int(value[len(prefix) :]), (tuple(rest) if then is not None and rest[0] is not None else None)


# The statement of each (database, model, numbered field, row read after): built once per process.
_statements: dict[tuple, tuple[list[models.Field], models.Field, models.Field, str]] = {}


def _insert_sql(
    connection: BaseDatabaseWrapper, meta: Options, field: str, then: str | None
) -> tuple[list[models.Field], models.Field, models.Field, str]:
    """The fields whose values the statement takes (in order), the numbered field, the key and the SQL."""
    key = (connection.alias, meta.label, field, then)
    built = _statements.get(key)
    if built is not None:
        return built
    numbered, pk_field = cast(models.Field, meta.get_field(field)), meta.pk
    assert pk_field is not None
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not pk_field and f is not numbered]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(cast(str, f.column)) for f in [*fields, numbered])
    upsert = _UPSERT.format(table=quote(NumberSequence._meta.db_table))
    insert = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}, "
        f"(SELECT %s || lpad(last::text, greatest(%s, length(last::text)), '0') FROM n))"
    )
    if then is None:
        sql = f"WITH n AS ({upsert}) {insert} RETURNING {quote(cast(str, pk_field.column))}, {quote(cast(str, numbered.column))}"
    else:
        # The row is read from a lateral subquery that names the inserted row: it runs after the
        # insert, which runs after the upsert, so its locks are taken after the number's.
        sql = (
            f"WITH n AS ({upsert}), inserted AS ({insert} RETURNING {quote(cast(str, pk_field.column))} AS pk, "
            f"{quote(cast(str, numbered.column))} AS value) "
            f"SELECT inserted.pk, inserted.value, t.* FROM inserted LEFT JOIN LATERAL ({then}) t ON true"
        )
    built = _statements[key] = (fields, numbered, pk_field, sql)
    return built


def _mechanism_id(mechanism: Mechanism | int) -> int:
    return mechanism.pk if isinstance(mechanism, Mechanism) else mechanism


def peek_number(*, mechanism: Mechanism, series: str, year: int) -> int:
    """The number `next_number` would give now, without taking it (a proposal shown on a form)."""
    last = (
        NumberSequence.objects.filter(mechanism=mechanism, series=series, year=year)
        .values_list("last", flat=True)
        .first()
    )
    return (last or 0) + 1
