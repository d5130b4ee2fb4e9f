"""Paragraphs (split at blank lines) and sentences (spaCy's parser for English, its rule-based
sentencizer for other languages; never across a paragraph)."""

from __future__ import annotations

import re

from narrascope import nlp
from narrascope.model import Document, Paragraph, Sentence
from narrascope.pipeline import Context, analyzer, language_code

_PARA = re.compile(r"\S(?:.*?\S)?(?=\s*(?:\r?\n[ \t]*){2,}|\s*\Z)", re.S)


def paragraphs(text: str) -> list[Paragraph]:
    """Paragraph spans: runs of text separated by one or more blank lines, trimmed."""
    return [
        Paragraph(start=m.start(), end=m.end(), text=m.group(), index=i)
        for i, m in enumerate(_PARA.finditer(text))
    ]


@analyzer("sentences", version="1.0", assigns=("paragraphs", "sentences"))
def analyze(doc: Document, ctx: Context) -> Document:
    """Split the text into paragraphs and sentences."""
    paras = paragraphs(doc.text)
    parsed = ctx.parsed(doc) if language_code(doc.language) == "en" else nlp.split(doc.text)
    sents: list[Sentence] = []
    p = 0
    for sent in parsed.sents:
        toks = [t for t in sent if not t.is_space]
        if not toks:
            continue
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        while p + 1 < len(paras) and paras[p].end <= start:
            p += 1
        sents.append(Sentence(start=start, end=end, text=doc.text[start:end], index=len(sents), paragraph=p))
    return doc.with_layers("sentences", "1.0", paragraphs=tuple(paras), sentences=tuple(sents))
