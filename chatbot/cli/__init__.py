"""The ``shopguide`` command line: ``serve`` and the ``intent``, ``catalog`` and ``ab`` command groups."""

from chatbot.cli.root import cli, main

__all__ = ["cli", "main"]
