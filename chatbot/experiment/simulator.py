"""Simulated shoppers for the intent-vs-baseline experiment.

Each simulated shopper has a hidden **goal** drawn from the catalog — a category, a budget and, for some,
preferred brands — and a hidden **readiness** to buy in [0, 1]. The shopper writes messages from
:mod:`chatbot.experiment.phrases` (never the intent training sentences), reads the products under each reply of the
*same* :meth:`ChatService.chat` the app uses (``source="simulator"``), and clicks, adds to cart and buys
through :meth:`ChatService.event`, so the sessions and events land in the ordinary tables and
``shopguide ab report`` reads them like real traffic.

Behaviour model (every number lives in :class:`ShopperModel`):

1. **Goal.** A target product is drawn uniformly from the catalog; the goal is its category, a budget at a
   random quantile of that category's prices, and (with probability ``brand_loyal``) a preference for the
   target's brand, sometimes plus one more brand of the category. Readiness ~ Beta(a, b).
2. **Opening.** The shopper names the category (a category word or the target's sub-type) and, more often the
   readier they are, the budget and the preferred brand (``opening``, ``opening_budget``, ``opening_brand``,
   ``opening_budget_brand`` frames), in Chinese or, with probability ``en_share``, English.
3. **Browsing** each reply: the item at rank r (0-based) is looked at with probability ``examine_decay**r``.
   A looked-at item's **fit** in [0, 1] is the product of: category match (else ``off_category``), price
   (1 within budget, else ``exp(-over_budget_slope * overshoot)``), brand (``other_brand`` when the shopper
   has preferred brands and this is not one), rating (``1 - rating_weight + rating_weight * (rating-3)/2``,
   clipped). The shopper clicks with ``click_max * fit``; a clicked item that is **in stock** goes into the
   cart with ``cart_max * fit * (cart_floor + (1 - cart_floor) * readiness)``.
4. **Deciding.** With something in the cart the shopper buys the best-fitting cart item with
   ``buy_max * readiness * (0.5 + 0.5 * fit)``, saying a ``close_buy`` message first. Otherwise, while turns
   are left, they follow up with probability ``follow_up * (0.5 + 0.5 * readiness)``: "cheaper" when the
   matching items they saw were over budget, naming their brand (or asking for another one) when the brand
   was wrong, restating the goal when the category was wrong, else asking about the items ("第二个怎么样").
   A shopper who stops without buying says a ``close_leave`` message with probability ``say_goodbye``.

The same shoppers feed the offline recommender evaluation: :func:`eval_sessions` turns shopper ``i``'s goal and
opening message into a :class:`catalog.evaluate.EvalSession` (query, stated filters, the products that meet the
goal), which ``shopguide catalog evaluate`` scores without the chat service.

The shopper only ever sees :class:`Shown` items — rank, id, category, brand, price, stock and rating — never
the arm, the recommender, the score or its parts: the behaviour cannot depend on the arm except through
which items are shown (``tests/test_simulator.py`` checks this). Every session has its own generator,
``numpy.random.default_rng([seed, i])``, and id ``sim-{seed}-{i:06d}``, so a run is reproducible and its A/B
assignment (a hash of the id) is too.

    result = simulate(services.chat, services.engine.products, sessions=100, seed=1)
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple, Protocol

import numpy as np

from catalog.categories import CATEGORY_BY_SLUG
from catalog.evaluate import EvalSession
from catalog.filters import Filters
from chatbot.experiment.phrases import BUDGET_MEANING, frames, render
from intent.errors import ConfigError, DataError
from intent.progress import progress

__all__ = ["ShopperModel", "Goal", "Shown", "SimulationResult", "simulate", "simulate_services",
           "session_id_for", "ChatLike", "draw_goal", "fit", "opening_frame", "eval_sessions"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShopperModel:
    """Every parameter of the simulated shopper (see the module docstring for how each is used)."""

    # who the shopper is
    en_share: float = 0.3
    readiness_a: float = 1.6
    readiness_b: float = 2.0
    budget_quantile: tuple[float, float] = (0.3, 0.95)
    brand_loyal: float = 0.45
    second_brand: float = 0.3
    say_budget: tuple[float, float] = (0.3, 0.8)    # P(mention the budget) at readiness 0 and 1
    say_brand: tuple[float, float] = (0.3, 0.8)     # P(a brand-loyal shopper names the brand), same
    subtype_word: float = 0.5                        # P(name the target's sub-type instead of a category word)
    max_turns: int = 4
    # browsing and fit
    examine_decay: float = 0.75
    off_category: float = 0.05
    over_budget_slope: float = 4.0
    other_brand: float = 0.45
    rating_weight: float = 0.5
    # choices
    click_max: float = 0.55
    cart_max: float = 0.6
    cart_floor: float = 0.3
    buy_max: float = 0.95
    follow_up: float = 0.7
    say_goodbye: float = 0.5

    def __post_init__(self) -> None:
        probs = {k: v for k, v in asdict(self).items()
                 if k not in ("readiness_a", "readiness_b", "max_turns", "over_budget_slope")}
        for name, value in probs.items():
            values = value if isinstance(value, tuple) else (value,)
            if not all(0.0 <= v <= 1.0 for v in values):
                raise ConfigError(f"ShopperModel.{name} must be in [0, 1], got {value!r}")
        if self.max_turns < 1 or self.readiness_a <= 0 or self.readiness_b <= 0:
            raise ConfigError("ShopperModel needs max_turns >= 1 and positive readiness_a/readiness_b")


@dataclass(frozen=True)
class Goal:
    """A shopper's hidden goal and readiness (never sent to the app; only their words are)."""

    category: str
    budget: float
    brands: tuple[str, ...]
    readiness: float
    lang: str
    word: str
    target_id: str = ""  # the catalog product the goal was drawn from


class Shown(NamedTuple):
    """What a shopper can see of one recommended item."""

    rank: int
    id: str
    category: str
    brand: str
    price: float
    stock: int
    rating: float


class ChatLike(Protocol):
    """The two calls of :class:`chatbot.service.chat.ChatService` the simulator uses."""

    def chat(self, session_id: str | None, text: str, *, user_agent: str | None = None,
             source: str = "web") -> dict: ...

    def event(self, session_id: str, product_id: str, event_type: str) -> Any: ...


@dataclass
class SimulationResult:
    """Counts of one run and its speed."""

    sessions: int
    seed: int
    messages: int = 0
    clicks: int = 0
    carts: int = 0
    purchases: int = 0
    seconds: float = 0.0
    by_arm: dict[str, int] = field(default_factory=dict)

    @property
    def sessions_per_s(self) -> float:
        return self.sessions / self.seconds if self.seconds > 0 else math.inf

    def to_dict(self) -> dict:
        d = asdict(self)
        d["sessions_per_s"] = round(self.sessions_per_s, 2)
        d["seconds"] = round(self.seconds, 2)
        return d


def session_id_for(seed: int, index: int) -> str:
    """The id of simulated session ``index`` of a run with ``seed``.

    >>> session_id_for(1, 7)
    'sim-1-000007'
    """
    return f"sim-{seed}-{index:06d}"


# --- the shopper ---------------------------------------------------------------------------------------
def _category_words(category: str, lang: str) -> tuple[str, ...]:
    cat = CATEGORY_BY_SLUG.get(category)
    if cat is None:
        return (category,)
    return (cat.zh, *cat.synonyms_zh) if lang == "zh" else (cat.en.lower(), *cat.synonyms_en)


def _nice_budget(x: float) -> float:
    step = 10 if x < 200 else 50 if x < 1000 else 100 if x < 10000 else 500
    return float(max(step, round(x / step) * step))


def _catalog_tables(products: Sequence[Any]) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    prices: dict[str, list[float]] = {}
    brands: dict[str, set[str]] = {}
    for p in products:
        prices.setdefault(p.category, []).append(float(p.price))
        brands.setdefault(p.category, set()).add(p.brand)
    return ({c: np.sort(v) for c, v in prices.items()}, {c: sorted(b) for c, b in brands.items()})


def draw_goal(rng: np.random.Generator, products: Sequence[Any], model: ShopperModel,
              tables: tuple[dict[str, np.ndarray], dict[str, list[str]]] | None = None) -> Goal:
    """Sample a hidden goal from the catalog (see the module docstring, step 1)."""
    prices, brands = tables or _catalog_tables(products)
    target = products[int(rng.integers(len(products)))]
    lo, hi = model.budget_quantile
    budget = _nice_budget(float(np.quantile(prices[target.category], rng.uniform(lo, hi))))
    chosen: tuple[str, ...] = ()
    if rng.random() < model.brand_loyal:
        chosen = (target.brand,)
        others = [b for b in brands[target.category] if b != target.brand]
        if others and rng.random() < model.second_brand:
            chosen += (others[int(rng.integers(len(others)))],)
    readiness = float(rng.beta(model.readiness_a, model.readiness_b))
    lang = "en" if rng.random() < model.en_share else "zh"
    if lang == "zh" and target.subcategory and rng.random() < model.subtype_word:
        word = target.subcategory
    else:
        words = _category_words(target.category, lang)
        word = words[int(rng.integers(len(words)))]
    return Goal(category=target.category, budget=budget, brands=chosen, readiness=readiness, lang=lang, word=word,
                target_id=str(target.id))


def fit(item: Shown, goal: Goal, model: ShopperModel) -> float:
    """How well a shown item fits the hidden goal, in [0, 1] (module docstring, step 3)."""
    f = 1.0 if item.category == goal.category else model.off_category
    if item.price > goal.budget:
        f *= math.exp(-model.over_budget_slope * (item.price / goal.budget - 1.0))
    if goal.brands and item.brand not in goal.brands:
        f *= model.other_brand
    r = min(max((float(item.rating or 0.0) - 3.0) / 2.0, 0.0), 1.0)
    return f * (1.0 - model.rating_weight + model.rating_weight * r)


def _shown(response: Mapping[str, Any]) -> list[Shown]:
    """The only part of a chat response the shopper reads: the items, as :class:`Shown`."""
    return [Shown(rank, str(p["id"]), str(p.get("category") or ""), str(p.get("brand") or ""),
                  float(p.get("price") or 0.0), int(p.get("stock") or 0), float(p.get("rating") or 0.0))
            for rank, p in enumerate(response.get("products") or ())]


def _frame(rng: np.random.Generator, lang: str, stage: str) -> str:
    options = frames(lang, stage)
    return options[int(rng.integers(len(options)))]


def _pick(rng: np.random.Generator, lang: str, stage: str, **slots: object) -> str:
    return render(_frame(rng, lang, stage), **slots)


def _lerp(pair: tuple[float, float], t: float) -> float:
    return pair[0] + (pair[1] - pair[0]) * t


def _slots(goal: Goal) -> dict[str, object]:
    """What a shopper with ``goal`` fills the phrase frames with."""
    return {"category": goal.word, "budget": goal.budget, "brand": goal.brands[0] if goal.brands else ""}


def opening_frame(rng: np.random.Generator, goal: Goal, model: ShopperModel) -> str:
    """The frame of the shopper's first message (module docstring, step 2); fill it with :func:`render`.

    The readier the shopper, the likelier the frame states the budget and the preferred brand.
    """
    budget = rng.random() < _lerp(model.say_budget, goal.readiness)
    brand = bool(goal.brands) and rng.random() < _lerp(model.say_brand, goal.readiness)
    stage = {(False, False): "opening", (True, False): "opening_budget", (False, True): "opening_brand",
             (True, True): "opening_budget_brand"}[(budget, brand)]
    return _frame(rng, goal.lang, stage)


class _Session:
    """One simulated shopper talking to the chat service."""

    def __init__(self, chat: ChatLike, sid: str, goal: Goal, model: ShopperModel,
                 rng: np.random.Generator, stats: SimulationResult) -> None:
        self.chat, self.sid, self.goal, self.model, self.rng, self.stats = chat, sid, goal, model, rng, stats
        self.slots = _slots(goal)
        self.cart: dict[str, tuple[float, Shown]] = {}

    def say(self, text: str) -> list[Shown]:
        response = self.chat.chat(self.sid, text, source="simulator")
        self.stats.messages += 1
        return _shown(response)

    def log(self, product_id: str, event_type: str) -> None:
        self.chat.event(self.sid, product_id, event_type)

    def opening(self) -> str:
        return render(opening_frame(self.rng, self.goal, self.model), **self.slots)

    def browse(self, items: Sequence[Shown]) -> list[tuple[Shown, float]]:
        """Look at, click and cart items; the (item, fit) pairs looked at."""
        m, rng, g = self.model, self.rng, self.goal
        seen = []
        for item in items:
            if rng.random() >= m.examine_decay ** item.rank:
                continue
            f = fit(item, g, m)
            seen.append((item, f))
            if rng.random() < m.click_max * f:
                self.log(item.id, "click")
                self.stats.clicks += 1
                p_cart = m.cart_max * f * _lerp((m.cart_floor, 1.0), g.readiness)
                if item.stock > 0 and item.id not in self.cart and rng.random() < p_cart:
                    self.log(item.id, "add_to_cart")
                    self.stats.carts += 1
                    self.cart[item.id] = (f, item)
        return seen

    def follow_up(self, seen: Sequence[tuple[Shown, float]], shown: Sequence[Shown]) -> str:
        """The next message when nothing was bought (module docstring, step 4)."""
        g, rng = self.goal, self.rng
        in_cat = [it for it, _ in seen if it.category == g.category]
        lang = g.lang
        if not in_cat:
            stage = "opening_budget" if rng.random() < 0.5 else "opening"
            return _pick(rng, lang, stage, **self.slots)
        if all(it.price > g.budget for it in in_cat):
            return _pick(rng, lang, "ask_cheaper", **self.slots)
        if g.brands and not any(it.brand in g.brands for it in in_cat):
            if rng.random() < 0.5:
                return _pick(rng, lang, "opening_brand", **self.slots)
            return _pick(rng, lang, "ask_other_brand", **{**self.slots, "brand": in_cat[0].brand})
        return _pick(rng, lang, "ask_details", **self.slots)

    def run(self) -> None:
        m, rng, g = self.model, self.rng, self.goal
        text = self.opening()
        for turn in range(m.max_turns):
            shown = self.say(text)
            seen = self.browse(shown)
            if self.cart:
                best_fit, best = max(self.cart.values(), key=lambda fi: (fi[0], -fi[1].rank))
                if rng.random() < m.buy_max * g.readiness * (0.5 + 0.5 * best_fit):
                    self.say(_pick(rng, g.lang, "close_buy", **{**self.slots, "brand": best.brand}))
                    self.chat.checkout(self.sid, [best.id])  # purchases are recorded by the checkout step
                    self.stats.purchases += 1
                    return
            if turn + 1 >= m.max_turns or rng.random() >= m.follow_up * (0.5 + 0.5 * g.readiness):
                break
            text = self.follow_up(seen, shown)
        if rng.random() < m.say_goodbye:
            self.say(_pick(rng, g.lang, "close_leave", **self.slots))


# --- running many ----------------------------------------------------------------------------------------
def _priced(products: Sequence[Any]) -> list[Any]:
    """The products goals are drawn from (those with a price); :class:`DataError` when there are none."""
    priced = [p for p in products if float(p.price) > 0]
    if not priced:
        raise DataError("the catalog has no product with a price; the simulator draws goals from it")
    return priced


def simulate(chat: ChatLike, products: Sequence[Any], *, sessions: int, seed: int = 0,
             model: ShopperModel | None = None, store: Any = None, arm_of: Any = None,
             show_progress: bool | None = None) -> SimulationResult:
    """Run ``sessions`` simulated shoppers through ``chat`` (a ChatService) and log their events.

    products: the catalog the goals are drawn from (``services.engine.products``).
    store: optional session store; when given, a run refuses to reuse session ids already in it.
    arm_of: optional ``session_id -> arm`` used *only* to count sessions per arm for the summary
        (after each shopper has finished; the shopper never sees it).
    """
    model = model or ShopperModel()
    if sessions < 1:
        raise ConfigError(f"--sessions must be at least 1, got {sessions}")
    products = _priced(products)
    if store is not None and store.session(session_id_for(seed, 0)) is not None:
        raise DataError(f"the database {store.path} already holds simulated sessions of seed {seed}",
                        hint="use a new --db file or another --seed")
    tables = _catalog_tables(products)
    result = SimulationResult(sessions=sessions, seed=seed)
    start = time.perf_counter()
    for i in progress(range(sessions), desc="simulating shoppers", total=sessions, unit="session",
                      show=show_progress):
        rng = np.random.default_rng([seed, i])
        sid = session_id_for(seed, i)
        goal = draw_goal(rng, products, model, tables)
        _Session(chat, sid, goal, model, rng, result).run()
        if arm_of is not None:
            arm = arm_of(sid)
            result.by_arm[arm] = result.by_arm.get(arm, 0) + 1
    result.seconds = time.perf_counter() - start
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
_DRAWS_PER_SESSION = 20  # goals drawn per wanted session before giving up (goals no product meets are skipped)


def _eval_session(goal: Goal, frame: str, products: Sequence[Any], target: Any,
                  model: ShopperModel) -> EvalSession | None:
    """One offline session from a goal and its opening frame; None when no product meets the goal."""
    hard_budget = "{budget}" in frame and BUDGET_MEANING[frame] == "max"  # "预算500元左右" bounds nothing hard
    stated = Filters(category=goal.category, brands=(goal.brands[0],) if "{brand}" in frame else (),
                     max_price=goal.budget if hard_budget else None)
    subtype = target.subcategory if target.subcategory and goal.word == target.subcategory else None

    def meets(p: Any) -> bool:
        return (stated.allows(p) and p.stock > 0 and float(p.price) <= goal.budget  # stated: the category
                and (not goal.brands or p.brand in goal.brands) and (subtype is None or p.subcategory == subtype))

    targets = [p for p in products if meets(p)]
    if not targets:
        return None
    # what this shopper buys when shown everything: the best fit (ties: the goal's target, then catalog order)
    bought = max(targets, key=lambda p: (fit(Shown(0, p.id, p.category, p.brand, float(p.price), int(p.stock),
                                                   float(p.rating)), goal, model), p.id == target.id))
    return EvalSession(query=render(frame, **_slots(goal)), target_ids=tuple(p.id for p in targets),
                       purchased_id=bought.id, intent=goal.readiness, filters=stated, lang=goal.lang)


def eval_sessions(products: Sequence[Any], *, n: int = 300, seed: int = 0,
                  model: ShopperModel | None = None) -> list[EvalSession]:
    """``n`` sessions for :func:`catalog.evaluate.evaluate`, written by the shoppers :func:`simulate` runs.

    Shopper ``i`` here is shopper ``i`` of a :func:`simulate` run with ``seed`` (the same generator, so the
    same hidden goal and opening message). The query is that opening message, ``intent`` the shopper's
    readiness, ``filters`` the hard constraints the message states: the category; the brand when it names
    one; the budget as ``max_price`` only when its words make it a hard upper limit ("不超过500元",
    "我只有500块的预算", "500元能拿下哪款", "under 500 yuan", :data:`~chatbot.experiment.phrases.BUDGET_MEANING`
    ``"max"``). "预算500元左右", "500元上下", "手头大概500", "budget about ¥500" state an approximate amount,
    not a bound: those sessions state no price filter (how wide "about" is, is the parser's ``around_band``,
    a convention the words do not fix; storing it would only check the parser against itself), so the
    violation rate counts only what the words rule out. The right answers (``target_ids``) are the in-stock
    products that meet the hidden goal and the stated filters: its category (and sub-type, when the shopper
    named one), within the budget (said or not, hard or "about": the shopper's hidden budget is a ceiling),
    of a preferred brand if any (the named one, when the message names it). ``purchased_id`` is the one of them
    that fits best (:func:`fit`: here, the best rated), as the shopper buys the best-fitting item in the
    cart; ties go to the product the goal was drawn from, then to catalog order. A goal that no product meets
    is skipped (that shopper could not buy in this catalog): the sessions are shoppers 0, 1, 2, ... in order,
    less the skipped ones. One turn, no browsing: the figures compare how the recommenders answer an
    opening message.

        sessions = eval_sessions(engine.products, n=200, seed=0)
    """
    model = model or ShopperModel()
    if n < 1:
        raise ConfigError(f"--n must be at least 1, got {n}")
    products = _priced(products)
    tables = _catalog_tables(products)
    by_id = {str(p.id): p for p in products}
    out: list[EvalSession] = []
    for i in range(n * _DRAWS_PER_SESSION):
        rng = np.random.default_rng([seed, i])
        goal = draw_goal(rng, products, model, tables)
        session = _eval_session(goal, opening_frame(rng, goal, model), products, by_id[goal.target_id], model)
        if session is not None:
            out.append(session)
            if len(out) == n:
                return out
    raise DataError(f"only {len(out)} of {n * _DRAWS_PER_SESSION} simulated goals are met by an in-stock product "
                    f"of the catalog; {n} sessions were asked for", hint="check the catalog's stock and prices")
