"""The words that name each category of a catalog, for the query parser.

From the catalog's own :class:`~catalog.taxonomy.Taxonomy` and products, by priority (a word names the node of
its best source; ties go to the shallower node, then the one with more products):

1. a node's own name at any level ("美妆", "口红"); a built-in category's slug and display names;
2. the built-in synonyms of a built-in category in the catalog, and the bilingual equivalents of a shop node's
   name (:mod:`catalog.glossary`: "口红" also answers to "唇膏" and "lipstick");
3. the built-in synonyms where a shop node's name matches a built-in category — for an inner node (one with
   sub-categories) or one named exactly like the built-in category (the shop's "美妆" answers to "面霜"; its
   leaf "口红" does not);
4. words mined from the titles of each shop node: a token in at least :data:`MINE_SHARE` of the node's
   titles, :data:`MINE_PURITY` of whose occurrences are in that node, on the deepest such node;
5. the built-in categories the catalog does not sell (so that "手机" in a beauty shop is a clear no-match, not
   a search that shows lipsticks);
6. the catalog's subcategory values (the category most of their products are in).

Example:
    >>> from catalog.products import Product
    >>> def p(i, title, cat):
    ...     return Product(id=i, title_zh=title, title_en="", category=cat, subcategory="", brand="", price=9.0,
    ...                    stock=1, rating=0.0, sales=0)
    >>> terms = dict(category_terms([p("1", "丝绒哑光口红", "美妆 > 口红"), p("2", "保湿面霜", "美妆 > 面霜")]))
    >>> terms["口红"], terms["lipstick"], terms["美妆"], terms["精华"], terms["手机"]
    ('美妆 > 口红', '美妆 > 口红', '美妆', '美妆', 'phones')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from catalog.categories import CATEGORIES, CATEGORY_BY_SLUG, Category
from catalog.glossary import equivalents
from catalog.taxonomy import Taxonomy, ancestors
from intent.text import HAN, normalize

__all__ = ["category_terms", "MINE_SHARE", "MINE_PURITY", "MINE_MIN_PRODUCTS"]

MINE_SHARE = 0.4
"""A mined word is in at least this share of the node's product titles ..."""
MINE_PURITY = 0.9
"""... and at least this share of the titles that contain it are in the node."""
MINE_MIN_PRODUCTS = 3
"""Nodes with fewer products mine no words."""

_TOKEN_OK = re.compile(r"^(?:[\u3400-\u9fff]{2,8}|[a-z][a-z\-]{2,20})$")


def _builtin_terms(cat: Category) -> tuple[list[str], list[str]]:
    """(names, synonyms) of a built-in category, normalised."""
    names = [normalize(t) for t in (cat.slug.replace("_", " "), cat.zh, cat.en)]
    return names, [normalize(t) for t in (*cat.synonyms_zh, *cat.synonyms_en)]


def _builtin_of(name: str) -> Category | None:
    """The built-in category a shop node's name is a name or synonym of."""
    n = normalize(name)
    for cat in CATEGORIES:
        names, synonyms = _builtin_terms(cat)
        if n in names or n in synonyms:
            return cat
    return None


def _mined(products: Sequence[Any], taxonomy: Taxonomy) -> dict[str, str]:
    """word → deepest shop node whose titles it characterises (module docstring, priority 4). Brand names
    are never mined (a brand is no category)."""
    from intent.text import get_segmenter  # lazy: jieba's dictionary loads on first use

    seg = get_segmenter()
    brands = {normalize(p.brand) for p in products if p.brand}
    in_titles: Counter[str] = Counter()  # word -> titles containing it, all products
    in_node: dict[str, Counter[str]] = defaultdict(Counter)  # word -> node key -> titles in the node and below
    for p in products:
        words = {w for w in seg.cut(normalize(p.title_zh or p.title_en)) if _TOKEN_OK.match(w) and w not in brands}
        in_titles.update(words)
        if p.category and p.category not in CATEGORY_BY_SLUG:
            for w in words:
                for key in ancestors(p.category):
                    in_node[w][key] += 1
    out: dict[str, tuple[int, str]] = {}
    for word, by_node in in_node.items():
        for key, count in by_node.items():
            node = taxonomy.nodes[key]
            if (node.count >= MINE_MIN_PRODUCTS and count >= MINE_SHARE * node.count
                    and count >= MINE_PURITY * in_titles[word]
                    and (word not in out or node.depth > out[word][0])):
                out[word] = (node.depth, key)
    return {w: key for w, (_, key) in out.items()}


def category_terms(products: Sequence[Any], taxonomy: Taxonomy | None = None) -> list[tuple[str, str]]:
    """(normalised term, category key), longest term first (see the module docstring)."""
    taxonomy = taxonomy or Taxonomy.of_products(products)
    best: dict[str, tuple[int, int, int, str]] = {}  # term -> (priority, depth, -count, key)

    def add(term: str, key: str, priority: int) -> None:
        if not term:
            return
        node = taxonomy.nodes.get(key)
        rank = (priority, node.depth if node else 0, -(node.count if node else 0), key)
        if term not in best or rank < best[term]:
            best[term] = rank

    for node in taxonomy.nodes.values():
        builtin = CATEGORY_BY_SLUG.get(node.key)
        if builtin is not None:
            names, synonyms = _builtin_terms(builtin)
            for t in names:
                add(t, node.key, 1)
            for t in synonyms:
                add(t, node.key, 2)
            continue
        name = normalize(node.name)
        add(name, node.key, 1)
        if HAN.search(name):
            add(name.replace(" ", ""), node.key, 1)
        for t in equivalents(node.name):
            add(normalize(t), node.key, 2)
        match = _builtin_of(node.name)
        if match is not None:
            names, synonyms = _builtin_terms(match)
            if not taxonomy.is_leaf(node.key) or name in names:
                for t in (*names, *synonyms):
                    add(t, node.key, 3)
    if any(k not in CATEGORY_BY_SLUG for k in taxonomy.nodes):
        for word, key in _mined(products, taxonomy).items():
            add(word, key, 4)
    for cat in CATEGORIES:
        if cat.slug not in taxonomy:
            names, synonyms = _builtin_terms(cat)
            for t in (*names, *synonyms):
                add(t, cat.slug, 5)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for p in products:
        if p.subcategory and p.category:
            counts[normalize(p.subcategory)][p.category] += 1
    for sub, by_cat in counts.items():
        add(sub, max(sorted(by_cat), key=by_cat.__getitem__), 6)
    return sorted(((t, r[3]) for t, r in best.items()), key=lambda kv: (-len(kv[0]), kv[0]))
