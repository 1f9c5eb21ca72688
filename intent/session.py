"""Session-level purchase stage from a shopper's messages and behaviour.

Rule — *decaying evidence*. A session is a timeline of observations, oldest first: messages (each with its
stage distribution from the intent model) and page events (``click`` = a product view, ``add_to_cart``,
``remove``, ``purchase``). Evidence is a vector over the four stages that starts at a weak uniform prior
(``PRIOR`` per stage). For each observation, in order:

1. the evidence so far is multiplied by ``decay`` (older turns count less) and by ``0.5 ** (gap / half_life)``
   where ``gap`` is the time since the previous observation (a shopper back after an hour is judged mostly on
   what they do now);
2. the observation adds its weight to its stages: a message adds its stage distribution (weight 1); a ``click``
   adds ``EVENT_WEIGHTS["click"]`` to ``consider``; ``add_to_cart`` adds to ``ready``; ``remove`` to ``consider``;
   a ``purchase`` adds to ``service`` (the shopper has now ordered: what follows is after-sales unless they buy
   again) after damping all earlier evidence by ``PURCHASE_RESET``.

The session distribution is the evidence normalised to sum 1, and the session ``score`` is its P(buy)
(:func:`intent.stages.buy_score`). A shopper who said "这个要了" (ready 0.9) two turns ago and now asks "有别的颜色吗"
(consider 0.8) is still mostly ready-or-consider, cooling; one who put a product in the cart is ready even while
asking a detail question.

>>> hot = {"browse": 0.02, "consider": 0.06, "ready": 0.9, "service": 0.02}
>>> ask = {"browse": 0.1, "consider": 0.8, "ready": 0.05, "service": 0.05}
>>> s = session_stage([Observation("message", hot), Observation("message", ask)])
>>> max(s, key=s.get), round(s["ready"], 2)
('consider', 0.38)
>>> s = session_stage([Observation("message", ask), Observation("add_to_cart")])
>>> max(s, key=s.get)
'ready'

The older score-only rule (:func:`session_intent`, a decayed maximum of message P(buy)) stays for models that
give only a score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from intent.stages import STAGES

__all__ = ["Observation", "session_stage", "session_intent", "EVENT_WEIGHTS", "PRIOR", "PURCHASE_RESET"]

EVENT_WEIGHTS: Mapping[str, tuple[str, float]] = {
    "click": ("consider", 0.5),
    "add_to_cart": ("ready", 2.0),
    "remove": ("consider", 0.3),
    "purchase": ("service", 1.0),
}
"""Page events as evidence: (stage, weight). Impressions (products shown) say nothing about the shopper."""

PRIOR = 0.05
"""Weak uniform prior per stage: an empty session is 25 % each; one message dominates it."""

PURCHASE_RESET = 0.2
"""Evidence before a purchase is multiplied by this when the purchase is observed."""


@dataclass(frozen=True)
class Observation:
    """One step of a session: a ``message`` with its stage distribution, or a page event; ``at`` in seconds."""

    kind: str
    probs: Mapping[str, float] | None = None
    at: float | None = None


def session_stage(timeline: Sequence[Observation], *, decay: float = 0.7,
                  half_life_s: float = 1800.0) -> dict[str, float]:
    """The session's stage distribution after ``timeline`` (see the module docstring for the rule).

    Unknown event kinds (``impression``) and messages without probabilities are skipped. Raises
    ``ValueError`` for a decay outside [0, 1] or a half-life <= 0.
    """
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"decay must be in [0, 1], got {decay}")
    if not half_life_s > 0:
        raise ValueError(f"half_life_s must be > 0, got {half_life_s}")
    evidence = dict.fromkeys(STAGES, 0.0)
    last_at: float | None = None
    for obs in timeline:
        if obs.kind == "message":
            if not obs.probs:
                continue
        elif obs.kind not in EVENT_WEIGHTS:
            continue
        factor = decay
        if obs.at is not None and last_at is not None and obs.at > last_at:
            factor *= 0.5 ** ((obs.at - last_at) / half_life_s)
        if obs.kind == "purchase":
            factor *= PURCHASE_RESET
        for s in STAGES:
            evidence[s] *= factor
        if obs.kind == "message":
            for s in STAGES:
                p = float(obs.probs.get(s, 0.0))
                if not (0.0 <= p <= 1.0) or math.isnan(p):
                    raise ValueError(f"stage probabilities must be in [0, 1], got {s}={p}")
                evidence[s] += p
        else:
            stage, weight = EVENT_WEIGHTS[obs.kind]
            evidence[stage] += weight
        if obs.at is not None:
            last_at = obs.at
    total = sum(evidence.values()) + PRIOR * len(STAGES)
    return {s: (evidence[s] + PRIOR) / total for s in STAGES}


def session_intent(scores: Sequence[float | None], decay: float = 0.7) -> float:
    """Session P(buy) from per-message P(buy) only: a decayed maximum towards the latest score.

    ``session = max(last, max_i last + (s_i - last) * decay ** (n - 1 - i))``: an earlier hot message keeps the
    session hot and its excess fades by ``decay`` per turn; the result never falls below the latest score.
    ``None``/NaN entries are skipped; no scores → 0.0. Raises ``ValueError`` for a decay outside [0, 1] or a
    score outside [0, 1].

    >>> round(session_intent([0.95, 0.4, 0.3]), 4)
    0.6185
    >>> session_intent([0.2, 0.9])
    0.9
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
