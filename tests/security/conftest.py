"""Security fixtures: one app behind a Sender for each module."""

import pytest

from hostile_corpus import Sender


@pytest.fixture(scope="module")
def sender() -> Sender:
    """Return a Sender over one app for the module (the corpus is long; one app keeps it fast)."""
    return Sender()


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test of tens of seconds (CI runs it; deselect with -m 'not slow')")
