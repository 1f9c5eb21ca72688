"""Offline evaluation of the recommenders side by side: HR@k, NDCG@k, MRR and filter-violation rate.

Sessions come from a log (JSONL: query, target_ids, purchased_id, intent, optional filters) or from
:func:`generate_sessions`, a deterministic simulator that needs only the catalog:

- a purchase intent p is drawn from {0.15, 0.5, 0.85};
- the purchased product is drawn from the catalog — a buyer with p ≥ 0.5 favours in-stock, well-rated,
  popular products (weight in_stock · (rating/5)² · log(2 + sales)); a browser's purchase is uniform;
- the query is written from its subcategory, category, brand and a budget above its price, in Chinese or
  English (e.g. "500以内的跑步鞋", "looking for Nike shoes under 800 yuan");
- hidden targets = the purchased product and its siblings (same brand and subcategory: variants and the
  same line) that pass the stated filters; the filters the query states are stored, so the violation rate
  also checks the query parser.

The simulator encodes assumptions about buyers (the intent formula's ones); its figures check the machinery
and compare recommenders under those assumptions, not real shoppers. Use logged sessions for that.

Example:
    >>> # sessions = generate_sessions(engine.products, n=200, seed=0)
    >>> # report = evaluate(engine, sessions, k=10)   # {"baseline": {"hr@10": ...}, "intent": {...}, ...}
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from catalog.filters import Filters

__all__ = ["EvalSession", "generate_sessions", "load_sessions", "save_sessions", "evaluate", "format_report"]


@dataclass(frozen=True)
class EvalSession:
    """One shopper: what they typed, which products were right (targets), what they bought, their P(buy)."""

    query: str
    target_ids: tuple[str, ...]
    purchased_id: str
    intent: float
    filters: Filters | None = None
    lang: str = "zh"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["target_ids"] = list(self.target_ids)
        d["filters"] = self.filters.to_dict() if self.filters else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EvalSession:
        f = d.get("filters")
        filters = None if not f else Filters(**{k: tuple(v) if isinstance(v, list) else v for k, v in f.items()})
        return cls(query=str(d["query"]), target_ids=tuple(str(t) for t in d.get("target_ids") or [d["purchased_id"]]),
                   purchased_id=str(d["purchased_id"]), intent=float(d.get("intent", 0.5)), filters=filters,
                   lang=str(d.get("lang", "zh")))


_ZH = ("想买{sub}", "{brand}的{sub}", "{budget}以内的{sub}", "预算{budget}，想要一款{sub}", "有没有{brand}的{cat}",
       "推荐一下{sub}", "{brand}{sub}，{budget}元以下")
_EN = ("{cat_en} under {budget} yuan", "looking for {brand_en} {cat_en}", "recommend some {cat_en}",
       "{brand_en} {cat_en} below {budget} yuan")


def _nice_budget(price: float, rng: random.Random) -> int:
    raw = price * rng.uniform(1.0, 1.5)
    step = 10 if raw < 200 else 50 if raw < 1000 else 100 if raw < 10000 else 1000
    return int(math.ceil(raw / step) * step)


def generate_sessions(products: Sequence[Any], n: int = 200, seed: int = 0) -> list[EvalSession]:
    """``n`` simulated sessions (deterministic for a catalog and seed); see the module docstring."""
    from catalog.categories import CATEGORY_BY_SLUG
    from catalog.filters import QueryParser

    rng = random.Random(seed)
    products = list(products)
    if not products:
        return []
    parser = QueryParser(products)
    english = {b: e for b, e in parser._english_prefixes.items()}
    weights = [(1.0 if p.stock > 0 else 0.02) * (p.rating / 5.0) ** 2 * math.log(2 + p.sales) for p in products]
    sessions = []
    while len(sessions) < n:
        intent = rng.choice((0.15, 0.5, 0.85))
        p = rng.choices(products, weights=weights)[0] if intent >= 0.5 else rng.choice(products)
        cat = CATEGORY_BY_SLUG.get(p.category)
        lang = "en" if rng.random() < 0.3 else "zh"
        template = rng.choice(_EN if lang == "en" else _ZH)
        if lang == "zh" and "{sub}" in template and not p.subcategory:
            template = "想买{cat}"
        budget = _nice_budget(p.price, rng)
        brand_en = english.get(p.brand, p.brand)
        cat_en = (cat.synonyms_en[0] if cat and cat.synonyms_en else p.category)
        query = template.format(sub=p.subcategory, brand=p.brand, budget=budget, cat=cat.zh if cat else p.category,
                                cat_en=cat_en, brand_en=brand_en)
        uses_brand, uses_budget = "{brand" in template, "{budget}" in template
        truth = Filters(category=p.category, brands=(p.brand,) if uses_brand else (),
                        max_price=float(budget) if uses_budget else None)
        # the right answers: the bought product and its siblings (same brand and subtype: colour/size
        # variants, the same line) that pass the stated filters
        targets = tuple(q.id for q in products if truth.allows(q) and q.subcategory == p.subcategory
                        and q.brand == p.brand)
        sessions.append(EvalSession(query=query, target_ids=targets or (p.id,), purchased_id=p.id, intent=intent,
                                    filters=truth, lang=lang))
    return sessions


def load_sessions(path: Path | str) -> list[EvalSession]:
    """Sessions from a JSONL file (one :meth:`EvalSession.to_dict` object per line)."""
    from catalog.errors import CatalogImportError

    path = Path(path)
    if not path.is_file():
        raise CatalogImportError(f"sessions file not found: {path}",
                                 hint="omit --sessions to evaluate on simulated sessions")
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(EvalSession.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise CatalogImportError(f"{path} line {number}: bad session ({exc})",
                                     hint="each line needs query, purchased_id, and optionally target_ids, intent") from None
    return out


def save_sessions(sessions: Iterable[EvalSession], path: Path | str) -> Path:
    path = Path(path)
    path.write_text("".join(json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in sessions), encoding="utf-8")
    return path


@dataclass
class _Acc:
    hits: float = 0.0
    ndcg: float = 0.0
    rr: float = 0.0
    shown: int = 0
    violations: int = 0
    no_match: int = 0
    n: int = 0
    by_intent: dict[str, list[float]] = field(default_factory=dict)

    def summary(self, k: int) -> dict[str, float]:
        n = max(self.n, 1)
        return {f"hr@{k}": self.hits / n, f"ndcg@{k}": self.ndcg / n, "mrr": self.rr / n,
                "violation_rate": self.violations / max(self.shown, 1), "no_match_rate": self.no_match / n,
                "sessions": self.n}


def evaluate(engine: Any, sessions: Sequence[EvalSession], k: int = 10,
             recommenders: Sequence[str] | None = None) -> dict[str, Any]:
    """Run every recommender of ``engine`` on ``sessions``; metrics per recommender, and per intent band.

    Each query is parsed by the engine's parser (as in the app); violations are counted against the
    session's stated filters when present, else against the parsed ones.
    """
    names = list(recommenders or engine.recommenders)
    overall = {name: _Acc() for name in names}
    bands: dict[str, dict[str, _Acc]] = {name: {} for name in names}
    for s in sessions:
        parsed = engine.parse(s.query)
        truth = s.filters or parsed.filters
        band = "low" if s.intent < 0.34 else "mid" if s.intent < 0.67 else "high"
        targets = set(s.target_ids)
        idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(targets), k)))
        for name in names:
            result = engine.recommenders[name].recommend(s.query, filters=parsed.filters, intent=s.intent, k=k)
            ids = result.ids[:k]
            dcg = sum(1.0 / math.log2(i + 2) for i, pid in enumerate(ids) if pid in targets)
            rank = ids.index(s.purchased_id) + 1 if s.purchased_id in ids else 0
            for acc in (overall[name], bands[name].setdefault(band, _Acc())):
                acc.n += 1
                acc.hits += rank > 0
                acc.rr += 1.0 / rank if rank else 0.0
                acc.ndcg += dcg / idcg if idcg else 0.0
                acc.shown += len(ids)
                acc.violations += sum(bool(truth.violations(item.product)) for item in result.items[:k])
                acc.no_match += result.no_match
    return {
        "k": k, "sessions": len(sessions),
        "recommenders": {name: overall[name].summary(k) for name in names},
        "by_intent": {name: {b: acc.summary(k) for b, acc in sorted(bands[name].items())} for name in names},
    }


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of :func:`evaluate`'s result."""
    k = report["k"]
    cols = [f"hr@{k}", f"ndcg@{k}", "mrr", "violation_rate", "no_match_rate"]
    lines = [f"{report['sessions']} sessions, k={k}", f"{'recommender':<12}" + "".join(f"{c:>15}" for c in cols)]
    for name, m in report["recommenders"].items():
        lines.append(f"{name:<12}" + "".join(f"{m[c]:>15.4f}" for c in cols))
    lines.append("by intent band (hr / ndcg / mrr):")
    for name, bands in report["by_intent"].items():
        cells = ", ".join(f"{b}: {m[f'hr@{k}']:.3f} / {m[f'ndcg@{k}']:.3f} / {m['mrr']:.3f} (n={m['sessions']})"
                          for b, m in bands.items())
        lines.append(f"  {name:<12}{cells}")
    return "\n".join(lines)
