"""CI-sized load test: 10 concurrent shoppers x 3 turns against a live server; 0 errors, nothing lost.

The full benchmark (1, 10, 50 shoppers) is ``benchmarks/load_bench.py``; this runs the same code.
"""

from __future__ import annotations

import pytest
from conftest_reliability import check_stored, run_shoppers


@pytest.mark.slow
def test_ten_concurrent_shoppers_no_errors_nothing_lost(rel_server):
    run = run_shoppers(rel_server, 10, 3, tag="ci-load", timeout_s=300)
    turns = run.pop("turns")
    assert run["errors"] == 0, run["error_samples"]
    check = check_stored(rel_server.db, turns)
    assert check["ok"], check["problems"]
    assert check["sent"] == check["stored"] == 30 and check["sessions"] == 10
    assert rel_server.alive()


@pytest.mark.slow
def test_replies_carry_the_api_contract(rel_server):
    from conftest_reliability import chat_once

    out = chat_once(rel_server.client(), "500以内的跑鞋", "ci-contract")
    for key in ("session_id", "reply", "arm", "intent", "session_intent", "products"):
        assert key in out, key
    assert out["arm"] in ("intent", "baseline")
    assert 0.0 <= out["intent"] <= 1.0 and 0.0 <= out["session_intent"] <= 1.0
    assert all(p["price"] <= 500 for p in out["products"])
