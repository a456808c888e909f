"""Text search over complaints: their own text, their enterprise, case numbers and the messages the
user may see (never another organization's internal notes).

Each source is its own indexed subquery of complaint ids, and the ids of their union, read first,
restrict the list; on PostgreSQL a term with many matches restricts it with one condition on the
complaint table instead (`complaint_search`). On PostgreSQL the character and bigram GIN indexes
of migration `0011_search_gram_indexes` serve each source for terms of any length (a term of one
or two characters has no trigram, and for longer ones the AND of their bigrams measured faster
than the trigram indexes of `0005`); every row they find is checked for the term itself.
`bench/SEARCH.md` has the measurements behind the choice. SQLite scans.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, Func, IntegerField, Q, QuerySet, Subquery, Value

from liaison.models import User

from .models import Complaint, ComplaintCaseNumber, ComplaintMessage, Enterprise
from .services import visible_message_filter

# The complaint's own columns searched (each has a gram index on PostgreSQL).
TEXT_COLUMNS = ("title", "serial", "facts", "demands", "answer")


def _grams() -> bool:
    """Whether the gram indexes of migration `0011_search_gram_indexes` are there (PostgreSQL)."""
    return connection.vendor == "postgresql"


class _TermCondition(Func):
    """A condition on a text column and the search term (PostgreSQL): `condition`, with `{column}`
    and `{term}` in place of their SQL."""

    output_field = BooleanField()
    arity = 2
    condition = ""

    def as_sql(self, compiler, connection, **extra_context):
        column, term = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        term_sql, term_params = compiler.compile(term)
        return self.condition.format(column=column_sql, term=term_sql), (*column_params, *term_params)


class HasGrams(_TermCondition):
    """The column's characters and adjacent pairs include the term's (`liaison_grams` and
    `liaison_term_grams` of migration 0011, on UPPER like `icontains`): what its gram index
    answers. Necessary, not sufficient (the characters may be apart): `Holds` decides."""

    condition = "liaison_grams(UPPER(({column})::text)) @> liaison_term_grams(UPPER({term}))"


class Holds(_TermCondition):
    """The upper-cased column contains the upper-cased term: what `icontains` means (its LIKE
    pattern escapes the wildcards), in a form the trigram indexes do not offer to serve (for a
    term of one or two characters they would return every row, and the planner, misled by their
    estimate, would prefer them to the gram indexes)."""

    condition = "strpos(UPPER(({column})::text), UPPER({term})) > 0"


def _gram_halves(columns: tuple[str, ...], term: str) -> tuple[Q, Q]:
    """PostgreSQL: "any column holds the term" and "any column's grams hold the term's"."""
    holds = Q(*[Holds(F(column), Value(term)) for column in columns], _connector=Q.OR)
    return holds, Q(*[HasGrams(F(column), Value(term)) for column in columns], _connector=Q.OR)


def contains(columns: tuple[str, ...], term: str) -> Q:
    """Any of `columns` contains `term`, case-insensitively (`icontains`).

    On PostgreSQL a term of any length is found through the gram indexes: "any column
    holds the term AND any column's grams hold the term's". The planner makes the second half one
    bitmap of index probes, and checks the first on the rows it found only (each column that
    holds the term has its grams, so the two together mean exactly the first).
    """
    if _grams():
        holds, grams = _gram_halves(columns, term)
        return holds & grams
    return Q(*[Q(**{f"{column}__icontains": term}) for column in columns], _connector=Q.OR)


def _sources(user: User, term: str) -> tuple[Q, QuerySet, QuerySet, QuerySet]:
    """The four places a term is looked for: the complaint's own columns (a condition), and the
    matching enterprises, case numbers and visible messages (querysets of ids)."""
    enterprises = Enterprise.objects.filter(contains(("name",), term) | Q(credit_code=term.upper())).order_by()
    numbers = ComplaintCaseNumber.objects.filter(contains(("number",), term)).order_by()
    messages = ComplaintMessage.objects.filter(visible_message_filter(user), contains(("body",), term)).order_by()
    return (
        contains(TEXT_COLUMNS, term),
        enterprises.values_list("pk", flat=True),
        numbers.values_list("complaint_id", flat=True),
        messages.values_list("complaint_id", flat=True),
    )


def matching_complaint_ids(user: User, term: str) -> QuerySet:
    """The ids of complaints whose text, enterprise, case numbers or visible messages contain `term`
    (a subquery, unscoped: the caller restricts its own scoped queryset with it)."""
    own, enterprises, numbers, messages = _sources(user, term)
    sources = [
        Complaint.objects.filter(own).order_by().values_list("pk", flat=True),
        Complaint.objects.filter(enterprise__in=enterprises).order_by().values_list("pk", flat=True),
        numbers,
        messages,
    ]
    return sources[0].union(*sources[1:])


# The places a term is looked for, in the order the first read tags them (`first_matches`).
OWN, ENTERPRISE, NUMBERS, MESSAGES = range(4)


def first_matches(user: User, term: str, first: int) -> dict[int, list[int]]:
    """PostgreSQL: at most `first` ids of matching complaints from each source, as they are found
    (unscoped), by source (`OWN`, `ENTERPRISE`, `NUMBERS`, `MESSAGES`; a source that found
    nothing is left out). A source that found `first` may have more; one that found fewer is
    complete. One query; each source stops at `first`, so PostgreSQL reads them in one process
    rather than starting parallel workers for them all."""
    own, enterprises, numbers, messages = _sources(user, term)
    sources = [
        (Complaint.objects.filter(own).order_by(), "pk"),
        (Complaint.objects.filter(enterprise__in=enterprises).order_by(), "pk"),
        (numbers, "complaint_id"),
        (messages, "complaint_id"),
    ]
    tagged = [
        rows.values_list(column, Value(tag, output_field=IntegerField()))[:first]
        for tag, (rows, column) in enumerate(sources)
    ]
    found: dict[int, list[int]] = {}
    for pk, tag in tagged[0].union(*tagged[1:], all=True):
        found.setdefault(tag, []).append(pk)
    return found


class InArray(Func):
    """PostgreSQL: `column = ANY(ARRAY(subquery))`. The subquery runs once per query, and unlike
    `IN (subquery)` the condition can be a branch of a bitmap OR over indexes."""

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)


def gram_condition(user: User, term: str, *, scanned: bool, found: dict[int, list[int]], complete: int) -> Q:
    """PostgreSQL, a term with many matches: the whole search as one condition on the complaint
    table, "(any column's grams hold the term's, or it is found elsewhere) AND (any column holds
    the term, or it is found elsewhere)". The first half is one bitmap OR of index probes (the
    gram indexes, and the primary key and enterprise ones for the ids found elsewhere); the second
    checks the rows it found, the ids found elsewhere in a hash. The two mean exactly the second,
    as each column that holds the term has its grams.

    "Elsewhere" is the enterprise, case numbers and messages: a source the first read found
    complete (fewer than `complete` ids, `first_matches`) is its list of complaint ids, so the
    condition holds no subquery to compile and plan (none at all for a term found in the
    complaints' own text only, as most are); a source with more is its subquery, as it was.

    A term in most complaints (one character such as 企) is the exception, `scanned` (see
    `scans_for_grams`): PostgreSQL reads the whole table for it and would work out every row's
    grams, so only the second half is kept.
    """
    _own, enterprises, numbers, messages = _sources(user, term)
    holds, grams = _gram_halves(TEXT_COLUMNS, term)
    listed = sorted(
        {pk for tag in (ENTERPRISE, NUMBERS, MESSAGES) for pk in found.get(tag, ()) if len(found[tag]) < complete}
    )
    probes, hashed = Q(), Q()
    if listed:
        probes |= Q(pk__in=listed)
        hashed |= Q(pk__in=listed)
    for tag, subquery, column in (
        (ENTERPRISE, enterprises, "enterprise_id"),
        (NUMBERS, numbers, "pk"),
        (MESSAGES, messages, "pk"),
    ):
        if len(found.get(tag, ())) >= complete:
            probes |= Q(InArray(F(column), Subquery(subquery)))
            hashed |= Q(**{f"{column}__in": subquery})
    if scanned:
        return holds | hashed
    return (grams | probes) & (holds | hashed)


def scans_for_grams(term: str) -> bool:
    """Whether PostgreSQL would read the whole complaint table to find the complaints whose grams
    hold the term's, rather than the gram indexes (its estimate, from the statistics ANALYZE keeps
    on the indexes' expressions): true for a term in most complaints."""
    _holds, grams = _gram_halves(TEXT_COLUMNS, term)
    sql, params = Complaint.objects.filter(grams).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return any("Seq Scan" in line for (line,) in cursor.fetchall())


# SQLite: up to this many matches the ids are read first (one query) and the list filters on them;
# more, and the list keeps the search as a subquery.
MATERIALIZED_MATCHES = 20_000

# On PostgreSQL, a term with more matches than this (one complaint in a hundred at 100,000)
# is searched inline (`gram_condition`): the newest matches are near the top of the list's index,
# and the count reads one bitmap of the gram indexes, cheaper than a list of the ids. With fewer,
# their ids are read first (the rows as they come, the search stops at this many).
INLINE_MATCHES = 1_000
# The first read takes at most this many ids from each source (`first_matches`): a source that
# found fewer is complete, and enters the inline condition as its list of ids.
FIRST_READ = INLINE_MATCHES + 1


def complaint_search(queryset: QuerySet[Complaint], user: User, term: str) -> QuerySet[Complaint]:
    """`queryset` (already scoped) narrowed to the complaints matching `term`; blank terms change nothing.

    The matching ids are read first: given the subquery, PostgreSQL cannot tell how few rows it
    yields and joins the whole scoped table with the list's related tables before filtering.
    On PostgreSQL a term with many matches is the exception (`INLINE_MATCHES`).
    """
    term = term.strip()
    if not term:
        return queryset
    if _grams():
        # Both asked every time, so that the list runs the same queries whatever it finds.
        scanned = scans_for_grams(term)
        found = first_matches(user, term, FIRST_READ)
        ids = {pk for pks in found.values() for pk in pks}
        if len(ids) > INLINE_MATCHES or any(len(pks) >= FIRST_READ for pks in found.values()):
            return queryset.filter(gram_condition(user, term, scanned=scanned, found=found, complete=FIRST_READ))
        return queryset.filter(pk__in=sorted(ids))
    matches = matching_complaint_ids(user, term)
    ids = list(matches[: MATERIALIZED_MATCHES + 1])
    return queryset.filter(pk__in=ids if len(ids) <= MATERIALIZED_MATCHES else matches)


@contextmanager
def search_planning(using: str = "default", *, capped: bool = True, written_joins: bool = True) -> Iterator[None]:
    """Where a searched list is counted and its page read (the API list, the HTML list): on
    PostgreSQL one transaction that tells the planner two things for it (`set_config(…, true)`,
    one statement; three with the transaction's own):

    - `join_collapse_limit = 1` (`written_joins`, the API list): join the page's related rows in
      the order written, the complaints first. Looking for the cheapest order of the API page's
      seven joins, with the search's condition on the complaints, took most of its planning
      (6–12 ms at 100,000 complaints, against about 1 ms in the written order, the plan it chose
      anyway: the complaints along an index, each joined by its primary keys). Not for the HTML
      list: its page reads the rows whose ids a subquery reads first, a semi-join that the written
      order would put last (77 → 141 ms at 100,000 complaints).
    - `max_parallel_workers_per_gather = 0` when the count is `capped`: for a couple of thousand
      rows, starting workers costs more than they save (货款 at 100,000 complaints, 12,500
      matches: 28–30 ms with two workers, 8.5–11.5 ms in one process), and the planner, which
      costs the whole bitmap of matches before the LIMIT, would start them.

    Called within a transaction already (a test, a request run in one), the settings would last
    until that one ends: they are put back as they were on the way out (one statement more).
    Elsewhere (SQLite) nothing changes.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    settings = {
        **({"join_collapse_limit": "1"} if written_joins else {}),
        **({"max_parallel_workers_per_gather": "0"} if capped else {}),
    }
    if not settings:
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            # current_setting is read before set_config changes it (left to right).
            cursor.execute(
                "SELECT " + ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in settings),
                [part for name, value in settings.items() for part in (name, name, value)],
            )
            before = cursor.fetchone()[::2]
        yield
        if nested:  # (after an error the savepoint's rollback puts them back)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings),
                    [part for name, value in zip(settings, before) for part in (name, value)],
                )


def _complaints(user: User, term: str) -> QuerySet[Complaint]:
    from .selectors import complaint_scope

    return (
        complaint_search(complaint_scope(user), user, term).select_related("enterprise").order_by("-created_at", "-id")
    )


def register_sources() -> None:
    """The complaints on the search page (`liaison.search`)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from liaison.search import Hit, Source, register_source

    register_source(
        Source(
            key="complaints",
            label=_("涉企诉求"),
            search=_complaints,
            hit=lambda c: Hit(
                f"{c.serial} {c.title}",
                reverse("cases:complaint_detail", args=[c.pk]),
                f"{c.enterprise.name} · {c.get_status_display()}",
            ),
        )
    )
