"""Generate the embedded default product catalog, ``catalog/data/products.jsonl``.

The catalog is synthetic but built from curated tables: real Chinese-market brands and product lines per
category, plausible attribute values, price ranges per product line (CNY), and several Chinese description
sentences per slot that are chosen and combined per product. Everything random comes from one
``random.Random(SEED)``, so the output is reproducible byte for byte.

Usage (from the repository root)::

    python -m catalog.data.make_catalog            # write products.jsonl
    python -m catalog.data.make_catalog --summary  # print the per-category table used in README.md
    python -m catalog.data.make_catalog --check    # exit 1 if products.jsonl is not what the script makes

Example:
    >>> from catalog.data.make_catalog import FIELDS, generate
    >>> products = generate()
    >>> products[0]["id"], sorted(products[0]) == sorted(FIELDS)
    ('P00001', True)
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import random
import re
import string
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from catalog.categories import CATEGORY_BY_SLUG

__all__ = ["FIELDS", "OUT_PATH", "SEED", "generate", "dump", "summary", "main"]

log = logging.getLogger(__name__)

SEED = 0
OUT_PATH = Path(__file__).with_name("products.jsonl")
FIELDS: tuple[str, ...] = (
    "id", "title_zh", "title_en", "category", "subcategory", "brand", "price", "stock", "rating", "sales",
    "tags", "attributes", "description",
)


# ---------------------------------------------------------------------------------------------------------
# Table types
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """A product line (brand + model) with its price range in CNY and fixed attributes.

    ``hl`` is the line's selling point, a Chinese noun phrase woven into the description; ``opts`` overrides
    the sub-type's variant options for this line (e.g. Apple storage tiers); ``kw`` overrides the title
    descriptor.
    """

    brand: str
    model: str
    lo: float
    hi: float
    en: str = ""
    hl: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    opts: dict[str, tuple[str, ...]] | None = None
    kw: tuple[str, str] | None = None


@dataclass(frozen=True)
class Sub:
    """A sub-type (``subcategory``) with its lines, variant options and description sentences.

    Title templates use ``{head}`` (brand + model), ``{kw}`` (descriptor) and attribute names; the English
    template is filled with English attribute values. Description sentences use the same names plus
    ``{brand}``, ``{model}``, ``{sub}`` and ``{hl}``.
    """

    category: str
    name: str
    name_en: str
    kw: tuple[str, str]
    opts: dict[str, tuple[str, ...]]
    lines: tuple[Line, ...]
    features: tuple[str, ...]
    scene: tuple[str, ...]
    tags: tuple[str, ...]
    title: tuple[str, str] | None = None
    mult: dict[str, float] = field(default_factory=dict)
    per_line: int = 4
    hl: str = ""


# Brand names as they appear in English titles (brands already in Latin script map to themselves).
BRAND_EN: dict[str, str] = {
    "华为": "HUAWEI", "小米": "Xiaomi", "荣耀": "HONOR", "三星": "Samsung", "一加": "OnePlus", "真我": "realme",
    "联想": "Lenovo", "戴尔": "Dell", "华硕": "ASUS", "惠普": "HP", "机械革命": "MECHREVO", "索尼": "Sony",
    "漫步者": "Edifier", "森海塞尔": "Sennheiser", "铁三角": "Audio-Technica", "韶音": "Shokz", "南卡": "NANK",
    "佳明": "Garmin", "高驰": "COROS", "华米": "Amazfit", "小天才": "imoo", "佳能": "Canon", "尼康": "Nikon",
    "富士": "FUJIFILM", "大疆": "DJI", "影石": "Insta360", "理光": "RICOH", "海信": "Hisense", "创维": "Skyworth",
    "极米": "XGIMI", "当贝": "Dangbei", "坚果": "JMGO", "海尔": "Haier", "美的": "Midea", "格力": "GREE",
    "小天鹅": "LittleSwan", "西门子": "Siemens", "容声": "Ronshen", "科沃斯": "ECOVACS", "石头": "Roborock",
    "追觅": "Dreame", "戴森": "Dyson", "云鲸": "Narwal", "九阳": "Joyoung", "苏泊尔": "SUPOR", "小熊": "Bear",
    "摩飞": "Morphy Richards", "象印": "ZOJIRUSHI", "双立人": "ZWILLING", "张小泉": "Zhang Xiaoquan",
    "炊大皇": "Cooker King", "爱仕达": "ASD", "米家": "Mijia", "李宁": "Li-Ning", "安踏": "ANTA", "特步": "Xtep",
    "优衣库": "UNIQLO", "波司登": "Bosideng", "海澜之家": "HLA", "太平鸟": "PEACEBIRD", "森马": "Semir",
    "鸭鸭": "YAYA", "骆驼": "CAMEL", "伯希和": "Pelliot", "北面": "The North Face", "鸿星尔克": "ERKE",
    "匹克": "PEAK", "亚瑟士": "ASICS", "回力": "Warrior", "斯凯奇": "Skechers", "红蜻蜓": "Red Dragonfly",
    "奥康": "Aokang", "百丽": "Belle", "迪卡侬": "Decathlon", "凯乐石": "KAILAS", "萨洛蒙": "Salomon",
    "兰蔻": "Lancome", "雅诗兰黛": "Estee Lauder", "珀莱雅": "PROYA", "薇诺娜": "Winona", "欧莱雅": "L'Oreal",
    "资生堂": "Shiseido", "自然堂": "CHANDO", "百雀羚": "Pechoin", "花西子": "Florasis",
    "完美日记": "Perfect Diary", "理肤泉": "La Roche-Posay", "修丽可": "SkinCeuticals", "可复美": "Comfy",
    "安耐晒": "ANESSA", "芙丽芳丝": "freeplus", "珂润": "Curel", "迪奥": "Dior", "圣罗兰": "YSL",
    "阿玛尼": "Armani", "帮宝适": "Pampers", "花王": "Merries", "好奇": "Huggies", "大王": "GOO.N",
    "飞鹤": "Feihe", "君乐宝": "Junlebao", "伊利": "Yili", "爱他美": "Aptamil", "美赞臣": "Enfa",
    "惠氏": "Wyeth", "好孩子": "gb", "贝亲": "Pigeon", "三只松鼠": "Three Squirrels", "良品铺子": "BESTORE",
    "百草味": "Be&Cheery", "洽洽": "ChaCheer", "卫龙": "Weilong", "周黑鸭": "Zhou Hei Ya", "旺旺": "Want Want",
    "农夫山泉": "Nongfu Spring", "元气森林": "Genki Forest", "雀巢": "Nestle", "三顿半": "Saturnbird",
    "奥利奥": "OREO", "好丽友": "Orion", "徐福记": "Hsu Fu Chi", "王小卤": "Wang Xiaolu", "蒙牛": "Mengniu",
    "人民文学出版社": "People's Literature Publishing House", "作家出版社": "Writers Publishing House",
    "重庆出版社": "Chongqing Publishing House", "北京十月文艺出版社": "Beijing October Arts & Literature",
    "南海出版公司": "Thinkingdom (Nanhai)", "中信出版社": "CITIC Press", "上海人民出版社": "Shanghai People's Press",
    "人民邮电出版社": "Posts & Telecom Press", "机械工业出版社": "China Machine Press",
    "贵州人民出版社": "Guizhou People's Press", "首都师范大学出版社": "Capital Normal University Press",
    "二十一世纪出版社": "21st Century Publishing", "译林出版社": "Yilin Press", "湖南文艺出版社": "Hunan Literature & Art",
    "商务印书馆": "The Commercial Press", "外语教学与研究出版社": "FLTRP", "天津人民出版社": "Tianjin People's Press",
    "牧高笛": "MOBIGARDEN", "探路者": "TOREAD", "捷安特": "Giant", "美利达": "Merida", "喜德盛": "XDS",
    "舒华": "SHUA", "亿健": "YESOUL", "斯伯丁": "Spalding", "尤尼克斯": "YONEX", "红双喜": "DHS",
    "宜家": "IKEA", "顾家家居": "KUKA", "林氏木业": "LINSY", "全友家居": "QuanU", "源氏木语": "Yuanshi Muyu",
    "芝华仕": "CHEERS", "慕思": "DeRUCCI", "喜临门": "Sleemon", "西昊": "SIHOO", "网易严选": "NetEase Yanxuan",
    "永艺": "UE", "皇家": "Royal Canin", "麦富迪": "Myfoodie", "渴望": "ORIJEN", "比瑞吉": "Nature Bridge",
    "伯纳天纯": "Pure&Natural", "卫仕": "NOURSE", "疯狂小狗": "Crazy Puppy", "诚实一口": "Honest Bite",
    "小佩": "PETKIT", "霍曼": "Homerun", "福丸": "Fuwan", "冠能": "Pro Plan", "顽皮": "Wanpy",
    "作业帮": "Zuoyebang", "科大讯飞": "iFLYTEK", "步步高": "BBK", "掌阅": "iReader", "汉王": "Hanvon",
    "文石": "BOOX", "长虹": "Changhong", "奥克斯": "AUX", "添可": "TINECO", "飞利浦": "Philips", "京东京造": "Jingdong Jingzao",
    "蕉下": "Beneunder", "欧普": "OPPLE", "洁客": "Dr.Jiecare",
}

# English for attribute values that appear in titles. Values already in Latin script need no entry; simple
# unit suffixes (码, 英寸, 匹, 升, 克, 片 ...) are translated by rule in ``_en``.
EN: dict[str, str] = {
    "黑色": "Black", "白色": "White", "银色": "Silver", "灰色": "Gray", "蓝色": "Blue", "绿色": "Green",
    "紫色": "Purple", "粉色": "Pink", "红色": "Red", "金色": "Gold", "黄色": "Yellow", "橙色": "Orange",
    "卡其色": "Khaki", "藏青色": "Navy", "米白色": "Off-White", "深蓝色": "Dark Blue", "浅蓝色": "Light Blue",
    "深空灰": "Space Gray", "深空灰色": "Space Gray", "星光色": "Starlight", "午夜色": "Midnight",
    "午夜蓝": "Midnight Blue", "天蓝色": "Sky Blue", "深青色": "Teal", "群青色": "Ultramarine",
    "原色钛金属": "Natural Titanium", "蓝色钛金属": "Blue Titanium", "白色钛金属": "White Titanium",
    "黑色钛金属": "Black Titanium", "曜石黑": "Obsidian Black", "雪域白": "Snow White", "冰川蓝": "Glacier Blue",
    "松针绿": "Pine Green", "晨曦紫": "Dawn Purple", "青山黛": "Mountain Green",
}


# ---------------------------------------------------------------------------------------------------------
# Curated tables, one block per category
# ---------------------------------------------------------------------------------------------------------
# Sentences shared by every category; each category adds its own below.
INTRO_COMMON: tuple[str, ...] = (
    "{head}是{brand}旗下的人气{sub}，最大的亮点是{hl}。",
    "这款{head}{sub}主打{hl}，上市以来口碑一直不错。",
    "{hl}，让{head}在同价位{sub}里很有竞争力。",
)
CLOSING_COMMON: tuple[str, ...] = (
    "官方正品保障，支持7天无理由退货。",
    "现货速发，下单后48小时内发货。",
    "收到商品如有任何问题，可随时联系在线客服处理。",
)
INTRO: dict[str, tuple[str, ...]] = {}
CLOSING: dict[str, tuple[str, ...]] = {}
SUBS: list[Sub] = []

PHONE_COLORS = ("曜石黑", "雪域白", "冰川蓝", "松针绿", "晨曦紫")
PHONE_STORAGE = ("8GB+256GB", "12GB+256GB", "12GB+512GB", "16GB+1TB")
APPLE_STORAGE = ("128GB", "256GB", "512GB")
STORAGE_MULT = {"12GB+256GB": 1.1, "12GB+512GB": 1.25, "16GB+1TB": 1.35, "256GB": 1.15, "512GB": 1.4,
                "1TB": 1.7}
PHONE_FEATURES = (
    "搭载{芯片}，日常应用秒开，大型手游也能长时间稳定高帧运行。",
    "{屏幕}高清大屏显示细腻，户外强光下依然清晰可读。",
    "本款为{存储}版本，照片、视频和常用应用都能放心装。",
    "{颜色}配色的机身质感出众，握持手感轻薄舒适。",
    "内置{电池}大电池，配合快充，重度使用也能撑过一整天。",
)
PHONE_SCENE = (
    "无论是通勤刷剧、旅行拍照还是商务办公，{model}都能从容应对。",
    "适合追求性能与影像的用户，也很适合作为送给家人的礼物。",
    "老用户换机升级体验提升明显，数据迁移一键完成。",
)
INTRO["phones"] = (
    "{head}新机到货，{hl}让它在今年的手机里格外亮眼。",
    "想换手机的朋友可以看看{head}：{hl}，各方面都很均衡。",
)
CLOSING["phones"] = (
    "全国联保一年，支持以旧换新和12期分期付款。",
    "官方正品，支持官网验证，购机赠送原装数据线。",
)


def _apple(model: str, lo: float, hi: float, hl: str, chip: str, screen: str, battery: str,
           colors: tuple[str, ...]) -> Line:
    """An iPhone line (Apple uses its own storage tiers and colours)."""
    return Line("Apple", model, lo, hi, hl=hl, attrs={"芯片": chip, "屏幕": screen, "电池": battery},
                opts={"存储": APPLE_STORAGE, "颜色": colors})


def _phone(brand: str, model: str, lo: float, hi: float, hl: str, chip: str, screen: str, battery: str,
           en: str = "") -> Line:
    """An Android phone line."""
    return Line(brand, model, lo, hi, en=en, hl=hl, attrs={"芯片": chip, "屏幕": screen, "电池": battery})


SUBS += [
    Sub("phones", "旗舰手机", "Flagship Smartphone", ("5G旗舰手机", "5G Flagship Smartphone"),
        {"存储": PHONE_STORAGE, "颜色": PHONE_COLORS},
        (
            _apple("iPhone 15", 4799, 5499, "灵动岛与4800万像素主摄", "A16仿生芯片", "6.1英寸", "3349mAh",
                   ("黑色", "蓝色", "绿色", "黄色", "粉色")),
            _apple("iPhone 15 Plus", 5499, 6299, "6.7英寸大屏与超长续航", "A16仿生芯片", "6.7英寸", "4383mAh",
                   ("黑色", "蓝色", "绿色", "黄色", "粉色")),
            _apple("iPhone 15 Pro", 6999, 7999, "钛金属设计与A17 Pro芯片", "A17 Pro芯片", "6.1英寸", "3274mAh",
                   ("原色钛金属", "蓝色钛金属", "白色钛金属", "黑色钛金属")),
            _apple("iPhone 15 Pro Max", 8499, 9499, "5倍光学变焦长焦镜头", "A17 Pro芯片", "6.7英寸", "4422mAh",
                   ("原色钛金属", "蓝色钛金属", "白色钛金属", "黑色钛金属")),
            _apple("iPhone 16", 5599, 5999, "全新相机控制按钮", "A18芯片", "6.1英寸", "3561mAh",
                   ("黑色", "白色", "深青色", "群青色", "粉色")),
            _apple("iPhone 13", 3599, 4199, "经典耐看的设计与出色的性价比", "A15仿生芯片", "6.1英寸", "3227mAh",
                   ("午夜色", "星光色", "蓝色", "粉色")),
            _phone("华为", "Mate 60", 4999, 5699, "卫星通话与昆仑玻璃", "麒麟9000S芯片", "6.69英寸", "4750mAh"),
            _phone("华为", "Mate 60 Pro", 6499, 7299, "双向北斗卫星消息与超可靠玄武架构", "麒麟9000S芯片",
                   "6.82英寸", "5000mAh"),
            _phone("华为", "Pura 70", 5499, 5999, "超高速风驰闪拍", "麒麟9010芯片", "6.6英寸", "4900mAh"),
            _phone("小米", "小米14", 3999, 4599, "徕卡光学Summilux镜头", "第三代骁龙8", "6.36英寸", "4610mAh",
                   en="Xiaomi 14"),
            _phone("小米", "小米14 Ultra", 6499, 7299, "徕卡一英寸主摄与可变光圈", "第三代骁龙8", "6.73英寸",
                   "5000mAh", en="Xiaomi 14 Ultra"),
            _phone("OPPO", "Find X7", 3999, 4699, "哈苏影像与超光影三主摄", "天玑9300", "6.78英寸", "5000mAh"),
            _phone("vivo", "X100", 3999, 4699, "蔡司APO超级长焦", "天玑9300", "6.78英寸", "5000mAh"),
            _phone("vivo", "X100 Pro", 4999, 5999, "蔡司一英寸主摄与自研V3影像芯片", "天玑9300", "6.78英寸",
                   "5400mAh"),
            _phone("荣耀", "Magic6", 4399, 4999, "青海湖电池与鹰眼相机", "第三代骁龙8", "6.78英寸", "5450mAh"),
            _phone("三星", "Galaxy S24", 4999, 5999, "Galaxy AI实时翻译", "第三代骁龙8", "6.2英寸", "4000mAh"),
            _phone("一加", "12", 4299, 4799, "2K东方屏与哈苏影像", "第三代骁龙8", "6.82英寸", "5400mAh",
                   en="12"),
        ),
        PHONE_FEATURES, PHONE_SCENE, ("5G", "拍照手机", "旗舰", "快充", "高刷屏", "游戏手机"),
        title=("{head} {kw} {存储} {颜色}", "{head} {kw} {存储} {颜色}"), mult=STORAGE_MULT),
    Sub("phones", "性价比手机", "Value Smartphone", ("5G智能手机", "5G Smartphone"),
        {"存储": ("8GB+128GB", "8GB+256GB", "12GB+256GB"), "颜色": PHONE_COLORS},
        (
            _phone("小米", "Redmi Note 13 Pro", 1299, 1599, "2亿像素超清影像", "第二代骁龙7s", "6.67英寸",
                   "5100mAh"),
            _phone("小米", "Redmi K70", 2199, 2599, "2K中国屏与澎湃OS", "第二代骁龙8", "6.67英寸", "5000mAh"),
            _phone("小米", "Redmi 13C", 699, 899, "5000mAh超长续航", "天玑6100+", "6.74英寸", "5000mAh"),
            _phone("荣耀", "X50", 1199, 1499, "十面抗摔的护眼曲屏", "第一代骁龙6", "6.78英寸", "5800mAh"),
            _phone("荣耀", "Play 50", 799, 999, "超大音量与长续航", "天玑6020", "6.56英寸", "5200mAh"),
            _phone("OPPO", "Reno11", 2299, 2699, "单反级人像镜头", "天玑8200", "6.7英寸", "4800mAh"),
            _phone("OPPO", "A2", 999, 1299, "护眼屏与超级闪充", "天玑6020", "6.56英寸", "5000mAh"),
            _phone("vivo", "Y100", 1299, 1599, "6000mAh巨量电池", "第一代骁龙4", "6.64英寸", "6000mAh"),
            _phone("vivo", "S18", 2199, 2599, "后置影棚级柔光环", "第三代骁龙7", "6.78英寸", "5000mAh"),
            _phone("真我", "GT Neo5 SE", 1599, 1899, "144Hz电竞直屏", "第二代骁龙7+", "6.74英寸", "5500mAh"),
            _phone("vivo", "iQOO Z8", 1199, 1499, "120W超快闪充", "天玑8200", "6.64英寸", "5000mAh"),
            _phone("华为", "畅享70", 1099, 1399, "6000mAh大电池与鸿蒙系统", "麒麟710A", "6.75英寸", "6000mAh",
                   en="Enjoy 70"),
            _phone("一加", "Ace 3", 2299, 2699, "1.5K东方屏与超长续航", "第二代骁龙8", "6.78英寸", "5500mAh"),
        ),
        PHONE_FEATURES + ("千元价位就能用上{屏幕}大屏和{电池}电池，性价比很高。",),
        ("学生党、长辈和备用机用户都很合适，日常使用流畅不卡顿。",
         "预算有限又想要大电池和大屏幕，{model}是稳妥的选择。",
         "刷短视频、看网课、打王者都够用，续航让人安心。"),
        ("5G", "性价比", "千元机", "大电池", "学生手机", "长续航")),
    Sub("phones", "折叠屏手机", "Foldable Phone", ("折叠屏手机", "Foldable Phone"),
        {"存储": ("12GB+256GB", "12GB+512GB", "16GB+1TB"), "颜色": ("曜石黑", "雪域白", "青山黛")},
        (
            _phone("华为", "Mate X5", 12999, 14999, "玄武钢化昆仑玻璃与轻薄折叠机身", "麒麟9000S芯片",
                   "7.85英寸", "5060mAh"),
            _phone("华为", "Pocket 2", 7499, 8499, "小巧精致的竖向折叠设计", "麒麟9000S芯片", "6.94英寸",
                   "4520mAh"),
            _phone("三星", "Galaxy Z Fold5", 11999, 13999, "无缝隙闭合的水滴铰链", "第二代骁龙8", "7.6英寸",
                   "4400mAh"),
            _phone("三星", "Galaxy Z Flip5", 6999, 7999, "3.4英寸大外屏", "第二代骁龙8", "6.7英寸", "3700mAh"),
            _phone("小米", "MIX Fold 3", 8999, 9999, "徕卡四摄与龙骨转轴", "第二代骁龙8", "8.03英寸", "4800mAh"),
            _phone("vivo", "X Fold3", 6999, 7999, "轻至219克的大折叠机身", "第二代骁龙8", "8.03英寸", "5500mAh"),
            _phone("荣耀", "Magic V2", 7999, 8999, "9.9毫米超薄折叠机身", "第二代骁龙8", "7.92英寸", "5000mAh"),
            _phone("OPPO", "Find N3", 9999, 10999, "哈苏大师影像与超光影长焦", "第二代骁龙8", "7.82英寸",
                   "4805mAh"),
        ),
        PHONE_FEATURES + ("展开就是{屏幕}小平板，分屏办公、看视频都更沉浸。",
                          "铰链经过数十万次折叠测试，折痕几乎不可见。"),
        ("商务人士随时展开处理文档，出差带一台就够了。",
         "喜欢新鲜科技的用户不容错过，出门在外回头率很高。"),
        ("折叠屏", "大屏", "商务", "旗舰", "5G"), mult=STORAGE_MULT, per_line=3),
]

# --- laptops ---------------------------------------------------------------------------------------------
INTRO["laptops"] = (
    "{head}{kw}焕新上市，这次升级的重点是{hl}。",
    "挑笔记本最看重的性能、屏幕和续航，{head}都交出了不错的答卷，尤其是{hl}。",
)
CLOSING["laptops"] = (
    "整机保修两年，支持上门取送修服务。",
    "预装正版系统与办公软件，开箱即用。",
)
LAPTOP_FEATURES = (
    "搭载{处理器}处理器，配备{内存}内存与{硬盘}固态硬盘，多任务切换毫不卡顿。",
    "{屏幕}高色准屏幕，看剧修图都赏心悦目。",
    "{颜色}金属机身做工扎实，塞进双肩包毫无负担。",
    "接口配置齐全，外接显示器、U盘和投影都很方便。",
)


def _laptop(brand: str, model: str, lo: float, hi: float, hl: str, cpu: str, screen: str, en: str = "",
            opts: dict[str, tuple[str, ...]] | None = None) -> Line:
    """A laptop line."""
    return Line(brand, model, lo, hi, en=en, hl=hl, attrs={"处理器": cpu, "屏幕": screen}, opts=opts)


MAC_OPTS = {"内存": ("8GB", "16GB", "24GB"), "硬盘": ("256GB", "512GB"), "颜色": ("深空灰", "银色", "星光色")}
LAPTOP_MULT = {"32GB": 1.2, "24GB": 1.25, "16GB": 1.08, "1TB": 1.1, "512GB": 1.05}
SUBS += [
    Sub("laptops", "轻薄本", "Thin & Light Laptop", ("轻薄笔记本电脑", "Thin and Light Laptop"),
        {"内存": ("16GB", "32GB"), "硬盘": ("512GB", "1TB"), "颜色": ("银色", "深空灰")},
        (
            _laptop("Apple", "MacBook Air 13", 6999, 7999, "M2芯片与无风扇静音设计", "Apple M2", "13.6英寸",
                    opts=MAC_OPTS),
            _laptop("Apple", "MacBook Air 15", 8999, 9999, "M3芯片与15英寸大屏", "Apple M3", "15.3英寸",
                    opts=MAC_OPTS),
            _laptop("联想", "小新Pro 14", 4999, 5999, "2.8K 120Hz高刷屏", "i5-13500H", "14英寸",
                    en="Xiaoxin Pro 14"),
            _laptop("联想", "ThinkBook 14+", 5499, 6499, "独显级性能与丰富接口", "i7-13700H", "14英寸"),
            _laptop("华为", "MateBook 14", 5299, 6299, "多屏协同与3:2护眼触控屏", "Ultra 5 125H", "14.2英寸"),
            _laptop("华为", "MateBook X Pro", 10999, 12999, "980克超轻机身", "Ultra 7 155H", "14.2英寸"),
            _laptop("小米", "Redmi Book 14", 3499, 4299, "2.8K屏与高性价比", "i5-12500H", "14英寸"),
            _laptop("戴尔", "XPS 13", 8999, 10999, "无边框InfinityEdge屏幕", "Ultra 7 155H", "13.4英寸"),
            _laptop("戴尔", "灵越14", 4299, 4999, "轻薄机身与长续航", "i5-1340P", "14英寸", en="Inspiron 14"),
            _laptop("华硕", "灵耀14", 5999, 6999, "2.8K OLED屏", "Ultra 5 125H", "14英寸", en="Zenbook 14"),
            _laptop("荣耀", "MagicBook 14", 4499, 5299, "5G智慧互联与长续航", "i5-13500H", "14英寸"),
            _laptop("惠普", "星Book Pro 14", 4999, 5899, "2.8K 120Hz OLED屏", "i5-13500H", "14英寸",
                    en="Envy x360 14"),
        ),
        LAPTOP_FEATURES + ("机身轻薄，单手就能拿起，续航可以撑过一整天的课程或会议。",),
        ("大学生上课做作业、职场人出差办公都很合适。",
         "咖啡馆、图书馆、高铁上随时打开就能干活。",
         "日常办公、网课和轻度修图完全够用，是省心的全能本。"),
        ("轻薄", "办公", "学生", "长续航", "高色域"),
        title=("{head} {屏幕} {kw} {处理器} {内存}+{硬盘} {颜色}", "{head} {屏幕} {kw} {处理器} {内存}+{硬盘} {颜色}"),
        mult=LAPTOP_MULT),
    Sub("laptops", "游戏本", "Gaming Laptop", ("电竞游戏本", "Gaming Laptop"),
        {"内存": ("16GB", "32GB"), "硬盘": ("512GB", "1TB"), "显卡": ("RTX 4060", "RTX 4070")},
        (
            _laptop("联想", "拯救者Y7000P", 6999, 7999, "满血显卡与霜刃散热", "i7-13650HX", "16英寸",
                    en="Legion Y7000P"),
            _laptop("联想", "拯救者R9000P", 8499, 9999, "2.5K 240Hz电竞屏", "R9 7945HX", "16英寸",
                    en="Legion R9000P"),
            _laptop("华硕", "天选5", 6999, 7999, "高刷电竞屏与个性外观", "i7-13650HX", "16英寸",
                    en="TUF Gaming A16"),
            _laptop("华硕", "ROG 魔霸7 Plus", 11999, 13999, "液金导热与旗舰级散热", "R9 7945HX", "17.3英寸",
                    en="ROG Strix G17"),
            _laptop("惠普", "暗影精灵10", 7499, 8499, "全新狂暴散热", "i7-14650HX", "16.1英寸",
                    en="OMEN 16"),
            _laptop("戴尔", "游匣 G16", 7999, 8999, "游戏模式一键超频", "i7-13650HX", "16英寸",
                    en="G16 Gaming"),
            _laptop("机械革命", "极光Pro", 5999, 6999, "高性价比电竞配置", "i7-12650H", "16英寸",
                    en="Aurora Pro"),
        ),
        ("搭载{处理器}处理器和{显卡}独立显卡，3A大作高画质也能流畅运行。",
         "{屏幕}电竞屏高刷新率，画面跟手不拖影。",
         "配备{内存}内存与{硬盘}固态硬盘，游戏安装和加载都很快。",
         "多风扇多热管散热，长时间满载也能保持性能稳定。",
         "RGB背光键盘手感扎实，键程适中，打游戏敲代码都舒服。"),
        ("游戏玩家、3D建模和视频剪辑用户的高性价比之选。",
         "开黑吃鸡、直播剪辑一台搞定，学生党也能轻松拥有。"),
        ("游戏本", "高性能", "独显", "电竞", "高刷屏"),
        title=("{head} {屏幕} {kw} {处理器} {显卡} {内存}+{硬盘}", "{head} {屏幕} {kw} {处理器} {显卡} {内存}+{硬盘}"),
        mult=LAPTOP_MULT | {"RTX 4070": 1.15}),
    Sub("laptops", "商务本", "Business Laptop", ("商务办公笔记本", "Business Laptop"),
        {"内存": ("16GB", "32GB"), "硬盘": ("512GB", "1TB")},
        (
            _laptop("联想", "ThinkPad X1 Carbon", 9999, 12999, "碳纤维机身与经典小红点", "Ultra 7 155U",
                    "14英寸"),
            _laptop("联想", "ThinkPad T14", 6499, 7999, "军规级可靠性", "i7-1360P", "14英寸"),
            _laptop("联想", "昭阳 K4e", 3999, 4699, "企业级数据安全", "i5-1340P", "14英寸", en="Zhaoyang K4e"),
            _laptop("戴尔", "Latitude 5440", 5999, 6999, "企业级安全管理", "i5-1345U", "14英寸"),
            _laptop("惠普", "战66 六代", 4299, 4999, "全尺寸键盘与丰富接口", "i5-1340P", "14英寸",
                    en="ProBook 440 G10"),
            _laptop("华为", "MateBook D 16", 4599, 5299, "16英寸大屏与多屏协同", "i5-13420H", "16英寸"),
        ),
        LAPTOP_FEATURES + ("内置指纹识别与TPM安全芯片，企业数据更安心。",),
        ("适合企业采购和经常出差的商务人士，耐用又低调。",
         "财务、行政、程序员日常办公都能轻松胜任。"),
        ("商务", "办公", "企业采购", "稳定耐用"),
        title=("{head} {屏幕} {kw} {处理器} {内存}+{硬盘}", "{head} {屏幕} {kw} {处理器} {内存}+{硬盘}"),
        mult=LAPTOP_MULT, per_line=4),
]

# --- tablets ---------------------------------------------------------------------------------------------
INTRO["tablets"] = (
    "{head}{kw}热卖中，{hl}是很多用户下单的理由。",
    "学习、娱乐、轻办公三不误，{head}凭借{hl}成为同价位的热门之选。",
)
CLOSING["tablets"] = ("整机保修一年，屏幕意外碎屏可享保障服务。", "支持教育优惠，学生认证后下单更划算。")
SUBS += [
    Sub("tablets", "平板电脑", "Tablet", ("平板电脑", "Tablet"),
        {"存储": ("128GB", "256GB", "512GB"), "网络": ("WLAN版", "5G版"), "颜色": ("深空灰", "银色", "蓝色")},
        (
            Line("Apple", "iPad 第十代", 2999, 3399, "iPad 10th Gen", "全面屏设计与A14仿生芯片",
                 {"屏幕": "10.9英寸", "芯片": "A14仿生芯片"}),
            Line("Apple", "iPad Air 6", 4599, 5299, "", "M2芯片与横向前置摄像头", {"屏幕": "11英寸", "芯片": "Apple M2"}),
            Line("Apple", "iPad Pro 11", 7999, 9499, "", "M4芯片与串联OLED屏", {"屏幕": "11英寸", "芯片": "Apple M4"}),
            Line("Apple", "iPad mini 6", 3499, 3999, "", "小巧便携的8.3英寸机身", {"屏幕": "8.3英寸", "芯片": "A15仿生芯片"}),
            Line("华为", "MatePad 11.5", 1999, 2399, "", "护眼全面屏与多屏协同", {"屏幕": "11.5英寸", "芯片": "骁龙7 Gen 1"}),
            Line("华为", "MatePad Pro 13.2", 5199, 5999, "", "柔性OLED大屏与星闪手写笔", {"屏幕": "13.2英寸", "芯片": "麒麟9000S"}),
            Line("小米", "小米平板6", 1799, 2199, "Xiaomi Pad 6", "2.8K 144Hz高刷护眼屏", {"屏幕": "11英寸", "芯片": "骁龙870"}),
            Line("小米", "小米平板6S Pro", 3299, 3799, "Xiaomi Pad 6S Pro", "12.4英寸3K大屏与120W快充",
                 {"屏幕": "12.4英寸", "芯片": "第二代骁龙8"}),
            Line("小米", "Redmi Pad SE", 999, 1299, "", "千元价位的11英寸大屏", {"屏幕": "11英寸", "芯片": "骁龙680"}),
            Line("荣耀", "平板9", 1499, 1799, "Pad 9", "12.1英寸2.5K护眼屏", {"屏幕": "12.1英寸", "芯片": "骁龙6 Gen 1"}),
            Line("联想", "小新Pad Pro 12.7", 1799, 2199, "Xiaoxin Pad Pro 12.7", "2.9K 144Hz超大屏",
                 {"屏幕": "12.7英寸", "芯片": "骁龙870"}),
            Line("三星", "Galaxy Tab S9", 5499, 6499, "", "IP68防水与动态AMOLED屏", {"屏幕": "11英寸", "芯片": "第二代骁龙8"}),
        ),
        ("{屏幕}高清屏幕色彩鲜活，追剧、看网课都很舒服。",
         "搭载{芯片}，多开应用、分屏学习依旧流畅。",
         "本款为{存储}{网络}，{颜色}机身轻薄耐看。",
         "支持手写笔和键盘配件，记笔记、画画、处理文档都得心应手。"),
        ("学生上网课、职场人轻办公、家人追剧都很适合。", "出差旅行放进背包就能带走，随时随地娱乐办公。"),
        ("平板", "学习", "网课", "追剧", "护眼屏"),
        title=("{head} {屏幕} {kw} {存储} {网络} {颜色}", "{head} {屏幕} {kw} {存储} {网络} {颜色}"),
        mult={"256GB": 1.2, "512GB": 1.5, "5G版": 1.2}),
    Sub("tablets", "电子书阅读器", "E-reader", ("墨水屏电子书阅读器", "E-ink E-reader"),
        {"存储": ("16GB", "32GB", "64GB"), "颜色": ("黑色", "白色")},
        (
            Line("Kindle", "Paperwhite 5", 999, 1299, "", "6.8英寸护眼墨水屏与可调色温", {"屏幕": "6.8英寸"}),
            Line("掌阅", "iReader Ocean 3", 1299, 1599, "", "7英寸墨水屏与实体翻页键", {"屏幕": "7英寸"}),
            Line("掌阅", "iReader Smart 5", 2299, 2699, "", "10.3英寸手写墨水屏", {"屏幕": "10.3英寸"}),
            Line("汉王", "Clear 7", 1699, 1999, "", "彩色墨水屏", {"屏幕": "7.8英寸"}),
            Line("文石", "BOOX Leaf3", 1499, 1799, "", "开放安卓系统与多格式支持", {"屏幕": "7英寸"}),
            Line("文石", "BOOX Note Air3", 2699, 3099, "", "10.3英寸电磁笔手写", {"屏幕": "10.3英寸"}),
        ),
        ("{屏幕}电子墨水屏无蓝光、不闪烁，长时间阅读眼睛也不累。",
         "{存储}存储空间可以装下上万本电子书。",
         "一次充电可续航数周，出差旅行不用带充电器。",
         "支持PDF、EPUB等多种格式，文献资料也能轻松阅读。"),
        ("爱读书的朋友、备考的学生都能用它安静地读上一整天。", "睡前在床上阅读不刺眼，是替代纸质书的好选择。"),
        ("墨水屏", "护眼", "阅读", "电纸书"),
        title=("{head} {屏幕} {kw} {存储} {颜色}", "{head} {屏幕} {kw} {存储} {颜色}"), mult={"32GB": 1.15, "64GB": 1.3}),
    Sub("tablets", "学习机", "Learning Tablet", ("AI学习机", "AI Learning Tablet"),
        {"存储": ("6GB+128GB", "8GB+256GB"), "学段": ("小学", "初中", "高中")},
        (
            Line("科大讯飞", "学习机 T20", 5999, 6999, "Learning Tablet T20", "AI精准学与个性化错题本", {"屏幕": "14.7英寸"}),
            Line("科大讯飞", "学习机 LUMIE 10", 3999, 4699, "Learning Tablet LUMIE 10", "类纸护眼屏", {"屏幕": "11英寸"}),
            Line("步步高", "学习机 S6", 4299, 4999, "Learning Tablet S6", "名师同步课与家长管控", {"屏幕": "12.35英寸"}),
            Line("作业帮", "学习机 X30", 4999, 5799, "Learning Tablet X30", "拍照搜题与AI批改", {"屏幕": "13.3英寸"}),
            Line("小度", "学习机 Z20", 3999, 4599, "Learning Tablet Z20", "双屏设计与AI精准提分", {"屏幕": "12英寸"}),
        ),
        ("覆盖{学段}全科同步课程，教材版本与学校一致。",
         "{屏幕}护眼屏通过低蓝光认证，孩子长时间学习更放心。",
         "家长可远程管控应用与使用时长，杜绝游戏和娱乐干扰。",
         "AI诊断薄弱知识点，自动生成专属练习，学习更有针对性。"),
        ("孩子自主预习、复习和写作业的好帮手。", "家长工作忙也能随时掌握孩子的学习进度。"),
        ("学习机", "护眼", "家长管控", "同步课程"),
        title=("{head} {kw} {学段}版 {存储}", "{head} {kw} {学段} {存储}"), mult={"8GB+256GB": 1.15}),
]

# --- earphones -------------------------------------------------------------------------------------------
INTRO["earphones"] = (
    "{head}{kw}，{hl}，戴上就能沉浸在自己的音乐世界里。",
    "好耳机能改变通勤的心情，{head}的{hl}值得一试。",
)
CLOSING["earphones"] = ("入耳类产品拆封后如无质量问题不支持退换，敬请谅解。", "整机保修一年，提供原装充电线与多尺寸耳塞套。")
SUBS += [
    Sub("earphones", "真无线耳机", "True Wireless Earbuds", ("主动降噪真无线蓝牙耳机", "ANC True Wireless Earbuds"),
        {"颜色": ("白色", "黑色", "蓝色")},
        (
            Line("Apple", "AirPods Pro 2", 1599, 1899, "AirPods Pro (2nd generation)", "自适应音频与两倍主动降噪",
                 {"降噪": "主动降噪", "续航": "30小时"}, {"颜色": ("白色",), "接口": ("USB-C", "MagSafe")}),
            Line("Apple", "AirPods 4", 999, 1399, "", "开放式设计与个性化空间音频",
                 {"降噪": "主动降噪", "续航": "30小时"}, {"颜色": ("白色",), "版本": ("标准版", "主动降噪版")}),
            Line("Apple", "AirPods 第三代", 1099, 1299, "AirPods (3rd generation)", "空间音频与抗汗抗水",
                 {"降噪": "通话降噪", "续航": "30小时"}, {"颜色": ("白色",), "接口": ("闪电", "MagSafe")}),
            Line("华为", "FreeBuds Pro 3", 1199, 1499, "", "星闪连接与智慧动态降噪", {"降噪": "主动降噪", "续航": "31小时"}),
            Line("华为", "FreeBuds 5i", 449, 599, "", "多模式主动降噪与Hi-Res认证", {"降噪": "主动降噪", "续航": "28小时"}),
            Line("小米", "Buds 4 Pro", 899, 1099, "", "48dB深度降噪与LHDC高清音质", {"降噪": "主动降噪", "续航": "38小时"}),
            Line("小米", "Redmi Buds 5", 149, 199, "", "46dB深度降噪与40小时续航", {"降噪": "主动降噪", "续航": "40小时"}),
            Line("索尼", "WF-1000XM5", 1599, 1999, "", "集成处理器V2与旗舰级降噪", {"降噪": "主动降噪", "续航": "24小时"}),
            Line("Bose", "QC消噪耳塞 Ultra", 1899, 2299, "QuietComfort Ultra Earbuds", "沉浸音频与CustomTune调校",
                 {"降噪": "主动降噪", "续航": "24小时"}),
            Line("漫步者", "Lolli Pro 3", 599, 799, "", "自适应降噪与LDAC高清传输", {"降噪": "主动降噪", "续航": "36小时"}),
            Line("漫步者", "NeoBuds Pro 2", 799, 999, "", "双单元同轴声学与Hi-Res认证", {"降噪": "主动降噪", "续航": "24小时"}),
            Line("漫步者", "X2s", 99, 149, "", "百元价位的舒适佩戴", {"降噪": "通话降噪", "续航": "26小时"}),
            Line("OPPO", "Enco X2", 899, 1199, "", "丹拿联合调音", {"降噪": "主动降噪", "续航": "40小时"}),
            Line("vivo", "TWS 4", 399, 499, "", "Hi-Fi级音质与55dB降噪", {"降噪": "主动降噪", "续航": "45小时"}),
            Line("三星", "Galaxy Buds2 Pro", 999, 1299, "", "24bit高保真音频", {"降噪": "主动降噪", "续航": "29小时"}),
            Line("Beats", "Studio Buds +", 999, 1299, "", "透明外观与跨平台连接", {"降噪": "主动降噪", "续航": "36小时"}),
        ),
        ("支持{降噪}，地铁、飞机上的嘈杂声瞬间安静下来。",
         "配合充电盒总续航可达{续航}，一周一充毫无压力。",
         "{颜色}耳机小巧轻盈，长时间佩戴耳朵也不胀痛。",
         "通话时多麦克风精准拾音，户外大风环境也能听清对方。",
         "开盖即连，手机弹窗一键配对，切换设备很方便。"),
        ("通勤路上听歌、追剧、打电话都很合适，运动时也不易掉落。", "办公室戴上它专注工作，把嘈杂隔绝在外。"),
        ("降噪", "蓝牙耳机", "无线耳机", "长续航", "入耳式"), per_line=2),
    Sub("earphones", "头戴式耳机", "Over-ear Headphones", ("头戴式降噪耳机", "Over-ear Noise Cancelling Headphones"),
        {"颜色": ("黑色", "银色", "午夜蓝")},
        (
            Line("索尼", "WH-1000XM5", 2299, 2699, "", "双芯驱动的业界领先降噪", {"降噪": "主动降噪", "续航": "30小时"}),
            Line("索尼", "WH-1000XM4", 1699, 1999, "", "经典降噪与佩戴检测", {"降噪": "主动降噪", "续航": "30小时"}),
            Line("Bose", "QC消噪耳机 Ultra", 2799, 3299, "QuietComfort Ultra Headphones", "沉浸式空间音频",
                 {"降噪": "主动降噪", "续航": "24小时"}),
            Line("Apple", "AirPods Max", 3999, 4399, "", "高保真音频与计算音频", {"降噪": "主动降噪", "续航": "20小时"},
                 {"颜色": ("深空灰色", "银色", "天蓝色", "粉色")}),
            Line("漫步者", "W820NB", 299, 399, "", "双金标认证与超长续航", {"降噪": "主动降噪", "续航": "49小时"}),
            Line("森海塞尔", "MOMENTUM 4", 2299, 2699, "", "60小时超长续航与发烧级音质", {"降噪": "主动降噪", "续航": "60小时"}),
            Line("铁三角", "ATH-M50x", 999, 1299, "", "录音室级监听音质", {"降噪": "被动隔音", "续航": "有线"}),
            Line("Beats", "Studio Pro", 2099, 2599, "", "个性化空间音频与无损音频", {"降噪": "主动降噪", "续航": "40小时"}),
        ),
        ("大尺寸耳罩包裹感好，{降噪}效果出色，戴上世界瞬间安静。",
         "续航{续航}，长途飞行全程都不用担心没电。",
         "{颜色}外观简约高级，头梁可折叠收纳，出行方便。",
         "大口径动圈单元低频下潜深，人声清晰细腻。"),
        ("长途出差、自习室学习、居家办公都能安心专注。", "音乐发烧友和影音爱好者值得拥有的一副好耳机。"),
        ("头戴式", "降噪", "HiFi", "长续航", "包耳")),
    Sub("earphones", "运动耳机", "Sports Earphones", ("开放式运动蓝牙耳机", "Open-ear Sports Headphones"),
        {"颜色": ("黑色", "灰色", "蓝色", "粉色")},
        (
            Line("韶音", "OpenRun Pro 2", 1299, 1499, "", "骨气导双单元与双耳开放设计", {"佩戴": "骨传导", "续航": "12小时"}),
            Line("韶音", "OpenFit", 1199, 1399, "", "开放式耳挂与舒适佩戴", {"佩戴": "耳挂式", "续航": "28小时"}),
            Line("韶音", "OpenMove", 599, 699, "", "入门级骨传导与IP55防水", {"佩戴": "骨传导", "续航": "6小时"}),
            Line("南卡", "Runner Pro 4", 599, 799, "", "IPX8级游泳防水", {"佩戴": "骨传导", "续航": "10小时"}),
            Line("华为", "FreeClip", 1199, 1299, "", "耳夹式设计与不入耳佩戴", {"佩戴": "耳夹式", "续航": "36小时"}),
            Line("漫步者", "Comfo Run", 299, 399, "", "开放式设计与轻盈佩戴", {"佩戴": "耳挂式", "续航": "35小时"}),
            Line("Beats", "Powerbeats Pro", 1499, 1799, "", "耳挂式设计与IPX4防汗", {"佩戴": "耳挂式", "续航": "24小时"}),
        ),
        ("{佩戴}设计不堵耳朵，跑步时能听见周围的车流和人声，更安全。",
         "续航{续航}，夜跑、骑行、健身全程不断电。",
         "防汗防水，大汗淋漓后冲洗一下也没关系。",
         "{颜色}机身轻至二三十克，运动时几乎感觉不到它的存在。"),
        ("跑步、骑行、健身房撸铁的好搭档。", "马拉松爱好者和户外运动达人都很推荐。"),
        ("运动", "跑步", "骨传导", "防水", "不入耳")),
]
EN.update({"WLAN版": "WLAN", "5G版": "5G", "小学": "Primary School", "初中": "Middle School", "高中": "High School",
           "标准版": "Standard", "主动降噪版": "ANC", "闪电": "Lightning"})

# --- smartwatches ----------------------------------------------------------------------------------------
INTRO["smartwatches"] = (
    "{head}{kw}上新，{hl}让健康管理更简单。",
    "戴在手腕上的健康助手：{head}，{hl}。",
)
CLOSING["smartwatches"] = ("整机保修一年，表带支持单独购买更换。", "支持iOS与安卓双平台，下载官方App即可绑定。")
WATCH_FEATURES = (
    "{表盘}高清屏幕，阳光下也能看清消息和运动数据。",
    "支持心率、血氧、睡眠全天候监测，异常时及时提醒。",
    "典型使用续航{续航}，出差一周不用带充电器。",
    "内置上百种运动模式，跑步、游泳、骑行数据一目了然。",
    "{颜色}{表带}搭配精致表壳，上班运动都百搭。",
)
SUBS += [
    Sub("smartwatches", "智能手表", "Smartwatch", ("智能手表", "Smartwatch"),
        {"颜色": ("黑色", "银色", "金色"), "表带": ("运动表带", "皮革表带", "金属表带")},
        (
            Line("Apple", "Watch Series 9", 2999, 3499, "", "双指互点手势与更亮的显示屏", {"表盘": "45毫米", "续航": "18小时"},
                 {"颜色": ("午夜色", "星光色", "粉色"), "尺寸": ("41毫米", "45毫米")}),
            Line("Apple", "Watch Ultra 2", 6299, 6499, "", "钛金属表壳与双频精准GPS", {"表盘": "49毫米", "续航": "36小时"},
                 {"表带": ("高山回环式表带", "野径回环式表带", "海洋表带")}),
            Line("Apple", "Watch SE", 1999, 2299, "", "入门价位的核心健康功能", {"表盘": "44毫米", "续航": "18小时"},
                 {"颜色": ("午夜色", "星光色", "银色"), "尺寸": ("40毫米", "44毫米")}),
            Line("华为", "WATCH GT 4", 1488, 1788, "", "八角几何美学与科学运动", {"表盘": "1.43英寸", "续航": "14天"}),
            Line("华为", "WATCH 4 Pro", 2999, 3599, "", "一键微体检与eSIM独立通话", {"表盘": "1.5英寸", "续航": "4.5天"}),
            Line("小米", "Watch S3", 799, 999, "", "可替换表圈与澎湃OS", {"表盘": "1.43英寸", "续航": "15天"}),
            Line("三星", "Galaxy Watch6", 1699, 2199, "", "身体成分分析", {"表盘": "1.5英寸", "续航": "40小时"}),
            Line("OPPO", "Watch 4 Pro", 2299, 2699, "", "eSIM独立通信与长续航", {"表盘": "1.91英寸", "续航": "5天"}),
            Line("华米", "Amazfit GTR 4", 999, 1299, "", "双频五星定位", {"表盘": "1.45英寸", "续航": "14天"}),
        ),
        WATCH_FEATURES, ("上班族、健身爱好者都能用它管理作息与运动。", "送给父母可以随时关注他们的心率和睡眠。"),
        ("智能手表", "心率监测", "血氧", "运动", "长续航"),
        mult={"45毫米": 1.1, "44毫米": 1.1, "金属表带": 1.15, "皮革表带": 1.08}),
    Sub("smartwatches", "运动手表", "Sports Watch", ("GPS专业运动手表", "GPS Sports Watch"),
        {"颜色": ("黑色", "白色", "蓝色")},
        (
            Line("佳明", "Forerunner 265", 2980, 3380, "", "AMOLED屏与跑步动态数据", {"表盘": "1.3英寸", "续航": "13天"}),
            Line("佳明", "Forerunner 965", 4380, 4880, "", "全彩地图与训练准备度", {"表盘": "1.4英寸", "续航": "23天"}),
            Line("佳明", "fenix 7", 4980, 5980, "", "太阳能充电与户外导航", {"表盘": "1.3英寸", "续航": "18天"}),
            Line("高驰", "PACE 3", 1399, 1599, "", "轻至30克的超轻机身", {"表盘": "1.2英寸", "续航": "24天"}),
            Line("高驰", "APEX 2 Pro", 3199, 3599, "", "蓝宝石镜面与钛合金表圈", {"表盘": "1.3英寸", "续航": "30天"}),
            Line("华为", "WATCH GT Runner", 1999, 2399, "", "专业跑步训练计划", {"表盘": "1.43英寸", "续航": "14天"}),
        ),
        WATCH_FEATURES[:4] + ("支持双频GPS定位，城市高楼间跑步轨迹也很精准。",),
        ("马拉松跑者、越野爱好者的训练利器。", "从5公里入门到全马破三，都能给出科学的训练建议。"),
        ("运动手表", "跑步", "GPS", "马拉松", "长续航"), per_line=3),
    Sub("smartwatches", "智能手环", "Smart Band", ("智能运动手环", "Smart Fitness Band"),
        {"颜色": ("黑色", "白色", "粉色", "绿色"), "版本": ("标准版", "NFC版")},
        (
            Line("小米", "手环8", 199, 249, "Smart Band 8", "16天长续航与百变佩戴", {"表盘": "1.62英寸", "续航": "16天"}),
            Line("小米", "手环8 Pro", 349, 399, "Smart Band 8 Pro", "1.74英寸大屏与独立GPS", {"表盘": "1.74英寸", "续航": "14天"}),
            Line("华为", "手环8", 249, 299, "Band 8", "8.99毫米超薄机身", {"表盘": "1.47英寸", "续航": "14天"}),
            Line("荣耀", "手环9", 199, 269, "Band 9", "AMOLED彩屏与NFC支付", {"表盘": "1.57英寸", "续航": "14天"}),
            Line("华米", "Amazfit Band 7", 249, 299, "", "超大屏与血氧监测", {"表盘": "1.47英寸", "续航": "18天"}),
        ),
        WATCH_FEATURES[:4] + ("{版本}支持刷公交、门禁，出门不用掏手机。",),
        ("学生党、上班族入门健康监测的高性价比之选。", "睡觉戴着也不硌手，睡眠质量一目了然。"),
        ("手环", "睡眠监测", "心率", "性价比"), mult={"NFC版": 1.15}),
    Sub("smartwatches", "儿童手表", "Kids Smartwatch", ("儿童电话手表", "Kids Phone Watch"),
        {"颜色": ("蓝色", "粉色", "黑色")},
        (
            Line("小天才", "电话手表 Z9", 1998, 2298, "Kids Watch Z9", "双摄视频通话与精准定位", {"表盘": "1.6英寸", "续航": "3天"}),
            Line("小天才", "电话手表 Q2", 598, 798, "Kids Watch Q2", "入门定位与一键呼救", {"表盘": "1.3英寸", "续航": "3天"}),
            Line("华为", "儿童手表 5 Pro", 1299, 1499, "Kids Watch 5 Pro", "九重定位与视频通话", {"表盘": "1.6英寸", "续航": "3天"}),
            Line("360", "儿童手表 10X", 799, 999, "Kids Watch 10X", "AI定位与上课禁用", {"表盘": "1.4英寸", "续航": "2天"}),
            Line("小米", "米兔儿童手表 6", 699, 899, "Mitu Kids Watch 6", "4G全网通与防水设计", {"表盘": "1.4英寸", "续航": "2天"}),
        ),
        ("多重定位实时查看孩子位置，安全区域进出自动提醒。",
         "支持高清视频通话，家长随时看到孩子在做什么。",
         "上课禁用模式保护专注力，课间才能正常使用。",
         "{颜色}表身防水防摔，孩子玩耍时也不怕磕碰。"),
        ("适合5-15岁的孩子，上学放学让家长更安心。", "孩子的第一部“手机”，联系人由家长管控。"),
        ("儿童手表", "定位", "视频通话", "防水")),
]

# --- cameras ---------------------------------------------------------------------------------------------
INTRO["cameras"] = (
    "{head}{kw}，{hl}，把每一个精彩瞬间清晰记录下来。",
    "想拍出好照片，设备很重要：{head}凭借{hl}深受摄影爱好者喜爱。",
)
CLOSING["cameras"] = ("整机保修一年，支持全国联保。", "购机赠送清洁套装，可选购高速存储卡和备用电池。")
SUBS += [
    Sub("cameras", "微单相机", "Mirrorless Camera", ("微单相机", "Mirrorless Camera"),
        {"套装": ("单机身", "标准镜头套机", "长焦镜头套机")},
        (
            Line("索尼", "A7M4", 14999, 16999, "Alpha 7 IV", "3300万像素全画幅与实时眼部对焦", {"画幅": "全画幅", "像素": "3300万"}),
            Line("索尼", "A7C2", 13999, 15499, "Alpha 7C II", "小巧全画幅机身", {"画幅": "全画幅", "像素": "3300万"}),
            Line("索尼", "ZV-E10", 4299, 5299, "", "Vlog一键背景虚化", {"画幅": "APS-C", "像素": "2420万"}),
            Line("佳能", "EOS R6 Mark II", 15499, 17999, "", "40张每秒高速连拍", {"画幅": "全画幅", "像素": "2420万"}),
            Line("佳能", "EOS R50", 4999, 5999, "", "轻巧机身与佳能色彩", {"画幅": "APS-C", "像素": "2420万"}),
            Line("佳能", "EOS R10", 6299, 7299, "", "高速连拍与智能追踪对焦", {"画幅": "APS-C", "像素": "2420万"}),
            Line("尼康", "Z6II", 10999, 12499, "", "双EXPEED 6处理器", {"画幅": "全画幅", "像素": "2450万"}),
            Line("尼康", "Z fc", 6299, 7299, "", "复古胶片机造型", {"画幅": "APS-C", "像素": "2090万"}),
            Line("富士", "X-T5", 11999, 13999, "", "4020万像素与经典胶片模拟", {"画幅": "APS-C", "像素": "4020万"}),
            Line("佳能", "EOS R8", 8999, 9999, "", "轻量全画幅与高速对焦", {"画幅": "全画幅", "像素": "2420万"}),
            Line("尼康", "Z5", 6999, 7999, "", "入门全画幅与双卡槽", {"画幅": "全画幅", "像素": "2430万"}),
            Line("索尼", "ZV-E1", 14999, 16999, "", "全画幅Vlog与AI自动构图", {"画幅": "全画幅", "像素": "1210万"}),
            Line("富士", "X-S20", 8299, 9499, "", "7档机身防抖与长续航", {"画幅": "APS-C", "像素": "2610万"}),
        ),
        ("{画幅}传感器配合{像素}有效像素，画质细腻、宽容度高。",
         "本款为{套装}，开箱即可上手拍摄。",
         "支持4K视频录制，拍Vlog和短片都能胜任。",
         "翻转触摸屏方便自拍和低角度取景。",
         "智能主体识别对焦，人像、动物、飞鸟都能稳稳跟住。"),
        ("旅行风光、人像写真、家庭记录都能拍出好片。", "从入门到进阶，陪伴你一路提升摄影水平。"),
        ("微单", "相机", "4K视频", "人像", "旅行"),
        title=("{head} {画幅}{kw} {套装}", "{head} {kw} {套装}"), mult={"标准镜头套机": 1.15, "长焦镜头套机": 1.3}),
    Sub("cameras", "运动相机", "Action Camera", ("运动相机", "Action Camera"),
        {"套装": ("标准套装", "全能套装", "骑行套装")},
        (
            Line("大疆", "Osmo Action 4", 2298, 2698, "", "1/1.3英寸大底传感器与出色夜拍", {"防水": "18米"}),
            Line("大疆", "Osmo Pocket 3", 3499, 4199, "", "一英寸传感器与三轴云台", {"防水": "不防水"}),
            Line("GoPro", "HERO12 Black", 2998, 3498, "", "HDR视频与超强防抖", {"防水": "10米"}),
            Line("影石", "Insta360 X4", 3499, 3999, "", "8K全景拍摄与隐形自拍杆", {"防水": "10米"}),
            Line("影石", "Insta360 GO 3", 2198, 2598, "", "拇指大小的可穿戴相机", {"防水": "5米"}),
        ),
        ("机身防水{防水}，潜水、冲浪、雨中骑行都能放心拍。",
         "超强电子防抖，跑步、滑雪画面依旧稳如云台。",
         "本款为{套装}，包含常用配件，开箱即可出发。",
         "手机App一键剪辑，旅行素材当天就能分享。"),
        ("滑雪、骑行、潜水、自驾游的记录神器。", "Vlog博主和户外玩家都很需要这样一台小相机。"),
        ("运动相机", "防抖", "Vlog", "户外", "防水"), mult={"全能套装": 1.2, "骑行套装": 1.12}),
    Sub("cameras", "便携相机", "Instant & Compact Camera", ("便携相机", "Compact Camera"),
        {"颜色": ("白色", "粉色", "蓝色", "黑色")},
        (
            Line("富士", "instax mini 12", 569, 699, "", "自动曝光与一键自拍", {"类型": "拍立得"}),
            Line("富士", "instax mini 90", 999, 1199, "", "复古外观与双重曝光", {"类型": "拍立得"}),
            Line("富士", "X100VI", 10999, 12999, "", "4020万像素与内置防抖", {"类型": "卡片机"}, {"颜色": ("黑色", "银色")}),
            Line("佳能", "PowerShot G7 X Mark III", 4299, 4999, "", "一英寸传感器与直播功能", {"类型": "卡片机"},
                 {"颜色": ("黑色", "银色")}),
            Line("理光", "GR IIIx", 7499, 8499, "", "40毫米等效焦距与街拍利器", {"类型": "卡片机"}, {"颜色": ("黑色", "银色")}),
        ),
        ("{颜色}机身小巧可爱，放进口袋随时拿出来拍。",
         "{类型}操作简单，老人孩子都能轻松上手。",
         "色彩风格讨喜，直出照片就很有氛围感。"),
        ("聚会、旅行、毕业季留下独一无二的纪念。", "送闺蜜、送女友的高颜值礼物。"),
        ("便携", "复古", "礼物", "旅行"), per_line=3),
    Sub("cameras", "无人机", "Drone", ("航拍无人机", "Camera Drone"),
        {"套装": ("标准版", "畅飞套装", "带屏遥控器版")},
        (
            Line("大疆", "Mini 4 Pro", 4788, 6988, "", "全向避障与249克轻巧机身", {"续航": "34分钟"}),
            Line("大疆", "Mini 3", 2899, 3599, "", "入门航拍与竖拍功能", {"续航": "38分钟"}),
            Line("大疆", "Air 3", 6988, 8988, "", "中长焦双主摄", {"续航": "46分钟"}),
            Line("大疆", "Avata 2", 4988, 6488, "", "沉浸式第一视角飞行", {"续航": "23分钟"}),
        ),
        ("单块电池续航{续航}，一次起飞就能拍够素材。",
         "本款为{套装}，适合不同预算的飞手。",
         "智能跟随与一键短片，新手也能拍出大片感。"),
        ("自驾旅行、户外露营时从空中记录壮阔风景。", "航拍爱好者和短视频创作者的必备装备。"),
        ("无人机", "航拍", "4K", "避障"), mult={"畅飞套装": 1.3, "带屏遥控器版": 1.15}),
]

# --- tvs -------------------------------------------------------------------------------------------------
INTRO["tvs"] = (
    "{head}{kw}，{hl}，客厅观影体验直接升级。",
    "换大电视就看{head}：{hl}，画质和音效都很能打。",
)
CLOSING["tvs"] = ("免费送货入户并提供挂架安装服务。", "整机保修三年，主要部件享受更长保修。")
SUBS += [
    Sub("tvs", "智能电视", "Smart TV", ("4K超高清智能电视", "4K UHD Smart TV"),
        {"尺寸": ("55英寸", "65英寸", "75英寸", "85英寸")},
        (
            Line("小米", "小米电视 S Pro", 3999, 4999, "Xiaomi TV S Pro", "Mini LED背光与144Hz高刷", {"面板": "Mini LED"}),
            Line("小米", "Redmi 智能电视 A65", 1999, 2399, "Redmi Smart TV A65", "超高性价比的大屏", {"面板": "LCD"}),
            Line("小米", "Redmi 智能电视 X65", 2699, 3199, "Redmi Smart TV X65", "120Hz高刷与远场语音", {"面板": "LCD"}),
            Line("海信", "E8K", 4999, 5999, "", "ULED X Mini LED与1000+分区控光", {"面板": "Mini LED"}),
            Line("海信", "E5K", 2999, 3499, "", "144Hz高刷与护眼屏", {"面板": "LCD"}),
            Line("TCL", "Q10K", 5999, 6999, "", "2304分区Mini LED", {"面板": "Mini LED"}),
            Line("TCL", "T7K", 3299, 3999, "", "QD-Mini LED量子点屏", {"面板": "QD-Mini LED"}),
            Line("TCL", "雷鸟 鹤6", 2999, 3599, "FFALCON Crane 6", "Mini LED与低价高刷", {"面板": "Mini LED"}),
            Line("创维", "A5F", 2499, 2999, "", "护眼电视与远场语音", {"面板": "LCD"}),
            Line("索尼", "X90L", 6999, 7999, "", "XR认知芯片与全阵列背光", {"面板": "LCD"}),
            Line("三星", "QN90C", 9999, 11999, "", "Neo QLED量子点", {"面板": "Neo QLED"}),
            Line("华为", "智慧屏 V5", 7999, 9999, "Vision V5", "鸿蒙系统与AI摄像头", {"面板": "Mini LED"}),
            Line("海信", "U8", 6999, 8499, "", "ULED X旗舰画质与2000+分区", {"面板": "Mini LED"}),
            Line("创维", "A7E", 3999, 4999, "", "Mini LED与高刷游戏屏", {"面板": "Mini LED"}),
            Line("LG", "OLED C3", 8999, 10999, "", "自发光OLED与完美黑色", {"面板": "OLED"}),
        ),
        ("{尺寸}{面板}大屏，4K画面细节丰富，暗场表现出色。",
         "支持HDR与杜比视界，看电影就像在影院一样。",
         "游戏模式低延迟，接上主机玩3A大作也很流畅。",
         "远场语音操控，说一句话就能找片、调音量。",
         "开机无广告，界面简洁，老人孩子都会用。"),
        ("{尺寸}适合客厅观看，一家人追剧看球赛更有氛围。", "新房装修、换大屏的家庭值得考虑。"),
        ("4K", "智能电视", "大屏", "高刷", "护眼"),
        title=("{head} {尺寸} {kw}", "{head} {尺寸} {kw}"), mult={"65英寸": 1.35, "75英寸": 1.9, "85英寸": 2.7}),
    Sub("tvs", "投影仪", "Projector", ("家用智能投影仪", "Smart Home Projector"),
        {"版本": ("标准版", "云台版")},
        (
            Line("极米", "H6", 4999, 5999, "", "4K超高清与自动对焦", {"亮度": "1800CCB"}),
            Line("极米", "Z7X", 2499, 2999, "", "小巧机身与智能避障", {"亮度": "800CCB"}),
            Line("当贝", "D6X", 2999, 3499, "", "激光光源与高亮度", {"亮度": "1200CVIA"}),
            Line("当贝", "X5 Ultra", 6999, 7999, "", "4K激光与杜比视界", {"亮度": "3200CVIA"}),
            Line("坚果", "N1S", 3999, 4499, "", "纯三色激光与云台设计", {"亮度": "1200CVIA"}),
            Line("小米", "米家投影仪 青春版3", 1299, 1599, "Mijia Projector Youth 3", "千元价位的高清投影", {"亮度": "450CVIA"}),
        ),
        ("亮度{亮度}，白天拉上窗帘就能看，晚上画面更通透。",
         "自动对焦、自动梯形校正，放在哪都能快速摆正画面。",
         "本款为{版本}，卧室投天花板躺着看剧也方便。",
         "内置音箱音效饱满，日常观影无需外接音响。"),
        ("卧室观影、出租屋、露营都能轻松搭建百寸大屏。", "不想在客厅放大电视的家庭，投影仪是很好的替代。"),
        ("投影仪", "家庭影院", "百寸大屏", "自动对焦"),
        title=("{head} {kw} {版本}", "{head} {kw} {版本}"), mult={"云台版": 1.12}, per_line=2),
]
EN.update({"单机身": "Body Only", "标准镜头套机": "Standard Lens Kit", "长焦镜头套机": "Telephoto Lens Kit",
           "标准套装": "Standard Kit", "全能套装": "All-in-one Kit", "骑行套装": "Cycling Kit",
           "畅飞套装": "Fly More Combo", "带屏遥控器版": "with Screen Remote", "云台版": "Gimbal Edition",
           "运动表带": "Sport Band", "皮革表带": "Leather Band", "金属表带": "Metal Band", "NFC版": "NFC",
           "高山回环式表带": "Alpine Loop", "野径回环式表带": "Trail Loop", "海洋表带": "Ocean Band"})

# --- home_appliances -------------------------------------------------------------------------------------
INTRO["home_appliances"] = (
    "{head}{kw}，{hl}，让家务轻松不少。",
    "家电选得好，生活少烦恼：{head}的{hl}是它最受好评的地方。",
)
CLOSING["home_appliances"] = ("免费送货入户，专业师傅上门安装调试。", "整机保修三年，核心部件保修十年。",
                              "支持以旧换新，旧机免费上门拆除回收。")
SUBS += [
    Sub("home_appliances", "洗衣机", "Washing Machine", ("全自动滚筒洗衣机", "Front-load Washing Machine"),
        {"容量": ("10公斤", "12公斤"), "功能": ("洗烘一体", "纯洗")},
        (
            Line("海尔", "EG100MATE28S", 2299, 2799, "", "精华洗与智能投放", {"能效": "一级能效"}),
            Line("美的", "MD100V58WT", 1999, 2499, "", "除菌螨与低噪变频", {"能效": "一级能效"}),
            Line("小天鹅", "本色 TD100", 2999, 3599, "Bense TD100", "超微净泡与护色洗", {"能效": "一级能效"}),
            Line("西门子", "iQ300 WN54A", 4999, 5999, "", "洗烘一体与智能除渍", {"能效": "一级能效"}),
            Line("小米", "米家滚筒洗衣机 Pro", 1999, 2499, "Mijia Front-load Washer Pro", "智能互联与高温除菌", {"能效": "一级能效"}),
        ),
        ("{容量}大容量，一家人的床单被罩一次洗完。",
         "{功能}设计，阴雨天衣物也能快速干爽。",
         "直驱变频电机运行安静，夜间洗衣不打扰家人休息。",
         "{能效}，长期使用省水省电。"),
        ("三口之家及以上的家庭很实用，节省晾晒空间。", "有宝宝和宠物的家庭可以放心洗护。"),
        ("洗衣机", "大容量", "变频", "除菌", "一级能效"),
        title=("{head} {容量}{kw} {功能}", "{head} {容量} {kw} {功能}"), mult={"12公斤": 1.15, "洗烘一体": 1.3},
        per_line=4),
    Sub("home_appliances", "冰箱", "Refrigerator", ("风冷无霜冰箱", "Frost-free Refrigerator"),
        {"容量": ("400升", "500升", "600升"), "门型": ("十字对开门", "对开门", "法式多门")},
        (
            Line("海尔", "BCD-510WGHTD", 3999, 4999, "", "全空间保鲜与干湿分储", {"能效": "一级能效"}),
            Line("美的", "BCD-521WSPZM", 2999, 3599, "", "超薄嵌入与一级能效", {"能效": "一级能效"}),
            Line("容声", "BCD-502WD", 3299, 3999, "", "除菌净味与母婴专储", {"能效": "一级能效"}),
            Line("西门子", "KA92NE09TI", 5999, 6999, "", "零度保鲜与玻璃面板", {"能效": "一级能效"}),
            Line("小米", "米家风冷冰箱", 2299, 2799, "Mijia Frost-free Fridge", "智能互联与风冷无霜",
                 {"能效": "一级能效"}),
        ),
        ("{容量}大容量，{门型}布局，冷藏冷冻分区清晰。",
         "风冷无霜，告别手动除霜的烦恼。",
         "{能效}变频压缩机，一天只要一度电左右。",
         "独立保鲜区让蔬果、肉类各得其所，存放更久也不串味。"),
        ("适合三到五口之家，周末囤货一次装满。", "新房装修可选嵌入式安装，厨房更整洁。"),
        ("冰箱", "风冷无霜", "大容量", "一级能效", "保鲜"),
        title=("{head} {容量}{门型}{kw}", "{head} {容量} {门型} {kw}"), mult={"500升": 1.15, "600升": 1.3}),
    Sub("home_appliances", "空调", "Air Conditioner", ("变频冷暖空调", "Inverter Air Conditioner"),
        {"匹数": ("1匹", "1.5匹", "2匹", "3匹"), "形态": ("挂机", "柜机")},
        (
            Line("格力", "云佳", 2599, 3199, "Yunjia", "变频节能与快速制冷", {"能效": "一级能效"}),
            Line("格力", "天丽", 3599, 4299, "Tianli", "自清洁与舒适送风", {"能效": "一级能效"}),
            Line("美的", "酷省电", 2299, 2799, "Kushengdian", "省电模式与智能控制", {"能效": "一级能效"}),
            Line("美的", "风尊", 2899, 3599, "Fengzun", "防直吹与无风感", {"能效": "一级能效"}),
            Line("海尔", "静悦", 2399, 2999, "Jingyue", "低噪运行与自清洁", {"能效": "一级能效"}),
            Line("小米", "米家巨省电", 2099, 2599, "Mijia Super Saver", "巨省电模式与智能联动", {"能效": "一级能效"}),
            Line("奥克斯", "京裕", 1799, 2199, "Jingyu", "高性价比与快速冷暖", {"能效": "一级能效"}),
        ),
        ("{匹数}{形态}，制冷制热都很迅速，几分钟就能感受到温度变化。",
         "{能效}变频，夏天整晚开着电费也不心疼。",
         "支持自清洁功能，减少霉菌滋生，吹出的风更干净。",
         "手机App远程控制，下班路上就能提前开空调。"),
        ("{匹数}适合不同面积的卧室和客厅，夏凉冬暖一机搞定。", "老房换新、新房装修都很合适。"),
        ("空调", "变频", "一级能效", "冷暖", "自清洁"),
        title=("{head} {匹数} {kw} {形态}", "{head} {匹数} {kw} {形态}"),
        mult={"1.5匹": 1.15, "2匹": 1.6, "3匹": 2.2, "柜机": 1.3}, per_line=4),
    Sub("home_appliances", "扫地机器人", "Robot Vacuum", ("扫拖一体扫地机器人", "Robot Vacuum and Mop"),
        {"版本": ("标准版", "自动集尘版", "上下水版")},
        (
            Line("科沃斯", "T30 Pro", 3499, 3999, "DEEBOT T30 Pro", "恒压旋转拖布与自动洗拖布", {"吸力": "11000Pa"}),
            Line("石头", "G20", 3999, 4799, "", "双旋拖布与热水洗拖布", {"吸力": "8000Pa"}),
            Line("追觅", "X40 Pro", 4299, 4999, "", "仿生机械臂与边角深度清洁", {"吸力": "12000Pa"}),
            Line("云鲸", "J4", 3299, 3899, "", "自动清洗拖布与基站烘干", {"吸力": "8200Pa"}),
            Line("小米", "米家扫拖机器人 M30", 2499, 2999, "Mijia Robot Vacuum M30", "全能基站与智能避障", {"吸力": "7000Pa"}),
        ),
        ("{吸力}大吸力，地毯和缝隙里的灰尘毛发都能吸干净。",
         "激光导航精准建图，不漏扫、不乱撞。",
         "{版本}配置，基本实现解放双手。",
         "智能识别袜子、电线等障碍物并自动绕行。"),
        ("上班族、养宠家庭和大户型都能省下大把打扫时间。", "出门前一键启动，回到家地面已经干干净净。"),
        ("扫地机器人", "扫拖一体", "自动集尘", "智能避障", "养宠"), mult={"自动集尘版": 1.15, "上下水版": 1.3}),
    Sub("home_appliances", "吸尘器", "Vacuum Cleaner", ("无线手持吸尘器", "Cordless Vacuum Cleaner"),
        {"版本": ("标准版", "除螨版")},
        (
            Line("戴森", "V12 Detect Slim", 3999, 4599, "", "激光探测微尘", {"续航": "60分钟"}),
            Line("戴森", "V8", 2299, 2699, "", "经典无线吸尘器", {"续航": "40分钟"}),
            Line("追觅", "V12", 1299, 1599, "", "高吸力与长续航", {"续航": "70分钟"}),
            Line("添可", "芙万 2.0", 2499, 2999, "Floor One 2.0", "洗地吸尘一体", {"续航": "35分钟"}),
            Line("小米", "米家无线吸尘器 2", 999, 1299, "Mijia Cordless Vacuum 2", "轻巧机身与多种刷头", {"续航": "60分钟"}),
        ),
        ("续航{续航}，整屋清洁一次完成。",
         "机身轻巧，单手就能清洁沙发、窗帘和车内。",
         "{版本}配备多种刷头，床铺螨虫和宠物毛发都能对付。"),
        ("小户型和租房党日常打扫的好帮手。", "有过敏体质家人的家庭更需要一台好吸尘器。"),
        ("吸尘器", "无线", "除螨", "大吸力"), mult={"除螨版": 1.12}, per_line=2),
    Sub("home_appliances", "空气净化器", "Air Purifier", ("除甲醛空气净化器", "Air Purifier"),
        {"适用面积": ("40平米", "60平米", "90平米")},
        (
            Line("小米", "米家空气净化器 4 Pro", 999, 1299, "Mijia Air Purifier 4 Pro", "高CADR与智能联动", {"CADR": "500立方米/小时"}),
            Line("飞利浦", "AC2958", 1499, 1899, "", "除甲醛与过敏原防护", {"CADR": "400立方米/小时"}),
            Line("352", "X86C", 2299, 2699, "", "医用级滤网与高效除醛", {"CADR": "600立方米/小时"}),
            Line("美的", "KJ500G", 899, 1199, "", "高效除菌与低噪运行", {"CADR": "500立方米/小时"}),
            Line("戴森", "TP09", 4599, 4999, "", "净化风扇二合一", {"CADR": "300立方米/小时"}),
        ),
        ("CADR值达{CADR}，{适用面积}左右的房间几分钟就能净化一遍。",
         "多层复合滤网，有效去除PM2.5、花粉和新装修的甲醛。",
         "睡眠模式下几乎听不到声音，开一整晚也不影响休息。"),
        ("新房入住、有宝宝或过敏体质的家庭特别需要。", "春季花粉和秋冬雾霾天关窗也能呼吸新鲜空气。"),
        ("空气净化器", "除甲醛", "PM2.5", "母婴"),
        title=("{head} {kw} 适用{适用面积}", "{head} {kw} for {适用面积}"), mult={"60平米": 1.15, "90平米": 1.3}),
]

# --- kitchen ---------------------------------------------------------------------------------------------
INTRO["kitchen"] = (
    "{head}{kw}，{hl}，下厨也能变成一件轻松的事。",
    "厨房好物推荐：{head}，{hl}，买过的都说好用。",
)
CLOSING["kitchen"] = ("小家电保修一年，锅具提供终身售后咨询。", "食品级材质，已通过国家3C与食品接触安全检测。")
SUBS += [
    Sub("kitchen", "电饭煲", "Rice Cooker", ("智能电饭煲", "Smart Rice Cooker"),
        {"容量": ("3L", "4L", "5L")},
        (
            Line("美的", "MB-FB40S701", 299, 399, "", "IH电磁加热与一键快煮", {"内胆": "球釜内胆"}),
            Line("苏泊尔", "SF40HC753", 359, 459, "", "远红外加热与鲜呼吸阀", {"内胆": "陶晶内胆"}),
            Line("九阳", "F-40FY1", 199, 299, "", "家用高性价比", {"内胆": "不粘内胆"}),
            Line("象印", "NW-QAH18C", 2299, 2699, "", "压力IH与铂金厚釜", {"内胆": "铂金厚釜"}),
            Line("小米", "米家IH电饭煲 3L", 349, 399, "Mijia IH Rice Cooker", "手机App智能预约", {"内胆": "粉体涂层内胆"}),
            Line("小熊", "DFB-B30Q5", 129, 189, "", "迷你小巧适合一到两人", {"内胆": "不粘内胆"}),
        ),
        ("{容量}容量刚刚好，煮饭、煲汤、熬粥都能胜任。",
         "{内胆}受热均匀，米饭粒粒分明、软糯香甜。",
         "支持24小时预约，早上起床就有热乎乎的粥喝。",
         "多种烹饪模式一键切换，操作简单，老人也会用。"),
        ("单身公寓、三口之家都有适合的容量可选。", "上班族早晚做饭很省心，还能送给父母当礼物。"),
        ("电饭煲", "预约", "不粘", "智能"), title=("{head} {容量} {kw}", "{head} {容量} {kw}"),
        mult={"4L": 1.1, "5L": 1.2}),
    Sub("kitchen", "空气炸锅", "Air Fryer", ("可视空气炸锅", "Air Fryer"),
        {"容量": ("4.5L", "5.5L", "7L"), "颜色": ("白色", "黑色")},
        (
            Line("美的", "KZC6501", 199, 299, "", "可视窗口与免翻面", {"温控": "40-200℃"}),
            Line("九阳", "KL50-V582", 229, 329, "", "双风道热风循环", {"温控": "80-200℃"}),
            Line("苏泊尔", "KJ50D826", 249, 349, "", "蒸汽嫩烤", {"温控": "40-200℃"}),
            Line("小熊", "QZG-E15D2", 159, 229, "", "小巧不占地", {"温控": "80-200℃"}),
            Line("摩飞", "MR8601", 499, 699, "", "复古颜值与多功能", {"温控": "40-230℃"}),
            Line("飞利浦", "HD9252", 599, 799, "", "快速空气循环技术", {"温控": "80-200℃"}),
        ),
        ("{容量}大炸篮，一次就能烤一整只鸡翅的量。",
         "{温控}精准控温，少油甚至无油也能做出外酥里嫩的口感。",
         "可拆卸不粘炸篮，洗碗机可洗，清洁很方便。",
         "{颜色}机身简洁好看，放在厨房台面很有质感。"),
        ("减脂期的健康美食神器，薯条、烤肠、蛋挞都能做。", "租房党没有烤箱，也能用它做出各种美食。"),
        ("空气炸锅", "大容量", "少油", "可视"), mult={"5.5L": 1.1, "7L": 1.25}),
    Sub("kitchen", "炒锅", "Wok", ("不粘炒锅", "Non-stick Wok"),
        {"尺寸": ("30cm", "32cm", "34cm")},
        (
            Line("苏泊尔", "火红点 炒锅", 159, 259, "Fire Red Dot Wok", "火红点温控提示", {"材质": "不粘涂层"}),
            Line("炊大皇", "精铁炒锅", 89, 159, "Cast Iron Wok", "传统手工锻打", {"材质": "精铁"}),
            Line("爱仕达", "不粘炒锅", 129, 199, "Non-stick Wok", "少油烟不粘", {"材质": "不粘涂层"}),
            Line("双立人", "Nova 炒锅", 499, 799, "Nova Wok", "德国工艺与复合底", {"材质": "不锈钢"}),
            Line("康宁", "无涂层铁锅", 199, 299, "Uncoated Iron Wok", "无化学涂层", {"材质": "精铁"}, kw=("铁锅", "Iron Wok")),
        ),
        ("{材质}锅身导热快，大火爆炒不粘锅。",
         "{尺寸}口径，三到五口之家炒菜刚刚好。",
         "燃气灶、电磁炉通用，搬家换灶具也不用换锅。",
         "手柄防烫设计，握持稳当，单手颠勺也轻松。"),
        ("家常小炒、煎鱼煎蛋都能轻松搞定。", "新手下厨也不怕糊锅，做饭更有成就感。"),
        ("炒锅", "不粘锅", "燃气灶适用", "电磁炉适用"),
        title=("{head} {尺寸} {kw}", "{head} {尺寸} {kw}"), mult={"32cm": 1.1, "34cm": 1.2}),
    Sub("kitchen", "刀具", "Kitchen Knives", ("厨房刀具", "Kitchen Knife"),
        {"规格": ("单刀", "三件套", "七件套")},
        (
            Line("张小泉", "不锈钢菜刀", 69, 129, "Stainless Steel Cleaver", "百年老字号与锋利耐用", {"材质": "不锈钢"}),
            Line("双立人", "Gourmet 刀具", 399, 799, "Gourmet Knife", "德国冰锻工艺", {"材质": "特种钢"}),
            Line("十八子作", "切片刀", 89, 169, "Slicing Knife", "锋利切片与传统工艺", {"材质": "复合钢"}),
            Line("拜格", "刀具组合", 129, 239, "Knife Set", "一套满足日常所需", {"材质": "不锈钢"}),
        ),
        ("{材质}刀身锋利，切肉切菜都很顺手。",
         "本款为{规格}，日常厨房所需基本齐了。",
         "刀柄防滑贴合掌心，长时间使用也不累手。"),
        ("新房入住、搬家乔迁的实用好物。", "爱做饭的人都懂一把好刀的重要性。"),
        ("刀具", "菜刀", "锋利"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"),
        mult={"三件套": 1.5, "七件套": 2.3}),
    Sub("kitchen", "破壁机", "Blender", ("静音破壁机", "Quiet Blender"),
        {"容量": ("1.2L", "1.75L")},
        (
            Line("九阳", "L18-P393", 499, 699, "", "低音破壁与免手洗", {"转速": "35000转"}),
            Line("九阳", "DJ12-D2575", 299, 399, "", "豆浆机经典款", {"转速": "25000转"}, kw=("豆浆机", "Soy Milk Maker")),
            Line("美的", "MJ-PB80", 399, 599, "", "降噪罩与智能预约", {"转速": "30000转"}),
            Line("苏泊尔", "SP508", 359, 459, "", "一键清洗", {"转速": "28000转"}),
        ),
        ("{转速}高速电机，五谷杂粮打得细腻无渣。",
         "{容量}杯体，一次做出全家人的早餐豆浆。",
         "支持预约与保温，早上起床就能喝到热豆浆。"),
        ("早餐豆浆、米糊、果汁一机多用。", "家里有老人孩子的，做辅食和养生糊都方便。"),
        ("破壁机", "豆浆", "静音", "预约"), title=("{head} {容量} {kw}", "{head} {容量} {kw}"),
        mult={"1.75L": 1.12}, per_line=2),
    Sub("kitchen", "电水壶", "Electric Kettle", ("电热水壶", "Electric Kettle"),
        {"容量": ("1.5L", "1.7L")},
        (
            Line("美的", "SH15E", 59, 89, "", "304不锈钢内胆", {"功能": "保温"}),
            Line("小米", "米家电水壶 2", 79, 99, "Mijia Kettle 2", "无缝内胆与防干烧", {"功能": "恒温"}),
            Line("苏泊尔", "SW-17S", 69, 99, "", "一体无缝内胆", {"功能": "保温"}),
            Line("小熊", "ZDH-C15", 89, 139, "", "玻璃壶身与多段控温", {"功能": "恒温"}),
        ),
        ("{容量}容量，几分钟就能烧开一壶水。",
         "支持{功能}，泡茶冲奶粉都能找到合适的水温。",
         "防干烧与自动断电保护，用起来更安心。"),
        ("宿舍、办公室、家用都很合适。", "冲奶粉、泡茶、煮面，小家电里最常用的一件。"),
        ("电水壶", "烧水", "304不锈钢"), title=("{head} {容量} {kw}", "{head} {容量} {kw}"),
        mult={"1.7L": 1.1}, per_line=2),
]
EN.update({"洗烘一体": "Washer Dryer", "纯洗": "Washer Only", "十字对开门": "Cross-door", "对开门": "Side-by-side",
           "法式多门": "French Door", "挂机": "Wall-mounted", "柜机": "Floor-standing", "自动集尘版": "Auto-empty",
           "上下水版": "Auto Water Supply", "除螨版": "Anti-mite", "单刀": "Single Knife", "三件套": "3-piece Set",
           "七件套": "7-piece Set"})
BRAND_EN.update({"康宁": "Corning", "十八子作": "Shibazi", "拜格": "Bayco", "352": "352", "小度": "Xiaodu"})

# --- clothing --------------------------------------------------------------------------------------------
INTRO["clothing"] = (
    "{head}{kw}，{hl}，上身效果很显气质。",
    "衣橱必备单品：{head}，{hl}，百搭又耐穿。",
)
CLOSING["clothing"] = ("尺码建议参考详情页尺码表，拿不准可联系客服推荐。", "支持7天无理由退换，吊牌完好即可。")
CLOTH_SIZES = ("S", "M", "L", "XL", "XXL")
SUBS += [
    Sub("clothing", "羽绒服", "Down Jacket", ("保暖羽绒服", "Warm Down Jacket"),
        {"人群": ("男款", "女款"), "颜色": ("黑色", "米白色", "藏青色", "卡其色"), "尺码": CLOTH_SIZES},
        (
            Line("波司登", "极寒系列", 1299, 1999, "Extreme Cold Series", "90%鹅绒与三防面料", {"填充": "90%白鹅绒", "长度": "中长款"}),
            Line("波司登", "轻薄系列", 499, 799, "Lightweight Series", "轻薄保暖易收纳", {"填充": "90%白鸭绒", "长度": "短款"}),
            Line("鸭鸭", "连帽羽绒服", 299, 599, "Hooded Down Jacket", "高性价比与连帽设计", {"填充": "90%白鸭绒", "长度": "短款"}),
            Line("优衣库", "高级轻型羽绒服", 399, 599, "Ultra Light Down", "可收纳成小包的轻盈", {"填充": "90%羽绒", "长度": "短款"}),
            Line("雪中飞", "加厚羽绒服", 399, 699, "Thick Down Jacket", "加厚保暖与防风", {"填充": "90%白鸭绒", "长度": "中长款"}),
            Line("骆驼", "户外羽绒服", 499, 899, "Outdoor Down Jacket", "防泼水面料与可拆卸帽", {"填充": "90%白鸭绒", "长度": "短款"}),
        ),
        ("{填充}填充，蓬松度高，零下十几度也不觉得冷。",
         "{长度}版型，{颜色}低调耐看，通勤出游都合适。",
         "面料防风防泼水，雨雪天气也能从容出门。",
         "袖口和下摆防风设计，把寒气挡在外面。"),
        ("北方过冬、南方湿冷天气都能穿。", "送父母、送对象都是很贴心的冬季礼物。"),
        ("羽绒服", "保暖", "冬季", "防风"),
        title=("{head} {人群}{kw} {长度} {颜色} {尺码}", "{head} {人群} {kw} {颜色} {尺码}"), per_line=4),
    Sub("clothing", "T恤", "T-shirt", ("纯棉短袖T恤", "Cotton T-shirt"),
        {"人群": ("男款", "女款"), "颜色": ("白色", "黑色", "灰色", "藏青色"), "尺码": CLOTH_SIZES},
        (
            Line("优衣库", "U系列圆领T恤", 79, 99, "U Crew Neck T-shirt", "厚实纯棉与挺括版型", {"面料": "100%棉"}),
            Line("李宁", "运动T恤", 99, 169, "Sports T-shirt", "速干面料", {"面料": "聚酯纤维"}),
            Line("安踏", "冰丝T恤", 89, 139, "Ice Silk T-shirt", "冰感凉爽", {"面料": "冰丝"}),
            Line("海澜之家", "商务休闲T恤", 99, 159, "Business Casual T-shirt", "简约百搭", {"面料": "100%棉"}),
            Line("森马", "印花T恤", 59, 99, "Printed T-shirt", "潮流印花", {"面料": "100%棉"}),
            Line("Nike", "Dri-FIT T恤", 199, 299, "Dri-FIT T-shirt", "Dri-FIT速干科技", {"面料": "聚酯纤维"}),
        ),
        ("{面料}面料柔软亲肤，夏天穿着清爽透气。",
         "{颜色}基础色百搭，单穿或内搭都好看。",
         "领口加固不易变形，多次洗涤依然挺括。"),
        ("日常通勤、运动健身、居家休闲都能穿。", "夏天多备几件轮换，舒服又省心。"),
        ("T恤", "短袖", "纯棉", "夏季", "百搭"),
        title=("{head} {人群}{kw} {颜色} {尺码}", "{head} {人群} {kw} {颜色} {尺码}")),
    Sub("clothing", "卫衣", "Hoodie", ("连帽卫衣", "Hoodie"),
        {"人群": ("男款", "女款"), "颜色": ("黑色", "灰色", "米白色", "绿色"), "尺码": CLOTH_SIZES},
        (
            Line("李宁", "中国李宁卫衣", 299, 459, "China Li-Ning Hoodie", "国潮设计", {"面料": "棉混纺"}),
            Line("安踏", "加绒卫衣", 199, 299, "Fleece Hoodie", "加绒保暖", {"面料": "棉混纺"}),
            Line("太平鸟", "宽松卫衣", 259, 399, "Loose Hoodie", "宽松落肩版型", {"面料": "100%棉"}),
            Line("Adidas", "三条纹卫衣", 399, 599, "3-Stripes Hoodie", "经典三条纹", {"面料": "棉混纺"}),
            Line("优衣库", "摇粒绒卫衣", 149, 199, "Fleece Sweatshirt", "摇粒绒保暖", {"面料": "摇粒绒"}),
        ),
        ("{面料}面料柔软厚实，春秋单穿、冬天内搭都合适。",
         "{颜色}配色简约耐看，搭配牛仔裤、运动裤都好看。",
         "宽松版型不挑身材，显瘦又有型。"),
        ("上学、出游、居家都能穿，情侣款也很合适。", "换季必备，一件顶两件。"),
        ("卫衣", "连帽", "春秋", "宽松"),
        title=("{head} {人群}{kw} {颜色} {尺码}", "{head} {人群} {kw} {颜色} {尺码}")),
    Sub("clothing", "牛仔裤", "Jeans", ("直筒牛仔裤", "Straight Jeans"),
        {"人群": ("男款", "女款"), "颜色": ("深蓝色", "浅蓝色", "黑色"), "尺码": ("28", "29", "30", "31", "32", "33")},
        (
            Line("优衣库", "弹力牛仔裤", 199, 299, "Stretch Jeans", "弹力面料", {"版型": "修身"}),
            Line("Levi's", "501 原创", 499, 799, "501 Original", "经典501版型", {"版型": "直筒"}),
            Line("森马", "宽松牛仔裤", 129, 199, "Loose Jeans", "宽松阔腿", {"版型": "宽松"}),
            Line("海澜之家", "商务牛仔裤", 199, 299, "Business Jeans", "商务休闲", {"版型": "直筒"}),
        ),
        ("{版型}版型，{颜色}水洗效果自然，显腿直显腿长。",
         "面料含弹力纤维，蹲下坐下都不紧绷。",
         "做工扎实，走线平整，越穿越有味道。"),
        ("一年四季都能穿，T恤卫衣衬衫都好搭。", "上班上学、周末出游的百搭单品。"),
        ("牛仔裤", "直筒", "百搭", "显瘦"),
        title=("{head} {人群}{kw} {颜色} {尺码}码", "{head} {人群} {kw} {颜色} W{尺码}")),
    Sub("clothing", "冲锋衣", "Hardshell Jacket", ("防风防水冲锋衣", "Waterproof Hardshell Jacket"),
        {"人群": ("男款", "女款"), "颜色": ("黑色", "蓝色", "红色", "绿色"), "尺码": CLOTH_SIZES},
        (
            Line("骆驼", "三合一冲锋衣", 299, 499, "3-in-1 Jacket", "三合一可拆卸内胆", {"防水": "5000mm"}),
            Line("伯希和", "硬壳冲锋衣", 599, 899, "Hardshell Jacket", "高防水透湿", {"防水": "10000mm"}),
            Line("北面", "冲锋衣", 1499, 2299, "Shell Jacket", "GORE-TEX防水", {"防水": "28000mm"}),
            Line("凯乐石", "风雨衣", 999, 1499, "Rain Jacket", "专业登山防护", {"防水": "20000mm"}),
            Line("探路者", "户外冲锋衣", 399, 699, "Outdoor Jacket", "防风保暖", {"防水": "8000mm"}),
        ),
        ("防水指数{防水}，小雨大风天也不怕被淋湿。",
         "透气设计，爬山出汗后也不会闷热。",
         "{颜色}亮眼配色，户外拍照好看又醒目。"),
        ("登山徒步、露营骑行、城市通勤都很实用。", "春秋冬三季可穿，旅行必备外套。"),
        ("冲锋衣", "防水", "户外", "防风"),
        title=("{head} {人群}{kw} {颜色} {尺码}", "{head} {人群} {kw} {颜色} {尺码}")),
    Sub("clothing", "连衣裙", "Dress", ("法式连衣裙", "French Dress"),
        {"颜色": ("黑色", "白色", "碎花", "蓝色"), "尺码": ("S", "M", "L", "XL")},
        (
            Line("太平鸟", "法式碎花裙", 399, 599, "French Floral Dress", "法式复古", {"面料": "雪纺"}),
            Line("优衣库", "棉质连衣裙", 199, 299, "Cotton Dress", "舒适棉质", {"面料": "棉"}),
            Line("ONLY", "收腰连衣裙", 399, 699, "Waisted Dress", "收腰显瘦", {"面料": "聚酯纤维"}),
            Line("Vero Moda", "针织连衣裙", 399, 599, "Knit Dress", "温柔针织", {"面料": "针织"}),
        ),
        ("{面料}面料垂感好，走路时裙摆灵动飘逸。",
         "收腰设计修饰身材，小个子穿也很显高。",
         "{颜色}款式温柔大方，约会通勤都很得体。"),
        ("约会、度假、上班都适合，一条裙子就能出门。", "搭配小白鞋或高跟鞋都好看。"),
        ("连衣裙", "女装", "显瘦", "法式"),
        title=("{head} 女款{kw} {颜色} {尺码}", "{head} Women's {kw} {颜色} {尺码}")),
]

# --- shoes -----------------------------------------------------------------------------------------------
INTRO["shoes"] = (
    "{head}{kw}，{hl}，穿上就不想脱。",
    "一双好鞋走得更远：{head}采用{hl}，上脚舒适度很高。",
    "{head}是{brand}的明星鞋款，{hl}让它成为很多人的回购之选。",
)
CLOSING["shoes"] = ("尺码偏标准，建议按平时尺码购买，脚宽者可选大半码。", "支持7天无理由退换，试穿不影响二次销售即可。",
                    "运费险保障，换码不花冤枉钱。")
SHOE_SIZES_M = ("39码", "40码", "41码", "42码", "43码", "44码")
SHOE_SIZES_W = ("35码", "36码", "37码", "38码", "39码")
RUN_FEATURES = (
    "中底采用{中底}科技，回弹有力，长距离跑步也能减轻膝盖负担。",
    "鞋面{鞋面}透气轻盈，夏天跑完脚也不闷。",
    "单只重量约{重量}，轻盈跟脚，配速提升更轻松。",
    "耐磨橡胶大底抓地力强，湿滑路面也不易打滑。",
    "{颜色}配色清爽百搭，跑步之外日常穿着也很好看。",
)
RUN_SCENE = (
    "适合日常慢跑、5公里到半马训练，新手跑者也能驾驭。",
    "不管是晨跑、夜跑还是健身房跑步机，都能提供稳定支撑。",
    "马拉松爱好者的训练主力鞋，竞速比赛同样可以上脚。",
)


def _run(brand: str, model: str, lo: float, hi: float, hl: str, foam: str, upper: str, weight: str,
         en: str = "") -> Line:
    """A running-shoe line."""
    return Line(brand, model, lo, hi, en=en, hl=hl, attrs={"中底": foam, "鞋面": upper, "重量": weight})


SUBS += [
    Sub("shoes", "跑步鞋", "Running Shoes", ("轻量缓震跑步鞋", "Lightweight Cushioned Running Shoes"),
        {"人群": ("男款", "女款"), "颜色": ("黑白", "白蓝", "荧光绿", "浅灰", "粉白")},
        (
            _run("李宁", "赤兔7", 299, 399, "䨻科技中底与轻量竞速设计", "䨻丝", "网布", "215克", en="Chitu 7"),
            _run("李宁", "超轻21", 379, 499, "超轻鞋身与弹性中底", "䨻轻弹", "网布", "199克", en="Super Light 21"),
            _run("李宁", "飞电4 Elite", 999, 1299, "全掌碳板与竞速鞋楦", "䨻丝", "单丝网布", "195克", en="Feidian 4 Elite"),
            _run("李宁", "越影3", 399, 499, "稳定缓震与宽楦设计", "䨻轻弹", "工程网布", "260克", en="Yueying 3"),
            _run("安踏", "马赫4", 369, 469, "氮科技中底", "氮科技", "网布", "210克", en="Mach 4"),
            _run("安踏", "C202 5", 599, 799, "碳板竞速与氮科技", "氮科技", "单丝网布", "205克"),
            _run("特步", "160X 6.0", 999, 1199, "冠军级碳板竞速鞋", "动力巢PB", "单丝网布", "210克"),
            _run("特步", "两千公里", 199, 299, "耐跑两千公里的耐磨大底", "动力巢", "网布", "245克", en="2000KM"),
            _run("361°", "飞燃3", 499, 699, "碳板加持与高回弹", "QU!KFOAM", "网布", "215克", en="Feiran 3"),
            _run("361°", "Spire 5", 299, 399, "日常训练与舒适缓震", "Q弹", "网布", "260克"),
            _run("Nike", "Pegasus 41", 699, 899, "ReactX泡棉与Air Zoom气垫", "ReactX", "工程网布", "275克"),
            _run("Nike", "Vomero 17", 899, 1099, "双层ZoomX缓震", "ZoomX", "网布", "300克"),
            _run("Adidas", "Adizero Boston 12", 899, 1199, "玻璃纤维棒与LIGHTSTRIKE PRO", "LIGHTSTRIKE PRO", "网布", "255克"),
            _run("Adidas", "Ultraboost Light", 999, 1299, "Light BOOST轻盈缓震", "Light BOOST", "Primeknit针织", "300克"),
            _run("鸿星尔克", "芷境2.0", 299, 399, "奇弹科技中底", "奇弹", "网布", "230克", en="Zhijing 2.0"),
            _run("亚瑟士", "GEL-KAYANO 31", 1099, 1299, "稳定支撑与GEL缓震", "FF BLAST+", "工程网布", "300克"),
            _run("匹克", "态极 2.0", 299, 429, "自适应态极中底", "态极", "网布", "245克", en="Taichi 2.0"),
            _run("迪卡侬", "KIPRUN KS500", 199, 299, "高性价比入门缓震", "KALENSOLE", "网布", "270克"),
            _run("New Balance", "Fresh Foam 1080", 1099, 1299, "Fresh Foam X柔软脚感", "Fresh Foam X", "网布", "290克"),
        ),
        RUN_FEATURES, RUN_SCENE, ("跑步鞋", "跑鞋", "缓震", "透气", "轻量", "运动鞋", "马拉松"),
        title=("{head} {人群}{kw} {颜色}", "{head} {人群} {kw} {颜色}")),
    Sub("shoes", "篮球鞋", "Basketball Shoes", ("实战篮球鞋", "Basketball Shoes"),
        {"颜色": ("黑红", "白金", "蓝白", "全黑"), "尺码": SHOE_SIZES_M},
        (
            Line("李宁", "韦德之道11", 1099, 1499, "Way of Wade 11", "䨻科技全掌中底与碳板", {"鞋帮": "低帮"}),
            Line("李宁", "音速11", 499, 699, "Sonic 11", "轻量实战与抗扭支撑", {"鞋帮": "低帮"}),
            Line("安踏", "KT9", 999, 1299, "KT9", "氮科技与稳定抗扭", {"鞋帮": "低帮"}),
            Line("Nike", "LeBron 21", 1299, 1499, "", "Air Zoom Turbo气垫", {"鞋帮": "中帮"}),
            Line("匹克", "闪电4", 299, 499, "Lightning 4", "态极缓震", {"鞋帮": "低帮"}),
            Line("361°", "BIG3 5.0", 499, 699, "", "轻量支撑与耐磨外底", {"鞋帮": "中帮"}),
        ),
        ("{鞋帮}设计，包裹稳固，急停变向时脚踝更有保护。",
         "耐磨外底抓地强，水泥地室外场也能放心打。",
         "{颜色}配色在球场上很抢眼。"),
        ("适合外线后卫和内线球员的日常实战。", "学生党打球、周末约球都很合适。"),
        ("篮球鞋", "实战", "缓震", "运动鞋", "球鞋"),
        title=("{head} {kw} {鞋帮} {颜色} {尺码}", "{head} {kw} {鞋帮} {颜色} {尺码}")),
    Sub("shoes", "休闲板鞋", "Casual Sneakers", ("百搭休闲板鞋", "Casual Sneakers"),
        {"人群": ("男款", "女款"), "颜色": ("纯白", "白绿", "黑白", "米白")},
        (
            Line("回力", "经典帆布鞋", 79, 129, "Classic Canvas Shoes", "国货经典设计", {"材质": "帆布"}),
            Line("飞跃", "小白鞋", 69, 109, "White Sneakers", "复古国潮", {"材质": "帆布"}),
            Line("Nike", "Air Force 1", 749, 899, "", "经典空军一号鞋型", {"材质": "皮革"}),
            Line("Adidas", "Stan Smith", 599, 799, "", "经典网球鞋设计", {"材质": "皮革"}),
            Line("Adidas", "Samba OG", 799, 999, "", "德训鞋复古风", {"材质": "皮革"}),
            Line("斯凯奇", "D'LITES 熊猫鞋", 399, 599, "D'LITES", "厚底增高与记忆鞋垫", {"材质": "合成革"}),
            Line("New Balance", "574", 599, 799, "", "复古跑鞋外观", {"材质": "麂皮"}),
            Line("特步", "板鞋", 159, 259, "Skate Shoes", "轻便百搭", {"材质": "合成革"}),
            Line("李宁", "中国李宁 板鞋", 299, 459, "China Li-Ning Skate Shoes", "国潮设计", {"材质": "皮革"}),
        ),
        ("{材质}鞋面，{颜色}配色百搭耐看。",
         "软底设计，一天走两万步脚也不累。",
         "鞋型经典不过时，牛仔裤、裙子、运动裤都好搭。"),
        ("上学、逛街、约会，一双就够了。", "四季可穿，是鞋柜里出镜率最高的那双。"),
        ("板鞋", "小白鞋", "休闲鞋", "百搭", "运动鞋"),
        title=("{head} {人群}{kw} {颜色}", "{head} {人群} {kw} {颜色}")),
    Sub("shoes", "靴子", "Boots", ("靴子", "Boots"),
        {"人群": ("男款", "女款"), "颜色": ("黑色", "棕色", "栗色")},
        (
            Line("Dr.Martens", "1460 马丁靴", 1399, 1699, "1460 Boots", "经典8孔设计与气垫鞋底", {"类型": "马丁靴"}),
            Line("UGG", "经典短靴", 1299, 1699, "Classic Short Boots", "羊皮毛一体", {"类型": "雪地靴"}),
            Line("骆驼", "马丁靴", 299, 459, "Martin Boots", "头层牛皮与防滑大底", {"类型": "马丁靴"}),
            Line("红蜻蜓", "加绒雪地靴", 199, 299, "Fleece Snow Boots", "加绒保暖", {"类型": "雪地靴"}),
            Line("百丽", "切尔西靴", 599, 899, "Chelsea Boots", "简约切尔西设计", {"类型": "切尔西靴"}),
        ),
        ("{类型}款式，{颜色}皮面质感好，越穿越有味道。",
         "鞋底防滑耐磨，雨雪天气走路也稳当。",
         "鞋内舒适柔软，冬天穿着暖和不冻脚。"),
        ("秋冬必备，搭配大衣、羽绒服都很有型。", "出差旅行、北方过冬的实用鞋款。"),
        ("靴子", "秋冬", "保暖", "防滑"),
        title=("{head} {人群}{kw} {颜色}", "{head} {人群} {kw} {颜色}")),
    Sub("shoes", "凉鞋", "Sandals & Slides", ("凉鞋", "Sandals"),
        {"人群": ("男款", "女款"), "颜色": ("黑色", "白色", "卡其色")},
        (
            Line("Crocs", "经典洞洞鞋", 299, 449, "Classic Clog", "轻便洞洞鞋设计", {"材质": "Croslite"}, kw=("洞洞鞋", "Clogs")),
            Line("Birkenstock", "Arizona", 699, 999, "", "软木鞋床", {"材质": "软木"}, kw=("拖鞋", "Sandals")),
            Line("蕉下", "凉鞋", 199, 299, "Sandals", "户外涉水凉鞋", {"材质": "EVA"}),
            Line("骆驼", "沙滩凉鞋", 159, 259, "Beach Sandals", "软底防滑", {"材质": "橡胶"}),
            Line("安踏", "运动拖鞋", 69, 129, "Sports Slides", "软弹缓震", {"材质": "EVA"}, kw=("拖鞋", "Slides")),
        ),
        ("{材质}材质轻便，夏天穿着凉快不闷脚。",
         "鞋底防滑，雨天海边都能放心穿。",
         "{颜色}款式简约，出门下楼随手一穿。"),
        ("海边度假、夏日出行、居家休闲都很合适。", "夏天必备，舒服到不想穿别的鞋。"),
        ("凉鞋", "拖鞋", "夏季", "防滑"),
        title=("{head} {人群}{kw} {颜色}", "{head} {人群} {kw} {颜色}")),
    Sub("shoes", "皮鞋", "Leather Shoes", ("商务正装皮鞋", "Leather Dress Shoes"),
        {"颜色": ("黑色", "棕色"), "尺码": SHOE_SIZES_M},
        (
            Line("奥康", "商务皮鞋", 299, 499, "Business Shoes", "头层牛皮", {"鞋型": "德比鞋"}),
            Line("红蜻蜓", "正装皮鞋", 299, 459, "Formal Shoes", "透气软底", {"鞋型": "牛津鞋"}),
            Line("百丽", "商务德比鞋", 599, 899, "Business Derby", "意式工艺", {"鞋型": "德比鞋"}),
            Line("森达", "乐福鞋", 399, 599, "Loafers", "一脚蹬便捷设计", {"鞋型": "乐福鞋"}),
        ),
        ("头层牛皮鞋面，{颜色}光泽细腻，正式场合很显档次。",
         "{鞋型}经典款式，西装、休闲裤都能搭。",
         "鞋底柔软耐磨，久站久走也不累。"),
        ("上班通勤、商务会议、婚礼宴会都很得体。", "职场新人第一双正装皮鞋的好选择。"),
        ("皮鞋", "商务", "正装", "真皮"),
        title=("{head} 男款{kw} {颜色} {尺码}", "{head} Men's {kw} {颜色} {尺码}")),
    Sub("shoes", "徒步鞋", "Hiking Shoes", ("防水登山徒步鞋", "Waterproof Hiking Shoes"),
        {"人群": ("男款", "女款"), "颜色": ("黑灰", "卡其", "军绿")},
        (
            Line("萨洛蒙", "X ULTRA 4", 1199, 1499, "", "GORE-TEX防水与稳定抓地", {"防水": "GORE-TEX"}),
            Line("凯乐石", "风语", 799, 999, "Fengyu", "专业户外与耐磨大底", {"防水": "防水膜"}),
            Line("骆驼", "登山鞋", 259, 399, "Hiking Shoes", "防滑耐磨高性价比", {"防水": "防泼水"}),
            Line("迪卡侬", "MH100", 199, 299, "", "入门徒步与舒适缓震", {"防水": "防泼水"}),
        ),
        ("{防水}鞋面，下雨踩水坑也不湿脚。",
         "大底深齿纹抓地强，碎石、泥地山路都走得稳。",
         "{颜色}配色耐脏，户外环境里更省心。"),
        ("徒步登山、露营旅行的必备装备。", "周末爬山、景区出游都很合适。"),
        ("徒步鞋", "登山鞋", "防水", "户外", "防滑"),
        title=("{head} {人群}{kw} {颜色}", "{head} {人群} {kw} {颜色}")),
]
EN.update({"男款": "Men's", "女款": "Women's", "中长款": "Mid-length", "短款": "Short", "碎花": "Floral",
           "黑白": "Black/White", "白蓝": "White/Blue", "荧光绿": "Volt Green", "浅灰": "Light Gray", "粉白": "Pink/White",
           "黑红": "Black/Red", "白金": "White/Gold", "蓝白": "Blue/White", "全黑": "Triple Black", "纯白": "Triple White",
           "白绿": "White/Green", "米白": "Off-White", "棕色": "Brown", "栗色": "Chestnut", "黑灰": "Black/Gray",
           "卡其": "Khaki", "军绿": "Army Green", "低帮": "Low", "中帮": "Mid"})
BRAND_EN.update({"雪中飞": "Snowflying", "飞跃": "Feiyue", "森达": "SENDA"})

# --- skincare --------------------------------------------------------------------------------------------
INTRO["skincare"] = (
    "{head}{kw}，{hl}，是很多人梳妆台上的常驻单品。",
    "护肤要找对产品：{head}主打{hl}，温和不刺激。",
)
CLOSING["skincare"] = ("品牌官方授权正品，假一赔十，支持专柜验货。", "化妆品拆封后不支持无理由退货，过敏可联系客服协商处理。",
                       "临期提醒：保质期内使用效果最佳，开封后建议12个月内用完。")
SUBS += [
    Sub("skincare", "面霜", "Face Cream", ("保湿面霜", "Moisturizing Cream"),
        {"规格": ("30ml", "50ml", "75ml")},
        (
            Line("兰蔻", "菁纯臻颜面霜", 1100, 1580, "Absolue Soft Cream", "玫瑰精萃与抗老紧致", {"功效": "抗老紧致", "适用肤质": "干性及中性肌肤"}),
            Line("雅诗兰黛", "多效智妍面霜", 499, 699, "Revitalizing Supreme+", "多效抗老", {"功效": "抗老紧致", "适用肤质": "所有肤质"}),
            Line("珀莱雅", "红宝石面霜 3.0", 199, 299, "Ruby Cream 3.0", "六胜肽淡纹", {"功效": "淡纹紧致", "适用肤质": "所有肤质"}),
            Line("薇诺娜", "舒敏保湿特护霜", 199, 268, "Soothing Repair Cream", "修护屏障与舒缓泛红", {"功效": "舒缓修护", "适用肤质": "敏感肌"}),
            Line("珂润", "润浸保湿面霜", 139, 199, "Intensive Moisture Cream", "神经酰胺保湿", {"功效": "保湿修护", "适用肤质": "干敏肌"}),
            Line("欧莱雅", "复颜玻尿酸面霜", 199, 299, "Revitalift Hyaluronic Cream", "玻尿酸水光保湿", {"功效": "保湿抗皱", "适用肤质": "所有肤质"}),
            Line("自然堂", "雪域面霜", 99, 169, "Snow Cream", "喜马拉雅冰川水保湿", {"功效": "补水保湿", "适用肤质": "所有肤质"}),
            Line("百雀羚", "帧颜霜", 169, 239, "Frame Face Cream", "国货抗老", {"功效": "抗老淡纹", "适用肤质": "所有肤质"}),
        ),
        ("主打{功效}，质地细腻易推开，吸收后肌肤柔软不黏腻。",
         "{适用肤质}都能使用，秋冬换季用它不起皮。",
         "本款为{规格}装，每天早晚各一次，大约可用两到三个月。",
         "坚持使用四周，肤感更饱满，细纹肉眼可见变淡。"),
        ("熬夜党、换季干燥、空调房久坐的肌肤都需要它。", "送妈妈、送女友都很体面的护肤礼物。"),
        ("面霜", "保湿", "抗老", "护肤品"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"),
        mult={"50ml": 1.4, "75ml": 1.9}),
    Sub("skincare", "精华", "Serum", ("修护精华液", "Repair Serum"),
        {"规格": ("30ml", "50ml", "100ml")},
        (
            Line("雅诗兰黛", "小棕瓶精华", 699, 999, "Advanced Night Repair", "第七代小棕瓶修护", {"功效": "修护抗老", "适用肤质": "所有肤质"}),
            Line("兰蔻", "小黑瓶精华", 760, 1080, "Advanced Genifique", "微生态修护", {"功效": "修护维稳", "适用肤质": "所有肤质"}),
            Line("SK-II", "神仙水", 1099, 1590, "Facial Treatment Essence", "PITERA精华", {"功效": "提亮肤色", "适用肤质": "所有肤质"}),
            Line("珀莱雅", "双抗精华 3.0", 239, 339, "Double Resist Serum 3.0", "抗氧抗糖", {"功效": "抗氧化", "适用肤质": "所有肤质"}),
            Line("修丽可", "CE精华", 1180, 1580, "C E Ferulic", "15%维C抗氧化", {"功效": "抗氧化", "适用肤质": "中性及油性肌肤"}),
            Line("欧莱雅", "黑精华", 299, 459, "Youth Code Serum", "肌底修护", {"功效": "修护", "适用肤质": "所有肤质"}),
        ),
        ("{功效}效果明显，质地清爽水润，一抹就吸收。",
         "{适用肤质}可用，打底后面霜更好推开。",
         "本款为{规格}规格，用完还有人回购。"),
        ("熬夜加班、换季不稳定的时候尤其需要。", "二十五岁后开始抗初老的入门之选。"),
        ("精华", "修护", "抗氧化", "护肤品"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"),
        mult={"50ml": 1.4, "100ml": 2.2}),
    Sub("skincare", "面膜", "Face Mask", ("补水面膜", "Hydrating Sheet Mask"),
        {"规格": ("5片", "10片", "20片")},
        (
            Line("可复美", "胶原棒面膜", 99, 159, "Collagen Mask", "重组胶原蛋白修护", {"功效": "修护"}),
            Line("薇诺娜", "舒敏面膜", 89, 139, "Soothing Mask", "舒缓敏感泛红", {"功效": "舒缓"}),
            Line("百雀羚", "水嫩面膜", 49, 79, "Hydrating Mask", "深层补水", {"功效": "补水"}),
            Line("自然堂", "冰肌面膜", 59, 99, "Ice Mask", "冰肌补水", {"功效": "补水保湿"}),
            Line("珀莱雅", "源力面膜", 79, 129, "Energy Mask", "修护补水", {"功效": "修护"}),
        ),
        ("精华液足量，{功效}效果立竿见影，敷完脸蛋水润透亮。",
         "{规格}装，一周两到三次，刚好用一个月。",
         "膜布轻薄贴合，敷上后不滑落，不耽误做事。"),
        ("熬夜后、化妆前急救补水的好帮手。", "学生党和上班族都能入手的平价好物。"),
        ("面膜", "补水", "修护", "敏感肌"), title=("{head} {kw} {规格}装", "{head} {kw} {规格}"),
        mult={"10片": 1.8, "20片": 3.2}),
    Sub("skincare", "防晒", "Sunscreen", ("清爽防晒霜", "Sunscreen"),
        {"规格": ("50ml", "60ml", "90ml")},
        (
            Line("安耐晒", "小金瓶", 199, 299, "Perfect UV Sunscreen", "SPF50+ PA++++强效防晒", {"防晒指数": "SPF50+ PA++++"}),
            Line("理肤泉", "大哥大防晒", 199, 279, "Anthelios UVMune 400", "敏感肌可用", {"防晒指数": "SPF50+ PA++++"}),
            Line("碧柔", "水活防晒", 69, 99, "UV Aqua Rich", "轻薄水感", {"防晒指数": "SPF50+ PA++++"}),
            Line("薇诺娜", "清透防晒乳", 129, 189, "Clear Sunscreen", "物化结合温和防晒", {"防晒指数": "SPF48 PA+++"}),
        ),
        ("防晒指数{防晒指数}，户外暴晒几小时也不怕晒黑。",
         "质地轻薄不油腻，上脸清透不搓泥，可以直接当妆前乳用。",
         "防水防汗，海边游泳也能坚持很久。"),
        ("夏日出游、军训、日常通勤都要涂防晒。", "防晒是最好的抗老，一年四季都建议使用。"),
        ("防晒", "防晒霜", "清爽", "防水"), title=("{head} {kw} {防晒指数} {规格}", "{head} {kw} {防晒指数} {规格}"),
        mult={"60ml": 1.1, "90ml": 1.4}, per_line=3),
    Sub("skincare", "洁面", "Cleanser", ("氨基酸洗面奶", "Amino Acid Cleanser"),
        {"规格": ("100g", "150g")},
        (
            Line("芙丽芳丝", "净润洗面霜", 99, 139, "Amino Acid Cleansing Wash", "氨基酸温和清洁", {"适用肤质": "敏感肌"}),
            Line("珂润", "洁颜泡沫", 89, 129, "Foaming Wash", "绵密泡沫", {"适用肤质": "干敏肌"}),
            Line("理肤泉", "清痘净肤洁面", 129, 189, "Effaclar Cleanser", "控油清痘", {"适用肤质": "油痘肌"}),
            Line("欧莱雅", "男士控油洁面", 49, 79, "Men Expert Cleanser", "男士控油", {"适用肤质": "男士油性肌肤"}),
        ),
        ("氨基酸配方洗得干净不紧绷，{适用肤质}也能放心用。",
         "起泡丰富细腻，一小粒就能洗全脸。",
         "{规格}大容量，早晚使用能用两三个月。"),
        ("早晚洁面必备，清洁做好后续护肤更吸收。", "学生党平价好用的洗面奶。"),
        ("洗面奶", "洁面", "氨基酸", "温和"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"), mult={"150g": 1.3},
        per_line=2),
    Sub("skincare", "口红", "Lipstick", ("哑光口红", "Matte Lipstick"),
        {"色号": ("#999正红色", "#888枫叶红", "#196豆沙色", "#505奶茶色", "#314烂番茄色")},
        (
            Line("迪奥", "烈艳蓝金唇膏", 330, 390, "Rouge Dior", "经典999正红", {"质地": "哑光"}),
            Line("圣罗兰", "小金条口红", 350, 420, "Rouge Pur Couture The Slim", "方管丝绒哑光", {"质地": "丝绒哑光"}),
            Line("阿玛尼", "红管唇釉", 320, 380, "Lip Maestro", "丝绒唇釉", {"质地": "丝绒"}),
            Line("MAC", "子弹头口红", 170, 230, "Powder Kiss Lipstick", "经典色号齐全", {"质地": "哑光"}),
            Line("花西子", "同心锁口红", 169, 219, "Lock Lipstick", "东方雕花工艺", {"质地": "柔雾"}),
            Line("完美日记", "小细跟口红", 79, 119, "Rouge Lipstick", "平价大牌质感", {"质地": "哑光"}),
        ),
        ("{色号}显白又提气色，黄皮也能轻松驾驭。",
         "{质地}质地，上唇顺滑不拔干，持久不易掉色。",
         "外壳精致有质感，随身补妆也很有仪式感。"),
        ("约会、通勤、派对都能找到合适的色号。", "情人节、生日送女友的经典礼物。"),
        ("口红", "彩妆", "显白", "礼物"), title=("{head} {kw} {色号}", "{head} {kw} {色号}"), per_line=3),
    Sub("skincare", "粉底液", "Foundation", ("持妆粉底液", "Long-wear Foundation"),
        {"色号": ("1C0冷调白", "1W1暖调自然", "2W0暖调象牙")},
        (
            Line("雅诗兰黛", "DW持妆粉底液", 410, 480, "Double Wear Foundation", "24小时持妆", {"妆效": "雾面"}),
            Line("兰蔻", "持妆粉底液", 420, 520, "Teint Idole Foundation", "轻薄持妆", {"妆效": "哑光"}),
            Line("花西子", "玉容粉底液", 199, 269, "Jade Foundation", "养肤成分", {"妆效": "水光"}),
            Line("完美日记", "小黑钻粉底液", 99, 149, "Black Diamond Foundation", "平价持妆", {"妆效": "雾面"}),
        ),
        ("{妆效}妆效自然服帖，遮瑕力强又不厚重。",
         "{色号}适合大多数亚洲肤色，不挑肤色。",
         "控油持妆一整天，下班前补一次粉就够了。"),
        ("上班通勤、婚礼宴会都能撑住全天妆容。", "新手化妆也能轻松打造干净底妆。"),
        ("粉底液", "彩妆", "持妆", "遮瑕"), title=("{head} {kw} {色号}", "{head} {kw} {色号}"), per_line=3),
]

# --- baby ------------------------------------------------------------------------------------------------
INTRO["baby"] = (
    "{head}{kw}，{hl}，宝宝用得舒服，妈妈更放心。",
    "新手爸妈都在囤的{head}：{hl}，口碑很好。",
)
CLOSING["baby"] = ("品牌官方授权，正品保障，保质期新鲜。", "母婴专属客服在线，育儿问题也可以随时咨询。")
SUBS += [
    Sub("baby", "纸尿裤", "Diapers", ("纸尿裤", "Diapers"),
        {"尺码": ("NB", "S", "M", "L", "XL"), "包装": ("单包", "整箱")},
        (
            Line("帮宝适", "一级帮", 139, 189, "Ichiban", "日本进口的超薄透气", {"片数": "约60片"}),
            Line("帮宝适", "黑金帮", 169, 229, "Black Gold", "云朵般柔软", {"片数": "约56片"}),
            Line("花王", "妙而舒", 109, 149, "Merries", "日本原装与柔软透气", {"片数": "约64片"}),
            Line("好奇", "心钻装", 129, 179, "Platinum", "超薄干爽", {"片数": "约62片"}),
            Line("大王", "光羽", 119, 169, "Hikari", "轻薄透气", {"片数": "约66片"}),
            Line("babycare", "皇室弱酸", 129, 189, "Royal Weak Acid", "弱酸亲肤", {"片数": "约60片"}),
        ),
        ("{尺码}码{片数}，吸收快、不回渗，整夜都干爽。",
         "表层柔软亲肤，宝宝娇嫩的小屁屁不易红。",
         "腰围弹力贴合，宝宝翻身爬行也不侧漏。",
         "本款为{包装}装，囤货更划算。"),
        ("新生儿到学步期都有对应尺码可选。", "夜间长时间睡眠也能保持干爽，妈妈睡个好觉。"),
        ("纸尿裤", "尿不湿", "透气", "干爽", "新生儿"),
        title=("{head} {kw} {尺码}码 {包装}", "{head} {kw} Size {尺码} {包装}"), mult={"整箱": 3.6}, per_line=4),
    Sub("baby", "奶粉", "Infant Formula", ("婴幼儿配方奶粉", "Infant Formula"),
        {"段数": ("1段", "2段", "3段"), "规格": ("800g", "800g×6罐")},
        (
            Line("飞鹤", "星飞帆", 239, 299, "Starship", "更适合中国宝宝体质", {"奶源": "国产黄金奶源带"}),
            Line("飞鹤", "臻稚", 339, 429, "Zhenzhi", "有机奶源", {"奶源": "国产有机奶源"}),
            Line("君乐宝", "至臻", 199, 269, "Zhizhen", "高性价比国产奶粉", {"奶源": "国产自有牧场"}),
            Line("伊利", "金领冠 珍护", 249, 329, "Jinlingguan", "母乳研究成果", {"奶源": "国产奶源"}),
            Line("爱他美", "卓萃", 339, 429, "Aptamil Profutura", "德国进口配方", {"奶源": "欧洲奶源"}),
            Line("a2", "紫白金", 249, 329, "Platinum", "天然A2蛋白", {"奶源": "新西兰奶源"}),
            Line("惠氏", "启赋", 319, 399, "Illuma", "OPO结构脂", {"奶源": "爱尔兰奶源"}),
        ),
        ("{奶源}，{段数}配方贴近母乳营养。",
         "添加DHA、ARA与乳铁蛋白，助力宝宝大脑发育和保护力。",
         "易冲调不结块，宝宝喝着不上火，大便更顺畅。",
         "本款为{规格}，请按月龄选择对应段数。"),
        ("0-6个月选1段、6-12个月选2段、1-3岁选3段。", "母乳不足或转奶阶段的放心之选。"),
        ("奶粉", "婴儿奶粉", "DHA", "母婴"),
        title=("{head} {kw} {段数} {规格}", "{head} {kw} {段数} {规格}"), mult={"800g×6罐": 5.4}, per_line=4),
    Sub("baby", "婴儿推车", "Baby Stroller", ("轻便婴儿推车", "Lightweight Stroller"),
        {"颜色": ("曜石黑", "雾霾蓝", "燕麦色")},
        (
            Line("好孩子", "口袋车", 599, 899, "Pockit", "一键收车可登机", {"重量": "5.8kg"}),
            Line("Babyzen", "YOYO2", 3999, 4999, "", "可登机的小巧推车", {"重量": "6.2kg"}),
            Line("babycare", "高景观推车", 1299, 1799, "High View Stroller", "高景观双向推行", {"重量": "8.9kg"}),
            Line("宝宝好", "V8", 399, 599, "V8", "可坐可躺的轻便推车", {"重量": "6.5kg"}),
            Line("虎贝尔", "遛娃神器", 499, 799, "Baby Walker Stroller", "溜娃神器", {"重量": "5.5kg"}),
        ),
        ("整车仅{重量}，单手就能折叠收车，坐电梯上下楼方便。",
         "五点式安全带与全包围护栏，宝宝坐着更安全。",
         "遮阳篷可大角度展开，夏天出门不怕晒。",
         "{颜色}配色耐脏好看，街拍也很出片。"),
        ("6个月到3岁的宝宝都能使用，出门遛娃、旅行都方便。", "放进汽车后备箱不占地方，家庭出游必备。"),
        ("婴儿车", "推车", "轻便", "可折叠"), per_line=3),
    Sub("baby", "安全座椅", "Car Seat", ("儿童安全座椅", "Child Car Seat"),
        {"颜色": ("黑色", "灰色", "红色")},
        (
            Line("好孩子", "CS768", 1299, 1599, "", "ISOFIX接口与360度旋转", {"适用年龄": "0-4岁"}),
            Line("Britax", "双面骑士", 2999, 3599, "Dualfix", "双向安装", {"适用年龄": "0-4岁"}),
            Line("babycare", "安全座椅", 1599, 1999, "Car Seat", "i-Size认证", {"适用年龄": "0-7岁"}),
            Line("惠尔顿", "智转", 1999, 2499, "Zhizhuan", "一键旋转", {"适用年龄": "0-7岁"}),
        ),
        ("{适用年龄}可用，一座陪伴宝宝成长多年。",
         "ISOFIX硬接口安装简单牢固，新手爸妈也不怕装错。",
         "侧撞防护设计，为宝宝头颈部提供更多保护。"),
        ("自驾出行、接送宝宝上下学必备。", "安全无小事，宝宝坐车一定要用安全座椅。"),
        ("安全座椅", "ISOFIX", "儿童座椅", "出行"), per_line=2),
    Sub("baby", "奶瓶", "Baby Bottle", ("宽口径奶瓶", "Wide-neck Baby Bottle"),
        {"容量": ("160ml", "240ml", "330ml")},
        (
            Line("贝亲", "自然实感第三代", 89, 139, "SofTouch III", "仿母乳实感奶嘴", {"材质": "PPSU"}),
            Line("可么多么", "硅胶奶瓶", 159, 199, "Comotomo", "全硅胶防胀气", {"材质": "硅胶"}),
            Line("Hegen", "多功能奶瓶", 199, 269, "PCTO", "方便储奶的多功能设计", {"材质": "PPSU"}),
            Line("世喜", "玻璃奶瓶", 79, 119, "Glass Bottle", "防胀气玻璃奶瓶", {"材质": "玻璃"}),
        ),
        ("{材质}材质，耐高温可蒸煮消毒。",
         "{容量}容量，防胀气奶嘴让宝宝喝奶更顺畅。",
         "宽口径设计，冲奶、清洗都方便。"),
        ("新生儿到断奶期都能用。", "母乳和奶粉喂养都适合，出门携带方便。"),
        ("奶瓶", "防胀气", "宽口径"), title=("{head} {kw} {容量}", "{head} {kw} {容量}"), per_line=3),
]
EN.update({"单包": "Single Pack", "整箱": "Case", "1段": "Stage 1", "2段": "Stage 2", "3段": "Stage 3",
           "800g×6罐": "800g x 6 Cans", "雾霾蓝": "Haze Blue", "燕麦色": "Oat", "曜石黑": "Obsidian Black",
           "#999正红色": "#999 Red", "#888枫叶红": "#888 Maple Red", "#196豆沙色": "#196 Rose Beige",
           "#505奶茶色": "#505 Milk Tea", "#314烂番茄色": "#314 Brick Red", "1C0冷调白": "1C0 Cool Ivory",
           "1W1暖调自然": "1W1 Warm Natural", "2W0暖调象牙": "2W0 Warm Vanilla"})
BRAND_EN.update({"可么多么": "Comotomo", "达利园": "Daliyuan", "宝宝好": "Baobaohao", "虎贝尔": "Hubei'er", "惠尔顿": "Welldon", "世喜": "thyseed",
                 "碧柔": "Biore"})

# --- snacks ----------------------------------------------------------------------------------------------
INTRO["snacks"] = (
    "{head}{kw}，{hl}，一打开就停不下来。",
    "办公室囤货清单上少不了{head}：{hl}，大人孩子都爱吃。",
)
CLOSING["snacks"] = ("新鲜日期直发，收到后请放置阴凉干燥处保存。", "食品类商品拆封后不支持无理由退货，质量问题包退。")
SUBS += [
    Sub("snacks", "坚果", "Nuts", ("每日坚果", "Mixed Nuts"),
        {"规格": ("250g", "500g", "750g×30袋")},
        (
            Line("三只松鼠", "每日坚果", 39.9, 59.9, "Daily Nuts", "六种坚果果干科学配比", {"口味": "原味混合"}),
            Line("三只松鼠", "夏威夷果", 25.9, 39.9, "Macadamia Nuts", "奶油口味开口易剥", {"口味": "奶油味"}),
            Line("良品铺子", "碧根果", 29.9, 45.9, "Pecans", "颗粒饱满的长寿果", {"口味": "奶油味"}),
            Line("百草味", "每日坚果", 35.9, 55.9, "Daily Nuts", "独立小包装", {"口味": "原味混合"}),
            Line("洽洽", "小黄袋每日坚果", 45.9, 69.9, "Daily Nuts", "锁鲜小包装", {"口味": "原味混合"}),
            Line("沃隆", "每日坚果", 49.9, 79.9, "Daily Nuts", "坚果行业开创者", {"口味": "原味混合"}),
        ),
        ("{口味}，颗粒饱满香脆，每一口都很满足。",
         "独立小包装，{规格}规格，携带方便也不怕受潮。",
         "低温烘焙锁住营养，不添加多余油脂。"),
        ("上班下午茶、孩子课间加餐、追剧零嘴都合适。", "逢年过节送礼也很体面。"),
        ("坚果", "零食", "健康零食", "独立包装"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"),
        mult={"500g": 1.8, "750g×30袋": 2.8}),
    Sub("snacks", "零食大礼包", "Snack Gift Box", ("零食大礼包", "Snack Gift Pack"),
        {"规格": ("20包", "40包", "60包")},
        (
            Line("三只松鼠", "零食大礼包", 49.9, 69.9, "Snack Gift Pack", "多种口味一次吃遍", {"口味": "混合口味"}),
            Line("良品铺子", "零食大礼包", 59.9, 79.9, "Snack Gift Pack", "高端零食品牌", {"口味": "混合口味"}),
            Line("百草味", "零食大礼包", 45.9, 65.9, "Snack Gift Pack", "零食组合装", {"口味": "混合口味"}),
            Line("卫龙", "辣条大礼包", 29.9, 49.9, "Latiao Gift Pack", "经典辣条", {"口味": "香辣味"}),
            Line("卫龙", "大面筋", 9.9, 15.9, "Spicy Gluten Strips", "国民辣条", {"口味": "香辣味"}, {"规格": ("10包", "20包")},
                 kw=("辣条", "Latiao")),
            Line("洽洽", "香瓜子", 9.9, 19.9, "Sunflower Seeds", "经典五香瓜子", {"口味": "五香味"}, {"规格": ("260g", "500g")},
                 kw=("瓜子", "Sunflower Seeds")),
            Line("旺旺", "大礼包", 39.9, 69.9, "Gift Pack", "童年回忆", {"口味": "混合口味"}),
        ),
        ("{规格}混合装，{口味}，每天换着吃不重样。",
         "精选热门零食组合，打开就像拆盲盒一样惊喜。",
         "包装喜庆，直接拿去送人也很体面。"),
        ("过年走亲戚、孩子生日、宿舍分享都合适。", "给异地的朋友寄一箱零食，惊喜满满。"),
        ("零食大礼包", "零食", "送礼", "整箱"), title=("{head} {kw} {规格}装", "{head} {kw} {规格}"),
        mult={"40包": 1.7, "60包": 2.4}),
    Sub("snacks", "肉干卤味", "Jerky & Braised Snacks", ("肉干卤味", "Jerky Snacks"),
        {"口味": ("香辣味", "五香味", "甜辣味"), "规格": ("200g", "500g")},
        (
            Line("周黑鸭", "鸭脖", 29.9, 49.9, "Duck Neck", "锁鲜卤制", {"储存": "冷藏"}),
            Line("王小卤", "虎皮凤爪", 29.9, 45.9, "Tiger Skin Chicken Feet", "先炸后卤", {"储存": "常温"}),
            Line("良品铺子", "手撕牛肉", 39.9, 69.9, "Shredded Beef Jerky", "精选牛肉", {"储存": "常温"}),
            Line("三只松鼠", "猪肉脯", 25.9, 39.9, "Pork Jerky", "靖江风味", {"储存": "常温"}),
            Line("科尔沁", "风干牛肉干", 49.9, 79.9, "Air-dried Beef Jerky", "内蒙古草原牛肉", {"储存": "常温"}),
        ),
        ("{口味}入味，嚼劲十足，越吃越香。",
         "{规格}装，{储存}保存，随时想吃就吃。",
         "选用新鲜原料，无多余添加，吃着放心。"),
        ("追剧、看球、熬夜加班的最佳拍档。", "出门旅行、长途自驾带上一包很解馋。"),
        ("卤味", "肉干", "零食", "下酒菜"), mult={"500g": 2.2}),
    Sub("snacks", "饮料", "Drinks", ("饮料", "Drinks"),
        {"规格": ("500ml×15瓶", "500ml×24瓶")},
        (
            Line("农夫山泉", "东方树叶 乌龙茶", 49.9, 69.9, "Oriental Leaf Oolong Tea", "0糖0卡原味茶", {"类型": "无糖茶"}),
            Line("农夫山泉", "东方树叶 茉莉花茶", 49.9, 69.9, "Oriental Leaf Jasmine Tea", "0糖0卡原味茶", {"类型": "无糖茶"}),
            Line("元气森林", "白桃味气泡水", 49.9, 69.9, "Peach Sparkling Water", "0糖0脂0卡", {"类型": "气泡水"}),
            Line("元气森林", "外星人电解质水", 59.9, 79.9, "Alienergy Electrolyte Water", "电解质快速补水", {"类型": "电解质水"}),
            Line("农夫山泉", "天然水", 19.9, 35.9, "Natural Water", "天然弱碱性水", {"类型": "饮用水"}),
            Line("三得利", "乌龙茶", 49.9, 69.9, "Oolong Tea", "经典无糖乌龙", {"类型": "无糖茶"}),
        ),
        ("{类型}，口感清爽，冰镇后更好喝。",
         "{规格}整箱装，放在家里和办公室随手拿。",
         "配料干净，喝得健康没有负担。"),
        ("运动后、吃火锅、夏天解暑都来一瓶。", "家庭聚会、公司团建整箱囤货更划算。"),
        ("饮料", "饮品", "无糖", "整箱"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"),
        mult={"500ml×24瓶": 1.5}, per_line=2),
    Sub("snacks", "咖啡", "Coffee", ("咖啡", "Coffee"),
        {"规格": ("12颗", "24颗", "48颗")},
        (
            Line("三顿半", "超即溶精品咖啡", 69.9, 99.9, "Instant Specialty Coffee", "3秒冷萃即溶", {"类型": "冻干咖啡"}),
            Line("雀巢", "金牌黑咖啡", 49.9, 79.9, "Gold Black Coffee", "冻干速溶", {"类型": "速溶黑咖啡"}),
            Line("隅田川", "挂耳咖啡", 39.9, 69.9, "Drip Coffee", "现磨口感", {"类型": "挂耳咖啡"}),
            Line("永璞", "冷萃咖啡液", 59.9, 89.9, "Cold Brew Concentrate", "冷萃咖啡液", {"类型": "咖啡液"}),
        ),
        ("{类型}，冷水热水都能快速溶解，香气浓郁。",
         "{规格}装，每天一杯，能喝上好几周。",
         "0添加蔗糖，健身减脂期也能放心喝。"),
        ("早起提神、下午犯困、加班赶工来一杯。", "办公室、出差、露营都能随时冲一杯好咖啡。"),
        ("咖啡", "提神", "黑咖啡", "速溶"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"),
        mult={"24颗": 1.6, "48颗": 2.0}),
    Sub("snacks", "饼干糕点", "Biscuits & Pastries", ("饼干糕点", "Biscuits"),
        {"规格": ("500g", "1000g")},
        (
            Line("奥利奥", "夹心饼干", 9.9, 19.9, "Sandwich Cookies", "扭一扭舔一舔泡一泡", {"口味": "原味"}),
            Line("好丽友", "派", 25.9, 39.9, "Choco Pie", "巧克力派", {"口味": "巧克力味"}),
            Line("徐福记", "沙琪玛", 12.9, 19.9, "Sachima", "松软香甜", {"口味": "鸡蛋味"}),
            Line("达利园", "法式软面包", 19.9, 29.9, "French Soft Bread", "早餐好伴侣", {"口味": "香橙味"}),
            Line("良品铺子", "手撕面包", 25.9, 39.9, "Hand-torn Bread", "松软手撕", {"口味": "原味"}),
        ),
        ("{口味}，松软香甜，老少皆宜。",
         "{规格}量贩装，独立小包装不怕受潮。",
         "早餐配牛奶、下午茶配咖啡都很合适。"),
        ("早上来不及吃饭时，拿两块就能出门。", "孩子放学回家的解馋小零食。"),
        ("饼干", "糕点", "早餐", "零食"), title=("{head} {kw} {口味} {规格}", "{head} {kw} {规格}"),
        mult={"1000g": 1.8}, per_line=2),
]
EN.update({"750g×30袋": "750g (30 packs)", "500ml×15瓶": "500ml x 15", "500ml×24瓶": "500ml x 24",
           "12颗": "12 Capsules", "10包": "10 Packs", "260g": "260g", "24颗": "24 Capsules", "48颗": "48 Capsules", "香辣味": "Spicy",
           "五香味": "Five-spice", "甜辣味": "Sweet & Spicy", "20包": "20 Packs", "40包": "40 Packs", "60包": "60 Packs"})
BRAND_EN.update({"沃隆": "Wolong", "科尔沁": "Kerchin", "三得利": "Suntory", "隅田川": "Sumida River",
                 "永璞": "Yongpu"})

# --- books -----------------------------------------------------------------------------------------------
INTRO["books"] = (
    "《{model}》，{hl}，值得反复阅读。",
    "{brand}出版的《{model}》，{hl}，是书架上不可缺少的一本。",
    "推荐一本好书《{model}》：{hl}，豆瓣评分很高。",
)
CLOSING["books"] = ("正版图书，塑封发货，书角有磕碰可联系客服补发。", "满99元包邮，多本合购更优惠。")
BOOK_OPTS = {"版本": ("平装", "精装")}
BOOK_MULT = {"精装": 1.35, "精装全2册": 1.35, "精装全3册": 1.35, "典藏版全3册": 1.6, "精装全20册": 1.9}


def _book(publisher: str, title: str, title_en: str, author: str, author_en: str, lo: float, hi: float,
          hl: str, versions: tuple[str, ...] = ("平装", "精装")) -> Line:
    """A book; the publisher is its brand, the book title its model."""
    EN[author] = author_en
    return Line(publisher, title, lo, hi, en=title_en, hl=hl, attrs={"作者": author}, opts={"版本": versions})


BOOK_TITLE = ("《{model}》 {作者} 著 {brand} {版本}", "{model} by {作者} ({brand}, {版本})")
SUBS += [
    Sub("books", "文学小说", "Fiction", ("文学小说", "Fiction"), BOOK_OPTS,
        (
            _book("人民文学出版社", "红楼梦", "Dream of the Red Chamber", "曹雪芹", "Cao Xueqin", 39.9, 69.9,
                  "中国古典小说的巅峰之作", ("平装全2册", "精装全2册")),
            _book("人民文学出版社", "围城", "Fortress Besieged", "钱钟书", "Qian Zhongshu", 29.9, 39.9, "幽默犀利的婚姻与人生寓言"),
            _book("作家出版社", "活着", "To Live", "余华", "Yu Hua", 25.9, 45.9, "讲述人如何去承受巨大的苦难"),
            _book("重庆出版社", "三体全集", "The Three-Body Problem Trilogy", "刘慈欣", "Liu Cixin", 69.9, 119.9,
                  "中国科幻的里程碑", ("平装全3册", "典藏版全3册")),
            _book("北京十月文艺出版社", "平凡的世界", "Ordinary World", "路遥", "Lu Yao", 69.9, 109.9,
                  "激励了几代人的茅盾文学奖作品", ("平装全3册", "精装全3册")),
            _book("南海出版公司", "百年孤独", "One Hundred Years of Solitude", "加西亚·马尔克斯", "Gabriel Garcia Marquez",
                  39.9, 59.9, "魔幻现实主义的经典"),
            _book("人民文学出版社", "朝花夕拾", "Dawn Blossoms Plucked at Dusk", "鲁迅", "Lu Xun", 15.9, 25.9,
                  "初中语文必读名著"),
            _book("译林出版社", "月亮与六便士", "The Moon and Sixpence", "毛姆", "W. Somerset Maugham", 25.9, 39.9,
                  "关于理想与现实的永恒追问"),
            _book("湖南文艺出版社", "云边有个小卖部", "A Little Shop by the Clouds", "张嘉佳", "Zhang Jiajia", 29.9, 45.9,
                  "温暖治愈的成长故事", ("平装",)),
            _book("人民文学出版社", "西游记", "Journey to the West", "吴承恩", "Wu Cheng'en", 39.9, 59.9,
                  "家喻户晓的神魔小说", ("平装全2册", "精装全2册")),
            _book("人民文学出版社", "骆驼祥子", "Rickshaw Boy", "老舍", "Lao She", 19.9, 29.9, "老北京车夫的命运悲歌"),
            _book("作家出版社", "许三观卖血记", "Chronicle of a Blood Merchant", "余华", "Yu Hua", 25.9, 39.9,
                  "笑中带泪的平民史诗"),
            _book("南海出版公司", "解忧杂货店", "The Miracles of the Namiya General Store", "东野圭吾", "Keigo Higashino",
                  29.9, 45.9, "温暖人心的治愈系小说"),
            _book("人民文学出版社", "哈利·波特与魔法石", "Harry Potter and the Philosopher's Stone", "J.K.罗琳",
                  "J. K. Rowling", 35.9, 59.9, "风靡全球的奇幻经典"),
            _book("人民文学出版社", "边城", "Border Town", "沈从文", "Shen Congwen", 19.9, 29.9, "湘西风情的诗意书写"),
        ),
        ("作者{作者}以细腻的笔触，写尽了人生的悲欢离合。",
         "本书为{版本}，纸张厚实、印刷清晰，适合收藏。",
         "故事情节引人入胜，一旦翻开就停不下来。"),
        ("适合学生课外阅读，也适合成年人静下心来慢慢品味。", "送给爱读书的朋友，是一份有分量的礼物。"),
        ("小说", "文学", "名著", "经典"), title=BOOK_TITLE, mult=BOOK_MULT, per_line=2),
    Sub("books", "社科经管", "Social Science & Business", ("社科经管", "Non-fiction"), BOOK_OPTS,
        (
            _book("中信出版社", "人类简史", "Sapiens", "尤瓦尔·赫拉利", "Yuval Noah Harari", 49.9, 68.9, "从认知革命讲起的人类大历史"),
            _book("中信出版社", "原则", "Principles", "瑞·达利欧", "Ray Dalio", 59.9, 98.9, "桥水基金创始人的生活与工作原则"),
            _book("上海人民出版社", "置身事内", "Inside the System", "兰小欢", "Lan Xiaohuan", 39.9, 65.9,
                  "理解中国政府与经济发展的入门书"),
            _book("中信出版社", "穷查理宝典", "Poor Charlie's Almanack", "查理·芒格", "Charlie Munger", 69.9, 99.9,
                  "投资大师芒格的智慧箴言"),
            _book("机械工业出版社", "影响力", "Influence", "罗伯特·西奥迪尼", "Robert Cialdini", 49.9, 79.9,
                  "社会心理学经典"),
            _book("商务印书馆", "乡土中国", "From the Soil", "费孝通", "Fei Xiaotong", 19.9, 35.9, "认识中国基层社会的经典"),
            _book("天津人民出版社", "被讨厌的勇气", "The Courage to Be Disliked", "岸见一郎", "Ichiro Kishimi", 35.9, 55.9,
                  "阿德勒心理学的通俗解读"),
            _book("中信出版社", "枪炮、病菌与钢铁", "Guns, Germs, and Steel", "贾雷德·戴蒙德", "Jared Diamond",
                  59.9, 89.9, "解释人类社会命运的经典"),
            _book("中信出版社", "纳瓦尔宝典", "The Almanack of Naval Ravikant", "埃里克·乔根森", "Eric Jorgenson",
                  39.9, 65.9, "关于财富与幸福的思考"),
        ),
        ("作者{作者}用通俗易懂的语言，把复杂的道理讲得清清楚楚。",
         "本书为{版本}，排版舒适，适合通勤路上阅读。",
         "书中大量真实案例，读完能直接用到工作和生活中。"),
        ("职场人提升认知、大学生拓展视野的必读书。", "每天读一章，一个月就能读完，收获满满。"),
        ("社科", "经管", "畅销书", "认知"), title=BOOK_TITLE, mult=BOOK_MULT, per_line=2),
    Sub("books", "童书", "Children's Books", ("童书", "Children's Books"), BOOK_OPTS,
        (
            _book("南海出版公司", "窗边的小豆豆", "Totto-chan: The Little Girl at the Window", "黑柳彻子", "Tetsuko Kuroyanagi",
                  25.9, 39.9, "影响千万家长的教育经典", ("平装",)),
            _book("贵州人民出版社", "神奇校车", "The Magic School Bus", "乔安娜·柯尔", "Joanna Cole", 99.9, 169.9,
                  "寓教于乐的科普绘本", ("平装全12册", "精装全20册")),
            _book("二十一世纪出版社", "米小圈上学记", "Mi Xiaoquan Goes to School", "北猫", "Bei Mao", 49.9, 89.9,
                  "孩子爱不释手的校园故事", ("一年级全4册", "二年级全4册")),
            _book("人民文学出版社", "小王子", "The Little Prince", "圣埃克苏佩里", "Antoine de Saint-Exupery", 19.9, 35.9,
                  "写给大人和孩子的经典童话"),
            _book("二十一世纪出版社", "猜猜我有多爱你", "Guess How Much I Love You", "山姆·麦克布雷尼", "Sam McBratney",
                  29.9, 45.9, "亲子共读的经典绘本", ("平装", "精装")),
            _book("湖南文艺出版社", "可怕的科学", "Horrible Science", "尼克·阿诺德", "Nick Arnold", 129.9, 199.9,
                  "让孩子爱上科学的趣味读物", ("全20册",)),
        ),
        ("图文并茂，故事生动有趣，孩子一看就入迷。",
         "本书为{版本}，纸张环保无异味，色彩印刷鲜艳。",
         "{作者}的作品在全球畅销多年，经过无数家庭的检验。"),
        ("适合3-12岁孩子阅读，亲子共读效果更好。", "寒暑假阅读、睡前故事都很合适。"),
        ("童书", "绘本", "亲子阅读", "儿童"), title=BOOK_TITLE, mult=BOOK_MULT, per_line=2),
    Sub("books", "教辅考试", "Study Guides", ("教辅", "Study Guide"), {"版本": ("语文", "数学", "英语")},
        (
            _book("首都师范大学出版社", "五年高考三年模拟 高中", "5-Year Gaokao 3-Year Mock (High School)", "曲一线",
                  "Qu Yixian", 49.9, 69.9, "高考备考必备习题集", ("语文", "数学", "英语")),
            _book("首都师范大学出版社", "五年中考三年模拟", "5-Year Zhongkao 3-Year Mock", "曲一线", "Qu Yixian",
                  39.9, 59.9, "中考复习经典", ("语文", "数学", "英语")),
            _book("外语教学与研究出版社", "新概念英语", "New Concept English", "亚历山大", "L. G. Alexander", 29.9, 49.9,
                  "几代人学英语的经典教材", ("第一册", "第二册", "第三册")),
            _book("人民邮电出版社", "考研数学复习全书", "Postgraduate Math Review", "李永乐", "Li Yongle", 69.9, 99.9,
                  "考研数学备考首选", ("数学一", "数学二", "数学三")),
        ),
        ("{版本}分册紧扣最新考试大纲，题型全面，讲解详细。",
         "每道题都有详细解析，自学也能看懂。",
         "按考点分类编排，方便查漏补缺、专项突破。"),
        ("备考学生刷题提分的好帮手。", "老师推荐、学长学姐都在用的经典教辅。"),
        ("教辅", "考试", "习题", "备考"), title=BOOK_TITLE, per_line=3),
    Sub("books", "计算机编程", "Computer Science", ("计算机编程", "Programming"), {"版本": ("平装",)},
        (
            _book("人民邮电出版社", "Python编程：从入门到实践", "Python Crash Course", "埃里克·马瑟斯", "Eric Matthes",
                  69.9, 109.9, "零基础学Python的畅销书", ("第3版",)),
            _book("机械工业出版社", "深入理解计算机系统", "Computer Systems: A Programmer's Perspective", "兰德尔·布莱恩特",
                  "Randal E. Bryant", 109.9, 139.9, "程序员的必读经典", ("第3版",)),
            _book("机械工业出版社", "算法导论", "Introduction to Algorithms", "托马斯·科尔曼", "Thomas H. Cormen", 99.9, 128.9,
                  "算法领域的圣经", ("第3版",)),
            _book("人民邮电出版社", "深度学习", "Deep Learning", "伊恩·古德费洛", "Ian Goodfellow", 129.9, 168.9,
                  "深度学习领域的权威教材", ("精装",)),
            _book("人民邮电出版社", "机器学习实战", "Machine Learning in Action", "彼得·哈林顿", "Peter Harrington", 49.9,
                  79.9, "动手实践的机器学习入门", ("平装",)),
            _book("清华大学出版社", "机器学习", "Machine Learning", "周志华", "Zhou Zhihua", 69.9, 88.0,
                  "人称西瓜书的机器学习入门教材", ("平装",)),
        ),
        ("{作者}的经典之作，理论与实践结合，示例代码丰富。",
         "从基础概念讲到项目实战，循序渐进，零基础也能跟上。",
         "本书为{版本}，被国内外众多高校选为教材。"),
        ("计算机专业学生和转行程序员的入门必读。", "放在工位上随时翻阅，工作中遇到问题常能找到答案。"),
        ("编程", "计算机", "技术书", "教材"), title=BOOK_TITLE, per_line=1),
]
EN.update({"平装": "Paperback", "精装": "Hardcover", "平装全2册": "Paperback, 2 vols", "精装全2册": "Hardcover, 2 vols",
           "平装全3册": "Paperback, 3 vols", "精装全3册": "Hardcover, 3 vols", "典藏版全3册": "Collector's Edition, 3 vols",
           "平装全12册": "Paperback, 12 vols", "精装全20册": "Hardcover, 20 vols", "一年级全4册": "Grade 1, 4 vols",
           "二年级全4册": "Grade 2, 4 vols", "全20册": "20 vols", "语文": "Chinese", "数学": "Math", "英语": "English",
           "第一册": "Book 1", "第二册": "Book 2", "第三册": "Book 3", "数学一": "Math I", "数学二": "Math II",
           "数学三": "Math III", "第3版": "3rd Edition"})
BRAND_EN.update({"清华大学出版社": "Tsinghua University Press"})

# --- sports ----------------------------------------------------------------------------------------------
INTRO["sports"] = (
    "{head}{kw}，{hl}，运动和户外都更尽兴。",
    "装备到位，运动更带劲：{head}主打{hl}。",
)
CLOSING["sports"] = ("支持7天无理由退换，大件商品提供上门取件。", "全国联保一年，官方提供使用指导视频。")
SUBS += [
    Sub("sports", "帐篷", "Tent", ("户外露营帐篷", "Camping Tent"),
        {"人数": ("2人", "3-4人", "5-8人"), "颜色": ("沙色", "军绿", "米白")},
        (
            Line("迪卡侬", "Quechua 秒开帐篷", 299, 499, "Quechua 2 Seconds Tent", "2秒速开与防晒涂层", {"防水": "2000mm"}),
            Line("骆驼", "自动帐篷", 199, 359, "Automatic Tent", "全自动弹簧速开", {"防水": "1500mm"}),
            Line("牧高笛", "冷山2", 599, 899, "Cold Mountain 2", "轻量化双层设计", {"防水": "3000mm"}),
            Line("探路者", "天幕帐篷", 399, 699, "Canopy Tent", "天幕帐篷一体", {"防水": "2000mm"}),
            Line("Naturehike", "Cloud Up 2", 499, 799, "", "专业徒步轻量帐", {"防水": "4000mm"}),
        ),
        ("{人数}空间宽敞，全家露营也不拥挤。",
         "防水指数{防水}，夜里下雨也不渗水。",
         "搭建简单，一个人十分钟就能搭好。",
         "{颜色}外帐防晒防紫外线，白天待在里面也不闷热。"),
        ("周末公园露营、海边过夜、自驾游都能用。", "带孩子亲近自然的好选择。"),
        ("帐篷", "露营", "户外", "防水"), title=("{head} {人数}{kw} {颜色}", "{head} {人数} {kw} {颜色}"),
        mult={"3-4人": 1.3, "5-8人": 1.8}),
    Sub("sports", "瑜伽垫", "Yoga Mat", ("加厚防滑瑜伽垫", "Non-slip Yoga Mat"),
        {"厚度": ("6mm", "8mm", "10mm"), "颜色": ("紫色", "蓝色", "粉色", "灰色")},
        (
            Line("Keep", "TPE瑜伽垫", 69, 129, "TPE Yoga Mat", "双面防滑纹理", {"材质": "TPE"}),
            Line("迪卡侬", "瑜伽垫", 49, 99, "Yoga Mat", "入门舒适", {"材质": "NBR"}),
            Line("Lululemon", "The Mat", 588, 688, "", "天然橡胶抓地", {"材质": "天然橡胶"}),
            Line("李宁", "瑜伽垫", 89, 149, "Yoga Mat", "加宽加厚", {"材质": "TPE"}),
        ),
        ("{厚度}厚度，跪撑和平板支撑时膝盖手肘不疼。",
         "{材质}材质回弹好，无异味，出汗也不打滑。",
         "自带绑带收纳方便，家里健身房都能用。"),
        ("居家瑜伽、普拉提、健身跟练都合适。", "健身新手入门的第一件装备。"),
        ("瑜伽垫", "防滑", "健身", "加厚"), title=("{head} {厚度} {kw} {颜色}", "{head} {厚度} {kw} {颜色}"),
        mult={"8mm": 1.1, "10mm": 1.2}),
    Sub("sports", "自行车", "Bicycle", ("自行车", "Bicycle"),
        {"车架尺寸": ("S", "M", "L"), "颜色": ("黑色", "白色", "蓝色")},
        (
            Line("捷安特", "ATX 860", 2698, 3298, "", "铝合金车架与27速变速", {"类型": "山地车"}, kw=("山地自行车", "Mountain Bike")),
            Line("捷安特", "Escape 2", 2298, 2698, "", "城市通勤平把公路车", {"类型": "平把公路车"}, kw=("城市通勤自行车", "City Bike")),
            Line("美利达", "勇士 500", 2399, 2899, "Warrior 500", "入门山地越野", {"类型": "山地车"}, kw=("山地自行车", "Mountain Bike")),
            Line("喜德盛", "RC200", 2299, 2899, "", "入门公路车", {"类型": "公路车"}, kw=("公路自行车", "Road Bike")),
            Line("迪卡侬", "RC100", 1999, 2499, "", "入门公路车", {"类型": "公路车"}, kw=("公路自行车", "Road Bike")),
            Line("永久", "复古通勤车", 599, 899, "Retro City Bike", "复古通勤与前置车筐", {"类型": "城市车"}, kw=("城市通勤自行车", "City Bike")),
            Line("凤凰", "折叠自行车", 499, 799, "Folding Bike", "折叠便携", {"类型": "折叠车"}, kw=("折叠自行车", "Folding Bike")),
        ),
        ("{类型}设计，车架轻量坚固，骑行省力。",
         "变速系统换挡顺滑，上坡下坡都轻松。",
         "{车架尺寸}码车架，请参考身高选择合适尺寸。",
         "配备碟刹或V刹，制动灵敏可靠。"),
        ("通勤代步、周末骑行、锻炼身体一举多得。", "骑行入门的好选择，从城市骑到郊野。"),
        ("自行车", "骑行", "单车", "通勤"), title=("{head} {kw} {车架尺寸}码 {颜色}", "{head} {kw} Size {车架尺寸} {颜色}")),
    Sub("sports", "健身器材", "Fitness Equipment", ("健身器材", "Fitness Equipment"),
        {"款式": ("标准款", "升级款")},
        (
            Line("舒华", "家用跑步机", 1999, 3499, "Home Treadmill", "静音减震", {"规格": "可折叠"}, kw=("跑步机", "Treadmill")),
            Line("亿健", "精灵跑步机", 1599, 2499, "Elf Treadmill", "平板折叠", {"规格": "可折叠"}, kw=("跑步机", "Treadmill")),
            Line("麦瑞克", "动感单车", 1299, 1999, "Spinning Bike", "磁控静音", {"规格": "磁控"}, kw=("动感单车", "Exercise Bike")),
            Line("Keep", "可调节哑铃", 399, 799, "Adjustable Dumbbells", "一秒调重", {"规格": "2.5-24kg"}, kw=("哑铃", "Dumbbells")),
            Line("李宁", "包胶哑铃", 99, 199, "Rubber Dumbbells", "包胶防滑", {"规格": "5kg×2"}, kw=("哑铃", "Dumbbells")),
            Line("迪卡侬", "健身弹力带", 39, 79, "Resistance Bands", "多档阻力", {"规格": "5档"}, kw=("弹力带", "Resistance Bands")),
            Line("Keep", "智能跳绳", 99, 169, "Smart Jump Rope", "App自动计数", {"规格": "可调节"}, kw=("跳绳", "Jump Rope")),
        ),
        ("{规格}设计，居家训练不占地方。",
         "{款式}做工扎实，长期使用稳定耐用。",
         "搭配App课程跟练，新手也能科学健身。"),
        ("在家健身、减脂塑形的好帮手。", "不想去健身房的人，在家也能练起来。"),
        ("健身", "健身器材", "居家健身", "减脂"), title=("{head} {kw} {款式}", "{head} {kw} {款式}"),
        mult={"升级款": 1.25}, per_line=2),
    Sub("sports", "户外背包", "Hiking Backpack", ("登山徒步背包", "Hiking Backpack"),
        {"容量": ("20L", "35L", "50L"), "颜色": ("黑色", "蓝色", "橙色")},
        (
            Line("迪卡侬", "MH500", 199, 299, "", "背负舒适与防泼水", {"材质": "聚酯纤维"}),
            Line("骆驼", "户外背包", 129, 229, "Outdoor Backpack", "大容量多口袋", {"材质": "尼龙"}),
            Line("凯乐石", "登山包", 499, 799, "Mountaineering Pack", "专业背负系统", {"材质": "高密度尼龙"}),
            Line("探路者", "徒步背包", 199, 359, "Hiking Pack", "轻量透气背板", {"材质": "尼龙"}),
        ),
        ("{容量}容量，装下一天或多日徒步所需的装备。",
         "{材质}面料耐磨防泼水，小雨天也不怕。",
         "透气背板减轻背部闷热，长时间背负也舒适。"),
        ("登山徒步、旅行出差、骑行都能用。", "学生党周末爬山的高性价比之选。"),
        ("背包", "登山包", "户外", "徒步"), title=("{head} {容量} {kw} {颜色}", "{head} {容量} {kw} {颜色}"),
        mult={"35L": 1.25, "50L": 1.5}),
    Sub("sports", "球类装备", "Rackets & Balls", ("球类用品", "Ball Sports"),
        {"款式": ("单只装", "套装")},
        (
            Line("尤尼克斯", "天斧 88D", 1199, 1499, "Astrox 88D", "进攻型羽毛球拍", {"类型": "羽毛球拍"}, kw=("羽毛球拍", "Badminton Racket")),
            Line("尤尼克斯", "弓箭 11", 999, 1299, "Arcsaber 11", "攻守兼备", {"类型": "羽毛球拍"}, kw=("羽毛球拍", "Badminton Racket")),
            Line("李宁", "风刃 900", 899, 1199, "Bladex 900", "轻量速度型", {"类型": "羽毛球拍"}, kw=("羽毛球拍", "Badminton Racket")),
            Line("斯伯丁", "7号篮球", 199, 299, "Size 7 Basketball", "室内外通用", {"类型": "篮球"}, kw=("篮球", "Basketball")),
            Line("红双喜", "乒乓球拍", 129, 299, "Table Tennis Racket", "专业底板", {"类型": "乒乓球拍"}, kw=("乒乓球拍", "Table Tennis Racket")),
            Line("迪卡侬", "足球", 59, 129, "Football", "机缝耐踢", {"类型": "足球"}, kw=("足球", "Football")),
        ),
        ("专业{类型}，手感扎实，适合业余到进阶水平。",
         "{款式}配置，开箱就能上场。",
         "做工精细，耐用不易损坏。"),
        ("周末约球、学校体育课、社区比赛都合适。", "和朋友一起运动，健康又快乐。"),
        ("球拍", "球类", "运动"), title=("{head} {kw} {款式}", "{head} {kw} {款式}"), mult={"套装": 1.2}, per_line=2),
]
EN.update({"2人": "2-person", "3-4人": "3-4 person", "5-8人": "5-8 person", "沙色": "Sand", "标准款": "Standard",
           "升级款": "Upgraded", "单只装": "Single", "套装": "Set"})
BRAND_EN.update({"永久": "Forever", "凤凰": "Phoenix", "麦瑞克": "MERACH"})

# --- furniture -------------------------------------------------------------------------------------------
INTRO["furniture"] = (
    "{head}{kw}，{hl}，给家增添一份舒适。",
    "好家具用十年：{head}主打{hl}，做工扎实。",
)
CLOSING["furniture"] = ("大件物流送货上门，免费安装。", "环保板材，提供甲醛检测报告。", "支持30天质量问题包退包换。")
SUBS += [
    Sub("furniture", "沙发", "Sofa", ("布艺沙发", "Fabric Sofa"),
        {"座位": ("双人位", "三人位", "四人位"), "颜色": ("浅灰色", "米白色", "墨绿色")},
        (
            Line("顾家家居", "科技布沙发", 3999, 5999, "Tech Fabric Sofa", "科技布防猫抓", {"材质": "科技布"}),
            Line("林氏木业", "奶油风沙发", 1999, 2999, "Cream Style Sofa", "奶油风设计", {"材质": "绒布"}),
            Line("芝华仕", "功能沙发", 4999, 6999, "Recliner Sofa", "电动功能躺", {"材质": "头层牛皮"}, kw=("电动功能沙发", "Power Recliner Sofa")),
            Line("宜家", "KIVIK 奇维", 2499, 3999, "KIVIK", "可拆洗沙发套", {"材质": "布艺"}),
            Line("全友家居", "布艺沙发", 1999, 3499, "Fabric Sofa", "高密度海绵", {"材质": "布艺"}),
        ),
        ("{材质}面料，{颜色}百搭耐看，坐感软硬适中。",
         "{座位}尺寸，适合大多数客厅。",
         "高密度海绵回弹好，久坐也不塌陷。"),
        ("新房装修、老房换新都合适，一家人窝在一起追剧很惬意。", "有猫有娃的家庭也能放心使用。"),
        ("沙发", "客厅", "布艺", "奶油风"), title=("{head} {座位}{kw} {颜色}", "{head} {座位} {kw} {颜色}"),
        mult={"三人位": 1.3, "四人位": 1.6}),
    Sub("furniture", "床垫", "Mattress", ("弹簧床垫", "Spring Mattress"),
        {"尺寸": ("1.5×2米", "1.8×2米"), "厚度": ("20cm", "25cm")},
        (
            Line("慕思", "3D床垫", 2999, 4999, "3D Mattress", "独立袋装弹簧", {"材质": "乳胶+弹簧"}),
            Line("喜临门", "护脊床垫", 1999, 2999, "Spine Care Mattress", "护脊分区支撑", {"材质": "椰棕+弹簧"}),
            Line("宜家", "床垫", 1499, 2499, "Mattress", "简约实用", {"材质": "海绵+弹簧"}),
            Line("网易严选", "乳胶床垫", 1499, 2499, "Latex Mattress", "泰国天然乳胶", {"材质": "乳胶"}),
            Line("源氏木语", "独立弹簧床垫", 999, 1699, "Pocket Spring Mattress", "高性价比独立弹簧", {"材质": "独立弹簧"}),
        ),
        ("{材质}结构，贴合身体曲线，翻身不影响枕边人。",
         "{尺寸}规格，{厚度}厚度，睡感饱满。",
         "面料透气防螨，一年四季都能睡得舒服。"),
        ("腰不好、睡眠浅的人值得换一张好床垫。", "新婚装修、乔迁新居的必备。"),
        ("床垫", "睡眠", "护脊", "卧室"), title=("{head} {kw} {尺寸} {厚度}", "{head} {kw} {尺寸} {厚度}"),
        mult={"1.8×2米": 1.2, "25cm": 1.15}),
    Sub("furniture", "办公椅", "Office Chair", ("人体工学椅", "Ergonomic Chair"),
        {"款式": ("标准款", "带脚托款"), "颜色": ("黑色", "灰色")},
        (
            Line("西昊", "M57", 499, 799, "", "腰背分离支撑", {"材质": "网布"}),
            Line("西昊", "Doro C300", 1299, 1699, "", "动态腰托", {"材质": "网布"}),
            Line("永艺", "撑腰椅", 899, 1299, "Back Support Chair", "自适应腰托", {"材质": "网布"}),
            Line("网易严选", "人体工学椅", 699, 999, "Ergonomic Chair", "多维可调", {"材质": "网布"}),
            Line("Herman Miller", "Aeron", 9999, 12999, "", "经典传奇工学椅", {"材质": "网布"}),
        ),
        ("{材质}靠背透气不闷汗，久坐一整天也不累。",
         "头枕、扶手、腰托均可调节，贴合不同身形。",
         "{款式}设计，午休时可以后仰躺下。"),
        ("程序员、设计师、学生党久坐办公学习的好帮手。", "保护腰椎，从一把好椅子开始。"),
        ("办公椅", "人体工学", "电脑椅", "久坐"), mult={"带脚托款": 1.15}),
    Sub("furniture", "桌子", "Desk & Table", ("实木书桌", "Solid Wood Desk"),
        {"尺寸": ("1.2米", "1.4米", "1.6米")},
        (
            Line("源氏木语", "实木书桌", 899, 1499, "Solid Wood Desk", "北美白橡木", {"材质": "白橡木"}),
            Line("宜家", "LAGKAPTEN 书桌", 399, 699, "LAGKAPTEN Desk", "简约北欧风", {"材质": "刨花板"}),
            Line("林氏木业", "岩板餐桌", 1499, 2499, "Sintered Stone Dining Table", "岩板台面", {"材质": "岩板"}, kw=("岩板餐桌", "Dining Table")),
            Line("乐歌", "电动升降桌", 1299, 1999, "Electric Standing Desk", "电动升降", {"材质": "钢木"}, kw=("电动升降桌", "Standing Desk")),
        ),
        ("{材质}台面，{尺寸}宽度，放电脑和书本绰绰有余。",
         "结构稳固，写字打字不晃动。",
         "边角圆润处理，家有小孩也放心。"),
        ("书房、卧室、客厅都能摆，学习办公两不误。", "新房装修的实用家具。"),
        ("书桌", "桌子", "实木", "书房"), title=("{head} {尺寸} {kw}", "{head} {尺寸} {kw}"),
        mult={"1.4米": 1.15, "1.6米": 1.3}),
    Sub("furniture", "衣柜", "Wardrobe & Storage", ("衣柜", "Wardrobe"),
        {"尺寸": ("1.2米", "1.6米", "2.0米"), "颜色": ("白色", "原木色")},
        (
            Line("宜家", "PAX 帕克思衣柜", 1499, 2999, "PAX Wardrobe", "自由组合", {"材质": "刨花板"}),
            Line("索菲亚", "定制衣柜", 2999, 4999, "Custom Wardrobe", "全屋定制", {"材质": "E0级板材"}),
            Line("全友家居", "推拉门衣柜", 1499, 2499, "Sliding Door Wardrobe", "推拉门省空间", {"材质": "E1级板材"}),
            Line("林氏木业", "书架", 499, 899, "Bookshelf", "开放式书架", {"材质": "板材"}, kw=("书架", "Bookshelf")),
        ),
        ("{尺寸}宽度，{颜色}柜体简约百搭。",
         "{材质}环保板材，甲醛释放量低。",
         "内部分区合理，挂衣、叠放、抽屉收纳都有。"),
        ("卧室、衣帽间、出租屋收纳整理的好帮手。", "告别乱糟糟，让家更整洁。"),
        ("衣柜", "收纳", "环保"), title=("{head} {尺寸} {kw} {颜色}", "{head} {尺寸} {kw} {颜色}"),
        mult={"1.6米": 1.25, "2.0米": 1.5}),
]
EN.update({"双人位": "Loveseat", "三人位": "3-seat", "四人位": "4-seat", "浅灰色": "Light Gray", "墨绿色": "Dark Green",
           "1.5×2米": "1.5x2m", "1.8×2米": "1.8x2m", "带脚托款": "with Footrest", "原木色": "Natural Wood",
           "1.2米": "1.2m", "1.4米": "1.4m", "1.6米": "1.6m", "2.0米": "2.0m"})
BRAND_EN.update({"乐歌": "Loctek", "索菲亚": "SOGAL"})

# --- pet_supplies ----------------------------------------------------------------------------------------
INTRO["pet_supplies"] = (
    "{head}{kw}，{hl}，毛孩子吃得香、用得好。",
    "铲屎官都在买的{head}：{hl}，回购率很高。",
)
CLOSING["pet_supplies"] = ("官方授权正品，生产日期新鲜。", "宠物食品拆封后不支持退换，适口性问题可联系客服。")
SUBS += [
    Sub("pet_supplies", "猫粮", "Cat Food", ("全价猫粮", "Complete Cat Food"),
        {"阶段": ("幼猫", "成猫"), "规格": ("2kg", "10kg")},
        (
            Line("皇家", "皇家猫粮", 179, 239, "Royal Canin Cat Food", "法国配方与毛球管理", {"主要成分": "禽肉粉"}),
            Line("麦富迪", "弗列加特", 159, 229, "Frigate", "高肉含量鲜肉粮", {"主要成分": "鲜鸡肉"}),
            Line("渴望", "六种鱼", 399, 549, "Six Fish", "加拿大进口高蛋白", {"主要成分": "鲜鱼"}),
            Line("网易严选", "全价猫粮", 89, 139, "Complete Cat Food", "高性价比", {"主要成分": "鸡肉"}),
            Line("诚实一口", "P40", 179, 259, "P40", "高鲜肉冻干双拼", {"主要成分": "鲜肉"}),
            Line("伯纳天纯", "生鲜猫粮", 149, 229, "Fresh Cat Food", "生鲜肉配方", {"主要成分": "鲜鸡肉"}),
        ),
        ("{主要成分}为主要原料，蛋白质含量高，猫咪爱吃。",
         "{阶段}配方，营养均衡，亮毛护肤。",
         "{规格}装，开封后请密封保存。"),
        ("室内猫、挑食猫都适合，换粮请七天过渡。", "多猫家庭可选大包装更划算。"),
        ("猫粮", "猫咪", "主粮", "高蛋白"), title=("{head} {阶段}{kw} {规格}", "{head} {阶段} {kw} {规格}"),
        mult={"10kg": 4.0}, per_line=4),
    Sub("pet_supplies", "狗粮", "Dog Food", ("全价狗粮", "Complete Dog Food"),
        {"体型": ("小型犬", "中大型犬"), "规格": ("2kg", "15kg")},
        (
            Line("皇家", "成犬粮", 159, 219, "Adult Dog Food", "针对体型的专属配方", {"主要成分": "禽肉粉"}),
            Line("麦富迪", "双拼狗粮", 99, 159, "Mixed Dog Food", "冻干双拼", {"主要成分": "鸡肉"}),
            Line("冠能", "成犬粮", 149, 219, "Adult Dog Food", "益生菌配方", {"主要成分": "鸡肉"}),
            Line("比瑞吉", "天然狗粮", 119, 179, "Natural Dog Food", "天然粮", {"主要成分": "鸡肉"}),
            Line("疯狂小狗", "全价狗粮", 59, 99, "Complete Dog Food", "高性价比", {"主要成分": "鸡肉"}),
        ),
        ("{主要成分}为主，营养全面，狗狗吃得香。",
         "专为{体型}设计的颗粒大小，好咀嚼易消化。",
         "{规格}装，适合不同饲养规模。"),
        ("泰迪、柯基、金毛都有对应配方。", "每天定时定量喂食，狗狗更健康。"),
        ("狗粮", "狗狗", "主粮"), title=("{head} {体型}{kw} {规格}", "{head} {体型} {kw} {规格}"),
        mult={"15kg": 5.0}, per_line=4),
    Sub("pet_supplies", "猫砂", "Cat Litter", ("猫砂", "Cat Litter"),
        {"规格": ("6L", "6L×4袋")},
        (
            Line("洁客", "豆腐猫砂", 29.9, 39.9, "Tofu Cat Litter", "可冲厕所", {"类型": "豆腐砂"}),
            Line("福丸", "混合猫砂", 39.9, 59.9, "Mixed Cat Litter", "豆腐膨润土混合", {"类型": "混合砂"}),
            Line("网易严选", "混合猫砂", 29.9, 49.9, "Mixed Cat Litter", "低尘结团", {"类型": "混合砂"}),
            Line("许翠花", "植物猫砂", 25.9, 39.9, "Plant Cat Litter", "天然植物", {"类型": "豆腐砂"}),
        ),
        ("{类型}结团快、不粘底，铲屎更轻松。",
         "低粉尘配方，猫咪和铲屎官都更健康。",
         "{规格}装，一只猫大约可以用一个月左右。"),
        ("多猫家庭囤货首选。", "除臭效果好，小户型也不怕有异味。"),
        ("猫砂", "除臭", "结团"), title=("{head} {kw} {规格}", "{head} {kw} {规格}"), mult={"6L×4袋": 3.6},
        per_line=2),
    Sub("pet_supplies", "宠物零食", "Pet Treats", ("宠物零食", "Pet Treats"),
        {"口味": ("鸡肉味", "三文鱼味", "牛肉味")},
        (
            Line("麦富迪", "猫条", 29.9, 49.9, "Cat Treats", "营养补水", {"适用": "猫咪"}, kw=("猫条", "Cat Treats")),
            Line("顽皮", "冻干零食", 39.9, 69.9, "Freeze-dried Treats", "纯肉冻干", {"适用": "猫狗通用"}),
            Line("卫仕", "冻干", 49.9, 89.9, "Freeze-dried Treats", "高蛋白冻干", {"适用": "猫狗通用"}),
            Line("疯狂小狗", "磨牙棒", 19.9, 35.9, "Dental Chews", "洁齿磨牙", {"适用": "狗狗"}, kw=("磨牙棒", "Dental Chews")),
        ),
        ("{口味}，毛孩子一闻到就跑过来。",
         "{适用}可食用，训练奖励、日常加餐都合适。",
         "配料简单，无诱食剂添加，吃着放心。"),
        ("训练宠物、增进感情的小帮手。", "挑食的毛孩子也会爱上它。"),
        ("宠物零食", "冻干", "猫条"), title=("{head} {kw} {口味}", "{head} {kw} {口味}")),
    Sub("pet_supplies", "宠物用品", "Pet Accessories", ("宠物用品", "Pet Accessories"),
        {"颜色": ("白色", "灰色", "粉色")},
        (
            Line("小佩", "智能猫砂盆", 1299, 1799, "Smart Litter Box", "全自动铲屎", {"类型": "猫砂盆"}, kw=("智能猫砂盆", "Smart Litter Box")),
            Line("小佩", "宠物饮水机", 149, 199, "Pet Fountain", "无线水泵", {"类型": "饮水机"}, kw=("宠物饮水机", "Pet Fountain")),
            Line("霍曼", "智能喂食器", 299, 499, "Smart Feeder", "定时定量", {"类型": "喂食器"}, kw=("智能喂食器", "Smart Feeder")),
            Line("有鱼", "猫爬架", 199, 399, "Cat Tree", "剑麻柱与多层跳台", {"类型": "猫爬架"}, kw=("猫爬架", "Cat Tree")),
            Line("福丸", "宠物窝", 69, 149, "Pet Bed", "四季通用", {"类型": "宠物窝"}, kw=("宠物窝", "Pet Bed")),
            Line("疯狂小狗", "牵引绳", 39, 79, "Dog Leash", "反光防暴冲", {"类型": "牵引绳"}, kw=("狗狗牵引绳", "Dog Leash")),
        ),
        ("{类型}做工扎实，{颜色}外观和家居风格很搭。",
         "使用安全，材质环保无异味。",
         "清洁方便，日常打理省心。"),
        ("上班族养宠的省心好物。", "新手养宠必备清单之一。"),
        ("宠物用品", "养宠", "智能"), title=("{head} {kw} {颜色}", "{head} {kw} {颜色}")),
]
EN.update({"幼猫": "Kitten", "成猫": "Adult Cat", "小型犬": "Small Breed", "中大型犬": "Medium/Large Breed",
           "6L×4袋": "6L x 4", "鸡肉味": "Chicken", "三文鱼味": "Salmon", "牛肉味": "Beef"})
BRAND_EN.update({"许翠花": "Xu Cuihua", "有鱼": "Youyu"})


# ---------------------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------------------
NO_COMMON_INTRO = frozenset({"books"})  # "X是Y旗下的人气Z" reads oddly for a book
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_UNIT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d+)码$"), r"EU \1"),
    (re.compile(r"(\d+(?:\.\d+)?)英寸"), r"\1-inch"),
    (re.compile(r"(\d+(?:\.\d+)?)匹"), r"\1HP"),
    (re.compile(r"(\d+)公斤"), r"\1kg"),
    (re.compile(r"(\d+)升"), r"\1L"),
    (re.compile(r"(\d+)毫米"), r"\1mm"),
    (re.compile(r"(\d+)平米"), r"\1 sq m"),
    (re.compile(r"(\d+)片"), r"\1 pcs"),
)
_FORMATTER = string.Formatter()


def _en(value: str) -> str:
    """English for a title value: the ``EN`` table, then unit rules; fails loudly on leftover Chinese."""
    out = EN.get(value, value)
    for pattern, repl in _UNIT_RULES:
        out = pattern.sub(repl, out)
    if _CJK.search(out):
        raise ValueError(f"no English for title value {value!r}; add it to EN in {__name__}")
    return out


def _fields(template: str) -> set[str]:
    """The placeholder names in a ``str.format`` template."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def _usable(templates: tuple[str, ...], ctx: dict[str, str]) -> list[str]:
    """The templates whose placeholders are all present in ``ctx`` (lines may lack some attributes)."""
    return [t for t in templates if _fields(t) <= ctx.keys()]


def _head(brand: str, model: str) -> str:
    """Brand + model for a title, without repeating a brand the model name already starts with."""
    return model if model.startswith(brand) else f"{brand} {model}"


def _redundant(model: str, kw: str) -> bool:
    """Whether the model name already ends with the descriptor's noun (two or more characters of its end)."""
    return any(model.endswith(kw[i:]) for i in range(len(kw) - 1))


def _nice_price(p: float) -> float:
    """Round to a shop-like price: 39.9, 299, 5999."""
    if p < 100:
        return round(max(round(p) - 0.1, 4.9), 2)
    if p < 1000:
        return float(round(p / 10) * 10 - 1)
    return float(round(p / 100) * 100 - 1)


def _title(template: str, ctx: dict[str, str]) -> str:
    return re.sub(r"\s+", " ", template.format_map(ctx)).strip()


def _description(sub: Sub, ctx: dict[str, str], rng: random.Random) -> str:
    """3-5 sentences: an intro, one or two feature sentences, a usage scene, and usually a service line."""
    intros = INTRO.get(sub.category, ()) + (() if sub.category in NO_COMMON_INTRO else INTRO_COMMON)
    intro = _usable(intros, ctx)
    features = _usable(sub.features, ctx)
    scenes = _usable(sub.scene, ctx)
    if not intro or not features or not scenes:
        raise ValueError(f"sub-type {sub.name!r} ({ctx['head']}): no usable intro/feature/scene sentence")
    body = rng.sample(features, min(len(features), rng.choice((1, 2, 2))))
    body.append(rng.choice(scenes))
    if rng.random() < 0.3:
        body.reverse()
    sentences = [rng.choice(intro), *body]
    if rng.random() < 0.75:
        sentences.append(rng.choice(CLOSING.get(sub.category, ()) + CLOSING_COMMON))
    return "".join(s.format_map(ctx) for s in sentences)


def _build_sub(sub: Sub, rng: random.Random) -> list[dict]:
    """All products of one sub-type: ``per_line`` distinct variants of each line (fewer if it has fewer)."""
    rows: list[dict] = []
    for line in sub.lines:
        opts = line.opts if line.opts is not None else sub.opts
        keys = list(opts)
        combos = list(itertools.product(*(opts[k] for k in keys)))
        picked = sorted(rng.sample(range(len(combos)), min(sub.per_line, len(combos))))
        base = rng.uniform(line.lo, line.hi)
        kw, kw_en = line.kw or sub.kw
        if _redundant(line.model, kw):  # "红双喜 乒乓球拍", not "红双喜 乒乓球拍 乒乓球拍"
            kw, kw_en = "", ""
        brand_en = BRAND_EN.get(line.brand, line.brand)
        model_en = line.en or line.model
        head = f"《{line.model}》" if sub.category == "books" else _head(line.brand, line.model)
        head_en = _head(brand_en, model_en)
        for i in picked:
            variant = dict(zip(keys, combos[i], strict=True))
            attrs = {**line.attrs, **variant}
            price = base
            for value in variant.values():
                price *= sub.mult.get(value, 1.0)
            ctx = {"brand": line.brand, "model": line.model, "head": head, "sub": sub.name, "kw": kw,
                   "hl": line.hl or sub.hl, **attrs}
            en_keys = _fields(sub.title[1]) if sub.title else set(keys)
            ctx_en = {"brand": brand_en, "model": model_en, "head": head_en, "kw": kw_en,
                      **{k: _en(v) for k, v in attrs.items() if k in en_keys}}
            if sub.title:
                title_zh, title_en = _title(sub.title[0], ctx), _title(sub.title[1], ctx_en)
            else:
                title_zh = _title(" ".join(["{head} {kw}", *(f"{{{k}}}" for k in keys)]), ctx)
                title_en = _title(" ".join([head_en, kw_en, *(_en(variant[k]) for k in keys)]), {})
            if _CJK.search(title_en):
                raise ValueError(f"English title has Chinese in it: {title_en!r}")
            tags = [sub.name, line.model, *([line.kw[0]] if line.kw else []),
                    *rng.sample(sub.tags, min(len(sub.tags), rng.choice((2, 3))))]
            rows.append({
                "title_zh": title_zh,
                "title_en": title_en,
                "category": sub.category,
                "subcategory": sub.name,
                "brand": line.brand,
                "price": _nice_price(price),
                "tags": list(dict.fromkeys(tags)),
                "attributes": attrs,
                "description": _description(sub, ctx, rng),
            })
    return rows


def _shop_numbers(price: float, rng: random.Random) -> dict:
    """Synthetic stock (about 5% sold out), rating (3.5-5.0) and long-tailed sales (cheaper sells more)."""
    stock = 0 if rng.random() < 0.05 else int(rng.lognormvariate(4.5, 1.2)) + 1
    rating = round(min(5.0, max(3.5, rng.gauss(4.65, 0.22))), 1)
    demand = (2000.0 / (price + 50.0)) ** 0.6
    sales = 0 if rng.random() < 0.03 else min(int(rng.paretovariate(1.3) * 40 * demand), 200_000)
    return {"stock": stock, "rating": rating, "sales": sales}


def generate() -> list[dict]:
    """Build the whole catalog from the tables above, deterministically (``random.Random(SEED)``).

    Example:
        >>> rows = generate()
        >>> len({r["title_zh"] for r in rows}) == len(rows)
        True
    """
    rng = random.Random(SEED)
    products: list[dict] = []
    seen: set[str] = set()
    for sub in SUBS:
        if sub.category not in CATEGORY_BY_SLUG:
            raise ValueError(f"sub-type {sub.name!r} has unknown category {sub.category!r}; see catalog/categories.py")
        for row in _build_sub(sub, rng):
            if row["title_zh"] in seen:
                log.debug("skipping duplicate title %s", row["title_zh"])
                continue
            seen.add(row["title_zh"])
            row.update(_shop_numbers(row["price"], rng))
            row["id"] = f"P{len(products) + 1:05d}"
            products.append({k: row[k] for k in FIELDS})
    return products


def dump(products: list[dict]) -> str:
    """The JSON Lines text of ``products``: UTF-8 characters kept, keys sorted, one product per line."""
    return "".join(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n" for p in products)


def summary(products: list[dict]) -> str:
    """A Markdown table of counts, sub-types and prices per category (as pasted into README.md)."""
    by_cat: dict[str, list[dict]] = {}
    for p in products:
        by_cat.setdefault(p["category"], []).append(p)
    lines = ["| category | 中文 | products | sub-types | price min | price median | price max | sold out |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for slug, rows in by_cat.items():
        prices = sorted(r["price"] for r in rows)
        subs = Counter(r["subcategory"] for r in rows)
        lines.append(f"| {slug} | {CATEGORY_BY_SLUG[slug].zh} | {len(rows)} | {len(subs)} | {prices[0]:g} | "
                     f"{prices[len(prices) // 2]:g} | {prices[-1]:g} | {sum(r['stock'] == 0 for r in rows)} |")
    prices = sorted(p["price"] for p in products)
    lines.append(f"| **all** | 全部 | {len(products)} | {len({p['subcategory'] for p in products})} | {prices[0]:g} | "
                 f"{prices[len(prices) // 2]:g} | {prices[-1]:g} | {sum(p['stock'] == 0 for p in products)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: write, summarise or check ``products.jsonl``."""
    parser = argparse.ArgumentParser(prog="python -m catalog.data.make_catalog", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_PATH, help="where to write (default: %(default)s)")
    parser.add_argument("--summary", action="store_true", help="print the per-category table and exit")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh generation")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    products = generate()
    text = dump(products)
    if args.summary:
        sys.stdout.write(summary(products))
        return 0
    if args.check:
        ok = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        log.info("%s is %s", args.out, "up to date" if ok else "OUT OF DATE; rerun without --check")
        return 0 if ok else 1
    args.out.write_text(text, encoding="utf-8", newline="\n")
    log.info("wrote %d products to %s", len(products), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
