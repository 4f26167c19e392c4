"""SPEC 11: the documents' title lines use the table's full name (单位名称) when it has one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from credit_tui.reports import meeting, meeting_docx, notice, self_assessment_docx
from credit_tui.reports.org_name import full_organisation
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store

FULL = "济南市钢城区城乡交通运输局"
SHORT = "钢城区城乡交通运输局"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    store = build_demo(tmp_path / "demo.db")
    yield store
    store.close()


def _first_lines(doc) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(p.text for p in doc.paragraphs[:2])


def test_the_bundled_table_carries_both_names(demo: Store) -> None:
    assert (demo.catalog.organisation_full, demo.catalog.organisation) == (FULL, SHORT)
    assert demo.campaign.organisation == SHORT  # the screens keep the short one


def test_notice_title_uses_the_full_name(demo: Store) -> None:
    doc = notice.build(notice.gather(demo, "法规科", as_of=DEMO_TODAY))
    assert doc.paragraphs[0].text == FULL


def test_self_assessment_title_uses_the_full_name(demo: Store) -> None:
    doc = self_assessment_docx.build(demo, as_of=DEMO_TODAY)
    assert _first_lines(doc).startswith(FULL + "\n")


def test_meeting_report_titles_use_the_full_name(demo: Store) -> None:
    m = meeting.gather(demo, DEMO_TODAY)
    assert m.title.startswith(f"{FULL} 2024 年度")
    assert meeting_docx.build(m).paragraphs[0].text.startswith(FULL)


def test_without_a_full_name_the_short_one_stands(demo: Store) -> None:
    bare = demo.catalog.model_copy(update={"organisation_full": ""})
    assert full_organisation(bare) == SHORT
    assert full_organisation(bare, "别的局") == "别的局"
    m = dataclasses.replace(meeting.gather(demo, DEMO_TODAY), catalog=bare)
    assert m.title.startswith(f"{SHORT} 2024 年度")
