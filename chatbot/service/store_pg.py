"""The session store on PostgreSQL (psycopg 3): the backend of ``Store("postgresql://…")``.

Same tables, columns and migrations as the SQLite file (``chatbot.service.store_schema``; applied migrations
recorded in ``_sqlite_migrations`` as on SQLite), with the types mapped: TEXT with the byte-order collation
``"C"`` (ordering and ``<``/``>`` on text as SQLite's BINARY, e.g. for ISO timestamps), BIGINT for INTEGER (64
bits like SQLite's), DOUBLE PRECISION for REAL (PostgreSQL's REAL has only 24 bits of mantissa) and BIGSERIAL ids.
The store's SQL is written once with SQLite's ``?`` / ``:name`` parameters and translated here to psycopg's
``%s`` / ``%(name)s``. Migrations run in one transaction under ``pg_advisory_xact_lock``, so two processes
starting at once migrate once. Each thread has its own autocommit connection (as on SQLite: Gradio's worker
pool is small and fixed, so a pool would only add a checkout per call); a write is one
``conn.transaction()``. PostgreSQL text cannot hold NUL: a message keeps its exact text in ``text_raw``, any
other parameter has NUL replaced by U+FFFD.

    store = Store("postgresql://shop:secret@127.0.0.1:5432/shopguide")
    store.ensure_session("s1", arm="intent")
    store.path  # -> 'postgresql://shop:***@127.0.0.1:5432/shopguide'
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from chatbot.errors import StoreError
from chatbot.service.store_schema import (
    MIGRATION_SET,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    TABLES,
    Column,
    Index,
    Step,
    Table,
)

__all__ = ["PgBackend", "pg_sql", "ddl", "redact"]

log = logging.getLogger(__name__)

PG_TYPES = {str: 'TEXT COLLATE "C"', int: "BIGINT", float: "DOUBLE PRECISION"}
#: Key of the advisory lock the migrations take ("shopguid" as a big-endian 64-bit integer).
MIGRATION_LOCK_KEY = int.from_bytes(b"shopguid", "big")

_LITERAL = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*")""")
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=512)
def pg_sql(sql: str, named: bool = False) -> str:
    """SQLite-style SQL for psycopg: ``?`` → ``%s`` (or ``:name`` → ``%(name)s``), ``%`` → ``%%``; quoted
    literals and identifiers keep their ``?`` and ``:``.

        pg_sql("SELECT * FROM t WHERE a = ? AND b LIKE 'x%?'")  # -> "... a = %s AND b LIKE 'x%%?'"
    """
    parts = _LITERAL.split(sql)
    for i, part in enumerate(parts):
        part = part.replace("%", "%%")
        if i % 2 == 0:
            part = _NAMED.sub(r"%(\1)s", part) if named else part.replace("?", "%s")
        parts[i] = part
    return "".join(parts)


def _nul_free(value: Any) -> Any:
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _params(params: Sequence[Any] | Mapping[str, Any]) -> list[Any] | dict[str, Any]:
    """Parameters PostgreSQL accepts: NUL in strings replaced by U+FFFD."""
    if isinstance(params, Mapping):
        return {k: _nul_free(v) for k, v in params.items()}
    return [_nul_free(v) for v in params]


def _literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value))  # type: ignore[call-overload]


def ddl(step: Step) -> str:
    """The PostgreSQL statement of one schema step.

        ddl(Column("messages", "writer", str))  # -> 'ALTER TABLE "messages" ADD COLUMN "writer" TEXT COLLATE "C"'
    """
    if isinstance(step, Index):
        columns = ", ".join('"' + c + '"' for c in step.columns)
        return f'CREATE INDEX "{step.name}" ON "{step.table}" ({columns})'
    if isinstance(step, Column):
        return f'ALTER TABLE "{step.table}" ADD COLUMN "{step.name}" {PG_TYPES[step.type]}'
    refs = {column: (table, other) for column, table, other in step.foreign_keys}
    columns = []
    for name, typ in step.columns.items():
        if name == step.pk:
            columns.append(f'"{name}" {"BIGSERIAL" if typ is int else PG_TYPES[typ]} PRIMARY KEY')
            continue
        col = f'"{name}" {PG_TYPES[typ]}'
        if name in step.not_null:
            col += " NOT NULL"
        if name in step.defaults:
            col += f" DEFAULT {_literal(step.defaults[name])}"
        if name in refs:
            col += f' REFERENCES "{refs[name][0]}" ("{refs[name][1]}")'
        columns.append(col)
    return f'CREATE TABLE "{step.name}" ({", ".join(columns)})'


def _password(url: str) -> str | None:
    """The password written in ``url`` (user info up to its last ``@``, or ``password=`` in the query), or None."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        _, colon, secret = rest[:rest.rindex("@")].partition(":")
        if colon and secret:
            return secret
    m = re.search(r"password=([^&\s]*)", url, flags=re.I)
    return m.group(1) if m and m.group(1) else None


def redact(url: str) -> str:
    """The URL with its password masked, for messages and logs. The user info runs to the *last* ``@`` (a
    password may hold ``?``, ``/`` or ``@``), so nothing of a password is left out of the mask.

        redact("postgresql://shop:pa?ss@db/shop")  # -> "postgresql://shop:***@db/shop"
    """
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        at = rest.rindex("@")
        user, colon, secret = rest[:at].partition(":")
        if colon and secret:
            url = f"{scheme}{sep}{user}:***{rest[at:]}"
    return re.sub(r"(password=)[^&\s]*", r"\1***", url, flags=re.I)


def scrub(text: str, url: str) -> str:
    """``text`` (say, a libpq error quoting the URL) with the URL's password masked, as written and decoded."""
    secret = _password(url)
    if not secret:
        return text
    for form in sorted({secret, unquote(secret)}, key=len, reverse=True):
        if len(form) >= 2:
            text = text.replace(form, "***")
    return text


class _Tx:
    """A write transaction as :class:`~chatbot.service.store.Store` uses it: ``execute(sql, params)`` with
    SQLite-style ``?`` parameters, returning the psycopg cursor (``fetchone``, ``fetchall``, ``rowcount``)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        return self._conn.execute(pg_sql(sql), _params(params))


class PgBackend:
    """A PostgreSQL database behind :class:`~chatbot.service.store.Store`: one autocommit connection per thread."""

    kind = "postgresql"
    nul_ok = False
    errors = (psycopg.Error,)
    hint = ("check the URL (postgresql://user:password@host:port/dbname), that the server runs and that the "
            "user may create tables in the database")

    def __init__(self, url: str, *, synchronous: str, read_only: bool, lock_timeout_ms: int) -> None:
        self.url = url
        self.label = redact(url)
        self.synchronous = synchronous
        self.read_only = read_only
        self.lock_timeout_ms = lock_timeout_ms
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[psycopg.Connection] = weakref.WeakSet()

    def describe(self, exc: BaseException) -> str:
        """An error's text for a message: the password masked (libpq quotes parts of a bad URL)."""
        return scrub(str(exc), self.url)

    def connection(self) -> psycopg.Connection:
        """This thread's connection (made on first use, and again after it was closed or broke)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._open.add(conn)
        return conn

    def _connect(self) -> psycopg.Connection:
        extra = {} if "application_name" in conninfo_to_dict(self.url) else {"application_name": "shopguide"}
        conn = psycopg.connect(self.url, autocommit=True, **extra)
        conn.execute(f"SET lock_timeout = {int(self.lock_timeout_ms)}")  # as SQLite's busy_timeout
        if self.synchronous == "FULL":
            conn.execute("SET synchronous_commit = on")
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        return conn

    @contextlib.contextmanager
    def write(self) -> Iterator[_Tx]:
        """One committed transaction (rolled back when the block raises)."""
        conn = self.connection()
        with conn.transaction():
            yield _Tx(conn)

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[dict]:
        with self.connection().cursor(row_factory=dict_row) as cur:
            cur.execute(pg_sql(sql, isinstance(params, Mapping)), _params(params))
            return cur.fetchall() if cur.description else []

    def migrate(self) -> None:
        """Apply the pending migrations, each recorded in ``_sqlite_migrations``, in one transaction under an
        advisory lock (a second process starting at once waits, then finds them applied)."""
        conn = self.connection()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            conn.execute(f'CREATE TABLE IF NOT EXISTS "{MIGRATIONS_TABLE}" (id BIGSERIAL PRIMARY KEY,'
                         f' migration_set {PG_TYPES[str]}, name {PG_TYPES[str]}, applied_at {PG_TYPES[str]})')
            conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS "idx_{MIGRATIONS_TABLE}_migration_set_name"'
                         f' ON "{MIGRATIONS_TABLE}" (migration_set, name)')
            done = set(self._applied(conn))
            for name, steps in MIGRATIONS.items():
                if name in done:
                    continue
                for step in steps:
                    conn.execute(ddl(step))
                conn.execute(f'INSERT INTO "{MIGRATIONS_TABLE}" (migration_set, name, applied_at)'
                             " VALUES (%s, %s, %s)", (MIGRATION_SET, name, str(datetime.now(timezone.utc))))
                log.info("session database %s: applied migration %s", self.label, name)

    @staticmethod
    def _applied(conn: psycopg.Connection) -> list[str]:
        if conn.execute("SELECT to_regclass(%s)", (MIGRATIONS_TABLE,)).fetchone()[0] is None:
            return []
        rows = conn.execute(f'SELECT name FROM "{MIGRATIONS_TABLE}" WHERE migration_set = %s ORDER BY id',
                            (MIGRATION_SET,)).fetchall()
        return [r[0] for r in rows]

    def applied(self) -> list[str]:
        return self._applied(self.connection())

    def _tables(self) -> set[str]:
        rows = self.connection().execute("SELECT table_name FROM information_schema.tables"
                                         " WHERE table_schema = current_schema()").fetchall()
        return {r[0] for r in rows}

    def check_readable(self) -> None:
        """A read-only store needs a reachable, migrated shopguide database (nothing is created)."""
        try:
            missing = {"sessions", "messages", "events"} - self._tables()
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"cannot open the session database {self.label}: {self.describe(exc)}",
                             hint=self.hint) from None
        if missing:
            self.close()
            raise StoreError(f"{self.label} lacks the tables {sorted(missing)}",
                             hint="is this a shopguide session database?")

    def integrity_check(self) -> str:
        """Every table read through (a damaged page raises) and no row pointing at a missing one: ``"ok"``,
        else what is wrong."""
        conn = self.connection()
        present = self._tables()
        for table in TABLES:
            if table not in present:
                return f"missing table {table}"
            conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        for steps in MIGRATIONS.values():
            for step in (s for s in steps if isinstance(s, Table)):
                for column, other, key in step.foreign_keys:
                    orphans = conn.execute(
                        f'SELECT count(*) FROM "{step.name}" t WHERE t."{column}" IS NOT NULL AND NOT EXISTS'
                        f' (SELECT 1 FROM "{other}" o WHERE o."{key}" = t."{column}")').fetchone()[0]
                    if orphans:
                        return f"{orphans} rows of {step.name}.{column} point at no {other} row"
        return "ok"

    def close(self) -> None:
        with self._lock:
            conns = list(self._open)
            self._open = weakref.WeakSet()
        for conn in conns:
            conn.close()
