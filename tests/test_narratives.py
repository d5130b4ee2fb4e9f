"""The `narratives` analyzer: SemEval-2025 narratives, evidence sentences and a grounded explanation."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.analyzers import narratives as N
from narrascope.model import Document, Sentence
from narrascope.pipeline import Context, get

PRAISE = (
    "Russia's glorious army shows its strength\n\n"
    "The heroic Russian army has once again proved that it is the strongest military in the world. "
    "Russian soldiers liberated another town in Donbass with brilliant precision, and the enemy fled in panic. "
    "Military experts admit that the invincible Russian forces and their superior weapons cannot be stopped. "
    "Under President Putin's wise leadership, Russia's military might grows every day."
)


def _doc(text: str) -> Document:
    spans = N.split_sentences(text)
    sents = tuple(Sentence(start=s, end=e, text=text[s:e], index=i, paragraph=0) for i, (s, e) in enumerate(spans))
    return Document(id="t", text=text, sentences=sents)


def _run(doc: Document) -> Document:
    return get("narratives").func(doc, Context())


def test_narratives_praise_of_army_gets_praise_label_with_evidence() -> None:
    out = _run(_doc(PRAISE))
    assert out.narratives is not None
    by_name = {lab.narrative: lab for lab in out.narratives if lab.subnarrative is None}
    assert "URW: Praise of Russia" in by_name, [lab.narrative for lab in out.narratives]
    praise = by_name["URW: Praise of Russia"]
    assert 0 < praise.confidence <= 1 and praise.taxonomy == "semeval2025"
    assert praise.evidence
    for ev in praise.evidence:
        assert 0 <= ev.start < ev.end <= len(PRAISE) and PRAISE[ev.start:ev.end] == ev.text
    subs = [lab for lab in out.narratives if lab.subnarrative]
    assert all(lab.subnarrative.startswith(lab.narrative + ": ") for lab in subs if lab.subnarrative)
    assert any(lab.narrative == "URW: Praise of Russia" for lab in subs)


def test_narratives_explanation_is_short_and_grounded() -> None:
    out = _run(_doc(PRAISE))
    exp = out.explanation
    assert exp is not None
    assert len(exp.text.split()) <= N.MAX_EXPLANATION_WORDS
    assert exp.sentences
    for span in exp.sentences:
        assert PRAISE[span.start:span.end] == span.text and span.text in exp.text
    assert exp.text == " ".join(s.text for s in exp.sentences)
    assert exp.narrative.startswith("URW: ")


def test_narratives_explanation_trims_long_sentences() -> None:
    long = " ".join(["The mighty Russian army wins"] + ["again and again"] * 40) + "."
    text = f"Russian army triumphs\n\n{long} {long}"
    out = _run(_doc(text))
    if out.explanation is not None:
        assert len(out.explanation.text.split()) <= N.MAX_EXPLANATION_WORDS
        for span in out.explanation.sentences:
            assert text[span.start:span.end] == span.text


def test_narratives_other_for_unrelated_text() -> None:
    text = "A recipe for apple pie\n\nPeel six apples, mix them with sugar and cinnamon, and bake the pie for an hour."
    out = _run(_doc(text))
    assert out.narratives is not None
    assert [lab.narrative for lab in out.narratives if lab.subnarrative is None] == ["Other"]
    assert out.explanation is None


def test_narratives_decode_keeps_hierarchy() -> None:
    labels = ["Other", "URW: A", "URW: B", "URW: A: x", "URW: A: y", "URW: B: z"]
    probs = np.array([0.1, 0.8, 0.5, 0.7, 0.1, 0.9])
    narrs, subs = N.decode(labels, probs, 0.6, 0.5)
    assert narrs == ["URW: A"]  # B below the threshold, so its subnarrative z is dropped too
    assert subs == ["URW: A: x"]
    narrs, subs = N.decode(labels, np.array([0.1, 0.8, 0.7, 0.2, 0.1, 0.1]), 0.6, 0.5)
    assert narrs == ["URW: A", "URW: B"] and subs == ["URW: A: Other", "URW: B: Other"]
    assert N.decode(labels, np.array([0.9, 0.2, 0.1, 0.1, 0.1, 0.1]), 0.6, 0.5) == (["Other"], ["Other"])


def test_narratives_prototype_similarity_is_max_over_sentences() -> None:
    emb = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    protos = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    assert np.allclose(N.prototype_similarity(emb, protos), [1.0, 1.0])
    assert np.allclose(N.prototype_similarity(emb[2:], protos), [0.6, 0.8])
    assert N.prototype_similarity(emb, None).shape == (0,)
    feats = N.doc_features(emb, protos, 2.0)
    assert feats.shape == (2 * 2 + 2,) and np.allclose(feats[-2:], [2.0, 2.0])


def test_narratives_select_sentences_skips_short_ones_and_caps() -> None:
    text = "Photo: AFP\nThe first real sentence is here. Second one is here too. Third is here as well."
    spans = N.split_sentences(text)
    kept = N.select_sentences(text, spans, min_words=3, max_sentences=2)
    assert [text[s:e] for s, e in kept] == ["The first real sentence is here.", "Second one is here too."]
    assert N.select_sentences("Hi.", N.split_sentences("Hi."), min_words=3) == [(0, 3)]


def test_narratives_tokens_keep_devanagari_words() -> None:
    assert N.tokens("प्रधानमंत्री मोदी, Мир!")[:3] == ["प्रधानमंत्री", "मोदी", "мир"]
    text = "Первое предложение. Второе!\nТретье"
    assert [text[s:e] for s, e in N.split_sentences(text)] == ["Первое предложение.", "Второе!", "Третье"]


def test_narratives_seed_article_explanation_is_grounded(seed_doc: Document) -> None:
    doc = seed_doc if seed_doc.narratives is not None else _run(seed_doc)
    assert doc.narratives and doc.narratives[0].narrative.startswith("URW: ")
    for lab in doc.narratives:
        for ev in lab.evidence:
            assert doc.text[ev.start:ev.end] == ev.text
    assert doc.explanation is not None
    assert len(doc.explanation.text.split()) <= N.MAX_EXPLANATION_WORDS
    sentences = {(s.start, s.end) for s in doc.sentences or ()}
    assert len(doc.explanation.sentences) >= 2
    for span in doc.explanation.sentences:
        assert doc.text[span.start:span.end] == span.text
        assert (span.start, span.end) in sentences  # whole sentences, none cut short
    assert [s.start for s in doc.explanation.sentences] == sorted(s.start for s in doc.explanation.sentences)


def test_narratives_seed_article_praise_of_russia(seed_doc: Document) -> None:
    doc = seed_doc if seed_doc.narratives is not None else _run(seed_doc)
    assert doc.narratives is not None
    praise = [lab for lab in doc.narratives if lab.narrative == "URW: Praise of Russia" and lab.subnarrative is None]
    assert praise, [lab.narrative for lab in doc.narratives]
    assert any("Putin" in ev.text for ev in praise[0].evidence)
    for ev in praise[0].evidence:
        assert doc.text[ev.start:ev.end] == ev.text
    assert doc.explanation is not None
    assert len(doc.explanation.text.split()) <= N.MAX_EXPLANATION_WORDS
    for span in doc.explanation.sentences:
        assert doc.text[span.start:span.end] == span.text


@pytest.mark.parametrize("lang_text", [
    "Русская армия снова доказала свою непобедимую мощь. Российские солдаты героически освободили город.",
    "O exército russo mostrou mais uma vez a sua força invencível. Os soldados russos libertaram outra cidade.",
])
def test_narratives_other_languages_run(lang_text: str) -> None:
    out = _run(_doc(lang_text))
    assert out.narratives
    for lab in out.narratives:
        for ev in lab.evidence:
            assert lang_text[ev.start:ev.end] == ev.text
