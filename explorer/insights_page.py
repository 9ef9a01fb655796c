"""The explorer's 职责不清 view: where ownership is unclear (``zhize.graph.insights``), with the evidence.

The rows are plain data (tested without Streamlit); ``render`` lays them out:
a count per kind, then per kind a table (downloadable) and the clauses that
show it, the units marked as in the 谁负责 view.
"""
from __future__ import annotations

import html
from typing import Callable, Sequence

from zhize.explorer import views as vw
from zhize.graph.insights import KIND_ZH, KINDS, Finding, counts

CLAUSES_SHOWN = 5             # findings per kind whose clauses are printed under the table

SHORT_ZH = {                  # the counts' labels, short enough for one line each
    "no_lead": "无牵头单位",
    "several_leads": "多个牵头单位",
    "lead_differs": "牵头单位前后不一",
    "only_supports": "只配合的单位",
    "abolished_unit": "交给已撤并机构",
}
HELP_ZH = {
    "no_lead": "没有单位牵头、却有两个及以上单位负责的任务：人人负责，等于无人负责。",
    "several_leads": "同一项任务有两个及以上牵头单位。",
    "lead_differs": "同一或几乎相同的任务（按字的n元组相似度），在不同文件或年份由不同单位牵头；"
                    "机构改革后由承继单位牵头的不算。",
    "only_supports": "配合两项及以上任务、却从不牵头也不负责的单位。",
    "abolished_unit": "文件日期晚于机构改革，任务仍交给改革中撤并的机构。",
}


def detail_zh(f: Finding) -> str:
    """What is unclear, in the page's words (the CLI's ``detail`` says it in English)."""
    x = f.facts
    if f.kind == "no_lead":
        return f"无牵头单位；{len(x['responsible'])} 个单位负责：" + "、".join(x["responsible"])
    if f.kind == "several_leads":
        return f"{len(x['leads'])} 个牵头单位：" + "、".join(x["leads"])
    if f.kind == "lead_differs":
        return (f"{len(x['by_doc'])} 处相同或相近的表述（相似度不低于 {x['similarity']:.2f}）由不同单位牵头："
                + "；".join(f"{doc}：" + "、".join(units) for doc, units in x["by_doc"]))
    if f.kind == "only_supports":
        return f"配合 {x['support']} 项任务，从不牵头，也不负责"
    roles = "、".join(vw.ROLE_ZH.get(r, r) for r in x["roles"])
    source = f"（{x['source']}）" if x.get("source") else ""
    return f"{x['unit']}（{roles}）见于 {f.date} 的文件；该机构已于 {x['reform_date']} 改为{x['successor']}{source}"


def finding_rows(findings: Sequence[Finding]) -> list[vw.Row]:
    """One row per finding, as the table shows and the CSV holds it."""
    return [{"类型": KIND_ZH[f.kind], "事项": f.subject, "情况": detail_zh(f), "涉及单位": "、".join(f.units),
             "文件": "；".join(dict.fromkeys(p.doc for p in f.evidence)), "日期": f.date or "",
             "原文": " ／ ".join(dict.fromkeys(p.quote for p in f.evidence)),
             "出处": "；".join(dict.fromkeys(f"{p.file}:{p.start}" for p in f.evidence if p.start is not None))}
            for f in findings]


def count_rows(findings: Sequence[Finding]) -> list[vw.Row]:
    n = counts(findings)
    return [{"类型": KIND_ZH[k], "数量": n[k], "_kind": k} for k in KINDS]


def clause_html(f: Finding) -> str:
    """The finding's clauses, each with its units marked by role, and where it is printed."""
    parts = []
    for quote in dict.fromkeys(p.quote for p in f.evidence):
        units = [(p.role, vw.UnitRef(id="", name=p.unit, mention=p.mention or p.unit))
                 for p in f.evidence if p.quote == quote]
        first = next(p for p in f.evidence if p.quote == quote)
        parts.append(f"<div>{vw.evidence_html(quote, units)}<small>{html.escape(first.doc)} · "
                     f"{html.escape(first.file)}:{first.start}</small></div>")
    return "".join(parts)


def render(findings: Sequence[Finding], table: Callable[..., None]) -> None:
    """Counts, then each kind's table and its first findings' clauses."""
    import streamlit as st

    n = counts(findings)
    cols = st.columns(len(KINDS))
    for col, k in zip(cols, KINDS):
        col.metric(SHORT_ZH[k], n[k], help=KIND_ZH[k])
    for k in KINDS:
        of_kind = [f for f in findings if f.kind == k]
        st.subheader(f"{KIND_ZH[k]}（{n[k]}）")
        st.caption(HELP_ZH[k])
        table(finding_rows(of_kind), f"职责不清-{KIND_ZH[k]}", f"insights-{k}", empty="未发现。")
        for f in of_kind[:CLAUSES_SHOWN]:
            st.markdown(f"**{vw.md_escape(vw.task_title(f.subject)[0])}**：{vw.md_escape(detail_zh(f))}")
            st.html(clause_html(f))
        if len(of_kind) > CLAUSES_SHOWN:
            st.caption(f"以上为前 {CLAUSES_SHOWN} 项的原文；全部 {len(of_kind)} 项见表格与 CSV。")
