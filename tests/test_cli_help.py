"""Every command and subcommand of ``shopguide`` answers ``--help`` with real help text."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from chatbot.cli import cli


def _walk(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, path + (name,))
        else:
            yield path + (name,), cmd


COMMANDS = list(_walk(cli))


def test_public_command_names_exist():
    names = {" ".join(p) for p, _ in COMMANDS}
    for required in ["serve", "intent train", "intent evaluate", "intent predict", "catalog index",
                     "catalog search", "ab simulate", "ab report"]:
        assert required in names


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) or "shopguide" for p, _ in COMMANDS])
def test_every_command_has_help(path, cmd):
    assert cmd.help and len(cmd.help.strip()) > 10, f"{' '.join(path)} has no docstring"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    for param in cmd.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"option {param.opts} of '{' '.join(path)}' has no help"


def test_domain_error_is_one_clean_line(tmp_path):
    """A ShopGuideError raised in a command reaches the user as a message, not a traceback."""
    from intent.errors import ModelNotFoundError

    @cli.command("boom-for-test", hidden=True)
    def boom():
        """Raise a domain error (test only)."""
        raise ModelNotFoundError("no model in /nowhere", hint="run 'shopguide intent train'")

    try:
        result = CliRunner().invoke(cli, ["boom-for-test"])
    finally:
        cli.commands.pop("boom-for-test")
    assert result.exit_code == 1
    assert "Error: no model in /nowhere" in result.output
    assert "hint: run 'shopguide intent train'" in result.output
    assert "Traceback" not in result.output
