"""The ``shopguide`` command line: one entry point for every job.

Subcommand groups live in their own modules (``intent_cmd``, ``catalog_cmd``, ``ab_cmd``); this module
holds the root group, logging setup, error handling and ``serve``. Heavy libraries (torch, gradio, pandas
through sqlite_utils, ...) are imported inside the commands, so ``shopguide --help`` stays fast.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from chatbot.cli.ab_cmd import ab
from chatbot.cli.batch_cmd import batch
from chatbot.cli.catalog_cmd import catalog, map_option, parse_map
from chatbot.cli.common import DB_TYPE, Root, settings_from
from chatbot.cli.intent_cmd import intent
from chatbot.settings import REPLY_WRITERS

__all__ = ["main", "cli"]

log = logging.getLogger(__name__)


@click.group(cls=Root, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors; no progress bars.")
@click.version_option(package_name="shopguide")
def cli(verbose: int, quiet: bool) -> None:
    """导购 shopguide — a bilingual shopping-guide chatbot that predicts purchase intent.

    Data lives in $SHOPGUIDE_HOME (default: the user data directory).
    """
    level = logging.WARNING if quiet else (logging.DEBUG if verbose >= 2 else logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in QUIET_LOGGERS:  # notices that read like errors though nothing is wrong: debug only (-vv)
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


QUIET_LOGGERS = ("faiss.loader", "bm25s", "httpx", "jieba")
"""Libraries whose INFO lines a user does not need (faiss's "Could not load library with AVX512 support ...")."""


@cli.command()
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 7860).")
@click.option("--db", type=DB_TYPE, default=None,
              help="Session database: a SQLite file (default $SHOPGUIDE_HOME/shopguide.db) or a "
                   "postgresql://user:password@host:port/dbname URL.")
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Serve this CSV/JSONL catalog instead of the embedded one.")
@map_option
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Product index folder (from `shopguide catalog index --out DIR`; shared read-only by replicas). "
                   "Default $SHOPGUIDE_HOME/index/….")
@click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Intent model folder (default: the default model, trained on first run).")
@click.option("--llm-url", default=None, metavar="URL",
              help="An OpenAI-compatible server (Ollama, vLLM, llama.cpp) writes the replies, e.g. "
                   "http://127.0.0.1:11434/v1 (default: $OPENAI_BASE_URL with --llm-writer openai).")
@click.option("--llm-model", default=None, metavar="NAME",
              help="The model the server serves, or with --llm-writer transformers a hub id or folder.")
@click.option("--llm-writer", type=click.Choice(REPLY_WRITERS), default=None,
              help="Who writes the replies (default: openai with --llm-url, else template). An LLM's reply is "
                   "checked against the catalog and replaced by the template when it fails or is late.")
@click.option("--llm-timeout", type=click.FloatRange(0.5, 120.0), default=None,
              help="Seconds an LLM has for a reply before the template is used (default 8).")
def serve(host: str | None, port: int | None, db: Path | str | None, catalog_path: Path | None, mapping: str | None,
          index_dir: Path | None, model_dir: Path | None, llm_url: str | None, llm_model: str | None, llm_writer: str | None,
          llm_timeout: float | None) -> None:
    """Warm up and serve the shopper page and staff console (same as ``python app.py``)."""
    writer = llm_writer or ("openai" if llm_url else None)
    settings = settings_from(click.get_current_context(), host=host, port=port, db=db,
                             catalog_path=catalog_path, catalog_map=mapping, index_dir=index_dir, model_dir=model_dir,
                             reply_writer=writer, llm_url=llm_url, llm_model=llm_model, llm_timeout=llm_timeout)
    if settings.reply_writer != "template" and not settings.llm_model:
        raise click.UsageError(f"--llm-writer {settings.reply_writer} needs --llm-model NAME")
    if settings.reply_writer == "openai" and not settings.llm_url:
        raise click.UsageError("--llm-writer openai needs --llm-url URL (or OPENAI_BASE_URL)")
    parse_map(settings.catalog_map, settings.catalog_path, "--catalog")  # a bad mapping fails before warm-up
    # The server wires the store (sqlite_utils imports pandas) and the web stack: only for serve, not --help.
    from chatbot.web.server import serve as run_server

    run_server(settings)


cli.add_command(intent)
cli.add_command(catalog)
cli.add_command(ab)
cli.add_command(batch)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="shopguide")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
