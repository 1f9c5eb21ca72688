"""ChatService: sessions and arms, what is stored and when, restart continuity, events, odd input, threads."""

from __future__ import annotations

import json
import threading
import time

import pytest

from chatbot.errors import InputError
from chatbot.experiment.assignment import assign_arm
from chatbot.service.chat import ChatService
from chatbot.service.store import Store
from intent.session import Observation, session_stage
from intent.stages import buy_score

KEYS = {"session_id", "reply", "lang", "kind", "arm", "intent", "stage", "stage_probs", "session_stage",
        "session_probs", "session_intent", "filters", "products"}
PRODUCT_KEYS = {"id", "title", "category", "brand", "price", "score", "stock", "rating", "reason", "parts"}


def make_service(store, engine, model, parser, **kw) -> ChatService:
    return ChatService(store=store, intent_model=model, recommenders=engine.recommenders, parser=parser,
                       products=engine.products, **kw)


def test_chat_returns_one_json_object_and_stores_everything(chat_service):
    out = chat_service.chat(None, "想买跑鞋，500以内", user_agent="pytest", source="api")
    assert KEYS <= set(out) and json.loads(json.dumps(out)) == out
    assert out["kind"] == "recommend" and out["lang"] == "zh" and out["filters"]["max_price"] == 500
    assert out["products"] and all(PRODUCT_KEYS <= set(p) for p in out["products"])
    assert out["arm"] == assign_arm(out["session_id"], "intent-vs-baseline-v1", 0.5)
    assert out["intent"] == pytest.approx(0.9)  # the fake model: "买" is a buying word
    store = chat_service.store
    session = store.session(out["session_id"])
    assert (session["arm"], session["source"], session["user_agent"]) == (out["arm"], "api", "pytest")
    msgs = store.messages(out["session_id"])
    assert [(m["role"], m["text"]) for m in msgs] == [("user", "想买跑鞋，500以内"), ("assistant", out["reply"])]
    recs = store.last_recommendations(out["session_id"])
    assert [r["product_id"] for r in recs] == [p["id"] for p in out["products"]]
    assert {r["recommender"] for r in recs} == {out["arm"]}
    impressions = store.events(out["session_id"], "impression")
    assert [(e["product_id"], e["price"]) for e in impressions] == [(p["id"], p["price"]) for p in out["products"]]
    scores = store.query("SELECT score, session_score, model_version FROM intent_scores")
    assert scores == [{"score": 0.9, "session_score": out["session_intent"], "model_version": "fake-intent-1"}]


def test_session_stage_follows_the_session(chat_service):
    sid = chat_service.chat(None, "随便看看")["session_id"]
    texts = ["跑鞋", "就要这个，下单"]
    for t in texts:
        out = chat_service.chat(sid, t)
    model = chat_service.intent_model
    expected = session_stage([Observation("message", p.probs) for p in model.predict(["随便看看", *texts])], decay=0.7)
    assert out["session_probs"] == pytest.approx(expected, abs=1e-6)  # time gaps of milliseconds barely count
    assert out["session_stage"] == max(expected, key=expected.get)
    assert out["session_intent"] == pytest.approx(buy_score(expected), abs=1e-6)
    assert out["stage"] == "ready" and out["stage_probs"]["ready"] == pytest.approx(0.85)
    assert chat_service.store.session(sid)["intent"] == pytest.approx(out["session_intent"])
    assert chat_service.store.session(sid)["stage"] == out["session_stage"]
    rows = chat_service.store.query("SELECT stage, stage_probs, session_stage FROM intent_scores ORDER BY id")
    assert [r["stage"] for r in rows] == ["browse", "consider", "ready"]
    assert json.loads(rows[-1]["stage_probs"])["ready"] == pytest.approx(0.85)
    turns = chat_service.store.turns(sid)
    assert [t["stage"] for t in turns] == ["browse", "consider", "ready"] and turns[-1]["session_probs"]


def test_a_cart_add_moves_the_session_towards_ready(chat_service):
    first = chat_service.chat(None, "跑鞋")
    sid = first["session_id"]
    chat_service.event(sid, first["products"][0]["id"], "add_to_cart")
    out = chat_service.chat(sid, "有别的颜色吗")  # a detail question (consider) after putting it in the cart
    assert out["stage"] == "consider" and out["session_stage"] == "ready"


@pytest.mark.parametrize("arm", ["intent", "baseline"])
def test_the_arm_chooses_the_recommender(chat_store, chat_engine, chat_intent_model, chat_parser, arm):
    svc = make_service(chat_store, chat_engine, chat_intent_model, chat_parser, assign=lambda s, e, shares: arm)
    out = svc.chat("fixed", "降噪耳机")
    assert out["arm"] == arm
    stages = out["session_probs"] if arm == "intent" else None  # the intent arm ranks by the stages
    expected = chat_engine.recommenders[arm].recommend(
        "降噪耳机", filters=chat_parser("降噪耳机", None, []).filters, intent=out["session_intent"], k=4,
        stages=stages)
    assert [p["id"] for p in out["products"]] == expected.ids


class Boom(Exception):
    pass


class ExplodingRecommender:
    def recommend(self, *a, **kw):
        raise Boom("recommender down")


def test_user_message_is_committed_before_the_reply(chat_store, chat_engine, chat_intent_model, chat_parser,
                                                    tmp_path):
    svc = make_service(chat_store, chat_engine, chat_intent_model, chat_parser,
                       assign=lambda s, e, shares: "intent")
    svc.recommenders = {"intent": ExplodingRecommender(), "baseline": ExplodingRecommender()}
    with pytest.raises(Boom):
        svc.chat("s-boom", "想买耳机")
    other = Store(tmp_path / "chat.db")  # a fresh connection sees the committed row
    rows = other.query("SELECT m.role, m.text, i.score FROM messages m JOIN intent_scores i ON i.message_id = m.id")
    assert rows == [{"role": "user", "text": "想买耳机", "score": 0.9}]


def test_a_restarted_service_continues_the_session(chat_store, chat_engine, chat_intent_model, chat_parser):
    first = make_service(chat_store, chat_engine, chat_intent_model, chat_parser)
    out1 = first.chat(None, "3000以内的耳机")
    sid = out1["session_id"]
    second = make_service(chat_store, chat_engine, chat_intent_model, chat_parser)  # empty cache
    detail = second.chat(sid, "第二个怎么样")
    assert detail["kind"] == "detail" and detail["products"][0]["id"] == out1["products"][1]["id"]
    cheaper = second.chat(sid, "便宜点的")
    assert cheaper["filters"]["category"] == "earphones"
    assert cheaper["filters"]["max_price"] < 3000
    assert all(p["price"] <= cheaper["filters"]["max_price"] for p in cheaper["products"])
    # the first service's cache is stale now (another "process" wrote): it replays the store
    again = first.chat(sid, "第一个")
    assert again["kind"] == "detail" and again["products"][0]["id"] == (cheaper["products"] or out1["products"])[0]["id"]


def test_events_are_validated_and_priced_from_the_catalog(chat_service):
    out = chat_service.chat(None, "想买手机")
    sid, pid = out["session_id"], out["products"][0]["id"]
    result = chat_service.event(sid, pid, "add_to_cart")
    assert result["ok"] and result["price"] == out["products"][0]["price"]
    assert result["cart"][0]["product_id"] == pid and result["cart"][0]["quantity"] == 1
    row = chat_service.store.events(sid, "add_to_cart")[0]
    assert row["price"] == out["products"][0]["price"] and row["recommendation_id"] is not None
    with pytest.raises(InputError, match="checkout"):
        chat_service.event(sid, pid, "purchase")  # purchases come only from the checkout step
    assert not chat_service.store.events(sid, "purchase")
    order = chat_service.checkout(sid)
    assert order["ok"] and order["order"]["total"] == out["products"][0]["price"] and chat_service.cart(sid) == []
    assert [e["order_id"] for e in chat_service.store.events(sid, "purchase")] == [order["order"]["id"]]
    with pytest.raises(InputError, match="unknown event type"):
        chat_service.event(sid, pid, "impression")  # impressions are logged by the service only
    with pytest.raises(InputError, match="no product"):
        chat_service.event(sid, "NOPE", "click")
    with pytest.raises(InputError, match="no session"):
        chat_service.event("missing", pid, "click")
    with pytest.raises(InputError, match="no session"):
        chat_service.event("", pid, "click")


def test_sold_out_products_can_be_clicked_but_not_carted_or_bought(chat_service):
    sid = chat_service.chat(None, "想买跑鞋")["session_id"]
    assert chat_service.event(sid, "S5", "click")["ok"]  # S5 has stock 0
    with pytest.raises(InputError, match="sold out") as err:
        chat_service.event(sid, "S5", "add_to_cart")
    assert err.value.hint
    with pytest.raises(InputError, match="empty"):
        chat_service.checkout(sid)
    assert chat_service.cart(sid) == []
    assert [e["type"] for e in chat_service.store.events(sid) if e["product_id"] == "S5"] == ["click"]


@pytest.mark.parametrize("text", ["", "   ", "\x00\x07", "\u200b", "\ud800"])
def test_unusable_messages_get_a_polite_answer(chat_service, text):
    out = chat_service.chat(None, text)
    assert out["kind"] == "invalid" and out["products"] == [] and out["intent"] is None
    assert [m["text"] for m in chat_service.store.messages(out["session_id"])][0] == text


def test_none_and_non_text(chat_service):
    assert chat_service.chat(None, None)["kind"] == "invalid"
    with pytest.raises(InputError):
        chat_service.chat(None, 42)
    with pytest.raises(InputError):
        chat_service.chat("x" * 500, "hi")


def test_huge_and_hostile_text_is_stored_verbatim(chat_service):
    huge = "想买耳机" + "😀<b>x</b>" * 12_500  # 100k characters
    out = chat_service.chat(None, huge)
    assert out["kind"] == "recommend"
    assert chat_service.store.messages(out["session_id"])[0]["text"] == huge
    html = "<script>alert('x')</script><img src=x onerror=alert(1)> 耳机"
    out = chat_service.chat(out["session_id"], html)
    assert chat_service.store.messages(out["session_id"])[2]["text"] == html


def test_concurrent_chats_lose_nothing(chat_service):
    errors: list[BaseException] = []
    shared = chat_service.chat(None, "你好")["session_id"]

    def shopper(i: int) -> None:
        try:
            sid = chat_service.chat(None, "想买跑鞋")["session_id"]
            for text in ("500以内", "便宜点的", "第一个怎么样"):
                chat_service.chat(sid, text)
                chat_service.chat(shared, f"耳机 {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=shopper, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = chat_service.store
    assert store.query("SELECT count(*) AS n FROM messages")[0]["n"] == 2 * (1 + 8 * 4 + 8 * 3)
    roles = [m["role"] for m in store.messages(shared)]
    assert roles == ["user", "assistant"] * (len(roles) // 2)  # turns never interleave within a session
    assert store.integrity_check() == "ok"


def test_shopper_feedback(chat_service):
    out = chat_service.chat(None, "你好")
    chat_service.feedback(out["session_id"], 0, True)
    row = chat_service.store.query("SELECT rating, source, message_id FROM feedback")[0]
    assert row == {"rating": 1, "source": "shopper", "message_id": out["message_id"]}


# --- Services: the composition root ---------------------------------------------------------------------
def test_services_build_nothing_until_asked(tmp_path):
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    settings = Settings(home=tmp_path / "home")
    services = Services(settings)
    assert services.settings is settings
    assert not (tmp_path / "home").exists()  # no database, model or index yet


def test_a_catalog_file_gets_its_own_index_folder(tmp_path):
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    default = Services(Settings(home=tmp_path))
    assert default.index_dir == tmp_path / "index" / "default"
    mine = Services(Settings(home=tmp_path, catalog_path=tmp_path / "shop.jsonl"))
    assert mine.index_dir.parent == tmp_path / "index" and mine.index_dir.name.startswith("shop-")
    explicit = Services(Settings(home=tmp_path, catalog_path=tmp_path / "shop.jsonl", index_dir=tmp_path / "ix"))
    assert explicit.index_dir == tmp_path / "ix"


def test_services_are_cached_and_thread_safe(chat_settings, chat_intent_model, chat_engine):
    from chatbot.service.wiring import Services

    services = Services(chat_settings, intent_model=chat_intent_model, engine=chat_engine)
    got: list = []
    barrier = threading.Barrier(8)

    def grab() -> None:
        barrier.wait()
        got.append((services.store, services.chat, services.parser))

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(g[0]) for g in got}) == 1 and len({id(g[1]) for g in got}) == 1
    assert services.chat.store is services.store and services.chat.intent_model is chat_intent_model
    assert services.store.path == chat_settings.db_path


def test_warm_up_with_injected_parts(chat_settings, chat_intent_model, chat_engine):
    from chatbot.service.wiring import Services

    services = Services(chat_settings, intent_model=chat_intent_model, engine=chat_engine)
    assert services.warm_up(progress=False) is services
    assert chat_settings.db_path.exists()
    assert services.chat.chat(None, "hello")["kind"] == "greeting"


@pytest.mark.slow
def test_real_default_model_and_index_end_to_end(chat_real_services):
    """The real encoder, default intent model and product index behind the same ChatService."""
    chat = chat_real_services.chat
    catalog = chat.catalog
    out = chat.chat(None, "我想买一双跑鞋，预算500以内")
    assert out["kind"] == "recommend" and out["filters"]["max_price"] == 500
    assert 0.0 <= out["intent"] <= 1.0 and out["products"]
    for p in out["products"]:
        record = catalog[p["id"]]
        assert p["price"] == record.price <= 500 and record.category == "shoes"
    sid = out["session_id"]
    cheaper = chat.chat(sid, "便宜点的")
    floor = min(p["price"] for p in out["products"])
    if cheaper["kind"] == "no_match":  # the cheapest running shoe was shown: said so, the budget kept
        assert "已经是最便宜的" in cheaper["reply"] and cheaper["filters"]["max_price"] == 500
        assert not [p for p in catalog.values() if p.category == "shoes" and "跑步鞋" in p.subcategory
                    and p.price < floor]
    else:
        assert cheaper["filters"]["max_price"] < floor and all(p["price"] < floor for p in cheaper["products"])
    detail = chat.chat(sid, "第一个怎么样")
    assert detail["kind"] == "detail"
    en = chat.chat(None, "noise cancelling earbuds under 1000 yuan")
    assert en["lang"] == "en" and all(catalog[p["id"]].price <= 1000 for p in en["products"])
    assert all(catalog[p["id"]].category == "earphones" for p in en["products"])
    buy = chat.chat(sid, "就要这个了，马上下单")
    assert buy["intent"] > chat.chat(None, "随便看看")["intent"]


def test_retrieval_query_is_embedded_on_a_worker_while_the_message_is_scored(chat_store, chat_engine,
                                                                              chat_intent_model, chat_parser,
                                                                              tmp_path, monkeypatch):
    calls = []
    encoders = {id(rec.retriever.encoder): rec.retriever.encoder for rec in chat_engine.recommenders.values()}
    for enc in encoders.values():
        def spy(texts, *args, _orig=enc.encode, **kw):
            calls.append((texts, threading.current_thread().name))
            return _orig(texts, *args, **kw)
        monkeypatch.setattr(enc, "encode", spy)
    text = "想买一双跑鞋，预算654，预取测试"  # a query no other test has embedded (the retriever caches)
    svc = make_service(chat_store, chat_engine, chat_intent_model, chat_parser, assign=lambda s, e, shares: "intent")
    out = svc.chat(None, text)
    assert out["kind"] == "recommend" and out["products"]
    assert len(calls) == 1 and calls[0][1].startswith("shopguide-prefetch")  # embedded once, on the worker
    # the answer is the one a service without the prefetch gives
    from chatbot.service.store import Store

    other = Store(tmp_path / "other.db")
    try:
        plain = make_service(other, chat_engine, chat_intent_model, chat_parser, prefetch=False,
                             assign=lambda s, e, shares: "intent").chat(None, text)
    finally:
        other.close()
    assert [p["id"] for p in plain["products"]] == [p["id"] for p in out["products"]]
    assert plain["reply"] == out["reply"]
    # a follow-up embeds the merged multi-turn query, still once
    calls.clear()
    svc.chat(out["session_id"], "要黑色的")
    assert len(calls) == 1 and "预取测试" in calls[0][0] and "黑色" in calls[0][0]


def test_staff_reply_takes_the_chat_and_the_guide_holds_back_until_given_back(chat_service):
    from chatbot.errors import InputError

    out = chat_service.chat(None, "想买跑鞋")
    sid = out["session_id"]
    sent = chat_service.staff_reply(sid, "  您好，我是客服小王 <script>x</script>  ", "wang")
    assert sent["text"] == "您好，我是客服小王 <script>x</script>" and sent["role"] == "staff"
    assert chat_service.store.session(sid)["taken_by"] == "wang"
    assert [m["text"] for m in chat_service.staff_messages(sid)] == [sent["text"]]
    assert chat_service.staff_messages(sid, after=sent["message_id"]) == []
    held = chat_service.chat(sid, "就要第一个")  # a decision while staff have the chat: nothing happens
    assert held["kind"] == "staff" and held["products"] == [] and held["cart"] == [] and held["stage"] is not None
    assert "客服已接手" in held["reply"]
    turns = chat_service.store.turns(sid)
    assert turns[0]["staff"] == [sent["text"]] and turns[0]["reply"] != sent["text"]  # a staff line is no reply
    chat_service.give_back(sid)
    back = chat_service.chat(sid, "就要第一个")
    assert back["kind"] == "confirm" and len(back["cart"]) == 1
    for bad, words in (("", "empty"), ("   \n", "empty"), ("x" * 2001, "more than 2000"), (None, "must be text")):
        with pytest.raises(InputError, match=words):
            chat_service.staff_reply(sid, bad, "wang")
    with pytest.raises(InputError, match="no session"):
        chat_service.staff_reply("nope", "hi", "wang")
    with pytest.raises(InputError, match="no session"):
        chat_service.staff_messages("nope")


def test_a_shopper_waiting_for_staff_tops_the_queue_and_a_silent_take_over_ends(chat_service):
    from chatbot.web import staff

    store = chat_service.store
    first = chat_service.chat(None, "3000以内的耳机")
    sid = first["session_id"]
    chat_service.event(sid, first["products"][1]["id"], "click")  # the page's focus
    chat_service.take_over(sid, "wang")
    assert [m["role"] for m in chat_service.transcript(sid)] == ["user", "assistant"]
    held = chat_service.chat(sid, "这个有黑色吗")
    assert held["kind"] == "staff" and held["focus"] == first["products"][1]["id"]  # the badge stays on the card
    row = staff.queue_rows(store)[0]
    assert row["session_id"] == sid and row["waiting"] and row["taken_by"] == "wang"
    assert row["label"] == staff.QUEUE_LABELS["waiting"] and row["priority"] == 0
    chat_service.staff_reply(sid, "有的，黑色有货", "wang")  # answered: no longer waiting, still taken
    row = next(r for r in staff.queue_rows(store) if r["session_id"] == sid)
    assert not row["waiting"] and row["taken_by"] == "wang"
    assert [m["role"] for m in chat_service.transcript(sid)] == ["user", "assistant", "user", "assistant", "staff"]
    chat_service.staff_idle_s = 0.2  # the person goes quiet: after that long the guide answers again
    time.sleep(0.3)
    back = chat_service.chat(sid, "就要这个")
    assert back["kind"] == "confirm" and len(back["cart"]) == 1 and store.session(sid)["taken_by"] is None


def test_a_failed_turn_changes_nothing_and_keeps_the_view_made_before_it(chat_store, chat_engine, chat_intent_model,
                                                                          chat_parser):
    svc = make_service(chat_store, chat_engine, chat_intent_model, chat_parser, assign=lambda s, e, shares: "intent")
    first = svc.chat(None, "3000以内的耳机")
    sid, viewed = first["session_id"], first["products"][2]["id"]
    svc.event(sid, viewed, "click")  # the shopper views the third card
    working = svc.recommenders
    svc.recommenders = {"intent": ExplodingRecommender(), "baseline": ExplodingRecommender()}
    with pytest.raises(Boom):
        svc.chat(sid, "有没有跑鞋")  # stored, never answered
    svc.recommenders = working
    for service in (svc, make_service(chat_store, chat_engine, chat_intent_model, chat_parser,
                                      assign=lambda s, e, shares: "intent")):  # cached and replayed alike
        state = service.state(sid)
        assert state.focus is not None and state.focus.id == viewed
        assert state.filters.category == "earphones" and state.filters.max_price == 3000
    svc.staff_reply(sid, "您好", "staff")  # a staff line after the view does not hide it either
    svc.give_back(sid)
    assert svc.state(sid).focus.id == viewed
    out = svc.chat(sid, "就要这个")
    assert out["kind"] == "confirm" and [c["product_id"] for c in out["cart"]] == [viewed]
