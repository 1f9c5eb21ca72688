"""Suggest a column mapping for a shop's own export, from its column names and a few of its values.

Names decide first (English and Chinese, snake or camel case: ``goods_name``, ``goodsName``, ``商品名称``); a
title column becomes ``title_zh`` when its values are Chinese, else ``title_en``; a selling price wins over an
original/market price (``原价`` is only taken when there is no other price). Columns the names leave open are
judged by their values: prices written with a currency (``¥1,299.00``) → ``price``, ``>`` or ``/`` paths →
``category``, http(s) links to image files → ``image_url``. Columns already named as catalog fields keep them
(no pair needed), and each field is filled by one column at most. :func:`read_sample` reads a file's header and
first rows for ``shopguide catalog inspect``.

Example:
    >>> header = ["goods_id", "goods_name", "category_path", "selling_price", "original_price", "stock_num"]
    >>> rows = [{"goods_id": "G1", "goods_name": "丝绒口红", "category_path": "美妆 > 口红",
    ...          "selling_price": "¥99.00", "original_price": "¥129.00", "stock_num": "5"}]
    >>> suggest_mapping(header, rows).to_spec()
    'goods_id=id,goods_name=title_zh,category_path=category,selling_price=price,stock_num=stock'
"""

from __future__ import annotations

import csv
import json
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

from catalog.errors import CatalogImportError
from catalog.importer import is_jsonl
from catalog.mapping import FIELDS, ColumnMapping
from catalog.taxonomy import is_path

__all__ = ["Sample", "read_sample", "suggest_mapping", "normalise_name"]

log = logging.getLogger(__name__)

_TITLE = "title"  # resolved to title_zh or title_en by the column's values

# Score of a guess: a column named as a field > a known name > a name containing a known word > a value shape.
_EXACT, _SELLING, _NAMED, _WORD, _SHAPE, _LAST_RESORT = 100, 85, 80, 50, 30, 10

_NAMES: dict[str, tuple[str, int]] = {}


def _names(field: str, score: int, *names: str) -> None:
    for name in names:
        _NAMES[name] = (field, score)


_names("id", _NAMED, "id", "goods_id", "item_id", "product_id", "sku", "sku_id", "spu_id", "goods_sn",
       "item_no", "product_code", "商品id", "商品编号", "宝贝id", "编号", "货号")
_names(_TITLE, _NAMED, "goods_name", "item_name", "product_name", "name", "title", "goods_title", "item_title",
       "product_title", "商品名称", "商品名", "名称", "标题", "宝贝标题", "商品标题", "宝贝名称")
_names("title_en", _SELLING, "name_en", "title_en", "english_title", "english_name", "en_title", "en_name",
       "英文名", "英文名称", "英文标题")
_names("title_zh", _SELLING, "name_zh", "title_zh", "chinese_title", "chinese_name", "zh_title", "zh_name",
       "中文名", "中文名称", "中文标题")
_names("description", _NAMED, "goods_intro", "description", "desc", "detail", "details", "intro",
       "goods_desc", "product_description", "简介", "详情", "描述", "商品描述", "商品简介", "商品详情")
_names("category", _NAMED, "category", "category_path", "cat", "cat_path", "category_name", "类目", "分类",
       "类别", "商品类目", "商品分类")
_names("subcategory", _NAMED, "subcategory", "sub_category", "子类目", "子分类")
_names("price", _SELLING, "selling_price", "sale_price", "sell_price", "current_price", "final_price",
       "售价", "现价", "销售价", "促销价")
_names("price", _NAMED, "price", "价格", "单价")
_names("price", _LAST_RESORT, "original_price", "market_price", "list_price", "orig_price", "原价", "市场价",
       "划线价")
_names("stock", _NAMED, "stock", "stock_num", "stock_qty", "inventory", "quantity", "qty", "库存",
       "库存数量", "库存量")
_names("brand", _NAMED, "brand", "brand_name", "品牌", "品牌名称")
_names("image_url", _NAMED, "image", "image_url", "img", "img_url", "pic", "pic_url", "picture", "thumbnail",
       "main_image", "主图", "图片", "商品图片", "主图链接", "图片链接")
_names("rating", _NAMED, "rating", "score", "评分")
_names("sales", _NAMED, "sales", "sold", "sales_volume", "sales_count", "销量", "月销量")
_names("tags", _NAMED, "tags", "tag", "标签")

_ORIGINAL_PRICE = ("original", "market", "list", "orig", "原价", "市场", "划线")
_SELLING_PRICE = ("selling", "sale", "sell", "current", "final", "售", "现价", "促销")
_PRODUCT_WORDS = ("goods", "item", "product", "sku", "spu", "商品", "宝贝")
_NOT_TITLE = ("shop", "store", "brand", "店铺", "品牌", "category", "类目", "sub", "副")
_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stock", ("stock", "inventory", "库存")),
    ("image_url", ("image", "img", "pic", "photo", "主图", "图片")),
    ("category", ("category", "类目", "分类", "类别")),
    ("brand", ("brand", "品牌")),
    ("description", ("desc", "intro", "detail", "简介", "详情", "描述")),
    ("sales", ("sales", "sold", "销量")),
    ("rating", ("rating", "评分")),
    ("tags", ("tag", "标签")),
)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CURRENCY = re.compile(r"^\s*(?:[¥￥$]|rmb|cny)|(?:元|rmb|cny)\s*$", re.I)
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp")


def normalise_name(name: str) -> str:
    """A column name in one spelling: NFKC, camelCase split, lower case, ``_`` between words.

    >>> normalise_name("goodsName"), normalise_name(" Image URL "), normalise_name("商品ID")
    ('goods_name', 'image_url', '商品id')
    """
    text = unicodedata.normalize("NFKC", name).strip()
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", text)  # "imageURLPath" -> "image_URL_Path"
    return re.sub(r"[\s\-./:]+", "_", text.casefold()).strip("_")


def _by_words(name: str) -> tuple[str, int] | None:
    """A guess from the words inside a name the table does not know (``goods_stock_num``, ``商品售价``)."""
    if name.endswith("id") or "编号" in name or "货号" in name:
        prefix = name.removesuffix("id").rstrip("_")
        if prefix in _PRODUCT_WORDS or "编号" in name or "货号" in name:
            return "id", _WORD
        return None  # category_id, shop_id ...: ids of something else
    if ("price" in name or "价格" in name or name.endswith("价")) and "评价" not in name:
        if any(w in name for w in _ORIGINAL_PRICE):
            return "price", _LAST_RESORT
        return "price", _WORD + 5 if any(w in name for w in _SELLING_PRICE) else _WORD
    titled = "title" in name or "标题" in name or "名称" in name or (
        name.endswith("_name") and name.removesuffix("_name") in _PRODUCT_WORDS)
    if titled and not any(w in name for w in _NOT_TITLE):
        words = set(name.split("_"))
        if words & {"en", "english"} or "英文" in name:
            return "title_en", _WORD
        if words & {"zh", "cn", "chinese"} or "中文" in name:
            return "title_zh", _WORD
        return _TITLE, _WORD
    for field, words in _WORDS:
        if any(w in name for w in words):
            return field, _WORD
    return None


def _values(rows: Sequence[Mapping[str, str]], column: str) -> list[str]:
    out = []
    for row in rows:
        value = row.get(column)
        if value is not None and str(value).strip():
            out.append(str(value).strip())
    return out


def _mostly(values: Sequence[str], test, share: float = 0.8) -> bool:
    return bool(values) and sum(1 for v in values if test(v)) >= share * len(values)


def _is_image_link(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https"):
        return bool(parts.netloc) and parts.path.lower().endswith(_IMAGE_SUFFIXES)
    return not parts.scheme and value.lower().endswith(_IMAGE_SUFFIXES)  # a local file next to the catalog


def _is_price(value: str) -> bool:
    from catalog.importer import parse_price

    if not _CURRENCY.search(unicodedata.normalize("NFKC", value)):
        return False
    try:
        parse_price(value)
    except ValueError:
        return False
    return True


def _is_category_path(value: str) -> bool:
    return not urlsplit(value).scheme and not value.lower().endswith(_IMAGE_SUFFIXES) and is_path(value)


def _by_shape(values: Sequence[str]) -> tuple[str, int] | None:
    """A guess from what the values look like (only for columns whose name says nothing)."""
    if _mostly(values, _is_image_link):
        return "image_url", _SHAPE
    if _mostly(values, _is_price):
        return "price", _SHAPE
    if _mostly(values, _is_category_path):
        return "category", _SHAPE
    return None


def _number_in(low: float, high: float | None, integer: bool):
    def test(value: str) -> bool:
        try:
            number = float(unicodedata.normalize("NFKC", value))
        except ValueError:
            return False
        return number >= low and (high is None or number <= high) and (not integer or number == int(number))

    return test


# Optional numeric fields whose bad values would skip the whole row: only suggested when the values fit.
_FITS = {"rating": _number_in(0.0, 5.0, False), "sales": _number_in(0.0, None, True)}


def suggest_mapping(header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> ColumnMapping:
    """The mapping that most likely turns ``header`` (with sample ``rows``) into catalog fields.

    Columns already named as fields map to themselves and need no pair; a column is suggested for one field
    at most and each field gets one column at most (the best-scored guess wins; ties go to the leftmost column).
    """
    guesses: list[tuple[int, int, str, str]] = []  # (-score, position, column, field)
    for position, column in enumerate(header):
        if not column or not column.strip():
            continue
        values = _values(rows, column)
        if column in FIELDS:
            guess: tuple[str, int] | None = (column, _EXACT)
        else:
            name = normalise_name(column)
            if name in FIELDS:
                guess = (name, _EXACT - 5)  # "Price", "Title_ZH": the field under another spelling
            else:
                guess = _NAMES.get(name) or _by_words(name) or _by_shape(values)
        if guess is None:
            continue
        field, score = guess
        if field == _TITLE:
            field = "title_zh" if _mostly(values, _HAN.search, 0.5) or not values else "title_en"
        fits = _FITS.get(field)
        if fits is not None and column not in FIELDS and not _mostly(values, fits, 0.5):
            log.debug("not suggesting %s for column %r: its values do not fit", field, column)
            continue
        guesses.append((-score, position, column, field))
    chosen: dict[str, str] = {}  # column -> field
    taken: set[str] = set()
    for _, _, column, field in sorted(guesses):
        if column in chosen or field in taken:
            continue
        chosen[column] = field
        taken.add(field)
    return ColumnMapping(tuple((c, chosen[c]) for c in header if c in chosen and chosen[c] != c))


@dataclass(frozen=True)
class Sample:
    """A catalog file's columns (in file order) and its first rows, as text."""

    path: Path
    format: str  # "csv" or "jsonl"
    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _jsonl_objects(lines: Iterator[str]) -> Iterator[dict]:
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue  # the importer reports bad lines; a sample only needs good ones
        if isinstance(obj, dict):
            yield obj


def read_sample(path: Path | str, rows: int = 200) -> Sample:
    """The header and first ``rows`` rows of a CSV or JSONL catalog (JSONL: the keys of those rows, in order
    of appearance). Reads only as much of the file as it needs."""
    path = Path(path)
    if not path.is_file():
        raise CatalogImportError(f"catalog file not found: {path}", hint="pass an existing CSV/JSONL file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
            fh.seek(0)
            if is_jsonl(path, first):
                objects = list(islice(_jsonl_objects(fh), rows))
                header: dict[str, None] = {}
                for obj in objects:
                    header.update(dict.fromkeys(str(k) for k in obj))
                return Sample(path, "jsonl", tuple(header),
                              tuple({str(k): _text(v) for k, v in obj.items()} for obj in objects))
            reader = csv.reader(fh)
            names = [h.strip() for h in next(reader, [])]
            if not names:
                raise CatalogImportError(f"{path}: the catalog file is empty",
                                         hint="add a header row and product rows")
            cells = (c for c in reader if any(x.strip() for x in c))
            sample = tuple(dict(zip(names, c, strict=False)) for c in islice(cells, rows))
            return Sample(path, "csv", tuple(names), sample)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CatalogImportError(f"cannot read catalog {path}: {exc}", hint="save the file as UTF-8") from None
