"""Simulated shoppers (v2) for the A/B experiment: a hidden target product, a shopping strategy, and reactions to
what each reply *does*.

Each shopper is after one **target product** of the catalog and follows one **strategy** (the shopping-strategy
literature: Moe 2003; Janiszewski 1998; docs/ab.md has the references and how the shares were checked against the
real sessions of ``../shared/realdata/uci_shoppers``):

- ``directed`` — a directed buyer: names the kind of product (its sub-type), often the brand and budget, and
  decides as soon as a product that fits well is shown;
- ``deliberator`` — search and deliberation: collects candidates, asks about them, asks for a comparison, and
  decides more often once the guide has compared;
- ``browser`` — hedonic browsing / knowledge building: opens vaguely; narrows down to the kind of product when
  the guide asks one question; rarely buys;
- ``after_sales`` — comes about an order already placed; never buys in the session; is satisfied by the help
  path and repeats themselves when shown products.

The shopper writes messages from :mod:`chatbot.experiment.phrases` (never the intent training sentences),
reads each reply of the *same* :meth:`ChatService.chat` the app uses (``source="simulator"``), views products and
adds them to the cart through :meth:`ChatService.event`, and buys through :meth:`ChatService.checkout`, so the
sessions land in the ordinary tables and ``shopguide ab report`` reads them like real traffic.

**Utility.** A shown product's fit to the target (:func:`fit`, in [0, 1]) is the product of: category match
(else ``off_category``), sub-type match (else ``other_subtype``), price against the budget (1 within it, else
``exp(-over_budget_slope * overshoot)``), brand (``other_brand`` for a brand-loyal shopper and another brand),
the share of the target's attributes it matches (weighted by ``attribute_weight``) and its rating
(``rating_weight``).

**What the shopper reads** of a reply (:class:`Seen`): the product cards (id, rank, and from the catalog record the
card shows: category, sub-type, brand, price, stock, rating, attributes), whether the reply is a question, whether
it holds a comparison table, the cart, whether it took the help path. Never the arm, the stage, the scores or the
ranking's parts (``tests/test_simulator.py`` poisons them).

**Reactions** (all numbers are fields of the frozen :class:`ShopperModel`):

1. *Looking.* The card at rank r (0-based) is looked at with probability ``examine_decay ** r``; a looked-at card
   is viewed (a ``click`` event: the page's "view", which makes it the conversation's focus) with
   ``view_floor + (click_max - view_floor) * fit``.
2. *The buying moment.* A shopper who decides on an in-stock product says so (``decide_pick`` naming it by its
   position, or ``decide_this`` / ``ask_pay`` / ``ready_conditional`` about the product just viewed). If the reply
   confirms it — the product is in the cart the reply shows — they check out with ``buy_confirmed``. If the reply
   asks "which one?" they answer once more. If it does something else (a new search, an answer without adding),
   they leave with ``friction``, else add it to the cart themselves and check out with ``buy_self``.
3. *Deliberating.* Candidates are looked-at products with fit >= ``consider_fit``. With two or more the
   deliberator asks for a comparison (naming two with ``compare_named``, else "which is better?"). After a reply
   with a comparison table they decide on the best compared product with ``decide_compared``, after any other
   reply with ``decide_uncompared``; with one candidate they ask about it and then decide with
   ``decide_answered``.
4. *Browsing.* After a question from the guide a browser names the kind of product they are after with
   ``narrow_on_question`` (else by themselves with ``narrow_unasked``) and then deliberates with their decision
   probabilities scaled by ``browser_decide``; a browser who sees a product that fits very well (>=
   ``impulse_fit``) decides on it with ``impulse``.
5. *Leaving.* With no turns left (``max_turns`` messages in all) or after a follow-up is not sent
   (``follow_up``), the shopper leaves, saying ``browse_leave`` with ``say_goodbye``.

Every session has its own generator ``numpy.random.default_rng([seed, i])`` and id ``sim-{seed}-{i:06d}``, so a
run is reproducible and its A/B assignment (a hash of the id) is too. The same shoppers feed the offline
recommender evaluation (:func:`eval_sessions`).

    result = simulate(services.chat, services.engine.products, sessions=100, seed=1)
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, NamedTuple, Protocol

import numpy as np

from catalog.categories import CATEGORY_BY_SLUG
from catalog.evaluate import EvalSession
from catalog.filters import Filters
from chatbot.experiment.phrases import BUDGET_MEANING, frames, render
from intent.errors import ConfigError, DataError
from intent.progress import progress

__all__ = ["STRATEGIES", "ShopperModel", "Goal", "Shown", "Seen", "SessionOutcome", "SimulationResult",
           "simulate", "simulate_services", "session_id_for", "ChatLike", "draw_goal", "fit", "opening_frame",
           "eval_sessions", "pick_words", "used_frames"]

log = logging.getLogger(__name__)

STRATEGIES = ("directed", "deliberator", "browser", "after_sales")
"""The shopping strategies, in the order of :attr:`ShopperModel.strategy_shares`."""


@dataclass(frozen=True)
class ShopperModel:
    """Every parameter of the simulated shopper (the module docstring says how each is used; docs/ab.md which
    assumptions favour which arm)."""

    # who comes
    strategy_shares: tuple[float, float, float, float] = (0.20, 0.35, 0.30, 0.15)  # STRATEGIES order
    en_share: float = 0.3
    budget_slack: tuple[float, float] = (0.9, 1.4)   # budget = target price x U(a, b), rounded up
    brand_loyal: float = 0.45
    say_budget: tuple[float, float] = (0.35, 0.65)   # P(state the budget): deliberator/browser, directed
    say_brand: tuple[float, float] = (0.3, 0.7)      # P(a loyal shopper names the brand): same
    subtype_word: tuple[float, float] = (0.4, 0.8)   # P(name the sub-type, not the category): same
    max_turns: int = 6
    # looking and utility
    examine_decay: float = 0.75
    view_floor: float = 0.25         # P(view a looked-at card) = view_floor + (click_max - view_floor) * fit
    click_max: float = 0.75
    off_category: float = 0.02
    other_subtype: float = 0.4
    over_budget_slope: float = 4.0
    other_brand: float = 0.45
    attribute_weight: float = 0.3
    rating_weight: float = 0.4
    # deciding
    accept_fit: float = 0.55         # a directed buyer decides on a looked-at product at least this good
    consider_fit: float = 0.35       # a deliberator's candidates
    impulse_fit: float = 0.75
    decide_directed: float = 0.85
    decide_compared: float = 0.55
    decide_uncompared: float = 0.25
    decide_answered: float = 0.35
    compare_named: float = 0.5
    impulse: float = 0.15
    browser_decide: float = 0.5
    narrow_on_question: float = 0.65
    narrow_unasked: float = 0.2
    # the buying moment
    buy_confirmed: float = 0.9
    friction: float = 0.35
    buy_self: float = 0.8
    # going on
    follow_up: float = 0.75
    service_repeat: float = 0.6
    say_goodbye: float = 0.5

    def __post_init__(self) -> None:
        skip = ("max_turns", "over_budget_slope", "budget_slack", "strategy_shares")
        for name, value in asdict(self).items():
            if name in skip:
                continue
            values = value if isinstance(value, tuple) else (value,)
            if not all(0.0 <= v <= 1.0 for v in values):
                raise ConfigError(f"ShopperModel.{name} must be in [0, 1], got {value!r}")
        shares = self.strategy_shares
        if len(shares) != len(STRATEGIES) or min(shares) < 0 or abs(sum(shares) - 1.0) > 1e-6:
            raise ConfigError(f"ShopperModel.strategy_shares must be {len(STRATEGIES)} non-negative shares summing "
                              f"to 1 ({', '.join(STRATEGIES)}), got {shares!r}")
        if self.view_floor > self.click_max:
            raise ConfigError("ShopperModel.view_floor must not exceed click_max")
        if self.max_turns < 2 or self.over_budget_slope < 0 or not 0 < self.budget_slack[0] <= self.budget_slack[1]:
            raise ConfigError("ShopperModel needs max_turns >= 2, over_budget_slope >= 0 and 0 < budget_slack[0] <= "
                              "budget_slack[1]")

    def with_directed_share(self, share: float) -> ShopperModel:
        """A copy with ``share`` directed buyers, the other strategies scaled to keep their proportions."""
        rest = 1.0 - self.strategy_shares[0]
        scale = (1.0 - share) / rest if rest > 0 else 0.0
        shares = (share, *(s * scale for s in self.strategy_shares[1:]))
        return replace(self, strategy_shares=tuple(round(s, 12) for s in shares))


@dataclass(frozen=True)
class Goal:
    """A shopper's hidden target, strategy and preferences (never sent to the app; only their words are)."""

    strategy: str
    target_id: str
    category: str
    subtype: str
    budget: float
    brands: tuple[str, ...]
    lang: str
    word: str            # how the shopper names the kind of product
    says_budget: bool
    says_brand: bool


class Shown(NamedTuple):
    """What a shopper can see of one product card."""

    rank: int
    id: str
    category: str
    subtype: str
    brand: str
    price: float
    stock: int
    rating: float
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Seen:
    """What the shopper reads of one reply."""

    cards: tuple[Shown, ...]
    question: bool        # the reply asks the shopper something
    compared: tuple[str, ...]   # ids in the reply's comparison table
    cart: tuple[str, ...]       # product ids in the cart the page shows
    helped: bool          # the reply took the help path (after-sales answer or a person)


class ChatLike(Protocol):
    """The calls of :class:`chatbot.service.chat.ChatService` the simulator uses."""

    def chat(self, session_id: str | None, text: str, *, user_agent: str | None = None,
             source: str = "web") -> dict: ...

    def event(self, session_id: str, product_id: str, event_type: str) -> Any: ...

    def checkout(self, session_id: str, product_ids: Sequence[str] | None = None) -> dict: ...


@dataclass(frozen=True)
class SessionOutcome:
    """One simulated session's result (kept in memory for the sweeps; the store has the same in its tables)."""

    session_id: str
    strategy: str
    messages: int
    decided: bool         # the shopper said they would buy a product
    confirmed: bool       # ... and the reply put it in the cart
    bought: bool
    revenue: float
    helped: bool          # an after-sales shopper got the help path


@dataclass
class SimulationResult:
    """Counts of one run, its speed, and one :class:`SessionOutcome` per session."""

    sessions: int
    seed: int
    messages: int = 0
    clicks: int = 0
    carts: int = 0
    purchases: int = 0
    seconds: float = 0.0
    by_arm: dict[str, int] = field(default_factory=dict)
    outcomes: list[SessionOutcome] = field(default_factory=list, repr=False)

    @property
    def sessions_per_s(self) -> float:
        return self.sessions / self.seconds if self.seconds > 0 else math.inf

    def to_dict(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if k != "outcomes"}
        d["sessions_per_s"] = round(self.sessions_per_s, 2)
        d["seconds"] = round(self.seconds, 2)
        d["by_strategy"] = {s: sum(o.strategy == s for o in self.outcomes) for s in STRATEGIES}
        return d


def session_id_for(seed: int, index: int) -> str:
    """The id of simulated session ``index`` of a run with ``seed``.

    >>> session_id_for(1, 7)
    'sim-1-000007'
    """
    return f"sim-{seed}-{index:06d}"


# --- the shopper's goal --------------------------------------------------------------------------------------
def _category_words(category: str, lang: str) -> tuple[str, ...]:
    cat = CATEGORY_BY_SLUG.get(category)
    if cat is None:
        return (category,)
    return (cat.zh, *cat.synonyms_zh) if lang == "zh" else (cat.en.lower(), *cat.synonyms_en)


def _nice_budget(x: float) -> float:
    """``x`` rounded *up* to a round amount a person would say (10, 50, 100 or 500 steps)."""
    step = 10 if x < 200 else 50 if x < 1000 else 100 if x < 10000 else 500
    return float(max(step, math.ceil(x / step) * step))


class _Tables(NamedTuple):
    brands: dict[str, list[str]]
    by_id: dict[str, Any]


def _catalog_tables(products: Sequence[Any]) -> _Tables:
    brands: dict[str, set[str]] = {}
    for p in products:
        brands.setdefault(p.category, set()).add(p.brand)
    return _Tables({c: sorted(b) for c, b in brands.items()}, {str(p.id): p for p in products})


def _en_subtype(product: Any) -> str | None:
    """An English name of the product's sub-type, when its English title carries one ("Running Shoes")."""
    cat = CATEGORY_BY_SLUG.get(product.category)
    title = (product.title_en or "").lower()
    for word in (cat.synonyms_en if cat else ()):
        if word in title and " " in word:
            return word
    return None


def draw_goal(rng: np.random.Generator, products: Sequence[Any], model: ShopperModel,
              tables: _Tables | None = None) -> Goal:
    """Sample a shopper: strategy, target product, budget, brands, language and how they name the product."""
    strategy = STRATEGIES[int(rng.choice(len(STRATEGIES), p=np.asarray(model.strategy_shares) / sum(
        model.strategy_shares)))]
    target = products[int(rng.integers(len(products)))]
    budget = _nice_budget(float(target.price) * rng.uniform(*model.budget_slack))
    brands = (target.brand,) if target.brand and rng.random() < model.brand_loyal else ()
    lang = "en" if rng.random() < model.en_share else "zh"
    directed = strategy == "directed"
    says_budget = rng.random() < model.say_budget[directed]
    says_brand = bool(brands) and rng.random() < model.say_brand[directed]
    word = ""
    if rng.random() < model.subtype_word[directed]:
        word = (target.subcategory or "") if lang == "zh" else (_en_subtype(target) or "")
    if not word:
        words = _category_words(target.category, lang)
        word = words[int(rng.integers(len(words)))]
    return Goal(strategy=strategy, target_id=str(target.id), category=target.category,
                subtype=target.subcategory or "", budget=budget, brands=brands, lang=lang, word=word,
                says_budget=says_budget, says_brand=says_brand)


def fit(item: Shown, goal: Goal, model: ShopperModel, target: Any = None) -> float:
    """How well a shown product fits the shopper's target, in [0, 1] (module docstring, *Utility*).

    target: the target product (its attributes count when given).
    """
    f = 1.0 if item.category == goal.category else model.off_category
    if goal.subtype and item.subtype and item.subtype != goal.subtype:
        f *= model.other_subtype
    if item.price > goal.budget:
        f *= math.exp(-model.over_budget_slope * (item.price / goal.budget - 1.0))
    if goal.brands and item.brand not in goal.brands:
        f *= model.other_brand
    wanted = dict(getattr(target, "attributes", None) or {})
    if wanted:
        have = dict(item.attributes)
        share = sum(have.get(k) == v for k, v in wanted.items()) / len(wanted)
        f *= 1.0 - model.attribute_weight + model.attribute_weight * share
    r = min(max((float(item.rating or 0.0) - 3.0) / 2.0, 0.0), 1.0)
    return f * (1.0 - model.rating_weight + model.rating_weight * r)


def _card(rank: int, pid: str, product: Any) -> Shown:
    return Shown(rank, pid, product.category, product.subcategory or "", product.brand, float(product.price),
                 int(product.stock), float(product.rating or 0.0), tuple(sorted(product.attributes.items())))


def _seen(response: Mapping[str, Any], by_id: Mapping[str, Any]) -> Seen:
    """The only part of a chat response the shopper reads (see :class:`Seen`)."""
    cards = tuple(_card(rank, str(p["id"]), by_id[str(p["id"])])
                  for rank, p in enumerate(response.get("products") or ()) if str(p.get("id")) in by_id)
    text = str(response.get("reply") or "")
    comparison = response.get("comparison") or {}
    return Seen(cards=cards, question="?" in text or "？" in text,
                compared=tuple(str(i) for i in comparison.get("products") or ()),
                cart=tuple(str(c.get("product_id")) for c in response.get("cart") or ()),
                helped=response.get("action") == "help" or bool(response.get("handoff")))


# --- words -------------------------------------------------------------------------------------------------------
_ORDINALS_ZH = ("一", "二", "三", "四", "五", "六", "七", "八")
_ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def pick_words(rank: int, lang: str, rng: np.random.Generator) -> str:
    """How a shopper names the card at ``rank`` (0-based): "第二个", "第2款", "2号" / "the second one", "#2".

    >>> pick_words(1, "zh", np.random.default_rng(0)) in ("第二个", "第2款", "2号", "第二款")
    True
    """
    if lang == "zh":
        forms = (f"第{_ORDINALS_ZH[rank]}个", f"第{rank + 1}款", f"{rank + 1}号", f"第{_ORDINALS_ZH[rank]}款")
    else:
        forms = (f"the {_ORDINALS_EN[rank]} one", f"the {_ORDINALS_EN[rank]}", f"number {rank + 1}")
    return forms[int(rng.integers(len(forms)))]


def _frame(rng: np.random.Generator, lang: str, name: str) -> str:
    options = frames(lang, name)
    return options[int(rng.integers(len(options)))]


def _order_number(rng: np.random.Generator) -> str:
    return str(int(rng.integers(10**11, 10**12)))


def opening_frame(rng: np.random.Generator, goal: Goal, model: ShopperModel) -> str:
    """The frame of the first message of a directed buyer or deliberator (a need with what they state)."""
    name = {(False, False): "open_need", (True, False): "open_need_budget", (False, True): "open_need_brand",
            (True, True): "open_need_budget_brand"}[(goal.says_budget, goal.says_brand)]
    return _frame(rng, goal.lang, name)


# --- one shopper -------------------------------------------------------------------------------------------------
class _Session:
    """One simulated shopper talking to the chat service."""

    def __init__(self, chat: ChatLike, sid: str, goal: Goal, model: ShopperModel, rng: np.random.Generator,
                 stats: SimulationResult, tables: _Tables) -> None:
        self.chat, self.sid, self.goal, self.model, self.rng, self.stats = chat, sid, goal, model, rng, stats
        self.by_id = tables.by_id
        self.target = tables.by_id[goal.target_id]
        self.slots: dict[str, object] = {"category": goal.word, "budget": goal.budget,
                                         "brand": goal.brands[0] if goal.brands else ""}
        self.messages = 0
        self.said = ""
        self.last: Seen = Seen((), False, (), (), False)
        self.focus: str | None = None        # the card the shopper viewed last (the server's focus)
        self.candidates: dict[str, tuple[float, Shown]] = {}
        self.decided = self.confirmed = self.bought = self.helped = False
        self.revenue = 0.0
        self.compared_asked = False
        self.narrowed = goal.strategy != "browser"

    # talking
    def turns_left(self) -> int:
        return self.model.max_turns - self.messages

    def say(self, text: str) -> Seen:
        response = self.chat.chat(self.sid, text, source="simulator")
        self.said = text
        self.messages += 1
        self.stats.messages += 1
        self.last = _seen(response, self.by_id)
        return self.last

    def frame(self, name: str, **slots: object) -> str:
        if name == "service_open" or name == "service_repeat":
            slots.setdefault("order", _order_number(self.rng))
        return render(_frame(self.rng, self.goal.lang, name), **{**self.slots, **slots})

    def view(self, item: Shown) -> None:
        self.chat.event(self.sid, item.id, "click")
        self.stats.clicks += 1
        self.focus = item.id

    # looking
    def look(self, seen: Seen) -> list[tuple[Shown, float]]:
        """Look at and view cards; the (card, fit) pairs looked at, best first."""
        m, rng = self.model, self.rng
        looked = []
        for item in seen.cards:
            if rng.random() >= m.examine_decay ** item.rank:
                continue
            f = fit(item, self.goal, m, self.target)
            looked.append((item, f))
            if rng.random() < m.view_floor + (m.click_max - m.view_floor) * f:
                self.view(item)
        looked.sort(key=lambda x: (-x[1], x[0].rank))
        for item, f in looked:
            if f >= m.consider_fit:
                self.candidates[item.id] = (f, item)
        return looked

    # the buying moment
    def buy(self, item: Shown) -> None:
        """Decide on ``item`` (in stock) and go through the buying moment (module docstring, 2)."""
        m, rng, lang = self.model, self.rng, self.goal.lang
        self.decided = True
        for attempt in range(2):
            if self.turns_left() < 1:
                break
            on_card = next((c for c in self.last.cards if c.id == item.id), None)
            if self.focus == item.id:
                u = rng.random()
                name = "decide_pick" if u < 0.45 and on_card else "decide_this" if u < 0.8 else \
                    "ask_pay" if u < 0.9 else "ready_conditional"
            elif on_card is not None:
                name = "decide_pick"
            else:  # shown earlier, not in the last reply: view its card (still in the chat) first
                self.view(item)
                name = "decide_this"
            pick = pick_words(on_card.rank, lang, rng) if name == "decide_pick" and on_card else ""
            carted_before = item.id in self.last.cart
            seen = self.say(self.frame(name, pick=pick))
            if item.id in seen.cart:
                if not carted_before:  # the guide put it in the cart: an add_to_cart event, like the page's
                    self.stats.carts += 1
                self.confirmed = True
                if rng.random() < m.buy_confirmed:
                    self.checkout(item)
                return
            if not (seen.question and attempt == 0 and any(c.id == item.id for c in seen.cards)):
                break  # anything but "which one?" (with the pick among the choices): no second try
        if rng.random() < m.friction:
            return
        self.chat.event(self.sid, item.id, "add_to_cart")
        self.stats.carts += 1
        if rng.random() < m.buy_self:
            self.checkout(item)

    def checkout(self, item: Shown) -> None:
        self.chat.checkout(self.sid, [item.id])  # purchases are recorded by the checkout step
        self.stats.purchases += 1
        self.bought = True
        self.revenue = item.price

    # strategies
    def best(self, looked: Sequence[tuple[Shown, float]], threshold: float) -> Shown | None:
        for item, f in looked:
            if f >= threshold and item.stock > 0:
                return item
        return None

    def follow_up_text(self, looked: Sequence[tuple[Shown, float]]) -> str:
        """What a shopper says when nothing shown is good enough."""
        g, rng = self.goal, self.rng
        in_cat = [it for it, _ in looked if it.category == g.category]
        if not in_cat:
            return self.frame("open_need_budget" if g.says_budget else "open_need")
        if all(it.price > g.budget for it in in_cat):
            return self.frame("ask_cheaper")
        if g.brands and not any(it.brand in g.brands for it in in_cat):
            if rng.random() < 0.5:
                return self.frame("open_need_brand")
            return self.frame("ask_other_brand", brand=in_cat[0].brand)
        if g.subtype and not any(it.subtype == g.subtype for it in in_cat):
            return self.frame("open_need")
        return self.frame("ask_cheaper") if rng.random() < 0.5 else self.frame("open_need_budget")

    def decide_scale(self) -> float:
        return self.model.browser_decide if self.goal.strategy == "browser" else 1.0

    def deliberate(self, seen: Seen) -> bool:
        """One deliberation step; True when the session ended (bought or left)."""
        m, rng = self.model, self.rng
        looked = self.look(seen)
        if self.goal.strategy == "browser":
            impulse = self.best(looked, m.impulse_fit)
            if impulse is not None and rng.random() < m.impulse:
                self.buy(impulse)
                return True
        ranked = sorted((v for v in self.candidates.values() if v[1].stock > 0), key=lambda v: (-v[0], v[1].id))
        if len(ranked) >= 2 and not self.compared_asked and self.turns_left() >= 2:
            self.compared_asked = True
            on_cards = {c.id: c for c in seen.cards}
            a, b = ranked[0][1], ranked[1][1]
            if a.id in on_cards and b.id in on_cards and rng.random() < m.compare_named:
                text = self.frame("ask_compare", pick=pick_words(on_cards[a.id].rank, self.goal.lang, rng),
                                  other=pick_words(on_cards[b.id].rank, self.goal.lang, rng))
            else:
                text = self.frame("ask_compare_unnamed")
            reply = self.say(text)
            compared = [self.candidates[i] for i in reply.compared if i in self.candidates]
            if reply.compared:
                compared = compared or [(fit(c, self.goal, m, self.target), c) for c in reply.cards
                                        if c.id in reply.compared]
                pool, p = compared, m.decide_compared
            else:
                self.look(reply)
                pool, p = ranked, m.decide_uncompared
            best = max(pool, key=lambda v: (v[0], v[1].id))
            if best[1].stock > 0 and rng.random() < p * self.decide_scale():
                self.buy(best[1])
                return True
            return False
        if ranked and self.turns_left() >= 2:  # one candidate, or compared already: ask about the best one
            item = ranked[0][1]
            on_card = next((c for c in seen.cards if c.id == item.id), None)
            if self.focus == item.id or on_card is None:
                if self.focus != item.id:
                    self.view(item)
                text = self.frame("ask_detail_this")
            else:
                text = self.frame("ask_detail", pick=pick_words(on_card.rank, self.goal.lang, rng))
            self.say(text)
            if rng.random() < m.decide_answered * self.decide_scale():
                self.buy(item)
                return True
        return False

    def run(self) -> None:
        g, m, rng = self.goal, self.model, self.rng
        if g.strategy == "after_sales":
            self.after_sales()
            return
        if g.strategy == "browser":
            seen = self.say(self.frame("browse_open" if rng.random() < 0.6 else "open_vague_ask"))
        else:
            seen = self.say(render(opening_frame(rng, g, m), **self.slots))
        while self.turns_left() > 0:
            if not self.narrowed:  # a browser: narrows down when asked (or now and then by themselves)
                if rng.random() < (m.narrow_on_question if seen.question else m.narrow_unasked):
                    self.narrowed = True
                    seen = self.say(self.frame("answer_need_budget" if g.says_budget else "answer_need"))
                    continue
                self.look(seen)
                if rng.random() >= m.follow_up * 0.5:
                    break
                seen = self.say(self.frame("open_vague_ask"))
                continue
            if g.strategy == "directed":
                looked = self.look(seen)
                pick = self.best(looked, m.accept_fit)
                if pick is not None and rng.random() < m.decide_directed:
                    self.buy(pick)
                    return
            else:
                if self.deliberate(seen):
                    return
                looked = [(c, fit(c, g, m, self.target)) for c in self.last.cards]
            if self.turns_left() < 1 or rng.random() >= m.follow_up:
                break
            text = self.follow_up_text(looked)
            if text == self.said:  # nothing new to say: the shopper gives up
                break
            seen = self.say(text)
        self.leave()

    def after_sales(self) -> None:
        seen = self.say(self.frame("service_open"))
        if seen.helped:
            self.helped = True
        elif self.turns_left() > 0 and self.rng.random() < self.model.service_repeat:
            self.helped = self.say(self.frame("service_repeat")).helped
        if self.rng.random() < self.model.say_goodbye and self.turns_left() > 0:
            self.say(self.frame("thanks" if self.helped else "browse_leave"))

    def leave(self) -> None:
        if self.rng.random() < self.model.say_goodbye and self.turns_left() > 0:
            self.say(self.frame("browse_leave"))

    def outcome(self) -> SessionOutcome:
        return SessionOutcome(self.sid, self.goal.strategy, self.messages, self.decided, self.confirmed,
                              self.bought, self.revenue, self.helped)


# --- running many ------------------------------------------------------------------------------------------------
def _priced(products: Sequence[Any]) -> list[Any]:
    """The products targets are drawn from (those with a price); :class:`DataError` when there are none."""
    priced = [p for p in products if float(p.price) > 0]
    if not priced:
        raise DataError("the catalog has no product with a price; the simulator draws targets from it")
    return priced


def _count_logged(store: Any, result: SimulationResult, sids: Sequence[str]) -> None:
    """Set the result's click, add-to-cart and purchase counts from the events logged for ``sids``."""
    counts: Counter = Counter()
    for i in range(0, len(sids), 500):
        chunk = list(sids[i:i + 500])
        marks = ", ".join("?" * len(chunk))
        for row in store.query(f"SELECT type, count(*) AS n FROM events WHERE session_id IN ({marks})"
                               " GROUP BY type", chunk):
            counts[row["type"]] += int(row["n"])
    result.clicks, result.carts, result.purchases = counts["click"], counts["add_to_cart"], counts["purchase"]


def simulate(chat: ChatLike, products: Sequence[Any], *, sessions: int, seed: int = 0,
             model: ShopperModel | None = None, store: Any = None, arm_of: Callable[[str], str] | None = None,
             show_progress: bool | None = None, start: int = 0) -> SimulationResult:
    """Run ``sessions`` simulated shoppers through ``chat`` (a ChatService) and log their events.

    products: the catalog the targets are drawn from (``services.engine.products``).
    store: optional session store; when given, a run refuses to reuse session ids already in it.
    arm_of: optional ``session_id -> arm`` used *only* to count sessions per arm for the summary
        (after each shopper has finished; the shopper never sees it).
    start: index of the first session (sessions ``start .. start + sessions - 1``).
    """
    model = model or ShopperModel()
    if sessions < 1:
        raise ConfigError(f"--sessions must be at least 1, got {sessions}")
    catalog = list(products)
    priced = _priced(catalog)
    if store is not None and store.session(session_id_for(seed, start)) is not None:
        raise DataError(f"the database {store.path} already holds simulated sessions of seed {seed}",
                        hint="use a new --db file or another --seed")
    tables = _catalog_tables(catalog)
    result = SimulationResult(sessions=sessions, seed=seed)
    t0 = time.perf_counter()
    for i in progress(range(start, start + sessions), desc="simulating shoppers", total=sessions, unit="session",
                      show=show_progress):
        rng = np.random.default_rng([seed, i])
        sid = session_id_for(seed, i)
        goal = draw_goal(rng, priced, model, tables)
        shopper = _Session(chat, sid, goal, model, rng, result, tables)
        shopper.run()
        result.outcomes.append(shopper.outcome())
        if arm_of is not None:
            arm = arm_of(sid)
            result.by_arm[arm] = result.by_arm.get(arm, 0) + 1
    result.seconds = time.perf_counter() - t0
    if store is not None:  # the summary says what was logged: cart adds by the page and by the guide alike
        _count_logged(store, result, [session_id_for(seed, i) for i in range(start, start + sessions)])
    log.info("simulated %d sessions in %.1f s (%.1f sessions/s): %d purchases", sessions, result.seconds,
             result.sessions_per_s, result.purchases)
    return result


def simulate_services(services: Any, *, sessions: int, seed: int = 0, model: ShopperModel | None = None,
                      threads: int | None = None, show_progress: bool | None = None) -> SimulationResult:
    """:func:`simulate` with the app's real :class:`chatbot.service.wiring.Services` (chat, catalog, store).

    threads: cap the OpenMP/BLAS thread pools (``threadpoolctl``) during the run; ``None`` leaves them. One
    shopper runs at a time, and on a busy machine idle-spinning OpenMP threads in the encoder make each
    message many times slower (measured: 49 ms with 1 thread vs 1.5-3.3 s with 2 on a loaded 2-core box).
    """
    if threads is not None and hasattr(services, "warm_up"):
        services.warm_up(progress=False)  # load the native libraries first: thread limits apply to loaded ones
    store = services.store
    chat, products = services.chat, services.engine.products

    def arm_of(sid: str) -> str:
        row = store.session(sid)
        return row["arm"] if row else "?"

    limits: Any = contextlib.nullcontext()
    if threads is not None:
        if threads < 1:
            raise ConfigError(f"--threads must be at least 1, got {threads}")
        from threadpoolctl import threadpool_limits  # only needed when the pools are capped

        limits = threadpool_limits(limits=threads)
    with limits:
        return simulate(chat, products, sessions=sessions, seed=seed, model=model, store=store,
                        arm_of=arm_of, show_progress=show_progress)


# --- sessions for the offline recommender evaluation ------------------------------------------------------
_DRAWS_PER_SESSION = 20  # shoppers drawn per wanted session before giving up (goals no product meets are skipped)


def _eval_session(goal: Goal, frame: str, products: Sequence[Any], target: Any,
                  model: ShopperModel) -> EvalSession | None:
    """One offline session from a shopper's goal and opening frame; None when no product meets the goal."""
    hard_budget = "{budget}" in frame and BUDGET_MEANING[frame] == "max"  # "预算500元左右" bounds nothing hard
    stated = Filters(category=goal.category, brands=(goal.brands[0],) if "{brand}" in frame else (),
                     max_price=goal.budget if hard_budget else None)
    subtype = goal.subtype if goal.subtype and goal.word == goal.subtype else None

    def meets(p: Any) -> bool:
        return (stated.allows(p) and p.stock > 0 and float(p.price) <= goal.budget  # stated: the category
                and (not goal.brands or p.brand in goal.brands) and (subtype is None or p.subcategory == subtype))

    targets = [p for p in products if meets(p)]
    if not targets:
        return None
    # what this shopper buys when shown everything: the best fit (ties: the target, then catalog order)
    bought = max(targets, key=lambda p: (fit(_card(0, p.id, p), goal, model, target), p.id == target.id))
    return EvalSession(query=render(frame, category=goal.word, budget=goal.budget,
                                    brand=goal.brands[0] if goal.brands else ""),
                       target_ids=tuple(p.id for p in targets), purchased_id=bought.id,
                       intent=1.0 if goal.strategy == "directed" else 0.5, filters=stated, lang=goal.lang)


def eval_sessions(products: Sequence[Any], *, n: int = 300, seed: int = 0,
                  model: ShopperModel | None = None) -> list[EvalSession]:
    """``n`` sessions for :func:`catalog.evaluate.evaluate`, written by the shoppers :func:`simulate` runs.

    Shopper ``i`` here is shopper ``i`` of a :func:`simulate` run with ``seed`` (the same generator, so the
    same hidden target and opening message); only directed buyers and deliberators (the strategies whose first
    message names a kind of product) become sessions. The query is that opening message, ``intent`` 1.0 for a
    directed buyer and 0.5 for a deliberator, ``filters`` the hard constraints the message states: the
    category; the brand when it names one; the budget as ``max_price`` only when its words make it a hard upper
    limit (:data:`~chatbot.experiment.phrases.BUDGET_MEANING` ``"max"``: "不超过500元", "under 500 yuan");
    "预算500元左右" / "budget about ¥500" state no bound (how wide "about" is, is the parser's convention). The
    right answers (``target_ids``) are the in-stock products that meet the hidden goal and the stated filters:
    its category (and sub-type, when the shopper named one), within the hidden budget, of the preferred brand
    if any. ``purchased_id`` is the one of them that fits the target best (:func:`fit`); ties go to the target,
    then to catalog order. A goal that no product meets is skipped. One turn, no browsing: the figures compare
    how the recommenders answer an opening message.

        sessions = eval_sessions(engine.products, n=200, seed=0)
    """
    model = model or ShopperModel()
    if n < 1:
        raise ConfigError(f"--n must be at least 1, got {n}")
    products = _priced(products)
    tables = _catalog_tables(products)
    out: list[EvalSession] = []
    for i in range(n * _DRAWS_PER_SESSION):
        rng = np.random.default_rng([seed, i])
        goal = draw_goal(rng, products, model, tables)
        if goal.strategy not in ("directed", "deliberator"):
            continue
        session = _eval_session(goal, opening_frame(rng, goal, model), products, tables.by_id[goal.target_id],
                                model)
        if session is not None:
            out.append(session)
            if len(out) == n:
                return out
    raise DataError(f"only {len(out)} of {n * _DRAWS_PER_SESSION} simulated goals are met by an in-stock product "
                    f"of the catalog; {n} sessions were asked for", hint="check the catalog's stock and prices")


# the frames the shopper uses, with the stage the shopper means (tests check them against phrases.FRAME_STAGE)
_USED_FRAMES = {"browse_open": "browse", "browse_leave": "browse", "thanks": "browse", "open_need": "consider",
                "open_need_budget": "consider", "open_need_brand": "consider", "open_need_budget_brand": "consider",
                "open_vague_ask": "consider", "answer_need": "consider", "answer_need_budget": "consider",
                "ask_detail": "consider", "ask_detail_this": "consider", "ask_compare": "consider",
                "ask_compare_unnamed": "consider", "ask_cheaper": "consider", "ask_other_brand": "consider",
                "decide_pick": "ready", "decide_this": "ready", "ask_pay": "ready", "ready_conditional": "ready",
                "service_open": "service", "service_repeat": "service"}


def used_frames() -> dict[str, str]:
    """Frame name -> the stage the simulator means by it (checked against :data:`phrases.FRAME_STAGE`)."""
    return dict(_USED_FRAMES)

