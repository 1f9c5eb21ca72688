"""``gpt2:NAME_OR_DIR[:pooling]``: hidden states of a GPT-2 (a local folder or a Hugging Face hub id).

Pooling (named in :meth:`GPT2Encoder.config`):

- ``mean`` (default): attention-masked mean over the real tokens;
- ``last``: the last real token (GPT-2 is causal, so it is the only one that saw the whole message);
- ``first``: ``last_hidden_state[:, 0, :]`` as in the old tutorial. For a causal model that is a function
  of the first token only — every message starting with "我" gets the same vector. Kept only so the
  benchmark can show how weak it is.

GPT-2 has no pad token: pad = eos, padding on the right, pooled with the attention mask, so a message's
vector does not depend on the batch it is in. torch and transformers are imported on first use.
The weights are not pickled: a saved intent model stores the spec and reloads the folder.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

from intent.encoders.base import Encoder, Lazy
from intent.errors import EncoderError
from intent.hub import from_folder_cache_or_hub

__all__ = ["GPT2Encoder", "POOLINGS"]

log = logging.getLogger(__name__)

POOLINGS = ("mean", "last", "first")


class GPT2Encoder(Encoder):
    """Pooled GPT-2 hidden states.

        GPT2Encoder("/path/to/model", pooling="last").encode(["想买", "看看"]).shape  # needs a model folder
        # -> (2, 256)
    """

    def __init__(self, name_or_dir: str, pooling: str = "mean", max_tokens: int | None = None) -> None:
        self.name_or_dir = name_or_dir
        self.pooling = pooling
        self.max_tokens = max_tokens
        self.spec = f"gpt2:{name_or_dir}" + ("" if pooling == "mean" else f":{pooling}")
        self._lock = threading.Lock()  # one forward pass at a time
        self._loaded = Lazy(self._load)  # (tokenizer, model), loaded on first use

    # -- loading -------------------------------------------------------------------------------------------
    def _load(self):
        # torch and transformers take seconds to import: only a GPT-2 encoder that is used loads them
        import torch
        from transformers import AutoModel, AutoTokenizer

        src = self.name_or_dir
        local = Path(src).expanduser()
        is_dir = local.is_dir()
        if not is_dir and (src.startswith((".", "/", "~")) or os.sep in src and not _looks_like_hub_id(src)):
            raise EncoderError(f"GPT-2 model folder {src!r} does not exist",
                               hint="train one with 'shopguide intent pretrain --out DIR' or fix the path")

        def load(**kw):
            tok = AutoTokenizer.from_pretrained(str(local) if is_dir else src, **kw)
            model = AutoModel.from_pretrained(str(local) if is_dir else src, dtype=torch.float32, **kw)
            return tok, model

        try:
            tok, model = from_folder_cache_or_hub(load, is_dir=is_dir)
        except EncoderError:
            raise
        except Exception as exc:  # OSError (missing files, no network), ValueError/KeyError (bad config)
            if is_dir:
                raise EncoderError(f"cannot load a GPT-2 from folder {src!r}: {exc}",
                                   hint="the folder needs config.json, weights and tokenizer files "
                                        "(save_pretrained); 'shopguide intent pretrain' writes one") from exc
            raise EncoderError(
                f"cannot load {src!r} from the Hugging Face hub (no network?)",
                hint="pass a local folder instead (gpt2:/path/to/model), e.g. one written by "
                     "'shopguide intent pretrain --out DIR' or save_pretrained on a machine with network",
            ) from exc
        model.eval()
        if tok.pad_token is None:
            tok.pad_token = tok.eos_token
        tok.padding_side = "right"
        return tok, model

    @property
    def dim(self) -> int:
        _, model = self._loaded.get()
        return int(model.config.hidden_size)

    def config(self) -> dict:
        tok, model = self._loaded.get()
        return {**super().config(), "model": self.name_or_dir, "pooling": self.pooling,
                "layers": int(model.config.num_hidden_layers), "vocab_size": int(model.config.vocab_size),
                "max_tokens": self._max_len(tok, model)}

    def _max_len(self, tok, model) -> int:
        limit = int(getattr(model.config, "n_positions", 1024) or 1024)
        return min(limit, self.max_tokens or limit)

    # -- encoding ------------------------------------------------------------------------------------------
    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        import torch  # already loaded by _load

        tok, model = self._loaded.get()
        texts = [t if t else (tok.eos_token or " ") for t in texts]  # an empty text still has one token
        with self._lock, torch.inference_mode():
            batch = tok(texts, padding=True, truncation=True, max_length=self._max_len(tok, model),
                        return_tensors="pt")
            ids, mask = batch["input_ids"], batch["attention_mask"]
            hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state  # (b, t, d)
            if self.pooling == "mean":
                m = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            elif self.pooling == "last":
                last = (mask.sum(1) - 1).clamp(min=0)
                pooled = hidden[torch.arange(hidden.shape[0]), last]
            else:  # "first": the tutorial's last_hidden_state[:, 0, :]
                pooled = hidden[:, 0, :]
            return pooled.float().numpy()

    def __getstate__(self) -> dict:
        return {"name_or_dir": self.name_or_dir, "pooling": self.pooling, "max_tokens": self.max_tokens}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)


def _looks_like_hub_id(src: str) -> bool:
    """``owner/name`` with no further slashes is a hub id, anything else with a slash is a path."""
    parts = src.split("/")
    return len(parts) == 2 and all(parts) and not src.startswith((".", "/", "~"))
