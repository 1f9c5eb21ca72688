"""Simulator phrases: well-formed, renderable, and never equal to a training message."""

from __future__ import annotations

import itertools
import string

import pytest
from conftest_catalog import tiny_products

from catalog.filters import QueryParser
from chatbot.experiment.phrases import BUDGET_MEANING, PHRASES, SLOTS, STAGE_READINESS, STAGES, frames, render
from intent.data.make_utterances import generate, normalise

SAMPLE_SLOTS = {
    "zh": {"category": ["手机", "跑鞋", "猫粮", "笔记本电脑"], "budget": [300, 3000], "brand": ["华为", "耐克", "小米"]},
    "en": {"category": ["phone", "running shoes", "cat food"], "budget": [300, 3000], "brand": ["Apple", "Nike"]},
}


def _rendered(lang: str):
    s = SAMPLE_SLOTS[lang]
    for stage in STAGES:
        for frame in frames(lang, stage):
            for category, budget, brand in itertools.product(s["category"], s["budget"], s["brand"]):
                yield render(frame, category=category, budget=budget, brand=brand)


def test_every_language_has_every_stage():
    for lang, stages in PHRASES.items():
        assert tuple(stages) == STAGES, lang
        assert all(len(stages[stage]) >= 4 for stage in STAGES), lang
    assert set(STAGE_READINESS.values()) == {0, 1, 2}


def test_placeholders_are_known():
    for lang, stage in itertools.product(PHRASES, STAGES):
        for frame in frames(lang, stage):
            names = {name for _, name, _, _ in string.Formatter().parse(frame) if name is not None}
            assert names <= set(SLOTS), (lang, stage, frame)
            if stage.startswith("opening"):
                assert "category" in names, frame
            if stage.startswith("opening_budget"):
                assert "budget" in names, frame
            if stage.startswith("opening") and stage.endswith("brand"):
                assert "brand" in names, frame


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_no_rendered_phrase_is_a_training_message(lang):
    training = {normalise(r["text"]) for r in generate()}
    leaks = sorted({text for text in _rendered(lang) if normalise(text) in training})
    assert not leaks, f"simulator phrases also in utterances.jsonl: {leaks[:5]}"


def test_every_budget_frame_says_what_its_amount_means():
    budget_frames = {f for lang in PHRASES for stage in STAGES for f in frames(lang, stage) if "{budget}" in f}
    assert set(BUDGET_MEANING) == budget_frames
    assert set(BUDGET_MEANING.values()) == {"max", "around"}


_BUDGET_FRAMES = sorted(BUDGET_MEANING.items())


@pytest.mark.parametrize("frame,meaning", _BUDGET_FRAMES, ids=[f for f, _ in _BUDGET_FRAMES])
def test_the_parser_reads_each_budget_frame_as_its_words_mean(frame, meaning):
    """A hard limit is read as exactly that upper bound; "about X" as a range around X (the parser's band)."""
    parser = QueryParser(tiny_products())
    lang = "en" if frame.isascii() else "zh"
    for budget, category, brand in [(500, SAMPLE_SLOTS[lang]["category"][1], "Nike"), (3000, "手机", "华为"),
                                    (1500, SAMPLE_SLOTS[lang]["category"][0], "Apple")]:
        f = parser.parse(render(frame, category=category, budget=budget, brand=brand)).filters
        if meaning == "max":
            assert (f.min_price, f.max_price) == (None, budget), frame
        else:
            assert f.min_price < budget < f.max_price, frame


def test_render_fills_and_ignores_extra_slots():
    assert render("预算{budget}元的{category}", category="手机", budget=3000.0, brand="华为") == "预算3000元的手机"
    assert render("bye", category="phone") == "bye"


def test_render_names_missing_slots():
    with pytest.raises(ValueError, match="brand"):
        render("{brand} {category}", category="phone")


def test_frames_rejects_unknown_names():
    with pytest.raises(ValueError, match="language"):
        frames("fr", "opening")
    with pytest.raises(ValueError, match="stage"):
        frames("zh", "haggle")
