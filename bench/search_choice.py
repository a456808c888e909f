"""How the complaint search performs with and without its indexes (the trigram indexes of
`cases/0005`, the character and bigram indexes of `cases/0011`), for terms of six, four, two and
one characters: the figures behind the choice written in `SEARCH.md`.

    .venv/bin/python bench/search_choice.py                # on the 100,000-complaint bench database
    .venv/bin/python bench/search_choice.py --database-url postgres://…/liaison_bench_100000

The search (`cases.search.complaint_search` through the list's filter, the complaints of one
user's scope, first page and count as the list runs them) is timed with the indexes, then again
inside a transaction that drops them all and is rolled back.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time

from harness import setup

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench_100000"
TERMS = ("企业0420", "拖欠货款", "货款", "机械", "货", "鑫源")


def timed(run, repeat: int) -> float:
    run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SEARCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection, transaction

    from cases.filters import ComplaintFilter
    from cases.selectors import complaint_list
    from liaison.models import User

    indexes = [
        *importlib.import_module("cases.migrations.0005_search_trigram_indexes").INDEXES,
        *importlib.import_module("cases.migrations.0011_search_gram_indexes").INDEXES,
    ]
    user = User.objects.get(username="fed_staff")
    total = complaint_list(user=user).count()

    def search(term: str):
        def run() -> int:
            rows = ComplaintFilter({"q": term}, queryset=complaint_list(user=user), user=user).qs
            list(rows[:50])
            return rows.count()

        return run

    print(f"{total} complaints in scope; medians of {args.repeat} runs (first page of 50 and the count)\n")
    print(f"{'term':<12}{'characters':>11}{'matches':>9}{'GIN indexes':>14}{'no index':>12}")
    with_index = {term: (search(term)(), timed(search(term), args.repeat)) for term in TERMS}
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        without = {term: timed(search(term), args.repeat) for term in TERMS}
        transaction.set_rollback(True)
    for term in TERMS:
        matches, indexed = with_index[term]
        print(f"{term:<12}{len(term):>11}{matches:>9}{indexed:>11.1f} ms{without[term]:>9.1f} ms")


if __name__ == "__main__":
    main()
