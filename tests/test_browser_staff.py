"""A real browser (Debian chromium through Playwright) on the staff console: log in, the live queue lists the
sessions most urgent first and opens one, and the tester's tables fit a 1280 px wide screen.
Set ``SHOPGUIDE_SCREENSHOT_DIR=dir`` to save screenshots of the queue and the tester."""

from __future__ import annotations

import os

import pytest
from conftest_chatbot import chromium_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTH, HEIGHT = 1280, 900
# Gradio 6's Dataframe draws its body as a grid of cells (data-row, data-col), its header as a table
ROWS_JS = """sel => { const rows = [];
    document.querySelectorAll(sel + ' [role=gridcell][data-row]').forEach(c => {
        (rows[+c.dataset.row] ||= [])[+c.dataset.col] = c.innerText.trim(); });
    return rows.filter(Boolean); }"""
HEADERS_JS = "sel => [...document.querySelectorAll(sel + ' [role=columnheader]')].map(h => h.title)"


@pytest.fixture(scope="module")
def page(chat_server):
    with chromium_page(chat_server.staff_url, WIDTH, HEIGHT) as page:
        page.fill("input[type=text]", "staff")  # Gradio's login form
        page.fill("input[type=password]", "s3cret")
        page.click("button:has-text('Login')")
        page.wait_for_selector("#staff-queue")
        yield page


def screenshot(page, name: str) -> None:
    if os.environ.get("SHOPGUIDE_SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOPGUIDE_SCREENSHOT_DIR"], name), full_page=True)


def queue_rows(page) -> list[list[str]]:
    return page.evaluate(ROWS_JS, "#staff-queue")


def test_queue_orders_sessions_and_staff_take_over(page, chat_server):
    chat, store = chat_server.services.chat, chat_server.services.store
    # made oldest first: recency alone would list them in the reverse order
    cart = chat.chat(None, "想买跑鞋")["session_id"]
    assert chat.chat(cart, "就要这个")["cart"]
    helped = chat.chat(None, "我的快递到哪了")["session_id"]
    hostile = '随便看看 <b id=injected>b</b><img src=x onerror="window.__xss=1">'
    browse = chat.chat(None, hostile)["session_id"]
    prefixes = [sid[:12] for sid in (cart, helped, browse)]
    # the queue refreshes itself (gr.Timer): the sessions made after the page loaded appear without a click
    page.wait_for_function("""([sel, ids]) => { const t = document.querySelector(sel).innerText;
                                                return ids.every(i => t.includes(i)); }""",
                           arg=["#staff-queue", prefixes], timeout=20_000)
    rows = queue_rows(page)
    headers = page.evaluate(HEADERS_JS, "#staff-queue")
    col = {h: headers.index(h) for h in ("#", "priority", "session", "cart", "¥", "last message", "help")}
    assert [r[col["#"]] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    by_id = {r[col["session"]]: r for r in rows}
    assert [i for i in (r[col["session"]] for r in rows) if i in prefixes] == prefixes
    assert "ready + cart" in by_id[prefixes[0]][col["priority"]] and by_id[prefixes[0]][col["cart"]] == "1"
    assert by_id[prefixes[0]][col["¥"]] == "299"  # the cart's value at catalog prices (S6)
    assert "asked for help" in by_id[prefixes[1]][col["priority"]]
    assert by_id[prefixes[1]][col["help"]] == "shipping"
    assert "browse" in by_id[prefixes[2]][col["priority"]]
    assert "<b id=injected>" in by_id[prefixes[2]][col["last message"]]  # a shopper's HTML is text, not run
    assert page.locator("#injected").count() == 0 and page.evaluate("window.__xss === undefined")
    screenshot(page, "staff-queue.png")
    # the reply writers: every reply here is the templates', so there is no fallback rate to show
    page.wait_for_function(f"() => ({ROWS_JS})('#staff-writers').length > 0")
    (writers,) = page.evaluate(ROWS_JS, "#staff-writers")
    assert writers[0] == "template" and int(writers[1]) == int(writers[4]) >= 4 and writers[5:] == ["–", "–"]
    assert not fits(page, "#staff-queue")["scrolls"]

    # step into the hand-off: select its row, read the conversation, take it over
    row = [r[col["session"]] for r in rows].index(prefixes[1])
    page.click(f"#staff-queue [data-testid='cell-{row}-{col['session']}']")
    page.wait_for_function("id => document.querySelector('#staff-queue-selected').innerText.includes(id)",
                           arg=helped)
    assert "我的快递到哪了" in page.inner_text("#staff-queue-turns")
    assert store.session(helped)["needs_help"] == 1
    page.click("#staff-take-over")
    page.wait_for_function("() => document.querySelector('#staff-take-status').innerText.includes('staff')")
    assert store.session(helped)["needs_help"] == 0
    page.wait_for_function(f"""() => {{ const rows = ({ROWS_JS})('#staff-queue');
        return rows.some(r => r[{col["session"]}] === '{prefixes[1]}'
                              && !r[{col["priority"]}].includes('asked for help')); }}""")
    # and open it in the Sessions tab, whose turn table shows the guide's action
    page.click("#staff-open-session")
    page.wait_for_function("id => document.querySelector('#staff-session-info')?.innerText.includes(id)",
                           arg=helped)
    turns = page.evaluate(ROWS_JS, "#staff-session-turns")
    headers = page.evaluate(HEADERS_JS, "#staff-session-turns")
    assert "action" in headers
    assert turns and turns[0][headers.index("action")] == "help"
    assert turns[0][headers.index("written by")] == "template"  # who wrote each reply (issue #17)
    screenshot(page, "staff-session.png")
    for sel in ("#staff-queue", "#staff-session-turns"):  # these tables fit the screen too
        table = fits(page, sel)
        assert not table["scrolls"] and max(table["edges"]) <= table["right"] <= WIDTH, table


def fits(page, sel: str) -> dict:
    """A table's header titles and right edges, the viewport width, and the parts of the table that scroll
    sideways (an element whose content is wider than it and that may scroll) or clip a header."""
    return page.evaluate("""sel => {
        const root = document.querySelector(sel);
        const ths = [...root.querySelectorAll('[role=columnheader]')];
        const scrolls = [...root.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1
            && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
        return {viewport: window.innerWidth, right: root.getBoundingClientRect().right,
                headers: ths.map(h => h.title), edges: ths.map(h => h.getBoundingClientRect().right),
                scrolls: scrolls.map(e => [e.className, e.scrollWidth, e.clientWidth]),
                clipped: ths.filter(h => h.scrollWidth > h.clientWidth + 1).map(h => h.title),
                heights: ths.map(h => h.querySelector('.header').getBoundingClientRect().height)};
    }""", sel)


def test_tester_tables_fit_a_1280px_screen(page, chat_server):
    page.click("button[role=tab]:has-text('Tester')")
    page.fill("#staff-tester-text textarea", "想买跑鞋，500以内")
    page.click("#staff-tester-run")
    for sel in ("#staff-tester-intent", "#staff-tester-baseline"):
        page.wait_for_function("sel => document.querySelector(sel).innerText.includes('S6')", arg=sel)
    for sel in ("#staff-tester-intent-parts", "#staff-tester-baseline-parts"):
        page.wait_for_function(f"sel => ({ROWS_JS})(sel).length > 0", arg=sel)
    screenshot(page, "staff-tester.png")
    for arm in ("intent", "baseline"):
        table = fits(page, f"#staff-tester-{arm}")
        assert table["headers"] == ["#", "id", "title", "brand", "price", "score"]
        assert not table["scrolls"], table  # no horizontal scrolling
        assert table["edges"][-1] <= table["right"] <= table["viewport"] == WIDTH, table  # score is on screen
        assert not table["clipped"] and max(table["heights"]) < 1.5 * min(table["heights"]), table  # one line
        parts = fits(page, f"#staff-tester-{arm}-parts")
        assert not parts["scrolls"] and max(parts["edges"]) <= parts["right"] <= WIDTH, parts
        assert "relevance" in parts["headers"] and not parts["clipped"], parts
        ranks = [r[0] for r in page.evaluate(ROWS_JS, f"#staff-tester-{arm}")]
        assert [r[0] for r in page.evaluate(ROWS_JS, f"#staff-tester-{arm}-parts")] == ranks  # one row each
    intent_parts = fits(page, "#staff-tester-intent-parts")["headers"]
    assert {"exact", "rating", "stock", "conversion", "bonus", "MMR penalty"} <= set(intent_parts)
    assert "MMR λ" in page.inner_text("#staff-tester-summary")


def test_staff_reply_reaches_the_shoppers_page_and_the_guide_holds_back(page, chat_server):
    """A shopper asks for a person on the shop page; staff select the session in the queue and reply; the reply
    appears on the shopper's page by itself (its poll), the guide holds back while staff have the chat (a
    decision adds nothing to the cart), and answers again once staff give the chat back."""
    chat, store = chat_server.services.chat, chat_server.services.store
    bots = "#sg-chatbot [data-testid='bot']"
    shop = page.context.browser.new_page()  # a second page of the same browser: the shopper
    try:
        shop.goto(chat_server.url)
        shop.wait_for_selector("#sg-message textarea")

        def say(text: str) -> str:
            before = shop.locator(bots).count()
            shop.fill("#sg-message textarea", text)
            shop.click("#sg-send")
            shop.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[bots, before])
            return shop.locator(bots).nth(before).inner_text()

        say("想买跑鞋")
        say("转人工")
        sid = store.query("SELECT session_id FROM messages WHERE text = '转人工' ORDER BY id DESC LIMIT 1", [])[0][
            "session_id"]
        page.click("button[role=tab]:has-text('Queue')")
        page.click("#staff-queue-refresh")
        page.wait_for_function("id => document.querySelector('#staff-queue').innerText.includes(id)", arg=sid[:12])
        headers = page.evaluate(HEADERS_JS, "#staff-queue")
        rows = queue_rows(page)
        row = [r[headers.index("session")] for r in rows].index(sid[:12])
        page.click(f"#staff-queue [data-testid='cell-{row}-{headers.index('session')}']")
        page.wait_for_function("id => document.querySelector('#staff-queue-selected').innerText.includes(id)", arg=sid)
        page.fill("#staff-reply-text textarea", "您好，我是客服小王，<b>42码</b>明天有货")
        page.click("#staff-reply-send")
        page.wait_for_function("() => document.querySelector('#staff-take-status').innerText.includes('replied')")
        assert "👤 您好，我是客服小王" in page.inner_text("#staff-queue-turns")
        assert store.session(sid)["taken_by"] == "staff" and store.session(sid)["needs_help"] == 0
        # the shopper's page shows it without a click, as text (the <b> is not markup)
        shop.wait_for_function("sel => [...document.querySelectorAll(sel)].some(b => b.innerText.includes("
                               "'客服 Staff：您好，我是客服小王'))", arg=bots, timeout=15_000)
        assert shop.locator("#sg-chatbot b", has_text="42码").count() == 0
        held = say("就要第一个")
        assert "客服已接手" in held and chat.cart(sid) == []
        # the page shows the conversation in stored order: the staff line, then the shopper's next message
        texts = shop.evaluate("() => [...document.querySelectorAll(\"#sg-chatbot [data-testid='user'], "
                              "#sg-chatbot [data-testid='bot']\")].map(b => b.innerText)")
        at = next(i for i, t in enumerate(texts) if "客服 Staff：您好" in t)
        assert "就要第一个" in texts[at + 1] and "客服已接手" in texts[at + 2], texts
        # the console shows the shopper's new message by itself, and the session waits at the top of the queue
        page.wait_for_function("() => document.querySelector('#staff-queue-turns').innerText.includes('就要第一个')",
                               timeout=15_000)
        page.wait_for_function("() => document.querySelector('#staff-queue').innerText.includes('等客服回复')",
                               timeout=15_000)
        page.click("#staff-give-back")
        page.wait_for_function("() => document.querySelector('#staff-take-status').innerText.includes('again')")
        assert store.session(sid)["taken_by"] is None
        again = say("就要第一个")
        assert "客服已接手" not in again and len(chat.cart(sid)) == 1
    finally:
        shop.close()
