"""Simulator v2: strategies and targets, reactions to what the reply does, reproducibility, arm-blindness, the
in-memory guide of the sweeps, and runs through the real ChatService (three arms)."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from catalog.products import Product
from chatbot.experiment.assignment import assign_arm
from chatbot.experiment.memory_guide import MemoryGuide
from chatbot.experiment.phrases import FRAME_STAGE
from chatbot.experiment.simulator import (
    STRATEGIES,
    Goal,
    ShopperModel,
    Shown,
    draw_goal,
    eval_sessions,
    fit,
    session_id_for,
    simulate,
    used_frames,
)
from chatbot.experiment.stats import compare_proportions
from chatbot.service.store import Store
from intent.errors import ConfigError, DataError

EXP = "sim-test"
SUBTYPES = {"shoes": ("跑步鞋", "篮球鞋"), "phones": ("智能手机", "拍照手机"), "earphones": ("蓝牙耳机", "头戴式耳机")}


def sim_products() -> list[Product]:
    """72 products: 3 categories x 2 sub-types x 4 brands x 3 price tiers, varied stock, rating, colour."""
    out = []
    base = {"shoes": 300.0, "phones": 2500.0, "earphones": 400.0}
    for cat, subs in SUBTYPES.items():
        for sub in subs:
            for brand in ("华为", "李宁", "小米", "安踏"):
                for tier in range(3):
                    i = len(out)
                    out.append(Product(
                        id=f"T{i:02d}", title_zh=f"{brand}{sub}{tier}", title_en=f"{brand} {cat} {tier}",
                        category=cat, subcategory=sub, brand=brand, price=base[cat] * (0.5 + tier * 0.75),
                        stock=0 if (i % 7 == 3) else 10, rating=3.0 + ((i * 7) % 5) / 2.5, sales=100 + i,
                        attributes={"颜色": ("黑", "白")[i % 2]}))
    return out


def only(strategy: str, **kw) -> ShopperModel:
    shares = tuple(1.0 if s == strategy else 0.0 for s in STRATEGIES)
    return ShopperModel(strategy_shares=shares, **kw)


def _fast_store(path) -> Store:
    """A store without fsync per commit (this thread's connection): durability is not under test here."""
    store = Store(path)
    store.db.conn.execute("PRAGMA synchronous=OFF")
    return store


class StoreGuide(MemoryGuide):
    """The in-memory guide, also writing ordinary rows (sessions, messages, events, orders) to a store."""

    def __init__(self, store: Store, products, **kw) -> None:
        super().__init__(products, experiment=EXP, **kw)
        self.store = store

    def chat(self, session_id, text, *, user_agent=None, source="web"):
        r = super().chat(session_id, text, user_agent=user_agent, source=source)
        sid = r["session_id"]
        self.store.ensure_session(sid, arm=self.sessions[sid].arm, experiment=EXP, source=source)
        self.store.add_user_message(sid, text, score=0.5, session_score=0.5)
        recs = [{"rank": i, "product_id": p["id"], "recommender": "mem", "score": 1.0, "parts": {}}
                for i, p in enumerate(r["products"])]
        self.store.add_assistant_message(sid, r["reply"], recommendations=recs,
                                         prices={p["id"]: p["price"] for p in r["products"]})
        return r

    def event(self, session_id, product_id, event_type):
        self.store.add_event(session_id, product_id, event_type, price=self.by_id[product_id].price)
        return super().event(session_id, product_id, event_type)

    def checkout(self, session_id, product_ids=None):
        s = self.sessions[session_id]
        lines = [{"product_id": p, "quantity": 1, "price": self.by_id[p].price}
                 for p in (product_ids or list(s.cart)) if p in s.cart]
        held = {c["product_id"] for c in self.store.cart(session_id)}
        for line in lines:  # a decision in chat put it in the guide's cart: the real service logs that add
            if line["product_id"] not in held:
                self.store.add_event(session_id, line["product_id"], "add_to_cart", price=line["price"])
        if lines:
            self.store.add_order(session_id, lines)
        return super().checkout(session_id, product_ids)


class NeverConfirms(MemoryGuide):
    """Answers a decision with a new search (never puts the pick in the cart)."""

    def chat(self, session_id, text, **kw):
        r = super().chat(session_id, text, **kw)
        if r["action"] == "confirm":
            s = self.sessions[r["session_id"]]
            s.cart.clear()
            return self._reply(r["session_id"], s, "为您找到这些：", self.products[:4], action="recommend")
        return r


class NeverCompares(MemoryGuide):
    """Answers every comparison request with "which ones?" (no table)."""

    def chat(self, session_id, text, **kw):
        r = super().chat(session_id, text, **kw)
        if r["action"] == "compare":
            s = self.sessions[r["session_id"]]
            return self._reply(r["session_id"], s, "您想比较哪几款", s.shown, action="ask_which")
        return r


class NeverAsks(MemoryGuide):
    """Answers a vague message with best sellers and no question."""

    def chat(self, session_id, text, **kw):
        r = super().chat(session_id, text, **kw)
        if r["action"] == "clarify":
            s = self.sessions[r["session_id"]]
            return self._reply(r["session_id"], s, "看看这些热卖的。", self.products[::17][:4], action="recommend")
        return r


def _outcomes(guide, model, n=400, seed=1):
    return simulate(guide, guide.products, sessions=n, seed=seed, model=model, show_progress=False).outcomes


# --- the model ------------------------------------------------------------------------------------------------
def test_model_keeps_every_parameter_and_validates():
    m = ShopperModel()
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.click_max = 0.1
    with pytest.raises(ConfigError, match="click_max"):
        ShopperModel(click_max=1.5)
    with pytest.raises(ConfigError, match="strategy_shares"):
        ShopperModel(strategy_shares=(0.5, 0.5, 0.5, 0.0))
    with pytest.raises(ConfigError):
        ShopperModel(max_turns=1)
    moved = m.with_directed_share(0.5)
    assert moved.strategy_shares[0] == 0.5 and sum(moved.strategy_shares) == pytest.approx(1.0)
    ratio = [a / b for a, b in zip(moved.strategy_shares[1:], m.strategy_shares[1:], strict=True)]
    assert max(ratio) == pytest.approx(min(ratio))  # the others keep their proportions


def test_every_frame_the_shopper_uses_exists_with_its_stage():
    assert {k: FRAME_STAGE.get(k) for k in used_frames()} == used_frames()


def test_fit_follows_the_documented_model():
    m = ShopperModel()
    target = sim_products()[1]
    g = Goal("directed", target.id, target.category, target.subcategory, 400.0, (target.brand,), "zh",
             target.subcategory, True, True)
    good = Shown(0, "a", target.category, target.subcategory, target.brand, 399.0, 5, 5.0, (("颜色", "白"),))
    assert fit(good, g, m, target) == pytest.approx(1.0)
    assert fit(good._replace(category="phones"), g, m, target) == pytest.approx(m.off_category)
    assert fit(good._replace(subtype="篮球鞋"), g, m, target) == pytest.approx(m.other_subtype)
    assert fit(good._replace(brand="耐克"), g, m, target) == pytest.approx(m.other_brand)
    assert fit(good._replace(price=600.0), g, m, target) == pytest.approx(np.exp(-m.over_budget_slope * 0.5))
    assert fit(good._replace(rating=3.0), g, m, target) == pytest.approx(1 - m.rating_weight)
    assert fit(good._replace(attributes=(("颜色", "黑"),)), g, m, target) == pytest.approx(1 - m.attribute_weight)
    assert fit(good._replace(stock=0), g, m, target) == pytest.approx(1.0)  # sold out: viewable, not decidable


def test_shoppers_come_with_the_configured_strategies_and_targets():
    products = sim_products()
    by_id = {p.id: p for p in products}
    m = ShopperModel()
    rng = np.random.default_rng(0)
    goals = [draw_goal(rng, products, m) for _ in range(2000)]
    shares = Counter(g.strategy for g in goals)
    for strategy, share in zip(STRATEGIES, m.strategy_shares, strict=True):
        assert abs(shares[strategy] / 2000 - share) < 4 * np.sqrt(share * (1 - share) / 2000), strategy
    for g in goals:
        target = by_id[g.target_id]
        assert (g.category, g.subtype) == (target.category, target.subcategory)
        assert g.budget >= target.price * m.budget_slack[0] - 1e-9 and g.budget > 0
        assert not g.brands or g.brands == (target.brand,)
    directed = [g for g in goals if g.strategy == "directed"]
    others = [g for g in goals if g.strategy == "deliberator"]
    # directed buyers state more: the sub-type, the budget
    assert np.mean([g.word == g.subtype for g in directed if g.lang == "zh"]) > \
        np.mean([g.word == g.subtype for g in others if g.lang == "zh"])
    assert np.mean([g.says_budget for g in directed]) > np.mean([g.says_budget for g in others])


# --- reactions to what the reply does ------------------------------------------------------------------------
def test_a_confirmed_pick_is_bought_more_often_than_one_answered_with_a_new_search():
    m = only("directed")
    confirmed = _outcomes(MemoryGuide(sim_products()), m, n=600)
    searched = _outcomes(NeverConfirms(sim_products()), m, n=600)
    decided_c = [o for o in confirmed if o.decided]
    decided_s = [o for o in searched if o.decided]
    assert len(decided_c) > 150 and len(decided_s) > 150
    assert not any(o.confirmed for o in searched)
    # the rules both arms share recognise some of the decisions (the ready frames mirror real ones, most of
    # which are no command): those are confirmed, and confirmed picks are bought at buy_confirmed
    conf = [o for o in decided_c if o.confirmed]
    unconf = [o for o in decided_c if not o.confirmed]
    assert len(conf) > 50 and len(unconf) > 50
    assert np.mean([o.bought for o in conf]) == pytest.approx(m.buy_confirmed, abs=0.07)
    for rest in (unconf, decided_s):  # not confirmed: (1 - friction) * buy_self
        assert np.mean([o.bought for o in rest]) == pytest.approx((1 - m.friction) * m.buy_self, abs=0.08)
    assert np.mean([o.bought for o in decided_c]) > np.mean([o.bought for o in decided_s]) + 0.05


def test_a_deliberator_decides_more_often_after_a_comparison():
    m = only("deliberator")
    with_table = _outcomes(MemoryGuide(sim_products()), m, n=600)
    without = _outcomes(NeverCompares(sim_products()), m, n=600)
    assert np.mean([o.decided for o in with_table]) > np.mean([o.decided for o in without]) + 0.05


def test_a_browser_asked_a_question_narrows_down():
    m = only("browser")
    asked, not_asked = MemoryGuide(sim_products()), NeverAsks(sim_products())
    narrowed = {}
    for name, guide in (("asked", asked), ("not", not_asked)):
        recorder = _Recorder(guide)
        simulate(recorder, guide.products, sessions=300, seed=4, model=m, show_progress=False)
        narrowed[name] = recorder.narrowed
    assert narrowed["asked"] > narrowed["not"] * 1.5 and narrowed["asked"] > 100


class _Recorder:
    """Counts the browsers' second messages that name a kind of product (the narrowing answer)."""

    def __init__(self, guide) -> None:
        self.guide, self.narrowed, self.seen = guide, 0, Counter()

    def chat(self, session_id, text, **kw):
        self.seen[session_id] += 1
        if self.seen[session_id] == 2 and self.guide._parse(text.lower(), self.guide.sessions[session_id])[0]:
            self.narrowed += 1
        return self.guide.chat(session_id, text, **kw)

    def event(self, *a):
        return self.guide.event(*a)

    def checkout(self, *a):
        return self.guide.checkout(*a)


def test_after_sales_shoppers_never_buy_and_repeat_when_shown_products():
    out = _outcomes(MemoryGuide(sim_products()), only("after_sales"), n=300)
    assert not any(o.bought or o.decided for o in out)
    helped = [o for o in out if o.helped]
    assert 0.2 * len(out) < len(helped) < len(out)  # the in-memory guide helps on order words only
    # a shopper shown products instead of help says more (repeats with service_repeat, then leaves)
    assert np.mean([o.messages for o in out if not o.helped]) > np.mean([o.messages for o in helped])


# --- runs ---------------------------------------------------------------------------------------------------
def _run(tmp_path, name: str, n: int, seed: int, **kw):
    store = _fast_store(tmp_path / f"{name}.db")
    guide = StoreGuide(store, sim_products(), **kw)
    res = simulate(guide, guide.products, sessions=n, seed=seed, store=store, show_progress=False)
    return store, res


def _events(store: Store) -> list[tuple]:
    return [(e["session_id"], e["product_id"], e["type"]) for e in store.events()]


def test_run_is_reproducible_and_writes_ordinary_rows(tmp_path):
    s1, r1 = _run(tmp_path, "a", 80, seed=5)
    s2, r2 = _run(tmp_path, "b", 80, seed=5)
    assert _events(s1) == _events(s2)
    assert [m["text"] for m in s1.query("SELECT text FROM messages ORDER BY id")] == \
           [m["text"] for m in s2.query("SELECT text FROM messages ORDER BY id")]
    assert r1.purchases == r2.purchases > 0 and r1.clicks > 0
    sessions = s1.query("SELECT id, arm, source, experiment FROM sessions ORDER BY id")
    assert [r["id"] for r in sessions] == [session_id_for(5, i) for i in range(80)]
    assert all(r["source"] == "simulator" and r["experiment"] == EXP for r in sessions)
    assert all(r["arm"] == assign_arm(r["id"], EXP) for r in sessions)
    assert Counter(e["type"] for e in s1.events())["purchase"] == r1.purchases
    assert {o.strategy for o in r1.outcomes} == set(STRATEGIES)
    _s3, _ = _run(tmp_path, "c", 80, seed=6)
    assert _events(_s3) != _events(s1)


def test_reusing_a_seed_in_the_same_db_is_refused(tmp_path):
    store, _ = _run(tmp_path, "a", 3, seed=1)
    with pytest.raises(DataError, match="already holds simulated sessions of seed 1"):
        simulate(StoreGuide(store, sim_products()), sim_products(), sessions=3, seed=1, store=store)


def test_sessions_speak_with_the_stage_they_are_at():
    """Every message a shopper sends is rendered from a frame of the stage the shopper is at: no purchase words
    before a decision from a browser, decisions only from shoppers who then decided."""
    guide = MemoryGuide(sim_products())
    said: list[tuple[str, str]] = []
    real_chat = guide.chat

    def chat(sid, text, **kw):
        said.append((sid, text))
        return real_chat(sid, text, **kw)

    guide.chat = chat
    res = simulate(guide, guide.products, sessions=300, seed=2, show_progress=False)
    decided = {o.session_id for o in res.outcomes if o.decided}
    per_session = Counter(sid for sid, _ in said)
    assert max(per_session.values()) >= 4
    assert decided and {sid for sid in decided} <= set(per_session)


class _Poisoned(dict):
    """A response whose arm / stage / scores cannot be read without failing the test."""

    SECRET = ("arm", "intent", "stage", "stage_probs", "session_stage", "session_probs", "session_intent")

    def __getitem__(self, key):
        if key in self.SECRET:
            raise AssertionError(f"the simulator read {key!r}")
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key in self.SECRET:
            raise AssertionError(f"the simulator read {key!r}")
        return super().get(key, default)


class PoisonedGuide(MemoryGuide):
    def chat(self, session_id, text, **kw):
        r = super().chat(session_id, text, **kw)
        s = self.sessions[r["session_id"]]
        return _Poisoned({**r, "arm": s.arm, "intent": 0.5, "stage": "ready", "products": [
            {**p, "parts": {"arm_hint": s.arm}, "score": 1.0} for p in r["products"]]})


def test_simulator_never_reads_the_arm_or_the_scores():
    """Same seed, assignment flipped (all intent vs all baseline), identical guide: identical behaviour."""
    a = PoisonedGuide(sim_products(), intent_share=1.0)
    b = PoisonedGuide(sim_products(), intent_share=0.0)
    ra = simulate(a, a.products, sessions=120, seed=9, show_progress=False)
    rb = simulate(b, b.products, sessions=120, seed=9, show_progress=False)
    assert {s.arm for s in a.sessions.values()} == {"intent"} and {s.arm for s in b.sessions.values()} == {"baseline"}
    assert [dataclasses.astuple(o) for o in ra.outcomes] == [dataclasses.astuple(o) for o in rb.outcomes]


def test_aa_runs_of_the_in_memory_guide_keep_the_false_positive_rate():
    """A small A/A sweep (the benchmark runs 200 seeds): p < 0.05 in at most 5 of 40 identical-arm experiments
    (expected 2; P(more than 5 | rate 0.05) < 0.015)."""
    products = sim_products()
    false_positives = 0
    for seed in range(40):
        guide = MemoryGuide(products, experiment=f"aa-{seed}")
        simulate(guide, products, sessions=300, seed=seed, show_progress=False)
        rows = guide.outcomes()
        t = [r for r in rows if r["arm"] == "intent"]
        c = [r for r in rows if r["arm"] == "baseline"]
        cmp = compare_proportions(sum(r["purchases"] > 0 for r in t), len(t),
                                  sum(r["purchases"] > 0 for r in c), len(c))
        false_positives += cmp.p_value is not None and cmp.p_value < 0.05
    assert false_positives <= 5


def test_offline_sessions_open_like_the_simulated_shoppers(tmp_path):
    """``eval_sessions`` is the same simulator: its queries are the opening messages of the directed buyers and
    deliberators ``simulate`` runs with the same seed, in order (a goal nothing meets is skipped)."""
    store, _ = _run(tmp_path, "open", 60, seed=7)
    openings = [rows[0]["text"] for rows in (
        [m for m in store.messages(session_id_for(7, i)) if m["role"] == "user"] for i in range(60))]
    queries = [s.query for s in eval_sessions(sim_products(), n=20, seed=7)]
    it = iter(openings)
    assert all(q in it for q in queries)  # an ordered subsequence
    assert len(set(queries)) > 12


# --- through the real ChatService (tiny catalog, fake encoder, scripted intent model) -------------------------
def _real_chat(tmp_path, name, chat_engine, chat_parser, chat_intent_model, *, shares=(1 / 3, 1 / 3),
               identical=False):
    from chatbot.service.chat import ChatService

    recs = dict(chat_engine.recommenders)
    if identical:
        recs = {"intent": recs["baseline"], "baseline": recs["baseline"], "placebo": recs["baseline"]}
    store = _fast_store(tmp_path / f"{name}.db")
    service = ChatService(store=store, intent_model=chat_intent_model, recommenders=recs, parser=chat_parser,
                          products=chat_engine.products, experiment=EXP, intent_share=shares[0],
                          placebo_share=shares[1], staged_arms=() if identical else ("intent", "placebo"))
    return service, store


def test_simulator_through_the_real_chat_service_with_three_arms(tmp_path, chat_engine, chat_parser,
                                                                 chat_intent_model):
    service, store = _real_chat(tmp_path, "real", chat_engine, chat_parser, chat_intent_model)
    res = simulate(service, chat_engine.products, sessions=60, seed=1, store=store, show_progress=False)
    assert res.messages > 60 and res.clicks > 0
    purchases = store.events(event_type="purchase")
    assert len(purchases) == res.purchases and all(e["price"] > 0 for e in purchases)
    # the summary's counts are the logged events: cart adds by the page and by the guide's confirm alike
    assert res.carts == len(store.events(event_type="add_to_cart")) >= res.purchases > 0
    assert res.clicks == len(store.events(event_type="click"))
    arms = Counter(r["arm"] for r in store.query("SELECT arm FROM sessions"))
    assert set(arms) == {"intent", "baseline", "placebo"} and sum(arms.values()) == 60


def test_real_chat_service_with_identical_arms_gives_identical_behaviour(
        tmp_path, chat_engine, chat_parser, chat_intent_model):
    """Every arm with the same recommender and the same (rules-only) policy; every session forced into one arm,
    then into another: the same events."""
    runs = []
    for shares in ((1.0, 0.0), (0.0, 1.0)):
        service, store = _real_chat(tmp_path, f"flip{shares}", chat_engine, chat_parser, chat_intent_model,
                                    shares=shares, identical=True)
        simulate(service, chat_engine.products, sessions=40, seed=8, store=store, show_progress=False)
        runs.append((_events(store), {r["arm"] for r in store.query("SELECT arm FROM sessions")}))
    (ev_intent, arms_i), (ev_placebo, arms_p) = runs
    assert arms_i == {"intent"} and arms_p == {"placebo"}
    assert ev_intent == ev_placebo and any(t == "purchase" for _, _, t in ev_intent)
