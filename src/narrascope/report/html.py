"""The HTML report: one self-contained page (inline CSS and JS, nothing fetched).

The article is shown whole, with every finding highlighted at its character offsets. Findings
overlap (a date inside a statement's content, a hedge inside it too), so the text is cut at every
span boundary into segments; each segment is one ``<span>`` carrying the classes, ``data-``
attributes and hover labels of every finding that covers it::

    <span class="hl source" data-source="S3" data-statement="S3" title="…">the minister</span>

Role attributes say which finding a segment belongs to: ``data-source``, ``data-cue``,
``data-content`` and ``data-statement`` (statement ids), ``data-marker`` (``M1``… for
``doc.markers``, ``S2.d1``… for a statement's own distancing markers not listed there),
``data-assertion`` / ``data-evalcue`` (``A1``…), ``data-date`` (``T1``…), ``data-entity``
(entity ids). Each holds a space-separated list, so ``[data-source~="S3"]`` selects them all, and
joining those segments in order gives back ``text[start:end]``.

Layers are toggled by checkboxes that work through CSS alone (``#layer-x:checked ~ .article``);
a few lines of JS only outline a statement's words while its card is pointed at. Every string
from the article or its metadata goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from importlib import resources

from narrascope.model import Document, Marker, Statement
from narrascope.model.serialize import SCHEMA_VERSION
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
    technique_colour,
    unsupported_phrase,
    verdict_label,
    whole_line,
)

__all__ = ["LAYER_STYLES", "render"]


@dataclass(frozen=True)
class LayerStyle:
    cls: str
    label: str
    css: str
    on: bool = True
    priority: int = 50
    """CSS order: a later rule wins where two layers set the same property on one segment."""


LAYER_STYLES: tuple[LayerStyle, ...] = (
    LayerStyle("source", "Who is speaking (statement source)", "background:#c5dcff", priority=30),
    LayerStyle("cue", "Reporting verb or cue", "font-weight:700;color:#5b21b6", priority=31),
    LayerStyle("content", "What they are reported to say", "background:#fff1b8", priority=10),
    LayerStyle("hedge", "Hedge", "text-decoration:underline wavy #d9480f;text-decoration-skip-ink:none",
               priority=40),
    LayerStyle("distancing", "Distancing", "text-decoration:underline dotted #c2255c 2px;"
               "text-decoration-skip-ink:none", priority=41),
    LayerStyle("contestation", "Contestation", "text-decoration:underline double #c92a2a;"
               "text-decoration-skip-ink:none", priority=42),
    LayerStyle("booster", "Booster", "text-decoration:underline solid #2b8a3e 2px;"
               "text-decoration-skip-ink:none", priority=43),
    LayerStyle("assertion", "Author's own evaluative assertion", "background:#ffe0e0", priority=11),
    LayerStyle("evalcue", "Evaluative word", "box-shadow:inset 0 -3px #e03131", priority=44),
    LayerStyle("date", "Date", "outline:1px dashed #2b8a3e;outline-offset:1px", priority=45),
    LayerStyle("entity", "Entity mention", "border-bottom:2px dotted #495057", on=False, priority=46),
    LayerStyle("technique", "Persuasion technique (colour per technique)", "border-top:3px solid #868e96",
               priority=47),
)


def _e(value: object) -> str:
    """Escape for text and quoted attribute values."""
    return html.escape(str(value), quote=True)


def _e_text(value: str) -> str:
    """Escape article text; a carriage return is kept as a reference so parsers do not fold it."""
    return html.escape(value, quote=True).replace("\r", "&#13;")


# --- highlights ----------------------------------------------------------------------------


@dataclass
class _Highlight:
    start: int
    end: int
    classes: tuple[str, ...]
    data: dict[str, str]
    label: str


@dataclass
class _Segment:
    start: int
    end: int
    covering: list[_Highlight] = field(default_factory=list)


def _swatch(technique: str) -> str:
    return f'<span class="swatch tech-{_slug(technique)}">{_e(technique.replace("_", " "))}</span>'


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def _conf(c: float) -> str:
    return f"confidence {fmt_conf(c)}"


def _statement_highlights(stmt: Statement) -> list[_Highlight]:
    out: list[_Highlight] = []
    who = source_label(stmt)
    sid = stmt.id
    src = stmt.source
    if src.start is not None and src.end is not None and src.end > src.start:
        entity = f", entity {src.entity}" if src.entity else ""
        out.append(_Highlight(src.start, src.end, ("source",), {"source": sid, "statement": sid},
                              f"{sid} source: {who} ({src.type}{entity}) · {_conf(src.confidence)}"))
    if stmt.cue is not None:
        out.append(_Highlight(stmt.cue.start, stmt.cue.end, ("cue",), {"cue": sid, "statement": sid},
                              f"{sid} cue ({stmt.kind}) · {_conf(stmt.confidence)}"))
    out.append(_Highlight(stmt.content.start, stmt.content.end, ("content",), {"content": sid, "statement": sid},
                          f"{sid} content, said by {who} ({src.type}) · status {stmt.status} · "
                          f"{_conf(stmt.confidence)}"))
    return out


def _marker_highlight(m: Marker, mid: str) -> _Highlight:
    data = {"marker": mid}
    governs = ""
    if m.statement:
        data["statement"] = m.statement
        governs = f", governs {m.statement}"
    return _Highlight(m.start, m.end, ("marker", m.kind), data, f"{mid} {m.kind}{governs} · {_conf(m.confidence)}")


def statement_marker_ids(doc: Document) -> dict[tuple[str, int], str]:
    """Id of each statement's distancing marker: its ``M…`` in ``doc.markers``, else ``S2.d1``."""
    listed = {(m.start, m.end, m.kind): marker_id(i) for i, m in enumerate(doc.markers or ())}
    ids: dict[tuple[str, int], str] = {}
    for stmt in doc.statements or ():
        for j, m in enumerate(stmt.distancing):
            ids[(stmt.id, j)] = listed.get((m.start, m.end, m.kind), f"{stmt.id}.d{j + 1}")
    return ids


def _highlights(doc: Document) -> list[_Highlight]:
    hls: list[_Highlight] = []
    for stmt in doc.statements or ():
        hls.extend(_statement_highlights(stmt))
    for i, m in enumerate(doc.markers or ()):
        hls.append(_marker_highlight(m, marker_id(i)))
    listed = {marker_id(i) for i in range(len(doc.markers or ()))}
    for (sid, j), mid in statement_marker_ids(doc).items():
        if mid not in listed:
            stmt = next(s for s in doc.statements or () if s.id == sid)
            m = stmt.distancing[j]
            hls.append(_marker_highlight(m if m.statement else m.model_copy(update={"statement": sid}), mid))
    for i, a in enumerate(doc.assertions or ()):
        aid = f"A{i + 1}"
        cues = ", ".join(" ".join(c.text.split()) for c in a.cues)
        hls.append(_Highlight(a.start, a.end, ("assertion",), {"assertion": aid},
                              f"{aid} author's evaluative assertion (cues: {cues or 'none'}) · {_conf(a.confidence)}"))
        for c in a.cues:
            hls.append(_Highlight(c.start, c.end, ("evalcue",), {"evalcue": aid}, f"{aid} evaluative word"))
    for i, t in enumerate(doc.timeline or ()):
        tid = f"T{i + 1}"
        hls.append(_Highlight(t.start, t.end, ("date",), {"date": tid},
                              f"{tid} date {t.date}: {excerpt(t.event.text, 60)} · {_conf(t.confidence)}"))
    for i, tech in enumerate(doc.techniques or ()):
        if whole_line(doc.text, tech.start, tech.end):
            continue  # a paragraph-level label: listed in the techniques table, not painted over the text
        hls.append(_Highlight(tech.start, tech.end, ("technique", f"tech-{_slug(tech.technique)}"),
                              {"technique": f"P{i + 1}"},
                              f"P{i + 1} technique {tech.technique} · {_conf(tech.confidence)}"))
    for ent in doc.entities or ():
        for mention in ent.mentions:
            hls.append(_Highlight(mention.start, mention.end, ("entity",), {"entity": ent.id},
                                  f"entity {ent.name} ({ent.type}, {mention.kind}) · {_conf(mention.confidence)}"))
    return hls


def _segments(n: int, hls: list[_Highlight]) -> list[_Segment]:
    """Cut ``[0, n)`` at every highlight boundary; each piece lists the highlights covering it."""
    spans: list[_Highlight] = []
    for h in hls:
        start, end = max(0, min(h.start, n)), max(0, min(h.end, n))
        if end > start:
            h.start, h.end = start, end
            spans.append(h)
    cuts = sorted({0, n, *(h.start for h in spans), *(h.end for h in spans)})
    starts: dict[int, list[_Highlight]] = {}
    for h in spans:
        starts.setdefault(h.start, []).append(h)
    active: list[_Highlight] = []
    out: list[_Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [h for h in active if h.end > a] + starts.get(a, [])
        out.append(_Segment(a, b, list(active)))
    return out


def _segment_html(text: str, seg: _Segment) -> str:
    body = _e_text(text[seg.start:seg.end])
    if not seg.covering:
        return body
    classes: list[str] = ["hl"]
    data: dict[str, list[str]] = {}
    labels: list[str] = []
    for h in seg.covering:
        classes.extend(c for c in h.classes if c not in classes)
        for k, v in h.data.items():
            vals = data.setdefault(k, [])
            if v not in vals:
                vals.append(v)
        if h.label not in labels:
            labels.append(h.label)
    attrs = "".join(f' data-{k}="{_e(" ".join(v))}"' for k, v in data.items())
    return (f'<span class="{" ".join(classes)}"{attrs} data-start="{seg.start}" '
            f'title="{_e(chr(10).join(labels))}">{body}</span>')


def article_html(doc: Document) -> str:
    """The article text as HTML, every finding highlighted (the ``.article`` block's contents)."""
    return "".join(_segment_html(doc.text, s) for s in _segments(len(doc.text), _highlights(doc)))


# --- page ----------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("narrascope.report").joinpath(name).read_text(encoding="utf-8")


def _technique_css(doc: Document) -> str:
    rules = []
    for name in sorted({t.technique for t in doc.techniques or ()}):
        colour = technique_colour(name)
        rules.append(f"#layer-technique:checked ~ .article .hl.tech-{_slug(name)}{{border-top:3px solid {colour}}}")
        rules.append(f".swatch.tech-{_slug(name)}{{border-top:3px solid {colour}}}")
    return "\n".join(rules)


def layer_css(doc: Document | None = None) -> str:
    """The CSS of the highlight layers (and, given a document, of its techniques' colours)."""
    return _layer_css() + ("\n" + _technique_css(doc) if doc is not None else "")


def _layer_css() -> str:
    rules = []
    for layer in sorted(LAYER_STYLES, key=lambda x: x.priority):
        rules.append(f"#layer-{layer.cls}:checked ~ .article .hl.{layer.cls}{{{layer.css}}}")
        rules.append(f".swatch.{layer.cls}{{{layer.css}}}")
        rules.append(f"#layer-{layer.cls}:focus-visible + label{{outline:2px solid #1c7ed6}}")
    return "\n".join(rules)


def _empty(layer: object, empty: str) -> str | None:
    if layer is None:
        return f'<p class="empty">({NOT_COMPUTED})</p>'
    if not layer:
        return f'<p class="empty">({_e(empty)})</p>'
    return None


def _summary(doc: Document) -> str:
    s = summarize(doc)
    parts = ['<section class="summary" id="summary" aria-label="Summary">']
    parts.append(f'<div><strong>Headline:</strong> {_e(s.headline) if s.headline else "<span class=muted>(none)</span>"}</div>')
    if s.claims is None:
        parts.append(f'<div class="muted">Verdict: {NOT_COMPUTED}</div>')
    elif not s.claims:
        parts.append('<div class="muted">Verdict: no checkable claim found in the headline</div>')
    else:
        parts.append("<ul>")
        for c in s.claims:
            reason = " ".join(c.reason.split())
            parts.append(f'<li>“{_e(c.claim)}”: <span class="verdict verdict-{_e(c.verdict)}">'
                         f'{_e(verdict_label(c.verdict))}</span>{" — " + _e(reason) if reason else ""}</li>')
        parts.append("</ul>")
    rows = [
        ("Statements", NOT_COMPUTED if s.statements is None or s.source_counts is None
         else f"{s.statements} — by source: {counts_phrase(s.source_counts)}"),
        ("Hedged or contested statements", hedged_phrase(doc)),
        ("Headline claims not supported by the body", unsupported_phrase(s)),
        ("Evaluative assertions in the author's voice", assertions_phrase(doc)),
        ("Hedges and other markers", NOT_COMPUTED if s.marker_counts is None
         else f"{sum(s.marker_counts.values())} — {counts_phrase(s.marker_counts)}"),
    ]
    rows.extend(learned_rows(doc))
    parts.append("<dl>")
    for k, v in rows:
        parts.append(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>")
    parts.append("</dl></section>")
    return "\n".join(parts)


def _controls_and_article(doc: Document) -> str:
    parts = ['<section class="layers" aria-labelledby="legend">',
             '<h2 id="legend">Article — legend and layers</h2>']
    for layer in LAYER_STYLES:
        checked = " checked" if layer.on else ""
        parts.append(f'<input type="checkbox" id="layer-{layer.cls}"{checked}>'
                     f'<label for="layer-{layer.cls}"><span class="swatch {layer.cls}">{_e(layer.label)}</span></label>')
    if doc.techniques:
        names = sorted({t.technique for t in doc.techniques})
        parts.append('<p class="technique-legend">Techniques: ' + " ".join(
            _swatch(n) for n in names) + "</p>")
    parts.append('<p class="legend-note">Untick a layer to hide its highlights. Point at any highlighted words '
                 "to see what they are and how sure the analysis is.</p>")
    lang = f' lang="{_e(doc.language)}"' if doc.language else ""
    parts.append(f'<div class="article" id="article"{lang}>{article_html(doc)}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def _dl(rows: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _statements(doc: Document) -> str:
    parts = ['<section id="statements"><h2>Statements — who claims what</h2>']
    empty = _empty(doc.statements, "no attributed statements found")
    if empty:
        return "\n".join([*parts, empty, "</section>"])
    ids = statement_marker_ids(doc)
    checkworthy = checkworthy_by_statement(doc)
    if checkworthy:
        parts.append('<p class="muted">Check these first: the most check-worthy statements come first.</p>')
    parts.append('<div class="cards">')
    for stmt in statements_by_priority(doc):
        src = stmt.source
        entity = f' <span class="muted">→ {_e(src.entity)}</span>' if src.entity else ""
        dist = ", ".join(
            f"“{_e(m.text)}” <span class=\"tag\">{_e(m.kind)}</span> "
            f'<span class="muted">{_e(ids.get((stmt.id, j), ""))} · {fmt_conf(m.confidence)}</span>'
            for j, m in enumerate(stmt.distancing)
        ) or '<span class="muted">none</span>'
        rows = [
            ("source", f"{_e(source_label(stmt))} <span class=\"tag\">{_e(src.type)}</span>{entity}"),
            ("cue", f"“{_e(stmt.cue.text)}”" if stmt.cue else '<span class="muted">none</span>'),
            ("content", f"“{_e(stmt.content.text)}”"),
            ("kind", _e(stmt.kind.replace("_", " "))),
            ("evidence", f'<span class="tag status-{_e(stmt.status)}">{_e(stmt.status)}</span>'),
            ("distancing", dist),
            ("confidence", fmt_conf(stmt.confidence)),
        ]
        if stmt.id in checkworthy:
            rows.insert(0, ("check-worthy", f'<span class="tag">{checkworthy[stmt.id]:.2f}</span>'))
        parts.append(f'<article class="card status-{_e(stmt.status)}" id="statement-{_e(stmt.id)}" '
                     f'data-statement="{_e(stmt.id)}" tabindex="0"><header>{_e(stmt.id)}</header>{_dl(rows)}</article>')
    parts.append("</div></section>")
    return "\n".join(parts)


def _assertions(doc: Document) -> str:
    parts = ['<section id="assertions"><h2>The author\'s own evaluative assertions</h2>']
    empty = _empty(doc.assertions, "no evaluative assertions in the author's voice")
    if empty:
        return "\n".join([*parts, empty, "</section>"])
    parts.append("<table><thead><tr><th>id</th><th>assertion</th><th>evaluative words</th><th>conf</th></tr></thead><tbody>")
    for i, a in enumerate(doc.assertions or ()):
        cues = ", ".join(f"“{_e(c.text)}”" for c in a.cues) or '<span class="muted">none</span>'
        parts.append(f'<tr data-assertion="A{i + 1}"><td>A{i + 1}</td><td>{_e(a.text)}</td><td>{cues}</td>'
                     f'<td class="num">{fmt_conf(a.confidence)}</td></tr>')
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _markers(doc: Document) -> str:
    parts = ['<section id="markers"><h2>Hedges, distancing, contestation and boosters</h2>']
    empty = _empty(doc.markers, "no hedges or distancing markers found")
    if empty:
        return "\n".join([*parts, empty, "</section>"])
    parts.append("<table><thead><tr><th>id</th><th>kind</th><th>words</th><th>sentence</th><th>governs</th>"
                 "<th>conf</th></tr></thead><tbody>")
    for i, m in enumerate(doc.markers or ()):
        parts.append(f'<tr><td>{marker_id(i)}</td><td>{_e(m.kind)}</td><td>“{_e(m.text)}”</td>'
                     f'<td class="num">{m.sentence}</td><td>{_e(m.statement or "—")}</td>'
                     f'<td class="num">{fmt_conf(m.confidence)}</td></tr>')
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _headline(doc: Document) -> str:
    parts = ['<section id="headline-check"><h2>Headline check</h2>']
    if doc.headline_text:
        parts.append(f"<p><strong>Headline:</strong> {_e(doc.headline_text)}</p>")
    empty = _empty(doc.headline_check, "no checkable claim found in the headline")
    if empty:
        return "\n".join([*parts, empty, "</section>"])
    parts.append("<table><thead><tr><th>claim</th><th>verdict</th><th>why</th><th>evidence in the body</th>"
                 "<th>conf</th></tr></thead><tbody>")
    for c in doc.headline_check or ():
        ev = _evidence(c.evidence, limit=len(c.evidence))
        parts.append(f'<tr><td>“{_e(c.claim)}”</td><td><span class="verdict verdict-{_e(c.verdict)}">'
                     f'{_e(verdict_label(c.verdict))}</span></td><td>{_e(c.reason)}</td><td>{ev}</td>'
                     f'<td class="num">{fmt_conf(c.confidence)}</td></tr>')
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _timeline(doc: Document) -> str:
    parts = ['<section id="timeline"><h2>Timeline</h2>']
    empty = _empty(doc.timeline, "no dated events found")
    if empty:
        return "\n".join([*parts, empty, "</section>"])
    parts.append("<table><thead><tr><th>date</th><th>as written</th><th>event</th><th>conf</th></tr></thead><tbody>")
    indexed = sorted(enumerate(doc.timeline or ()), key=lambda p: (p[1].date, p[1].start))
    for i, t in indexed:
        parts.append(f'<tr data-date="T{i + 1}"><td>{_e(t.date)}</td><td>“{_e(t.text)}”</td><td>{_e(t.event.text)}</td>'
                     f'<td class="num">{fmt_conf(t.confidence)}</td></tr>')
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _entities(doc: Document) -> str:
    parts = ['<section id="entities"><h2>Entities</h2>']
    empty = _empty(doc.entities, "no entities found")
    if empty:
        return "\n".join([*parts, empty, "</section>"])
    parts.append("<table><thead><tr><th>entity</th><th>type</th><th>mentions</th><th>as written</th>"
                 "<th>conf</th></tr></thead><tbody>")
    for ent in sorted(doc.entities or (), key=lambda x: (-len(x.mentions), x.name.lower())):
        forms: list[str] = []
        for m in ent.mentions:
            form = " ".join(m.text.split())
            if form not in forms:
                forms.append(form)
        parts.append(f'<tr data-entity="{_e(ent.id)}"><td>{_e(ent.name)}</td><td>{_e(ent.type)}</td>'
                     f'<td class="num">{len(ent.mentions)}</td><td>{_e(", ".join(forms))}</td>'
                     f'<td class="num">{fmt_conf(ent.confidence)}</td></tr>')
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _evidence(spans: tuple, limit: int = 2) -> str:
    return "".join(f'<blockquote data-start="{sp.start}" data-end="{sp.end}">{_e(sp.text)}</blockquote>'
                   for sp in spans[:limit]) or '<span class="muted">none</span>'


def _learned(doc: Document) -> str:
    """Sections for the learned layers that were computed, each label with its evidence."""
    parts: list[str] = []
    if doc.narratives is not None:
        parts.append('<section id="narratives"><h2>Narratives</h2>')
        if doc.explanation is not None:
            parts.append(f'<p class="explanation"><strong>Why '
                         f'“{_e(doc.explanation.subnarrative or doc.explanation.narrative)}”:</strong> '
                         f"{_e(doc.explanation.text)}</p>")
        parts.append("<table><thead><tr><th>narrative</th><th>subnarrative</th><th>evidence</th><th>conf</th>"
                     "</tr></thead><tbody>")
        for n in sorted(doc.narratives, key=lambda n: -n.confidence):
            parts.append(f"<tr><td>{_e(n.narrative)}</td><td>{_e(n.subnarrative or '—')}</td>"
                         f'<td>{_evidence(n.evidence)}</td><td class="num">{fmt_conf(n.confidence)}</td></tr>')
        parts.append("</tbody></table></section>")
    if doc.catalogue_matches:
        parts.append('<section id="catalogue"><h2>Your catalogue\'s narratives</h2><table><thead><tr>'
                     "<th>catalogue</th><th>narrative</th><th>evidence</th><th>conf</th></tr></thead><tbody>")
        for n in doc.catalogue_matches:
            parts.append(f"<tr><td>{_e(n.taxonomy)}</td><td>{_e(n.narrative)}</td><td>{_evidence(n.evidence)}</td>"
                         f'<td class="num">{fmt_conf(n.confidence)}</td></tr>')
        parts.append("</tbody></table></section>")
    if doc.roles is not None:
        parts.append('<section id="roles"><h2>Entity roles</h2><table><thead><tr><th>entity</th><th>mentions</th>'
                     "<th>role</th><th>fine roles</th><th>cast by</th><th>conf</th></tr></thead><tbody>")
        for row in role_rows(doc):
            parts.append(f'<tr data-entity="{_e(row.entity_id or "")}"><td>{_e(row.name)}</td>'
                         f'<td class="num">{row.mentions}</td><td>{_e(row.main_role)}</td>'
                         f"<td>{_e(', '.join(row.fine_roles))}</td><td>{_evidence(row.evidence)}</td>"
                         f'<td class="num">{fmt_conf(row.confidence)}</td></tr>')
        parts.append("</tbody></table></section>")
    if doc.techniques is not None:
        ids = {id(t): f"P{i + 1}" for i, t in enumerate(doc.techniques)}
        words, paragraphs = split_techniques(doc)
        parts.append('<section id="techniques"><h2>Persuasion techniques</h2>')
        if words:
            parts.append("<table><caption>In the words (highlighted above)</caption><thead><tr><th>id</th>"
                         "<th>technique</th><th>words</th><th>conf</th></tr></thead><tbody>")
            for t in words:
                parts.append(f'<tr data-technique="{ids[id(t)]}"><td>{ids[id(t)]}</td><td>{_swatch(t.technique)}</td>'
                             f'<td>“{_e(t.text)}”</td><td class="num">{fmt_conf(t.confidence)}</td></tr>')
            parts.append("</tbody></table>")
        if paragraphs:
            parts.append('<table class="paragraph-labels"><caption>Paragraph labels</caption>'
                         "<thead><tr><th>paragraph</th>"
                         "<th>techniques (id, confidence)</th></tr></thead><tbody>")
            for (start, end), items in by_paragraph(paragraphs).items():
                labels = "<br>".join(f'<span data-technique="{ids[id(t)]}">{ids[id(t)]} {_swatch(t.technique)} '
                                     f"{fmt_conf(t.confidence)}</span>"
                                     for t in items)
                parts.append(f"<tr><td>“{_e(doc.text[start:end])}”</td><td>{labels}</td></tr>")
            parts.append("</tbody></table>")
        if not doc.techniques:
            parts.append('<p class="muted">none found</p>')
        parts.append("</section>")
    if doc.frames is not None or doc.genre is not None:
        parts.append('<section id="frames"><h2>Frames and genre</h2>')
        if doc.genre is not None:
            parts.append(f"<p><strong>Genre:</strong> {_e(doc.genre.label)} ({fmt_conf(doc.genre.confidence)}), "
                         f"most of all in:</p>{_evidence(doc.genre.evidence, 3)}")
        parts.append("<table><thead><tr><th>frame</th><th>carried by</th><th>conf</th></tr></thead><tbody>")
        for f in sorted(doc.frames or (), key=lambda f: -f.confidence):
            parts.append(f"<tr><td>{_e(f.frame.replace('_', ' '))}</td><td>{_evidence(f.evidence)}</td>"
                         f'<td class="num">{fmt_conf(f.confidence)}</td></tr>')
        parts.append("</tbody></table></section>")
    if doc.stance is not None:
        parts.append(f'<section id="stance"><h2>Stance of the body toward the headline</h2>'
                     f"<p><strong>{_e(doc.stance.label)}</strong> ({fmt_conf(doc.stance.confidence)})</p>"
                     f"{_evidence(doc.stance.evidence, 3)}</section>")
    return "\n".join(parts)


def render(doc: Document) -> str:
    """The report of ``doc`` as one self-contained HTML page."""
    heading = doc.headline_text or doc.id
    meta = " · ".join(_e(x) for x in (doc.outlet, doc.author, doc.published) if x)
    origin = doc.url or doc.origin
    analyzers = ", ".join(f"{_e(k)} {_e(v)}" for k, v in doc.analyzers.items()) or "none"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)} — narrascope</title>",
        f"<style>\n{_asset('report.css')}\n{layer_css(doc)}\n</style>",
        "</head><body><main>",
        f"<header><h1>{_e(heading)}</h1>",
        f'<p class="meta">{meta}</p>' if meta else "",
        f'<p class="meta">Source: <code>{_e(origin)}</code></p>' if origin else "",
        "</header>",
        _summary(doc),
        _controls_and_article(doc),
        _statements(doc),
        _assertions(doc),
        _headline(doc),
        _markers(doc),
        _timeline(doc),
        _entities(doc),
        _learned(doc),
        f'<footer>narrascope report · document <code>{_e(doc.id)}</code> · schema {SCHEMA_VERSION} · '
        f"analyzers: {analyzers}</footer>",
        "</main>",
        f"<script>\n{_asset('report.js')}\n</script>",
        "</body></html>",
        "",
    ])
