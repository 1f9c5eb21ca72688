"""CSV/JSONL import: row-by-row validation with line numbers, strict mode, exact text."""

from __future__ import annotations

import json
import logging
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.errors import CatalogImportError
from catalog.importer import import_catalog, parse_price, resolve_category

HEADER = "id,title_zh,title_en,category,subcategory,brand,price,stock,rating,sales,tags,attributes,description\n"


def write(tmp_path, text, name="c.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_csv_with_bad_rows_reports_them_by_line(tmp_path, caplog):
    text = HEADER + "\n".join([
        'A1,李宁 跑步鞋 😀,Li-Ning,shoes,跑步鞋,李宁,"1,299.00",5,4.5,10,跑步;缓震,"{""颜色"": ""白""}",好穿',  # 2 ok
        "A2,x,x,shoes,,b,abc,1,4,1,,,",                 # 3 bad price
        "A3,x,x,shoes,,b,-5,1,4,1,,,",                  # 4 negative price
        "A4,x,x,shoes,,b,nan,1,4,1,,,",                 # 5 NaN
        "A5,x,x,shoes,,b,inf,1,4,1,,,",                 # 6 inf
        "A6,x,x,shoes,,b,10,-1,4,1,,,",                 # 7 negative stock
        "A7,x,x,shoes,,b,10,1.5,4,1,,,",                # 8 fractional stock
        "A8,x,x,shoes,,b,10,1,5.5,1,,,",                # 9 rating > 5
        "A9,x,x,spaceships,,b,10,1,4,1,,,",             # 10 ok: the shop's own category
        "A1,x,x,shoes,,b,10,1,4,1,,,",                  # 11 duplicate id
        ",x,x,shoes,,b,10,1,4,1,,,",                    # 12 missing id
        "B1,耳机,,跑鞋,,b,¥1299,0,,,a|b,色=黑;尺码=L,",   # 13 ok: synonym category, ¥ price, k=v attributes
        "B2,x,x,shoes,,b,10,1,4,1,,bad-attr,",          # 14 bad attributes
    ]) + "\n"
    with caplog.at_level(logging.WARNING, logger="catalog.importer"):
        result = import_catalog(write(tmp_path, text))
    assert [p.id for p in result.products] == ["A1", "A9", "B1"]
    by_line = {e.line: e.reason for e in result.errors}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 11, 12, 14]
    assert "price" in by_line[3] and "'abc'" in by_line[3]
    assert "negative" in by_line[4]
    assert "stock" in by_line[7] and "stock" in by_line[8]
    assert "rating" in by_line[9]
    assert "duplicate id 'A1'" in by_line[11] and "line 2" in by_line[11]
    assert "missing" in by_line[12] and "id" in by_line[12]
    assert "attributes" in by_line[14]
    a1, a9, b1 = result.products
    assert a9.category == "spaceships"
    assert a1.title_zh == "李宁 跑步鞋 😀" and a1.price == 1299.0 and a1.tags == ("跑步", "缓震")
    assert dict(a1.attributes) == {"颜色": "白"}
    assert b1.category == "shoes" and b1.subcategory == "跑鞋" and b1.price == 1299.0 and b1.rating == 0.0 and b1.tags == ("a", "b")
    assert dict(b1.attributes) == {"色": "黑", "尺码": "L"}
    assert "skipped 10 of 13 rows" in caplog.text


def test_strict_mode_raises_listing_bad_lines(tmp_path):
    path = write(tmp_path, HEADER + "A,x,x,shoes,,b,10,1,4,1,,,\nB,x,x,shoes,,b,abc,1,4,1,,,\n")
    with pytest.raises(CatalogImportError, match="line 3: price"):
        import_catalog(path, strict=True)


def test_physical_line_numbers_with_multiline_cells_and_blank_lines(tmp_path):
    text = HEADER + 'A,"两行\n标题",x,shoes,,b,10,1,4,1,,,\n\nB,x,x,shoes,,b,oops,1,4,1,,,\n'
    result = import_catalog(write(tmp_path, text))
    assert result.products[0].title_zh == "两行\n标题"
    assert [e.line for e in result.errors] == [5]


def test_bom_and_jsonl(tmp_path):
    csv_path = write(tmp_path, "\ufeff" + HEADER + "A,x,x,shoes,,b,10,1,4,1,,,\n", encoding="utf-8")
    assert [p.id for p in import_catalog(csv_path).products] == ["A"]
    rows = [{"id": "J1", "title_zh": "跑鞋 🏃", "category": "shoes", "brand": "b", "price": 9.5, "stock": 2,
             "tags": ["x"], "attributes": {"k": 1}},
            "not json",
            {"id": "J2", "title_zh": "x", "category": "shoes", "brand": "b", "price": True, "stock": 2}]
    text = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    result = import_catalog(write(tmp_path, "\ufeff" + text, name="c.jsonl"))
    assert [p.id for p in result.products] == ["J1"]
    assert result.products[0].title_zh == "跑鞋 🏃" and dict(result.products[0].attributes) == {"k": "1"}
    assert [e.line for e in result.errors] == [2, 3]


def test_missing_file_and_missing_columns_are_clear_errors(tmp_path):
    with pytest.raises(CatalogImportError, match="not found"):
        import_catalog(tmp_path / "nope.csv")
    with pytest.raises(CatalogImportError, match="missing column.*price.*stock"):
        import_catalog(write(tmp_path, "id,title_zh,category,brand\nA,x,shoes,b\n"))


@pytest.mark.parametrize("raw,expected", [("1,299.00", 1299.0), ("¥1299", 1299.0), ("￥ 88", 88.0), ("99元", 99.0),
                                          ("０.５", 0.5), (12, 12.0), ("1299", 1299.0)])
def test_parse_price_accepts(raw, expected):
    assert parse_price(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "-1", "nan", "inf", "", "1,29", "12,34.5", float("nan"), float("inf"), True, None,
                                 "1.2.3", "$5"])
def test_parse_price_rejects(raw):
    with pytest.raises(ValueError):
        parse_price(raw)


def test_resolve_category_maps_synonyms():
    assert resolve_category("跑步鞋") == "shoes"
    assert resolve_category("Running Shoes") == "shoes"
    assert resolve_category("手机") == "phones"
    assert resolve_category("火箭") is None


@settings(max_examples=40, deadline=None)
@given(title=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() and "\r" not in s and "\x00" not in s))
def test_odd_text_is_kept_exactly(tmp_path_factory, title):
    path = tmp_path_factory.mktemp("odd") / "c.jsonl"
    row = {"id": "X", "title_zh": title, "category": "shoes", "brand": "b", "price": 1, "stock": 1,
           "description": title}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (p,) = import_catalog(path, strict=True).products
    assert p.title_zh == title and p.description == title
    assert not math.isnan(p.price)


def test_awkward_csv_files_are_read_or_refused_with_the_line(tmp_path, caplog):
    head = "id,title_zh,price,stock,description\n"
    long = tmp_path / "long.csv"  # a 140,000-character cell (Python's csv stops at 131,072 by default)
    long.write_text(head + "A,鞋,10,1," + "长" * 140_000 + "\nB,包,20,1,ok\n", encoding="utf-8")
    assert [p.id for p in import_catalog(long).products] == ["A", "B"]
    unclosed = tmp_path / "unclosed.csv"  # would swallow every later row into one description
    unclosed.write_text(head + 'A,鞋,10,1,"open quote\nB,包,20,1,ok\nC,帽,5,1,ok\n', encoding="utf-8")
    with pytest.raises(CatalogImportError, match="line 2: a quoted cell is never closed"):
        import_catalog(unclosed)
    stray = tmp_path / "stray.csv"  # a stray quote: that row is reported, the others load; an inch mark is fine
    stray.write_text(head + 'A,鞋,10,1,"q"x\nB,屏幕15.6"的本,20,1,ok\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="catalog.importer"):
        result = import_catalog(stray)
    assert [p.id for p in result.products] == ["B"] and result.products[0].title_zh == '屏幕15.6"的本'
    assert [e.line for e in result.errors] == [2] and "not valid CSV" in result.errors[0].reason
    twice = tmp_path / "twice.csv"
    twice.write_text("id,title_zh,price,stock,price\nA,鞋,10,1,99\n", encoding="utf-8")
    with pytest.raises(CatalogImportError, match="price appear more than once"):
        import_catalog(twice)


def test_an_unusable_image_path_drops_the_image_not_the_row(tmp_path):
    f = tmp_path / "img.csv"
    f.write_text("id,title_zh,price,stock,image_url\nA,鞋,10,1,~nosuchuser_xyz/a.jpg\nB,包,20,1," + "y" * 300
                 + ".jpg\n", encoding="utf-8")
    result = import_catalog(f)
    assert [(p.id, p.image_url) for p in result.products] == [("A", ""), ("B", "")]
    assert [w.line for w in result.warnings] == [2, 3] and all("not a usable path" in w.reason for w in result.warnings)


def test_a_mapping_typo_on_a_jsonl_catalog_is_an_error_before_loading(tmp_path):
    f = tmp_path / "shop.jsonl"
    f.write_text(json.dumps({"goods_id": "A", "title_zh": "鞋", "price": 10, "stock": 1}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    with pytest.raises(CatalogImportError, match="names column.s. goods_idd that the file lacks"):
        import_catalog(f, mapping="goods_idd=id")
    assert [p.id for p in import_catalog(f, mapping="goods_id=id").products] == ["A"]
