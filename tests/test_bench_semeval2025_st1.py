"""SemEval-2025 Task 10 ST1 (entity framing): official-format predictions and the official figures."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.bench import semeval2025 as S
from narrascope.errors import DataError

GOLD = """a.txt\tAlice\t0\t4\tProtagonist\tGuardian
a.txt\tBob\t10\t12\tAntagonist\tDeceiver\tCorrupt
b.txt\tCarol\t5\t9\tInnocent\tVictim
d.txt\tDave\t0\t3\tAntagonist\tTyrant
"""
PRED = """a.txt\tAlice\t0\t4\tProtagonist\tGuardian\tVirtuous
a.txt\tBob\t10\t12\tAntagonist\tCorrupt\tDeceiver
b.txt\tCarol\t5\t9\tAntagonist\tVictim
"""

ARTICLE = (
    "Rebels shell a town\r\n\r\n"
    "General Ivan Borov ordered his troops to shell the town of Kalm, killing dozens of civilians.\r\n"
    "The people of Kalm have lost their homes and their families. Borov denied everything.\r\n"
)


def test_bench_semeval2025_st1_score_matches_hand_computed(tmp_path):
    gold, pred = tmp_path / "gold.txt", tmp_path / "pred.txt"
    gold.write_text(GOLD, encoding="utf-8")
    pred.write_text(PRED, encoding="utf-8")
    m = S.score_st1(gold=gold, pred=pred)
    # main right: Alice, Bob (2 of 4); fine sets equal: Bob, Carol (2 of 4; Dave has no prediction)
    assert m["main_accuracy"] == pytest.approx(0.5)
    assert m["fine_exact_match"] == pytest.approx(0.5)
    # fine micro: tp = 1 + 2 + 1 = 4, predicted 5, gold 5
    assert m["fine_micro_precision"] == pytest.approx(0.8)
    assert m["fine_micro_recall"] == pytest.approx(0.8)
    assert m["fine_micro_f1"] == pytest.approx(0.8)


def test_bench_semeval2025_st1_predict_keeps_end_inclusive_offsets(tmp_path):
    docs = tmp_path / "raw-documents"
    docs.mkdir()
    with open(docs / "EN_UA_DEV_1.txt", "w", encoding="utf-8", newline="") as fh:
        fh.write(ARTICLE)
    # offsets count the \r and the end is inclusive
    s1 = ARTICLE.index("Ivan Borov")
    s2 = ARTICLE.index("Kalm have")
    s3 = ARTICLE.index("Borov denied")
    lines = [
        f"EN_UA_DEV_1.txt\tIvan Borov\t{s1}\t{s1 + len('Ivan Borov') - 1}",
        f"EN_UA_DEV_1.txt\tKalm\t{s2}\t{s2 + 3}\tInnocent\tVictim",
        f"EN_UA_DEV_1.txt\tBorov\t{s3}\t{s3 + 4}",
    ]
    mentions = tmp_path / "mentions.txt"
    mentions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "pred.txt"
    assert S.predict_st1(articles=tmp_path, mentions=mentions, lang="en", out=out) == 3
    got = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g[:4] for g in got] == [line.split("\t")[:4] for line in lines]
    for g in got:
        assert g[4] in ("Antagonist", "Innocent", "Protagonist")
        assert len(g) >= 6
    for line in lines:
        _, mention, start, end = line.split("\t")[:4]
        assert ARTICLE[int(start) : int(end) + 1] == mention
    # the same file with a byte-order mark and a header line: the same three predictions
    mentions.write_text("\ufeffarticle_id\tmention\tstart\tend\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert S.predict_st1(articles=tmp_path, mentions=mentions, lang="en", out=tmp_path / "again.txt") == 3
    assert (tmp_path / "again.txt").read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_bench_semeval2025_st1_rejects_short_lines_and_unknown_language(tmp_path):
    bad = tmp_path / "m.txt"
    bad.write_text("a.txt\tAlice\t0\n", encoding="utf-8")
    with pytest.raises(DataError):
        S.predict_st1(articles=tmp_path, mentions=bad, lang="EN", out=tmp_path / "o.txt")
    bad.write_text("a.txt\tAlice\t0\t4\n", encoding="utf-8")
    with pytest.raises(DataError):
        S.predict_st1(articles=tmp_path, mentions=bad, lang="XX", out=tmp_path / "o.txt")



def test_bench_semeval2025_st1_adapts_to_the_whole_file_only_when_asked(tmp_path, monkeypatch):
    """With ``--adapt`` the main-role probabilities of every mention of the file go, at once, to
    ``roles.adapt_to_batch``, and what it returns is decoded; by default and with ``--no-adapt`` not."""
    from typer.testing import CliRunner

    from narrascope.analyzers import roles as R
    from narrascope.cli.main import app

    docs = tmp_path / "raw-documents"
    docs.mkdir()
    lines = []
    for k in range(S.MIN_ADAPT_BATCH // 2 + 1):  # one article per pair of mentions
        name = f"EN_UA_DEV_{k}.txt"
        (docs / name).write_text(ARTICLE, encoding="utf-8")
        for mention, s in (("Ivan Borov", ARTICLE.index("Ivan Borov")), ("Kalm", ARTICLE.index("Kalm have"))):
            lines.append(f"{name}\t{mention}\t{s}\t{s + len(mention) - 1}")
    mentions = tmp_path / "mentions.txt"
    mentions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[np.ndarray] = []

    def spy(main_p, priors, strength, rates):
        seen.append(np.asarray(main_p))
        assert rates is not None and rates is R.load_model().head("en").antagonist_rates
        out = np.zeros_like(main_p)
        out[:, R.MAIN_ROLES.index("Innocent")] = 1.0
        return out

    monkeypatch.setattr(R, "adapt_to_batch", spy)
    runner = CliRunner()
    for flags in ([], ["--no-adapt"], ["--adapt"]):
        out = tmp_path / "pred.txt"
        res = runner.invoke(app, ["bench", "predict", "semeval2025-st1", "--articles", str(tmp_path),
                                  "--mentions", str(mentions), "--lang", "EN", "--out", str(out), *flags])
        assert res.exit_code == 0, res.output
        roles = [line.split("\t")[4] for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(roles) == len(lines)
        if flags == ["--adapt"]:
            assert len(seen) == 1 and seen[0].shape == (len(lines), 3)
            assert set(roles) == {"Innocent"}
            assert "adapted to an antagonist share estimated at" in res.stderr
        else:
            assert not seen and set(roles) != {"Innocent"}
    seen.clear()
    # fewer mentions than MIN_ADAPT_BATCH: too few to estimate shares from, so no adaptation
    mentions.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    S.predict_st1(articles=tmp_path, mentions=mentions, lang="en", out=tmp_path / "few.txt", adapt=True)
    assert not seen
