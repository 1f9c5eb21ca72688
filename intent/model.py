"""The purchase-intent model: a calibrated scikit-learn pipeline, saved with a manifest.

>>> import tempfile
>>> texts = ["这个要了", "帮我下单", "我要买两件", "马上付款", "随便看看", "太贵了", "再说吧", "你好"] * 2
>>> model = IntentModel.train(texts, [1, 1, 1, 1, 0, 0, 0, 0] * 2, "tfidf", calibration_cv=2)
>>> with tempfile.TemporaryDirectory() as folder:
...     loaded = IntentModel.load(model.save(folder), expected_encoder="tfidf")
>>> loaded.score("这个要了") > 0.5 > loaded.score("随便看看")
True

Pipeline: ``EncoderTransformer(encoder)`` → ``CalibratedClassifierCV(LogisticRegression | LinearSVC,
method="sigmoid")``. A model folder holds ``model.joblib`` (the fitted pipeline; joblib is pickle —
only load folders you made) and ``manifest.json`` (encoder spec and config, dim, classes, library
versions, training-data sha256, metrics, created time, version).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import tempfile
import threading
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from intent import dataset  # a module, not its names: tests point shipped_data_path at small data
from intent.encoders import canonical_spec
from intent.errors import ConfigError, DataError, ModelCorruptError, ModelMismatchError, ModelNotFoundError

__all__ = ["IntentModel", "build_pipeline", "load_or_train_default", "CLASSIFIERS", "MODEL_FILE", "MANIFEST_FILE"]

log = logging.getLogger(__name__)

MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
FORMAT = 1
CLASSIFIERS = ("logreg", "svm")


def build_pipeline(encoder: str, *, classifier: str = "logreg", C: float = 4.0, calibration_cv: int = 5,
                   seed: int = 0):
    """An unfitted pipeline: encoder stage → calibrated linear classifier.

    classifier: "logreg" (LogisticRegression, balanced classes) or "svm" (LinearSVC); both are wrapped in
    ``CalibratedClassifierCV(method="sigmoid", cv=calibration_cv)`` (0 or 1 = no calibration wrapper,
    logreg only).
    """
    # sklearn takes about a second to import, and intent.features subclasses its BaseEstimator: both load here,
    # on the first pipeline, so that `import intent.model` (the CLI, the app) stays fast
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from intent.features import EncoderTransformer

    if classifier == "logreg":
        clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    elif classifier == "svm":
        clf = LinearSVC(C=C / 10, class_weight="balanced")
    else:
        raise ConfigError(f"unknown classifier {classifier!r}", hint=f"use one of {CLASSIFIERS}")
    if calibration_cv and calibration_cv > 1:
        clf = CalibratedClassifierCV(clf, method="sigmoid",
                                     cv=StratifiedKFold(calibration_cv, shuffle=True, random_state=seed))
    elif classifier == "svm":
        raise ConfigError("an uncalibrated LinearSVC has no probabilities", hint="use calibration_cv >= 2")
    return Pipeline([("encode", EncoderTransformer(encoder=encoder)), ("clf", clf)])


def _versions() -> dict[str, str]:
    import joblib  # lazy, like sklearn (see build_pipeline)
    import sklearn

    out = {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "numpy": np.__version__,
           "joblib": joblib.__version__}
    try:
        out["shopguide"] = version("shopguide")
    except PackageNotFoundError:  # pragma: no cover - not installed
        pass
    return out


def _major_minor(v: str) -> tuple[str, ...]:
    return tuple(v.split(".")[:2])


class IntentModel:
    """A fitted P(buy) pipeline plus its manifest. Thread-safe for scoring."""

    def __init__(self, pipeline, manifest: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.manifest = manifest
        self._buy_col = list(pipeline.classes_).index(1)

    # -- properties ----------------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """Stable id of this trained model, e.g. ``intent-20250101T120000Z-e5+tfidf-1a2b3c4d``."""
        return self.manifest["version"]

    @property
    def encoder_spec(self) -> str:
        return self.manifest["encoder"]

    @property
    def encoder(self):
        """The fitted encoder inside the pipeline (usable for other texts, e.g. product retrieval)."""
        return self.pipeline.named_steps["encode"].encoder_

    # -- training ------------------------------------------------------------------------------------------
    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[int], encoder_spec: str, *, classifier: str = "logreg",
              C: float = 4.0, calibration_cv: int = 5, data_sha256: str | None = None,
              metrics: dict | None = None, extra: dict | None = None) -> IntentModel:
        """Fit the pipeline on all ``texts``/``labels`` (0/1) and describe it in a manifest."""
        encoder_spec = canonical_spec(encoder_spec)
        texts, y = list(texts), np.asarray(labels, dtype=int)
        if len(texts) != len(y):
            raise DataError(f"{len(texts)} texts but {len(y)} labels")
        if set(np.unique(y)) != {0, 1}:
            raise DataError(f"training needs both labels 0 and 1, got {sorted(set(y.tolist()))}",
                            hint="add examples of the missing class")
        n_min = int(np.bincount(y).min())
        cv = min(calibration_cv, n_min) if calibration_cv > 1 else calibration_cv
        if calibration_cv > 1 and cv < 2:
            raise DataError(f"calibration needs >= 2 examples of each label, got {n_min}")
        log.info("training intent model: encoder %s, %s, %d texts (%d buy)", encoder_spec, classifier, len(texts),
                 int(y.sum()))
        pipe = build_pipeline(encoder_spec, classifier=classifier, C=C, calibration_cv=cv)
        pipe.fit(texts, y)
        enc = pipe.named_steps["encode"].encoder_
        sha = data_sha256 or dataset.rows_sha256({"text": t, "label": int(lab)}
                                                 for t, lab in zip(texts, y, strict=True))
        created = datetime.now(timezone.utc)
        manifest = {
            "format": FORMAT,
            "kind": "shopguide-intent",
            "version": f"intent-{created:%Y%m%dT%H%M%SZ}-{encoder_spec}-{sha[:8]}",
            "created": created.isoformat(timespec="seconds"),
            "encoder": encoder_spec,
            "encoder_config": enc.config(),
            "dim": int(enc.dim),
            "classes": [int(c) for c in pipe.classes_],
            "positive_class": 1,
            "classifier": classifier,
            "params": {"C": C, "calibration": "sigmoid", "calibration_cv": cv},
            "training": {"n": len(texts), "n_buy": int(y.sum()), "sha256": sha},
            "metrics": metrics or {},
            "versions": _versions(),
            **(extra or {}),
        }
        return cls(pipe, manifest)

    # -- scoring -------------------------------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(buy) for each text, shape (n,), float64 in [0, 1]."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        if not texts:
            return np.zeros(0)
        return self.pipeline.predict_proba(texts)[:, self._buy_col]

    def score(self, text: str) -> float:
        """P(buy) of one message."""
        return float(self.predict_proba([text])[0])

    # -- persistence ---------------------------------------------------------------------------------------
    def save(self, model_dir: str | Path) -> Path:
        """Write ``model.joblib`` + ``manifest.json`` to ``model_dir`` (atomically replaces the files)."""
        import joblib  # lazy, like sklearn (see build_pipeline)

        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=model_dir))
        try:
            joblib.dump(self.pipeline, tmp / MODEL_FILE, compress=3)
            (tmp / MANIFEST_FILE).write_text(json.dumps(self.manifest, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
            os.replace(tmp / MODEL_FILE, model_dir / MODEL_FILE)  # manifest last: it marks a complete model
            os.replace(tmp / MANIFEST_FILE, model_dir / MANIFEST_FILE)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        log.info("saved intent model %s to %s", self.version, model_dir)
        return model_dir

    @staticmethod
    def read_manifest(model_dir: str | Path) -> dict:
        """The manifest of a saved model; ``ModelNotFoundError`` / ``ModelCorruptError``."""
        model_dir = Path(model_dir)
        path = model_dir / MANIFEST_FILE
        if not path.is_file() or not (model_dir / MODEL_FILE).is_file():
            raise ModelNotFoundError(f"no intent model in {model_dir} (needs {MANIFEST_FILE} and {MODEL_FILE})",
                                     hint="run 'shopguide intent train --out DIR' to build one")
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelCorruptError(f"{path} is not valid JSON: {exc}",
                                    hint=f"rebuild the model: shopguide intent train --out {model_dir}") from None
        missing = [k for k in ("encoder", "dim", "classes", "version", "versions") if k not in manifest] \
            if isinstance(manifest, dict) else ["everything"]
        if missing:
            raise ModelCorruptError(f"{path} lacks {', '.join(missing)}",
                                    hint=f"rebuild the model: shopguide intent train --out {model_dir}")
        return manifest

    @classmethod
    def load(cls, model_dir: str | Path, expected_encoder: str | None = None) -> IntentModel:
        """Load a saved model, checking it against the running settings and libraries.

        Raises ``ModelNotFoundError`` (no folder/files), ``ModelCorruptError`` (bad JSON, truncated or
        garbage joblib) or ``ModelMismatchError`` (other encoder than ``expected_encoder``, dim mismatch,
        scikit-learn major.minor differs from the one that saved it).
        """
        import joblib  # lazy, like sklearn (see build_pipeline)
        import sklearn

        model_dir = Path(model_dir)
        manifest = cls.read_manifest(model_dir)
        expected_encoder = None if expected_encoder is None else canonical_spec(expected_encoder)
        rebuild = f"shopguide intent train --encoder {expected_encoder or manifest['encoder']} --out {model_dir}"
        if expected_encoder is not None and manifest["encoder"] != expected_encoder:
            raise ModelMismatchError(
                f"intent model in {model_dir} was built with encoder {manifest['encoder']!r} "
                f"(dim {manifest['dim']}), settings use {expected_encoder!r}",
                hint=f"rebuild it: {rebuild}, or pass the matching --encoder")
        saved_skl = str(manifest["versions"].get("scikit-learn", "?"))
        if _major_minor(saved_skl) != _major_minor(sklearn.__version__):
            raise ModelMismatchError(
                f"intent model in {model_dir} was saved with scikit-learn {saved_skl}, "
                f"this environment has {sklearn.__version__}",
                hint=f"rebuild it: {rebuild}")
        try:
            pipeline = joblib.load(model_dir / MODEL_FILE)
        except Exception as exc:  # truncated file (EOFError), garbage (UnpicklingError, KeyError, ...)
            raise ModelCorruptError(f"cannot read {model_dir / MODEL_FILE}: {type(exc).__name__}: {exc}",
                                    hint=f"rebuild it: {rebuild}") from None
        if not hasattr(pipeline, "predict_proba") or not hasattr(pipeline, "named_steps") \
                or "encode" not in pipeline.named_steps:
            raise ModelCorruptError(f"{model_dir / MODEL_FILE} does not hold an intent pipeline",
                                    hint=f"rebuild it: {rebuild}")
        try:
            dim = int(pipeline.named_steps["encode"].n_features_out_)
        except AttributeError:
            raise ModelCorruptError(f"{model_dir / MODEL_FILE} holds an unfitted pipeline",
                                    hint=f"rebuild it: {rebuild}") from None
        if dim != int(manifest["dim"]):
            raise ModelMismatchError(f"intent model in {model_dir}: manifest says dim {manifest['dim']}, "
                                     f"the saved encoder gives dim {dim}", hint=f"rebuild it: {rebuild}")
        if [int(c) for c in pipeline.classes_] != [int(c) for c in manifest["classes"]]:
            raise ModelMismatchError(f"intent model in {model_dir}: classes {list(pipeline.classes_)} differ "
                                     f"from the manifest's {manifest['classes']}", hint=f"rebuild it: {rebuild}")
        return cls(pipeline, manifest)

    def __repr__(self) -> str:
        return f"IntentModel({self.version!r})"


_default_lock = threading.Lock()


def load_or_train_default(model_dir: str | Path, encoder_spec: str) -> IntentModel:
    """The default model in ``model_dir``; trained on the shipped utterances first when missing.

    A default model (manifest ``"default": true``) is retrained, with a warning, when it was built for
    another encoder, older shipped data or another scikit-learn. A model the user trained into this folder
    is only loaded (``ModelMismatchError`` if it does not fit); a corrupt one raises ``ModelCorruptError``.
    """
    model_dir = Path(model_dir)
    encoder_spec = canonical_spec(encoder_spec)
    with _default_lock:
        try:
            manifest = IntentModel.read_manifest(model_dir)
        except ModelNotFoundError:
            manifest = None
            log.info("no intent model in %s yet: training the default one (encoder %s)", model_dir, encoder_spec)
        if manifest is not None and not manifest.get("default", False):  # the user's model: never overwritten
            return IntentModel.load(model_dir, expected_encoder=encoder_spec)
        data = dataset.shipped_data_path()
        rows = dataset.load_labelled(data)
        sha = dataset.rows_sha256(rows)
        if manifest is not None:
            if manifest["encoder"] != encoder_spec:
                log.warning("default intent model in %s uses encoder %r, settings use %r: retraining",
                            model_dir, manifest["encoder"], encoder_spec)
            elif manifest.get("training", {}).get("sha256") != sha:
                log.warning("shipped training data changed since %s was trained: retraining", model_dir)
            else:
                try:
                    return IntentModel.load(model_dir, expected_encoder=encoder_spec)
                except ModelMismatchError as exc:
                    log.warning("%s: retraining", exc.message)
        model = IntentModel.train([r["text"] for r in rows], [r["label"] for r in rows], encoder_spec,
                                  data_sha256=sha, extra={"default": True, "data": data.name})
        model.save(model_dir)
        return model
