"""A/B statistics against textbook values on fixed counts, and the report on awkward databases."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from chatbot.experiment.figures import conversion_figure
from chatbot.experiment.metrics import arm_metrics
from chatbot.experiment.report import analyse, analyse_db
from chatbot.experiment.sequential import msprt, sequential_from_rows
from chatbot.experiment.stats import (
    compare_means,
    compare_proportions,
    holm,
    sessions_needed,
    srm_check,
)
from chatbot.service.store import Store
from chatbot.settings import Settings
from intent.errors import ConfigError, DataError

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


def test_srm_with_three_arms_matches_hand_computation():
    # shares .4 / .2 / .4 of 120 sessions: expected 48 / 24 / 48; chi2 = 64/48 + 256/24 + 64/48 = 13.33 on
    # 2 degrees of freedom, whose survival function is exp(-chi2 / 2).
    s = srm_check({"intent": 40, "baseline": 40, "placebo": 40}, 0.4, placebo_share=0.2)
    assert s.tested == ["intent", "baseline", "placebo"]
    assert s.expected == {"intent": 48.0, "baseline": 48.0, "placebo": 24.0}
    assert s.chi2 == pytest.approx(40 / 3) and s.p_value == pytest.approx(math.exp(-20 / 3))
    assert not s.flagged  # p = 0.00127, just above the 0.001 threshold
    bad = srm_check({"intent": 300, "baseline": 300, "placebo": 300}, 0.4, placebo_share=0.2)
    assert bad.chi2 == pytest.approx(100.0) and bad.p_value == pytest.approx(math.exp(-50)) and bad.flagged
    # the shares mapping of arm_shares works the same
    same = srm_check({"intent": 40, "baseline": 40, "placebo": 40}, {"intent": 0.4, "placebo": 0.2})
    assert same.chi2 == s.chi2


def test_srm_without_placebo_is_the_two_arm_test_and_share_zero_sessions_are_a_mismatch():
    two = srm_check({"intent": 1030, "baseline": 970, "placebo": 0}, 0.5)
    assert two.tested == ["intent", "baseline"] and two.chi2 == pytest.approx(1.8) and not two.flagged
    assert "placebo" in two.observed and two.unexpected == {}
    stray = srm_check({"intent": 500, "baseline": 500, "placebo": 7}, 0.5)
    assert stray.chi2 == pytest.approx(0.0) and stray.flagged and stray.unexpected == {"placebo": 7}


def test_holm_matches_a_hand_computation():
    # sorted p: .01 (x3 = .03), .02 (x2 = .04), .04 (x1, but at least the previous: .04)
    got = holm({"a": 0.04, "b": 0.01, "c": 0.02, "d": None})
    assert got == pytest.approx({"a": 0.04, "b": 0.03, "c": 0.04, "d": None})
    assert holm({"a": 0.3, "b": 0.6}) == pytest.approx({"a": 0.6, "b": 0.6})
    assert holm({"a": 0.7, "b": 0.9, "c": 0.8}) == pytest.approx({"a": 1.0, "b": 1.0, "c": 1.0})


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
    placebo = sessions_needed(0.05, 0.2, treatment="placebo", ratio=3.0)
    assert placebo == {"placebo": got["intent"], "baseline": got["baseline"]}


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


def test_staff_take_overs_are_a_guardrail_per_arm(chat_store):
    """Sessions staff took over stay in their arm (dropping them would condition on what the arm may cause);
    the report counts them per arm, compares the shares and warns when they differ; giving a session back
    does not erase that staff were in it."""
    for i in range(40):
        chat_store.ensure_session(f"i{i}", arm="intent", experiment=EXP)
        chat_store.ensure_session(f"b{i}", arm="baseline", experiment=EXP)
    for i in range(16):  # 16 of 40 intent sessions, 1 of 40 baseline ones
        chat_store.clear_help(f"i{i}", "amy")
        chat_store.release(f"i{i}")
    chat_store.clear_help("b0", "amy")
    rep = analyse(chat_store, EXP, 0.5)
    assert (rep.arms["intent"].staffed, rep.arms["baseline"].staffed) == (16, 1)
    g = rep.comparisons["staffed_rate"]
    assert g.treatment == pytest.approx(0.4) and g.control == pytest.approx(0.025) and g.p_value < 0.001
    assert any("staff took over 40.00% of intent sessions" in w for w in rep.warnings)
    text = rep.to_text()
    assert "| guardrail: taken over by staff | 16 (40.0%) | 1 (2.5%) |" in text
    d = json.loads(rep.to_json())
    assert d["arms"]["intent"]["sessions_staffed"] == 16 and "staffed_rate" in d["lift"]


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


# --- the same database read exactly as before the k-arm report ----------------------------------------------
# `shopguide ab report` on the `filled` database before the k-arm report (two arms, no placebo): every line of
# it is still printed, in the same order, and only the always-valid lines follow.
TWO_ARM_REPORT = """\
Experiment 'exp-test' (configured intent share 0.50): 11 sessions analysed \
(1 forced and 1 of other experiments excluded)

| metric | intent | baseline | abs lift [95% CI] | rel lift [95% CI] | p |
|---|---:|---:|---:|---:|---:|
| sessions | 6 | 5 | | | |
| sessions with click | 6 (100.0%) | 2 (40.0%) | +60.00 pp [+6.27, +88.24] | +150.0% [-11.9%, +449.6%] | 0.0261 |
| sessions with add-to-cart | 3 (50.0%) | 0 (0.0%) | +50.00 pp [-3.51, +81.24] | — — | 0.0637 |
| **conversion / session** | 2 (33.33%) | 1 (20.00%) | +13.33 pp [-35.26, +53.49] | +66.7% [-79.3%, +1242.8%] | 0.621 |
| click-through / impression | 9/24 (37.50%) | 2/20 (10.00%) | | | |
| revenue / session (CNY) | 66.67 [-41.72, 175.05] | 30.00 [-53.29, 113.29] | +36.67 [-81.25, +154.58] \
| +122.2% [-78.1%, +2159.1%] | 0.497 |

Sample ratio: observed 6/5, expected 6/6; chi2 = 0.09, p = 0.763 (flag below 0.001): ok
Power: detecting +10% relative lift of conversion from 20.00% (alpha 0.05, power 0.8) needs 6,508 intent + 6,508 \
baseline sessions; the current sample detects a relative lift of +367.2% or more.
Conversion (primary): intent 33.33% vs baseline 20.00%, z = 0.494, p = 0.621 (not significant at alpha 0.05)."""


def test_a_database_without_placebo_reads_exactly_as_before(filled):
    rep = analyse(filled, EXP, 0.5)
    lines = rep.to_text().splitlines()
    old = TWO_ARM_REPORT.splitlines()
    assert lines[: len(old)] == old
    assert [line.split(" (")[0] for line in lines[len(old):]] == ["Always valid", "Read daily: the always-valid p"
                                                                  " and confidence sequence hold however often"
                                                                  " they are checked; the fixed-horizon p and CIs"
                                                                  " above hold only once, at a sample size fixed"
                                                                  " in advance."]
    assert list(rep.arms) == ["intent", "baseline"] and list(rep.treatments) == ["intent"]
    c = rep.conversion
    assert c.p_holm == c.p_value  # a family of one: Holm changes nothing
    d = json.loads(rep.to_json())
    assert set(d["arms"]) == {"intent", "baseline"} and d["srm"]["observed"] == {"intent": 6, "baseline": 5}
    assert d["lift"] == d["treatments"]["intent"]["lift"] and d["power"] == d["treatments"]["intent"]["power"]
    assert d["multiple_testing"]["family"] == ["intent"]


# --- three arms ------------------------------------------------------------------------------------------
# 40 sessions per arm; purchases: intent 14, baseline 6, placebo 8
THREE = {"intent": 14, "baseline": 6, "placebo": 8}


@pytest.fixture
def three_arms(chat_store):
    for arm, buyers in THREE.items():
        for i in range(40):
            _session(chat_store, f"{arm[0]}{i:02d}", arm, clicks=int(i < 20), carts=int(i < buyers + 2),
                     buys=(100.0 + i,) if i < buyers else (), impressions=2)
    return chat_store


def _pooled_z_p(x1: int, n1: int, x2: int, n2: int) -> float:
    p = (x1 + x2) / (n1 + n2)
    return _phi_two_sided((x1 / n1 - x2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2)))


def test_three_arm_report_compares_each_treatment_with_baseline(three_arms):
    rep = analyse(three_arms, EXP, 1 / 3, placebo_share=1 / 3)
    assert list(rep.arms) == ["intent", "baseline", "placebo"]
    assert {a: m.purchased for a, m in rep.arms.items()} == THREE and rep.arms["placebo"].sessions == 40
    assert rep.compared == ["intent", "placebo"]
    for arm in ("intent", "placebo"):
        t = rep.treatments[arm]
        assert set(t.comparisons) == {"conversion", "click_rate", "add_to_cart_rate", "revenue_per_session"}
        assert t.conversion.treatment == pytest.approx(THREE[arm] / 40)
        assert t.conversion.control == pytest.approx(6 / 40)
        assert t.conversion.p_value == pytest.approx(_pooled_z_p(THREE[arm], 40, 6, 40), rel=1e-9)
        assert t.power.sessions_needed == sessions_needed(6 / 40, 0.10, treatment=arm, ratio=1.0)
    # Holm by hand: intent p = 0.0388 is the smaller, so it is doubled; placebo keeps max(doubled, its own).
    p_i, p_p = _pooled_z_p(14, 40, 6, 40), _pooled_z_p(8, 40, 6, 40)
    assert p_i == pytest.approx(0.0388, abs=1e-4) and p_p == pytest.approx(0.556, abs=1e-3)
    ci, cp = rep.treatments["intent"].conversion, rep.treatments["placebo"].conversion
    assert ci.p_holm == pytest.approx(2 * p_i) and cp.p_holm == pytest.approx(max(2 * p_i, p_p))
    assert not ci.significant()  # p < 0.05 but p_holm = 0.078: not significant after the correction
    # SRM over three equal shares: 40/40/40 is a perfect fit
    assert rep.srm.tested == ["intent", "baseline", "placebo"] and rep.srm.chi2 == pytest.approx(0.0)
    # The always-valid test of each treatment is the mSPRT of its sessions and baseline's, in start order.
    rows = three_arms.ab_outcomes(EXP)
    for arm in ("intent", "placebo"):
        q = rep.treatments[arm].sequential
        ref = sequential_from_rows(rows, arm)
        assert (q.pairs, q.p_value, q.ci) == (ref.pairs, ref.p_value, ref.ci) and q.pairs == 40
        stream = [r["purchases"] > 0 for r in sorted(rows, key=lambda r: (r["created"], r["id"]))
                  if r["arm"] == arm]
        base = [r["purchases"] > 0 for r in sorted(rows, key=lambda r: (r["created"], r["id"]))
                if r["arm"] == "baseline"]
        assert q.log_lambda == msprt(stream, base).log_lambda
    seq_holm = holm({a: rep.treatments[a].sequential.p_value for a in rep.compared})
    for arm in rep.compared:
        assert rep.treatments[arm].sequential.p_holm == pytest.approx(seq_holm[arm])


def test_three_arm_report_json_text_and_figure(three_arms, tmp_path):
    rep = analyse(three_arms, EXP, 1 / 3, placebo_share=1 / 3)
    d = json.loads(rep.to_json())
    assert set(d["arms"]) == {"intent", "baseline", "placebo"} and d["sessions"] == 120
    assert set(d["treatments"]) == {"intent", "placebo"} and d["multiple_testing"]["family"] == ["intent", "placebo"]
    conv = d["treatments"]["placebo"]["lift"]["conversion"]
    assert conv["p_holm"] == pytest.approx(max(2 * _pooled_z_p(14, 40, 6, 40), conv["p_value"]))
    seq = d["treatments"]["placebo"]["sequential"]
    assert seq["pairs"] == 40 and seq["tau"] == 0.02 and 0 < seq["p_value"] <= 1
    assert seq["ci"][0] <= seq["diff"] <= seq["ci"][1]
    assert d["lift"] == d["treatments"]["intent"]["lift"]  # the two-arm key still holds intent vs baseline
    text = rep.to_text()
    for part in ("| metric | intent | baseline | placebo |", "| vs baseline | metric |",
                 "| placebo | **conversion / session** | +5.00 pp", "Sample ratio (intent/baseline/placebo)",
                 "Power (placebo vs baseline)", "Holm-adjusted p = 0.0777 over 2 treatments",
                 "Always valid (placebo vs baseline; mSPRT, tau = 0.02)"):
        assert part in text, part
    fig = conversion_figure(rep.rows, sequences=rep.sequences)
    assert len(fig.axes) == 2 and len(fig.axes[0].get_lines()) == 3
    assert {line.get_label().split(" ")[0] for line in fig.axes[1].get_lines()} >= {"intent", "placebo"}
    fig.savefig(tmp_path / "three.png")


def test_placebo_with_a_share_but_no_sessions_is_shown_empty(filled):
    rep = analyse(filled, EXP, 0.4, placebo_share=0.2)
    assert list(rep.arms) == ["intent", "baseline", "placebo"] and rep.arms["placebo"].sessions == 0
    assert rep.treatments["placebo"].comparisons == {} and rep.compared == ["intent"]
    assert any("'placebo' has no sessions" in w for w in rep.warnings)
    assert rep.srm.expected["placebo"] == pytest.approx(11 * 0.2)


def test_placebo_sessions_with_share_zero_are_flagged(filled):
    _session(filled, "p0", "placebo", buys=(50.0,))
    rep = analyse(filled, EXP, 0.5)
    assert "placebo" in rep.arms and rep.srm.flagged and rep.srm.unexpected == {"placebo": 1}
    assert any("share 0" in w for w in rep.warnings) and "--placebo-share" in rep.to_text()


def test_invalid_shares_and_tau_are_config_errors(filled):
    with pytest.raises(ConfigError, match="at most 1"):
        analyse(filled, EXP, 0.8, placebo_share=0.3)
    with pytest.raises(ConfigError, match="tau"):
        analyse(filled, EXP, 0.5, tau=-1.0)


def test_dashboard_with_three_arms(three_arms, tmp_path):
    from chatbot.experiment.dashboard import ab_dashboard

    md, fig = ab_dashboard(three_arms, Settings(home=tmp_path, experiment=EXP, intent_share=0.4,
                                                placebo_share=0.2))
    assert "| metric | intent | baseline | placebo |" in md and "always-valid" in md
    assert "Always valid (intent vs baseline" in md and "Sample ratio (intent/baseline/placebo)" in md
    assert len(fig.axes) == 2
