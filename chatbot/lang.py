"""Which language to answer in: Chinese (``"zh"``) or English (``"en"``).

The rule is deliberately simple and predictable: any Han character means Chinese (shoppers mix in brand
names like "Nike 跑鞋"); otherwise mostly Latin letters mean English; otherwise (digits, emoji, punctuation)
keep the session's language, Chinese by default.

>>> detect_lang("500以内的跑鞋"), detect_lang("running shoes under 500"), detect_lang("500", default="en")
('zh', 'en', 'en')
"""

from __future__ import annotations

import re

__all__ = ["LANGS", "detect_lang", "clean_text"]

LANGS = ("zh", "en")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[A-Za-z]")
# C0/C1 controls except tab/newline, the zero-width and bidi marks, lone surrogates, BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control, zero-width and bidi characters, whitespace collapsed, stripped.

    >>> clean_text(" 你好\\x00\\u200b  世界\\n")
    '你好 世界'
    """
    return " ".join(_CONTROL.sub("", text).split())


def detect_lang(text: str, default: str = "zh") -> str:
    """``"zh"`` if ``text`` has a Han character, ``"en"`` if it has Latin letters, else ``default``."""
    if _HAN.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return default if default in LANGS else "zh"
