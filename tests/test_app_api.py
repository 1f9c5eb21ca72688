"""The live app: ``/chat`` and ``/event`` through ``gradio_client``, the staff login, and HTML escaping."""

from __future__ import annotations

import httpx
import pytest

from chatbot.web.shop import card_html, cart_html, chat_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(chat_server):
    from gradio_client import Client

    c = Client(chat_server.url, verbose=False)
    yield c
    c.close()


def test_api_lists_chat_and_event(client):
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/chat", "/event"} <= set(endpoints)
    assert [p["parameter_name"] for p in endpoints["/chat"]["parameters"]] == ["message", "session_id"]
    assert [p["parameter_name"] for p in endpoints["/event"]["parameters"]] == [
        "session_id", "product_id", "event_type"]


def test_chat_and_event_round_trip(client, chat_server):
    out = client.predict("想买跑鞋，1000以内", "", api_name="/chat")
    assert isinstance(out, dict) and out["kind"] == "recommend" and out["session_id"]
    assert {"session_id", "reply", "lang", "kind", "arm", "intent", "stage", "stage_probs", "session_stage",
            "session_probs", "session_intent", "filters", "products"} <= set(out)
    assert out["stage"] in ("browse", "consider", "ready", "service")
    assert sum(out["stage_probs"].values()) == pytest.approx(1.0, abs=1e-5)
    sid = out["session_id"]
    nxt = client.predict("要李宁的", sid, api_name="/chat")  # the session's filters go on: the budget stays
    assert nxt["session_id"] == sid and nxt["filters"]["max_price"] == 1000 and nxt["filters"]["brands"] == ["李宁"]
    pid = out["products"][0]["id"]
    ev = client.predict(sid, pid, "add_to_cart", api_name="/event")
    assert ev["ok"] is True and ev["price"] == out["products"][0]["price"]
    bad = client.predict(sid, pid, "steal", api_name="/event")
    assert bad["ok"] is False and "unknown event type" in bad["error"]
    store = chat_server.services.store
    assert store.session(sid)["source"] == "api"
    assert [e["product_id"] for e in store.events(sid, "add_to_cart")] == [pid]
    assert [m["text"] for m in store.messages(sid) if m["role"] == "user"] == ["想买跑鞋，1000以内", "要李宁的"]


def test_api_english_and_odd_input(client):
    out = client.predict("noise cancelling earbuds under $200", "", api_name="/chat")
    assert out["lang"] == "en" and all(p["price"] <= 1440 for p in out["products"])
    assert client.predict("   ", "", api_name="/chat")["kind"] == "invalid"
    hostile = "<script>alert(1)</script>" * 10
    out = client.predict(hostile, "", api_name="/chat")
    assert out["kind"] in ("clarify", "recommend", "no_match", "invalid")


def test_shopper_page_is_public_and_staff_needs_login(chat_server):
    with httpx.Client(base_url=chat_server.url, timeout=30) as http:
        assert http.get("/").status_code == 200
        assert http.get("/config").status_code == 200
        for path in ("staff/config", "staff/gradio_api/info"):
            assert http.get(path).status_code == 401, path
        join = http.post("staff/gradio_api/queue/join", json={"data": ["x"], "fn_index": 0, "session_hash": "h"})
        assert join.status_code == 401
        resp = http.post("staff/login", data={"username": "staff", "password": "wrong"})
        assert resp.status_code >= 400
        assert http.get("staff/config").status_code == 401
        resp = http.post("staff/login", data={"username": "staff", "password": "s3cret"})
        assert resp.status_code == 200, resp.text
        assert http.get("staff/config").status_code == 200


def test_chat_text_escapes_html_and_markdown():
    shown = chat_text("<img src=x onerror=alert(1)> ![t](http://e/x.png) [a](javascript:x) **b**")
    assert "<" not in shown and ">" not in shown
    assert "![t](" not in shown and "[a](" not in shown and "**" not in shown
    assert chat_text("a" * 10_000).endswith("…")


def test_cards_and_cart_escape_catalog_text():
    product = {"id": "X1\"><script>", "title": "<script>alert('x')</script>", "brand": "<b>", "price": 59.0,
               "stock": 0, "rating": 4.0, "reason": "<i>r</i>"}
    html = card_html(product, 0)
    assert "<script>" not in html and "<i>" not in html
    assert 'data-product-id="X1&quot;&gt;&lt;script&gt;"' in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html and "缺货" in html  # cards speak the reply language
    assert "sold out" in card_html(product, 0, "en") and "<script>" not in card_html(product, 0, "en")
    cart = cart_html([{"product_id": "<x>", "quantity": 2, "title_zh": "<b>t</b>", "title_en": "&", "price": 1.5}])
    assert "<b>t</b>" not in cart and "&lt;b&gt;" in cart and "¥3" in cart


def test_serve_warms_up_then_prints_the_url(monkeypatch, capsys, chat_settings, chat_intent_model, chat_engine):
    """``serve`` (what ``python app.py`` runs): warm-up first, then listen and print the local URL."""
    import chatbot.web.server as app_module
    from chatbot.web.server import _free_port

    calls: list[str] = []
    real_services = app_module.Services

    class Recording(real_services):
        def __init__(self, settings):
            super().__init__(settings, intent_model=chat_intent_model, engine=chat_engine)

        def warm_up(self, progress=True):
            calls.append("warm_up")
            return super().warm_up(progress=False)

    real_start = app_module.start

    def start(services, **kw):
        calls.append("start")
        handle = real_start(services, **kw)
        assert httpx.get(handle.url, timeout=30).status_code == 200
        return handle

    monkeypatch.setattr(app_module, "Services", Recording)
    monkeypatch.setattr(app_module, "start", start)
    monkeypatch.setattr(app_module.ServerHandle, "wait", lambda self: self.close())
    port = _free_port("127.0.0.1")
    app_module.serve(chat_settings.with_(port=port))
    assert calls == ["warm_up", "start"]
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}/" in out and "/staff/" in out
