"""Reading delimited data (.csv, .tsv): each record a table row.

The standard library's csv module reads the records (quoted fields, fields
over several lines, doubled quotes), with the delimiter the file's name says
(a tab for .tsv) or, for .csv, the one its first lines use most of comma,
semicolon, tab and bar (Excel writes ";" where "," is the decimal mark). Each
record is one block, its fields' text joined by " | "; the first record names
the columns, as a table's first row does (its words count for every row, and
it is never an answer on its own). Empty fields are left out of a row.
"""

from __future__ import annotations

import csv
import io

from .structure import CELL_SEPARATOR, TABLE_ROW, Layout, UnreadableDocument, joined_blocks

MAX_FIELD = 1024 * 1024  # characters of one field
_DELIMITERS = (",", ";", "\t", "|")


def read_delimited(text: str, tab_separated: bool = False) -> Layout:
    """The records of a decoded .csv or .tsv file as table rows."""
    delimiter = "\t" if tab_separated else _delimiter(text)
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    try:
        rows = []
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells = [" ".join(field.split()) for field in record]
            cells = [cell for cell in cells if cell]
            if cells:
                rows.append((TABLE_ROW, CELL_SEPARATOR.join(cells), 0))
    except csv.Error as error:
        raise UnreadableDocument(f"malformed {'TSV' if tab_separated else 'CSV'} file ({str(error)[:60]})") from None
    finally:
        csv.field_size_limit(previous)
    body, blocks = joined_blocks(rows)
    return Layout(body, blocks)


def _delimiter(text: str) -> str:
    """The delimiter the first lines use most (outside quotes, roughly: each
    line counted once for each it holds), a comma when none is used."""
    lines = text[:8192].splitlines()[:20]
    counts = {delimiter: sum(line.count(delimiter) for line in lines) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","
