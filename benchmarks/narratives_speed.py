"""Per-article time of the main pipeline (``sentences`` … ``timeline``), and of the same plus
``narratives`` and ``roles``.

::

    OMP_NUM_THREADS=1 python benchmarks/narratives_speed.py [--data PATH] [--n 30] [--repeat 2]

Reads ``--n`` PolNeAR texts (``polnear/train/text``, sorted by name). Each configuration runs on
fresh copies of the texts in a fresh embedding cache, after one warm-up article (models loaded);
the best of ``--repeat`` rounds is reported (the machine is shared). Prints milliseconds per article
and the added share.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from narrascope import embeddings
from narrascope.analyzers import narratives
from narrascope.model import Document
from narrascope.pipeline import Pipeline

# the main pipeline (rules + light models), spelled out: the default list may grow
MAIN = ("sentences", "entities", "attribution", "hedging", "evaluation", "headline", "timeline")
EXTRA = ("narratives", "roles")


def _docs(texts: list[str], tag: str) -> list[Document]:
    return [Document(id=f"{tag}-{i}", text=t) for i, t in enumerate(texts)]


def per_article_ms(names: tuple[str, ...], texts: list[str], repeat: int) -> float:
    pipe = Pipeline(names)
    out = list(pipe.run_many(_docs(texts[:1], "warm")))
    if not all(isinstance(d, Document) for d in out):
        raise SystemExit(f"the pipeline failed: {out}")
    best = float("inf")
    for r in range(repeat):
        embeddings._cache.clear()
        narratives._embed.cache_clear()
        docs = _docs(texts, f"r{r}")
        t0 = time.perf_counter()
        done = list(pipe.run_many(docs))
        best = min(best, (time.perf_counter() - t0) * 1000 / len(texts))
        failed = [d for d in done if not isinstance(d, Document)]
        if failed:
            raise SystemExit(f"{len(failed)} articles failed: {failed[0]}")
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    folder = args.data / "polnear" / "train" / "text"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())[: args.n]]
    words = sum(len(t.split()) for t in texts) / len(texts)
    base = per_article_ms(MAIN, texts, args.repeat)
    full = per_article_ms((*MAIN, *EXTRA), texts, args.repeat)
    print(f"{len(texts)} PolNeAR articles, {words:.0f} words on average")
    print(f"main pipeline:               {base:7.1f} ms/article")
    print(f"main + narratives,roles:     {full:7.1f} ms/article  (+{full - base:.1f} ms, +{100 * (full - base) / base:.0f} %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
