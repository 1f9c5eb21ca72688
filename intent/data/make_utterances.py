"""Generate ``utterances.jsonl``: synthetic, labelled shopper chat messages (Chinese and English).

Each row is ``{"text", "label", "level", "lang", "category", "source"}`` where ``level`` is the shopper's stage
(0 = browsing / chit-chat / after-sales / refusal, 1 = comparing or asking details, 2 = ready to buy now) and
``label = int(level == 2)``. Rows come from two parts:

* a hand-written list of literal messages (``source="handwritten"``), and
* hand-written intent frames per level and language, filled with realistic products, brands, attributes,
  variants and budgets per category, then varied with optional prefixes, suffixes, emoji, typos/homophones and
  dropped punctuation (``source="template"``).

Exact duplicates (after NFKC, case folding and dropping spaces, punctuation and emoji) are removed, keeping the
first. Everything is driven by ``random.Random(0)``, so the output is byte-for-byte reproducible.

Example::

    python -m intent.data.make_utterances            # rewrite intent/data/utterances.jsonl
    python -m intent.data.make_utterances --summary  # ... and print the counts table
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import random
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

__all__ = ["CATEGORIES", "DATA_PATH", "SEED", "generate", "normalise", "summary", "write"]

logger = logging.getLogger(__name__)

SEED = 0
DATA_PATH = Path(__file__).with_name("utterances.jsonl")
MESSAGE_FILES = (Path(__file__).with_name("messages_zh.tsv"), Path(__file__).with_name("messages_en.tsv"))
"""Hand-written messages in the register of shop customer-service chats: ``stage<TAB>category<TAB>text``."""
STAGES = ("browse", "consider", "ready", "service")
LEVEL = {"browse": 0, "service": 0, "consider": 1, "ready": 2}  # the older 3-level scale, kept in each row

# Per category: zh/en category words, products as "brand:product[:category word[:variant/variant]]", attributes,
# fallback variants, units (zh) and budgets (CNY). Fields are "|"-separated to keep the table readable.
_LEXICON: dict[str, dict[str, str]] = {
    "phones": {
        "zh_c": "手机|新手机|智能手机",
        "zh_p": "苹果:iPhone 15|苹果:iPhone15 Pro|苹果:iphone15pro max|华为:Mate 60|华为:Mate60 Pro|小米:小米14|"
                "小米:小米14 Ultra|小米:红米K70|OPPO:OPPO Find X7|vivo:vivo X100|荣耀:荣耀Magic6|一加:一加12|三星:三星S24",
        "zh_a": "续航|拍照|信号|发热|屏幕|充电速度|手感|系统流畅度",
        "zh_v": "256G|512G|黑色|白色|256G 蓝色|1T|12+256",
        "zh_u": "台|部",
        "en_c": "phone|smartphone",
        "en_p": "Apple:iPhone 15|Apple:iPhone 15 Pro|Samsung:Galaxy S24|Google:Pixel 8|Xiaomi:Xiaomi 14|"
                "OnePlus:OnePlus 12|Huawei:Mate 60 Pro",
        "en_a": "battery life|camera|screen|charging speed|signal",
        "en_v": "256GB|512GB|black|blue|128GB",
        "budget": "2000|3000|4000|5000|6000|8000",
    },
    "laptops": {
        "zh_c": "笔记本|电脑|笔记本电脑",
        "zh_p": "苹果:MacBook Air M3:轻薄本:16G+512G/午夜色/星光色|苹果:MacBook Pro 14::M3 Pro/18G+512G/深空黑|"
                "联想:联想小新Pro14:轻薄本|联想:拯救者Y9000P:游戏本:4060显卡版/4070显卡版|联想:ThinkPad X1:商务本|"
                "华为:华为MateBook 14:轻薄本|戴尔:戴尔XPS 13:轻薄本|华硕:华硕天选5:游戏本:4060显卡版/16G+1T|"
                "华硕:ROG幻16:游戏本:4070显卡版/32G+1T|惠普:惠普暗影精灵10:游戏本:4060显卡版/i7版",
        "zh_a": "散热|续航|重量|屏幕|性能|键盘手感|接口",
        "zh_v": "16G+512G|32G+1T|银色|i7版|灰色",
        "zh_u": "台",
        "en_c": "laptop|notebook",
        "en_p": "Apple:MacBook Air M3|Apple:MacBook Pro 14|Lenovo:ThinkPad X1 Carbon|Lenovo:Legion Y9000P:gaming laptop|"
                "Dell:XPS 13|ASUS:ROG Zephyrus G14:gaming laptop|HP:Spectre x360",
        "en_a": "battery life|keyboard|cooling|screen|weight",
        "en_v": "16GB/512GB|32GB/1TB|silver|space grey",
        "budget": "4000|5000|6000|8000|10000|12000",
    },
    "earphones": {
        "zh_c": "耳机|蓝牙耳机",
        "zh_p": "苹果:AirPods Pro 2:降噪耳机|苹果:AirPods pro2:无线耳机|索尼:索尼WH-1000XM5:头戴耳机|"
                "索尼:索尼WF-1000XM5:降噪耳机|Bose:Bose QC45:头戴耳机|华为:华为FreeBuds Pro 3:降噪耳机|"
                "小米:小米Buds 4 Pro:降噪耳机|漫步者:漫步者W820NB:头戴耳机|森海塞尔:森海塞尔Momentum 4:头戴耳机|"
                "Beats:Beats Studio Buds:无线耳机",
        "zh_a": "降噪|音质|续航|佩戴舒适度|延迟|通话效果",
        "zh_v": "白色|黑色|银色|蓝色",
        "zh_u": "副|个",
        "en_c": "earbuds|headphones|earphones",
        "en_p": "Apple:AirPods Pro 2:earbuds|Sony:WH-1000XM5:headphones|Sony:WF-1000XM5:earbuds|"
                "Bose:QuietComfort Ultra:headphones|Samsung:Galaxy Buds2 Pro:earbuds|Sennheiser:Momentum 4:headphones",
        "en_a": "noise cancelling|sound quality|battery life|fit|call quality",
        "en_v": "white|black|silver",
        "budget": "200|300|500|1000|1500|2000",
    },
    "tvs": {
        "zh_c": "电视|电视机|液晶电视|大屏电视",
        "zh_p": "小米:小米电视S Pro 85::85寸|海信:海信E8K|TCL:TCL Q10K|索尼:索尼X90L|三星:三星Neo QLED|创维:创维A5F|"
                "华为:华为智慧屏V5|雷鸟:雷鸟鹤6",
        "zh_a": "画质|刷新率|音效|开机广告|系统|护眼",
        "zh_v": "65寸|75寸|85寸|55寸",
        "zh_u": "台",
        "en_c": "TV|television",
        "en_p": "Sony:Bravia X90L|Samsung:Neo QLED QN90C|Hisense:Hisense U8K|TCL:TCL C845|LG:LG C3 OLED|"
                "Xiaomi:Xiaomi TV S Pro 85::85 inch",
        "en_a": "picture quality|refresh rate|sound|brightness",
        "en_v": "65 inch|75 inch|85 inch|55 inch",
        "budget": "2000|3000|5000|8000|10000",
    },
    "home_appliances": {
        "zh_c": "家电|家用电器",
        "zh_p": "石头:石头扫地机G20:扫地机器人:标准版/上下水版|科沃斯:科沃斯X2:扫地机器人:白色/标准版|"
                "戴森:戴森V12吸尘器:吸尘器:标准版/Detect Slim|美的:美的空调1.5匹:空调:1.5匹/大1匹/一级能效|"
                "格力:格力云佳空调:空调:1.5匹/大1匹/3匹柜机|海尔:海尔滚筒洗衣机:洗衣机:10公斤/12公斤|"
                "小天鹅:小天鹅洗烘套装:洗衣机:10公斤/白色|西门子:西门子冰箱:冰箱:对开门/十字四门/500L|"
                "追觅:追觅吸尘器:吸尘器:标准版/旗舰版|米家:米家空气净化器:空气净化器:4 Pro/标准版",
        "zh_a": "噪音|耗电|安装|能效|容量|清洁效果",
        "zh_v": "标准版|白色",
        "zh_u": "台",
        "en_c": "home appliance|appliance",
        "en_p": "Dyson:Dyson V12:vacuum:standard/Detect Slim|Roborock:Roborock S8:robot vacuum:S8/S8 Pro Ultra|"
                "Ecovacs:Deebot X2:robot vacuum:white/standard|Midea:Midea inverter AC:air conditioner:1.5 hp/2 hp|"
                "Haier:Haier front-load washer:washing machine:10 kg/12 kg|Philips:Philips air purifier:air purifier",
        "en_a": "noise|power use|energy rating|capacity",
        "en_v": "white|standard version",
        "budget": "1000|2000|3000|4000|6000",
    },
    "kitchen": {
        "zh_c": "厨具|厨房用品",
        "zh_p": "苏泊尔:苏泊尔不粘锅:炒锅:28cm/32cm|九阳:九阳豆浆机:豆浆机:1.2L/免滤版|美的:美的电饭煲:电饭煲:4L/5L|"
                "摩飞:摩飞多功能锅:料理锅:奶白色/绿色|小熊:小熊空气炸锅:空气炸锅:4L/5L/可视版|"
                "双立人:双立人刀具套装:刀具:5件套/7件套|爱仕达:爱仕达炒锅:炒锅:30cm/32cm|小熊:小熊养生壶:养生壶:1.5L/1.8L|"
                "北鼎:北鼎蒸炖锅:蒸炖锅:白色/3L|九阳:九阳破壁机:破壁机:静音版/1.75L",
        "zh_a": "涂层|容量|清洗方便度|材质|功率|噪音",
        "zh_v": "黑色|白色",
        "zh_u": "个|口",
        "en_c": "cookware|kitchen gear",
        "en_p": "Ninja:Ninja air fryer:air fryer:5.5L/dual basket|Philips:Philips air fryer:air fryer:XL/compact|"
                "Zojirushi:Zojirushi rice cooker:rice cooker:1L/1.8L|Tefal:Tefal non-stick pan:pan:28cm/24cm|"
                "Zwilling:Zwilling knife set:knife set:5-piece/7-piece|Vitamix:Vitamix blender:blender:black/red",
        "en_a": "coating|capacity|cleaning|build quality|noise",
        "en_v": "black|white",
        "budget": "100|200|300|500|800|1000",
    },
    "clothing": {
        "zh_c": "衣服|衣物",
        "zh_p": "优衣库:优衣库摇粒绒外套:外套|波司登:波司登羽绒服:羽绒服|李宁:李宁卫衣:卫衣|太平鸟:太平鸟连衣裙:连衣裙|"
                "森马:森马牛仔裤:裤子:29码/30码/32码|骆驼:骆驼冲锋衣:冲锋衣|优衣库:优衣库纯棉T恤:T恤|"
                "南极人:南极人保暖内衣:保暖内衣|始祖鸟:始祖鸟冲锋衣:冲锋衣|雪中飞:雪中飞羽绒服:羽绒服",
        "zh_a": "面料|尺码|厚度|版型|起球|掉色",
        "zh_v": "L码|XL|M码|黑色L码|S码|白色M码|2XL",
        "zh_u": "件",
        "en_c": "clothes|clothing",
        "en_p": "Uniqlo:Uniqlo fleece jacket:jacket|The North Face:North Face puffer:jacket|"
                "Arc'teryx:Arc'teryx Beta jacket:jacket|Levi's:Levi's 501 jeans:jeans:size 30/size 32|"
                "Bosideng:Bosideng down jacket:jacket|Uniqlo:Uniqlo cotton tee:t-shirt",
        "en_a": "fabric|sizing|warmth|fit",
        "en_v": "size M|size L|XL|black|navy",
        "budget": "100|200|300|500|1000",
    },
    "shoes": {
        "zh_c": "鞋|跑鞋|运动鞋|球鞋",
        "zh_p": "李宁:李宁赤兔6|李宁:李宁赤兔|耐克:Nike Pegasus 40|耐克:耐克飞马40|安踏:安踏C202|亚瑟士:亚瑟士Kayano 30|"
                "阿迪达斯:阿迪Ultraboost|新百伦:新百伦574:运动鞋|匡威:匡威1970s:帆布鞋|特步:特步160X|HOKA:HOKA Clifton 9",
        "zh_a": "脚感|回弹|尺码|透气|耐磨|鞋底",
        "zh_v": "42码|41码|43码|37码|44码|39码",
        "zh_u": "双",
        "en_c": "shoes|running shoes|sneakers",
        "en_p": "Nike:Nike Pegasus 40|Adidas:Adidas Ultraboost Light|ASICS:ASICS Gel-Kayano 30|"
                "Li-Ning:Li-Ning Chitu 6|Hoka:Hoka Clifton 9|New Balance:New Balance 574:sneakers",
        "en_a": "cushioning|sizing|grip|durability|breathability",
        "en_v": "size 9|size 10|size 42|size 43|EU 41",
        "budget": "300|500|600|800|1000|1200",
    },
    "skincare": {
        "zh_c": "护肤品|护肤",
        "zh_p": "兰蔻:兰蔻小黑瓶:精华|雅诗兰黛:雅诗兰黛小棕瓶:精华|SK-II:SK-II神仙水:精华水|珀莱雅:珀莱雅双抗精华:精华|"
                "薇诺娜:薇诺娜舒敏霜:面霜|理肤泉:理肤泉B5:修复霜|科颜氏:科颜氏高保湿面霜:面霜|"
                "欧莱雅:欧莱雅紫熨斗眼霜:眼霜:15ml/30ml|玉兰油:玉兰油小白瓶:精华|修丽可:修丽可色修:精华",
        "zh_a": "保湿|肤感|成分|刺激性|吸收|美白效果",
        "zh_v": "50ml|30ml|100ml|套装|中样",
        "zh_u": "瓶|套",
        "en_c": "skincare|skin care",
        "en_p": "Estee Lauder:Estee Lauder Advanced Night Repair:serum|SK-II:SK-II Facial Treatment Essence:essence|"
                "La Roche-Posay:La Roche-Posay B5 cream:cream|Kiehl's:Kiehl's Ultra Facial Cream:moisturizer|"
                "CeraVe:CeraVe moisturizing cream:moisturizer|Lancome:Lancome Genifique serum:serum",
        "en_a": "hydration|texture|ingredients|scent",
        "en_v": "50ml|30ml|100ml|travel size",
        "budget": "100|200|300|500|800|1000",
    },
    "baby": {
        "zh_c": "母婴用品|宝宝用品",
        "zh_p": "飞鹤:飞鹤星飞帆奶粉:奶粉:1段/2段/3段/800g|爱他美:爱他美奶粉:奶粉:1段/2段/3段|"
                "帮宝适:帮宝适纸尿裤:纸尿裤:M码/L码/XL码/拉拉裤L码|花王:花王纸尿裤:纸尿裤:NB码/S码/M码|"
                "好奇:好奇心钻装:纸尿裤:L码/XL码|贝亲:贝亲奶瓶:奶瓶:160ml/240ml|好孩子:好孩子婴儿车:婴儿车:轻便款/高景观款|"
                "babycare:babycare湿巾:湿巾:80抽/10包装|惠氏:惠氏启赋奶粉:奶粉:1段/3段",
        "zh_a": "配方|透气性|材质|安全性|性价比",
        "zh_v": "标准装",
        "zh_u": "罐|包|箱",
        "en_c": "baby stuff|baby products",
        "en_p": "Pampers:Pampers diapers:diapers:size M/size L|Huggies:Huggies diapers:diapers:size L/size XL|"
                "Aptamil:Aptamil formula:formula:stage 1/stage 3|Pigeon:Pigeon baby bottle:baby bottle:160ml/240ml|"
                "Goodbaby:Goodbaby stroller:stroller:lightweight/standard|Feihe:Feihe infant formula:formula:stage 2/800g",
        "en_a": "ingredients|material|safety|value",
        "en_v": "standard pack",
        "budget": "100|200|300|500|1000|2000",
    },
    "snacks": {
        "zh_c": "零食|小吃",
        "zh_p": "三只松鼠:三只松鼠每日坚果:坚果:30包/750g|卫龙:卫龙辣条:辣条:大面筋/麻辣味/家庭装|"
                "良品铺子:良品铺子肉脯:肉脯:原味/蜜汁味|百草味:百草味夏威夷果:坚果:奶油味/500g|"
                "乐事:乐事薯片:薯片:原味/黄瓜味/番茄味|旺旺:旺旺大礼包:零食大礼包:大礼包/1kg|"
                "洽洽:洽洽瓜子:瓜子:原味/焦糖味/山核桃味|周黑鸭:周黑鸭鸭脖:卤味:微辣/甜辣|"
                "奥利奥:奥利奥饼干:饼干:原味/草莓味/家庭装|德芙:德芙巧克力:巧克力:丝滑牛奶/黑巧/礼盒装",
        "zh_a": "保质期|口味|口感|生产日期|甜度|分量|辣度",
        "zh_v": "家庭装|小包装",
        "zh_u": "袋|箱|包|盒",
        "en_c": "snacks|snack",
        "en_p": "Three Squirrels:Three Squirrels daily nuts:nuts:30 packs/750g|Weilong:Weilong latiao:latiao:spicy/family pack|"
                "Lay's:Lay's chips:chips:original/cucumber|Oreo:Oreo cookies:cookies:original/family pack|"
                "Dove:Dove chocolate:chocolate:milk/dark|Bestore:Bestore beef jerky:jerky:spicy/original",
        "en_a": "taste|shelf life|spiciness|portion size",
        "en_v": "family pack|small pack",
        "budget": "30|50|100|150|200",
    },
    "books": {
        "zh_c": "书|图书",
        "zh_p": "刘慈欣:三体:小说:全三册/典藏版|余华:活着:小说:平装版/精装版|马尔克斯:百年孤独:小说:精装版/典藏版|"
                "赫拉利:人类简史::平装版/精装版|兰小欢:置身事内::平装版|当年明月:明朝那些事儿::全套/全七册|"
                "钱钟书:围城:小说:平装版/纪念版|圣埃克苏佩里:小王子::中英双语版/精装版|达利欧:原则::精装版/平装版|"
                "罗伯特戴博德:蛤蟆先生去看心理医生::平装版",
        "zh_a": "翻译|印刷质量|纸张|装帧|内容|字体大小",
        "zh_v": "平装版|精装版",
        "zh_u": "本|套",
        "en_c": "book|books",
        "en_p": "Liu Cixin:The Three-Body Problem:novel:box set/paperback|Yuval Harari:Sapiens::hardcover/paperback|"
                "Yu Hua:To Live:novel:paperback|James Clear:Atomic Habits::hardcover/paperback|"
                "Gabriel Garcia Marquez:One Hundred Years of Solitude:novel:paperback/hardcover|Ray Dalio:Principles::hardcover",
        "en_a": "translation|print quality|paper|binding",
        "en_v": "hardcover|paperback",
        "budget": "30|50|100|200|300",
    },
    "sports": {
        "zh_c": "运动装备|健身器材|运动用品",
        "zh_p": "迪卡侬:迪卡侬瑜伽垫:瑜伽垫:6mm/8mm/紫色|Keep:Keep动感单车:动感单车:C1/标准版|"
                "迪卡侬:迪卡侬哑铃套装:哑铃:10kg/20kg|李宁:李宁羽毛球拍:羽毛球拍:4U/5U|尤尼克斯:尤尼克斯天斧88D:羽毛球拍:4U/3U|"
                "斯伯丁:斯伯丁篮球:篮球:7号球/6号球|Keep:Keep跳绳:跳绳:计数款/无绳款|飞利浦:飞利浦筋膜枪:筋膜枪:mini款/标准版|"
                "红双喜:红双喜乒乓球拍:乒乓球拍:横拍/直拍|迪卡侬:迪卡侬帐篷:帐篷:2人/3-4人",
        "zh_a": "材质|重量|防滑|做工|噪音|手感",
        "zh_v": "标准版",
        "zh_u": "个|套|副|把",
        "en_c": "sports gear|fitness gear",
        "en_p": "Decathlon:Decathlon yoga mat:yoga mat:6mm/8mm|Yonex:Yonex Astrox 88D:badminton racket:4U/3U|"
                "Spalding:Spalding basketball:basketball:size 7/size 6|Keep:Keep spin bike:spin bike:C1/standard|"
                "Theragun:Theragun massage gun:massage gun:mini/Pro|Bowflex:Bowflex adjustable dumbbells:dumbbells:20kg/40kg",
        "en_a": "grip|weight|durability|build quality",
        "en_v": "standard",
        "budget": "100|200|300|500|1000|2000",
    },
    "furniture": {
        "zh_c": "家具|家居",
        "zh_p": "顾家:顾家布艺沙发:沙发:三人位/直排/灰色|林氏木业:林氏木业书桌:书桌:1.2米/1.4米|宜家:宜家毕利书柜:书柜:白色/胡桃色|"
                "喜临门:喜临门床垫:床垫:1.5米/1.8米|慕思:慕思床垫:床垫:1.8米/2米|源氏木语:源氏木语实木床:床:1.5米/1.8米/原木色|"
                "西昊:西昊M57人体工学椅:椅子:带头枕/无头枕|全友:全友衣柜:衣柜:两门/四门|永艺:永艺电脑椅:椅子:带头枕/黑色",
        "zh_a": "尺寸|材质|甲醛|安装|做工|送货上门",
        "zh_v": "标准款",
        "zh_u": "张|套|个|把",
        "en_c": "furniture",
        "en_p": "IKEA:IKEA Billy bookcase:bookcase:white/walnut|IKEA:IKEA Poang chair:armchair:beige/black|"
                "Sihoo:Sihoo M57 office chair:office chair:with headrest/no headrest|Kuka:Kuka fabric sofa:sofa:3-seater/grey|"
                "DeRucci:DeRucci mattress:mattress:queen size/king size|Herman Miller:Herman Miller Aeron:office chair:size B/size C",
        "en_a": "size|material|build quality|assembly",
        "en_v": "standard",
        "budget": "500|1000|2000|3000|5000",
    },
    "pet_supplies": {
        "zh_c": "宠物用品|猫猫用品",
        "zh_p": "皇家:皇家猫粮:猫粮:幼猫/成猫/2kg/10kg|渴望:渴望猫粮:猫粮:5.4kg/1.8kg|网易严选:网易严选全价猫粮:猫粮:1.8kg/10kg|"
                "麦富迪:麦富迪狗粮:狗粮:1.5kg/10kg|伯纳天纯:伯纳天纯狗粮:狗粮:小型犬/中大型犬|"
                "小佩:小佩自动喂食器:喂食器:标准版/摄像头版|pidan:pidan豆腐猫砂:猫砂:6L/2.4kg|爱肯拿:爱肯拿猫粮:猫粮:1.8kg/5.4kg|"
                "pidan:pidan猫抓板:猫抓板:大号/小号|麦富迪:麦富迪冻干:冻干:鸡肉/鸭肉",
        "zh_a": "成分|适口性|性价比|做工|安全性",
        "zh_v": "标准装",
        "zh_u": "袋|包|箱",
        "en_c": "pet supplies|pet stuff",
        "en_p": "Royal Canin:Royal Canin kitten food:cat food:2kg/4kg|Orijen:Orijen cat food:cat food:1.8kg/5.4kg|"
                "Acana:Acana dog food:dog food:2kg/11.4kg|Petkit:Petkit auto feeder:feeder:standard/with camera|"
                "Pidan:Pidan tofu cat litter:cat litter:6L/2.4kg|Ziwi:Ziwi Peak treats:pet treats:chicken/beef",
        "en_a": "ingredients|quality|value|safety",
        "en_v": "standard",
        "budget": "100|200|300|500",
    },
    "tablets": {
        "zh_c": "平板|平板电脑",
        "zh_p": "苹果:iPad Air 6|苹果:iPad Pro M4|苹果:iPad mini 7|华为:华为MatePad Pro|小米:小米平板6|联想:联想小新Pad|"
                "三星:三星Tab S9|荣耀:荣耀平板9",
        "zh_a": "屏幕|续航|手写笔体验|上网课体验|游戏性能|扬声器",
        "zh_v": "128G|256G|WiFi版|蜂窝版|灰色|银色",
        "zh_u": "台|个",
        "en_c": "tablet|iPad",
        "en_p": "Apple:iPad Air 6|Apple:iPad Pro M4|Apple:iPad mini|Samsung:Galaxy Tab S9|Xiaomi:Xiaomi Pad 6|"
                "Huawei:MatePad Pro",
        "en_a": "screen|battery life|stylus|speakers",
        "en_v": "128GB|256GB|WiFi|cellular",
        "budget": "1500|2000|3000|4000|6000",
    },
    "smartwatches": {
        "zh_c": "手表|智能手表|运动手表",
        "zh_p": "苹果:Apple Watch S9|苹果:Apple Watch Ultra 2::49mm/钛金属|华为:华为Watch GT4|小米:小米手环8:手环:标准版/NFC版|"
                "佳明:佳明Forerunner 265|华米:华米GTR4|OPPO:OPPO Watch 4 Pro",
        "zh_a": "续航|心率准确度|防水|睡眠监测|表带|GPS定位",
        "zh_v": "41mm|45mm|46mm|黑色|棕色皮表带|NFC版",
        "zh_u": "块|个",
        "en_c": "smartwatch|watch",
        "en_p": "Apple:Apple Watch Series 9|Apple:Apple Watch Ultra 2::49mm|Garmin:Garmin Forerunner 265|"
                "Huawei:Huawei Watch GT 4|Samsung:Galaxy Watch 6|Amazfit:Amazfit GTR 4",
        "en_a": "battery life|heart-rate accuracy|GPS|sleep tracking",
        "en_v": "41mm|45mm|46mm|black",
        "budget": "300|500|1000|2000|3000",
    },
    "cameras": {
        "zh_c": "相机|数码相机",
        "zh_p": "索尼:索尼A7M4:微单:单机身/24-105套机|佳能:佳能R6二代:微单:单机身/24-105套机|富士:富士XT5:微单:单机身/18-55套机/银色|"
                "尼康:尼康Z6III:微单:单机身/24-120套机|大疆:大疆Pocket 3:口袋相机:标准版/全能套装|"
                "GoPro:GoPro12:运动相机:标准版/配件套装|影石:影石Insta360 X4:全景相机:标准版/滑雪套装|佳能:佳能R50:微单:18-45套机/白色",
        "zh_a": "画质|对焦|防抖|续航|视频能力|操控",
        "zh_v": "标准版",
        "zh_u": "台",
        "en_c": "camera",
        "en_p": "Sony:Sony A7 IV:mirrorless camera:body only/24-105 kit|Canon:Canon R6 Mark II:mirrorless camera:body only|"
                "Fujifilm:Fujifilm X-T5:mirrorless camera:silver/18-55 kit|Nikon:Nikon Z6 III:mirrorless camera:body only|"
                "DJI:DJI Pocket 3:vlog camera:standard/creator combo|GoPro:GoPro Hero 12:action cam:standard/accessory bundle",
        "en_a": "autofocus|stabilisation|image quality|battery life|video",
        "en_v": "standard",
        "budget": "2000|3000|5000|8000|15000",
    },
}
CATEGORIES: tuple[str, ...] = tuple(_LEXICON)

# Intent frames, written by hand. Slots: {p}/{p2} product, {b}/{b2} brand, {c} category word, {a} attribute,
# {v} variant, {n} budget, {k} count, {u} unit (zh). Level 2 = ready to buy now.
_FRAMES: dict[str, dict[str, list[str]]] = {
    "zh": {
        "ready": [
            "{p}要了", "就它了，{p}帮我下单", "{p}给我来{k}{u}", "帮我下单{p}，{v}的", "{p}{v}，现在就拍",
            "我要买{p}，怎么付款", "{p}有货的话我直接拍了", "库存还有吗，{p}我现在就要", "拍了拍了，{p}{v}，麻烦尽快发货",
            "{p}刚拍下，备注{v}，今天能发吗", "直接买{p}", "冲了冲了 {p}入手", "剁手了，{p}链接发我",
            "就要这个{p}，加购物车了马上结", "{p}多少钱，合适就直接拍", "{n}以内的{c}有现货的话我今天就下单",
            "{p}帮我留一{u}，马上付款", "决定了，买{p}", "好的，{p}{v}下单", "老婆批准了，{p}买买买",
            "{p}我要{k}{u}，可以微信付吗", "{p}能分期吗，能的话现在就买", "要{v}的{p}，帮我开单", "请帮我下单{k}{u}{p}",
            "{p}我要了，地址马上发你", "送女朋友的，就{p}了，帮我包装一下", "我决定入手{p}了", "现在下单{p}今天能发吗",
            "好，就{p}，付款链接发一下", "{p}加购了，马上结算", "不看别的了，就买{p}", "不犹豫了，{p}入了",
            "蹲到了！{p}马上拍", "种草好久了，今天必须拿下{p}", "{p}冲！", "买买买，{p}给我来一{u}",
            "能用花呗吗，{p}我现在买", "{b}的{c}就选{p}了，下单", "给我来{k}{u}{p}，{v}", "{p}，{v}，{k}{u}，等你改价付款",
            "行，{p}就这个价，成交", "价格可以，{p}我拍了", "{p}还有{v}吗？有就给我发一{u}", "这个{p}我要了 yyds",
            "{p}绝绝子，必须买", "我想现在就买{p}，直接发链接", "{p}怎么下单啊，我要买", "{p}拍一{u}，{v}，今天发货哦",
            "我就要{b}的，{p}帮我下单吧", "确认购买{p}，{v}", "搞定，{p}要{v}的那款，马上付", "{p}库存多少？我要{k}{u}马上付钱",
            "{p} 直接order了", "{p}就这个了 麻烦安排发货", "买！{p}{v}", "{c}就定{p}了，现在付款",
        ],
        "consider": [
            "{p}和{p2}哪个好", "{p}跟{p2}有什么区别", "{p}{a}怎么样", "{p}多少钱", "{p}现在什么价", "{p}有{v}的吗",
            "{p}包邮吗", "{p}能便宜点吗", "{p}有优惠券吗", "{n}以内有什么{c}推荐", "求推荐{n}以内的{c}", "{b}的{c}怎么样",
            "{p}{a}好不好", "{p}有货吗", "{p}是正品吗", "{p}保修多久", "{p}下单后几天能到", "预算{n}，{c}买哪款好",
            "{p}值得买吗", "{p}和{p2}纠结中，{a}哪个强", "{p}的{a}跟{p2}比呢", "有没有比{p}便宜点的{c}",
            "{p}支持七天无理由吗", "{p}{v}的和其他版本有啥区别", "{p}有没有赠品", "{p}参加满减吗", "{b}和{b2}的{c}哪个牌子好",
            "蹲一个{c}推荐，预算{n}", "想买个{c}，{a}要好的，有推荐吗", "{p}最近会降价吗", "{p}双十一会更便宜吗",
            "{p}有哪些规格", "{p}{a}咋样啊", "这款{c}{a}行不行", "{p}适合学生党吗", "{p}送人合适吗",
            "{p}现在入手划算还是再等等", "{p}和{p2}选哪个，主要看{a}", "{p}{v}多少钱", "{b}的{c}有什么推荐",
            "{p}实际用起来{a}如何", "{p}和{p2}价格差多少", "请问{p}有现货吗，大概几天发货", "{p}是新款吗",
            "{c}哪个牌子{a}比较好", "{p}有没有{v}", "{n}买{p}贵不贵", "{p}评价怎么样，有人说{a}不行",
            "买之前问下，{p}能开专票吗", "不是马上买，先问问{p}和{p2}的区别", "{p}有啥缺点吗", "求问{p}{a}，种草了但还在犹豫",
            "{p} 有discount吗", "{c}有啥recommend的吗，{n}左右", "被种草了{p}，{a}真有那么好吗", "{p}跟{p2}比哪个性价比高",
            # an opening request names a kind of product, not one item: a search, not a decision
            "我想买{c}", "想买一{u}{c}", "我想买个{b}的{c}", "想入手一款{c}，{n}以内", "我想买{c}，{a}好一点的",
            "最近想买{c}", "想给家里人买{c}",
        ],
        "browse": [
            "随便看看{c}", "先逛逛，看看有什么{c}", "就看看{p}，不买", "只是随便看看，没打算买{c}", "{c}先不着急，逛逛而已",
            "刷到{p}了，看看热闹", "{p}太贵了算了", "{p}买不起", "不想买{p}了", "{p}再看看吧", "先不买了，{p}有点贵",
            "{p}不要了", "不需要{c}，谢谢", "不是要买{p}，只是问问", "我不买了，{p}还是太贵",
            "预算不够，{p}拔草了", "看了评测，{p}被劝退了", "算了，家里{c}还能用",
            "暂时不考虑{c}", "{p}下次再说吧", "等降价再说，先不买{p}", "{p}超预算了，不买了", "没钱，{p}只能看看 😭",
            "别推{c}了，我不需要",



            "sorry 不买了，{p}太贵",
            "{p}是挺好，可惜钱包不允许", "帮朋友看看{c}而已，我自己不买", "{c}家里有了，不用了",
        ],
        "service": [
            "{p}帮我取消订单", "{p}我不要了，帮我取消一下", "已经买了{p}怎么退货", "买的{p}坏了", "{p}收到了有问题", "{p}的发票怎么开", "我的{p}物流到哪了",
            "{p}质量有问题，我要退款", "上周买的{p}怎么还没发货", "买回来的{p}{a}太差了，想退", "{p}到了，说明书找不到", "买的{p}少发了一{u}", "买的{p}{v}不合适，能换吗",
            "我买的{p}想申请售后", "{p}收到是坏的", "快递显示签收了但我没收到{p}", "{p}买完就降价了，能保价吗", "{p}用了一周就坏了", "订单里的{p}能改地址吗",
            "买了{p}，赠品没收到", "退货的{p}寄回去了，什么时候退款", "买的{p}{a}有问题，怎么联系售后",
        ],
    },
    "en": {
        "ready": [
            "I'll take the {p}", "ok, add the {p} to my cart", "buy the {p} now", "I want {k} of the {p}, how do I pay?",
            "ordering the {p} in {v} right now", "placing the order for the {p} now", "the {p} it is, checkout please",
            "is the {p} in stock? I want it today", "send me the payment link for the {p}", "sold, I'm getting the {p}",
            "let's do it, {p} in {v}", "can I pay with Alipay? buying the {p} now", "I'm ready to buy the {p}",
            "please place an order for {k} of the {p}", "how much is the {p}? if it's under {n} I'll buy it right away",
            "done deciding, {p} please", "yes, the {p}, {v}, go ahead and order", "grab me the {p} before it sells out",
            "the {p} is exactly what I need, buying now", "take my money, {p} 🛒", "add {k} of the {p} to the order",
            "going with the {p}, ship it today pls", "checkout: {p}, {v}", "need the {p} asap, I'll pay now",
            "reserve one {p} for me, paying in 5 min", "perfect, I'll order the {p}", "purchase the {p} for me",
            "I've made up my mind, the {p}", "ok the {b} one, {p}, buy", "want it! {p} in {v}",
            "{p} in {v}, I'm buying", "I'll buy {k} of the {p} right now", "got the budget approved, ordering the {p}",
        ],
        "consider": [
            "{p} vs {p2}, which is better?", "what's the difference between the {p} and the {p2}",
            "how is the {a} on the {p}", "how much is the {p}", "does the {p} come in {v}", "is shipping free for the {p}",
            "any discount on the {p}?", "any {c} recommendations under {n}?", "good {c} around {n}?",
            "{b} or {b2}, which {c} brand is better?", "is the {p} worth it?", "how's the {a} compared to the {p2}",
            "is the {p} in stock", "is the {p} genuine?", "how long is the warranty on the {p}",
            "when would the {p} arrive if I order today", "can you do a better price on the {p}?", "any coupons for the {p}",
            "is the {p} good for students", "should I wait for a sale on the {p}", "torn between the {p} and the {p2}, thoughts?",
            "does the {p} have good {a}", "what versions does the {p} come in", "any cheaper alternative to the {p}",
            "not buying yet, just comparing the {p} and the {p2}", "is the {p} worth the extra over the {p2}",
            "what's the return policy on the {p}", "{c} with good {a}, any recommendations?", "price of the {p} in {v}?",
            "how's the {a} on {b} stuff", "budget {n}, which {c} should I get?", "is the {p} {v} cheaper anywhere?",
            "I want to buy a {c}", "looking for a {c} under {n}", "I need a new {c}", "want to get a {b} {c}",
        ],
        "browse": [
            "just browsing {c}", "just looking, not buying the {p}", "the {p} is too expensive, never mind",
            "can't afford the {p} lol", "I don't want the {p} anymore", "I'll think about the {p}, maybe later",
            "not buying the {p}, just asking", "I don't need {c} stuff right now, thanks",



            "just window shopping for {c}",
            "saw the {p} online, just curious, not buying", "too pricey, I'll pass on the {p}", "nah, skipping the {p}",
            "I already own the {p2}, don't need the {p} too",
            "no {c} for me today, bye",
        ],
        "service": [
            "cancel my order for the {p}", "how do I return the {p} I bought", "the {p} I bought is broken",
            "where is my {p}? tracking hasn't updated", "need an invoice for the {p} I already bought",
            "the {p} arrived damaged", "my {p} stopped working after a week", "I want a refund for the {p}",
            "price dropped right after I bought the {p}, can I get the difference?",
            "ordered {v} but got a different one, the {p}", "how do I set up the {p} I got yesterday",
            "the {p} I ordered last week still hasn't shipped", "my {p} is missing a part",
        ],
    },
}

# Category-free pieces for chit-chat rows and short replies (combined with prefixes and suffixes).
_GENERIC: dict[str, dict[str, list[str]]] = {
    "zh": {
        "browse": ["今天天气真好", "你是机器人吗", "你叫什么名字", "讲个笑话", "你们几点下班", "好无聊", "周末去哪玩",
            "最近好累啊", "你们公司在哪", "你会唱歌吗", "谢谢", "谢谢啦", "好的谢谢", "多谢", "蟹蟹", "辛苦了", "嗯",
            "哦", "好吧", "嗯嗯", "哈哈", "知道了", "行吧", "随便看看", "先逛逛", "没事", "不用了", "再见", "拜拜",
            "下次再来", "我先走了", "晚安", "吃饭了吗", "你在干嘛", "今天好冷", "下班了好开心", "随便聊聊"],
        "consider": ["这个多少钱", "有货吗", "包邮吗", "能便宜点吗", "有什么区别", "哪个好", "有优惠吗", "几天能到",
            "有赠品吗", "是正品吗", "保修多久", "有推荐吗", "还有别的颜色吗", "有没有便宜点的", "换个牌子看看",
            "能分期吗", "发什么快递", "有券吗", "尺码怎么选", "有现货吗", "能再少点吗", "这两款哪个划算"],
        "ready": ["要了", "就这个", "好的下单", "就它了", "拍了", "下单了", "帮我下单", "怎么付款", "直接买", "给我来两件",
            "马上付款", "成交", "买了", "冲了", "我要这个", "帮我拍下", "现在就买", "付款链接发我", "就买这款",
            "给我来一个", "可以下单了", "我现在就要"],
        "service": ["物流到哪了", "怎么退货", "发票怎么开", "退款到账了吗", "能改地址吗", "帮我取消订单", "怎么还没发货",
                    "申请售后", "能保价吗", "换货怎么弄", "快递一直不动", "少发了一件", "收到是坏的", "催一下发货",
                    "退款什么时候到", "帮我查下物流", "发票开了吗", "怎么申请退款", "安装师傅什么时候来", "订单取消了吗"],
    },
    "en": {
        "browse": ["hi", "hello", "thanks", "thank you", "ok", "hmm", "just browsing", "bye", "never mind", "lol",
            "nice weather today", "are you a bot", "what's your name", "good morning", "just looking around"],
        "consider": ["how much is it", "is it in stock", "free shipping", "any discount", "which one is better",
            "what's the difference", "any other colours", "any recommendations", "how long is delivery"],
        "ready": ["I'll take it", "buy it", "order it", "checkout", "I want this one", "add to cart and pay", "ordering now",
            "send me the payment link", "I'm buying it"],
        "service": ["where is my order", "how do I return it", "refund please", "cancel my order", "it arrived broken",
                    "change my delivery address", "my package never came", "I need an invoice for my order"],
    },
}

_ZH_PREFIXES = ["亲，", "亲~", "在吗？", "在马 ", "你好，", "您好，", "老板，", "客服，", "那个，", "嗯，", "哈喽，",
                "店家，", "hello ", "美女，", "小姐姐，", "宝，", "嗯嗯 ", "哦对了，", "诶，"]
_ZH_SUFFIXES = ["呀", "哈", "啊", "~", "!!", "😊", "👍", "🙏", "😭", "[捂脸]", "哈哈", "。", "！", "🔥", "😂", "❤️",
                "[玫瑰]", "...", "嘿嘿", "哦"]
_EN_PREFIXES = ["hi, ", "hey ", "hello, ", "ok ", "so ", "um, ", "yo ", "hey there, ", "right, "]
_EN_SUFFIXES = [" :)", " 🙂", "!", " lol", " pls", " thx", " 😅", "...", " 👍"]
# Question-only decorations: a "？" turns "就它了" into a question, so these go on level-1 rows only.
_ZH_ASK_PREFIXES = ["请问", "想问下，", "咨询一下，"]
_ZH_ASK_SUFFIXES = ["？", "？？", "?"]
_EN_ASK_PREFIXES = ["quick question: ", "question: ", "just wondering, "]
_EN_ASK_SUFFIXES = ["?", "??", " ?"]

# Typos, homophones and chat shorthand: (correct, variants). Applied to at most one match per message.
_ZH_TYPOS = [("吗", ["马", "嘛", "么"]), ("推荐", ["推介", "推见"]), ("多少钱", ["多少前", "多少米", "多钱"]),
             ("买吧", ["买把"]), ("什么", ["啥", "神马", "森么"]), ("怎么", ["咋", "怎莫", "肿么"]), ("可以", ["阔以", "可已"]),
             ("有没有", ["有木有", "有么有"]), ("喜欢", ["稀饭"]), ("谢谢", ["蟹蟹", "3q"]), ("便宜", ["便易", "py"]),
             ("的", ["滴", "得"]), ("现在", ["线在"]), ("好的", ["好滴", "ok"]), ("觉得", ["觉的"]), ("这个", ["这各", "zhe个"]),
             ("价格", ["价各"]), ("质量", ["质亮"]), ("发货", ["法货"]), ("不要", ["不药"]), ("下单", ["下蛋", "xia单"])]
_EN_TYPOS = [("you", ["u"]), ("please", ["pls", "plz"]), ("I'm", ["im", "Im"]), ("want to", ["wanna"]),
             ("going to", ["gonna"]), ("recommend", ["reccomend", "recomend"]), ("which", ["wich"]),
             ("thanks", ["thx", "ty"]), ("the ", ["teh ", "da "]), ("right now", ["rn"]), ("because", ["cuz"])]

# Measure words for item kinds whose category-level unit would be wrong ("一罐纸尿裤").
_ZH_UNITS = {"奶粉": "罐", "纸尿裤": "包|箱", "奶瓶": "个", "婴儿车": "辆|台", "湿巾": "包|箱", "猫粮": "袋", "狗粮": "袋",
             "猫砂": "包|袋", "喂食器": "个|台", "猫抓板": "个", "冻干": "袋|罐", "瑜伽垫": "个|张", "哑铃": "副|套",
             "羽毛球拍": "支|把", "篮球": "个", "跳绳": "根", "筋膜枪": "个|台", "乒乓球拍": "副|块", "帐篷": "顶",
             "动感单车": "台", "沙发": "套|张", "书桌": "张", "书柜": "个", "床垫": "张", "床": "张", "椅子": "把",
             "衣柜": "个", "炒锅": "口|个", "刀具": "套", "裤子": "条", "坚果": "箱|袋", "辣条": "包|箱", "巧克力": "盒",
             "薯片": "袋|箱", "饼干": "盒|箱", "瓜子": "袋", "手环": "个|块", "眼霜": "支|瓶"}
_ZH_NUM = {"一": "1", "两": "2", "三": "3"}
_ZH_COUNTS = ["一", "两", "2", "三", "3", "5"]
_EN_COUNTS = ["two", "2", "three", "3"]
_PUNCT = set(",.!?;:~，。！？、；：～…")  # sentence punctuation that shoppers often leave out

# Template rows per (language, category, level) and per (language, level) for category-free rows.
_PER_CATEGORY = {"zh": {"browse": 16, "consider": 44, "ready": 40, "service": 28},
                 "en": {"browse": 5, "consider": 12, "ready": 10, "service": 6}}
_PER_GENERIC = {"zh": {"browse": 110, "consider": 50, "ready": 50, "service": 40},
                "en": {"browse": 25, "consider": 15, "ready": 15, "service": 10}}

# Hand-written literal messages: "stage category text" per line (text may contain spaces).
_HANDWRITTEN = """
ready none 要了
ready none 就这个
ready none 好的下单
ready none 就它了
ready none 拍了
ready none 下单了
ready none 帮我下单
ready none 怎么付款
ready none 直接买
ready none 给我来两件
ready none 库存还有吗我现在就要
ready none 行就这个吧 下单
ready none 可以 拍了
ready none 好 我买了
ready none 买买买
ready none 冲了
ready none 剁手了 链接发我
ready none 付款链接发一下
ready none 我现在就下单
ready none 不用再推荐了，就刚才那个，买
ready none 就刚才第二个吧，帮我拍下
ready none 第一款要了
ready none 第三个给我来一份
ready none 上面那个链接我直接拍了哈
ready none 可以货到付款吗 我现在就要
ready none 要了要了 别涨价
ready none 好嘞 下单
ready none 成交
ready none ok下单
ready none 好滴 我拍了
ready none 就要这款了，帮我改下价我付款
ready none 已经加购了马上付
ready none 决定了就买这个
ready none 买把 就它了
ready none 在马 我要下单
ready none 多少钱，合适就直接拍
ready none 价格ok的话今天就买
ready none 包邮的话我现在就拍
ready none 有货就直接发 钱我付了
ready none 给我留两件，下午付款
ready none 老板给我来一箱
ready none 来两盒
ready none 钱包准备好了 冲
ready none 这价格必须拿下
ready none 蹲了好久终于降价了 马上拍
ready none 刚才那个给我两份 一份送人
ready none 我就要这个了 别劝我了
ready none 可以了 下单吧
ready none 地址发你了 安排发货吧 我付款
ready none 直接拍了，不用改价了
ready none 能开花呗分期吗 能我就马上买
ready none 就这款 麻烦发顺丰
ready none 亲 拍下了 今天能发吗
ready phones iPhone15 256G 黑色 要一台 现在付
ready phones 小米14 白色 直接下单
ready phones Mate60 Pro有货吗 有的话我立刻买
ready phones 帮我拍一台华为Mate 60 雅川青 512G
ready phones iphone15promax 1t 原色钛金属 买了买了
ready laptops 拯救者Y9000P给我来一台，走公司账
ready laptops MacBook Air M3 16+512 午夜色 下单
ready laptops 小新pro14 就它了 今天能发吗
ready earphones AirPods pro2 要一副 直接拍
ready earphones 索尼XM5黑色拍了 记得送耳机包
ready earphones 漫步者那款200多的 就它 下单
ready tvs 海信E8K 75寸 下单 周末能送装吗
ready tvs 小米电视85寸直接买 帮我约安装
ready home_appliances 石头G20要了 今天付款
ready home_appliances 格力1.5匹挂机来两台
ready kitchen 空气炸锅就买这个了 5L 黑色
ready kitchen 苏泊尔炒锅32cm 拍下了 帮我发顺丰
ready clothing 波司登羽绒服 黑色L码 给我来一件
ready clothing 这件卫衣M码 白色 我要了
ready clothing 冲锋衣要XL 两件 一黑一蓝 下单
ready shoes 李宁赤兔6 42码 直接拍
ready shoes 飞马40 男款43码 我要了 yyds
ready shoes 这双跑鞋41码还有吗 有就马上买
ready skincare 小棕瓶50ml 给我来两瓶
ready skincare 薇诺娜舒敏霜 拍了 多送点小样哈
ready baby 飞鹤3段 给我来6罐
ready baby 帮宝适L码 拉拉裤 来两箱
ready snacks 卫龙辣条来一箱 绝绝子
ready snacks 每日坚果30包装 直接下单
ready snacks 给我来十袋洽洽瓜子
ready books 三体全三册 下单
ready books 明朝那些事儿全套 我买了 开个电子发票
ready sports 尤尼克斯天斧88D 4U 直接拍
ready sports 瑜伽垫6mm 紫色 要了
ready furniture 西昊M57 我要一把 今天下单
ready furniture 喜临门床垫1.8米 就它了 约送货
ready pet_supplies 渴望猫粮 5.4kg 来一袋
ready pet_supplies 豆腐猫砂 来5包 包邮就直接拍
ready tablets iPad Air 6 256G 蓝色 下单
ready tablets 小米平板6 要一台 送键盘吗 不送也买
ready smartwatches 华为GT4 46mm 棕色 我要了
ready smartwatches Apple Watch S9 45mm 直接拍
ready cameras 索尼A7M4 单机身 拍了
ready cameras 大疆Pocket3 全能套装 今天下单
consider none 有货吗
consider none 包邮吗
consider none 能便宜点吗
consider none 多少钱
consider none 多少前
consider none 这个多少钱啊
consider none 有什么区别
consider none 哪个好
consider none 有优惠吗
consider none 还能再少点吗
consider none 几天能到
consider none 发什么快递
consider none 有赠品吗
consider none 是正品吗
consider none 能开发票吗
consider none 保修多久
consider none 支持七天无理由吗
consider none 有推介吗
consider none 求推荐
consider none 这两个哪个性价比高
consider none 第一个和第二个有啥区别
consider none 还有别的颜色吗
consider none 有没有便宜点的
consider none 有没有更好一点的
consider none 换个牌子看看
consider none 有券吗
consider none 满减怎么算
consider none 双十一会更便宜吗
consider none 现在买还是等618
consider none 能分期吗
consider none 种草了 但还想再对比一下
consider none 有没有实物图
consider none 有视频介绍吗
consider none 尺码表发我看看
consider none 这个是新款还是老款
consider none 今天下单明天能到吗
consider none 偏远地区包邮吗
consider none 能便宜50吗
consider none 两件有优惠吗
consider none 学生有折扣吗
consider none 跟隔壁家比怎么贵了100
consider none 有没有更适合送长辈的
consider none 还有其他款推荐吗
consider none 求推荐一个性价比高的
consider none 帮我对比下这两款
consider none 这款质量怎么样啊
consider none 这个牌子靠谱吗
consider none 售后怎么样
consider none 退换货方便吗
consider none 蹲一个推荐
consider phones iPhone15 256G多少钱
consider phones 小米14和iPhone15哪个拍照好
consider phones mate60信号真的好吗
consider phones 3000左右的手机有什么推荐 打游戏用
consider phones 红米k70发热严重吗
consider phones 苹果15和15pro差别大吗 值不值得多花两千
consider laptops 学生党6000以内的笔记本推荐一下
consider laptops 拯救者和天选哪个散热好
consider laptops macbook air跑ps卡不卡
consider laptops thinkpad x1 carbon 键盘手感咋样
consider earphones 500元以内的降噪耳机有推荐的吗
consider earphones AirPods pro2降噪跟索尼比怎么样
consider earphones 蓝牙耳机打游戏延迟高吗
consider earphones freebuds pro3 安卓用能开空间音频吗
consider tvs 65寸和75寸 客厅3米用哪个
consider tvs 海信和tcl哪个画质好
consider tvs 这台电视开机有广告吗
consider home_appliances 扫地机器人能拖地吗
consider home_appliances 一级能效和三级能效一年差多少电费
consider home_appliances 戴森吸尘器值不值那个价
consider kitchen 空气炸锅多大容量够三口之家
consider kitchen 不粘锅涂层安全吗
consider kitchen 破壁机噪音大不大
consider clothing 165 55kg穿什么码
consider clothing 这件羽绒服含绒量多少
consider clothing 卫衣会起球吗
consider shoes 赤兔6和飞电3有什么区别
consider shoes 脚宽穿哪个码合适
consider shoes pegasus40适合大体重跑吗
consider skincare 油皮能用这个面霜吗
consider skincare 孕妇可以用小棕瓶吗
consider skincare 敏感肌用哪个精华好
consider baby 奶粉1段和2段怎么选
consider baby 纸尿裤哪个牌子不红屁屁
consider baby 这款婴儿车能上飞机吗
consider snacks 辣条辣不辣 我不太能吃辣
consider snacks 坚果是今年的新货吗
consider snacks 零食大礼包里面都有什么
consider books 三体是哪个出版社的版本
consider books 有没有塑封 是正版吗
consider books 给小学生看的书有什么推荐
consider sports 羽毛球拍4U和5U怎么选
consider sports 筋膜枪哪个牌子好 预算500
consider sports 动感单车噪音大吗 楼下会投诉吗
consider furniture 床垫偏硬还是偏软
consider furniture 这个沙发有没有甲醛味
consider furniture 人体工学椅西昊和永艺哪个好
consider pet_supplies 幼猫吃什么猫粮好
consider pet_supplies 渴望和爱肯拿哪个适口性好
consider pet_supplies 豆腐猫砂和膨润土有什么区别
consider tablets ipad air和pro差别大吗 主要记笔记
consider tablets 平板上网课哪个好 2000以内
consider tablets 小米平板能接键盘吗
consider smartwatches 华为手表能回微信消息吗
consider smartwatches apple watch续航能撑几天
consider smartwatches 跑步用佳明还是华为
consider cameras 新手入门微单推荐一下 预算8000
consider cameras 索尼a7m4和佳能r6二代怎么选
consider cameras pocket3防抖怎么样
browse none 你好
browse none 您好
browse none 在吗
browse none 谢谢
browse none 谢谢啦
browse none 嗯
browse none 哦
browse none 好吧
browse none 随便看看
browse none 今天天气真好
browse none 不是要买，只是问问
browse none 我不买了
browse none 买不起
browse none 不想买了
browse none 太贵了算了
browse none 再看看吧
browse none 先不买
browse none 不要了
browse none 不需要
service none 取消订单
service none 已经买了怎么退货
service none 发票怎么开
service none 物流到哪了
service none 质量有问题
service none 买的东西坏了
service none 我上周买的还没到
service none 快递怎么还不动
service none 收到货了 有点小瑕疵
service none 怎么申请退款
service none 退款什么时候到账
service none 退货地址发我一下
service none 买错了能退吗
service none 刚下单就降价了 能退差价吗
service none 订单号发你了 帮我查下物流
browse none 我要投诉
browse none 客服电话多少
browse none 你是机器人吗
browse none 讲个笑话吧
browse none 周末去哪玩好
browse none 好无聊啊
browse none 哈哈哈
browse none 笑死
browse none 嗯嗯
browse none 知道了
browse none 好的谢谢
browse none 蟹蟹
browse none 拜拜
browse none 晚安
browse none 早上好
browse none 有人吗
browse none 在马
browse none 哈喽
browse none 再见
browse none 没事了
browse none 没什么 随便问问
browse none 我就逛逛
browse none 先收藏了
browse none 先加个收藏 以后再说
browse none 等发工资再说吧
browse none 钱不够 下次吧
browse none 算了算了
browse none 还是不买了
browse none 我再考虑考虑
browse none 家里人不让买
browse none 老婆不让买 😭
browse none 穷 买不起 告辞
browse none 吃土中 别推荐了
browse none 剁手剁多了 这个月不买了
browse none 我只是来看看 不买东西
browse none 不是我买 我帮朋友看看
browse none 别给我发广告了
browse none 怎么退订短信
browse none 你们这个客服好慢
browse none 我是来投诉的
browse none 东西不错 好评
browse none 已经收到了 谢谢
browse none 用了几天感觉还行
service none 下单地址填错了 怎么改
service none 订单取消了吗
service none 帮我取消一下订单
service none 不要了 帮我退掉
service none 退款了吗
service none 怎么开专票
service none 发票抬头写错了
browse none 会员积分怎么用
browse none 我的优惠券怎么没了
browse none 密码忘了怎么登录
browse none 你们店开了多久了
browse none 今天好热
browse none 下雨了
browse none 今天星期几
browse none 最近有点累
browse none 你会说英语吗
browse none 能聊会天吗
browse none 哦哦好的
browse none 行吧
browse none 666
browse none 😂
browse none ？？？
browse none emmm
browse none 我不知道
browse none 都挺好的 但我不需要
browse none 就是问问价 不买
browse none 种草了但是没钱 拔草了
browse none 绝绝子 可惜买不起
browse none yyds 但是太贵了
browse none 看看而已 别当真
browse none 逛街逛累了
browse none 先撤了
browse none 我走了 拜
browse none 算了 不看了
service none 买的东西到现在还没发货
browse none 我买过了 不用再推了
browse none 上次买的用着挺好 不过这次不需要
browse none 不买 谢谢
browse none 我不是要买东西 就想问下你们门店地址
service phones 买的手机屏幕有坏点
service phones 手机收到了充不进电
browse phones iPhone太贵了算了 用安卓凑合
browse phones 只是看看新出的手机 不买
service laptops 电脑买回来一直蓝屏
service laptops 笔记本发票开了吗 报销要用
service laptops 刚买的笔记本降价了 能保价吗
service earphones 耳机左耳没声音 怎么办
service earphones 已经买了耳机 怎么连接安卓
service tvs 电视安装师傅什么时候来
service tvs 电视屏幕摔裂了 能修吗
service home_appliances 空调装好了不制冷
service home_appliances 洗衣机送货把门撞坏了
service kitchen 锅收到就有划痕
service kitchen 电饭煲内胆掉涂层了 要退
service clothing 衣服洗了一次就掉色
service clothing 尺码买小了 怎么换
browse clothing 衣服好看 但是买不起
service shoes 鞋子穿了两天开胶了
service shoes 跑鞋不要了 退货运费谁出
service skincare 用了面霜脸过敏了
service skincare 精华收到瓶子漏了
service baby 奶粉罐子瘪了 要换
browse baby 宝宝已经不用纸尿裤了 不需要
service snacks 坚果有哈喇味 要退款
service snacks 零食过期了 你们怎么卖过期的
service books 书收到少了一本
service books 书页有破损
service sports 哑铃收到少了一个
browse sports 最近不健身了 不需要
service furniture 床垫味道太大 能退吗
service furniture 书桌安装少了螺丝
service pet_supplies 猫吃了拉肚子 这猫粮还能退吗
service pet_supplies 猫砂买多了 能退两包吗
service tablets ipad收到屏幕有划痕
browse tablets 平板太贵了 先不买
service smartwatches 手表表带断了 保修吗
service cameras 相机镜头有灰 能换吗
browse cameras 相机玩不起 告辞
ready none I'll take it
ready none ok order it
ready none yes, checkout
ready none take my money
ready none I want two of these, how do I pay?
ready none deal, send me the link
ready none that one, buying now
ready none if it ships today I'm buying it right now
ready none sold! ship it
ready none cart's ready, paying
ready none the second one please, ordering
ready none ok fine, ring it up
ready phones iPhone 15 128GB blue, placing the order now
ready earphones AirPods Pro 2, I'll take a pair
ready shoes Pegasus 40 size 10, buy
ready laptops MacBook Air M3 16GB, order it pls
ready snacks get me a box of the mixed nuts
ready books ordering the Three-Body trilogy box set now
ready pet_supplies 2 bags of the kitten food, paying now
ready tvs the 65 inch Hisense, I'm ordering it
consider none how much?
consider none is it in stock?
consider none free shipping?
consider none any discount?
consider none what's the difference?
consider none which one is better?
consider none does it come in black?
consider none what's the warranty?
consider none can you do cheaper?
consider none any recommendations under 500 yuan?
consider none how long does delivery take?
consider none can I return it if it doesn't fit?
consider none is this the new model?
consider none any bundle deals?
consider none what sizes are left?
consider phones Pixel 8 or iPhone 15 for photos?
consider laptops best laptop for coding under 8000 RMB?
consider earphones are Sony XM5 better than Bose for noise cancelling?
consider tvs 65 or 75 inch for a small living room?
consider skincare is this ok for sensitive skin?
consider pet_supplies which cat food is good for kittens?
consider cameras good beginner camera for travel vlogs?
consider smartwatches does the Apple Watch track sleep well?
consider kitchen is the air fryer easy to clean?
browse none hi
browse none hello
browse none thanks
browse none thank you!
browse none ok
browse none hmm
browse none just browsing
browse none nice weather today
browse none not buying, just asking
browse none I'm not buying anymore
browse none can't afford it
browse none too expensive, forget it
browse none maybe later
browse none no thanks
service none cancel my order
service none how do I return what I bought?
service none where is my package?
service none I need an invoice for my last order
service none the item I bought is broken
service none I want a refund
browse none are you a bot?
browse none lol
browse none bye
browse none never mind
browse none I'm good, thanks
service phones my new phone won't charge
service shoes the shoes I got are the wrong size, how do I exchange?
service books one of the books arrived torn
browse none tell me a joke
service none I already bought one last week, just checking the tracking
"""


def normalise(text: str) -> str:
    """Key used for duplicate removal: NFKC, case-folded, without spaces, punctuation or emoji
    (messages made only of symbols keep their symbols).

    >>> normalise("  要了！😊 ") == normalise("要了")
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    key = "".join(ch for ch in text if ch.isalnum())
    return key or "".join(text.split())  # "😂" and "？？？" are messages too


def _lang_of(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def _products(field: str) -> list[tuple[str, str, str, list[str]]]:
    """Parse "brand:product[:category word[:variant/variant]]" entries."""
    out = []
    for item in field.split("|"):
        brand, product, word, variants = (item.split(":") + ["", ""])[:4]
        out.append((brand, product, word, variants.split("/") if variants else []))
    return out


def _budget(rng: random.Random, value: str, lang: str) -> str:
    x = int(value)
    k = f"{x // 1000}k" if x % 1000 == 0 else f"{x}"
    if lang == "zh":
        return rng.choice([value, f"{x}元", f"{x}块", k])
    return rng.choice([f"{x} yuan", f"¥{x}", f"{x} RMB", k])


def _fill(frame: str, lex: dict[str, str], lang: str, rng: random.Random) -> str:
    """Fill every slot of ``frame`` from one category's lexicon, keeping brand, category word and variant
    consistent with the chosen product (a second product prefers the same kind of item)."""
    products = _products(lex[f"{lang}_p"])
    brand, product, word, variants = rng.choice(products)
    others = [p for p in products if p[1] != product]
    same_kind = [p for p in others if p[2] == word]
    brand2, product2, _, _ = rng.choice(same_kind or others)
    if brand2 == brand:
        brand2 = rng.choice([p[0] for p in others if p[0] != brand] or [brand])
    generic = lex[f"{lang}_c"].split("|")
    slots = {
        "p": product, "p2": product2, "b": brand, "b2": brand2,
        "c": word if word and rng.random() < 0.7 else rng.choice(generic),
        "a": rng.choice(lex[f"{lang}_a"].split("|")),
        "v": rng.choice(variants or lex[f"{lang}_v"].split("|")),
        "n": _budget(rng, rng.choice(lex["budget"].split("|")), lang),
        "k": rng.choice(_ZH_COUNTS if lang == "zh" else _EN_COUNTS),
        "u": rng.choice(_ZH_UNITS.get(word, lex["zh_u"]).split("|")),
    }
    text = frame.format(**slots)
    if lang == "en":  # "the The Three-Body Problem" -> "The Three-Body Problem"
        text = re.sub(r"\b[Tt]he (?=The )", "", text)
    if lang == "zh" and rng.random() < 0.3:  # "iPhone 15" -> "iphone15": shoppers rarely type spaces or capitals
        text = text.replace(product, product.replace(" ", "").lower())
    return text


def _vary(text: str, lang: str, stage: str, rng: random.Random) -> str:
    """Add the noise of real chat: prefixes, suffixes, emoji, typos/homophones, dropped punctuation."""
    typos = _ZH_TYPOS if lang == "zh" else _EN_TYPOS
    if rng.random() < 0.2:
        hits = [(old, new) for old, new in typos if old in text]
        if hits:
            old, new = rng.choice(hits)
            pattern = r"(?<!美)的" if old == "的" else re.escape(old)  # keep the brand 美的 intact
            text = re.sub(pattern, rng.choice(new), text, count=1)
    if lang == "zh" and rng.random() < 0.15:
        for word, digit in _ZH_NUM.items():
            text = text.replace(f"{word}台", f"{digit}台").replace(f"{word}件", f"{digit}件")
    if rng.random() < 0.2:
        text = " ".join("".join(" " if ch in _PUNCT else ch for ch in text).split())
        if lang == "zh":  # Chinese chat drops punctuation without adding spaces between CJK characters
            text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)
    if lang == "en" and rng.random() < 0.35:
        text = text.lower()
    zh = lang == "zh"
    prefixes = _ZH_PREFIXES if zh else _EN_PREFIXES
    suffixes = _ZH_SUFFIXES if zh else _EN_SUFFIXES
    if stage in ("consider", "service"):  # questions; "就它了？" would no longer be a decision
        prefixes = prefixes + (_ZH_ASK_PREFIXES if zh else _EN_ASK_PREFIXES) * 3
        suffixes = suffixes + (_ZH_ASK_SUFFIXES if zh else _EN_ASK_SUFFIXES) * 3
    if rng.random() < 0.25:
        text = rng.choice(prefixes) + text
    if rng.random() < 0.3:
        text = text.rstrip("!！。.~") + rng.choice(suffixes)
    return text.strip()


def _row(text: str, stage: str, lang: str, category: str, source: str, group: str) -> dict:
    return {"text": text, "stage": stage, "label": int(stage == "ready"), "level": LEVEL[stage], "lang": lang,
            "category": category, "source": source, "group": group}


def _handwritten() -> list[dict]:
    rows = []
    for i, line in enumerate(_HANDWRITTEN.strip().splitlines()):
        stage, category, text = line.split(" ", 2)
        rows.append(_row(text.strip(), stage, _lang_of(text), category, "handwritten", f"hw:{i}"))
    for path in MESSAGE_FILES:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            stage, category, text = line.split("\t")
            if stage not in LEVEL or category not in CATEGORIES + ("none",):
                raise ValueError(f"{path.name}, line {i + 1}: bad stage {stage!r} or category {category!r}")
            rows.append(_row(text.strip(), stage, _lang_of(text), category, "handwritten", f"{path.stem}:{i}"))
    return rows


def _templated(rng: random.Random, seen: set[str]) -> list[dict]:
    rows: list[dict] = []

    def take(make, want: int, stage: str, lang: str, category: str) -> None:
        got, tries = 0, 0
        while got < want and tries < want * 30:
            tries += 1
            text, group = make()
            key = normalise(text)
            if key and key not in seen:
                seen.add(key)
                rows.append(_row(text, stage, lang, category, "template", group))
                got += 1
        if got < want:
            logger.warning("only %d of %d unique %s %s rows for %s", got, want, lang, stage, category)

    for lang in ("zh", "en"):
        for slug in CATEGORIES:
            lex = _LEXICON[slug]
            for stage in STAGES:
                # every frame is used in turn, in a per-category shuffled order
                frames = _FRAMES[lang][stage]
                order = itertools.cycle(rng.sample(range(len(frames)), len(frames)))

                def make(order=order, frames=frames, lex=lex, lang=lang, stage=stage) -> tuple[str, str]:
                    k = next(order)
                    return _vary(_fill(frames[k], lex, lang, rng), lang, stage, rng), f"{lang}:{stage}:{k}"

                take(make, _PER_CATEGORY[lang][stage], stage, lang, slug)
        for stage in STAGES:
            pieces = _GENERIC[lang][stage]

            def make_generic(pieces=pieces, lang=lang, stage=stage) -> tuple[str, str]:
                k = rng.randrange(len(pieces))
                text = pieces[k]
                if stage == "browse" and lang == "zh" and rng.random() < 0.4:  # chit-chat pairs: "你好，今天天气真好"
                    text = rng.choice(["你好，", "在吗，", "哈喽 ", "亲 "]) + rng.choice(pieces)
                return _vary(text, lang, stage, rng), f"{lang}:{stage}:generic{k}"

            take(make_generic, _PER_GENERIC[lang][stage], stage, lang, "none")
    return rows


def generate() -> list[dict]:
    """Build every row, deterministically (``random.Random(SEED)``).

    >>> rows = generate()
    >>> sorted(rows[0])
    ['category', 'group', 'label', 'lang', 'level', 'source', 'stage', 'text']
    """
    rng = random.Random(SEED)
    seen: set[str] = set()
    rows = []
    for row in _handwritten():
        key = normalise(row["text"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    rows += _templated(rng, seen)
    rng.shuffle(rows)
    return rows


def write(rows: list[dict], path: Path = DATA_PATH) -> None:
    """Write ``rows`` as UTF-8 JSON lines (``ensure_ascii=False``, ``\\n`` line ends)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def summary(rows: list[dict]) -> str:
    """A Markdown summary of the counts: total, per stage, language, source and category."""
    n = len(rows)
    out = [f"total: {n}", ""]
    for field in ("stage", "lang", "source"):
        counts = Counter(r[field] for r in rows)
        out.append(f"| {field} | rows | share |\n|---|---:|---:|")
        out += [f"| {k} | {v} | {v / n:.1%} |" for k, v in sorted(counts.items())]
        out.append("")
    by_cat: dict[str, Counter] = {}
    for r in rows:
        by_cat.setdefault(r["category"], Counter())[r["stage"]] += 1
    out.append("| category | rows | " + " | ".join(STAGES) + " |\n|---|---:|" + "---:|" * len(STAGES))
    for cat in sorted(by_cat):
        c = by_cat[cat]
        out.append(f"| {cat} | {sum(c.values())} | " + " | ".join(str(c[s]) for s in STAGES) + " |")
    by_lang: dict[str, Counter] = {}
    for r in rows:
        by_lang.setdefault(r["lang"], Counter())[r["stage"]] += 1
    out.append("")
    out += [f"{lang}: " + " / ".join(f"{s} {c[s]}" for s in STAGES) for lang, c in sorted(by_lang.items())]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate intent/data/utterances.jsonl (deterministic).")
    parser.add_argument("--out", type=Path, default=DATA_PATH, help="where to write (default: %(default)s)")
    parser.add_argument("--summary", action="store_true", help="print the counts table after writing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    start = time.perf_counter()
    rows = generate()
    write(rows, args.out)
    logger.info("wrote %d rows to %s in %.2fs", len(rows), args.out, time.perf_counter() - start)
    if args.summary:
        print(summary(rows))


if __name__ == "__main__":
    main()
