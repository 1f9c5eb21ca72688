"""Score shopper messages in bulk: each row of a CSV/JSONL/Parquet input gets the intent model's stage, its
stage probabilities and P(buy) ``score``; every input column is kept.

>>> import pyarrow as pa
>>> from intent.stages import StagePrediction
>>> class Sure:  # a stand-in for IntentModel: every message is "ready"
...     def predict(self, texts):
...         return [StagePrediction.from_probs([0.1, 0.2, 0.6, 0.1]) for _ in texts]
>>> out = score_table(pa.table({"id": [1, 2, 3], "text": ["就要这个", " ", None]}), Sure(), "text")
>>> out.column("stage").to_pylist(), out.column("score").to_pylist(), out.column("score_error").to_pylist()
(['ready', None, None], [0.7, None, None], [None, 'empty text', 'missing text'])

:func:`score_table` is the one scoring step; :func:`score_local` runs it over the input in chunks in this
process (with a progress bar), :func:`chatbot.batch.ray_engine.score_ray` runs the same function inside Ray
Data actors, so both give the same numbers. A row that cannot be scored (see :data:`BAD_REASONS`) gets empty
(null) outputs and its reason in ``score_error``, and is counted in the :class:`ScoreSummary`; it never stops
the job.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chatbot.batch.io import (
    BAD_COLUMN,
    first_columns,
    input_files,
    output_kind,
    prepare_output,
    read_files,
    replace_parts,
    write_table,
)
from intent.errors import DataError
from intent.progress import progress
from intent.stages import STAGES

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["OUTPUT_COLUMNS", "PROB_COLUMNS", "BAD_REASONS", "CHUNK_SIZE", "ScoreSummary", "check_columns",
           "score_table", "summarize", "score_local", "quiet_encoder"]

log = logging.getLogger(__name__)

PROB_COLUMNS = tuple(f"prob_{s}" for s in STAGES)
"""One probability column per stage: ``prob_browse``, ``prob_consider``, ``prob_ready``, ``prob_service``."""

OUTPUT_COLUMNS = ("stage", *PROB_COLUMNS, "score", "score_error")
"""Columns added to every row, after the input's own."""

BAD_REASONS = ("missing text", "empty text", "not text", "bad JSON")
"""Why a row was not scored: no value (null, or no such field on a JSONL line); only whitespace; a value that is
not a string (a number, a list); a JSONL line that is not a JSON object."""

CHUNK_SIZE = 512
"""Rows per call to the model (in the local engine and inside each Ray actor)."""


@contextlib.contextmanager
def quiet_encoder(model: Any) -> Iterator[Any]:
    """``model`` with its encoder's own progress bar off while inside (batch jobs show one over their chunks,
    not one per chunk); a model without an encoder step (a stand-in) is left as it is."""
    step = getattr(model, "encode_step", None)  # IntentModel's fitted EncoderTransformer
    if step is None:
        yield model
        return
    before = step.show_progress
    step.show_progress = False
    try:
        yield model
    finally:
        step.show_progress = before


def check_columns(columns: Sequence[str] | None, text_col: str, source: object) -> None:
    """:class:`DataError` unless ``columns`` (of the first input file) hold ``text_col`` and none of
    :data:`OUTPUT_COLUMNS`; None (a URI not opened on this machine) passes."""
    if columns is None:
        return
    seen: set[str] = set()
    twice = sorted({c for c in columns if c in seen or seen.add(c)})
    if twice:
        raise DataError(f"{source} has the column name(s) {', '.join(map(repr, twice))} more than once",
                        hint="give every column its own name")
    if text_col not in columns:
        shown = ", ".join(map(repr, list(columns)[:12])) or "none"
        raise DataError(f"{source} has no column {text_col!r} (its columns: {shown})",
                        hint="pass --text-col NAME with the column that holds the messages")
    taken = [c for c in OUTPUT_COLUMNS if c in columns]
    if taken:
        raise DataError(f"{source} already has the columns {', '.join(taken)}, which scoring writes",
                        hint="score the original rows, or rename those columns first")


def _texts(table: pa.Table, text_col: str) -> tuple[list[str | None], list[str | None]]:
    """(text of each row, or None; why the row cannot be scored, or None)."""
    n = table.num_rows
    marked = table.column(BAD_COLUMN).to_pylist() if BAD_COLUMN in table.column_names else [None] * n
    values = table.column(text_col).to_pylist() if text_col in table.column_names else [None] * n
    texts: list[str | None] = []
    reasons: list[str | None] = []
    for value, mark in zip(values, marked, strict=True):
        reason = mark or ("missing text" if value is None else "not text" if not isinstance(value, str)
                          else "empty text" if not value.strip() else None)
        texts.append(value if reason is None else None)
        reasons.append(reason)
    return texts, reasons


def score_table(table: pa.Table, model: Any, text_col: str) -> pa.Table:
    """``table`` (without the reader's internal column) plus :data:`OUTPUT_COLUMNS`, scored by ``model``
    (anything with ``predict(texts) -> [StagePrediction]``, like :class:`intent.model.IntentModel`) in one call.

    Raises :class:`DataError` when ``table`` already has an output column.
    """
    import numpy as np
    import pyarrow as pa

    taken = [c for c in OUTPUT_COLUMNS if c in table.column_names]
    if taken:
        raise DataError(f"the input already has the columns {', '.join(taken)}, which scoring writes",
                        hint="score the original rows, or rename those columns first")
    texts, reasons = _texts(table, text_col)
    good = [i for i, r in enumerate(reasons) if r is None]
    todo = [texts[i] for i in good]
    # A lone message is scored beside a copy of itself: for one row BLAS takes its matrix-vector path, whose
    # rounding differs (~1e-9) from the matrix-matrix path of every larger batch, and the local and Ray engines
    # must give the same numbers wherever their batches happen to split.
    predictions = model.predict(todo * 2)[:1] if len(todo) == 1 else model.predict(todo) if todo else []
    n = table.num_rows
    stage: list[str | None] = [None] * n
    probs = np.zeros((n, len(STAGES)))
    score = np.zeros(n)
    for i, p in zip(good, predictions, strict=True):
        stage[i] = p.stage
        probs[i] = [p.probs[s] for s in STAGES]
        score[i] = p.score
    bad = np.array([r is not None for r in reasons], dtype=bool)
    if BAD_COLUMN in table.column_names:
        table = table.drop_columns([BAD_COLUMN])
    columns = {"stage": pa.array(stage, pa.string())}
    columns.update({name: pa.array(probs[:, j], pa.float64(), mask=bad) for j, name in enumerate(PROB_COLUMNS)})
    columns["score"] = pa.array(score, pa.float64(), mask=bad)
    columns["score_error"] = pa.array(reasons, pa.string())
    for name, values in columns.items():
        table = table.append_column(name, values)
    return table


@dataclass
class ScoreSummary:
    """What a batch-scoring run did: rows read, scored, not scored (by reason), per-stage counts, time."""

    engine: str
    input: str
    output: str
    rows: int
    scored: int
    bad: dict[str, int]
    stages: dict[str, int]
    seconds: float
    model: str = ""
    workers: int | None = None
    skipped_csv_rows: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3), "rows_per_s": round(self.rows_per_s, 1)}

    def to_text(self) -> str:
        bad = ", ".join(f"{n} {reason}" for reason, n in self.bad.items()) or "none"
        stages = ", ".join(f"{s} {self.stages.get(s, 0)}" for s in STAGES)
        workers = f", {self.workers} workers" if self.workers else ""
        lines = [f"Scored {self.scored} of {self.rows} rows in {self.seconds:.1f} s ({self.rows_per_s:.0f} rows/s, "
                 f"{self.engine} engine{workers}) -> {self.output}",
                 f"Stages: {stages}. Not scored: {bad}."]
        if self.skipped_csv_rows:
            lines.append(f"Skipped {self.skipped_csv_rows} malformed CSV rows (wrong number of fields).")
        return "\n".join(lines)


def summarize(stages: Sequence[str | None], errors: Sequence[str | None], **fields: Any) -> ScoreSummary:
    """A :class:`ScoreSummary` from the output's ``stage`` and ``score_error`` columns."""
    return summarize_counts(Counter(zip(stages, errors, strict=True)), **fields)


def summarize_counts(pairs: Mapping[tuple[str | None, str | None], int], **fields: Any) -> ScoreSummary:
    """A :class:`ScoreSummary` from the number of output rows of each (``stage``, ``score_error``) pair."""
    bad: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for (stage, error), n in pairs.items():
        if error is not None:
            bad[error] += n
        if stage is not None:
            counts[stage] += n
    rows = sum(pairs.values())
    return ScoreSummary(rows=rows, scored=rows - sum(bad.values()),
                        bad={r: bad[r] for r in sorted(bad, key=lambda r: (-bad[r], r))},
                        stages={s: counts.get(s, 0) for s in STAGES}, **fields)


def score_local(input_path: str | Path, output_path: str | Path, model: Any, *, text_col: str = "text",
                input_format: str | None = None, chunk_size: int = CHUNK_SIZE, overwrite: bool = False,
                show_progress: bool | None = None) -> ScoreSummary:
    """Score ``input_path`` (file or folder) in this process, ``chunk_size`` rows per model call, and write
    ``output_path`` (format by suffix; a folder gets one Parquet file). The whole input is held in memory: for
    inputs larger than memory use :func:`chatbot.batch.ray_engine.score_ray`.
    """
    import pyarrow as pa

    if chunk_size < 1:
        raise DataError(f"the batch size must be at least 1, got {chunk_size}")
    start = time.perf_counter()
    files, fmt = input_files(input_path, input_format)
    check_columns(first_columns(files[0], fmt), text_col, files[0])
    kind = output_kind(output_path)
    prepare_output(output_path, folder=kind == "folder", overwrite=overwrite)
    table = read_files(files, fmt, text_col)
    skipped = int((table.schema.metadata or {}).get(b"skipped_csv_rows", b"0"))
    table = table.replace_schema_metadata(None)
    chunks = [table.slice(i, chunk_size) for i in range(0, table.num_rows, chunk_size)] or [table]
    log.info("scoring %d rows of %d file(s) in %d batches of %d", table.num_rows, len(files), len(chunks), chunk_size)
    with quiet_encoder(model):
        scored = [score_table(chunk, model, text_col) for chunk in
                  progress(chunks, desc="batch score", total=len(chunks), unit="batch", show=show_progress)]
    out = pa.concat_tables(scored)
    written = write_table(out, output_path)
    if kind == "folder":  # the old output's other parts go only now that the new part is written
        replace_parts(Path(output_path), [written])
    return summarize(out.column("stage").to_pylist(), out.column("score_error").to_pylist(), engine="local",
                     input=str(input_path), output=str(written), seconds=time.perf_counter() - start,
                     model=str(getattr(model, "version", "")), skipped_csv_rows=skipped)
