"""Grounded LLM replies: stream what a writer writes, sentence by verified sentence, or fall back to the template.

:class:`GroundedReplier` runs a :class:`~chatbot.llm.writers.ReplyWriter` on the prompt of one turn
(:func:`chatbot.llm.prompt.build_messages`) in a worker thread and reads its pieces with one deadline for the
whole reply (``timeout``, default 8 s). Each time a sentence is complete, the text so far is checked by the
:class:`~chatbot.llm.verify.Verifier`; only checked text is ever handed on (``("partial", text)`` events), so
a wrong price or an invented product never reaches a shopper, not even for a moment. When the writer fails,
times out, or a sentence (or the finished reply) fails the check — a finished reply shown with products must
also name one of them — the reply becomes the template's
(``("replace", template)``) and the reason is logged. The last event is ``("final", Written)``.

Example:
    >>> from chatbot.llm.facts import ReplyFacts
    >>> from chatbot.llm.verify import Verifier
    >>> class Echo:
    ...     name = "echo"
    ...     def stream(self, messages, *, timeout):
    ...         yield from ("Here are ", "two pairs. ", "The first is ¥1.")
    >>> r = GroundedReplier(Echo(), Verifier(), timeout=2.0)
    >>> w = r.write(ReplyFacts(lang="en", kind="recommend", action="recommend", template="Two pairs: ..."), "hi")
    >>> w.text, w.verdict, "¥1" in w.reason
    ('Two pairs: ...', 'fallback', True)
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from chatbot.llm.facts import ReplyFacts
from chatbot.llm.prompt import build_messages

__all__ = ["GroundedReplier", "Written", "DEFAULT_TIMEOUT", "split_sentences"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 8.0
"""Seconds a writer has for the whole reply."""

_SENTENCE_END = re.compile(r"[。！？!?；\n]+|(?<=[a-z0-9)\]])[.](?=\s)", re.I)
_DONE = object()


@dataclass(frozen=True)
class Written:
    """The reply text that reaches the shopper and how it came about.

    writer: the writer's name (``template`` when none ran); verdict: ``ok`` (the written text passed),
    ``fallback`` (the template replaced it: ``reason`` says why) or ``template`` (no writer configured);
    seconds: time spent writing and checking.
    """

    text: str
    writer: str
    verdict: str
    reason: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"writer": self.writer, "verdict": self.verdict, "reason": self.reason,
                "seconds": round(self.seconds, 3)}


def split_sentences(text: str) -> tuple[str, str]:
    """(complete sentences, the unfinished rest) of streamed text.

    >>> split_sentences("两双有货。第一双")
    ('两双有货。', '第一双')
    """
    last = None
    for m in _SENTENCE_END.finditer(text):
        last = m
    if last is None:
        return "", text
    return text[:last.end()], text[last.end():]


class GroundedReplier:
    """A writer whose every sentence is checked against the turn's facts (module docstring)."""

    def __init__(self, writer: Any, verifier: Any, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.writer = writer
        self.verifier = verifier
        self.timeout = float(timeout)

    @property
    def name(self) -> str:
        return str(getattr(self.writer, "name", "writer"))

    def write(self, facts: ReplyFacts, shopper_text: str) -> Written:
        """The final reply (the stream consumed)."""
        final = None
        for kind, value in self.stream(facts, shopper_text):
            if kind == "final":
                final = value
        assert final is not None
        return final

    def stream(self, facts: ReplyFacts, shopper_text: str) -> Iterator[tuple[str, Any]]:
        """``("partial", checked text so far)`` …, then possibly ``("replace", template)``, then ``("final", Written)``."""
        start = time.perf_counter()
        if self.name == "template":
            yield "final", Written(facts.template, "template", "template")
            return
        pieces: queue.Queue = queue.Queue()
        messages = build_messages(facts, shopper_text)

        def produce() -> None:
            try:
                for piece in self.writer.stream(messages, timeout=self.timeout):
                    pieces.put(("piece", str(piece)))
            except Exception as exc:  # noqa: BLE001 - any writer failure means the template reply
                pieces.put(("error", exc))
            finally:
                pieces.put((_DONE, None))

        threading.Thread(target=produce, name=f"writer-{self.name}", daemon=True).start()
        deadline = start + self.timeout
        buffer, shown = "", ""
        reason = ""
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                reason = f"timed out after {self.timeout:g} s"
                break
            try:
                kind, value = pieces.get(timeout=left)
            except queue.Empty:
                reason = f"timed out after {self.timeout:g} s"
                break
            if kind is _DONE:
                break
            if kind == "error":
                reason = f"writer failed: {value}"
                break
            buffer += value
            done, _rest = split_sentences(buffer)
            if len(done) > len(shown):
                verdict = self.verifier.check(done.strip(), facts, shopper_text=shopper_text)
                if not verdict.ok:
                    reason = "; ".join(verdict.reasons) or "rejected"
                    break
                shown = done
                yield "partial", shown.strip()
        if not reason:
            final = buffer.strip()
            verdict = self.verifier.check(final, facts, shopper_text=shopper_text)
            if verdict.ok and not self.verifier.names_a_product(final, facts):
                verdict = type(verdict)(False, (f"names none of the {len(facts.products)} shown products",))
            if verdict.ok:
                if final != shown.strip():
                    yield "partial", final
                yield "final", Written(final, self.name, "ok", "", time.perf_counter() - start)
                return
            reason = "; ".join(verdict.reasons) or "rejected"
        log.warning("reply by %s replaced by the template: %s", self.name, reason)
        yield "replace", facts.template
        yield "final", Written(facts.template, self.name, "fallback", reason, time.perf_counter() - start)
