"""Entity roles: the analyzer on hand-written text, the seed article, and CV floors on held-out EN."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import narrascope
from narrascope.analyzers import roles as R
from narrascope.errors import ModelError
from narrascope.pipeline import Context, get

ANALYZERS = ("sentences", "entities", "roles")
FLOORS = R.MODEL_DIR.parent.parent.parent / "benchmarks" / "floors.json"

VILLAIN_VICTIM = """Warlord Viktor Drago orders the shelling of a village

Warlord Viktor Drago ordered his militia to shell the village of Lesna on Sunday, killing eleven civilians, \
among them four children, in an attack that aid groups called a deliberate massacre.

Drago, who seized power in a coup and has jailed every journalist who criticised him, lied about the attack \
and blamed the villagers for provoking it. His fighters looted homes, burned the school and executed \
prisoners, according to survivors.

Farmer Maria Kessel lost her husband and her two sons in the shelling. Kessel, a widow now living in a tent \
with her remaining daughter, said she had done nothing wrong and had only wanted to harvest her crops. \
Kessel was wounded by shrapnel and has received no help, no food and no medicine since her home was destroyed.
"""


def _roles(doc):
    out: dict[str, set[str]] = {}
    for r in doc.roles or ():
        out.setdefault(r.entity_id, set()).add(r.main_role)
    return out


def _entity(doc, surname):
    return next(e for e in doc.entities if surname in e.name and e.type == "person")


@pytest.fixture(scope="module")
def villain_doc():
    return narrascope.analyze(VILLAIN_VICTIM, ANALYZERS)


def test_roles_villain_is_antagonist_victim_is_innocent(villain_doc):
    roles = _roles(villain_doc)
    assert roles[_entity(villain_doc, "Drago").id] == {"Antagonist"}
    assert roles[_entity(villain_doc, "Kessel").id] == {"Innocent"}


def test_roles_aliases_share_one_role(villain_doc):
    drago = _entity(villain_doc, "Drago")
    assert len(drago.mentions) >= 2
    cast = [r for r in villain_doc.roles if r.entity_id == drago.id]
    assert {(r.mention.start, r.mention.end) for r in cast} == {(m.start, m.end) for m in drago.mentions}
    assert len({(r.main_role, r.fine_roles, r.confidence) for r in cast}) == 1


def test_roles_fine_roles_belong_to_the_main_role_and_evidence_points_at_text(villain_doc):
    text = villain_doc.text
    for r in villain_doc.roles:
        assert r.fine_roles and set(r.fine_roles) <= set(R.FINE_ROLES[r.main_role])
        assert 0 <= r.confidence <= 1
        assert text[r.mention.start : r.mention.end] == r.mention.text
        assert r.evidence
        for ev in r.evidence:
            assert text[ev.start : ev.end] == ev.text


def test_roles_empty_without_entities():
    doc = narrascope.analyze("it rained all day and nobody went out.", ANALYZERS)
    assert doc.roles == ()


def test_roles_sentence_split_and_window():
    text = "One sentence here. Another one follows!\nA third line"
    spans = R.split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["One sentence here.", "Another one follows!", "A third line"]
    assert R.sentence_of(spans, text.index("Another")) == 1
    assert R.window(text, text.index("Another"), text.index("Another") + 7, n_words=2) == "sentence here. Another one follows!"


@pytest.mark.seed
def test_roles_seed_putin_is_protagonist(seed_doc):
    doc = seed_doc
    if doc.roles is None:  # until `roles` is one of the default analyzers
        doc = get("roles").func(seed_doc, Context())
    putin = next(e for e in doc.entities if e.type == "person" and "Putin" in e.name)
    cast = [r for r in doc.roles or () if r.entity_id == putin.id]
    assert {(r.mention.start, r.mention.end) for r in cast} == {(m.start, m.end) for m in putin.mentions}
    assert {r.main_role for r in cast} == {"Protagonist"}


def test_roles_skip_an_entity_named_only_as_a_modifier():
    from narrascope import nlp

    text = "Chinese officials praised the deal, and the Chinese cheered. Kremlin officials agreed with Kremlin aides."
    doc = narrascope.analyze(text, ("sentences", "entities"))
    parsed = nlp.parse(text)
    by_name = {e.name: e for e in doc.entities}
    assert not R._only_attributive(by_name["Chinese"], parsed)  # "the Chinese" is a group of people
    kremlin = next(e for e in doc.entities if "Kremlin" in e.name)
    assert R._only_attributive(kremlin, parsed)  # only ever "Kremlin officials", "Kremlin aides"
    text = "Ukraine President Volodymyr Zelensky spoke first. Ukraine Defence Minister Rustem Umerov agreed."
    doc = narrascope.analyze(text, ("sentences", "entities"))
    by_name = {e.name: e for e in doc.entities}
    parsed = nlp.parse(text)
    assert R._only_attributive(by_name["Ukraine"], parsed)  # it names the president and the minister
    assert not R._only_attributive(by_name["Volodymyr Zelensky"], parsed)


@pytest.mark.seed
def test_roles_seed_places_named_once_as_scenery_get_no_role(seed_doc):
    doc = seed_doc if seed_doc.roles is not None else get("roles").func(seed_doc, Context())
    by_name = {e.name: e for e in doc.entities}
    # "from the Pacific to the Arctic": spaCy's LOC, named once; Donbass (GPE, four times) is cast
    assert R._scenery(by_name["Pacific"]) and R._scenery(by_name["Arctic"])
    assert not R._scenery(by_name["Donbass"])
    cast = {r.entity_id for r in doc.roles}
    assert by_name["Pacific"].id not in cast and by_name["Arctic"].id not in cast


def test_roles_config_sets_how_many_entities_are_scored_and_the_casting_threshold(villain_doc):
    def cast(**cfg):
        doc = R.analyze(villain_doc, Context({"roles": cfg}))
        return {e.name: next((r.main_role, r.confidence) for r in doc.roles if r.entity_id == e.id)
                for e in doc.entities if any(r.entity_id == e.id for r in doc.roles)}

    everyone = cast(min_confidence=0.0)
    assert len(everyone) >= 3  # Drago, Kessel and the village of Lesna are all scored
    # one entity scored: Drago and Kessel are both named three times, Drago first
    assert list(cast(max_entities=1)) == ["Warlord Viktor Drago"]
    assert cast(min_confidence=0.99) == {}
    # the prior correction divides by the training priors (70 % antagonists in English): without it
    # the villain is a surer antagonist and the victim a less sure innocent than with the default
    full, default = cast(prior_correction=0.0, min_confidence=0.0), everyone
    assert full["Warlord Viktor Drago"][0] == default["Warlord Viktor Drago"][0] == "Antagonist"
    assert full["Warlord Viktor Drago"][1] > default["Warlord Viktor Drago"][1]
    assert full["Farmer Maria Kessel"][1] < default["Farmer Maria Kessel"][1]


def _cue_reader(text: str, parsed: Any = None) -> Callable[..., set[tuple[str, str, str]]]:
    """(role, kind, cue word) of each role cue of the ``nth`` occurrence of a name in ``text`` (parsed
    here unless ``parsed`` is given)."""
    from narrascope import nlp

    parsed = nlp.parse(text) if parsed is None else parsed

    def cues(name: str, nth: int = 0) -> set[tuple[str, str, str]]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return {(c.role, c.kind, text[c.start : c.end]) for c in R.role_cue(parsed, start, start + len(name))}

    return cues


def test_roles_cues_read_who_is_harmed_protected_helps_or_is_praised():
    from narrascope import nlp

    text = ("The army shelled Lesna at dawn. The people of Kharkiv are being subjected to constant attacks. "
            "Aid groups condemned the aggression against Moldova. The victims of Acme Corp are still waiting. "
            "Lesna announced a new budget. Drago attacked the plan. Troops protect the farmers and the people of Sumy. "
            "Maria Kessel rescued three miners. The mayor praised Tomas Berg. "
            "Everyone in Orlova calls the nurse a hero.")
    parsed = nlp.parse(text)
    cues = _cue_reader(text, parsed)

    assert cues("Lesna") == {("Innocent", "object", "shelled")}
    assert cues("Kharkiv") == {("Innocent", "passive", "subjected")}  # through "the people of"
    assert cues("Moldova") == {("Innocent", "target", "aggression")}
    assert cues("Acme Corp") == {("Innocent", "victims", "victims")}
    assert cues("Lesna", 1) == set()  # the subject of "announced"
    assert cues("Drago") == {("Antagonist", "harms", "attacked")}  # the one who attacks does harm
    assert cues("Sumy") == {("Innocent", "object", "protect")}  # conjuncts share the verb
    assert cues("Maria Kessel") == {("Protagonist", "helps", "rescued")}
    assert cues("Tomas Berg") == {("Protagonist", "praised", "praised")}
    assert cues("Orlova") == {("Protagonist", "hero", "hero")}
    lesna = [(m.start(), m.end()) for m in re.finditer("Lesna", text)]
    inn, pro = R.MAIN_ROLES.index("Innocent"), R.MAIN_ROLES.index("Protagonist")
    strength, found = R.role_cues(parsed, R.Target(*lesna[1], tuple(lesna), "Lesna"))
    assert strength[inn] == 0.5 and strength[pro] == 0  # one of its two mentions is shelled
    assert [c.kind for c in found] == ["object"]
    assert R.role_cues(parsed, R.Target(*lesna[0], tuple(lesna), "Lesna"))[0][inn] == 1.0  # its own mention


def test_roles_cues_read_harm_named_by_a_noun_of_its_target():
    text = ("The invasion of Lindara began in spring. Agents plotted to assassinate Petra Vol. "
            "The invasion by Karsk was condemned. The history of Lindara is long.")
    read = _cue_reader(text)

    def cues(name: str, nth: int = 0) -> set[tuple[str, str]]:
        return {(kind, word) for role, kind, word in read(name, nth) if role == "Innocent"}

    assert cues("Lindara") == {("target", "invasion")}  # the invasion *of* X is done to X
    assert cues("Petra Vol") == {("object", "assassinate")}
    assert cues("Karsk") == set()  # the invasion *by* X is done by X
    assert cues("Lindara", 1) == set()  # "the history of X" harms no one


def test_roles_cues_read_who_does_harm_is_opposed_or_named_a_villain():
    text = ("Velmar shelled the port. The port was bombed by Korvan. Velmar's aggression shocked everyone. "
            "The allies condemned Drosk. Both nations challenge the dominance of Talmar. "
            "Volunteers fought against Brenn. The Ostrava regime ignored the talks. "
            "Critics condemned the killing of Lena Marr. The dominance of Talmar is fading.")
    cues = _cue_reader(text)

    assert cues("Velmar") == {("Antagonist", "harms", "shelled")}
    assert cues("Korvan") == {("Antagonist", "harms", "bombed")}  # the "by" agent of a passive harm verb
    assert cues("Velmar", 1) == {("Antagonist", "harms", "aggression")}
    assert cues("Drosk") == {("Antagonist", "opposed", "condemned")}
    assert cues("Talmar") == {("Antagonist", "opposed", "challenge")}  # through "the dominance of"
    assert cues("Brenn") == {("Antagonist", "opposed", "fought")}
    assert cues("Ostrava") == {("Antagonist", "named", "regime")}
    # the killing *of* X is done to X, whoever condemns it; a dominance nobody opposes casts no one
    assert cues("Lena Marr") == {("Innocent", "target", "killing")}
    assert cues("Talmar", 1) == set()


FINE_NAMES = [f for m in R.MAIN_ROLES for f in R.FINE_ROLES[m]]
FINE_PARENTS = [m for m in R.MAIN_ROLES for _ in R.FINE_ROLES[m]]


def _toy_head(fine_b: np.ndarray | None = None, **options: Any) -> R.LanguageHead:
    """A head over 4 features whose weights are all zero, so its biases and ``options`` alone decide
    (main role Antagonist; fine role the first of each main role unless ``fine_b`` says otherwise)."""
    return R.LanguageHead(np.zeros((3, 4)), np.array([1.0, 0.0, 0.0]), np.zeros((len(FINE_NAMES), 4)),
                          np.zeros(len(FINE_NAMES)) if fine_b is None else fine_b, 1.01, FINE_NAMES, FINE_PARENTS,
                          **options)


def test_roles_cue_bias_raises_a_role_only_where_cued():
    head = _toy_head(cue_bias=[0.0, 2.0, 3.0])
    X = np.zeros((4, 4), np.float32)
    cues = np.array([[0, 0, 0], [0, 1, 0], [0, 0.25, 0], [0, 0, 1]], np.float32)
    preds = head.predict(X, cues=cues)
    assert [p.main_role for p in preds] == ["Antagonist", "Innocent", "Antagonist", "Protagonist"]
    assert preds[1].fine_roles[0] in R.FINE_ROLES["Innocent"]
    assert [p.main_role for p in head.predict(X)] == ["Antagonist"] * 4  # no cues given: no change
    head.cue_bias[:] = 0
    assert not head.uses_cues
    assert [p.main_role for p in head.predict(X, cues=np.ones((4, 3)))] == ["Antagonist"] * 4


def test_roles_grammar_features_read_speakers_victims_and_the_words_around_them():
    text = ("Mayor Lena Ortiz said the brave volunteers would stay in the old town hall until the end of the "
            "week. Raiders killed Talmar farmers. "
            "Raiders attacked Talmar at dawn. The Drosk delegation arrived on Tuesday.")
    from narrascope import nlp

    parsed = nlp.parse(text)

    def read(name: str) -> dict[str, float]:
        spans = tuple((m.start(), m.end()) for m in re.finditer(name, text))
        return dict(zip(R.GRAMMAR_FEATURES, R.grammar_features(parsed, R.Target(*spans[0], spans, name)).tolist(), strict=True))

    ortiz, talmar, drosk = read("Lena Ortiz"), read("Talmar"), read("Drosk")
    assert ortiz["speaker"] == 1 and ortiz["subject"] == 1 and ortiz["object"] == 0
    assert ortiz["near_positive"] > 0 and ortiz["near_negative"] == 0  # "brave" is near, "killed" is not
    # "killed Talmar farmers" (a modifier: neither subject nor object) and "attacked Talmar" (object)
    assert talmar["object"] == 0.5 and talmar["subject"] == 0 and talmar["speaker"] == 0
    assert talmar["patient_negative"] == pytest.approx(2.0 / 2)  # VADER: "attacked" -2.0, over two mentions
    assert talmar["near_negative"] > 0 and talmar["patient_positive"] == 0
    assert drosk["speaker"] == drosk["subject"] == drosk["object"] == 0  # a modifier of the subject


def test_roles_grammar_log_odds_move_the_calibrated_main_role_where_given():
    n = len(R.GRAMMAR_FEATURES)
    weights = np.zeros((3, n))
    weights[2, R.GRAMMAR_FEATURES.index("speaker")] = 2.0  # speakers lean Protagonist
    grammar = {"features": list(R.GRAMMAR_FEATURES), "mean": [0.0] * n, "scale": [0.5] * n,
               "weights": weights.tolist()}
    head = _toy_head(calibration=[1.0, 0.0, 0.0, 0.0], grammar=grammar)
    X = np.zeros((2, 4), np.float32)
    rows = np.zeros((2, n), np.float32)
    rows[1, R.GRAMMAR_FEATURES.index("speaker")] = 1.0
    assert head.uses_grammar
    assert [p.main_role for p in head.predict(X, grammar=rows)] == ["Antagonist", "Protagonist"]  # +4 log-odds
    assert [p.main_role for p in head.predict(X)] == ["Antagonist"] * 2  # no features given: no change
    with pytest.raises(ModelError, match="grammar features") as err:
        _toy_head(calibration=[1.0, 0.0, 0.0, 0.0], grammar={**grammar, "features": ["speaker"]})
    assert "narrascope train roles" in (err.value.hint or "")


def test_roles_fine_role_words_sharpen_the_fine_role_within_the_main_role():
    text = "Drago lied about the attack.\nThe harvest was good. Drago met the press."
    spans = R.split_sentences(text)
    drago = [(m.start(), m.end()) for m in re.finditer("Drago", text)]
    names = FINE_NAMES
    words = R.fine_cues(text, spans, [R.Target(*drago[0], tuple(drago), "Drago")], names)[0]
    assert words[names.index("Deceiver")] == 0.5  # "lied", in one of the two sentences naming him
    assert words[names.index("Corrupt")] == 0 and words[names.index("Victim")] == 0.5  # "attack"
    text2 = "Brask rigged the vote and ordered a crackdown."
    brask = R.Target(0, 5, ((0, 5),), "Brask")
    words2 = R.fine_cues(text2, R.split_sentences(text2), [brask], names)[0]
    assert words2[names.index("Corrupt")] == 1 and words2[names.index("Tyrant")] == 1  # words added in analyzer 1.7
    assert words2[names.index("Deceiver")] == 0
    fine_b = np.zeros(len(names))
    fine_b[names.index("Instigator")] = 0.5  # the head's own favourite
    head = _toy_head(fine_b=fine_b, fine_cue_bias=3.0)
    X = np.zeros((1, 4), np.float32)
    assert head.predict(X)[0].fine_roles == ("Instigator",)
    chosen = head.predict(X, fine_cues=words[None, :])[0]
    assert (chosen.main_role, chosen.fine_roles) == ("Antagonist", ("Deceiver",))  # Victim is not an Antagonist role


@pytest.mark.seed
def test_roles_seed_people_of_donbass_are_cast_as_victims_by_the_words_that_say_so(seed_doc):
    doc = seed_doc if seed_doc.roles is not None else get("roles").func(seed_doc, Context())
    donbass = next(e for e in doc.entities if e.name == "Donbass")
    cast = [r for r in doc.roles if r.entity_id == donbass.id]
    assert cast and {(r.main_role, r.fine_roles) for r in cast} == {("Innocent", ("Victim",))}
    # the evidence leads with the sentences whose parse says so: "… the people of Donbass are being subjected to
    # relentless aggression", "… to protect Russian citizens and the people of Donbass"
    texts = [ev.text for ev in cast[0].evidence]
    assert any("people of Donbass are being subjected" in t for t in texts), texts
    assert any("protect Russian citizens and the people of Donbass" in t for t in texts), texts


@pytest.mark.seed
def test_roles_seed_the_power_the_allies_challenge_is_an_antagonist(seed_doc):
    doc = seed_doc if seed_doc.roles is not None else get("roles").func(seed_doc, Context())
    us = next(e for e in doc.entities if e.name == "United States")
    cast = [r for r in doc.roles if r.entity_id == us.id]
    # "… signaling their intent to challenge the dominance of the United States and its allies"
    assert cast and {r.main_role for r in cast} == {"Antagonist"}
    assert any("challenge the dominance of the United States" in ev.text for ev in cast[0].evidence)


@pytest.mark.seed
def test_roles_seed_demonyms_before_nouns_get_no_role(seed_doc):
    doc = seed_doc if seed_doc.roles is not None else get("roles").func(seed_doc, Context())
    cast = {e.name for e in doc.entities if any(r.entity_id == e.id for r in doc.roles)}
    # "Chinese officials", "Chinese analysts", "the Ukrainian front": the demonym is no one's role;
    # nor is the organisation that names a meeting ("the Shanghai Cooperation Organization (SCO)
    # Defense Ministers' Meeting")
    assert "Vladimir Putin" in cast and not cast & {"Chinese", "Ukrainian", "Shanghai Cooperation Organization"}, cast


@pytest.mark.data
def test_roles_cv_held_out_english_meets_the_floors(data_dir, tmp_path, monkeypatch):
    """Train on 4/5 of the EN training articles, score the held-out fifth (fold 0, seed 0)."""
    from narrascope.training import roles as T

    root = T.dataset(data_dir, "semeval2025-task10", "train")
    setting = json.loads((R.MODEL_DIR / "roles.json").read_text(encoding="utf-8"))["heads"]["en"]
    d = T.load_language(root, "EN", None, setting["context"])
    fold = T.folds_of(d.rows, 5, 0)
    train = fold != 0
    head = T.head_as_shipped(d.X[train], [r for r, m in zip(d.rows, train, strict=True) if m], setting)
    test_idx = np.where(~train)[0]
    gold = [d.rows[i] for i in test_idx]
    cues, words, grammar = T.language_cue_strengths(root, "EN", gold)
    m = T.metrics(gold, T.predictions(head, d.X[test_idx], gold, setting["threshold"], cues, words, grammar))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["semeval2025-st1"]
    assert m["main_accuracy"] >= floors["en_heldout_main_accuracy"]
    assert m["fine_exact_match"] >= floors["en_heldout_fine_exact_match"]

    # the benchmark command, given the same head, writes the same roles for the held-out mentions:
    # it builds the features the head was trained on (its context, the entity layer's groups)
    from types import SimpleNamespace

    from narrascope.bench import semeval2025 as S

    mentions, out = tmp_path / "mentions.txt", tmp_path / "pred.txt"
    mentions.write_text("".join(f"{r.id}\t{r.mention}\t{r.start}\t{r.end - 1}\n" for r in gold), encoding="utf-8")
    monkeypatch.setattr(R, "load_model", lambda: SimpleNamespace(head=lambda code: head))
    assert S.predict_st1(articles=root / "train" / "EN", mentions=mentions, lang="en", out=out, adapt=False) == len(gold)
    expected = T.predictions(head, d.X[test_idx], gold, setting["threshold"], cues, words, grammar)
    assert [(r.main, set(r.fine)) for r in T.read_rows(out)] == [(r.main, set(r.fine)) for r in expected]


def test_roles_sentence_context_encodes_only_sentences_and_names():
    text = "Drago shelled Lesna. Kessel lost her home. Drago lied about it."
    spans = R.split_sentences(text)
    seen: list[list[str]] = []

    def fake_encode(texts):
        seen.append(list(texts))
        rng = np.random.default_rng(len(texts))
        v = rng.normal(size=(len(texts), 8)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    drago = ((0, 5), (text.index("Drago lied"), text.index("Drago lied") + 5))
    targets = [R.Target(0, 5, drago, "Drago"), R.Target(text.index("Kessel"), text.index("Kessel") + 6,
                                                        ((text.index("Kessel"), text.index("Kessel") + 6),), "Kessel")]
    X, sent_emb = R.features(text, spans, targets, encode=fake_encode, context="sentence")
    assert seen == [[text[s:e] for s, e in spans] + ["Drago", "Kessel"]]
    assert X.shape == (2, 6 * 8 + R.N_SCALARS) and sent_emb.shape == (3, 8)
    assert np.allclose(X[1, :8], sent_emb[1])  # Kessel's context = its sentence
    assert np.allclose(X[0, 8:16], (sent_emb[0] + sent_emb[2]) / np.linalg.norm(sent_emb[0] + sent_emb[2]))
    seen.clear()
    R.features(text, spans, targets, encode=fake_encode, context="window")
    assert len(seen[0]) == 3 + 3 + 2  # sentences, three mention windows, two names


def test_roles_pooled_context_encodes_no_windows_and_windows_cross_sentences(monkeypatch):
    from narrascope import embeddings

    text = "Drago shelled Lesna at dawn. Kessel lost her home and her sons. Drago lied about it."
    spans = R.split_sentences(text)
    kessel = (text.index("Kessel"), text.index("Kessel") + 6)
    targets = [R.Target(*kessel, (kessel,), "Kessel")]
    embeddings.clear_cache()
    calls: list[list[str]] = []
    real = embeddings._encode_fresh
    monkeypatch.setattr(embeddings, "_encode_fresh", lambda t, b: calls.append(list(t)) or real(t, b))
    X, sent_emb = R.features(text, spans, targets, context="pooled")
    assert calls == [[text[s:e] for s, e in spans] + ["Kessel"]]  # no window is encoded as a text
    dim = sent_emb.shape[1]
    # Kessel's window: 16 tokens either side, from the end of the first sentence into the third
    feats = [f[1:-1] for f in embeddings.token_features([text[s:e] for s, e in spans])]
    before = embeddings.n_tokens(text[: kessel[0]].split(". ")[0] + ".")
    allrows = np.vstack(feats)
    a = before
    b = a + embeddings.n_tokens("Kessel")
    lo, hi = max(0, a - R.WINDOW_TOKENS), min(len(allrows), b + R.WINDOW_TOKENS)
    assert lo < before and hi > len(feats[0]) + len(feats[1])  # it reaches into both neighbours
    expect = embeddings.pool(allrows[lo:hi].sum(axis=0)[None, :], np.array([hi - lo]))[0]
    assert np.allclose(X[0, :dim], expect, atol=1e-5)
    assert not np.allclose(X[0, :dim], sent_emb[1], atol=0.05)  # not merely its sentence


def test_pooled_windows_of_every_word_count_each_prefix_as_the_tokenizer_does():
    # pooled_windows counts a sentence prefix's tokens once for the end of a word and the start of the
    # next (trailing spaces add none); each window must be the run a direct count gives
    from narrascope import embeddings

    text = ("Officials said  the ceasefire would hold.\u00a0Reports, though, could not be verified!\n"
            "Президент заявил, что переговоры продолжатся. A control character\x1f stays a token.")
    spans = R.split_sentences(text)
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    embeddings.clear_cache()
    feats = [f[1:-1] for f in embeddings.token_features([text[s:e] for s, e in spans])]
    offs = np.cumsum([0] + [len(f) for f in feats])
    rows = np.vstack(feats)
    for n in (0, 2):
        got = R.pooled_windows(text, spans, words, n)
        for k, (s, e) in enumerate(words):
            j = R.sentence_of(spans, s)
            sj = spans[j][0]
            a = int(offs[j]) + min(embeddings.n_tokens(text[sj:s]), len(feats[j]))
            b = max(a + 1, int(offs[j]) + min(embeddings.n_tokens(text[sj:e]), len(feats[j])))
            lo, hi = max(0, a - n), min(len(rows), b + n)
            expect = embeddings.pool(rows[lo:hi].sum(axis=0)[None, :], np.array([hi - lo]))[0]
            assert np.allclose(got[k], expect, atol=1e-5), (n, text[s:e])


def test_roles_russian_article_casts_its_entities_with_the_russian_head():
    from narrascope.model import Document
    from narrascope.pipeline import Pipeline
    from test_pipeline import RUSSIAN_ARTICLE

    [doc] = list(Pipeline(ANALYZERS).run_many([Document(id="ru-roles", text=RUSSIAN_ARTICLE, language="ru")]))
    russia = next(e for e in doc.entities if e.name == "Россия")
    cast = {r.entity_id: r for r in doc.roles}
    # a state-media report of Russia protecting civilians casts Russia as their guardian
    assert cast[russia.id].main_role == "Protagonist" and cast[russia.id].fine_roles == ("Guardian",)
    for r in doc.roles:
        assert doc.text[r.mention.start:r.mention.end] == r.mention.text
        assert all(doc.text[ev.start:ev.end] == ev.text for ev in r.evidence)


def test_adapt_to_batch_recovers_the_antagonist_share_without_labels():
    # a calibrated classifier: three Gaussian classes in 2-D, posteriors under the training priors;
    # the rates at which it calls each class Antagonist are measured on a training-like sample, and
    # batches drawn with other shares get their antagonists' odds moved by the adjusted count
    from narrascope.errors import ModelError
    from narrascope.label_shift import adjusted_count, decision_rates

    rng = np.random.default_rng(0)
    a = R.MAIN_ROLES.index("Antagonist")
    means = np.array([[0.0, 0.0], [1.5, 0.0], [0.0, 1.5]])
    means = np.roll(means, a, axis=0)  # class `a` sits at the origin whatever MAIN_ROLES' order
    train = np.roll(np.array([0.7, 0.1, 0.2]), a)

    def draw(shares, n=4000):
        y = rng.choice(3, size=n, p=shares)
        x = means[y] + rng.normal(size=(n, 2))
        post = np.exp(-0.5 * ((x[:, None, :] - means[None]) ** 2).sum(-1)) * train
        return y, post / post.sum(1, keepdims=True)

    y, post = draw(train)
    rates = decision_rates(y == a, post.argmax(1) == a)
    for share in (0.9, 0.4):
        true = np.roll(np.array([share, (1 - share) / 3, 2 * (1 - share) / 3]), a)
        y, post = draw(true)
        called = float((post.argmax(1) == a).mean())
        assert abs(adjusted_count(called, rates) - share) < 0.03, (called, share)
        if share < 0.5:
            assert abs(called - share) > 0.05  # the plain share called is biased towards training
        adapted = R.adapt_to_batch(post, train, 1.0, rates)
        assert (adapted.argmax(1) == y).mean() > (post.argmax(1) == y).mean()
    assert R.adapt_to_batch(post, train, 0.0, rates) is post  # strength 0: untouched
    with pytest.raises(ModelError, match="antagonist rates"):
        R.adapt_to_batch(post, train, 0.5, None)


def test_grammar_calibration_learns_the_features_that_carry_the_role():
    """fit_grammar_calibration gives weight to a feature that shifts the roles and little to noise,
    and beats the plain calibration on likelihood."""
    from narrascope.training import roles as T

    rng = np.random.default_rng(5)
    n = len(R.GRAMMAR_FEATURES)
    G = rng.random((3000, n)).astype(np.float32)
    k = R.GRAMMAR_FEATURES.index("object")
    z = rng.normal(size=(3000, 3)) + np.log([0.7, 0.12, 0.18])
    P = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)  # what the head says
    truth = z + np.outer(G[:, k] * 6.0 - 3.0, [0.0, 1.0, 0.0])  # objects are Innocent more often
    truth = np.exp(truth) / np.exp(truth).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(3, p=p) for p in truth])
    cal, grammar = T.fit_grammar_calibration(P, y, G, 0.01)
    weights = np.asarray(grammar["weights"])
    assert grammar["features"] == list(R.GRAMMAR_FEATURES) and not weights[0].any()  # Antagonist is the reference
    assert weights[1, k] > 1.0 and np.abs(np.delete(weights[1], k)).max() < 0.2
    nll = lambda Q: -np.log(Q[np.arange(len(y)), y]).mean()  # noqa: E731
    with_grammar = R.calibrate(P, cal, R.grammar_log_odds(grammar, G))
    assert nll(with_grammar) < nll(R.calibrate(P, T.fit_calibration(P, y))) - 0.05


def test_calibration_recovers_a_known_distortion():
    """fit_calibration undoes overconfidence (temperature) and a shifted class bias, and calibrate
    with [1, 0, 0, 0] changes nothing."""
    from narrascope.training import roles as T

    rng = np.random.default_rng(3)
    z = rng.normal(size=(4000, 3)) * 1.5 + np.log([0.7, 0.12, 0.18])
    truth = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(3, p=p) for p in truth])
    assert np.allclose(R.calibrate(truth, [1.0, 0.0, 0.0, 0.0]), truth)
    distorted = z * 2.0 + np.array([0.0, 0.8, 0.0])  # twice as confident, Innocent pushed up
    P = np.exp(distorted - distorted.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    t, b0, b_inn, b_pro = T.fit_calibration(P, y)
    assert b0 == 0.0 and t == pytest.approx(2.0, abs=0.2)
    assert b_inn == pytest.approx(-0.4, abs=0.15) and b_pro == pytest.approx(0.0, abs=0.15)  # -0.8 / T
    fixed = R.calibrate(P, [t, b0, b_inn, b_pro])
    nll = lambda Q: -np.log(Q[np.arange(len(y)), y]).mean()  # noqa: E731
    assert nll(fixed) < nll(P) and nll(fixed) == pytest.approx(nll(truth), abs=0.02)
