"""Product pictures end to end: a catalog file whose rows name a local PNG (relative to the file), an http(s) URL
or nothing; the cards of ``/api/chat`` carry the right ``image``; ``GET /catalog/image/<id>`` serves exactly the
files that are some product's ``image_url`` (404 otherwise); a real browser shows each card's ``<img>`` lazily,
loaded, with no referrer sent to the image host, and the placeholder where there is no picture.

The "image host" is a small local HTTP server that records the requests it gets (no network in tests)."""

from __future__ import annotations

import json
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import httpx
import pytest
from conftest_catalog import FakeEncoder
from conftest_chatbot import FakeIntentModel, chromium_page, start_test_server

pytestmark = pytest.mark.slow


def png_1x1(rgba: tuple[int, int, int, int] = (220, 38, 38, 255)) -> bytes:
    """A valid 1×1 RGBA PNG (signature, IHDR, IDAT, IEND with their CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgba)))
            + chunk(b"IEND", b""))


PNG = png_1x1()
LOCAL_ID = "IMG/1 红"  # a slash, a space and a CJK character: quoted in the card, decoded by the route
WEB_ID, NONE_ID, GONE_ID = "WEB1", "NOIMG", "GONE"


class ImageHost:
    """A local "CDN": answers every GET with the PNG and records (path, Referer) of each request."""

    def __init__(self) -> None:
        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                requests.append((self.path, self.headers.get("Referer")))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _row(id, title_zh, title_en, price, image_url="", category="shoes", subcategory="跑步鞋", brand="李宁"):
    return {"id": id, "title_zh": title_zh, "title_en": title_en, "category": category, "subcategory": subcategory,
            "brand": brand, "price": price, "stock": 10, "rating": 4.6, "sales": 1000, "tags": ["跑步"],
            "description": "跑步鞋", "image_url": image_url}


@pytest.fixture(scope="module")
def image_host():
    host = ImageHost()
    yield host
    host.close()


@pytest.fixture(scope="module")
def image_catalog(tmp_path_factory, image_host):
    """A catalog file with a relative local image, a web image (``&`` in its query), none, and one whose file is
    deleted after the import; plus a non-image file beside the catalog that must never be served."""
    folder = tmp_path_factory.mktemp("image_shop")
    (folder / "img").mkdir()
    (folder / "img" / "red shoe.png").write_bytes(PNG)
    (folder / "img" / "gone.png").write_bytes(PNG)
    (folder / "secret.txt").write_text("not an image", encoding="utf-8")
    rows = [
        _row(LOCAL_ID, "李宁 红色 跑步鞋", "Li-Ning red running shoes", 399, "img/red shoe.png"),
        _row(WEB_ID, "耐克 网图 跑步鞋", "Nike running shoes", 499, f"{image_host.url}/cdn/shoe.png?w=72&h=72"),
        _row(NONE_ID, "安踏 无图 跑步鞋", "ANTA running shoes", 299),
        _row(GONE_ID, "特步 跑步鞋", "Xtep running shoes", 199, "img/gone.png"),
        _row("E1", "漫步者 蓝牙耳机", "Edifier earbuds", 199, "img/red shoe.png", "earphones", "真无线耳机", "漫步者"),
    ]
    path = folder / "products.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def image_server(image_catalog, tmp_path_factory):
    from catalog.engine import CatalogEngine
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    engine = CatalogEngine.open(image_catalog, tmp_path_factory.mktemp("image_index"), FakeEncoder())
    (image_catalog.parent / "img" / "gone.png").unlink()  # gone since the import
    settings = Settings(home=tmp_path_factory.mktemp("image_home"), staff_password="s3cret", top_k=4)
    server = start_test_server(Services(settings, intent_model=FakeIntentModel(), engine=engine))
    yield server
    server.close()


@pytest.fixture(scope="module")
def http(image_server):
    with httpx.Client(base_url=image_server.url.rstrip("/"), timeout=60) as client:
        yield client


def test_the_importer_stored_the_local_picture_as_an_absolute_path(image_server, image_catalog, image_host):
    catalog = image_server.services.chat.catalog
    assert catalog[LOCAL_ID].image_url == str((image_catalog.parent / "img" / "red shoe.png").resolve())
    assert catalog[WEB_ID].image_url == f"{image_host.url}/cdn/shoe.png?w=72&h=72"
    assert catalog[NONE_ID].image_url == ""


def test_the_cards_carry_their_picture(http, image_host):
    # no buying word: both arms show all four running shoes (the intent arm shows fewer to a ready buyer)
    r = http.post("/api/chat", json={"session_id": None, "message": "跑步鞋"})
    assert r.status_code == 200, r.text
    cards = {p["id"]: p["image"] for p in r.json()["products"]}
    assert {LOCAL_ID, WEB_ID, NONE_ID, GONE_ID} <= set(cards)
    assert cards[LOCAL_ID] == "/catalog/image/IMG%2F1%20%E7%BA%A2" == "/catalog/image/" + quote(LOCAL_ID, safe="")
    assert cards[WEB_ID] == f"{image_host.url}/cdn/shoe.png?w=72&h=72"  # an http(s) URL as is
    assert cards[NONE_ID] == ""


def test_a_local_picture_is_served_with_its_type_and_a_cache_header(http):
    for method in ("GET", "HEAD"):
        r = http.request(method, "/catalog/image/" + quote(LOCAL_ID, safe=""))
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "image/png"
        assert r.headers["cache-control"] == "public, max-age=86400"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert int(r.headers["content-length"]) == len(PNG)
        assert r.content == (PNG if method == "GET" else b"")
    assert http.get("/catalog/image/E1").content == PNG  # two products may share one file


@pytest.mark.parametrize("path", [
    "/catalog/image/nope",                          # unknown id
    f"/catalog/image/{WEB_ID}",                     # a web picture: the browser fetches it from its host
    f"/catalog/image/{NONE_ID}",                    # no picture
    f"/catalog/image/{GONE_ID}",                    # the file is gone
    "/catalog/image/secret.txt",                    # a file beside the catalog is no product's picture
    "/catalog/image/img%2Fred%20shoe.png",          # nor is the picture's own file name
    "/catalog/image/..%2F..%2F..%2Fetc%2Fpasswd",   # no request path is ever opened
    "/catalog/image/%2Fetc%2Fpasswd",
    "/catalog/image/",
])
def test_anything_else_is_a_404(http, path):
    r = http.get(path)
    assert r.status_code == 404, (path, r.status_code, r.text[:200])
    assert not r.headers["content-type"].startswith("image/") and b"root:" not in r.content


def test_a_raw_dot_dot_path_serves_nothing(image_server):
    """A client that sends ``..`` unnormalised (httpx would fold it) gets no file either."""
    import socket

    with socket.create_connection(("127.0.0.1", image_server.port), timeout=10) as s:
        s.sendall(b"GET /catalog/image/../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert b"root:" not in data and b"image/png" not in data


@pytest.mark.browser
def test_the_browser_shows_the_pictures_lazily_without_a_referrer(image_server, image_host):
    with chromium_page(image_server.url) as page:
        page.wait_for_selector("#sg-message textarea")
        page.fill("#sg-message textarea", "跑步鞋")
        page.click("#sg-send")
        page.wait_for_selector("#sg-card-3 .sg-card-body")
        for card in page.locator(".sg-card-body").all():
            card.scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.querySelectorAll('.sg-card-body img')].every("
                               "i => i.complete) && document.querySelectorAll('.sg-card-body img').length >= 3")
        cards = page.eval_on_selector_all(".sg-card-body", """els => els.map(e => {
            const img = e.querySelector('img');
            return {id: e.dataset.productId, placeholder: !!e.querySelector('.sg-noimg'),
                    img: img && {src: img.getAttribute('src'), loading: img.getAttribute('loading'),
                                 decoding: img.getAttribute('decoding'), alt: img.alt,
                                 referrer: img.getAttribute('referrerpolicy'), width: img.naturalWidth,
                                 shown: img.getBoundingClientRect().width}};
        })""")
        catalog = image_server.services.chat.catalog
        by_id = {c["id"]: c for c in cards}
        assert {LOCAL_ID, WEB_ID, NONE_ID, GONE_ID} <= set(by_id)
        for pid in (LOCAL_ID, WEB_ID):
            img = by_id[pid]["img"]
            assert img is not None and not by_id[pid]["placeholder"], by_id[pid]
            assert (img["loading"], img["decoding"], img["referrer"]) == ("lazy", "async", "no-referrer")
            assert img["alt"] == catalog[pid].title_zh
            assert img["width"] == 1 and img["shown"] == 72  # loaded, drawn as the 72px thumbnail
        assert by_id[LOCAL_ID]["img"]["src"] == "/catalog/image/" + quote(LOCAL_ID, safe="")
        assert by_id[WEB_ID]["img"]["src"] == f"{image_host.url}/cdn/shoe.png?w=72&h=72"
        assert by_id[NONE_ID]["img"] is None and by_id[NONE_ID]["placeholder"]
        assert by_id[GONE_ID]["img"]["width"] == 0  # a 404: the browser shows its broken-image box
        box = page.eval_on_selector(f"[data-product-id='{NONE_ID}'] .sg-noimg",
                                    "e => [getComputedStyle(e).backgroundImage, e.getBoundingClientRect().width]")
        assert box[0].startswith('url("data:image/svg+xml,') and box[1] == 72
    assert ("/cdn/shoe.png?w=72&h=72", None) in image_host.requests  # fetched, with no Referer header
    assert all(referer is None for _, referer in image_host.requests)
