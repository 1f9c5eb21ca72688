"""What every ``shopguide`` command shares: the root group's error handling, the settings it runs with, and the
``--db`` option type (a SQLite file or a PostgreSQL URL) with how a database is printed."""

from __future__ import annotations

from pathlib import Path

import click

from chatbot.settings import Settings, is_db_url
from intent.errors import ShopGuideError

__all__ = ["Root", "settings_from", "DbType", "DB_TYPE", "shown_db"]


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


class DbType(click.ParamType):
    """``--db``: a SQLite file (a :class:`~pathlib.Path`) or a ``postgresql://`` / ``postgres://`` URL (kept a str).

        DB_TYPE.convert("postgresql://shop@localhost/shopguide", None, None)  # -> the URL; "x.db" -> Path("x.db")
    """

    name = "FILE|URL"

    def convert(self, value, param, ctx):
        if isinstance(value, Path) or is_db_url(value):
            return value
        return click.Path(dir_okay=False, path_type=Path).convert(value, param, ctx)


DB_TYPE = DbType()


def shown_db(db: Path | str) -> str:
    """The database as printed: a PostgreSQL URL with its password masked."""
    if isinstance(db, str) and is_db_url(db):
        from chatbot.service.store_pg import redact  # psycopg: only for a URL

        return redact(db)
    return str(db)
