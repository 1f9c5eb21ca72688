"""The conversation: one plain function from a shopper message to a grounded, templated reply.

:func:`respond` takes the message, the history (Gradio 6 ``{"role", "content"}`` dicts), the session's
:class:`ConversationState` (what was asked and shown before), the session intent P(buy), the recommender of
the session's A/B arm and the query parser, and returns a :class:`Reply` with the text, the products shown
and the new state. No UI, no database: the chat service stores things, the Gradio page only displays them.

Every product name, price, rating and stock figure in a reply is copied from the catalog record; when
nothing fits the reply says so and suggests relaxing a constraint (the recommender's ``hint``).

>>> reply = respond("想买跑鞋，500以内", [], state=ConversationState(), intent=0.4,
...                 recommender=engine.recommenders["intent"], parser=parse_query)  # doctest: +SKIP
>>> reply.kind, reply.products[0]["price"] <= 500                                    # doctest: +SKIP
('recommend', True)
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from chatbot.lang import clean_text, detect_lang
from chatbot.replies import (
    attrs_text,
    category_name,
    fmt_money,
    fmt_rating,
    join_list,
    product_title,
    say,
)

__all__ = ["ConversationState", "Reply", "Turn", "respond", "analyse", "replay", "KINDS",
           "resolve_ordinal", "MAX_PARSE_CHARS"]

log = logging.getLogger(__name__)

KINDS = ("recommend", "no_match", "clarify", "greeting", "thanks", "after_sales", "detail", "invalid")
MAX_PARSE_CHARS = 500
"""Characters of a message used for parsing and retrieval (the stored message is never cut)."""
_MAX_SCAN = 4000  # cut before cleaning, so a 100k-character message costs nothing


@dataclass(frozen=True)
class ConversationState:
    """What the conversation remembers between turns (rebuilt from the store by :func:`replay`).

    filters: the merged hard filters of the latest request (a ``catalog.filters.Filters``) or None.
    shown: the products shown under the latest reply that had products, in rank order.
    query: the retrieval text of the latest request (follow-ups like "cheaper" extend it).
    lang: the language of the latest message with letters in it.
    term: the shopper's own word for the category ("跑鞋", "earbuds"), used in replies.
    """

    filters: Any = None
    shown: tuple[Any, ...] = ()
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

    kind: str                      # one of KINDS, "recommend" meaning "retrieve"
    lang: str
    text: str                      # cleaned and cut message
    topic: str | None = None       # after-sales topic
    ordinal: int | None = None     # 0-based index into state.shown, -1 for the last one
    parsed: Any = None             # catalog ParsedQuery for "recommend"
    query: str = ""                # retrieval text for "recommend"
    greeting: bool = False         # the request started with a greeting


# --- understanding --------------------------------------------------------------------------------------
_PUNCT = r"\s,.!?;:~，。！？；：、…~～\-—·'\"“”‘’()（）\[\]【】《》<>"
_FILLER_ZH = "啊呀哦噢喔呢吧啦嘛嗯哈了的吗"

_GREETING = re.compile(
    r"你好|您好|嗨|哈喽|哈啰|哈罗|在吗|在不在|有人吗|早上好|上午好|中午好|下午好|晚上好|早安|晚安|大家好|亲|"
    r"\b(?:hello|hiya|hi|hey|howdy|good morning|good afternoon|good evening|greetings|there|everyone|guys|"
    r"folks)\b", re.I)
_THANKS = re.compile(
    r"谢谢你们|谢谢你|谢谢您|谢谢|多谢|感谢|谢啦|谢了|辛苦了|好的|好滴|知道了|明白了|再见|拜拜|"
    r"\b(?:ok|okay|thank you|thanks|thank u|thx|ty|cheers|much appreciated|appreciate it|a lot|so much|"
    r"very much|great|got it|bye|goodbye|see you|later)\b", re.I)

_AFTER_SALES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("refund", re.compile(r"退款|退钱|钱.{0,4}退|refund|money back", re.I)),
    ("exchange", re.compile(r"换货|换尺码|换码|换个尺码|\bexchange", re.I)),
    ("return", re.compile(r"退货|退回|退掉|无理由|\breturn(s|ing|ed)?\b|send (it )?back", re.I)),
    ("invoice", re.compile(r"发票|开票|收据|\binvoices?\b|\breceipts?\b|fapiao", re.I)),
    ("shipping", re.compile(
        r"物流|快递|发货|配送|到货|运单|单号|几天到|多久到|什么时候到|运费|\bshipping\b|\bship(ped|s)?\b|deliver(y|ed)?|"
        r"\btrack(ing)?\b|courier|parcel", re.I)),
    ("warranty", re.compile(r"保修|维修|质保|坏了|\bwarranty\b|\brepair", re.I)),
    ("general", re.compile(r"售后|投诉|人工客服|after[- ]sales?|complain|customer service", re.I)),
)

_POLITE = re.compile(
    r"^(请|麻烦|帮我|给我|帮忙|能不能|可不可以|可以|能|我想|我要|想|我|你|您|please|can you|could you|would you|"
    r"i want to|i'd like to|i would like to|i want|help me|just|me|pls)+", re.I)
_VAGUE = re.compile(
    r"(推荐|介绍|来)?(一下|一个|个|点|些)?(东西|商品|好物|好东西|宝贝)?(呗|吧)?|"
    r"随便|随便看看|随便逛逛|看看|逛逛|先看看|买点东西|买东西|买点啥|买啥|不知道买什么|有什么推荐|有啥推荐|有什么好推荐的|"
    r"有什么|有啥|有什么好东西|推荐推荐|"
    r"(recommend|suggest|show)( me)?( something| anything| some(thing)?)?( good| nice)?|"
    r"(buy|get)? ?(something|anything)|anything|whatever|any suggestions?|suggestions?|"
    r"what do you (have|recommend|suggest)|what have you got|just (browsing|looking)|browsing|looking around|"
    r"surprise me|idk|no idea",
    re.I,
)

_ZH_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
           "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
           "6th": 6, "last": -1, "final": -1}
_ORD_ZH = re.compile(r"第\s*(?P<n>[一二两三四五六七八九十]|\d{1,2})\s*(?:个|款|件|台|部|双|本|种|项|条|只|套|支|瓶|样)?"
                     r"|(?P<last>最后(?:一|那)?(?:个|款|件|台|部|双|本))"
                     r"|(?<![\d.])(?P<d>[1-9])\s*号(?!\s*(?:码|尺|鞋|衣|电池))"
                     r"|(?<![\d.一二两三四五六七八九十])(?P<c>[一二两三四五六七八九])号")
_ORD_EN = re.compile(
    r"\b(?:the\s+)(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|4th|5th|6th|last|final)\b"
    r"|\b(first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th|last)\s+(one|item|option|product|pick)\b"
    r"|(?:\bnumber|\bno\.|\bitem|\boption|\bproduct|#)\s*([1-9])\b",
    re.I,
)


def resolve_ordinal(text: str) -> int | None:
    """The product a message points at: 0-based rank, ``-1`` for "the last one", None if none.

    >>> resolve_ordinal("第二个怎么样"), resolve_ordinal("the second one"), resolve_ordinal("2号")
    (1, 1, 1)
    >>> resolve_ordinal("42号的跑鞋") is None
    True
    """
    m = _ORD_ZH.search(text)
    if m:
        if m.group("n"):
            g = m.group("n")
            n = int(g) if g.isdigit() else _ZH_NUM[g]
            return n - 1 if n >= 1 else None
        if m.group("last"):
            return -1
        return (int(m.group("d")) if m.group("d") else _ZH_NUM[m.group("c")]) - 1
    m = _ORD_EN.search(text)
    if m:
        word = (m.group(1) or m.group(2) or "").lower()
        if word:
            n = _EN_ORD[word]
            return -1 if n == -1 else n - 1
        if m.group(4):
            return int(m.group(4)) - 1
    return None


def _strip(pattern: re.Pattern[str], text: str) -> str:
    rest = pattern.sub(" ", text)
    return re.sub(f"[{_PUNCT}{_FILLER_ZH}]+", "", rest)


def _is_only(pattern: re.Pattern[str], text: str) -> bool:
    return bool(pattern.search(text)) and not _strip(pattern, text)


def _is_vague(text: str) -> bool:
    core = re.sub(f"[{_PUNCT}]+", " ", text).strip().lower()
    core = _GREETING.sub(" ", core).strip()
    core = _POLITE.sub("", core).strip()
    core = re.sub(r"[\s" + _FILLER_ZH + "]+", " ", core).strip()
    if not core:
        return False
    return bool(_VAGUE.fullmatch(core)) or bool(_VAGUE.fullmatch(_POLITE.sub("", core).strip()))


def _after_sales_topic(text: str) -> str | None:
    for topic, pattern in _AFTER_SALES:
        if pattern.search(text):
            return topic
    return None


def _field(obj: Any, name: str, default: Any = None) -> Any:
    return getattr(obj, name, default) if obj is not None else default


def filters_dict(filters: Any) -> dict:
    """A JSON-ready dict of a ``Filters`` object (empty values dropped)."""
    if filters is None:
        return {}
    if hasattr(filters, "to_dict"):
        raw = filters.to_dict()
    elif dataclasses.is_dataclass(filters):
        raw = dataclasses.asdict(filters)
    else:
        raw = dict(filters)
    out = {}
    for key, value in raw.items():
        if value is None or value is False or (isinstance(value, (str, tuple, list, dict, set, frozenset))
                                                and not value):
            continue
        out[key] = sorted(value) if isinstance(value, (set, frozenset)) else (
            list(value) if isinstance(value, tuple) else value)
    return out


def _states_something(parsed: Any) -> bool:
    """Whether the parser found a category, brand, budget or attribute in this very message."""
    stated = _field(parsed, "stated")
    if stated is not None:
        return bool(stated)
    return bool(filters_dict(_field(parsed, "filters")))


def analyse(message: str, state: ConversationState, parser: Callable[..., Any]) -> Turn:
    """Understand one message in the light of ``state``: its kind, language, filters and retrieval text."""
    text = clean_text(message[:_MAX_SCAN])[:MAX_PARSE_CHARS]
    lang = detect_lang(text, default=state.lang)
    if not text or not re.search(r"\w", text):
        return Turn("invalid", lang, text)
    ordinal = resolve_ordinal(text)
    if ordinal is not None:
        return Turn("detail", lang, text, ordinal=ordinal)
    topic = _after_sales_topic(text)
    if topic is not None:
        return Turn("after_sales", lang, text, topic=topic)
    if _is_only(_GREETING, text) or (_GREETING.search(text) and _is_only(_THANKS, _GREETING.sub(" ", text))):
        return Turn("greeting", lang, text)
    if _is_only(_THANKS, text):
        return Turn("thanks", lang, text)
    opening = _GREETING.match(text)
    greeting = bool(opening) and (opening.end() == len(text) or bool(re.match(f"[{_PUNCT}]", text[opening.end()])))
    remembered = _remembers(state)
    if _is_vague(text) and not remembered:
        return Turn("clarify", lang, text, greeting=greeting)
    parsed = parser(text, state.filters, list(state.shown))
    if not remembered and not _states_something(parsed) and (
            not _has_content(text) or _field(parsed, "cheaper") or _field(parsed, "other_brand")):
        return Turn("clarify", lang, text, greeting=greeting)
    new_topic = bool(_field(_field(parsed, "filters"), "category")) and (
        _field(_field(parsed, "filters"), "category") != _field(state.filters, "category"))
    if _is_vague(text):
        query = state.query
    elif state.query and not new_topic:
        query = f"{state.query} {text}"[-MAX_PARSE_CHARS:]
    else:
        query = text
    return Turn("recommend", lang, text, parsed=parsed, query=query, greeting=greeting)


def _remembers(state: ConversationState) -> bool:
    """Whether earlier turns left a request to build on (filters or a retrieval text)."""
    f = state.filters
    return bool(state.query) or (f is not None and not _field(f, "is_empty", False) and bool(filters_dict(f)))


def _has_content(text: str) -> bool:
    """Enough letters to search the catalog with (a word or two of Chinese, or an English word)."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin_words = re.findall(r"[A-Za-z]{3,}", text)
    return han >= 2 or bool(latin_words)


# --- answering -----------------------------------------------------------------------------------------
def _constraints_text(filters: Any, lang: str) -> str:
    items: list[str] = []
    lo, hi = _field(filters, "min_price"), _field(filters, "max_price")
    if lo is not None and hi is not None:
        items.append(say("c_budget_range", lang, low=fmt_money(lo, lang), high=fmt_money(hi, lang)))
    elif hi is not None:
        items.append(say("c_budget_max", lang, price=fmt_money(hi, lang)))
    elif lo is not None:
        items.append(say("c_budget_min", lang, price=fmt_money(lo, lang)))
    brands = list(_field(filters, "brands", ()) or ())
    if brands:
        items.append(say("c_brand", lang, brands=join_list(sorted(brands), lang)))
    excluded = list(_field(filters, "exclude_brands", ()) or ())
    if excluded:
        items.append(say("c_not_brand", lang, brands=join_list(sorted(excluded), lang)))
    if not items:
        return ""
    return say("c_wrap", lang, items=say("c_sep", lang).join(items))


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _term_fits(term: str, products: Sequence[Any]) -> bool:
    """Whether every product is what the shopper's word names ("跑鞋" ⊂ "轻量缓震跑步鞋"), so a reply may
    call them that; otherwise the reply uses the category name (no running shoes called sandals)."""
    t = term.lower().replace(" ", "")
    if not t:
        return False
    for p in products:
        hay = f"{p.title_zh}{p.title_en}{p.subcategory}".lower().replace(" ", "")
        words = [w for w in term.lower().split() if w]
        if not (_subsequence(t, hay) if detect_lang(term) == "zh" else all(w.rstrip("s") in hay for w in words)):
            return False
    return True


def _what(filters: Any, lang: str, term: str = "") -> str:
    if term and detect_lang(term, default="") == lang:
        return term
    name = category_name(_field(filters, "category"), lang) or say("what_default", lang)
    return name.lower() if lang == "en" else name


def _stock_text(product: Any, lang: str) -> str:
    return say("in_stock", lang, stock=product.stock) if product.stock > 0 else say("sold_out", lang)


def reason_for(product: Any, parts: Mapping[str, float], filters: Any, lang: str) -> str:
    """A short reason for a card (no numbers): the constraints the product meets and its strong score parts.

    Parts understood: ``relevance`` / ``exact`` (retrieval), ``rating_norm``, ``conversion_norm`` /
    ``popularity``, ``intent`` (the P(buy) used); unknown parts are ignored.
    """
    parts = parts or {}
    reasons: list[str] = []
    hi, lo = _field(filters, "max_price"), _field(filters, "min_price")
    if (hi is not None or lo is not None) and (hi is None or product.price <= hi) and (
            lo is None or product.price >= lo):
        reasons.append("r_budget")
    if product.brand in set(_field(filters, "brands", ()) or ()):
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


def product_card(product: Any, lang: str, *, score: float | None = None,
                 parts: Mapping[str, float] | None = None, filters: Any = None) -> dict:
    """The JSON-ready dict of a shown product (all facts from the catalog record)."""
    parts = {k: float(v) for k, v in (parts or {}).items() if isinstance(v, (int, float))}
    return {
        "id": product.id, "title": product_title(product, lang), "category": product.category,
        "brand": product.brand, "price": float(product.price), "stock": int(product.stock),
        "rating": float(product.rating), "score": None if score is None else float(score),
        "parts": parts, "reason": reason_for(product, parts, filters, lang),
    }


def _recommend_text(items: Sequence[Any], filters: Any, lang: str, intent: float, parsed: Any,
                    greeting: bool, term: str = "") -> str:
    what, constraints = _what(filters, lang, term), _constraints_text(filters, lang)
    if _field(parsed, "cheaper"):
        intro = say("recommend_cheaper", lang, what=what, constraints=constraints)
    elif _field(parsed, "other_brand"):
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


def _no_match_text(hint: Any, filters: Any, lang: str, term: str = "") -> str:
    constraints = _constraints_text(filters, lang).strip(" （）()")
    what = _what(filters, lang, term)
    if constraints or _field(filters, "category"):
        desc = f"{constraints}{'的' if lang == 'zh' and constraints else ''}{what}" if lang == "zh" else (
            f"{what} {constraints}".strip())
        first = say("no_match", lang, constraints=desc)
    else:
        first = say("no_match_any", lang)
    hint = _hint_text(hint, lang)
    second = say("no_match_hint", lang, hint=hint) if hint else say("no_match_relax", lang)
    return f"{first}{'' if lang == 'zh' else ' '}{second}"


def _hint_text(hint: Any, lang: str) -> str:
    """The suggestion part of the recommender's relaxation hint ("…：预算提高到 ¥899 起就有 3 件可选")."""
    if not hint:
        return ""
    if isinstance(hint, Mapping):
        hint = hint.get(lang) or hint.get("zh") or ""
    text = str(hint).strip()
    for sep in ("：", ": "):
        if sep in text:
            return text.split(sep, 1)[1].strip().rstrip("。.")
    return ""


def _detail_text(product: Any, lang: str) -> str:
    parts = [say("detail", lang, title=product_title(product, lang), brand=product.brand,
                 price=fmt_money(product.price, lang), rating=fmt_rating(product.rating),
                 stock_text=_stock_text(product, lang))]
    if product.attributes:
        parts.append(say("detail_attrs", lang, attrs=attrs_text(product.attributes, lang)))
    if product.description:
        desc = product.description.strip()
        parts.append(say("detail_desc", lang, desc=desc[:160] + ("…" if len(desc) > 160 else "")))
    parts.append(say("detail_outro", lang))
    return ("" if lang == "zh" else " ").join(parts)


def respond(message: str, history: Sequence[Mapping[str, Any]] | None = None, *,
            state: ConversationState | None = None, intent: float = 0.5, recommender: Any,
            parser: Callable[..., Any], catalog: Mapping[str, Any] | None = None, k: int = 4,
            recommender_name: str | None = None) -> Reply:
    """Answer one shopper message.

    message: the text as typed (any length; only the first :data:`MAX_PARSE_CHARS` cleaned characters
        are parsed). history: earlier turns as ``{"role", "content"}`` dicts (informational; the state
        carries what matters). state: the conversation memory (see :func:`replay`). intent: the session
        P(buy). recommender: has ``recommend(query, *, filters, intent, k)``. parser: ``parse_query(text,
        previous, shown)``. catalog: product id -> Product, for fresh facts about a product asked about.
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
        return Reply(_detail_text(product, lang), lang, "detail", filters_now, [card], state=new_state)

    parsed = turn.parsed
    filters = _field(parsed, "filters")
    result = recommender.recommend(turn.query, filters=filters, intent=float(intent), k=k)
    result_filters = _field(result, "filters", None) or filters
    new_state = _after_request(new_state, turn)
    items = list(_field(result, "items", ()) or ())
    if _field(result, "no_match", False) or not items:
        hint = _relax_hint(recommender, result, result_filters, lang)
        return Reply(_no_match_text(hint, result_filters, lang, new_state.term), lang, "no_match",
                     filters_dict(result_filters), state=new_state)
    cards = [product_card(r.product, lang, score=r.score, parts=r.parts, filters=result_filters)
             for r in items]
    new_state = replace(new_state, shown=tuple(r.product for r in items))
    term = new_state.term if _term_fits(new_state.term, [r.product for r in items]) else ""
    text = _recommend_text(items, result_filters, lang, float(intent), parsed, turn.greeting, term)
    return Reply(text, lang, "recommend", filters_dict(result_filters), cards, state=new_state,
                 recommender=recommender_name)


def _after_request(state: ConversationState, turn: Turn) -> ConversationState:
    """The memory after a request turn: its merged filters, retrieval text and category word."""
    filters = _field(turn.parsed, "filters")
    term = _field(turn.parsed, "category_term") or ""
    if not term and _field(filters, "category") == _field(state.filters, "category"):
        term = state.term
    return replace(state, filters=filters, query=turn.query, term=term)


def _relax_hint(recommender: Any, result: Any, filters: Any, lang: str) -> Any:
    """The result's hint, recomputed in the reply language when the recommender's retriever can."""
    retriever = getattr(recommender, "retriever", None)
    if retriever is not None and hasattr(retriever, "relax_hint") and filters is not None:
        try:
            return retriever.relax_hint(filters, lang)
        except Exception:  # noqa: BLE001 - a hint is optional; fall back to the result's own
            log.debug("relax_hint failed", exc_info=True)
    return _field(result, "hint")


def replay(turns: Sequence[Mapping[str, Any]], parser: Callable[..., Any],
           catalog: Mapping[str, Any]) -> ConversationState:
    """Rebuild the state of a stored session from its turns (``Store.turns``): the same understanding of
    each message as when it was answered, and the products actually shown after it."""
    state = ConversationState()
    for t in turns:
        turn = analyse(t.get("text") or "", state, parser)
        state = replace(state, lang=turn.lang)
        if turn.kind == "recommend":
            state = _after_request(state, turn)
        shown = [catalog[r["product_id"]] for r in t.get("recommendations") or () if r["product_id"] in catalog]
        if shown:
            state = replace(state, shown=tuple(shown))
    return state
