from __future__ import annotations

import narrascope
from narrascope.analyzers.entities import entity_at

TEXT = (
    "Talks Stall\n\n"
    "Prime Minister Anna Kovacs met union leaders on Monday. Kovacs said the offer was final, "
    "and her deputy agreed.\n\n"
    "The prime minister later told reporters that she would not resign. "
    "The Federal Railway Authority (FRA) said the strike cost millions; the FRA will publish figures."
)


def _doc(text: str = TEXT):
    return narrascope.analyze(text, ["sentences", "entities"])


def test_entities_alias_nominal_and_pronoun_resolve_to_one_person():
    doc = _doc()
    kovacs = [e for e in doc.entities if e.name == "Anna Kovacs"]
    assert len(kovacs) == 1
    kinds = {(m.text, m.kind) for m in kovacs[0].mentions}
    assert ("Kovacs", "alias") in kinds
    assert ("The prime minister", "nominal") in kinds
    assert ("she", "pronoun") in kinds
    assert kovacs[0].type == "person"


def test_entities_acronym_in_brackets_is_an_alias():
    doc = _doc()
    fra = [e for e in doc.entities if e.name == "Federal Railway Authority"]
    assert len(fra) == 1
    assert sum(1 for m in fra[0].mentions if m.text == "FRA") == 2


def test_entities_offsets_point_at_their_text():
    doc = _doc()
    for e in doc.entities:
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text


def test_entities_pronoun_left_alone_when_two_people_compete():
    doc = _doc("Maria Lopez met John Brandt in Lisbon. He said the deal was done.")
    pronouns = [m for e in doc.entities for m in e.mentions if m.kind == "pronoun"]
    assert pronouns == []


def test_entities_entity_at_finds_the_tightest_mention():
    doc = _doc()
    start = doc.text.index("The prime minister")
    ent = entity_at(doc, start, start + len("The prime minister"))
    assert ent is not None and ent.name == "Anna Kovacs"
    assert entity_at(doc, 0, 5) is None


def test_entities_seed_putin_aliases(seed_text):
    doc = _doc(seed_text)
    putin = [e for e in doc.entities if e.name == "Vladimir Putin"]
    assert len(putin) == 1
    texts = {m.text for m in putin[0].mentions}
    assert {"Putin", "the Russian president", "The Russian president", "his"} <= texts


def test_entities_title_case_headline_fragments_are_not_names():
    from pathlib import Path

    example = Path(narrascope.__file__).parent / "examples" / "example_article.txt"
    doc = narrascope.analyze(example.read_text(encoding="utf-8"), ("sentences", "entities"))
    names = {e.name for e in doc.entities}
    assert "Riverton City Council" in names and "Helen Ortiz" in names
    # "City Council Approves New Flood Barriers and Promises Lower Insurance Costs": the tagger's
    # organisations in the headline are ordinary words
    assert not any("Approves" in n or "Insurance" in n for n in names), names


def test_entities_real_names_only_in_a_title_case_headline_stay():
    text = ("Shanghai Cooperation Organization Summit Opens as NY Daily News Reports Delays\n\n"
            "Delegates from eight countries arrived on Monday. The talks on trade and security were "
            "delayed by a day, the organisers said, and the news of the delay spread quickly.")
    doc = narrascope.analyze(text, ("sentences", "entities"))
    names = " | ".join(e.name for e in doc.entities)
    assert "Shanghai Cooperation Organization" in names and "NY Daily News" in names


def test_entities_newspaper_name_is_an_organisation_not_a_person():
    from pathlib import Path

    # in the bundled example the tagger reads "The Riverton Gazette reported ..." as a person
    example = Path(narrascope.__file__).parent / "examples" / "example_article.txt"
    doc = narrascope.analyze(example.read_text(encoding="utf-8"), ("sentences", "entities"))
    types = {e.name: e.type for e in doc.entities}
    assert types.get("Riverton Gazette") == "organisation", types
    assert types.get("Helen Ortiz") == "person", types


def test_entities_russian_inflected_forms_and_surnames_group():
    from narrascope.model import Document
    from narrascope.pipeline import Pipeline

    # written for this test
    text = ("Владимир Путин провёл совещание в Москве.\n\n"
            "Путина поддержали министры, а в Москву прибыли делегации из Китая. "
            "Министерство обороны России сообщило о новых учениях.")
    [doc] = list(Pipeline(("sentences", "entities")).run_many([Document(id="ru", text=text, language="ru")]))
    by_name = {e.name: e for e in doc.entities}
    putin = by_name["Владимир Путин"]
    assert putin.type == "person" and [m.text for m in putin.mentions] == ["Владимир Путин", "Путина"]
    assert [m.kind for m in putin.mentions] == ["name", "alias"]
    assert [m.text for m in by_name["Москва"].mentions] == ["Москве", "Москву"]  # one entity, two cases
    assert by_name["Москва"].type == "place"
    for e in doc.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
