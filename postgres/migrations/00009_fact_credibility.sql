-- +goose Up
-- As sqlite/migrations/00009_fact_credibility.sql: SQLite's fact blocks of
-- version 2 carry each event's credibility, so the blocks kept for the
-- dump format are marked to be built again (PostgreSQL reads facts from
-- events, where the grade is a column since 00008).
INSERT INTO fact_dirty (block) SELECT block FROM fact_blocks ON CONFLICT DO NOTHING;

-- +goose Down
INSERT INTO fact_dirty (block) SELECT block FROM fact_blocks ON CONFLICT DO NOTHING;
