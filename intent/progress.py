"""Progress for long work: a tqdm bar on a terminal; in a log (a server, CI) one line per 10 % with an estimate.

``show=True`` forces the bar, ``show=False`` silences both; ``None`` (the default) picks by where stderr goes.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["progress", "progress_enabled"]

log = logging.getLogger(__name__)

T = TypeVar("T")


def progress_enabled(show: bool | None = None) -> bool:
    """``show`` if given, else: stderr is a terminal and logging is not set quieter than INFO."""
    if show is not None:
        return show
    return sys.stderr.isatty() and logging.getLogger().getEffectiveLevel() <= logging.INFO


def _logged(iterable: Iterable[T], desc: str, total: int, unit: str) -> Iterator[T]:
    """Yield ``iterable``, logging "desc: 30% (36/118 batch), 12 s, about 28 s left" at each tenth."""
    start = time.monotonic()
    next_tenth = 1
    for done, item in enumerate(iterable, 1):
        yield item
        if total and done * 10 >= next_tenth * total:
            elapsed = time.monotonic() - start
            left = elapsed / done * (total - done)
            log.info("%s: %d%% (%d/%d %s), %.0f s, about %.0f s left", desc, 100 * done // total, done, total,
                     unit, elapsed, left)
            next_tenth = done * 10 // total + 1


def progress(iterable: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it",
             show: bool | None = None) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar when :func:`progress_enabled`; when only a log can show it (``show``
    None and stderr not a terminal) log every 10 % with a time estimate; otherwise yield it unchanged."""
    if progress_enabled(show):
        from tqdm.auto import tqdm  # lazy: only a terminal that shows the bar needs it

        yield from tqdm(iterable, desc=desc, total=total, unit=unit, leave=False, dynamic_ncols=True)
        return
    if show is None and total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    if show is None and total and total >= 10:
        yield from _logged(iterable, desc, total, unit)
        return
    yield from iterable
