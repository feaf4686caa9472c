-- +goose Up
-- ACH case files (Heuer's Analysis of Competing Hypotheses): hypotheses,
-- evidence and every analyst's ratings, with the history of indicator
-- values and rankings; and the watch rules with the alerts they raise.

CREATE TABLE ach_cases (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    question   TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE ach_hypotheses (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES ach_cases(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    held_by     TEXT NOT NULL DEFAULT '[]', -- JSON array of actor ids
    UNIQUE (case_id, key)
);

CREATE TABLE ach_evidence (
    id                 INTEGER PRIMARY KEY,
    case_id            INTEGER NOT NULL REFERENCES ach_cases(id) ON DELETE CASCADE,
    key                TEXT NOT NULL,
    position           INTEGER NOT NULL,
    title              TEXT NOT NULL,
    kind               TEXT NOT NULL,
    ref                TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    credibility        INTEGER NOT NULL DEFAULT 0,
    credibility_weight TEXT NOT NULL DEFAULT '',
    relevance          TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    indicator          TEXT NOT NULL DEFAULT '', -- JSON of vigil.ACHIndicator
    UNIQUE (case_id, key)
);

CREATE TABLE ach_ratings (
    id            INTEGER PRIMARY KEY,
    evidence_id   INTEGER NOT NULL REFERENCES ach_evidence(id) ON DELETE CASCADE,
    hypothesis_id INTEGER NOT NULL REFERENCES ach_hypotheses(id) ON DELETE CASCADE,
    analyst       TEXT NOT NULL,
    consensus     INTEGER NOT NULL DEFAULT 0,
    rating        TEXT NOT NULL,
    rationale     TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL,
    UNIQUE (evidence_id, hypothesis_id, analyst, consensus)
);

CREATE TABLE ach_indicator_values (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES ach_evidence(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    value       REAL NOT NULL,
    met         INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    event_ids   TEXT NOT NULL DEFAULT '[]',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ach_indicator_values_item ON ach_indicator_values(evidence_id, id);

CREATE TABLE ach_rankings (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES ach_cases(id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    ordering TEXT NOT NULL, -- JSON array of hypothesis keys
    scores   TEXT NOT NULL, -- JSON object key -> weighted inconsistency
    trigger  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ach_rankings_case ON ach_rankings(case_id, id);

CREATE TABLE watch_rules (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    actor         TEXT NOT NULL DEFAULT '',
    case_key      TEXT NOT NULL DEFAULT '',
    window_days   INTEGER NOT NULL DEFAULT 0,
    baseline_days INTEGER NOT NULL DEFAULT 0,
    threshold     REAL NOT NULL DEFAULT 0,
    webhook       TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Alerts outlive their rules: rule_id is kept as written, without a
-- foreign key.
CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    rule_id      INTEGER NOT NULL,
    rule_name    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    message      TEXT NOT NULL,
    details      TEXT NOT NULL DEFAULT '{}',
    raised_at    TEXT NOT NULL,
    webhook      TEXT NOT NULL DEFAULT '',
    delivered    INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    delivered_at TEXT NOT NULL DEFAULT '',
    UNIQUE (rule_id, key)
);
CREATE INDEX alerts_pending ON alerts(delivered, webhook);

-- +goose Down
DROP TABLE alerts;
DROP TABLE watch_rules;
DROP TABLE ach_rankings;
DROP TABLE ach_indicator_values;
DROP TABLE ach_ratings;
DROP TABLE ach_evidence;
DROP TABLE ach_hypotheses;
DROP TABLE ach_cases;
