"""Text preprocessing: normalisation and Chinese/English segmentation.

>>> normalize("  我想买ＩＰＨＯＮＥ１５\\u200b\\n 256G ")
'我想买iphone15 256g'
>>> tokenize("我想买 iPhone 15，256G，500元以内")  # doctest: +SKIP
['想', '买', 'iphone15', '256g', '500元', '以内']

``normalize`` makes any ``str`` safe to encode (lone surrogates are replaced, control characters dropped)
and bounded (``MAX_CHARS``). ``tokenize`` = normalize → segment (jieba, with latin/digit runs and
number+unit kept whole) → drop stopwords and punctuation.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

__all__ = ["MAX_CHARS", "KEEP_WORDS", "LANGS", "normalize", "clean_text", "detect_lang", "Segmenter", "get_segmenter",
           "tokenize", "load_stopwords"]

log = logging.getLogger(__name__)

MAX_CHARS = 2000
"""Longest text kept by :func:`normalize`; shopper messages beyond this are cut (they can be 100k chars)."""

KEEP_WORDS = frozenset(
    "要 不要 要了 想 想要 买 多少 多少钱 怎么 怎么样 怎么卖 吗 不 没 没有 不是 不会 不能 不够 不如 不过 可以 "
    "但 但是 最好 好的 喜欢 方便 需要 能否 能不能 还是 是否 别 准备 决定 打算 "
    "want wants need needs like no not never but best better buy how much please "
    "don't didn't doesn't isn't won't can't cannot".split()
)
"""Listed in the shipped stopword file but kept: they carry purchase intent or negation."""

LANGS = ("zh", "en")

_SURROGATES = re.compile("[\ud800-\udfff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[A-Za-z]")
# C0/C1 controls except tab/newline, the zero-width and bidi marks, lone surrogates, BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")
_WS = re.compile(r"\s+")

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


def normalize(text: str, *, casefold: bool = True, max_chars: int = MAX_CHARS) -> str:
    """Unicode-normalise one message.

    NFKC (full width → half width), lone surrogates → U+FFFD (so ``.encode("utf-8")`` works),
    control/format characters dropped, whitespace collapsed to one space, ``casefold`` (default),
    cut to ``max_chars`` characters.

    >>> normalize("ＡＢＣ\\t\\x00 def\\ud800")
    'abc def\\ufffd'
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs a str, got {type(text).__name__}")
    # Bound the work first: NFKC can expand a character to a few, so keep a margin.
    text = text[: max_chars * 2 + 16]
    if _SURROGATES.search(text):
        # A surrogate *pair* left in a str is joined into its character; lone ones become U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = "".join(_clean_char(c) for c in text)
    text = _WS.sub(" ", text).strip()
    if casefold:
        text = text.casefold()
    return text[:max_chars].rstrip()


def clean_text(text: str) -> str:
    """``text`` without control, zero-width and bidi characters, whitespace collapsed, stripped.

    >>> clean_text(" 你好\\x00\\u200b  世界\\n")
    '你好 世界'
    """
    return " ".join(_CONTROL.sub("", text).split())


def detect_lang(text: str, default: str = "zh") -> str:
    """``"zh"`` if ``text`` has a Han character, ``"en"`` if it has Latin letters, else ``default``.

    Any Han character means Chinese (shoppers mix in brand names like "Nike 跑鞋").

    >>> detect_lang("500以内的跑鞋"), detect_lang("running shoes under 500"), detect_lang("500", default="en")
    ('zh', 'en', 'en')
    """
    if _HAN.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return default if default in LANGS else "zh"


def _clean_char(c: str) -> str:
    if c.isprintable():
        return c
    if c.isspace():
        return " "
    cat = unicodedata.category(c)
    return "" if cat[0] == "C" else c  # Cc/Cf/Cs/Co/Cn dropped; printable-but-odd (Zl/Zp) kept


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(c)[0] in "PSZ" for c in token)


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The shipped stopword list (``intent/data/stopwords.txt``) minus :data:`KEEP_WORDS`."""
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

    >>> Segmenter().cut("airpods pro2 500元")  # doctest: +SKIP
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
                    import jieba

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
        """normalize → cut → drop stopwords and punctuation."""
        stop = load_stopwords() if self.stopwords is None else frozenset(self.stopwords)
        return [t for t in self.cut(normalize(text)) if t not in stop and not _is_punct(t)]

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
    """Tokens of one message with the process-wide segmenter.

    >>> tokenize("这个要了，500元以内！")  # doctest: +SKIP
    ['这个', '要', '500元', '以内']
    """
    return get_segmenter().tokenize(text)
