"""Catalog fixtures: a deterministic fake encoder and a tiny known-answer catalog built in code.

Fixtures: ``cat_encoder`` (FakeEncoder), ``cat_products`` (12 products), ``cat_products_path`` (them as JSONL
in a temp folder), ``cat_index`` (flat ProductIndex over them), ``cat_engine`` (CatalogEngine with a saved
index in a temp folder). Helpers ``FakeEncoder`` and ``make_product`` are importable.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from catalog.products import Product

__all__ = ["FakeEncoder", "make_product", "tiny_products", "cat_encoder", "cat_products", "cat_products_path",
           "cat_index", "cat_engine"]


class FakeEncoder:
    """Hashed character unigrams (weight 2) and bigrams (weight 1) → an L2-normalised vector: deterministic, instant, and texts sharing
    characters are close (so "跑鞋" is near "跑步鞋"). Implements the encoder contract."""

    def __init__(self, dim: int = 512, spec: str = "fake") -> None:
        self.dim = dim
        self.spec = spec

    def config(self) -> dict:
        return {"spec": self.spec, "type": "FakeEncoder", "dim": self.dim}

    def fit(self, texts):
        return self

    def _one(self, text: str) -> np.ndarray:
        t = unicodedata.normalize("NFKC", text).casefold()
        v = np.zeros(self.dim, np.float32)
        for n, weight in ((1, 2.0), (2, 1.0)):
            for i in range(len(t) - n + 1):
                gram = t[i:i + n]
                if gram.strip() != gram or not gram.strip():
                    continue
                h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
                v[h % self.dim] += weight if (h >> 40) & 1 else -weight
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def encode(self, texts, *, kind="query", batch_size=32, show_progress=None):
        if isinstance(texts, str):
            return self._one(texts)
        return np.stack([self._one(t) for t in texts]) if len(texts) else np.zeros((0, self.dim), np.float32)


def make_product(id: str, title_zh: str = "商品", *, title_en: str = "", category: str = "shoes",
                 subcategory: str = "", brand: str = "牌子", price: float = 100.0, stock: int = 10,
                 rating: float = 4.5, sales: int = 100, tags=(), attributes=None, description: str = "") -> Product:
    return Product(id=id, title_zh=title_zh, title_en=title_en, category=category, subcategory=subcategory,
                   brand=brand, price=float(price), stock=stock, rating=rating, sales=sales, tags=tuple(tags),
                   attributes=attributes or {}, description=description)


def tiny_products() -> list[Product]:
    """12 products with known answers: four running shoes (one sold out, one badly rated), other shoes,
    phones with model names, earphones, a T-shirt and a rice cooker."""
    P = make_product
    return [
        P("S1", "李宁 赤兔6 跑步鞋 轻量缓震", title_en="Li-Ning Chitu 6 running shoes", subcategory="跑步鞋",
          brand="李宁", price=399, stock=12, rating=4.7, sales=5200, tags=("跑步", "缓震"),
          description="轻便透气的跑步鞋，适合日常慢跑"),
        P("S2", "耐克 Pegasus 40 跑步鞋", title_en="Nike Pegasus 40 running shoes", subcategory="跑步鞋",
          brand="耐克", price=799, stock=0, rating=4.8, sales=9100, tags=("跑步", "回弹"),
          description="经典跑步鞋，回弹好"),
        P("S3", "安踏 C202 跑步鞋 竞速", title_en="ANTA C202 racing running shoes", subcategory="跑步鞋",
          brand="安踏", price=459, stock=30, rating=3.2, sales=400, tags=("跑步", "竞速"),
          description="竞速跑步鞋，碳板"),
        P("S4", "李宁 飞电 跑步鞋 碳板", title_en="Li-Ning Feidian running shoes", subcategory="跑步鞋",
          brand="李宁", price=899, stock=5, rating=4.9, sales=2100, tags=("跑步", "碳板"),
          description="马拉松跑步鞋"),
        P("S5", "耐克 Air Jordan 篮球鞋", title_en="Nike Air Jordan basketball shoes", subcategory="篮球鞋",
          brand="耐克", price=1299, stock=4, rating=4.6, sales=3000, tags=("篮球",),
          description="实战篮球鞋，包裹性好"),
        P("S6", "回力 经典帆布鞋 小白鞋", title_en="Warrior classic canvas shoes", subcategory="帆布鞋",
          brand="回力", price=129, stock=50, rating=4.4, sales=20000, tags=("百搭",),
          description="百搭小白鞋"),
        P("P1", "Apple iPhone 15 手机 128GB", title_en="Apple iPhone 15 128GB", category="phones",
          subcategory="智能手机", brand="Apple", price=5999, stock=20, rating=4.8, sales=50000,
          tags=("拍照",), description="A16 芯片，灵动岛"),
        P("P2", "华为 Mate 60 Pro 手机", title_en="HUAWEI Mate 60 Pro", category="phones",
          subcategory="智能手机", brand="华为", price=6999, stock=8, rating=4.9, sales=40000,
          tags=("卫星通话",), description="卫星通话，麒麟芯片"),
        P("P3", "小米 14 手机 徕卡影像", title_en="Xiaomi 14 Leica", category="phones", subcategory="智能手机",
          brand="小米", price=3999, stock=15, rating=4.7, sales=30000, tags=("拍照",),
          description="徕卡光学镜头 😀"),
        P("E1", "Apple AirPods Pro 2 降噪耳机", title_en="Apple AirPods Pro 2", category="earphones",
          subcategory="真无线耳机", brand="Apple", price=1899, stock=9, rating=4.8, sales=25000,
          tags=("降噪",), description="主动降噪，空间音频"),
        P("C1", "李宁 速干 运动T恤", title_en="Li-Ning quick-dry sports T-shirt", category="clothing",
          subcategory="T恤", brand="李宁", price=129, stock=100, rating=4.5, sales=8000, tags=("速干",),
          description="跑步训练穿的速干T恤"),
        P("K1", "九阳 电饭煲 4L", title_en="Joyoung rice cooker 4L", category="kitchen", subcategory="电饭煲",
          brand="九阳", price=299, stock=7, rating=4.6, sales=12000, tags=("家用",), description="智能预约"),
    ]


@pytest.fixture(scope="session")
def cat_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def cat_products() -> list[Product]:
    return tiny_products()


@pytest.fixture
def cat_products_path(tmp_path: Path, cat_products) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in cat_products),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def cat_index(cat_products, cat_encoder):
    from catalog.index import ProductIndex

    return ProductIndex.build(cat_products, cat_encoder, show_progress=False)


@pytest.fixture
def cat_engine(cat_products_path, cat_encoder, tmp_path):
    from catalog.engine import CatalogEngine

    return CatalogEngine.open(cat_products_path, tmp_path / "index", cat_encoder)
