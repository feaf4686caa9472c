-- +goose Up
-- Fact blocks of version 2 carry each event's credibility, for indicators
-- over a minimum grade: the blocks written before are built again on the
-- next read.
INSERT INTO fact_dirty (block) SELECT block FROM fact_blocks;

-- +goose Down
INSERT INTO fact_dirty (block) SELECT block FROM fact_blocks;
