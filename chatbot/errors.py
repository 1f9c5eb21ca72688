"""Errors of the chatbot layer (store, app)."""

from __future__ import annotations

from intent.errors import ShopGuideError

__all__ = ["StoreError", "InputError", "AuthError"]


class StoreError(ShopGuideError):
    """The session database cannot be opened or migrated."""


class InputError(ShopGuideError):
    """A shopper or API request is unusable (unknown session, bad event type, ...)."""


class AuthError(ShopGuideError):
    """A staff-only action without valid credentials."""
