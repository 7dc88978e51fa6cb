"""Metadata extraction on the five seed reports and on small synthetic snippets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.metadata import ReportMetadata, extract_metadata
from tests.helpers import SEEDS

# A pinyin gloss glued after a Han character by the broken converter: "召開(kāi)".
GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")


def prepared_seed(prefix: str) -> str:
    """A seed as the pipeline hands it over: glosses removed, then simplified script."""
    opencc = pytest.importorskip("opencc")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = GLOSS.sub("", path.read_text(encoding="utf-8"))
    return str(opencc.OpenCC("t2s").convert(text))


EXPECTED_SEEDS = {
    "000": ReportMetadata(
        title=(
            "庄建球主持召开示范区党工委专题会议谋划明年工作"
            "——找准发展定位 理清思路举措 推动经济社会高质量发展取得更大成效"
        ),
        date="2024-12-23",
        date_confidence="high",
        date_text="12月23日至24日",
        outlet="济源网",
        reporters=("郑海波", "王会"),
        region="济源示范区",
        meeting="示范区党工委专题会议",
        date_estimate="2024-12-23",
    ),
    "001": ReportMetadata(
        title="宛城区三级干部会议在区会议中心召开",
        date="2025-02-13",
        date_confidence="medium",
        date_text="2月13日上午",
        outlet=None,
        reporters=("李仪佳", "乔盈盈"),
        region="宛城区",
        meeting="宛城区三级干部会议",
        date_estimate="2025-02-13",
    ),
    "002": ReportMetadata(
        title="经开区党工委上半年经济形势分析会暨“拼搏三季度、奠定全年胜”动员会",
        date="2022-07-22",
        date_confidence="medium",
        date_text="7月22日下午",
        outlet=None,
        reporters=(),
        region="经开区",
        meeting=(
            "经开区党工委上半年经济形势分析会暨“拼搏三季度、奠定全年胜”动员会、"
            "全区半年“三比三看”项目观摩总结会"
        ),
        date_estimate="2022-07-22",
    ),
    "003": ReportMetadata(
        title="骆高燕:冲刺四季度 打好收官战 确保区域中心城市建设起势见效",
        date="2025-11-05",
        date_confidence="high",
        date_text="11月5日下午",
        outlet=None,
        reporters=("罗跃",),
        region="黔江区",
        meeting="渝鄂湘黔边际区域中心城市建设推进大会",
        date_estimate="2025-11-05",
    ),
    "004": ReportMetadata(
        title="中共嘉定区第七届委员会第九次全体会议举行",
        date=None,
        date_confidence="high",
        date_text="近日",
        outlet=None,
        reporters=(),
        region="嘉定区",
        meeting="中共嘉定区第七届委员会第九次全体会议",
        date_estimate="2024-12",
    ),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED_SEEDS))
def test_seed_metadata(prefix: str) -> None:
    assert extract_metadata(prepared_seed(prefix)) == EXPECTED_SEEDS[prefix]


# --- dates given by the source ---------------------------------------------------------


def test_given_date_wins_and_is_normalised() -> None:
    text = "12月20日，宛城区经济工作会议召开。会议总结2023年工作，部署2024年任务。"
    meta = extract_metadata(text, date="2023-08-01 10:02:05")
    assert (meta.date, meta.date_confidence) == ("2023-08-01", "given")
    assert meta.date_estimate == "2023-08-01"
    assert meta.date_text == "12月20日"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("2023/8/1", "2023-08-01"), ("2023年8月1日", "2023-08-01"), ("20230801", "2023-08-01")],
)
def test_given_date_formats(given: str, expected: str) -> None:
    assert extract_metadata("", date=given).date == expected


def test_unusable_given_date_falls_back_to_the_text() -> None:
    text = "2024年3月5日，宛城区召开区委常委会会议。"
    for source_date in ("not a date", "2023-02-30", ""):
        meta = extract_metadata(text, date=source_date)
        assert (meta.date, meta.date_confidence) == ("2024-03-05", "high")


def test_given_title_wins() -> None:
    meta = extract_metadata("标题行\n7月1日，宛城区召开会议。", title="  来源标题  ")
    assert meta.title == "来源标题"


# --- dates from the text -----------------------------------------------------------------


def test_no_date_at_all() -> None:
    meta = extract_metadata("宛城区召开优化营商环境推进会，部署下一步工作。")
    assert (meta.date, meta.date_confidence, meta.date_text, meta.date_estimate) == (
        None,
        "none",
        None,
        None,
    )


def test_dateline_without_any_year_evidence() -> None:
    meta = extract_metadata("5月6日，宛城区召开优化营商环境推进会。")
    assert (meta.date, meta.date_confidence, meta.date_text) == (None, "none", "5月6日")


def test_year_in_the_dateline() -> None:
    meta = extract_metadata("2024年3月5日，宛城区召开区委常委会会议。")
    assert (meta.date, meta.date_confidence, meta.date_text) == (
        "2024-03-05",
        "high",
        "2024年3月5日",
    )


def test_text_about_2023_with_july_dateline() -> None:
    text = "7月10日，宛城区召开2023年上半年经济运行分析会。2023年上半年，全区地区生产总值增长6%。"
    meta = extract_metadata(text)
    assert (meta.date, meta.date_confidence) == ("2023-07-10", "low")


def test_results_of_last_year_reported_early_in_the_next() -> None:
    text = "2月20日，宛城区召开会议。2023年，全区地区生产总值实现400亿元。"
    assert extract_metadata(text).date == "2024-02-20"


@pytest.mark.parametrize(
    ("dateline", "expected"), [("1月8日", "2024-01-08"), ("12月20日", "2023-12-20")]
)
def test_review_and_plan_resolved_by_month(dateline: str, expected: str) -> None:
    text = f"{dateline}，宛城区经济工作会议召开。会议总结2023年工作，部署2024年任务。"
    meta = extract_metadata(text)
    assert (meta.date, meta.date_confidence) == (expected, "medium")


def test_review_and_plan_without_month_uses_mingnian() -> None:
    text = "近日，宛城区召开会议，总结2023年工作，部署2024年任务。明年要再上新台阶。"
    meta = extract_metadata(text)
    assert (meta.date, meta.date_estimate, meta.date_confidence) == (None, "2023", "medium")


def test_plan_period_anchor() -> None:
    meta = extract_metadata("3月2日，宛城区召开动员大会。今年是“十四五”规划开局之年。")
    assert meta.date == "2021-03-02"


def test_next_year_closes_the_plan_period() -> None:
    text = (
        "12月5日，宛城区召开会议。明年是“十四五”规划的收官之年。"
        "会议总结2024年工作，部署2025年任务。"
    )
    meta = extract_metadata(text)
    assert (meta.date, meta.date_confidence) == ("2024-12-05", "high")


def test_relative_year_with_explicit_year() -> None:
    # One kind of clue: medium; the anniversary right after "2019年" dates 2019, not the report.
    meta = extract_metadata("6月3日，宛城区召开会议。今年（2019年）是新中国成立70周年。")
    assert (meta.date, meta.date_confidence) == ("2019-06-03", "medium")
    # Two independent kinds agreeing: high.
    text = "6月3日，宛城区召开会议。今年（2019年）全区稳步发展，将庆祝新中国成立70周年。"
    assert extract_metadata(text).date_confidence == "high"


def test_preparing_for_a_congress() -> None:
    text = "3月15日，宛城区召开会议，以优异成绩迎接党的二十大胜利召开。"
    meta = extract_metadata(text)
    assert (meta.date, meta.date_confidence) == ("2022-03-15", "medium")


def test_studying_a_plenum_sets_a_lower_bound() -> None:
    text = "9月3日，宛城区召开区委理论学习中心组学习会，深入学习贯彻党的二十届三中全会精神。"
    meta = extract_metadata(text)
    assert (meta.date, meta.date_confidence) == ("2024-09-03", "low")


def test_year_contradicting_a_studied_event_is_dropped() -> None:
    text = "11月20日，宛城区召开会议，学习贯彻党的二十届四中全会精神。2023年，全区实现增长。"
    assert extract_metadata(text).date == "2025-11-20"


def test_plenum_later_than_the_table_is_after_the_last_known() -> None:
    text = "3月5日，宛城区召开会议，学习贯彻党的二十届五中全会精神。"
    meta = extract_metadata(text)
    assert (meta.date, meta.date_confidence) == ("2026-03-05", "low")


def test_undated_year_end_report_gets_december() -> None:
    text = (
        "近日，宛城区委全体会议举行。会议全面落实中央经济工作会议精神，"
        "总结2024年工作，部署2025年任务。明年要再上新台阶。"
    )
    meta = extract_metadata(text)
    assert (meta.date, meta.date_estimate, meta.date_confidence) == (None, "2024-12", "medium")


def test_anniversary() -> None:
    meta = extract_metadata("9月20日，宛城区举行庆祝新中国成立75周年文艺演出。")
    assert (meta.date, meta.date_confidence) == ("2024-09-20", "medium")


def test_impossible_day_keeps_year_and_month() -> None:
    meta = extract_metadata("2月30日，宛城区召开会议，总结2023年工作，部署2024年任务。")
    assert (meta.date, meta.date_estimate, meta.date_text) == (None, "2024-02", "2月30日")


def test_full_width_digits() -> None:
    meta = extract_metadata("１２月２３日，宛城区召开会议，总结2023年工作，部署2024年任务。")
    assert meta.date == "2023-12-23"


# --- outlet and reporters ---------------------------------------------------------------


def test_outlet_absent() -> None:
    assert extract_metadata("7月1日，宛城区召开会议。").outlet is None


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("济源网讯(记者 郑海波)12月23日，会议召开。", "济源网"),
        ("南阳日报讯 5月6日，宛城区召开会议。", "南阳日报"),
        ("宛城区融媒体中心讯（通讯员 王五）5月6日，宛城区召开会议。", "宛城区融媒体中心"),
        ("新华社北京12月23日电（记者 赵六）会议在北京举行。", "新华社"),
        ("据南阳日报报道，宛城区召开会议。", "南阳日报"),
        ("来源：宛城区融媒体中心\n5月6日，宛城区召开会议。", "宛城区融媒体中心"),
        ("本报讯（记者 张三）5月6日，宛城区召开会议。", None),
        ("会议指出，资金来源：财政拨款。", None),
    ],
)
def test_outlet_patterns(text: str, outlet: str | None) -> None:
    assert extract_metadata(text).outlet == outlet


@pytest.mark.parametrize(
    ("text", "reporters"),
    [
        ("济源网讯(记者 郑海波 王会)12月23日，会议召开。", ("郑海波", "王会")),
        ("7月1日，会议召开。\n融媒体记者：李仪佳、乔盈盈", ("李仪佳", "乔盈盈")),
        ("7月1日，会议召开。（记者 罗跃）", ("罗跃",)),
        ("7月1日，会议召开。（记者罗跃）", ("罗跃",)),
        ("本报讯（记者 张三、李四 通讯员 王五）5月6日，会议召开。", ("张三", "李四")),
        ("（通讯员 王五 记者 赵六）5月6日，会议召开。", ("赵六",)),
        ("7月1日，会议召开。\n记者 张三 王五", ("张三", "王五")),
        ("7月1日，会议召开。\n（通讯员 王五）", ()),
        ("他在接受记者采访时表示，今年经济向好。", ()),
    ],
)
def test_reporters(text: str, reporters: tuple[str, ...]) -> None:
    assert extract_metadata(text).reporters == reporters


# --- title --------------------------------------------------------------------------------


def test_kicker_joins_the_main_title_and_attendance_lines_are_dropped() -> None:
    text = "张三在全县经济工作会议上强调\n抓项目 促发展\n李四出席\n近日，全县经济工作会议召开。"
    meta = extract_metadata(text)
    assert meta.title == "张三在全县经济工作会议上强调：抓项目 促发展"
    assert meta.meeting == "全县经济工作会议"


def test_short_title_is_cut_outside_quotes() -> None:
    text = (
        "7月22日下午，宛城区上半年经济形势分析会暨“拼搏三季度、奠定全年胜”动员会、"
        "全区半年项目观摩总结会召开。"
    )
    expected = "宛城区上半年经济形势分析会暨“拼搏三季度、奠定全年胜”动员会"
    assert extract_metadata(text).title == expected


def test_title_skips_dateline_and_byline() -> None:
    text = "济源网讯(记者 郑海波)12月23日，示范区召开项目建设推进会。会议强调……"
    assert extract_metadata(text).title == "示范区召开项目建设推进会"


# --- region and meeting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("5月6日，南阳市宛城区召开优化营商环境推进会。", "宛城区"),
        ("近日，中共上海市嘉定区第七届委员会第九次全体会议举行。", "嘉定区"),
        ("8月1日，示范区召开项目建设推进会。", "示范区"),
        ("新华社北京8月1日电 示范区召开项目建设推进会。", "示范区"),
        ("济源网讯 8月1日，示范区召开项目建设推进会。", "济源示范区"),
        ("近日，全区三级干部会议召开。会上，宛城区委书记张三讲话。", "宛城区"),
        ("市委常委、区委书记张三出席会议并讲话。", None),
        ("会议在中心城区召开，武陵山区代表参加。", None),
    ],
)
def test_region(text: str, region: str | None) -> None:
    assert extract_metadata(text).region == region


@pytest.mark.parametrize(
    ("text", "meeting"),
    [
        ("5月6日，宛城区召开优化营商环境推进会，部署工作。", "优化营商环境推进会"),
        ("5月6日，宛城区三级干部会议在区会议中心召开。", "宛城区三级干部会议"),
        ("近日，会议召开。", None),
        ("5月6日，宛城区召开会议。", None),
        ("张三在全县经济工作会议上强调\n抓项目 促发展\n近日，张三调研企业。", "全县经济工作会议"),
    ],
)
def test_meeting(text: str, meeting: str | None) -> None:
    assert extract_metadata(text).meeting == meeting


# --- robustness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n\n", "Hello world. This is English only.", "？？？", "(((", "记者", "12月"],
)
def test_odd_inputs(text: str) -> None:
    meta = extract_metadata(text)
    assert meta.date is None
    assert meta.date_confidence == "none"
    assert isinstance(meta.title, str)


def test_english_only_title() -> None:
    assert extract_metadata("Hello world. This is English only.").title == "Hello world"


# Characters that the patterns care about, to push random text through every branch.
REPORT_CHARS = "0123456789年月日今明去届中全会大十二四五收官召开举行区县市记者讯（）()，。、：\n ?"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list(REPORT_CHARS)),
        max_size=120,
    )
)
def test_never_raises_on_report_like_noise(text: str) -> None:
    meta = extract_metadata(text)
    assert meta.date_confidence in ("high", "medium", "low", "none")
    assert meta.date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=30)))
def test_never_raises_on_arbitrary_text(text: str, date: str | None) -> None:
    extract_metadata(text, date=date)
