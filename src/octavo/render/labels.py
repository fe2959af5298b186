"""Words the book itself never spells out (Contents, Chapter, Part…) in the book's language,
and chapter numbers in the style the book asks for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

# "manuscript": each chapter's and part's own number as the manuscript prints it, restarting
# where it restarts; a chapter without one is counted (1, 2, 3). The others renumber every
# chapter straight through the book.
NumberStyle = Literal["manuscript", "arabic", "words", "roman"]
NUMBER_STYLES: tuple[NumberStyle, ...] = ("manuscript", "arabic", "words", "roman")

WORDS: dict[str, dict[str, str]] = {
    "en": {"contents": "Contents", "chapter": "Chapter", "part": "Part", "copyright": "Copyright",
           "title_page": "Title Page", "by": "by", "cover": "Cover", "dedication": "Dedication",
           "epigraph": "Epigraph", "acknowledgements": "Acknowledgements",
           "about-the-author": "About the Author", "also-by": "Also by", "preface": "Preface",
           "foreword": "Foreword", "introduction": "Introduction", "prologue": "Prologue",
           "epilogue": "Epilogue", "afterword": "Afterword", "appendix": "Appendix",
           "landmarks": "Landmarks", "pages": "Pages", "start": "Start of Content",
           "rights": "All rights reserved.", "isbn": "ISBN", "first_edition": "First edition",
           "notes": "Notes", "and": "and"},
    "fr": {"contents": "Table des matières", "chapter": "Chapitre", "part": "Partie",
           "copyright": "Copyright", "title_page": "Page de titre", "by": "par",
           "cover": "Couverture", "dedication": "Dédicace", "epigraph": "Épigraphe",
           "acknowledgements": "Remerciements", "about-the-author": "À propos de l’auteur",
           "also-by": "Du même auteur", "preface": "Préface", "foreword": "Avant-propos",
           "introduction": "Introduction", "prologue": "Prologue", "epilogue": "Épilogue",
           "afterword": "Postface", "appendix": "Annexe", "landmarks": "Repères",
           "pages": "Pages", "start": "Début du texte", "rights": "Tous droits réservés.",
           "isbn": "ISBN", "first_edition": "Première édition", "notes": "Notes", "and": "et"},
    "de": {"contents": "Inhalt", "chapter": "Kapitel", "part": "Teil", "copyright": "Copyright",
           "title_page": "Titelseite", "by": "von", "cover": "Umschlag", "dedication": "Widmung",
           "epigraph": "Motto", "acknowledgements": "Danksagung",
           "about-the-author": "Über den Autor", "also-by": "Ebenfalls erschienen",
           "preface": "Vorwort", "foreword": "Geleitwort", "introduction": "Einleitung",
           "prologue": "Prolog", "epilogue": "Epilog", "afterword": "Nachwort",
           "appendix": "Anhang", "landmarks": "Orientierungspunkte", "pages": "Seiten",
           "start": "Textbeginn", "rights": "Alle Rechte vorbehalten.", "isbn": "ISBN",
           "first_edition": "Erste Auflage", "notes": "Anmerkungen", "and": "und"},
    "es": {"contents": "Índice", "chapter": "Capítulo", "part": "Parte",
           "copyright": "Copyright", "title_page": "Portada", "by": "por", "cover": "Cubierta",
           "dedication": "Dedicatoria", "epigraph": "Epígrafe",
           "acknowledgements": "Agradecimientos", "about-the-author": "Sobre el autor",
           "also-by": "Otras obras", "preface": "Prefacio", "foreword": "Prólogo",
           "introduction": "Introducción", "prologue": "Prólogo", "epilogue": "Epílogo",
           "afterword": "Epílogo", "appendix": "Apéndice", "landmarks": "Puntos de referencia",
           "pages": "Páginas", "start": "Inicio del texto",
           "rights": "Todos los derechos reservados.", "isbn": "ISBN",
           "first_edition": "Primera edición", "notes": "Notas", "and": "y"},
}

_EN_ONES = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"]
_EN_TENS = ["_", "_", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]


def word(key: str, language: str) -> str:
    """The generated word ``key`` in ``language`` (``en-GB`` -> ``en``), English if unknown."""
    table = WORDS.get(language.split("-")[0].lower(), WORDS["en"])
    return table.get(key, WORDS["en"][key])


def authors_line(authors: Sequence[str], language: str) -> str:
    """The authors as a reader sees them, in the book's language: ``A``, ``A and B``,
    ``A, B and C`` (no serial comma; ``et``, ``und``, ``y``…); ``''`` for none."""
    if len(authors) <= 1:
        return "".join(authors)
    last = authors[-1]
    return f"{', '.join(authors[:-1])} {_and_before(last, language)} {last}"


def _and_before(name: str, language: str) -> str:
    """The word for "and" before ``name``. Spanish writes *e* for *y* before the sound /i/
    (Fernando e Isabel) but keeps *y* before a diphthong (Pedro y Hierro, Ana y Yolanda)."""
    conjunction = word("and", language)
    if language.split("-")[0].lower() == "es":
        start = name.casefold().removeprefix("h")
        if start[:1] in ("i", "í") and start[1:2] not in ("a", "e", "o", "u", "á", "é", "ó", "ú"):
            return "e"
    return conjunction


def roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def english_words(n: int) -> str:
    if n < 20:
        return _EN_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_EN_ONES[hundreds]} Hundred" + (f" and {english_words(rest)}" if rest else "")
    return str(n)


_FR_ONES = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
            "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept",
            "dix-huit", "dix-neuf"]
_FR_TENS = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"]


def french_words(n: int) -> str:
    """1990 spelling of French numbers below a hundred (soixante-dix, quatre-vingts)."""
    if n < 20:
        return _FR_ONES[n]
    if n < 70:
        tens, ones = divmod(n, 10)
        if ones == 0:
            return _FR_TENS[tens]
        return f"{_FR_TENS[tens]}{' et ' if ones == 1 else '-'}{_FR_ONES[ones]}"
    if n < 80:
        return "soixante" + (" et " if n == 71 else "-") + _FR_ONES[n - 60]
    if n < 100:
        rest = n - 80
        return "quatre-vingts" if rest == 0 else f"quatre-vingt-{_FR_ONES[rest]}"
    return str(n)


_DE_ONES = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
            "zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn",
            "achtzehn", "neunzehn"]
_DE_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
            "neunzig"]


def german_words(n: int) -> str:
    if n < 20:
        return _DE_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        if ones == 0:
            return _DE_TENS[tens]
        unit = "ein" if ones == 1 else _DE_ONES[ones]
        return f"{unit}und{_DE_TENS[tens]}"
    return str(n)


_ES_ONES = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
            "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
            "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés",
            "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho",
            "veintinueve"]
_ES_TENS = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta",
            "noventa"]


def spanish_words(n: int) -> str:
    if n < 30:
        return _ES_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _ES_TENS[tens] + (f" y {_ES_ONES[ones]}" if ones else "")
    return str(n)


_WORDS_BY_LANGUAGE = {"fr": french_words, "de": german_words, "es": spanish_words}


def chapter_number(n: int, style: NumberStyle, language: str = "en") -> str:
    if style == "roman":
        return roman(n)
    if style == "words":
        lang = language.split("-")[0].lower()
        if lang == "en":
            return english_words(n)
        if lang in _WORDS_BY_LANGUAGE:
            spelled = _WORDS_BY_LANGUAGE[lang](n)
            return spelled[:1].upper() + spelled[1:]
    return str(n)
