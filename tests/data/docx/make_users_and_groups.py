"""Writes users-and-groups.docx (and, with LibreOffice, ../pdf/users-and-groups.pdf)
from the real text of Debian's "Users and Groups in the Debian System"
(/usr/share/doc/base-passwd/users-and-groups.html, GPL-2; see README.md).

    python tests/data/docx/make_users_and_groups.py   # needs python-docx, lxml
    soffice --headless --convert-to pdf --outdir tests/data/pdf tests/data/docx/users-and-groups.docx

The text is the document's own; only its shape is Word's: a Title, Heading 1
chapters, Heading 2 entries, the first entries as a table, later ones as a
bulleted and a numbered list, a running header and a "Page N of M" footer.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import docx
import lxml.html
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

SOURCE = Path("/usr/share/doc/base-passwd/users-and-groups.html")
HERE = Path(__file__).resolve().parent
TABLE_ENTRIES = ("root", "daemon", "bin", "sys", "sync", "games")
BULLETED_FROM = "adm"  # entries from here to "libvirt" become a bulleted list
NUMBERED_FROM = "sshd"  # entries from here on become a numbered list


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def entries(root):
    """(term, [paragraphs]) for each entry of chapter 2, with the loose
    paragraphs between the entry lists as (None, [paragraph])."""
    chapter = root.xpath("//div[@class='CHAPTER']")[1]
    for element in chapter.iter("dt", "p"):
        if element.tag == "dt":
            definition = element.getnext()
            yield text_of(element), [text_of(p) for p in definition.iter("p") if text_of(p)]
        elif element.getparent().tag != "dd" and text_of(element) and element.getparent() is chapter:
            yield None, [text_of(element)]


def field(paragraph, instruction: str) -> None:
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def main() -> None:
    root = lxml.html.parse(str(SOURCE)).getroot()
    document = docx.Document()
    title = text_of(root.xpath("//h1[@class='TITLE']")[0])
    authors = [text_of(h3) for h3 in root.xpath("//h3[@class='AUTHOR']")]
    document.core_properties.title = title
    document.core_properties.author = ", ".join(authors)
    document.core_properties.created = datetime.datetime(2022, 9, 20, 12, 0, 0)

    section = document.sections[0]
    section.header.paragraphs[0].text = title
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    field(footer, "PAGE")
    footer.add_run(" of ")
    field(footer, "NUMPAGES")

    document.add_paragraph(title, style="Title")
    document.add_paragraph(", ".join(authors))
    for p in root.xpath("//div[@class='TITLEPAGE']//p"):
        if text_of(p):
            document.add_paragraph(text_of(p))
    chapters = root.xpath("//div[@class='CHAPTER']")
    document.add_heading(text_of(chapters[0].find("h1")), level=1)
    for p in chapters[0].findall("p"):
        document.add_paragraph(text_of(p))
    document.add_heading(text_of(chapters[1].find("h1")), level=1)

    style = "Heading 2"
    table = None
    for term, paragraphs in entries(root):
        if term is None:
            document.add_paragraph(paragraphs[0])
            continue
        if term in TABLE_ENTRIES:
            if table is None:
                table = document.add_table(rows=1, cols=2, style="Table Grid")
                table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Name", "Purpose"
            cells = table.add_row().cells
            cells[0].text, cells[1].text = term, " ".join(paragraphs)
            continue
        if term == BULLETED_FROM:
            style = "List Bullet"
        elif term == NUMBERED_FROM:
            style = "List Number"
        if style == "Heading 2":
            document.add_heading(term, level=2)
            for text in paragraphs:
                document.add_paragraph(text)
        else:
            document.add_paragraph(f"{term}: {paragraphs[0]}", style=style)
            for text in paragraphs[1:]:
                document.add_paragraph(text, style="List Continue" if style == "List Bullet" else "List Continue 2")
    document.save(HERE / "users-and-groups.docx")


if __name__ == "__main__":
    main()
