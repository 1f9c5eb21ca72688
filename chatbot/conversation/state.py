"""What the conversation remembers between turns and what one turn produces: the state, the turn, the reply."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from catalog.filters import Filters, ParsedQuery
from catalog.products import Product

__all__ = ["ConversationState", "Reply", "Turn", "Parser", "KINDS", "MAX_PARSE_CHARS", "filters_dict",
           "filters_from_dict"]

KINDS = ("recommend", "no_match", "clarify", "greeting", "thanks", "after_sales", "detail", "invalid",
         "confirm", "ask_which", "sold_out", "compare", "checkout", "cancel", "next")
"""Reply kinds: what the guide did (see the policy table in docs/chatbot.md)."""
MAX_PARSE_CHARS = 500
"""Characters of a message used for parsing and retrieval (the stored message is never cut)."""
_MAX_SCAN = 4000  # cut before cleaning, so a 100k-character message costs nothing

Parser = Callable[[str, Filters | None, Sequence[Product]], ParsedQuery]
"""The query parser: ``parse(text, previous filters, products shown)`` (e.g. ``catalog.QueryParser.parse``)."""


@dataclass(frozen=True)
class ConversationState:
    """What the conversation remembers between turns (rebuilt from the store by :func:`replay`).

    filters: the merged hard filters of the latest request, or None before the first one.
    shown: the products shown under the latest reply that had products, in rank order.
    query: the retrieval text of the latest request (follow-ups like "cheaper" extend it).
    lang: the language of the latest message with letters in it.
    term: the shopper's own word for the category ("跑鞋", "earbuds"), used in replies.
    focus: the product the conversation is about ("这个", "it"): set by an ordinal, a title/brand/model
        mention, a view or add-to-cart on the page, a comparison's suggestion or a confirmation; cleared by
        a new list of products.
    excluded: ids of products the shopper turned down ("不要这个", "not this one"); never shown again.
    """

    filters: Filters | None = None
    shown: tuple[Product, ...] = ()
    query: str = ""
    lang: str = "zh"
    term: str = ""
    focus: Product | None = None
    excluded: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot (products by id), stored with each reply so a session resumes exactly."""
        return {"filters": None if self.filters is None else self.filters.to_dict(),
                "shown": [p.id for p in self.shown], "query": self.query, "lang": self.lang, "term": self.term,
                "focus": None if self.focus is None else self.focus.id, "excluded": list(self.excluded)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], catalog: Mapping[str, Product]) -> ConversationState:
        """The state of a :meth:`to_dict` snapshot; products no longer in ``catalog`` are dropped."""
        raw = data.get("filters")
        focus = catalog.get(data.get("focus") or "")
        return cls(filters=None if raw is None else filters_from_dict(raw),
                   shown=tuple(catalog[i] for i in data.get("shown") or () if i in catalog),
                   query=str(data.get("query") or ""), lang=str(data.get("lang") or "zh"),
                   term=str(data.get("term") or ""), focus=focus,
                   excluded=tuple(str(i) for i in data.get("excluded") or ()))


@dataclass
class Reply:
    """What the bot answers. ``products`` are JSON-ready dicts; ``state`` is the state after this turn."""

    text: str
    lang: str
    kind: str
    filters: dict = field(default_factory=dict)
    products: list[dict] = field(default_factory=list)
    state: ConversationState = field(default_factory=ConversationState, repr=False)
    recommender: str | None = None
    """Name of the recommender whose results are in ``products`` (None when nothing was recommended)."""
    action: str = ""
    """The policy's action (:data:`chatbot.conversation.policy.ACTIONS`); ``kind`` is what the reply shows."""
    focus: str | None = None
    """Id of the focused product after this turn (its card is highlighted)."""
    comparison: dict | None = None
    """For ``compare``: ``{"products": [ids], "rows": [{"label", "values", "differs"}], "suggestion": id}``."""
    cart_add: str | None = None
    """A product to add to the cart (the service logs it as the page's add_to_cart event)."""
    checkout: bool = False
    """Open the checkout step (the page shows the order summary and the "place order" button)."""
    handoff: bool = False
    """Flag the session for staff (the shopper asked for help after a purchase, or for a person)."""
    reason: str = ""
    """Why the policy chose the action, for the staff console."""
    topic: str | None = None
    """For the help path: the after-sales topic, or ``human`` for a request for a person (the staff queue's)."""

    def to_dict(self) -> dict:
        return {"text": self.text, "lang": self.lang, "kind": self.kind, "filters": self.filters,
                "products": self.products, "action": self.action, "focus": self.focus,
                "comparison": self.comparison, "checkout": self.checkout, "handoff": self.handoff}


@dataclass(frozen=True)
class Turn:
    """How one message is understood, before any retrieval (see :func:`analyse`)."""

    kind: str                          # the rules' reading: one of KINDS, "recommend" meaning "retrieve"
    lang: str
    text: str                          # cleaned and cut message
    topic: str | None = None           # after-sales topic
    ordinal: int | None = None         # 0-based index into state.shown, -1 for the last one
    parsed: ParsedQuery | None = None  # the parsed message (for requests, and for any follow-up search)
    query: str = ""                    # retrieval text for "recommend"
    greeting: bool = False             # the request started with a greeting
    commands: frozenset[str] = frozenset()  # explicit commands: buy, checkout, reject, cancel, compare, human
    refs: tuple[Product, ...] = ()     # products the message points at, in order of mention
    deictic: bool = False              # "这个 / 它 / it / this one": the focus, else the top item shown
    details: tuple[str, ...] = ()      # detail topics asked: price, stock, size, colour, delivery, specs, general
    question: bool = False             # the message asks something
    order_context: bool = False        # the message is about an order already placed ("我的订单", "收到")


def filters_from_dict(data: Mapping[str, Any]) -> Filters:
    """The :class:`Filters` of a :meth:`Filters.to_dict` dict (unknown keys ignored, lists as tuples)."""
    names = {f.name for f in fields(Filters)}
    return Filters(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names})


def filters_dict(filters: Filters | None) -> dict:
    """A JSON-ready dict of ``filters`` with the unset constraints dropped.

    >>> filters_dict(Filters(max_price=500.0, brands=("李宁",)))
    {'max_price': 500.0, 'brands': ['李宁']}
    """
    if filters is None:
        return {}
    return {k: v for k, v in filters.to_dict().items() if not (v is None or v is False or v == "" or v == [])}
