"""The embedded default catalog: schema, counts, category table, and byte-for-byte reproducibility."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from catalog.categories import CATEGORIES, CATEGORY_BY_SLUG
from catalog.data import make_catalog

FIELD_TYPES = {
    "id": str, "title_zh": str, "title_en": str, "category": str, "subcategory": str, "brand": str,
    "price": float, "stock": int, "rating": float, "sales": int, "tags": list, "attributes": dict,
    "description": str,
}


@pytest.fixture(scope="module")
def text() -> str:
    return make_catalog.OUT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def products(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_fields_and_types(products: list[dict]) -> None:
    assert set(FIELD_TYPES) == set(make_catalog.FIELDS)
    for p in products:
        assert set(p) == set(FIELD_TYPES), p["id"]
        for name, kind in FIELD_TYPES.items():
            assert type(p[name]) is kind, (p["id"], name, p[name])
        assert all(isinstance(t, str) and t for t in p["tags"]), p["id"]
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in p["attributes"].items()), p["id"]
        assert p["description"].count("。") >= 3, p["id"]


def test_ids_and_titles_unique(products: list[dict]) -> None:
    assert len({p["id"] for p in products}) == len(products)
    assert [p["id"] for p in products] == [f"P{i:05d}" for i in range(1, len(products) + 1)]
    assert len({p["title_zh"] for p in products}) == len(products)
    assert len({p["title_en"] for p in products}) == len(products)


def test_counts_per_category(products: list[dict]) -> None:
    assert len(products) >= 1500
    counts = Counter(p["category"] for p in products)
    assert len(counts) >= 15
    for slug, n in counts.items():
        assert slug in CATEGORY_BY_SLUG, slug
        assert n >= 60, (slug, n)


def test_value_ranges(products: list[dict]) -> None:
    for p in products:
        assert p["price"] > 0 and round(p["price"], 2) == p["price"], p["id"]
        assert p["stock"] >= 0, p["id"]
        assert 0 <= p["rating"] <= 5, p["id"]
        assert p["sales"] >= 0, p["id"]
    assert any(p["stock"] == 0 for p in products)


def test_known_models_and_running_shoes(products: list[dict]) -> None:
    titles = [p["title_zh"] for p in products]
    for model in ("iPhone 15", "AirPods Pro", "Mate 60", "小米14"):
        assert any(model in t for t in titles), model
    running = [p for p in products if p["subcategory"] == "跑步鞋"]
    assert len(running) >= 40
    assert sum(p["price"] <= 500 for p in running) >= 15
    assert all(p["category"] == "shoes" and "跑步鞋" in p["tags"] for p in running)


def test_generator_reproduces_file(text: str) -> None:
    assert make_catalog.dump(make_catalog.generate()) == text


def test_summary_lists_every_category(products: list[dict]) -> None:
    table = make_catalog.summary(products)
    for slug in {p["category"] for p in products}:
        assert f"| {slug} |" in table


def test_category_table() -> None:
    assert len(CATEGORIES) >= 16
    assert len(CATEGORY_BY_SLUG) == len(CATEGORIES)
    for c in CATEGORIES:
        assert c.slug.isascii() and c.zh and c.en
        assert c.synonyms_zh and c.synonyms_en, c.slug
        assert all(s.strip() == s and s for s in c.synonyms_zh + c.synonyms_en), c.slug
