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
                 "intent", "model_version", "stage", "needs_help", "help_topic", "help_at", "taken_by", "taken_at",
                 "staffed_at"],
    "messages": ["id", "session_id", "role", "text", "text_raw", "lang", "created", "action", "state", "writer",
                 "writer_verdict", "writer_reason"],
    "intent_scores": ["id", "message_id", "session_id", "score", "session_score", "model_version", "created",
                      "stage", "stage_probs", "session_stage", "session_probs"],
    "recommendations": ["id", "session_id", "message_id", "rank", "product_id", "recommender", "score",
                        "parts", "created"],
    "events": ["id", "session_id", "product_id", "type", "price", "recommendation_id", "created", "order_id"],
    "orders": ["id", "session_id", "created", "total", "items", "status"],
    "order_lines": ["id", "order_id", "product_id", "quantity", "price"],
    "feedback": ["id", "session_id", "message_id", "recommendation_id", "product_id", "rating", "source",
                 "staff_user", "note", "created"],
    "turn_leases": ["session_id", "owner", "expires"],
    "_sqlite_migrations": ["id", "migration_set", "name", "applied_at"],
}


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "m.db"
    first = Store(path)
    names = ["m001_initial", "m002_stages", "m003_orders", "m004_writers", "m005_turn_leases", "m006_staffed"]
    assert first.schema_version() == names
    first.ensure_session("s", arm="intent")
    second = Store(path)  # reopening must not re-run (or fail on) the migrations
    assert second.schema_version() == names
    rows = second.query("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")
    assert rows == [{"migration_set": "shopguide", "name": "m001_initial"},
                    {"migration_set": "shopguide", "name": "m002_stages"},
                    {"migration_set": "shopguide", "name": "m003_orders"},
                    {"migration_set": "shopguide", "name": "m004_writers"},
                    {"migration_set": "shopguide", "name": "m005_turn_leases"},
                    {"migration_set": "shopguide", "name": "m006_staffed"}]
    assert second.session("s")["arm"] == "intent"


def test_schema_is_pinned(chat_store):
    tables = {t.name: [c.name for c in t.columns] for t in chat_store.db.tables}
    assert tables == SCHEMA
    fks = {(fk.table, fk.column, fk.other_table) for fk in chat_store.db["messages"].foreign_keys}
    assert fks == {("messages", "session_id", "sessions")}
    assert chat_store.db["sessions"].pks == ["id"]


def test_wal_and_durable_settings(chat_store, tmp_path):
    assert chat_store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert chat_store.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: crash-safe in WAL
    assert chat_store.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    full = Store(tmp_path / "full.db", synchronous="FULL")
    assert full.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    with pytest.raises(ValueError, match="NORMAL or FULL"):
        Store(tmp_path / "x.db", synchronous="OFF")


def test_unusable_file_is_a_store_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(bad)


def test_session_arm_is_sticky_and_can_be_forced(chat_store):
    chat_store.ensure_session("s1", arm="intent", experiment="exp", source="api")
    again = chat_store.ensure_session("s1", arm="baseline")
    assert again["arm"] == "intent" and again["source"] == "api" and again["forced"] == 0
    chat_store.force_arm("s1", "baseline")
    assert chat_store.session("s1")["arm"] == "baseline" and chat_store.session("s1")["forced"] == 1
    with pytest.raises(InputError):
        chat_store.force_arm("nope", "baseline")
    with pytest.raises(InputError):
        chat_store.ensure_session("", arm="intent")


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
def test_text_round_trips_verbatim(chat_store, text):
    sid = "rt"
    chat_store.ensure_session(sid, arm="baseline")
    mid = chat_store.add_user_message(sid, text, score=0.5, session_score=0.5)
    rows = [m for m in chat_store.messages(sid) if m["id"] == mid]
    assert rows[0]["text"] == text
    aid = chat_store.add_assistant_message(sid, text)
    assert [m["text"] for m in chat_store.messages(sid) if m["id"] == aid] == [text]


def test_messages_scores_and_turns(chat_store):
    chat_store.ensure_session("s", arm="intent")
    mid = chat_store.add_user_message("s", "想买跑鞋", score=0.8, session_score=0.7, model_version="v1", lang="zh")
    chat_store.add_assistant_message("s", "推荐如下", lang="zh", prices={"P1": 399.0}, recommendations=[
        {"rank": 1, "product_id": "P1", "recommender": "intent", "score": 0.9, "parts": {"relevance": 0.9}},
    ])
    assert chat_store.session("s")["intent"] == pytest.approx(0.7)
    turns = chat_store.turns("s")
    assert turns[0]["message_id"] == mid and turns[0]["score"] == pytest.approx(0.8)
    assert turns[0]["reply"] == "推荐如下"
    assert turns[0]["recommendations"][0]["parts"] == {"relevance": 0.9}
    impressions = chat_store.events("s", "impression")
    assert [(e["product_id"], e["price"]) for e in impressions] == [("P1", 399.0)]
    assert chat_store.last_recommendations("s")[0]["product_id"] == "P1"


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


def test_committed_rows_are_visible_to_another_connection(chat_store):
    chat_store.ensure_session("s", arm="intent")
    chat_store.add_user_message("s", "hello")
    other = sqlite3.connect(chat_store.path)
    assert other.execute("SELECT text FROM messages").fetchall() == [("hello",)]
    other.close()


def test_cart_logic(chat_store):
    chat_store.ensure_session("s", arm="intent")
    for pid in ("A", "A", "B", "C"):
        chat_store.add_event("s", pid, "add_to_cart", price=10.0)
    chat_store.add_event("s", "A", "remove")
    chat_store.add_event("s", "B", "purchase", price=10.0)
    chat_store.add_event("s", "D", "remove")  # removing what is not in the cart is harmless
    assert chat_store.cart("s") == [{"product_id": "A", "quantity": 1}, {"product_id": "C", "quantity": 1}]
    assert chat_store.cart("other") == []


def test_events_are_validated(chat_store):
    with pytest.raises(InputError, match="no session"):
        chat_store.add_event("missing", "P1", "click")
    chat_store.ensure_session("s", arm="intent")
    with pytest.raises(InputError, match="unknown event type"):
        chat_store.add_event("s", "P1", "steal")
    assert set(EVENT_TYPES) >= {"click", "add_to_cart", "purchase"}


def test_feedback(chat_store):
    chat_store.ensure_session("s", arm="intent")
    chat_store.add_feedback("s", 1, message_id=2)
    chat_store.add_feedback("s", -1, source="staff", product_id="P1", staff_user="amy", note="off-topic")
    rows = chat_store.query("SELECT rating, source, staff_user FROM feedback ORDER BY id")
    assert rows == [{"rating": 1, "source": "shopper", "staff_user": None},
                    {"rating": -1, "source": "staff", "staff_user": "amy"}]
    with pytest.raises(InputError):
        chat_store.add_feedback("s", 5)
    with pytest.raises(InputError):
        chat_store.add_feedback("s", 1, source="robot")


def test_training_sessions(chat_store):
    chat_store.ensure_session("a", arm="intent")
    chat_store.ensure_session("b", arm="baseline")
    chat_store.ensure_session("sim", arm="intent", source="simulator")
    chat_store.add_user_message("a", "看看")
    chat_store.add_user_message("a", "就它了\ud800")
    chat_store.add_user_message("b", "随便逛逛")
    chat_store.add_user_message("sim", "simulated words")
    chat_store.add_event("a", "P1", "purchase", price=5.0)
    chat_store.add_event("a", "P1", "purchase", price=5.0)  # a second purchase does not move the first
    chat_store.add_user_message("a", "谢谢")  # after the purchase
    got = {r["id"]: r for r in chat_store.training_sessions()}
    assert got["a"] == {"id": "a", "messages": ["看看", "就它了\ud800", "谢谢"], "purchased": True,
                        "purchase_turn": 2}
    assert got["b"] == {"id": "b", "messages": ["随便逛逛"], "purchased": False, "purchase_turn": None}
    assert "sim" not in got  # the simulator's phrase bank is not shopper data
    assert [r["id"] for r in chat_store.training_sessions(include_simulated=True)] == ["a", "b", "sim"]


def test_named_reads_of_the_chat_service(chat_store):
    assert chat_store.last_message_id("s") == 0 and chat_store.intent_scores("s") == []
    chat_store.ensure_session("s", arm="intent")
    first = chat_store.add_user_message("s", "跑鞋", score=0.2, session_score=0.2)
    chat_store.add_user_message("s", "unscored")
    shown = [{"rank": 1, "product_id": "P1", "score": 0.5}, {"rank": 2, "product_id": "P2", "score": 0.4}]
    reply = chat_store.add_assistant_message("s", "看看这些", recommendations=shown)
    assert chat_store.last_message_id("s") == reply > first
    chat_store.add_user_message("s", "要了", score=0.9, session_score=0.8)
    assert chat_store.intent_scores("s") == [0.2, 0.9]
    assert chat_store.last_recommendation_id("s", "P9") is None
    again = chat_store.add_assistant_message("s", "还有这个", recommendations=shown[:1])
    ids = {(r["message_id"], r["product_id"]): r["id"]
           for r in chat_store.query("SELECT id, message_id, product_id FROM recommendations")}
    assert chat_store.last_recommendation_id("s", "P1") == ids[again, "P1"]  # the latest showing
    assert chat_store.last_recommendation_id("s", "P2") == ids[reply, "P2"]


def test_named_reads_of_the_staff_console(chat_store):
    for sid in ("s", "other"):
        chat_store.ensure_session(sid, arm="intent")
    assert chat_store.recommendations("s") == [] and chat_store.feedback("s") == []
    first = chat_store.add_assistant_message("s", "先看这些", recommendations=[
        {"rank": 2, "product_id": "P2", "recommender": "intent", "score": 0.4, "parts": {"rating": 0.1}},
        {"rank": 1, "product_id": "P1", "recommender": "intent", "score": 0.5},
    ])
    later = chat_store.add_assistant_message("s", "还有", recommendations=[{"rank": 1, "product_id": "P3"}])
    chat_store.add_assistant_message("other", "别的", recommendations=[{"rank": 1, "product_id": "P9"}])
    recs = chat_store.recommendations("s")
    assert [(r["message_id"], r["rank"], r["product_id"]) for r in recs] == \
           [(first, 1, "P1"), (first, 2, "P2"), (later, 1, "P3")]  # by reply, then rank; this session only
    assert recs[1]["parts"] == {"rating": 0.1} and recs[0]["parts"] == {}
    assert chat_store.recommendation("s", recs[1]["id"]) == recs[1]
    other_id = chat_store.recommendations("other")[0]["id"]
    assert chat_store.recommendation("s", other_id) is None  # another session's recommendation
    assert chat_store.recommendation("s", 10_000) is None
    chat_store.add_feedback("s", 1, message_id=first)
    chat_store.add_feedback("other", 1)
    chat_store.add_feedback("s", -1, source="staff", recommendation_id=recs[0]["id"], staff_user="amy")
    fb = chat_store.feedback("s")
    assert [(f["rating"], f["source"], f["staff_user"]) for f in fb] == [(1, "shopper", None), (-1, "staff", "amy")]
    assert set(fb[0]) == set(SCHEMA["feedback"])


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


def test_read_only_refuses_a_database_an_older_version_wrote(tmp_path):
    """The tables are there but later migrations are not (no ``stage`` columns yet): refused with what to do,
    instead of an SQL error half-way through a report; the file is left as it was."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for table in ("sessions", "messages", "events"):
        conn.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="older shopguide: migrations m001_initial") as err:
        Store(path, read_only=True)
    assert "shopguide serve" in err.value.hint and path.read_bytes() == before
    Store(tmp_path / "new.db").close()  # a current one opens read-only
    Store(tmp_path / "new.db", read_only=True).close()
    # one without the writer-only turn-lease migration (WRITER_ONLY_MIGRATIONS): reports and training read it
    prev = tmp_path / "no-leases.db"
    Store(prev).close()
    conn = sqlite3.connect(prev)
    conn.execute("DROP TABLE turn_leases")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_turn_leases'")
    conn.commit()
    conn.close()
    reader = Store(prev, read_only=True)
    assert reader.sessions() == [] and "m005_turn_leases" not in reader.schema_version()
    reader.close()


def test_integrity_check(chat_store):
    chat_store.ensure_session("s", arm="intent")
    assert chat_store.integrity_check() == "ok"
    assert json.loads(json.dumps(chat_store.sessions()))[0]["id"] == "s"


def test_a_store_from_before_stages_is_migrated_and_keeps_its_rows(tmp_path):
    """A database written by the previous version (migration 1 only) gains the stage columns, rows intact."""
    import sqlite_utils

    from chatbot.service.store import m001_initial

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    m001_initial(db)
    db["sessions"].insert({"id": "old", "arm": "intent", "created": "2026-01-01T00:00:00+00:00"})
    db["messages"].insert({"id": 1, "session_id": "old", "role": "user", "text": "有跑鞋吗"})
    db["intent_scores"].insert({"message_id": 1, "session_id": "old", "score": 0.4, "session_score": 0.4})
    db["_sqlite_migrations"].insert({"migration_set": "shopguide", "name": "m001_initial",
                                     "applied_at": "2026-01-01T00:00:00"})  # as the previous version left it
    db.close()
    store = Store(path)
    assert "m002_stages" in store.schema_version()
    turn = store.turns("old")[0]
    assert turn["text"] == "有跑鞋吗" and turn["score"] == 0.4 and turn["stage"] is None and turn["stage_probs"] is None
    assert store.stage_timeline("old") == [{"kind": "message", "at": None, "probs": None}]


def test_stage_timeline_orders_messages_and_events(chat_store):
    chat_store.ensure_session("t", arm="intent")
    chat_store.add_user_message("t", "跑鞋", score=0.4, stage_probs={"consider": 0.8, "browse": 0.2})
    chat_store.add_event("t", "p1", "impression")
    chat_store.add_event("t", "p1", "add_to_cart")
    chat_store.add_user_message("t", "谢谢", score=0.1, stage_probs={"browse": 0.9, "consider": 0.1})
    line = chat_store.stage_timeline("t")
    assert [x["kind"] for x in line] == ["message", "add_to_cart", "message"]  # impressions are not behaviour
    assert line[0]["probs"] == {"consider": 0.8, "browse": 0.2}
    assert chat_store.query("SELECT stage FROM intent_scores WHERE session_id = 't' ORDER BY id") == [
        {"stage": "consider"}, {"stage": "browse"}]


def test_the_queue_counts_the_cart_like_the_cart(chat_store):
    """A partial checkout leaves the rest in the cart, in Store.cart and in the staff queue alike."""
    chat_store.ensure_session("q", arm="intent")
    for pid in ("A", "B", "B"):
        chat_store.add_event("q", pid, "add_to_cart", price=1.0)
    chat_store.add_order("q", [{"product_id": "A", "quantity": 1, "price": 1.0}])
    assert chat_store.cart("q") == [{"product_id": "B", "quantity": 2}]
    assert next(r for r in chat_store.queue() if r["id"] == "q")["cart_items"] == 2


def test_an_old_hand_off_stays_in_the_queue_behind_many_newer_sessions(chat_store):
    chat_store.ensure_session("asked-for-help", arm="intent")
    chat_store.flag_help("asked-for-help", "refund")
    for i in range(230):  # newer browsing sessions, more than the queue reads at once
        chat_store.ensure_session(f"browsing-{i:03d}", arm="baseline")
        chat_store.add_user_message(f"browsing-{i:03d}", "随便看看")
    rows = chat_store.queue(limit=10)
    assert rows[0]["id"] == "asked-for-help" and rows[0]["priority"] == 1 and len(rows) == 10


def test_two_checkouts_of_one_cart_at_once_place_one_order(tmp_path):
    """Two app processes (two Store objects on one file) both try to order the same cart: one order, and the
    other is told the items are no longer in the cart."""
    path = tmp_path / "shared.db"
    assert_one_order_from_two_checkouts(Store(path), Store(path), "s")


def assert_one_order_from_two_checkouts(a: Store, b: Store, sid: str) -> None:
    """``a`` and ``b`` (two stores on one database) order the same one-item cart at once: one order is placed,
    the other is told the item is no longer in the cart. Shared with the PostgreSQL tests."""
    from concurrent.futures import ThreadPoolExecutor

    a.ensure_session(sid, arm="intent")
    a.add_event(sid, "P1", "add_to_cart", price=10.0)
    barrier = threading.Barrier(2)

    def order(store):
        barrier.wait()
        try:
            return store.add_order(sid, [{"product_id": "P1", "quantity": 1, "price": 10.0}])["id"]
        except InputError as exc:
            return str(exc)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(order, (a, b)))
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert any(isinstance(r, str) and "no longer in the cart: P1" in r for r in results)
    assert len(a.orders(sid)) == 1 and a.cart(sid) == []
