"""Start-up cost: ``shopguide --help``, ``import intent, catalog, chatbot``, and the first start of the app.

Usage: ``python benchmarks/startup.py [--repeat 10] [--first-start]``; prints one JSON object.

``--first-start`` measures, back to back, ``python -c "import torch, gradio, faiss, jieba"`` (what any app on
this stack pays) and ``python app.py`` on an empty ``SHOPGUIDE_HOME`` until its page answers HTTP 200 (the
default intent model trained and the product index built on the way), and their ratio (issue #14: ≤ 3).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _time(cmd: list[str], repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 4), "max_s": round(max(times), 4)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_start(timeout: float = 1800.0) -> dict:
    """Seconds until ``python app.py`` on an empty home answers, beside the import of its heavy libraries."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch, gradio, faiss, jieba"], check=True, capture_output=True)
    imports = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as home:
        port = _free_port()
        env = {**os.environ, "SHOPGUIDE_HOME": home}
        log_path = Path(home) / "app.log"
        with log_path.open("wb") as out:
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
            try:
                while True:
                    if proc.poll() is not None:
                        raise RuntimeError(f"app.py exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
                    if time.perf_counter() - start > timeout:
                        raise TimeoutError(f"no page after {timeout:.0f} s")
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                            if r.status == 200:
                                break
                    except OSError:
                        time.sleep(0.25)
                app = time.perf_counter() - start
            finally:
                proc.terminate()
                proc.wait(30)
        log_lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return {"import_torch_gradio_faiss_jieba_s": round(imports, 2), "app_first_start_s": round(app, 2),
            "ratio": round(app / imports, 2), "target_ratio": 3.0, "log_lines": len(log_lines),
            "log_tail": log_lines[-6:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command")
    parser.add_argument("--first-start", action="store_true", help="also time the app's first start (minutes)")
    args = parser.parse_args()
    result = {
        "benchmark": "startup",
        "help": _time([sys.executable, "-m", "chatbot.cli", "--help"], args.repeat),
        "import": _time([sys.executable, "-c", "import intent, catalog, chatbot, chatbot.cli"], args.repeat),
        "python_baseline": _time([sys.executable, "-c", "pass"], args.repeat),
        "target": {"help_s": 2.0},
    }
    if args.first_start:
        result["first_start"] = first_start()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
