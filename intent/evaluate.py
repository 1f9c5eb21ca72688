"""Cross-validated comparison of encoder + classifier configurations.

The whole pipeline (TF-IDF vocabulary, classifier, calibration) is fitted inside each fold, so no test
text leaks into training. Metrics are computed on the pooled out-of-fold probabilities (threshold 0.5
for accuracy, F1 and the confusion matrix) and per fold (mean ± std).

>>> texts = ["这个要了", "帮我下单", "我要买两件", "马上付款", "随便看看", "太贵了", "再说吧", "你好"]
>>> results = cross_validate_many(texts, [1, 1, 1, 1, 0, 0, 0, 0], ["tfidf", "tfidf:1"], folds=2, calibration_cv=0)
>>> sorted(results), len(results["tfidf"]["oof"])
(['tfidf', 'tfidf:1'], 8)
>>> print(format_table(results).splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
encoder acc ± F1 ROC-AUC PR-AUC Brier [[tn fp] [fn tp]] s
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
from intent.model import build_pipeline

__all__ = ["binary_metrics", "cross_validate", "cross_validate_many", "format_table", "write_report"]

log = logging.getLogger(__name__)

METRICS = ("accuracy", "f1", "roc_auc", "pr_auc", "brier")


def binary_metrics(y: Sequence[int], p: Sequence[float], threshold: float = 0.5) -> dict[str, Any]:
    """accuracy, F1, ROC-AUC, PR-AUC (average precision), Brier and the confusion matrix [[tn, fp], [fn, tp]]."""
    from sklearn.metrics import (  # lazy: sklearn is slow to import and the CLI imports this module
        accuracy_score,
        average_precision_score,
        brier_score_loss,
        confusion_matrix,
        f1_score,
        roc_auc_score,
    )

    y, p = np.asarray(y, dtype=int), np.asarray(p, dtype=float)
    pred = (p >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    return {
        "accuracy": float(accuracy_score(y, pred)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "roc_auc": float(roc_auc_score(y, p)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, p)) if both else float("nan"),
        "brier": float(brier_score_loss(y, p)),
        "confusion_matrix": confusion_matrix(y, pred, labels=[0, 1]).tolist(),
        "n": int(len(y)),
    }


def cross_validate(texts: Sequence[str], labels: Sequence[int], encoder: str, *, folds: int = 5, seed: int = 0,
                   **model_params) -> dict[str, Any]:
    """Stratified K-fold CV of ``build_pipeline(encoder, **model_params)``.

    Returns ``{"encoder", "folds", "metrics" (pooled), "fold_mean", "fold_std", "seconds", "oof"}``
    where ``oof`` holds the out-of-fold P(buy) of every text (in input order).
    """
    from sklearn.base import clone  # lazy, see binary_metrics
    from sklearn.model_selection import StratifiedKFold

    texts, y = list(texts), np.asarray(labels, dtype=int)
    if folds < 2:
        raise ConfigError(f"--folds must be >= 2, got {folds}")
    counts = np.bincount(y, minlength=2)
    if counts.min() < folds:
        raise DataError(f"{folds}-fold CV needs >= {folds} examples of each label, got {counts.tolist()}",
                        hint="use fewer --folds or more data")
    base = build_pipeline(encoder, **model_params)
    oof = np.full(len(texts), np.nan)
    per_fold = []
    t0 = time.perf_counter()
    splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
    for k, (tr, te) in enumerate(splits, 1):
        pipe = clone(base).fit([texts[i] for i in tr], y[tr])
        col = list(pipe.classes_).index(1)
        oof[te] = pipe.predict_proba([texts[i] for i in te])[:, col]
        per_fold.append(binary_metrics(y[te], oof[te]))
        log.info("%s fold %d/%d: accuracy %.3f", encoder, k, folds, per_fold[-1]["accuracy"])
    return {
        "encoder": encoder,
        "params": model_params,
        "folds": folds,
        "seed": seed,
        "metrics": binary_metrics(y, oof),
        "fold_mean": {m: float(np.mean([f[m] for f in per_fold])) for m in METRICS},
        "fold_std": {m: float(np.std([f[m] for f in per_fold])) for m in METRICS},
        "seconds": round(time.perf_counter() - t0, 2),
        "oof": oof.tolist(),
    }


def cross_validate_many(texts: Sequence[str], labels: Sequence[int], encoders: Sequence[str], *, folds: int = 5,
                        seed: int = 0, **model_params) -> dict[str, dict]:
    """:func:`cross_validate` for each encoder spec, same folds: ``{spec: result}``."""
    return {spec: cross_validate(texts, labels, spec, folds=folds, seed=seed, **model_params) for spec in encoders}


def format_table(results: dict[str, dict]) -> str:
    """A fixed-width table: one row per encoder, pooled metrics, fold std of accuracy, confusion matrix."""
    head = f"{'encoder':<28} {'acc':>6} {'±':>5} {'F1':>6} {'ROC-AUC':>7} {'PR-AUC':>7} {'Brier':>6}  {'[[tn fp] [fn tp]]':<20} {'s':>6}"
    lines = [head, "-" * len(head)]
    for spec, r in results.items():
        m = r["metrics"]
        cm = m["confusion_matrix"]
        lines.append(f"{spec:<28} {m['accuracy']:>6.3f} {r['fold_std']['accuracy']:>5.3f} {m['f1']:>6.3f} "
                     f"{m['roc_auc']:>7.3f} {m['pr_auc']:>7.3f} {m['brier']:>6.3f}  "
                     f"{str(cm):<20} {r['seconds']:>6.1f}")
    return "\n".join(lines)


def write_report(results: dict[str, dict], labels: Sequence[int], report_dir: str | Path) -> list[Path]:
    """``report.json`` (metrics, no per-text probabilities), ``roc.png`` and ``reliability.png``."""
    from sklearn.calibration import calibration_curve  # lazy, see binary_metrics
    from sklearn.metrics import roc_curve

    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    y = np.asarray(labels, dtype=int)
    summary = {spec: {k: v for k, v in r.items() if k != "oof"} for spec, r in results.items()}
    (out / "report.json").write_text(json.dumps({"n": int(len(y)), "n_buy": int(y.sum()), "results": summary},
                                                ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    roc = []
    for spec, r in results.items():
        fpr, tpr, _ = roc_curve(y, r["oof"])
        roc.append((fpr, tpr, f"{spec} (AUC {r['metrics']['roc_auc']:.3f})"))
    _plot_curves(out / "roc.png", roc, style="-", legend="lower right",
                 xlabel="false positive rate", ylabel="true positive rate", title="ROC (out-of-fold)")
    reliability = []
    for spec, r in results.items():
        frac, mean_p = calibration_curve(y, r["oof"], n_bins=10, strategy="quantile")
        reliability.append((mean_p, frac, f"{spec} (Brier {r['metrics']['brier']:.3f})"))
    _plot_curves(out / "reliability.png", reliability, style="o-", legend="upper left",
                 xlabel="mean predicted P(buy)", ylabel="observed share of buy", title="Reliability (out-of-fold)")
    return [out / "report.json", out / "roc.png", out / "reliability.png"]


def _plot_curves(path: Path, curves: list[tuple[np.ndarray, np.ndarray, str]], *, style: str, legend: str,
                 **axes: str) -> None:
    """One square PNG: each (x, y, label) curve, the diagonal dotted, ``axes`` as axis labels and title."""
    import matplotlib  # lazy: matplotlib takes seconds to import and only reports draw

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    for x, y, label in curves:
        ax.plot(x, y, style, ms=3, label=label)
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    ax.set(**axes)
    ax.legend(loc=legend, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
