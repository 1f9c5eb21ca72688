"""Real-message readers, the stage labels, and the real-message benchmark on a small fixture folder.

The fixture folder is written by the test in the formats of ``../shared/realdata`` (JDDC tab-separated chat lines,
word-segmented ECD contexts, the tweets CSV). Two tests read the real folder itself: the committed labels must
name messages that exist there, and no shipped training message may be a copy of a real one; they fail (not
skip) when the folder is missing, with a message saying where it was looked for.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from intent import realdata
from intent.data.make_utterances import normalise
from intent.dataset import load_labelled, shipped_data_path
from intent.errors import DataError
from intent.stages import STAGES

ROOT = Path(__file__).resolve().parents[1]

JDDC = [
    ("s1", "0", "[订单编号:[订单x]，订单金额:[金额x]]"), ("s1", "1", "您好"), ("s1", "0", "我的快递怎么还没到"),
    ("s1", "1", "稍等"), ("s1", "0", "好的 谢谢"),
    ("s2", "0", "这个有货吗"), ("s2", "1", "有的亲"), ("s2", "0", "那我拍了"), ("s2", "0", "NULL"),
]
ECD = ["1\t你好\t您好 亲\t这个 多少 钱\t99 元", "0\t你好\t您好 亲\t这个 多少 钱\t不 知道",
       "1\t包邮 吗\t包邮 的\t那 我 拍 了\t好 的"]
TWEETS = 'class,text,\nPI,"I want the new iPhone so bad",\nno,"phones are overpriced, keeping mine",\n' \
         'undefined,"meh",\nYes,"preordered mine today!",\nNo,"android is better",\n'
LABELS = [("jddc:s1:0", "service"), ("jddc:s1:2", "service"), ("jddc:s1:4", "browse"), ("jddc:s2:0", "consider"),
          ("jddc:s2:2", "ready"), ("ecd:0:0", "browse"), ("ecd:0:2", "consider"), ("ecd:1:2", "ready")]


@pytest.fixture()
def fake_root(tmp_path: Path) -> Path:
    root = tmp_path / "realdata"
    (root / "jddc").mkdir(parents=True)
    (root / "ecd").mkdir()
    (root / "en_tweet_purchase_intent").mkdir()
    (root / realdata.JDDC_FILE).write_text(
        "".join(f"{s}\tU\t{agent}\t0\t0\tnan\t{text}\n" for s, agent, text in JDDC), encoding="utf-8")
    (root / realdata.ECD_FILE).write_text("\n".join(ECD) + "\n", encoding="utf-8")
    (root / realdata.TWEET_FILE).write_text(TWEETS, encoding="utf-8")
    return root


@pytest.fixture()
def labels_file(tmp_path: Path) -> Path:
    path = tmp_path / "labels.tsv"
    path.write_text("id\tstage\tunsure\n" + "".join(f"{i}\t{s}\t{int(n == 2)}\n" for n, (i, s) in enumerate(LABELS)),
                    encoding="utf-8")
    return path


def test_jddc_ids_context_and_nulls(fake_root):
    msgs = realdata.jddc_messages(fake_root)
    assert [m.id for m in msgs] == ["jddc:s1:0", "jddc:s1:2", "jddc:s1:4", "jddc:s2:0", "jddc:s2:2"]  # NULL dropped
    assert msgs[1].text == "我的快递怎么还没到" and msgs[1].context[-1] == ("agent", "您好")
    assert [r for r, _ in msgs[2].context] == ["shopper", "agent", "shopper", "agent"]
    assert msgs[2].shopper_turns == ("[订单编号:[订单x]，订单金额:[金额x]]", "我的快递怎么还没到")
    assert msgs[0].shopper_turns == ()


def test_ecd_unsegments_and_keeps_first_copy(fake_root):
    msgs = realdata.ecd_messages(fake_root)
    assert [(m.id, m.text) for m in msgs] == [("ecd:0:0", "你好"), ("ecd:0:2", "这个多少钱"), ("ecd:1:0", "包邮吗"),
                                              ("ecd:1:2", "那我拍了")]
    assert msgs[1].context == (("shopper", "你好"), ("agent", "您好亲"))


def test_tweets_binary_labels(fake_root):
    got = [(m.id, y) for m, y in realdata.tweets(fake_root)]
    assert got == [("tweet:0", 1), ("tweet:1", 0), ("tweet:3", 1), ("tweet:4", 0)]  # 'undefined' left out


def test_labels_and_missing_things_are_clear_errors(fake_root, labels_file, tmp_path):
    rows = realdata.labelled_messages(fake_root, labels_file)
    assert [(m.id, s, u) for m, s, u in rows][2] == ("jddc:s1:4", "browse", True)
    with pytest.raises(DataError, match="missing"):
        realdata.jddc_messages(tmp_path / "nowhere")
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tstage\njddc:s1:0\tbuying\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 2"):
        realdata.load_stage_labels(bad)
    other = tmp_path / "other.tsv"
    other.write_text("id\tstage\njddc:zzz:0\tready\n", encoding="utf-8")
    with pytest.raises(DataError, match="not in"):
        realdata.labelled_messages(fake_root, other)


def test_benchmark_runs_on_a_small_fixture(fake_root, labels_file, tmp_path, stage_rows):
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in stage_rows), encoding="utf-8")
    png = tmp_path / "cm.png"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "realmessages.py"), "--realdata", str(fake_root), "--labels",
         str(labels_file), "--data", str(data), "--encoder", "tfidf", "--png", str(png)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "SHOPGUIDE_ENCODER": "tfidf", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["n_messages"] == len(LABELS) and out["n_tweets"] == 4 and out["n_unsure"] == 1
    assert out["stages"] == {"browse": 2, "consider": 2, "ready": 2, "service": 2}
    entry = out["models"]["tfidf"]
    for key in ("macro_f1", "auc_ready", "auc_buy", "ece", "brier", "confusion"):
        assert key in entry["all"]
    assert set(entry) >= {"all", "jddc", "ecd", "sure_only", "tweets_zero_shot", "in_context", "train_seconds"}
    assert entry["in_context"]["decay"] == 0.7 and set(entry["in_context"]) >= {"all", "jddc", "ecd", "sure_only"}
    assert sum(map(sum, entry["in_context"]["all"]["confusion"])) == len(LABELS)
    assert sum(map(sum, entry["all"]["confusion"])) == len(LABELS)
    assert 0 <= entry["tweets_zero_shot"]["auc_score"] <= 1
    assert png.read_bytes()[:4] == b"\x89PNG" and out["confusion_png"] == str(png)


def test_in_context_reads_a_message_after_the_chat_before_it(fake_root):
    spec = importlib.util.spec_from_file_location("realmessages_bench", ROOT / "benchmarks" / "realmessages.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    class Stub:  # browse for thanks, service for the delivery question, consider otherwise
        def stage_proba(self, texts):
            table = {"好的 谢谢": [0.6, 0.2, 0.0, 0.2], "我的快递怎么还没到": [0.0, 0.1, 0.0, 0.9]}
            return np.asarray([table.get(t, [0.1, 0.7, 0.1, 0.1]) for t in texts])

    msgs = {m.id: m for m in realdata.jddc_messages(fake_root)}
    picked = [msgs["jddc:s2:0"], msgs["jddc:s1:4"]]
    got = bench.in_context(Stub(), picked, decay=0.7)
    assert got.shape == (2, 4) and np.allclose(got.sum(axis=1), 1)
    alone = bench.session_stage([bench.Observation("message", dict(zip(STAGES, [0.1, 0.7, 0.1, 0.1], strict=True)))])
    assert np.allclose(got[0], [alone[s] for s in STAGES])  # first message of its chat: no context
    # "好的 谢谢" after an order summary and a delivery question: still mostly browse, but service is carried over
    assert got[1][STAGES.index("service")] > 0.2 + 0.05 and got[1].argmax() in (0, 3)


# --- against the real folder -------------------------------------------------------------------------------
def _real_root() -> Path:
    root = realdata.default_root()
    if not (root / realdata.JDDC_FILE).is_file():
        pytest.fail(f"the shared real data is missing: expected {root} (the project's ../shared/realdata)")
    return root


def test_committed_labels_name_real_messages_and_are_many():
    rows = realdata.labelled_messages(_real_root())
    assert len(rows) >= 1500
    assert {s for _, s, _ in rows} == {"browse", "consider", "ready", "service"}
    second = realdata.load_stage_labels(realdata.LABELS_FILE.with_name("real_stages_second_pass.tsv"))
    first = {i: s for i, s, _ in realdata.load_stage_labels()}
    assert len(second) == 200 and all(i in first for i, _, _ in second)
    agree = sum(first[i] == s for i, s, _ in second) / len(second)
    assert agree >= 0.85  # the data card reports the figure; a drop means the labels were changed carelessly


def test_no_shipped_training_message_copies_a_real_one():
    real = {normalise(m.text) for m in realdata.shopper_messages(_real_root()).values()}
    real |= {normalise(m.text) for m, _ in realdata.tweets(_real_root())}
    real = {k for k in real if len(k) >= 6}  # "好的", "谢谢" are everyone's words
    shipped = [r["text"] for r in load_labelled(shipped_data_path())]
    copies = [t for t in shipped if normalise(t) in real]
    assert not copies, copies[:10]
