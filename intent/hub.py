"""Loading Hugging Face models from a folder, the local cache or the hub — failing fast when offline.

Shared by the GPT-2 encoder (``intent.encoders.gpt2``) and the transformers reply writer
(``chatbot.llm.writers``): a folder is loaded as is; a hub id is tried in the local Hugging Face cache first, and
the hub is asked only when a quick connection check says it answers (``HF_HUB_OFFLINE`` set: never), so an
offline machine gets its error in seconds, not after minutes of retries.

Example:
    >>> calls = []
    >>> from_folder_cache_or_hub(lambda **kw: calls.append(kw) or "model", is_dir=True)
    'model'
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlparse

__all__ = ["hub_reachable", "from_folder_cache_or_hub"]

T = TypeVar("T")


def hub_reachable(timeout: float = 3.0) -> bool:
    """Quick check that the Hugging Face hub answers, so an offline machine fails in seconds, not minutes."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        return False
    try:
        from huggingface_hub import constants  # lazy: only asked when a hub id is not in the local cache

        url = urlparse(constants.ENDPOINT)
    except Exception:  # pragma: no cover - very old huggingface_hub
        url = urlparse("https://huggingface.co")
    try:
        with socket.create_connection((url.hostname, url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


def from_folder_cache_or_hub(load: Callable[..., T], *, is_dir: bool) -> T:
    """``load(**from_pretrained_kwargs)`` for a folder; for a hub id, from the local cache
    (``local_files_only=True``), else from the hub when it answers; ``OSError("Hugging Face hub unreachable")``
    otherwise."""
    if is_dir:
        return load()
    try:
        return load(local_files_only=True)
    except OSError:
        if not hub_reachable():
            raise OSError("Hugging Face hub unreachable") from None
        return load()
