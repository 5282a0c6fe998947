"""Finding and decoding documents, and telling an article's text from its
header and the web page's furniture."""

from __future__ import annotations

import gzip
import random
import re
import time
from pathlib import Path

import pytest

from assistant.corpus import (
    _CONTROL_BYTES,
    _FOOTER_MARK_STARTS,
    _FOOTER_MARKS,
    _UNFOLDED_MARK_LETTERS,
    BODY,
    FURNITURE,
    HEADER,
    HEADING_ROLE,
    MAX_FOOTER_PARAGRAPHS,
    UnreadableFile,
    _footer_start,
    decode,
    discover,
    document_from_paragraphs,
    load_corpus,
    make_document,
    read_file,
    skipped_summary,
    sort_out,
)
from assistant.errors import CorpusError
from assistant.library import open_library
from assistant.text import Span

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILE = SEEDS / "000_50fe43ddfa67b07d.txt"


# --- discover ---------------------------------------------------------------------


def test_discover_walks_folders_and_skips_hidden_ones_and_sort_out_leaves_non_documents_out(tmp_path):
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "b.md").write_text("B.", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "c.TXT").write_text("C.", encoding="utf-8")
    (tmp_path / "sub" / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub" / "notes.docx").write_bytes(b"PK")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("D.", encoding="utf-8")
    (tmp_path / "sub" / ".git").mkdir()
    (tmp_path / "sub" / ".git" / "e.md").write_text("E.", encoding="utf-8")
    (tmp_path / ".f.txt").write_text("F.", encoding="utf-8")
    (tmp_path / "z.markdown").write_text("Z.", encoding="utf-8")
    (tmp_path / "sub" / "photo.JPG").write_bytes(b"\xff\xd8")
    (tmp_path / "sub" / "site.css").write_text("p {}", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("L.", encoding="utf-8")
    files = discover(tmp_path)
    assert [f.source for f in files] == ["LICENSE", "a.txt", "z.markdown", "sub/b.md", "sub/c.pdf", "sub/notes.docx",
                                         "sub/photo.JPG", "sub/site.css", "sub/deeper/c.TXT"]
    assert files[1].path == tmp_path / "a.txt" and files[1].size == 2
    documents, skipped = sort_out(files)
    assert [f.source for f in documents] == ["LICENSE", "a.txt", "z.markdown", "sub/b.md", "sub/c.pdf",
                                             "sub/notes.docx", "sub/deeper/c.TXT"]
    assert skipped == ["skipped 2 files that are not documents: 1 image, 1 web page resource "
                       "(sub/photo.JPG, sub/site.css)"]


def test_json_data_is_no_document_gzipped_or_not(tmp_path):
    # Node's documentation ships all.json.gz beside all.html: data for programs, not prose.
    for name, data in (("api.json", b'{"textRaw": "The readline module"}'),
                       ("all.json.gz", gzip.compress(b'{"miscs": []}')), ("NEWS.gz", gzip.compress(b"News.\n"))):
        (tmp_path / name).write_bytes(data)
    documents, skipped = sort_out(discover(tmp_path))
    assert [f.source for f in documents] == ["NEWS.gz"]
    assert skipped == ["skipped 2 files that are not documents: 2 data files (all.json.gz, api.json)"]


def test_discover_takes_a_single_file_by_its_name(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("B.", encoding="utf-8")
    files = discover(tmp_path / "sub" / "b.md")
    assert [(f.source, f.path) for f in files] == [("b.md", tmp_path / "sub" / "b.md")]
    assert [f.source for f in discover(SEED_FILE)] == ["000_50fe43ddfa67b07d.txt"]


def test_discover_of_the_seed_folder():
    assert [f.source for f in discover(SEEDS)] == ["000_50fe43ddfa67b07d.txt"]


def test_missing_and_empty_corpora_are_errors(tmp_path):
    with pytest.raises(CorpusError, match="corpus not found"):
        discover(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no files in"):
        discover(tmp_path)
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"no documents in .*: skipped 1 file that is not a document: 1 image \(image.png\)"):
        load_corpus(tmp_path)


# --- decode -------------------------------------------------------------------------


@pytest.mark.parametrize("data, text, encoding", [
    ("Café “quoted”.\n".encode(), "Café “quoted”.\n", "utf-8"),
    # A plain "utf-8" decode keeps the byte-order mark, as open(path, encoding="utf-8") does.
    ("\ufeffWith a BOM.\n".encode(), "\ufeffWith a BOM.\n", "utf-8"),
    ("Ünïcödé\r\nline two\r\n".encode("utf-16"), "Ünïcödé\nline two\n", "utf-16"),
    (b"\xfe\xff" + "Big “end”\n".encode("utf-16-be"), "Big “end”\n", "utf-16"),
    ("Smart “quotes” — here…".encode("cp1252"), "Smart “quotes” — here…", "cp1252"),
    (b"caf\xe9 au lait\x81", "café au lait\x81", "latin-1"),  # 0x81 is no cp1252 character
    (b"one\r\ntwo\r\n", "one\ntwo\n", "utf-8"),
    (b"old\rmac\rline ends", "old\nmac\nline ends", "utf-8"),
    (b"mixed\r\r\nends\n", "mixed\n\nends\n", "utf-8"),
])
def test_decode_falls_back_and_reads_line_ends_as_open_does(data, text, encoding):
    assert decode(data) == (text, encoding)


@pytest.mark.parametrize("data", [
    "Café “quoted”.\r\nSecond line.\r\n\r\nThird.".encode(),
    "\ufeffBOM and CRLF\r\n\r\nnext".encode(),
    "Smart “quotes”\r\n\r\n‘single’ – dash".encode("cp1252"),
    b"caf\xe9\r\ncr only\rend",
    "UTF-16 “text”\r\n\r\nmore".encode("utf-16"),
])
def test_decoded_text_is_what_open_reads_with_that_encoding(tmp_path, data):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    text, encoding = decode(data)
    with open(path, encoding=encoding, newline=None) as handle:
        assert handle.read() == text


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"text then a NUL \x00 byte", "binary file"),
    (bytes(range(1, 32)) * 50, "binary file"),  # control characters, no NUL
    (b"\xff\xfeA\x00B", "not valid UTF-16"),  # a UTF-16 mark, then an odd byte
    (b"\xff\xfe\x00\xd8A\x00", "not valid UTF-16"),  # an unpaired surrogate
])
def test_binary_data_is_unreadable(data, reason):
    with pytest.raises(UnreadableFile, match=reason):
        decode(data)


@pytest.mark.parametrize("text, binary", [
    ("a" * 95 + "\x01" * 5, False),  # 5 % control characters: text
    ("a" * 94 + "\x01" * 6, True),
    ("é" * 95 + "\x1f" * 5, False),  # counted in characters, not in the bytes of their UTF-8
    ("é" * 94 + "\x0e" * 6, True),
    ("\t\n\x0b\x0c" * 50 + "a", False),  # white space is no control character here
])
def test_text_with_more_than_one_control_character_in_twenty_is_binary(text, binary):
    if binary:
        with pytest.raises(UnreadableFile, match="binary file"):
            decode(text.encode())
    else:
        assert decode(text.encode()) == (text, "utf-8")


def test_control_characters_are_counted_as_a_loop_over_the_characters_would():
    rng = random.Random(5)
    alphabet = [chr(i) for i in range(300)] + ["\u2028", "\x85", "€", "\U0001f600"]
    for _ in range(2000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        encoded = sample.encode("utf-8")
        assert len(encoded) - len(encoded.translate(None, _CONTROL_BYTES)) == sum(
            1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n \r\n"])
def test_empty_files_are_unreadable(tmp_path, data):
    (tmp_path / "empty.txt").write_bytes(data)
    with pytest.raises(UnreadableFile, match="empty file"):
        read_file(discover(tmp_path)[0])


# --- loading a corpus ---------------------------------------------------------------


def _mixed_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_text("A good document.", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "empty.md").write_bytes(b"")
    (folder / "broken.txt").write_bytes(b"\xff\xfeA")
    return folder


def test_unreadable_files_are_skipped_with_a_warning(tmp_path):
    corpus = load_corpus(_mixed_folder(tmp_path / "c"))
    assert [d.source for d in corpus.documents] == ["good.txt"]
    assert corpus.warnings == (
        "skipped bad.txt: binary file",
        "skipped broken.txt: not valid UTF-16",
        "skipped empty.md: empty file",
    )
    assert corpus.paragraph_count == 1


# The first lines of a real PostScript manual (bzip2's manual.ps, from DocBook
# by poppler's pdftops): it decodes as text, and its words are drawing commands.
POSTSCRIPT = (b"%!PS-Adobe-2.0\n%Produced by poppler pdftops version: 0.26.5 (http://poppler.freedesktop.org)\n"
              b"%%Creator: DocBook XSL Stylesheets\n%%LanguageLevel: 2\n%%DocumentSuppliedResources: (atend)\n"
              b"%%Pages: 32\n%%EndComments\n%%BeginProlog\n/xpdf 75 dict def xpdf begin\n"
              b"[(bzip2 and libbzip2, version 1.0.8)] TJ\n") * 20


@pytest.mark.parametrize("name, data", [("manual.ps", POSTSCRIPT), ("manual.ps.gz", gzip.compress(POSTSCRIPT)),
                                        ("manual", POSTSCRIPT), ("manual.txt", POSTSCRIPT)])
def test_postscript_is_skipped_whatever_its_name_with_its_reason(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "notes.txt").write_text("The manual is also printed.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [d.source for d in corpus.documents] == ["notes.txt"]
    assert corpus.warnings == (f"skipped {name}: PostScript file",)


@pytest.mark.parametrize("name, data", [("vendoring.rst", b".. include:: ../../src/pip/_vendor/README.rst\n"),
                                        ("links.md", b"[pypi]: https://pypi.org/\n\n<!-- nothing else -->\n")])
def test_a_file_of_markup_alone_is_skipped_as_without_text_not_empty(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableFile, match="^file without text$"):
        read_file(discover(tmp_path)[0])


def test_a_page_of_marked_headings_alone_quotes_none_of_them_and_a_short_note_is_its_own_text(tmp_path):
    # pip's cli/pip_cache.rst: every paragraph a directive writes at build
    # time, so the file itself holds only "Usage", "Windows", "Description".
    page = ("pip cache\n---------\n\nUsage\n*****\n\n.. tab:: Unix/macOS\n\n   .. pip-command-usage:: cache\n\n"
            ".. tab:: Windows\n\n   .. pip-command-usage:: cache\n\nDescription\n***********\n\n"
            ".. pip-command-description:: cache\n")
    (tmp_path / "pip_cache.rst").write_text(page, encoding="utf-8")
    (tmp_path / "note.txt").write_text("Cache cleared on Windows", encoding="utf-8")
    documents = {d.source: d for d in load_corpus(tmp_path).documents}
    page_roles = {p.span.of(page): p.role for p in documents["pip_cache.rst"].paragraphs}
    assert page_roles["Windows"] == page_roles["Description"] == HEADING_ROLE
    assert [p.role for p in documents["note.txt"].paragraphs] == [BODY]
    from assistant.answerer import Assistant

    answer = Assistant.open(tmp_path, cache_dir=tmp_path / "cache").ask("Where is the cache on Windows?")
    assert [e.source for e in answer.excerpts] == ["note.txt"]


def test_the_skipped_files_are_counted_by_reason_in_plural_when_several():
    warnings = ["skipped a.md: empty file", "skipped b.txt: empty file", "skipped c.bin: binary file",
                "skipped d.pdf: encrypted PDF", "skipped e.pdf: encrypted PDF",
                "skipped f.rst: file without text", "skipped g.md: file without text",
                "skipped 3 files that are not documents: 2 images, 1 archive (x.png, y.png, z.zip)"]
    assert skipped_summary(warnings) == ("skipped 10 files: 2 empty files, 1 binary file, 2 encrypted PDFs, "
                                         "2 files without text, 2 images, 1 archive")


def test_the_library_skips_the_same_files_with_the_same_warnings(tmp_path):
    library = open_library(_mixed_folder(tmp_path / "c"), cache_dir=tmp_path / "cache")
    assert [e.source for e in library.entries] == ["good.txt"]
    assert library.warnings == [
        "skipped bad.txt: binary file",
        "skipped broken.txt: not valid UTF-16",
        "skipped empty.md: empty file",
    ]
    assert library.document(0).text == "A good document."


@pytest.mark.parametrize("load", [load_corpus, lambda p: open_library(p, use_cache=False)])
def test_a_folder_of_only_unreadable_files_has_no_readable_documents(tmp_path, load):
    (tmp_path / "x.txt").write_bytes(b"\x00\x00\x00")
    (tmp_path / "y.md").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "z.txt").write_text(" \n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no readable documents"):
        load(tmp_path)


def test_a_multi_file_corpus_reads_every_encoding_into_its_own_offsets(tmp_path):
    (tmp_path / "a.txt").write_bytes("Smart “quotes” here.\r\n\r\nSecond – para.\r\n".encode("cp1252"))
    (tmp_path / "b.txt").write_bytes("\ufeffBOM first.\r\n\r\nThen more.".encode())
    (tmp_path / "c.txt").write_bytes("Über “sixteen”.\n\nTwo.".encode("utf-16"))
    corpus = load_corpus(tmp_path)
    got = {d.source: (d.encoding, [p.span.of(d.text) for p in d.paragraphs]) for d in corpus.documents}
    assert got == {
        "a.txt": ("cp1252", ["Smart “quotes” here.", "Second – para."]),
        "b.txt": ("utf-8", ["BOM first.", "Then more."]),
        "c.txt": ("utf-16", ["Über “sixteen”.", "Two."]),
    }
    b = next(d for d in corpus.documents if d.source == "b.txt")
    assert b.text == (tmp_path / "b.txt").open(encoding="utf-8").read()
    assert b.paragraphs[0].span.start == 1  # after the byte-order mark, which the text keeps


# --- what the paragraphs are ------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return read_file(discover(SEEDS)[0])


def test_the_seed_article_has_its_title_date_and_byline(seed):
    assert seed.source == "000_50fe43ddfa67b07d.txt" and seed.encoding == "utf-8"
    assert seed.text == SEED_FILE.open(encoding="utf-8").read()
    assert seed.title.of(seed.text) == "Soldiers of Conscience: Myanmar’s military defectors"
    assert seed.display_title == "Soldiers of Conscience: Myanmar’s military defectors"
    assert seed.date.of(seed.text) == "Monday, March 4, 2024"
    assert seed.byline.of(seed.text) == "James Shwe"


def test_the_seed_header_body_and_furniture(seed):
    roles = {p.number: p.role for p in seed.paragraphs}
    assert len(roles) == 33 and list(roles) == list(range(1, 34))
    assert [n for n, r in roles.items() if r == HEADER] == [1, 2, 3, 4]
    assert [n for n, r in roles.items() if r == FURNITURE] == [30, 31, 32, 33]
    assert [n for n, r in roles.items() if r == BODY] == list(range(5, 30))
    body = "\n".join(p.span.of(seed.text) for p in seed.paragraphs if p.role == BODY)
    for furniture in ("HomeOpinion", "Guest contributor", "Lost Password?", "[email", "newsletter",
                      "DVB editorial policy", "Feel the passion for press freedom",
                      "Join us as a valued contributor"):
        assert furniture not in body
    first = next(p for p in seed.paragraphs if p.role == BODY)
    assert first.span.of(seed.text).startswith("International and regional efforts")
    last = [p for p in seed.paragraphs if p.role == BODY][-1]
    assert last.span.of(seed.text).startswith("James Shwe is a Burmese-American")


def test_the_seed_paragraphs_are_its_blank_line_blocks_counted_independently(seed):
    blocks, start = [], 0
    lines = seed.text.split("\n")
    offset = 0
    current = None
    for line in lines:
        if line.strip():
            if current is None:
                current = offset + (len(line) - len(line.lstrip()))
            start = offset + len(line.rstrip())
        elif current is not None:
            blocks.append((current, start))
            current = None
        offset += len(line) + 1
    if current is not None:
        blocks.append((current, start))
    assert [(p.span.start, p.span.end) for p in seed.paragraphs] == blocks


def test_paragraph_at_and_line_of(seed):
    twenty = seed.paragraphs[19]
    assert twenty.number == 20 and twenty.span.of(seed.text).startswith("Li Kyar Win")
    assert seed.paragraph_at(twenty.span.start) == twenty
    assert seed.paragraph_at(twenty.span.end - 1) == twenty
    with pytest.raises(ValueError):
        seed.paragraph_at(twenty.span.end + 1)  # the blank line after it
    offset = seed.text.index("Li Kyar Win")
    assert seed.line_of(offset) == seed.text[:offset].count("\n") + 1
    assert seed.text.split("\n")[seed.line_of(offset) - 1].startswith("Li Kyar Win")


def test_a_plain_file_without_header_is_all_body(tmp_path):
    (tmp_path / "plain.txt").write_text("The river rose in May. Farms flooded.\n\nThe town rebuilt.", encoding="utf-8")
    plain = read_file(discover(tmp_path)[0])
    assert [(p.number, p.role, p.span.of(plain.text)) for p in plain.paragraphs] == [
        (1, BODY, "The river rose in May. Farms flooded."), (2, BODY, "The town rebuilt.")]
    assert plain.title is None and plain.date is None and plain.byline is None
    assert plain.display_title == "plain.txt"


def test_a_list_of_short_lines_is_body_not_header():
    document = make_document("list.txt", "apples\n\npears\n\nplums")
    assert [p.role for p in document.paragraphs] == [BODY, BODY, BODY]


def test_a_markdown_title_is_found_and_its_marks_left_out(tmp_path):
    (tmp_path / "notes.md").write_text("# Flood report\n\nThe river rose in May.\n", encoding="utf-8")
    notes = read_file(discover(tmp_path)[0])
    assert notes.display_title == "Flood report" and notes.title.of(notes.text) == "Flood report"
    assert [p.role for p in notes.paragraphs] == [HEADER, BODY]


def test_a_markdown_header_with_byline_and_date(tmp_path):
    text = "\ufeff# Flood report\n\nBy Jane Doe\n\nMay 3, 2024\n\nThe river rose in May. It was bad.\n\n## Aftermath\n\nRebuilt."
    document = make_document("flood.md", text)
    assert document.title.of(text) == "Flood report"
    assert document.byline.of(text) == "Jane Doe"
    assert document.date.of(text) == "May 3, 2024"
    assert [p.role for p in document.paragraphs] == [HEADER, HEADER, HEADER, BODY, BODY, BODY]


def test_a_plain_title_line_before_prose_is_the_title():
    text = "Harbour works\n\nThe harbour reopened on 3 May 2024 after repairs."
    document = make_document("h.txt", text)
    assert document.title.of(text) == "Harbour works"
    assert [p.role for p in document.paragraphs] == [HEADER, BODY]


def test_an_emacs_mode_line_is_no_part_of_the_title():
    # As GNU's NEWS and HACKING files begin: the mode is for the editor.
    text = "GNU coreutils NEWS                                    -*- outline -*-\n\n" \
           "* Noteworthy changes in release 9.1 (2022-04-15) [stable]\n\n" \
           "  chmod -R no longer exits with error status when encountering symlinks.\n"
    document = make_document("NEWS", text)
    assert document.title.of(text) == "GNU coreutils NEWS"
    alone = "-*- outline -*-\n\nThe harbour reopened on 3 May 2024 after repairs, as the council said."
    assert make_document("TODO", alone).title is None


# --- the footer ------------------------------------------------------------------------


def footer_by_every_paragraph(text: str, spans: list[Span]) -> int:
    """The first paragraph past the middle, and among the last
    MAX_FOOTER_PARAGRAPHS, with a footer mark, each searched."""
    for i, span in enumerate(spans):
        if i >= max(len(spans) // 2, len(spans) - MAX_FOOTER_PARAGRAPHS) and _FOOTER_MARKS.search(span.of(text)):
            return i
    return len(spans)


def test_the_footer_marks_are_found_in_the_lowercased_text_unless_a_letter_does_not_fold():
    """_footer_start looks for the marks' beginnings in the lowercased text:
    every character IGNORECASE takes for one of their letters lowercases to
    that letter, and no character lowercases to more than one, except those
    it then searches the slow way."""
    letters = sorted(set("".join(_FOOTER_MARK_STARTS)))
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    taken = set(re.findall("[" + re.escape("".join(letters)) + "]", everything, re.IGNORECASE))
    unfolded = {ch for ch in taken for letter in letters
                if re.fullmatch(re.escape(letter), ch, re.IGNORECASE) and ch.lower() != letter}
    unfolded |= {ch for ch in everything if len(ch.lower()) != 1}
    assert unfolded == set(_UNFOLDED_MARK_LETTERS)
    assert all(_FOOTER_MARKS.pattern.split("|")[i].lower().replace("\\", "").startswith(start)
               for i, start in enumerate(_FOOTER_MARK_STARTS))


@pytest.mark.parametrize("text, spans, footer", [
    ("One.\n\nTwo.\n\nSUBSCRIBE TO our letters\n\nFour.", [(0, 4), (6, 10), (12, 35), (37, 42)], 2),
    ("One.\n\nTwo.\n\nSubſcribe to our letters\n\nFour.", [(0, 4), (6, 10), (12, 35), (37, 42)], 2),  # long s
    ("One.\n\nTwo.\n\nThe İ.\n\nSign up for it", [(0, 4), (6, 10), (12, 18), (20, 34)], 3),
    ("Newsletter.\n\nTwo.\n\nThree.", [(0, 11), (13, 17), (19, 25)], 3),  # in the first half only
    ("One.\n\nTwo [email\n\nprotected] x\n\nFour.", [(0, 4), (6, 16), (18, 30), (32, 37)], 4),  # across two
    ("One.\n\nTwo [email\n\nprotected] x\n\n© Four.", [(0, 4), (6, 16), (18, 30), (32, 39)], 3),
    ("One.\n\nTwo.\n\n[Email \u00a0protected]", [(0, 4), (6, 10), (12, 32)], 2),
])
def test_the_footer_starts_at_the_first_mark_past_the_middle(text, spans, footer):
    spans = [Span(*span) for span in spans]
    assert _footer_start(text, spans) == footer_by_every_paragraph(text, spans) == footer


def test_the_footer_is_where_searching_every_paragraph_finds_it():
    pieces = ["[email protected]", "[EMAIL\u00a0 PROTECTED]", "[email", "protected]", "Editorial Policy", "policy",
              "All Rights Reserved", "all rıghts reserved", "ALL RİGHTS RESERVED", "©", "Lost Password",
              "newſletter", "Subscribe to", "ſign up for", "Sign Up", "for", "İ", "ı", "ſ", "K", "word", " ", "\n",
              "\n\n", "ß", "Σ", "news", "letter"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 2 * rng.randint(1, 6))))
        spans = [Span(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
        assert _footer_start(text, spans) == footer_by_every_paragraph(text, spans), (text, spans)


def test_the_footer_is_found_in_linear_time_however_many_candidates_are_no_mark():
    text = "\n\n".join(["Plain words here."] * 50_000 + ["[email x"] * 50_000)
    spans = [Span(i * 19, i * 19 + 17) for i in range(50_000)]
    spans += [Span(spans[-1].end + 2 + i * 10, spans[-1].end + 2 + i * 10 + 8) for i in range(50_000)]
    assert spans[-1].of(text) == "[email x"
    started = time.perf_counter()
    assert _footer_start(text, spans) == len(spans)
    assert time.perf_counter() - started < 5


def test_a_mark_far_from_the_end_of_a_long_text_starts_no_footer():
    # Debian's policy.txt: "... even if they do not subscribe to policy
    # mailing lists" two thirds in made its last 628 paragraphs furniture.
    paragraphs = [f"Rule {n}: a package must do thing number {n}." for n in range(300)]
    paragraphs[200] = "Maintainers should see the proposals, even if they do not subscribe to the lists."
    document = make_document("policy.txt", "\n\n".join(paragraphs))
    assert [p.role for p in document.paragraphs].count(FURNITURE) == 0
    # A page's own footer, at its end, still is one.
    page = make_document("page.txt", "\n\n".join(paragraphs[:199] + ["Subscribe to our newsletter", "Home"]))
    assert [p.role for p in page.paragraphs][-2:] == [FURNITURE, FURNITURE]


def test_lines_that_repeat_the_documents_headings_are_its_contents_not_answers():
    text = "\n\n".join([
        "Packaging Manual\n================",
        "This manual says how packages are made, and what each of them must hold.",
        "* 1. Scope", "* 2. The package name", "* 3. The version of a package",
        "1. Scope\n--------", "It covers every package of the archive, in each of its areas.",
        "2. The package name\n-------------------",
        "The package name must consist only of lower case letters, digits and the signs plus, minus and dots.",
        "3. The version of a package\n---------------------------",
        "The version of a package is its upstream version followed by a Debian revision.",
    ])
    document = make_document("manual.txt", text)
    roles = {p.span.of(document.text): p.role for p in document.paragraphs}
    assert roles["* 2. The package name"] == FURNITURE and roles["* 1. Scope"] == FURNITURE
    assert roles["It covers every package of the archive, in each of its areas."] == BODY
    # Two lines that repeat a heading are no table of contents.
    few = make_document("notes.txt", text.replace("* 3. The version of a package", "Versions come next."))
    assert all(p.role != FURNITURE for p in few.paragraphs)


def test_a_document_made_of_given_paragraphs():
    document = document_from_paragraphs("squad/Beyonce", "Beyoncé", ["First one.", "Second one."])
    assert document.text == "First one.\n\nSecond one."
    assert [(p.number, p.role, p.span.of(document.text)) for p in document.paragraphs] == [
        (1, BODY, "First one."), (2, BODY, "Second one.")]
    assert document.display_title == "Beyoncé"


def test_linked_folders_are_read_once_and_a_link_loop_ends(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "docs").symlink_to(tmp_path / "real")
    (tmp_path / "corpus" / "again").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "corpus")
    assert [f.source for f in discover(tmp_path / "corpus")] == ["again/a.txt"]


def test_a_clauses_run_in_heading_is_its_sections_heading_and_never_a_quote():
    text = ("Terms\n\n"
            "   3. Grant of Patent License. Subject to the terms of this License, each\n"
            "      Contributor grants to You a patent license. It may end.\n\n"
            "   (b) Notices. You must keep the notices.\n\n"
            "   4. The army surrendered. Nobody was hurt.\n\n"
            "Mr. Smith went home. He slept.\n")
    document = make_document("terms.txt", text)
    units = {p.number: [" ".join(s.of(text).split()) for s in document.sentences_in(p.number)]
             for p in document.paragraphs}
    # A clause's title run in before its text is its section's heading, quoted with nothing.
    heading = next(p for p in document.paragraphs if p.role == HEADING_ROLE and "Patent" in p.span.of(text))
    assert heading.span.of(text) == "3. Grant of Patent License."
    assert ["Subject to the terms of this License, each Contributor grants to You a patent license.",
            "It may end."] in units.values()
    assert document.section_of(heading.number + 1) == "3. Grant of Patent License."
    assert ["(b) Notices. You must keep the notices."] in units.values()
    # A numbered sentence that is no title, and a name's abbreviation, are cut as before.
    assert ["4. The army surrendered.", "Nobody was hurt."] in units.values()
    assert ["Mr. Smith went home.", "He slept."] in units.values()


def test_a_command_line_option_set_as_a_heading_opens_the_paragraph_that_says_what_it_does():
    from assistant.readers.structure import Block, Layout

    text = ("OPTIONS\n\n-p, --interactive\n\nPrompt the user before each command. Read a line.\n\n"
            "find /tmp -print0 | xargs -0 rm\n\nDelete the files found.\n\nEXIT STATUS\n\nIt exits with 0.\n")
    blocks = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group(0)
        kind = "heading" if line.isupper() or not line.endswith(".") else "paragraph"
        blocks.append(Block(kind, Span(match.start(), match.end()), 1 if kind == "heading" else 0))
    document = make_document("xargs.pdf", layout=Layout(text, tuple(blocks)), headed=False)
    units = [[s.of(text) for s in document.sentences_in(p.number)] for p in document.paragraphs if p.role == BODY]
    # (a short entry is one unit: its term, what it does and the rest of it)
    assert ["-p, --interactive\n\nPrompt the user before each command. Read a line."] in units
    assert ["find /tmp -print0 | xargs -0 rm\n\nDelete the files found."] in units
    # A section's heading stays one: what follows it is in its section, not joined to it.
    assert ["It exits with 0."] in units
    assert [p.span.of(text) for p in document.paragraphs if p.role != BODY] == ["OPTIONS", "EXIT STATUS"]


def test_a_one_word_first_heading_titles_the_document_when_it_is_the_files_name():
    from assistant.readers.structure import Block, Layout

    text = "Libtasn1\n\nThis manual is for GNU Libtasn1, which is a library for ASN.1 manipulation.\n"
    blocks = (Block("heading", Span(0, 8), 1), Block("paragraph", Span(10, len(text) - 1)))
    assert make_document("docs/libtasn1.pdf", layout=Layout(text, blocks), headed=False).display_title == "Libtasn1"
    # "Introduction" over another file is a section's heading, not its title.
    other = text.replace("Libtasn1\n", "Overview\n", 1)
    assert make_document("docs/libtasn1.pdf", layout=Layout(other, blocks), headed=False).display_title \
        == "docs/libtasn1.pdf"


def test_an_option_on_a_paragraph_of_its_own_opens_the_paragraph_that_says_what_it_does():
    from assistant.readers.structure import Block, Layout

    # As a word processor's manual sets its options: each a paragraph, its meaning the next.
    text = ("General options\n\n-num\n\ndisplay each line's number\n\n-o opt=value\n\nassign value to config option\n\n"
            "- Plain dashes open no option.\n\nThe end.\n")
    blocks = []
    for match in re.finditer(r"[^\n]+", text):
        kind = "heading" if match.group(0) == "General options" else "paragraph"
        blocks.append(Block(kind, Span(match.start(), match.end()), 1 if kind == "heading" else 0))
    document = make_document("w3m.docx", layout=Layout(text, tuple(blocks)), headed=False)
    body = [p for p in document.paragraphs if p.role == BODY]
    assert [p.span.of(text) for p in body] == [
        "-num\n\ndisplay each line's number", "-o opt=value\n\nassign value to config option",
        "- Plain dashes open no option.", "The end."]
    assert document.term(body[0].number) == "-num"


def test_a_tables_caption_is_a_heading_over_the_table_within_its_section():
    # As the Debian Reference's PDF sets it: the caption on a line of its own.
    text = ("Debian Reference\n\nThis book is a broad overview of Debian system administration for users.\n\n"
            "2.2.9 Package activity logs\n\nThe package activities are recorded in several log files.\n\n"
            "Table 2.12: The log files for package activities\n\n"
            "/var/log/dpkg.log records the dpkg level actions for all package activities.\n\n"
            "2.2.10 Searching packages\n\nThere are many ways to find a package by its name or its contents.\n")
    document = make_document("reference.txt", text)
    def by_start(words):
        return next(p for p in document.paragraphs if p.span.of(text).startswith(words))

    caption = by_start("Table 2.12:")
    assert caption.role == "heading"  # never a quote on its own
    row = by_start("/var/log/dpkg.log")
    assert document.section_of(row.number) == "2.2.9 Package activity logs › Table 2.12: The log files for package activities"
    after = by_start("There are many ways")
    assert document.section_of(after.number) == "2.2.10 Searching packages"
    # A caption may name a file ("Table 3.2. The meaning of ... grub.cfg").
    grub = make_document("boot.txt", "Booting\n\nThe boot loader reads its configuration at every start.\n\n"
                         "Table 3.2. The meaning of the menu entry of /boot/grub/grub.cfg\n\n"
                         "menuentry | the title shown in the menu of the boot loader at start\n")
    assert any(p.role == "heading" and p.span.of(grub.text).startswith("Table 3.2.") for p in grub.paragraphs)
    # A caption before any section has opened heads its table only, not every section after it.
    chapter = make_document("ch02.txt", "Chapter 2. Package management\n\n"
                            "The package system installs consistent sets of binary packages.\n\n"
                            "Table 2.1. List of package management tools\n\napt | the command line front end\n\n"
                            "2.1. Prerequisites\n\nThe package configuration is kept in files of its own.\n")
    assert chapter.title.of(chapter.text) == "Chapter 2. Package management"
    kept = next(p for p in chapter.paragraphs if p.span.of(chapter.text).startswith("The package configuration"))
    assert chapter.section_of(kept.number) == "2.1. Prerequisites"
    # A sentence that names a table is no caption.
    plain = make_document("notes.txt", "Results\n\nTable 1 shows the results of the survey.\n")
    assert all(p.role != "heading" or "Results" in p.span.of(plain.text) for p in plain.paragraphs)
