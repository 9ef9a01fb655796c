"""Reading: every encoding bulletins come in; bad input named with its reason."""
from __future__ import annotations

import codecs

import pytest

from zhize.extract.reading import InputError, read_file

SENTENCE = "加强婚姻登记管理。（省民政厅负责，省公安厅、省妇联配合）\n"


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("gb18030", b""),
    ("gbk", b""),
])
def test_every_common_encoding_reads_to_the_same_text(tmp_path, encoding, prefix):
    path = tmp_path / "notice.txt"
    path.write_bytes(prefix + SENTENCE.encode(encoding))
    assert read_file(path).text == SENTENCE


def test_utf16_without_bom_is_detected(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(("Notice 2024\n" + SENTENCE).encode("utf-16-le"))
    assert read_file(path).text.endswith(SENTENCE)


def test_empty_file_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(InputError) as err:
        read_file(path)
    assert "empty.txt" in str(err.value) and "empty" in err.value.reason


def test_binary_file_is_an_error(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x13\x00\x01\x02\x03\xff\xfe\x00\x00binary" * 50)
    with pytest.raises(InputError) as err:
        read_file(path)
    assert "binary" in err.value.reason


def test_missing_file_and_directory_are_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_file(tmp_path)
