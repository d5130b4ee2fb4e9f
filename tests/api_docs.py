"""Hand-made documents for the API and web tests: statements, markers, narratives, techniques and
frames set by hand (no models), stored in a real SQLite store."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narrascope.model import (
    Document,
    FrameLabel,
    Marker,
    NarrativeLabel,
    Sentence,
    Source,
    Span,
    Statement,
    TechniqueSpan,
)

EVIL = "<script>alert('x')</script>"


def _span(text: str, part: str) -> Span:
    i = text.index(part)
    return Span(start=i, end=i + len(part), text=part)


def make_doc(i: int, outlet: str, published: str, narrative: str, technique: str,
             headline: str | None = None) -> Document:
    headline = headline or f"Minister defends tax plan {i}"
    body = (f"The minister said that taxes would rise by {i} percent. "
            "Critics allegedly claimed the plan was a disaster for families.")
    text = f"{headline}\n\n{body}"
    h = Span(start=0, end=len(headline), text=headline)
    s0 = len(headline) + 2
    s1 = text.index("Critics")
    sentences = (
        Sentence(start=0, end=len(headline), text=headline, index=0, paragraph=0),
        Sentence(start=s0, end=s1 - 1, text=text[s0:s1 - 1], index=1, paragraph=1),
        Sentence(start=s1, end=len(text), text=text[s1:], index=2, paragraph=1),
    )
    src = _span(text, "The minister")
    content = _span(text, f"taxes would rise by {i} percent")
    hedge = _span(text, "allegedly")
    marker = Marker(start=hedge.start, end=hedge.end, text=hedge.text, kind="distancing", confidence=0.8,
                    sentence=2, statement="S2")
    critics = _span(text, "Critics")
    disaster = _span(text, "the plan was a disaster for families")
    statements = (
        Statement(id="S1", source=Source(text=src.text, start=src.start, end=src.end, type="official",
                                         confidence=0.9),
                  cue=_span(text, "said"), content=content, kind="indirect", sentence=1, confidence=0.9),
        Statement(id="S2", source=Source(text=critics.text, start=critics.start, end=critics.end, type="vague",
                                         confidence=0.7),
                  cue=_span(text, "claimed"), content=disaster, kind="indirect", sentence=2, confidence=0.8,
                  distancing=(marker,), status="contested"),
    )
    tech = _span(text, "a disaster")
    return Document(
        id=f"doc{i:03d}", text=text, headline=h, outlet=outlet, published=published, language="en",
        sentences=sentences, statements=statements, markers=(marker,),
        narratives=(NarrativeLabel(taxonomy="semeval2025", narrative=narrative, confidence=0.7,
                                   evidence=()),),
        techniques=(TechniqueSpan(start=tech.start, end=tech.end, text=tech.text, technique=technique,
                                  confidence=0.6),),
        frames=(FrameLabel(frame="Economic", confidence=0.8),),
        analyzers={"test": "0"},
    )


DOCS = [
    make_doc(1, "Daily A", "2024-01-01", "Economy: taxes hurt families", "Loaded_Language"),
    make_doc(2, "Daily A", "2024-01-09", "Economy: taxes hurt families", "Exaggeration"),
    make_doc(3, "Weekly B", "2024-01-10", "Government is competent", "Loaded_Language"),
    make_doc(4, "Weekly B", "2024-01-17", "Economy: taxes hurt families", "Doubt"),
    make_doc(5, f"Outlet {EVIL}", "2024-01-18", f"Narrative {EVIL}", "Loaded_Language",
             headline=f"Evil headline {EVIL}"),
]


def fill(path: Path) -> str:
    """A SQLite store at ``path`` holding :data:`DOCS`; returns its URL."""
    from narrascope.storage import open_store

    store = open_store(str(path))
    try:
        for doc in DOCS:
            store.add(doc)
    finally:
        store.close()
    return str(path)


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free 127.0.0.1 port in a thread; yields its base URL."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
