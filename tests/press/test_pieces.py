"""The print interior laid out chapter by chapter and joined equals the one-document layout (its
pages as the whole-document layout octavo once had gave them, kept in tests/fixtures/one-document/);
the chapter cache hits, misses, and rebuilds stale and damaged entries; an edit to one chapter
lays out only that chapter again."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, pdf_pages_text
from octavo.model import Book, Paragraph, Text, map_body_chapters
from octavo.normalize import normalize
from octavo.press.cache import ChapterCache
from octavo.press.document import PdfOptions
from octavo.press.pagemap import derive_page_map
from octavo.press.pieces import LayoutCount, PdfResult, render_pdf_in_pieces
from octavo.press.settings import PrintSettings
from octavo.themes import load_theme
from printbooks import sample_book

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def book() -> Book:
    normalized, _ = normalize(sample_book("en"))
    return normalized


@dataclass(frozen=True)
class Cold:
    """The book laid out from scratch in the classic theme into an empty cache (with its page
    map): what it gave, what it laid out, how many entries it found, the cache it filled, and
    what the join was handed of each piece (its PDF's bytes, its HTML, whether its file is
    there)."""
    result: PdfResult
    count: LayoutCount
    hits: int
    cache: Path
    joined: list[tuple[tuple[bytes, str, bool], ...]]

    def cache_copy(self, folder: Path) -> ChapterCache:
        """A cache holding what this layout wrote, for a test to read or damage."""
        shutil.copytree(self.cache, folder)
        return ChapterCache(folder)


@pytest.fixture(scope="module")
def cold(book: Book, tmp_path_factory: pytest.TempPathFactory) -> Cold:
    """The layout several tests start from, made once (each lays the book out in full)."""
    folder = tmp_path_factory.mktemp("pieces") / "cache"
    cache = ChapterCache(folder)
    count = LayoutCount()
    with pytest.MonkeyPatch.context() as monkeypatch:
        joined = join_recorded(monkeypatch)
        result = render_pdf_in_pieces(book, options(), cache, count, page_map_source="print")
    return Cold(result, count, cache.hits, folder, joined)


def join_recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[bytes, str, bool], ...]]:
    """What each join is handed of each piece, recorded from now on."""
    from octavo.press import pieces

    joined: list[tuple[tuple[bytes, str, bool], ...]] = []
    join = pieces.join_pdf

    def seen(front: object, laid: list[object], *args: object, **kwargs: object) -> bytes:
        held = [front, *laid]
        joined.append(tuple((p.pdf, p.html, Path(p.pdf_file).is_file())  # type: ignore[attr-defined]
                            for p in held))
        return join(front, laid, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pieces, "join_pdf", seen)
    return joined


def options(theme: str = "classic", **press: object) -> PdfOptions:
    settings = replace(PrintSettings(), **press)  # type: ignore[arg-type]
    return PdfOptions(theme=load_theme(theme), press=settings)


def one_document(name: str) -> dict[str, object]:
    """The pages (words), section starts and outline the book laid out as one document has."""
    found: dict[str, object] = json.loads(
        (FIXTURES / "one-document" / f"{name}.json").read_text(encoding="utf-8"))
    return found


def texts(data: bytes) -> list[str]:
    """Each page's words in order. Runs of spaces are one: pypdfium2 reads the em spaces
    between a folio and its running head drawn in a form (the margin layer) as more spaces
    than the same glyphs drawn on the page."""
    return [" ".join(text.split()) for text in pdf_pages_text(data)]


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_joined_pdf_equals_the_one_document_layout(book: Book, theme: str,
                                                   request: pytest.FixtureRequest) -> None:
    whole = one_document(f"sample-{theme}")
    # The classic layout is the one the cache tests start from (laid out in full, with its
    # page map): not laid out a second time here.
    joined = (request.getfixturevalue("cold").result if theme == "classic"
              else render_pdf_in_pieces(book, options(theme), page_map_source="print"))
    assert texts(joined.data) == whole["pages"]
    assert joined.page_count == len(texts(joined.data))
    assert joined.section_pages == whole["section_pages"]
    # The page map from each piece's own pages, as read back from the joined book's.
    assert joined.page_map == derive_page_map(book, joined.data, "print")
    assert joined.page_map is not None and len(joined.page_map.pages) == joined.page_count


def test_the_seed_joined_equals_its_one_document_layout() -> None:
    from octavo.build import load, pdf_options

    loaded = load(SEEDS)
    joined = render_pdf_in_pieces(loaded.book, pdf_options(loaded))
    assert texts(joined.data) == one_document("seed")["pages"]


def test_chapters_opening_on_any_page_join_as_one_document(book: Book) -> None:
    joined = render_pdf_in_pieces(book, options(recto_openers=False))
    assert texts(joined.data) == one_document("sample-any-page-openers")["pages"]


def outline_titles(data: bytes) -> list[list[object]]:
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        out: list[list[object]] = []

        def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
            for item in items:
                out.append([depth, item.title])
                walk(item.children, depth + 1)

        walk(outline.root, 0)
        return out


def test_one_outline_nested_as_the_one_document(cold: Cold) -> None:
    joined = cold.result
    assert outline_titles(joined.data) == one_document("sample-classic")["outline"]
    assert any(depth == 1 for depth, _ in outline_titles(joined.data))  # chapters in a part


def test_the_contents_links_lead_to_the_chapters(cold: Cold) -> None:
    joined = cold.result
    with pikepdf.open(io.BytesIO(joined.data)) as pdf:
        names = pdf.Root.Names.Dests.Names
        dests = {str(names[k]): names[k + 1] for k in range(0, len(names), 2)}
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        for section, page in joined.section_pages.items():
            assert index[dests[section][0].objgen] == page


def edited(book: Book, chapter_index: int, words: str) -> Book:
    """The book with one more paragraph at the end of its body chapter ``chapter_index``."""
    seen = -1

    def edit(chapter):  # type: ignore[no-untyped-def]
        nonlocal seen
        seen += 1
        if seen != chapter_index:
            return chapter
        return replace(chapter, blocks=(*chapter.blocks, Paragraph((Text(words),))))

    return replace(book, body=map_body_chapters(book.body, edit))


def test_cache_hits_misses_and_an_edit_lays_out_one_chapter(
        book: Book, cold: Cold, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from octavo.press import fonts

    assert cold.count.pieces > 1 and cold.hits == 0
    cache = cold.cache_copy(tmp_path / "cache")
    read: list[bytes] = []
    facts = fonts._program_facts

    def counted(program: bytes) -> object:
        read.append(program)
        return facts(program)

    monkeypatch.setattr(fonts, "_program_facts", counted)
    again = LayoutCount()
    warm = render_pdf_in_pieces(book, options(), cache, again)
    assert again.pieces == 0 and again.probe == 0 and warm.data == cold.result.data
    assert read == []  # every subset's face known from the cache: no font program parsed
    # A page and more of new text in one chapter: its page count changes, and the chapters
    # after it, whose folios move, are still not laid out again.
    more = " ".join(["A paragraph added to the second chapter, long enough to run on."] * 40)
    changed = edited(book, 1, more)
    edit = LayoutCount()
    after = render_pdf_in_pieces(changed, options(), cache, edit, page_map_source="print")
    assert edit.pieces == 1
    # The later chapters' pages are where their cached alignment says, under new numbers.
    assert after.page_map == derive_page_map(changed, after.data, "print")
    assert edit.probe == 0  # no new kind of paragraph: what the probe read is kept too
    assert after.page_count > cold.result.page_count
    assert texts(after.data) == one_document("sample-edited")["pages"]
    # The same bytes as a build that takes nothing from the cache.
    assert after.data == render_pdf_in_pieces(changed, options()).data


def test_a_damaged_or_truncated_entry_is_laid_out_again(book: Book, cold: Cold,
                                                        tmp_path: Path) -> None:
    cache = cold.cache_copy(tmp_path / "cache")
    first = cold.count
    entries = sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert len(entries) > first.pieces  # the chapters, the front matter, the margin layer...
    for n, entry in enumerate(entries):
        data = bytearray(entry.read_bytes())
        if n % 2:
            del data[-100:]  # truncated
        else:
            data[len(data) // 2] ^= 0xFF  # one byte damaged
        entry.write_bytes(bytes(data))
    count = LayoutCount()
    warm = render_pdf_in_pieces(book, options(), cache, count)
    assert (count.pieces, count.front, count.layer) == (first.pieces, first.front, 1)
    assert warm.data == cold.result.data
    again = LayoutCount()
    render_pdf_in_pieces(book, options(), cache, again)  # the entries were written anew
    assert (again.pieces, again.front, again.layer) == (0, 0, 0)


def test_a_stale_entry_is_never_used(book: Book, cold: Cold, tmp_path: Path) -> None:
    """Another theme or trim gives other keys: nothing is taken from the cache."""
    cache = cold.cache_copy(tmp_path / "cache")
    first = cold.count
    count = LayoutCount()
    render_pdf_in_pieces(book, replace(options(), trim="5x8"), cache, count)
    assert (count.pieces, count.front, count.layer) == (first.pieces, 1, 1)


def test_a_chapter_is_planned_before_it_is_laid_out_and_laid_out_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Level spreads without a first layout to plan from: the plan read off the chapter's
    opening holds, and the book is the one the one-document layout (planned from a first
    layout, then laid out again) gives. Each piece's plan and layouts are read as the book is
    laid out (the plan the first one made of the piece's own lines, not of its notes run on)."""
    from octavo.press import chapters

    long_book, _ = normalize(sample_book("en", paragraphs=40))
    predict, lay_out_piece = chapters.predict_plan, chapters.lay_out_piece
    shared = chapters.shared_plan
    plans: list[bool] = []  # whether each plan of the piece being laid out had page breaks
    laid_once: list[tuple[bool, int]] = []  # each piece: planned first, layouts it took

    def predicted(*args: object) -> object:
        plan = predict(*args)  # type: ignore[arg-type]
        plans.append(plan is not None and bool(plan.page_starts))
        return plan

    def shared_predicted(*args: object) -> object:
        # Planned from the opening of a chapter of its shape laid out before (not its own).
        found = shared(*args)  # type: ignore[arg-type]
        if found is not None:
            plans.append(bool(found.plan.page_starts))
        return found

    def laid_out(*args: object, **kwargs: object) -> object:
        plans.clear()
        laid = lay_out_piece(*args, **kwargs)  # type: ignore[arg-type]
        laid_once.append((bool(plans) and plans[0], laid.layouts))
        return laid

    monkeypatch.setattr(chapters, "predict_plan", predicted)
    monkeypatch.setattr(chapters, "shared_plan", shared_predicted)
    monkeypatch.setattr(chapters, "lay_out_piece", laid_out)
    data = render_pdf_in_pieces(long_book, options(), workers=1).data
    planned = [layouts for was_planned, layouts in laid_once if was_planned]
    assert len(planned) >= 1
    assert planned == [1] * len(planned)
    assert texts(data) == one_document("sample-long")["pages"]


def test_a_chapter_edited_after_its_opening_is_planned_from_the_opening_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout of a chapter's opening its spreads are planned from is kept in the chapter
    cache: a chapter edited further on is planned without laying its opening out again, and
    laid out as it is without the cache."""
    from octavo.press import chapters
    from octavo.press.cache import KeptOpenings, stylesheet_parts
    from octavo.press.chapters import LayoutPool, Piece, lay_out_piece, layout_function
    from octavo.press.document import estimated_pages, print_parts
    from octavo.press.join import NO_MARGIN_BOXES_CSS
    from octavo.press.lines import set_lines
    from octavo.press.pieces import PieceBuild
    from octavo.press.spreads import predict_plan

    long_book, _ = normalize(sample_book("en", paragraphs=40))
    opts = options()
    parts = print_parts(long_book, (), opts.press, ())
    build = PieceBuild(long_book, opts, parts, estimated_pages(long_book, opts.trim), None,
                       LayoutCount(), LayoutPool(1))
    measured = build.measured()
    lay_out = layout_function(build.css, NO_MARGIN_BOXES_CSS)
    document = next(d for d in map(parts.section_document, range(len(parts.sections())))
                    if (plan := predict_plan(set_lines(d, measured), lay_out, False)) is not None
                    and plan.page_starts)
    last = document.rindex("</p>")
    edited = document[:last] + " and then some more words at its end" + document[last:]
    read = chapters.read_pages
    openings: list[str] = []

    def counted(laid_out: object) -> object:
        openings.append("laid out")
        return read(laid_out)  # type: ignore[arg-type]

    monkeypatch.setattr(chapters, "read_pages", counted)
    keep = KeptOpenings(tmp_path / "cache", stylesheet_parts(build.css))
    lay_out_piece(Piece(document), build.css, measured, None, NO_MARGIN_BOXES_CSS, keep=keep)
    assert len(openings) == 1
    again = lay_out_piece(Piece(edited), build.css, measured, None, NO_MARGIN_BOXES_CSS,
                          keep=keep)
    assert len(openings) == 1
    fresh = lay_out_piece(Piece(edited), build.css, measured, None, NO_MARGIN_BOXES_CSS)
    assert (again.pdf, again.texts, again.layouts) == (fresh.pdf, fresh.texts, fresh.layouts)
    assert "words at its end" in "".join(again.texts)


@pytest.mark.parametrize("cached", [False, True])
def test_the_join_reads_the_pieces_from_files_not_from_memory(
        book: Book, cold: Cold, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        cached: bool) -> None:
    """Until the join the build holds no piece's PDF nor the HTML it was laid out from, laid
    out now (the cold layout, its join recorded) or taken from the cache: each PDF is a file
    the join opens."""
    if cached:
        cache = cold.cache_copy(tmp_path / "cache")
        joined = join_recorded(monkeypatch)
        count = LayoutCount()
        data = render_pdf_in_pieces(book, options(), cache, count).data
        assert count.pieces == 0
    else:
        joined, data = cold.joined, cold.result.data
        assert cold.count.pieces > 1
    assert joined and all(held == (b"", "", True) for held in joined[-1])
    assert len(joined[-1]) > 2
    assert texts(data) == one_document("sample-classic")["pages"]


def test_pieces_past_the_open_file_limit_are_joined_from_memory(
        book: Book, cold: Cold, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A book of more chapters than the process may hold files open joins the rest from
    their bytes, into the same PDF (its pieces taken from the cache: the join reads them as
    it reads pieces laid out now, from their files)."""
    from octavo.press import join

    opened: list[bool] = []
    opened_piece = join._opened

    def counted(piece: object, from_file: bool = True) -> object:
        opened.append(from_file)
        return opened_piece(piece, from_file)  # type: ignore[arg-type]

    monkeypatch.setattr(join, "_opened", counted)
    monkeypatch.setattr(join, "files_for_pieces", lambda: 1)
    data = render_pdf_in_pieces(book, options(), cold.cache_copy(tmp_path / "cache")).data
    assert opened.count(True) == 2  # the first body piece and the front matter
    assert opened.count(False) >= 2
    assert texts(data) == one_document("sample-classic")["pages"]
