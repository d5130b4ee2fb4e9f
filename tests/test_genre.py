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
