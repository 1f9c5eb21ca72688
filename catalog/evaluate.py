"""Offline evaluation of the recommenders side by side: HR@k, NDCG@k, MRR and filter-violation rate.

An :class:`EvalSession` is one shopper: the query they typed, the products that were right for them
(``target_ids``), the one they bought, their purchase intent and the filters their query stated. Sessions come
from a log (JSONL, :func:`load_sessions` / :func:`save_sessions`) or from a simulator: ``shopguide catalog
evaluate`` uses the A/B experiment's shoppers (``chatbot.experiment.simulator.eval_sessions``; this package
does not import ``chatbot``). Simulated figures check the machinery and compare recommenders under the
simulator's assumptions about shoppers, not real shoppers: use logged sessions for that.

Example:
    >>> # report = evaluate(engine, sessions, k=10)   # {"baseline": {"hr@10": ...}, "intent": {...}, ...}
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from catalog.errors import CatalogImportError
from catalog.filters import Filters

__all__ = ["EvalSession", "load_sessions", "save_sessions", "evaluate", "format_report"]


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


def load_sessions(path: Path | str) -> list[EvalSession]:
    """Sessions from a JSONL file (one :meth:`EvalSession.to_dict` object per line)."""
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
