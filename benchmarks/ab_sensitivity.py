"""Sensitivity of the simulated A/B lift to the simulator's assumptions, through the real ``ChatService``.

    SHOPGUIDE_HOME=~/.local/share/shopguide python benchmarks/ab_sensitivity.py --sessions 1500 --seed 5 \\
        [--out docs/ab_sensitivity.json] [--plot docs/ab_sensitivity.png]

Three equal arms (intent, baseline, placebo) on the app's real default intent model, product index and catalog.
One parameter of :class:`chatbot.experiment.simulator.ShopperModel` is varied at a time around the defaults —
the share of directed buyers, the position decay of looking at cards (``examine_decay``) and the friction at the
buying moment (``friction``: P(leave) when a decision is not confirmed) — with the same seed in every cell
(common random numbers: the same shoppers, so cells differ by the parameter and the replies only). Each cell
gets a fresh temporary database. Per cell: conversion and revenue per session of each arm, the relative lift of
intent and of placebo against baseline with 95% CIs (``chatbot.experiment.report``), and the p-values.

Prints one JSON object (also to ``--out``); ``--plot`` draws the relative conversion lifts with their CIs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chatbot.experiment.report import analyse  # noqa: E402
from chatbot.experiment.simulator import ShopperModel, simulate  # noqa: E402
from chatbot.service.chat import ChatService  # noqa: E402
from chatbot.service.store import Store  # noqa: E402
from chatbot.service.wiring import Services  # noqa: E402
from chatbot.settings import Settings  # noqa: E402

GRID: dict[str, tuple[float, ...]] = {
    "directed_share": (0.05, 0.20, 0.45),
    "examine_decay": (0.5, 0.75, 0.95),
    "friction": (0.1, 0.35, 0.7),
}


def model_for(param: str, value: float) -> ShopperModel:
    base = ShopperModel()
    if param == "directed_share":
        return base.with_directed_share(value)
    return dataclasses.replace(base, **{param: value})


def cells() -> list[tuple[str, float]]:
    """One-at-a-time grid: the defaults once, then every other value of every parameter."""
    base = ShopperModel()
    default = {"directed_share": base.strategy_shares[0], "examine_decay": base.examine_decay,
               "friction": base.friction}
    out: list[tuple[str, float]] = [("default", 0.0)]
    for param, values in GRID.items():
        out += [(param, v) for v in values if abs(v - default[param]) > 1e-9]
    return out


def summary(store: Store, settings: Settings) -> dict:
    """Per arm conversion and revenue, and each treatment against baseline, from the A/B report itself."""
    rep = analyse(store, settings.experiment, settings.intent_share, placebo_share=settings.placebo_share)
    out: dict = {"arms": {arm: {"sessions": m.sessions, "conversion": m.conversion,
                                "revenue_per_session": m.revenue_per_session} for arm, m in rep.arms.items()}}
    for arm, t in rep.treatments.items():
        c, r = t.comparisons["conversion"], t.comparisons["revenue_per_session"]
        out[f"{arm}_vs_baseline"] = {"conversion_rel_lift": c.rel_lift, "conversion_rel_ci": list(c.rel_ci),
                                     "conversion_p": c.p_value, "conversion_p_holm": c.p_holm,
                                     "revenue_rel_lift": r.rel_lift, "revenue_rel_ci": list(r.rel_ci),
                                     "revenue_p": r.p_value}
    return out


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    base = ShopperModel()
    default = {"directed_share": base.strategy_shares[0], "examine_decay": base.examine_decay,
               "friction": base.friction}
    fig, axes = plt.subplots(1, len(GRID), figsize=(13, 4), sharey=True)
    for ax, param in zip(axes, GRID, strict=True):
        pts = [(default[param], result["cells"][0])] + [(c["value"], c) for c in result["cells"]
                                                        if c["param"] == param]
        pts.sort(key=lambda x: x[0])
        for arm, colour, dx in (("intent", "tab:blue", -0.004), ("placebo", "tab:orange", 0.004)):
            xs = [x + dx for x, _ in pts]
            ys = [c[f"{arm}_vs_baseline"]["conversion_rel_lift"] * 100 for _, c in pts]
            lo = [y - c[f"{arm}_vs_baseline"]["conversion_rel_ci"][0] * 100 for y, (_, c) in zip(ys, pts, strict=True)]
            hi = [c[f"{arm}_vs_baseline"]["conversion_rel_ci"][1] * 100 - y for y, (_, c) in zip(ys, pts, strict=True)]
            ax.errorbar(xs, ys, yerr=[lo, hi], marker="o", capsize=3, color=colour, label=f"{arm} vs baseline")
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(default[param], color="grey", lw=0.5, ls=":")
        ax.set_xlabel(param)
        ax.set_title(param)
    axes[0].set_ylabel("relative conversion lift (%), 95% CI")
    axes[0].legend(loc="best")
    fig.suptitle(f"Simulated lift against baseline — {result['sessions_per_cell']} sessions per cell, seed "
                 f"{result['seed']}, {result['date']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=1500, help="sessions per cell")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--plot", type=Path)
    args = ap.parse_args(argv)
    settings = Settings.from_env(intent_share=1 / 3, placebo_share=1 / 3)
    services = Services(settings)
    services.warm_up(progress=False)
    from threadpoolctl import threadpool_limits

    result: dict = {"benchmark": "ab_sensitivity", "date": date.today().isoformat(), "seed": args.seed,
                    "sessions_per_cell": args.sessions, "encoder": settings.encoder,
                    "model_version": services.intent_model.version, "grid": GRID, "cells": []}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=args.threads):
        for i, (param, value) in enumerate(cells()):
            store = Store(Path(tmp) / f"cell{i}.db")
            chat = ChatService.from_settings(settings, store=store, intent_model=services.intent_model,
                                             engine=services.engine)
            model = ShopperModel() if param == "default" else model_for(param, value)
            t0 = time.perf_counter()
            sim = simulate(chat, services.engine.products, sessions=args.sessions, seed=args.seed, model=model,
                           store=store, show_progress=False)
            rows = store.ab_outcomes(settings.experiment)
            arm_of = {r["id"]: r["arm"] for r in rows}
            mechanics = {arm: {"decided": sum(o.decided for o in sim.outcomes if arm_of[o.session_id] == arm),
                               "confirmed": sum(o.confirmed for o in sim.outcomes if arm_of[o.session_id] == arm)}
                         for arm in ("intent", "baseline", "placebo")}
            cell = {"param": param, "value": value, "seconds": round(time.perf_counter() - t0, 1),
                    "decisions": mechanics, **summary(store, settings)}
            result["cells"].append(cell)
            print(json.dumps({k: cell[k] for k in ("param", "value", "seconds")} |
                             {"intent": cell["intent_vs_baseline"]["conversion_rel_lift"],
                              "placebo": cell["placebo_vs_baseline"]["conversion_rel_lift"]}), file=sys.stderr)
            store.close()
    result["seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if args.plot:
        plot(result, args.plot)
    return result


if __name__ == "__main__":
    main()
