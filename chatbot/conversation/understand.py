"""Understanding one shopper message in the light of the session: its kind, ordinal, topic and retrieval text.

>>> resolve_ordinal("第二个怎么样")
1
"""

from __future__ import annotations

import re
from dataclasses import replace

from chatbot.conversation.commands import (
    commands,
    detail_topics,
    is_deictic,
    is_question,
    mentions_order,
    ordinals,
    references,
    strip_ordinals,
)
from chatbot.conversation.state import (
    _MAX_SCAN,
    MAX_PARSE_CHARS,
    ConversationState,
    Parser,
    Turn,
    filters_dict,
)
from intent.text import clean_text, detect_lang

__all__ = ["analyse", "resolve_ordinal", "after_request"]

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

_APPROVAL = re.compile(r"[\s!！。.~～]*(?:[👍👌🙏👏🤝💯✅❤♥💕😊😀😁😄🙂☺😘🥰🌹][\ufe0f\U0001f3fb-\U0001f3ff]*"
                       r"[\s!！。.~～]*)+")
_AFTER_SALES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("refund", re.compile(r"退款|退钱|钱.{0,4}退|refund|money back", re.I)),
    ("exchange", re.compile(r"换货|退换|调换|换尺码|换码|换个尺码|换(?:大|小)(?:一|1|半)?(?:码|号)|(?:尺码|码数)不(?:合适|对)|"
                            r"不合脚|(?:能|可以|可不可以|能不能)换(?:吗|么|嘛)[？?！!。.～~\s]*$|\bexchange", re.I)),
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

def resolve_ordinal(text: str) -> int | None:
    """The product a message points at: 0-based rank, ``-1`` for "the last one", None if none (the first of
    :func:`chatbot.conversation.commands.ordinals`).

    >>> resolve_ordinal("第二个怎么样"), resolve_ordinal("the second one"), resolve_ordinal("2号")
    (1, 1, 1)
    >>> resolve_ordinal("42号的跑鞋") is None
    True
    """
    found = ordinals(text)
    return found[0] if found else None


def _strip(pattern: re.Pattern[str], text: str) -> str:
    rest = _APPROVAL.sub(" ", pattern.sub(" ", text))  # "谢谢👍" is only thanks
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


def analyse(message: str, state: ConversationState, parser: Parser) -> Turn:
    """Understand one message in the light of ``state``: the rules' reading (kind), its language, the
    explicit commands, the products it points at, the details it asks, and the filters and retrieval text
    of a request. What the guide then does is :func:`chatbot.conversation.policy.next_action`'s choice."""
    text = clean_text(message[:_MAX_SCAN])[:MAX_PARSE_CHARS]
    lang = detect_lang(text, default=state.lang)
    if text and _APPROVAL.fullmatch(text):  # "👍", "🙏🙏", "👌😊": a thumbs-up is a thank-you, not an empty message
        return Turn("thanks", lang, text)
    if not text or not re.search(r"\w", text):
        return Turn("invalid", lang, text)
    cmds = commands(text)
    refs = references(text, state.shown, state.focus, state.excluded)
    deictic = is_deictic(text)
    details = detail_topics(text)
    question = is_question(text)
    order = mentions_order(text)
    ordinal = resolve_ordinal(text)
    topic = _after_sales_topic(text)
    opening = _GREETING.match(text)
    greeting = bool(opening) and (opening.end() == len(text) or bool(re.match(f"[{_PUNCT}]", text[opening.end()])))
    shown = [state.focus] if state.focus is not None and _CHEAPER_THAN_THIS.search(text) else list(state.shown)
    parsed = parser(strip_ordinals(text) if ordinal is not None or refs else text, state.filters, shown)
    common = {"commands": cmds, "refs": refs, "deictic": deictic, "details": details, "question": question,
              "order_context": order, "ordinal": ordinal, "greeting": greeting, "topic": topic}
    pointed = bool(refs) or (deictic and bool(state.shown or state.focus))
    asks_new = bool(parsed.stated - {"in_stock"}) or parsed.cheaper or parsed.other_brand
    if (topic is not None or order) and not cmds - {"human", "cancel"} and (order or not pointed):
        # an order already placed ("我的订单怎么还没到", "where is my order") is after-sales even without a topic word
        return Turn("after_sales", lang, text, parsed=parsed, **{**common, "topic": topic or "general"})
    if not cmds and (_is_only(_GREETING, text) or (_GREETING.search(text) and _is_only(_THANKS, _GREETING.sub(" ", text)))):
        return Turn("greeting", lang, text, **{**common, "greeting": True})
    if not cmds and _is_only(_THANKS, text):
        return Turn("thanks", lang, text, **common)
    if cmds:
        return Turn("command", lang, text, parsed=parsed, query=_query(text, state, parsed), **common)
    if ordinal is not None and not refs and not asks_new:  # "第三个" beyond the list, or before any list
        return Turn("detail", lang, text, parsed=parsed, **common)
    about_product = pointed or (bool(details) and question and bool(state.shown or state.focus) and not asks_new)
    if about_product and (details or question or ordinal is not None or topic or not asks_new):
        return Turn("detail", lang, text, parsed=parsed, **common)
    if details and not (state.shown or state.focus) and not asks_new and not _has_content_beyond(text):
        return Turn("detail", lang, text, parsed=parsed, **common)
    remembered = _remembers(state)
    if _is_vague(text) and not remembered:
        return Turn("clarify", lang, text, parsed=parsed, **common)
    if not remembered and not parsed.stated and (not _has_content(text) or parsed.cheaper or parsed.other_brand):
        return Turn("clarify", lang, text, parsed=parsed, **common)
    return Turn("recommend", lang, text, parsed=parsed, query=_query(text, state, parsed), **common)


_CHEAPER_THAN_THIS = re.compile(r"比(?:这|它)(?:个|款|双|台)?(?:更)?便宜|cheaper than (?:this|that|it)", re.I)


def _query(text: str, state: ConversationState, parsed) -> str:
    """The retrieval text of a request: this message, after the session's when it follows it up."""
    new_topic = bool(parsed.filters.category) and parsed.filters.category != _category(state)
    if _is_vague(text):
        return state.query
    if state.query and not new_topic:
        return f"{state.query} {text}"[-MAX_PARSE_CHARS:]
    return text


def _has_content_beyond(text: str) -> bool:
    """Words beyond the detail question itself (then it is a request: "有42码的跑鞋吗")."""
    return bool(re.search(r"[\u4e00-\u9fff]{2,}(?:鞋|机|衣|裤|包|器|本|表|霜|锅)", text))


def _remembers(state: ConversationState) -> bool:
    """Whether earlier turns left a request to build on (filters or a retrieval text)."""
    return bool(state.query) or bool(filters_dict(state.filters))


def _category(state: ConversationState) -> str | None:
    return state.filters.category if state.filters is not None else None


def _has_content(text: str) -> bool:
    """Enough letters to search the catalog with (a word or two of Chinese, or an English word)."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin_words = re.findall(r"[A-Za-z]{3,}", text)
    return han >= 2 or bool(latin_words)


def after_request(state: ConversationState, turn: Turn) -> ConversationState:
    """The memory after a request turn: its merged filters, retrieval text and category word."""
    parsed = turn.parsed
    term = parsed.category_term or ""
    if not term and parsed.filters.category == _category(state):
        term = state.term
    return replace(state, filters=parsed.filters, query=turn.query, term=term)


