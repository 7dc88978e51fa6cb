"""Relative time words read against a date."""

from __future__ import annotations

from datetime import date

from retrieval.relative_time import effective_now, has_relative, read_relative


def test_relative_years_and_latest() -> None:
    basis = read_relative("宛城区去年gdp是多少？", date(2025, 12, 1))
    assert basis is not None and basis.years == ("2024",) and not basis.latest
    assert read_relative("前年和今年的数据", date(2025, 12, 1)).years == ("2023", "2025")  # type: ignore[union-attr]
    assert read_relative("what was the gdp last year?", date(2025, 1, 2)).years == ("2024",)  # type: ignore[union-attr]
    latest = read_relative("最近一次常务会议由谁主持？", date(2025, 1, 2))
    assert latest is not None and latest.latest and latest.years == ()
    # a comparison with the year before asks for no year; "nearest" is no "latest"
    assert not has_relative("比去年同期增长了多少？")
    assert not has_relative("离车站最近的医院在哪里？")
    recent = read_relative("近日召开的常务会议由谁主持？", date(2025, 1, 2))
    assert recent is not None and recent.latest and recent.years == ()
    assert read_relative("去年gdp是多少", None) is None
    # a period with no year before it is this year's; with one, it is no relative word
    half = read_relative("上半年全区gdp是多少", date(2025, 6, 1))
    assert half is not None and half.years == ("2025",)
    assert read_relative("2024年上半年全区gdp是多少", date(2025, 6, 1)) is None
    # 上月: the whole month before; 比上月 compares and asks for no month
    month = read_relative("上月召开了哪些会议", date(2025, 3, 1))
    assert month is not None and month.window == (date(2025, 2, 1), date(2025, 2, 28))
    assert month.in_window("2025-02-11") and not month.in_window("2025-03-01")
    assert not has_relative("环比上月增长了多少")
    assert not has_relative("公司下一季度的收入预计是多少")  # the next quarter, no 一季度


def test_now_stops_at_the_newest_report() -> None:
    assert effective_now(date(2026, 12, 3), "2025-11-05") == date(2025, 11, 5)
    assert effective_now(date(2025, 12, 1), "2025-11-05") == date(2025, 12, 1)  # same year
    assert effective_now(date(2024, 6, 1), "2024-12") == date(2024, 6, 1)
    assert effective_now(date(2026, 12, 3), "2024-12") == date(2024, 12, 1)
    assert effective_now(date(2026, 12, 3), None) == date(2026, 12, 3)
