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

from django.db import connections
from django.db.models import QuerySet

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
        if day is not None:
            # The day as the parameters hold it: a date, or its text where the database adapts it (SQLite).
            marks = (day, connections[alias].ops.adapt_datefield_value(day))
            if not any(param in marks for param in compiled[1]):
                return compiled
        if len(_sql) >= _MAX:
            _sql.clear()
        _sql[full_key] = compiled
    return compiled
