"""Purchase stages: the score, the metrics, the calibration split and the session-stage rule."""

from __future__ import annotations

import numpy as np
import pytest

import intent.model
from intent.encoders.tfidf import TfidfEncoder
from intent.errors import DataError
from intent.model import IntentModel
from intent.session import EVENT_WEIGHTS, Observation, session_stage
from intent.stages import (
    PROB_FLOOR,
    STAGES,
    StagePrediction,
    as_stage,
    buy_score,
    buy_scores,
    expected_calibration_error,
    stage_metrics,
    stage_of_row,
)


def test_buy_score_weights_and_range():
    assert buy_score({"ready": 1.0}) == 1.0
    assert buy_score({"consider": 1.0}) == 0.5
    assert buy_score({"service": 1.0}) == 0.0 == buy_score({"browse": 1.0})
    probs = np.array([[0.1, 0.6, 0.2, 0.1], [0.0, 0.0, 1.0, 0.0]])
    np.testing.assert_allclose(buy_scores(probs), [0.5, 1.0])


def test_stage_of_row_and_as_stage():
    assert stage_of_row({"stage": " Ready "}) == "ready"
    assert stage_of_row({"level": 0}) == "browse" and stage_of_row({"level": "2"}) == "ready"
    assert stage_of_row({"label": "yes"}) == "ready" and stage_of_row({"label": 0}) == "browse"
    for bad in ({"stage": "buying"}, {"label": 3}, {"level": 1.5}, {}):
        with pytest.raises(ValueError):
            stage_of_row(bad)
    assert as_stage(np.int64(1)) == "ready" and as_stage(False) == "browse" and as_stage("service") == "service"


def test_prediction_from_probs():
    p = StagePrediction.from_probs([0.1, 0.2, 0.6, 0.1])
    assert p.stage == "ready" and p.score == pytest.approx(0.7)
    assert p.to_dict(2) == {"stage": "ready", "stage_probs": {"browse": 0.1, "consider": 0.2, "ready": 0.6,
                                                                 "service": 0.1}, "score": 0.7}


def test_ece_known_answers():
    assert expected_calibration_error([1, 1, 0, 0], [0.95, 0.95, 0.05, 0.05]) == pytest.approx(0.05)
    assert expected_calibration_error([1, 0], [0.5, 0.5]) == 0.0          # 50 % confident, half right
    assert expected_calibration_error([0, 0, 0], [0.99, 0.99, 0.99]) == pytest.approx(0.99)


def test_stage_metrics_perfect_and_confused():
    stages = ["browse", "consider", "ready", "service"] * 5
    perfect = np.eye(4)[[STAGES.index(s) for s in stages]] * 0.97 + 0.0075
    m = stage_metrics(stages, perfect)
    assert m["macro_f1"] == 1.0 and m["auc_ready"] == 1.0 and m["auc_buy"] == 1.0 and m["accuracy"] == 1.0
    assert m["ece"] == pytest.approx(0.0225, abs=1e-6)
    assert np.trace(np.array(m["confusion"])) == 20
    # a model that calls every after-sales message "ready" loses ready-vs-rest ranking and macro-F1
    confused = perfect.copy()
    confused[[i for i, s in enumerate(stages) if s == "service"]] = [0.0075, 0.0075, 0.9775, 0.0075]
    c = stage_metrics(stages, confused)
    assert c["auc_ready"] < 0.8 and c["macro_f1"] < 0.8 and c["confusion"][3][2] == 5
    with pytest.raises(ValueError, match="shape"):
        stage_metrics(stages, perfect[:, :3])


class SupervisedTfidf(TfidfEncoder):
    """A TF-IDF that claims to learn from labels, to exercise the held-out calibration path cheaply."""

    supervised = True
    fitted_on: list[set] = []

    def fit(self, texts, labels=None):
        texts = list(texts)
        SupervisedTfidf.fitted_on.append(set(texts))
        return super().fit(texts, labels)


def test_supervised_encoder_is_calibrated_on_texts_it_never_saw(stage_rows, monkeypatch):
    real_make = intent.model.make_encoder
    monkeypatch.setattr(intent.model, "make_encoder", lambda spec: SupervisedTfidf() if spec == "tfidf" else real_make(spec))
    monkeypatch.setattr("intent.features.make_encoder", lambda spec: SupervisedTfidf())
    SupervisedTfidf.fitted_on = []
    texts, stages = [r["text"] for r in stage_rows], [r["stage"] for r in stage_rows]
    model = IntentModel.train(texts, stages, "tfidf", holdout=0.25)
    params = model.manifest["params"]
    assert params["calibration_split"] == "holdout"
    assert params["n_fit"] + params["n_calibration"] == len(texts)
    assert len(SupervisedTfidf.fitted_on) == 1  # fitted once, on the fit part only
    fit_part = SupervisedTfidf.fitted_on[0]
    assert len(fit_part) == params["n_fit"] and len(set(texts) - fit_part) == params["n_calibration"]
    probs = model.stage_proba(["帮我下单", "我的快递到哪了"])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert model.encoder is not None and model.manifest["dim"] == model.encoder.dim


def test_frozen_encoder_calibration_folds_follow_groups(stage_rows):
    texts, stages = [r["text"] for r in stage_rows], [r["stage"] for r in stage_rows]
    groups = [f"frame{i % 9}" for i in range(len(texts))]
    model = IntentModel.train(texts, stages, "tfidf", groups=groups, calibration_cv=3)
    assert model.manifest["params"]["calibration_split"] == "grouped folds"
    splits = model.pipeline.named_steps["clf"].cv
    for train, test in splits:
        assert not {groups[i] for i in train} & {groups[i] for i in test}
    with pytest.raises(DataError, match="groups"):
        IntentModel.train(texts, stages, "tfidf", groups=groups[:-1])


def test_probability_floor_keeps_every_stage_possible(tfidf_model):
    probs = tfidf_model.stage_proba(["帮我下单帮我下单帮我下单 马上付款 就要这个"])
    assert probs.min() >= PROB_FLOOR / (1 + 4 * PROB_FLOOR) - 1e-12 and probs.max() < 1


# --- session stage -------------------------------------------------------------------------------------------
HOT = {"browse": 0.02, "consider": 0.06, "ready": 0.9, "service": 0.02}
ASK = {"browse": 0.1, "consider": 0.8, "ready": 0.05, "service": 0.05}
AFTER = {"browse": 0.05, "consider": 0.05, "ready": 0.05, "service": 0.85}


def _top(d):
    return max(d, key=d.get)


def test_session_stage_is_a_distribution_and_follows_the_latest_messages():
    empty = session_stage([])
    assert empty == {s: 0.25 for s in STAGES}
    s = session_stage([Observation("message", HOT)])
    assert _top(s) == "ready" and sum(s.values()) == pytest.approx(1.0)
    cooling = [session_stage([Observation("message", HOT)] + [Observation("message", ASK)] * k)["ready"]
               for k in range(1, 5)]
    assert all(a > b for a, b in zip(cooling, cooling[1:], strict=False))  # an old decision fades turn by turn
    assert cooling[0] > 0.3
    assert session_stage([Observation("message", HOT), Observation("message", ASK)], decay=0.0)["ready"] < 0.1


def test_session_stage_uses_behaviour():
    asked = [Observation("message", ASK)]
    assert _top(session_stage(asked + [Observation("add_to_cart")])) == "ready"
    clicks = session_stage([Observation("message", {"browse": 1.0})] + [Observation("click")] * 3)
    assert _top(clicks) == "consider"
    bought = session_stage([Observation("message", HOT), Observation("purchase"), Observation("message", AFTER)])
    assert _top(bought) == "service"
    assert session_stage(asked + [Observation("impression")]) == session_stage(asked)  # shown, not done
    assert set(EVENT_WEIGHTS) == {"click", "add_to_cart", "remove", "purchase"}


def test_session_stage_time_gaps_discount_old_evidence():
    near = session_stage([Observation("message", HOT, at=0.0), Observation("message", ASK, at=60.0)])
    far = session_stage([Observation("message", HOT, at=0.0), Observation("message", ASK, at=7200.0)])
    assert far["ready"] < near["ready"] and _top(far) == "consider"


@pytest.mark.parametrize("bad", [dict(decay=1.5), dict(half_life_s=0)])
def test_session_stage_validates(bad):
    with pytest.raises(ValueError):
        session_stage([], **bad)
    with pytest.raises(ValueError):
        session_stage([Observation("message", {"ready": 1.5})])


def test_estimate_priors_recovers_the_shares_of_unlabelled_traffic():
    """Signals drawn from a known confusion matrix; posteriors computed under uniform training shares; EM must
    recover the (very different) true shares of the set without seeing a label; the shifted posteriors are better."""
    from intent.stages import estimate_priors, shift_priors

    rng = np.random.default_rng(0)
    confusion = np.full((4, 4), 0.1) + np.eye(4) * 0.6  # P(signal j | stage c): right 70 % of the time
    true = np.array([0.33, 0.16, 0.04, 0.47])
    stages = rng.choice(4, size=20000, p=true)
    signals = np.array([rng.choice(4, p=confusion[c]) for c in stages])
    posterior = confusion[:, signals].T / confusion[:, signals].T.sum(axis=1, keepdims=True)  # uniform prior
    est = estimate_priors(posterior, [0.25] * 4)
    np.testing.assert_allclose(est, true, atol=0.03)
    shifted = shift_priors(posterior, [0.25] * 4, est)
    np.testing.assert_allclose(shifted.sum(axis=1), 1.0)
    labels = [STAGES[c] for c in stages]
    before, after = stage_metrics(labels, posterior), stage_metrics(labels, shifted)
    assert after["brier"] < before["brier"] and after["accuracy"] > before["accuracy"]
