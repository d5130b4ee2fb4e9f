"""The attribution analyzer: hand-written sentences per construction, and the seed article."""

from __future__ import annotations

import pytest

from narrascope.analyzers import attribution
from narrascope.ingest import from_text
from narrascope.model import Document
from narrascope.pipeline import Pipeline

PIPE = ("sentences", "entities", "attribution")


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline(list(PIPE))


def run(pipe: Pipeline, text: str) -> Document:
    doc = pipe(from_text(text, detect_headline=False))
    assert doc.statements is not None
    for st in doc.statements:
        for span in (st.cue, st.content):
            assert span is not None and doc.text[span.start : span.end] == span.text
        if st.source.start is not None:
            assert doc.text[st.source.start : st.source.end] == st.source.text
        assert 0 <= st.confidence <= 1
    return doc


def find(doc: Document, cue: str):
    hits = [s for s in doc.statements or () if s.cue and cue in s.cue.text]
    assert hits, f"no statement with cue {cue!r}: {[(s.cue.text if s.cue else None) for s in doc.statements or ()]}"
    return hits[0]


def test_attribution_indirect_speech(pipe):
    doc = run(pipe, "The mayor of Springfield said that the bridge would reopen in May.")
    st = find(doc, "said")
    assert st.source.text == "The mayor of Springfield"
    assert st.content.text.startswith("that the bridge would reopen")
    assert st.kind == "indirect"


def test_attribution_direct_quote_and_continuation(pipe):
    text = '"We will not raise taxes," Maria Lopez told reporters. "Not this year, not next year."'
    doc = run(pipe, text)
    sts = [s for s in doc.statements if s.cue and "told" in s.cue.text]
    assert sts and all(s.source.text == "Maria Lopez" for s in sts)
    assert any("We will not raise taxes" in s.content.text and s.kind == "direct" for s in sts)
    assert any("Not this year" in s.content.text for s in sts)


def test_attribution_according_to(pipe):
    doc = run(pipe, "According to the weather service, the storm will reach the coast on Friday.")
    st = find(doc, "According to")
    assert st.kind == "according_to"
    assert st.source.text == "the weather service"
    assert st.content.text.startswith("the storm will reach the coast")


def test_attribution_framing(pipe):
    doc = run(pipe, "The governor framed the budget cuts as a painful necessity.")
    st = find(doc, "framed")
    assert st.kind == "framing"
    assert st.source.text == "The governor"
    assert "the budget cuts as a painful necessity" in st.content.text


def test_attribution_participle_takes_main_subject(pipe):
    doc = run(pipe, "The chancellor opened the summit in Berlin, stressing her government's support for the plan.")
    st = find(doc, "stressing")
    assert st.source.text == "The chancellor"
    assert "support for the plan" in st.content.text


def test_attribution_underscored_and_called_for(pipe):
    doc = run(pipe, "The senator has underscored her opposition to the merger. She has repeatedly called for an inquiry.")
    assert "her opposition to the merger" in find(doc, "underscored").content.text
    st = find(doc, "called")
    assert st.source.text == "She"
    assert "an inquiry" in st.content.text


def test_attribution_passive_agent_is_the_source(pipe):
    doc = run(pipe, "These stories have been spread by anonymous bloggers.")
    st = find(doc, "spread")
    assert st.source.text == "anonymous bloggers"
    assert st.source.type == "vague"
    assert st.content.text == "These stories"


def test_attribution_dubbed_by_officials(pipe):
    doc = run(pipe, "The new rules, which have been dubbed 'a fresh start' by city officials, take effect today.")
    st = find(doc, "dubbed")
    assert st.source.text == "city officials"
    assert st.source.type == "official"
    assert "a fresh start" in st.content.text


def test_attribution_relative_clause_source_is_the_antecedent(pipe):
    doc = run(pipe, "The plan was praised by the local press, which has described it as a turning point.")
    st = find(doc, "described")
    assert st.source.text == "the local press"
    assert st.source.type == "media"


def test_attribution_reports_that_highlight(pipe):
    doc = run(pipe, "New reports that highlight two failed rescue attempts have emerged.")
    st = find(doc, "highlight")
    assert st.source.type == "vague"
    assert "two failed rescue attempts" in st.content.text


def test_attribution_nominal_skepticism_by(pipe):
    doc = run(pipe, "The minister promised lower prices, but his claims were met with doubt by economists.")
    nominal = [s for s in doc.statements if s.kind == "nominal"]
    assert any(s.source.text == "economists" and "his claims" in s.content.text for s in nominal)
    assert any(s.source.text == "his" for s in nominal)


def test_attribution_links_pronoun_source_to_entity(pipe):
    doc = run(pipe, "President Anna Berg visited the port on Monday. She said that exports had doubled.")
    st = find(doc, "said")
    assert st.source.type == "person"
    if any("Berg" in e.name for e in doc.entities or ()):
        assert st.source.entity == "Anna Berg" or "Berg" in (st.source.entity or "")


def test_attribution_no_statement_in_plain_narration(pipe):
    doc = run(pipe, "The river rose two metres overnight and flooded the lower town.")
    assert doc.statements == ()


def test_attribution_relative_pronoun_option_keeps_who():
    pipe = Pipeline(list(PIPE), config={"attribution": {"relative_pronoun_source": True}})
    doc = run(pipe, "The report was written by an engineer who said that the dam was unsafe.")
    st = find(doc, "said")
    assert st.source.text == "who"


def test_attribution_lexicon_fallback_without_weights():
    from narrascope import nlp

    raws = attribution.extract(nlp.parse("The coach said that the team was ready."), model=None)
    assert raws and raws[0].kind == "indirect"


# --- the seed article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_statements(seed_text):
    return run(Pipeline(list(PIPE)), seed_text).statements


@pytest.mark.seed
def test_attribution_seed_putin_statements(seed_statements):
    putin = [s for s in seed_statements if s.source.entity == "Vladimir Putin"]
    assert len(putin) >= 4
    assert all(s.source.type == "person" for s in putin)
    texts = {s.source.text for s in putin}
    assert "The Russian president" in texts
    assert "his" in texts
    assert any("ceasefire" in s.content.text for s in putin)
    assert any(s.kind == "framing" and "defense" in s.content.text for s in putin)


@pytest.mark.seed
def test_attribution_seed_other_sources(seed_statements):
    by_source = {}
    for s in seed_statements:
        by_source.setdefault(s.source.text, []).append(s)
    assert by_source["Officials from both nations"][0].source.type == "official"
    dubbed = by_source["Chinese officials"]
    assert dubbed[0].source.type == "official" and any("new horizons" in s.content.text for s in dubbed)
    vague = [s for s in seed_statements if s.source.type == "vague"]
    assert any("reports" in s.source.text for s in vague)
    assert any("analysts and commentators" in s.source.text for s in vague)
    media = [s for s in seed_statements if s.source.type == "media"]
    assert any(s.source.text == "state media" for s in media)
    skeptic = [s for s in seed_statements if "skepticism" in (s.cue.text if s.cue else "")]
    assert skeptic and skeptic[0].source.text == "Western governments and Ukrainian officials"
    assert "his assertions" in skeptic[0].content.text


# --- constructions added for PolNeAR (issue 6, part 3) -----------------------------------------


def test_attribution_dash_byline(pipe):
    text = "Readers wrote in after the vote.\n“The new pier is the best thing this town has done in years.” ― Tomas Reyes\n"
    doc = run(pipe, text)
    st = find(doc, "―")
    assert st.source.text == "Tomas Reyes"
    assert "best thing this town has done" in st.content.text
    assert st.kind == "direct"


def test_attribution_tweet_dash_byline(pipe):
    text = "The senator replied within minutes.\n\nThe budget is a disgrace and I will vote against it. — Dana Whitfield (@danawhit) May 3, 2016\n"
    st = find(run(pipe, text), "—")
    assert st.source.text == "Dana Whitfield (@danawhit)"
    assert st.content.text.startswith("The budget is a disgrace")


def test_attribution_from_x_colon_line(pipe):
    text = "Both campaigns answered our questions.\n\nFrom Governor Ellen Park:\n\n“We will cut the sales tax in the first year.”\n"
    st = find(run(pipe, text), ":")
    assert st.source.text == "Governor Ellen Park"
    assert "cut the sales tax" in st.content.text


def test_attribution_headline_label_colon(pipe):
    doc = run(pipe, "Harlan: The Bridge Plan Is Dead\n\nThe council met on Tuesday.")
    st = find(doc, ":")
    assert st.source.text == "Harlan"
    assert st.content.text == "The Bridge Plan Is Dead"


def test_attribution_several_speakers(pipe):
    doc = run(pipe, "Senator Ruth Ames and Representative Carl Dunn said the bill would pass before the recess.")
    st = find(doc, "said")
    assert st.source.text == "Senator Ruth Ames and Representative Carl Dunn"
    assert "the bill would pass before the recess" in st.content.text


def test_attribution_pronoun_source_linked_to_entity(pipe):
    doc = run(pipe, "Maria Keller presented the budget on Monday. She said that the deficit had shrunk by half.")
    st = find(doc, "said")
    assert st.source.text == "She"
    assert st.source.type == "person"
    assert st.source.entity is not None and "Keller" in st.source.entity


def test_attribution_nested_reporting(pipe):
    doc = run(pipe, "The spokesman said the minister told him that the talks had failed.")
    outer, inner = find(doc, "said"), find(doc, "told")
    assert outer.source.text == "The spokesman"
    assert "the minister told him that the talks had failed" in outer.content.text
    assert inner.source.text == "the minister"
    assert inner.content.text == "that the talks had failed"


def test_attribution_quote_over_several_sentences(pipe):
    text = '"We tried everything. The money simply ran out," the director said. "Nobody wanted this outcome."'
    sts = [s for s in run(pipe, text).statements if s.cue and "said" in s.cue.text]
    assert any(s.content.text.startswith('"We tried everything.') and "ran out" in s.content.text for s in sts)
    assert any("Nobody wanted this outcome" in s.content.text for s in sts)
    assert all(s.source.text == "the director" for s in sts)
