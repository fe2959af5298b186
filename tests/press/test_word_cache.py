"""Widths and paragraph items kept for the life of a process: each word is shaped once per
face, and a paragraph's items are what they would be measured afresh."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from octavo.press import lines
from octavo.press.lines import Typesetting, paragraph_items
from octavo.press.paragraph_context import Context
from octavo.press.shaping import FontFace, TextMeasurer
from shapecalls import shaped_text, shaping_calls

FONTS = Path(__file__).resolve().parents[2] / "styles/classic/fonts"


@pytest.fixture()
def shaped(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str, str]]:
    """The texts HarfBuzz is asked to shape (with the font and features), from a store of
    widths that starts empty."""
    return shaping_calls(monkeypatch, lambda font, buf, features: (
        id(font), str(sorted(features.items())), shaped_text(buf)))


def regular(size: float = 16.0, features: dict[str, int] | None = None) -> FontFace:
    return FontFace.from_bytes((FONTS / "EBGaramond12-Regular.ttf").read_bytes(), size,
                               features)


def test_a_word_is_shaped_once_per_face_size_and_features(shaped: list[tuple[int, str, str]]) -> None:
    face = regular()
    # Two measurers: two chapters set one after the other in one worker.
    first, second = TextMeasurer(), TextMeasurer()
    width = first.width(face, "different")
    assert second.width(face, "different") == width
    assert first.width(face, "different") == width
    assert [text for _, _, text in shaped] == ["different"]
    # Another size, other features, another face: shaped again, each once.
    second.width(regular(12.0), "different")
    second.width(regular(features={"liga": 0}), "different")
    second.width(FontFace.from_bytes((FONTS / "EBGaramond12-Italic.ttf").read_bytes(), 16.0),
                 "different")
    for _ in range(3):
        first.width(regular(12.0), "different")
    assert len(shaped) == 4
    assert width == TextMeasurer(widths={}).shape(face, "different")
    assert regular(12.0) != face and second.width(regular(12.0), "different") != width


def _chars(rng: random.Random) -> list[tuple[str, int]]:
    """A paragraph of words that repeat, in two inline paths, with the spaces and breaks
    a novel has: no-break spaces (beside plain ones too), a thin space, hard hyphens, dashes
    and soft hyphens."""
    words = ["different", "affluent", "Mr.\u00a0Darcy", "well-bred", "word\u2014and",
             "ex\u00adtraordinary", "\u00a0!", "\u2009\u2026", "of", "the", "officer"]
    chars: list[tuple[str, int]] = []
    for n in range(rng.randint(3, 40)):
        if n:
            chars.append((" ", rng.choice((0, 0, 1))))
        pid = rng.choice((0, 0, 0, 1))
        chars.extend((ch, pid) for ch in rng.choice(words))
    return chars


def test_paragraph_items_kept_are_the_items_measured_afresh(
        shaped: list[tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Set as a paragraph is, plain, then hyphenated, then flexed, against each paragraph
    measured alone with nothing kept."""
    italic = FontFace.from_bytes((FONTS / "EBGaramond12-Italic.ttf").read_bytes(), 16.0)
    faces = {0: regular(), 1: italic}
    ctx = Context(300.0, 0.0, faces, faces, True, (5, 2, 2), "-", "en")
    rng = random.Random(7)
    paragraphs = [_chars(rng) for _ in range(40)]
    attempts = [(hyphenate, flex) for _, hyphenate, flex in lines.ATTEMPTS]
    kept = {attempt: [paragraph_items(chars, faces, ctx, TextMeasurer(), Typesetting(), {},
                                      *attempt) for chars in paragraphs]
            for attempt in attempts}
    shaped_once = len(shaped)
    assert len(set(shaped)) == shaped_once  # no text shaped twice in a face
    for attempt in attempts:
        again = [paragraph_items(chars, faces, ctx, TextMeasurer(), Typesetting(), {},
                                 *attempt) for chars in paragraphs]
        assert again == kept[attempt] and len(shaped) == shaped_once
    for attempt in attempts:
        for chars, (items, spans) in zip(paragraphs, kept[attempt], strict=True):
            # Each paragraph alone, nothing kept from another: the same items, as wide.
            monkeypatch.setattr(lines, "_KINDS", {})
            monkeypatch.setattr(lines, "_SPACES", {})
            monkeypatch.setattr(lines, "_WORD_BREAKS", {})
            fresh = paragraph_items(chars, faces, ctx, TextMeasurer(widths={}), Typesetting(),
                                    {}, *attempt)
            assert fresh == (items, spans)


@pytest.mark.parametrize("floats", [False, True])
@pytest.mark.parametrize("hyphenate,flex", [(False, False), (True, False), (True, True)])
def test_a_word_in_one_element_is_set_as_any_stretch_of_text(
        hyphenate: bool, flex: bool, floats: bool) -> None:
    """The short way for one word in one element gives what the general one does: widths
    from the same prefixes, the same breaks, gains and hyphens."""
    face = regular()
    ctx = Context(300.0, 0.0, {0: face}, {0: face}, True, (5, 2, 2), "-", "en",
                  float_paths=frozenset({0}) if floats else frozenset())
    measurer = TextMeasurer()
    penalties = 0
    for word in ("different", "affluent", "well-bred", "word\u2014and", "officer's", "a",
                 "ex\u00adtraordi\u00adnary", "\u201cdifficulty,\u201d"):
        chars = [(ch, 0) for ch in f"x {word} y"]
        first, last = 2, 2 + len(word)
        general = lines._stretch_items(chars, first, last, {0: face}, face, ctx, measurer,
                                       Typesetting(), {}, hyphenate, 0.3 if flex else 0.0,
                                       1.0, 0.5)
        short = lines._word_items(chars, first, last, face, floats, ctx, measurer,
                                  Typesetting(), {}, hyphenate, 0.3 if flex else 0.0)
        assert short == general
        penalties += sum(isinstance(item, lines.Penalty) for item in short[0])
    # Breaks after the hard hyphen and the dash; hyphenation points where hyphenated.
    assert penalties >= (6 if hyphenate else 2)


def test_every_space_is_glue_where_it_stands() -> None:
    """Spaces as they come (runs of them, one at the start, a no-break space beside a plain
    one): each is glue spanning its own character, the words between are boxes."""
    face = regular()
    ctx = Context(300.0, 0.0, {0: face}, {0: face}, False, (5, 2, 2), "-", "en")
    for text in (" a  b\u00a0 c", "a \u00a0b", "\u00a0a b", "ab  ", "x\u2002\u2026 y\u2009z"):
        chars = [(ch, 0) for ch in text]
        items, spans = paragraph_items(chars, ctx.faces, ctx, TextMeasurer(), Typesetting(),
                                       {}, False, False)
        assert len(items) == len(spans)
        glue = [(start, end) for (start, end, kind), item in zip(spans, items, strict=True)
                if isinstance(item, lines.Glue) and kind in ("space", "nbsp")]
        assert [start for start, _ in glue] == [
            k for k, ch in enumerate(text.rstrip(" ")) if ch in " \u00a0\u2002"]
        assert all(end == start + 1 for start, end in glue)
        boxes = ["".join(ch for ch, _ in chars[start:end])
                 for (start, end, kind) in spans if kind == "box"]
        words = text.replace("\u00a0", " ").replace("\u2002", " ").split(" ")
        assert boxes == [word for word in words if word]


def test_a_chapter_written_again_is_written_as_at_first() -> None:
    """Each set paragraph's HTML is kept by where its page begins: the document written for
    one page plan after another is what a chapter set afresh writes for each."""
    from weasyprint import CSS, HTML

    from octavo.press.lines import measure, set_lines

    css = CSS(string="@page { size: 400px 600px; margin: 20px } "
                     "p { text-align: justify; hyphens: auto; margin: 0 } "
                     "html { font-size: 14px; width: 220px }")
    words = ["the", "officer's", "extraordinary", "difficulty", "was", "affluent", "and",
             "well", "bred", "beyond", "everything", "that", "neighbourhood", "had", "known"]
    rng = random.Random(3)
    body = "".join(f"<p>{' '.join(rng.choice(words) for _ in range(rng.randint(20, 60)))}</p>"
                   for _ in range(6))
    document = f'<html lang="en"><head></head><body>{body}</body></html>'
    measured = measure(document, lambda html: HTML(string=html).render(stylesheets=[css]))
    prebroken = set_lines(document, measured)
    assert len(prebroken.paragraphs) >= 4
    plans: list[dict[int, int] | None] = [None, {2: 0}, {3: 2, 5: 0}, None, {2: 0}, {3: 1}]
    written = [prebroken.html(plan) for plan in plans]
    assert prebroken.rendered
    afresh = [set_lines(document, measured).html(plan) for plan in plans]
    assert written == afresh
    assert written[0] != written[1] != written[2]


def test_a_word_is_made_once_for_every_kind_of_paragraph_it_is_set_in(
        shaped: list[tuple[int, str, str]]) -> None:
    """A word in the body's face makes the same items in a paragraph with italics or a
    floating initial and in a plain one: made once and shared, not once per kind."""
    body, italic = regular(), FontFace.from_bytes(
        (FONTS / "EBGaramond12-Italic.ttf").read_bytes(), 16.0)
    plain = Context(300.0, 0.0, {0: body}, {0: body}, True, (5, 2, 2), "-", "en")
    with_italics = Context(300.0, 12.0, {0: body, 1: italic, 2: body}, {0: body, 1: italic,
                                                                         2: body},
                           True, (5, 2, 2), "-", "en", float_paths=frozenset({2}))
    words = "different affluent well-bred officer"
    boxes = []
    for ctx, chars in ((plain, [(ch, 0) for ch in words]),
                       (with_italics, [("I", 2), *((ch, 0) for ch in " " + words),
                                       *((ch, 1) for ch in " indeed")])):
        made, _ = paragraph_items(chars, ctx.faces, ctx, TextMeasurer(), Typesetting(), {},
                                  True, False)
        boxes.append([item for item in made if isinstance(item, lines.Box)])
    in_plain, in_other = boxes
    # The other paragraph's boxes: its initial, the words, then the italic one.
    assert len(in_other) >= len(in_plain) + 2
    assert all(a is b for a, b in zip(in_plain, in_other[1:], strict=False))
