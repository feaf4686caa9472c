-- +goose Up
-- The lean facts of each event that the analyses read, one narrow row per
-- event, so that indicators over a million events need not decode a
-- million event documents (the events row carries its JSON, which spills
-- into overflow pages). Written on ingest beside the events row and
-- backfilled here from the JSON of the events already stored.
-- The filter columns (date_start, date_end, country, admin1, admin1_name,
-- event_type, tlp_rank) repeat those of events, folded the same way, so
-- that one WHERE clause serves both tables. Counts are -1 when unknown;
-- lists are joined by the unit separator, char(31).
CREATE TABLE event_facts (
    id             INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    date_start     TEXT NOT NULL,
    date_end       TEXT NOT NULL,
    date_precision INTEGER NOT NULL DEFAULT 0,
    country        TEXT NOT NULL DEFAULT '',
    admin1         TEXT NOT NULL DEFAULT '', -- folded code or name, for filters
    admin1_name    TEXT NOT NULL DEFAULT '', -- folded name, for filters
    unit           TEXT NOT NULL DEFAULT '', -- admin-1 as the event holds it
    unit_name      TEXT NOT NULL DEFAULT '',
    lat            REAL,
    lon            REAL,
    event_type     TEXT NOT NULL DEFAULT '',
    tlp_rank       INTEGER NOT NULL DEFAULT 0,
    killed_low     INTEGER NOT NULL DEFAULT -1,
    killed_best    INTEGER NOT NULL DEFAULT -1,
    killed_high    INTEGER NOT NULL DEFAULT -1,
    wounded_low    INTEGER NOT NULL DEFAULT -1,
    wounded_best   INTEGER NOT NULL DEFAULT -1,
    wounded_high   INTEGER NOT NULL DEFAULT -1,
    target_types   TEXT NOT NULL DEFAULT '',
    sources        TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX event_facts_date ON event_facts(date_start);

-- Fact blocks: the facts of up to 4,096 events (ids b<<12 … b<<12+4095)
-- packed into one binary value (sqlite/factblock.go), which readers decode
-- at nanoseconds a fact. Triggers mark a block dirty when a row of it
-- changes; readers rebuild the dirty blocks first. sqlite/factblock.go
-- runs the same statements (IF NOT EXISTS) for stores migrated before them.
CREATE TABLE IF NOT EXISTS fact_blocks (block INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS fact_dirty (block INTEGER PRIMARY KEY ON CONFLICT IGNORE);
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS event_facts_block_ins AFTER INSERT ON event_facts
	BEGIN INSERT INTO fact_dirty (block) VALUES (NEW.id >> 12); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS event_facts_block_upd AFTER UPDATE ON event_facts
	BEGIN INSERT INTO fact_dirty (block) VALUES (OLD.id >> 12), (NEW.id >> 12); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS event_facts_block_del AFTER DELETE ON event_facts
	BEGIN INSERT INTO fact_dirty (block) VALUES (OLD.id >> 12); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS event_actors_block_ins AFTER INSERT ON event_actors
	BEGIN INSERT INTO fact_dirty (block) VALUES (NEW.event_id >> 12); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS event_actors_block_del AFTER DELETE ON event_actors
	BEGIN INSERT INTO fact_dirty (block) VALUES (OLD.event_id >> 12); END;
-- +goose StatementEnd
-- A block stored clears its dirty mark, so that a restored dump comes back
-- as it was.
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS fact_blocks_clean AFTER INSERT ON fact_blocks
	BEGIN DELETE FROM fact_dirty WHERE block = NEW.block; END;
-- +goose StatementEnd

INSERT INTO event_facts (id, date_start, date_end, date_precision, country, admin1, admin1_name, unit, unit_name,
    lat, lon, event_type, tlp_rank, killed_low, killed_best, killed_high, wounded_low, wounded_best, wounded_high,
    target_types, sources, recorded_at, updated_at)
SELECT id, date_start, date_end, coalesce(json_extract(data, '$.date_precision'), 0), country, admin1, admin1_name,
    coalesce(json_extract(data, '$.admin1'), ''), coalesce(json_extract(data, '$.admin1_name'), ''),
    json_extract(data, '$.latitude'), json_extract(data, '$.longitude'), event_type, tlp_rank,
    coalesce(json_extract(data, '$.killed.low'), -1), coalesce(json_extract(data, '$.killed.best'), -1),
    coalesce(json_extract(data, '$.killed.high'), -1), coalesce(json_extract(data, '$.wounded.low'), -1),
    coalesce(json_extract(data, '$.wounded.best'), -1), coalesce(json_extract(data, '$.wounded.high'), -1),
    coalesce((SELECT group_concat(value, char(31)) FROM json_each(events.data, '$.target_types')), ''),
    coalesce((SELECT group_concat(json_extract(value, '$.name'), char(31)) FROM json_each(events.data, '$.sources')), ''),
    recorded_at, updated_at
FROM events WHERE date_start <> '';

-- +goose Down
DROP TRIGGER IF EXISTS fact_blocks_clean;
DROP TRIGGER IF EXISTS event_actors_block_del;
DROP TRIGGER IF EXISTS event_actors_block_ins;
DROP TABLE IF EXISTS fact_dirty;
DROP TABLE IF EXISTS fact_blocks;
DROP TABLE event_facts;
