"""The A/B report (``shopguide ab report``): per-arm metrics, every treatment against ``baseline`` with Holm,
sample-ratio mismatch, power and the always-valid mSPRT, as text and JSON.

The methods are described in :mod:`chatbot.experiment.stats`; :func:`analyse` reads the store and builds an
:class:`ABReport`.

>>> # report = analyse_db("shopguide.db", "intent-vs-baseline-v1", intent_share=0.5)
>>> # print(report.text())
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chatbot.experiment.assignment import ARMS, CONTROL, TREATMENTS, arm_shares
from chatbot.experiment.metrics import ArmMetrics, arm_metrics
from chatbot.experiment.sequential import DEFAULT_TAU, SequentialResult, sequential_from_rows
from chatbot.experiment.stats import (
    SRM_THRESHOLD,
    Comparison,
    PowerAnalysis,
    SRMCheck,
    compare_means,
    compare_proportions,
    detectable_lift,
    holm,
    sessions_needed,
    srm_check,
)
from chatbot.service.store import Store
from chatbot.settings import is_db_url
from intent.errors import ConfigError, DataError

__all__ = ["TreatmentResult", "ABReport", "analyse", "analyse_db"]

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
    ("guardrail: taken over by staff", lambda m: f"{m.staffed} ({_pct(m.staffed_rate, digits=1)})",
     "staffed_rate", False),
)


def _rows(rep: ABReport) -> tuple[tuple[str, Any, str | None, bool], ...]:
    """The table's rows: the staff guardrail only where staff took some session over."""
    staffed = any(m.staffed for m in rep.arms.values())
    return tuple(r for r in _ROWS if staffed or r[2] != "staffed_rate")


def _tables(rep: ABReport) -> list[str]:
    """One table with the lift columns when ``intent`` is the only treatment shown (the two-arm report);
    else a per-arm table and a table of every treatment against the control."""
    arms = list(rep.arms)
    treated = [a for a in rep.treatments]
    if treated == [TREATMENTS[0]]:
        comps = rep.comparisons
        lines = [f"| metric | {' | '.join(arms)} | abs lift [95% CI] | rel lift [95% CI] | p |",
                 "|---|" + "---:|" * (len(arms) + 3)]
        for label, cell, key, money in _rows(rep):
            c = comps.get(key) if key else None
            cells = " | ".join(cell(rep.arms[a]) for a in arms)
            lift = " | ".join(_lift_cells(c, money)) + " |" if c is not None else "| | |"
            lines.append(f"| {label} | {cells} | {lift}")
        return lines
    lines = [f"| metric | {' | '.join(arms)} |", "|---|" + "---:|" * len(arms)]
    for label, cell, _key, _is_money in _rows(rep):
        lines.append(f"| {label} | " + " | ".join(cell(rep.arms[a]) for a in arms) + " |")
    if rep.compared:
        lines += ["", f"| vs {CONTROL} | metric | abs lift [95% CI] | rel lift [95% CI] | p | p (Holm) |",
                  "|---|---|---:|---:|---:|---:|"]
        for arm in rep.compared:
            comps = rep.treatments[arm].comparisons
            for label, _cell, key, money in _rows(rep):
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
            detectable = detectable_lift(base, t.sessions, c.sessions, alpha, power)
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
        # guardrail: staff conversations are part of each arm's outcome (they stay in: leaving them out would
        # condition on something the arm may cause); a difference is flagged
        if not (t.staffed or control.staffed):  # no staff in either arm: nothing to guard (and no row shown)
            continue
        staffed = compare_proportions(t.staffed, t.sessions, control.staffed, control.sessions, alpha=alpha,
                                      metric="staffed_rate")
        comparisons[arm]["staffed_rate"] = staffed
        if staffed.p_value is not None and staffed.p_value < alpha:
            warnings.append(f"staff took over {_pct(staffed.treatment)} of {arm} sessions and "
                            f"{_pct(staffed.control)} of {CONTROL} sessions (p = {staffed.p_value:.2g}): the arms "
                            "differ in staff help, which is part of their outcomes — read the lift with that in mind")
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
    if not is_db_url(path):  # a PostgreSQL URL: Store says when the server or the tables are missing
        path = Path(path)
        if not path.is_file():
            raise DataError(f"no session database at {path}",
                            hint="check --db, or create one with 'shopguide ab simulate --db FILE'")
    store = Store(path, read_only=True)
    try:
        return analyse(store, experiment, intent_share, **kwargs)
    finally:
        store.close()


