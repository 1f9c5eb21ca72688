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
