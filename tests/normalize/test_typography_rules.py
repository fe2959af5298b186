"""Each typography rule alone: input -> output, one case family per test."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from octavo.model import (
    Book,
    Chapter,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    Metadata,
    NoteRef,
    Paragraph,
    SourceSpan,
    Text,
    Verse,
    inline_text,
    verse_of,
)
from octavo.normalize import dashes, ellipses, languages, spaces
from octavo.normalize.cleanup import _collapse, _text_bounds, collapsed
from octavo.normalize.dashes import (
    elided_letters,
    em_dashes_rule,
    en_dash_ranges,
    multi_em_dashes_rule,
)
from octavo.normalize.ellipses import ellipses_rule
from octavo.normalize.inlines import map_text_slices
from octavo.normalize.languages import (
    french_number_spaces,
    french_spacing,
    german_guillemets_by_majority,
)
from octavo.normalize.quotes import (
    curl_quotes_rule,
    curl_quotes_text,
    double_mark_role,
    single_mark_by_neighbours,
    starts_with_elision,
    turned_apostrophes,
    turned_apostrophes_text,
)
from octavo.normalize.rewrite import Sieve, passes
from octavo.normalize.rule import Rule
from octavo.normalize.safety import protected_spans
from octavo.normalize.spaces import (
    no_break_spaces,
    no_runts,
    single_spaces,
    space_adjacent_quotes,
)

NBSP, NNBSP, HAIR = "\u00a0", "\u202f", "\u200a"


def book_of(*runs: tuple[Inline, ...]) -> Book:
    paragraphs = tuple(Paragraph(run, SourceSpan("t.txt", n + 1)) for n, run in enumerate(runs))
    return Book(Metadata("T"), body=(Chapter((Text("One"),), 1, paragraphs),))


def paragraphs(book: Book) -> tuple[Paragraph, ...]:
    chapter = book.body[0]
    assert isinstance(chapter, Chapter)
    return tuple(b for b in chapter.blocks if isinstance(b, Paragraph))


def apply(rule: Rule, text: str) -> str:
    out, _ = rule(book_of((Text(text),)))
    return inline_text(paragraphs(out)[0].inlines)


US = curl_quotes_rule("en-US")


# ---------------------------------------------------------------- quotes


@pytest.mark.parametrize(("source", "expected"), [
    ('"Hello," she said.', "“Hello,” she said."),
    ("\"She said, 'Go.'\"", "“She said, ‘Go.’”"),
    ('He began—"Listen."', "He began—“Listen.”"),
    ('"But—"', "“But—”"),
    ('He paused… "Is it?"', "He paused… “Is it?”"),
    ('(He said "no.")', "(He said “no.”)"),
    ('"Yes,"she said.', "“Yes,”she said."),
    ('"What?" "Nothing."', "“What?” “Nothing.”"),
])
def test_double_quotes_open_and_close_by_context(source: str, expected: str) -> None:
    assert apply(US, source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("'Tis the season; 'twas ever thus.", "’Tis the season; ’twas ever thus."),
    ("Give 'em hell.", "Give ’em hell."),
    ("rock 'n' roll", "rock ’n’ roll"),
    ("in the '90s", "in the ’90s"),
    ("five o'clock, ma'am", "five o’clock, ma’am"),
    ("The Joneses' house", "The Joneses’ house"),
    ("He went to 'Frisco. 'Why not?' he said.", "He went to ’Frisco. ‘Why not?’ he said."),
    ("\"They call him 'the old 'un' here.\"", "“They call him ‘the old ’un’ here.”"),
    ("\"'Course I will,\" he said.", "“’Course I will,” he said."),
])
def test_apostrophes_in_elisions_contractions_and_possessives(source: str, expected: str) -> None:
    assert apply(US, source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("‘Tis the season; ‘twas ever thus.", "’Tis the season; ’twas ever thus."),
    ("in the ‘90s", "in the ’90s"),
    ("rock ‘n’ roll", "rock ’n’ roll"),
    ("Give ‘em hell.", "Give ’em hell."),
    ("“‘Twas so,” he said.", "“’Twas so,” he said."),
    # A curled opening quote before any other word is a quotation and stays.
    ("She said, ‘Go.’", "She said, ‘Go.’"),
    ("‘Emma,’ he said.", "‘Emma,’ he said."),
    ("the 1920‘s", "the 1920‘s"),
])
def test_turned_apostrophes_of_word_processors(source: str, expected: str) -> None:
    assert apply(turned_apostrophes, source) == expected


@pytest.mark.parametrize("straight", [
    "'Tis the season.", "in the '90s", "rock 'n' roll", "\"'Twas so,\" he said.",
    "She said, 'Go.'", "They call him 'the old 'un' here.",
])
def test_curled_or_straight_a_manuscript_gets_the_same_marks(straight: str) -> None:
    """What a word processor does to straight marks (every ' after a space or at the start
    opens) is undone: the same text typed either way is set the same."""
    as_typed = "".join(
        ("‘" if i == 0 or straight[i - 1] in " \"" else "’") if ch == "'"
        else ("“" if i == 0 or straight[i - 1] == " " else "”") if ch == '"' else ch
        for i, ch in enumerate(straight))
    assert curl_quotes_text(turned_apostrophes_text(as_typed)) == curl_quotes_text(straight)


def test_a_nested_quotation_holding_a_third_level_keeps_its_single_quotes() -> None:
    source = "\"'Is to copy out the \"Encyclopaedia.\" Ready?'"
    assert apply(US, source) == "“‘Is to copy out the “Encyclopaedia.” Ready?’"


@pytest.mark.parametrize(("source", "expected"), [
    ("He stood 5' 10\" tall.", "He stood 5′ 10″ tall."),
    ("a 6' fence", "a 6′ fence"),
    ("He was 5'10\" tall.", "He was 5′10″ tall."),
    ('He said "1914" aloud.', "He said “1914” aloud."),
    ("The 1920's fashions", "The 1920’s fashions"),
])
def test_primes_only_for_measurements(source: str, expected: str) -> None:
    assert apply(US, source) == expected


def test_quotes_are_decided_across_emphasis() -> None:
    out, _ = US(book_of((Text('"'), Emphasis((Text("Alone."),)), Text('"'))))
    assert paragraphs(out)[0].inlines == (
        Text("\u201c"), Emphasis((Text("Alone."),)), Text("\u201d"))


def test_a_quotation_over_paragraphs_reopens_each_paragraph() -> None:
    out, _ = US(book_of((Text('"First.'),), (Text("\"'Second,' she said.'"),)))
    texts = [inline_text(p.inlines) for p in paragraphs(out)]
    assert texts == ["“First.", "“‘Second,’ she said.’"]


@pytest.mark.parametrize(("style", "expected"), [
    ("en-US", "“She said, ‘It’s mine,’ and left.”"),
    ("en-GB", "‘She said, “It’s mine,” and left.’"),
    ("de", "„She said, ‚It’s mine,‘ and left.“"),
    ("fr", "«She said, “It’s mine,” and left.»"),
])
def test_each_language_has_its_marks(style: str, expected: str) -> None:
    source = "\"She said, 'It's mine,' and left.\""
    assert curl_quotes_text(source, style) == expected  # type: ignore[arg-type]


def test_a_line_break_reads_as_a_newline_to_rules_and_a_space_to_readers() -> None:
    run = (Emphasis((Text("Dear Sir,"),)), LineBreak(), Text("'Tis done."), NoteRef("n1"))
    assert inline_text(run) == "Dear Sir, 'Tis done."
    assert inline_text(run, "\n") == "Dear Sir,\n'Tis done."
    # A rule sees the break where it stands: the text node before it ends a line.
    marked = map_text_slices(run, lambda full, a, b: full[a:b] + "|" * (full[b:b + 1] == "\n"))
    assert marked == (Emphasis((Text("Dear Sir,|"),)), LineBreak(), Text("'Tis done."),
                      NoteRef("n1"))


def test_link_targets_are_never_touched_and_url_text_is_protected() -> None:
    link = Link("http://example.com/it's--here", (Text("http://example.com/it's"),))
    out, _ = US(book_of((Text('"See '), link, Text('," he said.')),))
    inl = paragraphs(out)[0].inlines
    assert inl[1] == link
    assert inline_text(inl) == "“See http://example.com/it's,” he said."


@pytest.mark.parametrize("text", [
    "Mail o'brien@example.org now.",
    "Run `rm -- \"x\"` now.",
    "See www.example.com/it's-here.",
])
def test_protected_text_is_found(text: str) -> None:
    assert protected_spans(text)
    assert apply(US, text) == text


def test_verse_lines_are_curled_line_by_line() -> None:
    verse = verse_of([((Text("'Tis I,"),), (Text('"he said"'),))])
    chapter = Chapter((Text("One"),), 1, (verse,))
    out, _ = US(Book(Metadata("T"), body=(chapter,)))
    got = out.body[0]
    assert isinstance(got, Chapter) and isinstance(got.blocks[0], Verse)
    assert [inline_text(line.inlines) for line in got.blocks[0].lines] == ["’Tis I,", "“he said”"]


# ---------------------------------------------------------------- dashes

EM = em_dashes_rule("em")


@pytest.mark.parametrize(("source", "expected"), [
    ("He paused--then went on.", "He paused—then went on."),
    ("He paused -- then went on.", "He paused—then went on."),
    ("He paused - then went on.", "He paused—then went on."),
    ("He paused---then went on.", "He paused—then went on."),
    ("He paused — then went on.", "He paused—then went on."),
    ('"But--"', '"But—"'),
    ("a well-known man", "a well-known man"),
    ("5 - 3 = 2", "5 - 3 = 2"),
])
def test_em_dashes_closed(source: str, expected: str) -> None:
    assert apply(EM, source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("He paused -- then went on.", "He paused – then went on."),
    ("He paused—then.", "He paused – then."),
    ('"But--" he said.', '"But –" he said.'),
])
def test_spaced_en_dash_style(source: str, expected: str) -> None:
    assert apply(em_dashes_rule("spaced-en"), source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    # A German Gedankenstrich stays spaced beside guillemets that point inward: « closes
    # after a word, » opens before one.
    ("Verhältnisse« -- hierbei spie er -- »mein Zimmer",
     "Verhältnisse« – hierbei spie er – »mein Zimmer"),
    ("Aber so --«", "Aber so –«"),
    ("war -- Samsa war Reisender --, hing", "war – Samsa war Reisender –, hing"),
])
def test_spaced_en_dashes_beside_german_guillemets(source: str, expected: str) -> None:
    assert apply(em_dashes_rule("spaced-en"), source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    # French: a dialogue reply opens with a tiret and a space; an incise between spaced
    # tirets, the closing one against the comma; a « that opens keeps the dash beside it.
    ("--Jean, répondit-il.", "— Jean, répondit-il."),
    ("Gardens--maison dans laquelle il mourut en 1814--, était",
     "Gardens — maison dans laquelle il mourut en 1814 —, était"),
    ("Byron--par la tête", "Byron — par la tête"),
    ("«--Non, dit-il.", "«— Non, dit-il."),
])
def test_spaced_em_dash_style(source: str, expected: str) -> None:
    assert apply(em_dashes_rule("spaced-em"), source) == expected


def test_each_language_has_its_dashes() -> None:
    from octavo.normalize.options import default_dashes

    assert [default_dashes(lang) for lang in ("en", "de-AT", "fr", "fr_CA", "es")] == [
        "em", "spaced-en", "spaced-em", "spaced-em", "em"]


@pytest.mark.parametrize(("source", "expected"), [
    ("à 7 000 F, brigadiers à 60 000, généraux à 100 000.",
     f"à 7{NNBSP}000{NNBSP}F, brigadiers à 60{NNBSP}000, généraux à 100{NNBSP}000."),
    ("une hausse de 20 % et 5 €", f"une hausse de 20{NNBSP}% et 5{NNBSP}€"),
    # Not a longer run of digits, not an ordinary word after a number.
    ("en 1872 1 homme, 12 Français, 1000 000", "en 1872 1 homme, 12 Français, 1000 000"),
])
def test_french_number_spaces(source: str, expected: str) -> None:
    assert apply(french_number_spaces, source) == expected


def test_spanish_takes_latin_quotes_and_keeps_its_opening_marks() -> None:
    from octavo.normalize.options import default_quotes

    assert default_quotes("es-ES") == "es"
    assert apply(curl_quotes_rule("es"), '¿Vienes? --dijo--. "¡Claro que sí!" y "eso".') == (
        "¿Vienes? --dijo--. «¡Claro que sí!» y «eso».")


def test_german_quotes_follow_the_books_majority() -> None:
    mostly_guillemets = "»Ja,« sagte er. »Nein.« »Wohl.« „Doch“ und ‚so‘."
    assert apply(german_guillemets_by_majority, mostly_guillemets) == (
        "»Ja,« sagte er. »Nein.« »Wohl.« »Doch« und ›so‹.")
    mostly_low = "„Ja“, sagte er. „Nein.“ »Wohl.«"
    assert apply(german_guillemets_by_majority, mostly_low) == mostly_low


@pytest.mark.parametrize(("source", "expected"), [
    ("1914-1918", "1914–1918"),
    ("pp. 12-14", "pp. 12–14"),
    ("pages 3--7", "pages 3–7"),
    ("on 2024-01-05", "on 2024-01-05"),
    ("call 555-1234", "call 555-1234"),
    ("pages 3--7: see", "pages 3–7: see"),
])
def test_en_dash_ranges(source: str, expected: str) -> None:
    assert apply(en_dash_ranges, source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("Mr. D---- was there.", "Mr. D⸺ was there."),
    ("Lord ----, absent", "Lord ⸻, absent"),
    ("in ----shire", "in ⸺shire"),
    ("General ----'s regiment", "General ⸻'s regiment"),
    ("D——", "D⸺"),
    ("going to----Never", "going to—Never"),
])
def test_two_and_three_em_dashes(source: str, expected: str) -> None:
    assert apply(multi_em_dashes_rule("em"), source) == expected


# ---------------------------------------------------------------- ellipses


@pytest.mark.parametrize(("source", "expected"), [
    ("Wait... what?", f"Wait{HAIR}… what?"),
    ("Wait . . . what?", f"Wait{HAIR}… what?"),
    ("It ended.... Then.", f"It ended.{HAIR}… Then."),
    ("It ended. . . . Then.", f"It ended.{HAIR}… Then."),
    ("...and so", "… and so"),
    ("“I wonder...” she said", f"“I wonder{HAIR}…” she said"),
    ("He paused... “Is it?”", f"He paused{HAIR}… “Is it?”"),
    ("“...and then,”", "“… and then,”"),
    ("Yes… ’tis", f"Yes{HAIR}… ’tis"),
    ("Really...?", f"Really{HAIR}…{HAIR}?"),
])
def test_ellipses(source: str, expected: str) -> None:
    assert apply(ellipses_rule("en-US"), source) == expected


# ---------------------------------------------------------------- spaces


@pytest.mark.parametrize(("source", "expected"), [
    ("Mr. Darcy met Dr. Jekyll.", f"Mr.{NBSP}Darcy met Dr.{NBSP}Jekyll."),
    ("J. R. R. Tolkien", f"J.{NBSP}R.{NBSP}R.{NBSP}Tolkien"),
    ("So did I. Then we left.", "So did I. Then we left."),
    ("5 kg and 10 km", f"5{NBSP}kg and 10{NBSP}km"),
    ("at 5 p.m. sharp", f"at 5{NBSP}p.m. sharp"),
    ("No. 12 Elm Row", f"No.{NBSP}12 Elm Row"),
    ("in 1914 he", "in 1914 he"),
])
def test_no_break_spaces(source: str, expected: str) -> None:
    assert apply(no_break_spaces, source) == expected


def test_adjacent_quotes_take_a_hair_space() -> None:
    assert apply(space_adjacent_quotes, "“‘Yes,’ he said, ‘no.’”") == (
        f"“{HAIR}‘Yes,’ he said, ‘no.’{HAIR}”")


def test_never_two_spaces_and_the_strongest_survives() -> None:
    assert apply(single_spaces, f"Mr.{NBSP} Darcy  came") == f"Mr.{NBSP}Darcy came"


def test_runts_only_in_paragraphs_of_several_words() -> None:
    assert apply(no_runts, "The very last word.") == f"The very last{NBSP}word."
    assert apply(no_runts, "Two words.") == "Two words."


def test_french_spacing() -> None:
    assert apply(french_spacing, "«Oui» ? Non ! À 10:30 : bien; ok?!") == (
        f"«{NNBSP}Oui{NNBSP}»{NNBSP}? Non{NNBSP}! À 10:30{NNBSP}: bien{NNBSP}; ok{NNBSP}?!")


# ---------------------------------------------------------------- glyph safety


def test_drawable_falls_back_to_glyphs_the_face_has() -> None:
    from octavo.normalize.glyphs import drawable

    italic = {ord(c) for c in "abcD \u2014\u00a0\u2019"}
    assert drawable("D\u2e3a a\u202fb\u200a\u2019", italic) == "D\u2014\u2014 a\u00a0b\u2019"
    assert drawable("\u2e3b", italic) == "\u2014\u2014\u2014"
    assert drawable("\u2e3a", {ord("a")}) == "\u2e3a"  # nothing better: left to the font stack


def test_drawable_with_the_classic_theme_fonts() -> None:
    from pathlib import Path

    from fontTools.ttLib import TTFont

    from octavo.normalize.glyphs import EMITTED, drawable

    fonts = Path(__file__).resolve().parents[2] / "styles" / "classic" / "fonts"
    cmap = set(TTFont(str(fonts / "EBGaramond12-Italic.ttf")).getBestCmap())
    emitted = "".join(EMITTED.values())
    assert all(ord(c) in cmap for c in drawable(emitted, cmap))


# ---------------------------------------------------------------- properties (issue 12)

_WORDS = st.from_regex(r"[a-z]{4,9}", fullmatch=True)


@given(st.integers(min_value=0, max_value=99999), _WORDS, st.sampled_from([".", ",", "", "!"]))
def test_a_number_is_never_tied_to_an_ordinary_word(n: int, word: str, end: str) -> None:
    # Words of four letters or more are never unit symbols; the few abbreviations that long
    # (mins., secs.) take their period.
    assume(not (end == "." and word in {"mins", "secs", "gals", "vols", "hrs"}))
    assert "\u00a0" not in apply(no_break_spaces, f"There were {n} {word}{end} Then more.")


@given(st.from_regex(r"[B-HJ-Zb-z]", fullmatch=True), st.from_regex(r"[a-z]{1,4}", fullmatch=True),
       st.sampled_from(["--", "---"]))
def test_letters_elided_inside_a_word_take_a_joined_two_em_dash(first: str, rest: str,
                                                                 dashes: str) -> None:
    assert apply(elided_letters, f"It was {first}{dashes}{rest} again.") == (
        f"It was {first}\u2e3a{rest} again.")


@given(st.from_regex(r"[a-z]{2,8}", fullmatch=True), st.from_regex(r"[a-z]{1,4}", fullmatch=True))
def test_a_dash_after_a_whole_word_is_no_elision(word: str, rest: str) -> None:
    assert "\u2e3a" not in apply(elided_letters, f"It was {word}--{rest} again.")


# ---------------------------------------------------------------- sieves before slow patterns

def _sieved() -> list[tuple[str, re.Pattern[str], Sieve]]:
    """Every ``X_SIEVE`` of the rule modules, with the pattern ``X`` it lets runs skip."""
    return [(f"{module.__name__}.{name}", getattr(module, name.removesuffix("_SIEVE")), sieve)
            for module in (dashes, ellipses, languages, spaces)
            for name, sieve in vars(module).items() if name.endswith("_SIEVE")]


def test_every_sieve_stands_before_a_pattern_of_its_module() -> None:
    sieved = _sieved()
    assert len(sieved) >= 12
    assert all(isinstance(p, re.Pattern) and isinstance(s, tuple | re.Pattern)
               for _, p, s in sieved)


# What the patterns react to: spaces, dashes, dots, quotes, digits, titles and units.
_PIECES = st.sampled_from([
    " ", "  ", "\t", "\n", "\u00a0", "\u200a", "\u202f", "-", "--", "---", "----", "\u2014",
    "\u2013", "\u2e3a", ".", "..", ". .", ".\u00a0.", "\u2026", "'", '"', "\u201c", "\u201d",
    "\u2018", "\u2019", "\u00ab", "\u00bb", ";", ":", "!", "?", "(", "1", "12", "1914", "a",
    "A", "I", "D", "J", "n", "em", "Mr", "Mrs", "No", "St", "kg", "oz", "p.m", "%", "word",
])


@settings(max_examples=1000, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_a_sieve_finds_something_wherever_its_pattern_matches(text: str) -> None:
    for name, pattern, sieve in _sieved():
        if pattern.search(text):
            assert passes(sieve, text), (name, text)


@settings(max_examples=1000, deadline=None)
@given(st.data())
def test_a_sieve_finds_something_in_text_made_to_match_its_pattern(data: st.DataObject) -> None:
    name, pattern, sieve = data.draw(st.sampled_from(_sieved()))
    text = data.draw(st.from_regex(pattern))
    assert passes(sieve, text), (name, text)


def test_a_run_found_collapsed_is_what_collapsing_each_node_leaves_alone() -> None:
    # Every text of up to five characters from a word's letter and the kinds of white space
    # collapsing treats apart; for each found collapsed, every node, wherever markup splits
    # the run, keeps its text.
    kinds = "a \t\n\u00a0\u2009\u200a\u3000"
    texts = ("".join(t) for n in range(6) for t in itertools.product(kinds, repeat=n))
    found = 0
    for text in filter(collapsed, texts):
        found += 1
        bounds = _text_bounds(text)
        for start in range(len(text)):
            for end in range(start + 1, len(text) + 1):
                assert _collapse(text, start, end, *bounds) == text[start:end], (text, start)
    assert found > 50


# ---------------------------------------------------------------- patterns led by their first characters

_LEAD = re.compile(r"\(\?=\[((?:[^\]\\]|\\.)*)\]\)\(\?:(.*)\)", re.DOTALL)


def _led() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """Every pattern of the rule modules made by ``led_by``, with the pattern it leads."""
    found = []
    for module in (dashes, ellipses, languages, spaces):
        for name, value in vars(module).items():
            m = _LEAD.fullmatch(value.pattern) if isinstance(value, re.Pattern) else None
            if m:
                found.append((f"{module.__name__}.{name}", value, re.compile(m.group(2))))
    return found


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def test_the_slow_patterns_are_led_by_their_first_characters() -> None:
    assert {name.rsplit(".", 1)[1] for name, _, _ in _led()} >= {
        "_BREAK", "_LONG_DASH", "_HONORIFIC", "_INITIAL"}


@settings(max_examples=1000, deadline=None)
@given(st.data())
def test_a_led_pattern_finds_what_the_pattern_it_leads_finds(data: st.DataObject) -> None:
    name, led, pattern = data.draw(st.sampled_from(_led()))
    text = data.draw(st.one_of(st.from_regex(pattern), st.lists(_PIECES, max_size=14).map("".join)))
    assert _matches(led, text) == _matches(pattern, text), (name, text)


# quote_roles' named steps, each on its own


@pytest.mark.parametrize(("before", "opens", "closes", "double_open", "role"), [
    ("5", False, True, False, "double-prime"),  # 5′ 10″
    ("4", False, True, True, "close-double"),  # "in 1914"
    (" ", True, False, False, "open-double"),
    ("d", False, True, True, "close-double"),
    ("s", False, False, True, "close-double"),  # "Yes,"she said: closes what is open
    ("s", False, False, False, "open-double"),
])
def test_double_mark_role(before: str, opens: bool, closes: bool, double_open: bool,
                          role: str) -> None:
    assert double_mark_role(before, opens, closes, double_open) == role


@pytest.mark.parametrize(("before", "after", "single_open", "role"), [
    ("5", "1", False, "prime"), ("n", "t", False, "apostrophe"), ("0", "s", False, "apostrophe"),
    ("9", " ", True, "close-single"), ("9", " ", False, "prime"), (" ", "t", False, None),
    ("s", " ", True, None),
])
def test_single_mark_by_neighbours(before: str, after: str, single_open: bool,
                                   role: str | None) -> None:
    assert single_mark_by_neighbours(before, after, single_open) == role


@pytest.mark.parametrize(("text", "elided"), [
    ("'tis", True), ("'Twas", True), ("'90s", True), ("'em,", True), ("'tisket", False),
    ("'Hello", False), ("'999", False),
])
def test_starts_with_elision(text: str, elided: bool) -> None:
    assert starts_with_elision(text, 0) is elided
