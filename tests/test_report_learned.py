"""The reports show the learned layers (narratives, roles, techniques, frames, genre,
check-worthiness, stance) with their evidence, and put the most check-worthy statements first."""

from __future__ import annotations

import re

from rich.console import Console

from narrascope.model import (
    CheckworthyScore,
    EntityRole,
    Evidence,
    Explanation,
    FrameLabel,
    GenreLabel,
    NarrativeLabel,
    StanceLabel,
    TechniqueSpan,
)
from narrascope.report import html as html_report
from narrascope.report import terminal
from report_docs import TEXT, at, make_doc


def ev(phrase: str, weight: float = 0.8) -> Evidence:
    return Evidence(**at(TEXT, phrase).model_dump(), weight=weight)


def learned_doc():
    closing = "Schools will close on 3 March 2024, the education minister Jane Doe said on Monday."
    return make_doc(
        narratives=(
            NarrativeLabel(taxonomy="semeval2025", narrative="Education: Chaos", confidence=0.81,
                           evidence=(ev(closing),)),
            NarrativeLabel(taxonomy="semeval2025", narrative="Education: Chaos",
                           subnarrative="Education: Chaos: Rushed decisions", confidence=0.66,
                           evidence=(ev("Critics claim the decision was rushed."),)),
        ),
        explanation=Explanation(narrative="Education: Chaos", text="Critics claim the decision was rushed.",
                                sentences=(at(TEXT, "Critics claim the decision was rushed."),)),
        roles=(EntityRole(entity_id="E1", mention=at(TEXT, "Jane Doe"), main_role="Antagonist",
                          fine_roles=("Incompetent",), confidence=0.7, evidence=(ev(closing),)),),
        techniques=(
            TechniqueSpan(**at(TEXT, "a disaster").model_dump(), technique="Loaded_Language", confidence=0.77),
            TechniqueSpan(**at(TEXT, "shameful").model_dump(), technique="Name_Calling-Labeling", confidence=0.6),
        ),
        frames=(FrameLabel(frame="Security_and_defense", confidence=0.55, evidence=(ev(closing),)),),
        genre=GenreLabel(label="opinion", confidence=0.72, scores={"opinion": 0.72, "reporting": 0.28},
                         evidence=(ev("Critics claim the decision was rushed."),)),
        checkworthy=(
            CheckworthyScore(target="statement", ref="S1", span=at(TEXT, "Schools will close on 3 March 2024"),
                             score=0.4, reasons=("a date",)),
            CheckworthyScore(target="statement", ref="S3", span=at(TEXT, "the decision was rushed"),
                             score=0.9, reasons=("a causal claim",)),
        ),
        stance=StanceLabel(label="discuss", confidence=0.6, evidence=(ev(closing),)),
    )


def test_report_learned_terminal_lists_every_layer_and_orders_by_checkworthiness():
    console = Console(record=True, width=100)
    terminal.render(learned_doc(), console)
    out = console.export_text()
    for needle in ("Narratives", "Rushed decisions", "Antagonist", "Loaded_Language", "Security_and_defense",
                   "Genre: opinion (0.72): Critics claim the decision was rushed.", "Check these first", "discuss"):
        assert needle in out, needle
    table = out[out.index("Statements — who claims what"):]
    assert table.index("S3") < table.index("S1")


def test_report_learned_html_highlights_techniques_with_a_legend():
    page = html_report.render(learned_doc())
    spans = re.findall(r'<span class="hl[^"]*tech-Loaded_Language[^"]*"[^>]*title="([^"]*)"[^>]*>([^<]*)</span>', page)
    assert spans and spans[0][1] == "a disaster"
    assert "confidence 0.77" in spans[0][0]
    assert 'class="technique-legend"' in page and "Name Calling-Labeling" in page
    assert re.search(r"tech-Loaded_Language\{border-top:3px solid #[0-9a-f]{6}\}", page)
    for section in ('id="narratives"', 'id="roles"', 'id="techniques"', 'id="frames"', 'id="stance"'):
        assert section in page
    genre = page[page.index("<strong>Genre:</strong>"):]
    assert genre.index("Critics claim the decision was rushed.") < genre.index("<table>")  # its evidence, quoted
    cards = re.findall(r'<article class="card[^"]*" id="statement-(S\d)"', page)
    assert cards.index("S3") < cards.index("S1")


def test_report_learned_layers_absent_leave_no_empty_sections():
    page = html_report.render(make_doc())
    assert 'id="narratives"' not in page and "Check these first" not in page


def test_report_learned_paragraph_level_techniques_are_listed_not_painted():
    line = "Critics claim the decision was rushed. This is clearly a shameful decision."
    doc = learned_doc().model_copy(update={"techniques": (
        TechniqueSpan(**at(TEXT, line).model_dump(), technique="Doubt", confidence=0.5, paragraph=2),)})
    page = html_report.render(doc)
    assert "tech-Doubt" not in html_report.article_html(doc)
    assert 'data-technique="P1"' in page and "Doubt" in page


def test_report_summary_lists_narratives_before_their_subnarratives():
    from narrascope.report._common import top_narratives

    def lab(narr: str, conf: float, sub: str | None = None) -> NarrativeLabel:
        return NarrativeLabel(taxonomy="semeval2025", narrative=narr, subnarrative=sub, confidence=conf)

    doc = make_doc(narratives=(
        lab("A", 0.44), lab("A", 0.30, "A: first sub"), lab("A", 0.26, "A: second sub"),
        lab("B", 0.30), lab("B", 0.25, "B: Other"), lab("C", 0.22), lab("D", 0.10),
        lab("E", 0.05, "E: only a sub"),
    ))
    # three narratives, each with its strongest named subnarrative; a strong subnarrative of A
    # does not push C out, and "Other" is not shown
    assert top_narratives(doc) == ["A (0.44) › first sub (0.30)", "B (0.30)", "C (0.22)"]
    assert top_narratives(doc, k=5)[-1] == "E (0.05) › only a sub (0.05)"


def test_report_stance_row_points_at_unsupported_headline_claims():
    from narrascope.report._common import stance_phrase

    agree = StanceLabel(label="agree", confidence=0.9)
    doc = make_doc(stance=agree)  # its headline check: 2 claims, neither supported
    assert stance_phrase(doc).startswith("agree (0.90) — the body as a whole; claim by claim, 2 of 2 headline claims")
    assert stance_phrase(make_doc(stance=agree, headline_check=())) == "agree (0.90)"
    assert stance_phrase(make_doc(stance=StanceLabel(label="disagree", confidence=0.8))) == "disagree (0.80)"


def test_report_roles_show_one_row_per_entity_with_its_mention_count():
    closing = "Schools will close on 3 March 2024, the education minister Jane Doe said on Monday."
    role = {"main_role": "Antagonist", "fine_roles": ("Incompetent",), "confidence": 0.7}
    doc = learned_doc().model_copy(update={"roles": (
        EntityRole(entity_id="E1", mention=at(TEXT, "Jane Doe"), evidence=(ev(closing),), **role),
        EntityRole(entity_id="E1", mention=at(TEXT, "the education minister"), evidence=(ev(closing),), **role),
        EntityRole(entity_id="E1", mention=at(TEXT, "Critics"), **role
                   | {"confidence": 0.65}, evidence=(ev("Critics claim the decision was rushed."),)),
    )})
    from narrascope.report._common import role_rows, roles_phrase

    rows = role_rows(doc)
    assert len(rows) == 1 and rows[0].mentions == 3 and rows[0].confidence == 0.7
    assert [e.text for e in rows[0].evidence] == [closing, "Critics claim the decision was rushed."]
    assert roles_phrase(doc) == "Antagonist: Jane Doe"
    console = Console(record=True, width=120)
    terminal.render(doc, console)
    out = console.export_text()
    roles = out[out.index("Entity roles ─"):out.index("Persuasion techniques ─")]
    assert roles.count("Antagonist") == 1
    page = html_report.render(doc)
    section = page[page.index('<section id="roles">'):]
    section = section[:section.index("</section>")]
    assert section.count("<tr data-entity") == 1 and '<td class="num">3</td>' in section


def test_report_techniques_keep_word_spans_apart_from_paragraph_labels():
    line = "Critics claim the decision was rushed. This is clearly a shameful decision."
    doc = learned_doc()
    doc = doc.model_copy(update={"techniques": (*(doc.techniques or ()), TechniqueSpan(
        **at(TEXT, line).model_dump(), technique="Doubt", confidence=0.5, paragraph=2))})
    from narrascope.report._common import techniques_phrase

    assert techniques_phrase(doc) == ("2 word spans: Loaded_Language 1, Name_Calling-Labeling 1 · "
                                      "1 paragraph labels: Doubt 1")
    console = Console(record=True, width=140)
    terminal.render(doc, console)
    out = console.export_text()
    section = out[out.index("Persuasion techniques ─"):]
    words, paragraphs = section.split("paragraph labels", 1)
    assert "a disaster" in words and "Doubt" not in words
    assert "Doubt 0.50" in paragraphs and "a disaster" not in paragraphs
    page = html_report.render(doc)
    section = page[page.index('<section id="techniques">'):]
    assert section.index("<caption>In the words") < section.index("a disaster") < section.index("<caption>Paragraph")
    assert section.index("<caption>Paragraph labels") < section.index("Doubt")
