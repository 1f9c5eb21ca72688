"""Real shoppers' messages from ``../shared/realdata`` (JD and Taobao customer-service chats, English tweets).

The texts have no licence that allows committing them, so the project commits only labels keyed by a stable
message id and reads the texts from the folder at run time (``--realdata PATH``; default
``../shared/realdata`` from the project root, or ``SHOPGUIDE_REALDATA`` through the settings).

Message ids:

- ``jddc:<session id>:<line>`` — a customer line (is-agent = 0) of ``jddc/chat_public_half.txt``; ``line`` is the
  0-based position of the line within its session.
- ``ecd:<context>:<turn>`` — a customer turn of the E-commerce Dialogue Corpus sample ``ecd/train.tsv``;
  ``context`` numbers the distinct contexts in file order, ``turn`` is the turn's position in it (the customer
  speaks last, turns alternate). The corpus is word-segmented; :func:`unsegment` joins the words back (a space
  stays only between two Latin letters or digits). A text repeated in a later context keeps its first id.
- ``tweet:<row>`` — a row of ``en_tweet_purchase_intent/training.csv`` (0-based, header excluded).

    messages = jddc_messages(default_root())
    messages[0].id, messages[0].text[:8]
    # -> ('jddc:0032cff78a24ccc6de0d596725a3b11c:0', '[订单编号:[订单')
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from intent.errors import DataError

__all__ = ["RealMessage", "default_root", "jddc_messages", "ecd_messages", "shopper_messages", "tweets",
           "unsegment", "TWEET_LABELS", "LABELS_FILE", "load_stage_labels", "labelled_messages"]

JDDC_FILE = "jddc/chat_public_half.txt"
ECD_FILE = "ecd/train.tsv"
TWEET_FILE = "en_tweet_purchase_intent/training.csv"

LABELS_FILE = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "real_stages.tsv"
"""The project's stage labels of real JDDC / ECD shopper messages (ids only; see benchmarks/data/REAL_STAGES.md)."""

TWEET_LABELS = {"pi": 1, "yes": 1, "no": 0}
"""The tweets' labels (case-folded) and what they mean for purchase intent; ``undefined`` rows are left out."""


@dataclass(frozen=True)
class RealMessage:
    """One real shopper message and the turns before it in its chat (``(role, text)``, role ``shopper``/``agent``)."""

    id: str
    source: str
    text: str
    context: tuple[tuple[str, str], ...] = ()
    lang: str = "zh"

    @property
    def shopper_turns(self) -> tuple[str, ...]:
        """The shopper's own earlier messages in this chat, oldest first (agent turns and empty / ``NULL`` lines
        left out): what the guide itself knows of a session when the message arrives."""
        return tuple(t.strip() for role, t in self.context if role == "shopper" and t.strip() and t.strip() != "NULL")


def default_root() -> Path:
    """``../shared/realdata`` next to the project folder (where this checkout lives)."""
    return Path(__file__).resolve().parents[2] / "shared" / "realdata"


def _need(root: Path, rel: str) -> Path:
    path = Path(root) / rel
    if not path.is_file():
        raise DataError(f"real-data file {path} is missing",
                        hint="pass --realdata PATH pointing at the shared realdata folder (its README lists the files)")
    return path


_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def unsegment(text: str) -> str:
    """Join a word-segmented line back into running text.

    >>> unsegment("收藏 有 送 防溢 乳垫 吗")
    '收藏有送防溢乳垫吗'
    >>> unsegment("iphone 8 plus 多少 钱")
    'iphone 8 plus多少钱'
    """
    words = text.split()
    out = ""
    for word in words:
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(word[0]):
            out += " "
        out += word
    return out


def jddc_messages(root: str | Path | None = None) -> list[RealMessage]:
    """Every customer line of the public JDDC half, with the session's earlier turns as context."""
    path = _need(Path(root or default_root()), JDDC_FILE)
    sessions: dict[str, list[tuple[bool, str]]] = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 7:
                raise DataError(f"{path}, line {lineno}: expected 7 tab-separated fields, got {len(parts)}")
            sessions.setdefault(parts[0], []).append((parts[2] == "1", parts[6]))
    out = []
    for sid, turns in sessions.items():
        context: list[tuple[str, str]] = []
        for i, (is_agent, text) in enumerate(turns):
            if not is_agent and text.strip() and text != "NULL":
                out.append(RealMessage(f"jddc:{sid}:{i}", "jddc", text.strip(), tuple(context)))
            context.append(("agent" if is_agent else "shopper", text))
    return out


def ecd_messages(root: str | Path | None = None) -> list[RealMessage]:
    """The customer turns of the distinct ECD contexts (first occurrence of each text)."""
    path = _need(Path(root or default_root()), ECD_FILE)
    contexts: dict[tuple[str, ...], None] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                contexts.setdefault(tuple(parts[1:-1]), None)
    out, seen = [], set()
    for c, turns in enumerate(contexts):
        n = len(turns)
        roles = ["shopper" if (n - 1 - i) % 2 == 0 else "agent" for i in range(n)]
        for i, (role, seg) in enumerate(zip(roles, turns, strict=True)):
            text = unsegment(seg)
            if role == "shopper" and text and text not in seen:
                seen.add(text)
                ctx = tuple((roles[j], unsegment(turns[j])) for j in range(i))
                out.append(RealMessage(f"ecd:{c}:{i}", "ecd", text, ctx))
    return out


def shopper_messages(root: str | Path | None = None) -> dict[str, RealMessage]:
    """JDDC and ECD shopper messages by id."""
    return {m.id: m for m in jddc_messages(root) + ecd_messages(root)}


def tweets(root: str | Path | None = None) -> list[tuple[RealMessage, int]]:
    """The labelled English tweets with a purchase-intent answer (``PI``/``yes`` → 1, ``no`` → 0)."""
    path = _need(Path(root or default_root()), TWEET_FILE)
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            label = TWEET_LABELS.get((row.get("class") or "").strip().casefold())
            text = (row.get("text") or "").strip()
            if label is not None and text:
                out.append((RealMessage(f"tweet:{i}", "tweet", text, lang="en"), label))
    return out


def load_stage_labels(path: str | Path = LABELS_FILE) -> list[tuple[str, str, bool]]:
    """``(message id, stage, unsure)`` rows of a labels TSV with the header ``id<TAB>stage<TAB>unsure``."""
    from intent.stages import STAGES  # light module; imported here to keep this one free of numpy at import

    path = Path(path)
    if not path.is_file():
        raise DataError(f"stage labels file {path} is missing", hint="pass --labels PATH (id<TAB>stage<TAB>unsure)")
    out = []
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:2] != ["id", "stage"]:
            raise DataError(f"{path}: the header must start with id<TAB>stage, got {header}")
        for lineno, line in enumerate(f, 2):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or parts[1] not in STAGES:
                raise DataError(f"{path}, line {lineno}: expected id<TAB>stage with a stage in {STAGES}, got {line!r}")
            out.append((parts[0], parts[1], len(parts) > 2 and parts[2].strip() == "1"))
    return out


def labelled_messages(root: str | Path | None = None, labels: str | Path = LABELS_FILE) -> list[tuple[RealMessage, str, bool]]:
    """The labelled real messages: ``(message, stage, unsure)``, texts read from ``root``.

    Raises ``DataError`` when a labelled id is not in the folder (another copy of the data, or a moved file).
    """
    messages = shopper_messages(root)
    rows = load_stage_labels(labels)
    missing = [mid for mid, _, _ in rows if mid not in messages]
    if missing:
        raise DataError(f"{len(missing)} labelled message ids are not in {root or default_root()} (e.g. {missing[0]})",
                        hint="point --realdata at the shared realdata folder the labels were made from")
    return [(messages[mid], stage, unsure) for mid, stage, unsure in rows]
