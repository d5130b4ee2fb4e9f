"""The Dask engine gives exactly the local engine's documents, in order, failures in place."""

from __future__ import annotations

import logging
import sys

import pytest

from narrascope.engines import dask as dask_engine
from narrascope.engines import local
from narrascope.errors import EmptyInputError, PipelineError
from narrascope.ingest import from_text
from narrascope.model import Document
from narrascope.pipeline import Failure

CHEAP = ("sentences", "entities")

TEXTS = [
    "Minister defends tax plan\n\nThe minister said on Monday that taxes would rise in Paris.",
    "Critics claimed the plan would hurt families in Berlin, according to Reuters.",
    "The company denied the report. Its chief executive, Anna Smith, called it false.",
    "Storm hits coast\n\nThousands lost power on Tuesday after the storm reached Florida.",
    "Officials in Kyiv said talks with Warsaw would resume next week.",
    "The central bank kept rates unchanged, the governor told reporters in London.",
]


def comparable(item: Document | Failure) -> object:
    """Documents as they are; a failure by its fields (exceptions compare by identity)."""
    return item if isinstance(item, Document) else item.to_dict()


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=logging.ERROR) as c:
        yield c


def test_engines_dask_matches_local(cluster) -> None:
    docs: list[Document | Failure] = [from_text(t) for t in TEXTS]
    failure = Failure("bad", "bad.txt", EmptyInputError("the article text is empty"))
    docs.insert(3, failure)
    expected = list(local.run(docs, CHEAP, workers=1, chunk_size=2))
    got = list(dask_engine.run(docs, CHEAP, workers=2, chunk_size=2, address=cluster.scheduler_address))
    assert [d.id for d in got] == [d.id for d in docs]  # order kept over 4 chunks on 2 workers
    assert [comparable(d) for d in got] == [comparable(d) for d in expected]
    assert [d for d in got if isinstance(d, Document)] == [d for d in expected if isinstance(d, Document)]
    assert isinstance(got[3], Failure) and got[3].error.code == "E101" and got[3].error.hint
    assert all(d.sentences and d.entities is not None for d in got if isinstance(d, Document))


def test_engines_dask_validates_analyzers_before_starting() -> None:
    with pytest.raises(PipelineError, match="unknown analyzer"):
        dask_engine.run([], ["sentences", "nope"], address="tcp://127.0.0.1:1")  # raised at the call


def test_engines_dask_missing_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(PipelineError) as info:
        dask_engine.run([from_text(TEXTS[0])], CHEAP)
    assert 'pip install "narrascope[dask]"' in info.value.hint


def test_engines_dask_unreachable_scheduler_is_typed() -> None:
    pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), pytest.raises(PipelineError) as info:
        list(dask_engine.run([from_text(TEXTS[0])], CHEAP, address="tcp://127.0.0.1:9"))
    assert "dask scheduler" in info.value.hint
