"""Small books for the print tests, built as models (no reader involved) so each test lays out
only a few pages."""

from __future__ import annotations

import random

from octavo.model import (
    BlockQuote,
    Book,
    Chapter,
    Emphasis,
    Isbns,
    Metadata,
    Note,
    NoteRef,
    PageBreak,
    Paragraph,
    Part,
    SceneBreak,
    Text,
    verse_of,
)

_TEXT = (
    "the lamp burned low while rain pressed against every window of the narrow house and "
    "nobody spoke of what had been found in the cellar that morning although each of them "
    "thought about little else through the long grey afternoon of waiting listening for the "
    "carriage wheels upon the gravel drive beyond the orchard wall where the old gardener "
    "kept his tools beneath a tarpaulin weighted down with stones from the river bank"
)
WORDS = tuple(_TEXT.split(" "))


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraph_text(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 22)) for _ in range(sentences))


def para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def chapter(n: int, title: str, paragraphs: int, seed: int, extra: tuple = ()) -> Chapter:
    rng = random.Random(seed)
    blocks: list = [para(paragraph_text(rng, rng.randint(3, 7))) for _ in range(paragraphs)]
    blocks[2:2] = list(extra)
    return Chapter(title=(Text(title),) if title else (), number=n, blocks=tuple(blocks))


def metadata(language: str = "en", **kw: object) -> Metadata:
    base: dict[str, object] = dict(
        title="The Lantern House", authors=("Ada Ferrer",), language=language,
        identifier="urn:uuid:00000000-0000-4000-8000-000000000001", date="2026-03-01",
        publisher="Quayside Press", isbn=Isbns(print="978-1-23456-789-7"),
        subtitle="A Novel",
    )
    base.update(kw)
    return Metadata(**base)  # type: ignore[arg-type]


def sample_book(language: str = "en", paragraphs: int = 14) -> Book:
    """Two parts of two chapters, a dedication, an acknowledgements page, and inside the text
    a footnote, scene breaks, a block quote and verse."""
    note = Note("n1", (para("A note set at the foot of the page where it is called."),))
    with_note = Paragraph((Text("He read the letter twice"), NoteRef("n1"),
                           Text(" and folded it away without a word.")))
    quote = BlockQuote((para("My dear brother, the house is sold and the lamps are dark; "
                             "come home before the river rises."),))
    verse = verse_of([((Text("The lamp is low, the road is long,"),),
                    (Emphasis((Text("and every window sings its song."),)),))])
    c1 = chapter(1, "The Cellar", paragraphs, 1, (with_note, note, SceneBreak(), quote))
    c2 = chapter(2, "", paragraphs + 5, 2, (verse,))
    c3 = chapter(3, "Rain on the Orchard", paragraphs - 3, 3, (SceneBreak(),))
    c4 = chapter(4, "The Carriage", paragraphs, 4)
    dedication = Chapter((), None, (para("For the ones who kept the lamps lit."),),
                         role="dedication")
    thanks = Chapter((), None, (para("Thanks to everyone who read the drafts."),),
                     role="acknowledgements")
    return Book(
        metadata=metadata(language),
        front_matter=(dedication,),
        body=(Part((Text("Departures"),), (c1, c2), 1), Part((Text("Returns"),), (c3, c4), 2)),
        back_matter=(thanks,),
    )


def long_book(pages: int) -> Book:
    """About ``pages`` pages cheaply: one short paragraph per page, forced breaks between."""
    blocks: list = []
    for i in range(pages):
        blocks.append(para(f"Leaf {i + 1} of a long book."))
        blocks.append(PageBreak())
    chapters = (Chapter((Text("One"),), 1, tuple(blocks[: pages])),
                Chapter((Text("Two"),), 2, tuple(blocks[pages:])))
    return Book(metadata=metadata(), body=chapters)


# --------------------------------------------------------------------------- reading the PDF


def zone_texts(path: object, zone: str, depth_in: float = 0.62) -> list[str]:
    """Per page, the text within ``depth_in`` inches of the page's top (``"head"``) or bottom
    (``"foot"``) edge: where running heads and folios sit, never the text block."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            left, bottom, right, top = page.get_bbox()
            depth = depth_in * 72
            if zone == "head":
                box = (left, top - depth, right, top)
            else:
                box = (left, bottom, right, bottom + depth)
            text = page.get_textpage().get_text_bounded(*box)
            out.append(" ".join(text.split()))
    finally:
        doc.close()
    return out


def squash(text: str) -> str:
    """Letter-spaced small capitals come out of a PDF as ``a da ferrer``: compare letters."""
    return "".join(text.lower().split())
