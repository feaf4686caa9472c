-- +goose Up
-- Users, their API tokens and sessions, and the append-only audit log.
-- Secrets are never stored: passwords as argon2id hashes, tokens and
-- session cookies as SHA-256 hashes.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    clearance     TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sessions (
    hash       TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Each entry's hash covers it and the previous entry's hash (see
-- vigil.AuditEntry.ComputeHash). The triggers make the table append-only
-- for anything that goes through SQL; the chain shows tampering that
-- goes around them.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object, seq);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
-- +goose StatementEnd

-- Indexes for the server's clearance-filtered reads (sqlite/browse.go):
-- event pages in date order, counts and the country and date filters read
-- these indexes without the table;
-- a batch's and a source's most restricted marking is one index probe.
CREATE INDEX events_date_rank ON events(date_start, id, tlp_rank, date_end);
CREATE INDEX events_country_rank ON events(country, date_start, id, date_end, tlp_rank);
CREATE INDEX documents_batch_rank ON documents(batch_id, tlp_rank);
CREATE INDEX documents_source_rank ON documents(source_id, tlp_rank);
CREATE INDEX document_history_batch ON document_history(batch_id);

-- +goose Down
DROP INDEX document_history_batch;
DROP INDEX documents_source_rank;
DROP INDEX documents_batch_rank;
DROP INDEX events_country_rank;
DROP INDEX events_date_rank;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
