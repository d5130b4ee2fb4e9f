"""SemEval-2023 Task 3 scorers on tiny hand-made files (expected values computed by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.bench import semeval2023 as B
from narrascope.errors import DataError


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_semeval2023_st1_macro_f1_by_hand(tmp_path):
    gold = _write(tmp_path / "g.txt", "1\topinion\n2\topinion\n3\treporting\n4\tsatire\n")
    pred = _write(tmp_path / "p.txt", "1\topinion\n2\treporting\n3\treporting\n4\topinion\n")
    s = B.score_st1(gold, pred)
    # opinion F1 = 1/2, reporting F1 = 2/3, satire F1 = 0
    assert s["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert s["micro_f1"] == pytest.approx(0.5)


def test_semeval2023_st2_micro_f1_over_pairs(tmp_path):
    gold = _write(tmp_path / "g.txt", "1\tPolitical,Economic\n2\tMorality\n")
    pred = _write(tmp_path / "p.txt", "1\tPolitical\n2\tMorality,Security_and_defense\n")
    s = B.score_st2(gold, pred)
    assert s["micro_f1"] == pytest.approx(4 / 6)  # tp 2, fp 1, fn 1


def test_semeval2023_st2_missing_prediction_counts_as_empty(tmp_path):
    gold = _write(tmp_path / "g.txt", "1\tPolitical\n2\tMorality\n")
    pred = _write(tmp_path / "p.txt", "1\tPolitical\n")
    assert B.score_st2(gold, pred)["micro_f1"] == pytest.approx(2 / 3)  # tp 1, fn 1


def test_semeval2023_st3_micro_f1_over_triples(tmp_path):
    gold = _write(tmp_path / "g.txt", "7\t1\tDoubt\n7\t3\t\n7\t5\tDoubt,Slogans\n")
    pred = _write(tmp_path / "p.txt", "7\t1\tDoubt,Slogans\n7\t3\tSlogans\n7\t5\tDoubt\n")
    assert B.score_st3(gold, pred)["micro_f1"] == pytest.approx(4 / 7)  # tp 2, fp 2, fn 1


def test_semeval2023_st3_template_lines_are_all_predicted(tmp_path):
    from narrascope.analyzers.frames import load_head

    if load_head("techniques_paragraph") is None:
        pytest.skip("no techniques_paragraph weights")
    arts = tmp_path / "arts"
    arts.mkdir()
    text = ("Brave patriots stand up\n\nThe corrupt elite lies to you every single day.\n\n"
            "Officials said the meeting would take place on Tuesday.\n")
    _write(arts / "article42.txt", text)
    template = _write(tmp_path / "t.template", "42\t1\tBrave patriots stand up\n42\t3\tThe corrupt\n42\t5\tOfficials\n")
    out = tmp_path / "pred.txt"
    B.predict_st3(arts, template, "en", out)
    rows = [ln.split("\t") for ln in out.read_text(encoding="utf-8").splitlines()]
    assert [(r[0], r[1]) for r in rows] == [("42", "1"), ("42", "3"), ("42", "5")]
    assert all(len(r) == 3 for r in rows)


def test_semeval2023_st3_template_reads_lines_glued_to_the_article_before(tmp_path):
    """Where an article's text lacks a final newline, some of the task's templates run its last line
    into the next article's first: both rows are read, the glued id being the article id that ends the
    text (the text's own final digits are not taken for it)."""
    template = _write(tmp_path / "t.template", "7\t1\tTitle\n7\t3\tIt rose 2.5 in 2022101\t1\tNext title\n"
                                               "101\t3\tBody\n")
    assert B.read_template(template, {"7", "101"}) == [("7", 1), ("7", 3), ("101", 1), ("101", 3)]
    assert B.read_template(template, {"7", "999"}) == [("7", 1), ("7", 3), ("101", 3)]  # no such article
    with pytest.raises(DataError, match="not a number"):
        B.read_template(_write(tmp_path / "bad.template", "7\t1\ttext\n7\tthree\ttext\n"))
    # a byte-order mark and a header line are read past
    headed = _write(tmp_path / "h.template", "\ufeffid\tparagraph\ttext\n7\t1\tTitle\n")
    assert B.read_template(headed, {"7"}) == [("7", 1)]


def test_semeval2023_unknown_language_is_refused(tmp_path):
    from narrascope.errors import DataError

    with pytest.raises(DataError):
        B.predict_st2(tmp_path, "xx", tmp_path / "o.txt")
    assert B._check_lang(" EN") == "en"  # any case, as the 2025 tasks take theirs


@pytest.mark.data
def test_semeval2023_st1_decides_a_file_far_from_training_with_even_mix_offsets(data_dir, tmp_path, capsys):
    """A file mixed like SemEval's English dev split (about a quarter opinion; training is 88 %): the
    ``auto`` rule sees the mix from the share the analyzer's offsets call opinion, switches to the
    even-mix offsets, and calls more articles reporting or satire than the analyzer's offsets do.
    (Training articles, so no quality is measured here: ``benchmarks/genre_label_shift.py`` does that
    out of fold.)"""
    import shutil

    from narrascope.training import _semeval2023 as S

    folder = S.lang_dir(data_dir, "en")
    labels = S.read_doc_labels(folder / "train-labels-subtask-1.txt")
    by_genre: dict[str, list[str]] = {}
    for aid, genre in sorted(labels.items()):
        by_genre.setdefault(genre[0], []).append(aid)
    chosen = by_genre["opinion"][:16] + by_genre["reporting"][:34] + by_genre["satire"][:10]
    arts = tmp_path / "articles"
    arts.mkdir()
    for aid in chosen:
        shutil.copy(folder / "train-articles-subtask-1" / f"article{aid}.txt", arts)
    gold = _write(tmp_path / "gold.txt", "".join(f"{aid}\t{labels[aid][0]}\n" for aid in chosen))
    counts = {}
    for mix in ("auto", "analyzer"):
        assert B.predict_st1(arts, "en", tmp_path / f"{mix}.txt", mix) == len(chosen)
        said = capsys.readouterr().err
        assert B.score_st1(gold, tmp_path / f"{mix}.txt")["rows"] == len(chosen)
        counts[mix] = sum(line.split("\t")[1] != "opinion" for line in (tmp_path / f"{mix}.txt").read_text().splitlines())
        expected = "the even-mix offsets: opinion share estimated at" if mix == "auto" else "the analyzer's offsets (as asked)"
        assert expected in said, said
    assert counts["auto"] > counts["analyzer"]


@pytest.mark.data
def test_semeval2023_st1_writes_the_genres_of_the_cv_path(data_dir, tmp_path, monkeypatch):
    """Given the head trained on the other folds, ``bench predict semeval2023-st1 --mix analyzer``
    writes, article for article, the genres the cross-validation path decides for the held-out fold
    (the same features and offsets; the benchmark must never drift from what CV measured)."""
    import numpy as np

    from narrascope.training import genre as G

    head, arts, _, z = G.heldout_scores(data_dir, langs=("en",))
    _bench_with(head, arts, data_dir / "semeval2023-task3" / "en" / "train-articles-subtask-1", tmp_path, monkeypatch)
    out = tmp_path / "pred.txt"
    assert B.predict_st1(tmp_path, "en", out, mix="analyzer") == len(arts) >= 50
    written = dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())
    offsets = np.asarray(head.meta["offsets"]["en"])
    expected = {a.id: head.labels[int(i)] for a, i in zip(arts, np.argmax(z + offsets, axis=1), strict=True)}
    assert written == expected


@pytest.mark.data
def test_semeval2023_st2_writes_the_frames_of_the_cv_path(data_dir, tmp_path, monkeypatch):
    """Given the head trained on the other folds, ``bench predict semeval2023-st2`` writes, article for
    article, the frames the cross-validation path decides for the held-out fold."""
    from narrascope.training import frames as Fr

    head, arts, _, p = Fr.heldout_scores(data_dir, langs=("en",))
    _bench_with(head, arts, data_dir / "semeval2023-task3" / "en" / "train-articles-subtask-2", tmp_path, monkeypatch)
    out = tmp_path / "pred.txt"
    assert B.predict_st2(tmp_path, "en", out) == len(arts) >= 50
    written = {aid: set(filter(None, frames.split(","))) for aid, frames in
               (line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())}
    threshold = float(head.meta["thresholds"]["en"])
    expected = {a.id: {lab for lab, q in zip(head.labels, row, strict=True) if q >= threshold}
                for a, row in zip(arts, p, strict=True)}
    assert written == expected


def _bench_with(head, arts, folder, tmp_path, monkeypatch):
    """The held-out articles copied into ``tmp_path``, and the benchmark commands given ``head``."""
    import shutil

    for a in arts:
        shutil.copyfile(folder / f"article{a.id}.txt", tmp_path / f"article{a.id}.txt")
    monkeypatch.setattr(B, "_head", lambda name: head)
