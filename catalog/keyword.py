"""Keyword recall: a small BM25 inverted index over product titles, brand, tags and subcategory.

It finds exact model names the embedding may blur ("iPhone 15", "AirPods", "Mate 60"). Both sides go
through :func:`intent.text.tokenize` (NFKC, case-folded, jieba for Chinese, latin+digit runs kept whole, so
"iphone15" and "iPhone 15" are both ``iphone15``); a latin+digit token also yields its letter part
(``iphone15`` → ``iphone``), so "iphone" finds every iPhone and "iphone 15" ranks the 15 first; a Chinese
word also yields its characters, so "跑鞋" meets "跑步鞋" (BM25's idf keeps common characters cheap).

Example:
    >>> from types import SimpleNamespace as P
    >>> docs = [P(title_zh="苹果 iPhone 15", title_en="Apple iPhone 15", brand="Apple", tags=(), subcategory="手机"),
    ...         P(title_zh="华为 Mate 60", title_en="HUAWEI Mate 60", brand="华为", tags=(), subcategory="手机")]
    >>> KeywordIndex.build(docs).search("iphone15", 2)[1].tolist()
    [0]
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["KeywordIndex", "keyword_tokens", "product_keyword_text"]

_LATIN_DIGIT = re.compile(r"^([a-z][a-z\-]*[a-z])(\d+[a-z]*)$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def keyword_tokens(text: str) -> list[str]:
    """Tokens used on both sides of keyword recall (see the module docstring)."""
    from intent.text import tokenize

    out: list[str] = []
    for tok in tokenize(text):
        out.append(tok)
        m = _LATIN_DIGIT.match(tok)
        if m:
            out.append(m.group(1))
        elif len(tok) > 1 and _HAN.fullmatch(tok):
            out.extend(tok)  # characters of a Chinese word: "跑鞋" shares 跑 and 鞋 with "跑步 鞋"
    return out


def product_keyword_text(p: Any) -> str:
    """The keyword fields of a product joined: titles, brand, subcategory, tags."""
    return " ".join([p.title_zh, p.title_en, p.brand, p.subcategory, " ".join(p.tags)])


@dataclass(eq=False)
class KeywordIndex:
    """BM25 (k1, b) over the keyword fields of each product; build with :meth:`build`."""

    k1: float = 1.2
    b: float = 0.75
    postings_: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    doc_len_: np.ndarray | None = field(default=None, repr=False)
    idf_: dict[str, float] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, products: Sequence[Any], **params: Any) -> KeywordIndex:
        self = cls(**params)
        raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.zeros(len(products), np.float32)
        for i, p in enumerate(products):
            counts = Counter(keyword_tokens(product_keyword_text(p)))
            lengths[i] = sum(counts.values())
            for tok, tf in counts.items():
                raw[tok].append((i, tf))
        n = len(products)
        self.doc_len_ = lengths
        self.postings_ = {t: (np.array([d for d, _ in v], np.int64), np.array([f for _, f in v], np.float32))
                          for t, v in raw.items()}
        self.idf_ = {t: math.log(1 + (n - len(v) + 0.5) / (len(v) + 0.5)) for t, v in raw.items()}
        return self

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every product for ``query`` (0 = no shared token)."""
        if self.doc_len_ is None:
            raise RuntimeError("KeywordIndex is not built; use KeywordIndex.build(products)")
        n = len(self.doc_len_)
        out = np.zeros(n, np.float32)
        if n == 0:
            return out
        avg = float(self.doc_len_.mean()) or 1.0
        for tok in dict.fromkeys(keyword_tokens(query)):
            if tok not in self.postings_:
                continue
            docs, tf = self.postings_[tok]
            norm = self.k1 * (1 - self.b + self.b * self.doc_len_[docs] / avg)
            out[docs] += self.idf_[tok] * tf * (self.k1 + 1) / (tf + norm)
        return out

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` products with a positive score, restricted to the boolean mask ``allowed``:
        ``(scores, positions)`` sorted by score, ties by position."""
        s = self.scores(query)
        if allowed is not None:
            s = np.where(allowed, s, 0.0)
        hits = np.flatnonzero(s > 0)
        order = np.lexsort((hits, -s[hits]))[:k]
        return s[hits[order]], hits[order]
