-- The daemon's instrument health probes, one row per probe sent (or skipped because the
-- instrument was busy), so the console's instruments page shows their history across restarts.
-- The daemon keeps 30 days per instrument.
CREATE TABLE health_probes (
  at          BIGINT NOT NULL,
  instrument  TEXT NOT NULL,
  command     TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  millis      BIGINT NOT NULL,
  message     TEXT NOT NULL
);
CREATE INDEX health_probes_by_instrument ON health_probes (instrument, at);
