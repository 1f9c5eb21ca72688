"""LLM-written replies on the web: streamed into the shopper page, checked, and reported on the staff console.

Real components throughout: a local OpenAI-compatible HTTP server (:mod:`llm_fake_server`) streams a scripted
reply in sentence-sized pieces with a pause between them; the app's own ``OpenAIWriter``, verifier and grounded
replier run on it through ``Services(Settings(reply_writer="openai", ...))`` over the tests' small catalog. The
script writes its reply from the FACTS of the request (the products the template lists, with their catalog
prices), so it never has to guess the recommendation; a "wrong" script misquotes one price.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from conftest_chatbot import STAFF_PASSWORD, chromium_page, start_test_server
from llm_fake_server import FakeOpenAIServer, Reply

from chatbot.conversation.templates import fmt_money
from chatbot.service.wiring import Services
from chatbot.settings import Settings
from chatbot.web import staff

CHUNK_DELAY = 0.3  # seconds between the streamed sentences
WRONG_PRICE = 123.0  # no product of the tests' catalog costs this
ASK = "想买跑鞋，500以内"


def prompt_parts(request: dict) -> tuple[dict, str]:
    """(FACTS as a dict, TEMPLATE REPLY) of a chat-completions request made by ``chatbot.llm.prompt``."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    facts = user.split("FACTS:\n", 1)[1].split("\n\nTEMPLATE REPLY:\n", 1)[0]
    template = user.split("\n\nTEMPLATE REPLY:\n", 1)[1].split("\n\n<shopper_message>", 1)[0]
    return json.loads(facts), template


class Script:
    """Writes each reply from its request's facts, one sentence per streamed piece; remembers what it wrote.

    ``wrong``: the last product listed gets :data:`WRONG_PRICE` (so with two products the first sentence is
    right and may be shown, the second is not). A turn without products gets its template back.
    """

    def __init__(self) -> None:
        self.wrong = False
        self.written: list[str] = []
        self.templates: list[str] = []
        self._lock = threading.Lock()

    def sentences(self, request: dict) -> list[str]:
        facts, template = prompt_parts(request)
        products = facts["products"]
        if not products:
            return [template]
        prices = [p["price"] for p in products]
        if self.wrong:
            prices[-1] = WRONG_PRICE
        first, *rest = products
        out = [f"为您找到{len(products)}款：{first['title']}，{fmt_money(prices[0])}。"]
        out += [f"{p['title']}，{fmt_money(price)}。" for p, price in zip(rest, prices[1:], strict=True)]
        return [*out, "看中了可以直接加入购物车。"]

    def __call__(self, request: dict) -> Reply:
        pieces = self.sentences(request)
        with self._lock:
            self.written.append("".join(pieces))
            self.templates.append(prompt_parts(request)[1])
        return Reply(text="".join(pieces), chunks=pieces, chunk_delay=CHUNK_DELAY)


@pytest.fixture(scope="module")
def fake_llm():
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def script(fake_llm) -> Script:
    script = Script()
    fake_llm.script(script)
    return script


def llm_settings(home, fake_llm, **kw) -> Settings:
    return Settings(home=home, reply_writer="openai", llm_url=fake_llm.url, llm_model="fake", llm_timeout=10.0,
                    staff_password=STAFF_PASSWORD, **kw)


@pytest.fixture
def llm_services(tmp_path, fake_llm, chat_intent_model, chat_engine) -> Services:
    return Services(llm_settings(tmp_path, fake_llm), intent_model=chat_intent_model, engine=chat_engine)


def timed_events(chat, session_id, text):
    """The events of one chat_stream turn with the time each arrived."""
    started = time.monotonic()
    return [(kind, value, time.monotonic() - started)
            for kind, value in chat.chat_stream(session_id, text, source="web")]


def reply_row(store, session_id: str) -> dict:
    return [m for m in store.messages(session_id) if m["role"] == "assistant"][-1]


# --- the chat service's stream ---------------------------------------------------------------------------
def test_a_written_reply_streams_sentence_by_sentence(llm_services, script, fake_llm):
    events = timed_events(llm_services.chat, None, ASK)
    partials = [(v, t) for k, v, t in events if k == "partial"]
    kinds = [k for k, _, _ in events]
    assert kinds[-1] == "done" and "replace" not in kinds
    out = events[-1][1]
    assert out["kind"] == "recommend" and len(out["products"]) >= 2
    assert out["reply"] == script.written[-1] and script.written[-1] != script.templates[-1]
    texts = [v for v, _ in partials]
    assert len(texts) >= 3 and texts[-1] == out["reply"]
    for shorter, longer in zip(texts, texts[1:], strict=False):  # each partial grows the one before
        assert longer.startswith(shorter) and len(longer) > len(shorter)
    assert partials[-1][1] - partials[0][1] >= 1.5 * CHUNK_DELAY  # handed on as written, not all at the end
    assert out["writer"]["writer"] == "openai:fake" and out["writer"]["verdict"] == "ok"
    assert out["writer"]["reason"] == "" and out["writer"]["seconds"] >= 2 * CHUNK_DELAY * 0.9
    row = reply_row(llm_services.store, out["session_id"])
    assert row["text"] == out["reply"] and row["id"] == out["message_id"]
    assert (row["writer"], row["writer_verdict"], row["writer_reason"]) == ("openai:fake", "ok", None)
    # the writer was asked with the facts of this turn: the products on the cards, at catalog prices
    facts, _ = prompt_parts(fake_llm.completions[-1])
    assert [p["title"] for p in facts["products"]] == [p["title"] for p in out["products"]]
    catalog = llm_services.chat.catalog
    assert [p["price"] for p in facts["products"]] == [catalog[p["id"]].price for p in out["products"]]


def test_a_wrong_price_is_never_shown_and_the_template_replaces_it(llm_services, script):
    script.wrong = True
    events = timed_events(llm_services.chat, None, ASK)
    kinds = [k for k, _, _ in events]
    out = events[-1][1]
    wrong = fmt_money(WRONG_PRICE)
    assert wrong in script.written[-1]  # the writer did write it ...
    partials = [v for k, v, _ in events if k == "partial"]
    assert partials and all(wrong not in p for p in partials)  # ... the checked first sentence was shown, not it
    assert kinds[-2:] == ["replace", "done"] and events[-2][1] == script.templates[-1]
    assert out["reply"] == script.templates[-1] and wrong not in out["reply"]
    assert out["writer"]["verdict"] == "fallback" and "123" in out["writer"]["reason"]
    row = reply_row(llm_services.store, out["session_id"])
    assert row["text"] == out["reply"]
    assert (row["writer"], row["writer_verdict"]) == ("openai:fake", "fallback")
    assert row["writer_reason"] == out["writer"]["reason"]


@pytest.mark.parametrize(("reply", "why"), [
    (Reply(text="为您推荐华为 Mate 60 Pro，今天下单立减200元。"), "华为"),      # an invented product (and a discount)
    (Reply(text="好的。", delay=3.0), "timed out"),                          # slower than the deadline
    (Reply(status=500), "500"),                                              # the server fails
    (Reply(raw="data: {oops\n\n"), "malformed"),                          # a broken answer
])
def test_every_bad_answer_of_a_real_server_gives_the_template(tmp_path, fake_llm, chat_intent_model, chat_engine,
                                                              reply, why):
    services = Services(llm_settings(tmp_path, fake_llm).with_(llm_timeout=1.0), intent_model=chat_intent_model,
                        engine=chat_engine)
    fake_llm.script(reply)
    started = time.monotonic()
    events = timed_events(services.chat, None, ASK)
    out = events[-1][1]
    assert time.monotonic() - started < 2.5
    assert not [v for k, v, _ in events if k == "partial"]  # nothing of it was shown
    assert out["writer"]["verdict"] == "fallback" and why in out["writer"]["reason"]
    assert out["reply"] == reply_row(services.store, out["session_id"])["text"]
    assert "华为" not in out["reply"] and "立减" not in out["reply"] and out["products"]


def test_the_template_writer_streams_nothing(chat_services):
    events = list(chat_services.chat.chat_stream(None, ASK))
    assert [k for k, _ in events] == ["done"]
    assert events[0][1]["writer"] == {"writer": "template", "verdict": "template", "reason": "", "seconds": 0.0}


# --- the shopper page's handlers (no browser) ------------------------------------------------------------
def page_fns(services: Services) -> tuple[dict, dict]:
    from chatbot.web.server import build_app

    demo = build_app(services)
    fns = {f.name: f.fn for f in demo.fns.values()}
    by_id = {b.elem_id: b for b in demo.blocks.values() if getattr(b, "elem_id", None)}
    return fns, by_id


def test_the_send_handler_streams_only_with_an_llm_writer(llm_services, chat_services):
    assert "on_send" in page_fns(chat_services)[0] and "on_send_stream" not in page_fns(chat_services)[0]
    fns, by_id = page_fns(llm_services)
    assert "on_send_stream" in fns and "on_send" not in fns


def test_the_page_streams_checked_text_then_the_turn(llm_services, script):
    from chatbot.web.shop import cart_html, chat_text

    fns, by_id = page_fns(llm_services)
    bot = by_id["sg-chatbot"]
    updates = list(fns["on_send_stream"](ASK, [], "", [], {}, False, None))
    first, *streamed, final = updates
    # the shopper's bubble at once (before the writer has written a word), its id slot kept parallel
    assert first[bot] == [{"role": "user", "content": chat_text(ASK)}]
    ids_state = next(v for k, v in first.items() if k is not bot and isinstance(v, list))
    assert ids_state == [None]
    # then only the bubble changes, growing by checked sentences, escaped like any bubble
    assert streamed and all(set(u) == {bot} for u in streamed)
    texts = [u[bot][-1]["content"] for u in streamed]
    assert len(texts) >= 3 and all(u[bot][0] == first[bot][0] for u in streamed)
    assert texts[-1] == chat_text(script.written[-1])
    # the finished turn: the same update as the template page's (cards, cart, session), the written text
    out = final
    assert out[bot][-1] == {"role": "assistant", "content": chat_text(script.written[-1])}
    sid = out[by_id["sg-session-id"]]
    reply = reply_row(llm_services.store, sid)
    assert reply["writer_verdict"] == "ok" and reply["text"] == script.written[-1]
    shown = next(v for v in out.values() if isinstance(v, dict) and "products" in v)
    assert [p["id"] for p in shown["products"]] == [r["product_id"] for r in
                                                  llm_services.store.last_recommendations(sid)]
    assert out[by_id["sg-cart"]] == cart_html([])
    # the /chat API of the same page answers the final dict in one piece
    api = fns["chat"](ASK, sid)
    assert api["session_id"] == sid and api["writer"]["verdict"] == "ok" and api["reply"] == script.written[-1]


def test_the_page_shows_the_template_instead_of_a_wrong_price(llm_services, script):
    from chatbot.web.shop import chat_text

    script.wrong = True
    fns, by_id = page_fns(llm_services)
    bot = by_id["sg-chatbot"]
    updates = list(fns["on_send_stream"](ASK, [], "", [], {}, False, None))
    shown = [u[bot][-1]["content"] for u in updates[1:]]
    wrong = fmt_money(WRONG_PRICE)
    assert all(wrong not in t and chat_text(wrong) not in t for t in shown)
    assert shown[-1] == chat_text(script.templates[-1]) and len(shown) >= 3  # a checked sentence, then the swap


def test_an_empty_message_streams_nothing(llm_services):
    import gradio as gr

    fns, _ = page_fns(llm_services)
    with pytest.warns(UserWarning, match="Please type a message"):
        assert list(fns["on_send_stream"]("  ", [], "", [], {}, False, None)) == [gr.skip()]
    assert llm_services.store.sessions() == []


# --- the staff console -----------------------------------------------------------------------------------
def test_the_staff_console_shows_each_writer_and_the_fallback_rate(llm_services, script):
    from statsmodels.stats.proportion import proportion_confint

    from chatbot.web.server import build_staff_app

    chat, store = llm_services.chat, llm_services.store
    good = [chat.chat(None, ASK)["session_id"] for _ in range(3)]
    script.wrong = True
    bad = chat.chat(None, ASK)
    assert bad["writer"]["verdict"] == "fallback"

    rows = staff.writer_rows(store)
    low, high = proportion_confint(1, 4, alpha=0.05, method="wilson")
    assert rows == [{"writer": "openai:fake", "replies": 4, "ok": 3, "fallback": 1, "template": 0,
                     "fallback_rate": 0.25, "ci_low": pytest.approx(low), "ci_high": pytest.approx(high)}]
    assert 0.0 < rows[0]["ci_low"] < 0.25 < rows[0]["ci_high"] < 1.0
    assert json.loads(json.dumps(rows))[0]["fallback"] == 1  # JSON-ready

    # each reply of a conversation says who wrote it and the verdict, with the reason of a fallback
    turn = staff.session_view(store, bad["session_id"], chat.catalog)["turns"][0]
    assert (turn["writer"], turn["verdict"]) == ("openai:fake", "fallback")
    assert turn["writer_reason"] == bad["writer"]["reason"] and "123" in turn["writer_reason"]
    assert turn["written"] == f"openai:fake · fallback: {bad['writer']['reason']}"
    assert staff.session_view(store, good[0])["turns"][0]["written"] == "openai:fake · ok"

    # the console's own handlers: the writers table and the session's turn table
    console = build_staff_app(llm_services)
    fns = {f.name: f.fn for f in console.fns.values()}
    table = fns["tick_writers"]()
    assert table.to_dict("records") == [{
        "writer": "openai:fake", "replies": 4, "ok": 3, "fallback": 1, "template": 0, "fallback rate": "25.0%",
        "95% CI (Wilson)": f"{100 * low:.1f}% – {100 * high:.1f}%"}]
    turns = fns["show_session"](bad["session_id"])[2]
    assert turns["written by"].tolist() == [turn["written"]]
    assert turns["reply"].tolist()[0].startswith(script.templates[-1][:20])


def test_writer_stats_counts_old_replies_as_the_templates_and_filters_by_time(chat_store):
    from datetime import datetime, timedelta, timezone

    store = chat_store
    store.ensure_session("s1", arm="intent")
    for writer, verdict, reason in ((None, None, None), ("template", "template", None), ("openai:m", "ok", None),
                                    ("openai:m", "fallback", "price ¥1 not in the facts"),
                                    ("openai:m", "fallback", "timed out after 8 s")):
        store.add_user_message("s1", "想买跑鞋")
        store.add_assistant_message("s1", "为您找到…", writer=writer, writer_verdict=verdict, writer_reason=reason)
    stats = store.writer_stats()
    assert stats == [{"writer": "openai:m", "replies": 3, "ok": 1, "fallback": 2, "template": 0},
                     {"writer": "template", "replies": 2, "ok": 0, "fallback": 0, "template": 2}]
    rows = {r["writer"]: r for r in staff.writer_rows(store)}
    assert rows["openai:m"]["fallback_rate"] == pytest.approx(2 / 3)
    assert rows["template"]["fallback_rate"] is None and rows["template"]["ci_low"] is None
    later = datetime.now(timezone.utc) + timedelta(seconds=1)
    assert store.writer_stats(since=later) == [] and store.writer_stats(since=later.isoformat()) == []
    assert store.writer_stats(since=later.replace(tzinfo=None) - timedelta(hours=1)) == stats
    assert [m["writer"] for m in store.messages("s1") if m["role"] == "user"] == [None] * 5  # replies only


# --- a real browser on the live app ----------------------------------------------------------------------
LAST_BOT = """() => { const b = document.querySelectorAll("#sg-chatbot [data-testid='bot'] .message-content");
                      return [b.length, b.length ? b[b.length - 1].innerText : ""]; }"""
ROWS_JS = """sel => { const rows = [];
    document.querySelectorAll(sel + ' [role=gridcell][data-row]').forEach(c => {
        (rows[+c.dataset.row] ||= [])[+c.dataset.col] = c.innerText.trim(); });
    return rows.filter(Boolean); }"""


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory, fake_llm, chat_intent_model, chat_engine):
    """The whole app (shopper page and staff console) on a free port, its replies written by the fake LLM."""
    settings = llm_settings(tmp_path_factory.mktemp("llm_home"), fake_llm, concurrency_limit=4)
    server = start_test_server(Services(settings, intent_model=chat_intent_model, engine=chat_engine))
    yield server
    server.close()


def watch_reply(page, text: str, script: Script, *, timeout: float = 30.0) -> list[str]:
    """Send ``text`` and read the last bot bubble every 50 ms until the turn is done (the cards drawn and the
    bubble shows what was stored); the distinct non-empty texts it showed, in order."""
    before = page.evaluate(LAST_BOT)[0]
    asked = len(script.written)
    page.fill("#sg-message textarea", text)
    page.click("#sg-send")
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count, last = page.evaluate(LAST_BOT)
        if count > before and last.strip() and (not seen or seen[-1] != last):
            seen.append(last)
        done = len(script.written) > asked and page.locator("#sg-card-0 .sg-card-body").count()
        if done and seen and seen[-1] in (script.written[-1], script.templates[-1]):
            break
        time.sleep(0.05)
    return seen


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_shows_the_reply_as_it_is_written_and_never_a_wrong_price(llm_server, script):
    store = llm_server.services.store
    with chromium_page(llm_server.url) as page:
        page.wait_for_selector("#sg-message textarea")
        seen = watch_reply(page, ASK, script)
        final = script.written[-1]
        assert seen and seen[-1] == final, seen
        partials = seen[:-1]
        assert len(partials) >= 2, seen  # streamed: at least two growing texts before the final one
        for shorter, longer in zip(seen, seen[1:], strict=False):
            assert longer.startswith(shorter), seen
        assert page.locator("#sg-chatbot [data-testid='user']").last.inner_text() == ASK

        page.reload()  # a new session
        page.wait_for_selector("#sg-message textarea")
        script.wrong = True
        seen = watch_reply(page, ASK, script)
        wrong = fmt_money(WRONG_PRICE)
        assert wrong in script.written[-1] and seen and seen[-1] == script.templates[-1], seen
        assert all(wrong not in text for text in seen), seen
        page_sessions = [r["id"] for r in store.query("SELECT id FROM sessions WHERE source = 'web' ORDER BY created")]
        replies = store.query("SELECT writer, writer_verdict FROM messages WHERE role = 'assistant' AND session_id"
                              f" IN ({', '.join('?' * len(page_sessions))}) ORDER BY id", page_sessions)
        assert replies == [{"writer": "openai:fake", "writer_verdict": "ok"},
                           {"writer": "openai:fake", "writer_verdict": "fallback"}]

        # the staff console: the writers table counts these replies (and any the API test made)
        (stats,) = store.writer_stats()
        page.goto(llm_server.staff_url)
        page.fill("input[type=text]", "staff")
        page.fill("input[type=password]", STAFF_PASSWORD)
        page.click("button:has-text('Login')")
        page.wait_for_function(f"() => ({ROWS_JS})('#staff-writers').length > 0", timeout=20_000)
        rows = page.evaluate(ROWS_JS, "#staff-writers")
        rate = f"{100 * stats['fallback'] / stats['replies']:.1f}%"
        assert stats["fallback"] == 1 and stats["ok"] >= 1
        assert [r[:6] for r in rows] == [["openai:fake", str(stats["replies"]), str(stats["ok"]), "1", "0", rate]], rows
        assert "%" in rows[0][6] and "–" in rows[0][6]


@pytest.mark.slow
def test_the_chat_api_answers_the_final_reply_in_one_piece(llm_server, script):
    from gradio_client import Client

    client = Client(llm_server.url, verbose=False)
    try:
        out = client.predict(ASK, "", api_name="/chat")
    finally:
        client.close()
    assert out["reply"] == script.written[-1] and out["writer"]["verdict"] == "ok"
    assert out["writer"]["writer"] == "openai:fake" and out["products"]
