-- +goose Up
-- As in the SQLite store: a row of event_actors is found by its
-- dictionary actor or, for a name the dictionary does not know, by its
-- name, never both, so each index holds only the rows it serves. The
-- actor filter states each condition, so that the planner may use them.
DROP INDEX event_actors_actor;
DROP INDEX event_actors_name;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id, date_start) WHERE actor_id <> '';
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id, date_start) WHERE actor_id = '';

-- +goose Down
DROP INDEX event_actors_actor;
DROP INDEX event_actors_name;
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id, date_start);
CREATE INDEX event_actors_name ON event_actors(name_norm, event_id, date_start);
