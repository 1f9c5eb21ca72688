"""Column mapping: a shop export's own column names → the catalog's field names.

A mapping is written ``source=field`` pairs, comma-separated on the command line
(``--map goods_name=title_zh,selling_price=price``) or one pair per line in a file (``#`` starts a comment),
or as a JSON object ``{"goods_name": "title_zh"}`` in a ``.json`` file. Columns the mapping does not name keep
their own name, so a column already called ``price`` needs no pair; columns that are no catalog field are
ignored.

Example:
    >>> m = ColumnMapping.parse("goods_name=title_zh, selling_price=price")
    >>> m.apply({"goods_name": "口红", "selling_price": "¥99", "color": "red"})
    {'title_zh': '口红', 'price': '¥99', 'color': 'red'}
    >>> m.to_spec()
    'goods_name=title_zh,selling_price=price'
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.errors import CatalogImportError

__all__ = ["ColumnMapping", "FIELDS", "load_mapping"]

# Every field a catalog row can carry (see catalog.importer for which are required).
FIELDS: tuple[str, ...] = (
    "id", "title_zh", "title_en", "category", "subcategory", "brand", "price", "stock", "rating", "sales",
    "tags", "attributes", "description", "image_url",
)


@dataclass(frozen=True)
class ColumnMapping:
    """``pairs``: (source column, catalog field), each source and each field at most once."""

    pairs: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        sources: set[str] = set()
        targets: set[str] = set()
        for source, target in self.pairs:
            if not source or not target:
                raise CatalogImportError(f"column mapping: empty name in {source!r}={target!r}",
                                         hint="write each pair as SOURCE_COLUMN=FIELD")
            if target not in FIELDS:
                raise CatalogImportError(f"column mapping: {target!r} is not a catalog field",
                                         hint=f"map columns to one of {', '.join(FIELDS)}")
            if source in sources:
                raise CatalogImportError(f"column mapping: column {source!r} is mapped twice",
                                         hint="map each column to one field")
            if target in targets:
                raise CatalogImportError(f"column mapping: field {target!r} is the target of two columns",
                                         hint="map one column to each field")
            sources.add(source)
            targets.add(target)

    @classmethod
    def parse(cls, spec: str | Path | Mapping[str, str] | None) -> ColumnMapping:
        """A mapping from ``a=b,c=d`` text, a mapping file (pairs or JSON), a dict, or None (empty)."""
        if spec is None:
            return cls()
        if isinstance(spec, Mapping):
            return cls(tuple((str(k).strip(), str(v).strip()) for k, v in spec.items()))
        if isinstance(spec, Path) or (isinstance(spec, str) and "=" not in spec and spec.strip()):
            return load_mapping(Path(spec))
        pairs = []
        for chunk in str(spec).replace("\n", ",").split(","):
            chunk = chunk.split("#", 1)[0].strip()
            if not chunk:
                continue
            source, sep, target = chunk.partition("=")
            if not sep:
                raise CatalogImportError(f"column mapping: expected SOURCE=FIELD, got {chunk!r}",
                                         hint="e.g. --map goods_name=title_zh,selling_price=price")
            pairs.append((source.strip(), target.strip()))
        return cls(tuple(pairs))

    def __bool__(self) -> bool:
        return bool(self.pairs)

    @property
    def as_dict(self) -> dict[str, str]:
        return dict(self.pairs)

    def field_of(self, column: str) -> str:
        """The field a column fills (its own name when the mapping does not name it)."""
        return self.as_dict.get(column, column)

    def apply(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """``row`` with mapped columns renamed to their fields. A column renamed onto a field that the row
        also holds under the field's own name wins over it (the mapping is what the shop asked for)."""
        renamed = self.as_dict
        targets = set(renamed.values())
        out: dict[str, Any] = {}
        for key, value in row.items():
            if key in renamed:
                out[renamed[key]] = value
            elif key not in targets and key not in out:
                out[key] = value
        return out

    def check_header(self, header: Sequence[str], source: str) -> None:
        """Raise when a mapped column is not in ``header`` (a typo would otherwise silently map nothing)."""
        missing = [s for s, _ in self.pairs if s not in header]
        if missing:
            raise CatalogImportError(
                f"{source}: the column mapping names column(s) {', '.join(missing)} that the file lacks; "
                f"found {', '.join(header) or 'none'}",
                hint="fix the mapping (see 'shopguide catalog inspect FILE' for a suggestion)")

    def to_spec(self) -> str:
        """The ``a=b,c=d`` form (what ``--map`` takes)."""
        return ",".join(f"{s}={t}" for s, t in self.pairs)


def load_mapping(path: Path) -> ColumnMapping:
    """Read a mapping file: a JSON object (``.json``) or ``source=field`` lines."""
    if not path.is_file():
        raise CatalogImportError(f"column mapping file not found: {path}",
                                 hint="pass SOURCE=FIELD pairs, or the path of a mapping file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogImportError(f"cannot read column mapping {path}: {exc}", hint="save it as UTF-8") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogImportError(f"{path}: invalid JSON ({exc.msg}, line {exc.lineno})",
                                     hint='write {"source_column": "field", ...}') from None
        if not isinstance(obj, dict):
            raise CatalogImportError(f"{path}: a JSON mapping must be an object", hint='{"goods_name": "title_zh"}')
        return ColumnMapping.parse({str(k): str(v) for k, v in obj.items()})
    return ColumnMapping.parse(text.replace("\n", ",") if text.strip() else "")
