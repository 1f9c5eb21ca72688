"""Labelled messages: loading JSONL/CSV, de-duplication, and rows from logged sessions.

A row is a dict with at least ``text`` (str) and ``stage`` (``browse``/``consider``/``ready``/``service``, see
:mod:`intent.stages`); a file may give the stage, or only the older ``level`` (0/1/2) or binary ``label`` (1 = ready
to buy), which :func:`intent.stages.stage_of_row` maps. Every loaded row also carries ``label = int(stage ==
"ready")``. Other columns (``lang``, ``category``, ``source``, ``group`` ...) are kept.

    rows = load_labelled(shipped_data_path())
    rows[0]["text"], rows[0]["stage"]
    # -> ('下班了好开心', 'browse')

Bad rows: by default a :class:`DataError` naming the file, line and reason (``on_error="raise"``);
``on_error="skip"`` drops them, logs one warning with the count and the first few reasons, and returns
the good rows. Duplicates (same text after :func:`intent.text.normalize`): see :func:`dedupe`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from intent.errors import ConfigError, DataError
from intent.stages import stage_of_row
from intent.text import normalize

__all__ = ["load_labelled", "dedupe", "shipped_data_path", "rows_sha256", "rows_from_sessions", "LAST_N_TURNS"]

log = logging.getLogger(__name__)

LAST_N_TURNS = 3
"""User turns before a purchase that count as buying messages (see :func:`rows_from_sessions`)."""



def shipped_data_path() -> Path:
    """The labelled utterances that ship with the package (``intent/data/utterances.jsonl``)."""
    return Path(str(resources.files("intent").joinpath("data/utterances.jsonl")))


def _check_row(row: Any) -> dict:
    if not isinstance(row, dict):
        raise ValueError(f"expected an object with 'text' and 'stage', got {type(row).__name__}")
    if "text" not in row:
        raise ValueError("missing text")
    text = row["text"]
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    if not normalize(text):
        raise ValueError("empty text")
    stage = stage_of_row(row)
    return {**row, "text": text, "stage": stage, "label": int(stage == "ready")}


def _read_rows(path: Path) -> Iterable[tuple[int, Any]]:
    suffix = path.suffix.lower()
    with path.open(encoding="utf-8-sig", newline="") as f:
        if suffix in (".jsonl", ".ndjson", ".json"):
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    yield lineno, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield lineno, ValueError(f"not valid JSON ({exc.msg})")
        elif suffix in (".csv", ".tsv"):
            reader = csv.DictReader(f, delimiter="\t" if suffix == ".tsv" else ",")
            if reader.fieldnames is None or "text" not in reader.fieldnames \
                    or not {"stage", "level", "label"} & set(reader.fieldnames):
                raise DataError(f"{path}: the header must have 'text' and 'stage' (or 'label') columns, "
                                f"got {reader.fieldnames}", hint="first line of the CSV: text,stage[,other columns]")
            for row in reader:
                yield reader.line_num, row
        else:
            raise DataError(f"{path}: unknown file type {suffix!r}", hint="use .jsonl or .csv")


def load_labelled(path: str | Path, *, on_error: str = "raise", on_conflict: str = "raise") -> list[dict]:
    """Rows of a labelled JSONL or CSV file, de-duplicated (see :func:`dedupe`).

    on_error: "raise" (``DataError`` with file, line and reason) or "skip" (drop bad rows, warn once).
    """
    if on_error not in ("raise", "skip"):
        raise ConfigError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
    path = Path(path)
    if not path.is_file():
        raise DataError(f"labelled data file {path} does not exist",
                        hint="pass a JSONL/CSV file with 'text' and 'label' columns")
    rows, errors = [], []
    try:
        for lineno, raw in _read_rows(path):
            try:
                if isinstance(raw, Exception):
                    raise raw
                rows.append({**_check_row(raw), "_line": lineno})
            except ValueError as exc:
                if on_error == "raise":
                    raise DataError(f"{path}, line {lineno}: {exc}",
                                    hint="fix the row, or load with on_error='skip'") from None
                errors.append(f"line {lineno}: {exc}")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                        hint="save the file as UTF-8") from None
    if errors:
        log.warning("%s: skipped %d bad rows (%s%s)", path, len(errors), "; ".join(errors[:3]),
                    " ..." if len(errors) > 3 else "")
    rows = dedupe(rows, on_conflict=on_conflict, where=str(path))
    for r in rows:
        r.pop("_line", None)
    if not rows:
        raise DataError(f"{path} has no usable rows", hint="each row needs a non-empty 'text' and a 'stage'")
    return rows


def _stage(row: dict) -> str:
    return row["stage"] if "stage" in row else stage_of_row(row)


def dedupe(rows: Sequence[dict], *, on_conflict: str = "raise", where: str = "data") -> list[dict]:
    """Drop repeated texts (same :func:`normalize` form), keeping the first row of each.

    When copies disagree on the stage, ``on_conflict`` decides: "raise" (``DataError`` naming the lines),
    "drop" (remove the text), "majority" (keep the first row carrying the majority stage; ties dropped).
    """
    if on_conflict not in ("raise", "drop", "majority"):
        raise ConfigError(f"on_conflict must be 'raise', 'drop' or 'majority', got {on_conflict!r}")
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[normalize(r["text"])].append(r)
    out, dropped = [], 0
    for key, group in groups.items():
        labels = Counter(_stage(r) for r in group)
        if len(labels) == 1:
            out.append(group[0])
            continue
        if on_conflict == "raise":
            lines = ", ".join(str(r.get("_line", "?")) for r in group[:5])
            raise DataError(f"{where}: the text {key[:60]!r} has different stages (lines {lines})",
                            hint="fix the labels, or use on_conflict='drop' / 'majority'")
        (top, n1), (_, n2) = labels.most_common(2)
        if on_conflict == "majority" and n1 > n2:
            out.append(next(r for r in group if _stage(r) == top))
        else:
            dropped += 1
    if dropped:
        log.info("%s: dropped %d texts with conflicting labels", where, dropped)
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(out, key=lambda r: order[id(r)])


def rows_sha256(rows: Iterable[dict]) -> str:
    """sha256 of the (text, stage) pairs, in order: the training-data hash recorded in manifests."""
    h = hashlib.sha256()
    for r in rows:
        h.update(json.dumps([r["text"], _stage(r)], ensure_ascii=False).encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()


def rows_from_sessions(sessions: Sequence[dict], *, last_n: int = LAST_N_TURNS) -> list[dict]:
    """Labelled rows from logged shopper sessions.

    Each session is ``{"messages": [user texts in order], "purchased": bool}``, optionally with
    ``purchase_turn`` (how many user messages came before the first purchase; default: all of them)
    and ``id`` (or ``session_id``). The rule:

    - purchase: the last ``last_n`` user messages before the first purchase → stage ``ready``; earlier
      messages of that session are left out (weighing before deciding: neither clearly ready nor not), and
      so are messages after the purchase (small talk, after-sales);
    - no purchase: every user message → stage ``browse`` (not ready; logs cannot tell browse from consider
      or service, so a model trained on logs alone has two stages);
    - empty / whitespace-only messages are skipped.

    Copies of one text are not merged here; ``dedupe(rows, on_conflict="majority")`` does that.

    >>> rows_from_sessions([{"messages": ["hi", "跑鞋", "这双要了"], "purchased": True},
    ...                     {"messages": ["随便看看"], "purchased": False}], last_n=2)
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'text': '跑鞋', 'stage': 'ready', 'label': 1, 'source': 'session', 'session_id': None},
     {'text': '这双要了', 'stage': 'ready', 'label': 1, 'source': 'session', 'session_id': None},
     {'text': '随便看看', 'stage': 'browse', 'label': 0, 'source': 'session', 'session_id': None}]
    """
    if last_n < 1:
        raise ConfigError(f"last_n must be >= 1, got {last_n}")
    rows = []
    for s in sessions:
        msgs = [m for m in (s.get("messages") or [])]
        sid = s.get("id", s.get("session_id"))
        if s.get("purchased"):
            turn = s.get("purchase_turn")
            turn = len(msgs) if turn is None else max(0, min(int(turn), len(msgs)))
            chosen, label = msgs[max(0, turn - last_n):turn], 1
        else:
            chosen, label = msgs, 0
        for text in chosen:
            if isinstance(text, str) and text.strip():
                rows.append({"text": text, "stage": "ready" if label else "browse", "label": label,
                             "source": "session", "session_id": sid})
    return rows
