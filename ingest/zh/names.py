"""Chinese personal names and the titles before them, as the reports write them: one
home for the vocabularies that fact extraction, the verifier and the answerers share, and
for the patterns that find people's names in a text (with or without a title).

A leaf module: it imports nothing of govqa.
"""

from __future__ import annotations

import re

# Single-character surnames, the common ones. Characters that are far more often a word at
# the start of what follows a title (和, 全, 由, 都, 来, 国, 干, 班 ...) are left out.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
    "欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴"
    "蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏"
    "席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟"
    "邝官封谈匡鞠惠荆乐冀郁胥南储栗燕楚鄢劳谌奚皮粟冼蔺楼满闻厉伊仝郜阚权帅屠豆朴盖"
    "练廉禹井祖漆巴丰卿狄晋容敬扈晁芮阙浦戈伏鹿薄邸雍辜羊裘亓修邰赫杭况宿鲜逯隆茹诸"
    "战慕危亢嵇湛宾戎勾茅揭尉檀智幸奉衡富尧强信"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 端木 独孤 南宫 "
    "西门 呼延 轩辕 万俟 闻人 赫连 澹台 申屠 完颜 钟离 百里 淳于 单于 太史 东郭 公冶".split()
)
# Two-character words that follow a title but are not names (高度重视, 马上到).
NOT_NAMES = frozenset(
    "高度 高位 马上 全程 项目 方面 安全 严格 严肃 常态 常务 党员 党建 文明 金融 程序 时间 时刻 "
    "任务 宣传 应急 于是 向全 向各 向大 向参 向社 关于 关心 关注 石化 林业 江河 武装 包括 包抓 "
    "包保 成员 成为 成立 成果 明确 明年 尚未 齐心 易地 龙头 康养 安排 温暖 曾经 解决 管理 单位 "
    "谈话 乐观 甘于 宁可 连续 连同 车辆 路线 简要 简短 简单 申请 督查 左右 冷链 景区 施工 房屋 "
    "信息 信心 信访 信用 信贷 查证 查看 查阅 查处 查实".split()
)

# Words that end a title: the role itself (副/常务副/党组 ... stay inside the title). Longest
# first, so that 主任委员 wins over 主任 and 常务委员 over 委员.
ROLES = sorted(
    set(
        "书记 常委 委员 主任 主席 总理 省长 市长 区长 县长 州长 镇长 乡长 旗长 盟长 村长 局长 "
        "厅长 部长 处长 科长 司长 署长 院长 所长 行长 校长 社长 会长 组长 队长 站长 馆长 庭长 "
        "主任委员 检察长 秘书长 董事长 理事长 委员长 总经理 经理 总裁 总监 政委 司令员 参谋长 "
        "专员 巡视员 调研员 督察长 审计长 总工程师 总会计师 总经济师 主委 领导 负责人 负责同志 "
        "指挥长 助理 大使 总领事 发言人 教授 院士 研究员 成员 党组成员 组员 主持人 团长 "
        "主编 总编辑 台长".split()
    ),
    key=len,
    reverse=True,
)


# -- names of people ---------------------------------------------------------------------
# Three readers find names, each with its own word lists on purpose: the lists differ
# (what stops a name after a title is not what stops one in an answer), so they are kept
# apart rather than merged.

# The verifier's (retrieval.llm.verifier.person_names): 2–3 Han characters beside a title,
# or where a who-question's answer stands.

# The common titles a name stands beside, an alternation without a group (书记|区长|…).
COMMON_TITLE = (
    r"书记|区长|市长|县长|镇长|乡长|省长|州长|主任|主席|常委|委员|部长|局长|厅长|处长|秘书长|"
    r"院长|检察长|组长|会长|董事长|总经理"
)
# Characters that do not occur in the personal part of a name here (they stop 常委会 or
# 办公室主任 from reading as names): the wide list, with bodies, offices and pronouns.
NOT_IN_NAME_WIDE = (
    "会作工区委市县省镇乡村党政府的在和及与是了为对将等上下中全各新代表同志们副务室办厅局部"
    "处院所站队署社校馆团科人大协纪这那其他她它谁哪什么呢吗吧"
)
# One character of a name: a Han character not in NOT_IN_NAME_WIDE.
NAME_CHAR = rf"[\u4e00-\u9fff](?<![{NOT_IN_NAME_WIDE}])"
# What follows a name after a title (a verb of the genre, 同志, punctuation, the end).
AFTER_NAME = (
    r"(?=主持|出席|讲话|作|强调|指出|参加|表示|要求|介绍|传达|通报|宣读|代表|在|对|就|带领|一行|"
    r"同志|说|提出|和|及|与|等|[，,、。；;：:！？!?\s\[（()）]|$)"
)
# Words that stand where a name could but name no one (区长主持, 书记出席).
NOT_A_NAME = (
    rf"(?!{COMMON_TITLE}|主持|出席|讲话|参加|强调|指出|表示|要求|介绍|传达|通报|宣读|代表|带领|一行|"
    r"同志|提出|作|说|等|分别|共同|一起)"
)
# A name after a title (区长庄建球主持, 书记是庄建球), group 1; the verifier.
TITLE_THEN_NAME = re.compile(
    rf"(?:{COMMON_TITLE})(?:是|为|[:：])?{NOT_A_NAME}((?:{NAME_CHAR}){{2,3}}?){AFTER_NAME}"
)
# A name before a title (，庄建球同志副区长), group 1; the verifier.
NAME_THEN_TITLE = re.compile(
    rf"(?:^|(?<=[，,、。；;：:\s是为由和及与])){NOT_A_NAME}((?:{NAME_CHAR}){{2,3}}?)(?:同志)?"
    rf"(?=(?:常务)?副?(?:{COMMON_TITLE}))"
)
# A name where a who-question's answer stands (是庄建球[1], 、李四, 由庄建球主持), group 1;
# the verifier, for who-questions.
NAME_IN_AN_ANSWER = re.compile(
    rf"(?:^|(?<=[是为由：:、，,和及与])){NOT_A_NAME}((?:{NAME_CHAR}){{2,3}}?)"
    r"(?=\s*\[|[。；;，,、和及与]|主持|出席|讲话|作|宣读|传达|通报|$)"
)

# The extractive answerer's (retrieval.choosing.person_in): a title, then a name, then a
# verb of the genre.

# Any role of ROLES, longest first, as one group.
ANY_ROLE = "(?:" + "|".join(ROLES) + ")"
# Characters that do not occur in the personal part of a name in these reports; they stop
# "常委会作工作报告" from reading as a person called 会作工: the narrow list.
NOT_IN_NAME_NARROW = "会作工区委市县省镇党政府的在和及与是了为对将等上下中全各新代表同志们"
# A name after a role: 2–3 letters (no digit or Latin), none of NOT_IN_NAME_NARROW.
NAME_AFTER_ROLE = rf"[^\W\d_a-zA-Z{NOT_IN_NAME_NARROW}]{{2,3}}?"
# A titled person before a verb of the genre (区委书记庄建球主持): group 1 the title, group 2
# the name; retrieval.choosing.person_in.
TITLED_PERSON = re.compile(
    rf"({ANY_ROLE})({NAME_AFTER_ROLE})(?=主持|出席|讲话|作报告|作了|强调|指出|参加|表示|要求|介绍|"
    r"传达|通报|来|到|赴|调研|视察|考察|会见|看望|慰问|致辞|发言|宣布|签署|指示|批示|提出|"
    r"宣读|代表|在|对|就|带领|一行|同志|，|,|、|。|；|和|及|等)"
)

# People named by their surname (surname_names; the verifier): a known surname and one or
# two characters, before a verb of the genre or a title.

# The compound surnames, longest first, as an alternation.
COMPOUND_SURNAME = "|".join(sorted(COMPOUND_SURNAMES, key=len, reverse=True))
# The single-character surnames, for a character class.
SINGLE_SURNAME_CHARS = "".join(sorted(SURNAMES))
# Characters a given name does not have here: function words and the words of titles,
# places and bodies (they stop 常务副区长 or 高新区 from reading as names).
NOT_IN_GIVEN_NAME = (
    "的了是和与及等对将把被从到们这那其之也就都而在为有个不年月日委记书第会作工区市县省镇乡"
    "村党政府上下中全各新代表同志副务室办厅局部处院所站队署社校馆团科协纪主持出席讲话"
)
# One character of a given name: a Han character not in NOT_IN_GIVEN_NAME.
GIVEN_CHAR = rf"[\u4e00-\u9fff](?<![{NOT_IN_GIVEN_NAME}])"
# A surname and one or two characters of a given name (欧阳振华, 李大伟).
SURNAME_THEN_GIVEN = rf"(?:(?:{COMPOUND_SURNAME})|[{SINGLE_SURNAME_CHARS}])(?:{GIVEN_CHAR}){{1,2}}?"
# The verbs of the genre and the titles that follow a name (主持, 出席, 书记 …).
PERSON_VERB = (
    r"主持|出席|讲话|发言|致辞|强调|指出|表示|要求|介绍|传达|通报|宣读|带领|率队|率领|陪同|"
    r"参加|会见|看望|慰问|调研|考察|检查|督导|部署|听取|召开|提出|说|担任|当选|任|同志|"
    r"书记|区长|市长|县长|省长|主任|主席|部长|局长|常委|委员|代表"
)
# A list of such names before a verb (李大伟、王小明出席), group "names"; surname_names.
SURNAMED_NAME_LIST = re.compile(
    rf"(?:^|(?<=[，,、。；;：:\s“”\"'（(由是为和与及请]))"
    rf"(?P<names>{SURNAME_THEN_GIVEN}(?:[、和与及]{SURNAME_THEN_GIVEN})*?)(?=(?:{PERSON_VERB}))"
)
# One such name, whole (fullmatch on a part of the list); surname_names.
SURNAMED_NAME = re.compile(SURNAME_THEN_GIVEN)


def surname_names(text: str) -> list[str]:
    """People ``text`` (simplified) names by their surname before a verb of the genre or
    a title: 欧阳振华主持, 由李大伟主持, 李大伟、王小明出席."""
    names: list[str] = []
    for m in SURNAMED_NAME_LIST.finditer(text):
        for part in re.split(r"[、和与及]", m.group("names")):
            if part and SURNAMED_NAME.fullmatch(part) and part not in NOT_NAMES:
                names.append(part)
    return list(dict.fromkeys(names))
