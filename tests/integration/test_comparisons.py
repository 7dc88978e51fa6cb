"""Comparisons across reports from the figures table (three invented districts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import fresh_services, ingest

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
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    return services


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
