"""Read a file to text, whatever form the user has it in, or say clearly why it cannot be.

The reader is chosen by the file's content (its magic bytes), not its name:
``%PDF-`` is a PDF, a ZIP holding ``word/document.xml`` a Word file, markup
that opens like a web page is HTML, and anything else is tried as text.
Each reader lives in ``zhize.extract.readers`` and returns the same
``RawText``; offsets in every fact are offsets into its ``text``.

Text files come as UTF-8 (with or without BOM), UTF-16 from Windows tools,
and GB18030/GBK from older systems.  Formats zhize does not read (a legacy
``.doc``, OFD, a spreadsheet, an image) are refused by name.
"""
from __future__ import annotations

import codecs
import hashlib
import importlib
import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from charset_normalizer import from_bytes

from zhize.extract.types import RawText


class InputError(Exception):
    """A file that cannot be read as text; names the file and the reason."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Reader(Protocol):
    """What every reader module offers: bytes of one format to text with offsets."""

    def read(self, name: str, data: bytes) -> RawText: ...


# format -> the module that reads it (imported when first needed: PDFium loads only for PDFs)
READERS = {
    "text": "zhize.extract.reading",
    "html": "zhize.extract.readers.html",
    "pdf": "zhize.extract.readers.pdf",
    "docx": "zhize.extract.readers.docx",
}
SUFFIXES = {
    ".txt": "text", ".text": "text",
    ".htm": "html", ".html": "html", ".xhtml": "html", ".shtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}

_NOT_READ = {   # detected format -> why zhize refuses it, and what to do
    "doc": "is a legacy Word 97-2003 (or WPS) document; save it as .docx or PDF",
    "rtf": "is an RTF document; save it as .docx or PDF",
    "ofd": "is an OFD document; export it as PDF",
    "xlsx": "is an Excel workbook, not a document",
    "pptx": "is a PowerPoint presentation, not a document",
    "odt": "is an OpenDocument text; save it as .docx or PDF",
    "zip": "is a ZIP archive; unpack it and give zhize the files inside",
    "archive": "is a compressed archive; unpack it and give zhize the files inside",
    "image": "is an image; zhize reads text, not pictures (no OCR): OCR it first",
}


def read_file(path: str | Path) -> RawText:
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    return read_bytes(name, data)


def read_bytes(name: str, data: bytes) -> RawText:
    """``data`` (the bytes of file ``name``) read by the reader its content calls for."""
    if not data.strip():
        raise InputError(name, "is empty")
    fmt = detect(data, name)
    if fmt in _NOT_READ:
        raise InputError(name, _NOT_READ[fmt])
    raw = reader(fmt).read(name, data)
    warnings = raw.warnings
    named = SUFFIXES.get(Path(name).suffix.lower())
    if named is not None and named != fmt and not {named, fmt} <= {"text", "html"}:
        warnings = (f"is named {Path(name).suffix} but holds {fmt.upper()}; read as {fmt.upper()}", *warnings)
    return replace(raw, sha256=hashlib.sha256(data).hexdigest(), warnings=warnings)


def reader(fmt: str) -> Reader:
    return importlib.import_module(READERS[fmt])  # type: ignore[return-value]


def read(name: str, data: bytes) -> RawText:
    """The plain-text reader (this module is its own reader)."""
    return decode(name, data)


def detect(data: bytes, name: str = "") -> str:
    """The format of a file from its first bytes; the name only tells HTML from text."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")) \
            or head[8:12] == b"WEBP":
        return "image"
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return "archive"
    if _looks_like_html(head) or (SUFFIXES.get(Path(name).suffix.lower()) == "html" and b"<" in head):
        return "html"
    return "text"


def _zip_format(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return "zip"


def _looks_like_html(head: bytes) -> bool:
    """A page as a browser saves it: a doctype or <html>/<head>/<meta> near the top (any ASCII-based charset)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<meta")):
        return True
    if start.startswith(b"<?xml") and b"<html" in start:
        return True
    return start.startswith(b"<!--") and b"<html" in start


def decode(name: str, data: bytes) -> RawText:
    if not data.strip():
        raise InputError(name, "is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(name, data.decode(encoding, errors="strict"), encoding)
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            return _checked(name, data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(name, "looks binary (NUL bytes), and is none of the formats zhize reads "
                               "(text, HTML, PDF, Word .docx)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(name, data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise InputError(name, "is not text in any encoding tried (UTF-8, UTF-16, GB18030)")
    return _checked(name, str(best), best.encoding)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL in every other byte of mostly-ASCII text, or CJK pairs."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _checked(name: str, text: str, encoding: str) -> RawText:
    if not text.strip():
        raise InputError(name, "holds no text")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(5, len(text[:20000]) // 100):
        raise InputError(name, f"looks binary ({controls} control characters), not text")
    cjk = sum(1 for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff")
    if encoding not in ("utf-8", "utf-8-sig") and cjk == 0 and any(ord(c) > 127 for c in text[:2000]):
        raise InputError(name, f"decodes as {encoding} but holds no Chinese text; wrong encoding?")
    # facts point into the text as read; \r\n is normalised to one character in neither direction
    return RawText(file=name, text=text, encoding=encoding)
