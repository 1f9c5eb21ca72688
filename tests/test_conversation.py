"""Conversation journeys (Chinese and English) through ``respond`` with the real parser and recommenders over
the 22-product test catalog (fake encoder). Every reply of every journey is also checked for grounding:
products equal their catalog records, hard filters hold, and no number in the text is invented."""

from __future__ import annotations

import re
import time

import pytest

from catalog.filters import Filters
from catalog.policy import load_policy
from catalog.retrieval import RELAXABLE, RelaxHint
from chatbot.conversation import ConversationState, filters_dict, relax_text, replay, resolve_ordinal, respond
from chatbot.conversation.replies import no_match_text

# --- invariants checked on every reply ------------------------------------------------------------------
_NUM = re.compile(r"\d+(?:\.\d+)?")


def _numbers(text: str) -> set[float]:
    return {float(n) for n in _NUM.findall(text)}


def _record_numbers(product) -> set[float]:
    values = {float(product.price), float(product.stock), float(product.rating), float(product.sales)}
    for text in (product.title_zh, product.title_en, product.description, *product.attributes.keys(),
                 *product.attributes.values(), product.brand, product.subcategory, *product.tags):
        values |= _numbers(text)
    return values


_POLICY_NUMBERS = {n for t in load_policy().topics.values() for text in t.values() for n in _numbers(text)} | {
    n for text in load_policy().delivery.values() for n in _numbers(text)}


def check_grounded(reply, catalog: dict, shown_before: list) -> None:
    """Products are catalog facts, filters hold, and every number in the text is a fact, the budget or the
    shop's policy file."""
    f = reply.filters
    for card in reply.products:
        p = catalog[card["id"]]
        assert card["price"] == p.price and card["stock"] == p.stock and card["rating"] == p.rating
        assert card["brand"] == p.brand and card["category"] == p.category
        assert card["title"] == (p.title_en or p.title_zh if reply.lang == "en" else p.title_zh)
        assert card["reason"] and not _NUM.search(card["reason"])
        if reply.kind == "recommend":
            assert f.get("max_price") is None or p.price <= f["max_price"], (card, f)
            assert f.get("min_price") is None or p.price >= f["min_price"], (card, f)
            assert not f.get("brands") or p.brand in f["brands"], (card, f)
            assert p.brand not in f.get("exclude_brands", []), (card, f)
            assert not f.get("category") or p.category == f["category"], (card, f)
            assert f.get("min_rating") is None or p.rating >= f["min_rating"]
    allowed = {float(v) for k, v in f.items() if k in ("max_price", "min_price", "min_rating")} | _POLICY_NUMBERS
    for card in reply.products:
        allowed |= _record_numbers(catalog[card["id"]])
    text = reply.text
    if reply.kind == "recommend":
        text = re.sub(r"(?m)^\d+\. ", "", text)  # the list markers 1. 2. 3.
    if reply.kind == "no_match":  # the hint names a real price in the catalog and a real count, or (nothing
        # cheaper) the cheapest of the products shown before
        allowed |= {float(p.price) for p in catalog.values()} | set(map(float, range(len(catalog) + 1)))
        for p in shown_before:
            allowed |= _record_numbers(catalog[p.id] if hasattr(p, "id") else catalog[p["id"]])
    if reply.kind == "clarify":
        allowed |= set(map(float, range(len(shown_before) + 1)))
    invented = _numbers(text) - allowed
    assert not invented, f"numbers not from the catalog or the budget: {invented} in {reply.text!r}"
    if reply.kind in ("greeting", "thanks", "after_sales", "clarify", "invalid", "no_match"):
        assert reply.products == []


# --- journeys -------------------------------------------------------------------------------------------
# Each step: (message, expectations). Expectation keys:
#   kind, lang, category, max_price, min_price, brands (exact list), has_text (substring), not_text,
#   lower_ceiling (max_price below the previous step's), excludes_shown (no brand of the previous products),
#   detail_of (index into the products of the last "recommend" reply), all_brand, max_rating_ge.
J = [
    ("zh greeting", [("你好", {"kind": "greeting", "lang": "zh"})]),
    ("en greeting", [("Hi there!", {"kind": "greeting", "lang": "en"})]),
    ("zh thanks", [("谢谢", {"kind": "thanks", "lang": "zh"})]),
    ("en thanks", [("thank you so much", {"kind": "thanks", "lang": "en"})]),
    ("zh return", [("我想退货", {"kind": "after_sales", "has_text": "退货"})]),
    ("zh refund", [("退款什么时候到账", {"kind": "after_sales", "has_text": "退款"})]),
    ("a thumbs-up is a thank-you", [("👍", {"kind": "thanks"}), ("谢谢🙏🏻", {"kind": "thanks"}),
                                     ("🔥", {"kind": "invalid"})]),
    ("zh invoice", [("能开发票吗", {"kind": "after_sales", "has_text": "发票"})]),
    ("zh shipping", [("我的快递到哪了", {"kind": "after_sales", "has_text": "物流"})]),
    ("en return", [("How do I return my order?", {"kind": "after_sales", "lang": "en", "has_text": "return"})]),
    ("en refund/invoice/shipping", [
        ("where is my refund", {"kind": "after_sales", "has_text": "refund"}),
        ("I need an invoice", {"kind": "after_sales", "has_text": "invoice"}),
        ("when will my package be delivered?", {"kind": "after_sales", "has_text": "shipping"}),
    ]),
    ("zh vague", [("推荐个东西", {"kind": "clarify", "lang": "zh"}), ("随便", {"kind": "clarify"})]),
    ("en vague", [("recommend something", {"kind": "clarify", "lang": "en"}),
                  ("anything", {"kind": "clarify", "lang": "en"})]),
    ("invalid", [("", {"kind": "invalid"}), ("   \t\n", {"kind": "invalid"}),
                 ("\x00\x01\x1f", {"kind": "invalid"}), ("\u200b\u200b", {"kind": "invalid"})]),
    ("zh budget then brand carries category and budget", [
        ("想买跑鞋，500以内", {"kind": "recommend", "category": "shoes", "max_price": 500}),
        ("要李宁的", {"kind": "recommend", "category": "shoes", "max_price": 500, "brands": ["李宁"],
                    "all_brand": "李宁"}),
    ]),
    ("en budget then brand", [
        ("running shoes under 1000", {"kind": "recommend", "lang": "en", "category": "shoes", "max_price": 1000}),
        ("Nike please", {"kind": "recommend", "category": "shoes", "max_price": 1000, "all_brand": "耐克"}),
    ]),
    ("zh cheaper lowers the ceiling", [
        ("3000以内的耳机", {"kind": "recommend", "category": "earphones", "max_price": 3000}),
        ("便宜点的", {"lower_ceiling": True, "category": "earphones"}),
    ]),
    ("en cheaper lowers the ceiling", [
        ("headphones under 3000", {"kind": "recommend", "lang": "en", "max_price": 3000}),
        ("cheaper", {"lower_ceiling": True, "lang": "en", "category": "earphones"}),
    ]),
    ("zh other brand excludes shown brands", [
        ("降噪耳机", {"kind": "recommend", "category": "earphones"}),
        ("换个牌子", {"excludes_shown": True, "category": "earphones"}),
    ]),
    ("en other brand", [
        ("noise cancelling earbuds", {"kind": "recommend", "lang": "en", "category": "earphones"}),
        ("another brand please", {"excludes_shown": True, "lang": "en"}),
    ]),
    ("zh ordinal 第二个", [
        ("想买手机", {"kind": "recommend", "category": "phones"}),
        ("第二个怎么样", {"kind": "detail", "detail_of": 1, "has_text": "¥"}),
    ]),
    ("en ordinal the second one", [
        ("phones", {"kind": "recommend", "lang": "en"}),
        ("what about the second one?", {"kind": "detail", "detail_of": 1, "lang": "en"}),
    ]),
    ("zh 2号 and 最后一个", [
        ("耳机推荐", {"kind": "recommend"}),
        ("2号", {"kind": "detail", "detail_of": 1}),
        ("最后一个呢", {"kind": "detail", "detail_of": -1}),
    ]),
    ("en first one", [
        ("laptop", {"kind": "recommend", "category": "laptops"}),
        ("tell me about the first one", {"kind": "detail", "detail_of": 0}),
    ]),
    ("ordinal beyond the list", [
        ("索尼的耳机", {"kind": "recommend", "brands": ["索尼"]}),
        ("第三个", {"kind": "clarify"}),
    ]),
    ("ordinal before anything shown", [("第二个怎么样", {"kind": "clarify"})]),
    ("zh honest no match", [
        ("100元以内的手机", {"kind": "no_match", "has_text": "抱歉", "max_price": 100}),
    ]),
    ("en honest no match", [
        ("phones under 100 yuan", {"kind": "no_match", "lang": "en", "has_text": "Sorry"}),
    ]),
    ("brand absent from category", [("华为的跑鞋", {"kind": "no_match", "category": "shoes"})]),
    ("zh price range", [("300到500的跑鞋", {"kind": "recommend", "min_price": 300, "max_price": 500})]),
    ("en dollars", [("earbuds under $100", {"kind": "recommend", "lang": "en", "max_price": 720})]),
    ("greeting + request", [("你好，我想买手机", {"kind": "recommend", "category": "phones", "has_text": "您好"})]),
    ("language switch keeps memory", [
        ("1000以内的跑鞋", {"kind": "recommend", "lang": "zh", "max_price": 1000}),
        ("in English please, cheaper", {"lang": "en", "lower_ceiling": True, "category": "shoes"}),
    ]),
    ("category switch", [
        ("李宁跑鞋", {"kind": "recommend", "category": "shoes", "brands": ["李宁"]}),
        ("手机呢", {"kind": "recommend", "category": "phones", "brands": []}),
    ]),
    ("memory survives after-sales and thanks", [
        ("2000以内的耳机", {"kind": "recommend", "max_price": 2000}),
        ("怎么开发票", {"kind": "after_sales"}),
        ("谢谢", {"kind": "thanks"}),
        ("第一个怎么样", {"kind": "detail", "detail_of": 0}),
        ("便宜点的", {"lower_ceiling": True, "category": "earphones"}),
    ]),
    ("vague after memory reuses it", [
        ("跑鞋", {"kind": "recommend", "category": "shoes"}),
        ("随便", {"kind": "recommend", "category": "shoes"}),
    ]),
    ("html in the message", [
        ("<script>alert(1)</script>想买耳机", {"kind": "recommend", "category": "earphones",
                                            "not_text": "<script>"}),
    ]),
    ("rating filter", [("评分4.7以上的耳机", {"kind": "recommend", "category": "earphones"})]),
    ("exclude brand", [("不要耐克的跑鞋", {"kind": "recommend", "category": "shoes", "no_brand": "耐克"})]),
    ("sold out facts are stated", [("亚瑟士跑鞋", {"kind": "recommend", "brands": ["亚瑟士"], "has_text": "缺货"})]),
]


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("name,steps", J, ids=[j[0] for j in J])
def test_journey(name, steps, arm, chat_engine, chat_parser):
    catalog = {p.id: p for p in chat_engine.products}
    state = ConversationState()
    last_recommend, prev_max, prev_products = None, None, []
    for message, expect in steps:
        shown_before = list(state.shown)
        reply = respond(message, state=state, intent=0.5, recommender=chat_engine.recommenders[arm],
                        parser=chat_parser, catalog=catalog, k=4)
        where = f"{name} / {message!r}: {reply.kind} {reply.filters} {reply.text!r}"
        check_grounded(reply, catalog, shown_before)
        if "kind" in expect:
            assert reply.kind == expect["kind"], where
        if "lang" in expect:
            assert reply.lang == expect["lang"], where
        for key in ("category", "max_price", "min_price"):
            if key in expect:
                assert reply.filters.get(key) == expect[key], where
        if "brands" in expect:
            assert reply.filters.get("brands", []) == expect["brands"], where
        if "all_brand" in expect:
            assert reply.products and all(p["brand"] == expect["all_brand"] for p in reply.products), where
        if "no_brand" in expect:
            assert all(p["brand"] != expect["no_brand"] for p in reply.products), where
        if "has_text" in expect:
            assert expect["has_text"] in reply.text, where
        if "not_text" in expect:
            assert expect["not_text"] not in reply.text, where
        if expect.get("lower_ceiling") and ("最便宜" in reply.text or "already the cheapest" in reply.text):
            # nothing below the cheapest one shown: it is named, and the budget stays as it was
            cheapest = min(prev_products, key=lambda p: p["price"])
            assert reply.kind == "no_match" and reply.products == [], where
            assert catalog[cheapest["id"]].title_zh in reply.text or catalog[cheapest["id"]].title_en in reply.text, where
            assert reply.filters.get("max_price") == prev_max, where
        elif expect.get("lower_ceiling"):
            assert reply.kind in ("recommend", "no_match"), where
            assert prev_max is not None and reply.filters["max_price"] < prev_max, where
            assert all(p["price"] < prev_max for p in reply.products), where
        if expect.get("excludes_shown"):
            shown_brands = {p["brand"] for p in prev_products}
            assert reply.kind in ("recommend", "no_match"), where
            assert not shown_brands & {p["brand"] for p in reply.products}, where
            assert shown_brands <= set(reply.filters.get("exclude_brands", [])), where
        if "detail_of" in expect:
            want = last_recommend.products[expect["detail_of"]]
            assert [p["id"] for p in reply.products] == [want["id"]], where
            p = catalog[want["id"]]
            assert f"¥{p.price:g}" in reply.text.replace(",", ""), where
        if reply.kind == "recommend":
            last_recommend = reply
            prev_products = reply.products
        if reply.filters.get("max_price") is not None and reply.kind in ("recommend", "no_match"):
            prev_max = reply.filters["max_price"]
        state = reply.state


def test_at_least_thirty_journeys_in_both_languages():
    assert len(J) >= 30
    langs = {("en" if re.search(r"[A-Za-z]{3}", m) and not re.search(r"[\u4e00-\u9fff]", m) else "zh")
             for _, steps in J for m, _ in steps}
    assert langs == {"zh", "en"}


def test_huge_message_is_cut_for_parsing(chat_engine, chat_parser):
    message = "想买耳机" + "啊" * 100_000
    started = time.perf_counter()
    reply = respond(message, state=ConversationState(), intent=0.5,
                    recommender=chat_engine.recommenders["intent"], parser=chat_parser, k=4)
    assert time.perf_counter() - started < 5
    assert reply.kind == "recommend" and reply.filters["category"] == "earphones"
    assert len(reply.text) < 2000


def test_high_intent_invites_to_buy(chat_engine, chat_parser):
    kw = dict(state=ConversationState(), recommender=chat_engine.recommenders["intent"], parser=chat_parser)
    assert "购物车" in respond("想买耳机", intent=0.9, **kw).text
    assert "第二个" in respond("想买耳机", intent=0.2, **kw).text


def test_replay_rebuilds_the_state(chat_engine, chat_parser):
    """What the chat service does after a restart: the stored turns give back the same memory."""
    catalog = {p.id: p for p in chat_engine.products}
    rec = chat_engine.recommenders["intent"]
    state, turns = ConversationState(), []
    for message in ["500以内的跑鞋", "要李宁的", "谢谢", "第二个怎么样"]:
        reply = respond(message, state=state, intent=0.5, recommender=rec, parser=chat_parser, catalog=catalog)
        turns.append({"text": message, "recommendations": [
            {"product_id": p["id"], "rank": i} for i, p in enumerate(reply.products, 1)
        ] if reply.kind == "recommend" else []})
        state = reply.state
    rebuilt = replay(turns, chat_parser, catalog)
    assert filters_dict(rebuilt.filters) == filters_dict(state.filters)
    assert [p.id for p in rebuilt.shown] == [p.id for p in state.shown]
    assert (rebuilt.query, rebuilt.lang, rebuilt.term) == (state.query, state.lang, state.term)


@pytest.mark.parametrize("text,index", [
    ("第二个怎么样", 1), ("第2款", 1), ("第三个呢", 2), ("2号", 1), ("二号", 1), ("最后一个", -1),
    ("the second one", 1), ("the 3rd", 2), ("first one", 0), ("number 2", 1), ("#4", 3), ("the last one", -1),
    ("42号的跑鞋", None), ("iPhone 15", None), ("my first phone", None), ("500以内", None),
])
def test_resolve_ordinal(text, index):
    assert resolve_ordinal(text) == index


# --- the relax hint, worded ------------------------------------------------------------------------------
HINT_WORDING = [
    (RelaxHint("price", 3, 3999.0), "预算提高到 ¥3999 起就有 3 件可选", "raise the budget to ¥3999 to see 3 products"),
    (RelaxHint("price", 3, 99.5), "预算提高到 ¥99.5 起就有 3 件可选", "raise the budget to ¥99.5 to see 3 products"),
    (RelaxHint("price", 6), "放宽价格范围可找到 6 件", "widen the price range to see 6 products"),
    (RelaxHint("brands", 2), "换个品牌可找到 2 件", "try another brand to see 2 products"),
    (RelaxHint("exclude_brands", 1), "不排除已排除的品牌可找到 1 件", "allow the excluded brands to see 1 products"),
    (RelaxHint("in_stock_only", 4), "也看看暂时缺货的可找到 4 件", "include out-of-stock products to see 4 products"),
    (RelaxHint("min_rating", 1), "降低评分要求可找到 1 件", "accept a lower rating to see 1 products"),
    (RelaxHint("category", 5), "换个类目可找到 5 件", "look in another category to see 5 products"),
    (RelaxHint("subtypes", 4), "看看同类的其他款式可找到 4 件", "look at other kinds in the same category to see 4 products"),
    (RelaxHint(None), "换个说法或放宽条件试试", "try other words or fewer constraints"),
]


@pytest.mark.parametrize("hint,zh,en", HINT_WORDING, ids=[f"{h.constraint}-{h.min_price_available}"
                                                          for h, _, _ in HINT_WORDING])
def test_relax_hint_wording(hint, zh, en):
    assert relax_text(hint, "zh") == zh
    assert relax_text(hint, "en") == en


def test_every_relaxable_constraint_has_wording():
    worded = {h.constraint for h, _, _ in HINT_WORDING}
    assert worded == {*RELAXABLE, None}


@pytest.mark.parametrize("hint,zh,en", [
    (RelaxHint("brands", 2), "抱歉，目前没有完全符合耐克品牌的手机的商品。建议：换个品牌可找到 2 件。",
     "Sorry, nothing in our catalog matches phones by Nike right now. Tip: try another brand to see 2 products."),
    (RelaxHint(None), "抱歉，目前没有完全符合耐克品牌的手机的商品。您可以放宽一下预算、品牌或其他条件，我再帮您找找。",
     "Sorry, nothing in our catalog matches phones by Nike right now. Try relaxing the budget, brand or another "
     "condition and I'll look again."),
    (None, "抱歉，目前没有完全符合耐克品牌的手机的商品。您可以放宽一下预算、品牌或其他条件，我再帮您找找。",
     "Sorry, nothing in our catalog matches phones by Nike right now. Try relaxing the budget, brand or another "
     "condition and I'll look again."),
])
def test_no_match_text_words_the_hint(hint, zh, en):
    filters = Filters(category="phones", brands=("耐克",))
    assert no_match_text(hint, filters, "zh") == zh
    assert no_match_text(hint, filters, "en") == en


@pytest.mark.parametrize("message,text", [
    ("100元以内的手机", "抱歉，目前没有完全符合¥100以内的手机的商品。建议：预算提高到 ¥1299 起就有 4 件可选。"),
    ("phones under 100 yuan", "Sorry, nothing in our catalog matches phones under ¥100 right now. "
                              "Tip: raise the budget to ¥1299 to see 4 products."),
    ("华为的跑鞋", "抱歉，目前没有完全符合华为品牌的跑鞋的商品。建议：换个品牌可找到 6 件。"),
])
def test_no_match_reply_words_the_recommenders_hint(message, text, chat_engine, chat_parser):
    """The recommender's structured hint, worded in the message's language (the same hint for both)."""
    rec = chat_engine.recommenders["intent"]
    reply = respond(message, state=ConversationState(), intent=0.5, recommender=rec, parser=chat_parser)
    assert reply.kind == "no_match" and reply.text == text
    result = rec.recommend(reply.state.query, filters=reply.state.filters, intent=0.5, k=4)
    assert isinstance(result.hint, RelaxHint) and relax_text(result.hint, reply.lang) in reply.text
