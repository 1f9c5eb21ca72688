"""intent.text: normalisation and segmentation."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import intent.text
from intent.text import (
    MAX_CHARS,
    Segmenter,
    clean_text,
    detect_lang,
    get_segmenter,
    is_punctuation,
    is_subsequence,
    load_stopwords,
    normalize,
    tokenize,
)


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


# ---------------------------------------------------------------------------------------------------------
# One normaliser: clean_text is normalize with NFKC, case folding and the cut off, lone surrogates dropped.
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    (" 你好\x00\u200b  世界\n", "你好 世界"),
    ("ＩＰｈｏｎｅ\t15\r\n", "ＩＰｈｏｎｅ 15"),          # width and case kept, any whitespace → one space
    ("a\u202eb\u2066c\ufeffd\xade", "abcde"),          # bidi marks and isolates, BOM, soft hyphen
    ("a\ud800b\ud83d\ude00", "ab😀"),                      # a lone surrogate dropped, a pair joined
    ("x" * (MAX_CHARS + 10), "x" * (MAX_CHARS + 10)),      # no cut: callers cut
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_clean_text_is_normalize_without_nfkc_and_casefold(text):
    out = clean_text(text)
    assert out == normalize(text, nfkc=False, casefold=False, max_chars=None, surrogates="drop")
    assert normalize(out) == normalize(text)
    out.encode("utf-8")


def test_control_regex_is_only_a_fast_path():
    """Every character the regex removes is one the per-character rule drops too (so they cannot disagree)."""
    everything = "".join(map(chr, range(0x110000)))
    removed = intent.text._CONTROL.findall(everything)
    assert len(removed) > 80
    assert all(intent.text._clean_char(c) == "" for c in removed)


@pytest.mark.parametrize("text, default, lang", [
    ("500以内的跑鞋", "zh", "zh"), ("Nike 跑鞋", "en", "zh"), ("running shoes", "zh", "en"),
    ("500", "en", "en"), ("500", "zh", "zh"), ("!!", "xx", "zh"),
    ("\u3400", "en", "zh"),        # CJK Extension A
    ("\uf900", "en", "zh"),        # compatibility ideograph
    ("\U00020000", "en", "zh"),    # Extension B
    ("<img src=x onerror=alert(1)>", "zh", "zh"),  # markup alone is no language: the session's stays
    ("https://shop.example/item/1 &amp;", "zh", "zh"), ("<b>cheap earbuds</b>", "zh", "en"),
])
def test_detect_lang_full_han_ranges(text, default, lang):
    assert detect_lang(text, default=default) == lang


@pytest.mark.parametrize("short, long, expected", [
    ("跑鞋", "跑步鞋", True), ("鞋跑", "跑步鞋", False), ("", "abc", True), ("abc", "", False),
    ("aa", "a", False), ("aa", "aba", True),
])
def test_is_subsequence(short, long, expected):
    assert is_subsequence(short, long) is expected


def test_is_punctuation():
    assert is_punctuation("，") and is_punctuation("++") and is_punctuation("《》") and is_punctuation(" ")
    assert not is_punctuation("c++") and not is_punctuation("跑鞋") and not is_punctuation("500")
