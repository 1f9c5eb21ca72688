"""Offline evaluation: simulated sessions are deterministic; metrics are computed right; no violations."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from conftest_catalog import FakeEncoder, tiny_products

from catalog.engine import CatalogEngine
from catalog.evaluate import (
    EvalSession,
    evaluate,
    format_report,
    generate_sessions,
    load_sessions,
    save_sessions,
)
from catalog.filters import Filters
from catalog.index import ProductIndex
from catalog.recommend import Recommendation, RecommendationResult


@pytest.fixture(scope="module")
def engine():
    products = tiny_products()
    enc = FakeEncoder()
    return CatalogEngine.from_parts(products, ProductIndex.build(products, enc, show_progress=False), enc)


def test_generator_is_deterministic_and_consistent(engine):
    a = generate_sessions(engine.products, n=40, seed=3)
    assert a == generate_sessions(engine.products, n=40, seed=3)
    assert a != generate_sessions(engine.products, n=40, seed=4)
    ids = {p.id for p in engine.products}
    for s in a:
        assert s.purchased_id in s.target_ids and set(s.target_ids) <= ids and 0 <= s.intent <= 1
        bought = next(p for p in engine.products if p.id == s.purchased_id)
        assert s.filters.allows(bought)
    assert {s.lang for s in a} == {"zh", "en"}


def test_sessions_round_trip_through_jsonl(tmp_path, engine):
    sessions = generate_sessions(engine.products, n=10, seed=0)
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
    sessions = generate_sessions(engine.products, n=60, seed=0)
    report = evaluate(engine, sessions, k=10)
    assert set(report["recommenders"]) == {"baseline", "intent", "popularity"}
    for m in report["recommenders"].values():
        assert 0 <= m["hr@10"] <= 1 and 0 <= m["ndcg@10"] <= 1 and 0 <= m["mrr"] <= 1
        assert m["violation_rate"] <= 0.05 and m["sessions"] == 60
    text = format_report(report)
    assert "baseline" in text and "hr@10" in text
