"""The shipped labelled messages (intent/data/utterances.jsonl) and the generator that makes them."""

from __future__ import annotations

import json

import pytest

from intent.data.make_utterances import CATEGORIES, DATA_PATH, generate, normalise, summary

COLUMNS = {"text": str, "label": int, "level": int, "lang": str, "category": str, "source": str}


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


def test_labels_follow_levels(rows):
    for row in rows:
        assert row["label"] in (0, 1)
        assert row["level"] in (0, 1, 2)
        assert row["label"] == int(row["level"] == 2), row


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
    positives = sum(r["label"] for r in rows) / len(rows)
    assert 0.3 <= positives <= 0.55
    zh = sum(r["lang"] == "zh" for r in rows) / len(rows)
    assert 0.7 <= zh <= 0.9
    assert sum(r["source"] == "handwritten" for r in rows) >= 300
    for level in (0, 1, 2):
        for lang in ("zh", "en"):
            assert any(r["level"] == level and r["lang"] == lang for r in rows)


@pytest.mark.parametrize(("text", "level"), [
    ("不是要买，只是问问", 0), ("我不买了", 0), ("买的东西坏了", 0), ("已经买了怎么退货", 0),
    ("多少钱，合适就直接拍", 2), ("库存还有吗我现在就要", 2), ("要了", 2), ("有什么区别", 1), ("你好", 0),
])
def test_hard_cases_are_labelled(rows, text, level):
    by_text = {r["text"]: r["level"] for r in rows}
    assert by_text[text] == level


def test_generator_is_deterministic_and_matches_file(rows):
    assert generate() == rows, "utterances.jsonl is stale: run 'python -m intent.data.make_utterances'"


def test_summary_mentions_every_category(rows):
    text = summary(rows)
    assert f"total: {len(rows)}" in text
    assert all(cat in text for cat in {r["category"] for r in rows})
