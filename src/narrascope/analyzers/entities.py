"""Entities (people, organisations, places, groups) with in-article coreference.

spaCy's NER finds names; this module groups them into entities and resolves, only where
unambiguous:

- aliases: a later "Putin" to an earlier "Vladimir Putin"; an acronym "PLA" to
  "People's Liberation Army";
- nominals: "the Russian president" to the one person introduced with the title "President";
- pronouns: "he/his/him" to the one person mentioned in the same or the previous sentence.

Hand-written because no offline library does English coreference at this speed; the rules
refuse to link when two candidates compete.

Russian articles: natasha's NER (:mod:`narrascope.russian`), its inflected forms grouped by their
normal form ("России", "Россию" → "Россия") and a surname to the one full name that ends in it
("Путина" → "Владимир Путин"); no nominals or pronouns.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from narrascope.model import Document, Entity, Mention
from narrascope.model.document import MentionKind
from narrascope.pipeline import Context, analyzer, language_code

VERSION = "1.2"

_TYPES = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
# Role nouns that can stand for a titled person ("the Russian president").
TITLES = frozenset(
    """president prime minister premier chancellor king queen pope governor senator mayor
    secretary spokesman spokeswoman spokesperson ambassador general admiral commander
    chairman chairwoman chair leader ceo director envoy foreign defence defense""".split()
)
# Last words of newspaper names: "The Riverton Gazette" is an outlet even where the tagger says PERSON.
MASTHEADS = frozenset("gazette times post news journal tribune herald telegraph chronicle observer".split())
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z0-9]{1,9})\)")
_DETERMINER = re.compile(r"^(?:the|The)\s+")
_WORD = re.compile(r"[^\W\d_]{3,}")
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


@dataclass
class _Cluster:
    type: str
    labels: Counter[str] = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        names = [m for m in self.mentions if m.kind == "name"] or self.mentions
        return max(names, key=lambda m: (len(m.text.split()), -m.start)).text


def _clean(ent_text: str, start: int) -> tuple[str, int]:
    """Strip a leading article and a trailing possessive; return text and new start."""
    m = _DETERMINER.match(ent_text)
    if m:
        ent_text, start = ent_text[m.end() :], start + m.end()
    ent_text = _POSSESSIVE.sub("", ent_text)
    if "(" in ent_text and ")" not in ent_text:  # "Shanghai Cooperation Organization (SCO"
        ent_text = ent_text[: ent_text.index("(")]
    return ent_text.rstrip(), start


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w’']*", name) if w[0].isupper())


def entity_at(doc: Document, start: int, end: int) -> Entity | None:
    """The entity with a mention overlapping ``[start, end)``; the tightest mention wins."""
    best: tuple[int, Entity] | None = None
    for ent in doc.entities or ():
        for m in ent.mentions:
            if m.start < end and start < m.end:
                size = m.end - m.start
                if best is None or size < best[0]:
                    best = (size, ent)
    return best[1] if best else None


@analyzer("entities", version=VERSION, requires=("sentences",), assigns=("entities",), languages=("en", "ru"))
def analyze(doc: Document, ctx: Context) -> Document:
    """Find entities and resolve their aliases, nominals and pronouns."""
    if language_code(doc.language) == "ru":
        return doc.with_layers("entities", VERSION, entities=russian_entities(doc.text))
    parsed = ctx.parsed(doc)
    text = doc.text
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    person_last: dict[str, _Cluster] = {}
    acronyms: dict[str, _Cluster] = {}
    pending: list[tuple[str, str, int, int]] = []

    artifact = _title_case_artifact(doc)
    for ent in parsed.ents:
        etype = _TYPES.get(ent.label_)
        if etype is None:
            continue
        name, start = _clean(ent.text, ent.start_char)
        if not name or not any(c.isalpha() for c in name) or artifact(name, start):
            continue
        pending.append((ent.label_, name, start, start + len(name)))

    # Place evidence wins over other labels for the same surface ("Donbass" tagged PERSON elsewhere).
    surface_labels: dict[str, Counter[str]] = defaultdict(Counter)
    for label, name, _, _ in pending:
        surface_labels[name.lower()][label] += 1

    for label, name, start, end in pending:
        labels = surface_labels[name.lower()]
        if labels["NORP"] and label != "NORP":  # demonyms: "Ukrainian" is a group, not a place
            label = "NORP"
        elif label in ("PERSON", "ORG") and (labels["GPE"] or labels["LOC"]):
            label = "GPE" if labels["GPE"] >= labels["LOC"] else "LOC"
        if label == "PERSON" and " " in name and name.split()[-1].lower() in MASTHEADS:
            label = "ORG"
        if label in ("ORG", "GPE") and " " not in name and name.lower() in person_last:
            label = "PERSON"  # "Kovacs said": a known surname the tagger took for an organisation
        etype = _TYPES[label]
        key = f"{etype}:{name.lower()}"
        cluster = by_key.get(key)
        kind: MentionKind = "name"
        if cluster is None and etype == "person" and " " not in name:
            cluster = person_last.get(name.lower())
            kind = "alias" if cluster else "name"
        if cluster is None and etype in ("organisation", "place") and name.isupper() and len(name) >= 2:
            cluster = acronyms.get(name)
            kind = "alias" if cluster else "name"
        if cluster is None:
            cluster = _Cluster(etype)
            clusters.append(cluster)
        by_key.setdefault(key, cluster)
        if cluster.mentions and kind == "name" and len(name) < len(cluster.name):
            kind = "alias"
        cluster.labels[label] += 1
        confidence = 0.9 if kind == "name" else 0.8
        cluster.mentions.append(Mention(start=start, end=end, text=text[start:end], kind=kind, confidence=confidence))
        if etype == "person" and " " in name:
            person_last.setdefault(name.split()[-1].lower(), cluster)
            # a title right before the name: "President Vladimir Putin"
            prev = text[max(0, start - 40) : start].split()
            if prev and prev[-1].lower() in TITLES:
                cluster.titles.add(prev[-1].lower())
        if etype in ("organisation", "place") and " " in name:
            acr = _acronym(name)
            if len(acr) >= 2:
                acronyms.setdefault(acr, cluster)
            # "Shanghai Cooperation Organization (SCO)": the bracketed acronym is an alias
            paren = _PAREN_ACRONYM.match(text, end)
            if paren:
                acronyms.setdefault(paren.group(1), cluster)
                cluster.mentions.append(Mention(start=paren.start(1), end=paren.end(1), text=paren.group(1), kind="alias", confidence=0.85))

    _resolve_surface_aliases(doc, ctx, clusters, person_last, acronyms)
    _resolve_nominals(doc, ctx, clusters)
    _resolve_pronouns(doc, ctx, clusters)

    entities = []
    for i, c in enumerate(sorted((c for c in clusters if c.mentions), key=lambda c: min(m.start for m in c.mentions))):
        mentions = tuple(sorted({(m.start, m.end): m for m in reversed(c.mentions)}.values(), key=lambda m: m.start))
        conf = round(sum(m.confidence for m in mentions) / len(mentions), 3)
        entities.append(
            Entity(id=f"E{i + 1}", name=c.name, type=c.type, label=c.labels.most_common(1)[0][0], mentions=mentions, confidence=conf)  # type: ignore[arg-type]
        )
    return doc.with_layers("entities", VERSION, entities=tuple(entities))


_NATASHA_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}


def russian_entities(text: str) -> tuple[Entity, ...]:
    """Entities of a Russian text (see the module's docstring)."""
    from narrascope import russian

    groups: dict[tuple[str, str], list[russian.NamedSpan]] = {}
    for span in russian.named_entities(text):
        if span.label in _NATASHA_TYPES:
            groups.setdefault((span.label, span.normal.lower()), []).append(span)
    # a lone surname joins the one full name (two words or more) that ends in it
    full: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for label, normal in groups:
        if label == "PER" and " " in normal:
            full[normal.split()[-1]].append((label, normal))
    aliases: set[tuple[int, int]] = set()
    for key in [k for k in groups if k[0] == "PER" and " " not in k[1]]:
        owners = full.get(key[1], [])
        if len(owners) == 1:
            aliases.update((s.start, s.end) for s in groups[key])
            groups[owners[0]].extend(groups.pop(key))
    entities = []
    ordered = sorted(groups.items(), key=lambda kv: min(s.start for s in kv[1]))
    for i, ((label, _), spans) in enumerate(ordered):
        mentions = tuple(
            Mention(start=s.start, end=s.end, text=s.text, kind="alias" if (s.start, s.end) in aliases else "name",
                    confidence=0.7 if (s.start, s.end) in aliases else 0.8)
            for s in sorted(spans, key=lambda s: s.start))
        name = max((s.normal for s in spans), key=lambda n: (len(n.split()), len(n)))
        conf = round(sum(m.confidence for m in mentions) / len(mentions), 3)
        entities.append(Entity(id=f"E{i + 1}", name=name, type=_NATASHA_TYPES[label], label=label,  # type: ignore[arg-type]
                               mentions=mentions, confidence=conf))
    return tuple(entities)


def _title_case_artifact(doc: Document):  # type: ignore[no-untyped-def]
    """A test for names the tagger found in a Title Case headline that are ordinary words: in
    "City Council Approves New Flood Barriers and Promises Lower Insurance Costs" every word is
    capitalised, and spaCy tags "Promises Lower Insurance Costs" as an organisation. Such a name is
    dropped when the body never mentions it and either the body writes at least half of its words
    in lower case ("approves", "flood") or it has two or more words, all of them common lower-case
    words (:func:`narrascope.embeddings.is_common_word`), unless it is a short name with an acronym
    ("NY Daily News"). A real name found only in the headline keeps its capitals in the body, or has
    a rare word in it ("Shanghai Cooperation Organization"). On 450 English articles of SemEval-2025,
    SemEval-2023 and PolNeAR, 78 names were dropped, nearly all of them headline fragments ("Climate
    Crazies Fail", "Trump Would Put Liberals On Court"), a few real ones ("Immigration Voice")."""
    head = doc.headline
    words = _WORD.findall(head.text) if head else []
    if head is None or len(words) < 3 or sum(w[0].isupper() for w in words) < 0.7 * len(words):
        return lambda name, start: False
    from narrascope.embeddings import is_common_word

    body = doc.text[head.end :]
    lower = {w for w in _WORD.findall(body) if w.islower()}
    body_lower = body.lower()

    def artifact(name: str, start: int) -> bool:
        if not head.start <= start < head.end or name.lower() in body_lower:
            return False
        ws = _WORD.findall(name)
        n_words = len(name.split())
        if not ws or n_words <= 3 and _ACRONYM.search(name):  # "NY Daily News"
            return False
        return sum(w.lower() in lower for w in ws) * 2 >= len(ws) or (
            n_words >= 2 and all(is_common_word(w) for w in ws))

    return artifact


def _resolve_surface_aliases(
    doc: Document,
    ctx: Context,
    clusters: list[_Cluster],
    person_last: dict[str, _Cluster],
    acronyms: dict[str, _Cluster],
) -> None:
    """Surname or acronym tokens the tagger missed ("Kovacs said …") after the full name was seen."""
    taken = [(m.start, m.end) for c in clusters for m in c.mentions]
    for tok in ctx.parsed(doc):
        if not tok.text[:1].isupper() or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "LOC"):
            continue
        cluster = person_last.get(tok.lower_) if tok.pos_ == "PROPN" else None
        cluster = cluster or acronyms.get(tok.text)
        if cluster is None:
            continue
        start, end = tok.idx, tok.idx + len(tok.text)
        if any(s < end and start < e for s, e in taken) or not any(m.start < start for m in cluster.mentions):
            continue
        cluster.mentions.append(Mention(start=start, end=end, text=tok.text, kind="alias", confidence=0.7))


def _resolve_nominals(doc: Document, ctx: Context, clusters: list[_Cluster]) -> None:
    """'the Russian president' → the only person introduced with that title."""
    titled: dict[str, list[_Cluster]] = defaultdict(list)
    for c in clusters:
        for t in c.titles:
            titled[t].append(c)
    if not titled:
        return
    parsed = ctx.parsed(doc)
    taken = {(m.start, m.end) for c in clusters if c.type == "person" for m in c.mentions}
    for chunk in parsed.noun_chunks:
        root = chunk.root
        title = root.lower_
        if title not in titled or len(titled[title]) != 1 or root.ent_type_ == "PERSON":
            continue
        if not any(t.lower_ in ("the", "this", "that") for t in chunk[:1]):
            continue
        start, end = chunk.start_char, root.idx + len(root.text)
        if any(s < end and start < e for s, e in taken):
            continue
        cluster = titled[title][0]
        if any(m.start < start for m in cluster.mentions):
            cluster.mentions.append(Mention(start=start, end=end, text=doc.text[start:end], kind="nominal", confidence=0.75))


def _resolve_pronouns(doc: Document, ctx: Context, clusters: list[_Cluster]) -> None:
    """he/his/him → the one person mentioned in this or the previous sentence, before it."""
    people = [c for c in clusters if c.type == "person"]
    if not people:
        return
    parsed = ctx.parsed(doc)
    owner = {(m.start, m.end): c for c in people for m in c.mentions}
    spans = sorted(owner)
    sent_starts = [s.start for s in doc.sentences or ()]
    for tok in parsed:
        low = tok.lower_
        if tok.pos_ != "PRON" or (low not in _MALE and low not in _FEMALE):
            continue
        # window: start of the previous sentence up to the pronoun
        idx = max((i for i, s in enumerate(sent_starts) if s <= tok.idx), default=0)
        window_start = sent_starts[max(0, idx - 1)] if sent_starts else 0
        candidates = {id(owner[s]): owner[s] for s in spans if window_start <= s[0] < tok.idx}
        if len(candidates) != 1:
            continue
        cluster = next(iter(candidates.values()))
        cluster.mentions.append(
            Mention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text, kind="pronoun", confidence=0.7)
        )
