-- +goose Up
-- Sourced claims about who makes up a group over time: its layers, the
-- streams it was formed from, the pools it recruits from. The claim's full
-- value is JSON (data); the documents behind it are rows of their own, so
-- that a claim can only cite documents the store holds.

CREATE TABLE composition_claims (
    id          INTEGER PRIMARY KEY,
    actor_id    TEXT NOT NULL REFERENCES actors(id),
    kind        TEXT NOT NULL,
    layer       TEXT NOT NULL,
    valid_from  TEXT NOT NULL DEFAULT '',
    valid_to    TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX composition_claims_actor ON composition_claims(actor_id, valid_from);

CREATE TABLE composition_documents (
    claim_id    INTEGER NOT NULL REFERENCES composition_claims(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (claim_id, document_id)
) WITHOUT ROWID;
CREATE INDEX composition_documents_document ON composition_documents(document_id);

-- +goose Down
DROP TABLE composition_documents;
DROP TABLE composition_claims;
