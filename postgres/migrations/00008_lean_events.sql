-- +goose Up
-- Lean events (as sqlite/migrations/00008_lean_events.sql): the facts that
-- analyses read move from event_facts into events itself, so that an
-- import writes one row per event, not two; an event of a single report
-- keeps no fused JSON (data is '', so the column becomes text) since
-- readers fuse it from its report on the way out; event_actors is keyed by
-- its event and its values, once each. Fact blocks are marked dirty by
-- events' own rows now: an event's actors change only when the event is
-- fused again, which rewrites its row.
ALTER TABLE events
    ADD COLUMN date_precision bigint NOT NULL DEFAULT 0,
    ADD COLUMN unit text NOT NULL DEFAULT '',
    ADD COLUMN unit_name text NOT NULL DEFAULT '',
    ADD COLUMN lat double precision,
    ADD COLUMN lon double precision,
    ADD COLUMN killed_low bigint NOT NULL DEFAULT -1,
    ADD COLUMN killed_best bigint NOT NULL DEFAULT -1,
    ADD COLUMN killed_high bigint NOT NULL DEFAULT -1,
    ADD COLUMN wounded_low bigint NOT NULL DEFAULT -1,
    ADD COLUMN wounded_best bigint NOT NULL DEFAULT -1,
    ADD COLUMN wounded_high bigint NOT NULL DEFAULT -1,
    ADD COLUMN credibility bigint NOT NULL DEFAULT 0,
    ADD COLUMN target_types text NOT NULL DEFAULT '',
    ADD COLUMN sources text NOT NULL DEFAULT '',
    ALTER COLUMN data TYPE text;

UPDATE events e SET (date_precision, unit, unit_name, lat, lon, killed_low, killed_best, killed_high,
        wounded_low, wounded_best, wounded_high, target_types, sources) =
    (f.date_precision, f.unit, f.unit_name, f.lat, f.lon, f.killed_low, f.killed_best, f.killed_high,
        f.wounded_low, f.wounded_best, f.wounded_high, f.target_types, f.sources)
    FROM event_facts f WHERE f.id = e.id;
UPDATE events SET credibility = coalesce((data::json->>'credibility')::bigint, 0) WHERE data <> '';

DROP TABLE event_facts;
DROP TRIGGER event_actors_block_ins ON event_actors;
DROP TRIGGER event_actors_block_del ON event_actors;
DROP INDEX events_date;
DROP INDEX events_country_date;

CREATE TABLE event_actors_keyed (
    event_id  bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    role      text NOT NULL,
    name_norm text NOT NULL,
    actor_id  text NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, role, name_norm, actor_id)
);
INSERT INTO event_actors_keyed (event_id, role, name_norm, actor_id)
    SELECT event_id, role, name_norm, actor_id FROM event_actors ON CONFLICT DO NOTHING;
DROP TABLE event_actors;
ALTER TABLE event_actors_keyed RENAME TO event_actors;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id);
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id);

CREATE TRIGGER events_block_ins AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_new();
CREATE TRIGGER events_block_upd_new AFTER UPDATE ON events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_new();
CREATE TRIGGER events_block_upd_old AFTER UPDATE ON events REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_old();
CREATE TRIGGER events_block_del AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fact_dirty_old();

-- +goose Down
SELECT 'migration 00008 (lean events) cannot be undone; restore a dump instead';
