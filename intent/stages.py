"""Purchase stages of a shopper message, the P(buy) score made from them, and the metrics that judge them.

Four stages (the labelling rules are in ``../shared/realdata/STAGES.md`` and docs/intent.md):

- ``browse`` — no purchase now and no order involved (greetings, thanks, chit-chat, refusals);
- ``consider`` — asking about a product before buying (price, stock, specs, delivery before ordering,
  comparisons, recommendations, bargaining);
- ``ready`` — decides, orders, pays or re-orders now;
- ``service`` — about an order already placed (delivery, invoice, returns, refunds, price protection, warranty).

``score`` = P(buy) = P(ready) + ½·P(consider): the probability mass of buying now plus half of the mass of
weighing a purchase. It lies in [0, 1], ranks "ready" above "consider" above browse/service, and is what the store,
the recommenders and the A/B analysis use. ``service`` counts 0: an after-sales message is not a sign of a new
purchase even when it is full of 买 / 下单.

>>> round(buy_score({"browse": 0.1, "consider": 0.6, "ready": 0.2, "service": 0.1}), 3)
0.5
>>> stage_of_row({"text": "x", "level": 1})
'consider'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["STAGES", "LEVEL", "BUY_WEIGHT", "StagePrediction", "as_stage", "stage_columns", "buy_score", "buy_scores", "stage_of_row",
           "stage_metrics", "expected_calibration_error", "estimate_priors", "shift_priors", "PROB_FLOOR"]

STAGES: tuple[str, ...] = ("browse", "consider", "ready", "service")
"""In scikit-learn's sorted class order, so a fitted classifier's ``classes_`` matches it."""

LEVEL = {"browse": 0, "service": 0, "consider": 1, "ready": 2}
"""The older 3-level scale (0 no purchase now, 1 weighing, 2 ready) that rows may still carry."""

BUY_WEIGHT = {"browse": 0.0, "consider": 0.5, "ready": 1.0, "service": 0.0}
"""Weights of each stage's probability in ``score``."""

PROB_FLOOR = 1e-4
"""Every stage probability is at least this (then renormalised): no message is ever certain."""

_WEIGHTS = np.array([BUY_WEIGHT[s] for s in STAGES])
_FROM_LEVEL = {0: "browse", 1: "consider", 2: "ready"}


@dataclass(frozen=True)
class StagePrediction:
    """One message's stage distribution, its most likely stage and its P(buy) ``score``."""

    stage: str
    probs: Mapping[str, float]
    score: float

    @classmethod
    def from_probs(cls, row: Sequence[float]) -> StagePrediction:
        probs = {s: float(p) for s, p in zip(STAGES, row, strict=True)}
        return cls(max(probs, key=probs.__getitem__), probs, buy_score(probs))

    def to_dict(self, digits: int = 6) -> dict[str, Any]:
        return {"stage": self.stage, "stage_probs": {s: round(p, digits) for s, p in self.probs.items()},
                "score": round(self.score, digits)}


def stage_columns(raw: np.ndarray, classes: Sequence[Any]) -> np.ndarray:
    """A classifier's ``predict_proba`` output with columns ``classes`` as an (n, 4) array in :data:`STAGES` order
    (a stage the classifier was not trained on gets 0).

    >>> stage_columns(np.array([[0.3, 0.7]]), ["ready", "browse"]).tolist()
    [[0.7, 0.0, 0.3, 0.0]]
    """
    raw = np.asarray(raw, dtype=float)
    names = [str(c) for c in classes]
    out = np.zeros((raw.shape[0], len(STAGES)))
    for j, s in enumerate(STAGES):
        if s in names:
            out[:, j] = raw[:, names.index(s)]
    return out


def buy_score(probs: Mapping[str, float]) -> float:
    """P(ready) + ½·P(consider) of one stage distribution (missing stages count 0), clipped to [0, 1]."""
    return float(min(1.0, max(0.0, sum(BUY_WEIGHT[s] * float(probs.get(s, 0.0)) for s in STAGES))))


def buy_scores(probs: np.ndarray) -> np.ndarray:
    """:func:`buy_score` of each row of an ``(n, 4)`` array in :data:`STAGES` order."""
    return np.clip(np.asarray(probs, dtype=float) @ _WEIGHTS, 0.0, 1.0)


def as_stage(value: Any) -> str:
    """A stage name from a stage name or an older binary label (1 → ``ready``, 0 → ``browse``).

    >>> as_stage(1), as_stage("consider")
    ('ready', 'consider')
    """
    if isinstance(value, (bool, int, np.integer)) and int(value) in (0, 1):
        return "ready" if int(value) else "browse"
    return str(value)


def stage_of_row(row: Mapping[str, Any]) -> str:
    """The stage of a labelled row: its ``stage``; else its ``level`` (0 → browse, 1 → consider, 2 → ready);
    else its binary ``label`` (1 → ready, 0 → browse). Raises ``ValueError`` for anything else."""
    if row.get("stage") not in (None, ""):
        stage = str(row["stage"]).strip().casefold()
        if stage not in LEVEL:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}, got {row['stage']!r}")
        return stage
    for key, table in (("level", _FROM_LEVEL), ("label", {0: "browse", 1: "ready"})):
        value = row.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, str) and value.strip().lower() in ("true", "yes", "buy", "y", "false", "no", "n"):
            value = int(value.strip().lower() in ("true", "yes", "buy", "y"))
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number not in table or (isinstance(value, float) and value != number):
            raise ValueError(f"{key} must be one of {sorted(table)}, got {value!r}")
        return table[number]
    raise ValueError("missing stage (or level / label)")


def expected_calibration_error(correct: Sequence[float], confidence: Sequence[float], bins: int = 10) -> float:
    """ECE with ``bins`` equal-width bins: Σ_b (n_b / n)·|mean(correct_b) − mean(confidence_b)|.

    >>> expected_calibration_error([1, 0, 1, 1], [0.9, 0.1, 0.8, 0.7])
    0.175
    """
    correct, confidence = np.asarray(correct, dtype=float), np.asarray(confidence, dtype=float)
    if len(correct) == 0:
        return float("nan")
    idx = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() * abs(correct[mask].mean() - confidence[mask].mean())
    return round(float(total / len(correct)), 6)


def stage_metrics(stages: Sequence[str], probs: np.ndarray) -> dict[str, Any]:
    """Judge stage distributions against true stages.

    - ``macro_f1``: stage macro-F1 over the stages present in ``stages`` (prediction = most likely stage);
    - ``auc_ready``: ROC-AUC of P(ready) for ready vs the rest;
    - ``auc_buy``: ROC-AUC of P(consider) + P(ready) for consider-or-ready vs the rest;
    - ``auc_score``: ROC-AUC of ``score`` for consider-or-ready vs the rest;
    - ``ece``: top-label expected calibration error (10 bins; confidence = the top probability, correct = the
      top stage is the true one); ``ece_ready``: ECE of P(ready) as a binary forecast of ready;
    - ``brier``: multi-class Brier score (mean over messages of Σ_stage (p − 1[true])², 0 is perfect, 2 worst);
    - ``confusion``: rows = true stage, columns = predicted stage, in :data:`STAGES` order; ``per_stage`` F1.
    """
    from sklearn.metrics import confusion_matrix, f1_score, roc_auc_score  # lazy: sklearn is slow to import

    y = np.asarray([STAGES.index(s) for s in stages])
    p = np.asarray(probs, dtype=float)
    if p.shape != (len(y), len(STAGES)):
        raise ValueError(f"probs must have shape ({len(y)}, {len(STAGES)}), got {p.shape}")
    pred = p.argmax(axis=1)
    present = sorted(set(y.tolist()))

    def auc(target: np.ndarray, s: np.ndarray) -> float:
        return float(roc_auc_score(target, s)) if 0 < target.sum() < len(target) else float("nan")

    ready = (y == STAGES.index("ready")).astype(int)
    buy = np.isin(y, [STAGES.index("consider"), STAGES.index("ready")]).astype(int)
    onehot = np.eye(len(STAGES))[y]
    per_stage = f1_score(y, pred, labels=list(range(len(STAGES))), average=None, zero_division=0)
    return {
        "n": int(len(y)),
        "counts": {s: int((y == i).sum()) for i, s in enumerate(STAGES)},
        "macro_f1": round(float(f1_score(y, pred, labels=present, average="macro", zero_division=0)), 4),
        "accuracy": round(float((pred == y).mean()), 4),
        "auc_ready": round(auc(ready, p[:, STAGES.index("ready")]), 4),
        "auc_buy": round(auc(buy, p[:, STAGES.index("consider")] + p[:, STAGES.index("ready")]), 4),
        "auc_score": round(auc(buy, buy_scores(p)), 4),
        "ece": expected_calibration_error(pred == y, p.max(axis=1)),
        "ece_ready": expected_calibration_error(ready, p[:, STAGES.index("ready")]),
        "brier": round(float(((p - onehot) ** 2).sum(axis=1).mean()), 4),
        "per_stage_f1": {s: round(float(f), 4) for s, f in zip(STAGES, per_stage, strict=True)},
        "confusion": confusion_matrix(y, pred, labels=list(range(len(STAGES)))).tolist(),
    }


def estimate_priors(probs: np.ndarray, train_prior: Sequence[float], *, iters: int = 200,
                    tol: float = 1e-8) -> np.ndarray:
    """Stage shares of an unlabelled set, by EM on a calibrated model's outputs (Saerens, Latinne & Decaestecker,
    *Adjusting the outputs of a classifier to new a priori probabilities*, Neural Computation 2002).

    ``probs``: (n, 4) stage probabilities the model gives the set; ``train_prior``: the stage shares the model was
    calibrated under. Returns the estimated shares (sum 1). No label is used: this adapts a model to a shop's
    traffic from its logged messages alone.

    >>> p = np.array([[0.7, 0.1, 0.1, 0.1]] * 3 + [[0.1, 0.1, 0.1, 0.7]])
    >>> np.round(estimate_priors(p, [0.25] * 4), 2).tolist()
    [0.83, 0.0, 0.0, 0.17]
    """
    p = np.asarray(probs, dtype=float)
    base = np.asarray(train_prior, dtype=float)
    base = base / base.sum()
    prior = base.copy()
    for _ in range(iters):
        adj = p * (prior / base)
        adj /= adj.sum(axis=1, keepdims=True)
        new = adj.mean(axis=0)
        if np.abs(new - prior).max() < tol:
            prior = new
            break
        prior = new
    return prior


def shift_priors(probs: np.ndarray, train_prior: Sequence[float], target_prior: Sequence[float]) -> np.ndarray:
    """Posteriors re-weighted from the training stage shares to ``target_prior`` (Bayes' rule), rows summing to 1."""
    p = np.asarray(probs, dtype=float) * (np.asarray(target_prior, dtype=float) / np.asarray(train_prior, dtype=float))
    return p / p.sum(axis=1, keepdims=True)
