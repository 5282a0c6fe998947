"""How well the project reads web pages, beside the extraction libraries run alone.

    python eval/extraction.py [--data DIR] [--repeat N] [--docs DIR ...] [--output FILE]

Part 1, articles: the article extraction benchmark (`../shared/data/article-extraction/`:
181 real news and blog pages, their true article bodies, and the benchmark's own
scorer `evaluate.py`), scored with that scorer (token-shingle precision, recall and F1
of the body, with bootstrap error bars), for `assistant.readers.html.read_html` and for
each library alone, with pages per second. The published outputs shipped with the
benchmark are scored too, as a check that the scorer runs as published.

Part 2, documentation: on HTML documentation pages (by default the machine's
`/usr/share/doc` Python and Debian Reference manuals, if installed), the share of the
page's prose units (paragraphs, list items, definitions, code, headings, table cells
outside <nav>, tables of contents and scripts) whose text the reading keeps, for the project and for
trafilatura alone. A unit counts as kept when its text, white space aside, is in the
output.

Libraries that are not installed are left out of the table (`pip install .[bench]`).
Without the benchmark's data the first part is skipped with a message.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "article-extraction"
DEFAULT_DOCS = (Path("/usr/share/doc/python3.11/html"), Path("/usr/share/doc/debian-reference-en/docs"))
DOCS_SAMPLE = 120

Extractor = Callable[[bytes], str]


# --- the extractors ------------------------------------------------------------------


def _utf8(data: bytes) -> str:
    # As the benchmark's own runner scripts read the pages.
    return data.decode("utf-8", errors="replace")


def ours() -> Extractor:
    from assistant.readers.html import read_html

    return lambda data: read_html(data).text


def trafilatura_default() -> Extractor:
    import trafilatura

    return lambda data: trafilatura.extract(_utf8(data), include_comments=False) or ""


def trafilatura_precision() -> Extractor:
    import trafilatura

    return lambda data: trafilatura.extract(_utf8(data), include_comments=False, favor_precision=True) or ""


def readability_lxml() -> Extractor:
    import lxml.html
    from readability import Document

    def extract(data: bytes) -> str:
        summary = Document(_utf8(data)).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

    return extract


def justext_alone() -> Extractor:
    import justext

    stoplist = justext.get_stoplist("English")
    return lambda data: "\n".join(p.text for p in justext.justext(data, stoplist) if not p.is_boilerplate)


def resiliparse_main_content() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return lambda data: extract_plain_text(HTMLTree.parse(_utf8(data)), main_content=True)


def selectolax_all_text() -> Extractor:
    from selectolax.lexbor import LexborHTMLParser

    def extract(data: bytes) -> str:
        tree = LexborHTMLParser(_utf8(data))
        for node in tree.css("script, style, noscript"):
            node.decompose()
        return tree.body.text(separator=" ") if tree.body else ""

    return extract


EXTRACTORS: dict[str, tuple[str, Callable[[], Extractor]]] = {
    "assistant read_html": ("assistant", ours),
    "trafilatura": ("trafilatura", trafilatura_default),
    "trafilatura precision": ("trafilatura", trafilatura_precision),
    "readability-lxml": ("readability-lxml", readability_lxml),
    "justext": ("jusText", justext_alone),
    "resiliparse": ("resiliparse", resiliparse_main_content),
    "selectolax (all text)": ("selectolax", selectolax_all_text),
}


def available_extractors() -> dict[str, tuple[str, Extractor]]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name, (package, make) in EXTRACTORS.items():
        try:
            found[name] = (version(package), make())
        except (ImportError, PackageNotFoundError):
            print(f"  (left out: {name}, not installed)")
    return found


# --- part 1: the article benchmark ---------------------------------------------------------


def load_scorer(data: Path):
    spec = importlib.util.spec_from_file_location("article_extraction_evaluate", data / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(data: Path) -> dict[str, bytes]:
    return {path.name.split(".")[0]: gzip.decompress(path.read_bytes()) for path in sorted((data / "html").glob("*.html.gz"))}


def run_extractor(extract: Extractor, pages: dict[str, bytes], repeat: int) -> tuple[dict[str, str], float]:
    """Each page's text, and pages per second (the median of `repeat` runs,
    after one page read to warm up)."""
    extract(next(iter(pages.values())))
    rates, output = [], {}
    for _ in range(repeat):
        start = time.perf_counter()
        output = {key: extract(page) or "" for key, page in pages.items()}
        rates.append(len(pages) / (time.perf_counter() - start))
    return output, statistics.median(rates)


def score(scorer, truth: dict, output: dict[str, str], n_bootstrap: int) -> dict[str, float]:
    metrics = scorer.evaluate(truth, {key: {"articleBody": output.get(key, "")} for key in truth}, n_bootstrap)
    return {name: metrics[name] for name in ("f1", "f1_std", "precision", "recall", "accuracy")}


def article_benchmark(data: Path, extractors: dict, repeat: int, n_bootstrap: int) -> list[dict]:
    scorer = load_scorer(data)
    truth = scorer.load_json(data / "ground-truth.json")
    pages = load_pages(data)
    rows = []
    for published in sorted(data.glob("output-*.json")):
        output, version = scorer.load_prediction(published)
        texts = {key: (value or {}).get("articleBody") or "" for key, value in output.items()}
        rows.append({"name": published.stem.removeprefix("output-") + " (published)", "version": version,
                     **score(scorer, truth, texts, n_bootstrap), "pages_per_second": None})
    for name, (version, extract) in extractors.items():
        output, rate = run_extractor(extract, pages, repeat)
        rows.append({"name": name, "version": version, **score(scorer, truth, output, n_bootstrap), "pages_per_second": rate})
        print(f"  {name}: F1 {rows[-1]['f1']:.3f}, {rate:.1f} pages/s", file=sys.stderr)
    return rows


# --- part 2: documentation pages -----------------------------------------------------------

_UNITS = ("p", "li", "dd", "dt", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "caption", "figcaption")


def prose_units(data: bytes) -> list[str]:
    """The texts of a page's innermost prose elements outside <nav>, navigation
    landmarks, tables of contents and scripts, white space removed (the reading may lay it out anew)."""
    import lxml.html

    from assistant.readers.html import decode_html

    tree = lxml.html.document_fromstring(decode_html(data)[0].encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    units = []
    for element in tree.iter(*_UNITS):
        if next(element.iterdescendants(*_UNITS), None) is not None:
            continue
        if any(a.tag in ("nav", "script", "style") or a.get("role") in _NAVIGATION_ROLES or _is_contents(a)
               for a in element.iterancestors()):
            continue
        text = "".join("".join(element.itertext()).split()).replace("¶", "")
        if len(text) >= 20:
            units.append(text)
    return units


_NAVIGATION_ROLES = ("navigation", "doc-toc")


def _is_contents(element) -> bool:
    """A table of contents by its class or id, as DocBook ("toc"), MediaWiki
    ("toc") and pandoc ("TOC") mark it: navigation, as a <nav> is (DocBook's
    HTML5 output writes it <nav class="toc">)."""
    names = f"{element.get('class', '')} {element.get('id', '')}".lower().split()
    return "toc" in names


def kept_share(units: list[str], output: str) -> float:
    flat = "".join(output.split())
    return sum(unit in flat for unit in units) / len(units) if units else 1.0


def documentation_pages(folders: list[Path]) -> list[Path]:
    files = sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*.html") if path.is_file())
    step = max(1, len(files) // DOCS_SAMPLE)
    return files[::step][:DOCS_SAMPLE]


def documentation_benchmark(files: list[Path], extractors: dict) -> list[dict]:
    pages = {path: path.read_bytes() for path in files}
    units = {path: prose_units(data) for path, data in pages.items()}
    rows = []
    for name in ("assistant read_html", "trafilatura"):
        if name not in extractors:
            continue
        extract = extractors[name][1]
        start = time.perf_counter()
        outputs = {path: extract(data) for path, data in pages.items()}
        rate = len(pages) / (time.perf_counter() - start)
        shares = [kept_share(units[path], outputs[path]) for path in pages]
        rows.append({"name": name, "pages": len(shares), "units": sum(len(u) for u in units.values()),
                     "mean_kept": statistics.mean(shares), "pages_all_kept": sum(share == 1.0 for share in shares),
                     "pages_per_second": rate})
    return rows


# --- the report ---------------------------------------------------------------------------


def print_articles(rows: list[dict]) -> None:
    print(f"{'':<34} {'version':<9} {'F1':<14} {'precision':<10} {'recall':<8} {'pages/s':>8}")
    for row in rows:
        rate = f"{row['pages_per_second']:.1f}" if row["pages_per_second"] else "-"
        print(f"{row['name']:<34} {row['version']:<9} {row['f1']:.3f} ± {row['f1_std']:.3f}  "
              f"{row['precision']:<10.3f} {row['recall']:<8.3f} {rate:>8}")


def print_documentation(rows: list[dict]) -> None:
    for row in rows:
        print(f"{row['name']:<34} prose units kept {row['mean_kept']:.2%} (mean over {row['pages']} pages), "
              f"every unit kept on {row['pages_all_kept']} pages, {row['pages_per_second']:.1f} pages/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction benchmark folder")
    parser.add_argument("--docs", type=Path, nargs="*", default=list(DEFAULT_DOCS), help="folders of HTML documentation")
    parser.add_argument("--repeat", type=int, default=1, help="runs per extractor for pages/s (median)")
    parser.add_argument("--n-bootstrap", type=int, default=1000)
    parser.add_argument("--output", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)

    extractors = available_extractors()
    report: dict = {}
    if (args.data / "ground-truth.json").is_file():
        report["articles"] = article_benchmark(args.data, extractors, args.repeat, args.n_bootstrap)
        print(f"Article body extraction, {args.data.name} (181 pages), scored by its evaluate.py")
        print_articles(report["articles"])
    else:
        print(f"skipped the article benchmark: no data at {args.data}")
    files = documentation_pages(args.docs)
    if files:
        report["documentation"] = documentation_benchmark(files, extractors)
        print(f"\nDocumentation pages ({len(files)} from {', '.join(str(d) for d in args.docs if d.is_dir())})")
        print_documentation(report["documentation"])
    else:
        print("skipped the documentation pages: none found (apt-get install python3-doc debian-reference-en)")
    if args.output:
        args.output.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
