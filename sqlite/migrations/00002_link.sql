-- +goose Up
-- Record linkage: what linkage has seen, the decisions people took, the
-- review queue, and the history of every operation on the grouping of
-- reports into events.

-- The highest report id linkage has seen; reports above it are pending.
-- No row means none seen yet (mark 0).
CREATE TABLE link_state (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    mark INTEGER NOT NULL
);

-- Blocking keys of the reports linkage has seen: country and dates.
-- long marks reports whose dates span more than 31 days.
CREATE TABLE link_index (
    report_id  INTEGER PRIMARY KEY,
    country    TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end   TEXT NOT NULL,
    long       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX link_index_block ON link_index(country, date_start);
CREATE INDEX link_index_long ON link_index(country, long) WHERE long = 1;

-- Operations on the grouping: linkage runs, merges, splits, confirmations,
-- rejections and undos, with their reasons (data is the vigil.LinkOp).
CREATE TABLE link_ops (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    undone_by INTEGER,
    data      TEXT NOT NULL,
    at        TEXT NOT NULL
);

-- Each report an operation moved, from which event to which (NULL: none).
CREATE TABLE link_moves (
    op_id      INTEGER NOT NULL REFERENCES link_ops(id),
    report_id  INTEGER NOT NULL,
    from_event INTEGER,
    to_event   INTEGER
);
CREATE INDEX link_moves_op ON link_moves(op_id);
CREATE INDEX link_moves_report ON link_moves(report_id);

-- Pairs of reports a person kept apart (report_a < report_b).
CREATE TABLE link_cannot (
    report_a INTEGER NOT NULL,
    report_b INTEGER NOT NULL,
    op_id    INTEGER NOT NULL REFERENCES link_ops(id),
    PRIMARY KEY (report_a, report_b, op_id)
);

-- Events a person confirmed as they stand.
CREATE TABLE link_confirmed (
    event_id INTEGER NOT NULL,
    op_id    INTEGER NOT NULL REFERENCES link_ops(id),
    PRIMARY KEY (event_id, op_id)
);

-- Uncertain links for a person to decide (report_a < report_b).
CREATE TABLE link_review (
    id          INTEGER PRIMARY KEY,
    report_a    INTEGER NOT NULL,
    report_b    INTEGER NOT NULL,
    score       REAL NOT NULL,
    explanation TEXT NOT NULL,
    status      TEXT NOT NULL,
    decided_by  INTEGER,
    created_at  TEXT NOT NULL,
    UNIQUE (report_a, report_b)
);
CREATE INDEX link_review_status ON link_review(status);

-- +goose Down
DROP TABLE link_review;
DROP TABLE link_confirmed;
DROP TABLE link_cannot;
DROP TABLE link_moves;
DROP TABLE link_ops;
DROP TABLE link_index;
DROP TABLE link_state;
