"""A Word file (.docx), through python-docx: the body's paragraphs and tables in document order.

One paragraph is one line.  A table is emitted the way the text view reads
tables: one row a line, its cells separated by tabs; a cell's own paragraphs
are joined by a space, so a row stays one line.  A cell merged across
columns is written once; one merged down rows repeats in each row it spans,
since each of those rows is owned by it (a 牵头单位 cell spanning three
tasks leads all three).  Page headers and footers are page furniture and are
left out; Word's automatic list numbering is not text in the file and does
not appear (numbers typed into the text do).
"""
from __future__ import annotations

import io

from zhize.extract.reading import InputError
from zhize.extract.types import RawText


def read(name: str, data: bytes) -> RawText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(name, f"is a damaged Word file that cannot be opened ({type(exc).__name__}: {exc})") from None
    lines = list(_lines(document))
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputError(name, "is a Word file with no text")
    return RawText(file=name, text=text + "\n", encoding="docx", format="docx")


def _lines(container):
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_rows(block)
        else:
            yield block.text


def _table_rows(table):
    for row in table.rows:
        cells, seen = [], []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):   # merged across columns: python-docx repeats it
                continue
            seen.append(cell._tc)
            cells.append(_cell_text(cell))
        yield "\t".join(cells)


def _cell_text(cell) -> str:
    parts = []
    for line in _lines(cell):
        parts.extend(piece.strip() for piece in line.split("\n"))
    return " ".join(p for p in parts if p).replace("\t", " ")
