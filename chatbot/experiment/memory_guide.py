"""A fast in-memory stand-in for :class:`~chatbot.service.chat.ChatService` for the A/B error-rate sweeps.

The A/A sweep needs hundreds of simulated experiments; the real service (intent model, FAISS, SQLite) answers a
few dozen messages a second. :class:`MemoryGuide` answers thousands: the same explicit rules both arms share
(:mod:`chatbot.conversation.commands`: decisions, ordinals, "this one", compare, after-sales words), a keyword
catalog search (category and sub-type words, a budget number, a named brand), no intent model and no store. It
answers every arm **identically** — the arm is recorded, never used — so any difference between arms in a sweep
is noise, which is what an A/A sweep measures. ``outcomes()`` gives one row per session like
:meth:`Store.ab_outcomes` (arm, purchases, revenue), to feed :mod:`chatbot.experiment.report` without a database.

    guide = MemoryGuide(products, experiment="aa-7")
    simulate(guide, products, sessions=2000, seed=7)
    rows = guide.outcomes()
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog.categories import CATEGORY_BY_SLUG
from chatbot.conversation.commands import commands, is_deictic, mentions_order, ordinals
from chatbot.experiment.assignment import arm_shares, assign_arm

__all__ = ["MemoryGuide"]

_BUDGET = re.compile(r"(\d{2,6})")
_VAGUE = ("推荐", "recommend", "suggest")
_CHEAPER = re.compile(r"便宜|实惠|cheaper|less expensive|lower price", re.I)


@dataclass
class _Session:
    arm: str
    shown: list[Any] = field(default_factory=list)
    focus: Any = None
    cart: dict[str, int] = field(default_factory=dict)
    query: tuple[str | None, str | None, float | None] = (None, None, None)
    impressions: int = 0
    clicks: int = 0
    carts: int = 0
    purchases: int = 0
    revenue: float = 0.0


class MemoryGuide:
    """An in-memory guide that answers all arms alike (see the module docstring); thread-unsafe by design."""

    def __init__(self, products: Sequence[Any], *, experiment: str = "aa", intent_share: float = 0.5,
                 placebo_share: float = 0.0, k: int = 4) -> None:
        self.products = [p for p in products if float(p.price) > 0]
        self.by_id = {str(p.id): p for p in self.products}
        self.experiment, self.shares, self.k = experiment, arm_shares(intent_share, placebo_share), k
        self.sessions: dict[str, _Session] = {}
        self._words: list[tuple[str, str, str | None]] = []  # (word, category, subtype)
        for slug, cat in CATEGORY_BY_SLUG.items():
            for w in (cat.zh, *cat.synonyms_zh, cat.en.lower(), *cat.synonyms_en):
                self._words.append((w.lower(), slug, None))
        for p in self.products:
            if p.subcategory:
                self._words.append((p.subcategory.lower(), p.category, p.subcategory))
        # longest word first ("跑步鞋" before "鞋"), a sub-type before a category synonym of the same length
        self._words.sort(key=lambda w: (-len(w[0]), w[2] is None))
        self._brands = sorted({p.brand for p in self.products if p.brand}, key=len, reverse=True)

    # --- the ChatLike calls -------------------------------------------------------------------------------
    def chat(self, session_id: str | None, text: str, *, user_agent: str | None = None,
             source: str = "web") -> dict:
        sid = session_id or f"mem-{len(self.sessions)}"
        s = self.sessions.setdefault(sid, _Session(assign_arm(sid, self.experiment, self.shares)))
        low = text.lower()
        cmds = commands(text)
        picked = self._picked(text, s)
        if mentions_order(text) and "buy" not in cmds:
            return self._reply(sid, s, "已为您转接售后，请稍等。", [], action="help", handoff=True)
        if "buy" in cmds or ("checkout" in cmds and picked is not None):
            if picked is not None and picked.stock > 0:
                s.cart[str(picked.id)] = 1
                s.carts += 1
                s.focus = picked
                return self._reply(sid, s, "好的，已加入购物车。", [picked], action="confirm")
            return self._reply(sid, s, "您要哪一款？", s.shown, action="ask_which")
        if "compare" in cmds and len(s.shown) >= 2:
            named = [s.shown[i] for i in ordinals(text) if -len(s.shown) <= i < len(s.shown)]
            pair = (named + [p for p in s.shown if p not in named])[:2]
            return self._reply(sid, s, "对比如下。", pair, action="compare",
                               comparison={"products": [str(p.id) for p in pair]})
        category, subtype, budget = self._parse(low, s)
        if category is None:
            if any(w in low for w in _VAGUE) or not s.shown:
                return self._reply(sid, s, "您想买哪类商品？", [], action="clarify")
            target = picked or s.focus or s.shown[0]
            return self._reply(sid, s, "这款有货，详情见卡片。", [target], action="answer")
        s.query = (category, subtype, budget)
        pool = [p for p in self.products if p.category == category and (subtype is None or p.subcategory == subtype)]
        brand = next((b for b in self._brands if b.lower() in low), None)
        if brand:
            pool = [p for p in pool if p.brand == brand] or pool
        if _CHEAPER.search(low) and s.shown:
            cap = min(float(p.price) for p in s.shown)
            pool = [p for p in pool if float(p.price) < cap] or pool
        pool.sort(key=lambda p: (budget is not None and float(p.price) > budget, -float(p.rating), str(p.id)))
        return self._reply(sid, s, "为您找到这些：", pool[:self.k], action="recommend")

    def event(self, session_id: str, product_id: str, event_type: str) -> dict:
        s = self.sessions[session_id]
        product = self.by_id[product_id]
        if event_type == "click":
            s.clicks += 1
            s.focus = product
        elif event_type == "add_to_cart" and product.stock > 0:
            s.cart[product_id] = 1
            s.carts += 1
            s.focus = product
        return {"ok": True}

    def checkout(self, session_id: str, product_ids: Sequence[str] | None = None) -> dict:
        s = self.sessions[session_id]
        ids = [i for i in (product_ids or list(s.cart)) if i in s.cart]
        for i in ids:
            s.purchases += 1
            s.revenue += float(self.by_id[i].price)
            del s.cart[i]
        return {"ok": bool(ids)}

    # --- analysis --------------------------------------------------------------------------------------
    def outcomes(self) -> list[dict]:
        """One row per session, with the keys :func:`chatbot.experiment.metrics.arm_metrics` reads."""
        return [{"id": sid, "arm": s.arm, "impressions": s.impressions, "clicks": s.clicks, "carts": s.carts, "purchases": s.purchases, "revenue": s.revenue}
                for sid, s in self.sessions.items()]

    # --- helpers -------------------------------------------------------------------------------------------
    def _picked(self, text: str, s: _Session) -> Any:
        for i in ordinals(text):  # 0-based, -1 the last
            if -len(s.shown) <= i < len(s.shown):
                return s.shown[i]
        if is_deictic(text) or s.focus is not None:
            return s.focus
        return s.shown[0] if len(s.shown) == 1 else None

    def _parse(self, low: str, s: _Session) -> tuple[str | None, str | None, float | None]:
        m = _BUDGET.search(low)
        budget = float(m.group(1)) if m else None
        for word, category, subtype in self._words:
            if word and word in low:
                return category, subtype, budget
        if s.query[0] is not None and (budget is not None or _CHEAPER.search(low)
                                       or any(b.lower() in low for b in self._brands)):
            return s.query[0], s.query[1], budget if budget is not None else s.query[2]
        return None, None, budget

    def _reply(self, sid: str, s: _Session, text: str, items: Sequence[Any], *, action: str,
               handoff: bool = False, comparison: Mapping[str, Any] | None = None) -> dict:
        if items:
            s.shown = list(items)
        s.impressions += len(items)
        cards = [{"id": str(p.id), "title": p.title_zh, "category": p.category, "brand": p.brand,
                  "price": float(p.price), "stock": int(p.stock), "rating": float(p.rating)} for p in items]
        return {"session_id": sid, "reply": text, "action": action, "products": cards,
                "comparison": dict(comparison) if comparison else None, "handoff": handoff,
                "cart": [{"product_id": i, "quantity": q} for i, q in s.cart.items()]}
