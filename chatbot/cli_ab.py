"""``shopguide ab ...``: simulate shoppers and analyse the intent-vs-baseline experiment."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["ab"]


@click.group()
def ab() -> None:
    """A/B experiment: simulate shoppers, report lift with confidence intervals."""


@ab.command()
@click.option("--sessions", type=int, default=2000, show_default=True, help="Simulated shopper sessions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Database to write the sessions and events to.")
def simulate(sessions: int, seed: int, db: Path) -> None:
    """Run simulated shoppers through the real conversation code and log their events."""
    raise NotImplementedError


@ab.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Database to analyse.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def report(db: Path, as_json: bool) -> None:
    """Per-arm metrics, lift with 95% CI, z-test p-value, sample-ratio check, power."""
    raise NotImplementedError
