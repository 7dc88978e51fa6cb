"""Reading the direct answer: the kind a question asks for, and the span of a sentence
that fills its gap. Pure functions, real sentences of the kind the reports hold (written
for these tests, in the reports' wording)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.documents import Document

from ingest.zh.patterns import amounts, dates, tighten
from retrieval.asking import Expected, expected_answer
from retrieval.candidates import Weights, gather, wanted_words
from retrieval.evaluation import EvalItem, EvalResult, calibration, is_correct
from retrieval.ranking import Ranked, load_model, promote, rank
from retrieval.reading import read
from retrieval.types import Answer


@pytest.mark.parametrize(
    ("question", "kind", "unit", "percent"),
    [
        ("宛城区2024年地区生产总值是多少？", "number", None, False),
        ("宛城区2024年地区生产总值增长了多少？", "number", None, True),
        ("全县新增就业多少人？", "number", "人", False),
        ("该市一般公共预算收入是多少亿元？", "number", "亿元", False),
        ("粮食产量占全省的百分之几？", "number", "%", True),
        ("谁主持召开了区委常委会会议？", "person", None, False),
        ("哪个部门牵头负责此项工作？", "org", None, False),
        ("三级干部会议在哪里召开？", "place", None, False),
        ("会议于哪一天召开？", "date", "日", False),
        ("张宏义担任什么职务？", "role", None, False),
        ("会议提出了哪些措施？", "list", None, False),
    ],
)
def test_the_kind_of_answer_a_chinese_question_asks_for(
    question: str, kind: str, unit: str | None, percent: bool
) -> None:
    expected = expected_answer(question)
    assert (expected.kind, expected.unit, expected.percent) == (kind, unit, percent)


@pytest.mark.parametrize(
    ("question", "kind", "unit"),
    [
        ("How many people attended the plenary?", "number", "人"),
        ("What was Wancheng District's general public budget revenue in 2024?", "number", "元"),
        ("What was Wancheng's GDP growth rate in 2024?", "number", "%"),
        ("Who chaired the meeting of the Jiyuan working committee?", "person", None),
        ("When was the plenary held?", "date", None),
        ("Where was the conference held?", "place", None),
        ("Which district head chaired the meeting?", "person", None),
        ("Which district held the plenary?", "place", None),
        ("On which days did the working committee hold its special meeting?", "date", None),
        # how fast something grew asks for a rate; an added value is an amount of money
        ("How fast did the district's retail sales grow in 2024?", "number", "%"),
        ("What level was the district's added value expected to reach?", "number", "元"),
        # "when" inside the question is a conjunction, not the asking word
        (
            "Which principle did Zhuang Jianqiu stress when planning next year's work?",
            "phrase",
            None,
        ),
        # a town asked for is a place, whatever money the question mentions
        ("Which town revitalized idle factories to attract investment?", "place", None),
        # where a district ranks is an ordinal (第三), not a place; which city ranked
        # first is a place
        ("Where does Lincheng District rank among the province's districts?", "number", "第"),
        ("What was the county's ranking in the survey?", "number", "第"),
        ("Which city ranked first in retail sales?", "place", None),
    ],
)
def test_the_kind_of_answer_an_english_question_asks_for(
    question: str, kind: str, unit: str | None
) -> None:
    expected = expected_answer(question, english=True)
    assert (expected.kind, expected.unit) == (kind, unit)


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        # the amount written against the noun counted, not the one nearer a long
        # stretch of the question
        (
            "全市运动员在全国比赛中共获得了多少枚金牌？",
            "今年以来，全市运动员在全国比赛中共获得奖牌57枚，其中金牌19枚。",
            "19枚",
        ),
        (
            "该公司上半年实现了多少利润？",
            "该公司上半年实现营业收入86.4亿元和利润12.35亿元，利润同比增长8%。",
            "12.35亿元",
        ),
        # a total and its growth rate in one sentence
        (
            "宛城区2024年地区生产总值是多少？",
            "2024年，宛城区地区生产总值完成520.3亿元，同比增长6.1%。",
            "520.3亿元",
        ),
        (
            "宛城区2024年地区生产总值增长了多少？",
            "2024年，宛城区地区生产总值完成520.3亿元，同比增长6.1%。",
            "6.1%",
        ),
        # the qualifier is part of the figure: "不超过60公里" is not "超过60公里"
        (
            "接驳车的最高行驶速度是多少？",
            "园区接驳车以最高不超过60公里的行驶速度运行。",
            "不超过60公里",
        ),
        ("赔付流程缩短至多少小时？", "公司将赔付流程由5天缩短至36小时内。", "36小时内"),
        # the value a change ended at, not the one it started from
        ("城镇调查失业率是多少？", "城镇调查失业率由5.6%降至5.3%。", "5.3%"),
        # 多久 asks for a length of time, and the one a change ended at
        ("赔付流程缩短到了多长时间？", "公司将赔付流程由5天缩短至36小时内。", "36小时内"),
        ("喷发持续了多久？", "观测站于21日19时56分观测到持续30秒的短时喷发。", "30秒"),
        ("项目建设周期多长时间？", "项目于2023年开工，建设周期一年半，明年完工。", "一年半"),
        ("新增城镇就业多少人？", "全县新增城镇就业3200人，完成年度目标的106%。", "3200人"),
        # money asked for by its noun (贷款): the amount in 元, not the count of borrowers
        (
            "农商银行向二手车商户发放了多少贷款？",
            "截至5月底，向二手车商户发放贷款512户，4230万元。",
            "4230万元",
        ),
        # a mark passed is not the value reached, unless the question asks for the mark
        (
            "全区生产总值达到了多少？",
            "全区生产总值首次突破300亿元大关，实现318.6亿元，增长5.2%。",
            "318.6亿元",
        ),
        (
            "全区生产总值首次突破了多少亿元大关？",
            "全区生产总值首次突破300亿元大关，实现318.6亿元，增长5.2%。",
            "300亿元",
        ),
    ],
)
def test_the_amount_a_question_asks_for(question: str, sentence: str, answer: str) -> None:
    reading = read(expected_answer(question), sentence)
    assert reading is not None and reading.span == answer


# Values given respectively to a list of items: the value of the item the question
# names, with 分别 or without it (invented sentences of the reports' shapes).
_GIVEN = "全县实现工业产值86.5亿元、税收收入7.2亿元，同比增长9.4%和12.6%。"
_LEADS = "对全市服务业收入与服务业税收增长的贡献率达到31.5%和27.8%。"
_SHARED_TAIL = "其中：甲镇和乙乡的宽带入户率分别约为61%和58%，高于全省平均水平。"
_SHARED_HEAD = "南湖师范学院本科生和研究生的报到时间分别为9月2日至4日、9月5日至7日。"
_INNER_AND = "上半年，纺织和服装制造业、家具制造业拉动明显，产值增幅分别为11.2%和8.4%；"
_THREE = "全县新建、改建和扩建农村公路分别为12公里、30公里和45公里。"
_TWICE = (
    "今年小麦、玉米和大豆按播种面积计分别占全市的31.2%、25.6%和12.4%，"
    "按产量计分别占28.1%、30.2%和9.9%。"
)
_SHORT = "自6月1日起，本市汽、柴油零售价格每升分别上调0.12元、0.15元。"


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        ("全县税收收入同比增长了多少？", _GIVEN, "12.6%"),
        ("全县工业产值同比增长了多少？", _GIVEN, "9.4%"),
        ("对全市服务业税收增长的贡献率是多少？", _LEADS, "27.8%"),
        ("甲镇的宽带入户率是多少？", _SHARED_TAIL, "约为61%"),
        ("乙乡的宽带入户率是多少？", _SHARED_TAIL, "58%"),
        ("南湖师范学院研究生的报到时间是什么时候？", _SHARED_HEAD, "9月5日至7日"),
        ("南湖师范学院本科生的报到时间是什么时候？", _SHARED_HEAD, "9月2日至4日"),
        ("纺织和服装制造业产值增幅是多少？", _INNER_AND, "11.2%"),
        ("家具制造业产值增幅是多少？", _INNER_AND, "8.4%"),
        ("全县扩建农村公路多少公里？", _THREE, "45公里"),
        # the same items measured twice: the run measured as the question asks
        ("玉米按产量计占全市的百分之多少？", _TWICE, "30.2%"),
        ("大豆按产量计占全市的百分之多少？", _TWICE, "9.9%"),
        ("小麦按播种面积计占全市的百分之多少？", _TWICE, "31.2%"),
        ("大豆按播种面积计占全市的百分之多少？", _TWICE, "12.4%"),
        # items written short before the last one: 汽、柴油 is 汽油 and 柴油
        ("本市汽油零售价格每升上调了多少元？", _SHORT, "0.12元"),
        ("本市柴油零售价格每升上调了多少元？", _SHORT, "0.15元"),
    ],
)
def test_the_value_given_respectively_to_the_item_asked(
    question: str, sentence: str, answer: str
) -> None:
    reading = read(expected_answer(question), sentence)
    assert reading is not None and reading.span == answer


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        # a count of things is never the rate it changed by (invented sentences)
        ("全县书店的总数量是多少？", "全县书店总数量同比增长12.4%，达到86家。", "达到86家"),
        ("全县书店数量是多少？", "全县书店数量增长12.5%。", None),
        ("全县粮食产量是多少？", "全县粮食产量占全市的31%，达12.6万吨。", "达12.6万吨"),
        # a share is a percentage, not a count of times
        ("该县在全省份额中占据了多少？", "该县产量占全省份额的18.2%，连续9次位居第一。", "18.2%"),
        # two rates compared: the gap in percentage points, not either rate
        (
            "全市规模以上工业企业营业收入的增速比全省的增速高出了多少？",
            "全市规模以上工业企业营业收入同比增长12.4%，高于全省增速2.1个百分点。",
            "2.1个百分点",
        ),
        # the qualifier asked ("超过几个") holds the amount after it, not an earlier one
        ("每个乡镇的家庭农场超过几个？", "全县共培育家庭农场860个，每个乡镇超过20个。", "超过20个"),
        # a fraction is a share
        (
            "本季度降雨量超过全年的几分之几？",
            "本季度该县降雨量达412毫米，超过全年的三分之一。",
            "三分之一",
        ),
        (
            "新航站楼使机场客运能力增加了多少？",
            "新航站楼投用后，机场的客运能力增加了近四分之一。",
            "近四分之一",
        ),
    ],
)
def test_a_count_is_no_rate_and_a_share_is_one(
    question: str, sentence: str, answer: str | None
) -> None:
    reading = read(expected_answer(question), sentence)
    assert (reading.span if reading else None) == answer


def test_blanks_between_numbers_and_chinese_do_not_split_an_amount() -> None:
    sentence = tighten("通报要求平台立即清退 2146 辆不合规车辆，7 月 31 日前完成。")
    assert sentence == "通报要求平台立即清退2146辆不合规车辆，7月31日前完成。"
    reading = read(expected_answer("平台被要求清退多少辆不合规车辆？"), sentence)
    assert reading is not None and reading.span == "2146辆"


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        ("会议于哪一天召开？", "全县三级干部会议于2月18日召开，会期一天。", "2月18日"),
        # all the question says around the date counts, not only its best piece
        (
            "王建军在哪一年晋升为处长？",
            "王建军于1998年参加工作，2009年从党校学习归来后晋升为处长。",
            "2009年",
        ),
        # the date may stand before what the question names
        (
            "结束应急响应的时间是什么时候？",
            "市防指于8月5日8时30分结束应急响应，各港口恢复通航。",
            "8月5日8时30分",
        ),
        # "before the end of September" is not "September"
        (
            "大桥预计在什么时间完成主体施工？",
            "按计划，今年9月底前完成大桥主体施工，年底通车。",
            "今年9月底前",
        ),
        # a season is a time
        (
            "气象部门提醒什么时候可能出现持续低温？",
            "气象部门提醒，今年冬季可能出现持续低温，各地要提前做好防寒准备。",
            "今年冬季",
        ),
        # … but 哪一年 asks a year
        (
            "运动员在哪一年的锦标赛中获得了4枚金牌？",
            "2023年锦标赛于今年夏季举行，该省运动员在锦标赛中获得了4枚金牌。",
            "2023年",
        ),
    ],
)
def test_the_date_a_question_asks_for(question: str, sentence: str, answer: str) -> None:
    reading = read(expected_answer(question), sentence)
    assert reading is not None and reading.span == answer


def test_the_person_and_the_place() -> None:
    chair = read(
        expected_answer("谁主持召开了区委常委会会议？"),
        "12月23日，区委书记王建国主持召开区委常委会会议。",
    )
    assert chair is not None and "王建国" in chair.span and "主持" not in chair.span
    place = read(
        expected_answer("区委常委会会议在哪里召开？"), "区委常委会会议在区行政中心第一会议室召开。"
    )
    assert place is not None and place.span == "区行政中心第一会议室"


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        # the place follows the last locative word, a date before it and the event's
        # verb after it are no part of it
        (
            "第三届数字经济论坛在哪里举行？",
            "为期两天的第三届数字经济论坛18日在浙江省乌镇互联网国际会展中心隆重开幕。",
            "浙江省乌镇互联网国际会展中心",
        ),
        # the question's verb (举行) and the report's (上演) differ: it still says where
        (
            "“梨园春色”戏曲演出周在哪里举行？",
            "“梨园春色”戏曲演出周将于下周在省艺术中心大剧院上演。",
            "省艺术中心大剧院",
        ),
        (
            "夏令营在哪里开营？",
            "第六届青少年科技夏令营昨天在南方科技大学开营。",
            "南方科技大学",
        ),
        (
            "友好城市论坛在哪里开幕？",
            "第三届友好城市论坛15日在白俄罗斯明斯克开幕。",
            "白俄罗斯明斯克",
        ),
    ],
)
def test_the_place_of_an_event(question: str, sentence: str, answer: str) -> None:
    reading = read(expected_answer(question), sentence)
    assert reading is not None and reading.span == answer


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        # the place named inside a longer gap, not the gap (invented sentences)
        (
            "哪个国家的科考船抵达了南岛港？",
            "当地时间5日，中国海洋科考船抵达南岛港，开始为期三天的访问。",
            "中国",
        ),
        (
            "哪个城市的养老院收到了可疑包裹？",
            "据报道，该国临海市一家养老院10日收到一个可疑包裹。",
            "临海市",
        ),
        ("河西县与哪个国家签署了合作协议？", "河西县2023年与德国签署了合作协议。", "德国"),
        # a town whose name runs on into the clause: the town
        ("全区哪个镇推进了老旧小区改造？", "柳溪镇有效推进老旧小区改造。", "柳溪镇"),
        # where someone or something was taken: the place that opens the gap
        ("受伤的游客被送往哪里？", "受伤的游客随即被送往医院并接受了治疗。", "医院"),
        (
            "他把折叠床搬到了哪里？",
            "他说，为了方便午休，就把折叠床搬到了办公室。",
            "办公室",
        ),
        (
            "该案将被移送至哪里？",
            "按照规定，该案将被移送至区法院少年庭，依法审理。",
            "区法院少年庭",
        ),
    ],
)
def test_a_place_named_inside_a_longer_gap(question: str, sentence: str, answer: str) -> None:
    reading = read(expected_answer(question), sentence)
    assert reading is not None and reading.span == answer


def test_a_place_the_question_names_or_a_counted_one_is_no_answer() -> None:
    # 河西县 is the question's own place; 两国 counts countries, it names none
    reading = read(
        expected_answer("河西县与哪个国家签署了合作协议？"), "河西县与两国企业签署了合作协议。"
    )
    assert reading is None or reading.span not in ("河西县", "两国")
    # 示范区 is a kind of place, not the name of one
    reading = read(
        expected_answer("哪个地区建成了新的物流中心？"), "今年示范区建成了新的物流中心。"
    )
    assert reading is None or reading.span != "示范区"


def test_a_place_inside_a_book_title_is_no_answer() -> None:
    # 治国 of 《论安邦治国》 reads like a country (X国); inside a title it names none
    expected = expected_answer("这部新书在哪个国家首发？")
    reading = read(expected, "《论安邦治国》西班牙文版首发式日前在西班牙举行。")
    assert reading is None or reading.span != "治国"
    reading = read(
        expected_answer("这本书的外文版在哪里首发？"), "《兴国之路》外文版首发式在肯尼亚举行。"
    )
    assert reading is not None and reading.span == "肯尼亚"


def test_a_title_of_another_body_reads_nothing() -> None:
    # 北京市委书记 is not the 区党工委书记 of a district report
    assert read(expected_answer("北京市委书记是谁？"), "区党工委书记杨博主持召开专题会议。") is None


def test_amount_and_date_patterns_keep_what_belongs_to_them() -> None:
    assert [a.text for a in amounts("略高于20%的覆盖率，气温为36.5℃，新接订单量1200万载重吨")] == [
        "略高于20%",
        "36.5℃",
        "1200万载重吨",
    ]
    # 一批 is "a number of", not a count: the count is the 45个 after it
    assert [a.text for a in amounts("提出一批重大项目，完成45个民生实事项目")] == ["45个"]
    assert [m.group(0) for m in dates("2025年8月底前上线，2026年1月起全面实行")] == [
        "2025年8月底前",
        "2026年1月起",
    ]
    # 年底 written once (2027年底), 月 written 月份
    assert [m.group(0) for m in dates("2027年底前建成，11月份起试运行")] == [
        "2027年底前",
        "11月份起",
    ]


def _ranked(question: str, text: str, words: list[str]) -> Ranked:
    expected = expected_answer(question)
    wanted = wanted_words([((w,), 1.0) for w in words], Weights(5000, dict.fromkeys(words, 20)))
    documents = [Document(page_content=text, metadata={"doc_id": "a", "index_text": text})]
    found = gather(
        expected, wanted, expected.left + expected.right, documents, {"a": "经济运行分析会"}
    )
    return rank(found, expected, load_model())


REPORT = (
    "宛城区召开经济运行分析会。2024年，宛城区地区生产总值完成520.3亿元，同比增长6.1%。"
    "会议强调要抓好项目建设。"
)


def test_the_committed_model_ranks_the_stating_sentence_first_and_doubts_a_near_miss() -> None:
    stated = _ranked("宛城区2024年地区生产总值是多少？", REPORT, ["宛城区", "2024", "地区生产总值"])
    assert stated.candidates[0].span == "520.3亿元"
    # the report says nothing of grain: its best sentence is no answer, and the
    # confidence says so
    missing = _ranked("宛城区2024年粮食产量是多少？", REPORT, ["宛城区", "2024", "粮食产量"])
    assert missing.confidence < load_model().threshold
    assert stated.confidence > 3 * missing.confidence


def test_calibration_buckets_count_answers_and_their_accuracy() -> None:
    item = EvalItem("1", "q", ("5%",), ("a",), "figure", "zh-hans")

    def result(confidence: float, right: bool) -> EvalResult:
        answer = Answer("q", "答：5%" if right else "答：6%", True, lang="zh-hans",
                        short_answer="5%" if right else "6%", confidence=confidence)  # fmt: skip
        return EvalResult(item, answer, is_correct(item, answer, strict=True), None)

    rows = calibration([result(0.9, True), result(0.85, False), result(0.5, True)])
    top = next(r for r in rows if r["bucket"] == "0.8-1.0")
    middle = next(r for r in rows if r["bucket"] == "0.4-0.6")
    assert (top["answers"], top["accuracy"]) == (2, 0.5)
    assert (middle["answers"], middle["accuracy"]) == (1, 1.0)


def test_an_answer_read_from_a_lower_sentence_is_judged_as_that_sentence() -> None:
    ranked = _ranked("宛城区2024年地区生产总值是多少？", REPORT, ["宛城区", "2024", "地区生产总值"])
    expected = expected_answer("宛城区2024年地区生产总值是多少？")
    last = len(ranked.candidates) - 1
    moved = promote(ranked, last, expected, load_model())
    assert moved.candidates[0] is ranked.candidates[last]
    assert moved.features[1] < 0  # its margin over the best is negative
    assert moved.confidence < ranked.confidence


@pytest.mark.parametrize(
    ("question", "sentence", "options", "answer"),
    [
        (
            "三级干部会议是在2月13日上午还是下午召开的？",
            "2月13日上午，全县三级干部会议在县会议中心召开。",
            ("上午", "下午"),
            "上午",
        ),
        (
            "该县粮食产量是增长还是下降？",
            "全县粮食产量同比下降3.2%，主要受旱情影响。",
            ("增长", "下降"),
            "下降",
        ),
    ],
)
def test_a_choice_is_answered_with_the_option_the_sentence_says(
    question: str, sentence: str, options: tuple[str, str], answer: str
) -> None:
    expected = expected_answer(question)
    assert (expected.kind, expected.options) == ("choice", options)
    reading = read(expected, sentence)
    assert reading is not None and reading.span == answer


@pytest.mark.parametrize(
    "question", ["他还是区长吗？", "会议还是要求各地加强什么？", "今年还是由他主持会议吗？"]
)
def test_still_is_no_choice(question: str) -> None:
    assert expected_answer(question).kind != "choice"


def test_an_english_question_anchors_on_any_of_its_terms() -> None:
    # English questions have no Chinese wording: their sides are the Chinese forms of
    # their terms, and one of them near a name is enough to read it.
    terms = "三级|干部|会议|主持|宛城"
    expected = Expected("person", left=terms, right=terms)
    reading = read(expected, "区委书记樊牛出席并讲话，区委副书记、区长郭炜主持。")
    assert reading is not None and "郭炜" in reading.span


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("What posts does Zhang Hongyi hold in the Jiyuan Demonstration Zone?", "role"),
        # "when" inside the question is a conjunction: the question asks for a title
        ("What position did Fan Niu hold when he spoke at the cadre meeting?", "role"),
        ("When was the plenary held?", "date"),
        ("In which year did the bridge open?", "date"),
        ("How fast did the district's retail sales grow?", "figure"),
    ],
)
def test_the_type_of_an_english_question(question: str, qtype: str) -> None:
    from retrieval.lexical import Tokenizer
    from retrieval.question import QuestionAnalyzer

    assert QuestionAnalyzer(Tokenizer()).analyze(question).qtype == qtype


def test_the_years_of_a_plan_in_english() -> None:
    # "the final year of the 14th Five-Year Plan" is its 收官之年, not any 最终
    from retrieval.lexical import Tokenizer
    from retrieval.question import QuestionAnalyzer

    query = QuestionAnalyzer(Tokenizer()).analyze(
        "Which year is the final year of the 14th Five-Year Plan?"
    )
    forms = {f for g in query.groups for f in g.forms}
    assert {"十四五", "收官之年"} <= forms


def test_an_english_word_is_translated_not_read_as_pinyin(tmp_path: Path) -> None:
    # The index holds 持那 (chi na) and 我们 (wo men) as well as 中国 and 老挝: "China"
    # and "women's" are English words, "China-Laos" two of them; "first half" is 上半年.
    from retrieval.english import Lexicon, PinyinIndex
    from retrieval.lexical import Tokenizer
    from retrieval.question import QuestionAnalyzer

    words = ["持那", "我们", "中国", "老挝", "铁路", "宛城", "妇女"]
    analyzer = QuestionAnalyzer(
        Tokenizer(),
        PinyinIndex(lambda: words),
        Lexicon(tmp_path / "cedict.marshal", lambda asked: {w: 1 for w in asked if w in words}),
    )
    query = analyzer.analyze(
        "How many passengers did the China-Laos Railway carry in the first half of the year?"
    )
    forms = {f for g in query.groups for f in g.forms}
    assert {"中国", "老挝", "上半年"} <= forms and "持那" not in forms
    assert "持那" not in query.places
    assert "我们" not in {
        f for g in analyzer.analyze("Who won the women's final?").groups for f in g.forms
    }
    # a place name that is no English word still reads as pinyin, and must be in the report
    assert "宛城" in analyzer.analyze("What was Wancheng District's GDP?").places
    # a sense the dictionary writes after a ";" ("/to complete; to accomplish/") counts
    lexicon = Lexicon(tmp_path / "cedict2.marshal", lambda asked: dict.fromkeys(asked, 1))
    assert "完成" in lexicon.table["complete"]


def test_english_words_are_looked_up_by_their_base_form(tmp_path: Path) -> None:
    # The dictionary lists "plan", "hold", "make up", "large": a question says
    # "planned", "held", "made up", "largest". A word it lists as written keeps its own
    # senses only ("officer" is no "office"), past forms their verb's too ("won").
    from retrieval.english import Lexicon, lemmas

    assert "plan" in lemmas("planned") and "stop" in lemmas("stopped")
    assert "hold" in lemmas("held") and "make up" in lemmas("made up")
    assert "large" in lemmas("largest") and "large" not in lemmas("largest", derived=False)
    lexicon = Lexicon(tmp_path / "cedict.marshal", lambda asked: dict.fromkeys(asked, 1), keep=50)
    assert "计划" in lexicon.translate("planned")
    assert "举行" in lexicon.translate("held")
    assert "组成" in lexicon.translate("made up")
    assert "赢得" in lexicon.translate("won")
    assert "办公室" not in lexicon.translate("officer")


def test_a_name_syllable_is_no_glossary_word(tmp_path: Path) -> None:
    # "Un" of a Korean name is not the UN (联合国); "the UN" is; a particle left over
    # from a phrasal verb ("made up") is no term the answer must hold.
    from retrieval.english import Lexicon, PinyinIndex
    from retrieval.lexical import Tokenizer
    from retrieval.question import QuestionAnalyzer

    analyzer = QuestionAnalyzer(
        Tokenizer(),
        PinyinIndex(lambda: []),
        Lexicon(tmp_path / "cedict.marshal", lambda asked: dict.fromkeys(asked, 1)),
    )

    def forms(question: str) -> set[str]:
        return {f for g in analyzer.analyze(question).groups for f in g.forms}

    assert "联合国" not in forms("Which factory did Kim Jong Un inspect?")
    assert "联合国" in forms("What did the UN secretary-general say?")
    assert "up" not in forms("Who made up the inspection team?")


def test_only_places_written_as_places_must_be_named() -> None:
    # 宛城区 and 上海市 are written as places: an answering report must name them.
    # jieba also tags 长度 and 嘉宾 as places: they only favour reports that name them.
    from retrieval.lexical import Tokenizer
    from retrieval.question import QuestionAnalyzer

    analyzer = QuestionAnalyzer(Tokenizer())
    assert analyzer.analyze("宛城区2024年地区生产总值是多少？").must_name == ("宛城",)
    assert analyzer.analyze("上海市市长是谁？").must_name == ("上海",)
    bridge = analyzer.analyze("这座特大桥的主跨长度是多少？")
    assert "长度" not in bridge.must_name
    guests = analyzer.analyze("谁向参加体验营的嘉宾表达了欢迎？")
    assert "嘉宾" not in guests.must_name


def test_the_best_reports_next_sentences_are_quoted_beside_its_best_one() -> None:
    from retrieval.candidates import Candidate
    from retrieval.choosing import supporting

    def said(doc_id: str, sentence: str) -> Candidate:
        return Candidate(doc_id=doc_id, sentence=sentence, chunk_rank=0, position=0)

    best = said("a", "会议要求，全面落实河长制。")
    same_report = said("a", "要加强巡河护河，每月至少巡查两次。")
    other_low = said("b", "另一县也召开了河长制工作会议。")
    other_high = said("c", "会议要求全面落实河长制，加强巡河。")
    unrelated = said("a", "会议由县长主持。")
    ranked = Ranked(
        [best, other_high, same_report, other_low, unrelated],
        [0.9, 0.6, 0.2, 0.3, 0.05],
        0.8,
        [],
    )
    quoted = [c.sentence for c in supporting(ranked, best)]
    # another report only when rated near the best; the best's own report down to a tenth
    assert quoted == [other_high.sentence, same_report.sentence]
    # beside a figure or a date only what is rated near the best
    assert [c.sentence for c in supporting(ranked, best, figure=True)] == [other_high.sentence]


def test_rare_characters_jieba_leaves_alone_are_a_name_everyday_ones_are_not() -> None:
    from retrieval.lexical import Tokenizer
    from retrieval.question import QuestionAnalyzer

    analyzer = QuestionAnalyzer(Tokenizer())

    def names(question: str) -> list[tuple[str, ...]]:
        return [g.forms for g in analyzer.analyze(question).groups if g.name]

    # 珑 琨: a company no dictionary knows, to be found in some report or refused
    assert ("珑琨",) in names("珑琨集团去年一季度营收多少？")
    # 们 站: everyday characters jieba left single, no name
    assert ("们站",) not in names("工人们站在哪个车间门口？")


def test_a_place_the_dictionary_knows_is_read_without_a_suffix() -> None:
    from retrieval.lexical import Tokenizer

    expected = expected_answer("北约计划在哪里开设联络处？")
    sentence = "据报道，北约计划在东京开设联络处，这将是其在亚洲的首个联络处。"
    assert read(expected, sentence) is None  # 东京 has no 市 or 国 to show it is a place
    reading = read(expected, sentence, Tokenizer().places_in)
    assert reading is not None and reading.span == "东京"
    # a word jieba tags as a place that names none is no answer
    assert Tokenizer().places_in("主要城市和全国各地") == []


def test_a_count_is_said_with_what_it_counts() -> None:
    from retrieval.choosing import with_noun
    from retrieval.lexical import Tokenizer
    from retrieval.question import QuestionAnalyzer

    analyzer = QuestionAnalyzer(Tokenizer())
    expected = analyzer.analyze("参加交流活动的青年代表来自多少个国家？").expected
    sentence = "共有来自12个国家的青年代表参加了交流活动。"
    reading = read(expected, sentence)
    assert reading is not None and reading.span == "12个"
    assert with_noun(expected, sentence, reading.span, reading.start) == "12个国家"
    # not when the sentence counts it in other words
    assert with_noun(expected, "12个国别的代表", "12个", 0) == "12个"
    # a modifier, or one half of a pair, is not what is counted
    assert analyzer.analyze("计划推出多少套高品质的小院？").expected.noun == ""
    assert analyzer.analyze("在多少个国家和地区实现了增长？").expected.noun == ""


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        # two counts asked together: both, whichever the reading found first
        (
            "组委会计划增派多少名医生和护士？",
            "为应对高温，组委会将增派12名医生和25名护士，并增设医疗点。",
            "12名医生和25名护士",
        ),
        (
            "一季度的交通事故造成了多少人死亡和受伤？",
            "一季度共发生14起交通事故，造成6人死亡，约20人受伤。",
            "6人死亡，约20人受伤",
        ),
        ("组委会计划增派多少名医生？", "组委会将增派12名医生和25名护士。", "12名"),
        # a change asked from and to: both ends
        (
            "5年期贷款利率从多少下调至多少？",
            "1年期贷款利率从4.35%下调至4.2%，5年期贷款利率从4.9%下调至4.75%。",
            "从4.9%下调至4.75%",
        ),
        ("5年期贷款利率下调至多少？", "5年期贷款利率从4.9%下调至4.75%。", "4.75%"),
    ],
)
def test_two_figures_asked_together_are_answered_together(
    question: str, sentence: str, answer: str
) -> None:
    from retrieval.choosing import with_noun

    expected = expected_answer(question)
    reading = read(expected, sentence)
    assert reading is not None
    assert with_noun(expected, sentence, reading.span, reading.start) == answer


def test_a_verb_or_pronoun_in_a_who_gap_names_nobody() -> None:
    from retrieval.lexical import Tokenizer

    tokenizer = Tokenizer()
    # "谁是领导人" read from "…会议，要求某国…": 要求 is a verb, 他们 a pronoun
    for gap in ("要求", "他们", "宣布", "此次", "后来这家", "她随后又谈到", "带动更多"):
        assert tokenizer.name_part(gap) is None, gap
    # a name no dictionary holds, a country, a body may answer "who" …
    for name in ("郭炜", "俄罗斯", "国防部", "区委副书记、区长郭炜", "外交部发言人玛丽娅"):
        assert tokenizer.name_part(name) == name
    # … after the linking words the gap opens with
    assert tokenizer.name_part("将由华为") == "华为"
    assert tokenizer.name_part("并向工作人员") == "工作人员"
