"""Query-parser benchmark: :meth:`catalog.filters.QueryParser.parse` over the embedded catalog.

Builds ``QueryParser(products=load_products())`` (timed: construction plus the first parse, which builds the
learned brand / product-line / category tables), then parses a varied list of Chinese and English shopper
messages (budgets, brands, categories, follow-ups, chit-chat; cycled to ``--queries`` parses, the second pass
with the previous turn's filters and the products shown) ``--rounds`` times and reports the median / p95 / max latency of one parse, overall and per
language.

Usage::

    nice python benchmarks/parse_bench.py              # 200 parses x 5 rounds
    nice python benchmarks/parse_bench.py --rounds 20

Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from typing import Any

from catalog.filters import Filters, QueryParser
from catalog.products import load_products
from intent.text import detect_lang

__all__ = ["QUERIES", "main"]

# Varied shopper messages (zh and en): budgets, brands, product lines, categories, follow-ups, chit-chat.
QUERIES: tuple[str, ...] = (
    "500以内的跑步鞋", "想买个华为手机预算三千", "你好", "便宜点的", "换个牌子", "noise cancelling earbuds under $150",
    "第二个怎么样", "两千左右的手机", "1千到2千的耳机", "三百到八百块的跑鞋", "预算2k买耳机", "1.5万以内的笔记本",
    "不要耐克的跑鞋", "苹果手机 5000以内", "买点苹果吃", "4k电视", "256GB的手机 3000以内", "airpods多少钱",
    "iPhone 15 多少钱", "Nike Pegasus 有吗", "小米的扫地机器人", "有没有李宁的", "评分4.5以上的吹风机",
    "有货的电饭煲", "送女朋友的礼物推荐一下", "谢谢", "随便看看", "就要这个了，怎么下单", "有降噪耳机吗",
    "运动T恤 速干", "这个有货吗", "想给爸妈买个按摩仪", "戴森吹风机太贵了", "其他品牌的有吗", "华为mate60",
    "索尼降噪耳机 两千左右", "安踏跑鞋 300以内", "儿童玩具 乐高", "猫粮 好评", "空气净化器 不超过2000",
    "hello", "I want running shoes under 500", "any noise cancelling earphones?", "show me Xiaomi phones",
    "is the second one in stock?", "I'll take it, add to cart", "just looking around", "cheaper ones please",
    "a rice cooker for a family of four", "between 300 and 800 yuan", "around $200 headphones",
    "not nike, something else", "another brand please", "highly rated laptops under 6000",
    "Sony WH-1000XM5", "samsung galaxy phone", "a gift for my dad", "what about the first one",
    "in stock only", "running shoes from adidas", "robot vacuum at least 1500", "4k tv 55 inch",
    "thanks, bye",
)


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def _summary(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 3), "p95_ms": round(_pct(ms, 0.95), 3),
            "max_ms": round(max(ms), 3), "n": len(ms)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--queries", type=int, default=200, help="parses per round, cycling the list (default 200)")
    ap.add_argument("--rounds", type=int, default=5, help="passes over the query list (default 5)")
    args = ap.parse_args(argv)

    products = load_products()
    t0 = time.perf_counter()
    parser = QueryParser(products=products)
    parser.parse("你好")
    construct_ms = (time.perf_counter() - t0) * 1000

    # Each query alone, with a previous budget, and with products shown (follow-ups use them).
    previous = Filters(max_price=3000.0, category="phones", brands=("华为",))
    shown = tuple(products[:3])
    variants = [(None, ()), (previous, shown), (Filters(min_price=200.0), ())]
    work = [(q, *variants[i // len(QUERIES) % 3]) for i, q in enumerate(itertools.islice(itertools.cycle(QUERIES),
                                                                                     args.queries))]
    times: dict[str, list[float]] = {"zh": [], "en": []}
    for _ in range(args.rounds):
        for text, prev, sh in work:
            t = time.perf_counter()
            parser.parse(text, previous=prev, shown=sh)
            times[detect_lang(text, default="en")].append((time.perf_counter() - t) * 1000)
    every = times["zh"] + times["en"]
    return {"bench": "parse", "products": len(products), "queries_per_round": len(work), "rounds": args.rounds,
            "construct_and_first_parse_ms": round(construct_ms, 2), "all": _summary(every),
            "zh": _summary(times["zh"]), "en": _summary(times["en"])}


if __name__ == "__main__":
    print(json.dumps(main()))
