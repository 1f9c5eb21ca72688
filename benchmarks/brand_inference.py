"""How well missing brands are inferred from real product titles (``catalog.brands.fill_brands``).

    python benchmarks/brand_inference.py [--realdata ../shared/realdata] [--out FILE]

Reads the real Taobao product titles of ``zh_ecom_ner/`` (train + dev; one character per line, brand spans tagged
``HP``), imports them as one catalog *without* a brand column and compares each inferred brand with the title's
tagged brand spans. Prints one JSON object:

- ``precision``: inferred brands that equal a tagged brand span of their title / all inferred brands;
- ``recall``: titles with a tagged brand whose brand was inferred correctly / titles with a tagged brand;
- ``false_rate``: titles without a tagged brand that got one anyway / titles without a tagged brand;
- the same three with the built-in brand list only (``leading tokens off``), to show what each source adds.

The titles have no stated licence: they are read from the folder, never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog import brands as brand_module  # noqa: E402
from catalog.brands import fill_brands  # noqa: E402
from catalog.products import Product  # noqa: E402


def read_titles(folder: Path) -> list[tuple[str, set[str]]]:
    """(title, tagged brand spans) of every title in the BIEOS files."""
    out: list[tuple[str, set[str]]] = []
    for name in ("train.txt.bieos", "dev.txt.bieos"):
        chars: list[str] = []
        tags: list[str] = []
        for line in (folder / name).read_text(encoding="utf-8").split("\n") + [""]:
            if not line.strip():
                if chars:
                    out.append(("".join(chars), _spans(chars, tags, "HP")))
                chars, tags = [], []
                continue
            ch, _, tag = line.rstrip("\n").rpartition("\t")
            chars.append(ch if ch else " ")
            tags.append(tag)
    return out


def _spans(chars: list[str], tags: list[str], kind: str) -> set[str]:
    spans, current = set(), ""
    for ch, tag in zip(chars, tags, strict=True):
        head, _, label = tag.partition("-")
        if label != kind:
            current = ""
            continue
        if head in ("B", "S"):
            current = ch
        else:
            current += ch
        if head in ("E", "S"):
            spans.add(current)
            current = ""
    return spans


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def score(rows: list[tuple[str, set[str]]], inferred: list[str]) -> dict[str, float | int]:
    tagged = [bool(g) for _, g in rows]
    correct = [bool(b) and _norm(b) in {_norm(g) for g in gold} for b, (_, gold) in zip(inferred, rows, strict=True)]
    n_inferred = sum(bool(b) for b in inferred)
    return {
        "inferred": n_inferred,
        "precision": round(sum(correct) / n_inferred, 4) if n_inferred else None,
        "recall": round(sum(correct) / sum(tagged), 4) if any(tagged) else None,
        "false_rate": round(sum(bool(b) and not t for b, t in zip(inferred, tagged, strict=True))
                            / max(1, sum(not t for t in tagged)), 4),
    }


def run(rows: list[tuple[str, set[str]]]) -> list[str]:
    products = [Product(id=str(i), title_zh=t, title_en="", category="", subcategory="", brand="", price=1.0,
                        stock=1, rating=0.0, sales=0) for i, (t, _) in enumerate(rows)]
    filled, _ = fill_brands(products)
    return [p.brand for p in filled]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--realdata", type=Path, default=ROOT.parent / "shared" / "realdata")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    rows = read_titles(args.realdata / "zh_ecom_ner")
    start = time.perf_counter()
    full = score(rows, run(rows))
    seconds = time.perf_counter() - start
    saved = brand_module.MIN_LEADING
    brand_module.MIN_LEADING = 10 ** 9  # no leading token is frequent enough: the built-in list only
    try:
        builtin_only = score(rows, run(rows))
    finally:
        brand_module.MIN_LEADING = saved
    report = {
        "benchmark": "brand_inference", "date": date.today().isoformat(),
        "data": "zh_ecom_ner train+dev (real Taobao titles, brand spans tagged HP)",
        "titles": len(rows), "titles_with_brand": sum(bool(g) for _, g in rows),
        "min_leading": saved, "seconds": round(seconds, 2),
        "all_sources": full, "builtin_list_only": builtin_only,
    }
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
