"""The techniques analyzer: technique spans and paragraph labels (SemEval-2023 taxonomy)."""

from __future__ import annotations

import pytest

from narrascope.analyzers import techniques as T
from narrascope.analyzers.frames import load_head
from narrascope.model import Document
from narrascope.pipeline import Context, get

RANT = (
    "Traitors in Parliament sell out the nation again\n\n"
    "The corrupt, lying elites in the capital have once again betrayed hard-working families with their "
    "disgusting, treacherous scheme. These spineless cowards and their pathetic puppets in the media "
    "will stop at nothing to destroy everything we love.\n\n"
    "Make our country great again! Stand up and fight before it is too late!\n\n"
    "The committee will meet on Thursday to discuss the budget, a spokesperson said."
)


def _analyze(text: str, lang: str = "en") -> Document:
    return get("techniques").func(Document(id="t-tech", text=text, language=lang), Context())


def test_techniques_mapping_covers_both_taxonomies():
    assert set(T.MAP_2023_TO_2020) == set(T.TECHNIQUES_2023)
    assert set(T.MAP_2020_TO_2023) == set(T.TECHNIQUES_2020)
    for old, new in T.MAP_2020_TO_2023.items():
        assert new in T.TECHNIQUES_2023
        assert T.MAP_2023_TO_2020[new] == old  # the mapping round-trips for every 2020 class


def test_techniques_decode_spans_joins_runs_and_trims_punctuation():
    text = "a very bad, evil plan ."
    toks = T.tokens(text)
    probs = [0.1, 0.9, 0.9, 0.9, 0.9, 0.1, 0.9]
    import numpy as np

    spans = T.decode_spans(text, toks, np.asarray(probs), 0.5)
    assert [text[s:e] for s, e, _ in spans] == ["very bad, evil"]


def test_techniques_si_training_rows_match_the_analyzer_scores():
    import numpy as np

    from narrascope.training.techniques import si_matrix

    texts = ["A headline!\r\n\r\nThese \"corrupt\" elites betray us. Why?\r\nAnother line, “quoted”.\n",
             "x", "  \n\n a b c d e f g\nh"]
    toks_of = [T.tokens(t) for t in texts]
    X = si_matrix(texts, toks_of, bits=12, scale=0.7)
    w = (np.random.default_rng(0).normal(size=(1, 1 << 12)) * 0.05).astype(np.float32)
    model = T.HashedLinear(w, np.asarray([0.3], np.float32), 12, {"features": 4, "sentence_scale": 0.7})
    probs = np.concatenate([T.token_probabilities(model, t)[1] for t in texts])
    assert X.shape[0] == sum(len(t) for t in toks_of) == len(probs)
    np.testing.assert_allclose(1.0 / (1.0 + np.exp(-(X @ w[0] + 0.3))), probs, atol=1e-5)


@pytest.mark.skipif(T.load_hashed("techniques_si") is None, reason="no span weights")
def test_techniques_si_fast_scores_equal_the_reference():
    from pathlib import Path

    import numpy as np

    import narrascope

    example = (Path(narrascope.__file__).parent / "examples" / "example_article.txt").read_text(encoding="utf-8")
    model = T.load_hashed("techniques_si")
    for text in (RANT, example, "Stop! Now!! \"Why?\" he said.", "x", "a b", "a b c", ""):
        toks = T.tokens(text)
        np.testing.assert_allclose(T.si_decision(model, text, toks), T.si_decision_reference(model, text, toks),
                                   atol=1e-5)


def test_techniques_si_sentences_follow_lines():
    text = "Title\r\n\r\nOne two.\nThree\n"
    toks = T.tokens(text)
    assert [[toks[i][2] for i in idx] for idx in T._sentences(text, toks)] == [["Title"], ["One", "two", "."], ["Three"]]


@pytest.mark.skipif(T.load_hashed("techniques_si") is None, reason="no span weights")
def test_techniques_spans_are_inside_the_text():
    doc = _analyze(RANT)
    assert doc.techniques
    for t in doc.techniques:
        assert doc.text[t.start:t.end] == t.text
        assert t.technique in T.TECHNIQUES_2023
        assert 0.0 <= t.confidence <= 1.0
    spans = [t for t in doc.techniques if not T.is_paragraph_level(t, doc)]
    assert any(t.technique in ("Loaded_Language", "Name_Calling-Labeling") for t in spans)
    assert doc.analyzers["techniques"] == T.VERSION


@pytest.mark.skipif(load_head("techniques_paragraph") is None, reason="no paragraph weights")
def test_techniques_paragraph_labels_cover_whole_lines():
    doc = _analyze(RANT)
    paras = [t for t in doc.techniques or () if T.is_paragraph_level(t, doc)]
    assert paras
    rant_line = RANT.split("\n\n")[1]
    assert any(t.text == rant_line and t.technique in ("Loaded_Language", "Name_Calling-Labeling") for t in paras)


def test_techniques_non_english_gets_no_span_level_items():
    doc = _analyze("Les élites corrompues trahissent encore la nation.\n\nLa réunion aura lieu jeudi.", "fr")
    for t in doc.techniques or ():
        assert T.is_paragraph_level(t, doc)


@pytest.mark.seed
@pytest.mark.skipif(T.load_hashed("techniques_si") is None, reason="no span weights")
def test_techniques_seed_highlights_loaded_language(seed_doc):
    doc = get("techniques").func(seed_doc, Context())
    loaded = [t for t in doc.techniques or ()
              if t.technique == "Loaded_Language" and not T.is_paragraph_level(t, doc)]
    assert loaded
    for t in loaded:
        assert doc.text[t.start:t.end] == t.text
    # "… the people of Donbass are being subjected to relentless aggression": the words, not the sentence
    assert any(t.text == "relentless aggression" for t in loaded), [t.text for t in loaded]


def test_techniques_si_features_name_the_word_classes_of_a_word_and_its_neighbours():
    text = "They faced relentless aggression and chaos on Tuesday."
    toks = T.tokens(text)
    per_token, _ = T.si_features(text, toks)
    by_word = {toks[i][2]: set(per_token[i]) for i in range(len(toks))}
    # narrascope's evaluative lexicon: an adjective, then a noun
    assert {"lx=a", "lx-1=-", "lx+1=n"} <= by_word["relentless"]
    assert {"lx=n", "lx-1=a"} <= by_word["aggression"]
    # VADER's valences: "chaos" −2.7, "aggression" −1.2 (weak), "Tuesday" not in the lexicon
    assert {"vd=N", "vd-1=-"} <= by_word["chaos"]
    assert {"vd=w", "vd+1=-"} <= by_word["aggression"]
    assert {"lx=-", "lx-1=-", "lx+1=-", "vd=-", "vd-1=-", "vd+1=-"} <= by_word["Tuesday"]


def test_techniques_span_context_embeds_each_span_in_its_own_sentence():
    import numpy as np

    from narrascope import embeddings
    from narrascope.analyzers.frames import encode_text

    text = RANT.split("\n\n", 1)[1]
    enc = encode_text(text)
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("spineless cowards", "pathetic puppets", "budget")]
    ctx = T.span_context(text, enc, spans, 2.0)
    assert ctx.shape == (3, 2 * embeddings.DIMENSIONS)
    assert np.array_equal(ctx[:, : embeddings.DIMENSIONS], T.sentence_context(enc, spans))
    own = ctx[:, embeddings.DIMENSIONS :]
    assert np.allclose(np.linalg.norm(own, axis=1), 2.0, atol=1e-3)  # unit vectors times the scale
    # two spans of one sentence share the sentence's half, not their own
    assert np.array_equal(ctx[0, : embeddings.DIMENSIONS], ctx[1, : embeddings.DIMENSIONS])
    assert not np.allclose(own[0], own[1])
    # each span's own half is nearer its own words, encoded as a text, than the other span's words
    words = embeddings.encode(["spineless cowards", "budget"])
    assert own[0] @ words[0] > own[0] @ words[1]
    assert own[2] @ words[1] > own[2] @ words[0]
    assert T.span_context(text, enc, spans, 0.0).shape == (3, embeddings.DIMENSIONS)


def test_techniques_tc_weights_of_another_width_are_a_typed_error_that_names_the_fix():
    import numpy as np

    from narrascope.errors import ModelError

    tc = T.load_hashed("techniques_tc")
    if tc is None:
        pytest.skip("no techniques_tc weights")
    text = RANT
    spans = [(text.index("Traitors"), text.index("Traitors") + 8)]
    stale = np.zeros((len(tc.meta["labels"]), 512), np.float32)  # a head trained on the sentence alone
    with pytest.raises(ModelError, match="dense features") as err:
        T.classify_spans(tc, stale, text, spans, np.zeros((1, 1024), np.float32))
    assert "narrascope train techniques" in str(err.value.hint)


def _toy_filter(**kw):  # type: ignore[no-untyped-def]
    """A span filter that reads nothing but the candidate's best token probability."""
    import numpy as np

    from narrascope import embeddings

    weights = np.zeros(4 + 2 * embeddings.DIMENSIONS, np.float32)
    weights[1] = 4.0
    args = {"weights": weights, "bias": 0.0, "mean": np.full(4, 0.5, np.float32), "std": np.ones(4, np.float32),
            "candidates": (0.2, 0, 0.3), "threshold": 0.5}
    return T.SpanFilter(**{**args, **kw})


def test_techniques_span_filter_reads_each_candidates_tokens_and_keeps_those_it_scores_high():
    import numpy as np

    from narrascope import embeddings
    from narrascope.analyzers.frames import encode_text

    text = "The corrupt elites betrayed us. The committee met on Thursday and the vile traitors fled."
    toks = T.tokens(text)
    words = [t[2] for t in toks]
    probs = np.full(len(toks), 0.05, np.float32)
    for w, p in (("corrupt", 0.4), ("elites", 0.3), ("vile", 0.9), ("traitors", 0.7)):
        probs[words.index(w)] = p
    enc = encode_text(text)
    cands = T.decode_spans(text, toks, probs, 0.2, 0, 0.3)
    assert [text[s:e] for s, e, _ in cands] == ["corrupt elites", "vile traitors"]
    feats = T.span_filter_features(text, enc, toks, probs, cands)
    assert feats.shape == (2, 4 + 2 * embeddings.DIMENSIONS)
    assert feats[0, :2] == pytest.approx([0.35, 0.4])  # mean and max of the span's tokens
    assert feats[1, :2] == pytest.approx([0.8, 0.9])
    assert feats[0, 2] == pytest.approx(np.log1p(2)) and feats[0, 3] == pytest.approx(np.log1p(len("corrupt elites")))
    # the filter keeps the candidate whose best token it scores high enough, with its keep-probability
    kept = T.filtered_spans(text, enc, toks, probs, _toy_filter())
    assert [(text[s:e], round(q, 3)) for s, e, q in kept] == [("vile traitors", round(1 / (1 + np.exp(-1.6)), 3))]
    assert len(T.filtered_spans(text, enc, toks, probs, _toy_filter(threshold=0.3))) == 2


def test_techniques_span_filter_of_another_width_is_a_typed_error_that_names_the_fix():
    import numpy as np

    from narrascope.errors import ModelError

    with pytest.raises(ModelError, match="techniques_si_filter") as err:
        _toy_filter().scores(np.zeros((1, 4 + 512), np.float32))
    assert "--parts si" in str(err.value.hint)


def _floors() -> dict:
    import json
    from pathlib import Path

    return json.loads((Path(__file__).resolve().parent.parent / "benchmarks" / "floors.json").read_text())


@pytest.mark.data
@pytest.mark.skipif(load_head("techniques_paragraph") is None, reason="no paragraph weights")
def test_techniques_st3_heldout_fold_meets_floor(data_dir):
    from narrascope.training.techniques import heldout_st3

    got = heldout_st3(data_dir, langs=("ru",))  # a Russian-only head, folds 1-4 -> fold 0
    assert got["ru"] >= _floors()["semeval2023-st3"]["heldout_micro_f1_ru_only"]


@pytest.mark.data
@pytest.mark.skipif(T.load_hashed("techniques_si") is None, reason="no span weights")
def test_techniques_si_heldout_fold_meets_floor(data_dir):
    from narrascope.training.techniques import heldout_si

    assert heldout_si(data_dir) >= _floors()["semeval2020-si"]["heldout_f1"]  # folds 1-4 -> fold 0


@pytest.mark.data
def test_techniques_tc_heldout_fold_meets_floor(data_dir):
    from narrascope.training.techniques import heldout_tc

    # folds 1-4 -> fold 0, with the sentence's and the span's own embeddings (0.633 at stop 18; the
    # head without the span's embedding scored 0.575 in cross-validation)
    assert heldout_tc(data_dir) >= _floors()["semeval2020-tc"]["heldout_micro_f1"]


def test_techniques_missing_vader_lexicon_is_a_typed_error_that_names_the_fix(monkeypatch):
    import importlib.resources

    from narrascope.analyzers import lexicons
    from narrascope.errors import ModelError

    def absent(package: str) -> None:
        raise ModuleNotFoundError(f"No module named '{package}'")

    monkeypatch.setattr(importlib.resources, "files", absent)
    with pytest.raises(ModelError) as err:
        lexicons.valences.__wrapped__()
    assert "vaderSentiment" in str(err.value) and "make install" in (err.value.hint or "")
