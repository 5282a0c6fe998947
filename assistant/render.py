"""An `Answer` as JSON, plain text, or Markdown. Formatting only: no answering."""

from __future__ import annotations

import re
import sys
import textwrap
import time

from .answerer.types import Answer, Excerpt
from .inline_markup import shown
from .safe_text import json_text, visible


def answer_to_dict(answer: Answer) -> dict:
    """The contract's JSON object for one answer, with the optional `why`:
    what put the first quote first, or made the assistant decline."""
    data = {
        "question": answer.question,
        "answered": answer.answered,
        "excerpts": [excerpt_to_dict(e) for e in answer.excerpts],
        "message": answer.message,
    }
    if answer.why:
        data["why"] = list(answer.why)
    return data


def excerpt_to_dict(excerpt: Excerpt) -> dict:
    """The contract's excerpt; `section` and `page` only where they apply,
    and the SHA-256 of the document's text, by which `assistant verify` tells
    whether the document changed since."""
    short = excerpt.answer
    data = {
        "quote": excerpt.quote,
        "source": excerpt.source,
        "title": excerpt.title,
        "paragraph": excerpt.paragraph,
        "start": excerpt.start,
        "end": excerpt.end,
        "score": excerpt.score,
        "answer": {"text": short.text, "start": short.start, "end": short.end} if short else None,
    }
    if excerpt.section is not None:
        data["section"] = excerpt.section
    if excerpt.page is not None:
        data["page"] = excerpt.page
    if excerpt.checksum is not None:
        data["document_sha256"] = excerpt.checksum
    if excerpt.code_start is not None:
        data["code_start"] = excerpt.code_start
    return data


def answer_to_json(answer: Answer) -> str:
    """One line of JSON: every quote verbatim, the characters a terminal
    would obey written as JSON escapes."""
    return json_text(answer_to_dict(answer))


def counted(number: int, noun: str) -> str:
    """"1 document", "2,431 documents"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def citation(excerpt: Excerpt) -> str:
    """"Title, § Section › Subsection, p. 3, ¶12, line 40  [file]": one line,
    as the document gives its title and headings (`display_title`, `section_of`)."""
    where = f"¶{excerpt.paragraph}, line {excerpt.line}"
    if excerpt.page is not None:
        where = f"p. {excerpt.page}, {where}"
    section = excerpt.section
    if section and excerpt.title:
        # The top heading that is the title itself is said once: "2. Using
        # the Valgrind core, § 2.5. Suppressing errors", not twice.
        section = "" if section == excerpt.title else section.removeprefix(f"{excerpt.title} › ")
    if section:
        where = f"§ {section}, {where}"
    if excerpt.title and excerpt.title != excerpt.source:
        return f"{excerpt.title}, {where}  [{excerpt.source}]"
    return f"{excerpt.source}, {where}"


def reading_note(answer: Answer) -> str | None:
    """How the question was read, when that is not as typed: "(taking it to
    mean: Li Kyar Win)" for a follow-up's pronoun, "(read as: how many people
    ...)" for a question with chat spellings written out."""
    if answer.referent:
        return f"(taking it to mean: {answer.referent})"
    if answer.resolved_question and answer.resolved_question != answer.question:
        return f"(read as: {answer.resolved_question})"
    return None


def wrap_quote(quote: str, width: int, label: str = "") -> list[str]:
    """The quote in typographic quotes, wrapped under a label: hard-wrapped
    lines and indentation are reflowed, a break before a list item is kept."""
    indent = " " * len(label)
    lines: list[str] = []
    for part in _LINE_TO_KEEP.split(f"“{quote}”"):
        part = " ".join(part.split())
        if not part:
            continue
        prefix = label if not lines else indent
        lines.extend(
            textwrap.wrap(part, width=max(24, width), initial_indent=prefix, subsequent_indent=indent) or [prefix]
        )
    return lines


def code_lines(quote: str) -> list[str]:
    """A code block's lines as written, their common indentation taken off
    (the quote starts at the code's first character, its later lines keep
    the indentation of the block in the file), blank lines dropped."""
    lines = [line.rstrip() for line in quote.expandtabs(4).split("\n")]
    later = [line for line in lines[1:] if line.strip()]
    common = min((len(line) - len(line.lstrip()) for line in later), default=0)
    return [lines[0].strip()] + [line[common:] for line in later]


def quote_lines(excerpt: Excerpt, width: int, label: str = "") -> list[str]:
    """The quote in typographic quotes under a label: prose reflowed (its
    inline markup rendered), then any code it holds line by line, as written."""
    if excerpt.code_start is None:
        return wrap_quote(shown(excerpt.quote, excerpt.markup), width, label)
    cut = excerpt.code_start - excerpt.start
    prose = shown(excerpt.quote[:cut], excerpt.markup).strip()
    code = excerpt.quote[cut:]
    if not prose:
        return wrap_code(f"“{code}”", width, label)
    lines = wrap_quote(prose, width, label)
    lines[-1] = lines[-1].removesuffix("”")  # it closes after the code
    return lines + wrap_code(f"{code}”", width, " " * len(label))


def wrap_code(quote: str, width: int, label: str = "") -> list[str]:
    """Code under a label, one line of the code a line (a line longer than
    the width goes on under it, indented)."""
    indent = " " * len(label)
    lines = code_lines(quote)
    out: list[str] = []
    for number, line in enumerate(lines):
        prefix = label if number == 0 else indent
        out.extend(textwrap.wrap(line, width=max(24, width), initial_indent=prefix,
                                 subsequent_indent=indent + "    ", replace_whitespace=False,
                                 drop_whitespace=False, break_on_hyphens=False) or [prefix])
    return [line.rstrip() for line in out]


# A line break a quote keeps when reflowed: one before a list item's bullet.
_LINE_TO_KEEP = re.compile(r"\n(?=[ \t]*(?:[-*•·–]|\d{1,3}[.)])[ \t])")


def answer_shown(excerpt: Excerpt) -> str:
    """The short answer on one line, as its quote shows it: "`pip install`
    reference" in a Markdown or reST document reads "pip install reference"."""
    return " ".join(shown(excerpt.answer.text, excerpt.markup).split()) if excerpt.answer else ""


def answer_to_text(answer: Answer, width: int = 88) -> str:
    """Plain text for a pipe or a file: the quotes with their citations,
    control characters shown, not obeyed."""
    out = []
    if not answer.answered:
        out.append(f"I could not find this in the documents. {answer.message or ''}".rstrip())
        if answer.excerpts:
            out.append("Nearest passages:")
    elif answer.message:  # a caveat: with --cluster, a part of the corpus that was not searched
        out.append(answer.message)
    for number, excerpt in enumerate(answer.excerpts, 1):
        label = f"[{number}] "
        out.extend(quote_lines(excerpt, width, label))
        out.append(" " * len(label) + f"— {citation(excerpt)}")
        if number == 1 and answer.answered and excerpt.answer:
            out.append(" " * len(label) + f"answer: {answer_shown(excerpt)}")
    return visible("\n".join(out))


def answer_to_markdown(answer: Answer) -> str:
    """The answer as Markdown for /copy and /save, control characters shown:
    pasted into a terminal or shown by a pager, it must not command it."""
    out = [f"**Q:** {answer.question}", ""]
    if not answer.answered:
        out += [f"_I could not find this in the documents. {answer.message or ''}_".rstrip(), ""]
    elif answer.message:
        out += [f"_{answer.message}_", ""]
    for number, excerpt in enumerate(answer.excerpts, 1):
        quote = excerpt.quote
        if excerpt.answer:
            a, b = excerpt.answer.start - excerpt.start, excerpt.answer.end - excerpt.start
            quote = f"{quote[:a]}**{quote[a:b]}**{quote[b:]}"
        out.append("> " + quote.replace("\n", "\n> "))
        checked = f", text sha256 {excerpt.checksum[:16]}" if excerpt.checksum else ""
        out.append(f">\n> — [{number}] {citation(excerpt)}, characters {excerpt.start}–{excerpt.end}{checked}")
        out.append("")
    return visible("\n".join(out).rstrip() + "\n")


def progress_bar(label: str, unit: str, delay: float = 0.5):
    """A progress line on standard error, shown only on a terminal and only
    once the work has taken more than `delay` seconds; None otherwise."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    shown = False

    def show(done: int, total: int) -> None:
        nonlocal shown
        elapsed = time.monotonic() - started
        if elapsed < delay and not shown:
            return
        shown = True
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / elapsed if elapsed > 0 else 0.0
        end = "\n" if done >= total else ""
        print(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {unit}, {rate:.0f}/s",
              end=end, file=sys.stderr, flush=True)

    return show
