-- +goose Up
-- Each row of event_actors carries its event's start date, as in the
-- SQLite store (its migration 00010 says why); the indexes by actor and
-- by name end with it.
ALTER TABLE event_actors ADD COLUMN date_start text NOT NULL DEFAULT '';
UPDATE event_actors a SET date_start = e.date_start FROM events e WHERE e.id = a.event_id;
DROP INDEX event_actors_actor;
DROP INDEX event_actors_name;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id, date_start);
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id, date_start);

-- +goose Down
DROP INDEX event_actors_actor;
DROP INDEX event_actors_name;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id);
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id);
ALTER TABLE event_actors DROP COLUMN date_start;
