"""Labelled fields of the 信息公开 metadata block, on the real pages of each platform."""

from __future__ import annotations

import pytest
from w3lib.encoding import html_to_unicode

from detectors.expired_document import FIELD_LABELS as VALIDITY_LABELS
from detectors.labelled_fields import labelled_values
from detectors.late_publication import FIELD_LABELS
from detectors.page import parse_html
from tests.page_corpus import page_bytes


def fields(page_id: str, labels=FIELD_LABELS) -> dict[str, str]:
    _, text = html_to_unicode(None, page_bytes(page_id))
    return labelled_values(parse_html(text.encode()), labels)


def test_govcn_table_label_cell_and_value_cell():
    found = fields("200")
    assert found["issued"] == "2018年12月21日"
    assert found["published"] == "2018年12月29日"
    assert found["number"] == "国发〔2018〕43号"
    assert found["title"].startswith("国务院关于在海南博鳌乐城")


def test_hanweb_table():
    found = fields("030")
    assert (found["issued"], found["published"]) == ("2020-12-29", "2020-12-29 11:07")


def test_trs_strong_labels_and_a_commented_out_issue_date():
    found = fields("018")
    assert found["published"] == "2020年08月02日"
    assert "issued" not in found  # <!--<p><strong>成文日期</strong>：…</p>--> is not on the page
    assert found["number"] == "无"


def test_jiangxi_intensive_platform_visible_date():
    assert fields("033") == {"published": "2017-05-15 10:49:00"}


@pytest.mark.parametrize("page_id", ["017", "020"])
def test_a_list_header_row_is_not_a_field(page_id):
    found = fields(page_id)
    assert not found.get("title")
    assert "issued" not in found


def test_no_validity_fields_where_none_are_shown():
    for page_id in ("018", "030", "033", "200"):
        assert not {"status", "valid_until"} & fields(page_id, VALIDITY_LABELS).keys()
