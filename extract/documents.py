"""Split a bulletin into its documents: number, title, issuer, signing date.

A document starts at a title line (an issuing body, usually ``…关于…的通知``)
followed within a few lines by its number (``红政办发〔2022〕36号``) or by its
addressees (``各州、市人民政府，省直各委、办、厅、局：``).  A table of
contents lists titles too, but without either, so it starts nothing.  A
``政策解读`` after a document stays part of it.  A file with no recognisable
head is one document keyed by its first line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from zhize.extract.textview import TextView
from zhize.extract.types import DocumentInfo

_ISSUER = (
    r"(?P<issuer>[\u4e00-\u9fa5]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|"
    r"领导小组|指挥部|联席会议|党委|委|厅|局|院))"
)
_GENRE = r"(?:通知|意见|决定|方案|办法|规定|细则|批复|通报|公告|通告|命令|函|报告|规划|决议|纲要|计划|条例|复函)"
_TITLE = re.compile(rf"^{_ISSUER}(?:关于.{{2,120}}|[\u4e00-\u9fa5]{{0,6}}){_GENRE}$")
_NUMBER = re.compile(
    r"^(?P<number>[\u4e00-\u9fa5]{1,10}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+(?:\s*[—\-－]\s*\d+)?\s*号)$"
)
_ADDRESSEES = re.compile(r"^(?:各|省直|州直|市直|县直|有关|[\u4e00-\u9fa5]{2,12}(?:人民政府|委员会))[^。]{0,60}[：:]$")
_DATE = re.compile(
    r"^(?P<y>\d{4}|[〇零一二三四五六七八九○Ｏ]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
_HEAD_WINDOW = 4          # lines after a title in which its number or addressees must appear

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS.update({"零": 0, "○": 0, "Ｏ": 0})


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
    for i, (s, e) in enumerate(lines):
        head = _head_at(text, lines, i)
        if head is not None and (not heads or head.start > heads[-1].start):
            heads.append(head)
    if not heads:
        return [_whole_file(text)]
    docs = []
    for k, head in enumerate(heads):
        end = heads[k + 1].start if k + 1 < len(heads) else len(text.text)
        date = _signing_date(text, head.start, end)
        issuer = head.issuer or _signatory(text, head.start, end)
        info = DocumentInfo(doc=head.number or head.title, title=head.title, issuer=issuer, date=date,
                            number=head.number, start=head.start, end=end)
        resumed = _resumed_after(text, docs[-1], info) if docs else None
        if resumed is not None:
            interrupted = docs.pop()
            date = interrupted.date or _signing_date(text, resumed, end)
            docs.append(_replace_span(interrupted, interrupted.start, info.start, date))
            docs.append(_replace_span(info, info.start, resumed, _signing_date(text, info.start, resumed)))
            docs.append(_replace_span(interrupted, resumed, end, date))
        else:
            docs.append(info)
    return docs


def _replace_span(info: DocumentInfo, start: int, end: int, date: str | None) -> DocumentInfo:
    return DocumentInfo(doc=info.doc, title=info.title, issuer=info.issuer, date=date,
                        number=info.number, start=start, end=end)


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


def _head_at(text: TextView, lines: list[tuple[int, int]], i: int) -> _Head | None:
    """A document head whose title ends logical line ``i``.

    The title is taken from the END of the line: when PDF layout glued the
    title to the paragraph before it, the number or addressees that follow
    still mark where the title stops.
    """
    s, e = lines[i]
    found = _title_at_end(text.text[s:e])
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
    for s2, e2 in lines[i + 1:i + 1 + _HEAD_WINDOW]:
        nxt = text.text[s2:e2].strip()
        if _NUMBER.match(nxt):
            number = _printed(text, s2, e2)
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
                number = _printed(text, s0, e0)
                break
    start = s + offset
    title = _compact(text.text[start:e].replace("\n", ""))
    return _Head(start=start, title=title, issuer=issuer, number=number)


_TITLE_AT_END = re.compile(rf"{_GENRE}\s*$")
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


def _printed(text: TextView, start: int, end: int) -> str:
    """The span as printed in the raw file (brackets as printed), spaces removed."""
    return text.name(start, end)


def _printed_title(text: TextView, start: int, end: int) -> str:
    # the title as printed, minus the line breaks and spaces PDF extraction put in
    return _compact(text.text[start:end])


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
            return _iso(m.group("y"), m.group("m"), m.group("d"))
    return None


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    # 十, 十二, 二十, 二十一
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(s, 0)


def _iso(y: str, m: str, d: str) -> str | None:
    year, month, day = _cn_number(y), _cn_number(m), _cn_number(d)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _whole_file(text: TextView) -> DocumentInfo:
    first = next(((s, e) for s, e in text.lines() if text.text[s:e].strip()), (0, 0))
    title = _compact(text.text[first[0]:first[1]])[:120] or text.file
    number = None
    for s, e in list(text.lines())[:8]:
        if _NUMBER.match(text.text[s:e].strip()):
            number = _printed(text, s, e)
            break
    m = re.match(_ISSUER, title)
    return DocumentInfo(doc=number or title, title=title, issuer=m.group("issuer") if m else None,
                        date=_signing_date(text, 0, len(text.text)), number=number, start=0, end=len(text.text))
