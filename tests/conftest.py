"""Shared fixtures: a TestClient over a fresh app, and the seeds' worked examples as queries."""

import pytest
from fastapi.testclient import TestClient

from chainrule.app.main import create_app


@pytest.fixture
def client() -> TestClient:
    """Return a TestClient of a new app (real engine, real Graphviz)."""
    return TestClient(create_app())
