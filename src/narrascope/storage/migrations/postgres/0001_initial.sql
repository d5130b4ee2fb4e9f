-- 0001_initial: documents with indexed columns, normalised layer rows, failures, near-duplicate bands.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    headline     TEXT,
    url          TEXT,
    outlet       TEXT,
    published    TEXT,              -- ISO date (YYYY-MM-DD) or NULL
    week         TEXT,              -- ISO date of the Monday of that week, or NULL
    language     TEXT,
    origin       TEXT,
    genre        TEXT,
    added_at     TEXT NOT NULL,
    dup_group    TEXT NOT NULL,     -- id of the first stored document of its near-duplicate group
    minhash      BYTEA,
    analyzers    TEXT NOT NULL,     -- JSON: analyzer name -> version
    n_statements INTEGER,
    n_techniques INTEGER,
    n_narratives INTEGER,
    n_frames     INTEGER,
    doc_json     TEXT NOT NULL
);
CREATE INDEX documents_outlet ON documents (outlet);
CREATE INDEX documents_published ON documents (published);
CREATE INDEX documents_dup_group ON documents (dup_group);
CREATE INDEX documents_origin ON documents (origin);

CREATE TABLE statements (
    doc_id      TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    source_type TEXT NOT NULL,
    source_text TEXT NOT NULL,
    content     TEXT NOT NULL,     -- the claim: the statement's content text
    kind        TEXT,
    status      TEXT,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX statements_source_type ON statements (source_type);

CREATE TABLE techniques (
    doc_id     TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    technique  TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX techniques_technique ON techniques (technique);

CREATE TABLE frames (
    doc_id     TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    frame      TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX frames_frame ON frames (frame);

CREATE TABLE narratives (
    doc_id       TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    taxonomy     TEXT NOT NULL,
    narrative    TEXT NOT NULL,
    subnarrative TEXT,
    confidence   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX narratives_narrative ON narratives (narrative);

CREATE TABLE dup_bands (
    key    TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (key, doc_id)
);

CREATE TABLE failures (
    origin    TEXT NOT NULL,
    code      TEXT NOT NULL,
    type      TEXT NOT NULL,
    message   TEXT NOT NULL,
    hint      TEXT NOT NULL,
    added_at  TEXT NOT NULL,
    PRIMARY KEY (origin, code)
);

ALTER TABLE documents ADD COLUMN body TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(headline, '')), 'A') || setweight(to_tsvector('simple', body), 'B')
) STORED;
CREATE INDEX documents_tsv ON documents USING GIN (tsv);
