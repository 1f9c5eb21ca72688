"""What the conversation remembers between turns and what one turn produces: the state, the turn, the reply."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from catalog.filters import Filters, ParsedQuery
from catalog.products import Product

__all__ = ["ConversationState", "Reply", "Turn", "Parser", "KINDS", "MAX_PARSE_CHARS", "filters_dict"]

KINDS = ("recommend", "no_match", "clarify", "greeting", "thanks", "after_sales", "detail", "invalid")
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
    """

    filters: Filters | None = None
    shown: tuple[Product, ...] = ()
    query: str = ""
    lang: str = "zh"
    term: str = ""


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

    def to_dict(self) -> dict:
        return {"text": self.text, "lang": self.lang, "kind": self.kind, "filters": self.filters,
                "products": self.products}


@dataclass(frozen=True)
class Turn:
    """How one message is understood, before any retrieval (see :func:`analyse`)."""

    kind: str                          # one of KINDS, "recommend" meaning "retrieve"
    lang: str
    text: str                          # cleaned and cut message
    topic: str | None = None           # after-sales topic
    ordinal: int | None = None         # 0-based index into state.shown, -1 for the last one
    parsed: ParsedQuery | None = None  # the parsed message for "recommend"
    query: str = ""                    # retrieval text for "recommend"
    greeting: bool = False             # the request started with a greeting


def filters_dict(filters: Filters | None) -> dict:
    """A JSON-ready dict of ``filters`` with the unset constraints dropped.

    >>> filters_dict(Filters(max_price=500.0, brands=("李宁",)))
    {'max_price': 500.0, 'brands': ['李宁']}
    """
    if filters is None:
        return {}
    return {k: v for k, v in filters.to_dict().items() if not (v is None or v is False or v == "" or v == [])}
