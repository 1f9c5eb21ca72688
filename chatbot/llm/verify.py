"""The verifier: an LLM-written reply reaches the shopper only if every claim in it is a fact of its turn.

:meth:`Verifier.check` reads a Chinese or English reply against the :class:`~chatbot.llm.facts.ReplyFacts` of
its turn and returns a :class:`Verdict` whose reasons name each offending value. All rules read the NFKC,
lower-cased text with the spaces next to Chinese characters dropped; "facts text" means the titles, brands,
categories and attributes of the shown products, the template, the constraints, the delivery promise, the
policy text and the title put in the cart.

1. **Money**: an amount with a currency (¥ 元 块 块钱 yuan RMB CNY, $ USD dollars; digits, "1,299", "99.9",
   Chinese numerals, "2k元", "1.5万元", ranges "300-800元") or after a price word (价格 售价 只要 预算 price
   costs) equals, to the cent, a shown price, a budget bound (or the middle of a min–max band), an amount in
   the facts text, or — in a sentence that compares (便宜 贵 差 cheaper less…) — the difference of two shown
   prices. A dollar amount passes only as written in the facts or as a dollar budget (``usd_to_cny``).
2. **Numbers**: every other number (digits; Chinese numerals before a counter such as 款 件 双 天 年; English
   number words before days/options/pairs…) occurs in the facts text, the stock, ratings, prices, ranks
   1..n, the budget, or the shopper's message (its non-money numbers only). A duration (两年, 30天,
   "2-year") occurs with its unit in the facts text or the shopper's message. A percentage or a discount
   (打八折 满300减50 立减 "20% off" coupon…) occurs as written in the facts text. A rank (第四款, the fourth
   one, "4.", 前两款, the last one) is at most the number of products shown.
3. **Names**: a known brand (with its aliases: 耐克 = Nike) is a shown product's brand or occurs in the facts
   text; a brand that is an everyday word (美的 小米 苹果 only keep…) counts only before a model or product
   word, or, in latin, in its catalog spelling when that is not plain ("ONLY"). A known title, its leading
   part ("耐克 Pegasus 40", "iPhone 15 Pro") occurs in the facts text. A model word (a latin word with a digit,
   "Flip5", or CamelCase, "MateBook") or a product line with a number ("Pegasus 99", "赤兔7") occurs in the
   facts text. In a zh reply every latin word does (or is a shown brand's alias, or ok/app/vip/wifi/rmb…).
4. **Stock**: 有货 现货 库存充足 in stock available / 缺货 售罄 卖完 sold out unavailable / "库存3件" "3 left"
   must hold for the product(s) the claim is about: those named before it in its clause (title, leading part,
   model word, brand, 第N款, the Nth, a list item "N."), else after it, else the first one named in the nearest
   earlier clause or sentence, else all shown products. 都/all/both mean all of them; 其中/one of: at least
   one; "两款" (fewer than all): at least two; 除了X / except X leave X out; 其他/the others: the ones not named
   before. A sentence copied from the template is the template's claim and is not checked again.
5. **Delivery**: in a clause about shipping or arrival (发货 送达 到货 ship deliver arrive…) each day word
   (明天 = 次日 = tomorrow, 当天 = today, 后天) and each duration ("48小时", "1-3天", "2 days") occurs in the
   delivery, template or policy text (a number inside a range there passes); "今天下单 / order today" is when
   to order, not a promise. 包邮 / free shipping only when the facts text says so.
6. **Cart and orders**: "已加入购物车 / added it to your cart" only when ``cart_added`` is set (and names that
   product, if the sentence names one) or the template says so; "已下单 / order placed / 已付款" never.
7. **Form**: not empty, at most :data:`MAX_REPLY_CHARS` characters, no HTML tag or entity, no URL; a zh reply
   is not English prose (12+ latin letters and no Chinese outside the product names); an en reply has at most
   one Chinese character per two latin letters outside the product names.
8. **Prompt echoes**: no talk of the system prompt or the instructions (system prompt, ignore previous,
   系统提示, 忽略之前…), no role markers (assistant:, 用户:, <|im_start|>), no prompt field names.

Example:
    >>> from chatbot.llm.facts import ProductFacts, ReplyFacts
    >>> facts = ReplyFacts(lang="zh", kind="recommend", action="recommend", template="为您找到这些跑鞋：",
    ...                    products=(ProductFacts(id="A", title="李宁 赤兔6 跑步鞋", brand="李宁", price=399.0,
    ...                                           stock=3),))
    >>> verifier = Verifier(known_brands=["李宁", "耐克"])
    >>> verifier.check("李宁赤兔6只要三百九十九元，现在有货。", facts)
    Verdict(ok=True, reasons=())
    >>> verifier.check("耐克这款今天只要¥299！", facts).reasons
    ('price ¥299 not in the facts', 'brand 耐克 not among the shown products')
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import combinations

from catalog.filters import AMBIGUOUS_BRANDS, BRAND_ALIASES, _TermMatcher, parse_number
from catalog.params import RankingParams
from chatbot.llm.facts import ProductFacts, ReplyFacts
from intent.text import HAN, normalize

__all__ = ["MAX_REPLY_CHARS", "Verdict", "Verifier"]

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 600
"""The longest reply (in characters) the verifier lets through."""

_LATIN_PROSE = 12  # latin letters outside product names that make a Chinese reply English prose
_VERBATIM_CHARS = 12  # a stretch of the template this long, copied as a sentence, is the template's claim

_H = HAN.pattern  # one Han character, as a regex class
_Span = tuple[int, int]  # (start, end) in the reply's canonical text


@dataclass(frozen=True)
class Verdict:
    """ok: the reply may be shown; reasons: why not (English, each naming the offending value)."""

    ok: bool
    reasons: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# Text forms and numbers
# ---------------------------------------------------------------------------------------------------------
_HAN_SPACE = re.compile(rf"(?<={_H}) +| +(?={_H})")


def _canon(text: str) -> tuple[str, str]:
    """(case kept, lower case) of ``text``: NFKC per line, spaces next to a Han character dropped (so "耐克
    Pegasus 40" and "耐克Pegasus 40" read the same); both strings have the same length."""
    lines = (normalize(line, casefold=False, max_chars=None) for line in text.splitlines())
    kept = _HAN_SPACE.sub("", "\n".join(line for line in lines if line))
    low = kept.lower()
    if len(low) != len(kept):  # a character whose lower case is longer ("İ"): keep it as it is
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in kept)
    return kept, low


_facts_canon = lru_cache(maxsize=8192)(_canon)  # catalog titles and template texts come back turn after turn


def _low(text: str) -> str:
    return _facts_canon(text)[1] if text else ""


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_EN_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_EN_NUMBERS.update(fifteen=15, twenty=20, thirty=30, forty=40, fifty=50, sixty=60, hundred=100, a=1, an=1)
_ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split()) if i}
_ORDINALS.update({"1st": 1, "2nd": 2, "3rd": 3, "10th": 10}, **{f"{i}th": i for i in range(4, 10)})


def _values(raw: str) -> tuple[float, ...]:
    """The number(s) one numeral means: "1,299" → 1299, "三百九十九" → 399, "1.5万" → 15000, "两三" → (2, 3)."""
    s = raw.replace(",", "").replace(" ", "").strip()
    if not s:
        return ()
    if s in _EN_NUMBERS:
        return (float(_EN_NUMBERS[s]),)
    if s[0].isdigit():
        v = parse_number(s)
        return (v,) if v is not None and math.isfinite(v) else ()
    if not any(c in _CN_DIGITS or c == "十" for c in s):  # 百元 / 千元机 / 万元: a class, not an amount
        return ()
    v = parse_number(s)
    if v is not None:
        return (v,)
    if all(c in _CN_DIGITS for c in s):  # 两三天, 一两件: each digit
        return tuple(float(_CN_DIGITS[c]) for c in s)
    return ()


def _key(v: float) -> float:
    return round(v, 4)


def _cents(v: float) -> int:
    return round(v * 100)


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _written(text: str, plain: str) -> str:
    return "" if text.replace(" ", "") == plain else f" (written {text!r})"


# ---------------------------------------------------------------------------------------------------------
# Patterns (all on the lower-case canonical text)
# ---------------------------------------------------------------------------------------------------------
_CN_RUN = r"[零〇一二两三四五六七八九十百千万点]+"
_EN_WORDS = r"(?:" + "|".join(sorted((w for w in _EN_NUMBERS if len(w) > 2), key=len, reverse=True)) + r")"
_NOT_IN_NUMBER = r"(?<![a-z0-9])(?<![0-9][.,])"
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:\s?[kw](?![a-z])|[千万百](?:\d(?!\d))?)?"
_NUM = r"(?:" + _NOT_IN_NUMBER + _ARABIC + "|" + _CN_RUN + r")"  # digits not in a word ("x200"), or Chinese
_NUM_AFTER_SIGN = r"(?:" + _ARABIC + "|" + _CN_RUN + r")"  # "rmb1299"
_AT_NUMERAL = r"(?=[\d零〇一二两三四五六七八九十百千万点])"  # a fast first-character check
_RANGE = r"\s*(?:-|–|—|~|到|至|\bto\b)\s*"
_SUFFIX = (r"(?:元钱|元(?![气素旦宵器件])|块钱|块(?:(?!" + _H + r")|(?=[的左以之就能起多吧呢啊呀哦包]))|"
           r"(?:yuan|dollars?|bucks)(?![a-z])|(?:rmb|cny|usd)(?![a-z])(?!\s?\d)|美元|美金)")
_SECOND = r"(?:" + _RANGE + r"(?P<b>" + _NUM + r"))?"  # the high end of a range: "300-800元"
_MONEY = (
    re.compile(r"(?P<pre>¥|us\$|\$|(?<![a-z])(?:rmb|cny|usd))\s?(?P<a>" + _NUM_AFTER_SIGN + r")" + _SECOND
               + r"(?:\s?(?P<cur>" + _SUFFIX + r"))?"),
    re.compile(_AT_NUMERAL + r"(?P<a>" + _NUM + r")" + _SECOND + r"\s?(?P<cur>" + _SUFFIX + r")"),
    re.compile(r"(?:价格|售价|现价|价位|价钱|单价|到手价|标价|报价|只要|仅需|仅售|预算|\bprices?\b|\bpriced\b|\bcosts?\b|"
               r"\bbudget\b)\s*(?:是|为|在|:|大概|大约|约|只有|仅|也就|改成|改为|调到|of|at|is|just|only|around|about)?"
               r"\s*(?:是|为)?\s*(?P<a>" + _NUM + r")" + _SECOND +
               r"(?!\s*(?:[天日周年个件款双台%分秒码]|小时|days?|hours?|weeks?|left|in stock))"),
)
_USD_MARKS = frozenset({"$", "us$", "usd", "dollar", "dollars", "bucks", "美元", "美金"})
_NUMBER = re.compile(_NOT_IN_NUMBER + r"(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(\.\d+)?(?:\s?([万千kw])(?![a-z]))?")
_FACT_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COUNTERS = (r"个小时|个工作日|个月|个星期|小时|钟头|分钟|天|日(?![本常期用系韩子记])|周(?![边末到围])|星期|年(?![轻龄代纪级])|件|"
             r"台|双|款|种|样|颗|倍|码|色|人|瓶|罐|套|支|盒|包")
_CN_COUNT = re.compile(r"(?<![第零〇一二两三四五六七八九十百千万点])(" + _CN_RUN + r")(?=" + _COUNTERS + r")")
_EN_COUNT = re.compile(r"\b(" + _EN_WORDS + r")\b(?=[\s-]+(?:[a-z]+[\s-]+)?(?:days?|hours?|weeks?|months?|"
                       r"years?|options?|products?|items?|pairs?|models?|colou?rs?|sizes?|units?|pieces?|"
                       r"choices|picks|ones|left|stars?|of them|in stock)\b)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%|百分之(" + _CN_RUN + r")")
_SCALE = re.compile(r"(?<=\d)\s*/\s*5(?![\d.])|out of 5(?![\d.])|满分\s*5(?![\d.])")
_DISCOUNT = re.compile(
    r"(?:打)?[一二三四五六七八九\d.]+\s*折(?!叠)|打折|折扣|折后|优惠券|优惠|满\s*\d+\s*减\s*\d+|满减|立减|立省|直降|"
    r"降价|促销|特价|秒杀|限时|返现|赠品|买一送一|送赠品|券后|"
    r"\bdiscount(?:s|ed)?\b|\bcoupons?\b|\bvouchers?\b|\bpromo(?:tion)?s?\b|\d+\s*%\s*off\b|"
    r"\boff\b(?=\s+(?:the|its|list)\s+price)|\bon sale\b|\bsale price\b|\bprice drop\b|\bclearance\b|"
    r"\bmarkdown\b|"
    r"\bcash\s?back\b|"
    r"\bbuy one,? get one\b|\bbogo\b|\bfree gift\b|\blimited[- ]time\b")
_FREE_SHIPPING = re.compile(r"包邮|免运费|免邮|运费全免|不要运费|零运费|free (?:shipping|delivery)|ships? (?:for )?free|"
                            r"shipping is free|no shipping (?:fee|cost|charge)")
_COMPARE = re.compile(r"便宜|贵|差价|相差|差了|差距|高出|低了|多花|少花|省|cheaper|pricier|more expensive|"
                      r"less expensive|difference|apart|more than|less than|\bsaves?\b|saving|extra|higher|"
                      r"lower")

# sentences and clauses
_SENTENCE = re.compile(r"[。!?;\n…]+|(?<![\s\n]\d)(?<![\s\n]\d\d)(?<!^\d)(?<!^\d\d)(?<!\bno)\.(?=\s|$)")
_CLAUSE = re.compile(r",(?!\d{3}(?!\d))|:")
_CLAUSE_OR_SENTENCE = re.compile(_CLAUSE.pattern + "|" + _SENTENCE.pattern)

# ranks: 第二款 / the second one / option 2 / #2 / a list item "2."
_RANK = re.compile(
    r"第\s*(?P<zh>[一二两三四五六七八九十]+|\d+)\s*(?:个|款|件|双|台|项|种|位|部|只|条|套|样|名|把|本|瓶|罐|支|盒|顶|辆)"
    r"|\bthe\s+(?P<en>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|[4-9]th|"
    r"10th)\b(?!\s+(?:time|step|day|place|thing|half|week|month|year|hand|gen\b|generation|floor|class|two|"
    r"three|four|five|\d))"
    r"|\b(?:option|number|item|pick|no\.)\s*#?\s*(?P<opt>\d{1,2})\b|#(?P<hash>\d{1,2})\b"
    r"|(?:^|(?<=[\n。!?;]))\s*(?P<list>\d{1,2})\s*[.、)](?!\d)"
    r"|(?P<last>最后一(?:个|款|件|双|台)|\bthe\s+last\s+(?:one|option|pick|pair|model|product)\b)"
    r"|前\s*(?P<top>[两二三四五六七八九十]|\d)\s*(?:个|款|件|双|台|种)"
    r"|\bthe\s+(?:first|top)\s+(?P<topen>two|three|four|five|\d)\b"
    r"|后\s*(?P<tail>[两二三四五六七八九十]|\d)\s*(?:个|款|件|双|台|种)"
    r"|\bthe\s+last\s+(?P<tailen>two|three|four|five|\d)\b")
_EXCLUDE_BEFORE = re.compile(r"(?:除了|除去|不算|except(?: for)?|other than|besides|apart from)\s*(?:the\s+)?$")

# stock
_STOCK = re.compile(
    r"(?P<pos1>不缺货|不会缺货|没有缺货|并不缺货|not sold out|isn't sold out|not out of stock)"
    r"|(?P<neg>缺货|售罄|卖完|卖光|售完|断货|无货|没货|没有货|没有库存|无库存|暂无库存|库存为(?:0|零)|暂无现货|没有现货|无现货|"
    r"不是现货|非现货|已下架|已经下架|补货中|等待补货|等补货|sold[ -]out|out[ -]of[ -]stock(?![ -](?:items|products|ones))|"
    r"not in stock|(?:is|are)n't in stock|not (?:currently )?available|"
    r"(?:is|are)n't (?:currently )?available|unavailable|no stock|none left|no longer available|"
    r"being restocked|back in stock soon|awaiting restock)"
    r"|(?P<pos>有货|有现货|现货(?!\s*\d|商品|的话|情况下|订单|发货|当天|次日|隔日)|有库存|库存(?:很多|多|不少|充足|充裕|足)|"
    r"货源充足|仍有库存|还有库存|库存还有(?!\s*\d)|in[ -]stock(?![ -](?:items|products|orders|goods|ones))|"
    r"(?<!if )(?<!when )\bavailable\b(?!\s+(?:in\s+(?:several|multiple|many|other|\d)|sizes|colou?rs|"
    r"options))|"
    r"ready to ship|plenty of stock|well[ -]stocked)")
# "the options available", "here's what's available": offered, not a stock level
_OFFERED_BEFORE = re.compile(r"(?:options?|products?|choices|models?|items?|pairs?|shoes|what's|what is|"
                             r"here's)\s+(?:currently\s+|now\s+)?$")
_STOCK_COUNT = re.compile(
    r"(?:库存(?:还有|仅剩|只剩|剩|只有|仅有|有)?|还剩|仅剩|只剩|剩下|剩余)\s*(?P<n>\d+|" + _CN_RUN
    + r")\s*(?:件|双|台|个|套|瓶|罐|支|盒)"
    r"|(?<![\d.])(?P<e>\d+|" + _EN_WORDS + r")\s+(?:units?\s+|pieces?\s+|pairs?\s+|items?\s+)?"
    r"(?:left|in stock|remaining)\b|\bstock(?:\s+of|:)?\s+(?P<s>\d+)\b")
_UNIVERSAL = re.compile(r"都|全部|全都|均|所有|这些|\ball\b|\bboth\b|\bevery\b|\beach\b")
_OTHERS = re.compile(r"其他|其它|其余|另外|别的|\bthe others?\b|\bthe rest\b|\bothers\b")
_EXISTENTIAL = re.compile(r"其中|有一款|有一个|有一双|有的|部分|之一|\bone of\b|\bsome of\b|\bsome\b|\bone is\b")
_AT_LEAST = re.compile(r"(?<!第)([两二三四五六七八九十]|\d+)\s*(?:款|个|双|件|台|种)|\b(two|three|four|five|six|\d+)\s+"
                       r"(?:of\s+(?:them|these|those|the)|options|products|pairs|models|ones|items)\b")

# delivery
_DELIVERY_CUE = re.compile(
    r"发货|发出|寄出|送达|送到|到货|到手|收到|配送|派送|快递|物流|出库|次日达|当日达|隔日达|"
    r"(?:天|日|小时)(?:内|之内|左右)?(?:就|就能|就会|即可|能|可以|可)?(?:到|达|发)(?![了过底处位期现票布])|"
    r"\b(?:ship(?:s|ped|ping)?|deliver(?:s|ed|y|ies)?|arriv(?:e|es|ed|al)|dispatch(?:ed|es)?|get it|"
    r"receive it|reach(?:es)? you|on your doorstep)\b")
_DAY_WORDS = {"今天": "today", "今日": "today", "当天": "today", "当日": "today", "马上": "today", "立即": "today",
              "立刻": "today", "today": "today", "tonight": "today", "same day": "today", "same-day": "today",
              "right away": "today", "immediately": "today", "明天": "tomorrow", "明日": "tomorrow",
              "次日": "tomorrow", "隔天": "tomorrow", "隔日": "tomorrow", "第二天": "tomorrow",
              "tomorrow": "tomorrow", "next day": "tomorrow", "next-day": "tomorrow", "overnight": "tomorrow",
              "后天": "in two days", "day after tomorrow": "in two days"}
_DAY_WORD = re.compile("|".join(sorted((re.escape(w) if w[0] > "z" else rf"\b{re.escape(w)}\b"
                                        for w in _DAY_WORDS), key=len, reverse=True)))
_COUNT_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十]+|" + _EN_WORDS
_DURATION = re.compile(
    r"(?=[\d零〇一二两三四五六七八九十a-z])(?<![\d.])(?P<a>" + _COUNT_NUM + r"|\ban?\b)"
    r"(?:\s*(?:-|–|—|~|到|至|\bto\b|\bor\b)\s*(?P<b>" + _COUNT_NUM + r"))?[\s-]*(?:个\s*)?"
    r"(?P<u>工作日|小时|钟头|分钟|天|日(?![本常期用系韩子记])|周(?![边末到围])|星期|个月|年(?![轻龄代纪级])|"
    r"(?:(?:business |working )?days?|hours?|hrs?|h|weeks?|months?|years?|minutes?|mins?)(?![a-z]))")
_ORDER_NOW = re.compile(r"\s*(?:就)?(?:下单|拍下|购买|付款|下订单|买)")
_ORDER_BEFORE = re.compile(r"\b(?:order|buy|purchase|place (?:an|your) order)(?: it| one| now)?\s*$")
_UNIT_CLASS = {"小时": "h", "钟头": "h", "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "周": "w",
               "星期": "w", "week": "w", "weeks": "w", "个月": "mo", "month": "mo", "months": "mo", "年": "y",
               "year": "y", "years": "y", "分钟": "min", "minute": "min", "minutes": "min", "min": "min",
               "mins": "min"}

# cart and orders
_CART = re.compile(
    r"已(?:经)?(?:为您|帮您|给您|替您)?(?:[把将][^,.。!?;]{0,30}?)?(?:加入|加进|加到|放入|放进|添加到|添加进)(?:了)?(?:您的)?购物车|"
    r"(?:加入|加进|加到|放入|放进|添加到)(?:了)?(?:您的)?购物车(?:了|啦|中了|里了)|已在(?:您的)?购物车|"
    r"\b(?:i|we)(?:'ve| have)\s+(?:just\s+|already\s+)?(?:added|put)\b|"
    r"\b(?:added|put)\b[^.,;!?]{0,40}?\b(?:in|to|into)\s+your\s+(?:cart|basket|bag)|"
    r"(?:'s|\bis|\bare)\s+(?:now\s+)?in\s+your\s+(?:cart|basket)|\b(?:has|have)\s+been\s+added\b")
_ORDER = re.compile(
    r"已(?:经)?(?:为您|帮您|给您|替您)?(?:成功)?(?:下单|下好单|付款|支付|购买|买好|提交订单)|下单成功|付款成功|支付成功|购买成功|"
    r"订单已(?:经)?(?:提交|生成|创建|确认|支付)|(?:帮您|为您|给您)(?:下单|下好单|付款|支付|拍下)了|下好单了|已(?:经)?拍下|"
    r"\bpurchase\s+(?:is|has been)\s+(?:complete|completed|confirmed)\b|"
    r"\border\s+(?:has\s+been\s+|is\s+|was\s+)?(?:placed|confirmed|submitted|completed?)\b|"
    r"\b(?:i|we)(?:'ve| have)\s+(?:just\s+|already\s+)?(?:ordered|purchased|bought|paid|checked out)\b|"
    r"\bplaced\s+(?:the|your|an)\s+order\b|\bpayment\s+(?:has\s+been\s+|is\s+|was\s+)?(?:received|completed?|"
    r"successful|confirmed|processed)\b|\b(?:has|have)\s+been\s+(?:ordered|purchased|paid)\b")

# form and prompt echoes
_HTML = re.compile(r"<\s*/?\s*[a-z][a-z0-9_-]*(?:\s[^<>]*)?/?\s*>|&(?:[a-z]+|#\d+);")
_URL = re.compile(r"https?://\S*|(?<![a-z0-9])www\.\S*|"
                  r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|io|shop|top|xyz|html?)\b")
_INJECTION = re.compile(
    r"system\s*prompt|system\s*message|system\s*instructions?|developer\s*(?:message|mode)|"
    r"(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|my\s+|of\s+)?"
    r"(?:previous|prior|above|earlier|preceding)|(?:previous|above|prior)\s+instructions|"
    r"\bmy\s+(?:instructions|rules|prompt)\b|"
    r"\bi\s+(?:was|am|have been)\s+(?:instructed|told|programmed)\b|jailbreak|template reply|shopper_message|"
    r"系统提示|系统指令|系统消息|系统设定|提示词|忽略(?:之前|以上|上面|前面|先前|此前|所有)|我的指令|开发者模式|"
    r"\bas\s+an\s+ai\b|作为(?:一个)?(?:ai|人工智能|语言模型|大模型)|language\s+model|"
    r"reply_kind|shopper_stage|delivery_promise|policy_text|added_to_cart|filters_text")
_ROLE = re.compile(r"(?:^|\n)\s*(?:system|assistant|user|human|ai|bot|助手|用户|系统)\s*:|<\|[a-z_]+\|>|\[/?inst\]|"
                   r"<<sys>>|###\s*(?:instruction|system|response)")
_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"(?<![a-z0-9])[a-z]+(?:'[a-z]+)?(?![a-z0-9])")  # not a unit ("2k") or in a model ("c202")
# latin words a Chinese reply may use without the facts naming them
_ZH_LATIN_OK = frozenset("ok app vip diy logo pk wifi usb led lcd nfc gps rmb cny usd yuan vs no".split())

# model words and product lines
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9](?:[A-Za-z0-9]|[-+.'](?=[A-Za-z0-9]))*")
_UNIT_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:-?[a-z]+)?", re.I)
_CAMEL = re.compile(r"[a-z][A-Z]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_MODEL_PHRASE = re.compile(r"\d")  # a leading part without its brand names a model if it has a digit
_HAN_MODEL = re.compile(_H + r"{2}\d+[a-z]*")
_HAN_RUN = re.compile(_H + "+")
_LINE_PAIR = re.compile(r"(?<![a-z0-9])([a-z][a-z'-]*[a-z]|[a-z])\s(\d+(?:\.\d+)?)(?![\d.]*\d)(?![a-z0-9])")
_HAN_PAIR = re.compile(r"(" + _H + r"{2})(\d+(?:\.\d+)?)")
_LINE_STOP = frozenset(
    "x up to for of in on and the with by at a an or is are only under over about around than size sizes top "
    "rated rating stock left pack set day days hour hours no vs from within costs cost price priced yuan rmb "
    "cny usd option number item pick just now get it its".split())
_HAN_LINE_STOP = frozenset("库存 评分 价格 售价 现价 只要 仅需 还剩 剩下 预算 大约 大概 发货 送达 以内 左右 一共 总共 合计 评价 "
                           "分数 尺码 码数 现货 内存 容量".split())

# Brand names that are also everyday words: a Chinese one is a brand only before a model or a product word
# (小米14, 美的的空调, 苹果手机), a latin one only in its catalog spelling when that is not plain ("ONLY").
_EVERYDAY_BRANDS = frozenset({normalize(b, casefold=False).lower() for b in AMBIGUOUS_BRANDS} | {
    "永久", "凤凰", "飞跃", "宝宝好", "好孩子", "北面", "有鱼", "康宁", "小度", "联想", "荣耀", "beats", "keep", "only",
    "converse", "vans", "coach", "guess", "gap", "next"})
_BRAND_AFTER = re.compile(r"(?:的)?\s?[a-z0-9]|(?:的)?(?:品牌|牌子|牌|手机|电脑|笔记本|平板|耳机|手表|鞋|跑鞋|衣服|产品|商品|"
                          r"东西|这款|那款|款|系列|新款|旗舰|型号|官方|家的|店)")
_NOT_A_BRAND_BEFORE = frozenset("很最真好太超挺多更完优甜柔唯精")  # 很美的, 完美的: a word, not the brand 美的
_BRAND_BEFORE = re.compile(r"(?:品牌|牌子)(?:是|为|:)?$")


def _is_latin(s: str) -> bool:
    return not HAN.search(s)


def _lead(title: str) -> str:
    """The distinctive leading part of a title: its first words up to a Chinese word or the first later word
    with a digit ("Nike Pegasus 41 女款跑鞋" → "Nike Pegasus 41"), or "" when that is a bare brand."""
    tokens = normalize(title, casefold=False, max_chars=None).split()
    if not tokens:
        return ""
    lead = [tokens[0]]
    for tok in tokens[1:]:
        if HAN.search(tok):
            break
        lead.append(tok)
        if any(c.isdigit() for c in tok):
            break
    if len(lead) == 1 and not (HAN.search(lead[0]) and re.search(r"[A-Za-z0-9]", lead[0])):
        return ""
    return " ".join(lead)


_MODEL_SUFFIXES = frozenset("pro max plus ultra mini lite air se gt turbo neo fe prime edge note fold flip "
                            "pro+ s e x".split())


def _title_parts(title: str) -> list[str]:
    """How a reply may name a catalog product: the title, its leading part, the leading part with the model
    words after it ("Apple iPhone 15 Pro Max"), and each of these without the brand when that still names a
    model ("iPhone 15 Pro")."""
    lead = _lead(title)
    parts = [title]
    if lead:
        tokens = normalize(title, casefold=False, max_chars=None).split()
        n = len(lead.split())
        parts.append(lead)
        while n < len(tokens) and tokens[n].lower() in _MODEL_SUFFIXES:
            n += 1
            parts.append(" ".join(tokens[:n]))
        for part in parts[1:]:
            rest = part.split(" ", 1)[1] if " " in part else ""
            if _MODEL_PHRASE.search(rest) and re.search(r"[A-Za-z]|" + _H, rest):
                parts.append(rest)
    return parts


def _model_like(tok: str) -> bool:
    """A latin token that names a model: it has a digit (but is not a number with a unit, "256GB", "3-day")
    or is CamelCase ("MateBook")."""
    if any(c.isdigit() for c in tok):
        return bool(_LATIN_LETTER.search(tok)) and not _UNIT_TOKEN.fullmatch(tok)
    return bool(_CAMEL.search(tok))


def _spans(text: str, boundary: re.Pattern[str], lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    hi = len(text) if hi is None else hi
    out, start = [], lo
    for m in boundary.finditer(text, lo, hi):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < hi:
        out.append((start, hi))
    return out


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    values: tuple[float, ...]
    usd: bool
    text: str


def _amounts(low: str) -> list[_Amount]:
    """Every money amount of a text, left to right, overlapping matches merged (the longest kept)."""
    found: list[_Amount] = []
    for pattern in _MONEY:
        for m in pattern.finditer(low):
            values = _values(m.group("a")) + (_values(m.group("b")) if m.group("b") else ())
            if not values:
                continue
            marks = {(m.groupdict().get("pre") or "").strip(), (m.groupdict().get("cur") or "").strip()}
            found.append(_Amount(m.start(), m.end(), values, bool(marks & _USD_MARKS), m.group(0).strip()))
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[_Amount] = []
    for a in found:
        if out and a.start < out[-1].end:  # "价格399元": one amount, read by two patterns
            b = out[-1]
            longer = a if a.end - a.start > b.end - b.start else b
            end = max(a.end, b.end)
            out[-1] = _Amount(b.start, end, longer.values, a.usd or b.usd, low[b.start:end].strip())
            continue
        out.append(a)
    return out


def _clause_of(text: str, pos: int) -> _Span:
    """The clause (between commas, colons or sentence ends) around ``pos``."""
    lo = max((m.end() for m in _CLAUSE_OR_SENTENCE.finditer(text, 0, pos)), default=0)
    m = _CLAUSE_OR_SENTENCE.search(text, pos)
    return lo, m.start() if m else len(text)


def _outermost(matches: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Matches not inside a longer one ("阿迪" in "阿迪达斯"), left to right."""
    out: list[tuple[int, int, str]] = []
    for m in sorted(matches, key=lambda m: (m[0], m[0] - m[1])):
        if not out or m[1] > out[-1][1]:
            out.append(m)
    return out


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _plain_numbers(low: str, skip: Sequence[_Span] = ()) -> list[tuple[int, int, tuple[float, ...]]]:
    """(start, end, values) of each number that is not money: digits, Chinese numerals before a counter and
    English number words before a noun of quantity. ``skip``: spans already read (money, percentages)."""
    out = []
    for m in _NUMBER.finditer(low):
        if _inside(m.start(), skip):
            continue
        base = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        values = (base,)
        if m.group(3):
            values += _values(m.group(0))
        out.append((m.start(), m.end(), values))
    for pattern in (_CN_COUNT, _EN_COUNT):
        for m in pattern.finditer(low):
            if not _inside(m.start(), skip):
                values = _values(m.group(1))
                if values:
                    out.append((m.start(), m.end(), values))
    return out


def _durations(low: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, tuple[float, ...], str]]:
    out = []
    for m in _DURATION.finditer(low, lo, len(low) if hi is None else hi):
        values = _values(m.group("a")) + (_values(m.group("b")) if m.group("b") else ())
        if values:
            unit = m.group("u").split()[-1]
            out.append((m.start(), m.end(), values, _UNIT_CLASS.get(unit, "d")))
    return out


# ---------------------------------------------------------------------------------------------------------
# What one turn's facts allow
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Index:
    """What the catalog knows (built once per verifier): brands with their alias groups, titles' leading
    parts, and product-line words."""

    brands: _TermMatcher
    brand_group: dict[str, str]                # brand or alias (lower) -> group id
    group_terms: dict[str, tuple[str, ...]]    # group id -> its names
    exact: dict[str, frozenset[str]]           # everyday latin brand -> its catalog spellings (case kept)
    titles: _TermMatcher
    title_display: dict[str, str]
    line_words: frozenset[str]
    han_lines: frozenset[str]


def _line_words(low_titles: Iterable[str]) -> tuple[set[str], set[str]]:
    words, han = set(), set()
    for t in low_titles:
        for m in _LINE_PAIR.finditer(t):
            if m.group(1) not in _LINE_STOP and len(m.group(1)) > 1:
                words.add(m.group(1))
        for m in _HAN_PAIR.finditer(t):
            if m.group(1) not in _HAN_LINE_STOP:
                han.add(m.group(1))
    return words, han


class _Digest:
    """The facts of one turn in the forms the checks compare with."""

    def __init__(self, facts: ReplyFacts, shopper_text: str, index: _Index, usd_rate: float) -> None:
        self.products = facts.products
        self.lang = facts.lang
        n = len(facts.products)
        self.n = n
        self.titles = [_low(p.title) for p in facts.products]
        product_texts = []
        for title, p in zip(self.titles, facts.products, strict=True):
            fields = (p.brand, p.category, *p.attributes.keys(), *p.attributes.values())
            product_texts.append("\n".join([title, *(_low(str(x)) for x in fields)]))
        self.template = _low(facts.template)
        self.template_sentences = {self.template[s:e].strip() for s, e in _spans(self.template, _SENTENCE)}
        self.delivery = "\n".join(_low(t) for t in (facts.delivery, facts.template, facts.policy_text) if t)
        other = [self.template, _low(facts.filters_text), _low(facts.delivery), _low(facts.policy_text),
                 _low(facts.cart_added)]
        self.text = "\n".join(product_texts + other)
        self.compact = self.text.replace(" ", "")
        text = self.text

        # money
        budget = [b for b in (facts.min_price, facts.max_price) if b is not None]
        if facts.min_price is not None and facts.max_price is not None:
            budget.append((facts.min_price + facts.max_price) / 2)
        self.budget = {_cents(b) for b in budget}
        self.money = {_cents(p.price) for p in facts.products} | self.budget
        self.usd: set[int] = set()
        fact_amounts = _amounts(text)
        for a in fact_amounts:
            (self.usd if a.usd else self.money).update(_cents(v) for v in a.values)
        self.diffs = {abs(_cents(a.price) - _cents(b.price)) for a, b in combinations(facts.products, 2)}
        self.usd_rate = usd_rate

        # numbers
        nums = {_key(float(x)) for x in _FACT_NUMBER.findall(text)}
        nums.update(_key(v) for _s, _e, vs in _plain_numbers(text) for v in vs)
        nums.update(_key(v) for a in fact_amounts for v in a.values)
        nums.update(_key(float(v)) for p in facts.products for v in (p.stock, p.rating, p.price, p.rank))
        nums.update(_key(float(i)) for i in range(1, n + 1))
        nums.update(_key(b) for b in budget)
        nums.add(1.0)
        if shopper_text:
            s_low = _low(shopper_text)
            money_spans = [(a.start, a.end) for a in _amounts(s_low)]
            nums.update(_key(v) for _s, _e, vs in _plain_numbers(s_low, money_spans) for v in vs)
        self.numbers = nums
        self.percents = {_key(v) for m in _PERCENT.finditer(text) for v in _values(m.group(1) or m.group(2))}

        # names
        self.tokens = {t.lower() for t in _TOKEN.findall(text)}
        self.words = set(_WORD.findall(text)) | _ZH_LATIN_OK
        self.pairs = {(m.group(1), _key(float(m.group(2)))) for m in _LINE_PAIR.finditer(text)}
        self.han_pairs = {(m.group(1), _key(float(m.group(2)))) for m in _HAN_PAIR.finditer(text)}
        words, han = _line_words(self.titles)
        self.line_words = index.line_words | words
        self.han_lines = index.han_lines | han
        self.shown_groups = set()
        for p in facts.products:
            b = _low(p.brand)
            if b:
                self.shown_groups.add(index.brand_group.get(b, "b:" + b))

        # delivery
        self.day_groups = {_DAY_WORDS[m.group(0)] for m in _DAY_WORD.finditer(self.delivery)}
        self.durations: set[tuple[float, str]] = set()
        self.ranges: list[tuple[float, float, str]] = []
        for _s, _e, vs, unit in _durations(self.delivery):
            self.durations.update((_key(v), unit) for v in vs)
            if len(vs) == 2:
                self.ranges.append((min(vs), max(vs), unit))
        self.any_durations: set[tuple[float, str]] = set()
        self.any_ranges: list[tuple[float, float, str]] = []
        for source in (text, _low(shopper_text)):
            for _s, _e, vs, unit in _durations(source):
                self.any_durations.update((_key(v), unit) for v in vs)
                if len(vs) == 2:
                    self.any_ranges.append((min(vs), max(vs), unit))
        self.free_shipping = bool(_FREE_SHIPPING.search(text))
        self.cart_ok = bool(facts.cart_added) or bool(_CART.search(self.template))
        self.cart_added = _low(facts.cart_added)

        # product mentions: title, leading part (with and without the brand), model words, brand
        terms: dict[str, set[int]] = {}
        for i, p in enumerate(facts.products):
            for name in _mention_names(p, index):
                terms.setdefault(name, set()).add(i)
        self.mention_terms = {t: frozenset(v) for t, v in terms.items()}
        self.mentions = _TermMatcher(self.mention_terms)
        names = {_low(x) for p in facts.products
                 for x in (p.brand, p.category, *map(str, p.attributes.values()))}
        self.lang_strip = sorted({t for t in [*self.titles, self.cart_added, *names] if t}, key=len,
                                 reverse=True)

    def number_ok(self, values: Iterable[float]) -> bool:
        return any(_key(v) in self.numbers for v in values)

    def verbatim(self, sentence: str) -> bool:
        """Whether a sentence of the reply copies the template (a whole sentence of it, or a long enough
        stretch: "有货" alone copies nothing)."""
        sentence = sentence.strip()
        if sentence in self.template_sentences:
            return True
        return len(sentence) >= _VERBATIM_CHARS and sentence in self.template


_PLAIN_WORDS = frozenset(
    "men's women's kids kid's unisex men women running sports sport smart wireless portable original "
    "official classic new home series edition limited lightweight cushioned waterproof outdoor casual "
    "foldable baby "
    "stainless electric digital mini pro max plus ultra lite air".split())


def _mention_names(p: ProductFacts, index: _Index) -> set[str]:
    """The words that name one shown product in a reply (lower case): its title and leading parts, model
    words, the first word after the brand ("Ultraboost"), latin runs of a Chinese title ("cloud up 2"), and
    the brand with its aliases. Used only to tell which product a stock or cart claim is about."""
    names = {_low(part) for part in _title_parts(p.title)}
    kept, low = _facts_canon(p.title)
    names.update(t.lower() for t in _TOKEN.findall(kept) if _model_like(t))
    names.update(m.group(0) for m in _HAN_MODEL.finditer(low))
    if HAN.search(low):
        runs = (run.strip() for run in _HAN_RUN.split(low))
        names.update(run for run in runs if len(run) > 3 and _LATIN_LETTER.search(run))
    brand = _low(p.brand)
    tokens = normalize(p.title, casefold=False, max_chars=None).lower().split()
    if len(tokens) > 1 and brand and tokens[0] == brand:
        word = tokens[1]
        if word.isalpha() and len(word) >= 4 and _is_latin(word) and word not in _PLAIN_WORDS:
            names.add(word)
    if brand:
        group = index.brand_group.get(brand)
        names.update(index.group_terms.get(group, (brand,)) if group else (brand,))
    return {n for n in names if n}


# ---------------------------------------------------------------------------------------------------------
# The verifier
# ---------------------------------------------------------------------------------------------------------
class Verifier:
    """Checks LLM-written replies against the turn's facts (see the module docstring for the rules).

    known_brands / known_titles: every brand and title of the catalog, so that a brand or a product that was
    not shown is caught; ``usd_to_cny``: the rate at which a dollar budget was read (see
    :class:`catalog.params.RankingParams`).
    """

    def __init__(self, *, known_brands: Iterable[str] = (), known_titles: Iterable[str] = (),
                 usd_to_cny: float = RankingParams.usd_to_cny) -> None:
        self.known_brands = tuple(known_brands)
        self.known_titles = tuple(known_titles)
        self.usd_to_cny = usd_to_cny
        self._last: tuple[ReplyFacts, str, _Digest] | None = None  # a streamed reply is checked per sentence

    @cached_property
    def _index(self) -> _Index:
        brand_group: dict[str, str] = {}
        group_terms: dict[str, tuple[str, ...]] = {}
        for i, group in enumerate(BRAND_ALIASES):
            names = tuple(_low(a) for a in group)
            group_terms[f"a{i}"] = names
            for name in names:
                brand_group.setdefault(name, f"a{i}")
        exact: dict[str, set[str]] = {}
        terms: set[str] = set()
        for brand in self.known_brands:
            key = _low(brand)
            if not key or key.replace("°", "").isdigit():
                continue
            group = brand_group.setdefault(key, "b:" + key)
            group_terms.setdefault(group, (key,))
            terms.update(group_terms[group])
            exact.setdefault(key, set()).add(_canon(brand)[0])
        for group in {brand_group[t] for t in terms}:
            for name in group_terms[group]:
                exact.setdefault(name, set()).add(name)
        display: dict[str, str] = {}
        for title in self.known_titles:
            for part in _title_parts(title):
                key = _low(part)
                if key and len(key) > 2:
                    display.setdefault(key, normalize(part, casefold=False, max_chars=None))
        words, han = _line_words(display)
        log.debug("verifier index: %d brand names, %d title parts", len(terms), len(display))
        return _Index(brands=_TermMatcher(terms), brand_group=brand_group, group_terms=group_terms,
                      exact={k: frozenset(v) for k, v in exact.items()}, titles=_TermMatcher(display),
                      title_display=display, line_words=frozenset(words), han_lines=frozenset(han))

    def warm_up(self) -> Verifier:
        """Build the catalog index now (about 0.1 s for 2,000 products) instead of on the first check."""
        _ = self._index
        return self

    def _digest(self, facts: ReplyFacts, shopper_text: str) -> _Digest:
        last = self._last
        if last is not None and last[0] is facts and last[1] == shopper_text:
            return last[2]
        d = _Digest(facts, shopper_text, self._index, self.usd_to_cny)
        self._last = (facts, shopper_text, d)
        return d

    def check(self, text: str, facts: ReplyFacts, *, shopper_text: str = "") -> Verdict:
        """The verdict on ``text`` as the reply of the turn ``facts`` (``shopper_text``: the shopper's
        message, whose non-money numbers the reply may repeat)."""
        stripped = text.strip()
        if not stripped:
            return Verdict(False, ("empty reply",))
        reasons: list[str] = []
        if len(stripped) > MAX_REPLY_CHARS:
            reasons.append(f"reply is {len(stripped)} characters (limit {MAX_REPLY_CHARS})")
            if len(stripped) > 4 * MAX_REPLY_CHARS:  # not worth reading further
                return Verdict(False, tuple(reasons))
        kept, low = _canon(stripped)
        for m in _HTML.finditer(low):
            reasons.append(f"HTML {m.group(0)} in the reply")
        for m in _URL.finditer(low):
            reasons.append(f"URL {m.group(0)} in the reply")
        for m in _INJECTION.finditer(low):
            reasons.append(f"talks about its instructions: {m.group(0)!r}")
        for m in _ROLE.finditer(low):
            reasons.append(f"role marker {m.group(0).strip()!r}")
        if "FACTS" in kept:
            reasons.append("talks about its instructions: 'FACTS'")
        d = self._digest(facts, shopper_text)
        reasons += self._language(low, facts.lang, d)
        sentences = _spans(low, _SENTENCE)
        skip: list[tuple[int, int]] = []
        reasons += self._money(low, d, sentences, skip)
        reasons += self._discounts(low, d, skip)
        mentions, rank_reasons = self._mentions(low, d)
        reasons += rank_reasons
        delivery_reasons, delivery_spans = self._times(low, d, sentences)
        reasons += delivery_reasons
        reasons += self._numbers(low, d, skip + delivery_spans)
        reasons += self._names(kept, low, d)
        reasons += self._stock(low, d, sentences, mentions)
        reasons += self._cart(low, d, sentences, mentions)
        reasons = list(dict.fromkeys(reasons))
        if reasons:
            log.debug("reply rejected: %s", "; ".join(reasons))
        return Verdict(not reasons, tuple(reasons))

    def names_a_product(self, text: str, facts: ReplyFacts) -> bool:
        """Whether ``text`` names at least one shown product (by title, brand or rank). The grounded replier
        asks this of a finished reply shown with products, so that text saying nothing about them (a random
        model's) is not passed off as the reply."""
        if not facts.products:
            return True
        _kept, low = _canon(text.strip())
        mentions, _ = self._mentions(low, self._digest(facts, ""))
        return bool(mentions)

    # --- the rules ---------------------------------------------------------------------------------------
    @staticmethod
    def _language(low: str, lang: str, d: _Digest) -> list[str]:
        rest = low
        for name in d.lang_strip:
            rest = rest.replace(name, " ")
        han, latin = len(HAN.findall(rest)), len(_LATIN.findall(rest))
        if lang == "en" and han * 2 > latin:
            return [f"reply is not in English ({han} Chinese characters, {latin} latin letters)"]
        if lang == "zh" and not han and latin >= _LATIN_PROSE:
            return [f"reply is not in Chinese ({latin} latin letters, no Chinese outside the product names)"]
        return []

    @staticmethod
    def _money(low: str, d: _Digest, sentences: list[_Span], skip: list[_Span]) -> list[str]:
        out = []
        for a in _amounts(low):
            skip.append((a.start, a.end))
            for v in a.values:
                c = _cents(v)
                if a.usd:
                    if c in d.usd or _cents(v * d.usd_rate) in d.budget:
                        continue
                    plain = "$" + _fmt(v)
                    out.append(f"price {plain}{_written(a.text, plain)} not in the facts (prices are in ¥)")
                    continue
                if c in d.money:
                    continue
                if c in d.diffs:
                    sentence = next(((s, e) for s, e in sentences if s <= a.start < e), (0, len(low)))
                    if _COMPARE.search(low, *sentence):
                        continue
                plain = "¥" + _fmt(v)
                out.append(f"price {plain}{_written(a.text, plain)} not in the facts")
        return out

    @staticmethod
    def _discounts(low: str, d: _Digest, skip: list[tuple[int, int]]) -> list[str]:
        out = []
        for m in _PERCENT.finditer(low):
            skip.append((m.start(), m.end()))
            values = _values(m.group(1) or m.group(2))
            if not any(_key(v) in d.percents for v in values):
                out.append(f"percentage {m.group(0)} not in the facts")
        for m in _DISCOUNT.finditer(low):
            if m.group(0) not in d.text:
                out.append(f"discount {m.group(0).strip()} not in the facts")
        free = _FREE_SHIPPING.search(low)
        if free and not d.free_shipping:
            out.append(f"free shipping ({free.group(0)}) not in the facts")
        for m in _SCALE.finditer(low):
            skip.append((m.start(), m.end()))
        return out

    @staticmethod
    def _numbers(low: str, d: _Digest, skip: list[tuple[int, int]]) -> list[str]:
        return [f"number {low[s:e].strip()} not in the facts" for s, e, values in _plain_numbers(low, skip)
                if not d.number_ok(values)]

    def _names(self, kept: str, low: str, d: _Digest) -> list[str]:
        index = self._index
        out = []
        if d.lang == "zh":  # a Chinese reply's latin words are names from the facts ("宁 j 宁 c" is noise)
            shown_names = {n for g in d.shown_groups for n in index.group_terms.get(g, ())}
            for m in _WORD.finditer(low):
                if m.group(0) not in d.words and m.group(0) not in shown_names:
                    out.append(f"word {kept[m.start():m.end()]!r} not in the facts")
        for i, j, term in _outermost(index.brands.find(low)):
            group = index.brand_group.get(term, "b:" + term)
            if term in _EVERYDAY_BRANDS:
                if _is_latin(term):
                    spelled = kept[i:j]
                    if spelled not in index.exact.get(term, ()) or spelled[1:].islower() or spelled.islower():
                        continue
                elif (i and low[i - 1] in _NOT_A_BRAND_BEFORE) or not (
                        _BRAND_AFTER.match(low, j) or _BRAND_BEFORE.search(low, 0, i)):
                    continue
            if group in d.shown_groups or any(n in d.text for n in index.group_terms.get(group, (term,))):
                continue
            out.append(f"brand {kept[i:j]} not among the shown products")
        for _i, _j, term in _outermost(index.titles.find(low)):
            if term not in d.text:
                out.append(f"product {index.title_display[term]} not among the shown products")
        for m in _TOKEN.finditer(kept):
            tok = m.group(0)
            if _model_like(tok):
                t = tok.lower()
                if t not in d.tokens and t not in d.compact:
                    out.append(f"model {tok} not in the shown products")
        for m in _LINE_PAIR.finditer(low):
            if m.group(1) in d.line_words and (m.group(1), _key(float(m.group(2)))) not in d.pairs:
                out.append(f"model {kept[m.start():m.end()]} not in the shown products")
        for m in _HAN_PAIR.finditer(low):
            if m.group(1) in d.han_lines and (m.group(1), _key(float(m.group(2)))) not in d.han_pairs:
                out.append(f"model {kept[m.start():m.end()]} not in the shown products")
        return out

    @staticmethod
    def _mentions(low: str, d: _Digest) -> tuple[list[tuple[int, int, frozenset[int]]], list[str]]:
        """Where the reply names shown products: (start, end, product indices), and reasons for a rank
        beyond the products shown."""
        # a mention inside a longer one ("nike" in "nike pegasus 40") adds nothing
        kept = [(i, j, d.mention_terms[term]) for i, j, term in _outermost(d.mentions.find(low))]
        out = []
        for m in _RANK.finditer(low):
            g = m.lastgroup
            raw = m.group(g)
            if g in ("top", "topen", "tail", "tailen"):  # 前两款 / the first two: several ranks at once
                count = int((_values(raw) or (0.0,))[0])
                if 1 <= count <= d.n:
                    ranks = range(count) if g.startswith("top") else range(d.n - count, d.n)
                    kept.append((m.start(), m.end(), frozenset(ranks)))
                elif m.group(0).strip() not in d.template:
                    out.append(f"{m.group(0).strip()!r} but {d.n} products were shown")
                continue
            if g == "last":
                rank = d.n
            elif g == "en":
                rank = _ORDINALS[raw]
            else:
                values = _values(raw)
                if not values:
                    continue
                rank = int(values[0])
            if 1 <= rank <= d.n:
                kept.append((m.start(), m.end(), frozenset({rank - 1})))
            elif m.group(0).strip() not in d.template:
                out.append(f"rank {rank} ({m.group(0).strip()}) but {d.n} products were shown")
        kept.sort()
        return kept, out

    @staticmethod
    def _times(low: str, d: _Digest, sentences: list[_Span]) -> tuple[list[str], list[_Span]]:
        """Delivery days and durations ("明天", "48小时", "1-3天", "保修两年"), and the spans read."""
        out, spans = [], []
        for s, e in sentences:
            if d.verbatim(low[s:e]):
                continue
            for cs, ce in _spans(low, _CLAUSE, s, e):
                delivery = bool(_DELIVERY_CUE.search(low, cs, ce))
                if delivery:
                    for m in _DAY_WORD.finditer(low, cs, ce):
                        if _DAY_WORDS[m.group(0)] in d.day_groups or _ORDER_NOW.match(low, m.end()) \
                                or _ORDER_BEFORE.search(low, max(cs, m.start() - 16), m.start()):
                            continue  # "今天下单" / "order today": when to order, not when it arrives
                        out.append(f"delivery {m.group(0)!r} not in the delivery promise")
                known, ranges = (d.durations, d.ranges) if delivery else (d.any_durations, d.any_ranges)
                for ds, de, values, unit in _durations(low, cs, ce):
                    spans.append((ds, de))
                    if not all((_key(v), unit) in known or any(lo <= v <= hi and u == unit
                                                                   for lo, hi, u in ranges) for v in values):
                        what = "delivery" if delivery else "duration"
                        where = "the delivery promise" if delivery else "the facts"
                        out.append(f"{what} {low[ds:de].strip()!r} not in {where}")
        return out, spans

    @staticmethod
    def _stock(low: str, d: _Digest, sentences: list[tuple[int, int]],
               mentions: list[tuple[int, int, frozenset[int]]]) -> list[str]:
        if not d.n:
            return []
        claims: list[tuple[int, int, str, float | None]] = []
        for m in _STOCK_COUNT.finditer(low):
            values = _values(m.group("n") or m.group("e") or m.group("s") or "")
            if values:
                claims.append((m.start(), m.end(), "count", values[0]))
        for m in _STOCK.finditer(low):
            if m.group(0) == "available" and _OFFERED_BEFORE.search(low, max(0, m.start() - 24), m.start()):
                continue
            if m.group(0) == "现货" and _DELIVERY_CUE.search(low, *_clause_of(low, m.start())):
                continue  # "现货下单后48小时内发货": the delivery promise's "in-stock items", not a stock level
            if not any(s <= m.start() < e for s, e, _k, _v in claims):
                claims.append((m.start(), m.end(), "neg" if m.lastgroup == "neg" else "pos", None))
        if not claims:
            return []
        claims.sort()
        excluded = [_EXCLUDE_BEFORE.search(low, max(0, i - 14), i) is not None for i, _j, _p in mentions]
        every = frozenset(range(d.n))

        def named(lo: int, hi: int, *, skipped: bool = False, first: bool = False) -> frozenset[int]:
            found = [ps for (i, _j, ps), ex in zip(mentions, excluded, strict=True)
                     if lo <= i < hi and ex == skipped]
            if first:
                return found[0] if found else frozenset()
            return frozenset(p for ps in found for p in ps)

        out: list[str] = []
        carried: frozenset[int] | None = None
        for s, e in sentences:
            clauses = _spans(low, _CLAUSE, s, e)
            verbatim = d.verbatim(low[s:e])
            others = every - named(s, e, skipped=True)
            for n_clause, (cs, ce) in enumerate(clauses):
                clauses_before = clauses[:n_clause]
                in_clause = [c for c in claims if cs <= c[0] < ce]
                lo = cs
                for k, (a, b, kind, count) in enumerate(in_clause):
                    hi = in_clause[k + 1][0] if k + 1 < len(in_clause) else ce
                    targets = named(lo, a) or named(b, hi)
                    rest = low[cs:a] + " " + low[b:ce]
                    claim_lo, lo = lo, b
                    if verbatim:
                        continue
                    if not targets:
                        # the nearest products named before: in this clause, else in an earlier one
                        earlier = [(x, y) for x, y in [*clauses_before, (cs, claim_lo)] if named(x, y)]
                        if _OTHERS.search(rest):
                            targets = (others - named(s, claim_lo)) or others
                        elif _UNIVERSAL.search(rest):
                            group = named(*earlier[-1]) if earlier else frozenset()
                            targets = group if len(group) > 1 else others
                        else:
                            targets = named(*earlier[-1], first=True) if earlier else carried or others
                    out += _judge(d, sorted(targets), kind, count, low[a:b].strip(), rest)
            for cs, ce in clauses:
                carried = named(cs, ce, first=True) or carried
        return out

    @staticmethod
    def _cart(low: str, d: _Digest, sentences: list[tuple[int, int]],
              mentions: list[tuple[int, int, frozenset[int]]]) -> list[str]:
        out = [f"order claim {m.group(0)!r}: the guide does not place orders or take payment"
               for m in _ORDER.finditer(low)]
        for m in _CART.finditer(low):
            if not d.cart_ok:
                out.append(f"cart claim {m.group(0)!r} but nothing was added to the cart")
                continue
            if not d.cart_added:
                continue
            s, e = next(((s, e) for s, e in sentences if s <= m.start() < e), (0, len(low)))
            named = {p for i, _j, ps in mentions if s <= i < e for p in ps}
            if named and not any(d.titles[p] in d.cart_added or d.cart_added in d.titles[p] for p in named):
                out.append(f"cart claim {m.group(0)!r} names a product other than the one added")
        return out


def _judge(d: _Digest, targets: Sequence[int], kind: str, count: float | None, phrase: str,
           rest: str) -> list[str]:
    """Reasons a stock claim about ``targets`` is false (none if it holds)."""
    products: Sequence[ProductFacts] = d.products
    if kind == "count" and count == 0:
        kind = "neg"
    if kind == "count":
        if any(products[i].stock == count for i in targets):
            return []
        return [f"stock {phrase!r} but {products[i].title} has {products[i].stock}" for i in targets[:1]]
    want_in = kind == "pos"
    good = [i for i in targets if products[i].in_stock == want_in]
    bad = [i for i in targets if products[i].in_stock != want_in]
    if not bad:
        return []
    if _EXISTENTIAL.search(rest) and good:
        return []
    m = _AT_LEAST.search(rest)
    if m:
        need = _values(m.group(1) or m.group(2))
        if need and len(good) >= need[0] and need[0] < len(targets):
            return []
    state = "sold out" if want_in else f"in stock ({products[bad[0]].stock})"
    return [f"stock {phrase!r} but {products[bad[0]].title} is {state}"]
