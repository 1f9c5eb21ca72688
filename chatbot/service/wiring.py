"""The composition root: every long-lived object of the app, built lazily, once, thread-safely.

``Services(settings)`` stores the settings and nothing else; each attribute is built on first use under a
lock and cached: ``encoder`` (the product-index encoder), ``intent_model``, ``engine`` (catalog, index and
recommenders), ``store`` (session database) and ``chat`` (the :class:`ChatService`). ``warm_up()`` builds
them all up front (the app calls it before serving) and, on a first run, installs the default intent model
(shipped trained; trained only when it does not fit the install) and builds the default product index (from the
shipped product vectors), with progress shown for anything slow.

Tests inject fakes by passing ready objects: ``Services(settings, intent_model=fake, engine=tiny_engine)``.

    services = Services(Settings(home=tmp_path))
    services.warm_up()
    services.chat.chat(None, "hello")["kind"]
    # -> 'greeting'
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalog.engine import CatalogEngine
from catalog.filters import QueryParser
from chatbot.service.chat import ChatService
from chatbot.service.store import Store
from chatbot.settings import Settings
from intent.encoders import make_encoder
from intent.model import IntentModel, load_or_train_default
from intent.text import get_segmenter

__all__ = ["Services", "catalog_parser"]

log = logging.getLogger(__name__)

def catalog_parser(engine: Any) -> Callable[..., Any]:
    """``parse(text, previous, shown) -> ParsedQuery`` that knows the brands and product lines of the
    engine's catalog (the engine's own parser when it has one)."""
    parser = getattr(engine, "parser", None)
    if parser is None:
        parser = QueryParser(products=list(engine.products))
    return parser.parse if hasattr(parser, "parse") else parser


class Services:
    """Lazily built, cached, thread-safe app objects for one :class:`Settings`."""

    def __init__(self, settings: Settings, *, encoder: Any = None, intent_model: Any = None, engine: Any = None,
                 store: Any = None, parser: Callable[..., Any] | None = None, replier: Any = None) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {"encoder": encoder, "intent_model": intent_model, "engine": engine,
                                       "store": store, "parser": parser, "replier": replier}

    def _get(self, name: str, build: Callable[[], Any]) -> Any:
        value = self._built.get(name)
        if value is not None:
            return value
        with self._lock:
            value = self._built.get(name)
            if value is None:
                started = time.perf_counter()
                value = build()
                log.info("%s ready in %.1fs", name, time.perf_counter() - started)
                self._built[name] = value
        return value

    # --- the objects ------------------------------------------------------------------------------
    @property
    def encoder(self) -> Any:
        """The encoder of the product index (``settings.index_encoder``)."""
        def build():
            return make_encoder(self.settings.index_encoder)

        return self._get("encoder", build)

    @property
    def intent_model(self) -> Any:
        """The intent model: ``settings.model_dir`` if given, else the default one (trained on first run)."""
        def build():
            if self.settings.model_dir is not None:
                return IntentModel.load(self.settings.model_dir)
            return load_or_train_default(self.settings.intent_model_dir, self.settings.encoder)

        return self._get("intent_model", build)

    @property
    def engine(self) -> Any:
        """The catalog engine: products, vector index (built on first run) and the recommenders."""
        def build():
            return CatalogEngine.open(self.settings.catalog_path, self.index_dir, self.encoder,
                                      build_if_missing=True, params=self.settings.ranking,
                                      mapping=self.settings.catalog_map)

        return self._get("engine", build)

    @property
    def index_dir(self) -> Path:
        """Where the product index lives: ``settings.product_index_dir``, except that a ``--catalog`` file
        without an explicit index folder gets its own folder (so it never clashes with the default index), keyed
        by the file's path and its column mapping (two mappings of one file never share an index)."""
        return self.settings.catalog_index_dir

    @property
    def store(self) -> Store:
        """The session database: ``settings.db_url`` (PostgreSQL) or the SQLite file ``settings.db_path``."""
        return self._get("store", lambda: Store(self.settings.db_url or self.settings.db_path))

    @property
    def parser(self) -> Callable[..., Any]:
        """The query parser bound to the catalog (see :func:`catalog_parser`)."""
        return self._get("parser", lambda: catalog_parser(self.engine))

    @property
    def replier(self) -> Any:
        """The LLM reply writer checked against the catalog (``settings.reply_writer``), or None for the
        templates."""
        if self.settings.reply_writer == "template":
            return None

        def build():
            from chatbot.llm.grounded import GroundedReplier
            from chatbot.llm.verify import Verifier
            from chatbot.llm.writers import make_writer

            s = self.settings
            writer = make_writer(s.reply_writer, url=s.llm_url, model=s.llm_model, api_key=s.llm_api_key)
            products = list(self.engine.products)
            verifier = Verifier(known_brands={p.brand for p in products if p.brand},
                                known_titles=[t for p in products for t in (p.title_zh, p.title_en) if t])
            log.info("replies written by %s (checked against the catalog; template after %.0f s or on any "
                     "failed check)", writer.name, s.llm_timeout)
            return GroundedReplier(writer, verifier, timeout=s.llm_timeout)

        return self._get("replier", build)

    @property
    def chat(self) -> ChatService:
        """The :class:`~chatbot.service.chat.ChatService` shared by the page, the API and the simulator."""
        def build():
            return ChatService.from_settings(self.settings, store=self.store, intent_model=self.intent_model,
                                             engine=self.engine, parser=self.parser, replier=self.replier)

        return self._get("chat", build)

    # --- start-up ---------------------------------------------------------------------------------
    def warm_up(self, progress: bool = True) -> Services:
        """Build everything now (segmenter, encoder, index, model, store), logging each step.

        On a first run this installs the default intent model and builds the default product index (seconds
        with the shipped artifacts; minutes for a catalog of your own); progress follows ``intent.progress``
        (a bar on a terminal, a log line every 10 % otherwise).
        """
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("store", lambda: self.store),
            ("segmenter", self._warm_segmenter),
            ("encoder", self._warm_encoder),
            ("product index", self._warm_engine),
            ("intent model", self._warm_intent),
            ("chat service", lambda: self.chat),
        ]
        started = time.perf_counter()
        for i, (label, step) in enumerate(steps, 1):
            if progress:
                log.info("warm-up %d/%d: %s…", i, len(steps), label)
            step()
        if progress:
            log.info("warm-up done in %.1fs", time.perf_counter() - started)
        return self

    def _warm_segmenter(self) -> None:
        get_segmenter().warm_up()

    def _warm_intent(self) -> None:
        model = self.intent_model
        if hasattr(model, "predict"):
            model.predict(["你好"])  # loads lazily built weights (e.g. the fine-tuned e5) before the first shopper

    def _warm_engine(self) -> None:
        engine = self.engine
        if hasattr(engine, "warm_up"):
            engine.warm_up()

    def _warm_encoder(self) -> None:
        if self._built["engine"] is not None and self._built["encoder"] is None:
            return  # an injected engine brings its own encoder
        encoder = self.encoder
        if hasattr(encoder, "warm_up"):
            encoder.warm_up()
