"""``shopguide batch report``: demand per product and day, promotion candidates and retargeting audiences from a
real session database, checked against numbers worked out by hand.

The store is written through its own methods with a scripted clock (two days of sessions over the chat tests'
catalog); a second test runs real conversations through the ChatService (scripted intent model) and checks the
report against the stages the store recorded.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from conftest_chatbot import chat_catalog

import chatbot.service.store as store_module
from chatbot.batch.report import build_report, catalog_index, write_report
from chatbot.cli import cli
from chatbot.service.store import Store

CONSIDER = {"browse": 0.1, "consider": 0.7, "ready": 0.1, "service": 0.1}
READY = {"browse": 0.05, "consider": 0.15, "ready": 0.75, "service": 0.05}
BROWSE = {"browse": 0.8, "consider": 0.1, "ready": 0.05, "service": 0.05}
SERVICE = {"browse": 0.1, "consider": 0.1, "ready": 0.05, "service": 0.75}


class Clock:
    """The store's ``now``: a set moment, one millisecond later on every call (so rows keep their order)."""

    def __init__(self) -> None:
        self.t = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)

    def at(self, day: int, hour: int) -> None:
        self.t = datetime(2026, 11, day, hour, tzinfo=timezone.utc)

    def __call__(self) -> str:
        self.t += timedelta(milliseconds=1)
        return self.t.isoformat(timespec="microseconds")


def say(store: Store, sid: str, probs: dict) -> None:
    """A shopper message whose session stage (and message stage) is the argmax of ``probs``."""
    store.add_user_message(sid, "…", score=0.5, session_score=0.5, stage_probs=probs, session_probs=probs)


def show(store: Store, sid: str, *pids: str) -> None:
    recs = [{"rank": i, "product_id": p, "recommender": "intent", "score": 1.0, "parts": {}} for i, p in enumerate(pids)]
    store.add_assistant_message(sid, "看看这些", recommendations=recs)


@pytest.fixture
def two_days(tmp_path, monkeypatch):
    """Seven sessions over 2026-11-01 and -02 (S1, S2: shoes; E1: earphones):

    - s1 (day 1): consider, shown S1 S2, clicks S1; ready, shown S1, adds S1 to the cart and buys it.
    - s2 (day 1): browse, shown S1 (not counted); consider, shown S1 E1. Last stage consider, no purchase.
    - s3 (day 2): clicks S2 before any message (not counted); consider, shown S2. Last stage consider.
    - s4 (day 2): consider, shown S2 E1; then after-sales (service): last stage service.
    - s5 (day 2, simulator): consider, shown S2: left out unless simulated sessions are included.
    - s6 (day 2): ready, shown E1.
    - s7 (day 2): browse only, shown S1.
    """
    clock = Clock()
    monkeypatch.setattr(store_module, "now", clock)
    db = tmp_path / "shop.db"
    store = Store(db)
    clock.at(1, 9)
    for sid in ("s1", "s2"):
        store.ensure_session(sid, arm="intent")
    say(store, "s1", CONSIDER)
    show(store, "s1", "S1", "S2")
    store.add_event("s1", "S1", "click")
    say(store, "s1", READY)
    show(store, "s1", "S1")
    store.add_event("s1", "S1", "add_to_cart")
    store.add_event("s1", "S1", "add_to_cart")  # two in the cart: the order of two is checked against it
    store.add_order("s1", [{"product_id": "S1", "quantity": 2, "price": 399.0}])
    say(store, "s2", BROWSE)
    show(store, "s2", "S1")
    say(store, "s2", CONSIDER)
    show(store, "s2", "S1", "E1")
    clock.at(2, 10)
    for sid in ("s3", "s4", "s6", "s7"):
        store.ensure_session(sid, arm="baseline")
    store.ensure_session("s5", arm="baseline", source="simulator")
    store.add_event("s3", "S2", "click")
    say(store, "s3", CONSIDER)
    show(store, "s3", "S2")
    say(store, "s4", CONSIDER)
    show(store, "s4", "S2", "E1")
    say(store, "s4", SERVICE)
    say(store, "s5", CONSIDER)
    show(store, "s5", "S2")
    say(store, "s6", READY)
    show(store, "s6", "E1")
    say(store, "s7", BROWSE)
    show(store, "s7", "S1")
    store.close()
    return db


def pick(rows, **where):
    return [{k: v for k, v in r.items() if k not in where} for r in rows
            if all(r[k] == v for k, v in where.items())]


def counts(row):
    return (row["consider_sessions"], row["ready_sessions"], row["sessions"], row["buyer_sessions"])


def test_report_numbers_by_hand(two_days):
    store = Store(two_days, read_only=True)
    rep = build_report(store, catalog_index(chat_catalog()), min_consider=2, max_ready_rate=0.3)
    store.close()
    assert rep.sessions == 6 and rep.days == ["2026-11-01", "2026-11-02"]
    demand = {(r["day"], r["product_id"]): counts(r) for r in rep.demand_products}
    assert demand == {
        ("2026-11-01", "S1"): (1, 1, 2, 1),  # s2 consider, s1 ready (and bought it)
        ("2026-11-01", "S2"): (1, 0, 1, 0),  # s1
        ("2026-11-01", "E1"): (1, 0, 1, 0),  # s2
        ("2026-11-02", "S2"): (2, 0, 2, 0),  # s3, s4 (s3's early click and s5 the simulator are not counted)
        ("2026-11-02", "E1"): (1, 1, 2, 0),  # s4 consider, s6 ready
    }
    assert [(r["day"], r["product_id"]) for r in rep.demand_products] == [
        ("2026-11-01", "S1"), ("2026-11-01", "E1"), ("2026-11-01", "S2"), ("2026-11-02", "E1"), ("2026-11-02", "S2")]
    s1 = pick(rep.demand_products, day="2026-11-01", product_id="S1")[0]
    assert s1["category"] == "shoes" and s1["title"] == "Li-Ning Chitu 6 running shoes"
    by_cat = {(r["day"], r["category"]): counts(r) for r in rep.demand_categories}
    assert by_cat == {("2026-11-01", "shoes"): (1, 1, 2, 1), ("2026-11-01", "earphones"): (1, 0, 1, 0),
                      ("2026-11-02", "shoes"): (2, 0, 2, 0), ("2026-11-02", "earphones"): (1, 1, 2, 0)}

    promo = {r["product_id"]: (counts(r), r["ready_rate"], r["candidate"]) for r in rep.promotion_products}
    assert promo == {
        "S2": ((3, 0, 3, 0), 0.0, True),       # s1, s3, s4 considered it; nobody was ready
        "E1": ((2, 1, 3, 0), 0.3333, False),   # s2, s4 consider, s6 ready: ready rate 1/3 > 0.3
        "S1": ((1, 1, 2, 1), 0.5, False),      # only one considering session (< 2)
    }
    assert [r["product_id"] for r in rep.promotion_products] == ["S2", "E1", "S1"]  # candidates first
    cats = {r["category"]: (counts(r), r["ready_rate"], r["candidate"]) for r in rep.promotion_categories}
    assert cats == {"shoes": ((3, 1, 4, 1), 0.25, True),        # s2, s3, s4 consider; s1 ready
                    "earphones": ((2, 1, 3, 0), 0.3333, False)}

    # audiences: last stage consider and no purchase: s2 (shoes S1 twice, earphones E1) and s3 (shoes S2),
    # the most recently active first in each category
    assert [(r["category"], r["session_id"], r["products"], r["touches"]) for r in rep.audiences] == [
        ("earphones", "s2", "E1", 1), ("shoes", "s3", "S2", 2), ("shoes", "s2", "S1", 2)]

    store = Store(two_days, read_only=True)
    looser = build_report(store, catalog_index(chat_catalog()), min_consider=2, max_ready_rate=1 / 3,
                          include_simulated=True)
    store.close()
    assert looser.sessions == 7
    promo = {r["product_id"]: (counts(r), r["candidate"]) for r in looser.promotion_products}
    assert promo["S2"] == ((4, 0, 4, 0), True) and promo["E1"] == ((2, 1, 3, 0), True)  # rate <= max counts
    assert ("shoes", "s5") in {(r["category"], r["session_id"]) for r in looser.audiences}


def test_unknown_products_and_an_empty_store(tmp_path, two_days):
    store = Store(two_days, read_only=True)
    rep = build_report(store, {}, min_consider=1)  # no catalog: every product's category is unknown
    store.close()
    assert {r["category"] for r in rep.demand_products} == {"unknown"}
    assert {(r["category"], r["consider_sessions"]) for r in rep.promotion_categories} == {("unknown", 3)}
    empty = Store(tmp_path / "empty.db")
    rep = build_report(empty, catalog_index(chat_catalog()))
    paths = write_report(rep, tmp_path / "empty-report")
    empty.close()
    assert rep.sessions == 0 and rep.demand_products == [] and rep.audiences == []
    assert (tmp_path / "empty-report" / "demand.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(paths) == 8


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_cli_writes_csv_and_png_files(two_days, tmp_path, chat_products_path):
    out = tmp_path / "report"
    run = CliRunner().invoke(cli, ["batch", "report", "--db", str(two_days), "--out", str(out), "--catalog",
                                   str(chat_products_path), "--min-consider", "2", "--max-ready-rate", "0.3",
                                   "--json"])
    assert run.exit_code == 0, run.output
    summary = json.loads(run.output.strip().splitlines()[-1])
    assert summary["promotion_candidates"] == ["S2"] and summary["promotion_candidate_categories"] == ["shoes"]
    assert summary["audience_sessions"] == 2 and summary["audiences"] == {"shoes": 2, "earphones": 1}
    assert summary["rule"] == {"min_consider": 2, "max_ready_rate": 0.3}
    names = {"demand_products.csv", "demand_categories.csv", "promotion_products.csv", "promotion_categories.csv",
             "audiences.csv", "demand.png", "promotions.png", "audiences.png"}
    assert {p.name for p in out.iterdir()} == names == set(summary["files"])
    for name in names:
        if name.endswith(".png"):
            from matplotlib.image import imread

            assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and imread(out / name).shape[1] >= 600
    demand = read_csv(out / "demand_products.csv")
    assert list(demand[0]) == ["day", "product_id", "title", "category", "consider_sessions", "ready_sessions",
                               "sessions", "buyer_sessions"]
    assert demand[0] == {"day": "2026-11-01", "product_id": "S1", "title": "Li-Ning Chitu 6 running shoes",
                         "category": "shoes", "consider_sessions": "1", "ready_sessions": "1", "sessions": "2",
                         "buyer_sessions": "1"}
    promo = read_csv(out / "promotion_products.csv")
    assert [(r["product_id"], r["ready_rate"], r["candidate"]) for r in promo] == [
        ("S2", "0.0", "True"), ("E1", "0.3333", "False"), ("S1", "0.5", "False")]
    assert [r["session_id"] for r in read_csv(out / "audiences.csv")] == ["s2", "s3", "s2"]
    text = CliRunner().invoke(cli, ["batch", "report", "--db", str(two_days), "--out", str(out)])
    assert text.exit_code == 0 and "6 sessions over 2 days" in text.output and "Wrote 8 files" in text.output
    missing = CliRunner().invoke(cli, ["batch", "report", "--db", str(tmp_path / "nope.db"), "--out", str(out)])
    assert missing.exit_code == 1 and "does not exist" in missing.output and "Traceback" not in missing.output


def test_report_over_real_chat_sessions(chat_services, chat_products):
    """Conversations through the real ChatService (scripted intent model): the report counts what the store
    recorded — each shown product once per session at the session's stage after the message."""
    chat = chat_services.chat
    considering = chat.chat(None, "有没有适合跑步的鞋")          # no buying or browsing words: consider
    sid = considering["session_id"]
    chat.chat(sid, "降噪耳机呢")
    browsing = chat.chat(None, "随便看看跑鞋")                    # browse: what it is shown does not count
    buying = chat.chat(None, "我要买 airpods")                   # ready
    chat.event(buying["session_id"], "E1", "add_to_cart")
    chat.checkout(buying["session_id"])
    store = chat_services.store
    expected: dict[str, dict[str, set]] = {}
    for s in {sid, browsing["session_id"], buying["session_id"]}:
        for turn in store.turns(s):
            stage = turn["session_stage"]
            for rec in turn["recommendations"]:
                if stage in ("consider", "ready"):
                    expected.setdefault(rec["product_id"], {"consider": set(), "ready": set()})[stage].add(s)
    for per in expected.values():  # a session counts once per product, at its furthest stage
        per["consider"] -= per["ready"]
    assert expected, "the conversations showed no products"
    rep = build_report(store, catalog_index(chat_products), min_consider=1, max_ready_rate=0.5)
    got = {r["product_id"]: (r["consider_sessions"], r["ready_sessions"]) for r in rep.promotion_products}
    assert got == {p: (len(v["consider"]), len(v["ready"])) for p, v in expected.items()}
    assert sum(r["buyer_sessions"] for r in rep.demand_products if r["product_id"] == "E1") == 1
    last = store.turns(sid)[-1]["session_stage"]
    audience = {r["session_id"] for r in rep.audiences}
    assert (sid in audience) == (last == "consider")
    assert browsing["session_id"] not in audience and buying["session_id"] not in audience
