"""``shopguide catalog ...``: build the product index, search it, evaluate the recommenders."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["catalog"]


@click.group()
def catalog() -> None:
    """Product catalog: index, search, evaluate recommenders."""


@catalog.command()
@click.option("--products", "products_path", type=click.Path(path_type=Path), default=None,
              help="Catalog CSV/JSONL (default: the embedded catalog).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Index folder (default $SHOPGUIDE_HOME/index/default).")
@click.option("--encoder", default=None, help="Encoder spec (default: settings.encoder).")
def index(products_path: Path | None, out_dir: Path | None, encoder: str | None) -> None:
    """Embed product descriptions and build the FAISS index."""
    raise NotImplementedError


@catalog.command()
@click.argument("query")
@click.option("--k", type=int, default=10, show_default=True, help="How many products.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(query: str, k: int, as_json: bool) -> None:
    """Search the catalog with a shopper's words (filters such as budget and brand are applied)."""
    raise NotImplementedError
