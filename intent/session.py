"""Session-level purchase intent from the scores of a shopper's messages.

Rule — *decayed maximum towards the latest score*::

    n = len(scores), last = scores[-1]
    session = max(last, max_i  last + (s_i - last) * decay ** (n - 1 - i))

An earlier hot message keeps the session hot, and its excess over the current message's score fades by
``decay`` per turn: a shopper who said "这个要了" (0.95) two turns ago and now asks "有别的颜色吗" (0.30) is at
0.30 + 0.65 * 0.7² = 0.6185 — still warm, cooling. The session score never falls below the latest message's
score, and a hot latest message counts in full. ``decay`` = 0 gives the latest score; ``decay`` = 1 the
running maximum.

>>> round(session_intent([0.95, 0.4, 0.3]), 4)
0.6185
>>> session_intent([0.2, 0.9])
0.9
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["session_intent"]


def session_intent(scores: Sequence[float | None], decay: float = 0.7) -> float:
    """Session P(buy) from per-message P(buy) in chat order (oldest first).

    ``None``/NaN entries (messages that could not be scored, e.g. empty) are skipped; no scores → 0.0.
    Raises ``ValueError`` for a decay outside [0, 1] or a score outside [0, 1].
    """
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"decay must be in [0, 1], got {decay}")
    vals = [float(s) for s in scores if s is not None and not (isinstance(s, float) and math.isnan(s))]
    for s in vals:
        if not 0.0 <= s <= 1.0:
            raise ValueError(f"scores must be probabilities in [0, 1], got {s}")
    if not vals:
        return 0.0
    last = vals[-1]
    best = last
    n = len(vals)
    for i, s in enumerate(vals[:-1]):
        if s > last:
            best = max(best, last + (s - last) * decay ** (n - 1 - i))
    return min(1.0, best)
