"""Decode a file to text, or say clearly why it cannot be.

Government text files come as UTF-8 (with or without BOM), UTF-16 from
Windows tools, and GB18030/GBK from older systems.  Offsets in every fact
are offsets into the string this module returns.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import replace
from pathlib import Path

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


def read_file(path: str | Path) -> RawText:
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a text file") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    return decode(name, data)


def decode(name: str, data: bytes) -> RawText:
    return replace(_decode(name, data), sha256=hashlib.sha256(data).hexdigest())


def _decode(name: str, data: bytes) -> RawText:
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
        raise InputError(name, "looks binary (NUL bytes), not text; convert PDFs to text first")
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
