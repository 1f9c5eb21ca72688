"""Throughput of embedding a catalog: the local engine against Ray Data with 1 and 2 encoder actors.

    python benchmarks/ray_index.py --products 2000 [--encoder e5] [--runs local,ray_1,ray_2] [--out FILE]

A synthetic catalog of ``--products`` products is made from the embedded catalog's titles (each title with a
variant suffix, no description: about 60 characters a passage). Each engine embeds the same passages; the JSON
gives passages per second, the speed-up of each run over the first one in ``--runs`` (the local engine by
default), and the largest difference between its vectors and the first run's. Ray's start-up (about 5–10 s) is
counted, as a user would wait for it. With ``--out`` the JSON is rewritten after every run, so a long run
(``--products 100000 --runs ray_1,ray_2``: about two hours here) keeps what it measured if it is stopped.
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


RUNS = ("local", "ray_1", "ray_2")


def run_one(name: str, texts: list[str], encoder: str) -> np.ndarray:
    """Embed ``texts`` with the configuration ``name``: unit-length float32 vectors."""
    if name == "local":
        return encode_passages(texts, make_encoder(encoder), table=None, show_progress=False)
    from catalog.ray_embed import encode_passages_ray

    workers = int(name.split("_")[1])
    X = encode_passages_ray(texts, encoder, workers=workers, num_cpus=workers + 1)
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--encoder", default="e5")
    ap.add_argument("--runs", default=",".join(RUNS),
                    help="comma-separated configurations to time, in order, from: " + ", ".join(RUNS))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    names = [n.strip() for n in args.runs.split(",") if n.strip()]
    bad = [n for n in names if n not in RUNS]
    if bad or not names:
        ap.error(f"--runs: unknown configuration(s) {bad}; use a comma-separated list from {', '.join(RUNS)}")
    texts = synthetic(args.products)
    report = {"benchmark": "ray_index", "date": date.today().isoformat(), "encoder": args.encoder,
              "products": len(texts), "mean_passage_chars": round(float(np.mean([len(t) for t in texts])), 1),
              "cpus": os.cpu_count(), "command": "python benchmarks/ray_index.py " + " ".join(sys.argv[1:]),
              "runs": {}}
    first: np.ndarray | None = None
    for name in names:
        start = time.perf_counter()
        X = run_one(name, texts, args.encoder)
        seconds = time.perf_counter() - start
        run = {"seconds": round(seconds, 2), "passages_per_s": round(len(texts) / seconds, 1)}
        if first is None:
            first = X
        else:
            base = report["runs"][names[0]]["seconds"]
            run[f"speedup_vs_{names[0]}"] = round(base / seconds, 2)
            run[f"max_abs_diff_vs_{names[0]}"] = float(np.abs(X - first).max())
        report["runs"][name] = run
        if args.out:
            args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
