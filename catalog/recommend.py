"""Recommenders behind one protocol: baseline (relevance only), stage-aware, and popularity.

All three see the same hard filters and return the same :class:`RecommendationResult`, with the parts of
each score so staff can see why an item ranked where it did. Ties are broken by product id (deterministic).

Stage-aware ranking (the intent arm). The shopper's stage distribution — b = P(browse), c = P(consider),
r = P(ready) from :mod:`intent.stages` (P(service) takes weight from all three) — sets each term's weight
continuously; there is no switch between rankers::

    score_i = relevance_i + (c + r) · w_exact  · exact_i          a shopper with a product in mind wants it
                          + (c + r) · w_rating · rating_i/5       considering = judging quality
                          +       r · w_stock  · in_stock_i       buying now needs it in stock
                          +       r · w_conversion · log(1+sales_i)/log(1+max sales)   what others bought
    λ       = λ_low + (λ_high − λ_low) · (1 − b)                 browsing = see the range
    MMR:    pick argmax_i  λ · score_i / max score − (1 − λ) · max_{j picked} sim(i, j)
    sim     = w_e · max(0, cos(emb_i, emb_j)) + w_b · [same brand] + w_s · [same subcategory]

relevance comes from :mod:`catalog.retrieval` (RRF of vector and keyword recall, best = 1); exact_i is the
mean of the signals the query offers: the query names the product's subtype ("跑鞋" ⊂ "跑步鞋", as a
character subsequence) and the share of the query's catalog words found in the product's keyword fields
(model names such as "iphone15"). A ready shopper thus gets in-stock, well-rated, proven exact matches in a
focused list (λ → 1: pure score order); a browsing shopper (b → 1) gets the relevance order diversified
across brands, subtypes and embeddings (λ = λ_low = 0.55). Called with only a P(buy) p (no distribution),
the ranker uses r = p, c = 0, b = 1 − p: every term weighted by p, as before stages existed. The score
reported is the MMR objective at selection (non-increasing down the list); the parts carry each term.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

import numpy as np

from catalog.categories import CATEGORIES, CATEGORY_BY_SLUG
from catalog.filters import Filters
from catalog.keyword import keyword_tokens
from catalog.params import RankingParams
from catalog.products import Product
from catalog.retrieval import Candidate, RelaxHint, Retriever
from catalog.taxonomy import category_segments
from intent.text import is_subsequence, normalize

__all__ = ["Recommendation", "RecommendationResult", "Recommender", "BaselineRecommender", "IntentRecommender",
           "PopularityRecommender", "RECOMMENDERS", "stage_weights"]


@dataclass(frozen=True)
class Recommendation:
    """One recommended product, its score and the parts of that score."""

    product: Product
    score: float
    parts: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        p = self.product
        return {"id": p.id, "title_zh": p.title_zh, "title_en": p.title_en, "category": p.category,
                "subcategory": p.subcategory, "brand": p.brand, "price": p.price, "stock": p.stock,
                "rating": p.rating, "score": round(float(self.score), 6),
                "parts": {k: round(float(v), 6) for k, v in self.parts.items()}}


@dataclass(frozen=True)
class RecommendationResult:
    """Recommended items (best first) under ``filters``; ``no_match`` with a structured ``hint`` (which
    constraint to relax, see :class:`catalog.retrieval.RelaxHint`) when nothing passes."""

    items: list[Recommendation]
    filters: Filters
    no_match: bool = False
    hint: RelaxHint | None = None

    @property
    def ids(self) -> list[str]:
        return [r.product.id for r in self.items]

    def to_dict(self) -> dict[str, Any]:
        return {"filters": self.filters.to_dict(), "no_match": self.no_match,
                "hint": None if self.hint is None else self.hint.to_dict(),
                "items": [r.to_dict() for r in self.items]}


@runtime_checkable
class Recommender(Protocol):
    """Anything that recommends up to ``k`` products for a query under hard filters."""

    name: str

    def recommend(self, query: str, *, filters: Filters, intent: float, k: int,
                  stages: Mapping[str, float] | None = None) -> RecommendationResult: ...


def _no_match(retriever: Retriever, filters: Filters) -> RecommendationResult:
    return RecommendationResult([], filters, no_match=True, hint=retriever.relax_hint(filters))


def stage_weights(intent: float, stages: Mapping[str, float] | None) -> dict[str, float]:
    """The ranker's (browse, consider, ready) weights: the stage distribution as given, or from a P(buy)
    alone r = p, c = 0, b = 1 − p (every term weighted by p)."""
    if stages:
        return {s: _clip01(stages.get(s, 0.0)) for s in ("browse", "consider", "ready")}
    p = _clip01(intent)
    return {"browse": 1.0 - p, "consider": 0.0, "ready": p}


def _clip01(x: float) -> float:
    x = float(x)
    return 0.0 if not math.isfinite(x) else min(1.0, max(0.0, x))


@dataclass(eq=False)
class BaselineRecommender:
    """The A/B control: the same retrieval and filters, ranked by relevance only."""

    retriever: Retriever
    name: str = "baseline"

    def recommend(self, query: str, *, filters: Filters, intent: float = 0.5, k: int = 10,
                  stages: Mapping[str, float] | None = None) -> RecommendationResult:
        candidates = self.retriever.retrieve(query, filters)
        if not candidates:
            return _no_match(self.retriever, filters) if not self.retriever.mask(filters).any() else \
                RecommendationResult([], filters)
        items = [Recommendation(c.product, c.relevance, _retrieval_parts(c)) for c in candidates[:max(k, 0)]]
        return RecommendationResult(items, filters)


def _retrieval_parts(c: Candidate) -> dict[str, float]:
    return {"relevance": c.relevance, "rrf": c.rrf, "vector": c.vector_score, "keyword": c.keyword_score,
            "vector_rank": float(c.vector_rank), "keyword_rank": float(c.keyword_rank)}


@dataclass(eq=False)
class IntentRecommender:
    """Same candidates as the baseline, re-ranked with the shopper's P(buy) (formula in the module docstring)."""

    retriever: Retriever
    params: RankingParams | None = None
    name: str = "intent"

    @property
    def _params(self) -> RankingParams:
        return self.params or self.retriever.params

    def recommend(self, query: str, *, filters: Filters, intent: float = 0.5, k: int = 10,
                  stages: Mapping[str, float] | None = None) -> RecommendationResult:
        candidates = self.retriever.retrieve(query, filters)
        if not candidates:
            return _no_match(self.retriever, filters) if not self.retriever.mask(filters).any() else \
                RecommendationResult([], filters)
        features = self.features(query, candidates)
        items = self.rerank(candidates, features, stage_weights(intent, stages), k)
        return RecommendationResult(items, filters)

    # -- the formula, in two testable steps -----------------------------------------------------------------
    def features(self, query: str, candidates: Sequence[Candidate]) -> list[dict[str, float]]:
        """exact, in_stock, rating_norm, conversion_norm of each candidate (each in [0, 1])."""
        arrays = self.retriever.arrays
        max_sales = float(arrays.sales.max()) if len(arrays.sales) else 0.0
        q = normalize(query)
        vocab = self.retriever.keywords  # KeywordIndex: `token in vocab`
        q_tokens = [t for t in dict.fromkeys(keyword_tokens(query)) if t in vocab]
        subtypes = self._subtype_terms(q)
        out = []
        for c in candidates:
            p = c.product
            signals = []
            if subtypes:
                sub = normalize(p.subcategory or (
                    "" if p.category in CATEGORY_BY_SLUG else " ".join(category_segments(p.category)[-1:])))
                title = normalize(p.title_en)
                signals.append(1.0 if any(
                    t == sub or (len(t) >= 2 and is_subsequence(t, sub)) or (t.isascii() and t in title)
                    for t in subtypes) else 0.0)
            if q_tokens:
                doc = self.retriever.product_tokens[c.position]
                signals.append(sum(t in doc for t in q_tokens) / len(q_tokens))
            out.append({
                "exact": float(np.mean(signals)) if signals else 0.0,
                "in_stock": 1.0 if p.stock > 0 else 0.0,
                "rating_norm": _clip01(p.rating / 5.0),
                "conversion_norm": _clip01(math.log1p(max(p.sales, 0)) / math.log1p(max_sales)) if max_sales > 0 else 0.0,
            })
        return out

    def _subtype_terms(self, q: str) -> list[str]:
        """Category/subtype words in the query (synonyms and catalog subcategories), minus bare category names."""
        found: list[str] = []
        for t in self._subtype_vocabulary:
            if t in q and not any(t in f for f in found):
                found.append(t)
        return found

    @cached_property
    def _subtype_vocabulary(self) -> list[str]:
        """Normalised category synonyms and catalog subcategories, longest first (built once, not per query)."""
        terms = {normalize(t) for c in CATEGORIES for t in (*c.synonyms_zh, *c.synonyms_en)}
        terms |= {normalize(p.subcategory) for p in self.retriever.products if p.subcategory}
        terms |= {normalize(s) for p in self.retriever.products for s in category_segments(p.category)
                  if p.category not in CATEGORY_BY_SLUG}
        terms.discard("")
        return sorted(terms, key=lambda t: (-len(t), t))

    def rerank(self, candidates: Sequence[Candidate], features: Sequence[dict[str, float]],
               intent: float | Mapping[str, float], k: int) -> list[Recommendation]:
        """Stage-weighted scores, then MMR selection of ``k`` items (see the module docstring).

        intent: a P(buy), or the weights of :func:`stage_weights` (``browse``, ``consider``, ``ready``)."""
        prm = self._params
        w = intent if isinstance(intent, Mapping) else stage_weights(intent, None)
        b, c, r = (_clip01(w.get(s, 0.0)) for s in ("browse", "consider", "ready"))
        n = len(candidates)
        if n == 0 or k <= 0:
            return []
        terms = {"exact": (c + r) * prm.w_exact, "rating_norm": (c + r) * prm.w_rating,
                 "in_stock": r * prm.w_stock, "conversion_norm": r * prm.w_conversion}
        term_parts = [{f"{name}_term": weight * f[name] for name, weight in terms.items()} for f in features]
        bonus = np.array([sum(tp.values()) for tp in term_parts])
        rel = np.array([c.relevance for c in candidates])
        score = rel + bonus
        top = float(score.max()) or 1.0
        lam = prm.mmr_lambda_low + (prm.mmr_lambda_high - prm.mmr_lambda_low) * (1.0 - b)
        sim = self._similarity(candidates)
        ids = [cand.product.id for cand in candidates]
        chosen: list[int] = []
        penalty = np.zeros(n)
        remaining = sorted(range(n), key=ids.__getitem__)  # ties go to the smallest id
        items = []
        p_buy = _clip01(r + 0.5 * c)
        while remaining and len(chosen) < k:
            objectives = lam * score / top - (1 - lam) * penalty
            best = remaining[0]
            for i in remaining[1:]:
                if objectives[i] > objectives[best]:
                    best = i
            objective = objectives[best]
            parts = {**_retrieval_parts(candidates[best]), **features[best], **term_parts[best],
                     "intent": p_buy, "p_browse": b, "p_consider": c, "p_ready": r,
                     "intent_bonus": float(bonus[best]), "rerank_score": float(score[best]),
                     "mmr_lambda": lam, "mmr_penalty": float(penalty[best])}
            items.append(Recommendation(candidates[best].product, float(objective), parts))
            chosen.append(best)
            remaining.remove(best)
            penalty = np.maximum(penalty, sim[:, best])
        return items

    def _similarity(self, candidates: Sequence[Candidate]) -> np.ndarray:
        prm = self._params
        pos = np.array([c.position for c in candidates])
        vectors = getattr(self.retriever.index, "vectors_", None)
        if vectors is not None and len(vectors):
            E = vectors[pos]
            cos = np.clip(E @ E.T, 0.0, 1.0)
        else:
            cos = np.zeros((len(pos), len(pos)))
        brand = np.array([c.product.brand for c in candidates], dtype=object)
        sub = np.array([c.product.subcategory for c in candidates], dtype=object)
        return (prm.mmr_w_embedding * cos + prm.mmr_w_brand * (brand[:, None] == brand[None, :])
                + prm.mmr_w_subcategory * (sub[:, None] == sub[None, :]))


@dataclass(eq=False)
class PopularityRecommender:
    """Third reference for offline evaluation: sales × rating among the products passing the filters
    (the query text is ignored beyond its filters). score = sales·rating / max over the allowed products."""

    retriever: Retriever
    name: str = "popularity"

    def recommend(self, query: str, *, filters: Filters, intent: float = 0.5, k: int = 10,
                  stages: Mapping[str, float] | None = None) -> RecommendationResult:
        arrays = self.retriever.arrays
        mask = self.retriever.mask(filters)
        if not mask.any():
            return _no_match(self.retriever, filters)
        rows = np.flatnonzero(mask)
        pop = arrays.sales[rows] * arrays.rating[rows]
        top = float(pop.max()) or 1.0
        order = np.lexsort((arrays.ids[rows].astype(str), -pop))[:max(k, 0)]
        items = [Recommendation(self.retriever.products[rows[i]], float(pop[i] / top),
                                {"popularity": float(pop[i] / top), "sales": float(arrays.sales[rows[i]]),
                                 "rating": float(arrays.rating[rows[i]])}) for i in order]
        return RecommendationResult(items, filters)


RECOMMENDERS: dict[str, type] = {"baseline": BaselineRecommender, "intent": IntentRecommender,
                                 "popularity": PopularityRecommender}
