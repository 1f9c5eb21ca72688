"""Precomputed encoder vectors shipped with the package, so a first start does not re-embed known texts.

A :class:`VectorTable` maps (kind, normalised text) to the encoder's raw vector (float16), under the digest of
the encoder that made it (:func:`encoder_digest`: spec, model, engine version, dim, max chars). A lookup with
another encoder, or of a text not in the table, misses and the caller encodes it as usual — so a changed
message, product text or model can never be served a stale vector; at worst it costs the encoding time.

Shipped tables: ``intent/data/e5_vectors.npz`` (the shipped training messages, as queries) and
``catalog/data/product_vectors.npz`` (the embedded catalog, as passages); both are rebuilt by
``python -m intent.data.make_vectors`` / ``python -m catalog.data.make_vectors`` and checked by tests.

    >>> t = VectorTable("d", {text_key("query", "hi"): 0}, np.ones((1, 2), np.float16))
    >>> t.get("query", "hi", "d").tolist(), t.get("query", "hi", "other digest")
    ([1.0, 1.0], None)
"""

from __future__ import annotations

import hashlib
import json
import logging
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["VectorTable", "text_key", "encoder_digest"]

log = logging.getLogger(__name__)

KEY_BYTES = 12


def text_key(kind: str, text: str) -> bytes:
    """The table key of a normalised text encoded as ``kind`` (12 bytes of its SHA-256)."""
    return hashlib.sha256(f"{kind}\x00{text}".encode("utf-8", "surrogatepass")).digest()[:KEY_BYTES]


def encoder_digest(config: Mapping[str, Any]) -> str:
    """A short digest of an encoder's identity (its ``config()``: spec, model, engine version, dim, ...)."""
    return hashlib.sha256(json.dumps(dict(config), sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class VectorTable:
    """Raw vectors by text key, valid for one encoder digest."""

    digest: str
    index: Mapping[bytes, int]
    vectors: np.ndarray

    def __len__(self) -> int:
        return len(self.index)

    def get(self, kind: str, text: str, digest: str) -> np.ndarray | None:
        """The vector of ``text`` as float32, or None (not in the table, or another encoder)."""
        if digest != self.digest:
            return None
        row = self.index.get(text_key(kind, text))
        return None if row is None else self.vectors[row].astype(np.float32)

    @classmethod
    def load(cls, path: str | Path) -> VectorTable | None:
        """Read a table written by :meth:`save`; None (with a log line) when the file is missing or broken."""
        try:
            with np.load(path, allow_pickle=False) as data:
                keys = data["keys"]
                vectors = data["vectors"]
                digest = str(data["digest"])
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # a cut-off file
            log.info("no precomputed vectors from %s (%s): texts will be encoded", path, exc)
            return None
        if keys.ndim != 2 or keys.shape[1] != KEY_BYTES or len(keys) != len(vectors):
            log.warning("ignoring %s: malformed vector table", path)
            return None
        return cls(digest, {bytes(k): i for i, k in enumerate(keys)}, vectors)

    @staticmethod
    def save(path: str | Path, digest: str, items: Sequence[tuple[str, str]], vectors: np.ndarray) -> Path:
        """Write ``vectors`` (raw, any float dtype; stored float16) for ``items`` = (kind, normalised text)."""
        if len(items) != len(vectors):
            raise ValueError(f"{len(items)} texts but {len(vectors)} vectors")
        keys = np.frombuffer(b"".join(text_key(k, t) for k, t in items), np.uint8).reshape(-1, KEY_BYTES)
        path = Path(path)
        with path.open("wb") as f:
            np.savez_compressed(f, keys=keys, vectors=np.asarray(vectors, np.float16), digest=np.array(digest))
        return path
