"""The session store: one SQLite file (WAL mode, through sqlite-utils) or a PostgreSQL database (psycopg 3).

``Store(path)`` opens a SQLite file (the default); ``Store("postgresql://user@host/db")`` (or ``postgres://``)
a PostgreSQL database (``chatbot.service.store_pg``). Both have the same tables and columns, made by the same
migrations (``chatbot.service.store_schema``, recorded in ``_sqlite_migrations``), and every method returns the
same dicts on both: one implementation of the store's logic, in SQL both dialects run (``?`` parameters,
``INSERT ... RETURNING id``, ``ON CONFLICT DO NOTHING``, ``NULLS LAST``).

Tables (schema pinned by ``tests/test_store.py`` and ``tests/test_store_pg.py``):

- ``sessions``: one row per shopper session: A/B ``arm`` (and whether it was ``forced`` by staff),
  ``experiment``, ``created``, ``user_agent``, ``source`` (web, api, simulator), the latest
  session-level intent and the intent model version.
- ``messages``: every turn, ``role`` user, assistant or staff (a person replying from the console), ``text``
  exactly as typed.
- ``intent_scores``: the P(buy) of each user message and the session score after it, with the message's and the
  session's stage distributions (``stage``/``stage_probs``, ``session_stage``/``session_probs``; migration 2).
- ``recommendations``: what was shown under a reply: rank, product, recommender, score and its parts.
- ``events``: impression, click, add_to_cart, purchase, remove — with the product price at the time.
- ``feedback``: likes/dislikes of shoppers on replies, and staff marks (good/bad) on recommendations.

Durability: every write is its own transaction (SQLite ``BEGIN IMMEDIATE``), committed before the call returns.
SQLite: WAL with ``synchronous=NORMAL``: a committed row survives a killed process (tested with SIGKILL); after a
power cut the last few commits may be lost but the file stays consistent. ``Store(path, synchronous="FULL")``
trades ~5 ms per write for durability across power cuts. PostgreSQL: the server's ``synchronous_commit`` (on by
default; ``"FULL"`` asks for it). Each thread gets its own connection, so one ``Store`` may be shared by the
Gradio worker threads; several processes may write the same database (SQLite locking with ``busy_timeout``;
PostgreSQL row locks).

Text that the database cannot hold (lone surrogates from a broken client; on PostgreSQL also NUL) is stored
with U+FFFD in ``text`` and losslessly in ``text_raw``: a JSON list of the code points (a JSON string would merge
a lone high + low surrogate into one character when read back; plain JSON strings are still read).

    store = Store(tmp_path / "shopguide.db")          # or Store("postgresql://shop@localhost/shopguide")
    store.ensure_session("s1", arm="intent")
    store.add_user_message("s1", "500以内的跑鞋", score=0.3, session_score=0.3)
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils
from sqlite_utils.migrations import Migrations

from chatbot.errors import InputError, StoreError
from chatbot.service.store_schema import (
    MIGRATION_SET,
    MIGRATIONS,
    WRITER_ONLY_MIGRATIONS,
    Column,
    Index,
    Step,
    Table,
)
from chatbot.settings import is_db_url

__all__ = ["Store", "EVENT_TYPES", "ROLES", "now"]

log = logging.getLogger(__name__)

EVENT_TYPES = ("impression", "click", "add_to_cart", "purchase", "remove")
ROLES = ("user", "assistant")
FEEDBACK_SOURCES = ("shopper", "staff")

migrations = Migrations(MIGRATION_SET)


def now() -> str:
    """UTC timestamp with microseconds, ISO 8601 (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _sqlite_step(db: sqlite_utils.Database, step: Step) -> None:
    """One schema step through sqlite-utils."""
    if isinstance(step, Table):
        db[step.name].create(dict(step.columns), pk=step.pk, foreign_keys=list(step.foreign_keys),
                             not_null=set(step.not_null) or None, defaults=dict(step.defaults) or None)
    elif isinstance(step, Index):
        db[step.table].create_index(list(step.columns))
    elif isinstance(step, Column):
        db[step.table].add_column(step.name, step.type)


def _sqlite_migration(name: str, doc: str) -> Any:
    """The sqlite-utils migration ``name``: the steps of ``MIGRATIONS[name]``."""
    def step(db: sqlite_utils.Database) -> None:
        for s in MIGRATIONS[name]:
            _sqlite_step(db, s)

    step.__name__ = step.__qualname__ = name
    step.__doc__ = doc
    return migrations(name=name)(step)


m001_initial = _sqlite_migration("m001_initial", "Sessions, messages, intent scores, recommendations, events, feedback.")
m002_stages = _sqlite_migration("m002_stages", "Purchase stages of each scored message and of the session.")
m003_orders = _sqlite_migration("m003_orders", "Reply actions and snapshots, the staff hand-off flag, orders.")
m004_writers = _sqlite_migration("m004_writers", "Who wrote each reply and the verifier's verdict.")
m005_turn_leases = _sqlite_migration("m005_turn_leases", "Which process answers a session's message now.")
m006_staffed = _sqlite_migration("m006_staffed", "When staff first took a session over.")


def _safe_text(text: str, *, nul_ok: bool = True) -> tuple[str, str | None]:
    """(text the database can store, lossless JSON escape when the text had unstorable characters): lone
    surrogates (no UTF-8 for them) and, where ``nul_ok`` is false (PostgreSQL), NUL."""
    try:
        text.encode("utf-8")
        if nul_ok or "\x00" not in text:
            return text, None
    except UnicodeEncodeError:
        pass
    shown = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF or c == "\x00" and not nul_ok else c for c in text)
    return shown, json.dumps([ord(c) for c in text])


_CART_EVENTS = "('add_to_cart', 'remove', 'purchase')"


def _cart_counts(events: Sequence[Sequence[str]]) -> dict[str, int]:
    """product id -> units in the cart after ``events`` = (product id, type), oldest first: each add_to_cart adds
    one, a remove takes one away, a purchase of the product empties its line (lines at 0 left out)."""
    counts: dict[str, int] = {}
    for pid, kind in events:
        if kind == "add_to_cart":
            counts[pid] = counts.get(pid, 0) + 1
        elif counts.get(pid):
            counts[pid] = 0 if kind == "purchase" else counts[pid] - 1
    return {p: n for p, n in counts.items() if n > 0}


def _raw_text(raw: str) -> str:
    """The original text from ``text_raw`` (a JSON list of code points, or a JSON string)."""
    value = json.loads(raw)
    return "".join(map(chr, value)) if isinstance(value, list) else value


def _stage_columns(probs: Mapping[str, float] | None) -> tuple[str | None, str | None]:
    """(most likely stage, JSON of the distribution) for the stage columns; (None, None) without one."""
    if not probs:
        return None, None
    clean = {str(k): round(float(v), 6) for k, v in probs.items()}
    return max(clean, key=clean.__getitem__), json.dumps(clean)


def _stage_probs(raw: str | None) -> dict[str, float] | None:
    return json.loads(raw) if raw else None


def _with_parts(rows: list[dict]) -> list[dict]:
    """Recommendation rows with ``parts`` decoded from JSON (in place)."""
    for row in rows:
        row["parts"] = json.loads(row["parts"] or "{}")
    return rows


def _insert(tx: Any, sql: str, params: Sequence[Any]) -> int:
    """Run one ``INSERT`` (inside the caller's transaction); the new row's id (``RETURNING id``, both backends)."""
    return int(tx.execute(sql + " RETURNING id", params).fetchall()[0][0])


class _Backend(Protocol):
    """What :class:`Store` needs of a database: SQLite here, PostgreSQL in ``chatbot.service.store_pg``."""

    kind: str
    label: str
    nul_ok: bool
    errors: tuple[type[BaseException], ...]
    hint: str

    def connection(self) -> Any: ...
    def write(self) -> contextlib.AbstractContextManager[Any]: ...
    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[dict]: ...
    def migrate(self) -> None: ...
    def check_readable(self) -> None: ...
    def describe(self, exc: BaseException) -> str: ...
    def applied(self) -> list[str]: ...
    def integrity_check(self) -> str: ...
    def close(self) -> None: ...


class _SqliteBackend:
    """A SQLite file in WAL mode: one sqlite3 connection per thread, wrapped in sqlite-utils."""

    kind = "sqlite"
    nul_ok = True
    errors = (sqlite3.DatabaseError,)
    hint = "check the path and permissions, or move the broken file away to start a new one"

    def __init__(self, path: Path, *, synchronous: str, read_only: bool, busy_timeout_ms: int) -> None:
        self.path = path
        self.label = str(path)
        self.synchronous = synchronous
        self.read_only = read_only
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._migrate_lock = threading.Lock()

    def describe(self, exc: BaseException) -> str:
        """An error's text for a message."""
        return str(exc)

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (created on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            # read-only: SQLite's own mode=ro, so not even a migration or a journal-mode switch can write
            target = self.path.resolve().as_uri() + "?mode=ro" if self.read_only else str(self.path)
            conn = sqlite3.connect(target, timeout=self.busy_timeout_ms / 1000, check_same_thread=False,
                                   uri=self.read_only)
            conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")
            db = sqlite_utils.Database(conn, execute_plugins=False)
            self._local.db = db
        return db

    def connection(self) -> sqlite3.Connection:
        return self.db.conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction, taking the write lock up front (no deadlock on upgrade)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[dict]:
        return list(self.db.query(sql, params))

    def migrate(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._migrate_lock:
            db = self.db
            db.conn.execute("PRAGMA journal_mode=WAL")
            # Under the write lock, so two processes starting at once do not both migrate.
            with self.write():
                migrations.apply(db)

    def check_readable(self) -> None:
        """A read-only store needs an existing shopguide database (nothing is created or migrated)."""
        if not self.path.is_file():
            raise StoreError(f"session database {self.path} does not exist", hint="pass the app's shopguide.db")
        try:
            missing = {"sessions", "messages", "events"} - set(self.db.table_names())
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"cannot read {self.path} as SQLite: {exc}") from None
        if missing:
            self.close()
            raise StoreError(f"{self.path} lacks the tables {sorted(missing)}",
                             hint="is this a shopguide session database?")

    def applied(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def integrity_check(self) -> str:
        return str(self.db.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


class Store:
    """Thread-safe access to the session database.

    ``Store(path)`` creates the SQLite file if needed and migrates it; ``Store(url)`` with a ``postgresql://``
    (or ``postgres://``) URL migrates that PostgreSQL database (under an advisory lock, so two processes starting
    at once do not both migrate). ``Store(..., read_only=True)`` opens an existing shopguide database for
    reading only (SQLite ``mode=ro``; PostgreSQL ``default_transaction_read_only``; nothing is created or
    migrated): a missing file or server, a file that is not SQLite or a database lacking the tables is a
    :class:`StoreError`, and so is a write.

    ``path``: the SQLite file, or the PostgreSQL URL with its password masked (for messages); ``url``: the URL
    (None for SQLite); ``backend``: ``"sqlite"`` or ``"postgresql"``.

        store = Store(tmp_path / "shopguide.db")
        store.ensure_session("s1", arm="intent")
        store.add_user_message("s1", "500以内的跑鞋", score=0.3, session_score=0.3)
    """

    busy_timeout_ms = 30_000

    def __init__(self, path: str | Path, *, synchronous: str = "NORMAL", read_only: bool = False) -> None:
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be NORMAL or FULL, got {synchronous!r}")
        self.synchronous = synchronous
        self.read_only = read_only
        self._backend: _Backend
        if is_db_url(path):
            from chatbot.service.store_pg import PgBackend  # psycopg: only when a URL is used

            self.url: str | None = str(path)
            self._backend = PgBackend(self.url, synchronous=synchronous, read_only=read_only,
                                      lock_timeout_ms=self.busy_timeout_ms)
            self.path: Path | str = self._backend.label
        else:
            self.url = None
            self.path = Path(path)
            self._backend = _SqliteBackend(self.path, synchronous=synchronous, read_only=read_only,
                                           busy_timeout_ms=self.busy_timeout_ms)
        self.backend = self._backend.kind
        if read_only:
            self._backend.check_readable()
            self._check_migrated()
            return
        try:
            self._backend.migrate()
        except self._backend.errors as exc:
            self.close()
            raise StoreError(f"cannot open the session database {self.path}: {self._backend.describe(exc)}",
                             hint=self._backend.hint) from None  # a PostgreSQL error may quote the URL

    def _check_migrated(self) -> None:
        """A read-only store is never migrated: one written by an older shopguide is refused, not misread."""
        try:
            done = set(self._backend.applied())
        except self._backend.errors as exc:
            self.close()
            raise StoreError(f"cannot read the migrations of {self.path}: {self._backend.describe(exc)}",
                             hint=self._backend.hint) from None
        missing = [name for name in MIGRATIONS if name not in done and name not in WRITER_ONLY_MIGRATIONS]
        if missing:
            self.close()
            raise StoreError(f"{self.path} was written by an older shopguide: migrations {', '.join(missing)} "
                             "are not applied", hint="start the app on it once (shopguide serve --db ...) to "
                             "migrate it; read-only commands never change a database")

    # --- connections -------------------------------------------------------------------------
    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's sqlite-utils view of a SQLite store (created on first use); a PostgreSQL store has none."""
        if not isinstance(self._backend, _SqliteBackend):
            raise StoreError(f"the session database {self.path} is PostgreSQL: Store.db is SQLite's",
                             hint="use Store.query or Store.conn (a psycopg connection)")
        return self._backend.db

    @property
    def conn(self) -> Any:
        """This thread's DB-API connection: a ``sqlite3.Connection`` or a ``psycopg.Connection`` (autocommit)."""
        return self._backend.connection()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        """One committed transaction; yields an object whose ``execute(sql, params)`` takes ``?`` parameters."""
        if self.read_only:
            raise StoreError(f"the session database {self.path} is open read-only")
        with self._backend.write() as tx:
            yield tx

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict]:
        """Read-only SQL, rows as dicts. Parameters as SQLite takes them (``?`` or ``:name``), on both backends."""
        return self._backend.query(sql, params)

    def close(self) -> None:
        """Close the connection (SQLite: this thread's; PostgreSQL: all of them). A later call reconnects."""
        self._backend.close()

    def _insert_message(self, tx: Any, session_id: str, role: str, text: str, lang: str | None, ts: str) -> int:
        """Insert one message row (inside the caller's transaction); its id."""
        stored, raw = _safe_text(text, nul_ok=self._backend.nul_ok)
        return _insert(tx, "INSERT INTO messages (session_id, role, text, text_raw, lang, created)"
                           " VALUES (?, ?, ?, ?, ?, ?)", (session_id, role, stored, raw, lang, ts))

    # --- sessions ----------------------------------------------------------------------------
    @staticmethod
    def new_session_id() -> str:
        return uuid.uuid4().hex

    def ensure_session(self, session_id: str, *, arm: str, forced: bool = False, experiment: str = "",
                       user_agent: str | None = None, source: str = "web") -> dict:
        """The session row, created with ``arm`` if new. An existing session keeps its arm (sticky)."""
        if not session_id or len(session_id) > 200:
            raise InputError(f"bad session id {session_id!r}", hint="use a short opaque string")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO sessions (id, arm, forced, experiment, created, last_active, user_agent, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (session_id, arm, int(forced), experiment, now(), now(), user_agent, source),
            )
        return self.session(session_id)  # type: ignore[return-value]

    def session(self, session_id: str) -> dict | None:
        rows = self.query("SELECT * FROM sessions WHERE id = ?", [session_id])
        return rows[0] if rows else None

    def force_arm(self, session_id: str, arm: str) -> None:
        """Staff override of a session's arm; marked ``forced`` (excluded from the analysis)."""
        with self._write() as conn:
            cur = conn.execute("UPDATE sessions SET arm = ?, forced = 1 WHERE id = ?", (arm, session_id))
            if cur.rowcount == 0:
                raise InputError(f"no session {session_id!r}")

    def sessions(self, *, limit: int = 50, offset: int = 0) -> list[dict]:
        """Most recent sessions first, with message and event counts."""
        return self.query(
            "SELECT s.*, (SELECT count(*) FROM messages m WHERE m.session_id = s.id AND m.role = 'user')"
            " AS user_messages, (SELECT count(*) FROM events e WHERE e.session_id = s.id"
            " AND e.type = 'purchase') AS purchases FROM sessions s"
            " ORDER BY s.last_active DESC NULLS LAST, s.id LIMIT ? OFFSET ?",
            [limit, offset],
        )

    # --- messages ----------------------------------------------------------------------------
    def add_user_message(self, session_id: str, text: str, *, score: float | None = None,
                         session_score: float | None = None, model_version: str | None = None,
                         lang: str | None = None, stage_probs: Mapping[str, float] | None = None,
                         session_probs: Mapping[str, float] | None = None) -> int:
        """Store a shopper message and its intent scores in one committed transaction; the message id.

        ``stage_probs`` / ``session_probs``: the message's and the session's stage distributions (stored as
        JSON, with the most likely stage in ``stage`` / ``session_stage``).
        """
        ts = now()
        with self._write() as conn:
            message_id = self._insert_message(conn, session_id, "user", text, lang, ts)
            if score is not None:
                conn.execute(
                    "INSERT INTO intent_scores (message_id, session_id, score, session_score,"
                    " model_version, created, stage, stage_probs, session_stage, session_probs)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (message_id, session_id, float(score),
                     None if session_score is None else float(session_score), model_version, ts,
                     *_stage_columns(stage_probs), *_stage_columns(session_probs)),
                )
                conn.execute(
                    "UPDATE sessions SET intent = ?, model_version = ?, last_active = ?, stage = ? WHERE id = ?",
                    (None if session_score is None else float(session_score), model_version, ts,
                     _stage_columns(session_probs)[0], session_id),
                )
            else:
                conn.execute("UPDATE sessions SET last_active = ? WHERE id = ?", (ts, session_id))
        return message_id

    def add_staff_message(self, session_id: str, text: str, *, lang: str | None = None) -> int:
        """Store a reply a member of staff wrote to the shopper (role ``staff``); the message id."""
        with self._write() as conn:
            return self._insert_message(conn, session_id, "staff", text, lang, now())

    def staff_messages(self, session_id: str) -> list[dict]:
        """The session's staff replies, oldest first: ``id``, ``text`` (as written), ``lang``, ``created``."""
        rows = self.query("SELECT id, text, text_raw, lang, created FROM messages WHERE session_id = ?"
                          " AND role = 'staff' ORDER BY id", [session_id])
        for row in rows:
            raw = row.pop("text_raw", None)
            if raw:
                row["text"] = _raw_text(raw)
        return rows

    def add_assistant_message(self, session_id: str, text: str, *, recommendations: Sequence[Mapping] = (),
                              prices: Mapping[str, float] | None = None, lang: str | None = None,
                              action: str | None = None, state: Mapping[str, Any] | None = None,
                              writer: str | None = None, writer_verdict: str | None = None,
                              writer_reason: str | None = None) -> int:
        """Store a reply with the products shown under it and one impression event per product.

        Each recommendation mapping has ``rank``, ``product_id``, ``recommender``, ``score`` and
        ``parts`` (a dict, stored as JSON). ``action``: the policy's action; ``state``: the conversation
        snapshot after the reply (JSON), from which the session resumes; ``writer`` / ``writer_verdict`` /
        ``writer_reason``: who wrote the text and whether the verifier let it through (migration 4).
        """
        ts = now()
        prices = prices or {}
        with self._write() as conn:
            message_id = self._insert_message(conn, session_id, "assistant", text, lang, ts)
            if action is not None or state is not None or writer is not None:
                conn.execute("UPDATE messages SET action = ?, state = ?, writer = ?, writer_verdict = ?,"
                             " writer_reason = ? WHERE id = ?",
                             (action, None if state is None else json.dumps(state, ensure_ascii=False), writer,
                              writer_verdict, writer_reason, message_id))
            for rec in recommendations:
                rec_id = _insert(
                    conn, "INSERT INTO recommendations (session_id, message_id, rank, product_id, recommender,"
                    " score, parts, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (session_id, message_id, int(rec["rank"]), str(rec["product_id"]),
                     rec.get("recommender"), float(rec.get("score", 0.0)),
                     json.dumps(rec.get("parts", {}), ensure_ascii=False), ts),
                )
                conn.execute(
                    "INSERT INTO events (session_id, product_id, type, price, recommendation_id, created)"
                    " VALUES (?, ?, 'impression', ?, ?, ?)",
                    (session_id, str(rec["product_id"]), prices.get(str(rec["product_id"])),
                     rec_id, ts),
                )
        return message_id

    def messages(self, session_id: str) -> list[dict]:
        """All turns of a session in order; ``text`` is the original (surrogates restored)."""
        rows = self.query("SELECT * FROM messages WHERE session_id = ? ORDER BY id", [session_id])
        for row in rows:
            if row.get("text_raw"):
                row["text"] = _raw_text(row["text_raw"])
        return rows

    def last_reply_id(self, session_id: str) -> int:
        """Id of the session's latest assistant reply; 0 for a session without one."""
        rows = self.query("SELECT max(id) AS m FROM messages WHERE session_id = ? AND role = 'assistant'",
                          [session_id])
        return int(rows[0]["m"] or 0)

    def last_message_id(self, session_id: str) -> int:
        """Id of the session's latest message (either role); 0 for a session without messages."""
        rows = self.query("SELECT max(id) AS m FROM messages WHERE session_id = ?", [session_id])
        return int(rows[0]["m"] or 0)

    def intent_scores(self, session_id: str) -> list[float]:
        """P(buy) of each scored user message of the session, in message order."""
        rows = self.query("SELECT score FROM intent_scores WHERE session_id = ? ORDER BY message_id",
                          [session_id])
        return [r["score"] for r in rows]

    def stage_timeline(self, session_id: str) -> list[dict]:
        """The session's scored messages and page events in time order, for the session-stage rule.

        Each item: ``kind`` ("message" or the event type), ``at`` (the stored UTC timestamp string) and, for
        messages, ``probs`` (the stage distribution; None for messages scored by a model without stages).
        Impressions are left out (they are what the guide did, not what the shopper did).
        """
        items = [{"kind": "message", "at": r["created"], "probs": _stage_probs(r["stage_probs"]), "_k": r["message_id"]}
                 for r in self.query("SELECT message_id, created, stage_probs FROM intent_scores WHERE session_id = ?"
                                     " ORDER BY message_id", [session_id])]
        items += [{"kind": r["type"], "at": r["created"], "probs": None, "_k": 0}
                  for r in self.query("SELECT type, created FROM events WHERE session_id = ? AND type != 'impression'"
                                      " ORDER BY id", [session_id])]
        items.sort(key=lambda r: (r["at"] or "", r["_k"]))
        for r in items:
            del r["_k"]
        return items

    # --- recommendations, events, feedback ---------------------------------------------------------
    def last_recommendations(self, session_id: str) -> list[dict]:
        """The products shown under the latest reply that had any, by rank."""
        return self.query(
            "SELECT * FROM recommendations WHERE session_id = ? AND message_id = (SELECT max(message_id)"
            " FROM recommendations WHERE session_id = ?) ORDER BY rank",
            [session_id, session_id],
        )

    def recommendations(self, session_id: str) -> list[dict]:
        """Everything shown in a session, by reply then rank; ``parts`` decoded from JSON."""
        return _with_parts(self.query(
            "SELECT * FROM recommendations WHERE session_id = ? ORDER BY message_id, rank", [session_id]))

    def recommendation(self, session_id: str, recommendation_id: int) -> dict | None:
        """One recommendation shown in the session (None when the id is not one of this session's)."""
        rows = _with_parts(self.query("SELECT * FROM recommendations WHERE id = ? AND session_id = ?",
                                      [int(recommendation_id), session_id]))
        return rows[0] if rows else None

    def last_recommendation_id(self, session_id: str, product_id: str) -> int | None:
        """Id of the latest recommendation of ``product_id`` in the session (None if never shown)."""
        rows = self.query("SELECT id FROM recommendations WHERE session_id = ? AND product_id = ?"
                          " ORDER BY id DESC LIMIT 1", [session_id, product_id])
        return rows[0]["id"] if rows else None

    def add_event(self, session_id: str, product_id: str, event_type: str, *, price: float | None = None,
                  recommendation_id: int | None = None) -> int:
        """Log a shopper event; unknown session or event type is an :class:`InputError`."""
        if event_type not in EVENT_TYPES:
            raise InputError(f"unknown event type {event_type!r}", hint=f"use one of {', '.join(EVENT_TYPES)}")
        if self.session(session_id) is None:
            raise InputError(f"no session {session_id!r}", hint="send a chat message first")
        with self._write() as conn:
            event_id = _insert(
                conn, "INSERT INTO events (session_id, product_id, type, price, recommendation_id, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, str(product_id), event_type, price, recommendation_id, now()),
            )
            conn.execute("UPDATE sessions SET last_active = ? WHERE id = ?", (now(), session_id))
        return event_id

    def events(self, session_id: str | None = None, event_type: str | None = None) -> list[dict]:
        where, params = [], []
        if session_id is not None:
            where.append("session_id = ?")
            params.append(session_id)
        if event_type is not None:
            where.append("type = ?")
            params.append(event_type)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return self.query(f"SELECT * FROM events{clause} ORDER BY id", params)

    def last_event_id(self, session_id: str) -> int:
        """Id of the session's latest shopper event (impressions left out); 0 without one."""
        rows = self.query("SELECT max(id) AS m FROM events WHERE session_id = ? AND type != 'impression'",
                          [session_id])
        return int(rows[0]["m"] or 0)

    def events_after(self, session_id: str, message_id: int) -> list[dict]:
        """The shopper events logged after message ``message_id`` was stored (impressions left out)."""
        rows = self.query("SELECT created FROM messages WHERE id = ?", [message_id])
        since = rows[0]["created"] if rows else ""
        return self.query("SELECT * FROM events WHERE session_id = ? AND type != 'impression' AND created > ?"
                          " ORDER BY id", [session_id, since or ""])

    # --- checkout and the staff hand-off ------------------------------------------------------------
    def add_order(self, session_id: str, lines: Sequence[Mapping[str, Any]]) -> dict:
        """Place an order: one ``orders`` row, its ``order_lines`` and one purchase event per line, in one
        transaction. Each line has ``product_id``, ``quantity`` and ``price`` (the catalog price per unit).
        The order as a dict (``id``, ``total``, ``items``, ``lines``).

        The cart is checked again inside the transaction, with the session locked (SQLite: the write lock;
        PostgreSQL: ``SELECT … FOR UPDATE`` on its row): of two checkouts of one cart at once — a double click
        reaching two app processes — one places the order and the other gets :class:`InputError`."""
        if not lines:
            raise InputError("the cart is empty: nothing to order", hint="add a product to the cart first")
        if self.session(session_id) is None:
            raise InputError(f"no session {session_id!r}", hint="send a chat message first")
        ts = now()
        total = round(sum(float(li["price"]) * int(li["quantity"]) for li in lines), 2)
        items = sum(int(li["quantity"]) for li in lines)
        with self._write() as conn:
            if self.backend == "postgresql":
                conn.execute("SELECT id FROM sessions WHERE id = ? FOR UPDATE", (session_id,))
            held = _cart_counts(conn.execute(f"SELECT product_id, type FROM events WHERE session_id = ?"
                                             f" AND type IN {_CART_EVENTS} ORDER BY id", (session_id,)).fetchall())
            short = [str(li["product_id"]) for li in lines if held.get(str(li["product_id"]), 0) < int(li["quantity"])]
            if short:
                raise InputError(f"no longer in the cart: {', '.join(short)} (ordered meanwhile?)",
                                 hint="reload the cart; an order placed a moment ago is under the session's orders")
            order_id = _insert(conn, "INSERT INTO orders (session_id, created, total, items, status)"
                               " VALUES (?, ?, ?, ?, ?)", (session_id, ts, total, items, "placed"))
            for li in lines:
                pid, qty, price = str(li["product_id"]), int(li["quantity"]), float(li["price"])
                conn.execute("INSERT INTO order_lines (order_id, product_id, quantity, price) VALUES (?, ?, ?, ?)",
                             (order_id, pid, qty, price))
                rec = conn.execute("SELECT id FROM recommendations WHERE session_id = ? AND product_id = ?"
                                   " ORDER BY id DESC LIMIT 1", (session_id, pid)).fetchone()
                conn.execute(
                    "INSERT INTO events (session_id, product_id, type, price, recommendation_id, created, order_id)"
                    " VALUES (?, ?, 'purchase', ?, ?, ?, ?)",
                    (session_id, pid, round(price * qty, 2), rec[0] if rec else None, ts, order_id))
            conn.execute("UPDATE sessions SET last_active = ? WHERE id = ?", (ts, session_id))
        return {"id": order_id, "session_id": session_id, "created": ts, "total": total, "items": items,
                "lines": [dict(li) for li in lines]}

    def order_count(self, session_id: str) -> int:
        """How many orders the session has placed (one cheap query, for every turn)."""
        return int(self.query("SELECT count(*) AS n FROM orders WHERE session_id = ?", [session_id])[0]["n"])

    def orders(self, session_id: str | None = None) -> list[dict]:
        """Orders (of one session, or all), oldest first, each with its ``lines``."""
        where, params = ("WHERE session_id = ?", [session_id]) if session_id is not None else ("", [])
        orders = self.query(f"SELECT * FROM orders {where} ORDER BY id", params)
        for o in orders:
            o["lines"] = self.query("SELECT product_id, quantity, price FROM order_lines WHERE order_id = ?"
                                    " ORDER BY id", [o["id"]])
        return orders

    def flag_help(self, session_id: str, topic: str | None) -> None:
        """Mark the session as needing staff (an after-sales question or a request for a person)."""
        with self._write() as conn:
            conn.execute("UPDATE sessions SET needs_help = 1, help_topic = ?, help_at = ? WHERE id = ?",
                         (topic, now(), session_id))

    def clear_help(self, session_id: str, staff_user: str | None = None) -> None:
        """Staff took the session over: clear its hand-off flag and record who and when."""
        with self._write() as conn:
            ts = now()
            conn.execute("UPDATE sessions SET needs_help = 0, taken_by = ?, taken_at = ?,"
                         " staffed_at = coalesce(staffed_at, ?) WHERE id = ?", (staff_user, ts, ts, session_id))

    def release(self, session_id: str) -> None:
        """Staff gave the session back to the guide: it answers again (who had it stays in the log)."""
        with self._write() as conn:
            conn.execute("UPDATE sessions SET taken_by = NULL, taken_at = NULL WHERE id = ?", (session_id,))

    def claim_turn(self, session_id: str, owner: str, ttl_s: float) -> bool:
        """Take the session's turn lease for ``owner`` for ``ttl_s`` seconds; False while another owner holds
        one that has not expired. One statement both backends run atomically (an upsert that only replaces an
        expired lease or the owner's own), so two processes never both get it; a process that died holding
        it loses it after ``ttl_s``."""
        t = time.time()
        with self._write() as conn:  # a row comes back only when this statement inserted or replaced the lease
            rows = conn.execute("INSERT INTO turn_leases (session_id, owner, expires) VALUES (?, ?, ?)"
                                " ON CONFLICT (session_id) DO UPDATE SET owner = excluded.owner,"
                                " expires = excluded.expires WHERE turn_leases.expires < ? OR turn_leases.owner = ?"
                                " RETURNING owner", (session_id, owner, t + ttl_s, t, owner)).fetchall()
        return bool(rows)

    def release_turn(self, session_id: str, owner: str) -> None:
        """Give the turn lease back (a no-op when ``owner`` no longer holds it)."""
        with self._write() as conn:
            conn.execute("DELETE FROM turn_leases WHERE session_id = ? AND owner = ?", (session_id, owner))

    def queue(self, *, limit: int = 50) -> list[dict]:
        """Sessions for staff to step into, most urgent first: ready shoppers with items in the cart, then
        sessions that asked for help, then by stage (ready, consider, service, browse) and recency.

        Each row: the session columns plus ``cart_items`` (units in the cart), ``orders``, ``user_messages``,
        ``last_message`` (the shopper's latest text), ``session_probs`` (the latest session stage distribution,
        a dict or None), ``waiting`` (the session is taken over and the shopper wrote since the person's
        last line) and ``priority`` (0 = most urgent: waiting, or ready with a cart).
        """
        rows = self.query(
            "SELECT s.*, (SELECT count(*) FROM messages m WHERE m.session_id = s.id AND m.role = 'user')"
            " AS user_messages, (SELECT count(*) FROM orders o WHERE o.session_id = s.id) AS orders,"
            " (SELECT text FROM messages m WHERE m.session_id = s.id AND m.role = 'user' ORDER BY m.id DESC"
            "  LIMIT 1) AS last_message,"
            " (SELECT session_probs FROM intent_scores i WHERE i.session_id = s.id ORDER BY i.id DESC LIMIT 1)"
            "  AS session_probs"
            # the window read is the most recent sessions, but every one that asked for help and every ready one
            # (where the carts are) comes first, so an old hand-off is never pushed out by newer browsing
            " FROM sessions s ORDER BY CASE WHEN s.needs_help = 1 THEN 0 WHEN s.stage = 'ready' THEN 1 ELSE 2 END,"
            " s.last_active DESC NULLS LAST, s.id LIMIT ?", [max(int(limit) * 4, 200)])
        carts = self._carts([r["id"] for r in rows])
        level = {"ready": 0, "consider": 1, "service": 2, "browse": 3}
        for r in rows:
            r["cart_items"] = sum(carts.get(r["id"], {}).values())
            r["session_probs"] = _stage_probs(r["session_probs"])
            r["waiting"] = bool(r.get("taken_by") and r.get("needs_help"))
            if r["waiting"] or (r.get("stage") == "ready" and r["cart_items"] > 0):
                r["priority"] = 0
            elif r.get("needs_help"):
                r["priority"] = 1
            else:
                r["priority"] = 2 + level.get(r.get("stage") or "", 4)
        # stable: most recent first within a priority; a shopper waiting for the person who has the chat first
        rows.sort(key=lambda r: (r["priority"], not r["waiting"]))
        return rows[:limit]

    def cart(self, session_id: str) -> list[dict]:
        """Products in the cart: added and not removed or bought since, with their counts."""
        counts = self._carts([session_id]).get(session_id, {})
        return [{"product_id": pid, "quantity": n} for pid, n in counts.items()]

    def _carts(self, session_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        """session id -> product id -> units in its cart (one query for all the sessions; :func:`_cart_counts`)."""
        out: dict[str, dict[str, int]] = {}
        ids = list(dict.fromkeys(session_ids))
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            by_session: dict[str, list[tuple[str, str]]] = {}
            for ev in self.query(f"SELECT session_id, product_id, type FROM events WHERE session_id IN ({marks})"
                                 f" AND type IN {_CART_EVENTS} ORDER BY id", chunk):
                by_session.setdefault(ev["session_id"], []).append((ev["product_id"], ev["type"]))
            out.update({sid: _cart_counts(evs) for sid, evs in by_session.items()})
        return out

    def add_feedback(self, session_id: str, rating: int, *, source: str = "shopper",
                     message_id: int | None = None, recommendation_id: int | None = None,
                     product_id: str | None = None, staff_user: str | None = None,
                     note: str | None = None) -> int:
        """A like (+1) or dislike (-1) from a shopper, or a staff good (+1) / bad (-1) mark."""
        if rating not in (-1, 1):
            raise InputError(f"rating must be +1 or -1, got {rating!r}")
        if source not in FEEDBACK_SOURCES:
            raise InputError(f"unknown feedback source {source!r}")
        with self._write() as conn:
            return _insert(
                conn, "INSERT INTO feedback (session_id, message_id, recommendation_id, product_id, rating,"
                " source, staff_user, note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, message_id, recommendation_id, product_id, rating, source, staff_user,
                 note, now()),
            )

    def feedback(self, session_id: str) -> list[dict]:
        """The session's shopper likes/dislikes and staff marks, oldest first."""
        return self.query("SELECT * FROM feedback WHERE session_id = ? ORDER BY id", [session_id])

    # --- views for staff and training --------------------------------------------------------------
    def turns(self, session_id: str) -> list[dict]:
        """Each user message with its intent scores, the recommendations shown in the reply to it, and the
        staff replies written after it (``staff``, a list of texts)."""
        msgs = self.messages(session_id)
        scores = {r["message_id"]: r for r in self.query(
            "SELECT * FROM intent_scores WHERE session_id = ?", [session_id])}
        recs: dict[int, list[dict]] = {}
        for r in self.recommendations(session_id):
            recs.setdefault(r["message_id"], []).append(r)
        out: list[dict] = []
        for m in msgs:
            if m["role"] == "assistant" and out and out[-1]["reply"] is None:
                out[-1]["action"] = m.get("action")
                out[-1]["state"] = json.loads(m["state"]) if m.get("state") else None
            if m["role"] == "user":
                s = scores.get(m["id"], {})
                out.append({"message_id": m["id"], "text": m["text"], "created": m["created"],
                            "score": s.get("score"), "session_score": s.get("session_score"),
                            "stage": s.get("stage"), "stage_probs": _stage_probs(s.get("stage_probs")),
                            "session_stage": s.get("session_stage"),
                            "session_probs": _stage_probs(s.get("session_probs")),
                            "reply": None, "recommendations": [], "action": None, "state": None, "staff": []})
            elif m["role"] == "staff":
                if out:
                    out[-1]["staff"].append(m["text"])
            elif out and out[-1]["reply"] is None:
                out[-1]["reply"] = m["text"]
                out[-1]["recommendations"] = recs.get(m["id"], [])
        return out

    def writer_stats(self, since: str | datetime | None = None) -> list[dict]:
        """Replies per writer (migration 4), most replies first: ``writer``, ``replies``, ``ok`` (the written
        text passed the verifier), ``fallback`` (the template replaced it) and ``template`` (no writer ran).

        ``since``: only replies created at or after this time (a UTC ISO timestamp as stored, or a datetime; a
        naive one is taken as UTC). Replies stored before migration 4 count as the template's.

            store.writer_stats()  # -> [{'writer': 'openai:qwen', 'replies': 3, 'ok': 2, 'fallback': 1, 'template': 0}]
        """
        where, params = "role = 'assistant'", []
        if since is not None:
            where += " AND created >= ?"
            if isinstance(since, datetime):
                utc = since.replace(tzinfo=timezone.utc) if since.tzinfo is None else since.astimezone(timezone.utc)
                since = utc.isoformat(timespec="microseconds")
            params.append(str(since))
        return self.query(
            "SELECT coalesce(writer, 'template') AS writer, count(*) AS replies,"
            " count(CASE WHEN writer_verdict = 'ok' THEN 1 END) AS ok,"
            " count(CASE WHEN writer_verdict = 'fallback' THEN 1 END) AS fallback,"
            " count(CASE WHEN coalesce(writer_verdict, 'template') = 'template' THEN 1 END) AS template"
            f" FROM messages WHERE {where} GROUP BY 1 ORDER BY replies DESC, writer",
            params,
        )

    def training_sessions(self, *, include_simulated: bool = False) -> list[dict]:
        """Sessions for retraining the intent model, as ``intent.dataset.rows_from_sessions`` takes them.

        One dict per session, oldest first: ``id``, ``messages`` (the user messages in order, exactly as
        typed), ``purchased`` and ``purchase_turn`` (how many user messages came before the first purchase;
        None without one). Simulated sessions (``source`` "simulator") are left out unless
        ``include_simulated``: their words come from the simulator's phrase bank, not from shoppers.
        """
        where = "" if include_simulated else " WHERE coalesce(source, '') != 'simulator'"
        sessions = {r["id"]: {"id": r["id"], "messages": [], "purchased": False, "purchase_turn": None}
                    for r in self.query(f"SELECT id FROM sessions{where} ORDER BY created, id")}
        sent: dict[str, list[str]] = {}  # session -> creation time of each user message
        for row in self.query("SELECT session_id, text, text_raw, created FROM messages WHERE role = 'user'"
                              " ORDER BY id"):
            s = sessions.get(row["session_id"])
            if s is not None:
                s["messages"].append(_raw_text(row["text_raw"]) if row["text_raw"] else row["text"])
                sent.setdefault(row["session_id"], []).append(row["created"] or "")
        for row in self.query("SELECT session_id, min(created) AS first FROM events WHERE type = 'purchase'"
                              " GROUP BY session_id"):
            s = sessions.get(row["session_id"])
            if s is not None:
                s["purchased"] = True
                if row["first"]:
                    s["purchase_turn"] = sum(1 for c in sent.get(s["id"], ()) if c <= row["first"])
        return list(sessions.values())

    def integrity_check(self) -> str:
        """``"ok"`` for a healthy database: SQLite's ``PRAGMA integrity_check``; on PostgreSQL every table is read
        through and its foreign keys checked (the server keeps its own pages consistent)."""
        return self._backend.integrity_check()

    def schema_version(self) -> list[str]:
        """Names of the applied migrations, in order (``m001_initial``, ...)."""
        return self._backend.applied()

    # --- A/B analysis (read-only; used by chatbot.experiment.report) -------------------------------------------
    def ab_outcomes(self, experiment: str, *, source: str | None = None) -> list[dict]:
        """One row per analysable session of ``experiment``, oldest first, with its event counts.

        Forced sessions (staff override) and sessions of other experiments are left out. Columns: ``id``,
        ``arm``, ``created``, ``source``, ``impressions``, ``clicks``, ``carts``, ``purchases``,
        ``revenue`` (sum of purchase prices), ``first_purchase`` (timestamp or ``None``) and ``staffed``
        (1 when staff took the session over at some point, else 0).
        """
        where = "s.experiment = ? AND coalesce(s.forced, 0) = 0"
        params: list[Any] = [experiment]
        if source is not None:
            where += " AND s.source = ?"
            params.append(source)
        return self.query(
            "SELECT s.id, s.arm, s.created, s.source,"
            " count(CASE WHEN e.type = 'impression' THEN 1 END) AS impressions,"
            " count(CASE WHEN e.type = 'click' THEN 1 END) AS clicks,"
            " count(CASE WHEN e.type = 'add_to_cart' THEN 1 END) AS carts,"
            " count(CASE WHEN e.type = 'purchase' THEN 1 END) AS purchases,"
            " coalesce(sum(CASE WHEN e.type = 'purchase' THEN e.price END), 0.0) AS revenue,"
            " min(CASE WHEN e.type = 'purchase' THEN e.created END) AS first_purchase,"
            " CASE WHEN s.staffed_at IS NULL THEN 0 ELSE 1 END AS staffed"
            f" FROM sessions s LEFT JOIN events e ON e.session_id = s.id WHERE {where}"
            " GROUP BY s.id ORDER BY s.created, s.id",
            params,
        )

    def ab_experiments(self) -> list[dict]:
        """Per experiment name: ``sessions``, ``forced`` sessions and sessions per ``arm`` (for messages)."""
        return self.query(
            "SELECT coalesce(experiment, '') AS experiment, arm, count(*) AS sessions,"
            " CAST(sum(coalesce(forced, 0)) AS INTEGER) AS forced FROM sessions GROUP BY 1, 2 ORDER BY 1, 2"
        )
