"""Generated words and chapter numbers in the book's language."""

from __future__ import annotations

import pytest

from octavo.render.labels import WORDS, chapter_number, word


@pytest.mark.parametrize(("language", "contents", "chapter"), [
    ("en", "Contents", "Chapter"), ("fr", "Table des matières", "Chapitre"),
    ("de-AT", "Inhalt", "Kapitel"), ("es", "Índice", "Capítulo"), ("xx", "Contents", "Chapter"),
])
def test_words(language: str, contents: str, chapter: str) -> None:
    assert word("contents", language) == contents
    assert word("chapter", language) == chapter


def test_every_language_has_every_word() -> None:
    for table in WORDS.values():
        assert set(table) == set(WORDS["en"])


@pytest.mark.parametrize(("n", "style", "language", "expected"), [
    (7, "arabic", "en", "7"), (14, "roman", "en", "XIV"), (42, "words", "en", "Forty-Two"),
    (21, "words", "fr", "Vingt et un"), (80, "words", "fr", "Quatre-vingts"),
    (75, "words", "fr", "Soixante-quinze"), (21, "words", "de", "Einundzwanzig"),
    (16, "words", "de", "Sechzehn"), (22, "words", "es", "Veintidós"),
    (35, "words", "es", "Treinta y cinco"),
])
def test_chapter_numbers(n: int, style: str, language: str, expected: str) -> None:
    assert chapter_number(n, style, language) == expected  # type: ignore[arg-type]
