"""Purchase stages on real shoppers' messages: the intent model trained on the shipped data, judged on real text.

    python benchmarks/realmessages.py [--realdata ../shared/realdata] [--labels benchmarks/data/real_stages.tsv]
        [--encoder tfidf --encoder e5 ...] [--gpt2 DIR] [--real-cv] [--png docs/realmessages_confusion.png]

For each encoder spec (default: ``tfidf``, ``e5``, ``e5+tfidf`` and the settings' default encoder; ``--gpt2
DIR`` adds ``gpt2:DIR``) the model is trained exactly as the default model is (``IntentModel.train`` on the
shipped utterances, calibration on frame-grouped folds) and never sees a real message. It then predicts

- the labelled real JD (``jddc``) and Taobao (``ecd``) customer messages (labels: ``--labels``, texts read from
  ``--realdata``): stage macro-F1, ROC-AUC(ready vs rest), ROC-AUC(consider or ready vs rest), ECE (top-label and
  of P(ready)), Brier, per source, and the same without the rows the labellers marked unsure;
- the labelled English tweets (``PI``/``yes`` vs ``no``), zero-shot: ROC-AUC of ``score`` and of
  P(consider) + P(ready).

``adapted`` in each model's entry: the same model after label-shift adaptation (``intent.stages.estimate_priors``,
EM on the model's outputs) to the stage shares of the *unlabelled* JDDC messages — the customer lines of the 271
sessions that were not labelled, so neither a label nor a labelled text is used — re-weighted with
``shift_priors``. It shows what adapting to a shop's own logged traffic does to calibration.

``in_context`` in each model's entry: the same messages read as the guide reads them in a chat — the session
stage (:func:`intent.session.session_stage`, decay ``Settings.session_decay``, as ``ChatService`` computes it) after
the chat's earlier shopper messages and this one (agent turns, page events and times are left out: the guide
knows only its own replies and the logs have no events). The labels were decided reading the previous turns
(STAGES.md), so this is the figure of the stage the guide acts on; the rows above judge a message alone.

``--real-cv`` adds, reported apart under ``trained_on_real``, models trained on the real labels themselves,
5-fold cross-validated with every chat kept on one side (what in-domain labels would buy; not the default).
One JSON object goes to stdout; ``--png`` writes the confusion matrix of the default model (of the first encoder
when the default is not among them).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intent import dataset, realdata  # noqa: E402
from intent.model import IntentModel  # noqa: E402
from intent.session import Observation, session_stage  # noqa: E402
from intent.stages import STAGES, buy_scores, estimate_priors, shift_priors, stage_metrics  # noqa: E402

log = logging.getLogger("realmessages")

HEADLINE = ("macro_f1", "auc_ready", "auc_buy", "ece", "ece_ready", "brier")


def _tweet_metrics(probs: np.ndarray, labels: list[int]) -> dict:
    from sklearn.metrics import roc_auc_score

    y = np.asarray(labels)
    return {"n": int(len(y)), "n_pi": int(y.sum()),
            "auc_score": round(float(roc_auc_score(y, buy_scores(probs))), 4),
            "auc_buy": round(float(roc_auc_score(y, probs[:, 1] + probs[:, 2])), 4)}


def judge(probs: np.ndarray, messages: list, stages: list[str], unsure: list[bool]) -> dict:
    """Overall metrics, per source, and on the rows nobody was unsure about."""
    out = {"all": stage_metrics(stages, probs)}
    for source in sorted({m.source for m in messages}):
        idx = [i for i, m in enumerate(messages) if m.source == source]
        out[source] = {k: v for k, v in stage_metrics([stages[i] for i in idx], probs[idx]).items()
                       if k != "confusion"}
    sure = [i for i, u in enumerate(unsure) if not u]
    out["sure_only"] = {k: v for k, v in stage_metrics([stages[i] for i in sure], probs[sure]).items()
                        if k not in ("confusion", "per_stage_f1")}
    return out


def in_context(model: IntentModel, messages: list, decay: float) -> np.ndarray:
    """``(n, 4)`` session-stage distributions: each message after its chat's earlier shopper turns."""
    texts = sorted({t for m in messages for t in (*m.shopper_turns, m.text)})
    probs = dict(zip(texts, model.stage_proba(texts).tolist(), strict=True))
    rows = []
    for m in messages:
        timeline = [Observation("message", dict(zip(STAGES, probs[t], strict=True))) for t in (*m.shopper_turns, m.text)]
        session = session_stage(timeline, decay=decay)
        rows.append([session[s] for s in STAGES])
    return np.asarray(rows, dtype=float).reshape(len(messages), len(STAGES))


def real_cv(spec: str, texts: list[str], stages: list[str], groups: list[str]) -> dict:
    from intent.evaluate import cross_validate

    res = cross_validate(texts, stages, spec, folds=5, groups=groups)
    return {k: v for k, v in res["metrics"].items() if k != "confusion"} | {"seconds": res["seconds"]}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdata", type=Path, default=realdata.default_root(), help="the shared realdata folder")
    ap.add_argument("--labels", type=Path, default=realdata.LABELS_FILE, help="stage labels TSV (id, stage, unsure)")
    ap.add_argument("--encoder", action="append", dest="encoders", help="encoder spec (repeat); default: "
                    "tfidf, e5, e5+tfidf and the settings' default")
    ap.add_argument("--gpt2", help="a GPT-2 hub id or folder: adds the encoder gpt2:<it>")
    ap.add_argument("--data", type=Path, default=None, help="training data (default: the shipped utterances)")
    ap.add_argument("--real-cv", action="store_true", help="also cross-validate models trained on the real labels")
    ap.add_argument("--png", type=Path, default=None, help="write the default model's confusion matrix here")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N labelled messages (smoke tests)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    from intent.encoders import e5

    e5.CACHE_SIZE = max(e5.CACHE_SIZE, 60_000)  # every model sees the same ~12k texts: encode each once

    from chatbot.settings import Settings  # the one settings object: its default encoder is "the default"

    default, decay = Settings().encoder, Settings().session_decay
    specs = list(args.encoders or ["tfidf", "e5", "e5+tfidf", default])
    if args.gpt2:
        specs.append(f"gpt2:{args.gpt2}")
    specs = list(dict.fromkeys(specs))

    labelled = realdata.labelled_messages(args.realdata, args.labels)[:args.limit]
    messages = [m for m, _, _ in labelled]
    stages = [s for _, s, _ in labelled]
    unsure = [u for _, _, u in labelled]
    tweets = realdata.tweets(args.realdata)[:args.limit]
    labelled_ids = {m.id for m in messages}
    unlabelled = [m.text for m in realdata.jddc_messages(args.realdata) if m.id not in labelled_ids]
    rows = dataset.load_labelled(args.data or dataset.shipped_data_path())
    train_texts, train_stages = [r["text"] for r in rows], [r["stage"] for r in rows]
    groups = [r.get("group") or f"row{i}" for i, r in enumerate(rows)]

    result: dict = {
        "benchmark": "realmessages", "date": date.today().isoformat(),
        "labels": str(args.labels.relative_to(ROOT) if args.labels.is_relative_to(ROOT) else args.labels),
        "n_messages": len(messages), "stages": {s: stages.count(s) for s in STAGES},
        "n_unsure": int(sum(unsure)), "n_tweets": len(tweets), "training_rows": len(rows),
        "n_unlabelled_for_adaptation": len(unlabelled),
        "default_encoder": default, "score": "P(ready) + 0.5 * P(consider)", "models": {},
    }
    for spec in specs:
        log.info("training on %d shipped rows with encoder %s", len(rows), spec)
        t0 = time.perf_counter()
        model = IntentModel.train(train_texts, train_stages, spec, groups=groups)
        t_train = time.perf_counter() - t0
        probs = model.stage_proba([m.text for m in messages])
        tweet_probs = model.stage_proba([m.text for m, _ in tweets])
        entry = judge(probs, messages, stages, unsure)
        entry["tweets_zero_shot"] = _tweet_metrics(tweet_probs, [y for _, y in tweets])
        if unlabelled:
            train_prior = [train_stages.count(st) / len(train_stages) for st in STAGES]
            prior = estimate_priors(model.stage_proba(unlabelled), train_prior)
            adapted = {k: v for k, v in stage_metrics(stages, shift_priors(probs, train_prior, prior)).items()
                       if k not in ("confusion",)}
            entry["adapted"] = {"estimated_prior": dict(zip(STAGES, np.round(prior, 4).tolist(), strict=True)),
                                **adapted}
        entry["in_context"] = {"decay": decay, **judge(in_context(model, messages, decay), messages, stages, unsure)}
        entry["train_seconds"] = round(t_train, 1)  # e5 vectors cached from earlier models: speed is predict_bench.py's
        result["models"][spec] = entry
        log.info("%s: %s; in context %s; tweets %s", spec, {k: entry["all"][k] for k in HEADLINE},
                 {k: entry["in_context"]["all"][k] for k in HEADLINE}, entry["tweets_zero_shot"])
        if args.png and spec == (default if default in specs else specs[0]):
            from intent.evaluate import plot_confusion

            args.png.parent.mkdir(parents=True, exist_ok=True)
            plot_confusion(args.png, entry["all"]["confusion"],
                           title=f"default ({spec}) on {len(messages)} real messages")
            result["confusion_png"] = str(args.png)
    if args.real_cv:
        chat = [m.id.rsplit(":", 1)[0] for m in messages]
        result["trained_on_real"] = {spec: real_cv(spec, [m.text for m in messages], stages, chat)
                                     for spec in ("tfidf", "e5")}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return result


if __name__ == "__main__":
    main()
