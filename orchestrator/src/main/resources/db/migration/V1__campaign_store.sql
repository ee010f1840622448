-- The LabLoop store. One schema for SQLite and PostgreSQL: only portable types (TEXT,
-- BIGINT, INTEGER, DOUBLE PRECISION), ids assigned by the application, times as epoch
-- milliseconds (UTC), structured values (points, outputs, predictions) as JSON text.

-- Every version of a campaign file that was ever run, by the SHA-256 of its exact text.
CREATE TABLE campaigns (
  sha256      TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  file        TEXT NOT NULL,
  yaml        TEXT NOT NULL,
  stored_at   BIGINT NOT NULL
);

-- One run of a campaign; --restart starts a new run and keeps the old one.
CREATE TABLE runs (
  id              TEXT PRIMARY KEY,
  campaign        TEXT NOT NULL,
  campaign_sha256 TEXT NOT NULL REFERENCES campaigns (sha256),
  seed            BIGINT NOT NULL,
  status          TEXT NOT NULL,
  started_at      BIGINT NOT NULL,
  ended_at        BIGINT,
  stop_reason     TEXT
);
CREATE INDEX runs_by_campaign ON runs (campaign, started_at);

-- One point run through the workflow. reached = 1 once a command of it was sent (the budget
-- counts those).
CREATE TABLE experiments (
  run_id         TEXT NOT NULL REFERENCES runs (id),
  seq            INTEGER NOT NULL,
  status         TEXT NOT NULL,
  requested      TEXT NOT NULL,
  achieved       TEXT,
  objective_values TEXT,
  cause          TEXT,
  reached        INTEGER NOT NULL DEFAULT 0,
  retry_of       INTEGER,
  planned_at     BIGINT NOT NULL,
  started_at     BIGINT,
  ended_at       BIGINT,
  PRIMARY KEY (run_id, seq)
);

-- The journal: one row per attempt of a workflow step, written before the command is sent
-- (STARTED) and after it answered (DONE | FAILED). idempotency_key names the logical step.
CREATE TABLE steps (
  run_id          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  step_index      INTEGER NOT NULL,
  attempt         INTEGER NOT NULL,
  step_id         TEXT NOT NULL,
  instrument      TEXT NOT NULL,
  command         TEXT NOT NULL,
  arguments       TEXT NOT NULL,
  status          TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  planned_at      BIGINT NOT NULL,
  started_at      BIGINT,
  ended_at        BIGINT,
  outputs         TEXT,
  error_kind      TEXT,
  error           TEXT,
  PRIMARY KEY (run_id, seq, step_index, attempt)
);

-- What the planner learned, in the order it learned it (ordinal).
CREATE TABLE observations (
  run_id           TEXT NOT NULL,
  seq              INTEGER NOT NULL,
  ordinal          INTEGER NOT NULL,
  status           TEXT NOT NULL,
  requested        TEXT NOT NULL,
  achieved         TEXT NOT NULL,
  objective_values TEXT NOT NULL,
  recorded_at      BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- Raw data that came with a reply, kept as a file named by its SHA-256 beside the database.
CREATE TABLE attachments (
  run_id      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  step_index  INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  name        TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  size_bytes  BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq, step_index, attempt, name)
);

-- Why each point was chosen (the planner's Suggestion).
CREATE TABLE decisions (
  run_id          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  planner         TEXT NOT NULL,
  reason          TEXT NOT NULL,
  acquisition     DOUBLE PRECISION,
  predicted_mean  TEXT NOT NULL,
  predicted_sd    TEXT NOT NULL,
  details         TEXT NOT NULL,
  decided_at      BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- Everything worth telling a person: holds, alerts, pauses, stops.
CREATE TABLE events (
  run_id      TEXT NOT NULL,
  ordinal     BIGINT NOT NULL,
  at          BIGINT NOT NULL,
  kind        TEXT NOT NULL,
  severity    TEXT NOT NULL,
  instrument  TEXT,
  seq         INTEGER,
  message     TEXT NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);
