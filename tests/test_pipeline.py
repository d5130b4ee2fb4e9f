from __future__ import annotations

import pytest

import narrascope
from narrascope.errors import EmptyInputError, PipelineError
from narrascope.model import Document
from narrascope.pipeline import Failure, Pipeline, analyzer


def test_pipeline_refuses_an_analyzer_before_its_requirements():
    with pytest.raises(PipelineError) as info:
        Pipeline(["entities"])
    assert "requires sentences" in info.value.message
    assert info.value.code == "E301"


def test_pipeline_unknown_analyzer_names_the_known_ones():
    with pytest.raises(PipelineError) as info:
        Pipeline(["sentences", "nonsense"])
    assert "entities" in info.value.hint


def test_pipeline_records_versions_and_never_mutates_the_input():
    doc = narrascope.from_text("Title\n\nOne sentence here. Another one there.")
    out = Pipeline(["sentences"])(doc)
    assert doc.sentences is None
    assert [s.text for s in out.sentences] == ["Title", "One sentence here.", "Another one there."]
    assert out.analyzers == {"sentences": "1.0"}


def test_pipeline_batch_keeps_going_after_a_failing_document():
    @analyzer("explode_on_x", version="0", requires=("sentences",), assigns=())
    def explode(doc: Document, ctx) -> Document:
        if "explode" in doc.text:
            raise ValueError("boom")
        return doc

    docs = [narrascope.from_text(t) for t in ("Fine text one.", "This will explode.", "Fine text two.")]
    results = list(Pipeline(["sentences", "explode_on_x"]).run_many(docs, batch_size=2))
    assert [type(r).__name__ for r in results] == ["Document", "Failure", "Document"]
    failure = results[1]
    assert isinstance(failure, Failure) and "boom" in failure.error.message


def test_pipeline_paragraph_breaks_split_sentences():
    doc = Pipeline(["sentences"])(narrascope.from_text("no full stop here\n\nnext paragraph starts"))
    assert [s.text for s in doc.sentences] == ["no full stop here", "next paragraph starts"]
    assert [p.index for p in doc.paragraphs] == [0, 1]
    assert [s.paragraph for s in doc.sentences] == [0, 1]


def test_pipeline_empty_text_is_a_typed_error():
    with pytest.raises(EmptyInputError):
        narrascope.from_text("  \n ")


def test_context_parse_is_cached_per_document_and_redone_for_a_new_text():
    from narrascope.pipeline import Context

    ctx = Context()
    a = Document(id="d1", text="The minister resigned on Monday.")
    first = ctx.parsed(a)
    assert ctx.parsed(a) is first
    assert ctx.parsed(Document(id="d1", text="The minister resigned on Monday.")) is first  # equal text, new string
    changed = ctx.parsed(Document(id="d1", text="Rain fell."))  # same id, another text: parsed again
    assert changed is not first and changed.text == "Rain fell."


# Written for these tests: a short Russian article in the register of a state-media report.
RUSSIAN_ARTICLE = (
    "Российские военные защитили мирных жителей Донбасса\n\n"
    "Российские военные отразили новую атаку на мирные города Донбасса, сообщили в министерстве "
    "обороны. Западные страны продолжают поставлять оружие, которое, по словам экспертов, лишь "
    "затягивает конфликт.\n\n"
    "Президент России заявил, что страна никогда не оставит своих граждан без защиты. "
    "Жители региона благодарят армию за мужество и стойкость."
)


def test_pipeline_runs_the_layers_that_read_the_documents_language():
    from narrascope.pipeline import DEFAULT_ANALYZERS

    pipe = Pipeline(DEFAULT_ANALYZERS)
    [doc] = list(pipe.run_many([Document(id="ru1", text=RUSSIAN_ARTICLE, language="ru")]))
    assert isinstance(doc, Document), doc
    # the multilingual layers ran ...
    assert doc.narratives and doc.frames and doc.genre is not None and doc.techniques is not None
    assert {"sentences", "entities", "narratives", "roles", "techniques", "frames", "genre"} <= set(doc.analyzers)
    assert doc.entities and doc.roles is not None
    # ... the English-only ones, and what is built on them, did not (and did not fail the document)
    assert doc.statements is None and doc.checkworthy is None and doc.stance is None
    assert pipe.skipped("ru") == ["attribution", "hedging", "evaluation", "headline", "timeline", "checkworthy",
                                  "stance"]
    assert "roles" in pipe.skipped("pt") and "entities" in pipe.skipped("pt")  # natasha reads Russian only
    assert pipe.skipped("en") == [] and pipe.for_language(None) == pipe.specs
    # sentences come from the rule-based splitter, one per sentence, never across a paragraph
    assert [s.text[:20] for s in doc.sentences][:3] == ["Российские военные з", "Российские военные о",
                                                        "Западные страны прод"]
    assert all(s.text in doc.text for s in doc.sentences)


def test_pipeline_refuses_a_language_none_of_its_analyzers_reads():
    from narrascope.errors import UnsupportedLanguageError
    from narrascope.pipeline import DEFAULT_ANALYZERS, MAIN_ANALYZERS

    bulgarian = Document(id="bg1", text="Болницата ще открие ново детско отделение догодина.", language="bg")
    [main] = list(Pipeline(MAIN_ANALYZERS).run_many([bulgarian]))
    assert isinstance(main, Failure) and isinstance(main.error, UnsupportedLanguageError)
    assert "supported: en, ru" in main.error.message  # of the main job, only entities read Russian
    japanese = Document(id="ja1", text="東京の病院は来年の春に新しい小児病棟を開設する。", language="ja")
    [failed] = list(Pipeline(DEFAULT_ANALYZERS).run_many([japanese]))
    assert isinstance(failed, Failure) and isinstance(failed.error, UnsupportedLanguageError)
    assert "'ja'" in failed.error.message and "ru" in failed.error.message


def test_rule_based_sentences_start_at_an_opening_quote():
    from narrascope import nlp

    text = "Один. «Два», — сказал он. Три!\n\nНовый абзац. „Цитата“ тут."
    assert [s.text for s in nlp.split(text).sents if s.text.strip()] == [
        "Один.", "«Два», — сказал он.", "Три!", "Новый абзац.", "„Цитата“ тут."]
