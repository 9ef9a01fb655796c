"""Readers: a PDF, a Word file, a web page and plain text, each chosen by content, each to text with offsets.

Every document here is made by the test from sentences we write: PDFs are
typeset with reportlab and Debian's WenQuanYi font, Word files with
python-docx.
"""
from __future__ import annotations

import io
import zipfile

import pytest

from layouts import docx_from_text, pdf_from_text, require_font
from zhize.extract.reading import InputError, detect, read_bytes, read_file

CLAUSE = "（一）加强婚姻登记管理。（省民政厅负责，省公安厅、省妇联配合）"
TITLE = "云南省人民政府办公厅关于加强婚姻登记管理工作的通知"


# --- PDF ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def font():
    require_font()


def test_a_pdfs_text_layer_reads_character_for_character_with_its_layout(font):
    text = f"{TITLE}\n\n滇示政办发〔2024〕3号\n\n{CLAUSE}\n\n序号\t工作任务\t责任单位\n1\t婚姻登记\t省民政厅\n"
    raw = read_bytes("notice.pdf", pdf_from_text(text))
    assert raw.format == "pdf" and raw.pages == (0,)
    lines = raw.text.split("\n")
    assert lines[:5] == [TITLE, "", "滇示政办发〔2024〕3号", "", CLAUSE]     # blank lines from the white space
    assert "序号\t工作任务\t责任单位" in lines and "1\t婚姻登记\t省民政厅" in lines   # columns as tabs
    assert lines[-1] == "— 1 —"                                                # page furniture is left as printed


def test_each_page_starts_where_the_reader_says(font):
    lines = [f"第{i}行：加强婚姻登记管理。" for i in range(1, 13)]
    raw = read_bytes("long.pdf", pdf_from_text("\n".join(lines), lines_per_page=5, page_numbers=False))
    assert len(raw.pages) == 3
    assert raw.text[raw.pages[1]:].startswith("第6行") and raw.text[raw.pages[2]:].startswith("第11行")
    assert raw.page_at(raw.text.index("第7行")) == 2 and raw.page_at(0) == 1


def _image_pdf(pages_with_text: tuple[bool, ...]) -> bytes:
    """A scan: pages that are only a picture; ``True`` marks a page that has a text line too."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from layouts import make_samples

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", make_samples.cjk_font(), subfontIndex=0))
    picture = Image.new("L", (200, 280), 255)
    ImageDraw.Draw(picture).rectangle((20, 20, 180, 60), fill=0)      # a "line of print", as pixels
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    for has_text in pages_with_text:
        c.drawImage(ImageReader(picture), 50, 300, 400, 500)
        if has_text:
            c.setFont("WQY", 12)
            c.drawString(72, 800, CLAUSE)
        c.showPage()
    c.save()
    return out.getvalue()


def test_a_scanned_pdf_says_it_has_no_text_layer(font):
    with pytest.raises(InputError) as err:
        read_bytes("scan.pdf", _image_pdf((False, False)))
    assert "scanned PDF" in err.value.reason and "2 page(s)" in err.value.reason and "OCR" in err.value.reason


def test_a_pdf_with_some_scanned_pages_is_read_and_names_them(font):
    raw = read_bytes("mixed.pdf", _image_pdf((True, False, False)))
    assert CLAUSE in raw.text
    assert raw.warnings == ("page(s) 2–3 are images with no text layer (scanned?); their text is missing",)


def test_an_encrypted_pdf_asks_for_an_unprotected_copy(font):
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt="secret")
    c.drawString(72, 800, "locked")
    c.showPage()
    c.save()
    with pytest.raises(InputError, match="encrypted PDF"):
        read_bytes("locked.pdf", out.getvalue())


def test_a_damaged_pdf_is_named_as_such(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02\x03\xff\xfe\x00\x00binary" * 50)
    with pytest.raises(InputError) as err:
        read_file(path)
    assert err.value.file == str(path) and "damaged PDF" in err.value.reason


# --- Word -----------------------------------------------------------------------------------

def test_a_word_file_gives_paragraphs_as_lines_and_tables_as_tab_separated_rows():
    text = f"{TITLE}\n滇示政办发〔2024〕3号\n{CLAUSE}\n序号\t工作任务\t责任单位\n1\t<p>婚姻登记</p>\t省民政厅、省公安厅\n结尾"
    raw = read_bytes("notice.docx", docx_from_text(text))
    assert raw.format == "docx" and raw.encoding == "docx"
    assert raw.text == (f"{TITLE}\n滇示政办发〔2024〕3号\n{CLAUSE}\n序号\t工作任务\t责任单位\n"
                        "1\t婚姻登记\t省民政厅、省公安厅\n结尾\n")


def test_merged_word_cells_are_written_once_across_and_repeated_down():
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "工作任务", "牵头单位"], ["1", "婚姻登记", "省民政厅"], ["2", "收养登记", ""]]):
        for k, cell in enumerate(row):
            t.cell(r, k).text = cell
    t.cell(0, 0).merge(t.cell(0, 1)).text = "任务"        # a header across two columns
    t.cell(1, 2).merge(t.cell(2, 2))                     # one lead unit for both tasks
    t.cell(1, 2).paragraphs[0].add_run("")               # keep the cell text as set
    buf = io.BytesIO()
    d.save(buf)
    rows = read_bytes("merged.docx", buf.getvalue()).text.splitlines()
    assert rows[0] == "任务\t牵头单位"
    assert rows[1] == "1\t婚姻登记\t省民政厅" and rows[2] == "2\t收养登记\t省民政厅"


def test_a_word_file_with_no_text_and_a_damaged_one_are_named():
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(InputError, match="Word file with no text"):
        read_bytes("empty.docx", buf.getvalue())
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<not xml")
    with pytest.raises(InputError, match="damaged Word file"):
        read_bytes("broken.docx", broken.getvalue())


# --- HTML -------------------------------------------------------------------------------------

PAGE = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>通知</title></head>'
        f"<body><p>{CLAUSE}</p><p>指挥长由王喆担任。</p></body></html>")


def test_a_web_page_is_decoded_as_it_declares_and_left_as_markup():
    raw = read_bytes("page.htm", PAGE.encode("gb18030"))      # 喆 is GBK, outside GB2312: decoded all the same
    assert raw.format == "html" and raw.encoding == "gb18030"
    assert raw.text == PAGE                                   # offsets point into the page as saved


def test_a_web_page_with_a_utf8_meta_charset_and_one_without_a_name_are_html():
    page = PAGE.replace("text/html; charset=gb2312", "text/html; charset=utf-8")
    assert read_bytes("page.html", page.encode("utf-8")).text == page
    raw = read_bytes("download", ("<!DOCTYPE html>\n" + page).encode("utf-8"))
    assert raw.format == "html"


def test_a_page_that_lies_about_its_charset_is_read_and_says_so():
    page = PAGE.replace("gb2312", "utf-8")
    raw = read_bytes("page.html", page.encode("gb18030"))
    assert raw.text == page and "declares charset utf-8" in raw.warnings[0]


# --- chosen by content ------------------------------------------------------------------------

def test_the_reader_follows_the_content_not_the_name(font):
    raw = read_bytes("notice.txt", pdf_from_text(CLAUSE))
    assert raw.format == "pdf" and CLAUSE in raw.text
    assert raw.warnings[0] == "is named .txt but holds PDF; read as PDF"
    assert read_bytes("notice.pdf", CLAUSE.encode("utf-8")).format == "text"


@pytest.mark.parametrize("data, reason", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Word 97-2003"),
    (b"{\\rtf1\\ansi hello}", "RTF document"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "is an image"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 100, "compressed archive"),
])
def test_formats_zhize_does_not_read_are_refused_by_name(data, reason):
    with pytest.raises(InputError, match=reason):
        read_bytes("file.bin", data)


@pytest.mark.parametrize("member, fmt", [
    ("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("OFD.xml", "ofd"), ("notes.txt", "zip"),
])
def test_zip_based_formats_are_told_apart(member, fmt):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, "x")
    assert detect(buf.getvalue(), "file") == fmt


def test_every_read_carries_the_digest_of_the_bytes(tmp_path):
    import hashlib

    path = tmp_path / "notice.txt"
    path.write_bytes(CLAUSE.encode("gb18030"))
    assert read_file(path).sha256 == hashlib.sha256(CLAUSE.encode("gb18030")).hexdigest()
