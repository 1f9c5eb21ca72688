"""Per-arm metrics of the A/B experiment: one :class:`ArmMetrics` per arm from the store's per-session rows.

The unit of analysis is the session (the unit of randomisation); :mod:`chatbot.experiment.stats` compares the
arms, :mod:`chatbot.experiment.report` puts it together.

>>> rows = [{"arm": "intent", "clicks": 1, "carts": 1, "purchases": 1, "revenue": 99.0, "impressions": 4},
...         {"arm": "baseline", "clicks": 0, "carts": 0, "purchases": 0, "revenue": 0.0, "impressions": 4}]
>>> arm_metrics(rows)["intent"].conversion
1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chatbot.experiment.assignment import ARMS

__all__ = ["ArmMetrics", "arm_metrics", "json_float"]


def json_float(x: Any) -> float | None:
    """A JSON-safe float: ``None`` for NaN/inf/None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


# --- per-arm metrics ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ArmMetrics:
    """Counts and per-session rates of one arm (see the module docstring)."""

    arm: str
    sessions: int = 0
    clicked: int = 0
    carted: int = 0
    purchased: int = 0
    impressions: int = 0
    clicks: int = 0
    purchases: int = 0
    revenue: float = 0.0
    revenue_values: tuple[float, ...] = field(default=(), repr=False)
    staffed: int = 0

    @staticmethod
    def _rate(x: float, n: float) -> float:
        return x / n if n else float("nan")

    @property
    def click_rate(self) -> float:
        return self._rate(self.clicked, self.sessions)

    @property
    def cart_rate(self) -> float:
        return self._rate(self.carted, self.sessions)

    @property
    def conversion(self) -> float:
        return self._rate(self.purchased, self.sessions)

    @property
    def staffed_rate(self) -> float:
        """Share of sessions that staff took over at some point (a guardrail, not an outcome)."""
        return self._rate(self.staffed, self.sessions)

    @property
    def ctr(self) -> float:
        return self._rate(self.clicks, self.impressions)

    @property
    def revenue_per_session(self) -> float:
        return self._rate(self.revenue, self.sessions)

    def revenue_ci(self, alpha: float = 0.05) -> tuple[float | None, float | None]:
        """t-interval of the mean revenue per session (``statsmodels`` ``DescrStatsW.tconfint_mean``)."""
        if self.sessions < 2:
            return None, None
        from statsmodels.stats.weightstats import DescrStatsW

        lo, hi = DescrStatsW(list(self.revenue_values)).tconfint_mean(alpha=alpha)
        return json_float(lo), json_float(hi)

    def to_dict(self) -> dict:
        lo, hi = self.revenue_ci()
        return {
            "sessions": self.sessions, "sessions_with_click": self.clicked,
            "sessions_with_add_to_cart": self.carted, "sessions_with_purchase": self.purchased,
            "impressions": self.impressions, "clicks": self.clicks, "purchases": self.purchases,
            "click_rate": json_float(self.click_rate), "add_to_cart_rate": json_float(self.cart_rate),
            "conversion": json_float(self.conversion), "ctr_per_impression": json_float(self.ctr),
            "revenue": round(self.revenue, 2), "revenue_per_session": json_float(self.revenue_per_session),
            "revenue_per_session_ci95": [lo, hi],
            "sessions_staffed": self.staffed, "staffed_rate": json_float(self.staffed_rate),
        }


def arm_metrics(rows: Sequence[Mapping], arms: Sequence[str] = ARMS) -> dict[str, ArmMetrics]:
    """Aggregate ``Store.ab_outcomes`` rows (one per session) into one :class:`ArmMetrics` per arm.

    Every arm of ``arms`` is present, in that order (an arm without sessions has ``sessions == 0``); rows of
    other arms are ignored.
    """
    acc: dict[str, dict[str, Any]] = {arm: {"sessions": 0, "clicked": 0, "carted": 0, "purchased": 0,
                                            "impressions": 0, "clicks": 0, "purchases": 0, "staffed": 0,
                                            "revenue_values": []} for arm in arms}
    for r in rows:
        a = acc.get(r["arm"])
        if a is None:
            continue
        a["sessions"] += 1
        a["clicked"] += r["clicks"] > 0
        a["carted"] += r["carts"] > 0
        a["purchased"] += r["purchases"] > 0
        a["impressions"] += r["impressions"]
        a["clicks"] += r["clicks"]
        a["purchases"] += r["purchases"]
        a["staffed"] += bool(r.get("staffed"))
        a["revenue_values"].append(float(r["revenue"] or 0.0))
    return {arm: ArmMetrics(arm=arm, revenue=float(sum(a["revenue_values"])),
                            revenue_values=tuple(a.pop("revenue_values")), **a)
            for arm, a in acc.items()}


