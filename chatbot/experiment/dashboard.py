"""The A/B panel of the staff console: a Markdown summary and a figure of cumulative conversion per arm with
each treatment's always-valid confidence sequence below it.

    md, fig = ab_dashboard(store, settings)
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from chatbot.experiment.figures import conversion_figure
from chatbot.experiment.report import analyse
from chatbot.service.store import Store
from chatbot.settings import Settings
from intent.errors import ShopGuideError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure  # matplotlib loads only when a figure is drawn

__all__ = ["ab_dashboard"]

log = logging.getLogger(__name__)

NOTE = ("Sessions forced to an arm by staff are excluded. Conversion is the primary metric (Holm-corrected "
        "across the treatments); the other rows are secondary. **Checking daily?** Read the *always-valid* p "
        "and confidence sequence (mSPRT): they stay valid however often you look, and the difference may be "
        "acted on as soon as the always-valid p is below 0.05. The fixed-horizon p and CIs of the table hold "
        "only once, at the sample size planned in advance (the power line).")


def ab_dashboard(store: Store, settings: Settings) -> tuple[str, Figure]:
    """Markdown summary of ``settings.experiment`` (arms and shares from ``settings``) and its figure.

    Never raises for an empty or one-armed experiment: the Markdown then says what is missing and the
    figure says "no sessions yet".
    """
    try:
        report = analyse(store, settings.experiment, settings.intent_share, placebo_share=settings.placebo_share)
    except ShopGuideError as exc:
        log.info("A/B dashboard: %s", exc.message)
        md = f"### A/B experiment `{settings.experiment}`\n\n{exc.message}."
        if exc.hint:
            md += f"\n\n*{exc.hint}*"
        return md, conversion_figure([])
    md = f"### A/B experiment `{settings.experiment}`\n\n" + report.to_text() + "\n\n" + NOTE
    return md, conversion_figure(report.rows, title=f"Cumulative conversion — {settings.experiment}",
                                 sequences=report.sequences)
