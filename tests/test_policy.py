"""The next-action policy, row by row (docs/chatbot.md), in Chinese and English: the plain function, journeys
through the real ChatService (real parser, recommenders, store) and the journey suite's two rates.

Rows marked "both arms" are rules; rows marked "intent arm" depend on the predicted stage and must not happen
in the baseline arm (docs/ab.md). The intent model is scripted (``Scripted``): the stages are inputs here.
"""

from __future__ import annotations

import pytest

from chatbot.conversation import ConversationState, analyse
from chatbot.conversation.policy import ACTIONS, StageView, item_count, next_action
from chatbot.experiment.journeys import JOURNEYS, run_journeys
from chatbot.settings import PolicyParams
from intent.stages import StagePrediction

READY = {"browse": 0.03, "consider": 0.1, "ready": 0.85, "service": 0.02}
CONSIDER = {"browse": 0.1, "consider": 0.8, "ready": 0.05, "service": 0.05}
BROWSE = {"browse": 0.8, "consider": 0.15, "ready": 0.03, "service": 0.02}
SERVICE = {"browse": 0.05, "consider": 0.1, "ready": 0.05, "service": 0.8}


class Scripted:
    """An intent model whose stage per message is given (default: consider)."""

    version = "scripted-1"

    def __init__(self, script: dict[str, dict[str, float]] | None = None) -> None:
        self.script = script or {}

    def predict(self, texts):
        order = ("browse", "consider", "ready", "service")
        return [StagePrediction.from_probs([self.script.get(t, CONSIDER)[s] for s in order]) for t in texts]


@pytest.fixture
def make_chat(chat_settings, chat_engine, chat_store):
    """``make_chat(arm, script)``: a real ChatService over the test catalog with the arm fixed."""
    from chatbot.service.wiring import Services

    def make(arm: str, script: dict[str, dict[str, float]] | None = None):
        services = Services(chat_settings, intent_model=Scripted(script), engine=chat_engine, store=chat_store)
        chat = services.chat
        chat.assign = lambda sid, experiment, share: arm
        return chat
    return make


def talk(chat, *messages: str) -> list[dict]:
    sid, out = None, []
    for m in messages:
        r = chat.chat(sid, m)
        sid = r["session_id"]
        out.append(r)
    return out


# --- the plain function ---------------------------------------------------------------------------------------
def _state(chat_engine, chat_parser, *messages):
    from chatbot.conversation import respond

    state = ConversationState()
    for m in messages:
        state = respond(m, state=state, recommender=chat_engine.recommenders["baseline"], parser=chat_parser,
                        catalog={p.id: p for p in chat_engine.products}).state
    return state


@pytest.mark.parametrize("history,message,stages,action", [
    ((), "你好", None, "greet"),
    ((), "", None, "invalid"),
    ((), "推荐个东西", None, "clarify"),
    ((), "推荐个东西", BROWSE, "recommend"),            # intent arm: a varied selection and a question
    ((), "这个要了，怎么下单", None, "ask_what"),         # a decision before anything was shown
    ((), "I'll take it", READY, "ask_what"),
    (("想买跑鞋",), "就要这个了，马上下单", None, "confirm"),
    (("running shoes",), "add the second one to my cart", None, "confirm"),
    (("亚瑟士跑鞋",), "就要这个", None, "sold_out"),
    (("想买跑鞋",), "加入购物车", None, "ask_which"),       # several shown, none named
    (("想买跑鞋",), "第一个和第三个哪个好", None, "compare"),
    (("running shoes",), "compare the first and the third", None, "compare"),
    (("想买跑鞋",), "哪个好", None, "ask_which"),          # baseline: which two?
    (("想买跑鞋",), "哪个好", CONSIDER, "compare"),        # intent arm: compares the top two
    (("想买跑鞋",), "第二个怎么样", None, "answer"),
    (("想买跑鞋",), "第二个有货吗？", READY, "answer"),     # ready shopper's question: answer + offer
    (("想买跑鞋", "第二个怎么样"), "不要这个", None, "next"),
    (("想买跑鞋", "第二个怎么样"), "not this one", None, "next"),
    (("想买跑鞋",), "不买了", None, "cancel"),
    (("running shoes",), "never mind", None, "cancel"),
    ((), "我的快递到哪了", None, "help"),
    ((), "talk to a person please", None, "help"),
    (("想买跑鞋",), "那个东西一直没动静", SERVICE, "help"),  # intent arm: service without after-sales words
    (("想买跑鞋",), "那个东西一直没动静", None, "answer"),   # baseline: "那个" read as the top item
    (("想买跑鞋",), "嗯嗯", READY, "ask_which"),            # intent arm: ready, nothing named: which one?
    (("想买跑鞋", "第二个怎么样"), "好，嗯", READY, "confirm"),  # intent arm: ready on the focus
    (("想买跑鞋", "第二个怎么样"), "好，嗯", None, "recommend"),
    (("想买跑鞋，500以内",), "还有便宜点的吗", None, "recommend"),
])
def test_next_action_rows(chat_engine, chat_parser, history, message, stages, action):
    state = _state(chat_engine, chat_parser, *history)
    turn = analyse(message, state, chat_parser)
    view = None if stages is None else StageView(stages, stages)
    got = next_action(turn, state, stages=view)
    assert got.name == action, (message, got)
    assert got.name in ACTIONS and got.reason


def test_item_count_is_continuous_in_p_ready():
    prm = PolicyParams()
    counts = [item_count(4, StageView({}, {"ready": r}), prm) for r in (0.0, 0.3, 0.6, 1.0)]
    assert counts == sorted(counts, reverse=True) and counts[0] == 4 and counts[-1] == 2
    assert item_count(4, None, prm) == 4  # the baseline arm always shows k


# --- journeys through the ChatService, every row in both languages ----------------------------------------------------
@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("opening,pick,buy", [
    ("想买跑鞋", "第二个怎么样", "就它了"),
    ("running shoes", "what about the second one?", "I'll take it"),
])
def test_detail_then_decision_confirms_and_carts_the_second_item(make_chat, arm, opening, pick, buy):
    chat = make_chat(arm)
    first, detail, confirm = talk(chat, opening, pick, buy)
    second = first["products"][1]["id"]
    assert detail["kind"] == "detail" and detail["focus"] == second and detail["products"][0]["focus"] is True
    assert confirm["kind"] == "confirm" and confirm["products"][0]["id"] == second and confirm["focus"] == second
    assert [c["product_id"] for c in confirm["cart"]] == [second]
    title = first["products"][1]["title"]
    assert title in confirm["reply"] and f"¥{first['products'][1]['price']:g}" in confirm["reply"]
    events = chat.store.events(confirm["session_id"], "add_to_cart")
    assert [e["product_id"] for e in events] == [second] and events[0]["recommendation_id"] is not None
    assert not chat.store.events(confirm["session_id"], "purchase")  # carted, not bought


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("opening,decide,checkout", [
    ("想买跑鞋", "就要这个了，马上下单", "怎么付款"),
    ("running shoes", "I'll take it", "checkout"),
])
def test_decision_then_checkout_places_an_order(make_chat, arm, opening, decide, checkout):
    chat = make_chat(arm)
    first, confirm, step = talk(chat, opening, decide, checkout)
    top = first["products"][0]
    assert confirm["kind"] == "confirm" and confirm["products"][0]["id"] == top["id"]
    assert "48" in confirm["reply"]  # the delivery promise from the shop's policy file
    assert step["kind"] == "checkout" and step["checkout"]["total"] == top["price"]
    order = chat.checkout(step["session_id"])
    assert order["order"]["total"] == top["price"] and order["cart"] == []
    purchases = chat.store.events(step["session_id"], "purchase")
    assert [(e["product_id"], e["order_id"]) for e in purchases] == [(top["id"], order["order"]["id"])]
    assert chat.store.orders(step["session_id"])[0]["lines"] == [
        {"product_id": top["id"], "quantity": 1, "price": top["price"]}]


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("decide", ["这个要了，怎么下单", "I'll take it", "加入购物车"])
def test_a_decision_before_anything_was_shown_asks_which_product(make_chat, arm, decide):
    out = talk(make_chat(arm), decide)[0]
    assert out["kind"] == "ask_which" and out["products"] == [] and out["cart"] == []


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("opening,decide", [("亚瑟士跑鞋", "就要这个"), ("ASICS running shoes", "I'll take it")])
def test_a_decision_on_a_sold_out_item_offers_the_nearest_in_stock(make_chat, arm, opening, decide):
    first, out = talk(make_chat(arm), opening, decide)
    assert first["products"][0]["id"] == "S5" and first["products"][0]["stock"] == 0
    assert out["kind"] == "sold_out" and out["cart"] == []
    alt = out["products"][0]
    assert alt["stock"] > 0 and alt["category"] == "shoes" and out["focus"] == alt["id"]
    assert ("缺货" in out["reply"]) if out["lang"] == "zh" else ("sold out" in out["reply"])


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("opening,compare", [("降噪耳机", "第一个和第三个哪个好"),
                                             ("noise cancelling earbuds", "compare the first and the third")])
def test_named_items_are_compared_side_by_side(make_chat, arm, opening, compare):
    first, out = talk(make_chat(arm), opening, compare)
    a, c = first["products"][0], first["products"][2]
    assert out["kind"] == "compare" and out["comparison"]["products"] == [a["id"], c["id"]]
    assert a["title"] in out["reply"] and c["title"] in out["reply"]
    labels = [r["label"] for r in out["comparison"]["rows"]]
    assert labels[:3] == (["价格", "评分", "库存"] if out["lang"] == "zh" else ["price", "rating", "stock"])
    assert out["comparison"]["suggestion"] in (a["id"], c["id"]) and out["focus"] == out["comparison"]["suggestion"]


def test_an_unnamed_comparison_is_the_intent_arms_call(make_chat):
    _, base = talk(make_chat("baseline"), "降噪耳机", "哪个好")
    assert base["kind"] == "ask_which"
    first, intent = talk(make_chat("intent", {"哪个好": CONSIDER}), "降噪耳机", "哪个好")
    assert intent["kind"] == "compare" and intent["comparison"]["products"] == [p["id"] for p in first["products"][:2]]


def test_comparison_suggestion_is_tied_to_the_stated_need(make_chat):
    first, out = talk(make_chat("baseline"), "想买手机", "小米14和iPhone 15哪个拍照好")
    assert out["kind"] == "compare" and {"P1", "P3"} == set(out["comparison"]["products"])
    # both records mention 拍照 (tags), so the need does not separate them: the rating does
    assert out["comparison"]["why"] == "rating" and out["comparison"]["suggestion"] == "P1"
    _, phones = talk(make_chat("baseline"), "想买手机", "华为和小米14哪个好，主要看卫星通话")
    assert phones["kind"] == "compare" and phones["comparison"]["why"] == "need"
    assert phones["comparison"]["need"] in "卫星通话" and phones["comparison"]["suggestion"] == "P2"


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("reject", ["不要这个", "换一个", "not this one"])
def test_turning_one_down_moves_the_focus_on_and_excludes_it(make_chat, arm, reject):
    first, detail, out = talk(make_chat(arm), "降噪耳机", "第一个怎么样", reject)
    rejected = first["products"][0]["id"]
    assert detail["focus"] == rejected
    assert out["kind"] in ("next", "recommend") and out["focus"] != rejected
    assert rejected not in [p["id"] for p in out["products"]]
    if out["kind"] == "next":
        assert out["products"][0]["id"] == first["products"][1]["id"]


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("cancel", ["不买了", "never mind"])
def test_not_buying_stops_the_push(make_chat, arm, cancel):
    _, out = talk(make_chat(arm), "想买跑鞋", cancel)
    assert out["kind"] == "cancel" and out["products"] == [] and out["focus"] is None


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("message,topic", [("我的快递到哪了", "物流"), ("where is my refund", "refund"),
                                           ("转人工", "人工"), ("I want to talk to a person", "staff")])
def test_service_takes_the_help_path_and_flags_the_session(make_chat, arm, message, topic):
    out = talk(make_chat(arm), message)[0]
    assert out["kind"] == "after_sales" and out["products"] == [] and out["handoff"] is True
    assert topic in out["reply"]
    chat_store = make_chat(arm).store
    session = chat_store.session(out["session_id"])
    assert session["needs_help"] == 1 and chat_store.queue()[0]["id"] in {
        r["id"] for r in chat_store.queue() if r["needs_help"]}


def test_service_without_after_sales_words_is_the_intent_arms_call(make_chat):
    msg = "那个东西一直没动静"
    _, intent = talk(make_chat("intent", {msg: SERVICE}), "想买跑鞋", msg)
    _, base = talk(make_chat("baseline", {msg: SERVICE}), "想买跑鞋", msg)
    assert intent["kind"] == "after_sales" and intent["handoff"] and intent["products"] == []
    assert base["kind"] == "detail" and base["handoff"] is False


@pytest.mark.parametrize("message", ["随便看看", "just browsing"])
def test_browsing_gets_a_varied_selection_and_one_question_in_the_intent_arm(make_chat, message):
    out = talk(make_chat("intent", {message: BROWSE}), message)[0]
    assert out["kind"] == "recommend" and len(out["products"]) == 4
    assert len({p["category"] for p in out["products"]}) == 4  # one per category
    assert "？" in out["reply"].splitlines()[-1] or "?" in out["reply"].splitlines()[-1]
    base = talk(make_chat("baseline", {message: BROWSE}), message)[0]
    assert base["kind"] == "clarify" and base["products"] == []


def test_a_browsing_request_ends_with_a_narrowing_question(make_chat):
    out = talk(make_chat("intent", {"看看耳机": BROWSE}), "看看耳机")[0]
    assert out["kind"] == "recommend" and out["reply"].splitlines()[-1] in ("您的预算大概是多少？",)


def test_implicit_readiness_is_the_intent_arms_call(make_chat):
    """"第二个有货吗 周五前能到吗" from a ready shopper: the intent arm answers and offers to add it; the
    baseline answers only. Neither adds to the cart without a decision."""
    msg = "第二个有货吗 周五前能到吗"
    shown_i, intent = talk(make_chat("intent", {msg: READY}), "降噪耳机", msg)
    shown_b, base = talk(make_chat("baseline", {msg: READY}), "降噪耳机", msg)
    assert intent["kind"] == base["kind"] == "detail"
    assert (intent["focus"], base["focus"]) == (shown_i["products"][1]["id"], shown_b["products"][1]["id"])
    assert "加入购物车吗" in intent["reply"] and "加入购物车吗" not in base["reply"]
    assert "48" in intent["reply"]  # the delivery promise answers "周五前能到吗"
    assert intent["cart"] == base["cart"] == []


def test_ready_shopper_sees_fewer_items_in_the_intent_arm(make_chat):
    ready = talk(make_chat("intent", {"降噪耳机": READY}), "降噪耳机")[0]
    browse = talk(make_chat("intent", {"降噪耳机": BROWSE}), "降噪耳机")[0]
    base = talk(make_chat("baseline", {"降噪耳机": READY}), "降噪耳机")[0]
    assert len(ready["products"]) < len(browse["products"]) == len(base["products"]) == 4


@pytest.mark.parametrize("arm", ["intent", "baseline"])
def test_cheaper_keeps_the_subtype_and_goes_below_what_was_shown(make_chat, arm):
    first, out = talk(make_chat(arm), "想买跑鞋，1000以内", "还有便宜点的吗")
    assert out["filters"]["subtypes"] == ["跑步鞋"]
    cheapest = min(p["price"] for p in first["products"])
    assert out["kind"] in ("recommend", "no_match")
    assert all(p["price"] < cheapest and p["category"] == "shoes" for p in out["products"])
    assert all(p["id"] != "S7" for p in out["products"])  # the canvas shoe is not a running shoe


@pytest.mark.parametrize("arm", ["intent", "baseline"])
def test_cheaper_than_the_cheapest_says_so_and_keeps_the_filters(make_chat, arm):
    """Nothing below the cheapest running shoe: the reply names it as the cheapest, and the impossible cap is
    not kept, so the next request ("another brand") still finds running shoes in the first budget."""
    chat = make_chat(arm)
    first, a, b = talk(chat, "想买跑鞋，1000以内", "还有便宜点的吗", "还有便宜点的吗")
    if a["products"]:  # the test catalog may have a cheaper one once; the second ask then hits the floor
        first, a = a, b
    cheapest = min(first["products"], key=lambda p: p["price"])
    assert a["kind"] == "no_match" and "已经是最便宜的" in a["reply"] and cheapest["title"] in a["reply"]
    assert a["filters"]["max_price"] == 1000
    out = chat.chat(a["session_id"], "换个牌子")
    assert out["filters"]["max_price"] == 1000 and out["filters"]["exclude_brands"]  # the first budget, not a cap


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("message,first,second", [("小米14和iPhone 15哪个好", "小米", "Apple"),
                                                  ("华为Mate 60和小米14对比", "华为", "小米"),
                                                  ("compare the iPhone 15 and the Xiaomi 14", "Apple", "小米")])
def test_two_named_brands_are_compared_before_anything_was_shown(make_chat, arm, message, first, second):
    """"小米14和iPhone 15哪个好" as a first message: the best match of each brand named, side by side (one search
    per brand: relevance alone can fill the list with one brand); "小米" before a model number is the brand."""
    out = talk(make_chat(arm), message)[0]
    assert [p["brand"] for p in out["products"][:2]] == [first, second]
    assert out["comparison"] is not None
    assert out["comparison"]["products"] == [p["id"] for p in out["products"][:2]]


@pytest.mark.parametrize("message", ["能换小米的吗", "可以换大屏的吗", "尺寸不合适，有小一点的吗", "密码不对"])
def test_switching_brand_or_size_before_buying_is_no_exchange(make_chat, message):
    """Only an exchange of something bought is after-sales ("尺码不合适能换吗", "换大一码"): a shopper asking
    to switch to another brand or size before buying is not sent to staff."""
    _, out = talk(make_chat("baseline"), "想买手机", message)
    assert out["kind"] != "after_sales" and not out["handoff"], out["reply"]


def test_cheaper_with_a_brand_keeps_the_brand_and_the_budget(make_chat):
    """"便宜点的李宁" asks for more than a lower price: never the "nothing cheaper" reply about the old list,
    and when nothing fits, the brand stays and the budget comes back (not a cap nothing fits)."""
    chat = make_chat("baseline")
    first, out = talk(chat, "想买跑鞋，1000以内", "便宜点的李宁")
    cheapest = min(p["price"] for p in first["products"])
    assert cheapest < 399  # no Li-Ning running shoe below it in the test catalog (¥399, ¥899)
    assert out["kind"] == "no_match" and "李宁" in out["reply"] and "已经是最便宜的" not in out["reply"]
    state = chat.state(out["session_id"])
    assert state.filters.max_price == 1000 and state.filters.brands == ("李宁",)
    nxt = chat.chat(out["session_id"], "有哪些")
    assert nxt["kind"] == "recommend" and nxt["products"]
    assert all(p["brand"] == "李宁" and p["price"] <= 1000 for p in nxt["products"])


@pytest.mark.parametrize("arm", ["intent", "baseline"])
def test_my_that_account_is_no_product_pointed_at(make_chat, arm):
    """"我那个淘宝号就买了一次…就又来买" (a real JD message, read as browse): "我那个" is "my", not "that one" —
    nothing goes into the cart."""
    _, out = talk(make_chat(arm), "想买跑鞋", "我那个淘宝号就买了一次感觉非常好就又来买")
    assert out["cart"] == [] and out["action"] != "confirm"


def test_a_brand_with_nothing_that_fits_is_said_not_compared_away(make_chat):
    out = talk(make_chat("baseline"), "3000以内的手机，苹果和小米哪个好")[0]  # no Apple phone under ¥3000
    assert out["comparison"] is None and "没有找到符合条件的Apple" in out["reply"]
    assert out["products"] and all(p["brand"] == "小米" for p in out["products"])


@pytest.mark.parametrize("message", ["便宜的跑鞋", "cheap running shoes"])
def test_a_cheap_request_without_a_budget_lists_the_cheapest_matches_first(make_chat, message):
    out = talk(make_chat("baseline"), message)[0]
    prices = [p["price"] for p in out["products"]]
    assert out["kind"] == "recommend" and prices == sorted(prices) and len(prices) >= 2
    assert "价格从低到高" in out["reply"] or "cheapest first" in out["reply"]
    plain = talk(make_chat("baseline"), message.replace("便宜的", "").replace("cheap ", ""))[0]
    assert min(prices) <= min(p["price"] for p in plain["products"])  # never dearer than the plain request


def test_a_page_view_sets_the_focus_for_this(make_chat):
    chat = make_chat("baseline")
    first = talk(chat, "降噪耳机")[0]
    third = first["products"][2]["id"]
    chat.event(first["session_id"], third, "click")
    out = chat.chat(first["session_id"], "就要这个")
    assert out["kind"] == "confirm" and out["products"][0]["id"] == third


def test_the_focus_survives_a_restart(make_chat, chat_engine):
    chat = make_chat("baseline")
    first, detail = talk(chat, "降噪耳机", "第二个怎么样")
    chat.forget()  # as after a restart: the state comes back from the stored snapshot
    out = chat.chat(first["session_id"], "就它了")
    assert out["kind"] == "confirm" and out["products"][0]["id"] == detail["focus"]


# --- the journey suite ------------------------------------------------------------------------------------------------
def test_journey_suite_has_forty_journeys_in_both_languages():
    assert len(JOURNEYS) >= 40 and {j.lang for j in JOURNEYS} == {"zh", "en"}


@pytest.mark.parametrize("arm", ["intent", "baseline"])
def test_journey_suite_on_the_test_catalog(make_chat, chat_intent_model, arm):
    chat = make_chat(arm)
    chat.intent_model = chat_intent_model  # buying words → ready, as a real shopper's words would score
    report = run_journeys(chat)
    assert report["buying_moments"] >= 40 and report["comparisons"] >= 4
    assert report["buy_confirmed"] >= 0.95 and report["compare_named"] >= 0.95, report["failures"]


@pytest.mark.slow
def test_journey_suite_with_the_real_model_and_catalog(chat_real_services):
    """The real default intent model and the embedded catalog (the figures in README come from
    benchmarks/journeys.py, the same suite)."""
    report = run_journeys(chat_real_services.chat)
    assert report["journeys"] >= 40 and report["skipped"] == 0
    assert report["buy_confirmed"] >= 0.95 and report["compare_named"] >= 0.95, report["failures"]
    assert report["sold_out_handled"] in (None, 1.0), report["failures"]


# --- found in review: refusals, orders already placed, repeated decisions, stock ------------------------------------
@pytest.mark.parametrize("message", ["先不下单，第二个多少钱", "别加购物车，第二个重量多少",
                                     "don't add it to the cart yet, how much is the second one"])
def test_a_refused_purchase_adds_nothing(make_chat, message):
    _, out = talk(make_chat("baseline"), "想买跑鞋", message)
    assert out["kind"] == "detail" and out["cart"] == []


@pytest.mark.parametrize("message", ["我不买第二个", "I won't buy the second one"])
def test_refusing_a_numbered_item_moves_on(make_chat, message):
    first, out = talk(make_chat("baseline"), "想买跑鞋", message)
    assert out["kind"] in ("next", "recommend") and out["cart"] == []
    assert first["products"][1]["id"] not in [p["id"] for p in out["products"]]


@pytest.mark.parametrize("message", ["我刚下单了，什么时候发货", "where is my order", "我的订单怎么还没到"])
def test_an_order_already_placed_takes_the_help_path(make_chat, message):
    chat = make_chat("baseline")
    _, out = talk(chat, "想买跑鞋", message)
    assert out["kind"] == "after_sales" and out["cart"] == [] and out["handoff"]
    assert chat.store.session(out["session_id"])["needs_help"] == 1


@pytest.mark.parametrize("message", ["I want to return these shoes", "这双鞋我想退货", "鞋子尺码不合适能换吗"])
def test_after_sales_words_after_an_order_are_never_a_pre_sale_question(make_chat, message):
    """The intent arm reads "退货 / return" from a shopper who has not bought as a pre-sale question about the
    shown product; once the session has placed an order they are about it: the help path and a hand-off,
    whatever stage the model gives the message (here: ready)."""
    chat = make_chat("intent", {message: READY})
    first, _decided = talk(chat, "想买跑鞋", "就要第一个")
    chat.checkout(first["session_id"])
    out = chat.chat(first["session_id"], message)
    assert out["kind"] == "after_sales" and out["action"] == "help" and out["handoff"], out["reply"]
    assert out["products"] == [] and chat.store.session(first["session_id"])["needs_help"] == 1


def test_a_repeated_decision_adds_nothing_and_stock_caps_the_cart(make_chat):
    chat = make_chat("baseline")
    first, a, b = talk(chat, "想买跑鞋", "就它了", "就它了")
    assert a["kind"] == b["kind"] == "confirm" and [c["quantity"] for c in b["cart"]] == [1]
    product = chat.catalog[a["focus"]]
    for _ in range(product.stock - 1):
        chat.event(a["session_id"], product.id, "add_to_cart")
    from chatbot.errors import InputError

    with pytest.raises(InputError, match="in stock"):
        chat.event(a["session_id"], product.id, "add_to_cart")


def test_the_staff_flag_names_the_topic(make_chat):
    chat = make_chat("baseline")
    refund = talk(chat, "我要退款")[0]
    person = talk(chat, "转人工")[0]
    assert chat.store.session(refund["session_id"])["help_topic"] == "refund"
    assert chat.store.session(person["session_id"])["help_topic"] == "human"


@pytest.mark.parametrize("message", ["算了，还是要第二个", "never mind, I'll take the second one"])
def test_a_change_of_mind_is_a_decision_not_a_cancel(make_chat, message):
    first, out = talk(make_chat("baseline"), "想买跑鞋", message)
    assert out["kind"] == "confirm" and out["products"][0]["id"] == first["products"][1]["id"]


# --- from a review: questions about buying, refusals of "that" one, several products at once -----------------
@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("question", ["需要这个吗", "要不要买这个", "值得买这个吗", "不需要这个", "should I buy this?",
                                      "can I order it later?", "要这个还是要第三个"])
def test_a_question_about_buying_or_a_refusal_puts_nothing_in_the_cart(make_chat, arm, question):
    _, detail, out = talk(make_chat(arm), "降噪耳机", "第一个怎么样", question)
    assert out["kind"] != "confirm" and out["cart"] == [], (question, out["kind"], out["reply"])


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("reject", ["不要那个", "不要那款", "I don't need this one"])
def test_turning_down_that_one_is_a_refusal_not_a_question(make_chat, arm, reject):
    first, detail, out = talk(make_chat(arm), "降噪耳机", "第一个怎么样", reject)
    rejected = first["products"][0]["id"]
    assert out["kind"] in ("next", "recommend") and rejected not in [p["id"] for p in out["products"]], out["reply"]


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("reject", ["不要第一个和第二个", "not the first or the second"])
def test_turning_down_two_excludes_both(make_chat, arm, reject):
    first, out = talk(make_chat(arm), "降噪耳机", reject)
    both = {first["products"][0]["id"], first["products"][1]["id"]}
    assert out["kind"] in ("next", "recommend") and not both & {p["id"] for p in out["products"]}, out["reply"]
    assert out["focus"] not in both


@pytest.mark.parametrize("arm", ["intent", "baseline"])
def test_the_cheapest_after_a_refusal_is_the_cheapest_of_the_rest(make_chat, arm):
    first, no, out = talk(make_chat(arm), "降噪耳机", "不要最便宜的那个", "就要最便宜的")
    by_price = sorted(first["products"], key=lambda p: (p["price"], p["id"]))
    assert no["kind"] in ("next", "recommend") and by_price[0]["id"] not in [p["id"] for p in no["products"]]
    if no["kind"] == "next":  # the list stayed: the cheapest of the others is bought, not the refused one
        assert out["kind"] == "confirm" and [c["product_id"] for c in out["cart"]] == [by_price[1]["id"]], out["reply"]


@pytest.mark.parametrize("arm", ["intent", "baseline"])
@pytest.mark.parametrize("decide", ["就要第一个和第三个", "I'll take the first and the third"])
def test_a_decision_naming_two_products_asks_which(make_chat, arm, decide):
    first, out = talk(make_chat(arm), "降噪耳机", decide)
    assert out["kind"] == "ask_which" and out["cart"] == []
    assert [p["id"] for p in out["products"]] == [first["products"][0]["id"], first["products"][2]["id"]]


@pytest.mark.parametrize("arm", ["intent", "baseline"])
def test_after_a_comparison_the_suggested_words_buy_the_suggested_product(make_chat, arm):
    first, cmp_, out = talk(make_chat(arm), "降噪耳机", "第二个和第三个哪个好", "就它了")
    assert "第一个" not in cmp_["reply"] and "就它了" in cmp_["reply"]
    assert out["kind"] == "confirm" and [c["product_id"] for c in out["cart"]] == [cmp_["comparison"]["suggestion"]]
