"""Match articles to a user's own narrative catalogue (TOML), by meaning, with evidence sentences.

A catalogue names a few narratives, each with a description and example sentences (see
``narrascope/catalogues/example.toml``, the default). Every narrative becomes a set of prototype
embeddings (its description and its examples, :mod:`narrascope.embeddings`); each sentence of the
article is scored by its best cosine similarity to a narrative's prototypes. A narrative matches
when its best sentence reaches the catalogue's ``threshold``; its evidence is the (at most three)
sentences that do, and its confidence is the mean similarity of those. No training is needed.

Configure with ``ctx.config["catalogue"] = PATH``. A missing or malformed file raises a typed error
(:class:`~narrascope.errors.InputNotFoundError`, :class:`~narrascope.errors.DataError`).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.catalogues import EXAMPLE
from narrascope.errors import DataError, InputNotFoundError
from narrascope.model import Document, Evidence, NarrativeLabel
from narrascope.pipeline import Context, analyzer

VERSION = "1.0"
DEFAULT_THRESHOLD = 0.5
MAX_EVIDENCE = 3
_HINT = ('a catalogue is TOML: name = "…", optional threshold = 0.5, and [[narratives]] tables with '
         'name, description and examples = ["…", …]; see narrascope/catalogues/example.toml')


@dataclass(frozen=True)
class CatalogueNarrative:
    name: str
    description: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    name: str
    description: str
    threshold: float
    narratives: tuple[CatalogueNarrative, ...]


def _str(value: Any, where: str, path: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"catalogue {path}: {where} must be a non-empty string", hint=_HINT)
    return value.strip()


def parse(data: dict[str, Any], path: Path) -> Catalogue:
    """A :class:`Catalogue` from parsed TOML; a DataError naming the bad field otherwise."""
    name = _str(data.get("name"), "'name'", path)
    threshold = data.get("threshold", DEFAULT_THRESHOLD)
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not 0 < threshold < 1:
        raise DataError(f"catalogue {path}: 'threshold' must be a number between 0 and 1", hint=_HINT)
    items = data.get("narratives")
    if not isinstance(items, list) or not items:
        raise DataError(f"catalogue {path}: no [[narratives]] tables", hint=_HINT)
    narratives = []
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise DataError(f"catalogue {path}: narrative {i} is not a table", hint=_HINT)
        nname = _str(item.get("name"), f"narrative {i}'s 'name'", path)
        if nname in seen:
            raise DataError(f"catalogue {path}: narrative {nname!r} is given twice", hint="give each narrative a unique name")
        seen.add(nname)
        desc = item.get("description", "")
        if not isinstance(desc, str):
            raise DataError(f"catalogue {path}: narrative {nname!r}'s 'description' must be a string", hint=_HINT)
        examples = item.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(x, str) and x.strip() for x in examples):
            raise DataError(f"catalogue {path}: narrative {nname!r}'s 'examples' must be a list of strings", hint=_HINT)
        if not examples and not desc.strip():
            raise DataError(f"catalogue {path}: narrative {nname!r} needs a description or examples", hint=_HINT)
        narratives.append(CatalogueNarrative(nname, desc.strip(), tuple(x.strip() for x in examples)))
    desc = data.get("description", "")
    return Catalogue(name, desc if isinstance(desc, str) else "", float(threshold), tuple(narratives))


def load(path: Path | str) -> Catalogue:
    """Read and check a catalogue file."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"no catalogue file at {path}", hint="check the path given as the catalogue")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"catalogue {path} is not valid TOML: {exc}", hint=_HINT) from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"catalogue {path} is not UTF-8 text", hint="save the catalogue as UTF-8") from exc
    return parse(data, path)


@functools.lru_cache(maxsize=8)
def _prototypes(catalogue: Catalogue) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of every narrative's description and examples, and the narrative index of each row."""
    from narrascope import embeddings

    texts: list[str] = []
    owner: list[int] = []
    for i, n in enumerate(catalogue.narratives):
        for t in ((n.description,) if n.description else ()) + n.examples:
            texts.append(t)
            owner.append(i)
    return embeddings.encode(texts), np.array(owner)


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Catalogue:
    return load(path)


def match(doc: Document, catalogue: Catalogue, sentences: list[tuple[int, int]],
          sentence_emb: np.ndarray | None = None) -> tuple[NarrativeLabel, ...]:
    """The catalogue narratives ``doc`` carries, best first, each with its evidence sentences."""
    from narrascope.analyzers.narratives import sentence_embeddings

    if not sentences:
        return ()
    emb = sentence_emb if sentence_emb is not None else sentence_embeddings(doc.text, sentences)
    protos, owner = _prototypes(catalogue)
    sims = emb @ protos.T  # (sentences, prototypes)
    out: list[NarrativeLabel] = []
    for i, n in enumerate(catalogue.narratives):
        best = sims[:, owner == i].max(axis=1)
        order = [int(k) for k in np.argsort(-best, kind="stable")[:MAX_EVIDENCE] if best[k] >= catalogue.threshold]
        if not order:
            continue
        evidence = tuple(
            Evidence(start=sentences[k][0], end=sentences[k][1], text=doc.text[sentences[k][0]:sentences[k][1]],
                     weight=round(float(min(max(best[k], 0.0), 1.0)), 4))
            for k in order
        )
        conf = float(np.mean([best[k] for k in order]))
        out.append(NarrativeLabel(taxonomy=catalogue.name, narrative=n.name, subnarrative=None,
                                  confidence=round(min(max(conf, 0.0), 1.0), 4), evidence=evidence))
    out.sort(key=lambda lab: -lab.confidence)
    return tuple(out)


@analyzer("catalogue", version=VERSION, requires=("sentences",), assigns=("catalogue_matches",))
def analyze(doc: Document, ctx: Context) -> Document:
    """Match the article to a narrative catalogue (ctx.config["catalogue"], default: the shipped example)."""
    path = Path(ctx.config.get("catalogue") or EXAMPLE)
    mtime = path.stat().st_mtime if path.is_file() else 0.0
    catalogue = _cached(str(path), mtime) if mtime else load(path)
    spans = [(s.start, s.end) for s in doc.sentences or ()]
    return doc.with_layers("catalogue", VERSION, catalogue_matches=match(doc, catalogue, spans))
