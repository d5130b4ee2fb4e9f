"""The local engine: a pipeline over several processes on one machine, order preserved.

Each worker builds its pipeline once (models load once per process) and analyses chunks of
documents with ``Pipeline.run_many``; failures come back as ``Failure`` records like any result.
With ``workers=1`` everything runs in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from narrascope.model import Document
from narrascope.pipeline import DEFAULT_ANALYZERS, Failure, Pipeline

_worker_pipeline: Pipeline | None = None


def _init(names: Sequence[str], config: dict[str, Any] | None) -> None:
    global _worker_pipeline
    _worker_pipeline = Pipeline(names, config)
    from narrascope import nlp

    nlp.english()  # load the models once, before the first chunk


def _work(chunk: list[Document | Failure]) -> list[Document | Failure]:
    assert _worker_pipeline is not None
    return list(_worker_pipeline.run_many(chunk))


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run(
    docs: Iterable[Document | Failure],
    analyzers: Sequence[str] = DEFAULT_ANALYZERS,
    workers: int | None = None,
    chunk_size: int = 16,
    config: dict[str, Any] | None = None,
) -> Iterator[Document | Failure]:
    """Analyse ``docs`` with ``workers`` processes; yields results in input order."""
    workers = workers or default_workers()
    if workers <= 1:
        yield from Pipeline(analyzers, config).run_many(docs, batch_size=chunk_size)
        return
    Pipeline(analyzers, config)  # validate the analyzer list here, before any process starts
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    stream = iter(docs)
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(tuple(analyzers), config)) as pool:
        pending: list[Future[list[Document | Failure]]] = []
        while True:
            while len(pending) < workers * 2:
                chunk = list(islice(stream, chunk_size))
                if not chunk:
                    break
                pending.append(pool.submit(_work, chunk))
            if not pending:
                return
            yield from pending.pop(0).result()
