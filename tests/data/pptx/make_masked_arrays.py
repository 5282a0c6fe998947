"""Writes masked-arrays.pptx (and, with LibreOffice Impress, masked-arrays.odp)
from the real text of NumPy's "A guide to masked arrays in NumPy"
(numpy/ma/README.rst, BSD-3-Clause; see README.md).

    python tests/data/pptx/make_masked_arrays.py PATH/TO/numpy/ma/README.rst   # needs python-pptx, docutils
    soffice --headless --convert-to odp --outdir tests/data/pptx tests/data/pptx/masked-arrays.pptx

The text is the guide's own; only its shape is a slide deck's: a title
slide, a slide a section (its title the section's, its bullet lists and
first paragraph as bullets, its literal blocks as a text box, its other
paragraphs as the speaker's notes), the revision notes as a table.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import docutils.core
import docutils.nodes
from pptx import Presentation
from pptx.util import Inches, Pt

HERE = Path(__file__).resolve().parent


def text_of(node) -> str:
    return " ".join(node.astext().split())


def main(source: Path) -> None:
    document = docutils.core.publish_doctree(source.read_text(encoding="utf-8"),
                                             settings_overrides={"report_level": 5})
    deck = Presentation()
    deck.core_properties.title = text_of(document.next_node(docutils.nodes.title))
    deck.core_properties.author = deck.core_properties.last_modified_by = "Pierre G.F. Gerard-Marchant"
    deck.core_properties.created = datetime.datetime(2007, 8, 25)
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = deck.core_properties.title
    first.placeholders[1].text = text_of(next(c for c in document.children if isinstance(c, docutils.nodes.paragraph)))
    for section in document.findall(docutils.nodes.section):
        title = text_of(section.next_node(docutils.nodes.title))
        items = [text_of(item) for item in section.findall(docutils.nodes.list_item)]
        paragraphs = [text_of(p) for p in section.children if isinstance(p, docutils.nodes.paragraph)]
        literal = [node.astext() for node in section.children if isinstance(node, docutils.nodes.literal_block)]
        if title == "Revision notes":
            slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
            slide.shapes.title.text = title
            rows = [item.split(" : ", 1) for item in items]
            table = slide.shapes.add_table(len(rows) + 1, 2, Inches(0.5), Inches(1.8), Inches(9), Inches(2)).table
            for column, heading in enumerate(("Date", "Note")):
                table.cell(0, column).text = heading
            for row, (date, note) in enumerate(rows, start=1):
                table.cell(row, 0).text, table.cell(row, 1).text = date, note
            continue
        slide = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
        slide.shapes.title.text = title
        bullets = (paragraphs[:1] + items) if items else paragraphs[:1]
        body = slide.placeholders[1].text_frame
        for number, bullet in enumerate(bullets):
            paragraph = body.paragraphs[0] if number == 0 else body.add_paragraph()
            paragraph.text = bullet
        if literal:
            box = slide.shapes.add_textbox(Inches(0.5), Inches(5.5), Inches(9), Inches(1.5)).text_frame
            box.text = literal[0]
            for paragraph in box.paragraphs:
                for run in paragraph.runs:
                    run.font.name, run.font.size = "Courier New", Pt(10)
        notes = paragraphs[1:] if items or len(paragraphs) > 1 else []
        if notes:
            slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    deck.save(HERE / "masked-arrays.pptx")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
