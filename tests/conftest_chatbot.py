"""Chatbot fixtures: a 22-product catalog made in code, a scripted intent model, the catalog engine over
them with the catalog's fake encoder, a ready ChatService and Services, and a live Gradio server.

Fixtures: ``chat_products``, ``chat_products_path``, ``chat_intent_model``, ``chat_engine``, ``chat_parser``,
``chat_settings``, ``chat_store``, ``chat_services``, ``chat_service``, ``chat_server`` (session-scoped live
app on a free localhost port, staff password "s3cret"), ``chat_real_services`` (session-scoped, slow: the
real default intent model and product index, built once into a temporary home). Helpers:
``FakeIntentModel``, ``chat_catalog``, ``start_test_server``.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from pathlib import Path

import pytest

from catalog.products import Product

__all__ = ["FakeIntentModel", "chat_catalog", "start_test_server", "chromium_page", "chat_products", "chat_products_path",
           "chat_intent_model", "chat_engine", "chat_parser", "chat_settings", "chat_store", "chat_services",
           "chat_service", "chat_server", "chat_real_services"]

STAFF_PASSWORD = "s3cret"


class FakeIntentModel:
    """Scripted stages: buying words → ready (P(buy) 0.9), browsing words → browse (0.1), anything else consider
    (0.4)."""

    version = "fake-intent-1"
    BUY = re.compile(r"买|下单|就要|要了|付款|buy|order|checkout|take it", re.I)
    BROWSE = re.compile(r"看看|逛逛|随便|browse|just looking", re.I)

    def score(self, text: str) -> float:
        if self.BUY.search(text):
            return 0.9
        if self.BROWSE.search(text):
            return 0.1
        return 0.4

    def predict(self, texts):
        """Stage distributions whose P(buy) is :meth:`score`: buying → ready, browsing → browse, else consider."""
        from intent.stages import StagePrediction

        out = []
        for t in texts:
            p = self.score(t)
            probs = ({"browse": 0.03, "consider": 0.1, "ready": 0.85, "service": 0.02} if p == 0.9 else
                     {"browse": 0.8, "consider": 0.2, "ready": 0.0, "service": 0.0} if p == 0.1 else
                     {"browse": 0.2, "consider": 0.8, "ready": 0.0, "service": 0.0})
            out.append(StagePrediction.from_probs([probs[s] for s in ("browse", "consider", "ready", "service")]))
        return out


def _p(id, title_zh, title_en, category, subcategory, brand, price, stock, rating, sales, tags=(),
       attributes=None, description=""):
    return Product(id=id, title_zh=title_zh, title_en=title_en, category=category, subcategory=subcategory,
                   brand=brand, price=float(price), stock=stock, rating=rating, sales=sales, tags=tuple(tags),
                   attributes=attributes or {}, description=description)


def chat_catalog() -> list[Product]:
    """Running shoes of six brands, earphones of five, phones, laptops, a rice cooker, a cream, a T-shirt."""
    return [
        _p("S1", "李宁 赤兔6 跑步鞋", "Li-Ning Chitu 6 running shoes", "shoes", "跑步鞋", "李宁", 399, 12, 4.7, 5200,
           ("跑步", "缓震"), {"颜色": "黑白", "重量": "约220克"}, "轻便透气的跑步鞋，适合日常慢跑。"),
        _p("S2", "耐克 飞马40 跑步鞋", "Nike Pegasus 40 running shoes", "shoes", "跑步鞋", "耐克", 799, 3, 4.8, 9100,
           ("跑步", "回弹"), {"颜色": "蓝色"}, "经典跑步鞋，回弹好。"),
        _p("S3", "安踏 C202 竞速跑步鞋", "ANTA C202 racing running shoes", "shoes", "跑步鞋", "安踏", 459, 30, 4.3,
           400, ("跑步", "竞速"), {}, "竞速跑步鞋，碳板推进。"),
        _p("S4", "李宁 飞电 碳板跑步鞋", "Li-Ning Feidian carbon running shoes", "shoes", "跑步鞋", "李宁", 899, 5,
           4.9, 2100, ("跑步", "碳板"), {}, "马拉松跑步鞋。"),
        _p("S5", "亚瑟士 GEL-KAYANO 跑步鞋", "ASICS GEL-KAYANO running shoes", "shoes", "跑步鞋", "亚瑟士", 1099, 0,
           4.8, 3000, ("跑步", "稳定"), {}, "稳定支撑跑步鞋。"),
        _p("S6", "特步 160X 跑步鞋", "Xtep 160X running shoes", "shoes", "跑步鞋", "特步", 299, 40, 4.5, 7000,
           ("跑步",), {}, "入门竞速跑步鞋。"),
        _p("S7", "回力 经典帆布鞋", "Warrior classic canvas shoes", "shoes", "帆布鞋", "回力", 129, 50, 4.4, 20000,
           ("百搭",), {}, "百搭小白鞋。"),
        _p("E1", "Apple AirPods Pro 2 降噪耳机", "Apple AirPods Pro 2", "earphones", "真无线耳机", "Apple", 1899, 9,
           4.8, 25000, ("降噪",), {"续航": "6小时"}, "主动降噪，空间音频。"),
        _p("E2", "索尼 WH-1000XM5 头戴降噪耳机", "Sony WH-1000XM5 headphones", "earphones", "头戴式耳机", "索尼",
           2699, 6, 4.9, 8000, ("降噪",), {}, "旗舰降噪头戴耳机。"),
        _p("E3", "小米 Buds 4 Pro 降噪耳机", "Xiaomi Buds 4 Pro", "earphones", "真无线耳机", "小米", 799, 20, 4.6,
           15000, ("降噪",), {}, "小米真无线降噪耳机。"),
        _p("E4", "漫步者 Lolli3 蓝牙耳机", "Edifier Lolli3 earbuds", "earphones", "真无线耳机", "漫步者", 199, 80,
           4.5, 30000, ("性价比",), {}, "性价比真无线蓝牙耳机。"),
        _p("E5", "华为 FreeBuds 5 降噪耳机", "HUAWEI FreeBuds 5", "earphones", "真无线耳机", "华为", 999, 14, 4.7,
           12000, ("降噪",), {}, "华为半入耳降噪耳机。"),
        _p("P1", "Apple iPhone 15 手机 128GB", "Apple iPhone 15 128GB", "phones", "智能手机", "Apple", 5999, 20,
           4.8, 50000, ("拍照",), {"存储": "128GB"}, "A16 芯片，灵动岛。"),
        _p("P2", "华为 Mate 60 Pro 手机", "HUAWEI Mate 60 Pro", "phones", "智能手机", "华为", 6999, 8, 4.9, 40000,
           ("卫星通话",), {}, "卫星通话，麒麟芯片。"),
        _p("P3", "小米 14 手机 徕卡影像", "Xiaomi 14 Leica", "phones", "智能手机", "小米", 3999, 15, 4.7, 30000,
           ("拍照",), {}, "徕卡光学镜头。"),
        _p("P4", "Redmi Note 13 手机", "Redmi Note 13", "phones", "智能手机", "小米", 1299, 60, 4.5, 60000,
           ("性价比",), {}, "千元性价比手机。"),
        _p("L1", "联想 小新 Pro 14 笔记本电脑", "Lenovo Xiaoxin Pro 14 laptop", "laptops", "轻薄本", "联想", 4999,
           10, 4.7, 9000, ("轻薄",), {}, "轻薄办公笔记本。"),
        _p("L2", "Apple MacBook Air 13 笔记本电脑", "Apple MacBook Air 13 laptop", "laptops", "轻薄本", "Apple",
           7999, 7, 4.8, 11000, ("轻薄",), {}, "M3 芯片轻薄本。"),
        _p("K1", "九阳 电饭煲 4L", "Joyoung rice cooker 4L", "kitchen", "电饭煲", "九阳", 299, 7, 4.6, 12000,
           ("家用",), {}, "智能预约电饭煲。"),
        _p("B1", "欧莱雅 复颜 面霜", "L'Oreal Revitalift face cream", "skincare", "面霜", "欧莱雅", 199, 25, 4.6,
           15000, ("保湿",), {}, "抗皱保湿面霜。"),
        _p("C1", "李宁 速干 运动T恤", "Li-Ning quick-dry sports T-shirt", "clothing", "T恤", "李宁", 129, 100, 4.5,
           8000, ("速干",), {}, "跑步训练穿的速干T恤。"),
        _p("X1", "<script>alert('x')</script> 测试 & 商品", "<b>Test</b> & item", "kitchen", "锅具", "测试<牌>",
           59, 3, 4.0, 10, (), {}, "<img src=x onerror=alert(1)> 描述"),
    ]


@pytest.fixture(scope="session")
def chat_products() -> list[Product]:
    return chat_catalog()


@pytest.fixture(scope="session")
def chat_products_path(tmp_path_factory, chat_products) -> Path:
    path = tmp_path_factory.mktemp("chat_catalog") / "products.jsonl"
    path.write_text("".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in chat_products),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def chat_intent_model() -> FakeIntentModel:
    return FakeIntentModel()


@pytest.fixture(scope="session")
def chat_engine(chat_products_path, tmp_path_factory):
    """The real CatalogEngine over the tiny catalog, with the catalog tests' fake encoder."""
    from conftest_catalog import FakeEncoder

    from catalog.engine import CatalogEngine

    return CatalogEngine.open(chat_products_path, tmp_path_factory.mktemp("chat_index"), FakeEncoder())


@pytest.fixture(scope="session")
def chat_parser(chat_engine):
    from chatbot.service.wiring import catalog_parser

    return catalog_parser(chat_engine)


@pytest.fixture
def chat_settings(tmp_path):
    from chatbot.settings import Settings

    return Settings(home=tmp_path, staff_password=STAFF_PASSWORD)


@pytest.fixture
def chat_store(tmp_path):
    from chatbot.service.store import Store

    store = Store(tmp_path / "chat.db")
    yield store
    store.close()


@pytest.fixture
def chat_services(chat_settings, chat_intent_model, chat_engine, chat_store):
    from chatbot.service.wiring import Services

    return Services(chat_settings, intent_model=chat_intent_model, engine=chat_engine, store=chat_store)


@pytest.fixture
def chat_service(chat_services):
    return chat_services.chat


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@contextlib.contextmanager
def chromium_page(url: str, width: int = 1200, height: int = 1400):
    """A page of Debian's headless chromium (through Playwright) opened at ``url``. A missing browser fails the
    test (CI installs it); it is never a silent skip."""
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is not installed at /usr/bin/chromium: run 'apt-get install -y chromium "
                    "chromium-driver' (the README's test command does), or deselect with -m 'not browser'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(30_000)
            page.goto(url)
            yield page
        finally:
            browser.close()


def start_test_server(services, host: str = "127.0.0.1"):
    """Start the full app (shopper page + staff console) on a free port; returns the server handle."""
    from chatbot.web.server import start

    return start(services, host=host, port=0)


@pytest.fixture(scope="session")
def chat_server(tmp_path_factory, chat_intent_model, chat_engine):
    """A live app on a free localhost port with the fake model, the tiny catalog and its own database."""
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    home = tmp_path_factory.mktemp("server_home")
    settings = Settings(home=home, staff_password=STAFF_PASSWORD, concurrency_limit=4)
    services = Services(settings, intent_model=chat_intent_model, engine=chat_engine)
    server = start_test_server(services)
    yield server
    server.close()


@pytest.fixture(scope="session")
def chat_real_services(request, tmp_path_factory):
    """The real app objects with the default settings and their own database. The default intent model and
    product index (minutes on a CPU to build) come from the reliability fixture ``rel_home`` when it is
    wired in, so one test session builds them once; otherwise they are built here."""
    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    try:
        home = request.getfixturevalue("rel_home")
    except pytest.FixtureLookupError:
        home = tmp_path_factory.mktemp("real_home")
    db = tmp_path_factory.mktemp("real_db") / "chat.db"
    return Services(Settings(home=home, db=db)).warm_up(progress=False)
