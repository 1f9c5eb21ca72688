"""Candidate retrieval: vector recall + keyword recall, fused with reciprocal-rank fusion, under hard filters.

The filters become a boolean mask over numpy arrays of price/category/brand/stock/rating (one vectorised
pass); only allowed positions go into FAISS and the keyword index, so a candidate can never violate a filter.

    rrf(d) = Σ_lists 1 / (rrf_k + rank_list(d))       (rank from 1; absent from a list = no term)
    relevance(d) = rrf(d) / max_candidates rrf        (in [0, 1]; the best candidate has 1)

When nothing passes the filters, :meth:`Retriever.relax_hint` names the single constraint whose removal lets
products through, as a :class:`RelaxHint` (data, no prose: the chat reply words it in the shopper's language).

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
from catalog.keyword import KeywordIndex, keyword_tokens, product_keyword_text
from catalog.params import RankingParams
from catalog.products import Product
from catalog.taxonomy import SEP

__all__ = ["Candidate", "Retriever", "ProductArrays", "RelaxHint", "RELAXABLE"]

RELAXABLE = ("subtypes", "price", "brands", "exclude_brands", "in_stock_only", "min_rating", "category")
"""The constraints :meth:`Retriever.relax_hint` may suggest relaxing, in the order it tries them."""


@dataclass(frozen=True)
class RelaxHint:
    """What to relax when nothing passes the filters (the chat reply words it; catalog writes no prose).

    constraint: one of :data:`RELAXABLE`, or None when relaxing one constraint finds nothing ("try other words").
    count: products that pass once ``constraint`` is dropped (0 when constraint is None).
    min_price_available: for ``price`` when every such product costs more than the budget, the cheapest
    price among them ("raise the budget to ¥3999"); None otherwise ("widen the price range").

    >>> RelaxHint("price", 3, 3999.0).to_dict()
    {'constraint': 'price', 'count': 3, 'min_price_available': 3999.0}
    """

    constraint: str | None
    count: int = 0
    min_price_available: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"constraint": self.constraint, "count": self.count, "min_price_available": self.min_price_available}


@dataclass(frozen=True)
class Candidate:
    """A retrieved product with the parts of its relevance (ranks are 1-based, 0 = not retrieved by that list)."""

    position: int
    product: Product
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
    subcategory: np.ndarray
    brand: np.ndarray
    ids: np.ndarray

    @classmethod
    def of(cls, products: Sequence[Product]) -> ProductArrays:
        return cls(
            price=np.array([p.price for p in products], np.float64),
            stock=np.array([p.stock for p in products], np.int64),
            rating=np.array([p.rating for p in products], np.float64),
            sales=np.array([p.sales for p in products], np.float64),
            category=np.array([p.category for p in products], dtype=object),
            subcategory=np.array([p.subcategory for p in products], dtype=object),
            brand=np.array([p.brand for p in products], dtype=object),
            ids=np.array([p.id for p in products], dtype=object),
        )

    def in_category(self, key: str) -> np.ndarray:
        """Mask of the products in category ``key`` or below it (:func:`catalog.taxonomy.in_category`)."""
        cache = self.__dict__.setdefault("_category_masks", {})
        if key not in cache:
            below = key + SEP
            cache[key] = np.fromiter((c == key or c.startswith(below) for c in self.category), bool,
                                     count=len(self.category))
        return cache[key]

    def mask(self, f: Filters) -> np.ndarray:
        """Boolean mask of the products that pass every constraint of ``f``."""
        m = np.ones(len(self.price), dtype=bool)
        if f.min_price is not None:
            m &= self.price >= f.min_price
        if f.max_price is not None:
            m &= self.price <= f.max_price
        if f.category:
            m &= self.in_category(f.category)
        if f.subtypes:
            m &= np.isin(self.subcategory, list(f.subtypes))
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

    products: Sequence[Product]
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

    def relax_hint(self, filters: Filters) -> RelaxHint:
        """Which single constraint to relax when nothing passes ``filters`` (never pads with violators).

        The first of :data:`RELAXABLE` whose removal lets products through; ``RelaxHint(None)`` when none does.
        """
        arrays = self.arrays
        for name in RELAXABLE:
            if name == "price":
                if filters.min_price is None and filters.max_price is None:
                    continue
            elif not getattr(filters, name):
                continue
            m = arrays.mask(filters.without(name))
            if not m.any():
                continue
            low = None
            if name == "price" and filters.max_price is not None and (arrays.price[m] > filters.max_price).all():
                low = float(arrays.price[m].min())
            return RelaxHint(name, int(m.sum()), low)
        return RelaxHint(None)
