"""The shopper simulator: reproducible, multi-turn, logs through the chat service, and blind to the arm."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import numpy as np
import pytest

from catalog.products import Product
from chatbot.experiment.assignment import assign_arm
from chatbot.experiment.simulator import (
    Goal,
    ShopperModel,
    Shown,
    draw_goal,
    eval_sessions,
    fit,
    session_id_for,
    simulate,
)
from chatbot.experiment.stats import analyse
from chatbot.service.store import Store
from intent.errors import ConfigError, DataError

EXP = "sim-test"

_WORDS = {"shoes": ("鞋", "shoe", "sneaker", "跑"), "phones": ("手机", "phone", "机"),
          "earphones": ("耳机", "headphone", "earbud", "耳")}


def sim_products() -> list[Product]:
    """36 products: 3 categories x 4 brands x 3 price tiers, with varied stock and rating."""
    out = []
    base = {"shoes": 300.0, "phones": 2500.0, "earphones": 400.0}
    sub = {"shoes": "跑步鞋", "phones": "智能手机", "earphones": "蓝牙耳机"}
    for cat in base:
        for brand in ("华为", "李宁", "小米", "安踏"):
            for tier in range(3):
                i = len(out)
                out.append(Product(
                    id=f"T{i:02d}", title_zh=f"{brand}{sub[cat]}{tier}", title_en=f"{brand} {cat} {tier}",
                    category=cat, subcategory=sub[cat], brand=brand, price=base[cat] * (0.5 + tier * 0.75),
                    stock=0 if (i % 7 == 3) else 10, rating=3.0 + ((i * 7) % 5) / 2.5, sales=100 + i))
    return out


class FakeChat:
    """Same signature as ``ChatService``: real store rows, arm from ``assign_arm``, items from ``recommend``.

    ``recommend(text, arm, last)`` returns the products to show; the default ignores the arm.
    """

    def __init__(self, store: Store, products: list[Product], *, experiment: str = EXP,
                 intent_share: float = 0.5, recommend=None, poison_arm: bool = False) -> None:
        self.store, self.products, self.experiment, self.share = store, products, experiment, intent_share
        self.by_id = {p.id: p for p in products}
        self.recommend = recommend or self.same_for_both_arms
        self.poison_arm = poison_arm
        self.last: dict[str, list[Product]] = {}

    def same_for_both_arms(self, text: str, arm: str, last: list[Product]) -> list[Product]:
        t = text.lower()
        cats = [c for c, words in _WORDS.items() if any(w in t for w in words)]
        if not cats:
            return last or self.products[:4]
        m = re.search(r"(\d+)", text)
        budget = float(m.group(1)) if m else None
        pool = [p for p in self.products if p.category == cats[0]]
        pool.sort(key=lambda p: (budget is not None and p.price > budget, -p.rating, p.id))
        return pool[:4]

    def chat(self, session_id, text, *, user_agent=None, source="web"):
        sid = session_id or self.store.new_session_id()
        row = self.store.ensure_session(sid, arm=assign_arm(sid, self.experiment, self.share),
                                        experiment=self.experiment, user_agent=user_agent, source=source)
        arm = row["arm"]
        self.store.add_user_message(sid, text, score=0.5, session_score=0.5)
        items = self.recommend(text, arm, self.last.get(sid, []))
        self.last[sid] = items
        recs = [{"rank": r, "product_id": p.id, "recommender": arm, "score": 1.0, "parts": {}}
                for r, p in enumerate(items)]
        self.store.add_assistant_message(sid, "好的", recommendations=recs, prices={p.id: p.price for p in items})
        products = [{"id": p.id, "title": p.title_zh, "category": p.category, "brand": p.brand,
                     "price": p.price, "score": 1.0, "stock": p.stock, "rating": p.rating, "reason": "",
                     "parts": {"arm_hint": arm}} for p in items]
        response = {"session_id": sid, "reply": "好的", "lang": "zh", "kind": "recommend", "arm": arm,
                    "intent": 0.5, "session_intent": 0.5, "filters": {}, "products": products}
        return _Poisoned(response) if self.poison_arm else response

    def event(self, session_id, product_id, event_type):
        price = self.by_id[product_id].price if product_id in self.by_id else None
        return self.store.add_event(session_id, product_id, event_type, price=price)

    def checkout(self, session_id, product_ids=None):
        cart = {c["product_id"]: c["quantity"] for c in self.store.cart(session_id)}
        lines = [{"product_id": p, "quantity": cart[p], "price": self.by_id[p].price} for p in product_ids or cart]
        return {"ok": True, "order": self.store.add_order(session_id, lines)}


class _Poisoned(dict):
    """A response whose ``arm`` (and ``parts``) cannot be read without failing the test."""

    def __getitem__(self, key):
        if key == "arm":
            raise AssertionError("the simulator read the arm")
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key == "arm":
            raise AssertionError("the simulator read the arm")
        return super().get(key, default)


def _fast_store(path) -> Store:
    """A store without fsync per commit (this thread's connection): durability is not under test here."""
    store = Store(path)
    store.db.conn.execute("PRAGMA synchronous=OFF")
    return store


def _run(tmp_path, name: str, n: int, seed: int, **kw):
    store = _fast_store(tmp_path / f"{name}.db")
    chat = FakeChat(store, sim_products(), **kw)
    res = simulate(chat, chat.products, sessions=n, seed=seed, store=store, show_progress=False)
    return store, res


def _events(store: Store) -> list[tuple]:
    return [(e["session_id"], e["product_id"], e["type"]) for e in store.events()]


def test_model_keeps_every_parameter_and_validates():
    m = ShopperModel()
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.click_max = 0.1
    with pytest.raises(ConfigError, match="click_max"):
        ShopperModel(click_max=1.5)
    with pytest.raises(ConfigError):
        ShopperModel(max_turns=0)


def test_fit_follows_the_documented_model():
    m = ShopperModel()
    g = Goal(category="shoes", budget=400.0, brands=("李宁",), readiness=0.5, lang="zh", word="跑鞋")
    good = Shown(0, "a", "shoes", "李宁", 399.0, 5, 5.0)
    assert fit(good, g, m) == pytest.approx(1.0)
    assert fit(good._replace(category="phones"), g, m) == pytest.approx(m.off_category)
    assert fit(good._replace(brand="耐克"), g, m) == pytest.approx(m.other_brand)
    assert fit(good._replace(price=600.0), g, m) == pytest.approx(np.exp(-m.over_budget_slope * 0.5))
    assert fit(good._replace(rating=3.0), g, m) == pytest.approx(1 - m.rating_weight)
    no_brand_pref = Goal("shoes", 400.0, (), 0.5, "zh", "跑鞋")
    assert fit(good._replace(brand="耐克"), no_brand_pref, m) == pytest.approx(1.0)
    assert fit(good._replace(stock=0), g, m) == pytest.approx(1.0)  # sold out: clickable, not cartable


def test_goals_come_from_the_catalog():
    products = sim_products()
    rng = np.random.default_rng(0)
    goals = [draw_goal(rng, products, ShopperModel()) for _ in range(300)]
    assert {g.category for g in goals} == {"shoes", "phones", "earphones"}
    assert all(b in {p.brand for p in products} for g in goals for b in g.brands)
    assert 0.3 < np.mean([bool(g.brands) for g in goals]) < 0.6
    assert 0.15 < np.mean([g.lang == "en" for g in goals]) < 0.45
    assert all(0 < g.readiness < 1 and g.budget > 0 for g in goals)


def test_goals_name_the_product_they_were_drawn_from():
    products = sim_products()
    by_id = {p.id: p for p in products}
    rng = np.random.default_rng(1)
    for g in (draw_goal(rng, products, ShopperModel()) for _ in range(100)):
        target = by_id[g.target_id]
        assert target.category == g.category and (not g.brands or g.brands[0] == target.brand)


def test_offline_sessions_open_like_the_simulated_shoppers(tmp_path):
    """``eval_sessions`` is the same simulator: its queries are the opening messages of the shoppers that
    ``simulate`` runs with the same seed, in order (a shopper whose goal nothing meets is skipped)."""
    store, _ = _run(tmp_path, "open", 40, seed=7)
    openings = [rows[0]["text"] for rows in (
        [m for m in store.messages(session_id_for(7, i)) if m["role"] == "user"] for i in range(40))]
    queries = [s.query for s in eval_sessions(sim_products(), n=20, seed=7)]
    it = iter(openings)
    assert all(q in it for q in queries)  # an ordered subsequence
    assert len(set(queries)) > 15


def test_run_is_reproducible_and_writes_ordinary_rows(tmp_path):
    s1, r1 = _run(tmp_path, "a", 60, seed=5)
    s2, r2 = _run(tmp_path, "b", 60, seed=5)
    assert _events(s1) == _events(s2)
    assert [m["text"] for m in s1.query("SELECT text FROM messages ORDER BY id")] == \
           [m["text"] for m in s2.query("SELECT text FROM messages ORDER BY id")]
    assert r1.purchases == r2.purchases > 0 and r1.clicks > 0
    sessions = s1.query("SELECT id, arm, source, experiment FROM sessions ORDER BY id")
    assert [r["id"] for r in sessions] == [session_id_for(5, i) for i in range(60)]
    assert all(r["source"] == "simulator" and r["experiment"] == EXP for r in sessions)
    assert all(r["arm"] == assign_arm(r["id"], EXP) for r in sessions)
    types = Counter(e["type"] for e in s1.events())
    assert types["impression"] > 0 and types["purchase"] == r1.purchases
    assert r1.sessions_per_s > 0
    _s3, r3 = _run(tmp_path, "c", 60, seed=6)
    assert _events(_s3) != _events(s1)


def test_reusing_a_seed_in_the_same_db_is_refused(tmp_path):
    store, _ = _run(tmp_path, "a", 3, seed=1)
    with pytest.raises(DataError, match="already holds simulated sessions of seed 1"):
        simulate(FakeChat(store, sim_products()), sim_products(), sessions=3, seed=1, store=store)


def test_shoppers_follow_up_and_buy_after_several_turns(tmp_path):
    store, res = _run(tmp_path, "multi", 150, seed=2)
    per_session = Counter(r["session_id"] for r in store.query(
        "SELECT session_id FROM messages WHERE role = 'user'"))
    assert max(per_session.values()) >= 3 and min(per_session.values()) >= 1
    texts = " ".join(r["text"] for r in store.query("SELECT text FROM messages WHERE role = 'user'"))
    from chatbot.experiment.phrases import PHRASES

    used = {stage for lang in PHRASES.values() for stage, fs in lang.items()
            if any(f.split("{")[0][:6] and f.split("{")[0][:6] in texts for f in fs)}
    assert {"ask_details", "close_buy", "close_leave"} <= used
    # Some purchases come after a follow-up (more than opening + close_buy).
    bought = {e["session_id"] for e in store.events(event_type="purchase")}
    assert any(per_session[s] >= 3 for s in bought)


def test_simulator_never_reads_the_arm(tmp_path):
    """Same seed, assignment flipped (intent share 1 vs 0), identical items: identical behaviour."""
    s_all_intent, _ = _run(tmp_path, "i", 80, seed=9, intent_share=1.0, poison_arm=True)
    s_all_base, _ = _run(tmp_path, "b", 80, seed=9, intent_share=0.0, poison_arm=True)
    assert {r["arm"] for r in s_all_intent.query("SELECT arm FROM sessions")} == {"intent"}
    assert {r["arm"] for r in s_all_base.query("SELECT arm FROM sessions")} == {"baseline"}
    assert _events(s_all_intent) == _events(s_all_base)


IDENTICAL_SEED, IDENTICAL_SESSIONS = 11, 2000


def test_identical_items_give_no_significant_difference(tmp_path):
    """A/A check at the documented size: both arms see the same items, so the report finds no lift."""
    store, res = _run(tmp_path, "aa", IDENTICAL_SESSIONS, seed=IDENTICAL_SEED)
    rep = analyse(store, EXP, 0.5)
    assert not rep.srm.flagged
    assert rep.conversion.p_value > 0.05
    assert rep.conversion.abs_ci[0] < 0 < rep.conversion.abs_ci[1]
    assert rep.arms["intent"].purchased + rep.arms["baseline"].purchased == res.purchases > 40


def test_a_real_difference_is_detected(tmp_path):
    """Sanity check in the other direction: when one arm shows worse items, the report sees it."""
    products = sim_products()
    rng_items = products[::9][:4]  # a fixed mixed bag of categories

    def worse_baseline(text, arm, last):
        return FakeChat.same_for_both_arms(chat, text, arm, last) if arm == "intent" else rng_items

    store = _fast_store(tmp_path / "diff.db")
    chat = FakeChat(store, products, recommend=worse_baseline)
    simulate(chat, products, sessions=400, seed=3, show_progress=False)
    rep = analyse(store, EXP, 0.5)
    assert rep.conversion.abs_lift > 0 and rep.conversion.p_value < 0.01


# --- through the real ChatService (tiny catalog, fake encoder, scripted intent model) -------------------------
def _real_chat(tmp_path, name, chat_engine, chat_parser, chat_intent_model, *, share=0.5, identical=False):
    from chatbot.service.chat import ChatService

    recs = dict(chat_engine.recommenders)
    if identical:
        recs = {"intent": recs["baseline"], "baseline": recs["baseline"]}
    store = _fast_store(tmp_path / f"{name}.db")
    service = ChatService(store=store, intent_model=chat_intent_model, recommenders=recs, parser=chat_parser,
                          products=chat_engine.products, experiment=EXP, intent_share=share,
                          staged_arms=() if identical else ("intent",))
    return service, store


def test_simulator_through_the_real_chat_service(tmp_path, chat_engine, chat_parser, chat_intent_model):
    service, store = _real_chat(tmp_path, "real", chat_engine, chat_parser, chat_intent_model)
    res = simulate(service, chat_engine.products, sessions=40, seed=1, store=store, show_progress=False)
    assert res.messages > 40 and res.clicks > 0
    purchases = store.events(event_type="purchase")
    assert len(purchases) == res.purchases and all(e["price"] > 0 for e in purchases)
    assert store.query("SELECT count(*) AS n FROM intent_scores")[0]["n"] == res.messages
    rep = analyse(store, EXP, 0.5)
    assert rep.arms["intent"].sessions + rep.arms["baseline"].sessions == 40


def test_real_chat_service_with_identical_arms_gives_identical_behaviour(
        tmp_path, chat_engine, chat_parser, chat_intent_model):
    """Both arms use the same recommender and the same (rules-only) policy; every session forced into one arm,
    then into the other."""
    runs = []
    for share in (1.0, 0.0):
        service, store = _real_chat(tmp_path, f"flip{share}", chat_engine, chat_parser, chat_intent_model,
                                    share=share, identical=True)
        simulate(service, chat_engine.products, sessions=40, seed=8, store=store, show_progress=False)
        runs.append((_events(store), {r["arm"] for r in store.query("SELECT arm FROM sessions")}))
    (ev_intent, arms_i), (ev_base, arms_b) = runs
    assert arms_i == {"intent"} and arms_b == {"baseline"}
    assert ev_intent == ev_base and any(t == "purchase" for _, _, t in ev_intent)
