"""Does the body carry the headline? Split the headline into claims and check each one.

A headline is split at colons, semicolons and dashes into claims (a trailing speech tag such as
", Officials Say" is dropped). Each claim's content words are matched against body sentences by
lemma overlap weighted by rarity (an idf over the body's sentences), with close synonyms; the
claim's head noun (the last noun before its first preposition or participle, e.g. "Directives"
in "Putin's Government Directives Aimed at ...") must appear in a sentence for that sentence to
count. The verdict then follows the evidence status of the sentences it rests on:
``supported`` (asserted in the author's voice), ``attributed`` (only inside attributed
statements), ``hedged`` (only in hedged or contested sentences) or ``not_reported``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from narrascope.analyzers import lexicons as lx
from narrascope.model import Document, HeadlineClaim, SentenceEvidence, Span
from narrascope.pipeline import Context, analyzer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Token

VERSION = "1.0"
MIN_SCORE = 0.3  # share of a claim's (idf-weighted) terms a sentence must carry

_SPLIT = re.compile(r"\s*(?::|;|\s[–—-]\s|\s\|\s)\s*")
_SPEECH = re.compile(r"^(?:[\w’'.-]+\s){0,4}(?:say|says|said|claim|claims|claimed|warn|warns|argue|argues|report|reports|insist|insists|allege|alleges)$", re.I)
_PREPS = frozenset(
    lx.words("at in on for to of with by from after before over under amid amidst despite against as into "
    "about toward towards through during without between among across upon via while than")
)
_FUNCTION = frozenset(lx.words("’s 's ' the a an this that these those its his her their our"))


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_STOP: frozenset[str] | None = None


def _forms(word: str, lemma: str | None = None) -> set[str]:
    """Lower-case forms a word may take in the body (word, lemma, naive singular)."""
    w = word.lower().replace("’", "'")
    out = {w}
    if lemma:
        out.add(lemma.lower())
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    elif w.endswith(("ses", "xes", "ches", "shes")):
        out.add(w[:-2])
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        out.add(w[:-1])
    if w.endswith("ing") and len(w) > 5:
        out.update({w[:-3], w[:-3] + "e"})
    if w.endswith("ed") and len(w) > 4:
        out.update({w[:-2], w[:-1]})
    return out


@dataclass
class _Term:
    forms: set[str]
    synonyms: set[str]
    text: str


def _term(tok: Token) -> _Term:
    forms = _forms(tok.text, tok.lemma_)
    syn: set[str] = set()
    for f in forms:
        syn |= lx.SYNONYMS.get(f, frozenset())
    return _Term(forms, syn - forms, tok.text)


def _claims(tokens: Sequence[Token], text: str, base: int) -> list[tuple[int, int, list[Token]]]:
    """Claim segments of a headline: (start, end, tokens) with offsets relative to the headline."""
    out = []
    pos = 0
    for m in [*_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        seg = text[pos:end].strip()
        if seg:
            s = text.index(seg, pos)
            e = s + len(seg)
            # drop a trailing speech tag: "..., Officials Say"
            if "," in seg:
                head, _, tail = seg.rpartition(",")
                if _SPEECH.match(tail.strip()):
                    e = s + len(head.rstrip())
            toks = [t for t in tokens if s <= t.idx - base < e]
            for s2, e2 in _split_predicates(toks, text, base, s, e):
                part = [t for t in toks if s2 <= t.idx - base < e2]
                if any(t.is_alpha for t in part) and not _SPEECH.match(text[s2:e2]):
                    out.append((s2, e2, part))
        pos = m.end() if m else len(text)
    return out


def _split_predicates(toks: Sequence[Token], text: str, base: int, s: int, e: int) -> list[tuple[int, int]]:
    """'Council Approves Barriers and Promises Lower Costs' → two claims, one per verb.

    Title case confuses the tagger, so after a finite main verb an 'and' followed by a
    capitalised -s/-ed word with more words after it starts a new predicate.
    """
    finite = [t for t in toks if t.tag_ in ("VBZ", "VBD", "VBP") and t.dep_ == "ROOT"]
    if not finite:
        return [(s, e)]
    cuts = []
    for k, tok in enumerate(toks[:-2]):
        nxt = toks[k + 1]
        if (tok.lower_ == "and" and tok.i > finite[0].i and nxt.text[:1].isupper()
                and nxt.lower_.endswith(("s", "ed")) and nxt.tag_ not in ("NNP",)):
            cuts.append((tok.idx - base, nxt.idx - base))
    spans, pos = [], s
    for and_start, next_start in cuts:
        spans.append((pos, and_start))
        pos = next_start
    spans.append((pos, e))
    return [(a, b) for a, b in ((a, a + len(text[a:b].rstrip())) for a, b in spans) if b > a]


def _head(tokens: Sequence[Token]) -> Token | None:
    """The claim's head noun: the last content word before its first preposition or participle."""
    stop = _STOP or frozenset()
    i = 0
    while i < len(tokens) and (tokens[i].lower_ in _PREPS or tokens[i].lower_ in _FUNCTION):
        i += 1
    prefix: list[Token] = []
    for tok in tokens[i:]:
        low = tok.lower_
        if low in _PREPS or tok.is_punct or low in ("and", "or", "but"):
            break
        if prefix and (tok.tag_ in ("VBN", "VBG", "VBD", "VBZ", "VBP") or low.endswith(("ed", "ing"))):
            break
        prefix.append(tok)
    content = [t for t in prefix if t.is_alpha and t.lower_ not in stop and t.lower_ not in _FUNCTION]
    return content[-1] if content else None


@analyzer("headline", version=VERSION, requires=("sentences", "statements", "markers"), assigns=("headline_check",), languages=("en",))
def analyze(doc: Document, ctx: Context) -> Document:
    """Check each headline claim against the body."""
    global _STOP
    if _STOP is None:
        _STOP = _stopwords()
    htext = doc.headline_text
    if not htext or not htext.strip():
        return doc.with_layers("headline", VERSION, headline_check=())
    parsed = ctx.parsed(doc)
    if doc.headline is not None and not doc.title:
        base = doc.headline.start
        htoks = [t for t in parsed if base <= t.idx < doc.headline.end]
    else:
        from narrascope import nlp

        base = 0
        htoks = list(nlp.parse(htext))

    body = [s for s in doc.sentences or () if s.start >= doc.body_start and s.end > doc.body_start]
    # one pass over the body tokens: the forms each sentence contains
    sent_forms: list[set[str]] = [set() for _ in body]
    si = 0
    for tok in parsed:
        if tok.idx < doc.body_start or not tok.is_alpha:
            continue
        while si < len(body) and body[si].end <= tok.idx:
            si += 1
        if si >= len(body):
            break
        if tok.idx >= body[si].start:
            forms = sent_forms[si]
            forms.add(tok.lemma_.lower())
            if tok.pos_ in ("NOUN", "VERB", "PROPN", "ADJ"):
                forms |= _forms(tok.text)
            else:
                forms.add(tok.lower_)

    evidence: dict[int, SentenceEvidence] = {e.sentence: e for e in doc.evidence or ()}
    n = len(body)
    checks: list[HeadlineClaim] = []
    for s, e, toks in _claims(htoks, htext, base):
        claim_text = htext[s:e]
        terms = [_term(t) for t in toks if t.is_alpha and t.lower_ not in _STOP and len(t.text) > 2]
        head_tok = _head(toks)
        head = _term(head_tok) if head_tok is not None else (terms[-1] if terms else None)

        def has(term: _Term, forms: set[str]) -> float:
            if term.forms & forms:
                return 1.0
            return 0.8 if term.synonyms & forms else 0.0

        weights = []
        for term in terms:
            df = sum(1 for f in sent_forms if has(term, f))
            weights.append(math.log((n + 1) / (df + 1)) + 1.0)
        total = sum(weights) or 1.0
        scored = []
        for k, forms in enumerate(sent_forms):
            score = sum(w * has(t, forms) for t, w in zip(terms, weights, strict=True)) / total
            head_in = head is None or has(head, forms) > 0
            scored.append((score, head_in, k))
        scored.sort(key=lambda x: (-x[0], x[2]))
        with_head = [x for x in scored if x[1]]
        hw = head.text if head else claim_text

        if head is not None and not with_head:
            alt = sorted(head.synonyms)[:4]
            syn = f" ({', '.join(alt)})" if alt else ""
            overlap = [x for x in scored if x[0] > 0]
            topic = "; it shares other words with the headline, but" if overlap else ":"
            checks.append(HeadlineClaim(
                claim=claim_text, start=s, end=e, verdict="not_reported", evidence=(),
                reason=(f"The body never mentions '{hw}' or a close synonym{syn}{topic} nothing in the "
                        f"article describes any {hw.lower()}, so this headline claim is not reported."),
                confidence=0.85 if overlap else 0.75,
            ))
            continue
        support = [x for x in with_head if x[0] >= MIN_SCORE][:3]
        if not support:
            best = with_head[0]
            sent = body[best[2]]
            checks.append(HeadlineClaim(
                claim=claim_text, start=s, end=e, verdict="not_reported",
                evidence=(Span(start=sent.start, end=sent.end, text=sent.text),),
                reason=(f"The body mentions '{hw}' but no sentence carries the rest of the claim "
                        f"(best overlap {best[0]:.0%}, sentence {sent.index})."),
                confidence=0.6,
            ))
            continue
        spans = tuple(Span(start=body[k].start, end=body[k].end, text=body[k].text) for _, _, k in support)
        statuses = [(evidence.get(body[k].index), body[k].index, sc) for sc, _, k in support]
        own = [(i, sc) for ev, i, sc in statuses if ev is None or (not ev.attributed and ev.status in ("asserted", "boosted"))]
        attributed = [(i, sc) for ev, i, sc in statuses if ev is not None and ev.attributed and ev.status in ("attributed", "boosted")]
        top = max(sc for _, _, sc in statuses)
        where = ", ".join(str(i) for _, i, _ in statuses)
        if own:
            verdict = "supported"
            reason = f"The body asserts it in the author's own voice (sentence {', '.join(str(i) for i, _ in own)})."
        elif attributed:
            verdict = "attributed"
            reason = (f"The body reports it only as what sources say (sentence {', '.join(str(i) for i, _ in attributed)}), "
                      "never in its own voice.")
        else:
            verdict = "hedged"
            reason = f"The body carries it only in hedged or contested sentences (sentence {where})."
        checks.append(HeadlineClaim(
            claim=claim_text, start=s, end=e, verdict=verdict, evidence=spans,  # type: ignore[arg-type]
            reason=reason, confidence=round(min(0.95, 0.5 + 0.45 * top), 3),
        ))
    return doc.with_layers("headline", VERSION, headline_check=tuple(checks))
