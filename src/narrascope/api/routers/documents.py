"""``/api/documents``: the stored documents, listed and one by one (the document JSON)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from narrascope.api import deps, service

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("", summary="List stored documents")
def list_documents(
    store: Annotated[Any, Depends(deps.store)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    outlet: Annotated[str | None, Query(max_length=500)] = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """Documents (id, headline, outlet, published, layer counts), newest first; ``total`` counts all."""
    return service.list_documents(store, limit, offset, outlet, q)


@router.get("/{doc_id:path}", summary="One document with all its layers")
def get_document(doc_id: str, store: Annotated[Any, Depends(deps.store)]) -> dict[str, Any]:
    """The versioned document JSON (``docs/schema.md``); 404 when the id is unknown."""
    return service.document_json(service.get_document(store, doc_id))
