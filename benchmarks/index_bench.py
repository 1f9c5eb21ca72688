"""Product-index benchmark: encoding throughput and search latency/recall; prints ONE JSON object.

Usage (from the repository root)::

    nice python benchmarks/index_bench.py                          # 10k, 100k, 1M; e5 encoding
    nice python benchmarks/index_bench.py --sizes 10000 --skip-encode --queries 50   # quick

- encode: products/s embedding the embedded catalog's ``text_for_index`` with the real ``e5`` encoder,
  batched (``batch_size``) vs one product per call (a subset).
- search: synthetic 384-d L2-normalised vectors (a mixture of Gaussian clusters in a 48-d latent space
  mapped to 384-d, as real text embeddings are clustered and of low intrinsic dimension; queries are
  perturbed catalog vectors), single-query latency p50/p95 for ``flat`` (exact),
  ``hnsw`` and ``ivf``, with recall@10 of the approximate ones against exact search.
- filtered: the same with an allowed-set of a given selectivity, for each strategy of
  ``ProductIndex.search`` (subset scan, FAISS IDSelectorBitmap, IDSelectorBatch for flat, over-fetch),
  recall@10 against exact filtered search.

At 1M vectors HNSW is skipped by default (its build takes tens of minutes on 2 cores; ``--hnsw-max``) and
IVF trains on a sample of ``nlist × 50`` vectors.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.index import ProductIndex  # noqa: E402

log = logging.getLogger("index_bench")


def synthetic(n: int, d: int, seed: int = 0, chunk: int = 100_000, latent: int = 48) -> np.ndarray:
    """n L2-normalised float32 vectors shaped like text embeddings: a mixture of Gaussian clusters in a
    ``latent``-dimensional space, mapped linearly into ``d`` dimensions, plus a little isotropic noise
    (built in chunks to bound memory). Purely isotropic random vectors would make every ANN index look bad."""
    rng = np.random.default_rng(seed)
    n_clusters = max(50, n // 1000)
    centers = rng.standard_normal((n_clusters, latent)).astype(np.float32)
    proj = (rng.standard_normal((latent, d)) / np.sqrt(latent)).astype(np.float32)
    X = np.empty((n, d), np.float32)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        assign = rng.integers(0, n_clusters, e - s)
        z = centers[assign] + 0.5 * rng.standard_normal((e - s, latent)).astype(np.float32)
        block = z @ proj + 0.05 * rng.standard_normal((e - s, d)).astype(np.float32)
        X[s:e] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return X


def queries_from(X: np.ndarray, nq: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q = X[rng.choice(len(X), nq, replace=False)] + 0.02 * rng.standard_normal((nq, X.shape[1])).astype(np.float32)
    return (Q / np.linalg.norm(Q, axis=1, keepdims=True)).astype(np.float32)


def exact_topk(X: np.ndarray, Q: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    out = []
    rows = np.flatnonzero(mask) if mask is not None else None
    for q in Q:
        s = (X[rows] @ q) if rows is not None else (X @ q)
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top])]
        out.append(rows[top] if rows is not None else top)
    return np.array(out)


def latency(fn, Q: np.ndarray) -> tuple[dict, np.ndarray]:
    times, results = [], []
    fn(Q[0])  # warm
    for q in Q:
        t = time.perf_counter()
        results.append(fn(q))
        times.append((time.perf_counter() - t) * 1000)
    t = np.array(times)
    return {"p50_ms": round(float(np.percentile(t, 50)), 3), "p95_ms": round(float(np.percentile(t, 95)), 3)}, \
        np.array(results)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return round(float(np.mean([len(set(f[f >= 0]) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)])), 4)


def bench_encode(n: int, one_n: int, batch_size: int) -> dict:
    from catalog.products import load_products
    from intent.encoders import make_encoder

    enc = make_encoder("e5")
    products = load_products()[:n]
    texts = [p.text_for_index() for p in products]
    enc.encode(texts[:8], kind="passage")  # load the model
    t = time.perf_counter()
    enc.encode(texts, kind="passage", batch_size=batch_size, show_progress=False)
    batched = len(texts) / (time.perf_counter() - t)
    sub = texts[:one_n]
    t = time.perf_counter()
    for text in sub:
        enc.encode(text, kind="passage")
    single = len(sub) / (time.perf_counter() - t)
    return {"encoder": "e5", "products": len(texts), "batch_size": batch_size,
            "batched_products_per_s": round(batched, 1), "one_at_a_time_products": len(sub),
            "one_at_a_time_products_per_s": round(single, 1), "speedup": round(batched / single, 2)}


def bench_size(n: int, d: int, args: argparse.Namespace) -> tuple[list, list]:
    X = synthetic(n, d)
    nq = args.queries if n < 1_000_000 else max(20, args.queries // 4)
    Q = queries_from(X, nq)
    k = 10
    truth = exact_topk(X, Q, k)
    rng = np.random.default_rng(2)
    masks = {sel: rng.random(n) < sel for sel in args.selectivity}
    truths = {sel: exact_topk(X, Q, k, m) for sel, m in masks.items()}
    rows, frows = [], []
    kinds = [kd for kd in args.kinds if not (kd == "hnsw" and n > args.hnsw_max)]
    for kind in kinds:
        params = {}
        if kind == "ivf":
            params = {"nlist": args.nlist or int(math.sqrt(n)), "nprobe": args.nprobe}
        if kind == "hnsw":
            params = {"hnsw_m": args.hnsw_m, "ef_search": args.ef_search}
        t = time.perf_counter()
        idx = ProductIndex.from_vectors(X, kind=kind, **params)
        build_s = time.perf_counter() - t
        lat, found = latency(lambda q, idx=idx: idx.search(q, k)[1], Q)
        rows.append({"n": n, "kind": kind, **params, "build_s": round(build_s, 2), **lat,
                     "recall@10": recall(found, truth), "queries": nq})
        log.info("%s", rows[-1])
        for sel, mask in masks.items():
            for strategy in ("subset", "selector", "overfetch"):
                lat, found = latency(lambda q, m=mask, s=strategy, idx=idx: idx.search(q, k, m, strategy=s)[1], Q)
                frows.append({"n": n, "kind": kind, "selectivity": sel, "strategy": strategy, **lat,
                              "recall@10": recall(found, truths[sel])})
                log.info("%s", frows[-1])
            if kind == "flat":  # the other FAISS selector: a hash set of the allowed ids
                idx.selector = "batch"
                lat, found = latency(lambda q, m=mask, idx=idx: idx.search(q, k, m, strategy="selector")[1], Q)
                idx.selector = "bitmap"
                frows.append({"n": n, "kind": kind, "selectivity": sel, "strategy": "selector_batch", **lat,
                              "recall@10": recall(found, truths[sel])})
            lat, _ = latency(lambda q, m=mask, idx=idx: idx.search(q, k, m)[1], Q)
            frows.append({"n": n, "kind": kind, "selectivity": sel, "strategy": "auto", **lat})
        del idx
    return rows, frows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="Comma-separated catalog sizes.")
    ap.add_argument("--kinds", default="flat,hnsw,ivf", help="Index kinds to measure.")
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--queries", type=int, default=200, help="Queries per size (a quarter at 1M).")
    ap.add_argument("--selectivity", default="0.5,0.05,0.005", help="Allowed fractions for filtered search.")
    ap.add_argument("--nlist", type=int, default=None, help="IVF lists (default √n).")
    ap.add_argument("--nprobe", type=int, default=32)
    ap.add_argument("--hnsw-m", type=int, default=32)
    ap.add_argument("--ef-search", type=int, default=128)
    ap.add_argument("--hnsw-max", type=int, default=100_000, help="Skip HNSW above this size.")
    ap.add_argument("--skip-encode", action="store_true", help="Skip the e5 encoding benchmark.")
    ap.add_argument("--encode-n", type=int, default=512, help="Products encoded batched.")
    ap.add_argument("--one-n", type=int, default=64, help="Products encoded one at a time.")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args(argv)
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    args.selectivity = [float(s) for s in args.selectivity.split(",") if s.strip()]
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    import faiss

    out: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                             "faiss": faiss.__version__, "faiss_threads": faiss.omp_get_max_threads(),
                             "numpy": np.__version__, "load_avg_1m": round(os.getloadavg()[0], 2)},
                 "dim": args.dim, "search": [], "filtered": []}
    if not args.skip_encode:
        out["encode"] = bench_encode(args.encode_n, args.one_n, args.batch_size)
        log.info("%s", out["encode"])
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        rows, frows = bench_size(n, args.dim, args)
        out["search"] += rows
        out["filtered"] += frows
    out["machine"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
