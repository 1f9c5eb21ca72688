"""Statistics of the intent-vs-baseline experiment, from the sessions and events in the store.

The unit of analysis is the *session* (the unit of randomisation). For each arm: sessions, sessions with a
click / an add-to-cart / a purchase, click-through per impression, conversion per session and revenue per
session. Then, ``intent`` (treatment) against ``baseline`` (control):

- **absolute lift** of a per-session rate, with the Newcombe hybrid-score 95% CI (method 10 of Newcombe
  1998, from Wilson intervals; ``statsmodels.stats.proportion.confint_proportions_2indep(compare="diff",
  method="newcomb")``);
- **relative lift** ``p_t / p_c - 1`` with the delta-method CI on the log ratio (Katz;
  ``compare="ratio", method="log"``; ``"log-adjusted"``, which adds 0.5 to each count, when a count is 0);
- the two-sided **pooled two-proportion z-test** (``statsmodels ... proportions_ztest``); conversion is the
  primary metric, the other rates are secondary;
- **revenue per session**: Welch t-test and CI of the difference of means (``scipy.stats.ttest_ind(...,
  equal_var=False)``); relative lift with a delta-method CI on the log ratio of the means;
- **sample-ratio mismatch**: chi-square goodness of fit of the session counts against the configured
  split (``scipy.stats.chisquare``), flagged when p < 0.001 — then the assignment or logging is broken and
  no other figure should be trusted;
- **power**: sessions per arm needed to detect a given relative lift of conversion at alpha 0.05 and
  power 0.8 (``NormalIndPower`` on Cohen's h from ``proportion_effectsize``), and the smallest lift the
  current sample could detect.

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
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from chatbot.experiment.assignment import ARMS
from chatbot.service.store import Store
from intent.errors import ConfigError, DataError

# statsmodels, scipy and matplotlib take seconds to import: each is imported inside the function using it.
if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "ArmMetrics", "Comparison", "SRMCheck", "PowerAnalysis", "ABReport",
    "compare_proportions", "compare_means", "srm_check", "sessions_needed", "arm_metrics",
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


def arm_metrics(rows: Sequence[Mapping]) -> dict[str, ArmMetrics]:
    """Aggregate ``Store.ab_outcomes`` rows (one per session) into one :class:`ArmMetrics` per arm.

    Both arms are always present (an arm without sessions has ``sessions == 0``); rows of an unknown arm
    are ignored.
    """
    acc: dict[str, dict[str, Any]] = {arm: {"sessions": 0, "clicked": 0, "carted": 0, "purchased": 0,
                                            "impressions": 0, "clicks": 0, "purchases": 0,
                                            "revenue_values": []} for arm in ARMS}
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
    """Treatment (``intent``) against control (``baseline``) on one metric.

    abs_lift / abs_ci: difference ``t - c`` and its CI; rel_lift / rel_ci: ``t / c - 1`` and its CI;
    stat / p_value: z (proportions) or Welch t (means) and the two-sided p-value; method: how.
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

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value is not None and self.p_value < alpha

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("treatment", "control", "abs_lift", "rel_lift", "stat", "p_value"):
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


@dataclass(frozen=True)
class SRMCheck:
    """Sample-ratio-mismatch check: observed vs expected sessions per arm, chi-square p-value."""

    observed: dict[str, int]
    expected: dict[str, float]
    chi2: float | None
    p_value: float | None
    flagged: bool
    threshold: float = SRM_THRESHOLD

    def to_dict(self) -> dict:
        return {"observed": self.observed, "expected": {k: round(v, 2) for k, v in self.expected.items()},
                "chi2": _num(self.chi2), "p_value": _num(self.p_value), "flagged": self.flagged,
                "threshold": self.threshold}


def srm_check(observed: Mapping[str, int], intent_share: float, *,
              threshold: float = SRM_THRESHOLD) -> SRMCheck:
    """Chi-square test of the session counts per arm against the configured split.

    >>> srm_check({"intent": 1030, "baseline": 970}, 0.5).p_value < 0.2
    True
    """
    from scipy.stats import chisquare

    counts = [int(observed.get(arm, 0)) for arm in ARMS]
    total = sum(counts)
    shares = [intent_share, 1.0 - intent_share]
    expected = {arm: total * s for arm, s in zip(ARMS, shares, strict=True)}
    if total == 0 or min(shares) <= 0:
        return SRMCheck(dict(zip(ARMS, counts, strict=True)), expected, None, None, False, threshold)
    res = chisquare(counts, [total * s for s in shares])
    p = float(res.pvalue)
    return SRMCheck(dict(zip(ARMS, counts, strict=True)), expected, float(res.statistic), p, p < threshold, threshold)


@dataclass(frozen=True)
class PowerAnalysis:
    """Sessions per arm needed to detect ``relative_lift`` of conversion, and what the data can detect."""

    baseline_rate: float | None
    relative_lift: float
    alpha: float
    power: float
    sessions_needed: dict[str, int] | None
    detectable_lift_now: float | None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["baseline_rate"] = _num(self.baseline_rate)
        d["detectable_lift_now"] = _num(self.detectable_lift_now)
        return d


def sessions_needed(baseline_rate: float, relative_lift: float, *, alpha: float = 0.05, power: float = 0.8,
                    intent_share: float = 0.5) -> dict[str, int]:
    """Sessions per arm to detect conversion ``baseline_rate * (1 + relative_lift)`` (two-sided test).

    Cohen's h (``proportion_effectsize``) and ``NormalIndPower``; unequal splits via ``ratio``.

    >>> sessions_needed(0.05, 0.10)
    {'intent': 31218, 'baseline': 31218}
    """
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    target = baseline_rate * (1.0 + relative_lift)
    if not (0 < baseline_rate < 1 and 0 < target < 1 and relative_lift != 0):
        raise ConfigError(f"cannot size a test from conversion {baseline_rate!r} and lift {relative_lift!r}",
                          hint="need 0 < rate < 1, a non-zero lift and rate * (1 + lift) < 1")
    if not 0 < intent_share < 1:
        raise ConfigError(f"intent_share must be strictly between 0 and 1 to size a test, got {intent_share}")
    es = abs(proportion_effectsize(target, baseline_rate))
    ratio = (1.0 - intent_share) / intent_share
    n_intent = NormalIndPower().solve_power(effect_size=es, alpha=alpha, power=power, ratio=ratio,
                                            alternative="two-sided")
    return {"intent": math.ceil(n_intent), "baseline": math.ceil(n_intent * ratio)}


def _detectable_lift(baseline_rate: float, n_intent: int, n_baseline: int, alpha: float, power: float) -> float:
    """Smallest relative lift of conversion the current sample detects with ``power`` (inverting Cohen's h)."""
    from statsmodels.stats.power import NormalIndPower

    h = NormalIndPower().solve_power(nobs1=n_intent, alpha=alpha, power=power, ratio=n_baseline / n_intent,
                                     alternative="two-sided")
    phi = 2 * math.asin(math.sqrt(baseline_rate)) + h
    if phi >= math.pi:
        return float("inf")
    return math.sin(phi / 2) ** 2 / baseline_rate - 1.0


# --- the report ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ABReport:
    """Everything ``shopguide ab report`` prints; ``comparisons`` is empty when an arm has no sessions."""

    experiment: str
    intent_share: float
    arms: dict[str, ArmMetrics]
    comparisons: dict[str, Comparison]
    srm: SRMCheck
    power: PowerAnalysis
    excluded: dict[str, int]
    warnings: tuple[str, ...]
    rows: tuple[dict, ...] = field(default=(), repr=False)

    @property
    def conversion(self) -> Comparison | None:
        return self.comparisons.get("conversion")

    def to_dict(self) -> dict:
        return {
            "experiment": self.experiment,
            "intent_share": self.intent_share,
            "sessions": sum(m.sessions for m in self.arms.values()),
            "excluded": self.excluded,
            "arms": {arm: m.to_dict() for arm, m in self.arms.items()},
            "lift": {k: c.to_dict() for k, c in self.comparisons.items()},
            "primary_metric": "conversion",
            "srm": self.srm.to_dict(),
            "power": self.power.to_dict(),
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


def _text_lines(rep: ABReport) -> list[str]:
    a, b = rep.arms["intent"], rep.arms["baseline"]
    n = a.sessions + b.sessions
    ex = rep.excluded
    lines = [
        f"Experiment {rep.experiment!r} (configured intent share {rep.intent_share:.2f}): {n} sessions analysed"
        f" ({ex['forced']} forced and {ex['other_experiments']} of other experiments excluded)",
        "",
        "| metric | intent | baseline | abs lift [95% CI] | rel lift [95% CI] | p |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def row(name: str, ta: str, tb: str, key: str | None = None, money: bool = False) -> None:
        c = rep.comparisons.get(key) if key else None
        if c is None:
            lines.append(f"| {name} | {ta} | {tb} | | | |")
            return
        if money:
            absf = f"{c.abs_lift:+.2f} {_ci(c.abs_ci, lambda v: f'{v:+.2f}')}"
        else:
            absf = f"{c.abs_lift * 100:+.2f} pp {_ci(c.abs_ci, lambda v: f'{v * 100:+.2f}')}"
        relf = f"{_pct(c.rel_lift, True, 1)} {_ci(c.rel_ci, lambda v: _pct(v, True, 1))}"
        pf = "—" if c.p_value is None else f"{c.p_value:.3g}"
        lines.append(f"| {name} | {ta} | {tb} | {absf} | {relf} | {pf} |")

    row("sessions", str(a.sessions), str(b.sessions))
    row("sessions with click", f"{a.clicked} ({_pct(a.click_rate, digits=1)})",
        f"{b.clicked} ({_pct(b.click_rate, digits=1)})", "click_rate")
    row("sessions with add-to-cart", f"{a.carted} ({_pct(a.cart_rate, digits=1)})",
        f"{b.carted} ({_pct(b.cart_rate, digits=1)})", "add_to_cart_rate")
    row("**conversion / session**", f"{a.purchased} ({_pct(a.conversion)})",
        f"{b.purchased} ({_pct(b.conversion)})", "conversion")
    row("click-through / impression", f"{a.clicks}/{a.impressions} ({_pct(a.ctr)})",
        f"{b.clicks}/{b.impressions} ({_pct(b.ctr)})")

    def money(m: ArmMetrics) -> str:
        lo, hi = m.revenue_ci()
        mean = m.revenue_per_session
        if not math.isfinite(mean):
            return "—"
        return f"{mean:.2f}" + ("" if lo is None else f" [{lo:.2f}, {hi:.2f}]")

    row("revenue / session (CNY)", money(a), money(b), "revenue_per_session", money=True)
    lines.append("")
    s = rep.srm
    if s.p_value is None:
        lines.append("Sample ratio: not testable (no sessions, or a one-arm split configured).")
    else:
        verdict = ("MISMATCH — assignment or logging is broken; do not trust the lift" if s.flagged
                   else "ok")
        lines.append(f"Sample ratio: observed {s.observed['intent']}/{s.observed['baseline']}, expected "
                     f"{s.expected['intent']:.0f}/{s.expected['baseline']:.0f}; chi2 = {s.chi2:.2f}, "
                     f"p = {s.p_value:.3g} (flag below {s.threshold}): {verdict}")
    p = rep.power
    if p.sessions_needed is None:
        lines.append("Power: needs a baseline conversion strictly between 0 and 1.")
    else:
        now = ("" if p.detectable_lift_now is None else
               f"; the current sample detects a relative lift of {_pct(p.detectable_lift_now, True, 1)} or more")
        lines.append(f"Power: detecting {_pct(p.relative_lift, True, 0)} relative lift of conversion from "
                     f"{_pct(p.baseline_rate)} (alpha {p.alpha}, power {p.power}) needs "
                     f"{p.sessions_needed['intent']:,} intent + {p.sessions_needed['baseline']:,} baseline "
                     f"sessions{now}.")
    c = rep.conversion
    if c is not None:
        sig = "significant" if c.significant() else "not significant"
        lines.append(f"Conversion (primary): intent {_pct(c.treatment)} vs baseline {_pct(c.control)}, "
                     f"z = {c.stat if c.stat is None else round(c.stat, 3)}, p = "
                     f"{'—' if c.p_value is None else f'{c.p_value:.3g}'} ({sig} at alpha 0.05).")
    for w in rep.warnings:
        lines.append(f"Warning: {w}")
    return lines


def analyse(store: Store, experiment: str, intent_share: float = 0.5, *, relative_lift: float = 0.10,
            alpha: float = 0.05, power: float = 0.8, source: str | None = None) -> ABReport:
    """The full A/B report of ``experiment`` from the store.

    Raises :class:`DataError` when the experiment has no analysable session (empty database, wrong
    experiment name); a one-armed experiment gives a report without comparisons and a warning.
    """
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
    arms = arm_metrics(known_rows)
    warnings: list[str] = []
    if unknown:
        warnings.append(f"ignored sessions with unknown arms {unknown}")
    comparisons: dict[str, Comparison] = {}
    empty = [arm for arm, m in arms.items() if m.sessions == 0]
    if empty:
        warnings.append(f"arm {empty[0]!r} has no sessions: lift, CIs and p-values need both arms")
    else:
        t, c = arms["intent"], arms["baseline"]
        for key, attr in (("conversion", "purchased"), ("click_rate", "clicked"), ("add_to_cart_rate", "carted")):
            comparisons[key] = compare_proportions(getattr(t, attr), t.sessions, getattr(c, attr), c.sessions,
                                                   alpha=alpha, metric=key)
        if min(t.sessions, c.sessions) >= 2:
            comparisons["revenue_per_session"] = compare_means(t.revenue_values, c.revenue_values, alpha=alpha)
    srm = srm_check({arm: m.sessions for arm, m in arms.items()}, intent_share)
    if srm.flagged:
        warnings.append(f"sample-ratio mismatch (p = {srm.p_value:.2g} < {SRM_THRESHOLD}): check assignment "
                        "and logging before reading any lift")
    base = arms["baseline"].conversion if arms["baseline"].sessions else arms["intent"].conversion
    needed = detectable = None
    if 0 < base < 1 and 0 < intent_share < 1 and base * (1 + relative_lift) < 1:
        needed = sessions_needed(base, relative_lift, alpha=alpha, power=power, intent_share=intent_share)
        if not empty:
            detectable = _detectable_lift(base, arms["intent"].sessions, arms["baseline"].sessions, alpha, power)
    pw = PowerAnalysis(baseline_rate=base if math.isfinite(base) else None, relative_lift=relative_lift,
                       alpha=alpha, power=power, sessions_needed=needed, detectable_lift_now=detectable)
    return ABReport(experiment=experiment, intent_share=intent_share, arms=arms, comparisons=comparisons,
                    srm=srm, power=pw, excluded={"forced": int(forced), "other_experiments": int(others)},
                    warnings=tuple(warnings), rows=tuple(known_rows))


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
def _when(ts: str) -> datetime:
    return datetime.fromisoformat(ts)


def conversion_figure(rows: Sequence[Mapping], *, title: str | None = None) -> Figure:
    """Cumulative conversion per arm against session start time, with a 95% Wilson band.

    At time t the curve is the share of the sessions started by t that have bought (so far). Uses the
    object-oriented matplotlib API (``Figure`` + Agg canvas): no pyplot state, safe in server threads.
    """
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from statsmodels.stats.proportion import proportion_confint

    fig = Figure(figsize=(7, 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colors = {"intent": "tab:orange", "baseline": "tab:blue"}
    drawn = False
    for arm in ARMS:
        arm_rows = sorted((r for r in rows if r["arm"] == arm), key=lambda r: (r["created"], r["id"]))
        if not arm_rows:
            continue
        x = [_when(r["created"]) for r in arm_rows]
        bought = np.cumsum([r["purchases"] > 0 for r in arm_rows])
        n = np.arange(1, len(arm_rows) + 1)
        lo, hi = proportion_confint(bought, n, alpha=0.05, method="wilson")
        ax.plot(x, bought / n, color=colors[arm], label=f"{arm} ({bought[-1]}/{n[-1]})")
        ax.fill_between(x, lo, hi, color=colors[arm], alpha=0.15, linewidth=0)
        drawn = True
    if drawn:
        ax.legend(loc="best")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v * 100:.0f}%")
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    else:
        ax.text(0.5, 0.5, "no sessions yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("session start (UTC)")
    ax.set_ylabel("cumulative conversion")
    ax.set_title(title or "Cumulative conversion per arm (95% Wilson band)")
    ax.grid(alpha=0.3)
    return fig
