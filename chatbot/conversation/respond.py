"""The conversation: one plain function from a shopper message to a grounded, templated reply.

:func:`respond` takes the message, the history (Gradio 6 ``{"role", "content"}`` dicts), the session's
:class:`ConversationState` (what was asked and shown before), the session intent P(buy), the recommender of
the session's A/B arm and the query parser, and returns a :class:`Reply` with the text, the products shown
and the new state. No UI, no database: the chat service stores things, the Gradio page only displays them.

Every product name, price, rating and stock figure in a reply is copied from the catalog record; when
nothing fits the reply says so and suggests relaxing a constraint (the recommender's ``hint``).

>>> reply = respond("想买跑鞋，500以内", [], state=ConversationState(), intent=0.4,
...                 recommender=engine.recommenders["intent"], parser=parse_query)  # doctest: +SKIP
>>> reply.kind, reply.products[0]["price"] <= 500                                    # doctest: +SKIP
('recommend', True)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from chatbot.conversation.replies import detail_text, no_match_text, product_card, recommend_text, term_fits
from chatbot.conversation.state import ConversationState, Reply, _field, filters_dict
from chatbot.conversation.templates import say
from chatbot.conversation.understand import after_request, analyse

__all__ = ["respond", "replay"]

log = logging.getLogger(__name__)


def respond(message: str, history: Sequence[Mapping[str, Any]] | None = None, *,
            state: ConversationState | None = None, intent: float = 0.5, recommender: Any,
            parser: Callable[..., Any], catalog: Mapping[str, Any] | None = None, k: int = 4,
            recommender_name: str | None = None) -> Reply:
    """Answer one shopper message.

    message: the text as typed (any length; only the first :data:`MAX_PARSE_CHARS` cleaned characters
        are parsed). history: earlier turns as ``{"role", "content"}`` dicts (informational; the state
        carries what matters). state: the conversation memory (see :func:`replay`). intent: the session
        P(buy). recommender: has ``recommend(query, *, filters, intent, k)``. parser: ``parse_query(text,
        previous, shown)``. catalog: product id -> Product, for fresh facts about a product asked about.
    """
    state = state or ConversationState()
    turn = analyse(message, state, parser)
    lang = turn.lang
    new_state = replace(state, lang=lang)
    filters_now = filters_dict(state.filters)

    if turn.kind == "invalid":
        return Reply(say("invalid", lang), lang, "invalid", filters_now, state=new_state)
    if turn.kind in ("greeting", "thanks"):
        return Reply(say(turn.kind, lang), lang, turn.kind, filters_now, state=new_state)
    if turn.kind == "after_sales":
        return Reply(say(f"after_sales.{turn.topic}", lang), lang, "after_sales", filters_now, state=new_state)
    if turn.kind == "clarify":
        return Reply(say("clarify", lang), lang, "clarify", filters_now, state=new_state)
    if turn.kind == "detail":
        if not state.shown:
            return Reply(say("clarify_ordinal", lang), lang, "clarify", filters_now, state=new_state)
        index = turn.ordinal if turn.ordinal is not None else 0
        if index >= len(state.shown):
            return Reply(say("ordinal_out_of_range", lang, count=len(state.shown)), lang, "clarify",
                         filters_now, state=new_state)
        product = state.shown[index]
        if catalog is not None:
            product = catalog.get(product.id, product)
        card = product_card(product, lang, filters=state.filters)
        return Reply(detail_text(product, lang), lang, "detail", filters_now, [card], state=new_state)

    parsed = turn.parsed
    filters = _field(parsed, "filters")
    result = recommender.recommend(turn.query, filters=filters, intent=float(intent), k=k)
    result_filters = _field(result, "filters", None) or filters
    new_state = after_request(new_state, turn)
    items = list(_field(result, "items", ()) or ())
    if _field(result, "no_match", False) or not items:
        hint = _relax_hint(recommender, result, result_filters, lang)
        return Reply(no_match_text(hint, result_filters, lang, new_state.term), lang, "no_match",
                     filters_dict(result_filters), state=new_state)
    cards = [product_card(r.product, lang, score=r.score, parts=r.parts, filters=result_filters)
             for r in items]
    new_state = replace(new_state, shown=tuple(r.product for r in items))
    term = new_state.term if term_fits(new_state.term, [r.product for r in items]) else ""
    text = recommend_text(items, result_filters, lang, float(intent), parsed, turn.greeting, term)
    return Reply(text, lang, "recommend", filters_dict(result_filters), cards, state=new_state,
                 recommender=recommender_name)


def _relax_hint(recommender: Any, result: Any, filters: Any, lang: str) -> Any:
    """The result's hint, recomputed in the reply language when the recommender's retriever can."""
    retriever = getattr(recommender, "retriever", None)
    if retriever is not None and hasattr(retriever, "relax_hint") and filters is not None:
        try:
            return retriever.relax_hint(filters, lang)
        except Exception:  # noqa: BLE001 - a hint is optional; fall back to the result's own
            log.debug("relax_hint failed", exc_info=True)
    return _field(result, "hint")


def replay(turns: Sequence[Mapping[str, Any]], parser: Callable[..., Any],
           catalog: Mapping[str, Any]) -> ConversationState:
    """Rebuild the state of a stored session from its turns (``Store.turns``): the same understanding of
    each message as when it was answered, and the products actually shown after it."""
    state = ConversationState()
    for t in turns:
        turn = analyse(t.get("text") or "", state, parser)
        state = replace(state, lang=turn.lang)
        if turn.kind == "recommend":
            state = after_request(state, turn)
        shown = [catalog[r["product_id"]] for r in t.get("recommendations") or () if r["product_id"] in catalog]
        if shown:
            state = replace(state, shown=tuple(shown))
    return state
