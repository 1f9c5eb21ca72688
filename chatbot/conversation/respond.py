"""The conversation: one plain function from a shopper message to a grounded, templated reply.

:func:`respond` takes the message, the session's :class:`ConversationState` (the memory: what was asked and
shown before — it replaces a chat history, which the function does not need), the session intent P(buy), the
recommender of the session's A/B arm and the query parser, and returns a :class:`Reply` with the text, the
products shown and the new state. No UI, no database: the chat service stores things, the Gradio page only
displays them.

Every product name, price, rating and stock figure in a reply is copied from the catalog record; when
nothing fits the reply says so and words the recommender's structured hint (which constraint to relax).

    reply = respond("想买跑鞋，500以内", state=ConversationState(), intent=0.4,
                    recommender=engine.recommenders["intent"], parser=parse_query)
    reply.kind, reply.products[0]["price"] <= 500
    # -> ('recommend', True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from catalog.products import Product
from catalog.recommend import Recommender
from chatbot.conversation.replies import detail_text, no_match_text, product_card, recommend_text, term_fits
from chatbot.conversation.state import ConversationState, Parser, Reply, filters_dict
from chatbot.conversation.templates import say
from chatbot.conversation.understand import after_request, analyse

__all__ = ["respond", "replay"]


def respond(message: str, *, state: ConversationState | None = None, intent: float = 0.5,
            recommender: Recommender, parser: Parser, catalog: Mapping[str, Product] | None = None, k: int = 4,
            recommender_name: str | None = None) -> Reply:
    """Answer one shopper message.

    message: the text as typed (any length; only the first :data:`MAX_PARSE_CHARS` cleaned characters
        are parsed). state: the conversation memory (None for a new session; see :func:`replay`).
        intent: the session P(buy). recommender: the session arm's :class:`catalog.recommend.Recommender`.
        parser: ``parse(text, previous filters, shown products) -> ParsedQuery``. catalog: product id ->
        Product, for fresh facts about a product asked about.
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
    result = recommender.recommend(turn.query, filters=parsed.filters, intent=float(intent), k=k)
    filters = result.filters
    new_state = after_request(new_state, turn)
    if result.no_match or not result.items:
        return Reply(no_match_text(result.hint, filters, lang, new_state.term), lang, "no_match",
                     filters_dict(filters), state=new_state)
    items = result.items
    cards = [product_card(r.product, lang, score=r.score, parts=r.parts, filters=filters) for r in items]
    shown = tuple(r.product for r in items)
    new_state = replace(new_state, shown=shown)
    term = new_state.term if term_fits(new_state.term, shown) else ""
    text = recommend_text(items, filters, lang, float(intent), parsed, turn.greeting, term)
    return Reply(text, lang, "recommend", filters_dict(filters), cards, state=new_state,
                 recommender=recommender_name)


def replay(turns: Sequence[Mapping[str, Any]], parser: Parser,
           catalog: Mapping[str, Product]) -> ConversationState:
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
