"""Task search that finds what a person means: words in any order, typed with or without spaces.

A query is cut into terms: at spaces and punctuation, then each piece by jieba
(precise mode), so 残疾人就业 is 残疾人 + 就业 as much as 残疾人 就业 is.  A
term is a set of alternatives: the word and its synonyms and abbreviations
(``data/synonyms.yaml``: 反拐 finds 拐卖人口, 双创 finds 大众创业万众创新);
the words of that file stay whole when a query is cut.  A task matches when
every term has an alternative inside its ``find`` text: the task text, its
section heading and its document's title (``find_text``), compared after NFKC,
case folding and without whitespace, as substrings (so a store's index only
narrows the candidates and the match itself is decided here, identically for
every store).  Answers are ranked by BM25 over those texts (``score``): terms
rare in the store weigh more, a match in the task text counts fully, one in
the heading half, one in the title a quarter, and short tasks are preferred.
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional, Sequence

import yaml

# the parts of a find text, in order, and what a match in each counts (BM25F-style field weights)
FIELDS = ("text", "section", "title")
FIELD_WEIGHTS = (1.0, 0.5, 0.25)
K1, B = 1.2, 0.75                          # the usual BM25 constants
STOP_WORDS = frozenset("的 了 和 与 及 或 等 在 对 把 被 是 之 其 并 以 于 为".split())
_SPLIT = re.compile(r"[\s\u3000,，、;；:：。.!！?？/|()（）\[\]【】《》<>“”\"'‘’·-]+")
_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+$")


def fold(text: Optional[str]) -> str:
    """The compared form: NFKC, case folded, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").casefold())


def find_text(text: Optional[str], section: Optional[str] = None, title: Optional[str] = None) -> str:
    """What a task is searched by: its text, section heading and document title, folded, one per line."""
    return "\n".join(fold(x) for x in (text, section, title))


def find_of(task: dict) -> str:
    """A Task node's find text (computed from its props when a store predates the ``find`` prop)."""
    return task.get("find") or find_text(task.get("text"), task.get("section"), task.get("title"))


@dataclass(frozen=True)
class Synonyms:
    """Groups of equivalent words, folded; with their sources, for whoever asks why a word matched."""

    groups: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...]

    @classmethod
    def from_yaml(cls, text: str, where: str = "synonyms.yaml") -> "Synonyms":
        data = yaml.safe_load(text) or {}
        groups, sources = [], []
        for i, g in enumerate(data.get("groups") or ()):
            words = [fold(w) for w in (g or {}).get("words") or () if fold(str(w))]
            if len(words) < 2 or not (g.get("source") or "").strip():
                raise ValueError(f"{where}: group {i + 1} needs two words or more and a source, got {g!r}")
            groups.append(tuple(dict.fromkeys(words)))
            sources.append(g["source"].strip())
        return cls(tuple(groups), tuple(sources))

    def of(self, word: str) -> tuple[str, ...]:
        """The word and every word it is equivalent to, the word first."""
        out = [word]
        for g in self.groups:
            if word in g:
                out += [w for w in g if w not in out]
        return tuple(out)

    def words(self) -> set[str]:
        return {w for g in self.groups for w in g}


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    text = (resources.files("zhize.graph") / "data" / "synonyms.yaml").read_text(encoding="utf-8")
    return Synonyms.from_yaml(text)


@lru_cache(maxsize=1)
def _segmenter():
    """jieba's tokenizer, knowing the synonym words (so 大众创业万众创新 stays one term)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in sorted(synonyms().words()):
        if _CJK.match(word):
            tokenizer.add_word(word, freq=10**6)
    return tokenizer


@dataclass(frozen=True)
class Term:
    word: str                              # as the query gave it, folded
    alternatives: tuple[str, ...]          # the word first, then its synonyms


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def groups(self) -> list[list[str]]:
        """Each term's alternatives: a task matches when every group has one inside its find text."""
        return [list(t.alternatives) for t in self.terms]


def words_of(query: Optional[str]) -> list[str]:
    """The query's words: cut at spaces and punctuation, each piece by jieba, stop words left out;
    a piece that is a known synonym word stays whole."""
    known = synonyms().words()
    out: list[str] = []
    for piece in _SPLIT.split(fold(query)):
        if not piece:
            continue
        tokens = [piece] if piece in known or not _has_cjk(piece) else _segmenter().lcut(piece)
        out += [t for t in (fold(t) for t in tokens) if t and t not in STOP_WORDS and not _SPLIT.fullmatch(t)]
    return list(dict.fromkeys(out))


def parse(query: Optional[str]) -> Query:
    syn = synonyms()
    return Query(tuple(Term(w, syn.of(w)) for w in words_of(query)))


def matches(query: Query, find: str) -> bool:
    return bool(query.terms) and all(any(a in find for a in t.alternatives) for t in query.terms)


def indexable(word: str) -> bool:
    """A word a CJK bigram index finds exactly (as a phrase): two or more Han characters and nothing else."""
    return len(word) >= 2 and _CJK.match(word) is not None


def _has_cjk(text: str) -> bool:
    return any(_CJK.match(c) for c in text)


def term_frequency(term: Term, find: str) -> float:
    """Occurrences of the term's alternatives, weighted by the part of the find text they are in."""
    parts = find.split("\n")
    return sum(weight * sum(part.count(a) for a in term.alternatives)
               for part, weight in zip(parts, FIELD_WEIGHTS))


def score(query: Query, find: str, tasks: int, total_length: int, df: Sequence[int]) -> float:
    """BM25 of one task's find text: ``tasks`` and ``total_length`` over the whole store, ``df`` the
    number of tasks each term matches.  Rounded, so every store orders ties the same."""
    avg = total_length / tasks if tasks else 1.0
    length = len(find)
    out = 0.0
    for term, n in zip(query.terms, df):
        tf = term_frequency(term, find)
        if tf <= 0:
            continue
        idf = math.log(1 + (tasks - n + 0.5) / (n + 0.5))
        out += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / (avg or 1.0)))
    return round(out, 6)


def found_words(query: Query, texts: Iterable[str]) -> tuple[str, ...]:
    """The alternatives that occur in the given texts (folded), to highlight: longest first."""
    folded = [fold(t) for t in texts]
    hits = {a for t in query.terms for a in t.alternatives if any(a in f for f in folded)}
    return tuple(sorted(hits, key=lambda a: (-len(a), a)))
