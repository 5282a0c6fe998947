"""Reading Excel workbooks (.xlsx): each sheet under its name, each row a
table row.

An .xlsx is a zip of XML parts (Office Open XML): the workbook lists the
sheets in order, each sheet part holds its rows of cells, text cells index
the shared strings. The standard library's zipfile opens the package
(within limits: a zip bomb is refused), lxml parses the parts. A cell reads
as Excel shows it as nearly as a plain text can: text as written, a formula
by its last computed value, TRUE/FALSE, errors ("#DIV/0!") as shown; a number
in a date or time format (built-in or the workbook's own, "yyyy-mm-dd",
"d/m/yy h:mm") as an ISO 8601 date or time ("2023-06-10", "14:30"), in a
percentage format with its "%", any other as a plain numeral ("1234.5": no
thousands separators or currency signs). Each sheet is a heading of level 1
(its name), its rows table rows, the first naming the columns; empty cells
are left out of a row. Title, author and date come from the core properties.
"""

from __future__ import annotations

import datetime
import re
import zipfile

from .package import core_properties, member, open_package, parsed_xml, relationships
from .structure import CELL_SEPARATOR, HEADING, TABLE_ROW, Layout, UnreadableDocument, joined_blocks

MAX_UNPACKED = 256 * 1024 * 1024  # bytes, all parts of the package together
MAX_PARTS = 10_000
MAX_PART = 128 * 1024 * 1024

_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_KIND = "Excel file"
# Built-in number formats that show a date, a time or both ([MS-OI29500], ECMA-376 18.8.30).
_DATE_FORMATS = frozenset(range(14, 18)) | {22} | frozenset(range(27, 32)) | frozenset(range(36, 37)) \
    | frozenset(range(50, 59))
_TIME_FORMATS = frozenset(range(18, 22)) | frozenset(range(45, 48)) | frozenset(range(32, 36))
_PERCENT_FORMATS = frozenset({9, 10})
# What a format code shows once its quoted text, escaped characters and [colour] or [$-locale] parts are out.
_LITERALS = re.compile(r'"[^"]{0,200}"|\\.|\[[^\]\[]{0,60}\]|_.|\*.')
_DATE_PART = re.compile(r"[yd]", re.IGNORECASE)
_TIME_PART = re.compile(r"[hs]", re.IGNORECASE)


def read_xlsx(data: bytes) -> Layout:
    """The text of a workbook, sheet by sheet; `UnreadableDocument` for a file
    that is no readable .xlsx (broken, encrypted, a zip bomb)."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableDocument("encrypted Excel file (saved with a password)")
    package = open_package(data, _KIND, "parts", "broken Excel file (not a zip archive)", MAX_PARTS, MAX_UNPACKED)
    names = set(package.namelist())
    if "xl/workbook.xml" not in names:
        raise UnreadableDocument("not an Excel .xlsx file (a zip archive of other files)")
    workbook = _xml(package, "xl/workbook.xml")
    properties = workbook.find(f"{_S}workbookPr")
    epoch = datetime.datetime(1904, 1, 1) if properties is not None and \
        properties.get("date1904") in ("1", "true") else datetime.datetime(1899, 12, 30)
    targets = relationships(package, "xl/workbook.xml", names, _KIND, MAX_PART)
    strings = _shared_strings(package, names)
    formats = _cell_formats(package, names)
    drafts: list[tuple[str, str, int]] = []
    for sheet in workbook.iter(f"{_S}sheet"):
        path = targets.get(sheet.get(f"{_R}id"), ("", ""))[0]
        if path not in names:
            continue
        rows = list(_rows(_xml(package, path), strings, formats, epoch))
        if rows:
            drafts.append((HEADING, " ".join((sheet.get("name") or "").split()) or path.rsplit("/", 1)[-1], 1))
            drafts.extend((TABLE_ROW, row, 0) for row in rows)
    text, blocks = joined_blocks(drafts)
    title, author, date = core_properties(package, names, _KIND, MAX_PART)
    return Layout(text, blocks, title=title, author=author, date=date)


def _xml(package: zipfile.ZipFile, path: str):
    return parsed_xml(member(package, path, _KIND, MAX_PART), _KIND, path)


def _shared_strings(package: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The workbook's shared strings, each its runs' text (not the phonetic guides)."""
    path = next((name for name in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if name in names), None)
    if path is None:
        return []
    strings = []
    for item in _xml(package, path).iter(f"{_S}si"):
        strings.append("".join(t.text or "" for t in item.iter(f"{_S}t") if t.getparent().tag != f"{_S}rPh"))
    return strings


def _cell_formats(package: zipfile.ZipFile, names: set[str]) -> list[str]:
    """For each cell style (its index), what its number format shows: "date",
    "time", "datetime", "percent" or "number"."""
    if "xl/styles.xml" not in names:
        return []
    styles = _xml(package, "xl/styles.xml")
    codes = {number.get("numFmtId"): number.get("formatCode") or "" for number in styles.iter(f"{_S}numFmt")}
    found = []
    cell_formats = styles.find(f"{_S}cellXfs")
    for style in cell_formats.iterchildren(f"{_S}xf") if cell_formats is not None else ():
        identifier = style.get("numFmtId") or "0"
        number = int(identifier) if identifier.isdigit() else 0
        found.append(_shown_as(number, codes.get(identifier)))
    return found


def _shown_as(number: int, code: str | None) -> str:
    if code is not None:
        shown = _LITERALS.sub("", code[:200]).split(";")[0]
        dated, timed = bool(_DATE_PART.search(shown)), bool(_TIME_PART.search(shown))
        if dated or timed:
            return "datetime" if dated and timed else "date" if dated else "time"
        return "percent" if "%" in shown else "number"
    if number in _DATE_FORMATS:
        return "datetime" if number == 22 else "date"
    if number in _TIME_FORMATS:
        return "time"
    return "percent" if number in _PERCENT_FORMATS else "number"


def _rows(sheet, strings: list[str], formats: list[str], epoch: datetime.datetime):
    """Each row with a value, its cells' text joined by " | "."""
    for row in sheet.iter(f"{_S}row"):
        cells = []
        for cell in row.iterchildren(f"{_S}c"):
            text = " ".join(_cell_text(cell, strings, formats, epoch).split())
            if text:
                cells.append(text)
        if cells:
            yield CELL_SEPARATOR.join(cells)


def _cell_text(cell, strings: list[str], formats: list[str], epoch: datetime.datetime) -> str:
    kind = cell.get("t") or "n"
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_S}t"))
    value = cell.find(f"{_S}v")
    raw = (value.text or "") if value is not None else ""
    if kind == "s":
        return strings[int(raw)] if raw.isdigit() and int(raw) < len(strings) else ""
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return "TRUE" if raw == "1" else "FALSE"
    try:
        number = float(raw)
    except ValueError:
        return raw
    style = cell.get("s") or "0"
    shown = formats[int(style)] if style.isdigit() and int(style) < len(formats) else "number"
    if shown in ("date", "time", "datetime") and 0 <= number < 2_958_466:  # up to 9999-12-31
        moment = epoch + datetime.timedelta(days=number)
        moment = moment.replace(microsecond=0) + datetime.timedelta(seconds=round(moment.microsecond / 1e6))
        if shown == "date":
            return moment.date().isoformat()
        clock = moment.strftime("%H:%M:%S" if moment.second else "%H:%M")
        return clock if shown == "time" else f"{moment.date().isoformat()} {clock}"
    if shown == "percent":
        return f"{number * 100:.15g}%"
    return f"{number:.15g}" if number != int(number) or abs(number) >= 1e15 else str(int(number))
