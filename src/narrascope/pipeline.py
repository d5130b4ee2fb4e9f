"""Analyzer registry and the Pipeline that runs them.

An analyzer is a pure function ``(Document, Context) -> Document`` registered with
``@analyzer(name, version, requires, assigns)``. The pipeline checks, before running, that
every analyzer's ``requires`` are assigned by one before it; a failing document is recorded
as a :class:`Failure` and the batch goes on.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from narrascope.errors import NarrascopeError, PipelineError
from narrascope.model import Document

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

AnalyzeFn = Callable[[Document, "Context"], Document]


def language_code(language: str | None) -> str:
    """The two-letter code of a document's language ("en" when not known: read as English)."""
    return (language or "en").lower()[:2]


@dataclass(frozen=True)
class AnalyzerSpec:
    name: str
    version: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    func: AnalyzeFn
    doc: str = ""
    # ISO 639-1 codes of the languages it reads; None: any language
    languages: tuple[str, ...] | None = None

    def reads(self, language: str | None) -> bool:
        """Whether it analyses a document in ``language`` (None, not known: read as English)."""
        return self.languages is None or language_code(language) in self.languages


REGISTRY: dict[str, AnalyzerSpec] = {}

# The main job: who claims what, how surely, what the headline promises (rules + light models).
MAIN_ANALYZERS: tuple[str, ...] = (
    "sentences",
    "entities",
    "attribution",
    "hedging",
    "evaluation",
    "headline",
    "timeline",
)
# The learned layers on top (sentence embeddings + linear models).
LEARNED_ANALYZERS: tuple[str, ...] = (
    "narratives",
    "roles",
    "techniques",
    "frames",
    "genre",
    "checkworthy",
    "stance",
)
DEFAULT_ANALYZERS: tuple[str, ...] = MAIN_ANALYZERS + LEARNED_ANALYZERS
PROFILES: dict[str, tuple[str, ...]] = {"main": MAIN_ANALYZERS, "all": DEFAULT_ANALYZERS}


def resolve(spec: str | Sequence[str]) -> list[str]:
    """Analyzer names from a comma list or sequence; profile names (``main``, ``all``) expand;
    repeats are dropped, order kept."""
    items = [x.strip() for x in spec.split(",")] if isinstance(spec, str) else list(spec)
    names: list[str] = []
    for item in items:
        for name in PROFILES.get(item, (item,)):
            if name and name not in names:
                names.append(name)
    return names

_MODULES = {
    "sentences": "narrascope.analyzers.sentences",
    "entities": "narrascope.analyzers.entities",
    "attribution": "narrascope.analyzers.attribution",
    "hedging": "narrascope.analyzers.hedging",
    "evaluation": "narrascope.analyzers.evaluation",
    "headline": "narrascope.analyzers.headline",
    "timeline": "narrascope.analyzers.timeline",
    "narratives": "narrascope.analyzers.narratives",
    "catalogue": "narrascope.analyzers.catalogue",
    "roles": "narrascope.analyzers.roles",
    "techniques": "narrascope.analyzers.techniques",
    "frames": "narrascope.analyzers.frames",
    "genre": "narrascope.analyzers.genre",
    "checkworthy": "narrascope.analyzers.checkworthy",
    "stance": "narrascope.analyzers.stance",
}


def analyzer(
    name: str, version: str, requires: Sequence[str] = (), assigns: Sequence[str] = (),
    languages: Sequence[str] | None = None,
) -> Callable[[AnalyzeFn], AnalyzeFn]:
    """Register ``func`` as analyzer ``name``; ``languages``: the ISO codes it reads (None: any)."""

    def register(func: AnalyzeFn) -> AnalyzeFn:
        REGISTRY[name] = AnalyzerSpec(name, version, tuple(requires), tuple(assigns), func, func.__doc__ or "",
                                      None if languages is None else tuple(languages))
        return func

    return register


def get(name: str) -> AnalyzerSpec:
    if name not in REGISTRY and name in _MODULES:
        importlib.import_module(_MODULES[name])
    if name not in REGISTRY:
        known = ", ".join(sorted(set(REGISTRY) | set(_MODULES)))
        raise PipelineError(f"unknown analyzer {name!r}", hint=f"choose from: {known}")
    return REGISTRY[name]


@dataclass
class Context:
    """Per-run state shared by analyzers: configuration and the parse cache."""

    config: dict[str, Any] = field(default_factory=dict)
    # document id -> (the text parsed, its parse): spaCy's ``Doc.text`` is rebuilt from the tokens
    # on every access (2 ms for 700 words), so the check that the cached parse is of this text
    # compares the kept string instead (the same object in a pipeline run: an identity check)
    _parses: dict[str, tuple[str, SpacyDoc]] = field(default_factory=dict)

    def parsed(self, doc: Document) -> SpacyDoc:
        """The spaCy parse of ``doc.text`` (parsed once, cached by document id)."""
        hit = self._parses.get(doc.id)
        if hit is not None and (hit[0] is doc.text or hit[0] == doc.text):
            return hit[1]
        from narrascope import nlp

        parsed = nlp.parse(doc.text)
        self._parses[doc.id] = (doc.text, parsed)
        return parsed

    def preparse(self, docs: Sequence[Document]) -> None:
        """Parse many documents in one batched spaCy pass."""
        from narrascope import nlp

        todo = [d for d in docs if d.id not in self._parses]
        for d, parsed in zip(todo, nlp.parse_many(d.text for d in todo), strict=True):
            self._parses[d.id] = (d.text, parsed)

    def forget(self, doc: Document) -> None:
        self._parses.pop(doc.id, None)


@dataclass(frozen=True)
class Failure:
    """A document the pipeline could not analyse, and why."""

    id: str
    origin: str | None
    error: NarrascopeError

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "origin": self.origin, **self.error.to_dict()}


@functools.cache
def _single_threaded_blas() -> None:
    """One BLAS thread per process, set once: float results of a matrix product can differ with
    the thread count, and a document must get the same labels from every engine (parallelism
    comes from processes instead)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with the sentence encoder
        return
    threadpool_limits(limits=1, user_api="blas")


def supported_languages(specs: Sequence[AnalyzerSpec]) -> tuple[str, ...]:
    """The languages that at least one of ``specs`` reads (English first)."""
    langs = {lang for spec in specs for lang in spec.languages or ()}
    return tuple(sorted(langs, key=lambda x: (x != "en", x)))


class Pipeline:
    """An ordered, validated list of analyzers. A document whose language an analyzer does not
    read skips it (and those built on it); one that no analyzer reads is refused
    (:class:`~narrascope.errors.UnsupportedLanguageError`)."""

    def __init__(self, names: Sequence[str] = DEFAULT_ANALYZERS, config: dict[str, Any] | None = None) -> None:
        _single_threaded_blas()
        self.specs = [get(n) for n in resolve(names)]
        self.config = dict(config or {})
        have: set[str] = set()
        for spec in self.specs:
            missing = [r for r in spec.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"analyzer {spec.name!r} requires {', '.join(missing)}, which no earlier analyzer assigns",
                    hint="put the analyzers that assign them first, e.g. " + ", ".join(DEFAULT_ANALYZERS),
                )
            have.update(spec.assigns)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.specs]

    def for_language(self, language: str | None) -> list[AnalyzerSpec]:
        """The analyzers that run on a document in ``language``: those that read it and whose
        requirements an earlier one of them assigns (an English-only layer is left out of a Russian
        article, and so is every layer built on it)."""
        if language is None:
            return self.specs
        out: list[AnalyzerSpec] = []
        have: set[str] = set()
        for spec in self.specs:
            if spec.reads(language) and all(r in have for r in spec.requires):
                out.append(spec)
                have.update(spec.assigns)
        return out

    def skipped(self, language: str | None) -> list[str]:
        """The analyzers left out for a document in ``language`` (see :meth:`for_language`)."""
        kept = {s.name for s in self.for_language(language)}
        return [s.name for s in self.specs if s.name not in kept]

    def _run_one(self, doc: Document, ctx: Context) -> Document:
        embeddings = sys.modules.get("narrascope.embeddings")
        if embeddings is not None:  # one document's analysis never depends on the one before
            embeddings.clear_cache()
        specs = self.for_language(doc.language)
        if len(specs) < len(self.specs) and not any(spec.languages is not None for spec in specs):
            # every analyzer that reads a language was left out: only language-blind splitting is left
            from narrascope.ingest.language import require_supported

            require_supported(doc, supported_languages(self.specs))
        for spec in specs:
            doc = spec.func(doc, ctx)
        return doc

    def __call__(self, doc: Document) -> Document:
        ctx = Context(self.config)
        try:
            return self._run_one(doc, ctx)
        finally:
            ctx.forget(doc)

    def run_many(self, docs: Iterable[Document | Failure], batch_size: int = 16) -> Iterator[Document | Failure]:
        """Analyse a stream; failures (given or raised) are yielded in place, never raised."""
        ctx = Context(self.config)
        batch: list[Document | Failure] = []

        def flush() -> Iterator[Document | Failure]:
            good = [d for d in batch if isinstance(d, Document)]
            with contextlib.suppress(Exception):  # a bad batch falls back to one-by-one parsing
                ctx.preparse([d for d in good if language_code(d.language) == "en"])
            for item in batch:
                if isinstance(item, Failure):
                    yield item
                    continue
                try:
                    yield self._run_one(item, ctx)
                except NarrascopeError as exc:
                    yield Failure(item.id, item.origin, exc)
                except Exception as exc:  # noqa: BLE001 - a batch never dies for one document
                    yield Failure(item.id, item.origin, PipelineError(f"{type(exc).__name__}: {exc}",
                                                                      hint="report this as a bug with the input"))
                finally:
                    ctx.forget(item)
            batch.clear()

        for item in docs:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from flush()
        yield from flush()

