"""The catalog facade the app and the CLI use: products + parser + index + retriever + recommenders.

Example:
    >>> # engine = CatalogEngine.open(None, settings.product_index_dir, make_encoder("e5"))
    >>> # parsed, result = engine.search("500以内的跑步鞋", k=4, intent=0.8)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.errors import IndexNotFoundError
from catalog.filters import Filters, ParsedQuery, QueryParser
from catalog.index import REBUILD, ProductIndex, drop_checkpoint
from catalog.params import RankingParams
from catalog.policy import ShopPolicy, load_policy, policy_path_for
from catalog.products import Product, load_products
from catalog.recommend import (
    BaselineRecommender,
    IntentRecommender,
    PopularityRecommender,
    RecommendationResult,
    Recommender,
)
from catalog.retrieval import Retriever
from catalog.taxonomy import Taxonomy, save_taxonomy
from intent.encoders import make_encoder
from intent.errors import ConfigError

__all__ = ["CatalogEngine"]

log = logging.getLogger(__name__)

_DEFAULT_PARAMS = RankingParams()


@dataclass(eq=False)
class CatalogEngine:
    """Everything needed to answer "which products?" for one catalog; build it with :meth:`open`."""

    products: list[Product]
    parser: QueryParser
    index: ProductIndex
    retriever: Retriever
    recommenders: dict[str, Recommender]
    params: RankingParams = field(default_factory=RankingParams)
    encoder: Any = None
    policy: ShopPolicy = field(default_factory=load_policy)
    """The shop's service texts and delivery promise (a ``policy.json`` next to the catalog file, else the
    embedded demo shop's)."""

    @classmethod
    def open(cls, products_path: Path | None, index_dir: Path, encoder: Any, *, build_if_missing: bool = True,
             params: RankingParams = _DEFAULT_PARAMS, kind: str = "flat",
             show_progress: bool | None = None, mapping: Any = None) -> CatalogEngine:
        """Load the catalog (``None`` = embedded) and its index from ``index_dir``.

        ``mapping``: the catalog file's column names → catalog fields (see :func:`catalog.products.load_products`).

        ``encoder`` is an encoder object or a spec string (built with ``intent.encoders.make_encoder``).
        A missing index is built and saved when ``build_if_missing``; an index built with another encoder or
        catalog raises :class:`catalog.errors.IndexMismatchError` naming the rebuild command.
        """
        if isinstance(encoder, str):
            encoder = make_encoder(encoder)
        products = load_products(products_path, mapping)
        spec = mapping.to_spec() if hasattr(mapping, "to_spec") else mapping
        rebuild = REBUILD + (f" --products {products_path}" if products_path else "") + (
            f" --map '{spec}'" if products_path and spec else "") + f" --out {index_dir}" + (
            f" --encoder {encoder.spec}" if getattr(encoder, "spec", "") else "")
        try:
            index = ProductIndex.load(index_dir, encoder, products, rebuild=rebuild)
        except IndexNotFoundError:
            if not build_if_missing:
                raise
            log.info("no product index in %s: building one for %d products with %s", index_dir, len(products),
                     getattr(encoder, "spec", encoder))
            start = time.perf_counter()
            checkpoint = Path(index_dir) / "vectors.partial.npz"  # Ctrl-C resumes
            index = ProductIndex.build(products, encoder, kind=kind, show_progress=show_progress, checkpoint=checkpoint)
            index.save(index_dir)
            drop_checkpoint(checkpoint)
            log.info("built the product index in %.1fs", time.perf_counter() - start)
        save_taxonomy(Taxonomy.of_products(products), index_dir)
        engine = cls.from_parts(products, index, encoder, params=params)
        engine.policy = load_policy(policy_path_for(products_path))
        return engine

    @classmethod
    def from_parts(cls, products: list[Product], index: ProductIndex, encoder: Any, *,
                   params: RankingParams = _DEFAULT_PARAMS) -> CatalogEngine:
        """Wire an engine from loaded products and index (no I/O)."""
        retriever = Retriever(products, index, encoder, params)
        recommenders: dict[str, Recommender] = {
            "baseline": BaselineRecommender(retriever),
            "intent": IntentRecommender(retriever, params),
            "popularity": PopularityRecommender(retriever),
        }
        return cls(products=products, parser=QueryParser(products, params), index=index, retriever=retriever,
                   recommenders=recommenders, params=params, encoder=encoder)

    def warm_up(self) -> CatalogEngine:
        """Build the parser tables, column arrays and keyword index now (the app calls this at start)."""
        _ = self.parser.brand_terms, self.parser.line_terms, self.parser.category_terms
        self.retriever.warm_up()
        _ = self.retriever.product_tokens
        return self

    def parse(self, text: str, previous: Filters | None = None, shown: Sequence[Product] = ()) -> ParsedQuery:
        return self.parser.parse(text, previous=previous, shown=shown)

    def search(self, text: str, k: int = 10, intent: float = 0.5, previous: Filters | None = None,
               shown: Sequence[Product] = (), *, recommender: str = "intent") -> tuple[ParsedQuery, RecommendationResult]:
        """Parse ``text`` (with the session's ``previous`` filters and the products ``shown``) and recommend."""
        if recommender not in self.recommenders:
            raise ConfigError(f"unknown recommender {recommender!r}",
                              hint=f"use one of {', '.join(self.recommenders)}")
        parsed = self.parse(text, previous=previous, shown=shown)
        result = self.recommenders[recommender].recommend(text, filters=parsed.filters, intent=intent, k=k)
        return parsed, result
