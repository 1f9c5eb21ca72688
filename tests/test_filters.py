"""Query understanding: budgets, categories, brands, follow-ups (Chinese and English), and merging."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest_catalog import make_product, tiny_products

from catalog.filters import Filters, QueryParser, _find, _TermMatcher, parse_number, parse_query
from catalog.products import load_products
from intent.text import detect_lang, normalize

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


# Hard upper limits shoppers write (and look-alikes that are not one): text, min_price, max_price
BUDGET_LIMIT_CASES = [
    ("我只有500块的预算，想看看跑鞋", None, 500), ("预算卡在500元", None, 500), ("预算就500", None, 500),
    ("最多只能花500", None, 500), ("只能花500块买耳机", None, 500), ("最多能花两千", None, 2000),
    ("我只有500块", None, 500), ("不到500块的耳机", None, 500), ("预算不到500", None, 500),
    ("不能超过500", None, 500), ("不想超过800块的手机", None, 800), ("500块钱能买到什么样的跑鞋", None, 500),
    ("500元能拿下哪款", None, 500), ("500元预算买耳机", None, 500), ("2000的预算", None, 2000),
    ("预算上限3000", None, 3000), ("500顶天", None, 500), ("预算降到500块的话还有什么可选", None, 500),
    ("budget is tight, 500 max", None, 500), ("I can only spend 500 yuan", None, 500),
    ("don't want to spend more than 500", None, 500), ("I won't pay over 800 yuan", None, 800),
    ("I'm not going above 600", None, 600), ("500 yuan at most", None, 500), ("500 tops", None, 500),
    ("my budget is capped at 500", None, 500), ("a cap of 500 yuan", None, 500), ("500 or below", None, 500),
    ("what shoes can I get for 500 CNY?", None, 500), ("which phones fit a 3000 RMB budget?", None, 3000),
    ("I only have 500 yuan", None, 500),
    # lower bounds and approximate amounts stay what they are; a number that is not money is no budget
    ("不低于500", 500, None), ("不少于500块", 500, None), ("超过500的手机", 500, None),
    ("I don't want to go over budget", None, None), ("预算500元左右", 400, 600), ("手头大概500", 400, 600),
    ("budget around 500 yuan", 400, 600), ("500 CNY headphones", 400, 600), ("只有500ml吗", None, None),
    ("iphone 15能买吗", None, None), ("I only have 2 kids", None, None), ("what can I get for 2 people", None, None),
]


@pytest.mark.parametrize("text,lo,hi", BUDGET_LIMIT_CASES, ids=[c[0] for c in BUDGET_LIMIT_CASES])
def test_budget_limits(parser, text, lo, hi):
    f = parser.parse(text).filters
    assert (f.min_price, f.max_price) == (lo, hi)


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
    assert q.stated == {"price", "category", "subtype", "in_stock"} and q.lang == "zh" and q.category_term == "跑步鞋"
    assert q.filters.subtypes == ("跑步鞋",)
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


# ---------------------------------------------------------------------------------------------------------
# The parser over the embedded catalog (what the app uses): known answers, the term matcher against the
# one-term-at-a-time reference (speed lives in benchmarks/parse_bench.py).
# ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def catalog_parser():
    return QueryParser(products=load_products())


# text, category, min_price, max_price, brands, exclude_brands, category_term, product_lines, stated
CATALOG_CASES = [
    ("500以内的跑步鞋", "shoes", None, 500.0, (), (), "跑步鞋", (), ["category", "price"]),
    ("想买个华为手机预算三千", "phones", None, 3000.0, ("华为",), (), "手机", (), ["brand", "category", "price"]),
    ("你好", None, None, None, (), (), None, (), []),
    ("便宜点的", None, None, None, (), (), None, (), []),
    ("换个牌子", None, None, None, (), (), None, (), []),
    ("noise cancelling earbuds under $150", "earphones", None, 1080.0, (), (), "earbuds", (), ["category", "price"]),
    ("第二个怎么样", None, None, None, (), (), None, (), []),
    ("两千左右的手机", "phones", 1600.0, 2400.0, (), (), "手机", (), ["category", "price"]),
    ("1千到2千的耳机", "earphones", 1000.0, 2000.0, (), (), "耳机", (), ["category", "price"]),
    ("三百到八百块的跑鞋", "shoes", 300.0, 800.0, (), (), "跑鞋", (), ["category", "price"]),
    ("预算2k买耳机", "earphones", None, 2000.0, (), (), "耳机", (), ["category", "price"]),
    ("1.5万以内的笔记本", "laptops", None, 15000.0, (), (), "笔记本", (), ["category", "price"]),
    ("不要耐克的跑鞋", "shoes", None, None, (), ("Nike",), "跑鞋", (), ["category", "exclude_brands"]),
    ("苹果手机 5000以内", "phones", None, 5000.0, ("Apple",), (), "手机", (), ["brand", "category", "price"]),
    ("买点苹果吃", None, None, None, (), (), None, (), []),
    ("4k电视", "tvs", None, None, (), (), "电视", (), ["category"]),
    ("256GB的手机 3000以内", "phones", None, 3000.0, (), (), "手机", (), ["category", "price"]),
    ("airpods多少钱", None, None, None, ("Apple",), (), None, ("airpods",), ["brand"]),
    ("iPhone 15 多少钱", None, None, None, ("Apple",), (), None, ("iphone",), ["brand"]),
    ("Nike Pegasus 有吗", None, None, None, ("Nike",), (), None, ("pegasus",), ["brand"]),
    ("小米的扫地机器人", "home_appliances", None, None, ("小米",), (), "扫地机器人", (), ["brand", "category"]),
    ("有没有李宁的", None, None, None, ("李宁",), (), None, (), ["brand"]),
    ("评分4.5以上的吹风机", None, None, None, (), (), None, (), ["rating"]),
    ("有货的电饭煲", "kitchen", None, None, (), (), "电饭煲", (), ["category", "in_stock"]),
    ("戴森吹风机太贵了", None, None, None, ("戴森",), (), None, (), ["brand"]),
    ("其他品牌的有吗", None, None, None, (), (), None, (), []),
    ("华为mate60", None, None, None, ("华为",), (), None, ("mate",), ["brand"]),
    ("索尼降噪耳机 两千左右", "earphones", 1600.0, 2400.0, ("索尼",), (), "降噪耳机", (),
     ["brand", "category", "price"]),
    ("安踏跑鞋 300以内", "shoes", None, 300.0, ("安踏",), (), "跑鞋", (), ["brand", "category", "price"]),
    ("儿童玩具 乐高", None, None, None, (), (), None, (), []),
    ("猫粮 好评", "pet_supplies", None, None, (), (), "猫粮", (), ["category", "rating"]),
    ("空气净化器 不超过2000", "home_appliances", None, 2000.0, (), (), "空气净化器", (), ["category", "price"]),
    ("坚果", "snacks", None, None, (), (), "坚果", (), ["category"]),
    ("除了小米还有什么扫地机器人", "home_appliances", None, None, (), ("小米",), "扫地机器人", (),
     ["category", "exclude_brands"]),
    ("一千五以内的运动手表", "smartwatches", None, 1500.0, (), (), "运动手表", (), ["category", "price"]),
    ("hello", None, None, None, (), (), None, (), []),
    ("I want running shoes under 500", "shoes", None, 500.0, (), (), "running shoes", (), ["category", "price"]),
    ("show me Xiaomi phones", "phones", None, None, ("小米",), (), "phones", (), ["brand", "category"]),
    ("cheaper ones please", None, None, None, (), (), None, (), []),
    ("between 300 and 800 yuan", None, 300.0, 800.0, (), (), None, (), ["price"]),
    ("around $200 headphones", "earphones", 1152.0, 1728.0, (), (), "headphones", (), ["category", "price"]),
    ("not nike, something else", None, None, None, (), ("Nike",), None, (), ["exclude_brands"]),
    ("another brand please", None, None, None, (), (), None, (), []),
    ("highly rated laptops under 6000", "laptops", None, 6000.0, (), (), "laptops", (),
     ["category", "price", "rating"]),
    ("Sony WH-1000XM5", None, None, None, ("索尼",), (), None, ("wh-1000xm5",), ["brand"]),
    ("samsung galaxy phone", "phones", None, None, ("三星",), (), "phone", (), ["brand", "category"]),
    ("robot vacuum at least 1500", "home_appliances", 1500.0, None, (), (), "robot vacuum", (), ["category", "price"]),
    ("4k tv 55 inch", "tvs", None, None, (), (), "4k tv", (), ["category"]),
    ("new balance 跑鞋", "shoes", None, None, ("New Balance",), (), "跑鞋", (), ["brand", "category"]),
    ("the north face jacket in stock", "clothing", None, None, ("北面",), (), "jacket", (),
     ["brand", "category", "in_stock"]),
    ("li ning t-shirt under 200", "clothing", None, 200.0, ("李宁",), (), "t-shirt", (), ["brand", "category", "price"]),
    ("rated 4 stars or more earbuds", "earphones", None, None, (), (), "earbuds", (), ["category", "rating"]),
    ("thanks, bye", None, None, None, (), (), None, (), []),
    # a brand that is a number is not inside a longer one; a bare amount leaves its words to the category; the
    # everyday first word of an English brand name ("want want") is not the brand alone
    ("3600块的心率手表", "smartwatches", 2880.0, 4320.0, (), (), "心率手表", (), ["category", "price"]),
    ("360儿童手表", "smartwatches", None, None, ("360",), (), "儿童手表", (), ["brand", "category"]),
    ("家里需要一个千元机", "phones", 800.0, 1200.0, (), (), "千元机", (), ["category", "price"]),
    ("I want 农夫山泉, coffee, no more than 60 yuan", "snacks", None, 60.0, ("农夫山泉",), (), "coffee", (),
     ["brand", "category", "price"]),
    ("want want snacks", "snacks", None, None, ("旺旺",), (), "snacks", (), ["brand", "category"]),
]


@pytest.mark.parametrize("text,category,lo,hi,brands,excluded,cat_term,lines,stated", CATALOG_CASES,
                         ids=[c[0] for c in CATALOG_CASES])
def test_parse_table_embedded_catalog(catalog_parser, text, category, lo, hi, brands, excluded, cat_term, lines,
                                      stated):
    q = catalog_parser.parse(text)
    f = q.filters
    assert (f.category, f.min_price, f.max_price, f.brands, f.exclude_brands) == (category, lo, hi, brands, excluded)
    assert (q.category_term, q.product_lines, sorted(q.stated - {"subtype"})) == (cat_term, lines, stated)
    assert q.turn == f and q.lang == detect_lang(text)


# text, products shown?, category, min_price, max_price, brands, exclude_brands, cheaper, other_brand
FOLLOW_UP_CASES = [
    ("便宜点的", False, "phones", None, 4000.0, ("华为",), (), True, False),
    ("便宜点的", True, "phones", None, 2998.99, ("华为",), (), True, False),
    ("换个牌子", False, "phones", None, 5000.0, (), ("华为",), False, True),
    ("换个牌子", True, "phones", None, 5000.0, (), ("华为", "小米"), False, True),
    ("cheaper ones please", False, "phones", None, 4000.0, ("华为",), (), True, False),
    ("cheaper ones please", True, "phones", None, 2998.99, ("华为",), (), True, False),
    ("another brand please", False, "phones", None, 5000.0, (), ("华为",), False, True),
    ("another brand please", True, "phones", None, 5000.0, (), ("华为", "小米"), False, True),
    ("有没有更便宜的苹果手机", False, "phones", None, 4000.0, ("Apple",), (), True, False),
    ("有没有更便宜的苹果手机", True, "phones", None, 2998.99, ("Apple",), (), True, False),
    ("其他品牌 3000以内", False, "phones", None, 3000.0, (), ("华为",), False, True),
    ("其他品牌 3000以内", True, "phones", None, 3000.0, (), ("华为", "小米"), False, True),
    ("太贵了", True, "phones", None, 2998.99, ("华为",), (), True, False),
    ("第一个有货吗", True, "phones", None, 5000.0, ("华为",), (), False, False),
]


@pytest.mark.parametrize("text,with_shown,category,lo,hi,brands,excluded,cheaper,other_brand", FOLLOW_UP_CASES)
def test_follow_ups_embedded_catalog(catalog_parser, text, with_shown, category, lo, hi, brands, excluded, cheaper,
                                     other_brand):
    previous = Filters(max_price=5000.0, category="phones", brands=("华为",))
    shown = (SimpleNamespace(price=2999.0, brand="华为"), SimpleNamespace(price=3999.0, brand="小米"))
    q = catalog_parser.parse(text, previous=previous, shown=shown if with_shown else ())
    f = q.filters
    assert (f.category, f.min_price, f.max_price, f.brands, f.exclude_brands) == (category, lo, hi, brands, excluded)
    assert (q.cheaper, q.other_brand) == (cheaper, other_brand)


@pytest.mark.parametrize("which", ["embedded", "tiny", "none"])
def test_term_matcher_equals_find_term_by_term(catalog_parser, which):
    parser = {"embedded": catalog_parser, "tiny": QueryParser(tiny_products()), "none": QueryParser()}[which]
    products = load_products()
    texts = [c[0] for c in CATALOG_CASES] + [c[0] for c in CASES] + [
        "a a a", "nbnb nb", "nb-nb nb", "li ning li ning", "the north face the north", "360 360k 361°",
        "iphone15 iphone 15 iphone-15", "跑步鞋跑步鞋鞋", "不要nike和adidas的", "3600元 360 360k 3601 a23 a2奶粉", ""]
    texts += [t for p in products[::60] for t in (p.title_zh, p.title_en, f"{p.brand} {p.subcategory}")]
    for terms in (list(parser.brand_terms) + list(parser.line_terms), [t for t, _ in parser.category_terms]):
        matcher = _TermMatcher(terms)
        for text in texts:
            t = normalize(text)
            expected = sorted((s, e, term) for term in terms for s, e in _find(term, t))
            assert sorted(matcher.find(t)) == expected, text


def test_term_matcher_without_terms_and_parser_language_default():
    assert _TermMatcher([]).find("nike 跑鞋") == [] and _TermMatcher([""]).find("") == []
    assert _TermMatcher(["nb"]).find("nbnb nb") == [(5, 7, "nb")]  # a latin term only as a whole word
    assert parse_query("500").lang == "en" and parse_query("\u3400 500").lang == "zh"  # no Han: English


@pytest.mark.parametrize(("text", "subtypes"), [
    ("想买跑鞋", ("跑步鞋",)), ("I want running shoes under 500", ("跑步鞋",)), ("basketball shoes", ("篮球鞋",)),
    ("gaming laptop", ("游戏本",)), ("游戏本", ("游戏本",)),
    ("鞋", ()), ("shoes", ()), ("snacks", ()), ("耳机", ()), ("手机", ()), ("laptop", ()),
])
def test_subtype_is_the_kind_of_product_named(catalog_parser, text, subtypes):
    """A word narrower than its category names catalog subcategories; a category-wide word names none."""
    assert catalog_parser.parse(text).filters.subtypes == subtypes


def test_subtype_is_kept_by_follow_ups_and_dropped_by_a_new_category(catalog_parser):
    first = catalog_parser.parse("想买跑鞋，500以内")
    cheaper = catalog_parser.parse("还有便宜点的吗", first.filters, [])
    assert cheaper.filters.subtypes == ("跑步鞋",) and cheaper.filters.category == "shoes"
    other = catalog_parser.parse("看看耳机", cheaper.filters, [])
    assert other.filters.category == "earphones" and other.filters.subtypes == ()


@pytest.fixture(scope="module")
def full_parser():
    """A parser over the embedded catalog (its brands, categories and their everyday-word brands)."""
    return QueryParser(load_products(None))


@pytest.mark.parametrize("text,brands", [
    ("小米14和iPhone 15哪个好", ("小米", "Apple")), ("苹果15多少钱", ("Apple",)), ("华为Mate60和小米14对比", ("华为", "小米")),
    ("苹果5斤", ()), ("小米2斤装", ()), ("only 2 left?", ()), ("keep 2 in the cart", ()),
    ("甜美的3款口红推荐", ()), ("完美的2合1平板", ()), ("我想吃苹果", ()),
])
def test_an_everyday_word_brand_needs_a_model_number_not_a_count(full_parser, text, brands):
    assert full_parser.parse(text).filters.brands == brands


@pytest.mark.parametrize("text,cheap", [
    ("便宜的跑鞋", True), ("cheap earbuds", True), ("有没有实惠点的耳机", True), ("a budget laptop", True),
    ("不便宜的跑鞋", False), ("质量好不要便宜货", False), ("I don't want cheap earbuds", False),
    ("no budget limit, best headphones", False), ("budget for a laptop", False), ("500以内的便宜跑鞋", False),
])
def test_a_cheap_request_is_told_from_a_negated_one_and_a_budget(text, cheap):
    assert parse_query(text).cheap is cheap


def test_cheaper_of_another_kind_is_not_capped_by_the_products_shown(catalog_parser):
    """"便宜点的电视" after running shoes: the cap does not come from the shoes' prices."""
    previous = Filters(max_price=5000.0, category="shoes")
    shown = (SimpleNamespace(price=199.0, brand="特步", category="shoes"),)
    q = catalog_parser.parse("便宜点的电视", previous=previous, shown=shown)
    assert q.filters.category == "tvs" and q.filters.max_price == round(5000.0 * catalog_parser.params.cheaper_factor, 2)
    same = catalog_parser.parse("便宜点的跑鞋", previous=previous, shown=shown)
    assert same.filters.max_price == 198.99


@pytest.mark.parametrize("text,category", [
    ("laptop bags", None), ("电脑包", None), ("手机壳", None), ("phone case", None), ("watch straps", None),
    ("手机包邮吗", "phones"), ("手机套装", "phones"), ("a laptop", "laptops"), ("跑鞋", "shoes"),
])
def test_an_accessory_for_a_product_is_not_the_product(full_parser, text, category):
    """"电脑包" / "phone case": the embedded catalog sells no accessories, and the message is not a request
    for laptops or phones ("包邮" is free shipping, "套装" a bundle)."""
    assert full_parser.parse(text).filters.category == category
