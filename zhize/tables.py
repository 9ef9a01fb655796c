"""Answers as rows of named columns, and those rows as CSV or Excel: what a coordinator takes away.

The CLI's ``--format csv|xlsx`` and the explorer's downloads write the same
rows, so a 分工表 from ``zhize query document`` and one from the explorer are
the same file.  Column names are Chinese, as the documents are.
"""
from __future__ import annotations

import csv
import html
import io
import re
from typing import Any, Iterable, Optional, Sequence

from zhize.graph.model import TaskOwners, UnitRef

Row = dict[str, Any]

# the 分工表: one row per task, its units by role, where it is printed
TASK_COLUMNS = ("序号", "任务", "牵头单位", "负责单位", "配合单位", "文件", "文件标题", "日期", "原文", "来源文件")


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def plain(text: Optional[str]) -> str:
    """Document text as read, without the HTML a web page or pasted table left in it (``<p>``, ``&nbsp;``)."""
    out, before = text or "", None
    while out != before:                 # <<p>p> and &lt;p&gt; are markup too, once the outer layer is gone
        before, out = out, html.unescape(_TAG.sub("", out))
    return out.replace("\xa0", " ").strip()


def unit_names(units: Iterable[UnitRef]) -> str:
    """Units as a coordinator reads them: canonical names, in print order, once each."""
    return "、".join(dict.fromkeys(u.name or u.mention for u in units))


def task_rows(tasks: Sequence[TaskOwners]) -> list[Row]:
    """One row per task and its role sets (lead, responsible, support), numbered in the given order."""
    return [{"序号": i, "任务": t.task, "牵头单位": unit_names(t.lead), "负责单位": unit_names(t.responsible),
             "配合单位": unit_names(t.support), "文件": t.doc, "文件标题": t.doc_title, "日期": t.date or "",
             "原文": plain(t.evidence.quote), "来源文件": t.evidence.file}
            for i, t in enumerate(tasks, 1)]


def columns_of(rows: Sequence[Row], columns: Optional[Sequence[str]] = None) -> list[str]:
    """The columns to write: those given, else every key in first-seen order; ``_``-keys are internal."""
    cols = list(columns) if columns else list(dict.fromkeys(k for r in rows for k in r))
    return [c for c in cols if not c.startswith("_")]


def _cell(value: Any) -> Any:
    """What a cell holds: no ``None`` (an empty cell), lists joined as the page shows them."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


def to_csv(rows: Sequence[Row], columns: Optional[Sequence[str]] = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese correctly."""
    cols = columns_of(rows, columns)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: _cell(r.get(c)) for c in cols})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Row], columns: Optional[Sequence[str]] = None, sheet: str = "分工表") -> bytes:
    """One sheet, the header row bold and frozen, long text wrapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    cols = columns_of(rows, columns)
    book = Workbook()
    ws = book.active
    ws.title = _sheet_name(sheet)
    ws.append(cols)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append([_cell(r.get(c)) for c in cols])
    ws.freeze_panes = "A2"
    for i, col in enumerate(cols, 1):
        longest = max([len(str(col))] + [len(str(_cell(r.get(col)))) for r in rows[:200]])
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = min(60, max(6, longest * 2 + 2))
        if longest > 30:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sheet_name(name: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in name).strip() or "Sheet"
    return cleaned[:31]
