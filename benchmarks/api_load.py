"""Load on the served API and pages over loopback: N concurrent requests, all answered, latency.

    .venv/bin/python benchmarks/api_load.py [--db corpus.db] [--n 200] [--docs 200] [--timeout 120]

Starts ``narrascope serve`` (uvicorn, one process) on a free 127.0.0.1 port in a subprocess over
``--db``, or over a temporary SQLite store of ``--docs`` hand-made documents (no models needed).
Then fires ``--n`` requests at once with httpx.AsyncClient: half for article pages
(``/documents/{id}``), half for a corpus view (``/api/views/techniques_by_outlet``), and prints
how many were answered 200 and p50/p95/max latency per kind. Finally a 20 MB POST to
``/api/analyze`` must be refused with 413. Everything is bounded by ``--timeout`` seconds; only
127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_store(path: Path, n: int) -> list[str]:
    from narrascope.model import (
        Document,
        NarrativeLabel,
        Sentence,
        Source,
        Span,
        Statement,
        TechniqueSpan,
    )
    from narrascope.storage import open_store

    outlets = ["Daily A", "Weekly B", "Herald C", "Post D"]
    narratives = ["Economy: taxes hurt families", "Government is competent", "Crisis is exaggerated"]
    techniques = ["Loaded_Language", "Exaggeration", "Doubt", "Name_Calling"]
    ids = []
    store = open_store(str(path))
    try:
        for i in range(n):
            headline = f"Minister defends tax plan, day {i}"
            body = (f"The minister said that taxes would rise by {i % 9 + 1} percent in region {i}. "
                    f"Critics claimed the plan was a disaster for {i} families. " * 6)
            text = f"{headline}\n\n{body}"
            b = len(headline) + 2
            cs = text.index("taxes")
            ce = text.index(" in region")
            ts = text.index("a disaster")
            doc = Document(
                id=f"load{i:04d}", text=text, headline=Span(start=0, end=len(headline), text=headline),
                outlet=outlets[i % 4], published=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", language="en",
                sentences=(Sentence(start=0, end=len(headline), text=headline, index=0, paragraph=0),
                           Sentence(start=b, end=len(text), text=text[b:], index=1, paragraph=1)),
                statements=(Statement(
                    id="S1", source=Source(text="The minister", start=b, end=b + 12, type="official", confidence=0.9),
                    cue=Span(start=b + 13, end=b + 17, text="said"), content=Span(start=cs, end=ce, text=text[cs:ce]),
                    kind="indirect", sentence=1, confidence=0.9),),
                markers=(),
                narratives=(NarrativeLabel(taxonomy="semeval2025", narrative=narratives[i % 3], confidence=0.7),),
                techniques=(TechniqueSpan(start=ts, end=ts + 10, text="a disaster", technique=techniques[i % 4],
                                          confidence=0.6),),
                analyzers={"load": "0"},
            )
            store.add(doc)
            ids.append(doc.id)
    finally:
        store.close()
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def fire(base: str, paths: list[str], timeout: float) -> list[tuple[str, int, float]]:
    import httpx

    limits = httpx.Limits(max_connections=len(paths), max_keepalive_connections=len(paths))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        async def one(path: str) -> tuple[str, int, float]:
            t0 = time.perf_counter()
            try:
                r = await client.get(path)
                status = r.status_code
            except httpx.HTTPError:
                status = 0
            return path, status, time.perf_counter() - t0

        return await asyncio.gather(*(one(p) for p in paths))


def post_20mb(base: str, timeout: float) -> tuple[int | str, float]:
    import httpx

    t0 = time.perf_counter()
    body = b"x" * 20_000_000
    try:
        r = httpx.post(base + "/api/analyze", content=body, headers={"content-type": "application/json"},
                       timeout=timeout)
        return r.status_code, time.perf_counter() - t0
    except httpx.HTTPError as exc:  # the server may close before the upload ends
        return f"{type(exc).__name__}", time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=None, help="serve this store (default: a temporary one)")
    ap.add_argument("--n", type=int, default=200, help="concurrent requests")
    ap.add_argument("--docs", type=int, default=200, help="documents in the temporary store")
    ap.add_argument("--view", default="techniques_by_outlet")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    deadline = time.monotonic() + args.timeout

    tmp = tempfile.TemporaryDirectory(prefix="narrascope-load-")
    if args.db:
        from narrascope.storage import open_store

        with open_store(args.db) as store:
            ids = [d["id"] for d in store.list(limit=args.n)]
        db = args.db
    else:
        db = str(Path(tmp.name) / "load.db")
        t0 = time.perf_counter()
        ids = build_store(Path(db), args.docs)
        print(f"store: {len(ids)} hand-made documents in {time.perf_counter() - t0:.1f} s")
    if not ids:
        raise SystemExit("the store is empty")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    code = f"from narrascope.cli.serve import serve; serve({db!r}, host='127.0.0.1', port={port})"
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "NARRASCOPE_TOKEN": ""})
    try:
        import httpx

        while True:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start: " + (server.stderr.read().decode()[-2000:]
                                                                  if server.poll() is not None else "timeout"))
            try:
                if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        # one warm-up request of each kind (template compilation, first connections)
        asyncio.run(fire(base, [f"/documents/{ids[0]}", f"/api/views/{args.view}"], args.timeout))

        half = args.n // 2
        paths = [f"/documents/{ids[i % len(ids)]}" for i in range(half)]
        paths += [f"/api/views/{args.view}"] * (args.n - half)
        left = max(1.0, deadline - time.monotonic())
        t0 = time.perf_counter()
        results = asyncio.run(asyncio.wait_for(fire(base, paths, left), left))
        wall = time.perf_counter() - t0
        ok = sum(1 for _, s, _ in results if s == 200)
        load = os.getloadavg()
        print(f"{args.n} concurrent requests on 127.0.0.1: {ok}/{len(results)} answered 200 in {wall:.2f} s "
              f"({len(results) / wall:.0f} req/s); load average {load[0]:.1f} on {os.cpu_count()} CPUs")
        for label, prefix in (("article page", "/documents/"), (f"view {args.view}", "/api/views/")):
            lat = [t * 1000 for p, _, t in results if p.startswith(prefix)]
            print(f"  {label:28s} n={len(lat):3d}  p50 {statistics.median(lat):7.1f} ms  "
                  f"p95 {pct(lat, 95):7.1f} ms  max {max(lat):7.1f} ms")
        lat = [t * 1000 for _, _, t in results]
        print(f"  {'all':28s} n={len(lat):3d}  p50 {statistics.median(lat):7.1f} ms  p95 {pct(lat, 95):7.1f} ms")
        status, took = post_20mb(base, min(30.0, max(1.0, deadline - time.monotonic())))
        print(f"20 MB POST /api/analyze: {status} in {took:.2f} s (expected 413)")
        if ok != len(results) or status != 413:
            raise SystemExit(1)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        tmp.cleanup()


if __name__ == "__main__":
    main()
