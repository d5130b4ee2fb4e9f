"""Entity roles (SemEval-2025 Task 10, subtask 1): protagonist / antagonist / innocent and fine roles.

Each entity of the entity layer (person, organisation, place, group) gets **one** role, applied
to all its mentions, aliases, nominals and pronouns included, so "Putin", "the Russian president"
and "his" share it. The analyzer emits one :class:`EntityRole` per mention of a confidently
scored entity (``entity_id`` ties them together): only the :data:`MAX_ENTITIES` most-mentioned
entities are scored (for speed; in English not an entity named only as a modifier, nor a place
named once that sets the scene), and only those whose calibrated, prior-corrected main-role
probability reaches :data:`MIN_CONFIDENCE` are cast (``benchmarks/roles_casting.py``).
``evidence`` is the (up to three) sentences holding that entity's mentions that push hardest
towards the chosen main role.

Features (:func:`features`), the same in the benchmark, in training and here:

* the mention's context, and the mean of the contexts of (up to :data:`MAX_WINDOWS`) mentions of
  the same entity (entity pooling). The context is, per language (chosen by cross-validation and
  recorded in ``roles.json``), the sentence holding the mention, a *pooled* window of
  :data:`WINDOW_TOKENS` tokens either side (the encoder's token features of the article's
  sentences summed over the window: :func:`pooled_windows`), both free once the article's
  sentences are encoded (the ``narratives`` analyzer has done it, and :mod:`narrascope.embeddings`
  caches them), or a window of :data:`WINDOW_WORDS` words either side encoded as a text of its own
  (one more text per mention);
* the article: the mean of its sentences;
* the entity's name, and its element-wise products with the article and with the context (so a
  linear model can learn "this entity in this kind of article");
* three scalars: how often and how early the entity appears, whether it is in the title.

In English, rules on spaCy's parse then raise the odds of two roles the encoder rarely finds
(:func:`role_cues`; their weights ``cue_bias`` are chosen by cross-validation). Innocent's odds
rise for a mention that is harmed or protected: the object or passive subject of a harm or
protection verb, or the target of an attack. Protagonist's odds rise for one that helps, protects
or resists, is praised, or stands in a sentence that calls someone a hero. The sentences holding
the cues lead the evidence of an entity cast in that role. Nine grammar features from the same
parse (:func:`grammar_features`: whether the entity's mentions speak, are subjects or objects, the
valence of the words that govern them and of the words around them) add log-odds per main role
inside the head's calibration, weighted by likelihood on out-of-fold probabilities.

All embeddings come from :mod:`narrascope.embeddings` (multilingual USE v3). One head per
language (bg, en, hi, pt, ru; others use the English one). The main role is a multinomial
logistic regression; fine roles are one-vs-rest logistic regressions, each trained
on the mentions of its main role, decoded within the predicted main role's fine roles (the top
one always, others above a threshold). Weights: ``models/roles.npz`` + ``models/roles.json``,
trained by ``narrascope train roles`` (:mod:`narrascope.training.roles`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from narrascope.analyzers.narratives import split_sentences as narrative_units
from narrascope.errors import ModelError
from narrascope.label_shift import adjusted_count
from narrascope.model import Document
from narrascope.model.document import Entity, EntityRole, Evidence, Span
from narrascope.pipeline import Context, analyzer, language_code

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

VERSION = "1.8"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
MAIN_ROLES = ("Antagonist", "Innocent", "Protagonist")
FINE_ROLES: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": (
        "Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy", "Saboteur",
        "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot",
    ),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}
ENTITY_TYPES = frozenset({"person", "organisation", "place", "group"})
WINDOW_WORDS = 12
# a "pooled" window: this many tokens either side of the mention (about WINDOW_WORDS words)
WINDOW_TOKENS = 16
MAX_WINDOWS = 3
# what stands for a mention's context: "sentence" (the sentence holding it, free once the article's
# sentences are encoded), "pooled" (WINDOW_TOKENS tokens either side, pooled from the sentences'
# token features, free too), "hybrid" or "window" (WINDOW_WORDS words either side, encoded per
# mention); the shipped model's roles.json says which each language's head was trained with
CONTEXT = "sentence"
CONTEXTS = ("sentence", "hybrid", "window", "pooled")
PRODUCT_SCALE = 20.0
N_SCALARS = 3
# The analyzer's casting rule (analyzer 1.5), measured on held-out SemEval-2025 articles with the
# analyzer's own entities (benchmarks/roles_casting.py; MODEL_CARD_roles.md, "Casting"): the head's
# calibrated main-role probabilities, their pull towards the SemEval role priors weakened by
# PRIOR_CORRECTION (see LanguageHead.predict; the benchmark keeps the full pull, 0), the
# MAX_ENTITIES most-mentioned entities scored, those reaching MIN_CONFIDENCE cast.
# ``ctx.config["roles"]`` may set ``prior_correction``, ``min_confidence`` and ``max_entities``, and
# ``model`` (a RoleModel in place of the shipped one, for held-out checks).
MIN_CONFIDENCE = 0.45
PRIOR_CORRECTION = 0.25
MAX_ENTITIES = 12

_WORD = re.compile(r"\S+")


# --------------------------------------------------------------------------- text helpers
def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)``: the `narratives` analyzer's units (line breaks and sentence
    punctuation), so that the sentences it encodes are the ones the role heads read (the encoder's
    cache serves both); the whole text when it has none. Since stop 20 (feature version f5); the
    heads' own splitter before gave the same CV figures within 0.002 in all five languages."""
    return narrative_units(text) or [(0, len(text))]


def window(text: str, start: int, end: int, n_words: int = WINDOW_WORDS) -> str:
    """``n_words`` words either side of ``text[start:end]`` (the mention kept), on one line."""
    left = text[max(0, start - 12 * n_words) : start]
    right = text[end : end + 12 * n_words]
    lw = _WORD.findall(left)[-n_words:]
    rw = _WORD.findall(right)[:n_words]
    return " ".join([*lw, text[start:end], *rw])


def sentence_of(spans: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the sentence holding ``offset`` (the nearest one before it otherwise)."""
    lo, hi = 0, len(spans) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if spans[mid][0] <= offset:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


# --------------------------------------------------------------------------- features
@dataclass(frozen=True)
class Target:
    """One mention to classify: its span, the spans of all mentions of its entity (itself included)
    and the entity's surface name."""

    start: int
    end: int
    group: tuple[tuple[int, int], ...]
    surface: str = ""


Encoder = Callable[[Sequence[str]], np.ndarray]


def _row(win: np.ndarray, gwin: np.ndarray, doc: np.ndarray, surf: np.ndarray, scalars: np.ndarray) -> np.ndarray:
    return np.concatenate([win, gwin, doc, surf, surf * doc * PRODUCT_SCALE, surf * win * PRODUCT_SCALE, scalars])


def features(
    text: str,
    sent_spans: Sequence[tuple[int, int]],
    targets: Sequence[Target],
    encode: Encoder | None = None,
    context: str = CONTEXT,
) -> tuple[np.ndarray, np.ndarray]:
    """The feature matrix of ``targets`` in one article (one row per target), and the sentence
    embeddings. Blocks: the mention's context, the mean of (up to :data:`MAX_WINDOWS`) contexts of
    its entity's mentions, the article (mean of its sentences), the entity's name, name x article,
    name x context, and three scalars (log mention count, how early, in the title).

    ``context="sentence"``: a mention's context is the sentence holding it (its embedding is the
    one the ``narratives`` analyzer already computed, so the article's only new texts to encode are
    the entity names); ``"hybrid"``: the target mention's own context is a window of
    :data:`WINDOW_WORDS` words either side (one encoded text per target), its entity's are
    sentences; ``"window"``: windows everywhere (up to 1 + :data:`MAX_WINDOWS` encoded texts per
    target; the features of roles model 1.0); ``"pooled"``: windows everywhere, each pooled from the
    sentences' token features (:func:`pooled_windows`; nothing encoded but sentences and names)."""
    if encode is None:
        from narrascope.embeddings import encode as default_encode

        encode = default_encode
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    if not sent_spans:
        context = "window"
    surfaces = sorted({t.surface or text[t.start : t.end] for t in targets})
    keys: dict[tuple[int, int], int] = {}
    own: dict[tuple[int, int], int] = {}
    if context in ("window", "pooled"):
        for t in targets:
            for span in ((t.start, t.end), *sorted(t.group)[:MAX_WINDOWS]):
                keys.setdefault(span, len(keys))
    elif context == "hybrid":
        for t in targets:
            keys.setdefault((t.start, t.end), len(keys))
    windows = [] if context == "pooled" else [window(text, s, e) for s, e in keys]
    texts = [text[s:e] for s, e in sent_spans] + windows + surfaces
    emb = np.asarray(encode(texts), dtype=np.float32)
    n_s, n_w = len(sent_spans), len(windows)
    sent_emb, win_emb, surf_emb = emb[:n_s], emb[n_s : n_s + n_w], emb[n_s + n_w :]
    if context == "pooled":
        win_emb = pooled_windows(text, sent_spans, list(keys))
    if context in ("window", "pooled"):
        own = keys
    else:  # mentions' sentences, as rows of win_emb (the own windows, if any, come after them)
        own = {sp: n_s + i for sp, i in keys.items()}
        keys = {}
        for t in targets:
            for span in ((t.start, t.end), *sorted(t.group)):
                keys.setdefault(span, sentence_of(sent_spans, span[0]))
        if context == "sentence":
            own = dict(keys)
        win_emb = np.concatenate([sent_emb, win_emb])
    surf_index = {s: i for i, s in enumerate(surfaces)}
    dim = emb.shape[1] if emb.ndim == 2 and emb.shape[0] else 512
    doc_vec = _unit(sent_emb.mean(axis=0)) if n_s else np.zeros(dim, np.float32)
    title_end = sent_spans[0][1] if sent_spans else 0
    n_sent = max(1, n_s)
    rows = []
    for t in targets:
        group = sorted(set(t.group) | {(t.start, t.end)})
        first = sentence_of(sent_spans, group[0][0]) if sent_spans else 0
        if context not in ("window", "pooled"):  # the first MAX_WINDOWS distinct sentences holding a mention
            rows_g = list(dict.fromkeys(keys[sp] for sp in group if sp in keys))[:MAX_WINDOWS]
        else:
            rows_g = [keys[sp] for sp in group[:MAX_WINDOWS] if sp in keys]
        g_win = _unit(win_emb[rows_g].mean(axis=0))
        scalars = np.array(
            [np.log1p(len(group)) / 3.0, 1.0 - first / n_sent, float(any(s < title_end for s, _ in group))],
            np.float32,
        )
        surf = surf_emb[surf_index[t.surface or text[t.start : t.end]]]
        rows.append(_row(win_emb[own[(t.start, t.end)]], g_win, doc_vec, surf, scalars))
    if not rows:
        return np.zeros((0, 6 * dim + N_SCALARS), np.float32), sent_emb
    return np.vstack(rows).astype(np.float32), sent_emb


def pooled_windows(text: str, sent_spans: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]],
                   n_tokens: int | None = None) -> np.ndarray:
    """Embeddings of the runs of ``n_tokens`` tokens either side of each span (the span kept),
    pooled from the article's sentences' token features (:func:`narrascope.embeddings.token_features`)
    instead of encoding each window as a text of its own: the sentences are encoded once for the
    article (the ``narratives`` analyzer has done it already), so a window costs a sum and the
    encoder's output layers. A run crosses sentence ends where the window does (the tokens of the
    article's sentences, ``<s>``/``</s>`` left out, laid end to end)."""
    from narrascope import embeddings

    if not spans:
        return np.zeros((0, embeddings.DIMENSIONS), np.float32)
    n_tokens = WINDOW_TOKENS if n_tokens is None else n_tokens
    feats = [f[1:-1] for f in embeddings.token_features([text[s:e] for s, e in sent_spans])]
    offs = np.cumsum([0] + [len(f) for f in feats])
    total = int(offs[-1])
    if total == 0:  # nothing but blank sentences: the words around each span, as texts
        return np.asarray(embeddings.encode([window(text, s, e) for s, e in spans]), np.float32)
    sums = np.zeros((len(spans), feats[0].shape[1]), np.float32)
    counts = np.zeros(len(spans), np.int64)
    # the encoder's tokens in each sentence prefix, counted once per distinct prefix: trailing spaces
    # add no token, so one word's end and the next word's start share a count (the techniques
    # analyzer pools runs of words: a third fewer tokenizer calls there)
    prefix_tokens: dict[tuple[int, int], int] = {}

    def prefix(j: int, pos: int) -> int:
        sj = sent_spans[j][0]
        end = sj + len(text[sj : max(pos, sj)].rstrip(embeddings.TRAILING_SPACE))
        n = prefix_tokens.get((sj, end))
        if n is None:
            n = prefix_tokens[sj, end] = min(embeddings.n_tokens(text[sj:end]), len(feats[j]))
        return n

    for k, (s, e) in enumerate(spans):
        j = sentence_of(sent_spans, s)
        a = int(offs[j]) + prefix(j, s)
        b = max(a + 1, int(offs[j]) + prefix(j, e))
        lo, hi = max(0, a - n_tokens), min(total, b + n_tokens)
        for i in range(int(np.searchsorted(offs, lo, side="right")) - 1, len(feats)):
            if offs[i] >= hi:
                break
            part = feats[i][max(lo - int(offs[i]), 0) : hi - int(offs[i])]
            sums[k] += part.sum(axis=0)
            counts[k] += len(part)
    return embeddings.pool(sums, counts)


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class Prediction:
    main_role: str
    fine_roles: tuple[str, ...]
    confidence: float
    main_probs: tuple[float, ...]


class LanguageHead:
    """One language's heads: main-role softmax weights and per-fine-role sigmoid weights."""

    def __init__(self, main_w: np.ndarray, main_b: np.ndarray, fine_w: np.ndarray, fine_b: np.ndarray,
                 threshold: float, fine_roles: Sequence[str], fine_parent: Sequence[str],
                 priors: Sequence[float] | None = None, context: str = "window",
                 cue_bias: Sequence[float] | None = None, fine_cue_bias: float = 0.0,
                 calibration: Sequence[float] | None = None, grammar: dict[str, Any] | None = None,
                 antagonist_rates: dict[str, float] | None = None) -> None:
        self.main_w, self.main_b = main_w.astype(np.float32), main_b.astype(np.float32)
        self.fine_w, self.fine_b = fine_w.astype(np.float32), fine_b.astype(np.float32)
        self.threshold = float(threshold)
        self.fine_roles, self.fine_parent = tuple(fine_roles), tuple(fine_parent)
        self.priors = np.asarray(priors if priors is not None else [1.0] * len(MAIN_ROLES), np.float32)
        self.context = context  # the mention context its features use (see features())
        # log-odds added to each main role per unit of its parse cue (role_cues(); zeros: no cues used)
        self.cue_bias = np.asarray(cue_bias if cue_bias is not None else [0.0] * len(MAIN_ROLES), np.float32)
        # weight of the fine-role words (fine_cues(); 0: not used)
        self.fine_cue_bias = float(fine_cue_bias)
        # [temperature, bias per main role] fitted on out-of-fold probabilities (calibrate(); None: none)
        self.calibration = None if calibration is None else [float(v) for v in calibration]
        # log-odds per main role from the parse's grammar features, fitted with the calibration
        # (grammar_features(); None: not used): standardised by mean and scale, times weights
        self.grammar = grammar if self.calibration is not None else None
        # how often the (calibrated) head calls antagonists and the others Antagonist, out of fold
        # (adapt_to_batch; None: not recorded)
        self.antagonist_rates = antagonist_rates
        if self.grammar is not None and list(self.grammar.get("features", ())) != list(GRAMMAR_FEATURES):
            raise ModelError("roles.json's grammar features are not this analyzer's "
                             f"({self.grammar.get('features')} against {list(GRAMMAR_FEATURES)})",
                             hint="retrain the roles heads: `narrascope train roles --data PATH`")

    @property
    def uses_cues(self) -> bool:
        return bool(np.any(self.cue_bias))

    @property
    def uses_grammar(self) -> bool:
        return self.grammar is not None

    @property
    def reads_parse(self) -> bool:
        """Whether anything of the head reads the English parse (:func:`parse_cues`)."""
        return self.uses_cues or bool(self.fine_cue_bias) or self.uses_grammar

    def main_proba(self, X: np.ndarray) -> np.ndarray:
        logits = X @ self.main_w.T + self.main_b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]

    def fine_proba(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(X @ self.fine_w.T + self.fine_b)))  # type: ignore[no-any-return]

    def predict(self, X: np.ndarray, prior_correction: float = 0.0, cues: np.ndarray | None = None,
                fine_cues: np.ndarray | None = None, grammar: np.ndarray | None = None) -> list[Prediction]:
        """Roles of the rows of ``X``. ``prior_correction`` a > 0 divides the main-role probabilities
        by the training priors to the power a (and renormalises): 0 suits the SemEval distribution
        (70 % antagonists in English), 1 treats the three roles as equally likely a priori.
        ``cues`` (a row of strengths per row of ``X``, from :func:`role_cues`) raises each main role's
        odds by ``exp(cue_bias × strength)``; ``fine_cues`` (from :func:`fine_cues`) multiplies the
        fine roles' scores by ``exp(fine_cue_bias × share)``. The head's calibration (if any) comes
        between the cues and the prior correction, with the log-odds of the ``grammar`` features (from
        :func:`grammar_features`) where the head has weights for them."""
        if len(X) == 0:
            return []
        return decode(self.main_adjusted(X, prior_correction, cues, grammar), self.fine_adjusted(X, fine_cues),
                      MAIN_ROLES, self.fine_roles, self.fine_parent, self.threshold)

    def fine_adjusted(self, X: np.ndarray, fine_cues: np.ndarray | None = None) -> np.ndarray:
        """Fine-role scores with the fine-role words of :meth:`predict`."""
        fine_p = self.fine_proba(X)
        if fine_cues is not None and self.fine_cue_bias:
            fine_p = fine_p * np.exp(self.fine_cue_bias * np.asarray(fine_cues, np.float32).reshape(fine_p.shape))
        return fine_p

    def main_adjusted(self, X: np.ndarray, prior_correction: float = 0.0,
                      cues: np.ndarray | None = None, grammar: np.ndarray | None = None) -> np.ndarray:
        """Main-role probabilities with the parse cues, the head's calibration (and grammar features)
        and the prior correction of :meth:`predict`."""
        main_p = self.main_proba(X)
        if cues is not None and self.uses_cues:
            main_p = main_p * np.exp(np.asarray(cues, np.float32).reshape(len(X), -1) * self.cue_bias)
            main_p /= main_p.sum(axis=1, keepdims=True)
        if self.calibration is not None:
            shift = None if self.grammar is None or grammar is None else grammar_log_odds(self.grammar, grammar)
            main_p = calibrate(main_p, self.calibration, shift)
        if prior_correction:
            main_p = main_p / np.maximum(self.priors, 1e-6) ** prior_correction
            main_p /= main_p.sum(axis=1, keepdims=True)
        return main_p


class RoleModel:
    """The shipped heads, one per language: plain arrays in ``roles.npz`` (``<lang>_main_w`` …),
    names and settings in ``roles.json``."""

    def __init__(self, heads: dict[str, LanguageHead], meta: dict[str, object]) -> None:
        self.heads = heads
        self.meta = meta

    @classmethod
    def load(cls, directory: Path = MODEL_DIR, name: str = "roles") -> RoleModel:
        npz, js = directory / f"{name}.npz", directory / f"{name}.json"
        if not npz.exists() or not js.exists():
            raise ModelError(f"the entity-role weights are missing ({npz.name})",
                             hint="run `narrascope train roles --data PATH`")
        meta = json.loads(js.read_text(encoding="utf-8"))
        heads = {}
        with np.load(npz, allow_pickle=False) as data:
            for lang, setting in meta["heads"].items():
                heads[lang] = LanguageHead(data[f"{lang}_main_w"], data[f"{lang}_main_b"], data[f"{lang}_fine_w"],
                                           data[f"{lang}_fine_b"], setting["threshold"], meta["fine_roles"],
                                           meta["fine_parent"], setting.get("priors"),
                                           str(setting.get("context", meta.get("context", "window"))),
                                           **head_options(setting))
        return cls(heads, meta)

    def head(self, language: str | None) -> LanguageHead:
        """The head of ``language`` (ISO 639-1 or the task's upper-case code); English otherwise."""
        return self.heads.get(language_code(language)) or self.heads["en"]


def head_options(setting: dict[str, Any]) -> dict[str, Any]:
    """A head's ``cue_bias`` (per main role), ``fine_cue_bias``, ``calibration`` and ``grammar`` from
    its ``roles.json`` setting, as :class:`LanguageHead` keyword arguments."""
    return {"cue_bias": [float(setting.get("cue_bias", {}).get(r, 0.0)) for r in MAIN_ROLES],
            "fine_cue_bias": float(setting.get("fine_cue_bias", 0.0)),
            "calibration": setting.get("calibration"), "grammar": setting.get("grammar"),
            "antagonist_rates": setting.get("antagonist_rates")}


def calibrate(main_p: np.ndarray, calibration: Sequence[float], shift: np.ndarray | None = None) -> np.ndarray:
    """Bias-corrected temperature scaling of main-role probabilities: softmax(log p / T + b), with
    ``calibration`` = [T, b per main role] fitted by likelihood on out-of-fold probabilities
    (``narrascope.training.roles.fit_calibration``; Alexandari et al., ICML 2020); ``shift``, log-odds
    per row and main role added inside the softmax (the grammar features': :func:`grammar_log_odds`)."""
    t, bias = float(calibration[0]), np.asarray(calibration[1:], np.float64)
    z = np.log(np.maximum(np.asarray(main_p, np.float64), 1e-9)) / t + bias
    if shift is not None:
        z = z + shift
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def grammar_log_odds(grammar: dict[str, Any], rows: np.ndarray) -> np.ndarray:
    """The log-odds per main role that :func:`grammar_features` ``rows`` add under a head's
    ``grammar`` setting (``mean``, ``scale``: the training rows' standardisation; ``weights``: one row
    per main role)."""
    mean, scale, weights = (np.asarray(grammar[key], np.float64) for key in ("mean", "scale", "weights"))
    rows = np.asarray(rows, np.float64).reshape(-1, len(mean))
    return ((rows - mean) / scale) @ weights.T  # type: ignore[no-any-return]


def decode(
    main_p: np.ndarray,
    fine_p: np.ndarray,
    main_roles: Sequence[str],
    fine_roles: Sequence[str],
    fine_parent: Sequence[str],
    threshold: float,
) -> list[Prediction]:
    """Main role = argmax; fine roles = the main role's best fine role, plus any other of its fine
    roles whose probability reaches ``threshold`` times the best one's."""
    out = []
    for mp, fp in zip(main_p, fine_p, strict=True):
        k = int(np.argmax(mp))
        main = main_roles[k]
        idx = [j for j, p in enumerate(fine_parent) if p == main]
        best = max(idx, key=lambda j: fp[j])
        chosen = [j for j in idx if j == best or fp[j] >= threshold * fp[best]]
        chosen.sort(key=lambda j: -fp[j])
        out.append(Prediction(main, tuple(fine_roles[j] for j in chosen), float(mp[k]), tuple(float(x) for x in mp)))
    return out


def batch_antagonist_share(main_p: np.ndarray, rates: dict[str, float] | None) -> float:
    """The antagonist share of a batch of mentions, estimated without labels: the share of ``main_p``
    the head calls Antagonist, corrected with ``rates`` (:func:`narrascope.label_shift.adjusted_count`),
    kept within [0.02, 0.98]."""
    if rates is None:
        raise ModelError("roles.json records no antagonist rates, which adapting to a batch needs",
                         hint="retrain the roles heads: `narrascope train roles --data PATH`")
    called = float((np.asarray(main_p).argmax(axis=1) == MAIN_ROLES.index("Antagonist")).mean())
    return min(max(adjusted_count(called, rates), 0.02), 0.98)


def adapt_to_batch(main_p: np.ndarray, priors: np.ndarray, strength: float,
                   rates: dict[str, float] | None) -> np.ndarray:
    """``main_p`` (a batch of mentions) with the antagonists' odds moved towards the batch's own
    antagonist share, the other roles keeping their training proportions: multiplied by (estimated
    share / training prior) ** ``strength``, renormalised. The share is estimated from the share of
    the batch the head calls Antagonist, corrected with ``rates``, the cross-validated rates at which
    it calls antagonists and the others so (``antagonist_rates`` in ``roles.json``;
    :func:`narrascope.label_shift.adjusted_count`)."""
    if not strength or len(main_p) == 0:
        return main_p
    a = MAIN_ROLES.index("Antagonist")
    p = np.asarray(main_p, np.float64)
    share = batch_antagonist_share(p, rates)
    prior = min(max(float(priors[a]), 1e-6), 1 - 1e-6)
    ratio = np.full(p.shape[1], (1.0 - share) / (1.0 - prior))
    ratio[a] = share / prior
    out = p * ratio ** strength
    return out / out.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


@functools.cache
def load_model() -> RoleModel:
    return RoleModel.load()


# --------------------------------------------------------------------------- analyzer
@analyzer("roles", version=VERSION, requires=("sentences", "entities"), assigns=("roles",), languages=("en", "ru"))
def analyze(doc: Document, ctx: Context) -> Document:
    """Cast the article's people, organisations, places and groups as protagonist, antagonist or
    innocent (with fine roles), one role per entity shared by all its mentions."""
    # the modifier test reads an English parse: other languages keep every entity
    parsed = ctx.parsed(doc) if language_code(doc.language) == "en" else None
    ents = [e for e in doc.entities or () if e.type in ENTITY_TYPES and e.mentions
            and not (parsed is not None and (_scenery(e) or _only_attributive(e, parsed)))]
    # the most-mentioned entities only (the encoder's time grows with every entity)
    found_cfg = ctx.config.get("roles")
    cfg: dict[str, Any] = found_cfg if isinstance(found_cfg, dict) else {}
    ranked = sorted(ents, key=lambda e: (-_named_mentions(e), e.mentions[0].start))
    keep = {e.id for e in ranked[:int(cfg.get("max_entities", MAX_ENTITIES))]}
    ents = [e for e in ents if e.id in keep]
    if not ents:
        return doc.with_layers("roles", VERSION, roles=())
    head = (cfg.get("model") or load_model()).head(doc.language)
    # the units the heads were trained on (split_sentences), not the `sentences` layer's (analyzer 1.8)
    sent_spans = split_sentences(doc.text)
    targets = []
    for e in ents:
        group = tuple((m.start, m.end) for m in e.mentions if m.kind != "pronoun") or tuple(
            (m.start, m.end) for m in e.mentions)
        first = min((m for m in e.mentions if m.kind == "name"), key=lambda m: m.start, default=e.mentions[0])
        targets.append(Target(first.start, first.end, group, e.name))
    X, sent_emb = features(doc.text, sent_spans, targets, context=head.context)
    reading: ParseReading | None = None
    cues: list[list[RoleCue]] = [[] for _ in targets]
    if parsed is not None and head.reads_parse:
        reading = parse_cues(parsed, doc.text, sent_spans, targets, head.fine_roles)
        if head.uses_cues:
            cues = reading.cues
    preds = head.predict(X, float(cfg.get("prior_correction", PRIOR_CORRECTION)),
                         cues=None if reading is None else reading.strengths,
                         fine_cues=None if reading is None else reading.words,
                         grammar=None if reading is None else reading.grammar)
    min_confidence = float(cfg.get("min_confidence", MIN_CONFIDENCE))
    roles: list[EntityRole] = []
    for e, t, x, pred, cue in zip(ents, targets, X, preds, cues, strict=True):
        if pred.confidence < min_confidence:
            continue
        evidence = _evidence(doc.text, sent_spans, sent_emb, t, x, head, MAIN_ROLES.index(pred.main_role))
        mine = [c for c in cue if c.role == pred.main_role]
        if mine:
            evidence = _cue_evidence(doc.text, sent_spans, mine, pred.confidence, evidence)
        for m in e.mentions:
            roles.append(
                EntityRole(
                    entity_id=e.id,
                    mention=Span(start=m.start, end=m.end, text=m.text),
                    main_role=pred.main_role,
                    fine_roles=pred.fine_roles,
                    confidence=round(pred.confidence, 3),
                    evidence=evidence,
                )
            )
    roles.sort(key=lambda r: (r.mention.start, r.mention.end))
    return doc.with_layers("roles", VERSION, roles=tuple(roles))


def _scenery(e: Entity) -> bool:
    """A place named once that is no political unit (spaCy's LOC or FAC, English): "from the Pacific to
    the Arctic" sets a scene, it does not act. On the English training articles there are 146 such
    entities, and they overlap 6 of the 686 annotated mentions (3 of them "the West" named once);
    "the West" and "Europe", the LOC entities the annotators cast, mostly recur in their articles."""
    return e.label in ("LOC", "FAC") and _named_mentions(e) == 1


def _named_mentions(e: Entity) -> int:
    """How often the article names ``e`` (names, aliases, nominals; not pronouns)."""
    return sum(m.kind != "pronoun" for m in e.mentions)


def _only_attributive(e: Entity, parsed: SpacyDoc) -> bool:
    """An entity whose every mention modifies a noun or a name after it ("Chinese officials", "the
    Maidan revolution", "Ukraine President Volodymyr Zelensky", "the Shanghai Cooperation
    Organization (SCO) Defense Ministers' Meeting"; since analyzer 1.7 names too) names no one the
    article casts: the officials, the revolution, the president or the meeting are what the sentence
    is about, so the modifier gets no role of its own."""
    for m in e.mentions:
        span = parsed.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        if not (root.dep_ in ("amod", "compound", "nmod") and root.head.i >= span.end
                and root.head.pos_ in ("NOUN", "PROPN")):
            return False
    return True


# --------------------------------------------------------------------------- role cues
# What the parse says a mention does, or has done to it (English), for the two roles that the
# sentence-encoder features rarely find, and (analyzer 1.6) for the antagonists it misses
# (see MODEL_CARD_roles.md):
# * Innocent: the mention, or the group noun it names ("the people of X", "X's civilians"), is the
#   object of a harm or protection verb, its passive subject ("… are being subjected to"), the
#   target of an attack ("aggression against X", "the invasion of X"), or "the victims of X";
# * Protagonist: it is the subject of a verb of helping, protecting or resisting, the object or
#   passive subject of a verb of praise, or its sentence calls someone a hero or a defender.
# * Antagonist: it does harm (subject or "by" agent of a harm verb, "X's aggression"), is opposed,
#   blamed or fought against ("condemn X", "challenge the dominance of X"), or is named a villain
#   ("the X regime").
# On the English training mentions, a cue on the mention itself marks Innocent 30 times in 37 (11.5 %
# of all mentions are Innocent), Protagonist 13 times in 15 (19 % overall) and Antagonist 39 times in
# 48 (69.5 % overall).
CUE_ROLES = ("Antagonist", "Innocent", "Protagonist")
HARM_VERBS = frozenset({
    "kill", "attack", "shell", "bomb", "target", "invade", "occupy", "starve", "murder", "shoot", "strike",
    "hit", "wound", "injure", "displace", "abduct", "deport", "torture", "rape", "persecute", "oppress",
    "subject", "force", "threaten", "harm", "destroy", "victimize", "exploit", "punish", "abandon",
    "neglect", "slaughter", "massacre", "execute", "terrorize", "evict", "expel", "harass", "assassinate",
    "maim", "kidnap", "detain", "imprison", "jail", "poison", "intimidate", "blackmail", "silence",
})
PROTECT_VERBS = frozenset({"protect", "defend", "save", "rescue", "shield", "liberate", "evacuate"})
HARM_NOUNS = frozenset({
    "aggression", "war", "attack", "attacks", "strike", "strikes", "crime", "crimes", "genocide", "violence",
    "assault", "atrocities", "bombing", "shelling", "sanctions", "discrimination", "persecution",
})
# "the invasion of X": the harm done *to* X (a noun whose "of" names who suffers it)
HARM_OF_NOUNS = frozenset({
    "invasion", "occupation", "bombing", "shelling", "killing", "murder", "persecution", "poisoning",
    "kidnapping", "abduction", "deportation", "assassination", "destruction", "blockade", "annexation",
    "starvation", "exploitation", "oppression", "harassment", "detention", "imprisonment", "massacre",
    "genocide", "siege", "subjugation", "dismemberment",
})
GROUP_NOUNS = frozenset({"people", "citizen", "resident", "civilian", "population", "child", "family", "refugee",
                         "inhabitant", "woman"})  # lemmas
VICTIM_NOUNS = frozenset({"victim", "casualty", "suffering", "plight", "death"})
HELP_VERBS = PROTECT_VERBS | frozenset({
    "help", "aid", "support", "feed", "assist", "donate", "supply", "fight", "resist", "negotiate", "mediate",
    "broker", "build", "rebuild", "win", "lead",
})
PRAISE_VERBS = frozenset({"praise", "thank", "hail", "applaud", "celebrate", "honor", "honour", "commend", "salute",
                          "admire", "welcome", "laud", "credit"})
HERO_WORDS = frozenset({"hero", "heroes", "heroic", "brave", "courageous", "defender", "defenders", "champion",
                        "peacemaker"})
# Antagonist: who is opposed, blamed or resisted ("condemn X", "fight against X", "challenge the
# dominance of X"), and whom a sentence names an aggressor ("the Kyiv regime", "X is a terrorist state")
OPPOSE_VERBS = frozenset({
    "condemn", "blame", "accuse", "denounce", "criticize", "criticise", "challenge", "counter", "deter", "oppose",
    "resist", "fight", "confront", "sanction", "expose", "defeat", "repel", "stop", "curb", "contain",
})
# "X shelled …": a harm verb whose subject does the harm ("X subjected them to …", "X forced …" say less)
AGENT_HARM_VERBS = HARM_VERBS - {"subject", "force"}
# "X's invasion": a harm noun whose possessor does it; "attacks by X": one whose "by" does
AGGRESSION_NOUNS = HARM_NOUNS | frozenset({"invasion", "occupation", "annexation", "blockade"})
HARM_BY_NOUNS = HARM_NOUNS | HARM_OF_NOUNS
AGAINST_NOUNS = frozenset({"fight", "struggle", "resistance", "defense", "defence", "defend", "protect", "protection",
                           "sanction", "campaign", "crusade", "counteroffensive", "stand"})  # lemmas: "… against X"
# "… against X": what is fought against
AGAINST_LEMMAS = AGAINST_NOUNS | OPPOSE_VERBS
# "condemned the killing of X", "… the people of X": nouns that do not pass their verb's opposition on to X
SUFFERED_NOUNS = HARM_OF_NOUNS | GROUP_NOUNS | VICTIM_NOUNS
VILLAIN_NOUNS = frozenset({
    "regime", "aggressor", "invader", "occupier", "terrorist", "dictator", "junta", "criminal", "puppet",
    "warmonger", "tyrant", "propagandist", "nazi", "fascist", "enemy", "oppressor", "perpetrator", "culprit",
})


@dataclass(frozen=True)
class RoleCue:
    """A word that casts a mention in ``role``. Innocent cues (``kind``): ``object`` (of a harm or
    protection verb), ``passive`` (its passive subject), ``target`` (of an attack: "against X", "the invasion of X"),
    ``victims`` ("the victims of X"). Protagonist cues: ``helps`` (subject of a verb of helping,
    protecting or resisting), ``praised`` (object or passive subject of a verb of praise), ``hero``
    (its sentence calls someone a hero, a defender …). Antagonist cues: ``harms`` (does harm),
    ``opposed`` (is opposed, blamed or fought against), ``named`` (called a regime, an aggressor …).
    ``start``/``end`` is the word."""

    role: str
    kind: str
    start: int
    end: int


def _cue(role: str, kind: str, tok: Token) -> RoleCue:
    return RoleCue(role, kind, tok.idx, tok.idx + len(tok.text))


def _conjunct_head(tok: Token) -> Token:
    """"protect A and B": B stands where A does."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _harm_done_to(prep: Token) -> bool:
    """The preposition names whom a harm is done to: "aggression against X", "strikes on X",
    "the invasion of X"."""
    word, governor = prep.lower_, prep.head
    if word in ("against", "on", "upon"):
        return governor.lemma_.lower() in HARM_VERBS or governor.lower_ in HARM_NOUNS
    return word == "of" and governor.lemma_.lower() in HARM_OF_NOUNS


def hero_tokens(parsed: SpacyDoc) -> np.ndarray:
    """Indices of the parse's tokens that are :data:`HERO_WORDS` (one vectorised pass)."""
    from spacy.attrs import LOWER

    hashes = np.asarray([parsed.vocab.strings[w] for w in sorted(HERO_WORDS)], np.uint64)
    return np.flatnonzero(np.isin(parsed.to_array(LOWER), hashes))


def role_cue(parsed: SpacyDoc, start: int, end: int, heroes: np.ndarray | None = None) -> list[RoleCue]:
    """The role cues of the mention at ``start``–``end`` in an English parse (``heroes``:
    :func:`hero_tokens` of the parse, computed here when not given)."""
    span = parsed.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    tok = _conjunct_head(span.root)
    out = []
    head, lemma = tok.head, tok.head.lemma_.lower()
    if tok.dep_ == "nsubj" and lemma in HELP_VERBS:
        out.append(_cue("Protagonist", "helps", head))
    elif tok.dep_ in ("dobj", "obj", "nsubjpass") and lemma in PRAISE_VERBS:
        out.append(_cue("Protagonist", "praised", head))
    out += _antagonist_cues(tok, span)
    sent = span.sent
    heroes = hero_tokens(parsed) if heroes is None else heroes
    inside = heroes[(heroes >= sent.start) & (heroes < sent.end)]
    if len(inside):
        out.append(_cue("Protagonist", "hero", parsed[int(inside[0])]))
    # "the people of X", "X's civilians": the group noun is what the verb governs
    victims = None
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in GROUP_NOUNS | VICTIM_NOUNS:
        tok = _conjunct_head(tok.head.head)
    elif tok.dep_ == "poss" and tok.head.lemma_.lower() in GROUP_NOUNS | VICTIM_NOUNS:
        tok = _conjunct_head(tok.head)
    if tok.lemma_.lower() in VICTIM_NOUNS and tok is not span.root:
        victims = tok
    head, lemma = tok.head, tok.head.lemma_.lower()
    if tok.dep_ in ("dobj", "obj") and lemma in HARM_VERBS | PROTECT_VERBS:
        out.append(_cue("Innocent", "object", head))
    elif tok.dep_ == "nsubjpass" and lemma in HARM_VERBS | PROTECT_VERBS:
        out.append(_cue("Innocent", "passive", head))
    elif tok.dep_ == "pobj" and _harm_done_to(head):
        out.append(_cue("Innocent", "target", head.head))
    elif victims is not None:
        out.append(_cue("Innocent", "victims", victims))
    return out


def _antagonist_cues(tok: Token, span: SpacySpan) -> list[RoleCue]:
    """Antagonist cues of a mention whose head (conjuncts resolved) is ``tok``: ``harms`` (subject or
    ``by`` agent of a harm verb, "X's aggression", "attacks by X"), ``opposed`` (object of a verb of
    opposing or blaming, or what is fought "against"; through one "of" or possessive: "challenge the
    dominance of X") and ``named`` ("the X regime", "X, the aggressor", "X is a terrorist state")."""
    head, lemma = tok.head, tok.head.lemma_.lower()
    if tok.dep_ == "nsubj" and lemma in AGENT_HARM_VERBS:
        return [_cue("Antagonist", "harms", head)]
    if tok.dep_ == "pobj" and head.dep_ == "agent" and head.head.lemma_.lower() in HARM_VERBS:
        return [_cue("Antagonist", "harms", head.head)]
    if tok.dep_ == "poss" and head.lower_ in AGGRESSION_NOUNS:
        return [_cue("Antagonist", "harms", head)]
    if tok.dep_ == "pobj" and head.lower_ == "by" and head.head.lower_ in HARM_BY_NOUNS:
        return [_cue("Antagonist", "harms", head.head)]
    if tok.dep_ == "pobj" and head.lower_ == "against" and head.head.lemma_.lower() in AGAINST_LEMMAS:
        return [_cue("Antagonist", "opposed", head.head)]
    obj = tok
    # "the dominance of X", "X's influence": the noun X is named with stands where X would
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        obj = head.head
    elif tok.dep_ == "poss" and head.pos_ == "NOUN":
        obj = head
    if obj is not tok and obj.lemma_.lower() in SUFFERED_NOUNS:
        obj = tok
    if obj.dep_ in ("dobj", "obj", "nsubjpass") and obj.head.lemma_.lower() in OPPOSE_VERBS:
        return [_cue("Antagonist", "opposed", obj.head)]
    # "the Kyiv regime", "X, the aggressor", "X is a terrorist state"
    named = [span.root]
    if tok.dep_ in ("compound", "amod", "poss", "appos"):
        named.append(head)
    named += [c for c in tok.children if c.dep_ == "appos"]
    if tok.dep_ == "nsubj":
        named += [c for c in head.children if c.dep_ == "attr"]
    word = next((w for w in named if w.lemma_.lower() in VILLAIN_NOUNS), None)
    return [] if word is None else [_cue("Antagonist", "named", word)]


def role_cues(parsed: SpacyDoc, t: Target, heroes: np.ndarray | None = None) -> tuple[np.ndarray, list[RoleCue]]:
    """How strongly the parse casts ``t`` in each main role (:data:`MAIN_ROLES` order): 1 when its own
    mention carries a cue for the role, else the share of its entity's mentions that do; and the
    cues found."""
    heroes = hero_tokens(parsed) if heroes is None else heroes
    by_mention = {m: role_cue(parsed, *m, heroes=heroes) for m in t.group}
    own = by_mention.get((t.start, t.end))
    if own is None:
        own = role_cue(parsed, t.start, t.end, heroes)
    strength = np.zeros(len(MAIN_ROLES), np.float32)
    for role in CUE_ROLES:
        k = MAIN_ROLES.index(role)
        if any(c.role == role for c in own):
            strength[k] = 1.0
        else:
            strength[k] = sum(any(c.role == role for c in cs) for cs in by_mention.values()) / max(1, len(t.group))
    return strength, [c for cs in by_mention.values() for c in cs]


# What the English parse says of an entity beyond the cues: how its mentions stand in their clauses
# and how warm the words around them are. They enter the main role through the head's calibration
# (:func:`calibrate`), weighted by cross-validation (see MODEL_CARD_roles.md).
GRAMMAR_FEATURES = ("near_positive", "near_negative", "speaker", "subject", "object",
                    "patient_positive", "patient_negative", "agent_positive", "agent_negative")
NEAR_TOKENS = 10  # the words either side of a mention whose valence counts (3, 6, 10, 16 tried)


def _valence(tok: Token, lexicon: dict[str, float]) -> float:
    v = lexicon.get(tok.lower_)
    return lexicon.get(tok.lemma_.lower(), 0.0) if v is None else v


def grammar_features(parsed: SpacyDoc, t: Target) -> np.ndarray:
    """:data:`GRAMMAR_FEATURES` of ``t``, averaged over its entity's mentions in an English parse:
    the positive and the negative VADER valence (:func:`narrascope.analyzers.lexicons.valences`) per
    word within :data:`NEAR_TOKENS` tokens of the mention; whether the mention (conjuncts resolved)
    is the subject of a verb of saying (the ``attribution`` analyzer's :data:`SPEECH` verbs), a
    subject, or an object (direct, passive subject or of a preposition); and the valence of the word
    that governs it as an object (``patient_…``) or as a subject (``agent_…``). A group of speakers
    with warm words around them leans Protagonist; one that bad things are done to, Innocent."""
    from narrascope.analyzers.attribution import SPEECH
    from narrascope.analyzers.lexicons import valences

    lexicon = valences()
    out = np.zeros(len(GRAMMAR_FEATURES), np.float32)
    at = {name: i for i, name in enumerate(GRAMMAR_FEATURES)}
    seen = 0
    for start, end in sorted(set(t.group) | {(t.start, t.end)}):
        span = parsed.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        seen += 1
        near = [tok for tok in parsed[max(0, span.start - NEAR_TOKENS) : span.end + NEAR_TOKENS]
                if tok.is_alpha and not span.start <= tok.i < span.end]
        vals = np.asarray([_valence(tok, lexicon) for tok in near], np.float32)
        if len(vals):
            out[at["near_positive"]] += vals[vals > 0].sum() / len(vals)
            out[at["near_negative"]] -= vals[vals < 0].sum() / len(vals)
        tok = _conjunct_head(span.root)
        governor = _valence(tok.head, lexicon)
        if tok.dep_ == "nsubj":
            out[at["speaker"]] += tok.head.lemma_.lower() in SPEECH
            out[at["subject"]] += 1
            role = "agent"
        elif tok.dep_ in ("dobj", "obj", "nsubjpass", "pobj"):
            out[at["object"]] += 1
            role = "patient"
        else:
            continue
        out[at[f"{role}_positive"]] += max(governor, 0.0)
        out[at[f"{role}_negative"]] += max(-governor, 0.0)
    return out / max(seen, 1)


# Words that name a fine role in the sentences of an entity's mentions (English; lower-cased regular
# expressions). They sharpen the choice of fine role within the main role: the fine role's score is
# multiplied by exp(fine_cue_bias × the share of those sentences that match), fine_cue_bias chosen by
# cross-validation (see MODEL_CARD_roles.md).
FINE_CUES: dict[str, str] = {
    "Corrupt": r"corrupt|bribe|embezzl|graft|kickback|launder|fraud|scandal|\bsteal|\bstole|theft|loot|"
               r"enrich|greed|nepotis|crony|cronies|rigged",
    "Deceiver": r"\blie\b|\blies\b|\blied\b|lying|deceiv|decept|propaganda|disinformation|misinformation|"
                r"mislead|fake|hoax|false|misrepresent|distort|fabricat|smear|spin\b|cover.?up|manipulat|"
                r"dishonest|fraudulent",
    "Terrorist": r"terror|extremis|jihad|militant|massacre",
    "Spy": r"\bspy|spies|espionage|intelligence agent",
    "Traitor": r"traitor|betray|treason|turncoat|defect|sold out|sell.?out|collaborat",
    "Incompetent": r"incompet|fail|failure|blunder|inept|mismanag|chaos|mistake|disaster|clueless|gaffe|botch|"
                   r"\bmess\b|ineffective|unable to|weak leader|stupid|idiot|foolish|naive|reckless",
    "Tyrant": r"dictator|tyrant|regime|authoritarian|autocra|despot|oppress|crackdown|repress|persecut|"
              r"censor|brutal|iron fist|strongman|totalitarian|purge|tyrann",
    "Instigator": r"provok|instigat|escalat|incit|start(ed)? the war|stoke|fuel|warmonger|aggress|prolong|"
                  r"arms to|weapons to|inflam|push(ed)? for war",
    "Conspirator": r"conspir|plot|secret|globalist|elite|cabal|agenda|scheme|behind the scenes|cover.?up|"
                   r"collu|collud|orchestrat|puppet|deep state|shadow",
    "Bigot": r"racis|bigot|xenophob|discriminat|hate|homophob|antisemit|nazi|russophob|supremac|"
             r"prejudic|intoleran|slur|islamophob|sexis",
    "Saboteur": r"sabotag|undermin|obstruct|block|disrupt|derail|hamper|thwart|wreck|destabili",
    "Foreign Adversary": r"foreign|enemy|adversar|hostile|invad|invasion|threat|rival|interfer|meddl|expansion|"
                         r"encircl",
    "Peacemaker": r"peace|negotiat|mediat|diplomac|ceasefire|talks|broker|dialogue|de-?escalat|reconcil|"
                  r"truce",
    "Guardian": r"protect|defend|guard|secur|safeguard|shield|rescue|save|saving",
    "Martyr": r"martyr|sacrific|died for|killed|dead|gave (his|her|their) li|fallen|hero",
    "Rebel": r"rebel|resist|defy|defian|protest|oppos",
    "Underdog": r"underdog|outnumber|despite|against all odds|david",
    "Virtuous": r"honest|integrity|virtu|noble|courag|brave|moral|principled|decent|righteous|compassion|"
                r"generous|\bfair\b",
    "Victim": r"victim|kill|suffer|wound|attack|shell|bomb|dead|die|casualt|displac|refugee|innocent|"
              r"civilian|\bharm|injur|hostage|starv",
    "Forgotten": r"forgotten|ignored|neglect|abandon|overlooked",
    "Exploited": r"exploit|used as|pawn|manipulat|cannon fodder",
    "Scapegoat": r"scapegoat|blame|accus|unfairly",
}
_FINE_PATTERNS = {role: re.compile(rx) for role, rx in FINE_CUES.items()}  # matched against lower-cased text


def fine_cues(text: str, sent_spans: Sequence[tuple[int, int]], targets: Sequence[Target],
              fine_roles: Sequence[str]) -> np.ndarray:
    """Per target (rows) and fine role (``fine_roles`` order, columns), the share of the sentences
    holding the target's mentions that contain one of the role's :data:`FINE_CUES` words. Each
    sentence is searched once, however many targets it holds."""
    pats = [_FINE_PATTERNS.get(f) for f in fine_roles]
    hits: dict[int, np.ndarray] = {}

    def sentence_hits(i: int) -> np.ndarray:
        if i not in hits:
            s, e = sent_spans[i] if sent_spans else (0, len(text))
            low = text[s:e].lower()
            hits[i] = np.asarray([p is not None and p.search(low) is not None for p in pats], np.float32)
        return hits[i]

    out = np.zeros((len(targets), len(fine_roles)), np.float32)
    for n, t in enumerate(targets):
        idx = ({sentence_of(sent_spans, a) for a, _ in t.group} | {sentence_of(sent_spans, t.start)}) if sent_spans else {0}
        out[n] = np.mean([sentence_hits(i) for i in sorted(idx)], axis=0)
    return out


@dataclass(frozen=True)
class ParseReading:
    """Everything the English parse adds for a list of targets, one row each: the :func:`role_cues`
    strengths and cues, the :func:`fine_cues` shares and the :func:`grammar_features`."""

    strengths: np.ndarray
    cues: list[list[RoleCue]]
    words: np.ndarray
    grammar: np.ndarray


def parse_cues(parsed: SpacyDoc, text: str, sent_spans: Sequence[tuple[int, int]], targets: Sequence[Target],
               fine_roles: Sequence[str]) -> ParseReading:
    """What the English parse adds for ``targets``, as the analyzer, the benchmark and training use it."""
    heroes = hero_tokens(parsed)
    found = [role_cues(parsed, t, heroes) for t in targets]
    strengths = np.stack([v for v, _ in found]) if found else np.zeros((0, len(MAIN_ROLES)), np.float32)
    grammar = (np.stack([grammar_features(parsed, t) for t in targets]) if targets
               else np.zeros((0, len(GRAMMAR_FEATURES)), np.float32))
    return ParseReading(strengths, [c for _, c in found], fine_cues(text, sent_spans, targets, fine_roles), grammar)


def _cue_evidence(text: str, sent_spans: Sequence[tuple[int, int]], cues: Sequence[RoleCue], confidence: float,
                  evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """The sentences holding the role's cues first (weight = the role's confidence), then the
    encoder's evidence sentences, at most three, in text order."""
    out: dict[int, Evidence] = {}
    for c in cues:
        s, e = sent_spans[sentence_of(sent_spans, c.start)]
        out.setdefault(s, Evidence(start=s, end=e, text=text[s:e], weight=round(confidence, 3)))
    for ev in evidence:
        out.setdefault(ev.start, ev)
    return tuple(sorted(list(out.values())[:3], key=lambda ev: ev.start))


def _evidence(
    text: str,
    sent_spans: Sequence[tuple[int, int]],
    sent_emb: np.ndarray,
    t: Target,
    x: np.ndarray,
    head: LanguageHead,
    k: int,
) -> tuple[Evidence, ...]:
    """Up to three sentences holding the entity's mentions, those that most raise the chosen role's
    probability when put in the place of the mention's window; weight = that probability."""
    if not sent_spans:
        return ()
    idx = sorted({sentence_of(sent_spans, s) for s, _ in t.group})
    dim = sent_emb.shape[1]
    X = np.repeat(x[None, :], len(idx), axis=0)
    surf = x[3 * dim : 4 * dim]
    X[:, :dim] = sent_emb[idx]
    X[:, 5 * dim : 6 * dim] = sent_emb[idx] * surf * PRODUCT_SCALE
    p = head.main_proba(X)[:, k]
    order = np.argsort(-p, kind="stable")[:3]
    out = []
    for j in sorted(order.tolist(), key=lambda j: idx[j]):
        s, e = sent_spans[idx[j]]
        out.append(Evidence(start=s, end=e, text=text[s:e], weight=round(float(p[j]), 3)))
    return tuple(out)
