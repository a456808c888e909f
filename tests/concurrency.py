"""Helpers for race tests on PostgreSQL: a fixture that needs it, and jobs started at one moment."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("these tests need PostgreSQL (DATABASE_URL)")
        pytest.skip("row locks and concurrent transactions need PostgreSQL (set DATABASE_URL)")


def run_together(*jobs):
    """Start the jobs at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each job raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
