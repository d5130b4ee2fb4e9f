"""Dates and temporal expressions with the events they date, sorted by date.

Date expressions come from spaCy's DATE entities on the cached parse (plus bare years it missed).
They are resolved by hand-written rules first (years, "March 2022", "24 February 2022",
ISO dates, "yesterday", "last month", "three weeks ago", weekdays — the relative ones against
``Document.published``); ``dateparser`` is only tried, lazily and cached, for what the rules
leave. The dated event is the noun phrase the date modifies ("the 2014 annexation of Crimea")
or the core of the clause it sits in (subject, verb, objects; no subordinate clauses).
Durations ("three years") and unresolvable expressions are left out.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from narrascope.analyzers import lexicons as lx
from narrascope.model import Document, Span, TimelineEntry
from narrascope.pipeline import Context, analyzer

if TYPE_CHECKING:
    from spacy.tokens import Token

VERSION = "1.0"

_YEAR = r"(1[5-9]\d\d|20\d\d)"
_MONTH = r"(" + "|".join(sorted(lx.MONTHS, key=len, reverse=True)) + r")\.?"
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_YEAR}-(\d\d)-(\d\d)\b"), "ymd"),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I), "dmy"),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.I), "my"),
    (re.compile(rf"^(?:(?:in|the|early|late|mid|mid-)\s+)*{_YEAR}$", re.I), "y"),
    (re.compile(rf"\b{_YEAR}\b(?!s|'s|’s)"), "y"),
]
_REL_UNIT = re.compile(r"\b(last|past|previous|this|next|coming)\s+(week|month|year)\b", re.I)
_AGO = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(day|week|month|year)s?\s+ago\b", re.I)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_DURATION = re.compile(r"^(?:the\s+)?(?:past\s+|last\s+|next\s+)?(?:\d+|a|an|several|few|many|some|two|three|four|five|six|seven|eight|nine|ten|\w+ty)\s+(?:days|weeks|months|years|decades|centuries)$", re.I)
_NP_DEPS = frozenset({"det", "nummod", "compound", "amod", "poss", "case", "prep", "pobj", "npadvmod", "nmod", "quantmod", "punct_hyph"})
_CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "dobj", "attr", "prt", "acomp", "agent", "oprd", "dative", "prep"})


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return dt.date(y, m, d).isoformat()
        if m is not None:
            return f"{y:04d}-{m:02d}"
        return f"{y:04d}"
    except ValueError:
        return None


def _published(doc: Document) -> dt.date | None:
    if not doc.published:
        return None
    try:
        return dt.date.fromisoformat(doc.published[:10])
    except ValueError:
        parsed = _dateparser(doc.published, None)
        return dt.date.fromisoformat(parsed) if parsed and len(parsed) == 10 else None


@functools.lru_cache(maxsize=4096)
def _dateparser(text: str, base: dt.date | None) -> str | None:
    """Last resort: dateparser (slow; imported lazily, cached)."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - optional
        return None
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["year"]}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
        settings.pop("REQUIRE_PARTS")
    try:
        got = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - dateparser raises many things on odd input
        return None
    return got.date().isoformat() if got else None


def resolve(text: str, published: dt.date | None = None) -> tuple[str, float] | None:
    """ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and confidence for a date expression."""
    t = text.strip()
    if _DURATION.match(t):
        return None
    for rx, kind in _RULES:
        m = rx.search(t)
        if not m:
            continue
        g = m.groups()
        if kind == "ymd":
            iso = _iso(int(g[0]), int(g[1]), int(g[2]))
        elif kind == "mdy":
            iso = _iso(int(g[2]), lx.MONTHS[g[0].lower()], int(g[1]))
        elif kind == "dmy":
            iso = _iso(int(g[2]), lx.MONTHS[g[1].lower()], int(g[0]))
        elif kind == "my":
            iso = _iso(int(g[1]), lx.MONTHS[g[0].lower()])
        else:
            iso = _iso(int(g[0]))
        if iso:
            return iso, 0.9
    low = t.lower()
    if published is None:
        return None
    if low in ("today", "this morning", "this afternoon", "this evening", "tonight"):
        return published.isoformat(), 0.8
    if low == "yesterday":
        return (published - dt.timedelta(days=1)).isoformat(), 0.8
    if low == "tomorrow":
        return (published + dt.timedelta(days=1)).isoformat(), 0.8
    m = _REL_UNIT.search(low)
    if m:
        step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[m.group(1)]
        unit = m.group(2)
        if unit == "year":
            return f"{published.year + step:04d}", 0.75
        if unit == "month":
            y, mo = divmod(published.year * 12 + published.month - 1 + step, 12)
            return f"{y:04d}-{mo + 1:02d}", 0.75
        return (published + dt.timedelta(weeks=step)).isoformat(), 0.5
    m = _AGO.search(low)
    if m:
        count: str = m.group(1)
        n = int(count) if count.isdigit() else _NUMBERS[count]
        unit = m.group(2)
        if unit == "year":
            return f"{published.year - n:04d}", 0.7
        if unit == "month":
            y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}", 0.7
        return (published - dt.timedelta(days=n * (7 if unit == "week" else 1))).isoformat(), 0.6
    for word, wd in lx.WEEKDAYS.items():
        if re.search(rf"\b{word}\b", low):
            back = (published.weekday() - wd) % 7
            return (published - dt.timedelta(days=back)).isoformat(), 0.65
    if re.search(r"\d", low) or any(re.search(rf"\b{m}\b", low) for m in lx.MONTHS if len(m) > 3):
        got = _dateparser(t, published)
        if got:
            return got, 0.55
    return None


def _extent(tok: Token, allowed: frozenset[str], skip: set[int]) -> tuple[int, int]:
    """Token index range covered by ``tok`` and its children along ``allowed`` dependencies."""
    lo = hi = tok.i
    for child in tok.children:
        if child.i in skip:
            continue
        dep = "punct_hyph" if child.dep_ == "punct" and child.text in "-–" else child.dep_
        if dep in allowed:
            c_lo, c_hi = _extent(child, _NP_DEPS, skip)
            lo, hi = min(lo, c_lo), max(hi, c_hi)
    return lo, hi


def _event(root: Token, date_idx: set[int]) -> tuple[int, int] | None:
    """Token range of the event a date (entity root ``root``) dates."""
    head = root.head
    if root.dep_ in ("nummod", "compound", "amod", "nmod", "poss") and head.pos_ in ("NOUN", "PROPN"):
        return _extent(head, _NP_DEPS, set())
    if root.dep_ == "pobj" and head.dep_ == "prep":
        holder = head.head
        if holder.pos_ in ("NOUN", "PROPN"):
            return _extent(holder, _NP_DEPS, set())
        if holder.pos_ in ("VERB", "AUX"):
            lo, hi = _extent(holder, _CLAUSE_DEPS, {head.i})
            if holder.dep_ in ("acl", "relcl") and holder.head.pos_ in ("NOUN", "PROPN"):
                lo = min(lo, _extent(holder.head, _NP_DEPS, {holder.i})[0])  # "the agreement, signed"
            return lo, hi
    if root.dep_ in ("npadvmod", "tmod", "advmod") and head.pos_ in ("VERB", "AUX"):
        return _extent(head, _CLAUSE_DEPS, {root.i})
    if root.dep_ in ("attr", "nsubj", "appos") and head.pos_ in ("VERB", "AUX", "NOUN"):
        return _extent(head, _CLAUSE_DEPS, date_idx)
    return None


@analyzer("timeline", version=VERSION, requires=("sentences",), assigns=("timeline",), languages=("en",))
def analyze(doc: Document, ctx: Context) -> Document:
    """Find dates, resolve them to ISO and attach the event each one dates."""
    parsed = ctx.parsed(doc)
    published = _published(doc)
    candidates: list[tuple[int, int, Token, float]] = []  # token range, root, prior
    in_ent: set[int] = set()
    for ent in parsed.ents:
        if ent.label_ == "DATE":
            candidates.append((ent.start, ent.end, ent.root, 1.0))
            in_ent.update(range(ent.start, ent.end))
    for tok in parsed:  # bare years the NER missed: "since 2014", "the 2022 invasion"
        if tok.i in in_ent or tok.ent_type_ not in ("", "DATE", "CARDINAL") or not re.fullmatch(r"(?:1[89]|20)\d\d", tok.text):
            continue
        if (tok.dep_ in ("nummod", "compound") and tok.head.pos_ == "NOUN") or (
            tok.dep_ == "pobj" and tok.head.lower_ in ("in", "since", "by", "until", "from", "before", "after", "of")
        ):
            candidates.append((tok.i, tok.i + 1, tok, 0.7))

    entries: list[TimelineEntry] = []
    for start, end, root, prior in candidates:
        span = parsed[start:end]
        s, e = span.start_char, span.end_char
        if s < doc.body_start:
            continue
        got = resolve(span.text, published)
        if got is None:
            continue
        iso, conf = got
        rng = _event(root, set(range(start, end)))
        if rng is None:
            sent = root.sent
            es, ee = sent.start_char, sent.end_char
            conf *= 0.8
        else:
            lo, hi = rng
            while hi > lo and (parsed[hi].pos_ in ("ADP", "CCONJ", "DET", "PUNCT", "PART") or parsed[hi].is_space):
                hi -= 1  # "Wednesday's hearing in" -> "Wednesday's hearing"
            es, ee = parsed[lo].idx, parsed[hi].idx + len(parsed[hi].text)
        ev = doc.text[es:ee].strip().rstrip(",;:")
        es = doc.text.index(ev, es) if ev else es
        ee = es + len(ev)
        sent_obj = doc.sentence_at(s)
        sent_index = sent_obj.index if sent_obj else 0
        entries.append(TimelineEntry(
            start=s, end=e, text=doc.text[s:e], date=iso,
            event=Span(start=es, end=ee, text=doc.text[es:ee]),
            sentence=sent_index, confidence=round(conf * prior, 3),
        ))
    entries.sort(key=lambda x: (x.date, x.start))
    return doc.with_layers("timeline", VERSION, timeline=tuple(entries))
