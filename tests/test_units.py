"""Unit lists as printed, to the units they name."""
from __future__ import annotations

import pytest

from extract.units import split_units


@pytest.mark.parametrize("printed, units", [
    ("省发展改革委、财政厅", ["省发展改革委", "省财政厅"]),
    ("省委组织部、宣传部", ["省委组织部", "省委宣传部"]),
    ("省委宣传部、教育厅、网信办", ["省委宣传部", "省教育厅", "省委网信办"]),
    ("各州、市人民政府", ["各州、市人民政府"]),
    ("省文化厅，各州、市人民政府", ["省文化厅", "各州、市人民政府"]),
    ("丽江市、红河州和普洱市人民政府", ["丽江市人民政府", "红河州人民政府", "普洱市人民政府"]),
    ("省发展改革委(省物价局、能源局),各州、市人民政府", ["省发展改革委", "省物价局", "省能源局", "各州、市人民政府"]),
    ("各级公安、统计、调查部门", ["各级公安部门", "各级统计部门", "各级调查部门"]),
    ("团省委、省妇联、省残联", ["团省委", "省妇联", "省残联"]),
    ("省商务厅,昆明海关、云南出入境检验检疫局", ["省商务厅", "昆明海关", "云南出入境检验检疫局"]),
    ("州财政局、人民银行红河州中心支行、银保监局红河分局", ["州财政局", "人民银行红河州中心支行", "银保监局红河分局"]),
    ("州工业和信息化局、州农业农村局等部门", ["州工业和信息化局", "州农业农村局"]),
    ("州物流保通保畅工作领导小组成员单位等州级部门", ["州物流保通保畅工作领导小组成员单位"]),
    ("楚雄彝族自治州财政局、教育局", ["楚雄彝族自治州财政局", "楚雄彝族自治州教育局"]),
    ("省公\u3000安厅、省民 政厅", ["省公安厅", "省民政厅"]),
])
def test_shared_prefixes_and_suffixes_expand(printed, units):
    assert [u.name for u in split_units(printed)] == units


def test_generic_bodies_are_marked():
    got = {u.name: u.generic for u in split_units("州级有关部门、各县市人民政府、省妇儿工委各成员单位、有关州、市人民政府")}
    assert got == {"州级有关部门": True, "各县市人民政府": False, "省妇儿工委各成员单位": True, "有关州、市人民政府": True}


def test_offsets_point_at_the_printed_item():
    text = "（省教育厅、文化厅牵头）"
    units = split_units(text[1:9], offset=1)
    assert [text[u.start:u.end] for u in units] == ["省教育厅", "文化厅"]
