"""Comparisons across reports from the figures table: "哪个区2024年GDP增速最高？",
"宛城区和黔江区的GDP对比", "Which district had the highest GDP in 2024?".

A question that names several places, or asks 哪个/最高/最低/排名/对比/比较/各区, about a
metric of the small vocabulary below is answered with a table: place, value, year,
change — every row citing its sentence — sorted as asked. Figures are compared only
when metric, kind (a total or a growth rate) and year agree; 万元 and 万亿元 are turned
into 亿元; a place the question names with no such figure is listed as not reported,
never guessed; a place whose reports state two values shows both.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.metadata.region import outlet_place
from ingest.script import Script, render_in
from retrieval.citing import answer_line, citation, make_source
from retrieval.question import Query
from retrieval.store import FigureRow, Store, StoredReport
from retrieval.types import Answer

# One name per metric, and how reports and questions write it (the longest alias found
# names the metric: 城镇居民人均可支配收入 is not 居民人均可支配收入).
METRICS: dict[str, tuple[str, ...]] = {
    "地区生产总值": ("地区生产总值", "生产总值", "gdp", "经济总量", "gross domestic product"),
    "一般公共预算收入": ("一般公共预算收入", "general public budget revenue"),
    "财政收入": ("地方财政收入", "财政总收入", "财政收入", "fiscal revenue"),
    "规上工业增加值": ("规上工业增加值", "规模以上工业增加值", "industrial added value"),
    "规上工业总产值": ("规上工业总产值", "规模以上工业总产值", "industrial output"),
    "社会消费品零售总额": ("社会消费品零售总额", "社零总额", "retail sales"),
    "网上零售额": ("网上零售额", "online retail sales"),
    "固定资产投资": ("固定资产投资", "fixed asset investment", "fixed-asset investment"),
    "进出口总额": ("进出口总额", "进出口总值", "外贸进出口", "货物贸易进出口",
                   "imports and exports", "foreign trade"),
    "旅游收入": ("旅游综合收入", "旅游总收入", "旅游收入", "tourism revenue", "tourism income"),
    "居民人均可支配收入": ("居民人均可支配收入", "人均可支配收入",
                           "per capita disposable income", "disposable income"),
    "城镇居民人均可支配收入": ("城镇居民人均可支配收入", "城镇常住居民人均可支配收入",
                               "urban residents' per capita disposable income"),
    "农村居民人均可支配收入": ("农村居民人均可支配收入", "农村常住居民人均可支配收入",
                               "rural residents' per capita disposable income"),
    "存款余额": ("各项存款余额", "存款余额", "deposits"),
    "贷款余额": ("各项贷款余额", "贷款余额", "loans"),
}  # fmt: skip
# Their names in English answers.
ENGLISH = {
    "地区生产总值": "GDP",
    "一般公共预算收入": "general public budget revenue",
    "财政收入": "fiscal revenue",
    "规上工业增加值": "industrial added value (above designated size)",
    "规上工业总产值": "industrial output (above designated size)",
    "社会消费品零售总额": "retail sales of consumer goods",
    "网上零售额": "online retail sales",
    "固定资产投资": "fixed-asset investment",
    "进出口总额": "imports and exports",
    "旅游收入": "tourism revenue",
    "居民人均可支配收入": "per capita disposable income",
    "城镇居民人均可支配收入": "urban per capita disposable income",
    "农村居民人均可支配收入": "rural per capita disposable income",
    "存款余额": "deposit balance",
    "贷款余额": "loan balance",
}


def metric_name(metric: str, rate: bool, script: Script) -> str:
    """地区生产总值增速 / GDP growth, as a table's heading names it."""
    if script == "en":
        return f"{ENGLISH.get(metric, metric)}{' growth' if rate else ''}"
    return render_in(f"{metric}{'增速' if rate else ''}", script)


_ASKS = re.compile(
    r"最高|最低|最快|最慢|最多|最少|排名|排序|对比|比较|各[区县市镇省地]|列出|分别|"
    r"\bwhich (?:district|county|city|town)\b|\bhighest\b|\blowest\b|\bcompare\b|\brank\b|"
    r"\beach (?:place|district|county|city|province)\b"
)
_LOWEST = re.compile(r"最低|最慢|最少|\blowest\b|\bslowest\b")
_RATE = re.compile(r"增速|增长率|增幅|增长了?多少|\bgrowth\b|\bgrew\b")
CONFIDENCE = 0.9
MAX_CONFLICTS = 2  # other values shown under a row
_GROWTH = re.compile(r"(?:增长|增速)[^0-9-]{0,3}(-?\d+(?:\.\d+)?)%")

# The part of a year a figure covers, as questions and reports write it; the whole year
# (全年, or no such word) is None. 1-6月 is 上半年; a quarter alone (二季度) is its own.
_DASH = r"\s*[-—–~～－至到]\s*"
_PERIODS: tuple[tuple[str, str], ...] = (
    ("上半年", rf"上半年|1{_DASH}6月|一至六月|前[6六]个月|\bfirst half\b|\bH1\b"),
    ("前三季度", rf"前三季度|1{_DASH}9月|一至九月|前[9九]个月|\bfirst three quarters\b|\bQ1-Q3\b"),
    ("一季度", rf"第?一季度|1{_DASH}3月|一至三月|前[3三]个月|\bfirst quarter\b|\bQ1\b"),
    ("下半年", r"下半年|\bsecond half\b"),
    ("二季度", r"第?二季度|\bsecond quarter\b|\bQ2\b"),
    ("三季度", r"(?<!前)第?三季度|\bthird quarter\b|\bQ3\b"),
    ("四季度", r"第?四季度|\bfourth quarter\b|\bQ4\b"),
    ("全年", r"全年|\bfull[- ]year\b|\bwhole year\b"),
    # the year so far, through a month the sentence does not say: matches no question
    ("今年以来", r"今年以来|年初以来|\bso far this year\b"),
)
_PERIOD = re.compile("|".join(f"(?P<p{i}>{pattern})" for i, (_, pattern) in enumerate(_PERIODS)))
# Other runs of months from January (1-6月 and 1-9月 are named above).
_MONTHS = re.compile(rf"1{_DASH}(1[0-2]|[24578])月|前(1[0-2]|[24578]|[两四五七八十])个月")


def period_of(text: str) -> str | None:
    """The last part of a year ``text`` names (上半年, 前三季度, 1-5月 …); None for the
    whole year or none named."""
    found = [(m.start(), m.lastgroup) for m in _PERIOD.finditer(text)]
    found += [(m.start(), "months") for m in _MONTHS.finditer(text)]
    if not found:
        return None
    at, group = max(found)
    if group == "months":
        months = _MONTHS.match(text, at)
        assert months is not None
        count = months.group(1) or _CN_COUNT.get(months.group(2), months.group(2))
        return None if count == "12" else f"1-{count}月"
    name = _PERIODS[int(group[1:])][0] if group else None
    return None if name == "全年" else name


_CN_COUNT = {"两": "2", "四": "4", "五": "5", "七": "7", "八": "8", "十": "10"}


def figure_period(figure: FigureRow) -> str | None:
    """The part of the year a figure covers: named in its sentence before it, else — when
    the sentence names no time at all — in its report's title (上半年经济运行情况)."""
    before = _before(figure) or figure["sentence"]
    if _PERIOD.search(before) or _MONTHS.search(before):
        return period_of(before)
    if re.search(r"\d{4}年(?!\d)", before):  # 2024年，全区…: the whole year
        return None
    return period_of(figure.get("title") or "")


@dataclass(frozen=True)
class Row:
    place: str
    value: float | None  # in the unit shown (亿元 for money, % for rates)
    shown: str
    year: str | None
    change: str | None
    figure: FigureRow | None  # None: not reported
    # Other reports of the place's figure that state another value (not copies of it).
    conflicts: tuple[FigureRow, ...] = ()
    period: str | None = None  # the part of the year (上半年 …); None: the whole year

    def cell(self) -> dict[str, object]:
        """The row as ``Answer.table`` holds it."""
        figure = self.figure
        return {
            "place": self.place,
            "value": self.value,
            "shown": self.shown,
            "year": self.year,
            "period": self.period,
            "kind": figure["kind"] if figure else None,
            "change": self.change,
            "file": figure["file"] if figure else None,
            "doc_id": figure["doc_id"] if figure else None,
            "sentence": figure["sentence"] if figure else None,
            "conflicts": [
                {"value": f"{c['value']}{c['unit']}", "file": c["file"], "sentence": c["sentence"]}
                for c in self.conflicts
            ],
        }


def metric_of(text: str) -> str | None:
    """The vocabulary's name for the metric ``text`` names, if any (the longest alias);
    None for a share or a per-head figure of it (服务业占地区生产总值的比重, 人均…)."""
    lowered = text.lower()
    found = _alias_in(lowered)
    if found is None or _NOT_THE_METRIC.search(lowered.replace(found[1], "")):
        return None  # 人均 of 人均可支配收入 is the metric's own word
    return found[0]


_NOT_THE_METRIC = re.compile(r"占|比重|人均|年均|平均|per capita|share|average")


def _alias_in(lowered: str) -> tuple[str, str] | None:
    """(metric, alias) of the longest alias in ``lowered``."""
    best: tuple[str, str] | None = None
    for name, aliases in METRICS.items():
        for alias in aliases:
            if alias in lowered and (best is None or len(alias) > len(best[1])):
                best = (name, alias)
    return best


# A place as a metric or sentence names it: 青禾区, 石桥市 (not 全区, 本市, 该县).
_PLACE = re.compile(r"(?<![全本我该各])([\u4e00-\u9fff]{2,6}?[省市区县])")
# What may stand between a place and its metric: 石桥市(今年上半年)(完成)地区生产总值.
_LEAD_IN = r"(?:全年|今年|去年|上半年|前三季度|一季度)*(?:实现|完成|达到|共)?$"
_BETWEEN = re.compile(f"^{_LEAD_IN}")
# A place without 市/区 before its metric: 云溪GDP, 柳溪实现地区生产总值.
_BARE = re.compile(f"^(?![全本我该各])([\u4e00-\u9fff]{{2,3}}){_LEAD_IN}")


def _plausible(place: str) -> bool:
    """A place a sentence names, not a phrase ending like one (完成地区, 徽州三区,
    根据广东省, 历任苏州市) nor the country's (国内生产总值)."""
    return (
        not place.endswith("地区")
        and not _NOT_IN_PLACES.search(place)
        and not _LEADING_WORD.match(place)
    )


_LEADING_WORD = re.compile(
    r"根据|依据|按照|据|其|国内|全国|领跑|历任|曾任|担任|位列|超过|跻身|同期|地方|国家|中央"
)


_NOT_IN_PLACES = re.compile(r"[年完成实现上下半季度的是在和与对为了级一二三四五六七八九十两各]")


def place_of(figure: FigureRow) -> str | None:
    """The place a figure is of: the one its metric names (石桥市完成地区生产总值), else
    the last one its sentence names before the figure (a roundup of several places),
    else the report's region, else — for 全省/全市… — the place its title names."""
    metric = figure["metric"]
    if _NATIONAL_METRIC.match(metric):
        return NATIONAL  # 国内生产总值, 全国社会消费品零售总额: the country's, not the region's
    found = _alias_in(metric.lower())
    if found is not None:
        head = metric[: metric.lower().find(found[1])]
        for match in _PLACE.finditer(head):
            if match.start() == 0 and _BETWEEN.match(head[match.end() :]):
                return match.group(1)
        bare = _BARE.match(head)
        if bare and _plausible(bare.group(1)):
            known = figure["region"] or ""
            return known if known.startswith(bare.group(1)) else bare.group(1)
    before = _before(figure)
    if found is not None and re.search(
        rf"全国.{{0,4}}{re.escape(found[1])}[^，；]*$", before.lower()
    ):
        return NATIONAL  # 上半年，全国社会消费品零售总额…
    named = [m.group(1) for m in _PLACE.finditer(before) if _plausible(m.group(1))]
    region = figure["region"] if _plausible(figure["region"] or "") else None
    if named and not (region and named[-1] in region):
        return named[-1]
    own = _OWN.search(before)
    if region is None and own:  # 全省实现…: the place the title names, else the outlet's
        titled = [m.group(1) for m in _TITLED.finditer(figure.get("title") or "")]
        stem = outlet_place(figure.get("outlet"))
        level = own.group(0)[-1]
        return next((t for t in titled if _plausible(t)), stem + level if stem else None)
    return region


# The country as a place: its figures (国内生产总值, 全国…) and how questions name it.
NATIONAL = "全国"
_NATIONAL_METRIC = re.compile(r"^(?:全国|国内生产总值)")
_NATIONAL_ASKED = re.compile(r"全国|\bnational(?:ly)?\b|\bthe (?:whole )?country\b|\bnationwide\b")


# Every two or three characters and a 省/市/区/县 in a title, overlapping: 云州省 of
# "…讨论了省里的《云州省…》" (where a scan from the left finds "讨论了省").
_TITLED = re.compile(r"(?=([\u4e00-\u9fff]{2,3}[省市区县]))")


# The report's own place: 全省/全市/全区/全县, 我省/我市 …
_OWN = re.compile(r"[全我本][省市区县]")


# "青禾区和云山区": places joined in the question, known to the index or not.
_JOINED = re.compile(
    r"(?:^|(?<=[和与、及跟同，(（]))(?![哪各全每该本])([\u4e00-\u9fff]{2,4}?[省区县市镇])"
    r"(?=[和与、及跟同的\dA-Za-z（()）])"
)


def named_places(query: Query) -> list[str]:
    """The places the question names: the analyzer's, and any joined by 和/与/、."""
    text = _ASKING_FIRST.sub("", query.index_text)  # 列出青禾区和…: not a place 列出青禾区
    places = list(query.must_name)  # written as places: not 大关 (a county jieba knows)
    for place in query.places:  # "石桥和柳溪": places the analyzer knows, joined
        named = re.escape(place)
        if place not in places and re.search(
            rf"(?:^|[和与、及跟同]){named}|{named}[省市区县]?[和与、及跟同]", text
        ):
            places.append(place)
    listed = _LISTED.match(text)  # 青禾、柳溪、石桥三区2024年…
    found_words = re.split(r"[、和与及]", listed.group(1)) if listed else []
    for found in [*found_words, *_JOINED.findall(text)]:
        found = _COUNTED.sub("", found)  # 青禾、石桥两区: 石桥
        if len(found) < 2 or any(found in p for p in places):
            continue
        shorter = [p for p in places if p in found]  # the analyzer's 云山 of 云山镇
        places = [found if p in shorter else p for p in places]
        if not shorter:
            places.append(found)
    if places and _NATIONAL_ASKED.search(text.lower()):  # 青禾区的GDP增速与全国相比
        places.append(NATIONAL)
    return [p for p in places if not _LEVEL_WORD.match(p)]


# The words that open a request rather than name a place.
_ASKING_FIRST = re.compile(
    r"^(?:请问?|麻烦)?(?:列出|列举|比较一下|比较|对比一下|对比|排列|排序|说说|查询|查一下|统计)?"
)
# Places listed at the start of a question, before its year or metric.
_LISTED = re.compile(
    r"^((?:[\u4e00-\u9fff]{2,6}[、和与及])+[\u4e00-\u9fff]{2,6}?)"
    r"(?:[两三四五六七八九十]+[市县区地省])?(?=\d{4}|的|[A-Za-z]|上半年|全年|今年|去年)"
)
_LEVEL_WORD = re.compile(r"[地县省市区]级")


_COUNTED = re.compile(r"[两三四五六七八九十]+[市县区地]$")


def asks_comparison(query: Query) -> bool:
    """Several places named, or 哪个区/最高/排名… naming none ("杭州的GDP排名超过了哪个
    城市" asks about one place's rank, which no table of figures says)."""
    text = query.index_text.lower()
    named = len(named_places(query))
    asks = bool(_ASKS.search(text)) and bool(_LEVEL.search(text))
    # "杭州的GDP排名…哪个城市": about 杭州 (地级 of 哪个地级市 is no place)
    alone = named == 0 and not [p for p in query.places if not _LEVEL_WORD.match(p)]
    named += len(_unread(query, named_places(query)))
    return metric_of(text) is not None and (named >= 2 or (alone and asks))


def _unread(query: Query, places: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The capitalised names of an English question none of ``places`` reads."""
    return [
        (written, forms)
        for written, forms in query.readings
        if not any(f in p or p in f for f in forms for p in places)
    ]


def _read(query: Query, places: list[str], known: set[str]) -> list[str]:
    """``places`` and each other name of an English question as the places of ``known``
    it reads as ("Qianjiang": 潜江市 and 黔江区 when both have figures), else as written."""
    for written, forms in _unread(query, places):
        found = sorted(k for k in known if any(_core(k) == f for f in forms))
        places.extend(found or [written])
    return places


# "哪个区", "各县", "which district": only places of that level are compared.
_LEVEL = re.compile(
    r"(?:哪个|哪些|各)(?:地级|县级)?(区|县|城市|市|镇|省|地)|"
    r"\b(?:which|what) (district|county|city|town|province|place)\b|"
    r"\b(district|county|city|town|province|place)s\b|\beach (place)\b"
)
# The suffix a place of the level asked has ("" for 各地 / each place: any).
_LEVEL_EN = {"district": "区", "county": "县", "city": "市", "town": "镇", "城市": "市",
             "province": "省", "地": "", "place": ""}  # fmt: skip


def compare(store: Store, query: Query) -> Answer | None:
    """The comparison table for ``query``, or None when it asks none or no figure fits."""
    if not asks_comparison(query):
        return None
    text = query.index_text.lower()
    metric = metric_of(text)
    rate = bool(_RATE.search(text))
    wanted = named_places(query)
    period = period_of(f"{query.text} {query.index_text}")
    rows = []
    for figure in store.figures(years=query.years):
        if figure["kind"] != "achieved" or metric_of(figure["metric"]) != metric:
            continue
        place = place_of(figure) or _named_before(figure, wanted)
        row = measure(figure, rate, place) if place else None
        if row is not None and row.period == period:  # 上半年 is never ranked with a year
            rows.append(row)
    wanted = _read(query, wanted, {r.place for r in rows})
    level = _LEVEL.search(text)
    if level:
        word = next(g for g in level.groups() if g)
        suffix = _LEVEL_EN.get(word, word)
        rows = [r for r in rows if r.place.endswith(suffix)]
    if not rows:
        return None
    year = max(r.year or "" for r in rows)  # the year asked, else the latest reported
    rows = [r for r in rows if (r.year or "") == year]
    best: dict[str, Row] = {}
    # One row a place (copies of one report repeat it); an exact value before a round
    # one (超3300亿元, 3300余亿元), which is no other value of it either.
    for row in sorted(rows, key=_approximate):
        best.setdefault(row.place, row)
    exact = [r for r in rows if not _approximate(r)]
    best = {place: _with_conflicts(row, exact) for place, row in best.items()}
    if len(wanted) >= 2:
        chosen = [
            next((r for pl, r in best.items() if _core(p) in pl), _missing(p, year, period))
            for p in wanted
        ]
    else:
        chosen = list(best.values())
    reported = sorted((r for r in chosen if r.value is not None), key=lambda r: r.value or 0.0,
                      reverse=not _LOWEST.search(text))  # fmt: skip
    if not reported:
        return None
    return _answer(
        store, query, metric or "", rate, reported + [r for r in chosen if r.value is None]
    )


def measure(figure: FigureRow, rate: bool, place: str | None = None) -> Row | None:
    """The figure as a row of a table of totals (亿元) or of growth rates (%), or None
    when it is not one; ``place``: whose it is, when :func:`place_of` cannot tell."""
    place = place or place_of(figure) or ""
    if rate:
        if figure["unit"] == "%":
            value, shown = float(figure["value"]), f"{figure['value']}%"
        else:
            found = _GROWTH.search(figure["change"] or "") or re.search(
                # 812.4亿元，扣除价格因素后增长5.6%: the growth written after the total
                re.escape(f"{figure['value']}{figure['unit']}") + r"[^。；;%\d]{0,16}?"
                + _GROWTH.pattern,
                figure["sentence"],
            )  # fmt: skip
            if not found:
                return None
            value, shown = float(found.group(1)), f"{found.group(1)}%"
        return Row(place, value, shown, figure["year"], None, figure, period=figure_period(figure))
    # a per-head amount (人均可支配收入) in 元; shares and averages never reach a table
    unit, scale = ("元", _TO_YUAN) if "人均" in figure["metric"] else ("亿元", _TO_YI)
    if figure["unit"] not in scale:
        return None
    value = round(float(figure["value"]) * scale[figure["unit"]], 4)
    return Row(place, value, f"{value:g}{unit}", figure["year"], figure["change"], figure,
               period=figure_period(figure))  # fmt: skip


def _before(figure: FigureRow) -> str:
    """The figure's sentence up to the figure ("" when the sentence writes it otherwise)."""
    sentence, value = figure["sentence"], figure["value"]
    return sentence[: sentence.find(value)] if value in sentence else ""


def _named_before(figure: FigureRow, wanted: Sequence[str]) -> str | None:
    """The one place the question names that the figure's sentence names before the
    figure, written without 市/县 (云溪是山区强县，2024年完成地区生产总值302亿元)."""
    found = [w for w in wanted if _core(w) in _before(figure)]
    return found[0] if len(found) == 1 else None


def _approximate(row: Row) -> bool:
    """Whether the row's figure is a round value: 超3300亿元, 3300余亿元, 近百亿元."""
    figure = row.figure
    if figure is None:
        return False
    before = _before(figure)
    return bool(figure["note"] and _ROUGH_NOTE.search(figure["note"])) or bool(
        _ROUGH_LEAD.search(before[-2:])
    )


_ROUGH_NOTE = re.compile(r"\d[余多]|突破|超过|超")
_ROUGH_LEAD = re.compile(r"[超逾近约]$|超过$|突破$|左右$")


def _with_conflicts(row: Row, rows: Sequence[Row]) -> Row:
    """``row`` with the place's other reported values (the same year and kind)."""
    others: dict[float | None, FigureRow] = {}
    for r in rows:
        if r.place == row.place and r.figure is not None and r.value != row.value:
            others.setdefault(r.value, r.figure)
    shown = tuple(others.values())[:MAX_CONFLICTS]
    return replace(row, conflicts=shown) if shown else row


def _core(place: str) -> str:
    """广州市 → 广州: a place as a figure may name it."""
    return place[:-1] if len(place) > 2 and place[-1] in "省市区县镇" else place


_TO_YI = {"亿元": 1.0, "万元": 1e-4, "万亿元": 1e4}  # money in 亿元
_TO_YUAN = {"元": 1.0, "万元": 1e4}  # a per-head amount in 元


def _missing(place: str, year: str, period: str | None) -> Row:
    return Row(place, None, "", year or None, None, None, period=period)


_PERIOD_EN = {"上半年": "first half of ", "前三季度": "first three quarters of ",
              "一季度": "first quarter of ", "下半年": "second half of ",
              "二季度": "second quarter of ", "三季度": "third quarter of ",
              "四季度": "fourth quarter of "}  # fmt: skip


def when(year: str | None, period: str | None, script: Script) -> str:
    """2024年上半年 / first half of 2024: the time a row's figure covers."""
    if script == "en":
        if period and period.endswith("月"):
            last = int(period.removeprefix("1-").removesuffix("月"))
            return f"January–{calendar.month_name[last]} {year}"
        return f"{_PERIOD_EN.get(period or '', '')}{year}"
    return render_in(f"{year}年{period or ''}", script)


def _answer(store: Store, query: Query, metric: str, rate: bool, rows: Sequence[Row]) -> Answer:
    script: Script = query.script
    figures = [r.figure for r in rows if r.figure is not None]
    figures += [c for r in rows for c in r.conflicts]
    reports = store.get_reports(f["doc_id"] for f in figures)
    what = metric_name(metric, rate, script)
    first = rows[0]
    time = when(first.year, first.period, script)
    lines = [answer_line(f"{render_in(first.place, script)}（{first.shown}，{time}）", script)]
    header = f"{what}（{time}）：" if script != "en" else f"{what} ({time}):"
    lines.append(header)
    sources = []
    for n, row in enumerate(rows, 1):
        if row.figure is None:
            missing = {"zh-hans": "未报道", "zh-hant": "未報道", "en": "not reported"}[script]
            lines.append(f"{n}. {render_in(row.place, script)}  {missing}")
            continue
        report = reports[row.figure["doc_id"]]
        change = f"，{row.change}" if row.change else ""
        quote = render_in(row.figure["sentence"], script)
        lines.append(f"{n}. {render_in(row.place, script)}  {row.shown}{change}  「{quote}」"
                     f"{citation(report, script)}")  # fmt: skip
        sources.append(make_source(report, row.figure["sentence"], 1.0, script))
        for other in row.conflicts:
            lines.append(_conflict_line(other, reports[other["doc_id"]], script))
            sources.append(make_source(reports[other["doc_id"]], other["sentence"], 0.0, script))
    sure = CONFIDENCE if not any(r.conflicts for r in rows) else 0.5
    return Answer.given(
        query.text, lines, sources, script, short=render_in(first.place, script),
        confidence=sure, table=[row.cell() for row in rows],
    )  # fmt: skip


def _conflict_line(other: FigureRow, report: StoredReport, script: Script) -> str:
    """ "   另一报道：530亿元「…」（…）": a figure stated otherwise elsewhere."""
    label = {"zh-hans": "另一报道", "zh-hant": "另一報道", "en": "another report"}[script]
    quote = render_in(other["sentence"], script)
    value = f"{other['value']}{other['unit']}"
    return f"   {label}：{value}「{quote}」{citation(report, script)}"
