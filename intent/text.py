"""Text preprocessing shared by intent and catalog: normalisation, language detection, segmentation.

>>> normalize("  我想买ＩＰＨＯＮＥ１５\\u200b\\n 256G ")
'我想买iphone15 256g'
>>> clean_text(" 你好\\x00\\u200b  ＩＰｈｏｎｅ\\n")
'你好 ＩＰｈｏｎｅ'
>>> tokenize("我想买 iPhone 15，256G，500元以内")
['想', '买', 'iphone15', '256g', '500元', '以内']

One normaliser, :func:`normalize`, with its options documented; :func:`clean_text` is the same function with
NFKC, case folding and the length bound turned off, so the two cannot drift. :func:`detect_lang` is the one
language rule (any Han character means Chinese). :class:`Segmenter` is the one segmenter: ``cut`` (jieba, with
latin/digit runs and number+unit kept whole) is shared by the intent model and the catalog's keyword index,
each of which filters the tokens with its own rules; ``tokenize`` = normalize → cut → drop the intent model's
stopwords and punctuation.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

__all__ = ["MAX_CHARS", "KEEP_WORDS", "LANGS", "HAN", "normalize", "clean_text", "detect_lang", "is_punctuation",
           "is_subsequence", "Segmenter", "get_segmenter", "tokenize", "load_stopwords"]

log = logging.getLogger(__name__)

MAX_CHARS = 2000
"""Longest text kept by :func:`normalize`; shopper messages beyond this are cut (they can be 100k chars)."""

KEEP_WORDS = frozenset(
    "要 不要 要了 想 想要 买 多少 多少钱 怎么 怎么样 怎么卖 吗 不 没 没有 不是 不会 不能 不够 不如 不过 可以 "
    "但 但是 最好 好的 喜欢 方便 需要 能否 能不能 还是 是否 别 准备 决定 打算 "
    "want wants need needs like no not never but best better buy how much please "
    "don't didn't doesn't isn't won't can't cannot".split()
)
"""Listed in the shipped stopword file but kept by :func:`tokenize`: they carry purchase intent or negation."""

LANGS = ("zh", "en")

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
"""One Han character: CJK Unified Ideographs, Extension A, the compatibility ideographs, Extensions B–F."""

_SURROGATES = re.compile("[\ud800-\udfff]")
_LATIN = re.compile(r"[A-Za-z]")
# Non-whitespace control and format characters seen in pasted text (C0/C1 controls, soft hyphen, zero-width
# and bidi marks, BOM), removed in one regex pass. Every one is also dropped by _clean_char, the per-character
# rule that catches the rest (other format, private-use, unassigned characters), so this is only a fast path.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")

# Pre-tokens kept whole before jieba sees the text (text is already normalised: lower case, half width).
_UNITS = (
    "块钱|元|块|毛|角|rmb|寸|英寸|吋|毫安时|毫安|mah|斤|公斤|千克|克|kg|g|gb|tb|mb|ml|毫升|升|l|"
    "cm|mm|m|厘米|毫米|米|码|号|w|瓦|hz|mp|k|万|千|折|件|个|双|台|部|瓶|盒|包|支|条|套|只|天|年|月|小时|分钟|岁|%"
)
_PRETOKEN = re.compile(
    r"\d+(?:\.\d+)?(?:" + _UNITS + r")(?![a-z])"                # 500元, 256g, 6.1寸, 20000mah, 8折
    r"|[a-z]{2,} \d{1,4}(?![a-z0-9\u4e00-\u9fff.%])"          # "iphone 15" -> iphone15
    r"|[a-z][a-z0-9]*(?:'[a-z]+)?"                              # iphone15, pro2, don't
    r"|\d+(?:\.\d+)?[a-z0-9]*"                                 # 2024, 1.5, 5s
)


def normalize(text: str, *, nfkc: bool = True, casefold: bool = True, max_chars: int | None = MAX_CHARS,
              surrogates: Literal["replace", "drop"] = "replace") -> str:
    """Unicode-normalise one text; every option is on by default.

    In order: a surrogate pair left in a ``str`` is joined into its character and a lone surrogate is
    replaced by U+FFFD or dropped (``surrogates``), so ``.encode("utf-8")`` works; ``nfkc``: NFKC (full width
    → half width, ideographic space → space); control and format characters (zero-width, bidi, BOM,
    private-use, unassigned) dropped; whitespace collapsed to one space and stripped; ``casefold``; cut to
    ``max_chars`` characters (``None``: no cut).

    >>> normalize("ＡＢＣ\\t\\x00 def\\ud800")
    'abc def\\ufffd'
    >>> normalize("iPhone\\u3000１５", casefold=False), normalize("iPhone\\u3000１５", nfkc=False)
    ('iPhone 15', 'iphone １５')
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs a str, got {type(text).__name__}")
    if max_chars is not None:
        # Bound the work first: NFKC can expand a character to a few, so keep a margin.
        text = text[: max_chars * 2 + 16]
    if _SURROGATES.search(text):
        errors = "ignore" if surrogates == "drop" else "replace"
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors)
    if nfkc:
        text = unicodedata.normalize("NFKC", text)
    text = " ".join(_CONTROL.sub("", text).split())  # str.split() splits where re's \s matches, faster
    if not text.isprintable():  # rare: a control or format character the regex does not list
        text = " ".join("".join(_clean_char(c) for c in text).split())
    if casefold:
        text = text.casefold()
    return text if max_chars is None else text[:max_chars].rstrip()


def clean_text(text: str) -> str:
    """``text`` without control, zero-width and bidi characters or lone surrogates, whitespace collapsed,
    stripped; width and case kept (what the conversation parses and the chat service scores). The same as
    ``normalize(text, nfkc=False, casefold=False, max_chars=None, surrogates="drop")``: a message that is only
    broken characters cleans to "" (an unusable message).

    >>> clean_text(" 你好\\x00\\u200b  世界\\n")
    '你好 世界'
    """
    return normalize(text, nfkc=False, casefold=False, max_chars=None, surrogates="drop")


_MARKUP = re.compile(r"<[^<>]{0,2000}>|&[#\w]{1,12};|https?://\S+")


def detect_lang(text: str, default: str = "zh") -> str:
    """``"zh"`` if ``text`` has a Han character (:data:`HAN`), ``"en"`` if it has Latin letters, else ``default``
    (one of :data:`LANGS`; anything else means ``"zh"``).

    Any Han character means Chinese (shoppers mix in brand names like "Nike 跑鞋").

    >>> detect_lang("500以内的跑鞋"), detect_lang("running shoes under 500"), detect_lang("500", default="en")
    ('zh', 'en', 'en')
    """
    if HAN.search(text):
        return "zh"
    if _LATIN.search(_MARKUP.sub(" ", text)):  # "<img src=x onerror=…>" is markup, not English
        return "en"
    return default if default in LANGS else "zh"


def is_punctuation(token: str) -> bool:
    """True if every character of ``token`` is punctuation, a symbol or a separator (Unicode P*, S*, Z*).

    >>> is_punctuation("，！"), is_punctuation("++"), is_punctuation("c++")
    (True, True, False)
    """
    return all(unicodedata.category(c)[0] in "PSZ" for c in token)


def is_subsequence(short: str, long: str) -> bool:
    """True if the characters of ``short`` appear in ``long`` in order, not necessarily together.

    >>> is_subsequence("跑鞋", "跑步鞋"), is_subsequence("鞋跑", "跑步鞋"), is_subsequence("", "abc")
    (True, False, True)
    """
    it = iter(long)
    return all(ch in it for ch in short)


def _clean_char(c: str) -> str:
    if c.isprintable():
        return c
    if c.isspace():
        return " "
    return "" if unicodedata.category(c)[0] == "C" else c  # Cc/Cf/Cs/Co/Cn dropped


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The intent model's stopwords: the shipped list (``intent/data/stopwords.txt``) minus :data:`KEEP_WORDS`."""
    raw = resources.files("intent").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    words = set()
    for line in raw.splitlines():
        if line.startswith("# "):
            continue
        word = normalize(line)
        if word:
            words.add(word)
    return frozenset(words - KEEP_WORDS)


class Segmenter:
    """Chinese/English word segmenter that owns its jieba dictionary.

    The ``jieba.Tokenizer`` is built on first use (about 1 s), once, under a lock; ``cut`` is then safe to
    call from several threads. Latin/digit runs ("iphone15", "iphone 15" → "iphone15", "pro2") and
    number+unit ("500元", "256g", "20000mah") are kept as single tokens.

    >>> Segmenter().cut("airpods pro2 500元")
    ['airpods', 'pro2', '500元']
    """

    def __init__(self, stopwords: Iterable[str] | None = None) -> None:
        self.stopwords = stopwords
        self._lock = threading.Lock()
        self._jieba = None

    def _tokenizer(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba  # lazy: its dictionary takes about 1 s to load

                    jieba.setLogLevel(logging.WARNING)
                    tok = jieba.Tokenizer()
                    tok.initialize()
                    self._jieba = tok
        return self._jieba

    def warm_up(self) -> Segmenter:
        """Load the jieba dictionary now instead of on the first call."""
        self._tokenizer()
        return self

    def cut(self, text: str) -> list[str]:
        """Segment already-normalised text into tokens (spaces dropped, punctuation kept)."""
        tok = self._tokenizer()
        out: list[str] = []
        pos = 0
        for m in _PRETOKEN.finditer(text):
            if m.start() > pos:
                out.extend(tok.lcut(text[pos:m.start()]))
            out.append(m.group().replace(" ", ""))
            pos = m.end()
        if pos < len(text):
            out.extend(tok.lcut(text[pos:]))
        return [t for t in (w.strip() for w in out) if t]

    def tokenize(self, text: str) -> list[str]:
        """normalize → cut → drop stopwords (the intent model's, or this segmenter's own) and punctuation."""
        stop = load_stopwords() if self.stopwords is None else frozenset(self.stopwords)
        return [t for t in self.cut(normalize(text)) if t not in stop and not is_punctuation(t)]

    def __getstate__(self) -> dict:
        return {"stopwords": self.stopwords}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)


_DEFAULT: Segmenter | None = None
_DEFAULT_LOCK = threading.Lock()


def get_segmenter() -> Segmenter:
    """The process-wide :class:`Segmenter` (created on first call)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Segmenter()
    return _DEFAULT


def tokenize(text: str) -> list[str]:
    """Tokens of one message for the intent model, with the process-wide segmenter.

    >>> tokenize("这个要了，500元以内！")
    ['要', '500元', '以内']
    """
    return get_segmenter().tokenize(text)
