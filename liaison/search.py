"""One search page across the apps: each app registers what it searches, through its own scoped
selector, and the page shows the first hits of each with their total."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from .models import User

# Terms longer than this are cut (the search box says so): they would only scan longer.
MAX_TERM_LENGTH = 100
HITS_PER_SOURCE = 10


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Source:
    """`search(user, term)` returns the user's matching rows, already scoped and ordered;
    `hit(row)` says how one row is shown. Two queries per source: the first rows and the count."""

    key: str
    label: str
    search: Callable[[User, str], QuerySet]
    hit: Callable[[Model], Hit]


@dataclass(frozen=True)
class Result:
    source: Source
    hits: list[Hit]
    total: int


_SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    if all(existing.key != source.key for existing in _SOURCES):
        _SOURCES.append(source)


def search_everything(*, user: User, term: str) -> list[Result]:
    """The hits of every registered source for `term` (nothing for a blank term)."""
    term = term.strip()[:MAX_TERM_LENGTH]
    if not term or not user.is_authenticated:
        return []
    results = []
    for source in _SOURCES:
        rows = source.search(user, term)
        hits = [source.hit(row) for row in rows[:HITS_PER_SOURCE]]
        total = len(hits) if len(hits) < HITS_PER_SOURCE else rows.count()
        results.append(Result(source, hits, total))
    return results
