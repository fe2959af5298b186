"""Themes: a folder of CSS and fonts. Bundled ones live in ``styles/``; a theme can be a path.

Every theme, bundled or given by path, is laid over the base in ``styles/base/``: each of the
base's sheets comes before the theme's sheet of the same name, so a theme overrides a base rule
of the same weight and keeps only what makes it itself (faces, sizes, ornaments). The base is
not a theme: it has no faces, and it is neither listed nor loaded by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .confine import is_inside
from .errors import OctavoError

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
BASE = "base"


def styles_root() -> Path:
    """The bundled themes: inside the installed package, or the source tree's ``styles/``."""
    packaged = Path(__file__).parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "styles"


def base_css(name: str) -> str:
    """A sheet of the base every theme is laid over ('' when the base has none of that name)."""
    file = styles_root() / BASE / name
    return file.read_text(encoding="utf-8") if file.is_file() else ""


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    path: Path

    def css(self, name: str) -> str:
        """A stylesheet as octavo applies it: the base's, then the theme's own."""
        return base_css(name) + "\n" + self.own_css(name)

    def own_css(self, name: str) -> str:
        """A stylesheet of the theme itself ('' when the theme does not have it)."""
        file = self.path / name
        if not file.is_file():
            return ""
        return self._inside(file).read_text(encoding="utf-8")

    def _inside(self, file: Path) -> Path:
        """A file of the theme, refused when a link takes it out of the theme's folder."""
        if not is_inside(file, self.path):
            raise OctavoError(f"theme file '{file.name}' links outside the theme's folder: "
                              "octavo reads only files inside it", file)
        return file

    @property
    def shared_css(self) -> str:
        return self.css("theme.css")

    @property
    def epub_css(self) -> str:
        return self.shared_css + "\n" + self.css("epub.css")

    @property
    def print_css(self) -> str:
        return self.shared_css + "\n" + self.css("print.css")

    @property
    def fonts(self) -> tuple[Path, ...]:
        folder = self.path / "fonts"
        if not folder.is_dir():
            return ()
        return tuple(sorted(self._inside(p) for p in folder.iterdir()
                            if p.suffix.lower() in FONT_SUFFIXES))


def available_themes() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in styles_root().iterdir()
                        if p.name != BASE and (p / "theme.css").is_file()))


def load_theme(name: str, book_root: Path | None = None) -> Theme:
    """A bundled theme by name, or a theme folder by path (relative to the book's folder)."""
    candidate = styles_root() / name
    if "/" not in name and name != BASE and (candidate / "theme.css").is_file():
        return Theme(name, candidate)
    folder = (book_root / name) if book_root is not None else Path(name)
    if (folder / "theme.css").is_file():
        if book_root is not None and not is_inside(folder, book_root):
            raise OctavoError(f"theme '{name}' is outside the book's folder: use a bundled "
                              "theme or copy the theme folder into the book's folder")
        return Theme(folder.name, folder.resolve())
    known = ", ".join(available_themes())
    raise OctavoError(f"unknown theme '{name}' (bundled themes: {known})",
                      hint="set theme to one of those, or to a folder with a theme.css")
