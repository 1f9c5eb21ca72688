"""Staff console helpers: the tester, the session browser, staff marks, and who may reach the console."""

from __future__ import annotations

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
    from chatbot.web.server import build_staff_app

    blocks = build_staff_app(chat_services)
    assert blocks.title == "导购 Staff console"
