"""A saved web page, decoded as its page declares (``<meta charset>``), markup and all.

The reader only decodes: tags, entities, table cells and page furniture are
the text view's to read (``zhize.extract.textview``), so the offsets of a
fact found in a web page point into the file as saved, and a user can find
the evidence in it.  The charset follows the order browsers use: a byte
order mark, then a ``<meta charset>`` or ``http-equiv`` declaration in the
first 1024 bytes, then the text reader's own detection.  Chinese labels are
read the WHATWG way: ``gb2312`` and ``gbk`` pages are decoded as GB18030, of
which both are subsets, so characters outside GB2312 that such pages carry
anyway still decode.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import replace
from typing import Optional

from zhize.extract.reading import InputError, decode
from zhize.extract.types import RawText

_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
# WHATWG encoding labels whose Python codec differs in name or in reach
_LABELS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "chinese": "gb18030",
    "csgb2312": "gb18030", "iso-ir-58": "gb18030", "gb18030": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
}
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def declared_charset(data: bytes) -> Optional[str]:
    """The Python codec for the charset the page declares in its first 1024 bytes, if any and known."""
    m = _META.search(data[:1024])
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    name = _LABELS.get(label, label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read(name: str, data: bytes) -> RawText:
    if data.startswith(_BOMS):
        return replace(decode(name, data), format="html")
    charset = declared_charset(data)
    if charset is not None and not charset.startswith("utf-16"):
        try:
            text = data.decode(charset)
        except UnicodeDecodeError as exc:
            guessed = decode(name, data)         # a page that lies about its charset: say so, read it anyway
            return replace(guessed, format="html", warnings=(
                f"declares charset {charset} but is not valid {charset} at byte {exc.start}; "
                f"read as {guessed.encoding}",))
        if not text.strip():
            raise InputError(name, "holds no text")
        return RawText(file=name, text=text, encoding=charset, format="html")
    return replace(decode(name, data), format="html")
