"""``shopguide ab ...``: simulate shoppers and analyse the intent-vs-baseline experiment."""

from __future__ import annotations

import json
from pathlib import Path

import click

from chatbot.cli.catalog_cmd import map_option, parse_map
from chatbot.cli.common import DB_TYPE, settings_from, shown_db

__all__ = ["ab"]


def _services(settings):
    """The app's composition root (a seam for tests)."""
    # The services load the store (sqlite_utils imports pandas): only when a command runs, not on --help.
    from chatbot.service.wiring import Services

    return Services(settings)


def _settings(**overrides):
    return settings_from(click.get_current_context(), **overrides)


@click.group()
def ab() -> None:
    """A/B experiment: simulate shoppers, report lift with confidence intervals."""


@ab.command()
@click.option("--sessions", type=int, default=2000, show_default=True, help="Simulated shopper sessions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--db", type=DB_TYPE, required=True,
              help="Database to write the sessions and events to: a SQLite file or a postgresql:// URL.")
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Catalog CSV/JSONL to shop in (default: the embedded catalog).")
@map_option
@click.option("--experiment", default=None, help="Experiment name (default: settings.experiment).")
@click.option("--intent-share", type=float, default=None,
              help="Share of sessions assigned to the intent arm (default: settings.intent_share, 0.5).")
@click.option("--placebo-share", type=float, default=None,
              help="Share of sessions assigned to the placebo arm: the intent arm's code on shuffled stages "
                   "(default: settings.placebo_share, 0). Three equal arms: --intent-share 0.3334 --placebo-share 0.3333.")
@click.option("--threads", type=int, default=1, show_default=True,
              help="OpenMP/BLAS threads for the encoder and model during the run (0: leave the libraries' default).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def simulate(sessions: int, seed: int, db: Path | str, catalog_path: Path | None, mapping: str | None,
             experiment: str | None, intent_share: float | None, placebo_share: float | None, threads: int,
             as_json: bool) -> None:
    """Run simulated shoppers through the real conversation code and log their events.

    Each shopper has a hidden target product and a shopping strategy (directed buyer, deliberator, browser,
    after-sales; see docs/ab.md); the sessions are ordinary sessions (source "simulator"), so
    'shopguide ab report --db FILE' analyses them like real traffic.
    """
    settings = _settings(db=db, catalog_path=catalog_path, catalog_map=mapping, experiment=experiment,
                         intent_share=intent_share, placebo_share=placebo_share)
    from chatbot.experiment.assignment import arm_shares

    arm_shares(settings.intent_share, settings.placebo_share)  # a clear error before anything loads
    parse_map(settings.catalog_map, settings.catalog_path, "--catalog")
    services = _services(settings)
    from chatbot.experiment.simulator import simulate_services  # numpy: not for every --help

    result = simulate_services(services, sessions=sessions, seed=seed, threads=threads or None)
    db = shown_db(db)
    summary = {**result.to_dict(), "db": db, "experiment": settings.experiment, "threads": threads or None}
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    arms = ", ".join(f"{arm} {n}" for arm, n in sorted(summary["by_arm"].items()))
    click.echo(f"Simulated {result.sessions} sessions (seed {seed}, experiment {settings.experiment!r}; {arms}) "
               f"in {result.seconds:.1f} s — {result.sessions_per_s:.1f} sessions/s.")
    click.echo(f"{result.messages} messages, {result.clicks} clicks, {result.carts} add-to-carts, "
               f"{result.purchases} purchases written to {db}.")
    shares = f" --intent-share {settings.intent_share} --placebo-share {settings.placebo_share}" \
        if settings.placebo_share else ""
    click.echo(f"Next: shopguide ab report --db {db}{shares}")


@ab.command()
@click.option("--db", type=DB_TYPE, required=True,
              help="Database to analyse: a SQLite file or a postgresql:// URL.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also save the cumulative-conversion plot, with each treatment's always-valid confidence "
                   "sequence, to this PNG/SVG/PDF file.")
@click.option("--experiment", default=None, help="Experiment to analyse (default: settings.experiment).")
@click.option("--intent-share", type=float, default=None,
              help="Configured intent share the sample-ratio check expects (default: settings.intent_share).")
@click.option("--placebo-share", type=float, default=None,
              help="Configured placebo share the sample-ratio check expects (default: settings.placebo_share).")
@click.option("--lift", "relative_lift", type=float, default=0.10, show_default=True,
              help="Relative lift of conversion the power analysis sizes the test for.")
@click.option("--tau", type=float, default=None,
              help="Mixing standard deviation of the always-valid test: the difference of conversion rates "
                   "it is tuned to detect (default 0.02, two points; docs/ab.md).")
@click.option("--source", default=None, help="Only sessions from this source (web, api, simulator).")
def report(db: Path | str, as_json: bool, plot_path: Path | None, experiment: str | None, intent_share: float | None,
           placebo_share: float | None, relative_lift: float, tau: float | None, source: str | None) -> None:
    """Per-arm metrics; each treatment against baseline: lift with 95% CI, z-test p (Holm-corrected across
    treatments), always-valid p and confidence sequence (mSPRT); sample-ratio check; power."""
    # stats opens the store (sqlite_utils imports pandas): only when the report runs, not on --help.
    from chatbot.experiment.figures import conversion_figure
    from chatbot.experiment.report import analyse_db
    from chatbot.experiment.sequential import DEFAULT_TAU

    settings = _settings(experiment=experiment, intent_share=intent_share, placebo_share=placebo_share)
    rep = analyse_db(db, settings.experiment, settings.intent_share, placebo_share=settings.placebo_share,
                     relative_lift=relative_lift, source=source, tau=DEFAULT_TAU if tau is None else tau)
    if plot_path is not None:
        plot_path.parent.mkdir(parents=True, exist_ok=True)
        conversion_figure(rep.rows, title=f"Cumulative conversion — {rep.experiment}",
                          sequences=rep.sequences).savefig(plot_path, dpi=120)
    if as_json:
        click.echo(rep.to_json())
    else:
        click.echo(rep.to_text())
        if plot_path is not None:
            click.echo(f"Plot saved to {plot_path}")
