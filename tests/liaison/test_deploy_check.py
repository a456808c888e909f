"""Production settings: `check --deploy` is clean, and a missing SECRET_KEY stops the process.

Each check runs `manage.py` in a fresh interpreter, because settings are read once at import.
The environment is built from scratch: pytest.ini (pytest-env) puts test-only values such as
SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0 into os.environ, and CI sets DATABASE_URL and
REDIS_URL; none of them may leak into the production values checked here.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Only what the interpreter itself needs from the calling environment.
PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSTHROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="liaison.settings",
        PYTHONDONTWRITEBYTECODE="1",
        DEBUG="0",
        # 86 URL-safe characters: long and varied enough for security.W009.
        SECRET_KEY=secrets.token_urlsafe(64),
        AUDIT_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="liaison.example.cn",
        CSRF_TRUSTED_ORIGINS="https://liaison.example.cn",
        SITE_URL="https://liaison.example.cn",
        SECURE_SSL_REDIRECT="1",
        SECURE_COOKIES="1",
        BEHIND_PROXY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        # Never contacted by `check`; set so settings take the production (Redis) branch.
        REDIS_URL="redis://127.0.0.1:6379/0",
        LIAISON_VAR_DIR=str(tmp_path),
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_deploy_reports_no_issues_with_production_values(tmp_path: Path) -> None:
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    output = f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output


def test_check_deploy_warns_without_an_audit_key(tmp_path: Path) -> None:
    result = manage(production_env(tmp_path, AUDIT_KEY=None), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "liaison.W101" in result.stderr + result.stdout


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_secret_key(tmp_path: Path, secret_key: str | None) -> None:
    # No extra variable is needed: DEBUG=0 alone makes the key mandatory.
    result = manage(production_env(tmp_path, SECRET_KEY=secret_key), "check")

    output = f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode != 0, output
    assert "ImproperlyConfigured" in result.stderr, output
    assert "SECRET_KEY must be set in production" in result.stderr, output


def test_the_demo_key_is_used_only_with_debug_on(tmp_path: Path) -> None:
    """The counterpart: DEBUG=1 (make demo) starts without a key, with the demo's."""
    env = production_env(tmp_path, SECRET_KEY=None, DEBUG="1")
    result = manage(env, "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")

    assert result.returncode == 0, result.stderr
    assert "insecure-development-key" in result.stdout


ENV_EXAMPLE_KEY = next(
    line.split("=", 1)[1] for line in (REPO / ".env.example").read_text().splitlines() if line.startswith("SECRET_KEY=")
)


@pytest.mark.parametrize(
    ("secret_key", "check_id"),
    [
        (ENV_EXAMPLE_KEY, "liaison.E001"),
        ("insecure-development-key-only-for-the-embedded-demo", "liaison.E001"),
        ("collectstatic-only-not-a-real-key", "liaison.E001"),
        ("Zq8", "liaison.E002"),
        ("a" * 80, "liaison.E002"),
    ],
    ids=["env-example", "demo-key", "image-build-key", "short", "uniform"],
)
def test_check_deploy_refuses_placeholder_keys(tmp_path: Path, secret_key: str, check_id: str) -> None:
    result = manage(production_env(tmp_path, SECRET_KEY=secret_key), "check", "--deploy")

    output = f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode != 0, output
    assert check_id in result.stderr, output
