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


def test_search_builds_the_default_index_in_home_and_reports_no_match(cat_products_path, fake_encoder,
                                                                     _isolated_home):
    runner = CliRunner()
    r = runner.invoke(cli, ["catalog", "search", "100以内的手机", "--json", "--products", str(cat_products_path),
                            "--recommender", "baseline"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["no_match"] is True and data["items"] == []
    assert data["hint"] == {"constraint": "price", "count": 3, "min_price_available": 3999.0}
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
