"""The words of figures: units, breaks, and the words around a number that give its
metric, change, rank, kind and year; the rules are in :mod:`ingest.facts.figures`."""

from __future__ import annotations

import re

from ingest.facts.vocabulary import _HAN

# Base units, longest first where one is the start of another (个月 before 个, 人次 before 人).
_BASE_UNITS = (
    "个百分点|百分点|%|％|倍|美元|美金|欧元|港元|港币|日元|英镑|元|"
    "平方公里|平方米|立方米|千瓦时|千瓦|公里|千米|毫米|米|"
    "吨标准煤|吨|公顷|亩|人次|人(?!民)|户次|户|辆次|辆|台次|台|套|座|所|条|件|起|宗|场次|场|批次|批|"
    "名|位|头|只|张|份|篇|种|个月|个|项|家次|家|处|栋|间|株|棵|天|例|标箱|架次|架|艘次|艘|笔"
)
# Rates after a unit: "4650立方米/秒", "3600辆/小时", "287.80元/股", "2450立方米每秒".
_PER = r"(?:/|每)(?:秒|小时|天|日|年|月|人|股|吨|亩|平方米|千瓦时|公斤|斤)"
# A number with its unit: "414.9亿元", "75家", "20余家", "5万余人", "7.3%".
_NUMBER = re.compile(
    # not inside a longer number, a code, an ordinal, a range or a coupon (满200减80)
    r"(?<![\d.A-Za-z第满减每/\-—–~～])"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?P<approx1>余|多)?"
    r"(?P<mult>万亿|亿|万)?"
    r"(?P<approx2>余|多)?"
    rf"(?P<base>(?:{_BASE_UNITS})(?:{_PER})?)?"
    # "7座以下小客车" is a class, "24万人民" a manner of speaking, not quantities
    r"(?![A-Za-z\d]|以下|人民)"
)
# Counter units: the thing counted may follow the number ("完成45个民生实事项目").
_COUNTERS = frozenset(
    "个 项 家 件 名 所 座 条 批 批次 次 户 人 处 场 场次 套 台 辆 种 位 笔 宗 起 栋 间 人次 "
    "户次 家次 例 艘 艘次 架 架次 株 棵 头 只 张 份 篇 万 亿".split()
)
# Quotes and titles whose numbers are names, not quantities: “141”, 《…2023年…》.
_QUOTED = re.compile(r"“[^”\n]{0,30}”|《[^》\n]{0,60}》|〈[^〉\n]{0,60}〉")
# Statement and clause breaks inside a sentence.
_STATEMENT_BREAK = re.compile(r"[；;]")
# A bracket opens or closes a clause, but not around an abbreviation: 地区生产总值（GDP）.
_CLAUSE_BREAK = re.compile(r"[，,：:、\s]|[（(](?![A-Za-z]{2,8}[）)])|(?<![A-Za-z])[）)]")
_ABBREVIATION = re.compile(r"[（(][A-Za-z]{2,8}[）)]")
_POST_BREAK = re.compile(r"[，,；;。：:\s（(）)！？!]")
# What may join the values of one list: "12.5%和14.8%", "0.21%、0.37%".
_LIST_JOIN = frozenset({"", "和", "及", "与", "或"})

# A clause that is only a comparison: "增长5.7%", "较去年同期增加12.34亿元", "同比增速18.42%".
_CHANGE_ONLY = re.compile(
    r"(?:同比|环比|比上年同期|较上年同期|比去年同期|较去年同期|比上年|较上年|比去年|较去年|较年初|"
    r"比年初|较上月|[比较](?:19|20)\d{2}年(?:同期)?|年均|平均|分别)*"
    r"(?:增长|增加|下降|减少|提高|提升|上升|回落|下滑|降低|增速|增幅|降幅|增)了?"
    r"(?:为|达|至|到|超过|超|近|约)?"
)
# A milestone: "首次突破400亿元", "有望迈上3000亿元".
_MILESTONE = re.compile(
    r"(?:首次|历史性|有望|将)?(?:突破|迈上|跨上|站上|迈过|越过|跨越|跨入|迈入)$"
)
# Scope and time words that open a metric: 全区, 2024年, 全年, 截至6月末, 今年以来 ...
_METRIC_LEAD = re.compile(
    r"^(?:(?:到|截至)?(?:19|20)\d{2}年(?:度|底|末)?|今年以来|今年|去年|明年|上半年|下半年|前三季度|"
    r"一季度|二季度|三季度|四季度|全年|年内|截至[^，]{0,10}?(?:末|底|止|日)|"
    r"\d{1,2}(?:[-—～~至]\d{1,2})?月(?:份|末|底)?|一年来|近年来|其中|目前|当前|累计|共计|共|总计|"
    r"合计|全区|全市|全县|全省|全镇|全乡|全州|全旗|我区|我市|我县|我省|本区|本市|本县|区内|市内|"
    r"县内|辖区内?|我们|以及|和|及|是|实现了?|达到了?|达|为期|约|近|逾|"
    r"力争|确保|争取|预计|有望|计划|力求|拟|将|要(?!素))+"
)
# Reporting verbs and the like: the metric starts after the last one ("……获悉，我省旅游接待").
_METRIC_CUT = re.compile(
    r"获悉|显示|介绍|表示|指出|透露|据统计|据了解|据悉|成为|共有|包括|即|对(?!外|口|接)|争取到|"
    r"(?:发放|准备|安排|投放)(?:了|的)"
)
# Verbs, adverbs and particles that end the words before a number: "首次突破", "实现", "为".
_METRIC_TAIL = re.compile(
    r"(?:分别|首次|历史性|有望|预计|力争|确保|争取|将|要|可|已|均|约|近|逾|超|共|累计|总计|合计|"
    r"计|达到了?|达|为|是|实现了?|完成了?|突破|迈上|跨上|站上|迈入|跨入|超过|高达|仅|只有|已达|"
    r"增至|增加到|提高到|提高至|提升至|提升到|稳定在|保持在|控制在|连续|占|的|有|等|折合|人民币|始终|"
    r"保持|一直|继续|"
    r"新增(?=$))+$"
)
# How long something lasts or a sentence runs: not a figure of the report's subject.
_DURATION = re.compile(r"(?:为期|历时|用时|耗时|有期徒刑[^，]*)$")
# The verb of a clause that goes on about the metric before it: "……，实现414.9亿元".
_CONTINUES = re.compile(
    r"实现|达到|达|完成|为|共计|合计|累计|总计|超过|突破|增至|提高到|提升至|迈上"
)
# Words before a number that name no quantity by themselves.
_BARE_VERB = re.compile(
    r"(?:严格)?(?:落实|通报|展示|开展了?|举办了?|组织了?|推出|发放|涉及|覆盖|惠及|带动|吸引|"
    r"帮助|培训|服务|走访|慰问|检查|排查|整改|办理|受理|解决|处理|查处|发现|引进|新建|建成|完成|"
    r"打造|推动|推进|实施|抓好|办好|召开|签约|投入|争取|提出|列入|新增|治理|贯通|建设|修复|改造|整治|"
    r"成功指导|指导|年|月|日)"
)
# What ends the noun after a counter: "2136个村级卫生服务站目前已全部建成" -> 村级卫生服务站.
_POST_CUT = re.compile(
    r"了|目前|此前|已经|已|正在|全面|均|都|并|将|被|由|在|把|还|也|又|拟|就(?![业医读学诊])|"
    r"实现|完成|达到|参加|参与|开展|进行|提出|列入|争取|受益|旁听|发送|落地|处置|获得|通过|纳入|"
    r"建成|开工|投入|投产|签约|落户|入驻|入选|获评|成为|作为|直接|依次|分别|逐一|全部|共同|一起|集中|"
    r"^(?:以上|左右|之多)|当中|包括|全程|达(?!标)|发表|表示|指出|声明|同步|下载|安装|接受|到场|出席|"
    r"踊跃|积极|纷纷|陆续|顺利|成功|正式|、|的|"
    r"和|及|与|等|[^\u4e00-\u9fff]"
)
# Things counted too generic to name a metric: "处级干部共8名同志" is about 处级干部.
_GENERIC_COUNTED = frozenset({"同志", "人员", "人次", "余人", "小时", "钟头"})
# Things counted that are one character: "82个县".
_ADMIN_UNITS = frozenset("省市县区镇乡村州")
# Tiers before the counted noun: "市、区两级".
_TIERS = re.compile(r"^(?:[省市区县镇乡村街]、?){1,4}[两三四五]级")
# A counted noun that is a new addition: "新增32家企业".
_NEW = re.compile(r"新增$")
# Rank: "全市第一", "位居中心城区第一".
_RANK = re.compile(
    r"(?:位居|位列|位于|居于|排名|排在|稳居|居|列|排)?"
    r"(?P<rank>(?:全国|全省|全市|全区|全县|全州|中心城区|主城区|同类城市|省内|市内|区内|县内)"
    r"(?:第[一二三四五六七八九十\d]+(?:位|名)?|首位|前列|前茅|榜首))"
    r"(?![期批届次号轮])"  # "全省第九期" is an edition, not a rank
)
# A clause that is only a rank.
_RANK_ONLY = re.compile(rf"[{_HAN}]{{0,6}}?{_RANK.pattern}[{_HAN}]{{0,2}}")
# "连续12个月".
_RUN = re.compile(r"连续$")
# Expectation and target words (searched in the words before the number).
_EXPECTED_WORDS = ("有望", "预计", "预期", "可望", "估计")
_TARGET = re.compile(
    r"力争|(?<!成功)争取(?=实现|达到|完成|突破|超过|在|到20|年内|早日|更多|全年)|确保|拟(?!任)|"
    r"计划(?=(?:总)?投资|完成|新增|实施|建设|建成|开工|引进|培育|打造|用|在|于|到|年内|今年|明年|\d)|"
    r"目标(?:是|为|：|:)|预期目标|力求|必须|务必|"
    # 要 opening a clause, maybe after its subject: "；要增强……", "明年，全区要新建……"
    r"(?:^|[，；：\s])(?:全区|全市|全县|全省|全镇|我们|我区|我市|我县|各级|各地|各部门|各单位)?"
    r"(?:还|也|就|一定)?要(?![求素闻点件害职案])|"
    r"下一步|将(?=于|达到|实现|突破|超过|新增|建成|完成|举办|开展|建设|投入|新建|落实|实施|"
    r"推出|启动|开工|形成|"
    r"带动|增加|提供|惠及|覆盖|组织|安排|历时|持续|新增|培育|引进|打造)|"
    r"到(?:19|20)\d{2}年"
)
# A statement that opens with 要 ("；要增强改革穿透性，……抓好290项改革任务") is a plan.
_PLAN_STATEMENT = re.compile(
    r"\s*(?:[一二三四五六七八九十]是|同时|此外|其次|首先)?[，、]?"
    r"(?:全区|全市|全县|全省|全镇|我们|我区|我市|我县|各级|各地|各部门|各单位)?(?:还|也|就|一定)?"
    r"要(?![求素闻点件害职案])"
)
# Years: "2024年", and 今年/去年/明年 - not "比上年", "较2022年同期", "与去年同期": comparisons.
_YEAR = re.compile(
    r"(?<![比较同于与])"
    # not a birth date: 1974年10月出生 says nothing of the figures after it
    r"(?:(?P<abs>(?:19|20)\d{2})年(?!同)(?!\d{1,2}月(?:\d{1,2}日)?出?生)"
    r"|(?P<rel>今年|去年|明年|上年|前年|本年))"
)
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# A clause this short before a figure's own clause may set its kind: "力争到2025年，".
_SHORT_LEAD = 10
# Words that put a figure in the present (the report's year) whatever year came before.
_PRESENT_WORDS = ("目前", "如今", "当前", "现在", "截至目前", "今年以来")
# A year sets the context of later sentences when it opens its sentence ("2024年，全区……",
# "全会指出，2024年是……"): at most this many characters in.
_OPENING = 12

# All of the words after a number that _counted reads: tiers (9 characters at most), then
# a noun of at most 16 characters ended by a cut word (4 characters and one looked ahead).
_POST_CHARS = 64
