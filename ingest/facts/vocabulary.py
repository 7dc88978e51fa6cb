"""The words the rules of :mod:`ingest.facts` are written in: surnames, roles, the words
around names and titles, places; and two helpers that read Han text with them."""

from __future__ import annotations

import re

from ingest.zh.names import COMPOUND_SURNAMES, NOT_NAMES, ROLES, SURNAMES

_HAN = "\u4e00-\u9fff"

# The vocabularies of names and titles live in ingest.zh.names (shared with the verifier
# and the answerers); the private names here keep the rules readable.
_SURNAMES = SURNAMES
_COMPOUND_SURNAMES = COMPOUND_SURNAMES
_SURNAME_START = "".join(sorted(_SURNAMES | {s[0] for s in _COMPOUND_SURNAMES}))

# Characters a given name practically never has: function words and the words of titles.
_NOT_IN_NAME = frozenset("的了是和与及等对将把被从到们这那其之也就都而在为有个不年月日委记书第")

_NOT_NAMES = NOT_NAMES
_ROLES = ROLES
_ROLE_ALT = "|".join(_ROLES)

# A role followed by what may begin a name: a surname, or a "·" name (维吾尔 / 藏 / 蒙古 names).
_ROLE_BEFORE_NAME = re.compile(rf"(?:{_ROLE_ALT})(?=[{_SURNAME_START}]|[{_HAN}]{{1,6}}·[{_HAN}])")
# A title element that ends in a role: "区委副书记", "示范区领导".
_ENDS_IN_ROLE = re.compile(rf"(?:{_ROLE_ALT})$")
# A role anywhere in a string.
_ROLE_ANYWHERE = re.compile(_ROLE_ALT)
# A "·" name: 艾尔肯·吐尼亚孜.
_DOT_NAME = re.compile(rf"[{_HAN}]{{1,6}}·[{_HAN}]{{1,8}}(?:·[{_HAN}]{{1,8}})?")
# What the residue of a garbled character may still look like right after a surname.
_RESIDUE = re.compile(r"[?？□＿_*×]+")

# What may follow a name: the verbs, particles and conjunctions of the genre. Punctuation,
# digits (a date: "龚正7月28日主持") and the end of the text are accepted without this list.
_AFTER_NAME = re.compile(
    r"主持|出席|参加|参会|列席|讲话|强调|指出|表示|要求|代表|传达|作了?|做了?|在|带队|率队|率|"
    r"一行|同志|等|和|与|及|以及|调研|会见|会谈|陪同|宣读|通报|介绍|说|致辞|部署|听取|到|赴|"
    r"深入|前往|来|走访|检查|督导|督查|看望|慰问|为|向|对|就|分别|也|还|参观|察看|考察|视察|"
    r"莅临|担任|任|宣布|解读|发言|点评|总结|提出|希望|认为|先后|一同|共同|同|会同|主讲|授课|"
    r"带头|签订|签署|当选|围绕|结合|针对|首先|随后|肯定|鼓励|回答|接受|召开|领衔|实地|现场|专程|"
    r"亲自|又|则|先|再|即|并|将|已|曾|于|从|作为|是|的|被|把|给|带领|率领|一起|应邀|受邀|通过|"
    r"以|用|共|都|委托|所|进行|参与|调度|研究|主持召开|严重|涉嫌|接待|颁发|揭牌|启动|见证|"
    r"出发|返回|乘坐|登上|抵达|来到|回到|前来|开展|发表|答复|汇报|作出|批示|指示|讲授|上|下|"
    r"拿到|拿出|受|（|\("
)

# Function words before a title in the same run: "受区委书记", "会议由区委副书记". A one-character
# conjunction only goes when a title clearly starts after it (和平区 keeps its 和). Used with
# ``match(text, pos)``, so no "^".
_TITLE_LEAD = re.compile(
    rf"(?:[{_HAN}]{{0,16}}?(?:会议|全会|大会|会|活动|仪式|讲堂|典礼)由|"
    r"和(?![平田林政顺龙县静])|与|及|同(?![江心])|"
    r"以及|受|由|在|向|对(?!外)|据|请|经(?![开济贸])|被|将|把|给|为|到|还|"
    r"会上|会前|会后|近日|日前|昨天|今天|昨日|"
    r"今日|上午|下午|晚上|当天|随后|同时|此外|另外|还有|其中|包括|首先|其次|然后|接着|最后|现任|了)+"
)
# Verbs that may stand anywhere before a title in its run ("准确把握市委书记袁家军……指示"); the
# title starts after the last one. Multi-character, so they do not occur inside names of
# organisations.
_TITLE_CUT = re.compile(
    r"把握|学习|贯彻|落实|传达|按照|根据|围绕|听取|陪同|会见|会晤|看望|慰问|欢迎|感谢|邀请|带领|"
    r"率领|跟随|随同|会同|指出|强调|讲话|出席|参加|主持|介绍|表示|希望|要求|认为|宣布|委托|"
    r"批示|指示|调研(?![组员])|考察|视察|检查|督导|走访|了解|听到|看到|见到|向着|来到|前往|获得|授予|"
    r"当选|任命|免去|决定|通报|报道|采访|对话|专访|接受|推举|推选|选举|收到|接到|辞去|查处|审查|"
    r"调查|立案|开除|祝贺|(?:纪委|监委|检察院|法院|委员会|常委会)对|揭牌仪式|摄(?!影)|是|的|"
    r"(?<=[员人者任室长])为|(?<=[组队团])由"  # "失联人员为……", "调研组由……"
)

# A place a title may open with: 重庆市委书记, 嘉定区委书记, 海南省纪委监委.
_PLACE_PREFIX = re.compile(
    r"^(?:中共|原任|前任|时任|原)?"
    r"(?P<place>[^\W\d副原委党政人大局厅部]{2,8}?(?:自治区|自治州|省|市|区|县|州|盟|旗|镇|乡|街道))"
    r"(?![场民级值域辖内])"
)
# Zones named without their city (示范区 alone) do not name another region.
_GENERIC_PLACES = frozenset(
    "示范区 开发区 经开区 高新区 新区 自贸区 保税区 园区 景区 社区 城区 辖区 全区 全市 全县 自治区 "
    "全省 本区 本市 本县 该区 该市 该县".split()
)
# Central organs: their officials are national, not the report's region's.
_NATIONAL = re.compile(r"^(?:中共中央|中央|国务院|全国人大|全国政协)")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _after_last(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    """Where the last match of ``pattern`` in ``text[start:end]`` ends, else ``start``."""
    for m in pattern.finditer(text, start, end):
        start = m.end()
    return start
