"""Rules for what a message says in so many words: explicit commands, the products it points at, and
the details it asks about. Both A/B arms use them (docs/ab.md): they need no intent model.

- :func:`commands`: ``buy`` ("就要这个", "加入购物车", "I'll take it"), ``checkout`` ("怎么付款", "结算",
  "checkout"), ``reject`` ("不要这个", "换一个", "not this one"), ``cancel`` ("不买了", "never mind"),
  ``compare`` ("哪个好", "compare", "which is better") and ``human`` ("转人工", "talk to a person").
- :func:`references`: the shown products a message names — ordinals ("第二个", "the second one", "2号"),
  superlatives ("最便宜的那个", "the cheapest"), and brand / title / model words of a shown product — and
  whether it says "这个 / 它 / it / this one" (:func:`is_deictic`).
- :func:`detail_topics`: price, stock, size, colour, delivery, specs, or a general "怎么样 / how is it".

>>> sorted(commands("这个要了，怎么下单"))
['buy', 'checkout']
>>> sorted(commands("不买了")), sorted(commands("换个牌子"))
(['cancel'], [])
>>> detail_topics("42码有货吗 周五前能到吗")
('size', 'stock', 'delivery')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from catalog.products import Product
from intent.text import normalize

__all__ = ["commands", "references", "ordinals", "strip_ordinals", "is_deictic", "detail_topics", "is_question", "mentions_order",
           "COMMANDS", "DETAIL_TOPICS"]

COMMANDS = ("buy", "checkout", "reject", "cancel", "compare", "human")
DETAIL_TOPICS = ("size", "colour", "stock", "price", "delivery", "specs", "general")

_CANCEL = re.compile(
    r"不买了|不要了|先不买|暂时不买|不想买了|算了|不用了|取消(?:订单|购买)?(?!.*(?:退款|退货))|"
    r"\b(?:never ?mind|forget it|i'?ll pass|not (?:buying|interested)|don'?t want (?:it|this|that|anything)"
    r"(?: anymore)?|cancel(?: that| it| the order)?)\b", re.I)
_REJECT = re.compile(
    r"不(?:要|需要|想要)[这那](?:个|款|双|台|件|部)|不要它|[这那](?:个|款|双|台|件)不(?:要|行|喜欢|好看)|"
    r"不喜欢[这那](?:个|款|双)|不要[^，。,.!?？]{1,8}的(?:那)?(?:个|款|双|台|件)|换一(?:个|款|双|台|件)|"
    r"换(?:个|款)(?!牌子|品牌)|换别的|有没有别的|还有别的吗|看看别的|下一个|"
    r"\b(?:not (?:this|that) one|not this|something else|another one|a different one|next one|show me (?:another|others?)|"
    r"i don'?t (?:like|need) (?:it|this|that)(?: one)?|not the (?:cheapest|most expensive|best[- ]rated|"
    r"best[- ]selling))\b|"
    r"(?:不要|不想要|不喜欢|不买|不是)第\s*[一二两三四五六七八九十\d]|第\s*[一二两三四五六七八九十\d]\s*(?:个|款|双|台|件)?\s*不(?:要|行|喜欢)|"
    r"\b(?:i )?(?:don'?t|do not|won'?t|will not) (?:want|like|buy|take) the (?:first|second|third|fourth|last)\b|"
    r"\bnot the (?:first|second|third|fourth|last)\b", re.I)
_BUY = re.compile(
    r"(?:就|还是)要(?:这|那|它|第|最)|还是买(?:这|那|它|第|最)|就(?:它|这个|这款|这双|这台|这件|那个|那款)了?|就买|(?<![需不])要这(?:个|款|双|台|件)|这(?:个|款|双|台|件)(?:我)?要了|"
    r"(?:我|那)?(?<!需)要了|(?<!不)买(?:这|那|它|第)|(?:马上|立即|直接|现在)?(?:下单|拍下)(?!.*\?|.*？|.*吗)|"
    r"加(?:入)?购物车|放(?:进|入)?购物车|加购|来一(?:个|双|台|件|份)|给我来|"
    r"\b(?:i'?ll take|i will take|i'?ll buy|i will buy|i'?ll get|i want (?:this|that|it|the (?:first|second|third|last))|"
    r"buy (?:it|this|that|the|one)|order (?:it|this|that|the)|add (?:it|this|that|the [\w ]+?|[\w ]+?) to (?:my |the )?(?:cart|basket)|"
    r"put (?:it|this|that|the [\w ]+?) in (?:my |the )?(?:cart|basket)|i'?ll have|take (?:it|this one|that one)|"
    r"let'?s go with|i'?ll go with|i'?m going with)\b", re.I)
_CHECKOUT = re.compile(
    r"怎么(?:付款|付钱|支付|下单|结算)|如何(?:付款|支付|下单)|去(?:结算|付款|支付)|结算|结账|买单|我要付款|付款吧|"
    r"\b(?:check ?out|how (?:do|can) i (?:pay|order)|pay now|proceed to payment|place (?:the|my|an) order)\b", re.I)
_COMPARE = re.compile(
    r"哪(?:个|款|一个|一款|双|台|部)[^，。,.!?？]{0,6}(?:好|值|适合|划算|推荐|强)|哪个更|对比|比较一下|比一比|比较|区别|差别|有什么不同|"
    r"差在哪|[^，。,.!?？\s]\s*还是(?:要|买|选)?(?:这|那|第|最)|\bvs\.?\b|versus|\bcompare|which (?:one )?(?:is|would be) (?:better|best)|which (?:is|one) better|"
    r"difference|better choice", re.I)
_HUMAN = re.compile(r"转人工|人工客服|真人|找客服|\b(?:human|real person|a person|agent|staff|representative)\b", re.I)
_DEICTIC = re.compile(
    # "我那个淘宝号" / "你们这个活动" is "my account" / "your promotion", not "that one" of the products shown
    r"(?<![我你他她您们])(?:这(?:个|款|双|台|件|部|只|支|瓶|套|本)|那(?:个|款|双|台|件|部))|它|\b(?:it|this|that)(?: one)?\b|"
    r"\bthis (?:pair|item|product)\b",
    re.I)
_QUESTION = re.compile(r"[?？]|吗|呢|么|怎么|多少|几|哪|什么|是否|有没有|能不能|可不可以|会不会|"
                       r"^\s*(?:what|how|which|when|where|why|is|are|does|do|can|could|will|would|any|has|have)\b",
                       re.I)
_ORDER = re.compile(r"订单|我的(?:快递|包裹|货)|已经(?:买|下单|付款)|(?:我|刚|已经|上次|昨天|前天)买的|收到了|已收到|没收到|"
                    r"下单了|刚下单|已下单|付款了|已付款|付过款|还没到|没到货|"
                    r"签收|发货了没|退货|退款|"
                    r"\b(?:my order|my package|my parcel|i ordered|i bought|received|arrived broken|order number|"
                    r"never arrived|hasn'?t arrived|not arrived)\b",
                    re.I)
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("price", re.compile(r"多少钱|价格|价钱|几块|贵不贵|优惠|打折|便宜吗|\b(?:price|how much|cost|discount)\b", re.I)),
    ("size", re.compile(r"\d{2}\s*码|码数|尺码|尺寸|大小|多大|偏大|偏小|\b(?:size|sizes|fit|fits)\b", re.I)),
    ("stock", re.compile(r"有货|现货|库存|有没有货|还有吗|卖完|缺货|\b(?:in stock|available|sold out)\b", re.I)),
    ("colour", re.compile(r"颜色|什么色|[黑白红蓝绿灰粉]色|\b(?:colou?rs?|black|white|blue|red)\b", re.I)),
    ("delivery", re.compile(r"几天到|多久到|什么时候到|能到|送达|到货|发货|包邮|运费|配送|"
                            r"\b(?:deliver(?:y|ed)?|arrive|shipping|ship|when will)\b", re.I)),
    ("specs", re.compile(r"参数|配置|规格|重量|多重|续航|电池|内存|存储|材质|功率|容量|屏幕|芯片|"
                         r"\b(?:specs?|battery|weight|memory|storage|material|screen|chip)\b", re.I)),
    ("general", re.compile(r"怎么样|如何|好不好|好用吗|值得|靠谱|介绍|详细|评价|口碑|"
                           r"\b(?:how (?:is|about)|what about|tell me (?:more )?about|details?|any good|worth it|review)\b",
                           re.I)),
)
_ZH_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
           "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6,
           "last": -1, "final": -1}
_ORD = re.compile(
    r"第\s*(?P<n>[一二两三四五六七八九十]|\d{1,2})(?!\s*(?:次|天|年|回|遍|周|期|名|批|份|单|单位|位|代|届|时|步|手|眼|印象))"
    r"\s*(?:个|款|件|台|部|双|本|种|项|条|只|套|支|瓶|样)?"
    r"|(?P<last>最后(?:一|那)?(?:个|款|件|台|部|双|本))"
    r"|(?<![\d.])(?P<d>[1-9])\s*号(?!\s*(?:码|尺|鞋|衣|电池))"
    r"|(?<![\d.一二两三四五六七八九十])(?P<c>[一二两三四五六七八九])号"
    r"|\b(?:the\s+)(?P<en>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|4th|5th|6th|last|final)\b"
    r"|\b(?P<en2>first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th|last)\s+(?:one|item|option|product|pick)s?\b"
    r"|(?:\bnumber|\bno\.|\bitem|\boption|\bproduct|#)\s*(?P<num>[1-9])\b"
    r"|(?:\band\s+|\bor\s+|&\s*|和|跟|与|还是)(?P<bare>[1-9])(?=\s*(?:号|个|款)?\s*(?:$|[\s,.!?，。！？]|哪|呢|吗|which))",
    re.I)
_SUPERLATIVE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cheapest", re.compile(r"最便宜|价格最低|最实惠|\bcheapest\b|\blowest price\b", re.I)),
    ("dearest", re.compile(r"最贵|价格最高|\b(?:most expensive|priciest)\b", re.I)),
    ("best_rated", re.compile(r"评分最高|评价最好|口碑最好|\b(?:best|highest)[- ]rated\b", re.I)),
    ("best_selling", re.compile(r"卖得最好|销量最高|最火|最热销|\b(?:best[- ]selling|most popular)\b", re.I)),
)


_NOT_NOW = re.compile(r"打算|准备|本来|原本|如果|要是|假如|万一|等.{0,6}(?:下单|买)|再(?:下单|买)|之前|上次|以前|"
                      r"不买|别买|别加|不加|先不|不想(?:要|买)|不(?:要)?下单|暂不|不需要|"
                      # a question about buying, not a decision: 要不要买 / 值得买吗 / 要这个还是要第三个
                      r"要不要|买不买|需不需要|该不该|值不值|值得|应不应该|应该买|"
                      r"要[^，。,.!?？]{0,8}还是要|买[^，。,.!?？]{0,8}还是买|"
                      r"\b(?:if|was going to|would have|before|last time|don'?t|do not|won'?t|will not|not yet|"
                      r"should i|should we|would you|worth (?:it|buying)|later)\b",
                      re.I)


_CHANGE_OF_MIND = re.compile(r"(?:算了|不用了|never ?mind)[^。.!?！？]{0,3}(?:还是|就|还)(?:要|买|拿|选)|"
                             r"\b(?:never ?mind|forget it),? (?:i'?ll|give me|i want)\b", re.I)
"""'算了，还是要第二个' / 'never mind, I'll take the first': a decision after all, not a cancel."""


def commands(text: str) -> frozenset[str]:
    """The explicit commands in ``text`` (a subset of :data:`COMMANDS`). A purchase talked about rather than
    made ("本来打算马上下单", "if I order now", "下单时间: …" of an order already placed) or refused ("先不下单",
    "别加购物车", "I won't buy the second one") is not a ``buy``."""
    found: set[str] = set()
    if _CANCEL.search(text) and not _CHANGE_OF_MIND.search(text):
        found.add("cancel")
    elif _REJECT.search(text):
        found.add("reject")
    elif _BUY.search(text) and not _NOT_NOW.search(text) and not mentions_order(text):
        found.add("buy")
    if _CHECKOUT.search(text) and "cancel" not in found:
        found.add("checkout")
    if _COMPARE.search(text) and not found & {"buy", "cancel", "reject"}:
        found.add("compare")
    if _HUMAN.search(text):
        found.add("human")
    return frozenset(found)


def ordinals(text: str) -> list[int]:
    """0-based ranks named in ``text`` in order of mention (``-1`` = the last one), without repeats.

    >>> ordinals("第一个和第三个哪个好"), ordinals("compare 1 and 2"), ordinals("42码的跑鞋")
    ([0, 2], [0, 1], [])
    """
    out: list[int] = []
    for m in _ORD.finditer(text):
        g = m.groupdict()
        if g["n"]:
            n = int(g["n"]) if g["n"].isdigit() else _ZH_NUM[g["n"]]
            idx = n - 1 if n >= 1 else None
        elif g["last"]:
            idx = -1
        elif g["d"] or g["c"]:
            idx = (int(g["d"]) if g["d"] else _ZH_NUM[g["c"]]) - 1
        elif g["en"] or g["en2"]:
            n = _EN_ORD[(g["en"] or g["en2"]).lower()]
            idx = -1 if n == -1 else n - 1
        else:
            idx = int(g["num"] or g["bare"]) - 1
        if idx is not None and idx not in out:
            out.append(idx)
    if len(out) == 1 and re.search(r"(?:compare|比较|对比)\s*(?:the\s+)?([1-9])\b", text, re.I):
        first = int(re.search(r"(?:compare|比较|对比)\s*(?:the\s+)?([1-9])\b", text, re.I).group(1)) - 1
        if first not in out:
            out.insert(0, first)
    return out


_COMPARE_NUM = re.compile(r"((?:compare|比较|对比)\s*(?:the\s+)?)[1-9]\b", re.I)


def strip_ordinals(text: str) -> str:
    """``text`` without its ordinals, so "compare 1 and 2" or "第2款" is never read as a budget.

    >>> strip_ordinals("compare 1 and 2").split(), strip_ordinals("第2款，500以内")
    (['compare'], ' ，500以内')
    """
    return _ORD.sub(" ", _COMPARE_NUM.sub(r"\1 ", text))


def _superlative(text: str, shown: Sequence[Product]) -> Product | None:
    for name, pattern in _SUPERLATIVE:
        if pattern.search(text) and shown:
            key = {"cheapest": lambda p: (p.price, p.id), "dearest": lambda p: (-p.price, p.id),
                   "best_rated": lambda p: (-p.rating, p.id), "best_selling": lambda p: (-p.sales, p.id)}[name]
            return min(shown, key=key)
    return None


def _mention_words(product: Product) -> set[str]:
    """Words that name this product among others: its brand, model words of its titles, and a title word
    joined to the model number after it ("小米14", "iphone15"), matched without spaces."""
    words = {normalize(product.brand).replace(" ", "")} if product.brand else set()
    for title in (product.title_zh, product.title_en):
        tokens = normalize(title).split(" ")
        for i, w in enumerate(tokens):
            if len(w) >= 3 and re.search(r"\d", w) or (len(w) >= 4 and w.isascii() and w.isalpha()
                                                        and w not in _GENERIC_EN):
                words.add(w)
            if i + 1 < len(tokens) and re.fullmatch(r"\d{1,4}\w{0,3}", tokens[i + 1]) and len(w) >= 2:
                words.add(w + tokens[i + 1])
    return {w for w in words if w}


_GENERIC_EN = frozenset("""running shoes shoe sneakers earbuds headphones phone laptop with black white blue
grey gray pink green edition classic sports sport pro max plus mini lite wireless noise cancelling smart
women's men's kids unisex series new pair cream face quick dry shirt""".split())


def references(text: str, shown: Sequence[Product], focus: Product | None = None,
               excluded: Sequence[str] = ()) -> tuple[Product, ...]:
    """The products ``text`` points at among ``shown`` (and the focus), in order of mention.

    Ordinals index ``shown``; a superlative picks from ``shown`` less the products turned down (``excluded``
    ids: "就要最便宜的" after "不要第一个" is the cheapest of the others); a brand or model word picks the shown
    products it names when it names only some of them. "这个 / it" is not resolved here
    (:func:`is_deictic`; the policy resolves it to the focus, else the top item shown).
    """
    out: list[Product] = []
    for idx in ordinals(text):
        if shown and -len(shown) <= idx < len(shown):
            p = shown[idx]
            if p not in out:
                out.append(p)
    sup = _superlative(text, [p for p in shown if p.id not in set(excluded)] or shown)
    if sup is not None and sup not in out:
        out.append(sup)
    if not out and shown:
        t = normalize(text).replace(" ", "")
        hits: list[tuple[int, Product, frozenset[str]]] = []
        for p in shown:
            words = frozenset(w for w in _mention_words(p) if w in t)
            if words:
                hits.append((min(t.find(w) for w in words), p, words))
        # "小米14" names the 小米 14, not every 小米: a product whose every matched word is inside a longer
        # word another product matched is dropped
        hits = [h for h in hits if not any(
            o is not h and max(map(len, o[2])) > max(map(len, h[2])) and all(any(w in v for v in o[2]) for w in h[2])
            for o in hits)]
        # a word that names every product shown names none of them ("李宁的" when all are 李宁)
        distinct = len({h[2] for h in hits}) == len(hits)
        if hits and (len(hits) < len(shown) or distinct and len(hits) >= 2):
            for _, p, _ in sorted(hits, key=lambda h: (h[0], h[1].id)):
                if p not in out:
                    out.append(p)
    return tuple(out)


def is_deictic(text: str) -> bool:
    """"这个 / 这款 / 它 / it / this one": the message points at the product being talked about."""
    return bool(_DEICTIC.search(text))


def detail_topics(text: str) -> tuple[str, ...]:
    """The details asked about, in :data:`DETAIL_TOPICS` order ("general" only when nothing specific)."""
    found = tuple(name for name, pattern in _TOPICS if name != "general" and pattern.search(text))
    if found:
        return tuple(t for t in DETAIL_TOPICS if t in found)
    return ("general",) if _TOPICS[-1][1].search(text) else ()


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


def mentions_order(text: str) -> bool:
    """Whether the message is about an order already placed ("我的订单", "收到了", "my order")."""
    return bool(_ORDER.search(text))
