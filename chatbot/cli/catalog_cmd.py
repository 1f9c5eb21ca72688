"""``shopguide catalog ...``: inspect a shop's export, build the product index, search it, evaluate the recommenders.

Every command that reads a catalog file takes ``--map SPEC``: the file's own column names → catalog fields
(``goods_name=title_zh,selling_price=price``, or a mapping file; :mod:`catalog.mapping`).
``shopguide catalog inspect FILE`` suggests one.
"""

from __future__ import annotations

import json
import logging
import shlex
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from chatbot.settings import Settings

# The catalog and simulator modules load numpy and compile the parser's tables: each command imports what
# it runs, so that `shopguide --help` stays instant (tests/test_fast_start.py).

__all__ = ["catalog", "map_option", "parse_map"]

log = logging.getLogger(__name__)


def make_encoder(spec: str):
    """The encoder for ``spec`` (a seam the tests replace with a fake encoder)."""
    from intent.encoders import make_encoder as build_encoder

    return build_encoder(spec)


def _settings() -> Settings:
    return Settings.from_env()


def parse_map(spec: str | None, catalog_path: Path | None, option: str) -> Any:
    """The :class:`catalog.mapping.ColumnMapping` of ``--map`` (None without one), checked against the catalog
    file's header now, so a typo fails in a moment, before any model loads. ``option`` names the flag that
    gives the catalog file, for the error without one."""
    if not spec:
        return None
    if catalog_path is None:
        raise click.UsageError(f"--map needs a catalog file ({option} FILE); the embedded catalog has its own "
                               "columns")
    from catalog.mapping import ColumnMapping
    from catalog.mapping_suggest import read_sample

    mapping = ColumnMapping.parse(spec)
    sample = read_sample(catalog_path, rows=0)
    if sample.format == "csv":  # a JSONL file has no header: its rows say which keys it has
        mapping.check_header(sample.header, str(catalog_path))
    return mapping


MAP_HELP = ("The catalog file's own column names -> catalog fields: 'goods_name=title_zh,selling_price=price', "
            "or a mapping file (a JSON object or SOURCE=FIELD lines). 'shopguide catalog inspect FILE' suggests one.")


def map_option(fn):
    """The ``--map SPEC`` option (shared by every command that reads a catalog file)."""
    return click.option("--map", "mapping", metavar="SPEC", default=None, help=MAP_HELP)(fn)


def _engine(products_path: Path | None, index_dir: Path | None, encoder: str | None, mapping: str | None, *,
            build: bool = True):
    from catalog.engine import CatalogEngine

    settings = _settings()
    path = products_path or settings.catalog_path
    columns = parse_map(mapping or settings.catalog_map, path, "--products")
    return CatalogEngine.open(path, index_dir or _index_dir(settings, path, mapping),
                              make_encoder(encoder or settings.index_encoder), build_if_missing=build,
                              params=settings.ranking, mapping=columns)


def _index_dir(settings: Any, path: Path | None, mapping: str | None) -> Path:
    """The index folder of catalog ``path`` (``--products``) as ``serve --catalog`` uses it: the embedded
    catalog's default folder is never overwritten by another catalog's index."""
    return replace(settings, catalog_path=path, catalog_map=mapping or settings.catalog_map).catalog_index_dir


_PRODUCTS = click.option("--products", "products_path", type=click.Path(path_type=Path), default=None,
                         help="Catalog CSV/JSONL (default: settings.catalog_path, else the embedded catalog).")
_INDEX = click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                      help="Index folder (default $SHOPGUIDE_HOME/index/default; built there if missing).")
_ENCODER = click.option("--encoder", default=None, help="Encoder spec (default: settings.index_encoder, 'e5').")


@click.group()
def catalog() -> None:
    """Product catalog: index, search, evaluate recommenders."""


@catalog.command()
@_PRODUCTS
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Index folder (default $SHOPGUIDE_HOME/index/default).")
@_ENCODER
@click.option("--kind", type=click.Choice(["flat", "hnsw", "ivf"]), default="flat", show_default=True,
              help="FAISS index type: exact flat, or approximate HNSW/IVF for large catalogs.")
@map_option
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Embed in this process, or in parallel on Ray Data (local Ray, or a cluster with --address).")
@click.option("--workers", type=click.IntRange(1, None), default=None,
              help="Ray encoder actors (default: all CPUs but one).")
@click.option("--address", default=None, envvar="RAY_ADDRESS", metavar="URL",
              help="A Ray cluster to run on, e.g. ray://head:10001 (default $RAY_ADDRESS, else local Ray).")
def index(products_path: Path | None, out_dir: Path | None, encoder: str | None, kind: str,
          mapping: str | None, engine: str, workers: int | None, address: str | None) -> None:
    """Embed product descriptions and build the FAISS index (an interrupted run resumes where it stopped)."""
    from catalog.index import ProductIndex, drop_checkpoint, encoder_config
    from catalog.products import load_products
    from catalog.taxonomy import Taxonomy, save_taxonomy

    settings = _settings()
    path = products_path or settings.catalog_path
    products = load_products(path, parse_map(mapping or settings.catalog_map, path, "--products"))
    enc = make_encoder(encoder or settings.index_encoder)
    out = out_dir or _index_dir(settings, path, mapping)
    start = time.perf_counter()
    checkpoint = Path(out) / "vectors.partial.npz"  # Ctrl-C resumes
    if engine == "ray":
        try:
            from catalog.ray_embed import build_index_ray  # imports Ray: only for this engine
        except ImportError as exc:
            from intent.errors import ConfigError

            raise ConfigError(f"--engine ray needs Ray: {exc}", hint="pip install 'shopguide[ray]'") from None

        idx = build_index_ray(products, str(enc.spec), kind=kind, workers=workers, address=address,
                              encoder_config=encoder_config(enc))
    else:
        idx = ProductIndex.build(products, enc, kind=kind, checkpoint=checkpoint)
    idx.save(out)
    drop_checkpoint(checkpoint)
    save_taxonomy(Taxonomy.of_products(products), out)
    click.echo(f"indexed {idx.ntotal} products (encoder {enc.spec}, dim {idx.dim}, {kind}) in "
               f"{time.perf_counter() - start:.1f}s -> {out}")


@catalog.command()
@click.argument("query")
@click.option("--k", type=int, default=10, show_default=True, help="How many products.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--intent", "intent_p", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="The shopper's purchase intent P(buy) used by the intent recommender.")
@click.option("--recommender", type=click.Choice(["baseline", "intent", "popularity"]), default="intent",
              show_default=True, help="Which recommender ranks the results.")
@_PRODUCTS
@_INDEX
@_ENCODER
@map_option
def search(query: str, k: int, as_json: bool, intent_p: float, recommender: str, products_path: Path | None,
           index_dir: Path | None, encoder: str | None, mapping: str | None) -> None:
    """Search the catalog with a shopper's words (filters such as budget and brand are applied)."""
    from chatbot.conversation.templates import fmt_price, fmt_rating

    if not query.strip():
        raise click.UsageError("the query is empty: give the shopper's words, e.g. shopguide catalog search "
                               "'500以内的跑鞋'")
    engine = _engine(products_path, index_dir, encoder, mapping)
    parsed, result = engine.search(query, k=k, intent=intent_p, recommender=recommender)
    if as_json:
        payload = {"query": query, "lang": parsed.lang, "recommender": recommender, "intent": intent_p,
                   "filters_text": parsed.filters.describe(parsed.lang), **result.to_dict()}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    click.echo(f"filters: {parsed.filters.describe(parsed.lang)}")
    if result.no_match:
        click.echo(f"no match; hint: {json.dumps(result.to_dict()['hint'], ensure_ascii=False)}")
        return
    for rank, item in enumerate(result.items, start=1):
        p = item.product
        stock = f"stock {p.stock}" if p.stock else "sold out"
        rating = f"★{fmt_rating(p.rating)}" if p.rating else "not rated"  # 0 is the importer's "no rating"
        click.echo(f"{rank:>2}. {item.score:.3f}  {p.id}  ¥{fmt_price(p.price)}  {p.brand}  {p.title_zh}  "
                   f"({stock}, {rating})")


@catalog.command()
@click.option("--sessions", "sessions_path", type=click.Path(path_type=Path), default=None,
              help="Logged sessions JSONL (query, target_ids, purchased_id, intent); default: the A/B "
                   "simulator's shoppers.")
@click.option("--n", type=int, default=300, show_default=True, help="Simulated sessions (without --sessions).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the simulated shoppers (the same seed as 'shopguide ab simulate' gives the same goals).")
@click.option("--k", type=int, default=10, show_default=True, help="Cut-off of HR@k and NDCG@k.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_PRODUCTS
@_INDEX
@_ENCODER
@map_option
def evaluate(sessions_path: Path | None, n: int, seed: int, k: int, as_json: bool, products_path: Path | None,
             index_dir: Path | None, encoder: str | None, mapping: str | None) -> None:
    """Compare the recommenders offline: HR@k, NDCG@k, MRR and filter-violation rate, side by side."""
    from catalog.evaluate import evaluate as run_evaluation
    from catalog.evaluate import format_report, load_sessions
    from chatbot.experiment.simulator import eval_sessions

    engine = _engine(products_path, index_dir, encoder, mapping)
    sessions = load_sessions(sessions_path) if sessions_path else eval_sessions(engine.products, n=n, seed=seed)
    report = run_evaluation(engine, sessions, k=k)
    report["source"] = str(sessions_path) if sessions_path else f"simulated (n={n}, seed={seed})"
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_report(report))


_EXAMPLE_CHARS = 24
_LISTED = 5


def _short(value: str, limit: int = _EXAMPLE_CHARS) -> str:
    text = " ".join(value.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _fits_as_is(header) -> bool:
    """Whether the columns already hold every required field under its own name."""
    from catalog.importer import REQUIRED, TITLES

    return all(c in header for c in REQUIRED) and any(t in header for t in TITLES)


def _import_report(path: Path, mapping: Any) -> dict[str, Any]:
    from catalog.importer import import_catalog
    from catalog.taxonomy import Taxonomy

    result = import_catalog(path, mapping=mapping)
    return {
        "accepted": len(result.products),
        "skipped": len(result.errors),
        "skipped_reasons": [str(e) for e in result.errors[:_LISTED]],
        "images_dropped": len(result.warnings),
        "image_warnings": [str(w) for w in result.warnings[:_LISTED]],
        "inferred_brands": result.inferred_brands,
        "category_tree": Taxonomy.of_products(result.products).render(),
    }


@catalog.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@map_option
@click.option("--rows", "n_rows", type=click.IntRange(0, 50), default=3, show_default=True,
              help="Example values shown per column.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def inspect(file: Path, mapping: str | None, n_rows: int, as_json: bool) -> None:
    """Show a shop export's columns with example values and a suggested --map; with --map (or when the
    columns are already named as the catalog fields) also import it and report what was accepted, skipped,
    dropped and inferred, and the category tree."""
    from catalog.mapping import FIELDS
    from catalog.mapping_suggest import read_sample, suggest_mapping

    sample = read_sample(file)
    suggested = suggest_mapping(sample.header, sample.rows)
    used = parse_map(mapping, file, "FILE")
    shown = used if used is not None else suggested
    replaced = set(shown.as_dict.values())

    def field_of(column: str) -> str | None:
        if column not in shown.as_dict and column in replaced:
            return None  # another column is mapped onto this column's name
        target = shown.field_of(column)
        return target if target in FIELDS else None

    columns = [{"name": c, "field": field_of(c),
                "examples": [_short(r[c]) for r in sample.rows[:n_rows] if (r.get(c) or "").strip()]}
               for c in sample.header]
    fits = used is not None or _fits_as_is(sample.header)
    report = _import_report(file, used) if fits else None
    if as_json:
        click.echo(json.dumps({"file": str(file), "format": sample.format, "columns": columns,
                               "suggested_map": suggested.to_spec(),
                               "map": used.to_spec() if used is not None else None, "import": report},
                              ensure_ascii=False, indent=1))
        return
    _print_inspection(file, sample.format, columns, suggested, used, report)


def _print_inspection(file: Path, fmt: str, columns: list[dict[str, Any]], suggested: Any, used: Any,
                      report: dict[str, Any] | None) -> None:
    width = max((len(c["name"]) for c in columns), default=4)
    click.echo(f"{file} ({fmt.upper()}, {len(columns)} columns)")
    for c in columns:
        target = c["field"] or "-"
        click.echo(f"  {c['name']:<{width}}  -> {target:<11}  {' | '.join(c['examples'])}".rstrip())
    if suggested:
        click.echo(f"suggested mapping: --map {shlex.quote(suggested.to_spec())}")
    else:
        click.echo("suggested mapping: none needed (the columns are named as the catalog fields)")
    if report is None:
        click.echo(f"check it: shopguide catalog inspect {shlex.quote(str(file))} --map "
                   f"{shlex.quote(suggested.to_spec())}")
        return
    how = " with the given --map" if used else ""
    click.echo(f"import{how}: {report['accepted']} products accepted, {report['skipped']} skipped")
    for reason in report["skipped_reasons"]:
        click.echo(f"  {reason}")
    click.echo(f"images dropped: {report['images_dropped']}")
    for warning in report["image_warnings"]:
        click.echo(f"  {warning}")
    click.echo(f"brands inferred: {report['inferred_brands']}")
    click.echo("category tree:" if report["category_tree"] else "category tree: (no categories)")
    for line in report["category_tree"].splitlines():
        click.echo(f"  {line}")
