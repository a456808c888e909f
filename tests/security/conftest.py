"""Fixtures of tests/cases (the complaint cast) and tests/mediation (the roster), shared with the
security tests; uploads go to a temporary folder."""

import pytest

from tests.cases.conftest import cast  # noqa: F401
from tests.mediation.conftest import roster  # noqa: F401


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
