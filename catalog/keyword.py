"""Keyword recall: BM25 over product titles, brand, tags and subcategory, with the catalog's own token rules.

It finds exact model names the embedding may blur ("iPhone 15", "AirPods", "Mate 60").

Token rules (:func:`keyword_tokens`, the same on both sides) belong to product search, not to the intent model,
so tuning the intent model's stopwords never changes search:

1. :func:`intent.text.normalize` (NFKC, case-folded) and the shared segmenter's ``cut`` (jieba for Chinese,
   latin+digit runs kept whole, so "iphone15" and "iPhone 15" are both ``iphone15``);
2. punctuation/symbol tokens and :data:`KEYWORD_STOPWORDS` dropped;
3. a latin+digit token also yields its letter part (``iphone15`` → ``iphone``), so "iphone" finds every
   iPhone and "iphone 15" ranks the 15 first; a Chinese word also yields its characters, so "跑鞋" meets
   "跑步鞋" (BM25's idf keeps common characters cheap). The stop list applies to these parts too.

Scoring is BM25 (``k1``, ``b``, Lucene's idf ``log(1 + (n - df + 0.5) / (df + 0.5))``), computed by ``bm25s``
(its ``method="lucene"``, scores precomputed at build time, so a query sums a few posting lists).

Example:
    >>> from types import SimpleNamespace as P
    >>> docs = [P(title_zh="苹果 iPhone 15", title_en="Apple iPhone 15", brand="Apple", tags=(), subcategory="手机"),
    ...         P(title_zh="华为 Mate 60", title_en="HUAWEI Mate 60", brand="华为", tags=(), subcategory="手机")]
    >>> KeywordIndex.build(docs).search("iphone15", 2)[1].tolist()
    [0]
    >>> keyword_tokens("我想买 New Balance 跑鞋，500以内")
    ['new', 'balance', '跑鞋', '跑', '鞋', '500']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from intent.text import HAN, get_segmenter, is_punctuation, normalize

__all__ = ["KEYWORD_STOPWORDS", "KeywordIndex", "keyword_tokens", "product_keyword_text"]

KEYWORD_STOPWORDS = frozenset(
    # Chinese particles, pronouns and single function characters (also met as characters of a word:
    # "真我" → 我, "修丽可" → 可, "可以" → 可)
    "的 了 吗 呢 吧 啊 呀 哦 和 与 及 或 跟 对 自 被 而 从 到 可 者 第 一 么 有 是 在 个 这 那 "
    "我 你 他 她 它 我们 你们 这个 那个 这款 那款 一个 一款 一下 一些 "
    # what a shopper types around a product name: requests and price words (the query parser reads budgets)
    "想 要 买 想要 想买 求 请 给 帮我 推荐 看看 有没有 没有 什么 哪个 哪款 怎么样 多少 多少钱 价格 预算 "
    "以内 以下 以上 左右 之间 之内 元 块 块钱 "
    # English function words
    "a an the and or of for with in on at to by from as is are be it its this that these those "
    "i me my we our you your he she they them "
    # English requests and price words
    "want wants need needs looking look show recommend something some any please buy get would like "
    "under below above within less than least most around about between yuan rmb cny usd dollars bucks "
    "budget price".split()
)
"""Dropped from queries and product texts: words that name no product. Words that do are kept even when
common ("new" of New Balance, "plus" of iPhone 15 Plus, "down" jacket, "over"-ear, "本" of 轻薄本)."""

_LATIN_DIGIT = re.compile(r"^([a-z][a-z\-]*[a-z])(\d+[a-z]*)$")
_HAN_WORD = re.compile(f"(?:{HAN.pattern})+")


def keyword_tokens(text: str) -> list[str]:
    """Tokens used on both sides of keyword recall (rules in the module docstring)."""
    out: list[str] = []
    for tok in get_segmenter().cut(normalize(text)):
        if tok in KEYWORD_STOPWORDS or is_punctuation(tok):
            continue
        out.append(tok)
        m = _LATIN_DIGIT.match(tok)
        if m:
            if m.group(1) not in KEYWORD_STOPWORDS:
                out.append(m.group(1))
        elif len(tok) > 1 and _HAN_WORD.fullmatch(tok):
            out.extend(c for c in tok if c not in KEYWORD_STOPWORDS)
    return out


def product_keyword_text(p: Any) -> str:
    """The keyword fields of a product joined: titles, brand, subcategory, tags."""
    return " ".join([p.title_zh, p.title_en, p.brand, p.subcategory, " ".join(p.tags)])


@dataclass(eq=False)
class KeywordIndex:
    """BM25 (``k1``, ``b``) over the keyword fields of each product; build with :meth:`build`.

    ``token in index`` tells whether any product has ``token`` (a :func:`keyword_tokens` token).
    """

    k1: float = 1.2
    b: float = 0.75
    n_docs_: int | None = field(default=None, repr=False)
    bm25_: Any = field(default=None, repr=False)  # bm25s.BM25; None when no product has a token

    @classmethod
    def build(cls, products: Sequence[Any], **params: Any) -> KeywordIndex:
        self = cls(**params)
        corpus = [keyword_tokens(product_keyword_text(p)) for p in products]
        self.n_docs_ = len(corpus)
        if any(corpus):
            import bm25s  # lazy: importing it (and scipy.sparse) takes ~0.2 s; needed once an index is built

            if logging.getLogger("bm25s").level < logging.INFO:  # it sets DEBUG on import: its chatter
                logging.getLogger("bm25s").setLevel(logging.INFO)  # ("Building index from tokens") stays out
            self.bm25_ = bm25s.BM25(k1=self.k1, b=self.b, method="lucene")
            self.bm25_.index(corpus, show_progress=False)
        return self

    def __contains__(self, token: object) -> bool:
        return bool(token) and self.bm25_ is not None and token in self.bm25_.vocab_dict

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every product for ``query`` (0 = no shared token)."""
        if self.n_docs_ is None:
            raise RuntimeError("KeywordIndex is not built; use KeywordIndex.build(products)")
        # tokens not in the index are left out (a keyword token is never "", bm25s's empty-document token)
        ids = [] if self.bm25_ is None else self.bm25_.get_tokens_ids(list(dict.fromkeys(keyword_tokens(query))))
        if not ids:
            return np.zeros(self.n_docs_, np.float32)
        # bm25s's Lucene variant leaves out BM25's constant factor (k1 + 1); put it back so scores are BM25's
        return self.bm25_.get_scores_from_ids(ids) * np.float32(self.k1 + 1)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` products with a positive score, restricted to the boolean mask ``allowed``:
        ``(scores, positions)`` sorted by score, ties by position."""
        s = self.scores(query)
        if allowed is not None:
            s = np.where(allowed, s, 0.0)
        hits = np.flatnonzero(s > 0)
        order = np.lexsort((hits, -s[hits]))[:k]
        return s[hits[order]], hits[order]
