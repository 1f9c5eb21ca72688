"""The shopping guide app: conversation, chat service and store, web pages, A/B experiment and CLI.

Subpackages, each with one job: :mod:`chatbot.conversation` (understanding a message and wording the reply),
:mod:`chatbot.service` (one chat turn end to end, the session store and the composition root),
:mod:`chatbot.web` (shopper page, staff console, HTTP server), :mod:`chatbot.experiment` (A/B assignment,
statistics, shopper simulator, dashboard) and :mod:`chatbot.cli` (the ``shopguide`` command).
"""
