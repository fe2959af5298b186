"""tinyhtml5's tokenizer patterns kept by their characters (``press.html_parsing``): the same
tree, a pattern made once per set of characters rather than once per run of text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Any

import pytest

DOCUMENT = "".join(
    f'<p class="c{n % 3}" title=\'t{n}\' data-x="a&amp;b">Run {n} &amp; more <em>text</em>'
    f"<!-- c{n} --> &lt;{n}&gt;\u00a0and\u0000 more<br/></p>" for n in range(300))
HTML = f"<!DOCTYPE html><html><head><title>T</title></head><body>{DOCUMENT}</body></html>"


def parsed() -> bytes:
    import tinyhtml5

    tree: Any = tinyhtml5.parse(HTML)
    return ElementTree.tostring(tree)


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    original = re.compile

    def counted(pattern: Any, flags: int = 0) -> Any:
        made.append(pattern)
        return original(pattern, flags)

    from tinyhtml5 import inputstream

    monkeypatch.setattr(inputstream.re, "compile", counted)
    return made


def test_the_same_tree_and_each_pattern_made_once(monkeypatch: pytest.MonkeyPatch,
                                                   compiled: list[str]) -> None:
    from tinyhtml5 import inputstream

    from octavo.press.html_parsing import keep_tokenizer_patterns

    monkeypatch.setattr(inputstream, "characters_until_regex", {})
    stock = parsed()
    assert len(compiled) > 1000  # tinyhtml5's own cache misses: a pattern a run of text
    compiled.clear()
    keep_tokenizer_patterns()
    assert parsed() == stock
    assert 0 < len(compiled) <= 12
    assert parsed() == stock
    assert 0 < len(compiled) <= 12


def test_laying_out_with_octavo_keeps_them() -> None:
    from tinyhtml5 import inputstream

    from octavo.press import user_agent
    from octavo.press.html_parsing import _PatternsByCharacters

    assert user_agent.BookHTML
    assert isinstance(inputstream.characters_until_regex, _PatternsByCharacters)
