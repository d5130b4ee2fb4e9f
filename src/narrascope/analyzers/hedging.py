"""Hedges, distancing, contestation and boosters, and the statements they govern.

Markers are found on the cached spaCy parse with one ``PhraseMatcher`` (built once per process)
plus a single pass over the tokens for lemma- and negation-sensitive cues ("not officially
corroborated", "has been dubbed", "denied"), and a regex for scare quotes. Each marker is
attached to the statement whose content (else cue..content, else source..content range)
contains it, the smallest such; a contestation that follows a statement in the same sentence
("..., though his assertions are met with skepticism") governs that statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from narrascope.analyzers import lexicons as lx
from narrascope.model import Document, Marker, SentenceEvidence, Statement
from narrascope.pipeline import Context, analyzer

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc as SpacyDoc
    from spacy.vocab import Vocab

VERSION = "1.0"

_MATCHERS: dict[int, tuple[PhraseMatcher, dict[str, tuple[str, float]]]] = {}

# a short quoted term (1-4 words) in single or double quotes: a scare quote candidate
_SCARE = re.compile(r"(?<![\w’'])([‘“\"'])([^\n‘’“”\"]{2,40}?)([’”\"'])(?![\w‘’])")
_RANK = {"contestation": 4, "hedge": 3, "distancing": 3, "booster": 2}


def _matcher(vocab: Vocab) -> tuple[PhraseMatcher, dict[str, tuple[str, float]]]:
    """The phrase matcher for ``vocab`` (built once per process and vocab)."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None:
        return cached
    from spacy.matcher import PhraseMatcher

    from narrascope import nlp

    tokenizer = nlp.english().tokenizer
    matcher = PhraseMatcher(vocab, attr="LOWER")
    meta: dict[str, tuple[str, float]] = {}
    for kind, table in (
        ("hedge", lx.HEDGE_PHRASES),
        ("distancing", lx.DISTANCING_PHRASES),
        ("contestation", lx.CONTESTATION_PHRASES),
        ("booster", lx.BOOSTER_PHRASES),
    ):
        for phrase, conf in table.items():
            key = f"{kind}:{phrase}"
            meta[key] = (kind, conf)
            matcher.add(key, [tokenizer(phrase)])
    _MATCHERS[id(vocab)] = (matcher, meta)
    return matcher, meta


def _negated(tok) -> bool:  # noqa: ANN001 - spaCy Token
    """Is ``tok`` (or the verb it depends on) negated?"""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if tok.i > 0 and tok.doc[tok.i - 1].lower_ in lx.NEGATORS:
        return True
    head = tok.head
    return tok.dep_ in ("advmod", "acomp", "xcomp") and head is not tok and any(
        c.dep_ == "neg" for c in head.children
    )


def find_markers(parsed: SpacyDoc, text: str, start: int = 0) -> list[tuple[int, int, str, float]]:
    """Raw ``(start, end, kind, confidence)`` markers in ``text`` from offset ``start`` on."""
    matcher, meta = _matcher(parsed.vocab)
    strings = parsed.vocab.strings
    found: list[tuple[int, int, str, float]] = []
    for match_id, i, j in matcher(parsed):
        kind, conf = meta[strings[match_id]]
        span = parsed[i:j]
        if span.start_char < start:
            continue
        first = span[0]
        if kind in ("booster", "contestation") and first.lower_ not in lx.NEGATORS and _negated(first):
            continue  # "not clearly", "did not deny"
        if kind == "booster" and len(span) == 1 and first.pos_ == "VERB" and first.dep_ in ("relcl", "acl"):
            conf *= 0.8
        found.append((span.start_char, span.end_char, kind, conf))

    for tok in parsed:
        if tok.idx < start:
            continue
        lemma = tok.lemma_.lower()
        low = tok.lower_
        # negated confirmation: "not (officially) corroborated", "never confirmed"
        if lemma in lx.CONFIRM_LEMMAS and tok.pos_ in ("VERB", "AUX", "ADJ"):
            neg = None
            for k in range(tok.i - 1, max(tok.i - 4, -1), -1):
                prev = parsed[k]
                if prev.lower_ in lx.NEGATORS:
                    neg = prev
                    break
                if prev.pos_ not in ("ADV", "AUX", "PART"):
                    break
            if neg is None:
                neg = next((c for c in tok.children if c.dep_ == "neg"), None)
            if neg is not None:
                s = min(neg.idx, tok.idx)
                e = max(neg.idx + len(neg.text), tok.idx + len(tok.text))
                # "though not officially corroborated": take the concessive conjunction too
                if s == neg.idx and neg.i > 0 and parsed[neg.i - 1].lower_ in ("though", "although", "while", "yet"):
                    s = parsed[neg.i - 1].idx
                found.append((s, e, "distancing", 0.9))
                continue
        if tok.pos_ == "VERB" and lemma in lx.LABEL_LEMMAS and tok.tag_ in ("VBN", "VBD", "VBZ", "VBP"):
            found.append((tok.idx, tok.idx + len(tok.text), "distancing", lx.LABEL_LEMMAS[lemma]))
            continue
        if lemma in lx.CONTEST_LEMMAS and tok.pos_ in ("VERB", "ADJ", "NOUN"):
            if tok.pos_ == "NOUN" and lemma not in ("denial", "dispute"):
                continue
            if _negated(tok):
                continue
            conf = lx.CONTEST_LEMMAS[lemma] * (0.6 if tok.pos_ != "VERB" else 1.0)
            found.append((tok.idx, tok.idx + len(tok.text), "contestation", round(conf, 3)))
            continue
        if low == "denial" or low == "denials":
            found.append((tok.idx, tok.idx + len(tok.text), "contestation", 0.8))
            continue
        for (hl, need), conf in lx.HEDGE_LEMMAS.items():
            if lemma == hl and (tok.tag_ == need or tok.pos_ == need):
                found.append((tok.idx, tok.idx + len(tok.text), "hedge", conf))
                break

    for m in _SCARE.finditer(text, start):
        inner = m.group(2)
        words = inner.split()
        if not 1 <= len(words) <= 4 or inner.strip() != inner or re.search(r"[.!?,;:]$", inner):
            continue
        if m.group(1) in "'\"" and m.group(3) != m.group(1):
            continue
        before = text[max(0, m.start() - 3) : m.start()]
        if re.search(r"[,:]\s*$", before):  # a quotation introduced by "said:" is speech, not a scare quote
            continue
        found.append((m.start(), m.end(), "distancing", 0.6))
    return _dedupe(found)


def _dedupe(found: Iterable[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Drop markers contained in a longer marker of the same kind (or of any kind when equal)."""
    kept: list[tuple[int, int, str, float]] = []
    for m in sorted(found, key=lambda m: (-(m[1] - m[0]), m[0])):
        if any(
            k[0] <= m[0] and m[1] <= k[1] and (k[2] == m[2] or (k[0], k[1]) == (m[0], m[1]))
            for k in kept
        ):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: (m[0], m[1]))


def _ranges(st: Statement) -> tuple[tuple[int, int], tuple[int, int]]:
    """(content range, full source..cue..content range) of a statement."""
    lo, hi = st.content.start, st.content.end
    for part in (st.cue, st.source):
        s, e = getattr(part, "start", None), getattr(part, "end", None)
        if s is not None and e is not None and e > s:
            lo, hi = min(lo, s), max(hi, e)
    return (st.content.start, st.content.end), (lo, hi)


_ANAPHORS = frozenset(lx.words("his her their its this that these those such the"))
_CLAIM_NOUNS = frozenset(
    lx.words("assertion assertions claim claims allegation allegations account accounts statement statements "
    "remark remarks comment comments argument arguments promise promises call calls")
)


def _is_anaphor(st: Statement) -> bool:
    """A nominal statement that only points back at another ("his assertions", "these claims")."""
    words = st.content.text.lower().replace("’", "'").split()
    return st.kind == "nominal" and 1 <= len(words) <= 3 and words[-1] in _CLAIM_NOUNS and (
        len(words) == 1 or words[0] in _ANAPHORS
    )


def _antecedent(st: Statement, statements: Sequence[Statement]) -> Statement | None:
    """The statement an anaphoric nominal statement refers back to (same or previous sentence)."""
    before = [
        o for o in statements
        if o.id != st.id and not _is_anaphor(o) and o.sentence in (st.sentence, st.sentence - 1)
        and _ranges(o)[1][1] <= st.content.start
    ]
    return max(before, key=lambda o: (o.sentence, _ranges(o)[1][1])) if before else None


def govern(start: int, end: int, kind: str, sentence: int, statements: Sequence[Statement]) -> Statement | None:
    """The statement a marker at ``[start, end)`` governs, if any.

    The smallest statement whose content contains the marker wins, then the smallest whose
    source..cue..content range contains it, then one it overlaps; a statement whose cue *is* the
    marker ("what he describes as") yields to an enclosing one. A contestation or distancing
    phrase after a statement in its sentence governs that statement, and one governing an
    anaphoric nominal statement ("his assertions are met with skepticism") governs the
    statement it points back at.
    """
    best: tuple[tuple[int, int, int], Statement] | None = None
    same_sentence: list[Statement] = []
    for st in statements:
        (cs, ce), (fs, fe) = _ranges(st)
        own_cue = st.cue is not None and st.cue.start < end and start < st.cue.end
        if cs <= start and end <= ce:
            rank = (int(own_cue), 0, ce - cs)
        elif fs <= start and end <= fe:
            rank = (int(own_cue), 1, fe - fs)
        elif start < fe and fs < end:
            rank = (int(own_cue), 2, fe - fs)
        else:
            if st.sentence == sentence:
                same_sentence.append(st)
            continue
        if best is None or rank < best[0]:
            best = (rank, st)
    found = best[1] if best is not None else None
    if found is None and kind in ("contestation", "distancing") and same_sentence:
        before = [st for st in same_sentence if _ranges(st)[1][1] <= start]
        if before:
            found = max(before, key=lambda st: _ranges(st)[1][1])
    if found is not None and kind in ("contestation", "distancing") and _is_anaphor(found):
        found = _antecedent(found, statements) or found
    return found


def _co_governed(start: int, end: int, statements: Sequence[Statement], primary: Statement) -> list[Statement]:
    """Other statements a marker also qualifies: the one whose cue it is, the anaphor it went through."""
    out = []
    for st in statements:
        if st.id == primary.id:
            continue
        fe = _ranges(st)[1][1]
        if (st.cue is not None and st.cue.start < end and start < st.cue.end) or (
            _is_anaphor(st) and fe <= start and start - fe < 40 and _antecedent(st, statements) is primary
        ):
            out.append(st)
    return out


_SOURCE_TYPES = (
    (frozenset(lx.words("official officials spokesman spokeswoman spokesperson minister ministry authorities government "
               "kremlin police military army")), "official"),
    (frozenset(lx.words("media newspaper newspapers outlet outlets agency press television tv broadcaster")), "media"),
)


def _label_statements(parsed: SpacyDoc, doc: Document, raw: Sequence[tuple[int, int, str, float]],
                      statements: Sequence[Statement]) -> list[Statement]:
    """Statements for labelling acts no other analyzer found: "X, dubbed 'Y' by Z"."""
    from narrascope.model import Source

    taken = [_ranges(st)[1] for st in statements]
    numbers = [int(st.id[2:]) for st in statements if st.id.startswith("st") and st.id[2:].isdigit()]
    n = max(numbers, default=len(statements))
    out: list[Statement] = []
    for s, e, kind, _ in raw:
        if kind != "distancing" or any(fs <= s < fe for fs, fe in taken):
            continue
        span = parsed.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) != 1 or span[0].lemma_.lower() not in lx.LABEL_LEMMAS:
            continue
        verb = span[0]
        label = next((c for c in verb.children if c.dep_ in ("oprd", "dobj", "attr")), None)
        if label is None:
            continue
        agent = None
        for t in verb.subtree:
            if t.i > verb.i and t.lower_ == "by" and t.dep_ in ("agent", "prep"):
                agent = next((c for c in t.children if c.dep_ == "pobj"), None)
                if agent is not None:
                    break
        if agent is None:
            agent = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ not in ("which", "that", "who")), None)
        if agent is None:
            continue
        ls, le = label.left_edge.i, label.right_edge.i + 1
        if ls > 0 and parsed[ls - 1].is_quote:
            ls -= 1
        if le < len(parsed) and parsed[le].is_quote:
            le += 1
        src_lo = agent.left_edge.i
        src_hi = max((t.i for t in agent.subtree if t.dep_ not in ("relcl", "acl") or t.i <= agent.i), default=agent.i)
        src_text = doc.text[parsed[src_lo].idx : parsed[src_hi].idx + len(parsed[src_hi].text)]
        stype = "vague"
        for words, name in _SOURCE_TYPES:
            if agent.lemma_.lower() in words or agent.lower_ in words:
                stype = name
                break
        else:
            if agent.pos_ == "PROPN":
                stype = "person" if agent.ent_type_ == "PERSON" else "organisation"
        n += 1
        cs, ce = parsed[ls].idx, parsed[le - 1].idx + len(parsed[le - 1].text)
        out.append(Statement(
            id=f"st{n}",
            source=Source(text=src_text, start=parsed[src_lo].idx, end=parsed[src_lo].idx + len(src_text),
                          type=stype, entity=None, confidence=0.7),  # type: ignore[arg-type]
            cue=doc.span(verb.idx, verb.idx + len(verb.text)),
            content=doc.span(cs, ce), kind="framing",
            sentence=getattr(doc.sentence_at(verb.idx), "index", 0),
            confidence=0.7,
        ))
    return out


def _status(markers: Iterable[Marker], attributed: bool) -> tuple[str, float]:
    kinds: dict[str, float] = {}
    for m in markers:
        kinds[m.kind] = max(kinds.get(m.kind, 0.0), m.confidence)
    if "contestation" in kinds:
        return "contested", kinds["contestation"]
    hedged = max(kinds.get("hedge", 0.0), kinds.get("distancing", 0.0))
    if hedged:
        return "hedged", hedged
    if attributed:
        return "attributed", 0.8
    if "booster" in kinds:
        return "boosted", kinds["booster"]
    return "asserted", 0.6


@analyzer("hedging", version=VERSION, requires=("sentences", "statements"), assigns=("markers", "evidence", "statements"), languages=("en",))
def analyze(doc: Document, ctx: Context) -> Document:
    """Find hedges, distancing, contestation and boosters; attach them to statements and sentences."""
    parsed = ctx.parsed(doc)
    sentences = doc.sentences or ()
    statements = doc.statements or ()
    raw = find_markers(parsed, doc.text, doc.body_start)
    statements = (*statements, *_label_statements(parsed, doc, raw, statements))

    markers: list[Marker] = []
    by_statement: dict[str, list[Marker]] = {}
    si = 0
    for s, e, kind, conf in raw:
        while si + 1 < len(sentences) and sentences[si].end <= s:
            si += 1
        sent_index = sentences[si].index if sentences else 0
        st = govern(s, e, kind, sent_index, statements)
        marker = Marker(
            start=s, end=e, text=doc.text[s:e], kind=kind, confidence=round(conf, 3),  # type: ignore[arg-type]
            sentence=sent_index, statement=st.id if st else None,
        )
        markers.append(marker)
        if st is not None:
            by_statement.setdefault(st.id, []).append(marker)
            for other in _co_governed(s, e, statements, st):
                by_statement.setdefault(other.id, []).append(marker)

    new_statements = []
    for st in statements:
        ms = by_statement.get(st.id)
        if ms:
            status, _ = _status(ms, attributed=True)
            st = st.model_copy(update={"distancing": tuple(ms), "status": status})
        new_statements.append(st)

    by_sentence: dict[int, list[Marker]] = {}
    for m in markers:
        by_sentence.setdefault(m.sentence, []).append(m)
    covered: set[int] = set()
    for st in new_statements:
        covered.add(st.sentence)
        for sent in sentences:
            if sent.start < st.content.end and st.content.start < sent.end:
                covered.add(sent.index)
    evidence = []
    for sent in sentences:
        ms = by_sentence.get(sent.index, [])
        attributed = sent.index in covered
        status, conf = _status(ms, attributed)
        evidence.append(SentenceEvidence(
            sentence=sent.index, status=status, attributed=attributed,  # type: ignore[arg-type]
            markers=tuple(ms), confidence=round(conf, 3),
        ))
    return doc.with_layers(
        "hedging", VERSION, markers=tuple(markers), evidence=tuple(evidence), statements=tuple(new_statements)
    )
