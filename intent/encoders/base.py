"""The one encoder contract every text encoder implements.

An encoder turns messages into L2-normalised float32 rows:

>>> from intent.encoders import make_encoder
>>> enc = make_encoder("tfidf").fit(["想买跑鞋", "随便看看"])
>>> enc.dim, enc.encode("想买跑鞋").shape, enc.encode(["a", "b"]).shape
(7, (7,), (2, 7))

Subclasses implement ``_encode_batch`` (raw vectors for a batch of already-normalised texts); the base
class does normalisation, length-sorted batching, putting rows back in input order, L2 normalisation and
the progress bar, so every encoder behaves the same.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from intent.errors import ConfigError
from intent.progress import progress
from intent.text import MAX_CHARS, normalize

__all__ = ["Encoder", "KINDS", "Lazy", "l2_normalize"]

log = logging.getLogger(__name__)

KINDS = ("query", "passage")

T = TypeVar("T")


def l2_normalize(x: np.ndarray) -> np.ndarray:
    """Rows scaled to norm 1 (all-zero rows stay zero), as float32."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)


class Lazy(Generic[T]):
    """A value built by ``build()`` on first :meth:`get`, once, even when several threads ask at the same time.

    Encoders keep their model (or engine) in one, so loading is deferred and never done twice:

    >>> calls = []
    >>> model = Lazy(lambda: calls.append("load") or "weights")
    >>> model.get(), model.get(), calls
    ('weights', 'weights', ['load'])
    """

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value

    def set(self, value: T) -> None:
        """Replace the value (a model trained in this process)."""
        with self._lock:
            self._value = value


class Encoder(ABC):
    """Base of every encoder.

    Attributes: ``spec`` (the string :func:`intent.encoders.make_encoder` rebuilds it from) and ``dim``.
    ``encode`` is safe to call from several threads; subclasses guard engines that are not.
    """

    spec: str = ""
    #: Texts are cut to this many characters before encoding (models have a context limit).
    max_chars: int = MAX_CHARS
    #: Whether texts are case-folded before encoding (cased subword models prefer the original case).
    casefold: bool = False

    @property
    @abstractmethod
    def dim(self) -> int:
        """Length of one vector."""

    @abstractmethod
    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        """Raw (not yet normalised) vectors, shape (len(texts), dim), for normalised texts."""

    #: Whether ``fit`` needs the labels (a fine-tuned encoder); unsupervised encoders ignore them.
    supervised: bool = False

    def fit(self, texts: Iterable[str], labels: Sequence[int] | None = None) -> Encoder:
        """Learn from texts (TF-IDF vocabulary) and, for supervised encoders, their labels; pretrained
        encoders return ``self`` unchanged."""
        return self

    def config(self) -> dict[str, Any]:
        """JSON-able description for manifests."""
        return {"spec": self.spec, "type": type(self).__name__, "dim": self.dim}

    def warm_up(self) -> Encoder:
        """Load weights / dictionaries now rather than on the first message."""
        self.encode("warm up")
        return self

    def prepare(self, text: str) -> str:
        """The normalised text this encoder actually sees."""
        return normalize(text, casefold=self.casefold, max_chars=self.max_chars)

    def encode(self, texts: str | Sequence[str], *, kind: str = "query", batch_size: int = 32,
               show_progress: bool | None = None) -> np.ndarray:
        """Encode one text → (dim,) or a list → (n, dim); float32, rows of norm 1.

        ``kind`` is "query" (a shopper message) or "passage" (a product text); only e5 uses it.
        Batches hold texts of similar length (sorted), results come back in input order.
        """
        if kind not in KINDS:
            raise ConfigError(f"encode kind must be one of {KINDS}, got {kind!r}")
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        for i, t in enumerate(items):
            if not isinstance(t, str):
                raise TypeError(f"text #{i} is {type(t).__name__}, expected str")
        prepared = [self.prepare(t) for t in items]
        out = np.zeros((len(prepared), self.dim), dtype=np.float32)
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        show = show_progress if show_progress is not None else (None if len(prepared) > 4 * batch_size else False)
        for idx in progress(batches, desc=f"encode {self.spec}", unit="batch", show=show):
            vecs = self._encode_batch([prepared[i] for i in idx], kind)
            out[idx] = l2_normalize(vecs)
        return out[0] if single else out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec!r})"
