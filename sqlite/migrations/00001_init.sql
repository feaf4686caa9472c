-- +goose Up
-- Times are RFC 3339 UTC text; dates are YYYY-MM-DD text. Rows carry their
-- full value as JSON (data) beside the columns that queries filter on.

CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE TABLE actors (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- One row per name or alias, folded for matching.
CREATE TABLE actor_names (
    actor_id   TEXT NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    norm       TEXT NOT NULL,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actor_names_norm ON actor_names(norm);
CREATE INDEX actor_names_actor ON actor_names(actor_id);

CREATE TABLE relationships (
    id          INTEGER PRIMARY KEY,
    from_actor  TEXT NOT NULL REFERENCES actors(id),
    to_actor    TEXT NOT NULL REFERENCES actors(id),
    type        TEXT NOT NULL,
    valid_from  TEXT NOT NULL DEFAULT '',
    valid_to    TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX relationships_from ON relationships(from_actor);
CREATE INDEX relationships_to ON relationships(to_actor);

CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    status      TEXT NOT NULL,
    data        TEXT NOT NULL,
    started_at  TEXT NOT NULL
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    key          TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    tlp_rank     INTEGER NOT NULL,
    batch_id     INTEGER REFERENCES batches(id),
    data         TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    UNIQUE (source_id, key)
);

-- Superseded versions of documents, never erased.
CREATE TABLE document_history (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id),
    content_hash  TEXT NOT NULL,
    data          TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    batch_id      INTEGER REFERENCES batches(id)
);
CREATE INDEX document_history_document ON document_history(document_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    key         TEXT UNIQUE,
    date_start  TEXT NOT NULL DEFAULT '',
    date_end    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    admin1      TEXT NOT NULL DEFAULT '', -- folded code or name
    admin1_name TEXT NOT NULL DEFAULT '', -- folded name
    event_type  TEXT NOT NULL DEFAULT '',
    tlp_rank    INTEGER NOT NULL DEFAULT 0,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX events_date ON events(date_start);
CREATE INDEX events_country_date ON events(country, date_start);
CREATE INDEX events_admin1 ON events(admin1);

-- Who took part in each event, for filtering by actor.
CREATE TABLE event_actors (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    actor_id  TEXT NOT NULL DEFAULT '',
    name_norm TEXT NOT NULL,
    role      TEXT NOT NULL
);
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id);
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id);
CREATE INDEX event_actors_event ON event_actors(event_id);

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    key         TEXT NOT NULL,
    event_id    INTEGER REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (document_id, key)
);
CREATE INDEX reports_event ON reports(event_id);

-- Superseded versions of reports, never erased.
CREATE TABLE report_history (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL,
    document_id   INTEGER NOT NULL REFERENCES documents(id),
    content_hash  TEXT NOT NULL,
    data          TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    batch_id      INTEGER REFERENCES batches(id)
);
CREATE INDEX report_history_document ON report_history(document_id);

-- +goose Down
DROP TABLE report_history;
DROP TABLE reports;
DROP TABLE event_actors;
DROP TABLE events;
DROP TABLE document_history;
DROP TABLE documents;
DROP TABLE batches;
DROP TABLE relationships;
DROP TABLE actor_names;
DROP TABLE actors;
DROP TABLE sources;
