"""The EAN-13 symbol of an ISBN, as bars in modules: what the back cover draws, at its nominal
size, as filled rectangles (vectors, sharp at any resolution)."""

from __future__ import annotations

from dataclasses import dataclass

# Each digit's seven modules (1 = bar) in the three EAN sets: A (odd parity) and B (even)
# on the left half, C on the right. B is C reversed; C is A inverted.
SET_A = ("0001101", "0011001", "0010011", "0111101", "0100011",
         "0110001", "0101111", "0111011", "0110111", "0001011")
SET_C = tuple("".join("1" if m == "0" else "0" for m in code) for code in SET_A)
SET_B = tuple(code[::-1] for code in SET_C)
# The first digit is not drawn as bars: it picks the sets of the next six.
FIRST_DIGIT_SETS = ("AAAAAA", "AABABB", "AABBAB", "AABBBA", "ABAABB",
                    "ABBAAB", "ABBBAA", "ABABAB", "ABABBA", "ABBABA")
GUARD, CENTRE = "101", "01010"

# GS1's nominal (100 %) EAN-13: 0.33 mm modules, bars 22.85 mm high, guard bars 5 modules
# longer, quiet zones of 11 modules before and 7 after.
MODULE_MM = 0.33
BAR_HEIGHT_MM = 22.85
GUARD_EXTRA_MODULES = 5
QUIET_LEFT, QUIET_RIGHT = 11, 7
SYMBOL_MODULES = 95


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: where it starts and how wide it is, in modules from the symbol's left edge
    (after the quiet zone); guard bars run longer than the others."""

    start: int
    width: int
    guard: bool


def modules(digits: str) -> str:
    """The 95 modules of an EAN-13 (``1`` a bar, ``0`` a space) for 13 digits."""
    if len(digits) != 13 or not digits.isdigit():
        raise ValueError(f"an EAN-13 needs 13 digits, not {digits!r}")
    sets = FIRST_DIGIT_SETS[int(digits[0])]
    left = "".join((SET_A if s == "A" else SET_B)[int(d)] for s, d in zip(sets, digits[1:7],
                                                                        strict=True))
    right = "".join(SET_C[int(d)] for d in digits[7:])
    return GUARD + left + CENTRE + right + GUARD


def bars(digits: str) -> tuple[Bar, ...]:
    """The symbol's bars, runs of adjacent bar modules joined into one."""
    code = modules(digits)
    guards = {*range(0, 3), *range(45, 50), *range(92, 95)}
    out: list[Bar] = []
    start = None
    for i, module in enumerate(code + "0"):
        if module == "1" and start is None:
            start = i
        elif module == "0" and start is not None:
            out.append(Bar(start, i - start, start in guards))
            start = None
    return tuple(out)
