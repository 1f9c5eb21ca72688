"""Query understanding: budgets, categories, brands, follow-ups (Chinese and English), and merging."""

from __future__ import annotations

import pytest
from conftest_catalog import make_product, tiny_products

from catalog.filters import Filters, QueryParser, detect_lang, parse_number, parse_query

INF = None


@pytest.fixture(scope="module")
def parser():
    return QueryParser(tiny_products())


# text, category, min_price, max_price, brands, exclude_brands
CASES = [
    ("500以内的跑步鞋", "shoes", None, 500, (), ()),
    ("500元以下的鞋", "shoes", None, 500, (), ()),
    ("不超过500", None, None, 500, (), ()),
    ("两千左右的手机", "phones", 1600, 2400, (), ()),
    ("1千到2千的耳机", "earphones", 1000, 2000, (), ()),
    ("300-800", None, 300, 800, (), ()),
    ("三百到八百块的跑鞋", "shoes", 300, 800, (), ()),
    ("预算2000", None, None, 2000, (), ()),
    ("预算2k买耳机", "earphones", None, 2000, (), ()),
    ("2k以内", None, None, 2000, (), ()),
    ("under $50 earbuds", "earphones", None, 360, (), ()),
    ("below 1000 yuan", None, None, 1000, (), ()),
    ("between 300 and 800", None, 300, 800, (), ()),
    ("around 2000", None, 1600, 2400, (), ()),
    ("1.5万以内的笔记本", "laptops", None, 15000, (), ()),
    ("一千五以内", None, None, 1500, (), ()),
    ("三百五以内的鞋", "shoes", None, 350, (), ()),
    ("两千以上的手机", "phones", 2000, None, (), ()),
    ("at least 300 yuan", None, 300, None, (), ()),
    ("预算在1000到2000之间", None, 1000, 2000, (), ()),
    ("500块的耳机", "earphones", 400, 600, (), ()),
    ("ｎｉｋｅ跑鞋 ５００以内", "shoes", None, 500, ("耐克",), ()),
    ("想买跑鞋", "shoes", None, None, (), ()),
    ("想买跑步鞋", "shoes", None, None, (), ()),
    ("running shoes", "shoes", None, None, (), ()),
    ("NIKE running shoes under 800", "shoes", None, 800, ("耐克",), ()),
    ("耐克的跑鞋", "shoes", None, None, ("耐克",), ()),
    ("nike", None, None, None, ("耐克",), ()),
    ("不要耐克的跑鞋", "shoes", None, None, (), ("耐克",)),
    ("not nike shoes", "shoes", None, None, (), ("耐克",)),
    ("iPhone 15", None, None, None, ("Apple",), ()),
    ("iphone15多少钱", None, None, None, ("Apple",), ()),
    ("苹果手机 5000以内", "phones", None, 5000, ("Apple",), ()),
    ("买点苹果吃", None, None, None, (), ()),
    ("4k电视", "tvs", None, None, (), ()),
    ("256GB的手机 3000以内", "phones", None, 3000, (), ()),
    ("airpods", None, None, None, ("Apple",), ()),
    ("运动手表", "smartwatches", None, None, (), ()),
    ("电脑椅", "furniture", None, None, (), ()),
    ("坚果", "snacks", None, None, (), ()),
    ("李宁 T恤 200以内", "clothing", None, 200, ("李宁",), ()),
    ("$100 earbuds", "earphones", 576, 864, (), ()),
]


@pytest.mark.parametrize("text,category,lo,hi,brands,excluded", CASES, ids=[c[0] for c in CASES])
def test_parse_table(parser, text, category, lo, hi, brands, excluded):
    f = parser.parse(text).filters
    assert f.category == category
    assert f.min_price == (None if lo is None else pytest.approx(lo))
    assert f.max_price == (None if hi is None else pytest.approx(hi))
    assert f.brands == brands
    assert f.exclude_brands == excluded


@pytest.mark.parametrize("text,value", [("两千", 2000), ("三百五", 350), ("1.5万", 15000), ("一千五", 1500),
                                        ("一千零五", 1005), ("三千五百", 3500), ("一万二", 12000), ("2k", 2000),
                                        ("十五", 15), ("八百", 800), ("两万五", 25000), ("3千5", 3500), ("一点五万", 15000)])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "一二三", "万"])
def test_parse_number_rejects(text):
    assert parse_number(text) in (None, 10000.0) if text == "万" else parse_number(text) is None


def test_stated_flags_and_lang(parser):
    q = parser.parse("500以内的跑步鞋，有货的")
    assert q.stated == {"price", "category", "in_stock"} and q.lang == "zh" and q.category_term == "跑步鞋"
    assert parser.parse("cheap shoes").lang == "en" and detect_lang("iPhone 多少钱") == "zh"
    assert parser.parse("评分4.5以上的耳机").filters.min_rating == 4.5
    assert parser.parse("highly rated earbuds").filters.min_rating == 4.5


def test_filters_persist_and_new_category_clears_brand(parser):
    q1 = parser.parse("耐克的跑鞋 800以内")
    assert q1.filters.brands == ("耐克",) and q1.filters.max_price == 800
    q2 = parser.parse("有货的吗", previous=q1.filters)
    assert q2.filters.brands == ("耐克",) and q2.filters.in_stock_only and q2.stated == {"in_stock"}
    q3 = parser.parse("看看手机", previous=q2.filters)
    assert q3.filters.category == "phones" and q3.filters.brands == ()
    q4 = parser.parse("苹果手机", previous=q2.filters)
    assert q4.filters.brands == ("Apple",)


@pytest.mark.parametrize("text", ["便宜点", "便宜一点的", "有没有更便宜的", "cheaper", "cheaper than that", "太贵了"])
def test_cheaper_goes_below_the_cheapest_shown(parser, text):
    shown = [make_product("a", price=399), make_product("b", price=459.5)]
    q = parser.parse(text, previous=Filters(category="shoes", max_price=500), shown=shown)
    assert q.cheaper and q.filters.max_price == pytest.approx(398.99) and q.filters.category == "shoes"


def test_cheaper_without_shown_lowers_previous_max(parser):
    q = parser.parse("便宜点", previous=Filters(max_price=1000))
    assert q.filters.max_price == pytest.approx(800)
    assert parser.parse("cheaper than 300").filters.max_price == 300 and not parser.parse("cheaper than 300").cheaper


@pytest.mark.parametrize("text", ["换个牌子", "其他品牌的", "有别的品牌吗", "another brand", "other brands please"])
def test_other_brand_excludes_shown_brands(parser, text):
    shown = [make_product("a", brand="耐克"), make_product("b", brand="李宁")]
    q = parser.parse(text, previous=Filters(category="shoes", brands=("耐克",)), shown=shown)
    assert q.other_brand and set(q.filters.exclude_brands) == {"耐克", "李宁"} and q.filters.brands == ()


def test_filters_merge_describe_and_allows():
    f = Filters(max_price=500, category="shoes", brands=("耐克",), in_stock_only=True)
    g = f.merge(Filters(min_price=100, max_price=300))
    assert (g.min_price, g.max_price, g.brands) == (100, 300, ("耐克",))
    h = g.merge(Filters(brands=("李宁",), exclude_brands=("耐克",)))
    assert h.brands == ("李宁",) and h.exclude_brands == ("耐克",)
    assert "鞋靴" in f.describe("zh") and "¥500以内" in f.describe("zh") and "in stock only" in f.describe("en")
    assert Filters().describe("zh") == "无筛选条件"
    ok = make_product("x", brand="耐克", price=400, stock=1)
    assert f.allows(ok) and f.violations(make_product("y", brand="耐克", price=600, stock=0)) == [
        "max_price", "in_stock_only"]


def test_parse_query_without_catalog_uses_alias_table():
    q = parse_query("耐克跑鞋 500以内")
    assert q.filters.brands == ("nike",) and q.filters.max_price == 500
