"""Unattributed evaluative assertions: judgements made in the author's own voice.

A body sentence becomes an :class:`Assertion` when the part of it that no statement covers
carries enough evaluative evidence: loaded adjectives, adverbs and nouns from a hand-written
lexicon, contrastive frames ("not merely X; Y"), intensifiers, comparatives and superlatives,
predictive modals ("could reshape") and copular judgements ("X remains a critical concern").
Each cue adds weight; the confidence grows with the total. One pass over the cached parse.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from narrascope.analyzers import lexicons as lx
from narrascope.model import Assertion, Document, Span
from narrascope.pipeline import Context, analyzer

if TYPE_CHECKING:
    from spacy.tokens import Token

VERSION = "1.0"
THRESHOLD = 1.0  # minimum evidence weight for an assertion

_FRAMES = {tuple(k.split()): v for k, v in lx.EVAL_FRAMES.items()}


def _cue_weight(tok: Token) -> float:
    """Evaluative weight of one token on its own (0 when it is not evaluative)."""
    lemma = tok.lemma_.lower()
    low = tok.lower_
    pos = tok.pos_
    if pos == "ADJ" or (pos in ("VERB", "NOUN") and tok.dep_ == "amod"):
        w = lx.EVAL_ADJ.get(lemma, lx.EVAL_ADJ.get(low, 0.0))
        if tok.tag_ in ("JJR", "JJS") and lemma not in ("many", "much", "few", "late", "early"):
            w = max(w, 0.4)
        return w
    if pos == "ADV":
        if low in lx.EVAL_ADV:
            return lx.EVAL_ADV[low]
        if low in lx.INTENSIFIERS and tok.head.pos_ in ("ADJ", "ADV"):
            return 0.4
        if tok.tag_ in ("RBR", "RBS") and tok.head.pos_ in ("ADJ", "ADV"):
            return 0.3
        return 0.0
    if pos == "NOUN":
        return lx.EVAL_NOUNS.get(lemma, 0.0) * (0.8 if tok.dep_ not in ("attr", "dobj", "nsubj") else 1.0)
    if pos == "AUX" and tok.tag_ == "MD" and low in lx.MODALS:
        head = tok.head
        if head.pos_ == "VERB" and head.lemma_.lower() in lx.PREDICTIVE_VERBS:
            return 1.0
        return 0.3 if low in ("could", "might", "may", "must", "should") else 0.0
    return 0.0


def _copular(tok: Token) -> tuple[Token, float] | None:
    """The predicate and weight of a copular judgement headed by ``tok`` ("X is a Y", "X remains high")."""
    if tok.lemma_.lower() not in lx.COPULAS:
        return None
    for child in tok.children:
        if child.dep_ == "acomp" and child.pos_ == "ADJ":
            return child, 0.6
        if child.dep_ in ("attr", "dobj") and child.pos_ == "NOUN" and any(c.dep_ == "amod" for c in child.children):
            return child, 0.5
    return None


def _covered(doc: Document) -> list[tuple[int, int]]:
    out = []
    for st in doc.statements or ():
        lo, hi = st.content.start, st.content.end
        if st.cue is not None:
            lo, hi = min(lo, st.cue.start), max(hi, st.cue.end)
        out.append((lo, hi))
    return out


@analyzer("evaluation", version=VERSION, requires=("sentences", "statements"), assigns=("assertions",), languages=("en",))
def analyze(doc: Document, ctx: Context) -> Document:
    """Find evaluative assertions in the author's voice (sentences no statement covers)."""
    parsed = ctx.parsed(doc)
    covered = _covered(doc)
    sentences = [s for s in doc.sentences or () if s.start >= doc.body_start]
    assertions: list[Assertion] = []
    toks = list(parsed)
    ti = 0
    for sent in sentences:
        while ti < len(toks) and toks[ti].idx < sent.start:
            ti += 1
        cues: list[tuple[int, int, float]] = []
        k = ti
        while k < len(toks) and toks[k].idx < sent.end:
            tok = toks[k]
            pos = tok.idx
            if any(lo <= pos < hi for lo, hi in covered):
                k += 1
                continue
            frame = None
            if k + 1 < len(toks):
                frame = _FRAMES.get((tok.lower_, toks[k + 1].lower_))
            if frame:
                nxt = toks[k + 1]
                cues.append((pos, nxt.idx + len(nxt.text), frame))
                k += 2
                continue
            w = _cue_weight(tok)
            if w:
                end = pos + len(tok.text)
                head = tok.head
                if tok.tag_ == "MD" and head.i > tok.i and head.i - tok.i <= 3:
                    end = head.idx + len(head.text)  # "could reshape"
                cues.append((pos, end, w))
            cop = _copular(tok)
            if cop:
                pred, cw = cop
                cues.append((pred.idx, pred.idx + len(pred.text), cw))
            k += 1
        if not cues:
            continue
        score = sum(w for _, _, w in cues)
        if score < THRESHOLD:
            continue
        strong = [c for c in cues if c[2] >= 0.5] or cues
        spans: list[Span] = []
        for s, e, _ in sorted(strong):
            if spans and s < spans[-1].end:  # merge overlapping cues
                e = max(e, spans[-1].end)
                s = spans.pop().start
            spans.append(Span(start=s, end=e, text=doc.text[s:e]))
        confidence = round(min(0.95, 1.0 - math.exp(-score / 1.5)), 3)
        assertions.append(Assertion(
            start=sent.start, end=sent.end, text=sent.text, sentence=sent.index,
            cues=tuple(spans), confidence=confidence,
        ))
    return doc.with_layers("evaluation", VERSION, assertions=tuple(assertions))
