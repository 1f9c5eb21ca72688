"""The session store on PostgreSQL (a real private server, ``conftest_pg``): the store's own test-suite on it, the
same schema and the same dicts as SQLite, migrations once under a concurrent start, read-only, the URL in the
settings and the CLI, and two app processes writing one database under concurrent load."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

# The backend-neutral tests of the store's suite, collected here a second time: in this module ``chat_store``
# (below) is a Store on a fresh PostgreSQL database, so each of them runs on both backends.
from test_store import (  # noqa: F401
    SCHEMA,
    test_cart_logic,
    test_events_are_validated,
    test_feedback,
    test_integrity_check,
    test_messages_scores_and_turns,
    test_named_reads_of_the_chat_service,
    test_named_reads_of_the_staff_console,
    test_session_arm_is_sticky_and_can_be_forced,
    test_stage_timeline_orders_messages_and_events,
    test_text_round_trips_verbatim,
    test_the_queue_counts_the_cart_like_the_cart,
    test_training_sessions,
)

from chatbot.errors import StoreError
from chatbot.service import store as store_module
from chatbot.service.store import Store
from chatbot.service.store_pg import redact

MIGRATION_NAMES = ["m001_initial", "m002_stages", "m003_orders", "m004_writers", "m005_turn_leases",
                   "m006_staffed"]
TESTS_DIR = Path(__file__).resolve().parent


@pytest.fixture
def chat_store(pg_store):
    """``chat_store`` of the imported store tests, on PostgreSQL."""
    return pg_store


def _count(store: Store, table: str) -> int:
    return store.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]


def test_migrations_apply_once_and_are_recorded(pg_url):
    first = Store(pg_url)
    assert first.backend == "postgresql" and first.schema_version() == MIGRATION_NAMES
    first.ensure_session("s", arm="intent")
    second = Store(pg_url)  # reopening must not re-run (or fail on) the migrations
    assert second.schema_version() == MIGRATION_NAMES
    rows = second.query("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")
    assert rows == [{"migration_set": "shopguide", "name": n} for n in MIGRATION_NAMES]
    assert second.session("s")["arm"] == "intent"
    first.close()
    second.close()


def test_schema_is_the_sqlite_schema(pg_store):
    cols = pg_store.query("SELECT table_name, column_name, data_type, collation_name, column_default"
                          " FROM information_schema.columns WHERE table_schema = current_schema()"
                          " ORDER BY table_name, ordinal_position")
    tables: dict[str, list[str]] = {}
    for c in cols:
        tables.setdefault(c["table_name"], []).append(c["column_name"])
    assert tables == SCHEMA  # same tables, same columns in the same order
    types = {(c["table_name"], c["column_name"]): c for c in cols}
    assert types["messages", "id"]["data_type"] == "bigint" and "nextval" in types["messages", "id"]["column_default"]
    assert types["sessions", "intent"]["data_type"] == "double precision"  # REAL: 8 bytes as in SQLite
    assert types["intent_scores", "message_id"]["data_type"] == "bigint"
    assert {c["collation_name"] for c in cols if c["data_type"] == "text"} == {"C"}  # text sorts as SQLite's
    assert types["sessions", "source"]["column_default"].startswith("'web'")
    fks = pg_store.query(
        "SELECT kcu.column_name, ccu.table_name AS other FROM information_schema.table_constraints tc"
        " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
        " JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name"
        " WHERE tc.table_name = 'messages' AND tc.constraint_type = 'FOREIGN KEY'")
    assert fks == [{"column_name": "session_id", "other": "sessions"}]
    indexes = {r["indexname"] for r in pg_store.query("SELECT indexname FROM pg_indexes WHERE schemaname = "
                                                      "current_schema() AND indexname LIKE 'idx_%'")}
    assert indexes == {"idx_messages_session_id_id", "idx_intent_scores_session_id", "idx_events_session_id_type",
                       "idx_recommendations_session_id_message_id", "idx_orders_session_id",
                       "idx__sqlite_migrations_migration_set_name"}


def _scenario(store: Store) -> dict:
    """Every write method, then every read method: the results by name."""
    s = store
    s.ensure_session("a", arm="intent", experiment="exp", user_agent="ua", source="web")
    s.ensure_session("b", arm="baseline", experiment="exp", source="api")
    s.ensure_session("sim", arm="intent", experiment="other", source="simulator")
    s.ensure_session("a", arm="baseline")  # sticky
    s.force_arm("b", "placebo")
    m1 = s.add_user_message("a", "想买跑鞋\x00\ud800", score=0.4, session_score=0.35, model_version="v1", lang="zh",
                            stage_probs={"consider": 0.8, "browse": 0.2}, session_probs={"consider": 0.7, "ready": 0.3})
    shown = [{"rank": 1, "product_id": "S1", "recommender": "intent", "score": 0.9, "parts": {"relevance": 0.9}},
             {"rank": 2, "product_id": "S2", "recommender": "intent", "score": 0.5}]
    r1 = s.add_assistant_message("a", "看看这些", recommendations=shown, prices={"S1": 399, "S2": 799.5}, lang="zh",
                                 action="recommend", state={"filters": {"max_price": 500}}, writer="openai:qwen",
                                 writer_verdict="ok", writer_reason=None)
    s.add_user_message("a", "unscored")
    s.add_assistant_message("a", "好的", writer="openai:qwen", writer_verdict="fallback", writer_reason="price")
    s.add_user_message("b", "随便看看", score=0.1, session_score=0.1)
    s.add_assistant_message("b", "欢迎")
    for pid in ("S1", "S1", "S2"):
        s.add_event("a", pid, "add_to_cart", price=399.0, recommendation_id=s.last_recommendation_id("a", pid))
    s.add_event("a", "S2", "remove")
    s.add_event("a", "S9", "click")
    order = s.add_order("a", [{"product_id": "S1", "quantity": 1, "price": 399.0}])
    s.add_event("b", "E1", "purchase", price=19.5)
    s.add_feedback("a", 1, message_id=r1)
    s.add_feedback("a", -1, source="staff", recommendation_id=1, product_id="S2", staff_user="amy", note="meh")
    s.flag_help("b", "refund")
    s.clear_help("a", "amy")
    s.add_user_message("sim", "simulated", score=0.9, session_score=0.9)
    rec = s.recommendations("a")[0]
    return {
        "order": order, "session": s.session("a"), "missing": s.session("zz"), "sessions": s.sessions(),
        "sessions_page": s.sessions(limit=1, offset=1), "messages": s.messages("a"), "last_message_id": s.last_message_id("a"),
        "intent_scores": s.intent_scores("a"), "stage_timeline": s.stage_timeline("a"),
        "last_recommendations": s.last_recommendations("a"), "recommendations": s.recommendations("a"),
        "recommendation": s.recommendation("a", rec["id"]), "no_recommendation": s.recommendation("b", rec["id"]),
        "last_recommendation_id": s.last_recommendation_id("a", "S2"), "events": s.events(),
        "events_a_cart": s.events("a", "add_to_cart"), "last_event_id": s.last_event_id("a"),
        "events_after": s.events_after("a", m1), "orders": s.orders(), "orders_b": s.orders("b"), "cart": s.cart("a"),
        "queue": s.queue(), "feedback": s.feedback("a"), "turns": s.turns("a"), "writer_stats": s.writer_stats(),
        "writer_stats_since": s.writer_stats(datetime(2026, 1, 1, 0, 0, 8)),
        "training": s.training_sessions(), "training_all": s.training_sessions(include_simulated=True),
        "ab_outcomes": s.ab_outcomes("exp"), "ab_outcomes_api": s.ab_outcomes("exp", source="api"),
        "ab_experiments": s.ab_experiments(), "schema_version": s.schema_version(),
        "integrity": s.integrity_check(), "query": s.query("SELECT id, arm FROM sessions WHERE arm = :arm ORDER BY id",
                                                           {"arm": "intent"}),
        "like": s.query("SELECT count(*) AS n FROM messages WHERE text LIKE '%跑%' AND role = ?", ["user"]),
        "like_no_params": s.query("SELECT count(*) AS n, '?' AS mark FROM messages WHERE text LIKE '%?%'"),
        "text_column": s.query("SELECT text FROM messages ORDER BY id LIMIT 1"),
    }


def test_every_method_returns_the_same_dicts_as_on_sqlite(tmp_path, pg_url, monkeypatch):
    """The same calls on SQLite and on PostgreSQL, on a clock that ticks alike: equal results, equal types (a
    Decimal for an int or an int for a float would show in the repr)."""
    def clock():
        ticks = iter(range(10_000))
        start = datetime(2026, 1, 1, tzinfo=timezone.utc)
        return lambda: (start + timedelta(seconds=next(ticks))).isoformat(timespec="microseconds")

    results = []
    for target in (tmp_path / "same.db", pg_url):
        monkeypatch.setattr(store_module, "now", clock())
        store = Store(target)
        results.append(_scenario(store))
        store.close()
    sqlite, pg = results
    for key in set(sqlite) - {"text_column"}:
        assert repr(pg[key]) == repr(sqlite[key]), key
    assert sqlite["ab_experiments"][0]["forced"] == 0 and isinstance(pg["ab_outcomes"][0]["revenue"], float)
    assert sqlite["messages"][0]["text"] == "想买跑鞋\x00\ud800"  # restored from text_raw on both
    assert pg["text_column"] == [{"text": "想买跑鞋\ufffd\ufffd"}]  # what PostgreSQL text holds (no NUL)
    assert sqlite["text_column"] == [{"text": "想买跑鞋\x00\ufffd"}]  # SQLite keeps the NUL


def test_nul_is_kept_in_messages_and_replaced_elsewhere(pg_store):
    """PostgreSQL text has no NUL: a message keeps it (``text_raw``), another value has U+FFFD in its place."""
    pg_store.ensure_session("s", arm="intent", user_agent="bad\x00client")
    pg_store.add_user_message("s", "a\x00b")
    pg_store.add_event("s", "P\x00", "click")
    assert [m["text"] for m in pg_store.messages("s")] == ["a\x00b"]
    assert pg_store.session("s")["user_agent"] == "bad\ufffdclient"
    assert [e["product_id"] for e in pg_store.events("s")] == ["P\ufffd"]


def test_missing_server_binaries_fail_not_skip(monkeypatch):
    """Without Debian's postgresql the PostgreSQL tests fail with the command that fixes it."""
    import conftest_pg

    monkeypatch.setattr(conftest_pg.glob, "glob", lambda pattern: [])
    with pytest.raises(pytest.fail.Exception, match=r"install postgresql \(apt-get install postgresql\)"):
        conftest_pg.find_pg_bin()


def test_concurrent_threads_lose_nothing(pg_store):
    """Threads of one process share one Store (a connection each) and write the same sessions."""
    n_threads, per_thread = 8, 15

    def work(t: int) -> None:
        for i in range(per_thread):
            sid = f"t{(t + i) % 4}"
            pg_store.ensure_session(sid, arm="intent")
            pg_store.add_user_message(sid, f"msg {t}-{i}", score=0.1, session_score=0.1)
            pg_store.add_event(sid, f"P{i}", "click", price=1.0)

    with ThreadPoolExecutor(n_threads) as pool:
        list(pool.map(work, range(n_threads)))  # re-raises a thread's error
    for table in ("messages", "intent_scores", "events"):
        assert _count(pg_store, table) == n_threads * per_thread
    assert _count(pg_store, "sessions") == 4
    texts = [r["text"] for r in pg_store.query("SELECT text FROM messages ORDER BY id")]
    for t in range(n_threads):
        assert [x for x in texts if x.startswith(f"msg {t}-")] == [f"msg {t}-{i}" for i in range(per_thread)]
    assert pg_store.integrity_check() == "ok"


def test_committed_rows_are_visible_to_another_connection(pg_store, pg_url):
    pg_store.ensure_session("s", arm="intent")
    pg_store.add_user_message("s", "hello")
    with psycopg.connect(pg_url) as other:
        assert other.execute("SELECT text FROM messages").fetchall() == [("hello",)]


def test_a_failed_write_leaves_nothing(pg_store):
    pg_store.ensure_session("s", arm="intent")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):  # an unknown session: the whole turn is rolled back
        pg_store.add_user_message("nope", "hi", score=0.5, session_score=0.5)
    assert _count(pg_store, "messages") == 0 and _count(pg_store, "intent_scores") == 0
    assert pg_store.add_user_message("s", "after") > 0  # the thread's connection is usable again


def test_read_only_store_reads_and_never_writes(pg_url, pg_server):
    writer = Store(pg_url)
    writer.ensure_session("s", arm="intent")
    writer.add_user_message("s", "跑鞋")
    writer.close()
    reader = Store(pg_url, read_only=True)
    assert [m["text"] for m in reader.messages("s")] == ["跑鞋"]
    with pytest.raises(StoreError, match="read-only"):
        reader.add_user_message("s", "more")
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):  # even SQL that bypasses the methods
        reader.conn.execute("DELETE FROM messages")
    assert _count(reader, "messages") == 1
    reader.close()
    empty = pg_server.create_database()
    with pytest.raises(StoreError, match="lacks the tables"):
        Store(empty, read_only=True)
    with psycopg.connect(empty) as conn:  # nothing created, not migrated
        assert conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                            ).fetchone()[0] == 0
    pg_server.drop_database(empty.rsplit("/", 1)[1])


def test_an_unreachable_server_is_a_store_error_without_the_password(pg_server):
    url = f"postgresql://shop:s3cretpw@127.0.0.1:{pg_server.port}/no_such_db"
    with pytest.raises(StoreError, match="cannot open the session database") as err:
        Store(url)
    assert "s3cretpw" not in str(err.value) and "shop:***@" in str(err.value)
    with pytest.raises(StoreError, match="cannot open"):
        Store(url, read_only=True)


@pytest.mark.parametrize("password", ["pa?ss", "a/b@c", "se%zzcret", "p:w"])
def test_no_part_of_an_odd_password_is_shown(pg_server, password):
    """A password with ?, /, @, a colon or a bad %-escape (libpq quotes that one in its error) is masked in the
    store's label and in its errors, in read-write and read-only mode."""
    url = f"postgresql://shop:{password}@127.0.0.1:{pg_server.port}/no_such_db"
    for read_only in (False, True):
        with pytest.raises(StoreError) as err:
            Store(url, read_only=read_only)
        assert password not in str(err.value) and "shop:***@127.0.0.1" in str(err.value), str(err.value)
    assert redact(url) == f"postgresql://shop:***@127.0.0.1:{pg_server.port}/no_such_db"
    assert redact("postgresql://shop@db/x?password=pw&sslmode=require") == \
        "postgresql://shop@db/x?password=***&sslmode=require"
    assert redact("postgresql://db.example/shopguide") == "postgresql://db.example/shopguide"


def test_settings_services_and_cli_take_a_url(pg_url, tmp_path):
    from chatbot.cli import cli
    from chatbot.cli.common import DB_TYPE
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    default = Settings(home=tmp_path)
    assert default.db_url is None and default.db_path == tmp_path / "shopguide.db"  # SQLite stays the default
    assert Services(default).store.backend == "sqlite"
    settings = Settings(home=tmp_path, db=pg_url)
    assert settings.db_url == pg_url
    with pytest.raises(ValueError, match="PostgreSQL URL"):
        settings.db_path  # noqa: B018
    store = Services(settings).store
    assert store.backend == "postgresql" and store.url == pg_url
    assert DB_TYPE.convert(pg_url, None, None) == pg_url
    assert DB_TYPE.convert("postgres://u@h/d", None, None) == "postgres://u@h/d"
    assert DB_TYPE.convert("x.db", None, None) == Path("x.db")
    for i, arm in enumerate(["intent", "baseline"] * 5):
        store.ensure_session(f"s{i}", arm=arm, experiment="intent-vs-baseline-v1")
        if i % 3 == 0:
            store.add_event(f"s{i}", "S1", "purchase", price=10.0)
    store.close()
    out = CliRunner().invoke(cli, ["ab", "report", "--db", pg_url, "--json"])
    assert out.exit_code == 0, out.output
    rep = json.loads(out.output)
    assert rep["sessions"] == 10 and {a: m["sessions"] for a, m in rep["arms"].items()} == {"intent": 5, "baseline": 5}


CHILD = r"""
import json, sys, threading, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest_catalog import FakeEncoder
from conftest_chatbot import FakeIntentModel

from catalog.engine import CatalogEngine
from chatbot.service.chat import ChatService
from chatbot.service.store import Store
from chatbot.service.wiring import catalog_parser

proc, url, products, index, go = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5])
engine = CatalogEngine.open(products, index, FakeEncoder())
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
start = time.time()
store = Store(url)  # both processes open (and migrate) the fresh database at once
service = ChatService(store=store, intent_model=FakeIntentModel(), recommenders=engine.recommenders,
                      parser=catalog_parser(engine), products=engine.products)
errors = []

def shopper(t):
    try:
        for i in range({turns}):
            sid = "shared-%d" % ((t + i) % {sessions})
            service.chat(sid, "%s-%d-%d 想买跑鞋 500以内" % (proc, t, i), source="api")
            if i % 4 == 0:
                service.event(sid, "S1", "click")
    except BaseException as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=shopper, args=(t,)) for t in range({threads})]
for th in threads:
    th.start()
for th in threads:
    th.join()
print(json.dumps({{"errors": errors, "start": start, "end": time.time()}}), flush=True)
"""


def test_two_app_processes_on_one_database_keep_every_message(pg_url, chat_products_path, tmp_path):
    """Two OS processes, each a ChatService (fake intent model, tiny catalog) with 3 shopper threads, chat in the
    same 6 sessions at once on one fresh database: every message is stored exactly once, in order."""
    n_threads, turns, sessions = 3, 12, 6
    script = CHILD.format(tests=str(TESTS_DIR), turns=turns, sessions=sessions, threads=n_threads)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", script, p, pg_url, str(chat_products_path),
                               str(tmp_path / f"index-{p}"), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in ("A", "B")]
    try:
        for p in procs:
            line = p.stdout.readline()
            assert line.strip() == "ready", p.stderr.read()
        go.touch()
        started = time.perf_counter()
        outs = [p.communicate(timeout=300) for p in procs]
    finally:
        for p in procs:
            p.kill() if p.poll() is None else None
    elapsed = time.perf_counter() - started
    spans = []
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        result = json.loads(out.strip().splitlines()[-1])
        assert result["errors"] == [], err
        spans.append((result["start"], result["end"]))
    assert max(s for s, _ in spans) < min(e for _, e in spans)  # the two processes did write at the same time
    store = Store(pg_url, read_only=True)
    assert store.schema_version() == MIGRATION_NAMES  # migrated once, though both processes started at once
    total = 2 * n_threads * turns
    users = store.query("SELECT id, session_id, text FROM messages WHERE role = 'user' ORDER BY id")
    texts = [u["text"].split(" ", 1)[0] for u in users]
    expected = {f"{p}-{t}-{i}" for p in "AB" for t in range(n_threads) for i in range(turns)}
    assert len(texts) == total and set(texts) == expected  # none lost, none duplicated
    assert _count(store, "messages") == 2 * total  # and one reply each
    assert _count(store, "intent_scores") == total
    assert _count(store, "events WHERE type = 'click'") == 2 * n_threads * len(range(0, turns, 4))
    sids = [r["id"] for r in store.query("SELECT id FROM sessions ORDER BY id")]
    assert sids == [f"shared-{k}" for k in range(sessions)]  # no duplicate sessions
    for p in "AB":  # each shopper's messages in the order sent, in the session each went to
        for t in range(n_threads):
            mine = [u for u, x in zip(users, texts, strict=True) if x.startswith(f"{p}-{t}-")]
            assert [u["text"].split(" ", 1)[0] for u in mine] == [f"{p}-{t}-{i}" for i in range(turns)]
            assert [u["session_id"] for u in mine] == [f"shared-{(t + i) % sessions}" for i in range(turns)]
    by_session = {}
    for m in store.query("SELECT session_id, role FROM messages ORDER BY id"):
        by_session.setdefault(m["session_id"], []).append(m["role"])
    writers = {r["session_id"] for r in store.query("SELECT DISTINCT session_id FROM messages")}
    assert writers == set(sids)
    for roles in by_session.values():  # the turn lease: each reply right after its own message, never interleaved
        assert roles == ["user", "assistant"] * (len(roles) // 2), roles
    assert store.integrity_check() == "ok"
    store.close()
    print(f"two processes: {2 * total} messages in {elapsed:.1f} s")


def test_intent_train_from_db_reads_a_postgresql_store(pg_url, tmp_path):
    """``intent train --from-db URL`` builds the same training rows from PostgreSQL as from a SQLite file."""
    from test_intent_cli import _make_db

    from chatbot.cli import cli

    _make_db(pg_url)
    _make_db(tmp_path / "same.db")
    manifests = {}
    for name, source in (("pg", pg_url), ("sqlite", str(tmp_path / "same.db"))):
        out = tmp_path / name
        r = CliRunner().invoke(cli, ["-q", "intent", "train", "--from-db", source, "--out", str(out),
                                     "--encoder", "tfidf", "--folds", "0"], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        manifests[name] = json.loads((out / "manifest.json").read_text())
    assert manifests["pg"]["data"] == f"db:{pg_url}"
    assert manifests["pg"]["training"]["n"] == manifests["sqlite"]["training"]["n"] >= 10
    assert manifests["pg"]["training"]["sha256"] == manifests["sqlite"]["training"]["sha256"]  # the very same rows
    from chatbot.cli.common import shown_db

    assert "secret" not in shown_db("postgresql://shop:secret@db.example/shopguide")  # what the manifest gets


def test_two_checkouts_of_one_cart_at_once_place_one_order_on_postgresql(pg_url):
    """As on SQLite: two stores (two app processes) ordering one cart at once give one order; the row lock makes
    the second wait for the first and then see the cart emptied."""
    from test_store import assert_one_order_from_two_checkouts

    assert_one_order_from_two_checkouts(Store(pg_url), Store(pg_url), "double-click")


def test_turn_leases_on_postgresql(pg_url, chat_engine, chat_parser):
    """The turn lease on PostgreSQL: exclusive, renewable by its owner, expiring; two services (two app
    processes) answer two messages of one session one after the other."""
    from test_turn_lease import assert_claims_are_exclusive, assert_two_services_answer_one_turn_at_a_time

    assert_claims_are_exclusive(Store(pg_url), "lease")
    assert_two_services_answer_one_turn_at_a_time(Store(pg_url), Store(pg_url), chat_engine, chat_parser)
