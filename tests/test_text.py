"""intent.text: normalisation and segmentation."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intent.text import MAX_CHARS, Segmenter, get_segmenter, load_stopwords, normalize, tokenize


@pytest.mark.parametrize("raw, expected", [
    ("ＩＰＨＯＮＥ１５　２５６Ｇ", "iphone15 256g"),       # full width → half width, ideographic space
    ("  a \t b\n\n c  ", "a b c"),                       # whitespace collapsed
    ("a\x00b\x07c\x1b", "abc"),                           # control characters dropped
    ("买\u200b跑鞋\ufeff", "买跑鞋"),                      # zero-width / BOM dropped
    ("Straße", "strasse"),                                # casefold
    ("", ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_keeps_case_when_asked():
    assert normalize("iPhone", casefold=False) == "iPhone"


def test_lone_surrogates_become_encodable():
    out = normalize("a\ud800b\udfffc")
    assert out == "a\ufffdb\ufffdc"
    out.encode("utf-8")
    assert normalize("\ud83d\ude00") == "😀"  # a surrogate pair left in a str is joined


def test_huge_input_is_truncated_fast():
    import time

    t = time.perf_counter()
    out = normalize("我想买跑鞋 " * 20_000)  # 120k chars
    assert len(out) <= MAX_CHARS
    assert time.perf_counter() - t < 0.5
    assert len(tokenize("长" * 100_000)) <= MAX_CHARS


def test_normalize_rejects_non_str():
    with pytest.raises(TypeError):
        normalize(None)  # type: ignore[arg-type]


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_normalize_is_safe_and_idempotent(text):
    out = normalize(text)
    out.encode("utf-8")
    assert len(out) <= MAX_CHARS
    assert out == out.strip()
    assert "  " not in out
    assert normalize(out) == out


@pytest.mark.parametrize("text, token", [
    ("我想买256G的", "256g"),
    ("iPhone15多少钱", "iphone15"),
    ("iphone 15 多少钱", "iphone15"),
    ("想要 iPhone 15 Pro", "iphone15"),
    ("预算500元", "500元"),
    ("airpods pro2 有货吗", "airpods"),
    ("airpods pro2 有货吗", "pro2"),
    ("20000mAh的充电宝", "20000mah"),
    ("6.1寸屏幕", "6.1寸"),
])
def test_mixed_tokens_stay_whole(text, token):
    assert token in tokenize(text)


def test_number_unit_not_glued_to_preceding_word():
    assert tokenize("under 500元 running shoes")[:1] == ["500元"]  # 'under' is a stopword


def test_tokenize_drops_stopwords_and_punctuation_but_keeps_intent_words():
    toks = tokenize("我的，这个要了！不要那个？多少钱")
    assert "的" not in toks and "，" not in toks and "！" not in toks
    assert "要" in toks and "不要" in toks and "多少" in toks
    assert tokenize("I don't want the red one") == ["don't", "want", "red"]


def test_stopword_list_has_chinese_and_english():
    stop = load_stopwords()
    assert {"的", "了", "the", "a"} <= stop
    assert "要" not in stop and "not" not in stop


def test_segmenter_is_shared_lazy_and_thread_safe():
    seg = Segmenter()
    assert seg._jieba is None  # nothing loaded in the constructor
    results = []

    def work():
        results.append(seg.tokenize("我想买一双跑鞋"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == results[0] for r in results)
    assert get_segmenter() is get_segmenter()


def test_segmenter_custom_stopwords_and_pickle():
    import pickle

    seg = Segmenter(stopwords={"跑鞋"})
    assert "跑鞋" not in seg.tokenize("我想买跑鞋")
    seg2 = pickle.loads(pickle.dumps(seg))
    assert seg2.tokenize("我想买跑鞋") == seg.tokenize("我想买跑鞋")


def test_jieba_stays_quiet(caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        Segmenter().warm_up()
    assert not [r for r in caplog.records if r.name == "jieba"]
