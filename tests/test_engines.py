from __future__ import annotations

import narrascope
from narrascope.engines import local
from narrascope.errors import EmptyInputError
from narrascope.pipeline import Failure

TEXTS = [
    "The mayor said the bridge would reopen in May 2024.",
    "Officials have reportedly denied the claims, according to aides.",
    "Critics say the plan is a costly mistake.",
]


def test_engines_local_two_workers_equal_one_process_and_keep_order():
    docs = [narrascope.from_text(t) for t in TEXTS * 3]
    bad = Failure("bad", "x", EmptyInputError("empty", hint="custom hint"))
    items = [*docs[:4], bad, *docs[4:]]
    serial = list(local.run(items, workers=1, chunk_size=2))
    parallel = list(local.run(items, workers=2, chunk_size=2))
    assert [d for d in parallel if not isinstance(d, Failure)] == [d for d in serial if not isinstance(d, Failure)]
    assert parallel[4].to_dict() == serial[4].to_dict()
    assert isinstance(parallel[4], Failure)
    assert parallel[4].error.hint == "custom hint" and parallel[4].error.code == "E101"
    assert [d.id for d in parallel if not isinstance(d, Failure)] == [d.id for d in docs]
