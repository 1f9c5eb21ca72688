"""The conversation: what a shopper message means in the light of the session, and the grounded reply.

Modules: :mod:`~chatbot.conversation.state` (the memory and the reply types), :mod:`~chatbot.conversation.understand`
(one message → a :class:`Turn`), :mod:`~chatbot.conversation.replies` (wording, product cards and the relax hint),
:mod:`~chatbot.conversation.templates` (the bilingual texts) and :mod:`~chatbot.conversation.respond`
(the plain ``respond`` function and ``replay``).
"""

from chatbot.conversation.replies import relax_text
from chatbot.conversation.respond import replay, respond
from chatbot.conversation.state import (
    KINDS,
    MAX_PARSE_CHARS,
    ConversationState,
    Parser,
    Reply,
    Turn,
    filters_dict,
)
from chatbot.conversation.understand import analyse, resolve_ordinal

__all__ = ["ConversationState", "Reply", "Turn", "Parser", "respond", "analyse", "replay", "KINDS",
           "resolve_ordinal", "MAX_PARSE_CHARS", "filters_dict", "relax_text"]
