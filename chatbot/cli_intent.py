"""``shopguide intent ...``: train, evaluate, predict and pretrain the purchase-intent model."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["intent"]


@click.group()
def intent() -> None:
    """Purchase-intent model: train, evaluate, predict, pretrain a GPT-2."""


@intent.command()
@click.option("--data", "data_path", type=click.Path(path_type=Path), default=None,
              help="Labelled JSONL/CSV with 'text' and 'label' columns (default: the shipped data).")
@click.option("--from-db", "from_db", type=click.Path(path_type=Path), default=None,
              help="Build training rows from the app's logged sessions in this database.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the model and its manifest to.")
@click.option("--encoder", default=None, help="Encoder spec (default: settings.encoder).")
def train(data_path: Path | None, from_db: Path | None, out_dir: Path, encoder: str | None) -> None:
    """Train a calibrated P(buy) model and save it to --out."""
    raise NotImplementedError


@intent.command()
@click.option("--data", "data_path", type=click.Path(path_type=Path), required=True,
              help="Labelled JSONL/CSV to cross-validate on.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Evaluate the configuration of this saved model.")
@click.option("--encoder", "encoders", multiple=True, help="Encoder spec; repeat to compare side by side.")
@click.option("--folds", type=int, default=5, show_default=True, help="Stratified K-fold splits.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write report.json and PNG plots here.")
def evaluate(data_path: Path, model_dir: Path | None, encoders: tuple[str, ...], folds: int,
             report_dir: Path | None) -> None:
    """Cross-validate encoders + classifier: accuracy, F1, ROC-AUC, PR-AUC, Brier, confusion matrix."""
    raise NotImplementedError


@intent.command()
@click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Model folder (default: the default model, trained first if missing).")
def predict(model_dir: Path | None) -> None:
    """Read one message per line on stdin; write one JSON object per line (text, score)."""
    raise NotImplementedError
