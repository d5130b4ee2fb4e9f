"""Corpus views: aggregates of the stored layers across documents, one flat row per dict.

Every view is a function ``(store, ViewParams) -> list[dict]`` registered in :data:`VIEWS`.
Time buckets use the publication date (``published``); documents without one are left out of
the views over time and counted in the others. ``granularity`` is ``day`` or ``week`` (weeks
are named by their Monday); the by-outlet views add a ``period`` column only when it is given.
Learned layers may be missing (``None``) on some or all documents: a view over a layer counts
only the documents where it was computed, and returns no rows when none has it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from narrascope.errors import InputError
from narrascope.storage.base import Row, Store

Granularity = Literal["day", "week"]
SOURCE_TYPES = ("person", "organisation", "official", "vague", "media", "author")


@dataclass(frozen=True)
class ViewParams:
    granularity: Granularity | None = None
    outlet: str | None = None
    since: str | None = None
    """First publication date included (ISO date)."""
    until: str | None = None
    """Last publication date included (ISO date)."""
    limit: int = 100
    q: str | None = None
    """Full-text query: restricts every view to matching documents."""
    narrative: str | None = None
    threshold: float = 0.8
    """Cosine similarity at which two claims count as the same (``repeated_claims``)."""


class ViewError(InputError):
    code = "E111"
    default_hint = "list the views with `narrascope corpus view --help`"


def _period(params: ViewParams, default: Granularity | None = None) -> str | None:
    g = params.granularity or default
    if g is None:
        return None
    if g not in ("day", "week"):
        raise ViewError(f"unknown granularity {g!r}", hint="use day or week")
    return "d.published" if g == "day" else "d.week"


def _filters(store: Store, params: ViewParams, *, dated: bool = False) -> tuple[str, list[Any]]:
    """``AND …`` conditions on documents ``d`` for the common parameters."""
    where, args = [], []
    if params.outlet is not None:
        where.append("d.outlet = ?")
        args.append(params.outlet)
    if params.since:
        where.append("d.published >= ?")
        args.append(params.since)
    if params.until:
        where.append("d.published <= ?")
        args.append(params.until)
    if dated:
        where.append("d.published IS NOT NULL")
    if params.q:
        sub, sub_args = store._match_ids(params.q)
        where.append(f"d.id IN ({sub})")
        args.extend(sub_args)
    return "".join(f" AND {w}" for w in where), args


def narratives_over_time(store: Store, params: ViewParams) -> list[Row]:
    """period, narrative, documents (that carry it), outlets (distinct), share (of the period's
    documents with a narrative layer)."""
    period = _period(params, "week")
    cond, args = _filters(store, params, dated=True)
    if params.narrative:
        cond += " AND n.narrative = ?"
        args.append(params.narrative)
    rows = store.query(
        f"SELECT {period} AS period, n.narrative AS narrative, COUNT(DISTINCT d.id) AS documents, "
        f"COUNT(DISTINCT d.outlet) AS outlets FROM narratives n JOIN documents d ON d.id = n.doc_id "
        f"WHERE 1 = 1{cond} GROUP BY {period}, n.narrative ORDER BY period, documents DESC, narrative",
        args,
    )
    cond2, args2 = _filters(store, params, dated=True)
    totals = {r["period"]: r["n"] for r in store.query(
        f"SELECT {period} AS period, COUNT(*) AS n FROM documents d WHERE d.n_narratives IS NOT NULL{cond2} "
        f"GROUP BY {period}", args2)}
    for r in rows:
        r["share"] = round(r["documents"] / totals[r["period"]], 4) if totals.get(r["period"]) else None
    return rows


def _by_outlet(store: Store, params: ViewParams, table: str, column: str, count_col: str) -> list[Row]:
    period = _period(params)
    cond, args = _filters(store, params, dated=period is not None)
    keys = ["d.outlet"] + ([period] if period else [])
    sel = "d.outlet AS outlet" + (f", {period} AS period" if period else "")
    rows = store.query(
        f"SELECT {sel}, t.{column} AS {column}, COUNT(DISTINCT d.id) AS documents, COUNT(*) AS spans "
        f"FROM {table} t JOIN documents d ON d.id = t.doc_id WHERE 1 = 1{cond} "
        f"GROUP BY {', '.join(keys)}, t.{column} ORDER BY outlet, {'period, ' if period else ''}documents DESC, {column}",
        args,
    )
    totals = {(r["outlet"], r.get("period")): r["n"] for r in store.query(
        f"SELECT {sel}, COUNT(*) AS n FROM documents d WHERE d.{count_col} IS NOT NULL{cond} "
        f"GROUP BY {', '.join(keys)}", args)}
    for r in rows:
        total = totals.get((r["outlet"], r.get("period")))
        r["share"] = round(r["documents"] / total, 4) if total else None
    return rows


def techniques_by_outlet(store: Store, params: ViewParams) -> list[Row]:
    """outlet, [period,] technique, documents (using it), spans, share (of the outlet's documents
    with a techniques layer)."""
    return _by_outlet(store, params, "techniques", "technique", "n_techniques")


def frames_by_outlet(store: Store, params: ViewParams) -> list[Row]:
    """outlet, [period,] frame, documents, spans (frame labels), share (of the outlet's documents
    with a frames layer)."""
    rows = _by_outlet(store, params, "frames", "frame", "n_frames")
    for r in rows:
        r.pop("spans")
    return rows


def source_types_by_outlet(store: Store, params: ViewParams) -> list[Row]:
    """outlet, [period,] source_type, statements, documents, share (of the outlet's statements)."""
    period = _period(params)
    cond, args = _filters(store, params, dated=period is not None)
    keys = ["d.outlet"] + ([period] if period else [])
    sel = "d.outlet AS outlet" + (f", {period} AS period" if period else "")
    rows = store.query(
        f"SELECT {sel}, s.source_type AS source_type, COUNT(*) AS statements, COUNT(DISTINCT d.id) AS documents "
        f"FROM statements s JOIN documents d ON d.id = s.doc_id WHERE 1 = 1{cond} "
        f"GROUP BY {', '.join(keys)}, s.source_type ORDER BY outlet, {'period, ' if period else ''}statements DESC, source_type",
        args,
    )
    totals: dict[tuple[Any, Any], int] = {}
    for r in rows:
        key = (r["outlet"], r.get("period"))
        totals[key] = totals.get(key, 0) + r["statements"]
    for r in rows:
        r["share"] = round(r["statements"] / totals[(r["outlet"], r.get("period"))], 4)
    return rows


def outlet_sources(store: Store, params: ViewParams) -> list[Row]:
    """Which outlets lean on vague sources: one row per outlet with statements, documents, the
    share of statements of each source type (``<type>_share``), most vague first."""
    rows = source_types_by_outlet(store, ViewParams(
        outlet=params.outlet, since=params.since, until=params.until, q=params.q))
    out: dict[Any, Row] = {}
    for r in rows:
        o = out.setdefault(r["outlet"], {"outlet": r["outlet"], "statements": 0, "documents": 0,
                                         **{f"{t}_share": 0.0 for t in SOURCE_TYPES}})
        o["statements"] += r["statements"]
        o[f"{r['source_type']}_share"] = r["share"]
    docs = {r["outlet"]: r["n"] for r in store.query(
        "SELECT d.outlet AS outlet, COUNT(DISTINCT d.id) AS n FROM statements s JOIN documents d ON d.id = s.doc_id "
        "WHERE 1 = 1" + _filters(store, params)[0] + " GROUP BY d.outlet", _filters(store, params)[1])}
    for o in out.values():
        o["documents"] = docs.get(o["outlet"], 0)
    ranked = sorted(out.values(), key=lambda o: (-o["vague_share"], -o["statements"], str(o["outlet"])))
    return ranked[: params.limit]


def narrative_spread(store: Store, params: ViewParams) -> list[Row]:
    """For each narrative: first_date, first_outlet, last_date, documents, n_outlets, and outlets
    (a list, in the order each first carried it). Earliest narrative first."""
    cond, args = _filters(store, params, dated=True)
    if params.narrative:
        cond += " AND n.narrative = ?"
        args.append(params.narrative)
    rows = store.query(
        "SELECT n.narrative AS narrative, d.outlet AS outlet, MIN(d.published) AS first, MAX(d.published) AS last, "
        "COUNT(DISTINCT d.id) AS documents FROM narratives n JOIN documents d ON d.id = n.doc_id "
        f"WHERE 1 = 1{cond} GROUP BY n.narrative, d.outlet ORDER BY n.narrative, first, outlet",
        args,
    )
    spread: dict[str, Row] = {}
    for r in rows:
        s = spread.get(r["narrative"])
        if s is None:
            s = spread[r["narrative"]] = {
                "narrative": r["narrative"], "first_date": r["first"], "first_outlet": r["outlet"],
                "last_date": r["last"], "documents": 0, "n_outlets": 0, "outlets": [],
            }
        s["documents"] += r["documents"]
        s["last_date"] = max(s["last_date"], r["last"])
        s["n_outlets"] += 1
        s["outlets"].append(r["outlet"])
    ranked = sorted(spread.values(), key=lambda s: (s["first_date"], s["narrative"]))
    return ranked[: params.limit]


MIN_CLAIM_WORDS = 4
MAX_CLAIMS = 20_000


def repeated_claims(store: Store, params: ViewParams) -> list[Row]:
    """Claims (statement contents) repeated across outlets, matched by meaning: contents are
    embedded with the sentence encoder and grouped when their cosine similarity to the group's
    first claim is at least ``params.threshold``. One row per group seen in two or more documents:
    claim (the earliest wording), outlets (distinct), documents, mentions, variants (distinct
    wordings), first_date, first_outlet, outlet_list. Most outlets first."""
    import numpy as np

    from narrascope.embeddings import encode

    cond, args = _filters(store, params)
    rows = store.query(
        "SELECT s.content AS content, d.id AS doc_id, d.outlet AS outlet, d.published AS published "
        f"FROM statements s JOIN documents d ON d.id = s.doc_id WHERE 1 = 1{cond} "
        "ORDER BY d.published IS NULL, d.published, d.added_at, d.id, s.idx LIMIT ?",
        [*args, MAX_CLAIMS],
    )
    rows = [r for r in rows if len(r["content"].split()) >= MIN_CLAIM_WORDS]
    texts = list(dict.fromkeys(" ".join(r["content"].split()) for r in rows))
    if not texts:
        return []
    vectors = encode(texts)
    group_of = np.empty(len(texts), dtype=np.int64)
    leaders: list[int] = []
    block = np.zeros((0, vectors.shape[1]), dtype=np.float32)
    for i, v in enumerate(vectors):  # leader clustering: no chaining of loosely similar claims
        if len(leaders):
            sims = block @ v
            j = int(np.argmax(sims))
            if sims[j] >= params.threshold:
                group_of[i] = j
                continue
        group_of[i] = len(leaders)
        leaders.append(i)
        block = np.vstack([block, v[None, :]])
    index = {t: i for i, t in enumerate(texts)}
    groups: dict[int, Row] = {}
    for r in rows:
        text = " ".join(r["content"].split())
        g = int(group_of[index[text]])
        s = groups.get(g)
        if s is None:
            s = groups[g] = {"claim": texts[leaders[g]], "outlets": 0, "documents": 0, "mentions": 0,
                             "variants": 0, "first_date": r["published"], "first_outlet": r["outlet"],
                             "outlet_list": [], "_docs": set(), "_texts": set()}
        s["mentions"] += 1
        s["_docs"].add(r["doc_id"])
        s["_texts"].add(text)
        if r["outlet"] not in s["outlet_list"]:
            s["outlet_list"].append(r["outlet"])
    out = []
    for s in groups.values():
        docs, variants = s.pop("_docs"), s.pop("_texts")
        s["documents"], s["variants"], s["outlets"] = len(docs), len(variants), len(s["outlet_list"])
        if s["documents"] >= 2:
            out.append(s)
    out.sort(key=lambda s: (-s["outlets"], -s["documents"], -s["mentions"], s["claim"]))
    return out[: params.limit]


def duplicate_groups(store: Store, params: ViewParams) -> list[Row]:
    """Near-duplicate groups (syndicated copies): group (the first document's id), headline,
    copies (documents in the group), outlets, first_date."""
    cond, args = _filters(store, params)
    return store.query(
        "SELECT d.dup_group AS dup_group, MIN(g.headline) AS headline, COUNT(*) AS copies, "
        "COUNT(DISTINCT d.outlet) AS outlets, MIN(d.published) AS first_date "
        "FROM documents d JOIN documents g ON g.id = d.dup_group "
        f"WHERE 1 = 1{cond} GROUP BY d.dup_group HAVING COUNT(*) > 1 ORDER BY copies DESC, dup_group LIMIT ?",
        [*args, params.limit],
    )


def search(store: Store, params: ViewParams) -> list[Row]:
    """Full-text search for ``params.q``: id, headline, outlet, published, snippet."""
    if not params.q:
        raise ViewError("the search view needs a query", hint="pass --q WORDS (or use `narrascope corpus search`)")
    return store.search(params.q, limit=params.limit)


VIEWS: dict[str, Callable[[Store, ViewParams], list[Row]]] = {
    "narratives_over_time": narratives_over_time,
    "narrative_spread": narrative_spread,
    "techniques_by_outlet": techniques_by_outlet,
    "frames_by_outlet": frames_by_outlet,
    "source_types_by_outlet": source_types_by_outlet,
    "outlet_sources": outlet_sources,
    "repeated_claims": repeated_claims,
    "duplicates": duplicate_groups,
    "search": search,
}


def view(store: Store, name: str, params: ViewParams | None = None) -> list[Row]:
    """Rows of view ``name``; an unknown name → :class:`ViewError`."""
    if name not in VIEWS:
        raise ViewError(f"unknown view {name!r}", hint=f"choose from: {', '.join(VIEWS)}")
    return VIEWS[name](store, params or ViewParams())
