"""All three reports over the seed article after the full pipeline."""

from __future__ import annotations

import pytest
from rich.console import Console

from narrascope.model import from_json
from narrascope.report import html as html_report
from narrascope.report import json as json_report
from narrascope.report import terminal
from report_docs import parse_report


@pytest.mark.seed
def test_report_seed_renders_all_formats(seed_doc):
    doc = seed_doc
    assert doc.statements
    console = Console(record=True, width=100)
    terminal.render(doc, console)
    out = console.export_text()
    assert out.index("narrascope summary") < out.index("Statements — who claims what")
    assert all(len(line) <= 100 for line in out.splitlines())

    page = html_report.render(doc)
    p = parse_report(page)
    assert "".join(p.article_text) == doc.text
    for stmt in doc.statements:
        assert p.highlight_text("content", stmt.id) == doc.text[stmt.content.start:stmt.content.end]
    for i, m in enumerate(doc.markers or ()):
        assert p.highlight_text("marker", f"M{i + 1}") == doc.text[m.start:m.end]

    assert from_json(json_report.render(doc)) == doc
