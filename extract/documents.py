"""Split a bulletin into its documents: number, title, issuer, signing date.

A document starts at a title line (an issuing body, usually ``…关于…的通知``)
followed within a few lines by its number (``红政办发〔2022〕36号``) or by its
addressees (``各州、市人民政府，省直各委、办、厅、局：``).  A table of
contents lists titles too, but without either, so it starts nothing.  A
``政策解读`` after a document stays part of it.  A file with no recognisable
head is one document keyed by its first line.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from zhize.extract import lexicon as lx
from zhize.extract.textview import TextView
from zhize.extract.types import DocumentInfo

_ISSUER = rf"(?P<issuer>[\u4e00-\u9fa5]{{2,30}}?{lx.issuer_endings()})"
_GENRE = lx.genres()
_TITLE = re.compile(rf"^{_ISSUER}(?:关于.{{2,120}}|[\u4e00-\u9fa5]{{0,6}}){_GENRE}$")
# a number on a line of its own, or in brackets under the title: 红政办发〔2022〕36号 / （肇府办〔2008〕62号）
_NUMBER = re.compile(rf"^(?:（\s*)?(?P<number>{lx.document_number()})(?:\s*）)?$")
_ADDRESSEES = re.compile(r"^(?:各|省直|州直|市直|县直|区直|有关|[\u4e00-\u9fa5]{2,12}(?:人民政府|委员会))[^。]{0,100}[：:]$")
_DATE = re.compile(rf"^{lx.DATE.pattern}$")
# what an appointment notice printed with only its number goes on with
_APPOINTMENT_START = re.compile(r"^(?:经[^。]{0,20}(?:研究)?决定|(?:决定)?任命|(?:决定)?免去|任免)")
_HEAD_WINDOW = 4          # lines after a title in which its number or addressees must appear

@dataclass(frozen=True)
class _Head:
    start: int
    title: str
    issuer: str
    number: str | None


def split_documents(text: TextView) -> list[DocumentInfo]:
    """Documents in reading order; a document interrupted by another one's pages comes in two parts."""
    lines = list(text.lines())
    heads: list[_Head] = []
    numbers_taken: set[int] = set()          # number lines a title head already read
    for i, (s, e) in enumerate(lines):
        head = _head_at(text, lines, i, numbers_taken)
        if head is None and i not in numbers_taken:
            head = _number_head(text, lines, i)
        if head is not None and (not heads or head.start > heads[-1].start):
            heads.append(head)
    if not heads:
        if not text.text.strip():
            return []                     # nothing readable: no document
        return [_with_fields(text, _whole_file(text))]
    infos = []
    for k, head in enumerate(heads):
        end = heads[k + 1].start if k + 1 < len(heads) else len(text.text)
        infos.append(DocumentInfo(doc=head.number or head.title, title=head.title, issuer=head.issuer,
                                  date=None, number=head.number, start=head.start, end=end))
    # pieces of text and the document each belongs to, in reading order
    pieces = [(info.start, info.end, k) for k, info in enumerate(infos)]
    pieces = _resumed_pieces(text, infos, pieces)
    pieces = _by_page_numbers(text, infos, pieces)
    parts: dict[int, list[tuple[int, int]]] = {}
    for a, z, k in pieces:
        if z > a:
            spans = parts.setdefault(k, [])
            if spans and spans[-1][1] == a:
                spans[-1] = (spans[-1][0], z)
            else:
                spans.append((a, z))
    docs = []
    for k, info in enumerate(infos):
        spans = tuple(parts.get(k, ()))
        if not spans:
            continue
        date = next((d for d in (_signing_date(text, a, z) for a, z in spans) if d), None)
        issuer = info.issuer or next((i for i in (_signatory(text, a, z) for a, z in spans) if i), None)
        docs.append(DocumentInfo(doc=info.doc, title=info.title, issuer=issuer, date=date, number=info.number,
                                 start=spans[0][0], end=spans[0][1], parts=spans))
    docs[0] = _with_fields(text, docs[0])
    return docs


def _resumed_pieces(text: TextView, infos: list[DocumentInfo],
                    pieces: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """A short notice printed inside another document's pages gives the rest back to it."""
    out: list[tuple[int, int, int]] = []
    for a, z, k in pieces:
        owner = out[-1][2] if out else None
        resumed = _resumed_after(text, infos[owner], infos[k]) if owner is not None and a == infos[k].start else None
        if resumed is not None and a < resumed < z:
            out.append((a, resumed, k))
            out.append((resumed, z, owner))
        else:
            out.append((a, z, k))
    return out


def _by_page_numbers(text: TextView, infos: list[DocumentInfo],
                     pieces: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Pages of two documents printed alternately (A5 B8 A6 B9): a page goes on with the
    document the page numbered one less ended with.

    Page numbers are printed at the foot of a page; a page with no head goes on with the
    nearest earlier page whose number is one less than its own, else with the page before it."""
    styles: dict[str, list[tuple[int, int]]] = {}
    for at, n, style in text.pages:
        styles.setdefault(style, []).append((at, n))
    # one run of page numbers, each printed once, out of order: how the pages were shuffled
    # (numbers in order, or printed twice, say nothing; a second numbering is another style)
    run = next((pages for pages in styles.values()
                if len(pages) >= 2 and len({n for _, n in pages}) == len(pages)
                and max(n for _, n in pages) - min(n for _, n in pages) + 1 <= 2 * len(pages) + 2
                and [n for _, n in pages] != sorted(n for _, n in pages)), None)
    if run is None:
        return pieces
    ends = [at for at, _ in run]
    numbers = [n for _, n in run]
    heads = {info.start for info in infos}
    # cut every piece where a page ends
    cut: list[tuple[int, int, int]] = []
    for a, z, k in pieces:
        inner = [e for e in ends if a < e < z]
        for e in inner:
            cut.append((a, e, k))
            a = e
        cut.append((a, z, k))
    page_of = lambda at: bisect.bisect_right(ends, at)          # index of the page holding offset ``at``
    last_owner: dict[int, int] = {}                               # page index -> document its text ended with
    out: list[tuple[int, int, int]] = []
    for a, z, k in cut:
        page = page_of(a)
        if a in ends and a not in heads and page < len(numbers):
            own = numbers[page]
            earlier = [p for p in range(max(0, page - 6), page) if numbers[p] == own - 1]
            source = earlier[-1] if earlier else page - 1
            if source in last_owner:
                k = last_owner[source]
        out.append((a, z, k))
        last_owner[page] = k
    return out


def _with_fields(text: TextView, info: DocumentInfo) -> DocumentInfo:
    """A policy page's metadata fields (发文字号, 发文机关, 成文日期, 标题) fill what its head lacks."""
    f = text.fields
    if not f:
        return info
    number = info.number or (f["number"].value if "number" in f and _NUMBER.match(f["number"].text) else None)
    title = info.title
    if "title" in f and (not info.number and info.title == info.doc):
        title = f["title"].value
    issuer = info.issuer or (f["issuer"].value if "issuer" in f else None)
    date = info.date or (lx.parse_date(f["date"].text) if "date" in f else None)
    return DocumentInfo(doc=number or title, title=title, issuer=issuer, date=date, number=number,
                        start=info.start, end=info.end, parts=info.parts)


def _number_head(text: TextView, lines: list[tuple[int, int]], i: int) -> _Head | None:
    """A notice printed with only its number (红政任〔2021〕5号), then its addressees or its decisions.

    任免 notices are printed so inside bulletins, between the pages of another document."""
    s, e = lines[i]
    number = _number_at(text, s, e)
    if number is None:
        return None
    for s2, e2 in lines[i + 1:i + 3]:
        nxt = _compact(text.text[s2:e2])
        if not nxt:
            continue
        if _ADDRESSEES.match(nxt) or _APPOINTMENT_START.match(nxt):
            return _Head(start=s, title=number, issuer=None, number=number)
        return None
    return None


def _number_at(text: TextView, s: int, e: int) -> str | None:
    """The document number a line holds by itself (brackets as printed), else None."""
    line = text.text[s:e]
    lead = len(line) - len(line.lstrip())
    m = _NUMBER.match(line.strip())
    if not m:
        return None
    return text.name(s + lead + m.start("number"), s + lead + m.end("number"))


_CLOSED = re.compile(r"[。；！？：:）)”」]\s*$")
_PUBLISHED = re.compile(r"^[（(]\s*此件[^）)]{0,10}[）)]$|^[（(]\s*本文有删减\s*[）)]$")


def _resumed_after(text: TextView, previous: DocumentInfo, current: DocumentInfo) -> int | None:
    """Where the previous document resumes after ``current``'s pages were printed inside it.

    PDF text sometimes carries a short notice's page in the middle of another
    document: the previous document then breaks off mid-sentence (its text runs
    straight into the notice's title) and goes on after the notice's signing
    date, with no head of its own.  Returns the offset it resumes at, or None.
    """
    before = text.text[previous.start:current.start].rstrip()
    if not before or _CLOSED.search(before) or text.text[current.start - 1:current.start] == "\n":
        return None
    signed = None
    for s, e in text.lines(current.start, current.end):
        line = text.text[s:e].strip()
        if signed is None:
            if _DATE.match(line):
                signed = e
            continue
        if _PUBLISHED.match(_compact(line)):
            signed = e
            continue
        # the first line after the signature: the interrupted document's text, not a new section
        if line and not _STRUCTURAL.match(line) and e > s:
            return s
        return None
    return None


_STRUCTURAL = re.compile(r"^(?:附件|附\s*件|《|[（(]?[一二三四五六七八九十\d]+[）)、.．])")


def _head_at(text: TextView, lines: list[tuple[int, int]], i: int, numbers_taken: set[int]) -> _Head | None:
    """A document head whose title ends logical line ``i``.

    The title is taken from the END of the line: when PDF layout glued the
    title to the paragraph before it, the number or addressees that follow
    still mark where the title stops.
    """
    s, e = lines[i]
    found = _title_at_end(text.text[s:e])
    before = _compact(text.text[lines[i - 1][0]:lines[i - 1][1]]) if i > 0 else ""
    if found is not None and _TITLE_START.match(before) and not re.search(rf"{_GENRE}(?:（\d+）)?$", before):
        found = None                  # 国务院办公厅关于调整 / 国家教材委员会组成人员的通知: one title in two lines
    if found is None and i > 0:
        # a title cut into two logical lines (a short piece ended the first)
        ps, pe = lines[i - 1]
        if text.text[pe - 1:pe] not in "。；！？：" and pe - ps + e - s < 160:
            joined = _title_at_end(text.text[ps:pe] + text.text[s:e])
            if joined is not None and joined[0] < pe - ps:
                s = ps
                found = joined
    bare = found is None and _BARE_TITLE.match(_compact(text.text[s:e])) is not None
    if found is None and not bare:
        return None
    offset, issuer = found if found is not None else (len(text.text[s:e]) - len(text.text[s:e].lstrip()), None)
    number = None
    confirmed = False
    for k, (s2, e2) in enumerate(lines[i + 1:i + 1 + _HEAD_WINDOW], i + 1):
        nxt = text.text[s2:e2].strip()
        if _NUMBER.match(nxt):
            number = _number_at(text, s2, e2)
            numbers_taken.add(k)
            confirmed = True
            break
        compact = _compact(nxt)
        if bare:
            continue          # a title without its issuer counts only with a document number
        if _ADDRESSEES.match(compact) or compact in ("任命：", "免去："):
            confirmed = True
            break
        if _ADDRESSEES.match(compact.split("：")[0] + "：") and "：" in compact[:60]:
            confirmed = True
            break
    if not confirmed:
        return None
    if number is None and offset == 0:
        # some bulletins print the number above the title
        for s0, e0 in lines[max(0, i - 2):i][::-1]:
            if _NUMBER.match(text.text[s0:e0].strip()):
                number = _number_at(text, s0, e0)
                break
    start = s + offset
    title = text.name(start, e)
    return _Head(start=start, title=title, issuer=issuer, number=number)


_TITLE_AT_END = re.compile(rf"{_GENRE}\s*$")
# the first line of a title cut in two: an issuer and 关于, no genre yet
_TITLE_START = re.compile(rf"^{_ISSUER}关于[^。；：，]{{0,60}}$")
# a title printed without its issuer (关于…的通知): the issuer is taken from the signature
_BARE_TITLE = re.compile(rf"^关于.{{2,120}}{_GENRE}$")
_SIGNATORY = re.compile(r"^[\u4e00-\u9fa5]{2,40}(?:人民政府|办公厅|办公室|委员会|领导小组|指挥部|厅|局|委|部|院)$")


def _title_at_end(line: str) -> tuple[int, str] | None:
    """(offset, issuer) of a title that ends ``line``, or None."""
    compact_line = line.rstrip()
    if not _TITLE_AT_END.search(compact_line):
        return None
    whole = _TITLE.match(_compact(compact_line))
    if whole and len(_compact(compact_line)) <= 140:
        return len(line) - len(line.lstrip()), whole.group("issuer")
    # glued to what came before: a title without 关于 (任免通知) after the last sentence end
    tail = re.split(r"[。；！？）]", compact_line)[-1]
    if "关于" not in tail:
        # the rightmost place-led issuer: 严厉打击盗掘文物等|云南省人民政府任免通知
        for i in range(len(tail) - 2, -1, -1):
            short = _PLACED_SHORT_TITLE.match(tail, i)
            if short:
                return len(compact_line) - len(tail) + i, short.group("issuer")
    # glued to what came before: the last 关于 whose tail is a title, its issuer right before it
    for m in reversed(list(re.finditer("关于", compact_line))):
        if len(compact_line) - m.start() > 130:
            break
        before = compact_line[max(0, m.start() - 30):m.start()]
        iss = _ISSUER_AT_END.search(before)
        if iss:
            start = m.start() - (len(before) - iss.start())
            candidate = _compact(compact_line[start:])
            t = _TITLE.match(candidate)
            if t:
                return start, t.group("issuer")
    return None


_PLACED_SHORT_TITLE = re.compile(
    r"(?P<issuer>[\u4e00-\u9fa5]{2,8}?(?:自治区|自治州|自治县|省|市|州|县|区)"
    r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会))"
    rf"[\u4e00-\u9fa5]{{0,6}}{_GENRE}$"
)

_ISSUER_AT_END = re.compile(
    r"(?:[\u4e00-\u9fa5]{2,8}?(?:省|自治区|自治州|市|州|县|区)|中共[\u4e00-\u9fa5]{2,8}?委员会)?"
    r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会)\s*$"
)


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _signatory(text: TextView, start: int, end: int) -> str | None:
    """The body signing above the first signing date, for a title printed without its issuer."""
    before = None
    for s, e in text.lines(start, end):
        line = _compact(text.text[s:e])
        if _DATE.match(line):
            return before if before and _SIGNATORY.match(before) else None
        before = line
    return None


def _signing_date(text: TextView, start: int, end: int) -> str | None:
    for s, e in text.lines(start, end):
        m = _DATE.match(text.text[s:e].strip())
        if m:
            return lx.iso_date(m)
    return None


_HEADLINE = re.compile(rf"^[^。，；：！？]{{4,80}}{_GENRE}$")


def _headline(text: TextView, s: int, e: int) -> tuple[int, int]:
    """The first line as a title: when a layout ran a news headline into the story under it, the
    printed pieces before the first one that holds a sentence mark or opens with a date."""
    if not _SENTENCE_MARK.search(text.text[s:e]):
        return s, e
    kept: list[tuple[int, int]] = []
    cuts = [s, *(b for b in text.breaks if s < b < e), e]      # as printed, before any rejoining
    for a, b in zip(cuts, cuts[1:]):
        piece = text.text[a:b]
        if _SENTENCE_MARK.search(piece) or (kept and re.match(r"\s*\d", piece)):
            break
        kept.append((a, b))
    return (kept[0][0], kept[-1][1]) if kept else (s, e)


_SENTENCE_MARK = re.compile(r"[，。；：！？]")


def _whole_file(text: TextView) -> DocumentInfo:
    """A file without a recognisable head: a web page or news report, keyed by its number, its
    title (a line that ends like one, near the top), or else its first line."""
    head = [(s, e) for s, e in list(text.lines())[:15] if text.text[s:e].strip()]
    titled = next(((s, e) for s, e in head if _HEADLINE.match(_compact(text.text[s:e]))), None)
    first = titled or (_headline(text, *head[0]) if head else (0, 0))
    title = text.name(*first)[:120] or text.file
    number = None
    for s, e in head[:8]:
        number = _number_at(text, s, e)
        if number:
            break
    m = re.match(_ISSUER, title)
    return DocumentInfo(doc=number or title, title=title, issuer=m.group("issuer") if m else None,
                        date=_signing_date(text, 0, len(text.text)), number=number, start=0, end=len(text.text))
