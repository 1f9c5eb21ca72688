"""``tfidf[:N]``: jieba tokens (``intent.text.tokenize``) → TF-IDF of word 1..N-grams (default N = 2).

Learned by :meth:`TfidfEncoder.fit`; dense output. One extra last column is 1 for a text with no known
token, so every row has norm 1 (an unseen message is "unknown", not a zero vector). Pickles with joblib
(the tokenizer is the module-level ``tokenize`` function).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from intent.encoders.base import Encoder
from intent.errors import EncoderError
from intent.text import get_segmenter, tokenize

__all__ = ["TfidfEncoder"]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class TfidfEncoder(Encoder):
    """TF-IDF over jieba tokens with sublinear tf.

    max_features: keep the most frequent n-grams (dense output stays small); min_df: drop rarer n-grams.

    >>> TfidfEncoder().fit(["想买跑鞋", "随便看看"]).encode("跑鞋").shape  # 4 words + 2 bigrams + "unknown"
    (7,)
    """

    casefold = True

    def __init__(self, ngram: int = 2, max_features: int = 20000, min_df: int = 1) -> None:
        self.ngram = ngram
        self.max_features = max_features
        self.min_df = min_df
        self.spec = "tfidf" if ngram == 2 else f"tfidf:{ngram}"
        self.vectorizer_ = None

    @property
    def dim(self) -> int:
        if self.vectorizer_ is None:
            raise EncoderError(f"encoder {self.spec!r} is not fitted yet",
                               hint="call .fit(texts) first (the intent pipeline does this in train)")
        return len(self.vectorizer_.vocabulary_) + 1

    def fit(self, texts: Iterable[str], labels=None) -> TfidfEncoder:
        """Learn the vocabulary and IDF from ``texts`` (``labels`` are not used)."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # lazy: sklearn is slow to import

        tokens = [tokenize(t) for t in texts]
        if not any(tokens):
            raise EncoderError("cannot fit tfidf: the training texts have no tokens",
                               hint="check that the training data has real messages")
        vec = TfidfVectorizer(analyzer=_identity, ngram_range=(1, 1), sublinear_tf=True,
                              min_df=self.min_df, max_features=self.max_features, dtype=np.float32)
        vec.fit([self._grams(t) for t in tokens])
        self.vectorizer_ = vec
        return self

    def warm_up(self) -> TfidfEncoder:
        """Load the jieba dictionary (works before fit)."""
        get_segmenter().warm_up()
        return self

    def _grams(self, tokens: list[str]) -> list[str]:
        grams = list(tokens)
        for n in range(2, self.ngram + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def config(self) -> dict:
        return {**super().config(), "ngram": self.ngram, "vocabulary_size": self.dim - 1,
                "max_features": self.max_features, "min_df": self.min_df, "sublinear_tf": True}

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        dim = self.dim  # raises when not fitted
        x = self.vectorizer_.transform([self._grams(tokenize(t)) for t in texts]).toarray()
        out = np.zeros((len(texts), dim), dtype=np.float32)
        out[:, :-1] = x
        out[:, -1] = (x.sum(axis=1) == 0).astype(np.float32)
        return out
