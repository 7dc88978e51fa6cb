"""The metric vocabulary, whose figure is which place's, and what a republished copy is
(pure functions: no store, no model)."""

from __future__ import annotations

import pytest

from ingest.duplicates import copies, fingerprint
from retrieval.compare import (
    _approximate,
    figure_period,
    measure,
    metric_of,
    period_of,
    place_of,
)
from retrieval.store import FigureRow
from retrieval.targets import base_metric


@pytest.mark.parametrize(
    ("written", "metric"),
    [
        ("地区生产总值", "地区生产总值"),
        ("全区生产总值", "地区生产总值"),
        ("GDP", "地区生产总值"),
        ("Gross Domestic Product", "地区生产总值"),
        ("规模以上工业增加值", "规上工业增加值"),
        ("社零总额", "社会消费品零售总额"),
        ("地方一般公共预算收入", "一般公共预算收入"),
        ("fixed-asset investment", "固定资产投资"),
        # a share, a per-head or an average figure of the metric is not the metric
        ("服务业占地区生产总值的比重", None),
        ("人均地区生产总值", None),
        ("地区生产总值五年年均增长", None),
        ("粮食产量", None),
        # 人均 is the metric's own word here, and the longest name wins
        ("全体居民人均可支配收入", "居民人均可支配收入"),
        ("城镇常住居民人均可支配收入", "城镇居民人均可支配收入"),
        ("per capita disposable income", "居民人均可支配收入"),
        ("外贸进出口总值", "进出口总额"),
        ("旅游综合收入", "旅游收入"),
        ("本外币各项存款余额", "存款余额"),
    ],
)
def test_metric_names_join_across_reports(written: str, metric: str | None) -> None:
    assert metric_of(written) == metric


def figure(
    metric: str, value: str, sentence: str, region: str | None = None, **more: str
) -> FigureRow:
    row: FigureRow = {
        "doc_id": "d", "file": "d.txt", "metric": metric, "value": value,
        "unit": more.get("unit", "亿元"), "year": "2024", "change": more.get("change"),
        "rank": None, "kind": more.get("kind", "achieved"), "sentence": sentence,
        "note": None, "region": region, "title": more.get("title", ""),
        "outlet": more.get("outlet"),
    }  # fmt: skip
    return row


def test_a_figure_is_the_place_its_metric_or_sentence_names() -> None:
    # the metric names the place, whatever the report's region
    assert place_of(figure("石桥市完成地区生产总值", "812.4", "…", "云州市")) == "石桥市"
    assert place_of(figure("青禾区地区生产总值", "219.8", "…")) == "青禾区"
    # 全区 is no place: the report's region
    assert (
        place_of(figure("全区地区生产总值", "219.8", "全区地区生产总值219.8亿元。", "柳溪区"))
        == "柳溪区"
    )
    # a roundup: the place the sentence names before the figure
    roundup = figure("固定资产投资同比增长", "9.2", "石桥市固定资产投资同比增长9.2%。", "云州市")
    assert place_of(roundup) == "石桥市"
    # a place written without 市: the region when it is that place, else the bare name
    assert place_of(figure("柳溪实现地区生产总值", "318.6", "…", "柳溪区")) == "柳溪区"
    assert place_of(figure("云溪GDP", "1.2", "…", None)) == "云溪"
    # phrases that end like places are not places
    assert (
        place_of(figure("地区生产总值", "3302", "2022年完成地区生产总值3302亿元。", None)) is None
    )


def test_a_report_that_only_says_its_own_province_is_its_titles_or_outlets() -> None:
    sentence = "今年上半年全省社会消费品零售总额达到1075.3亿元。"
    titled = figure("社会消费品零售总额", "1075.3", sentence, title="云州省商务工作推进会召开")
    assert place_of(titled) == "云州省"
    by_outlet = figure("社会消费品零售总额", "1075.3", sentence, title="商务工作推进会召开",
                       outlet="云州日报")  # fmt: skip
    assert place_of(by_outlet) == "云州省"
    national = figure("社会消费品零售总额", "1075.3", sentence, title="商务工作推进会召开",
                      outlet="人民日报")  # fmt: skip
    assert place_of(national) is None


def test_the_countrys_figures_are_the_countrys_not_the_regions() -> None:
    assert (
        place_of(figure("国内生产总值增长", "5.5", "全国国内生产总值增长5.5%。", "柳溪区"))
        == "全国"
    )
    retail = figure(
        "社会消费品零售总额", "22.8", "上半年，全国社会消费品零售总额22.8万亿元。", "柳溪区"
    )
    assert place_of(retail) == "全国"
    # 地方 of 地方一般公共预算收入 is no place: the report's region
    local = figure("地方一般公共预算收入", "38.2", "地方一般公共预算收入38.2亿元。", "青禾区")
    assert place_of(local) == "青禾区"


def test_totals_are_compared_in_yi_yuan_and_rates_only_with_rates() -> None:
    wan = measure(figure("地区生产总值", "1502000", "…", "石桥区", unit="万元"), rate=False)
    assert wan is not None and wan.value == 150.2 and wan.shown == "150.2亿元"
    trillion = measure(figure("地区生产总值", "1.67", "…", "广州", unit="万亿元"), rate=False)
    assert trillion is not None and trillion.value == 16700
    total = figure("地区生产总值", "219.8", "…", "青禾区", change="增长6.0%")
    growth = measure(total, rate=True)
    assert growth is not None and growth.shown == "6.0%"
    assert measure(figure("地区生产总值增长", "6", "…", "青禾区", unit="%"), rate=False) is None
    assert base_metric(figure("地区生产总值增长", "6", "…", unit="%")) == "地区生产总值"
    # a per-head amount stays in 元
    income = measure(figure("居民人均可支配收入", "5.21", "…", "青禾区", unit="万元"), rate=False)
    assert income is not None and income.shown == "52100元"
    assert measure(figure("居民人均可支配收入", "52100", "…", unit="元"), rate=False) is not None


TEXT = (
    "2026年2月3日，柳溪区召开三级干部会议，区委书记贺明远出席会议并讲话。会议通报，2025年全区"
    "地区生产总值完成318.6亿元，同比增长5.8%。贺明远强调，要坚持稳中求进，聚焦产业升级和城市更新，"
    "抓好重大项目建设，持续优化营商环境，推动民营经济发展壮大。"
)


def test_a_copy_with_a_new_dateline_and_a_cut_is_a_copy() -> None:
    original = fingerprint(TEXT, ["贺明远"], "2026-02-03", "柳溪区")
    copy = fingerprint("本网讯 " + TEXT[:120], [], "2026-02-04", "柳溪区")
    found = copies(original, copy)
    assert found is not None and found.containment > 0.9


def test_what_is_not_a_copy() -> None:
    original = fingerprint(TEXT, ["贺明远"], "2026-02-03", "柳溪区")
    # another person in the same words
    other_person = TEXT.replace("贺明远", "韩思远")
    assert copies(original, fingerprint(other_person, ["韩思远"], "2026-02-03", "柳溪区")) is None
    # the same words a month later (a monthly report on one template)
    assert copies(original, fingerprint(TEXT, ["贺明远"], "2026-03-05", "柳溪区")) is None
    # the same words for another district
    other_place = TEXT.replace("柳溪区", "青禾区")
    assert copies(original, fingerprint(other_place, ["贺明远"], "2026-02-03", "青禾区")) is None
    # too short to tell
    assert copies(fingerprint(TEXT[:30]), fingerprint(TEXT[:30])) is None


def test_a_growth_written_after_the_total_and_a_place_named_without_its_suffix() -> None:
    from retrieval.compare import _named_before

    total = figure(
        "石桥市完成地区生产总值",
        "812.4",
        "石桥市完成地区生产总值812.4亿元，扣除价格因素后增长5.6%。",
    )
    growth = measure(total, rate=True)
    assert growth is not None and growth.shown == "5.6%" and growth.place == "石桥市"
    # the question names 云溪县; the sentence writes 云溪 (and a wrong region is no place)
    bare = figure(
        "地区生产总值", "302", "云溪是山区强县，2024年完成地区生产总值302亿元。", "历任云州市"
    )
    assert place_of(bare) is None
    assert _named_before(bare, ["云溪县", "石桥市"]) == "云溪县"
    assert _named_before(bare, ["石桥市", "柳溪区"]) is None


@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("2024年上半年，青禾区实现地区生产总值", "上半年"),
        ("1-6月，全市地区生产总值", "上半年"),
        ("1至9月，柳溪区", "前三季度"),
        ("前三季度，石桥市", "前三季度"),
        ("一季度，全县", "一季度"),
        ("1—5月，全区", "1-5月"),
        ("前5个月", "1-5月"),
        ("2024年全年，全区", None),
        ("2024年，全区", None),
        ("What was Qinghe's GDP in the first half of 2024?", "上半年"),
        ("Compare the Q1 2024 GDP of Qinghe and Liuxi", "一季度"),
        ("今年以来，全区", "今年以来"),  # the year so far: no question's period
    ],
)
def test_the_part_of_a_year_a_figure_or_question_covers(written: str, period: str | None) -> None:
    assert period_of(written) == period


def test_a_figure_takes_its_period_from_its_sentence_else_its_title() -> None:
    half = figure("地区生产总值", "412.5", "上半年，全区实现地区生产总值412.5亿元。")
    assert figure_period(half) == "上半年"
    titled = figure("地区生产总值", "412.5", "全区实现地区生产总值412.5亿元。",
                    title="柳溪区上半年经济运行情况")  # fmt: skip
    assert figure_period(titled) == "上半年"
    # the sentence's own time wins over the title's
    year = figure("地区生产总值", "830.1", "2024年全年，全区实现地区生产总值830.1亿元。",
                  title="柳溪区上半年经济运行情况")  # fmt: skip
    assert figure_period(year) is None
    # a period after the figure is a comparison, not its period
    later = figure(
        "地区生产总值", "830.1", "全区地区生产总值830.1亿元，增速比上半年加快0.3个百分点。"
    )
    assert figure_period(later) is None
    # a year and no part of it: the whole year, whatever the title
    whole = figure("地区生产总值", "830.1", "2024年，全区实现地区生产总值830.1亿元。",
                   title="柳溪区上半年经济运行情况")  # fmt: skip
    assert figure_period(whole) is None


def test_a_round_value_gives_way_to_the_exact_one() -> None:
    rough = measure(figure("外贸进出口", "3300", "上半年青禾区外贸进出口超3300亿元。"), rate=False)
    exact = measure(
        figure("外贸进出口", "3377.7", "上半年，青禾区外贸进出口3377.7亿元。"), rate=False
    )
    assert rough is not None and exact is not None
    assert _approximate(rough) and not _approximate(exact)
    assert sorted([rough, exact], key=_approximate)[0] is exact
