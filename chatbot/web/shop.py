"""The shopper page (Gradio 6): chat, product cards, comparison, cart, checkout, feedback and the API endpoints.

Thin layers over :class:`~chatbot.service.chat.ChatService` and :mod:`chatbot.web.staff`: no logic of their own
beyond display. Everything a shopper typed or the catalog holds is escaped before it reaches HTML or
Markdown (:func:`chat_text`, :func:`card_html`, :func:`compare_html`, ...), and the Chatbot keeps Gradio's
HTML sanitiser on. Cards, the comparison and the checkout step speak the reply's language (``out["lang"]``).
With an LLM writer (``settings.reply_writer`` other than ``template``) the reply streams into its bubble as
:meth:`ChatService.chat_stream` hands on verified text (or the template's, when it replaces the writer's);
the cards, cart and checkout follow when the turn is done. The templates answer in one update.

API (``gradio_client``): ``/chat`` (message, session_id) -> the ChatService dict; ``/event`` (session_id,
product_id, event_type) -> ``{"ok": ..., ...}``; ``/checkout`` (session_id) -> the ChatService.checkout dict
or ``{"ok": False, "error": ...}``. All run the same code as the page.

Element ids: ``sg-chatbot``, ``sg-message``, ``sg-send``, ``sg-status``, ``sg-card-<i>`` (``sg-focus`` on the
focused product), ``sg-compare`` (the comparison table), ``sg-cart``, ``sg-checkout-open`` (the checkout
button), ``sg-checkout`` (the order summary), ``sg-place-order``, ``sg-order-done`` (the confirmation).
"""

import html
import logging
import os
import re
import secrets
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot.conversation.replies import IMAGE_PATH
from chatbot.conversation.templates import fmt_money, fmt_rating
from chatbot.errors import InputError
from chatbot.service.chat import FOCUS_EVENTS, ChatService
from intent.errors import ShopGuideError

__all__ = ["CSS", "build_shop", "chat_text", "md_text", "card_html", "image_src", "cart_html", "compare_html",
           "checkout_html", "order_html", "record_like"]

log = logging.getLogger(__name__)

CSS = """
.sg-card {border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 8px 12px;}
.sg-card.sg-focus {border: 2px solid var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft);}
.sg-card .sg-card {border: none; box-shadow: none; padding: 0;}  /* gradio repeats a Group's id and classes inside */
.sg-card-body {display: flex; gap: 10px; align-items: flex-start;}
.sg-card-body .sg-info {flex: 1 1 auto; min-width: 0;}
.sg-thumb {flex: 0 0 auto; width: 72px; height: 72px; border-radius: 8px; overflow: hidden;
  background: var(--background-fill-secondary, #f3f4f6);}
.sg-thumb .sg-img {display: block; width: 72px; height: 72px; object-fit: cover;}
.sg-noimg {display: block; width: 72px; height: 72px; background-color: #e5e7eb; background-repeat: no-repeat;
  background-position: center; background-size: 36px 36px; background-image: url("data:image/svg+xml,%3Csvg \
xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%239ca3af' stroke-width='1.6'%3E%3Crect \
x='3' y='4' width='18' height='16' rx='2'/%3E%3Ccircle cx='9' cy='10' r='2'/%3E%3Cpath d='M3 18l5-5 4 4 3-3 6 6'/%3E%3C/svg%3E");}
.sg-card .sg-title {font-weight: 600;}
.sg-card .sg-meta {color: var(--body-text-color-subdued); font-size: 0.92em;}
.sg-card .sg-reason {font-size: 0.9em; margin-top: 2px;}
.sg-badge {display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 6px; font-size: 0.8em;
  font-weight: 600; color: white; background: var(--color-accent);}
.sg-soldout {color: #b45309;}
#sg-cart table, #sg-checkout table, #sg-compare {width: 100%;}
#sg-compare th, #sg-compare td {padding: 4px 8px; text-align: left;}
#sg-compare tr.sg-differs {background: var(--color-accent-soft);}
#sg-compare .sg-suggested {font-weight: 600; border-left: 2px solid var(--color-accent);}
#sg-order-done {padding: 8px 12px; border-radius: 8px; border: 1px solid #16a34a;}
"""

# Markdown's specials (and ":" "@" of autolinks): backslash-escaped. "<" ">" "&" become entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$=:@])")
_LEADING_SPACE = re.compile(r"^[ \t]+", re.M)
_DISPLAY_CHARS = 4000
_THUMB_PX = 72
# what a card's <img src> may be: an http(s) URL without spaces, controls, quotes, angle brackets or backslashes,
# or the app's own image route with a url-quoted id (one segment, not a dot segment such as ".." or "%2e%2e")
_WEB_IMAGE = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'<>\\`]+", re.I)
_LOCAL_IMAGE = re.compile(re.escape(IMAGE_PATH) + r"(?!(?i:\.|%2e){1,2}$)[A-Za-z0-9._~%-]+")
_EVENT_BUTTONS = ("click", "add_to_cart", "buy")
EMPTY_NOTE = "请输入消息 · Please type a message first"
NO_SESSION = "请先发送一条消息 · Please send a message first"

_TEXT = {  # what the page itself writes, in the reply's language
    "zh": {"stock": "库存 {n} 件", "sold_out": "缺货", "click": "查看", "add_to_cart": "加入购物车", "buy": "立即购买",
           "selected": "当前商品", "recommended": "推荐商品", "compare": "商品对比", "suggested": "建议",
           "summary": "订单确认", "product": "商品", "qty": "数量", "price": "单价", "subtotal": "小计",
           "total": "合计（{n} 件）", "done": "下单成功！订单号 {id}，共 {n} 件，合计 {total}。",
           "viewed": "已查看", "added": "已加入购物车", "empty_cart": "购物车是空的，先加入商品再结算。"},
    "en": {"stock": "{n} in stock", "sold_out": "sold out", "click": "View", "add_to_cart": "Add to cart",
           "buy": "Buy now", "selected": "Selected", "recommended": "Recommended", "compare": "Comparison",
           "suggested": "suggested", "summary": "Order summary", "product": "Product", "qty": "Qty",
           "price": "Price", "subtotal": "Subtotal", "total": "Total ({n} items)",
           "done": "Order {id} placed: {n} items, total {total}.", "viewed": "Viewed", "added": "Added to cart",
           "empty_cart": "Your cart is empty: add a product before checking out."},
}


POLL_SECONDS = 3.0
"""How often the shopper's page looks for staff replies."""
STAFF_PREFIX = "👤 客服 Staff："
"""What a staff reply's bubble starts with, so the shopper sees a person wrote it."""


def _t(lang: str | None) -> dict[str, str]:
    return _TEXT["en" if lang == "en" else "zh"]


def chat_text(text: str) -> str:
    """Text for a Chatbot bubble that shows exactly as typed: ``& < >`` as HTML entities (so no tag from a
    shopper or a catalog record is ever built), Markdown's specials backslash-escaped (no links, images,
    emphasis or headings), leading spaces kept (no code block); cut for display only.

    >>> chat_text("I'm <b>*5*</b>")
    "I'm &lt;b&gt;\\\\*5\\\\*&lt;/b&gt;"
    """
    text = text or ""
    if len(text) > _DISPLAY_CHARS:
        text = text[:_DISPLAY_CHARS] + "…"
    text = _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))  # quotes need no escape outside attributes
    return _LEADING_SPACE.sub(lambda m: "&nbsp;" * len(m.group().expandtabs(4)), text)


def md_text(text: Any) -> str:
    """Escape a value for a gr.Markdown (HTML and Markdown), shown as written."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def _e(value: Any) -> str:
    """Escape for HTML text and attribute values."""
    return html.escape(str(value), quote=True)


def _dom_id(product_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(product_id))


def _money(value: Any) -> str:
    return _e(fmt_money(value)) if value is not None else ""


def image_src(value: Any) -> str:
    """A card image's ``src`` if it is one a card may show (an http(s) URL, or the app's own
    ``/catalog/image/<quoted id>``), else "" (the card shows the placeholder). Not yet HTML-escaped.

    >>> image_src("https://img.example.com/a.png"), image_src("/catalog/image/S%201")
    ('https://img.example.com/a.png', '/catalog/image/S%201')
    >>> image_src("javascript:alert(1)"), image_src('https://e.com/x.png" onerror="alert(1)'), image_src("//e.com/x")
    ('', '', '')
    """
    text = value.strip() if isinstance(value, str) else ""
    return text if _WEB_IMAGE.fullmatch(text) or _LOCAL_IMAGE.fullmatch(text) else ""


def _thumb_html(product: dict) -> str:
    """The card's picture (lazy, no referrer sent to an image host) or a neutral CSS placeholder."""
    src = image_src(product.get("image"))
    if not src:
        return '<div class="sg-thumb"><span class="sg-noimg" aria-hidden="true"></span></div>'
    return (f'<div class="sg-thumb"><img class="sg-img" src="{_e(src)}" alt="{_e(product.get("title", ""))}" '
            f'loading="lazy" decoding="async" width="{_THUMB_PX}" height="{_THUMB_PX}" '
            f'referrerpolicy="no-referrer"></div>')


def card_html(product: dict, index: int, lang: str = "zh") -> str:
    """One product card in the reply's language (picture or placeholder, title, price, rating, stock, short
    reason; a "当前商品 / Selected" badge on the focused product); every value escaped."""
    t = _t(lang)
    stock = int(product.get("stock") or 0)
    stock_text = _e(t["stock"].format(n=stock)) if stock > 0 else f'<span class="sg-soldout">{_e(t["sold_out"])}</span>'
    badge = f'<span class="sg-badge">{_e(t["selected"])}</span>' if product.get("focus") else ""
    return (
        f'<div class="sg-card-body" id="card-{_dom_id(product["id"])}" data-product-id="{_e(product["id"])}">'
        f'{_thumb_html(product)}<div class="sg-info">'
        f'<div class="sg-title">{index + 1}. {_e(product.get("title", ""))}{badge}</div>'
        f'<div class="sg-meta">{_e(product.get("brand", ""))} · <b>{_money(product["price"])}</b> · '
        f'★ {_e(fmt_rating(product.get("rating") or 0))} · {stock_text}</div>'
        f'<div class="sg-reason">{_e(product.get("reason", ""))}</div></div></div>'
    )


def cart_html(cart: list[dict]) -> str:
    """The cart as an escaped HTML table (empty-cart note when empty)."""
    if not cart:
        return '<div id="sg-cart-empty">购物车是空的 Your cart is empty</div>'
    rows = "".join(
        f'<tr data-product-id="{_e(c["product_id"])}"><td>{_e(c["title_zh"])}<br><small>{_e(c["title_en"])}</small>'
        f'</td><td>× {int(c["quantity"])}</td><td>{_money(c["price"])}</td></tr>'
        for c in cart)
    total = sum((c["price"] or 0) * c["quantity"] for c in cart)
    return (f'<table><thead><tr><th>购物车 Cart</th><th>数量 Qty</th><th>价格 Price</th></tr></thead>'
            f'<tbody>{rows}</tbody><tfoot><tr><td>合计 Total</td><td></td><td>{_e(fmt_money(total))}</td></tr>'
            f'</tfoot></table>')


def compare_html(comparison: dict | None, lang: str = "zh") -> str:
    """The reply's comparison as an escaped table (``id="sg-compare"``): a column per product (titles as
    headers, ``sg-suggested`` on the suggested one's cells), a row per compared fact (``sg-differs`` where the
    products differ). "" without a comparison."""
    if not comparison:
        return ""
    t = _t(lang)
    products, suggested = comparison.get("products") or [], comparison.get("suggestion")
    marks = [' class="sg-suggested"' if pid == suggested else "" for pid in products]
    badge = f'<span class="sg-badge">{_e(t["suggested"])}</span>'
    titles = comparison.get("titles") or []
    head = "".join(f'<th{mark} data-product-id="{_e(pid)}" scope="col">{_e(title)}{badge if mark else ""}</th>'
                   for pid, title, mark in zip(products, titles, marks, strict=False))
    rows = []
    for row in comparison.get("rows") or []:
        cells = "".join(f"<td{mark}>{_e(value)}</td>"
                        for value, mark in zip(row.get("values") or [], marks, strict=False))
        rows.append(f'<tr class="{"sg-differs" if row.get("differs") else "sg-same"}">'
                    f'<th scope="row">{_e(row.get("label", ""))}</th>{cells}</tr>')
    return (f'<table id="sg-compare"><caption>{_e(t["compare"])}</caption>'
            f'<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _cart_summary(cart: list[dict]) -> dict:
    """The order summary of a cart for display (the shape of ``out["checkout"]``)."""
    total = round(sum((c["price"] or 0.0) * c["quantity"] for c in cart), 2)
    return {"lines": cart, "items": sum(c["quantity"] for c in cart), "total": total}


def _line_title(line: dict, lang: str) -> str:
    zh, en = line.get("title_zh") or "", line.get("title_en") or ""
    return (en or zh) if lang == "en" else (zh or en)


def checkout_html(summary: dict, lang: str = "zh") -> str:
    """The checkout step's order summary (``id="sg-checkout"``): lines, quantities, prices, total; escaped."""
    t = _t(lang)
    rows = "".join(
        f'<tr data-product-id="{_e(line["product_id"])}"><td>{_e(_line_title(line, lang))}</td>'
        f'<td>× {int(line["quantity"])}</td><td>{_money(line["price"])}</td>'
        f'<td>{_money(None if line["price"] is None else line["price"] * line["quantity"])}</td></tr>'
        for line in summary["lines"])
    return (f'<div id="sg-checkout"><div class="sg-title"><b>{_e(t["summary"])}</b></div>'
            f'<table><thead><tr><th>{_e(t["product"])}</th><th>{_e(t["qty"])}</th><th>{_e(t["price"])}</th>'
            f'<th>{_e(t["subtotal"])}</th></tr></thead><tbody>{rows}</tbody>'
            f'<tfoot><tr><td>{_e(t["total"].format(n=int(summary["items"])))}</td><td></td><td></td>'
            f'<td id="sg-checkout-total">{_money(summary["total"])}</td></tr></tfoot></table></div>')


def order_html(order: dict, lang: str = "zh") -> str:
    """The order confirmation (``id="sg-order-done"``): order id, items and total."""
    text = _t(lang)["done"].format(id=order["id"], n=int(order["items"]), total=fmt_money(order["total"]))
    return f'<div id="sg-order-done" data-order-id="{_e(order["id"])}">✅ {_e(text)}</div>'


def record_like(chat: ChatService, session_id: str, ids: list, data: gr.LikeData) -> int | None:
    """Record a like/dislike of a Chatbot bubble through :meth:`ChatService.feedback`; the feedback id.

    ``ids`` runs parallel to the Chatbot history: the stored message id of each of the guide's bubbles, None
    for the shopper's own and the staff's. A like of one of those, or before the first reply, records nothing.
    """
    index = data.index if isinstance(data.index, int) else data.index[0]
    message_id = ids[index] if ids and 0 <= index < len(ids) else None
    if not session_id or message_id is None:
        return None
    liked = data.liked is True or data.liked == "Like"
    return chat.feedback(session_id, None, liked, message_id=message_id)


FORGOTTEN = "-"
"""What the browser keeps after 新对话 New chat (Gradio's BrowserState stores only a value that is not empty)."""


def browser_secret(home: Path) -> str:
    """The key the browser's stored session id is encrypted with: made once and kept in ``home`` (replicas
    that share the home folder share it), so a reload after a restart goes on with the conversation."""
    path = Path(home) / "browser_secret"
    try:
        return path.read_text(encoding="utf-8").strip() or _new_secret(path)
    except FileNotFoundError:
        return _new_secret(path)
    except OSError:  # an unreadable home: a key for this process (a reload after a restart starts anew)
        return secrets.token_hex(16)


def _new_secret(path: Path) -> str:
    value = secrets.token_hex(16)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # the first process to start makes it
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(value)
        return value
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip() or value
    except OSError:
        return value


def transcript_view(lines: list[dict]) -> tuple[list[dict], list, list[int]]:
    """The Chatbot history of a stored transcript (:meth:`ChatService.transcript`), the bubbles' like ids
    (the guide's replies only) and every message id on show (what the poll compares)."""
    history, like_ids = [], []
    for m in lines:
        if m["role"] == "user":
            history.append({"role": "user", "content": chat_text(m["text"])})
        else:
            text = STAFF_PREFIX + m["text"] if m["role"] == "staff" else m["text"]
            history.append({"role": "assistant", "content": chat_text(text)})
        like_ids.append(m["id"] if m["role"] == "assistant" else None)
    return history, like_ids, [m["id"] for m in lines]


def _error(exc: ShopGuideError) -> gr.Error:
    """A domain error as the shopper sees it: what went wrong and the hint how to go on, escaped (Gradio
    shows a toast's message as HTML, and messages quote product titles and ids)."""
    return gr.Error(_e(exc.message if not exc.hint else f"{exc.message} ({exc.hint})"))


def _refocus(shown: dict, focus: str | None) -> dict:
    """The cards on show with the focus mark moved to product ``focus``."""
    return {**shown, "products": [{**p, "focus": p["id"] == focus} for p in shown.get("products") or []]}


# --- shopper page ---------------------------------------------------------------------------------------
def build_shop(services: Any):
    """The shopper page (no login): chat, product cards with view / add-to-cart / buy-now, the comparison
    table, cart, the checkout step (order summary, place order, confirmation), likes and the API."""
    def chat_service():
        return services.chat

    def checkout_view(cart: list[dict], summary: dict | None, lang: str) -> dict:
        """Updates of the cart area: the cart, its checkout button, and the checkout step (open with
        ``summary``, closed when None)."""
        return {cart_box: cart_html(cart), checkout_open: gr.update(visible=bool(cart)),
                checkout_panel: gr.update(visible=summary is not None),
                checkout_box: checkout_html(summary, lang) if summary is not None else "",
                step: summary is not None}

    def turn_view(message: str, history: list, ids: list, shown: dict, is_open: bool, out: dict) -> dict:
        """The page after a finished turn: the conversation as stored (so a staff line the poll showed
        meanwhile keeps its place, and nothing the page missed is lost), the cards, the comparison, the cart
        and checkout."""
        lang = out["lang"]
        try:
            history, like_ids, page = transcript_view(chat_service().transcript(out["session_id"]))
        except ShopGuideError:  # the turn is stored; only its re-read failed: both bubbles as before
            history = [*(history or []), {"role": "user", "content": chat_text(message)},
                       {"role": "assistant", "content": chat_text(out["reply"])}]
            like_ids, page = [*(ids or []), None, out["message_id"]], None
        if out["products"]:
            new_shown = {"products": out["products"], "lang": lang}
        else:  # the cards on show stay, in their language, with the focus of this reply
            new_shown = _refocus(shown or {}, out["focus"]) if (shown or {}).get("products") else shown
        cart = out["cart"]
        summary = out["checkout"] if out["checkout"] is not None else (
            _cart_summary(cart) if is_open and cart else None)
        return {chatbot: history, box: "", sid: out["session_id"], bubble_ids: like_ids,
                page_ids: page if page is not None else gr.skip(), shown_state: new_shown, session_box: out["session_id"], lang_state: lang,
                compare_box: compare_html(out["comparison"], lang),
                order_box: "" if out["checkout"] is not None else gr.skip(),
                **checkout_view(cart, summary, lang)}

    def on_send(message: str, history: list, session_id: str, ids: list, shown: dict, is_open: bool,
                request: gr.Request):
        message = message if isinstance(message, str) else ""
        if not message.strip():  # no bubble, no call: just a note
            gr.Warning(EMPTY_NOTE)
            return gr.skip()
        ua = request.headers.get("user-agent") if request is not None else None
        try:
            out = chat_service().chat(session_id or None, message, user_agent=ua, source="web")
        except ShopGuideError as exc:
            raise _error(exc) from exc
        return turn_view(message, history, ids, shown, is_open, out)

    def on_send_stream(message: str, history: list, session_id: str, ids: list, shown: dict, is_open: bool,
                       request: gr.Request):
        """:func:`on_send` for an LLM writer: the shopper's bubble at once, then the reply as it is written
        (verified text only: ``partial`` events of :meth:`ChatService.chat_stream`, or the template when it
        ``replace``-s the writer's), then the finished turn."""
        message = message if isinstance(message, str) else ""
        if not message.strip():
            gr.Warning(EMPTY_NOTE)
            yield gr.skip()
            return
        ua = request.headers.get("user-agent") if request is not None else None
        asked = [*(history or []), {"role": "user", "content": chat_text(message)}]
        yield {chatbot: asked, box: "", bubble_ids: [*(ids or []), None]}  # bubbles and ids stay parallel
        try:
            with closing(chat_service().chat_stream(session_id or None, message, user_agent=ua,
                                                    source="web")) as events:
                for kind, value in events:
                    if kind == "done":
                        yield turn_view(message, history, ids, shown, is_open, value)
                    else:  # "partial" (checked text so far) or "replace" (the template's text)
                        yield {chatbot: [*asked, {"role": "assistant", "content": chat_text(value)}]}
        except ShopGuideError as exc:
            raise _error(exc) from exc

    def on_poll(session_id: str, page: list):
        """Every few seconds: when the store holds a staff line or a reply that the page does not show (staff
        wrote from the console; or a turn's update and this poll's crossed), the page gets the stored
        conversation again. A shopper message still being answered is no reason to (its turn shows it)."""
        if not session_id:
            return gr.skip()
        try:
            lines = chat_service().transcript(session_id)
        except Exception:  # noqa: BLE001 - a database hiccup: the next tick tries again, no toast every 3 s
            log.debug("staff-line poll of %s failed", session_id, exc_info=True)
            return gr.skip()
        on_page = set(page or [])
        if all(m["id"] in on_page for m in lines if m["role"] != "user"):
            return gr.skip()
        history, like_ids, ids = transcript_view(lines)
        return {chatbot: history, bubble_ids: like_ids, page_ids: ids}

    def on_load(saved: str):
        """A reloaded page (or a new tab of the same browser) goes on with the browser's session: its
        conversation as stored (staff lines included) and its cart. An unknown or gone session starts anew."""
        if not saved or saved == FORGOTTEN:
            return gr.skip()
        try:
            lines = chat_service().transcript(saved)
            cart = chat_service().cart(saved)
        except ShopGuideError:
            return {saved_sid: ""}
        history, like_ids, ids = transcript_view(lines)
        return {chatbot: history, sid: saved, bubble_ids: like_ids, page_ids: ids, session_box: saved,
                cart_box: cart_html(cart), checkout_open: gr.update(visible=bool(cart))}

    def on_new_chat():
        """新对话 New chat: the page forgets the session (it stays stored); the next message starts another."""
        return {chatbot: [], sid: "", bubble_ids: [], page_ids: [], session_box: "", shown_state: {},
                compare_box: "", order_box: "", saved_sid: FORGOTTEN, **checkout_view([], None, "zh")}

    def on_event(product_id: str, event_type: str, session_id: str, shown: dict, lang: str, is_open: bool):
        if not session_id:
            raise gr.Error(NO_SESSION)
        buy = event_type == "buy"  # buy now: into the cart, then the checkout step
        try:
            result = chat_service().event(session_id, product_id, "add_to_cart" if buy else event_type)
        except ShopGuideError as exc:
            raise _error(exc) from exc
        t, product = _t(lang), chat_service().catalog[product_id]
        title = product.title_en if lang == "en" else product.title_zh
        cart = result["cart"]
        summary = _cart_summary(cart) if (buy or is_open) and cart else None
        moved = result["type"] in FOCUS_EVENTS and (shown or {}).get("products")
        return {status: f"{t['viewed'] if event_type == 'click' else t['added']}: {md_text(title)}",
                shown_state: _refocus(shown, product_id) if moved else gr.skip(),
                order_box: "" if buy else gr.skip(), **checkout_view(cart, summary, lang)}

    def on_open_checkout(session_id: str, lang: str):
        cart = chat_service().cart(session_id) if session_id else []
        if not cart:
            gr.Warning(_t(lang)["empty_cart"])
            return checkout_view(cart, None, lang)
        return {order_box: "", **checkout_view(cart, _cart_summary(cart), lang)}

    def on_place_order(session_id: str, lang: str):
        if not session_id:
            raise gr.Error(NO_SESSION)
        try:
            result = chat_service().checkout(session_id)
        except ShopGuideError as exc:
            raise _error(exc) from exc
        return {order_box: order_html(result["order"], lang), status: "",
                **checkout_view(result["cart"], None, lang)}

    def on_like(session_id: str, ids: list, data: gr.LikeData):  # gradio passes LikeData by this annotation
        try:
            record_like(chat_service(), session_id, ids, data)
        except ShopGuideError as exc:
            raise _error(exc) from exc

    def chat(message: str, session_id: str = "") -> dict:
        """Send a shopper message; session_id "" starts a new session. Returns the reply, the session id,
        the intent scores, the filters and the recommended products as one JSON object."""
        try:
            return chat_service().chat(session_id or None, message if isinstance(message, str) else "",
                                       source="api")
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc

    def event(session_id: str, product_id: str, event_type: str) -> dict:
        """Log a shopper event (click, add_to_cart, remove) on a product; returns the result (ok, event_id,
        price from the catalog, cart) or ok=false with the error. Purchases are made by /checkout."""
        try:
            return chat_service().event(session_id, product_id, event_type)
        except InputError as exc:
            return {"ok": False, "error": str(exc)}

    def checkout(session_id: str) -> dict:
        """Place the order for the session's cart; returns ok, the order (id, total, items, lines) and the
        now empty cart, or ok=false with the error (unknown session, empty cart, sold out)."""
        try:
            return chat_service().checkout(session_id)
        except InputError as exc:
            return {"ok": False, "error": str(exc)}

    with gr.Blocks(title="导购 Shopping guide", analytics_enabled=False) as demo:
        sid = gr.State("")
        # the session id in the browser's localStorage: a reload or a new tab goes on with the conversation
        saved_sid = gr.BrowserState("", storage_key="shopguide-session",
                                    secret=browser_secret(services.settings.home))
        bubble_ids = gr.State([])  # the stored message id of each bubble (None for the shopper's and staff's)
        page_ids = gr.State([])  # every stored message id on the page (the staff-line poll's)
        shown_state = gr.State({})  # {"products": cards of the last reply that had some, "lang": their language}
        lang_state = gr.State("zh")
        step = gr.State(False)  # the checkout step is open
        gr.Markdown("## 导购 · Shopping guide\n告诉我您想买什么、预算和喜欢的品牌。 "
                    "Tell me what you'd like to buy, your budget and favourite brands.")
        chatbot = gr.Chatbot(label="导购 Shopping guide", elem_id="sg-chatbot", height=420, sanitize_html=True,
                             render_markdown=True, latex_delimiters=[], feedback_options=("Like", "Dislike"),
                             buttons=["copy"],
                             placeholder="例如 e.g.「500以内的跑鞋」 · \"noise cancelling earbuds under 1000\"")
        with gr.Row():
            box = gr.Textbox(show_label=False, placeholder="输入消息 Type a message…", elem_id="sg-message",
                             scale=6, lines=1, max_lines=4, autofocus=True)
            send = gr.Button("发送 Send", variant="primary", elem_id="sg-send", scale=1, min_width=100)
            new_chat = gr.Button("新对话 New chat", elem_id="sg-new-chat", scale=1, min_width=100)
        status = gr.Markdown(elem_id="sg-status")
        compare_box = gr.HTML("", elem_id="sg-compare-box")

        @gr.render(inputs=[shown_state], triggers=[shown_state.change])
        def product_cards(shown: dict):
            products, lang = (shown or {}).get("products"), (shown or {}).get("lang")
            if not products:
                return
            t = _t(lang)
            gr.Markdown(f"**{t['recommended']}**", elem_id="sg-cards-title")
            card_outputs = [cart_box, checkout_open, checkout_panel, checkout_box, step, status, shown_state,
                            order_box]
            for i, p in enumerate(products):
                focus, sold_out = bool(p.get("focus")), not int(p.get("stock") or 0)
                with gr.Group(elem_classes=["sg-card", "sg-focus"] if focus else ["sg-card"], elem_id=f"sg-card-{i}",
                              key=f"card-{i}-{p['id']}-{lang}-{focus}"):
                    gr.HTML(card_html(p, i, lang), padding=False)
                    with gr.Row():
                        for event_type in _EVENT_BUTTONS:
                            button = gr.Button(t[event_type], size="sm", elem_id=f"sg-{event_type}-{i}",
                                               elem_classes=[f"sg-{event_type}", f"sg-{event_type}-{_dom_id(p['id'])}"],
                                               variant="primary" if event_type == "buy" else "secondary",
                                               interactive=not (sold_out and event_type != "click"))
                            button.click(partial(on_event, p["id"], event_type),
                                         inputs=[sid, shown_state, lang_state, step], outputs=card_outputs,
                                         api_visibility="private")

        cart_box = gr.HTML(cart_html([]), elem_id="sg-cart")
        checkout_open = gr.Button("去结算 / Checkout", variant="primary", elem_id="sg-checkout-open", visible=False)
        with gr.Column(visible=False, elem_id="sg-checkout-panel") as checkout_panel:
            checkout_box = gr.HTML("", elem_id="sg-checkout-box")
            place = gr.Button("确认下单 / Place order", variant="primary", elem_id="sg-place-order")
        order_box = gr.HTML("", elem_id="sg-order-box")
        with gr.Accordion("会话 Session", open=False):
            session_box = gr.Textbox(label="会话编号 Session id (for the API)", interactive=False,
                                     elem_id="sg-session-id")

        # an LLM writer streams its reply into the bubble; the templates answer in one update
        streaming = services.settings.reply_writer != "template"
        send_args = {"fn": on_send_stream if streaming else on_send, "inputs": [box, chatbot, sid, bubble_ids, shown_state, step],
                     "outputs": [chatbot, box, sid, bubble_ids, page_ids, shown_state, session_box, lang_state,
                                 compare_box, order_box, cart_box, checkout_open, checkout_panel, checkout_box, step],
                     "api_visibility": "private"}
        box.submit(**send_args)
        send.click(**send_args)
        checkout_open.click(on_open_checkout, inputs=[sid, lang_state],
                            outputs=[order_box, cart_box, checkout_open, checkout_panel, checkout_box, step],
                            api_visibility="private")
        place.click(on_place_order, inputs=[sid, lang_state],
                    outputs=[order_box, status, cart_box, checkout_open, checkout_panel, checkout_box, step],
                    api_visibility="private")
        chatbot.like(on_like, inputs=[sid, bubble_ids], outputs=None, api_visibility="private")
        sid.change(lambda s: s or FORGOTTEN, inputs=[sid], outputs=[saved_sid], api_visibility="private")
        demo.load(on_load, inputs=[saved_sid], outputs=[chatbot, sid, bubble_ids, page_ids, session_box, cart_box,
                                                        checkout_open, saved_sid], api_visibility="private")
        new_chat.click(on_new_chat, outputs=[chatbot, sid, bubble_ids, page_ids, session_box, shown_state,
                                             compare_box, order_box, saved_sid, cart_box, checkout_open,
                                             checkout_panel, checkout_box, step], api_visibility="private")
        poll = gr.Timer(POLL_SECONDS)  # staff replies from the console (cheap: one query, only with a session)
        poll.tick(on_poll, inputs=[sid, page_ids], outputs=[chatbot, bubble_ids, page_ids], show_progress="hidden",
                  concurrency_limit=None, api_visibility="private")  # one quick query: never queued behind turns
        gr.api(chat, api_name="chat")
        gr.api(event, api_name="event")
        gr.api(checkout, api_name="checkout")
    demo.queue(default_concurrency_limit=services.settings.concurrency_limit)
    return demo
