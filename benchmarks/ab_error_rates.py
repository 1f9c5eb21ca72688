"""Error rates of the A/B analysis, measured: an A/A sweep and a power check over many simulated experiments.

    python benchmarks/ab_error_rates.py --seeds 200 --sessions 2000 [--lift auto] [--looks 30] [--out F.json]

Each seed is one simulated experiment: ``--sessions`` shoppers of simulator v2 (``chatbot.experiment.simulator``)
talk to :class:`chatbot.experiment.memory_guide.MemoryGuide`, a fast in-memory guide that answers every arm
identically, so every difference between the arms is noise.

- **A/A false-positive rate**: the share of seeds whose primary test (conversion, pooled two-proportion z-test,
  :func:`chatbot.experiment.stats.compare_proportions`) gives p < alpha, with its Clopper-Pearson 95% interval.
  It should be close to alpha (0.05).
  The same outcomes with the arm labels permuted at random (instead of by the hash) give a second rate: a gap
  between the two would point at the assignment.
- **Power check**: the same sessions with a known lift injected into the ``intent`` arm — each non-buying intent
  session is turned into a purchase with probability ``q = lift * p0 / (1 - p0)`` (``p0`` the A/A conversion of the
  whole sweep), which raises the arm's expected conversion by exactly ``lift`` (relative) — and the share of
  seeds that detect it (p < alpha and a positive estimate), against the power the power analysis
  (``NormalIndPower`` on Cohen's h, the report's method) promises at that lift and those arm sizes. ``--lift auto``
  picks the lift the analysis says is detected with power 0.8.
- **Peeking** (``--looks``): the sessions of each seed in order, looked at ``--looks`` times (say daily): the share of
  A/A seeds in which *any* look gives p < alpha by the fixed-sample z-test (inflated by peeking), and the share
  in which the always-valid p-value of the mSPRT (``chatbot.experiment.sequential``) drops below alpha after
  *any* session (continuous monitoring, stricter than daily looks), which should stay at or below alpha.

Prints one JSON object (also written to ``--out``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.products import load_products  # noqa: E402
from chatbot.experiment.memory_guide import MemoryGuide  # noqa: E402
from chatbot.experiment.simulator import ShopperModel, simulate  # noqa: E402
from chatbot.experiment.stats import compare_proportions  # noqa: E402


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(k, n, alpha=alpha, method="beta")
    return float(lo), float(hi)


def promised_power(p0: float, lift: float, n_t: float, n_c: float, alpha: float) -> float:
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    h = abs(proportion_effectsize(p0 * (1 + lift), p0))
    return float(NormalIndPower().power(effect_size=h, nobs1=n_t, ratio=n_c / n_t, alpha=alpha,
                                        alternative="two-sided"))


def lift_for_power(p0: float, n_t: float, n_c: float, alpha: float, power: float = 0.8) -> float:
    lo, hi = 0.0, 5.0
    for _ in range(60):  # bisection on the relative lift
        mid = (lo + hi) / 2
        if p0 * (1 + mid) >= 1 or promised_power(p0, mid, n_t, n_c, alpha) >= power:
            hi = mid
        else:
            lo = mid
    return hi


def run_seed(products, seed: int, sessions: int, model: ShopperModel) -> list[dict]:
    guide = MemoryGuide(products, experiment=f"aa-{seed}")
    simulate(guide, products, sessions=sessions, seed=seed, model=model, show_progress=False)
    return guide.outcomes()


def conversion_p(rows: list[dict], bought: np.ndarray | None = None) -> tuple[float | None, float]:
    arms = np.array([r["arm"] for r in rows])
    y = np.array([r["purchases"] > 0 for r in rows]) if bought is None else bought
    t, c = arms == "intent", arms == "baseline"
    cmp = compare_proportions(int(y[t].sum()), int(t.sum()), int(y[c].sum()), int(c.sum()))
    return cmp.p_value, cmp.abs_lift


def naive_peek_rejects(arms: np.ndarray, y: np.ndarray, looks: int, alpha: float) -> bool:
    """Any of ``looks`` evenly spaced looks gives the report's fixed-horizon conversion p < alpha."""
    n = len(y)
    for k in range(1, looks + 1):
        m = int(round(n * k / looks))
        a, b = arms[:m] == "intent", arms[:m] == "baseline"
        if not a.any() or not b.any():
            continue
        p = compare_proportions(int(y[:m][a].sum()), int(a.sum()), int(y[:m][b].sum()), int(b.sum())).p_value
        if p is not None and p < alpha:
            return True
    return False


def sequential_rejects(arms: np.ndarray, y: np.ndarray, alpha: float) -> bool:
    """The always-valid p below alpha after *any* session pair (continuous monitoring: stricter than daily
    looks, which see a subset of those moments)."""
    from chatbot.experiment.sequential import DEFAULT_TAU, msprt

    return msprt(y[arms == "intent"], y[arms == "baseline"], tau=DEFAULT_TAU, alpha=alpha).p_value < alpha


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--lift", default="auto", help="relative lift to inject, or 'auto' (power 0.8)")
    ap.add_argument("--looks", type=int, default=30, help="looks per experiment for the peeking check (0: skip)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)

    products = load_products()
    model = ShopperModel()
    t0 = time.perf_counter()
    runs = [run_seed(products, seed, args.sessions, model) for seed in range(args.seeds)]
    sim_s = time.perf_counter() - t0

    aa = [conversion_p(rows)[0] for rows in runs]
    fp = sum(p is not None and p < args.alpha for p in aa)
    # the same outcomes with the arm labels shuffled at random (not by the hash): tells the assignment's share
    # of the false-positive rate from the test's own
    permuted = []
    for seed, rows in enumerate(runs):
        labels = np.random.default_rng([seed, 7]).permutation([r["arm"] for r in rows])
        permuted.append(conversion_p([{**r, "arm": a} for r, a in zip(rows, labels, strict=True)])[0])
    fp_perm = sum(p is not None and p < args.alpha for p in permuted)
    from scipy.stats import kstest
    n_t = float(np.mean([sum(r["arm"] == "intent" for r in rows) for rows in runs]))
    n_c = float(np.mean([sum(r["arm"] == "baseline" for r in rows) for rows in runs]))
    p0 = float(np.mean([r["purchases"] > 0 for rows in runs for r in rows]))
    lift = lift_for_power(p0, n_t, n_c, args.alpha) if args.lift == "auto" else float(args.lift)
    q = lift * p0 / (1 - p0)
    detected = 0
    for seed, rows in enumerate(runs):
        rng = np.random.default_rng([seed, 99])
        y = np.array([r["purchases"] > 0 for r in rows])
        arms = np.array([r["arm"] for r in rows])
        y = y | ((arms == "intent") & (rng.random(len(y)) < q))
        p, diff = conversion_p(rows, y)
        detected += p is not None and p < args.alpha and diff > 0
    out: dict = {
        "date": date.today().isoformat(), "command": "python benchmarks/ab_error_rates.py " + " ".join(
            argv if argv is not None else sys.argv[1:]),
        "guide": "MemoryGuide (identical for every arm)", "seeds": args.seeds, "sessions_per_seed": args.sessions,
        "alpha": args.alpha, "conversion_overall": round(p0, 4), "mean_sessions": {"intent": n_t, "baseline": n_c},
        "aa": {"false_positives": fp, "rate": fp / args.seeds, "ci95": clopper_pearson(fp, args.seeds),
               "p_uniform_ks": round(float(kstest([p for p in aa if p is not None], "uniform").pvalue), 4),
               "permuted_labels": {"false_positives": fp_perm, "rate": fp_perm / args.seeds,
                                   "ci95": clopper_pearson(fp_perm, args.seeds)}},
        "power": {"injected_relative_lift": round(lift, 4), "flip_probability": round(q, 5),
                  "promised": round(promised_power(p0, lift, n_t, n_c, args.alpha), 4),
                  "detected": detected, "rate": detected / args.seeds,
                  "ci95": clopper_pearson(detected, args.seeds)},
        "simulation_seconds": round(sim_s, 1), "sessions_per_s": round(args.seeds * args.sessions / sim_s, 1),
    }
    if args.looks > 0:
        naive = seq = 0
        for rows in runs:
            arms = np.array([r["arm"] for r in rows])
            y = np.array([r["purchases"] > 0 for r in rows])
            naive += naive_peek_rejects(arms, y, args.looks, args.alpha)
            seq += sequential_rejects(arms, y, args.alpha)
        out["peeking"] = {"looks": args.looks,
                          "naive_z_any_look": {"false_positives": naive, "rate": naive / args.seeds,
                                               "ci95": clopper_pearson(naive, args.seeds)},
                          "msprt_after_every_session": {"false_positives": seq, "rate": seq / args.seeds,
                                             "ci95": clopper_pearson(seq, args.seeds)}}
    text = json.dumps(out, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
