"""The catalog's own category tree (catalog.taxonomy), the words that name its nodes (catalog.category_terms) and
brand inference for catalogs without a brand column (catalog.brands)."""

from __future__ import annotations

import json

import pytest
from conftest_catalog import make_product

from catalog.brands import fill_brands, leading_token
from catalog.categories import CATEGORIES
from catalog.category_terms import MINE_MIN_PRODUCTS, category_terms
from catalog.products import load_products
from catalog.taxonomy import (
    TAXONOMY_FILE,
    Taxonomy,
    ancestors,
    category_key,
    category_label,
    in_category,
    save_taxonomy,
)
from intent.text import normalize


@pytest.mark.parametrize(("raw", "key"), [
    ("美妆 清洁 宠物 > 美妆 > 口红", "美妆 清洁 宠物 > 美妆 > 口红"),
    ("美妆>口红", "美妆 > 口红"), ("美妆 ＞ 口红", "美妆 > 口红"), ("美妆 › 口红", "美妆 > 口红"),
    ("Beauty/Lipstick", "Beauty > Lipstick"), ("Beauty / Lipstick /", "Beauty > Lipstick"),
    ("女装/女士精品 > T恤", "女装/女士精品 > T恤"),  # with arrows, a slash is part of a name
    ("  口红  ", "口红"), ("美妆 >> 口红", "美妆 > 口红"), ("", ""),
])
def test_category_key(raw, key):
    assert category_key(raw) == key


def test_in_category_is_the_node_or_below_never_a_prefix_of_a_name():
    assert in_category("美妆 > 口红", "美妆") and in_category("美妆 > 口红", "美妆 > 口红")
    assert not in_category("美妆 > 口红", "美") and not in_category("美妆用品 > 口红", "美妆")
    assert not in_category("美妆", "美妆 > 口红") and not in_category("shoes", "")
    assert ancestors("a > b > c") == ["a", "a > b", "a > b > c"]


def test_labels():
    assert category_label("shoes", "zh") == "鞋靴" and category_label("shoes", "en") == "Shoes"
    assert category_label("美妆 > 口红", "zh") == "口红" and category_label(None) == ""
    assert category_label("美妆 > 口红", "en") == "lipstick"  # the glossary's English word
    assert category_label("美妆 > 某种自创品类", "en") == "某种自创品类"  # no equivalent: the shop's own name


def test_tree_counts_children_and_round_trip(tmp_path):
    tree = Taxonomy.of(["美妆 > 口红", "美妆 > 口红", "美妆 > 面膜", "宠物 > 猫砂", "shoes"])
    assert tree.nodes["美妆"].count == 3 and tree.nodes["美妆 > 口红"].count == 2
    assert [n.name for n in tree.children("美妆")] == ["口红", "面膜"]
    assert [n.key for n in tree.children(None)] == ["美妆", "shoes", "宠物"]
    assert tree.nodes["shoes"].name == "鞋靴" and tree.nodes["shoes"].name_en == "Shoes"
    assert tree.is_leaf("美妆 > 口红") and not tree.is_leaf("美妆")
    path = save_taxonomy(tree, tmp_path)
    assert path == tmp_path / TAXONOMY_FILE
    assert Taxonomy.from_dict(json.loads(path.read_text(encoding="utf-8"))) == tree
    assert "  口红 (2)" in tree.render()


def _shop():
    P = make_product
    return [
        P("1", "丝绒哑光口红 01", category="美妆 > 彩妆 > 口红", brand=""),
        P("2", "滋润口红 02", category="美妆 > 彩妆 > 口红", brand=""),
        P("3", "保湿面霜", category="美妆 > 护肤 > 面霜", brand=""),
        P("4", "豆腐猫砂 除臭", category="宠物 > 猫砂", brand=""),
        P("5", "膨润土猫砂 结团", category="宠物 > 猫砂", brand=""),
        P("6", "全价冻干猫粮", category="宠物 > 猫粮", brand=""),
        P("7", "冻干猫粮 鸡肉", category="宠物 > 猫粮", brand=""),
        P("8", "冻干猫粮 三文鱼", category="宠物 > 猫粮", brand=""),
        P("9", "跑步鞋", category="shoes", subcategory="跑步鞋"),
    ]


def test_terms_by_priority():
    terms = dict(category_terms(_shop()))
    # 1. own names at every level
    assert terms["口红"] == "美妆 > 彩妆 > 口红" and terms["彩妆"] == "美妆 > 彩妆" and terms["美妆"] == "美妆"
    # 2. bilingual equivalents of a node's name; a built-in category's own synonyms
    assert terms["lipstick"] == "美妆 > 彩妆 > 口红" and terms["cat litter"] == "宠物 > 猫砂"
    assert terms["running shoes"] == "shoes"
    # 3. built-in synonyms reach an inner node whose name matches a built-in category, never a leaf
    assert terms["精华"] in ("美妆", "美妆 > 护肤")
    assert terms["面膜"] != "美妆 > 彩妆 > 口红"
    # 4. a word that characterises one node's titles (冻干 in every cat food title, nowhere else)
    assert terms["冻干"] == "宠物 > 猫粮"
    # 5. built-in categories the shop does not sell stay known, so they can be a clear no-match
    assert terms["手机"] == "phones"
    # longest first
    lengths = [len(t) for t, _ in category_terms(_shop())]
    assert lengths == sorted(lengths, reverse=True)


def test_a_small_node_mines_nothing():
    products = [make_product(str(i), "独特词 商品", category="小类 > 叶子", brand="") for i in range(MINE_MIN_PRODUCTS - 1)]
    assert "独特词" not in dict(category_terms(products))


def test_the_embedded_catalog_keeps_the_built_in_terms():
    terms = dict(category_terms(load_products()))
    for cat in CATEGORIES:
        for t in (cat.zh, cat.en, *cat.synonyms_zh, *cat.synonyms_en):
            assert terms[normalize(t)] == cat.slug, t


def _titles(*titles, brand=""):
    return [make_product(str(i), t, brand=brand, category="") for i, t in enumerate(titles)]


def test_brands_from_known_list_leading_tokens_and_inside():
    rows = _titles("李宁 跑步鞋 超轻", "正品李宁羽毛球鞋", "卡姿兰 口红", "卡姿兰 眼影", "卡姿兰 粉底液", "新款 口红 显白",
                   "夏季透气 耐克 运动鞋", "Apple iPhone 15 128GB", "未知牌 面霜")
    got = [p.brand for p in fill_brands(rows)[0]]
    assert got[:3] == ["李宁", "李宁", "卡姿兰"]
    assert got[5] == ""        # a generic first word is no brand
    assert got[6] == "耐克"    # one known brand inside, as a whole word
    assert got[7].lower() == "apple"
    assert got[8] == ""        # seen once, unknown: not clear
    assert fill_brands(rows)[1] == 7


def test_brands_are_not_guessed_where_unclear():
    rows = _titles("适用华为手表的不锈钢表带", "oppo耳机r11专用耳套", "上海联宜家具 樟木箱", "王者荣耀代练",
                   "收纳 耐克和阿迪达斯 鞋盒")
    assert [p.brand for p in fill_brands(rows)[0]] == ["", "", "", "", ""]


def test_stated_brands_are_kept_and_their_spelling_wins():
    rows = [make_product("1", "Nike 跑鞋", brand=""), make_product("2", "耐克 篮球鞋", brand="耐克")]
    filled, n = fill_brands(rows)
    assert [p.brand for p in filled] == ["耐克", "耐克"] and n == 1


def test_leading_token():
    assert leading_token("【包邮】【正品】 回力 帆布鞋") == "回力"
    assert leading_token("MAC魅可口红") == "MAC" and leading_token("") == ""
