"""atheris fuzz target for the readers: bytes -> decoded manuscript -> plain-text, Markdown and
Project Gutenberg readers -> normalizer. Anything but an ``OctavoError`` is a finding.

    pip install atheris
    python fuzz/fuzz_readers.py -max_len=4096 -runs=100000 fuzz/corpus

Not run by the test suite (tests/test_property_build.py and tests/test_hostile_inputs.py hold
the hypothesis properties it complements).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    from octavo.errors import OctavoError
    from octavo.model import Book, Metadata
    from octavo.normalize import normalize
    from octavo.readers.gutenberg import read_gutenberg
    from octavo.readers.markdown import read_markdown
    from octavo.readers.source import decode_manuscript
    from octavo.readers.text import read_text


def one_input(data: bytes) -> None:
    try:
        source = decode_manuscript(data, Path("fuzz.txt"))
        for document in (read_text(source), read_markdown(source), read_gutenberg(source)):
            normalize(Book(Metadata("Fuzz"), body=document.body))
    except OctavoError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
