"""Sources become Documents: one module per source kind."""

from narrascope.ingest.identity import content_id
from narrascope.ingest.text import find_headline, from_text

__all__ = ["content_id", "find_headline", "from_text"]
