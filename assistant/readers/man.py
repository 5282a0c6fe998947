"""Manual pages as `man` finds them (`/usr/share/man/man1/grep.1.gz`): troff
source written with the man(7) macros. The page is set as `man` would set it,
in plain text: the title from `.TH` ("GREP(1)"), `.SH` and `.SS` headings, the
paragraphs between `.PP`/`.TP`/`.IP` breaks with the fonts, sizes and escapes
rendered ("\\fB\\-c\\fR" reads "-c", "\\(em" "—"), a `.TP` or `.IP` tag as the term its
description defines ("-c, --count⏎Suppress normal output..."; help2man's `.HP`
option over an untagged `.IP` too), strings the page defines (`.ds`) set, `.nf`/`.EX`
blocks as code, tbl tables a row a line; macro definitions, conditionals and
formatting requests are left out. The text quoted is that set text, which
`assistant text` prints. A page in the other macro set (mdoc, BSD's) and a page
that only sources another (`.so man1/egrep.1`) are skipped, said so."""

from __future__ import annotations

import re
import textwrap

from .structure import (CELL_SEPARATOR, CODE, DEFINITION, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout,
                        UnreadableDocument, joined_blocks)

# A page's first request lines: `.TH` (man), `.Dd`/`.Dt` (mdoc), or only `.so`.
_SIGNATURE = re.compile(rb"^[.'][ \t]*(?:TH|Dd|Dt|so)[ \t]", re.MULTILINE)
_COMMENT_OR_REQUEST = re.compile(rb"\s*(?:[.']|\\\")")
_REQUEST = re.compile(r"[.'][ \t]*([^\s\\]{1,10})?[ \t]*(.*)")

# A string's use, after the backslash: "*(sd", "*[name]", "*x" (its name in one of three groups).
_STRING_USE = r"\*(?:\(([^\n]{2})|\[([^\]\n]{1,30})\]|([^\n]))"
# Escapes: fonts and sizes (dropped), named characters, strings, registers,
# motions, the comment to the line's end, and any other one character.
_ESCAPE = re.compile(
    r"\\(?:"
    r"f(?:\[[^\]\n]{0,20}\]|\([^\n]{2}|[^\n])"
    r"|s(?:[+-]?\(\d\d|\[[^\]\n]{0,10}\]|[+-]?\d{1,2})"
    r"|\(([^\n]{2})"
    r"|\[([^\]\n]{1,30})\]"
    r"|" + _STRING_USE +
    r"|[ng](?:\([^\n]{2}|\[[^\]\n]{0,30}\]|[^\n])"
    r"|[hvwoXNlLDbxZSYRk]'[^'\n]{0,100}'"
    r"|(\"[^\n]*)"
    r"|([^\n])"
    r")")
_CHARACTERS = {
    "em": "—", "en": "–", "hy": "-", "mi": "-", "aq": "'", "dq": '"', "lq": "“", "rq": "”", "oq": "‘", "cq": "’",
    "bu": "•", "co": "©", "rg": "®", "tm": "™", "pl": "+", "mu": "×", "di": "÷", "ti": "~", "ha": "^", "rs": "\\",
    "sl": "/", "dg": "†", "de": "°", ">=": "≥", "<=": "≤", "!=": "≠", "->": "→", "<-": "←", "ua": "↑", "da": "↓",
    "la": "⟨", "ra": "⟩", "ba": "|", "or": "|", "ul": "_", "ru": "_", "fm": "′", "sd": "″", "Fo": "«", "Fc": "»",
    "fo": "‹", "fc": "›", "ss": "ß", "aa": "´", "ga": "`", "sc": "§", "ps": "¶", "ct": "¢", "Po": "£", "Ye": "¥",
    "Eu": "€", "eu": "€", "at": "@", "sh": "#", "Do": "$", "ci": "○", "sq": "□", "if": "∞", "pc": "·", "**": "*",
    "12": "½", "14": "¼", "34": "¾", "+-": "±", "no": "¬", "OK": "✓", "eq": "=", "ap": "~", "lB": "[", "rB": "]",
    "lC": "{", "rC": "}", "la ": "<", "ra ": ">", "'a": "á", "'e": "é", ":a": "ä", ":o": "ö", ":u": "ü", "`a": "à",
}
_STRINGS = {"L\"": "“", "R\"": "”", "lq": "“", "rq": "”", "C+": "C++", "C'": "'", "C`": "`", "R": "®", "Tm": "™",
            "Aq": "'", "Lq": "“", "Rq": "”"}
_SINGLE = {"-": "-", "e": "\\", "\\": "\\", "&": "", " ": " ", "~": " ", "0": " ", "|": "", "^": "", "c": "",
           "%": "", ":": "", "'": "'", "`": "`", ".": ".", "{": "", "}": "", "p": "", "r": "", "u": "", "d": "",
           "t": "\t", "a": "", "!": "", "/": "", ",": "", ")": "", "E": "\\", "?": ""}
_BULLETS = frozenset({"", "•", "*", "-", "—", "–", "o", "+", "·"})
_NUMBERED = re.compile(r"\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]")
_BREAKS = frozenset({"PP", "LP", "P", "sp", "Sp", "HP", "RS", "RE", "PD", "in", "ti", "ne", "bp", "ce", "INDENT",
                     "UNINDENT"})
_CODE_OPEN = {"nf": "fi", "EX": "EE", "Vb": "Ve"}
_FONT_MACROS = {"B", "I", "SM", "SB", "CW"}
_ALTERNATING = {"BR", "RB", "BI", "IB", "IR", "RI"}
# A string the page defines, where it is used (interpolated before the line is read).
_INTERPOLATED = re.compile(r"\\" + _STRING_USE)
_DEFINING = {"de", "de1", "am", "am1", "ig", "dei", "ami"}


def is_man(data: bytes) -> bool:
    """Whether a file's bytes are troff written for man or mdoc: a request or
    comment first, and `.TH`, `.Dd`/`.Dt` or `.so` among its first lines."""
    head = data[:8192]
    return _COMMENT_OR_REQUEST.match(head) is not None and _SIGNATURE.search(head) is not None


def read_man(text: str) -> Layout:
    """A man page's troff (decoded), set as text."""
    page = _Page()
    lines = text.split("\n")
    position = 0
    while position < len(lines):
        position = page.line(lines, position)
    page.flush()
    if page.mdoc:
        raise UnreadableDocument("manual page in the mdoc macros (not read)")
    if not page.blocks:
        if page.sourced:
            raise UnreadableDocument("manual page that only points to another (.so)")
        raise UnreadableDocument("manual page without text")
    text, blocks = joined_blocks(page.blocks)
    return Layout(text, blocks, title=page.title)


class _Page:
    """What has been set so far, and the block being set."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str, int]] = []  # (kind, text, a heading's level)
        self.title: str | None = None
        self.lines: list[list[str]] = []  # the block being set: its lines, each in pieces (joined once, at its end)
        self.kind = PARAGRAPH
        self.level = 0  # the level of a heading whose text is the next line
        self.tags: list[str] = []  # a .TP's tags, while they are being read
        self.tag_wanted = False  # the next line of text is a .TP's tag
        self.code_end: str | None = None  # inside .nf/.EX/.Vb: the request that closes it
        self.table: list[str] | None = None  # inside .TS: its lines
        self.mdoc = False
        self.sourced = False
        self.joined = False  # the last line ended in \c: the next goes on it
        self.url = ""  # the address of the link being set (.UR)
        self.broken = False  # a .br: the next text starts a new line
        self.strings: dict[str, str] = {}  # strings the page defines (.ds), as troff source
        self.hanging = False  # the block being set opened with .HP: an untagged .IP after it makes it a term

    def line(self, lines: list[str], position: int) -> int:
        """Sets one input line (or the several a definition or conditional
        takes); the position of the next."""
        raw = lines[position]
        if self.strings and "\\*" in raw:
            raw = _INTERPOLATED.sub(lambda m: self.strings.get(m.group(1) or m.group(2) or m.group(3), m.group(0)), raw)
        if self.table is not None:
            if (_request(raw) or ("",))[0] == "TE":
                self._table(self.table)
                self.table = None
            else:
                self.table.append(raw)
            return position + 1
        request = _request(raw)
        if request is not None:
            if raw.startswith(('.\\"', "'\\\"")):
                return position + 1  # a comment
            return self.request(*request, lines, position)
        self.text(render(raw))
        self.joined = raw.endswith("\\c")
        return position + 1

    def request(self, name: str, rest: str, lines: list[str], position: int) -> int:
        if name in _DEFINING:
            return _past_definition(lines, position)
        if name in ("if", "ie", "el", "while"):
            return _past_conditional(lines, position)
        if name in ("Dd", "Dt", "Sh", "Nm"):
            self.mdoc = True
        if name == "so":
            self.sourced = True
        if name == "ds":
            # `.ds sd \fIsed\fP`: "\*(sd" reads "sed" from here on (a leading quote
            # only lets the value start with spaces).
            defined = rest.split(None, 1)
            if defined:
                value = defined[1] if len(defined) > 1 else ""
                self.strings[defined[0]] = value[1:] if value.startswith('"') else value
            return position + 1
        if name == "TH":
            arguments = _arguments(rest)
            if arguments:
                self.title = render(arguments[0]) + (f"({render(arguments[1])})" if len(arguments) > 1 else "")
        elif name in ("SH", "SS"):
            self.flush()
            heading = " ".join(" ".join(render(a) for a in _arguments(rest)).split())
            level = 1 if name == "SH" else 2
            if heading:
                self.blocks.append((HEADING, heading, level))
            else:
                self.kind, self.level = HEADING, level  # the heading is the next line
        elif name in ("TP", "TQ"):
            if name == "TP":
                self.flush()
            self.tag_wanted = True
        elif name == "IP":
            arguments = _arguments(rest)
            tag = render(arguments[0]).strip() if arguments else ""
            if not tag and self.hanging and self.lines and self.kind == PARAGRAPH and not self.tags:
                # help2man's options: ".HP⏎-n, --quiet⏎.IP⏎suppress...": the
                # hanging paragraph is the term the untagged one describes.
                self.tags = [" ".join("".join(pieces) for pieces in self.lines)]
                self.lines, self.hanging = [], False
                return position + 1
            self.flush()
            if tag in _BULLETS:
                self.kind = LIST_ITEM
            elif _NUMBERED.fullmatch(tag):
                self.kind = LIST_ITEM
                self.lines.append([tag])
            else:
                self.tags = [tag]
        elif name in _CODE_OPEN:
            self.flush()
            self.kind, self.code_end = CODE, _CODE_OPEN[name]
        elif name == self.code_end:
            self.flush()
        elif name == "TS":
            self.flush()
            self.table = []
        elif name in _BREAKS:
            if self.code_end is None:
                self.flush()
                self.hanging = name == "HP"
        elif name == "br":
            self.broken = True  # the next line starts a line of its own
        elif name in _FONT_MACROS:
            words = _set_in_font(name, rest)
            if words:
                self.text(words)
            elif position + 1 < len(lines) and lines[position + 1][:1] not in (".", "'"):  # the next line, in that font
                self.text(render(lines[position + 1]))
                return position + 2
        elif name in _ALTERNATING:
            self.text(_set_in_font(name, rest))
        elif name in ("UR", "MT"):
            self.url = render(rest.strip())
        elif name in ("UE", "ME"):
            self.text(f"<{self.url}>{render(rest.strip())}" if self.url else render(rest.strip()))
            self.url = ""
        elif name == "SY":
            self.flush()
            self.text(render(rest))
        elif name == "OP":
            self.text("[" + " ".join(render(a) for a in _arguments(rest)) + "]")
        return position + 1

    def text(self, line: str) -> None:
        if self.tag_wanted:
            self.tags.append(line.strip())
            self.tag_wanted = False
            return
        if self.code_end is None:
            line = line.strip()
            if not line:
                self.flush()  # a blank line parts paragraphs
                return
        if self.lines and (self.joined or (self.code_end is None and not self.broken)):
            # Filled, as man sets text: a line goes on the one before ("\\c": with no space).
            self.lines[-1].append(line if self.joined else " " + line)
        else:
            self.lines.append([line])
        self.joined = self.broken = False

    def flush(self) -> None:
        """Ends the block being set."""
        lines = ["".join(pieces).rstrip() for pieces in self.lines]
        if self.kind == CODE:
            lines = [line for line in lines if line.strip()]
        else:
            lines = [line for line in lines if line]
        tags = [" ".join(t.split()) for t in self.tags if t.strip()]
        body = (textwrap.dedent("\n".join(lines)) if self.kind == CODE else "\n".join(lines)).strip()
        if self.kind == HEADING and body:
            self.blocks.append((HEADING, " ".join(body.split()), self.level))
        elif tags and body:
            self.blocks.append((DEFINITION, ", ".join(tags) + "\n" + body, 0))
        elif tags:
            self.blocks.append((PARAGRAPH, ", ".join(tags), 0))
        elif body:
            self.blocks.append((self.kind, body, 0))
        self.lines, self.tags, self.kind, self.code_end, self.tag_wanted = [], [], PARAGRAPH, None, False
        self.joined = self.broken = self.hanging = False

    def _table(self, lines: list[str]) -> None:
        """A tbl table: its options and format lines, then a row a line,
        cells parted by tabs (or the `tab(x)` its options name)."""
        separator = "\t"
        first = 0
        if lines and lines[0].rstrip().endswith(";"):
            tab = re.search(r"tab\s*\((.)\)", lines[0][:200])
            separator = tab.group(1) if tab else separator
            first = 1
        while first < len(lines) and not lines[first].rstrip().endswith("."):
            first += 1  # format lines, up to the one ending in "."
        body = lines[first + 1 :]
        row: list[str] = []
        cell_lines: list[str] | None = None
        for line in body:
            if cell_lines is not None:  # inside T{ ... T}
                if line.startswith("T}"):
                    row.append(" ".join(" ".join(_cell_line(x) for x in cell_lines).split()))
                    cell_lines = None
                    rest = line[2:].lstrip(separator)
                    if rest:
                        row.extend(render(c).strip() for c in rest.split(separator))
                    else:
                        continue
                else:
                    cell_lines.append(line)
                    continue
            elif line[:1] in (".", "'") or line.strip() in ("_", "=", ""):
                continue
            else:
                cells = line.split(separator)
                if cells[-1].rstrip().endswith("T{"):
                    row.extend(render(c).strip() for c in cells[:-1])
                    cell_lines = []
                    continue
                row.extend(render(c).strip() for c in cells)
            if any(row):
                self.blocks.append((TABLE_ROW, CELL_SEPARATOR.join(row).strip(), 0))
            row = []


def _cell_line(line: str) -> str:
    """A line of a table's text block (T{ ... T}): text, or a font macro's words."""
    request = _request(line)
    if request is None:
        return render(line)
    return _set_in_font(*request) if request[0] in _FONT_MACROS | _ALTERNATING else ""


def _set_in_font(name: str, rest: str) -> str:
    """A font macro's words: spaced (".B -c now"), or run together when the
    fonts alternate (".BR grep (1)" reads "grep(1)")."""
    return ("" if name in _ALTERNATING else " ").join(render(a) for a in _arguments(rest))


def render(line: str) -> str:
    """A line of troff text with its escapes set."""
    if "\\" not in line:
        return line
    return _ESCAPE.sub(_escaped, line)


def _escaped(match: re.Match) -> str:
    character, long_name, string, long_string, short_string, comment, single = match.groups()
    if character is not None:
        return _CHARACTERS.get(character, "")
    if long_name is not None:
        if long_name.startswith("u") and re.fullmatch(r"u[0-9A-Fa-f]{4,6}", long_name):
            code = int(long_name[1:], 16)
            return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
        return _CHARACTERS.get(long_name, "")
    if string is not None or long_string is not None or short_string is not None:
        return _STRINGS.get(string or long_string or short_string, "")
    if comment is not None:
        return ""
    if single is not None:
        return _SINGLE.get(single, single)
    return ""  # fonts, sizes, registers, motions


def _request(line: str) -> tuple[str, str] | None:
    """A request line's name and the rest, or None for a line of text."""
    if line[:1] not in (".", "'"):
        return None
    match = _REQUEST.match(line)
    return match.group(1) or "", match.group(2)


def _arguments(rest: str) -> list[str]:
    """A macro's arguments: words, or "quoted words" ("" a quote inside),
    each read as troff copies it into the macro ("\\\\-" becomes the escape "\\-")."""
    arguments, i, n = [], 0, len(rest)
    while i < n:
        while i < n and rest[i] in " \t":
            i += 1
        if i >= n:
            break
        if rest[i] == '"':
            i += 1
            word = []
            while i < n:
                if rest[i] == '"':
                    if rest[i + 1 : i + 2] == '"':
                        word.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                word.append(rest[i])
                i += 1
            arguments.append("".join(word).replace("\\\\", "\\"))
        else:
            start = i
            while i < n and rest[i] not in " \t":
                i += 2 if rest[i] == "\\" else 1  # ("\\ " is a space inside the word)
            arguments.append(rest[start:i].replace("\\\\", "\\"))
    return arguments


def _past_definition(lines: list[str], position: int) -> int:
    """The line after a macro definition (`.de` ... `..`)."""
    position += 1
    while position < len(lines) and not lines[position].startswith(".."):
        position += 1
    return position + 1


def _past_conditional(lines: list[str], position: int) -> int:
    """The line after a conditional: itself, or the block its `\\{` opens, to the matching `\\}`."""
    depth = 0
    while position < len(lines):
        line = lines[position]
        depth += line.count("\\{") - line.count("\\}")
        position += 1
        if depth <= 0:
            break
    return position
