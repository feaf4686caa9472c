-- +goose Up
-- The ACH history is recorded per clearance: each indicator value and
-- ranking carries the TLP level it was computed for (the events and
-- items a reader cleared for that level may see). Rows written before
-- were computed over everything: RED.
ALTER TABLE ach_indicator_values ADD COLUMN clearance text NOT NULL DEFAULT 'RED';
ALTER TABLE ach_rankings ADD COLUMN clearance text NOT NULL DEFAULT 'RED';

-- +goose Down
ALTER TABLE ach_rankings DROP COLUMN clearance;
ALTER TABLE ach_indicator_values DROP COLUMN clearance;
