"""The hyphenation dictionary's points as the line breaker finds them: pyphen's, with fewer
lookups, and only for settings that hyphenate."""

from __future__ import annotations

import random

import pyphen
import pytest

from octavo.press import lines
from octavo.press.hyphenation import dictionary_points
from octavo.press.paragraph_context import Context

WORDS = ("extraordinary", "neighbourhood", "Netherfield", "acknowledged", "a", "", "Élan",
         "İstanbul", "straße", "unconstitutionally", "hyphenation", "lettergrepen", "AIR")


@pytest.mark.parametrize("lang,left,right", [("en", 3, 3), ("en_GB", 2, 2), ("de", 2, 3),
                                             ("nl", 2, 2), ("fr", 1, 1)])
def test_points_are_pyphens(lang: str, left: int, right: int) -> None:
    dic = pyphen.Pyphen(lang=lang, left=left, right=right)
    rng = random.Random(5)
    words = list(WORDS) + ["".join(rng.choice("abcdefghijklmnopqrstuvwxyzäéß")
                                   for _ in range(rng.randint(1, 24))) for _ in range(3000)]
    found = 0
    for word in words:
        points = dictionary_points(dic, word)
        assert points == [int(p) for p in dic.positions(word)], word
        found += len(points)
    assert found > 1000


def test_a_setting_without_hyphenation_looks_no_word_up(
        monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []
    real = lines.dictionary_points

    def counting(dic: pyphen.Pyphen, word: str) -> list[int]:
        looked_up.append(word)
        return real(dic, word)

    monkeypatch.setattr(lines, "dictionary_points", counting)
    monkeypatch.setattr(lines, "_WORD_BREAKS", {})
    monkeypatch.setattr(lines, "_POSITIONS", {})
    ctx = Context(300.0, 0.0, {}, {}, True, (5, 2, 2), "-", "en")
    chars = [(ch, 0) for ch in "extraordinary well-bred"]
    plain = lines.word_breaks(chars, 0, 13, ctx, {}, points=False)
    assert plain == {} and looked_up == []
    assert lines.word_breaks(chars, 14, 23, ctx, {}, points=False) == {19: "hard"}
    hyphenated = lines.word_breaks(chars, 0, 13, ctx, {})
    assert looked_up == ["extraordinary"] and "hyphen" in hyphenated.values()


def test_a_pyphen_that_keeps_its_patterns_elsewhere_gives_the_same_points() -> None:
    class Elsewhere:
        """A Pyphen whose patterns are not where this module reads them."""

        def __init__(self) -> None:
            self.inner = pyphen.Pyphen(lang="en", left=2, right=2)

        def positions(self, word: str) -> list[int]:
            return list(self.inner.positions(word))

    elsewhere = Elsewhere()
    for word in ("extraordinary", "neighbourhood", "a"):
        assert dictionary_points(elsewhere, word) == elsewhere.positions(word)
    assert dictionary_points(elsewhere, "extraordinary")
