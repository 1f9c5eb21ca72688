"""The encoder contract, run against every encoder (tfidf, e5, fine-tuned e5, a tiny GPT-2, combinations)."""

from __future__ import annotations

import json
import pickle
import time
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pytest
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import Normalizer

from intent.encoders import Encoder, e5, make_encoder
from intent.encoders.base import Lazy
from intent.errors import ConfigError, EncoderError
from intent.features import EncoderTransformer

TEXTS = [
    "我想买一双跑鞋", "这个要了", "有没有500元以内的耳机？", "随便看看",
    "iPhone 15 256G 多少钱", "I'll take it, add to cart please", "你好", "这款耳机的降噪效果怎么样，续航能用多久，送不送耳机套",
    "ok", "太贵了",
]


@pytest.fixture(scope="module", params=["tfidf", "tfidf:1", "e5", "gpt2-mean", "gpt2-last", "e5+tfidf*0.5",
                                        "tfidf+gpt2", "e5ft:1+tfidf"])
def encoder(request, tiny_gpt2_dir, intent_rows) -> Encoder:
    spec = request.param.replace("gpt2-mean", f"gpt2:{tiny_gpt2_dir}").replace(
        "gpt2-last", f"gpt2:{tiny_gpt2_dir}:last").replace("+gpt2", f"+gpt2:{tiny_gpt2_dir}:mean")
    enc = make_encoder(spec)
    if enc.supervised:  # fine-tuned e5: one epoch on a few labelled messages keeps the test short
        rows = intent_rows[::3]
        return enc.fit([r["text"] for r in rows], [r["label"] for r in rows])
    return enc.fit([r["text"] for r in intent_rows] + TEXTS)


def test_shape_dtype_norm(encoder):
    X = encoder.encode(TEXTS)
    assert X.shape == (len(TEXTS), encoder.dim)
    assert X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)


def test_single_text_gives_vector(encoder):
    v = encoder.encode(TEXTS[0])
    assert v.shape == (encoder.dim,) and v.dtype == np.float32
    np.testing.assert_allclose(v, encoder.encode([TEXTS[0]])[0], atol=1e-6)


def test_batched_equals_one_by_one_and_order_is_kept(encoder):
    batched = encoder.encode(TEXTS, batch_size=3)  # texts of mixed length: batches are length-sorted
    one_by_one = np.stack([encoder.encode(t) for t in TEXTS])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    reversed_ = encoder.encode(TEXTS[::-1], batch_size=4)
    np.testing.assert_allclose(reversed_[::-1], batched, atol=1e-5)


def test_empty_list_and_odd_text(encoder):
    assert encoder.encode([]).shape == (0, encoder.dim)
    X = encoder.encode(["", "\ud800\x00", "长" * 5000, "🤔🤔"])
    assert np.isfinite(X).all()
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)


def test_config_is_json_and_spec_rebuilds(encoder):
    cfg = encoder.config()
    json.dumps(cfg)
    assert cfg["dim"] == encoder.dim and cfg["spec"] == encoder.spec
    assert make_encoder(encoder.spec).spec == encoder.spec


def test_pickle_round_trip(encoder):
    clone = pickle.loads(pickle.dumps(encoder))
    np.testing.assert_allclose(clone.encode(TEXTS), encoder.encode(TEXTS), atol=1e-6)


def test_thread_safe(encoder):
    expected = encoder.encode(TEXTS)
    with ThreadPoolExecutor(4) as pool:  # an exception in a worker is raised again by list()
        results = list(pool.map(lambda _: encoder.encode(TEXTS), range(4)))
    for r in results:
        np.testing.assert_allclose(r, expected, atol=1e-5)


def test_lazy_builds_once_when_threads_ask_at_the_same_time():
    calls = []

    def build():
        calls.append(1)
        time.sleep(0.05)  # a slow load: without the lock every thread would start its own
        return object()

    lazy = Lazy(build)
    with ThreadPoolExecutor(8) as pool:
        values = list(pool.map(lambda _: lazy.get(), range(8)))
    assert len(calls) == 1 and all(v is values[0] for v in values)


def test_bad_kind_and_non_text(encoder):
    with pytest.raises(ConfigError):
        encoder.encode("x", kind="document")
    with pytest.raises(TypeError):
        encoder.encode(["ok", 3])  # type: ignore[list-item]


# --- GPT-2 pooling ---------------------------------------------------------------------------------------
def test_gpt2_padding_does_not_change_a_vector(tiny_gpt2_dir):
    for pooling in ("mean", "last", "first"):
        enc = make_encoder(f"gpt2:{tiny_gpt2_dir}:{pooling}")
        alone = enc.encode("想买")
        in_batch = enc.encode(["想买", "我想买一双跑鞋多少钱我想买一双跑鞋多少钱"], batch_size=2)[0]
        np.testing.assert_allclose(alone, in_batch, atol=1e-5)


def test_gpt2_mean_pooling_equals_brute_force(tiny_gpt2_dir):
    import torch  # lazy: seconds to import, only the GPT-2 tests need it
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_gpt2_dir)
    model = AutoModel.from_pretrained(tiny_gpt2_dir).eval()
    with torch.inference_mode():
        h = model(**tok("我想买跑鞋", return_tensors="pt")).last_hidden_state[0].numpy()
    mean = h.mean(0) / np.linalg.norm(h.mean(0))
    last = h[-1] / np.linalg.norm(h[-1])
    np.testing.assert_allclose(make_encoder(f"gpt2:{tiny_gpt2_dir}").encode("我想买跑鞋"), mean, atol=1e-5)
    np.testing.assert_allclose(make_encoder(f"gpt2:{tiny_gpt2_dir}:last").encode("我想买跑鞋"), last, atol=1e-5)


def test_gpt2_first_pooling_only_sees_the_first_token(tiny_gpt2_dir):
    """The tutorial's last_hidden_state[:, 0, :] of a causal model ignores everything after token 1."""
    first = make_encoder(f"gpt2:{tiny_gpt2_dir}:first")
    a, b = first.encode(["我想买跑鞋", "我不要"])
    np.testing.assert_allclose(a, b, atol=1e-6)  # opposite intent, identical vectors
    mean = make_encoder(f"gpt2:{tiny_gpt2_dir}")
    a, b = mean.encode(["我想买跑鞋", "我不要"])
    assert np.abs(a - b).max() > 1e-3


def test_gpt2_config_names_pooling(tiny_gpt2_dir):
    cfg = make_encoder(f"gpt2:{tiny_gpt2_dir}:last").config()
    assert cfg["pooling"] == "last" and cfg["dim"] == 32 and cfg["layers"] == 2


def test_gpt2_hub_id_without_network_is_a_clear_error(monkeypatch):
    from intent import hub

    monkeypatch.setattr(hub, "hub_reachable", lambda timeout=3.0: False)
    with pytest.raises(EncoderError, match="cannot load 'gpt2' from the Hugging Face hub") as info:
        make_encoder("gpt2:gpt2").encode("x")
    assert "local folder" in str(info.value)


def test_gpt2_missing_or_broken_folder(tmp_path):
    with pytest.raises(EncoderError, match="does not exist"):
        make_encoder(f"gpt2:{tmp_path / 'nope'}").encode("x")
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(EncoderError, match="cannot load a GPT-2 from folder"):
        make_encoder(f"gpt2:{tmp_path}").encode("x")


# --- specs, tfidf, e5 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", ["", "bert", "gpt2", "gpt2:/x:median", "e5+", "tfidf:7", "e5*abc", "e5*0"])
def test_bad_specs(spec):
    with pytest.raises(EncoderError):
        make_encoder(spec)


def test_spec_parsing():
    assert make_encoder("E5").spec == "e5"
    assert make_encoder("tfidf:1").ngram == 1
    combo = make_encoder("e5 + tfidf*0.5")
    assert combo.spec == "e5+tfidf*0.5" and combo.weights == [1.0, 0.5]
    g = make_encoder("gpt2:/models/x:last")
    assert (g.name_or_dir, g.pooling) == ("/models/x", "last")


def test_tfidf_needs_fit_and_unknown_text_is_not_zero():
    enc = make_encoder("tfidf")
    with pytest.raises(EncoderError, match="not fitted"):
        enc.encode("x")
    enc.fit(["想买跑鞋", "随便看看"])
    v = enc.encode("完全陌生的词语")
    assert v[-1] == pytest.approx(1.0)  # the "no known token" column
    assert enc.config()["vocabulary_size"] == enc.dim - 1


def test_tfidf_bigrams_and_joblib(tmp_path):
    enc = make_encoder("tfidf").fit(["我 想买 跑鞋", "随便 看看 跑鞋"])
    assert any(" " in term for term in enc.vectorizer_.vocabulary_)
    joblib.dump(enc, tmp_path / "e.joblib")
    again = joblib.load(tmp_path / "e.joblib")
    np.testing.assert_allclose(again.encode(TEXTS), enc.encode(TEXTS))


def test_combo_weights_share_of_norm():
    enc = make_encoder("tfidf+tfidf:1*2").fit(TEXTS)
    v = enc.encode("我想买一双跑鞋")
    d0 = enc.parts[0].dim
    assert np.sum(v[:d0] ** 2) == pytest.approx(0.2, abs=1e-5)  # 1 / (1 + 2²)


def test_combo_equals_sklearn_feature_union_then_l2(tiny_gpt2_dir):
    """A combo is scikit-learn's FeatureUnion with transformer_weights, then rows scaled to norm 1."""
    gpt2_spec = f"gpt2:{tiny_gpt2_dir}"
    combo = make_encoder(f"tfidf+{gpt2_spec}*0.5").fit(TEXTS)
    union = FeatureUnion([("tfidf", EncoderTransformer(encoder="tfidf")),
                          ("gpt2", EncoderTransformer(encoder=gpt2_spec))], transformer_weights={"gpt2": 0.5})
    reference = make_pipeline(union, Normalizer()).fit(TEXTS)
    probe = TEXTS + ["想买跑鞋", "完全陌生的词语"]
    np.testing.assert_allclose(combo.encode(probe), reference.transform(probe), atol=1e-6)


def test_e5_query_and_passage_differ_and_cache_is_used():
    enc = make_encoder("e5")
    e5.clear_cache()
    q = enc.encode("跑鞋", kind="query")
    p = enc.encode("跑鞋", kind="passage")
    assert not np.allclose(q, p)
    assert "跑鞋" in e5._cache and len(e5._cache) == 1  # passages are not cached
    q2 = enc.encode("跑鞋")
    np.testing.assert_array_equal(q, q2)
    q2[:] = 0  # callers cannot corrupt the cache
    np.testing.assert_array_equal(enc.encode("跑鞋"), q)


def test_e5_similarity_is_sensible():
    enc = make_encoder("e5")
    a, b, c = enc.encode(["我想买跑鞋", "I want to buy running shoes", "今天天气很好"])
    assert a @ b > a @ c


def test_warm_up_works_before_fit():
    enc = make_encoder("e5+tfidf")
    assert enc.warm_up() is enc
