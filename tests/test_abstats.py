"""A/B statistics against textbook values on fixed counts, and the report on awkward databases."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from chatbot.experiment.stats import (
    analyse,
    analyse_db,
    arm_metrics,
    compare_means,
    compare_proportions,
    conversion_figure,
    sessions_needed,
    srm_check,
)
from chatbot.service.store import Store
from chatbot.settings import Settings
from intent.errors import DataError

Z975 = 1.959963984540054


def _phi_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


# --- proportions -----------------------------------------------------------------------------------
def test_pooled_z_test_matches_hand_computation():
    x1, n1, x2, n2 = 60, 1000, 45, 1000
    p = (x1 + x2) / (n1 + n2)
    z = (x1 / n1 - x2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    c = compare_proportions(x1, n1, x2, n2)
    assert c.stat == pytest.approx(z, rel=1e-12)
    assert c.p_value == pytest.approx(_phi_two_sided(z), rel=1e-9)
    assert z == pytest.approx(1.5039, abs=1e-4) and c.p_value == pytest.approx(0.1326, abs=1e-4)
    assert not c.significant()


def test_unequal_arms_z_and_significance():
    x1, n1, x2, n2 = 130, 1200, 80, 1100
    p = (x1 + x2) / (n1 + n2)
    z = (x1 / n1 - x2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    c = compare_proportions(x1, n1, x2, n2)
    assert c.stat == pytest.approx(z) and c.p_value == pytest.approx(_phi_two_sided(z))
    assert c.significant()


def test_newcombe_difference_ci_matches_the_paper():
    # Newcombe (1998), Statistics in Medicine 17:873, Table II example (a): 56/70 vs 48/80,
    # method 10 (hybrid score, no continuity correction): 0.0524 to 0.3339.
    c = compare_proportions(56, 70, 48, 80)
    assert c.abs_lift == pytest.approx(0.2)
    assert c.abs_ci[0] == pytest.approx(0.0524, abs=5e-5)
    assert c.abs_ci[1] == pytest.approx(0.3339, abs=5e-5)


def test_newcombe_zero_count_example():
    # Newcombe (1998) example (d) has 0/10 vs 0/20; method 10 gives -0.1611 to 0.2775.
    c = compare_proportions(0, 10, 0, 20)
    assert c.abs_ci[0] == pytest.approx(-0.1611, abs=5e-5)
    assert c.abs_ci[1] == pytest.approx(0.2775, abs=5e-5)
    assert c.p_value is None and c.rel_lift is None  # no events: no test, ratio undefined


def test_relative_lift_ci_is_the_katz_log_interval():
    x1, n1, x2, n2 = 60, 1000, 45, 1000
    rr = (x1 / n1) / (x2 / n2)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    c = compare_proportions(x1, n1, x2, n2)
    assert c.rel_lift == pytest.approx(rr - 1)
    assert c.rel_ci[0] == pytest.approx(rr * math.exp(-Z975 * se) - 1, rel=1e-9)
    assert c.rel_ci[1] == pytest.approx(rr * math.exp(Z975 * se) - 1, rel=1e-9)


def test_zero_treatment_events_still_give_a_relative_interval():
    c = compare_proportions(0, 500, 12, 500)
    assert c.rel_lift == pytest.approx(-1.0)
    assert c.rel_ci[0] is not None and c.rel_ci[0] < -0.5 and c.rel_ci[1] < 0
    assert c.p_value < 0.01


# --- means -----------------------------------------------------------------------------------------
def test_welch_revenue_comparison_matches_hand_computation():
    rng = np.random.default_rng(0)
    a = np.where(rng.random(300) < 0.1, rng.gamma(2, 300, 300), 0.0)
    b = np.where(rng.random(280) < 0.07, rng.gamma(2, 300, 280), 0.0)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    t = (a.mean() - b.mean()) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    from scipy import stats

    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    c = compare_means(a, b)
    assert c.stat == pytest.approx(t) and c.p_value == pytest.approx(2 * stats.t.sf(abs(t), df))
    assert c.abs_ci[0] == pytest.approx(a.mean() - b.mean() - half)
    assert c.abs_ci[1] == pytest.approx(a.mean() - b.mean() + half)
    se_log = math.sqrt(va / a.mean() ** 2 + vb / b.mean() ** 2)
    assert c.rel_ci[0] == pytest.approx(a.mean() / b.mean() * math.exp(-Z975 * se_log) - 1)


# --- SRM and power -----------------------------------------------------------------------------------
def test_srm_chi_square_matches_hand_computation():
    s = srm_check({"intent": 1030, "baseline": 970}, 0.5)
    assert s.chi2 == pytest.approx(1.8)
    assert s.p_value == pytest.approx(math.erfc(math.sqrt(1.8 / 2)))  # chi2 with 1 df
    assert not s.flagged
    bad = srm_check({"intent": 1100, "baseline": 900}, 0.5)
    assert bad.chi2 == pytest.approx(20.0) and bad.p_value < 1e-5 and bad.flagged


def test_srm_uses_the_configured_split():
    s = srm_check({"intent": 700, "baseline": 300}, 0.7)
    assert s.chi2 == pytest.approx(0.0) and not s.flagged
    assert srm_check({"intent": 500, "baseline": 500}, 0.7).flagged


def test_sessions_needed_matches_the_textbook_formula():
    p0, lift = 0.05, 0.10
    h = 2 * math.asin(math.sqrt(p0 * (1 + lift))) - 2 * math.asin(math.sqrt(p0))
    n = 2 * ((Z975 + 0.8416212335729143) / h) ** 2  # Var(2 asin sqrt p) = 1/n per arm
    got = sessions_needed(p0, lift)
    assert got["intent"] == got["baseline"] == math.ceil(n)
    # Cohen (1988): h = 0.2 needs 392 per group at alpha .05, power .8 (two-sided).
    p1 = math.sin((0.2 + 2 * math.asin(math.sqrt(0.5))) / 2) ** 2
    assert sessions_needed(0.5, p1 / 0.5 - 1)["intent"] == 393  # 392.4 rounded up


def test_sessions_needed_with_unequal_split():
    got = sessions_needed(0.05, 0.2, intent_share=0.25)
    assert got["baseline"] == pytest.approx(3 * got["intent"], rel=1e-3)


# --- the report on databases -------------------------------------------------------------------------
EXP = "exp-test"


def _session(store: Store, sid: str, arm: str, *, clicks: int = 0, carts: int = 0, buys: tuple[float, ...] = (),
             experiment: str = EXP, impressions: int = 4) -> None:
    store.ensure_session(sid, arm=arm, experiment=experiment, source="simulator")
    recs = [{"rank": i, "product_id": f"P{i}", "recommender": arm, "score": 1.0} for i in range(impressions)]
    store.add_assistant_message(sid, "reply", recommendations=recs, prices={f"P{i}": 100.0 for i in range(4)})
    for _ in range(clicks):
        store.add_event(sid, "P0", "click")
    for _ in range(carts):
        store.add_event(sid, "P0", "add_to_cart", price=100.0)
    for price in buys:
        store.add_event(sid, "P0", "purchase", price=price)


@pytest.fixture
def filled(chat_store):
    for i in range(6):
        _session(chat_store, f"i{i}", "intent", clicks=1 + (i % 2), carts=int(i < 3), buys=(200.0,) if i < 2 else ())
    for i in range(5):
        _session(chat_store, f"b{i}", "baseline", clicks=int(i < 2), buys=(100.0, 50.0) if i == 0 else ())
    _session(chat_store, "forced1", "intent", buys=(999.0,))
    chat_store.force_arm("forced1", "intent")
    _session(chat_store, "other1", "baseline", buys=(999.0,), experiment="another-exp")
    return chat_store


def test_metrics_per_arm_from_sql(filled):
    rows = filled.ab_outcomes(EXP)
    assert {r["id"] for r in rows} == {f"i{i}" for i in range(6)} | {f"b{i}" for i in range(5)}
    m = arm_metrics(rows)
    a, b = m["intent"], m["baseline"]
    assert (a.sessions, a.clicked, a.carted, a.purchased) == (6, 6, 3, 2)
    assert (b.sessions, b.clicked, b.carted, b.purchased) == (5, 2, 0, 1)
    assert a.impressions == 24 and a.clicks == 9 and a.ctr == pytest.approx(9 / 24)
    assert a.revenue == 400.0 and a.revenue_per_session == pytest.approx(400 / 6)
    assert b.revenue == 150.0 and b.purchases == 2
    lo, hi = a.revenue_ci()
    assert lo < 400 / 6 < hi


def test_report_excludes_forced_and_other_experiments(filled):
    rep = analyse(filled, EXP, 0.5)
    assert rep.excluded == {"forced": 1, "other_experiments": 1}
    assert rep.arms["intent"].sessions == 6 and rep.arms["intent"].revenue == 400.0
    assert rep.conversion.treatment == pytest.approx(2 / 6) and rep.conversion.control == pytest.approx(1 / 5)
    d = json.loads(rep.to_json())
    assert d["arms"]["baseline"]["sessions_with_purchase"] == 1
    assert set(d["lift"]) == {"conversion", "click_rate", "add_to_cart_rate", "revenue_per_session"}
    assert d["srm"]["flagged"] is False and d["power"]["sessions_needed"]["intent"] > 0
    text = rep.to_text()
    assert "conversion / session" in text and "Sample ratio" in text and "Power" in text


def test_report_on_an_empty_db_is_a_clear_error(chat_store):
    with pytest.raises(DataError, match="no sessions yet"):
        analyse(chat_store, EXP)


def test_report_on_another_experiment_names_the_ones_present(filled):
    with pytest.raises(DataError, match="'another-exp'") as err:
        analyse(filled, "nope")
    assert "--experiment" in str(err.value)


def test_report_on_a_missing_file_does_not_create_it(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(DataError, match="no session database"):
        analyse_db(path, EXP)
    assert not path.exists()


def test_one_armed_report_says_which_arm_is_empty(chat_store):
    for i in range(4):
        _session(chat_store, f"i{i}", "intent", clicks=1, buys=(10.0,) if i == 0 else ())
    rep = analyse(chat_store, EXP, 0.5)
    assert rep.comparisons == {}
    assert any("'baseline' has no sessions" in w for w in rep.warnings)
    d = json.loads(rep.to_json())
    assert d["arms"]["baseline"]["sessions"] == 0 and d["arms"]["baseline"]["conversion"] is None
    assert "'baseline' has no sessions" in rep.to_text()


def test_figure_and_dashboard(filled, tmp_path):
    from chatbot.experiment.dashboard import ab_dashboard

    fig = conversion_figure(filled.ab_outcomes(EXP))
    fig.savefig(tmp_path / "plot.png")
    assert (tmp_path / "plot.png").stat().st_size > 1000
    md, fig2 = ab_dashboard(filled, Settings(home=tmp_path, experiment=EXP))
    assert "conversion / session" in md and fig2.axes


def test_dashboard_on_an_empty_db_does_not_raise(chat_store, tmp_path):
    from chatbot.experiment.dashboard import ab_dashboard

    md, fig = ab_dashboard(chat_store, Settings(home=tmp_path, experiment=EXP))
    assert "no sessions yet" in md and fig.axes
