"""Spreadsheets: Debian's table of its releases as LibreOffice Calc saves it
as .xlsx and .ods (dates stored as numbers in a "yyyy-mm-dd" format), which
must read alike and as the .csv reads; a small workbook made in the test for
what Excel stores otherwise (shared and inline strings, booleans, errors,
percentages, times, the 1904 date system), damage."""

from __future__ import annotations

import functools
import io
import re
import zipfile

import pytest
from documents import blocks, document_path, headings

from assistant.corpus import UnreadableFile, document_format, document_from_bytes
from assistant.readers.odt import read_odt
from assistant.readers.structure import TABLE_ROW, UnreadableDocument
from assistant.readers.xlsx import read_xlsx


@functools.cache
def workbook():
    return read_xlsx(document_path("debian.xlsx").read_bytes())


def test_each_sheet_is_its_name_over_its_rows_dates_as_shown():
    found = workbook()
    assert headings(found) == [("debian", 1)]
    rows = blocks(found, TABLE_ROW)
    assert rows[0] == "version | codename | series | created | release | eol | eol-lts | eol-elts"
    # A date is a number in a date format: shown as the date, as Calc shows it.
    assert "11 | Bullseye | bullseye | 2019-07-06 | 2021-08-14 | 2024-08-14 | 2026-08-31 | 2031-06-30" in rows
    assert "2 | Hamm | hamm | 1997-06-05 | 1998-07-24 | 2000-03-09" in rows  # "2.0" is the number 2


def test_the_same_sheet_as_ods_and_as_csv_reads_alike():
    ods = read_odt(document_path("debian.ods").read_bytes())
    assert ods.text == workbook().text
    csv = document_from_bytes("debian.csv", document_path("debian.csv").read_bytes())
    xlsx = document_from_bytes("debian.xlsx", document_path("debian.xlsx").read_bytes())
    # (Calc read "2.0", "3.0"... as numbers, which it shows "2", "3".)
    assert [p.span.of(xlsx.text) for p in xlsx.paragraphs][1:] == \
        [re.sub(r"(?m)^(\d+)\.0 \|", r"\1 |", p.span.of(csv.text)) for p in csv.paragraphs]


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def made_workbook(cells: str, epoch_1904: bool = False) -> bytes:
    """An .xlsx of one sheet, 'Figures', whose one row holds `cells`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.xml", f'<workbook {_NS} xmlns:r="http://schemas.openxmlformats.org/'
                         f'officeDocument/2006/relationships"><workbookPr date1904="{int(epoch_1904)}"/>'
                         '<sheets><sheet name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>')
        package.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
                         'Type="worksheet"/></Relationships>')
        package.writestr("xl/sharedStrings.xml", f'<sst {_NS}><si><t>Budget</t></si><si><r><t>North </t></r>'
                         '<r><t>region</t></r><rPh><t>ほく</t></rPh></si></sst>')
        package.writestr("xl/styles.xml", f'<styleSheet {_NS}><numFmts><numFmt numFmtId="164" '
                         'formatCode="[$-409]d\\ mmm\\ yyyy;@"/><numFmt numFmtId="165" formatCode="0.0&quot;%&quot;"/>'
                         '</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/>'
                         '<xf numFmtId="20"/><xf numFmtId="22"/></cellXfs></styleSheet>')
        package.writestr("xl/worksheets/sheet1.xml", f'<worksheet {_NS}><sheetData><row r="1">{cells}</row>'
                         '</sheetData></worksheet>')
    return buffer.getvalue()


def test_what_cells_hold_reads_as_excel_shows_it():
    found = read_xlsx(made_workbook(
        '<c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="inlineStr"><is><t>typed in</t></is></c>'
        '<c><v>1234.5</v></c><c><v>0.1</v></c><c t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c>'
        '<c s="1"><v>45292</v></c><c s="2"><v>0.125</v></c><c s="3"><v>0.6041666666666666</v></c>'
        '<c s="4"><v>45292.75</v></c><c t="str"><f>A1</f><v>Budget</v></c><c/>'))
    assert blocks(found, TABLE_ROW) == ["Budget | North region | typed in | 1234.5 | 0.1 | TRUE | #DIV/0! | "
                                        "2024-01-01 | 12.5% | 14:30 | 2024-01-01 18:00 | Budget"]
    assert blocks(read_xlsx(made_workbook('<c s="1"><v>0</v></c>', epoch_1904=True))) == ["Figures", "1904-01-01"]


def test_a_workbook_is_a_document_of_the_corpus_whatever_its_name():
    data = document_path("debian.xlsx").read_bytes()
    assert document_format("debian.xlsx", data) == "xlsx"
    assert document_format("releases", data) == "xlsx"  # by the workbook part its zip names
    assert document_format("releases", document_path("debian.ods").read_bytes()) == "odt"


@pytest.mark.parametrize("data, reason", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "encrypted Excel file"),
    (document_path("debian.xlsx").read_bytes()[:3000], "broken Excel file"),
    (made_workbook("<c>").replace(b"xl/workbook.xml", b"xl/notebook.xml"), "not an Excel .xlsx file"),
])
def test_what_is_no_readable_workbook_is_one_line_of_reason(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_xlsx(data)
    if data.startswith(b"PK"):
        with pytest.raises(UnreadableFile, match=reason):
            document_from_bytes("book.xlsx", data)
