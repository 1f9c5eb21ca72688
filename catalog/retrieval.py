"""Candidate retrieval: vector recall + keyword recall, fused with reciprocal-rank fusion, under hard filters.

The filters become a boolean mask over numpy arrays of price/category/brand/stock/rating (one vectorised
pass); only allowed positions go into FAISS and the keyword index, so a candidate can never violate a filter.

    rrf(d) = Σ_lists 1 / (rrf_k + rank_list(d))       (rank from 1; absent from a list = no term)
    relevance(d) = rrf(d) / max_candidates rrf        (in [0, 1]; the best candidate has 1)

Example:
    >>> # r = Retriever(products, index, encoder, RankingParams()); r.retrieve("跑鞋", Filters(max_price=500))
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from catalog.filters import Filters
from catalog.keyword import KeywordIndex
from catalog.params import RankingParams

__all__ = ["Candidate", "Retriever", "ProductArrays"]


@dataclass(frozen=True)
class Candidate:
    """A retrieved product with the parts of its relevance (ranks are 1-based, 0 = not retrieved by that list)."""

    position: int
    product: Any
    vector_score: float
    keyword_score: float
    vector_rank: int
    keyword_rank: int
    rrf: float
    relevance: float


@dataclass(frozen=True, eq=False)
class ProductArrays:
    """Column arrays of the catalog used for vectorised filtering and ranking."""

    price: np.ndarray
    stock: np.ndarray
    rating: np.ndarray
    sales: np.ndarray
    category: np.ndarray
    brand: np.ndarray
    ids: np.ndarray

    @classmethod
    def of(cls, products: Sequence[Any]) -> ProductArrays:
        return cls(
            price=np.array([p.price for p in products], np.float64),
            stock=np.array([p.stock for p in products], np.int64),
            rating=np.array([p.rating for p in products], np.float64),
            sales=np.array([p.sales for p in products], np.float64),
            category=np.array([p.category for p in products], dtype=object),
            brand=np.array([p.brand for p in products], dtype=object),
            ids=np.array([p.id for p in products], dtype=object),
        )

    def mask(self, f: Filters) -> np.ndarray:
        """Boolean mask of the products that pass every constraint of ``f``."""
        m = np.ones(len(self.price), dtype=bool)
        if f.min_price is not None:
            m &= self.price >= f.min_price
        if f.max_price is not None:
            m &= self.price <= f.max_price
        if f.category:
            m &= self.category == f.category
        if f.brands:
            m &= np.isin(self.brand, list(f.brands))
        if f.exclude_brands:
            m &= ~np.isin(self.brand, list(f.exclude_brands))
        if f.in_stock_only:
            m &= self.stock > 0
        if f.min_rating is not None:
            m &= self.rating >= f.min_rating
        return m


@dataclass(eq=False)
class Retriever:
    """Hybrid retrieval over ``products`` with a :class:`catalog.index.ProductIndex` and an encoder.

    ``keyword_index`` is built from the products on first use when not given.
    """

    products: Sequence[Any]
    index: Any
    encoder: Any
    params: RankingParams = field(default_factory=RankingParams)
    keyword_index: KeywordIndex | None = None

    @cached_property
    def arrays(self) -> ProductArrays:
        return ProductArrays.of(self.products)

    @cached_property
    def keywords(self) -> KeywordIndex:
        return self.keyword_index or KeywordIndex.build(self.products)

    @cached_property
    def product_tokens(self) -> list[frozenset[str]]:
        """Keyword tokens of each product (titles, brand, subcategory, tags)."""
        from catalog.keyword import keyword_tokens, product_keyword_text

        return [frozenset(keyword_tokens(product_keyword_text(p))) for p in self.products]

    def warm_up(self) -> Retriever:
        """Build the column arrays and the keyword index now."""
        _ = self.arrays, self.keywords
        return self

    def mask(self, filters: Filters) -> np.ndarray:
        return self.arrays.mask(filters)

    @cached_property
    def _query_cache(self) -> tuple[threading.Lock, dict[str, np.ndarray]]:
        return threading.Lock(), {}

    def encode_query(self, query: str) -> np.ndarray:
        """The query's embedding (the last 256 queries are cached: the A/B arms and evaluation share them)."""
        lock, cache = self._query_cache
        with lock:
            vec = cache.get(query)
        if vec is None:
            vec = np.asarray(self.encoder.encode(query, kind="query"), np.float32).reshape(-1)
            with lock:
                if len(cache) >= 256:
                    cache.pop(next(iter(cache)))
                cache[query] = vec
        return vec

    def retrieve(self, query: str, filters: Filters, k: int | None = None, *,
                 query_vec: np.ndarray | None = None) -> list[Candidate]:
        """Up to ``k`` (default ``params.candidates``) fused candidates that pass ``filters``, best first
        (ties by product id)."""
        k = self.params.candidates if k is None else k
        mask = self.mask(filters)
        if not mask.any() or k <= 0:
            return []
        qv = self.encode_query(query) if query_vec is None else np.asarray(query_vec, np.float32).reshape(-1)
        vs, vp = self.index.search(qv, k, allowed=mask)
        keep = vp >= 0
        vs, vp = vs[keep], vp[keep]
        ks, kp = self.keywords.search(query, k, allowed=mask)
        rrf_k = self.params.rrf_k
        parts: dict[int, dict[str, float]] = {}
        for rank, (pos, score) in enumerate(zip(vp.tolist(), vs.tolist(), strict=True), start=1):
            parts.setdefault(pos, {})["v"] = score
            parts[pos]["vr"] = rank
        for rank, (pos, score) in enumerate(zip(kp.tolist(), ks.tolist(), strict=True), start=1):
            parts.setdefault(pos, {})["k"] = score
            parts[pos]["kr"] = rank
        rrf = {pos: sum(1.0 / (rrf_k + d[r]) for r in ("vr", "kr") if r in d) for pos, d in parts.items()}
        ids = self.arrays.ids
        order = sorted(rrf, key=lambda pos: (-rrf[pos], ids[pos]))[:k]
        top = rrf[order[0]] if order else 1.0
        return [Candidate(position=pos, product=self.products[pos], vector_score=float(parts[pos].get("v", 0.0)),
                          keyword_score=float(parts[pos].get("k", 0.0)), vector_rank=int(parts[pos].get("vr", 0)),
                          keyword_rank=int(parts[pos].get("kr", 0)), rrf=rrf[pos], relevance=rrf[pos] / top)
                for pos in order]

    def relax_hint(self, filters: Filters, lang: str = "zh") -> str:
        """Which single constraint to relax when nothing passes ``filters`` (never pads with violators)."""
        from catalog.filters import _fmt

        zh = lang.startswith("zh")
        arrays = self.arrays
        options: list[tuple[int, str, str]] = []
        if filters.max_price is not None or filters.min_price is not None:
            m = arrays.mask(filters.without("price"))
            if m.any():
                prices = arrays.price[m]
                if filters.max_price is not None and (prices > filters.max_price).all():
                    low = float(prices.min())
                    msg = (f"预算提高到 ¥{_fmt(low)} 起就有 {int(m.sum())} 件可选" if zh
                           else f"raise the budget to ¥{_fmt(low)} to see {int(m.sum())} products")
                else:
                    msg = (f"放宽价格范围可找到 {int(m.sum())} 件" if zh
                           else f"widen the price range to see {int(m.sum())} products")
                options.append((int(m.sum()), "price", msg))
        for name, zh_msg, en_msg in (("brands", "换个品牌", "try another brand"),
                                     ("exclude_brands", "不排除已排除的品牌", "allow the excluded brands"),
                                     ("in_stock_only", "也看看暂时缺货的", "include out-of-stock products"),
                                     ("min_rating", "降低评分要求", "accept a lower rating"),
                                     ("category", "换个类目", "look in another category")):
            if not getattr(filters, name):
                continue
            m = arrays.mask(filters.without(name))
            if m.any():
                count = int(m.sum())
                options.append((count, name, (f"{zh_msg}可找到 {count} 件" if zh else f"{en_msg} to see {count} products")))
        head = "没有符合全部条件的商品" if zh else "No product matches all your constraints"
        if not options:
            return head + ("，换个说法或放宽条件试试" if zh else "; try other words or fewer constraints")
        priority = {"price": 0, "brands": 1, "exclude_brands": 2, "in_stock_only": 3, "min_rating": 4, "category": 5}
        options.sort(key=lambda o: (priority[o[1]], -o[0]))
        return head + ("：" if zh else ": ") + options[0][2]
