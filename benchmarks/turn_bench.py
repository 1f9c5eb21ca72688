"""Latency of one chat turn end to end, without the UI, per stage: the real ``ChatService`` of ``Services``.

Each turn is ``Services(settings).chat.chat(session_id, text)``: the real default intent model and product
index encoder, the real FAISS index and recommenders, and a real SQLite file in a temp folder. Stages are
timed inside the turn by wrapping the real functions (exclusive time: a stage's time excludes the stages it
calls):

- ``normalise`` (``intent.text.normalize``, ``intent.text.clean_text``), ``segment`` (jieba:
  ``Segmenter.cut``), ``encode`` (the encoders' ``encode``/``_encode_batch``: e5 and TF-IDF, for the intent
  score and the product query), ``classify`` (the rest of ``IntentModel.stage_proba``: the calibrated
  classifier), ``parse`` (``QueryParser.parse``: budget, brand, category filters), ``search``
  (``ProductIndex.search`` FAISS + ``KeywordIndex.search``), ``rank`` (retrieval fusion and re-ranking in the
  recommenders), ``store`` (every ``Store`` call: reads and the committed writes), ``other`` (the rest:
  conversation logic and reply text) and ``total``; ``total_cpu`` is the process CPU time of each turn (all
threads), a guide to the uncontended latency when other jobs share the cores (compare ``loadavg_*``).

The catalogs: ``default`` (the embedded one, index in ``$SHOPGUIDE_HOME``) and ``10k`` (``--size`` products made
by deterministic variation of the embedded ones into a temp JSONL, with its own index built by the real
code — minutes on a CPU; ``--workdir`` keeps it for the next run).

Usage::

    python benchmarks/turn_bench.py                       # both catalogs, 500 turns each
    python benchmarks/turn_bench.py --catalogs 10k --turns 1000 --workdir /tmp/tb
    nice python benchmarks/turn_bench.py --turns 100 --catalogs default   # quick look

By default the encoders' query caches are cleared before every turn, so each turn pays for encoding as an
unseen message would (``--keep-cache`` measures repeated messages). Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("turn_bench")

STAGES = ("normalise", "segment", "encode", "classify", "parse", "search", "rank", "store", "other")
TARGET_P95_MS = 50.0

# Conversations (zh / en), each a few turns: browsing, constraints, follow-ups, detail questions, buying.
CONVERSATIONS: tuple[tuple[str, ...], ...] = (
    ("你好", "想买一双跑步鞋", "500以内的", "有没有李宁的", "第一个怎么样", "就要这个了"),
    ("推荐一款拍照好的手机", "预算3000左右", "华为的有吗", "第二个有货吗", "谢谢"),
    ("I want noise cancelling earphones", "under 1000 please", "any Sony?", "tell me about the first one",
     "I'll take it"),
    ("电饭煲哪个牌子好", "4升左右的", "便宜点的呢", "下单"),
    ("show me Xiaomi phones", "with at least 256GB", "cheaper ones", "is the second one in stock?"),
    ("随便看看", "有什么运动T恤吗", "速干的", "L码", "加入购物车"),
    ("送女朋友的礼物推荐一下", "口红或者香水", "两百以内", "第三个"),
    ("hello", "a laptop for programming", "budget 6000", "Lenovo or Huawei", "buy now"),
    ("Nike Pegasus 有吗", "42码", "还有别的颜色吗", "怎么退货"),
    ("iPhone 15 多少钱", "有优惠吗", "那看看安卓的", "小米14怎么样"),
    ("想给爸妈买个按摩仪", "颈椎用的", "一千以内", "评分高一点的"),
    ("running shoes for a marathon", "carbon plate", "around 900 yuan", "the first one, add to cart"),
    ("我想买一个空气炸锅", "大容量", "美的的", "就这个吧，怎么付款"),
    ("any good coffee machines?", "for an office", "thanks, just looking"),
)


# ------------------------------------------------------------------------------------------------------
# Stage timer: wraps real functions, records exclusive time per stage
# ------------------------------------------------------------------------------------------------------
class StageTimer:
    """Exclusive wall time per stage while ``active``; nested stages are subtracted from their caller."""

    def __init__(self) -> None:
        self.active = False
        self.times: dict[str, float] = {}
        self._stack: list[list[float]] = []  # [start, child time]
        self._patched: list[tuple[Any, str, Any]] = []

    def reset(self) -> None:
        self.times = {}
        self._stack = []

    def wrap(self, fn: Callable, stage: str) -> Callable:
        timer = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            if not timer.active:
                return fn(*args, **kwargs)
            frame = [time.perf_counter(), 0.0]
            timer._stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                timer._stack.pop()
                spent = time.perf_counter() - frame[0]
                timer.times[stage] = timer.times.get(stage, 0.0) + spent - frame[1]
                if timer._stack:
                    timer._stack[-1][1] += spent

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        timed.__name__ = getattr(fn, "__name__", "timed")
        return timed

    def patch_attr(self, owner: Any, name: str, stage: str) -> None:
        original = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
        if original is None or getattr(original, "__wrapped__", None) is not None:
            return
        setattr(owner, name, self.wrap(original, stage))
        self._patched.append((owner, name, original))

    def patch_function_everywhere(self, fn: Callable, stage: str) -> None:
        """Replace ``fn`` in every loaded module that imported it by name."""
        wrapped = self.wrap(fn, stage)
        for module in list(sys.modules.values()):
            d = getattr(module, "__dict__", None)
            if not d:
                continue
            for name, value in list(d.items()):
                if value is fn:
                    setattr(module, name, wrapped)
                    self._patched.append((module, name, fn))

    def undo(self) -> None:
        for owner, name, original in reversed(self._patched):
            setattr(owner, name, original)
        self._patched.clear()


def install_stage_timers(timer: StageTimer) -> None:
    """Wrap the real functions of each stage (call before the services are built)."""
    import catalog.engine  # noqa: F401 - load everything that imports the wrapped functions
    import catalog.filters as filters
    import catalog.index as index
    import catalog.keyword as keyword
    import catalog.recommend as recommend
    import catalog.retrieval as retrieval
    import chatbot.conversation  # noqa: F401
    import chatbot.service.chat  # noqa: F401
    import chatbot.service.store as store
    import intent.encoders as encoders
    import intent.encoders.base as base
    import intent.model as model
    import intent.text as lang
    import intent.text as text

    for mod_name in ("intent.encoders.e5", "intent.encoders.e5ft", "intent.encoders.tfidf", "intent.encoders.combo",
                     "intent.encoders.gpt2", "intent.features"):
        try:
            __import__(mod_name)
        except ImportError:
            pass
    timer.patch_function_everywhere(text.normalize, "normalise")
    timer.patch_function_everywhere(lang.clean_text, "normalise")
    timer.patch_attr(text.Segmenter, "cut", "segment")
    enc_classes = {base.Encoder, *_subclasses(base.Encoder)}
    for cls in enc_classes:
        for name in ("encode", "_encode_batch"):
            if name in cls.__dict__:
                timer.patch_attr(cls, name, "encode")
    timer.patch_attr(model.IntentModel, "stage_proba", "classify")
    timer.patch_attr(filters.QueryParser, "parse", "parse")
    timer.patch_attr(index.ProductIndex, "search", "search")
    timer.patch_attr(keyword.KeywordIndex, "search", "search")
    timer.patch_attr(retrieval.Retriever, "retrieve", "rank")
    for name in dir(recommend):
        obj = getattr(recommend, name)
        if isinstance(obj, type) and "recommend" in obj.__dict__:
            timer.patch_attr(obj, "recommend", "rank")
    for name in ("query", "ensure_session", "session", "add_user_message", "add_assistant_message",
                 "messages", "turns", "last_recommendations"):
        timer.patch_attr(store.Store, name, "store")
    del encoders


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out.add(sub)
        out |= _subclasses(sub)
    return out


# ------------------------------------------------------------------------------------------------------
# The 10k catalog
# ------------------------------------------------------------------------------------------------------
EDITIONS = (("", ""), ("经典款", "Classic"), ("升级版", "Plus"), ("限定版", "Limited"), ("青春版", "Lite"),
            ("旗舰版", "Pro"), ("礼盒装", "Gift box"), ("2025款", "2025"), ("国潮款", "Guochao"),
            ("轻薄款", "Slim"), ("大容量", "Large"), ("迷你款", "Mini"))
COLORS = ("黑色", "白色", "蓝色", "红色", "灰色", "绿色", "粉色", "金色")


def make_variant_catalog(products: Sequence[Any], size: int, path: Path) -> Path:
    """``size`` products from ``products`` by deterministic variation (edition, colour, price, stock, sales),
    written as JSONL. Variant 0 of each product is the product itself."""
    rng = random.Random(20250101)
    n = len(products)
    with path.open("w", encoding="utf-8") as f:
        for i in range(size):
            p, v = products[i % n], i // n
            row = p.to_dict()
            if v:
                zh, en = EDITIONS[v % len(EDITIONS)]
                color = COLORS[(v // len(EDITIONS) + i) % len(COLORS)]
                row["id"] = f"{p.id}-V{v:03d}"
                row["title_zh"] = f"{p.title_zh} {zh} {color}".strip()
                row["title_en"] = f"{p.title_en} {en}".strip() if p.title_en else p.title_en
                row["price"] = round(float(p.price) * rng.uniform(0.7, 1.4), 2)
                row["stock"] = rng.choice([0, 1, 3, 8, 20, 50, 120])
                row["sales"] = int(rng.uniform(0, 2) * (p.sales or 100))
                row["rating"] = round(min(5.0, max(1.0, float(p.rating or 4.0) + rng.uniform(-0.6, 0.4))), 1)
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def index_from_base_vectors(base_engine: Any, path: Path, index_dir: Path, encoder: Any, seed: int = 7) -> None:
    """Save an index for the variant catalog at ``path`` without embedding it: each variant gets its base
    product's vector plus small deterministic noise (re-normalised). Search cost is the same as a real index of
    that size (flat inner product over n x d); rankings are close to a real one but not equal. For latency runs
    on a busy machine only (``--index-from-base``)."""
    import numpy as np

    from catalog.index import ProductIndex, encoder_config
    from catalog.products import catalog_hash, load_products

    products = load_products(path)
    base_pos = {pid: i for i, pid in enumerate(base_engine.index.product_ids_)}
    X = base_engine.index.vectors_
    rng = np.random.default_rng(seed)
    rows = np.stack([X[base_pos[p.id.split("-V")[0]]] for p in products])
    rows = rows + rng.normal(0, 0.01, rows.shape).astype(np.float32)
    ProductIndex.from_vectors(rows, product_ids=[p.id for p in products], catalog_hash=catalog_hash(products),
                              encoder_spec=str(encoder.spec), encoder_config=encoder_config(encoder)).save(index_dir)
    (index_dir / "DERIVED.txt").write_text("vectors derived from the base catalog's index (turn_bench.py)\n")


# ------------------------------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------------------------------
def percentiles(values: Sequence[float]) -> dict:
    """p50/p95/p99/max/mean in ms (nearest rank)."""
    xs = sorted(values)
    if not xs:
        return {"n": 0}

    def pct(p: float) -> float:
        k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
        return round(xs[k] * 1000, 3)

    return {"p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": round(xs[-1] * 1000, 3),
            "mean_ms": round(statistics.fmean(xs) * 1000, 3)}


def clear_query_caches(services: Any) -> None:
    try:
        from intent.encoders.e5 import clear_cache

        clear_cache()
    except ImportError:
        pass
    retriever = getattr(services.engine, "retriever", None)
    cache = getattr(retriever, "__dict__", {}).get("_query_cache")  # a dict, or (lock, dict)
    if isinstance(cache, tuple):
        cache = next((c for c in cache if isinstance(c, dict)), None)
    if isinstance(cache, dict):
        cache.clear()


def run_turns(services: Any, timer: StageTimer, turns: int, warmup: int, *, keep_cache: bool, tag: str) -> dict:
    """``warmup`` + ``turns`` chat turns over the scripted conversations; per-stage percentiles of the timed ones."""
    chat = services.chat
    records: list[dict[str, float]] = []
    kinds: dict[str, int] = {}
    conv_i = turn_i = 0
    session = f"{tag}-0"
    for n in range(warmup + turns):
        conv = CONVERSATIONS[conv_i % len(CONVERSATIONS)]
        text = conv[turn_i]
        if not keep_cache:
            clear_query_caches(services)
        timer.reset()
        timer.active = n >= warmup
        started, cpu_started = time.perf_counter(), time.process_time()
        out = chat.chat(session, text, source="bench")
        total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        timer.active = False
        if n >= warmup:
            rec = dict(timer.times)
            rec["other"] = max(0.0, total - sum(rec.values()))
            rec["total"] = total
            rec["cpu"] = cpu
            records.append(rec)
            kinds[out["kind"]] = kinds.get(out["kind"], 0) + 1
        turn_i += 1
        if turn_i >= len(conv):
            conv_i, turn_i = conv_i + 1, 0
            session = f"{tag}-{conv_i}"
    result = {"turns": len(records), "sessions": conv_i + 1, "reply_kinds": kinds,
              "total": percentiles([r["total"] for r in records]),
              "total_cpu": percentiles([r["cpu"] for r in records]), "stages": {}}
    for stage in STAGES:
        result["stages"][stage] = percentiles([r.get(stage, 0.0) for r in records])
    result["target_p95_ms"] = TARGET_P95_MS
    result["target_met"] = result["total"]["p95_ms"] <= TARGET_P95_MS
    return result


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=500, help="timed turns per catalog (>= 500 for the report)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed turns first")
    parser.add_argument("--catalogs", default="default,10k", help="comma-separated: default, 10k")
    parser.add_argument("--size", type=int, default=10_000, help="products in the large catalog")
    parser.add_argument("--home", type=Path, default=None,
                        help="SHOPGUIDE_HOME with the default model/index (built there when missing)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the large catalog and its index (kept; default: a temp folder)")
    parser.add_argument("--keep-cache", action="store_true", help="do not clear query-vector caches per turn")
    parser.add_argument("--index-from-base", action="store_true",
                        help="large catalog: derive its index from the default index's vectors (+ noise) instead "
                             "of embedding 10k passages (same search cost; for busy machines; reported)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr)

    from chatbot.service.wiring import Services
    from chatbot.settings import Settings

    timer = StageTimer()
    install_stage_timers(timer)
    tmp = Path(tempfile.mkdtemp(prefix="turn-bench-"))
    workdir = args.workdir or tmp
    workdir.mkdir(parents=True, exist_ok=True)
    base = Settings.from_env(home=args.home)
    result: dict[str, Any] = {
        "benchmark": "turn", "encoder": base.encoder, "index_encoder": base.index_encoder,
        "cpu_count": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(), "keep_cache": args.keep_cache,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()], "catalogs": {},
    }
    started = time.perf_counter()
    default = Services(base.with_(db=tmp / "default.db"))
    default.warm_up(progress=True)
    result["warm_up_s"] = round(time.perf_counter() - started, 2)
    for name in [c.strip() for c in args.catalogs.split(",") if c.strip()]:
        if name == "default":
            services = default
        elif name == "10k":
            from catalog.products import load_products

            path = workdir / f"catalog-{args.size}.jsonl"
            if not path.exists():
                make_variant_catalog(load_products(base.catalog_path), args.size, path)
            t0 = time.perf_counter()
            index_dir = workdir / f"index-{args.size}"
            if args.index_from_base and not (index_dir / "manifest.json").exists():
                index_from_base_vectors(default.engine, path, index_dir, default.encoder)
            derived = (index_dir / "DERIVED.txt").exists()
            result["large_index"] = "derived from base vectors + noise" if derived else "embedded"
            services = Services(base.with_(db=tmp / "large.db", catalog_path=path,
                                           index_dir=index_dir),
                                intent_model=default.intent_model, encoder=default.encoder)
            services.warm_up(progress=True)
            result["large_catalog_ready_s"] = round(time.perf_counter() - t0, 2)
        else:
            parser.error(f"unknown catalog {name!r}: use default or 10k")
        log.info("%s catalog (%d products): %d turns", name, len(services.engine.products), args.turns)
        run = run_turns(services, timer, args.turns, args.warmup, keep_cache=args.keep_cache, tag=name)
        run["products"] = len(services.engine.products)
        result["catalogs"][name] = run
        log.info("  total %s", run["total"])
        services.store.close()
    timer.undo()
    result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
