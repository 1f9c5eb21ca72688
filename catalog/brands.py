"""Brands for catalogs that have no brand column (or leave it empty on some rows).

A missing brand is inferred from the product's title only where it is clear, in this order:

1. the title starts with a known brand — the brands the catalog itself states on other rows, the built-in
   list (the embedded catalog's 241 brands and the alias table of :mod:`catalog.filters`, Chinese and
   English); the longest wins, spelled as the catalog spells it when it states that brand elsewhere;
2. the title's leading token (the text before the first space, or a leading latin run such as ``MAC`` in
   ``MAC魅可口红``) is one the catalog's own titles often begin with (at least :data:`MIN_LEADING` products),
   and not a generic or category word (``新款``, ``正品``, ``口红``);
3. exactly one known brand occurs anywhere in the title as a whole word, and it is no everyday word
   (``苹果``, ``小米``).

Rules 1 and 3 are not used for a part or accessory made for another brand's device (``适用``, ``专用``,
``兼容``, ``for``: "适用华为手表的表带" is not made by 华为); leading filler words (``正品``, ``新款``) are skipped.

Otherwise the brand stays empty: a stated brand filter never matches an empty brand (filters are never
relaxed), so a wrong guess is worse than none.

Example:
    >>> from catalog.products import Product
    >>> def p(i, t, b=""):
    ...     return Product(id=i, title_zh=t, title_en="", category="", subcategory="", brand=b, price=1.0,
    ...                    stock=1, rating=0.0, sales=0)
    >>> rows = [p("1", "花西子 空气蜜粉"), p("2", "新款 口红"), p("3", "卡姿兰 口红 01"), p("4", "卡姿兰 眼影"),
    ...         p("5", "卡姿兰 粉底"), p("6", "【正品】MAC魅可口红")]
    >>> [q.brand for q in fill_brands(rows)[0]]
    ['花西子', '', '卡姿兰', '卡姿兰', '卡姿兰', 'MAC']
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Any

from catalog.categories import CATEGORIES

__all__ = ["fill_brands", "known_brands", "leading_token", "MIN_LEADING"]

MIN_LEADING = 3
"""How many products' titles must begin with a token for it to count as the catalog's own brand."""

GENERIC = frozenset(
    "新款 正品 官方 旗舰 旗舰店 官方旗舰店 包邮 特价 热卖 爆款 现货 秒杀 限时 新品 促销 清仓 特惠 推荐 网红 同款 "
    "礼盒 套装 男士 女士 男 女 儿童 学生 家用 夏季 冬季 春季 秋季 春秋 加厚 大码 时尚 经典 原装 进口 国产 "
    "代购 日本代购 韩国代购 香港代购 美国代购 海外代购 二手 全新 测试 新版 定制 "
    "new hot sale official original genuine free shipping best top premium the a diy led fashion".split())
# Brand names that are everyday words in a title ("王者荣耀", "永久包邮"): never found *inside* a title (rule 3).
EVERYDAY = frozenset("荣耀 永久 长城 凤凰 中华 红豆 熊猫 太阳 星星 小狗 大象".split())
# Words a title starts with that say nothing about the brand ("正品李宁羽毛球鞋"): dropped before rule 1.
_LEADING_FILLER = re.compile(r"^(?:正品|新款|官方|包邮|现货|特价|热卖|爆款|新品|原装|进口|全新|二手)+")
# A title for another brand's device ("适用华为手表的表带", "oppo耳机r11专用"): its device brand is not the maker.
_COMPATIBLE = re.compile(r"适用|适配|兼容|专用|通用|配件|替换|\bfor\b|\bcompatible\b|仿")
_PROMO = re.compile(r"^买\d+送\d+$|^\d+元")
_BRACKETED = re.compile(r"^\s*(?:【[^】]*】|\[[^\]]*\]|〔[^〕]*〕|\([^)]*\)|（[^）]*）)\s*")
_LATIN_RUN = re.compile(r"^([A-Za-z][A-Za-z0-9&'.\-]*(?: [A-Z][A-Za-z0-9&'.\-]*)*)(?=[\u3400-\u9fff]| |$)")
_FIRST = re.compile(r"^([^\s|,，/、·]+)")
_NUMBERISH = re.compile(r"^[\d.\-+x×*%]+[a-z]*$", re.I)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@lru_cache(maxsize=1)
def _builtin() -> tuple[tuple[str, ...], frozenset[str]]:
    """(the built-in brand names, the everyday-word brand names)."""
    from catalog.filters import AMBIGUOUS_BRANDS, BRAND_ALIASES  # lazy: the parser tables are large

    names: set[str] = {name for group in BRAND_ALIASES for name in group}
    path = resources.files("catalog.data").joinpath("products.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            names.add(str(json.loads(line).get("brand", "")).strip())
    names.discard("")
    return tuple(sorted(names)), frozenset(AMBIGUOUS_BRANDS)


def known_brands(stated: Iterable[str] = ()) -> dict[str, str]:
    """Normalised brand name → spelling to store: the built-in list, then ``stated`` (the catalog's own
    spellings win; a built-in alias of a stated brand maps to the stated spelling)."""
    from catalog.filters import BRAND_ALIASES

    stated = [b for b in stated if b]
    out = {_norm(b): b for b in _builtin()[0]}
    by_norm = {_norm(b): b for b in stated}
    for group in BRAND_ALIASES:
        spelled = next((by_norm[_norm(n)] for n in group if _norm(n) in by_norm), None)
        if spelled:
            out.update({_norm(n): spelled for n in group})
    out.update(by_norm)
    return out


def _strip(title: str) -> str:
    text = unicodedata.normalize("NFKC", title)
    for _ in range(3):
        new = _BRACKETED.sub("", text)
        if new == text:
            break
        text = new
    return text.strip()


def leading_token(title: str) -> str:
    """The token a title begins with, after leading bracketed tags (``【正品】``): a latin run before Chinese
    text (``MAC魅可口红`` → ``MAC``), else the text before the first space or separator.

    >>> leading_token("【官方】完美日记 口红"), leading_token("MAC魅可口红"), leading_token("Levi's 牛仔裤")
    ('完美日记', 'MAC', "Levi's")
    """
    text = _strip(title)
    m = _LATIN_RUN.match(text)
    if m and len(m.group(1)) >= 2:
        return m.group(1).strip()
    m = _FIRST.match(text)
    return m.group(1) if m else ""


@lru_cache(maxsize=1)
def _category_words() -> frozenset[str]:
    return frozenset(_norm(t) for c in CATEGORIES for t in (c.zh, c.en, *c.synonyms_zh, *c.synonyms_en))


def _usable(token: str) -> bool:
    n = _norm(token)
    return (2 <= len(n) <= 16 and n not in GENERIC and n not in _category_words() and not _NUMBERISH.match(n)
            and not _PROMO.match(n) and not any(c in token for c in "【】[]()（）¥￥$"))


def _title(p: Any) -> str:
    return p.title_zh or p.title_en


def _starts_with_known(title: str, known: dict[str, str], ordered: Sequence[str]) -> str | None:
    text = _LEADING_FILLER.sub("", _norm(_strip(title))).lstrip()
    for name in ordered:  # longest first
        if text.startswith(name):
            rest = text[len(name):len(name) + 1]
            if not (name.isascii() and rest.isascii() and rest.isalnum()):  # "nike" is not in "nikes"
                return known[name]
    return None


def _one_known_inside(title: str, known: dict[str, str], ordered: Sequence[str], everyday: frozenset[str]) -> str | None:
    """Rule 3: a Chinese brand must be a whole word of the segmented title (宜家 is not in 联宜/家具)."""
    from intent.text import get_segmenter  # lazy: jieba's dictionary loads on first use

    text = _norm(title)
    words: set[str] | None = None
    found: list[str] = []
    for name in ordered:
        if len(name) < 2 or name in everyday or any(name in f for f in found) or name not in text:
            continue
        if name.isascii():
            if re.search(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])", text):
                found.append(name)
            continue
        if words is None:
            words = set(get_segmenter().cut(text))
        if name in words:
            found.append(name)
    spellings = {known[f] for f in found}
    return spellings.pop() if len(spellings) == 1 else None


def fill_brands(products: Sequence[Any]) -> tuple[list[Any], int]:
    """The products with each empty brand inferred where clear (module docstring), and how many were."""
    missing = [p for p in products if not p.brand]
    if not missing:
        return list(products), 0
    known = known_brands(p.brand for p in products)
    everyday = {_norm(b) for b in _builtin()[1]} | EVERYDAY
    ordered = sorted(known, key=lambda n: (-len(n), n))
    leading = Counter(_norm(t) for t in (leading_token(_title(p)) for p in products) if t and _usable(t))
    spelled: dict[str, str] = {}
    for p in products:
        t = leading_token(_title(p))
        spelled.setdefault(_norm(t), t)
    out, inferred = [], 0
    for p in products:
        if p.brand:
            out.append(p)
            continue
        title = _title(p)
        device_part = bool(_COMPATIBLE.search(_norm(title)))
        brand = None if device_part else _starts_with_known(title, known, ordered)
        if brand is None:
            token = _norm(leading_token(title))
            if token and leading[token] >= MIN_LEADING:
                brand = known.get(token, spelled[token])
        if brand is None and not device_part:
            brand = _one_known_inside(title, known, ordered, frozenset(everyday))
        if brand:
            inferred += 1
            out.append(replace(p, brand=brand))
        else:
            out.append(p)
    return out, inferred
