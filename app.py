"""Run the shopping guide: ``python app.py [--host H] [--port P] [--db FILE] [--catalog FILE] [--model DIR]``.

The same as ``shopguide serve``: warms up (on the first run it installs the shipped default intent model and
builds the product index from the shipped product vectors, a few seconds; a catalog of your own is embedded
with progress shown), then serves the shopper page at ``/`` and the staff console at
``/staff/`` and prints the local URL. ``python app.py --help`` lists the options.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from chatbot.cli import main as cli_main

    cli_main(["serve", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
