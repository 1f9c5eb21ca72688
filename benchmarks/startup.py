"""Start-up cost of the CLI: wall time of ``shopguide --help`` and of ``import intent, catalog, chatbot``.

Usage: ``python benchmarks/startup.py [--repeat 10]``; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time


def _time(cmd: list[str], repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 4), "max_s": round(max(times), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command")
    args = parser.parse_args()
    result = {
        "benchmark": "startup",
        "help": _time([sys.executable, "-m", "chatbot.cli", "--help"], args.repeat),
        "import": _time([sys.executable, "-c", "import intent, catalog, chatbot, chatbot.cli"], args.repeat),
        "python_baseline": _time([sys.executable, "-c", "pass"], args.repeat),
        "target": {"help_s": 2.0},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
