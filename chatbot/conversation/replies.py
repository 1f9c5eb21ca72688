"""Wording a reply: product cards, the recommendation list, the no-match text (with the relax hint) and
product details.

Every figure comes from a catalog record or from the shopper's own constraint (templates in
:mod:`chatbot.conversation.templates`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from catalog.filters import Filters, ParsedQuery
from catalog.products import Product
from catalog.recommend import Recommendation
from catalog.retrieval import RelaxHint
from chatbot.conversation.templates import (
    attrs_text,
    brand_name,
    category_name,
    fmt_money,
    fmt_rating,
    join_list,
    product_title,
    say,
)
from intent.text import HAN, detect_lang, is_subsequence

__all__ = ["product_card", "card_image", "IMAGE_PATH", "reason_for", "recommend_text", "no_match_text", "relax_text",
           "detail_text", "term_fits"]

IMAGE_PATH = "/catalog/image/"
"""Where the web app serves a product's local image file: ``IMAGE_PATH + <url-quoted product id>``."""


def _constraints_text(filters: Filters, lang: str) -> str:
    items: list[str] = []
    lo, hi = filters.min_price, filters.max_price
    if lo is not None and hi is not None:
        items.append(say("c_budget_range", lang, low=fmt_money(lo, lang), high=fmt_money(hi, lang)))
    elif hi is not None:
        items.append(say("c_budget_max", lang, price=fmt_money(hi, lang)))
    elif lo is not None:
        items.append(say("c_budget_min", lang, price=fmt_money(lo, lang)))
    if filters.brands:
        items.append(say("c_brand", lang, brands=join_list(sorted(brand_name(b, lang) for b in filters.brands), lang)))
    if filters.exclude_brands:
        items.append(say("c_not_brand", lang, brands=join_list(sorted(brand_name(b, lang) for b in
                                                                     filters.exclude_brands), lang)))
    if not items:
        return ""
    return say("c_wrap", lang, items=say("c_sep", lang).join(items))


def term_fits(term: str, products: Sequence[Product]) -> bool:
    """Whether every product is what the shopper's word names ("跑鞋" ⊂ "轻量缓震跑步鞋"), so a reply may
    call them that; otherwise the reply uses the category name (no running shoes called sandals)."""
    t = term.lower().replace(" ", "")
    if not t:
        return False
    for p in products:
        hay = f"{p.title_zh}{p.title_en}{p.subcategory}".lower().replace(" ", "")
        words = [w for w in term.lower().split() if w]
        if not (is_subsequence(t, hay) if detect_lang(term) == "zh" else all(w.rstrip("s") in hay for w in words)):
            return False
    return True


def what_text(filters: Filters, lang: str, term: str = "") -> str:
    """What a list is of, as the reply names it ("跑鞋", "running shoes", the category, or "products")."""
    return _what(filters, lang, term)


def _what(filters: Filters, lang: str, term: str = "") -> str:
    if term and detect_lang(term, default="") == lang:
        return term
    name = category_name(filters.category, lang) or say("what_default", lang)
    return name.lower() if lang == "en" else name


_UNCOUNTABLE = frozenset("skincare makeup clothing furniture food coffee tea luggage equipment jewelry jewellery "
                         "stationery bedding cookware software hardware gear stuff kitchenware tableware "
                         "homeware footwear sportswear underwear swimwear produce".split())
_IRREGULAR = {"knife": "knives", "shelf": "shelves", "leaf": "leaves", "man": "men", "woman": "women"}


def _plural(what: str) -> str:
    """"Here are some {what}": "lipstick" -> "lipsticks", "dress" -> "dresses", "running shoes" and
    "skincare & makeup" stay, "furniture" -> "furniture products" (English only)."""
    words = what.split()
    if not words:
        return what
    last = words[-1].lower()
    if "&" in what or "/" in what:  # a category name of several kinds ("headphones & earbuds"): as it is
        return what
    if last in _UNCOUNTABLE:
        return f"{what} products"
    if last in _IRREGULAR:
        return " ".join([*words[:-1], _IRREGULAR[last]])
    if last.endswith(("ss", "sh", "ch", "x", "z")):
        plural = last + "es"
    elif last.endswith("s") or not last.isalpha():
        return what
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return " ".join([*words[:-1], plural])


def _stock_text(product: Product, lang: str) -> str:
    return say("in_stock", lang, stock=product.stock) if product.stock > 0 else say("sold_out", lang)


def reason_for(product: Product, parts: Mapping[str, float], filters: Filters | None, lang: str) -> str:
    """A short reason for a card (no numbers): the constraints the product meets and its strong score parts.

    Parts understood: ``relevance`` / ``exact`` (retrieval), ``rating_norm``, ``conversion_norm`` /
    ``popularity``, ``intent`` (the P(buy) used); unknown parts are ignored.
    """
    parts = parts or {}
    reasons: list[str] = []
    filters = filters or Filters()
    hi, lo = filters.max_price, filters.min_price
    if (hi is not None or lo is not None) and (hi is None or product.price <= hi) and (
            lo is None or product.price >= lo):
        reasons.append("r_budget")
    if product.brand in filters.brands:
        reasons.append("r_brand")
    if parts.get("exact", 0.0) >= 0.5 or parts.get("relevance", 0.0) >= 0.8:
        reasons.append("r_relevant")
    if product.rating >= 4.7:
        reasons.append("r_rating")
    if parts.get("conversion_norm", 0.0) >= 0.85 or parts.get("popularity", 0.0) >= 0.8:
        reasons.append("r_sales")
    if product.stock > 0 and parts.get("intent", 0.0) >= 0.6:
        reasons.append("r_stock")
    texts = [say(key, lang) for key in reasons[:3]]
    return say("r_sep", lang).join(texts) if texts else category_name(product.category, lang)


def card_image(product: Product) -> str:
    """The ``src`` of a product's picture on a card: an http(s) ``image_url`` as is, a local image file as the
    app's URL for it (:data:`IMAGE_PATH` + the url-quoted id), "" without an image.

    >>> p = Product(id="S 1/红", title_zh="跑鞋", title_en="", category="shoes", subcategory="", brand="李宁",
    ...             price=399.0, stock=1, rating=4.5, sales=1, image_url="/data/shop/s1.png")
    >>> card_image(p)
    '/catalog/image/S%201%2F%E7%BA%A2'
    """
    url = product.image_url or ""
    if not url:
        return ""
    if url.lower().startswith(("http://", "https://")):
        return url
    return IMAGE_PATH + quote(product.id, safe="")


def product_card(product: Product, lang: str, *, score: float | None = None,
                 parts: Mapping[str, float] | None = None, filters: Filters | None = None) -> dict:
    """The JSON-ready dict of a shown product (all facts from the catalog record; ``image`` from
    :func:`card_image`)."""
    parts = {k: float(v) for k, v in (parts or {}).items() if isinstance(v, (int, float))}
    return {
        "id": product.id, "title": product_title(product, lang), "category": product.category,
        "brand": product.brand, "price": float(product.price), "stock": int(product.stock),
        "rating": float(product.rating), "score": None if score is None else float(score),
        "parts": parts, "reason": reason_for(product, parts, filters, lang), "image": card_image(product),
    }


def recommend_text(items: Sequence[Recommendation], filters: Filters, lang: str, intent: float,
                   parsed: ParsedQuery, greeting: bool, term: str = "", cheap_first: bool = False) -> str:
    what, constraints = _what(filters, lang, term), _constraints_text(filters, lang)
    if lang == "en":
        what = _plural(what)
    if cheap_first:
        intro = say("recommend_cheap", lang, what=what, constraints=constraints)
    elif parsed.cheaper:
        intro = say("recommend_cheaper", lang, what=what, constraints=constraints)
    elif parsed.other_brand:
        intro = say("recommend_other_brand", lang, what=what, constraints=constraints)
    else:
        intro = say("recommend_intro", lang, what=what, constraints=constraints)
    if greeting:
        intro = say("greeting_short", lang) + intro
    lines = [intro]
    for rank, rec in enumerate(items, 1):
        p = rec.product
        lines.append(say("recommend_line", lang, rank=rank, title=product_title(p, lang), brand=p.brand,
                         price=fmt_money(p.price, lang), rating=fmt_rating(p.rating),
                         stock_text=_stock_text(p, lang)))
    lines.append(say("recommend_outro_buy" if intent >= 0.6 else "recommend_outro", lang))
    return "\n".join(lines)


def no_match_text(hint: RelaxHint | None, filters: Filters, lang: str, term: str = "") -> str:
    """Nothing fits: what was asked for, then the constraint to relax (or a general suggestion)."""
    constraints = _constraints_text(filters, lang).strip(" （）()")
    what = _what(filters, lang, term)
    if constraints or filters.category:
        desc = f"{constraints}{'的' if lang == 'zh' and constraints else ''}{what}" if lang == "zh" else (
            f"{what} {constraints}".strip())
        first = say("no_match", lang, constraints=desc)
    else:
        first = say("no_match_any", lang)
    if hint is not None and hint.constraint is not None:
        second = say("no_match_hint", lang, hint=relax_text(hint, lang))
    else:
        second = say("no_match_relax", lang)
    return f"{first}{'' if lang == 'zh' else ' '}{second}"


def no_cheaper_text(cheapest: Product, filters: Filters, lang: str, term: str = "") -> str:
    """"Cheaper" when nothing cheaper fits: the cheapest of what was shown is already the cheapest."""
    return say("no_cheaper", lang, what=_what(filters, lang, term), title=product_title(cheapest, lang),
               price=fmt_money(cheapest.price, lang))


def relax_text(hint: RelaxHint, lang: str) -> str:
    """The suggestion of a relax hint, e.g. "预算提高到 ¥3999 起就有 3 件可选" / "try another brand to see 2 products".

    >>> relax_text(RelaxHint("price", 3, 3999.0), "en")
    'raise the budget to ¥3999 to see 3 products'
    """
    if hint.constraint is None:
        return say("relax.none", lang)
    if hint.constraint == "price" and hint.min_price_available is not None:
        return say("relax.price_raise", lang, price=fmt_money(hint.min_price_available, lang), count=hint.count)
    return say(f"relax.{hint.constraint}", lang, count=hint.count)


def detail_text(product: Product, lang: str, *, outro: bool = True) -> str:
    parts = [say("detail", lang, title=product_title(product, lang), brand=product.brand,
                 price=fmt_money(product.price, lang), rating=fmt_rating(product.rating),
                 stock_text=_stock_text(product, lang))]
    attrs = attrs_text(product.attributes, lang) if product.attributes else ""
    if attrs:
        parts.append(say("detail_attrs", lang, attrs=attrs))
    desc = (product.description or "").strip()
    if desc and (lang == "zh" or not HAN.search(desc)):  # an English reply never pastes Chinese prose
        parts.append(say("detail_desc", lang, desc=desc[:160] + ("…" if len(desc) > 160 else "")))
    if outro:  # never "add it to the cart" for one that cannot be
        parts.append(say("detail_outro" if product.in_stock else "detail_outro_sold_out", lang))
    return ("" if lang == "zh" else " ").join(parts)
