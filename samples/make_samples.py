"""Make the samples in the forms users have documents in: a PDF bulletin, a Word file, a saved web page.

    .venv/bin/python samples/make_samples.py [OUT_DIR]      (make samples)

Every text here is invented for the project (numbers carry 示, as in
sample_bulletin.txt); nothing is downloaded or copied.  The layouts are the
ones offices produce: the PDF is typeset with a CJK font from Debian's
fonts-wqy-microhei, hard-wrapped to the page, with page numbers at the foot
(``— 1 —``) and tables set in columns; the Word file has real paragraphs and
a real table; the web page is GB2312-declared HTML with navigation and a
metadata block, as provincial sites serve them.  The output is byte for byte
the same on every run (no timestamps), and tests/test_samples.py checks the
committed files are what this script makes.

``pdf_from_text`` and ``docx_from_text`` are also how the tests lay out
sample_bulletin.txt to check a PDF and a Word file give the facts its text does.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT_PACKAGE = "fonts-wqy-microhei"
FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc")


# --- layouts ------------------------------------------------------------------------------

def cjk_font() -> str:
    """The path of WenQuanYi Micro Hei (Debian's fonts-wqy-microhei), or an error saying how to get it."""
    for p in FONT_PATHS:
        if Path(p).exists():
            return p
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "WenQuanYi Micro Hei"], capture_output=True,
                               text=True, check=False).stdout.strip()
    except OSError:
        found = ""
    if found.endswith((".ttc", ".ttf")) and "wqy" in found.lower():
        return found
    raise FileNotFoundError(f"no CJK font: install Debian's {FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")


def pdf_from_text(text: str, size: float = 11, chars_per_line: int = 0, page_numbers: bool = True,
                  lines_per_page: int = 40) -> bytes:
    """``text`` typeset as an A4 PDF, line by line, the way a bulletin is printed.

    A blank line is a line of white space; a line with tabs is a table row, its
    cells set in columns; a line longer than ``chars_per_line`` (0: what fits
    the page) is wrapped; each page has its number at the foot (``— 3 —``).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", cjk_font(), subfontIndex=0))
    width, height = A4
    margin, leading = 72, size * 1.6
    fits = int((width - 2 * margin) // size)
    wrap = chars_per_line or fits
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.setTitle("zhize sample")
    page, row = 1, 0

    def new_page() -> None:
        nonlocal page, row
        if page_numbers:
            c.setFont("WQY", size)
            c.drawCentredString(width / 2, margin / 2, f"— {page} —")
        c.showPage()
        page, row = page + 1, 0

    def draw(line: str, columns: list[float]) -> None:
        nonlocal row
        if row >= lines_per_page:
            new_page()
        if line:
            c.setFont("WQY", size)
            for x, cell in zip(columns, line.split("\t")):
                c.drawString(x, height - margin - row * leading, cell)
        row += 1

    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\t" in line:
            draw(line, _columns(lines, i, margin, size, pdfmetrics))
            continue
        for start in range(0, max(len(line), 1), wrap):
            draw(line[start:start + wrap], [margin])
    new_page()
    c.save()
    return out.getvalue()


def _columns(lines: list[str], i: int, margin: float, size: float, metrics) -> list[float]:
    """Where the cells of table row ``i`` start: each column as wide as its widest cell in the table."""
    start = i
    while start > 0 and "\t" in lines[start - 1]:
        start -= 1
    end = i
    while end < len(lines) and "\t" in lines[end]:
        end += 1
    rows = [line.split("\t") for line in lines[start:end]]
    widths = [max(metrics.stringWidth(r[k], "WQY", size) if k < len(r) else 0 for r in rows)
              for k in range(max(map(len, rows)))]
    xs, x = [], margin
    for w in widths:
        xs.append(x)
        x += w + 2 * size
    return xs


_TAGS = re.compile(r"</?p>")


def docx_from_text(text: str, paragraphs: str = "lines") -> bytes:
    """``text`` as a Word file: runs of lines with tabs become a table (cells without markup), the rest paragraphs.

    ``paragraphs="lines"``: one paragraph a line, blank lines as empty
    paragraphs (the layout of a file typed line by line); ``"blocks"``: one
    paragraph per block of lines between blank lines, as Word users write.
    """
    import docx

    document = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            rows = [[_TAGS.sub("", cell) for cell in line.split("\t")] for line in lines[i:j]]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for k, cell in enumerate(cells):
                    table.cell(r, k).text = cell
            i = j
            continue
        if paragraphs == "blocks":
            j = i
            while j < len(lines) and lines[j].strip() and "\t" not in lines[j]:
                j += 1
            if j > i:
                document.add_paragraph("".join(lines[i:j]))
            i = max(j, i + 1)
            continue
        document.add_paragraph(lines[i])
        i += 1
    return _reproducible(document)


def _reproducible(document) -> bytes:
    """The .docx bytes without the time of making: fixed document dates and ZIP entry times."""
    from datetime import datetime

    props = document.core_properties
    props.author = "zhize"
    props.created = props.modified = datetime(2024, 1, 1)
    props.last_modified_by = "zhize"
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- the invented documents ------------------------------------------------------------------

NOTICE_PDF = """红河州人民政府公报（示例）

红河州人民政府办公室关于印发红河州农村供水保障三年行动方案的通知

红示政办发〔2024〕15号

各县市人民政府，州直各部门：

　　《红河州农村供水保障三年行动方案》已经州人民政府同意，现印发给你们，请认真组织实施。

一、重点任务

（一）实施水源保护工程。划定农村集中式饮用水水源保护区，开展水源地环境问题排查整治，确保水源水质达标。（州生态环境局牵头，州水利局、州自然资源和规划局配合）

（二）推进规模化供水。以县为单元推进城乡供水一体化，新建和改造一批规模化供水工程。（州水利局、州发展改革委负责）

（三）强化水质检测。健全县级水质检测中心，每季度开展一次水质检测并向社会公布。（牵头单位：州卫生健康委；配合单位：州水利局）

二、任务分工

序号	工作任务	牵头单位	配合单位
1	建立农村供水工程运行管护机制	州水利局	州财政局
2	落实农村供水工程用地保障	州自然资源和规划局	各县市人民政府

三、组织保障

成立红河州农村供水保障工作领导小组，组成人员如下：

组　长：杨　明　州人民政府副州长

副组长：何丽华　州人民政府副秘书长

成　员：张永福　州水利局局长

　　　　刘　洋　州财政局局长

领导小组办公室设在州水利局，办公室主任由张永福同志兼任。

红河州人民政府办公室

2024年7月8日
"""

MEASURES_DOCX = """云南省人民政府办公厅关于印发云南省促进家政服务业提质扩容若干措施的通知

滇示政办发〔2024〕30号

各州、市人民政府，省直各委、办、厅、局：

《云南省促进家政服务业提质扩容若干措施》已经省人民政府同意，现印发给你们，请结合实际认真贯彻落实（列首位的为牵头单位）。

一、加强家政从业人员培训。支持职业院校开设家政服务相关专业，每年培训家政从业人员1万人次以上。（省人力资源社会保障厅、省教育厅，省商务厅负责）

二、推进家政服务信用建设。建立家政服务人员信用档案，推动家政企业信用信息公开。（牵头单位：省商务厅；责任单位：省发展改革委、省市场监管局）

三、重点任务分工

序号	工作任务	责任单位
1	落实家政企业税费优惠政策	省税务局、省财政厅
2	开展家政服务质量提升行动	省市场监管局、省商务厅

云南省人民政府办公厅

2024年8月12日
"""

PAGE_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>楚雄州人民政府办公室关于做好2024年防汛抗旱工作的通知（示例）</title>
</head>
<body>
<div class="nav"><a href="#">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">政府文件</a></div>
<table class="meta">
<tr><td>发文字号：</td><td>楚示政办发〔2024〕9号</td><td>成文日期：</td><td>2024年05月20日</td></tr>
<tr><td>发布机构：</td><td>楚雄州人民政府办公室</td><td>主题分类：</td><td>水利</td></tr>
</table>
<div class="content">
<p align="center">楚雄州人民政府办公室关于做好2024年防汛抗旱工作的通知</p>
<p align="center">楚示政办发〔2024〕9号</p>
<p>各县市人民政府，州直有关部门：</p>
<p>　　为切实做好2024年防汛抗旱工作，保障人民群众生命财产安全，现就有关事项通知如下：</p>
<p>　　一、落实防汛责任。各县市要层层落实以行政首长负责制为核心的防汛责任制，明确各类水利工程的防汛责任人。（州水务局、州应急局负责）</p>
<p>　　二、加强监测预警。密切关注天气变化，及时发布暴雨、山洪等预警信息。（州气象局牵头，州水务局、州自然资源和规划局配合）</p>
<p>　　三、成立州防汛抗旱指挥部，指挥长由州人民政府分管副州长王喆担任，办公室设在州应急局。</p>
<p align="right">楚雄州人民政府办公室</p>
<p align="right">2024年5月20日</p>
</div>
<div class="footer">主办：楚雄州人民政府办公室（示例）　　网站标识码：示例</div>
</body>
</html>
"""

SAMPLES = {
    "sample_notice.pdf": lambda: pdf_from_text(NOTICE_PDF, lines_per_page=30),
    "sample_measures.docx": lambda: docx_from_text(MEASURES_DOCX, paragraphs="blocks"),
    "sample_page.html": lambda: PAGE_HTML.encode("gb18030"),   # only GB2312 characters but 喆 (GBK): as such sites do
}


def main(out: Path = HERE) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SAMPLES.items():
        (out / name).write_bytes(make())
        print(f"{out / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
