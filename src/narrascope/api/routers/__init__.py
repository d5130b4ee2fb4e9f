"""One router per resource: documents, analyze, views, search, stats."""
