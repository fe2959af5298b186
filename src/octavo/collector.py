"""Python's cyclic garbage collector run less often while a book is built.

A layout makes millions of small container objects (WeasyPrint's boxes and styles, octavo's
line items) that live until their piece is written. With the default thresholds each 700 new
objects start a young pass, and the passes add up to a full one that walks the whole heap:
23 full passes in a novel's one-process build, about a sixth of its CPU time. The cycles a
layout leaves (a WeasyPrint document is one) are collected after each piece anyway
(``press.chapters.release_memory``), so the collector has little to find in between.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young passes every 50,000 new objects, a full pass after 2,000 of them: a few full passes
# a build instead of dozens, and a young generation of a few megabytes at most.
BUILD_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector's thresholds raised for the ``with`` block (and for the workers forked
    inside it, which inherit them), then put back as they were."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
