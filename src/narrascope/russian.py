"""The one place that loads natasha: Russian named entities, each with its normal (nominative) form.

natasha (``natasha==1.6.0`` on PyPI) ships its weights in the wheel (navec embeddings and slovnet
NER/morphology), runs on numpy and needs no download. Its NER tags PER, LOC and ORG; each span is
normalised to the nominative ("Московской областью" → "Московская область"), which lets the
`entities` analyzer group a name's inflected forms into one entity.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from narrascope.errors import ModelError


@dataclass(frozen=True)
class NamedSpan:
    start: int
    end: int
    text: str
    label: str  # PER, LOC or ORG
    normal: str  # the nominative form, as natasha normalises it


@functools.cache
def _models() -> tuple[Any, Any, Any, Any]:
    try:
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError("natasha (Russian named entities) is not installed",
                         hint='pip install "natasha==1.6.0" (or `make install`)') from exc
    emb = NewsEmbedding()
    return Segmenter(), NewsNERTagger(emb), NewsMorphTagger(emb), MorphVocab()


def named_entities(text: str) -> list[NamedSpan]:
    """The named entities natasha finds in a Russian ``text``, in order."""
    from natasha import Doc

    segmenter, ner, morph, vocab = _models()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(ner)
    doc.tag_morph(morph)
    out = []
    for span in doc.spans:
        span.normalize(vocab)
        out.append(NamedSpan(span.start, span.stop, text[span.start:span.stop], span.type, span.normal or span.text))
    return out
