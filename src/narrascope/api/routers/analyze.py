"""``POST /api/analyze``: analyse one text now and return the document JSON (nothing is stored)."""

from __future__ import annotations

import functools
from typing import Any

import anyio
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from narrascope.api import service

router = APIRouter(prefix="/api", tags=["analyze"])


class AnalyzeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the article text; a first line and a blank line make the headline")
    headline: str | None = Field(None, description="headline to check, overriding the text's first line")
    analyzers: list[str] | None = Field(None, description="analyzers to run, in order (default: the main job)")
    language: str | None = Field(None, description="treat the text as this language (e.g. en)")
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None


@router.post("/analyze", summary="Analyse a text")
async def analyze(body: AnalyzeRequest) -> dict[str, Any]:
    """Runs the pipeline on ``text`` (models load once per server process) and returns the document.

    One analysis runs at a time in a worker thread; requests waiting for it wait on the event
    loop, so a queue of analyses never takes the threads that serve pages and views.
    """
    meta = body.model_dump(exclude={"text", "analyzers"}, exclude_none=True)
    doc = await anyio.to_thread.run_sync(
        functools.partial(service.analyze, body.text, body.analyzers, **meta), limiter=service.analysis_limiter())
    return service.document_json(doc)
