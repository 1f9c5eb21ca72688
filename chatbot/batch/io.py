"""Tables in and out of batch jobs: CSV, JSONL or Parquet, one file or a folder of files, through pyarrow.

>>> import tempfile
>>> import pyarrow as pa
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_table(pa.table({"id": ["007"], "text": ["多少钱"]}), Path(folder) / "in.csv")
...     files, fmt = input_files(path)
...     read_files(files, fmt, "text").to_pylist()
[{'id': '007', 'text': '多少钱'}]

Reading rules, the same for the local engine and for Ray Data (which gets the same options):

- **CSV** (UTF-8, a BOM is fine): every column is read as text, so ids like ``007`` survive; quoted values may
  hold newlines; a row with the wrong number of fields is skipped with a warning (:class:`SkipBadRows`).
- **JSONL** (``.jsonl``, ``.ndjson``, ``.json`` — one object per line): parsed line by line with :mod:`json`
  (:func:`jsonl_table`), so one odd line cannot fail the file as pyarrow's JSON reader would (it stops at the
  first field that changes type). A line that is not a JSON object becomes a row marked "bad JSON"; a text
  field that is not a string is kept as its JSON text and marked "not text"; a non-text field whose values mix
  types is kept as JSON text.
- **Parquet**: as stored; a text column of another type gives "not text" rows.
- Files of one folder that type a column differently have it as text (:func:`read_files`).

In a folder, every file with one of those suffixes (with ``--input-format``: every file) is read (recursively,
in name order), skipping names that start with ``.`` or ``_`` (``_SUCCESS``, ``.crc``); all must have one format.
Outputs are written by suffix (:func:`output_kind`); a path without one of those suffixes is a folder of Parquet
files.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intent.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["SUFFIXES", "BAD_COLUMN", "SkipBadRows", "format_of", "is_uri", "input_files", "first_columns",
           "csv_read_args", "jsonl_table", "read_one", "read_files", "output_kind", "prepare_output", "replace_parts",
           "write_table"]

log = logging.getLogger(__name__)

SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet",
            ".pq": "parquet"}
"""File suffix → format."""

BAD_COLUMN = "__shopguide_bad"
"""Internal column a reader adds when it already knows why a row cannot be scored ("bad JSON", "not text");
:func:`chatbot.batch.score.score_table` reads and drops it."""


def is_uri(path: str | Path) -> bool:
    """Whether ``path`` is a URI (``s3://bucket/logs``) that only Ray's filesystems can open."""
    return isinstance(path, str) and "://" in path


def format_of(path: str | Path) -> str | None:
    """``"csv"``, ``"jsonl"`` or ``"parquet"`` by suffix; None for any other name.

    >>> format_of("logs/part-0.PARQUET"), format_of("a.ndjson"), format_of("notes.txt")
    ('parquet', 'jsonl', None)
    """
    name = str(path).rstrip("/").lower()
    return next((fmt for suffix, fmt in SUFFIXES.items() if name.endswith(suffix)), None)


def input_files(path: str | Path, fmt: str | None = None) -> tuple[list[str | Path], str]:
    """The files to read at ``path`` (a file, a folder, or a URI for Ray) and their format.

    ``fmt`` overrides the suffix. A URI folder is listed through pyarrow's filesystems (``s3://``, ``gs://``,
    ``file://`` …) with the same rules as a local one; when this machine cannot open the URI (no credentials here,
    only on the cluster) it is passed on whole and ``fmt`` must be given unless its name tells. Raises
    :class:`DataError` for a missing path, a folder without data files, a folder mixing formats or a file whose
    suffix names no format.
    """
    if fmt is not None and fmt not in set(SUFFIXES.values()):
        raise ConfigError(f"unknown input format {fmt!r}", hint="use csv, jsonl or parquet")
    if is_uri(path):
        listed = _list_uri(str(path))
        if listed is not None:
            return _select(str(path), listed, fmt)
        fmt = fmt or format_of(path)
        if fmt is None:
            raise DataError(f"cannot tell the format of {path}", hint="pass --input-format csv|jsonl|parquet")
        return [str(path)], fmt
    path = Path(path)
    if not path.exists():
        raise DataError(f"no input at {path}", hint="pass a CSV, JSONL or Parquet file, or a folder of them")
    if path.is_file():
        fmt = fmt or format_of(path)
        if fmt is None:
            raise DataError(f"cannot tell the format of {path}: its suffix is not one of {', '.join(SUFFIXES)}",
                            hint="rename the file or pass --input-format csv|jsonl|parquet")
        return [path], fmt
    return _select(str(path), [(p, p.relative_to(path).as_posix()) for p in sorted(path.rglob("*")) if p.is_file()],
                   fmt)


def _select(label: str, entries: Sequence[tuple[Any, str]], fmt: str | None) -> tuple[list[Any], str]:
    """The data files among a folder's ``entries`` = (file, path relative to the folder), by the folder rules."""
    visible = [f for f, rel in sorted(entries, key=lambda e: e[1])
               if not any(part.startswith((".", "_")) for part in rel.split("/"))]
    if fmt is not None:  # the format is given: every file is read as it, unless its name says otherwise
        other = next((f for f in visible if format_of(f) not in (None, fmt)), None)
        if other is not None:
            raise DataError(f"{label} holds {_name(other)}, a {format_of(other)} file, but the input format is {fmt}",
                            hint="keep one format per folder")
        if not visible:
            raise DataError(f"no file in {label}", hint="pass a folder of CSV, JSONL or Parquet files")
        return list(visible), fmt
    files = [f for f in visible if format_of(f) is not None]
    if not files:
        raise DataError(f"no CSV, JSONL or Parquet file in {label}",
                        hint=f"the folder's data files must end in one of {', '.join(SUFFIXES)}, or pass "
                             "--input-format csv|jsonl|parquet")
    formats = sorted({format_of(f) for f in files})  # type: ignore[type-var]
    if len(formats) > 1:
        raise DataError(f"{label} mixes formats ({', '.join(formats)})", hint="keep one format per folder")
    return list(files), formats[0]  # type: ignore[return-value]


def _name(f: str | Path) -> str:
    return Path(f).name if isinstance(f, Path) else str(f).rstrip("/").rsplit("/", 1)[-1]


def _open_uri(uri: str) -> tuple[Any, str] | None:
    """``(pyarrow filesystem, path)`` of ``uri``, or None when this machine cannot open it."""
    import pyarrow as pa
    import pyarrow.fs as pafs

    try:
        return pafs.FileSystem.from_uri(uri)
    except (pa.ArrowException, OSError, ValueError) as exc:
        log.info("cannot open %s here (%s): it goes to Ray as it is", uri, exc)
        return None


def _list_uri(uri: str) -> list[tuple[str, str]] | None:
    """The files of a URI folder as (URI, relative path); ``[(uri, name)]`` for a file; None when it cannot be
    listed here. :class:`DataError` when it does not exist."""
    import pyarrow as pa
    import pyarrow.fs as pafs

    opened = _open_uri(uri)
    if opened is None:
        return None
    filesystem, root = opened
    try:
        info = filesystem.get_file_info(root)
        if info.type == pafs.FileType.NotFound:
            raise DataError(f"no input at {uri}", hint="check the URI")
        if info.type != pafs.FileType.Directory:
            return [(uri, _name(uri))]
        found = filesystem.get_file_info(pafs.FileSelector(root, recursive=True))
    except (pa.ArrowException, OSError) as exc:
        log.info("cannot list %s here (%s): it goes to Ray as it is", uri, exc)
        return None
    base, head = uri.rstrip("/"), root.rstrip("/")
    if not base.endswith(head):  # a URI whose path pyarrow rewrote: pass it on whole
        return None
    prefix = base[: len(base) - len(head)]
    return [(prefix + i.path, i.path[len(head):].lstrip("/")) for i in found if i.type == pafs.FileType.File]


HEADER_LINES = 1000
"""JSONL: the field names of an input are those of its first objects, up to this many lines."""


def _jsonl_columns(f: Iterable[str], path: object) -> list[str] | None:
    """The field names of the objects in the first :data:`HEADER_LINES` lines, read as :func:`jsonl_table` reads
    them (a BOM is fine, a line that is not JSON is skipped); ``[]`` for an empty file, None when no line there
    parses (the rows will be marked "bad JSON"). :class:`DataError` when lines parse but none is an object."""
    names: dict[str, None] = {}
    objects = others = nonblank = 0
    for n, line in enumerate(f):
        if n >= HEADER_LINES:
            break
        if not line.strip():
            continue
        nonblank += 1
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict):
            objects += 1
            names.update(dict.fromkeys(obj))
        else:
            others += 1
    if objects:
        return list(names)
    if others:
        raise DataError(f"{path}: no line is a JSON object",
                        hint="JSON Lines need one object per line (a JSON array is not read)")
    return None if nonblank else []


def first_columns(path: str | Path, fmt: str) -> list[str] | None:
    """The column names of one input file (CSV header, keys of the first JSONL objects, Parquet schema), a URI
    opened through pyarrow's filesystems; None for a URI this machine cannot open. :class:`DataError` for a file
    that cannot be read as ``fmt``."""
    import pyarrow as pa

    filesystem = None
    if is_uri(path):
        opened = _open_uri(str(path))
        if opened is None:
            return None
        filesystem, path = opened

    def binary() -> Any:
        return filesystem.open_input_stream(path) if filesystem is not None else Path(path).open("rb")

    try:
        if fmt == "csv":
            with binary() as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as f:
                return next(csv.reader(f), [])
        if fmt == "jsonl":
            with binary() as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace") as f:
                return _jsonl_columns(f, path)
        import pyarrow.parquet as pq

        return list(pq.read_schema(path, filesystem=filesystem).names)
    except (UnicodeDecodeError, ValueError, OSError, pa.ArrowException) as exc:
        raise DataError(f"cannot read {path} as {fmt}: {exc}") from None


class SkipBadRows:
    """pyarrow's ``invalid_row_handler`` for CSV: skip a row with the wrong number of fields, with a warning;
    ``count`` says how many were skipped (in this process: under Ray the workers log them)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, row: Any) -> str:
        self.count += 1
        log.warning("skipping a CSV row with %d fields (the header has %d): %.80r", row.actual_columns,
                    row.expected_columns, row.text)
        return "skip"


def csv_read_args(files: Sequence[str | Path], text_col: str) -> dict[str, Any]:
    """``parse_options`` and ``convert_options`` for ``pyarrow.csv.read_csv`` (and ``ray.data.read_csv``): every
    column of the files' headers as text, quoted newlines allowed, malformed rows skipped (:class:`SkipBadRows`)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names: dict[str, None] = {text_col: None}
    for f in files:
        names.update(dict.fromkeys(first_columns(f, "csv") or ()))
    return {"parse_options": pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=SkipBadRows()),
            "convert_options": pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                    strings_can_be_null=False)}


def _arrow_column(values: list[Any]) -> pa.Array:
    """``values`` as one Arrow array; mixed types (a number here, a string there) as text, non-strings as JSON."""
    import pyarrow as pa

    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                         for v in values], pa.string())


def jsonl_table(data: bytes | str, text_col: str) -> pa.Table:
    """The rows of JSON Lines ``data`` as a table, with :data:`BAD_COLUMN` saying which rows cannot be scored.

    >>> t = jsonl_table(b'{"text": "hi", "n": 1}\\n{"text": 5}\\nnot json\\n', "text")
    >>> t.column("text").to_pylist(), t.column("__shopguide_bad").to_pylist()
    (['hi', '5', None], [None, 'not text', 'bad JSON'])
    """
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    rows: list[dict[str, Any]] = []
    bad: list[str | None] = []
    for line in text.lstrip("\ufeff").split("\n"):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            rows.append({})
            bad.append("bad JSON")
            continue
        value = obj.get(text_col)
        if value is not None and not isinstance(value, str):
            obj[text_col] = json.dumps(value, ensure_ascii=False)
            bad.append("not text")
        else:
            bad.append(None)
        rows.append(obj)
    import pyarrow as pa

    names = list(dict.fromkeys(name for row in rows for name in row))
    columns = {name: _arrow_column([row.get(name) for row in rows]) for name in names}
    columns[BAD_COLUMN] = pa.array(bad, pa.string())
    return pa.table(columns)


def read_one(source: Any, fmt: str, text_col: str, csv_args: dict[str, Any] | None = None) -> pa.Table:
    """One file — a path, or an open binary file as Ray hands its read tasks — as a table, by the rules in the
    module docstring (``csv_args``: :func:`csv_read_args` of all the input's files)."""
    if fmt == "csv":
        import pyarrow.csv as pacsv

        return pacsv.read_csv(source, **(csv_args or {}))
    if fmt == "jsonl":
        return jsonl_table(source.read() if hasattr(source, "read") else Path(source).read_bytes(), text_col)
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Parquet needs to seek (its footer comes first): a stream is read into memory
    return pq.read_table(pa.BufferReader(source.read()) if hasattr(source, "read") else source)


def _read_local(path: Path, fmt: str, text_col: str, csv_args: dict[str, Any] | None) -> pa.Table:
    import pyarrow as pa

    try:
        return read_one(path, fmt, text_col, csv_args)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(f"cannot read {path} as {fmt}: {exc}",
                        hint="CSV and JSONL must be UTF-8; check the file opens in another tool") from None


def _concat(tables: Sequence[pa.Table]) -> pa.Table:
    """One table from several files' tables; a column typed differently in two files (a number in one, text in
    another) becomes text — its non-text values as JSON, as within one JSONL file."""
    import pyarrow as pa

    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    types: dict[str, set[pa.DataType]] = {}
    for t in tables:
        for f in t.schema:
            if not pa.types.is_null(f.type):
                types.setdefault(f.name, set()).add(f.type)
    clashing = {name for name, seen in types.items() if len(seen) > 1}
    fixed = []
    for t in tables:
        for name in clashing & set(t.column_names):
            col = t.column(name)
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                text = col.cast(pa.string())
            else:
                text = pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                                 for v in col.to_pylist()], pa.string())
            t = t.set_column(t.column_names.index(name), name, text)
        fixed.append(t)
    try:
        return pa.concat_tables(fixed, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(f"the input files' columns do not fit together: {exc}",
                        hint="score the files one at a time, or give their columns the same types") from None


def read_files(files: Sequence[str | Path], fmt: str, text_col: str) -> pa.Table:
    """All ``files`` (local) as one table: CSV/JSONL/Parquet read by the rules in the module docstring, then
    concatenated (columns missing from a file are null there). Malformed CSV rows skipped are counted in the
    table's schema metadata ``skipped_csv_rows``."""

    if any(is_uri(f) for f in files):
        raise ConfigError("the local engine reads local files only", hint="use --engine ray for a URI")
    csv_args = csv_read_args(files, text_col) if fmt == "csv" else None
    tables = [_read_local(Path(f), fmt, text_col, csv_args) for f in files]
    table = _concat(tables) if len(tables) > 1 else tables[0]
    skipped = csv_args["parse_options"].invalid_row_handler.count if csv_args else 0
    return table.replace_schema_metadata({"skipped_csv_rows": str(skipped)})


def output_kind(path: str | Path) -> str:
    """``"csv"``, ``"jsonl"`` or ``"parquet"`` for a file by its suffix, ``"folder"`` (of Parquet files) for
    anything else.

    >>> output_kind("scored.jsonl"), output_kind("out/scored")
    ('jsonl', 'folder')
    """
    return format_of(path) or "folder"


_FILE_LIKE = re.compile(r"\.(?:txt|tsv|xlsx?|xml|html?|md|log|gz|zip|tar|json5|yaml|yml|avro|orc|feather|arrow|pkl)")


def prepare_output(path: str | Path, *, folder: bool, overwrite: bool) -> None:
    """Check that an output may go to ``path`` before a job starts: an existing one is refused unless
    ``overwrite``, a folder where a file is asked for (empty or not) and a file where a folder is asked for are
    refused, and so is a folder holding anything but Parquet files. Nothing is removed here: the old output is
    replaced only once the new one is complete (:func:`write_table`, :func:`replace_parts`), so a job that
    fails leaves it as it was."""
    if is_uri(path):
        return
    path = Path(path)
    if folder and not path.is_dir() and _FILE_LIKE.fullmatch(path.suffix.lower()):
        # "--output out.txt" or "report.xlsx": a file name of a format this command does not write, which
        # would silently become a folder of Parquet files
        raise ConfigError(f"{path}: {path.suffix} is not an output format",
                          hint="end the name in .csv, .jsonl or .parquet, or give a folder name without a suffix")
    if not path.exists():
        return
    if path.is_dir() != folder:
        raise ConfigError(f"{path} exists and is a {'folder' if path.is_dir() else 'file'}",
                          hint="choose another output path" if path.is_dir() else
                          "give a folder path for a folder of Parquet files, or choose another path")
    if folder:
        others = [p for p in path.iterdir() if not (p.is_file() and format_of(p) == "parquet")]
        if others:
            raise ConfigError(f"{path} holds other things than Parquet files ({others[0].name}, ...)",
                              hint="choose an empty or new output folder")
        if not any(path.iterdir()):
            return
    if not overwrite:
        raise ConfigError(f"{path} already exists", hint="pass --overwrite to replace it, or choose another path")


def replace_parts(folder: Path, new: Sequence[Path]) -> None:
    """Make ``folder`` hold exactly the Parquet files ``new`` (moved in from wherever they were written):
    the old Parquet parts are removed only now, after the new ones are complete."""
    folder.mkdir(parents=True, exist_ok=True)
    keep = {p.name for p in new if p.parent == folder}
    for p in folder.iterdir():
        if p.is_file() and format_of(p) == "parquet" and p.name not in keep:
            p.unlink()
    for p in new:
        if p.parent != folder:
            os.replace(p, folder / p.name)


def _json_value(value: Any) -> Any:
    """``value`` as strict JSON takes it: NaN and infinities (which ``json`` would write as bare ``NaN``) are null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def _write_jsonl(table: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for batch in table.to_batches(max_chunksize=4096):
            for row in batch.to_pylist():
                f.write(json.dumps(_json_value(row), ensure_ascii=False, default=str, allow_nan=False) + "\n")


def write_table(table: pa.Table, path: str | Path) -> Path:
    """Write ``table`` to ``path`` by :func:`output_kind` (a folder gets ``part-00000.parquet``); the file is
    written beside its final name and renamed, so a reader never sees half of it. The written path."""
    import pyarrow as pa

    path = Path(path)
    kind = output_kind(path)
    if kind == "csv":
        nested = [f.name for f in table.schema if pa.types.is_nested(f.type)]
        if nested:
            raise DataError(f"CSV cannot hold the nested columns {', '.join(nested)}",
                            hint="write .parquet or .jsonl instead")
    target = path / "part-00000.parquet" if kind == "folder" else path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        if kind == "csv":
            import pyarrow.csv as pacsv

            pacsv.write_csv(table, tmp)
        elif kind == "jsonl":
            _write_jsonl(table, tmp)
        else:
            import pyarrow.parquet as pq

            pq.write_table(table, tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target
