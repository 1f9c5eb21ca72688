"""The session database's schema as data: the migrations both store backends apply.

Each migration is a tuple of steps (:class:`Table`, :class:`Index`, :class:`Column`); SQLite runs them through
sqlite-utils (``chatbot.service.store``), PostgreSQL as the DDL of ``chatbot.service.store_pg``, so the two
databases have the same tables, columns (in the same order), keys and migration names. Column types are Python
types: ``str`` (TEXT), ``int`` (INTEGER; BIGINT on PostgreSQL) and ``float`` (REAL; DOUBLE PRECISION). An ``int``
primary key is SQLite's rowid alias, a BIGSERIAL on PostgreSQL.

    for name, steps in MIGRATIONS.items():
        print(name, [type(s).__name__ for s in steps])  # m001_initial ['Table', 'Table', 'Index', ...]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Table", "Index", "Column", "Step", "MIGRATIONS", "MIGRATION_SET", "MIGRATIONS_TABLE", "TABLES",
           "WRITER_ONLY_MIGRATIONS"]

#: Name of the migration set, and of the table recording the applied migrations (sqlite-utils' own name,
#: kept on PostgreSQL too so that both backends answer the same SQL).
MIGRATION_SET = "shopguide"
MIGRATIONS_TABLE = "_sqlite_migrations"


@dataclass(frozen=True)
class Table:
    """``CREATE TABLE``: columns in order (name -> Python type), the primary key, NOT NULL columns, defaults
    and foreign keys ``(column, other table, other column)``."""

    name: str
    columns: Mapping[str, type]
    pk: str = "id"
    not_null: frozenset[str] = frozenset()
    defaults: Mapping[str, object] = field(default_factory=dict)
    foreign_keys: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Index:
    """``CREATE INDEX idx_<table>_<columns>`` (the name sqlite-utils gives it)."""

    table: str
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"idx_{self.table}_{'_'.join(self.columns)}"


@dataclass(frozen=True)
class Column:
    """``ALTER TABLE ... ADD COLUMN`` (nullable, no default)."""

    table: str
    name: str
    type: type


Step = Table | Index | Column


def _fk(*columns_tables: str) -> tuple[tuple[str, str, str], ...]:
    """Foreign keys to the ``id`` of other tables: ``_fk("session_id", "sessions")``."""
    pairs = zip(columns_tables[::2], columns_tables[1::2], strict=True)
    return tuple((column, table, "id") for column, table in pairs)


MIGRATIONS: dict[str, tuple[Step, ...]] = {
    # Sessions (arm, experiment, source, latest intent), messages, intent scores, recommendations, events and
    # feedback.
    "m001_initial": (
        Table("sessions", {"id": str, "arm": str, "forced": int, "experiment": str, "created": str,
                           "last_active": str, "user_agent": str, "source": str, "intent": float,
                           "model_version": str},
              not_null=frozenset({"arm", "created"}), defaults={"forced": 0, "source": "web"}),
        Table("messages", {"id": int, "session_id": str, "role": str, "text": str, "text_raw": str, "lang": str,
                           "created": str},
              not_null=frozenset({"session_id", "role", "text"}), foreign_keys=_fk("session_id", "sessions")),
        Index("messages", ("session_id", "id")),
        Table("intent_scores", {"id": int, "message_id": int, "session_id": str, "score": float,
                                "session_score": float, "model_version": str, "created": str},
              foreign_keys=_fk("message_id", "messages", "session_id", "sessions")),
        Index("intent_scores", ("session_id",)),
        Table("recommendations", {"id": int, "session_id": str, "message_id": int, "rank": int, "product_id": str,
                                  "recommender": str, "score": float, "parts": str, "created": str},
              foreign_keys=_fk("message_id", "messages", "session_id", "sessions")),
        Index("recommendations", ("session_id", "message_id")),
        Table("events", {"id": int, "session_id": str, "product_id": str, "type": str, "price": float,
                         "recommendation_id": int, "created": str},
              not_null=frozenset({"session_id", "type"}), foreign_keys=_fk("session_id", "sessions")),
        Index("events", ("session_id", "type")),
        Table("feedback", {"id": int, "session_id": str, "message_id": int, "recommendation_id": int,
                           "product_id": str, "rating": int, "source": str, "staff_user": str, "note": str,
                           "created": str},
              foreign_keys=_fk("session_id", "sessions")),
    ),
    # Purchase stages: each scored message's stage distribution and the session's after it.
    "m002_stages": (
        *(Column("intent_scores", c, str) for c in ("stage", "stage_probs", "session_stage", "session_probs")),
        Column("sessions", "stage", str),
    ),
    # The guide's actions and checkout: each reply's action and conversation snapshot, the staff hand-off flag,
    # and orders placed by the checkout step (one purchase event per order line).
    "m003_orders": (
        Column("messages", "action", str),
        Column("messages", "state", str),
        Column("sessions", "needs_help", int),
        *(Column("sessions", c, str) for c in ("help_topic", "help_at", "taken_by", "taken_at")),
        Column("events", "order_id", int),
        Table("orders", {"id": int, "session_id": str, "created": str, "total": float, "items": int, "status": str},
              not_null=frozenset({"session_id", "created"}), foreign_keys=_fk("session_id", "sessions")),
        Index("orders", ("session_id",)),
        Table("order_lines", {"id": int, "order_id": int, "product_id": str, "quantity": int, "price": float},
              not_null=frozenset({"order_id", "product_id"}), foreign_keys=_fk("order_id", "orders")),
    ),
    # Who wrote each reply (``writer``: ``template``, ``openai:<model>``, ``transformers:<model>``), the
    # verifier's verdict (``ok``, ``fallback`` when the template replaced the written text, ``template``) and why.
    "m004_writers": tuple(Column("messages", c, str) for c in ("writer", "writer_verdict", "writer_reason")),
    # The turn lease: which process answers a session's message now, until when (epoch seconds), so that two
    # app processes on one database never answer two messages of one session at once.
    "m005_turn_leases": (
        Table("turn_leases", {"session_id": str, "owner": str, "expires": float}, pk="session_id",
              not_null=frozenset({"owner", "expires"})),
    ),
    # When staff first took the session over (kept after they give it back): the A/B report's guardrail on
    # staff involvement per arm.
    "m006_staffed": (Column("sessions", "staffed_at", str),),
}

#: Migrations that only the app's own writes use (no read-only command reads their tables): a read-only store
#: opens a database that lacks them, so an upgrade does not lock reports and training out of a database
#: until an app has started on it.
WRITER_ONLY_MIGRATIONS = frozenset({"m005_turn_leases"})

#: The tables a shopguide database has once migrated (the migrations table included).
TABLES = (*(s.name for steps in MIGRATIONS.values() for s in steps if isinstance(s, Table)), MIGRATIONS_TABLE)
