"""Progress bars for long work: shown on a terminal, silent otherwise (CI, logs, tests)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["progress", "progress_enabled"]

T = TypeVar("T")


def progress_enabled(show: bool | None = None) -> bool:
    """``show`` if given, else: stderr is a terminal and logging is not set quieter than INFO."""
    if show is not None:
        return show
    return sys.stderr.isatty() and logging.getLogger().getEffectiveLevel() <= logging.INFO


def progress(iterable: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it",
             show: bool | None = None) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar when :func:`progress_enabled`; otherwise yield it unchanged."""
    if not progress_enabled(show):
        yield from iterable
        return
    from tqdm.auto import tqdm  # lazy: only a terminal that shows the bar needs it

    yield from tqdm(iterable, desc=desc, total=total, unit=unit, leave=False, dynamic_ncols=True)
