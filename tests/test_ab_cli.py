"""``shopguide ab simulate`` and ``shopguide ab report`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from chatbot.cli import cli
from chatbot.service.store import Store
from chatbot.settings import Settings

EXP = Settings.__dataclass_fields__["experiment"].default


@pytest.fixture
def fake_services(monkeypatch, chat_intent_model, chat_engine):
    """The CLI's Services get the tiny catalog engine (fake encoder) and the scripted intent model: the real
    ChatService and store, at test speed."""
    from chatbot.service.wiring import Services

    built = []

    def make(settings):
        services = Services(settings, intent_model=chat_intent_model, engine=chat_engine)
        built.append(services)
        return services

    monkeypatch.setattr("chatbot.cli.ab_cmd._services", make)
    return built


@pytest.fixture(scope="module")
def sim_db(tmp_path_factory, chat_intent_model, chat_engine):
    """A database with 120 simulated sessions (real ChatService, tiny fixtures), made once per module."""
    from chatbot.experiment.simulator import simulate_services
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    home = tmp_path_factory.mktemp("ab_cli")
    db = home / "sim.db"
    services = Services(Settings(home=home, db=db), intent_model=chat_intent_model, engine=chat_engine)
    services.store.db.conn.execute("PRAGMA synchronous=OFF")  # speed; durability is not under test here
    simulate_services(services, sessions=120, seed=4, show_progress=False)
    services.store.close()
    return db


def test_simulate_prints_a_summary(tmp_path, fake_services):
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["-q", "ab", "simulate", "--sessions", "25", "--seed", "4", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Simulated 25 sessions" in result.output and "sessions/s" in result.output
    assert f"shopguide ab report --db {db}" in result.output
    assert fake_services[0].settings.db_path == db
    assert fake_services[0].settings.experiment == EXP
    # The same seed again into the same database: a clean error, not duplicated sessions.
    result = CliRunner().invoke(cli, ["-q", "ab", "simulate", "--sessions", "5", "--seed", "4", "--db", str(db)])
    assert result.exit_code == 1
    assert "already holds simulated sessions of seed 4" in result.output and "Traceback" not in result.output


def test_simulate_json_and_options(tmp_path, fake_services):
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["-q", "ab", "simulate", "--sessions", "10", "--seed", "2", "--db", str(db),
                                      "--experiment", "exp-x", "--intent-share", "0.3", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["sessions"] == 10 and out["seed"] == 2 and out["experiment"] == "exp-x"
    assert sum(out["by_arm"].values()) == 10 and out["sessions_per_s"] > 0
    assert fake_services[0].settings.intent_share == 0.3


def test_report_table(sim_db):
    db = sim_db
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db)])
    assert result.exit_code == 0, result.output
    for text in ("| metric | intent | baseline |", "conversion / session", "Sample ratio", "Power",
                 "Conversion (primary)", "Always valid (intent vs baseline; mSPRT, tau = 0.02)", "Read daily"):
        assert text in result.output
    assert "placebo" not in result.output  # no placebo sessions and no placebo share: the two-arm report


def test_report_json_is_one_object(sim_db, tmp_path):
    db = sim_db
    plot = tmp_path / "plots" / "conv.png"
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db), "--json", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    rep = json.loads(result.output)
    assert rep["sessions"] == 120 and set(rep["arms"]) == {"intent", "baseline"}
    conv = rep["lift"]["conversion"]
    assert {"abs_lift", "abs_ci", "rel_lift", "rel_ci", "p_value"} <= set(conv)
    assert 0 <= conv["p_value"] <= 1 and conv["abs_ci"][0] <= conv["abs_lift"] <= conv["abs_ci"][1]
    assert {"chi2", "p_value", "flagged"} <= set(rep["srm"])
    assert conv["p_holm"] == conv["p_value"]  # one treatment: Holm changes nothing
    seq = rep["treatments"]["intent"]["sequential"]
    assert seq["pairs"] == min(rep["arms"]["intent"]["sessions"], rep["arms"]["baseline"]["sessions"])
    assert 0 < seq["p_value"] <= 1 and seq["ci"][0] <= seq["diff"] <= seq["ci"][1] and seq["tau"] == 0.02
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_report_placebo_share_and_tau_options(sim_db):
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(sim_db), "--json", "--intent-share", "0.4",
                                      "--placebo-share", "0.2", "--tau", "0.05"])
    assert result.exit_code == 0, result.output
    rep = json.loads(result.output)
    assert rep["placebo_share"] == 0.2 and rep["shares"] == {"intent": 0.4, "placebo": 0.2, "baseline": 0.4}
    # placebo has a configured share but no sessions: shown empty, not compared, and the SRM test covers it
    assert rep["arms"]["placebo"]["sessions"] == 0 and rep["treatments"]["placebo"]["lift"] == {}
    obs = rep["srm"]["observed"]
    assert obs["placebo"] == 0 and rep["srm"]["expected"]["placebo"] == pytest.approx(0.2 * 120)
    hand = sum((obs[a] - 120 * s) ** 2 / (120 * s) for a, s in (("intent", .4), ("baseline", .4), ("placebo", .2)))
    assert rep["srm"]["chi2"] == pytest.approx(hand) and rep["srm"]["flagged"] is True
    assert rep["sequential"]["tau"] == 0.05 and rep["treatments"]["intent"]["sequential"]["tau"] == 0.05
    text = CliRunner().invoke(cli, ["ab", "report", "--db", str(sim_db), "--placebo-share", "0.2"]).output
    assert "| metric | intent | baseline | placebo |" in text and "arm 'placebo' has no sessions" in text


def test_report_rejects_shares_above_one(sim_db):
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(sim_db), "--intent-share", "0.9",
                                      "--placebo-share", "0.2"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "at most 1" in result.output


def test_report_on_a_missing_db_is_a_clean_error(tmp_path):
    db = tmp_path / "nope.db"
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db)])
    assert result.exit_code == 1
    assert "no session database" in result.output and "Traceback" not in result.output
    assert not db.exists()


def test_report_on_an_empty_db_is_a_clean_error(tmp_path):
    db = tmp_path / "empty.db"
    Store(db).close()
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db), "--json"])
    assert result.exit_code == 1
    assert "has no sessions yet" in result.output and "shopguide ab simulate" in result.output


def test_report_for_another_experiment_names_the_present_ones(sim_db):
    db = sim_db
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db), "--experiment", "other"])
    assert result.exit_code == 1 and repr(EXP) in result.output


def test_report_on_a_one_armed_db_says_which_arm_is_empty(tmp_path, fake_services):
    db = tmp_path / "one.db"
    CliRunner().invoke(cli, ["-q", "ab", "simulate", "--sessions", "20", "--seed", "1", "--db", str(db),
                             "--intent-share", "1.0"])
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "arm 'baseline' has no sessions" in result.output
    assert "sample-ratio mismatch" in result.output
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db), "--json"])
    rep = json.loads(result.output)
    assert rep["lift"] == {} and rep["arms"]["baseline"]["sessions"] == 0
    # 20 intent / 0 baseline against the default 50/50 split: chi2 = 20, p = 7.7e-6, flagged.
    assert rep["srm"]["flagged"] is True and rep["srm"]["chi2"] == pytest.approx(20.0)
    assert rep["srm"]["p_value"] == pytest.approx(7.74e-6, rel=1e-2)
    # Against the split the run was configured with (all intent) the counts are no mismatch.
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db), "--json", "--intent-share", "1.0"])
    srm = json.loads(result.output)["srm"]
    assert srm["flagged"] is False and srm["p_value"] is None


@pytest.mark.slow
def test_simulate_and_report_with_the_real_services(tmp_path, monkeypatch, chat_real_services):
    """The real app objects: default encoder and intent model, the embedded catalog and its index."""
    from chatbot.service.wiring import Services

    real = chat_real_services
    monkeypatch.setattr("chatbot.cli.ab_cmd._services", lambda settings: Services(
        settings, intent_model=real.intent_model, engine=real.engine))
    db = tmp_path / "real.db"
    result = CliRunner().invoke(cli, ["-q", "ab", "simulate", "--sessions", "30", "--seed", "1", "--db", str(db),
                                      "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["sessions"] == 30 and out["messages"] >= 30 and out["clicks"] > 0
    store = Store(db)
    assert {r["source"] for r in store.query("SELECT source FROM sessions")} == {"simulator"}
    assert store.events(event_type="impression")
    store.close()
    result = CliRunner().invoke(cli, ["ab", "report", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    rep = json.loads(result.output)
    assert rep["sessions"] == 30 and "srm" in rep


def test_a_database_url_is_printed_without_its_password():
    from chatbot.cli.common import shown_db

    assert shown_db("postgresql://shop:s3cret@db.example/shopguide") == "postgresql://shop:***@db.example/shopguide"
    assert "s3cret" not in shown_db("postgresql://db.example/shopguide?password=s3cret")
    assert shown_db("/tmp/ab.db") == "/tmp/ab.db"
