"""Language identification (offline fastText model) and the supported-language check."""

from __future__ import annotations

import pytest

from narrascope.errors import UnsupportedLanguageError
from narrascope.ingest import SUPPORTED, detect, from_text, require_supported
from narrascope.ingest.language import sample, with_language

ENGLISH = (
    "The regional hospital will open a new children's ward next spring, its director said on "
    "Wednesday. The ward will have forty beds and a small garden where families can wait."
)
FRENCH = (
    "L'hôpital régional ouvrira un nouveau service pour enfants au printemps prochain, a déclaré "
    "mercredi sa directrice. Le service comptera quarante lits et un petit jardin pour les familles."
)
RUSSIAN = (
    "Областная больница откроет новое детское отделение следующей весной, сообщил в среду её "
    "директор. В отделении будет сорок коек и небольшой сад, где смогут подождать родственники."
)


def test_language_detects_english():
    code, confidence = detect(ENGLISH)
    assert code == "en"
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (RUSSIAN, "ru")])
def test_language_detects_other_languages(text, code):
    assert detect(text)[0] == code


def test_language_uses_more_than_80_chars():
    # An English opening shorter than 80 chars, then French: the French body must decide.
    text = "Breaking: hospital news. " + FRENCH + " " + FRENCH
    assert detect(text)[0] == "fr"


def test_language_no_letters():
    assert detect("12345 --- 678") == ("und", 0.0)


def test_language_sample_prefers_body():
    doc = from_text(f"Hospital to open children's ward\n\n{FRENCH}")
    assert sample(doc.text, body_start=doc.body_start).startswith("L'hôpital")


def test_language_set_on_document():
    doc = with_language(from_text(RUSSIAN))
    assert doc.language == "ru"
    assert with_language(from_text(RUSSIAN), "en").language == "en"


def test_language_supported_passes():
    doc = with_language(from_text(ENGLISH))
    assert require_supported(doc) is doc
    assert SUPPORTED == ("en",)


def test_language_unsupported_error():
    doc = from_text(FRENCH, origin="article.txt")
    with pytest.raises(UnsupportedLanguageError) as info:
        require_supported(doc)
    exc = info.value
    assert exc.code == "E107"
    assert "'fr'" in exc.message
    assert "en" in exc.message
    assert "--language" in exc.hint


def test_language_unsupported_uses_stored_language():
    doc = with_language(from_text(ENGLISH), "ru")
    with pytest.raises(UnsupportedLanguageError, match="'ru'"):
        require_supported(doc)
    assert require_supported(doc, supported=("en", "ru")) is doc
