"""The :class:`Product` record and loading of the catalog.

A catalog is a plain ``list[Product]``; a product's *position* in that list is its row in the index and in
every array the retriever builds. Products are immutable; text is stored exactly as imported.

Example:
    >>> p = Product(id="P1", title_zh="耐克 跑步鞋", title_en="Nike running shoes", category="shoes",
    ...             subcategory="跑步鞋", brand="耐克", price=499.0, stock=3, rating=4.6, sales=120)
    >>> p.in_stock, p.to_dict()["tags"]
    (True, [])
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from catalog.categories import CATEGORY_BY_SLUG
from catalog.errors import CatalogImportError
from catalog.taxonomy import category_segments

__all__ = ["Product", "load_products", "catalog_hash", "embedded_catalog_path"]

log = logging.getLogger(__name__)

FIELDS: tuple[str, ...] = (
    "id", "title_zh", "title_en", "category", "subcategory", "brand", "price", "stock", "rating", "sales",
    "tags", "attributes", "description", "image_url",
)


def _frozen_mapping(value: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Product:
    """One product of the catalog.

    price is in CNY; stock is the number of units available (0 = sold out); rating is 0–5; sales is the
    number of units sold (the popularity signal). tags is a tuple, attributes a read-only mapping.
    """

    id: str
    title_zh: str
    title_en: str
    category: str
    subcategory: str
    brand: str
    price: float
    stock: int
    rating: float
    sales: int
    tags: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=_frozen_mapping, hash=False)
    description: str = ""
    image_url: str = ""
    """An http(s) URL, or the absolute path of a local image file (served by the app), or ""."""

    def __post_init__(self) -> None:  # normalise container types only (no validation: see importer)
        if not isinstance(self.tags, tuple):
            object.__setattr__(self, "tags", tuple(self.tags))
        if not isinstance(self.attributes, MappingProxyType):
            object.__setattr__(self, "attributes", _frozen_mapping(self.attributes))

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict with the catalog field names (tags as list, attributes as dict)."""
        return {
            "id": self.id, "title_zh": self.title_zh, "title_en": self.title_en, "category": self.category,
            "subcategory": self.subcategory, "brand": self.brand, "price": self.price, "stock": self.stock,
            "rating": self.rating, "sales": self.sales, "tags": list(self.tags),
            "attributes": dict(self.attributes), "description": self.description, "image_url": self.image_url,
        }

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> Product:
        """Build from an already validated dict (see :func:`catalog.importer.import_catalog` for raw rows)."""
        return cls(**{name: row[name] for name in FIELDS if name in row})

    def text_for_index(self) -> str:
        """The passage embedded in the vector index: titles, brand, category, tags and description."""
        cat = CATEGORY_BY_SLUG.get(self.category)
        cat_text = f"{cat.zh} {cat.en}" if cat else " ".join(category_segments(self.category))
        parts = [self.title_zh, self.title_en, self.brand, cat_text, self.subcategory, " ".join(self.tags),
                 self.description]
        return " ".join(p for p in parts if p)


def embedded_catalog_path() -> Path:
    """Path of the catalog shipped in the package (``catalog/data/products.jsonl``)."""
    return Path(str(resources.files("catalog.data").joinpath("products.jsonl")))


def load_products(path: Path | None = None, mapping: Any = None) -> list[Product]:
    """Products of a CSV/JSONL catalog, or of the embedded catalog when ``path`` is None.

    ``mapping``: the file's own column names → catalog fields (:class:`catalog.mapping.ColumnMapping` or what
    its ``parse`` takes: ``"goods_name=title_zh,selling_price=price"``, a mapping file, a dict).

    The embedded catalog is imported strictly (a bad row is a bug); a user's file skips bad rows with a
    logged warning (use :func:`catalog.importer.import_catalog` to see them). An empty result raises
    :class:`catalog.errors.CatalogImportError`.
    """
    from catalog.importer import import_catalog  # lazy: catalog.importer imports Product from this module

    strict = path is None
    source = embedded_catalog_path() if path is None else Path(path)
    products = import_catalog(source, strict=strict, mapping=None if path is None else mapping).products
    if not products:
        raise CatalogImportError(f"no valid product in {source}",
                                 hint="check the file with 'shopguide catalog index --products FILE -v'")
    return products


def catalog_hash(products: Iterable[Product]) -> str:
    """Hex digest of what the vector index depends on: every product's id and :meth:`Product.text_for_index`,
    in order. Price, stock, rating and sales changes do not change it (they need no re-embedding)."""
    h = hashlib.sha256()
    for p in products:
        h.update(json.dumps([p.id, p.text_for_index()], ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]
