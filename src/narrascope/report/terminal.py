"""The terminal report: a summary panel first, then one section per layer.

Every article string goes into rich as a :class:`rich.text.Text`, never as markup, so brackets
in an article (``[bold]``) print as they are. Layers that were not computed say so; layers that
were computed and found nothing say that instead.
"""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from narrascope.model import Document, Statement
from narrascope.pipeline import language_code
from narrascope.report._common import (
    NOT_COMPUTED,
    assertions_phrase,
    by_paragraph,
    checkworthy_by_statement,
    counts_phrase,
    excerpt,
    fmt_conf,
    hedged_phrase,
    learned_rows,
    marker_id,
    role_rows,
    source_label,
    split_techniques,
    statements_by_priority,
    summarize,
    unsupported_phrase,
    verdict_label,
)

__all__ = ["render"]

CONTENT_LIMIT = 90
"""Characters of a statement's content shown before the ellipsis."""

VERDICT_STYLES = {"supported": "bold green", "attributed": "bold yellow", "hedged": "bold yellow",
                  "not_reported": "bold red"}
STATUS_STYLES = {"asserted": "green", "hedged": "yellow", "contested": "red", "boosted": "magenta",
                 "attributed": "cyan"}


def render(doc: Document, console: Console) -> None:
    """Print the report of ``doc`` to ``console``: summary first, then the details."""
    console.print(_summary_panel(doc))
    title = "Statements — who claims what"
    if doc.checkworthy is not None:
        title += " (check these first: most check-worthy on top)"
    main = [(title, doc.statements, _statements),
            ("Author's own evaluative assertions", doc.assertions, _assertions),
            ("Hedges, distancing, contestation and boosters", doc.markers, _markers),
            ("Headline check", doc.headline_check, _headline),
            ("Timeline", doc.timeline, _timeline),
            ("Entities", doc.entities, _entities)]
    english = language_code(doc.language) == "en"
    left_out = [name for name, layer, _ in main if layer is None and not english]
    for name, _layer, section in main:
        if name not in left_out:
            _section(console, name, section(doc))
    if left_out:  # one line instead of a "(not computed)" section each
        console.print()
        console.print(Text(f"Not computed for an article in {doc.language!r} (these layers read English only): "
                           + "; ".join(left_out), style="dim italic"))
    for title, body in _learned_sections(doc):
        _section(console, title, body)


def _learned_sections(doc: Document) -> list[tuple[str, object]]:
    """Sections for the learned layers that were computed, with their evidence."""
    out: list[tuple[str, object]] = []
    if doc.narratives is not None:
        table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
        table.add_column("narrative / subnarrative", ratio=4)
        table.add_column("evidence", ratio=6)
        table.add_column("conf", justify="right", no_wrap=True)
        for n in sorted(doc.narratives, key=lambda n: -n.confidence):
            ev = " | ".join(excerpt(e.text, 70) for e in n.evidence[:2]) or "—"
            table.add_row(Text(n.subnarrative or n.narrative), Text(ev), Text(fmt_conf(n.confidence)))
        body: list[object] = [table]
        if doc.explanation is not None:
            body.append(Text(f"Why ({doc.explanation.subnarrative or doc.explanation.narrative}): "
                             f"{doc.explanation.text}"))
        out.append(("Narratives", Group(*body)))  # type: ignore[arg-type]
    if doc.roles is not None:
        table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
        table.add_column("entity", ratio=2)
        table.add_column("mentions", justify="right", no_wrap=True)
        for col in ("role", "fine roles", "cast by"):
            table.add_column(col, ratio=4 if col == "cast by" else 2)
        table.add_column("conf", justify="right", no_wrap=True)
        for row in role_rows(doc):
            ev = " | ".join(excerpt(e.text, 60) for e in row.evidence[:2]) or "—"
            table.add_row(Text(row.name), Text(str(row.mentions)), Text(row.main_role),
                          Text(", ".join(row.fine_roles)), Text(ev), Text(fmt_conf(row.confidence)))
        out.append(("Entity roles", table))
    if doc.techniques is not None:
        words, paragraphs = split_techniques(doc)
        body = []
        if words or not paragraphs:
            table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
            table.add_column("technique", ratio=2)
            table.add_column("words", ratio=5)
            table.add_column("conf", justify="right", no_wrap=True)
            for t in words:
                table.add_row(Text(t.technique), Text(excerpt(t.text, 80)), Text(fmt_conf(t.confidence)))
            body.append(table)
        if paragraphs:
            table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, title="paragraph labels",
                          title_justify="left")
            table.add_column("paragraph", ratio=5)
            table.add_column("techniques (confidence)", ratio=4)
            for (start, end), items in by_paragraph(paragraphs).items():
                labels = ", ".join(f"{t.technique} {fmt_conf(t.confidence)}" for t in items)
                table.add_row(Text(excerpt(doc.text[start:end], 70)), Text(labels))
            body.append(table)
        out.append(("Persuasion techniques", Group(*body)))  # type: ignore[arg-type]
    if doc.frames is not None or doc.genre is not None:
        lines: list[Text] = []
        if doc.genre is not None:
            ev = " | ".join(excerpt(e.text, 70) for e in doc.genre.evidence[:2]) or "—"
            lines.append(Text(f"Genre: {doc.genre.label} ({fmt_conf(doc.genre.confidence)}): {ev}"))
        for f in sorted(doc.frames or (), key=lambda f: -f.confidence):
            ev = excerpt(f.evidence[0].text, 70) if f.evidence else "—"
            lines.append(Text(f"{f.frame} ({fmt_conf(f.confidence)}): {ev}"))
        out.append(("Frames and genre", Group(*lines)))
    if doc.stance is not None:
        ev = " | ".join(excerpt(e.text, 70) for e in doc.stance.evidence[:2]) or "—"
        out.append(("Stance of the body toward the headline",
                    Text(f"{doc.stance.label} ({fmt_conf(doc.stance.confidence)}) — {ev}")))
    return out


def _section(console: Console, title: str, body: object) -> None:
    console.print()
    console.rule(Text(title, style="bold"), align="left")
    console.print(body)


def _missing(layer: list | tuple | None, empty: str) -> Text | None:
    if layer is None:
        return Text(f"({NOT_COMPUTED})", style="dim italic")
    if not layer:
        return Text(f"({empty})", style="dim italic")
    return None


# --- summary -------------------------------------------------------------------------------


def _summary_panel(doc: Document) -> Panel:
    s = summarize(doc)
    lines: list[Text | Padding] = []

    head = Text("Headline: ", style="bold")
    head.append(s.headline if s.headline else "(none)", style="" if s.headline else "dim")
    lines.append(head)
    if s.claims is None:
        lines.append(Text(f"  verdict: {NOT_COMPUTED}", style="dim"))
    elif not s.claims:
        lines.append(Text("  verdict: no checkable claim found in the headline", style="dim"))
    else:
        for claim in s.claims:
            line = Text()
            if len(s.claims) > 1 or claim.claim.strip() != (s.headline or "").strip():
                line.append(f"“{excerpt(claim.claim, 60)}”: ")
            line.append(verdict_label(claim.verdict), style=VERDICT_STYLES.get(claim.verdict, "bold"))
            reason = " ".join(claim.reason.split())
            if reason:
                line.append(f" — {reason}")
            lines.append(Padding(line, (0, 0, 0, 2)))

    meta = [x for x in (doc.outlet, doc.author, doc.published) if x]
    if meta:
        lines.append(Text(" · ".join(meta), style="dim"))
    if doc.url:
        lines.append(Text(doc.url, style="dim"))
    lines.append(Text())

    def row(label: str, value: str) -> Text:
        t = Text(f"{label}: ", style="bold")
        t.append(value, style="dim italic" if value == NOT_COMPUTED else "")
        return t

    if s.statements is None or s.source_counts is None:
        lines.append(row("Statements", NOT_COMPUTED))
    else:
        lines.append(row("Statements", str(s.statements)))
        lines.append(Padding(Text(f"by source: {counts_phrase(s.source_counts)}"), (0, 0, 0, 2)))
    lines.append(row("Hedged or contested statements", hedged_phrase(doc)))
    lines.append(row("Headline claims not supported by the body", unsupported_phrase(s)))
    lines.append(row("Evaluative assertions in the author's voice", assertions_phrase(doc)))
    lines.append(row("Hedges and other markers",
                     NOT_COMPUTED if s.marker_counts is None
                     else f"{sum(s.marker_counts.values())} — {counts_phrase(s.marker_counts)}"))
    for label, value in learned_rows(doc):
        lines.append(row(label, value))
    title = Text("narrascope summary", style="bold")
    return Panel(Group(*lines), title=title, title_align="left", box=box.ROUNDED, padding=(0, 1))


# --- details -------------------------------------------------------------------------------


def _source_cell(stmt: Statement) -> Text:
    t = Text(excerpt(source_label(stmt), 40), style="bold")
    t.append(f"\n{stmt.source.type}", style="cyan")
    if stmt.source.entity and stmt.source.entity not in stmt.source.text:
        t.append(f" → {excerpt(stmt.source.entity, 30)}", style="dim")
    return t


def _statements(doc: Document) -> Table | Text:
    missing = _missing(doc.statements, "no attributed statements found")
    if missing is not None or doc.statements is None:
        return missing or Text()
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=True, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("source", ratio=3, min_width=18)
    table.add_column("cue ▸ content", ratio=8)
    table.add_column("status", ratio=3, min_width=12)
    table.add_column("conf", justify="right", no_wrap=True)
    checkworthy = checkworthy_by_statement(doc)
    for stmt in statements_by_priority(doc):
        said = Text(excerpt(stmt.cue.text, 30), style="bold magenta") if stmt.cue else Text("—", style="dim")
        said.append(" ▸ ", style="dim")
        said.append(excerpt(stmt.content.text, CONTENT_LIMIT))
        status = Text(stmt.status, style=STATUS_STYLES.get(stmt.status, ""))
        for m in stmt.distancing:
            status.append(f"\n“{excerpt(m.text, 24)}”")
            status.append(f" {m.kind}", style="dim")
        sid = Text(stmt.id)
        if stmt.id in checkworthy:
            sid.append(f"\ncheck {checkworthy[stmt.id]:.2f}", style="bold red")
        table.add_row(sid, _source_cell(stmt), said, status, Text(fmt_conf(stmt.confidence)))
    return table


def _assertions(doc: Document) -> Table | Text:
    missing = _missing(doc.assertions, "no evaluative assertions in the author's voice")
    if missing is not None or doc.assertions is None:
        return missing or Text()
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("assertion", ratio=6)
    table.add_column("evaluative words", ratio=2)
    table.add_column("conf", justify="right", no_wrap=True)
    for i, a in enumerate(doc.assertions):
        cues = ", ".join(excerpt(c.text, 30) for c in a.cues) or "—"
        table.add_row(Text(f"A{i + 1}"), Text(excerpt(a.text, CONTENT_LIMIT)), Text(cues, style="red"),
                      Text(fmt_conf(a.confidence)))
    return table


def _markers(doc: Document) -> Table | Text:
    missing = _missing(doc.markers, "no hedges or distancing markers found")
    if missing is not None or doc.markers is None:
        return missing or Text()
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("kind", no_wrap=True)
    table.add_column("words", ratio=3)
    table.add_column("sentence", justify="right", no_wrap=True)
    table.add_column("governs", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    for i, m in enumerate(doc.markers):
        table.add_row(Text(marker_id(i)), Text(m.kind), Text(excerpt(m.text, 50)), Text(str(m.sentence)),
                      Text(m.statement or "—"), Text(fmt_conf(m.confidence)))
    return table


def _headline(doc: Document) -> Group | Text:
    missing = _missing(doc.headline_check, "no checkable claim found in the headline")
    if missing is not None or doc.headline_check is None:
        return missing or Text()
    parts: list[Text | Table] = []
    for claim in doc.headline_check:
        t = Text("“", style="bold")
        t.append(excerpt(claim.claim, 80), style="bold")
        t.append("” ", style="bold")
        t.append(verdict_label(claim.verdict), style=VERDICT_STYLES.get(claim.verdict, "bold"))
        t.append(f"  (confidence {fmt_conf(claim.confidence)})", style="dim")
        parts.append(t)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column()
        reason = " ".join(claim.reason.split())
        if reason:
            grid.add_row("  why:", Text(reason))
        for ev in claim.evidence:
            ev_text = Text(f"“{excerpt(ev.text, 70)}”")
            ev_text.append(f" [{ev.start}:{ev.end}]", style="dim")
            grid.add_row("  evidence:", ev_text)
        if not claim.evidence:
            grid.add_row("  evidence:", Text("none in the body", style="dim"))
        parts.append(grid)
    return Group(*parts)


def _timeline(doc: Document) -> Table | Text:
    missing = _missing(doc.timeline, "no dated events found")
    if missing is not None or doc.timeline is None:
        return missing or Text()
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("date", no_wrap=True, style="bold")
    table.add_column("as written", ratio=2)
    table.add_column("event", ratio=6)
    table.add_column("conf", justify="right", no_wrap=True)
    for entry in sorted(doc.timeline, key=lambda e: (e.date, e.start)):
        table.add_row(Text(entry.date), Text(excerpt(entry.text, 30)),
                      Text(excerpt(entry.event.text, CONTENT_LIMIT)), Text(fmt_conf(entry.confidence)))
    return table


def _entities(doc: Document) -> Table | Text:
    missing = _missing(doc.entities, "no entities found")
    if missing is not None or doc.entities is None:
        return missing or Text()
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("entity", ratio=3)
    table.add_column("type", no_wrap=True)
    table.add_column("mentions", justify="right", no_wrap=True)
    table.add_column("as", ratio=4)
    table.add_column("conf", justify="right", no_wrap=True)
    ordered = sorted(doc.entities, key=lambda e: (-len(e.mentions), e.name.lower()))
    for e in ordered:
        kinds: Counter[str] = Counter(m.kind for m in e.mentions)
        table.add_row(Text(excerpt(e.name, 40), style="bold"), Text(e.type), Text(str(len(e.mentions))),
                      Text(counts_phrase(dict(kinds), skip_zero=True) if kinds else "—", style="dim"),
                      Text(fmt_conf(e.confidence)))
    return table
