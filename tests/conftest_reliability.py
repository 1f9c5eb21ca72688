"""Reliability fixtures: a prepared data folder, live servers as subprocesses, raw HTTP to the Gradio API.

Fixtures:

- ``rel_home`` (session): a SHOPGUIDE_HOME with the default intent model and product index already built
  (``Services(settings).warm_up()`` once), so each server start only loads them. Built in its own temp
  folder (not the per-test home of ``tests/conftest.py``); pass it to subprocesses explicitly. Set
  ``SHOPGUIDE_TEST_PREBUILT_HOME`` to a folder holding ``models/`` and ``index/`` to copy them instead of
  building (saves minutes when iterating locally).
- ``rel_server`` (session): one live ``python app.py`` on a free port with its own database, shared by the
  live bad-input and load tests (each test uses its own session ids).
- ``rel_servers`` (function): a factory ``rel_servers(db=..., home=...) -> LiveServer`` (started and ready);
  every server it started is stopped when the test ends, whatever happens.
- ``rel_service`` (function): a real :class:`~chatbot.service.chat.ChatService` over a fresh SQLite file with a
  fixed-score fake intent model and the 12-product catalog of ``conftest_catalog`` (fast: no real encoder).

Helpers: ``LiveServer``, ``run_shoppers``, ``check_stored``, ``chat_once`` (from ``benchmarks/load_bench.py``),
``raw_call`` (POST raw bytes to ``/gradio_api/call/<api>`` and read the event stream), ``user_rows``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_bench_module():
    name = "shopguide_load_bench"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "load_bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


load_bench = _load_bench_module()
LiveServer = load_bench.LiveServer
run_shoppers = load_bench.run_shoppers
check_stored = load_bench.check_stored
chat_once = load_bench.chat_once
free_port = load_bench.free_port

__all__ = ["rel_home", "rel_server", "rel_servers", "rel_service", "LiveServer", "run_shoppers",
           "check_stored", "chat_once", "raw_call", "user_rows", "FixedIntentModel", "load_bench"]

PREBUILT_ENV = "SHOPGUIDE_TEST_PREBUILT_HOME"
SERVER_START_TIMEOUT = 240.0


# ------------------------------------------------------------------------------------------------------
# Data folder and servers
# ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def rel_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SHOPGUIDE_HOME with the default model and index built (once per test session)."""
    home = tmp_path_factory.mktemp("rel-home")
    prebuilt = os.environ.get(PREBUILT_ENV)
    if prebuilt:
        for sub in ("models", "index"):
            if (Path(prebuilt) / sub).is_dir():
                shutil.copytree(Path(prebuilt) / sub, home / sub)
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    services = Services(Settings(home=home))
    services.warm_up(progress=False)  # loads what was copied; builds whatever is missing or stale
    services.store.close()
    (home / "shopguide.db").unlink(missing_ok=True)  # servers get their own --db
    for suffix in ("-wal", "-shm"):
        (home / f"shopguide.db{suffix}").unlink(missing_ok=True)
    return home


@pytest.fixture(scope="session")
def rel_server(rel_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One live server for the whole test session (its own database)."""
    folder = tmp_path_factory.mktemp("rel-server")
    server = LiveServer(db=folder / "shared.db", home=rel_home, log_path=folder / "server.log")
    try:
        server.start(timeout=SERVER_START_TIMEOUT)
        yield server
    finally:
        server.stop()


@pytest.fixture
def rel_servers(rel_home: Path, tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Factory of live servers, all stopped at the end of the test."""
    started: list[LiveServer] = []

    def start(db: Path | None = None, *, home: Path | None = None, timeout: float = SERVER_START_TIMEOUT,
              wait: bool = True, **kw: Any) -> LiveServer:
        db = db or tmp_path / "server.db"
        server = LiveServer(db=db, home=home or rel_home, log_path=tmp_path / f"server-{len(started)}.log", **kw)
        started.append(server)
        if wait:
            server.start(timeout=timeout)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


# ------------------------------------------------------------------------------------------------------
# A fast real ChatService (fake intent model, tiny catalog)
# ------------------------------------------------------------------------------------------------------
class FixedIntentModel:
    """Intent-model stand-in: the same P(buy) for every text (records what it was asked)."""

    version = "fixed-0.5"

    def __init__(self, score: float = 0.5) -> None:
        self.value = score
        self.seen: list[str] = []

    def score(self, text: str) -> float:
        self.seen.append(text)
        return self.value

    def predict(self, texts):
        """``ready`` with probability ``value``, else ``browse``: P(buy) is ``value`` for every text."""
        from intent.stages import StagePrediction

        self.seen.extend(texts)
        return [StagePrediction.from_probs([1 - self.value, 0.0, self.value, 0.0]) for _ in texts]


@pytest.fixture
def rel_service(tmp_path: Path):
    """A real ChatService with a real Store in ``tmp_path``, a fixed intent model and the tiny catalog."""
    from conftest_catalog import FakeEncoder, tiny_products

    from catalog.engine import CatalogEngine
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in tiny_products()),
                    encoding="utf-8")
    engine = CatalogEngine.open(path, tmp_path / "index", FakeEncoder())
    services = Services(Settings(home=tmp_path, catalog_path=path), intent_model=FixedIntentModel(),
                        engine=engine)
    try:
        yield services.chat
    finally:
        services.store.close()


# ------------------------------------------------------------------------------------------------------
# Raw HTTP and database helpers
# ------------------------------------------------------------------------------------------------------
def raw_call(url: str, api: str, body: bytes, *, timeout: float = 120.0) -> tuple[int, dict]:
    """POST ``body`` (raw bytes, sent as JSON) to ``/gradio_api/call/<api>`` and read the result stream.

    Returns ``(status of the POST, {"event": ..., "data": ...})``; for a rejected POST the second item is
    ``{"event": "rejected", "data": <response text>}``.
    """
    import httpx

    base = url.rstrip("/")
    with httpx.Client(timeout=timeout) as http:
        r = http.post(f"{base}/gradio_api/call/{api}", content=body,
                      headers={"content-type": "application/json"})
        if r.status_code != 200:
            return r.status_code, {"event": "rejected", "data": r.text}
        event_id = r.json()["event_id"]
        event, data = None, None
        with http.stream("GET", f"{base}/gradio_api/call/{api}/{event_id}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    raw = line.split(":", 1)[1].strip()
                    try:
                        data = json.loads(raw)
                    except json.JSONDecodeError:
                        data = raw
                    if event in ("complete", "error"):
                        break
        return r.status_code, {"event": event, "data": data}


def user_rows(db: Path, session_id: str) -> list[dict]:
    """The user messages of a session as stored (``text`` restored from ``text_raw`` when set)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in conn.execute(
            "SELECT * FROM messages WHERE session_id = ? AND role = 'user' ORDER BY id", (session_id,))]
    finally:
        conn.close()
    for row in rows:
        row["original"] = load_bench._original(row["text"], row.get("text_raw"))
    return rows
