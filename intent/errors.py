"""Domain errors shared by the three packages.

Every error says what was wrong and, in ``hint``, how to fix it. Library code raises these;
the CLI prints them without a traceback and exits non-zero, the UI shows them as ``gr.Error``.

>>> str(ModelNotFoundError("no intent model in /tmp/m", hint="run 'shopguide intent train'"))
"no intent model in /tmp/m\\nhint: run 'shopguide intent train'"
"""

from __future__ import annotations

__all__ = [
    "ShopGuideError",
    "ConfigError",
    "DataError",
    "EncoderError",
    "ModelNotFoundError",
    "ModelMismatchError",
    "ModelCorruptError",
]


class ShopGuideError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nhint: {self.hint}"


class ConfigError(ShopGuideError):
    """A setting or command-line option has an unusable value."""

    exit_code = 2


class DataError(ShopGuideError):
    """An input file (training data, catalog) is missing, unreadable or has bad rows."""


class EncoderError(ShopGuideError):
    """An encoder cannot be built or loaded (unknown name, missing weights, no network for a hub id)."""


class ModelNotFoundError(ShopGuideError):
    """A model or index folder does not exist or lacks its files."""


class ModelMismatchError(ShopGuideError):
    """A saved model or index was built with other settings than the ones in use."""


class ModelCorruptError(ShopGuideError):
    """A saved model or index file exists but cannot be read (truncated, wrong format)."""
