"""``shopguide catalog index --engine ray``: the catalog embedded by Ray Data actors (local Ray, real e5) gives
the same vectors, in the same order, as the local engine, and an index the app loads."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from catalog.index import ProductIndex, encode_passages
from catalog.products import load_products
from catalog.ray_embed import encode_passages_ray
from chatbot.cli.root import cli
from intent.encoders import make_encoder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def products():
    every = load_products()
    return every[::30]  # 61 products from every category


def test_ray_vectors_equal_the_local_ones_in_catalog_order(products):
    texts = [p.text_for_index() for p in products]
    local = encode_passages(texts, make_encoder("e5"), table=None)
    ray_vecs = encode_passages_ray(texts, "e5", workers=1, batch_rows=16)
    ray_vecs /= np.linalg.norm(ray_vecs, axis=1, keepdims=True)
    assert ray_vecs.shape == local.shape
    assert np.allclose(ray_vecs, local, atol=1e-5)


def test_the_cli_builds_an_index_the_app_loads(products, tmp_path):
    catalog = tmp_path / "c.jsonl"
    catalog.write_text("\n".join(json.dumps(p.to_dict(), ensure_ascii=False) for p in products) + "\n",
                       encoding="utf-8")
    out = tmp_path / "index"
    result = CliRunner().invoke(cli, ["catalog", "index", "--products", str(catalog), "--out", str(out),
                                      "--engine", "ray", "--workers", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"indexed {len(products)} products" in result.output
    idx = ProductIndex.load(out, make_encoder("e5"), load_products(catalog))
    assert idx.ntotal == len(products) and (out / "taxonomy.json").is_file()
    q = make_encoder("e5").encode(["跑步鞋"], kind="query")
    _, ix = idx.search(np.asarray(q), 3)
    assert {products[i].category for i in ix[0]} == {"shoes"}
