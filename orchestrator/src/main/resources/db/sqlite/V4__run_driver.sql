-- Which daemon (or 'labloop run') drives each run, and since when: written when an engine
-- starts or takes a run over, kept after the run ends (it then says who drove it last).
ALTER TABLE runs ADD COLUMN driven_by TEXT;
ALTER TABLE runs ADD COLUMN driven_since BIGINT;
