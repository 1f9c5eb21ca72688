"""The bilingual product-kind glossary: its shape, its lookups, and its agreement with the built-in categories."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict

import pytest

from catalog.categories import CATEGORIES
from catalog.glossary import GLOSSARY, equivalents

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[a-z]")


def norm(word: str) -> str:
    """The form glossary words are written in: NFKC, case-folded, whitespace collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", word).casefold()).split())


def is_zh(word: str) -> bool:
    return bool(HAN.search(word))


def is_en(word: str) -> bool:
    return not is_zh(word) and bool(LATIN.search(word))


def builtin_words() -> dict[str, set[str]]:
    """Normalised word -> slugs of the built-in categories that name it (display name or synonym)."""
    out: dict[str, set[str]] = defaultdict(set)
    for cat in CATEGORIES:
        for word in (cat.zh, cat.en, *cat.synonyms_zh, *cat.synonyms_en):
            out[norm(word)].add(cat.slug)
    return out


def test_at_least_250_groups():
    assert len(GLOSSARY) >= 250, len(GLOSSARY)


def test_no_word_in_two_groups():
    where: dict[str, list[str]] = defaultdict(list)
    for group in GLOSSARY:
        for word in set(group):
            where[word].append(group[0])
    twice = {word: heads for word, heads in where.items() if len(heads) > 1}
    assert not twice, f"words in more than one group (word: first words of the groups): {twice}"


def test_no_word_twice_in_a_group():
    repeated = [group for group in GLOSSARY if len(set(group)) != len(group)]
    assert not repeated, repeated


def test_every_group_has_chinese_then_english():
    bad = []
    for group in GLOSSARY:
        zh = [w for w in group if is_zh(w)]
        en = [w for w in group if is_en(w)]
        if not zh or not en or list(group) != zh + en:
            bad.append(group)
    assert not bad, f"groups without a Chinese and an English word, Chinese first: {bad}"


def test_words_are_normalised_and_not_empty():
    bad = [w for group in GLOSSARY for w in group if not w or norm(w) != w]
    assert not bad, f"words not in normal form (NFKC, case-folded, stripped): {bad}"


def test_no_single_character_chinese_words():
    # A one-character term ("茶", "书") would match inside longer words ("奶茶", "书包") in the query parser.
    short = [w for group in GLOSSARY for w in group if is_zh(w) and len(w) == 1]
    assert not short, short


def test_lookup_examples():
    assert "口红" in equivalents("Lipstick")
    assert "cat litter" in equivalents("猫砂")
    assert equivalents("猫砂")[0] == "猫砂"
    assert equivalents("cat litter") == equivalents("猫砂")
    assert "唇膏" in equivalents("口红") and "lipsticks" in equivalents("唇膏")
    # lip gloss is its own kind, not a lipstick
    assert "口红" not in equivalents("唇釉") and "lip gloss" in equivalents("唇釉")


@pytest.mark.parametrize("typed, expected", [
    ("  LIPSTICK  ", "口红"),            # case and surrounding space
    ("ＬＩＰＳＴＩＣＫ", "口红"),          # full-width latin (NFKC)
    ("Ｔ恤", "t-shirt"),                 # full-width latin next to Han
    ("Cat   Litter", "猫砂"),            # inner whitespace collapsed
    ("Nappies", "纸尿裤"),               # UK spelling
    ("moisturiser", "moisturizer"),      # US/UK variants share a group
])
def test_lookup_normalises_the_word(typed, expected):
    assert expected in equivalents(typed)


@pytest.mark.parametrize("word", ["", "   ", "no such thing", "口红口红", "lipstic", "\u200b"])
def test_unknown_word_gives_empty_tuple(word):
    assert equivalents(word) == ()


def test_every_word_finds_its_own_group():
    for group in GLOSSARY:
        for word in group:
            assert equivalents(word) == group, word
            assert equivalents(word.upper()) == group, word


def test_lookup_is_fast():
    words = [w for group in GLOSSARY for w in group]
    equivalents(words[0])  # build the table
    start = time.perf_counter()
    for _ in range(20):
        for w in words:
            equivalents(w)
    per_call = (time.perf_counter() - start) / (20 * len(words))
    assert per_call < 50e-6, f"{per_call * 1e6:.1f} µs per lookup"


def test_import_is_instant_and_stdlib_only():
    code = (
        "import sys, time, json; before = set(sys.modules); t = time.perf_counter(); import catalog.glossary; "
        "dt = time.perf_counter() - t; "
        "new = sorted(m for m in set(sys.modules) - before if m.split('.')[0] not in sys.stdlib_module_names); "
        "print(json.dumps([dt, new]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, non_stdlib = json.loads(out.stdout)
    assert non_stdlib == ["catalog", "catalog.glossary"], non_stdlib
    assert seconds < 0.5, seconds


def test_display_names_do_not_sit_with_another_categorys_synonyms():
    """A built-in category's display name ("手机", "Phones") may head a glossary group only if no other word of
    that group is a synonym of a *different* built-in category (which would send one category's name to
    another's products)."""
    named = builtin_words()
    found, clashes = [], []
    for cat in CATEGORIES:
        own = {norm(w) for w in (cat.zh, cat.en, *cat.synonyms_zh, *cat.synonyms_en)}
        for name in {norm(cat.zh), norm(cat.en)}:
            group = equivalents(name)
            if not group:
                continue
            found.append(name)
            for word in group:
                others = named.get(word, set()) - {cat.slug}
                if others and word not in own:
                    clashes.append((cat.slug, name, word, sorted(others)))
    assert not clashes, f"(category, display name, glossary word, other categories): {clashes}"
    # the check must have something to check: several display names are glossary words
    assert len(found) >= 5, found


def test_no_group_spans_two_builtin_categories():
    """Stricter: the built-in words in one glossary group all belong to the same built-in category."""
    named = builtin_words()
    spans = []
    for group in GLOSSARY:
        slugs = set().union(*(named.get(w, set()) for w in group))
        if len(slugs) > 1:
            spans.append((group[0], sorted(slugs)))
    assert not spans, spans
