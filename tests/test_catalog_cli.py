"""``shopguide catalog index / search / evaluate`` through click's CliRunner (fake encoder, tiny catalog)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest_catalog import FakeEncoder

from chatbot.cli import cli


@pytest.fixture
def fake_encoder(monkeypatch):
    import chatbot.cli.catalog_cmd as mod

    monkeypatch.setattr(mod, "make_encoder", lambda spec: FakeEncoder(spec=spec))


def test_index_then_search_json(tmp_path, cat_products_path, fake_encoder):
    runner = CliRunner()
    out = tmp_path / "idx"
    r = runner.invoke(cli, ["catalog", "index", "--products", str(cat_products_path), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "indexed 12 products" in r.output and (out / "manifest.json").exists()
    r = runner.invoke(cli, ["catalog", "search", "500以内的跑步鞋", "--json", "--products", str(cat_products_path),
                            "--index", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["filters"]["max_price"] == 500 and data["filters"]["category"] == "shoes"
    assert data["items"] and all(i["category"] == "shoes" and i["price"] <= 500 for i in data["items"])
    for item in data["items"]:
        assert {"id", "title_zh", "title_en", "category", "brand", "price", "stock", "rating", "score",
                "parts"} <= set(item)


def test_search_builds_the_catalogs_own_index_in_home_and_reports_no_match(cat_products_path, fake_encoder,
                                                                           _isolated_home):
    """A --products file gets its own index folder under home (as 'serve --catalog' does): the embedded
    catalog's index/default is never overwritten, so a plain search afterwards still works."""
    runner = CliRunner()
    r = runner.invoke(cli, ["catalog", "search", "100以内的手机", "--json", "--products", str(cat_products_path),
                            "--recommender", "baseline"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["no_match"] is True and data["items"] == []
    assert data["hint"] == {"constraint": "price", "count": 3, "min_price_available": 3999.0}
    own = [p.parent for p in (_isolated_home / "index").glob("*/index.faiss")]
    assert [p.name.split("-")[0] for p in own] == [cat_products_path.stem]
    assert not (_isolated_home / "index" / "default").exists()
    r = runner.invoke(cli, ["catalog", "search", "500以内的跑步鞋"])  # the embedded catalog: its own index
    assert r.exit_code == 0, r.output
    assert (_isolated_home / "index" / "default" / "index.faiss").exists()
    r = runner.invoke(cli, ["catalog", "search", "100以内的手机", "--products", str(cat_products_path)])
    assert r.exit_code == 0 and r.output.splitlines()[-1] == (
        'no match; hint: {"constraint": "price", "count": 3, "min_price_available": 3999.0}')
    r = runner.invoke(cli, ["catalog", "search", "iphone 15", "--products", str(cat_products_path), "--k", "2",
                            "--intent", "0.9"])
    assert r.exit_code == 0 and "P1" in r.output.splitlines()[1]


def test_mismatched_index_is_a_clean_error(tmp_path, cat_products_path, monkeypatch):
    import chatbot.cli.catalog_cmd as mod

    runner = CliRunner()
    monkeypatch.setattr(mod, "make_encoder", lambda spec: FakeEncoder(spec="a"))
    runner.invoke(cli, ["catalog", "index", "--products", str(cat_products_path), "--out", str(tmp_path)])
    monkeypatch.setattr(mod, "make_encoder", lambda spec: FakeEncoder(dim=64, spec="b"))
    r = runner.invoke(cli, ["catalog", "search", "鞋", "--products", str(cat_products_path), "--index", str(tmp_path)])
    assert r.exit_code != 0 and "Error:" in r.output and "shopguide catalog index" in r.output
    assert "Traceback" not in r.output


def test_evaluate_json(cat_products_path, fake_encoder):
    r = CliRunner().invoke(cli, ["catalog", "evaluate", "--products", str(cat_products_path), "--n", "30", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert set(data["recommenders"]) == {"baseline", "intent", "popularity"} and data["sessions"] == 30
    r = CliRunner().invoke(cli, ["catalog", "evaluate", "--products", str(cat_products_path), "--n", "10"])
    assert r.exit_code == 0 and "ndcg@10" in r.output


def test_missing_catalog_file_is_a_clean_error(tmp_path, fake_encoder):
    r = CliRunner().invoke(cli, ["catalog", "index", "--products", str(tmp_path / "nope.csv")])
    assert r.exit_code != 0 and "catalog file not found" in r.output


@pytest.mark.slow
def test_default_index_and_search_with_real_e5(_isolated_home):
    """Fresh install: build the default index from the embedded catalog, then search it."""
    runner = CliRunner()
    r = runner.invoke(cli, ["-q", "catalog", "index"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["-q", "catalog", "search", "500以内的跑步鞋", "--json"])
    data = json.loads(r.output)
    assert data["items"] and all(i["category"] == "shoes" and i["price"] <= 500 for i in data["items"])
    assert any("跑" in i["subcategory"] for i in data["items"][:3])


# --- a shop's own export: --map and `catalog inspect` ---------------------------------------------------------
SHOP_CSV = """goods_id,goods_name,goods_intro,category_path,selling_price,original_price,stock_num,image
G001,迪奥烈艳蓝金口红 999 正红色,经典正红色 滋润显色,美妆 清洁 宠物 > 美妆 > 口红,"¥320.00","¥350.00",12,https://img.example.com/goods/g001.jpg
G002,完美日记 小细跟口红 哑光,哑光质地 持久不脱色,美妆 清洁 宠物 > 美妆 > 口红,"¥89.90","¥129.00",40,https://img.example.com/goods/g002.png
G003,花西子 空气蜜粉 控油定妆,轻薄控油,美妆 清洁 宠物 > 美妆 > 散粉,"¥149.00","¥169.00",8,https://img.example.com/goods/g003.webp
G004,3CE 丝绒唇釉 口红,雾面丝绒,美妆 清洁 宠物 > 美妆 > 口红,"¥1,299.00","¥1,399.00",3,
G005,卡姿兰 水润口红 平价,学生党 日常,美妆 清洁 宠物 > 美妆 > 口红,"¥59.00","¥79.00",25,ftp://img.example.com/g005.jpg
G006,皇家 成犬狗粮 10kg,鸡肉味,美妆 清洁 宠物 > 宠物 > 狗粮,"¥399.00","¥459.00",5,
G007,洁柔 抽纸 24包,三层加厚,美妆 清洁 宠物 > 清洁 > 纸巾,面议,"¥69.00",30,
"""
SHOP_SPEC = ("goods_id=id,goods_name=title_zh,goods_intro=description,category_path=category,"
             "selling_price=price,stock_num=stock,image=image_url")


@pytest.fixture
def shop_csv(tmp_path):
    path = tmp_path / "shop_export.csv"
    path.write_text(SHOP_CSV, encoding="utf-8")
    return path


def test_inspect_suggests_a_ready_map(shop_csv):
    r = CliRunner().invoke(cli, ["catalog", "inspect", str(shop_csv), "--rows", "2"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == f"{shop_csv} (CSV, 8 columns)"
    row = {line.split()[0]: line for line in lines[1:9]}
    assert set(row) == {"goods_id", "goods_name", "goods_intro", "category_path", "selling_price",
                        "original_price", "stock_num", "image"}
    assert "-> title_zh" in row["goods_name"] and "迪奥烈艳蓝金口红 999 正红色 | 完美日记 小细跟口红 哑光" in row["goods_name"]
    assert "-> -" in row["original_price"] and "¥350.00 | ¥129.00" in row["original_price"]
    assert "G003" not in row["goods_id"]  # --rows 2
    assert "https://img.example.com…" in row["image"]  # long values are truncated
    assert f"suggested mapping: --map {SHOP_SPEC}" in lines
    assert "accepted" not in r.output and f"--map {SHOP_SPEC}" in lines[-1]  # not imported without a mapping


def test_inspect_with_map_imports_and_reports(shop_csv):
    from catalog.importer import import_catalog

    expected = import_catalog(shop_csv, mapping=SHOP_SPEC)
    assert expected.inferred_brands > 0
    r = CliRunner().invoke(cli, ["-q", "catalog", "inspect", str(shop_csv), "--map", SHOP_SPEC])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "import with the given --map: 6 products accepted, 1 skipped" in out
    assert "line 8: price: not a number: '面议'" in out
    assert "images dropped: 1" in out and "line 6: image_url: only http(s) URLs" in out
    assert f"brands inferred: {expected.inferred_brands}" in out
    tree = out[out.index("category tree:"):].splitlines()[1:]
    assert tree == ["  美妆 清洁 宠物 (6)", "    美妆 (5)", "      口红 (4)", "      散粉 (1)", "    宠物 (1)",
                    "      狗粮 (1)"]
    r = CliRunner().invoke(cli, ["-q", "catalog", "inspect", str(shop_csv), "--map", SHOP_SPEC, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["format"] == "csv" and data["suggested_map"] == SHOP_SPEC and data["map"] == SHOP_SPEC
    assert [c["field"] for c in data["columns"]] == ["id", "title_zh", "description", "category", "price", None,
                                                     "stock", "image_url"]
    assert data["columns"][4]["examples"] == ["¥320.00", "¥89.90", "¥149.00"]
    report = data["import"]
    assert (report["accepted"], report["skipped"], report["images_dropped"]) == (6, 1, 1)
    assert report["inferred_brands"] == expected.inferred_brands and "口红 (4)" in report["category_tree"]


def test_inspect_a_catalog_already_in_field_names_imports_it(cat_products_path):
    r = CliRunner().invoke(cli, ["catalog", "inspect", str(cat_products_path)])
    assert r.exit_code == 0, r.output
    assert "suggested mapping: none needed" in r.output
    assert "import: 12 products accepted, 0 skipped" in r.output and "brands inferred: 0" in r.output
    assert "鞋靴 (6)" in r.output  # the built-in categories by their names


def test_index_and_search_a_shop_export_with_map(tmp_path, shop_csv, fake_encoder):
    runner = CliRunner()
    out = tmp_path / "idx"
    r = runner.invoke(cli, ["catalog", "index", "--products", str(shop_csv), "--out", str(out)])
    assert r.exit_code != 0 and "missing column(s) id, price, stock, title_zh or title_en" in r.output
    assert "catalog inspect" in r.output and "Traceback" not in r.output
    r = runner.invoke(cli, ["-q", "catalog", "index", "--products", str(shop_csv), "--map", SHOP_SPEC,
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "indexed 6 products" in r.output
    r = runner.invoke(cli, ["-q", "catalog", "search", "200以内的口红", "--json", "--products", str(shop_csv),
                            "--map", SHOP_SPEC, "--index", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["filters"]["max_price"] == 200
    ids = [i["id"] for i in data["items"]]
    assert set(ids) == {"G002", "G005"}  # the lipsticks within budget, not the 蜜粉, 狗粮 or dearer lipsticks
    assert all(i["category"] == "美妆 清洁 宠物 > 美妆 > 口红" and i["price"] <= 200 for i in data["items"])
    r = runner.invoke(cli, ["-q", "catalog", "search", "200以内的口红", "--products", str(shop_csv), "--map",
                            SHOP_SPEC, "--index", str(out)])
    line = next(x for x in r.output.splitlines() if "G002" in x)
    assert "¥89.9 " in line and "not rated" in line  # the price as stored, no "★0.0" for an unrated product
    r = runner.invoke(cli, ["catalog", "search", "  ", "--products", str(shop_csv), "--map", SHOP_SPEC])
    assert r.exit_code == 2 and "the query is empty" in r.output
    # A mapping file works the same, and the index is not rebuilt.
    map_file = tmp_path / "shop.json"
    map_file.write_text(json.dumps(dict(p.split("=") for p in SHOP_SPEC.split(","))), encoding="utf-8")
    r = runner.invoke(cli, ["-q", "catalog", "search", "200以内的口红", "--json", "--products", str(shop_csv),
                            "--map", str(map_file), "--index", str(out)])
    assert r.exit_code == 0, r.output
    assert {i["id"] for i in json.loads(r.output)["items"]} == set(ids)


def test_evaluate_a_shop_export_with_map(shop_csv, fake_encoder):
    r = CliRunner().invoke(cli, ["-q", "catalog", "evaluate", "--products", str(shop_csv), "--map", SHOP_SPEC,
                                 "--n", "10", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["sessions"] == 10


@pytest.mark.parametrize("spec,message", [
    ("goods_id=id,goods_name=titel", "'titel' is not a catalog field"),
    ("goods_id=id,goods_nam=title_zh", "names column(s) goods_nam that the file lacks"),
    ("goods_id", "column mapping file not found: goods_id"),
])
@pytest.mark.parametrize("command", [
    ["catalog", "index"], ["catalog", "search", "口红"], ["catalog", "evaluate", "--n", "5"], ["catalog", "inspect"],
])
def test_bad_mapping_is_a_clean_error(shop_csv, fake_encoder, command, spec, message):
    file_args = [str(shop_csv)] if command[1] == "inspect" else ["--products", str(shop_csv)]
    r = CliRunner().invoke(cli, [*command, *file_args, "--map", spec])
    assert r.exit_code != 0 and isinstance(r.exception, SystemExit), r.exception  # handled, not a crash
    assert "Error: " in r.output and message in r.output and "hint: " in r.output
    assert "Traceback" not in r.output


def test_map_needs_a_catalog_file(fake_encoder):
    r = CliRunner().invoke(cli, ["catalog", "search", "口红", "--map", SHOP_SPEC])
    assert r.exit_code == 2 and "--map needs a catalog file (--products FILE)" in r.output


@pytest.mark.parametrize("command", [["serve"], ["ab", "simulate"], ["catalog", "index"], ["catalog", "search"],
                                     ["catalog", "evaluate"], ["catalog", "inspect"]])
def test_map_is_in_the_help(command):
    r = CliRunner().invoke(cli, [*command, "--help"])
    assert r.exit_code == 0 and "--map SPEC" in r.output and "goods_name=title_zh" in r.output


def test_serve_passes_the_map_to_its_settings(shop_csv, monkeypatch):
    import sys
    import types

    served = []
    fake_server = types.ModuleType("chatbot.web.server")  # the real one would bind a port
    fake_server.serve = served.append
    monkeypatch.setitem(sys.modules, "chatbot.web.server", fake_server)
    r = CliRunner().invoke(cli, ["serve", "--catalog", str(shop_csv), "--map", SHOP_SPEC, "--port", "9999"])
    assert r.exit_code == 0, r.output
    (settings,) = served
    assert settings.catalog_path == shop_csv and settings.catalog_map == SHOP_SPEC and settings.port == 9999
    r = CliRunner().invoke(cli, ["serve", "--catalog", str(shop_csv), "--map", "goods_id=id,nope=price"])
    assert r.exit_code == 1 and "nope" in r.output and "Traceback" not in r.output and len(served) == 1
    r = CliRunner().invoke(cli, ["serve", "--map", SHOP_SPEC])
    assert r.exit_code == 2 and "--map needs a catalog file (--catalog FILE)" in r.output and len(served) == 1


def test_ab_simulate_shops_in_a_mapped_export(tmp_path, shop_csv, monkeypatch, chat_intent_model):
    """A few simulated shoppers in the shop's own export: the mapping reaches the engine the services build,
    whose index gets the folder of this file and this mapping."""
    from chatbot.service.wiring import Services

    built = []

    def make(settings):
        built.append(Services(settings, intent_model=chat_intent_model, encoder=FakeEncoder()))
        return built[-1]

    monkeypatch.setattr("chatbot.cli.ab_cmd._services", make)
    db = tmp_path / "sim.db"
    r = CliRunner().invoke(cli, ["-q", "ab", "simulate", "--sessions", "3", "--db", str(db), "--catalog",
                                 str(shop_csv), "--map", SHOP_SPEC, "--threads", "0", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output.splitlines()[-1])["sessions"] == 3
    (services,) = built
    assert services.settings.catalog_map == SHOP_SPEC
    assert [p.id for p in services.engine.products] == ["G001", "G002", "G003", "G004", "G005", "G006"]
    assert (services.index_dir / "manifest.json").exists()
    assert services.index_dir != Services(services.settings.with_(catalog_map=None)).index_dir
    r = CliRunner().invoke(cli, ["-q", "ab", "simulate", "--sessions", "3", "--db", str(tmp_path / "b.db"),
                                 "--catalog", str(shop_csv), "--map", "goods_id=sku_id"])
    assert r.exit_code != 0 and "'sku_id' is not a catalog field" in r.output and len(built) == 1
