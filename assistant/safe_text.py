"""Text from documents and questions made safe to print: a document is
untrusted, and a terminal obeys what it is sent. An escape sequence in a
sentence can retitle the window (OSC 0), hide the words after it (ESC[8m) or
write the clipboard (OSC 52); a right-to-left override can make a file name or
a citation read backwards. Every control character and bidirectional
override is therefore *shown*, never obeyed, wherever text reaches a terminal
or a plain-text stream. The JSON output keeps every quote verbatim: JSON
escapes the C0 controls itself, and `json_text` escapes the rest, which a
JSON reader decodes back to the same characters.

Line breaks and tabs are kept: they are layout, not commands."""

from __future__ import annotations

import json

# Characters a terminal may obey. C0 (but line feed and tab), DEL, C1.
_C0 = [c for c in range(0x20) if chr(c) not in "\n\t"]
_C1 = list(range(0x80, 0xA0))
# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
# reorder the text around them. The plain marks (LRM, RLM) only nudge
# neutral characters, and right-to-left documents need them: kept.
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]

# C0 controls become their Unicode control pictures (ESC shows as ␛, so
# "ESC ] 0 ;" reads "␛]0;"), DEL as ␡; C1 and bidirectional controls have no
# picture and are written as Python writes them: \x9b, \u202e.
_VISIBLE = str.maketrans(
    {
        **{c: chr(0x2400 + c) for c in _C0},
        0x7F: "\u2421",
        **{c: f"\\x{c:02x}" for c in _C1},
        **{c: f"\\u{c:04x}" for c in _BIDI},
    }
)
# Inside a JSON string: the same characters as JSON escapes, which decode to
# the characters themselves.
_JSON_ESCAPED = str.maketrans({c: f"\\u{c:04x}" for c in (0x7F, *_C1, *_BIDI)})


def visible(text: str) -> str:
    """`text` with every control character and bidirectional override shown
    as a visible stand-in; line breaks and tabs kept. Idempotent, linear."""
    return text.translate(_VISIBLE)


def one_line(text: str) -> str:
    """A message that must stay one line (an error, a warning naming a
    file): `visible`, and its line breaks shown too, so that a file named
    "a\nassistant: ..." cannot forge a line of its own."""
    return visible(text).replace("\n", "\u240a")


def json_text(data: object, **options) -> str:
    """`json.dumps(data, ensure_ascii=False)` with the characters a terminal
    would obey written as JSON escapes: the decoded value is unchanged."""
    # Every such character can only stand inside a JSON string (outside the
    # strings there is only punctuation, digits and literals), so escaping
    # them over the whole output escapes exactly the strings' characters.
    return json.dumps(data, ensure_ascii=False, **options).translate(_JSON_ESCAPED)
