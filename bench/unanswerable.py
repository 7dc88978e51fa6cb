"""Unanswerable questions: real practice questions with one entity changed to an absent one.

    .venv/bin/python -m bench.unanswerable [--n 400] [--seed 13] [--out PATH]

Each question of ``../shared/eval/crud_practice.jsonl`` that names a year, a Chinese place,
an organisation or a person gets that entity replaced by one that occurs in **no** text of
the index (the practice reports, the 2k corpus and ``seeds/``), so the question asks about
something the index knows nothing of and the right reply is a refusal:

- **year**: the question's one year (``2023年``, never a question with two years or none)
  becomes a year of 1950–1990 or 2031–2040 whose ``<year>年`` occurs in no text.
- **place**: a province, city, county, district, prefecture or town of China (a jieba
  ``ns`` word or a word ending in 省/市/县/区/州/镇; a bare name only when it is a province
  or its ``X市``/``X县`` occurs in the texts) becomes one of ``PLACES``, ~290 real county
  and district names, used only when neither the name nor its stem (``鄢陵`` of ``鄢陵县``)
  occurs in any text. Foreign-looking names (transliteration characters, a short list)
  and generic ones (``高新区``, ``全市``) are left alone.
- **org**: a name ending in 公司/集团/银行/大学/医院/… keeps its place prefix and suffix and
  gets an invented two-character brand (``联想集团`` → ``禾岳集团``), and so does a
  well-known company named bare (``KNOWN_BRANDS``: ``腾讯``, ``瑞幸咖啡``); a body ending in
  局/委员会/法院/协会/… gets its place or national prefix replaced by an absent county
  (``国家统计局`` → ``鄢陵县统计局``, ``浙江海事局`` → ``沁源县海事局``). A body with no such
  prefix (``国防部``), or one no county has (``中国外交部``), is skipped.
- **person**: a 2–3 character name (jieba ``nr``, a common surname, not a dictionary word,
  next to a verb, a title or punctuation in the question, and used as a person's name in
  some text: ``部长李国英强调``) becomes an invented surname + given name.

A replacement is used only when it (and the whole changed name) occurs in no text: the
texts are converted to simplified script (OpenCC ``t2s``), lowercased and joined into one
string, both as stored and as ``ingest.cleaning.clean_text`` leaves them (the seeds carry
pinyin glosses, ``召開(kāi)``, that would hide a name from a plain substring check). The
original entity must occur in the question and in the texts (a real, indexed mention).
Questions where nothing can be changed cleanly are skipped.

Kinds are drawn round-robin in a seeded order, so they stay balanced until one runs out
(few practice questions name a Chinese person); a question is reused for a second kind
only when no unused one is left. Output: the practice format with ``"answers": []``,
``"docs": []``, ``"type": "unanswerable"``, id ``unans-<original id>-<kind>`` and
``"changed": {"kind", "from", "to"}``, written as JSON lines to a temp file (or ``--out``,
outside the repository): the questions quote the corpus, so they are never committed.

Limits: "absent from every text" is a substring test, so the changed question is
unanswerable by construction, but it may read oddly (a county named where a province was,
``鄢陵县文化和旅游厅``), and jieba's tags miss some names and mislabel others.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from bench.common import (
    CORPUS,
    REPO,
    SEEDS,
    TEMP_PREFIX,
    Timer,
    check_outside_repo,
    load_average,
    report,
    setup_logging,
)

PRACTICE = (REPO / "../shared/eval/crud_practice.jsonl").resolve()
CORPORA = ((REPO / "../shared/corpus/crud_practice_reports.jsonl").resolve(), CORPUS)
KINDS = ("year", "place", "org", "person")

# --- years -------------------------------------------------------------------------------------

YEAR_POOL = tuple(range(1950, 1991)) + tuple(range(2031, 2041))
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}年")

# --- places ------------------------------------------------------------------------------------

# Real county-level names of China (counties, districts, county-level cities), mostly small
# ones in the north-west and south-west; only those absent from every text are used.
PLACES = tuple(
    """
    鄢陵县 汝阳县 宜阳县 栾川县 洛宁县 伊川县 卢氏县 渑池县 西峡县 淅川县 内乡县 社旗县
    桐柏县 确山县 正阳县 平舆县 遂平县 新蔡县 潢川县 淮滨县 郸城县 沈丘县 扶沟县 柘城县
    宁陵县 通许县 尉氏县 封丘县 获嘉县 台前县 南乐县 宝丰县 舞阳县 临颍县
    宕昌县 西和县 两当县 舟曲县 迭部县 玛曲县 碌曲县 临潭县 卓尼县 靖远县 会宁县 景泰县
    古浪县 民勤县 永昌县 山丹县 民乐县 临泽县 高台县 金塔县 庄浪县 静宁县 崇信县 泾川县
    灵台县 镇原县 华池县 合水县 正宁县 通渭县 渭源县 临洮县 秦安县 甘谷县 武山县
    岢岚县 五寨县 神池县 偏关县 河曲县 保德县 静乐县 繁峙县 宁武县 定襄县 昔阳县 和顺县
    榆社县 沁源县 襄垣县 黎城县 平顺县 壶关县 陵川县 沁水县 浮山县 安泽县 乡宁县 汾西县
    垣曲县 闻喜县 平陆县 芮城县 临猗县 万荣县 稷山县 新绛县
    吴堡县 清涧县 子洲县 米脂县 绥德县 靖边县 定边县 府谷县 宜川县 洛川县 甘泉县 志丹县
    吴起县 延川县 旬邑县 淳化县 永寿县 长武县 麟游县 千阳县 太白县 留坝县 佛坪县 宁强县
    略阳县 镇巴县 城固县 紫阳县 岚皋县 镇坪县 平利县 白河县 汉阴县 石泉县 宁陕县 柞水县
    丹凤县 商南县 洛南县
    剑阁县 苍溪县 旺苍县 青川县 通江县 南江县 平昌县 宣汉县 开江县 邻水县 岳池县 蓬溪县
    盐亭县 梓潼县 屏山县 筠连县 兴文县 古蔺县 叙永县 沐川县 汉源县 石棉县 天全县 宝兴县
    荥经县 雷波县 美姑县 昭觉县 布拖县 喜德县 越西县 甘洛县 冕宁县 盐源县 德昌县 普格县
    凤冈县 湄潭县 余庆县 习水县 桐梓县 绥阳县 织金县 纳雍县 赫章县 普定县 晴隆县 普安县
    贞丰县 望谟县 册亨县 三穗县 岑巩县 锦屏县 剑河县 台江县 榕江县 丹寨县 麻江县 平塘县
    罗甸县 长顺县 龙里县 惠水县
    宾川县 弥渡县 永平县 洱源县 剑川县 鹤庆县 华坪县 永胜县 施甸县 龙陵县 昌宁县 凤庆县
    永德县 镇康县 勐海县 勐腊县 元阳县 绿春县 泸西县 石屏县 丘北县 西畴县 麻栗坡县 马关县
    巧家县 盐津县 大关县 永善县 绥江县 彝良县 威信县
    红古区 平川区 崆峒区 西峰区 甘州区 肃州区 凉州区 麦积区 秦州区 武都区 华州区 耀州区
    印台区 王益区 安塞区 榆阳区 汉台区 南郑区 汉滨区 商州区 杨陵区 渭滨区 陈仓区 金口河区
    尖草坪区 万柏林区 晋源区 迎泽区 杏花岭区 上党区 潞州区 屯留区 朔城区 平鲁区 云冈区
    新荣区 云州区 忻府区 离石区 榆次区 尧都区 盐湖区 陕州区 横山区
    灵宝市 邓州市 项城市 舞钢市 华亭市 玉门市 原平市 彬州市 旬阳市 万源市 赤水市 泸水市
    """.split()
)
_PLACE_SUFFIX = "省市县区州镇"
# Generic stems: a word with one of these before the suffix is not a proper name.
_GENERIC_STEMS = frozenset(
    """
    全 本 我 该 各 此 城 地 社 园 景 市 山 灾 辖 新 高新 开发 经开 示范 自贸 保税 湾 片 郊
    老 主城 小 乡 村 街 省 县 城乡 农村 城镇 边境 试验 功能 核心 中心 重点 产业 工业 商业
    旅游 生态 保护 疫 风险 贫困 民族 少数民族 自治 特别行政 行政 中西 东 西 南 北 中 东北
    西北 西南 东南 华北 华东 华南 华中 大湾 港 港澳 沿海 内陆 海 林 牧 垦 库 矿
    """.split()
)
# Words ending like a place that are not one (their last two or three characters).
_GENERIC_TAILS = frozenset(
    """
    地区 社区 园区 景区 山区 灾区 辖区 城区 市区 片区 街区 库区 矿区 牧区 林区 湾区 新区 老区
    郊区 农区 战区 军区 禁区 小区 校区 厂区 港区 县区 城镇 乡镇 集镇 古镇 小镇 重镇 名镇 城市
    都市 超市 股市 上市 夜市 集市 开发区 示范区 试验区 保护区 功能区 风景区 旅游区 自贸区 保税区
    高新区 经开区 先行区 实验区 合作区 集聚区 核心区 起步区 承接区 主城区 中心城区 贸易区
    洪区 业区 辖市 辖区 县市 市县 州市
    """.split()
)
# Tails that end real names too (宛城区, 浦东新区): generic unless jieba tags the word a place.
_WEAK_TAILS = frozenset("城区 新区 市区".split())
# Province-level names that count as places without a suffix (not Taiwan, Hong Kong, Macao).
PROVINCES = frozenset(
    """
    北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南
    湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 内蒙古 广西 西藏 宁夏 新疆
    """.split()
)
# Characters of transliterated foreign names (not in the Chinese places listed after them),
# and foreign places they miss: a name holding any of these is left alone.
_FOREIGN_CHARS = frozenset("斯尔克兹娃诺夫姆蒂埃哥亚纳乌阿瓦维索顿普拉伊奥塞")
_CHINESE_EXCEPTIONS = tuple(
    """
    哈尔滨 齐齐哈尔 呼和浩特 乌鲁木齐 乌兰察布 乌海 拉萨 克拉玛依 阿拉善 阿勒泰 阿克苏 伊犁
    伊春 普洱 东亚
    """.split()
)
_FOREIGN_PLACES = frozenset(
    """
    东京 大阪 福岛 京都 横滨 冲绳 北海道 首尔 釜山 仁川 平壤 旧金山 夏威夷 纽约 华盛顿
    伦敦 巴黎 柏林 曼谷 河内 仰光 新德里 孟买 佛罗里达 洛杉矶 芝加哥 休斯敦 悉尼 墨尔本
    长崎 广岛 名古屋 大邱 金边 万象 新加坡 吉隆坡 马尼拉 雅加达 台北 高雄 台中 台南 香港
    澳门 台湾 日本 美国 英国 法国 德国 韩国 朝鲜 中东 南亚 东南亚 欧洲 非洲 亚洲 美洲 拉美
    太平洋 大西洋 印度洋 北冰洋 意大利 以色列 印度 泰国 越南 缅甸 柬埔寨 老挝 菲律宾 印尼
    蒙古国 土耳其 希腊 瑞典 瑞士 芬兰 挪威 丹麦 荷兰 比利时 西班牙 葡萄牙 墨西哥 巴西 智利
    秘鲁 古巴 南非 埃及 伊朗 伊拉克 沙特 也门 尼泊尔 新西兰 加拿大 海湾
    """.split()
)
# Words jieba may tag as places that name no particular one.
_NOT_PLACES = frozenset(
    """
    中国 全国 外国 各国 两国 大国 城市 城镇 乡村 农村 湾区 新区 国内 境内 境外 海外 新建 东亚
    """.split()
)

# --- organisations -----------------------------------------------------------------------------

# Suffixes of names that keep their prefix and get a new brand, and of public bodies whose
# place or national prefix is replaced.
_BRAND_SUFFIXES = (
    "有限责任公司 股份有限公司 有限公司 公司 集团 银行 大学 学院 医院 研究院 研究所 基金会"
).split()
_BODY_SUFFIXES = (
    "委员会 管理局 局 厅 部 总署 署 办公室 人民法院 法院 检察院 协会 联合会 侨联 海关 气象台"
    " 管委会 委 人民政府 政府 安委办"
).split()
# Bodies a county has too: only these get a county for their national prefix (国家统计局 →
# 鄢陵县统计局, not 中国外交部 → 鄢陵县外交部); a province's may also end in 部 (…指挥部).
_COUNTY_BODIES = frozenset(
    """
    委员会 管理局 局 人民法院 法院 检察院 协会 联合会 侨联 海关 气象台 管委会 委 人民政府 政府
    安委办 办公室 银行 医院
    """.split()
)
_NATIONAL = ("中华人民共和国", "中国", "国家", "中华", "全国", "中央")
_NOT_BODIES = frozenset(
    """
    干部 全部 内部 外部 局部 西部 东部 南部 北部 中部 中西部 东北部 西南部 东南部 西北部
    头部 底部 腹部 胸部 面部 腰部 背部 颈部 足部 脑部 肺部 根部 顶部 总部 本部 基层部
    格局 结局 布局 当局 大局 僵局 开局 政局 战局 赛局 残局 棋局 饭局 骗局 新格局 大格局
    签署 部署 布署 联署 部队 团队 球队 车队 军队 梯队 排队 舰队 国家队 主队 客队 球员 省委
    市委 县委 区委 党委 纪委 政府 人民政府 国委
    """.split()
)
# Tags a name's words never have: particles, pronouns, numbers, adverbs, punctuation.
_NOT_NAME_TAGS = frozenset("uj ul uz ug ud uv u p c r rr rz m mq q d f x y e o t zg".split())
# Category words: a name made only of these has no brand to change (保险公司, 上市公司).
_GENERIC_ORG = frozenset(
    """
    一流 上市 保险 航空 网上 有限 有限责任 股份 科技 医药 境内 境外 国内 国外 人民 财产 财产保险
    工商 建设 农业 商业 农商 农村 城市 城商 投资 控股 实业 发展 工程 贸易 物流 能源 电力 电网
    汽车 旅游 文化 传媒 科学 技术 信息 网络 电子 通信 金融 证券 基金 信托 人寿 互联网 出版
    房地产 地产 置业 物业 制药 生物 医疗 健康 环境 环保 服务 管理 咨询 中心 专业 重点 知名 头部
    国际 全球 世界 国有 民营 外资 合资 大型 中小 地方 相关 有关 其他 部分 所有 全部 公立 私立
    民办 公办 综合 专科 中医 中西医 儿童 妇幼 第一 附属 高等 师范 职业 理工 财经 政法 医科
    林业 交通 航运 铁路 公路 水利 水务 燃气 供电 电信 移动 联通 邮政 储蓄 开发 进出口 外贸
    商贸 子公司 分公司 支公司 母公司 独立 董事 企业 机构 单位 平台 归属 归属于 志愿 志愿服务
    救援 服务队 代表 代表队 男子 女子 男篮 女篮 男足 女足
    """.split()
)
# Well-known Chinese companies often named without a suffix (腾讯2023年…, 瑞幸咖啡): a word of
# the question equal to one of these is a brand to replace.
KNOWN_BRANDS = frozenset(
    """
    腾讯 阿里巴巴 百度 京东 美团 拼多多 字节跳动 华为 小米 联想 比亚迪 吉利 蔚来 小鹏 宁德时代
    恒大 万科 碧桂园 瑞幸 全聚德 海尔 格力 茅台 五粮液 伊利 蒙牛 海底捞 网易 搜狐 新浪 爱奇艺
    快手 滴滴 高德 携程 顺丰 京东方 中芯国际 中兴 海康威视 大疆 科大讯飞 北汽 上汽 广汽 一汽
    奇瑞 华住 同仁堂 恒瑞 安踏 农夫山泉 娃哈哈 苏宁 国美 唯品会
    """.split()
)
_BRAND_CHARS = "鸿岳禾泽瑞嘉恒盛昊翔宏博润沃锐晟凯瀚骏荣霖璟铭澜峻钧琨煜曦弘逸骁珑"

# --- persons -----------------------------------------------------------------------------------

_SURNAMES_2 = frozenset("欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯".split())
_SURNAMES_1 = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤骆庄鲁葛柴包殷翟聂倪祝"
)
# Surnames and given-name characters of invented names: common, unremarkable, not a word.
_INVENT_SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾田董袁潘蒋蔡"
_GIVEN_CHARS = "建志永庆俊晓立德文明国春秋瑞晨宇涛峰磊鹏辉杰浩欣怡佳睿泽楠锦远嘉颖婷雯琳洁敏"
# A name is next to one of these in the question (or punctuation, or the question's edge).
_PERSON_NEXT_TAGS = frozenset("v vd vn p c uj ul d x".split())
_TITLES = frozenset(
    """
    书记 副书记 部长 副部长 主任 副主任 总统 总理 副总理 主席 副主席 局长 市长 副市长 县长
    区长 省长 副省长 院士 教授 记者 委员 董事长 总经理 总裁 队员 选手 运动员 发言人 大使
    外长 部长助理 秘书长 首相 专家 医生 校长 院长 厂长 镇长 村民 老师 女士 先生 同志 医师
    外相 作家 研究员 工程师 法官 律师 演员 导演 教练 主教练 队长
    """.split()
)
_TITLES_TUPLE = tuple(_TITLES)
_NOT_GIVEN_END = frozenset("城市区县镇省州村路街港湾山河湖江海岛")
_MAX_NAME_FREQ = 20  # a name in jieba's dictionary above this frequency is an ordinary word
# A name counts as a person's when some text has it after a title or the start of a clause
# and before a verb of speech or action, a title or a pause: 部长李国英强调, ，王毅表示.
_PERSON_AFTER = (
    tuple(
        """
        表示 指出 强调 说 介绍 主持 出席 会见 会晤 认为 提出 称 要求 调研 视察 讲话 致辞 同志 以
        在 进行 举行 获得 夺得 发表
        """.split()
    )
    + tuple("，、：（(。)）0123456789０１２３４５６７８９")
    + tuple(_TITLES)
)
_MAX_OCCURRENCES = 300  # of a name in the texts, looked at for the context above


@dataclass(frozen=True)
class Candidate:
    """One entity of a question that can be changed: ``original`` → something absent."""

    kind: str  # year | place | org | person
    original: str  # the span replaced in the question (occurs in it)
    prefix: str = ""  # org: what stays before the part replaced
    part: str = ""  # org/place: the part replaced inside ``original`` ("" = all of it)
    mode: str = ""  # org: "brand" or "body"; place: the suffix of the original
    length: int = 0  # person: characters of the given name


class Haystack:
    """All texts, simplified and lowercased, as one string: ``"鄢陵县" in haystack``."""

    def __init__(self, texts: Iterable[str]) -> None:
        import opencc

        from ingest.cleaning import clean_text

        convert = opencc.OpenCC("t2s").convert
        parts: list[str] = []
        for text in texts:
            parts.append(text)
            cleaned = clean_text(text).text
            if cleaned != text:
                parts.append(cleaned)  # glosses removed: 召開(kāi) -> 召開
        self.text = convert("\n".join(parts)).lower()

    def __contains__(self, needle: object) -> bool:
        return isinstance(needle, str) and needle.lower() in self.text


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A jieba POS tokenizer on the default dictionary only (what govqa adds never leaks in)."""
    import jieba
    import jieba.posseg

    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tokenizer.tokenizer.initialize()
    return tokenizer


def generate(
    questions: list[dict[str, Any]], texts: list[str], n: int = 400, seed: int = 13
) -> list[dict[str, Any]]:
    """At least ``n`` unanswerable questions (fewer only if the questions run out).

    Deterministic for a seed: the same questions, texts and seed give the same list.
    """
    hay = Haystack(texts)
    pools = _Pools(hay)
    by_kind: dict[str, list[tuple[dict[str, Any], Candidate]]] = {kind: [] for kind in KINDS}
    for question in questions:
        for candidate in candidates(question["question"], hay):
            by_kind[candidate.kind].append((question, candidate))

    rng = random.Random(seed)
    for kind in KINDS:
        rng.shuffle(by_kind[kind])
    made: list[dict[str, Any]] = []
    used: set[str] = set()
    while len(made) < n and any(by_kind.values()):
        for kind in KINDS:
            if len(made) >= n:
                break
            queue = by_kind[kind]
            while queue:
                # An unused question first; a used one only when no other is left.
                index = next((i for i, (q, _) in enumerate(queue) if q["id"] not in used), 0)
                question, candidate = queue.pop(index)
                mutated = mutate(question, candidate, pools, rng)
                if mutated is not None:
                    made.append(mutated)
                    used.add(question["id"])
                    break
    return made


def mutate(
    question: dict[str, Any], candidate: Candidate, pools: _Pools, rng: random.Random
) -> dict[str, Any] | None:
    """The question with ``candidate`` changed to an absent entity, or None."""
    text = question["question"]
    original = candidate.original
    if original not in text:
        return None
    replacement = pools.replacement(candidate, text, rng)
    if replacement is None:
        return None
    changed = text.replace(original, replacement)
    if original in changed or replacement in pools.hay:
        return None
    return {
        "id": f"unans-{question['id']}-{candidate.kind}",
        "question": changed,
        "answers": [],
        "docs": [],
        "type": "unanswerable",
        "lang": "zh-hans",
        "changed": {"kind": candidate.kind, "from": original, "to": replacement},
    }


class _Pools:
    """Replacements absent from the haystack: years, places, invented names and brands."""

    def __init__(self, hay: Haystack) -> None:
        self.hay = hay
        self.years = [f"{y}年" for y in YEAR_POOL if f"{y}年" not in hay]
        self.places = [p for p in PLACES if p not in hay and p[:-1] not in hay]
        self._absent: dict[str, bool] = {}

    def absent(self, text: str) -> bool:
        if text not in self._absent:
            self._absent[text] = text not in self.hay
        return self._absent[text]

    def replacement(self, candidate: Candidate, question: str, rng: random.Random) -> str | None:
        if candidate.kind == "year":
            return rng.choice(self.years) if self.years else None
        if candidate.kind == "place":
            return self._place(candidate.mode, question, rng)
        if candidate.kind == "person":
            return self._invent(
                lambda: (
                    rng.choice(_INVENT_SURNAMES)
                    + "".join(rng.choice(_GIVEN_CHARS) for _ in range(candidate.length))
                ),
                lambda name: len(set(name)) == len(name),
            )
        if candidate.mode == "body":
            place = self._place("县", question, rng)
            if place is None:
                return None
            new = (
                candidate.prefix
                + place
                + candidate.original[len(candidate.prefix + candidate.part) :]
            )
            return new if self.absent(new) else None

        def brand() -> str:
            first = rng.choice(_BRAND_CHARS)
            return first + rng.choice(_BRAND_CHARS.replace(first, ""))

        rest = candidate.original[len(candidate.prefix + candidate.part) :]
        made = self._invent(brand, lambda b: self.absent(candidate.prefix + b + rest))
        return None if made is None else candidate.prefix + made + rest

    def _place(self, suffix: str, question: str, rng: random.Random) -> str | None:
        same = [p for p in self.places if p.endswith(suffix) and p not in question]
        pool = same or [p for p in self.places if p not in question]
        return rng.choice(pool) if pool else None

    def _invent(self, make: Any, ok: Any, tries: int = 50) -> str | None:
        for _ in range(tries):
            made = make()
            if ok(made) and self.absent(made):
                return str(made)
        return None


# --- finding what can be changed ---------------------------------------------------------------


def candidates(question: str, hay: Haystack) -> list[Candidate]:
    """At most one changeable entity of each kind in ``question``, the most telling one."""
    found: list[Candidate] = []
    years = set(_ANY_YEAR.findall(question))
    match = _YEAR.search(question)
    if len(years) == 1 and match and match.group() in hay:
        found.append(Candidate("year", match.group()))
    tokens = [(w.word, w.flag) for w in _tokenizer().cut(question)]
    for finder in (_place, _org, _person):
        candidate = finder(tokens, question, hay)
        if candidate is not None:
            found.append(candidate)
    return found


def _is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _foreign(name: str) -> bool:
    if any(f in name for f in _FOREIGN_PLACES):
        return True
    for chinese in _CHINESE_EXCEPTIONS:
        name = name.replace(chinese, "")
    return any(ch in _FOREIGN_CHARS for ch in name)


def _place_word(word: str, flag: str, hay: Haystack) -> str | None:
    """The place suffix of ``word`` ('' for a bare province or city), or None if not a place."""
    if not _is_han(word) or word in _NOT_PLACES or _foreign(word):
        return None
    if word[-1] in _PLACE_SUFFIX and (len(word) >= 3 or word[-1] == "县"):
        stem = word[:-1]
        stem = stem[:-2] if stem.endswith("自治") else stem
        if (
            not stem
            or stem in _GENERIC_STEMS
            or word[-3:] in _GENERIC_TAILS
            or (word[-2:] in _GENERIC_TAILS and not (flag == "ns" and word[-2:] in _WEAK_TAILS))
            or stem[-1] in "一二三四五六七八九十两几多各地"
        ):
            return None
        return word[-1]
    if flag == "ns" and len(word) >= 2:
        if word in PROVINCES:
            return ""
        if re.search(re.escape(word) + r"[市县](?![场民值委政长级区县场])", hay.text):
            return ""
    return None


_SPECIFICITY = {"镇": 0, "县": 1, "区": 1, "市": 2, "州": 3, "省": 4, "": 5}


def _place(tokens: list[tuple[str, str]], question: str, hay: Haystack) -> Candidate | None:
    """The most specific Chinese place named in the question, outside organisation names."""
    merged: list[tuple[str, str]] = []
    for word, flag in tokens:  # 宛城/ns 区/n -> 宛城区
        if merged and merged[-1][1] == "ns" and word in ("省", "市", "县", "区", "州", "镇"):
            merged[-1] = (merged[-1][0] + word, "ns")
        else:
            merged.append((word, flag))
    # Character offsets inside an organisation's name (北京银行, 南京天加…公司): org's business.
    in_names: set[int] = set()
    for start, end, _ in _org_names(tokens):
        first = sum(len(w) for w, _ in tokens[:start])
        in_names.update(range(first, first + sum(len(w) for w, _ in tokens[start : end + 1])))
    best: Candidate | None = None
    offset = 0
    for i, (word, flag) in enumerate(merged):
        at, offset = offset, offset + len(word)
        suffix = _place_word(word, flag, hay)
        if suffix is None or word not in hay or at in in_names:
            continue
        stem = word[: -len(suffix)] if suffix else word
        if question.count(stem) > question.count(word):  # 在上海，…上海市…: both or neither
            continue
        if not suffix and re.search(re.escape(word) + f"[{_PLACE_SUFFIX}]", question):
            continue
        if i + 1 < len(merged) and merged[i + 1][1] == "ns":  # 安徽/安庆: qualifies the next
            continue
        if best is None or _SPECIFICITY[suffix] < _SPECIFICITY[best.mode]:
            best = Candidate("place", word, mode=suffix)
    return best


def _org_names(tokens: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(first token, last token, suffix) of each name ending in an organisation suffix."""
    names: list[tuple[int, int, str]] = []
    for end, (word, _) in enumerate(tokens):
        suffix = _org_suffix(word)
        if suffix is None:
            continue
        start = end  # extend left over the name's words: 武汉/睿健/医药/科技/有限公司
        while (
            start > 0
            and tokens[start - 1][1] not in _NOT_NAME_TAGS
            and _is_han(tokens[start - 1][0])
            and _org_suffix(tokens[start - 1][0]) is None
            and len("".join(w for w, _ in tokens[start - 1 : end + 1])) <= 16
        ):
            start -= 1
        while start < end and tokens[start][1].startswith("v"):  # 批准/武汉… : not the name
            start += 1
        names.append((start, end, suffix))
    return names


def _org(tokens: list[tuple[str, str]], question: str, hay: Haystack) -> Candidate | None:
    """The first organisation name ending in a known suffix, with the part to replace."""
    for start, end, suffix in _org_names(tokens):
        name = tokens[start : end + 1]
        span = "".join(w for w, _ in name)
        if span in _NOT_BODIES or len(span) < 3 or _foreign(span) or span not in hay:
            continue
        stem = span[: -len(suffix)]
        prefix = _org_prefix(stem, name, hay)
        rest = stem[len(prefix) :]
        if suffix in _BRAND_SUFFIXES and len(rest) >= 2:
            # The brand: the first word after the prefix, or its first two characters.
            after = _words_after(name, len(prefix))
            part = after[0][0] if after else ""
            part = part if 2 <= len(part) <= 4 and rest.startswith(part) else rest[:2]
            if part not in _GENERIC_ORG and part[0] not in "哪该这那各本其某多几每两一首":
                return Candidate("org", span, prefix=prefix, part=part, mode="brand")
        if (
            prefix
            and len(rest) >= 2
            and (  # 国家统计局, 中国人民银行, 浙江海事局
                suffix in _COUNTY_BODIES or (suffix == "部" and prefix not in _NATIONAL)
            )
        ):
            return Candidate("org", span, prefix="", part=prefix, mode="body")
    for word, _ in tokens:
        if word in KNOWN_BRANDS and word in hay:
            return Candidate("org", word, prefix="", part=word, mode="brand")
    return None


def _org_suffix(word: str) -> str | None:
    if not _is_han(word) or word in _NOT_BODIES:
        return None
    for suffix in _BRAND_SUFFIXES + _BODY_SUFFIXES:
        if word.endswith(suffix) and (len(word) > len(suffix) or suffix in ("集团", "银行")):
            return suffix
    return None


def _org_prefix(stem: str, tokens: list[tuple[str, str]], hay: Haystack) -> str:
    """The national word or Chinese place the name starts with ('' if none)."""
    for national in _NATIONAL:
        if stem.startswith(national):
            return national
    if tokens:
        word, flag = tokens[0]
        if stem.startswith(word) and len(word) < len(stem):
            if _place_word(word, flag, hay) is not None:
                return word
    for province in sorted(PROVINCES):  # one token: 湖北省文化和旅游厅
        for form in (province + "省", province + "市", province):
            if stem.startswith(form) and len(form) < len(stem):
                return form
    return ""


def _words_after(tokens: list[tuple[str, str]], offset: int) -> list[tuple[str, str]]:
    """The tokens starting at character ``offset`` of their concatenation."""
    position = 0
    out: list[tuple[str, str]] = []
    for word, flag in tokens:
        if position >= offset:
            out.append((word, flag))
        position += len(word)
    return out


def _person(tokens: list[tuple[str, str]], question: str, hay: Haystack) -> Candidate | None:
    """The first 2–3 character Chinese personal name of the question."""
    freq = _tokenizer().tokenizer.FREQ
    for i, (word, flag) in enumerate(tokens):
        if flag != "nr" or not 2 <= len(word) <= 3 or not _is_han(word):
            continue
        surname = word[:2] if word[:2] in _SURNAMES_2 else word[:1]
        if surname not in _SURNAMES_1 and surname not in _SURNAMES_2:
            continue
        given = word[len(surname) :]
        if not given or "某" in word or given[-1] in _NOT_GIVEN_END or _foreign(given):
            continue
        if word in KNOWN_BRANDS or freq.get(word, 0) > _MAX_NAME_FREQ:
            continue
        if not _person_in_texts(word, hay):
            continue
        at = question.find(word)
        if at > 0 and question[at - 1] in "“‘「『《\"'":  # 台风“杜苏芮”
            continue
        before = tokens[i - 1] if i > 0 else ("", "x")
        after = tokens[i + 1] if i + 1 < len(tokens) else ("", "x")
        if before[0] in _TITLES or after[1] in _PERSON_NEXT_TAGS or after[0] in _TITLES:
            return Candidate("person", word, length=len(given))
    return None


def _person_in_texts(name: str, hay: Haystack) -> bool:
    """Whether some text uses ``name`` as a person's (see ``_PERSON_AFTER``)."""
    text = hay.text
    at = text.find(name)
    for _ in range(_MAX_OCCURRENCES):
        if at < 0:
            return False
        before = text[max(0, at - 4) : at]
        after = text[at + len(name) : at + len(name) + 4]
        if (not before or not _is_han(before[-1]) or before.endswith(_TITLES_TUPLE)) and (
            after.startswith(_PERSON_AFTER)
        ):
            return True
        at = text.find(name, at + 1)
    return False


# --- command line ------------------------------------------------------------------------------


def load_questions(path: Path = PRACTICE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts(corpora: Sequence[Path] = CORPORA, seeds: Path = SEEDS) -> list[str]:
    """Every title and text of the index: the corpora's JSONL and the seed files."""
    texts: list[str] = []
    for corpus in corpora:
        with corpus.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    texts.append(f"{record.get('title') or ''}\n{record.get('text') or ''}")
    for path in sorted(seeds.iterdir()):
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def save(questions: list[dict[str, Any]], out: Path | None) -> Path:
    """Write the questions as JSON lines to ``out`` or a new temp file; return its path."""
    fh: IO[str]
    if out is None:
        fh = tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            prefix=f"{TEMP_PREFIX}unanswerable-",
            suffix=".jsonl",
            delete=False,
        )
    else:
        fh = check_outside_repo(out).open("w", encoding="utf-8")
    with fh:
        for question in questions:
            fh.write(json.dumps(question, ensure_ascii=False) + "\n")
    return Path(fh.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400, help="how many questions to make")
    parser.add_argument("--seed", type=int, default=13, help="seed of the draw and replacements")
    parser.add_argument(
        "--out", type=Path, default=None, help="where to write them (outside the repo)"
    )
    parser.add_argument("--questions", type=Path, default=PRACTICE, help="practice questions")
    args = parser.parse_args()
    setup_logging()
    import jieba

    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on every run
    if args.out is not None:
        check_outside_repo(args.out)

    load_before = load_average()
    with Timer() as load_timer:
        questions = load_questions(args.questions)
        texts = load_texts()
    _tokenizer()  # jieba's dictionary, not timed as generation
    with Timer() as timer:
        made = generate(questions, texts, n=args.n, seed=args.seed)
    path = save(made, args.out)

    kinds = Counter(q["changed"]["kind"] for q in made)
    by_id = {q["id"]: q["question"] for q in questions}
    examples = {}
    for number, example in enumerate(made[:5], 1):
        kind = example["changed"]["kind"]
        source = by_id[example["id"][len("unans-") : -len(kind) - 1]]
        examples[f"example_{number}_{kind}"] = f"{source} -> {example['question']}"
    report(
        "unanswerable",
        {
            "questions_file": str(path),
            "source_questions": len(questions),
            "texts": len(texts),
            "made": len(made),
            **{f"{kind}_count": kinds.get(kind, 0) for kind in KINDS},
            "distinct_source_questions": len({q["id"].rsplit("-", 1)[0] for q in made}),
            "load_s": round(load_timer.seconds, 2),
            "generate_s": round(timer.seconds, 2),
            "generate_cpu_s": round(timer.cpu_seconds, 2),
            "load_average_before_after": [load_before, load_average()],
            **examples,
        },
    )


if __name__ == "__main__":
    main()
