"""``python -m chatbot.cli`` = ``shopguide``."""

import sys

from chatbot.cli.root import main

sys.exit(main())
