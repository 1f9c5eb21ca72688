"""scikit-learn text stages: raw messages in, encoder vectors out.

:class:`EncoderTransformer` follows the estimator contract (``__init__`` only stores parameters, learned
state ends in ``_``, ``check_is_fitted``), so ``clone``, ``Pipeline``, ``GridSearchCV`` and
``CalibratedClassifierCV`` work with it:

>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.linear_model import LogisticRegression
>>> pipe = make_pipeline(EncoderTransformer(encoder="tfidf"), LogisticRegression())
>>> pipe.fit(["想买跑鞋", "随便看看"], [1, 0]).predict_proba(["想买"]).shape
(1, 2)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from intent.encoders import make_encoder

__all__ = ["EncoderTransformer", "as_texts"]


def as_texts(X: Iterable) -> list[str]:
    """A list of str from a list, array or single-column frame of texts."""
    if isinstance(X, str):
        raise TypeError("expected a list of texts, got one str; wrap it in a list")
    if hasattr(X, "to_numpy"):  # pandas Series / one-column DataFrame
        X = X.to_numpy()
    arr = np.asarray(X, dtype=object)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"expected a 1-d list of texts, got shape {arr.shape}")
    texts = arr.tolist()
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"text #{i} is {type(t).__name__}, expected str")
    return texts


class EncoderTransformer(TransformerMixin, BaseEstimator):
    """Encode texts with ``intent.encoders.make_encoder(encoder)``; fits the encoder (TF-IDF vocabulary,
    e5ft fine-tuning on the labels ``y``) in ``fit``.

    Parameters: ``encoder`` (spec string), ``batch_size``, ``show_progress`` (None: follow the log level).
    Fitted attributes: ``encoder_`` (the fitted encoder), ``n_features_out_``.
    """

    def __init__(self, encoder: str = "e5+tfidf", batch_size: int = 32, show_progress: bool | None = None):
        self.encoder = encoder
        self.batch_size = batch_size
        self.show_progress = show_progress

    def fit(self, X, y=None):
        self.encoder_ = make_encoder(self.encoder).fit(as_texts(X), None if y is None else np.asarray(y))
        self.n_features_out_ = self.encoder_.dim
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "encoder_")
        return self.encoder_.encode(as_texts(X), batch_size=self.batch_size, show_progress=self.show_progress)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "encoder_")
        return np.asarray([f"enc{i}" for i in range(self.n_features_out_)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags
