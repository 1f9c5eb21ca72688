"""The journey suite: scripted shopper conversations, in Chinese and English, that end in a buying moment
or a comparison, run through a real :class:`~chatbot.service.chat.ChatService` on any catalog.

Each journey opens with a request for a kind of product, then picks one of the products the guide showed —
by ordinal, by "这个 / it", by a superlative ("最便宜的那个"), by its brand, after a detail question, after a
view on the page, after turning one down, or after a comparison — and decides ("就它了", "I'll take it",
"加入购物车"). The expected product is computed from what the guide actually showed, so the suite runs on
the embedded catalog, a shop's own catalog or the tests' 22 products alike.

Two figures (issue #13's "done" bar is ≥ 95 % each):

- ``buy_confirmed``: share of buying moments on an in-stock pick where the reply confirms the picked product
  (kind ``confirm``, its card first) and the cart then holds it; a sold-out pick is counted apart
  (``sold_out_handled``: the reply says so, offers an in-stock alternative and adds nothing to the cart);
- ``compare_named``: share of comparisons whose reply names both products (titles in the text and the
  comparison table).

    report = run_journeys(services.chat)
    report["buy_confirmed"], report["compare_named"]
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Journey", "JOURNEYS", "run_journeys", "OPENINGS"]

log = logging.getLogger(__name__)

OPENINGS = {
    "zh": ["想买跑鞋", "推荐几款降噪耳机", "想买个手机", "笔记本电脑有什么推荐", "想买跑鞋，1000以内", "耳机推荐一下"],
    "en": ["running shoes", "noise cancelling earbuds", "I'm looking for a phone", "laptops please",
           "running shoes under 1000", "recommend some earphones"],
}

Pick = Callable[[list[dict]], int]


@dataclass(frozen=True)
class Journey:
    """One scripted conversation. ``steps`` after the opening: (message, role) where role is "pick" (the
    message points at ``pick(products)``), "buy" (the buying moment: expects the picked product confirmed),
    "compare" (expects ``compare`` of ``compare_ids(products)``), "view" (a page view of the picked
    product instead of a message) or "say" (no expectation)."""

    name: str
    lang: str
    opening: str
    steps: tuple[tuple[str, str], ...]
    pick: Pick = field(default=lambda products: 0)
    compare: tuple[int, int] | None = None


def _cheapest(products: list[dict]) -> int:
    return min(range(len(products)), key=lambda i: (products[i]["price"], products[i]["id"]))


def _build() -> list[Journey]:
    out: list[Journey] = []
    zh, en = OPENINGS["zh"], OPENINGS["en"]
    for i, opening in enumerate(zh):
        out += [
            Journey(f"zh ordinal 第二个 · {opening}", "zh", opening, (("第二个怎么样", "pick"), ("就它了", "buy")),
                    pick=lambda p: 1),
            Journey(f"zh 这个 · {opening}", "zh", opening, (("就要这个了，马上下单", "buy"),), pick=lambda p: 0),
            Journey(f"zh cheapest · {opening}", "zh", opening, (("最便宜的那个怎么样", "pick"), ("加入购物车", "buy")),
                    pick=_cheapest),
            Journey(f"zh detail then decide · {opening}", "zh", opening,
                    (("第二个有货吗，几天能到", "pick"), ("就要它了", "buy")), pick=lambda p: 1),
            Journey(f"zh view then decide · {opening}", "zh", opening, (("", "view"), ("就要这个", "buy")),
                    pick=lambda p: min(2, len(p) - 1)),
            Journey(f"zh compare then decide · {opening}", "zh", opening,
                    (("第一个和第二个哪个好", "compare"), ("就它了", "buy")), pick=lambda p: -1, compare=(0, 1)),
            Journey(f"zh turn one down · {opening}", "zh", opening,
                    (("第一个怎么样", "say"), ("不要这个", "say"), ("就要这个吧", "buy")), pick=lambda p: 1),
        ][: 7 if i < 4 else 4]
    for i, opening in enumerate(en):
        out += [
            Journey(f"en the second one · {opening}", "en", opening,
                    (("what about the second one?", "pick"), ("I'll take it", "buy")), pick=lambda p: 1),
            Journey(f"en add to cart · {opening}", "en", opening, (("add the first one to my cart", "buy"),),
                    pick=lambda p: 0),
            Journey(f"en cheapest · {opening}", "en", opening,
                    (("tell me about the cheapest one", "pick"), ("I'll take it", "buy")), pick=_cheapest),
            Journey(f"en detail then decide · {opening}", "en", opening,
                    (("is the second one in stock?", "pick"), ("ok, I'll take it", "buy")), pick=lambda p: 1),
            Journey(f"en view then decide · {opening}", "en", opening, (("", "view"), ("I'll take this one", "buy")),
                    pick=lambda p: min(2, len(p) - 1)),
            Journey(f"en compare then decide · {opening}", "en", opening,
                    (("compare the first and the second", "compare"), ("I'll take it", "buy")), pick=lambda p: -1,
                    compare=(0, 1)),
            Journey(f"en turn one down · {opening}", "en", opening,
                    (("tell me about the first one", "say"), ("not this one", "say"), ("I'll take this one", "buy")),
                    pick=lambda p: 1),
        ][: 7 if i < 4 else 4]
    return out


JOURNEYS: tuple[Journey, ...] = tuple(_build())


def _run_one(chat: Any, j: Journey) -> dict:
    out = chat.chat(None, j.opening, source="simulator")
    sid, shown = out["session_id"], out["products"]
    record: dict[str, Any] = {"name": j.name, "opening_kind": out["kind"], "buy": None, "compare": None}
    if out["kind"] != "recommend" or len(shown) < 2:
        record["skipped"] = f"the opening showed {len(shown)} product(s)"
        return record
    expected = shown[j.pick(shown)]["id"] if j.pick(shown) >= 0 else None
    for message, role in j.steps:
        if role == "view":
            chat.event(sid, expected, "click")
            continue
        reply = chat.chat(sid, message, source="simulator")
        if role == "compare":
            a, b = (shown[i] for i in j.compare)
            table = reply.get("comparison") or {}
            named = (reply["kind"] == "compare" and set(table.get("products", [])) == {a["id"], b["id"]}
                     and all(p["title"] in reply["reply"] for p in (a, b)))
            record["compare"] = {"ok": named, "kind": reply["kind"], "want": [a["id"], b["id"]],
                                 "got": table.get("products"), "reply": reply["reply"][:200]}
            expected = table.get("suggestion", expected)
        elif role == "buy":
            if expected is None:
                expected = reply.get("focus")
            got = reply["products"][0]["id"] if reply["products"] else None
            in_cart = any(c["product_id"] == expected for c in reply.get("cart") or ())
            product = chat.catalog.get(expected)
            sold_out = product is not None and not product.in_stock
            if sold_out:  # the right answer is "sold out" and the nearest in-stock alternative, never a cart line
                alt = chat.catalog.get(got or "")
                ok = reply["kind"] == "sold_out" and not in_cart and (alt is None or alt.in_stock)
            else:
                ok = reply["kind"] == "confirm" and got == expected and in_cart
            record["buy"] = {"ok": ok, "sold_out": sold_out, "kind": reply["kind"], "want": expected, "got": got,
                             "in_cart": in_cart, "reply": reply["reply"][:200]}
        elif role == "say" and message.startswith(("不要", "not")):
            turned_down = reply.get("focus")
            expected = turned_down if reply["kind"] == "next" else expected
    return record


def run_journeys(chat: Any, journeys: Sequence[Journey] = JOURNEYS) -> dict:
    """Run every journey through ``chat`` (a ChatService); the two rates and the failures."""
    records = [_run_one(chat, j) for j in journeys]
    buys = [r["buy"] for r in records if r["buy"] is not None and not r["buy"]["sold_out"]]
    sold_out = [r["buy"] for r in records if r["buy"] is not None and r["buy"]["sold_out"]]
    compares = [r["compare"] for r in records if r["compare"] is not None]
    failures = [r for r in records if (r["buy"] and not r["buy"]["ok"]) or (r["compare"] and not r["compare"]["ok"])
                or r.get("skipped")]
    return {
        "journeys": len(records), "languages": sorted({j.lang for j in journeys}),
        "buying_moments": len(buys), "buy_confirmed": sum(b["ok"] for b in buys) / len(buys) if buys else 0.0,
        "sold_out_picks": len(sold_out),
        "sold_out_handled": sum(b["ok"] for b in sold_out) / len(sold_out) if sold_out else None,
        "comparisons": len(compares),
        "compare_named": sum(c["ok"] for c in compares) / len(compares) if compares else 0.0,
        "skipped": sum(1 for r in records if r.get("skipped")), "failures": failures,
    }
