"""Aggregation across stored documents: ingest, views, near-duplicates and export."""
