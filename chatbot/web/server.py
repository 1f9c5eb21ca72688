"""The web app: the shopper page at ``/`` (no login) and the staff console at ``/staff`` (its own login).

Both are Gradio Blocks mounted on one FastAPI app with ``gr.mount_gradio_app`` — the Gradio 6 way to give
one mounted app ``auth`` while the other stays public. The staff console's credentials are
``settings.staff_user`` / ``settings.staff_password`` (env ``SHOPGUIDE_STAFF_USER`` /
``SHOPGUIDE_STAFF_PASSWORD``). Without a password the console is served **only when the server is bound to
localhost** (anyone who can reach it is on this machine); bound to another interface without a password,
``/staff`` answers 403 with the fix.

Beside the pages: the plain JSON routes under ``/api`` (:func:`add_json_routes`) and ``/catalog/image/<id>``,
the local image file of a product (:func:`add_image_route`).

Same as ``shopguide serve`` / ``python app.py``:

    serve(Settings.from_env())
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chatbot.conversation.replies import IMAGE_PATH
from chatbot.service.wiring import Services
from chatbot.settings import Settings

if TYPE_CHECKING:
    from catalog.products import Product

__all__ = ["build_app", "build_staff_app", "create_server_app", "add_json_routes", "add_image_route", "image_file",
           "start", "serve", "staff_access", "ServerHandle", "LOCAL_HOSTS", "MAX_BODY_BYTES", "IMAGE_TYPES"]

log = logging.getLogger(__name__)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
STAFF_PATH = "/staff"


def build_app(services: Any):
    """The shopper page as a ``gr.Blocks`` (queue configured; not launched)."""
    from chatbot.web.shop import build_shop  # imports gradio: loaded only when a page is built

    return build_shop(services)


def build_staff_app(services: Any):
    """The staff console as a ``gr.Blocks`` (mount it behind a login: :func:`create_server_app`)."""
    from chatbot.web.console import build_staff  # imports gradio: loaded only when a page is built

    return build_staff(services)


def staff_access(settings: Settings, host: str) -> tuple[bool, list[tuple[str, str]] | None]:
    """(serve the console?, auth list): password set → login required; no password → localhost only."""
    if settings.staff_password:
        return True, [(settings.staff_user, settings.staff_password)]
    return host in LOCAL_HOSTS, None


def create_server_app(services: Any, *, host: str | None = None):
    """One FastAPI app: the staff console at ``/staff`` (login, or refused) and the shopper page at ``/``."""
    # gradio and fastapi load in seconds: only when the server is built, never on import
    import gradio as gr
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse

    from chatbot.web.shop import CSS

    settings = services.settings
    host = host or settings.host
    app = FastAPI(title="shopguide", docs_url=None, redoc_url=None, openapi_url=None)
    served, auth = staff_access(settings, host)
    if served:
        if auth is None:
            log.warning("staff console at %s without a login: allowed only because the server is bound to %s; "
                        "set SHOPGUIDE_STAFF_PASSWORD to require one", STAFF_PATH, host)
        gr.mount_gradio_app(app, build_staff_app(services), path=STAFF_PATH, auth=auth,
                            auth_message="导购客服控制台 Staff console — please log in", css=CSS,
                            footer_links=[], run_history=False, show_error=True)
    else:
        message = (f"The staff console is disabled: the server is bound to {host} and no staff password is set. "
                   "Set SHOPGUIDE_STAFF_PASSWORD (and optionally SHOPGUIDE_STAFF_USER) and restart, "
                   "or bind to 127.0.0.1.")
        log.warning(message)

        def refused(path: str = "") -> PlainTextResponse:
            return PlainTextResponse(message, status_code=403)

        app.add_api_route(STAFF_PATH, refused, methods=["GET", "POST"])
        app.add_api_route(STAFF_PATH + "/{path:path}", refused, methods=["GET", "POST"])
    add_json_routes(app, services)
    add_image_route(app, services)
    gr.mount_gradio_app(app, build_app(services), path="/", css=CSS, footer_links=["api"], run_history=False,
                        show_error=True)
    return app


MAX_BODY_BYTES = 1_000_000
"""Largest JSON body the plain routes accept (a chat message is cut to a few thousand characters anyway)."""


def add_json_routes(app: Any, services: Any) -> None:
    """Plain JSON routes for clients that are not Python (the same ChatService calls as the page):

    - ``POST /api/chat`` ``{"message": "...", "session_id": "..." | null}`` → the chat dict;
    - ``POST /api/event`` ``{"session_id", "product_id", "type": "click" | "add_to_cart" | "remove"}``;
    - ``POST /api/checkout`` ``{"session_id", "product_ids": [...] (optional: default the whole cart)}`` → the order;
    - ``GET /api/cart/{session_id}`` → ``{"session_id", "cart"}``;
    - ``GET /api/messages/{session_id}?after=ID`` → ``{"session_id", "staff": [{"id", "text", "created"}]}``, the
      replies staff wrote from the console after message ``ID`` (poll it to show them).

    Bad input answers 400 ``{"ok": false, "error": ..., "hint": ...}`` (413 for a body over
    :data:`MAX_BODY_BYTES`); nothing a client sends can record a purchase except checkout.
    """
    import json

    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse

    from chatbot.errors import InputError
    from intent.errors import ShopGuideError

    def error(status: int, message: str, hint: str | None = None) -> JSONResponse:
        return JSONResponse({"ok": False, "error": message, "hint": hint}, status_code=status)

    async def body_of(request: Request) -> dict | JSONResponse:
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            return error(413, f"request body over {MAX_BODY_BYTES} bytes", "send one message at a time")
        try:
            data = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return error(400, f"the body is not JSON: {exc}", 'send e.g. {"message": "500以内的跑鞋"}')
        if not isinstance(data, dict):
            return error(400, "the body must be a JSON object", 'send e.g. {"message": "500以内的跑鞋"}')
        return data

    def text_field(data: dict, name: str, *, required: bool = True) -> str | None:
        value = data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise InputError(f"'{name}' must be a string, got {type(value).__name__}")
        return value

    async def call(request: Request, fn) -> JSONResponse:
        data = await body_of(request)
        if isinstance(data, JSONResponse):
            return data
        try:
            return JSONResponse(await run_in_threadpool(fn, data))
        except InputError as exc:
            return error(400, exc.message, exc.hint)
        except ShopGuideError as exc:
            log.exception("API call failed")
            return error(500, exc.message, getattr(exc, "hint", None))

    def chat(data: dict) -> dict:
        message = data.get("message", data.get("text"))
        if message is None:  # "" is a message (answered and kept); no message at all is a broken request
            raise InputError("'message' is required", hint='send {"message": "...", "session_id": "..."}')
        if not isinstance(message, str):
            raise InputError(f"'message' must be a string, got {type(message).__name__}")
        session_id = text_field(data, "session_id", required=False)
        return services.chat.chat(session_id or None, message or "", source="api",
                                  user_agent=data.get("user_agent") if isinstance(data.get("user_agent"), str) else None)

    def event(data: dict) -> dict:
        return services.chat.event(text_field(data, "session_id"), text_field(data, "product_id"),
                                   text_field(data, "type"))

    def checkout(data: dict) -> dict:
        ids = data.get("product_ids")
        if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
            raise InputError("'product_ids' must be a list of product ids")
        return services.chat.checkout(text_field(data, "session_id"), ids)

    async def chat_route(request: Request) -> JSONResponse:
        return await call(request, chat)

    async def event_route(request: Request) -> JSONResponse:
        return await call(request, event)

    async def checkout_route(request: Request) -> JSONResponse:
        return await call(request, checkout)

    async def cart_route(request: Request) -> JSONResponse:
        try:  # database reads on a worker thread: a slow query never stalls the event loop
            sid = await run_in_threadpool(services.chat.known_session, request.path_params["session_id"])
            cart = await run_in_threadpool(services.chat.cart, sid)
            return JSONResponse({"ok": True, "session_id": sid, "cart": cart})
        except InputError as exc:
            return error(404, exc.message, exc.hint)

    async def messages_route(request: Request) -> JSONResponse:
        after = request.query_params.get("after", "0")
        if not re.fullmatch(r"[0-9]{1,18}", after):  # ASCII digits only: str.isdigit() also takes "²"
            return error(400, f"'after' must be a message id (a whole number), got {after[:40]!r}")
        try:
            sid = await run_in_threadpool(services.chat.known_session, request.path_params["session_id"])
            staff = await run_in_threadpool(services.chat.staff_messages, sid, int(after))
            return JSONResponse({"ok": True, "session_id": sid, "staff": staff})
        except InputError as exc:
            return error(404, exc.message, exc.hint)

    # plain Starlette routes (the handler reads the request itself: clear errors, no schema machinery)
    app.add_route("/api/chat", chat_route, methods=["POST"])
    app.add_route("/api/event", event_route, methods=["POST"])
    app.add_route("/api/checkout", checkout_route, methods=["POST"])
    app.add_route("/api/cart/{session_id}", cart_route, methods=["GET"])
    app.add_route("/api/messages/{session_id}", messages_route, methods=["GET"])


IMAGE_TYPES: Mapping[str, str] = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
                                  ".webp": "image/webp", ".avif": "image/avif", ".bmp": "image/bmp"}
"""The local image files the app serves, by suffix, with their content type (the importer's image suffixes)."""
IMAGE_CACHE = "public, max-age=86400"


def image_file(catalog: Mapping[str, Product], product_id: str) -> Path | None:
    """The local image file of product ``product_id`` (its ``image_url`` when that is an absolute path to an
    existing file with an image suffix), else None. Nothing from a request is ever used as a path: only a
    product's own ``image_url`` is.

    >>> image_file({}, "../../etc/passwd") is None
    True
    """
    product = catalog.get(product_id)
    url = product.image_url if product is not None else ""
    if not url or url.lower().startswith(("http://", "https://")):
        return None
    path = Path(url)
    if not path.is_absolute() or path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        return None
    return path


def add_image_route(app: Any, services: Any) -> None:
    """``GET /catalog/image/{product_id}`` (the ``image`` of a card whose product has a local image file): that
    file with its content type and a day's ``Cache-Control``; 404 for an unknown id, a product without a local
    image, or a file gone since the import."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import FileResponse, PlainTextResponse, Response

    async def image_route(request: Request) -> Response:
        product_id = request.path_params["product_id"]
        path = await run_in_threadpool(image_file, services.chat.catalog, product_id)
        if path is None:
            return PlainTextResponse(f"no image for product {product_id[:80]!r}", status_code=404,
                                     headers={"Cache-Control": "no-store"})
        return FileResponse(path, media_type=IMAGE_TYPES[path.suffix.lower()],
                            headers={"Cache-Control": IMAGE_CACHE, "X-Content-Type-Options": "nosniff"})

    # ":path": a product id may hold "/" (sent as %2F, decoded before routing); it is only looked up, never opened
    app.add_route(IMAGE_PATH + "{product_id:path}", image_route, methods=["GET", "HEAD"])


@dataclass
class ServerHandle:
    """A running server: ``url`` (with trailing slash), ``close()``, ``wait()``."""

    url: str
    port: int
    server: Any
    thread: threading.Thread
    services: Any

    @property
    def staff_url(self) -> str:
        return self.url + STAFF_PATH.lstrip("/") + "/"

    def close(self, timeout: float = 10.0) -> None:
        # Open event streams (browsers, API clients) are cancelled on the way out; uvicorn logs each
        # cancellation as an error, which is noise at shutdown, so its error log is muted meanwhile.
        uv_log = logging.getLogger("uvicorn.error")
        level = uv_log.level
        uv_log.setLevel(logging.CRITICAL)
        try:
            self.server.should_exit = True
            self.server.force_exit = True  # do not wait for open event streams
            self.thread.join(timeout)
        finally:
            uv_log.setLevel(level)

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C stops it)."""
        try:
            while self.thread.is_alive():
                self.thread.join(0.5)
        except KeyboardInterrupt:
            log.info("stopping")
            self.close()


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def start(services: Any, *, host: str | None = None, port: int | None = None, timeout: float = 60.0) -> ServerHandle:
    """Serve the app in a background thread (``port=0``: a free port) and return once it accepts requests."""
    import uvicorn  # with the web stack: only when serving

    settings = services.settings
    host = host or settings.host
    port = settings.port if port is None else port
    if port == 0:
        port = _free_port(host)
    app = create_server_app(services, host=host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="shopguide-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise OSError(f"the server could not start on {host}:{port} (port in use?)")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise TimeoutError(f"the server did not start on {host}:{port} within {timeout:.0f}s")
        time.sleep(0.05)
    shown_host = f"[{host}]" if ":" in host else ("127.0.0.1" if host in ("0.0.0.0", "") else host)
    return ServerHandle(url=f"http://{shown_host}:{port}/", port=port, server=server, thread=thread,
                        services=services)


def serve(settings: Settings) -> None:
    """Warm up (first run: train the default model and build the index, with progress), then serve on
    ``settings.host:settings.port`` until Ctrl-C, printing the local URL."""
    services = Services(settings)
    services.warm_up(progress=True)
    handle = start(services, host=settings.host, port=settings.port)
    served, auth = staff_access(settings, settings.host)
    staff_note = ("login required" if auth else "no login: localhost only") if served else \
        "disabled (set SHOPGUIDE_STAFF_PASSWORD)"
    print(f"导购 shopguide is running on {handle.url}", flush=True)
    print(f"Staff console: {handle.staff_url} ({staff_note}) · API: {handle.url}?view=api", flush=True)
    handle.wait()
