"""The cache is Redis when there is one (shared by every worker: the public column's rate limit holds
across processes), the per-process memory cache otherwise (the embedded demo, tests without Redis)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.test import override_settings

from reports import public

from .test_celery_worker import redis_url

SHOW = "from django.conf import settings; import json; print(json.dumps(settings.CACHES['default']))"


def _settings_in_a_process(**env: str) -> dict:
    values = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_REDIS_URL")}
    values.update(env, DJANGO_SETTINGS_MODULE="liaison.settings")
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        env=values,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_cache_follows_the_environment():
    assert _settings_in_a_process()["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    redis_cache = _settings_in_a_process(REDIS_URL="redis://redis.example:6379/0")
    assert redis_cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis_cache["LOCATION"] == "redis://redis.example:6379/0"
    own = _settings_in_a_process(REDIS_URL="redis://redis.example:6379/0", CACHE_REDIS_URL="redis://cache:6379/3")
    assert own["LOCATION"] == "redis://cache:6379/3"


def test_the_public_rate_limit_holds_across_processes():
    url = redis_url()
    if not url:
        pytest.skip("needs Redis (REDIS_URL)")
    address = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"
    limit = 3
    env = {
        **os.environ,
        "REDIS_URL": url,
        "PUBLIC_PAGE_RATE_LIMIT": str(limit),
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }
    env.pop("CACHE_REDIS_URL", None)
    script = (
        "import django; django.setup(); from reports import public; "
        f"print([public.over_rate_limit({address!r}) for _ in range({limit})])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip().splitlines()[-1] == "[False, False, False]"  # the other worker's own count
    shared = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "liaison"}
    }
    with override_settings(CACHES=shared, PUBLIC_PAGE_RATE_LIMIT=limit):
        # This process sees the other's count (keys expire after a minute, the address is unique).
        assert public.over_rate_limit(address)
        assert not public.over_rate_limit(address + "-other")
