"""Running one function over many workbooks in forked worker processes, in order.

Parsing and patching workbooks is CPU-bound, so threads would not help. Forking is only safe
without other threads (a server's) and needs no `__main__` guard in the caller, unlike spawning;
elsewhere, and for few workbooks, the work runs in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["MAX_WORKERS", "PARALLEL_FROM", "in_workers"]

PARALLEL_FROM = 32  # workbooks per worker process below which one process is faster
MAX_WORKERS = 8

_T = TypeVar("_T")
_R = TypeVar("_R")

_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # a worker's, given at its fork


def in_workers(function: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    """`[function(item) for item in items]`, shared out among forked workers when worthwhile.

    The workers are forked holding the items and are sent only indexes: pickling the items
    (200,000 cell changes for a first sync) would cost more than a second.
    """
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(items) // PARALLEL_FROM)
    if workers > 1 and sys.platform == "linux" and threading.active_count() == 1:
        with ProcessPoolExecutor(
            workers,
            mp_context=mp.get_context("fork"),
            initializer=_take,
            initargs=(function, items),
        ) as pool:
            chunk = max(1, len(items) // (workers * 8))
            return list(pool.map(_run, range(len(items)), chunksize=chunk))
    return [function(item) for item in items]


def _take(function: Callable[[Any], Any], items: Sequence[Any]) -> None:
    global _TASK
    _TASK = (function, items)


def _run(index: int) -> Any:
    assert _TASK is not None
    function, items = _TASK
    return function(items[index])
