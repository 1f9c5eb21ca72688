"""Staff-console helpers: plain functions over the services and the store (the UI only displays them).

- :func:`tester`: for any message, its intent score, the parsed filters, and the top-k of BOTH recommenders
  with their score parts, side by side (nothing is stored).
- :func:`session_view`: one session's turns (message, intent scores, what was recommended), the intent over
  the turns as plot rows, and what happened (events, feedback).
- :func:`recommendation_choices` / :func:`mark`: staff mark a shown recommendation good or bad
  (stored as feedback with ``source="staff"``).

    out = tester(services, "500以内的跑鞋")
    out["filters"]["max_price"], [r["id"] for r in out["results"]["intent"]][:2]
    # -> (500.0, ['S1', 'S6'])
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from chatbot.conversation import MAX_PARSE_CHARS, filters_dict, relax_text
from chatbot.conversation.templates import product_title
from chatbot.errors import InputError
from intent.text import clean_text, detect_lang

__all__ = ["ARMS", "tester", "session_view", "session_choices", "recommendation_choices", "mark",
           "parts_text", "ab_panel"]

ARMS = ("intent", "baseline")
_SHORT = 200


def parts_text(parts: Mapping[str, Any]) -> str:
    """``{"relevance": 0.81, "rating": 0.1}`` -> ``'relevance 0.810 · rating 0.100'``."""
    return " · ".join(f"{k} {float(v):.3f}" for k, v in parts.items() if isinstance(v, (int, float)))


def stage_text(probs: Mapping[str, float] | None) -> str:
    """``{"ready": 0.7, "consider": 0.2, ...}`` -> ``'ready 0.70 (consider 0.20)'``; "" without a distribution."""
    if not probs:
        return ""
    ranked = sorted(probs.items(), key=lambda kv: -kv[1])
    return f"{ranked[0][0]} {ranked[0][1]:.2f} ({ranked[1][0]} {ranked[1][1]:.2f})"


def _short(text: str | None, n: int = _SHORT) -> str:
    text = text or ""
    return text if len(text) <= n else text[:n] + "…"


def tester(services: Any, text: str, *, k: int | None = None) -> dict:
    """What the bot would do with ``text`` as the first message of a session, for both recommenders."""
    k = k or services.settings.top_k
    clean = clean_text((text or "")[:4000])[:MAX_PARSE_CHARS]
    lang = detect_lang(clean)
    if not clean:
        return {"text": "", "lang": lang, "intent": None, "stage": None, "stage_probs": None, "filters": {},
                "results": {a: [] for a in ARMS}, "no_match": {a: True for a in ARMS}, "hint": {a: None for a in ARMS}}
    prediction = services.intent_model.predict([clean])[0]
    intent = prediction.score
    parsed = services.parser(clean, None, [])
    filters = parsed.filters
    results, no_match, hints = {}, {}, {}
    for arm in ARMS:
        stages = dict(prediction.probs) if arm == "intent" else None  # the intent arm ranks by the stages
        res = services.engine.recommenders[arm].recommend(clean, filters=filters, intent=intent, k=k, stages=stages)
        results[arm] = [
            {"rank": i, "id": r.product.id, "title": product_title(r.product, lang), "brand": r.product.brand,
             "price": float(r.product.price), "stock": int(r.product.stock), "rating": float(r.product.rating),
             "score": round(float(r.score), 4), "parts": parts_text(r.parts or {})}
            for i, r in enumerate(res.items, 1)
        ]
        no_match[arm] = res.no_match or not results[arm]
        hints[arm] = None if res.hint is None else relax_text(res.hint, lang)
    return {"text": clean, "lang": lang, "intent": intent, "stage": prediction.stage,
            "stage_probs": {st: round(p, 4) for st, p in prediction.probs.items()}, "filters": filters_dict(filters),
            "results": results, "no_match": no_match, "hint": hints}


def session_choices(store: Any, limit: int = 200) -> list[tuple[str, str]]:
    """(label, session id) of the most recent sessions, for a dropdown."""
    out = []
    for s in store.sessions(limit=limit):
        intent = "–" if s.get("intent") is None else f"{s['intent']:.2f}"
        stage = f" ({s['stage']})" if s.get("stage") else ""
        label = (f"{s['id'][:12]} · {s['arm']}{' (forced)' if s.get('forced') else ''} · "
                 f"{s.get('user_messages', 0)} msgs · intent {intent}{stage} · {s.get('purchases', 0)} purchases · "
                 f"{(s.get('last_active') or '')[:19]}")
        out.append((label, s["id"]))
    return out


def session_view(store: Any, session_id: str, catalog: Mapping[str, Any] | None = None) -> dict:
    """A session for staff: its row, turn table, intent series (for a line plot), events and feedback."""
    session = store.session(session_id) if session_id else None
    if session is None:
        raise InputError(f"no session {session_id!r}", hint="pick a session from the list")
    catalog = catalog or {}
    turns, series = [], []
    for i, t in enumerate(store.turns(session_id), 1):
        recs = t["recommendations"]
        shown = ", ".join(f"{r['rank']}. {r['product_id']}"
                          + (f" {_short(catalog[r['product_id']].title_zh, 24)}" if r["product_id"] in catalog else "")
                          for r in recs)
        turns.append({"turn": i, "message": _short(t["text"]), "stage": stage_text(t["stage_probs"]),
                      "intent": t["score"], "session_stage": stage_text(t["session_probs"]),
                      "session_intent": t["session_score"], "recommended": shown,
                      "recommender": recs[0]["recommender"] if recs else "", "reply": _short(t["reply"], 120)})
        if t["score"] is not None:
            series.append({"turn": i, "score": float(t["score"]), "series": "message P(buy)"})
        if t["session_score"] is not None:
            series.append({"turn": i, "score": float(t["session_score"]), "series": "session P(buy)"})
        for stage, p in (t["session_probs"] or {}).items():
            series.append({"turn": i, "score": float(p), "series": f"session P({stage})"})
    events = [{"time": (e["created"] or "")[:19], "type": e["type"], "product": e["product_id"],
               "price": e["price"], "recommendation": e["recommendation_id"]}
              for e in store.events(session_id)]
    return {"session": session, "turns": turns, "series": series, "events": events,
            "feedback": store.feedback(session_id)}


def recommendation_choices(store: Any, session_id: str, catalog: Mapping[str, Any] | None = None
                           ) -> list[tuple[str, int]]:
    """(label, recommendation id) of everything shown in a session, for the staff good/bad marks."""
    catalog = catalog or {}
    rows = store.recommendations(session_id)
    turn_of = {mid: i for i, mid in enumerate(sorted({r["message_id"] for r in rows}), 1)}
    out = []
    for r in rows:
        title = catalog[r["product_id"]].title_zh if r["product_id"] in catalog else ""
        out.append((f"reply {turn_of[r['message_id']]} · #{r['rank']} {r['product_id']} {_short(title, 30)}"
                    f" ({r['recommender']}, {r['score']:.3f})", int(r["id"])))
    return out


def mark(store: Any, session_id: str, recommendation_id: int, good: bool, *, staff_user: str | None = None,
         note: str | None = None) -> int:
    """Store a staff mark (good = +1, bad = -1) on a shown recommendation; the feedback id."""
    rec = store.recommendation(session_id, recommendation_id)
    if rec is None:
        raise InputError(f"no recommendation {recommendation_id!r} in session {session_id!r}",
                         hint="pick a recommendation from the list")
    return store.add_feedback(session_id, 1 if good else -1, source="staff", message_id=rec["message_id"],
                              recommendation_id=rec["id"], product_id=rec["product_id"],
                              staff_user=staff_user, note=(note or None))


def ab_panel(store: Any, settings: Any) -> tuple[str, Any]:
    """The A/B tab: ``chatbot.experiment.dashboard.ab_dashboard`` when it is installed, else a note (figure None)."""
    try:
        from chatbot.experiment.dashboard import ab_dashboard
    except ImportError:
        return "A/B dashboard not available (chatbot.experiment.dashboard missing).", None
    return ab_dashboard(store, settings)


def dumps(value: Any) -> str:
    """Compact JSON for display."""
    return json.dumps(value, ensure_ascii=False, default=str)
