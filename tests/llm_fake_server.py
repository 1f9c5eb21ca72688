"""A real local HTTP server that speaks the OpenAI chat-completions API, with scripted answers (tests only).

``POST /v1/chat/completions`` (``stream`` true: server-sent events ``data: {chunk}`` … ``data: [DONE]``;
false: one JSON completion) and ``GET /v1/models``. What it answers is scripted with :class:`Reply`: a text
(streamed in pieces), a wait before the first byte (``delay``), a wait between pieces (``chunk_delay``), an HTTP
error (``status``) or a raw, malformed body (``raw``). Every request is recorded in :attr:`FakeOpenAIServer.requests`.

>>> import json, urllib.request
>>> with FakeOpenAIServer() as server:
...     server.script(Reply(text="你好！"))
...     req = urllib.request.Request(server.url + "/chat/completions", method="POST",
...                                  data=json.dumps({"model": "m", "messages": []}).encode())
...     answer = json.load(urllib.request.urlopen(req, timeout=5))
>>> answer["choices"][0]["message"]["content"], server.requests[0].body["model"]
('你好！', 'm')
"""

from __future__ import annotations

import collections
import json
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeOpenAIServer", "Reply", "RecordedRequest"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer.

    text: the completion; chunks: the pieces it is streamed in (default: ``text`` cut every ``chunk_size``
    characters); delay: seconds before the first byte (a slow server); chunk_delay: seconds between pieces;
    status: an HTTP status other than 200 answers an OpenAI-style error body; raw: sent as the body instead
    (as an event stream when the request streams), e.g. ``"data: {oops\\n\\n"`` for a malformed stream.
    """

    text: str = "好的。"
    chunks: Sequence[str] | None = None
    chunk_size: int = 4
    delay: float = 0.0
    chunk_delay: float = 0.0
    status: int = 200
    raw: str | None = None

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        return [self.text[i:i + self.chunk_size] for i in range(0, len(self.text), self.chunk_size)]


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received (``headers``: lower-case names; ``body``: the parsed JSON, ``None`` for
    none or bad JSON)."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any = None


Script = Callable[[dict[str, Any]], Reply]


@dataclass
class _State:
    script: Script = field(default=lambda request: Reply())
    queue: collections.deque = field(default_factory=collections.deque)
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    errors: list[BaseException] = field(default_factory=list)
    models: tuple[str, ...] = ("fake-model",)


class FakeOpenAIServer:
    """``ThreadingHTTPServer`` on ``127.0.0.1:<free port>`` in a daemon thread; :attr:`url` ends in ``/v1``.

    ``script(reply_or_function)`` sets the answer to every request (a function gets the request's JSON);
    ``queue(*replies)`` answers the next requests in order, before the script applies again.
    """

    def __init__(self, host: str = "127.0.0.1", models: Sequence[str] = ("fake-model",)) -> None:
        self.host = host
        self._state = _State(models=tuple(models))
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------------------------
    def script(self, reply: Reply | Script) -> None:
        self._state.script = reply if callable(reply) else (lambda request: reply)

    def queue(self, *replies: Reply) -> None:
        with self._state.lock:
            self._state.queue.extend(replies)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions a handler raised (other than the client going away): a test can assert there are none."""
        return list(self._state.errors)

    @property
    def completions(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat-completion requests, in order."""
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    # -- life cycle ------------------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        state = self._state
        state.stopping.clear()

        class Handler(_Handler):
            pass

        Handler.state = state
        self._httpd = _Server((self.host, 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._state.stopping.set()  # wakes handlers sleeping in a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # the client went away (it timed out, or the test ended): not an error
            return
        self.RequestHandlerClass.state.errors.append(exc)  # type: ignore[attr-defined]
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, like uvicorn / vLLM / Ollama
    state: _State

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    # -- helpers ---------------------------------------------------------------------------------------------
    def _record(self, body: Any) -> None:
        with self.state.lock:
            headers = {k.lower(): v for k, v in self.headers.items()}
            self.state.requests.append(RecordedRequest(self.command, self.path, headers, body))

    def _send_json(self, status: int, obj: Any) -> None:
        data = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_raw(self, status: int, text: str, content_type: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _wait(self, seconds: float) -> bool:
        """Sleep; False when the server is stopping."""
        return not (seconds > 0 and self.state.stopping.wait(seconds))

    # -- routes ----------------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._record(None)
        if self.path.rstrip("/") == "/v1/models":
            self._send_json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.state.models]})
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = None
        self._record(body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        if not isinstance(body, dict):
            self._send_json(400, {"error": {"message": "body is not a JSON object", "type": "invalid_request"}})
            return
        with self.state.lock:
            queued = self.state.queue.popleft() if self.state.queue else None
        reply = queued or self.state.script(body)
        try:
            self._answer(reply, body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): fine
            self.close_connection = True

    def _answer(self, reply: Reply, body: dict[str, Any]) -> None:
        if not self._wait(reply.delay):
            self.close_connection = True
            return
        stream = bool(body.get("stream"))
        model = str(body.get("model", "fake-model"))
        if reply.status != 200:
            self._send_json(reply.status, {"error": {"message": f"scripted failure {reply.status}",
                                                     "type": "server_error", "code": reply.status}})
            return
        if reply.raw is not None:
            self._send_raw(200, reply.raw, "text/event-stream" if stream else "application/json")
            return
        created = int(time.time())
        if not stream:
            self._send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(delta: dict[str, Any], finish: str | None = None) -> None:
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": model,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            self._chunk(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n")

        event({"role": "assistant", "content": ""})
        for i, piece in enumerate(reply.pieces()):
            if i and not self._wait(reply.chunk_delay):
                self.close_connection = True
                return
            event({"content": piece})
        event({}, finish="stop")
        self._chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
