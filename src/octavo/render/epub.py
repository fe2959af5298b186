"""EPUB 3 backend: packages the shared XHTML with ebooklib, then re-zips it reproducibly.

Only packaging lives here (files, spine, navigation, metadata, cover, zip); the markup of the
book's content comes from ``render.html``. The print page list arrives as data (a
``PageMap`` the build derived from the laid-out PDF): this backend never looks at the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ebooklib import epub

from ..confine import image_file
from ..errors import OctavoError, read_input
from ..images import ebook_image
from ..model import Book, Image, Isbns, Metadata, Part, all_chapters, walk_blocks
from ..themes import Theme
from .cover import CoverImage, typographic_cover
from .deflated import Keep, write_deflated
from .frontmatter import copyright_lines, title_page_html, title_page_lines
from .html import (
    IMAGE_TYPES,
    HtmlOptions,
    Section,
    book_sections,
    collect_notes,
    escape,
    marker_words,
    note_numbers,
    page_marker_html,
    part_toc_label,
    render_chapter,
    render_part_title,
    semantic_attrs,
    text_units,
    toc_label,
)
from .labels import NumberStyle, authors_line, word
from .pagemap import PageMap, letters

# A fixed timestamp for every zip entry: the same input gives the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
PACKAGE_DIR = "EPUB"
NAV_FILE = "nav.xhtml"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True, slots=True)
class ExtraPage:
    """A page another edition adds after the title page: (file id, title, body XHTML)."""

    id: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class EpubOptions:
    modified: dt.datetime
    theme: Theme
    # Editions built on the trade ebook (review copies) add pages, a banner at the start of
    # every chapter file, and CSS, without the backend knowing what they are for.
    extra_front: tuple[ExtraPage, ...] = ()
    chapter_banner_html: str = ""
    extra_css: str = ""
    # Where the print edition's pages begin; None when no PDF was laid out with this build.
    page_map: PageMap | None = None
    # The author's cover; None: a typographic cover in the theme's face.
    cover: CoverImage | None = None
    # The theme's fonts (OFL: embedding allowed, no obfuscation needed) for the faces its
    # ebook stylesheet names in @font-face rules.
    embed_fonts: bool = True
    # The book's folder, where the manuscript's images are read from (and nothing outside it).
    image_root: Path | None = None
    # ``[epub] chapter_numbers``: the manuscript's own numbers, or a renumbering.
    chapter_numbers: NumberStyle = "manuscript"
    # Where what every build of the book makes alike (the faces deflated, the typographic
    # cover) is kept from one build to the next: the chapter cache.
    keep: Keep | None = None


@dataclass(frozen=True, slots=True)
class _Page:
    """A page of the ebook's own: its manifest id, title, body, and plain text (to place
    print page markers of the generated front matter)."""

    uid: str
    title: str
    body: str
    text: str = ""
    epub_type: str = ""
    # Where the page lives, from the package folder (the navigation document is not in text/).
    file: str = ""

    @property
    def href(self) -> str:
        return self.file or f"text/{self.uid}.xhtml"


# --------------------------------------------------------------------------- checks


def check_alt_text(book: Book) -> None:
    """Every image needs a text alternative (EPUB Accessibility, WCAG 1.1.1)."""
    for chapter in all_chapters(book):
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Image) and not block.alt.strip():
                raise OctavoError(
                    f"image '{block.src}' has no alt text: describe it in the manuscript "
                    "(Markdown: ![a lighthouse at dusk](lighthouse.jpg); Word or LibreOffice: the "
                    "picture's alt text) so screen readers can read it",
                    block.span.path if block.span.line else None, block.span.line or None)


@dataclass(frozen=True, slots=True)
class _PackagedImage:
    src: str
    file_name: str
    media_type: str
    data: bytes


def packaged_images(book: Book, root: Path | None) -> list[_PackagedImage]:
    """The manuscript's images, each once, in reading order: read from the book's folder, or
    as the manuscript carried them. Without a folder (a book built in memory) images named by
    a file are referenced as they are."""
    out: dict[str, _PackagedImage] = {}
    for chapter in all_chapters(book):
        for block in walk_blocks(chapter.blocks):
            if not isinstance(block, Image) or block.src in out:
                continue
            where = (block.span.path if block.span.line else None, block.span.line or None)
            safe = re.sub(r"[^A-Za-z0-9._-]+", "-", PurePosixPath(block.src).name)
            if block.data is not None:
                media_type = IMAGE_TYPES.get(PurePosixPath(block.src).suffix.lower())
                if media_type is None:
                    raise OctavoError(f"image '{block.src}': use JPEG, PNG, GIF, SVG or WebP",
                                      *where)
                out[block.src] = _PackagedImage(block.src, f"images/{len(out) + 1:03d}-{safe}",
                                                media_type, ebook_image(block.data, block.src))
                continue
            if root is None:
                continue
            path = image_file(block, root)
            media_type = IMAGE_TYPES.get(path.suffix.lower())
            if media_type is None:
                raise OctavoError(f"image '{block.src}': use JPEG, PNG, GIF, SVG or WebP", *where)
            out[block.src] = _PackagedImage(block.src, f"images/{len(out) + 1:03d}-{safe}",
                                            media_type,
                                            ebook_image(read_input(path, "the image"), path.name))
    return list(out.values())


def has_images(book: Book) -> bool:
    return any(isinstance(b, Image) for c in all_chapters(book) for b in walk_blocks(c.blocks))


# --------------------------------------------------------------------------- metadata


def file_as(name: str) -> str:
    """The sort form of a personal name: ``Mara Quill`` -> ``Quill, Mara``. A single word,
    or a name already in sort form, stays as it is."""
    name = " ".join(name.split())
    if "," in name or " " not in name:
        return name
    suffixes = {"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"}
    words = name.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower() in suffixes:
        suffix = ", " + words.pop()
    return f"{words[-1]}, {' '.join(words[:-1])}{suffix}"


def print_source(meta: Metadata, trim: str = "") -> str:
    """How the ebook names the print edition its page numbers come from."""
    if meta.isbn.print:
        return f"urn:isbn:{meta.isbn.print.replace('-', '').replace(' ', '')}"
    edition = f"{meta.title}, print edition" + (f" ({trim} in)" if trim else "")
    return edition


def accessibility_metadata(
    images: bool, page_list: bool
) -> list[tuple[str, str]]:
    """(property, value) pairs of EPUB Accessibility 1.1 (schema.org) metadata."""
    features = ["structuralNavigation", "readingOrder", "tableOfContents",
                "displayTransformability"]
    if page_list:
        features += ["printPageNumbers", "pageNavigation"]
    if images:
        features.append("alternativeText")
    modes = ["textual", *(["visual"] if images else [])]
    summary = (
        "This publication meets WCAG 2.1 Level AA. It has a table of contents, a heading for "
        "every section, landmarks and a logical reading order"
        + (", and the page numbers of the print edition" if page_list else "")
        + (". Every image has a text alternative" if images else "")
        + ". Text can be resized and restyled by the reading system. It has no hazards."
    )
    out = [("schema:accessMode", m) for m in modes]
    out.append(("schema:accessModeSufficient", "textual"))
    out += [("schema:accessibilityFeature", f) for f in features]
    out.append(("schema:accessibilityHazard", "none"))
    out.append(("schema:accessibilitySummary", summary))
    out.append(("dcterms:conformsTo", CONFORMANCE))
    return out


def _add_metadata(eb: epub.EpubBook, book: Book, options: EpubOptions, cover_id: str) -> None:
    meta = book.metadata
    eb.set_identifier(meta.identifier)
    eb.set_title(meta.title)
    eb.set_language(meta.language)
    for i, author in enumerate(meta.authors):
        uid = f"creator-{i}"
        eb.add_metadata("DC", "creator", author, {"id": uid})
        eb.add_metadata(None, "meta", file_as(author), {"refines": f"#{uid}",
                                                        "property": "file-as"})
        eb.add_metadata(None, "meta", "aut", {"refines": f"#{uid}", "property": "role",
                                              "scheme": "marc:relators"})
    if meta.publisher:
        eb.add_metadata("DC", "publisher", meta.publisher)
    if meta.rights:
        eb.add_metadata("DC", "rights", meta.rights)
    if meta.date:
        eb.add_metadata("DC", "date", meta.date)
    if meta.description:
        eb.add_metadata("DC", "description", meta.description)
    for subject in meta.subjects:
        eb.add_metadata("DC", "subject", subject)
    page_list = bool(options.page_map and options.page_map.pages)
    for prop, value in accessibility_metadata(has_images(book), page_list):
        eb.add_metadata(None, "meta", value, {"property": prop})
    # EPUB Accessibility 1.1 5.2: a conformance claim names who evaluated it: the publisher
    # who issues the book. An author did not evaluate it, so none is named without one.
    if meta.publisher:
        eb.add_metadata(None, "meta", meta.publisher, {"property": "a11y:certifiedBy"})
    if page_list and options.page_map is not None:
        eb.add_metadata(None, "meta", options.page_map.source, {"property": "pageBreakSource"})
    # Kobo and older readers find the cover through this EPUB 2 meta as well.
    eb.add_metadata(None, "meta", "", {"name": "cover", "content": cover_id})


# --------------------------------------------------------------------------- page list


@dataclass
class _Markers:
    """Where each print page marker goes: in a text unit of the model, or at the start of one
    of the ebook's own pages; and the page list in reading order."""

    text: dict[str, dict[tuple[int, ...], list[tuple[int, str]]]] = field(default_factory=dict)
    front: dict[str, list[str]] = field(default_factory=dict)
    hrefs: list[tuple[str, str]] = field(default_factory=list)


def place_page_markers(
    book: Book, page_map: PageMap | None, front_pages: Sequence[_Page]
) -> _Markers:
    """Markers for every printed page. A page that starts in the model's text goes before its
    first word; a generated front page (title, copyright) goes on the ebook's own page of the
    same text; a page with nothing of either (a blank, a printed contents) goes just before
    the next page that has, so the page list stays in reading order."""
    out = _Markers()
    if page_map is None:
        return out
    pending: list[str] = []
    next_front = 0
    seen_text = False

    def front_match(lead: str) -> int | None:
        for i in range(next_front, len(front_pages)):
            if same_opening(lead, front_pages[i].text):
                return i
        return None

    for page in page_map.pages:
        if page.section is not None:
            seen_text = True
            marks = out.text.setdefault(page.section, {}).setdefault(page.path, [])
            for label in [*pending, page.label]:
                marks.append((page.word, label))
                out.hrefs.append((label, f"text/{page.section}.xhtml#page-{label}"))
            pending = []
            continue
        index = None if seen_text else front_match(page.lead)
        if index is None:
            pending.append(page.label)
            continue
        next_front = index
        target = front_pages[index]
        for label in [*pending, page.label]:
            out.front.setdefault(target.uid, []).append(label)
            out.hrefs.append((label, f"{target.href}#page-{label}"))
        pending = []
    if pending:
        _place_at_end(book, pending, out)
    return out


def same_opening(printed: str, ebook: str) -> bool:
    """Whether a printed page and one of the ebook's own pages open with the same words: the
    same first 30 letters, the printed page's whole first line (a title page may leave out
    the subtitle), or the same first word (a printed contents page numbers its entries, the
    ebook's does not)."""
    key, text = letters(printed), letters(ebook)
    n = min(len(key), len(text), 30)
    if n >= 4 and key[:n] == text[:n]:
        return True
    first_line = letters(printed.splitlines()[0]) if printed.strip() else ""
    if len(first_line) >= 4 and text.startswith(first_line):
        return True
    first_printed = letters(printed.split()[0]) if printed.split() else ""
    first_ebook = letters(ebook.split()[0]) if ebook.split() else ""
    return len(first_printed) >= 3 and first_printed == first_ebook


def _place_at_end(book: Book, labels: list[str], out: _Markers) -> None:
    """Trailing pages (blank versos at the back) follow the last word of the book."""
    sections = book_sections(book)
    last = sections[-1]
    units = list(text_units(book, last))
    path, text = units[-1]
    marks = out.text.setdefault(last.id, {}).setdefault(path, [])
    for label in labels:
        marks.append((len(marker_words(text)), label))
        out.hrefs.append((label, f"text/{last.id}.xhtml#page-{label}"))


# --------------------------------------------------------------------------- documents


def _cover_page(meta: Metadata, cover: CoverImage, href: str) -> _Page:
    authors = authors_line(meta.authors, meta.language)
    by = f", {word('by', meta.language)} {authors}" if authors else ""
    alt = f"{word('cover', meta.language)}: {meta.title}{by}"
    body = (f'<section class="cover">\n<img {semantic_attrs("cover")} src="../{href}" '
            f'alt="{escape(alt)}" width="{cover.width}" height="{cover.height}"/>\n</section>')
    return _Page("cover", word("cover", meta.language), body)


def _title_page(book: Book) -> _Page:
    meta = book.metadata
    return _Page("titlepage", word("title_page", meta.language), title_page_html(meta),
                 " ".join(title_page_lines(meta)), "titlepage")


def _copyright_page(book: Book) -> _Page | None:
    """The imprint, line for line as the print edition's copyright page (the same rule), with
    the ebook's ISBN in place of the print one; none when the book gives nothing for it."""
    meta = book.metadata
    lines = copyright_lines(replace(meta, isbn=Isbns(print=meta.isbn.ebook)), None, ())
    if not lines:
        return None
    title = word("copyright", meta.language)
    body = "\n".join(
        [f'<section class="copyright-page" epub:type="copyright-page" '
         f'aria-label="{escape(title)}">',
         *(f"<p>{escape(line)}</p>" for line in lines), "</section>"])
    return _Page("copyright", title, body, " ".join(lines), "copyright-page")


def _document(uid: str, title: str, lang: str, css_href: str, body: str) -> epub.EpubHtml:
    page = epub.EpubHtml(uid=uid, title=title, file_name=f"text/{uid}.xhtml", lang=lang)
    page.content = f"<html><head><title>{escape(title)}</title></head><body>{body}</body></html>"
    page.add_link(href=css_href, rel="stylesheet", type="text/css")
    return page


def nav_document(book: Book, entries: Sequence[_NavEntry], landmarks: Sequence[tuple[str, str, str]],
                 pages: Sequence[tuple[str, str]], page_labels: Sequence[str] = ()) -> str:
    """The EPUB 3 navigation document: nested contents (parts hold their chapters),
    landmarks, and the print page list when there is one."""
    lang = book.metadata.language
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE html>",
           f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
           f' lang="{escape(lang)}" xml:lang="{escape(lang)}">',
           f"<head>\n<title>{escape(word('contents', lang))}</title>",
           '<link href="style/book.css" rel="stylesheet" type="text/css"/>\n</head>', "<body>",
           # A printed contents page begins here (markers may not stand inside <nav>).
           *(page_marker_html(label) for label in page_labels),
           f'<nav {semantic_attrs("toc")} id="toc">',
           f"<h2>{escape(word('contents', lang))}</h2>", "<ol>"]
    for entry in entries:
        out.append(f'<li><a href="{entry.href}">{escape(entry.label)}</a>')
        if entry.children:
            out.append("<ol>")
            out.extend(f'<li><a href="{c.href}">{escape(c.label)}</a></li>'
                       for c in entry.children)
            out.append("</ol>")
        out.append("</li>")
    out += ["</ol>", "</nav>",
            '<nav epub:type="landmarks" id="landmarks" hidden="hidden">',
            f"<h2>{escape(word('landmarks', lang))}</h2>", "<ol>"]
    out += [f'<li><a epub:type="{kind}" href="{href}">{escape(label)}</a></li>'
            for kind, href, label in landmarks]
    out += ["</ol>", "</nav>"]
    if pages:
        out += ['<nav epub:type="page-list" role="doc-pagelist" id="page-list" hidden="hidden">',
                f"<h2>{escape(word('pages', lang))}</h2>", "<ol>"]
        out += [f'<li><a href="{href}">{escape(label)}</a></li>' for label, href in pages]
        out += ["</ol>", "</nav>"]
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


@dataclass
class _NavEntry:
    label: str
    href: str
    children: list[_NavEntry] = field(default_factory=list)


def _font_items(css: str, theme: Theme) -> list[epub.EpubItem]:
    """The theme fonts the ebook stylesheet's @font-face rules name (``url(fonts/x.ttf)``)."""
    names = sorted(set(re.findall(r"url\(\s*['\"]?fonts/([^'\")]+)['\"]?\s*\)", css)))
    by_name = {f.name: f for f in theme.fonts}
    items = []
    for i, name in enumerate(names, start=1):
        font = by_name.get(name)
        if font is None:
            raise OctavoError(f"the theme's ebook stylesheet names fonts/{name}, which it lacks",
                              theme.path)
        media = {"ttf": "font/ttf", "otf": "font/otf", "woff": "font/woff",
                 "woff2": "font/woff2"}[font.suffix.lower().lstrip(".")]
        items.append(epub.EpubItem(uid=f"font-{i}", file_name=f"style/fonts/{name}",
                                   media_type=media, content=font.read_bytes()))
    return items


def _strip_font_faces(css: str) -> str:
    return re.sub(r"@font-face\s*\{[^}]*\}\s*", "", css)


# --------------------------------------------------------------------------- the book


def render_epub(book: Book, options: EpubOptions) -> bytes:
    """The whole EPUB file as bytes."""
    check_alt_text(book)
    meta = book.metadata
    lang = meta.language
    eb = epub.EpubBook()

    cover = options.cover or typographic_cover(meta, options.theme, options.keep)
    cover_href = f"images/cover.{cover.extension}"
    cover_item = epub.EpubCover(uid="cover-image", file_name=cover_href)
    cover_item.media_type = cover.media_type
    cover_item.content = cover.data
    eb.add_item(cover_item)
    _add_metadata(eb, book, options, cover_item.id)

    css_text = options.theme.epub_css + "\n" + options.extra_css
    if options.embed_fonts:
        for item in _font_items(css_text, options.theme):
            eb.add_item(item)
    else:
        css_text = _strip_font_faces(css_text)
    css = epub.EpubItem(uid="css", file_name="style/book.css", media_type="text/css",
                        content=css_text.encode("utf-8"))
    eb.add_item(css)
    css_href = "../" + css.file_name

    front = [p for p in (_title_page(book), _copyright_page(book)) if p is not None]
    toc_titles = [title for _section, title in _toc_titles(book, options.chapter_numbers)]
    contents = _Page("nav", word("contents", lang), "",
                     " ".join([word("contents", lang), *toc_titles]), "toc", NAV_FILE)
    markers = place_page_markers(book, options.page_map, [*front, contents])
    images = packaged_images(book, options.image_root)
    for i, image in enumerate(images, start=1):
        eb.add_item(epub.EpubImage(uid=f"image-{i}", file_name=image.file_name,
                                   media_type=image.media_type, content=image.data))
    notes = collect_notes(book)
    html_opts = HtmlOptions(
        notes="linked", note_bodies=notes, note_numbers=note_numbers(notes),
        image_hrefs={image.src: "../" + image.file_name for image in images},
        page_markers={sid: {path: tuple(m) for path, m in paths.items()}
                      for sid, paths in markers.text.items()},
    )

    spine: list[epub.EpubHtml | tuple[str, str]] = []
    landmarks: list[tuple[str, str, str]] = []

    def add(page: _Page) -> epub.EpubHtml:
        lead = "".join(page_marker_html(label) for label in markers.front.get(page.uid, []))
        body = page.body
        if lead:
            # Inside the page's section, before its first words, like markers in the text.
            body = body.replace(">", ">" + lead, 1) if body.startswith("<section") else lead + body
        item = _document(page.uid, page.title, lang, css_href, body)
        eb.add_item(item)
        spine.append(item)
        return item

    add(_cover_page(meta, cover, cover_href))
    landmarks.append(("cover", "text/cover.xhtml", word("cover", lang)))
    for i, page in enumerate(front):
        add(page)
        landmarks.append((page.epub_type, page.href, page.title))
        if i == 0:
            for extra in options.extra_front:
                add(_Page(extra.id, extra.title, extra.body))
    landmarks.append(("toc", f"{NAV_FILE}#toc", word("contents", lang)))
    # The contents sit with the front matter but outside the linear reading order; being in the
    # spine at all lets the landmarks point at them.
    spine.append(("nav", "no"))

    entries: list[_NavEntry] = []
    ncx: list[object] = []
    current_part: tuple[_NavEntry, list[epub.Link]] | None = None
    body_start = ""
    for section, title in _toc_titles(book, options.chapter_numbers):
        body = _section_body(book, section, html_opts, options.chapter_numbers,
                             options.chapter_banner_html)
        item = add(_Page(section.id, title, body))
        entry = _NavEntry(title, item.file_name)
        if section.kind in ("part", "chapter") and not body_start:
            body_start = item.file_name
            landmarks.append(("bodymatter", item.file_name, word("start", lang)))
        if section.kind == "part":
            links: list[epub.Link] = []
            current_part = (entry, links)
            entries.append(entry)
            ncx.append((epub.Section(title, href=item.file_name), links))
        elif section.part is not None and current_part is not None:
            current_part[0].children.append(entry)
            current_part[1].append(epub.Link(item.file_name, title, section.id))
        else:
            current_part = None
            entries.append(entry)
            ncx.append(epub.Link(item.file_name, title, section.id))

    eb.toc = ncx
    eb.add_item(epub.EpubNcx())
    eb.add_item(epub.EpubNav(file_name=NAV_FILE))
    eb.spine = spine
    eb.guide = []

    raw = io.BytesIO()
    epub.write_epub(raw, eb, {"mtime": options.modified, "epub2_guide": False, "epub3_pages": False,
                              "spine_direction": False, "package_direction": False,
                              # Packed again, compressed, by reproducible_zip: stored here.
                              "compresslevel": 0})
    nav = nav_document(book, entries, landmarks, markers.hrefs, markers.front.get("nav", []))
    return reproducible_zip(raw.getvalue(), {
        f"{PACKAGE_DIR}/{NAV_FILE}": lambda _old: nav.encode("utf-8"),
        f"{PACKAGE_DIR}/content.opf": lambda old: package_with_language(old, lang),
    }, options.keep)


def _toc_titles(book: Book, style: NumberStyle) -> list[tuple[Section, str]]:
    """Every section with the title the contents and the file's <title> give it."""
    out = []
    for section in book_sections(book):
        if section.kind == "part":
            assert isinstance(section.part, Part)
            out.append((section, part_toc_label(book, section.part, style)))
        else:
            assert section.chapter is not None
            out.append((section, toc_label(book, section.chapter, style)))
    return out


def _section_body(book: Book, section: Section, opts: HtmlOptions, style: NumberStyle,
                  banner: str = "") -> str:
    renumbered = style != "manuscript"
    if section.kind == "part":
        return render_part_title(book, section, opts, style, with_number=renumbered)
    return banner + render_chapter(book, section, opts, style, with_number=renumbered)


def package_with_language(opf: bytes, lang: str) -> bytes:
    """ebooklib writes no ``xml:lang`` on ``<package>``; Ace requires the package's language
    (epub-lang) and reading systems use it for the metadata's own language."""
    text = opf.decode("utf-8")
    text, n = re.subn(r"<package ", f'<package xml:lang="{escape(lang)}" ', text, count=1)
    if n != 1:
        raise AssertionError("no <package> element in the package document")
    text = re.sub(r'\s*<meta name="generator" content="[^"]*"/>', "", text, count=1)
    return text.encode("utf-8")


def reproducible_zip(
    data: bytes, rewrite: Mapping[str, object] | None = None, keep: Keep | None = None
) -> bytes:
    """Re-pack an EPUB with ``mimetype`` first and stored, fixed timestamps and permissions;
    ``rewrite`` maps an entry name to a function of its old bytes giving the new ones."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    ordered = ["mimetype", *sorted(n for n in names if n != "mimetype")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            content = src.read(name)
            fn = (rewrite or {}).get(name)
            if callable(fn):
                content = fn(content)
            if info.compress_type == zipfile.ZIP_DEFLATED:
                write_deflated(dst, info, content, 9, keep)
            else:
                dst.writestr(info, content, compresslevel=9)
    return out.getvalue()

