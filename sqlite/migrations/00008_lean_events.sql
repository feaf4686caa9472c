-- +goose Up
-- Lean events: the facts that analyses read move from event_facts into
-- events itself, so that an import writes one row per event, not two; an
-- event of a single report keeps no fused JSON (data is '') since readers
-- fuse it from its report on the way out; event_actors is keyed by its
-- event, without a rowid; the indexes that the rank indexes of 00004
-- cover are dropped. The triggers that mark fact blocks dirty move to
-- events: an event's actors change only when the event is fused again,
-- which updates its row. New events are marked by their writer, a block
-- a chunk rather than a trigger a row (a trigger costs an insert as much
-- as its row does).
ALTER TABLE events ADD COLUMN date_precision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN unit_name TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN lat REAL;
ALTER TABLE events ADD COLUMN lon REAL;
ALTER TABLE events ADD COLUMN killed_low INTEGER NOT NULL DEFAULT -1;
ALTER TABLE events ADD COLUMN killed_best INTEGER NOT NULL DEFAULT -1;
ALTER TABLE events ADD COLUMN killed_high INTEGER NOT NULL DEFAULT -1;
ALTER TABLE events ADD COLUMN wounded_low INTEGER NOT NULL DEFAULT -1;
ALTER TABLE events ADD COLUMN wounded_best INTEGER NOT NULL DEFAULT -1;
ALTER TABLE events ADD COLUMN wounded_high INTEGER NOT NULL DEFAULT -1;
ALTER TABLE events ADD COLUMN credibility INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN target_types TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN sources TEXT NOT NULL DEFAULT '';

UPDATE events SET (date_precision, unit, unit_name, lat, lon, killed_low, killed_best, killed_high,
        wounded_low, wounded_best, wounded_high, target_types, sources) =
    (SELECT f.date_precision, f.unit, f.unit_name, f.lat, f.lon, f.killed_low, f.killed_best, f.killed_high,
        f.wounded_low, f.wounded_best, f.wounded_high, f.target_types, f.sources FROM event_facts f WHERE f.id = events.id)
    WHERE id IN (SELECT id FROM event_facts);
UPDATE events SET credibility = coalesce(json_extract(data, '$.credibility'), 0) WHERE data <> '';

DROP TRIGGER IF EXISTS event_facts_block_ins;
DROP TRIGGER IF EXISTS event_facts_block_upd;
DROP TRIGGER IF EXISTS event_facts_block_del;
DROP TRIGGER IF EXISTS event_actors_block_ins;
DROP TRIGGER IF EXISTS event_actors_block_del;
DROP TABLE event_facts;
DROP INDEX events_date;
DROP INDEX events_country_date;

CREATE TABLE event_actors_keyed (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    role      TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    actor_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, role, name_norm, actor_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO event_actors_keyed (event_id, role, name_norm, actor_id)
    SELECT event_id, role, name_norm, actor_id FROM event_actors;
DROP TABLE event_actors;
ALTER TABLE event_actors_keyed RENAME TO event_actors;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id);
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id);

-- +goose StatementBegin
CREATE TRIGGER events_block_upd AFTER UPDATE ON events
	BEGIN INSERT INTO fact_dirty (block) VALUES (OLD.id >> 12), (NEW.id >> 12); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_block_del AFTER DELETE ON events
	BEGIN INSERT INTO fact_dirty (block) VALUES (OLD.id >> 12); END;
-- +goose StatementEnd

-- +goose Down
SELECT 'migration 00008 (lean events) cannot be undone; restore a dump instead';
