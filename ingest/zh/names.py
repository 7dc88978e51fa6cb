"""Chinese personal names and the titles before them, as the reports write them: one
home for the vocabularies that fact extraction, the verifier and the answerers share.

A leaf module: it imports nothing of govqa.
"""

from __future__ import annotations

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
