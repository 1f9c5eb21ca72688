"""Always-valid inference for the difference of two conversion rates: the mixture SPRT (mSPRT).

Method: Johari, Koomen, Pekelis & Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests",
*Operations Research* 70(3):1806–1821, 2022 (arXiv:1512.04922) — the test behind Optimizely's stats engine.
A fixed-horizon p-value is valid only when it is read once, at a sample size fixed in advance; checked every
day and acted on the first time it dips below 0.05, it rejects a true null far more often than 5% of the time
(``tests/test_sequential.py`` measures it). The always-valid p-value and confidence sequence below may be read
after every session and acted on at any time: ``P(p_n < alpha for some n) <= alpha`` under the null.

**Two streams.** Sessions of the treatment arm and of the control arm, each in the order they started, are
paired by count, as in the paper's two-stream setting: pair ``n`` is the ``n``-th treatment session and the
``n``-th control session, with outcomes ``Y_n, X_n`` in {0, 1} (bought or not). Unequal arm sizes: only the
first ``min(n_t, n_c)`` sessions of each arm enter; the surplus of the larger arm waits for partners (it is
reported as ``unpaired``). The test stays valid; with a configured unequal split (say placebo 0.2 against
baseline 0.4) it uses fewer sessions than the fixed-horizon figures, which use every session.

**The statistic.** With ``d_n = mean(Y_1..n) - mean(X_1..n)`` and the pooled Bernoulli variance of one
difference ``V_n = 2 p_n (1 - p_n)``, ``p_n`` the conversion of the ``2n`` paired sessions, the likelihood
ratio of ``H0: theta = theta0`` against the normal mixture ``theta ~ N(theta0, tau^2)`` is::

    Lambda_n(theta0) = sqrt(V_n / (V_n + n tau^2)) * exp(n^2 tau^2 (d_n - theta0)^2 / (2 V_n (V_n + n tau^2)))

(``Lambda_n = 1`` while ``V_n = 0``, i.e. before the first purchase). The always-valid p-value is ``p_0 = 1``,
``p_n = min(p_{n-1}, 1 / Lambda_n(0))``; the confidence sequence is ``CS_n = ∩_{m<=n} {theta: Lambda_m(theta) <
1/alpha}``, the running intersection of the intervals ``d_m ± h_m`` with::

    h_m^2 = 2 V_m (V_m + m tau^2) / (m^2 tau^2) * (log(1/alpha) + log(1 + m tau^2 / V_m) / 2)

so ``0`` leaves the sequence exactly when ``p_n`` drops below ``alpha``. For Gaussian data with known variance
``Lambda_n`` is a martingale and the guarantee is exact; with Bernoulli data and a plug-in variance it holds
asymptotically (the paper, section on binary data) — the A/A simulation in the tests measures it.

**tau.** The mixing standard deviation is the size of the differences the test is tuned to: the confidence
sequence is narrowest relative to the standard error (about 3.0 instead of 1.96 standard errors at alpha 0.05)
near ``n = 8.2 V / tau^2`` pairs (:func:`tau_for_horizon`). The default ``tau = 0.02`` — two points of
conversion — is a 10% relative lift of the ~20% conversion of this project's experiments, and with ``V = 2 *
0.2 * 0.8`` it puts the sweet spot near 6,500 pairs, about the 6,000 sessions per arm that such a lift needs at
power 0.8 (docs/ab.md); a larger tau reacts faster to large effects and slower to small ones.

We write this ourselves (about a hundred lines of numpy, tested against a hand computation): on PyPI ``savvi``
pulls cvxpy and has one maintainer, and ``confseq`` is a C++ build last released in 2023.

>>> y = [0, 1, 0, 0, 1, 0, 1, 0]; x = [0, 0, 0, 1, 0, 0, 0, 0]
>>> r = msprt(y, x, tau=0.1)
>>> r.pairs, round(r.diff, 3), 0 < r.p_value <= 1, r.ci[0] < r.diff < r.ci[1]
(8, 0.25, True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from chatbot.experiment.assignment import CONTROL
from intent.errors import ConfigError

__all__ = ["DEFAULT_TAU", "SequentialResult", "log_lambda", "always_valid_p", "confidence_sequence",
           "msprt", "sequential_from_rows", "tau_for_horizon"]

DEFAULT_TAU = 0.02
"""Mixing standard deviation of the difference of conversion rates (two points; see the module docstring)."""

METHOD = "mSPRT (Johari et al. 2022), normal mixture, pooled Bernoulli variance"


def _check(tau: float, alpha: float = 0.05) -> None:
    if not (isinstance(tau, int | float) and math.isfinite(tau) and tau > 0):
        raise ConfigError(f"tau must be a positive number, got {tau!r}",
                          hint="tau is the size of the difference of conversion rates to tune for, e.g. 0.02")
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha must be between 0 and 1, got {alpha!r}")


def _paths(y_t: np.ndarray, x_c: np.ndarray, tau: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n``, ``d_n`` and ``V_n`` along the last axis (pairs)."""
    y, x = np.asarray(y_t, dtype=float), np.asarray(x_c, dtype=float)
    if y.shape != x.shape:
        raise ValueError(f"the two streams must be paired (same shape), got {y.shape} and {x.shape}")
    n = np.arange(1, y.shape[-1] + 1, dtype=float)
    sy, sx = np.cumsum(y, axis=-1), np.cumsum(x, axis=-1)
    d = (sy - sx) / n
    pooled = (sy + sx) / (2 * n)
    return n, d, 2 * pooled * (1 - pooled)


def log_lambda(y_t: Sequence[float] | np.ndarray, x_c: Sequence[float] | np.ndarray, *,
               tau: float = DEFAULT_TAU, theta0: float = 0.0) -> np.ndarray:
    """``log Lambda_n(theta0)`` for ``n = 1..N``: treatment outcomes ``y_t``, control ``x_c`` (paired, 0/1).

    Vectorised: the pairs run along the last axis, so ``(replications, N)`` arrays give one path per row.

    >>> round(float(log_lambda([1], [0], tau=1.0)[0]), 4)   # V = .5, d = 1: log sqrt(.5/1.5) + 1/(2 * .5 * 1.5)
    0.1174
    """
    _check(tau)
    n, d, v = _paths(np.asarray(y_t), np.asarray(x_c), tau)
    t2 = tau * tau
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 0.5 * np.log(v / (v + n * t2)) + n * n * t2 * (d - theta0) ** 2 / (2 * v * (v + n * t2))
    return np.where(v > 0, out, 0.0)


def always_valid_p(y_t: Sequence[float] | np.ndarray, x_c: Sequence[float] | np.ndarray, *,
                   tau: float = DEFAULT_TAU) -> np.ndarray:
    """The always-valid p-value path ``p_n = min(p_{n-1}, 1 / Lambda_n(0))`` (non-increasing, in (0, 1])."""
    lam = log_lambda(y_t, x_c, tau=tau)
    return np.minimum.accumulate(np.exp(-np.maximum(lam, 0.0)), axis=-1)


def confidence_sequence(y_t: Sequence[float] | np.ndarray, x_c: Sequence[float] | np.ndarray, *,
                        tau: float = DEFAULT_TAU, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper ends of the ``1 - alpha`` confidence sequence of ``theta = p_t - p_c`` for ``n = 1..N``.

    The running intersection of ``d_m ± h_m`` (module docstring), clipped to [-1, 1]; while ``V_m = 0`` the
    interval is all of [-1, 1]. An empty intersection (lower > upper, which the guarantee makes rare) is
    returned as it is; :class:`SequentialResult` reports it as ``(None, None)``.
    """
    _check(tau, alpha)
    n, d, v = _paths(np.asarray(y_t), np.asarray(x_c), tau)
    t2 = tau * tau
    with np.errstate(divide="ignore", invalid="ignore"):
        h2 = 2 * v * (v + n * t2) / (n * n * t2) * (math.log(1 / alpha) + 0.5 * np.log1p(n * t2 / v))
    half = np.where(v > 0, np.sqrt(h2), np.inf)
    lo = np.maximum.accumulate(np.clip(d - half, -1.0, 1.0), axis=-1)
    hi = np.minimum.accumulate(np.clip(d + half, -1.0, 1.0), axis=-1)
    return lo, hi


def tau_for_horizon(pairs: int, rate: float, *, alpha: float = 0.05) -> float:
    """The tau whose confidence sequence is narrowest (in standard errors) after ``pairs`` pairs at conversion
    ``rate``: ``tau^2 = r* 2 rate (1 - rate) / pairs``, ``r*`` minimising ``(1 + 1/r)(2 log(1/alpha) + log(1 + r))``
    (8.2 at alpha 0.05).

    >>> round(tau_for_horizon(6500, 0.2), 4)
    0.0201
    """
    from scipy.optimize import minimize_scalar

    if pairs < 1 or not 0 < rate < 1:
        raise ConfigError(f"cannot tune tau for {pairs!r} pairs at conversion {rate!r}",
                          hint="need at least one pair and 0 < rate < 1")
    _check(1.0, alpha)
    c = 2 * math.log(1 / alpha)
    res = minimize_scalar(lambda lr: (1 + math.exp(-lr)) * (c + math.log1p(math.exp(lr))), bounds=(-5, 10),
                          method="bounded")
    return math.sqrt(math.exp(res.x) * 2 * rate * (1 - rate) / pairs)


@dataclass(frozen=True)
class SequentialResult:
    """The mSPRT of ``treatment`` against ``control`` at the current sample.

    pairs: paired sessions used; unpaired: sessions of each arm still waiting for a partner; diff: ``d_n``;
    log_lambda: ``log Lambda_n(0)``; p_value: the always-valid p; ci: the confidence sequence at ``n``
    (``None`` ends when there is no pair yet or the intersection is empty); p_holm: ``p_value`` Holm-adjusted
    across the report's treatments (set by ``report.analyse``). ``path_*``: the whole path, for plots.
    """

    treatment: str
    control: str
    tau: float
    alpha: float
    pairs: int
    unpaired: dict[str, int]
    diff: float | None
    log_lambda: float
    p_value: float
    ci: tuple[float | None, float | None]
    p_holm: float | None = None
    method: str = METHOD
    path_diff: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False, compare=False)
    path_p: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False, compare=False)
    path_lo: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False, compare=False)
    path_hi: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False, compare=False)
    path_times: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def significant(self, alpha: float | None = None) -> bool:
        """Rejected at ``alpha`` (default: the alpha of the sequence), on ``p_holm`` when it is set."""
        p = self.p_value if self.p_holm is None else self.p_holm
        return p < (self.alpha if alpha is None else alpha)

    def to_dict(self) -> dict:
        def num(v: float | None) -> float | None:
            return None if v is None or not math.isfinite(v) else float(v)

        return {"method": self.method, "tau": self.tau, "alpha": self.alpha, "pairs": self.pairs,
                "unpaired": dict(self.unpaired), "diff": num(self.diff), "log_lambda": num(self.log_lambda),
                "p_value": num(self.p_value), "p_holm": num(self.p_holm), "ci": [num(v) for v in self.ci],
                "significant": self.significant()}


def msprt(treatment_outcomes: Sequence[float] | np.ndarray, control_outcomes: Sequence[float] | np.ndarray, *,
          tau: float = DEFAULT_TAU, alpha: float = 0.05, treatment: str = "intent", control: str = CONTROL,
          times: Sequence[str] = ()) -> SequentialResult:
    """The mSPRT at the current sample from each arm's 0/1 outcomes in start order (paired by count; the
    surplus of the longer stream is left out and counted in ``unpaired``). ``times``: a label per pair for
    plots (``sequential_from_rows`` passes the start time of the pair's later session)."""
    _check(tau, alpha)
    y = np.asarray(treatment_outcomes, dtype=float).ravel()
    x = np.asarray(control_outcomes, dtype=float).ravel()
    n = min(len(y), len(x))
    unpaired = {treatment: len(y) - n, control: len(x) - n}
    if n == 0:
        return SequentialResult(treatment, control, tau, alpha, 0, unpaired, None, 0.0, 1.0, (None, None))
    y, x = y[:n], x[:n]
    lam = log_lambda(y, x, tau=tau)
    p = np.minimum.accumulate(np.exp(-np.maximum(lam, 0.0)))
    lo, hi = confidence_sequence(y, x, tau=tau, alpha=alpha)
    ci = (float(lo[-1]), float(hi[-1])) if lo[-1] <= hi[-1] else (None, None)
    return SequentialResult(treatment, control, tau, alpha, n, unpaired, float(y.mean() - x.mean()),
                            float(lam[-1]), float(p[-1]), ci, path_diff=np.cumsum(y - x) / np.arange(1, n + 1),
                            path_p=p, path_lo=lo, path_hi=hi,
                            path_times=tuple(times)[:n])


def sequential_from_rows(rows: Sequence[Mapping], treatment: str, control: str = CONTROL, *,
                         tau: float = DEFAULT_TAU, alpha: float = 0.05) -> SequentialResult:
    """:func:`msprt` on ``Store.ab_outcomes`` rows: conversion (a purchase) per session, sessions of each arm
    in the order they started."""
    def stream(arm: str) -> list[Mapping]:
        return sorted((r for r in rows if r["arm"] == arm), key=lambda r: (r["created"], r["id"]))

    t, c = stream(treatment), stream(control)
    times = [max(a["created"], b["created"]) for a, b in zip(t, c, strict=False)]
    return msprt([r["purchases"] > 0 for r in t], [r["purchases"] > 0 for r in c], tau=tau, alpha=alpha,
                 treatment=treatment, control=control, times=times)
