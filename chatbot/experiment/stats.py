"""Statistics of the A/B experiment (``intent``, ``placebo`` against ``baseline``), from the store.

The unit of analysis is the *session* (the unit of randomisation). For each arm of
:data:`~chatbot.experiment.assignment.ARMS` (``placebo`` only when it has sessions or a configured share): sessions,
sessions with a click / an add-to-cart / a purchase, click-through per impression, conversion per session and
revenue per session. Then every treatment arm (``TREATMENTS``) with sessions against the control
(``CONTROL`` = ``baseline``):

- **absolute lift** of a per-session rate, with the Newcombe hybrid-score 95% CI (method 10 of Newcombe
  1998, from Wilson intervals; ``statsmodels.stats.proportion.confint_proportions_2indep(compare="diff",
  method="newcomb")``);
- **relative lift** ``p_t / p_c - 1`` with the delta-method CI on the log ratio (Katz;
  ``compare="ratio", method="log"``; ``"log-adjusted"``, which adds 0.5 to each count, when a count is 0);
- the two-sided **pooled two-proportion z-test** (``statsmodels ... proportions_ztest``); conversion is the
  primary metric, the other rates are secondary;
- **Holm** (1979) step-down correction of the primary conversion p-values across the treatments
  (``statsmodels.stats.multitest.multipletests(method="holm")``): ``p_holm`` decides significance, ``p`` is
  shown too (with one treatment they are equal); the secondary p-values are not corrected;
- **always-valid** p-value and confidence sequence of the conversion difference (the mSPRT of Johari et al.
  2022, :mod:`chatbot.experiment.sequential`), which may be read after every session;
- **revenue per session**: Welch t-test and CI of the difference of means (``scipy.stats.ttest_ind(...,
  equal_var=False)``); relative lift with a delta-method CI on the log ratio of the means;
- **sample-ratio mismatch**: chi-square goodness of fit of the session counts of the arms with a configured
  share > 0 against the split (``arm_shares``; ``scipy.stats.chisquare``, k - 1 degrees of freedom), flagged
  when p < 0.001 or when an arm configured with share 0 has sessions — then the assignment, the logging or
  the shares given to the report are wrong and no other figure should be trusted;
- **power**, per treatment against the control: sessions needed to detect a given relative lift of conversion
  at alpha 0.05 and power 0.8 (``NormalIndPower`` on Cohen's h from ``proportion_effectsize``, the configured
  ratio of the two arms), and the smallest lift the current sample could detect.

Click-through *per impression* is shown as a point estimate only: impressions of one session are not
independent, so a test that treats them as independent would be over-confident.

>>> cmp = compare_proportions(60, 1000, 45, 1000)
>>> round(cmp.abs_lift, 3), cmp.p_value < 0.2
(0.015, True)
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from chatbot.experiment.assignment import ARMS, CONTROL, TREATMENTS, arm_shares
from chatbot.experiment.sequential import DEFAULT_TAU, SequentialResult, sequential_from_rows
from chatbot.service.store import Store
from intent.errors import ConfigError, DataError

# statsmodels, scipy and matplotlib take seconds to import: each is imported inside the function using it.
if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "ArmMetrics", "Comparison", "SRMCheck", "PowerAnalysis", "TreatmentResult", "ABReport",
    "compare_proportions", "compare_means", "holm", "srm_check", "sessions_needed", "arm_metrics",
    "analyse", "analyse_db", "conversion_figure", "SRM_THRESHOLD",
]

SRM_THRESHOLD = 0.001
"""Sample-ratio mismatch is flagged when the chi-square p-value is below this."""


def _num(x: Any) -> float | None:
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
        return _num(lo), _num(hi)

    def to_dict(self) -> dict:
        lo, hi = self.revenue_ci()
        return {
            "sessions": self.sessions, "sessions_with_click": self.clicked,
            "sessions_with_add_to_cart": self.carted, "sessions_with_purchase": self.purchased,
            "impressions": self.impressions, "clicks": self.clicks, "purchases": self.purchases,
            "click_rate": _num(self.click_rate), "add_to_cart_rate": _num(self.cart_rate),
            "conversion": _num(self.conversion), "ctr_per_impression": _num(self.ctr),
            "revenue": round(self.revenue, 2), "revenue_per_session": _num(self.revenue_per_session),
            "revenue_per_session_ci95": [lo, hi],
        }


def arm_metrics(rows: Sequence[Mapping], arms: Sequence[str] = ARMS) -> dict[str, ArmMetrics]:
    """Aggregate ``Store.ab_outcomes`` rows (one per session) into one :class:`ArmMetrics` per arm.

    Every arm of ``arms`` is present, in that order (an arm without sessions has ``sessions == 0``); rows of
    other arms are ignored.
    """
    acc: dict[str, dict[str, Any]] = {arm: {"sessions": 0, "clicked": 0, "carted": 0, "purchased": 0,
                                            "impressions": 0, "clicks": 0, "purchases": 0,
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
        a["revenue_values"].append(float(r["revenue"] or 0.0))
    return {arm: ArmMetrics(arm=arm, revenue=float(sum(a["revenue_values"])),
                            revenue_values=tuple(a.pop("revenue_values")), **a)
            for arm, a in acc.items()}


# --- comparisons -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """A treatment arm against the control (``baseline``) on one metric.

    abs_lift / abs_ci: difference ``t - c`` and its CI; rel_lift / rel_ci: ``t / c - 1`` and its CI;
    stat / p_value: z (proportions) or Welch t (means) and the two-sided p-value; method: how; p_holm: the
    p-value Holm-adjusted across the treatments (primary metric only, set by :func:`analyse`).
    """

    metric: str
    treatment: float
    control: float
    abs_lift: float
    abs_ci: tuple[float | None, float | None]
    rel_lift: float | None
    rel_ci: tuple[float | None, float | None]
    stat: float | None
    p_value: float | None
    method: str
    p_holm: float | None = None

    def significant(self, alpha: float = 0.05) -> bool:
        """``p_holm < alpha`` when the p-value was Holm-adjusted, else ``p_value < alpha``."""
        p = self.p_value if self.p_holm is None else self.p_holm
        return p is not None and p < alpha

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("treatment", "control", "abs_lift", "rel_lift", "stat", "p_value", "p_holm"):
            d[k] = _num(d[k])
        d["abs_ci"] = [_num(v) for v in self.abs_ci]
        d["rel_ci"] = [_num(v) for v in self.rel_ci]
        return d


def compare_proportions(x_t: int, n_t: int, x_c: int, n_c: int, *, alpha: float = 0.05,
                        metric: str = "conversion") -> Comparison:
    """Two independent proportions ``x_t/n_t`` (treatment) vs ``x_c/n_c`` (control).

    >>> c = compare_proportions(56, 70, 48, 80)      # Newcombe (1998), example (a)
    >>> [round(v, 4) for v in c.abs_ci]
    [0.0524, 0.3339]
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    if min(n_t, n_c) <= 0:
        raise DataError(f"cannot compare {metric}: an arm has no sessions (n={n_t} vs {n_c})")
    p_t, p_c = x_t / n_t, x_c / n_c
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = confint_proportions_2indep(x_t, n_t, x_c, n_c, compare="diff", method="newcomb",
                                            alpha=alpha)
        if x_c == 0:
            rel, rel_ci = None, (None, None)
            ratio_method = "undefined (no control events)"
        else:
            ratio_method = "log" if x_t > 0 and x_t < n_t and x_c < n_c else "log-adjusted"
            rlo, rhi = confint_proportions_2indep(x_t, n_t, x_c, n_c, compare="ratio", method=ratio_method,
                                                  alpha=alpha)
            rel, rel_ci = p_t / p_c - 1.0, (_num(rlo - 1.0), _num(rhi - 1.0))
        if x_t + x_c in (0, n_t + n_c):
            z, p = None, None  # no variation at all: the test is undefined
        else:
            z, p = proportions_ztest([x_t, x_c], [n_t, n_c], alternative="two-sided")
    return Comparison(
        metric=metric, treatment=p_t, control=p_c, abs_lift=p_t - p_c, abs_ci=(_num(lo), _num(hi)),
        rel_lift=rel, rel_ci=rel_ci, stat=_num(z), p_value=_num(p),
        method=f"Newcombe diff CI; {ratio_method} ratio CI; pooled two-proportion z-test",
    )


def compare_means(values_t: Sequence[float], values_c: Sequence[float], *, alpha: float = 0.05,
                  metric: str = "revenue_per_session") -> Comparison:
    """Difference of two means with Welch's t (CI from ``scipy``); relative lift by the delta method.

    The relative CI is ``exp(log(m_t/m_c) ± z * se)`` with ``se² = s_t²/(n_t m_t²) + s_c²/(n_c m_c²)``.
    """
    from scipy import stats

    t, c = np.asarray(values_t, dtype=float), np.asarray(values_c, dtype=float)
    if min(len(t), len(c)) < 2:
        raise DataError(f"cannot compare {metric}: need at least 2 sessions per arm (got {len(t)}, {len(c)})")
    m_t, m_c = float(t.mean()), float(c.mean())
    with np.errstate(all="ignore"):
        res = stats.ttest_ind(t, c, equal_var=False)
        ci = res.confidence_interval(confidence_level=1 - alpha)
    rel, rel_ci = None, (None, None)
    if m_t > 0 and m_c > 0:
        se = math.sqrt(t.var(ddof=1) / (len(t) * m_t**2) + c.var(ddof=1) / (len(c) * m_c**2))
        z = float(stats.norm.ppf(1 - alpha / 2))
        log_ratio = math.log(m_t / m_c)
        rel = m_t / m_c - 1.0
        rel_ci = (math.exp(log_ratio - z * se) - 1.0, math.exp(log_ratio + z * se) - 1.0)
    return Comparison(
        metric=metric, treatment=m_t, control=m_c, abs_lift=m_t - m_c, abs_ci=(_num(ci.low), _num(ci.high)),
        rel_lift=rel, rel_ci=rel_ci, stat=_num(res.statistic), p_value=_num(res.pvalue),
        method="Welch t-test and CI; delta-method CI on the log ratio of means",
    )


def holm(p_values: Mapping[str, float | None], alpha: float = 0.05) -> dict[str, float | None]:
    """Holm's step-down adjusted p-values (``multipletests(method="holm")``); ``None`` stays ``None`` and is
    not counted in the family.

    >>> holm({"intent": 0.01, "placebo": 0.04})
    {'intent': 0.02, 'placebo': 0.04}
    """
    from statsmodels.stats.multitest import multipletests

    keys = [k for k, p in p_values.items() if p is not None]
    out: dict[str, float | None] = dict.fromkeys(p_values)
    if keys:
        adjusted = multipletests([float(p_values[k]) for k in keys], alpha=alpha, method="holm")[1]
        out.update({k: float(p) for k, p in zip(keys, adjusted, strict=True)})
    return out


@dataclass(frozen=True)
class SRMCheck:
    """Sample-ratio-mismatch check: observed vs expected sessions per arm, chi-square p-value.

    ``unexpected``: sessions in arms whose configured share is 0 (a mismatch in itself).
    """

    observed: dict[str, int]
    expected: dict[str, float]
    chi2: float | None
    p_value: float | None
    flagged: bool
    threshold: float = SRM_THRESHOLD
    unexpected: dict[str, int] = field(default_factory=dict)

    @property
    def tested(self) -> list[str]:
        """The arms in the chi-square test (configured share > 0)."""
        return [arm for arm, e in self.expected.items() if e > 0]

    def to_dict(self) -> dict:
        return {"observed": self.observed, "expected": {k: round(v, 2) for k, v in self.expected.items()},
                "chi2": _num(self.chi2), "p_value": _num(self.p_value), "flagged": self.flagged,
                "threshold": self.threshold, "unexpected": self.unexpected}


def srm_check(observed: Mapping[str, int], intent_share: float | Mapping[str, float] = 0.5, *,
              placebo_share: float = 0.0, threshold: float = SRM_THRESHOLD) -> SRMCheck:
    """Chi-square goodness of fit of the sessions per arm against the configured split.

    The test runs over the arms with a share > 0 (``arm_shares(intent_share, placebo_share)``; ``intent_share``
    may also be that mapping), with k - 1 degrees of freedom. Sessions in an arm with share 0 are flagged
    as a mismatch. Reported arms: those in ``observed`` and those with a share > 0.

    >>> srm_check({"intent": 1030, "baseline": 970}, 0.5).p_value < 0.2
    True
    >>> srm_check({"intent": 400, "baseline": 400, "placebo": 200}, 0.4, placebo_share=0.2).chi2
    0.0
    """
    from scipy.stats import chisquare

    if isinstance(intent_share, Mapping):
        shares = arm_shares(intent_share.get("intent", 0.0), intent_share.get("placebo", 0.0))
    else:
        shares = arm_shares(intent_share, placebo_share)
    arms = [arm for arm in ARMS if arm in observed or shares[arm] > 0]
    counts = {arm: int(observed.get(arm, 0)) for arm in arms}
    tested = [arm for arm in arms if shares[arm] > 0]
    unexpected = {arm: n for arm, n in counts.items() if shares[arm] <= 0 and n > 0}
    total = sum(counts[arm] for arm in tested)
    expected = {arm: total * shares[arm] / sum(shares[a] for a in tested) if tested else 0.0 for arm in arms}
    if total == 0 or len(tested) < 2:
        return SRMCheck(counts, expected, None, None, bool(unexpected), threshold, unexpected)
    res = chisquare([counts[arm] for arm in tested], [expected[arm] for arm in tested])
    p = float(res.pvalue)
    return SRMCheck(counts, expected, float(res.statistic), p, p < threshold or bool(unexpected), threshold,
                    unexpected)


@dataclass(frozen=True)
class PowerAnalysis:
    """Sessions needed in ``treatment`` and the control to detect ``relative_lift`` of conversion, and what
    the data can detect."""

    baseline_rate: float | None
    relative_lift: float
    alpha: float
    power: float
    sessions_needed: dict[str, int] | None
    detectable_lift_now: float | None
    treatment: str = TREATMENTS[0]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["baseline_rate"] = _num(self.baseline_rate)
        d["detectable_lift_now"] = _num(self.detectable_lift_now)
        return d


def sessions_needed(baseline_rate: float, relative_lift: float, *, alpha: float = 0.05, power: float = 0.8,
                    intent_share: float = 0.5, treatment: str = TREATMENTS[0],
                    ratio: float | None = None) -> dict[str, int]:
    """Sessions in ``treatment`` and the control to detect conversion ``baseline_rate * (1 + relative_lift)``
    (two-sided test).

    Cohen's h (``proportion_effectsize``) and ``NormalIndPower``; ``ratio`` is control sessions per treatment
    session (default ``(1 - intent_share) / intent_share``, the two-arm split; with k arms pass
    ``share[control] / share[treatment]``).

    >>> sessions_needed(0.05, 0.10)
    {'intent': 31218, 'baseline': 31218}
    >>> sessions_needed(0.05, 0.10, treatment="placebo", ratio=2.0)
    {'placebo': 23414, 'baseline': 46827}
    """
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    target = baseline_rate * (1.0 + relative_lift)
    if not (0 < baseline_rate < 1 and 0 < target < 1 and relative_lift != 0):
        raise ConfigError(f"cannot size a test from conversion {baseline_rate!r} and lift {relative_lift!r}",
                          hint="need 0 < rate < 1, a non-zero lift and rate * (1 + lift) < 1")
    if ratio is None:
        if not 0 < intent_share < 1:
            raise ConfigError(f"intent_share must be strictly between 0 and 1 to size a test, got {intent_share}")
        ratio = (1.0 - intent_share) / intent_share
    if not (math.isfinite(ratio) and ratio > 0):
        raise ConfigError(f"the control-to-treatment ratio must be positive to size a test, got {ratio!r}",
                          hint="both arms need a configured share > 0")
    es = abs(proportion_effectsize(target, baseline_rate))
    n_t = NormalIndPower().solve_power(effect_size=es, alpha=alpha, power=power, ratio=ratio,
                                       alternative="two-sided")
    return {treatment: math.ceil(n_t), CONTROL: math.ceil(n_t * ratio)}


def _detectable_lift(baseline_rate: float, n_treat: int, n_control: int, alpha: float, power: float) -> float:
    """Smallest relative lift of conversion the current sample detects with ``power`` (inverting Cohen's h)."""
    from statsmodels.stats.power import NormalIndPower

    h = NormalIndPower().solve_power(nobs1=n_treat, alpha=alpha, power=power, ratio=n_control / n_treat,
                                     alternative="two-sided")
    phi = 2 * math.asin(math.sqrt(baseline_rate)) + h
    if phi >= math.pi:
        return float("inf")
    return math.sin(phi / 2) ** 2 / baseline_rate - 1.0


# --- the report ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TreatmentResult:
    """One treatment arm against the control: the four comparisons (empty when either arm has no sessions),
    the power analysis and the always-valid mSPRT of conversion (``None`` without comparisons)."""

    arm: str
    comparisons: dict[str, Comparison]
    power: PowerAnalysis
    sequential: SequentialResult | None = None
    alpha: float = 0.05

    @property
    def conversion(self) -> Comparison | None:
        return self.comparisons.get("conversion")

    def to_dict(self) -> dict:
        c = self.conversion
        return {"control": CONTROL, "lift": {k: v.to_dict() for k, v in self.comparisons.items()},
                "significant": None if c is None else c.significant(self.alpha), "power": self.power.to_dict(),
                "sequential": None if self.sequential is None else self.sequential.to_dict()}


@dataclass(frozen=True)
class ABReport:
    """Everything ``shopguide ab report`` prints.

    ``arms``: the metrics of the arms shown (``intent`` and ``baseline`` always, ``placebo`` when it has
    sessions or a configured share); ``treatments``: every shown treatment arm against ``baseline``.
    ``comparisons``, ``conversion`` and ``power`` are the ``intent`` arm's (the figures of the two-arm report).
    """

    experiment: str
    intent_share: float
    arms: dict[str, ArmMetrics]
    treatments: dict[str, TreatmentResult]
    srm: SRMCheck
    excluded: dict[str, int]
    warnings: tuple[str, ...]
    rows: tuple[dict, ...] = field(default=(), repr=False)
    placebo_share: float = 0.0
    alpha: float = 0.05
    tau: float = DEFAULT_TAU

    @property
    def shares(self) -> dict[str, float]:
        return arm_shares(self.intent_share, self.placebo_share)

    @property
    def comparisons(self) -> dict[str, Comparison]:
        t = self.treatments.get(TREATMENTS[0])
        return {} if t is None else t.comparisons

    @property
    def conversion(self) -> Comparison | None:
        return self.comparisons.get("conversion")

    @property
    def power(self) -> PowerAnalysis:
        return self.treatments[TREATMENTS[0]].power

    @property
    def compared(self) -> list[str]:
        """The treatment arms with comparisons (both it and the control have sessions)."""
        return [arm for arm, t in self.treatments.items() if t.comparisons]

    @property
    def sequences(self) -> dict[str, SequentialResult]:
        """The always-valid mSPRT of each compared treatment."""
        return {arm: t.sequential for arm, t in self.treatments.items() if t.sequential is not None}

    def to_dict(self) -> dict:
        return {
            "experiment": self.experiment,
            "intent_share": self.intent_share,
            "placebo_share": self.placebo_share,
            "shares": self.shares,
            "control": CONTROL,
            "sessions": sum(m.sessions for m in self.arms.values()),
            "excluded": self.excluded,
            "arms": {arm: m.to_dict() for arm, m in self.arms.items()},
            "lift": {k: c.to_dict() for k, c in self.comparisons.items()},
            "primary_metric": "conversion",
            "srm": self.srm.to_dict(),
            "power": self.power.to_dict(),
            "treatments": {arm: t.to_dict() for arm, t in self.treatments.items()},
            "multiple_testing": {"method": "holm", "metric": "conversion", "alpha": self.alpha,
                                 "family": self.compared},
            "sequential": {"method": "mSPRT (Johari, Koomen, Pekelis & Walsh 2022)", "tau": self.tau,
                           "alpha": self.alpha},
            "warnings": list(self.warnings),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False, indent=2)

    def to_text(self) -> str:
        """A human-readable table (also valid Markdown)."""
        return "\n".join(_text_lines(self))


def _pct(x: float | None, signed: bool = False, digits: int = 2) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x * 100:+.{digits}f}%" if signed else f"{x * 100:.{digits}f}%"


def _ci(ci: tuple[float | None, float | None], fmt) -> str:
    return "—" if None in ci else f"[{fmt(ci[0])}, {fmt(ci[1])}]"


def _pv(p: float | None) -> str:
    return "—" if p is None else f"{p:.3g}"


def _lift_cells(c: Comparison, money: bool) -> list[str]:
    """abs lift [CI], rel lift [CI], p of one comparison."""
    if money:
        absf = f"{c.abs_lift:+.2f} {_ci(c.abs_ci, lambda v: f'{v:+.2f}')}"
    else:
        absf = f"{c.abs_lift * 100:+.2f} pp {_ci(c.abs_ci, lambda v: f'{v * 100:+.2f}')}"
    relf = f"{_pct(c.rel_lift, True, 1)} {_ci(c.rel_ci, lambda v: _pct(v, True, 1))}"
    return [absf, relf, _pv(c.p_value)]


def _money(m: ArmMetrics) -> str:
    lo, hi = m.revenue_ci()
    mean = m.revenue_per_session
    if not math.isfinite(mean):
        return "—"
    return f"{mean:.2f}" + ("" if lo is None else f" [{lo:.2f}, {hi:.2f}]")


# (row label, per-arm cell, comparison key or None, money?)
_ROWS: tuple[tuple[str, Any, str | None, bool], ...] = (
    ("sessions", lambda m: str(m.sessions), None, False),
    ("sessions with click", lambda m: f"{m.clicked} ({_pct(m.click_rate, digits=1)})", "click_rate", False),
    ("sessions with add-to-cart", lambda m: f"{m.carted} ({_pct(m.cart_rate, digits=1)})", "add_to_cart_rate",
     False),
    ("**conversion / session**", lambda m: f"{m.purchased} ({_pct(m.conversion)})", "conversion", False),
    ("click-through / impression", lambda m: f"{m.clicks}/{m.impressions} ({_pct(m.ctr)})", None, False),
    ("revenue / session (CNY)", _money, "revenue_per_session", True),
)


def _tables(rep: ABReport) -> list[str]:
    """One table with the lift columns when ``intent`` is the only treatment shown (the two-arm report);
    else a per-arm table and a table of every treatment against the control."""
    arms = list(rep.arms)
    treated = [a for a in rep.treatments]
    if treated == [TREATMENTS[0]]:
        comps = rep.comparisons
        lines = [f"| metric | {' | '.join(arms)} | abs lift [95% CI] | rel lift [95% CI] | p |",
                 "|---|" + "---:|" * (len(arms) + 3)]
        for label, cell, key, money in _ROWS:
            c = comps.get(key) if key else None
            cells = " | ".join(cell(rep.arms[a]) for a in arms)
            lift = " | ".join(_lift_cells(c, money)) + " |" if c is not None else "| | |"
            lines.append(f"| {label} | {cells} | {lift}")
        return lines
    lines = [f"| metric | {' | '.join(arms)} |", "|---|" + "---:|" * len(arms)]
    for label, cell, _key, _is_money in _ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(rep.arms[a]) for a in arms) + " |")
    if rep.compared:
        lines += ["", f"| vs {CONTROL} | metric | abs lift [95% CI] | rel lift [95% CI] | p | p (Holm) |",
                  "|---|---|---:|---:|---:|---:|"]
        for arm in rep.compared:
            comps = rep.treatments[arm].comparisons
            for label, _cell, key, money in _ROWS:
                c = comps.get(key) if key else None
                if c is None:
                    continue
                holm_p = _pv(c.p_holm) if key == "conversion" else ""
                lines.append(f"| {arm} | {label} | " + " | ".join(_lift_cells(c, money)) + f" | {holm_p} |")
    return lines


def _srm_lines(s: SRMCheck) -> list[str]:
    lines = []
    tested = s.tested
    if s.p_value is None:
        if not s.unexpected:
            lines.append("Sample ratio: not testable (no sessions, or a one-arm split configured).")
    else:
        verdict = ("MISMATCH — assignment or logging is broken; do not trust the lift" if s.p_value < s.threshold
                   else "ok")
        label = "" if tested == ["intent", "baseline"] else f" ({'/'.join(tested)})"
        lines.append(f"Sample ratio{label}: observed {'/'.join(str(s.observed[a]) for a in tested)}, expected "
                     f"{'/'.join(f'{s.expected[a]:.0f}' for a in tested)}; chi2 = {s.chi2:.2f}, "
                     f"p = {s.p_value:.3g} (flag below {s.threshold}): {verdict}")
    if s.unexpected:
        arms = ", ".join(f"{a} {n}" for a, n in s.unexpected.items())
        lines.append(f"Sample ratio: sessions in arms configured with share 0 ({arms}): MISMATCH — pass the "
                     "shares the experiment ran with (--intent-share, --placebo-share), or check the assignment")
    return lines


def _power_line(arm: str, p: PowerAnalysis, labelled: bool, shares: Mapping[str, float]) -> str:
    head = f"Power ({arm} vs {CONTROL})" if labelled else "Power"
    if p.sessions_needed is None:
        if p.baseline_rate is not None and 0 < p.baseline_rate < 1 and min(shares[arm], shares[CONTROL]) <= 0:
            return f"{head}: not sized — arm {arm!r} or {CONTROL!r} has a configured share of 0."
        return f"{head}: needs a baseline conversion strictly between 0 and 1."
    now = ("" if p.detectable_lift_now is None else
           f"; the current sample detects a relative lift of {_pct(p.detectable_lift_now, True, 1)} or more")
    return (f"{head}: detecting {_pct(p.relative_lift, True, 0)} relative lift of conversion from "
            f"{_pct(p.baseline_rate)} (alpha {p.alpha}, power {p.power}) needs "
            f"{p.sessions_needed[arm]:,} {arm} + {p.sessions_needed[CONTROL]:,} {CONTROL} sessions{now}.")


def _sequential_line(arm: str, q: SequentialResult, holm_shown: bool) -> str:
    if q.pairs == 0 or q.diff is None:
        return f"Always valid ({arm} vs {CONTROL}): no pairs of sessions yet."
    cs = ("empty (the data contradict every difference: check the logging)" if None in q.ci else
          f"[{q.ci[0] * 100:+.2f}, {q.ci[1] * 100:+.2f}] pp")
    waiting = ", ".join(f"{n} {a}" for a, n in q.unpaired.items() if n)
    waiting = f" (sessions not yet paired: {waiting})" if waiting else ""
    holm_p = f" (Holm-adjusted {_pv(q.p_holm)})" if holm_shown and q.p_holm is not None else ""
    verdict = ("significant — the difference may be acted on now" if q.significant()
               else "not significant yet — keep collecting, checking as often as you like")
    return (f"Always valid ({arm} vs {CONTROL}; mSPRT, tau = {q.tau:g}): difference {q.diff * 100:+.2f} pp, "
            f"{1 - q.alpha:.0%} confidence sequence {cs}, always-valid p = {_pv(q.p_value)}{holm_p} over "
            f"{q.pairs} pairs{waiting}: {verdict}.")


def _text_lines(rep: ABReport) -> list[str]:
    n = sum(m.sessions for m in rep.arms.values())
    ex = rep.excluded
    if list(rep.arms) == ["intent", "baseline"]:
        config = f"configured intent share {rep.intent_share:.2f}"
    else:
        config = "configured shares " + ", ".join(f"{a} {rep.shares[a]:.2f}" for a in rep.arms)
    lines = [
        f"Experiment {rep.experiment!r} ({config}): {n} sessions analysed"
        f" ({ex['forced']} forced and {ex['other_experiments']} of other experiments excluded)",
        "",
        *_tables(rep),
        "",
        *_srm_lines(rep.srm),
    ]
    labelled = len(rep.treatments) > 1
    for arm, t in rep.treatments.items():
        lines.append(_power_line(arm, t.power, labelled, rep.shares))
    family = len([a for a in rep.compared if rep.treatments[a].conversion.p_value is not None])
    for arm in rep.compared:
        c = rep.treatments[arm].conversion
        sig = "significant" if c.significant(rep.alpha) else "not significant"
        holm_p = f", Holm-adjusted p = {_pv(c.p_holm)} over {family} treatments" if family > 1 else ""
        lines.append(f"Conversion (primary): {arm} {_pct(c.treatment)} vs {CONTROL} {_pct(c.control)}, "
                     f"z = {c.stat if c.stat is None else round(c.stat, 3)}, p = {_pv(c.p_value)}{holm_p} "
                     f"({sig} at alpha {rep.alpha:g}).")
    for arm, q in rep.sequences.items():
        lines.append(_sequential_line(arm, q, family > 1))
    if rep.sequences:
        lines.append("Read daily: the always-valid p and confidence sequence hold however often they are checked; "
                     "the fixed-horizon p and CIs above hold only once, at a sample size fixed in advance.")
    for w in rep.warnings:
        lines.append(f"Warning: {w}")
    return lines


def _shown_arms(arms: Mapping[str, ArmMetrics], shares: Mapping[str, float]) -> list[str]:
    """The control and the first treatment always; another arm when it has sessions or a share > 0."""
    return [arm for arm in ARMS
            if arm in (CONTROL, TREATMENTS[0]) or arms[arm].sessions > 0 or shares[arm] > 0]


def _power(arm: str, arms: Mapping[str, ArmMetrics], base: float, shares: Mapping[str, float],
           relative_lift: float, alpha: float, power: float) -> PowerAnalysis:
    t, c = arms[arm], arms[CONTROL]
    needed = detectable = None
    if 0 < base < 1 and shares[arm] > 0 and shares[CONTROL] > 0 and base * (1 + relative_lift) < 1:
        needed = sessions_needed(base, relative_lift, alpha=alpha, power=power, treatment=arm,
                                 ratio=shares[CONTROL] / shares[arm])
        if t.sessions and c.sessions:
            detectable = _detectable_lift(base, t.sessions, c.sessions, alpha, power)
    return PowerAnalysis(baseline_rate=base if math.isfinite(base) else None, relative_lift=relative_lift,
                         alpha=alpha, power=power, sessions_needed=needed, detectable_lift_now=detectable,
                         treatment=arm)


def analyse(store: Store, experiment: str, intent_share: float = 0.5, *, placebo_share: float = 0.0,
            relative_lift: float = 0.10, alpha: float = 0.05, power: float = 0.8, source: str | None = None,
            tau: float = DEFAULT_TAU) -> ABReport:
    """The full A/B report of ``experiment`` from the store: every treatment arm with sessions against
    ``baseline``, Holm-corrected conversion p-values, the k-arm sample-ratio check against
    ``arm_shares(intent_share, placebo_share)``, power per treatment, and the always-valid mSPRT of
    conversion with mixing standard deviation ``tau`` (:mod:`chatbot.experiment.sequential`).

    Raises :class:`DataError` when the experiment has no analysable session (empty database, wrong
    experiment name) and :class:`ConfigError` for invalid shares; an experiment whose control or treatment
    arm is empty gives a report without those comparisons and a warning.
    """
    shares = arm_shares(intent_share, placebo_share)
    if not (isinstance(tau, int | float) and math.isfinite(tau) and tau > 0):
        raise ConfigError(f"tau must be a positive number, got {tau!r}",
                          hint="tau is the difference of conversion rates the always-valid test is tuned to, "
                               "e.g. 0.02")
    rows = store.ab_outcomes(experiment, source=source)
    per_exp = store.ab_experiments()
    forced = sum(r["forced"] or 0 for r in per_exp if r["experiment"] == experiment)
    others = sum(r["sessions"] for r in per_exp if r["experiment"] != experiment)
    unknown = sorted({r["arm"] for r in rows} - set(ARMS))
    known_rows = [r for r in rows if r["arm"] in ARMS]
    if not known_rows:
        names = sorted({r["experiment"] for r in per_exp})
        where = f"the database {store.path}"
        if not names:
            raise DataError(f"{where} has no sessions yet",
                            hint="run 'shopguide ab simulate --db FILE' or serve the app to collect traffic")
        raise DataError(
            f"{where} has no analysable sessions of experiment {experiment!r}"
            + (f" from source {source!r}" if source else "")
            + f" (experiments in it: {', '.join(repr(n) for n in names)}; forced sessions are excluded)",
            hint="pass --experiment NAME, or collect sessions for this experiment",
        )
    every = arm_metrics(known_rows)
    arms = {arm: every[arm] for arm in _shown_arms(every, shares)}
    warnings: list[str] = []
    if unknown:
        warnings.append(f"ignored sessions with unknown arms {unknown}")
    for arm, m in arms.items():
        if m.sessions == 0:
            warnings.append(f"arm {arm!r} has no sessions: lift, CIs and p-values need both arms")
    control = arms[CONTROL]
    treated = [arm for arm in TREATMENTS if arm in arms]
    total = sum(m.sessions for m in arms.values())
    base = control.conversion if control.sessions else sum(m.purchased for m in arms.values()) / total
    comparisons: dict[str, dict[str, Comparison]] = {}
    for arm in treated:
        t = arms[arm]
        comparisons[arm] = {}
        if not (t.sessions and control.sessions):
            continue
        for key, attr in (("conversion", "purchased"), ("click_rate", "clicked"), ("add_to_cart_rate", "carted")):
            comparisons[arm][key] = compare_proportions(getattr(t, attr), t.sessions, getattr(control, attr),
                                                        control.sessions, alpha=alpha, metric=key)
        if min(t.sessions, control.sessions) >= 2:
            comparisons[arm]["revenue_per_session"] = compare_means(t.revenue_values, control.revenue_values,
                                                                    alpha=alpha)
    compared = [arm for arm in treated if comparisons[arm]]
    fixed_holm = holm({arm: comparisons[arm]["conversion"].p_value for arm in compared}, alpha)
    sequential = {arm: sequential_from_rows(known_rows, arm, CONTROL, tau=tau, alpha=alpha) for arm in compared}
    seq_holm = holm({arm: q.p_value for arm, q in sequential.items()}, alpha)
    treatments = {}
    for arm in treated:
        comps = comparisons[arm]
        seq = None
        if arm in compared:
            comps["conversion"] = replace(comps["conversion"], p_holm=fixed_holm[arm])
            seq = replace(sequential[arm], p_holm=seq_holm[arm])
        treatments[arm] = TreatmentResult(
            arm=arm, comparisons=comps, power=_power(arm, arms, base, shares, relative_lift, alpha, power),
            sequential=seq, alpha=alpha)
    srm = srm_check({arm: m.sessions for arm, m in arms.items()}, shares)
    if srm.p_value is not None and srm.p_value < srm.threshold:
        warnings.append(f"sample-ratio mismatch (p = {srm.p_value:.2g} < {SRM_THRESHOLD}): check assignment "
                        "and logging before reading any lift")
    if srm.unexpected:
        warnings.append(f"sample-ratio mismatch: sessions in arms configured with share 0 {srm.unexpected}; "
                        "pass the shares the experiment ran with before reading any lift")
    return ABReport(experiment=experiment, intent_share=intent_share, arms=arms, treatments=treatments, srm=srm,
                    excluded={"forced": int(forced), "other_experiments": int(others)},
                    warnings=tuple(warnings), rows=tuple(known_rows), placebo_share=placebo_share, alpha=alpha,
                    tau=tau)


def analyse_db(path: str | Path, experiment: str, intent_share: float = 0.5, **kwargs: Any) -> ABReport:
    """:func:`analyse` on a database file, opened read-only; a missing file is a :class:`DataError`, not a
    new empty DB, and a file that is not a session database a :class:`~chatbot.errors.StoreError`."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no session database at {path}",
                        hint="check --db, or create one with 'shopguide ab simulate --db FILE'")
    store = Store(path, read_only=True)
    try:
        return analyse(store, experiment, intent_share, **kwargs)
    finally:
        store.close()


# --- the plot ------------------------------------------------------------------------------------------
_COLORS = {"intent": "tab:orange", "baseline": "tab:blue", "placebo": "tab:green"}


def _when(ts: str) -> datetime:
    return datetime.fromisoformat(ts)


def _date_axis(ax) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def conversion_figure(rows: Sequence[Mapping], *, title: str | None = None,
                      sequences: Mapping[str, SequentialResult] | None = None) -> Figure:
    """Cumulative conversion per arm against session start time, with a 95% Wilson band; with ``sequences``
    (``ABReport.sequences``) a second panel shows each treatment's always-valid confidence sequence of the
    conversion difference against the start of each pair's later session.

    At time t the curve is the share of the sessions started by t that have bought (so far). Uses the
    object-oriented matplotlib API (``Figure`` + Agg canvas): no pyplot state, safe in server threads.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from statsmodels.stats.proportion import proportion_confint

    panels = [q for q in (sequences or {}).values() if q.pairs > 0 and len(q.path_times) == q.pairs]
    fig = Figure(figsize=(7, 6.4 if panels else 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax, *rest = fig.subplots(2 if panels else 1, 1, squeeze=False)[:, 0]
    drawn = False
    for arm in ARMS:
        arm_rows = sorted((r for r in rows if r["arm"] == arm), key=lambda r: (r["created"], r["id"]))
        if not arm_rows:
            continue
        x = [_when(r["created"]) for r in arm_rows]
        bought = np.cumsum([r["purchases"] > 0 for r in arm_rows])
        n = np.arange(1, len(arm_rows) + 1)
        lo, hi = proportion_confint(bought, n, alpha=0.05, method="wilson")
        ax.plot(x, bought / n, color=_COLORS[arm], label=f"{arm} ({bought[-1]}/{n[-1]})")
        ax.fill_between(x, lo, hi, color=_COLORS[arm], alpha=0.15, linewidth=0)
        drawn = True
    if drawn:
        ax.legend(loc="best")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v * 100:.0f}%")
        _date_axis(ax)
    else:
        ax.text(0.5, 0.5, "no sessions yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("session start (UTC)")
    ax.set_ylabel("cumulative conversion")
    ax.set_title(title or "Cumulative conversion per arm (95% Wilson band)")
    ax.grid(alpha=0.3)
    if panels:
        cs = rest[0]
        for q in panels:
            x = [_when(t) for t in q.path_times]
            color = _COLORS.get(q.treatment, "tab:gray")
            cs.plot(x, q.path_diff * 100, color=color, linewidth=1,
                    label=f"{q.treatment} − {q.control} (always-valid p = {q.p_value:.3g})")
            cs.fill_between(x, q.path_lo * 100, q.path_hi * 100, color=color, alpha=0.2, linewidth=0)
        cs.axhline(0.0, color="black", linewidth=0.8)
        lows = np.concatenate([q.path_lo for q in panels]) * 100
        highs = np.concatenate([q.path_hi for q in panels]) * 100
        finite = np.concatenate([lows[lows > -100], highs[highs < 100], [-1.0, 1.0]])
        cs.set_ylim(max(-100.0, finite.min() - 1), min(100.0, finite.max() + 1))
        cs.legend(loc="best")
        _date_axis(cs)
        cs.set_xlabel("pair complete (UTC)")
        cs.set_ylabel("conversion difference (pp)")
        cs.set_title(f"Always-valid {1 - panels[0].alpha:.0%} confidence sequence (mSPRT, tau = {panels[0].tau:g})")
        cs.grid(alpha=0.3)
    return fig
