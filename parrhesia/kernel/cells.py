"""User text inside the files the site publishes: it must stay data, never become structure.

- ``one_line(text)``: a title or label on one line of a line-based file (PrefLib ``.toi``):
  every line break (``\\n``, ``\\r``, U+0085, U+2028, U+2029, and the other characters
  ``str.splitlines`` breaks on) and every control character becomes a space, runs of spaces
  collapse to one, and the ends are trimmed. A title can then never add a ballot line or an
  ``# ALTERNATIVE NAME`` header to the file.
- ``formula_guard(text)``: a free-text CSV cell that a spreadsheet would read as a formula (it
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, as
  OWASP's "CSV Injection" page recommends. Only free text is guarded: numbers (a vote ``-1``)
  are data and are written as they are. A cell that starts with ``'`` followed by one of those
  characters (or another ``'``) is guarded too, so that ``formula_unguard`` gives back exactly
  the text written: an import reads the export's words unchanged.
- ``guarded_row(row)``: every ``str`` cell of a row guarded, other cells (numbers) as they are.
- ``web_address(text)``: whether a link a member typed may be a link on a page: only an absolute
  ``http://`` or ``https://`` address with a host (no ``javascript:``, ``data:``, ``//host``, no
  spaces or control characters). Anything else is shown as text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def one_line(text: str) -> str:
    """``text`` with every line break and control character made a space, spaces collapsed."""
    spaced = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in str(text)
    )
    return " ".join(spaced.split())


def formula_guard(text: str) -> str:
    """``text`` prefixed with ``'`` when a spreadsheet would run it (see the module docstring)."""
    if text.startswith(FORMULA_STARTS) or (
        text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'"))
    ):
        return "'" + text
    return text


def formula_unguard(text: str) -> str:
    """The text :func:`formula_guard` was given (a cell read back from an export)."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text


def guarded_row(row: Iterable[Any]) -> list[Any]:
    """The row with its text cells guarded; numbers and other values are left as they are."""
    return [formula_guard(cell) if isinstance(cell, str) else cell for cell in row]


def web_address(text: str) -> bool:
    """Whether ``text`` is an absolute http(s) address with a host, safe as a page's link."""
    if not text.lower().startswith(("http://", "https://")):
        return False
    if any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in text):
        return False
    try:
        return bool(urlsplit(text).hostname)
    except ValueError:  # a malformed address (an unclosed IPv6 bracket…)
        return False
