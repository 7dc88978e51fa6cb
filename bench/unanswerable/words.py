"""The vocabulary of ``bench.unanswerable``: where the questions and texts are, the kinds,
and the words that tell (and make) years, places, organisations and persons."""

from __future__ import annotations

import re

from bench.common import CORPUS, REPO

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
