"""Readers for ballot files: PrefLib (``.soc .soi .toc .toi``) and a simple CSV form.

PrefLib format (Mattei & Walsh, "PrefLib: A Library for Preferences", ADT 2013; the 2022 format
of https://preflib.github.io/): header lines ``# KEY: value`` — notably ``NUMBER ALTERNATIVES``
and ``ALTERNATIVE NAME i`` (1-based) — then data lines ``count: order`` where a comma means
"preferred to" and ``{a,b}`` is a tie. Ballots may be truncated; unranked alternatives count as
ranked equally last.

CSV format (see docs/voting.md): a header row of alternative names, optionally with a ``count``
column; one ballot per row; each cell is a rank (1 = most preferred, equal numbers = tied) or
blank/0 for unranked. An approval ballot is the same thing with 1 for approved and 0 or blank
otherwise.

Every problem is reported as a :class:`BallotFileError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from parrhesia.methods.voting.profile import Profile, normalise_tiers

PREFLIB_SUFFIXES = (".soc", ".soi", ".toc", ".toi")
_CSV_UNRANKED = 10**10  # above any accepted rank number (at most 9 digits)
MAX_ALTERNATIVES = 10_000
"""More alternatives than any real election: past it, a typo or a hostile file would fill memory."""
MAX_BALLOTS = 10**15
"""Ballots in one file at most: counts are summed as doubles, exact below 2**53 (~9 * 10**15)."""


class BallotFileError(ValueError):
    """A ballot file that cannot be read; the message names the file and line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


def read_profile(path: str | Path) -> Profile:
    """Read a PrefLib or CSV ballot file (chosen by suffix) into a grouped profile."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in PREFLIB_SUFFIXES + (".csv",):
        raise BallotFileError(
            name,
            f"unsupported file type '{suffix or '(none)'}': expected .soc, .soi, .toc, .toi "
            "or .csv",
        )
    text = _read_text(path)
    profile = parse_csv(text, name) if suffix == ".csv" else parse_preflib(text, name)
    if profile.num_ballots == 0:
        raise BallotFileError(name, "contains no ballots")
    return profile


def _read_text(path: Path) -> str:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BallotFileError(name, "no such file") from None
    except IsADirectoryError:
        raise BallotFileError(name, "is a directory, not a ballot file") from None
    except OSError as error:
        raise BallotFileError(name, f"cannot be read ({error.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BallotFileError(name, "is not UTF-8 text", line) from None


def parse_preflib(text: str, name: str = "<preflib>") -> Profile:
    """Parse PrefLib text; see the module docstring for the format.

    Files in PrefLib's first format (before 2022: no ``#`` headers; a first line with the number
    of alternatives) are read too, as many copies of PrefLib data still circulate in it.
    """
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if _is_digits(first):
        return _parse_legacy_preflib(text, name)
    headers: dict[str, tuple[str, int]] = {}
    names: dict[int, tuple[str, int]] = {}
    data: list[tuple[int, str, int]] = []  # (count, order, line number)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            _read_header(stripped, number, name, headers, names)
            continue
        count, sep, order = stripped.partition(":")
        if not sep:
            raise BallotFileError(name, f"expected 'count: order', got '{_clip(stripped)}'", number)
        data.append((_parse_count(count, name, number), order, number))
    m = _number_of_alternatives(headers, names, name)
    return _profile(m, names, data, name)


def _parse_legacy_preflib(text: str, name: str) -> Profile:
    """PrefLib's first format (Mattei & Walsh 2013): the number of alternatives m; m lines
    ``i,name``; a line ``voters,sum of counts,unique orders``; then ``count,order`` lines."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip()]
    m = _number(lines[0][1])
    if not 1 <= m <= MAX_ALTERNATIVES:
        raise BallotFileError(
            name, f"the number of alternatives must be between 1 and {MAX_ALTERNATIVES}, got "
            f"'{_clip(lines[0][1])}'", lines[0][0]
        )
    if len(lines) < m + 2:
        raise BallotFileError(
            name, f"expected {m} alternative lines 'i,name' and a 'voters,sum,unique' line "
            "after the number of alternatives"
        )
    names: dict[int, tuple[str, int]] = {}
    for number, line in lines[1 : m + 1]:
        index, sep, label = line.partition(",")
        if not sep or not 1 <= _number(index.strip()) <= m:
            raise BallotFileError(
                name, f"expected 'i,name' with i from 1 to {m}, got '{_clip(line)}'", number
            )
        names[int(index)] = (label.strip(), number)
    totals_line, totals = lines[m + 1]
    declared = [part.strip() for part in totals.split(",")]
    if len(declared) != 3 or not all(0 <= _number(part) <= MAX_BALLOTS for part in declared):
        raise BallotFileError(
            name, f"expected 'voters,sum of counts,unique orders', got '{_clip(totals)}'",
            totals_line,
        )
    data: list[tuple[int, str, int]] = []
    for number, line in lines[m + 2 :]:
        count, sep, order = line.partition(",")
        if not sep:
            raise BallotFileError(name, f"expected 'count,order', got '{_clip(line)}'", number)
        data.append((_parse_count(count, name, number), order, number))
    _ballots_check(sum(count for count, _, _ in data), name)
    if sum(count for count, _, _ in data) != int(declared[1]):
        raise BallotFileError(
            name, f"the ballot counts add up to {sum(c for c, _, _ in data)}, but line "
            f"{totals_line} says {declared[1]}"
        )
    return _profile(m, names, data, name)


def _profile(
    m: int, names: dict[int, tuple[str, int]], data: list[tuple[int, str, int]], name: str
) -> Profile:
    """The profile of ``(count, order, line number)`` data lines over m named alternatives."""
    _ballots_check(sum(count for count, _, _ in data), name)
    alternatives = _alternative_names(m, names, name)
    ranks = np.full((len(data), m), m, dtype=np.int64)
    for row, (_, order, number) in enumerate(data):
        for tier, members in enumerate(parse_order(order, m, name, number)):
            ranks[row, members] = tier
    counts = np.array([count for count, _, _ in data], dtype=np.int64)
    return Profile(alternatives, ranks, counts).grouped()


def _read_header(
    line: str,
    number: int,
    name: str,
    headers: dict[str, tuple[str, int]],
    names: dict[int, tuple[str, int]],
) -> None:
    key, sep, value = line[1:].partition(":")
    if not sep:
        return  # a plain comment
    key = key.strip().upper()
    value = value.strip()
    if key.startswith("ALTERNATIVE NAME"):
        index_text = key.removeprefix("ALTERNATIVE NAME").strip()
        index = _number(index_text)
        if index < 1:
            raise BallotFileError(name, f"bad alternative number '{_clip(index_text)}'", number)
        if index > MAX_ALTERNATIVES:
            raise BallotFileError(
                name, f"alternative {_clip(index_text)} is out of range (at most "
                f"{MAX_ALTERNATIVES})", number
            )
        names[index] = (value, number)
    else:
        headers[key] = (value, number)


def _parse_count(text: str, name: str, number: int) -> int:
    text = text.strip()
    count = _number(text)
    if count < 1:
        raise BallotFileError(
            name, f"ballot count must be a positive whole number, got '{_clip(text)}'", number
        )
    if count > MAX_BALLOTS:
        raise BallotFileError(
            name, f"ballot count '{_clip(text)}' is too large (at most {MAX_BALLOTS})", number
        )
    return count


def _ballots_check(total: int, name: str) -> None:
    if total > MAX_BALLOTS:
        raise BallotFileError(
            name, f"the ballot counts add up to {total}, more than {MAX_BALLOTS} ballots"
        )


def _is_digits(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also accepts '²', which ``int`` refuses)."""
    return text.isascii() and text.isdigit()


def _number(text: str) -> int:
    """A whole number written in ASCII digits; -1 when ``text`` is not one. Past 18 digits, a
    number above every limit here (``int`` refuses thousands of digits with a ValueError)."""
    if not _is_digits(text):
        return -1
    return int(text) if len(text) <= 18 else 10**18


def _number_of_alternatives(
    headers: dict[str, tuple[str, int]], names: dict[int, tuple[str, int]], name: str
) -> int:
    if "NUMBER ALTERNATIVES" not in headers:
        if not names:
            raise BallotFileError(name, "missing '# NUMBER ALTERNATIVES: n' header")
        return max(names)
    value, number = headers["NUMBER ALTERNATIVES"]
    if not 1 <= _number(value) <= MAX_ALTERNATIVES:
        raise BallotFileError(
            name, f"NUMBER ALTERNATIVES must be a whole number from 1 to {MAX_ALTERNATIVES}, got "
            f"'{_clip(value)}'", number
        )
    return int(value)


def _alternative_names(m: int, names: dict[int, tuple[str, int]], name: str) -> tuple[str, ...]:
    """Names as in the file; an unnamed alternative is called by its number."""
    result: list[str] = []
    for index in range(1, m + 1):
        value, _ = names.get(index, (str(index), 0))
        result.append(value)
    for index, (_, number) in names.items():
        if index > m:
            raise BallotFileError(
                name, f"alternative {index} named, but NUMBER ALTERNATIVES is {m}", number
            )
    return tuple(_disambiguate(result))


def _disambiguate(names: list[str]) -> list[str]:
    """Make repeated names unique ("X", "X (2)") so that results can be keyed by name."""
    seen: dict[str, int] = {}
    result = []
    for value in names:
        seen[value] = seen.get(value, 0) + 1
        result.append(value if seen[value] == 1 else f"{value} ({seen[value]})")
    return result


def parse_order(order: str, m: int, name: str, number: int) -> list[list[int]]:
    """Parse ``3,{1,2},4`` into tiers of 0-based indices: ``[[2], [0, 1], [3]]``."""
    tiers: list[list[int]] = []
    seen: set[int] = set()
    for part in _split_top_level(order, name, number):
        if part.startswith("{"):
            inner = part[1:-1].strip()
            if not inner:
                raise BallotFileError(name, "empty tie group '{}'", number)
            members = [_alternative(item, m, name, number) for item in inner.split(",")]
        else:
            members = [_alternative(part, m, name, number)]
        for a in members:
            if a in seen:
                raise BallotFileError(
                    name, f"alternative {a + 1} appears twice in a ballot", number
                )
            seen.add(a)
        tiers.append(members)
    return tiers


def _split_top_level(order: str, name: str, number: int) -> list[str]:
    """Split at commas outside braces, checking that braces pair up."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in order:
        if char == "{":
            if depth:
                raise BallotFileError(name, "nested '{' in a ballot", number)
            depth = 1
        elif char == "}":
            if not depth:
                raise BallotFileError(name, "'}' without a matching '{'", number)
            depth = 0
        if char == "," and not depth:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if depth:
        raise BallotFileError(name, "'{' without a matching '}'", number)
    parts.append(current.strip())
    if parts == [""]:
        return []  # an empty ballot: nothing ranked
    for part in parts:
        if not part:
            raise BallotFileError(name, "empty entry between commas in a ballot", number)
        if ("{" in part or "}" in part) and not (part.startswith("{") and part.endswith("}")):
            raise BallotFileError(name, f"misplaced brace in '{_clip(part)}'", number)
    return parts


def _alternative(text: str, m: int, name: str, number: int) -> int:
    text = text.strip()
    index = _number(text)
    if index < 0:
        raise BallotFileError(name, f"'{_clip(text)}' is not an alternative number", number)
    if not 1 <= index <= m:
        raise BallotFileError(
            name, f"alternative {_clip(text)} is out of range (there are {m} alternatives)", number
        )
    return index - 1


def parse_csv(text: str, name: str = "<csv>") -> Profile:
    """Parse the CSV ballot form described in the module docstring and docs/voting.md."""
    rows = [
        (reader_line, row)
        for reader_line, row in _csv_rows(text, name)
        if row and any(cell.strip() for cell in row) and not row[0].lstrip().startswith("#")
    ]
    if not rows:
        raise BallotFileError(name, "empty CSV: expected a header row of alternative names")
    header_line, header = rows[0]
    header = [_formula_unguarded(cell).strip() for cell in header]
    count_column = _count_column(header)
    alternatives = [cell for i, cell in enumerate(header) if i != count_column]
    for i, cell in enumerate(alternatives):
        if not cell:
            raise BallotFileError(name, f"alternative name in column {i + 1} is blank", header_line)
    if not alternatives:
        raise BallotFileError(name, "the header names no alternatives", header_line)
    m = len(alternatives)
    if m > MAX_ALTERNATIVES:
        raise BallotFileError(
            name, f"the header names {m} alternatives, more than {MAX_ALTERNATIVES}", header_line
        )
    ranks = np.full((len(rows) - 1, m), _CSV_UNRANKED, dtype=np.int64)
    counts = np.ones(len(rows) - 1, dtype=np.int64)
    for r, (number, row) in enumerate(rows[1:]):
        if len(row) != len(header):
            raise BallotFileError(
                name, f"expected {len(header)} cells as in the header, got {len(row)}", number
            )
        cells = [cell.strip() for cell in row]
        if count_column is not None:
            counts[r] = _parse_count(cells.pop(count_column), name, number)
        for a, cell in enumerate(cells):
            ranks[r, a] = _csv_rank(cell, m, alternatives[a], name, number)
    _ballots_check(sum(counts.tolist()), name)
    # Rank numbers need not be consecutive: renumber them as tiers 0, 1, 2, …
    ranks = normalise_tiers(ranks, _CSV_UNRANKED)
    ranks[ranks == _CSV_UNRANKED] = m
    return Profile(tuple(_disambiguate(alternatives)), ranks, counts).grouped()


def _formula_unguarded(cell: str) -> str:
    """A header cell without the ``'`` that Parrhesia's CSV exports put before text a
    spreadsheet would run as a formula (``'=…``, ``'+…``, ``'-…``, ``'@…``; OWASP's advice, see
    ``parrhesia/kernel/cells.py``), so that a re-count names the options as the server did."""
    if cell.startswith("'") and cell[1:].startswith(("=", "+", "-", "@", "\t", "\r", "'")):
        return cell[1:]
    return cell


def _csv_rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise BallotFileError(name, f"bad CSV ({error})", reader.line_num) from None
    return rows


def _count_column(header: list[str]) -> int | None:
    matches = [i for i, cell in enumerate(header) if cell.lower() == "count"]
    return matches[0] if matches else None


def _csv_rank(cell: str, m: int, alternative: str, name: str, number: int) -> int:
    """A rank cell: a positive whole number, or blank/0 for "not ranked" (``_CSV_UNRANKED``)."""
    if cell == "" or _number(cell) == 0:
        return _CSV_UNRANKED
    if not _is_digits(cell):
        raise BallotFileError(
            name,
            f"rank for '{_clip(alternative)}' must be a positive whole number or blank, "
            f"got '{_clip(cell)}'",
            number,
        )
    if len(cell) > 9:
        raise BallotFileError(name, f"rank '{_clip(cell)}' is too large", number)
    return int(cell)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
