"""今年/去年/latest in questions, read against an as-of date and the reports' dates
(invented reports: 青禾区's figures of two years, its meetings of two dates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import fresh_services, ingest, invoke_cli, last_json


@pytest.fixture
def qinghe(seeded: Services, tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "q2024.txt").write_text(
        "青禾区召开2024年经济工作会议\n"
        "2024年2月6日，青禾区召开经济工作会议，区委副书记、区长梅远航主持。"
        "会议通报，2023年青禾区地区生产总值实现201.5亿元，增长5.2%。"
        "今年全区计划新开工项目30个。\n",
        encoding="utf-8",
    )
    (folder / "q2025.txt").write_text(
        "青禾区召开2025年经济工作会议\n"
        "2025年2月11日，青禾区召开经济工作会议，区委副书记、区长林叶青主持。"
        "会议通报，2024年青禾区地区生产总值实现219.8亿元，增长6.0%。\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    ingest(fresh_services(data, seeded), folder)
    return data


def _ask(data: Path, as_of: str, question: str) -> dict[str, object]:
    result = invoke_cli("--as-of", as_of, "ask", "--json", question, data_dir=data)
    assert result.returncode == 0, result.stderr
    return last_json(result.stdout)


def test_last_year_is_the_year_before_the_as_of_date(qinghe: Path) -> None:
    later = _ask(qinghe, "2025-06-01", "青禾区去年地区生产总值是多少？")
    assert later["short_answer"] and "219.8亿元" in str(later["short_answer"])
    assert "“去年”指2024年" in str(later["answer"])
    # a year earlier, 去年 is 2023; the basis is the newest report on or before that day
    earlier = _ask(qinghe, "2024-06-01", "青禾区去年地区生产总值是多少？")
    assert earlier["short_answer"] and "201.5亿元" in str(earlier["short_answer"])
    assert "2024-02-06" in str(earlier["answer"])
    english = _ask(qinghe, "2025-06-01", "What was Qinghe District's GDP last year?")
    assert "219.8" in str(english["short_answer"]) and '"last year" = 2024' in str(
        english["answer"]
    )


def test_the_latest_meeting_is_the_latest_dated_report(qinghe: Path) -> None:
    answer = _ask(qinghe, "2025-06-01", "最近一次青禾区经济工作会议由谁主持？")
    assert str(answer["short_answer"]).startswith("林叶青")


def test_a_year_no_report_reaches(qinghe: Path) -> None:
    # 今年 as of mid-2025 is 2025: no report gives 2025's GDP (the 2025 report gives
    # 2024's), so none is passed off as this year's
    this_year = _ask(qinghe, "2025-06-01", "青禾区今年地区生产总值是多少？")
    assert not this_year["answered"] and "219.8" not in str(this_year["answer"])
    # …but a plan the 2024 report calls 今年's is found as that report's 今年, said so
    plan = _ask(qinghe, "2025-06-01", "青禾区今年计划新开工多少个项目？")
    assert plan["short_answer"] and "30个" in str(plan["short_answer"])
    assert "未找到2025年的相关报道" in str(plan["answer"])
    assert "据2024-02-06的报道" in str(plan["answer"])


def test_eval_judges_a_time_question_on_its_direct_answer(qinghe: Path, tmp_path: Path) -> None:
    questions = tmp_path / "time.jsonl"
    questions.write_text(
        '{"id": "t1", "question": "青禾区去年地区生产总值是多少？", "answers": ["219.8亿元"], '
        '"type": "time"}\n'
        '{"id": "t2", "question": "青禾区前年地区生产总值是多少？", "answers": ["219.8亿元"], '
        '"type": "time"}\n',
        encoding="utf-8",
    )
    result = invoke_cli(
        "--as-of", "2025-06-01", "eval", str(questions), "--strict", data_dir=qinghe
    )
    assert result.returncode == 0, result.stderr
    # 去年 (2024) is 219.8亿元; 前年 (2023) is 201.5亿元, whose evidence names no 219.8
    assert "questions=2 correct=1" in result.stdout


def test_the_seeds_last_year_as_of_a_fixed_date(seeded: Services, seeded_dir: Path) -> None:
    answer = _ask(seeded_dir, "2025-12-01", "宛城区去年GDP是多少？")
    assert "414.9亿元" in str(answer["short_answer"])
    assert "“去年”指2024年" in str(answer["answer"])
    # a written year is read as written, and no note claims otherwise
    written = _ask(seeded_dir, "2025-12-01", "宛城区2024年地区生产总值比去年增长了多少？")
    assert "指2024年" not in str(written["answer"]) and "指2025年" not in str(written["answer"])


def test_since_when_someone_held_a_title(qinghe: Path) -> None:
    answer = _ask(qinghe, "2025-06-01", "梅远航什么时候担任区长？")
    assert answer["answered"] and str(answer["short_answer"]).startswith(
        "梅远航：区长（2024-02-06）"
    )
    assert "不是任免日期" in str(answer["answer"])


def test_last_month_is_the_reports_dated_in_it(qinghe: Path) -> None:
    # as of 2025-03-01 上月 is February 2025: the 2025-02-11 report answers
    answer = _ask(qinghe, "2025-03-01", "上月青禾区区长是谁？")
    assert str(answer["short_answer"]).startswith("林叶青")
    assert "“上月”指2025-02-01至2025-02-28" in str(answer["answer"])
    # as of June, May has no report: no holder of another month is passed off as May's
    later = _ask(qinghe, "2025-06-01", "上月青禾区区长是谁？")
    assert not later["answered"]
