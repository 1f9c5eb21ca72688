"""The one settings object: paths given as strings, the environment, and ``serve``'s options reaching it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from chatbot.cli.root import cli
from chatbot.settings import Settings


def test_paths_given_as_strings_become_paths_and_a_db_url_stays_a_string(tmp_path):
    s = Settings(home=str(tmp_path), index_dir=str(tmp_path / "idx"), model_dir=str(tmp_path / "m"),
                 db=str(tmp_path / "x.db"))
    assert s.home == tmp_path and s.db_path == tmp_path / "x.db"
    assert s.product_index_dir == tmp_path / "idx" and s.intent_model_dir == tmp_path / "m"
    assert Settings(home="~/shop").home == Path.home() / "shop"
    url = Settings(home=tmp_path, db="postgresql://shop:secret@localhost/shopguide")
    assert url.db_url == "postgresql://shop:secret@localhost/shopguide"
    assert Settings(home=tmp_path, db="").db_path == tmp_path / "shopguide.db"  # empty: the default place


def test_serve_index_and_model_options_reach_the_settings(monkeypatch, tmp_path):
    import chatbot.web.server as server

    seen: list[Settings] = []
    monkeypatch.setattr(server, "serve", seen.append)
    monkeypatch.setenv("SHOPGUIDE_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "shared-index"), "--model",
                                      str(tmp_path / "model"), "--port", "7999"])
    assert result.exit_code == 0, result.output
    (settings,) = seen
    assert settings.product_index_dir == tmp_path / "shared-index" and settings.index_dir == tmp_path / "shared-index"
    assert settings.intent_model_dir == tmp_path / "model" and settings.port == 7999 and settings.home == tmp_path
