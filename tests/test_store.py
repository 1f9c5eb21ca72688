"""The session store: migrations, pinned schema, WAL, odd text, concurrency, cart, integrity."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatbot.errors import InputError, StoreError
from chatbot.service.store import EVENT_TYPES, Store

SCHEMA = {
    "sessions": ["id", "arm", "forced", "experiment", "created", "last_active", "user_agent", "source",
                 "intent", "model_version"],
    "messages": ["id", "session_id", "role", "text", "text_raw", "lang", "created"],
    "intent_scores": ["id", "message_id", "session_id", "score", "session_score", "model_version", "created"],
    "recommendations": ["id", "session_id", "message_id", "rank", "product_id", "recommender", "score",
                        "parts", "created"],
    "events": ["id", "session_id", "product_id", "type", "price", "recommendation_id", "created"],
    "feedback": ["id", "session_id", "message_id", "recommendation_id", "product_id", "rating", "source",
                 "staff_user", "note", "created"],
    "_sqlite_migrations": ["id", "migration_set", "name", "applied_at"],
}


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "shop.db")
    yield s
    s.close()


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "m.db"
    first = Store(path)
    assert first.schema_version() == ["m001_initial"]
    first.ensure_session("s", arm="intent")
    second = Store(path)  # reopening must not re-run (or fail on) the migration
    assert second.schema_version() == ["m001_initial"]
    rows = second.query("SELECT migration_set, name FROM _sqlite_migrations")
    assert rows == [{"migration_set": "shopguide", "name": "m001_initial"}]
    assert second.session("s")["arm"] == "intent"


def test_schema_is_pinned(store):
    tables = {t.name: [c.name for c in t.columns] for t in store.db.tables}
    assert tables == SCHEMA
    fks = {(fk.table, fk.column, fk.other_table) for fk in store.db["messages"].foreign_keys}
    assert fks == {("messages", "session_id", "sessions")}
    assert store.db["sessions"].pks == ["id"]


def test_wal_and_durable_settings(store, tmp_path):
    assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: crash-safe in WAL
    assert store.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    full = Store(tmp_path / "full.db", synchronous="FULL")
    assert full.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    with pytest.raises(ValueError, match="NORMAL or FULL"):
        Store(tmp_path / "x.db", synchronous="OFF")


def test_unusable_file_is_a_store_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(bad)


def test_session_arm_is_sticky_and_can_be_forced(store):
    store.ensure_session("s1", arm="intent", experiment="exp", source="api")
    again = store.ensure_session("s1", arm="baseline")
    assert again["arm"] == "intent" and again["source"] == "api" and again["forced"] == 0
    store.force_arm("s1", "baseline")
    assert store.session("s1")["arm"] == "baseline" and store.session("s1")["forced"] == 1
    with pytest.raises(InputError):
        store.force_arm("nope", "baseline")
    with pytest.raises(InputError):
        store.ensure_session("", arm="intent")


ODD_TEXT = st.one_of(
    st.text(),
    # every code point, lone surrogates (category Cs) and NUL included
    st.text(alphabet=st.characters(exclude_categories=())),
    st.lists(st.sampled_from(["\ud800", "\udc00", "\x00", "😀", "<b>", "'", "中"]), max_size=8).map("".join),
    st.sampled_from([
        "\x00", "a\x00b", "\ud800", "x\udfffy", "😀👍🏽🇨🇳", "'; DROP TABLE messages; --",
        "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "Robert'); --", "",
        "   \t\n", "\u202e反转", "％ _ % \\", "500以内的跑鞋",
    ]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ODD_TEXT)
def test_text_round_trips_verbatim(store, text):
    sid = "rt"
    store.ensure_session(sid, arm="baseline")
    mid = store.add_user_message(sid, text, score=0.5, session_score=0.5)
    rows = [m for m in store.messages(sid) if m["id"] == mid]
    assert rows[0]["text"] == text
    aid = store.add_assistant_message(sid, text)
    assert [m["text"] for m in store.messages(sid) if m["id"] == aid] == [text]


def test_messages_scores_and_turns(store):
    store.ensure_session("s", arm="intent")
    mid = store.add_user_message("s", "想买跑鞋", score=0.8, session_score=0.7, model_version="v1", lang="zh")
    store.add_assistant_message("s", "推荐如下", lang="zh", prices={"P1": 399.0}, recommendations=[
        {"rank": 1, "product_id": "P1", "recommender": "intent", "score": 0.9, "parts": {"relevance": 0.9}},
    ])
    assert store.session("s")["intent"] == pytest.approx(0.7)
    turns = store.turns("s")
    assert turns[0]["message_id"] == mid and turns[0]["score"] == pytest.approx(0.8)
    assert turns[0]["reply"] == "推荐如下"
    assert turns[0]["recommendations"][0]["parts"] == {"relevance": 0.9}
    impressions = store.events("s", "impression")
    assert [(e["product_id"], e["price"]) for e in impressions] == [("P1", 399.0)]
    assert store.last_recommendations("s")[0]["product_id"] == "P1"


def test_concurrent_writers_lose_nothing(tmp_path):
    store = Store(tmp_path / "c.db")
    n_threads, per_thread = 8, 25
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            sid = f"t{t}"
            store.ensure_session(sid, arm="intent" if t % 2 else "baseline")
            for i in range(per_thread):
                store.add_user_message(sid, f"msg {t}-{i}", score=0.1, session_score=0.1)
                store.add_event(sid, f"P{i}", "click", price=1.0)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert store.query("SELECT count(*) AS n FROM messages")[0]["n"] == n_threads * per_thread
    assert store.query("SELECT count(*) AS n FROM intent_scores")[0]["n"] == n_threads * per_thread
    assert store.query("SELECT count(*) AS n FROM events")[0]["n"] == n_threads * per_thread
    for t in range(n_threads):
        texts = [m["text"] for m in store.messages(f"t{t}")]
        assert texts == [f"msg {t}-{i}" for i in range(per_thread)]
    assert store.integrity_check() == "ok"


def test_committed_rows_are_visible_to_another_connection(store):
    store.ensure_session("s", arm="intent")
    store.add_user_message("s", "hello")
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT text FROM messages").fetchall() == [("hello",)]
    other.close()


def test_cart_logic(store):
    store.ensure_session("s", arm="intent")
    for pid in ("A", "A", "B", "C"):
        store.add_event("s", pid, "add_to_cart", price=10.0)
    store.add_event("s", "A", "remove")
    store.add_event("s", "B", "purchase", price=10.0)
    store.add_event("s", "D", "remove")  # removing what is not in the cart is harmless
    assert store.cart("s") == [{"product_id": "A", "quantity": 1}, {"product_id": "C", "quantity": 1}]
    assert store.cart("other") == []


def test_events_are_validated(store):
    with pytest.raises(InputError, match="no session"):
        store.add_event("missing", "P1", "click")
    store.ensure_session("s", arm="intent")
    with pytest.raises(InputError, match="unknown event type"):
        store.add_event("s", "P1", "steal")
    assert set(EVENT_TYPES) >= {"click", "add_to_cart", "purchase"}


def test_feedback(store):
    store.ensure_session("s", arm="intent")
    store.add_feedback("s", 1, message_id=2)
    store.add_feedback("s", -1, source="staff", product_id="P1", staff_user="amy", note="off-topic")
    rows = store.query("SELECT rating, source, staff_user FROM feedback ORDER BY id")
    assert rows == [{"rating": 1, "source": "shopper", "staff_user": None},
                    {"rating": -1, "source": "staff", "staff_user": "amy"}]
    with pytest.raises(InputError):
        store.add_feedback("s", 5)
    with pytest.raises(InputError):
        store.add_feedback("s", 1, source="robot")


def test_training_sessions(store):
    store.ensure_session("a", arm="intent")
    store.ensure_session("b", arm="baseline")
    store.ensure_session("sim", arm="intent", source="simulator")
    store.add_user_message("a", "看看")
    store.add_user_message("a", "就它了\ud800")
    store.add_user_message("b", "随便逛逛")
    store.add_user_message("sim", "simulated words")
    store.add_event("a", "P1", "purchase", price=5.0)
    store.add_event("a", "P1", "purchase", price=5.0)  # a second purchase does not move the first
    store.add_user_message("a", "谢谢")  # after the purchase
    got = {r["id"]: r for r in store.training_sessions()}
    assert got["a"] == {"id": "a", "messages": ["看看", "就它了\ud800", "谢谢"], "purchased": True,
                        "purchase_turn": 2}
    assert got["b"] == {"id": "b", "messages": ["随便逛逛"], "purchased": False, "purchase_turn": None}
    assert "sim" not in got  # the simulator's phrase bank is not shopper data
    assert [r["id"] for r in store.training_sessions(include_simulated=True)] == ["a", "b", "sim"]


def test_named_reads_of_the_chat_service(store):
    assert store.last_message_id("s") == 0 and store.intent_scores("s") == []
    store.ensure_session("s", arm="intent")
    first = store.add_user_message("s", "跑鞋", score=0.2, session_score=0.2)
    store.add_user_message("s", "unscored")
    shown = [{"rank": 1, "product_id": "P1", "score": 0.5}, {"rank": 2, "product_id": "P2", "score": 0.4}]
    reply = store.add_assistant_message("s", "看看这些", recommendations=shown)
    assert store.last_message_id("s") == reply > first
    store.add_user_message("s", "要了", score=0.9, session_score=0.8)
    assert store.intent_scores("s") == [0.2, 0.9]
    assert store.last_recommendation_id("s", "P9") is None
    again = store.add_assistant_message("s", "还有这个", recommendations=shown[:1])
    ids = {(r["message_id"], r["product_id"]): r["id"]
           for r in store.query("SELECT id, message_id, product_id FROM recommendations")}
    assert store.last_recommendation_id("s", "P1") == ids[again, "P1"]  # the latest showing
    assert store.last_recommendation_id("s", "P2") == ids[reply, "P2"]


def test_read_only_store_reads_and_never_writes(tmp_path):
    path = tmp_path / "shop.db"
    writer = Store(path)
    writer.ensure_session("s", arm="intent")
    writer.add_user_message("s", "跑鞋")
    writer.close()
    before = path.read_bytes()
    reader = Store(path, read_only=True)
    assert [m["text"] for m in reader.messages("s")] == ["跑鞋"]
    with pytest.raises(StoreError, match="read-only"):
        reader.add_user_message("s", "more")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # even SQL that bypasses the methods
        reader.db.conn.execute("DELETE FROM messages")
    reader.close()
    assert path.read_bytes() == before


@pytest.mark.parametrize("content, words", [
    (None, "does not exist"),
    (b"not a database" * 100, "as SQLite"),
    ("other", "lacks the tables"),
])
def test_read_only_store_needs_a_shopguide_database(tmp_path, content, words):
    path = tmp_path / "x.db"
    if content == "other":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (a)")
        conn.commit()
        conn.close()
    elif content is not None:
        path.write_bytes(content)
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(StoreError, match=words):
        Store(path, read_only=True)
    assert (path.read_bytes() if path.exists() else None) == before  # not created, not migrated


def test_integrity_check(store):
    store.ensure_session("s", arm="intent")
    assert store.integrity_check() == "ok"
    assert json.loads(json.dumps(store.sessions()))[0]["id"] == "s"
