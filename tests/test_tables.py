"""The rows a coordinator takes away (zhize.tables): CSV that Excel reads, Excel files, quotes without markup."""
from __future__ import annotations

import csv
import io

from hypothesis import given, strategies as st
from openpyxl import load_workbook

from zhize.tables import plain, to_csv, to_xlsx

ROWS = [{"序号": 1, "任务": "加强反拐宣传教育。", "牵头单位": "", "配合单位": None, "_id": "task:1"},
        {"序号": 2, "任务": "做好安置工作。", "牵头单位": "云南省民政厅", "配合单位": ["省公安厅", "省妇联"], "_id": "task:2"}]


def test_csv_has_a_bom_no_private_columns_and_empty_cells_for_nothing():
    data = to_csv(ROWS)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["序号", "任务", "牵头单位", "配合单位"]
    assert rows[0]["配合单位"] == "" and rows[1]["配合单位"] == "省公安厅、省妇联"


def test_excel_has_the_same_cells_under_a_bold_frozen_header(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(to_xlsx(ROWS, sheet="分工表-云政办函〔2017〕17号/[附件]:*?"))
    book = load_workbook(path)
    ws = book.active
    assert len(ws.title) <= 31 and not set(ws.title) & set("[]:*?/\\")
    assert [c.value for c in ws[1]] == ["序号", "任务", "牵头单位", "配合单位"] and ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[3]] == [2, "做好安置工作。", "云南省民政厅", "省公安厅、省妇联"]
    assert ws["D2"].value in (None, "")


def test_a_quote_pasted_from_a_web_page_reads_without_its_markup():
    assert plain("<p>依托儿童福利机构</p>\t<p>省民政厅,省妇儿工委办公室</p>") == "依托儿童福利机构\t省民政厅,省妇儿工委办公室"
    assert plain("（省公安厅牵头&nbsp;，省妇联配合）") == "（省公安厅牵头\xa0，省妇联配合）".replace("\xa0", " ")
    assert plain("a < b 且 c > d") == "a < b 且 c > d"          # comparisons are text, not tags
    assert plain("<<p>p>任务&lt;br&gt;") == "任务"


@given(st.text(alphabet="<>/pPbrBR 省公安厅&;nbsplgt", max_size=40))
def test_plain_never_leaves_a_tag(text):
    out = plain(text)
    assert "<p>" not in out and "</p>" not in out and "<br>" not in out
