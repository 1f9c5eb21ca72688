"""The verifier: an LLM-written reply reaches the shopper only if every claim in it is a fact of its turn.

:meth:`Verifier.check` reads a Chinese or English reply against the :class:`~chatbot.llm.facts.ReplyFacts` of
its turn and returns a :class:`Verdict` whose reasons name each offending value. All rules read the NFKC,
lower-cased text with the spaces next to Chinese characters dropped; "facts text" means the titles, brands,
categories and attributes of the shown products, the template, the constraints, the delivery promise, the
policy text and the title put in the cart.

1. **Money**: an amount with a currency (¥ 元 块 块钱 yuan RMB CNY, $ USD dollars; digits, "1,299", "99.9",
   Chinese numerals, "2k元", "1.5万元", ranges "300-800元") or after a price word (价格 售价 只要 预算 price
   costs) equals, to the cent, a shown price, a budget bound (or the middle of a min–max band), an amount in
   the facts text, or — in a sentence that compares (便宜 贵 差 cheaper less…) — the difference of two shown
   prices. A dollar amount passes only as written in the facts or as a dollar budget (``usd_to_cny``).
2. **Numbers**: every other number (digits; Chinese numerals before a counter such as 款 件 双 天 年; English
   number words before days/options/pairs…) occurs in the facts text, the stock, ratings, prices, ranks
   1..n, the budget, or the shopper's message (its non-money numbers only). A duration (两年, 30天,
   "2-year") occurs with its unit in the facts text or the shopper's message. A percentage or a discount
   (打八折 满300减50 立减 "20% off" coupon…) occurs as written in the facts text. A rank (第四款, the fourth
   one, "4.", 前两款, the last one) is at most the number of products shown.
3. **Names**: a known brand (with its aliases: 耐克 = Nike) is a shown product's brand or occurs in the facts
   text; a brand that is an everyday word (美的 小米 苹果 only keep…) counts only before a model or product
   word, or, in latin, in its catalog spelling when that is not plain ("ONLY"). A known title, its leading
   part ("耐克 Pegasus 40", "iPhone 15 Pro") occurs in the facts text. A model word (a latin word with a digit,
   "Flip5", or CamelCase, "MateBook") or a product line with a number ("Pegasus 99", "赤兔7") occurs in the
   facts text. In a zh reply every latin word does (or is a shown brand's alias, or ok/app/vip/wifi/rmb…).
4. **Stock**: 有货 现货 库存充足 in stock available / 缺货 售罄 卖完 sold out unavailable / "库存3件" "3 left"
   must hold for the product(s) the claim is about: those named before it in its clause (title, leading part,
   model word, brand, 第N款, the Nth, a list item "N."), else after it, else the first one named in the nearest
   earlier clause or sentence, else all shown products. 都/all/both mean all of them; 其中/one of: at least
   one; "两款" (fewer than all): at least two; 除了X / except X leave X out; 其他/the others: the ones not named
   before. A sentence copied from the template is the template's claim and is not checked again.
5. **Delivery**: in a clause about shipping or arrival (发货 送达 到货 ship deliver arrive…) each day word
   (明天 = 次日 = tomorrow, 当天 = today, 后天) and each duration ("48小时", "1-3天", "2 days") occurs in the
   delivery, template or policy text (a number inside a range there passes); "今天下单 / order today" is when
   to order, not a promise. 包邮 / free shipping only when the facts text says so.
6. **Cart and orders**: "已加入购物车 / added it to your cart" only when ``cart_added`` is set (and names that
   product, if the sentence names one) or the template says so; "已下单 / order placed / 已付款" never.
7. **Form**: not empty, at most :data:`MAX_REPLY_CHARS` characters, no HTML tag or entity, no URL; a zh reply
   is not English prose (12+ latin letters and no Chinese outside the product names); an en reply has at most
   one Chinese character per two latin letters outside the product names.
8. **Prompt echoes**: no talk of the system prompt or the instructions (system prompt, ignore previous,
   系统提示, 忽略之前…), no role markers (assistant:, 用户:, <|im_start|>), no prompt field names.

Example:
    >>> from chatbot.llm.facts import ProductFacts, ReplyFacts
    >>> facts = ReplyFacts(lang="zh", kind="recommend", action="recommend", template="为您找到这些跑鞋：",
    ...                    products=(ProductFacts(id="A", title="李宁 赤兔6 跑步鞋", brand="李宁", price=399.0,
    ...                                           stock=3),))
    >>> verifier = Verifier(known_brands=["李宁", "耐克"])
    >>> verifier.check("李宁赤兔6只要三百九十九元，现在有货。", facts)
    Verdict(ok=True, reasons=())
    >>> verifier.check("耐克这款今天只要¥299！", facts).reasons
    ('price ¥299 not in the facts', 'brand 耐克 not among the shown products')
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from catalog.filters import BRAND_ALIASES, _TermMatcher
from catalog.params import RankingParams
from chatbot.llm import claims as cl
from chatbot.llm.digest import CatalogIndex, Digest, line_words
from chatbot.llm.facts import ProductFacts, ReplyFacts
from intent.text import HAN, normalize

__all__ = ["MAX_REPLY_CHARS", "Verdict", "Verifier"]

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 600
"""The longest reply (in characters) the verifier lets through."""

_LATIN_PROSE = 12  # latin letters outside product names that make a Chinese reply English prose

_H = HAN.pattern  # one Han character, as a regex class
_Span = tuple[int, int]  # (start, end) in the reply's canonical text


@dataclass(frozen=True)
class Verdict:
    """ok: the reply may be shown; reasons: why not (English, each naming the offending value)."""

    ok: bool
    reasons: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# The verifier
# ---------------------------------------------------------------------------------------------------------
class Verifier:
    """Checks LLM-written replies against the turn's facts (see the module docstring for the rules).

    known_brands / known_titles: every brand and title of the catalog, so that a brand or a product that was
    not shown is caught; ``usd_to_cny``: the rate at which a dollar budget was read (see
    :class:`catalog.params.RankingParams`).
    """

    def __init__(self, *, known_brands: Iterable[str] = (), known_titles: Iterable[str] = (),
                 usd_to_cny: float = RankingParams.usd_to_cny) -> None:
        self.known_brands = tuple(known_brands)
        self.known_titles = tuple(known_titles)
        self.usd_to_cny = usd_to_cny
        self._last: tuple[ReplyFacts, str, Digest] | None = None  # a streamed reply is checked per sentence

    @cached_property
    def _index(self) -> CatalogIndex:
        brand_group: dict[str, str] = {}
        group_terms: dict[str, tuple[str, ...]] = {}
        for i, group in enumerate(BRAND_ALIASES):
            names = tuple(cl.low(a) for a in group)
            group_terms[f"a{i}"] = names
            for name in names:
                brand_group.setdefault(name, f"a{i}")
        exact: dict[str, set[str]] = {}
        terms: set[str] = set()
        for brand in self.known_brands:
            key = cl.low(brand)
            if not key or key.replace("°", "").isdigit():
                continue
            group = brand_group.setdefault(key, "b:" + key)
            group_terms.setdefault(group, (key,))
            terms.update(group_terms[group])
            exact.setdefault(key, set()).add(cl.canon(brand)[0])
        for group in {brand_group[t] for t in terms}:
            for name in group_terms[group]:
                exact.setdefault(name, set()).add(name)
        display: dict[str, str] = {}
        for title in self.known_titles:
            for part in cl.title_parts(title):
                key = cl.low(part)
                if key and len(key) > 2:
                    display.setdefault(key, normalize(part, casefold=False, max_chars=None))
        words, han = line_words(display)
        log.debug("verifier index: %d brand names, %d title parts", len(terms), len(display))
        return CatalogIndex(brands=_TermMatcher(terms), brand_group=brand_group, group_terms=group_terms,
                      exact={k: frozenset(v) for k, v in exact.items()}, titles=_TermMatcher(display),
                      title_display=display, line_words=frozenset(words), han_lines=frozenset(han))

    def warm_up(self) -> Verifier:
        """Build the catalog index now (about 0.1 s for 2,000 products) instead of on the first check."""
        _ = self._index
        return self

    def _digest(self, facts: ReplyFacts, shopper_text: str) -> Digest:
        last = self._last
        if last is not None and last[0] is facts and last[1] == shopper_text:
            return last[2]
        d = Digest(facts, shopper_text, self._index, self.usd_to_cny)
        self._last = (facts, shopper_text, d)
        return d

    def check(self, text: str, facts: ReplyFacts, *, shopper_text: str = "") -> Verdict:
        """The verdict on ``text`` as the reply of the turn ``facts`` (``shopper_text``: the shopper's
        message, whose non-money numbers the reply may repeat)."""
        stripped = text.strip()
        if not stripped:
            return Verdict(False, ("empty reply",))
        reasons: list[str] = []
        if len(stripped) > MAX_REPLY_CHARS:
            reasons.append(f"reply is {len(stripped)} characters (limit {MAX_REPLY_CHARS})")
            if len(stripped) > 4 * MAX_REPLY_CHARS:  # not worth reading further
                return Verdict(False, tuple(reasons))
        kept, low = cl.canon(stripped)
        for m in cl.HTML.finditer(low):
            reasons.append(f"HTML {m.group(0)} in the reply")
        for m in cl.URL.finditer(low):
            reasons.append(f"URL {m.group(0)} in the reply")
        for m in cl.INJECTION.finditer(low):
            reasons.append(f"talks about its instructions: {m.group(0)!r}")
        for m in cl.ROLE.finditer(low):
            reasons.append(f"role marker {m.group(0).strip()!r}")
        if "FACTS" in kept:
            reasons.append("talks about its instructions: 'FACTS'")
        d = self._digest(facts, shopper_text)
        reasons += self._language(low, facts.lang, d)
        sentences = cl.spans(low, cl.SENTENCE)
        skip: list[tuple[int, int]] = []
        reasons += self._money(low, d, sentences, skip)
        reasons += self._discounts(low, d, skip)
        mentions, rank_reasons = self._mentions(low, d)
        reasons += rank_reasons
        delivery_reasons, delivery_spans = self._times(low, d, sentences)
        reasons += delivery_reasons
        reasons += self._numbers(low, d, skip + delivery_spans)
        reasons += self._names(kept, low, d)
        reasons += self._stock(low, d, sentences, mentions)
        reasons += self._cart(low, d, sentences, mentions)
        reasons = list(dict.fromkeys(reasons))
        if reasons:
            log.debug("reply rejected: %s", "; ".join(reasons))
        return Verdict(not reasons, tuple(reasons))

    def names_a_product(self, text: str, facts: ReplyFacts) -> bool:
        """Whether ``text`` names at least one shown product (by title, brand or rank). The grounded replier
        asks this of a finished reply shown with products, so that text saying nothing about them (a random
        model's) is not passed off as the reply."""
        if not facts.products:
            return True
        _kept, low = cl.canon(text.strip())
        mentions, _ = self._mentions(low, self._digest(facts, ""))
        return bool(mentions)

    # --- the rules ---------------------------------------------------------------------------------------
    @staticmethod
    def _language(low: str, lang: str, d: Digest) -> list[str]:
        rest = low
        for name in d.lang_strip:
            rest = rest.replace(name, " ")
        han, latin = len(HAN.findall(rest)), len(cl.LATIN.findall(rest))
        if lang == "en" and han * 2 > latin:
            return [f"reply is not in English ({han} Chinese characters, {latin} latin letters)"]
        if lang == "zh" and not han and latin >= _LATIN_PROSE:
            return [f"reply is not in Chinese ({latin} latin letters, no Chinese outside the product names)"]
        return []

    @staticmethod
    def _money(low: str, d: Digest, sentences: list[_Span], skip: list[_Span]) -> list[str]:
        out = []
        for a in cl.amounts(low):
            skip.append((a.start, a.end))
            for v in a.values:
                c = cl.cents(v)
                if a.usd:
                    if c in d.usd or cl.cents(v * d.usd_rate) in d.budget:
                        continue
                    plain = "$" + cl.fmt(v)
                    out.append(f"price {plain}{cl.written(a.text, plain)} not in the facts (prices are in ¥)")
                    continue
                if c in d.money:
                    continue
                if c in d.diffs:
                    sentence = next(((s, e) for s, e in sentences if s <= a.start < e), (0, len(low)))
                    if cl.COMPARE.search(low, *sentence):
                        continue
                plain = "¥" + cl.fmt(v)
                out.append(f"price {plain}{cl.written(a.text, plain)} not in the facts")
        return out

    @staticmethod
    def _discounts(low: str, d: Digest, skip: list[tuple[int, int]]) -> list[str]:
        out = []
        for m in cl.PERCENT.finditer(low):
            skip.append((m.start(), m.end()))
            values = cl.numbers_of(m.group(1) or m.group(2))
            if not any(cl.key(v) in d.percents for v in values):
                out.append(f"percentage {m.group(0)} not in the facts")
        for m in cl.DISCOUNT.finditer(low):
            if m.group(0) not in d.text:
                out.append(f"discount {m.group(0).strip()} not in the facts")
        free = cl.FREE_SHIPPING.search(low)
        if free and not d.free_shipping:
            out.append(f"free shipping ({free.group(0)}) not in the facts")
        for m in cl.SCALE.finditer(low):
            skip.append((m.start(), m.end()))
        return out

    @staticmethod
    def _numbers(low: str, d: Digest, skip: list[tuple[int, int]]) -> list[str]:
        return [f"number {low[s:e].strip()} not in the facts" for s, e, values in cl.plain_numbers(low, skip)
                if not d.number_ok(values)]

    def _names(self, kept: str, low: str, d: Digest) -> list[str]:
        index = self._index
        out = []
        if d.lang == "zh":  # a Chinese reply's latin words are names from the facts ("宁 j 宁 c" is noise)
            shown_names = {n for g in d.shown_groups for n in index.group_terms.get(g, ())}
            for m in cl.WORD.finditer(low):
                if m.group(0) not in d.words and m.group(0) not in shown_names:
                    out.append(f"word {kept[m.start():m.end()]!r} not in the facts")
        for i, j, term in cl.outermost(index.brands.find(low)):
            group = index.brand_group.get(term, "b:" + term)
            if term in cl.EVERYDAY_BRANDS:
                if cl.is_latin(term):
                    spelled = kept[i:j]
                    if spelled not in index.exact.get(term, ()) or spelled[1:].islower() or spelled.islower():
                        continue
                elif (i and low[i - 1] in cl.NOT_A_BRAND_BEFORE) or not (
                        cl.BRAND_AFTER.match(low, j) or cl.BRAND_BEFORE.search(low, 0, i)):
                    continue
            if group in d.shown_groups or any(n in d.text for n in index.group_terms.get(group, (term,))):
                continue
            out.append(f"brand {kept[i:j]} not among the shown products")
        for _i, _j, term in cl.outermost(index.titles.find(low)):
            if term not in d.text:
                out.append(f"product {index.title_display[term]} not among the shown products")
        for m in cl.TOKEN.finditer(kept):
            tok = m.group(0)
            if cl.model_like(tok):
                t = tok.lower()
                if t not in d.tokens and t not in d.compact:
                    out.append(f"model {tok} not in the shown products")
        for m in cl.LINE_PAIR.finditer(low):
            if m.group(1) in d.line_words and (m.group(1), cl.key(float(m.group(2)))) not in d.pairs:
                out.append(f"model {kept[m.start():m.end()]} not in the shown products")
        for m in cl.HAN_PAIR.finditer(low):
            if m.group(1) in d.han_lines and (m.group(1), cl.key(float(m.group(2)))) not in d.han_pairs:
                out.append(f"model {kept[m.start():m.end()]} not in the shown products")
        return out

    @staticmethod
    def _mentions(low: str, d: Digest) -> tuple[list[tuple[int, int, frozenset[int]]], list[str]]:
        """Where the reply names shown products: (start, end, product indices), and reasons for a rank
        beyond the products shown."""
        # a mention inside a longer one ("nike" in "nike pegasus 40") adds nothing
        kept = [(i, j, d.mention_terms[term]) for i, j, term in cl.outermost(d.mentions.find(low))]
        out = []
        for m in cl.RANK.finditer(low):
            g = m.lastgroup
            raw = m.group(g)
            if g in ("top", "topen", "tail", "tailen"):  # 前两款 / the first two: several ranks at once
                count = int((cl.numbers_of(raw) or (0.0,))[0])
                if 1 <= count <= d.n:
                    ranks = range(count) if g.startswith("top") else range(d.n - count, d.n)
                    kept.append((m.start(), m.end(), frozenset(ranks)))
                elif m.group(0).strip() not in d.template:
                    out.append(f"{m.group(0).strip()!r} but {d.n} products were shown")
                continue
            if g == "last":
                rank = d.n
            elif g == "en":
                rank = cl.ORDINALS[raw]
            else:
                values = cl.numbers_of(raw)
                if not values:
                    continue
                rank = int(values[0])
            if 1 <= rank <= d.n:
                kept.append((m.start(), m.end(), frozenset({rank - 1})))
            elif m.group(0).strip() not in d.template:
                out.append(f"rank {rank} ({m.group(0).strip()}) but {d.n} products were shown")
        kept.sort()
        return kept, out

    @staticmethod
    def _times(low: str, d: Digest, sentences: list[_Span]) -> tuple[list[str], list[_Span]]:
        """Delivery days and durations ("明天", "48小时", "1-3天", "保修两年"), and the spans read."""
        out, spans = [], []
        for s, e in sentences:
            if d.verbatim(low[s:e]):
                continue
            for cs, ce in cl.spans(low, cl.CLAUSE, s, e):
                delivery = bool(cl.DELIVERY_CUE.search(low, cs, ce))
                if delivery:
                    for m in cl.DAY_WORD.finditer(low, cs, ce):
                        if cl.DAY_WORDS[m.group(0)] in d.day_groups or cl.ORDER_NOW.match(low, m.end()) \
                                or cl.ORDER_BEFORE.search(low, max(cs, m.start() - 16), m.start()):
                            continue  # "今天下单" / "order today": when to order, not when it arrives
                        out.append(f"delivery {m.group(0)!r} not in the delivery promise")
                known, ranges = (d.durations, d.ranges) if delivery else (d.any_durations, d.any_ranges)
                for ds, de, values, unit in cl.durations(low, cs, ce):
                    spans.append((ds, de))
                    if not all((cl.key(v), unit) in known or any(lo <= v <= hi and u == unit
                                                                   for lo, hi, u in ranges) for v in values):
                        what = "delivery" if delivery else "duration"
                        where = "the delivery promise" if delivery else "the facts"
                        out.append(f"{what} {low[ds:de].strip()!r} not in {where}")
        return out, spans

    @staticmethod
    def _stock(low: str, d: Digest, sentences: list[tuple[int, int]],
               mentions: list[tuple[int, int, frozenset[int]]]) -> list[str]:
        if not d.n:
            return []
        claims: list[tuple[int, int, str, float | None]] = []
        for m in cl.STOCK_COUNT.finditer(low):
            values = cl.numbers_of(m.group("n") or m.group("e") or m.group("s") or "")
            if values:
                claims.append((m.start(), m.end(), "count", values[0]))
        for m in cl.STOCK.finditer(low):
            if m.group(0) == "available" and cl.OFFERED_BEFORE.search(low, max(0, m.start() - 24), m.start()):
                continue
            if m.group(0) == "现货" and cl.DELIVERY_CUE.search(low, *cl.clause_of(low, m.start())):
                continue  # "现货下单后48小时内发货": the delivery promise's "in-stock items", not a stock level
            if not any(s <= m.start() < e for s, e, _k, _v in claims):
                claims.append((m.start(), m.end(), "neg" if m.lastgroup == "neg" else "pos", None))
        if not claims:
            return []
        claims.sort()
        excluded = [cl.EXCLUDE_BEFORE.search(low, max(0, i - 14), i) is not None for i, _j, _p in mentions]
        every = frozenset(range(d.n))

        def named(lo: int, hi: int, *, skipped: bool = False, first: bool = False) -> frozenset[int]:
            found = [ps for (i, _j, ps), ex in zip(mentions, excluded, strict=True)
                     if lo <= i < hi and ex == skipped]
            if first:
                return found[0] if found else frozenset()
            return frozenset(p for ps in found for p in ps)

        out: list[str] = []
        carried: frozenset[int] | None = None
        for s, e in sentences:
            clauses = cl.spans(low, cl.CLAUSE, s, e)
            verbatim = d.verbatim(low[s:e])
            others = every - named(s, e, skipped=True)
            for n_clause, (cs, ce) in enumerate(clauses):
                clauses_before = clauses[:n_clause]
                in_clause = [c for c in claims if cs <= c[0] < ce]
                lo = cs
                for k, (a, b, kind, count) in enumerate(in_clause):
                    hi = in_clause[k + 1][0] if k + 1 < len(in_clause) else ce
                    targets = named(lo, a) or named(b, hi)
                    rest = low[cs:a] + " " + low[b:ce]
                    claim_lo, lo = lo, b
                    if verbatim:
                        continue
                    if not targets:
                        # the nearest products named before: in this clause, else in an earlier one
                        earlier = [(x, y) for x, y in [*clauses_before, (cs, claim_lo)] if named(x, y)]
                        if cl.OTHERS.search(rest):
                            targets = (others - named(s, claim_lo)) or others
                        elif cl.UNIVERSAL.search(rest):
                            group = named(*earlier[-1]) if earlier else frozenset()
                            targets = group if len(group) > 1 else others
                        else:
                            targets = named(*earlier[-1], first=True) if earlier else carried or others
                    out += _judge(d, sorted(targets), kind, count, low[a:b].strip(), rest)
            for cs, ce in clauses:
                carried = named(cs, ce, first=True) or carried
        return out

    @staticmethod
    def _cart(low: str, d: Digest, sentences: list[tuple[int, int]],
              mentions: list[tuple[int, int, frozenset[int]]]) -> list[str]:
        out = [f"order claim {m.group(0)!r}: the guide does not place orders or take payment"
               for m in cl.ORDER.finditer(low)]
        for m in cl.CART.finditer(low):
            if not d.cart_ok:
                out.append(f"cart claim {m.group(0)!r} but nothing was added to the cart")
                continue
            if not d.cart_added:
                continue
            s, e = next(((s, e) for s, e in sentences if s <= m.start() < e), (0, len(low)))
            named = {p for i, _j, ps in mentions if s <= i < e for p in ps}
            if named and not any(d.titles[p] in d.cart_added or d.cart_added in d.titles[p] for p in named):
                out.append(f"cart claim {m.group(0)!r} names a product other than the one added")
        return out


def _judge(d: Digest, targets: Sequence[int], kind: str, count: float | None, phrase: str,
           rest: str) -> list[str]:
    """Reasons a stock claim about ``targets`` is false (none if it holds)."""
    products: Sequence[ProductFacts] = d.products
    if kind == "count" and count == 0:
        kind = "neg"
    if kind == "count":
        if any(products[i].stock == count for i in targets):
            return []
        return [f"stock {phrase!r} but {products[i].title} has {products[i].stock}" for i in targets[:1]]
    want_in = kind == "pos"
    good = [i for i in targets if products[i].in_stock == want_in]
    bad = [i for i in targets if products[i].in_stock != want_in]
    if not bad:
        return []
    if cl.EXISTENTIAL.search(rest) and good:
        return []
    m = cl.AT_LEAST.search(rest)
    if m:
        need = cl.numbers_of(m.group(1) or m.group(2))
        if need and len(good) >= need[0] and need[0] < len(targets):
            return []
    state = "sold out" if want_in else f"in stock ({products[bad[0]].stock})"
    return [f"stock {phrase!r} but {products[bad[0]].title} is {state}"]
