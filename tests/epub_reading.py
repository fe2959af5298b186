"""Reading a built EPUB the way a reading system does, for the ebook tests: the package,
the spine documents in order, and what follows each print page marker."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def letters(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


@dataclass
class Package:
    zip: zipfile.ZipFile
    opf_path: str
    opf: etree._Element

    def read(self, href: str) -> bytes:
        return self.zip.read(str(PurePosixPath(self.opf_path).parent / href))

    def xhtml(self, href: str) -> etree._Element:
        return etree.fromstring(self.read(href.split("#")[0]))

    def meta(self, prop: str) -> list[str]:
        return [m.text or "" for m in self.opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]

    def dc(self, name: str) -> list[etree._Element]:
        return list(self.opf.iterfind(f"opf:metadata/dc:{name}", NS))

    def manifest(self) -> dict[str, etree._Element]:
        return {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def spine_hrefs(self) -> list[str]:
        items = self.manifest()
        return [items[r.get("idref")].get("href") for r in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def nav_href(self) -> str:
        return next(i.get("href") for i in self.manifest().values()
                    if "nav" in (i.get("properties") or "").split())

    def nav(self, kind: str) -> etree._Element | None:
        doc = self.xhtml(self.nav_href())
        for nav in doc.iter(f"{{{NS['x']}}}nav"):
            if nav.get(EPUB_TYPE) == kind:
                return nav
        return None


def open_package(path: Path) -> Package:
    z = zipfile.ZipFile(path)
    container = etree.fromstring(z.read("META-INF/container.xml"))
    opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
    return Package(z, opf_path, etree.fromstring(z.read(opf_path)))


def reading_stream(pkg: Package) -> list[tuple[str, str]]:
    """The spine's text in reading order as ("word", text) and ("page", label) events.
    Footnote bodies and note reference numbers are left out: print sets them apart."""
    events: list[tuple[str, str]] = []

    def walk(el: etree._Element) -> None:
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        types = (el.get(EPUB_TYPE) or "").split()
        if tag in ("head", "aside") or "noteref" in types:
            if el.tail:
                events.extend(("word", w) for w in el.tail.split())
            return
        if "pagebreak" in types:
            events.append(("page", el.get("aria-label") or ""))
        if el.text and tag:
            events.extend(("word", w) for w in el.text.split())
        for child in el:
            walk(child)
        if el.tail:
            events.extend(("word", w) for w in el.tail.split())

    for href in pkg.spine_hrefs():
        walk(pkg.xhtml(href))
    return events


def text_after_markers(pkg: Package, chars: int = 40) -> list[tuple[str, str]]:
    """(page label, the letters of the text right after its marker) in reading order."""
    events = reading_stream(pkg)
    out = []
    for i, (kind, value) in enumerate(events):
        if kind != "page":
            continue
        following = []
        for kind2, value2 in events[i + 1:]:
            if kind2 == "word":
                following.append(letters(value2))
                if sum(map(len, following)) >= chars:
                    break
        out.append((value, "".join(following)[:chars]))
    return out


_FOLIO = re.compile(r"^(\d{1,4}|[ivxlcdm]{1,8})$")


def printed_folio(page_text: str) -> str | None:
    """A page number at either end of the page's last or first line (alone, or beside the
    running head)."""
    # A verso's letter-spaced folio may extract apart ("9 6 ARTHUR CONAN DOYLE").
    lines = [re.sub(r"^\d(?: \d)+(?= |$)", lambda m: m.group().replace(" ", ""), ln.strip())
             for ln in page_text.splitlines() if ln.strip()]
    for line in (lines[-1:] + lines[:1]):
        words = line.split()
        for token in (words[-1], words[0]):
            if _FOLIO.match(token) and (len(words) == 1 or token.isdigit()):
                return token
    return None


HYPHENS = ("-", "\u2010", "\u00ad")


def ends_hyphenated(page_text: str) -> bool:
    """Whether the page's last line of text (before its folio) ends in a hyphen."""
    lines = [ln.strip() for ln in page_text.splitlines() if ln.strip()]
    # The folio line (alone, or with the running head) is not text; but pdfium marks a
    # line-end hyphen it joins with the next line as U+FFFE, and may join the page's last
    # text line with the running head ("ex\ufffet he adventures of sherlock holmes 99").
    while lines and printed_folio(lines[-1]) is not None:
        if "\ufffe" in lines.pop():
            return True
    return bool(lines) and lines[-1].endswith((*HYPHENS, "\ufffe"))


def page_opens_with(
    page_text: str, expected: str, *, first_word_only: bool = False,
    continues_word: bool = False, max_furniture_lines: int = 3,
) -> bool:
    """Whether a PDF page's text opens with ``expected`` (letters): 30 letters of it, or only
    its first word's (``first_word_only``). A few short lines of page furniture may come
    first (running head, folio, a printed chapter-number line); with ``continues_word`` the
    page's first fragment (the end of a word hyphenated on the page before) is passed over."""
    lines = [ln for ln in page_text.splitlines() if ln.strip()]
    if len(lines) > 1 and len(letters(lines[0])) == 1 and not continues_word:
        # A drop capital floats: it extracts before the chapter's heading, apart from its
        # word. Read the page with it put back at each of the next lines too.
        rest = lines[1:]
        if any(page_opens_with("\n".join([*rest[:at], lines[0].strip() + rest[at].lstrip(),
                                             *rest[at + 1:]]), expected,
                               first_word_only=first_word_only,
                               max_furniture_lines=max_furniture_lines)
               for at in range(min(max_furniture_lines + 1, len(rest)))):
            return True
    for skip in range(0, min(max_furniture_lines, len(lines) - 1) + 1):
        if skip and len(letters(lines[skip - 1])) > 40:
            break
        # Words end at white space and after a dash ("marri-" / "age—Percy": the fragment
        # is "age—").
        words = re.findall(r"[^\s\u2014\u2013]*[\u2014\u2013]|[^\s\u2014\u2013]+",
                           " ".join(lines[skip:]))
        if continues_word:
            words = words[1:]
        body = letters(" ".join(words))
        n = min(len(expected), len(body), 30)
        if first_word_only:
            n = min(n, max(3, len(letters(words[0]) if words else "")))
        if n and body[:n] == expected[:n]:
            return True
    return False


def page_list_mismatches(epub: Path, pages: list[str],
                         skip: Callable[[str], bool] = lambda _text: False) -> list[str]:
    """Where the ebook's page markers disagree with the PDF's pages (each page's text): their
    count, the page list's labels, a printed folio, or the words a page opens with. ``skip``:
    pages whose words are not the book's (an edition's own page)."""
    pkg = open_package(epub)
    markers = text_after_markers(pkg)
    problems = []
    if len(markers) != len(pages):
        problems.append(f"{len(markers)} page markers for {len(pages)} PDF pages")
    nav = pkg.nav("page-list")
    listed = [a.text for a in nav.iter("{http://www.w3.org/1999/xhtml}a")] if nav is not None else []
    if listed != [label for label, _ in markers]:
        problems.append("the page list and the markers differ in order or labels")
    for index, ((label, following), text) in enumerate(zip(markers, pages, strict=False)):
        folio = printed_folio(text)
        if folio is not None and folio != label:
            problems.append(f"page {index + 1}: marker {label}, printed folio {folio}")
        if not letters(text) or skip(text):
            continue  # a blank page: nothing to start with
        continues = index > 0 and ends_hyphenated(pages[index - 1])
        if page_opens_with(text, following, continues_word=continues):
            continue
        # A printed contents page lists its entries with numbers the ebook's contents lack:
        # its first word is what must match.
        if not label.isdigit() and page_opens_with(text, following, first_word_only=True):
            continue
        problems.append(f"page {label}: EPUB continues {following[:25]!r}, "
                        f"PDF page opens {' '.join(text.split()[:8])!r}")
    return problems
