"""The institutions, departments, mechanisms and people of the seed documents."""

from __future__ import annotations

import datetime as dt

# (name, short name, kind, level, parent name, region, departments)
ORGANIZATIONS = [
    (
        "洛阳市中级人民法院",
        "洛阳中院",
        "court",
        "city",
        None,
        "河南省洛阳市",
        [
            "审务督查局",
            "审判管理局",
            "立案庭",
            "民一庭",
            "民三庭",
            "民四庭",
            "破产审判庭",
            "执行局",
            "知识产权庭",
            "诉讼服务中心",
            "办公室",
        ],
    ),
    (
        "洛阳市工商业联合会",
        "洛阳市工商联",
        "federation",
        "city",
        None,
        "河南省洛阳市",
        ["经济联络部", "办公室", "会员部"],
    ),
    ("洛阳市民营企业商会", "洛阳民企商会", "chamber", "city", "洛阳市工商业联合会", "河南省洛阳市", ["商会调解委员会"]),
    (
        "洛阳市涧西区人民法院",
        "涧西法院",
        "court",
        "district",
        "洛阳市中级人民法院",
        "河南省洛阳市涧西区",
        ["立案庭", "民事审判庭"],
    ),
    (
        "洛阳市涧西区工商业联合会",
        "涧西区工商联",
        "federation",
        "district",
        "洛阳市工商业联合会",
        "河南省洛阳市涧西区",
        ["办公室"],
    ),
    (
        "广州市天河区人民法院",
        "天河法院",
        "court",
        "district",
        None,
        "广东省广州市天河区",
        ["审判管理办公室", "综合办公室", "立案庭"],
    ),
    ("广州市天河区工商业联合会", "天河区工商联", "federation", "district", None, "广东省广州市天河区", ["办公室"]),
    ("天津市司法局", "市司法局", "justice_bureau", "city", None, "天津市", ["法治调研处", "办公室"]),
    ("天津市工商业联合会", "天津市工商联", "federation", "city", None, "天津市", ["法律服务部", "办公室"]),
    (
        "卫东区人民政府",
        "卫东区政府",
        "government",
        "district",
        None,
        "河南省平顶山市卫东区",
        ["区政府办公室", "联席会议办公室（区司法局）"],
    ),
    ("卫东区人民法院", "卫东法院", "court", "district", None, "河南省平顶山市卫东区", ["办公室", "行政审判庭"]),
]

# The member units (成员单位) of the Weidong joint meeting, each with a liaison officer (seed 004):
# (organization, short name, department, officer's username, officer's name).
WEIDONG_MEMBERS = [
    ("卫东区发展和改革委员会", "区发改委", "综合科", "weidong_fgw", "李晓明"),
    ("卫东区工业和信息化局", "区工信局", "企业服务科", "weidong_gxj", "王丽"),
    ("卫东区财政局", "区财政局", "预算科", "weidong_czj", "张磊"),
    ("卫东区人力资源和社会保障局", "区人社局", "劳动关系科", "weidong_rsj", "刘洋"),
    ("卫东区市场监督管理局", "区市场监管局", "信用监督管理科", "weidong_scj", "陈静"),
    ("卫东区自然资源局", "区自然资源局", "不动产登记中心", "weidong_zrj", "杨勇"),
    ("卫东区住房和城乡建设局", "区住建局", "房地产市场监管科", "weidong_zjj", "赵丽"),
    ("卫东区信访局", "区信访局", "办信科", "weidong_xfj", "孙浩"),
    ("平顶山市公安局卫东分局", "卫东公安分局", "经济犯罪侦查大队", "weidong_gaj", "周强"),
]
ORGANIZATIONS += [
    (name, short, "government", "district", None, "河南省平顶山市卫东区", [department])
    for name, short, department, _username, _full_name in WEIDONG_MEMBERS
]

# (name, short name, document number, founded, transfer prefix, parties, cadence, plenaries per year)
# parties: (organization, responsible department, is convenor)
MECHANISMS = [
    (
        "洛阳市中级人民法院 洛阳市工商业联合会 沟通协作机制",
        "洛阳法院·工商联",
        "洛中法〔2021〕65号",
        dt.date(2021, 8, 17),
        "洛工商联移",
        [("洛阳市中级人民法院", "审务督查局", True), ("洛阳市工商业联合会", "经济联络部", False)],
        1,
        0,
    ),
    (
        "洛阳市涧西区人民法院 涧西区工商业联合会 沟通协作机制",
        "涧西法院·工商联",
        "",
        dt.date(2021, 10, 1),
        "涧工商联移",
        [("洛阳市涧西区人民法院", "立案庭", True), ("洛阳市涧西区工商业联合会", "办公室", False)],
        1,
        0,
    ),
    (
        "广州市天河区人民法院 天河区工商业联合会 促进民营企业健康发展沟通合作机制",
        "天河法院·工商联",
        "穗天法〔2021〕31号",
        dt.date(2021, 4, 25),
        "天工商联移",
        [("广州市天河区人民法院", "审判管理办公室", True), ("广州市天河区工商业联合会", "办公室", False)],
        1,
        0,
    ),
    (
        "天津市司法局 天津市工商业联合会 日常沟通联系机制",
        "天津司法局·工商联",
        "津司发〔2024〕8号",
        dt.date(2024, 7, 15),
        "津工商联移",
        [("天津市司法局", "法治调研处", True), ("天津市工商业联合会", "法律服务部", False)],
        1,
        0,
    ),
    (
        "卫东区常态化府院联动工作机制",
        "卫东府院联动",
        "",
        dt.date(2023, 1, 4),
        "卫府院移",
        [
            ("卫东区人民政府", "联席会议办公室（区司法局）", True),
            ("卫东区人民法院", "办公室", False),
            *[(name, department, False) for name, _short, department, _u, _n in WEIDONG_MEMBERS],
        ],
        1,
        1,
    ),
]

PASSWORD = "demo-pass-2026"

# (username, full name, organization, department, title, roles)
USERS = [
    ("fed_staff", "王晓红", "洛阳市工商业联合会", "经济联络部", "科员", ["federation_staff"]),
    ("fed_reviewer", "刘建国", "洛阳市工商业联合会", "经济联络部", "部长", ["federation_reviewer"]),
    ("fed_leader", "张志强", "洛阳市工商业联合会", None, "副主席", ["leader"]),
    ("court_clerk", "李静", "洛阳市中级人民法院", "审务督查局", "联络员", ["court_clerk"]),
    ("court_handler", "赵磊", "洛阳市中级人民法院", "民一庭", "法官", ["court_handler"]),
    ("court_leader", "陈卫东", "洛阳市中级人民法院", None, "副院长", ["leader"]),
    ("secretary", "孙丽", "洛阳市中级人民法院", "审务督查局", "秘书", ["meeting_secretary"]),
    ("mediation_manager", "周敏", "洛阳市民营企业商会", "商会调解委员会", "调解委员会主任", ["mediation_manager"]),
    ("mediator", "吴海涛", "洛阳市民营企业商会", "商会调解委员会", "特邀调解员", ["mediator"]),
    ("jianxi_fed_staff", "郑芳", "洛阳市涧西区工商业联合会", "办公室", "科员", ["federation_staff"]),
    ("jianxi_court_clerk", "冯涛", "洛阳市涧西区人民法院", "立案庭", "联络员", ["court_clerk"]),
    ("tianhe_fed_staff", "黄丽娟", "广州市天河区工商业联合会", "办公室", "科员", ["federation_staff"]),
    ("tianhe_fed_reviewer", "林志明", "广州市天河区工商业联合会", "办公室", "主任", ["federation_reviewer"]),
    ("tianhe_fed_leader", "梁永健", "广州市天河区工商业联合会", None, "副主席", ["leader"]),
    ("tianhe_court_clerk", "陈嘉欣", "广州市天河区人民法院", "审判管理办公室", "联络员", ["court_clerk"]),
    ("tianhe_court_handler", "何俊", "广州市天河区人民法院", "立案庭", "法官", ["court_handler"]),
    ("tianhe_court_leader", "谢伟", "广州市天河区人民法院", None, "副院长", ["leader"]),
    ("tianhe_secretary", "罗敏", "广州市天河区人民法院", "综合办公室", "秘书", ["meeting_secretary"]),
    ("tianjin_fed_staff", "杨帆", "天津市工商业联合会", "法律服务部", "科员", ["federation_staff"]),
    ("tianjin_fed_leader", "韩立", "天津市工商业联合会", None, "副主席", ["leader"]),
    ("tianjin_bureau_clerk", "曹宁", "天津市司法局", "法治调研处", "联络员", ["court_clerk"]),
    ("tianjin_bureau_leader", "许正", "天津市司法局", None, "副局长", ["leader"]),
    ("tianjin_secretary", "邓洁", "天津市司法局", "办公室", "秘书", ["meeting_secretary"]),
    (
        "weidong_gov_staff",
        "彭亮",
        "卫东区人民政府",
        "联席会议办公室（区司法局）",
        "联络员",
        ["federation_staff", "court_clerk"],
    ),
    ("weidong_gov_leader", "赵飞", "卫东区人民政府", None, "常务副区长", ["leader"]),
    ("weidong_court_clerk", "蒋敏", "卫东区人民法院", "办公室", "联络员", ["court_clerk", "federation_staff"]),
    ("weidong_court_leader", "武中立", "卫东区人民法院", None, "院长", ["leader"]),
    ("weidong_secretary", "宋佳", "卫东区人民政府", "联席会议办公室（区司法局）", "秘书", ["meeting_secretary"]),
    # Liaison officers of the member units: they report on the tasks their unit answers for.
    *[
        (username, full_name, name, department, "联络员", ["court_handler"])
        for name, _s, department, username, full_name in WEIDONG_MEMBERS
    ],
]

# (mechanism short name, organization, lead username, officer username)
LIAISONS = [
    ("洛阳法院·工商联", "洛阳市中级人民法院", "court_leader", "court_clerk"),
    ("洛阳法院·工商联", "洛阳市工商业联合会", "fed_leader", "fed_reviewer"),
    ("涧西法院·工商联", "洛阳市涧西区人民法院", None, "jianxi_court_clerk"),
    ("涧西法院·工商联", "洛阳市涧西区工商业联合会", None, "jianxi_fed_staff"),
    ("天河法院·工商联", "广州市天河区人民法院", "tianhe_court_leader", "tianhe_court_clerk"),
    ("天河法院·工商联", "广州市天河区工商业联合会", "tianhe_fed_leader", "tianhe_fed_reviewer"),
    ("天津司法局·工商联", "天津市司法局", "tianjin_bureau_leader", "tianjin_bureau_clerk"),
    ("天津司法局·工商联", "天津市工商业联合会", "tianjin_fed_leader", "tianjin_fed_staff"),
    ("卫东府院联动", "卫东区人民政府", "weidong_gov_leader", "weidong_gov_staff"),
    ("卫东府院联动", "卫东区人民法院", "weidong_court_leader", "weidong_court_clerk"),
    *[("卫东府院联动", name, None, username) for name, _s, _d, username, _n in WEIDONG_MEMBERS],
]

# Parties that sit in their mechanism as member units (成员单位): told of everything, approving nothing.
MEMBER_UNITS = {name for name, *_rest in WEIDONG_MEMBERS}
