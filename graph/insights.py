"""Where ownership is unclear: findings over the store's tables, each with the printed evidence.

What counts (the units left out by the ``Selection``, by default generic and
collective bodies such as 有关部门 and 各县市人民政府, are not owners, so a
task that only 有关部门 leads has no lead):

* ``no_lead``: a task no unit leads, for which ``min_units`` (2) or more units
  are responsible: everyone's, so no one's.
* ``several_leads``: a task with two or more lead units.
* ``lead_differs``: the same or a near-same task (character n-gram
  similarity of the task texts, numbering left out, at least ``similarity``)
  led by different units in different documents or years.  A lead that is
  the reformed successor of the other (the succession registry) is the same
  owner, not a difference.
* ``only_supports``: a unit that supports ``min_tasks`` (2) or more tasks and
  never leads nor is responsible for one.
* ``abolished_unit``: a task assigned to a body in a document dated after the
  reform that abolished it (``SUCCEEDED_BY``; a reform dated by year counts
  from the next year, by month from the next month; undated reforms are not
  used).

The functions take ``Tables`` (``zhize.graph.frames``) and return
``Finding``s sorted by kind, then by document date (newest first) and text,
so both stores give identical findings.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional

import numpy as np
import pandas as pd

from zhize.graph.frames import Selection, Tables, UNIT_KINDS_NOT_ONE_BODY
from zhize.graph.semantics import clean_name, newest_first

KINDS = ("no_lead", "several_leads", "lead_differs", "only_supports", "abolished_unit")
KIND_EN = {
    "no_lead": "tasks with no lead and several responsible units",
    "several_leads": "tasks with more than one lead",
    "lead_differs": "the same task led by different units in different documents or years",
    "only_supports": "units that only ever support",
    "abolished_unit": "tasks still assigned to a body a reform abolished",
}
KIND_ZH = {
    "no_lead": "无牵头单位、多个负责单位",
    "several_leads": "多个牵头单位",
    "lead_differs": "同一任务在不同文件或年份由不同单位牵头",
    "only_supports": "只配合、从不牵头或负责的单位",
    "abolished_unit": "仍交给已撤并机构的任务",
}
#: the selection findings read unless told otherwise: owners are bodies, not 有关部门 or 各县市人民政府
INSIGHT_SELECTION = Selection(leave_out=UNIT_KINDS_NOT_ONE_BODY)

SIMILARITY = 0.8            # character bigram/trigram cosine at which two task texts are one task
COMMON_SHARE, COMMON_FLOOR = 0.2, 50     # n-grams in more texts than this share (and floor) are left out
_NUMBERING = re.compile(r"^[\s(（]*(?:[0-9０-９]+|[一二三四五六七八九十百]+)[)）.、．\s]*")


@dataclass(frozen=True)
class Proof:
    """One printed fact behind a finding: who, in what role, on which task, where it is printed."""

    unit: str
    role: str
    task: str
    doc: str
    date: Optional[str]
    quote: str
    file: str
    start: Optional[int]
    end: Optional[int]
    mention: str = ""               # the unit as printed in the quote


@dataclass(frozen=True)
class Finding:
    kind: str                       # one of KINDS
    subject: str                    # the task text, or the unit's name
    detail: str                     # what is unclear, in one line
    units: tuple[str, ...]          # the units concerned (names)
    evidence: tuple[Proof, ...] = field(default=())
    date: Optional[str] = None      # the (newest) document date concerned, for the order
    facts: dict = field(default_factory=dict, compare=False)   # what ``detail`` says, as data (the
                                                               # explorer words it in Chinese)


def _proof(r: Mapping) -> Proof:
    return Proof(unit=r["unit"], role=r["role"], task=r["task"], doc=r["doc"], date=_date(r["date"]),
                 quote=r["evidence"] or "", file=r["file"] or "", start=None if pd.isna(r["start"]) else int(r["start"]),
                 end=None if pd.isna(r["end"]) else int(r["end"]), mention=r.get("mention") or "")


def _by(rows: pd.DataFrame, key: str) -> dict[str, list[Proof]]:
    """The rows' proofs grouped by a column (in row order), read in one pass: no frame filtered per finding."""
    out: dict[str, list[Proof]] = defaultdict(list)
    for r in rows.to_dict("records"):
        out[r[key]].append(_proof(r))
    return out


def _names(proofs: Iterable[Proof]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.unit for p in proofs))


def _date(value) -> Optional[str]:
    return None if value is None or pd.isna(value) else str(value)


def no_lead(tables: Tables, min_units: int = 2) -> list[Finding]:
    t, d = tables.tasks, tables.duties
    chosen = t[(t["n_lead"] == 0) & (t["n_responsible"] >= min_units)]
    proofs = _by(d[d["task_id"].isin(chosen["task_id"])], "task_id")
    out = []
    for task in chosen.to_dict("records"):
        rows = proofs[task["task_id"]]
        responsible = _names(p for p in rows if p.role == "responsible")
        out.append(Finding("no_lead", task["task"], f"no lead; {len(responsible)} units responsible: "
                           + "、".join(responsible), _names(rows), tuple(rows), _date(task["date"]),
                           {"responsible": list(responsible)}))
    return out


def several_leads(tables: Tables) -> list[Finding]:
    t, d = tables.tasks, tables.duties
    chosen = t[t["n_lead"] >= 2]
    proofs = _by(d[d["task_id"].isin(chosen["task_id"]) & (d["role"] == "lead")], "task_id")
    out = []
    for task in chosen.to_dict("records"):
        rows = proofs[task["task_id"]]
        out.append(Finding("several_leads", task["task"], f"{task['n_lead']} leads: " + "、".join(_names(rows)),
                           _names(rows), tuple(rows), _date(task["date"]), {"leads": list(_names(rows))}))
    return out


def latest_successor(successions: pd.DataFrame) -> dict[str, str]:
    """Each reformed body's present successor, following chains (保监局 -> 银保监局 -> 金融监管局)."""
    nxt = dict(zip(successions["predecessor"], successions["successor"]))
    out = {}
    for unit in nxt:
        seen, cur = {unit}, nxt[unit]
        while cur in nxt and nxt[cur] not in seen:
            seen.add(cur)
            cur = nxt[cur]
        out[unit] = cur
    return out


def task_text_key(text: str) -> str:
    """What two task texts are compared on: NFKC, no whitespace, no leading numbering (1. / （一）)."""
    return _NUMBERING.sub("", clean_name(text))


def similar_pairs(texts: list[str], threshold: float = SIMILARITY,
                  block: int = 1000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, similarity) arrays, i < j, for every pair of texts whose character 2-3-gram TF-IDF cosine is
    at least ``threshold``; the product is taken ``block`` rows at a time, so memory stays bounded."""
    empty = np.zeros(0, dtype=np.int64)
    if len(texts) < 2:
        return empty, empty, np.zeros(0)
    from sklearn.feature_extraction.text import TfidfVectorizer

    # an n-gram in more than a fifth of the texts (and of 50 at least) is boilerplate (工作, 落实到位): it says
    # nothing of likeness, and left in it makes every text a neighbour of every other (the product quadratic)
    common = max(COMMON_SHARE, min(1.0, COMMON_FLOOR / len(texts)))
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), lowercase=False,
                             max_df=common).fit_transform(texts).tocsr()
    rows, cols, sims = [], [], []
    for first in range(0, matrix.shape[0], block):
        part = (matrix[first:first + block] @ matrix.T).tocoo()
        i = part.row + first
        keep = (i < part.col) & (part.data >= threshold - 1e-9)
        rows.append(i[keep])
        cols.append(part.col[keep])
        sims.append(part.data[keep])
    i, j, sim = np.concatenate(rows), np.concatenate(cols), np.round(np.concatenate(sims), 3)
    order = np.lexsort((j, i))
    return i[order], j[order], sim[order]


def lead_differs(tables: Tables, similarity: float = SIMILARITY) -> list[Finding]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    d = tables.duties
    leads = d[d["role"] == "lead"]
    if leads.empty:
        return []
    owner = latest_successor(tables.successions)
    per_task = leads.groupby("task_id", sort=False).agg(task=("task", "first"), doc=("doc", "first"),
                                                      year=("year", "first"), date=("date", "first"),
                                                      units=("unit_id", lambda s: frozenset(s)))
    owners = per_task["units"].map(lambda us: "\x1f".join(sorted({owner.get(u, u) for u in us})))
    doc_code, owner_code = pd.factorize(per_task["doc"])[0], pd.factorize(owners)[0]
    year_code = pd.factorize(per_task["year"].astype("string").fillna(""))[0]
    i, j, sim = similar_pairs([task_text_key(x) for x in per_task["task"]], similarity)
    keep = ((doc_code[i] != doc_code[j]) | (year_code[i] != year_code[j])) & (owner_code[i] != owner_code[j])
    i, j, sim = i[keep], j[keep], sim[keep]
    if not len(i):
        return []
    n = len(per_task)
    _, component = connected_components(coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n)), directed=False)
    lowest = pd.Series(sim).groupby(component[i]).min()
    paired = np.unique(np.concatenate([i, j]))
    ids, docs = np.asarray(per_task.index), per_task["doc"].to_dict()
    order = {t: (newest_first(_date(x)), docs[t], t) for t, x in per_task["date"].items()}
    proofs = _by(leads[leads["task_id"].isin(ids[paired])], "task_id")
    out = []
    for comp in np.unique(component[paired]):
        members = sorted(ids[paired[component[paired] == comp]], key=order.__getitem__)
        rows = [p for t in members for p in proofs[t]]
        low = float(lowest[comp])
        by_doc = [(docs[t], list(_names(proofs[t]))) for t in members]
        out.append(Finding("lead_differs", per_task.at[members[0], "task"],
                           f"{len(members)} printings (similarity ≥ {low:.2f}) led by different units: "
                           + "; ".join(f"{doc}: " + "、".join(units) for doc, units in by_doc),
                           _names(rows), tuple(rows), _date(per_task.at[members[0], "date"]),
                           {"similarity": low, "by_doc": by_doc}))
    return out


def only_supports(tables: Tables, min_tasks: int = 2) -> list[Finding]:
    u, d = tables.units, tables.duties
    chosen = u[(u["lead"] == 0) & (u["responsible"] == 0) & (u["support"] >= min_tasks)]
    proofs = _by(d[d["unit_id"].isin(chosen["unit_id"])], "unit_id")
    out = []
    for unit in chosen.to_dict("records"):
        rows = proofs[unit["unit_id"]]
        newest = min((p.date for p in rows), key=newest_first, default=None)
        out.append(Finding("only_supports", unit["name"], f"supports {unit['support']} tasks, leads none, "
                           "responsible for none", (unit["name"],), tuple(rows), newest,
                           {"support": int(unit["support"])}))
    return out


def reformed_after(doc_date: Optional[str], reform_date: Optional[str]) -> bool:
    """Whether a document is dated after a reform, at the reform date's precision (2018: from 2019 on)."""
    if not doc_date or not reform_date:
        return False
    return doc_date[:len(reform_date)] > reform_date


def abolished_unit(tables: Tables) -> list[Finding]:
    d, s = tables.duties, tables.successions
    out = []
    for reform in s.dropna(subset=["date"]).to_dict("records"):
        of_body = d[d["unit_id"] == reform["predecessor"]]
        after = of_body[of_body["date"].map(lambda x: reformed_after(_date(x), reform["date"]))]
        for rows in _by(after, "task_id").values():
            first, roles = rows[0], list(dict.fromkeys(p.role for p in rows))
            out.append(Finding(
                "abolished_unit", first.task,
                f"{first.unit} ({'、'.join(roles)}) in a document of {first.date}; it became "
                f"{reform['successor_name']} in {reform['date']}" + (f" ({reform['source']})" if reform.get("source")
                                                                     else ""),
                (first.unit, reform["successor_name"]), tuple(rows), first.date,
                {"unit": first.unit, "roles": roles, "successor": reform["successor_name"],
                 "reform_date": reform["date"], "source": reform.get("source")}))
    return out


_FIND = {"no_lead": no_lead, "several_leads": several_leads, "lead_differs": lead_differs,
         "only_supports": only_supports, "abolished_unit": abolished_unit}


def find(tables: Tables, kinds: Iterable[str] = KINDS, options: Mapping[str, Mapping] = {}) -> list[Finding]:
    """Every finding of ``kinds`` in ``tables`` (select them first); ``options`` per kind
    (``{"no_lead": {"min_units": 3}}``)."""
    kinds = list(kinds)
    unknown = [k for k in kinds if k not in _FIND]
    if unknown:
        raise ValueError(f"unknown finding kind(s) {', '.join(unknown)}; use {', '.join(KINDS)}")
    out = []
    for kind in KINDS:
        if kind in kinds:
            found = _FIND[kind](tables, **options.get(kind, {}))
            out += sorted(found, key=lambda f: (newest_first(f.date), f.subject, f.detail))
    return out


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per kind, every kind listed (0 when none)."""
    out = dict.fromkeys(KINDS, 0)
    for f in findings:
        out[f.kind] += 1
    return out


def evidence_lines(f: Finding) -> list[str]:
    """Each clause behind a finding once, as a person reads it: document, quote, where it is printed."""
    out = []
    for p in f.evidence:
        where = f"{p.file}:{p.start}" if p.start is not None else p.file
        line = f"{p.doc}: {p.quote} [{where}]"
        if line not in out:
            out.append(line)
    return out


def rows(findings: Iterable[Finding]) -> list[dict]:
    """One row per (finding, proof): the flat table notebooks, CSV and the explorer show."""
    out = []
    for i, f in enumerate(findings):
        for p in f.evidence or (None,):
            out.append({"finding": i, "kind": f.kind, "kind_zh": KIND_ZH[f.kind], "subject": f.subject,
                        "detail": f.detail, "units": "、".join(f.units),
                        "unit": p.unit if p else None, "role": p.role if p else None, "task": p.task if p else None,
                        "doc": p.doc if p else None, "date": p.date if p else None, "quote": p.quote if p else None,
                        "file": p.file if p else None, "start": p.start if p else None, "end": p.end if p else None})
    return out
