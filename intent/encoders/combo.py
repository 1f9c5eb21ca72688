"""``a+b+...``: concatenation of several encoders, e.g. ``e5+tfidf`` or ``e5+tfidf*0.7``.

Each part's rows have norm 1; part ``i`` is scaled by its weight ``w_i`` (``spec*w``, default 1), the
parts are concatenated and the row renormalised: part ``i`` then holds a share ``w_i² / Σ w²`` of the
squared norm, which is how much a linear classifier with L2 regularisation "hears" it.

This is scikit-learn's ``FeatureUnion(transformer_weights=...)`` followed by ``Normalizer()``, and
``tests/test_encoders.py`` checks that it gives the same vectors (to 1e-6). It stays hand-written because (issue
#11, measured on the shared 2-core machine): a combo must also be an :class:`Encoder` outside the pipeline (the
product index, ``IntentModel.encoder``, the benchmarks), so a FeatureUnion would be a second copy of this, not
a replacement; the spec string stays one hyperparameter (``encode__encoder`` can switch between ``tfidf`` and
``e5+tfidf``); and FeatureUnion (joblib ``Parallel`` even with ``n_jobs=None``) plus ``Normalizer`` cost
~0.7 ms per call against ~0.03 ms here — scoring one message with ``e5+tfidf`` (e5 cache warm) took 3.9 ms
instead of 3.1 ms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from intent.encoders.base import Encoder, l2_normalize

__all__ = ["ComboEncoder"]


class ComboEncoder(Encoder):
    """Weighted concatenation of encoders.

    >>> from intent.encoders import make_encoder
    >>> make_encoder("e5+tfidf*0.5")
    ComboEncoder('e5+tfidf*0.5')
    """

    def __init__(self, parts: Sequence[Encoder], weights: Sequence[float] | None = None) -> None:
        self.parts = list(parts)
        self.weights = [1.0] * len(self.parts) if weights is None else [float(w) for w in weights]
        self.spec = "+".join(p.spec if w == 1.0 else f"{p.spec}*{w:g}" for p, w in zip(self.parts, self.weights, strict=True))

    @property
    def dim(self) -> int:
        return sum(p.dim for p in self.parts)

    @property
    def supervised(self) -> bool:
        return any(p.supervised for p in self.parts)

    def fit(self, texts: Iterable[str], labels=None) -> ComboEncoder:
        texts = list(texts)
        for p in self.parts:
            p.fit(texts, labels)
        return self

    def config(self) -> dict:
        return {**super().config(), "weights": self.weights, "parts": [p.config() for p in self.parts]}

    def warm_up(self) -> ComboEncoder:
        for p in self.parts:
            p.warm_up()
        return self

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:  # pragma: no cover - encode() overridden
        raise NotImplementedError

    def encode(self, texts: str | Sequence[str], *, kind: str = "query", batch_size: int = 32,
               show_progress: bool | None = None) -> np.ndarray:
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        blocks = [w * p.encode(items, kind=kind, batch_size=batch_size, show_progress=show_progress)
                  for p, w in zip(self.parts, self.weights, strict=True)]
        out = l2_normalize(np.concatenate(blocks, axis=1)) if blocks else np.zeros((len(items), 0), np.float32)
        return out[0] if single else out
