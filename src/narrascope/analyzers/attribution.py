"""Attribution: who claims what, with which cue (source, cue, content), from the dependency parse.

One pass over the parsed tokens. A token is a *cue* when it is

- a verb of saying, thinking, showing or framing ("said", "argued", "has underscored",
  "framed … as", "dubbed") — scored by a small logistic-regression head trained on PolNeAR
  (``models/attribution_cue.npz``) and, where the weights are missing, by a hand lexicon;
- "according to X";
- a noun of saying or judging ("his assertions", "met with skepticism by X");
- a colon after a short name at the start of a line ("Pence: …", headlines, transcripts,
  "From X:" over the next line), or a dash before a name that ends its line ('"…" ― Ann Lee',
  embedded tweets).

Its *source* is the verb's subject (whole noun phrase), the ``by`` agent of a passive, the
subject of the main clause for a participle ("…, emphasizing …") or a conjoined verb, or the
antecedent of a relative pronoun ("state media, which has portrayed …"). Its *content* is the
clause or object it governs (``ccomp``, ``xcomp``, object, quote), so a hedge inside it can be
found by the ``hedging`` analyzer. A content span that starts or ends inside a quoted passage
takes in the whole passage (also over sentences), and the quote that goes on after the cue's
sentence ('"…," she said. "…"', over one paragraph break, and over paragraphs a quote leaves
open) is a further statement with the same cue and source. Sources are linked to the entity layer by the mention that
overlaps their head token, and typed person / organisation / official / vague / media.

Config (``ctx.config["attribution"]``): ``relative_pronoun_source`` (bool, default False) keeps
"who"/"which" as the source span instead of its antecedent (PolNeAR's convention);
``threshold`` (default :data:`THRESHOLD`) is the cue probability above which a verb is a cue.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from narrascope.model import Document, Entity, Source, Span, Statement
from narrascope.pipeline import Context, analyzer

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

VERSION = "1.2"
THRESHOLD = 0.4  # cue probability above which a verb is a cue (chosen by train cross-validation)

# Hand lexicon: used when no weights ship, and as a feature of the learned head.
SPEECH = frozenset(
    ["say", "tell", "add", "ask", "write", "note", "report", "announce", "suggest", "argue", "describe", "tweet", "declare", "explain", "acknowledge", "claim", "insist", "warn", "predict", "state", "stress", "emphasize", "emphasise", "underscore", "highlight", "assert", "contend", "maintain", "admit", "deny", "confirm", "reveal", "indicate", "signal", "mention", "observe", "remark", "comment", "complain", "concede", "charge", "allege", "urge", "propose", "recommend", "promise", "pledge", "vow", "respond", "reply", "recall", "conclude", "testify", "announce", "boast", "tout", "quip", "joke", "recount", "reiterate", "repeat", "caution", "advise", "inform", "remind", "assure", "threaten", "accuse", "criticize", "criticise", "praise", "blame", "question", "dispute", "reject", "call", "demand", "echo", "cite", "estimate", "forecast", "speculate", "wonder", "point", "post", "publish", "circulate", "amplify", "spread", "repeat"]
)
COGNITION = frozenset(
    ["think", "believe", "feel", "know", "expect", "hope", "fear", "worry", "doubt", "consider", "view", "see", "understand", "realize", "realise", "assume", "suppose", "suspect", "guess", "agree", "disagree", "want", "wish", "prefer"]
)
FRAMING = frozenset(["frame", "portray", "characterize", "characterise", "cast", "paint", "dub", "label", "brand", "term", "depict"])
SHOWING = frozenset(["show", "find", "suggest", "indicate", "reveal", "demonstrate", "highlight"])
NOUN_CUES = frozenset(
    ["assertion", "claim", "statement", "remark", "comment", "allegation", "accusation", "argument", "warning", "criticism", "skepticism", "scepticism", "doubt", "denial", "insistence", "promise", "pledge", "call", "demand", "announcement", "testimony", "suggestion", "contention", "belief", "view", "rhetoric"]
)
_DOCUMENTS = frozenset(["report", "study", "poll", "survey", "account", "document", "analysis", "memo", "letter", "statement"])
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_QUOTES = "\"“”‘’'«»"
_SUBJ = ("nsubj", "csubj", "expl")
_PASSIVE_SUBJ = ("nsubjpass", "csubjpass")

# Source typing.
_MEDIA = frozenset(
    ["media", "newspaper", "paper", "outlet", "agency", "broadcaster", "channel", "network", "tv", "television", "radio", "press", "tabloid", "magazine", "journal", "news", "xinhua", "tass", "ria", "reuters", "ap", "afp", "bbc", "cnn"]
)
_MEDIA_NAMES = (
    "times", "post", "news", "journal", "reuters", "associated press", "bbc", "cnn", "fox",
    "xinhua", "tass", "ria", "guardian", "telegraph", "tribune", "herald", "gazette", "msnbc",
    "nbc", "cbs", "abc", "npr", "politico", "breitbart", "axios", "bloomberg", "afp",
)
_OFFICIAL = frozenset(
    ["official", "officials", "office", "spokesman", "spokeswoman", "spokesperson", "minister", "ministry", "diplomat", "ambassador", "envoy", "authorities", "authority", "aide", "adviser", "advisor", "secretary", "president", "governor", "senator", "lawmaker", "legislator", "mayor", "prosecutor", "officer", "commander", "general", "representative", "delegate"]
)
_VAGUE = frozenset(
    ["report", "reports", "account", "accounts", "analyst", "analysts", "commentator", "commentators", "critic", "critics", "observer", "observers", "expert", "experts", "source", "sources", "people", "some", "many", "others", "rumor", "rumour", "voice", "voices", "insider", "insiders", "supporter", "supporters", "opponent", "opponents", "skeptic", "skeptics", "study", "studies", "poll", "polls", "survey", "surveys", "research"]
)
_ORG = frozenset(
    ["government", "governments", "administration", "campaign", "committee", "party", "company", "firm", "organization", "organisation", "council", "commission", "agency", "department", "institute", "group", "ministry", "army", "military", "union", "alliance", "court", "congress", "parliament", "senate", "bank"]
)


@dataclass
class _Raw:
    cue: tuple[int, int]
    content: tuple[int, int]
    source: tuple[int, int] | None
    head: int | None  # token index of the source's head
    kind: str
    confidence: float


# ---------------------------------------------------------------------------------------------
# the learned cue head


@dataclass(frozen=True)
class CueModel:
    """Logistic regression over hashed-by-name string features (vocabulary in JSON)."""

    index: dict[str, int]
    weights: Any  # numpy array
    bias: float

    def prob(self, feats: list[str]) -> float:
        # each feature once, as in training (training.polnear): a verb with two children under the
        # same preposition lists its `lemma_prep=` feature twice
        idx = sorted({self.index[f] for f in feats if f in self.index})
        z = self.bias + float(self.weights[idx].sum()) if idx else self.bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.cache
def cue_model() -> CueModel | None:
    """The shipped cue head, or None when its files are absent."""
    from narrascope import models

    loaded = models.load("attribution_cue")
    if loaded is None:
        return None
    arrays, meta = loaded
    names = meta["features"]
    return CueModel({f: i for i, f in enumerate(names)}, arrays["weights"].astype("float64"), float(arrays["bias"][0]))


def verb_features(tok: Token) -> list[str]:
    """The cue head's features of a verb token."""
    lemma = tok.lemma_.lower()
    deps = {c.dep_ for c in tok.children}
    struct = []
    for d in ("ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "agent", "prt", "dative", "oprd", "prep"):
        if d in deps:
            struct.append(d)
    passive = "nsubjpass" in deps or "auxpass" in deps
    feats = [
        "bias_verb",
        f"lemma={lemma}",
        f"dep={tok.dep_}",
        f"tag={tok.tag_}",
        f"lemma_dep={lemma}|{tok.dep_}",
        f"lemma_pass={lemma}|{passive}",
    ]
    feats += [f"has={d}" for d in struct]
    feats += [f"lemma_has={lemma}|{d}" for d in struct]
    if not struct:
        feats.append(f"lemma_bare={lemma}")
    preps = [c.lower_ for c in tok.children if c.dep_ in ("prep", "prt")]
    feats += [f"lemma_prep={lemma}|{p}" for p in preps]
    if lemma in SPEECH:
        feats.append("lex=speech")
    if lemma in COGNITION:
        feats.append("lex=cognition")
    if lemma in FRAMING:
        feats.append("lex=framing")
    sent = tok.sent
    if any(c in _QUOTES for c in sent.text):
        feats.append("sent_quote")
        if lemma in SPEECH:
            feats.append("sent_quote_speech")
    return feats


def _lexicon_prob(tok: Token) -> float:
    lemma = tok.lemma_.lower()
    deps = {c.dep_ for c in tok.children}
    if lemma in SPEECH or lemma in FRAMING:
        return 0.8 if deps & {"ccomp", "dobj", "xcomp", "oprd", "agent", "nsubj"} else 0.3
    if lemma in COGNITION:
        return 0.7 if "ccomp" in deps else 0.2
    return 0.0


# ---------------------------------------------------------------------------------------------
# spans

_PUNCT_TRIM = set(",.;:!?-–—()[]")


def _trim(doc: SpacyDoc, i: int, j: int, keep_quotes: bool = False) -> tuple[int, int] | None:
    """Character span of tokens ``[i, j)`` without edge spaces and punctuation."""
    while i < j and (doc[i].is_space or (doc[i].is_punct and not (keep_quotes and doc[i].is_quote))
                     or doc[i].text in _PUNCT_TRIM or doc[i].dep_ == "cc"):
        i += 1
    while j > i and (doc[j - 1].is_space or (doc[j - 1].is_punct and not (keep_quotes and doc[j - 1].is_quote))
                     or doc[j - 1].text in _PUNCT_TRIM or doc[j - 1].dep_ == "cc"):
        j -= 1
    if i >= j:
        return None
    if j < len(doc) and doc[j].text == ")" and any(doc[k].text == "(" for k in range(i, j)):
        j += 1  # keep "(PLA)" whole
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _subtree(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _np(tok: Token, drop_relcl: bool = False) -> tuple[int, int] | None:
    """The noun phrase of ``tok`` (its subtree), optionally cut before a relative clause."""
    i, j = _subtree(tok)
    if drop_relcl:
        heads = {tok.i, *(c.i for c in tok.conjuncts)}
        for c in tok.doc[tok.i + 1 : j]:
            if c.dep_ in ("relcl", "acl") and c.head.i in heads:
                j = min(j, c.left_edge.i)
                break
    return _trim(tok.doc, i, j)


def _relative_antecedent(subj: Token) -> Token | None:
    """The noun a relative pronoun subject stands for ("media, which has …" → media)."""
    if subj.lower_ not in _RELATIVE or subj.tag_ not in ("WDT", "WP", "IN", "DT"):
        return None
    verb = subj.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ in ("relcl", "acl") and verb.head.i != verb.i:
        return verb.head
    return None


def _subject(verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """The subject of ``verb`` (walking up participles and conjuncts); second: is it inherited."""
    for c in verb.children:
        if c.dep_ in _SUBJ:
            return c, depth > 0
    if depth < 3 and verb.dep_ in ("advcl", "conj", "xcomp", "ccomp") and verb.head.i != verb.i:
        if verb.dep_ == "ccomp" or (verb.dep_ == "advcl" and verb.tag_ not in ("VBG", "VBN")):
            return None, False
        return _subject(verb.head, depth + 1)
    if verb.dep_ == "relcl" and verb.head.i != verb.i and verb.tag_ in ("VBG",):
        return verb.head, True
    return None, False


_CHAIN = frozenset({"prep", "pobj", "oprd", "dobj", "attr", "npadvmod"})


def _agent(verb: Token) -> Token | None:
    """The ``by`` agent of a passive verb, also when the parser hung it on a complement
    ("dubbed 'X' in Y by Z", "met with skepticism by Z")."""
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    if not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) and verb.tag_ != "VBN":
        return None
    for t in verb.doc[verb.i + 1 : verb.right_edge.i + 1]:
        if t.lower_ != "by" or t.dep_ not in ("prep", "agent"):
            continue
        h = t.head
        ok = True
        while h.i != verb.i:
            if h.dep_ not in _CHAIN or h.head.i == h.i:
                ok = False
                break
            h = h.head
        if ok:
            return next((g for g in t.children if g.dep_ == "pobj"), None)
    return None


def _quote_content(doc: SpacyDoc, tok: Token) -> tuple[int, int] | None:
    """The quoted passage of the cue's sentence nearest to the cue, if any."""
    sent = tok.sent
    opens = [t.i for t in sent if t.is_quote]
    if len(opens) < 2:
        return None
    best = None
    for a, b in zip(opens[::2], opens[1::2], strict=False):
        if b - a < 2:
            continue
        dist = min(abs(tok.i - a), abs(tok.i - b))
        if best is None or dist < best[0]:
            best = (dist, a, b)
    if best is None:
        return None
    return _trim(doc, best[1], best[2] + 1, keep_quotes=True)


def _content_of(doc: SpacyDoc, verb: Token, text: str) -> tuple[tuple[int, int] | None, str]:
    """The content span the verb governs and the statement kind it suggests."""
    span, kind = _content_of_(doc, verb, text)
    if span is not None and kind == "indirect":
        before = text[max(0, span[0] - 3) : span[0]].strip()
        if before and before[-1] in _QUOTES and text[span[0]] not in _QUOTES:
            kind = "direct"  # the quote marks hang on the verb: '"…," she said'
    return span, kind


def _next_word(doc: SpacyDoc, j: int) -> int:
    while j < len(doc) and doc[j].is_space:
        j += 1
    return j


def _extend_right(verb: Token, comp: Token, j: int, doc: SpacyDoc) -> int:
    """The content clause runs on over what the parser hung on the cue after it ("said X, and of
    Y"; "said X because Y"), but not over another cue's clause ("…, adding that …")."""
    for c in verb.rights:
        if c.i < j or c.i <= comp.i:
            continue
        if c.dep_ in ("punct",):
            continue
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            break
        if c.dep_ == "advcl" and c.tag_ == "VBG":
            break
        if c.dep_ in ("cc",):
            continue
        if c.dep_ in _EXTEND_DEPS:
            j = max(j, c.right_edge.i + 1)
    end = verb.i + 1  # no further than the cue's sentence
    while end < j and not doc[end].is_sent_start:
        end += 1
    return end


_EXTEND_DEPS = frozenset({"advcl", "conj", "prep", "npadvmod", "advmod", "dobj", "ccomp", "parataxis"})


def _content_of_(doc: SpacyDoc, verb: Token, text: str) -> tuple[tuple[int, int] | None, str]:
    kids = list(verb.children)
    lemma = verb.lemma_.lower()
    for dep in ("ccomp", "xcomp"):
        for c in kids:
            if c.dep_ == dep:
                i, j = _subtree(c)
                if dep == "ccomp" and c.i < verb.i:  # "…," he said
                    span = _trim(doc, i, j, keep_quotes=True)
                    return span, "direct" if span and text[span[0]] in _QUOTES else "indirect"
                if dep == "xcomp" and lemma in FRAMING | {"view", "see", "consider", "call"}:
                    # "framed his actions as …": object and complement together
                    objs = [k for k in kids if k.dep_ == "dobj"]
                    if objs:
                        i = min(i, objs[0].left_edge.i)
                    return _trim(doc, i, j), "framing"
                if dep == "ccomp":
                    j = _extend_right(verb, c, j, doc)
                span = _trim(doc, i, j, keep_quotes=True)
                direct = span is not None and text[span[0]] in _QUOTES
                return span, "direct" if direct else "indirect"
    objs = [c for c in kids if c.dep_ in ("dobj", "attr", "oprd")]
    if objs:
        i = min(o.left_edge.i for o in objs)
        j = max(o.right_edge.i for o in objs) + 1
        # "framed X as Y", "portrayed X as Y", "called for X": take the complements too
        for c in kids:
            if c.dep_ in ("prep", "advcl", "oprd", "ccomp") and c.i > verb.i and c.lower_ in ("as", "like"):
                j = max(j, c.right_edge.i + 1)
            elif c.dep_ in ("prep", "ccomp", "xcomp") and c.i >= j and c.i == _next_word(doc, j):
                j = max(j, c.right_edge.i + 1)  # "accused him of …", "blamed the law on …"
        kind = "framing" if lemma in FRAMING else "indirect"
        span = _trim(doc, i, j, keep_quotes=True)
        if span and text[span[0]] in _QUOTES and kind == "indirect":
            kind = "direct"
        return span, kind
    for c in kids:
        if c.dep_ == "prep" and c.i > verb.i and c.lower_ in ("for", "about", "on", "of", "against", "to", "as"):
            pobj = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if pobj:
                i, j = pobj[0].left_edge.i, c.right_edge.i + 1
                return _trim(doc, i, j), "indirect"
    if verb.dep_ == "parataxis" and verb.head.i != verb.i:  # "…," he said, "…"
        head = verb.head
        i, j = _subtree(head)
        a, b = _subtree(verb)
        sent = verb.sent
        i, j = max(i, sent.start), min(j, sent.end)
        if a > i:
            span = _trim(doc, i, a, keep_quotes=True)
            return span, "direct" if span and text[span[0]] in _QUOTES else "indirect"
    q = _quote_content(doc, verb)
    if q:
        return q, "direct"
    return None, "other"


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl") and _agent(verb) is not None
    )


def extract(doc: SpacyDoc, model: CueModel | None = None, threshold: float = THRESHOLD,
            relative_pronoun_source: bool = False) -> list[_Raw]:
    """Raw attributions of a parsed document."""
    out: list[_Raw] = []
    text = doc.text  # built on every access: once per document
    regions = _quote_regions(text)
    for tok in doc:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            raw = _according_to(doc, tok)
            if raw:
                out.append(raw)
        elif tok.text == ":" or tok.text in _DASHES:
            raw = _colon_label(doc, tok, text) if tok.text == ":" else _dash_label(doc, tok, text)
            if raw:
                out.append(raw)
        elif tok.pos_ in ("VERB", "AUX") and tok.dep_ != "aux" and tok.dep_ != "auxpass":
            raw = _verb_cue(doc, tok, model, threshold, relative_pronoun_source, text)
            if raw:
                out.append(raw)
                more = _continuation(doc, tok, raw, regions, text)
                if more:
                    out.append(more)
                out += _open_quote_paragraphs(text, more or raw, regions)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES:
            raw = _noun_cue(doc, tok)
            if raw:
                out.append(raw)
    if out:
        for raw in out:
            raw.content = _widen_to_quotes(raw.content, raw.cue, regions)
    return out


_QUOTE_MARK = re.compile("\'\'|[“”\"\n\r]")


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of the quoted passages of a text (curly, straight and doubled-apostrophe
    quotes), each inside one paragraph; a quote left open runs to its paragraph's end."""
    regions: list[tuple[int, int]] = []
    n = len(text)
    start = -1
    for m in _QUOTE_MARK.finditer(text):
        k, ch = m.start(), m.group()
        if ch in "\n\r":
            if start >= 0:
                regions.append((start, k))
                start = -1
            continue
        prev = text[k - 1] if k else " "
        nxt = text[m.end()] if m.end() < n else " "
        opening = ch == "“" or (ch != "”" and (prev.isspace() or prev in "([—―–-:")) or (
            ch == "”" and start < 0 and (prev.isspace() or k == 0) and nxt.isalnum())
        if start >= 0 and ch == "“":
            start = k  # an unclosed quote: restart at the new one
        elif start >= 0:
            regions.append((start, m.end()))
            start = -1
        elif opening:
            start = k
    if start >= 0:
        regions.append((start, n))
    return regions


def _open_quote_paragraphs(text: str, raw: _Raw, regions: list[tuple[int, int]]) -> list[_Raw]:
    """A quote left open at its paragraph's end goes on in the next paragraph that opens with a
    quote mark (the news convention for a quote over several paragraphs)."""
    out: list[_Raw] = []
    end = raw.content[1]
    if raw.kind != "direct" and text[raw.content[0]] not in _QUOTES:
        return out
    for _ in range(8):
        if end >= len(text) or text[end - 1] in _QUOTES or end - raw.content[0] < 2:
            break
        nxt = next((r for r in regions if r[0] >= end), None)
        if nxt is None or text[end:nxt[0]].strip() or text[end:nxt[0]].count("\n") > 3:
            break
        out.append(_Raw(raw.cue, nxt, raw.source, raw.head, "direct", raw.confidence * 0.9))
        end = nxt[1]
    return out


def _widen_to_quotes(span: tuple[int, int], cue: tuple[int, int],
                     regions: list[tuple[int, int]]) -> tuple[int, int]:
    """A content span that starts or ends inside a quoted passage (not the cue's own) takes in
    the whole passage: '"… . The people do not agree," she said' → the full quote."""
    s, e = span
    for qs, qe in regions:
        if qs >= e:
            break
        if qe <= s or (qs <= cue[0] < qe):
            continue
        if qs < s < qe or qs < e < qe or (s <= qs and qe <= e):
            s, e = min(s, qs), max(e, qe)
    return s, e


# ---------------------------------------------------------------------------------------------
# line labels: "Pence: …" (headlines, transcripts, "From X:") and '"…" ― Name' (dash bylines)

_DASHES = frozenset({"―", "—", "–", "--"})
_LABEL_STOP = frozenset(
    ["update", "updated", "photo", "photos", "video", "videos", "related", "watch", "read", "note", "editor",
     "getty", "image", "images", "credit", "credits", "pic", "q", "a", "see", "also", "more", "here", "warning",
     "breaking", "exclusive", "analysis", "opinion", "correction", "disclosure", "subscribe", "listen", "click",
     "follow", "contact", "email", "tags", "topics", "source", "sources", "caption", "the", "this", "in", "on", "at",
     "and", "but", "or", "so", "why", "how", "what", "when", "where", "who", "first", "second", "third", "ps", "p.s."]
)


def _is_newline(tok: Token) -> bool:
    return tok.is_space and ("\n" in tok.text or "\r" in tok.text)


def _line_bounds(doc: SpacyDoc, i: int) -> tuple[int, int]:
    """Token range ``[a, b)`` of the text line around token ``i``."""
    a = i
    while a > 0 and not _is_newline(doc[a - 1]):
        a -= 1
    b = i
    while b < len(doc) and not _is_newline(doc[b]):
        b += 1
    return a, b


def _words(doc: SpacyDoc, i: int, j: int) -> list[Token]:
    return [t for t in doc[i:j] if not (t.is_space or t.is_punct)]


def _colon_label(doc: SpacyDoc, colon: Token, text: str) -> _Raw | None:
    """"Pence: Gennifer Flowers won't be there" — a short name at the start of a line, then a colon."""
    a, b = _line_bounds(doc, colon.i)
    while a < colon.i and (doc[a].is_space or doc[a].is_quote or doc[a].text in "([-–—―*"):
        a += 1
    label = _words(doc, a, colon.i)
    if not 1 <= len(label) <= 5 or any(t.is_punct and t.text not in (".", "-", "&") for t in doc[a:colon.i]):
        return None
    first = label[0]
    if first.lower_ == "from" and len(label) > 1:  # "From Pence:" — the source is what follows "from"
        label = label[1:]
        first = label[0]
    if not first.text[:1].isupper() or first.lower_ in _LABEL_STOP:
        return None
    if any(t.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "CCONJ") and t.text != "&" for t in label) or any(
            t.like_num for t in label):
        return None
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in label):
        return None
    content = _trim(doc, colon.i + 1, b, keep_quotes=True)
    if content is None or len(_words(doc, colon.i + 1, b)) < 3:
        # "From Pence:" on a line of its own: the next line is what was said
        if b >= len(doc):
            return None
        c = b
        while c < len(doc) and doc[c].is_space:
            c += 1
        if c >= len(doc):
            return None
        _, e = _line_bounds(doc, c)
        if len(_words(doc, c, e)) < 3:
            return None
        content = _trim(doc, c, e, keep_quotes=True)
        if content is None:
            return None
    source = _trim(doc, label[0].i, label[-1].i + 1)
    if source is None:
        return None
    kind = "direct" if text[content[0]] in _QUOTES else "indirect"
    return _Raw((colon.idx, colon.idx + 1), content, source, label[-1].i, kind, 0.6)


def _dash_label(doc: SpacyDoc, dash: Token, text: str) -> _Raw | None:
    """'"We will win." ― Ann Lee' and tweets "… — Paul Ryan (@SpeakerRyan) July 5, 2016"."""
    a, b = _line_bounds(doc, dash.i)
    k = dash.i + 1
    while k < b and doc[k].is_space:
        k += 1
    name: list[Token] = []
    while k < b and (doc[k].pos_ == "PROPN" or (doc[k].text[:1].isupper() and doc[k].is_alpha)
                     or (name and doc[k].text in (".", "-"))):
        name.append(doc[k])
        k += 1
    if not name or len(name) > 6 or not name[0].text[:1].isupper():
        return None
    end = name[-1].i + 1
    if k + 2 < b and doc[k].text == "(" and doc[k + 1].text.startswith("@") and doc[k + 2].text == ")":
        end = k + 3  # "(@SpeakerRyan)"
        k += 3
    # the line must end with the byline (a date, markup or punctuation may follow)
    for t in doc[k:b]:
        if not (t.is_space or t.is_punct or t.like_num or t.ent_type_ == "DATE" or "<" in t.text or ">" in t.text):
            return None
    # the content: the line before the dash, from its opening quote or after any markup
    i = a
    for t in doc[a:dash.i]:
        if ">" in t.text:
            i = t.i + 1
    if not _words(doc, i, dash.i) or len(_words(doc, i, dash.i)) < 3:
        return None
    prev = dash.i - 1
    while prev >= i and doc[prev].is_space:
        prev -= 1
    if not (doc[prev].is_quote or doc[prev].text in ".!?" or doc[i].is_quote or any("<" in t.text for t in doc[k:b])):
        return None
    content = _trim(doc, i, dash.i, keep_quotes=True)
    source = _trim(doc, name[0].i, end)
    if content is None or source is None:
        return None
    kind = "direct" if text[content[0]] in _QUOTES else "indirect"
    return _Raw((dash.idx, dash.idx + len(dash.text)), content, source, name[-1].i, kind, 0.6)


_OPEN = "\"“‘'«"


def _after_colon(doc: SpacyDoc, verb: Token) -> tuple[int, int] | None:
    """"He added: …": what follows the colon, in this sentence or the next one."""
    sent = verb.sent
    for k in range(verb.i + 1, min(sent.end, verb.i + 5)):
        if doc[k].text == ":":
            rest = _trim(doc, k + 1, sent.end, keep_quotes=True)
            if rest is not None:
                return rest
            if sent.end < len(doc):
                nxt = doc[sent.end]
                while nxt.is_space and nxt.i + 1 < len(doc):
                    nxt = doc[nxt.i + 1]
                return _trim(doc, nxt.i, nxt.sent.end, keep_quotes=True)
            return None
    return None


def _continuation(doc: SpacyDoc, verb: Token, raw: _Raw, regions: list[tuple[int, int]],
                  text: str) -> _Raw | None:
    """The quote that goes on after the cue's sentence ('"…," he said. "…"', '"…," he said, "…"')
    or after "said:"."""
    sent = verb.sent
    after = max(raw.content[1], raw.cue[1])
    region = next((r for r in regions if r[0] >= after), None)
    toks = [t for t in doc[verb.i + 1 : min(len(doc), sent.end + 40)] if not t.is_space]
    colon = False
    if region is not None:
        between = [t for t in toks if t.idx >= raw.cue[1] and after <= t.idx < region[0]]
        gap = text[after : region[0]]
        if (between and between[-1].text in (".", ":", ",") and between[-1].i < sent.end
                and ("\n\n\n" not in gap.replace("\r", "") or between[-1].text == ":")
                and (between[-1].text != "," or raw.content[1] <= raw.cue[0])):
            return _Raw(raw.cue, region, raw.source, raw.head, "direct", raw.confidence * 0.9)
    tail = [t for t in toks if t.idx >= raw.cue[1] and t.i < sent.end]
    colon = bool(tail) and tail[-1].text == ":"
    if not colon or sent.end >= len(doc) or raw.content[0] > raw.cue[0]:
        return None
    nxt = doc[sent.end]
    while nxt.is_space and nxt.i + 1 < len(doc):
        nxt = doc[nxt.i + 1]
    end = nxt.i + 1
    while end < len(doc) and not (doc[end].is_sent_start or "\n" in doc[end].text):
        end += 1
    span = _trim(doc, nxt.i, end, keep_quotes=True)
    if span is None or span[1] - span[0] < 3:
        return None
    return _Raw(raw.cue, span, raw.source, raw.head, "direct", raw.confidence * 0.9)


def _cue_span(doc: SpacyDoc, verb: Token) -> tuple[int, int]:
    """The verb with its auxiliaries ("has underscored") and particle ("called for" stays verb)."""
    i = verb.i
    for c in verb.lefts:
        if c.dep_ in ("aux", "auxpass", "neg") and c.i >= verb.i - 3:
            i = min(i, c.i)
            break
    j = verb.i + 1
    for c in verb.rights:
        if c.dep_ == "prt" and c.i == j:
            j = c.i + 1
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _verb_cue(doc: SpacyDoc, verb: Token, model: CueModel | None, threshold: float,
              relative_pronoun_source: bool, text: str) -> _Raw | None:
    p = model.prob(verb_features(verb)) if model is not None else _lexicon_prob(verb)
    lemma = verb.lemma_.lower()
    if p < threshold and (lemma in SPEECH or lemma in FRAMING) and _passive(verb) and _agent(verb):
        p = 0.75  # "dubbed … by Chinese officials", "amplified by state media"
    reportish = lemma in SPEECH or lemma in SHOWING
    if p < threshold and not (reportish and p >= threshold - 0.2):
        return None
    content, kind = _content_of(doc, verb, text)
    if content is None:
        content = _after_colon(doc, verb)
        kind = "direct" if content and text[content[0]] in _QUOTES else "indirect"
    src_tok: Token | None = None
    if _passive(verb):
        src_tok = _agent(verb)
        if content is None or verb.lemma_.lower() not in FRAMING:
            subj = next((c for c in verb.children if c.dep_ in _PASSIVE_SUBJ), None)
            if subj is not None and content is None:
                ante = _relative_antecedent(subj)
                content = _np(ante, drop_relcl=True) if ante is not None else _np(subj)
            elif subj is None and verb.dep_ in ("acl", "relcl") and content is None:
                content = _np(verb.head, drop_relcl=True)
            if kind == "other":
                kind = "indirect"
        if src_tok is None:
            return None
        source = _np(src_tok, drop_relcl=not relative_pronoun_source)
    else:
        subj, inherited = _subject(verb)
        if subj is None:
            return None
        src_tok = subj
        ante = _relative_antecedent(subj)
        if ante is not None and not relative_pronoun_source:
            src_tok = ante
            source = _np(ante, drop_relcl=True)
        elif subj.i == verb.head.i:  # participle relative: "reports emerging … that highlight"
            source = _np(subj, drop_relcl=True)
        else:
            source = _np(subj, drop_relcl=not relative_pronoun_source)
    if content is None or source is None:
        return None
    if p < threshold:  # a weak cue with a document as its source: "reports that highlight …"
        if _head_lemma(src_tok) not in _DOCUMENTS:
            return None
        p = threshold
    if _head_lemma(src_tok) in ("report", "study", "poll", "survey", "account") and kind == "indirect":
        kind = "report"
    return _Raw(_cue_span(doc, verb), content, source, src_tok.i, kind, p)


def _according_to(doc: SpacyDoc, tok: Token) -> _Raw | None:
    to = next(c for c in tok.children if c.lower_ == "to")
    pobj = next((g for g in to.children if g.dep_ == "pobj"), None)
    if pobj is None:
        return None
    source = _np(pobj)
    head = tok.head if tok.head.i != tok.i else None
    a, b = tok.left_edge.i, tok.right_edge.i + 1
    if head is None:
        sent = tok.sent
        i, j = sent.start, sent.end
    else:
        i, j = _subtree(head)
        sent = tok.sent
        i, j = max(i, sent.start), min(j, sent.end)
    if a <= i + 1:  # phrase at the start: content follows
        i = b
    elif b >= j - 1:  # at the end: content precedes
        j = a
    content = _trim(doc, i, j, keep_quotes=True)
    if source is None or content is None:
        return None
    cue = (tok.idx, to.idx + len(to.text))
    return _Raw(cue, content, source, pobj.i, "according_to", 0.9)


def _noun_cue(doc: SpacyDoc, noun: Token) -> _Raw | None:
    """"his assertions", "their claim that …", "met with skepticism by X"."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and
                   any(g.lower_ == "that" and g.dep_ == "mark" for g in g_children(c))), None)
    if poss is not None:
        source = _np(poss)
        content = _trim(doc, *_subtree(clause)) if clause is not None else _np(noun)
        if source is None or content is None:
            return None
        return _Raw((noun.idx, noun.idx + len(noun.text)), content, source, poss.i, "nominal", 0.6)
    # "X is met with skepticism by Y": the noun is the object of "with"; Y the agent of the verb
    if noun.dep_ == "pobj" and noun.head.lower_ == "with":
        verb = noun.head.head
        agent = _agent(verb) or next((g for c in noun.children if c.lower_ == "by"
                                      for g in c.children if g.dep_ == "pobj"), None)
        subj = next((c for c in verb.children if c.dep_ in _PASSIVE_SUBJ), None)
        if agent is not None and subj is not None:
            source, content = _np(agent), _np(subj)
            if source and content:
                return _Raw((noun.idx, noun.idx + len(noun.text)), content, source, agent.i, "nominal", 0.7)
    return None


def g_children(tok: Token) -> list[Token]:
    return list(tok.children)


def _head_lemma(tok: Token) -> str:
    return tok.lemma_.lower()


# ---------------------------------------------------------------------------------------------
# sources: entity link and type


def _entity_lookup(doc: Document) -> list[tuple[int, int, int, Entity]]:
    rows = []
    for ent in doc.entities or ():
        for m in ent.mentions:
            rows.append((m.start, m.end, m.end - m.start, ent))
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def _entity_at(rows: list[tuple[int, int, int, Entity]], start: int, end: int) -> Entity | None:
    best: tuple[int, Entity] | None = None
    for s, e, size, ent in rows:
        if s >= end:
            break
        if s < end and start < e and (best is None or size < best[0]):
            best = (size, ent)
    return best[1] if best else None


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _source_type(text: str, head: Token, entity: Entity | None) -> str:
    words = [t for t in _conjuncts(head)]
    lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
    low = text.lower()
    named_media = any(n in low.split() or (" " in n and n in low) for n in _MEDIA_NAMES
                      if head.pos_ == "PROPN" or entity is not None)
    # "The Riverton Gazette": a name ending in a masthead word is an outlet, whatever NER said
    masthead = head.pos_ == "PROPN" and head.lower_ in _MEDIA_NAMES
    if masthead or ((lemmas & _MEDIA or named_media) and not (entity is not None and entity.type == "person")):
        return "media"
    if entity is not None and entity.type == "person":
        return "person"
    if lemmas & _OFFICIAL and head.pos_ != "PROPN":
        return "official"
    if lemmas & _VAGUE and head.pos_ != "PROPN":
        return "vague"
    if entity is not None and entity.type in ("organisation", "group", "place"):
        return "organisation"
    if lemmas & _ORG:
        return "organisation"
    if head.ent_type_ == "PERSON" or head.lower_ in ("he", "she", "i", "him", "her", "his"):
        return "person"
    if head.ent_type_ in ("ORG", "GPE", "NORP"):
        return "organisation"
    if head.pos_ == "PROPN":
        return "person"
    if head.pos_ == "PRON":
        return "vague" if head.lower_ in ("some", "many", "others", "they", "who") else "person"
    return "vague"


def _unlinked_thing(source_text: str) -> bool:
    return source_text.strip().lower() in ("it", "this", "that", "these", "those", "which", "what")


def _source(doc: Document, sdoc: SpacyDoc, raw: _Raw, rows: list) -> Source:
    s, e = raw.source or (0, 0)
    head = sdoc[raw.head] if raw.head is not None else None
    entity = None
    if head is not None:
        entity = _entity_at(rows, head.idx, head.idx + len(head.text))
        if entity is None and head.dep_ != "poss":  # "Putin's government": the possessor is not it
            for c in head.children:
                if c.dep_ == "compound":
                    entity = _entity_at(rows, c.idx, c.idx + len(c.text)) or entity
    text = doc.text[s:e]
    typ = _source_type(text, head, entity) if head is not None else "vague"
    conf = 0.9 if entity is not None else 0.7
    return Source(text=text, start=s, end=e, type=typ,  # type: ignore[arg-type]
                  entity=entity.name if entity else None, entity_id=entity.id if entity else None,
                  confidence=conf)


@analyzer("attribution", version=VERSION, requires=("sentences", "entities"), assigns=("statements",), languages=("en",))
def analyze(doc: Document, ctx: Context) -> Document:
    """Find attributed statements: source, cue, content, kind, with entity links."""
    cfg = ctx.config.get("attribution", {}) if isinstance(ctx.config.get("attribution"), dict) else {}
    sdoc = ctx.parsed(doc)
    raws = extract(sdoc, cue_model(), float(cfg.get("threshold", THRESHOLD)),
                   bool(cfg.get("relative_pronoun_source", False)))
    rows = _entity_lookup(doc)
    sent_starts = [s.start for s in doc.sentences or ()]
    benchmark_mode = bool(cfg.get("relative_pronoun_source", False))
    statements: list[Statement] = []
    seen: set[tuple[int, int, int, int]] = set()
    for raw in sorted(raws, key=lambda r: (r.cue[0], r.content[0])):
        key = (*raw.cue, *raw.content)
        if key in seen:
            continue
        seen.add(key)
        if doc.headline is not None and raw.cue[0] < doc.headline.end:
            continue  # the headline is checked against the body, not read as a statement
        if not benchmark_mode and raw.source and _unlinked_thing(doc.text[raw.source[0]:raw.source[1]]):
            continue  # "it shows …": an unresolved non-personal pronoun is nobody's statement
        sent = 0
        for k, st in enumerate(sent_starts):
            if st <= raw.cue[0]:
                sent = k
            else:
                break
        statements.append(Statement(
            id=f"st{len(statements) + 1}",
            source=_source(doc, sdoc, raw, rows),
            cue=Span(start=raw.cue[0], end=raw.cue[1], text=doc.text[raw.cue[0]:raw.cue[1]]),
            content=Span(start=raw.content[0], end=raw.content[1], text=doc.text[raw.content[0]:raw.content[1]]),
            kind=raw.kind,  # type: ignore[arg-type]
            sentence=sent,
            confidence=round(min(1.0, max(0.0, raw.confidence)), 3),
        ))
    return doc.with_layers("attribution", VERSION, statements=tuple(statements))
