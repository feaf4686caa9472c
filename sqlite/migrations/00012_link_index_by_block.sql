-- +goose Up
-- link_index becomes one B-tree keyed by block (country, date_start) and
-- report, without rowid: a linkage run writes its keys in that order, so
-- that the million keys of a full run go in at the ends of their
-- countries' ranges instead of at random places in a second index (the
-- rowid table and link_index_block: measured, most of 13 s of a full run
-- of a million reports); a block's lookup reads the same key range, and
-- the row holds the rest it needs.
CREATE TABLE link_index_by_block (
    country    TEXT NOT NULL,
    date_start TEXT NOT NULL,
    report_id  INTEGER NOT NULL,
    date_end   TEXT NOT NULL,
    long       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (country, date_start, report_id)
) WITHOUT ROWID;
INSERT INTO link_index_by_block (country, date_start, report_id, date_end, long)
    SELECT country, date_start, report_id, date_end, long FROM link_index;
DROP TABLE link_index;
ALTER TABLE link_index_by_block RENAME TO link_index;
CREATE INDEX link_index_long ON link_index(country, long) WHERE long = 1;

-- +goose Down
CREATE TABLE link_index_by_rowid (
    report_id  INTEGER PRIMARY KEY,
    country    TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end   TEXT NOT NULL,
    long       INTEGER NOT NULL DEFAULT 0
);
INSERT OR REPLACE INTO link_index_by_rowid (report_id, country, date_start, date_end, long)
    SELECT report_id, country, date_start, date_end, long FROM link_index;
DROP TABLE link_index;
ALTER TABLE link_index_by_rowid RENAME TO link_index;
CREATE INDEX link_index_block ON link_index(country, date_start);
CREATE INDEX link_index_long ON link_index(country, long) WHERE long = 1;
