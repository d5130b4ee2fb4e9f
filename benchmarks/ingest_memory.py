"""Peak memory and speed of `ingest` over N synthetic articles: shows memory stays flat with N.

    .venv/bin/python benchmarks/ingest_memory.py --n 1000
    .venv/bin/python benchmarks/ingest_memory.py --n 10000 --analyzers sentences,entities

Writes a JSONL of N distinct articles (seeded random words, ~120 words each) to a temporary
folder, ingests it into a fresh SQLite store (or --db URL) in this process, and prints the
peak RSS (``resource.getrusage``, the whole process, models included) and documents per second.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("harbour ferry council budget school river bridge minister election market farmer price storm "
         "flood museum library train station doctor hospital nurse teacher student police court judge "
         "mayor village city road tunnel airport pilot engine factory worker union strike wage tax bank "
         "loan house rent garden forest lake mountain coast island festival concert artist writer film").split()


def write(path: Path, n: int) -> None:
    rng = random.Random(n)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            sents = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(10)]
            rec = {"text": f"Report {i} on the {rng.choice(WORDS)}\n\n" + " ".join(sents),
                   "outlet": f"Outlet {i % 20}", "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}
            f.write(json.dumps(rec) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--analyzers", default=None, help="comma-separated; default: the full pipeline")
    ap.add_argument("--db", default=None)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    from narrascope.corpus.ingest import ingest
    from narrascope.pipeline import DEFAULT_ANALYZERS
    from narrascope.storage import open_store

    names = args.analyzers.split(",") if args.analyzers else list(DEFAULT_ANALYZERS)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        write(src, args.n)
        with open_store(args.db or str(Path(tmp) / "bench.db")) as store:
            start = time.perf_counter()
            summary = ingest([str(src)], store, analyzers=names, workers=args.workers, progress=False,
                             language="en")
            elapsed = time.perf_counter() - start
            stored = store.count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": args.n, "analyzers": ",".join(names), "stored": stored, **summary.to_dict(),
                      "seconds": round(elapsed, 1), "docs_per_s": round(summary.stored / elapsed, 1),
                      "peak_rss_mb": round(peak_mb, 1)}))
    sys.exit(0 if stored == args.n else 1)


if __name__ == "__main__":
    main()
