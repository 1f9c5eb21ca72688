"""The shopper page (Gradio 6): chat, product cards, cart, feedback and the API endpoints.

Thin layers over :class:`~chatbot.service.chat.ChatService` and :mod:`chatbot.web.staff`: no logic of their own
beyond display. Everything a shopper typed or the catalog holds is escaped before it reaches HTML or
Markdown (:func:`chat_text`, :func:`card_html`), and the Chatbot keeps Gradio's HTML sanitiser on.

API (``gradio_client``): ``/chat`` (message, session_id) -> the ChatService dict; ``/event`` (session_id,
product_id, event_type) -> ``{"ok": ..., ...}``. Both run the same code as the page.
"""

import html
import logging
import re
from functools import partial
from typing import Any

import gradio as gr

from chatbot.conversation.templates import fmt_money, fmt_rating
from chatbot.errors import InputError
from chatbot.service.chat import ChatService
from intent.errors import ShopGuideError

__all__ = ["CSS", "build_shop", "chat_text", "md_text", "card_html", "cart_html", "record_like"]

log = logging.getLogger(__name__)

CSS = """
.sg-card {border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 8px 12px;}
.sg-card .sg-title {font-weight: 600;}
.sg-card .sg-meta {color: var(--body-text-color-subdued); font-size: 0.92em;}
.sg-card .sg-reason {font-size: 0.9em; margin-top: 2px;}
.sg-soldout {color: #b45309;}
#sg-cart table {width: 100%;}
"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")
_DISPLAY_CHARS = 4000
_EVENT_BUTTONS = (("click", "查看 View"), ("add_to_cart", "加入购物车 Add to cart"), ("purchase", "购买 Buy"))


def chat_text(text: str) -> str:
    """Text for a Chatbot bubble: HTML-escaped and Markdown-escaped, so it shows exactly as typed
    (no tags, links or images from a shopper or a catalog record), cut for display only."""
    text = text or ""
    if len(text) > _DISPLAY_CHARS:
        text = text[:_DISPLAY_CHARS] + "…"
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True))


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _dom_id(product_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(product_id))


def card_html(product: dict, index: int) -> str:
    """One product card (title, price, rating, stock, short reason); every value escaped."""
    stock = int(product.get("stock") or 0)
    stock_text = f"库存 {stock} in stock" if stock > 0 else '<span class="sg-soldout">缺货 sold out</span>'
    return (
        f'<div class="sg-card-body" id="card-{_dom_id(product["id"])}" data-product-id="{_e(product["id"])}">'
        f'<div class="sg-title">{index + 1}. {_e(product.get("title", ""))}</div>'
        f'<div class="sg-meta">{_e(product.get("brand", ""))} · <b>{_e(fmt_money(product["price"]))}</b> · '
        f'★ {_e(fmt_rating(product.get("rating") or 0))} · {stock_text}</div>'
        f'<div class="sg-reason">{_e(product.get("reason", ""))}</div></div>'
    )


def cart_html(cart: list[dict]) -> str:
    """The cart as an escaped HTML table (empty-cart note when empty)."""
    if not cart:
        return '<div id="sg-cart-empty">购物车是空的 Your cart is empty</div>'
    rows = "".join(
        f'<tr data-product-id="{_e(c["product_id"])}"><td>{_e(c["title_zh"])}<br><small>{_e(c["title_en"])}</small>'
        f'</td><td>× {int(c["quantity"])}</td><td>{_e(fmt_money(c["price"])) if c["price"] is not None else ""}</td></tr>'
        for c in cart)
    total = sum((c["price"] or 0) * c["quantity"] for c in cart)
    return (f'<table><thead><tr><th>购物车 Cart</th><th>数量 Qty</th><th>价格 Price</th></tr></thead>'
            f'<tbody>{rows}</tbody><tfoot><tr><td>合计 Total</td><td></td><td>{_e(fmt_money(total))}</td></tr>'
            f'</tfoot></table>')


def md_text(text: Any) -> str:
    """Escape a value for a gr.Markdown (HTML and Markdown)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=True))


def record_like(chat: ChatService, session_id: str, ids: list, data: gr.LikeData) -> int | None:
    """Record a like/dislike of a Chatbot bubble through :meth:`ChatService.feedback`; the feedback id.

    ``ids`` runs parallel to the Chatbot history: the stored message id of each assistant bubble, None for
    the shopper's own bubbles. A like of a shopper bubble, or before the first reply, records nothing.
    """
    index = data.index if isinstance(data.index, int) else data.index[0]
    message_id = ids[index] if ids and 0 <= index < len(ids) else None
    if not session_id or message_id is None:
        return None
    liked = data.liked is True or data.liked == "Like"
    return chat.feedback(session_id, None, liked, message_id=message_id)


# --- shopper page ---------------------------------------------------------------------------------------
def build_shop(services: Any):
    """The shopper page (no login): chat, product cards with view / add-to-cart / buy, cart, likes, API."""
    def chat_service():
        return services.chat

    def on_send(message: str, history: list, session_id: str, ids: list, shown: list, request: gr.Request):
        message = message if isinstance(message, str) else ""
        ua = request.headers.get("user-agent") if request is not None else None
        try:
            out = chat_service().chat(session_id or None, message, user_agent=ua, source="web")
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        history = [*(history or []), {"role": "user", "content": chat_text(message)},
                   {"role": "assistant", "content": chat_text(out["reply"])}]
        ids = [*(ids or []), None, out["message_id"]]
        new_shown = out["products"] or shown or []
        cart = cart_html(chat_service().cart(out["session_id"]))
        return history, "", out["session_id"], ids, new_shown, cart, out["session_id"]

    def on_event(product_id: str, event_type: str, session_id: str):
        if not session_id:
            raise gr.Error("请先发送一条消息 Please send a message first")
        try:
            result = chat_service().event(session_id, product_id, event_type)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        notes = {"click": "已查看 Viewed", "add_to_cart": "已加入购物车 Added to cart", "purchase": "已下单 Ordered"}
        title = chat_service().catalog[product_id].title_zh
        return cart_html(result["cart"]), f"{notes[event_type]}: {md_text(title)}"

    def on_like(session_id: str, ids: list, data: gr.LikeData):  # gradio passes LikeData by this annotation
        try:
            record_like(chat_service(), session_id, ids, data)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc

    def chat(message: str, session_id: str = "") -> dict:
        """Send a shopper message; session_id "" starts a new session. Returns the reply, the session id,
        the intent scores, the filters and the recommended products as one JSON object."""
        try:
            return chat_service().chat(session_id or None, message if isinstance(message, str) else "",
                                       source="api")
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc

    def event(session_id: str, product_id: str, event_type: str) -> dict:
        """Log a shopper event (click, add_to_cart, purchase, remove) on a product; returns the result
        (ok, event_id, price from the catalog, cart) or ok=false with the error."""
        try:
            return chat_service().event(session_id, product_id, event_type)
        except InputError as exc:
            return {"ok": False, "error": str(exc)}

    with gr.Blocks(title="导购 Shopping guide", analytics_enabled=False) as demo:
        sid = gr.State("")
        ids = gr.State([])
        shown = gr.State([])
        gr.Markdown("## 导购 · Shopping guide\n告诉我您想买什么、预算和喜欢的品牌。 "
                    "Tell me what you'd like to buy, your budget and favourite brands.")
        chatbot = gr.Chatbot(label="导购 Shopping guide", elem_id="sg-chatbot", height=420, sanitize_html=True,
                             render_markdown=True, feedback_options=("Like", "Dislike"), buttons=["copy"],
                             placeholder="例如 e.g.「500以内的跑鞋」 · \"noise cancelling earbuds under 1000\"")
        with gr.Row():
            box = gr.Textbox(show_label=False, placeholder="输入消息 Type a message…", elem_id="sg-message",
                             scale=6, lines=1, max_lines=4, autofocus=True)
            send = gr.Button("发送 Send", variant="primary", elem_id="sg-send", scale=1, min_width=100)
        status = gr.Markdown(elem_id="sg-status")
        cart = gr.HTML(cart_html([]), elem_id="sg-cart", render=False)

        @gr.render(inputs=[shown], triggers=[shown.change])
        def product_cards(products: list):
            if not products:
                return
            gr.Markdown("**推荐商品 Recommended**", elem_id="sg-cards-title")
            for i, p in enumerate(products):
                with gr.Group(elem_classes=["sg-card"], elem_id=f"sg-card-{i}", key=f"card-{i}-{p['id']}"):
                    gr.HTML(card_html(p, i), padding=False)
                    with gr.Row():
                        for event_type, label in _EVENT_BUTTONS:
                            button = gr.Button(label, size="sm", elem_id=f"sg-{event_type}-{i}",
                                               elem_classes=[f"sg-{event_type}", f"sg-{event_type}-{_dom_id(p['id'])}"],
                                               variant="primary" if event_type == "purchase" else "secondary")
                            button.click(partial(on_event, p["id"], event_type), inputs=[sid],
                                         outputs=[cart, status], api_visibility="private")

        cart.render()
        with gr.Accordion("会话 Session", open=False):
            session_box = gr.Textbox(label="会话编号 Session id (for the API)", interactive=False,
                                     elem_id="sg-session-id")

        send_args = {"fn": on_send, "inputs": [box, chatbot, sid, ids, shown],
                     "outputs": [chatbot, box, sid, ids, shown, cart, session_box], "api_visibility": "private"}
        box.submit(**send_args)
        send.click(**send_args)
        chatbot.like(on_like, inputs=[sid, ids], outputs=None, api_visibility="private")
        gr.api(chat, api_name="chat")
        gr.api(event, api_name="event")
    demo.queue(default_concurrency_limit=services.settings.concurrency_limit)
    return demo


