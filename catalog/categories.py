"""The curated product-category table shared by the catalog, the query parser and the recommender.

Stdlib only, so importing it is instant. Each :class:`Category` has a stable ``slug`` (the value stored in a
product's ``category`` field), Chinese and English display names, and the words shoppers type to mean that
category. Brand names are deliberately *not* synonyms (they live in the catalog's ``brand`` field); product-line
names (``iPhone``, ``AirPods``) are left to the catalog too.

Example:
    >>> from catalog.categories import CATEGORY_BY_SLUG
    >>> CATEGORY_BY_SLUG["shoes"].zh
    '鞋靴'
    >>> "跑鞋" in CATEGORY_BY_SLUG["shoes"].synonyms_zh
    True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Category", "CATEGORIES", "CATEGORY_BY_SLUG"]


@dataclass(frozen=True)
class Category:
    """One shopping category.

    Attributes:
        slug: stable ASCII identifier, stored in each product's ``category`` field.
        zh: Chinese display name.
        en: English display name.
        synonyms_zh: Chinese words and phrases shoppers use for this category (sub-types included).
        synonyms_en: English words and phrases, lower case.
    """

    slug: str
    zh: str
    en: str
    synonyms_zh: tuple[str, ...]
    synonyms_en: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category(
        "phones", "手机", "Phones",
        ("手机", "智能手机", "5G手机", "新手机", "折叠屏", "折叠屏手机", "拍照手机", "游戏手机", "千元机",
         "老人机", "备用机", "旗舰机"),
        ("phone", "phones", "smartphone", "smartphones", "mobile phone", "cell phone", "cellphone",
         "foldable phone", "5g phone"),
    ),
    Category(
        "laptops", "笔记本电脑", "Laptops",
        ("笔记本", "笔记本电脑", "电脑", "手提电脑", "轻薄本", "游戏本", "商务本", "办公本", "学生本",
         "电竞本"),
        ("laptop", "laptops", "notebook", "notebook computer", "gaming laptop", "ultrabook", "computer"),
    ),
    Category(
        "tablets", "平板电脑", "Tablets & E-readers",
        ("平板", "平板电脑", "学习机", "学习平板", "电纸书", "电子书阅读器", "阅读器", "墨水屏"),
        ("tablet", "tablets", "pad", "e-reader", "ereader", "e-book reader", "learning tablet"),
    ),
    Category(
        "earphones", "耳机", "Headphones & Earbuds",
        ("耳机", "蓝牙耳机", "无线耳机", "真无线耳机", "降噪耳机", "头戴式耳机", "耳麦", "入耳式耳机",
         "运动耳机", "骨传导耳机", "挂耳式耳机", "耳塞"),
        ("headphones", "headphone", "earphones", "earbuds", "earphone", "headset", "wireless earbuds",
         "noise cancelling headphones", "bluetooth headphones", "tws"),
    ),
    Category(
        "smartwatches", "智能手表", "Smartwatches & Bands",
        ("手表", "智能手表", "运动手表", "手环", "智能手环", "儿童手表", "电话手表", "心率手表"),
        ("smartwatch", "smart watch", "watch", "fitness tracker", "smart band", "sports watch",
         "running watch", "kids watch"),
    ),
    Category(
        "cameras", "相机", "Cameras & Drones",
        ("相机", "照相机", "数码相机", "微单", "微单相机", "单反", "运动相机", "拍立得", "卡片机",
         "无人机", "航拍器", "vlog相机", "全景相机"),
        ("camera", "cameras", "mirrorless camera", "dslr", "action camera", "instant camera", "drone",
         "compact camera", "vlog camera"),
    ),
    Category(
        "tvs", "电视", "TVs & Projectors",
        ("电视", "电视机", "智能电视", "液晶电视", "平板电视", "大屏电视", "游戏电视", "投影仪", "投影机",
         "家用投影"),
        ("tv", "tvs", "television", "smart tv", "4k tv", "oled tv", "projector", "home projector"),
    ),
    Category(
        "home_appliances", "家用电器", "Home Appliances",
        ("家电", "大家电", "洗衣机", "滚筒洗衣机", "洗烘一体机", "冰箱", "电冰箱", "空调", "挂机",
         "柜机", "扫地机器人", "扫地机", "吸尘器", "洗地机", "空气净化器", "净化器"),
        ("home appliance", "appliances", "washing machine", "washer", "fridge", "refrigerator",
         "air conditioner", "vacuum", "vacuum cleaner", "robot vacuum", "air purifier"),
    ),
    Category(
        "kitchen", "厨房用品", "Kitchen",
        ("厨具", "厨房电器", "厨房用品", "电饭煲", "电饭锅", "空气炸锅", "炒锅", "锅", "不粘锅", "锅具",
         "菜刀", "刀具", "破壁机", "豆浆机", "电水壶", "烧水壶"),
        ("kitchen", "cookware", "rice cooker", "air fryer", "wok", "frying pan", "pan", "pot",
         "kitchen knife", "knives", "blender", "kettle"),
    ),
    Category(
        "clothing", "服装", "Clothing",
        ("衣服", "服装", "服饰", "男装", "女装", "羽绒服", "外套", "t恤", "短袖", "卫衣", "牛仔裤",
         "裤子", "冲锋衣", "连衣裙", "裙子", "衬衫"),
        ("clothes", "clothing", "apparel", "down jacket", "jacket", "coat", "t-shirt", "tee", "hoodie",
         "jeans", "pants", "dress", "shirt"),
    ),
    Category(
        "shoes", "鞋靴", "Shoes",
        ("鞋", "鞋子", "跑鞋", "跑步鞋", "运动鞋", "球鞋", "篮球鞋", "板鞋", "休闲鞋", "小白鞋", "靴子",
         "马丁靴", "雪地靴", "凉鞋", "拖鞋", "皮鞋", "徒步鞋", "登山鞋"),
        ("shoes", "shoe", "sneakers", "running shoes", "trainers", "basketball shoes", "boots", "sandals",
         "slippers", "leather shoes", "hiking shoes"),
    ),
    Category(
        "skincare", "美妆护肤", "Skincare & Makeup",
        ("护肤品", "护肤", "化妆品", "彩妆", "美妆", "面霜", "精华", "精华液", "面膜", "防晒", "防晒霜",
         "洗面奶", "洁面", "口红", "唇膏", "粉底液", "乳液", "水乳"),
        ("skincare", "skin care", "cosmetics", "makeup", "moisturizer", "face cream", "serum",
         "face mask", "sunscreen", "cleanser", "lipstick", "foundation"),
    ),
    Category(
        "baby", "母婴用品", "Baby & Maternity",
        ("母婴", "母婴用品", "婴儿用品", "宝宝用品", "纸尿裤", "尿不湿", "拉拉裤", "奶粉", "婴儿奶粉",
         "推车", "婴儿车", "婴儿推车", "安全座椅", "奶瓶"),
        ("baby", "baby products", "diapers", "nappies", "baby formula", "formula milk", "stroller",
         "pram", "car seat", "baby bottle"),
    ),
    Category(
        "snacks", "食品饮料", "Food, Snacks & Drinks",
        ("零食", "小吃", "食品", "吃的", "坚果", "饼干", "糕点", "肉干", "卤味", "饮料", "饮品", "茶饮",
         "咖啡", "牛奶", "零食大礼包"),
        ("snacks", "snack", "food", "nuts", "cookies", "biscuits", "jerky", "drinks", "beverages",
         "coffee", "milk", "tea"),
    ),
    Category(
        "books", "图书", "Books",
        ("书", "书籍", "图书", "小说", "文学", "名著", "童书", "绘本", "教辅", "习题", "经管", "社科",
         "编程书", "计算机书"),
        ("book", "books", "novel", "fiction", "non-fiction", "children's books", "picture book",
         "textbook", "programming book"),
    ),
    Category(
        "sports", "运动户外", "Sports & Outdoors",
        ("运动", "户外", "运动户外", "户外用品", "帐篷", "露营", "瑜伽垫", "自行车", "单车", "山地车",
         "公路车", "健身", "健身器材", "哑铃", "跑步机", "登山包", "背包", "羽毛球拍", "篮球"),
        ("sports", "outdoor", "outdoors", "camping", "tent", "yoga mat", "bike", "bicycle",
         "fitness", "dumbbell", "treadmill", "backpack", "hiking backpack", "badminton racket"),
    ),
    Category(
        "furniture", "家具", "Furniture",
        ("家具", "沙发", "床", "床垫", "椅子", "办公椅", "电脑椅", "人体工学椅", "桌子", "书桌", "餐桌",
         "衣柜", "书架", "收纳柜"),
        ("furniture", "sofa", "couch", "bed", "mattress", "chair", "office chair", "ergonomic chair",
         "desk", "table", "dining table", "wardrobe", "bookshelf"),
    ),
    Category(
        "pet_supplies", "宠物用品", "Pet Supplies",
        ("宠物用品", "宠物", "猫粮", "狗粮", "猫砂", "宠物零食", "猫零食", "狗零食", "猫爬架", "猫窝",
         "狗窝", "牵引绳", "饮水机", "猫砂盆"),
        ("pet supplies", "pet", "cat food", "dog food", "cat litter", "pet treats", "cat tree",
         "pet bed", "dog leash", "pet fountain", "litter box"),
    ),
)

CATEGORY_BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}
