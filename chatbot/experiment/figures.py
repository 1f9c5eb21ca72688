"""The A/B figure: cumulative conversion per arm and the always-valid confidence sequences.

>>> # fig = conversion_figure(store.ab_outcomes("intent-vs-baseline-v1"), sequences=report.sequences)
>>> # fig.savefig("ab.png")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from chatbot.experiment.assignment import ARMS
from chatbot.experiment.sequential import SequentialResult

# matplotlib and statsmodels take seconds to import: imported inside the function.
if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["conversion_figure"]


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

