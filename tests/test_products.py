"""Product record, embedded catalog loading and the catalog hash."""

from __future__ import annotations

import dataclasses

import pytest
from conftest_catalog import make_product, tiny_products

from catalog.categories import CATEGORY_BY_SLUG
from catalog.products import Product, catalog_hash, load_products


def test_product_is_frozen_and_round_trips_through_dict():
    p = make_product("A", "李宁 跑步鞋 😀", tags=["跑步", "缓震"], attributes={"颜色": "白"})
    assert isinstance(p.tags, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.price = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.attributes["颜色"] = "黑"  # type: ignore[index]
    d = p.to_dict()
    assert d["tags"] == ["跑步", "缓震"] and d["attributes"] == {"颜色": "白"}
    assert Product.from_dict(d) == p
    assert hash(p) == hash(Product.from_dict(d))


def test_text_for_index_has_title_brand_category_tags_description():
    p = make_product("A", "赤兔6 跑步鞋", title_en="Chitu 6", brand="李宁", tags=["缓震"], description="轻便透气")
    text = p.text_for_index()
    for part in ("赤兔6 跑步鞋", "Chitu 6", "李宁", CATEGORY_BY_SLUG["shoes"].zh, "缓震", "轻便透气"):
        assert part in text


def test_catalog_hash_follows_indexed_text_not_stock():
    products = tiny_products()
    h = catalog_hash(products)
    assert h == catalog_hash(tiny_products())
    restocked = [dataclasses.replace(p, stock=p.stock + 1, price=p.price + 1) for p in products]
    assert catalog_hash(restocked) == h
    renamed = [dataclasses.replace(products[0], title_zh="别的名字"), *products[1:]]
    assert catalog_hash(renamed) != h
    assert catalog_hash(products[::-1]) != h


def test_embedded_catalog_loads_and_is_valid():
    products = load_products()
    assert len(products) >= 100
    assert len({p.id for p in products}) == len(products)
    assert all(p.category in CATEGORY_BY_SLUG for p in products)
    assert all(p.price >= 0 and p.stock >= 0 and 0 <= p.rating <= 5 for p in products)
    assert any(p.category == "shoes" and "跑" in p.subcategory for p in products)


def test_load_products_from_a_user_file(cat_products_path, cat_products):
    assert load_products(cat_products_path) == cat_products
