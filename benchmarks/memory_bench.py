"""Peak resident memory of the serving process (default catalog): after warm-up and after a burst of turns.

Starts ``python app.py`` on 127.0.0.1 (see ``load_bench.LiveServer``), reads ``VmRSS`` / ``VmHWM`` (the kernel's
peak RSS) from ``/proc/PID/status`` once the API answers (warm-up done: model, index, encoder, jieba loaded),
then sends a burst of turns (``--shoppers`` threads x ``--turns``) while sampling RSS with psutil every
``--interval`` seconds, and reads them again. Children of the server are included when there are any. The
server is stopped at the end.

Usage::

    python benchmarks/memory_bench.py --home ~/.local/share/shopguide
    python benchmarks/memory_bench.py --shoppers 20 --turns 10

Prints one JSON object on stdout (MiB).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_bench import LiveServer, check_stored, run_shoppers  # noqa: E402

MIB = 1024 * 1024


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of ``pid`` in MiB (Linux ``/proc``)."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def tree_rss(pid: int) -> float:
    """RSS of ``pid`` and its children in MiB."""
    import psutil

    proc = psutil.Process(pid)
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return total / MIB


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="SHOPGUIDE_HOME for the server")
    parser.add_argument("--shoppers", type=int, default=10, help="concurrent shoppers in the burst")
    parser.add_argument("--turns", type=int, default=10, help="messages per shopper")
    parser.add_argument("--interval", type=float, default=0.1, help="RSS sampling interval (s)")
    parser.add_argument("--start-timeout", type=float, default=900.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    tmp = Path(tempfile.mkdtemp(prefix="memory-bench-"))
    server = LiveServer(db=tmp / "memory.db", home=args.home, log_path=tmp / "server.log")
    result: dict = {"benchmark": "memory", "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
                    "shoppers": args.shoppers, "turns_per_shopper": args.turns}
    try:
        server.start(timeout=args.start_timeout)
        pid = server.pid
        time.sleep(1.0)
        result["after_warm_up_mib"] = {**proc_status(pid), "tree_rss": round(tree_rss(pid), 1)}
        samples: list[float] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                try:
                    samples.append(tree_rss(pid))
                except Exception:  # noqa: BLE001 - the process may be gone
                    return
                stop.wait(args.interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        run = run_shoppers(server, args.shoppers, args.turns, timeout_s=600)
        stop.set()
        sampler.join()
        turns = run.pop("turns")
        result["burst"] = {k: run[k] for k in ("sent", "ok", "errors", "turns_per_s", "latency")}
        result["after_burst_mib"] = {**proc_status(pid), "tree_rss": round(tree_rss(pid), 1),
                                     "sampled_peak_tree_rss": round(max(samples), 1) if samples else None,
                                     "samples": len(samples)}
        result["stored_check_ok"] = check_stored(server.db, turns)["ok"]
    except Exception as exc:  # noqa: BLE001 - reported in the JSON
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        server.stop()
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
