"""The shopper page without a browser: the like button records feedback through ``ChatService.feedback``; bubbles
show text as typed; cards, comparison and checkout render escaped in the reply's language; the handlers and the
``/checkout`` endpoint."""

from __future__ import annotations

import inspect
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import gradio as gr
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from chatbot.errors import InputError
from chatbot.web.server import build_app
from chatbot.web.shop import (
    CSS,
    card_html,
    cart_html,
    chat_text,
    checkout_html,
    compare_html,
    image_src,
    md_text,
    order_html,
    record_like,
)


def _like(index, liked) -> gr.LikeData:
    return gr.LikeData(None, {"index": index, "value": "…", "liked": liked})


def _feedback(store) -> list[dict]:
    return store.query("SELECT rating, source, message_id FROM feedback ORDER BY id")


@pytest.fixture
def spied(chat_service, monkeypatch):
    """The chat service with its ``feedback`` calls recorded (and still run)."""
    calls = []
    real = chat_service.feedback

    def feedback(*args, **kw):
        calls.append((args, kw))
        return real(*args, **kw)

    monkeypatch.setattr(chat_service, "feedback", feedback)
    return chat_service, calls


def test_the_like_button_of_the_page_goes_through_chat_service_feedback(chat_services, spied):
    service, calls = spied
    on_like = next(f.fn for f in build_app(chat_services).fns.values() if f.name == "on_like")
    out = service.chat(None, "想买跑鞋")
    sid, reply = out["session_id"], out["message_id"]
    on_like(sid, [None, reply], _like(1, "Like"))
    assert calls == [((sid, None, True), {"message_id": reply})]
    assert _feedback(service.store) == [{"rating": 1, "source": "shopper", "message_id": reply}]


def test_record_like_reads_the_like_data(spied):
    service, calls = spied
    out = service.chat(None, "想买跑鞋")
    sid, ids = out["session_id"], [None, out["message_id"]]
    assert record_like(service, sid, ids, _like([1, 0], "Dislike")) is not None  # a (row, column) index
    assert record_like(service, sid, ids, _like(1, True)) is not None
    assert _feedback(service.store) == [{"rating": -1, "source": "shopper", "message_id": ids[1]},
                                        {"rating": 1, "source": "shopper", "message_id": ids[1]}]
    # the shopper's own bubble, a stale index, or no session yet: nothing is recorded
    assert record_like(service, sid, ids, _like(0, True)) is None
    assert record_like(service, sid, ids, _like(5, True)) is None
    assert record_like(service, "", ids, _like(1, True)) is None
    assert len(calls) == 2 and len(_feedback(service.store)) == 2


def test_feedback_for_an_unknown_session_is_an_input_error(chat_service):
    with pytest.raises(InputError, match="no session"):
        chat_service.feedback("nope", 0, True)
    assert _feedback(chat_service.store) == []


# --- display helpers ------------------------------------------------------------------------------------
class _Text(HTMLParser):
    """The text and the tags of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _shown(bubble: str) -> tuple[str, set[str]]:
    """What a Chatbot bubble shows: Gradio's cleandoc, then CommonMark (+ GFM tables and strikethrough, hard
    line breaks like Gradio's ``line_breaks``); the text (whitespace runs as one space) and the tags made."""
    md = MarkdownIt("commonmark", {"breaks": True}).enable(["table", "strikethrough"])
    parser = _Text()
    parser.feed(md.render(inspect.cleandoc(bubble)))
    return " ".join("".join(parser.text).split()), set(parser.tags)


HOSTILE = [
    "I'm looking for Women's shoes, it's \"urgent\"",
    "<script>alert('x')</script> & <img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~gone~~ [link](javascript:alert(1)) ![img](http://e/x.png) <http://e.com>",
    "# heading\n1. one\n- item\n> quote\n---\ntext\n===\n| a | b |\n|---|---|\n| 1 | 2 |",
    "    indented code\n\tand a tab",
    "&#x27; &amp; &copy; \\* \\ back\\slash $$x^2$$ www.example.com a@b.cn http://e.com/a_b_c",
    "我想要'这个' «引号» “中文引号” 100% 5*3=15",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_bubble_shows_the_text_as_typed(text):
    shown, tags = _shown(chat_text(text))
    assert shown == " ".join(text.split())
    assert tags <= {"p", "br"}  # no link, image, emphasis, code, heading, list, quote or table


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 中'\"<>&*_`#[]()!-+.|~$=:@\\{}^%;/?,1\n\t")), max_size=40))
def test_any_text_of_markdown_and_html_specials_shows_as_typed(text):
    shown, tags = _shown(chat_text(text))
    assert shown == " ".join(text.split())
    assert tags <= {"p", "br"}


def test_chat_text_leaves_apostrophes_and_quotes_alone():
    for text in ("I'm fine, it's \"great\"", "Women's", "我想要'这个'"):
        assert chat_text(text) == text
    assert "&#x27;" not in chat_text("L'Oreal") and "&#39;" not in md_text("L'Oreal")
    assert chat_text("<b>") == "&lt;b&gt;" and md_text("a*b") == "a\\*b"


def _product(**kw) -> dict:
    return {"id": "S1", "title": "李宁 赤兔6 跑步鞋", "brand": "李宁", "price": 399.0, "stock": 28, "rating": 4.7,
            "reason": "r", "focus": False, **kw}


def test_cards_speak_the_reply_language():
    zh, en = card_html(_product(), 0, "zh"), card_html(_product(title="Li-Ning Chitu 6"), 0, "en")
    assert "库存 28 件" in zh and "in stock" not in zh
    assert "28 in stock" in en and "库存" not in en and "件" not in en
    zh, en = card_html(_product(stock=0), 0, "zh"), card_html(_product(stock=0), 0, "en")
    assert "缺货" in zh and "sold out" not in zh and "sold out" in en and "缺货" not in en


def test_the_focused_card_has_a_badge():
    assert "sg-badge" not in card_html(_product(), 0)
    assert '<span class="sg-badge">当前商品</span>' in card_html(_product(focus=True), 0, "zh")
    assert '<span class="sg-badge">Selected</span>' in card_html(_product(focus=True), 0, "en")


class _Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes (as a browser's tokenizer reads them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(fragment: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.elements


def _imgs(fragment: str) -> list[dict]:
    return [attrs for tag, attrs in _elements(fragment) if tag == "img"]


IMG_ATTRS = {"class", "src", "alt", "loading", "decoding", "width", "height", "referrerpolicy"}


@pytest.mark.parametrize("src", ["https://img.example.com/shoe.png?w=200&h=200", "http://cdn.example.cn/a/红.jpg",
                                 "/catalog/image/S%201%2F%E7%BA%A2"])
def test_a_card_shows_its_picture_lazily_without_a_referrer(src):
    html = card_html(_product(image=src, title='Nike "Air" <Max> & Co'), 0, "en")
    [img] = _imgs(html)
    assert set(img) == IMG_ATTRS
    assert img["src"] == src and img["alt"] == 'Nike "Air" <Max> & Co'  # escaped in the HTML, read back as given
    assert (img["class"], img["loading"], img["decoding"], img["referrerpolicy"]) == (
        "sg-img", "lazy", "async", "no-referrer")
    assert (img["width"], img["height"]) == ("72", "72")
    assert "sg-noimg" not in html and f'src="{src.replace("&", "&amp;")}"' in html
    # the card keeps its element id, product id and text
    tags = _elements(html)
    assert tags[0] == ("div", {"class": "sg-card-body", "id": "card-S1", "data-product-id": "S1"})
    assert "28 in stock" in html


BAD_IMAGES = [
    "",
    None,
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " java\tscript:alert(1)",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "file:///etc/passwd",
    "//evil.example.com/x.png",
    "/etc/passwd",
    "/catalog/image/../../etc/passwd",
    "/catalog/image/%2e%2e",
    "/catalog/image/..",
    'https://e.com/x.png" onerror="alert(1)',
    "https://e.com/x.png' onerror='alert(1)",
    "https://e.com/x.png><script>alert(1)</script>",
    "https://e.com/x.png onerror=alert(1)",
    "https://e.com/a\nb.png",
    "http://e.com\\@evil.com/",
    "ftp://e.com/x.png",
    42,
]


@pytest.mark.parametrize("bad", BAD_IMAGES, ids=[repr(b) for b in BAD_IMAGES])
def test_a_card_without_a_safe_picture_shows_the_placeholder(bad):
    html = card_html(_product(image=bad), 0)
    assert image_src(bad) == ""
    assert _imgs(html) == [] and "<img" not in html and "<script" not in html
    assert [attrs for tag, attrs in _elements(html) if "sg-noimg" in (attrs.get("class") or "")] == [
        {"class": "sg-noimg", "aria-hidden": "true"}]
    for _, attrs in _elements(html):  # no attribute was smuggled in
        assert not any(name.startswith("on") for name in attrs) and "src" not in attrs


def test_a_card_dict_without_an_image_field_shows_the_placeholder():
    html = card_html({"id": "S1", "title": "t", "price": 1.0}, 0)
    assert "sg-noimg" in html and "<img" not in html


def test_the_placeholder_is_drawn_by_css_alone():
    rule = CSS[CSS.index(".sg-noimg {"):]
    rule = rule[:rule.index("}") + 1]
    assert 'url("data:image/svg+xml,' in rule  # an inline picture: no request anywhere
    assert "http" not in rule.replace("http://www.w3.org/2000/svg", "")  # the SVG namespace is a name, not a fetch
    assert ".sg-thumb .sg-img" in CSS and "object-fit: cover" in CSS


COMPARISON = {"products": ["A", "B<"], "titles": ["<script>x</script>", "B & 'b'"], "suggestion": "B<",
              "rows": [{"label": "价格", "values": ["¥799", "¥299"], "differs": True},
                       {"label": "<i>品牌</i>", "values": ["耐克", "耐克"], "differs": False}],
              "why": "rating", "need": ""}


def test_the_comparison_is_an_escaped_table():
    assert compare_html(None) == ""
    table = ET.fromstring(compare_html(COMPARISON, "zh"))
    assert table.tag == "table" and table.get("id") == "sg-compare"
    heads = table.findall("./thead/tr/th[@scope='col']")
    assert [h.get("data-product-id") for h in heads] == ["A", "B<"]
    assert [h.text for h in heads] == ["<script>x</script>", "B & 'b'"]  # shown as text, escaped in the HTML
    assert [h.get("class") for h in heads] == [None, "sg-suggested"]
    rows = table.findall("./tbody/tr")
    assert [r.get("class") for r in rows] == ["sg-differs", "sg-same"]
    assert [r.find("th").text for r in rows] == ["价格", "<i>品牌</i>"]
    assert [[td.text for td in r.findall("td")] for r in rows] == [["¥799", "¥299"], ["耐克", "耐克"]]
    assert [[td.get("class") for td in r.findall("td")] for r in rows] == [[None, "sg-suggested"]] * 2


def test_checkout_summary_and_order_confirmation():
    lines = [{"product_id": "S1", "quantity": 2, "price": 399.0, "title_zh": "李宁 <跑鞋>", "title_en": "Li-Ning"},
             {"product_id": "E4", "quantity": 1, "price": 199.0, "title_zh": "漫步者", "title_en": "Edifier"}]
    for lang, titles in (("zh", ["李宁 <跑鞋>", "漫步者"]), ("en", ["Li-Ning", "Edifier"])):
        box = ET.fromstring(checkout_html({"lines": lines, "items": 3, "total": 997.0}, lang))
        assert box.get("id") == "sg-checkout"
        rows = box.findall(".//tbody/tr")
        assert [r.get("data-product-id") for r in rows] == ["S1", "E4"]
        assert [[td.text for td in r.findall("td")] for r in rows] == [
            [titles[0], "× 2", "¥399", "¥798"], [titles[1], "× 1", "¥199", "¥199"]]
        assert box.find(".//td[@id='sg-checkout-total']").text == "¥997"
    done = ET.fromstring(order_html({"id": 7, "total": 997.0, "items": 3}, "en"))
    assert done.get("id") == "sg-order-done" and done.get("data-order-id") == "7"
    assert "Order 7" in done.text and "¥997" in done.text
    assert "订单号 7" in ET.fromstring(order_html({"id": 7, "total": 997.0, "items": 3}, "zh")).text


# --- the page's handlers (no browser) -------------------------------------------------------------------
def _page(services):
    demo = build_app(services)
    fns = {f.name: f.fn for f in demo.fns.values()}
    by_id = {b.elem_id: b for b in demo.blocks.values() if getattr(b, "elem_id", None)}
    return demo, fns, by_id


def test_an_empty_message_calls_nothing(chat_services, monkeypatch):
    _, fns, _ = _page(chat_services)
    calls = []
    monkeypatch.setattr(chat_services.chat, "chat", lambda *a, **kw: calls.append(a))
    for blank in ("", "  \n\t ", None):
        with pytest.warns(UserWarning, match="Please type a message"):  # gr.Warning outside a running page
            assert fns["on_send"](blank, [], "", [], {}, False, None) == gr.skip()
    assert calls == [] and chat_services.store.sessions() == []


def test_a_turn_updates_bubbles_cards_comparison_and_checkout(chat_services):
    _, fns, by_id = _page(chat_services)
    state = {"history": [], "sid": "", "shown": {}, "open": False}

    def turn(text):
        out = fns["on_send"](text, state["history"], state["sid"], [], state["shown"], state["open"], None)
        state.update(history=out[by_id["sg-chatbot"]], sid=out[by_id["sg-session-id"]],
                     open=out[by_id["sg-checkout-panel"]]["visible"],
                     shown=next(v for v in out.values() if isinstance(v, dict) and "products" in v))
        return out

    out = turn("I'm looking for running shoes under 1000")
    assert state["history"][0] == {"role": "user", "content": "I'm looking for running shoes under 1000"}
    assert state["history"][1]["role"] == "assistant" and "&#x27;" not in state["history"][1]["content"]
    assert state["shown"]["lang"] == "en" and len(state["shown"]["products"]) >= 2
    assert out[by_id["sg-compare-box"]] == "" and state["open"] is False
    out = turn("which is better, the first or the second")
    assert 'id="sg-compare"' in out[by_id["sg-compare-box"]]
    assert [p["focus"] for p in state["shown"]["products"]].count(True) == 1
    out = turn("I'll take it")
    sid, cart = state["sid"], chat_services.chat.cart(state["sid"])
    assert len(cart) == 1 and out[by_id["sg-checkout-open"]]["visible"] is True and state["open"] is False
    assert out[by_id["sg-cart"]] == cart_html(cart)
    out = turn("checkout")
    assert state["open"] is True and f'data-product-id="{cart[0]["product_id"]}"' in out[by_id["sg-checkout-box"]]
    assert chat_services.store.orders(sid) == [] and chat_services.store.events(sid, "purchase") == []
    placed = fns["on_place_order"](sid, "en")
    order = chat_services.store.orders(sid)
    assert len(order) == 1 and f'data-order-id="{order[0]["id"]}"' in placed[by_id["sg-order-box"]]
    assert placed[by_id["sg-checkout-panel"]]["visible"] is False and "sg-cart-empty" in placed[by_id["sg-cart"]]
    assert [e["product_id"] for e in chat_services.store.events(sid, "purchase")] == [cart[0]["product_id"]]


def test_checkout_errors_are_shown_escaped(chat_services):
    _, fns, by_id = _page(chat_services)
    sid = chat_services.chat.chat(None, "想买跑鞋")["session_id"]
    with pytest.raises(gr.Error, match="empty"):
        fns["on_place_order"](sid, "zh")
    with pytest.raises(gr.Error) as err:
        fns["on_place_order"]("<img src=x onerror=alert(1)>", "zh")
    assert "<img" not in err.value.message and "&lt;img" in err.value.message
    with pytest.warns(UserWarning, match="cart is empty"):
        opened = fns["on_open_checkout"](sid, "en")
    assert opened[by_id["sg-checkout-panel"]]["visible"] is False


def test_the_checkout_endpoint(chat_services):
    demo, fns, _ = _page(chat_services)
    info = demo.get_api_info()["named_endpoints"]
    assert {"/chat", "/event", "/checkout"} <= set(info)
    assert [p["parameter_name"] for p in info["/checkout"]["parameters"]] == ["session_id"]
    service, checkout = chat_services.chat, fns["checkout"]
    assert checkout("nope") == {"ok": False, "error": "no session 'nope'\nhint: send a chat message first"}
    sid = service.chat(None, "想买跑鞋")["session_id"]
    assert checkout(sid)["ok"] is False and "empty" in checkout(sid)["error"]
    assert fns["event"](sid, "S1", "purchase")["ok"] is False  # purchases only through checkout
    for pid in ("S1", "S1", "E4"):
        service.event(sid, pid, "add_to_cart")
    out = checkout(sid)
    assert out["ok"] is True and out["cart"] == [] and out["order"]["total"] == 399 * 2 + 199
    assert [(x["product_id"], x["quantity"]) for x in out["order"]["lines"]] == [("S1", 2), ("E4", 1)]
    assert sorted(e["product_id"] for e in service.store.events(sid, "purchase")) == ["E4", "S1"]


@pytest.mark.slow
def test_the_checkout_endpoint_through_gradio_client(chat_server):
    from gradio_client import Client

    client = Client(chat_server.url, verbose=False)
    try:
        out = client.predict("想买跑鞋，1000以内", "", api_name="/chat")
        sid, pid = out["session_id"], out["products"][0]["id"]
        assert client.predict(sid, api_name="/checkout")["ok"] is False
        assert client.predict(sid, pid, "add_to_cart", api_name="/event")["ok"] is True
        placed = client.predict(sid, api_name="/checkout")
    finally:
        client.close()
    assert placed["ok"] is True and placed["cart"] == []
    assert [o["id"] for o in chat_server.services.store.orders(sid)] == [placed["order"]["id"]]


def test_the_browser_secret_is_made_once_and_kept(tmp_path):
    """The key of the browser's stored session id lives in home: the same after a restart (a reload goes on
    with the conversation), made by whichever process starts first, readable only by its owner."""
    import stat

    from chatbot.web.shop import browser_secret

    first = browser_secret(tmp_path / "home")
    assert len(first) == 32 and browser_secret(tmp_path / "home") == first
    assert stat.S_IMODE((tmp_path / "home" / "browser_secret").stat().st_mode) == 0o600
    assert browser_secret(tmp_path / "other") != first
