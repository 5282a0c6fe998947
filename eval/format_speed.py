"""Indexing throughput per format, against each extraction library alone
(`eval/benchmark.py --formats`; issue 18).

    .venv/bin/python eval/benchmark.py --formats                       # the full run, a few minutes
    .venv/bin/python eval/benchmark.py --formats --formats-scale 0.1   # a tenth of every input, to try it

The inputs are made afresh in a temporary folder, the same every run (fixed
seed, no network), from real text:
- pdf: one PDF of 1,000 pages, written here by hand (Helvetica and
  Helvetica-Bold, Flate-compressed page streams): SQuAD v1.1 dev paragraphs
  (../shared/data/squad/dev-v1.1.json) under their article's title in bold,
  wrapped at the page width with Helvetica's own character widths, a running
  header and a page number on every page;
- html: 5,000 real news and blog pages, the 181 pages of the article
  extraction benchmark (../shared/data/article-extraction/) cycled, each file
  its own name;
- html-docs: 1,000 documentation-style pages made from the same SQuAD text
  (site header, navigation, h1/h2, paragraphs, lists, footer; no article
  markup, so the project walks them whole rather than calling trafilatura);
- docx: 300 Word documents made with python-docx (title, headings,
  paragraphs, a bulleted list);
- markdown: 1,000 Markdown files (# title, ## sections, paragraphs, a list);
- text: 5,000 plain .txt files (a title line, then the paragraphs).
Every made document is a SQuAD article's title over a run of 5 to 12 of its
paragraphs, drawn with the seed; the same draws feed every format.

For each format, each measurement in a fresh process (libraries imported and
one file read first, untimed):
- the extraction library alone on the same files: pypdfium2's text page by
  page (pdf), trafilatura.extract (html, html-docs), python-docx's paragraph
  text (docx), markdown-it-py's parse (markdown), read and decode (text);
- the project's `assistant index` on the folder: `open_library` into an empty
  cache folder, as the command builds and saves it; its progress calls (one a
  file read) split the time into reading (discover and read every file into a
  document, the path `corpus.read_stable` / `document_from_bytes` /
  `make_document` and the readers) and indexing (passages, TF-IDF, saving).
Files/s, pages/s (pdf) and MB/s of the input files, and the project's time as
a multiple of the library's. On plain text also tantivy (the engine of
`benchmark.py`, `tantivy_build`): the same files read, decoded and cut into
paragraphs at blank lines, indexed and committed to disk; the project's whole
build as a multiple of tantivy's (target: at most 2), and indexing alone
against indexing alone. Written as JSON to --formats-out.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "data" / "squad" / "dev-v1.1.json"
ARTICLES = ROOT.parent / "shared" / "data" / "article-extraction" / "html"

FORMATS = ("pdf", "html", "html-docs", "docx", "markdown", "text")
# What scale 1 makes: files (pdf: pages of its one file).
COUNTS = {"pdf": 1000, "html": 5000, "html-docs": 1000, "docx": 300, "markdown": 1000, "text": 5000}
LIBRARIES = {
    "pdf": "pypdfium2 text, page by page",
    "html": "trafilatura.extract",
    "html-docs": "trafilatura.extract",
    "docx": "python-docx paragraphs",
    "markdown": "markdown-it-py parse",
    "text": "read + decode",
}
SUFFIXES = {"pdf": ".pdf", "html": ".html", "html-docs": ".html", "docx": ".docx", "markdown": ".md", "text": ".txt"}
PARAGRAPHS_PER_DOCUMENT = (5, 12)


# --- the inputs ---------------------------------------------------------------------


def squad_articles() -> list[tuple[str, list[str]]]:
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    return [(a["title"].replace("_", " "), [" ".join(p["context"].split()) for p in a["paragraphs"]]) for a in data]


def documents(seed: int):
    """(title, paragraphs) without end: a SQuAD article's title over a run of
    its paragraphs, drawn with the seed."""
    articles = squad_articles()
    rng = random.Random(seed)
    while True:
        title, paragraphs = rng.choice(articles)
        count = min(len(paragraphs), rng.randint(*PARAGRAPHS_PER_DOCUMENT))
        start = rng.randrange(len(paragraphs) - count + 1)
        yield title, paragraphs[start : start + count]


def sections(paragraphs: list[str]) -> list[list[str]]:
    """The paragraphs in sections of four (the first under the title alone)."""
    return [paragraphs[i : i + 4] for i in range(0, len(paragraphs), 4)]


def sentences_of(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph) if s]


# pdf: Helvetica's widths (thousandths of the font size), from its AFM, for
# wrapping lines at the page's width as a word processor would.
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278] + [556] * 10
    + [278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
       778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500,
       556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500,
       500, 500, 334, 260, 334, 584],
))
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 612, 792, 72
BODY_SIZE, BODY_LEADING, TITLE_SIZE = 10, 13, 15
RUNNING_HEADER = "Articles from Wikipedia (SQuAD v1.1 development set)"


def _width(text: str, size: float, bold: bool) -> float:
    return sum(_WIDTHS.get(c, 556) for c in text) * size / 1000 * (1.08 if bold else 1.0)


def _wrap(text: str, size: float, bold: bool) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and _width(candidate, size, bold) > PAGE_WIDTH - 2 * MARGIN:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _show(font: str, size: float, x: float, y: float, text: str) -> bytes:
    return b"BT /%s %g Tf %g %g Td %s Tj ET\n" % (font.encode(), size, x, y, _pdf_string(text))


def write_pdf(path: Path, pages_wanted: int, seed: int) -> int:
    """A PDF of `pages_wanted` pages of SQuAD articles; returns its pages."""
    pages: list[bytes] = []
    page, y = b"", 0.0

    def new_page() -> None:
        nonlocal page, y
        if page:
            number = len(pages) + 1
            footer = f"Page {number}"
            page += _show("F1", 8, (PAGE_WIDTH - _width(footer, 8, False)) / 2, 40, footer)
            pages.append(page)
        page = _show("F1", 8, MARGIN, PAGE_HEIGHT - 40, RUNNING_HEADER)
        y = PAGE_HEIGHT - MARGIN

    new_page()
    for title, paragraphs in documents(seed):
        if len(pages) >= pages_wanted:
            break
        if y < MARGIN + 6 * BODY_LEADING:  # no title at the foot of a page
            new_page()
        y -= 10
        for line in _wrap(title, TITLE_SIZE, True):
            y -= TITLE_SIZE * 1.2
            page += _show("F2", TITLE_SIZE, MARGIN, y, line)
        y -= 6
        for paragraph in paragraphs:
            for line in _wrap(paragraph, BODY_SIZE, False):
                if y - BODY_LEADING < MARGIN:
                    new_page()
                y -= BODY_LEADING
                page += _show("F1", BODY_SIZE, MARGIN, y, line)
            y -= 6
    pages = pages[:pages_wanted]
    return _write_pdf_objects(path, pages)


def _write_pdf_objects(path: Path, contents: list[bytes]) -> int:
    count = len(contents)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(count))),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Articles from Wikipedia) /Author (SQuAD v1.1 dev, CC BY-SA 4.0) /CreationDate (D:20261205) >>",
    ]
    for i, content in enumerate(contents):
        stream = zlib.compress(content, 6)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R "
                       b"/F2 4 0 R >> >> /Contents %d 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, 7 + 2 * i))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return count


def write_html_articles(folder: Path, count: int) -> None:
    pages = sorted(ARTICLES.glob("*.html.gz"))
    if not pages:
        sys.exit(f"benchmark: no pages in {ARTICLES} (the article extraction benchmark's)")
    data = [gzip.decompress(p.read_bytes()) for p in pages]
    for i in range(count):
        (folder / f"page-{i:05d}-{pages[i % len(pages)].name[:12]}.html").write_bytes(data[i % len(data)])


def write_html_docs(folder: Path, count: int, seed: int) -> None:
    made = documents(seed)
    for i in range(count):
        title, paragraphs = next(made)
        e = html.escape
        parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(title)} — Handbook</title>"
                 "<link rel=\"stylesheet\" href=\"style.css\"></head>\n<body>\n"
                 "<header class=\"site\"><a href=\"index.html\">The Handbook</a> <form><input name=q></form></header>\n"
                 "<nav class=\"sidebar\"><ul>"
                 + "".join(f"<li><a href=\"page-{(i + k) % count:05d}.html\">Page {(i + k) % count}</a></li>" for k in range(1, 9))
                 + f"</ul></nav>\n<main><h1>{e(title)}</h1>\n"]
        for number, section in enumerate(sections(paragraphs)):
            if number:
                parts.append(f"<h2>{e(title)}, part {number + 1}</h2>\n")
            parts.extend(f"<p>{e(p)}</p>\n" for p in section)
            if number == 0:
                parts.append("<ul>" + "".join(f"<li>{e(s)}</li>" for s in sentences_of(section[0])[:4]) + "</ul>\n")
        parts.append(f"</main>\n<footer><p>Page {i} of the handbook. Text from Wikipedia, CC BY-SA 4.0.</p></footer>\n"
                     "</body></html>\n")
        (folder / f"page-{i:05d}.html").write_text("".join(parts), encoding="utf-8")


def write_docx(folder: Path, count: int, seed: int) -> None:
    import datetime

    import docx

    made = documents(seed)
    for i in range(count):
        title, paragraphs = next(made)
        document = docx.Document()
        document.core_properties.title = title
        document.core_properties.author = "Wikipedia (SQuAD v1.1)"
        document.core_properties.created = document.core_properties.modified = datetime.datetime(2026, 12, 5)
        document.add_heading(title, level=0)
        for number, section in enumerate(sections(paragraphs)):
            if number:
                document.add_heading(f"{title}, part {number + 1}", level=1)
            for paragraph in section:
                document.add_paragraph(paragraph)
            if number == 0:
                for sentence in sentences_of(section[0])[:4]:
                    document.add_paragraph(sentence, style="List Bullet")
        document.save(folder / f"document-{i:04d}.docx")


def write_markdown(folder: Path, count: int, seed: int) -> None:
    made = documents(seed)
    for i in range(count):
        title, paragraphs = next(made)
        parts = [f"# {title}\n"]
        for number, section in enumerate(sections(paragraphs)):
            if number:
                parts.append(f"## {title}, part {number + 1}\n")
            parts.extend(f"{p}\n" for p in section)
            if number == 0:
                parts.append("".join(f"- {s}\n" for s in sentences_of(section[0])[:4]))
        (folder / f"article-{i:05d}.md").write_text("\n".join(parts), encoding="utf-8")


def write_text(folder: Path, count: int, seed: int) -> None:
    made = documents(seed)
    for i in range(count):
        title, paragraphs = next(made)
        (folder / f"article-{i:05d}.txt").write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")


def make_inputs(fmt: str, folder: Path, scale: float, seed: int) -> dict:
    folder.mkdir(parents=True)
    count = max(1, round(COUNTS[fmt] * scale))
    started = time.perf_counter()
    pages = None
    if fmt == "pdf":
        pages = write_pdf(folder / "articles.pdf", count, seed)
    elif fmt == "html":
        write_html_articles(folder, count)
    elif fmt == "html-docs":
        write_html_docs(folder, count, seed)
    elif fmt == "docx":
        write_docx(folder, count, seed)
    elif fmt == "markdown":
        write_markdown(folder, count, seed)
    else:
        write_text(folder, count, seed)
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return {"files": len(files), "pages": pages, "mb": round(sum(p.stat().st_size for p in files) / 1e6, 3),
            "made_s": round(time.perf_counter() - started, 2)}


# --- the measurements, each in its own process ------------------------------------------


def _library_function(fmt: str):
    """A function reading one file's bytes with the library alone, returning
    (text characters, pages)."""
    if fmt == "pdf":
        import pypdfium2 as pdfium

        def read(data: bytes):
            document = pdfium.PdfDocument(data)
            characters = 0
            for page in document:
                textpage = page.get_textpage()
                characters += len(textpage.get_text_range())
                textpage.close()
                page.close()
            pages = len(document)
            document.close()
            return characters, pages

        return read
    if fmt in ("html", "html-docs"):
        import trafilatura

        return lambda data: (len(trafilatura.extract(data.decode("utf-8", errors="replace")) or ""), None)
    if fmt == "docx":
        import io

        import docx

        return lambda data: (len("\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)), None)
    if fmt == "markdown":
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark").enable("table")

        def parse(data: bytes):
            text = data.decode("utf-8")
            parser.parse(text)
            return len(text), None

        return parse
    return lambda data: (len(data.decode("utf-8")), None)


def library_worker(fmt: str, folder: Path) -> dict:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    read = _library_function(fmt)
    read(files[0].read_bytes())  # imports and first-call costs, untimed
    characters, pages = 0, 0
    started, cpu = time.perf_counter(), cpu_seconds()
    for path in files:
        found, in_file = read(path.read_bytes())
        characters += found
        pages += in_file or 0
    return {"seconds": time.perf_counter() - started, "cpu_s": cpu_seconds() - cpu, "characters": characters,
            "pages": pages or None}


def _warm_up(fmt: str, sample: Path, work: Path) -> None:
    """Import what a build of this format imports (the readers' libraries,
    scikit-learn) by indexing one small file first, untimed."""
    from assistant.library import open_library

    folder = work / "warm"
    folder.mkdir()
    if fmt == "pdf":
        import pypdfium2 as pdfium

        source = pdfium.PdfDocument(sample.read_bytes())
        target = pdfium.PdfDocument.new()
        target.import_pages(source, [0, 1])
        target.save(str(folder / sample.name))
        target.close()
        source.close()
    else:
        shutil.copy(sample, folder / sample.name)
    open_library(folder, cache_dir=work / "warm-cache")


def assistant_worker(fmt: str, folder: Path, store: Path) -> dict:
    """`assistant index` on the folder into an empty cache folder, its time
    split at the last file read (from the progress calls)."""
    from assistant.library import open_library

    files = sorted(p for p in folder.iterdir() if p.is_file())
    _warm_up(fmt, files[0], store)
    last_read = [0.0]

    def progress(done: int, total: int) -> None:
        last_read[0] = time.perf_counter()

    started, cpu = time.perf_counter(), cpu_seconds()
    library = open_library(folder, cache_dir=store / "cache", progress=progress)
    ended, cpu = time.perf_counter(), cpu_seconds() - cpu
    if library.from_cache or len(library) != len(files):
        raise SystemExit(f"{fmt}: read {len(library)} of {len(files)} files: {library.warnings[:3]}")
    return {"seconds": ended - started, "cpu_s": cpu, "read_s": last_read[0] - started, "index_s": ended - last_read[0],
            "documents": len(library), "paragraphs": library.paragraph_count,
            "passages": len(library.index.passages), "characters": sum(e.length for e in library.entries),
            "pages": sum(len(library.document(i).page_starts) for i in range(len(library))) or None}


def tantivy_worker(folder: Path, store: Path) -> dict:
    """tantivy on the plain-text files: each read and decoded, cut into
    paragraphs at blank lines, one tantivy document a paragraph, indexed and
    committed to disk by `benchmark.tantivy_build` (two indexing threads)."""
    from benchmark import tantivy_build

    warm = store / "warm"
    warm.mkdir()
    tantivy_build(["a first passage", "a second one"], warm)  # import and first-call costs, untimed
    target = store / "tantivy"
    target.mkdir()
    files = sorted(p for p in folder.iterdir() if p.is_file())
    started, cpu = time.perf_counter(), cpu_seconds()
    passages = []
    for path in files:
        passages.extend(p for p in _BLANK_LINES.split(path.read_bytes().decode("utf-8")) if p.strip())
    read = time.perf_counter()
    tantivy_build(passages, target)
    ended = time.perf_counter()
    return {"seconds": ended - started, "cpu_s": cpu_seconds() - cpu, "read_s": read - started, "index_s": ended - read,
            "passages": len(passages)}


_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def worker(step: str, fmt: str, folder: Path, store: Path) -> dict:
    if step == "library":
        result = library_worker(fmt, folder)
    elif step == "assistant":
        result = assistant_worker(fmt, folder, store)
    else:
        result = tantivy_worker(folder, store)
    return {**result, "peak_mb": peak_memory_mb(), "load": round(os.getloadavg()[0], 2)}


def peak_memory_mb() -> float | None:
    """The worker's peak resident set: VmHWM, which starts afresh with the
    process's program (getrusage's ru_maxrss is carried over from the parent
    through exec on Linux, and the parent here holds the inputs it made)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(found.group(1)) / 1024, 1) if found else None


def cpu_seconds() -> float:
    """The process's processor time so far, all its threads (tantivy's and
    the project's counting threads too): beside the wall clock, it shows how
    much of a step's time other processes on the machine took."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_worker(step: str, fmt: str, folder: Path, work: Path, timeout: int) -> dict | None:
    from benchmark import run_in_worker

    return run_in_worker(["--worker", f"format-{step}", "--format", fmt, "--corpus", str(folder)],
                         f"{fmt} {step}", work, timeout)


def _median(results: list[dict]) -> dict:
    merged = dict(results[0])
    for key, value in merged.items():
        if isinstance(value, float):
            merged[key] = round(statistics.median(r[key] for r in results), 4)
    merged["runs"] = len(results)
    return merged


# --- the run and its table ------------------------------------------------------------


def run_formats(formats: list[str], scale: float, seed: int, repeats: int, timeout: int, out: Path) -> int:
    if not SQUAD.exists():
        sys.exit(f"benchmark: no {SQUAD} (the text of the made documents)")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        sys.exit(f"benchmark: unknown format {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    load_before = os.getloadavg()
    started = time.perf_counter()
    results = {}
    with tempfile.TemporaryDirectory(prefix="assistant-formats-") as folder:
        work = Path(folder)
        for fmt in formats:
            inputs = make_inputs(fmt, work / fmt, scale, seed)
            print(f"  {fmt}: made {inputs['files']:,} files, {inputs['mb']:.1f} MB in {inputs['made_s']:.1f} s",
                  file=sys.stderr)
            steps = ("library", "assistant", "tantivy") if fmt == "text" else ("library", "assistant")
            runs: dict[str, list[dict]] = {step: [] for step in steps}
            for _ in range(repeats):  # the steps alternate, so that the machine's drift falls on each alike
                for step in steps:
                    result = run_worker(step, fmt, work / fmt, work, timeout)
                    if result:
                        runs[step].append(result)
            results[fmt] = {"inputs": inputs, "library_used": LIBRARIES[fmt],
                            **{step: _median(found) if found else None for step, found in runs.items()}}
            shutil.rmtree(work / fmt)
            print(f"  {fmt}: done", file=sys.stderr)
    report = {"scale": scale, "seed": seed, "repeats": repeats, "cores": os.cpu_count(),
              "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
              "run_s": round(time.perf_counter() - started, 1), "formats": results}
    print(format_formats(report))
    from benchmark import save_report

    save_report(report, out)
    return 0


def _rate(amount, seconds) -> str:
    return f"{amount / seconds:,.1f}" if amount and seconds else "—"


def format_formats(report: dict) -> str:
    header = ["format", "files", "pages", "MB", "what", "s", "cpu s", "files/s", "pages/s", "MB/s", "× library",
              "peak MB"]
    lines = []
    for fmt, result in report["formats"].items():
        inputs, library = result["inputs"], result["library"]
        rows = [("alone: " + result["library_used"], library, "seconds"),
                ("assistant: reading", result["assistant"], "read_s"),
                ("assistant index (read, index, save)", result["assistant"], "seconds")]
        if result.get("tantivy"):
            rows.append(("tantivy (read, split, index, commit)", result["tantivy"], "seconds"))
        for number, (what, measured, key) in enumerate(rows):
            seconds = measured[key] if measured else None
            ratio = (f"{seconds / library['seconds']:.2f}" if seconds and library and library["seconds"] else "—"
                     ) if number < 3 else ""
            cpu = f"{measured['cpu_s']:.2f}" if measured and key == "seconds" else ""
            peak = f"{measured['peak_mb']:,.0f}" if measured and key == "seconds" and measured.get("peak_mb") else ""
            first = number == 0
            lines.append([fmt if first else "", f"{inputs['files']:,}" if first else "",
                          f"{inputs['pages']:,}" if first and inputs["pages"] else "",
                          f"{inputs['mb']:.1f}" if first else "", what, f"{seconds:.2f}" if seconds else "—", cpu,
                          _rate(inputs["files"], seconds), _rate(inputs["pages"], seconds),
                          _rate(inputs["mb"], seconds), ratio, peak])
    widths = [max(len(x[i]) for x in [header, *lines]) for i in range(len(header))]
    table = "\n".join("  ".join(c.ljust(w) if i in (0, 4) else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths)))
                      for line in [header, *lines])
    notes = [table, ""]
    text = report["formats"].get("text")
    if text and text.get("assistant") and text.get("tantivy"):
        ours, theirs = text["assistant"], text["tantivy"]
        notes.append(f"plain text, {text['inputs']['files']:,} files, {text['inputs']['mb']:.1f} MB: assistant index "
                     f"{ours['seconds']:.2f} s (reading {ours['read_s']:.2f}, indexing {ours['index_s']:.2f}; "
                     f"{ours['passages']:,} passages), tantivy {theirs['seconds']:.2f} s (reading {theirs['read_s']:.2f}, "
                     f"indexing {theirs['index_s']:.2f}; {theirs['passages']:,} passages)")
        notes.append(f"  whole build {ours['seconds'] / theirs['seconds']:.2f}× tantivy's (target: at most 2×; by "
                     f"processor time {ours['cpu_s'] / theirs['cpu_s']:.2f}×); indexing alone "
                     f"{ours['index_s'] / theirs['index_s']:.2f}×")
    notes.append(f"{report['cores']} cores; load average before {report['load_before']}, after {report['load_after']}; "
                 f"the whole run {report['run_s']:.0f} s")
    return "\n".join(notes)
