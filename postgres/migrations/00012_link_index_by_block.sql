-- +goose Up
-- link_index as the SQLite store's migration 00012 makes it: its columns
-- in the same order and keyed by block (country, start) and report, so
-- that a dump moves between the stores unchanged. Block lookups read the
-- key's range; a report's key is found by report_id in link_index_report.
CREATE TABLE link_index_by_block (
    country    text NOT NULL,
    date_start text NOT NULL,
    report_id  bigint NOT NULL,
    date_end   text NOT NULL,
    long       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (country, date_start, report_id)
);
INSERT INTO link_index_by_block (country, date_start, report_id, date_end, long)
    SELECT country, date_start, report_id, date_end, long FROM link_index;
DROP TABLE link_index;
ALTER TABLE link_index_by_block RENAME TO link_index;
ALTER INDEX link_index_by_block_pkey RENAME TO link_index_pkey;
CREATE UNIQUE INDEX link_index_report ON link_index(report_id);
CREATE INDEX link_index_long ON link_index(country, long) WHERE long;

-- +goose Down
CREATE TABLE link_index_by_report (
    report_id  bigint PRIMARY KEY,
    country    text NOT NULL,
    date_start text NOT NULL,
    date_end   text NOT NULL,
    long       boolean NOT NULL DEFAULT false
);
INSERT INTO link_index_by_report (report_id, country, date_start, date_end, long)
    SELECT report_id, country, date_start, date_end, long FROM link_index;
DROP TABLE link_index;
ALTER TABLE link_index_by_report RENAME TO link_index;
ALTER INDEX link_index_by_report_pkey RENAME TO link_index_pkey;
CREATE INDEX link_index_block ON link_index(country, date_start);
CREATE INDEX link_index_long ON link_index(country, long) WHERE long;
