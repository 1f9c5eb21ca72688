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

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from chatbot.experiment.assignment import ARMS, CONTROL, TREATMENTS, arm_shares
from chatbot.experiment.metrics import json_float as _num
from intent.errors import ConfigError, DataError

# statsmodels and scipy take seconds to import: each is imported inside the function using it.

__all__ = [
    "Comparison", "SRMCheck", "PowerAnalysis", "compare_proportions", "compare_means", "holm", "srm_check",
    "sessions_needed", "detectable_lift", "SRM_THRESHOLD",
]

SRM_THRESHOLD = 0.001
"""Sample-ratio mismatch is flagged when the chi-square p-value is below this."""


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


def detectable_lift(baseline_rate: float, n_treat: int, n_control: int, alpha: float, power: float) -> float:
    """Smallest relative lift of conversion the current sample detects with ``power`` (inverting Cohen's h)."""
    from statsmodels.stats.power import NormalIndPower

    h = NormalIndPower().solve_power(nobs1=n_treat, alpha=alpha, power=power, ratio=n_control / n_treat,
                                     alternative="two-sided")
    phi = 2 * math.asin(math.sqrt(baseline_rate)) + h
    if phi >= math.pi:
        return float("inf")
    return math.sin(phi / 2) ** 2 / baseline_rate - 1.0


