"""One turn at a time per session across processes: the store's turn lease (``Store.claim_turn``) and
``ChatService`` holding it around each message, cart event and checkout."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest_chatbot import FakeIntentModel

from chatbot.service.chat import ChatService
from chatbot.service.store import Store


class SlowIntentModel(FakeIntentModel):
    """The fake model, slowed down, counting how many turns of one session are being scored at once."""

    def __init__(self, tracker: dict, seconds: float = 0.15) -> None:
        self.tracker = tracker
        self.seconds = seconds

    def predict(self, texts):
        with self.tracker["lock"]:
            self.tracker["active"] += 1
            self.tracker["max"] = max(self.tracker["max"], self.tracker["active"])
        time.sleep(self.seconds)
        try:
            return super().predict(texts)
        finally:
            with self.tracker["lock"]:
                self.tracker["active"] -= 1


def _service(store: Store, engine, parser, model=None) -> ChatService:
    return ChatService(store=store, intent_model=model or FakeIntentModel(), recommenders=engine.recommenders,
                       parser=parser, products=engine.products)


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


def assert_two_services_answer_one_turn_at_a_time(store_a: Store, store_b: Store, engine, parser, *,
                                                  seconds: float = 0.15, ttl_s: float | None = None) -> None:
    """Two ChatServices (each with its own in-process locks, as two app processes have) on one database get
    two messages of one session at once: the second waits for the first, and the session's log is
    user, assistant, user, assistant — each reply directly after its own message. With ``ttl_s`` shorter
    than a turn (``seconds``), the running turn must renew its lease for that to hold."""
    tracker = {"lock": threading.Lock(), "active": 0, "max": 0}
    services = [_service(s, engine, parser, SlowIntentModel(tracker, seconds)) for s in (store_a, store_b)]
    if ttl_s is not None:
        for service in services:
            service.turn_ttl_s = ttl_s
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


def test_a_turn_longer_than_the_lease_renews_it(tmp_path, chat_engine, chat_parser):
    path = tmp_path / "slow.db"
    assert_two_services_answer_one_turn_at_a_time(Store(path), Store(path), chat_engine, chat_parser, seconds=1.0,
                                                  ttl_s=0.3)


def test_a_failed_or_abandoned_turn_gives_the_lease_back(tmp_path, chat_engine, chat_parser):
    from test_chat_service import Boom, ExplodingRecommender

    store = Store(tmp_path / "f.db")
    service = _service(store, chat_engine, chat_parser)
    sid = service.chat(None, "你好")["session_id"]
    working = service.recommenders
    service.recommenders = {"intent": ExplodingRecommender(), "baseline": ExplodingRecommender()}
    with pytest.raises(Boom):
        service.chat(sid, "有没有跑鞋")
    service.recommenders = working
    assert store.query("SELECT COUNT(*) AS n FROM turn_leases")[0]["n"] == 0
    stream = service.chat_stream(sid, "想买跑鞋")
    next(stream)  # the finished turn is the last event; closing before reading it still ends the turn
    stream.close()
    assert store.query("SELECT COUNT(*) AS n FROM turn_leases")[0]["n"] == 0
    assert service.chat(sid, "谢谢")["reply"]


def test_a_turn_gives_up_on_a_lease_that_never_ends_with_a_clear_error(tmp_path, chat_engine, chat_parser):
    from chatbot.errors import StoreError

    store = Store(tmp_path / "w.db")
    service = _service(store, chat_engine, chat_parser)
    sid = service.chat(None, "你好")["session_id"]
    assert store.claim_turn(sid, "a host with its clock a day ahead", 86_400)
    service.turn_wait_s = 0.3
    with pytest.raises(StoreError, match="still busy") as err:
        service.chat(sid, "想买跑鞋")
    assert "again" in err.value.hint and len(store.messages(sid)) == 2  # nothing half-done


def test_a_lease_left_by_a_dead_process_delays_the_turn_but_loses_nothing(tmp_path, chat_engine, chat_parser):
    store = Store(tmp_path / "d.db")
    service = _service(store, chat_engine, chat_parser)
    service.chat("s", "你好")
    assert store.claim_turn("s", "host:999:dead", 0.4)  # a process that died mid-turn
    started = time.perf_counter()
    out = service.chat("s", "想买跑鞋")
    assert time.perf_counter() - started >= 0.3  # it waited for the lease to expire
    assert out["reply"] and [m["role"] for m in store.messages("s")] == ["user", "assistant"] * 2


@pytest.mark.parametrize("action", ["click", "checkout", "staff_reply", "take_over", "give_back"])
def test_cart_checkout_and_staff_actions_wait_for_the_turn_of_another_process(tmp_path, chat_engine, chat_parser,
                                                                              action):
    store = Store(tmp_path / "e.db")
    service = _service(store, chat_engine, chat_parser)
    service.chat("s", "你好")
    service.event("s", "S1", "add_to_cart")
    run = {"click": lambda: service.event("s", "S1", "click"), "checkout": lambda: service.checkout("s"),
           "staff_reply": lambda: service.staff_reply("s", "您好", "wang"),
           "take_over": lambda: service.take_over("s", "wang"), "give_back": lambda: service.give_back("s")}[action]
    before = (len(store.events("s")), len(store.messages("s")), store.session("s"))
    assert store.claim_turn("s", "other-process", 30)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (run(), done.set()))
    worker.start()
    time.sleep(0.3)
    assert not done.is_set()  # held back while the other turn runs: nothing written yet
    assert (len(store.events("s")), len(store.messages("s")), store.session("s")) == before
    store.release_turn("s", "other-process")
    worker.join(5)
    assert done.is_set()
