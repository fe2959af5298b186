"""octavo preflight: octavo's own interiors pass each printer's checks in every trim preset, and
PDFs broken on purpose (with pikepdf) fail the check named for what was broken."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from octavo.geometry import Paper, least_edge, margins_for, trim_size
from octavo.preflight import (
    PreflightReport,
    format_finding,
    preflight,
    preflight_files,
    printer_profile,
)
from octavo.preflight.cover import CoverJob, barcode_box
from octavo.preflight.facts import PdfFacts, read_pdf
from octavo.preflight.profiles import INGRAM, KDP, LULU, PrinterProfile
from printbooks import sentence

TRIMS = ("5x8", "5.25x8", "5.5x8.5", "6x9", "a5", "b-format")
DEFAULT_TRIM = "6x9"  # a book.toml without ``trim``


def write_book(folder: Path, pages: int, toml: str = "") -> Path:
    """A one-chapter book of ``pages`` short pages (an editor's page break after each two
    paragraphs): past a printer's page minimum while laying out little text."""
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(f"{sentence(rng, 20)}\n\n{sentence(rng, 10)}\n\n{{pagebreak}}"
                       for _ in range(pages))
    (folder / "tale.txt").write_text(f"# Chapter One\n\n{body}\n", encoding="utf-8")
    (folder / "book.toml").write_text(f'title = "Tiny"\nauthor = "A. Writer"\n{toml}',
                                      encoding="utf-8")
    return folder


def build_pdf(folder: Path, outdir: Path) -> Path:
    from octavo.build import build

    result = build(folder, outdir, ("pdf",), workers=1, preflight=False)
    return result.outputs["pdf"]


@pytest.fixture(scope="module")
def interiors(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The tiny book's interior PDF for a book.toml (``trim``, ``[print]``), built once."""
    built: dict[str, Path] = {}

    def interior(toml: str) -> Path:
        if toml not in built:
            root = tmp_path_factory.mktemp("book")
            built[toml] = build_pdf(write_book(root / "tiny", 26, toml), root / "out")
        return built[toml]

    return interior


class ReadOnce:
    """``preflight_files`` for PDFs that no test changes once written (the fixtures' interiors
    and covers): each read once for every printer's checks of it."""

    def __init__(self) -> None:
        self._read: dict[tuple[Path, bool], PdfFacts] = {}

    def facts(self, pdf: Path, keep_glyphs: bool = False) -> PdfFacts:
        if (pdf, keep_glyphs) not in self._read:
            self._read[pdf, keep_glyphs] = read_pdf(pdf, keep_glyphs=keep_glyphs)
        return self._read[pdf, keep_glyphs]

    def __call__(self, interior: Path, profile: PrinterProfile, cover: Path | None = None,
                 paper: Paper = "white") -> PreflightReport:
        # As preflight_files reads them: a cover with its glyphs (its barcode area's text).
        return preflight(self.facts(interior), profile,
                         self.facts(cover, keep_glyphs=True) if cover is not None else None, paper)


@pytest.fixture(scope="module")
def checked() -> ReadOnce:
    return ReadOnce()


def codes(report: PreflightReport) -> set[str]:
    return {f.code for f in report.findings}


def errors(report: PreflightReport) -> set[str]:
    return {f.code for f in report.findings if f.severity == "error"}


def broken(pdf: Path, out: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    """A copy of ``pdf`` with ``change`` made to it."""
    with pikepdf.open(pdf) as doc:
        change(doc)
        doc.save(out)
    return out


def add_content(doc: pikepdf.Pdf, index: int, content: bytes, **resources: pikepdf.Object
                ) -> None:
    """Draw ``content`` over page ``index``, with the named fonts/images it uses, in the
    page's own coordinates (whatever matrix its content leaves set)."""
    page = doc.pages[index]
    res = pikepdf.Dictionary(dict(page.obj.Resources.items()))
    for name, obj in resources.items():
        kind = "/Font" if obj.get("/Type") == pikepdf.Name.Font else "/XObject"
        table = pikepdf.Dictionary(dict(res.get(kind, pikepdf.Dictionary()).items()))
        table[f"/{name}"] = obj
        res[kind] = table
    page.obj.Resources = res
    page.contents_add(doc.make_stream(b"q"), prepend=True)
    page.contents_add(doc.make_stream(b"Q q " + content + b" Q"), prepend=False)


# --------------------------------------------------------------------------- octavo passes


@pytest.mark.parametrize("trim", TRIMS)
def test_octavo_interior_passes_kdp_in_every_trim(interiors: Callable[[str], Path],
                                                  checked: ReadOnce, trim: str) -> None:
    # The default trim's interior is the plain book's, which most tests below read.
    interior = interiors("" if trim == DEFAULT_TRIM else f'trim = "{trim}"\n')
    report = checked(interior, KDP)
    assert report.errors == 0, [format_finding(f) for f in report.findings]
    assert report.pages >= KDP.min_pages and report.pages % 2 == 0
    first = checked.facts(interior).pages[0].trim_or_media
    width, height = first.width, first.height
    assert (width, height) == pytest.approx(trim_size(trim), abs=0.01)
    # A5 and B-format are not among KDP's standard trims: printed as custom ones (a warning).
    assert codes(report) == ({"P001"} if trim in ("a5", "b-format") else set())
    for printer in (INGRAM, LULU):
        # The same trim is one of the other services' own, or refused with P001.
        listed = any(abs(t.width - width) <= 0.01 and abs(t.height - height) <= 0.01
                     for t in printer.trims)
        assert ("P001" in errors(checked(interior, printer))) is not listed


@pytest.mark.parametrize(("printer", "trim", "print_keys"), [
    ("ingram", "", ""), ("lulu", "", ""), ("kdp", 'trim = "5x8"\n', "bleed = true\n")])
def test_naming_the_printer_keeps_heads_and_folios_its_edge_from_the_trim(
        interiors: Callable[[str], Path], checked: ReadOnce, printer: str, trim: str,
        print_keys: str) -> None:
    """The theme's running heads sit 0.46 in from the top of a 5.5 x 8.5 in page (0.30 in on a
    5 x 8 in one): IngramSpark and Lulu want 0.5 in, KDP 0.375 in with bleed. Naming the
    printer in book.toml grows the head and foot margins (and makes IngramSpark's file PDF/X-1a),
    so the book passes that printer's checks as built."""
    profile = printer_profile(printer)
    # Without print keys the unnamed book is the plain one (an empty [print] is no [print]).
    unnamed = interiors(f"{trim}[print]\n{print_keys}" if print_keys else trim)
    assert "P006" in errors(checked(unnamed, profile))
    named = interiors(f'{trim}[print]\n{print_keys}printer = "{printer}"\n')
    report = checked(named, profile)
    # The 26-page fixture is under Lulu's 32-page minimum (P002): every other check passes.
    assert errors(report) - {"P002"} == set(), [format_finding(f) for f in report.findings]
    assert report.errors == (printer == "lulu")


def test_octavo_bleed_interior_passes_and_a_missing_bleedbox_fails(
        interiors: Callable[[str], Path], checked: ReadOnce, tmp_path: Path) -> None:
    pdf = interiors("[print]\nbleed = true\n")
    assert checked(pdf, KDP).findings == ()

    def drop_bleed_box(doc: pikepdf.Pdf) -> None:
        del doc.pages[2].obj["/BleedBox"]

    report = preflight_files(broken(pdf, tmp_path / "b.pdf", drop_bleed_box), KDP)
    (finding,) = report.findings
    assert finding.code == "P004" and finding.pages == (3,)
    assert "no BleedBox" in finding.message

    def bleed_at_the_inside(doc: pikepdf.Pdf) -> None:
        page = doc.pages[4].obj  # a recto: bound at its left
        x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
        page.MediaBox = page.BleedBox = pikepdf.Array([x0 - 9, y0, x1, y1])

    report = preflight_files(broken(pdf, tmp_path / "c.pdf", bleed_at_the_inside), KDP)
    assert [(f.code, f.pages) for f in report.findings] == [("P004", (5,))]
    assert "inside 0.125 in" in report.findings[0].message


def test_octavo_pdf_x1a_passes_ingrams_colour_and_transparency(
        interiors: Callable[[str], Path], checked: ReadOnce, tmp_path: Path) -> None:
    x1a = checked(interiors('[print]\npdf_x = "x-1a"\n'), INGRAM)
    assert not codes(x1a) & {"P007", "P008", "P009", "P010", "P011", "P012"}, x1a.findings
    # Without pdf_x the text is RGB black: IngramSpark's PDF/X-1a refuses it, KDP does not.
    plain = interiors("")
    rgb = checked(plain, INGRAM)
    assert {"P011", "P012"} <= codes(rgb)
    assert any("DeviceRGB" in f.message and "pdf_x" in f.fix for f in rgb.findings)
    assert not codes(checked(plain, KDP)) & {"P010", "P011", "P012"}

    def half_opaque(doc: pikepdf.Pdf) -> None:
        state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.5)
        page = doc.pages[1]
        res = pikepdf.Dictionary(dict(page.obj.Resources.items()))
        res.ExtGState = pikepdf.Dictionary(dict(res.get("/ExtGState",
                                                            pikepdf.Dictionary()).items()))
        res.ExtGState.Half = state
        page.obj.Resources = res
        page.contents_add(doc.make_stream(b"q /Half gs 0 0 0 1 k 100 100 50 50 re f Q"))

    report = preflight_files(broken(interiors('[print]\npdf_x = "x-1a"\n'), tmp_path / "t.pdf",
                                    half_opaque), INGRAM)
    (finding,) = [f for f in report.findings if f.code == "P010"]
    assert finding.pages == (2,) and "opacity of 0.5" in finding.message


def test_a_pages_text_extent_is_the_union_of_its_glyphs(interiors: Callable[[str], Path],
                                                        checked: ReadOnce) -> None:
    """Read without its glyphs, a page's text extent skips the characters inside the extent
    so far: the same extent as the union of every glyph's box."""
    interior = interiors("")
    plain, with_glyphs = checked.facts(interior), checked.facts(interior, keep_glyphs=True)
    assert [p.text for p in plain.pages] == [p.text for p in with_glyphs.pages]
    assert sum(len(p.glyphs) for p in with_glyphs.pages) > 20 * len(plain.pages)
    assert all(p.text is not None for p in plain.pages[6:12])
    assert not any(p.glyphs for p in plain.pages)


# --------------------------------------------------------------------------- broken on purpose


def test_p002_too_few_pages_and_p003_an_odd_count(interiors: Callable[[str], Path],
                                                  checked: ReadOnce, tmp_path: Path) -> None:
    pdf = interiors("")

    def keep_ten(doc: pikepdf.Pdf) -> None:
        del doc.pages[10:]

    report = preflight_files(broken(pdf, tmp_path / "ten.pdf", keep_ten), KDP)
    assert errors(report) == {"P002"}
    assert "10 pages: Amazon KDP binds 24 to 828 pages" in report.findings[0].message

    def drop_last(doc: pikepdf.Pdf) -> None:
        del doc.pages[-1]

    odd = broken(pdf, tmp_path / "odd.pdf", drop_last)
    kdp = checked(odd, KDP)
    assert [(f.code, f.severity) for f in kdp.findings] == [("P003", "warning")]
    assert kdp.errors == 0
    assert ("P003", "error") in {(f.code, f.severity) for f in checked(odd, INGRAM)
                                 .findings}


def test_p001_a_trim_no_printer_prints_and_a_page_of_another_size(
        interiors: Callable[[str], Path], checked: ReadOnce, tmp_path: Path) -> None:
    pdf = interiors("")

    def every_page(width: float, height: float) -> Callable[[pikepdf.Pdf], None]:
        def resize(doc: pikepdf.Pdf) -> None:
            for page in doc.pages:
                page.obj.MediaBox = pikepdf.Array([0, 0, width * 72, height * 72])
                for box in ("/TrimBox", "/BleedBox", "/CropBox"):
                    if box in page.obj:
                        del page.obj[box]
        return resize

    custom = broken(pdf, tmp_path / "custom.pdf", every_page(6.3, 9.3))
    assert [(f.code, f.severity) for f in checked(custom, KDP).findings
            if f.code == "P001"] == [("P001", "warning")]
    assert "P001" in errors(checked(custom, INGRAM))
    huge = broken(pdf, tmp_path / "huge.pdf", every_page(11, 17))
    assert "P001" in errors(preflight_files(huge, KDP))

    def one_page_wider(doc: pikepdf.Pdf) -> None:
        page = doc.pages[7].obj
        page.MediaBox = page.TrimBox = page.BleedBox = pikepdf.Array([0, 0, 440, 648])

    report = preflight_files(broken(pdf, tmp_path / "one.pdf", one_page_wider), KDP)
    assert [(f.code, f.pages) for f in report.findings] == [("P001", (8,))]


def test_p005_text_shifted_into_the_gutter(interiors: Callable[[str], Path],
                                           tmp_path: Path) -> None:
    pdf = interiors("")

    def shift_rectos_left(doc: pikepdf.Pdf) -> None:
        for index in range(0, len(doc.pages), 2):
            page = doc.pages[index]
            page.contents_add(doc.make_stream(b"q 1 0 0 1 -22 0 cm"), prepend=True)
            page.contents_add(doc.make_stream(b"Q"), prepend=False)

    report = preflight_files(broken(pdf, tmp_path / "g.pdf", shift_rectos_left), KDP)
    assert errors(report) == {"P005"}
    (finding,) = report.findings
    assert set(finding.pages) <= set(range(1, report.pages + 1, 2)) and len(finding.pages) > 5
    assert "needs 0.375 in" in finding.message


def test_p005_the_same_margins_too_narrow_for_a_thick_book(interiors: Callable[[str], Path],
                                                           tmp_path: Path) -> None:
    """The page count sets the gutter: pages added to a thin book's PDF leave its inside
    margin too narrow for the thickness."""
    pdf = interiors("")

    def thicken(doc: pikepdf.Pdf) -> None:
        blank = doc.pages[-1]
        for _ in range(520 - len(doc.pages)):
            doc.pages.append(blank)

    report = preflight_files(broken(pdf, tmp_path / "thick.pdf", thicken), KDP)
    assert errors(report) == {"P005"}
    assert "a book of 520 pages needs 0.75 in" in report.findings[0].message


def test_p006_text_near_the_outside_edge(interiors: Callable[[str], Path],
                                         tmp_path: Path) -> None:
    pdf = interiors("")

    def shift_verso_out(doc: pikepdf.Pdf) -> None:
        page = doc.pages[3]  # a verso: its outside edge is its left
        page.contents_add(doc.make_stream(b"q 1 0 0 1 -30 0 cm"), prepend=True)
        page.contents_add(doc.make_stream(b"Q"), prepend=False)

    report = preflight_files(broken(pdf, tmp_path / "o.pdf", shift_verso_out), KDP)
    assert [(f.code, f.pages) for f in report.findings] == [("P006", (4,))]
    assert "from the outside edge of the trim: Amazon KDP wants 0.25 in" in (
        report.findings[0].message)


def test_p007_an_unembedded_standard_font(interiors: Callable[[str], Path],
                                          tmp_path: Path) -> None:
    def helvetica(doc: pikepdf.Pdf) -> None:
        font = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
        add_content(doc, 5, b"BT /Helv 10 Tf 120 300 Td (Lost) Tj ET", Helv=font)

    report = preflight_files(broken(interiors(""), tmp_path / "f.pdf", helvetica), KDP)
    assert [(f.code, f.pages) for f in report.findings] == [("P007", (6,))]
    assert "the font Helvetica (Type1) is not embedded" in report.findings[0].message


def test_p008_a_type3_font(interiors: Callable[[str], Path], tmp_path: Path) -> None:
    def type3(doc: pikepdf.Pdf) -> None:
        glyph = doc.make_stream(b"1000 0 0 0 750 750 d1 0 0 750 750 re f")
        font = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, Name=pikepdf.Name.Boxes,
            FontBBox=[0, 0, 750, 750], FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
            CharProcs=pikepdf.Dictionary(a=glyph), FirstChar=97, LastChar=97, Widths=[1000],
            Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding,
                                        Differences=[97, pikepdf.Name.a]),
            Resources=pikepdf.Dictionary()))
        add_content(doc, 9, b"BT /Box 10 Tf 120 300 Td (aaa) Tj ET", Box=font)

    report = preflight_files(broken(interiors(""), tmp_path / "t3.pdf", type3), KDP)
    assert [(f.code, f.pages) for f in report.findings] == [("P008", (10,))]


def _gray_image(doc: pikepdf.Pdf, pixels: int) -> pikepdf.Object:
    return doc.make_stream(bytes(pixels * pixels), Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Image, Width=pixels, Height=pixels,
                           ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)


def test_p009_a_72_ppi_image_fails_and_a_200_ppi_one_warns(interiors: Callable[[str], Path],
                                                          tmp_path: Path) -> None:
    def images(doc: pikepdf.Pdf) -> None:
        # One inch square each: the placed size comes from the matrix (72 pt = 1 in).
        add_content(doc, 1, b"72 0 0 72 150 200 cm /Low Do", Low=_gray_image(doc, 72))
        add_content(doc, 3, b"0 -72 72 0 150 300 cm /Mid Do", Mid=_gray_image(doc, 200))
        add_content(doc, 5, b"72 0 0 72 150 200 cm /Good Do", Good=_gray_image(doc, 300))
        # An inline image of 10 x 10 pixels over an inch: 10 ppi.
        add_content(doc, 7, b"72 0 0 72 150 200 cm BI /W 10 /H 10 /CS /G /BPC 8 ID "
                    + bytes(100) + b" EI")

    report = preflight_files(broken(interiors(""), tmp_path / "i.pdf", images), KDP)
    found = {(f.code, f.severity, f.pages) for f in report.findings}
    assert found == {("P009", "error", (2,)), ("P009", "warning", (4,)),
                     ("P009", "error", (8,))}
    low = next(f for f in report.findings if f.severity == "error")
    assert "72 ppi at its placed size (1.00 x 1.00 in, 72 x 72 pixels)" in low.message
    assert "at least 300 x 300 pixels" in low.fix


# --------------------------------------------------------------------------- the cover


@pytest.fixture(scope="module")
def cover_pdf(interiors: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
              ) -> Callable[[int], Path]:
    """The tiny book's print cover for a page count."""
    from octavo.build import load, pdf_options
    from octavo.press.cover import render_cover

    book = write_book(tmp_path_factory.mktemp("cover") / "tiny", 2)
    loaded = load(book)
    options = pdf_options(loaded)

    def cover(pages: int) -> Path:
        out = book.parent / f"cover-{pages}.pdf"
        if not out.exists():
            out.write_bytes(render_cover(loaded.book.metadata, loaded.theme, "6x9", pages,
                                         options.press, modified=options.modified))
        return out

    return cover


def test_octavo_cover_passes_and_one_for_another_page_count_fails(
        interiors: Callable[[str], Path], checked: ReadOnce,
        cover_pdf: Callable[[int], Path]) -> None:
    interior = interiors("")
    pages = len(checked.facts(interior).pages)
    assert checked(interior, KDP, cover_pdf(pages)).findings == ()
    report = checked(interior, KDP, cover_pdf(pages + 300))
    (finding,) = report.findings
    assert finding.code == "P020" and finding.file.endswith(f"cover-{pages + 300}.pdf")
    assert f"for {pages} pages of 6.000 x 9.000 in on white paper" in finding.message
    assert f"--pages {pages} --paper white" in finding.fix



def test_p020_the_paper_sets_the_spine(interiors: Callable[[str], Path], checked: ReadOnce,
                                       cover_pdf: Callable[[int], Path], tmp_path: Path) -> None:
    """400 pages: a cream spine is 0.1 in thicker than a white one."""

    def thicken(doc: pikepdf.Pdf) -> None:
        for _ in range(400 - len(doc.pages)):
            doc.pages.append(doc.pages[-1])

    interior = broken(interiors(""), tmp_path / "thick.pdf", thicken)
    assert "P020" not in codes(checked(interior, KDP, cover_pdf(400), "white"))
    cream = checked(interior, KDP, cover_pdf(400), "cream")
    assert "spine 1.000 in" in next(f for f in cream.findings if f.code == "P020").message


def test_p021_text_in_the_barcode_area(interiors: Callable[[str], Path], checked: ReadOnce,
                                       cover_pdf: Callable[[int], Path], tmp_path: Path) -> None:
    interior = interiors("")
    pages = len(checked.facts(interior).pages)
    cover = cover_pdf(pages)
    area = barcode_box(CoverJob(checked.facts(cover), (6.0, 9.0), pages, "white"), KDP)

    def text_in_it(doc: pikepdf.Pdf) -> None:
        font = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica))
        at = f"{area.x0 + 20:.1f} {area.y0 + 30:.1f}".encode()
        add_content(doc, 0, b"BT /Helv 12 Tf " + at + b" Td (Blurb goes on) Tj ET", Helv=font)

    report = checked(interior, KDP, broken(cover, tmp_path / "c.pdf", text_in_it))
    assert "P021" in errors(report)
    assert "text ('Blurbgoeson')" in next(f for f in report.findings if f.code == "P021").message

    def barcode_image(doc: pikepdf.Pdf) -> None:
        place = f"100 0 0 60 {area.x0 + 20:.1f} {area.y0 + 10:.1f} cm /Bars Do".encode()
        add_content(doc, 0, place, Bars=_gray_image(doc, 800))

    report = checked(interior, KDP, broken(cover, tmp_path / "d.pdf", barcode_image))
    assert report.findings == ()


# --------------------------------------------------------------------------- command line


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Ran:
    """``octavo ARGS`` in this process (its imports and fonts warm, where a process of its own
    took a second or more to start): the exit code and the two streams. An exception escaping
    the command (what would be a traceback) fails the test."""
    from click.testing import CliRunner

    from octavo.cli import main

    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def test_cli_lines_json_and_exit_codes(interiors: Callable[[str], Path], tmp_path: Path) -> None:
    pdf = interiors("")
    ok = run("preflight", str(pdf))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == ""
    assert "Amazon KDP" in ok.stderr and "0 error(s), 0 warning(s)" in ok.stderr

    def keep_ten(doc: pikepdf.Pdf) -> None:
        del doc.pages[10:]

    short = broken(pdf, tmp_path / "short.pdf", keep_ten)
    bad = run("preflight", str(short), "--printer", "kdp")
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [
        f"{short}: error P002: 10 pages: Amazon KDP binds 24 to 828 pages; fix: add 14 pages or more "
        "(front and back matter, a larger type), or publish it as an ebook only"]
    report = json.loads(run("preflight", str(short), "--json", "--printer", "ingram").stdout)
    assert report["printer"] == "ingram" and report["pages"] == 10
    assert {"P002", "P011"} <= {f["rule"] for f in report["findings"]}
    assert all(f["severity"] in ("error", "warning") for f in report["findings"])
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("not a pdf")
    failed = run("preflight", str(not_pdf))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.startswith(f"octavo: error: {not_pdf}: not a PDF")


def test_build_preflights_for_the_printer_book_toml_names(tmp_path: Path) -> None:
    """``[print] printer``: the build checks its PDF and fails on the printer's errors (here
    a book too short to bind); preflight of the folder builds interior and cover."""
    book = write_book(tmp_path / "thin", 2, '[print]\nprinter = "kdp"\n')
    built = run("build", str(book), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert built.returncode == 1
    pdf = tmp_path / "out" / "tiny.pdf"
    assert pdf.is_file()
    assert f"octavo: {pdf}: error P002: " in built.stderr
    assert built.stderr.strip().splitlines()[-1].startswith(
        f"octavo: error: {pdf}: the PDF fails Amazon KDP's checks (1 error(s))")
    folder = run("preflight", str(book), "--json")
    assert folder.returncode == 1
    report = json.loads(folder.stdout)
    assert report["interior"] == "tiny.pdf" and report["cover"] == "tiny-cover.pdf"
    assert [f["rule"] for f in report["findings"]] == ["P002"]


def test_margins_grow_to_the_printers_edge_plus_the_margin_layer() -> None:
    plain = margins_for((5.5, 8.5), 300)
    assert (plain.top, plain.bottom) == (0.8, 0.85)
    assert margins_for((5.5, 8.5), 300, least_edge("kdp", bleed=False)) == plain
    ingram = margins_for((5.5, 8.5), 300, least_edge("ingram", bleed=False))
    assert (ingram.top, ingram.bottom) == (0.875, 0.875) and ingram.inside == plain.inside
    assert margins_for((5, 8), 300, least_edge("kdp", bleed=True)).top == 0.75
    assert least_edge("", bleed=True) == 0.0


def test_profiles_gutter_bands_and_names() -> None:
    assert [KDP.gutter(n) for n in (24, 150, 151, 300, 301, 500, 501, 700, 701, 828)] == [
        0.375, 0.375, 0.5, 0.5, 0.625, 0.625, 0.75, 0.75, 0.875, 0.875]
    # IngramSpark and Lulu keep half an inch from the trim on every side.
    assert INGRAM.gutter(24) == LULU.gutter(100) == 0.5 and INGRAM.gutter(400) == 0.625
    assert (KDP.min_pages, KDP.max_pages) == (24, 828)
    assert printer_profile("ingram") is INGRAM
