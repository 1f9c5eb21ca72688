"""Write ``default_model/``: the default intent model trained on the shipped data, shipped with the package so
a first start copies it (seconds) instead of training (a minute or two on a CPU; ``load_or_train_default``
checks that it fits the install: encoder, shipped data, scikit-learn, e5 engine). Rebuild it after changing
the shipped data, the default encoder or the training code (a test checks it is current)::

    python -m intent.data.make_default_model [--encoder e5+tfidf]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
from pathlib import Path

from intent.model import MANIFEST_FILE, MODEL_FILE, load_or_train_default

OUT = Path(__file__).with_name("default_model")


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--encoder", default="e5+tfidf", help="the default encoder (chatbot.settings.Settings.encoder)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        load_or_train_default(Path(tmp), args.encoder, use_shipped=False)
        args.out.mkdir(parents=True, exist_ok=True)
        for name in (MODEL_FILE, MANIFEST_FILE):
            shutil.copyfile(Path(tmp) / name, args.out / name)
    return args.out


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(main())
