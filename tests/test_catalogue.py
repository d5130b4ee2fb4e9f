"""The `catalogue` analyzer: user narrative catalogues matched by meaning."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.analyzers import catalogue as C
from narrascope.errors import DataError, InputNotFoundError, NarrascopeError
from narrascope.model import Document, Sentence
from narrascope.pipeline import Context

CATALOGUE = """
name = "pets"
threshold = 0.45

[[narratives]]
name = "Cats are dangerous"
description = "Domestic cats are a threat to wildlife and to people."
examples = ["Cats kill billions of birds every year.", "Stray cats spread disease in our cities."]

[[narratives]]
name = "Space exploration is a waste of money"
description = "Governments spend fortunes on rockets while problems on Earth go unsolved."
examples = ["Billions are spent on Mars missions while schools crumble."]
"""

TEXT = ("Local birdwatchers are alarmed.\n\n"
        "Pet cats roaming outdoors are killing enormous numbers of songbirds every year, a new study says.\n\n"
        "The council will discuss the report on Tuesday.")


def _doc(text: str) -> Document:
    spans = [(0, 31), (33, 128), (130, len(text))]
    sents = tuple(Sentence(start=s, end=e, text=text[s:e], index=i, paragraph=i) for i, (s, e) in enumerate(spans))
    return Document(id="t", text=text, sentences=sents)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cat.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_catalogue_matches_by_meaning_with_evidence(tmp_path: Path) -> None:
    doc = _doc(TEXT)
    assert doc.sentences is not None and doc.sentences[1].text.startswith("Pet cats")
    out = C.analyze(doc, Context({"catalogue": str(_write(tmp_path, CATALOGUE))}))
    matches = out.catalogue_matches
    assert matches is not None
    names = [m.narrative for m in matches]
    assert names and names[0] == "Cats are dangerous"
    assert "Space exploration is a waste of money" not in names
    top = matches[0]
    assert top.taxonomy == "pets"
    assert top.evidence and top.evidence[0].text.startswith("Pet cats")
    for ev in top.evidence:
        assert TEXT[ev.start:ev.end] == ev.text
    assert out.analyzers["catalogue"] == C.VERSION


def test_catalogue_default_is_the_shipped_example() -> None:
    cat = C.load(C.EXAMPLE)
    assert cat.name == "example" and len(cat.narratives) >= 3
    assert all(n.examples for n in cat.narratives)
    out = C.analyze(_doc(TEXT), Context())
    assert out.catalogue_matches is not None
    assert all(m.taxonomy == "example" for m in out.catalogue_matches)


@pytest.mark.parametrize("body", [
    "name = [unclosed",
    'name = "x"\n',
    'name = "x"\n[[narratives]]\ndescription = "no name"\n',
    'name = "x"\nthreshold = 3\n[[narratives]]\nname = "a"\nexamples = ["s"]\n',
    'name = "x"\n[[narratives]]\nname = "a"\nexamples = "not a list"\n',
])
def test_catalogue_bad_file_raises_typed_error(tmp_path: Path, body: str) -> None:
    with pytest.raises(DataError) as info:
        C.load(_write(tmp_path, body))
    assert info.value.code.startswith("E6") and "narratives" in info.value.hint


def test_catalogue_missing_file_raises_typed_error(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError) as info:
        C.analyze(_doc(TEXT), Context({"catalogue": str(tmp_path / "absent.toml")}))
    assert isinstance(info.value, NarrascopeError) and info.value.code == "E108" and info.value.hint
