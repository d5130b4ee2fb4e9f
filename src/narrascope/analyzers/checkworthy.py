"""Check-worthiness: how much each sentence and each attributed statement deserves checking, and why.

A linear model (trained on CLEF CheckThat! 2024 Task 1, English; see
``models/MODEL_CARD_checkworthy.md``) scores a text from three groups of features:

* its USE sentence embedding (:mod:`narrascope.embeddings`);
* TF-IDF word 1–2-grams and character 3–5-grams within words (digit runs read as ``0``);
* **readable features** from the spaCy parse: a number, a percentage or amount of money, a
  named actor, a date, a comparison, a causal claim, a change or trend, a law/vote/budget, a
  first-person opinion, a question. The ones that fire and push the score up are the
  ``reasons`` a user reads (``"names an actor: Pfizer"``); those that push it down are given
  with ``"(lowers the score)"``.

The score is the model's probability of "check-worthy" (``CheckworthyScore.score``); the
decision threshold tuned by cross-validation is :attr:`Model.threshold`. Sentences get
``ref`` = the sentence index, statements ``ref`` = the statement id (scored on their content).
Reports order claims by score ("check these first"): :func:`ranked`.
Inference is plain Python/numpy over the shipped arrays; nothing is downloaded.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from narrascope.model import CheckworthyScore, Document
from narrascope.pipeline import Context, analyzer

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

VERSION = "1.0"
MODEL_NAME = "checkworthy"

# --- readable features -------------------------------------------------------------------------

_NUMBER_WORDS = (r"hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|"
                 r"dozen|dozens|twice|double|doubled|triple|tripled|half|quarter|percent|per cent")
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I)
_QUANTITY = re.compile(r"%|\$|£|€|\b(?:percent|per cent|percentage|dollars?|pounds|euros?|cents?|"
                       r"million|billion|trillion)\b", re.I)
_COMPARISON = re.compile(r"\b(?:more|less|fewer|most|least|than|highest|lowest|largest|smallest|biggest|"
                         r"record|worst|best|greater|lower|higher|larger|faster|slower|only|first|last)\b", re.I)
_CAUSAL = re.compile(r"\b(?:because|cause[sd]?|causing|due to|result(?:s|ed)? in|as a result|led to|lead(?:s)? to|"
                     r"leading to|therefore|thanks to|blame[sd]?|responsible for|so that|since|owing to|"
                     r"driven by|contribut(?:e|es|ed|ing) to)\b", re.I)
_CHANGE = re.compile(r"\b(?:increas\w*|decreas\w*|ris(?:e|es|ing)|rose|fell|fall(?:s|ing)?|grow(?:s|ing|n)?|grew|"
                     r"drop(?:s|ped|ping)?|cut(?:s|ting)?|rais(?:e|ed|es|ing)|lower(?:ed|s)?|doubl\w*|tripl\w*|"
                     r"lost|gained|created|destroy\w*|jump\w*|surg\w*|declin\w*|shrank|rate)\b", re.I)
_POLICY = re.compile(r"\b(?:law|laws|bill|bills|vot(?:e|ed|es|ing)|budget|tax|taxes|deficit|debt|spending|"
                     r"legislation|regulation\w*|signed|veto\w*|passed|ban(?:ned|s)?|fund(?:s|ed|ing)?|"
                     r"sanctions?|treaty|program|programs|programme)\b", re.I)
_OPINION = re.compile(r"\b(?:i|we) (?:think|believe|feel|hope|want|wish|need|should|must|will|would|'ll|'d|"
                      r"love|like|know|am|'m)\b|\bin my (?:opinion|view)\b|\blet me\b|\blet's\b|\bthank you\b|"
                      r"\bthanks\b", re.I)

READABLE: tuple[tuple[str, str], ...] = (
    ("number", "states a number"),
    ("quantity", "gives a percentage or an amount of money"),
    ("actor", "names an actor"),
    ("date", "gives a date or period"),
    ("comparison", "makes a comparison"),
    ("causal", "makes a causal claim"),
    ("change", "describes a change or trend"),
    ("policy", "mentions a law, vote, budget or tax"),
    ("opinion", "is a first-person opinion or aside"),
    ("question", "is a question"),
    ("short", "is very short"),
)
READABLE_NAMES: tuple[str, ...] = tuple(n for n, _ in READABLE)
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC", "LAW"})
_DATE_LABELS = frozenset({"DATE", "TIME"})
_NUM_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})


@dataclass(frozen=True)
class Readable:
    """The readable features of one text: which fired, and the words that made them fire."""

    flags: tuple[float, ...]
    evidence: dict[str, str]


def readable(text: str, ents: Iterable[tuple[str, str]] = ()) -> Readable:
    """Readable features of ``text``; ``ents`` are its named entities as ``(label, text)``."""
    ev: dict[str, str] = {}
    ents = list(ents)

    def fire(name: str, found: str | None) -> None:
        if found and name not in ev:
            ev[name] = found.strip()

    for label, etext in ents:
        if label in _ACTOR_LABELS:
            fire("actor", etext)
        elif label in _DATE_LABELS:
            fire("date", etext)
        elif label in _NUM_LABELS:
            fire("number", etext)
    m = _NUMBER.search(text)
    if m and "number" not in ev:
        # the whole token the match sits in, for a readable reason
        s, e = m.start(), m.end()
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        while e < len(text) and not text[e].isspace():
            e += 1
        fire("number", text[s:e].strip(".,;:!?\"'()"))
    for name, rx in (("quantity", _QUANTITY), ("comparison", _COMPARISON), ("causal", _CAUSAL),
                     ("change", _CHANGE), ("policy", _POLICY), ("opinion", _OPINION)):
        m = rx.search(text)
        if m:
            fire(name, m.group(0))
    if text.rstrip().rstrip("\"'”’)").endswith("?"):
        fire("question", "?")
    if len(text.split()) <= 6:
        fire("short", text)
    return Readable(tuple(1.0 if n in ev else 0.0 for n in READABLE_NAMES), ev)


def readable_span(span: SpacySpan) -> Readable:
    """Readable features of a spaCy span (its entities come from the parse)."""
    return readable(span.text, ((e.label_, e.text) for e in span.ents))


def readable_many(texts: Sequence[str]) -> list[Readable]:
    """Readable features of standalone texts, each parsed on its own (entities from spaCy)."""
    from narrascope import nlp

    return [readable_span(d[:]) for d in nlp.parse_many(texts, batch_size=64)]


# --- text n-grams (plain Python TF-IDF, identical in training and inference) --------------------

_WORD = re.compile(r"(?u)\b\w+\b")
_DIGITS = re.compile(r"\d+")


def words(text: str) -> list[str]:
    return [_DIGITS.sub("0", w) for w in _WORD.findall(text.lower().replace("’", "'"))]


def word_ngrams(text: str) -> list[str]:
    toks = words(text)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]


def char_ngrams(text: str, lo: int = 3, hi: int = 5) -> list[str]:
    out: list[str] = []
    for w in words(text):
        padded = f" {w} "
        for n in range(lo, hi + 1):
            out.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    return out


def tfidf(grams: Sequence[str], vocab: dict[str, int], idf: np.ndarray) -> dict[int, float]:
    """Sublinear-tf × idf, L2-normalised, as ``{column: value}``."""
    counts: dict[int, int] = {}
    for g in grams:
        j = vocab.get(g)
        if j is not None:
            counts[j] = counts.get(j, 0) + 1
    vals = {j: (1.0 + math.log(c)) * float(idf[j]) for j, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vals.values())) or 1.0
    return {j: v / norm for j, v in vals.items()}


# --- the model ----------------------------------------------------------------------------------


@dataclass
class Model:
    """Logistic regression over [USE | word TF-IDF | char TF-IDF | readable] (plain arrays)."""

    word_vocab: dict[str, int]
    word_idf: np.ndarray
    char_vocab: dict[str, int]
    char_idf: np.ndarray
    w_use: np.ndarray
    w_word: np.ndarray
    w_char: np.ndarray
    w_readable: np.ndarray
    bias: float
    threshold: float
    readable_scale: float = 1.0

    def logits(self, texts: Sequence[str], feats: Sequence[Readable] | None = None,
               embeddings: np.ndarray | None = None) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        if feats is None:
            feats = [readable(t) for t in texts]
        if embeddings is None:
            from narrascope.embeddings import encode

            embeddings = encode(list(texts))
        out = np.asarray(embeddings, dtype=np.float32) @ self.w_use + self.bias
        for i, (text, rf) in enumerate(zip(texts, feats, strict=True)):
            z = sum(v * float(self.w_word[j]) for j, v in tfidf(word_ngrams(text), self.word_vocab, self.word_idf).items())
            z += sum(v * float(self.w_char[j]) for j, v in tfidf(char_ngrams(text), self.char_vocab, self.char_idf).items())
            z += self.readable_scale * float(np.dot(np.asarray(rf.flags), self.w_readable))
            out[i] += z
        return np.asarray(out, dtype=np.float64)

    def predict_proba(self, texts: Sequence[str], feats: Sequence[Readable] | None = None,
                      embeddings: np.ndarray | None = None) -> np.ndarray:
        """Probability of check-worthy per text; ``feats`` default to regex-only readable features."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(texts, feats, embeddings))))

    def reasons(self, rf: Readable) -> tuple[str, ...]:
        """Readable reasons, strongest first: those raising the score, then those lowering it."""
        up: list[tuple[float, str]] = []
        down: list[tuple[float, str]] = []
        for k, (name, phrase) in enumerate(READABLE):
            if not rf.flags[k]:
                continue
            w = float(self.w_readable[k])
            found = rf.evidence.get(name, "")
            shown = f"{phrase}: {found}" if found and name not in ("question", "short") else phrase
            if w > 0:
                up.append((w, shown))
            elif w < 0:
                down.append((w, f"{shown} (lowers the score)"))
        return tuple(s for _, s in sorted(up, reverse=True)) + tuple(s for _, s in sorted(down))


def save_model(model: Model, directory: object, extra: dict[str, object] | None = None) -> None:
    """Write ``checkworthy.npz`` (arrays) and ``checkworthy.json`` (vocabularies, threshold)."""
    from pathlib import Path

    d = Path(str(directory))
    d.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(d / f"{MODEL_NAME}.npz", word_idf=model.word_idf.astype(np.float32),
                        char_idf=model.char_idf.astype(np.float32), w_use=model.w_use.astype(np.float32),
                        w_word=model.w_word.astype(np.float32), w_char=model.w_char.astype(np.float32),
                        w_readable=model.w_readable.astype(np.float32), bias=np.float32(model.bias))
    meta = {
        "version": VERSION,
        "threshold": model.threshold,
        "readable_scale": model.readable_scale,
        "readable": list(READABLE_NAMES),
        "word_vocab": sorted(model.word_vocab, key=model.word_vocab.__getitem__),
        "char_vocab": sorted(model.char_vocab, key=model.char_vocab.__getitem__),
        **(extra or {}),
    }
    (d / f"{MODEL_NAME}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@functools.cache
def load_model() -> Model | None:
    """The shipped model, or None where its files are absent."""
    from narrascope import models

    loaded = models.load(MODEL_NAME)
    if loaded is None:
        return None
    arrays, meta = loaded
    return Model(
        word_vocab={g: i for i, g in enumerate(meta["word_vocab"])}, word_idf=arrays["word_idf"],
        char_vocab={g: i for i, g in enumerate(meta["char_vocab"])}, char_idf=arrays["char_idf"],
        w_use=arrays["w_use"], w_word=arrays["w_word"], w_char=arrays["w_char"],
        w_readable=arrays["w_readable"], bias=float(arrays["bias"]), threshold=float(meta["threshold"]),
        readable_scale=float(meta.get("readable_scale", 1.0)),
    )


def ranked(scores: Iterable[CheckworthyScore], target: str | None = None) -> list[CheckworthyScore]:
    """Scores ordered "check these first": highest score first, then text order."""
    chosen = [s for s in scores if target is None or s.target == target]
    return sorted(chosen, key=lambda s: (-s.score, s.span.start, s.target))


def _fallback(rf: Readable) -> float:
    """Readable-feature score where the model files are absent (a documented heuristic)."""
    w = {"number": 1.0, "quantity": 1.0, "actor": 0.6, "date": 0.4, "comparison": 0.5, "causal": 0.5,
         "change": 0.6, "policy": 0.6, "opinion": -1.0, "question": -1.2, "short": -1.0}
    z = -1.0 + sum(w[n] * f for n, f in zip(READABLE_NAMES, rf.flags, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def _fallback_reasons(rf: Readable) -> tuple[str, ...]:
    return tuple(f"{phrase}: {rf.evidence[name]}" if name not in ("question", "short") else phrase
                 for name, phrase in READABLE if name in rf.evidence)


def score_texts(texts: Sequence[str], feats: Sequence[Readable]) -> tuple[list[float], list[tuple[str, ...]]]:
    """Scores and reasons for texts whose readable features are known."""
    model = load_model()
    if model is None:
        return [_fallback(f) for f in feats], [_fallback_reasons(f) for f in feats]
    probs = model.predict_proba(texts, feats)
    return [float(p) for p in probs], [model.reasons(f) for f in feats]


@analyzer(MODEL_NAME, version=VERSION, requires=("sentences", "statements"), assigns=("checkworthy",), languages=("en",))
def analyze(doc: Document, ctx: Context) -> Document:
    """Score every sentence and every attributed statement for check-worthiness, with readable reasons."""
    parsed = ctx.parsed(doc)
    items: list[tuple[str, str, int, int]] = []  # target, ref, start, end
    for s in doc.sentences or ():
        if s.text.strip():
            items.append(("sentence", str(s.index), s.start, s.end))
    for st in doc.statements or ():
        if st.content.text.strip():
            items.append(("statement", st.id, st.content.start, st.content.end))
    feats: list[Readable] = []
    texts: list[str] = []
    for _, _, start, end in items:
        span = parsed.char_span(start, end, alignment_mode="expand")
        texts.append(doc.text[start:end])
        feats.append(readable_span(span) if span is not None else readable(doc.text[start:end]))
    scores, reasons = score_texts(texts, feats)
    out = tuple(
        CheckworthyScore(target=target, ref=ref, span=doc.span(start, end),  # type: ignore[arg-type]
                         score=min(1.0, max(0.0, sc)), reasons=rs)
        for (target, ref, start, end), sc, rs in zip(items, scores, reasons, strict=True)
    )
    return doc.with_layers(MODEL_NAME, VERSION, checkworthy=out)
