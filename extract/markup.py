"""HTML to plain lines, every character still pointing at the byte it came from.

Policy pages (gov.cn and its provincial mirrors) arrive as HTML: ``<p>`` per
paragraph, ``<span>`` splitting a document number in two, ``&nbsp;`` inside
role labels, tables for task lists.  The extractors want what a reader sees:
one line a block, table rows as tab-separated cells, entities decoded.  The
stdlib ``html.parser`` tokenises (it copes with the malformed markup such
pages carry); this module only decides what each tag means for the lines.

Two kinds of input carry tags:

* real HTML (structural tags or attributes): whitespace in the source is
  formatting, so line breaks come from block tags only;
* plain text with a few ``<p>…</p>`` lines (a table pasted cell by cell):
  the file's own line breaks still count, and a tag inside a tab-separated
  row only wraps a cell.

Every break made by a tag is *hard*: the layout pass never joins across it.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from html.entities import name2codepoint
from html.parser import HTMLParser
from typing import Optional

_BLOCK = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tbody thead tfoot tr section article header "
    "footer blockquote pre hr center form title caption address nav aside main figure figcaption".split())
_CELL = frozenset(("td", "th"))
_SKIP = frozenset(("script", "style", "head", "noscript", "iframe", "object", "select", "option", "textarea"))

_FORMATTING = str.maketrans("\r\n\t", "   ")
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_REAL_HTML = re.compile(r"<(?:html|body|div|table|tbody|td|span|br|font|strong|li)\b|<p\s+[a-z]+=|&nbsp;", re.I)


def looks_like_html(text: str) -> bool:
    """Does the text carry markup a reader never sees?"""
    return len(_ANY_TAG.findall(text[:200000], 0)) >= 2


@dataclass
class Plain:
    """Text with tags removed: ``origin[i]`` is the offset in the input of ``text[i]``."""

    text: str
    origin: array
    hard: frozenset[int] = field(default_factory=frozenset)   # indexes of newlines a tag made


class _Cell:
    __slots__ = ("chars", "origin", "hard", "has_rows")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.origin: list[int] = []
        self.hard: set[int] = set()
        self.has_rows = False

    def put(self, ch: str, at: int, hard: bool = False) -> None:
        if hard:
            if not self.chars or self.chars[-1] == "\n" and len(self.chars) - 1 in self.hard:
                return                      # no empty lines from empty blocks
            self.hard.add(len(self.chars))
        self.chars.append(ch)
        self.origin.append(at)

    def extend(self, other: "_Cell") -> None:
        base = len(self.chars)
        self.chars.extend(other.chars)
        self.origin.extend(other.origin)
        self.hard.update(base + i for i in other.hard)

    def strip_breaks(self) -> None:
        """Newlines inside a table cell become spaces: the row stays one line."""
        for i in self.hard:
            self.chars[i] = " "
        self.hard = set()
        for i, ch in enumerate(self.chars):
            if ch in "\n\t":
                self.chars[i] = " "

    def trimmed(self) -> "_Cell":
        """The cell without the spaces its markup left at either end."""
        a, b = 0, len(self.chars)
        while a < b and self.chars[a].isspace():
            a += 1
        while b > a and self.chars[b - 1].isspace():
            b -= 1
        out = _Cell()
        out.chars, out.origin = self.chars[a:b], self.origin[a:b]
        out.hard = {i - a for i in self.hard if a <= i < b}
        out.has_rows = self.has_rows
        return out

    @property
    def empty(self) -> bool:
        return not "".join(self.chars).strip()


class _Lines(HTMLParser):
    def __init__(self, text: str, real_html: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.src = text
        self.real = real_html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.out = _Cell()
        self.stack: list[list] = []          # open rows: [cells, current cell or None]
        self.skip = 0
        self.open_p = 0                      # plain text: inside <p>…</p> a line break is a wrap

    # -- where we are --------------------------------------------------------
    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _sink(self) -> _Cell:
        if self.stack and self.stack[-1][1] is not None:
            return self.stack[-1][1]
        return self.out

    def _tab_row_here(self) -> bool:
        """Plain text whose line is a tab-separated row: tags there only wrap cells."""
        if self.real:
            return False
        at = self._pos()
        ls = self.src.rfind("\n", 0, at) + 1
        le = self.src.find("\n", at)
        return "\t" in self.src[ls:le if le >= 0 else len(self.src)]

    # -- tags ------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        at = self._pos()
        if tag == "p" and not self.real:
            self.open_p += 1
        if tag == "tr":
            self.stack.append([[], None])
        elif tag in _CELL and self.stack:
            row = self.stack[-1]
            if row[1] is not None:
                row[0].append(row[1])
            row[1] = _Cell()
        elif tag in _BLOCK and not self._tab_row_here():
            self._sink().put("\n", at, hard=True)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        at = self._pos()
        if tag == "p" and not self.real:
            self.open_p = max(0, self.open_p - 1)
        if tag in _CELL and self.stack:
            row = self.stack[-1]
            if row[1] is not None:
                row[0].append(row[1])
                row[1] = None
        elif tag == "tr" and self.stack:
            self._close_row(at)
        elif tag == "table":
            while self.stack and self.stack[-1][1] is None and not self.stack[-1][0]:
                self.stack.pop()
            self._sink().put("\n", at, hard=True)
        elif tag in _BLOCK and not self._tab_row_here():
            self._sink().put("\n", at, hard=True)

    def _close_row(self, at: int) -> None:
        cells, current = self.stack.pop()
        if current is not None:
            cells.append(current)
        sink = self._sink()
        sink.has_rows = True
        filled = [c for c in cells if not c.empty]
        if len(filled) >= 2 and not any(c.has_rows for c in cells):
            sink.put("\n", at, hard=True)
            for k, cell in enumerate(cells):
                cell.strip_breaks()
                cell = cell.trimmed()
                if k:
                    sink.put("\t", cell.origin[0] if cell.origin else at)
                sink.extend(cell)
            sink.put("\n", at, hard=True)
        else:                                 # a layout row: its cells are blocks of their own
            for cell in cells:
                sink.put("\n", at, hard=True)
                sink.extend(cell)
            sink.put("\n", at, hard=True)

    # -- text --------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        at = self._pos()
        sink = self._sink()
        if self.open_p and ("\n" in data or "\r" in data):
            for i, ch in enumerate(data):     # a cell a layout cut across lines is one cell
                if ch not in "\r\n":
                    sink.put(" " if self.real and ch == "\t" else ch, at + i)
            return
        if self.real:
            data = data.translate(_FORMATTING)    # whitespace in HTML source is formatting
        sink.chars.extend(data)
        sink.origin.extend(range(at, at + len(data)))

    def handle_entityref(self, name: str) -> None:
        if self.skip:
            return
        cp = name2codepoint.get(name)
        at = self._pos()
        if cp is None:
            for i, ch in enumerate("&" + name):
                self._sink().put(ch, at + i)
            return
        self._sink().put(chr(cp), at)

    def handle_charref(self, name: str) -> None:
        if self.skip:
            return
        try:
            cp = int(name[1:], 16) if name[:1] in "xX" else int(name)
            ch = chr(cp)
        except (ValueError, OverflowError):
            ch = "\ufffd"
        self._sink().put(ch, self._pos())

    def handle_comment(self, data: str) -> None:
        pass

    def finish(self) -> Plain:
        self.close()
        while self.stack:                     # rows never closed: close them where the text ends
            self._close_row(len(self.src))
        cell = self.out
        return Plain(text="".join(cell.chars), origin=array("q", cell.origin), hard=frozenset(cell.hard))


def is_furniture(line: str) -> bool:
    """A running header or page number line (the text view's furniture patterns)."""
    from zhize.extract import textview
    return textview.is_furniture(line)


def strip_markup(text: str) -> Plain:
    """``text`` without its tags, block tags turned into hard line breaks, cells into tabs.

    In real HTML a line break of the source is formatting wherever it falls, inside a tag
    or an entity too (a page re-wrapped as text is cut anywhere): it is removed before
    parsing, and every offset still points into the file as read."""
    real = bool(_REAL_HTML.search(text[:200000]))
    kept: Optional[array] = None
    if real and "\n" in text:
        # lines a layout printed over the page (running headers, page numbers) are no markup's text
        kept = array("q")
        pieces: list[str] = []
        pos = 0
        for line in text.split("\n"):
            furniture = line.strip() and "<" not in line and ">" not in line and is_furniture(line.strip())
            if not furniture:
                body = line[:-1] if line.endswith("\r") else line
                pieces.append(body)
                kept.extend(range(pos, pos + len(body)))
            pos += len(line) + 1
        source = "".join(pieces)
    else:
        source = text
    parser = _Lines(source, real_html=real)
    parser.feed(source)
    plain = parser.finish()
    if kept is not None:
        end = len(kept)
        plain.origin = array("q", (kept[o] if o < end else len(text) for o in plain.origin))
    return plain
