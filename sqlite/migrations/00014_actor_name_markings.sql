-- +goose Up
-- Each name of an actor carries its effective marking (the more
-- restricted of the name's and the actor's, as a TLP rank, CLEAR 0 … RED
-- 4), so that a filter by name with a reader's clearance matches only
-- through the names that reader may see: a CLEAR reader must not confirm
-- an AMBER alias by the events it finds. Actors had no markings before:
-- every existing name is CLEAR.
ALTER TABLE actor_names ADD COLUMN tlp_rank INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE actor_names DROP COLUMN tlp_rank;
