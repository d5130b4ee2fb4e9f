"""Persuasion techniques: spans and paragraph labels over the 23 techniques of SemEval-2023 Task 3.

Three small heads, all plain arrays in ``models/``:

- ``techniques_paragraph`` (ST3): one-vs-rest logistic regression per paragraph line over
  ``[mean embedding of the line's sentences, mean embedding of the article]`` + the line's word
  TF-IDF, trained on all six languages; per-language, per-technique thresholds tuned by
  cross-validation (``narrascope train techniques``).
- ``techniques_si``: a token classifier (logistic regression over word, affix, shape and
  neighbour features in a three-token window, the token's place in its sentence, and its
  sentence: the sentence's words and bigrams, length, ``!``/``?``/quotes, headline or not)
  marking tokens inside a propaganda span; consecutive marked tokens make a span (SemEval-2020
  Task 11 SI, English).
- ``techniques_tc``: a span classifier over the 14 SemEval-2020 classes (span words, words around
  it, its length and repetitions in the article, the embedding of its sentence and the span's own
  embedding, pooled from its sentence's token features); its class is mapped to the 2023 taxonomy
  (``docs/technique-mapping.md``, :data:`MAP_2020_TO_2023`).

The analyzer and ``bench predict semeval2020-si`` also read ``techniques_si_context``, a second
opinion on each token from its embedding in context (:class:`ContextSI`), stacked with the token
head's. The benchmark reads every token so and decodes as cross-validation chose for the official
overlap F1, which favours long spans. The analyzer reads in context only the tokens the head gives
some chance (:data:`CONTEXT_FLOOR`), decodes for precise highlights (:data:`ANALYZER_DECODE`) and
takes function words off the ends of its spans (:func:`edge_words`).

The layer holds span-level :class:`TechniqueSpan` items (English only: the span heads are trained
on English) and paragraph-level items, whose span is the whole paragraph line (so
:func:`is_paragraph_level` tells them apart) and whose labels are the ST3 head's plus the
techniques of confident spans inside it.
``paragraph`` is the index into ``doc.paragraphs`` when that layer exists, else the line index.
"""

from __future__ import annotations

import functools
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np

from narrascope.analyzers import lexicons as lx
from narrascope.analyzers.frames import (
    ISO_LANGUAGES,
    Encoded,
    Head,
    encoded,
    language,
    lines,
    load_head,
    logistic,
)
from narrascope.errors import ModelError
from narrascope.model import Document, TechniqueSpan
from narrascope.pipeline import Context, analyzer

VERSION = "1.4"

TECHNIQUES_2023 = (
    "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values", "Appeal_to_Fear-Prejudice",
    "Flag_Waving", "Causal_Oversimplification", "False_Dilemma-No_Choice", "Consequential_Oversimplification",
    "Straw_Man", "Red_Herring", "Whataboutism", "Slogans", "Appeal_to_Time", "Conversation_Killer",
    "Loaded_Language", "Repetition", "Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling", "Doubt", "Guilt_by_Association", "Appeal_to_Hypocrisy", "Questioning_the_Reputation",
)
TECHNIQUES_2020 = (
    "Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation",
    "Flag-Waving", "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Slogans",
    "Thought-terminating_Cliches", "Whataboutism,Straw_Men,Red_Herring",
)
# 2020 class -> its 2023 counterpart (the merged 2020 classes go to their most frequent 2023 part).
MAP_2020_TO_2023 = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "Guilt_by_Association",
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language",
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Conversation_Killer",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism",
}
# 2023 technique -> the 2020 class it falls in (None: no 2020 counterpart).
MAP_2023_TO_2020: dict[str, str | None] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Values": None,
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Flag_Waving": "Flag-Waving",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    "Consequential_Oversimplification": None,
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    "Appeal_to_Time": None,
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Loaded_Language": "Loaded_Language",
    "Repetition": "Repetition",
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Obfuscation-Vagueness-Confusion": None,
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Doubt": "Doubt",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Hypocrisy": None,
    "Questioning_the_Reputation": None,
}

SPAN_LANGS = frozenset({"en"})
# The analyzer decodes SI token probabilities for shorter, more precise highlights (threshold 0.2, gap 1,
# seed 0.4; with CONTEXT_FLOOR and edge_words, cross-fitted overlap precision 0.43, recall 0.33:
# models/techniques_si.json "analyzer"); `semeval2020-si` uses the decoding chosen by
# cross-validation for the official overlap F1 (models/techniques_si.json), which favours long spans.
ANALYZER_DECODE = (0.2, 1, 0.4)
# The analyzer reads in context (the SI context model, :class:`ContextSI`) only the tokens the token head
# alone gives at least this probability, about a quarter of them: out of fold, F1 0.373 against 0.376
# for a floor of 0.08 (a third of the tokens; the same as reading every token), for 6-8 ms less per
# article, which the speed budget of techniques, frames and genre needs (MODEL_CARD_semeval2023.md,
# *Each token in its context*).
CONTEXT_FLOOR = 0.12
# Function words (spaCy's English stop words) are taken off the ends of the analyzer's spans: the
# context model spreads a loaded word's probability to its neighbours ("to relentless aggression and
# that"). Negations, quantifiers and degree words stay, since they can be the technique ("never",
# "nothing but", "the most").
KEPT_EDGE_WORDS = frozenset({
    "against", "all", "any", "anyone", "anything", "each", "every", "everyone", "everything", "least", "less",
    "many", "more", "most", "much", "neither", "never", "no", "nobody", "none", "noone", "nor", "not",
    "nothing", "nowhere", "only", "too", "very", "without", "n't", "n‘t", "n’t"})


@functools.cache
def edge_words() -> frozenset[str]:
    """The words :func:`detect_spans` takes off the ends of a span (see :data:`KEPT_EDGE_WORDS`)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) - KEPT_EDGE_WORDS

# ---------------------------------------------------------------- ST3: paragraph labels


def paragraph_techniques(head: Head, enc: Encoded, text: str, lang: str) -> dict[int, list[tuple[str, float]]]:
    """Techniques per line number (1-based, SemEval's ``paragraph``) above the language's thresholds."""
    doc_vec = enc.vector()
    rows: dict[int, list[int]] = {}
    for si, li in enumerate(enc.sentence_line):
        rows.setdefault(li, []).append(si)
    thr = head.thresholds(lang)
    out: dict[int, list[tuple[str, float]]] = {}
    for li, (number, s, e) in enumerate(enc.lines):
        vec = enc.vector(rows.get(li, []))
        p = head.probabilities(vec, text[s:e], doc_vec)
        out[number] = [(head.labels[j], float(p[j])) for j in np.argsort(-p) if p[j] >= thr[j]]
    return out


# ---------------------------------------------------------------- SI: token classifier

_TOK = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.U)


def _crc(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8"))


def hashed(features: Iterable[str], bits: int) -> np.ndarray:
    """The bucket of each string feature: the low ``bits`` bits of the CRC-32 of its UTF-8 bytes (the
    one hashing of the span heads, in training and here)."""
    mask = (1 << bits) - 1
    return np.fromiter((_crc(f) & mask for f in features), dtype=np.int64)


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOK.finditer(text)]


def _shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if not w[0].isalnum():
        return "p"
    if w.isupper() and len(w) > 1:
        return "X"
    return "Xx" if w[0].isupper() else "x"


def token_features(toks: list[tuple[int, int, str]], i: int, quoted: bool) -> list[str]:
    """Features of token ``i``: word, affixes, shape, two neighbours each side, bigrams."""
    def w(j: int) -> str:
        return toks[j][2].lower() if 0 <= j < len(toks) else ("<s>" if j < 0 else "</s>")

    cur = w(i)
    raw = toks[i][2]
    return [
        "b", f"w={cur}", f"s3={cur[-3:]}", f"p3={cur[:3]}", f"sh={_shape(raw)}",
        f"w-1={w(i - 1)}", f"w+1={w(i + 1)}", f"w-2={w(i - 2)}", f"w+2={w(i + 2)}",
        f"b-={w(i - 1)}|{cur}", f"b+={cur}|{w(i + 1)}", f"sh-={_shape(toks[i - 1][2]) if i else '<s>'}|{_shape(raw)}",
        f"q={int(quoted)}", f"len={min(len(cur), 12)}", f"excl={int('!' in [w(i + k) for k in range(1, 6)])}",
    ]


# Version of the SI feature set the weights must carry (``features`` in techniques_si.json): 4 =
# :func:`si_features` (3, without the valence classes; 2, without the evaluative-word classes either;
# 1, :func:`token_features` alone, was the first model's).
SI_FEATURES = 4


@functools.cache
def _evaluative_words() -> dict[str, str]:
    """Word → class of narrascope's evaluative lexicon (``lexicons``: the ``evaluation`` analyzer's
    adjectives and adverbs "a", nouns "n", intensifiers "i"). Loaded language is evaluative language;
    the class lets the SI model score evaluative words it met seldom or never in training."""
    out = {w: "i" for w in lx.INTENSIFIERS}
    out.update({w: "n" for w in lx.EVAL_NOUNS})
    out.update({f"{w}s": "n" for w in lx.EVAL_NOUNS if not w.endswith("s")})
    out.update({w: "a" for w in (*lx.EVAL_ADJ, *lx.EVAL_ADV)})
    return out


def word_classes(word: str) -> tuple[str, str]:
    """Of a lower-cased word: its :func:`_evaluative_words` class and its VADER valence class ("N"
    ≤ −2.5, "n" ≤ −1.5, "P" ≥ 2.5, "p" ≥ 1.5, "w" weaker); "-" where the lexicon lacks the word."""
    v = lx.valences().get(word)
    if v is None:
        valence = "-"
    else:
        valence = "N" if v <= -2.5 else "n" if v <= -1.5 else "P" if v >= 2.5 else "p" if v >= 1.5 else "w"
    return _evaluative_words().get(word, "-"), valence


# the features of a token that name the :func:`word_classes` of itself and of its neighbours, by offset
_CLASS_SLOTS = {0: ("lx=", "vd="), -1: ("lx-1=", "vd-1="), 1: ("lx+1=", "vd+1=")}
_NO_CLASS = ("-", "-")


def _class_features(d: int, classes: tuple[str, str]) -> list[str]:
    return [f"{name}{c}" for name, c in zip(_CLASS_SLOTS[d], classes, strict=True)]


_QUOTES = frozenset("\"“”«»")


def _sentences(text: str, toks: list[tuple[int, int, str]]) -> list[list[int]]:
    """Token indices per line (the SemEval-2020 articles hold one sentence per line), lines without
    tokens left out. Tokens never hold a line break, so a new line starts where the gap has one."""
    out: list[list[int]] = []
    for i, (s, _, _) in enumerate(toks):
        if not out or "\n" in text[toks[i - 1][1]:s]:
            out.append([])
        out[-1].append(i)
    return out


def si_features(text: str, toks: list[tuple[int, int, str]]) -> tuple[list[list[str]], list[tuple[list[int], list[str]]]]:
    """SI features (:data:`SI_FEATURES` 4): per token, :func:`token_features` plus a wider window,
    its sentence's flags, its place in the sentence and the :func:`word_classes` of itself and
    its neighbours (as many features for every token); per
    sentence, its token indices and its bag of words and bigrams (shared by its tokens, each
    weighted ``sentence_scale / sqrt(len(bag))``)."""
    quoted = _quoted_mask(text, toks)

    def w(j: int) -> str:
        return toks[j][2].lower() if 0 <= j < len(toks) else ("<s>" if j < 0 else "</s>")

    per_token: list[list[str]] = [[] for _ in toks]
    cls = [_NO_CLASS, *(word_classes(t[2].lower()) for t in toks), _NO_CLASS]  # cls[i + 1] is token i
    sents = []
    for k, idx in enumerate(_sentences(text, toks)):
        words = [toks[i][2].lower() for i in idx]
        n = len(idx)
        bag = sorted({f"u={x}" for x in words if x[0].isalnum()}) + sorted({f"bg={x}|{y}" for x, y in zip(words, words[1:], strict=False)})
        sents.append((idx, bag))
        title = int(k == 0)
        flags = [f"slen={min(n // 5, 10)}", f"sex={int('!' in words)}", f"sq={int('?' in words)}",
                 f"squo={int(any(x in _QUOTES for x in words))}", f"title={title}"]
        for r, i in enumerate(idx):
            rel = min(4 * r // n, 3)
            per_token[i] = [
                *token_features(toks, i, quoted[i]),
                f"w-3={w(i - 3)}", f"w+3={w(i + 3)}", f"t-={w(i - 2)}|{w(i - 1)}|{w(i)}",
                f"t+={w(i)}|{w(i + 1)}|{w(i + 2)}", f"t0={w(i - 1)}|{w(i)}|{w(i + 1)}",
                *flags, f"rel={rel}", f"r={min(r, 5)}", f"rr={min(n - 1 - r, 5)}", f"rel|title={rel}|{title}",
                *_class_features(0, cls[i + 1]), *_class_features(-1, cls[i]), *_class_features(1, cls[i + 2]),
            ]
    return per_token, sents


@dataclass(frozen=True)
class HashedLinear:
    """A linear model over hashed string features (``weights`` of shape ``(L, 2**bits)``)."""

    weights: np.ndarray
    bias: np.ndarray
    bits: int
    meta: dict

    def decision(self, feats: list[list[str]]) -> np.ndarray:
        """Decision values, shape ``(len(feats), L)``; every feature list must be non-empty."""
        if not feats:
            return np.zeros((0, self.weights.shape[0]), dtype=np.float32)
        idx = hashed((f for fs in feats for f in fs), self.bits)
        offsets = np.cumsum([0] + [len(fs) for fs in feats[:-1]])
        return np.add.reduceat(self.weights[:, idx], offsets, axis=1).T + self.bias


def save_hashed(name: str, out: object, weights: np.ndarray, bias: np.ndarray, bits: int, meta: dict) -> None:
    from pathlib import Path

    folder = Path(str(out))
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / f"{name}.npz", weights=np.asarray(weights, dtype=np.float16),
                        bias=np.asarray(bias, dtype=np.float32))
    (folder / f"{name}.json").write_text(json.dumps({**meta, "bits": bits}, ensure_ascii=False) + "\n", encoding="utf-8")


@functools.cache
def load_hashed(name: str) -> HashedLinear | None:
    from narrascope import models

    loaded = models.load(name)
    if loaded is None:
        return None
    arrays, meta = loaded
    w = arrays["weights"].astype(np.float32)
    b = arrays["bias"].astype(np.float32)
    return HashedLinear(w if w.ndim == 2 else w[None, :], b.reshape(-1), int(meta["bits"]), meta)


def _quoted_mask(text: str, toks: list[tuple[int, int, str]]) -> list[bool]:
    inside = False
    out = []
    for _, _, t in toks:
        if t in "\"“”«»":
            inside = not inside if t == '"' else t in "“«"
            out.append(False)
            continue
        out.append(inside)
    return out


def token_decisions(model: HashedLinear, text: str) -> tuple[list[tuple[int, int, str]], np.ndarray]:
    """The SI token head's decision value (log-odds) per token of ``text``."""
    toks = tokens(text)
    if not toks:
        return toks, np.zeros(0, np.float32)
    if int(model.meta.get("features", 1)) != SI_FEATURES:
        raise ModelError(f"techniques_si weights are for SI feature set {model.meta.get('features', 1)}, "
                         f"this version reads {SI_FEATURES}", hint="run `narrascope train techniques --parts si`")
    return toks, si_decision(model, text, toks)


def token_probabilities(model: HashedLinear, text: str) -> tuple[list[tuple[int, int, str]], np.ndarray]:
    toks, z = token_decisions(model, text)
    return toks, logistic(z)


def si_decision_reference(model: HashedLinear, text: str, toks: list[tuple[int, int, str]]) -> np.ndarray:
    """The SI model's decision value per token, straight from :func:`si_features` (what training
    sees); :func:`si_decision` computes the same faster."""
    per_token, sents = si_features(text, toks)
    z = model.decision(per_token)[:, 0]
    scale = float(model.meta.get("sentence_scale", 1.0))
    for idx, bag in sents:
        if bag:
            cols = hashed(bag, model.bits)
            z[idx] += scale / math.sqrt(len(bag)) * float(model.weights[0, cols].sum())
    return z


# the features of :func:`si_features` that name one word of the window, by offset from the token
_SLOTS = ((0, "w="), (-1, "w-1="), (1, "w+1="), (-2, "w-2="), (2, "w+2="), (-3, "w-3="), (3, "w+3="))


class _Weights:
    """Weights of the feature strings of a one-output :class:`HashedLinear`, memoised (an article's
    features repeat: its words, their shapes, the sentence flags), with the sums
    :func:`si_decision` takes per distinct word and per sentence length."""

    LIMIT = 400_000  # strings memoised before the memo starts over

    def __init__(self, model: HashedLinear) -> None:
        self.row = model.weights[0]
        self.bits = model.bits
        self.mask = (1 << model.bits) - 1
        self.memo: dict[str, float] = {}
        self.words: dict[str, tuple[float, ...]] = {}
        self.sentences: dict[tuple[int, int], np.ndarray] = {}

    def __call__(self, feature: str) -> float:
        v = self.memo.get(feature)
        if v is None:
            if len(self.memo) >= self.LIMIT:
                self.memo.clear()
                self.words.clear()
            v = self.memo[feature] = float(self.row[_crc(feature) & self.mask])
        return v

    def many(self, features: list[str]) -> np.ndarray:
        """The weight of each feature, as an array (not memoised: for the n-grams, which repeat
        too seldom to pay for a memo)."""
        return self.row[hashed(features, self.bits)].astype(np.float64)

    def word(self, word: str, raw: str) -> tuple[float, ...]:
        """Weights of the features naming ``word`` (the token ``raw``, lower-cased) in each slot of
        :data:`_SLOTS` (with its classes where :data:`_CLASS_SLOTS` names them); the token's own
        slot with its affixes, shape, length and classes."""
        v = self.words.get(raw)
        if v is None:
            cls = word_classes(word)
            own = (self(f"w={word}") + self(f"s3={word[-3:]}") + self(f"p3={word[:3]}")
                   + self(f"sh={_shape(raw)}") + self(f"len={min(len(word), 12)}") + self.classes(0, cls))
            slots = [own]
            for d, name in _SLOTS[1:]:
                slots.append(self(f"{name}{word}") + (self.classes(d, cls) if d in _CLASS_SLOTS else 0.0))
            v = self.words[raw] = tuple(slots)
        return v

    def classes(self, d: int, cls: tuple[str, str]) -> float:
        """Weight of the features naming the :func:`word_classes` ``cls`` of the word at offset ``d``."""
        return sum(self(f) for f in _class_features(d, cls))

    def places(self, m: int, title: int) -> np.ndarray:
        """Per token of a sentence of ``m`` tokens, the weights of the features of its place in it."""
        v = self.sentences.get((m, title))
        if v is None:
            rel = [min(4 * r // m, 3) for r in range(m)]
            v = self.sentences[(m, title)] = np.asarray([
                self(f"rel={rel[r]}") + self(f"r={min(r, 5)}") + self(f"rr={min(m - 1 - r, 5)}")
                + self(f"rel|title={rel[r]}|{title}") for r in range(m)])
        return v


_MEMOS: dict[int, tuple[HashedLinear, _Weights]] = {}


def _weights(model: HashedLinear) -> _Weights:
    hit = _MEMOS.get(id(model))
    if hit is None or hit[0] is not model:
        hit = _MEMOS[id(model)] = (model, _Weights(model))
    return hit[1]


def si_decision(model: HashedLinear, text: str, toks: list[tuple[int, int, str]]) -> np.ndarray:
    """:func:`si_decision_reference`, equal up to float rounding (``tests/test_techniques.py``
    checks), about twice as fast: the features that name one word are summed once per distinct
    word, those of a sentence once per sentence and those of a place in a sentence once per
    sentence length; only the bigram and trigram features are built as strings per token.
    Hand-written because the analyzer's time budget needs it; the reference stays the definition."""
    n = len(toks)
    wt = _weights(model)
    low = [t[2].lower() for t in toks]
    per_word = np.asarray([wt.word(low[i], toks[i][2]) for i in range(n)], dtype=np.float64).reshape(n, len(_SLOTS))
    z = per_word[:, 0] + (wt("b") + float(model.bias[0]))
    for k, (d, name) in enumerate(_SLOTS[1:], start=1):
        # token i's feature names the word at i + d: the column of that word, shifted; a padding word off the ends
        col = np.full(n, wt(f"{name}{'<s>' if d < 0 else '</s>'}") + (wt.classes(d, _NO_CLASS) if d in _CLASS_SLOTS else 0.0))
        if abs(d) >= n:
            pass  # every neighbour at this offset is off the ends
        elif d < 0:
            col[-d:] = per_word[:n + d, k]
        else:
            col[:n - d] = per_word[d:, k]
        z += col
    pad = ["<s>", "<s>", *low, "</s>", "</s>"]  # pad[i + 2] is token i
    shapes = ["<s>", *(_shape(t[2]) for t in toks)]  # shapes[i + 1] is token i
    grams = [g for i in range(2, n + 2) for g in (
        f"b-={pad[i - 1]}|{pad[i]}", f"b+={pad[i]}|{pad[i + 1]}", f"t-={pad[i - 2]}|{pad[i - 1]}|{pad[i]}",
        f"t+={pad[i]}|{pad[i + 1]}|{pad[i + 2]}", f"t0={pad[i - 1]}|{pad[i]}|{pad[i + 1]}",
        f"sh-={shapes[i - 2]}|{shapes[i - 1]}")]
    z += wt.many(grams).reshape(n, 6).sum(axis=1)
    quoted = np.asarray(_quoted_mask(text, toks), dtype=bool)
    z += np.where(quoted, wt("q=1"), wt("q=0"))
    bangs = np.concatenate([[0], np.cumsum([x == "!" for x in low])])  # bangs[j] = "!" among tokens < j
    ahead = bangs[np.minimum(np.arange(n) + 6, n)] - bangs[np.minimum(np.arange(n) + 1, n)]
    z += np.where(ahead > 0, wt("excl=1"), wt("excl=0"))
    scale = float(model.meta.get("sentence_scale", 1.0))
    for k, idx in enumerate(_sentences(text, toks)):
        words = [low[i] for i in idx]
        title = int(k == 0)
        shared = (wt(f"slen={min(len(idx) // 5, 10)}") + wt(f"sex={int('!' in words)}") + wt(f"sq={int('?' in words)}")
                  + wt(f"squo={int(any(x in _QUOTES for x in words))}") + wt(f"title={title}"))
        bag = {f"u={x}" for x in words if x[0].isalnum()} | {f"bg={x}|{y}" for x, y in zip(words, words[1:], strict=False)}
        if bag:
            shared += scale / math.sqrt(len(bag)) * float(wt.many(list(bag)).sum())
        z[idx] += shared + wt.places(len(idx), title)
    return z.astype(np.float32)


def decode_spans(text: str, toks: list[tuple[int, int, str]], probs: np.ndarray, threshold: float,
                 max_gap: int = 0, seed: float = 0.0, trim: Collection[str] = ()) -> list[tuple[int, int, float]]:
    """Runs of tokens at or above ``threshold`` (bridging up to ``max_gap`` tokens below it, never
    across a line break) as ``(start, end, mean prob)``; a run is kept only when one of its tokens
    reaches ``seed`` (hysteresis) and it is at least 3 characters long. Punctuation, and the words of
    ``trim`` (lower case), are taken off both ends of a run first."""
    spans: list[tuple[int, int, float]] = []
    cur: list[int] = []

    def edge(i: int) -> bool:
        word = toks[i][2]
        return not word[0].isalnum() or word.lower() in trim

    def close() -> None:
        while cur and edge(cur[-1]):
            cur.pop()
        while cur and edge(cur[0]):
            cur.pop(0)
        if cur and float(np.max(probs[cur])) >= seed and toks[cur[-1]][1] - toks[cur[0]][0] >= 3:
            spans.append((toks[cur[0]][0], toks[cur[-1]][1], float(np.mean(probs[cur]))))
        cur.clear()

    for i, (s, _, _) in enumerate(toks):
        if probs[i] >= threshold:
            if cur and "\n" in text[toks[cur[-1]][1]:s]:
                close()
            cur.append(i)
        elif cur and i - cur[-1] > max_gap:
            close()
    close()
    return spans


# ---------------------------------------------------------------- SI: each token in its context


@dataclass(frozen=True)
class ContextSI:
    """The SI token head's second opinion for ``bench predict semeval2020-si`` (``techniques_si_context``):
    a logistic regression over each word token's embedding in its context (:func:`token_context`), and
    the weights that stack its log-odds with the token head's (``stack``: head, context, intercept),
    fitted on out-of-fold decisions. The token head reads three words either side as hashed strings; a
    word it met seldom or never in 371 articles tells it little, while the encoder places any word
    among the ones it resembles. ``decode`` is the span decoding chosen by cross-validation for the
    stacked probabilities."""

    weights: np.ndarray
    bias: float
    stack: np.ndarray
    window: int
    decode: tuple[float, int, float]

    def probabilities(self, head_decisions: np.ndarray, context: np.ndarray) -> np.ndarray:
        """Stacked probability per token from the token head's decisions and :func:`token_context` rows."""
        if len(head_decisions) == 0:
            return np.zeros(0, np.float32)
        if context.shape[1] != len(self.weights):
            raise ModelError(f"the techniques_si_context weights read {len(self.weights)} features, the tokens have "
                             f"{context.shape[1]}", hint="retrain with `narrascope train techniques --data PATH --parts si`, "
                                                         "or reinstall narrascope so its model files match")
        z = self.stack[0] * head_decisions + self.stack[1] * (context @ self.weights + self.bias) + self.stack[2]
        return logistic(z).astype(np.float32)


@functools.cache
def load_si_context() -> ContextSI | None:
    from narrascope import models

    loaded = models.load("techniques_si_context")
    if loaded is None:
        return None
    arrays, meta = loaded
    d = meta["decode"]
    return ContextSI(arrays["weights"].astype(np.float32), float(arrays["bias"]), arrays["stack"].astype(np.float32),
                     int(meta["window"]), (float(d[0]), int(d[1]), float(d[2])))


def token_context(text: str, enc: Encoded, toks: list[tuple[int, int, str]], window: int) -> np.ndarray:
    """Each word token's embedding in its context, shape ``(len(toks), 512)``: the encoder's features of
    its own tokens and ``window`` tokens either side, pooled from the token features of the sentences
    ``enc`` encoded (:func:`narrascope.analyzers.roles.pooled_windows`): a sum and the encoder's output
    layers per token, no new encoding."""
    from narrascope.analyzers.roles import pooled_windows

    return pooled_windows(text, enc.sentences, [(s, e) for s, e, _ in toks], window)


def token_probabilities_in_context(si: HashedLinear, ctx_model: ContextSI, text: str, enc: Encoded,
                                   floor: float = 0.0) -> tuple[list[tuple[int, int, str]], np.ndarray]:
    """Each token's probability of lying in a propaganda span, from the token head and the context
    model stacked (what ``bench predict semeval2020-si`` decodes). With a ``floor`` (the analyzer's
    :data:`CONTEXT_FLOOR`), only the tokens the head alone gives at least ``floor`` are read in
    context, since the pooling is the costly part; the others keep the head's probability, under
    the floor."""
    toks, z = token_decisions(si, text)
    head = logistic(z).astype(np.float32)
    if not toks:
        return toks, head
    keep = np.flatnonzero(head >= floor)
    probs = head.copy()
    if len(keep):
        probs[keep] = ctx_model.probabilities(z[keep], token_context(text, enc, [toks[i] for i in keep],
                                                                     ctx_model.window))
    return toks, probs


# ---------------------------------------------------------------- TC: span classifier


def span_text_features(text: str, start: int, end: int, repeats: int) -> list[str]:
    """Hashed-feature strings of a span: its words, words around it, length and repetitions."""
    words = [t.lower() for t in re.findall(r"\w+|[!?]", text[start:end])]
    left = [t.lower() for t in re.findall(r"\w+", text[max(0, start - 60):start])][-3:]
    right = [t.lower() for t in re.findall(r"\w+", text[end:end + 60])][:3]
    n = len(words)
    feats = ["b", f"len={min(n, 10) if n < 10 else 10 + min(n // 10, 5)}", f"rep={min(repeats, 4)}",
             f"first={words[0] if words else ''}", f"last={words[-1] if words else ''}",
             f"chars={min((end - start) // 20, 10)}"]
    feats += [f"w={w}" for w in words]
    feats += [f"bg={a}|{b}" for a, b in zip(words, words[1:], strict=False)]
    feats += [f"l={w}" for w in left] + [f"r={w}" for w in right]
    if left:
        feats.append(f"l1={left[-1]}")
    if right:
        feats.append(f"r1={right[0]}")
    if text[start:end][:1].isupper():
        feats.append("cap")
    if '"' in text[max(0, start - 1):end + 1] or "“" in text[max(0, start - 1):end + 1]:
        feats.append("quote")
    return feats


def repeats_of(text: str, start: int, end: int) -> int:
    needle = text[start:end].strip().lower()
    return text.lower().count(needle) - 1 if needle else 0


def classify_spans(model: HashedLinear, emb_w: np.ndarray | None, text: str, spans: list[tuple[int, int]],
                   context: np.ndarray | None) -> np.ndarray:
    """Class probabilities (2020 classes) of each span; ``context`` = each span's dense block
    (:func:`span_context`)."""
    feats = [span_text_features(text, s, e, repeats_of(text, s, e)) for s, e in spans]
    z = model.decision(feats)
    if emb_w is not None and context is not None and len(spans):
        if context.shape[1] != emb_w.shape[1]:
            raise ModelError(f"the techniques_tc embedding weights read {emb_w.shape[1]} dense features, "
                             f"the spans have {context.shape[1]}",
                             hint="retrain with `narrascope train techniques --data PATH --parts tc`, "
                                  "or reinstall narrascope so its model files match")
        z = z + context @ emb_w.T
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def tc_probabilities(model: HashedLinear, text: str, enc: Encoded, spans: list[tuple[int, int]]) -> np.ndarray:
    """:func:`classify_spans` with the shipped embedding weights and the dense block the head was
    trained with (``span_scale`` in its metadata)."""
    return classify_spans(model, _tc_embedding_weights(), text, spans,
                          span_context(text, enc, spans, float(model.meta.get("span_scale", 0.0))))


@functools.cache
def _tc_embedding_weights() -> np.ndarray | None:
    from narrascope import models

    loaded = models.load("techniques_tc_emb", meta=False)
    return None if loaded is None else loaded[0]["weights"].astype(np.float32)


def sentence_context(enc: Encoded, spans: list[tuple[int, int]]) -> np.ndarray:
    """The embedding of the sentence holding each span's start (zeros when none does)."""
    out = np.zeros((len(spans), enc.embeddings.shape[1] if enc.embeddings.ndim == 2 else 512), np.float32)
    starts = [s for s, _ in enc.sentences]
    import bisect

    for k, (s, _) in enumerate(spans):
        i = bisect.bisect_right(starts, s) - 1
        if 0 <= i < len(enc.sentences) and enc.sentences[i][0] <= s < enc.sentences[i][1] + 1:
            out[k] = enc.embeddings[i]
    return out


def span_context(text: str, enc: Encoded, spans: list[tuple[int, int]], span_scale: float) -> np.ndarray:
    """TC's dense block per span: the embedding of its sentence (:func:`sentence_context`) and, unless
    ``span_scale`` is 0, the span's own embedding times ``span_scale``. The latter is pooled from the
    token features of the sentences ``enc`` encoded (:func:`narrascope.analyzers.roles.pooled_windows`
    with no window), so it costs a sum and the encoder's output layers, not a new encoding: the words of
    a span "in its context", which a bag of hashed words cannot generalise from."""
    ctx = sentence_context(enc, spans)
    if not span_scale:
        return ctx
    from narrascope.analyzers.roles import pooled_windows

    own = pooled_windows(text, enc.sentences, spans, 0)  # (0, 512) for no spans
    return np.hstack([ctx, np.float32(span_scale) * own]).astype(np.float32)


def detect_spans(text: str, enc: Encoded) -> list[tuple[int, int, str, float]]:
    """Technique spans (2023 names) with confidence: SI spans labelled by the TC head."""
    si = load_hashed("techniques_si")
    tc = load_hashed("techniques_tc")
    if si is None:
        return []
    context = load_si_context()
    if context is not None:
        toks, probs = token_probabilities_in_context(si, context, text, enc, CONTEXT_FLOOR)
    else:
        toks, probs = token_probabilities(si, text)
    spans = decode_spans(text, toks, probs, *ANALYZER_DECODE, trim=edge_words())
    if not spans:
        return []
    if tc is None:
        return [(s, e, "Loaded_Language", p) for s, e, p in spans]
    classes = tc.meta["labels"]
    p = tc_probabilities(tc, text, enc, [(s, e) for s, e, _ in spans])
    out = []
    for (s, e, ps), row in zip(spans, p, strict=True):
        j = int(np.argmax(row))
        out.append((s, e, MAP_2020_TO_2023[classes[j]], float(math.sqrt(max(ps, 0.0) * row[j]))))
    return out


# ---------------------------------------------------------------- the analyzer


def is_paragraph_level(t: TechniqueSpan, doc: Document) -> bool:
    """Whether ``t`` is a paragraph-level label (its span is a whole non-blank line of the text)."""
    return any(s == t.start and e == t.end for _, s, e in lines(doc.text))


def _paragraph_index(doc: Document, offset: int, lines: list[tuple[int, int, int]]) -> int | None:
    if doc.paragraphs:
        for p in doc.paragraphs:
            if p.start <= offset < p.end:
                return p.index
        return None
    for i, (_, s, e) in enumerate(lines):
        if s <= offset < e:
            return i
    return None


@analyzer("techniques", version=VERSION, assigns=("techniques",), languages=ISO_LANGUAGES)
def analyze(doc: Document, ctx: Context) -> Document:
    """Persuasion-technique spans (English) and paragraph labels (six languages)."""
    enc = encoded(doc)
    if not enc.sentences:
        return doc.with_layers("techniques", VERSION, techniques=())
    lang = language(doc, ctx)
    found: list[TechniqueSpan] = []
    span_rows = detect_spans(doc.text, enc) if lang in SPAN_LANGS else []
    by_line: dict[int, Counter[str]] = {}
    line_of = {}
    for i, (number, s, e) in enumerate(enc.lines):
        line_of[number] = (i, s, e)
    for s, e, tech, conf in span_rows:
        found.append(TechniqueSpan(start=s, end=e, text=doc.text[s:e], technique=tech,
                                   confidence=round(min(max(conf, 0.0), 1.0), 4),
                                   paragraph=_paragraph_index(doc, s, enc.lines)))
        for number, (_, ls, le) in line_of.items():
            if ls <= s < le and conf >= 0.5:
                by_line.setdefault(number, Counter())[tech] += 1
    head = load_head("techniques_paragraph")
    per_line = paragraph_techniques(head, enc, doc.text, lang) if head is not None else {}
    for number, (_, s, e) in line_of.items():
        labels = dict(per_line.get(number, []))
        for tech in by_line.get(number, {}):
            labels.setdefault(tech, 0.5)
        for tech, conf in sorted(labels.items(), key=lambda kv: -kv[1]):
            found.append(TechniqueSpan(start=s, end=e, text=doc.text[s:e], technique=tech,
                                       confidence=round(min(max(conf, 0.0), 1.0), 4),
                                       paragraph=_paragraph_index(doc, s, enc.lines)))
    found.sort(key=lambda t: (t.start, -t.end))
    return doc.with_layers("techniques", VERSION, techniques=tuple(found))
