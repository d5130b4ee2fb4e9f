"""The genre analyzer: opinion / reporting / satire, with confidence."""

from __future__ import annotations

import pytest

from narrascope.analyzers.frames import load_head
from narrascope.model import Document
from narrascope.pipeline import Context, get

pytestmark = pytest.mark.skipif(load_head("genre") is None, reason="no genre weights")

OPINION = (
    "Why I refuse to stay silent any longer\n\n"
    "I have had enough of this shameful government and its cowardly excuses. Frankly, anyone who still "
    "believes their promises is fooling themselves.\n\n"
    "We deserve leaders with a spine, not spineless bureaucrats who sell out our values at the first "
    "sign of pressure. It is time to say it loudly: this disgrace must end, and it must end now.\n\n"
    "I urge every reader to stand up, speak out and demand better. Our children will never forgive us "
    "if we do nothing."
)


def test_genre_opinionated_paragraph_is_opinion():
    doc = get("genre").func(Document(id="t-genre", text=OPINION, language="en"), Context())
    assert doc.genre is not None
    assert doc.genre.label == "opinion"
    assert set(doc.genre.scores) == {"opinion", "reporting", "satire"}
    assert sum(doc.genre.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert doc.genre.confidence == pytest.approx(max(doc.genre.scores.values()), abs=1e-3)
    assert doc.genre.evidence  # the sentences behind the label, by offsets into the text
    for ev in doc.genre.evidence:
        assert OPINION[ev.start:ev.end] == ev.text and 0.0 <= ev.weight <= 1.0


def test_genre_evidence_points_at_the_sentences_of_the_winning_genre():
    """A wire-style paragraph and a rant in one text: whichever genre wins, its evidence sentences
    come from the paragraph written in that genre, wherever that paragraph stands."""
    wire = ("The city council voted 5 to 2 on Tuesday to approve a budget of 4.2 million dollars for road "
            "repairs, officials said. The work is scheduled to begin in March and to last about six months, "
            "according to a statement from the transport department. A spokeswoman for the mayor said the funds "
            "would come from a state grant awarded last year.")
    rant = ("I have had enough of this shameful council and its cowardly excuses. Anyone who still believes "
            "their promises is fooling themselves. We deserve leaders with a spine, and it is time we said so loudly.")
    for text in (rant + "\n\n" + wire, wire + "\n\n" + rant):
        genre = get("genre").func(Document(id="t-mixed", text=text, language="en"), Context()).genre
        assert genre is not None and genre.label in ("opinion", "reporting")
        part = wire if genre.label == "reporting" else rant
        start = text.index(part)
        assert genre.evidence
        assert all(start <= ev.start and ev.end <= start + len(part) for ev in genre.evidence), genre


def test_genre_empty_text_is_none():
    assert get("genre").func(Document(id="t-empty", text=" "), Context()).genre is None


@pytest.mark.data
def test_genre_heldout_fold_meets_floors(data_dir):
    import json
    from pathlib import Path

    from narrascope.training.genre import heldout

    floors = json.loads((Path(__file__).resolve().parent.parent / "benchmarks" / "floors.json").read_text())
    floor = floors["semeval2023-st1"]
    langs = ("en", "ru", "fr", "ge", "it", "po")
    got = heldout(data_dir, langs=langs)  # folds 1-4 -> fold 0, at the fold's own genre mix
    assert got["en"] >= floor["heldout_macro_f1_en"]
    assert sum(got.values()) / len(got) >= floor["heldout_macro_f1_mean"]
    # and at an even mix, which the calibration also serves (the shipped head before it: en 0.36, mean 0.65)
    even = heldout(data_dir, langs=langs, even_mix=True)
    assert even["en"] >= floor["heldout_even_mix_f1_en"]
    assert sum(even.values()) / len(even) >= floor["heldout_even_mix_f1_mean"]


@pytest.mark.data
def test_genre_calls_more_news_agency_stories_reporting_than_the_floor(data_dir):
    import json
    from pathlib import Path

    from narrascope.training.genre import wire_story_genres

    floors = json.loads((Path(__file__).resolve().parent.parent / "benchmarks" / "floors.json").read_text())
    counts = wire_story_genres(data_dir)
    n = sum(counts.values())
    assert n >= 50  # PolNeAR credits about 75 articles to AP, AFP, Reuters or UPI
    # the head calibrated for the training mix alone called 9 of 75 reporting
    assert counts["reporting"] / n >= floors["semeval2023-st1"]["polnear_wire_reporting_share"], counts


def test_offset_search_matches_the_plain_loop():
    """The vectorised offset search picks what scoring each grid point with ``mix_f1`` picks."""
    import itertools

    import numpy as np

    from narrascope.training.genre import OFFSETS, macro_f1, macro_f1_grid, mix_f1, tune_offsets

    rng = np.random.default_rng(7)
    for trial in range(40):
        n = int(rng.integers(8, 60))
        y = rng.choice(3, n, p=[0.7, 0.2, 0.1])
        z = rng.normal(size=(n, 3)) + np.eye(3)[y] * rng.uniform(0.0, 2.0)
        penalty = (0.02, 0.1, 0.2)[trial % 3]
        best = max(mix_f1(y, np.argmax(z + np.asarray([0.0, a, b]), axis=1)) - penalty * (abs(a) + abs(b))
                   for a, b in itertools.product(OFFSETS, OFFSETS))
        off = tune_offsets(y, z, penalty)
        pred = np.argmax(z + np.asarray(off), axis=1)
        assert mix_f1(y, pred) - penalty * (abs(off[1]) + abs(off[2])) == pytest.approx(best, abs=1e-9)
    # F1 0.5 (opinion), 2/3 (reporting), 0 (satire); weighted, each row of a grid on its own
    y, p = np.asarray([0, 0, 1, 2]), np.asarray([0, 1, 1, 0])
    assert macro_f1(y, p) == pytest.approx((0.5 + 2 / 3) / 3)
    assert macro_f1_grid(y, np.stack([p, y]), np.asarray([1.0, 1.0, 2.0, 1.0])).tolist() == pytest.approx([(0.5 + 0.8) / 3, 1.0])


def test_far_from_training_corrects_the_called_share():
    """Adjusted count by hand: called 0.5, tpr 0.7, fpr 0.4 -> (0.5 - 0.4) / 0.3 = 1/3, below the cut
    halfway between the training share 0.88 and an even mix's third."""
    from narrascope.analyzers.genre import far_from_training

    rates = {"share": 0.88, "tpr": 0.7, "fpr": 0.4}
    switch, estimate, cut = far_from_training(0.5, rates)
    assert (switch, estimate, cut) == (True, pytest.approx(1 / 3), pytest.approx((0.88 + 1 / 3) / 2))
    assert far_from_training(0.66, rates)[:2] == (False, pytest.approx(0.866, abs=1e-3))
    assert far_from_training(0.1, rates)[1] == 0.0  # clipped


def test_batch_offsets_switch_only_for_files_far_from_training():
    import numpy as np

    from narrascope.analyzers.genre import MIN_BATCH, batch_offsets, offsets
    from narrascope.errors import DataError

    head = load_head("genre")
    even = np.asarray(head.meta["batch"]["offsets"]["en"], dtype=np.float32)
    base = offsets(head, "en")
    assert even[1] > base[1] and even[2] > base[2]  # the even mix calls reporting and satire more often
    called = lambda genre, n: np.tile(np.eye(3)[genre] * 5.0, (n, 1))  # noqa: E731  rows decided as `genre`
    mostly_reporting = np.vstack([called(0, 10), called(1, 30)])
    got, why = batch_offsets(head, "en", mostly_reporting)
    assert np.allclose(got, even) and why.startswith("the even-mix offsets")
    mostly_opinion = np.vstack([called(0, 38), called(1, 2)])
    got, why = batch_offsets(head, "en", mostly_opinion)
    assert np.allclose(got, base) and "opinion share estimated at 1.00" in why
    assert np.allclose(batch_offsets(head, "en", mostly_reporting[: MIN_BATCH - 1])[0], base)  # too few to tell
    assert np.allclose(batch_offsets(head, "en", mostly_reporting, "analyzer")[0], base)
    assert np.allclose(batch_offsets(head, "en", mostly_opinion, "even")[0], even)
    if "fr" not in head.meta["batch"]["offsets"]:  # no gain at an even mix in CV: the analyzer's offsets stay
        assert np.allclose(batch_offsets(head, "fr", mostly_reporting)[0], offsets(head, "fr"))
    with pytest.raises(DataError, match="unknown genre mix") as err:
        batch_offsets(head, "en", mostly_reporting, "balanced")
    assert "--mix takes auto, analyzer, even" in err.value.hint


def test_even_mix_offsets_are_kept_only_where_they_gain():
    """``batch_calibration`` on synthetic scores: the rates are those of the analyzer's cross-fitted
    decisions, and a language gets even-mix offsets exactly when they beat the analyzer's by the margin."""
    import numpy as np

    from narrascope.training.genre import EVEN_MARGIN, batch_calibration, crossfitted

    rng = np.random.default_rng(3)
    n = 150
    langs = np.asarray(["aa"] * n + ["bb"] * n)
    y = np.concatenate([rng.choice(3, n, p=[0.85, 0.1, 0.05]), rng.choice(3, n, p=[0.4, 0.35, 0.25])])
    z = rng.normal(size=(2 * n, 3)) + np.eye(3)[y] * np.where(langs == "aa", 0.8, 2.5)[:, None]
    runs = [(rng.integers(0, 5, 2 * n), z), (rng.integers(0, 5, 2 * n), z)]
    out = batch_calibration(y, langs, runs, 5, 0.25, 0.1)
    for lang in ("aa", "bb"):
        m = langs == lang
        preds = [crossfitted(y[m], z[m], f[m], 5, 0.25, 0.1) for f, _ in runs]
        assert out["opinion_rates"][lang]["tpr"] == pytest.approx(np.mean([(p[y[m] == 0] == 0).mean() for p in preds]), abs=1e-4)
        cv = out["cv_even_mix_f1"][lang]
        assert (lang in out["offsets"]) == (cv["even_mix"] >= cv["analyzer"] + EVEN_MARGIN - 1e-4)
    assert "aa" in out["offsets"]  # weak scores, skewed mix: the even-mix offsets pay off there
