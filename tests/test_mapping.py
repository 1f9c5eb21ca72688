"""Column-mapping suggestions for real-shaped shop exports, file samples, and the index folder per mapping."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from catalog.errors import CatalogImportError
from catalog.importer import import_catalog
from catalog.mapping import ColumnMapping
from catalog.mapping_suggest import normalise_name, read_sample, suggest_mapping

SHOP_HEADER = ["goods_id", "goods_name", "goods_intro", "category_path", "selling_price", "original_price",
               "stock_num", "image"]
SHOP_ROWS = [
    ["G001", "迪奥烈艳蓝金口红 999 正红色", "经典正红色，滋润显色", "美妆 清洁 宠物 > 美妆 > 口红", "¥320.00",
     "¥350.00", "12", "https://img.example.com/goods/g001.jpg"],
    ["G002", "完美日记 小细跟口红 哑光", "哑光质地 持久不脱色", "美妆 清洁 宠物 > 美妆 > 口红", "¥89.90",
     "¥129.00", "40", "https://img.example.com/goods/g002.png"],
    ["G003", "花西子 空气蜜粉 控油定妆", "轻薄控油", "美妆 清洁 宠物 > 美妆 > 散粉", "¥149.00", "¥169.00",
     "8", "https://img.example.com/goods/g003.webp"],
    ["G004", "3CE 丝绒唇釉 口红", "雾面丝绒", "美妆 清洁 宠物 > 美妆 > 口红", "¥1,299.00", "¥1,399.00", "3", ""],
    ["G005", "皇家 成犬狗粮 10kg", "鸡肉味", "美妆 清洁 宠物 > 宠物 > 狗粮", "¥399.00", "¥459.00", "5", ""],
]
SHOP_SPEC = ("goods_id=id,goods_name=title_zh,goods_intro=description,category_path=category,"
             "selling_price=price,stock_num=stock,image=image_url")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def as_rows(header: list[str], rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(header, r, strict=True)) for r in rows]


def test_shop_export_gets_the_right_mapping_and_imports(tmp_path):
    path = write_csv(tmp_path / "shop.csv", SHOP_HEADER, SHOP_ROWS)
    sample = read_sample(path)
    assert sample.format == "csv" and sample.header == tuple(SHOP_HEADER) and len(sample.rows) == 5
    mapping = suggest_mapping(sample.header, sample.rows)
    assert mapping.to_spec() == SHOP_SPEC
    assert "original_price" not in mapping.as_dict  # the selling price wins
    result = import_catalog(path, mapping=mapping)
    assert [p.id for p in result.products] == ["G001", "G002", "G003", "G004", "G005"] and not result.errors
    assert result.products[3].price == 1299.0 and result.products[0].category == "美妆 清洁 宠物 > 美妆 > 口红"
    assert result.products[0].image_url == "https://img.example.com/goods/g001.jpg"


def test_chinese_and_camel_case_headers():
    header = ["商品ID", "宝贝标题", "英文名", "售价", "原价", "库存", "品牌", "主图", "评分", "销量", "标签", "类目", "详情"]
    row = ["A1", "李宁 跑步鞋", "Li-Ning running shoes", "¥399", "¥499", "7", "李宁", "https://x.cn/a.jpg",
           "4.6", "1200", "跑步;缓震", "运动 > 跑鞋", "轻便"]
    mapping = suggest_mapping(header, as_rows(header, [row]))
    assert mapping.as_dict == {"商品ID": "id", "宝贝标题": "title_zh", "英文名": "title_en", "售价": "price",
                               "库存": "stock", "品牌": "brand", "主图": "image_url", "评分": "rating",
                               "销量": "sales", "标签": "tags", "类目": "category", "详情": "description"}
    camel = ["goodsId", "goodsName", "salePrice", "marketPrice", "stockNum", "imageUrl"]
    mapping = suggest_mapping(camel, as_rows(camel, [["1", "Lipstick", "99", "129", "3", "a.png"]]))
    assert mapping.to_spec() == "goodsId=id,goodsName=title_en,salePrice=price,stockNum=stock,imageUrl=image_url"


@pytest.mark.parametrize("name,expected", [
    ("goodsName", "goods_name"), ("Image URL", "image_url"), ("商品ID", "商品id"), ("stock-num", "stock_num"),
    ("imageURLPath", "image_url_path"),
])
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


def test_title_language_follows_the_values():
    header = ["item_name", "name_en"]
    assert suggest_mapping(header, as_rows(header, [["口红", "Lipstick"]])).as_dict == {
        "item_name": "title_zh", "name_en": "title_en"}
    header = ["product_name"]
    assert suggest_mapping(header, as_rows(header, [["Lipstick"], ["Mascara"]])).as_dict == {
        "product_name": "title_en"}


def test_original_price_only_when_there_is_no_other_price():
    header = ["sku", "title", "原价", "qty"]
    rows = as_rows(header, [["1", "口红", "¥99", "2"]])
    assert suggest_mapping(header, rows).as_dict == {"sku": "id", "title": "title_zh", "原价": "price",
                                                     "qty": "stock"}
    header = ["sku", "title", "market_price", "price", "qty"]  # a column already called price keeps it
    rows = as_rows(header, [["1", "口红", "¥99", "89", "2"]])
    assert suggest_mapping(header, rows).as_dict == {"sku": "id", "title": "title_zh", "qty": "stock"}


def test_columns_named_as_fields_need_no_pair_and_each_field_is_filled_once():
    header = ["id", "title_zh", "goods_name", "price", "selling_price", "stock", "brand", "品牌"]
    rows = as_rows(header, [["1", "口红", "口红二", "9", "¥8", "1", "x", "y"]])
    assert suggest_mapping(header, rows) == ColumnMapping()
    header = ["Price", "Title_ZH", "ID", "Stock"]
    assert suggest_mapping(header, as_rows(header, [["9", "口红", "1", "2"]])).as_dict == {
        "Price": "price", "Title_ZH": "title_zh", "ID": "id", "Stock": "stock"}


def test_value_shapes_decide_when_names_do_not():
    header = ["code", "label", "cost", "link", "where", "remark"]
    rows = as_rows(header, [
        ["1", "Lipstick", "¥1,299.00", "https://cdn.shop.cn/p/1.JPG?w=200", "美妆 > 口红", "hello"],
        ["2", "Mascara", "￥89", "http://cdn.shop.cn/p/2.webp", "Beauty/Eyes", "world"],
    ])
    assert suggest_mapping(header, rows).as_dict == {"cost": "price", "link": "image_url", "where": "category"}
    # numbers without a currency, plain links and plain words are no evidence
    rows = as_rows(header, [["1", "x", "99", "https://shop.cn/item/1", "美妆", "a"]])
    assert suggest_mapping(header, rows) == ColumnMapping()


def test_ids_of_other_things_and_unfit_numbers_are_not_suggested():
    header = ["category_id", "shop_name", "score", "sub_title"]
    rows = as_rows(header, [["12", "旗舰店", "98", "新品"]])  # score 98 is no 0–5 rating
    assert suggest_mapping(header, rows) == ColumnMapping()


def test_read_sample_jsonl_bom_and_limits(tmp_path):
    jsonl = tmp_path / "shop.jsonl"
    jsonl.write_text(json.dumps({"goods_id": "A", "goods_name": "口红", "selling_price": 99}, ensure_ascii=False)
                     + "\nnot json\n" + json.dumps({"goods_id": "B", "stock_num": 3}) + "\n", encoding="utf-8")
    sample = read_sample(jsonl)
    assert sample.format == "jsonl" and sample.header == ("goods_id", "goods_name", "selling_price", "stock_num")
    assert sample.rows[0]["selling_price"] == "99" and len(sample.rows) == 2
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeff商品ID,标题\n1,口红\n\n2,眼影\n3,粉底\n".encode())
    sample = read_sample(bom, rows=2)
    assert sample.header == ("商品ID", "标题") and [r["商品ID"] for r in sample.rows] == ["1", "2"]
    with pytest.raises(CatalogImportError, match="catalog file not found"):
        read_sample(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CatalogImportError, match="empty"):
        read_sample(empty)


def test_index_folder_differs_by_mapping(tmp_path):
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    path = write_csv(tmp_path / "shop.csv", SHOP_HEADER, SHOP_ROWS)
    mapping_file = tmp_path / "shop.map"
    mapping_file.write_text("\n".join(SHOP_SPEC.split(",")) + "\n", encoding="utf-8")

    def index_dir(spec):
        return Services(Settings(home=tmp_path, catalog_path=path, catalog_map=spec)).index_dir

    plain = index_dir(None)
    assert plain.parent == tmp_path / "index" and plain.name.startswith("shop-")
    assert index_dir("") == plain
    mapped = index_dir(SHOP_SPEC)
    assert mapped != plain and mapped.name.startswith("shop-")
    assert index_dir("goods_id=id,goods_name=title_en,selling_price=price,stock_num=stock") != mapped
    # The same mapping written another way (spaces, a mapping file) is the same index.
    assert index_dir(SHOP_SPEC.replace(",", " , ")) == mapped
    assert index_dir(str(mapping_file)) == mapped
    # An explicit index folder is used as given.
    explicit = Services(Settings(home=tmp_path, catalog_path=path, catalog_map=SHOP_SPEC, index_dir=tmp_path / "i"))
    assert explicit.index_dir == tmp_path / "i"
