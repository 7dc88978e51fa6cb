"""Officials, meetings and figures extracted from the five seeds, scored against a hand gold.

The gold (``tests/data/facts_gold.json``) was written by reading the seeds, not from the
extractor's output; its conventions are listed in its ``_conventions`` entry.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.cleaning import clean_text
from ingest.facts import Facts, Figure, Meeting, Official, extract_facts
from ingest.metadata import extract_metadata
from ingest.script import to_simplified
from tests.helpers import ROOT

SEEDS = ROOT / "seeds"
GOLD: dict[str, Any] = json.loads((ROOT / "tests" / "data" / "facts_gold.json").read_text("utf-8"))
SEED_FILES = sorted(name for name in GOLD if not name.startswith("_"))

MIN_PRECISION = 0.95
MIN_RECALL = 0.90


@cache
def prepared(seed_file: str) -> tuple[str, dict[str, str | None]]:
    """A seed as ingest hands it over: cleaned, simplified, with its metadata arguments."""
    raw = (SEEDS / seed_file).read_text(encoding="utf-8")
    text = to_simplified(clean_text(raw).text)
    meta = extract_metadata(text)
    estimate = meta.date or meta.date_estimate
    return text, {
        "region": meta.region,
        "meeting": meta.meeting,
        "date": meta.date,
        "year": estimate[:4] if estimate else None,
    }


@cache
def facts(seed_file: str) -> Facts:
    text, args = prepared(seed_file)
    return extract_facts(text, **args)


def seed(prefix: str) -> str:
    (name,) = (s for s in SEED_FILES if s.startswith(prefix))
    return name


def precision_recall(
    predicted: list[Any], gold: list[Any], same: Callable[[Any, Any], bool]
) -> tuple[float, float]:
    """Greedy one-to-one matching; an empty side scores 1.0."""
    unmatched = list(gold)
    hits = 0
    for p in predicted:
        for g in unmatched:
            if same(p, g):
                unmatched.remove(g)
                hits += 1
                break
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(gold) if gold else 1.0
    return precision, recall


def pooled(
    pairs: Callable[[str], tuple[list[Any], list[Any]]],
) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """Predictions and gold of all seeds, each tagged with its seed file."""
    predicted: list[tuple[str, Any]] = []
    gold: list[tuple[str, Any]] = []
    for name in SEED_FILES:
        p, g = pairs(name)
        predicted += [(name, x) for x in p]
        gold += [(name, x) for x in g]
    return predicted, gold


def assert_scores(kind: str, precision: float, recall: float) -> None:
    assert precision >= MIN_PRECISION, f"{kind} precision {precision:.3f}"
    assert recall >= MIN_RECALL, f"{kind} recall {recall:.3f}"


def shares_bigram(a: str, b: str) -> bool:
    return a in b or b in a or any(a[i : i + 2] in b for i in range(len(a) - 1))


# ---------------------------------------------------------------------------
# Precision and recall against the gold
# ---------------------------------------------------------------------------


def test_officials_against_gold() -> None:
    predicted, gold = pooled(
        lambda name: (list(facts(name).officials), GOLD[name]["officials"]),
    )

    def same(p: tuple[str, Official], g: tuple[str, dict[str, Any]]) -> bool:
        return (
            p[0] == g[0]
            and p[1].name == g[1]["name"]
            and bool(set(p[1].titles) & set(g[1]["titles"]))
        )

    assert_scores("officials", *precision_recall(predicted, gold, same))


def test_figures_against_gold() -> None:
    predicted, gold = pooled(
        lambda name: (list(facts(name).figures), GOLD[name]["figures"]),
    )

    def same(p: tuple[str, Figure], g: tuple[str, dict[str, Any]]) -> bool:
        f, want = p[1], g[1]
        return (
            p[0] == g[0]
            and (f.value, f.unit) == (want["value"], want["unit"])
            and shares_bigram(f.metric, want["metric"])
        )

    assert_scores("figures", *precision_recall(predicted, gold, same))


def meeting_people(role: str) -> Callable[[str], tuple[list[str], list[str]]]:
    def pairs(name: str) -> tuple[list[str], list[str]]:
        found = [p for m in facts(name).meetings for p in getattr(m, role)]
        return found, [p for m in GOLD[name]["meetings"] for p in m[role]]

    return pairs


@pytest.mark.parametrize("role", ["chairs", "speakers", "attendees"])
def test_meeting_people_against_gold(role: str) -> None:
    predicted, gold = pooled(meeting_people(role))
    assert_scores(role, *precision_recall(predicted, gold, lambda p, g: p == g))


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_meeting_name_and_place(seed_file: str) -> None:
    found = facts(seed_file).meetings
    want = GOLD[seed_file]["meetings"]
    assert [(m.name, m.place) for m in found] == [(m["name"], m["place"]) for m in want]


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_figure_years_and_kinds(seed_file: str) -> None:
    found = {(f.value, f.unit): (f.year, f.kind) for f in facts(seed_file).figures}
    for want in GOLD[seed_file]["figures"]:
        assert found.get((want["value"], want["unit"])) == (want["year"], want["kind"]), want


# ---------------------------------------------------------------------------
# Exact values the issue lists
# ---------------------------------------------------------------------------

LISTED_OFFICIALS = [
    ("000", "庄建球", ("示范区党工委书记", "市委书记")),
    ("000", "张宏义", ("示范区管委会主任", "市长")),
    ("001", "樊牛", ("区委书记",)),
    ("001", "郭炜", ("区委副书记", "区长")),
    ("002", "杨博", ("市委常委", "区党工委书记")),
    ("002", "刘建中", ("区党工委副书记", "管委会主任")),
    ("003", "骆高燕", ("区委副书记", "区长")),
    ("003", "罗成", ("区委书记",)),
    ("003", "刘毅", ("区人大常委会主任",)),
    ("003", "姚登惠", ("区政协主席",)),
    ("004", "陆方舟", ("区委书记",)),
    ("004", "高香", ("区委副书记", "区长")),
    ("004", "吴杰", ("区委副书记",)),
]

LEADER_LISTS = [
    ("000", "示范区领导", "吕旅 孔庆贺 俞益民 侯波 赵山 李文轩 闫荣涛 张? 赵会生 王笑非 牛少伟"),
    ("002", "区领导", "邓霜丰 贾燕春 熊玮 巫丰林 曾育平 季志政 李宝仔"),
    ("004", "区委常委", "冯捷 顾惠文 姚卫华 陆祖芳 朱效洁 唐晓林 卞唯敏 魏化勇"),
]


def official(prefix: str, name: str) -> Official:
    (found,) = (o for o in facts(seed(prefix)).officials if o.name == name)
    return found


@pytest.mark.parametrize(("prefix", "name", "titles"), LISTED_OFFICIALS)
def test_listed_officials(prefix: str, name: str, titles: tuple[str, ...]) -> None:
    found = official(prefix, name)
    assert found.titles == titles
    assert found.region == prepared(seed(prefix))[1]["region"]
    assert name in found.sentence
    assert not found.unknown


@pytest.mark.parametrize(("prefix", "title", "names"), LEADER_LISTS)
def test_leader_lists(prefix: str, title: str, names: str) -> None:
    in_list = [o.name for o in facts(seed(prefix)).officials if o.titles == (title,)]
    assert in_list == names.split()


def figure(prefix: str, value: str, unit: str) -> Figure:
    (found,) = (f for f in facts(seed(prefix)).figures if (f.value, f.unit) == (value, unit))
    return found


LISTED_FIGURES: list[tuple[str, str, str, dict[str, str | None]]] = [
    (
        "001",
        "414.9",
        "亿元",
        {
            "metric": "地区生产总值",
            "year": "2024",
            "change": "增长5.7%",
            "note": "首次突破400亿元",
            "kind": "achieved",
        },
    ),
    ("001", "7.3", "%", {"metric": "社会消费品零售总额增速", "rank": "全市第一"}),
    ("001", "75", "家", {"metric": "新增“四上”企业", "rank": "全市第一"}),
    ("001", "12", "个月", {"metric": "数字化城市管理", "rank": "中心城区第一"}),
    ("004", "3000", "亿元", {"metric": "增加值", "kind": "expected"}),
    ("004", "45", "个", {"metric": "民生实事项目", "year": "2024", "kind": "achieved"}),
    ("004", "290", "项", {"metric": "改革任务", "year": "2025", "kind": "target"}),
]


@pytest.mark.parametrize(("prefix", "value", "unit", "fields"), LISTED_FIGURES)
def test_listed_figures(prefix: str, value: str, unit: str, fields: dict[str, str]) -> None:
    found = figure(prefix, value, unit)
    assert {key: getattr(found, key) for key in fields} == fields
    assert value in found.sentence


def test_listed_meetings() -> None:
    (wancheng,) = facts(seed("001")).meetings
    assert wancheng == Meeting(
        name="宛城区三级干部会议",
        date="2025-02-13",
        place="区会议中心",
        chairs=("郭炜",),
        speakers=("樊牛", "郭炜"),
        attendees=("樊牛",),
        sentence="2月13日上午，宛城区三级干部会议在区会议中心召开。",
    )
    (jiading,) = facts(seed("004")).meetings
    assert jiading.chairs == ("区委常委会",)
    assert jiading.speakers == ("陆方舟", "高香")
    assert jiading.attendees[:2] == ("吴杰", "冯捷")


def test_not_every_number_is_a_figure() -> None:
    values = {(f.value, f.unit) for name in SEED_FILES for f in facts(name).figures}
    # “141”基层智治体系, 2024年/2025年, the 400亿元 milestone, 新中国成立75周年.
    assert not {value for value, _unit in values} & {"141", "2024", "2025", "400"}
    assert ("75", "家") in values and ("75", "周年") not in values
    snippet = (
        "2024年12月23日，第5号台风过境。全区深入实施“141”基层智治体系和“十四五”规划，"
        "庆祝新中国成立75周年，召开区委五届九次全会。"
    )
    assert (
        extract_facts(snippet, region="宛城区", meeting=None, date=None, year="2024").figures == ()
    )


def test_a_birth_date_is_no_figure_year_and_an_abbreviation_no_break() -> None:
    text = (
        "柳溪区区长周明远，1975年3月出生，历任石桥市委副秘书长等职。上半年，全区地区生产总值"
        "（GDP）412.5亿元，同比增长5.6%。"
    )
    found = extract_facts(text, region="柳溪区", meeting=None, date="2025-07-20", year=None)
    (gdp,) = [f for f in found.figures if f.unit == "亿元"]
    assert (gdp.metric, gdp.value, gdp.year) == ("地区生产总值", "412.5", "2025")
    assert gdp.change == "同比增长5.6%"


# ---------------------------------------------------------------------------
# Garbled names
# ---------------------------------------------------------------------------


def test_garbled_name_is_kept_unknown_never_completed() -> None:
    garbled = official("000", "张?")
    assert garbled.unknown
    assert garbled.titles == ("示范区领导",)
    assert "闫荣涛、张、赵会生" in garbled.sentence
    # Nobody in the list was completed to a full 张 name.
    assert [o.name for o in facts(seed("000")).officials if o.name.startswith("张")] == [
        "张宏义",
        "张?",
    ]
    (meeting,) = facts(seed("000")).meetings
    assert "张?" in meeting.attendees


def test_garbled_name_in_other_reports() -> None:
    text = "县领导王立新、李、赵晓峰出席会议。县委书记周?主持会议。"
    found = extract_facts(text, region="某县", meeting=None, date=None, year=None)
    by_name = {o.name: o for o in found.officials}
    assert by_name["李?"].unknown and by_name["李?"].titles == ("县领导",)
    assert not by_name["王立新"].unknown and not by_name["赵晓峰"].unknown


# ---------------------------------------------------------------------------
# The same conventions in other reports
# ---------------------------------------------------------------------------


def test_conventions_on_an_unseen_snippet() -> None:
    text = (
        "8月2日，某县2023年上半年经济运行分析会在县行政中心召开。县委副书记、县长李明主持会议，"
        "县委书记王海涛出席并讲话。县领导孙伟、赵丽娟、钱进出席。\n"
        "2023年上半年，全县实现地区生产总值256.3亿元，同比增长6.1%，居全市第二；"
        "新签约项目18个。力争全年粮食产量达到12万吨。"
    )
    found = extract_facts(
        text,
        region="某县",
        meeting="某县2023年上半年经济运行分析会",
        date="2023-08-02",
        year="2023",
    )
    titles = {o.name: o.titles for o in found.officials}
    assert titles == {
        "李明": ("县委副书记", "县长"),
        "王海涛": ("县委书记",),
        "孙伟": ("县领导",),
        "赵丽娟": ("县领导",),
        "钱进": ("县领导",),
    }
    (meeting,) = found.meetings
    assert meeting.place == "县行政中心"
    assert meeting.chairs == ("李明",)
    assert meeting.speakers == ("王海涛",)
    assert set(meeting.attendees) == {"王海涛", "孙伟", "赵丽娟", "钱进"}
    figures = {(f.value, f.unit): f for f in found.figures}
    gdp = figures["256.3", "亿元"]
    assert (gdp.metric, gdp.year, gdp.change, gdp.rank, gdp.kind) == (
        "地区生产总值",
        "2023",
        "同比增长6.1%",
        "全市第二",
        "achieved",
    )
    assert figures["18", "个"].metric == "新签约项目"
    grain = figures["12", "万吨"]
    assert (grain.metric, grain.kind, grain.year) == ("粮食产量", "target", "2023")
    assert set(figures) == {("256.3", "亿元"), ("18", "个"), ("12", "万吨")}


def test_relative_years_and_comparisons() -> None:
    text = (
        "明年，全区要新建学校5所。去年同期，全区接待游客80万人次。"
        "今年全区接待游客90万人次，比上年增长12.5%。"
    )
    found = extract_facts(text, region=None, meeting=None, date=None, year="2024")
    figures = {(f.value, f.unit): f for f in found.figures}
    assert (figures["5", "所"].year, figures["5", "所"].kind) == ("2025", "target")
    assert figures["80", "万人次"].year == "2023"
    # "比上年" is a comparison: the change of the 2024 figure, not its year.
    visitors = figures["90", "万人次"]
    assert (visitors.year, visitors.change) == ("2024", "比上年增长12.5%")
    assert set(figures) == {("5", "所"), ("80", "万人次"), ("90", "万人次")}


# ---------------------------------------------------------------------------
# Robustness and speed
# ---------------------------------------------------------------------------

FRAGMENTS = list(
    "区委书记副区长主任领导常委郭炜张王李赵、，。；：“”《》()（）\n 0123456789.%亿元万个家项年月日"
    "增长下降同比全市第一有望力争要在召开主持出席讲话会议?·"
) + ["区委副书记、区长", "区领导", "出席会议", "首次突破", "实现", "分别"]


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)),
    meeting=st.one_of(st.none(), st.text(max_size=10)),
    year=st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["2024", "1999"])),
)
def test_never_raises(text: str, meeting: str | None, year: str | None) -> None:
    found = extract_facts(text, region="某区", meeting=meeting, date=None, year=year)
    assert isinstance(found, Facts)
    for item in _evidence(found):
        assert item.sentence in text
    for f in found.figures:
        assert f.value[0].isdigit() and f.unit and f.metric


def _evidence(found: Facts) -> Iterable[Official | Figure]:
    yield from found.officials
    yield from found.figures


def test_speed(record_property: Callable[[str, object], None]) -> None:
    """Measured, not asserted: the per-seed time goes to the JUnit report."""
    for name in SEED_FILES:
        text, args = prepared(name)
        extract_facts(text, **args)  # warm the regex cache
        start = time.perf_counter()
        for _ in range(20):
            extract_facts(text, **args)
        record_property(f"facts_ms_{name[:3]}", round((time.perf_counter() - start) * 50, 3))
