"""The shop's service policy: the help texts of the after-sales path and the delivery promise.

A short JSON file shipped with the catalog data (``catalog/data/policy.json`` for the embedded demo shop;
a ``policy.json`` next to a shop's own catalog file replaces it). The guide quotes these texts; it never
writes a promise of its own, so a shop changes its terms here and nowhere else.

    >>> policy = load_policy()
    >>> sorted(policy.topics)[:3], "48" in policy.delivery_text("zh")
    (['exchange', 'general', 'invoice'], True)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from catalog.errors import CatalogImportError

__all__ = ["ShopPolicy", "load_policy", "policy_path_for", "TOPICS"]

log = logging.getLogger(__name__)

TOPICS = ("return", "refund", "invoice", "shipping", "warranty", "exchange", "price_protection", "general")
"""The after-sales topics a policy answers (``general`` is the fallback)."""


@dataclass(frozen=True)
class ShopPolicy:
    """Help text per after-sales topic and the delivery promise, each as ``{"zh": ..., "en": ...}``."""

    topics: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    delivery: Mapping[str, str] = field(default_factory=dict)
    source: str = ""

    def topic_text(self, topic: str | None, lang: str) -> str:
        """The help text of ``topic`` in ``lang`` (the ``general`` text for an unknown topic)."""
        entry = self.topics.get(topic or "general") or self.topics.get("general") or {}
        return entry.get(lang) or entry.get("zh") or ""

    def delivery_text(self, lang: str) -> str:
        """The delivery promise in ``lang`` ("" when the shop states none)."""
        return self.delivery.get(lang) or self.delivery.get("zh") or ""


def _bilingual(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise CatalogImportError(f"{where}: expected {{\"zh\": text, \"en\": text}}, got {value!r:.80}")
    return {str(k): v.strip() for k, v in value.items() if v.strip()}


def load_policy(path: str | Path | None = None) -> ShopPolicy:
    """Read a policy file (None: the embedded demo shop's). A broken file is a :class:`CatalogImportError`
    that names it; an unknown topic is kept (the guide answers the topics it recognises)."""
    if path is None:
        text = resources.files("catalog").joinpath("data/policy.json").read_text(encoding="utf-8")
        source = "embedded"
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogImportError(f"cannot read the shop policy {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogImportError(f"the shop policy {source} is not valid JSON: {exc}",
                                 hint="see catalog/data/policy.json for the format") from exc
    if not isinstance(data, Mapping):
        raise CatalogImportError(f"the shop policy {source} must be a JSON object")
    topics = {str(t): _bilingual(v, f"{source}: topics.{t}") for t, v in (data.get("topics") or {}).items()}
    delivery = _bilingual(data.get("delivery") or {}, f"{source}: delivery")
    return ShopPolicy(topics=topics, delivery=delivery, source=source)


def policy_path_for(products_path: str | Path | None) -> Path | None:
    """The ``policy.json`` next to a shop's catalog file, when there is one (None: use the embedded one)."""
    if products_path is None:
        return None
    candidate = Path(products_path).with_name("policy.json")
    return candidate if candidate.is_file() else None
