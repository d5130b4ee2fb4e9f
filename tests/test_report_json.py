"""The JSON report: round trip, JSONL with failures, and the committed schema files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from narrascope.errors import EmptyInputError
from narrascope.model import LAYERS, SCHEMA_VERSION, Document, from_dict, from_json, json_schema
from narrascope.pipeline import Failure
from narrascope.report import json as json_report
from report_docs import make_doc, make_evil_doc

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_JSON = ROOT / "docs" / "schema.json"
SCHEMA_MD = ROOT / "docs" / "schema.md"
REGENERATE = "python -m narrascope.report.json --schema > docs/schema.json"


def test_json_render_round_trips():
    for doc in (make_doc(), make_evil_doc(), Document(id="bare", text="x")):
        out = json_report.render(doc)
        assert json.loads(out)["schema_version"] == SCHEMA_VERSION
        assert next(iter(json.loads(out))) == "schema_version"
        assert from_json(out) == doc


def test_json_render_failure_shape():
    failure = Failure("doc-1", "a.txt", EmptyInputError("a.txt is empty"))
    data = json_report.render_failure(failure)
    assert data == {
        "schema_version": SCHEMA_VERSION,
        "id": "doc-1",
        "origin": "a.txt",
        "error": {"code": "E101", "type": "EmptyInputError", "message": "a.txt is empty",
                  "hint": EmptyInputError.default_hint},
    }
    json.dumps(data)


def test_json_render_many_one_line_each():
    docs = [make_doc(), Failure("bad", None, EmptyInputError("empty")), make_evil_doc()]
    out = json_report.render_many(docs)
    lines = out.splitlines()
    assert len(lines) == 3 and out.endswith("\n")
    assert from_dict(json.loads(lines[0])) == docs[0]
    assert json.loads(lines[1])["error"]["code"] == "E101"
    assert "text" not in json.loads(lines[1])
    assert from_dict(json.loads(lines[2])) == docs[2]
    assert list(json_report.iter_jsonl([])) == []


def test_json_schema_file_is_current():
    assert SCHEMA_JSON.exists(), f"docs/schema.json is missing; generate it with `{REGENERATE}`"
    committed = json.loads(SCHEMA_JSON.read_text(encoding="utf-8"))
    assert committed == json_schema(), f"docs/schema.json is stale; regenerate it with `{REGENERATE}`"


def test_json_schema_main_prints_schema():
    proc = subprocess.run([sys.executable, "-m", "narrascope.report.json", "--schema"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(proc.stdout) == json_schema()
    assert json_report.main([]) == 2


def test_json_schema_md_documents_every_key():
    md = SCHEMA_MD.read_text(encoding="utf-8")
    schema = json_schema()
    for key in schema["properties"]:
        assert f"`{key}`" in md, f"docs/schema.md does not document top-level key {key!r}"
    for name, definition in schema["$defs"].items():
        for field in definition.get("properties", {}):
            assert f"`{field}`" in md, f"docs/schema.md does not document {name}.{field}"
    for layer in LAYERS:
        assert f"`{layer}`" in md
    assert SCHEMA_VERSION in md
    assert "half-open" in md
