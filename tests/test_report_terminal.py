"""The terminal report, rendered into a recording console and read back as plain text."""

from __future__ import annotations

from rich.console import Console

from narrascope.model import Document
from narrascope.report import terminal
from report_docs import make_doc, make_evil_doc


def render_text(doc: Document, width: int = 100) -> str:
    console = Console(record=True, width=width, force_terminal=False, color_system=None)
    terminal.render(doc, console)
    return console.export_text()


def test_terminal_summary_comes_before_details():
    out = render_text(make_doc())
    summary = out.index("narrascope summary")
    for section in ("Statements — who claims what", "Headline check", "Timeline", "Entities"):
        assert summary < out.index(section), section
    assert out.index("Headline: Ministry orders all schools to close") < out.index("Statements — who claims what")


def test_terminal_summary_headline_verdicts():
    out = render_text(make_doc())
    summary = out[: out.index("Statements — who claims what")]
    assert "NOT REPORTED in the body — directives are never described" in summary
    assert "only ATTRIBUTED in the body" in summary


def test_terminal_summary_counts():
    out = " ".join(render_text(make_doc()).replace("│", " ").split())
    assert "Statements: 4 by source: person 0 · organisation 1 · official 1 · vague 1 · media 0 · author 1" in out
    assert "Hedged or contested statements: 2 (S2 hedged, S3 contested)" in out
    assert "Headline claims not supported by the body: 2 of 2 (not reported 1 · attributed 1)" in out
    assert "Evaluative assertions in the author's voice: 1 (shameful)" in out
    assert "Hedges and other markers: 3 — hedge 0 · distancing 1 · contestation 1 · booster 1" in out


def test_terminal_details_list_every_finding():
    out = render_text(make_doc())
    details = out[out.index("Statements — who claims what"):]
    for sid in ("S1", "S2", "S3", "S4"):
        assert f" {sid} " in details
    for words in ("the education", "According", "Critics", "the author", "“reportedly”", "contestation",
                  "shameful", "2024-03-03", "2024-02-26", "Jane Doe", "teachers' union"):
        assert words in details, words
    # the evidence excerpt of the attributed headline claim, with its offsets
    assert "evidence: “Schools will close on 3 March 2024” [38:72]" in details
    entities = details[details.index("Entities"):]
    assert entities.index("Jane Doe") < entities.index("Ministry")  # most-mentioned first
    assert " 2 " in entities.splitlines()[entities.splitlines().index(next(
        line for line in entities.splitlines() if "Jane Doe" in line))]


def test_terminal_fits_100_columns_and_truncates_long_content():
    long_content = "word " * 60
    doc = make_doc()
    text = doc.text + "\n\nHe said " + long_content.strip() + "."
    start = text.index("word")
    from narrascope.model import Source, Span, Statement

    stmt = Statement(id="S9", source=Source(text="He", start=text.index("He said"), end=text.index("He said") + 2,
                                            type="person", confidence=0.5),
                     cue=None, content=Span(start=start, end=len(text) - 1, text=text[start:-1]),
                     kind="indirect", sentence=5, confidence=0.5)
    doc = doc.model_copy(update={"text": text, "statements": (*doc.statements, stmt)})
    out = render_text(doc)
    assert all(len(line) <= 100 for line in out.splitlines())
    assert "…" in out[out.index(" S9 "):]
    assert long_content.strip() not in " ".join(out.split())


def test_terminal_layers_not_computed_or_empty():
    bare = render_text(Document(id="bare", text="Nothing to see."))
    assert "Statements: not computed" in bare
    assert bare.count("(not computed)") == 6
    empty = render_text(Document(id="empty", text="Nothing.", statements=(), markers=(), assertions=(),
                                 headline_check=(), timeline=(), entities=()))
    assert "(no attributed statements found)" in empty
    assert "(no dated events found)" in empty
    assert "(not computed)" not in empty
    assert "Statements: 0" in empty and "by source: person 0" in empty


def test_terminal_prints_markup_and_tags_literally():
    doc = make_evil_doc()
    doc = doc.model_copy(update={"title": "[bold red]Not markup[/] and [link=x]y[/link]"})
    out = render_text(doc)
    assert "[bold red]Not markup[/] and [link=x]y[/link]" in out
    assert "<script>alert(1)</script>" in out


def test_report_terminal_names_the_english_only_layers_once_for_another_language():
    from rich.console import Console

    from narrascope.model import Document
    from narrascope.report import terminal

    doc = Document(id="ru", text="Россия и Китай подписали соглашение.", language="ru")
    console = Console(record=True, width=120)
    terminal.render(doc, console)
    out = console.export_text()
    assert "Not computed for an article in 'ru' (these layers read English only): Statements" in out
    assert "Headline check ──" not in out and "(not computed)" not in out
