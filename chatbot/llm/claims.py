"""The claims a written reply can make, and how to read them: canonical text, amounts of money, plain numbers,
durations, ranks, stock, delivery, cart and order phrases, the form checks (HTML, URLs, prompt echoes), and
the product-name helpers. :mod:`chatbot.llm.verify` applies them to a reply against the turn's facts.

Example:
    >>> [a.values for a in amounts(canon("第一双只要¥399，第二双三百五十元")[1])]
    [(399.0,), (350.0,)]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from catalog.filters import AMBIGUOUS_BRANDS, parse_number
from intent.text import HAN, normalize

H = HAN.pattern  # one Han character, as a regex class
Span = tuple[int, int]  # (start, end) in the reply's canonical text

# ---------------------------------------------------------------------------------------------------------
# Text forms and numbers
# ---------------------------------------------------------------------------------------------------------
_HAN_SPACE = re.compile(rf"(?<={H}) +| +(?={H})")


def canon(text: str) -> tuple[str, str]:
    """(case kept, lower case) of ``text``: NFKC per line, spaces next to a Han character dropped (so "耐克
    Pegasus 40" and "耐克Pegasus 40" read the same); both strings have the same length."""
    lines = (normalize(line, casefold=False, max_chars=None) for line in text.splitlines())
    kept = _HAN_SPACE.sub("", "\n".join(line for line in lines if line))
    low = kept.lower()
    if len(low) != len(kept):  # a character whose lower case is longer ("İ"): keep it as it is
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in kept)
    return kept, low


facts_canon = lru_cache(maxsize=8192)(canon)  # catalog titles and template texts come back turn after turn


def low(text: str) -> str:
    return facts_canon(text)[1] if text else ""


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_EN_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_EN_NUMBERS.update(fifteen=15, twenty=20, thirty=30, forty=40, fifty=50, sixty=60, hundred=100, a=1, an=1)
ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split()) if i}
ORDINALS.update({"1st": 1, "2nd": 2, "3rd": 3, "10th": 10}, **{f"{i}th": i for i in range(4, 10)})


def numbers_of(raw: str) -> tuple[float, ...]:
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


def key(v: float) -> float:
    return round(v, 4)


def cents(v: float) -> int:
    return round(v * 100)


def fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def written(text: str, plain: str) -> str:
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
_SUFFIX = (r"(?:元钱|元(?![气素旦宵器件])|块钱|块(?:(?!" + H + r")|(?=[的左以之就能起多吧呢啊呀哦包]))|"
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
FACT_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COUNTERS = (r"个小时|个工作日|个月|个星期|小时|钟头|分钟|天|日(?![本常期用系韩子记])|周(?![边末到围])|星期|年(?![轻龄代纪级])|件|"
             r"台|双|款|种|样|颗|倍|码|色|人|瓶|罐|套|支|盒|包")
_CN_COUNT = re.compile(r"(?<![第零〇一二两三四五六七八九十百千万点])(" + _CN_RUN + r")(?=" + _COUNTERS + r")")
_EN_COUNT = re.compile(r"\b(" + _EN_WORDS + r")\b(?=[\s-]+(?:[a-z]+[\s-]+)?(?:days?|hours?|weeks?|months?|"
                       r"years?|options?|products?|items?|pairs?|models?|colou?rs?|sizes?|units?|pieces?|"
                       r"choices|picks|ones|left|stars?|of them|in stock)\b)")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%|百分之(" + _CN_RUN + r")")
SCALE = re.compile(r"(?<=\d)\s*/\s*5(?![\d.])|out of 5(?![\d.])|满分\s*5(?![\d.])")
DISCOUNT = re.compile(
    r"(?:打)?[一二三四五六七八九\d.]+\s*折(?!叠)|打折|折扣|折后|优惠券|优惠|满\s*\d+\s*减\s*\d+|满减|立减|立省|直降|"
    r"降价|促销|特价|秒杀|限时|返现|赠品|买一送一|送赠品|券后|"
    r"\bdiscount(?:s|ed)?\b|\bcoupons?\b|\bvouchers?\b|\bpromo(?:tion)?s?\b|\d+\s*%\s*off\b|"
    r"\boff\b(?=\s+(?:the|its|list)\s+price)|\bon sale\b|\bsale price\b|\bprice drop\b|\bclearance\b|"
    r"\bmarkdown\b|"
    r"\bcash\s?back\b|"
    r"\bbuy one,? get one\b|\bbogo\b|\bfree gift\b|\blimited[- ]time\b")
FREE_SHIPPING = re.compile(r"包邮|免运费|免邮|运费全免|不要运费|零运费|free (?:shipping|delivery)|ships? (?:for )?free|"
                            r"shipping is free|no shipping (?:fee|cost|charge)")
COMPARE = re.compile(r"便宜|贵|差价|相差|差了|差距|高出|低了|多花|少花|省|cheaper|pricier|more expensive|"
                      r"less expensive|difference|apart|more than|less than|\bsaves?\b|saving|extra|higher|"
                      r"lower")

# sentences and clauses
SENTENCE = re.compile(r"[。!?;\n…]+|(?<![\s\n]\d)(?<![\s\n]\d\d)(?<!^\d)(?<!^\d\d)(?<!\bno)\.(?=\s|$)")
CLAUSE = re.compile(r",(?!\d{3}(?!\d))|:")
_CLAUSE_OR_SENTENCE = re.compile(CLAUSE.pattern + "|" + SENTENCE.pattern)

# ranks: 第二款 / the second one / option 2 / #2 / a list item "2."
RANK = re.compile(
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
EXCLUDE_BEFORE = re.compile(r"(?:除了|除去|不算|except(?: for)?|other than|besides|apart from)\s*(?:the\s+)?$")

# stock
STOCK = re.compile(
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
OFFERED_BEFORE = re.compile(r"(?:options?|products?|choices|models?|items?|pairs?|shoes|what's|what is|"
                             r"here's)\s+(?:currently\s+|now\s+)?$")
STOCK_COUNT = re.compile(
    r"(?:库存(?:还有|仅剩|只剩|剩|只有|仅有|有)?|还剩|仅剩|只剩|剩下|剩余)\s*(?P<n>\d+|" + _CN_RUN
    + r")\s*(?:件|双|台|个|套|瓶|罐|支|盒)"
    r"|(?<![\d.])(?P<e>\d+|" + _EN_WORDS + r")\s+(?:units?\s+|pieces?\s+|pairs?\s+|items?\s+)?"
    r"(?:left|in stock|remaining)\b|\bstock(?:\s+of|:)?\s+(?P<s>\d+)\b")
UNIVERSAL = re.compile(r"都|全部|全都|均|所有|这些|\ball\b|\bboth\b|\bevery\b|\beach\b")
OTHERS = re.compile(r"其他|其它|其余|另外|别的|\bthe others?\b|\bthe rest\b|\bothers\b")
EXISTENTIAL = re.compile(r"其中|有一款|有一个|有一双|有的|部分|之一|\bone of\b|\bsome of\b|\bsome\b|\bone is\b")
AT_LEAST = re.compile(r"(?<!第)([两二三四五六七八九十]|\d+)\s*(?:款|个|双|件|台|种)|\b(two|three|four|five|six|\d+)\s+"
                       r"(?:of\s+(?:them|these|those|the)|options|products|pairs|models|ones|items)\b")

# delivery
DELIVERY_CUE = re.compile(
    r"发货|发出|寄出|送达|送到|到货|到手|收到|配送|派送|快递|物流|出库|次日达|当日达|隔日达|"
    r"(?:天|日|小时)(?:内|之内|左右)?(?:就|就能|就会|即可|能|可以|可)?(?:到|达|发)(?![了过底处位期现票布])|"
    r"\b(?:ship(?:s|ped|ping)?|deliver(?:s|ed|y|ies)?|arriv(?:e|es|ed|al)|dispatch(?:ed|es)?|get it|"
    r"receive it|reach(?:es)? you|on your doorstep)\b")
DAY_WORDS = {"今天": "today", "今日": "today", "当天": "today", "当日": "today", "马上": "today", "立即": "today",
              "立刻": "today", "today": "today", "tonight": "today", "same day": "today", "same-day": "today",
              "right away": "today", "immediately": "today", "明天": "tomorrow", "明日": "tomorrow",
              "次日": "tomorrow", "隔天": "tomorrow", "隔日": "tomorrow", "第二天": "tomorrow",
              "tomorrow": "tomorrow", "next day": "tomorrow", "next-day": "tomorrow", "overnight": "tomorrow",
              "后天": "in two days", "day after tomorrow": "in two days"}
DAY_WORD = re.compile("|".join(sorted((re.escape(w) if w[0] > "z" else rf"\b{re.escape(w)}\b"
                                        for w in DAY_WORDS), key=len, reverse=True)))
_COUNT_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十]+|" + _EN_WORDS
_DURATION = re.compile(
    r"(?=[\d零〇一二两三四五六七八九十a-z])(?<![\d.])(?P<a>" + _COUNT_NUM + r"|\ban?\b)"
    r"(?:\s*(?:-|–|—|~|到|至|\bto\b|\bor\b)\s*(?P<b>" + _COUNT_NUM + r"))?[\s-]*(?:个\s*)?"
    r"(?P<u>工作日|小时|钟头|分钟|天|日(?![本常期用系韩子记])|周(?![边末到围])|星期|个月|年(?![轻龄代纪级])|"
    r"(?:(?:business |working )?days?|hours?|hrs?|h|weeks?|months?|years?|minutes?|mins?)(?![a-z]))")
ORDER_NOW = re.compile(r"\s*(?:就)?(?:下单|拍下|购买|付款|下订单|买)")
ORDER_BEFORE = re.compile(r"\b(?:order|buy|purchase|place (?:an|your) order)(?: it| one| now)?\s*$")
_UNIT_CLASS = {"小时": "h", "钟头": "h", "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "周": "w",
               "星期": "w", "week": "w", "weeks": "w", "个月": "mo", "month": "mo", "months": "mo", "年": "y",
               "year": "y", "years": "y", "分钟": "min", "minute": "min", "minutes": "min", "min": "min",
               "mins": "min"}

# cart and orders
CART = re.compile(
    r"已(?:经)?(?:为您|帮您|给您|替您)?(?:[把将][^,.。!?;]{0,30}?)?(?:加入|加进|加到|放入|放进|添加到|添加进)(?:了)?(?:您的)?购物车|"
    r"(?:加入|加进|加到|放入|放进|添加到)(?:了)?(?:您的)?购物车(?:了|啦|中了|里了)|已在(?:您的)?购物车|"
    r"\b(?:i|we)(?:'ve| have)\s+(?:just\s+|already\s+)?(?:added|put)\b|"
    r"\b(?:added|put)\b[^.,;!?]{0,40}?\b(?:in|to|into)\s+your\s+(?:cart|basket|bag)|"
    r"(?:'s|\bis|\bare)\s+(?:now\s+)?in\s+your\s+(?:cart|basket)|\b(?:has|have)\s+been\s+added\b")
ORDER = re.compile(
    r"已(?:经)?(?:为您|帮您|给您|替您)?(?:成功)?(?:下单|下好单|付款|支付|购买|买好|提交订单)|下单成功|付款成功|支付成功|购买成功|"
    r"订单已(?:经)?(?:提交|生成|创建|确认|支付)|(?:帮您|为您|给您)(?:下单|下好单|付款|支付|拍下)了|下好单了|已(?:经)?拍下|"
    r"\bpurchase\s+(?:is|has been)\s+(?:complete|completed|confirmed)\b|"
    r"\border\s+(?:has\s+been\s+|is\s+|was\s+)?(?:placed|confirmed|submitted|completed?)\b|"
    r"\b(?:i|we)(?:'ve| have)\s+(?:just\s+|already\s+)?(?:ordered|purchased|bought|paid|checked out)\b|"
    r"\bplaced\s+(?:the|your|an)\s+order\b|\bpayment\s+(?:has\s+been\s+|is\s+|was\s+)?(?:received|completed?|"
    r"successful|confirmed|processed)\b|\b(?:has|have)\s+been\s+(?:ordered|purchased|paid)\b")

# form and prompt echoes
HTML = re.compile(r"<\s*/?\s*[a-z][a-z0-9_-]*(?:\s[^<>]*)?/?\s*>|&(?:[a-z]+|#\d+);")
URL = re.compile(r"https?://\S*|(?<![a-z0-9])www\.\S*|"
                  r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|io|shop|top|xyz|html?)\b")
INJECTION = re.compile(
    r"system\s*prompt|system\s*message|system\s*instructions?|developer\s*(?:message|mode)|"
    r"(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|my\s+|of\s+)?"
    r"(?:previous|prior|above|earlier|preceding)|(?:previous|above|prior)\s+instructions|"
    r"\bmy\s+(?:instructions|rules|prompt)\b|"
    r"\bi\s+(?:was|am|have been)\s+(?:instructed|told|programmed)\b|jailbreak|template reply|shopper_message|"
    r"系统提示|系统指令|系统消息|系统设定|提示词|忽略(?:之前|以上|上面|前面|先前|此前|所有)|我的指令|开发者模式|"
    r"\bas\s+an\s+ai\b|作为(?:一个)?(?:ai|人工智能|语言模型|大模型)|language\s+model|"
    r"reply_kind|shopper_stage|delivery_promise|policy_text|added_to_cart|filters_text")
ROLE = re.compile(r"(?:^|\n)\s*(?:system|assistant|user|human|ai|bot|助手|用户|系统)\s*:|<\|[a-z_]+\|>|\[/?inst\]|"
                   r"<<sys>>|###\s*(?:instruction|system|response)")
LATIN = re.compile(r"[a-z]")
WORD = re.compile(r"(?<![a-z0-9])[a-z]+(?:'[a-z]+)?(?![a-z0-9])")  # not a unit ("2k") or in a model ("c202")
# latin words a Chinese reply may use without the facts naming them
ZH_LATIN_OK = frozenset("ok app vip diy logo pk wifi usb led lcd nfc gps rmb cny usd yuan vs no".split())

# model words and product lines
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9](?:[A-Za-z0-9]|[-+.'](?=[A-Za-z0-9]))*")
_UNIT_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:-?[a-z]+)?", re.I)
_CAMEL = re.compile(r"[a-z][A-Z]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
_MODEL_PHRASE = re.compile(r"\d")  # a leading part without its brand names a model if it has a digit
HAN_MODEL = re.compile(H + r"{2}\d+[a-z]*")
HAN_RUN = re.compile(H + "+")
LINE_PAIR = re.compile(r"(?<![a-z0-9])([a-z][a-z'-]*[a-z]|[a-z])\s(\d+(?:\.\d+)?)(?![\d.]*\d)(?![a-z0-9])")
HAN_PAIR = re.compile(r"(" + H + r"{2})(\d+(?:\.\d+)?)")
LINE_STOP = frozenset(
    "x up to for of in on and the with by at a an or is are only under over about around than size sizes top "
    "rated rating stock left pack set day days hour hours no vs from within costs cost price priced yuan rmb "
    "cny usd option number item pick just now get it its".split())
HAN_LINE_STOP = frozenset("库存 评分 价格 售价 现价 只要 仅需 还剩 剩下 预算 大约 大概 发货 送达 以内 左右 一共 总共 合计 评价 "
                           "分数 尺码 码数 现货 内存 容量".split())

# Brand names that are also everyday words: a Chinese one is a brand only before a model or a product word
# (小米14, 美的的空调, 苹果手机), a latin one only in its catalog spelling when that is not plain ("ONLY").
EVERYDAY_BRANDS = frozenset({normalize(b, casefold=False).lower() for b in AMBIGUOUS_BRANDS} | {
    "永久", "凤凰", "飞跃", "宝宝好", "好孩子", "北面", "有鱼", "康宁", "小度", "联想", "荣耀", "beats", "keep", "only",
    "converse", "vans", "coach", "guess", "gap", "next"})
BRAND_AFTER = re.compile(r"(?:的)?\s?[a-z0-9]|(?:的)?(?:品牌|牌子|牌|手机|电脑|笔记本|平板|耳机|手表|鞋|跑鞋|衣服|产品|商品|"
                          r"东西|这款|那款|款|系列|新款|旗舰|型号|官方|家的|店)")
NOT_A_BRAND_BEFORE = frozenset("很最真好太超挺多更完优甜柔唯精")  # 很美的, 完美的: a word, not the brand 美的
BRAND_BEFORE = re.compile(r"(?:品牌|牌子)(?:是|为|:)?$")


def is_latin(s: str) -> bool:
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


def title_parts(title: str) -> list[str]:
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
            if _MODEL_PHRASE.search(rest) and re.search(r"[A-Za-z]|" + H, rest):
                parts.append(rest)
    return parts


def model_like(tok: str) -> bool:
    """A latin token that names a model: it has a digit (but is not a number with a unit, "256GB", "3-day")
    or is CamelCase ("MateBook")."""
    if any(c.isdigit() for c in tok):
        return bool(LATIN_LETTER.search(tok)) and not _UNIT_TOKEN.fullmatch(tok)
    return bool(_CAMEL.search(tok))


def spans(text: str, boundary: re.Pattern[str], lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
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


def amounts(low: str) -> list[_Amount]:
    """Every money amount of a text, left to right, overlapping matches merged (the longest kept)."""
    found: list[_Amount] = []
    for pattern in _MONEY:
        for m in pattern.finditer(low):
            values = numbers_of(m.group("a")) + (numbers_of(m.group("b")) if m.group("b") else ())
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


def clause_of(text: str, pos: int) -> Span:
    """The clause (between commas, colons or sentence ends) around ``pos``."""
    lo = max((m.end() for m in _CLAUSE_OR_SENTENCE.finditer(text, 0, pos)), default=0)
    m = _CLAUSE_OR_SENTENCE.search(text, pos)
    return lo, m.start() if m else len(text)


def outermost(matches: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Matches not inside a longer one ("阿迪" in "阿迪达斯"), left to right."""
    out: list[tuple[int, int, str]] = []
    for m in sorted(matches, key=lambda m: (m[0], m[0] - m[1])):
        if not out or m[1] > out[-1][1]:
            out.append(m)
    return out


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def plain_numbers(low: str, skip: Sequence[Span] = ()) -> list[tuple[int, int, tuple[float, ...]]]:
    """(start, end, values) of each number that is not money: digits, Chinese numerals before a counter and
    English number words before a noun of quantity. ``skip``: spans already read (money, percentages)."""
    out = []
    for m in _NUMBER.finditer(low):
        if _inside(m.start(), skip):
            continue
        base = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        values = (base,)
        if m.group(3):
            values += numbers_of(m.group(0))
        out.append((m.start(), m.end(), values))
    for pattern in (_CN_COUNT, _EN_COUNT):
        for m in pattern.finditer(low):
            if not _inside(m.start(), skip):
                values = numbers_of(m.group(1))
                if values:
                    out.append((m.start(), m.end(), values))
    return out


def durations(low: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, tuple[float, ...], str]]:
    out = []
    for m in _DURATION.finditer(low, lo, len(low) if hi is None else hi):
        values = numbers_of(m.group("a")) + (numbers_of(m.group("b")) if m.group("b") else ())
        if values:
            unit = m.group("u").split()[-1]
            out.append((m.start(), m.end(), values, _UNIT_CLASS.get(unit, "d")))
    return out
