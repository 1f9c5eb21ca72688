"""Staff-console helpers: plain functions over the services and the store (the UI only displays them).

- :func:`queue_rows`: the live queue of sessions for staff to step into, most urgent first (shoppers waiting
  for the person who has their chat and ready shoppers with a cart, then hand-offs, then by stage and
  recency); ``ChatService.take_over`` takes one over.
- :func:`tester`: for any message, its intent score, the parsed filters, and the top-k of BOTH recommenders
  with their score parts, side by side (nothing is stored); :func:`parts_rows` lays the parts out as a table.
- :func:`session_view`: one session's turns (message, intent scores, what was recommended), the intent over
  the turns as plot rows, and what happened (events, feedback).
- :func:`recommendation_choices` / :func:`mark`: staff mark a shown recommendation good or bad
  (stored as feedback with ``source="staff"``).
- :func:`writer_rows`: replies per writer (template, or an LLM checked by the verifier) with the fallback rate
  and its 95 % Wilson interval; :func:`written_text` says who wrote one reply and the verdict.

    out = tester(services, "500以内的跑鞋")
    out["filters"]["max_price"], [r["id"] for r in out["results"]["intent"]][:2]
    # -> (500.0, ['S1', 'S6'])
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from chatbot.conversation import MAX_PARSE_CHARS, filters_dict, relax_text
from chatbot.conversation.templates import product_title
from chatbot.errors import InputError
from intent.text import clean_text, detect_lang

__all__ = ["ARMS", "PART_COLUMNS", "QUEUE_LABELS", "queue_rows", "tester", "parts_rows",
           "weights_text", "session_view", "session_choices", "recommendation_choices", "mark", "parts_text",
           "stage_text", "ab_panel", "writer_rows", "written_text"]

log = logging.getLogger(__name__)

ARMS = ("intent", "baseline")
_SHORT = 200

#: The score parts shown per product in the tester, per arm: (column header, key in ``parts``). The
#: intent arm's stage-weighted terms add up to ``intent_bonus`` (catalog.recommend.IntentRecommender.rerank);
#: the weights shared by all its items (p_browse, p_consider, p_ready, mmr_lambda) are in :func:`weights_text`.
PART_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "intent": (("relevance", "relevance"), ("exact", "exact_term"), ("rating", "rating_norm_term"),
               ("stock", "in_stock_term"), ("conversion", "conversion_norm_term"), ("bonus", "intent_bonus"),
               ("MMR penalty", "mmr_penalty")),
    "baseline": (("relevance", "relevance"), ("rrf", "rrf"), ("vector", "vector"), ("keyword", "keyword"),
                 ("vector #", "vector_rank"), ("keyword #", "keyword_rank")),
}

#: Queue priority labels: 0 and 1 from :meth:`Store.queue`, then one per session stage.
QUEUE_LABELS = {"waiting": "⏳ 等客服回复 waiting for staff", "cart": "🛒 待结算 ready + cart", "help": "🆘 求助 asked for help", "ready": "✅ 想买 ready",
                "consider": "🤔 比较 consider", "service": "🧰 售后 service", "browse": "👀 逛逛 browse",
                None: "· 新 new"}


def parts_text(parts: Mapping[str, Any]) -> str:
    """``{"relevance": 0.81, "rating": 0.1}`` -> ``'relevance 0.810 · rating 0.100'``."""
    return " · ".join(f"{k} {float(v):.3f}" for k, v in parts.items() if isinstance(v, (int, float)))


def weights_text(parts: Mapping[str, Any]) -> str:
    """The stage weights one query gives all of the intent arm's items:
    ``{"p_browse": 0.03, "p_consider": 0.1, "p_ready": 0.85, "mmr_lambda": 0.99}`` ->
    ``'P browse 0.03 · consider 0.10 · ready 0.85 · MMR λ 0.99'``; "" for parts without them (the baseline)."""
    if "p_ready" not in parts:
        return ""
    return (f"P browse {parts.get('p_browse', 0.0):.2f} · consider {parts.get('p_consider', 0.0):.2f} · "
            f"ready {parts['p_ready']:.2f} · MMR λ {parts.get('mmr_lambda', 1.0):.2f}")


def parts_rows(rows: Sequence[Mapping[str, Any]], arm: str) -> list[dict]:
    """One row per product of a :func:`tester` result: rank, id and the arm's :data:`PART_COLUMNS`."""
    columns = PART_COLUMNS.get(arm, PART_COLUMNS["baseline"])
    out = []
    for r in rows:
        parts = r["parts"]
        row: dict[str, Any] = {"#": r["rank"], "id": r["id"]}
        for label, key in columns:
            v = parts.get(key)
            row[label] = None if v is None else (int(v) if key.endswith("_rank") else round(float(v), 3))
        out.append(row)
    return out


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
             "score": round(float(r.score), 4),
             "parts": {name: round(float(v), 4) for name, v in (r.parts or {}).items()}}
            for i, r in enumerate(res.items, 1)
        ]
        no_match[arm] = res.no_match or not results[arm]
        hints[arm] = None if res.hint is None else relax_text(res.hint, lang)
    weights = {arm: weights_text(results[arm][0]["parts"]) if results[arm] else "" for arm in ARMS}
    return {"text": clean, "lang": lang, "intent": intent, "stage": prediction.stage,
            "stage_probs": {st: round(p, 4) for st, p in prediction.probs.items()}, "filters": filters_dict(filters),
            "results": results, "no_match": no_match, "hint": hints, "weights": weights}


def queue_rows(store: Any, catalog: Mapping[str, Any] | None = None, *, limit: int = 50) -> list[dict]:
    """The live queue for staff, most urgent first (the order of :meth:`Store.queue`).

    Each row: ``priority`` (0 = a shopper waiting for the person who has the chat, or ready with a cart;
    1 = asked for help; then by stage), ``label`` (:data:`QUEUE_LABELS`), ``session_id``, ``arm``, ``stage``
    (the session stage with its probability, e.g. ``'ready 0.79'``), ``cart_items`` and ``cart_value`` (at
    catalog prices), ``last_message`` (the shopper's latest, short), ``help_topic`` (while the hand-off is
    open), ``taken_by`` (who has the chat, or ""), ``waiting``, ``last_active`` (UTC).

        queue_rows(store, services.chat.catalog)[0]["label"]   # -> '🛒 待结算 ready + cart'
    """
    catalog = catalog or {}
    sessions = store.queue(limit=limit)
    out = []
    for s in sessions:
        sid, stage = s["id"], s.get("stage")
        items, value = 0, 0.0
        if s["cart_items"]:
            for line in store.cart(sid):
                items += line["quantity"]
                product = catalog.get(line["product_id"])
                value += line["quantity"] * float(product.price) if product is not None else 0.0
        p = (s.get("session_probs") or {}).get(stage) if stage else None
        label = (QUEUE_LABELS["waiting"] if s.get("waiting") else QUEUE_LABELS["cart"] if s["priority"] == 0
                 else QUEUE_LABELS["help"] if s["priority"] == 1 else QUEUE_LABELS.get(stage, QUEUE_LABELS[None]))
        out.append({"priority": s["priority"], "label": label, "session_id": sid, "arm": s["arm"],
                    "stage": (f"{stage} {p:.2f}" if p is not None else stage or ""),
                    "cart_items": items, "cart_value": round(value, 2),
                    "last_message": _short(s.get("last_message"), 40),
                    "help_topic": (s.get("help_topic") or "help") if s.get("needs_help") else "",
                    "taken_by": s.get("taken_by") or "", "waiting": bool(s.get("waiting")),
                    "last_active": (s.get("last_active") or "")[5:19].replace("T", " ")})
    return out


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
    writers = _reply_writers(store.messages(session_id))
    for i, t in enumerate(store.turns(session_id), 1):
        recs = t["recommendations"]
        shown = ", ".join(f"{r['rank']}. {r['product_id']}"
                          + (f" {_short(catalog[r['product_id']].title_zh, 24)}" if r["product_id"] in catalog else "")
                          for r in recs)
        turns.append({"turn": i, "message": _short(t["text"]), "stage": stage_text(t["stage_probs"]),
                      "intent": t["score"], "session_stage": stage_text(t["session_probs"]),
                      "session_intent": t["session_score"], "recommended": shown,
                      "recommender": recs[0]["recommender"] if recs else "", "action": t.get("action") or "",
                      "reply": _short(t["reply"], 120) + "".join(f" ｜ 👤 {_short(s, 80)}" for s in t.get("staff", ())),
                      **writers.get(t["message_id"], _NO_WRITER)})
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


_NO_WRITER = {"writer": "", "verdict": "", "writer_reason": "", "written": ""}


def written_text(writer: str | None, verdict: str | None, reason: str | None = None) -> str:
    """Who wrote a reply and what the verifier said, for a table cell.

    >>> written_text("openai:qwen", "ok"), written_text("openai:qwen", "fallback", "price ¥1 not in the facts")
    ('openai:qwen · ok', 'openai:qwen · fallback: price ¥1 not in the facts')
    >>> written_text(None, None)
    'template'
    """
    writer, verdict = writer or "template", verdict or "template"
    if verdict == "template":
        return writer
    return f"{writer} · {verdict}" + (f": {_short(reason, 120)}" if verdict == "fallback" and reason else "")


def _reply_writers(messages: Sequence[Mapping[str, Any]]) -> dict[int, dict]:
    """User message id -> the writer fields of the reply to it (the assistant message that follows it)."""
    out: dict[int, dict] = {}
    asked: int | None = None
    for m in messages:
        if m["role"] == "user":
            asked = m["id"]
        elif m["role"] == "assistant" and asked is not None:  # a staff line is no reply of the guide's
            writer, verdict = m.get("writer") or "template", m.get("writer_verdict") or "template"
            reason = m.get("writer_reason") or ""
            out[asked] = {"writer": writer, "verdict": verdict, "writer_reason": reason,
                          "written": written_text(writer, verdict, reason)}
            asked = None
    return out


def writer_rows(store: Any, since: Any = None, *, alpha: float = 0.05) -> list[dict]:
    """Replies per writer (:meth:`Store.writer_stats`) with the fallback rate among the replies a writer wrote
    (``fallback / (ok + fallback)``) and its Wilson interval (``1 - alpha``, statsmodels
    ``proportion_confint``); rate and interval are None for a writer that wrote none (the templates).

        writer_rows(store)[0]  # -> {'writer': 'openai:qwen', 'replies': 10, 'ok': 8, 'fallback': 2, 'template': 0,
                               #     'fallback_rate': 0.2, 'ci_low': 0.057, 'ci_high': 0.51}
    """
    out = []
    for r in store.writer_stats(since):
        written = r["ok"] + r["fallback"]
        rate = low = high = None
        if written:
            # statsmodels takes a second to import: only when there is a rate to bound
            from statsmodels.stats.proportion import proportion_confint

            rate = r["fallback"] / written
            low, high = (float(x) for x in proportion_confint(r["fallback"], written, alpha=alpha, method="wilson"))
        out.append({**r, "fallback_rate": rate, "ci_low": low, "ci_high": high})
    return out


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
