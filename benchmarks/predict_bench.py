"""Batch scoring speed: messages per second, length-sorted batches vs one message at a time.

    python benchmarks/predict_bench.py [--model DIR | --encoder e5+tfidf] [--n 600] [--batch-size 64] [--rounds 2]

The texts are real shopper messages (the labelled JD/Taobao messages in ``--realdata``), the same for both ways.
``--model`` times a saved model (e.g. the app's default in ``$SHOPGUIDE_HOME/models/intent-default``); without
it a model with ``--encoder`` is trained on a 1,000-row sample of the shipped data (speed does not depend on
how many rows a linear head was trained on). Both ways run ``--rounds`` times, alternating, with the e5 query
cache cleared before each run; the JSON reports the median of each and their ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intent import dataset, realdata  # noqa: E402
from intent.encoders import e5  # noqa: E402
from intent.model import IntentModel  # noqa: E402


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None, help="a saved intent model folder")
    ap.add_argument("--encoder", default="e5+tfidf", help="encoder of the model to train when --model is not given")
    ap.add_argument("--realdata", type=Path, default=realdata.default_root())
    ap.add_argument("--n", type=int, default=600, help="messages to score")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)

    texts = [m.text for m, _, _ in realdata.labelled_messages(args.realdata)][:args.n]
    if args.model is not None:
        model = IntentModel.load(args.model)
    else:
        rows = dataset.load_labelled(dataset.shipped_data_path())[:1000]
        model = IntentModel.train([r["text"] for r in rows], [r["stage"] for r in rows], args.encoder,
                                  calibration_cv=3)
    model.predict(["你好"])  # load lazy weights outside the timing

    def batched() -> None:
        for i in range(0, len(texts), args.batch_size):
            model.predict(texts[i:i + args.batch_size])

    def one_by_one() -> None:
        for t in texts:
            model.predict([t])

    times: dict[str, list[float]] = {"batched": [], "one_at_a_time": []}
    for _ in range(args.rounds):
        for name, run in (("batched", batched), ("one_at_a_time", one_by_one)):
            e5.clear_cache()
            t0 = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    out = {
        "benchmark": "predict_bench", "date": date.today().isoformat(), "model": model.version,
        "encoder": model.encoder_spec, "n": len(texts), "batch_size": args.batch_size, "rounds": args.rounds,
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "seconds": {k: [round(x, 2) for x in v] for k, v in times.items()},
        "messages_per_second": {k: round(len(texts) / v, 1) for k, v in med.items()},
        "speedup": round(med["one_at_a_time"] / med["batched"], 2),
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
