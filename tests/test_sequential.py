"""The always-valid mSPRT: Lambda_n against a hand computation, the p-value and confidence sequence it gives,
and its error rate under daily peeking (seeded numpy Bernoulli streams), next to the naive z-test's."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chatbot.experiment.sequential import (
    DEFAULT_TAU,
    always_valid_p,
    confidence_sequence,
    log_lambda,
    msprt,
    sequential_from_rows,
    tau_for_horizon,
)
from intent.errors import ConfigError

Z975 = 1.959963984540054


def _hand_lambda(y: list[int], x: list[int], tau: float, theta0: float = 0.0) -> list[float]:
    """Lambda_n written out from the paper's formula, one n at a time, in plain Python."""
    out = []
    for n in range(1, len(y) + 1):
        d = sum(y[:n]) / n - sum(x[:n]) / n
        p = (sum(y[:n]) + sum(x[:n])) / (2 * n)
        v = 2 * p * (1 - p)
        if v == 0:
            out.append(1.0)
            continue
        out.append(math.sqrt(v / (v + n * tau**2))
                   * math.exp(n**2 * tau**2 * (d - theta0) ** 2 / (2 * v * (v + n * tau**2))))
    return out


Y = [1, 0, 1, 1, 0, 1, 1, 0, 1, 1]
X = [0, 0, 0, 1, 0, 0, 0, 0, 1, 0]


def test_lambda_matches_a_hand_computation():
    # n = 1: V = 2 * .5 * .5 = .5, d = 1, tau = .3: sqrt(.5 / .59) * exp(.09 / (2 * .5 * .59)) = 0.9206 * 1.1648
    assert _hand_lambda(Y, X, 0.3)[0] == pytest.approx(math.sqrt(0.5 / 0.59) * math.exp(0.09 / 0.59))
    assert _hand_lambda(Y, X, 0.3)[0] == pytest.approx(1.07228, abs=1e-5)
    got = np.exp(log_lambda(Y, X, tau=0.3))
    np.testing.assert_allclose(got, _hand_lambda(Y, X, 0.3), rtol=1e-12)
    # n = 10: 7 vs 2 purchases, d = .5, pooled p = .45, V = .495
    v, n, t2 = 0.495, 10, 0.09
    lam10 = math.sqrt(v / (v + n * t2)) * math.exp(n * n * t2 * 0.25 / (2 * v * (v + n * t2)))
    assert got[-1] == pytest.approx(lam10, rel=1e-12) and 3 < got[-1] < 1 / 0.05  # evidence, not yet enough
    np.testing.assert_allclose(np.exp(log_lambda(Y, X, tau=0.3, theta0=0.2)), _hand_lambda(Y, X, 0.3, 0.2),
                               rtol=1e-12)


def test_no_purchase_yet_is_no_evidence():
    assert np.all(log_lambda([0, 0, 0], [0, 0, 0]) == 0.0)
    lo, hi = confidence_sequence([0, 0, 0], [0, 0, 0])
    assert np.all(lo == -1.0) and np.all(hi == 1.0)


def test_always_valid_p_is_the_running_min_of_one_over_lambda_and_never_increases():
    hand = _hand_lambda(Y, X, 0.3)
    expected = np.minimum.accumulate(np.minimum(1.0, 1.0 / np.array(hand)))
    np.testing.assert_allclose(always_valid_p(Y, X, tau=0.3), expected, rtol=1e-12)
    rng = np.random.default_rng(5)
    p = always_valid_p(rng.random((200, 400)) < 0.2, rng.random((200, 400)) < 0.3)
    assert np.all(np.diff(p, axis=-1) <= 0) and np.all((p > 0) & (p <= 1))


def test_confidence_sequence_inverts_lambda_and_matches_the_p_value():
    rng = np.random.default_rng(6)
    y, x = (rng.random(600) < 0.3).astype(int), (rng.random(600) < 0.2).astype(int)
    tau, alpha = 0.05, 0.05
    # The per-n interval d_n ± h_n is where Lambda_n(theta) = 1/alpha: check one n by hand.
    n = 300
    d = (y[:n].sum() - x[:n].sum()) / n
    p = (y[:n].sum() + x[:n].sum()) / (2 * n)
    v = 2 * p * (1 - p)
    h = math.sqrt(2 * v * (v + n * tau**2) / (n * tau) ** 2 * (math.log(1 / alpha) + 0.5 * math.log1p(n * tau**2 / v)))
    for theta in (d - h, d + h):
        assert log_lambda(y[:n], x[:n], tau=tau, theta0=theta)[-1] == pytest.approx(math.log(1 / alpha))
    lo, hi = confidence_sequence(y, x, tau=tau, alpha=alpha)
    assert lo[n - 1] >= d - h - 1e-12 and hi[n - 1] <= d + h + 1e-12  # the running intersection is inside
    assert np.all(np.diff(lo) >= 0) and np.all(np.diff(hi) <= 0)
    # Duality: 0 has left the sequence exactly when the always-valid p is below alpha.
    pv = always_valid_p(y, x, tau=tau)
    np.testing.assert_array_equal((lo > 0) | (hi < 0), pv < alpha)
    assert pv[-1] < alpha  # a 10-point difference over 600 pairs is found


def test_unequal_arms_are_paired_by_count():
    r = msprt([1, 0, 1, 1, 0], [0, 1, 0], tau=0.1, treatment="placebo")
    assert r.pairs == 3 and r.unpaired == {"placebo": 2, "baseline": 0}
    same = msprt([1, 0, 1], [0, 1, 0], tau=0.1, treatment="placebo")
    assert (r.p_value, r.ci, r.diff, r.log_lambda) == (same.p_value, same.ci, same.diff, same.log_lambda)
    assert r.diff == pytest.approx(1 / 3)
    empty = msprt([], [1, 0], tau=0.1)
    assert empty.pairs == 0 and empty.p_value == 1.0 and empty.ci == (None, None) and not empty.significant()


def test_rows_are_paired_in_start_order():
    rows = [{"id": "c1", "arm": "baseline", "created": "2026-01-01T10:00:00", "purchases": 0},
            {"id": "t2", "arm": "intent", "created": "2026-01-01T12:00:00", "purchases": 0},
            {"id": "t1", "arm": "intent", "created": "2026-01-01T09:00:00", "purchases": 2},
            {"id": "c2", "arm": "baseline", "created": "2026-01-01T11:00:00", "purchases": 1},
            {"id": "p1", "arm": "placebo", "created": "2026-01-01T08:00:00", "purchases": 1}]
    r = sequential_from_rows(rows, "intent", tau=0.1)
    ref = msprt([1, 0], [0, 1], tau=0.1)
    assert r.pairs == 2 and r.log_lambda == ref.log_lambda and r.diff == 0.0
    assert r.path_times == ("2026-01-01T10:00:00", "2026-01-01T12:00:00")
    np.testing.assert_allclose(r.path_diff, [1.0, 0.0])


def test_tau_for_horizon_gives_the_narrowest_sequence_at_that_horizon():
    n, rate = 6500, 0.2
    tau = tau_for_horizon(n, rate)
    assert tau == pytest.approx(0.0201, abs=1e-4)  # the default tau is tuned to ~6,500 pairs at 20%
    v = 2 * rate * (1 - rate)

    def width_in_se(t: float) -> float:
        return math.sqrt((v + n * t * t) / (n * t * t) * (2 * math.log(20) + math.log1p(n * t * t / v)))

    assert width_in_se(tau) == pytest.approx(3.035, abs=1e-3)  # vs 1.96 for one fixed-horizon look
    assert width_in_se(tau) < min(width_in_se(tau / 1.5), width_in_se(tau * 1.5))


def test_bad_tau_is_a_config_error():
    with pytest.raises(ConfigError, match="tau must be a positive number"):
        msprt([1], [0], tau=0.0)
    with pytest.raises(ConfigError, match="alpha"):
        msprt([1], [0], alpha=1.5)


# --- error rates under daily peeking ------------------------------------------------------------------------
REPS, DAYS, PER_DAY = 1000, 30, 100  # 1000 A/A experiments, 100 pairs a day, looked at after each of 30 days
LOOKS = np.arange(1, DAYS + 1) * PER_DAY - 1


def _naive_z_rejects_at_any_look(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    n = LOOKS + 1
    sy, sx = np.cumsum(y, axis=1)[:, LOOKS], np.cumsum(x, axis=1)[:, LOOKS]
    pooled = (sy + sx) / (2 * n)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (sy - sx) / n / np.sqrt(pooled * (1 - pooled) * 2 / n)
    return np.abs(np.nan_to_num(z)) > Z975


@pytest.mark.parametrize("rate", [0.2, 0.05])
def test_daily_peeking_keeps_the_always_valid_error_rate_and_inflates_the_naive_one(rate):
    rng = np.random.default_rng(20261202)
    y = rng.random((REPS, DAYS * PER_DAY)) < rate
    x = rng.random((REPS, DAYS * PER_DAY)) < rate
    se = math.sqrt(0.05 * 0.95 / REPS)
    p = always_valid_p(y, x)[:, LOOKS]
    always_valid_fpr = (p < 0.05).any(axis=1).mean()
    naive = _naive_z_rejects_at_any_look(y, x)
    naive_fpr = naive.any(axis=1).mean()
    # Measured (seed above): 1.4% (rate 0.2) and 3.5% (rate 0.05) for the mSPRT; 30% and 29% for the z-test.
    assert always_valid_fpr <= 0.05 + 2 * se
    assert naive_fpr > 0.05 + 10 * se  # peeking at the fixed-horizon test: several times the nominal 5%
    assert abs(naive[:, -1].mean() - 0.05) < 3 * se + 0.01  # one look at the end alone is about right
    # The confidence sequence covers the true difference (0) at every n in at least 95% of the experiments.
    lo, hi = confidence_sequence(y, x)
    assert ((lo > 0) | (hi < 0)).any(axis=1).mean() <= 0.05 + 2 * se


def test_a_real_lift_is_detected_and_covered():
    rng = np.random.default_rng(7)
    reps, n = 500, DAYS * PER_DAY
    y = rng.random((reps, n)) < 0.25  # treatment: +5 points over 20%
    x = rng.random((reps, n)) < 0.20
    p = always_valid_p(y, x)
    detected = (p[:, LOOKS] < 0.05).any(axis=1)
    assert detected.mean() >= 0.9  # measured 0.948; median first rejection near pair 1,300 (day 14 of 30)
    first = np.argmax(p < 0.05, axis=1)[detected]
    assert np.median(first) < n  # usually well before the last day
    lo, hi = confidence_sequence(y, x, tau=DEFAULT_TAU)
    assert ((lo > 0.05) | (hi < 0.05)).any(axis=1).mean() <= 0.05 + 2 * math.sqrt(0.05 * 0.95 / reps)
