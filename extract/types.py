"""The data that flows between extraction stages.

Every fact carries where it came from: the file, character offsets into the
file *as read* (after decoding, before any normalisation) and the evidence
text.  ``Fact.to_record()`` gives exactly the record of
``../shared/eval/SCHEMA.md``; the same records are what the stores load.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, ClassVar, Literal, Optional

Role = Literal["lead", "responsible", "support"]
MemberRole = Literal["head", "deputy", "member", "office_head", "office_deputy"]
GroupRelation = Literal["member_unit", "office_host"]
PortfolioRelation = Literal["in_charge", "supervises", "liaises", "assists", "acting", "partner"]
Action = Literal["appoint", "remove"]


@dataclass(frozen=True)
class Source:
    file: str
    start: int
    end: int
    page: Optional[int] = None   # 1-based page of a PDF; left out of the record when unknown

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"file": self.file, "start": self.start, "end": self.end}
        if self.page is not None:
            rec["page"] = self.page
        return rec


@dataclass(frozen=True)
class RawText:
    """A file decoded to text: what every offset in a fact points into.

    For a PDF or a Word file ``text`` is the text extracted from it (the
    pipeline writes it beside the facts, so the offsets can be followed);
    for plain text and HTML it is the file itself, decoded.
    """

    file: str          # the name given on the command line (facts keep the base name)
    text: str
    encoding: str      # the text's encoding as read; for PDF/DOCX the format's own ("pdf", "docx")
    format: str = "text"                  # text | html | pdf | docx: which reader read it
    pages: tuple[int, ...] = ()           # PDF: offset in ``text`` where each page starts
    sha256: Optional[str] = None          # hex digest of the file's bytes
    warnings: tuple[str, ...] = ()        # read, but with something the user should know
    offset: int = 0                       # a part of a bigger file: where ``text`` starts in it …
    line_offset: int = 0                  # … and how many lines come before it

    def page_at(self, offset: int) -> Optional[int]:
        """The 1-based page holding ``offset``; None when the format has no pages."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))


@dataclass(frozen=True)
class DocumentInfo:
    """One document inside a file (a bulletin holds many)."""

    doc: str                   # number as printed, or the title when there is none
    title: str
    issuer: Optional[str]
    date: Optional[str]        # ISO YYYY-MM-DD, the signing date
    number: Optional[str]      # the number alone, None when the document has none
    start: int                 # where its head is, in the file's text view
    end: int                   # where its first part ends
    parts: tuple[tuple[int, int], ...] = ()   # every span of the view it is printed in, in reading order

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return self.parts or ((self.start, self.end),)


@dataclass(kw_only=True, frozen=True)
class Fact:
    """Base of all facts: the SCHEMA's common fields.

    Facts are values: immutable and hashable.  Resolution does not write ids
    into them; it returns a mapping (``Resolution.ids``) and
    ``Resolution.with_ids`` gives the fact carrying them.
    """

    kind: ClassVar[str] = ""
    doc: str
    source: Source
    evidence: str

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"kind": self.kind}
        for name, omit_none in _record_fields(type(self)):
            value = getattr(self, name)
            if name == "source":
                value = value.to_record()
            elif isinstance(value, tuple):
                value = list(value)
            if value is None and omit_none:
                continue
            rec[name] = value
        return rec


@lru_cache(maxsize=None)
def _record_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """A fact class's fields in record order, each with whether an unset value is left out (read once a class:
    ``dataclasses.fields`` per fact was a tenth of writing JSON lines)."""
    return tuple((f.name, bool(f.metadata.get("omit_none"))) for f in fields(cls))


def _optional(**kw) -> Any:
    """A field left out of the record while unset (ids before resolution, optional forms)."""
    return field(default=None, metadata={"omit_none": True}, **kw)


@dataclass(kw_only=True, frozen=True)
class DocumentFact(Fact):
    kind: ClassVar[str] = "document"
    title: str
    issuer: Optional[str]
    date: Optional[str]


@dataclass(kw_only=True, frozen=True)
class DutyFact(Fact):
    kind: ClassVar[str] = "duty"
    task: str
    unit: str
    role: Role
    generic: bool
    form: Optional[str] = _optional()        # "clause" | "label" | "table" | "narrative"
    section: Optional[str] = _optional()     # the heading the task stands under (一、稳定大宗消费), for search
    unit_id: Optional[str] = _optional()


@dataclass(kw_only=True, frozen=True)
class MemberFact(Fact):
    kind: ClassVar[str] = "member"
    group: str
    person: Optional[str]
    position: Optional[str]
    role_text: str
    role: MemberRole
    person_id: Optional[str] = _optional()
    group_id: Optional[str] = _optional()


@dataclass(kw_only=True, frozen=True)
class GroupUnitFact(Fact):
    kind: ClassVar[str] = "group_unit"
    group: str
    unit: str
    relation: GroupRelation
    unit_id: Optional[str] = _optional()
    group_id: Optional[str] = _optional()


@dataclass(kw_only=True, frozen=True)
class PortfolioFact(Fact):
    kind: ClassVar[str] = "portfolio"
    person: Optional[str]
    position: Optional[str]
    relation: PortfolioRelation
    object: str
    scope: Optional[str] = _optional()       # for "acting": in_charge | supervises
    person_id: Optional[str] = _optional()
    object_id: Optional[str] = _optional()   # unit or person id when the object resolves


@dataclass(kw_only=True, frozen=True)
class AppointmentFact(Fact):
    kind: ClassVar[str] = "appointment"
    person: str
    action: Action
    position: str
    notes: Optional[tuple[str, ...]] = _optional()  # 试用期一年, 退休, 保留…待遇: attributes, not posts
    person_id: Optional[str] = _optional()

    def __post_init__(self) -> None:
        if self.notes is not None and not isinstance(self.notes, tuple):   # a list from a record or a caller
            object.__setattr__(self, "notes", tuple(self.notes))


FACT_TYPES: dict[str, type[Fact]] = {
    cls.kind: cls
    for cls in (DocumentFact, DutyFact, MemberFact, GroupUnitFact, PortfolioFact, AppointmentFact)
}


def fact_from_record(rec: dict[str, Any]) -> Fact:
    """The inverse of ``to_record``: what the stores and tests read back."""
    cls = FACT_TYPES[rec["kind"]]
    names = {f.name for f in fields(cls)}
    kw = {k: v for k, v in rec.items() if k in names}
    kw["source"] = Source(**rec["source"])
    return cls(**kw)


@dataclass(frozen=True)
class Unparsed:
    """A candidate clause that looked like an assignment but gave no fact.

    Reported, never dropped silently: the CLI summary lists them with file and line.
    """

    file: str
    line: int          # 1-based line in the file as read
    start: int
    end: int
    text: str
    reason: str


@dataclass
class FileResult:
    """Everything extraction found in one file."""

    file: str
    documents: list[DocumentInfo] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    error: Optional[str] = None   # set when the file could not be read at all
    # set by zhize.pipeline, which reads the file:
    format: Optional[str] = None          # text | html | pdf | docx
    text: Optional[str] = None            # the extracted text of a PDF/DOCX: what its offsets point into
    sha256: Optional[str] = None          # hex digest of the file's bytes
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0                  # read and extraction time
