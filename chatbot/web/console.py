"""The staff console page (Gradio 6): recommendation tester, session browser with marks, A/B dashboard.

A thin layer over :mod:`chatbot.web.staff`; mounted behind a login by :mod:`chatbot.web.server`.
"""

import logging
from typing import Any

import gradio as gr
import pandas as pd

from chatbot.web import staff
from chatbot.web.shop import md_text
from intent.errors import ShopGuideError

__all__ = ["build_staff"]

log = logging.getLogger(__name__)

_RESULT_HEADERS = ["#", "id", "title", "brand", "price", "score", "parts"]
_TURN_COLUMNS = ["turn", "message", "stage", "intent", "session_stage", "session_intent", "recommended",
                 "recommender", "reply"]
_EVENT_COLUMNS = ["time", "type", "product", "price", "recommendation"]
_FEEDBACK_COLUMNS = ["created", "source", "rating", "message_id", "recommendation_id", "product_id", "staff_user",
                     "note"]


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def build_staff(services: Any):
    """The staff console: tester (both recommenders side by side), session browser with intent plot and
    good/bad marks, and the A/B dashboard. Mounted behind a login by :mod:`chatbot.web.server`."""


    def run_tester(text: str):
        try:
            out = staff.tester(services, text)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        if out["intent"] is None:
            empty = pd.DataFrame(columns=_RESULT_HEADERS)
            return "请输入一条消息 Enter a message.", empty, empty
        filters = " · ".join(f"{k} = {v}" for k, v in out["filters"].items()) or "–"
        probs = " · ".join(f"{st} {p:.2f}" for st, p in out["stage_probs"].items())
        lines = [f"**stage** {out['stage']} ({probs}) · **P(buy)** = {out['intent']:.3f} · **lang** {out['lang']}",
                 f"**filters** {md_text(filters)}"]
        for arm in staff.ARMS:
            if out["no_match"][arm]:
                lines.append(f"**{arm}**: no match — hint: {md_text(out['hint'][arm] or '–')}")
        frames = []
        for arm in staff.ARMS:
            rows = [[r["rank"], r["id"], r["title"], r["brand"], r["price"], r["score"], r["parts"]]
                    for r in out["results"][arm]]
            frames.append(pd.DataFrame(rows, columns=_RESULT_HEADERS))
        return "  \n".join(lines), frames[0], frames[1]

    def session_list():
        return gr.Dropdown(choices=staff.session_choices(services.store), value=None)

    def show_session(session_id: str | None):
        if not session_id:
            return "", None, None, None, None, gr.Dropdown(choices=[], value=None)
        try:
            view = staff.session_view(services.store, session_id, services.chat.catalog)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        s = view["session"]
        info = (f"**{md_text(s['id'])}** · arm **{md_text(s['arm'])}**{' (forced)' if s['forced'] else ''} · "
                f"source {md_text(s['source'])} · created {md_text(s['created'][:19])} · "
                f"session intent {'–' if s['intent'] is None else format(s['intent'], '.3f')}"
                f"{' · stage ' + s['stage'] if s.get('stage') else ''}")
        series = pd.DataFrame(view["series"]) if view["series"] else None
        choices = staff.recommendation_choices(services.store, session_id, services.chat.catalog)
        return (info, series, _frame(view["turns"], _TURN_COLUMNS), _frame(view["events"], _EVENT_COLUMNS),
                _frame(view["feedback"], _FEEDBACK_COLUMNS), gr.Dropdown(choices=choices, value=None))

    def do_mark(session_id: str, rec_id: int | None, note: str, good: bool, request: gr.Request):
        if not session_id or rec_id is None:
            raise gr.Error("先选择会话和推荐 Pick a session and a recommendation first")
        user = getattr(request, "username", None) or services.settings.staff_user
        try:
            staff.mark(services.store, session_id, int(rec_id), good, staff_user=user, note=note)
        except ShopGuideError as exc:
            raise gr.Error(exc.message) from exc
        view = staff.session_view(services.store, session_id, services.chat.catalog)
        return f"已记录 Saved: {'好 good' if good else '差 bad'}", _frame(view["feedback"], _FEEDBACK_COLUMNS), ""

    def mark_good(session_id: str, rec_id: int | None, note: str, request: gr.Request):
        return do_mark(session_id, rec_id, note, True, request)

    def mark_bad(session_id: str, rec_id: int | None, note: str, request: gr.Request):
        return do_mark(session_id, rec_id, note, False, request)

    def do_force(session_id: str, arm: str | None):
        if not session_id or arm not in staff.ARMS:
            raise gr.Error("先选择会话和分组 Pick a session and an arm first")
        services.store.force_arm(session_id, arm)
        services.chat.forget(session_id)
        return f"已强制分组 Arm forced: {arm}"

    def ab():
        md, fig = staff.ab_panel(services.store, services.settings)
        return md, fig

    with gr.Blocks(title="导购 Staff console", analytics_enabled=False) as console:
        gr.Markdown("## 客服控制台 Staff console")
        with gr.Tab("测试 Tester"):
            text = gr.Textbox(label="顾客消息 Shopper message", elem_id="staff-tester-text",
                              placeholder="例如 e.g. 500以内的跑鞋")
            run = gr.Button("分析 Analyse", variant="primary", elem_id="staff-tester-run")
            summary = gr.Markdown(elem_id="staff-tester-summary")
            with gr.Row():
                intent_df = gr.Dataframe(label="意向加权 Intent-weighted", headers=_RESULT_HEADERS,
                                         interactive=False, wrap=True)
                base_df = gr.Dataframe(label="基线 Baseline", headers=_RESULT_HEADERS, interactive=False,
                                       wrap=True)
            run.click(run_tester, inputs=[text], outputs=[summary, intent_df, base_df], api_visibility="private")
            text.submit(run_tester, inputs=[text], outputs=[summary, intent_df, base_df],
                        api_visibility="private")
        with gr.Tab("会话 Sessions"):
            with gr.Row():
                pick = gr.Dropdown(label="会话 Session", choices=[], scale=5, elem_id="staff-session-pick")
                refresh = gr.Button("刷新 Refresh", scale=1)
            info = gr.Markdown()
            plot = gr.LinePlot(x="turn", y="score", color="series", y_lim=[0, 1], label="意向 Intent over turns",
                               x_title="turn", y_title="P(buy)")
            turns_df = gr.Dataframe(label="对话 Turns", headers=_TURN_COLUMNS, interactive=False, wrap=True)
            events_df = gr.Dataframe(label="事件 Events", headers=_EVENT_COLUMNS, interactive=False)
            feedback_df = gr.Dataframe(label="反馈 Feedback", headers=_FEEDBACK_COLUMNS, interactive=False)
            with gr.Row():
                rec_pick = gr.Dropdown(label="推荐 Recommendation", choices=[], scale=4)
                note = gr.Textbox(label="备注 Note", scale=3)
                good = gr.Button("好 Good", scale=1)
                bad = gr.Button("差 Bad", scale=1)
            mark_status = gr.Markdown()
            with gr.Row():
                arm_pick = gr.Radio(list(staff.ARMS), label="强制分组 Force arm (excluded from A/B analysis)")
                force = gr.Button("应用 Apply")
            force_status = gr.Markdown()
            refresh.click(session_list, outputs=[pick], api_visibility="private")
            pick.change(show_session, inputs=[pick],
                        outputs=[info, plot, turns_df, events_df, feedback_df, rec_pick], api_visibility="private")
            good.click(mark_good, inputs=[pick, rec_pick, note],
                       outputs=[mark_status, feedback_df, note], api_visibility="private")
            bad.click(mark_bad, inputs=[pick, rec_pick, note],
                      outputs=[mark_status, feedback_df, note], api_visibility="private")
            force.click(do_force, inputs=[pick, arm_pick], outputs=[force_status], api_visibility="private")
        with gr.Tab("A/B"):
            ab_refresh = gr.Button("刷新 Refresh", elem_id="staff-ab-refresh")
            ab_md = gr.Markdown()
            ab_plot = gr.Plot()
            ab_refresh.click(ab, outputs=[ab_md, ab_plot], api_visibility="private")
        console.load(session_list, outputs=[pick], api_visibility="private")
    console.queue(default_concurrency_limit=services.settings.concurrency_limit)
    return console
