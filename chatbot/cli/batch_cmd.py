"""``shopguide batch ...``: score logged messages in bulk (locally or on Ray Data) and report demand, promotion
candidates and retargeting audiences from the session database. See docs/batch.md."""

from __future__ import annotations

import json
from pathlib import Path

import click

from chatbot.cli.catalog_cmd import map_option, parse_map
from chatbot.cli.common import DB_TYPE, settings_from
from intent.errors import ConfigError

__all__ = ["batch"]

ENGINES = ("local", "ray")
FORMATS = ("csv", "jsonl", "parquet")


def _settings(**overrides):
    return settings_from(click.get_current_context(), **overrides)


@click.group()
def batch() -> None:
    """Batch jobs over logs: score messages in bulk (locally or on Ray Data); demand and audience reports."""


@batch.command()
@click.option("--input", "input_path", required=True, metavar="PATH",
              help="A CSV, JSONL or Parquet file, or a folder of them (with --engine ray also a URI, s3://...).")
@click.option("--output", "output_path", required=True, metavar="PATH",
              help="Where the scored rows go: a .csv/.jsonl/.parquet file (local engine), else a folder of "
                   "Parquet files (always with --engine ray).")
@click.option("--text-col", default="text", show_default=True, help="The column that holds the messages.")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="local: in this process; ray: on Ray Data (on this machine, or on --address).")
@click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Intent model folder (default: the app's default model, installed on first use).")
@click.option("--input-format", type=click.Choice(FORMATS), default=None,
              help="The input's format when its name does not tell (default: by suffix).")
@click.option("--batch-size", type=click.IntRange(1), default=512, show_default=True,
              help="Rows per model call (and per Ray Data batch).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Ray: model actors, one CPU each (default: the CPUs minus one, left for reading and writing).")
@click.option("--address", envvar="RAY_ADDRESS", default=None, metavar="ADDRESS",
              help="Ray: the cluster to run on (ray://head:10001, or auto); default $RAY_ADDRESS, else Ray "
                   "starts on this machine.")
@click.option("--num-cpus", type=click.IntRange(1), default=None,
              help="Ray on this machine: the CPUs to give it (default: all of them).")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file or folder of Parquet files.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def score(input_path: str, output_path: str, text_col: str, engine: str, model_dir: Path | None,
          input_format: str | None, batch_size: int, workers: int | None, address: str | None,
          num_cpus: int | None, overwrite: bool, as_json: bool) -> None:
    """Score every row's message: the same rows plus stage, prob_<stage> for each stage, score (P(buy)) and
    score_error (why a row was not scored: missing text, empty text, not text, bad JSON).

    Both engines run the same scoring step and give the same numbers; Ray Data keeps the row order.
    """
    # pyarrow, the intent model (sklearn) and Ray load here, not for every --help
    from chatbot.batch.io import first_columns, input_files, output_kind, prepare_output
    from chatbot.batch.score import check_columns
    from intent.model import IntentModel, load_or_train_default

    ctx = click.get_current_context()
    if engine == "local" and address and ctx.get_parameter_source("address") == click.core.ParameterSource.ENVIRONMENT:
        address = None  # $RAY_ADDRESS is for the Ray engine: a local run does not use it
    if engine == "local" and (workers or address or num_cpus):
        raise click.UsageError("--workers, --address and --num-cpus are for --engine ray")
    files, fmt = input_files(input_path, input_format)  # a wrong path or column fails before a model loads
    check_columns(first_columns(files[0], fmt), text_col, files[0])
    prepare_output(output_path, folder=engine == "ray" or output_kind(output_path) == "folder", overwrite=overwrite)
    settings = _settings()
    if model_dir is not None:
        model = IntentModel.load(model_dir)
    else:
        model = load_or_train_default(settings.intent_model_dir, settings.encoder)
        model_dir = settings.intent_model_dir
    if engine == "local":
        from chatbot.batch.score import score_local

        summary = score_local(input_path, output_path, model, text_col=text_col, input_format=input_format,
                              chunk_size=batch_size, overwrite=overwrite)
    else:
        try:
            from chatbot.batch.ray_engine import score_ray
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] != "ray":
                raise
            raise ConfigError("--engine ray needs Ray Data, which is not installed",
                              hint="pip install 'shopguide[ray]' (or use --engine local)") from None

        summary = score_ray(input_path, output_path, model_dir, text_col=text_col, input_format=input_format,
                            chunk_size=batch_size, workers=workers, address=address, num_cpus=num_cpus,
                            overwrite=overwrite)
    click.echo(json.dumps(summary.to_dict(), ensure_ascii=False) if as_json else summary.to_text())


@batch.command()
@click.option("--db", type=DB_TYPE, default=None,
              help="Session database: a SQLite file or a postgresql:// URL (default: the app's, "
                   "$SHOPGUIDE_HOME/shopguide.db).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the CSV tables and PNG charts (made if needed; files in it are replaced).")
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="The catalog the sessions shopped in, for titles and categories (default: the "
                                 "app's, the embedded one).")
@map_option
@click.option("--min-consider", type=click.IntRange(1), default=None,
              help="Promotion rule: at least this many considering sessions (default 20).")
@click.option("--max-ready-rate", type=click.FloatRange(0.0, 1.0), default=None,
              help="Promotion rule: at most this share of a product's engaged sessions at ready (default 0.2).")
@click.option("--include-simulated", is_flag=True,
              help="Count simulated sessions too ('shopguide ab simulate'; left out by default).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def report(db, out_dir: Path, catalog_path: Path | None, mapping: str | None, min_consider: int | None,
           max_ready_rate: float | None, include_simulated: bool, as_json: bool) -> None:
    """Demand per product and day (inventory), promotion candidates (many considering, few ready) and
    retargeting audiences (sessions left at consider without a purchase), per product and per category:
    CSV tables and a PNG chart each in --out. The columns are explained in docs/batch.md."""
    settings = _settings(db=db, catalog_path=catalog_path, catalog_map=mapping)
    columns = parse_map(settings.catalog_map, settings.catalog_path, "--catalog")
    # the store (sqlite_utils imports pandas), the catalog and matplotlib load here, not for every --help
    from catalog.products import load_products
    from chatbot.batch.report import MAX_READY_RATE, MIN_CONSIDER, build_report, catalog_index, write_report
    from chatbot.service.store import Store

    source = settings.db_url or settings.db_path
    store = Store(source, read_only=True)
    try:
        rep = build_report(store, catalog_index(load_products(settings.catalog_path, columns)),
                           min_consider=MIN_CONSIDER if min_consider is None else min_consider,
                           max_ready_rate=MAX_READY_RATE if max_ready_rate is None else max_ready_rate,
                           include_simulated=include_simulated)
    finally:
        store.close()
    paths = write_report(rep, out_dir)
    if as_json:
        click.echo(json.dumps({**rep.to_dict(), "files": {k: str(v) for k, v in paths.items()}},
                              ensure_ascii=False))
        return
    summary = rep.to_dict()
    days = f"{len(rep.days)} day{'' if len(rep.days) == 1 else 's'}"
    click.echo(f"{rep.sessions} sessions over {days}: {len(rep.demand_products)} product-days of demand, "
               f"{len(summary['promotion_candidates'])} promotion candidates "
               f"({', '.join(summary['promotion_candidates'][:8]) or 'none'}), "
               f"{summary['audience_sessions']} sessions in retargeting audiences.")
    click.echo(f"Wrote {len(paths)} files to {out_dir}: {', '.join(paths)}")
