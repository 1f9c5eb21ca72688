"""A/B assignment of shopper sessions to the ``intent`` or the ``baseline`` recommender.

The arm is a pure function of the experiment name and the session id: ``sha256("experiment:session_id")``
read as a number in [0, 1) and compared with the configured share of the ``intent`` arm. So:

- it is *deterministic* (the same id gets the same arm in every process, no state needed);
- different experiments give *independent* assignments (the name is part of the hashed text);
- it is *sticky*: the store keeps the first arm of a session (``Store.ensure_session`` never changes it),
  so changing ``intent_share`` mid-experiment does not move running sessions;
- staff can *force* an arm (``Store.force_arm``); forced sessions are excluded from the analysis.

>>> assign_arm("3f2a9c", "intent-vs-baseline-v1") in ARMS
True
>>> assign_arm("3f2a9c", "exp", intent_share=1.0), assign_arm("3f2a9c", "exp", intent_share=0.0)
('intent', 'baseline')
"""

from __future__ import annotations

import hashlib

from intent.errors import ConfigError

__all__ = ["ARMS", "assign_arm", "bucket"]

ARMS = ("intent", "baseline")
"""The two arms: the intent-weighted recommender and the baseline recommender."""


def bucket(session_id: str, experiment: str) -> float:
    """The session's uniform draw in [0, 1): the first 8 bytes of ``sha256("experiment:session_id")``.

    >>> 0.0 <= bucket("s1", "exp") < 1.0
    True
    """
    digest = hashlib.sha256(f"{experiment}:{session_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign_arm(session_id: str, experiment: str, intent_share: float = 0.5) -> str:
    """``"intent"`` with probability ``intent_share`` (by a stable hash), else ``"baseline"``.

    >>> assign_arm("s1", "exp", 0.5) == assign_arm("s1", "exp", 0.5)
    True
    """
    if not 0.0 <= intent_share <= 1.0:
        raise ConfigError(f"intent_share must be between 0 and 1, got {intent_share!r}",
                          hint="set Settings.intent_share to the share of sessions in the intent arm, e.g. 0.5")
    return ARMS[0] if bucket(session_id, experiment) < intent_share else ARMS[1]
