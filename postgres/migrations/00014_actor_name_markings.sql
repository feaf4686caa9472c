-- +goose Up
-- As in the SQLite store: each name of an actor carries its effective
-- marking as a TLP rank (CLEAR 0 … RED 4), so that a filter by name with a
-- reader's clearance matches only through the names that reader may see.
-- Actors had no markings before: every existing name is CLEAR.
ALTER TABLE actor_names ADD COLUMN tlp_rank bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE actor_names DROP COLUMN tlp_rank;
