"""The actions of the policy, one function each: each takes the :class:`~chatbot.conversation.policy.Action`
and the conversation and returns the :class:`~chatbot.conversation.state.Reply` (text, cards, new state, and
what the service must do: add to the cart, open the checkout step, flag the session for staff).

Every figure in a reply is copied from a catalog record, the shopper's own words or the shop's policy file
(:mod:`catalog.policy`); nothing is invented. :func:`perform` dispatches on ``action.name``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from catalog.attr_terms import english_attribute, english_name
from catalog.filters import ParsedQuery
from catalog.policy import ShopPolicy
from catalog.products import Product
from catalog.recommend import Recommendation, Recommender
from chatbot.conversation.policy import Action
from chatbot.conversation.replies import (
    detail_text,
    no_cheaper_text,
    no_match_text,
    product_card,
    recommend_text,
    term_fits,
    what_text,
)
from chatbot.conversation.state import ConversationState, Reply, Turn, filters_dict
from chatbot.conversation.templates import (
    attrs_text,
    english_brand,
    fmt_money,
    fmt_rating,
    product_title,
    say,
)
from chatbot.conversation.understand import after_request
from intent.stages import buy_score
from intent.text import normalize

__all__ = ["Context", "perform", "comparison_of", "nearest_in_stock"]


@dataclass(frozen=True)
class Context:
    """What the actions may use besides the turn and the state."""

    recommender: Recommender
    catalog: Mapping[str, Product]
    policy: ShopPolicy
    cart: Sequence[Mapping] = ()
    """Cart lines: ``product_id`` and ``quantity``."""
    recommender_name: str | None = None
    intent: float = 0.5


def _fresh(product: Product, ctx: Context) -> Product:
    return ctx.catalog.get(product.id, product)


def _stock_text(product: Product, lang: str) -> str:
    return say("in_stock", lang, stock=product.stock) if product.stock > 0 else say("sold_out", lang)


def _card(product: Product, lang: str, state: ConversationState, *, focus: bool = False, **kw) -> dict:
    card = product_card(product, lang, filters=state.filters, **kw)
    card["focus"] = focus
    return card


def _reply(text: str, turn: Turn, action: Action, state: ConversationState, kind: str | None = None, **kw) -> Reply:
    filters = kw.pop("filters", filters_dict(state.filters))
    focus = state.focus.id if state.focus is not None else None
    return Reply(text, turn.lang, kind or action.name, filters, state=state, action=action.name, focus=focus,
                 reason=action.reason, **kw)


# --- simple replies -----------------------------------------------------------------------------------------
def _fixed(key: str, kind: str) -> Callable[[Action, Turn, ConversationState, Context], Reply]:
    def run(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
        return _reply(say(key, turn.lang), turn, action, state, kind)
    return run


def _clarify(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    key = "clarify_ordinal" if action.topic == "nothing_shown" else "clarify"
    return _reply(say(key, turn.lang), turn, action, state, "clarify")


def _ask_which(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    if action.topic == "out_of_range":
        return _reply(say("ordinal_out_of_range", lang, count=len(state.shown)), turn, action, state, "clarify")
    items = say("checkout_sep", lang).join(
        say("ask_which_line", lang, rank=state.shown.index(p) + 1 if p in state.shown else i,
            title=product_title(p, lang), price=fmt_money(p.price, lang))
        for i, p in enumerate(action.products or state.shown, 1))
    cards = [_card(_fresh(p, ctx), lang, state) for p in action.products or state.shown]
    return _reply(say("ask_which", lang, items=items), turn, action, state, products=cards)


def _cancel(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    state = replace(state, focus=None)
    return _reply(say("cancel", turn.lang), turn, action, state)


def _help(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    text = ctx.policy.topic_text(action.topic or "general", lang)
    asked = "human" in turn.commands
    tail = say("help_human" if asked else "help_offer", lang)
    text = f"{text}{'' if lang == 'zh' else ' '}{tail}" if text and not asked else (tail if asked else text)
    return _reply(text, turn, action, state, "after_sales", handoff=True, topic="human" if asked else action.topic)


# --- a decision -----------------------------------------------------------------------------------------------
def _cart_lines(ctx: Context, extra: Product | None = None) -> list[tuple[Product, int]]:
    lines: dict[str, int] = {}
    for row in ctx.cart:
        if row["product_id"] in ctx.catalog:
            lines[row["product_id"]] = lines.get(row["product_id"], 0) + int(row.get("quantity") or 1)
    if extra is not None and extra.id not in lines:
        lines[extra.id] = 1
    return [(ctx.catalog[pid], n) for pid, n in lines.items()]


def _checkout_text(lines: Sequence[tuple[Product, int]], lang: str) -> str:
    total = sum(p.price * n for p, n in lines)
    body = say("checkout_sep", lang).join(
        say("checkout_line", lang, title=product_title(p, lang), quantity=n, price=fmt_money(p.price * n, lang))
        for p, n in lines)
    return say("checkout", lang, count=sum(n for _, n in lines), lines=body, total=fmt_money(total, lang))


def _confirm(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    product = _fresh(action.product, ctx)
    delivery = ctx.policy.delivery_text(lang)
    text = say("confirm", lang, title=product_title(product, lang), brand=product.brand,
               price=fmt_money(product.price, lang), stock_text=_stock_text(product, lang),
               delivery=say("confirm_delivery", lang, delivery=delivery) if delivery else "")
    if action.checkout:
        text += ("" if lang == "zh" else " ") + _checkout_text(_cart_lines(ctx, product), lang)
    else:
        text += ("" if lang == "zh" else " ") + say("confirm_next", lang)
    state = replace(state, focus=product)
    return _reply(text, turn, action, state, products=[_card(product, lang, state, focus=True)],
                  cart_add=product.id, checkout=action.checkout)


def _checkout(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lines = _cart_lines(ctx)
    return _reply(_checkout_text(lines, turn.lang), turn, action, state, checkout=True)


def nearest_in_stock(product: Product, ctx: Context, state: ConversationState) -> Product | None:
    """The in-stock product most like ``product``: same subcategory (else category), closest price, then
    rating; never one the shopper turned down."""
    skip = set(state.excluded) | {product.id}
    pool = [p for p in ctx.catalog.values() if p.in_stock and p.id not in skip and p.category == product.category]
    same = [p for p in pool if p.subcategory == product.subcategory] or pool
    if not same:
        return None
    return min(same, key=lambda p: (abs(p.price - product.price), -p.rating, p.id))


def _sold_out(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    product = _fresh(action.product, ctx)
    text = say("sold_out_pick", lang, title=product_title(product, lang))
    alt = nearest_in_stock(product, ctx, state)
    cards = []
    if alt is not None:
        text += ("" if lang == "zh" else " ") + say(
            "sold_out_alt", lang, title=product_title(alt, lang), brand=alt.brand, price=fmt_money(alt.price, lang),
            stock_text=_stock_text(alt, lang))
        state = replace(state, focus=alt)
        cards = [_card(alt, lang, state, focus=True)]
    else:
        text += ("" if lang == "zh" else " ") + say("sold_out_none", lang)
    return _reply(text, turn, action, state, products=cards)


# --- questions and comparisons ------------------------------------------------------------------------------------
_SIZE_KEYS = re.compile(r"尺码|码数|尺寸|规格|size", re.I)
_COLOUR_KEYS = re.compile(r"颜色|配色|colou?r", re.I)


def _attr(product: Product, pattern: re.Pattern[str]) -> str | None:
    for key, value in product.attributes.items():
        if pattern.search(key):
            return str(value)
    return None


def answer_text(product: Product, details: Sequence[str], lang: str, policy: ShopPolicy,
                topic: str | None = None) -> str:
    """The answer to detail questions about ``product`` from its catalog record and the shop policy."""
    if not details and topic is None or details == ("general",):
        return detail_text(product, lang, outro=False).strip()
    parts = [say("answer_about", lang, title=product_title(product, lang))]
    for d in details:
        if d == "price":
            parts.append(say("answer_price", lang, price=fmt_money(product.price, lang)))
        elif d == "stock":
            parts.append(say("answer_stock", lang, stock_text=_stock_text(product, lang)))
        elif d == "size":
            value = _attr(product, _SIZE_KEYS)
            if value and lang == "en":
                value = (english_attribute("尺寸", value) or ("", value))[1]
            parts.append(say("answer_size", lang, value=value) if value else say("answer_size_none", lang))
            if "stock" not in details:
                parts.append(say("answer_stock", lang, stock_text=_stock_text(product, lang)))
        elif d == "colour":
            value = _attr(product, _COLOUR_KEYS)
            if value and lang == "en":  # "黑白" -> "black/white" where the words are known
                value = (english_attribute("颜色", value) or ("", value))[1]
            parts.append(say("answer_colour", lang, value=value) if value else say("answer_colour_none", lang))
        elif d == "delivery":
            delivery = policy.delivery_text(lang)
            parts.append(say("answer_delivery", lang, delivery=delivery) if product.in_stock and delivery
                         else say("answer_delivery_none", lang))
        elif d == "specs":
            attrs = attrs_text(product.attributes, lang, limit=6) if product.attributes else ""
            if attrs:
                parts.append(say("answer_specs", lang, attrs=attrs))
            else:
                parts.append(detail_text(product, lang, outro=False).strip() + " ")
    if topic is not None and topic != "shipping":
        parts.append(policy.topic_text(topic, lang) + ("" if lang == "zh" else " "))
    text = "".join(parts).strip()
    return text[:1].upper() + text[1:] if lang == "en" else text


def _answer(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    product = _fresh(action.product, ctx)
    text = answer_text(product, action.details, lang, ctx.policy, action.topic)
    outro = ("offer_cart" if action.offer_cart else "detail_outro") if product.in_stock else "detail_outro_sold_out"
    text += ("" if lang == "zh" else " ") + say(outro, lang)
    state = replace(state, focus=product)
    return _reply(text, turn, action, state, "detail", products=[_card(product, lang, state, focus=True)])


_NEED_STOP = frozenset("哪个 哪款 好 更 比较 对比 一下 还是 和 跟 与 的 吗 呢 推荐 想 要 买 我 这 那 个 款 "
                       "which better best compare and or the one is a for vs".split())


def _need_words(text: str) -> list[str]:
    from intent.text import get_segmenter

    words = [w for w in get_segmenter().cut(normalize(text)) if len(w.strip()) >= 2 and w not in _NEED_STOP]
    return list(dict.fromkeys(words))


def _product_text(p: Product) -> str:
    return normalize(" ".join([p.title_zh, p.title_en, p.subcategory, " ".join(p.tags), p.description,
                               " ".join(f"{k} {v}" for k, v in p.attributes.items())]))


def comparison_of(products: Sequence[Product], lang: str, *, said: str = "", max_price: float | None = None
                  ) -> dict:
    """The side-by-side table of ``products`` and a one-line suggestion tied to what the shopper said.

    rows: price, rating, stock, brand, then every attribute whose values differ. The suggestion, in order:
    a need the shopper named that only one product's record mentions; the only one within the budget; the
    only one in stock; the higher rating; the lower price.
    """
    rows = [
        {"label": say("label_price", lang), "values": [fmt_money(p.price, lang) for p in products]},
        {"label": say("label_rating", lang), "values": [fmt_rating(p.rating) for p in products]},
        {"label": say("label_stock", lang), "values": [say("stock_count", lang, stock=p.stock) if p.in_stock
                                                       else say("sold_out", lang) for p in products]},
        {"label": say("label_brand", lang), "values": [p.brand if lang == "zh" else english_brand(p) for p in products]},
    ]
    keys = list(dict.fromkeys(k for p in products for k in p.attributes))
    for key in keys:
        values = [str(p.attributes.get(key, "–")) for p in products]
        if len(set(values)) <= 1:
            continue
        if lang == "en":  # English words, or the row is left out (no Chinese specs in an English table)
            pairs = [english_attribute(key, v) if v != "–" else (english_name(key), "–") for v in values]
            if any(p is None or p[0] is None for p in pairs):
                continue
            rows.append({"label": pairs[0][0], "values": [p[1] for p in pairs]})
        else:
            rows.append({"label": key, "values": values})
    for row in rows:
        row["differs"] = len(set(row["values"])) > 1
    suggestion, why, need = None, "", ""
    texts = {p.id: _product_text(p) for p in products}
    names = [normalize(x) for p in products for x in (p.brand, p.subcategory, p.category) if x]
    titles = " ".join(normalize(f"{p.title_zh} {p.title_en}") for p in products).replace(" ", "")
    for word in _need_words(said):
        if any(word in n or n in word for n in names) or word.replace(" ", "") in titles or word.isdigit():
            continue  # a brand, a kind of product or a model word names an item, not a need
        having = [p for p in products if word in texts[p.id]]
        if len(having) == 1:
            suggestion, why, need = having[0], "need", word
            break
    if suggestion is None and max_price is not None:
        within = [p for p in products if p.price <= max_price]
        if len(within) == 1:
            suggestion, why = within[0], "budget"
    if suggestion is None:
        stocked = [p for p in products if p.in_stock]
        if len(stocked) == 1:
            suggestion, why = stocked[0], "stock"
    if suggestion is None:
        best = max(products, key=lambda p: (p.rating, -p.price))
        if sum(p.rating == best.rating for p in products) == 1:
            suggestion, why = best, "rating"
        else:
            suggestion, why = min(products, key=lambda p: (p.price, p.id)), "price"
    return {"products": [p.id for p in products], "titles": [product_title(p, lang) for p in products],
            "rows": rows, "suggestion": suggestion.id, "why": why, "need": need}


def _compare_text(products: Sequence[Product], table: dict, lang: str) -> str:
    names = say("compare_and", lang).join(product_title(p, lang) for p in products)
    body = say("compare_sep", lang).join(
        say("compare_row", lang, label=row["label"], values=say("compare_vs", lang).join(row["values"]))
        for row in table["rows"] if row["differs"] or row["label"] in (say("label_price", lang),))
    best = next(p for p in products if p.id == table["suggestion"])
    key = {"need": "suggest_need", "budget": "suggest_budget", "stock": "suggest_stock", "rating": "suggest_rating",
           "price": "suggest_price"}[table["why"]]
    suggestion = say(key, lang, title=product_title(best, lang), need=table["need"], rating=fmt_rating(best.rating))
    return say("compare_intro", lang, names=names) + body + suggestion + say("compare_outro", lang)


def _compare(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    products = [_fresh(p, ctx) for p in action.products]
    said = f"{turn.text} {state.query}"  # this message's needs first
    table = comparison_of(products, lang, said=said, max_price=state.filters.max_price if state.filters else None)
    best = next(p for p in products if p.id == table["suggestion"])
    state = replace(state, focus=best)
    cards = [_card(p, lang, state, focus=p.id == best.id) for p in products]
    return _reply(_compare_text(products, table, lang), turn, action, state, products=cards, comparison=table)


def _next(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    product = _fresh(action.product, ctx)
    state = replace(state, focus=product, excluded=tuple(dict.fromkeys((*state.excluded, *action.exclude))))
    text = say("next", lang) + answer_text(product, (), lang, ctx.policy)
    return _reply(text, turn, action, state, products=[_card(product, lang, state, focus=True)])


# --- lists ------------------------------------------------------------------------------------------------------
def _narrowing_question(state: ConversationState, lang: str) -> str:
    f = state.filters
    if f is None or not f.category:
        return say("narrow_kind", lang)
    if f.min_price is None and f.max_price is None:
        return say("narrow_price", lang)
    if not f.brands:
        return say("narrow_brand", lang)
    return say("narrow_use", lang)


def _varied(ctx: Context, state: ConversationState, k: int) -> list[Product]:
    """Best sellers in stock, one per category (then per subcategory), for a shopper with no request yet."""
    pool = sorted((p for p in ctx.catalog.values() if p.in_stock and p.id not in state.excluded),
                  key=lambda p: (-p.sales, p.id))
    out: list[Product] = []
    for key in (lambda p: p.category, lambda p: p.subcategory):
        seen = {key(p) for p in out}
        for p in pool:
            if len(out) >= k:
                break
            if key(p) not in seen and p not in out:
                out.append(p)
                seen.add(key(p))
    return out[:k]


def _only_the_price_moved(state: ConversationState, parsed: ParsedQuery) -> bool:
    """Whether "cheaper" changed nothing but the price cap ("便宜点的李宁" or "便宜点的电视" ask for more)."""
    before = state.filters
    if before is None:
        return False
    return replace(parsed.filters, max_price=before.max_price, min_price=before.min_price) == before


CHEAP_POOL = 8
VARIANT_POOL = 2
"""A list is drawn from this many times its length of best matches, so that colour and storage variants of one
model do not fill it (:func:`distinct_models`)."""


def model_key(product: Product) -> tuple[str, str]:
    """What variants of one model share: the brand and the title without its attribute values ("小米14 5G旗舰手机
    8GB+256GB 晨曦紫" and "… 16GB+1TB 雪域白" are one model)."""
    title = normalize(product.title_zh or product.title_en or product.id)
    for value in sorted({normalize(str(v)) for v in product.attributes.values() if str(v).strip()}, key=len,
                        reverse=True):
        title = title.replace(value, " ")
    return product.brand, " ".join(title.split())


def distinct_models(items: Sequence[Recommendation], k: int) -> list[Recommendation]:
    """The first ``k`` of ``items`` (recommendations, best first) with one variant per model first, then the
    other variants in their order when there are fewer than ``k`` models."""
    seen: set[tuple[str, str]] = set()
    first, later = [], []
    for r in items:
        key = model_key(r.product)
        (later if key in seen else first).append(r)
        seen.add(key)
    return (first + later)[:k]
"""A "cheap" request with no budget picks the cheapest of this many times the list's length of best matches."""


def _recommend(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    lang = turn.lang
    excluded = tuple(dict.fromkeys((*state.excluded, *action.exclude)))
    if turn.parsed is None or not turn.query:  # a browsing shopper with no request yet
        items = _varied(ctx, replace(state, excluded=excluded), action.k)
        new_state = replace(state, shown=tuple(items), focus=None, excluded=excluded)
        cards = [_card(p, lang, new_state) for p in items]
        text = "\n".join([say("browse_intro", lang), *(
            say("recommend_line", lang, rank=i, title=product_title(p, lang), brand=p.brand,
                price=fmt_money(p.price, lang), rating=fmt_rating(p.rating), stock_text=_stock_text(p, lang))
            for i, p in enumerate(items, 1)), say("narrow_kind", lang)])
        return _reply(text, turn, action, new_state, "recommend", products=cards, recommender=ctx.recommender_name)
    parsed = turn.parsed
    # "便宜的跑鞋" with nothing shown yet and no budget: the cheapest of the best matches, cheapest first
    cheap_first = (parsed.cheap or parsed.cheaper) and not state.shown and parsed.filters.max_price is None
    # "小米14和iPhone 15哪个好": the comparison is of the best match of each brand named, in the order named
    pair_brands = list(parsed.turn.brands[:2]) if action.compare_results and len(parsed.turn.brands) >= 2 else []
    missing_brand = ""
    fetch = action.k * (CHEAP_POOL if cheap_first else VARIANT_POOL)
    result = ctx.recommender.recommend(turn.query, filters=parsed.filters, intent=float(ctx.intent),
                                       k=fetch + len(excluded), stages=action.stages)
    filters = result.filters
    new_state = replace(after_request(state, turn), excluded=excluded, focus=None)
    items = [r for r in result.items if r.product.id not in set(excluded)][:fetch]
    if cheap_first:  # in stock first: the cheapest one on offer, not a sold-out bargain
        items = sorted(items, key=lambda r: (not r.product.in_stock, r.product.price, r.product.id))[:action.k]
    elif pair_brands:  # one search per brand: relevance alone can fill the list with one brand's variants
        firsts = []
        for b in pair_brands:
            own = ctx.recommender.recommend(turn.query, filters=replace(parsed.filters, brands=(b,)),
                                            intent=float(ctx.intent), k=1 + len(excluded), stages=action.stages)
            firsts.append(next((r for r in own.items if r.product.id not in set(excluded)), None))
        if all(firsts):
            ids = {r.product.id for r in firsts}
            items = [*firsts, *(r for r in items if r.product.id not in ids)]
        else:  # one brand has nothing that fits: no comparison of two of the other's (said below)
            missing_brand = pair_brands[firsts.index(None)]
    items = distinct_models(items, action.k)
    if (result.no_match or not items) and parsed.cheaper and state.shown and _only_the_price_moved(state, parsed):
        # "便宜点的" below the cheapest one shown, and nothing is: say so, and keep the filters as they were (a
        # cap nothing fits would block every later request)
        cheapest = min(state.shown, key=lambda p: (p.price, p.id))
        kept = state.filters or filters
        return _reply(no_cheaper_text(cheapest, kept, lang, state.term), turn, action, state, "no_match",
                      filters=filters_dict(kept))
    if result.no_match or not items:
        if parsed.cheaper and state.filters is not None:  # keep what else was asked, not a cap nothing fits
            kept = replace(new_state.filters or filters, max_price=state.filters.max_price,
                           min_price=state.filters.min_price)
            new_state = replace(new_state, filters=kept)
        return _reply(no_match_text(result.hint, filters, lang, new_state.term), turn, action, new_state,
                      "no_match", filters=filters_dict(filters))
    shown = tuple(r.product for r in items)
    new_state = replace(new_state, shown=shown)
    cards = [_card(r.product, lang, new_state, score=r.score, parts=r.parts) for r in items]
    term = new_state.term if term_fits(new_state.term, shown) else ""
    buy = ctx.intent if action.stages is None else buy_score(action.stages)
    text = recommend_text(items, filters, lang, float(buy), parsed, turn.greeting, term, cheap_first=cheap_first)
    comparison = None
    if missing_brand:
        text += "\n" + say("no_brand_match", lang, brand=missing_brand, what=what_text(filters, lang, new_state.term))
    if action.compare_results and len(shown) >= 2 and not missing_brand:
        comparison = comparison_of(shown[:2], lang, said=turn.text, max_price=filters.max_price)
        text += "\n" + _compare_text(shown[:2], comparison, lang)
        best = next(p for p in shown if p.id == comparison["suggestion"])
        new_state = replace(new_state, focus=best)
        cards = [{**c, "focus": c["id"] == best.id} for c in cards]
    elif action.mode == "browse":
        text += "\n" + _narrowing_question(new_state, lang)
    return _reply(text, turn, action, new_state, "recommend", products=cards, filters=filters_dict(filters),
                  recommender=ctx.recommender_name, comparison=comparison)


_ACTIONS: dict[str, Callable[[Action, Turn, ConversationState, Context], Reply]] = {
    "invalid": _fixed("invalid", "invalid"),
    "greet": _fixed("greeting", "greeting"),
    "thank": _fixed("thanks", "thanks"),
    "clarify": _clarify,
    "ask_what": _fixed("ask_what", "ask_which"),
    "ask_which": _ask_which,
    "confirm": _confirm,
    "sold_out": _sold_out,
    "checkout": _checkout,
    "answer": _answer,
    "compare": _compare,
    "next": _next,
    "cancel": _cancel,
    "help": _help,
    "recommend": _recommend,
}


def perform(action: Action, turn: Turn, state: ConversationState, ctx: Context) -> Reply:
    """Run ``action`` (one of :data:`chatbot.conversation.policy.ACTIONS`)."""
    return _ACTIONS[action.name](action, turn, replace(state, lang=turn.lang), ctx)

