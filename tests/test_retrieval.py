"""Hybrid retrieval: hard pre-filtering, keyword recall of model names, RRF parts, known answers."""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest
from conftest_catalog import FakeEncoder, make_product, tiny_products
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.filters import Filters
from catalog.index import ProductIndex
from catalog.keyword import KEYWORD_STOPWORDS, KeywordIndex, keyword_tokens, product_keyword_text
from catalog.params import RankingParams
from catalog.retrieval import RELAXABLE, RelaxHint, Retriever

RUNNING = {"S1", "S2", "S3", "S4"}


@pytest.fixture(scope="module")
def retriever():
    products = tiny_products()
    enc = FakeEncoder()
    return Retriever(products, ProductIndex.build(products, enc, show_progress=False), enc, RankingParams())


def test_running_shoes_come_first_for_pao_xie(retriever):
    cands = retriever.retrieve("想买跑鞋", Filters())
    assert {c.product.id for c in cands[:4]} == RUNNING


@pytest.mark.parametrize("query,first", [("iPhone 15", "P1"), ("iphone15", "P1"), ("IPHONE 15", "P1"),
                                         ("AirPods", "E1"), ("airpods pro", "E1"), ("Mate 60", "P2"),
                                         ("mate60", "P2"), ("小米14", "P3")])
def test_keyword_recall_finds_model_names(retriever, query, first):
    cands = retriever.retrieve(query, Filters())
    assert cands[0].product.id == first
    assert cands[0].keyword_rank == 1


def test_keyword_tokens_normalise_case_width_and_spacing():
    assert "iphone15" in keyword_tokens("ＩＰｈｏｎｅ 15") and "iphone" in keyword_tokens("iphone15")
    kw = KeywordIndex.build(tiny_products())
    assert kw.search("不存在的东西xyz", 5)[1].size == 0


def test_candidates_never_violate_filters_and_carry_parts(retriever):
    f = Filters(category="shoes", max_price=500)
    cands = retriever.retrieve("跑鞋", f)
    assert cands and all(f.allows(c.product) for c in cands)
    for c in cands:
        assert 0 <= c.relevance <= 1 and c.rrf > 0
        assert c.vector_rank > 0 or c.keyword_rank > 0
    assert cands[0].relevance == 1.0
    rrfs = [c.rrf for c in cands]
    assert rrfs == sorted(rrfs, reverse=True)


def test_rrf_formula(retriever):
    k = retriever.params.rrf_k
    for c in retriever.retrieve("iphone 15 手机", Filters()):
        expected = sum(1 / (k + r) for r in (c.vector_rank, c.keyword_rank) if r)
        assert c.rrf == pytest.approx(expected)


def test_mask_matches_filters_allows(retriever):
    products = retriever.products
    for f in [Filters(min_price=100, max_price=1000), Filters(brands=("李宁", "耐克")), Filters(exclude_brands=("Apple",)),
              Filters(in_stock_only=True, min_rating=4.6), Filters(category="phones", max_price=5000)]:
        assert retriever.mask(f).tolist() == [f.allows(p) for p in products]


@pytest.mark.parametrize("filters,hint", [
    (Filters(category="phones", max_price=1000), RelaxHint("price", 3, 3999.0)),    # every phone costs more
    (Filters(category="shoes", min_price=300, max_price=350), RelaxHint("price", 6)),  # shoes on both sides
    (Filters(brands=("耐克",), min_rating=4.9), RelaxHint("brands", 2)),
    (Filters(category="earphones", exclude_brands=("Apple",)), RelaxHint("exclude_brands", 1)),
    (Filters(max_price=800, brands=("耐克",), in_stock_only=True, min_rating=4.8), RelaxHint("in_stock_only", 1)),
    (Filters(category="earphones", min_rating=4.9), RelaxHint("min_rating", 1)),
    (Filters(category="phones", brands=("耐克",), max_price=800), RelaxHint("category", 1)),
    (Filters(category="earphones", max_price=800, min_rating=4.9), RelaxHint(None)),  # two constraints block
], ids=["price-raise", "price-widen", "brands", "exclude_brands", "in_stock_only", "min_rating", "category", "none"])
def test_relax_hint_is_structured(retriever, filters, hint):
    """Which constraint to relax, as data (the chat reply words it): the first of RELAXABLE that lets products
    through, with their count, checked against brute force over the products."""
    assert not retriever.mask(filters).any()
    got = retriever.relax_hint(filters)
    assert got == hint
    assert got.constraint in (*RELAXABLE, None)
    if got.constraint is not None:
        passing = [p for p in retriever.products if filters.without(got.constraint).allows(p)]
        assert got.count == len(passing)
        if got.min_price_available is not None:
            assert got.min_price_available == min(p.price for p in passing) > filters.max_price
    assert json.loads(json.dumps(got.to_dict())) == {"constraint": hint.constraint, "count": hint.count,
                                                     "min_price_available": hint.min_price_available}


@settings(max_examples=60, deadline=None)
@given(lo=st.one_of(st.none(), st.floats(0, 8000)), width=st.floats(0, 8000),
       brand=st.sampled_from([None, "李宁", "耐克", "Apple"]), in_stock=st.booleans())
def test_filtered_results_never_violate_random_budgets(retriever, lo, width, brand, in_stock):
    hi = None if lo is None else lo + width
    f = Filters(min_price=lo, max_price=hi, brands=(brand,) if brand else (), in_stock_only=in_stock)
    cands = retriever.retrieve("跑鞋 手机 耳机", f)
    assert all(f.allows(c.product) for c in cands)
    assert len(cands) == min(int(retriever.mask(f).sum()), retriever.params.candidates)


@pytest.mark.slow
def test_known_answer_with_real_e5():
    from intent.encoders import make_encoder

    products = tiny_products()
    enc = make_encoder("e5")
    r = Retriever(products, ProductIndex.build(products, enc, show_progress=False), enc, RankingParams())
    assert {c.product.id for c in r.retrieve("想买跑鞋", Filters())[:4]} == RUNNING
    assert np.isclose(np.linalg.norm(r.index.vectors_, axis=1), 1, atol=1e-4).all()


# ---------------------------------------------------------------------------------------------------------
# Keyword recall: the catalog's own token rules, and BM25 checked against a brute-force reference.
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,present,absent", [
    ("iPhone 15 Plus", ["iphone15", "iphone", "plus"], []),                      # "plus" names a model
    ("New Balance 跑鞋，有货吗？", ["new", "balance", "跑鞋", "跑", "鞋"], ["，", "？", "吗", "有"]),
    ("I want the down jacket", ["down", "jacket"], ["i", "want", "the"]),        # "down" names a product
    ("我想买华为手机，可以吗", ["华为", "华", "手机"], ["我", "想", "买", "可"]),  # characters of words filtered too
])
def test_keyword_tokens_product_search_rules(text, present, absent):
    toks = keyword_tokens(text)
    assert all(t in toks for t in present), toks
    assert not any(t in toks for t in absent), toks
    assert not any(t in KEYWORD_STOPWORDS for t in toks)


def test_keyword_tokens_do_not_follow_the_intent_model_stopwords(monkeypatch):
    import intent.text

    texts = ["iPhone 15 跑鞋", "想买跑鞋 500以内", "I want running shoes"]
    before = [keyword_tokens(t) for t in texts]
    monkeypatch.setattr(intent.text, "load_stopwords", lambda: frozenset({"iphone15", "跑鞋", "running"}))
    monkeypatch.setattr(intent.text, "KEEP_WORDS", frozenset({"的", "the"}))
    assert [keyword_tokens(t) for t in texts] == before


def _brute_force_bm25(products, query, k1=1.2, b=0.75):
    docs = [Counter(keyword_tokens(product_keyword_text(p))) for p in products]
    n = len(docs)
    avg = sum(sum(d.values()) for d in docs) / n
    out = np.zeros(n)
    for tok in set(keyword_tokens(query)):
        df = sum(tok in d for d in docs)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))  # Lucene's idf
        for i, d in enumerate(docs):
            tf = d[tok]
            out[i] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * sum(d.values()) / avg)) if tf else 0.0
    return out


@pytest.mark.parametrize("k1,b", [(1.2, 0.75), (2.0, 0.3)])
@pytest.mark.parametrize("query", ["跑鞋", "iphone 15 手机", "李宁 跑步鞋 缓震", "airpods pro", "电饭煲", "nothing xyz"])
def test_bm25_scores_equal_brute_force(query, k1, b):
    products = tiny_products() + tiny_products()[:3]  # repeated products: ties must break by position
    kw = KeywordIndex.build(products, k1=k1, b=b)
    expected = _brute_force_bm25(products, query, k1, b)
    np.testing.assert_allclose(kw.scores(query), expected, rtol=1e-5, atol=1e-6)
    scores, positions = kw.search(query, 8)
    want = [i for i in sorted(range(len(products)), key=lambda i: (-expected[i], i)) if expected[i] > 0][:8]
    assert positions.tolist() == want and np.all(scores > 0)


def test_keyword_search_stays_inside_the_mask():
    products = tiny_products()
    kw = KeywordIndex.build(products)
    allowed = np.array([p.category != "shoes" for p in products])
    _, positions = kw.search("跑鞋 手机", 10, allowed=allowed)
    assert positions.size and all(allowed[positions])
    assert "跑步" in kw and "不存在" not in kw and "" not in kw


def test_keyword_index_edge_cases():
    with pytest.raises(RuntimeError, match="not built"):
        KeywordIndex().scores("跑鞋")
    for products in ([], [make_product("x", "，。", brand="")]):  # no products; no product has a token
        kw = KeywordIndex.build(products)
        scores, positions = kw.search("跑鞋", 5)
        assert scores.size == positions.size == 0 and "跑鞋" not in kw
