"""The frozen, typed document model.

Every finding points at half-open character offsets into ``Document.text``
(``text[start:end]``), so any label can be shown, highlighted and checked.
A layer that is ``None`` was not computed; an empty tuple was computed and found nothing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SourceType = Literal["person", "organisation", "official", "vague", "media", "author"]
EntityType = Literal["person", "organisation", "place", "group", "other"]
MentionKind = Literal["name", "alias", "nominal", "pronoun"]
MarkerKind = Literal["hedge", "distancing", "contestation", "booster"]
StatementKind = Literal["direct", "indirect", "according_to", "framing", "nominal", "report", "other"]
EvidenceStatus = Literal["asserted", "hedged", "contested", "boosted", "attributed"]
Verdict = Literal["supported", "attributed", "hedged", "not_reported"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """A half-open character range ``[start, end)`` of the document text, with its text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Paragraph(Span):
    index: int


class Sentence(Span):
    index: int
    paragraph: int


class Mention(Span):
    kind: MentionKind
    confidence: float = Field(ge=0, le=1)


class Entity(_Frozen):
    """One real-world referent with all its in-article mentions (names, aliases, nominals, pronouns)."""

    id: str
    name: str
    type: EntityType
    label: str = Field(description="the NER label behind the type, e.g. PERSON, ORG, GPE")
    mentions: tuple[Mention, ...]
    confidence: float = Field(ge=0, le=1)


class Source(_Frozen):
    """Who a statement is attributed to. ``start``/``end``/``text`` are empty for the author's voice."""

    text: str
    start: int | None = None
    end: int | None = None
    type: SourceType
    entity: str | None = Field(None, description="name of the linked entity, if any")
    entity_id: str | None = None
    confidence: float = Field(ge=0, le=1)


class Marker(Span):
    """A hedge, distancing phrase, contestation or booster, and what it governs."""

    kind: MarkerKind
    confidence: float = Field(ge=0, le=1)
    sentence: int
    statement: str | None = Field(None, description="id of the statement it governs, if any")


class Statement(_Frozen):
    """An attributed statement: source, cue and content spans."""

    id: str
    source: Source
    cue: Span | None
    content: Span
    kind: StatementKind
    sentence: int
    confidence: float = Field(ge=0, le=1)
    distancing: tuple[Marker, ...] = ()
    status: EvidenceStatus = "attributed"


class SentenceEvidence(_Frozen):
    """The evidence status of one sentence, with the markers behind it."""

    sentence: int
    status: EvidenceStatus
    attributed: bool
    markers: tuple[Marker, ...]
    confidence: float = Field(ge=0, le=1)


class Assertion(Span):
    """An evaluative assertion in the author's own voice, with the evaluative words behind it."""

    sentence: int
    cues: tuple[Span, ...]
    confidence: float = Field(ge=0, le=1)


class HeadlineClaim(_Frozen):
    """One claim the headline makes and how far the body carries it."""

    claim: str
    start: int = Field(description="offset into Document.headline_text")
    end: int
    verdict: Verdict
    evidence: tuple[Span, ...] = ()
    reason: str
    confidence: float = Field(ge=0, le=1)


class TimelineEntry(Span):
    """A dated event: ``text`` is the date expression, ``event`` the clause it dates."""

    date: str = Field(description="ISO-8601 date, month (YYYY-MM) or year (YYYY)")
    event: Span
    sentence: int
    confidence: float = Field(ge=0, le=1)


class Evidence(Span):
    """A span that supports a label, with how strongly (0–1)."""

    weight: float = Field(ge=0, le=1)


class NarrativeLabel(_Frozen):
    """A narrative or subnarrative of a taxonomy (SemEval-2025 Task 10) or of a user catalogue."""

    taxonomy: str = Field(description="'semeval2025' or the user catalogue's name")
    narrative: str
    subnarrative: str | None = Field(None, description="None for a narrative-level label")
    confidence: float = Field(ge=0, le=1)
    evidence: tuple[Evidence, ...] = ()


class Explanation(_Frozen):
    """A short explanation of the dominant narrative built from the article's own sentences."""

    narrative: str
    subnarrative: str | None = None
    text: str
    sentences: tuple[Span, ...]


class EntityRole(_Frozen):
    """The role an entity mention is cast in (protagonist / antagonist / innocent, fine roles)."""

    entity_id: str | None
    mention: Span
    main_role: str
    fine_roles: tuple[str, ...]
    confidence: float = Field(ge=0, le=1)
    evidence: tuple[Evidence, ...] = ()


class TechniqueSpan(Span):
    """A persuasion technique over a span."""

    technique: str
    confidence: float = Field(ge=0, le=1)
    paragraph: int | None = None


class FrameLabel(_Frozen):
    """A frame (SemEval-2023 Task 3) with the sentences that carry it."""

    frame: str
    confidence: float = Field(ge=0, le=1)
    evidence: tuple[Evidence, ...] = ()


class GenreLabel(_Frozen):
    """Opinion / reporting / satire, with the sentences that weigh most towards it."""

    label: str
    confidence: float = Field(ge=0, le=1)
    scores: dict[str, float] = Field(default_factory=dict)
    evidence: tuple[Evidence, ...] = Field(
        default=(), description="the sentences that weigh most towards this genre over the runner-up (schema 1.2)")


class CheckworthyScore(_Frozen):
    """How much a sentence or statement deserves checking, and why."""

    target: Literal["sentence", "statement"]
    ref: str = Field(description="sentence index or statement id")
    span: Span
    score: float = Field(ge=0, le=1)
    reasons: tuple[str, ...] = ()


class StanceLabel(_Frozen):
    """The body's stance toward the headline (FNC-1 labels)."""

    label: Literal["agree", "disagree", "discuss", "unrelated"]
    confidence: float = Field(ge=0, le=1)
    scores: dict[str, float] = Field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()


class Document(_Frozen):
    """An article and the layers analyzers have added to it."""

    id: str
    text: str
    headline: Span | None = Field(None, description="the headline inside text, if it is there")
    title: str | None = Field(None, description="headline given from outside the text (--headline, HTML title)")
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    origin: str | None = Field(None, description="file, URL or line the document came from")

    paragraphs: tuple[Paragraph, ...] | None = None
    sentences: tuple[Sentence, ...] | None = None
    entities: tuple[Entity, ...] | None = None
    statements: tuple[Statement, ...] | None = None
    markers: tuple[Marker, ...] | None = None
    evidence: tuple[SentenceEvidence, ...] | None = None
    assertions: tuple[Assertion, ...] | None = None
    headline_check: tuple[HeadlineClaim, ...] | None = None
    timeline: tuple[TimelineEntry, ...] | None = None
    narratives: tuple[NarrativeLabel, ...] | None = None
    explanation: Explanation | None = None
    catalogue_matches: tuple[NarrativeLabel, ...] | None = None
    roles: tuple[EntityRole, ...] | None = None
    techniques: tuple[TechniqueSpan, ...] | None = None
    frames: tuple[FrameLabel, ...] | None = None
    genre: GenreLabel | None = None
    checkworthy: tuple[CheckworthyScore, ...] | None = None
    stance: StanceLabel | None = None

    analyzers: dict[str, str] = Field(default_factory=dict, description="analyzer name -> version")

    @property
    def headline_text(self) -> str | None:
        """The headline: the overriding title if given, else the headline span of the text."""
        if self.title:
            return self.title
        return self.headline.text if self.headline else None

    @property
    def body_start(self) -> int:
        """Offset where the body starts (after the in-text headline, if any)."""
        return self.headline.end if self.headline else 0

    def span(self, start: int, end: int) -> Span:
        """A Span of this document's text."""
        return Span(start=start, end=end, text=self.text[start:end])

    def with_layers(self, analyzer: str, version: str, **layers: object) -> Document:
        """A copy with the given layers set and the analyzer's version recorded."""
        return self.model_copy(update={**layers, "analyzers": {**self.analyzers, analyzer: version}})

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset``."""
        for s in self.sentences or ():
            if s.start <= offset < s.end:
                return s
        return None


LAYERS: tuple[str, ...] = (
    "paragraphs",
    "sentences",
    "entities",
    "statements",
    "markers",
    "evidence",
    "assertions",
    "headline_check",
    "timeline",
    "narratives",
    "explanation",
    "catalogue_matches",
    "roles",
    "techniques",
    "frames",
    "genre",
    "checkworthy",
    "stance",
)
