"""Query understanding: hard filters (budget, category, brand, stock, rating) from a shopper's words.

:class:`QueryParser` learns brand names (Chinese field + the English prefix of ``title_en``), product-line
names (``iPhone``, ``Mate``) and subcategories from the catalog; :func:`parse_query` is the one-call form.

Budget phrases (Chinese and English; Chinese numerals such as 两千, 三百五, 一千五, 1.5万, and 2k):

- upper bound: 500以内 / 500元以下 / 不超过500 / 不能超过500 / 预算2000 / 预算卡在500 / 我只有500块的预算 /
  最多只能花500 / 500元能拿下哪款 / 2k以内 / under $50 / below 1000 yuan / 500 max / can only spend 500 /
  don't want to spend more than 500 / get for 500 cny / fit a 500 rmb budget
- lower bound: 500以上 / 不低于500 / 不少于500 / over 500 / at least 500
- range: 1千到2千 / 300-800 / 三百到八百块 / between 300 and 800
- around X: 两千左右 / 大概2000 / around 2000 → [X·(1−b), X·(1+b)] with b = ``around_band`` (20%);
  a bare amount with a currency ("500块的耳机", "$50 earbuds") also means around.
- dollars ($, usd, dollars, bucks, 美元) are converted at the fixed ``usd_to_cny`` rate (7.2).
- a number without price context is never a budget ("iPhone 15", "4k电视", "256GB").

Every pattern works on :func:`intent.text.normalize`'s form of the message (NFKC, case-folded, whitespace
collapsed, control characters dropped, cut to MAX_CHARS); a message without Han characters is English (``lang="en"``).

Follow-ups: "便宜点 / 有没有更便宜的 / cheaper" → max price just below the cheapest product shown (or the
previous max × ``cheaper_factor`` when nothing was shown); "换个牌子 / 其他品牌 / another brand" → exclude the
brands shown. Filters persist across turns (:meth:`Filters.merge`); a new category clears the old brand
choices unless restated. Filters are HARD: a product that violates one is never recommended.

Example:
    >>> q = parse_query("500以内的跑步鞋")
    >>> q.filters.category, q.filters.max_price, sorted(q.stated)
    ('shoes', 500.0, ['category', 'price'])
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any

import ahocorasick

from catalog.categories import CATEGORY_BY_SLUG
from catalog.params import RankingParams
from catalog.taxonomy import Taxonomy, category_label, in_category
from intent.text import HAN, detect_lang, is_subsequence, normalize

__all__ = ["Filters", "ParsedQuery", "QueryParser", "parse_query", "parse_number"]


# ---------------------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """Hard constraints on products. ``None``/empty means "no constraint".

    brands: allowed brands (any of); exclude_brands: never these; prices in CNY, inclusive; subtypes: allowed
    subcategories (any of) — the kind of product the shopper narrowed to ("跑鞋" → 跑步鞋), kept by follow-ups
    such as "还有便宜点的吗".
    """

    min_price: float | None = None
    max_price: float | None = None
    category: str | None = None
    subtypes: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    exclude_brands: tuple[str, ...] = ()
    in_stock_only: bool = False
    min_rating: float | None = None

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def stated(self) -> frozenset[str]:
        """Names of the constraints set here: price, category, brand, exclude_brands, in_stock, rating."""
        names = set()
        if self.min_price is not None or self.max_price is not None:
            names.add("price")
        if self.category:
            names.add("category")
        if self.subtypes:
            names.add("subtype")
        if self.brands:
            names.add("brand")
        if self.exclude_brands:
            names.add("exclude_brands")
        if self.in_stock_only:
            names.add("in_stock")
        if self.min_rating is not None:
            names.add("rating")
        return frozenset(names)

    def merge(self, newer: Filters) -> Filters:
        """This session's filters updated by a newer turn's.

        A newly stated budget replaces both old bounds; a new category replaces the old one and (if it
        differs) clears the old brand choices unless restated; a new brand replaces the old brands and is
        removed from the exclusions; exclusions accumulate; in-stock and rating persist unless restated.
        """
        category_changed = bool(newer.category) and not (
            in_category(newer.category, self.category or "") or in_category(self.category or "", newer.category))
        subtypes = newer.subtypes or (() if category_changed else self.subtypes)
        price_new = newer.min_price is not None or newer.max_price is not None
        brands = newer.brands or (() if category_changed else self.brands)
        exclude = tuple(dict.fromkeys(newer.exclude_brands + (() if category_changed else self.exclude_brands)))
        exclude = tuple(b for b in exclude if b not in newer.brands)
        brands = tuple(b for b in brands if b not in exclude)
        return Filters(
            min_price=newer.min_price if price_new else self.min_price,
            max_price=newer.max_price if price_new else self.max_price,
            category=newer.category or self.category,
            subtypes=subtypes,
            brands=brands,
            exclude_brands=exclude,
            in_stock_only=self.in_stock_only or newer.in_stock_only,
            min_rating=newer.min_rating if newer.min_rating is not None else self.min_rating,
        )

    def violations(self, product: Any) -> list[str]:
        """Names of the constraints ``product`` breaks (empty = allowed)."""
        out = []
        if self.min_price is not None and product.price < self.min_price:
            out.append("min_price")
        if self.max_price is not None and product.price > self.max_price:
            out.append("max_price")
        if self.category and not in_category(product.category, self.category):
            out.append("category")
        if self.subtypes and product.subcategory not in self.subtypes:
            out.append("subtypes")
        if self.brands and product.brand not in self.brands:
            out.append("brands")
        if product.brand in self.exclude_brands:
            out.append("exclude_brands")
        if self.in_stock_only and product.stock <= 0:
            out.append("in_stock_only")
        if self.min_rating is not None and product.rating < self.min_rating:
            out.append("min_rating")
        return out

    def allows(self, product: Any) -> bool:
        return not self.violations(product)

    def without(self, *names: str) -> Filters:
        """A copy with some constraints dropped (names of :meth:`violations` or ``price``)."""
        changes: dict[str, Any] = {}
        for name in names:
            if name == "price":
                changes.update(min_price=None, max_price=None)
            elif name in ("brands", "exclude_brands", "subtypes"):
                changes[name] = ()
            elif name == "in_stock_only":
                changes[name] = False
            else:
                changes[name] = None
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}

    def describe(self, lang: str = "zh") -> str:
        """Human-readable summary, e.g. ``鞋靴 · ¥500以内 · 品牌：耐克`` / ``Shoes · ≤ ¥500 · brand: Nike``."""
        zh = lang.startswith("zh")
        parts = []
        if self.category:
            parts.append(category_label(self.category, "zh" if zh else "en"))
        if self.subtypes:
            parts.append("/".join(self.subtypes))
        lo, hi = self.min_price, self.max_price
        if lo is not None and hi is not None:
            parts.append(f"¥{_fmt(lo)}–{_fmt(hi)}")
        elif hi is not None:
            parts.append(f"¥{_fmt(hi)}以内" if zh else f"≤ ¥{_fmt(hi)}")
        elif lo is not None:
            parts.append(f"¥{_fmt(lo)}以上" if zh else f"≥ ¥{_fmt(lo)}")
        if self.brands:
            parts.append(("品牌：" if zh else "brand: ") + "/".join(self.brands))
        if self.exclude_brands:
            parts.append(("不要：" if zh else "not: ") + "/".join(self.exclude_brands))
        if self.in_stock_only:
            parts.append("仅看有货" if zh else "in stock only")
        if self.min_rating is not None:
            parts.append(f"评分≥{self.min_rating:g}" if zh else f"rating ≥ {self.min_rating:g}")
        if not parts:
            return "无筛选条件" if zh else "no filters"
        return " · ".join(parts)


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


@dataclass(frozen=True)
class ParsedQuery:
    """What one shopper message means for the product search.

    filters: this turn's constraints merged with the session's previous ones (what to apply);
    turn: only what this message stated; stated: names of the constraints newly stated (see
    :meth:`Filters.stated`); cheaper / other_brand: follow-up requests recognised; lang: "zh" or "en";
    category_term: the words that named the category ("跑鞋"); product_lines: model names found ("iphone").
    """

    text: str
    filters: Filters
    turn: Filters = field(default_factory=Filters)
    stated: frozenset[str] = frozenset()
    cheaper: bool = False
    other_brand: bool = False
    lang: str = "zh"
    cheap: bool = False
    """The message asks for cheap products without a budget ("便宜的跑鞋", "cheap earbuds")."""
    category_term: str | None = None
    product_lines: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------------
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_SUFFIX_MULT = {"k": 1000, "w": 10000, "千": 1000, "万": 10000, "百": 100}
_ARABIC = re.compile(r"(\d+(?:\.\d+)?)([kw千万百]?)")
_ARABIC_QIAN = re.compile(r"(\d+(?:\.\d+)?)千(\d)")


# Chinese numerals are read here rather than with cn2an: cn2an's "normal" mode reads the colloquial forms
# (三百五, 一千五, 一万二) but not 1.5万 / 2k / 一点五万 / 3千5, accepts digit strings (一二三 = 123) that must not be
# budgets, takes ~17 µs a numeral against ~2 µs here (budget parses +18%) and ~0.17 s to import.
def _cn_below_10k(s: str) -> float | None:
    total, digit, last_unit, zero_seen = 0, None, None, False
    for ch in s:
        if ch in "零〇":
            zero_seen = True
            continue
        if ch in _CN_DIGIT:
            if digit is not None:  # two digits in a row ("一二"): not a numeral we read
                return None
            digit = _CN_DIGIT[ch]
            zero_seen = zero_seen or digit == 0
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        # colloquial elision: 三百五 = 350, 一千五 = 1500 (but 一千零五 = 1005)
        total += digit * (last_unit // 10) if last_unit and last_unit >= 100 and not zero_seen else digit
    return float(total)


def parse_number(text: str) -> float | None:
    """A number in Arabic or Chinese numerals, with k/w/千/万/百 multipliers; None if it is not one.

    >>> [parse_number(s) for s in ["两千", "三百五", "1.5万", "一千五", "2k", "一万二", "500"]]
    [2000.0, 350.0, 15000.0, 1500.0, 2000.0, 12000.0, 500.0]
    """
    s = text.strip().lower().replace(" ", "")
    if not s:
        return None
    m = _ARABIC.fullmatch(s)
    if m:
        return float(m.group(1)) * _SUFFIX_MULT.get(m.group(2), 1)
    m = _ARABIC_QIAN.fullmatch(s)  # 3千5
    if m:
        return float(m.group(1)) * 1000 + int(m.group(2)) * 100
    if not all(c in _CN_DIGIT or c in _CN_UNIT or c in "万点" for c in s):
        return None
    if "点" in s:  # 一点五万
        head, _, rest = s.partition("点")
        unit = 10000 if rest.endswith("万") else 1
        rest = rest.rstrip("万")
        whole = _cn_below_10k(head) if head else 0.0
        if whole is None or not rest or not all(c in _CN_DIGIT for c in rest):
            return None
        frac = float("0." + "".join(str(_CN_DIGIT[c]) for c in rest))
        return (whole + frac) * unit
    if "万" in s:
        head, _, rest = s.rpartition("万")
        high = _cn_below_10k(head) if head else 1.0
        if high is None:
            return None
        if not rest:
            return high * 10000
        if len(rest) == 1 and rest in _CN_DIGIT:  # 一万二 = 12000
            return high * 10000 + _CN_DIGIT[rest] * 1000
        low = _cn_below_10k(rest.lstrip("零"))
        return None if low is None else high * 10000 + low
    if not any(c in _CN_UNIT for c in s) and len(s) > 1:
        return None
    return _cn_below_10k(s)


_NUM = r"(?:\d+(?:\.\d+)?(?:\s?[kw](?![a-z])|[千万百](?:\d(?!\d))?)?|[零〇一二两三四五六七八九十百千万点]+)"
_PRE = r"(?P<pre>¥|￥|\$|usd\s?|rmb\s?|cny\s?)?"
_CURRENCY = r"元钱|元|块钱|块|rmb|cny|yuan|usd|dollars?|bucks|美元|美金|刀"
_CUR = r"(?:\s?(?P<cur>" + _CURRENCY + r"))?"
_MONEY = _PRE + r"(?P<num>" + _NUM + r")" + _CUR
_NOT_BEFORE = r"(?<![a-z0-9.\-])"
# Where an amount can start (a currency sign or code, a digit, a Chinese numeral): a one-character check that
# lets the patterns that begin with an amount skip every other position fast.
_MONEY_FIRST = r"¥￥$urc\d零〇一二两三四五六七八九十百千万点"
_AT_MONEY = r"(?=[" + _MONEY_FIRST + r"])" + _NOT_BEFORE
_USD = ("$", "usd", "dollar", "dollars", "bucks", "美元", "美金", "刀")


def _money(m: re.Match[str], suffix: str = "") -> tuple[float, bool] | None:
    """(amount, is_usd) of a match made with _MONEY (group names carry ``suffix``)."""
    value = parse_number(m.group("num" + suffix))
    if value is None or value <= 0 or not math.isfinite(value):
        return None
    pre = (m.group("pre" + suffix) or "").strip()
    cur = (m.group("cur" + suffix) or "").strip()
    return value, pre in _USD or cur in _USD


def _with(pattern: str, suffix: str) -> str:
    return pattern.replace("(?P<pre>", f"(?P<pre{suffix}>").replace("(?P<num>", f"(?P<num{suffix}>").replace(
        "(?P<cur>", f"(?P<cur{suffix}>")


_M1, _M2 = _with(_MONEY, "1"), _with(_MONEY, "2")
_RANGE = re.compile(r"(?=[b预价" + _MONEY_FIRST + r"])(?:between\s+|(?:预算|价格|价位)\s*(?:在)?\s*)?" + _NOT_BEFORE + _M1
                    + r"\s*(?:到|至|-|~|～|—|–|\bto\b|\band\b)\s*" + _M2 + r"(?:\s*(?:之间|以内|左右))?")
_AROUND = (
    re.compile(r"(?:(?:预算|价格|价位)\s*)?(?:大概|大约|差不多|约|around|about|roughly|approximately|approx\.?|~)\s*"
               + _NOT_BEFORE + _MONEY + r"(?:\s*(?:左右|上下))?"),
    re.compile(r"(?=[预价" + _MONEY_FIRST + r"])(?:(?:预算|价格|价位)\s*)?" + _NOT_BEFORE + _MONEY
               + r"\s*(?:左右|上下|附近)"),
)
_UPPER = (
    # the look-ahead lists the first characters of the alternatives (a fast pre-check: keep it in step)
    re.compile(r"(?=[不别低少小最顶至封上控压只就预价ubclnamwog<])"
               r"(?:(?:不|别|不要|不能|不想|不会|不可以|不得)(?:超过|超出|高于|大于)|(?<!不)(?:低于|少于|小于)|"
               r"(?:最多|顶多|至多)(?:只)?(?:能|可以)?花|只(?:能|可以)?花|最多|最高|顶多|至多|封顶|上限(?:是|为)?|"
               r"控制在|压在|预算(?:就只有|只有|就|卡在|压在|定在|控制在|降到|降至|最多|顶多|上限|不到|是|在|有|为)?|"
               r"价位(?:在)?|under|below|less than|cheaper than|no more than|not more than|at most|max(?:imum)?|"
               r"up to|within|budget(?:\s+is|\s+of)?|(?:capped|limited) at|(?:cap|limit)(?:\s+(?:is|of))?|"
               r"(?:can|could)\s+(?:only\s+)?(?:spend|afford|pay)|"
               r"(?:n't|not)\s+(?:want\s+to\s+)?(?:spend|pay|go)(?:ing)?\s+(?:more than|over|above|beyond)|"
               # "priced" words bound an amount only with its currency: "只有500块" (not "只有500ml"), "get for 500 cny"
               r"(?P<priced>只有|就有|只剩|不到|only (?:have|got)|(?:get|buy) (?:\w+ )?for)|"
               r"<=?)\s*(?:is\s+)?" + _NOT_BEFORE + _MONEY + r"(?:\s*(?:以内|以下|之内))?"),
    re.compile(_AT_MONEY + _MONEY + r"\s*(?:以内|以下|之内|之下|内(?!存)|封顶|顶天|为止|上限|(?:的)?预算|or less|"
               r"or under|and under|or below|and below|max\b|maximum|tops\b|at (?:the )?most|budget|"
               r"(?P<priced>(?:能|可以|就能)(?:买到|买|拿下|入手)))"),  # "500块钱能买到…", "500元能拿下哪款"
)
_LOWER = (
    re.compile(r"(?:高于|超过|大于|不低于|不少于|不小于|至少|最低|起码|over|above|more than|at least|min(?:imum)?|>=?)\s*"
               + _NOT_BEFORE + _MONEY + r"(?:\s*(?:以上))?"),
    re.compile(_AT_MONEY + _MONEY + r"\s*(?:以上|往上|起步|or more|and up|\+)"),
)
_BARE = (
    re.compile(r"(?P<pre>¥|￥|\$)\s?(?P<num>" + _NUM + r")(?P<cur>)"),
    re.compile(_AT_MONEY + r"(?P<pre>)(?P<num>" + _NUM + r")\s?(?P<cur>元钱|元|块钱|块|yuan|rmb|cny|usd|dollars?|bucks|"
               r"美元|美金)"),
)

_RATING = re.compile(
    r"(?:评分|评价|rated|rating)\s*(?:在|of|above|over|at least|>=?)?\s*(?P<r>[0-5](?:\.\d)?)\s*(?:分|星|stars?)?\s*"
    r"(?:以上|及以上|起|\+|or (?:more|higher|above))?|(?P<r2>[0-5](?:\.\d)?)\s*(?:分|星|stars?)\s*(?:以上|及以上|起|\+|"
    r"or (?:more|higher|above)|and up)")
_HIGH_RATING = re.compile(r"好评|高评分|评分高|口碑好|highly rated|top rated|best rated|well reviewed")
_IN_STOCK = re.compile(r"有货|现货|有库存|马上发货|当天发|能马上发|in stock|available now|ships? today")
_CHEAP = re.compile(r"(?<![不别太])便宜的|(?<![不别太])便宜点?的|便宜货|实惠|平价|低价|不贵的|\bcheap\b|\baffordable\b|"
                    r"\binexpensive\b|\bbudget (?!of\b|is\b|for\b|limit|doesn|isn)", re.I)
_CHEAP_NOT = re.compile(r"(?:不要|不想要|别|不|no|not|don'?t want|without)\W{0,3}\w{0,3}\W{0,2}$", re.I)
_CHEAPER = re.compile(r"便宜(?:一)?点|便宜些|更便宜|再便宜|太贵|有点贵|贵了|低一点|价格低一些|cheaper|less expensive|"
                      r"too expensive|too pricey|lower price")
_OTHER_BRAND = re.compile(r"换(?:一)?个(?:牌子|品牌)|换(?:个)?(?:牌子|品牌)|其他品牌|其它品牌|别的牌子|别的品牌|其他牌子|"
                          r"其它牌子|不同(?:的)?品牌|another brand|other brands?|different brands?")
_NEGATION = re.compile(r"(?:不要|不想要|不考虑|除了|别|排除|不买|不喜欢|非|not|no|except|other than|without|"
                       r"anything but|besides)\s*(?:the\s+)?$")

# Well-known brand aliases (normalised); learned names from the catalog are added to these groups.
BRAND_ALIASES: tuple[tuple[str, ...], ...] = (
    ("apple", "苹果"), ("nike", "耐克"), ("adidas", "阿迪达斯", "阿迪"), ("huawei", "华为"), ("xiaomi", "小米"),
    ("samsung", "三星"), ("sony", "索尼"), ("li-ning", "lining", "li ning", "李宁"), ("anta", "安踏"),
    ("new balance", "新百伦", "nb"), ("puma", "彪马"), ("converse", "匡威"), ("vans", "万斯"), ("dyson", "戴森"),
    ("lenovo", "联想"), ("honor", "荣耀"), ("oneplus", "一加"), ("dji", "大疆"), ("canon", "佳能"),
    ("nikon", "尼康"), ("philips", "飞利浦"), ("midea", "美的"), ("gree", "格力"), ("haier", "海尔"),
    ("uniqlo", "优衣库"), ("ikea", "宜家"), ("asics", "亚瑟士"), ("skechers", "斯凯奇"), ("xtep", "特步"),
    ("dell", "戴尔"), ("asus", "华硕"), ("hp", "惠普"), ("lego", "乐高"), ("estee lauder", "雅诗兰黛"),
    ("lancome", "兰蔻"), ("l'oreal", "loreal", "欧莱雅"), ("shiseido", "资生堂"), ("garmin", "佳明"),
    ("oppo",), ("vivo",), ("realme", "真我"), ("the north face", "north face", "北面"), ("decathlon", "迪卡侬"),
)
# Brand names that are also everyday words: only a brand when the brand sells in the category asked for.
AMBIGUOUS_BRANDS = frozenset({
    "苹果", "小米", "坚果", "好奇", "渴望", "美的", "顽皮", "真我", "大王", "小熊", "石头", "皇家", "骆驼", "花王",
    "一加", "回力", "小天才", "福丸", "诚实一口", "疯狂小狗", "追觅", "当贝", "理光", "蕉下", "步步高", "非",
    "bear", "camel", "royal", "warrior", "peak", "giant", "comfy", "honor", "want want", "belle", "gb", "ue",
    "hp", "nb", "asd", "yaya", "only", "keep", "perfect", "three", "nature", "want", "forever", "crazy", "honest",
    "phoenix", "herman", "wang", "zhang", "zhou", "hsu", "cheers", "orion", "merries", "mac", "senda", "vero",
    "the north", "estee", "morphy", "a2", "360", "352", "361", "the", "corning", "kerchin",
})
_EN_STOP = frozenset(
    "the a an and or for with of in on by new pro max mini plus ultra lite air classic original official men's "
    "women's kids men women unisex running sports wireless smart portable home series edition limited "
    # everyday words that are also product-line names: never a brand on their own
    "play pocket enjoy ocean escape lightning sonic pace kitten puppy cat dog alpha apex ace buds spire taichi omen "
    "note one go book pad watch band fit free open run move clip magic star nova mach x y z s bottle clear mask size "
    "cup bag case box set pack kit care baby soft light".split())
# Everyday words that begin an English brand name ("want want", "three squirrels", "perfect diary"): the brand
# is named by its whole name only, never by this first word alone ("I want coffee" names no brand).
_EVERYDAY_FIRST_WORDS = frozenset("want three perfect honest nature forever cheers comfy".split())


def _is_latin(term: str) -> bool:
    return not HAN.search(term)


def _find(term: str, text: str) -> Iterable[tuple[int, int]]:
    """Spans of ``term`` in ``text``: every occurrence of a Chinese term; a latin term only as a whole word
    (not after a letter or digit, not before a letter, nor before a digit when it ends with one: the brand
    360 is not in "3600元"), non-overlapping. One term at a time: the brute-force reference that
    :class:`_TermMatcher` (used by the parser) is tested against."""
    if not term:
        return
    if _is_latin(term):
        after = r"(?![a-z0-9])" if term[-1].isdigit() else r"(?![a-z])"
        for m in re.finditer(r"(?<![a-z0-9])" + re.escape(term) + after, text):
            yield m.start(), m.end()
    else:
        start = text.find(term)
        while start >= 0:
            yield start, start + len(term)
            start = text.find(term, start + 1)


_WORD_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_WORD_AFTER = frozenset("abcdefghijklmnopqrstuvwxyz")  # a term that ends with a digit: _WORD_BEFORE


class _TermMatcher:
    """Every span that :func:`_find` gives for each of many terms, found in one pass over the text.

    An Aho-Corasick automaton (``pyahocorasick``) reports every occurrence of every term in one scan (cost:
    text length + matches, independent of the number of terms); latin terms then keep ``_find``'s word
    boundaries and its non-overlapping rule per term.

    >>> _TermMatcher(["跑鞋", "跑步鞋", "鞋", "nb"]).find("nb跑步鞋 nba")
    [(0, 2, 'nb'), (2, 5, '跑步鞋'), (4, 5, '鞋')]
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for term in terms:
            if term:
                after = None if not _is_latin(term) else _WORD_BEFORE if term[-1].isdigit() else _WORD_AFTER
                self._automaton.add_word(term, (len(term), term, after))
        if len(self._automaton):
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term) of every match, by start then by length."""
        if not len(self._automaton):
            return []
        out: list[tuple[int, int, str]] = []
        latin_end: dict[str, int] = {}  # a latin term's last match end (finditer does not overlap)
        n = len(text)
        # matches come by end position, so one term's matches come left to right
        for last, (length, term, after) in self._automaton.iter(text):
            j = last + 1
            i = j - length
            if after is None:  # a Chinese term
                out.append((i, j, term))
            elif ((i == 0 or text[i - 1] not in _WORD_BEFORE) and (j == n or text[j] not in after)
                  and i >= latin_end.get(term, 0)):
                latin_end[term] = j
                out.append((i, j, term))
        out.sort()
        return out


# ---------------------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------------------
@dataclass
class QueryParser:
    """Parses shopper messages into :class:`ParsedQuery`; learns brands, product lines and subcategories
    from ``products`` (may be empty: then only the built-in alias table and category synonyms are known).

    >>> QueryParser().parse("under $50 earbuds").filters.max_price
    360.0
    """

    products: Sequence[Any] = ()
    params: RankingParams = field(default_factory=RankingParams)

    # -- learned tables (built on first use) ---------------------------------------------------------------
    @cached_property
    def brand_terms(self) -> dict[str, tuple[str, ...]]:
        """Normalised name/alias/product line → catalog brand(s)."""
        catalog_brands = sorted({p.brand for p in self.products if p.brand})
        names: dict[str, set[str]] = defaultdict(set)
        for brand in catalog_brands:
            names[brand].add(normalize(brand).rstrip("·°"))
        generic = self._generic_en_words
        for brand, prefix in self._english_prefixes.items():
            names[brand].add(prefix)
            first = prefix.split(" ")[0]
            if (len(first) >= 4 and first not in generic and first not in _EVERYDAY_FIRST_WORDS
                    and re.fullmatch(r"[a-z][a-z\-.&']*", first)):
                names[brand].add(first)
        for group in BRAND_ALIASES:
            for brand in catalog_brands:
                if names[brand] & set(group):
                    names[brand].update(group)
        table: dict[str, set[str]] = defaultdict(set)
        for brand, terms in names.items():
            for t in terms:
                if t:
                    table[t].add(brand)
        if not self.products:  # no catalog: the alias table itself, canonical = first name
            for group in BRAND_ALIASES:
                for t in group:
                    table[t].add(group[0])
        return {t: tuple(sorted(b)) for t, b in table.items()}

    @cached_property
    def _generic_en_words(self) -> set[str]:
        """English title words used by two or more brands after the first word (colours, kinds, sizes)."""
        brands_of: dict[str, set[str]] = defaultdict(set)
        for p in self.products:
            for w in normalize(p.title_en).split(" ")[1:]:
                brands_of[w].add(p.brand)
        return {w for w, b in brands_of.items() if len(b) >= 2} | set(_EN_STOP)

    @cached_property
    def _english_prefixes(self) -> dict[str, str]:
        """Brand → its English name in ``title_en``: the leading words all its titles share, stopping at a
        word of the Chinese titles (a model name), a generic word, or after three words."""
        by_brand: dict[str, list[list[str]]] = defaultdict(list)
        zh_words: dict[str, set[str]] = defaultdict(set)
        for p in self.products:
            if p.title_en and p.brand and p.title_zh.startswith(p.brand):  # the English title starts with it too
                by_brand[p.brand].append(normalize(p.title_en).split(" "))
                zh_words[p.brand].update(normalize(p.title_zh).split(" "))
        generic = self._generic_en_words
        out = {}
        for brand, titles in by_brand.items():
            if not HAN.search(brand):
                out[brand] = normalize(brand)
                continue
            prefix: list[str] = []
            for words in zip(*titles, strict=False):
                w = words[0]
                if len(set(words)) != 1 or len(prefix) == 3 or any(w in z for z in zh_words[brand]) or (
                        prefix and w in generic):
                    break
                prefix.append(w)
            if prefix and not (len(prefix) == 1 and (prefix[0] in generic or len(prefix[0]) < 2)):
                out[brand] = " ".join(prefix)
        return out

    @cached_property
    def line_terms(self) -> dict[str, str]:
        """Product-line word → brand (``iphone`` → Apple), learned from ``title_en`` after the brand name."""
        seen: dict[str, set[str]] = defaultdict(set)
        for p in self.products:
            prefix = self._english_prefixes.get(p.brand)
            title = normalize(p.title_en)
            if not prefix or not title.startswith(prefix + " ") or not p.title_zh.startswith(p.brand):
                continue
            raw = normalize(p.title_en, casefold=False).split()
            words = title[len(prefix) + 1:].split(" ")
            raw_words = raw[len(prefix.split(" ")):]
            if not words or not raw_words:
                continue
            word, original = words[0], raw_words[0]
            followed_by_number = len(words) > 1 and bool(re.match(r"\d", words[1]))
            camel = any(c.isupper() for c in original[1:]) and any(c.islower() for c in original)
            if (re.fullmatch(r"[a-z][a-z0-9\-]{2,}", word) and word not in _EN_STOP
                    and (camel or followed_by_number or re.search(r"\d", word))):
                seen[word].add(p.brand)
        category_words = self._category_words
        return {w: next(iter(b)) for w, b in seen.items() if len(b) == 1 and w not in category_words
                and w not in self.brand_terms}

    @cached_property
    def _brand_categories(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for p in self.products:
            out[p.brand].add(p.category)
        return out

    @cached_property
    def _category_words(self) -> set[str]:
        return {t for t, _ in self.category_terms}

    @cached_property
    def taxonomy(self) -> Taxonomy:
        """The catalog's category tree (:mod:`catalog.taxonomy`)."""
        return Taxonomy.of_products(self.products)

    @cached_property
    def category_terms(self) -> list[tuple[str, str]]:
        """(normalised term, category key), longest first: the catalog's own category names at every level,
        their built-in synonyms and bilingual equivalents, words mined from their titles, the built-in
        categories and the catalog's subcategories (:func:`catalog.category_terms.category_terms`)."""
        from catalog.category_terms import category_terms

        return category_terms(self.products, self.taxonomy)

    @cached_property
    def _subcategories(self) -> dict[str, dict[str, list[str]]]:
        """category slug -> subcategory -> the normalised English titles of its products."""
        out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for p in self.products:
            if p.subcategory and p.category:
                out[p.category][p.subcategory].append(normalize(p.title_en))
        return out

    def subtypes_of(self, term: str, category: str | None) -> tuple[str, ...]:
        """The catalog subcategories of ``category`` that the shopper's word names, when it names a kind of
        product narrower than the category ("跑鞋" → ("跑步鞋",), "running shoes" → the subcategory whose
        English titles say so); () for a category-wide word ("鞋", "shoes") or an unknown one.

        A Chinese word names a subcategory it is a character subsequence of (跑鞋 ⊂ 跑步鞋), or that is in it;
        an English word, a subcategory whose titles contain every word of it in most (≥ 60 %) products.
        The category's own name, or a word that fits more than half of its subcategories, is category-wide.
        """
        subs = self._subcategories.get(category or "", {})
        t = normalize(term).replace(" ", "") if HAN.search(term) else normalize(term)
        if not subs or not t or (HAN.search(t) and len(t) < 2):
            return ()
        cat = CATEGORY_BY_SLUG.get(category or "")
        own = {normalize(x) for x in (cat.slug.replace("_", " "), cat.zh, cat.en)} if cat else {
            normalize(category_label(category))}
        if normalize(term) in own:
            return ()  # the category's own name is category-wide
        found = []
        for sub, titles in sorted(subs.items()):
            if HAN.search(t):
                n = normalize(sub)
                ok = n == t or is_subsequence(t, n) or (len(n) >= 2 and n in t)
            else:
                words = [w.rstrip("s") for w in t.split() if w]
                hits = sum(all(w in title for w in words) for title in titles)
                ok = bool(words) and hits >= 0.6 * len(titles)
            if ok:
                found.append(sub)
        if not found or (len(subs) > 1 and len(found) > len(subs) / 2) or len(found) == len(subs):
            return ()
        return tuple(found)

    # -- parsing -------------------------------------------------------------------------------------------
    def parse(self, text: str, previous: Filters | None = None, shown: Sequence[Any] = ()) -> ParsedQuery:
        """Parse one message; ``previous`` = the session's filters so far, ``shown`` = products last shown."""
        previous = previous or Filters()
        t = normalize(text)
        taken: list[tuple[int, int]] = []
        min_rating = self._rating(t, taken)
        lo, hi = self._budget(t, taken)
        category, cat_term, cat_span = self._category(t, taken)
        brands, excluded, lines = self._brands(t, category, cat_span)
        in_stock = bool(_IN_STOCK.search(t))
        cheaper = bool(_CHEAPER.search(t)) and hi is None
        other_brand = bool(_OTHER_BRAND.search(t))
        if cheaper:  # below what was shown, of the kind asked for ("便宜点的电视" after shoes: not the shoes' prices)
            prices = [p.price for p in shown if not category or not getattr(p, "category", "")
                      or in_category(p.category, category)]
            if prices:
                hi = _below(min(prices))
            elif previous.max_price is not None:
                hi = round(previous.max_price * self.params.cheaper_factor, 2)
            if hi is not None and previous.min_price is not None and previous.min_price < hi and lo is None:
                lo = previous.min_price
        if other_brand:
            shown_brands = [p.brand for p in shown] or list(previous.brands)
            excluded = tuple(dict.fromkeys([*excluded, *shown_brands]))
            brands = tuple(b for b in brands if b not in excluded)
        subtypes = self.subtypes_of(cat_term, category) if cat_term else ()
        turn = Filters(min_price=lo, max_price=hi, category=category, subtypes=subtypes, brands=brands,
                       exclude_brands=excluded, in_stock_only=in_stock, min_rating=min_rating)
        merged = previous.merge(turn)
        if other_brand and not brands:  # "another brand" also drops the old brand choice
            merged = replace(merged, brands=())
        return ParsedQuery(text=text, filters=merged, turn=turn, stated=turn.stated(), cheaper=cheaper,
                           other_brand=other_brand, lang=detect_lang(text, default="en"), category_term=cat_term,
                           product_lines=lines, cheap=_cheap(t) and hi is None)

    def _budget(self, t: str, taken: list[tuple[int, int]]) -> tuple[float | None, float | None]:
        rate, band = self.params.usd_to_cny, self.params.around_band
        lo: float | None = None
        hi: float | None = None

        def free(m: re.Match[str]) -> bool:
            return all(m.end() <= a or m.start() >= b for a, b in taken)

        def cny(v: tuple[float, bool]) -> float:
            return round(v[0] * rate, 2) if v[1] else v[0]

        for m in _RANGE.finditer(t):
            a, b = _money(m, "1"), _money(m, "2")
            if not a or not b or not free(m):
                continue
            usd = a[1] or b[1]
            x, y = sorted((cny((a[0], usd)), cny((b[0], usd))))
            if x < y:
                lo, hi = x, y
                taken.append(m.span())
        for patterns, kind in ((_AROUND, "around"), (_UPPER, "upper"), (_LOWER, "lower")):
            for m in (m for pattern in patterns for m in pattern.finditer(t)):
                v = _money(m)
                if not v or not free(m) or (m.groupdict().get("priced") and not m.group("cur")):
                    continue
                taken.append(m.span())
                x = cny(v)
                if kind == "around":
                    lo, hi = round(x * (1 - band), 2), round(x * (1 + band), 2)
                elif kind == "upper":
                    hi = x
                else:
                    lo = x
        if lo is None and hi is None:
            for m in (m for pattern in _BARE for m in pattern.finditer(t)):
                v = _money(m)
                if not v or not free(m):
                    continue
                x = cny(v)
                lo, hi = round(x * (1 - band), 2), round(x * (1 + band), 2)
                break  # a bare amount leaves its words to the category: "千元机" is ~1000 and a phone type
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        return lo, hi

    def _rating(self, t: str, taken: list[tuple[int, int]]) -> float | None:
        for m in _RATING.finditer(t):
            r = float(m.group("r") or m.group("r2"))
            if 0 < r <= 5:
                taken.append(m.span())
                return r
        return self.params.high_rating if _HIGH_RATING.search(t) else None

    @cached_property
    def _category_matcher(self) -> tuple[_TermMatcher, dict[str, tuple[int, str]]]:
        """The category terms' matcher and term → (rank in :attr:`category_terms`, slug)."""
        terms = self.category_terms
        return _TermMatcher(t for t, _ in terms), {t: (i, slug) for i, (t, slug) in enumerate(terms)}

    @cached_property
    def _brand_matcher(self) -> tuple[_TermMatcher, dict[str, tuple[tuple[str, ...], int | None]]]:
        """One matcher over brand and product-line terms, and term → (brands, rank in :attr:`line_terms`
        or None for a brand term). The two sets are disjoint (a brand term is never a product line)."""
        info: dict[str, tuple[tuple[str, ...], int | None]] = {
            term: (brands, None) for term, brands in self.brand_terms.items()}
        for i, (term, brand) in enumerate(self.line_terms.items()):
            info[term] = ((brand,), i)
        return _TermMatcher(info), info

    def _category(self, t: str, taken: list[tuple[int, int]]) -> tuple[str | None, str | None, tuple[int, int]]:
        matcher, rank = self._category_matcher
        # longest term first (跑步鞋 before 鞋, 运动手表 before 运动), then its first usable occurrence
        for start, end, term in sorted(matcher.find(t), key=lambda h: (rank[h[2]][0], h[0])):
            if any(start < b and end > a for a, b in taken) or _negated(t, start):
                continue
            if _ACCESSORY_AFTER.match(t, end):  # "电脑包", "phone case": an accessory of it, not the product
                continue
            return rank[term][1], term, (start, end)
        return None, None, (-1, -1)

    def _brands(self, t: str, category: str | None, cat_span: tuple[int, int]
                ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        include: list[str] = []
        exclude: list[str] = []
        spans: list[tuple[int, int]] = []
        mentions: list[tuple[int, int, tuple[str, ...], str]] = []
        matcher, info = self._brand_matcher
        line_rank: dict[str, int] = {}
        for start, end, term in matcher.find(t):
            brands, rank = info[term]
            mentions.append((start, end, brands, term))
            if rank is not None:
                line_rank[term] = rank
        lines = sorted(line_rank, key=line_rank.__getitem__)  # in line_terms order
        # leftmost first, then longest; a (start, end) span is one substring, so one term: no ties
        for start, end, brands, term in sorted(mentions, key=lambda m: (m[0], -(m[1] - m[0]))):
            if any(start < b and end > a for a, b in spans):
                continue
            if start < cat_span[1] and end > cat_span[0]:
                continue  # "坚果" named the category
            if term in AMBIGUOUS_BRANDS or len(term) <= 2 and _is_latin(term):
                # "小米14", "苹果15 pro" with no category named: a model number makes the word a brand (not
                # "苹果5斤", "甜美的3款", "only 2 left": a count, or the end of a longer word)
                model_next = (category is None and not term.isdigit() and bool(_MODEL_NEXT.match(t, end))
                              and not (term.endswith("的") and start and HAN.match(t, start - 1))
                              and not _COUNT_AFTER.match(t, end))
                if not model_next and (category is None or not any(
                        category in self._brand_categories.get(b, ()) for b in brands)):
                    if self.products or category is None:
                        continue
            spans.append((start, end))
            (exclude if _negated(t, start) else include).extend(brands)
        include = [b for b in dict.fromkeys(include) if b not in exclude]
        return tuple(include), tuple(dict.fromkeys(exclude)), tuple(dict.fromkeys(lines))


# What follows a product word when the message is about an accessory for it ("电脑包", "手机壳", "laptop bags")
_ACCESSORY_AFTER = re.compile(r" ?(?:包(?!邮)|壳|套(?!装|餐)|膜|支架|充电器|充电线|数据线|保护壳|保护套|"
                              r"(?:bag|case|cover|sleeve|charger|cable|stand|screen protector|strap|skin)s?\b)")
# A model number right after a name: "小米14", "苹果 15", "honor 90" name the brand, "小米粥" does not.
_MODEL_NEXT = re.compile(r" ?(?:\d|[a-z]{1,4}\d)")
# a number that counts or measures ("5斤", "2 left", "3款", "2合1", "27 inch"): no model number
_COUNT_AFTER = re.compile(r" ?[\d.]+ ?(?:斤|公斤|克|千克|g|kg|个|只|件|款|包|袋|双|台|盒|瓶|罐|箱|条|支|套|块|元|块钱|寸|英寸|"
                          r"合1|合一|inch|in\b|left|pairs?|pieces?|pcs|packs?|items?|lbs?|pounds?|oz)", re.I)


def _cheap(t: str) -> bool:
    """A request for cheap products, not a negated one ("不要便宜货", "I don't want cheap earbuds")."""
    return any(not _CHEAP_NOT.search(t[max(0, m.start() - 16):m.start()]) for m in _CHEAP.finditer(t))


def _negated(t: str, start: int) -> bool:
    return bool(_NEGATION.search(t[max(0, start - 14):start]))


def _below(price: float) -> float:
    """The largest 2-decimal price strictly below ``price``."""
    return round(math.ceil(price * 100 - 1e-6) / 100 - 0.01, 2)


_DEFAULT_PARSERS: dict[int, QueryParser] = {}


def parse_query(text: str, previous: Filters | None = None, shown: Sequence[Any] = (), *,
                parser: QueryParser | None = None) -> ParsedQuery:
    """Parse one message with ``parser`` (default: a catalog-less parser that knows the alias table).

    >>> parse_query("两千左右的手机").filters.min_price, parse_query("两千左右的手机").filters.max_price
    (1600.0, 2400.0)
    """
    if parser is None:
        parser = _DEFAULT_PARSERS.setdefault(0, QueryParser())
    return parser.parse(text, previous=previous, shown=shown)
