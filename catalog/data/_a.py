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
    >>> from catalog.data.make_catalog import generate
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
    per_line: int = 3
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
    "蕉下": "Beneunder", "回力·": "Warrior", "361°": "361 Degrees", "欧普": "OPPLE", "洁客": "Dr.Jiecare",
}

# English for attribute values that appear in titles. Values already in Latin script need no entry; simple
# unit suffixes (码, 英寸, 匹, 升, 克, 片 ...) are translated by rule in ``_en``.
EN: dict[str, str] = {}
