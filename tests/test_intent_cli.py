"""``shopguide intent train / evaluate / predict / pretrain`` through click's CliRunner."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from chatbot.cli import cli
from chatbot.settings import Settings


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _invoke(runner, args, **kw):
    result = runner.invoke(cli, ["-q", *args], catch_exceptions=False, **kw)
    return result


def test_train_predict_round_trip(runner, intent_data_file, tmp_path):
    out = tmp_path / "m"
    r = _invoke(runner, ["intent", "train", "--data", str(intent_data_file), "--out", str(out), "--encoder", "tfidf",
                         "--folds", "3"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["n"] == 60 and summary["version"].startswith("intent-") and 0 <= summary["macro_f1"] <= 1
    assert summary["stages"] == {"browse": 30, "ready": 30}  # binary labels: a two-stage model
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["encoder"] == "tfidf" and manifest["metrics"]["cv_folds"] == 3

    lines = ["这个要了", "", "随便看看", "   ", "I'll take it"]
    stdin = ("\n".join(lines) + "\n").encode("utf-8") + b"\xff\xfe broken utf-8\n"
    r = _invoke(runner, ["intent", "predict", "--model", str(out)], input=stdin)
    assert r.exit_code == 0, r.output
    got = [json.loads(x) for x in r.stdout.strip().split("\n")]
    assert [g["text"] for g in got[:5]] == lines[:5]  # input order kept
    assert got[1] == {"text": "", "stage": None, "stage_probs": None, "score": None, "error": "empty message"}
    assert got[3]["score"] is None and "error" in got[3]
    assert got[0]["score"] > got[2]["score"]
    assert got[0]["stage"] == "ready" and got[2]["stage"] == "browse"
    assert got[5]["text"].endswith("broken utf-8") and got[5]["score"] is not None
    for g in got:
        if g["score"] is not None:
            assert set(g) == {"text", "stage", "stage_probs", "score"} and 0 < g["score"] < 1
            assert list(g["stage_probs"]) == ["browse", "consider", "ready", "service"]
            assert sum(g["stage_probs"].values()) == pytest.approx(1.0, abs=1e-5)
    one = _invoke(runner, ["intent", "predict", "--model", str(out), "--batch-size", "1"], input=stdin)
    assert one.stdout == r.stdout  # batched and one at a time agree line for line


def test_predict_prints_four_stages(runner, tfidf_model_dir):
    r = _invoke(runner, ["intent", "predict", "--model", str(tfidf_model_dir)], input="我的快递到哪了\n有42码吗\n")
    assert r.exit_code == 0, r.output
    got = [json.loads(x) for x in r.stdout.strip().split("\n")]
    assert [g["stage"] for g in got] == ["service", "consider"]
    p = got[1]["stage_probs"]
    assert got[1]["score"] == pytest.approx(p["ready"] + 0.5 * p["consider"], abs=2e-6)


def test_evaluate_side_by_side_with_report(runner, intent_data_file, tmp_path):
    rep = tmp_path / "rep"
    r = _invoke(runner, ["intent", "evaluate", "--data", str(intent_data_file), "--encoder", "tfidf",
                         "--encoder", "tfidf:1", "--folds", "3", "--report", str(rep)])
    assert r.exit_code == 0, r.output
    assert "tfidf:1" in r.stdout and "AUC(ready)" in r.stdout and "Brier" in r.stdout and "macro-F1" in r.stdout
    report = json.loads((rep / "report.json").read_text())
    assert set(report["results"]) == {"tfidf", "tfidf:1"}
    assert (rep / "confusion.png").stat().st_size > 1000 and (rep / "reliability.png").stat().st_size > 1000


def test_evaluate_a_saved_models_configuration(runner, intent_data_file, tfidf_model_dir):
    r = _invoke(runner, ["intent", "evaluate", "--data", str(intent_data_file), "--model", str(tfidf_model_dir),
                         "--folds", "3"])
    assert r.exit_code == 0, r.output
    assert "(tfidf)" in r.stdout


def test_domain_errors_are_clean(runner, tmp_path):
    r = runner.invoke(cli, ["intent", "predict", "--model", str(tmp_path / "none")], input="hi\n")
    assert r.exit_code == 1 and "Error: no intent model" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a"}\n')
    r = runner.invoke(cli, ["intent", "train", "--data", str(bad), "--out", str(tmp_path / "m"), "--encoder", "tfidf"])
    assert r.exit_code == 1 and "line 1: missing stage" in r.stderr
    r = runner.invoke(cli, ["intent", "train", "--out", str(tmp_path / "m"), "--encoder", "nope"])
    assert r.exit_code == 1 and "unknown encoder" in r.stderr


def _make_db(path):
    from chatbot.service.store import Store

    store = Store(path)
    sessions = {
        "buy1": (["你好", "有跑鞋吗", "42码的有吗", "这双要了"], True),
        "buy2": (["耳机推荐", "就这个，下单"], True),
        "buy3": (["I want this one", "checkout please"], True),
        "look1": (["随便看看", "太贵了"], False),
        "look2": (["你好", "没兴趣"], False),
        "look3": (["just browsing"], False),
    }
    for sid, (msgs, bought) in sessions.items():
        store.ensure_session(sid, arm="intent")
        for m in msgs:
            store.add_user_message(sid, m)
            store.add_assistant_message(sid, "好的")
        if bought:
            store.add_event(sid, "p1", "purchase", price=10.0)
            store.add_user_message(sid, "谢谢")  # after the purchase: left out
    store.ensure_session("sim", arm="intent", source="simulator")
    store.add_user_message("sim", "simulated words")
    store.close()


def test_train_from_db_uses_the_stores_sessions(runner, tmp_path):
    from chatbot.service.store import Store
    from intent.dataset import rows_from_sessions

    db = tmp_path / "shopguide.db"
    _make_db(db)
    store = Store(db, read_only=True)
    sessions = {s["id"]: s for s in store.training_sessions()}
    assert "sim" not in sessions
    assert sessions["buy1"]["purchased"] and sessions["buy1"]["purchase_turn"] == 4
    assert sessions["buy1"]["messages"] == ["你好", "有跑鞋吗", "42码的有吗", "这双要了", "谢谢"]
    rows = {(r["text"], r["label"]) for r in rows_from_sessions(list(sessions.values()))}
    assert ("这双要了", 1) in rows and ("你好", 1) not in rows and ("谢谢", 1) not in rows
    assert ("随便看看", 0) in rows
    assert "sim" in {s["id"] for s in store.training_sessions(include_simulated=True)}
    store.close()

    before = db.read_bytes()
    out = tmp_path / "m"
    r = _invoke(runner, ["intent", "train", "--from-db", str(db), "--out", str(out), "--encoder", "tfidf",
                         "--folds", "0"])
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["data"] == f"db:{db}" and manifest["training"]["n"] >= 10
    assert db.read_bytes() == before  # read only
    r = _invoke(runner, ["intent", "train", "--from-db", str(db), "--out", str(tmp_path / "m2"), "--encoder",
                         "tfidf", "--folds", "0", "--include-simulated"])
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "m2" / "manifest.json").read_text())["training"]["n"] == \
        manifest["training"]["n"] + 1  # "simulated words", label 0


def test_train_from_db_errors(runner, tmp_path):
    r = runner.invoke(cli, ["intent", "train", "--from-db", str(tmp_path / "no.db"), "--out", str(tmp_path / "m")])
    assert r.exit_code == 1 and "does not exist" in r.stderr
    assert not (tmp_path / "no.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    r = runner.invoke(cli, ["intent", "train", "--from-db", str(junk), "--out", str(tmp_path / "m")])
    assert r.exit_code == 1 and "Error:" in r.stderr and "Traceback" not in r.stderr
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    r = runner.invoke(cli, ["intent", "train", "--from-db", str(other), "--out", str(tmp_path / "m")])
    assert r.exit_code == 1 and "lacks the tables" in r.stderr and "shopguide session database" in r.stderr


@pytest.mark.slow
def test_predict_without_model_trains_the_default(runner, tmp_path, monkeypatch, intent_data_file):
    """Empty SHOPGUIDE_HOME: the default model is trained first (on the shipped data, settings encoder)."""
    home = tmp_path / "home"
    monkeypatch.setenv("SHOPGUIDE_HOME", str(home))
    r = _invoke(runner, ["intent", "predict"], input="这个要了\n随便看看\n")
    assert r.exit_code == 0, r.output
    got = [json.loads(x) for x in r.stdout.strip().split("\n")]
    assert got[0]["score"] > 0.5 > got[1]["score"]
    manifest = json.loads((home / "models" / "intent-default" / "manifest.json").read_text())
    assert manifest["encoder"] == Settings().encoder == "e5+tfidf" and manifest["default"] is True
