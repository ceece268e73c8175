"""The demo district's service catalogue as data (事项清单, seed 004): 164 items on the list of a 中心镇（街道）, the
first 124 of them on a 发展型乡镇's, the first 79 on a 生态型乡镇's; 36 taken in at village service points.

Each row is written once; a name with "{}" stands for one item per variant ("个体工商户{}登记" × 设立、变更、注销).
Rows are in the order the lists are cut: the livelihood services every township offers come first, the permits
only a central town handles last. Flags: V 村级可办, Z 零跑腿, N 须跑两次 (not 最多跑一次), M 不见面审批.
"""

from dataclasses import dataclass

from grassroots.convenience.choices import DecidingLevel, ItemKind, MaterialForm, MaterialNeed

from .names import DISTRICT_CODE

CENTRAL_SIZE, DEVELOPING_SIZE, ECOLOGICAL_SIZE = 164, 124, 79

# Who decides (实施机关), by key.
DEPARTMENTS = {
    "RSJ": "嘉善县人力资源和社会保障局",
    "YBJ": "嘉善县医疗保障局",
    "MZJ": "嘉善县民政局",
    "CL": "嘉善县残疾人联合会",
    "GAJ": "嘉善县公安局",
    "WJJ": "嘉善县卫生健康局",
    "TYJ": "嘉善县退役军人事务局",
    "NYJ": "嘉善县农业农村局",
    "ZRZY": "嘉善县自然资源和规划局",
    "ZJJ": "嘉善县住房和城乡建设局",
    "ZHZF": "嘉善县综合行政执法局",
    "SCJG": "嘉善县市场监督管理局",
    "YC": "嘉善县烟草专卖局",
    "SFJ": "嘉善县司法局",
    "JYJ": "嘉善县教育局",
    "XZ": "乡镇人民政府（街道办事处）",
}

# Materials by key: name, form, need.
MATERIALS: dict[str, tuple[str, str, str]] = {
    "身": ("申请人居民身份证", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "户": ("居民户口簿", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "表": ("申请表", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "照": ("近期一寸免冠彩色照片", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "卡": ("社会保障卡或银行账户信息", MaterialForm.COPY, MaterialNeed.TOLERATED),
    "收": ("家庭收入及财产情况声明", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "授": ("家庭经济状况核对授权书", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "委": ("委托书及受托人身份证", MaterialForm.ORIGINAL, MaterialNeed.CONDITIONAL),
    "残": ("残疾人证", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "诊": ("医院诊断证明或病历资料", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "票": ("医疗费用发票及费用清单", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "婚": ("结婚证", MaterialForm.COPY, MaterialNeed.CONDITIONAL),
    "出": ("出生医学证明", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "亡": ("死亡医学证明或火化证明", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "证": ("原证件", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "合": ("合同或协议", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "村": ("村（社区）意见", MaterialForm.ORIGINAL, MaterialNeed.TOLERATED),
    "图": ("平面图或设计图纸", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "权": ("不动产权属证书", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "邻": ("四邻意见书", MaterialForm.ORIGINAL, MaterialNeed.CONDITIONAL),
    "场": ("经营场所使用证明", MaterialForm.COPY, MaterialNeed.TOLERATED),
    "执": ("营业执照", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "布": ("经营场所布局图及设备清单", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "健": ("从业人员健康证明", MaterialForm.COPY, MaterialNeed.TOLERATED),
    "章": ("企业章程或合伙协议", MaterialForm.ORIGINAL, MaterialNeed.REQUIRED),
    "役": ("退役证或入伍通知书", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "地": ("土地承包经营权证", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "发": ("购机发票及机具照片", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "居": ("居住证明（租赁合同或房产证明）", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "学": ("学籍证明或录取通知书", MaterialForm.COPY, MaterialNeed.REQUIRED),
    "说": ("情况说明", MaterialForm.ORIGINAL, MaterialNeed.CONDITIONAL),
}

# kind, name, department, deciding level (d 区县 / t 乡镇 / v 村), back-office suffix, statutory and promised
# limit (working days), materials, flags.
Row = tuple[str, str, str, str, str, int, int, str, str]
ROWS: tuple[Row, ...] = (
    # 社会保障（就业保障服务中心）
    ("GG", "城乡居民基本养老保险参保登记", "RSJ", "t", "JYBZ", 5, 1, "身户", "VM"),
    ("JF", "城乡居民基本养老保险待遇申领", "RSJ", "t", "JYBZ", 20, 3, "身户卡", "V"),
    ("JF", "城乡居民养老保险丧葬补助金、抚恤金申领", "RSJ", "t", "JYBZ", 20, 3, "身亡卡", "V"),
    ("GG", "城乡居民基本养老保险关系转移接续", "RSJ", "d", "JYBZ", 30, 10, "身表", ""),
    ("GG", "社会保障卡申领", "RSJ", "t", "JYBZ", 10, 5, "身照", "V"),
    ("GG", "社会保障卡{}", "RSJ", "t", "JYBZ", 5, 1, "身", "=挂失|补换|信息变更"),
    ("GG", "养老保险待遇领取资格认证", "RSJ", "t", "JYBZ", 5, 1, "身", "VZ"),
    ("GG", "个人社会保险参保缴费证明打印", "RSJ", "t", "JYBZ", 1, 1, "身", "Z"),
    ("GG", "失业登记", "RSJ", "t", "JYBZ", 5, 1, "身表", "V"),
    ("GG", "就业登记", "RSJ", "t", "JYBZ", 5, 1, "身合", ""),
    ("QR", "就业困难人员认定", "RSJ", "t", "JYBZ", 15, 5, "身表说", ""),
    ("JF", "失业保险金申领", "RSJ", "d", "JYBZ", 10, 3, "身卡", ""),
    ("JF", "灵活就业人员社会保险补贴申领", "RSJ", "d", "JYBZ", 20, 10, "身表卡", ""),
    ("GG", "《就业创业证》申领", "RSJ", "t", "JYBZ", 5, 1, "身照", ""),
    # 医疗保障
    ("GG", "城乡居民基本医疗保险参保登记", "YBJ", "t", "JYBZ", 5, 1, "身户", "VM"),
    ("GG", "基本医疗保险参保信息变更登记", "YBJ", "t", "JYBZ", 5, 1, "身", "Z"),
    ("GG", "异地就医备案", "YBJ", "t", "JYBZ", 5, 1, "身表", "Z"),
    ("JF", "零星医疗费用报销", "YBJ", "d", "JYBZ", 30, 15, "身票诊卡", ""),
    ("QR", "门诊特殊病种待遇认定", "YBJ", "d", "JYBZ", 15, 7, "身诊表", ""),
    ("GG", "基本医疗保险关系转移接续", "YBJ", "d", "JYBZ", 30, 10, "身表", ""),
    ("JF", "生育医疗费用报销", "YBJ", "d", "JYBZ", 20, 10, "身票出", ""),
    # 民政救助（社会事务办公室）
    ("JF", "最低生活保障申请", "MZJ", "t", "SHSW", 30, 20, "身户收授", "V"),
    ("JF", "特困人员救助供养申请", "MZJ", "t", "SHSW", 30, 20, "身户收授", "V"),
    ("JF", "临时救助申请", "MZJ", "t", "SHSW", 15, 5, "身户说", "V"),
    ("QR", "低保边缘家庭认定", "MZJ", "t", "SHSW", 30, 20, "身户收授", "V"),
    ("JF", "医疗救助申请", "MZJ", "t", "SHSW", 20, 10, "身票诊", "V"),
    ("JF", "高龄津贴申领", "MZJ", "t", "SHSW", 10, 3, "身", "VZ"),
    ("JF", "居家养老服务补贴申请", "MZJ", "t", "SHSW", 20, 10, "身户授", "V"),
    ("JF", "惠民殡葬补助申领", "MZJ", "t", "SHSW", 10, 3, "身亡卡", "V"),
    ("GG", "老年人优待证办理", "MZJ", "t", "SHSW", 5, 1, "身照", "V"),
    ("JF", "事实无人抚养儿童基本生活补贴申领", "MZJ", "t", "SHSW", 30, 15, "身户说", ""),
    ("JF", "孤儿基本生活费申领", "MZJ", "t", "SHSW", 30, 15, "身户说", ""),
    ("QR", "家庭经济状况核对", "MZJ", "d", "SHSW", 15, 7, "身授", "Z"),
    # 残联
    ("JF", "困难残疾人生活补贴和重度残疾人护理补贴申领", "CL", "t", "SHSW", 20, 10, "身残卡", "V"),
    ("GG", "残疾人证{}", "CL", "d", "SHSW", 20, 10, "身户照", "=新办|换领|迁移|注销"),
    ("JF", "残疾人辅助器具适配补贴申请", "CL", "t", "SHSW", 20, 10, "身残表", ""),
    ("JF", "残疾人家庭无障碍改造申请", "CL", "t", "SHSW", 30, 15, "身残表", ""),
    ("JF", "残疾人及残疾人子女助学补助申请", "CL", "t", "SHSW", 20, 10, "身残学", ""),
    ("JF", "残疾人创业扶持补助申请", "CL", "d", "SHSW", 30, 15, "身残执", ""),
    # 计划生育（卫生健康）
    ("GG", "生育登记", "WJJ", "t", "SHSW", 5, 1, "身婚", "VZ"),
    ("GG", "再生育登记", "WJJ", "t", "SHSW", 10, 3, "身婚户", "V"),
    ("JF", "计划生育家庭特别扶助金申领", "WJJ", "t", "SHSW", 30, 15, "身户说", "V"),
    ("JF", "农村部分计划生育家庭奖励扶助金申领", "WJJ", "t", "SHSW", 30, 15, "身户说", "V"),
    ("JF", "独生子女父母奖励（退休一次性奖励）申领", "WJJ", "t", "SHSW", 20, 10, "身说卡", ""),
    ("GG", "独生子女父母光荣证补办", "WJJ", "t", "SHSW", 10, 3, "身户", ""),
    # 退役军人
    ("JF", "优抚对象抚恤补助申领", "TYJ", "t", "SHSW", 20, 10, "身役卡", "V"),
    ("GG", "退役军人信息采集", "TYJ", "t", "SHSW", 5, 1, "身役", "V"),
    ("JF", "义务兵家庭优待金申领", "TYJ", "t", "SHSW", 20, 10, "身役卡", ""),
    ("GG", "光荣牌悬挂申请", "TYJ", "t", "SHSW", 10, 3, "身役", ""),
    # 户籍证明（派出所）
    ("QR", "户籍证明开具", "GAJ", "t", "PCS", 3, 1, "身户", "V"),
    ("QR", "无犯罪记录证明开具", "GAJ", "t", "PCS", 5, 1, "身委", "Z"),
    ("QR", "居住证申领", "GAJ", "t", "PCS", 15, 7, "身照居", "V"),
    ("QR", "居住证签注", "GAJ", "t", "PCS", 5, 1, "身居", "VZ"),
    ("QR", "出生登记", "GAJ", "t", "PCS", 5, 1, "出户婚", ""),
    ("QR", "死亡注销户口登记", "GAJ", "t", "PCS", 5, 1, "亡户", "V"),
    ("QR", "临时身份证明开具", "GAJ", "t", "PCS", 1, 1, "户照", ""),
    # 农业（农技水利服务中心）
    ("JF", "耕地地力保护补贴申领", "NYJ", "t", "NJSL", 20, 10, "身地卡", "V"),
    ("GG", "农村土地承包经营权流转合同备案", "NYJ", "t", "NJSL", 10, 3, "身地合", "V"),
    ("QR", "农村土地承包经营权变更登记", "NYJ", "d", "NJSL", 20, 10, "身地说", ""),
    ("JF", "政策性农业保险保费补贴申请", "NYJ", "t", "NJSL", 20, 10, "身合", "V"),
    ("JF", "规模种粮主体补贴申领", "NYJ", "t", "NJSL", 20, 10, "身地合", "V"),
    ("JF", "农机购置与应用补贴申请", "NYJ", "d", "NJSL", 30, 15, "身发卡", ""),
    ("QR", "农村集体经济组织成员身份确认", "XZ", "v", "NJSL", 30, 15, "身户村", "V"),
    ("GG", "家庭农场名录登记", "NYJ", "t", "NJSL", 10, 5, "身表合", ""),
    ("GG", "动物检疫申报", "NYJ", "t", "NJSL", 5, 1, "表", ""),
    ("XK", "农村村民宅基地审批", "XZ", "t", "CJB", 20, 15, "身表村邻", "N"),
    # 村级代办及其他综合服务
    ("GG", "法律援助申请", "SFJ", "t", "SFS", 7, 5, "身说收", "V"),
    ("GG", "人民调解申请", "SFJ", "t", "SFS", 10, 5, "身说", "V"),
    ("GG", "兵役登记", "XZ", "t", "RWB", 5, 1, "身户", "VZ"),
    ("GG", "征兵报名", "XZ", "t", "RWB", 5, 1, "身学照", ""),
    ("GG", "义务教育入学登记（随迁子女）", "JYJ", "d", "SHSW", 20, 10, "身户居", ""),
    ("GG", "困难家庭学生资助申请", "JYJ", "d", "SHSW", 20, 10, "身学收", ""),
    ("GG", "信访事项受理", "XZ", "t", "XFB", 15, 5, "身说", ""),
    ("GG", "水、电、燃气过户代办", "XZ", "v", "BMFW", 5, 1, "身权", "V"),
    ("GG", "有线电视及宽带报装代办", "XZ", "v", "BMFW", 5, 1, "身", ""),
    ("GG", "老年人公交乘车卡代办", "XZ", "v", "BMFW", 5, 1, "身照", ""),
    # 发展型乡镇以上：不动产、建设、更多就业与医保事项
    (
        "QR",
        "不动产{}登记（农村宅基地及房屋）",
        "ZRZY",
        "d",
        "CJB",
        30,
        5,
        "身权合",
        "=首次|转移|变更|抵押|注销",
    ),
    ("GG", "不动产登记资料查询", "ZRZY", "d", "CJB", 1, 1, "身", "M"),
    ("XK", "乡村建设规划许可证核发", "ZRZY", "t", "CJB", 20, 10, "身表图村", "N"),
    ("JF", "农村困难家庭危房改造补助申请", "ZJJ", "t", "CJB", 30, 15, "身权收", ""),
    ("GG", "公共租赁住房申请", "ZJJ", "d", "CJB", 30, 20, "身户收授", ""),
    ("JF", "住房租赁补贴申请", "ZJJ", "d", "CJB", 30, 20, "身户收合", ""),
    ("XK", "城市建筑垃圾处置核准", "ZHZF", "t", "ZFB", 20, 5, "表合", ""),
    ("XK", "临时占用城市道路审批", "ZHZF", "t", "ZFB", 20, 5, "表图", ""),
    ("XK", "户外广告设施设置审批", "ZHZF", "t", "ZFB", 20, 5, "表图执", ""),
    ("XK", "砍伐城市树木审批", "ZHZF", "t", "ZFB", 20, 5, "表图说", ""),
    ("QT", "店招店牌设置备案", "ZHZF", "t", "ZFB", 10, 3, "表图执", ""),
    ("JF", "一次性创业补贴申领", "RSJ", "d", "JYBZ", 20, 10, "身执卡", ""),
    ("JF", "创业担保贷款贴息申请", "RSJ", "d", "JYBZ", 20, 10, "身执合", ""),
    ("JF", "职业技能培训补贴申领", "RSJ", "d", "JYBZ", 20, 10, "身证卡", ""),
    ("GG", "企业职工基本养老保险参保登记", "RSJ", "d", "JYBZ", 5, 1, "执表", "M"),
    ("GG", "退休人员基本信息变更", "RSJ", "d", "JYBZ", 10, 3, "身说", ""),
    ("GG", "流动人员人事档案接收", "RSJ", "d", "JYBZ", 10, 5, "身说", ""),
    # 市场准入（市场监管所、经济发展办公室）
    ("XK", "个体工商户{}登记", "SCJG", "t", "SCJG", 15, 1, "身场表", "=设立|变更|注销"),
    ("XK", "食品经营许可（{}）", "SCJG", "t", "SCJG", 20, 5, "身执布健", "=新办|变更|延续|注销"),
    ("XK", "食品生产加工小作坊登记（{}）", "SCJG", "t", "SCJG", 15, 5, "身场布健", "=新办|变更|延续"),
    ("XK", "食品摊贩登记", "SCJG", "t", "SCJG", 10, 3, "身场健", ""),
    ("GG", "农民专业合作社{}登记", "SCJG", "d", "SCJG", 15, 3, "身章表", "=设立|变更|注销"),
    ("XK", "烟草专卖零售许可证{}", "YC", "d", "JJFZ", 20, 10, "身执场", "=新办|延续|变更|停业"),
    ("XK", "公共场所卫生许可（{}）", "WJJ", "d", "JJFZ", 20, 10, "执布健", "=新办|变更|延续"),
    ("GG", "第二类医疗器械经营备案", "SCJG", "d", "JJFZ", 5, 1, "执布", "M"),
    ("XK", "企业{}登记", "SCJG", "d", "JJFZ", 15, 3, "身章场", "=设立|变更|注销"),
    ("QT", "市场主体歇业备案", "SCJG", "d", "JJFZ", 5, 1, "执说", "M"),
    ("GG", "企业住所（经营场所）申报承诺", "SCJG", "t", "JJFZ", 5, 1, "执场", "M"),
    ("XK", "药品零售企业许可（{}）", "SCJG", "d", "JJFZ", 30, 15, "执布健", "=新办|变更|换证"),
    ("QT", "小微餐饮经营备案", "SCJG", "t", "SCJG", 10, 3, "身场健", ""),
    ("QT", "网络餐饮服务第三方平台分支机构备案", "SCJG", "d", "JJFZ", 20, 5, "执说", "M"),
    ("XK", "出版物零售单位设立", "ZHZF", "d", "JJFZ", 20, 10, "执场", ""),
    ("XK", "娱乐场所经营活动审批", "ZHZF", "d", "JJFZ", 20, 15, "执场图", ""),
    ("XK", "人力资源服务许可", "RSJ", "d", "JJFZ", 20, 10, "执章场", ""),
    ("XK", "劳务派遣经营许可", "RSJ", "d", "JJFZ", 20, 10, "执章场", ""),
    ("XK", "燃气经营许可证核发", "ZJJ", "d", "CJB", 20, 15, "执场图", ""),
    ("XK", "城镇污水排入排水管网许可", "ZJJ", "d", "CJB", 20, 10, "执图", ""),
    ("XK", "建设工程消防设计备案", "ZJJ", "d", "CJB", 15, 10, "图表", ""),
    ("XK", "特种设备使用登记", "SCJG", "d", "JJFZ", 15, 5, "执合", ""),
    ("XK", "危险化学品经营许可（{}）", "XZ", "d", "AJZ", 30, 15, "执场图", "=新办|延续"),
    ("XK", "道路货物运输经营许可", "XZ", "d", "JJFZ", 20, 10, "执合", ""),
    ("XK", "林木采伐许可证核发", "NYJ", "d", "NJSL", 20, 10, "身表图", "N"),
    ("XK", "内陆渔业船舶登记", "NYJ", "d", "NJSL", 20, 10, "身证表", ""),
    ("XK", "兽药经营许可证核发", "NYJ", "d", "NJSL", 20, 15, "执场", ""),
    ("XK", "农药经营许可证核发", "NYJ", "d", "NJSL", 20, 15, "执场", ""),
    ("XK", "种畜禽生产经营许可", "NYJ", "d", "NJSL", 20, 15, "执场布", ""),
    ("XK", "动物防疫条件合格证核发", "NYJ", "d", "NJSL", 20, 15, "执图布", ""),
    ("XK", "生鲜乳收购站许可", "NYJ", "d", "NJSL", 20, 15, "执场布", ""),
    ("XK", "设置大型户外广告及在城市建筑物上悬挂宣传品审批", "ZHZF", "t", "ZFB", 20, 5, "表图", ""),
    ("XK", "城市道路挖掘审批", "ZHZF", "t", "ZFB", 20, 5, "表图合", ""),
    ("XK", "临时建设工程规划许可", "ZRZY", "d", "CJB", 20, 10, "表图权", ""),
    ("XK", "建设项目用地预审与选址意见", "ZRZY", "d", "CJB", 20, 15, "表图说", ""),
    ("XK", "建筑工程施工许可（限额以下）", "ZJJ", "d", "CJB", 15, 5, "表图合", ""),
    ("GG", "城镇燃气用户报装代办", "XZ", "t", "BMFW", 5, 1, "身权", "M"),
    ("GG", "排水接管核准代办", "XZ", "t", "BMFW", 10, 3, "执图", ""),
    ("GG", "企业用工备案", "RSJ", "d", "JYBZ", 5, 1, "执合", "M"),
    ("GG", "社会保险登记（单位）", "RSJ", "d", "JYBZ", 5, 1, "执表", "M"),
    ("QR", "工伤认定申请受理", "RSJ", "d", "JYBZ", 60, 30, "身诊合说", ""),
    ("JF", "工伤保险待遇申领", "RSJ", "d", "JYBZ", 20, 10, "身诊票", ""),
    ("GG", "单位参保缴费证明打印", "RSJ", "d", "JYBZ", 1, 1, "执", "Z"),
)


@dataclass(frozen=True)
class ItemSpec:
    """One item of the catalogue, ready to be written."""

    code: str
    name: str
    kind: str
    department: str
    deciding_level: str
    office_suffix: str
    statutory: int
    promised: int
    materials: tuple[tuple[str, str, str], ...]
    in_central: bool
    in_developing: bool
    in_ecological: bool
    at_village: bool
    at_most_once: bool
    zero_visit: bool
    no_meeting: bool
    channels: tuple[str, ...]

    @property
    def required_visits(self) -> int:
        return 0 if self.zero_visit else (1 if self.at_most_once else 2)


LEVELS = {"d": DecidingLevel.DISTRICT, "t": DecidingLevel.TOWNSHIP, "v": DecidingLevel.VILLAGE}


def _expand() -> list[tuple[Row, str]]:
    """Every row, once per variant: (row, the item's name)."""
    out: list[tuple[Row, str]] = []
    for row in ROWS:
        name, flags = row[1], row[8]
        if "=" in flags:
            out.extend((row, name.format(v)) for v in flags.split("=", 1)[1].split("|"))
        else:
            out.append((row, name))
    return out


def catalogue() -> list[ItemSpec]:
    """The 164 items, codes numbered by kind in list order (XK330421001, GG330421001, …)."""
    serial: dict[str, int] = {}
    items = []
    for position, (row, name) in enumerate(_expand()):
        kind, _, department, level, office, statutory, promised, materials, flags = row
        flags = flags.split("=", 1)[0]
        serial[kind] = serial.get(kind, 0) + 1
        zero = "Z" in flags
        at_village = "V" in flags
        channels = ["window"] + (["online"] if "N" not in flags else [])
        if at_village:
            channels.append("agent")
        if zero or "M" in flags:
            channels.append("mail")
        items.append(
            ItemSpec(
                code=f"{ItemKind(kind).value}{DISTRICT_CODE}{serial[kind]:03d}",
                name=name,
                kind=kind,
                department=DEPARTMENTS[department],
                deciding_level=LEVELS[level],
                office_suffix=office,
                statutory=statutory,
                promised=promised,
                materials=tuple(MATERIALS[key] for key in materials),
                in_central=True,
                in_developing=position < DEVELOPING_SIZE,
                in_ecological=position < ECOLOGICAL_SIZE,
                at_village=at_village,
                at_most_once="N" not in flags,
                zero_visit=zero,
                no_meeting=zero or "M" in flags,
                channels=tuple(channels),
            )
        )
    return items


# The words residents search with, beside the item's own name (the public guide searches both).
SEARCH_WORDS = {
    "最低生活保障申请": "低保 困难 救助",
    "特困人员救助供养申请": "五保 特困 救助",
    "临时救助申请": "困难 救助 急难",
    "城乡居民基本养老保险参保登记": "社保 养老 参保",
    "城乡居民基本养老保险待遇申领": "社保 养老金 退休",
    "城乡居民基本医疗保险参保登记": "医保 参保 看病",
    "零星医疗费用报销": "医保 报销 看病",
    "异地就医备案": "医保 外地 看病",
    "高龄津贴申领": "老人 高龄补贴 养老",
    "居家养老服务补贴申请": "老人 养老",
    "生育登记": "准生证 生孩子 计生",
    "出生登记": "报户口 新生儿 上户口",
    "户籍证明开具": "户口 证明",
    "农村村民宅基地审批": "建房 造房子 宅基地",
    "困难残疾人生活补贴和重度残疾人护理补贴申领": "残疾 两项补贴",
    "失业保险金申领": "失业金 社保",
    "社会保障卡申领": "社保卡 市民卡",
    "无犯罪记录证明开具": "无犯罪 证明 政审",
}
