"""How well and how fast PDFs are read: each candidate library alone, and the reader.

Real PDFs are made on this machine from the largest manual pages (groff sets
them with running headers, footers and hyphenation) and checked against the
same pages set as plain text on one endless page with lines too long to break
(`groff -Tutf8 -rcR=1 -rLL=3000n`: no hyphenation, no page furniture): word
recall and precision (bags of words), running headers/footers left in, hyphen
decisions right; the same for the GPL-3 set in two columns (`groff -ms`)
against /usr/share/common-licenses/GPL-3; and pages per second on one PDF of
all the manual pages (about 1,500 pages), each library in a fresh process.

    python eval/pdf_speed.py                 # all, on the 45 largest manual pages
    python eval/pdf_speed.py --pages 100     # speed on the first 100 pages only
Needs groff and the optional libraries (pypdfium2, pypdf, pdfminer.six).
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.readers import pdf as pdf_reader  # noqa: E402

MAN = Path("/usr/share/man/man1")


# ---- Making the PDFs and their true text -------------------------------------

def make_corpus(directory: Path, count: int) -> list[tuple[str, Path, Path]]:
    pages = sorted((p for p in MAN.glob("*.1.gz") if not p.name.startswith("gcloud")), key=lambda p: -p.stat().st_size)
    made = []
    for source in pages[:count]:
        name = source.name.removesuffix(".1.gz")
        roff = directory / f"{name}.1"
        roff.write_bytes(gzip.decompress(source.read_bytes()))
        pdf, truth = directory / f"{name}.pdf", directory / f"{name}.txt"
        pdf.write_bytes(subprocess.run(["groff", "-mandoc", "-Tpdf", str(roff)], capture_output=True).stdout)
        text = subprocess.run(
            ["groff", "-mandoc", "-Tutf8", "-rcR=1", "-rLL=3000n", "-P-cbou", str(roff)], capture_output=True
        ).stdout.decode("utf-8", "replace")
        truth.write_text(text)
        made.append((name, pdf, truth))
    return made


def true_text(path: Path) -> str:
    """The page set as one long page, without its header and footer line."""
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    return "\n".join(lines[1:-1])


# ---- The candidates ------------------------------------------------------------

def pages_pdfium(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    texts = []
    for page in document:
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n"))
        textpage.close()
        page.close()
    document.close()
    return texts


def pages_pypdf(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def pages_pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data)).split("\f")


def text_reader(data: bytes) -> str:
    return pdf_reader.read_pdf(data).text


def tidy(pages: list[str]) -> str:
    """The same clean-up the reader does, from a library's plain text only
    (no positions): top and bottom lines that come back on nearby pages or are
    page numbers dropped, words broken at line ends joined by the reader's rule."""
    lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    keys = [{i: re.sub(r"\d+", "#", lines_[i].lower()) for i in [*range(min(2, len(lines_))), *range(max(0, len(lines_) - 2), len(lines_))]} for lines_ in lines]
    kept = []
    for number, page in enumerate(lines):
        near = set()
        for other in range(max(0, number - 3), min(len(lines), number + 4)):
            if other != number:
                near |= set(keys[other].values())
        kept.extend(line for i, line in enumerate(page) if not (keys[number].get(i) in near or (i in keys[number] and pdf_reader._PAGE_NUMBER.fullmatch(line))))
    fake = [pdf_reader._Line(line, 0, 0, 0, 0, 10, False, False) for line in kept]
    counts = pdf_reader._word_counts(fake)
    return "".join(piece for _, piece in pdf_reader._join(fake, pdf_reader.PARAGRAPH, counts))


# ---- Scores ----------------------------------------------------------------------

_DASHES = str.maketrans({**{c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufffe\u00ad"}, "’": "'", "‘": "'"})


def words(text: str) -> Counter:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    return Counter(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text))


def recall_precision(found: Counter, truth: Counter) -> tuple[float, float]:
    common = sum((found & truth).values())
    return common / max(1, sum(truth.values())), common / max(1, sum(found.values()))


def furniture_left(text: str, pages: list[str]) -> int:
    """How many copies of the running header and footer (their text without
    the page number, spaces ignored) are still in `text`."""
    squeezed = re.sub(r"\s+", "", text)
    count = 0
    for line in (pages[1].splitlines()[0], pages[1].splitlines()[-1]):
        stable = re.sub(r"\s+", "", re.sub(r"\s*\d+$", "", line))
        if len(stable) > 5:
            count += squeezed.count(stable)
    return count


def quality(corpus, candidates) -> None:
    print(f"{'library':<22}{'recall':>8}{'precision':>11}{'furniture left':>16}{'pages':>7}")
    raw_pages = {name: pages_pdfium(pdf.read_bytes()) for name, pdf, _ in corpus}
    cache: dict = {}
    for label, extract in candidates:
        truth_all, found_all, left, pages = Counter(), Counter(), 0, 0
        for name, pdf, truth in corpus:
            library, _, how = label.partition(" ")
            if library in PAGES:  # each library reads each file once
                if (library, name) not in cache:
                    cache[library, name] = PAGES[library](pdf.read_bytes())
                text = "\n".join(cache[library, name]) if how == "alone" else tidy(cache[library, name])
            else:
                text = extract(pdf.read_bytes())
            truth_all += words(true_text(truth))
            found_all += words(text)
            left += furniture_left(text, raw_pages[name])
            pages += len(raw_pages[name])
        recall, precision = recall_precision(found_all, truth_all)
        print(f"{label:<22}{recall:>8.4f}{precision:>11.4f}{left:>10} of {2 * pages:<5}{pages:>5}")


def two_columns(directory: Path, candidates) -> None:
    """The GPL set in two columns by groff -ms, against the licence's text."""
    source = Path("/usr/share/common-licenses/GPL-3")
    if not source.exists():
        return
    lines = [line.strip() for line in source.read_text().splitlines()]
    roff = "\n".join([".TL", "GNU General Public License", ".2C"] + [
        ".PP" if not line else ("\\&" + line if line[0] in ".'" else line) for line in lines
    ])
    (directory / "gpl.ms").write_text(roff)
    data = subprocess.run(["groff", "-ms", "-Tpdf", str(directory / "gpl.ms")], capture_output=True).stdout
    truth = words("GNU General Public License\n" + source.read_text())
    print(f"\nGPL-3 in two columns ({len(pages_pdfium(data))} pages) against its text:")
    for label, extract in candidates:
        recall, precision = recall_precision(words(extract(data)), truth)
        print(f"{label:<22}{recall:>8.4f}{precision:>11.4f}")


def hyphen_decisions(corpus) -> None:
    """How often the reader's rule, and the simple 'always join lower-case
    halves', get a word broken at a line end right, by the true text."""
    rule = pdf_reader._joins_hyphen
    tallies = {"document's own counts (reader)": Counter(), "always join lower-case": Counter()}
    for _, pdf, truth in corpus:
        truth_words = words(true_text(truth))
        decisions = []

        def spy(left, right, counts, in_address=False, decisions=decisions):
            joined = rule(left, right, counts, in_address)
            decisions.append((left, right, joined))
            return joined

        pdf_reader._joins_hyphen = spy
        try:
            pdf_reader.read_pdf(pdf.read_bytes())
        finally:
            pdf_reader._joins_hyphen = rule
        for left, right, joined in decisions:
            if not right[:1].islower():
                continue
            as_one, as_two = (left + right).lower(), f"{left}-{right}".lower()
            if not (truth_words[as_one] or truth_words[as_two]):
                continue  # a piece the page's text lost (kerning) or an option like "--no-"
            right_answer = truth_words[as_one] >= truth_words[as_two]
            tallies["document's own counts (reader)"][joined == right_answer] += 1
            tallies["always join lower-case"][right_answer] += 1
    for label, tally in tallies.items():
        total = tally[True] + tally[False]
        print(f"hyphen at line end, {label}: {tally[True]}/{total} right ({tally[True] / max(1, total):.3f})")


def speed(pdf: Path, candidates, limit: int | None) -> None:
    data = pdf.read_bytes()
    if limit:
        data = first_pages(data, limit)
    pages = len(pages_pdfium(data))
    print(f"\nspeed on {pages} pages ({len(data) / 1e6:.1f} MB), each in a fresh process:")
    for label, _ in candidates:
        out = subprocess.run([sys.executable, __file__, "--one", label, "--file", str(pdf), "--pages", str(limit or 0)], capture_output=True, text=True)
        print(out.stdout.strip() or out.stderr.strip()[-300:])


def concatenated(paths: list[Path]) -> bytes:
    import pypdfium2 as pdfium

    target = pdfium.PdfDocument.new()
    for path in paths:
        target.import_pages(pdfium.PdfDocument(path.read_bytes()))
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue()


def first_pages(data: bytes, count: int) -> bytes:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    target = pdfium.PdfDocument.new()
    target.import_pages(source, list(range(min(count, len(source)))))
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue()


PAGES = {"pypdfium2": pages_pdfium, "pypdf": pages_pypdf, "pdfminer.six": pages_pdfminer}
CANDIDATES = {
    "pypdfium2 alone": lambda data: "\n".join(pages_pdfium(data)),
    "pypdf alone": lambda data: "\n".join(pages_pypdf(data)),
    "pdfminer.six alone": lambda data: "\n".join(pages_pdfminer(data)),
    "pypdfium2 + tidy": lambda data: tidy(pages_pdfium(data)),
    "pypdf + tidy": lambda data: tidy(pages_pypdf(data)),
    "pdfminer.six + tidy": lambda data: tidy(pages_pdfminer(data)),
    "reader (pdf.py)": text_reader,
}


def one(label: str, path: Path, limit: int) -> None:
    data = path.read_bytes()
    if limit:
        data = first_pages(data, limit)
    times = []
    for _ in range(5 if label in ("pypdfium2 alone", "reader (pdf.py)") else 1):
        start = time.perf_counter()
        text = CANDIDATES[label](data)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = len(pages_pdfium(data))
    best = sorted(times)[len(times) // 2]
    print(f"{label:<22}{pages / best:>9.0f} pages/s  ({best:.2f} s, median of {len(times)}; peak RSS {peak:.0f} MB; {len(text):,} characters)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--man", type=int, default=45, help="how many of the largest manual pages")
    parser.add_argument("--pages", type=int, default=0, help="time only the first N pages (0: all)")
    parser.add_argument("--speed-only", action="store_true", help="skip the quality measures")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        return one(options.one, Path(options.file), options.pages)
    if not shutil.which("groff"):
        sys.exit("needs groff (apt-get install groff) to make the PDFs")
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        corpus = make_corpus(directory, options.man)
        if not options.speed_only:
            quality(corpus, [(label, CANDIDATES[label]) for label in CANDIDATES])
            two_columns(directory, [(label, CANDIDATES[label]) for label in CANDIDATES])
            hyphen_decisions(corpus)
        book = directory / "all.pdf"
        book.write_bytes(concatenated([pdf for _, pdf, _ in corpus]))
        speed(book, [(label, None) for label in CANDIDATES if "tidy" not in label], options.pages)


if __name__ == "__main__":
    main()
