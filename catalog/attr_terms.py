"""English words for catalog attributes, so that an English reply never pastes Chinese specs.

Catalogs (the embedded one, and most shop exports) name their attributes in Chinese: ``{"续航": "40小时",
"降噪": "主动降噪", "颜色": "黑色"}``. :func:`english_attribute` gives the English name and value of one
attribute — the name from :data:`NAMES`, the value through :data:`VALUES` (whole values: colours, common
materials and features), then number + unit rewriting ("6.1英寸" → "6.1-inch", "40小时" → "40 h", "43码" →
"EU 43") — or None when the value still holds Chinese, so the English reply leaves that attribute out
instead of mixing languages.

    >>> english_attribute("续航", "40小时"), english_attribute("颜色", "曜石黑")
    (('battery life', '40 h'), None)
"""

from __future__ import annotations

import re
from typing import Any

from intent.text import HAN

__all__ = ["NAMES", "VALUES", "english_attribute", "english_name"]

NAMES: dict[str, str] = {
    "CADR": "CADR", "中底": "midsole", "主要成分": "key ingredients", "亮度": "brightness", "人数": "people",
    "人群": "for", "体型": "size", "作者": "author", "佩戴": "fit", "储存": "storage", "像素": "resolution",
    "内存": "memory", "内胆": "inner pot", "功效": "effect", "功能": "function", "包装": "pack", "匹数": "power",
    "厚度": "thickness", "口味": "flavour", "吸力": "suction", "填充": "filling", "处理器": "processor",
    "套装": "set", "奶源": "milk source", "妆效": "finish", "存储": "storage", "学段": "school stage",
    "容量": "capacity", "尺寸": "size", "尺码": "size", "屏幕": "screen", "座位": "seats", "形态": "form",
    "接口": "port", "显卡": "graphics", "材质": "material", "款式": "style", "段数": "stage", "温控": "temperature",
    "片数": "count", "版型": "cut", "版本": "edition", "电池": "battery", "画幅": "sensor format", "硬盘": "SSD",
    "类型": "type", "续航": "battery life", "网络": "network", "能效": "energy rating", "色号": "shade",
    "芯片": "chip", "表带": "strap", "表盘": "dial", "规格": "pack size", "质地": "texture",
    "车架尺寸": "frame size", "转速": "speed", "适用": "for", "适用年龄": "age", "适用肤质": "skin type",
    "适用面积": "room size", "重量": "weight", "长度": "length", "门型": "doors", "防晒指数": "SPF",
    "防水": "water resistance", "阶段": "stage", "降噪": "noise cancelling", "面料": "fabric", "面板": "panel",
    "鞋型": "style", "鞋帮": "cut", "鞋面": "upper", "颜色": "colour",
}
"""Chinese attribute name -> English."""

VALUES: dict[str, str] = {
    # colours
    "黑色": "black", "白色": "white", "蓝色": "blue", "银色": "silver", "灰色": "grey", "粉色": "pink",
    "绿色": "green", "红色": "red", "金色": "gold", "棕色": "brown", "卡其色": "khaki", "卡其": "khaki",
    "米白": "off-white", "米白色": "off-white", "浅灰": "light grey", "浅灰色": "light grey", "深空灰": "space grey",
    "黑白": "black/white", "粉白": "pink/white", "白蓝": "white/blue", "蓝白": "blue/white", "白绿": "white/green",
    "黑灰": "black/grey", "全黑": "all black", "纯白": "pure white", "藏青色": "navy", "深蓝色": "dark blue",
    "浅蓝色": "light blue", "墨绿色": "dark green", "军绿": "army green", "荧光绿": "neon green",
    "午夜蓝": "midnight blue", "午夜色": "midnight", "星光色": "starlight", "燕麦色": "oatmeal", "沙色": "sand",
    "栗色": "chestnut", "雾霾蓝": "haze blue", "原木色": "natural wood", "碎花": "floral",
    # people, fit and form
    "男款": "men's", "女款": "women's", "所有肤质": "all skin types", "敏感肌": "sensitive skin",
    "干敏肌": "dry, sensitive skin", "标准版": "standard", "标准款": "standard", "升级款": "upgraded",
    "短款": "short", "中长款": "mid-length", "修身": "slim", "宽松": "loose", "直筒": "straight",
    "低帮": "low-top", "中帮": "mid-top", "高帮": "high-top", "平装": "paperback", "精装": "hardcover",
    "挂机": "wall-mounted", "柜机": "floor-standing", "单机身": "body only", "全画幅": "full frame",
    "骨传导": "bone conduction", "耳挂式": "ear hook", "耳夹式": "ear clip", "单只装": "single", "套装": "set",
    # materials and features
    "网布": "mesh", "单丝网布": "monofilament mesh", "工程网布": "engineered mesh", "皮革": "leather",
    "合成革": "synthetic leather", "帆布": "canvas", "麂皮": "suede", "橡胶": "rubber", "天然橡胶": "natural rubber",
    "尼龙": "nylon", "高密度尼龙": "high-density nylon", "不锈钢": "stainless steel", "聚酯纤维": "polyester",
    "100%棉": "100% cotton", "棉": "cotton", "棉混纺": "cotton blend", "针织": "knit", "雪纺": "chiffon",
    "冰丝": "ice silk", "摇粒绒": "polar fleece", "90%白鸭绒": "90% white duck down",
    "90%白鹅绒": "90% white goose down", "90%羽绒": "90% down", "防泼水": "water-repellent",
    "防水膜": "waterproof membrane", "主动降噪": "active noise cancelling", "通话降噪": "call noise reduction",
    "一级能效": "grade 1", "哑光": "matte", "雾面": "matte", "保温": "keeps warm", "恒温": "constant temperature",
    "常温": "room temperature", "冷藏": "refrigerated", "可折叠": "foldable", "补水保湿": "hydrating",
    "抗氧化": "antioxidant", "抗老紧致": "anti-ageing, firming", "修护": "repair", "原味": "original",
    "5G版": "5G", "WLAN版": "Wi-Fi", "NFC版": "NFC", "洗烘一体": "washer-dryer", "纯洗": "washer only",
    "对开门": "side-by-side", "十字对开门": "French door (4 doors)", "法式多门": "French door",
}
"""Whole Chinese attribute values -> English."""

_UNITS: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"^([\d.]+)英寸$"), r"\1-inch"),
    (re.compile(r"^([\d.]+)小时$"), r"\1 h"),
    (re.compile(r"^([\d.]+)分钟$"), r"\1 min"),
    (re.compile(r"^([\d.]+)天$"), r"\1 days"),
    (re.compile(r"^([\d.]+)克$"), r"\1 g"),
    (re.compile(r"^([\d.]+)公斤$"), r"\1 kg"),
    (re.compile(r"^([\d.]+)升$"), r"\1 L"),
    (re.compile(r"^([\d.]+)毫米$"), r"\1 mm"),
    (re.compile(r"^([\d.]+)米$"), r"\1 m"),
    (re.compile(r"^([\d.]+)码$"), r"EU \1"),
    (re.compile(r"^([\d.]+)匹$"), r"\1 hp"),
    (re.compile(r"^([\d.]+)段$"), r"stage \1"),
    (re.compile(r"^约?([\d.]+)片$"), r"\1 pieces"),
    (re.compile(r"^([\d.]+)包$"), r"\1 packs"),
    (re.compile(r"^([\d.]+)-([\d.]+)人$"), r"\1–\2 people"),
    (re.compile(r"^([\d.]+)人$"), r"\1 people"),
    (re.compile(r"^([\d.]+)平米$"), r"\1 m²"),
    (re.compile(r"^([\d.]+)万$"), lambda m: f"{float(m.group(1)) * 10_000:,.0f}"),
    (re.compile(r"^([\d.]+)×([\d.]+)米$"), r"\1 × \2 m"),
)


def english_name(name: str) -> str | None:
    """The English name of an attribute (as given when it has no Chinese), or None."""
    if not HAN.search(name):
        return name
    return NAMES.get(name.strip())


def english_attribute(name: str, value: object) -> tuple[str, str] | None:
    """``(English name, English value)`` of one attribute, or None when either stays Chinese."""
    en_name = english_name(name)
    text = str(value).strip()
    if en_name is None or not text:
        return None
    text = VALUES.get(text, text)
    megapixels = re.fullmatch(r"([\d.]+)万", text) if name.strip() == "像素" else None
    if megapixels:  # "2420万" (pixels) is 24.2 MP
        return en_name, f"{float(megapixels.group(1)) / 100:g} MP"
    for pattern, repl in _UNITS:
        if pattern.match(text):
            text = pattern.sub(repl, text)
            break
    return None if HAN.search(text) else (en_name, text)
