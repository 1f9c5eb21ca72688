"""The placebo arm: the intent arm's code on the model's stage distribution with its labels shuffled."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from scipy import stats

from chatbot.experiment.placebo import permutation, shuffled
from chatbot.service import chat as chat_module
from chatbot.service.chat import ChatService

STAGES = ("browse", "consider", "ready", "service")
P = {"browse": 0.05, "consider": 0.15, "ready": 0.7, "service": 0.1}


def test_shuffled_keeps_the_values_and_is_deterministic():
    perm = permutation(STAGES, "s:1")
    q = shuffled(P, perm)
    assert sorted(q.values()) == sorted(P.values()) and set(q) == set(P)
    assert shuffled(P, permutation(STAGES, "s:1")) == q
    assert permutation(tuple(reversed(STAGES)), "s:1") == perm  # the order the stages come in does not matter


def test_every_permutation_is_equally_likely():
    counts = Counter(tuple(permutation(STAGES, f"k{i}").values()) for i in range(24 * 200))
    assert set(counts) == set(itertools.permutations(STAGES))
    assert stats.chisquare(list(counts.values())).pvalue > 1e-3
    # so "ready" keeps its label a quarter of the time
    assert sum(shuffled(P, permutation(STAGES, f"k{i}"))["ready"] == 0.7 for i in range(4000)) / 4000 == pytest.approx(0.25, abs=0.03)


@pytest.fixture
def seen_stages(monkeypatch):
    """The stage views ``respond`` gets, per call."""
    seen = []
    real = chat_module.respond

    def spy(*a, **kw):
        seen.append(kw.get("stages"))
        return real(*a, **kw)

    monkeypatch.setattr(chat_module, "respond", spy)
    return seen


def _service(store, engine, model, parser, arm):
    return ChatService(store=store, intent_model=model, recommenders=engine.recommenders, parser=parser,
                       products=engine.products, assign=lambda s, e, shares: arm)


def test_placebo_replies_see_shuffled_stages_and_the_store_keeps_the_real_ones(
        chat_store, chat_engine, chat_intent_model, chat_parser, seen_stages):
    svc = _service(chat_store, chat_engine, chat_intent_model, chat_parser, "placebo")
    texts = ["想买跑鞋", "就要第一个", "随便看看", "第二个怎么样", "下单"] * 4
    sid = None
    for t in texts:
        out = svc.chat(sid, t)
        sid = out["session_id"]
        assert out["arm"] == "placebo"
    real = [p.probs for p in chat_intent_model.predict(texts)]
    stored = [r["probs"] for r in chat_store.stage_timeline(sid) if r["kind"] == "message"]
    assert stored == [pytest.approx(dict(r)) for r in real]
    assert all(v is not None for v in seen_stages)
    for view, probs in zip(seen_stages, real, strict=True):
        assert sorted(view.message.values()) == pytest.approx(sorted(probs.values()))
    moved = sum(dict(v.message) != pytest.approx(dict(p)) for v, p in zip(seen_stages, real, strict=True))
    assert moved >= len(texts) // 2  # most messages get another stage's values (3 in 4 expected)


def test_intent_arm_sees_the_real_stages_and_baseline_none(
        chat_store, chat_engine, chat_intent_model, chat_parser, seen_stages):
    for arm in ("intent", "baseline"):
        svc = _service(chat_store, chat_engine, chat_intent_model, chat_parser, arm)
        svc.chat(None, "就要这个，下单")
    intent_view, baseline_view = seen_stages
    assert dict(intent_view.message) == pytest.approx(dict(chat_intent_model.predict(["就要这个，下单"])[0].probs))
    assert baseline_view is None


def test_placebo_without_its_own_recommender_uses_the_intent_one(chat_store, chat_engine, chat_intent_model,
                                                                 chat_parser):
    assert "placebo" not in chat_engine.recommenders
    svc = _service(chat_store, chat_engine, chat_intent_model, chat_parser, "placebo")
    out = svc.chat(None, "想买跑鞋")
    recs = chat_store.last_recommendations(out["session_id"])
    assert recs and {r["recommender"] for r in recs} == {"placebo"}
    assert svc._recommender("placebo") is chat_engine.recommenders["intent"]
