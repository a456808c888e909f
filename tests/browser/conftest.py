"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Every test in this directory is marked `browser`. Without /usr/bin/chromium they are
skipped, unless REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
The browser is installed with `apt-get install -y chromium fonts-noto-cjk`; Playwright's
own download (`playwright install`) does not work here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo-pass-2026"
BROWSER_DIR = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_DIR.parents[1]
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip() == "1"


def missing_browser_reason() -> str:
    return (
        f"{CHROMIUM} not found: install it with `apt-get install -y chromium fonts-noto-cjk` "
        "(playwright install cannot download browsers here)"
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of this directory `browser`; skip them if there is no Chromium."""
    skip = None
    if not CHROMIUM.exists() and not browser_required():
        skip = pytest.mark.skip(reason=missing_browser_reason())
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if skip is not None:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, with Debian's Chromium instead of a downloaded one."""
    if not CHROMIUM.exists():
        # Only reached when REQUIRE_BROWSER=1: otherwise the tests were skipped at collection.
        pytest.fail(f"REQUIRE_BROWSER=1 but {missing_browser_reason()}", pytrace=False)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Browse as our users do: a Chinese browser in China."""
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture
def artifacts_dir() -> Path:
    """Where screenshots go: tests/artifacts/ at the repository root (ignored by git)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def demo_data(transactional_db) -> None:
    """The demo institutions and users, committed so that the live server sees them."""
    from liaison.demo import loader

    loader.load()


def log_in(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and wait for the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
