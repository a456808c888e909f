"""Readiness: may this host take traffic? Each dependency answers within a short timeout.

``/health/`` stays a cheap liveness check (one ``SELECT 1``); ``/health/ready/`` also asks the
replica, Redis and the file storage, so a load balancer takes a host out while one of them is
unreachable from it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections

logger = logging.getLogger(__name__)


def _database(alias: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _redis() -> str:
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    return "ok"


def _storage() -> str:
    # A missing probe name is a normal answer: it proves the folder or bucket is reachable.
    default_storage.exists("readiness-probe")
    return "ok"


def readiness_checks() -> dict[str, str]:
    """``{"database": "ok", "redis": "error", ...}`` for every dependency this host is set up with."""
    checks = {"database": lambda: _database("default"), "storage": _storage}
    if "replica" in settings.DATABASES:
        checks["replica"] = lambda: _database("replica")
    if settings.REDIS_URL:
        checks["redis"] = _redis
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception:  # noqa: BLE001 - any failure makes the host not ready
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = "error"
    return results
