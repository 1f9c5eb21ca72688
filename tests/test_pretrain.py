"""Self-trained GPT-2: tokenizer, a few training steps, loading through the gpt2:DIR encoder; the corpus split."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from chatbot.cli import cli
from intent.encoders import make_encoder
from intent.errors import ConfigError, DataError
from intent.pretrain import EOS, PretrainConfig, build_tokenizer, default_corpus, load_corpus, pretrain
from intent.realtext import realtext_split
from intent.text import normalize

DOCS = ["我想买一双跑鞋", "这个要了，帮我下单", "随便看看", "iPhone 15 256G 多少钱", "I'll take it"] * 20


def test_char_tokenizer_round_trip(tmp_path):
    from transformers import AutoTokenizer  # lazy: seconds to import, only this test needs it

    tok = build_tokenizer(DOCS, min_count=1)
    tok.save_pretrained(tmp_path)
    again = AutoTokenizer.from_pretrained(tmp_path)
    ids = again("想买跑鞋")["input_ids"]
    assert len(ids) == 4 and again.convert_ids_to_tokens(ids) == list("想买跑鞋")
    assert again.eos_token == EOS and again.pad_token == EOS
    assert again.convert_ids_to_tokens(again("想☃")["input_ids"])[1] == "<unk>"


def test_pretrain_few_steps_and_encode(tmp_path):
    cfg = PretrainConfig(n_layer=1, n_embd=32, n_head=2, context=16, batch_size=4, max_steps=3, minutes=1,
                         min_char_count=1, log_every=1)
    out = tmp_path / "gpt2"
    summary = pretrain(DOCS, out, cfg)
    assert summary["steps"] == 3 and np.isfinite(summary["val_loss"])
    saved = json.loads((out / "pretrain.json").read_text())
    assert saved["config"]["n_embd"] == 32 and len(saved["history"]) == 3
    enc = make_encoder(f"gpt2:{out}:last")
    X = enc.encode(["想买跑鞋", "随便看看"])
    assert X.shape == (2, 32)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)


def test_pretrain_cli(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(DOCS), encoding="utf-8")
    out = tmp_path / "g"
    r = CliRunner().invoke(cli, ["-q", "intent", "pretrain", "--corpus", str(corpus), "--out", str(out),
                                 "--max-steps", "2", "--layers", "1", "--width", "32", "--heads", "2",
                                 "--context", "16", "--batch-size", "2"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["steps"] == 2
    assert (out / "config.json").is_file() and (out / "tokenizer.json").is_file()


def test_pretrain_errors(tmp_path):
    with pytest.raises(DataError):
        load_corpus([str(tmp_path / "missing.txt")])
    with pytest.raises(ConfigError):
        pretrain(DOCS, tmp_path / "x", PretrainConfig(n_embd=30, n_head=4))
    with pytest.raises(DataError, match="too small"):
        pretrain(["ab"], tmp_path / "x", PretrainConfig(n_layer=1, n_embd=8, n_head=2, context=64, max_steps=1))


@pytest.mark.slow
def test_default_corpus_excludes_the_benchmark_test_lines():
    split = realtext_split()
    docs = set(default_corpus())
    test = {normalize(t, casefold=False) for t in split.test_texts}
    train = {normalize(t, casefold=False) for t in split.train_texts}
    assert not test & docs
    assert len(train & docs) > 1000  # unlabelled use of the train lines is fine
    assert len(docs) > 30_000


def test_realtext_split_is_fixed_and_disjoint():
    a, b = realtext_split(), realtext_split()
    assert a.train_texts == b.train_texts and len(a.train_texts) == 1500 and len(a.test_texts) == 1000
    assert not set(a.train_texts) & set(a.test_texts)
    assert 0.3 < a.test_labels.mean() < 0.7
