"""The conversation: one plain function from a shopper message to a grounded, templated reply.

:func:`respond` takes the message, the session's :class:`ConversationState` (the tracker: what was asked,
shown and focused before — it replaces a chat history, which the function does not need), the intent model's
stage view (intent arm) or None (baseline arm), the recommender of the session's A/B arm, the cart and the
query parser, and returns a :class:`Reply` with the text, the products shown, the new state and what the
service must do (add to the cart, open the checkout step, flag the session for staff). No UI, no database:
the chat service stores and applies things, the page only displays them.

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

from catalog.policy import ShopPolicy, load_policy
from catalog.products import Product
from catalog.recommend import Recommender
from chatbot.conversation.actions import Context, perform
from chatbot.conversation.policy import PolicyParams, StageView, next_action
from chatbot.conversation.state import ConversationState, Parser, Reply
from chatbot.conversation.understand import after_request, analyse

__all__ = ["respond", "replay"]


def respond(message: str, *, state: ConversationState | None = None, intent: float = 0.5,
            recommender: Recommender, parser: Parser, catalog: Mapping[str, Product] | None = None, k: int = 4,
            recommender_name: str | None = None, stages: StageView | None = None, cart: Sequence[Mapping] = (),
            policy: ShopPolicy | None = None, params: PolicyParams | None = None, ordered: bool = False) -> Reply:
    """Answer one shopper message: understand it (:func:`analyse`), choose the next action
    (:func:`chatbot.conversation.policy.next_action`) and perform it (:mod:`chatbot.conversation.actions`).

    message: the text as typed (any length; only the first :data:`MAX_PARSE_CHARS` cleaned characters
        are parsed). state: the conversation memory (None for a new session; see :func:`replay`).
        intent: the session P(buy). recommender: the session arm's :class:`catalog.recommend.Recommender`.
        parser: ``parse(text, previous filters, shown products) -> ParsedQuery``. catalog: product id ->
        Product, for fresh facts about a product asked about. stages: the intent model's view for the
        intent arm (None: the rules alone, as in the baseline arm). cart: the session's cart lines
        (``product_id``, ``quantity``). policy: the shop's service texts (default: the embedded shop's).
        ordered: the session has placed an order (after-sales words are then about it).
    """
    state = state or ConversationState()
    turn = analyse(message, state, parser)
    catalog = catalog if catalog is not None else {p.id: p for p in state.shown}
    action = next_action(turn, state, stages=stages, cart=[c["product_id"] for c in cart], k=k, params=params,
                         ordered=ordered)
    ctx = Context(recommender=recommender, catalog=catalog, policy=policy or _default_policy(), cart=tuple(cart),
                  recommender_name=recommender_name, intent=float(intent))
    return perform(action, turn, state, ctx)


_POLICY: list[ShopPolicy] = []


def _default_policy() -> ShopPolicy:
    if not _POLICY:
        _POLICY.append(load_policy())
    return _POLICY[0]


def replay(turns: Sequence[Mapping[str, Any]], parser: Parser,
           catalog: Mapping[str, Product]) -> ConversationState:
    """Rebuild the state of a stored session from its turns (``Store.turns``): the snapshot stored with the
    latest reply (``state``), else — for sessions stored before snapshots — the same understanding of each
    message as when it was answered, and the products actually shown after it."""
    state = ConversationState()
    for t in turns:
        if "reply" in t and t["reply"] is None:  # a stored turn that failed before its reply: nothing happened
            continue
        snapshot = t.get("state")
        if snapshot:
            state = ConversationState.from_dict(snapshot, catalog)
            continue
        turn = analyse(t.get("text") or "", state, parser)
        state = replace(state, lang=turn.lang)
        if turn.kind == "recommend":
            state = after_request(state, turn)
        shown = [catalog[r["product_id"]] for r in t.get("recommendations") or () if r["product_id"] in catalog]
        if shown:
            state = replace(state, shown=tuple(shown), focus=None)
    return state
