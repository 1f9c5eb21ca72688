"""Cross-validated comparison of encoder + classifier configurations over the purchase stages.

The whole pipeline (TF-IDF vocabulary, classifier, calibration) is fitted inside each fold, so no test
text leaks into training; with ``groups`` (template frames, chat sessions) a group stays on one side. Metrics
(:func:`intent.stages.stage_metrics`: stage macro-F1, ROC-AUC of ready vs the rest and of consider-or-ready vs
the rest, ECE, Brier, confusion matrix) are computed on the pooled out-of-fold probabilities and per fold.

>>> texts = ["这个要了", "帮我下单", "多少钱", "有货吗", "随便看看", "你好", "物流到哪了", "怎么退货"] * 2
>>> stages = ["ready", "ready", "consider", "consider", "browse", "browse", "service", "service"] * 2
>>> results = cross_validate_many(texts, stages, ["tfidf", "tfidf:1"], folds=2, calibration_cv=0)
>>> sorted(results), results["tfidf"]["oof"].shape
(['tfidf', 'tfidf:1'], (16, 4))
>>> print(format_table(results).splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
encoder macro-F1 ± acc AUC(ready) AUC(buy) ECE Brier s
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from intent.errors import ConfigError, DataError
from intent.model import build_pipeline, group_folds
from intent.stages import STAGES, as_stage, stage_columns, stage_metrics

__all__ = ["cross_validate", "cross_validate_many", "format_table", "write_report", "plot_confusion",
           "plot_reliability", "stage_proba_of"]

log = logging.getLogger(__name__)

FOLD_METRICS = ("macro_f1", "accuracy", "auc_ready", "auc_buy", "ece", "brier")


def stage_proba_of(fitted, texts: Sequence[str]) -> np.ndarray:
    """(n, 4) stage probabilities of a fitted scikit-learn classifier, columns in :data:`STAGES` order."""
    return stage_columns(fitted.predict_proba(list(texts)), fitted.classes_)


def cross_validate(texts: Sequence[str], stages: Sequence[str], encoder: str, *, folds: int = 5, seed: int = 0,
                   groups: Sequence[str] | None = None, **model_params) -> dict[str, Any]:
    """Stratified (grouped when ``groups`` is given) K-fold CV of ``build_pipeline(encoder, **model_params)``.

    Returns ``{"encoder", "folds", "metrics" (pooled), "fold_mean", "fold_std", "seconds", "oof"}``
    where ``oof`` holds the out-of-fold stage probabilities of every text, shape (n, 4), in input order.
    """
    from sklearn.base import clone  # lazy: sklearn is slow to import and the CLI imports this module

    texts, y = list(texts), np.asarray([as_stage(s) for s in stages], dtype=object)
    if folds < 2:
        raise ConfigError(f"--folds must be >= 2, got {folds}")
    unknown = sorted(set(y.tolist()) - set(STAGES))
    if unknown:
        raise DataError(f"unknown stages {unknown}", hint=f"use {', '.join(STAGES)}")
    counts = {s: int((y == s).sum()) for s in STAGES if (y == s).any()}
    if len(counts) < 2 or min(counts.values()) < folds:
        raise DataError(f"{folds}-fold CV needs >= 2 stages with >= {folds} examples each, got {counts}",
                        hint="use fewer --folds or more data")
    base = build_pipeline(encoder, **model_params)
    oof = np.full((len(texts), len(STAGES)), np.nan)
    per_fold = []
    t0 = time.perf_counter()
    for k, (tr, te) in enumerate(group_folds(y, groups, folds, seed), 1):
        pipe = clone(base).fit([texts[i] for i in tr], y[tr])
        oof[te] = stage_proba_of(pipe, [texts[i] for i in te])
        per_fold.append(stage_metrics(y[te].tolist(), oof[te]))
        log.info("%s fold %d/%d: macro-F1 %.3f", encoder, k, folds, per_fold[-1]["macro_f1"])
    return {
        "encoder": encoder,
        "params": model_params,
        "folds": folds,
        "grouped": groups is not None,
        "seed": seed,
        "metrics": stage_metrics(y.tolist(), oof),
        "fold_mean": {m: float(np.nanmean([f[m] for f in per_fold])) for m in FOLD_METRICS},
        "fold_std": {m: float(np.nanstd([f[m] for f in per_fold])) for m in FOLD_METRICS},
        "seconds": round(time.perf_counter() - t0, 2),
        "oof": oof,
    }


def cross_validate_many(texts: Sequence[str], stages: Sequence[str], encoders: Sequence[str], *, folds: int = 5,
                        seed: int = 0, groups: Sequence[str] | None = None, **model_params) -> dict[str, dict]:
    """:func:`cross_validate` for each encoder spec, same folds: ``{spec: result}``."""
    return {spec: cross_validate(texts, stages, spec, folds=folds, seed=seed, groups=groups, **model_params)
            for spec in encoders}


def format_table(results: dict[str, dict]) -> str:
    """A fixed-width table: one row per encoder, pooled metrics and the fold std of macro-F1."""
    head = (f"{'encoder':<28} {'macro-F1':>8} {'±':>5} {'acc':>6} {'AUC(ready)':>10} {'AUC(buy)':>8} "
            f"{'ECE':>6} {'Brier':>6} {'s':>6}")
    lines = [head, "-" * len(head)]
    for spec, r in results.items():
        m = r["metrics"]
        lines.append(f"{spec:<28} {m['macro_f1']:>8.3f} {r['fold_std']['macro_f1']:>5.3f} {m['accuracy']:>6.3f} "
                     f"{m['auc_ready']:>10.3f} {m['auc_buy']:>8.3f} {m['ece']:>6.3f} {m['brier']:>6.3f} "
                     f"{r['seconds']:>6.1f}")
    return "\n".join(lines)


def write_report(results: dict[str, dict], stages: Sequence[str], report_dir: str | Path) -> list[Path]:
    """``report.json`` (metrics, no per-text probabilities), ``confusion.png`` (first result) and
    ``reliability.png`` (top-label reliability of every result)."""
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = {spec: {k: v for k, v in r.items() if k != "oof"} for spec, r in results.items()}
    stages = [as_stage(s) for s in stages]
    counts = {s: int(sum(1 for x in stages if x == s)) for s in STAGES}
    (out / "report.json").write_text(json.dumps({"n": len(stages), "stages": counts, "results": summary},
                                                ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    first = next(iter(results))
    plot_confusion(out / "confusion.png", results[first]["metrics"]["confusion"], title=f"{first} (out-of-fold)")
    plot_reliability(out / "reliability.png", stages, {spec: r["oof"] for spec, r in results.items()})
    return [out / "report.json", out / "confusion.png", out / "reliability.png"]


def _pyplot():
    import matplotlib  # lazy: matplotlib takes seconds to import and only reports draw

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_confusion(path: str | Path, confusion: Sequence[Sequence[int]], *, title: str = "") -> Path:
    """A confusion-matrix PNG: rows = true stage, columns = predicted stage, counts and row shares."""
    plt = _pyplot()
    cm = np.asarray(confusion, dtype=float)
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(5, 4.5))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, f"{int(cm[i, j])}\n{share[i, j]:.0%}", ha="center", va="center", fontsize=8,
                    color="white" if share[i, j] > 0.6 else "black")
    ax.set(xticks=range(len(STAGES)), yticks=range(len(STAGES)), xticklabels=STAGES, yticklabels=STAGES,
           xlabel="predicted stage", ylabel="true stage", title=title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)


def plot_reliability(path: str | Path, stages: Sequence[str], probs: dict[str, np.ndarray], bins: int = 10) -> Path:
    """Top-label reliability: for each model, observed accuracy against mean confidence per confidence bin."""
    plt = _pyplot()
    y = np.asarray([STAGES.index(s) for s in stages])
    fig, ax = plt.subplots(figsize=(5, 5))
    for name, p in probs.items():
        p = np.asarray(p)
        conf, correct = p.max(axis=1), (p.argmax(axis=1) == y).astype(float)
        idx = np.minimum((conf * bins).astype(int), bins - 1)
        xs, ys = [], []
        for b in range(bins):
            if (idx == b).any():
                xs.append(conf[idx == b].mean())
                ys.append(correct[idx == b].mean())
        ax.plot(xs, ys, "o-", ms=3, label=name)
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    ax.set(xlabel="confidence (top stage probability)", ylabel="share correct", title="Reliability")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)
