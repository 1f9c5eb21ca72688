"""Bilingual reply templates and the number formats shared by replies, product cards and tests.

Every reply the bot writes comes from :data:`TEMPLATES` (no text generator), so it is reviewable here and
contains no figure that is not filled in from a catalog record or from the shopper's own constraint.
Templates deliberately hold no numbers of their own (no "7-day returns" promises the shop may not make).

>>> say("greeting", "en")[:5]
'Hello'
>>> fmt_price(499.0), fmt_price(1299.5), fmt_money(2999.0, "zh")
('499', '1299.5', '¥2999')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from catalog.products import Product
from catalog.taxonomy import category_label
from intent.text import HAN as _HAN

__all__ = ["TEMPLATES", "say", "fmt_price", "fmt_money", "fmt_rating", "product_title", "category_name",
           "join_list", "AFTER_SALES_TOPICS"]

AFTER_SALES_TOPICS = ("return", "refund", "invoice", "shipping", "warranty", "exchange", "general")

TEMPLATES: dict[str, dict[str, str]] = {
    "invalid": {
        "zh": "抱歉，我没有收到文字内容。请告诉我您想买什么，比如“想买跑鞋”或“降噪耳机”。",
        "en": "Sorry, I didn't get any text. Tell me what you are looking for, e.g. \"running shoes\" or \"noise cancelling earbuds\".",
    },
    "greeting": {
        "zh": "您好！我是导购小助手。想买点什么？告诉我品类、预算或喜欢的品牌，我来帮您挑。",
        "en": "Hello! I'm your shopping guide. What are you looking for? Tell me a category, a budget or a "
              "brand you like and I'll find options.",
    },
    "greeting_short": {"zh": "您好！", "en": "Hi! "},
    "thanks": {
        "zh": "不客气！还有其他需要随时告诉我。",
        "en": "You're welcome! Let me know if there is anything else I can help with.",
    },
    "clarify": {
        "zh": "好的，我来帮您挑。您想买哪一类商品呢？比如手机、耳机、跑鞋、护肤品……也可以告诉我预算或喜欢的品牌。",
        "en": "Happy to help. What kind of product do you have in mind — phones, headphones, running shoes, "
              "skincare…? A budget or a favourite brand helps too.",
    },
    "clarify_ordinal": {
        "zh": "我还没有给您推荐过商品。先告诉我您想买什么吧？",
        "en": "I haven't shown you any products yet. What are you looking for?",
    },
    "ordinal_out_of_range": {
        "zh": "上一轮我只推荐了{count}款商品，您想了解哪一款？",
        "en": "I only showed {count} products last time — which one would you like to know more about?",
    },
    "after_sales.return": {
        "zh": "关于退货：请在“我的订单”中找到对应订单，点击“申请售后”选择退货并填写原因，审核通过后按提示寄回即可。"
              "具体规则以商品页和订单页的售后政策为准，如需帮助可以联系人工客服。",
        "en": "About returns: open the order under \"My orders\", choose \"After-sales\" → \"Return\" and give a "
              "reason; once approved, send the item back as instructed. The product and order pages show the "
              "exact return policy; our customer-service staff can help with anything unclear.",
    },
    "after_sales.refund": {
        "zh": "关于退款：退货签收或取消订单审核通过后，款项会按原支付方式退回。您可以在“我的订单”里查看退款进度，"
              "如有疑问请联系人工客服。",
        "en": "About refunds: once a return is received or a cancellation approved, the money goes back to the "
              "original payment method. You can follow the refund under \"My orders\"; customer service can "
              "help if anything looks wrong.",
    },
    "after_sales.invoice": {
        "zh": "关于发票：下单时可选择开具电子发票，已完成的订单也可以在“我的订单”中申请补开。抬头和税号请填写准确。",
        "en": "About invoices: you can ask for an electronic invoice when ordering, or request one later for a "
              "completed order under \"My orders\". Please make sure the name and tax number are correct.",
    },
    "after_sales.shipping": {
        "zh": "关于物流：发货后可以在“我的订单”中查看物流单号和配送进度。如果物流长时间没有更新，请联系人工客服帮您催件。",
        "en": "About shipping: once your order ships, the tracking number and delivery progress are under "
              "\"My orders\". If tracking has not moved for a long time, customer service can chase it for you.",
    },
    "after_sales.warranty": {
        "zh": "关于保修：保修政策以商品页和品牌官方说明为准。请保留好发票和包装，需要维修时可以在“我的订单”里申请售后。",
        "en": "About warranty: the product page and the brand's official terms set the warranty. Keep the "
              "invoice and packaging; you can request repair under \"My orders\" → \"After-sales\".",
    },
    "after_sales.exchange": {
        "zh": "关于换货：请在“我的订单”中申请售后并选择换货，注明需要更换的尺码或颜色，审核通过后按提示寄回即可。",
        "en": "About exchanges: request after-sales under \"My orders\", choose \"Exchange\" and say which size "
              "or colour you need; once approved, send the item back as instructed.",
    },
    "after_sales.general": {
        "zh": "售后问题可以在“我的订单”中申请处理，也可以联系人工客服，我们会尽快帮您解决。",
        "en": "For after-sales questions, open the order under \"My orders\" or contact customer service — "
              "we'll sort it out as quickly as we can.",
    },
    "no_match": {
        "zh": "抱歉，目前没有完全符合{constraints}的商品。",
        "en": "Sorry, nothing in our catalog matches {constraints} right now.",
    },
    "no_brand_match": {
        "zh": "（没有找到符合条件的{brand}{what}。）",
        "en": "(Nothing from {brand} fits in {what}.)",
    },
    "no_cheaper": {
        "zh": "没有比这些更便宜的{what}了：{title}（{price}）已经是最便宜的。可以换个品类，或说说预算。",
        "en": "There is nothing cheaper in {what}: {title} ({price}) is already the cheapest. Try another kind "
              "of product, or tell me your budget.",
    },
    "no_match_any": {
        "zh": "抱歉，目前没有找到符合您要求的商品。",
        "en": "Sorry, I couldn't find a product that fits your request.",
    },
    "no_match_hint": {
        "zh": "建议：{hint}。",
        "en": "Tip: {hint}.",
    },
    "no_match_relax": {
        "zh": "您可以放宽一下预算、品牌或其他条件，我再帮您找找。",
        "en": "Try relaxing the budget, brand or another condition and I'll look again.",
    },
    # what to relax when nothing fits (catalog.retrieval.RelaxHint, worded by replies.relax_text)
    "relax.price_raise": {"zh": "预算提高到 {price} 起就有 {count} 件可选",
                          "en": "raise the budget to {price} to see {count} products"},
    "relax.subtypes": {"zh": "看看同类的其他款式可找到 {count} 件",
                       "en": "look at other kinds in the same category to see {count} products"},
    "relax.price": {"zh": "放宽价格范围可找到 {count} 件", "en": "widen the price range to see {count} products"},
    "relax.brands": {"zh": "换个品牌可找到 {count} 件", "en": "try another brand to see {count} products"},
    "relax.exclude_brands": {"zh": "不排除已排除的品牌可找到 {count} 件",
                             "en": "allow the excluded brands to see {count} products"},
    "relax.in_stock_only": {"zh": "也看看暂时缺货的可找到 {count} 件",
                            "en": "include out-of-stock products to see {count} products"},
    "relax.min_rating": {"zh": "降低评分要求可找到 {count} 件", "en": "accept a lower rating to see {count} products"},
    "relax.category": {"zh": "换个类目可找到 {count} 件", "en": "look in another category to see {count} products"},
    "relax.none": {"zh": "换个说法或放宽条件试试", "en": "try other words or fewer constraints"},
    "recommend_intro": {
        "zh": "为您找到这些{what}{constraints}：",
        "en": "Here are some {what}{constraints}:",
    },
    "recommend_cheaper": {
        "zh": "换了几款更便宜的{what}{constraints}：",
        "en": "Here are some cheaper {what}{constraints}:",
    },
    "recommend_cheap": {
        "zh": "为您找到这些实惠的{what}{constraints}，价格从低到高：",
        "en": "Here are some budget {what}{constraints}, cheapest first:",
    },
    "recommend_other_brand": {
        "zh": "换几个其他品牌的{what}{constraints}：",
        "en": "Here are {what} from other brands{constraints}:",
    },
    "recommend_line": {
        "zh": "{rank}. {title}（{brand}）— {price}，评分 {rating}，{stock_text}",
        "en": "{rank}. {title} ({brand}) — {price}, rated {rating}, {stock_text}",
    },
    "in_stock": {"zh": "库存 {stock} 件", "en": "{stock} in stock"},
    "sold_out": {"zh": "暂时缺货", "en": "currently sold out"},
    "recommend_outro": {
        "zh": "想了解哪一款，可以说“第二个怎么样”；也可以说“便宜点的”或“换个牌子”。",
        "en": "Ask about one, e.g. \"the second one\", or say \"cheaper\" or \"another brand\".",
    },
    "recommend_outro_buy": {
        "zh": "看中了可以直接加入购物车下单；想了解细节可以说“第一个怎么样”。",
        "en": "If one fits, add it to the cart right away; ask \"the first one\" for details.",
    },
    "detail": {
        "zh": "{title}（{brand}）：价格 {price}，评分 {rating}，{stock_text}。",
        "en": "{title} ({brand}): {price}, rated {rating}, {stock_text}.",
    },
    "detail_attrs": {"zh": "主要参数：{attrs}。", "en": "Key specs: {attrs}."},
    "detail_desc": {"zh": "商品介绍：{desc}", "en": "From the listing: {desc}"},
    "detail_outro": {
        "zh": "需要的话可以直接加入购物车。",
        "en": "You can add it to the cart from the card below.",
    },
    "detail_outro_sold_out": {
        "zh": "这款暂时缺货，需要的话我可以推荐同类有货的。",
        "en": "It is sold out right now; I can suggest a similar one that is in stock.",
    },
    # --- the policy's actions (chatbot.conversation.actions) ---
    "confirm": {
        "zh": "好的，就是这款：{title}（{brand}），{price}，{stock_text}。{delivery}已为您加入购物车。",
        "en": "Great choice: {title} ({brand}), {price}, {stock_text}. {delivery}I've added it to your cart.",
    },
    "confirm_delivery": {"zh": "配送：{delivery}。", "en": "Delivery: {delivery}. "},
    "confirm_next": {
        "zh": "要结算可以说“结算”，或点击下方的「去结算」。",
        "en": "Say \"checkout\" or press \"Checkout\" below when you're ready.",
    },
    "checkout": {
        "zh": "购物车里共 {count} 件商品：{lines}。合计 {total}。确认无误请点击「确认下单」完成购买。",
        "en": "Your cart has {count} item(s): {lines}. Total {total}. Press \"Place order\" to complete the purchase.",
    },
    "checkout_line": {"zh": "{title} × {quantity}（{price}）", "en": "{title} × {quantity} ({price})"},
    "checkout_sep": {"zh": "；", "en": "; "},
    "ask_which": {
        "zh": "您想要哪一款？刚才给您看的是：{items}。可以说“第二个”，或点卡片上的「加入购物车」。",
        "en": "Which one would you like? I showed you: {items}. Say \"the second one\" or use a card's \"Add to cart\".",
    },
    "ask_which_line": {"zh": "{rank}. {title}（{price}）", "en": "{rank}. {title} ({price})"},
    "ask_what": {
        "zh": "好的！不过我还没有给您推荐过商品——您想要哪一款？告诉我品类、型号或预算，我帮您找到后说“就要这个”就能直接下单。",
        "en": "Happy to help you order — but I haven't shown you anything yet. Which product do you want? Tell me "
              "the kind, the model or a budget, and once you see it say \"I'll take it\".",
    },
    "sold_out_pick": {
        "zh": "抱歉，{title} 暂时缺货，现在不能下单。",
        "en": "Sorry, {title} is sold out right now, so it can't be ordered.",
    },
    "sold_out_alt": {
        "zh": "同类里有货、价格最接近的是 {title}（{brand}），{price}，{stock_text}。要的话说“就要这个”。",
        "en": "The nearest in-stock alternative is {title} ({brand}), {price}, {stock_text}. Say \"I'll take it\" if it suits you.",
    },
    "sold_out_none": {
        "zh": "同类商品暂时都没有现货，换个条件我再帮您找找。",
        "en": "Nothing similar is in stock right now; tell me what else would do and I'll look again.",
    },
    "answer_about": {"zh": "关于{title}：", "en": "About {title}: "},
    "answer_price": {"zh": "现价 {price}。", "en": "it costs {price}. "},
    "answer_stock": {"zh": "{stock_text}。", "en": "{stock_text}. "},
    "answer_size": {"zh": "尺码：{value}。", "en": "Sizes: {value}. "},
    "answer_size_none": {
        "zh": "商品资料里没有分尺码的库存信息，具体尺码以商品页为准。",
        "en": "the listing has no per-size stock; the product page shows the sizes. ",
    },
    "answer_colour": {"zh": "颜色：{value}。", "en": "Colour: {value}. "},
    "answer_colour_none": {"zh": "商品资料里没有列出其他颜色。", "en": "the listing names no other colours. "},
    "answer_delivery": {"zh": "配送：{delivery}。", "en": "delivery: {delivery}. "},
    "answer_delivery_none": {
        "zh": "暂时缺货，到货时间以商品页为准。",
        "en": "it is sold out, so the product page has the restock date. ",
    },
    "answer_specs": {"zh": "主要参数：{attrs}。", "en": "key specs: {attrs}. "},
    "offer_cart": {
        "zh": "要我帮您把它加入购物车吗？说“就要这个”即可。",
        "en": "Shall I add it to your cart? Just say \"I'll take it\".",
    },
    "compare_intro": {"zh": "{names} 对比：", "en": "{names} side by side: "},
    "compare_row": {"zh": "{label} {values}", "en": "{label} {values}"},
    "compare_sep": {"zh": "；", "en": "; "},
    "compare_vs": {"zh": " vs ", "en": " vs "},
    "compare_and": {"zh": " 和 ", "en": " and "},
    "label_price": {"zh": "价格", "en": "price"},
    "label_rating": {"zh": "评分", "en": "rating"},
    "label_stock": {"zh": "库存", "en": "stock"},
    "label_brand": {"zh": "品牌", "en": "brand"},
    "stock_count": {"zh": "{stock} 件", "en": "{stock} left"},
    "suggest_need": {"zh": "。建议：您提到“{need}”，{title} 更合适。", "en": ". Suggestion: you mentioned \"{need}\", so {title} fits better."},
    "suggest_budget": {"zh": "。建议：在您的预算内的是 {title}。", "en": ". Suggestion: {title} is the one within your budget."},
    "suggest_stock": {"zh": "。建议：{title} 有现货，可以马上下单。", "en": ". Suggestion: {title} is in stock and can be ordered now."},
    "suggest_rating": {"zh": "。建议：{title} 评分更高（{rating}）。", "en": ". Suggestion: {title} is rated higher ({rating})."},
    "suggest_price": {"zh": "。建议：两款评分相当，{title} 更便宜。", "en": ". Suggestion: they rate the same and {title} costs less."},
    # not "就要第一个": ordinals count the whole list shown, which the compared products may not head
    "compare_outro": {"zh": "要推荐的这款，说“就它了”；要另一款，说出它的品牌或型号。",
                      "en": " Say \"I'll take it\" for the suggested one, or name the other one."},
    "next": {"zh": "好的，不要那款。看看这款：", "en": "OK, not that one. How about this: "},
    "cancel": {
        "zh": "好的，没关系！购物车里的商品会为您保留，需要的时候随时叫我。",
        "en": "No problem! Your cart is kept for you; I'm here whenever you need me.",
    },
    "help_offer": {
        "zh": "如需人工帮助，说“转人工”，客服会在这个对话里回复您。",
        "en": "If you'd like a person to help, say \"talk to a person\" and a member of staff will reply here.",
    },
    "staff_hold": {
        "zh": "客服已接手这个对话，会在这里回复您，请稍候。",
        "en": "A member of staff has taken over this chat and will reply here shortly.",
    },
    "help_human": {
        "zh": "好的，已为您通知人工客服，请稍候，客服会在这个对话里回复您。",
        "en": "OK — I've asked a member of staff to join; they'll reply here shortly.",
    },
    "narrow_price": {"zh": "您的预算大概是多少？", "en": "What budget do you have in mind?"},
    "narrow_brand": {"zh": "有偏好的品牌吗？", "en": "Any brand you prefer?"},
    "narrow_use": {"zh": "主要是什么场合用？告诉我用途，我帮您缩小范围。",
                   "en": "What will you mainly use it for? That helps me narrow it down."},
    "narrow_kind": {"zh": "想先看哪一类？告诉我用途或预算，我帮您缩小范围。",
                    "en": "Which kind would you like to look at first? A use or a budget helps me narrow it down."},
    "browse_intro": {"zh": "先给您看几款不同类型的热门商品：", "en": "Here is a varied selection of popular products:"},
    # constraint fragments used in recommend_intro / no_match
    "c_budget_max": {"zh": "{price}以内", "en": "under {price}"},
    "c_budget_min": {"zh": "{price}以上", "en": "over {price}"},
    "c_budget_range": {"zh": "{low}到{high}", "en": "between {low} and {high}"},
    "c_brand": {"zh": "{brands}品牌", "en": "by {brands}"},
    "c_not_brand": {"zh": "不要{brands}", "en": "not {brands}"},
    "c_wrap": {"zh": "（{items}）", "en": " ({items})"},
    "c_sep": {"zh": "，", "en": ", "},
    "what_default": {"zh": "商品", "en": "products"},
    # reasons on product cards
    "r_budget": {"zh": "在预算内", "en": "within budget"},
    "r_brand": {"zh": "您指定的品牌", "en": "the brand you asked for"},
    "r_relevant": {"zh": "与需求高度相关", "en": "close match to your request"},
    "r_rating": {"zh": "评分高", "en": "highly rated"},
    "r_stock": {"zh": "库存充足", "en": "in stock"},
    "r_sales": {"zh": "热销", "en": "popular"},
    "r_category": {"zh": "{category}", "en": "{category}"},
    "r_sep": {"zh": " · ", "en": " · "},
}


# A shop's own catalog may have no brand or rating for a product: the template drops the part that would show
# "（）" or "评分 0" (a rating of 0 is "not rated": the importer's default).
_BRAND_PARTS = ("（{brand}）", " ({brand})")
_RATING_PARTS = ("，评分 {rating}", ", rated {rating}")


def _aliases(brand: str) -> tuple[str, ...]:
    """The brand's names in the alias table ("华为" -> ("huawei", "华为")), or just itself."""
    from catalog.filters import BRAND_ALIASES  # lazy: the alias table lives with the query parser

    return next((group for group in BRAND_ALIASES if brand in group or brand.lower() in group), (brand,))


def _english_spelling(brand: str, title_en: str = "") -> str | None:
    """The brand's English spelling from the alias table, cased as ``title_en`` writes it ("HUAWEI"), else
    short ones upper-cased ("DJI") and lower-case ones title-cased ("Nike"); None when none is known."""
    latin = next((n for n in _aliases(brand) if n and not _HAN.search(n)), None)
    if latin is None:
        return None
    at = title_en.lower().find(latin.lower())
    if at >= 0:
        return title_en[at:at + len(latin)]
    return latin.upper() if len(latin) <= 3 else (latin.title() if latin.islower() else latin)


def _line_brand(brand: str, title: str) -> str:
    """A brand as an English product line shows it: "" when the title already names it (in any of its
    spellings: "HUAWEI FreeBuds 5i" needs no "(华为)") or when a Chinese name has no English spelling known (the
    English title names it its own way), else its English spelling."""
    if any(n and n.lower() in title.lower() for n in _aliases(brand)):
        return ""
    return _english_spelling(brand) or ("" if _HAN.search(brand) and title else brand)


def brand_name(brand: str, lang: str, title_en: str = "") -> str:
    """A brand as a reply in ``lang`` names it: as stored in Chinese; in English its English spelling when the
    alias table has one ("小米" → "Xiaomi", "华为" → "HUAWEI" where the title writes it so), else as stored (a
    Chinese name is still its name)."""
    if lang == "zh" or not _HAN.search(brand):
        return brand
    return _english_spelling(brand, title_en) or brand


def english_brand(product: Product) -> str:
    """A product's brand in English words (:func:`brand_name` with its English title)."""
    return brand_name(product.brand or "", "en", product.title_en or "")


def say(key: str, lang: str, **values: Any) -> str:
    """The template ``key`` in ``lang`` (``zh`` fallback) filled with ``values`` (an empty ``brand`` and a
    ``rating`` of 0 leave out their part of a product line).

    >>> say("detail", "en", title="Lip balm", brand="", price="¥19.9", rating="0", stock_text="3 in stock")
    'Lip balm: ¥19.9, 3 in stock.'
    """
    entry = TEMPLATES[key]
    text = entry.get(lang, entry["zh"])
    if lang == "en" and "brand" in values:
        values = {**values, "brand": _line_brand(str(values["brand"] or ""), str(values.get("title") or ""))}
    if "brand" in values and not str(values["brand"] or "").strip():
        for part in _BRAND_PARTS:
            text = text.replace(part, "")
    if "rating" in values and str(values["rating"]) in ("0", "0.0"):
        for part in _RATING_PARTS:
            text = text.replace(part, "")
    return text.format(**values)


def fmt_price(value: float) -> str:
    """A price without trailing zeros: ``499.0 -> '499'``, ``99.9 -> '99.9'``."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def fmt_money(value: float, lang: str = "zh") -> str:
    """A price with the currency sign (CNY in both languages)."""
    return f"¥{fmt_price(value)}"


def fmt_rating(value: float) -> str:
    """A 0–5 rating with at most one decimal as stored (``4.0 -> '4'``, ``4.75 -> '4.75'``)."""
    return fmt_price(value)


def product_title(product: Product, lang: str) -> str:
    """The product title in the reply language (falls back to the other one when empty)."""
    zh, en = product.title_zh or "", product.title_en or ""
    return (en or zh) if lang == "en" else (zh or en)


def category_name(slug: str | None, lang: str) -> str:
    """Display name of a category key: a built-in category's name in ``lang``, a shop category's own name
    (the last level of its path)."""
    return category_label(slug, "en" if lang == "en" else "zh")


def join_list(items: Sequence[str], lang: str) -> str:
    """``['a', 'b', 'c'] -> 'a、b、c'`` (zh) or ``'a, b or c'`` style (en uses '/')."""
    items = [i for i in items if i]
    return ("、" if lang == "zh" else "/").join(items)


def attrs_text(attributes: Mapping[str, str], lang: str, limit: int = 4) -> str:
    """``{'颜色': '黑'} -> '颜色：黑'`` — the first ``limit`` attributes; in English only those with English words
    (:func:`catalog.attr_terms.english_attribute`: ``{'颜色': '黑色'} -> 'colour: black'``), "" when none has."""
    if lang == "zh":
        return "；".join(f"{k}：{v}" for k, v in list(attributes.items())[:limit])
    from catalog.attr_terms import english_attribute  # lazy, like the alias table

    pairs = [en for k, v in attributes.items() if (en := english_attribute(k, v)) is not None]
    return "; ".join(f"{k}: {v}" for k, v in pairs[:limit])
