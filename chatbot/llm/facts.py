"""What an LLM-written reply may say: the facts of one turn, taken from the catalog and the policy only.

:class:`ReplyFacts` is built from the conversation's :class:`~chatbot.conversation.state.Reply` (the template
reply, its action and cards) and the shop policy. The prompt (:mod:`chatbot.llm.prompt`) hands these facts to
the writer; the verifier (:mod:`chatbot.llm.verify`) checks every claim of the written text against them.

Example:
    >>> f = ReplyFacts(lang="zh", kind="recommend", action="recommend", stage="consider", template="为您找到…",
    ...                products=(ProductFacts(id="A", title="李宁 跑步鞋", brand="李宁", price=399.0, stock=3),))
    >>> f.prices, f.to_prompt_dict()["products"][0]["price"]
    ((399.0,), 399.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ProductFacts", "ReplyFacts", "facts_from_reply"]


@dataclass(frozen=True)
class ProductFacts:
    """One product shown with the reply, as the catalog records it (``rank`` = its number in the list, 1-based)."""

    id: str
    title: str
    brand: str
    price: float
    stock: int
    rating: float = 0.0
    category: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    rank: int = 1

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def to_prompt_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "title": self.title, "brand": self.brand, "price": self.price,
                "stock": self.stock, "rating": self.rating or None, "category": self.category,
                "attributes": dict(self.attributes)}


@dataclass(frozen=True)
class ReplyFacts:
    """Everything one reply may state.

    lang: "zh" or "en"; kind / action: what the reply does (``recommend``, ``confirm``, ``compare``, ``detail``,
    ``help``, …); stage: the shopper's stage the policy acted on (None for the baseline arm); template: the
    template reply (the fallback, and the writer's reference); products: the cards shown, in order;
    filters_text: the constraints in words; min_price / max_price: the shopper's budget bounds; delivery: the
    shop's delivery promise; policy_text: the after-sales text quoted on the help path; cart_added: the title
    of a product put in the cart this turn ("" if none).
    """

    lang: str
    kind: str
    action: str
    template: str
    stage: str | None = None
    products: tuple[ProductFacts, ...] = ()
    filters_text: str = ""
    min_price: float | None = None
    max_price: float | None = None
    delivery: str = ""
    policy_text: str = ""
    cart_added: str = ""

    @property
    def prices(self) -> tuple[float, ...]:
        return tuple(p.price for p in self.products)

    def to_prompt_dict(self) -> dict[str, Any]:
        """The JSON the prompt carries (no ids: the writer has no use for them)."""
        out: dict[str, Any] = {"language": self.lang, "reply_kind": self.kind, "action": self.action,
                               "shopper_stage": self.stage, "constraints": self.filters_text,
                               "products": [p.to_prompt_dict() for p in self.products]}
        if self.min_price is not None or self.max_price is not None:
            out["budget"] = {"min": self.min_price, "max": self.max_price}
        if self.delivery:
            out["delivery_promise"] = self.delivery
        if self.policy_text:
            out["policy_text"] = self.policy_text
        if self.cart_added:
            out["added_to_cart"] = self.cart_added
        return out


def facts_from_reply(reply: Any, catalog: Mapping[str, Any], *, stage: str | None = None, delivery: str = "",
                     policy_text: str = "", min_price: float | None = None,
                     max_price: float | None = None) -> ReplyFacts:
    """The facts of a :class:`~chatbot.conversation.state.Reply`: its cards looked up in ``catalog`` (id →
    :class:`catalog.products.Product`), so every figure is the catalog's own."""
    from catalog.taxonomy import category_label  # lazy: keep this module light

    products: list[ProductFacts] = []
    cards: Sequence[Mapping[str, Any]] = reply.products or ()
    for rank, card in enumerate(cards, 1):
        p = catalog.get(card["id"])
        if p is None:
            continue
        products.append(ProductFacts(id=p.id, title=card.get("title") or p.title_zh or p.title_en, brand=p.brand,
                                     price=float(p.price), stock=int(p.stock), rating=float(p.rating),
                                     category=category_label(p.category, reply.lang), attributes=dict(p.attributes),
                                     rank=rank))
    cart_added = ""
    if reply.cart_add and reply.cart_add in catalog:
        added = catalog[reply.cart_add]
        cart_added = added.title_zh if reply.lang != "en" else (added.title_en or added.title_zh)
    f = reply.filters if isinstance(reply.filters, Mapping) else {}
    state_filters = getattr(getattr(reply, "state", None), "filters", None)
    filters_text = state_filters.describe(reply.lang) if state_filters is not None and f else ""
    return ReplyFacts(lang=reply.lang, kind=reply.kind, action=reply.action, template=reply.text, stage=stage,
                      products=tuple(products), filters_text=filters_text,
                      min_price=f.get("min_price", min_price), max_price=f.get("max_price", max_price),
                      delivery=delivery, policy_text=policy_text, cart_added=cart_added)
