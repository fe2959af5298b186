"""Which characters no optional ligature can touch, read from a font's GSUB: texts of them
measure alike with ligatures on or off, so a flexed paragraph reuses the widths and items
of the paragraph set without flex."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from octavo.press import lines
from octavo.press.lines import Typesetting, paragraph_items
from octavo.press.paragraph_context import Context
from octavo.press.shaping import FontFace, TextMeasurer, ligature_free_characters
from shapecalls import shaped_text, shaping_calls

STYLES = Path(__file__).resolve().parents[2] / "styles"
FONTS = [STYLES / "classic/fonts/EBGaramond12-Regular.ttf",
         STYLES / "classic/fonts/EBGaramond12-Italic.ttf",
         STYLES / "classic/fonts/EBGaramondSC12-Regular.ttf",
         STYLES / "modern/fonts/Vollkorn-Regular.ttf",
         STYLES / "modern/fonts/GentiumPlus-Regular.ttf"]
# Words with the letters ligatures are made of, and others.
WORDS = ("office", "affluent", "find", "fly", "The", "Then", "first", "act", "Quy", "wish",
         "stay", "character", "whom", "gentleman", "cannot", "married", "know", "young",
         "Bingley", "sister", "twenty", "Elizabeth", "Netherfield", "civility", "quiet")


@pytest.mark.parametrize("font", FONTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("features", [{}, {"onum": 1}, {"dlig": 1}, {"smcp": 1}])
def test_texts_of_free_characters_shape_alike_with_ligatures_or_not(
        font: Path, features: dict[str, int]) -> None:
    data = font.read_bytes()
    face = FontFace.from_bytes(data, 16.0, features)
    without = replace(face, ligatures=False)
    free = ligature_free_characters(data, face.features)
    assert "f" not in free and {"a", "e", "n", "o", " "} <= free
    measurer = TextMeasurer(widths={})
    rng = random.Random(11)
    alphabet = sorted(free)
    letters = sorted(free.intersection("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-'"))
    texts = [w for w in WORDS if free.issuperset(w)]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
              for _ in range(500)]
    texts += ["".join(rng.choice(letters) for _ in range(rng.randint(2, 12)))
              for _ in range(2000)]
    for text in texts:
        assert measurer.shape(face, text) == measurer.shape(without, text), text
    # The face's ligatures are real: some word is set otherwise without them.
    if "smcp" not in features and font.stem in ("EBGaramond12-Regular", "Vollkorn-Regular"):
        assert any(measurer.shape(face, w) != measurer.shape(without, w) for w in WORDS)


def test_only_the_characters_a_ligature_needs_are_kept_out() -> None:
    """EB Garamond's fi, ff, fl, Th (dlig), Qu: one character of each is kept out, not
    every letter a contextual rule names."""
    data = FONTS[0].read_bytes()
    free = ligature_free_characters(data, (("onum", 1),))
    assert not {"f", "T", "Q"} & free
    assert set("abcdeghiklmnoprsuvwxyz") <= free


@pytest.fixture()
def shaped(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts HarfBuzz is asked to shape, from stores that start empty."""
    return shaping_calls(monkeypatch, lambda _font, buf, _features: shaped_text(buf))


def test_a_flexed_paragraph_shapes_only_its_words_with_ligatures_again(
        shaped: list[str]) -> None:
    face = FontFace.from_bytes(FONTS[0].read_bytes(), 16.0, {"onum": 1})
    ctx = Context(300.0, 0.0, {0: face}, {0: face}, True, (5, 2, 2), "-", "en")
    chars = [(ch, 0) for ch in " ".join(WORDS * 2)]
    hyphenated = paragraph_items(chars, ctx.faces, ctx, TextMeasurer(), Typesetting(), {},
                                 True, False)
    before = len(shaped)
    flexed = paragraph_items(chars, ctx.faces, ctx, TextMeasurer(), Typesetting(), {},
                             True, True)
    free = ligature_free_characters(face.data, face.features)
    again = shaped[before:]
    assert again and all(not free.issuperset(text) for text in again)
    # The same widths in words where no ligature forms; letters that stretch and shrink.
    assert flexed[1] == hyphenated[1]
    text = "".join(ch for ch, _ in chars)
    same = 0
    for (start, _, kind), plain, flex in zip(flexed[1], hyphenated[0], flexed[0],
                                             strict=True):
        word = text[text.rfind(" ", 0, start) + 1:].split(" ")[0]
        assert isinstance(flex, lines.Box) == isinstance(plain, lines.Box) == (kind == "box")
        if kind == "box" and free.issuperset(word):
            assert flex.width == plain.width and flex.stretch > 0 == plain.stretch
            same += 1
    assert same > len(WORDS)
