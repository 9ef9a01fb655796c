"""PDF with a text layer, through pypdfium2 (PDFium, the engine of Chromium's viewer).

PDFium gives the characters in content order, breaks lines itself and
inserts spaces where it sees gaps.  Two things of the printed layout matter
to the text view and are put back from the characters' boxes:

* a vertical gap of a line or more between two lines becomes a blank line
  (the paragraph breaks the text view reads, as in a bulletin's text layer);
* a horizontal gap of more than 1.5 character heights inside a line becomes
  a tab: table cells, the way the text view reads table rows.

Pages are joined by a line break; ``RawText.pages`` keeps where each page
starts, so every fact can name its page.  A PDF whose pages are images
without text (a scan) is refused with that reason: zhize does not OCR.
Why PDFium and not pdfplumber: README, "Reading PDF" (measured by
bench/bench_pdf.py).
"""
from __future__ import annotations

import re

from zhize.extract.reading import InputError
from zhize.extract.types import RawText

BLANK_GAP = 0.8        # vertical white space, in line heights, that reads as a blank line
CELL_GAP = 1.5         # horizontal white space, in character heights, that separates table cells
_BREAK = re.compile(r"\r\n|\r|\n")


def read(name: str, data: bytes) -> RawText:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        why = str(exc)
        if "password" in why.lower():
            raise InputError(name, "is an encrypted PDF (it needs a password); save an unprotected copy") from None
        raise InputError(name, f"is a damaged PDF that cannot be opened ({why})") from None
    try:
        return _read(name, pdf)
    finally:
        pdf.close()


def _read(name: str, pdf) -> RawText:
    import pypdfium2.raw as pdfium_c

    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    scanned: list[int] = []
    unmapped = chars = 0
    for number in range(1, len(pdf) + 1):
        page = pdf[number - 1]
        textpage = page.get_textpage()
        try:
            text, n_chars, n_unmapped = _page_text(textpage, pdfium_c)
        finally:
            textpage.close()
        chars += n_chars
        unmapped += n_unmapped
        if not text.strip() and _has_images(page, pdfium_c):
            scanned.append(number)
        page.close()
        if parts:                   # a page break is a line break: whether a paragraph ends is the text view's call
            parts.append("\n")
            offset += 1
        starts.append(offset)
        parts.append(text)
        offset += len(text)
    full = "".join(parts)
    if not full.strip():
        if scanned:
            raise InputError(name, f"is a scanned PDF: {len(scanned)} page(s) of images with no text layer; "
                                   "zhize does not OCR (run OCR first, e.g. ocrmypdf, and give it the result)")
        raise InputError(name, "is a PDF with no text on any page")
    if chars and unmapped / chars > 0.2:
        raise InputError(name, f"is a PDF whose fonts map about {unmapped} of {chars} characters to no Unicode text "
                               "(no ToUnicode table); its text layer cannot be read, OCR it instead")
    warnings = []
    if scanned:
        warnings.append(f"page(s) {_ranges(scanned)} are images with no text layer (scanned?); their text is missing")
    if unmapped:
        warnings.append(f"about {unmapped} character(s) have no Unicode mapping in their font and may read wrongly")
    return RawText(file=name, text=full, encoding="pdf", format="pdf", pages=tuple(starts), warnings=tuple(warnings))


def _page_text(textpage, c) -> tuple[str, int, int]:
    """The page's text with blank lines and cell tabs restored; its character count and unmapped estimate."""
    n = textpage.count_chars()
    if n <= 0:
        return "", 0, 0
    text = textpage.get_text_range(0, n)
    if len(text) != n:          # characters outside the BMP: one code point per PDFium character
        text = "".join(chr(c.FPDFText_GetUnicode(textpage, i)) for i in range(n))
    box = c.FS_RECTF()

    def bounds(i: int) -> tuple[float, float, float, float]:
        c.FPDFText_GetLooseCharBox(textpage, i, box)
        return box.left, box.bottom, box.right, box.top

    # fonts without a Unicode map give wrong characters; PDFium says so per character: ask ~64 of them
    step = max(1, n // 64)
    probed = range(0, n, step)
    unmapped = round(step * sum(1 for i in probed if c.FPDFText_HasUnicodeMapError(textpage, i) == 1))
    out: list[str] = []
    prev_bottom = None
    pos = 0
    for m in [*_BREAK.finditer(text), None]:
        end = m.start() if m else n
        line = _line(text, pos, end, textpage, c, bounds)
        first = next((i for i in range(pos, end) if not text[i].isspace()), None)
        if first is not None:
            _, bottom, _, top = bounds(first)
            height = max(top - bottom, 1.0)
            if prev_bottom is not None and prev_bottom - top > BLANK_GAP * height:
                out.append("")
            prev_bottom = bottom
        out.append(line)
        if m is None:
            break
        pos = m.end()
    return "\n".join(out).rstrip("\n"), n, unmapped


def _line(text: str, start: int, end: int, textpage, c, bounds) -> str:
    """One line; a space PDFium inserted for a gap wider than a cell gap becomes a tab."""
    chars = list(text[start:end])
    for i in range(start + 1, end - 1):
        if text[i] != " " or not c.FPDFText_IsGenerated(textpage, i):
            continue
        left, right = i - 1, i + 1
        if text[left].isspace() or text[right].isspace():
            continue
        _, bottom, right_edge, top = bounds(left)
        next_left = bounds(right)[0]
        if next_left - right_edge > CELL_GAP * max(top - bottom, 1.0):
            chars[i - start] = "\t"
    return "".join(chars)


def _has_images(page, c) -> bool:
    return any(True for _ in page.get_objects(filter=[c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _ranges(pages: list[int]) -> str:
    """1, 2, 3, 5 -> '1–3, 5'."""
    out, run = [], [pages[0]]
    for p in pages[1:]:
        if p == run[-1] + 1:
            run.append(p)
            continue
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [p]
    out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)
