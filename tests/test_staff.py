"""Staff console helpers: the tester, the session browser, staff marks, and who may reach the console."""

from __future__ import annotations

import logging

import pytest

from chatbot.errors import InputError
from chatbot.settings import Settings
from chatbot.web import staff
from chatbot.web.server import create_server_app, staff_access


def test_tester_shows_both_recommenders_with_parts(chat_services):
    out = staff.tester(chat_services, "想买跑鞋，500以内")
    assert out["intent"] == pytest.approx(0.9)
    assert out["filters"] == {"max_price": 500.0, "category": "shoes", "subtypes": ["跑步鞋"]}
    for arm in ("intent", "baseline"):
        rows = out["results"][arm]
        assert rows and all(r["price"] <= 500 for r in rows)
        assert all("relevance" in r["parts"] for r in rows)
        parsed = chat_services.parser("想买跑鞋，500以内", None, [])
        expected = chat_services.engine.recommenders[arm].recommend(
            "想买跑鞋，500以内", filters=parsed.filters, intent=out["intent"], k=4,
            stages=out["stage_probs"] if arm == "intent" else None)
        assert [r["id"] for r in rows] == expected.ids
    assert "intent_bonus" in out["results"]["intent"][0]["parts"]
    assert not chat_services.store.sessions()  # the tester stores nothing


def test_tester_score_parts_table(chat_services):
    out = staff.tester(chat_services, "想买跑鞋，500以内")
    for arm in staff.ARMS:
        rows = staff.parts_rows(out["results"][arm], arm)
        assert [(r["#"], r["id"]) for r in rows] == [(r["rank"], r["id"]) for r in out["results"][arm]]
        assert list(rows[0])[2:] == [label for label, _ in staff.PART_COLUMNS[arm]]
    intent = out["results"]["intent"]
    for row, result in zip(staff.parts_rows(intent, "intent"), intent, strict=True):
        # the stage-weighted terms shown add up to the bonus over relevance (the rerank formula)
        terms = ("exact", "rating", "stock", "conversion")
        assert sum(row[t] for t in terms) == pytest.approx(row["bonus"], abs=0.003)
        assert result["parts"]["rerank_score"] == pytest.approx(result["parts"]["relevance"]
                                                                + result["parts"]["intent_bonus"], abs=1e-3)
    assert staff.parts_rows(out["results"]["baseline"], "baseline")[0]["vector #"] == 1
    # the stage weights shared by the intent arm's items, once per query; the baseline has none
    assert out["weights"]["intent"] == "P browse 0.03 · consider 0.10 · ready 0.85 · MMR λ 0.99"
    assert out["weights"]["baseline"] == ""


def _queue_sessions(chat) -> dict[str, str]:
    """Five sessions made oldest first, so that recency alone would list them in the reverse order."""
    cart = chat.chat(None, "想买跑鞋")["session_id"]
    reply = chat.chat(cart, "就要这个")  # the fake model says ready; the guide puts the shoe in the cart
    assert reply["session_stage"] == "ready" and [c["quantity"] for c in reply["cart"]] == [1]
    helped = chat.chat(None, "我的快递到哪了")
    assert helped["handoff"]
    consider = chat.chat(None, "降噪耳机")["session_id"]
    browse_old = chat.chat(None, "随便看看")["session_id"]
    browse_new = chat.chat(None, "逛逛")["session_id"]
    return {"cart": cart, "help": helped["session_id"], "consider": consider, "browse_new": browse_new,
            "browse_old": browse_old}


def test_queue_rows_most_urgent_first(chat_services):
    chat = chat_services.chat
    ids = _queue_sessions(chat)
    rows = staff.queue_rows(chat_services.store, chat.catalog)
    assert [r["session_id"] for r in rows] == [ids[k] for k in ("cart", "help", "consider", "browse_new",
                                                                "browse_old")]
    assert [r["priority"] for r in rows] == [0, 1, 3, 5, 5]
    assert [r["label"] for r in rows] == [staff.QUEUE_LABELS[k] for k in ("cart", "help", "consider", "browse",
                                                                          "browse")]
    cart, helped, consider = rows[0], rows[1], rows[2]
    line = chat.cart(ids["cart"])[0]
    assert (cart["cart_items"], cart["cart_value"]) == (1, chat.catalog[line["product_id"]].price)
    assert cart["stage"].startswith("ready 0.") and cart["last_message"] == "就要这个" and cart["help_topic"] == ""
    assert (helped["help_topic"], helped["cart_items"], helped["cart_value"]) == ("shipping", 0, 0.0)
    assert helped["last_message"] == "我的快递到哪了" and helped["stage"].startswith("consider")
    assert consider["stage"].startswith("consider 0.") and consider["arm"] in staff.ARMS
    assert len(cart["last_active"]) == 14 and cart["last_active"][5] == " "  # 'MM-DD HH:MM:SS' (UTC)
    assert staff.queue_rows(chat_services.store, chat.catalog, limit=2) == rows[:2]
    # a new message puts a session first among its stage, cut for the table; a bought cart leaves the top
    chat.chat(ids["browse_old"], "看看" * 40)
    moved = staff.queue_rows(chat_services.store)[3]
    assert moved["session_id"] == ids["browse_old"] and moved["last_message"] == "看看" * 20 + "…"
    chat.checkout(ids["cart"])
    assert staff.queue_rows(chat_services.store, chat.catalog)[0]["session_id"] == ids["help"]


def test_take_over_clears_the_hand_off_and_logs_who(chat_services, caplog):
    chat, store = chat_services.chat, chat_services.store
    ids = _queue_sessions(chat)
    with caplog.at_level(logging.INFO, logger="chatbot.service.chat"):
        session = chat.take_over(ids["help"], "amy")
    assert not session["needs_help"] and not store.session(ids["help"])["needs_help"]
    assert session["taken_by"] == "amy" and session["taken_at"]
    assert any(ids["help"] in r.getMessage() and "amy" in r.getMessage() and "shipping" in r.getMessage()
               for r in caplog.records)
    rows = staff.queue_rows(store, chat.catalog)
    helped = next(r for r in rows if r["session_id"] == ids["help"])
    assert helped["priority"] == 3 and helped["help_topic"] == "" and helped["label"] == staff.QUEUE_LABELS["consider"]
    assert [r["session_id"] for r in rows][:2] == [ids["cart"], ids["consider"]]  # then by stage, recency
    with pytest.raises(InputError):
        chat.take_over("no-such-session", "amy")


def test_tester_no_match_and_empty(chat_services):
    out = staff.tester(chat_services, "100元以内的手机")
    assert out["no_match"] == {"intent": True, "baseline": True}
    # the recommenders' structured hint, worded by the same function as the shopper's reply
    assert out["hint"] == {"intent": "预算提高到 ¥1299 起就有 4 件可选", "baseline": "预算提高到 ¥1299 起就有 4 件可选"}
    assert staff.tester(chat_services, "phones under 100 yuan")["hint"]["baseline"] == (
        "raise the budget to ¥1299 to see 4 products")
    empty = staff.tester(chat_services, "  ")
    assert empty["intent"] is None and empty["results"] == {"intent": [], "baseline": []}


def test_session_view_and_marks(chat_services):
    chat = chat_services.chat
    first = chat.chat(None, "随便看看")
    sid = first["session_id"]
    out = chat.chat(sid, "降噪耳机")
    chat.event(sid, out["products"][0]["id"], "add_to_cart")
    view = staff.session_view(chat_services.store, sid, chat.catalog)
    assert [t["message"] for t in view["turns"]] == ["随便看看", "降噪耳机"]
    # what the guide did each turn: the intent arm shows a browsing shopper a selection, the baseline asks
    assert [t["action"] for t in view["turns"]] == [
        "recommend" if first["arm"] == "intent" else "clarify", "recommend"]
    assert view["turns"][1]["recommended"].startswith("1. " + out["products"][0]["id"])
    assert [(s["turn"], s["series"]) for s in view["series"]][:2] == [(1, "message P(buy)"), (1, "session P(buy)")]
    assert [e["type"] for e in view["events"]].count("add_to_cart") == 1
    choices = staff.recommendation_choices(chat_services.store, sid, chat.catalog)
    assert len(choices) == len(first["products"]) + len(out["products"])  # the browsing shopper saw a selection
    label, rec_id = choices[len(first["products"])]
    assert out["products"][0]["id"] in label
    staff.mark(chat_services.store, sid, rec_id, False, staff_user="amy", note="wrong size")
    fb = staff.session_view(chat_services.store, sid)["feedback"]
    assert fb[-1]["source"] == "staff" and fb[-1]["rating"] == -1 and fb[-1]["staff_user"] == "amy"
    assert fb[-1]["product_id"] == out["products"][0]["id"]
    with pytest.raises(InputError):
        staff.mark(chat_services.store, "other-session", rec_id, True)
    with pytest.raises(InputError):
        staff.session_view(chat_services.store, "missing")
    labels = dict((v, k) for k, v in staff.session_choices(chat_services.store))
    assert sid in labels and "2 msgs" in labels[sid]


def test_ab_panel(chat_services):
    md, _fig = staff.ab_panel(chat_services.store, chat_services.settings)
    assert "A/B" in md


@pytest.mark.parametrize("password,host,served,auth", [
    ("pw", "0.0.0.0", True, [("staff", "pw")]),
    ("pw", "127.0.0.1", True, [("staff", "pw")]),
    (None, "127.0.0.1", True, None),
    (None, "localhost", True, None),
    (None, "0.0.0.0", False, None),
    (None, "192.168.1.5", False, None),
])
def test_staff_access_rules(tmp_path, password, host, served, auth):
    assert staff_access(Settings(home=tmp_path, staff_password=password), host) == (served, auth)


def test_console_refused_on_a_public_interface_without_password(chat_services, tmp_path):
    from starlette.testclient import TestClient

    services = type(chat_services)(Settings(home=tmp_path), intent_model=chat_services.intent_model,
                                   engine=chat_services.engine, store=chat_services.store)
    app = create_server_app(services, host="0.0.0.0")
    client = TestClient(app)  # no lifespan: only plain routes are exercised
    for path in ("/staff", "/staff/", "/staff/config", "/staff/gradio_api/info"):
        resp = client.get(path)
        assert resp.status_code == 403 and "SHOPGUIDE_STAFF_PASSWORD" in resp.text


def test_staff_blocks_build(chat_services):
    import gradio as gr

    from chatbot.web.server import build_staff_app

    blocks = build_staff_app(chat_services)
    assert blocks.title == "导购 Staff console"
    tabs = [b.label for b in blocks.blocks.values() if isinstance(b, gr.Tab)]
    assert tabs[0] == "队列 Queue" and "测试 Tester" in tabs  # the queue is what staff see first
    timers = [b for b in blocks.blocks.values() if isinstance(b, gr.Timer)]
    assert len(timers) == 1 and 1 <= timers[0].value <= 10  # refreshed live, every few seconds
