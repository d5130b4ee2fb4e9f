"""Hand-made Documents for the report tests (no analyzer runs; every layer is built by hand).

The article is invented for these tests. Its layers overlap on purpose: an entity mention inside
a statement's source, a marker inside a statement's content, a date inside another content.
"""

from __future__ import annotations

from html.parser import HTMLParser

from narrascope.model import (
    Assertion,
    Document,
    Entity,
    HeadlineClaim,
    Marker,
    Mention,
    Paragraph,
    Sentence,
    Source,
    Span,
    Statement,
    TimelineEntry,
)

HEADLINE = "Ministry orders all schools to close"
BODY = (
    "Schools will close on 3 March 2024, the education minister Jane Doe said on Monday. "
    "According to the teachers' union, the plan is reportedly \"a disaster\".\n\n"
    "Critics claim the decision was rushed. This is clearly a shameful decision."
)
TEXT = f"{HEADLINE}\n\n{BODY}"


def at(text: str, phrase: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start=start, end=start + len(phrase), text=phrase)


def marker(text: str, phrase: str, kind: str, sentence: int, statement: str | None = None) -> Marker:
    s = at(text, phrase)
    return Marker(start=s.start, end=s.end, text=s.text, kind=kind, confidence=0.8, sentence=sentence,
                  statement=statement)


def source(text: str, phrase: str, type_: str, entity: str | None = None, entity_id: str | None = None) -> Source:
    s = at(text, phrase)
    return Source(text=phrase, start=s.start, end=s.end, type=type_, entity=entity, entity_id=entity_id,
                  confidence=0.9)


def make_doc(**overrides: object) -> Document:
    """The invented article with every layer filled by hand."""
    t = TEXT
    reportedly = marker(t, "reportedly", "distancing", 2, "S2")
    claim = marker(t, "claim", "contestation", 3, "S3")
    clearly = marker(t, "clearly", "booster", 4)
    statements = (
        Statement(id="S1", source=source(t, "the education minister Jane Doe", "official", "Jane Doe", "E1"),
                  cue=at(t, "said"), content=at(t, "Schools will close on 3 March 2024"), kind="indirect",
                  sentence=1, confidence=0.9, status="attributed"),
        Statement(id="S2", source=source(t, "the teachers' union", "organisation", "teachers' union", "E2"),
                  cue=at(t, "According to"), content=at(t, "the plan is reportedly \"a disaster\""),
                  kind="according_to", sentence=2, confidence=0.85, distancing=(reportedly,), status="hedged"),
        Statement(id="S3", source=source(t, "Critics", "vague"), cue=at(t, "claim"),
                  content=at(t, "the decision was rushed"), kind="indirect", sentence=3, confidence=0.7,
                  distancing=(claim,), status="contested"),
        Statement(id="S4", source=Source(text="", type="author", confidence=1.0), cue=None,
                  content=at(t, "This is clearly a shameful decision."), kind="other", sentence=4,
                  confidence=0.6, status="boosted"),
    )
    sentences_src = [
        HEADLINE,
        "Schools will close on 3 March 2024, the education minister Jane Doe said on Monday.",
        "According to the teachers' union, the plan is reportedly \"a disaster\".",
        "Critics claim the decision was rushed.",
        "This is clearly a shameful decision.",
    ]
    paragraph_of = [0, 1, 1, 2, 2]
    sentences = tuple(
        Sentence(**at(t, s).model_dump(), index=i, paragraph=paragraph_of[i]) for i, s in enumerate(sentences_src)
    )
    paragraphs = tuple(
        Paragraph(**at(t, p).model_dump(), index=i) for i, p in enumerate(t.split("\n\n"))
    )
    jane = at(t, "Jane Doe")
    minister = at(t, "the education minister")
    union = at(t, "teachers' union")
    ministry = at(t, "Ministry")
    entities = (
        Entity(id="E1", name="Jane Doe", type="person", label="PERSON", confidence=0.95, mentions=(
            Mention(**jane.model_dump(), kind="name", confidence=0.95),
            Mention(**minister.model_dump(), kind="nominal", confidence=0.7),
        )),
        Entity(id="E2", name="teachers' union", type="organisation", label="ORG", confidence=0.8,
               mentions=(Mention(**union.model_dump(), kind="name", confidence=0.8),)),
        Entity(id="E3", name="Ministry", type="organisation", label="ORG", confidence=0.6,
               mentions=(Mention(**ministry.model_dump(), kind="name", confidence=0.6),)),
    )
    shameful = at(t, "shameful")
    assertion_span = at(t, "This is clearly a shameful decision.")
    assertions = (
        Assertion(**assertion_span.model_dump(), sentence=4, cues=(shameful,), confidence=0.75),
    )
    headline_check = (
        HeadlineClaim(claim="Ministry orders", start=0, end=15, verdict="not_reported",
                      reason="directives are never described", confidence=0.7),
        HeadlineClaim(claim="all schools to close", start=16, end=len(HEADLINE), verdict="attributed",
                      evidence=(at(t, "Schools will close on 3 March 2024"),),
                      reason="only the minister says so", confidence=0.8),
    )
    date = at(t, "3 March 2024")
    monday = at(t, "on Monday")
    timeline = (
        TimelineEntry(**date.model_dump(), date="2024-03-03", event=at(t, "Schools will close"), sentence=1,
                      confidence=0.9),
        TimelineEntry(**monday.model_dump(), date="2024-02-26",
                      event=at(t, "the education minister Jane Doe said"), sentence=1, confidence=0.6),
    )
    fields: dict[str, object] = dict(
        id="doc-report-test",
        text=t,
        headline=at(t, HEADLINE),
        outlet="The Example Gazette",
        author="A. Writer",
        published="2024-02-27",
        url="https://news.invalid/schools",
        paragraphs=paragraphs,
        sentences=sentences,
        entities=entities,
        statements=statements,
        markers=(reportedly, claim, clearly),
        assertions=assertions,
        headline_check=headline_check,
        timeline=timeline,
        analyzers={"handmade": "1"},
    )
    fields.update(overrides)
    return Document(**fields)


EVIL = "<script>alert(1)</script>"


def make_evil_doc() -> Document:
    """An article whose text, metadata and entity names all carry a script tag."""
    text = f"Breaking {EVIL} news\n\nThe mayor said {EVIL} was fine & \"safe\". O'Neil <b>agreed</b>."
    content = at(text, f"{EVIL} was fine")
    mayor = at(text, "The mayor")
    return Document(
        id="evil",
        text=text,
        headline=at(text, f"Breaking {EVIL} news"),
        title=f"Title {EVIL}",
        outlet=f"Outlet {EVIL}",
        author=f"Author {EVIL}",
        url=f"javascript:alert(1)//{EVIL}",
        statements=(
            Statement(id="S1", source=Source(text=mayor.text, start=mayor.start, end=mayor.end, type="official",
                                             entity=f"Mayor {EVIL}", entity_id="E1", confidence=0.9),
                      cue=at(text, "said"), content=content, kind="indirect", sentence=1, confidence=0.9),
        ),
        entities=(
            Entity(id="E1", name=f"Mayor {EVIL}", type="person", label="PERSON", confidence=0.9,
                   mentions=(Mention(**mayor.model_dump(), kind="nominal", confidence=0.9),)),
        ),
        markers=(),
        headline_check=(
            HeadlineClaim(claim=f"Breaking {EVIL}", start=0, end=10, verdict="hedged", reason=f"because {EVIL}",
                          evidence=(content,), confidence=0.5),
        ),
    )


# --- reading the HTML report back ----------------------------------------------------------


class ReportParser(HTMLParser):
    """Collects the article block's visible text and its highlight segments, and every tag seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.article_text: list[str] = []
        self.segments: list[tuple[dict[str, str | None], list[str]]] = []
        self.script_text: list[str] = []
        self._stack: list[str] = []
        self._article_depth: int | None = None
        self._segment: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("meta", "input", "br", "link", "img"):
            return
        self._stack.append(tag)
        if tag == "div" and a.get("id") == "article":
            self._article_depth = len(self._stack)
        elif self._article_depth is not None and tag == "span":
            self._segment = []
            self.segments.append((a, self._segment))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("meta", "input", "br", "link", "img"):
            return
        if self._article_depth is not None and len(self._stack) == self._article_depth:
            self._article_depth = None
        if tag == "span":
            self._segment = None
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._article_depth is not None:
            self.article_text.append(data)
            if self._segment is not None:
                self._segment.append(data)
        if self._stack and self._stack[-1] == "script":
            self.script_text.append(data)

    def highlight_text(self, role: str, ident: str) -> str:
        """The text of all segments whose ``data-<role>`` lists ``ident``, joined in order."""
        return "".join("".join(chunks) for attrs, chunks in self.segments
                       if ident in (attrs.get(f"data-{role}") or "").split())

    def highlight_starts(self, role: str, ident: str) -> list[int]:
        return [int(attrs["data-start"] or 0) for attrs, _ in self.segments
                if ident in (attrs.get(f"data-{role}") or "").split()]


def parse_report(page: str) -> ReportParser:
    p = ReportParser()
    p.feed(page)
    p.close()
    return p
