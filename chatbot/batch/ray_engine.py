"""Batch scoring on Ray Data: ``read_*`` → ``map_batches`` with the model loaded once per actor →
``write_parquet``, the same on one machine (local mode) and on a cluster.

    summary = score_ray("logs/", "scored/", model_dir, workers=2)   # local Ray, 2 model actors
    summary = score_ray("s3://shop/logs/", "s3://shop/scored/", model_dir, address="ray://head:10001")

Each actor (:class:`RayScorer`) loads the model once, from its two files sent as bytes through the object
store (so the nodes need shopguide installed but no shared model folder), and runs
:func:`chatbot.batch.score.score_table` — the local engine's own step — on ``chunk_size`` rows at a time, one
block of :data:`BLOCK_BATCHES` such batches per call. The files
are read by :class:`TableDatasource` with the local engine's own reader (:func:`chatbot.batch.io.read_one`:
CSV with every column as text, JSONL line by line — ``read_json``'s pyarrow parser fails a whole file on one
field that changes type — and Parquet), one read task per file or group of files. Rows keep their input order
(``preserve_order``, and one block of one chunk per write task: see :func:`score_ray`). The output is a folder
of Parquet files.

This module imports Ray: import it only when the Ray engine runs.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ray
import ray.data
from ray.data.datasource import FileBasedDatasource

from catalog.ray_cluster import default_workers, ray_session
from chatbot.batch.io import (
    csv_read_args,
    first_columns,
    input_files,
    is_uri,
    output_kind,
    prepare_output,
    read_one,
    replace_parts,
)
from chatbot.batch.score import CHUNK_SIZE, ScoreSummary, check_columns, score_table, summarize_counts
from intent.errors import ConfigError, DataError, ShopGuideError
from intent.model import MANIFEST_FILE, MODEL_FILE, IntentModel
from intent.progress import progress_enabled

__all__ = ["RayScorer", "TableDatasource", "ray_session", "default_workers", "score_ray"]

log = logging.getLogger(__name__)

LOG_EVERY = 10
"""An actor logs its running total every this many blocks (the log line reaches the driver's stderr)."""
BLOCK_BATCHES = 4
"""Rows per Ray Data block, in batches of ``chunk_size``: one actor call scores one block."""


class TableDatasource(FileBasedDatasource):
    """Input files read by :func:`chatbot.batch.io.read_one` — the local engine's reader — each cut into blocks
    of ``block_rows`` rows, in file order."""

    def __init__(self, paths: str | list[str], *, fmt: str, text_col: str, csv_args: dict[str, Any] | None,
                 block_rows: int, **kwargs: Any) -> None:
        super().__init__(paths, **kwargs)
        self.fmt = fmt
        self.text_col = text_col
        self.csv_args = csv_args
        self.block_rows = block_rows

    def _read_stream(self, f: Any, path: str) -> Iterator[Any]:
        table = read_one(f, self.fmt, self.text_col, self.csv_args)
        for start in range(0, table.num_rows, self.block_rows):
            yield table.slice(start, self.block_rows)
        if table.num_rows == 0:
            yield table


class RayScorer:
    """A Ray Data actor: loads the intent model once, then scores each block (a ``pyarrow.Table``).

    ``model``: a one-item list holding the ``ObjectRef`` of the model folder's files (a dict name → bytes), as
    :func:`score_ray` passes it; they are written to a temporary folder and loaded from there.
    """

    def __init__(self, model: list, text_col: str, chunk_size: int = CHUNK_SIZE,
                 log_level: int = logging.INFO) -> None:
        if not logging.getLogger().handlers:  # a fresh worker process: its log lines go to the driver
            logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")
        folder = Path(tempfile.mkdtemp(prefix="shopguide-model-"))
        try:
            for name, data in ray.get(model[0]).items():
                (folder / name).write_bytes(data)
            self.model = IntentModel.load(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.model.encode_step.show_progress = False  # this actor logs its own totals, not the encoder's bar
        self.text_col = text_col
        self.chunk_size = chunk_size
        self.blocks = 0
        self.rows = 0

    def __call__(self, block: Any) -> Any:
        """One whole block (a ``pyarrow.Table``) scored ``chunk_size`` rows per model call, as one table."""
        import pyarrow as pa

        parts = [score_table(block.slice(i, self.chunk_size), self.model, self.text_col)
                 for i in range(0, block.num_rows, self.chunk_size)]
        # one chunk: Ray's Parquet writer (pyarrow write_dataset with use_threads) may write chunks out of order
        out = (pa.concat_tables(parts) if parts else score_table(block, self.model, self.text_col)).combine_chunks()
        self.blocks += 1
        self.rows += block.num_rows
        if self.blocks % LOG_EVERY == 0:
            log.info("scoring actor pid %d: %d rows in %d blocks", os.getpid(), self.rows, self.blocks)
        return out


def _read(files: list[str | Path], fmt: str, text_col: str, block_rows: int) -> ray.data.Dataset:
    csv_args = csv_read_args(files, text_col) if fmt == "csv" else None
    # one read task per file at most: Ray would otherwise split the blocks again to reach its minimum parallelism
    return ray.data.read_datasource(TableDatasource([str(f) for f in files], fmt=fmt, text_col=text_col,
                                                    csv_args=csv_args, block_rows=block_rows),
                                    override_num_blocks=len(files))


def _domain_error(exc: BaseException) -> ShopGuideError:
    """The ShopGuideError inside a Ray error (an actor's or a task's), or a DataError naming the innermost cause."""
    seen: BaseException | None = exc
    inner = exc
    while seen is not None:
        if isinstance(seen, ShopGuideError):
            return seen
        inner = seen
        seen = getattr(seen, "cause", None) or seen.__cause__
    lines = [line for line in str(inner).strip().splitlines() if line.strip()]
    name = type(inner).__name__.removeprefix("RayTaskError(").removesuffix(")")
    return DataError(f"the Ray job failed: {name}: {lines[-1] if lines else ''}",
                     hint="run with -v for Ray's log; check that the input files read with --engine local")


def _drop(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def score_ray(input_path: str | Path, output_path: str | Path, model_dir: str | Path, *, text_col: str = "text",
              input_format: str | None = None, chunk_size: int = CHUNK_SIZE, workers: int | None = None,
              address: str | None = None, num_cpus: int | None = None, overwrite: bool = False,
              show_progress: bool | None = None) -> ScoreSummary:
    """Score ``input_path`` (file, folder or URI) on Ray Data with ``workers`` model actors and write a folder
    of Parquet files at ``output_path``. ``model_dir``: a saved :class:`~intent.model.IntentModel` (checked
    here before the job starts). Progress: Ray Data's bars on a terminal, the actors' log lines otherwise.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if chunk_size < 1:
        raise DataError(f"the batch size must be at least 1, got {chunk_size}")
    start = time.perf_counter()
    files, fmt = input_files(input_path, input_format)
    check_columns(first_columns(files[0], fmt), text_col, files[0])
    if output_kind(output_path) in ("csv", "jsonl"):
        raise ConfigError(f"--engine ray writes a folder of Parquet files, not {output_path}",
                          hint="give a folder path (e.g. scored/ or scored.parquet), or use --engine local")
    prepare_output(output_path, folder=True, overwrite=overwrite)
    model = IntentModel.load(model_dir)  # a clear error here, not in every actor
    if is_uri(output_path):  # Ray's filesystem refuses an existing output, or replaces it with --overwrite
        target, staging, mode = str(output_path), None, ray.data.SaveMode.OVERWRITE if overwrite else \
            ray.data.SaveMode.ERROR
    else:  # written beside the output and moved in when complete: a failed job leaves the old output as it was
        final = Path(output_path).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=final.parent))
        target, mode = str(staging), ray.data.SaveMode.APPEND
    with ray_session(address, num_cpus, workers) as n:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # output rows in input order
        ctx.enable_progress_bars = progress_enabled(show_progress)
        log.info("scoring %d file(s) on Ray (%s) with %d model actors, batches of %d", len(files),
                 address or "local", n, chunk_size)
        # the model's files reach every actor through the object store (one copy; in a one-item list, so Ray
        # passes the reference itself): no node needs the model folder
        model_ref = [ray.put({name: (Path(model_dir) / name).read_bytes() for name in (MODEL_FILE, MANIFEST_FILE)})]
        try:
            # Blocks of BLOCK_BATCHES batches (so a single big file still feeds every actor); each actor call
            # takes one whole block (batch_size=None) and returns it as one chunk, so each write task gets one
            # block of one chunk: Ray's Parquet writer (pyarrow write_dataset, use_threads=True) writes the
            # blocks and chunks it is given in any order, and with 512-row batches Ray 2.60 wrote rows out of
            # order in about half of the runs despite preserve_order.
            (_read(files, fmt, text_col, chunk_size * BLOCK_BATCHES)
             .repartition(target_num_rows_per_block=chunk_size * BLOCK_BATCHES)
             .map_batches(RayScorer, batch_size=None, batch_format="pyarrow",
                          compute=ray.data.ActorPoolStrategy(size=n), num_cpus=1, udf_modifying_row_count=False,
                          fn_constructor_kwargs={"model": model_ref, "text_col": text_col, "chunk_size": chunk_size,
                                                 "log_level": logging.getLogger().getEffectiveLevel()})
             .write_parquet(target, mode=mode))
        except ShopGuideError:
            _drop(staging)
            raise
        except Exception as exc:  # Ray wraps what failed in a worker (RayTaskError, UserCodeException, ...)
            _drop(staging)
            raise _domain_error(exc) from None
        except BaseException:  # Ctrl-C
            _drop(staging)
            raise
        if staging is None:  # a URI: counted by a Ray task, on the cluster's nodes and with their access
            try:
                pairs = Counter(dict(ray.get(ray.remote(_count_output).remote(target))))
            except Exception as exc:  # noqa: BLE001 - the scores are written; only the count failed
                err = _domain_error(exc)
                raise DataError(f"the scores were written to {target}, but counting them failed: {err.message}",
                                hint="read the output to check it; rerun with --overwrite to score again") from None
    if staging is not None:
        replace_parts(final, sorted(p for p in staging.iterdir() if p.is_file() and p.suffix == ".parquet"))
        _drop(staging)
        target = str(final)
        try:
            out = pq.read_table(target, columns=["stage", "score_error"])
            pairs = Counter(zip(out.column("stage").to_pylist(), out.column("score_error").to_pylist(), strict=True))
        except (FileNotFoundError, pa.ArrowInvalid):  # an input without rows: Ray writes no file
            pairs = Counter()
    return summarize_counts(pairs, engine="ray", input=str(input_path), output=target,
                            seconds=time.perf_counter() - start, model=model.version, workers=n)


def _count_output(target: str) -> list[tuple[tuple[str | None, str | None], int]]:
    """Rows of the Parquet output at ``target`` per (stage, score_error) pair, read where this task runs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        out = pq.read_table(target, columns=["stage", "score_error"])
    except (FileNotFoundError, pa.ArrowInvalid):  # an input without rows: Ray writes no file
        return []
    pairs = Counter(zip(out.column("stage").to_pylist(), out.column("score_error").to_pylist(), strict=True))
    return list(pairs.items())
