"""``shopguide catalog ...``: build the product index, search it, evaluate the recommenders."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import click

from chatbot.settings import Settings

# The catalog and simulator modules load numpy and compile the parser's tables: each command imports what
# it runs, so that `shopguide --help` stays instant (tests/test_fast_start.py).

__all__ = ["catalog"]

log = logging.getLogger(__name__)


def make_encoder(spec: str):
    """The encoder for ``spec`` (a seam the tests replace with a fake encoder)."""
    from intent.encoders import make_encoder as build_encoder

    return build_encoder(spec)


def _settings() -> Settings:
    return Settings.from_env()


def _engine(products_path: Path | None, index_dir: Path | None, encoder: str | None, *,
            build: bool = True):
    from catalog.engine import CatalogEngine

    settings = _settings()
    return CatalogEngine.open(products_path or settings.catalog_path, index_dir or settings.product_index_dir,
                              make_encoder(encoder or settings.index_encoder), build_if_missing=build,
                              params=settings.ranking)


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
def index(products_path: Path | None, out_dir: Path | None, encoder: str | None, kind: str) -> None:
    """Embed product descriptions and build the FAISS index (an interrupted run resumes where it stopped)."""
    from catalog.index import ProductIndex, drop_checkpoint
    from catalog.products import load_products

    settings = _settings()
    products = load_products(products_path or settings.catalog_path)
    enc = make_encoder(encoder or settings.index_encoder)
    out = out_dir or settings.product_index_dir
    start = time.perf_counter()
    checkpoint = Path(out) / "vectors.partial.npz"  # Ctrl-C resumes
    idx = ProductIndex.build(products, enc, kind=kind, checkpoint=checkpoint)
    idx.save(out)
    drop_checkpoint(checkpoint)
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
def search(query: str, k: int, as_json: bool, intent_p: float, recommender: str, products_path: Path | None,
           index_dir: Path | None, encoder: str | None) -> None:
    """Search the catalog with a shopper's words (filters such as budget and brand are applied)."""
    engine = _engine(products_path, index_dir, encoder)
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
        click.echo(f"{rank:>2}. {item.score:.3f}  {p.id}  ¥{p.price:,.0f}  {p.brand}  {p.title_zh}  "
                   f"({stock}, ★{p.rating})")


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
def evaluate(sessions_path: Path | None, n: int, seed: int, k: int, as_json: bool, products_path: Path | None,
             index_dir: Path | None, encoder: str | None) -> None:
    """Compare the recommenders offline: HR@k, NDCG@k, MRR and filter-violation rate, side by side."""
    from catalog.evaluate import evaluate as run_evaluation
    from catalog.evaluate import format_report, load_sessions
    from chatbot.experiment.simulator import eval_sessions

    engine = _engine(products_path, index_dir, encoder)
    sessions = load_sessions(sessions_path) if sessions_path else eval_sessions(engine.products, n=n, seed=seed)
    report = run_evaluation(engine, sessions, k=k)
    report["source"] = str(sessions_path) if sessions_path else f"simulated (n={n}, seed={seed})"
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_report(report))
