"""What one turn's facts allow, in the forms the verifier's checks compare with.

:class:`CatalogIndex` is what the catalog knows (built once per :class:`~chatbot.llm.verify.Verifier`):
brands with their alias groups, titles' leading parts, product-line words. :class:`Digest` is one turn's
:class:`~chatbot.llm.facts.ReplyFacts` (and the shopper's message) digested: the amounts, numbers, names,
delivery promises and product mentions a reply may state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from catalog.filters import _TermMatcher
from chatbot.llm import claims as cl
from chatbot.llm.facts import ProductFacts, ReplyFacts
from intent.text import HAN, normalize

__all__ = ["CatalogIndex", "Digest", "VERBATIM_CHARS", "line_words", "mention_names"]

VERBATIM_CHARS = 12  # a stretch of the template this long, copied as a sentence, is the template's claim


@dataclass(frozen=True)
class CatalogIndex:
    """What the catalog knows (built once per verifier): brands with their alias groups, titles' leading
    parts, and product-line words."""

    brands: _TermMatcher
    brand_group: dict[str, str]                # brand or alias (lower) -> group id
    group_terms: dict[str, tuple[str, ...]]    # group id -> its names
    exact: dict[str, frozenset[str]]           # everyday latin brand -> its catalog spellings (case kept)
    titles: _TermMatcher
    title_display: dict[str, str]
    line_words: frozenset[str]
    han_lines: frozenset[str]


def line_words(low_titles: Iterable[str]) -> tuple[set[str], set[str]]:
    words, han = set(), set()
    for t in low_titles:
        for m in cl.LINE_PAIR.finditer(t):
            if m.group(1) not in cl.LINE_STOP and len(m.group(1)) > 1:
                words.add(m.group(1))
        for m in cl.HAN_PAIR.finditer(t):
            if m.group(1) not in cl.HAN_LINE_STOP:
                han.add(m.group(1))
    return words, han


class Digest:
    """The facts of one turn in the forms the checks compare with."""

    def __init__(self, facts: ReplyFacts, shopper_text: str, index: CatalogIndex, usd_rate: float) -> None:
        self.products = facts.products
        self.lang = facts.lang
        n = len(facts.products)
        self.n = n
        self.titles = [cl.low(p.title) for p in facts.products]
        product_texts = []
        for title, p in zip(self.titles, facts.products, strict=True):
            fields = (p.brand, p.category, *p.attributes.keys(), *p.attributes.values())
            product_texts.append("\n".join([title, *(cl.low(str(x)) for x in fields)]))
        self.template = cl.low(facts.template)
        self.template_sentences = {self.template[s:e].strip() for s, e in cl.spans(self.template, cl.SENTENCE)}
        self.delivery = "\n".join(cl.low(t) for t in (facts.delivery, facts.template, facts.policy_text) if t)
        other = [self.template, cl.low(facts.filters_text), cl.low(facts.delivery), cl.low(facts.policy_text),
                 cl.low(facts.cart_added)]
        self.text = "\n".join(product_texts + other)
        self.compact = self.text.replace(" ", "")
        text = self.text

        # money
        budget = [b for b in (facts.min_price, facts.max_price) if b is not None]
        if facts.min_price is not None and facts.max_price is not None:
            budget.append((facts.min_price + facts.max_price) / 2)
        self.budget = {cl.cents(b) for b in budget}
        self.money = {cl.cents(p.price) for p in facts.products} | self.budget
        self.usd: set[int] = set()
        fact_amounts = cl.amounts(text)
        for a in fact_amounts:
            (self.usd if a.usd else self.money).update(cl.cents(v) for v in a.values)
        self.diffs = {abs(cl.cents(a.price) - cl.cents(b.price)) for a, b in combinations(facts.products, 2)}
        self.usd_rate = usd_rate

        # numbers
        nums = {cl.key(float(x)) for x in cl.FACT_NUMBER.findall(text)}
        nums.update(cl.key(v) for _s, _e, vs in cl.plain_numbers(text) for v in vs)
        nums.update(cl.key(v) for a in fact_amounts for v in a.values)
        nums.update(cl.key(float(v)) for p in facts.products for v in (p.stock, p.rating, p.price, p.rank))
        nums.update(cl.key(float(i)) for i in range(1, n + 1))
        nums.update(cl.key(b) for b in budget)
        nums.add(1.0)
        if shopper_text:
            s_low = cl.low(shopper_text)
            money_spans = [(a.start, a.end) for a in cl.amounts(s_low)]
            nums.update(cl.key(v) for _s, _e, vs in cl.plain_numbers(s_low, money_spans) for v in vs)
        self.numbers = nums
        self.percents = {cl.key(v) for m in cl.PERCENT.finditer(text) for v in cl.numbers_of(m.group(1) or m.group(2))}

        # names
        self.tokens = {t.lower() for t in cl.TOKEN.findall(text)}
        self.words = set(cl.WORD.findall(text)) | cl.ZH_LATIN_OK
        self.pairs = {(m.group(1), cl.key(float(m.group(2)))) for m in cl.LINE_PAIR.finditer(text)}
        self.han_pairs = {(m.group(1), cl.key(float(m.group(2)))) for m in cl.HAN_PAIR.finditer(text)}
        words, han = line_words(self.titles)
        self.line_words = index.line_words | words
        self.han_lines = index.han_lines | han
        self.shown_groups = set()
        for p in facts.products:
            b = cl.low(p.brand)
            if b:
                self.shown_groups.add(index.brand_group.get(b, "b:" + b))

        # delivery
        self.day_groups = {cl.DAY_WORDS[m.group(0)] for m in cl.DAY_WORD.finditer(self.delivery)}
        self.durations: set[tuple[float, str]] = set()
        self.ranges: list[tuple[float, float, str]] = []
        for _s, _e, vs, unit in cl.durations(self.delivery):
            self.durations.update((cl.key(v), unit) for v in vs)
            if len(vs) == 2:
                self.ranges.append((min(vs), max(vs), unit))
        self.any_durations: set[tuple[float, str]] = set()
        self.any_ranges: list[tuple[float, float, str]] = []
        for source in (text, cl.low(shopper_text)):
            for _s, _e, vs, unit in cl.durations(source):
                self.any_durations.update((cl.key(v), unit) for v in vs)
                if len(vs) == 2:
                    self.any_ranges.append((min(vs), max(vs), unit))
        self.free_shipping = bool(cl.FREE_SHIPPING.search(text))
        self.cart_ok = bool(facts.cart_added) or bool(cl.CART.search(self.template))
        self.cart_added = cl.low(facts.cart_added)

        # product mentions: title, leading part (with and without the brand), model words, brand
        terms: dict[str, set[int]] = {}
        for i, p in enumerate(facts.products):
            for name in mention_names(p, index):
                terms.setdefault(name, set()).add(i)
        self.mention_terms = {t: frozenset(v) for t, v in terms.items()}
        self.mentions = _TermMatcher(self.mention_terms)
        names = {cl.low(x) for p in facts.products
                 for x in (p.brand, p.category, *map(str, p.attributes.values()))}
        self.lang_strip = sorted({t for t in [*self.titles, self.cart_added, *names] if t}, key=len,
                                 reverse=True)

    def number_ok(self, values: Iterable[float]) -> bool:
        return any(cl.key(v) in self.numbers for v in values)

    def verbatim(self, sentence: str) -> bool:
        """Whether a sentence of the reply copies the template (a whole sentence of it, or a long enough
        stretch: "有货" alone copies nothing)."""
        sentence = sentence.strip()
        if sentence in self.template_sentences:
            return True
        return len(sentence) >= VERBATIM_CHARS and sentence in self.template


_PLAIN_WORDS = frozenset(
    "men's women's kids kid's unisex men women running sports sport smart wireless portable original "
    "official classic new home series edition limited lightweight cushioned waterproof outdoor casual "
    "foldable baby "
    "stainless electric digital mini pro max plus ultra lite air".split())


def mention_names(p: ProductFacts, index: CatalogIndex) -> set[str]:
    """The words that name one shown product in a reply (lower case): its title and leading parts, model
    words, the first word after the brand ("Ultraboost"), latin runs of a Chinese title ("cloud up 2"), and
    the brand with its aliases. Used only to tell which product a stock or cart claim is about."""
    names = {cl.low(part) for part in cl.title_parts(p.title)}
    kept, low = cl.facts_canon(p.title)
    names.update(t.lower() for t in cl.TOKEN.findall(kept) if cl.model_like(t))
    names.update(m.group(0) for m in cl.HAN_MODEL.finditer(low))
    if HAN.search(low):
        runs = (run.strip() for run in cl.HAN_RUN.split(low))
        names.update(run for run in runs if len(run) > 3 and cl.LATIN_LETTER.search(run))
    brand = cl.low(p.brand)
    tokens = normalize(p.title, casefold=False, max_chars=None).lower().split()
    if len(tokens) > 1 and brand and tokens[0] == brand:
        word = tokens[1]
        if word.isalpha() and len(word) >= 4 and cl.is_latin(word) and word not in _PLAIN_WORDS:
            names.add(word)
    if brand:
        group = index.brand_group.get(brand)
        names.update(index.group_terms.get(group, (brand,)) if group else (brand,))
    return {n for n in names if n}
