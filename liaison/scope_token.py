"""Kept scopes: what a user's scope is read from, kept per process while its token holds.

A user's units, mechanisms and roles (`scoping._prime`) and the routing parties of a filing are
read from four tables that change seldom (`SCOPE_TABLES`: organizations, parties, place rules,
roles), yet were read on almost every request, and planning those queries cost more than the rest
of a filing's reads. Each write to those tables draws a new random token in the row of
`ScopeGeneration`, by a database trigger, in the writing transaction. A request reads the token
once (one primary-key read) and takes what was read under the same token, the same day, from this
process's memory; otherwise it reads as before and keeps the rows under the token.

Why it holds:
- The token is read before the rows it keys, on the same database: rows kept under a token are
  never older than the token (they may be newer, which only a request that began before that write
  committed can see).
- A token is random and never drawn twice, so rows read in a transaction that rolled back (a
  test's, a failed request's) are never taken for the state the rollback restores.
- What depends on today (who is a current party) is kept per day.
- Without the row (another database, a flushed table before the next write) nothing is kept.

The triggers and the row are made after every `migrate` (`install`): SQLite rebuilds a table that
a migration alters, dropping its triggers. `tests/liaison/test_scope_token.py` checks each table
and kind of write on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from .models.scope import SCOPE_TABLES, ScopeGeneration

_T = TypeVar("_T")
_FUNCTION = "liaison_scope_changed"
# 53 random bits on PostgreSQL (random() is a double), 64 on SQLite.
_RANDOM = {"postgresql": "floor(random() * 9007199254740991)::bigint", "sqlite": "random()"}
_EVENTS = ("insert", "update", "delete")  # SQLite: a trigger for each
_MAX = 4096
_kept: dict[Hashable, Any] = {}


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or keep) the token's row and the trigger on each scope table; idempotent. Nothing
    before the token's table exists (a database migrated back before it)."""
    random = _RANDOM.get(connection.vendor)
    if random is None:
        return  # no trigger: no row, so nothing is kept
    existing = set(connection.introspection.table_names())
    if ScopeGeneration._meta.db_table not in existing:
        return
    quote = connection.ops.quote_name
    generation = quote(ScopeGeneration._meta.db_table)
    tables = [table for table in SCOPE_TABLES if table in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"INSERT INTO {generation} (id, token) VALUES (1, {random}) "
                f"ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token; RETURN NULL; END $$"
            )
            for table in tables:  # (CREATE OR REPLACE TRIGGER needs PostgreSQL 14)
                cursor.execute(f"DROP TRIGGER IF EXISTS {_FUNCTION} ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER {_FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
                )
            cursor.execute(f"INSERT INTO {generation} (id, token) VALUES (1, {random}) ON CONFLICT (id) DO NOTHING")
        else:
            for table in tables:
                for event in _EVENTS:
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {_FUNCTION}_{table}_{event} AFTER {event.upper()} "
                        f"ON {quote(table)} BEGIN INSERT OR REPLACE INTO {generation} (id, token) "
                        f"VALUES (1, {random}); END"
                    )
            cursor.execute(f"INSERT OR IGNORE INTO {generation} (id, token) VALUES (1, {random})")


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (migrating back before the token's table)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in SCOPE_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {_FUNCTION} ON {quote(table)}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
        elif connection.vendor == "sqlite":
            for table in SCOPE_TABLES:
                for event in _EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_FUNCTION}_{table}_{event}")


def token_sql(alias: str) -> str | None:
    """The statement that reads the token (or a subquery giving it), where there is one."""
    connection = connections[alias]
    if connection.vendor not in _RANDOM:
        return None
    return f"SELECT token FROM {connection.ops.quote_name(ScopeGeneration._meta.db_table)} WHERE id = 1"


def read_token(alias: str) -> int | None:
    """The token now, on the database `alias`; None where there is none (nothing is kept then)."""
    sql = token_sql(alias)
    if sql is None:
        return None
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


def kept(token: int | None, key: Hashable, read: Callable[[], _T]) -> _T:
    """`read()`, or what it gave for `key` under the same token in this process. `key` must name
    every value the rows depend on besides the scope tables (the database, the user, the day);
    what `read` gives is shared between requests and must not be changed by them."""
    if token is None:
        return read()
    full = (token, key)
    value = _kept.get(full)
    if value is None:
        value = read()
        if len(_kept) >= _MAX:
            _kept.clear()
        _kept[full] = value
    return value


def forget_all() -> None:
    """Drop everything kept in this process (tests)."""
    _kept.clear()
