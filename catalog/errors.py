"""Catalog and index errors (subclasses of the shared :class:`intent.errors.ShopGuideError`)."""

from __future__ import annotations

from intent.errors import DataError, ModelCorruptError, ModelMismatchError, ModelNotFoundError

__all__ = ["CatalogImportError", "IndexNotFoundError", "IndexMismatchError", "IndexCorruptError"]


class CatalogImportError(DataError):
    """A catalog file cannot be imported (missing file, missing columns, or bad rows in strict mode)."""


class IndexNotFoundError(ModelNotFoundError):
    """No product index at the expected place."""


class IndexMismatchError(ModelMismatchError):
    """The saved index was built with another encoder or another catalog."""


class IndexCorruptError(ModelCorruptError):
    """The saved index files cannot be read."""
