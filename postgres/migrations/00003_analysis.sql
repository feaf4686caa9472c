-- +goose Up
-- The lean facts of each event that the analyses read, one narrow row per
-- event beside the events row (as sqlite/migrations/00003_analysis.sql).
-- Counts are -1 when unknown; lists are joined by the unit separator.
CREATE TABLE event_facts (
    id             bigint PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    date_start     text NOT NULL,
    date_end       text NOT NULL,
    date_precision bigint NOT NULL DEFAULT 0,
    country        text NOT NULL DEFAULT '',
    admin1         text NOT NULL DEFAULT '',
    admin1_name    text NOT NULL DEFAULT '',
    unit           text NOT NULL DEFAULT '',
    unit_name      text NOT NULL DEFAULT '',
    lat            double precision,
    lon            double precision,
    event_type     text NOT NULL DEFAULT '',
    tlp_rank       bigint NOT NULL DEFAULT 0,
    killed_low     bigint NOT NULL DEFAULT -1,
    killed_best    bigint NOT NULL DEFAULT -1,
    killed_high    bigint NOT NULL DEFAULT -1,
    wounded_low    bigint NOT NULL DEFAULT -1,
    wounded_best   bigint NOT NULL DEFAULT -1,
    wounded_high   bigint NOT NULL DEFAULT -1,
    target_types   text NOT NULL DEFAULT '',
    sources        text NOT NULL DEFAULT '',
    recorded_at    text NOT NULL,
    updated_at     text NOT NULL
);
CREATE INDEX event_facts_date ON event_facts(date_start);
CREATE INDEX event_facts_country_date ON event_facts(country, date_start);

-- The SQLite store packs facts into blocks of 4,096 (sqlite/factblock.go)
-- and marks a block dirty when a row of it changes. PostgreSQL reads
-- event_facts directly and never reads these tables; it keeps them, and
-- marks blocks dirty with the same rule (set-based, one statement per
-- statement), so that a dump taken here restores into SQLite with its
-- blocks rebuilt where they must be and a SQLite dump comes back whole.
CREATE TABLE fact_blocks (block bigint PRIMARY KEY, data bytea NOT NULL);
CREATE TABLE fact_dirty (block bigint PRIMARY KEY);

-- +goose StatementBegin
CREATE FUNCTION fact_dirty_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'event_actors' THEN
        INSERT INTO fact_dirty (block) SELECT DISTINCT event_id >> 12 FROM new_rows ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO fact_dirty (block) SELECT DISTINCT id >> 12 FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION fact_dirty_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'event_actors' THEN
        INSERT INTO fact_dirty (block) SELECT DISTINCT event_id >> 12 FROM old_rows ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO fact_dirty (block) SELECT DISTINCT id >> 12 FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION fact_blocks_clean() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM fact_dirty d USING new_rows n WHERE d.block = n.block;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER event_facts_block_ins AFTER INSERT ON event_facts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_new();
CREATE TRIGGER event_facts_block_upd_new AFTER UPDATE ON event_facts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_new();
CREATE TRIGGER event_facts_block_upd_old AFTER UPDATE ON event_facts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_old();
CREATE TRIGGER event_facts_block_del AFTER DELETE ON event_facts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_old();
CREATE TRIGGER event_actors_block_ins AFTER INSERT ON event_actors REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_new();
CREATE TRIGGER event_actors_block_del AFTER DELETE ON event_actors REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_old();
CREATE TRIGGER fact_blocks_clean AFTER INSERT ON fact_blocks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_blocks_clean();

-- +goose Down
DROP TABLE fact_dirty;
DROP TABLE fact_blocks;
DROP TABLE event_facts;
DROP FUNCTION fact_blocks_clean();
DROP FUNCTION fact_dirty_old();
DROP FUNCTION fact_dirty_new();
