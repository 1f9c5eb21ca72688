"""A/B assignment of shopper sessions to the ``intent``, ``baseline`` or ``placebo`` arm.

The arm is a pure function of the experiment name and the session id: ``sha256("experiment:session_id")``
read as a number u in [0, 1) and compared with the configured shares — ``intent`` when u < intent_share,
``placebo`` when u < intent_share + placebo_share, else ``baseline``. So:

- it is *deterministic* (the same id gets the same arm in every process, no state needed);
- different experiments give *independent* assignments (the name is part of the hashed text);
- it is *sticky*: the store keeps the first arm of a session (``Store.ensure_session`` never changes it),
  so changing a share mid-experiment does not move running sessions;
- staff can *force* an arm (``Store.force_arm``); forced sessions are excluded from the analysis.

The ``placebo`` arm runs the intent arm's code on a shuffled stage distribution (docs/ab.md): with it a lift can
be attributed to the intent signal rather than to the intent arm's code path. Its share is 0 unless configured
(``Settings.placebo_share``, ``shopguide ab simulate --placebo-share``).

>>> assign_arm("3f2a9c", "intent-vs-baseline-v1") in ARMS
True
>>> assign_arm("3f2a9c", "exp", intent_share=1.0), assign_arm("3f2a9c", "exp", intent_share=0.0)
('intent', 'baseline')
>>> arm_shares(0.4, 0.2)
{'intent': 0.4, 'placebo': 0.2, 'baseline': 0.4}
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from intent.errors import ConfigError

__all__ = ["ARMS", "CONTROL", "TREATMENTS", "arm_shares", "assign_arm", "bucket"]

ARMS = ("intent", "baseline", "placebo")
"""The arms: the intent-aware guide, the rules-only baseline, and the intent guide fed a shuffled stage."""
CONTROL = "baseline"
"""The arm every other arm is compared with."""
TREATMENTS = ("intent", "placebo")
"""The arms compared with :data:`CONTROL`, in report order."""


def bucket(session_id: str, experiment: str) -> float:
    """The session's uniform draw in [0, 1): the first 8 bytes of ``sha256("experiment:session_id")``.

    >>> 0.0 <= bucket("s1", "exp") < 1.0
    True
    """
    digest = hashlib.sha256(f"{experiment}:{session_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def arm_shares(intent_share: float = 0.5, placebo_share: float = 0.0) -> dict[str, float]:
    """The configured share of every arm (``baseline`` gets the rest); :class:`ConfigError` when invalid.

    >>> arm_shares(0.5)
    {'intent': 0.5, 'placebo': 0.0, 'baseline': 0.5}
    """
    for name, share in (("intent_share", intent_share), ("placebo_share", placebo_share)):
        if not 0.0 <= share <= 1.0:
            raise ConfigError(f"{name} must be between 0 and 1, got {share!r}",
                              hint="set the share of sessions in that arm, e.g. 0.5 (intent) or 0.33 (placebo)")
    if intent_share + placebo_share > 1.0 + 1e-12:
        raise ConfigError(f"intent_share + placebo_share must be at most 1, got {intent_share} + {placebo_share}",
                          hint="the baseline arm gets 1 - intent_share - placebo_share")
    return {"intent": float(intent_share), "placebo": float(placebo_share),
            "baseline": max(0.0, round(1.0 - intent_share - placebo_share, 12))}


def assign_arm(session_id: str, experiment: str, intent_share: float | Mapping[str, float] = 0.5,
               placebo_share: float = 0.0) -> str:
    """The arm of ``session_id``: ``"intent"`` with probability ``intent_share``, ``"placebo"`` with
    ``placebo_share``, else ``"baseline"`` (by a stable hash). ``intent_share`` may also be the mapping
    :func:`arm_shares` returns.

    >>> assign_arm("s1", "exp", 0.5) == assign_arm("s1", "exp", 0.5)
    True
    >>> assign_arm("s1", "exp", {"intent": 0.0, "placebo": 1.0, "baseline": 0.0})
    'placebo'
    """
    if isinstance(intent_share, Mapping):
        shares = arm_shares(intent_share.get("intent", 0.0), intent_share.get("placebo", 0.0))
    else:
        shares = arm_shares(intent_share, placebo_share)
    u = bucket(session_id, experiment)
    if u < shares["intent"]:
        return "intent"
    if u < shares["intent"] + shares["placebo"]:
        return "placebo"
    return CONTROL
