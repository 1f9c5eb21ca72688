"""Message frames for simulated shoppers, kept apart from the intent training data.

The shopper simulator speaks with these frames so that an A/B run never replays sentences the intent model was
trained on (``intent/data/utterances.jsonl``); ``tests/test_sim_phrases.py`` checks that no rendered frame equals a
training message. Frames are grouped per language (``"zh"``, ``"en"``) and per stage of a conversation; each stage
has the readiness level a shopper using it is at (0 = leaving, 1 = exploring or comparing, 2 = ready to buy),
the same scale as the ``level`` column of the training data.

Placeholders: ``{category}`` a category word in the frame's language, ``{budget}`` a number in CNY, ``{brand}`` a
brand name. :data:`BUDGET_MEANING` says, for every frame with ``{budget}``, what its words make of the amount
(written from the words, not from the query parser: the offline evaluation checks the parser against it):
``"max"`` a hard upper limit ("不超过{budget}元", "我只有{budget}块的预算", "{budget}元能拿下哪款", "under {budget}
yuan", "my budget is {budget} RMB"), ``"around"`` an approximate amount that bounds nothing hard ("{budget}元左右",
"{budget}元上下", "手头大概{budget}", "budget around / about ¥{budget}").

Example::

    >>> from chatbot.experiment.phrases import frames, render
    >>> render(frames("zh", "opening_budget")[0], category="跑鞋", budget=500)
    '想买跑鞋，预算500元左右'
"""

from __future__ import annotations

import string

__all__ = ["PHRASES", "SLOTS", "STAGE_READINESS", "STAGES", "BUDGET_MEANING", "frames", "render"]

SLOTS: tuple[str, ...] = ("category", "budget", "brand")

# Stage -> readiness level of a shopper who says it (0 leaving, 1 exploring/comparing, 2 ready to buy).
STAGE_READINESS: dict[str, int] = {
    "opening": 1,
    "opening_budget": 1,
    "opening_brand": 1,
    "opening_budget_brand": 1,
    "ask_details": 1,
    "ask_cheaper": 1,
    "ask_other_brand": 1,
    "close_buy": 2,
    "close_leave": 0,
}
STAGES: tuple[str, ...] = tuple(STAGE_READINESS)

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "opening": (
            "我在找{category}，能帮我推荐几款吗",
            "最近想添置一个{category}，有什么好的",
            "帮我挑挑{category}吧，我不太懂这个",
            "打算换个{category}，给点建议",
            "你们家{category}都有哪些值得看的",
            "第一次买{category}，该从哪几款看起",
            "家里需要一个{category}，麻烦推荐推荐",
            "想给爸妈挑个{category}，有合适的吗",
            "想了解一下{category}，现在哪些款比较热门",
            "准备入一个{category}，先帮我列几个看看",
        ),
        "opening_budget": (
            "想买{category}，预算{budget}元左右",
            "{budget}块钱能买到什么样的{category}",
            "找个{category}，不超过{budget}元，有合适的吗",
            "手头大概{budget}，想挑个{category}",
            "预算卡在{budget}元，{category}怎么选比较稳",
            "有没有{budget}元上下、口碑不错的{category}",
            "给我推几款{budget}元以内的{category}吧",
            "我只有{budget}块的预算，想看看{category}",
        ),
        "opening_brand": (
            "有{brand}的{category}吗，想看看",
            "我比较信{brand}，他们家{category}哪款好",
            "想要个{brand}牌子的{category}",
            "{brand}家的{category}最近有什么新品",
            "朋友推荐{brand}，帮我看看他们的{category}",
            "偏爱{brand}，{category}有什么推荐的型号",
        ),
        "opening_budget_brand": (
            "想要{brand}的{category}，预算{budget}元",
            "{budget}元以内有没有{brand}的{category}",
            "找{brand}的{category}，别超过{budget}块",
            "预算{budget}左右，最好是{brand}家的{category}",
            "有{budget}元上下的{brand}{category}吗",
            "{brand}的{category}，{budget}元能拿下哪款",
        ),
        "ask_details": (
            "刚才推荐的第一款，具体参数能说说吗",
            "这几款在做工上差别大吗",
            "排第一的那款口碑如何，差评多不多",
            "第二款为什么比第一款贵那么多",
            "你推荐的这几个，哪款最耐用",
            "这款坏了怎么保修，售后政策是怎样的",
            "给我讲讲第一款的优缺点",
            "这几款哪个最适合日常用",
            "挑{category}最该看哪个指标，这几款表现如何",
            "第一款和第三款比起来差在哪里",
            "能说下这款的详细规格吗",
        ),
        "ask_cheaper": (
            "有点超预算了，有没有再实惠一些的",
            "还有更便宜的选择吗，差不多就行",
            "能不能找几款{budget}元以下的",
            "这些都偏贵，换几款平价的看看",
            "有没有性价比更高一点的替代款",
            "预算降到{budget}块的话还有什么可选",
            "便宜一档的有吗，功能少点也没关系",
            "太贵啦，来几款入门级的",
        ),
        "ask_other_brand": (
            "不太想要{brand}的，别的牌子有吗",
            "换个牌子看看吧，{brand}的我用过了",
            "除了{brand}，还有哪些牌子值得考虑",
            "有没有其他品牌同价位的{category}",
            "{brand}以外的再推荐几款",
            "不限牌子，有没有口碑更好的",
            "国产品牌的{category}有合适的吗",
        ),
        "close_buy": (
            "行，就按你推荐的第一款，我付款了",
            "挺合适的，这款我现在就买下",
            "就这款了，请帮我提交订单",
            "这个价位我能接受，马上下单",
            "不用再看了，我决定买这款了",
            "就选你说的那款，发个购买链接给我",
            "确定了，给我来一个，走付款流程吧",
            "这款满足我的需求，现在结账",
            "好，{brand}这款我要了，直接结算",
            "就买刚推荐的这个{category}，帮我下个单",
        ),
        "close_leave": (
            "我再去别家比比，先不买了",
            "都不太合适，今天就先这样",
            "感觉都不太满意，下次再来看",
            "谢谢推荐，不过我暂时不需要了",
            "超出预算太多，我再攒攒钱",
            "先放一放，回头再决定",
            "我去问问家里人意见，先撤了",
            "算了，{category}还是以后再说吧",
            "这些都不是我想要的，拜拜",
        ),
    },
    "en": {
        "opening": (
            "I'm shopping around for {category} options, where should I start?",
            "what {category} models would you suggest for me?",
            "can you show me a few {category} picks?",
            "I need some help choosing among {category} models",
            "what are the top {category} picks this month?",
            "help me narrow down the {category} choices",
            "I'd like to see what {category} options you stock",
        ),
        "opening_budget": (
            "I'd like {category} options, budget around {budget} yuan",
            "what {category} models can I get for {budget} CNY?",
            "show me {category} picks under {budget} yuan",
            "my budget is {budget} RMB, which {category} models fit?",
            "need {category} suggestions, max {budget} yuan",
            "anything decent in {category} for about ¥{budget}?",
        ),
        "opening_brand": (
            "do you carry {brand} {category} models?",
            "I'm a {brand} fan, which of their {category} models is best?",
            "show me what {brand} has in {category}",
            "I'd prefer {brand} for {category}, any picks?",
        ),
        "opening_budget_brand": (
            "{brand} {category} options under {budget} yuan?",
            "looking for {brand} in {category}, budget about ¥{budget}",
            "which {brand} {category} models fit a {budget} RMB budget?",
            "I want {brand}, {category}, no more than {budget} yuan",
        ),
        "ask_details": (
            "tell me more about the first suggestion's specs",
            "how do these picks differ in build quality?",
            "what do reviewers complain about with the top pick?",
            "why is the second one so much pricier than the first?",
            "which of these would hold up longest?",
            "what are the pros and cons of your first pick?",
            "could you give me the full specs for that one?",
            "which of these suits everyday use best?",
        ),
        "ask_cheaper": (
            "those are over my budget, anything more affordable?",
            "got anything cheaper that's still decent?",
            "can you find options below {budget} yuan?",
            "show me some budget-friendly alternatives",
            "is there an entry-level version of these?",
            "something a tier cheaper would be fine",
        ),
        "ask_other_brand": (
            "I'd rather avoid {brand}, what else is there?",
            "any brands besides {brand} worth a look?",
            "show me the same thing from a different brand",
            "what would a rival brand offer at this price?",
            "not sold on {brand}, other suggestions?",
        ),
        "close_buy": (
            "great, I'm going ahead with your first suggestion, paying now",
            "that fits what I need, I'll purchase it now",
            "please submit the order for that one",
            "that price works for me, completing checkout",
            "no need to keep looking, I'm buying this one",
            "send over the purchase link for your top pick",
            "decision made: that {category} pick is mine, checking out",
        ),
        "close_leave": (
            "I'll compare at other shops first, not buying today",
            "none of these really work for me, I'll come back later",
            "thanks for the help, but I'll hold off for now",
            "way over what I can spend, I'll save up first",
            "let me sleep on it, bye for now",
            "I'll check with my family before deciding, bye",
            "none of this is what I had in mind, goodbye",
        ),
    },
}


# Frame -> what its words make of {budget}: "max" (a hard upper limit) or "around" (an approximate amount, no hard
# bound). Every frame with {budget} is here (tests/test_sim_phrases.py).
BUDGET_MEANING: dict[str, str] = {
    # zh opening_budget
    "想买{category}，预算{budget}元左右": "around",
    "{budget}块钱能买到什么样的{category}": "max",
    "找个{category}，不超过{budget}元，有合适的吗": "max",
    "手头大概{budget}，想挑个{category}": "around",
    "预算卡在{budget}元，{category}怎么选比较稳": "max",
    "有没有{budget}元上下、口碑不错的{category}": "around",
    "给我推几款{budget}元以内的{category}吧": "max",
    "我只有{budget}块的预算，想看看{category}": "max",
    # zh opening_budget_brand
    "想要{brand}的{category}，预算{budget}元": "max",
    "{budget}元以内有没有{brand}的{category}": "max",
    "找{brand}的{category}，别超过{budget}块": "max",
    "预算{budget}左右，最好是{brand}家的{category}": "around",
    "有{budget}元上下的{brand}{category}吗": "around",
    "{brand}的{category}，{budget}元能拿下哪款": "max",
    # zh ask_cheaper
    "能不能找几款{budget}元以下的": "max",
    "预算降到{budget}块的话还有什么可选": "max",
    # en opening_budget
    "I'd like {category} options, budget around {budget} yuan": "around",
    "what {category} models can I get for {budget} CNY?": "max",
    "show me {category} picks under {budget} yuan": "max",
    "my budget is {budget} RMB, which {category} models fit?": "max",
    "need {category} suggestions, max {budget} yuan": "max",
    "anything decent in {category} for about ¥{budget}?": "around",
    # en opening_budget_brand
    "{brand} {category} options under {budget} yuan?": "max",
    "looking for {brand} in {category}, budget about ¥{budget}": "around",
    "which {brand} {category} models fit a {budget} RMB budget?": "max",
    "I want {brand}, {category}, no more than {budget} yuan": "max",
    # en ask_cheaper
    "can you find options below {budget} yuan?": "max",
}


def frames(lang: str, stage: str) -> tuple[str, ...]:
    """The frames for one language and stage.

    >>> len(frames("en", "close_buy")) > 3
    True
    """
    if lang not in PHRASES:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(PHRASES)}")
    if stage not in PHRASES[lang]:
        raise ValueError(f"unknown stage {stage!r}; expected one of {list(STAGES)}")
    return PHRASES[lang][stage]


def render(frame: str, **slots: object) -> str:
    """Fill ``frame``'s placeholders from ``slots``; slots the frame does not use are ignored.

    Numbers given as ``budget`` are written without a trailing ``.0``.

    >>> render("预算{budget}元的{category}", category="手机", budget=3000.0, brand="华为")
    '预算3000元的手机'
    """
    needed = [name for _, name, _, _ in string.Formatter().parse(frame) if name]
    missing = [name for name in needed if name not in slots]
    if missing:
        raise ValueError(f"frame {frame!r} needs slots {missing}; got {sorted(slots)}; "
                         f"pass them as keyword arguments, e.g. render(frame, {missing[0]}=...)")
    values = {}
    for name in needed:
        value = slots[name]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        values[name] = value
    return frame.format(**values)
