"""Throughput of embedding a catalog: the local engine against Ray Data with 1 and 2 encoder actors.

    python benchmarks/ray_index.py --products 2000 [--encoder e5] [--out FILE]

A synthetic catalog of ``--products`` products is made from the embedded catalog's titles (each title with a
variant suffix, no description: about 40 characters a passage). Each engine embeds the same passages; the JSON
gives passages per second, the speed-up of each Ray run over the local engine, and whether the vectors are equal.
Ray's start-up (about 5–10 s) is counted, as a user would wait for it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.index import encode_passages  # noqa: E402
from catalog.products import load_products  # noqa: E402
from intent.encoders import make_encoder  # noqa: E402

VARIANTS = ("经典款", "升级版", "礼盒装", "两件套", "大号", "小号", "限定色", "家庭装", "便携款", "专业版")


def synthetic(n: int) -> list[str]:
    base = load_products()
    out = []
    for i in range(n):
        p = base[i % len(base)]
        q = replace(p, id=f"SYN{i:06d}", title_zh=f"{p.title_zh} {VARIANTS[(i // len(base)) % len(VARIANTS)]} {i}",
                    title_en="", description="", tags=())
        out.append(q.text_for_index())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--encoder", default="e5")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    texts = synthetic(args.products)
    runs = {}
    start = time.perf_counter()
    local = encode_passages(texts, make_encoder(args.encoder), table=None, show_progress=False)
    runs["local"] = {"seconds": round(time.perf_counter() - start, 2)}
    from catalog.ray_embed import encode_passages_ray

    for workers in (1, 2):
        start = time.perf_counter()
        X = encode_passages_ray(texts, args.encoder, workers=workers, num_cpus=workers + 1)
        X /= np.linalg.norm(X, axis=1, keepdims=True)
        runs[f"ray_{workers}"] = {"seconds": round(time.perf_counter() - start, 2),
                                  "max_abs_diff_vs_local": float(np.abs(X - local).max())}
    for run in runs.values():
        run["passages_per_s"] = round(len(texts) / run["seconds"], 1)
    for name in ("ray_1", "ray_2"):
        runs[name]["speedup_vs_local"] = round(runs["local"]["seconds"] / runs[name]["seconds"], 2)
    report = {"benchmark": "ray_index", "date": date.today().isoformat(), "encoder": args.encoder,
              "products": len(texts), "mean_passage_chars": round(float(np.mean([len(t) for t in texts])), 1),
              "cpus": os.cpu_count(), "runs": runs}
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
