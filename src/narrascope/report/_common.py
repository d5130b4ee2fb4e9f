"""What every report format says the same way: the summary figures, verdict wording, excerpts.

Private: the terminal and HTML reports share these so their summaries never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from narrascope.model import Document, Evidence, HeadlineClaim, Statement, TechniqueSpan

SOURCE_TYPES: tuple[str, ...] = ("person", "organisation", "official", "vague", "media", "author")
MARKER_KINDS: tuple[str, ...] = ("hedge", "distancing", "contestation", "booster")
VERDICTS: tuple[str, ...] = ("supported", "attributed", "hedged", "not_reported")

VERDICT_LABELS: dict[str, str] = {
    "supported": "SUPPORTED by the body",
    "attributed": "only ATTRIBUTED in the body (someone else says so)",
    "hedged": "only HEDGED in the body",
    "not_reported": "NOT REPORTED in the body",
}

STATUS_LABELS: dict[str, str] = {
    "asserted": "asserted",
    "hedged": "hedged",
    "contested": "contested",
    "boosted": "boosted",
    "attributed": "attributed",
}

NOT_COMPUTED = "not computed"


def excerpt(text: str, limit: int = 80) -> str:
    """``text`` on one line (whitespace collapsed), cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: max(limit - 1, 0)].rstrip() + "…"


def verdict_label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict, verdict.replace("_", " ").upper())


def verdict_line(claim: HeadlineClaim) -> str:
    """``NOT REPORTED in the body — directives are never described``."""
    reason = " ".join(claim.reason.split())
    return f"{verdict_label(claim.verdict)} — {reason}" if reason else verdict_label(claim.verdict)


def source_label(stmt: Statement) -> str:
    """The source as a reader would name it: its words, or 'the author' for the author's voice."""
    if stmt.source.type == "author" and not stmt.source.text:
        return "the author"
    return stmt.source.text or "(unnamed)"


@dataclass(frozen=True)
class Summary:
    """The headline figures of one document; ``None`` where the layer was not computed."""

    headline: str | None
    claims: tuple[HeadlineClaim, ...] | None
    statements: int | None
    source_counts: dict[str, int] | None
    hedged_or_contested: int | None
    unsupported_claims: int | None
    unsupported_breakdown: dict[str, int] | None
    assertions: int | None
    marker_counts: dict[str, int] | None
    entities: int | None
    timeline: int | None


def summarize(doc: Document) -> Summary:
    stmts = doc.statements
    source_counts = None
    hedged = None
    if stmts is not None:
        counts: Counter[str] = Counter(s.source.type for s in stmts)
        source_counts = {t: counts.get(t, 0) for t in SOURCE_TYPES}
        source_counts.update({t: n for t, n in counts.items() if t not in source_counts})
        hedged = sum(1 for s in stmts if s.status in ("hedged", "contested"))
    claims = doc.headline_check
    unsupported = breakdown = None
    if claims is not None:
        verdicts: Counter[str] = Counter(c.verdict for c in claims)
        breakdown = {v: verdicts.get(v, 0) for v in ("not_reported", "hedged", "attributed")}
        unsupported = sum(1 for c in claims if c.verdict != "supported")
    marker_counts = None
    if doc.markers is not None:
        kinds: Counter[str] = Counter(m.kind for m in doc.markers)
        marker_counts = {k: kinds.get(k, 0) for k in MARKER_KINDS}
    return Summary(
        headline=doc.headline_text,
        claims=claims,
        statements=None if stmts is None else len(stmts),
        source_counts=source_counts,
        hedged_or_contested=hedged,
        unsupported_claims=unsupported,
        unsupported_breakdown=breakdown,
        assertions=None if doc.assertions is None else len(doc.assertions),
        marker_counts=marker_counts,
        entities=None if doc.entities is None else len(doc.entities),
        timeline=None if doc.timeline is None else len(doc.timeline),
    )


def counts_phrase(counts: dict[str, int], skip_zero: bool = False) -> str:
    """``official 1 · organisation 2 · person 0``."""
    items = [f"{k.replace('_', ' ')} {n}" for k, n in counts.items() if n or not skip_zero]
    return " · ".join(items) if items else "none"


def unsupported_phrase(summary: Summary) -> str:
    """``2 of 3 (not reported 1 · attributed 1)`` or ``not computed``."""
    if summary.unsupported_claims is None or summary.claims is None:
        return NOT_COMPUTED
    total = len(summary.claims)
    text = f"{summary.unsupported_claims} of {total}"
    if summary.unsupported_claims and summary.unsupported_breakdown:
        text += f" ({counts_phrase(summary.unsupported_breakdown, skip_zero=True)})"
    return text


def hedged_phrase(doc: Document) -> str:
    """``2 (S2 hedged, S3 contested)``: the count, and which statements."""
    if doc.statements is None:
        return NOT_COMPUTED
    which = [f"{s.id} {s.status}" for s in doc.statements if s.status in ("hedged", "contested")]
    return f"{len(which)} ({excerpt(', '.join(which), 60)})" if which else "0"


def assertions_phrase(doc: Document) -> str:
    """``1 (shameful)``: the count, and the evaluative words behind them."""
    if doc.assertions is None:
        return NOT_COMPUTED
    words: list[str] = []
    for a in doc.assertions:
        for c in a.cues:
            w = " ".join(c.text.split())
            if w and w not in words:
                words.append(w)
    if not doc.assertions:
        return "0"
    return f"{len(doc.assertions)} ({excerpt(', '.join(words), 60)})" if words else str(len(doc.assertions))


def marker_id(index: int) -> str:
    """The id a report gives ``doc.markers[index]``: ``M1``, ``M2``, …"""
    return f"M{index + 1}"


def fmt_conf(value: float) -> str:
    return f"{value:.2f}"


# --- learned layers ---------------------------------------------------------------------------

TECHNIQUE_PALETTE: tuple[str, ...] = (
    "#e03131", "#1971c2", "#2f9e44", "#f08c00", "#9c36b5", "#0c8599", "#c2255c", "#5c940d",
    "#e8590c", "#3b5bdb", "#862e9c", "#099268", "#d6336c", "#74b816", "#1098ad", "#f59f00",
)


def technique_colour(name: str) -> str:
    """A stable colour per technique name (same colour in every report and run)."""
    import zlib

    return TECHNIQUE_PALETTE[zlib.crc32(name.encode("utf-8")) % len(TECHNIQUE_PALETTE)]


def checkworthy_by_statement(doc: Document) -> dict[str, float]:
    return {c.ref: c.score for c in doc.checkworthy or () if c.target == "statement"}


def statements_by_priority(doc: Document) -> list[Statement]:
    """Statements, the most check-worthy first when that layer exists ('check these first')."""
    stmts = list(doc.statements or ())
    scores = checkworthy_by_statement(doc)
    if scores:
        stmts.sort(key=lambda s: -scores.get(s.id, 0.0))
    return stmts


def top_narratives(doc: Document, k: int = 3) -> list[str]:
    """The ``k`` strongest narratives as 'label (confidence)', each followed by its strongest
    named subnarrative (its own name only, after '›'; "Other" left out): a subnarrative never
    takes the place of another narrative."""
    best: dict[str, float] = {}
    sub: dict[str, tuple[str, float]] = {}
    for n in doc.narratives or ():
        if n.subnarrative is None:
            best[n.narrative] = max(best.get(n.narrative, 0.0), n.confidence)
        elif not n.subnarrative.endswith(": Other") and n.confidence > sub.get(n.narrative, ("", -1.0))[1]:
            sub[n.narrative] = (n.subnarrative, n.confidence)
    for name, (_, conf) in sub.items():  # a subnarrative implies its narrative
        best.setdefault(name, conf)
    out: list[str] = []
    for name in sorted(best, key=lambda x: -best[x])[:k]:
        label = f"{name} ({best[name]:.2f})"
        if name in sub:
            s, conf = sub[name]
            short = s[len(name) + 2:] if s.startswith(name + ": ") else s
            label += f" › {short} ({conf:.2f})"
        out.append(label)
    return out


@dataclass(frozen=True)
class RoleRow:
    """One entity as the ``roles`` layer casts it. The analyzer gives every mention of an entity
    (name, alias, nominal, pronoun) the entity's role, so the reports show one row per entity."""

    name: str
    entity_id: str | None
    main_role: str
    fine_roles: tuple[str, ...]
    confidence: float
    mentions: int
    evidence: tuple[Evidence, ...]


def role_rows(doc: Document) -> list[RoleRow]:
    """The roles layer grouped by entity (labels without an entity by their mention's words),
    strongest first; the evidence of the entity's labels without repeats."""
    names = {e.id: e.name for e in doc.entities or ()}
    groups: dict[str, list] = {}
    for r in doc.roles or ():
        groups.setdefault(r.entity_id or f"mention:{r.mention.text}", []).append(r)
    rows: list[RoleRow] = []
    for labels in groups.values():
        best = max(labels, key=lambda r: r.confidence)
        seen: set[tuple[int, int]] = set()
        evidence = []
        for r in sorted(labels, key=lambda r: -r.confidence):
            for ev in r.evidence:
                if (ev.start, ev.end) not in seen:
                    seen.add((ev.start, ev.end))
                    evidence.append(ev)
        rows.append(RoleRow(names.get(best.entity_id or "", best.mention.text), best.entity_id, best.main_role,
                            best.fine_roles, best.confidence, len(labels), tuple(evidence)))
    return sorted(rows, key=lambda r: (-r.confidence, r.name))


def roles_phrase(doc: Document) -> str:
    """'Protagonist: Vladimir Putin · Antagonist: NATO' (one role per entity, strongest first)."""
    by_role: dict[str, list[str]] = {}
    for row in role_rows(doc):
        bucket = by_role.setdefault(row.main_role, [])
        if row.name not in bucket:
            bucket.append(row.name)
    return " · ".join(f"{role}: {', '.join(v[:4])}" for role, v in by_role.items()) or "none"


def whole_line(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole line: how a paragraph-level technique label is stored."""
    return (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] in "\r\n")


def split_techniques(doc: Document) -> tuple[list[TechniqueSpan], list[TechniqueSpan]]:
    """The techniques layer as (word spans, paragraph-level labels), each in text order."""
    words: list[TechniqueSpan] = []
    paragraphs: list[TechniqueSpan] = []
    for t in sorted(doc.techniques or (), key=lambda t: (t.start, -t.confidence)):
        (paragraphs if whole_line(doc.text, t.start, t.end) else words).append(t)
    return words, paragraphs


def by_paragraph(labels: list[TechniqueSpan]) -> dict[tuple[int, int], list[TechniqueSpan]]:
    """Paragraph-level labels grouped by their paragraph's span, in text order, each group surest first."""
    out: dict[tuple[int, int], list[TechniqueSpan]] = {}
    for t in labels:
        out.setdefault((t.start, t.end), []).append(t)
    return {k: sorted(v, key=lambda t: -t.confidence) for k, v in sorted(out.items())}


def techniques_phrase(doc: Document) -> str:
    """'3 word spans: Loaded_Language 2, Doubt 1 · 12 paragraph labels: Name_Calling-Labeling 5, …'."""
    words, paragraphs = split_techniques(doc)
    parts = []
    for what, items in (("word spans", words), ("paragraph labels", paragraphs)):
        counts = Counter(t.technique for t in items).most_common(4)
        parts.append(f"{len(items)} {what}" + (": " + ", ".join(f"{k} {v}" for k, v in counts) if counts else ""))
    return " · ".join(parts)


def stance_phrase(doc: Document) -> str:
    """'agree (0.99)', with a reminder where the claim-by-claim headline check disagrees: the stance
    model reads the body as a whole (FNC-1's sense: it may side with the headline's story without
    reporting what the headline says happened)."""
    assert doc.stance is not None
    out = f"{doc.stance.label} ({doc.stance.confidence:.2f})"
    claims = doc.headline_check or ()
    unsupported = sum(1 for c in claims if c.verdict != "supported")
    if doc.stance.label in ("agree", "discuss") and unsupported:
        out += (f" — the body as a whole; claim by claim, {unsupported} of {len(claims)} headline "
                "claims are not supported by it (see the headline check)")
    return out


def learned_rows(doc: Document) -> list[tuple[str, str]]:
    """Summary rows for the learned layers that were computed (none for layers left out)."""
    rows: list[tuple[str, str]] = []
    if doc.narratives is not None:
        rows.append(("Narratives", "; ".join(top_narratives(doc)) or "none found"))
    if doc.roles is not None:
        rows.append(("Roles", roles_phrase(doc)))
    if doc.genre is not None:
        rows.append(("Genre", f"{doc.genre.label} ({doc.genre.confidence:.2f})"))
    if doc.frames is not None:
        frames = sorted(doc.frames, key=lambda f: -f.confidence)
        rows.append(("Frames", ", ".join(f"{f.frame} ({f.confidence:.2f})" for f in frames[:4]) or "none found"))
    if doc.techniques is not None:
        rows.append(("Persuasion techniques", techniques_phrase(doc)))
    if doc.checkworthy is not None and doc.statements:
        top = statements_by_priority(doc)[:3]
        rows.append(("Check these first", " · ".join(f"{s.id} {excerpt(s.content.text, 50)}" for s in top)))
    if doc.stance is not None:
        rows.append(("Body's stance toward the headline", stance_phrase(doc)))
    if doc.catalogue_matches:
        rows.append(("Catalogue narratives", ", ".join(f"{m.narrative} ({m.confidence:.2f})"
                                                        for m in doc.catalogue_matches[:3])))
    return rows
