"""The letters a page map aligns by (``render.pagemap.letters``): every character
``str.isalnum`` keeps, after NFKC and case folding, whatever the script."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from octavo.render.pagemap import letters


def by_definition(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


CASES = ["It is a truth—universally_acknowledged!", "ﬁne ﬂour, Straße", "posses\u2010sion",
         "e\u0301te\u0301 ⅻ ² ٣ 五 ½", "l’été « déjà »", "", "___", "\u00a0\u200b\t"]


def test_cases() -> None:
    assert letters(CASES[0]) == "itisatruthuniversallyacknowledged"
    assert letters(CASES[1]) == "fineflourstrasse"
    for text in CASES:
        assert letters(text) == by_definition(text)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text(text: str) -> None:
    assert letters(text) == by_definition(text)
