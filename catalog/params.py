"""Parameters of retrieval and of the intent-weighted ranking (part of the one settings object).

Kept in ``catalog`` so the recommenders need nothing from ``chatbot``; ``chatbot.settings.Settings``
holds one instance as ``settings.ranking``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RankingParams"]


@dataclass(frozen=True)
class RankingParams:
    """Knobs of candidate retrieval and of the intent re-ranking formula (see ``catalog.recommend``).

    candidates: how many fused candidates the recommenders re-rank.
    rrf_k: the constant of reciprocal-rank fusion of vector and keyword recall.
    w_*: weights of the intent-dependent quality terms (applied in proportion to P(buy)).
    mmr_lambda_low / mmr_lambda_high: MMR relevance share for a shopper with P(buy) = 0 / 1;
        a lower value means more diversity.
    """

    candidates: int = 60
    rrf_k: int = 60
    w_stock: float = 0.35
    w_rating: float = 0.25
    w_conversion: float = 0.25
    w_exact: float = 0.30
    mmr_lambda_low: float = 0.55
    mmr_lambda_high: float = 1.0
