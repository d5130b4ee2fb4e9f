"""Genre (SemEval-2023 Task 3, subtask 1): opinion, reporting or satire, with confidence.

A softmax logistic regression over the article's features (see :mod:`narrascope.analyzers.frames`:
mean sentence embedding + word TF-IDF), ``models/genre.{npz,json}``. Per-language calibration:
an additive offset per class and language (``offsets`` in the JSON), then a softmax. The offsets
correct for the language's training genre mix (English training articles are 88 % opinion) and are
chosen by cross-validation for macro-F1 at both that mix and an even one, since the mix of the
articles analysed is unknown (:mod:`narrascope.training.genre`). Training: ``narrascope train genre``.
"""

from __future__ import annotations

import numpy as np

from narrascope.analyzers.frames import ISO_LANGUAGES, Encoded, Head, encoded, language, load_head
from narrascope.model import Document, GenreLabel
from narrascope.pipeline import Context, analyzer

VERSION = "1.1"


def predict(head: Head, enc: Encoded, text: str, lang: str) -> tuple[str, float, dict[str, float]]:
    """(label, confidence, probability per label) for one article."""
    z = head.scores(enc.vector(), text)
    offsets = head.meta.get("offsets", {}).get(lang)
    if offsets:
        z = z + np.asarray(offsets, dtype=np.float32)
    e = np.exp(z - z.max())
    p = e / e.sum()
    i = int(np.argmax(p))
    return head.labels[i], float(p[i]), {lab: round(float(x), 4) for lab, x in zip(head.labels, p, strict=True)}


@analyzer("genre", version=VERSION, assigns=("genre",), languages=ISO_LANGUAGES)
def analyze(doc: Document, ctx: Context) -> Document:
    """Opinion / reporting / satire, with the probability of each."""
    head = load_head("genre")
    enc = encoded(doc)
    if head is None or not enc.sentences:
        return doc.with_layers("genre", VERSION, genre=None)
    label, conf, scores = predict(head, enc, doc.text, language(doc, ctx))
    return doc.with_layers("genre", VERSION,
                           genre=GenreLabel(label=label, confidence=round(min(max(conf, 0.0), 1.0), 4), scores=scores))
