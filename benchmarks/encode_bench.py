"""Catalog encoding throughput of the default index encoder: batched vs one product at a time.

"One at a time" is the original tutorial's loop (``for p in products: vec = encode(text)``); "batched" is what
``ProductIndex.build`` does (``catalog.index.encode_passages``: length-sorted steps of ``--batch-size``, each
encoded at the encoder's own best passage batch, ``passage_batch_size``); "engine_batches" hands the encoder
batches of ``--batch-size`` (why e5's passage batch is 1). Both encode the
same ``--n`` products of the embedded catalog as passages, with the query cache out of play, and the vectors
are checked to agree (max abs difference) so the speed-up is not bought with different results.

Usage::

    python benchmarks/encode_bench.py                 # 256 products, batch 64, encoder settings.index_encoder
    python benchmarks/encode_bench.py --n 1816 --batch-size 32 --encoder e5

Prints one JSON object on stdout (products/s for each way, the speed-up and the time to embed the whole
catalog at the batched rate).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence

import numpy as np

from catalog.index import encode_passages
from catalog.products import load_products
from chatbot.settings import Settings
from intent.encoders import make_encoder


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=256, help="products to encode each way")
    parser.add_argument("--batch-size", type=int, default=64, help="batch size of the batched run")
    parser.add_argument("--encoder", default=None, help="encoder spec (default: settings.index_encoder)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each way (best is reported)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    spec = args.encoder or Settings.from_env().index_encoder
    products = load_products()
    texts = [p.text_for_index() for p in products[: args.n]]
    encoder = make_encoder(spec)
    encoder.warm_up()

    def one_at_a_time() -> np.ndarray:
        return np.stack([np.asarray(encoder.encode(t, kind="passage"), np.float32) for t in texts])

    def batched() -> np.ndarray:
        return encode_passages(texts, encoder, batch_size=args.batch_size, show_progress=False)

    def engine_batches() -> np.ndarray:  # the encoder's own batches of --batch-size, length-sorted
        return encoder.encode(texts, kind="passage", batch_size=args.batch_size, show_progress=False)

    results = {}
    vectors = {}
    for name, fn in (("one_at_a_time", one_at_a_time), ("batched", batched), ("engine_batches", engine_batches)):
        best = best_cpu = float("inf")
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            vectors[name] = fn()
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - cpu_started)
        results[name] = {"seconds": round(best, 3), "products_per_s": round(len(texts) / best, 1),
                         "cpu_seconds": round(best_cpu, 3)}
    diff = float(np.abs(vectors["batched"] - vectors["one_at_a_time"]).max())
    rate = results["batched"]["products_per_s"]
    out = {
        "benchmark": "encode", "encoder": spec, "n": len(texts), "batch_size": args.batch_size,
        "cpu_count": os.cpu_count(), "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        **results,
        "speedup": round(results["one_at_a_time"]["seconds"] / results["batched"]["seconds"], 2),
        "engine_batches_speedup": round(results["one_at_a_time"]["seconds"] / results["engine_batches"]["seconds"], 2),
        "max_abs_diff": diff, "catalog_size": len(products),
        "full_catalog_batched_s": round(len(products) / rate, 1) if rate else None,
        "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
