"""octavo: one manuscript in, a valid EPUB, a print-ready PDF and review copies out."""

__version__ = "0.1.0"
