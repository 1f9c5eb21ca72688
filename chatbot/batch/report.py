"""Demand, promotion and audience tables from logged sessions and their intent scores.

    store = Store("shopguide.db", read_only=True)          # or Store("postgresql://...", read_only=True)
    report = build_report(store, catalog_index(load_products()))
    paths = write_report(report, Path("report/"))          # six CSV files and three PNG charts

What is read (one argument, ``store``: anything with the store's ``query(sql, params)``; the SQL is plain
enough for SQLite and PostgreSQL): each scored message's session stage after it (``intent_scores``), what was
shown under each reply (``recommendations``), clicks, add-to-carts and purchases (``events``).

A **touch** is a product shown to a session, clicked or added to its cart. Its **stage** is the session's stage
(``session_stage``, else the message's ``stage``) after the latest scored message at or before the touch. A
session is counted once per product (and day, or category) at the furthest stage it touched it in:
``ready`` if it ever touched it while ready, else ``consider`` if it touched it while considering (touches
while browsing or in after-sales are not counted). Days are UTC dates of the touch.

- **demand** (:data:`DEMAND_COLUMNS`): per product and day, and per category and day: sessions that
  considered or were ready to buy it — the inventory signal.
- **promotions** (:data:`PROMOTION_COLUMNS`): per product and per category over the whole log; a
  *candidate* has at least ``min_consider`` considering sessions and a ready rate
  ``ready / (consider + ready)`` of at most ``max_ready_rate``: many shoppers weigh it, few decide.
- **audiences** (:data:`AUDIENCE_COLUMNS`): sessions whose last stage is ``consider`` and that bought
  nothing, once per category they touched (most recently active first) — whom to retarget, and with what.

Simulated sessions (``source`` "simulator") are left out unless ``include_simulated``.
"""

from __future__ import annotations

import bisect
import csv
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Report", "build_report", "write_report", "catalog_index", "demand_figure", "promotion_figure",
           "audience_figure", "DEMAND_COLUMNS", "PROMOTION_COLUMNS",
           "AUDIENCE_COLUMNS", "MIN_CONSIDER", "MAX_READY_RATE", "UNKNOWN"]

log = logging.getLogger(__name__)

MIN_CONSIDER = 20
"""Promotion rule: a product (or category) needs at least this many considering sessions."""
MAX_READY_RATE = 0.2
"""Promotion rule: ... and at most this share of its engaged sessions at ready."""
UNKNOWN = "unknown"
"""Category of a product id that is not in the catalog given."""

DEMAND_COLUMNS = ("day", "product_id", "title", "category", "consider_sessions", "ready_sessions", "sessions",
                  "buyer_sessions")
PROMOTION_COLUMNS = ("product_id", "title", "category", "consider_sessions", "ready_sessions", "sessions",
                     "ready_rate", "buyer_sessions", "candidate")
AUDIENCE_COLUMNS = ("category", "session_id", "last_active", "products", "touches")

_RANK = {"consider": 1, "ready": 2}
TOUCH_EVENTS = ("click", "add_to_cart")


@dataclass
class Report:
    """The three tables (lists of dicts with the ``*_COLUMNS`` keys) and the rule they were made with.

    ``demand_categories`` and ``promotion_categories`` have ``category`` where the product tables have
    ``product_id``/``title``/``category``."""

    demand_products: list[dict[str, Any]]
    demand_categories: list[dict[str, Any]]
    promotion_products: list[dict[str, Any]]
    promotion_categories: list[dict[str, Any]]
    audiences: list[dict[str, Any]]
    sessions: int
    min_consider: int = MIN_CONSIDER
    max_ready_rate: float = MAX_READY_RATE
    days: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A short summary (counts and the rule), for ``--json``."""
        return {"sessions": self.sessions, "days": self.days,
                "demand_rows": len(self.demand_products),
                "promotion_candidates": [r["product_id"] for r in self.promotion_products if r["candidate"]],
                "promotion_candidate_categories": [r["category"] for r in self.promotion_categories
                                                   if r["candidate"]],
                "audience_sessions": len({r["session_id"] for r in self.audiences}),
                "audiences": _audience_sizes(self.audiences),
                "rule": {"min_consider": self.min_consider, "max_ready_rate": self.max_ready_rate}}


def catalog_index(products: Iterable[Any]) -> dict[str, tuple[str, str]]:
    """product id → (title, category) from :class:`catalog.products.Product` objects (English title first:
    the charts' fonts may lack Chinese)."""
    return {p.id: (p.title_en or p.title_zh, p.category or UNKNOWN) for p in products}


def _day(ts: str | None) -> str:
    return (ts or "")[:10]


def _audience_sizes(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for r in rows:
        sizes[r["category"]] += 1
    return dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))


class _Stages:
    """Each session's stage over time: the stage after the latest scored message at or before a moment."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.times: dict[str, list[str]] = defaultdict(list)
        self.stages: dict[str, list[str | None]] = defaultdict(list)
        for r in rows:  # ordered by session, time, id
            self.times[r["session_id"]].append(r["created"] or "")
            self.stages[r["session_id"]].append(r["session_stage"] or r["stage"])

    def at(self, session_id: str, ts: str) -> str | None:
        i = bisect.bisect_right(self.times.get(session_id, []), ts) - 1
        return self.stages[session_id][i] if i >= 0 else None

    def last(self, session_id: str) -> str | None:
        stages = self.stages.get(session_id)
        return stages[-1] if stages else None


def _furthest(counts: dict[Any, str], key: Any, stage: str) -> None:
    if _RANK[stage] > _RANK.get(counts.get(key, ""), 0):
        counts[key] = stage


def _rows(best: Mapping[tuple, str], buyers: Mapping[tuple, set[str]], keys: Iterable[tuple]) -> dict[tuple, dict]:
    """Group (…, session) → stage into (…) → consider/ready/buyer session counts."""
    out: dict[tuple, dict[str, int]] = {k: {"consider_sessions": 0, "ready_sessions": 0, "buyer_sessions": 0}
                                        for k in keys}
    for (*key, _session), stage in best.items():
        out[tuple(key)][f"{stage}_sessions"] += 1
    for key, sessions in buyers.items():
        if key in out:  # a promotion row needs a touch at consider/ready; a demand row is made for a purchase too
            out[key]["buyer_sessions"] = len(sessions)
    for counts in out.values():
        counts["sessions"] = counts["consider_sessions"] + counts["ready_sessions"]
    return out


def _promotion(counts: Mapping[str, int], min_consider: int, max_ready_rate: float) -> dict[str, Any]:
    rate = counts["ready_sessions"] / counts["sessions"] if counts["sessions"] else 0.0
    return {"consider_sessions": counts["consider_sessions"], "ready_sessions": counts["ready_sessions"],
            "sessions": counts["sessions"], "ready_rate": round(rate, 4), "buyer_sessions": counts["buyer_sessions"],
            "candidate": counts["consider_sessions"] >= min_consider and rate <= max_ready_rate}


def build_report(store: Any, products: Mapping[str, tuple[str, str]] | None = None, *,
                 min_consider: int = MIN_CONSIDER, max_ready_rate: float = MAX_READY_RATE,
                 include_simulated: bool = False) -> Report:
    """The demand, promotion and audience tables of the sessions in ``store`` (see the module docstring).

    ``products``: product id → (title, category), e.g. :func:`catalog_index` of the shop's catalog; ids not in
    it get an empty title and category :data:`UNKNOWN`.
    """
    products = products or {}
    sessions = {r["id"]: r for r in store.query("SELECT id, stage, last_active, source FROM sessions")
                if include_simulated or (r["source"] or "") != "simulator"}
    stages = _Stages(r for r in store.query(
        "SELECT session_id, created, session_stage, stage FROM intent_scores ORDER BY session_id, created, id")
        if r["session_id"] in sessions)
    touches = [r for r in store.query("SELECT session_id, product_id, created FROM recommendations")
               if r["session_id"] in sessions]
    marks = ", ".join("?" for _ in TOUCH_EVENTS)
    events = [r for r in store.query(f"SELECT session_id, product_id, type, created FROM events WHERE type IN"
                                     f" ({marks}, 'purchase')", list(TOUCH_EVENTS)) if r["session_id"] in sessions]
    touches += [r for r in events if r["type"] != "purchase"]

    def category(pid: str) -> str:
        return products.get(pid, ("", UNKNOWN))[1]

    by_day: dict[tuple, str] = {}          # (day, product, session) -> furthest stage that day
    by_day_cat: dict[tuple, str] = {}      # (day, category, session)
    overall: dict[tuple, str] = {}         # (product, session)
    overall_cat: dict[tuple, str] = {}     # (category, session)
    touched: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # session -> cat -> products
    for t in sorted(touches, key=lambda r: (r["created"] or "", r["session_id"], str(r["product_id"]))):
        sid, pid, ts = t["session_id"], str(t["product_id"]), t["created"] or ""
        cat = category(pid)
        products_in = touched[sid][cat]
        products_in.append(pid)
        stage = stages.at(sid, ts)
        if stage not in _RANK:
            continue
        day = _day(ts)
        _furthest(by_day, (day, pid, sid), stage)
        _furthest(by_day_cat, (day, cat, sid), stage)
        _furthest(overall, (pid, sid), stage)
        _furthest(overall_cat, (cat, sid), stage)
    buyers_day: dict[tuple, set[str]] = defaultdict(set)
    buyers_day_cat: dict[tuple, set[str]] = defaultdict(set)
    buyers: dict[tuple, set[str]] = defaultdict(set)
    buyers_cat: dict[tuple, set[str]] = defaultdict(set)
    bought: set[str] = set()
    for e in events:
        if e["type"] != "purchase":
            continue
        pid, sid, day = str(e["product_id"]), e["session_id"], _day(e["created"])
        bought.add(sid)
        buyers_day[(day, pid)].add(sid)
        buyers_day_cat[(day, category(pid))].add(sid)
        buyers[(pid,)].add(sid)
        buyers_cat[(category(pid),)].add(sid)

    def named(pid: str) -> dict[str, str]:
        title, cat = products.get(pid, ("", UNKNOWN))
        return {"product_id": pid, "title": title, "category": cat}

    day_keys = {k[:2] for k in by_day} | set(buyers_day)
    demand = [{"day": day, **named(pid), **counts}
              for (day, pid), counts in _rows(by_day, buyers_day, day_keys).items()]
    demand.sort(key=lambda r: (r["day"], -r["sessions"], r["product_id"]))
    cat_day_keys = {k[:2] for k in by_day_cat} | set(buyers_day_cat)
    demand_cat = [{"day": day, "category": cat, **counts}
                  for (day, cat), counts in _rows(by_day_cat, buyers_day_cat, cat_day_keys).items()]
    demand_cat.sort(key=lambda r: (r["day"], -r["sessions"], r["category"]))

    promo = [{**named(pid), **_promotion(counts, min_consider, max_ready_rate)}
             for (pid,), counts in _rows(overall, buyers, {k[:1] for k in overall}).items()]
    promo.sort(key=lambda r: (not r["candidate"], -r["consider_sessions"], r["ready_rate"], r["product_id"]))
    promo_cat = [{"category": cat, **_promotion(counts, min_consider, max_ready_rate)}
                 for (cat,), counts in _rows(overall_cat, buyers_cat, {k[:1] for k in overall_cat}).items()]
    promo_cat.sort(key=lambda r: (not r["candidate"], -r["consider_sessions"], r["ready_rate"], r["category"]))

    audiences = []
    for sid, row in sessions.items():
        if sid in bought or (stages.last(sid) or row["stage"]) != "consider":
            continue
        for cat, pids in touched.get(sid, {}).items():
            audiences.append({"category": cat, "session_id": sid, "last_active": row["last_active"],
                              "products": " ".join(dict.fromkeys(pids)), "touches": len(pids)})
    audiences.sort(key=lambda r: (r["session_id"]))  # then stable: category, most recently active first
    audiences.sort(key=lambda r: r["last_active"] or "", reverse=True)
    audiences.sort(key=lambda r: r["category"])
    days = sorted({r["day"] for r in demand})
    log.info("report over %d sessions, %d days: %d product-days, %d promotion candidates, %d audience rows",
             len(sessions), len(days), len(demand), sum(r["candidate"] for r in promo), len(audiences))
    return Report(demand, demand_cat, promo, promo_cat, audiences, len(sessions), min_consider, max_ready_rate, days)


# --- files -----------------------------------------------------------------------------------------------------
def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _fonts() -> list[str]:
    """Latin font first, then any CJK font installed (Chinese titles and category names)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [n for n in ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "SimHei") if n in names]
    return ["DejaVu Sans", *cjk]


def _label(row: Mapping[str, Any], width: int = 26) -> str:
    title = str(row.get("title") or "")
    title = title if len(title) <= width else title[:width - 1] + "…"
    return f"{row['product_id']} {title}".strip()


def _empty(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def demand_figure(report: Report, top: int = 8) -> Any:
    """Sessions at consider or ready per day for the ``top`` products with the most of them (a log of one day:
    a bar per product, consider and ready stacked)."""
    from datetime import date

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    totals: dict[str, int] = defaultdict(int)
    for r in report.demand_products:
        totals[r["product_id"]] += r["sessions"]
    best = sorted((p for p in totals if totals[p] > 0), key=lambda p: (-totals[p], p))[:top]
    if not best:
        _empty(ax, "no sessions at consider or ready")
        return fig
    if len(report.days) == 1:  # one day: a line of single points says little; bars per product instead
        import numpy as np

        rows = {r["product_id"]: r for r in report.demand_products}
        y = np.arange(len(best))[::-1]
        consider = [rows[p]["consider_sessions"] for p in best]
        ax.barh(y, consider, color="tab:orange", label="consider")
        ax.barh(y, [rows[p]["ready_sessions"] for p in best], left=consider, color="tab:green", label="ready")
        ax.set_yticks(y, [_label(rows[p]) for p in best], fontsize=8)
        ax.set_xlabel("sessions at consider or ready")
        ax.set_title(f"Demand signal on {report.days[0]}: top {len(best)} products")
        ax.legend(loc="lower right", fontsize=8)
        return fig
    days = [date.fromisoformat(d) for d in report.days]
    for pid in best:
        rows = {r["day"]: r for r in report.demand_products if r["product_id"] == pid}
        ax.plot(days, [rows[d]["sessions"] if d in rows else 0 for d in report.days], marker="o",
                label=_label(next(iter(rows.values()))))
    ax.set_ylabel("sessions at consider or ready")
    ax.set_title(f"Demand signal: top {len(best)} products per day")
    ax.legend(loc="upper left", fontsize=7, ncols=2)
    ax.set_ylim(bottom=0)
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return fig


def promotion_figure(report: Report, top: int = 15) -> Any:
    """Considering vs ready sessions of the ``top`` most-considered products; candidates marked."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = sorted(report.promotion_products, key=lambda r: (-r["consider_sessions"], r["product_id"]))[:top]
    fig = Figure(figsize=(8, 1.2 + 0.32 * max(len(rows), 3)), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    if not rows:
        _empty(ax, "no sessions at consider or ready")
        return fig
    y = np.arange(len(rows))[::-1]
    ax.barh(y + 0.2, [r["consider_sessions"] for r in rows], height=0.4, color="tab:orange", label="consider")
    ax.barh(y - 0.2, [r["ready_sessions"] for r in rows], height=0.4, color="tab:green", label="ready")
    ax.set_yticks(y, [("★ " if r["candidate"] else "") + _label(r) for r in rows], fontsize=8)
    ax.axvline(report.min_consider, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel(f"sessions (★ candidate: consider ≥ {report.min_consider}, "
                  f"ready rate ≤ {report.max_ready_rate:.0%}; dotted line: minimum)")
    ax.set_title("Promotion candidates: many considering, few ready")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def audience_figure(report: Report) -> Any:
    """Retargeting audience size per category."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sizes = _audience_sizes(report.audiences)
    fig = Figure(figsize=(7, 1.2 + 0.32 * max(len(sizes), 3)), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    if not sizes:
        _empty(ax, "no considering session without a purchase")
        return fig
    names = list(sizes)[::-1]
    ax.barh(names, [sizes[n] for n in names], color="tab:blue")
    for i, n in enumerate(names):
        ax.text(sizes[n], i, f" {sizes[n]}", va="center", fontsize=8)
    ax.set_xlabel("sessions last seen at consider, without a purchase")
    ax.set_title("Retargeting audiences per category")
    return fig


def write_report(report: Report, out_dir: Path) -> dict[str, Path]:
    """Write the tables as CSV (UTF-8) and one PNG chart per use into ``out_dir``; file name → path."""
    import matplotlib

    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        "demand_products.csv": (DEMAND_COLUMNS, report.demand_products),
        "demand_categories.csv": (("day", "category", *DEMAND_COLUMNS[4:]), report.demand_categories),
        "promotion_products.csv": (PROMOTION_COLUMNS, report.promotion_products),
        "promotion_categories.csv": (("category", *PROMOTION_COLUMNS[3:]), report.promotion_categories),
        "audiences.csv": (AUDIENCE_COLUMNS, report.audiences),
    }
    paths = {name: _write_csv(out_dir / name, columns, rows) for name, (columns, rows) in tables.items()}
    with matplotlib.rc_context({"font.family": _fonts()}):
        for name, figure in (("demand.png", demand_figure), ("promotions.png", promotion_figure),
                             ("audiences.png", audience_figure)):
            figure(report).savefig(out_dir / name, dpi=110)
            paths[name] = out_dir / name
    return paths
