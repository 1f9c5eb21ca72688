"""Simulator phrases: every frame in both languages, the slots each needs, apart from the training data and from
the real messages, and read by the query parser as the simulator means them."""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator

import pytest
from conftest_catalog import tiny_products

from catalog.filters import QueryParser
from chatbot.experiment.phrases import BUDGET_MEANING, FRAME_STAGE, FRAMES, PHRASES, SLOTS, frames, render
from intent import realdata
from intent.data.make_utterances import MESSAGE_FILES, generate, normalise

# Slots every frame of a name must have, and those it may have.
REQUIRED = {
    "open_need": {"category"}, "open_need_budget": {"category", "budget"}, "open_need_brand": {"category", "brand"},
    "open_need_budget_brand": {"category", "budget", "brand"}, "answer_need": {"category"},
    "answer_need_budget": {"category", "budget"}, "ask_detail": {"pick"}, "ask_compare": {"pick", "other"},
    "ask_other_brand": {"brand"}, "decide_pick": {"pick"},
}
OPTIONAL = {"service_open": {"order"}, "service_repeat": {"order"}}
MIN_FRAMES = {"zh": 8, "en": 5}

# Sample slot values, including every way the simulator names a shown product (simulator.pick_words) and a brand.
SAMPLE_SLOTS = {
    "zh": {"category": ["手机", "跑步鞋", "猫粮", "笔记本电脑"], "budget": [300, 3000], "brand": ["华为", "耐克", "李宁"],
           "pick": ["第二个", "第2款", "2号", "第二款", "华为"], "other": ["第一个", "1号", "耐克"],
           "order": ["348219384756"]},
    "en": {"category": ["phone", "running shoes", "cat food"], "budget": [300, 3000], "brand": ["Apple", "Nike"],
           "pick": ["the second one", "the second", "number 2", "Nike"], "other": ["the first one", "Apple"],
           "order": ["348219384756"]},
}
CATEGORY_SLUG = {"手机": "phones", "跑步鞋": "shoes", "猫粮": "pet_supplies", "笔记本电脑": "laptops",
                 "phone": "phones", "running shoes": "shoes", "cat food": "pet_supplies"}


def _names(frame: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(frame) if name is not None}


def _renderings(lang: str, frame: str) -> Iterator[tuple[dict[str, object], str]]:
    """(slots, text) for every combination of the sample values of the slots ``frame`` uses."""
    names = sorted(_names(frame))
    for combo in itertools.product(*(SAMPLE_SLOTS[lang][n] for n in names)):
        slots = dict(zip(names, combo, strict=True))
        yield slots, render(frame, **slots)


def _all_rendered(lang: str) -> Iterator[str]:
    for name in FRAMES:
        for frame in frames(lang, name):
            for _, text in _renderings(lang, frame):
                yield text


@pytest.fixture(scope="module")
def parser() -> QueryParser:
    return QueryParser(tiny_products())


# --- the bank's shape -----------------------------------------------------------------------------------------
def test_every_frame_name_has_a_stage_and_enough_frames_in_both_languages():
    assert FRAMES == tuple(FRAME_STAGE)
    assert set(FRAME_STAGE.values()) == {"browse", "consider", "ready", "service"}
    for lang, bank in PHRASES.items():
        assert tuple(bank) == FRAMES, lang
        short = {name: len(bank[name]) for name in FRAMES if len(bank[name]) < MIN_FRAMES[lang]}
        assert not short, (lang, short)
        duplicates = [f for name in FRAMES for f in bank[name]]
        assert len(duplicates) == len(set(duplicates)), lang
    assert set(PHRASES) == {"zh", "en"}


def test_placeholders_are_known_and_the_required_ones_present():
    for lang, name in itertools.product(PHRASES, FRAMES):
        required, allowed = REQUIRED.get(name, set()), REQUIRED.get(name, set()) | OPTIONAL.get(name, set())
        assert required <= allowed <= set(SLOTS)
        for frame in frames(lang, name):
            names = _names(frame)
            assert required <= names <= allowed, (lang, name, frame)


def test_service_frames_come_with_and_without_an_order_number():
    for lang in PHRASES:
        with_order = ["{order}" in f for f in frames(lang, "service_open")]
        assert any(with_order) and not all(with_order), lang


def test_english_frames_write_lower_case_and_amounts_in_cny():
    for name in FRAMES:
        for frame in frames("en", name):
            text = frame.replace("{", "").replace("}", "")
            assert text == text.lower(), frame
            if "{budget}" in frame:
                assert any(c in frame for c in ("yuan", "rmb", "cny", "¥")), frame
                assert not any(c in frame for c in ("$", "dollar", "usd", "bucks")), frame


# --- apart from the training data and from the real messages ----------------------------------------------------
@pytest.fixture(scope="module")
def training_keys() -> set[str]:
    keys = {normalise(r["text"]) for r in generate()}
    for path in MESSAGE_FILES:  # the hand-written messages, also read directly (generate() dedupes them)
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3:
                keys.add(normalise(parts[2]))
    return keys


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_no_rendered_frame_is_a_training_message(lang, training_keys):
    leaks = sorted({text for text in _all_rendered(lang) if normalise(text) in training_keys})
    assert not leaks, f"simulator phrases also in the intent training data: {leaks[:5]}"


@pytest.fixture(scope="module")
def real_keys() -> set[str]:
    """Every labelled real message of benchmarks/data/real_stages.tsv, and every other JD / Taobao shopper line
    and tweet of the shared folder (no length exemption: "好的谢谢" is a real message too)."""
    root = realdata.default_root()
    if not (root / realdata.JDDC_FILE).is_file():
        pytest.fail(f"the shared real data is missing: expected {root} (the project's ../shared/realdata)")
    labelled = realdata.labelled_messages(root)
    assert len(labelled) >= 1500
    keys = {normalise(m.text) for m, _, _ in labelled}
    keys |= {normalise(m.text) for m in realdata.shopper_messages(root).values()}
    keys |= {normalise(m.text) for m, _ in realdata.tweets(root)}
    return keys


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_no_rendered_frame_is_a_real_message(lang, real_keys):
    copies = sorted({text for text in _all_rendered(lang) if normalise(text) in real_keys})
    assert not copies, f"simulator phrases equal to real messages of ../shared/realdata: {copies[:5]}"


def test_the_apartness_check_would_catch_a_copy(training_keys, real_keys):
    """The checks above compare normalised keys: a copy differing in spaces or punctuation is still caught."""
    assert normalise("好的 谢谢！") in real_keys
    assert normalise("Any recommendations?") in training_keys
    assert normalise(render("{pick}有现货吗", pick="第二个")) not in real_keys | training_keys


# --- read by the query parser as the simulator means them -------------------------------------------------------
def test_every_budget_frame_says_what_its_amount_means():
    budget_frames = {f for lang in PHRASES for name in FRAMES for f in frames(lang, name) if "{budget}" in f}
    assert set(BUDGET_MEANING) == budget_frames
    assert set(BUDGET_MEANING.values()) == {"max", "around"}
    for lang in PHRASES:  # both kinds in every budget frame name
        for name in ("open_need_budget", "open_need_budget_brand", "answer_need_budget"):
            assert {BUDGET_MEANING[f] for f in frames(lang, name)} == {"max", "around"}, (lang, name)


_BUDGET_FRAMES = sorted(BUDGET_MEANING.items())


@pytest.mark.parametrize("frame,meaning", _BUDGET_FRAMES, ids=[f for f, _ in _BUDGET_FRAMES])
def test_the_parser_reads_each_budget_frame_as_its_words_mean(parser, frame, meaning):
    """A hard limit is read as exactly that upper bound; "about X" as a range around X (the parser's band)."""
    lang = "zh" if re.search(r"[\u4e00-\u9fff]", frame) else "en"
    for budget, category, brand in [(500, SAMPLE_SLOTS[lang]["category"][1], "Nike"), (3000, "手机", "华为"),
                                    (1500, SAMPLE_SLOTS[lang]["category"][0], "Apple")]:
        f = parser.parse(render(frame, category=category, budget=budget, brand=brand)).filters
        if meaning == "max":
            assert (f.min_price, f.max_price) == (None, budget), frame
        else:
            assert f.min_price < budget < f.max_price, frame


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_frames_without_a_budget_state_no_price_and_without_a_category_name_none(parser, lang):
    """Sizes, quantities, order numbers and "第2款" are never read as a budget; only {category} names a category."""
    wrong = []
    for name in FRAMES:
        for frame in frames(lang, name):
            for slots, text in _renderings(lang, frame):
                f = parser.parse(text).filters
                if "budget" not in slots and (f.min_price is not None or f.max_price is not None):
                    wrong.append((text, "price", f.min_price, f.max_price))
                if "category" not in slots and f.category is not None:
                    wrong.append((text, "category", f.category))
                if "category" in slots and f.category != CATEGORY_SLUG[str(slots["category"])]:
                    wrong.append((text, "category", f.category))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_brand_frames_name_the_brand_and_other_brand_frames_exclude_it(parser, lang):
    products = {p.brand: p for p in tiny_products()}
    brands = {"zh": {"耐克": "耐克", "华为": "华为"}, "en": {"Nike": "耐克", "Apple": "Apple"}}[lang]
    for (word, brand), name in itertools.product(brands.items(), ("open_need_brand", "open_need_budget_brand")):
        for frame in frames(lang, name):
            text = render(frame, category=SAMPLE_SLOTS[lang]["category"][0], budget=3000, brand=word)
            assert brand in parser.parse(text).filters.brands, text
    for word, brand in brands.items():
        for frame in frames(lang, "ask_other_brand"):
            text = render(frame, brand=word)
            f = parser.parse(text, shown=[products[brand]]).filters
            assert brand in f.exclude_brands and brand not in f.brands, text


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_cheaper_frames_are_read_as_asking_for_cheaper(parser, lang):
    shown = [p for p in tiny_products() if p.category == "phones"]
    for frame in frames(lang, "ask_cheaper"):
        q = parser.parse(frame, shown=shown)
        assert q.cheaper and q.filters.max_price < min(p.price for p in shown), frame


# --- the two functions ------------------------------------------------------------------------------------------
def test_render_fills_and_ignores_extra_slots():
    assert render("预算{budget}元的{category}", category="手机", budget=3000.0, brand="华为") == "预算3000元的手机"
    assert render("{pick}和{other}有啥区别", pick="第二个", other="1号", order="1") == "第二个和1号有啥区别"
    assert render("bye", category="phone") == "bye"


def test_render_names_missing_slots():
    with pytest.raises(ValueError, match="brand"):
        render("{brand} {category}", category="phone")


def test_frames_rejects_unknown_names():
    with pytest.raises(ValueError, match="language"):
        frames("fr", "open_need")
    with pytest.raises(ValueError, match="frame name"):
        frames("zh", "haggle")
    assert frames("zh", "decide_pick") is PHRASES["zh"]["decide_pick"]
