"""The next-action policy: one plain function from the conversation state to what the guide does next.

The shape Rasa made standard: a tracker of the conversation (:class:`~chatbot.conversation.state.ConversationState`
with its slots — filters, products shown, the focused product, products turned down), a policy from state to
the next action (:func:`next_action`), and actions that do one thing each (:mod:`chatbot.conversation.actions`).
The table in docs/chatbot.md is this function, row by row.

Two kinds of evidence go in. **Rules** (:mod:`chatbot.conversation.commands`) read what a message says in so
many words — explicit commands ("加入购物车", "I'll take it"), ordinals, superlatives, product mentions, detail
questions, after-sales words — and act the same in both A/B arms. **Stages** (the intent model's
distributions, ``stages``) are the intent arm's alone: implicit readiness ("42码有货吗 周五前能到吗" from a
shopper who is ready), after-sales messages without after-sales words, when to compare, when to ask a
narrowing question, how many items and how diverse. The baseline arm calls with ``stages=None``, so the
A/B measures the intent model's contribution and nothing else (docs/ab.md).

    >>> from chatbot.conversation.state import ConversationState, Turn
    >>> next_action(Turn("greeting", "zh", "你好"), ConversationState(), stages=None).name
    'greet'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from catalog.products import Product
from chatbot.conversation.state import ConversationState, Turn
from chatbot.settings import PolicyParams

__all__ = ["Action", "ACTIONS", "PolicyParams", "StageView", "next_action", "target_of", "item_count"]

ACTIONS = ("invalid", "greet", "thank", "clarify", "ask_what", "ask_which", "confirm", "sold_out", "checkout",
           "answer", "compare", "next", "cancel", "help", "recommend")
"""Every action the policy can choose (docs/chatbot.md has one row per action)."""


@dataclass(frozen=True)
class StageView:
    """The intent model's view of the shopper: this message's stage distribution and the session's."""

    message: Mapping[str, float]
    session: Mapping[str, float]

    def p(self, stage: str, *, session: bool = False) -> float:
        return float((self.session if session else self.message).get(stage, 0.0))

    def top(self, *, session: bool = False) -> str:
        probs = self.session if session else self.message
        return max(probs, key=probs.__getitem__) if probs else ""


@dataclass(frozen=True)
class Action:
    """What to do next. ``product`` is the product acted on; ``products`` the ones compared or listed."""

    name: str
    product: Product | None = None
    products: tuple[Product, ...] = ()
    details: tuple[str, ...] = ()
    topic: str | None = None
    k: int = 4
    mode: str = ""
    checkout: bool = False
    offer_cart: bool = False
    handoff: bool = False
    exclude: tuple[str, ...] = ()
    compare_results: bool = False
    stages: Mapping[str, float] | None = field(default=None, compare=False)
    reason: str = ""


def item_count(k: int, stages: StageView | None, params: PolicyParams) -> int:
    """How many products to show: ``k`` without stages, fewer for a ready shopper (focused list)."""
    if stages is None:
        return k
    ready = stages.p("ready", session=True)
    return max(min(params.min_items, k), min(k, round(k * (1.0 - 0.5 * ready))))


def target_of(turn: Turn, state: ConversationState) -> Product | None:
    """The product a message is about: the first one it names, else (for "这个 / it", a bare command or a
    detail question) the focus, else the top item shown."""
    if turn.refs:
        return turn.refs[0]
    return state.focus or (state.shown[0] if state.shown else None)


def _unseen(state: ConversationState, *exclude: str) -> list[Product]:
    skip = set(state.excluded) | set(exclude)
    return [p for p in state.shown if p.id not in skip]


def next_action(turn: Turn, state: ConversationState, *, stages: StageView | None, cart: Sequence[str] = (),
                k: int = 4, params: PolicyParams | None = None, ordered: bool = False) -> Action:
    """The next action for ``turn`` in ``state`` (see the module docstring and docs/chatbot.md).

    stages: the intent model's view (intent arm), or None (baseline arm: rules only). cart: product ids in
    the session's cart. k: products per list. ordered: the session has placed an order (its after-sales
    words are then never a pre-sale question).
    """
    prm = params or PolicyParams()
    probs = None if stages is None else dict(stages.session)
    n = item_count(k, stages, prm)
    cmds = turn.commands
    stated = turn.parsed.stated if turn.parsed is not None else frozenset()
    asks_new = bool(turn.parsed is not None and (stated - {"in_stock"} or turn.parsed.cheaper
                                                 or turn.parsed.other_brand))

    def recommend(reason: str, **kw) -> Action:
        mode = "" if stages is None else ("browse" if stages.p("browse", session=True) >= prm.browse else
                                          stages.top(session=True))
        return Action("recommend", k=n, mode=mode, stages=probs, reason=reason, **kw)

    if turn.kind == "invalid":
        return Action("invalid", reason="no text")
    if turn.ordinal is not None and not turn.refs and state.shown and turn.kind in ("command", "detail"):
        return Action("ask_which", topic="out_of_range", reason="an ordinal beyond the list shown")
    if "human" in cmds:
        return Action("help", topic=turn.topic or "general", handoff=True, reason="asked for a person")
    if turn.kind == "greeting" and not cmds:
        return Action("greet", reason="greeting")
    if turn.kind == "thanks" and not cmds:
        return Action("thank", reason="thanks")

    # --- explicit commands (rules: both arms) -----------------------------------------------------------
    if "cancel" in cmds:
        return Action("cancel", product=state.focus, reason="the shopper is not buying now")
    if "reject" in cmds:
        # every product named is turned down ("不要第一个和第二个"), else the focus, else the top one shown
        turned = list(turn.refs) or ([state.focus] if state.focus else state.shown[:1])
        exclude = tuple(dict.fromkeys(p.id for p in turned))
        if asks_new or not state.shown:
            return recommend("turned one down and asked for something else", exclude=exclude)
        rest = _unseen(state, *exclude)
        if turned and turned[-1] in state.shown:  # the next one after (the last of) them
            i = state.shown.index(turned[-1])
            rest = [p for p in state.shown[i + 1:] + state.shown[:i] if p.id not in set(state.excluded) | set(exclude)]
        rest = [p for p in rest if p.in_stock]  # never offer a sold-out one in its place
        if rest:
            return Action("next", product=rest[0], exclude=exclude, reason="turned one down: the next shown")
        return recommend("turned down everything shown", exclude=exclude)
    if "buy" in cmds or "checkout" in cmds:
        names_product = bool(turn.refs) or turn.deictic
        if "buy" in cmds and asks_new and not names_product and "category" in stated:
            pass  # "我要跑鞋": a request that names a kind of product, not a decision on one
        elif "buy" not in cmds and cart and not turn.refs:
            return Action("checkout", reason="checkout with items in the cart")
        else:
            product = target_of(turn, state) if (names_product or state.focus or len(state.shown) == 1) else None
            if "buy" in cmds and len(turn.refs) > 1:  # "就要第一个和第三个", "就买李宁的" with two shown: which?
                return Action("ask_which", products=tuple(turn.refs), reason="a decision naming several products")
            if product is None:
                if not state.shown:
                    return Action("ask_what", checkout="checkout" in cmds, reason="a decision before anything was shown")
                return Action("ask_which", products=tuple(_unseen(state)), reason="a decision on no identifiable product")
            if not product.in_stock:
                return Action("sold_out", product=product, reason="the chosen product is sold out")
            return Action("confirm", product=product, checkout="checkout" in cmds, reason="explicit decision")
    if "compare" in cmds:
        picked = list(turn.refs)
        if len(picked) == 1 and state.focus is not None and state.focus != picked[0]:
            picked = [state.focus, picked[0]]
        if len(picked) >= 2:
            return Action("compare", products=tuple(picked[:3]), reason="compare the named products")
        if stages is not None and len(_unseen(state)) >= 2:  # when to compare unnamed items: the intent arm's
            first = picked[0] if picked else (state.focus or _unseen(state)[0])
            other = next(p for p in _unseen(state) if p != first)
            return Action("compare", products=(first, other), stages=probs,
                          reason="considering shopper: compare the focus with the next best")
        if asks_new and turn.parsed is not None and len(turn.parsed.turn.brands) >= 2:  # "小米14和iPhone 15哪个好"
            return recommend("compare two named brands: search, then compare the best match of each",
                             compare_results=True)
        if state.shown and not asks_new:
            return Action("ask_which", products=tuple(_unseen(state)), reason="compare: which products?")
        if stages is not None and asks_new:
            return recommend("compare request before products were shown: search, then compare", compare_results=True)

    # --- after-sales --------------------------------------------------------------------------------------
    if turn.kind == "after_sales":
        pre_sale = (stages is not None and not turn.order_context and not ordered and state.shown
                    and stages.top() in ("consider", "ready") and stages.p("service") < prm.service)
        if pre_sale:  # the model reads "什么时候到" from a shopper who has not bought yet as a pre-sale question
            return Action("answer", product=target_of(turn, state), details=("delivery",) if turn.topic == "shipping"
                          else (), topic=turn.topic, reason="pre-sale question (stage)")
        return Action("help", topic=turn.topic, handoff=True, reason="after-sales words")

    # --- questions about a product ------------------------------------------------------------------------
    if turn.kind == "detail":
        if stages is not None and stages.p("service") >= prm.service and not turn.refs and not turn.details:
            return Action("help", topic="general", handoff=True, reason="stage service (\"那个\" is an order)")
        product = target_of(turn, state)
        if product is None:
            return Action("clarify", topic="nothing_shown", reason="a question about a product before anything was shown")
        ready = stages is not None and stages.p("ready") >= prm.ready
        if ready and not turn.question:
            if not product.in_stock:
                return Action("sold_out", product=product, reason="implicit decision on a sold-out product")
            return Action("confirm", product=product, reason="implicit decision (stage ready)")
        return Action("answer", product=product, details=turn.details, topic=turn.topic, offer_cart=ready,
                      reason="question about a product" + (" from a ready shopper" if ready else ""))

    # --- the stage decides what a plain message is (intent arm) -------------------------------------------
    if stages is not None and not asks_new:
        if stages.p("service") >= prm.service and not turn.refs:
            return Action("help", topic="general", handoff=True, reason="stage service")
        if stages.p("ready") >= prm.ready and turn.kind in ("recommend", "clarify") and state.shown:
            if state.focus is None or turn.question:  # ready, but which one? (never a new search)
                return Action("ask_which", products=tuple(_unseen(state)), reason="stage ready, no product named")
            if not state.focus.in_stock:
                return Action("sold_out", product=state.focus, reason="implicit decision on a sold-out product")
            return Action("confirm", product=state.focus, reason="implicit decision on the focus (stage ready)")
    if turn.kind == "clarify":
        if stages is not None and stages.p("browse", session=True) >= prm.browse:
            return recommend("browsing shopper with no request: a varied selection and one question")
        return Action("clarify", reason="no request yet")
    return recommend("request")
