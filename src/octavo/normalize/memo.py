"""What the run rules made of each run, kept between builds: a rebuild after an edit rewrites
only the runs the edit changed.

A run rule sees one run alone (:class:`octavo.normalize.rule.RunRule`), so what it makes of
a run is fixed by the run, the rules and their code. The keeper's keys hold the code (the
build's store keys each entry on octavo's sources) and the caller's label holds the rules'
options; each run is found by the digest of its inlines written out in full. JSON, never
pickle: a cache in a book's folder may come from anyone, and an entry that does not read
back as inlines is no entry.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

from ..model import (
    Emphasis,
    Inline,
    InlineDirection,
    InlineSeqFn,
    LineBreak,
    Link,
    NoteRef,
    SmallCaps,
    Strong,
    Text,
)


class Keeper(Protocol):
    """Bytes kept by key between builds (the chapter cache's store)."""

    def get_bytes(self, key: str) -> bytes | None: ...

    def put_bytes(self, key: str, data: bytes) -> None: ...


def encoded(inlines: tuple[Inline, ...]) -> list[Any]:
    """Inlines as JSON values: a text as its string, any other node as a list led by its
    kind."""
    out: list[Any] = []
    for node in inlines:
        match node:
            case Text(text=text):
                out.append(text)
            case Emphasis(children=children):
                out.append(["em", encoded(children)])
            case Strong(children=children):
                out.append(["strong", encoded(children)])
            case SmallCaps(children=children):
                out.append(["sc", encoded(children)])
            case InlineDirection(children=children):
                out.append(["dir", encoded(children)])
            case Link(href=href, children=children):
                out.append(["a", href, encoded(children)])
            case LineBreak():
                out.append(["br"])
            case NoteRef(id=ref):
                out.append(["note", ref])
            case _:
                raise TypeError(f"not an inline: {node!r}")
    return out


_CONTAINERS: dict[str, type[Emphasis | Strong | SmallCaps | InlineDirection]] = {
    "em": Emphasis, "strong": Strong, "sc": SmallCaps, "dir": InlineDirection}


def decoded(values: list[Any]) -> tuple[Inline, ...]:
    """The inlines ``encoded`` wrote (ValueError for anything else)."""
    out: list[Inline] = []
    for value in values:
        if isinstance(value, str):
            out.append(Text(value))
            continue
        if not isinstance(value, list) or not value:
            raise ValueError("not an inline")
        kind = value[0]
        if kind in _CONTAINERS and len(value) == 2 and isinstance(value[1], list):
            out.append(_CONTAINERS[kind](decoded(value[1])))
        elif kind == "a" and len(value) == 3 and isinstance(value[1], str) \
                and isinstance(value[2], list):
            out.append(Link(value[1], decoded(value[2])))
        elif kind == "br" and len(value) == 1:
            out.append(LineBreak())
        elif kind == "note" and len(value) == 2 and isinstance(value[1], str):
            out.append(NoteRef(value[1]))
        else:
            raise ValueError("not an inline")
    return tuple(out)


class RunMemo:
    """A run function's results, found in ``keeper`` under ``key`` and kept there again with
    the runs of this build (so the entry holds one book's runs, not every edit's)."""

    def __init__(self, run: InlineSeqFn, keeper: Keeper, key: str) -> None:
        self.run, self.keeper, self.key = run, keeper, key
        self.found: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.made = 0
        kept = keeper.get_bytes(key)
        if kept is not None:
            try:
                loaded = json.loads(kept)
            except ValueError:
                loaded = None
            if isinstance(loaded, dict):
                self.found = loaded

    def __call__(self, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        digest = hashlib.sha256(json.dumps(encoded(inlines), ensure_ascii=False)
                                .encode("utf-8", "surrogatepass")).hexdigest()
        if digest in self.found:
            try:
                result = decoded(self.found[digest])
            except (ValueError, TypeError):
                result = None
            if result is not None:
                self.used[digest] = self.found[digest]
                return result
        result = self.run(inlines)
        self.used[digest] = encoded(result)
        self.made += 1
        return result

    def keep(self) -> None:
        """Write the runs of this build back, when any was made anew."""
        if self.made or len(self.used) != len(self.found):
            self.keeper.put_bytes(self.key, json.dumps(self.used, ensure_ascii=False,
                                                       sort_keys=True)
                                  .encode("utf-8", "surrogatepass"))
