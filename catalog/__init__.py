"""catalog — products, hybrid retrieval (FAISS + BM25), hard filters and the recommenders.

Importing the package is instant: names are loaded on first access (faiss, jieba and numpy-heavy modules
are imported only when used). The app and CLI use :class:`catalog.engine.CatalogEngine`.

>>> import catalog
>>> catalog.Filters(max_price=500).describe("en")
'≤ ¥500'
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Product", "load_products", "catalog_hash", "import_catalog", "ImportResult", "RowError",
    "ProductIndex", "Filters", "ParsedQuery", "QueryParser", "parse_query", "KeywordIndex", "Retriever",
    "Candidate", "Recommender", "Recommendation", "RecommendationResult", "BaselineRecommender",
    "IntentRecommender", "PopularityRecommender", "CatalogEngine", "RankingParams",
]

_WHERE = {
    "Product": "products", "load_products": "products", "catalog_hash": "products",
    "import_catalog": "importer", "ImportResult": "importer", "RowError": "importer",
    "ProductIndex": "index", "Filters": "filters", "ParsedQuery": "filters", "QueryParser": "filters",
    "parse_query": "filters", "KeywordIndex": "keyword", "Retriever": "retrieval", "Candidate": "retrieval",
    "Recommender": "recommend", "Recommendation": "recommend", "RecommendationResult": "recommend",
    "BaselineRecommender": "recommend", "IntentRecommender": "recommend", "PopularityRecommender": "recommend",
    "CatalogEngine": "engine", "RankingParams": "params",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"catalog.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'catalog' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
