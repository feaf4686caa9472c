-- +goose Up
-- Each row of event_actors carries its event's start date, and the
-- indexes by actor and by name are ordered by it: a page of one actor's
-- events in date order reads that many entries of an index instead of
-- every event of the actor (a few thousand row lookups and a sort for a
-- prolific group). Writers set the date with the row: an event's actors
-- are written again whenever the event is fused again, which is the only
-- way its date changes.
ALTER TABLE event_actors ADD COLUMN date_start TEXT NOT NULL DEFAULT '';
UPDATE event_actors SET date_start = coalesce((SELECT e.date_start FROM events e WHERE e.id = event_actors.event_id), '');
DROP INDEX event_actors_actor;
DROP INDEX event_actors_name;
CREATE INDEX event_actors_actor ON event_actors(actor_id, date_start, event_id);
CREATE INDEX event_actors_name ON event_actors(name_norm, date_start, event_id);

-- +goose Down
DROP INDEX event_actors_actor;
DROP INDEX event_actors_name;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id);
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id);
ALTER TABLE event_actors DROP COLUMN date_start;
