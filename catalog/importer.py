"""Import a product catalog from CSV or JSONL, validating row by row.

A bad row is skipped and reported with its physical line number (CSV header = line 1) and the reason; with
``strict=True`` any bad row raises :class:`catalog.errors.CatalogImportError` listing them. Stored text is
kept exactly as written (Chinese, emoji, spaces); only the numeric fields are parsed, strictly.

Columns are the product fields, or the shop's own names mapped onto them (``mapping``:
:class:`catalog.mapping.ColumnMapping`). Required: ``id``, ``price``, ``stock`` and a title (``title_zh`` or
``title_en``). Optional (default): the other title (""), ``category`` ("": uncategorised), ``brand``
(inferred from the titles where clear, else "": :mod:`catalog.brands`), ``subcategory`` (""), ``rating``
(0.0), ``sales`` (0), ``tags`` (``;``- or ``|``-separated), ``attributes`` (a JSON object or ``k=v;k=v``),
``description`` (""), ``image_url`` ("": an http(s) URL, or an image file path relative to the catalog file).

``category`` is a built-in category (slug, name or synonym: ``跑鞋`` → ``shoes``, the synonym kept as the
subcategory when none is given) or the shop's own category, a path such as ``美妆 > 口红`` or ``Beauty/Lipstick``
(:mod:`catalog.taxonomy`). Prices may be written ``¥1,299.00``, ``1299元``. A bad ``image_url`` drops the image,
not the product, and is reported in ``ImportResult.warnings``.

Example:
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text("id,title_zh,category,brand,price,stock\\nA,跑鞋,跑鞋,李宁,¥299,5\\nB,x,shoes,y,abc,1\\n")
    >>> r = import_catalog(f)
    >>> [p.id for p in r.products], r.errors[0].line, r.errors[0].reason
    (['A'], 3, "price: not a number: 'abc'")
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from catalog.categories import CATEGORIES, CATEGORY_BY_SLUG
from catalog.errors import CatalogImportError
from catalog.mapping import ColumnMapping
from catalog.products import Product
from catalog.taxonomy import category_key, is_path

__all__ = ["ImportResult", "RowError", "import_catalog", "parse_price", "resolve_category", "category_of", "is_jsonl"]

log = logging.getLogger(__name__)

REQUIRED: tuple[str, ...] = ("id", "price", "stock")
TITLES: tuple[str, ...] = ("title_zh", "title_en")
OPTIONAL: dict[str, Any] = {"title_zh": "", "title_en": "", "category": "", "brand": "", "subcategory": "",
                            "rating": 0.0, "sales": 0, "tags": (), "attributes": {}, "description": "",
                            "image_url": ""}
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp"})
_MAX_LISTED = 20


@dataclass(frozen=True)
class RowError:
    """A skipped row: its physical line in the file (1-based; CSV header = 1) and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportResult:
    """The valid products, in file order; the rows that were skipped; the rows kept with something dropped
    (a bad image); how many brands were inferred from the titles."""

    products: list[Product]
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    inferred_brands: int = 0


class _RowInvalid(ValueError):
    pass


# ---------------------------------------------------------------------------------------------------------
# Field parsers (raise _RowInvalid with a message that names the field and the value)
# ---------------------------------------------------------------------------------------------------------
_PRICE_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CURRENCY_PREFIX = re.compile(r"^(?:¥|￥|cny|rmb)\s*", re.I)
_CURRENCY_SUFFIX = re.compile(r"\s*(?:元|cny|rmb)$", re.I)


def parse_price(value: Any) -> float:
    """Parse a CNY price strictly: ``299``, ``"1,299.00"``, ``"¥1299"``, ``"1299元"``; reject the rest.

    >>> parse_price("1,299.00"), parse_price("¥1299")
    (1299.0, 1299.0)
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = _CURRENCY_SUFFIX.sub("", _CURRENCY_PREFIX.sub("", text))
        if not _PRICE_RE.match(text):
            raise ValueError(f"not a number: {value!r}")
        number = float(text.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    if number < 0:
        raise ValueError(f"negative: {value!r}")
    return number


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise _RowInvalid(f"{name}: not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not re.fullmatch(r"[+-]?\d+(?:\.\d+)?", text):
            raise _RowInvalid(f"{name}: not a number: {value!r}")
        number = float(text)
    if not math.isfinite(number):
        raise _RowInvalid(f"{name}: not a finite number: {value!r}")
    return number


def _count(value: Any, name: str) -> int:
    number = _number(value, name)
    if number < 0 or number != int(number):
        raise _RowInvalid(f"{name}: must be a non-negative integer, got {value!r}")
    return int(number)


def _rating(value: Any) -> float:
    number = _number(value, "rating")
    if not 0.0 <= number <= 5.0:
        raise _RowInvalid(f"rating: must be between 0 and 5, got {value!r}")
    return number


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    elif isinstance(value, str):
        items = re.split(r"[;|]", value)
    else:
        raise _RowInvalid(f"tags: expected a list or a ';'-separated string, got {value!r}")
    return tuple(t.strip() for t in items if t.strip())


def _attributes(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if not isinstance(value, str):
        raise _RowInvalid(f"attributes: expected an object or 'k=v;k=v', got {value!r}")
    text = value.strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _RowInvalid(f"attributes: invalid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise _RowInvalid("attributes: JSON must be an object")
        return {str(k): str(v) for k, v in obj.items()}
    out: dict[str, str] = {}
    for pair in re.split(r"[;|]", text):
        if not pair.strip():
            continue
        key, sep, val = pair.partition("=")
        if not sep or not key.strip():
            raise _RowInvalid(f"attributes: expected 'key=value', got {pair.strip()!r}")
        out[key.strip()] = val.strip()
    return out


def _category_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for cat in CATEGORIES:  # slugs and display names win over synonyms
        for name in (cat.slug, cat.zh, cat.en):
            table.setdefault(_key(name), cat.slug)
    for cat in CATEGORIES:
        for name in (*cat.synonyms_zh, *cat.synonyms_en):
            table.setdefault(_key(name), cat.slug)
    return table


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def resolve_category(value: str) -> str | None:
    """The category slug for a slug, display name or synonym (``"跑鞋"`` → ``"shoes"``), else None."""
    return _category_lookup().get(_key(value))


def _main_names(slug: str) -> set[str]:
    cat = CATEGORY_BY_SLUG[slug]
    return {_key(cat.slug), _key(cat.zh), _key(cat.en)}


def category_of(value: str, categories: Mapping[str, str]) -> tuple[str, str]:
    """(category key, subcategory implied) of a category value: a built-in slug for a built-in name or synonym
    (the synonym is the implied subcategory: ``跑鞋`` → (``shoes``, ``跑鞋``)), else the shop's own node key."""
    text = value.strip()
    if not text:
        return "", ""
    if not is_path(text):
        slug = categories.get(_key(text))
        if slug is not None:
            return slug, "" if _key(text) in _main_names(slug) else text
    return category_key(text), ""


def _image(value: Any, base: Path | None) -> tuple[str, str | None]:
    """(image_url to store, warning or None): an http(s) URL, or the absolute path of an existing image file."""
    text = "" if value is None else str(value).strip()
    if not text:
        return "", None
    parsed = urlsplit(text)
    if parsed.scheme.lower() in ("http", "https"):
        if not parsed.netloc or any(c in text for c in "\"<> \t\n"):
            return "", f"image_url: not a usable URL: {text[:80]!r}"
        return text, None
    if parsed.scheme and len(parsed.scheme) > 1:  # javascript:, data:, ftp:, file: ... (C:\ is a path)
        return "", f"image_url: only http(s) URLs or local files, got {parsed.scheme}: ({text[:40]!r})"
    try:
        path = Path(text).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            return "", f"image_url: not an image file ({', '.join(sorted(IMAGE_SUFFIXES))}): {text[:80]!r}"
        if not path.is_file():
            return "", f"image_url: file not found: {text[:80]!r}"
        return str(path.resolve()), None
    except (OSError, RuntimeError, ValueError) as exc:  # ~nobody/…, a name too long, a NUL in the path
        return "", f"image_url: not a usable path ({type(exc).__name__}): {text[:80]!r}"


# ---------------------------------------------------------------------------------------------------------
# Row validation
# ---------------------------------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def _product(row: Mapping[str, Any], categories: Mapping[str, str], base: Path | None,
             warnings: list[str]) -> Product:
    missing = [name for name in REQUIRED if _blank(row.get(name))]
    if all(_blank(row.get(name)) for name in TITLES):
        missing.append("title_zh or title_en")
    if missing:
        raise _RowInvalid(f"missing required field(s): {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name in ("title_zh", "title_en", "subcategory", "brand", "description"):
        raw = row.get(name)
        values[name] = OPTIONAL.get(name, "") if raw is None else str(raw)
    values["brand"] = values["brand"].strip()
    values["id"] = str(row["id"]).strip()
    values["category"], implied = category_of(str(row.get("category") or ""), categories)
    if implied and not values["subcategory"].strip():
        values["subcategory"] = implied
    values["image_url"], warning = _image(row.get("image_url"), base)
    if warning:
        warnings.append(warning)
    try:
        values["price"] = parse_price(row["price"])
    except ValueError as exc:
        raise _RowInvalid(f"price: {exc}") from None
    values["stock"] = _count(row["stock"], "stock")

    def present(name: str) -> bool:
        return row.get(name) is not None and not (isinstance(row[name], str) and not row[name].strip())

    values["rating"] = _rating(row["rating"]) if present("rating") else OPTIONAL["rating"]
    values["sales"] = _count(row["sales"], "sales") if present("sales") else OPTIONAL["sales"]
    values["tags"] = _tags(row["tags"]) if present("tags") else ()
    values["attributes"] = _attributes(row["attributes"]) if present("attributes") else {}
    return Product(**values)


MAX_FIELD_CHARS = 10_000_000
"""The longest CSV cell read (Python's csv module stops at 131,072 characters by default)."""


def _csv_rows(text: str, source: str) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The header and the rows of CSV ``text``. Quoting is strict: a stray quote makes its row an error (with its
    line), and a quote never closed — which would swallow every later row into one cell — fails the import."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, strict=True)

    def unclosed(start: int) -> CatalogImportError:
        return CatalogImportError(f"{source}, line {start}: a quoted cell is never closed (everything after it "
                                  "would be read as one cell)", hint="close the quote, or double a quote inside a "
                                  'quoted cell ("" for ")')

    try:
        header = next(reader)
    except StopIteration:
        raise CatalogImportError("the catalog file is empty", hint="add a header row and product rows") from None
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise unclosed(1) from None
        raise CatalogImportError(f"{source}, line 1: the header is not valid CSV ({exc})") from None
    header = [h.strip() for h in header]
    twice = sorted({h for i, h in enumerate(header) if h and h in header[:i]})
    if twice:
        raise CatalogImportError(f"{source}: the column(s) {', '.join(twice)} appear more than once in the header",
                                 hint="give every column its own name (or drop the copy)")

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        previous_end = reader.line_num
        while True:
            start = previous_end + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "end of data" in str(exc):
                    raise unclosed(start) from None
                previous_end = reader.line_num
                yield start, {"__error__": f"not valid CSV ({exc})"}
                continue
            previous_end = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                yield start, {"__error__": f"{len(cells)} cells but the header has {len(header)} columns"}
                continue
            yield start, dict(zip(header, cells, strict=False))

    return header, rows()


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.split("\n"), start=1):  # physical lines (not str.splitlines)
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, {"__error__": f"invalid JSON: {exc.msg}"}
            continue
        if not isinstance(obj, dict):
            yield number, {"__error__": "a JSONL line must be an object"}
            continue
        yield number, obj


def is_jsonl(path: Path, text: str) -> bool:
    """Whether a catalog file is JSONL: by its suffix, else by whether ``text`` (its start) opens an object."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return True
    if suffix in (".csv", ".txt", ".tsv"):
        return False
    return text.lstrip().startswith("{")


def import_catalog(path: Path | str, strict: bool = False,
                   mapping: ColumnMapping | str | Path | Mapping[str, str] | None = None) -> ImportResult:
    """Import a CSV or JSONL catalog (by suffix, else sniffed); see the module docstring for columns.

    ``mapping`` renames the file's own columns to catalog fields (:class:`catalog.mapping.ColumnMapping`, or
    anything :meth:`ColumnMapping.parse` takes). Raises :class:`CatalogImportError` for a missing/unreadable
    file, missing CSV columns, a mapping naming a column the file lacks, or (``strict``) any bad row.
    Otherwise bad rows are skipped, returned in ``errors`` and summarised in a warning. Missing brands are
    inferred from the titles where clear (:func:`catalog.brands.fill_brands`).
    """
    from catalog.brands import fill_brands

    path = Path(path)
    columns = mapping if isinstance(mapping, ColumnMapping) else ColumnMapping.parse(mapping)
    if not path.is_file():
        raise CatalogImportError(f"catalog file not found: {path}",
                                 hint="pass an existing CSV/JSONL file, or omit --products for the embedded catalog")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogImportError(f"cannot read catalog {path}: {exc}", hint="save the file as UTF-8") from None
    if is_jsonl(path, text):
        rows: Iterator[tuple[int, dict[str, Any]]] = _jsonl_rows(text)
        if columns:  # a mapped column no object has is a typo, as for a CSV header
            keys: dict[str, None] = {}
            for _, obj in _jsonl_rows(text):
                keys.update(dict.fromkeys(k for k in obj if k != "__error__"))
            columns.check_header(list(keys), str(path))
    else:
        header, rows = _csv_rows(text, str(path))
        columns.check_header(header, str(path))
        fields = {columns.field_of(h) for h in header}
        missing = [c for c in REQUIRED if c not in fields]
        if not any(t in fields for t in TITLES):
            missing.append("title_zh or title_en")
        if missing:
            hint = (f"the header must contain {', '.join(REQUIRED)} and a title, under these names or mapped "
                    "with --map SOURCE=FIELD (see 'shopguide catalog inspect FILE')")
            raise CatalogImportError(
                f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(header) or 'none'}", hint=hint)
    categories = _category_lookup()
    base = path.resolve().parent
    products: list[Product] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, raw in rows:
        row_warnings: list[str] = []
        try:
            if "__error__" in raw:
                raise _RowInvalid(raw["__error__"])
            product = _product(columns.apply(raw) if columns else raw, categories, base, row_warnings)
            if product.id in first_line:
                raise _RowInvalid(f"duplicate id {product.id!r} (first on line {first_line[product.id]})")
        except _RowInvalid as exc:
            errors.append(RowError(line, str(exc)))
            continue
        warnings.extend(RowError(line, w) for w in row_warnings)
        first_line[product.id] = line
        products.append(product)
    if errors:
        listed = "; ".join(str(e) for e in errors[:_MAX_LISTED])
        more = f" (and {len(errors) - _MAX_LISTED} more)" if len(errors) > _MAX_LISTED else ""
        if strict:
            raise CatalogImportError(f"{path}: {len(errors)} bad row(s): {listed}{more}",
                                     hint="fix these rows, or import without strict mode to skip them")
        log.warning("skipped %d of %d rows in %s: %s%s", len(errors), len(errors) + len(products), path,
                    listed, more)
    if warnings:
        listed = "; ".join(str(w) for w in warnings[:_MAX_LISTED])
        log.warning("kept %d row(s) of %s without their image: %s", len(warnings), path, listed)
    products, inferred = fill_brands(products)
    if inferred:
        log.info("inferred the brand of %d of %d products from their titles", inferred, len(products))
    return ImportResult(products, errors, warnings, inferred)
