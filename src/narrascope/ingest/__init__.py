"""Sources become Documents: one module per source kind, and :func:`load` to dispatch on them."""

from narrascope.ingest.decoding import DEFAULT_MAX_BYTES
from narrascope.ingest.files import load, load_all, load_one
from narrascope.ingest.html import from_html
from narrascope.ingest.identity import content_id
from narrascope.ingest.jsonl import iter_jsonl
from narrascope.ingest.language import SUPPORTED, detect, require_supported
from narrascope.ingest.text import find_headline, from_text
from narrascope.ingest.url import fetch, from_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED",
    "content_id",
    "detect",
    "fetch",
    "find_headline",
    "from_html",
    "from_text",
    "from_url",
    "iter_jsonl",
    "load",
    "load_all",
    "load_one",
    "require_supported",
]
