"""One turn at a time per session across processes: the store's turn lease (``Store.claim_turn``) and
``ChatService`` holding it around each message, cart event and checkout."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest_chatbot import FakeIntentModel

from chatbot.service.chat import ChatService
from chatbot.service.store import Store


class SlowIntentModel(FakeIntentModel):
    """The fake model, slowed down, counting how many turns of one session are being scored at once."""

    def __init__(self, tracker: dict) -> None:
        self.tracker = tracker

    def predict(self, texts):
        with self.tracker["lock"]:
            self.tracker["active"] += 1
            self.tracker["max"] = max(self.tracker["max"], self.tracker["active"])
        time.sleep(0.15)
        try:
            return super().predict(texts)
        finally:
            with self.tracker["lock"]:
                self.tracker["active"] -= 1


def assert_claims_are_exclusive(store: Store, sid: str) -> None:
    """The lease semantics on one backend (shared with the PostgreSQL tests)."""
    assert store.claim_turn(sid, "A", 30)
    assert store.claim_turn(sid, "A", 30)  # the owner may renew it
    assert not store.claim_turn(sid, "B", 30)
    store.release_turn(sid, "B")  # not B's: nothing happens
    assert not store.claim_turn(sid, "B", 30)
    store.release_turn(sid, "A")
    assert store.claim_turn(sid, "B", 0.2)
    assert not store.claim_turn(sid, "C", 30)
    time.sleep(0.3)  # B died holding it: the lease expires
    assert store.claim_turn(sid, "C", 30)
    assert store.claim_turn(f"{sid}-other", "B", 30)  # leases are per session
    store.release_turn(sid, "C")
    store.release_turn(f"{sid}-other", "B")
    assert store.query("SELECT COUNT(*) AS n FROM turn_leases")[0]["n"] == 0


def assert_two_services_answer_one_turn_at_a_time(store_a: Store, store_b: Store, engine, parser) -> None:
    """Two ChatServices (each with its own in-process locks, as two app processes have) on one database get
    two messages of one session at once: the second waits for the first, and the session's log is
    user, assistant, user, assistant — each reply directly after its own message."""
    tracker = {"lock": threading.Lock(), "active": 0, "max": 0}
    services = [ChatService(store=s, intent_model=SlowIntentModel(tracker), recommenders=engine.recommenders,
                            parser=parser, products=engine.products) for s in (store_a, store_b)]
    sid = "shared-turn"
    services[0].chat(sid, "你好")  # the session exists before the race
    barrier = threading.Barrier(2)

    def send(k: int) -> dict:
        barrier.wait()
        return services[k].chat(sid, f"m{k} 想买跑鞋 500以内")

    with ThreadPoolExecutor(2) as pool:
        outs = list(pool.map(send, (0, 1)))
    assert all(o["reply"] for o in outs)
    assert tracker["max"] == 1  # never two turns of the session at once
    roles = [(m["role"], m["text"].split(" ", 1)[0]) for m in store_a.messages(sid)]
    assert [r for r, _ in roles] == ["user", "assistant"] * 3, roles
    assert store_a.query("SELECT COUNT(*) AS n FROM turn_leases")[0]["n"] == 0  # every lease given back


def test_claims_are_exclusive_and_expire(tmp_path):
    assert_claims_are_exclusive(Store(tmp_path / "l.db"), "s")


def test_two_services_on_one_file_answer_one_turn_at_a_time(tmp_path, chat_engine, chat_parser):
    path = tmp_path / "shared.db"
    assert_two_services_answer_one_turn_at_a_time(Store(path), Store(path), chat_engine, chat_parser)


def test_a_lease_left_by_a_dead_process_delays_the_turn_but_loses_nothing(tmp_path, chat_engine, chat_parser,
                                                                          monkeypatch):
    store = Store(tmp_path / "d.db")
    service = ChatService(store=store, intent_model=FakeIntentModel(), recommenders=chat_engine.recommenders,
                          parser=chat_parser, products=chat_engine.products)
    service.chat("s", "你好")
    assert store.claim_turn("s", "host:999:dead", 0.4)  # a process that died mid-turn
    started = time.perf_counter()
    out = service.chat("s", "想买跑鞋")
    assert time.perf_counter() - started >= 0.3  # it waited for the lease to expire
    assert out["reply"] and [m["role"] for m in store.messages("s")] == ["user", "assistant"] * 2


def test_a_cart_event_waits_for_the_turn_of_another_process(tmp_path, chat_engine, chat_parser):
    store = Store(tmp_path / "e.db")
    service = ChatService(store=store, intent_model=FakeIntentModel(), recommenders=chat_engine.recommenders,
                          parser=chat_parser, products=chat_engine.products)
    service.chat("s", "你好")
    assert store.claim_turn("s", "other-process", 30)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (service.event("s", "S1", "click"), done.set()))
    worker.start()
    time.sleep(0.3)
    assert not done.is_set() and store.events("s", "click") == []  # held back while the other turn runs
    store.release_turn("s", "other-process")
    worker.join(5)
    assert done.is_set() and len(store.events("s", "click")) == 1
