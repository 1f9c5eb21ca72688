"""Batch scoring throughput: the local engine vs Ray Data with 1, 2, ... model actors, on the same input.

    python benchmarks/batch_score.py [--rows 20000] [--model DIR | --encoder e5+tfidf] [--workers 1 2]

The input is ``--rows`` unique shopper messages in one Parquet file: pairs of real JD/Taobao messages
(``--realdata``, default ``../shared/realdata``; the shipped training texts when it is missing) joined by a
space, drawn with a fixed seed, so no row repeats and no cache helps. ``--model`` scores with a saved model
(e.g. the app's default in ``$SHOPGUIDE_HOME/models/intent-default``); without it a model with ``--encoder`` is
trained on a 1,000-row sample of the shipped data. Each engine runs the real ``score_local`` / ``score_ray``
end to end (read, score, write); Ray is started once (``ray_init_s``) with one CPU more than the most actors,
and each Ray run includes starting its actors and loading the model in each. The JSON also gives the largest
difference between the local scores and each Ray run's (0 when identical).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chatbot.batch.score import PROB_COLUMNS, score_local  # noqa: E402
from intent import dataset, realdata  # noqa: E402
from intent.encoders import e5  # noqa: E402
from intent.model import IntentModel  # noqa: E402


def messages(n: int, root: Path, seed: int = 0) -> list[str]:
    """``n`` unique texts, each two real shopper messages joined by a space."""
    try:
        pool = sorted({m.text for m, _, _ in realdata.labelled_messages(root)})
    except Exception:  # no real data here: the shipped (generated) training messages
        pool = sorted({r["text"] for r in dataset.load_labelled(dataset.shipped_data_path())})
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < n:
        out[f"{rng.choice(pool)} {rng.choice(pool)}"] = None
    return list(out)


def max_diff(a, b) -> float:
    import numpy as np

    worst = 0.0
    for col in (*PROB_COLUMNS, "score"):
        x = a.column(col).to_numpy(zero_copy_only=False)
        y = b.column(col).to_numpy(zero_copy_only=False)
        worst = max(worst, float(np.nanmax(np.abs(x - y))))
    return worst


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--model", type=Path, default=None, help="a saved intent model folder")
    ap.add_argument("--encoder", default="e5+tfidf", help="encoder of the model to train when --model is not given")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Ray actor counts to run")
    ap.add_argument("--batch-size", type=int, default=512)
    ap.add_argument("--realdata", type=Path, default=realdata.default_root())
    ap.add_argument("--workdir", type=Path, default=None, help="keep the input and outputs here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray

    from chatbot.batch.ray_engine import score_ray

    work = args.workdir or Path(tempfile.mkdtemp(prefix="batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    texts = messages(args.rows, args.realdata)
    src = work / "messages.parquet"
    pq.write_table(pa.table({"id": list(range(len(texts))), "text": texts}), src)
    if args.model is not None:
        model_dir = args.model
    else:
        rows = dataset.load_labelled(dataset.shipped_data_path())[:1000]
        model = IntentModel.train([r["text"] for r in rows], [r["stage"] for r in rows], args.encoder,
                                  calibration_cv=3)
        model_dir = model.save(work / "model")
    model = IntentModel.load(model_dir)
    model.predict(["你好"])  # lazy weights load outside the timing
    e5.clear_cache()
    results = []
    t0 = time.perf_counter()
    local = score_local(src, work / "local.parquet", model, chunk_size=args.batch_size, overwrite=True,
                        show_progress=False)
    seconds = time.perf_counter() - t0
    results.append({"engine": "local", "workers": None, "seconds": round(seconds, 2),
                    "rows_per_s": round(local.rows / seconds, 1)})
    expected = pq.read_table(work / "local.parquet")
    t0 = time.perf_counter()
    ray.init(num_cpus=max(args.workers) + 1, include_dashboard=False, logging_level=logging.WARNING)
    ray_init_s = round(time.perf_counter() - t0, 2)
    try:
        for n in args.workers:
            out = work / f"ray-{n}"
            t0 = time.perf_counter()
            summary = score_ray(src, out, model_dir, chunk_size=args.batch_size, workers=n, overwrite=True,
                                show_progress=False)
            seconds = time.perf_counter() - t0
            got = pq.read_table(out)
            results.append({"engine": "ray", "workers": n, "seconds": round(seconds, 2),
                            "rows_per_s": round(summary.rows / seconds, 1),
                            "same_stages": got.column("stage").to_pylist() == expected.column("stage").to_pylist(),
                            "max_abs_diff": max_diff(expected, got)})
    finally:
        ray.shutdown()
    out = {"benchmark": "batch_score", "date": date.today().isoformat(), "rows": len(texts),
           "mean_chars": round(sum(map(len, texts)) / len(texts), 1), "model": model.version,
           "encoder": model.encoder_spec, "batch_size": args.batch_size, "cpus": os.cpu_count(),
           "ray": ray.__version__, "ray_init_s": ray_init_s, "results": results}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
