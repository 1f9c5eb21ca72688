"""``shopguide batch score``: CSV/JSONL/Parquet in (file or folder), the same rows plus stage, stage probabilities
and score out; bad rows counted, never a crash; the Ray Data engine gives exactly the local engine's numbers.

The model is the intent fixtures' real TF-IDF model (saved by path), so 10k rows score in about a second. The
Ray tests start Ray in local mode once per module; a missing Ray fails them (it is in the test extra).
"""

from __future__ import annotations

import json
import logging
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest_intent import STAGED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatbot.batch.io import BAD_COLUMN, input_files, jsonl_table, read_files, write_table
from chatbot.batch.score import OUTPUT_COLUMNS, PROB_COLUMNS, score_local, score_table
from chatbot.cli import cli
from intent.errors import DataError
from intent.model import IntentModel
from intent.stages import STAGES

TEXTS = [t for t, _ in STAGED]


def messages(n: int) -> list[dict]:
    """``n`` rows of shopper messages with an id, a string id with leading zeros and a float column."""
    return [{"id": i, "sku": f"{i % 1000:04d}", "price": i / 4, "text": TEXTS[i % len(TEXTS)] + (f" {i}" if i % 3 else "")}
            for i in range(n)]


def expected(model: IntentModel, texts: list[str]) -> list:
    """Brute force: each message on its own, beside a copy of itself (one row alone takes BLAS's matrix-vector
    path, which rounds differently: see :func:`chatbot.batch.score.score_table`)."""
    return [model.predict([t, t])[0] for t in texts]


def assert_scores_match(table: pa.Table, model: IntentModel, rows: list[int] | None = None) -> None:
    """The scored rows of ``table`` equal one-at-a-time predictions (to 1e-12)."""
    rows = rows if rows is not None else list(range(table.num_rows))
    texts = table.column("text").to_pylist()
    for i, want in zip(rows, expected(model, [texts[i] for i in rows]), strict=True):
        assert table.column("stage")[i].as_py() == want.stage
        for s, col in zip(STAGES, PROB_COLUMNS, strict=True):
            assert abs(table.column(col)[i].as_py() - want.probs[s]) <= 1e-12
        assert abs(table.column("score")[i].as_py() - want.score) <= 1e-12
        assert table.column("score_error")[i].as_py() is None


def from_csv_text(table: pa.Table) -> pa.Table:
    """A scored table read back from CSV (all text) with its output columns typed again."""
    for name in OUTPUT_COLUMNS:
        values = [None if v == "" else v for v in table.column(name).to_pylist()]
        if name in (*PROB_COLUMNS, "score"):
            values = [None if v is None else float(v) for v in values]
        table = table.set_column(table.column_names.index(name), name, pa.array(values))
    return table


@pytest.fixture(scope="module")
def model_dir(tfidf_model_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("batch-model") / "model"
    shutil.copytree(tfidf_model_dir, path)
    return path


@pytest.fixture(scope="module")
def model(model_dir):
    return IntentModel.load(model_dir)


def write_jsonl(path, rows, extra_lines=()):
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        for line in extra_lines:
            f.write(line + "\n")
    return path


BAD_LINES = ['{"id": -1, "text": 5}', '{"id": -2, "text": null}', '{"id": -3}', '{"id": -4, "text": "   "}',
             "not json at all", '["a", "list"]', '{"id": -5, "text": ["a"]}', "", '{"id": -6, "text": ""}']
"""One line per bad-row kind (the empty line is skipped, not a row)."""
BAD_COUNTS = {"not text": 2, "missing text": 2, "empty text": 2, "bad JSON": 2}


def test_score_table_equals_one_at_a_time(model):
    rows = messages(600)
    table = pa.Table.from_pylist(rows)
    out = score_table(table, model, "text")
    assert out.column_names == ["id", "sku", "price", "text", *OUTPUT_COLUMNS]
    assert out.select(["id", "sku", "price", "text"]).equals(table)
    assert_scores_match(out, model, list(range(0, 600, 7)))
    probs = np.column_stack([out.column(c).to_numpy() for c in PROB_COLUMNS])
    assert np.allclose(probs.sum(axis=1), 1.0)
    alone = [model.predict([t])[0] for t in table.column("text").to_pylist()[:50]]  # the matrix-vector path
    assert np.allclose([[p.probs[s] for s in STAGES] for p in alone], probs[:50], rtol=0, atol=1e-8)
    lone = score_table(table.slice(3, 1), model, "text")  # a batch of one row: the same numbers as in a batch
    assert lone.column("score")[0].as_py() == out.column("score")[3].as_py()


def test_bad_rows_get_empty_outputs_and_a_reason(model):
    table = pa.table({"text": ["多少钱", None, "", "  \n", "就要这个"], "n": [1, 2, 3, 4, 5]})
    out = score_table(table, model, "text")
    assert out.column("score_error").to_pylist() == [None, "missing text", "empty text", "empty text", None]
    for col in ("stage", *PROB_COLUMNS, "score"):
        assert [v is None for v in out.column(col).to_pylist()] == [False, True, True, True, False]
    numbers = score_table(pa.table({"text": [1, None]}), model, "text")  # a Parquet column of another type
    assert numbers.column("score_error").to_pylist() == ["not text", "missing text"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(max_size=40), min_size=1, max_size=8))
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_any_text_round_trips_through_every_format(tmp_path, suffix, texts):
    """What is written is what is read back: quotes, commas, newlines, CR, BOMs, U+2028, emoji, …"""
    path = write_table(pa.table({"id": [str(i) for i in range(len(texts))], "text": texts}), tmp_path / f"t{suffix}")
    files, fmt = input_files(path)
    back = read_files(files, fmt, "text")
    assert back.column("text").to_pylist() == texts and back.column("id").to_pylist() == [str(i) for i in range(len(texts))]


def test_jsonl_reader_never_fails_a_file(tmp_path):
    path = write_jsonl(tmp_path / "odd.jsonl", [{"text": "hi", "mixed": 1}, {"text": "yo", "mixed": "a"}], BAD_LINES)
    table = jsonl_table(path.read_bytes(), "text")
    assert table.num_rows == 2 + len(BAD_LINES) - 1
    assert table.column("mixed").to_pylist()[:2] == ["1", "a"]  # a field mixing types is kept as JSON text
    assert table.column("text").to_pylist()[2] == "5"


@pytest.mark.parametrize("in_fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("out_suffix", [".csv", ".jsonl", ".parquet", ""])
def test_local_engine_every_format(tmp_path, model, in_fmt, out_suffix):
    rows = messages(1100)
    src = tmp_path / f"in.{in_fmt}"
    if in_fmt == "jsonl":
        write_jsonl(src, rows, BAD_LINES)
    else:
        table = pa.Table.from_pylist(rows)
        table = table.cast(pa.schema([(f.name, pa.string()) for f in table.schema])) if in_fmt == "csv" else table
        (pacsv.write_csv if in_fmt == "csv" else pq.write_table)(table, src)
    out_path = tmp_path / f"scored{out_suffix}"
    summary = score_local(src, out_path, model, chunk_size=256)
    files, fmt = input_files(out_path)
    out = read_files(files, fmt, "text").replace_schema_metadata(None)
    out = out.drop_columns([BAD_COLUMN]) if BAD_COLUMN in out.column_names else out  # the JSONL reader's own
    n_bad = sum(BAD_COUNTS.values()) if in_fmt == "jsonl" else 0
    assert out.num_rows == summary.rows == len(rows) + n_bad
    assert summary.scored == len(rows) and summary.bad == (BAD_COUNTS if n_bad else {})
    assert sum(summary.stages.values()) == len(rows)
    assert out.column_names[-len(OUTPUT_COLUMNS):] == list(OUTPUT_COLUMNS)
    assert {"id", "sku", "price", "text"} <= set(out.column_names)
    # every input value is kept (a CSV output or input reads back as text: compare as text then)
    as_text = in_fmt == "csv" or out_suffix == ".csv"
    sku = out.column("sku").to_pylist()[:len(rows)]
    assert sku == [r["sku"] for r in rows]  # "0007" stays "0007"
    ids = out.column("id").to_pylist()[:len(rows)]
    assert ids == [str(r["id"]) if as_text else r["id"] for r in rows]
    if out_suffix == ".csv":  # CSV holds text: an empty cell was a null, numbers are parsed back
        out = from_csv_text(out)
    assert_scores_match(out, model, list(range(0, len(rows), 53)))
    if n_bad:
        reasons = out.column("score_error").to_pylist()[len(rows):]
        assert sorted(r for r in reasons) == sorted(k for k, v in BAD_COUNTS.items() for _ in range(v))


def test_folder_input_reads_every_data_file_in_name_order(tmp_path, model):
    folder = tmp_path / "logs"
    (folder / "day=2").mkdir(parents=True)
    rows = messages(300)
    pq.write_table(pa.Table.from_pylist(rows[:100]), folder / "a.parquet")
    pq.write_table(pa.Table.from_pylist(rows[100:]), folder / "day=2" / "b.parquet")
    for skipped in ("_SUCCESS", "_tmp.parquet", ".a.parquet", "day=2/.b.parquet.crc"):
        (folder / skipped).write_text("not parquet")  # names starting with _ or . are never read
    summary = score_local(folder, tmp_path / "out.parquet", model)
    out = pq.read_table(tmp_path / "out.parquet")
    assert summary.rows == 300 and out.column("id").to_pylist() == list(range(300))
    write_jsonl(folder / "c.jsonl", rows[:3])
    with pytest.raises(DataError, match="mixes formats"):
        score_local(folder, tmp_path / "out2.parquet", model)


def test_malformed_csv_rows_are_skipped_and_counted(tmp_path, model):
    src = tmp_path / "in.csv"
    src.write_text('\ufeffid,text\n1,"多少钱\n有货吗"\n2,就要这个,extra\n3,\n4,帮我下单\n', encoding="utf-8")
    summary = score_local(src, tmp_path / "out.jsonl", model)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in out] == ["1", "3", "4"]
    assert out[0]["text"] == "多少钱\n有货吗" and out[1]["score_error"] == "empty text"
    assert summary.skipped_csv_rows == 1 and summary.bad == {"empty text": 1} and summary.scored == 2


def test_progress_is_logged(tmp_path, model, caplog):
    pq.write_table(pa.Table.from_pylist(messages(2000)), tmp_path / "in.parquet")
    with caplog.at_level(logging.INFO):
        score_local(tmp_path / "in.parquet", tmp_path / "out.parquet", model, chunk_size=100)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("batch score:")]
    assert len(lines) == 10 and lines[-1].startswith("batch score: 100% (20/20 batch)")
    assert not [r for r in caplog.records if r.getMessage().startswith("encode ")]  # one bar, not one per chunk


def test_cli_local_json_summary_and_clean_errors(tmp_path, model_dir):
    src = write_jsonl(tmp_path / "in.jsonl", messages(50), BAD_LINES)
    out = tmp_path / "out.parquet"
    run = CliRunner().invoke(cli, ["batch", "score", "--input", str(src), "--output", str(out), "--model",
                                   str(model_dir), "--json"])
    assert run.exit_code == 0, run.output
    summary = json.loads(run.output.strip().splitlines()[-1])
    assert summary["rows"] == 58 and summary["scored"] == 50 and summary["bad"] == BAD_COUNTS
    assert summary["engine"] == "local" and summary["model"].startswith("intent-")
    again = CliRunner().invoke(cli, ["batch", "score", "--input", str(src), "--output", str(out), "--model",
                                     str(model_dir)])
    assert again.exit_code == 2 and "already exists" in again.output and "--overwrite" in again.output
    wrong = CliRunner().invoke(cli, ["batch", "score", "--input", str(src), "--output", str(tmp_path / "o.csv"),
                                     "--text-col", "message", "--model", str(model_dir)])
    assert wrong.exit_code == 1 and "has no column 'message'" in wrong.output and "--text-col" in wrong.output
    assert "Traceback" not in wrong.output
    pq.write_table(pa.table({"text": ["x"], "score": [0.5]}), tmp_path / "scored_before.parquet")
    twice = CliRunner().invoke(cli, ["batch", "score", "--input", str(tmp_path / "scored_before.parquet"),
                                     "--output", str(tmp_path / "o2.csv"), "--model", str(model_dir)])
    assert twice.exit_code == 1 and "already has the columns score" in twice.output
    missing = CliRunner().invoke(cli, ["batch", "score", "--input", str(tmp_path / "nope.csv"), "--output",
                                       str(tmp_path / "o3.csv"), "--model", str(model_dir)])
    assert missing.exit_code == 1 and "no input at" in missing.output
    ray_only = CliRunner().invoke(cli, ["batch", "score", "--input", str(src), "--output", str(tmp_path / "o4.csv"),
                                        "--model", str(model_dir), "--address", "ray://head:10001"])
    assert ray_only.exit_code == 2 and "are for --engine ray" in ray_only.output
    # $RAY_ADDRESS, set for the Ray jobs of a shell, does not stop a local run
    env_only = CliRunner().invoke(cli, ["batch", "score", "--input", str(src), "--output", str(tmp_path / "o5.csv"),
                                        "--model", str(model_dir)], env={"RAY_ADDRESS": "ray://head:10001"})
    assert env_only.exit_code == 0, env_only.output
    txt = CliRunner().invoke(cli, ["batch", "score", "--input", str(src), "--output", str(tmp_path / "out.txt"),
                                   "--model", str(model_dir)])  # not silently a folder named out.txt
    assert txt.exit_code == 2 and ".txt is not an output format" in txt.output
    assert not (tmp_path / "out.txt").exists()


def test_a_failed_run_leaves_the_old_output_and_a_good_one_replaces_it(tmp_path, model_dir):
    src = write_jsonl(tmp_path / "in.jsonl", messages(20))
    keep = tmp_path / "keep.csv"
    keep.write_text("the old output\n", encoding="utf-8")
    base = ["batch", "score", "--input", str(src), "--overwrite"]
    failed = CliRunner().invoke(cli, [*base, "--output", str(keep), "--model", str(tmp_path / "no-model")])
    assert failed.exit_code != 0 and "Traceback" not in failed.output
    assert keep.read_text(encoding="utf-8") == "the old output\n"  # not deleted before the job could run
    ok = CliRunner().invoke(cli, [*base, "--output", str(keep), "--model", str(model_dir)])
    assert ok.exit_code == 0, ok.output
    assert pacsv.read_csv(keep).num_rows == 20
    folder = tmp_path / "scored"
    folder.mkdir()
    pq.write_table(pa.table({"old": [1]}), folder / "part-00007.parquet")
    bad_input = write_jsonl(tmp_path / "bad.jsonl", [], ['["not", "an", "object"]'])
    failed = CliRunner().invoke(cli, ["batch", "score", "--input", str(bad_input), "--output", str(folder),
                                      "--overwrite", "--model", str(model_dir)])
    assert failed.exit_code == 1 and "no line is a JSON object" in failed.output
    assert [p.name for p in folder.iterdir()] == ["part-00007.parquet"]
    ok = CliRunner().invoke(cli, [*base, "--output", str(folder), "--model", str(model_dir)])
    assert ok.exit_code == 0, ok.output
    assert [p.name for p in folder.iterdir()] == ["part-00000.parquet"]  # the old part went after the new was written
    empty_dir = tmp_path / "looks_like_a_file.parquet"
    empty_dir.mkdir()
    refused = CliRunner().invoke(cli, ["batch", "score", "--input", str(src), "--output", str(empty_dir), "--model",
                                       str(model_dir)])
    assert refused.exit_code == 2 and "is a folder" in refused.output


def test_awkward_inputs_are_read_or_refused_cleanly(tmp_path, model):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [{"id": 1, "text": "多少钱"}, {"id": 2, "text": "有货吗"}])
    write_jsonl(folder / "b.jsonl", [{"id": "x-3", "text": "就要这个"}])  # id: a number there, text here
    summary = score_local(folder, tmp_path / "mixed.parquet", model)
    out = pq.read_table(tmp_path / "mixed.parquet")
    assert summary.rows == summary.scored == 3 and out.column("id").to_pylist() == ["1", "2", "x-3"]
    # a BOM, a first line that is not JSON, and a first object without the text field: all read
    odd = tmp_path / "odd.jsonl"
    odd.write_bytes("\ufeff".encode() + b'garbage\n{"id": 1}\n{"id": 2, "text": "\xe5\xa4\x9a\xe5\xb0\x91\xe9\x92\xb1"}\n')
    summary = score_local(odd, tmp_path / "odd.csv", model)
    assert summary.rows == 3 and summary.scored == 1 and summary.bad == {"bad JSON": 1, "missing text": 1}
    logs = tmp_path / "logs"  # names that do not tell: read with the format given
    logs.mkdir()
    write_jsonl(logs / "2026-12-01.log", [{"text": "多少钱"}])
    write_jsonl(logs / "2026-12-02.log", [{"text": "有货吗"}])
    summary = score_local(logs, tmp_path / "logs.csv", model, input_format="jsonl")
    assert summary.rows == summary.scored == 2
    with pytest.raises(DataError, match="no CSV, JSONL or Parquet file"):
        input_files(logs)
    pq.write_table(pa.table({"text": ["x"]}), logs / "extra.parquet")
    with pytest.raises(DataError, match="extra.parquet, a parquet file, but the input format is jsonl"):
        input_files(logs, "jsonl")
    nan = tmp_path / "nan.parquet"  # NaN in an input column: null in JSONL (bare NaN is not JSON)
    pq.write_table(pa.table({"text": ["多少钱"], "price": [float("nan")], "ok": [1.5]}), nan)
    score_local(nan, tmp_path / "nan.jsonl", model)
    row = json.loads((tmp_path / "nan.jsonl").read_text(encoding="utf-8"), parse_constant=pytest.fail)
    assert row["price"] is None and row["ok"] == 1.5 and row["stage"] in STAGES
    twice = tmp_path / "twice.csv"
    twice.write_text("text,text\n多少钱,有货吗\n", encoding="utf-8")
    with pytest.raises(DataError, match="'text' more than once"):
        score_local(twice, tmp_path / "twice_out.csv", model)


# --- the Ray Data engine ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ray_local():
    """Ray in local mode: 3 logical CPUs, so 2 model actors leave one for reading and writing."""
    try:
        import ray
    except ImportError:
        pytest.fail("Ray Data is not installed, and the Ray engine's tests need it: pip install -e '.[test]'")
    ray.init(num_cpus=3, include_dashboard=False, logging_level=logging.WARNING, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


def test_ray_engine_equals_local_engine_on_10k_rows(tmp_path, model_dir, model, ray_local):
    rows = messages(10_500)
    src = tmp_path / "logs"  # three files of odd sizes: Ray's batches fall elsewhere than the local engine's
    src.mkdir()
    write_jsonl(src / "part-0.jsonl", rows[:3333])
    write_jsonl(src / "part-1.jsonl", rows[3333:7334], BAD_LINES)
    write_jsonl(src / "part-2.jsonl", rows[7334:])
    local_out, ray_out = tmp_path / "local.parquet", tmp_path / "ray_out"
    args = ["batch", "score", "--input", str(src), "--model", str(model_dir), "--json"]
    local = CliRunner().invoke(cli, [*args, "--output", str(local_out)])
    remote = CliRunner().invoke(cli, [*args, "--output", str(ray_out), "--engine", "ray", "--workers", "2"])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    s_local, s_ray = (json.loads(r.output.strip().splitlines()[-1]) for r in (local, remote))
    assert s_ray["engine"] == "ray" and s_ray["workers"] == 2
    for key in ("rows", "scored", "bad", "stages"):
        assert s_local[key] == s_ray[key]
    assert s_ray["rows"] == 10_508 and s_ray["bad"] == BAD_COUNTS
    a, b = pq.read_table(local_out), pq.read_table(ray_out)
    assert len(list(ray_out.glob("*.parquet"))) > 1  # written by the actors in parts ...
    assert b.column("id").to_pylist() == a.column("id").to_pylist()  # ... in input order
    assert a.column("id").to_pylist()[7334:7342] == [-1, -2, -3, -4, None, None, -5, -6]
    assert a.column("stage").to_pylist() == b.column("stage").to_pylist()
    for col in (*PROB_COLUMNS, "score"):
        x, y = a.column(col).to_numpy(zero_copy_only=False), b.column(col).to_numpy(zero_copy_only=False)
        assert np.array_equal(np.isnan(x), np.isnan(y))
        assert np.nanmax(np.abs(x - y)) <= 1e-12
    assert a.replace_schema_metadata(None).equals(b.replace_schema_metadata(None))  # bit for bit, every column
    assert_scores_match(b, model, list(range(0, 10_500, 211)))


def test_ray_engine_reads_csv_folders_and_checks_its_limits(tmp_path, model_dir, model, ray_local):
    from chatbot.batch.ray_engine import score_ray

    folder = tmp_path / "logs"
    folder.mkdir()
    rows = messages(1500)
    for k, part in enumerate((rows[:700], rows[700:])):
        table = pa.Table.from_pylist(part)
        pacsv.write_csv(table.cast(pa.schema([(f.name, pa.string()) for f in table.schema])), folder / f"{k}.csv")
    # an address: the test's own Ray, already running, is used as it is (and left running)
    summary = score_ray(folder, tmp_path / "scored.parquet", model_dir, workers=1, chunk_size=128, address="auto")
    out = pq.read_table(tmp_path / "scored.parquet")
    assert summary.rows == 1500 and summary.workers == 1
    assert out.column("sku").to_pylist() == [r["sku"] for r in rows]
    assert_scores_match(out, model, list(range(0, 1500, 97)))
    parts = sorted(p.name for p in (tmp_path / "scored.parquet").iterdir())
    # a job that fails keeps the old output; --overwrite with a good job replaces every old part
    broken = tmp_path / "broken.csv"  # the header reads; a row further on is not UTF-8: the job itself fails
    broken.write_bytes(b"id,text\n1,ok\n" + b"2,\xff\xfe\xfa\n" * 50)
    with pytest.raises(DataError):
        score_ray(broken, tmp_path / "scored.parquet", model_dir, workers=1, address="auto", overwrite=True)
    assert sorted(p.name for p in (tmp_path / "scored.parquet").iterdir()) == parts
    again = score_ray(folder / "0.csv", tmp_path / "scored.parquet", model_dir, workers=1, address="auto",
                      overwrite=True)
    assert again.rows == 700 and pq.read_table(tmp_path / "scored.parquet").num_rows == 700
    assert not set(p.name for p in (tmp_path / "scored.parquet").iterdir()) & set(parts)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".scored.parquet.partial")]  # staging removed
    too_many = CliRunner().invoke(cli, ["batch", "score", "--input", str(folder), "--output", str(tmp_path / "x"),
                                        "--engine", "ray", "--workers", "3", "--model", str(model_dir)])
    assert too_many.exit_code == 2 and "would hold all 3 CPUs" in too_many.output, too_many.output
    # the same folder as a URI (as s3://… would be): listed through pyarrow, one read task per file, every CSV
    # column read as text, so the ids with leading zeros survive
    uri = score_ray(f"file://{folder}", tmp_path / "from_uri", model_dir, workers=1, chunk_size=128, address="auto")
    assert uri.rows == 1500
    assert pq.read_table(tmp_path / "from_uri").column("sku").to_pylist() == [r["sku"] for r in rows]
    # a URI output: the summary is counted by a Ray task on a node, never read back by the driver (pyarrow's
    # reader fails in this process only, as it would where only the cluster holds the bucket's credentials)
    real_read = pq.read_table

    def no_access(*a, **k):
        raise OSError("driver has no credentials for this bucket")

    pq.read_table = no_access
    try:
        to_uri = score_ray(folder, f"file://{tmp_path}/to_uri", model_dir, workers=1, chunk_size=128,
                           address="auto")
    finally:
        pq.read_table = real_read
    assert to_uri.output == f"file://{tmp_path}/to_uri"
    assert (to_uri.rows, to_uri.scored, to_uri.stages, to_uri.bad) == (uri.rows, uri.scored, uri.stages, uri.bad)
    assert pq.read_table(tmp_path / "to_uri").column("sku").to_pylist() == [r["sku"] for r in rows]
    csv_out = CliRunner().invoke(cli, ["batch", "score", "--input", str(folder), "--output",
                                       str(tmp_path / "x.csv"), "--engine", "ray", "--model", str(model_dir)])
    assert csv_out.exit_code == 2 and "folder of Parquet files" in csv_out.output


def test_uri_inputs_are_listed_and_read_like_local_folders(tmp_path):
    from chatbot.batch.io import first_columns

    folder = tmp_path / "logs"
    (folder / "2026" / "12").mkdir(parents=True)
    (folder / "2026" / "12" / "b.csv").write_text("id,text\n0007,多少钱\n", encoding="utf-8")
    (folder / "a.csv").write_text("\ufeffid,text\n0001,有货吗\n", encoding="utf-8")
    (folder / "_SUCCESS").write_text("", encoding="utf-8")
    (folder / ".a.csv.crc").write_text("x", encoding="utf-8")
    files, fmt = input_files(f"file://{folder}")
    assert fmt == "csv" and files == [f"file://{folder}/2026/12/b.csv", f"file://{folder}/a.csv"]
    assert first_columns(files[1], "csv") == ["id", "text"]  # BOM stripped, as for a local file
    write_jsonl(tmp_path / "one.jsonl", [{"id": 1}, {"id": 2, "text": "hi"}])
    assert input_files(f"file://{tmp_path}/one.jsonl") == ([f"file://{tmp_path}/one.jsonl"], "jsonl")
    assert first_columns(f"file://{tmp_path}/one.jsonl", "jsonl") == ["id", "text"]
    with pytest.raises(DataError, match="no input at file://"):
        input_files(f"file://{tmp_path}/nowhere")
    # a scheme this machine cannot open is passed on whole, as before (the cluster may read it)
    assert input_files("nosuchscheme://bucket/logs", "parquet") == (["nosuchscheme://bucket/logs"], "parquet")
    assert first_columns("nosuchscheme://bucket/logs/a.csv", "csv") is None


def test_an_unreachable_ray_cluster_is_one_clean_error(tmp_path, model_dir):
    """``--address ray://…`` nobody answers: the Ray client (the ``ray[client]`` extra) gives up and the command
    says so in one line, no traceback (timeouts shortened through Ray's own environment variables)."""
    import os
    import subprocess
    import sys

    src = write_jsonl(tmp_path / "in.jsonl", messages(5))
    env = {**os.environ, "RAY_CLIENT_INITIAL_CONNECTION_TIMEOUT_S": "1", "RAY_CLIENT_MAX_CONNECTION_TIMEOUT_S": "2"}
    env.pop("RAY_ADDRESS", None)
    proc = subprocess.run([sys.executable, "-m", "chatbot.cli", "batch", "score", "--input", str(src), "--output",
                           str(tmp_path / "out"), "--engine", "ray", "--address", "ray://127.0.0.1:1", "--model",
                           str(model_dir)], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "cannot connect to the Ray cluster at ray://127.0.0.1:1" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
