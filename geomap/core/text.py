"""Plain text: what a string from the data or a URL may hold, and how it is shown.

Every name, note and citation in geomap is plain text. It is escaped for HTML
where it is shown (:mod:`geomap.web.html`) and never passed through Markdown, so a
``[link](http://...)`` or ``![image](http://...)`` in the data stays visible as
written and no request leaves the machine. Validation keeps the text plain as
well (the ``text`` rule): a string that holds a control character, or a name or
note that holds markup, is refused before it reaches any page, KML or CSV.

Decisions
---------
* Control characters are the Unicode category ``Cc`` (NUL, escape, DEL, the C1
  range) plus the bidirectional overrides and isolates, which can make a
  string read differently from what it holds. A note may hold a line break;
  no other string may.
* Markup is an HTML tag (``<`` followed by a letter, ``/``, ``!`` or ``?``), a
  Markdown link or image (``](`` or ``![``), or a blank line (which would end
  an HTML block in Markdown and turn the rest into Markdown).
* Text from the data or a URL is never shown through Streamlit's Markdown;
  the app shows it as escaped HTML (:mod:`geomap.app.show`).
"""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

#: Bidirectional embedding, override and isolate characters.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Unicode's ``Cc`` category is exactly U+0000-U+001F and U+007F-U+009F; with the
#: bidirectional characters, as one character class (a regular expression runs in C).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
_MARKUP = re.compile(r"<\s*[A-Za-z/!?]|\]\(|!\[|\n[ \t]*\n")


def control_character(value: str, *, allow_newline: bool = False) -> str | None:
    """The first control character of ``value`` as ``U+XXXX``, or None."""
    found = (_CONTROL_BUT_NEWLINE if allow_newline else _CONTROL).search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def text_problem(value: str, *, multiline: bool = False, markup: bool = True) -> str | None:
    """Why ``value`` is not plain text, or None when it is.

    Parameters
    ----------
    value
        The string to check.
    multiline
        Whether single line breaks are allowed (notes).
    markup
        Whether to refuse HTML tags and Markdown links and images as well.
    """
    bad = control_character(value, allow_newline=multiline)
    if bad is not None:
        return f"holds the control character {bad}"
    if markup:
        found = _MARKUP.search(value)
        if found:
            what = "a blank line" if "\n" in found.group() else repr(found.group())
            return f"must be plain text: {what} reads as markup"
    return None


def _checked(value: str, *, multiline: bool, markup: bool) -> str:
    problem = text_problem(value, multiline=multiline, markup=markup)
    if problem is not None:
        raise PydanticCustomError("text", "{problem}", {"problem": problem})
    return value


def plain_line(value: str) -> str:
    """Pydantic validator: one line of plain text (names, titles, citations)."""
    return _checked(value, multiline=False, markup=True)


def plain_note(value: str) -> str:
    """Pydantic validator: plain text that may hold single line breaks (notes)."""
    return _checked(value, multiline=True, markup=True)


def no_controls(value: str) -> str:
    """Pydantic validator: any text without control characters (ids, keys, paths)."""
    return _checked(value, multiline=False, markup=False)


#: An echoed value longer than this many characters is cut (its length is said).
ECHO_CHARS = 60


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """``value`` quoted for a message: escaped like ``repr`` and cut to ``limit`` characters.

    A message never repeats a huge or hostile value whole: ``'aaaa…' (100,000 characters)``.
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def printable(text: str) -> str:
    r"""``text`` safe for a terminal, each control or bidi character written as its escape.

    ``\x1b`` or ``\u202e`` show what the data holds, and the terminal obeys none of it.
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
