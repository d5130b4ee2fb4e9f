"""Throughput of the full pipeline on the Dask engine with 1 and 2 workers, and a check that the
Dask and local engines give identical documents.

    .venv/bin/python benchmarks/engine_throughput.py [--n 64] [--rounds 2] [--data ../shared/data]

Two LocalClusters (1 and 2 single-threaded worker processes on 127.0.0.1) are started side by
side; a warm-up batch loads the models on every worker, then timed rounds alternate between
them, so a change in the machine's load hits both alike. Printed per round and as the best
round (the least disturbed) for each; cluster start-up (spawning, loading spaCy) separately.
Texts: as ``benchmarks/speed.py`` (PolNeAR articles with --data, else the bundled example
repeated to about 700 words). Target on an otherwise idle 2-core machine: 2 workers >= 1.6x one.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import texts_from  # noqa: E402


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=8)
    args = ap.parse_args()

    from distributed import LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)

    from narrascope.engines import dask as dask_engine
    from narrascope.engines import local
    from narrascope.ingest import from_text
    from narrascope.pipeline import DEFAULT_ANALYZERS

    names = tuple(DEFAULT_ANALYZERS)
    texts = texts_from(args.data, args.n)
    docs = [from_text(t) for t in texts]
    words = sum(len(t.split()) for t in texts)
    print(f"articles: {len(docs)}, mean words: {words / len(docs):.0f}, analyzers: {','.join(names)}; {load()}")

    clusters = {}
    try:
        for workers in (1, 2):
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Port .* is already in use")
                clusters[workers] = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                 host="127.0.0.1", dashboard_address=None,
                                                 silence_logs=logging.ERROR)
            warm = docs[: workers * 2]  # one small chunk per worker loads the models everywhere
            list(dask_engine.run(warm, names, chunk_size=1, address=clusters[workers].scheduler_address))
            print(f"dask {workers} worker(s): cluster start + model load {time.perf_counter() - t0:.1f} s")

        rates: dict[int, list[float]] = {1: [], 2: []}
        outputs: dict[int, list] = {}
        for r in range(1, args.rounds + 1):
            for workers in (1, 2):
                t0 = time.perf_counter()
                outputs[workers] = list(dask_engine.run(docs, names, chunk_size=args.chunk,
                                                        address=clusters[workers].scheduler_address))
                elapsed = time.perf_counter() - t0
                rates[workers].append(len(docs) / elapsed)
                print(f"round {r}: dask {workers} worker(s) {len(docs) / elapsed:6.2f} articles/s "
                      f"{words / elapsed:7.0f} words/s ({elapsed:.1f} s; {load()})")
    finally:
        for c in clusters.values():
            c.close()

    best = {w: max(v) for w, v in rates.items()}
    med = {w: statistics.median(v) for w, v in rates.items()}
    print(f"best round:   1 worker {best[1]:.2f} articles/s, 2 workers {best[2]:.2f} articles/s, "
          f"speed-up {best[2] / best[1]:.2f}x (target >= 1.6x)")
    print(f"median round: speed-up {med[2] / med[1]:.2f}x")

    t0 = time.perf_counter()
    reference = list(local.run(docs, names, workers=1, chunk_size=args.chunk))
    print(f"local engine, 1 process: {len(docs) / (time.perf_counter() - t0):6.2f} articles/s ({load()})")
    def comparable(items: list) -> list:  # a failure by its fields (exceptions compare by identity)
        return [d.to_dict() if hasattr(d, "error") else d for d in items]

    same = all(comparable(out) == comparable(reference) for out in outputs.values())
    print(f"dask (1 and 2 workers) == local engine documents: {same} ({len(reference)} documents)")
    if not same:
        for workers, out in outputs.items():
            for a, b in zip(comparable(out), comparable(reference), strict=True):
                if a != b:
                    da = a.model_dump() if hasattr(a, "model_dump") else a
                    db = b.model_dump() if hasattr(b, "model_dump") else b
                    keys = [k for k in da if da.get(k) != db.get(k)]
                    print(f"  {workers} worker(s): document {getattr(a, 'id', '?')} differs in {keys}")
                    break
        raise SystemExit(1)


if __name__ == "__main__":
    main()
