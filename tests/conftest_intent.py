"""Intent fixtures: tiny labelled data, a tiny GPT-2 saved by path, a trained TF-IDF model.

Fixture names: ``intent_rows``, ``stage_rows``, ``intent_data_file``, ``tiny_gpt2_dir``, ``tfidf_model``,
``tfidf_model_dir``. All session-scoped (built once), offline, a few seconds in total.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intent.model import IntentModel
from intent.pretrain import build_tokenizer

BUY = [
    "这个要了", "帮我下单", "我要买这双跑鞋", "就这款，怎么付款", "加入购物车吧", "马上买两件", "现在下单能今天发货吗",
    "我决定买了", "给我来一台", "这个怎么买", "就要这个颜色 42码", "iphone 15 256g 我要了", "付款链接发我",
    "买买买", "下单了，包邮吗", "我想买个500元以内的耳机", "I'll take it", "add to cart please", "buy this one",
    "I want to order two", "checkout now", "how do I pay for this", "ship it today please", "I'm buying the red one",
    "我要订一个", "拍下了", "来两瓶", "这款我买了", "要一双 airpods pro2", "直接下单",
]
NO_BUY = [
    "随便看看", "今天天气不错", "你好", "只是问问", "太贵了不要", "再考虑一下", "没兴趣", "谢谢，不用了",
    "这个质量好吗", "有什么推荐", "我先逛逛", "算了吧", "晚点再说", "你是机器人吗", "哈哈哈", "周末去哪玩",
    "just browsing", "hello there", "no thanks", "too expensive", "maybe later", "what is this", "tell me a joke",
    "I'm only looking", "not interested", "这个和那个有什么区别", "你们几点下班", "我不需要", "看看而已", "好无聊",
]
CONSIDER = [
    "这个多少钱", "有42码吗", "包邮吗", "能便宜点吗", "有优惠券吗", "几天能到", "小米和华为哪个好", "有货吗",
    "is it in stock?", "any discount?", "which one is better?", "how long is shipping?", "什么材质的", "保修多久",
    "有别的颜色吗", "能开发票吗",
]
SERVICE = [
    "我的快递到哪了", "怎么退货", "发票开错了", "退款什么时候到账", "收到的东西坏了", "能改收货地址吗", "申请售后",
    "订单怎么还没发货", "where is my order?", "I want a refund", "it arrived broken", "cancel my order please",
    "买的鞋子小了想换", "刚买就降价了能保价吗", "少发了一件", "安装师傅什么时候来",
]
STAGED = ([(t, "ready") for t in BUY] + [(t, "browse") for t in NO_BUY] + [(t, "consider") for t in CONSIDER]
          + [(t, "service") for t in SERVICE])
"""Four-stage rows: BUY are ready, NO_BUY browse (some read as consider; they stay browse in the binary tests)."""


@pytest.fixture(scope="session")
def intent_rows() -> list[dict]:
    """60 binary-labelled messages (30 buy, 30 not), Chinese and English (older ``label`` format)."""
    return [{"text": t, "label": 1} for t in BUY] + [{"text": t, "label": 0} for t in NO_BUY]


@pytest.fixture(scope="session")
def stage_rows() -> list[dict]:
    """92 messages labelled with the four stages, Chinese and English."""
    return [{"text": t, "stage": s} for t, s in STAGED]


@pytest.fixture(scope="session")
def intent_data_file(intent_rows, tmp_path_factory) -> Path:
    """``intent_rows`` as a JSONL file."""
    path = tmp_path_factory.mktemp("intent-data") / "labelled.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in intent_rows), encoding="utf-8")
    return path


def make_tiny_gpt2(folder: Path, texts: list[str]) -> Path:
    """A 2-layer, 32-wide GPT-2 and a char tokenizer over ``texts``, saved with ``save_pretrained``."""
    import torch  # lazy: seconds to import, only the GPT-2 tests need it
    from transformers import GPT2Config, GPT2LMHeadModel

    tok = build_tokenizer(texts, min_count=1)
    eos = tok.get_vocab()["<eos>"]
    torch.manual_seed(0)
    config = GPT2Config(n_layer=2, n_head=2, n_embd=32, n_positions=64, vocab_size=len(tok.get_vocab()),
                        bos_token_id=eos, eos_token_id=eos, pad_token_id=eos)
    GPT2LMHeadModel(config).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_gpt2_dir(tmp_path_factory, intent_rows) -> Path:
    """Folder with a tiny random GPT-2 + tokenizer; load it with ``make_encoder("gpt2:" + str(path))``."""
    texts = [r["text"] for r in intent_rows] + ["abcdefghijklmnopqrstuvwxyz 0123456789 我想买跑鞋多少钱"]
    return make_tiny_gpt2(tmp_path_factory.mktemp("tiny-gpt2"), texts)


@pytest.fixture(scope="session")
def tfidf_model(stage_rows):
    """An ``IntentModel`` trained with the ``tfidf`` encoder on ``stage_rows`` (four stages)."""
    return IntentModel.train([r["text"] for r in stage_rows], [r["stage"] for r in stage_rows], "tfidf",
                             calibration_cv=3)


@pytest.fixture(scope="session")
def tfidf_model_dir(tfidf_model, tmp_path_factory) -> Path:
    """``tfidf_model`` saved to a folder (do not modify it; copy it first)."""
    return tfidf_model.save(tmp_path_factory.mktemp("tfidf-model"))
