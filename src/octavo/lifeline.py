"""Worker processes end with the process that started them.

A pool's worker waits for its next task on a pipe whose writing end it holds itself (a forked
worker inherits every descriptor of its parent, and so do its siblings): when the build is
killed (``kill -9``, the out-of-memory killer) nothing ever closes that pipe, and the workers
go on laying out their chapters and then wait, blocked, for ever. So each worker asks the
kernel to kill it when its parent dies (Linux), or watches its parent from a thread
(elsewhere).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 0.5  # seconds between looks at the parent, where the kernel cannot watch


def _kill_on_parent_death() -> bool:
    """Ask Linux to SIGKILL this process when the thread that started it ends (the pools
    start their workers from the thread that then uses and closes them); False where it
    cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def tie_to_parent(parent: int) -> None:
    """End this process when ``parent`` (the process that started it) dies, or now if it
    already has (it may die before the worker asked: the check after the ask closes that
    gap)."""
    if not _kill_on_parent_death():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                         name="octavo-parent-watch").start()
    if os.getppid() != parent:
        os._exit(1)


def start_worker(parent: int, then: Callable[[], None] | None = None) -> None:
    """A pool's initializer: tied to ``parent``, then ``then`` (the pool's own start)."""
    tie_to_parent(parent)
    if then is not None:
        then()
