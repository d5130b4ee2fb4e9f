"""Documents built by hand for analyzer tests: real sentences, hand-made statements."""

from __future__ import annotations

from collections.abc import Sequence

from narrascope.ingest import from_text
from narrascope.model import Document, Source, Span, Statement
from narrascope.pipeline import Context, get


def with_statements(  # ``text`` in sentences, statements as (source, cue, content) substrings
    text: str,
    statements: Sequence[tuple[str, str, str]] = (),
    *,
    headline: bool = False,
    title: str | None = None,
) -> tuple[Document, Context]:
    """``headline``: read a first line + blank line as the headline; ``title`` overrides it."""
    ctx = Context()
    doc = get("sentences").func(from_text(text, headline=title, detect_headline=headline), ctx)
    sts = []
    for n, (source, cue, content) in enumerate(statements, 1):
        cs, ss, cu = text.index(content), text.index(source), text.index(cue)
        sts.append(Statement(
            id=f"st{n}", source=Source(text=source, start=ss, end=ss + len(source), type="person", confidence=0.9),
            cue=Span(start=cu, end=cu + len(cue), text=cue), content=Span(start=cs, end=cs + len(content), text=content),
            kind="indirect", sentence=doc.sentence_at(cs).index, confidence=0.9,
        ))
    return doc.with_layers("test", "0", statements=tuple(sts)), ctx
