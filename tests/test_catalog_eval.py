"""Offline evaluation: the A/B simulator's sessions are deterministic and consistent; metrics are computed right;
no recommender breaks the filters it was given."""

from __future__ import annotations

import dataclasses
import math
import re
from types import SimpleNamespace

import pytest
from conftest_catalog import FakeEncoder, tiny_products

from catalog.engine import CatalogEngine
from catalog.evaluate import EvalSession, evaluate, format_report, load_sessions, save_sessions
from catalog.filters import Filters
from catalog.index import ProductIndex
from catalog.recommend import Recommendation, RecommendationResult
from chatbot.experiment.simulator import eval_sessions
from intent.errors import ConfigError, DataError


@pytest.fixture(scope="module")
def engine():
    products = tiny_products()
    enc = FakeEncoder()
    return CatalogEngine.from_parts(products, ProductIndex.build(products, enc, show_progress=False), enc)


def test_simulated_sessions_are_deterministic_and_consistent(engine):
    a = eval_sessions(engine.products, n=40, seed=3)
    assert a == eval_sessions(engine.products, n=40, seed=3)
    assert a != eval_sessions(engine.products, n=40, seed=4)
    by_id = {p.id: p for p in engine.products}
    for s in a:
        assert s.purchased_id in s.target_ids and set(s.target_ids) <= set(by_id) and 0 <= s.intent <= 1
        assert s.filters.category and all(s.filters.allows(by_id[t]) and by_id[t].stock > 0 for t in s.target_ids)
        if s.filters.max_price is not None:
            assert f"{s.filters.max_price:g}" in s.query  # the budget it states is the one it typed
        assert all(b in s.query for b in s.filters.brands)
    assert {s.lang for s in a} == {"zh", "en"}
    assert any(s.filters.max_price for s in a) and any(s.filters.brands for s in a)


def test_the_offline_purchase_is_the_best_fitting_target(engine):
    """The bought product of an offline session is the target the simulated shopper's fit ranks first."""
    from chatbot.experiment.simulator import Goal, ShopperModel, _card, _eval_session, fit

    model = ShopperModel()
    products = list(engine.products)
    target = next(p for p in products if p.subcategory and p.stock > 0)
    goal = Goal("directed", target.id, target.category, target.subcategory, target.price * 1.5, (), "zh",
                target.subcategory, True, False)
    from chatbot.experiment.phrases import BUDGET_MEANING

    frame = next(f for f, m in BUDGET_MEANING.items() if m == "max" and "{brand}" not in f and "{category}" in f)
    s = _eval_session(goal, frame, products, target, model)
    assert s is not None and target.id in s.target_ids
    fits = {p.id: fit(_card(0, p.id, p), goal, model, target) for p in products if p.id in s.target_ids}
    assert fits[s.purchased_id] == max(fits.values())
    assert all(next(p for p in products if p.id == t).subcategory == target.subcategory for t in s.target_ids)


def test_simulated_sessions_need_a_buyable_catalog(engine):
    sold_out = [dataclasses.replace(p, stock=0) for p in engine.products]
    with pytest.raises(DataError, match="in-stock"):
        eval_sessions(sold_out, n=3)
    with pytest.raises(ConfigError, match="--n"):
        eval_sessions(engine.products, n=0)


def test_sessions_round_trip_through_jsonl(tmp_path, engine):
    sessions = eval_sessions(engine.products, n=10, seed=0)
    assert load_sessions(save_sessions(sessions, tmp_path / "s.jsonl")) == sessions


class _Fixed:
    def __init__(self, ids, products):
        self.ids, self.by_id, self.name = ids, {p.id: p for p in products}, "fixed"

    def recommend(self, query, *, filters, intent, k):
        return RecommendationResult([Recommendation(self.by_id[i], 1.0 / (n + 1)) for n, i in enumerate(self.ids[:k])],
                                    filters)


def test_metrics_by_hand():
    products = tiny_products()
    fake = SimpleNamespace(recommenders={"fixed": _Fixed(["S1", "S2", "S3"], products)},
                           parse=lambda q: SimpleNamespace(filters=Filters()))
    s = EvalSession(query="q", target_ids=("S2", "S3"), purchased_id="S2", intent=0.9,
                    filters=Filters(max_price=500))
    m = evaluate(fake, [s], k=10)["recommenders"]["fixed"]
    assert m["hr@10"] == 1.0 and m["mrr"] == 0.5
    idcg = 1 + 1 / math.log2(3)
    assert m["ndcg@10"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(4)) / idcg)
    assert m["violation_rate"] == pytest.approx(1 / 3)  # S2 costs 799 > 500


def test_evaluate_all_recommenders_side_by_side(engine):
    sessions = eval_sessions(engine.products, n=60, seed=0)
    report = evaluate(engine, sessions, k=10)
    assert set(report["recommenders"]) == {"baseline", "intent", "popularity"}
    for m in report["recommenders"].values():
        assert 0 <= m["hr@10"] <= 1 and 0 <= m["ndcg@10"] <= 1 and 0 <= m["mrr"] <= 1 and m["sessions"] == 60
    text = format_report(report)
    assert "baseline" in text and "hr@10" in text


def test_a_stated_budget_is_a_hard_limit_the_words_set():
    """A session states ``max_price`` exactly when its message sets a hard upper limit; "预算500元左右",
    "budget about ¥500" state an amount but no bound, and then no price filter."""
    sessions = eval_sessions(tiny_products(), n=200, seed=1)
    around = re.compile(r"左右|上下|大概|around|about|roughly")
    with_amount = [s for s in sessions if re.search(r"\d", s.query)]
    assert any(s.filters.max_price for s in with_amount) and any(s.filters.max_price is None for s in with_amount)
    for s in with_amount:
        assert (s.filters.max_price is None) == bool(around.search(s.query)), s.query


def test_recommenders_keep_every_filter_a_simulated_message_states(engine):
    """The parser reads every hard filter a simulated message states (the category, a named brand, a hard
    budget limit), so no recommender shows a product that breaks one; where it reads exactly the stated
    filters (no "about X" range of its own), every recommender finds the bought product."""
    sessions = eval_sessions(engine.products, n=60, seed=0)
    for s in sessions:
        f = engine.parse(s.query).filters
        assert (f.category, f.brands) == (s.filters.category, s.filters.brands), s.query
        if s.filters.max_price is not None:
            assert (f.min_price, f.max_price) == (None, s.filters.max_price), s.query
    for m in evaluate(engine, sessions, k=10)["recommenders"].values():
        assert m["violation_rate"] == 0.0
    exact = [s for s in sessions if engine.parse(s.query).filters == s.filters]
    assert 0 < len(exact) < len(sessions)
    for m in evaluate(engine, exact, k=10)["recommenders"].values():
        assert m["no_match_rate"] == 0.0 and m["hr@10"] == 1.0
