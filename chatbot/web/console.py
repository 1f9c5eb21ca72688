"""The staff console page (Gradio 6): the live queue with the reply writers' fallback rates, recommendation
tester, session browser with marks (each reply with its writer and the verifier's verdict), A/B dashboard.
Tables are sized to fit a 1280 px wide screen (column widths in %, wrapped text).

A thin layer over :mod:`chatbot.web.staff`; mounted behind a login by :mod:`chatbot.web.server`.
"""

import logging
from typing import Any

import gradio as gr
import pandas as pd

from chatbot.experiment.assignment import ARMS
from chatbot.web import staff
from chatbot.web.shop import md_text
from intent.errors import ShopGuideError

__all__ = ["build_staff"]

log = logging.getLogger(__name__)

# "#" is the place in the queue: a selected row maps back to its session id through it (kept in a gr.State
# with the table), whatever the sort order shown and however long the ids (the table shows a prefix)
_QUEUE_COLUMNS = {"place": ("#", "4%"), "label": ("priority", "15%"), "session_id": ("session", "10%"),
                  "arm": ("arm", "7%"), "stage": ("stage", "11%"), "cart_items": ("cart", "5%"),
                  "cart_value": ("¥", "6%"), "last_message": ("last message", "17%"), "help_topic": ("help", "8%"),
                  "taken_by": ("staff", "6%"), "last_active": ("active (UTC)", "11%")}
_QUEUE_ID_CHARS = 12
_QUEUE_SECONDS = 3.0
_RESULT_HEADERS = ["#", "id", "title", "brand", "price", "score"]
_RESULT_WIDTHS = ["7%", "9%", "40%", "16%", "14%", "14%"]
_TURN_COLUMNS = {"turn": ("#", "4%"), "message": ("message", "15%"), "stage": ("stage", "11%"),
                 "session_stage": ("session stage", "11%"), "action": ("action", "7%"),
                 "recommended": ("recommended", "16%"), "recommender": ("by", "7%"), "reply": ("reply", "17%"),
                 "written": ("written by", "12%")}
_QUEUE_TURN_COLUMNS = {"turn": ("#", "5%"), "message": ("message", "25%"), "stage": ("stage", "13%"),
                       "action": ("action", "9%"), "reply": ("reply", "30%"), "written": ("written by", "18%")}
# replies per writer: "fallback" = the verifier (or a timeout) put the template in place of the LLM's text
_WRITER_COLUMNS = {"writer": ("writer", "24%"), "replies": ("replies", "10%"), "ok": ("ok", "10%"),
                   "fallback": ("fallback", "10%"), "template": ("template", "10%"),
                   "rate": ("fallback rate", "14%"), "ci": ("95% CI (Wilson)", "22%")}
_EVENT_COLUMNS = ["time", "type", "product", "price", "recommendation"]
_FEEDBACK_COLUMNS = ["created", "source", "rating", "message_id", "recommendation_id", "product_id", "staff_user",
                     "note"]


def _frame(rows: list[dict], columns: list[str] | dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Rows as a frame; ``columns`` a list of keys, or {key: (header, width)} to rename them."""
    if isinstance(columns, dict):
        return pd.DataFrame([[r.get(k) for k in columns] for r in rows], columns=[h for h, _ in columns.values()])
    return pd.DataFrame(rows, columns=columns)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _writer_frame(rows: list[dict]) -> pd.DataFrame:
    """:func:`staff.writer_rows` as the writers table (rates and intervals in percent)."""
    shown = [{**r, "rate": _percent(r["fallback_rate"]),
              "ci": "–" if r["ci_low"] is None else f"{_percent(r['ci_low'])} – {_percent(r['ci_high'])}"}
             for r in rows]
    return _frame(shown, _WRITER_COLUMNS)


def _table(label: str, columns: dict[str, tuple[str, str]], **kwargs: Any) -> gr.Dataframe:
    """A read-only, wrapped table whose widths (``columns``' second items, in %) add up to the screen width."""
    return gr.Dataframe(label=label, headers=[h for h, _ in columns.values()],
                        column_widths=[w for _, w in columns.values()], interactive=False, wrap=True, **kwargs)


# widths of the score-parts tables' columns (#, then staff.PART_COLUMNS[arm]): room for the longer words
_PARTS_WIDTHS = {"intent": ["6%", "16%", "11%", "12%", "11%", "17%", "12%", "15%"],
                 "baseline": ["6%", "18%", "12%", "14%", "16%", "16%", "18%"]}


def _parts_columns(arm: str) -> dict[str, tuple[str, str]]:
    labels = ["#", *(label for label, _ in staff.PART_COLUMNS[arm])]
    return {label: (label, width) for label, width in zip(labels, _PARTS_WIDTHS[arm], strict=True)}


def build_staff(services: Any):
    """The staff console: the live queue (first tab: step into a session, take it over), tester (both
    recommenders side by side with their score parts), session browser with intent plot and good/bad marks,
    and the A/B dashboard. Mounted behind a login by :mod:`chatbot.web.server`."""
    store, catalog = services.store, services.chat.catalog

    def _user(request: gr.Request | None) -> str:
        return getattr(request, "username", None) or services.settings.staff_user

    def tick_queue():
        rows = staff.queue_rows(store, catalog)
        ids = [r["session_id"] for r in rows]
        shown = [{**r, "place": i, "session_id": r["session_id"][:_QUEUE_ID_CHARS]} for i, r in enumerate(rows, 1)]
        waiting = sum(r["waiting"] for r in rows)
        ready = sum(r["priority"] == 0 and not r["waiting"] for r in rows)
        helped = sum(r["priority"] == 1 for r in rows)
        summary = (f"**{len(rows)}** 会话 sessions · ⏳ **{waiting}** 等客服回复 waiting for staff · "
                   f"🛒 **{ready}** 待结算 ready with a cart · 🆘 **{helped}** 求助 asked for help")
        return _frame(shown, _QUEUE_COLUMNS), ids, summary

    def tick_writers():
        return _writer_frame(staff.writer_rows(store))

    def select_queue(ids: list[str], evt: gr.SelectData):
        try:
            place, shown_id = int(evt.row_value[0]), str(evt.row_value[2])
        except (TypeError, ValueError, IndexError):
            return None, "", None
        # the row's place in the queue, checked against the id it showed: the queue refreshes every few
        # seconds, and a click on a row that has moved must not open (and reply to) another shopper
        sid = ids[place - 1] if 0 < place <= len(ids) else None
        if sid is None or not sid.startswith(shown_id):
            matches = [i for i in ids if i.startswith(shown_id)]
            if len(matches) != 1:
                gr.Warning("队列刚刚更新，请重新选择 The queue just changed: pick the session again")
                return None, "", None
            sid = matches[0]
        return sid, *_queue_view(sid)

    def refresh_selected(sid: str | None):
        """The selected session's header and conversation, on the queue's timer: a shopper's new message shows
        without another click."""
        if not sid:
            return gr.skip(), gr.skip()
        try:
            return _queue_view(sid)
        except gr.Error:
            return gr.skip(), gr.skip()

    def _queue_view(sid: str):
        try:
            view = staff.session_view(store, sid, catalog)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        s = view["session"]
        cart = store.cart(sid)
        cart_text = ", ".join(f"{md_text(c['product_id'])} ×{c['quantity']}" for c in cart) or "–"
        help_text = f" · 🆘 **{md_text(s.get('help_topic') or 'help')}**" if s.get("needs_help") else ""
        taken = f" · 👤 {md_text(s['taken_by'])} 接手中 has the chat" if s.get("taken_by") else ""
        info = (f"**{md_text(sid)}** · arm **{md_text(s['arm'])}** · stage {md_text(s.get('stage') or '–')}"
                f" · cart {cart_text}{help_text}{taken}")
        return info, _frame(view["turns"], _QUEUE_TURN_COLUMNS)

    def do_take_over(sid: str | None, request: gr.Request):
        if not sid:
            raise gr.Error("先在队列中选择会话 Pick a session in the queue first")
        user = _user(request)
        try:
            services.chat.take_over(sid, user)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        table, ids, summary = tick_queue()
        info, _turns = _queue_view(sid)
        return f"✅ {md_text(user)} 已接手 took over {md_text(sid)}", info, table, ids, summary

    def do_staff_reply(sid: str | None, text: str, request: gr.Request):
        if not sid:
            raise gr.Error("先在队列中选择会话 Pick a session in the queue first")
        user = _user(request)
        try:
            services.chat.staff_reply(sid, text or "", user)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        info, turns = _queue_view(sid)
        return f"✅ {md_text(user)} 已回复 replied in {md_text(sid)}", info, turns, ""

    def do_give_back(sid: str | None):
        if not sid:
            raise gr.Error("先在队列中选择会话 Pick a session in the queue first")
        try:
            services.chat.give_back(sid)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        info, _turns = _queue_view(sid)
        return f"↩️ 已交还导购 the guide answers {md_text(sid)} again", info

    def open_in_sessions(sid: str | None):
        if not sid:
            raise gr.Error("先在队列中选择会话 Pick a session in the queue first")
        choices = staff.session_choices(store)
        if sid not in [v for _, v in choices]:
            choices.insert(0, (sid, sid))
        return gr.Tabs(selected="sessions"), gr.Dropdown(choices=choices, value=sid)

    def run_tester(text: str):
        try:
            out = staff.tester(services, text)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        if out["intent"] is None:
            empty = pd.DataFrame(columns=_RESULT_HEADERS)
            return ("请输入一条消息 Enter a message.", empty, _frame([], _parts_columns("intent")), empty,
                    _frame([], _parts_columns("baseline")))
        filters = " · ".join(f"{k} = {'/'.join(map(str, v)) if isinstance(v, list) else v}"
                             for k, v in out["filters"].items()) or "–"
        probs = " · ".join(f"{st} {p:.2f}" for st, p in out["stage_probs"].items())
        lines = [f"**stage** {out['stage']} ({probs}) · **P(buy)** = {out['intent']:.3f} · **lang** {out['lang']}",
                 f"**filters** {md_text(filters)}"]
        if out["weights"]["intent"]:
            lines.append(f"**intent-arm weights** {md_text(out['weights']['intent'])}")
        for arm in staff.ARMS:
            if out["no_match"][arm]:
                lines.append(f"**{arm}**: no match — hint: {md_text(out['hint'][arm] or '–')}")
        frames = []
        for arm in staff.ARMS:
            rows = [[r["rank"], r["id"], r["title"], r["brand"], r["price"], r["score"]]
                    for r in out["results"][arm]]
            frames.append(pd.DataFrame(rows, columns=_RESULT_HEADERS))
            parts = staff.parts_rows(out["results"][arm], arm)
            frames.append(_frame(parts, _parts_columns(arm)))
        return "  \n".join(lines), *frames

    def session_list():
        return gr.Dropdown(choices=staff.session_choices(store), value=None)

    def show_session(session_id: str | None):
        if not session_id:
            return "", None, None, None, None, gr.Dropdown(choices=[], value=None)
        try:
            view = staff.session_view(store, session_id, catalog)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        s = view["session"]
        info = (f"**{md_text(s['id'])}** · arm **{md_text(s['arm'])}**{' (forced)' if s['forced'] else ''} · "
                f"source {md_text(s['source'])} · created {md_text(s['created'][:19])} · "
                f"session intent {'–' if s['intent'] is None else format(s['intent'], '.3f')}"
                f"{' · stage ' + s['stage'] if s.get('stage') else ''}")
        series = pd.DataFrame(view["series"]) if view["series"] else None
        choices = staff.recommendation_choices(store, session_id, catalog)
        return (info, series, _frame(view["turns"], _TURN_COLUMNS), _frame(view["events"], _EVENT_COLUMNS),
                _frame(view["feedback"], _FEEDBACK_COLUMNS), gr.Dropdown(choices=choices, value=None))

    def do_mark(session_id: str, rec_id: int | None, note: str, good: bool, request: gr.Request):
        if not session_id or rec_id is None:
            raise gr.Error("先选择会话和推荐 Pick a session and a recommendation first")
        try:
            staff.mark(store, session_id, int(rec_id), good, staff_user=_user(request), note=note)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        view = staff.session_view(store, session_id, catalog)
        return f"已记录 Saved: {'好 good' if good else '差 bad'}", _frame(view["feedback"], _FEEDBACK_COLUMNS), ""

    def mark_good(session_id: str, rec_id: int | None, note: str, request: gr.Request):
        return do_mark(session_id, rec_id, note, True, request)

    def mark_bad(session_id: str, rec_id: int | None, note: str, request: gr.Request):
        return do_mark(session_id, rec_id, note, False, request)

    def do_force(session_id: str, arm: str | None):
        if not session_id or arm not in ARMS:
            raise gr.Error("先选择会话和分组 Pick a session and an arm first")
        store.force_arm(session_id, arm)
        services.chat.forget(session_id)
        return f"已强制分组 Arm forced: {arm}"

    def ab():
        md, fig = staff.ab_panel(store, services.settings)
        return md, fig

    private = {"api_visibility": "private"}
    with gr.Blocks(title="导购 Staff console", analytics_enabled=False) as console:
        gr.Markdown("## 客服控制台 Staff console")
        with gr.Tabs() as tabs:
            with gr.Tab("队列 Queue", id="queue"):
                with gr.Row():
                    queue_summary = gr.Markdown(elem_id="staff-queue-summary")
                    queue_refresh = gr.Button("刷新 Refresh", scale=0, elem_id="staff-queue-refresh")
                queue_df = _table("待处理会话 Sessions, most urgent first", _QUEUE_COLUMNS, max_height=420,
                                  elem_id="staff-queue")
                queue_ids = gr.State([])
                queue_sid = gr.State(None)
                queue_info = gr.Markdown(elem_id="staff-queue-selected")
                queue_turns = _table("对话 Conversation", _QUEUE_TURN_COLUMNS, max_height=320,
                                     elem_id="staff-queue-turns")
                with gr.Row():
                    take = gr.Button("接手 Take over", variant="primary", elem_id="staff-take-over")
                    open_btn = gr.Button("在会话页打开 Open in Sessions", elem_id="staff-open-session")
                take_status = gr.Markdown(elem_id="staff-take-status")
                with gr.Row():
                    reply_text = gr.Textbox(label="回复顾客 Reply to the shopper (the guide holds back until you give "
                                                  "the chat back)", scale=5, elem_id="staff-reply-text")
                    reply_send = gr.Button("发送 Send", variant="primary", scale=1, elem_id="staff-reply-send")
                    give_back = gr.Button("交还导购 Give back to the guide", scale=1, elem_id="staff-give-back")
                writers_df = _table("回复写手 Reply writers (fallback: the template replaced the LLM's text)",
                                    _WRITER_COLUMNS, elem_id="staff-writers")
                timer = gr.Timer(_QUEUE_SECONDS)
            with gr.Tab("测试 Tester", id="tester"):
                text = gr.Textbox(label="顾客消息 Shopper message", elem_id="staff-tester-text",
                                  placeholder="例如 e.g. 500以内的跑鞋")
                run = gr.Button("分析 Analyse", variant="primary", elem_id="staff-tester-run")
                summary = gr.Markdown(elem_id="staff-tester-summary")
                outputs = [summary]
                with gr.Row():
                    for arm, label in (("intent", "意向加权 Intent-weighted"), ("baseline", "基线 Baseline")):
                        with gr.Column(min_width=0):
                            outputs.append(gr.Dataframe(label=label, headers=_RESULT_HEADERS,
                                                        column_widths=_RESULT_WIDTHS, interactive=False, wrap=True,
                                                        max_height=360, elem_id=f"staff-tester-{arm}"))
                            outputs.append(_table(f"得分构成 Score parts ({arm})", _parts_columns(arm),
                                                  max_height=360, elem_id=f"staff-tester-{arm}-parts"))
                run.click(run_tester, inputs=[text], outputs=outputs, **private)
                text.submit(run_tester, inputs=[text], outputs=outputs, **private)
            with gr.Tab("会话 Sessions", id="sessions"):
                with gr.Row():
                    pick = gr.Dropdown(label="会话 Session", choices=[], scale=5, elem_id="staff-session-pick")
                    refresh = gr.Button("刷新 Refresh", scale=1)
                info = gr.Markdown(elem_id="staff-session-info")
                plot = gr.LinePlot(x="turn", y="score", color="series", y_lim=[0, 1],
                                   label="意向 Intent over turns", x_title="turn", y_title="P(buy)")
                turns_df = _table("对话 Turns", _TURN_COLUMNS, max_height=480, elem_id="staff-session-turns")
                events_df = gr.Dataframe(label="事件 Events", headers=_EVENT_COLUMNS, interactive=False)
                feedback_df = gr.Dataframe(label="反馈 Feedback", headers=_FEEDBACK_COLUMNS, interactive=False,
                                           wrap=True)
                with gr.Row():
                    rec_pick = gr.Dropdown(label="推荐 Recommendation", choices=[], scale=4)
                    note = gr.Textbox(label="备注 Note", scale=3)
                    good = gr.Button("好 Good", scale=1)
                    bad = gr.Button("差 Bad", scale=1)
                mark_status = gr.Markdown()
                with gr.Row():
                    arm_pick = gr.Radio(list(ARMS), label="强制分组 Force arm (excluded from A/B analysis)")
                    force = gr.Button("应用 Apply")
                force_status = gr.Markdown()
                refresh.click(session_list, outputs=[pick], **private)
                pick.change(show_session, inputs=[pick],
                            outputs=[info, plot, turns_df, events_df, feedback_df, rec_pick], **private)
                good.click(mark_good, inputs=[pick, rec_pick, note],
                           outputs=[mark_status, feedback_df, note], **private)
                bad.click(mark_bad, inputs=[pick, rec_pick, note],
                          outputs=[mark_status, feedback_df, note], **private)
                force.click(do_force, inputs=[pick, arm_pick], outputs=[force_status], **private)
            with gr.Tab("A/B", id="ab"):
                ab_refresh = gr.Button("刷新 Refresh", elem_id="staff-ab-refresh")
                ab_md = gr.Markdown()
                ab_plot = gr.Plot()
                ab_refresh.click(ab, outputs=[ab_md, ab_plot], **private)
        queue_out = [queue_df, queue_ids, queue_summary]
        timer.tick(tick_queue, outputs=queue_out, show_progress="hidden", **private)
        timer.tick(refresh_selected, inputs=[queue_sid], outputs=[queue_info, queue_turns], show_progress="hidden",
                   **private)
        queue_refresh.click(tick_queue, outputs=queue_out, **private)
        queue_df.select(select_queue, inputs=[queue_ids], outputs=[queue_sid, queue_info, queue_turns], **private)
        take.click(do_take_over, inputs=[queue_sid], outputs=[take_status, queue_info, *queue_out], **private)
        open_btn.click(open_in_sessions, inputs=[queue_sid], outputs=[tabs, pick], **private)
        reply_args = {"fn": do_staff_reply, "inputs": [queue_sid, reply_text],
                      "outputs": [take_status, queue_info, queue_turns, reply_text], **private}
        reply_send.click(**reply_args)
        reply_text.submit(**reply_args)
        give_back.click(do_give_back, inputs=[queue_sid], outputs=[take_status, queue_info], **private)
        console.load(tick_queue, outputs=queue_out, **private)
        for trigger in (timer.tick, queue_refresh.click, console.load):
            trigger(tick_writers, outputs=[writers_df], show_progress="hidden", **private)
        console.load(session_list, outputs=[pick], **private)
    console.queue(default_concurrency_limit=services.settings.concurrency_limit)
    return console
