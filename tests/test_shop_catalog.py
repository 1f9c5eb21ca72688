"""A shop's own catalog as the shop exports it (#16): its own column names mapped, its own category paths, no
brand column, prices written "¥1,299.00", sold-out goods and broken rows — imported, indexed, searched and
chatted with, with the hard filters never broken.

The export is made here, shaped like real ones (goods_id, goods_name, goods_intro, category_path,
selling_price, original_price, stock_num).
"""

from __future__ import annotations

import csv
import io
import random

import pytest
from conftest_catalog import FakeEncoder
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.engine import CatalogEngine
from catalog.filters import Filters
from catalog.importer import import_catalog
from catalog.taxonomy import Taxonomy, in_category

ROOT = "美妆 清洁 宠物"
LIPSTICK = f"{ROOT} > 美妆 > 口红"
MASK = f"{ROOT} > 美妆 > 面膜"
LAUNDRY = f"{ROOT} > 清洁 > 洗衣液"
LITTER = f"{ROOT} > 宠物 > 猫砂"
CAT_FOOD = f"{ROOT} > 宠物 > 猫粮"
HEADPHONES = "数码 > 耳机"
NUTS = "食品/坚果"  # another shop writes paths with slashes

MAPPING = ("goods_id=id,goods_name=title_zh,goods_intro=description,category_path=category,"
           "selling_price=price,stock_num=stock")

# (category path, brand written in the title or None, kinds of title, price range)
GOODS = [
    (LIPSTICK, ["完美日记", "花西子", "卡姿兰", None], ["丝绒哑光口红 {n}号色", "滋润唇膏 显白 {n}", "小金条口红 {n}"],
     (59, 399)),
    (MASK, ["薇诺娜", "一叶子", None], ["补水保湿面膜 {n}片装", "舒缓修护面膜 {n}片"], (39, 259)),
    (LAUNDRY, ["蓝月亮", "立白", None], ["深层洁净洗衣液 {n}kg", "护色洗衣液 {n}瓶装"], (19, 129)),
    (LITTER, ["洁客", "许翠花", None], ["豆腐猫砂 {n}kg 除臭", "膨润土猫砂 {n}袋"], (29, 159)),
    (CAT_FOOD, ["皇家", "麦富迪", None], ["成猫猫粮 {n}kg", "幼猫粮 全价 {n}kg"], (49, 499)),
    (HEADPHONES, ["漫步者", "QCY", None], ["真无线蓝牙耳机 T{n}", "降噪耳机 头戴式 {n}代"], (99, 1499)),
    (NUTS, ["三只松鼠", "良品铺子", None], ["每日坚果 {n}袋", "夏威夷果 奶油味 {n}g"], (25, 199)),
]


def _price(rng: random.Random, lo: int, hi: int) -> str:
    value = rng.randint(lo * 100, hi * 100) / 100
    style = rng.randrange(4)
    return (f"¥{value:,.2f}", f"{value:.1f}", f"{value:,.2f}元", f"￥{value:.0f}")[style]


def shop_export(rows_per_kind: int = 12, seed: int = 0) -> tuple[str, dict[str, dict]]:
    """CSV text of a shop export and the truth of each good row (id → category, brand, price, stock)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["goods_id", "goods_name", "goods_intro", "category_path", "selling_price", "original_price",
                     "stock_num", "shop_remark"])
    truth: dict[str, dict] = {}
    n = 0
    for path, brands, titles, (lo, hi) in GOODS:
        for i in range(rows_per_kind):
            n += 1
            brand = brands[i % len(brands)]
            title = titles[i % len(titles)].format(n=rng.randint(1, 20))
            name = f"{brand} {title}" if brand else f"新款 {title}"
            price = _price(rng, lo, hi)
            stock = 0 if i % 5 == 4 else rng.randint(1, 300)
            gid = f"G{n:04d}"
            writer.writerow([gid, name, f"{title}，官方正品", path, price, f"¥{hi:,.2f}", stock, ""])
            truth[gid] = {"category": path, "brand": brand or "", "stock": stock}
    # the broken rows a real export has
    writer.writerow(["G9001", "价格面议的商品", "", LIPSTICK, "面议", "", "5", ""])
    writer.writerow(["", "没有编号的商品", "", LIPSTICK, "¥99.00", "", "5", ""])
    writer.writerow(["G9002", "库存写错", "", MASK, "¥99.00", "", "很多", ""])
    writer.writerow(["G9003", "多了一列", "", MASK, "¥99.00", "", "5", "", "extra"])
    writer.writerow(["G0001", "重复编号", "", MASK, "¥99.00", "", "5", ""])
    return out.getvalue(), truth


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shop")
    text, truth = shop_export()
    path = folder / "goods_export.csv"
    path.write_text(text, encoding="utf-8")
    engine = CatalogEngine.open(path, folder / "index", FakeEncoder(), mapping=MAPPING)
    return path, truth, engine


def test_import_maps_columns_keeps_paths_and_reports_broken_rows(shop):
    path, truth, _ = shop
    result = import_catalog(path, mapping=MAPPING)
    assert [p.id for p in result.products] == list(truth)
    assert sorted(e.line for e in result.errors) == [len(truth) + 2 + i for i in range(5)]
    reasons = " | ".join(e.reason for e in result.errors)
    for part in ("price", "id", "stock", "cells", "duplicate id"):
        assert part in reasons
    by_id = {p.id: p for p in result.products}
    for gid, want in truth.items():
        p = by_id[gid]
        assert p.category == ("食品 > 坚果" if want["category"] == NUTS else want["category"])
        assert p.stock == want["stock"]
        assert p.price > 0
        assert p.brand == want["brand"], (p.title_zh, p.brand)  # inferred from the title, "" where unclear


def test_prices_written_as_shops_write_them():
    text = "goods_id,goods_name,category_path,selling_price,stock_num\nA,口红,美妆 > 口红,\"¥1,299.00\",3\n"
    import tempfile
    from pathlib import Path

    f = Path(tempfile.mkdtemp()) / "x.csv"
    f.write_text(text, encoding="utf-8")
    [p] = import_catalog(f, mapping="goods_id=id,goods_name=title_zh,category_path=category,selling_price=price,"
                                    "stock_num=stock").products
    assert p.price == 1299.0 and p.category == "美妆 > 口红"


def test_taxonomy_is_the_shops_own_tree(shop):
    _, truth, engine = shop
    tree = engine.parser.taxonomy
    assert set(tree.nodes) >= {ROOT, f"{ROOT} > 美妆", LIPSTICK, "食品", "食品 > 坚果", "数码 > 耳机"}
    assert tree.nodes[LIPSTICK].parent == f"{ROOT} > 美妆"
    assert tree.nodes[ROOT].count == sum(1 for t in truth.values() if t["category"].startswith(ROOT))
    assert [n.name for n in tree.children(f"{ROOT} > 美妆")] == ["口红", "面膜"]
    assert Taxonomy.from_dict(tree.to_dict()) == tree
    assert "口红 (" in tree.render()


@pytest.mark.parametrize("query", ["200以内的口红", "lipstick under 200 yuan", "口红 200元以内", "唇膏，不超过200"])
def test_lipsticks_under_200_with_the_budget_held(shop, query):
    _, truth, engine = shop
    parsed, result = engine.search(query, k=10, intent=0.5)
    assert parsed.filters.category == LIPSTICK
    assert parsed.filters.max_price == 200
    assert result.items, query
    for item in result.items:
        assert in_category(item.product.category, LIPSTICK) and item.product.price <= 200
    want = {p.id for p in engine.products if p.category == LIPSTICK and p.price <= 200}
    assert {i.product.id for i in result.items} == want  # fewer than k exist: every one is found


@pytest.mark.parametrize(("query", "key"), [
    ("美妆有什么推荐", f"{ROOT} > 美妆"), ("宠物用品", f"{ROOT} > 宠物"), ("猫砂", LITTER),
    ("cat litter", LITTER), ("有没有坚果", "食品 > 坚果"), ("蓝牙耳机", HEADPHONES), ("洗衣液", LAUNDRY),
])
def test_the_parser_knows_the_shops_categories_at_every_level(shop, query, key):
    _, _, engine = shop
    assert engine.parse(query).filters.category == key
    _, result = engine.search(query, k=6)
    assert result.items and all(in_category(i.product.category, key) for i in result.items)


def test_a_stated_brand_is_never_relaxed(shop):
    _, _, engine = shop
    parsed, result = engine.search("完美日记的口红", k=10)
    assert parsed.filters.brands == ("完美日记",)
    assert result.items and all(i.product.brand == "完美日记" for i in result.items)
    parsed, result = engine.search("200以内的卡姿兰口红", k=10)  # the tightest combination: no relaxing either
    assert parsed.filters.brands == ("卡姿兰",) and parsed.filters.max_price == 200
    assert all(i.product.brand == "卡姿兰" and i.product.price <= 200 for i in result.items)


def test_narrowing_to_a_child_category_keeps_the_brand():
    wide = Filters(category=f"{ROOT} > 美妆", brands=("花西子",))
    assert wide.merge(Filters(category=LIPSTICK)).brands == ("花西子",)
    assert wide.merge(Filters(category=LITTER)).brands == ()


_NAMES = ["口红", "面膜", "洗衣液", "猫砂", "猫粮", "耳机", "坚果", "美妆", "宠物", "清洁", "数码", "食品", "lipstick",
          "cat food", "earbuds"]
_BUDGETS = ["", "100以内", "50到150", "200元左右", "under 80 yuan", "300以上", "便宜点"]
_BRANDS = ["", "完美日记", "皇家", "漫步者", "不要花西子", "三只松鼠"]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(_NAMES), st.sampled_from(_BUDGETS), st.sampled_from(_BRANDS), st.booleans(),
       st.sampled_from(["baseline", "intent", "popularity"]))
def test_no_result_ever_breaks_a_filter(shop, name, budget, brand, stock, recommender):
    _, _, engine = shop
    query = " ".join(x for x in (brand, budget, name, "有货的" if stock else "") if x)
    parsed, result = engine.search(query, k=8, intent=0.7, recommender=recommender)
    for item in result.items:
        assert parsed.filters.allows(item.product), (query, parsed.filters, item.product)


def test_chat_round_trip_on_the_shop_catalog(shop, tmp_path):
    from conftest_chatbot import FakeIntentModel

    from chatbot.service.store import Store
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    _, _, engine = shop
    store = Store(tmp_path / "chat.db")
    try:
        services = Services(Settings(home=tmp_path), intent_model=FakeIntentModel(), engine=engine, store=store)
        out = services.chat.chat(None, "200以内的口红", user_agent="pytest", source="api")
        assert out["products"], out["reply"]
        for card in out["products"]:
            product = services.chat.catalog[card["id"]]
            assert product.category == LIPSTICK and product.price <= 200
        assert "口红" in out["reply"]
        sid = out["session_id"]
        out = services.chat.chat(sid, "有没有更便宜的", user_agent="pytest", source="api")
        cheapest = min(services.chat.catalog[c["id"]].price for c in out["products"]) if out["products"] else 0
        assert all(services.chat.catalog[c["id"]].category == LIPSTICK for c in out["products"])
        assert cheapest <= 200
    finally:
        store.close()


def test_the_example_shop_in_docs_is_served_as_the_readme_says(tmp_path):
    """docs/example_shop: the README's example export and mapping file, with its local images."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "docs" / "example_shop"
    result = import_catalog(folder / "goods_export.csv", mapping=folder / "goods_export.map")
    assert len(result.products) == 25 and [e.line for e in result.errors] == [27, 28] and not result.warnings
    assert sum(1 for p in result.products if p.image_url) == 3
    assert all(Path(p.image_url).is_file() for p in result.products if p.image_url)
    engine = CatalogEngine.open(folder / "goods_export.csv", tmp_path / "index", FakeEncoder(),
                                mapping=folder / "goods_export.map")
    assert (tmp_path / "index" / "taxonomy.json").is_file()
    for query in ("200以内的口红", "lipstick under 200 yuan"):
        parsed, found = engine.search(query, k=10)
        want = {p.id for p in engine.products if p.category.endswith("> 口红") and p.price <= 200}
        assert {i.product.id for i in found.items} == want, query
