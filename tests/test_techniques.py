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


def _toy_context(**kw):  # type: ignore[no-untyped-def]
    """A context model that reads the first feature of a token's embedding only."""
    import numpy as np

    from narrascope import embeddings

    weights = np.zeros(embeddings.DIMENSIONS, np.float32)
    weights[0] = 10.0
    args = {"weights": weights, "bias": -1.0, "stack": np.asarray([1.0, 0.5, -0.5], np.float32), "window": 2,
            "decode": (0.5, 0, 0.5)}
    return T.ContextSI(**{**args, **kw})


def test_techniques_context_model_stacks_its_log_odds_with_the_token_heads():
    import numpy as np

    from narrascope import embeddings
    from narrascope.analyzers.frames import encode_text

    text = "The corrupt elites betrayed us. The committee met on Thursday."
    toks = T.tokens(text)
    ctx = T.token_context(text, encode_text(text), toks, 2)
    assert ctx.shape == (len(toks), embeddings.DIMENSIONS)
    assert np.allclose(np.linalg.norm(ctx, axis=1), 1.0, atol=1e-4)  # the encoder's own normalised pooling
    # a word's context embedding depends on its neighbours: "The" opens both sentences, differently
    firsts = [i for i, t in enumerate(toks) if t[2] == "The"]
    assert float(ctx[firsts[0]] @ ctx[firsts[1]]) < 0.99
    head = np.linspace(-2, 2, len(toks)).astype(np.float32)
    model = _toy_context()
    z = 1.0 * head + 0.5 * (10.0 * ctx[:, 0] - 1.0) - 0.5
    assert model.probabilities(head, ctx) == pytest.approx(1 / (1 + np.exp(-z)), abs=1e-5)
    assert model.probabilities(head[:0], ctx[:0]).shape == (0,)


def test_techniques_shipped_si_context_figures_meet_the_floor():
    """The cross-fitted SI figure that training recorded for the shipped token head + context model."""
    from narrascope import models

    loaded = models.load("techniques_si_context")
    if loaded is None:
        pytest.skip("no techniques_si_context weights")
    arrays, meta = loaded
    assert arrays["weights"].shape == (512,) and arrays["stack"].shape == (3,)
    assert meta["cv"]["f1"] >= _floors()["semeval2020-si"]["cv_f1"]


def test_techniques_decoding_takes_function_words_off_span_ends_but_keeps_negations():
    import numpy as np

    text = "They said to relentless aggression and that was all. We will never forgive them."
    toks = T.tokens(text)
    words = [t[2] for t in toks]
    probs = np.zeros(len(toks), np.float32)
    for w in ("to", "relentless", "aggression", "and", "that", "never", "forgive"):
        probs[words.index(w)] = 0.5
    plain = T.decode_spans(text, toks, probs, 0.2, 1, 0.4)
    assert [text[s:e] for s, e, _ in plain] == ["to relentless aggression and that", "never forgive"]
    trimmed = T.decode_spans(text, toks, probs, 0.2, 1, 0.4, trim=T.edge_words())
    assert [text[s:e] for s, e, _ in trimmed] == ["relentless aggression", "never forgive"]


@pytest.mark.skipif(T.load_hashed("techniques_si") is None, reason="no span weights")
def test_techniques_analyzer_reads_in_context_only_the_tokens_from_the_floor(monkeypatch):
    import numpy as np

    from narrascope.analyzers.frames import encode_text

    text = "These corrupt, lying traitors are destroying our great nation. The council met on Tuesday."
    si = T.load_hashed("techniques_si")
    toks, head = T.token_probabilities(si, text)
    read: list[list[str]] = []
    real = T.token_context

    def spy(text_, enc, toks_, window):  # type: ignore[no-untyped-def]
        read.append([t[2] for t in toks_])
        return real(text_, enc, toks_, window)

    monkeypatch.setattr(T, "token_context", spy)
    _, probs = T.token_probabilities_in_context(si, _toy_context(), text, encode_text(text), 0.08)
    above = head >= 0.08
    assert 0 < above.sum() < len(toks)
    assert read == [[t[2] for t, a in zip(toks, above, strict=True) if a]]
    assert np.array_equal(probs[~above], head[~above])  # the others keep the head's own probability
    assert not np.allclose(probs[above], head[above])


def test_techniques_context_model_of_another_width_is_a_typed_error_that_names_the_fix():
    import numpy as np

    from narrascope.errors import ModelError

    with pytest.raises(ModelError, match="techniques_si_context") as err:
        _toy_context().probabilities(np.zeros(1, np.float32), np.zeros((1, 300), np.float32))
    assert "--parts si" in str(err.value.hint)


def _floors() -> dict:
    import json
    from pathlib import Path

    return json.loads((Path(__file__).resolve().parent.parent / "benchmarks" / "floors.json").read_text())


@pytest.mark.data
@pytest.mark.skipif(load_head("techniques_paragraph") is None, reason="no paragraph weights")
def test_techniques_st3_heldout_fold_meets_floor_and_the_benchmark_writes_its_labels(data_dir, tmp_path, monkeypatch):
    """A Russian-only head on folds 1-4 scores fold 0 above the floor; and ``bench predict
    semeval2023-st3``, given that head and the task's own template, writes for every held-out
    paragraph exactly the techniques the CV path decides (the benchmark must never drift from what
    cross-validation measured)."""
    import shutil

    from narrascope.bench import semeval2023 as B
    from narrascope.training import _semeval2023 as S3
    from narrascope.training.techniques import heldout_st3_fold

    fold = heldout_st3_fold(data_dir, langs=("ru",))
    thr = fold.head.thresholds("ru")
    assert S3.micro_f1(fold.gold, fold.probabilities >= thr) >= _floors()["semeval2023-st3"]["heldout_micro_f1_ru_only"]

    d = S3.lang_dir(data_dir, "ru")
    for aid in set(fold.ids):
        shutil.copyfile(d / "train-articles-subtask-3" / f"article{aid}.txt", tmp_path / f"article{aid}.txt")
    monkeypatch.setattr(B, "_head", lambda name: fold.head)
    out = tmp_path / "pred.tsv"
    B.predict_st3(tmp_path, d / "train-labels-subtask-3.template", "ru", out)
    written = {(i, int(n)): set(filter(None, techs.split(","))) for i, n, techs in
               (line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())}
    expected = {(i, n): {lab for lab, q, t in zip(fold.head.labels, row, thr, strict=True) if q >= t}
                for i, n, row in zip(fold.ids, fold.paragraphs, fold.probabilities, strict=True)}
    assert len(expected) >= 300
    assert {key: written.get(key) for key in expected} == expected


@pytest.mark.data
@pytest.mark.skipif(T.load_hashed("techniques_si") is None or T.load_si_context() is None, reason="no span weights")
def test_techniques_si_heldout_fold_meets_floor_and_the_benchmark_writes_its_spans(data_dir, tmp_path, monkeypatch):
    """Folds 1-4 -> fold 0: the token head and the context model, stacked and decoded as shipped,
    score above the floor; and ``bench predict semeval2020-si``, given those two models, writes the
    spans the training's path finds (the benchmark must never drift from what CV measured)."""
    import shutil

    from narrascope.bench import semeval2020 as B
    from narrascope.training.techniques import heldout_si_fold

    fold = heldout_si_fold(data_dir)
    assert fold.f1() >= _floors()["semeval2020-si"]["heldout_f1"]

    root = data_dir / "semeval2020-task11" / "train-articles"
    for aid in fold.spans:
        shutil.copyfile(root / f"article{aid}.txt", tmp_path / f"article{aid}.txt")
    monkeypatch.setattr(T, "load_hashed", lambda name: fold.head)
    monkeypatch.setattr(T, "load_si_context", lambda: fold.context)
    out = tmp_path / "pred.tsv"
    B.predict_si(tmp_path, out)
    written: dict[str, list[tuple[int, int]]] = {aid: [] for aid in fold.spans}
    for line in out.read_text(encoding="utf-8").splitlines():
        aid, s, e = line.split("\t")
        written[aid].append((int(s), int(e)))
    assert sum(map(len, fold.spans.values())) >= 500
    assert written == fold.spans


@pytest.mark.data
def test_techniques_tc_heldout_fold_meets_floor_and_the_benchmark_writes_its_classes(data_dir, tmp_path, monkeypatch):
    """Folds 1-4 -> fold 0, with the sentence's and the span's own embeddings (0.633 at stop 18; the
    head without the span's embedding scored 0.575 in cross-validation); and ``bench predict
    semeval2020-tc``, given that classifier, classifies the held-out template spans as the CV path does."""
    import shutil

    from narrascope.bench import semeval2020 as B
    from narrascope.training.techniques import heldout_tc_fold

    fold = heldout_tc_fold(data_dir)
    assert float((fold.predicted == fold.gold).mean()) >= _floors()["semeval2020-tc"]["heldout_micro_f1"]

    root = data_dir / "semeval2020-task11" / "train-articles"
    for aid in {a for a, _, _ in fold.spans}:
        shutil.copyfile(root / f"article{aid}.txt", tmp_path / f"article{aid}.txt")
    template, out = tmp_path / "template.tsv", tmp_path / "pred.tsv"
    template.write_text("".join(f"{a}\t?\t{s}\t{e}\n" for a, s, e in fold.spans), encoding="utf-8")
    monkeypatch.setattr(T, "load_hashed", lambda name: fold.model)
    monkeypatch.setattr(T, "_tc_embedding_weights", lambda: fold.embedding_weights)
    assert B.predict_tc(tmp_path, template, out) == len(fold.spans) >= 1000
    written = [line.split("\t")[1] for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == [T.TECHNIQUES_2020[int(c)] for c in fold.predicted]


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
