"""Finding and decoding documents, and telling an article's text from its
header and the web page's furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import BODY, FURNITURE, HEADER, UnreadableFile, decode, discover, load_corpus, read_file
from assistant.errors import CorpusError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_discover_walks_folders_keeps_text_files_and_skips_hidden_ones(tmp_path):
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("B.", encoding="utf-8")
    (tmp_path / "sub" / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("D.", encoding="utf-8")
    (tmp_path / ".e.txt").write_text("E.", encoding="utf-8")
    assert [f.source for f in discover(tmp_path)] == ["a.txt", "sub/b.md"]
    assert [f.source for f in discover(tmp_path / "sub" / "b.md")] == ["b.md"]


@pytest.mark.parametrize("data, text, encoding", [
    ("Café “quoted”.\n".encode(), "Café “quoted”.\n", "utf-8"),
    ("Smart “quotes” — here.".encode("cp1252"), "Smart “quotes” — here.", "cp1252"),
    ("Ünïcödé\r\nline two\r\n".encode("utf-16"), "Ünïcödé\nline two\n", "utf-16"),
    (b"caf\xe9 au lait\x81", "café au lait\x81", "latin-1"),
    (b"one\r\ntwo\r\n", "one\ntwo\n", "utf-8"),
])
def test_decode_falls_back_and_reads_line_ends_as_open_does(data, text, encoding):
    assert decode(data) == (text, encoding)


def test_binary_and_empty_files_are_unreadable(tmp_path):
    with pytest.raises(UnreadableFile):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UnreadableFile):
        decode(bytes(range(1, 32)) * 50)
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(UnreadableFile):
        read_file(discover(tmp_path)[0])


def test_unreadable_files_are_skipped_with_a_warning(tmp_path):
    (tmp_path / "good.txt").write_text("A good document.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    corpus = load_corpus(tmp_path)
    assert [d.source for d in corpus.documents] == ["good.txt"]
    assert corpus.warnings == ("skipped bad.txt: binary file",)


def test_missing_empty_and_all_binary_corpora_are_errors(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        discover(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no .txt or .md documents"):
        discover(tmp_path)
    (tmp_path / "x.txt").write_bytes(b"\x00\x00\x00")
    with pytest.raises(CorpusError, match="no readable documents"):
        load_corpus(tmp_path)


def test_the_seed_article_has_its_title_date_byline_and_no_furniture_in_the_body():
    document = read_file(discover(SEEDS)[0])
    assert document.title.of(document.text) == "Soldiers of Conscience: Myanmar’s military defectors"
    assert document.date.of(document.text) == "Monday, March 4, 2024"
    assert document.byline.of(document.text) == "James Shwe"
    roles = {p.number: p.role for p in document.paragraphs}
    assert [n for n, r in roles.items() if r == HEADER] == [1, 2, 3, 4]
    assert [n for n, r in roles.items() if r == FURNITURE] == [30, 31, 32, 33]
    body = " ".join(p.span.of(document.text) for p in document.paragraphs if p.role == BODY)
    for furniture in ("HomeOpinion", "Lost Password?", "[email protected]", "Join us as a valued contributor"):
        assert furniture not in body


def test_a_plain_file_without_header_is_all_body_and_a_markdown_title_is_found(tmp_path):
    (tmp_path / "plain.txt").write_text("The river rose in May. Farms flooded.\n\nThe town rebuilt.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Flood report\n\nThe river rose in May.\n", encoding="utf-8")
    documents = {f.source: read_file(f) for f in discover(tmp_path)}
    plain, notes = documents["plain.txt"], documents["notes.md"]
    assert all(p.role == BODY for p in plain.paragraphs) and plain.display_title == "plain.txt"
    assert notes.display_title == "Flood report"
    assert [p.role for p in notes.paragraphs] == [HEADER, BODY]
