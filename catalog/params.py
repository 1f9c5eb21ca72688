"""Parameters of retrieval and of the intent-weighted ranking (part of the one settings object).

Kept in ``catalog`` so the recommenders need nothing from ``chatbot``; ``chatbot.settings.Settings``
holds one instance as ``settings.ranking``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RankingParams"]


@dataclass(frozen=True)
class RankingParams:
    """Knobs of query parsing, candidate retrieval and the intent re-ranking formula (see ``catalog.recommend``).

    Retrieval:
        candidates: how many fused candidates the recommenders re-rank (60).
        rrf_k: the constant of reciprocal-rank fusion of vector and keyword recall (60).
    Intent re-ranking (score = relevance + p · Σ w_x · x, then MMR):
        w_exact: weight of the exact-match share (subcategory / model words of the query found) (0.30).
        w_stock: weight of "in stock" (0.35).
        w_rating: weight of rating / 5 (0.25).
        w_conversion: weight of log(1 + sales) / log(1 + max sales), the conversion proxy (0.25).
        mmr_lambda_low / mmr_lambda_high: MMR relevance share for a shopper with P(buy) = 0 / 1; a lower
            value means more diversity (0.55 / 1.0).
        mmr_w_embedding / mmr_w_brand / mmr_w_subcategory: item-to-item similarity used by MMR =
            w_e · max(0, cos) + w_b · [same brand] + w_s · [same subcategory] (0.4 / 0.3 / 0.3).
    Query parsing:
        usd_to_cny: fixed rate for budgets in dollars ("under $50" → ¥360) (7.2).
        around_band: "两千左右" / "around 2000" means 2000 · (1 ± around_band) (0.2).
        cheaper_factor: "便宜点" with no products shown lowers the previous max price to max · factor (0.8);
            with products shown the new max is just below the cheapest shown price.
        high_rating: minimum rating for "好评/highly rated" (4.5).
    """

    candidates: int = 60
    rrf_k: int = 60
    w_stock: float = 0.35
    w_rating: float = 0.25
    w_conversion: float = 0.25
    w_exact: float = 0.30
    mmr_lambda_low: float = 0.55
    mmr_lambda_high: float = 1.0
    mmr_w_embedding: float = 0.4
    mmr_w_brand: float = 0.3
    mmr_w_subcategory: float = 0.3
    usd_to_cny: float = 7.2
    around_band: float = 0.2
    cheaper_factor: float = 0.8
    high_rating: float = 4.5
