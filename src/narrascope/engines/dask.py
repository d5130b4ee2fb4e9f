"""The Dask engine: the pipeline over a Dask cluster, one machine or many, order preserved.

The only module that imports ``dask``/``distributed``. Same contract as
:func:`narrascope.engines.local.run`: documents go out in chunks, each worker process builds the
pipeline (and loads the spaCy model) once, keeps it for every later chunk, and results come back
in input order, failures as :class:`~narrascope.pipeline.Failure` records.

Without ``address`` a ``LocalCluster`` of ``workers`` single-threaded processes is started on
127.0.0.1 and shut down at the end; with ``address`` (``tcp://scheduler:8786``, or the
``NARRASCOPE_DASK_SCHEDULER`` environment variable) the run uses the workers of an existing
cluster (see ``docs/cluster.md``), which must have the same narrascope version installed.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from narrascope.errors import PipelineError
from narrascope.model import Document
from narrascope.pipeline import DEFAULT_ANALYZERS, Failure, Pipeline

INSTALL_HINT = 'pip install "narrascope[dask]"'
SCHEDULER_ENV = "NARRASCOPE_DASK_SCHEDULER"

_pipelines: dict[tuple[str, ...], Pipeline] = {}


def _pipeline(names: tuple[str, ...]) -> Pipeline:
    """This worker process's pipeline for ``names``: built (and the models loaded) once."""
    pipe = _pipelines.get(names)
    if pipe is None:
        pipe = Pipeline(names)
        from narrascope import nlp

        nlp.english()
        _pipelines[names] = pipe
    return pipe


def _work(names: tuple[str, ...], chunk: list[Document | Failure], batch_size: int) -> list[Document | Failure]:
    return list(_pipeline(names).run_many(chunk, batch_size=batch_size))


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise PipelineError(
            f"the dask engine needs dask[distributed], which is not installed ({exc})",
            hint=f"{INSTALL_HINT}, or use the local engine (--engine local)",
        ) from None
    return distributed


def _preload_plugin(distributed: Any, names: tuple[str, ...]) -> Any:
    class PreloadPipeline(distributed.WorkerPlugin):  # type: ignore[misc, name-defined]
        """Builds the pipeline when a worker starts, so the first chunk does not pay for it."""

        name = "narrascope-pipeline-" + "-".join(names)

        def __init__(self, analyzers: tuple[str, ...]) -> None:
            self.analyzers = analyzers

        def setup(self, worker: Any) -> None:
            _pipeline(self.analyzers)

    return PreloadPipeline(names)


def run(
    docs: Iterable[Document | Failure],
    analyzers: Sequence[str] = DEFAULT_ANALYZERS,
    workers: int = 2,
    chunk_size: int = 16,
    address: str | None = None,
) -> Iterator[Document | Failure]:
    """Analyse ``docs`` on a Dask cluster; yields results in input order.

    ``address`` (default: ``$NARRASCOPE_DASK_SCHEDULER``) connects to a running scheduler
    (multi-node); without one a local cluster of ``workers`` processes is started for this run,
    on 127.0.0.1, and closed at the end. Raises :class:`PipelineError` at once when dask is
    not installed or the analyzer list is invalid; the cluster starts on the first ``next()``.
    """
    names = tuple(analyzers)
    Pipeline(names)  # validate here, before any worker starts
    distributed = _distributed()
    address = address or os.environ.get(SCHEDULER_ENV) or None
    return _run(distributed, docs, names, workers, chunk_size, address)


def _run(distributed: Any, docs: Iterable[Document | Failure], names: tuple[str, ...], workers: int,
         chunk_size: int, address: str | None) -> Iterator[Document | Failure]:
    cluster = None
    if address is None:
        with warnings.catch_warnings():  # its health/metrics HTTP server moves off a busy 8787 quietly
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            cluster = distributed.LocalCluster(
                n_workers=max(1, workers),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",  # scheduler, workers and the scheduler's HTTP server: loopback only
                scheduler_port=0,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
    try:
        client = distributed.Client(cluster if cluster is not None else address, set_as_default=False)
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise PipelineError(
            f"cannot connect to the Dask scheduler at {address}: {exc}",
            hint="start it with `dask scheduler` and pass its tcp://host:8786 address",
        ) from None
    pending: list[Any] = []
    try:
        client.register_plugin(_preload_plugin(distributed, names))
        n_workers = max(1, sum(client.nthreads().values()) or workers)
        stream = iter(docs)
        while True:
            while len(pending) < n_workers * 2:
                chunk = list(islice(stream, chunk_size))
                if not chunk:
                    break
                pending.append(client.submit(_work, names, chunk, chunk_size, pure=False))
            if not pending:
                return
            yield from pending.pop(0).result()
    finally:
        for fut in pending:  # a consumer that stops early leaves chunks in flight
            fut.cancel()
        client.close()
        if cluster is not None:
            cluster.close()
