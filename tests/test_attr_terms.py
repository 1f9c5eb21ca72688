"""English words for Chinese catalog attributes, and English replies that never paste Chinese specs."""

from __future__ import annotations

import pytest

from catalog.attr_terms import NAMES, english_attribute
from catalog.products import Product
from chatbot.conversation.actions import comparison_of
from chatbot.conversation.replies import detail_text
from chatbot.conversation.templates import english_brand, say
from intent.text import HAN


def _product(pid="E9", brand="漫步者", attributes=None, stock=5, description="丹拿联合调音，低音饱满。"):
    return Product(id=pid, title_zh="漫步者 X2s 降噪耳机 黑色", title_en="Edifier X2s ANC Earbuds Black",
                   category="earphones", subcategory="真无线耳机", brand=brand, price=109.0, stock=stock,
                   rating=4.7, sales=10, attributes=attributes if attributes is not None else
                   {"续航": "26小时", "降噪": "通话降噪", "颜色": "曜石黑", "屏幕": "6.1英寸"},
                   description=description)


@pytest.mark.parametrize("name,value,expected", [
    ("续航", "40小时", ("battery life", "40 h")), ("屏幕", "6.78英寸", ("screen", "6.78-inch")),
    ("尺码", "43码", ("size", "EU 43")), ("像素", "2420万", ("resolution", "24.2 MP")),
    ("人数", "3-4人", ("people", "3–4 people")), ("颜色", "黑白", ("colour", "black/white")),
    ("存储", "256GB", ("storage", "256GB")), ("Color", "Red", ("Color", "Red")),
    ("颜色", "曜石黑", None), ("规格", "800g×6罐", None), ("未知属性", "黑色", None),
])
def test_english_attribute(name, value, expected):
    assert english_attribute(name, value) == expected


def test_every_attribute_name_of_the_embedded_catalog_has_english():
    from catalog.products import load_products

    names = {k for p in load_products(None) for k in p.attributes}
    assert names and not sorted(n for n in names if HAN.search(n) and n not in NAMES)


def test_an_english_detail_has_no_chinese_outside_the_product_names():
    text = detail_text(_product(), "en")
    assert "battery life: 26 h" in text and "screen: 6.1-inch" in text and "call noise reduction" in text
    assert not HAN.search(text), text  # no 曜石黑, no Chinese description, no "(漫步者)"
    zh = detail_text(_product(), "zh")
    assert "续航：26小时" in zh and "曜石黑" in zh and "丹拿" in zh and "（漫步者）" in zh


def test_a_sold_out_product_is_never_offered_for_the_cart():
    for lang in ("zh", "en"):
        text = detail_text(_product(stock=0), lang)
        assert say("detail_outro_sold_out", lang) in text and say("detail_outro", lang) not in text


def test_an_english_comparison_table_speaks_english():
    a = _product("A", attributes={"续航": "26小时", "颜色": "曜石黑"})
    b = _product("B", attributes={"续航": "36小时", "颜色": "雪域白"})
    rows = {r["label"]: r["values"] for r in comparison_of([a, b], "en")["rows"]}
    assert rows["battery life"] == ["26 h", "36 h"] and "颜色" not in rows and "colour" not in rows
    assert rows[say("label_brand", "en")] == ["漫步者", "漫步者"]  # no English spelling known: its own name
    assert not any(HAN.search(v) for label, values in rows.items() for v in values
                   if label != say("label_brand", "en")), rows
    huawei = Product(id="H", title_zh="华为 Mate 60", title_en="HUAWEI Mate 60", category="phones",
                     subcategory="旗舰手机", brand="华为", price=1.0, stock=1, rating=4.0, sales=1)
    assert english_brand(huawei) == "HUAWEI" and english_brand(a) == "漫步者"


@pytest.mark.parametrize("what,plural", [("lipstick", "lipsticks"), ("running shoes", "running shoes"),
                                         ("watch", "watches"), ("accessory", "accessories"),
                                         ("skincare & makeup", "skincare & makeup"), ("toy", "toys"),
                                         ("dress", "dresses"), ("knife", "knives"), ("kitchen stuff", "kitchen stuff products")])
def test_english_lists_name_the_kind_in_the_plural(what, plural):
    from chatbot.conversation.replies import _plural

    assert _plural(what) == plural


def test_colour_and_storage_variants_of_one_model_do_not_fill_a_list():
    from types import SimpleNamespace

    from chatbot.conversation.actions import distinct_models, model_key

    def phone(pid, title, storage, colour, brand="小米"):
        return Product(id=pid, title_zh=title, title_en="", category="phones", subcategory="旗舰手机", brand=brand,
                       price=1.0, stock=1, rating=4.0, sales=1, attributes={"存储": storage, "颜色": colour})

    a = phone("A", "小米14 5G旗舰手机 8GB+256GB 晨曦紫", "8GB+256GB", "晨曦紫")
    b = phone("B", "小米14 5G旗舰手机 16GB+1TB 雪域白", "16GB+1TB", "雪域白")
    c = phone("C", "小米14 Ultra 5G旗舰手机 16GB+512GB 黑色", "16GB+512GB", "黑色")
    d = phone("D", "Apple iPhone 15 5G旗舰手机 128GB 蓝色", "128GB", "蓝色", brand="Apple")
    assert model_key(a) == model_key(b) != model_key(c)
    ranked = [SimpleNamespace(product=p) for p in (a, b, c, d)]
    assert [r.product.id for r in distinct_models(ranked, 3)] == ["A", "C", "D"]  # one 小米14, then the others
    assert [r.product.id for r in distinct_models(ranked, 4)] == ["A", "C", "D", "B"]  # the variant fills up
