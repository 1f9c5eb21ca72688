"""Shared fixtures. Every test runs offline with its own data folder.

Fixture modules of each package live beside this file (``conftest_intent``, ``conftest_catalog``,
``conftest_chatbot``, ``conftest_pg`` for the PostgreSQL server) and are re-exported here.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point SHOPGUIDE_HOME at a throwaway folder so no test touches the user's data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SHOPGUIDE_HOME", str(home))
    monkeypatch.delenv("SHOPGUIDE_STAFF_PASSWORD", raising=False)
    monkeypatch.delenv("SHOPGUIDE_STAFF_USER", raising=False)
    # Model hubs are unreachable here; make transformers fail fast instead of retrying.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return home


# Fixture modules of the packages (each owns its fakes and tiny data sets).
pytest_plugins = ["conftest_intent", "conftest_catalog", "conftest_chatbot", "conftest_reliability", "conftest_pg"]
