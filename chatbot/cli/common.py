"""What every ``shopguide`` command shares: the root group's error handling and the settings it runs with."""

from __future__ import annotations

import click

from chatbot.settings import Settings
from intent.errors import ShopGuideError

__all__ = ["Root", "settings_from"]


class Root(click.Group):
    """Root group that turns domain errors into one clean line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context):  # noqa: D401 - click API
        try:
            return super().invoke(ctx)
        except ShopGuideError as exc:
            click.secho(f"Error: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)


def settings_from(ctx: click.Context, **overrides: object):
    """Settings from the environment plus CLI overrides (``None`` values are ignored)."""
    return Settings.from_env(**overrides)
