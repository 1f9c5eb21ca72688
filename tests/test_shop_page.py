"""The shopper page's handlers (no browser): the like button records feedback through ``ChatService.feedback``."""

from __future__ import annotations

import gradio as gr
import pytest

from chatbot.errors import InputError
from chatbot.web.server import build_app
from chatbot.web.shop import record_like


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
