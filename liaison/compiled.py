"""The SQL of a few hot queries, compiled once per process and key.

Some queries asked on (almost) every request are costlier to build and compile in the ORM than to
run: the user's units and mechanisms (`scoping._prime`), the routing parties of a filing. Their SQL
depends only on a few values (an organization, a set of mechanisms, today), so it is compiled once
per such key and run with its parameters as they were. The key must hold every value the SQL
depends on; a query that compares with today names the day, and SQL compiled while the day turned
(its parameters hold another date) is used once and not kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

_MAX = 1024
_sql: dict[Hashable, tuple[str, tuple]] = {}


def sql_of(
    key: Hashable, build: Callable[[], QuerySet], alias: str, *, day: dt.date | None = None
) -> tuple[str, tuple]:
    """(sql, params) of the queryset `build()` makes for `key` on the database `alias`."""
    full_key = (key, alias, day)
    compiled = _sql.get(full_key)
    if compiled is None:
        sql, params = build().query.get_compiler(alias).as_sql()
        compiled = (sql, tuple(params))
        if _keeps(compiled[1], alias, day):
            _remember(_sql, full_key, compiled)
    return compiled


def _keeps(params: tuple, alias: str, day: dt.date | None) -> bool:
    """Whether SQL compiled for `day` holds that day (a date, or its text where the database adapts
    it: SQLite) among its parameters: if the day turned while it was compiled, it is used once."""
    if day is None:
        return True
    marks = (day, connections[alias].ops.adapt_datefield_value(day))
    return any(param in marks for param in params)


def _remember(cache: dict, key: Hashable, value: object) -> None:
    if len(cache) >= _MAX:
        cache.clear()
    cache[key] = value


# --- rows of a values_list query, converted as the ORM converts them ---------------------------


@dataclass
class _Rows:
    sql: str
    params: tuple
    compiler: SQLCompiler
    converters: dict


_rows: dict[Hashable, _Rows] = {}


def rows_of(
    key: Hashable,
    build: Callable[[], QuerySet],
    alias: str,
    *,
    day: dt.date | None = None,
    tail: tuple[str, list] | None = None,
) -> list[tuple]:
    """The rows `build()` (a `values_list` queryset) gives, with the values converted as the ORM
    converts them, its SQL compiled once per key as `sql_of` compiles it. `tail`: SQL and
    parameters appended to it as they are (e.g. `UNION ALL SELECT …` of as many columns), whose
    rows are converted alike."""
    connection = connections[alias]
    full_key = (key, alias, day, id(connection))  # the converters belong to this thread's connection
    compiled = _rows.get(full_key)
    if compiled is None:
        compiler = build().query.get_compiler(alias)
        sql, params = compiler.as_sql()
        compiled = _Rows(sql, tuple(params), compiler, compiler.get_converters([s[0] for s in compiler.select]))
        if _keeps(compiled.params, alias, day):
            _remember(_rows, full_key, compiled)
    sql, params = compiled.sql, compiled.params
    if tail is not None:
        sql, params = sql + tail[0], (*params, *tail[1])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiled.converters:
        return [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
    return rows


# --- one row by primary key, from a queryset compiled once ------------------------------------

_MARK = -7_340_033  # stands for the primary key while a query is compiled (no row has it)


@dataclass
class _Get:
    sql: str
    params: list
    at: int  # where the primary key goes in params
    compiler: SQLCompiler
    converters: dict
    init_list: list[str]
    start: int
    end: int
    populators: list


_gets: dict[Hashable, _Get] = {}


def get_by_pk(key: Hashable, build: Callable[[], QuerySet], pk: object, alias: str) -> Model | None:
    """The row of `build()` (a queryset of one model, select_related allowed) whose primary key is
    `pk`, or None: as `build().filter(pk=pk).first()` would give it, with the SQL compiled once per
    key (which must hold every value the SQL depends on). `pk` is prepared as the ORM prepares it
    (TypeError or ValueError when it is no number); out of the column's range, None."""
    connection = connections[alias]
    full_key = (key, alias, id(connection))  # the converters belong to this thread's connection
    compiled = _gets.get(full_key)
    if compiled is None:
        queryset = build()
        compiler = queryset.filter(pk=_MARK).query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. in no mechanism at all
            return None
        params = list(params)
        if params.count(_MARK) != 1:
            raise ValueError("the primary key's place in the query is not known")
        klass_info, select = compiler.klass_info, compiler.select
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        compiled = _Get(
            sql=sql,
            params=params,
            at=params.index(_MARK),
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in select]),
            init_list=[s[0].target.attname for s in select[start:end]],
            start=start,
            end=end,
            populators=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]
        )
        _remember(_gets, full_key, compiled)
    model = compiled.compiler.query.model
    assert model is not None
    pk_field = model._meta.pk
    assert pk_field is not None
    value = pk_field.get_prep_value(pk)
    low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    params = list(compiled.params)
    params[compiled.at] = pk_field.get_db_prep_value(value, connection, prepared=True)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if compiled.converters:
        row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
    obj = model.from_db(alias, compiled.init_list, row[compiled.start : compiled.end])
    for populator in compiled.populators:
        populator.populate(row, obj)
    return obj
