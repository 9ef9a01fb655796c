"""Duty clauses and tables: real-shaped sentences in, exact (task, unit, role) facts out."""
from __future__ import annotations

from zhize.extract.pipeline import extract_text
from zhize.extract.types import RawText

HEAD = "云南省人民政府办公厅关于印发示范工作方案的通知\n\n云政办发〔2024〕12号\n\n各州、市人民政府，省直各委、办、厅、局：\n\n"


def duties(body: str, head: str = HEAD) -> list[tuple[str, str, str]]:
    result = extract_text(RawText("notice.txt", head + body, "utf-8"))
    return [(f.task, f.unit, f.role) for f in result.facts if f.kind == "duty"]


def units(body: str, head: str = HEAD) -> list[tuple[str, str]]:
    return [(u, r) for _, u, r in duties(body, head)]


def test_responsible_and_supporting_units_in_a_closing_bracket():
    got = duties("（二）教育领域。落实义务教育法。（省教育厅、省公安厅负责，省检察院、省民政厅配合）\n")
    assert got == [("（二）教育领域。落实义务教育法。", "省教育厅", "responsible"),
                   ("（二）教育领域。落实义务教育法。", "省公安厅", "responsible"),
                   ("（二）教育领域。落实义务教育法。", "省检察院", "support"),
                   ("（二）教育领域。落实义务教育法。", "省民政厅", "support")]


def test_half_width_brackets_and_semicolons_with_lead_and_assist():
    assert units("1. 推进文物保护。(省文化厅牵头;省财政厅、省人力资源社会保障厅协助)\n") == [
        ("省文化厅", "lead"), ("省财政厅", "support"), ("省人力资源社会保障厅", "support")]


def test_labelled_clause_with_commas_inside_the_unit_list():
    assert units("（三）打造文旅品牌。（牵头单位：州文化和旅游局；责任单位：州财政局，各县市人民政府）\n") == [
        ("州文化和旅游局", "lead"), ("州财政局", "responsible"), ("各县市人民政府", "responsible")]


def test_lead_then_units_doing_the_work_with_deng():
    assert units("（四）清欠活企。（州工业和信息化局牵头，州外办、各县市人民政府等具体负责）\n") == [
        ("州工业和信息化局", "lead"), ("州外办", "responsible"), ("各县市人民政府", "responsible")]


def test_by_division_of_duties_is_responsible_and_generic():
    got = extract_text(RawText("n.txt", HEAD + "（五）严格执法。（各有关部门按职责分工负责）\n", "utf-8"))
    (fact,) = [f for f in got.facts if f.kind == "duty"]
    assert (fact.unit, fact.role, fact.generic) == ("各有关部门", "responsible", True)


def test_shared_prefix_expands_inside_a_clause():
    assert units("（六）加强普法。（省文化厅牵头；省委组织部、宣传部，各州、市人民政府配合）\n") == [
        ("省文化厅", "lead"), ("省委组织部", "support"), ("省委宣传部", "support"), ("各州、市人民政府", "support")]


def test_clause_broken_across_pdf_lines_is_read_whole():
    body = "（七）婚姻登记。规范婚姻登记管理。（省民政厅负责，省公\n\n安厅、省妇联配合）\n"
    assert units(body) == [("省民政厅", "responsible"), ("省公安厅", "support"), ("省妇联", "support")]


def test_clause_standing_alone_after_numbered_items_covers_the_section_with_its_heading():
    body = ("（四）保障随迁子女受教育权利\n\n1. 落实随迁子女教育政策。各级政府要保障入学。\n\n"
            "2. 增加教育资源供给。扩大公办学位。\n\n（省教育厅、财政厅牵头；省编办协助）\n\n（五）完善医疗保障\n")
    got = duties(body)
    assert {u for _, u, _ in got} == {"省教育厅", "省财政厅", "省编办"}
    for task, _, _ in got:
        assert task.startswith("（四）保障随迁子女受教育权利") and "2.增加教育资源供给" in task


def test_labelled_line_after_an_item_covers_the_item():
    body = "一、实施脱贫攻坚工程\n\n主要内容：实现贫困县脱贫摘帽。\n\n主办单位：省乡村振兴局，各州、市人民政府\n\n二、推进农村公路建设\n"
    got = duties(body)
    assert [(u, r) for _, u, r in got] == [("省乡村振兴局", "responsible"), ("各州、市人民政府", "responsible")]
    assert all(t.startswith("一、实施脱贫攻坚工程") for t, _, _ in got)


def test_x_is_responsible_for_y_lists_each_unit_once_and_a_second_role_for_the_same_subject():
    body = "（一）加强管控。（省安全监管局负责生产企业；省交通运输厅负责运输企业，牵头负责落实电子运单；省公安厅负责流向管控。2018年3月底前完成）\n"
    assert units(body) == [("省安全监管局", "responsible"), ("省交通运输厅", "responsible"),
                           ("省交通运输厅", "lead"), ("省公安厅", "responsible")]


def test_first_listed_rule_makes_the_first_unit_lead_for_the_rest_of_the_document():
    body = ("序号\t工作任务\t责任单位\n"
            "1\t对符合条件的困境儿童进行救助\t省民政厅、财政厅(列首位的为牵头单位,下同)\n"
            "2\t<p>开展教育救助</p>\t<p>省教育厅、民政厅,省残联</p>\n"
            "\n（三）强化宣传。（省妇儿工委各成员单位负责）\n")
    assert duties(body) == [
        ("对符合条件的困境儿童进行救助", "省民政厅", "lead"), ("对符合条件的困境儿童进行救助", "省财政厅", "responsible"),
        ("开展教育救助", "省教育厅", "lead"), ("开展教育救助", "省民政厅", "responsible"), ("开展教育救助", "省残联", "responsible"),
        ("（三）强化宣传。", "省妇儿工委各成员单位", "lead")]


def test_table_with_lead_and_support_columns():
    body = "序号\t重点任务\t牵头单位\t配合单位\n1\t建设口岸物流园区\t州商务局\t州发展改革委、州财政局\n"
    assert duties(body) == [("建设口岸物流园区", "州商务局", "lead"), ("建设口岸物流园区", "州发展改革委", "support"),
                            ("建设口岸物流园区", "州财政局", "support")]


def test_person_in_charge_is_not_a_role_word_but_is_reported():
    got = extract_text(RawText("n.txt", HEAD + "（二）专案侦办。由县级以上公安机关负责人担任专案组组长。（省公安厅负责）\n", "utf-8"))
    assert [(f.unit, f.role) for f in got.facts if f.kind == "duty"] == [("省公安厅", "responsible")]


def test_bracket_with_a_role_word_but_no_units_is_reported_unparsed_not_dropped():
    got = extract_text(RawText("n.txt", HEAD + "（八）落实责任。（各地要明确专人负责）\n", "utf-8"))
    assert not [f for f in got.facts if f.kind == "duty"]
    assert [u.line for u in got.unparsed] == [7]


def test_offsets_point_at_the_clause_in_the_file_as_read():
    text = HEAD + "（二）教育领域。落实义务教育法。（省教育厅负责，省\n\n公安厅配合）\n"
    got = extract_text(RawText("n.txt", text, "utf-8"))
    fact = next(f for f in got.facts if f.kind == "duty")
    quoted = text[fact.source.start:fact.source.end]
    assert quoted.startswith("（省教育厅负责") and quoted.endswith("公安厅配合）")
    assert fact.evidence == "（省教育厅负责，省公安厅配合）"


def test_table_extracted_one_character_per_line_is_read_as_rows():
    cells = [["序号"], ["工作任务"], ["责任单位"], ["1"], ["建设智慧商圈"], ["省商务厅、省工业和信息化厅"]]
    vertical = "\n\n".join("\n".join(cell[0]) for cell in cells) + "\n"
    assert duties(vertical) == [("建设智慧商圈", "省商务厅", "responsible"), ("建设智慧商圈", "省工业和信息化厅", "responsible")]


def test_vertical_table_offsets_point_at_the_characters():
    vertical = "\n\n".join("\n".join(c) for c in ["序号", "工作任务", "责任单位", "1", "建设智慧商圈", "省商务厅"]) + "\n"
    text = HEAD + vertical
    got = extract_text(RawText("n.txt", text, "utf-8"))
    (fact,) = [f for f in got.facts if f.kind == "duty"]
    assert "".join(text[fact.source.start:fact.source.end].split()) == "1建设智慧商圈省商务厅"


def test_every_fact_has_its_evidence_as_a_span_of_the_spacy_doc():
    from zhize.extract.pipeline import run
    (doc,) = run(RawText("n.txt", HEAD + "（一）规范登记。加强管理。（省民政厅负责，省公安厅配合）\n", "utf-8"))
    spans = {(s.label_, s.text) for s in doc.spans["evidence"]}
    assert spans == {("duty", "（省民政厅负责，省公安厅配合）")}
    assert doc.text.startswith("云南省人民政府办公厅关于印发示范工作方案的通知")
    assert len(doc._.facts) == 2


def test_two_clauses_in_one_paragraph_each_take_the_text_before_them():
    got = duties("（一）做好救助。加强街面巡查。（省民政厅负责）严厉打击拐卖行为。（省公安厅负责）\n")
    assert got == [("（一）做好救助。加强街面巡查。", "省民政厅", "responsible"), ("严厉打击拐卖行为。", "省公安厅", "responsible")]


def test_a_city_notice_from_another_province_reads_the_same_way():
    head = "成都市人民政府办公厅关于印发促进夜间经济发展若干措施的通知\n\n成办发〔2023〕8 号\n\n各区（市）县政府，市政府各部门：\n\n"
    body = ("一、丰富夜间消费业态\n\n（一）打造夜间消费地标。支持建设夜间经济集聚区。（责任单位：市商务局、市文广旅局，各区（市）县政府）\n\n"
            "二、保障措施\n\n1.强化组织领导。建立工作协调机制。\n\n2.加强考核评估。纳入目标考核。\n\n（市商务局、市委宣传部、财政局按职责分工负责）\n")
    got = duties(body, head)
    assert [(u, r) for _, u, r in got] == [
        ("市商务局", "responsible"), ("市文广旅局", "responsible"), ("各区（市）县政府", "responsible"),
        ("市商务局", "responsible"), ("市委宣传部", "responsible"), ("市财政局", "responsible")]
    assert got[-1][0].startswith("二、保障措施") and "2.加强考核评估" in got[-1][0]
    result = extract_text(RawText("cd.txt", head + body, "utf-8"))
    assert result.documents[0].doc == "成办发〔2023〕8号" and result.documents[0].issuer == "成都市人民政府办公厅"


def test_a_clause_closing_an_items_paragraph_covers_that_item_when_the_layout_says_so():
    body = ("三、保障措施\n\n（一）加强组织领导。成立工作领导小组，统筹推进各项工作。\n\n"
            "（二）强化督查考核。将营商环境工作纳入年度考核。（州委督查室、州政府督查室负责）\n")
    assert {t for t, _, _ in duties(body)} == {"（二）强化督查考核。将营商环境工作纳入年度考核。"}


def test_a_table_row_without_units_is_reported_not_dropped():
    body = "序号\t工作任务\t责任单位\n1\t建设口岸物流园区\t待定\n"
    got = extract_text(RawText("n.txt", HEAD + body, "utf-8"))
    assert not [f for f in got.facts if f.kind == "duty"]
    assert [(u.line, u.reason) for u in got.unparsed] == [(8, "table row under a duty header without units")]
