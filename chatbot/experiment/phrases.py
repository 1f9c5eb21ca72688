"""Message frames for simulated shoppers: what a shopper at each purchase stage says, in Chinese and English.

Each **frame name** is one kind of message and has the stage (``../shared/realdata/STAGES.md``: ``browse``,
``consider``, ``ready``, ``service``) that a labeller gives every message written with it (:data:`FRAME_STAGE`):

- ``browse``: ``browse_open`` (greets or is just looking, asking for nothing: "亲 在不在呀", "随便逛逛"),
  ``browse_leave`` (leaves without buying: "我再想想吧", "算了 还是太贵了 不买了哈"), ``thanks`` ("好的 谢谢亲").
- ``consider``: ``open_need`` (asks for a kind of product ``{category}``), ``open_need_budget`` (... with a
  budget ``{budget}``), ``open_need_brand`` (... of a brand ``{brand}``), ``open_need_budget_brand`` (both);
  ``open_vague_ask`` (recommendations without a kind: "有啥推荐的没"); ``answer_need`` / ``answer_need_budget``
  (a browser answering the guide's narrowing question: "{category}吧", "{category} {budget}以内的");
  ``ask_detail`` (about a shown product ``{pick}`` before buying: stock, price, bargaining, size, colours,
  material, warranty, invoice, gifts, shipping time: "{pick}现在拍几天能到 我在湖北"); ``ask_detail_this`` (the
  same about the product just viewed: "多久能发货呀", "两件能优惠吗"); ``ask_compare`` ("{pick}和{other}有啥区别");
  ``ask_compare_unnamed`` ("这几款哪个性价比高"); ``ask_cheaper`` ("有点贵 有便宜点的吗"); ``ask_other_brand``
  (another brand than ``{brand}``: "不想要{brand} 换个牌子看看").
- ``ready``: ``decide_pick`` (decides on ``{pick}`` now: "就要{pick}吧", "{pick}吧 我拍了", "那我要{pick} 拍两个");
  ``decide_this`` (decides on the product just viewed, explicitly or not: "行 下单", "那就给我白色的吧",
  "上次买过挺好的 这次再来一个", "好 我现在付款 早点发啊亲"); ``ask_pay`` (how to pay / check out now: "可以直接拍吗");
  ``ready_conditional`` (commits under a condition: "有货的话我马上拍").
- ``service``: ``service_open`` (an order already placed: delivery, address, invoice, return, refund, exchange,
  cancellation, price protection, warranty; some with an order number ``{order}``), ``service_repeat`` (says
  again that it is about an order after being shown products: "我问的是已经买了的那个订单").

The frames mirror what real shoppers write in the chats of ``../shared/realdata`` (JD customer service,
Taobao pre-sale, WebShop instructions, purchase-intent tweets) without copying any: short colloquial turns with
亲/哈/呢/吧/呀, spaces instead of commas and little punctuation, several sentences in one message, quantities
("拍两个"), bargaining ("买两个能便宜点吗"), stock and delivery-time questions before ordering ("现在拍几天能到
我在湖北"), decisions that are not commands ("那就给我白色的吧", "付好了 麻烦尽快安排发货"), pasted order numbers in after-sales
turns, a rare typo ("我在考虑一下" for 再). English frames are lower-case and apostrophe-less like the WebShop
instructions ("i need {category} under {budget} yuan"; prices are CNY: yuan / rmb / cny / ¥) and the tweets.
``tests/test_sim_phrases.py`` checks that no rendered frame equals a message of the intent training data
(``intent/data/utterances.jsonl`` and the ``messages_*.tsv`` it is made from) or a real message of
``../shared/realdata``, and that the query parser reads each frame as the simulator means it.

Slots: ``{category}`` a category word or sub-type in the frame's language ("跑步鞋", "running shoes"),
``{budget}`` a number in CNY, ``{brand}`` a brand name, ``{pick}`` / ``{other}`` references to shown products
as the simulator writes them ("第二个", "第2款", "2号", "the second one", "number 2", or a brand name),
``{order}`` an order number (digits). :data:`BUDGET_MEANING` says, for every frame with ``{budget}``, what its
words make of the amount (written from the words; the tests check the query parser against it): ``"max"`` a hard
upper limit ("{budget}以内", "预算{budget}", "最多{budget}块", "under {budget} yuan", "budget is {budget} rmb"),
``"around"`` an approximate amount that bounds nothing hard ("{budget}左右", "{budget}上下", "大概{budget}",
"around {budget} rmb", "about ¥{budget}").

Example::

    >>> from chatbot.experiment.phrases import FRAME_STAGE, frames, render
    >>> render(frames("zh", "open_need_budget")[0], category="跑步鞋", budget=500)
    '跑步鞋 500以内的有吗'
    >>> FRAME_STAGE["decide_pick"], render(frames("en", "decide_pick")[0], pick="the second one")
    ('ready', 'ill take the second one')
"""

from __future__ import annotations

import string

__all__ = ["PHRASES", "SLOTS", "FRAME_STAGE", "FRAMES", "BUDGET_MEANING", "frames", "render"]

SLOTS: tuple[str, ...] = ("category", "budget", "brand", "pick", "other", "order")

FRAME_STAGE: dict[str, str] = {
    "browse_open": "browse",
    "browse_leave": "browse",
    "thanks": "browse",
    "open_need": "consider",
    "open_need_budget": "consider",
    "open_need_brand": "consider",
    "open_need_budget_brand": "consider",
    "open_vague_ask": "consider",
    "answer_need": "consider",
    "answer_need_budget": "consider",
    "ask_detail": "consider",
    "ask_detail_this": "consider",
    "ask_compare": "consider",
    "ask_compare_unnamed": "consider",
    "ask_cheaper": "consider",
    "ask_other_brand": "consider",
    "decide_pick": "ready",
    "decide_this": "ready",
    "ask_pay": "ready",
    "ready_conditional": "ready",
    "service_open": "service",
    "service_repeat": "service",
}
"""Frame name -> the STAGES.md stage of a message written with it."""

FRAMES: tuple[str, ...] = tuple(FRAME_STAGE)

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "browse_open": (
            "亲 在不在呀",
            "你好 有人在吗",
            "随便逛逛",
            "先随便看看哈",
            "我就看看 不用管我",
            "刚进店 先看看",
            "hello 在吗",
            "哈喽 有人吗",
            "看看而已 暂时不急着买",
            "路过看看 有需要再问你哈",
            "朋友分享的店 进来瞅瞅",
            "客服在么 我先自己看看",
        ),
        "browse_leave": (
            "算了 还是太贵了 不买了哈",
            "我再想想吧",
            "先不要了 谢谢亲",
            "我在考虑一下吧",
            "都不太合适 下次再说吧",
            "等双十一再来看看吧",
            "跟老公商量下再说 先不拍了",
            "预算不够 还是算了吧",
            "看了一圈没有想要的 先撤了",
            "这个价位接受不了 不考虑了",
            "暂时不需要了 回头再来哈",
            "还是去实体店看看吧 谢谢",
        ),
        "thanks": (
            "好的 谢谢亲",
            "嗯嗯 谢谢啦",
            "好嘞 辛苦了",
            "知道了 谢谢哈",
            "ok 谢啦",
            "好的呢 麻烦你了",
            "明白了 多谢多谢",
            "行 谢谢你哈",
            "哦哦 好的 谢了",
            "懂了 谢谢客服",
        ),
        "open_need": (
            "想买{category} 有推荐的吗",
            "亲 {category}有哪些款啊",
            "我想看看{category}",
            "给我妈买{category} 帮忙推荐一下",
            "有没有好用点的{category}",
            "在吗 想买{category} 不太懂 帮我挑挑",
            "{category}哪款卖得好呀",
            "想入手{category} 哪个牌子好点",
            "家里要换{category}了 有啥推荐不",
            "{category}有现货的吗 想买一个",
            "求推荐{category} 学生党",
            "你好 {category}怎么选啊 第一次买",
            "有{category}吗 看看",
            "送男朋友的{category} 选哪款好",
        ),
        "open_need_budget": (
            "{category} {budget}以内的有吗",
            "想买{category} 预算{budget} 有推荐的吗",
            "{budget}以下的{category}有哪些",
            "有没有不超过{budget}的{category}",
            "最多{budget}块 想买{category}",
            "学生党预算就{budget} {category}有合适的吗",
            "{category}有{budget}块以内的吗 亲",
            "{budget}块能买到啥样的{category}啊",
            "{category}有{budget}左右的吗",
            "想要个{budget}上下的{category}",
            "大概{budget}的{category} 有啥推荐",
            "在吗 想买{category} 价位{budget}左右",
            "{category}预算{budget}左右 帮我看看",
        ),
        "open_need_brand": (
            "有{brand}的{category}吗 想看看",
            "想要{brand}家的{category} 有哪些款",
            "{brand}的{category}有没有 想买一个",
            "{brand}{category}哪款好点啊",
            "亲 {brand}的{category}有现货吗",
            "一直用{brand}的 这次{category}也想要{brand}",
            "{brand}的{category}你们是正品吧 想买",
            "推荐下{brand}的{category}呗",
            "{brand}家{category}最近有活动吗",
        ),
        "open_need_budget_brand": (
            "{brand}的{category} {budget}以内有吗",
            "想买{brand}{category} 预算{budget}",
            "{budget}左右的{brand}{category}有推荐吗",
            "有没有{brand}的{category} 不超过{budget}",
            "{brand}家的{category} 大概{budget}的有哪些",
            "亲 {brand}{category}有{budget}块以下的吗",
            "预算{budget}左右 想要{brand}的{category}",
            "{brand}的{category}最多{budget} 有合适的不",
            "想给老爸买{brand}的{category} {budget}上下就行",
        ),
        "open_vague_ask": (
            "有啥推荐的没",
            "有什么推荐的吗 亲",
            "最近什么卖得好呀",
            "你们家什么最火",
            "有什么划算的推荐一下呗",
            "想买点东西送人 有推荐吗",
            "新品有哪些呀",
            "有什么活动款吗 推荐几个",
            "不知道买啥好 给点建议呗",
            "店里有什么性价比高的",
        ),
        "answer_need": (
            "{category}吧",
            "看看{category}",
            "嗯 {category}",
            "{category} 给我老婆买的",
            "想要{category}",
            "{category}呀",
            "主要是{category}",
            "{category}就行 别的不要",
            "先看{category}吧",
            "就是{category} 自己用",
        ),
        "answer_need_budget": (
            "{category} {budget}以内的",
            "{category}吧 预算{budget}左右",
            "{category} 不超过{budget}",
            "看看{category} {budget}上下的",
            "{category} 最多{budget}块",
            "{category}呀 价位{budget}左右",
            "嗯 {category} 预算{budget}",
            "{budget}以下的{category}吧",
        ),
        "ask_detail": (
            "{pick}有现货吗",
            "{pick}现在有货吗 什么时候能发",
            "{pick}有几个颜色",
            "{pick}多大尺寸的",
            "{pick}是什么材质的啊",
            "{pick}质量怎么样 耐用吗",
            "{pick}多少钱啊",
            "{pick}买两个能便宜点吗",
            "{pick}还能再优惠点不",
            "{pick}有优惠券吗",
            "{pick}今天能发货吗",
            "{pick}现在拍几天能到 我在湖北",
            "{pick}包邮吗",
            "{pick}发什么快递",
            "{pick}保修多久啊",
            "{pick}是正品吗 有发票吗",
            "{pick}送什么赠品吗",
            "{pick}评价怎么样 有差评吗",
        ),
        "ask_detail_this": (
            "这款现在有现货吗",
            "多久能发货呀",
            "这个包邮吗亲",
            "今天下单今天能发吗",
            "几天能到啊 我在广东",
            "这个能便宜点不",
            "两件能优惠吗",
            "质量咋样啊 好用吗",
            "这个有赠品吗",
            "发什么快递呀 能发顺丰吗",
            "有优惠券可以领吗",
            "是正品吧 可以开发票吗",
            "这个有几种颜色",
            "保修多长时间",
            "尺寸多大的啊",
            "是新款吗 生产日期什么时候的",
        ),
        "ask_compare": (
            "{pick}和{other}有啥区别",
            "{pick}跟{other}哪个好点",
            "{pick}比{other}贵在哪",
            "{pick}还是{other} 纠结",
            "{pick}和{other}选哪个啊 自己用",
            "{pick}跟{other}质量一样吗",
            "{pick}和{other}哪个更耐用",
            "{pick}和{other}差别大吗",
            "{other}和{pick}哪个性价比高",
        ),
        "ask_compare_unnamed": (
            "哪个好点啊",
            "这几款哪个性价比高",
            "这几个有什么区别呀",
            "你觉得哪款好",
            "选哪个比较好 纠结死了",
            "哪款卖得最好",
            "这些里面哪个质量最好",
            "推荐的这几个差别大吗",
            "哪个更耐用点",
        ),
        "ask_cheaper": (
            "有点贵 有便宜点的吗",
            "还有更便宜的没",
            "太贵了 有没有实惠点的",
            "预算不够 有没有便宜一点的款",
            "都贵了 换几个便宜些的",
            "有没有价格低一些的",
            "再便宜点的有吗 学生党",
            "这些太贵啦 来点平价的",
            "贵了点 有没有低一点的",
        ),
        "ask_other_brand": (
            "{brand}的不要 有别的牌子吗",
            "不想要{brand} 换个牌子看看",
            "除了{brand}还有其他品牌的吗",
            "{brand}用过了 不太行 有别的品牌吗",
            "不考虑{brand} 其他牌子有推荐吗",
            "别推{brand}了 换个品牌",
            "不喜欢{brand} 不同品牌的有吗",
            "{brand}家的不太喜欢 看看其他牌子",
        ),
        "decide_pick": (
            "就要{pick}吧",
            "{pick}吧 我拍了",
            "拿{pick}",
            "那我要{pick} 拍两个",
            "行 就{pick}了 帮我下单",
            "{pick}给我来一个",
            "我选{pick} 早点发货哈",
            "决定了 {pick} 现在付款",
            "{pick}好了 我已经拍下了",
            "那就{pick}吧 要两件",
            "嗯 {pick}吧 你帮我改下价我付款",
            "{pick}我要了 今天能发吧",
        ),
        "decide_this": (
            "就这个吧",
            "好 拍了",
            "行 下单",
            "那就这个吧 我拍两个",
            "好的 拍了 尽快发货哈",
            "好 我现在付款 早点发啊亲",
            "嗯 就它了",
            "那我先买一个试试 好用再来",
            "给我来两件 要黑色的",
            "ok 拍好了 麻烦改下价",
            "上次买过挺好的 这次再来一个",
            "那就给我白色的吧",
            "我这就下单 帮我备注下送人的",
            "付好了 麻烦尽快安排发货",
            "好吧 那我现在买了",
        ),
        "ask_pay": (
            "要怎么付款啊 我现在买",
            "可以直接拍吗",
            "发个链接给我 我现在付",
            "拍下后怎么付钱 花呗可以吗",
            "我现在就付 在哪付啊",
            "直接拍就行了吗 拍完你改价",
            "能货到付款吗 我马上下单",
            "付款的时候能用优惠券吗 我要拍了",
            "下单要填什么 我现在就买",
            "在哪里结算呀 已经加购物车了",
        ),
        "ready_conditional": (
            "有货的话我马上拍",
            "今天能发货的话我就拍了",
            "能包邮我就下单",
            "明天能到我现在就买",
            "便宜几块我马上拍",
            "送个赠品的话我就拍两个",
            "要是有黑色的我直接下单",
            "发顺丰的话我现在就付款",
            "能开发票就拍了 公司要报销",
            "有现货我就要了 急用",
        ),
        "service_open": (
            "订单{order}怎么还没发货啊",
            "{order} 这单到哪了 物流一直没更新",
            "麻烦帮我改下收货地址 订单号{order}",
            "订单{order}能开发票吗 要公司抬头的",
            "收到的东西有问题 想退货 怎么弄",
            "{order}这个申请退款了 钱什么时候到账",
            "刚买没几天就坏了 保修怎么弄啊",
            "前天下的单 今天就降价了 能保价吗",
            "咨询订单号:{order} 还没发货 能催一下吗",
            "订单{order}不想要了 帮我取消",
            "买错颜色了 能换吗 还没发货",
            "快递显示签收了 可我没收到啊 单号{order}",
            "东西收到了 少了一件 {order}",
            "发票抬头写错了 能重开吗",
            "[订单编号:{order}] 这个退货寄到哪里",
        ),
        "service_repeat": (
            "我问的是已经买了的那个订单",
            "不是 我说的是之前买的那单",
            "不用推荐了 我是问订单{order}",
            "我已经下过单了 问的是物流",
            "不买新的 我是要售后",
            "你没看懂吧 东西我已经买了 现在要退",
            "不是要买 是{order}这单的问题",
            "我是问已经付过款的那个 怎么还没发",
            "别推荐了 之前买的坏了 怎么修",
        ),
    },
    "en": {
        "browse_open": (
            "hi, just looking around",
            "just browsing for now",
            "hey anyone there?",
            "hello, just checking out what you have",
            "just window shopping lol",
            "hey, not looking for anything specific yet",
        ),
        "browse_leave": (
            "nah too expensive for me, ill pass",
            "ill think about it",
            "not buying today, maybe later",
            "cant afford it rn lol, maybe next month",
            "none of these are what i want, ill leave it",
            "gonna wait for a sale, thanks anyway",
            "ill hold off for now",
        ),
        "thanks": (
            "ok thanks!",
            "cool thank u",
            "got it, thanks a lot",
            "thx for the help",
            "alright, appreciate it",
            "great thanks",
        ),
        "open_need": (
            "i need {category}",
            "im looking for {category} for my mom",
            "looking for good {category}, any recs?",
            "can you find me decent {category}",
            "want new {category} so bad, what do you have",
            "shopping for {category}, where do i start",
            "do you sell {category}?",
            "thinking of getting {category}, what do you have",
        ),
        "open_need_budget": (
            "i need {category} under {budget} yuan",
            "looking for {category} less than {budget} rmb",
            "{category} around {budget} yuan please",
            "i want {category}, budget is {budget} rmb",
            "got about ¥{budget} to spend on {category}",
            "i can only spend {budget} yuan on {category}",
            "show me {category} within {budget} cny",
            "any {category} for roughly {budget} rmb?",
        ),
        "open_need_brand": (
            "do you have {brand} {category}?",
            "im looking for {brand} {category}",
            "i want {category} from {brand}",
            "any {brand} {category} in stock?",
            "whats the best {brand} {category} you have",
            "i only buy {brand}, show me their {category}",
        ),
        "open_need_budget_brand": (
            "i need {brand} {category} under {budget} yuan",
            "{brand} {category} around {budget} rmb?",
            "looking for {category} from {brand}, max {budget} yuan",
            "any {brand} {category} less than ¥{budget}",
            "want {brand} {category}, budget about {budget} yuan",
            "{brand} {category} for no more than {budget} rmb",
        ),
        "open_vague_ask": (
            "any recommendations for me?",
            "what do you guys recommend",
            "whats popular right now",
            "anything good on sale?",
            "what would you suggest as a gift?",
            "whats your best seller",
        ),
        "answer_need": (
            "{category} please",
            "mostly {category}",
            "i guess {category}",
            "{category} for my son",
            "um {category}",
            "{category}, for myself",
        ),
        "answer_need_budget": (
            "{category}, under {budget} yuan",
            "{category} around {budget} rmb",
            "{category}, max {budget} yuan",
            "{category} for about ¥{budget}",
            "{category}, no more than {budget} cny",
        ),
        "ask_detail": (
            "is {pick} in stock?",
            "does {pick} come in other colors",
            "how long does {pick} take to ship to shanghai",
            "whats {pick} made of",
            "does {pick} have a warranty",
            "can you do a better price on {pick} if i get two",
            "how big is {pick}",
            "are the reviews for {pick} any good",
            "if i order {pick} today when would it arrive",
        ),
        "ask_detail_this": (
            "is this one in stock",
            "how fast can you ship it",
            "is it worth it?",
            "any discount on this one?",
            "what colors does it come in",
            "if i order today when will it get here",
            "does it have free shipping",
            "is this the newest version?",
        ),
        "ask_compare": (
            "whats the difference between {pick} and {other}",
            "{pick} or {other}, which is better",
            "is {pick} worth it over {other}",
            "why is {pick} pricier than {other}",
            "should i get {pick} or {other}?",
            "{pick} vs {other}?",
        ),
        "ask_compare_unnamed": (
            "so which ones better",
            "which of these is the best value",
            "whats the difference between these",
            "idk which to pick, thoughts?",
            "which would you get?",
            "which one lasts longer",
        ),
        "ask_cheaper": (
            "too pricey, anything cheaper?",
            "got something less expensive",
            "cheaper options?",
            "thats too expensive for me, show me cheaper ones",
            "anything at a lower price?",
            "hmm a bit much, do you have cheaper stuff",
        ),
        "ask_other_brand": (
            "not a fan of {brand}, other brands?",
            "anything besides {brand}?",
            "i dont want {brand}, show me another brand",
            "no {brand} please, different brand",
            "{brand} isnt for me, what other brands do you have",
            "skip {brand}, any other brand?",
        ),
        "decide_pick": (
            "ill take {pick}",
            "going with {pick}, ordering now",
            "ok {pick} it is",
            "buying {pick} right now",
            "{pick} please, 2 of them",
            "gonna go ahead and get {pick}",
            "i want {pick}, checking out",
        ),
        "decide_this": (
            "ok im getting this one",
            "sold, ordering it now",
            "placing the order for this one now",
            "think ill go ahead and buy it",
            "yep buying this",
            "paying now, ship it fast pls",
            "ok ill get 2 of these",
            "same as last time, one more please",
        ),
        "ask_pay": (
            "how do i pay",
            "can i just check out now?",
            "send me the link, ill pay now",
            "where do i pay? ready to order",
            "do you take alipay? want to pay now",
            "how do i checkout, want this one",
        ),
        "ready_conditional": (
            "if its in stock ill order it right now",
            "if it ships today im buying it",
            "free shipping and ill buy it now",
            "if it can get here by friday ill order now",
            "if you have it in black im getting it",
        ),
        "service_open": (
            "where is my order {order}?",
            "order {order} still hasnt shipped, whats going on",
            "need to change the delivery address on my order",
            "the one i bought broke after a week, is it under warranty",
            "i want to return it, how do i get a refund",
            "can i get an invoice for order {order}",
            "package says delivered but i never got it",
            "i got charged twice for order {order}",
        ),
        "service_repeat": (
            "no, im asking about an order i already placed",
            "not looking to buy, its about my order {order}",
            "i already bought it, i need help with the return",
            "you misunderstood, i already have it, its broken",
            "im not shopping, i need my refund",
        ),
    },
}


# Frame -> what its words make of {budget}: "max" (a hard upper limit) or "around" (an approximate amount, no hard
# bound). Every frame with {budget} is here (tests/test_sim_phrases.py).
BUDGET_MEANING: dict[str, str] = {
    # zh open_need_budget
    "{category} {budget}以内的有吗": "max",
    "想买{category} 预算{budget} 有推荐的吗": "max",
    "{budget}以下的{category}有哪些": "max",
    "有没有不超过{budget}的{category}": "max",
    "最多{budget}块 想买{category}": "max",
    "学生党预算就{budget} {category}有合适的吗": "max",
    "{category}有{budget}块以内的吗 亲": "max",
    "{budget}块能买到啥样的{category}啊": "max",
    "{category}有{budget}左右的吗": "around",
    "想要个{budget}上下的{category}": "around",
    "大概{budget}的{category} 有啥推荐": "around",
    "在吗 想买{category} 价位{budget}左右": "around",
    "{category}预算{budget}左右 帮我看看": "around",
    # zh open_need_budget_brand
    "{brand}的{category} {budget}以内有吗": "max",
    "想买{brand}{category} 预算{budget}": "max",
    "{budget}左右的{brand}{category}有推荐吗": "around",
    "有没有{brand}的{category} 不超过{budget}": "max",
    "{brand}家的{category} 大概{budget}的有哪些": "around",
    "亲 {brand}{category}有{budget}块以下的吗": "max",
    "预算{budget}左右 想要{brand}的{category}": "around",
    "{brand}的{category}最多{budget} 有合适的不": "max",
    "想给老爸买{brand}的{category} {budget}上下就行": "around",
    # zh answer_need_budget
    "{category} {budget}以内的": "max",
    "{category}吧 预算{budget}左右": "around",
    "{category} 不超过{budget}": "max",
    "看看{category} {budget}上下的": "around",
    "{category} 最多{budget}块": "max",
    "{category}呀 价位{budget}左右": "around",
    "嗯 {category} 预算{budget}": "max",
    "{budget}以下的{category}吧": "max",
    # en open_need_budget
    "i need {category} under {budget} yuan": "max",
    "looking for {category} less than {budget} rmb": "max",
    "{category} around {budget} yuan please": "around",
    "i want {category}, budget is {budget} rmb": "max",
    "got about ¥{budget} to spend on {category}": "around",
    "i can only spend {budget} yuan on {category}": "max",
    "show me {category} within {budget} cny": "max",
    "any {category} for roughly {budget} rmb?": "around",
    # en open_need_budget_brand
    "i need {brand} {category} under {budget} yuan": "max",
    "{brand} {category} around {budget} rmb?": "around",
    "looking for {category} from {brand}, max {budget} yuan": "max",
    "any {brand} {category} less than ¥{budget}": "max",
    "want {brand} {category}, budget about {budget} yuan": "around",
    "{brand} {category} for no more than {budget} rmb": "max",
    # en answer_need_budget
    "{category}, under {budget} yuan": "max",
    "{category} around {budget} rmb": "around",
    "{category}, max {budget} yuan": "max",
    "{category} for about ¥{budget}": "around",
    "{category}, no more than {budget} cny": "max",
}


def frames(lang: str, frame: str) -> tuple[str, ...]:
    """The frames of one language and frame name.

    >>> len(frames("en", "decide_this")) >= 5
    True
    """
    if lang not in PHRASES:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(PHRASES)}")
    if frame not in PHRASES[lang]:
        raise ValueError(f"unknown frame name {frame!r}; expected one of {list(FRAMES)}")
    return PHRASES[lang][frame]


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
