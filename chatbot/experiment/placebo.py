"""The placebo arm's stage distribution: the intent model's, with the stage labels shuffled.

The ``placebo`` arm runs exactly the intent arm's code — the same policy rows, item counts and stage-weighted
ranking — but on a stage distribution that carries no information about the shopper: the predicted
probabilities are kept (so the placebo is as confident as the model, and its distribution over the four
values is the model's) while *which stage gets which value* is a random permutation, drawn afresh for every
message from a hash of the session id and the message id. The message's and the session's distributions get
the same permutation. Against the baseline the placebo measures what the intent arm's code path does on its
own; the intent arm against the placebo measures what the intent *signal* adds (docs/ab.md).

The store keeps the model's real prediction for every message; only the reply sees the shuffled one.

>>> p = {"browse": 0.1, "consider": 0.2, "ready": 0.6, "service": 0.1}
>>> q = shuffled(p, permutation(tuple(p), "s1:7"))
>>> sorted(q.values()) == sorted(p.values()), set(q) == set(p)
(True, True)
>>> shuffled(p, permutation(tuple(p), "s1:7")) == q
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np

__all__ = ["permutation", "shuffled"]


def permutation(stages: tuple[str, ...], key: str) -> dict[str, str]:
    """A random map stage -> stage (a permutation), the same for the same ``key`` and set of stages."""
    stages = tuple(sorted(stages))
    seed = int.from_bytes(hashlib.sha256(f"placebo:{key}".encode()).digest()[:8], "big")
    order = np.random.default_rng(seed).permutation(len(stages))
    return {stages[i]: stages[int(j)] for i, j in enumerate(order)}


def shuffled(probs: Mapping[str, float], perm: Mapping[str, str]) -> dict[str, float]:
    """``probs`` with its stage labels moved by ``perm`` (from :func:`permutation`)."""
    return {perm[s]: float(v) for s, v in probs.items()}
