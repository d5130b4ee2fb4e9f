"""Server-rendered pages over the API: dashboard, documents, article, search and view tables.

Jinja2 templates with autoescaping; charts are inline SVG drawn by a few lines of inline JS from
JSON embedded in the page. Nothing is fetched from elsewhere. Every page's data is the
dictionary its ``/api`` twin returns (``narrascope.api.service``), linked from the page.
"""
