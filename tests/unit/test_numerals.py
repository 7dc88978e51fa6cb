"""Numbers read from the sentences of reports and of answers (ingest.zh.numerals)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.zh.numerals import parse_number, quantities


def read(text: str) -> list[tuple[Decimal, str, str]]:
    """Each number of ``text``: its value, its unit and the words it was read from."""
    return [(q.value, q.unit, text[q.start : q.end]) for q in quantities(text)]


D = Decimal


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "全区生产总值首次突破400亿元大关，实现414.9亿元，增长5.7%；",
            [
                (D("4E10"), "元", "400亿元"),
                (D("41490000000"), "元", "414.9亿元"),
                (D("5.7"), "%", "5.7%"),
            ],
        ),
        ("全年地区生产总值增长百分之九点九。", [(D("9.9"), "%", "百分之九点九")]),
        ("全年完成固定资产投资三千二百万元。", [(D("32000000"), "元", "三千二百万元")]),
        ("全市金融机构本外币存款余额达1.2万亿元。", [(D("1.2E12"), "元", "1.2万亿元")]),
        (
            "一年来新增城镇就业两万人，培训农民工一万二千人次。",
            [
                (D("20000"), "人", "两万人"),
                (D("12000"), "人次", "一万二千人次"),
            ],
        ),  # fmt: skip
        ("全区九成以上行政村实现集中供水。", [(D("90"), "%", "九成")]),
        (
            "高新技术企业数量增长3倍，专精特新企业达二十五家。",
            [
                (D("3"), "倍", "3倍"),
                (D("25"), "家", "二十五家"),
            ],
        ),  # fmt: skip
        ("十年来，全区经济总量翻了两番。", [(D("10"), "年", "十年"), (D("4"), "倍", "翻了两番")]),
        (
            "力争到2027年实现研发投入翻一番。",
            [(D("2027"), "年", "2027年"), (D("2"), "倍", "翻一番")],
        ),
        ("城乡居民收入差距缩小到千分之三以内。", [(D("3"), "‰", "千分之三")]),
        ("城镇登记失业率下降0.4个百分点。", [(D("0.4"), "百分点", "0.4个百分点")]),
        (
            "新建5G基站1,234个，新增装机容量5万千瓦。",
            [
                (D("5"), "", "5"),
                (D("1234"), "个", "1,234个"),
                (D("50000"), "千瓦", "5万千瓦"),
            ],
        ),  # fmt: skip
        (
            "Wancheng's GDP grew by nine point nine percent in 2024.",
            [
                (D("9.9"), "%", "nine point nine percent"),
                (D("2024"), "", "2024"),
            ],
        ),  # fmt: skip
        (
            "The district raised twelve million yuan for rural roads.",
            [
                (D("12000000"), "", "twelve million"),
            ],
        ),  # fmt: skip
        (
            "Retail sales reached 3.2 billion yuan, up 7.3 per cent, and exports doubled.",
            [
                (D("3.2E9"), "", "3.2 billion"),
                (D("7.3"), "%", "7.3 per cent"),
                (D("2"), "倍", "doubled"),
            ],
        ),  # fmt: skip
        (
            "One of the twenty-five projects is three times larger.",
            [
                (D("25"), "", "twenty-five"),
                (D("3"), "倍", "three times"),
            ],
        ),  # fmt: skip
    ],
)
def test_numbers_in_report_and_answer_sentences(
    sentence: str, expected: list[tuple[Decimal, str, str]]
) -> None:
    assert read(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "全会指出，2025年是“十四五”规划收官之年。",  # 十四五 is a plan, not 145
        "动员全区上下进一步统一思想、坚定信心，这一点十分重要。",  # 一, 十分
        "召开中共嘉定区第七届委员会第九次全体会议。",  # ordinals
        "千万不要有万一的侥幸心理，做到一成不变地抓好落实。",  # idioms
        "要抓好三农工作，办好一批民生实事，推动五大振兴。",  # numerals inside words
        "三四个项目正在洽谈。",  # three or four: not one number
        "No one in the district was left behind.",  # "one" is not a figure
    ],
)
def test_numerals_inside_words_are_not_figures(sentence: str) -> None:
    assert [text for value, _, text in read(sentence) if value != 2025] == []


@pytest.mark.parametrize(
    ("wordings", "value", "unit"),
    [
        (["增长9.9%", "增长百分之九点九", "grew by nine point nine percent", "up 9.9 per cent"],
         D("9.9"), "%"),
        (["九成", "90%", "ninety percent"], D("90"), "%"),
        (["1.2万亿", "12000亿", "一点二万亿", "1.2 trillion", "one point two trillion"],
         D("1.2E12"), ""),
        (["三千二百万", "3200万", "3,200万", "thirty-two million", "32 million"],
         D("32000000"), ""),
        (["两万", "2万", "二万", "twenty thousand", "20,000"], D("20000"), ""),
        (["翻番", "翻一番", "翻了一番", "doubled", "2倍", "twofold"], D("2"), "倍"),
        (["翻两番", "翻了两番", "quadrupled", "4倍", "四倍"], D("4"), "倍"),
    ],
)  # fmt: skip
def test_one_value_whatever_the_wording(wordings: list[str], value: Decimal, unit: str) -> None:
    for text in wordings:
        [(read_value, read_unit, _)] = read(text)
        assert (read_value, read_unit) == (value, unit), text


def test_scale_is_kept_apart_from_the_number_as_written() -> None:
    [gdp] = quantities("实现414.9亿元")
    assert (gdp.number, gdp.scale, gdp.unit) == (D("414.9"), "亿", "元")
    [people] = quantities("twelve million people")
    assert (people.number, people.scale) == (D("12"), "million")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三千二百万", D("32000000")),
        ("一亿二千万", D("120000000")),
        ("一百零五", D("105")),
        ("三千二", D("3200")),
        ("十", D("10")),
        ("二〇二四", D("2024")),
        ("1.2万亿", D("1.2E12")),
        ("百分之九点九", D("9.9")),
        ("twelve million", D("12000000")),
        ("one hundred and five", D("105")),
        ("3.2 billion", D("3.2E9")),
        ("414.9", D("414.9")),
        ("十四五", None),
        ("统一", None),
        ("增长5.7%", None),
    ],
)
def test_parse_number(text: str, value: Decimal | None) -> None:
    assert parse_number(text) == value
