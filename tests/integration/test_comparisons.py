"""Comparisons across reports from the figures table (three invented districts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import fresh_services, ingest, invoke_cli

REPORTS = {
    "qinghe.txt": ("青禾区", "2月11日", "219.8亿元", "6.0%"),
    "liuxi.txt": ("柳溪区", "2月12日", "305.2亿元", "4.8%"),
    "shiqiao.txt": ("石桥区", "2月13日", "1502000万元", "7.1%"),  # 150.2亿元, in 万元
}


@pytest.fixture
def districts(seeded: Services, tmp_path: Path) -> Services:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, (place, day, total, growth) in REPORTS.items():
        (folder / name).write_text(
            f"{place}召开2025年经济工作会议\n2025年{day}，{place}召开经济工作会议。"
            f"会议通报，2024年{place}地区生产总值实现{total}，增长{growth}。\n",
            encoding="utf-8",
        )
    (folder / "qinghe_half.txt").write_text(HALF, encoding="utf-8")
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    return services


# A half-year report: its figures are compared with half-years only.
HALF = (
    "青禾区召开上半年经济形势分析会\n2024年7月18日，青禾区召开上半年经济形势分析会。会议通报，"
    "上半年，青禾区地区生产总值实现120.3亿元，同比增长5.5%。同期，全国国内生产总值增长5.3%。\n"
)


def _rows(answer_text: str) -> list[str]:
    return [line for line in answer_text.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")]


def test_the_highest_total_and_the_fastest_growth(districts: Services) -> None:
    total = districts.chain.invoke("哪个区2024年地区生产总值最高？")
    assert total.short_answer == "柳溪区"
    rows = _rows(total.answer)
    assert [r.split()[1] for r in rows] == ["柳溪区", "青禾区", "石桥区"]
    assert "150.2亿元" in rows[2]  # 万元 made 亿元 before comparing
    assert all("「" in r and "txt" in r for r in rows)  # every row cites its sentence
    growth = districts.chain.invoke("哪个区2024年GDP增速最高？")
    assert growth.short_answer == "石桥区" and "7.1%" in _rows(growth.answer)[0]
    lowest = districts.chain.invoke("Which district had the lowest GDP in 2024?")
    assert lowest.short_answer == "石桥区"


def test_a_place_without_a_figure_is_not_reported(districts: Services) -> None:
    answer = districts.chain.invoke("青禾区和云山区的GDP对比")
    rows = _rows(answer.answer)
    assert len(rows) == 2 and "219.8亿元" in rows[0]
    assert rows[1].split()[1:] == ["云山区", "未报道"]
    assert [s.file for s in answer.sources] == ["qinghe.txt"]


def test_a_half_year_is_compared_with_half_years_and_the_country(districts: Services) -> None:
    half = districts.chain.invoke("2024年上半年青禾区和柳溪区的GDP增速对比")
    rows = _rows(half.answer)
    assert "5.5%" in rows[0] and "青禾区" in rows[0]
    assert rows[1].split()[1:] == ["柳溪区", "未报道"]  # its whole-year figure is not one
    assert "2024年上半年" in half.answer
    country = districts.chain.invoke("2024年上半年青禾区的GDP增速与全国相比哪个更高？")
    assert [r.split()[1:3] for r in _rows(country.answer)] == [["青禾区", "5.5%"], ["全国", "5.3%"]]
    # nor is the half a whole year's
    whole = districts.chain.invoke("青禾区和柳溪区2024年GDP对比")
    assert "120.3" not in whole.answer and "305.2亿元" in _rows(whole.answer)[0]
    english = districts.chain.invoke(
        "Whose GDP grew faster in the first half of 2024, Qinghe District or Liuxi District?"
    )
    assert english.short_answer == "青禾区"
    assert "first half of 2024" in english.answer and "not reported" in english.answer


# -- targets against results ------------------------------------------------------------

PLAN = (
    "柳溪区召开2025年政府工作会议\n2025年1月9日，柳溪区召开政府工作会议。报告提出，2025年主要"
    "预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%，固定资产投资增长8%。\n"
)
RESULT = (
    "柳溪区召开经济工作会议\n2026年1月7日，柳溪区召开经济工作会议。会议通报，2025年，全区地区"
    "生产总值达到318.6亿元，同比增长5.8%；一般公共预算收入增长5.3%。\n"
)


@pytest.fixture
def plans(seeded: Services, tmp_path: Path) -> Services:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "liuxi_plan.txt").write_text(PLAN, encoding="utf-8")
    (folder / "liuxi_result.txt").write_text(RESULT, encoding="utf-8")
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    return services


def test_a_target_is_paired_with_the_result_of_its_year(plans: Services) -> None:
    answer = plans.chain.invoke("柳溪区2025年GDP增速目标完成了吗？")
    assert answer.short_answer == "目标6%左右，实际5.8%，基本完成（低0.2个百分点）"
    assert [s.file for s in answer.sources] == ["liuxi_plan.txt", "liuxi_result.txt"]
    every = plans.chain.invoke("柳溪区2025年的目标完成了吗？")
    assert every.short_answer == "3项目标中1项完成"
    table = {row["metric"]: row for row in every.table or []}
    assert table["一般公共预算收入"]["met"] is True
    assert table["固定资产投资"]["achieved"] is None  # a target with no result: not guessed
    assert table["固定资产投资"]["met"] is None
    assert "结果未报道" in every.answer
    english = plans.chain.invoke("Did Liuxi District meet its 2025 GDP target?")
    assert english.short_answer == "target about 6%, achieved 5.8%: about met (short by 0.2 points)"


def test_figures_compare_lists_targets_and_results(plans: Services, tmp_path: Path) -> None:
    result = invoke_cli(
        "figures", "--compare", "GDP", "--year", "2025", "--json", data_dir=tmp_path / "data"
    )
    assert result.returncode == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["place"], row["measure"], row["met"]) == ("柳溪区", "growth", False)
    assert row["target"]["file"] == "liuxi_plan.txt"
    assert row["achieved"]["file"] == "liuxi_result.txt" and row["achieved"]["value"] == 5.8
    table = invoke_cli("figures", "--compare", "地区生产总值", data_dir=tmp_path / "data")
    assert "6%左右\t5.8%\t基本完成" in table.stdout
    none = invoke_cli("figures", "--compare", "固定资产投资", "--year", "2024",
                      data_dir=tmp_path / "data")  # fmt: skip
    assert "no target of 固定资产投资 is reported for 2024" in none.stdout


def test_a_figure_reported_otherwise_elsewhere_is_flagged(
    districts: Services, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "qinghe_bulletin.txt").write_text(
        "青禾区统计公报\n2025年3月2日，青禾区统计局发布公报。2024年青禾区地区生产总值实现221.4亿元，"
        "比上年增长6.0%，三次产业结构持续优化。\n",
        encoding="utf-8",
    )
    ingest(districts, other)
    answer = districts.chain.invoke("青禾区和柳溪区2024年GDP对比")
    rows = {row["place"]: row for row in answer.table or []}
    assert rows["柳溪区"]["conflicts"] == []
    (conflict,) = rows["青禾区"]["conflicts"]
    assert conflict["file"] in ("qinghe.txt", "qinghe_bulletin.txt") != rows["青禾区"]["file"]
    assert "另一报道" in answer.answer and answer.confidence <= 0.5
