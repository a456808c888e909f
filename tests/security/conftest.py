"""The complaint cast of tests/cases, shared with the security tests."""
from tests.cases.conftest import cast  # noqa: F401
