"""Reading ids people (or scripts) send: only plain ASCII digits count as a whole number."""

from __future__ import annotations


def whole_number(text: str | None) -> int | None:
    """The number `text` spells, or None. `str.isdigit` alone is not enough: '²' is a digit to
    Python but not to `int`, so it is checked for ASCII too, and kept short enough for an id."""
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 10 else None
