"""A Ray session for the parallel jobs: connect to a cluster, or start Ray on this machine.

Used by ``shopguide catalog index --engine ray`` (:mod:`catalog.ray_embed`) and ``shopguide batch score --engine
ray``. Importing this module imports Ray: import it only when a Ray engine runs.

Example:
    >>> default_workers(2), default_workers(16)
    (1, 15)
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

import ray

from intent.errors import ConfigError

__all__ = ["ray_session", "default_workers"]

log = logging.getLogger(__name__)


def default_workers(cpus: float) -> int:
    """Worker actors for ``cpus`` CPUs: all but one, which reading and writing need (at least 1)."""
    return max(1, int(cpus) - 1)


@contextlib.contextmanager
def ray_session(address: str | None, num_cpus: int | None, workers: int | None) -> Iterator[int]:
    """Connect to the Ray cluster at ``address`` (the CLI fills it from ``--address`` or ``$RAY_ADDRESS``), or
    start Ray on this machine (``address=None``: always a fresh local instance); yields the worker actors to use. A Ray that is already initialised (a test, a
    notebook) is used as it is and left running.

    Local mode starts Ray with ``num_cpus`` (default: this machine's CPUs), raised to ``workers + 1`` when
    needed: each actor holds one logical CPU, and reading and writing need one more, or the job would wait
    forever. On a cluster, ``workers`` must leave a CPU free in the same way.
    """
    started = False
    if not ray.is_initialized():
        opts: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
        if address:
            try:
                ray.init(address=address, **opts)
            except (ConnectionError, ValueError, RuntimeError, TimeoutError) as exc:
                raise ConfigError(f"cannot connect to the Ray cluster at {address}: {exc}",
                                  hint="check --address (ray://head:10001, or auto with a running cluster) and "
                                       "$RAY_ADDRESS; leave both unset to run Ray on this machine") from None
        else:
            cpus = num_cpus or os.cpu_count() or 1
            ray.init(address="local", num_cpus=max(cpus, (workers or default_workers(cpus)) + 1), **opts)
        started = True
    try:
        cpus = float(ray.cluster_resources().get("CPU", 1))
        n = workers or default_workers(cpus)
        if n >= cpus:
            raise ConfigError(f"--workers {n} would hold all {cpus:g} CPUs of the Ray cluster, leaving none to "
                              "read and write the data", hint=f"use --workers {default_workers(cpus)} or fewer")
        yield n
    finally:
        if started:
            ray.shutdown()
