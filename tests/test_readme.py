"""README starts with the two commands a new user runs, and CI runs the second one verbatim."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("---", 1)[0]
    return [m.group(1) for m in re.finditer(r"^    (\S.*)$", head, flags=re.M)]


def test_readme_starts_with_run_and_test_commands():
    commands = _commands()
    assert len(commands) == 2, commands
    run, test = commands
    assert run.endswith("python app.py") and "pip install -e ." in run
    assert "pip install -e '.[test]'" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash")
    extracted = subprocess.run(
        ["sed", "-n", r"s/^    \(.*pytest.*\)$/\1/p", str(ROOT / "README.md")],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()[0]
    assert extracted == _commands()[1]
    assert 'bash -c "$cmd"' in script


def test_readme_layout_has_one_line_per_chatbot_subpackage():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(chatbot/[a-z_]+/)` \|", text, flags=re.M)
    subpackages = sorted(f"chatbot/{p.parent.name}/" for p in (ROOT / "chatbot").glob("*/__init__.py"))
    assert sorted(rows) == subpackages


def test_architecture_turn_is_at_most_15_steps_naming_real_code():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    turn = text.split("## One chat turn", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^\d+\. ", turn, flags=re.M)
    assert 0 < len(steps) <= 15
    for path in re.findall(r"`((?:chatbot|intent|catalog)/[\w/]+\.py)`", turn):
        assert (ROOT / path).is_file(), path


def test_architecture_turn_names_functions_that_exist():
    import dataclasses
    import importlib

    where = {"ChatService": "chatbot.service.chat", "Store": "chatbot.service.store",
             "IntentModel": "intent.model", "Retriever": "catalog.retrieval", "Recommender": "catalog.recommend",
             "IntentRecommender": "catalog.recommend", "RecommendationResult": "catalog.recommend",
             "conversation": "chatbot", "Reply": "chatbot.conversation", "replies": "chatbot.conversation", "intent": "", "experiment": "chatbot"}
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    turn = text.split("## One chat turn", 1)[1].split("\n## ", 1)[0]
    names = re.findall(r"`([A-Za-z_][\w.]*\.[a-z_]\w*)`", turn)
    assert len(names) >= 15
    for name in names:
        if name.endswith(".py"):
            continue
        head, *rest = name.split(".")
        obj = importlib.import_module(where[head] or head)
        for part in ([head] if where[head] else []) + rest:
            if dataclasses.is_dataclass(obj) and part in {f.name for f in dataclasses.fields(obj)}:
                break  # a dataclass field (no class attribute when it has a default factory)
            try:
                obj = getattr(obj, part)
            except AttributeError:
                obj = importlib.import_module(f"{obj.__name__}.{part}")  # a submodule not imported yet
