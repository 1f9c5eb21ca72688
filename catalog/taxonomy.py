"""A catalog's own category tree.

A product's ``category`` is the *key* of its node. The embedded catalog's nodes are the 18 built-in categories
(``catalog.categories``), keyed by slug (``"shoes"``). A shop's own categories are paths as the shop writes
them ("美妆 清洁 宠物 > 美妆 > 口红", "Beauty/Lipstick"); their key is the path's segments joined by
:data:`SEP` (``"美妆 清洁 宠物 > 美妆 > 口红"``), so a node's ancestors are the key's prefixes and "is this
product in category X (at any level)?" needs no tree: :func:`in_category`.

:class:`Taxonomy` is the tree of the categories a catalog uses (built from its products, saved as
``taxonomy.json`` next to the index); :mod:`catalog.category_terms` turns it into the words the query parser
knows.

Example:
    >>> category_key("美妆 清洁 宠物 > 美妆 > 口红")
    '美妆 清洁 宠物 > 美妆 > 口红'
    >>> category_key("Beauty/Lipstick"), category_key("跑鞋")
    ('Beauty > Lipstick', '跑鞋')
    >>> in_category("美妆 > 口红", "美妆"), in_category("美妆 > 口红", "美"), in_category("shoes", "shoes")
    (True, False, True)
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.categories import CATEGORY_BY_SLUG

__all__ = ["SEP", "TAXONOMY_FILE", "Node", "Taxonomy", "save_taxonomy", "category_key", "category_segments", "category_label", "in_category",
           "ancestors", "is_path"]

log = logging.getLogger(__name__)

SEP = " > "
TAXONOMY_FILE = "taxonomy.json"
_ARROWS = re.compile(r"\s*[>＞›»→〉]+\s*")
_SLASHES = re.compile(r"\s*[/／\\]\s*")
_SPACES = re.compile(r"\s+")


def _clean(segment: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", segment)).strip()


def is_path(value: str) -> bool:
    """Whether a category value is written as a path (">" or "/" between names)."""
    return len(_segments(value)) > 1


def _segments(value: str) -> list[str]:
    text = unicodedata.normalize("NFKC", value)
    parts = _ARROWS.split(text) if _ARROWS.search(text) else _SLASHES.split(text)
    return [c for c in (_clean(p) for p in parts) if c]


def category_key(value: str) -> str:
    """The node key of a category as written: ``>`` (also ＞ › » →) separates levels; without one, ``/``
    (also ／ and ``\\``) does. Whitespace is collapsed; empty levels are dropped."""
    return SEP.join(_segments(value))


def category_segments(key: str) -> list[str]:
    """The level names of a key, root first (a built-in slug is one level)."""
    return [s for s in key.split(SEP) if s] if key else []


def ancestors(key: str) -> list[str]:
    """The keys of a node and of every ancestor, root first."""
    parts = category_segments(key)
    return [SEP.join(parts[:i]) for i in range(1, len(parts) + 1)]


def in_category(product_category: str, wanted: str) -> bool:
    """Whether a product whose category key is ``product_category`` is in ``wanted`` (the node or below)."""
    return bool(wanted) and (product_category == wanted or product_category.startswith(wanted + SEP))


def category_label(key: str | None, lang: str = "zh") -> str:
    """Display name: a built-in category's name in ``lang``; a shop node's own (last) level name, in English
    its glossary equivalent when the name is Chinese and the glossary knows it (``catalog.glossary``).

    >>> category_label("美妆 > 口红"), category_label("美妆 > 口红", "en"), category_label("Beauty > Lip Tint", "en")
    ('口红', 'lipstick', 'Lip Tint')
    """
    if not key:
        return ""
    cat = CATEGORY_BY_SLUG.get(key)
    if cat is not None:
        return cat.en if lang == "en" else cat.zh
    parts = category_segments(key)
    name = parts[-1] if parts else key
    if lang == "en" and not name.isascii():
        from catalog.glossary import equivalents

        english = [w for w in equivalents(name) if w.isascii()]
        if english:
            return english[0]
    return name


@dataclass(frozen=True)
class Node:
    """One category: ``key``; ``name`` (its own level's name, zh or as the shop wrote it); ``name_en`` (built-in
    categories only); ``parent`` key (None for a root); ``count``: products in it and below."""

    key: str
    name: str
    parent: str | None
    depth: int
    count: int = 0
    name_en: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "name_en": self.name_en, "parent": self.parent,
                "depth": self.depth, "count": self.count}


@dataclass(frozen=True)
class Taxonomy:
    """The category tree of a catalog: every node that a product's category is, or is below."""

    nodes: Mapping[str, Node] = field(default_factory=dict)

    @classmethod
    def of(cls, categories: Iterable[str]) -> Taxonomy:
        """The tree of the given product category keys (one key per product; "" = uncategorised)."""
        counts: Counter[str] = Counter()
        for key in categories:
            for k in ancestors(key):
                counts[k] += 1
        nodes: dict[str, Node] = {}
        for key in sorted(counts, key=lambda k: (k.count(SEP), k)):
            parts = category_segments(key)
            builtin = CATEGORY_BY_SLUG.get(key)
            nodes[key] = Node(key=key, name=builtin.zh if builtin else parts[-1],
                              parent=SEP.join(parts[:-1]) or None, depth=len(parts) - 1, count=counts[key],
                              name_en=builtin.en if builtin else "")
        return cls(nodes)

    @classmethod
    def of_products(cls, products: Iterable[Any]) -> Taxonomy:
        return cls.of(p.category for p in products if p.category)

    def __contains__(self, key: object) -> bool:
        return key in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def _children(self) -> dict[str | None, list[Node]]:
        cached = self.__dict__.get("_children_index")
        if cached is None:
            cached = {}
            for n in self.nodes.values():
                cached.setdefault(n.parent, []).append(n)
            for kids in cached.values():
                kids.sort(key=lambda n: (-n.count, n.key))
            self.__dict__["_children_index"] = cached
        return cached

    def children(self, key: str | None) -> list[Node]:
        """The direct children of ``key`` (the roots for None), most products first."""
        return list(self._children().get(key, ()))

    def is_leaf(self, key: str) -> bool:
        return key not in self._children()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"nodes": [...]}`` roots first."""
        return {"nodes": [n.to_dict() for n in self.nodes.values()]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Taxonomy:
        nodes = {}
        for row in data.get("nodes", []):
            node = Node(key=str(row["key"]), name=str(row["name"]), parent=row.get("parent"),
                        depth=int(row["depth"]), count=int(row.get("count", 0)), name_en=str(row.get("name_en", "")))
            nodes[node.key] = node
        return cls(nodes)

    def render(self, lang: str = "zh") -> str:
        """An indented text tree with product counts (``shopguide catalog inspect``)."""
        lines: list[str] = []

        def walk(parent: str | None, indent: int) -> None:
            for node in self.children(parent):
                name = node.name_en if lang == "en" and node.name_en else node.name
                lines.append(f"{'  ' * indent}{name} ({node.count})")
                walk(node.key, indent + 1)

        walk(None, 0)
        return "\n".join(lines)


def save_taxonomy(taxonomy: Taxonomy, directory: Path | str) -> Path | None:
    """Write ``taxonomy.json`` into ``directory`` (next to the index; replaced atomically) when it changed.
    Returns the path, or None when the folder cannot be written (the tree is then only in memory)."""
    path = Path(directory) / TAXONOMY_FILE
    text = json.dumps(taxonomy.to_dict(), ensure_ascii=False, indent=1)
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write %s: %s", path, exc)
        return None
    return path
