"""Bad input: every odd message, file or request gets a clear answer; nothing crashes, nothing stored is lost.

Three tiers:

- the real :class:`ChatService` + :class:`Store` on a temp SQLite file with a fake intent model and the tiny
  catalog (fast): odd texts are answered and stored verbatim, bad events are clear ``InputError`` s;
- damaged files (fast): catalog CSV with broken rows, missing / truncated / mismatched intent model and
  product index — each error names the command that rebuilds it;
- a live ``python app.py`` (``slow``): the same odd texts through the real HTTP API (``gradio_client``, and
  raw POSTs for lone surrogates and invalid UTF-8 bytes), HTML and SQL stored verbatim and escaped when
  rendered, and start-up with a damaged model or index: a clean stop or a rebuild, never a traceback.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest_reliability import chat_once, raw_call, user_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)> 跑鞋"
SQL = "'); DROP TABLE messages;--"
LONG = ("想买一双跑步鞋 running shoes " * 5000)[:100_000]

ODD_TEXTS = {
    "empty": "",
    "whitespace": "  \n\t \u3000 ",
    "long_100k": LONG,
    "control_chars": "跑鞋\x00\x01\x07\x1b[31m red\x7f\u0085\u200b\u202e end",
    "lone_surrogates": "bad \ud800 pair \udfff 跑鞋 \udbff",
    "emoji_mixed": "😀👍🏽👨‍👩‍👧 iPhone 15 价格? Привет مرحبا こんにちは 🇨🇳",
    "html_script": SCRIPT,
    "sql": SQL,
    "newlines": "第一行\r\n第二行\n\n\n500以内",
    "rtl_and_combining": "e\u0301\u0301\u0301 \u202eRTL\u202c ﷽",
}


def _assert_answer(out: dict, session_id: str) -> None:
    assert out["session_id"] == session_id
    assert isinstance(out["reply"], str) and out["reply"].strip(), out
    assert "Traceback" not in out["reply"]
    json.dumps(out, ensure_ascii=False)  # JSON-ready


# ------------------------------------------------------------------------------------------------------
# Service level (real ChatService and Store, fake intent model, tiny catalog)
# ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(ODD_TEXTS))
def test_service_answers_and_stores_odd_text_verbatim(rel_service, name):
    text = ODD_TEXTS[name]
    started = time.perf_counter()
    out = rel_service.chat(f"odd-{name}", text)
    elapsed = time.perf_counter() - started
    _assert_answer(out, f"odd-{name}")
    assert elapsed < 10, f"{name}: {elapsed:.1f}s"
    users = [m for m in rel_service.store.messages(f"odd-{name}") if m["role"] == "user"]
    assert [m["text"] for m in users] == [text]
    assistants = [m for m in rel_service.store.messages(f"odd-{name}") if m["role"] == "assistant"]
    assert [m["text"] for m in assistants] == [out["reply"]]


def test_service_sql_text_leaves_tables_intact(rel_service):
    for _ in range(3):
        rel_service.chat("sql", SQL)
    assert rel_service.store.query("SELECT count(*) AS n FROM messages")[0]["n"] == 6
    assert rel_service.store.integrity_check() == "ok"


def test_service_long_message_is_scored_on_a_bounded_prefix(rel_service):
    rel_service.chat("long", LONG)
    seen = rel_service.intent_model.seen[-1]
    assert 0 < len(seen) <= 4000
    assert len(rel_service.store.messages("long")[0]["text"]) == 100_000


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(st.characters(exclude_categories=()), st.integers(0xD800, 0xDFFF).map(chr)),
                     max_size=60).map("".join))
def test_service_round_trips_any_text(rel_service, text):
    """Any str (surrogates and controls included) is answered and read back exactly as sent."""
    out = rel_service.chat("hyp", text)
    assert out["reply"]
    last_user = [m for m in rel_service.store.messages("hyp") if m["role"] == "user"][-1]
    assert last_user["text"] == text


@pytest.mark.parametrize("args, words", [
    (("no-such-session", "S1", "click"), "send a chat message first"),
    (("ev", "NO-SUCH-PRODUCT", "click"), "no product"),
    (("ev", "S1", "steal"), "use one of"),
    (("ev", "S1", "impression"), "use one of"),
    (("", "S1", "click"), "no session"),
])
def test_service_bad_events_are_clear_input_errors(rel_service, args, words):
    from chatbot.errors import InputError

    rel_service.chat("ev", "想买跑鞋")
    with pytest.raises(InputError) as err:
        rel_service.event(*args)
    assert words in str(err.value)
    assert rel_service.store.events("ev", "impression")  # earlier rows untouched


@pytest.mark.parametrize("session_id", ["x" * 201])
def test_service_rejects_unusable_session_id(rel_service, session_id):
    from chatbot.errors import InputError

    with pytest.raises(InputError, match="session id"):
        rel_service.chat(session_id, "你好")


def test_service_rejects_non_text(rel_service):
    from chatbot.errors import InputError

    with pytest.raises(InputError, match="must be text"):
        rel_service.chat("nt", b"\xff\xfe")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------------
# Damaged files
# ------------------------------------------------------------------------------------------------------
BROKEN_CSV = (
    "id,title_zh,category,brand,price,stock,rating\n"          # line 1
    "A1,李宁跑鞋,shoes,李宁,399,5,4.5\n"                         # 2 ok
    "A2,坏价格,shoes,李宁,abc,5,4.5\n"                           # 3 bad price
    "A3,缺列,shoes\n"                                            # 4 too few fields
    "A4,\"<script>alert(1)</script>\",shoes,牌子,¥299.00,3,4\n"  # 5 ok
    "A5,负库存,shoes,李宁,100,-3,4.5\n"                          # 6 bad stock
    "A1,重复,shoes,李宁,100,3,4.5\n"                             # 7 duplicate id
    "A6,\"'); DROP TABLE messages;--\",shoes,牌子,99,1,4.0\n"     # 8 ok
    "A7,评分太高,shoes,牌子,99,1,9.9\n"                          # 9 bad rating
    ",无编号,shoes,牌子,99,1,4.0\n"                              # 10 missing id
    "A8,好的,shoes,牌子,\"1,299\",2,4.8\n"                       # 11 ok (thousands separator)
)


def test_catalog_csv_broken_rows_are_reported_by_line_and_the_rest_imported(tmp_path):
    from catalog.importer import import_catalog

    path = tmp_path / "broken.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    result = import_catalog(path)
    ids = [p.id for p in result.products]
    assert "A1" in ids and "A6" in ids and "A8" in ids
    assert {"A2", "A3", "A5", "A7"}.isdisjoint(ids)
    bad_lines = {e.line for e in result.errors}
    assert {3, 4, 6, 7, 9, 10} <= bad_lines
    assert all(e.reason for e in result.errors)
    assert "duplicate" in next(e.reason for e in result.errors if e.line == 7)
    assert next(p for p in result.products if p.id == "A6").title_zh == SQL  # stored verbatim
    assert len(ids) + len(result.errors) == 10


def test_catalog_strict_import_lists_bad_lines(tmp_path):
    from catalog.errors import CatalogImportError
    from catalog.importer import import_catalog

    path = tmp_path / "broken.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    with pytest.raises(CatalogImportError) as err:
        import_catalog(path, strict=True)
    assert "line 3" in str(err.value) and "line 7" in str(err.value)


@pytest.mark.parametrize("content, words", [
    (None, "not found"),
    ("name,price\nx,1\n", "missing column"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    ("id,title_zh,category,brand,price,stock\nB,x,shoes,y,abc,1\n", "no valid product"),
])
def test_catalog_unusable_files_raise_clear_errors(tmp_path, content, words):
    from catalog.errors import CatalogImportError
    from catalog.products import load_products

    path = tmp_path / "cat.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogImportError) as err:
        load_products(path)
    assert words.lower() in str(err.value).lower()
    assert "hint:" in str(err.value)


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A small tfidf intent model saved through the real save code."""
    from intent.model import IntentModel

    buy = ["就要这个了", "我要买", "下单吧", "加入购物车", "立即购买", "买两双", "怎么付款", "拍下了"]
    browse = ["随便看看", "你好", "有什么推荐", "看看跑鞋", "谢谢", "再看看吧", "太贵了", "有别的颜色吗"]
    model = IntentModel.train(buy + browse, [1] * len(buy) + [0] * len(browse), "tfidf", calibration_cv=2)
    return model.save(tmp_path_factory.mktemp("tiny-model") / "m")


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    return dst


def test_model_missing_names_the_train_command(tmp_path):
    from intent.errors import ModelNotFoundError
    from intent.model import IntentModel

    with pytest.raises(ModelNotFoundError) as err:
        IntentModel.load(tmp_path / "nothing-here")
    assert "shopguide intent train" in str(err.value)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "manifest_json", "manifest_keys"])
def test_model_damaged_raises_corrupt_error_with_rebuild(tiny_model_dir, tmp_path, damage):
    from intent.errors import ModelCorruptError
    from intent.model import MANIFEST_FILE, MODEL_FILE, IntentModel

    d = _copy(tiny_model_dir, tmp_path)
    model = d / MODEL_FILE
    if damage == "truncate":
        model.write_bytes(model.read_bytes()[: model.stat().st_size // 3])
    elif damage == "garbage":
        model.write_bytes(b"not a pickle at all" * 10)
    elif damage == "empty":
        model.write_bytes(b"")
    elif damage == "manifest_json":
        (d / MANIFEST_FILE).write_text("{broken", encoding="utf-8")
    else:
        (d / MANIFEST_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(ModelCorruptError) as err:
        IntentModel.load(d, expected_encoder="tfidf")
    assert "shopguide intent train" in str(err.value)


def test_model_user_folder_corrupt_is_not_silently_replaced(tiny_model_dir, tmp_path):
    """``load_or_train_default`` must not overwrite a model the user put there."""
    from intent.errors import ModelCorruptError, ModelMismatchError
    from intent.model import MODEL_FILE, load_or_train_default

    d = _copy(tiny_model_dir, tmp_path)
    before = (d / MODEL_FILE).read_bytes()
    with pytest.raises(ModelMismatchError):
        load_or_train_default(d, "e5+tfidf")
    (d / MODEL_FILE).write_bytes(before[:50])
    with pytest.raises(ModelCorruptError):
        load_or_train_default(d, "tfidf")
    assert (d / MODEL_FILE).read_bytes() == before[:50]


@pytest.fixture
def saved_index(tmp_path, cat_products_file):
    from conftest_catalog import FakeEncoder, tiny_products

    from catalog.index import ProductIndex

    return ProductIndex.build(tiny_products(), FakeEncoder(), show_progress=False).save(tmp_path / "index")


@pytest.fixture
def cat_products_file(tmp_path):
    from conftest_catalog import tiny_products

    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in tiny_products()),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("damage, error", [
    ("missing_index", "IndexNotFoundError"),
    ("missing_manifest", "IndexNotFoundError"),
    ("truncate", "IndexCorruptError"),
    ("garbage", "IndexCorruptError"),
    ("manifest_json", "IndexCorruptError"),
    ("other_encoder", "IndexMismatchError"),
    ("other_dim", "IndexMismatchError"),
    ("other_catalog", "IndexMismatchError"),
])
def test_index_damaged_names_the_rebuild_command(saved_index, damage, error):
    from conftest_catalog import FakeEncoder, make_product, tiny_products

    import catalog.errors
    from catalog.index import INDEX_FILE, MANIFEST_FILE, ProductIndex

    index_file, manifest_file = saved_index / INDEX_FILE, saved_index / MANIFEST_FILE
    encoder, products = FakeEncoder(), tiny_products()
    if damage == "missing_index":
        index_file.unlink()
    elif damage == "missing_manifest":
        manifest_file.unlink()
    elif damage == "truncate":
        index_file.write_bytes(index_file.read_bytes()[:100])
    elif damage == "garbage":
        index_file.write_bytes(b"\x00garbage" * 64)
    elif damage == "manifest_json":
        manifest_file.write_text("{", encoding="utf-8")
    elif damage == "other_encoder":
        encoder = FakeEncoder(spec="e5")
    elif damage == "other_dim":
        encoder = FakeEncoder(dim=128)
    else:
        products = [*products, make_product("NEW", "新商品")]
    with pytest.raises(getattr(catalog.errors, error)) as err:
        ProductIndex.load(saved_index, encoder, products)
    assert "shopguide catalog index" in str(err.value)


def test_engine_rebuilds_a_missing_index_and_stops_on_a_corrupt_one(saved_index, cat_products_file):
    from conftest_catalog import FakeEncoder

    from catalog.engine import CatalogEngine
    from catalog.errors import IndexCorruptError
    from catalog.index import INDEX_FILE

    (saved_index / INDEX_FILE).unlink()
    engine = CatalogEngine.open(cat_products_file, saved_index, FakeEncoder())  # rebuilt
    assert engine.index.ntotal == 12 and (saved_index / INDEX_FILE).is_file()
    (saved_index / INDEX_FILE).write_bytes(b"\x00" * 10)
    with pytest.raises(IndexCorruptError) as err:
        CatalogEngine.open(cat_products_file, saved_index, FakeEncoder())
    assert "shopguide catalog index" in str(err.value) and str(cat_products_file) in str(err.value)


# ------------------------------------------------------------------------------------------------------
# Live server: the real HTTP path
# ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def live_client(rel_server):
    return rel_server.client()


LIVE_TEXTS = {k: v for k, v in ODD_TEXTS.items() if k != "lone_surrogates"}  # gradio_client cannot send those


@pytest.mark.slow
@pytest.mark.parametrize("name", list(LIVE_TEXTS))
def test_live_odd_text_is_answered_and_stored_verbatim(rel_server, live_client, name):
    sid = f"live-odd-{name}"
    text = LIVE_TEXTS[name]
    out = chat_once(live_client, text, sid)
    _assert_answer(out, sid)
    rows = user_rows(rel_server.db, sid)
    assert [r["original"] for r in rows] == [text]
    assert rel_server.alive()


def _body(data: list) -> bytes:
    return json.dumps({"data": data}).encode("ascii")  # \uXXXX escapes: lone surrogates survive JSON


@pytest.mark.slow
def test_live_lone_surrogates_over_raw_http_are_stored_losslessly(rel_server):
    sid = "live-surrogates"
    text = ODD_TEXTS["lone_surrogates"]
    status, result = raw_call(rel_server.url, "chat", _body([text, sid]))
    assert status == 200 and result["event"] == "complete", result
    out = result["data"][0]
    out = json.loads(out) if isinstance(out, str) else out
    _assert_answer(out, sid)
    rows = user_rows(rel_server.db, sid)
    assert [r["original"] for r in rows] == [text]
    rows[0]["text"].encode("utf-8")  # the text column holds valid UTF-8 ...
    assert rows[0]["text_raw"]  # ... and text_raw the exact original


@pytest.mark.slow
@pytest.mark.parametrize("body", [
    b'{"data": ["bad \xff\xfe utf8 \xc3\x28", "live-badbytes"]}',
    b'{"data": ["trunc \xe4\xb8", "live-badbytes"]}',
    b"\xff\xfe\xfd not json at all",
    b'{"data": ["unterminated',
    b'{"data": []}',
    b'{"data": [12345, ["not", "text"]]}',
])
def test_live_malformed_requests_get_a_clear_answer_and_the_server_lives_on(rel_server, live_client, body):
    before = len(user_rows(rel_server.db, "live-badbytes"))
    status, result = raw_call(rel_server.url, "chat", body)
    if status == 200:  # accepted by the transport: the app must answer or report an error, not hang
        assert result["event"] in ("complete", "error"), result
        if result["event"] == "complete":
            out = result["data"][0]
            assert "Traceback" not in json.dumps(out, ensure_ascii=False)
    else:
        assert 400 <= status < 500, (status, result)
        assert "Traceback" not in str(result["data"])
    assert rel_server.alive()
    out = chat_once(live_client, "还在吗", "live-badbytes")  # the server still answers
    _assert_answer(out, "live-badbytes")
    assert len(user_rows(rel_server.db, "live-badbytes")) >= before + 1


@pytest.mark.slow
@pytest.mark.parametrize("args, words", [
    (("no-such-session", "P00001", "click"), "session"),
    (("live-ev", "NO-SUCH-PRODUCT", "click"), "product"),
    (("live-ev", "P00001", "steal"), "event"),
])
def test_live_bad_events_get_clear_messages(rel_server, live_client, args, words):
    from gradio_client.exceptions import AppError

    chat_once(live_client, "想买跑鞋", "live-ev")
    try:
        out = live_client.predict(*args, api_name="/event")
    except AppError as exc:  # gr.Error: the message is shown to the caller
        msg = str(exc)
    else:  # or an {"ok": false, "error": ...} answer
        out = json.loads(out) if isinstance(out, str) else out
        assert not out.get("ok"), out
        msg = json.dumps(out, ensure_ascii=False)
    assert words in msg.lower() and "Traceback" not in msg
    assert rel_server.alive()


@pytest.mark.slow
def test_live_html_and_sql_are_stored_verbatim(rel_server, live_client):
    sid = "live-html"
    for text in (SCRIPT, SQL, SCRIPT):
        _assert_answer(chat_once(live_client, text, sid), sid)
    assert [r["original"] for r in user_rows(rel_server.db, sid)] == [SCRIPT, SQL, SCRIPT]


def test_html_and_markdown_are_rendered_escaped():
    from chatbot.web.shop import card_html, cart_html, chat_text

    bubble = chat_text(SCRIPT)
    assert "<script" not in bubble and "<img" not in bubble and "&lt;script&gt;" in bubble
    assert "[x](javascript" not in chat_text("[x](javascript:alert(1))")
    assert "<" not in chat_text(SQL) and "DROP TABLE" in chat_text(SQL)
    product = {"id": "X<1>", "title": SCRIPT, "brand": "<b>牌</b>", "price": 1.0, "rating": 4.0, "stock": 1,
               "reason": "<iframe src=//evil>"}
    card = card_html(product, 0)
    for raw in ("<script", "<img", "<iframe", "<b>牌"):
        assert raw not in card
    assert "&lt;script&gt;" in card and 'data-product-id="X&lt;1&gt;"' in card
    cart = cart_html([{"product_id": "X", "title_zh": SCRIPT, "title_en": SQL, "quantity": 1, "price": 2.0}])
    assert "<script" not in cart and "&lt;script&gt;" in cart


def test_shopper_page_keeps_the_html_sanitiser_on(tmp_path):
    import gradio as gr

    from chatbot.service.wiring import Services
    from chatbot.settings import Settings
    from chatbot.web.server import build_app

    demo = build_app(Services(Settings(home=tmp_path)))  # lazy: builds no model or index
    chatbots = [b for b in demo.blocks.values() if isinstance(b, gr.Chatbot)]
    assert chatbots and all(c.sanitize_html for c in chatbots)


# ------------------------------------------------------------------------------------------------------
# Start-up with damaged files: rebuild or stop cleanly, never a traceback
# ------------------------------------------------------------------------------------------------------
def _damaged_home(rel_home: Path, tmp_path: Path, target: str, damage: str) -> Path:
    home = tmp_path / "home"
    shutil.copytree(rel_home, home)
    folder = home / "models" / "intent-default" if target == "model" else home / "index" / "default"
    data = folder / ("model.joblib" if target == "model" else "index.faiss")
    manifest = folder / "manifest.json"
    if damage == "truncate":
        data.write_bytes(data.read_bytes()[: max(1, data.stat().st_size // 4)])
    elif damage == "manifest":
        manifest.write_text('{"encoder": ', encoding="utf-8")
    else:  # mismatch: the index was built for another catalog
        m = json.loads(manifest.read_text(encoding="utf-8"))
        m["catalog_hash"] = "0" * 16
        manifest.write_text(json.dumps(m), encoding="utf-8")
    return home


@pytest.mark.slow
@pytest.mark.parametrize("target, damage", [
    ("model", "truncate"), ("model", "manifest"), ("index", "truncate"), ("index", "mismatch"),
])
def test_live_start_with_damaged_files_stops_cleanly(rel_servers, rel_home, tmp_path, target, damage):
    """A damaged (not missing) model or index is never silently replaced: start-up stops with exit code 1 and
    one message naming the rebuild command, never a traceback (``load_or_train_default`` raises
    ``ModelCorruptError``, ``CatalogEngine.open`` ``IndexCorruptError`` / ``IndexMismatchError``). Missing files
    are rebuilt on start: that path is the first run itself."""
    home = _damaged_home(rel_home, tmp_path, target, damage)
    server = rel_servers(tmp_path / "s.db", home=home, wait=False)
    with pytest.raises(RuntimeError):
        server.start(timeout=900)
    log = server.log_tail(20_000)
    assert server.proc.returncode == 1, log
    assert "Traceback" not in log and "Error: " in log, log
    rebuild = "shopguide intent train" if target == "model" else "shopguide catalog index"
    assert rebuild in log, log
