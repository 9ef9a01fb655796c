"""Canonical institutions and people: what entity resolution produces.

Facts are mentions (a unit as printed in one clause); these are the things
mentioned.  Ids are deterministic, so the same corpus always gives the same
graph and loads are idempotent.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, NamedTuple, Optional

from zhize.extract.types import Fact

InstitutionKind = str   # government | department | party | judicial | mass_org | enterprise | central | generic | collective
Level = str             # province | prefecture | county | central


@dataclass
class Institution:
    id: str                              # e.g. "inst:云南省:省公安厅" style, deterministic
    name: str                            # full official name (云南省人力资源和社会保障厅)
    kind: InstitutionKind
    jurisdiction: Optional[str]          # 云南省, 红河州 … (None for generic/central when unknown)
    level: Optional[Level]
    aliases: set[str] = field(default_factory=set)      # every form seen or registered
    resolved_by: str = "registry"        # registry | rule
    mentions: int = 0


@dataclass
class PostRecord:
    position: str
    doc: str
    date: Optional[str]
    source: str                          # member | appointment | portfolio
    action: Optional[str] = None         # appoint | remove, for appointments


@dataclass
class PersonEntity:
    id: str
    name: str                            # as printed, spaces removed
    jurisdiction: Optional[str]
    posts: list[PostRecord] = field(default_factory=list)
    mentions: int = 0


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor: str                     # institution id
    successor: str
    date: Optional[str]
    source: Optional[str]                # where the reform is documented


ID_FIELDS = ("unit_id", "person_id", "object_id", "group_id")


class Mention(NamedTuple):
    """One name printed in a fact: the fact, and the id field the resolved entity fills."""

    fact: Fact
    field: str                           # unit_id | person_id | object_id | group_id


def with_ids(fact: Fact, ids: Mapping[Mention, str]) -> Fact:
    """``fact`` carrying the ids resolution gave its mentions (the same fact when it gave none)."""
    found = {name: ids[key] for name in ID_FIELDS if (key := Mention(fact, name)) in ids}
    return replace(fact, **found) if found else fact


def record_with_ids(fact: Fact, ids: Mapping[Mention, str]) -> dict:
    """``with_ids(fact, ids).to_record()`` without building the fact again (the id fields come last in every
    fact, so the record's keys are in the same order)."""
    rec = fact.to_record()
    for name in ID_FIELDS:
        found = ids.get(Mention(fact, name))
        if found is not None:
            rec[name] = found
    return rec


@dataclass
class Resolution:
    """Output of the resolution stage: the entities, and which mention names which entity.

    Facts are never changed: ``ids`` maps each resolved mention to its entity
    id, ``id_of`` / ``with_ids`` read it.
    """

    institutions: dict[str, Institution] = field(default_factory=dict)
    persons: dict[str, PersonEntity] = field(default_factory=dict)
    successions: list[SuccessionRecord] = field(default_factory=list)
    rule_only: list[str] = field(default_factory=list)   # institution ids resolved only by rule, for review
    ids: dict[Mention, str] = field(default_factory=dict)

    def id_of(self, fact: Fact, name: str) -> Optional[str]:
        """The entity id of ``fact``'s mention in field ``name``; the id the fact was made with otherwise."""
        found = self.ids.get(Mention(fact, name))
        return found if found is not None else getattr(fact, name, None)

    def with_ids(self, fact: Fact) -> Fact:
        return with_ids(fact, self.ids)
