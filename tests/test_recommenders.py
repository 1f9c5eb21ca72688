"""Contract tests for every recommender, and the intent formula's effect against the baseline."""

from __future__ import annotations

import math

import pytest
from conftest_catalog import FakeEncoder, make_product, tiny_products

from catalog.engine import CatalogEngine
from catalog.filters import Filters
from catalog.index import ProductIndex
from catalog.params import RankingParams
from catalog.recommend import (
    BaselineRecommender,
    IntentRecommender,
    PopularityRecommender,
    RecommendationResult,
    Recommender,
)
from catalog.retrieval import Candidate, RelaxHint, Retriever

NAMES = ["baseline", "intent", "popularity"]
QUERIES = [("想买跑鞋", Filters(category="shoes")), ("500以内的跑步鞋", Filters(category="shoes", max_price=500)),
           ("iphone 15", Filters()), ("耳机", Filters(in_stock_only=True)), ("李宁", Filters(brands=("李宁",))),
           ("手机", Filters(category="phones", exclude_brands=("Apple",), min_rating=4.7)), ("随便看看", Filters())]


@pytest.fixture(scope="module")
def engine():
    products = tiny_products()
    enc = FakeEncoder()
    return CatalogEngine.from_parts(products, ProductIndex.build(products, enc, show_progress=False), enc)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("query,filters", QUERIES, ids=[q for q, _ in QUERIES])
@pytest.mark.parametrize("intent", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("k", [1, 3, 10])
def test_recommender_contract(engine, name, query, filters, intent, k):
    rec = engine.recommenders[name]
    assert isinstance(rec, Recommender) and rec.name == name
    result = rec.recommend(query, filters=filters, intent=intent, k=k)
    assert isinstance(result, RecommendationResult) and result.filters == filters
    assert len(result.items) <= k
    assert len(set(result.ids)) == len(result.ids)
    scores = [item.score for item in result.items]
    assert scores == sorted(scores, reverse=True)
    assert all(filters.allows(item.product) for item in result.items)
    for item in result.items:
        assert item.parts and all(isinstance(v, float) and math.isfinite(v) for v in item.parts.values())
    allowed = int(engine.retriever.mask(filters).sum())
    assert result.no_match == (allowed == 0)
    if allowed and name != "popularity":
        assert len(result.items) == min(k, allowed)
    again = rec.recommend(query, filters=filters, intent=intent, k=k)
    assert again.ids == result.ids and [i.score for i in again.items] == scores


@pytest.mark.parametrize("name", NAMES)
def test_no_match_gives_a_hint_and_no_padding(engine, name):
    result = engine.recommenders[name].recommend("手机", filters=Filters(category="phones", max_price=100),
                                                 intent=0.9, k=5)
    assert result.no_match and result.items == []
    assert result.hint == RelaxHint("price", 3, 3999.0)  # data, not prose: the same for an English query
    en = engine.recommenders[name].recommend("phone", filters=Filters(category="phones", max_price=100), intent=0.9, k=5)
    assert en.hint == result.hint
    assert result.to_dict()["hint"] == {"constraint": "price", "count": 3, "min_price_available": 3999.0}
    assert engine.recommenders[name].recommend("手机", filters=Filters(category="phones"), intent=0.9, k=5).hint is None


def test_popularity_is_sales_times_rating_within_filters(engine):
    f = Filters(category="shoes")
    result = engine.recommenders["popularity"].recommend("whatever", filters=f, intent=0.5, k=3)
    shoes = sorted((p for p in engine.products if f.allows(p)), key=lambda p: (-p.sales * p.rating, p.id))
    assert result.ids == [p.id for p in shoes[:3]]


def _cand(pos, product, relevance):
    return Candidate(position=pos, product=product, vector_score=relevance, keyword_score=0.0, vector_rank=pos + 1,
                     keyword_rank=0, rrf=relevance / 30, relevance=relevance)


def test_formula_high_intent_moves_in_stock_well_rated_up():
    products = [make_product("A", "跑步鞋 A", brand="x", stock=0, rating=3.0, sales=10, subcategory="跑步鞋"),
                make_product("B", "跑步鞋 B", brand="y", stock=9, rating=4.9, sales=5000, subcategory="跑步鞋")]
    enc = FakeEncoder()
    retriever = Retriever(products, ProductIndex.build(products, enc, show_progress=False), enc, RankingParams())
    rec = IntentRecommender(retriever)
    cands = [_cand(0, products[0], 1.0), _cand(1, products[1], 0.9)]
    feats = rec.features("跑鞋", cands)
    assert feats[0]["in_stock"] == 0 and feats[1]["in_stock"] == 1 and feats[1]["exact"] == 1.0
    low = rec.rerank(cands, feats, 0.0, 2)
    high = rec.rerank(cands, feats, 1.0, 2)
    assert [r.product.id for r in low] == ["A", "B"]     # p = 0: relevance order
    assert [r.product.id for r in high] == ["B", "A"]    # p = 1: in stock, rated, popular first
    prm = RankingParams()
    b = high[0].parts
    expected = 0.9 + (prm.w_exact * b["exact"] + prm.w_stock * 1 + prm.w_rating * 4.9 / 5
                      + prm.w_conversion * b["conversion_norm"])
    assert b["rerank_score"] == pytest.approx(expected)
    assert b["mmr_lambda"] == pytest.approx(prm.mmr_lambda_high) and low[0].parts["mmr_lambda"] == prm.mmr_lambda_low


def test_high_intent_demotes_sold_out_and_promotes_exact_matches(engine):
    f = Filters(category="shoes")
    base = engine.recommenders["baseline"].recommend("想买跑鞋", filters=f, intent=1.0, k=6)
    high = engine.recommenders["intent"].recommend("想买跑鞋", filters=f, intent=1.0, k=6)
    assert base.ids != high.ids
    assert high.ids.index("S2") > base.ids.index("S2")      # the sold-out running shoe moves down
    assert all(r.product.subcategory == "跑步鞋" for r in high.items[:3])
    assert sum(r.product.stock > 0 for r in high.items[:4]) >= sum(r.product.stock > 0 for r in base.items[:4])


def _distinct(items, attr):
    return len({getattr(r.product, attr) for r in items})


@pytest.mark.parametrize("query", ["鞋", "想买跑鞋", "李宁"])
def test_low_intent_diversifies_brands_and_subcategories(engine, query):
    f = engine.parse(query).filters
    k = 4
    base = engine.recommenders["baseline"].recommend(query, filters=f, intent=0.0, k=k)
    low = engine.recommenders["intent"].recommend(query, filters=f, intent=0.0, k=k)
    high = engine.recommenders["intent"].recommend(query, filters=f, intent=1.0, k=k)
    div = lambda res: _distinct(res.items, "brand") + _distinct(res.items, "subcategory")  # noqa: E731
    assert div(low) >= div(base) and div(low) >= div(high)


def test_low_intent_is_strictly_more_diverse_on_running_shoes(engine):
    f = Filters(category="shoes")
    base = engine.recommenders["baseline"].recommend("想买跑鞋", filters=f, intent=0.0, k=4)
    low = engine.recommenders["intent"].recommend("想买跑鞋", filters=f, intent=0.0, k=4)
    assert _distinct(low.items, "subcategory") > _distinct(base.items, "subcategory")


def test_engine_search_applies_parsed_filters(engine):
    parsed, result = engine.search("500以内的跑步鞋", k=5, intent=0.8)
    assert parsed.filters.max_price == 500 and parsed.filters.category == "shoes"
    assert result.items and all(r.product.category == "shoes" and r.product.price <= 500 for r in result.items)
    shown = [r.product for r in result.items]
    parsed2, result2 = engine.search("便宜点", k=5, previous=parsed.filters, shown=shown)
    assert parsed2.cheaper and all(r.product.price < min(p.price for p in shown) for r in result2.items)


def test_engine_open_builds_saves_and_reopens(tmp_path, cat_products_path, cat_encoder):
    e1 = CatalogEngine.open(cat_products_path, tmp_path / "idx", cat_encoder)
    assert (tmp_path / "idx" / "index.faiss").exists()
    e2 = CatalogEngine.open(cat_products_path, tmp_path / "idx", cat_encoder, build_if_missing=False)
    assert e2.search("iphone 15")[1].ids[0] == e1.search("iphone 15")[1].ids[0] == "P1"
    assert set(e2.recommenders) == {"baseline", "intent", "popularity"}


def test_engine_open_mismatch_names_rebuild_command(tmp_path, cat_products_path, cat_encoder):
    from catalog.errors import IndexMismatchError

    CatalogEngine.open(cat_products_path, tmp_path / "idx", cat_encoder)
    with pytest.raises(IndexMismatchError, match="shopguide catalog index --products"):
        CatalogEngine.open(cat_products_path, tmp_path / "idx", FakeEncoder(dim=64, spec="small"))


def test_recommender_classes_share_one_retriever(engine):
    assert isinstance(engine.recommenders["baseline"], BaselineRecommender)
    assert isinstance(engine.recommenders["popularity"], PopularityRecommender)
    assert len({id(r.retriever) for r in engine.recommenders.values()}) == 1
