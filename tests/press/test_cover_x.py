"""The print cover under ``[print] pdf_x``: PDF/X like the interior (variant, output intent from
the bundled CMYK profile), process colour only (fills, text and the front image converted with
that profile), trim and bleed boxes, no transparency for X-1a, the same bytes every build."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from octavo.errors import OctavoError
from octavo.geometry import spine_width
from octavo.press.cover import device_cmyk, process_inks, render_cover
from octavo.press.document import ICC_PROFILE
from octavo.press.settings import PrintSettings
from octavo.print_jobs import build_cover
from octavo.themes import load_theme
from printbooks import metadata

PT = 72.0
PAGES = 140
RED = (180, 40, 40)
# The cover's ground when book.toml sets none (PrintSettings.cover_background).
GROUND = (0x1F, 0x2A, 0x36)
RGB_SPACES = {"/DeviceRGB", "/CalRGB", "/Lab"}


def book_folder(root: Path, pdf_x: str) -> Path:
    """A two-chapter book with a front image whose left half is transparent."""
    root.mkdir()
    image = Image.new("RGBA", (60, 90), (*RED, 255))
    image.paste((0, 0, 0, 0), (0, 0, 30, 90))
    image.save(root / "front.png")
    (root / "story.md").write_text("# One\n\nText.\n\n# Two\n\nMore text.\n", encoding="utf-8")
    x_line = f'pdf_x = "{pdf_x}"\n' if pdf_x else ""
    (root / "book.toml").write_text(
        'title = "Red Cover"\nauthor = "A. Writer"\ncover = "front.png"\ntrim = "6x9"\n'
        # With a print ISBN, so the barcode (pure black on white) is checked too.
        '[isbn]\nprint = "978-1-23456-789-7"\n'
        f'[print]\n{x_line}[cover_design]\nblurb = "A short blurb."\n', encoding="utf-8")
    return root


VARIANTS = ("x-4", "x-1a")


@pytest.fixture(scope="module")
def x_covers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    """Per variant, two builds of the same book's cover."""
    out = {}
    for variant in VARIANTS:
        folder = book_folder(tmp_path_factory.mktemp("cover-x") / "book", variant)
        first, _ = build_cover(folder, folder.parent / "first", pages=PAGES)
        second, _ = build_cover(folder, folder.parent / "second", pages=PAGES)
        out[variant] = (first.read_bytes(), second.read_bytes())
    return out


def to_press(rgb: tuple[int, int, int]) -> tuple[int, ...]:
    """What the bundled profile makes of an sRGB colour (relative colorimetric, BPC)."""
    transform = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(ICC_PROFILE)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform)
    assert pixel is not None
    value = pixel.getpixel((0, 0))
    assert isinstance(value, tuple)
    return value


def resource_dicts(resources: pikepdf.Object, seen: set[tuple[int, int]] | None = None
                   ) -> Iterator[tuple[pikepdf.Object, pikepdf.Object | None]]:
    """Each resource dictionary a page uses (its own, its forms', its patterns'), with the
    object that owns it (``None`` for the page's)."""
    seen = set() if seen is None else seen
    yield resources, None
    children = [*(resources.get("/XObject") or {}).values(),
                *(resources.get("/Pattern") or {}).values()]
    for child in children:
        if child.objgen in seen:
            continue
        seen.add(child.objgen)
        if "/Resources" in child:
            for found, owner in resource_dicts(child.Resources, seen):
                yield found, child if owner is None else owner


def colour_space_names(space: pikepdf.Object) -> set[str]:
    """Every family a colour space is built from (an ICCBased space by its component count)."""
    if isinstance(space, pikepdf.Name):
        return {str(space)}
    if isinstance(space, pikepdf.Array):
        family = str(space[0])
        if family == "/ICCBased":
            return {{1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}[int(space[1].N)]}
        names = {family}
        for part in list(space)[1:]:
            if isinstance(part, pikepdf.Name | pikepdf.Array):
                names |= colour_space_names(part)
        return names
    return set()


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def content_bytes(obj: pikepdf.Object) -> bytes:
    contents = obj.get("/Contents")
    if contents is None:  # a form XObject is its own content
        return bytes(obj.read_bytes())
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return bytes(contents.read_bytes())


@pytest.mark.parametrize("variant", VARIANTS)
def test_output_intent_and_version(x_covers: dict[str, tuple[bytes, bytes]],
                                   variant: str) -> None:
    data = x_covers[variant][0]
    with open_pdf(data) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert "FOGRA39" in str(intent.OutputConditionIdentifier)
        assert int(intent.DestOutputProfile.N) == 4
        # WeasyPrint embeds the profile as LittleCMS writes it back, not byte for byte.
        embedded = intent.DestOutputProfile.read_bytes()
        assert embedded[12:20] == b"prtrCMYK"  # an output (printer) profile for CMYK
        bundled = ImageCms.getOpenProfile(str(ICC_PROFILE)).profile
        assert (ImageCms.ImageCmsProfile(io.BytesIO(embedded)).profile.profile_description
                == bundled.profile_description)
        assert str(pdf.docinfo.Trapped) == "/False"
        xmp = pdf.Root.Metadata.read_bytes()
        if variant == "x-4":
            assert pdf.pdf_version == "1.6"
            assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        else:
            assert pdf.pdf_version == "1.4"
            assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
            assert b"PDF/X-1a:2003" in xmp
        assert "/ID" in pdf.trailer


@pytest.mark.parametrize("variant", VARIANTS)
def test_trim_and_bleed_boxes(x_covers: dict[str, tuple[bytes, bytes]], variant: str) -> None:
    with open_pdf(x_covers[variant][0]) as pdf:
        (page,) = pdf.pages
        media = [float(v) for v in page.MediaBox]
        bleed = [float(v) for v in page.BleedBox]
        trim = [float(v) for v in page.TrimBox]
        assert "/CropBox" not in page and "/ArtBox" not in page
        assert bleed == media
        left, bottom, right, top = (trim[0] - media[0], trim[1] - media[1],
                                    media[2] - trim[2], media[3] - trim[3])
        assert (left, bottom, right, top) == pytest.approx((9, 9, 9, 9), abs=0.001)
        assert trim[2] - trim[0] == pytest.approx((12 + spine_width(PAGES)) * PT, abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(9 * PT, abs=0.01)


@pytest.mark.parametrize("variant", VARIANTS)
def test_only_process_colour(x_covers: dict[str, tuple[bytes, bytes]], variant: str) -> None:
    with open_pdf(x_covers[variant][0]) as pdf:
        (page,) = pdf.pages
        images = []
        for resources, owner in resource_dicts(page.Resources):
            for name, space in (resources.get("/ColorSpace") or {}).items():
                assert not colour_space_names(space) & RGB_SPACES, name
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Image":
                    images.append(xobject)
                    assert colour_space_names(xobject.ColorSpace) == {"/DeviceCMYK"}
                    assert "/SMask" not in xobject
            content = content_bytes(page.obj if owner is None else owner)
            assert not re.search(rb"(^|\s)(rg|RG)\s", content)
        (front,) = images
        # Converted with the bundled profile: the red as the profile makes it, and the
        # transparent half laid on the cover's ground.
        pixels = Image.frombytes("CMYK", (int(front.Width), int(front.Height)),
                                 front.read_bytes())
        assert pixels.getpixel((45, 45)) == to_press(RED)
        assert pixels.getpixel((10, 45)) == to_press(GROUND)
        # Solid fills and text in process colour: the ground and the type's colour.
        fills = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (?:k|scn)\b",
                           content_bytes(page.obj))
        inks = {tuple(round(float(v) * 255) for v in fill) for fill in fills}
        assert to_press(GROUND) in inks and to_press((0xF4, 0xEF, 0xE6)) in inks
        # The barcode's bars in black ink alone on unprinted white.
        assert (0, 0, 0, 255) in inks and (0, 0, 0, 0) in inks


def test_no_transparency_in_x1a(x_covers: dict[str, tuple[bytes, bytes]]) -> None:
    with open_pdf(x_covers["x-1a"][0]) as pdf:
        (page,) = pdf.pages
        assert "/Group" not in page
        for resources, owner in resource_dicts(page.Resources):
            assert owner is None or "/Group" not in owner
            for gs in (resources.get("/ExtGState") or {}).values():
                assert gs.get("/SMask", pikepdf.Name.None_) == pikepdf.Name.None_
                assert float(gs.get("/ca", 1)) == 1 and float(gs.get("/CA", 1)) == 1
                assert str(gs.get("/BM", "/Normal")) in ("/Normal", "/Compatible")


@pytest.mark.parametrize("variant", VARIANTS)
def test_same_input_same_bytes(x_covers: dict[str, tuple[bytes, bytes]], variant: str) -> None:
    first, second = x_covers[variant]
    assert first == second


def test_without_pdf_x_the_cover_stays_rgb(tmp_path: Path) -> None:
    folder = book_folder(tmp_path / "book", "")
    out, _ = build_cover(folder, tmp_path / "out", pages=PAGES)
    with open_pdf(out.read_bytes()) as pdf:
        assert "/OutputIntents" not in pdf.Root
        (page,) = pdf.pages
        images = [x for x in page.Resources.XObject.values() if x.Subtype == "/Image"]
        assert [str(x.ColorSpace) for x in images] == ["/DeviceRGB"]


def test_process_inks() -> None:
    assert process_inks("device-cmyk(0 0.5 0 100%)", "foreground") == (0, 0.5, 0, 1)
    white = process_inks("white", "background")
    assert tuple(round(ink * 255) for ink in white) == to_press((255, 255, 255))
    assert device_cmyk(white) == "device-cmyk(0.0000 0.0000 0.0000 0.0000)"
    for bad in ("not-a-colour", "device-cmyk(0 0 1)", "device-cmyk(0 0 0 2)"):
        with pytest.raises(OctavoError, match=r"\[cover_design\] background '"):
            process_inks(bad, "background")
    press = PrintSettings(pdf_x="x-4", cover_foreground="#12")
    with pytest.raises(OctavoError, match=r"\[cover_design\] foreground '#12'"):
        render_cover(metadata(), load_theme("classic"), "6x9", PAGES, press)
