"""``make_evidence``: loose input checked against the catalog, errors in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from credit_tui.scoring import Evidence, EvidenceError, FieldError, load_catalog, make_evidence

CAT = load_catalog()
TODAY = date(2024, 6, 15)


def _good(**overrides: object) -> dict[str, object]:
    """A valid 6.2 record (single component), changed by ``overrides``."""
    data: dict[str, object] = {
        "indicator": "6.2",
        "date": "2024-05-03",
        "department": "法规科",
        "title": "组织企业信用培训",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _errors(data: dict[str, object], **kwargs: object) -> list[FieldError]:
    with pytest.raises(EvidenceError) as info:
        make_evidence(CAT, data, **kwargs)
    errors = info.value.errors
    assert errors, "EvidenceError without errors"
    for err in errors:
        assert isinstance(err, FieldError)
    return errors


def _error(data: dict[str, object], field: str) -> FieldError:
    """The one error for ``field`` (there must be exactly one)."""
    errors = _errors(data)
    found = [e for e in errors if e.field == field]
    assert len(found) == 1, [(e.field, e.message) for e in errors]
    return found[0]


# --- bad input --------------------------------------------------------------------


def test_unknown_indicator() -> None:
    err = _error(_good(indicator="9.9"), "indicator")
    assert "未知的指标" in err.message and "9.9" in err.message
    assert str(err).startswith("指标：")


def test_empty_indicator() -> None:
    err = _error(_good(indicator=""), "indicator")
    assert "不能为空" in err.message


def test_unknown_component_for_multi_component_indicator() -> None:
    err = _error(_good(indicator="1.1", component="bogus", quantity=2), "component")
    assert "没有事项" in err.message and "bogus" in err.message
    assert "group" in err.message and "office" in err.message


def test_missing_component_when_indicator_has_several() -> None:
    err = _error(_good(indicator="1.1"), "component")
    assert "有多个事项" in err.message
    assert "group" in err.message and "office" in err.message


def test_domain_outside_vocabulary() -> None:
    err = _error(_good(indicator="4.2", item="火星运输"), "item")
    assert "火星运输" in err.message
    assert "不是重点领域或二级领域" in err.message
    assert "道路客运" in err.message


def test_item_required_for_per_item_component() -> None:
    err = _error(_good(indicator="4.2"), "item")
    assert "须填写" in err.message and "领域" in err.message


def test_product_must_start_with_xinyi() -> None:
    err = _error(_good(indicator="7.1", item="诚信贷"), "item")
    assert "诚信贷" in err.message
    assert "不是“信易+”产品" in err.message
    assert "信易" in err.message


def test_case_type_must_be_enterprise_or_person() -> None:
    err = _error(_good(indicator="5.3", component="case", item="集体"), "item")
    assert "不是案例类型" in err.message
    assert "企业" in err.message and "个人" in err.message


def test_partner_outside_list() -> None:
    err = _error(_good(indicator="2.2", item="财政部门"), "item")
    assert "不是协调部门" in err.message
    assert "信用牵头部门" in err.message


def test_unknown_department_lists_valid_names() -> None:
    err = _error(_good(department="火星科"), "department")
    assert "未知的责任单位" in err.message and "火星科" in err.message
    for name in CAT.departments:
        assert name in err.message


def test_negative_quantity() -> None:
    err = _error(_good(quantity=-1), "quantity")
    assert "不能为负数" in err.message


@pytest.mark.parametrize("value", ["2.5", 1.5, "两人", "abc"])
def test_non_integer_quantity(value: object) -> None:
    err = _error(_good(quantity=value), "quantity")
    assert "不是整数" in err.message


def test_missing_quantity_for_office() -> None:
    err = _error(_good(indicator="1.1", component="office"), "quantity")
    assert "须填写" in err.message and "人数" in err.message


def test_empty_title() -> None:
    err = _error(_good(title="   "), "title")
    assert "不能为空" in err.message


def test_title_too_long() -> None:
    err = _error(_good(title="标" * 201), "title")
    assert "过长" in err.message and "201" in err.message and "200" in err.message


def test_title_of_200_chars_is_fine() -> None:
    assert make_evidence(CAT, _good(title="标" * 200)).title == "标" * 200


def test_note_too_long() -> None:
    err = _error(_good(note="注" * 2001), "note")
    assert "过长" in err.message and "2000" in err.message


def test_note_of_2000_chars_is_fine() -> None:
    assert len(make_evidence(CAT, _good(note="注" * 2000)).note) == 2000


def test_impossible_date() -> None:
    err = _error(_good(date="2024-02-30"), "date")
    assert "不是有效日期" in err.message
    assert "2024-02-30" in err.message


def test_date_that_is_not_a_date() -> None:
    err = _error(_good(date="abc"), "date")
    assert "abc" in err.message and "不是日期" in err.message


def test_missing_date() -> None:
    err = _error(_good(date=""), "date")
    assert "不能为空" in err.message


def test_today_without_today() -> None:
    err = _error(_good(date="今天"), "date")
    assert "今天" in err.message


@pytest.mark.parametrize("flag", ["format_ok", "evaluation_data", "publicized"])
def test_bad_flag_value(flag: str) -> None:
    err = _error(_good(**{flag: "maybe"}), flag)
    assert "maybe" in err.message
    assert "是/否" in err.message


@pytest.mark.parametrize("url", ["ftp://example.org/a", "www.example.org", "http://"])
def test_bad_url(url: str) -> None:
    err = _error(_good(url=url), "url")
    assert "不是 http(s) 链接" in err.message


def test_unknown_kind() -> None:
    err = _error(_good(kind="poster"), "kind")
    assert "未知的材料类型" in err.message and "poster" in err.message
    assert "图片" in err.message


def test_unknown_channel() -> None:
    err = _error(_good(channel="wechat"), "channel")
    assert "未知的发布渠道" in err.message and "wechat" in err.message
    assert "所在地人民政府网站" in err.message


def test_bad_status() -> None:
    err = _error(_good(status="maybe"), "status")
    assert "maybe" in err.message
    assert "已完成" in err.message and "计划" in err.message


def test_id_too_long() -> None:
    err = _error(_good(id="x" * 65), "id")
    assert "过长" in err.message and "64" in err.message


def test_id_of_64_chars_is_fine() -> None:
    assert make_evidence(CAT, _good(id="x" * 64)).id == "x" * 64


def test_unknown_field() -> None:
    err = _error(_good(colour="red"), "colour")
    assert "未知的字段" in err.message


def test_bad_attachment_digest() -> None:
    errors = _errors(_good(), attachments=("not-a-digest",))
    assert [e.field for e in errors] == ["attachment"]


def test_several_errors_are_all_reported() -> None:
    data = {
        "indicator": "4.2",
        "item": "火星运输",
        "date": "2024-02-30",
        "department": "火星科",
        "title": "",
        "kind": "poster",
        "channel": "wechat",
        "quantity": "-3",
        "format_ok": "maybe",
        "url": "ftp://x",
        "note": "注" * 2001,
        "status": "later",
        "id": "y" * 65,
    }
    errors = _errors(data)
    fields = {e.field for e in errors}
    assert fields == {
        "item",
        "date",
        "department",
        "title",
        "kind",
        "channel",
        "quantity",
        "format_ok",
        "url",
        "note",
        "status",
        "id",
    }
    with pytest.raises(EvidenceError) as info:
        make_evidence(CAT, data)
    text = str(info.value)
    assert "对象：" in text and "日期：" in text and "责任单位：" in text


def test_component_error_does_not_hide_others() -> None:
    errors = _errors({"indicator": "1.1", "date": "abc", "title": ""})
    assert {e.field for e in errors} == {"component", "date", "department", "title"}


# --- good input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["2024-05-03", "2024/5/3", "2024年5月3日", " 2024-05-03 ", date(2024, 5, 3)]
)
def test_date_forms(value: object) -> None:
    assert make_evidence(CAT, _good(date=value)).date == date(2024, 5, 3)


def test_date_today() -> None:
    assert make_evidence(CAT, _good(date="今天"), today=TODAY).date == TODAY


def test_department_alias() -> None:
    ev = make_evidence(CAT, _good(indicator="6.3", department="建设科"))
    assert ev.department == "公路建设科"
    ev = make_evidence(CAT, _good(indicator="6.3", department="财务审计"))
    assert ev.department == "财务审计科"


def test_department_defaults_to_first_responsible_unit() -> None:
    ev = make_evidence(CAT, _good(indicator="4.2", item="道路客运", department=""))
    assert ev.department == "安全监督科"


def test_kind_and_channel_by_chinese_label() -> None:
    ev = make_evidence(CAT, _good(kind="图片", channel="所在地人民政府网站"))
    assert ev.kind == "photo"
    assert ev.channel == "gov_site"
    ev = make_evidence(CAT, _good(kind="宣传报道", channel="新闻媒体"))
    assert (ev.kind, ev.channel) == ("report", "media")


def test_kind_defaults_to_document() -> None:
    assert make_evidence(CAT, _good()).kind == "document"


@pytest.mark.parametrize(
    ("indicator", "component", "item", "channel"),
    [
        ("3.1", None, None, "credit_site"),
        ("3.2", None, "客运数据", "credit_site"),
        ("4.2", None, "道路客运", "gov_site"),
        ("4.3", None, "道路客运", "gov_site"),
        ("7.1", None, "信易行", "gov_site"),
        ("1.2", "plan", None, "gov_site"),
        ("5.3", "article", None, "credit_site"),
        ("1.4", None, None, "internal"),
        ("6.2", None, None, "internal"),
    ],
)
def test_channel_default_from_component(
    indicator: str, component: str | None, item: str | None, channel: str
) -> None:
    data = _good(indicator=indicator, component=component, item=item)
    data["department"] = CAT.indicator(indicator).components[0].departments[0]
    assert make_evidence(CAT, data).channel == channel


def test_single_component_indicator_needs_no_component() -> None:
    ev = make_evidence(CAT, _good(indicator="4.2", item="道路客运", department="客运科"))
    assert (ev.indicator, ev.component) == ("4.2", "evaluation")


def test_component_by_chinese_label() -> None:
    ev = make_evidence(CAT, _good(indicator="1.1", component="领导小组"))
    assert ev.component == "group"


def test_indicator_as_the_table_writes_it() -> None:
    assert make_evidence(CAT, _good(indicator="六、2")).indicator == "6.2"


def test_office_quantity() -> None:
    ev = make_evidence(CAT, _good(indicator="1.1", component="office", quantity="3"))
    assert ev.quantity == 3
    ev = make_evidence(CAT, _good(indicator="1.1", component="office", quantity=0))
    assert ev.quantity == 0
    ev = make_evidence(CAT, _good(indicator="1.1", component="office", quantity=2.0))
    assert ev.quantity == 2


def test_derived_id_is_stable_and_content_based() -> None:
    a = make_evidence(CAT, _good())
    b = make_evidence(CAT, _good(date="2024/5/3"))
    assert a.id == b.id
    assert a.id and len(a.id) <= 64
    c = make_evidence(CAT, _good(title="组织企业信用培训（第二期）"))
    assert c.id != a.id
    d = make_evidence(CAT, _good(date="2024-05-04"))
    assert d.id != a.id


def test_explicit_id_is_kept() -> None:
    assert make_evidence(CAT, _good(id="dept-A:0001")).id == "dept-A:0001"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("是", True),
        ("否", False),
        ("yes", True),
        ("no", False),
        ("YES", True),
        ("No", False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        ("True", True),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("", False),
    ],
)
def test_flag_values(text: object, value: bool) -> None:
    ev = make_evidence(
        CAT, _good(format_ok=text, evaluation_data=text, publicized=text, title=f"t{text!s}")
    )
    assert (ev.format_ok, ev.evaluation_data, ev.publicized) == (value, value, value)


def test_flags_default_to_no() -> None:
    ev = make_evidence(CAT, _good())
    assert (ev.format_ok, ev.evaluation_data, ev.publicized) == (False, False, False)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "done"),
        ("done", "done"),
        ("已完成", "done"),
        ("planned", "planned"),
        ("计划", "planned"),
    ],
)
def test_status(text: str, status: str) -> None:
    ev = make_evidence(CAT, _good(status=text))
    assert ev.status == status
    assert ev.planned == (status == "planned")


def test_url_and_attachments() -> None:
    digest = "a" * 64
    ev = make_evidence(
        CAT, _good(url="https://example.org/x?y=1"), attachments=(digest, digest, "b" * 64)
    )
    assert ev.url == "https://example.org/x?y=1"
    assert ev.attachments == (digest, "b" * 64)


def test_result_is_an_evidence() -> None:
    ev = make_evidence(CAT, _good(item="  ", note="  备注 "))
    assert isinstance(ev, Evidence)
    assert ev.title == "组织企业信用培训"
    assert ev.note == "备注"


def test_trusted_records_equal_validated_ones() -> None:
    """The store's fast constructor builds the same record the validator does."""
    from credit_tui.scoring import load_catalog
    from credit_tui.scoring.evidence import Evidence, make_evidence

    checked = make_evidence(
        load_catalog(),
        {"indicator": "4.2", "item": "道路客运", "date": "2024-06-18", "department": "客运科",
         "title": "信用评价结果公示", "attachments": ()},
        attachments=("a" * 64,),
    )  # fmt: skip
    trusted = Evidence.trusted(**checked.model_dump())
    assert trusted == checked
    assert trusted.model_dump() == checked.model_dump()
    assert trusted.planned is False and trusted.attachments == ("a" * 64,)
