"""Load benchmark: concurrent shoppers against a live server, then a check that no message was lost.

Starts ``python app.py --port P --db F`` on 127.0.0.1 as a subprocess (waiting until its API answers), runs
N simulated shoppers at once for each N in ``--shoppers`` (threads, each with its own
``gradio_client.Client``, each sending ``--turns`` messages through ``/chat`` in its own session), and
reports turns/s, p50/p95/p99 latency and errors per N. Then it reads the SQLite file: every session must
hold exactly the user messages that were sent to it, once each, in order, with the same text.
The server is always stopped at the end.

Usage::

    python benchmarks/load_bench.py                                # N = 1, 10, 50; 3 turns each
    python benchmarks/load_bench.py --shoppers 50 --turns 5 --home ~/.local/share/shopguide

``--home`` is passed to the server as ``SHOPGUIDE_HOME`` (default: the environment's, else the user data
folder); on a first run the server trains the default model and builds the index before it answers, which
``--start-timeout`` must allow for. Prints one JSON object on stdout; progress goes to stderr.

The helpers (:class:`LiveServer`, :func:`run_shoppers`, :func:`check_stored`) are reused by
``tests/test_load.py``, ``tests/test_faults.py`` and ``tests/test_bad_input.py``. All traffic goes to
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["REPO", "MESSAGES", "LiveServer", "free_port", "chat_once", "run_shoppers", "check_stored",
           "latency_summary", "Turn"]

log = logging.getLogger("load_bench")

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"

# A varied list of shopper messages in Chinese and English (browsing, constraints, follow-ups, buying).
MESSAGES: tuple[str, ...] = (
    "你好", "想买一双跑步鞋", "500以内的跑鞋有吗", "有没有李宁的", "第一个怎么样", "就要这个了，怎么下单",
    "推荐一款拍照好的手机", "华为的手机多少钱", "预算3000左右", "有降噪耳机吗", "送女朋友的礼物推荐一下",
    "随便看看", "电饭煲哪个牌子好", "运动T恤 速干", "这个有货吗", "便宜点的呢", "谢谢",
    "hello", "I want running shoes under 500", "any noise cancelling earphones?", "show me Xiaomi phones",
    "is the second one in stock?", "I'll take it, add to cart", "just looking around", "cheaper ones please",
    "a rice cooker for a family of four", "Nike Pegasus 有吗", "iPhone 15 多少钱", "想给爸妈买个按摩仪",
    "buy now", "怎么退货", "thanks!",
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``python app.py --port P --db F`` as a subprocess in its own process group.

    >>> with LiveServer(db=tmp / "s.db", home=home).start() as server:      # doctest: +SKIP
    ...     chat_once(server.client(), "你好", "s1")["reply"]
    """

    def __init__(self, *, db: Path, home: Path | None = None, port: int | None = None,
                 log_path: Path | None = None, extra_args: Sequence[str] = (),
                 env: dict[str, str] | None = None, command: Sequence[str] | None = None) -> None:
        self.db = Path(db)
        self.home = home
        self.port = port or free_port()
        self.log_path = Path(log_path) if log_path else self.db.with_suffix(f".{self.port}.log")
        self.extra_args = list(extra_args)
        self.env = env
        self.command = list(command) if command else [sys.executable, str(REPO / "app.py")]
        self.proc: subprocess.Popen | None = None
        self._log_file = None
        self.started_s: float | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self, timeout: float = 300.0) -> LiveServer:
        """Start the process and wait until ``/gradio_api/info`` answers (or raise with the log tail)."""
        env = dict(os.environ if self.env is None else self.env)
        if self.home is not None:
            env["SHOPGUIDE_HOME"] = str(self.home)
        env.setdefault("HF_HUB_OFFLINE", "1")
        env.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
        env["PYTHONUNBUFFERED"] = "1"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        cmd = [*self.command, "--port", str(self.port), "--db", str(self.db), *self.extra_args]
        started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=str(REPO), env=env, stdout=self._log_file,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        self.started_s = time.perf_counter() - started
        return self

    def wait_ready(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while True:
            code = self.proc.poll() if self.proc else None
            if code is not None:
                raise RuntimeError(f"server exited with code {code} before it was ready; log:\n{self.log_tail()}")
            try:
                r = httpx.get(self.url + "gradio_api/info", timeout=5.0)
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"server on port {self.port} not ready after {timeout:.0f}s; log:\n"
                                   f"{self.log_tail()}")
            time.sleep(0.5)

    def client(self, **kw: Any):
        """A new ``gradio_client.Client`` for this server (one per thread)."""
        from gradio_client import Client

        return Client(self.url, verbose=False, download_files=False, **kw)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the server (and anything it started), no clean-up: a crash."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the server to stop (SIGINT, then SIGTERM), SIGKILL it if it does not; idempotent."""
        if self.proc is not None and self.proc.poll() is None:
            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=timeout / 2)
                    break
                except subprocess.TimeoutExpired:
                    continue
            self.kill()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def chat_once(client: Any, message: str, session_id: str) -> dict:
    """One ``/chat`` call; the reply as a dict (a JSON string answer is parsed)."""
    out = client.predict(message, session_id, api_name="/chat")
    if isinstance(out, (list, tuple)) and len(out) == 1:
        out = out[0]
    if isinstance(out, str):
        out = json.loads(out)
    if not isinstance(out, dict):
        raise TypeError(f"/chat answered {type(out).__name__}, expected a JSON object: {out!r:.200}")
    return out


@dataclass
class Turn:
    """One message sent by a simulated shopper and what came back."""

    shopper: int
    session_id: str
    turn: int
    text: str
    ok: bool = False
    latency_s: float = 0.0
    error: str | None = None
    reply_session_id: str | None = None


def run_shoppers(url_or_server: Any, n_shoppers: int, turns: int, *, messages: Sequence[str] = MESSAGES,
                 tag: str | None = None, timeout_s: float = 300.0, think_s: float = 0.0,
                 client_factory: Callable[[], Any] | None = None,
                 on_turn: Callable[[Turn], None] | None = None) -> dict:
    """``n_shoppers`` threads, each with its own client and session, each sending ``turns`` messages.

    Every message is unique (it ends with ``#<tag>-<shopper>-<turn>``) so the database check can match
    texts. Returns ``{"turns": [Turn...], "wall_s", "turns_per_s", "latency": {...}, "errors", "error_samples"}``.
    ``timeout_s`` bounds the whole run (threads still running then are reported as errors).
    """
    tag = tag or uuid.uuid4().hex[:8]
    if client_factory is None:
        url = url_or_server.url if hasattr(url_or_server, "url") else str(url_or_server)

        def client_factory():
            from gradio_client import Client

            return Client(url, verbose=False, download_files=False)

    records: list[list[Turn]] = [[] for _ in range(n_shoppers)]
    start_gate = threading.Barrier(n_shoppers + 1)

    def shopper(i: int) -> None:
        session_id = f"load-{tag}-{i}"
        try:
            client = client_factory()
        except Exception as exc:  # noqa: BLE001 - reported as errors of every turn
            start_gate.wait()
            for t in range(turns):
                records[i].append(Turn(i, session_id, t, "", error=f"client: {type(exc).__name__}: {exc}"))
            return
        start_gate.wait()
        for t in range(turns):
            text = f"{messages[(i * 7 + t * 3) % len(messages)]} #{tag}-{i}-{t}"
            rec = Turn(i, session_id, t, text)
            started = time.perf_counter()
            try:
                out = chat_once(client, text, session_id)
                rec.reply_session_id = out.get("session_id")
                rec.ok = bool(out.get("reply")) and rec.reply_session_id == session_id
                if not rec.ok:
                    rec.error = f"bad answer: {json.dumps(out, ensure_ascii=False)[:200]}"
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                rec.error = f"{type(exc).__name__}: {str(exc)[:300]}"
            rec.latency_s = time.perf_counter() - started
            records[i].append(rec)
            if on_turn is not None:
                on_turn(rec)
            if think_s:
                time.sleep(think_s)
        close = getattr(client, "close", None)
        if callable(close):
            try:
                close()
            except Exception:  # noqa: BLE001
                pass

    threads = [threading.Thread(target=shopper, args=(i,), daemon=True, name=f"shopper-{i}")
               for i in range(n_shoppers)]
    for th in threads:
        th.start()
    start_gate.wait()
    started = time.perf_counter()
    deadline = time.monotonic() + timeout_s
    for th in threads:
        th.join(max(0.0, deadline - time.monotonic()))
    wall = time.perf_counter() - started
    flat: list[Turn] = []
    for i, recs in enumerate(records):
        recs = list(recs)
        done = len(recs)
        flat.extend(recs)
        for t in range(done, turns):  # a thread still blocked at the deadline
            flat.append(Turn(i, f"load-{tag}-{i}", t, f"{messages[(i * 7 + t * 3) % len(messages)]} #{tag}-{i}-{t}",
                             error="timeout: no answer before the run's deadline"))
    ok = [r for r in flat if r.ok]
    errors = [r for r in flat if not r.ok]
    return {
        "tag": tag, "shoppers": n_shoppers, "turns_per_shopper": turns, "sent": len(flat), "ok": len(ok),
        "errors": len(errors), "wall_s": round(wall, 3),
        "turns_per_s": round(len(ok) / wall, 2) if wall > 0 else None,
        "latency": latency_summary([r.latency_s for r in ok]),
        "error_samples": sorted({r.error or "" for r in errors})[:5],
        "turns": flat,
    }


def latency_summary(values: Sequence[float]) -> dict:
    """p50/p95/p99/max/mean in milliseconds (nearest-rank percentiles)."""
    if not values:
        return {"n": 0}
    xs = sorted(values)

    def pct(p: float) -> float:
        k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
        return round(xs[k] * 1000, 2)

    return {"n": len(xs), "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
            "max_ms": round(xs[-1] * 1000, 2), "mean_ms": round(statistics.fmean(xs) * 1000, 2)}


def check_stored(db_path: Path | str, turns: Sequence[Turn], *, require_all: bool = True) -> dict:
    """Compare what was sent with the ``messages`` table (read-only connection).

    For each session: the stored user texts (in id order) must be the sent texts of that session — each
    answered message exactly once. With ``require_all`` every sent message must be stored; without it
    (a crash test) unanswered messages may be missing but never duplicated, and nothing unsent may appear.
    Returns counts and the problems found (``ok`` is True when there are none); also runs
    ``PRAGMA integrity_check``.
    """
    by_session: dict[str, list[Turn]] = {}
    for t in turns:
        by_session.setdefault(t.session_id, []).append(t)
    conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True, timeout=30)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        problems: list[str] = []
        stored_total = lost = duplicated = unexpected = 0
        for sid, sent in by_session.items():
            rows = conn.execute(
                "SELECT text, text_raw FROM messages WHERE session_id = ? AND role = 'user' ORDER BY id",
                (sid,)).fetchall()
            stored = [_original(text, raw) for text, raw in rows]
            stored_total += len(stored)
            sent_texts = [t.text for t in sorted(sent, key=lambda t: t.turn)]
            counts = {text: stored.count(text) for text in set(stored)}
            for t in sent:
                n = counts.get(t.text, 0)
                if n > 1:
                    duplicated += 1
                    problems.append(f"{sid}: stored {n} times: {t.text!r}")
                elif n == 0 and (t.ok or require_all):
                    lost += 1
                    problems.append(f"{sid}: {'answered but ' if t.ok else ''}not stored: {t.text!r}")
            sent_set = set(sent_texts)
            extra = [s for s in stored if s not in sent_set]
            if extra:
                unexpected += len(extra)
                problems.append(f"{sid}: {len(extra)} stored message(s) never sent: {extra[:2]!r}")
            kept = [s for s in stored if s in sent_set]
            if kept != [s for s in sent_texts if s in set(kept)]:
                problems.append(f"{sid}: messages stored out of order")
    finally:
        conn.close()
    return {"sessions": len(by_session), "sent": len(turns), "answered": sum(t.ok for t in turns),
            "stored": stored_total, "lost": lost, "duplicated": duplicated, "unexpected": unexpected,
            "integrity": integrity, "ok": not problems and integrity == "ok", "problems": problems[:20]}


def _original(text: str, raw: str | None) -> str:
    """The text as sent (``text_raw`` holds surrogates SQLite cannot store; see chatbot.service.store)."""
    if not raw:
        return text
    value = json.loads(raw)
    return "".join(map(chr, value)) if isinstance(value, list) else value


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shoppers", default="1,10,50", help="comma-separated concurrent shopper counts")
    parser.add_argument("--turns", type=int, default=3, help="messages per shopper")
    parser.add_argument("--home", type=Path, default=None, help="SHOPGUIDE_HOME for the server")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: a new temp file)")
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    parser.add_argument("--start-timeout", type=float, default=900.0, help="seconds to wait for start-up")
    parser.add_argument("--run-timeout", type=float, default=600.0, help="seconds allowed per level")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    levels = [int(x) for x in args.shoppers.split(",") if x.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="load-bench-"))
    db = args.db or tmp / "load.db"
    server = LiveServer(db=db, home=args.home, port=args.port, log_path=tmp / "server.log")
    result: dict[str, Any] = {"benchmark": "load", "turns_per_shopper": args.turns, "db": str(db),
                              "cpu_count": os.cpu_count(), "levels": [],
                              "omp_num_threads": os.environ.get("OMP_NUM_THREADS")}
    all_turns: list[Turn] = []
    try:
        log.info("starting the server on port %d (log %s)", server.port, server.log_path)
        server.start(timeout=args.start_timeout)
        result["server_start_s"] = round(server.started_s or 0.0, 2)
        for n in levels:
            log.info("%d concurrent shoppers x %d turns", n, args.turns)
            run = run_shoppers(server, n, args.turns, timeout_s=args.run_timeout)
            all_turns.extend(run.pop("turns"))
            result["levels"].append(run)
            log.info("  %s", json.dumps({k: run[k] for k in ("turns_per_s", "errors", "latency")}))
        result["server_alive_at_end"] = server.alive()
    except Exception as exc:  # noqa: BLE001 - reported in the JSON
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        server.stop()
    if all_turns:
        check = check_stored(db, all_turns)
        result["stored_check"] = check
    result["target"] = {"shoppers": 50, "errors": 0, "lost_messages": 0}
    result["target_met"] = bool(
        all_turns and "error" not in result and max(levels) >= 50
        and all(lv["errors"] == 0 for lv in result["levels"]) and result["stored_check"]["ok"])
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
