"""intent — purchase stages (browse / consider / ready / service) and P(buy) for shopper messages (Chinese first).

Light on import: the names below load their modules on first use.

>>> from intent import make_encoder, IntentModel, session_intent
>>> round(session_intent([0.95, 0.3, 0.3]), 4)
0.6185

A saved model (``shopguide intent train`` writes one)::

    model = IntentModel.load("models/intent-default", expected_encoder="e5+tfidf")
    model.predict(["这个要了"])[0].stage, model.score("这个要了")
    # -> ('ready', 0.9)

Modules: ``text`` (normalize, tokenize), ``encoders`` (make_encoder), ``features`` (sklearn stage),
``model`` (IntentModel, load_or_train_default), ``stages`` (STAGES, score, metrics), ``dataset``, ``evaluate``,
``session`` (session stage), ``realdata`` (real shoppers' messages), ``pretrain``, ``realtext``, ``errors``,
``progress``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "normalize", "tokenize", "get_segmenter", "make_encoder", "IntentModel", "load_or_train_default",
    "session_intent", "session_stage", "load_labelled", "STAGES",
]

_LAZY = {
    "normalize": "intent.text", "tokenize": "intent.text", "get_segmenter": "intent.text",
    "make_encoder": "intent.encoders", "IntentModel": "intent.model", "load_or_train_default": "intent.model",
    "session_intent": "intent.session", "session_stage": "intent.session", "load_labelled": "intent.dataset",
    "STAGES": "intent.stages",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'intent' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
