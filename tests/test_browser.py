"""A real browser (Debian chromium through Playwright) on the live app: chat, product cards, add to cart, text
shown as typed, the focused card, the comparison table and the checkout step. Every test starts a new session
(a reloaded page whose browser forgot the last one). Set ``SHOPGUIDE_SCREENSHOT=path.png`` to save a screenshot of the page."""

from __future__ import annotations

import os
import time

import pytest
from conftest_chatbot import chromium_page

from chatbot.conversation.templates import fmt_money

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BOTS = "#sg-chatbot [data-testid='bot']"
BUBBLES = "#sg-chatbot [data-testid='user'], #sg-chatbot [data-testid='bot']"


@pytest.fixture(scope="module")
def browser_page(chat_server):
    with chromium_page(chat_server.url) as page:
        yield page


@pytest.fixture
def page(browser_page):
    """The page reloaded after the browser forgot its session: a new session, no bubbles, cards or cart."""
    browser_page.evaluate("() => localStorage.clear()")
    browser_page.reload()
    browser_page.wait_for_selector("#sg-message textarea")
    return browser_page


def send(page, text: str) -> None:
    """Type ``text``, press send and wait for the reply bubble."""
    before = page.locator(BOTS).count()
    page.fill("#sg-message textarea", text)
    page.click("#sg-send")
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[BOTS, before])


def session_id(page) -> str:
    """The session id the page shows (in the "会话 Session" accordion, opened when closed)."""
    box = "#sg-session-id textarea, #sg-session-id input"
    if not page.locator(box).count():
        page.get_by_text("会话 Session").click()
    page.wait_for_function("sel => document.querySelector(sel)?.value", arg=box)
    return page.input_value(box)


def card_ids(page) -> list[str]:
    return page.eval_on_selector_all(".sg-card-body", "els => els.map(e => e.dataset.productId)")


def wait_rows(store, sql, params, n=1, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = store.query(sql, params)
        if len(rows) >= n:
            return rows
        time.sleep(0.2)
    return store.query(sql, params)


def test_chat_cards_add_to_cart_and_like(page, chat_server):
    store = chat_server.services.store
    send(page, "想买跑鞋，1000以内")
    page.wait_for_selector("#sg-card-0 .sg-card-body")
    shown_ids = card_ids(page)
    assert shown_ids, "no product cards"
    assert "¥" in page.inner_text("#sg-card-0")
    # this catalog has no pictures: each card shows the CSS placeholder, no <img> (tests/test_images.py: pictures)
    assert page.locator(".sg-card-body .sg-noimg").count() == len(shown_ids)
    assert page.locator(".sg-card-body img").count() == 0
    sid = session_id(page)
    assert store.session(sid)["source"] == "web"
    assert shown_ids == [r["product_id"] for r in store.last_recommendations(sid)]
    page.click("#sg-add_to_cart-0")
    rows = wait_rows(store, "SELECT product_id, price FROM events WHERE session_id = ? AND type = 'add_to_cart'",
                     [sid])
    assert [r["product_id"] for r in rows] == [shown_ids[0]]
    page.wait_for_function("id => document.querySelector('#sg-cart').innerHTML.includes(id)", arg=shown_ids[0])
    page.locator("#sg-chatbot button[aria-label='Like']").last.click()  # like the reply
    reply_id = [m["id"] for m in store.messages(sid) if m["role"] == "assistant"][-1]
    rows = wait_rows(store, "SELECT rating, source, message_id FROM feedback WHERE session_id = ?", [sid])
    assert rows == [{"rating": 1, "source": "shopper", "message_id": reply_id}]
    if os.environ.get("SHOPGUIDE_SCREENSHOT"):
        page.screenshot(path=os.environ["SHOPGUIDE_SCREENSHOT"], full_page=True)


def test_a_reload_goes_on_with_the_conversation_and_new_chat_starts_another(page, chat_server):
    """The browser keeps its session: after a reload (or in a new tab) the conversation, a staff line in its
    place and the cart are back; 新对话 New chat forgets it and the next message starts a new session."""
    chat = chat_server.services.chat
    send(page, "想买跑鞋，1000以内")
    page.wait_for_selector("#sg-card-0 .sg-card-body")
    sid = session_id(page)
    page.click("#sg-add_to_cart-0")
    page.wait_for_function("() => document.querySelector('#sg-cart').innerText.includes('× 1')")
    chat.staff_reply(sid, "您好，有问题随时问我", "wang")
    chat.give_back(sid)
    page.reload()
    page.wait_for_function("sel => document.querySelectorAll(sel).length >= 3", arg=BUBBLES)
    texts = page.eval_on_selector_all(BUBBLES, "els => els.map(e => e.innerText)")
    assert "想买跑鞋" in texts[0] and "客服 Staff：您好，有问题随时问我" in texts[-1], texts
    assert session_id(page) == sid and "× 1" in page.inner_text("#sg-cart")
    send(page, "就要这个")  # the same session goes on
    assert session_id(page) == sid and [m["text"] for m in chat.store.messages(sid) if m["role"] == "user"][-1] == "就要这个"
    page.click("#sg-new-chat")
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 0", arg=BUBBLES)
    time.sleep(0.5)
    page.reload()  # forgotten for good: a reload does not bring the old conversation back
    page.wait_for_selector("#sg-message textarea")
    time.sleep(1.0)
    assert page.locator(BUBBLES).count() == 0
    send(page, "你好")
    assert session_id(page) != sid


def test_hostile_text_is_shown_not_run(page, chat_server):
    hostile = "<img src=x onerror=\"window.__xss=1\"><b id=injected>bold</b> 想买耳机"
    send(page, hostile)
    reply = [m["text"] for m in chat_server.services.store.messages(session_id(page)) if m["role"] == "assistant"]
    page.wait_for_function("([sel, text]) => document.querySelector(sel)?.innerText === text",
                           arg=[f"{BOTS} .message-content", reply[-1]])  # the reply bubble is drawn
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("#injected").count() == 0
    assert page.locator(BUBBLES).first.inner_text() == hostile
    row = wait_rows(chat_server.services.store, "SELECT text FROM messages WHERE text = ?", [hostile])
    assert row and row[0]["text"] == hostile


def test_english_text_shows_as_typed_in_both_bubbles_and_cards_speak_english(page, chat_server):
    typed = "I'm after a \"face cream\" — *not* <b>bold</b> & `code` [x](y) a_b_c ~~s~~ # h"
    send(page, typed)
    page.wait_for_selector("#sg-card-0 .sg-card-body")
    bubbles = page.locator(BUBBLES)
    assert bubbles.count() == 2
    assert bubbles.nth(0).inner_text() == typed
    reply = [m["text"] for m in chat_server.services.store.messages(session_id(page)) if m["role"] == "assistant"]
    assert "L'Oreal" in reply[-1]  # the catalog's title, with its apostrophe
    assert bubbles.nth(1).inner_text() == reply[-1]
    text = page.inner_text("#sg-chatbot")
    assert "&#x27;" not in text and "&#39;" not in text and "&quot;" not in text and "\\" not in text
    card = page.inner_text("#sg-card-0")
    assert "L'Oreal Revitalift face cream" in card and "&#x27;" not in card
    assert "in stock" in card and "库存" not in card and "查看" not in card
    assert page.inner_text("#sg-click-0") == "View" and page.inner_text("#sg-buy-0") == "Buy now"
    assert page.inner_text("#sg-add_to_cart-0") == "Add to cart"


def test_an_empty_message_draws_no_bubble(page, chat_server):
    store = chat_server.services.store
    send(page, "想买耳机")
    sid, stored = session_id(page), len(store.messages(session_id(page)))
    for blank in ("", "   \n "):
        page.fill("#sg-message textarea", blank)
        page.click("#sg-send")
        page.wait_for_selector("[data-testid='toast-text']:has-text('Please type a message')")
        page.click("[data-testid='toast-close']")
        page.wait_for_selector("[data-testid='toast-text']", state="detached")
    assert page.locator(BUBBLES).count() == 2
    assert len(store.messages(sid)) == stored


def _first_two(page, chat_server) -> tuple[list[str], str]:
    """A new running-shoe list in Chinese: the product ids shown and the session id."""
    send(page, "想买跑鞋，1000以内")
    page.wait_for_selector("#sg-card-1 .sg-card-body")
    shown = card_ids(page)
    assert len(shown) >= 2 and not page.locator(".sg-card.sg-focus").count()
    return shown, session_id(page)


def test_the_focused_product_is_highlighted(page, chat_server):
    shown, _ = _first_two(page, chat_server)
    send(page, "第二个怎么样")
    focused = page.wait_for_selector(".sg-card.sg-focus .sg-card-body")
    assert focused.get_attribute("data-product-id") == shown[1]
    assert page.locator(".sg-card.sg-focus .sg-badge").first.inner_text() == "当前商品"
    ids = page.eval_on_selector_all(".sg-card.sg-focus .sg-card-body", "els => els.map(e => e.dataset.productId)")
    assert set(ids) == {shown[1]}  # one product is the focus
    assert "库存" in page.inner_text(".sg-card.sg-focus") and "in stock" not in page.inner_text(".sg-card.sg-focus")


def test_the_comparison_is_a_table(page, chat_server):
    shown, _ = _first_two(page, chat_server)
    catalog = chat_server.services.chat.catalog
    send(page, "第一个和第二个哪个好")
    page.wait_for_selector("#sg-compare")
    heads = page.eval_on_selector_all("#sg-compare thead th[scope=col]", "els => els.map(e => e.dataset.productId)")
    assert heads == shown[:2]
    titles = page.eval_on_selector_all("#sg-compare thead th[scope=col]", "els => els.map(e => e.firstChild.data)")
    assert titles == [catalog[p].title_zh for p in shown[:2]]
    rows = page.locator("#sg-compare tbody tr")
    assert rows.count() >= 3 and page.locator("#sg-compare tbody tr.sg-differs").count() >= 1
    assert page.locator("#sg-compare tbody tr").first.locator("td").count() == 2
    price_row = page.locator("#sg-compare tbody tr", has_text="价格")
    assert price_row.locator("td").all_inner_texts() == [fmt_money(catalog[p].price) for p in shown[:2]]
    suggested = page.eval_on_selector_all("#sg-compare thead th.sg-suggested", "els => els.map(e => e.dataset.productId)")
    assert len(suggested) == 1 and suggested[0] in shown[:2]
    assert catalog[suggested[0]].title_zh in page.locator(BOTS).last.inner_text()
    assert page.locator("#sg-compare td.sg-suggested").count() == rows.count()  # the whole column is marked


def test_checkout_places_the_order(page, chat_server):
    store = chat_server.services.store
    shown, sid = _first_two(page, chat_server)
    send(page, "第二个怎么样")
    page.wait_for_selector(".sg-card.sg-focus")
    send(page, "就要这个")  # the guide confirms and puts the focus into the cart
    page.wait_for_selector(f"#sg-cart tr[data-product-id='{shown[1]}']")
    assert not page.is_visible("#sg-checkout")
    page.click("#sg-checkout-open")
    page.wait_for_selector("#sg-checkout")
    cart = chat_server.services.chat.cart(sid)
    assert [c["product_id"] for c in cart] == [shown[1]]
    total = sum(c["price"] * c["quantity"] for c in cart)
    assert page.inner_text("#sg-checkout-total") == fmt_money(total)
    assert page.locator("#sg-checkout tbody tr").count() == 1 and not store.orders(sid)
    assert not store.events(sid, "purchase")
    page.click("#sg-place-order")
    done = page.wait_for_selector("#sg-order-done")
    orders = store.orders(sid)
    assert len(orders) == 1 and orders[0]["total"] == total
    assert [(line["product_id"], line["quantity"]) for line in orders[0]["lines"]] == [(shown[1], 1)]
    assert done.get_attribute("data-order-id") == str(orders[0]["id"])
    assert str(orders[0]["id"]) in done.inner_text() and fmt_money(total) in done.inner_text()
    assert [e["product_id"] for e in store.events(sid, "purchase")] == [shown[1]]  # one per line
    page.wait_for_selector("#sg-cart-empty")
    assert not page.is_visible("#sg-checkout") and not page.is_visible("#sg-checkout-open")


def test_buy_now_opens_checkout_and_the_guide_can_too(page, chat_server):
    store = chat_server.services.store
    shown, sid = _first_two(page, chat_server)
    page.click("#sg-buy-0")  # buy now = add to cart + the checkout step
    page.wait_for_selector(f"#sg-checkout tr[data-product-id='{shown[0]}']")
    assert [e["product_id"] for e in store.events(sid, "add_to_cart")] == [shown[0]]
    assert not store.events(sid, "purchase") and not store.orders(sid)
    page.wait_for_selector(f".sg-card.sg-focus [data-product-id='{shown[0]}']")  # the cart's product is the focus
    page.click("#sg-add_to_cart-1")  # the open summary follows the cart
    page.wait_for_selector(f"#sg-checkout tr[data-product-id='{shown[1]}']")
    send(page, "结算")  # the guide's own checkout step shows the same summary
    page.wait_for_selector("#sg-checkout")
    lines = page.eval_on_selector_all("#sg-checkout tbody tr", "els => els.map(e => e.dataset.productId)")
    assert lines == shown[:2]
    page.click("#sg-place-order")
    page.wait_for_selector("#sg-order-done")
    assert [line["product_id"] for line in store.orders(sid)[0]["lines"]] == shown[:2]
    assert sorted(e["product_id"] for e in store.events(sid, "purchase")) == sorted(shown[:2])
