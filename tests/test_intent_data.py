"""The shipped labelled messages (intent/data/utterances.jsonl) and the generator that makes them."""

from __future__ import annotations

import json

import pytest

from intent.data.make_utterances import CATEGORIES, DATA_PATH, generate, normalise, summary

COLUMNS = {"text": str, "stage": str, "label": int, "level": int, "lang": str, "category": str, "source": str,
           "group": str}
STAGES = ("browse", "consider", "ready", "service")


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with open(DATA_PATH, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_columns_and_types(rows):
    for row in rows:
        assert set(row) == set(COLUMNS), row
        for name, kind in COLUMNS.items():
            assert type(row[name]) is kind, (name, row)
        assert row["text"].strip() == row["text"] and row["text"]


def test_labels_follow_stages(rows):
    level = {"browse": 0, "service": 0, "consider": 1, "ready": 2}
    for row in rows:
        assert row["stage"] in STAGES
        assert row["level"] == level[row["stage"]], row
        assert row["label"] == int(row["stage"] == "ready"), row


def test_groups_name_the_frame(rows):
    templated = [r for r in rows if r["source"] == "template"]
    assert all(r["group"].startswith(f"{r['lang']}:{r['stage']}:") for r in templated)
    assert len({r["group"] for r in templated}) > 300  # many frames, so grouped folds have something to split
    written = [r["group"] for r in rows if r["source"] == "handwritten"]
    assert len(set(written)) == len(written)  # every literal message is its own group


def test_field_vocabularies(rows):
    assert {r["lang"] for r in rows} == {"zh", "en"}
    assert {r["source"] for r in rows} == {"template", "handwritten"}
    assert {r["category"] for r in rows} <= set(CATEGORIES) | {"none"}


def test_no_duplicates(rows):
    texts = [r["text"].strip() for r in rows]
    assert len(texts) == len(set(texts))
    keys = [normalise(t) for t in texts]
    assert len(keys) == len(set(keys))


def test_size_coverage_and_balance(rows):
    assert len(rows) >= 3000
    assert len({r["category"] for r in rows} - {"none"}) >= 12
    for stage in STAGES:
        assert 0.15 <= sum(r["stage"] == stage for r in rows) / len(rows) <= 0.4, stage
        for lang in ("zh", "en"):
            assert sum(r["stage"] == stage and r["lang"] == lang for r in rows) >= 100, (stage, lang)
    zh = sum(r["lang"] == "zh" for r in rows) / len(rows)
    assert 0.6 <= zh <= 0.9
    assert sum(r["source"] == "handwritten" for r in rows) >= 2000


@pytest.mark.parametrize(("text", "stage"), [
    ("不是要买，只是问问", "browse"), ("我不买了", "browse"), ("买的东西坏了", "service"),
    ("已经买了怎么退货", "service"), ("刚下单就降价了 能退差价吗", "service"), ("多少钱，合适就直接拍", "ready"),
    ("库存还有吗我现在就要", "ready"), ("要了", "ready"), ("有什么区别", "consider"), ("你好", "browse"),
])
def test_hard_cases_are_labelled(rows, text, stage):
    by_text = {r["text"]: r["stage"] for r in rows}
    assert by_text[text] == stage


def test_generator_is_deterministic_and_matches_file(rows):
    assert generate() == rows, "utterances.jsonl is stale: run 'python -m intent.data.make_utterances'"


def test_summary_mentions_every_category(rows):
    text = summary(rows)
    assert f"total: {len(rows)}" in text
    assert all(cat in text for cat in {r["category"] for r in rows})
