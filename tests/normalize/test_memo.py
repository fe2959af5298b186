"""The normalizer's runs kept between builds: a book normalized from what was kept is the
book normalized anew, and only the runs an edit changed are rewritten."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SEED_TEXT
from octavo.model import (
    Block,
    Book,
    Emphasis,
    Inline,
    InlineDirection,
    LineBreak,
    Link,
    NoteRef,
    Paragraph,
    SmallCaps,
    Strong,
    Text,
    map_blocks,
    map_inline_runs,
)
from octavo.normalize import RULES, normalize
from octavo.normalize.memo import decoded, encoded
from octavo.normalize.rule import RunRule, run_rule
from printbooks import sample_book


class Store:
    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def get_bytes(self, key: str) -> bytes | None:
        return self.kept.get(key)

    def put_bytes(self, key: str, data: bytes) -> None:
        self.kept[key] = data


def counting(calls: list[int]) -> RunRule:
    @run_rule
    def shouted(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        calls.append(1)
        return tuple(Text(n.text.upper()) if isinstance(n, Text) else n for n in inlines)

    return shouted


def runs(book: Book) -> int:
    seen: list[int] = []
    map_inline_runs(book, lambda inlines: seen.append(1) or inlines)
    return len(seen)


def test_every_inline_reads_back_as_written() -> None:
    inlines = (Text("a\ud800 “b”"), Emphasis((Strong((Text("c"),)), LineBreak())),
               SmallCaps((Link("#x", (Text("d"),)),)), InlineDirection((Text("(e)"),)),
               NoteRef("n1"))
    assert decoded(encoded(inlines)) == inlines


def test_a_book_normalized_from_kept_runs_is_the_book_normalized_anew() -> None:
    book = sample_book()
    store = Store()
    fresh, findings = normalize(book)
    assert normalize(book, RULES, store, "en") == (fresh, findings)
    assert store.kept
    assert normalize(book, RULES, store, "en") == (fresh, findings)  # from the store


def test_only_the_edited_run_is_rewritten() -> None:
    book = sample_book()
    calls: list[int] = []
    rules = (counting(calls), *RULES)
    store = Store()
    first, _ = normalize(book, rules, store, "label")
    assert len(calls) == runs(book)
    calls.clear()
    assert normalize(book, rules, store, "label")[0] == first
    assert calls == []
    done: list[int] = []

    def edit_first_paragraph(block: Block) -> Block:
        if isinstance(block, Paragraph) and not done:
            done.append(1)
            return replace(block, inlines=(Text("An edited paragraph."),))
        return block

    edited = map_blocks(book, edit_first_paragraph)
    again, _ = normalize(edited, rules, store, "label")
    assert len(calls) == 1
    assert again == normalize(edited, rules)[0]
    calls.clear()
    normalize(edited, rules, store, "other options")  # another label: nothing found
    assert len(calls) == runs(edited)


def test_a_damaged_entry_is_made_again() -> None:
    book = sample_book()
    store = Store()
    fresh, _ = normalize(book)
    normalize(book, RULES, store, "en")
    for key in store.kept:
        store.kept[key] = store.kept[key][:-20]
    assert normalize(book, RULES, store, "en")[0] == fresh
    for key, data in store.kept.items():
        store.kept[key] = data.replace(b'"', b"'", 3)
    assert normalize(book, RULES, store, "en")[0] == fresh


def test_a_rebuild_after_an_edit_is_the_edited_book_built_from_scratch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from octavo.build import build

    book = tmp_path / "book" / SEED_TEXT.name
    book.parent.mkdir()
    shutil.copyfile(SEED_TEXT, book)
    monkeypatch.setenv("OCTAVO_CACHE_DIR", str(tmp_path / "cache"))
    build(book, tmp_path / "out", workers=1, preflight=False)
    text = book.read_text(encoding="utf-8")
    at = text.index(" the ", len(text) // 2)
    book.write_text(text[:at] + " that " + text[at + len(" the "):], encoding="utf-8")
    rebuilt = build(book, tmp_path / "out", workers=1, preflight=False)
    monkeypatch.setenv("OCTAVO_CACHE_DIR", str(tmp_path / "untouched"))
    scratch = build(book, tmp_path / "scratch", cache=False, workers=1, preflight=False)
    for kind in ("pdf", "epub"):
        assert rebuilt.outputs[kind].read_bytes() == scratch.outputs[kind].read_bytes()
    assert not (tmp_path / "untouched").exists()  # --no-cache keeps no runs either
